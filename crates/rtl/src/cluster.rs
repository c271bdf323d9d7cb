//! Extended grapheme clusters and their display widths, with a fast path for the characters
//! most text is made of.
//!
//! ASCII, the Arabic letters and digits and the Arabic presentation forms never join a
//! neighbour of the same kind into one cluster, take one column, and start no sequence that a
//! later character could extend across them (no Prepend, Extend, emoji, regional indicator or
//! Indic consonant among them). So between two of them there is always a cluster boundary, and
//! segmentation may restart there. The splitter takes runs of such characters one by one and
//! hands only the stretches around anything else (harakat, ZWNJ, emoji, CJK, …) to
//! `unicode-segmentation`; the result is the same as `graphemes(true)` on the whole text (the
//! tests below check it character by character and on random text).

use unicode_segmentation::{GraphemeIndices, UnicodeSegmentation};
use unicode_width::UnicodeWidthStr;

/// True for a character that is a cluster of its own next to another such character, one
/// column wide, and no context for the clusters after it (see the module docs).
pub(crate) fn is_simple(c: char) -> bool {
    let code = c as u32;
    if code < 0x800 {
        SIMPLE_LOW[(code / 64) as usize] & (1 << (code % 64)) != 0
    } else {
        matches!(code, 0xfb50..=0xfbb1 | 0xfbd3..=0xfd3d | 0xfe70..=0xfe74 | 0xfe76..=0xfefc)
    }
}

/// The simple characters below U+0800 as a bit set: ASCII, NBSP, « », and the Arabic
/// punctuation, letters and digits (not the harakat, the number signs that prepend or the
/// Arabic letter mark).
const SIMPLE_LOW: [u64; 32] = {
    const RANGES: [(u32, u32); 12] = [
        (0x20, 0x7e),
        (0xa0, 0xa0),
        (0xab, 0xab),
        (0xbb, 0xbb),
        (0x60c, 0x60c),
        (0x61b, 0x61b),
        (0x61f, 0x61f),
        (0x620, 0x64a),
        (0x660, 0x66f),
        (0x671, 0x6d5),
        (0x6e5, 0x6e6),
        (0x6ee, 0x6ff),
    ];
    let mut bits = [0u64; 32];
    let mut r = 0;
    while r < RANGES.len() {
        let mut code = RANGES[r].0;
        while code <= RANGES[r].1 {
            bits[(code / 64) as usize] |= 1 << (code % 64);
            code += 1;
        }
        r += 1;
    }
    bits
};

/// The extended grapheme clusters of `text` with their byte offsets: what
/// `text.grapheme_indices(true)` yields, faster.
pub(crate) fn clusters(text: &str) -> Clusters<'_> {
    Clusters {
        text,
        at: 0,
        ahead: None,
        region: None,
    }
}

/// One extended grapheme cluster.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cluster<'a> {
    /// Byte offset in the text.
    pub offset: usize,
    pub text: &'a str,
    /// Columns ([`cluster_width`]).
    pub width: usize,
    /// Its first character.
    pub first: char,
    /// True when it is that one character and [`is_simple`].
    pub simple: bool,
}

/// Iterator of [`clusters`].
pub(crate) struct Clusters<'a> {
    text: &'a str,
    /// Where the next cluster starts when no region is being segmented.
    at: usize,
    /// The character at `at` and whether it is simple, when already decoded.
    ahead: Option<(char, bool)>,
    /// A stretch handed to `unicode-segmentation`, with its offset in `text`.
    region: Option<(usize, GraphemeIndices<'a>)>,
}

impl<'a> Iterator for Clusters<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        self.next_cluster().map(|c| (c.offset, c.text))
    }
}

impl<'a> Clusters<'a> {
    /// The next cluster, with its width and first character.
    pub(crate) fn next_cluster(&mut self) -> Option<Cluster<'a>> {
        if let Some((base, graphemes)) = &mut self.region {
            if let Some((offset, text)) = graphemes.next() {
                return Some(complex(*base + offset, text));
            }
            self.region = None;
        }
        let rest = &self.text[self.at..];
        let (first, first_simple) = match self.ahead.take() {
            Some(ahead) => ahead,
            None => {
                let c = rest.chars().next()?;
                (c, is_simple(c))
            }
        };
        let first_len = first.len_utf8();
        let mut following = rest[first_len..].chars();
        let start = self.at;
        if first_simple {
            let next = following.clone().next().map(|c| (c, is_simple(c)));
            if next.is_none_or(|(_, simple)| simple) {
                self.at += first_len;
                self.ahead = next;
                return Some(Cluster {
                    offset: start,
                    text: &rest[..first_len],
                    width: 1,
                    first,
                    simple: true,
                });
            }
        }
        // A region from here to the next boundary between two simple characters; it starts
        // after a simple character (or at the start), so it segments the same on its own.
        let mut end = first_len;
        let mut previous_simple = first_simple;
        for c in following.by_ref() {
            let simple = is_simple(c);
            if previous_simple && simple {
                self.ahead = Some((c, true));
                break;
            }
            previous_simple = simple;
            end += c.len_utf8();
        }
        self.at += end;
        let mut graphemes = rest[..end].grapheme_indices(true);
        let first_cluster = graphemes.next();
        self.region = Some((start, graphemes));
        first_cluster.map(|(offset, text)| complex(start + offset, text))
    }
}

/// A cluster found by `unicode-segmentation`.
fn complex(offset: usize, text: &str) -> Cluster<'_> {
    Cluster {
        offset,
        text,
        width: cluster_width(text),
        first: text.chars().next().expect("a cluster is never empty"),
        simple: false,
    }
}

/// Columns one grapheme cluster takes (unicode-width's width of the cluster, as ratatui counts).
pub(crate) fn cluster_width(cluster: &str) -> usize {
    let mut chars = cluster.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if is_simple(c) => 1,
        _ => cluster.width(),
    }
}

/// Columns ratatui gives the text: it draws grapheme by grapheme (so "لا" is two columns,
/// while unicode-width counts the whole string as one).
pub(crate) fn cells(text: &str) -> usize {
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && is_simple(c)
    {
        return 1;
    }
    let mut clusters = clusters(text);
    let mut width = 0;
    while let Some(cluster) = clusters.next_cluster() {
        width += cluster.width;
    }
    width
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn simple_chars() -> impl Iterator<Item = char> {
        (0..0x11000u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_simple(c))
    }

    fn split(text: &str) -> Vec<(usize, &str)> {
        clusters(text).collect()
    }

    #[test]
    fn simple_characters_are_one_column_and_no_context() {
        let mut count = 0;
        for s in simple_chars() {
            count += 1;
            let one = s.to_string();
            assert_eq!(one.width(), 1, "{s:?} is one column");
            // A boundary before and after it, whatever simple character is next to it.
            for other in ['a', 'ب', ' ', '«', '\u{fefb}'] {
                assert_eq!(format!("{other}{s}").graphemes(true).count(), 2, "{s:?}");
                assert_eq!(format!("{s}{other}").graphemes(true).count(), 2, "{s:?}");
            }
            // Of grapheme-break class Other: no Hangul jamo, no regional indicator, not an
            // emoji before a ZWJ, not an Indic consonant before a virama.
            for (text, expected) in [
                (format!("{s}\u{1161}"), 2),
                (format!("\u{1100}{s}"), 2),
                (format!("{s}\u{11a8}"), 2),
                (format!("{s}🇮"), 2),
                (format!("{s}\u{200d}😀"), 2),
                (format!("{s}\u{94d}\u{915}"), 2),
            ] {
                assert_eq!(text.graphemes(true).count(), expected, "{s:?} in {text:?}");
            }
        }
        assert!(count > 800);
    }

    #[test]
    fn splits_like_unicode_segmentation() {
        for text in [
            "",
            "a",
            "سلام",
            "می‌شود",
            "بَر",
            "a\u{200d}😀b",
            "👩\u{200d}💻 و 👍🏽",
            "🇮🇷🇮🇷🇮",
            "क्षि",
            "\u{64e}ab",
            "x\u{600}۱۲",
            "\r\na\rb\n",
            "한국어",
            "e\u{301}\u{301}",
        ] {
            let expected: Vec<(usize, &str)> = text.grapheme_indices(true).collect();
            assert_eq!(split(text), expected, "{text:?}");
            let width: usize = text.graphemes(true).map(UnicodeWidthStr::width).sum();
            assert_eq!(cells(text), width, "{text:?}");
        }
    }

    const PIECES: &[&str] = &[
        "a", "Z", " ", "1", "(", "«", "س", "لا", "ی", "۱", "٣", "\u{64e}", "\u{651}", "\u{670}",
        "\u{200c}", "\u{200d}", "\u{600}", "\u{6dd}", "\u{61c}", "😀", "👍", "🏽", "❤", "\u{fe0f}",
        "🇮", "🇷", "漢", "क", "\u{94d}", "ष", "ि", "\u{1100}", "\u{1161}", "\u{11a8}", "\r", "\n",
        "\u{1b}", "\u{ad}", "©", "\u{fefb}", "\u{fe8e}", "\u{301}", "\u{a0}", "\u{2066}",
    ];

    proptest! {
        #[test]
        fn random_text_splits_like_unicode_segmentation(
            pieces in prop::collection::vec(prop::sample::select(PIECES), 0..40)
        ) {
            let text = pieces.concat();
            let expected: Vec<(usize, &str)> = text.grapheme_indices(true).collect();
            prop_assert_eq!(split(&text), expected);
            let width: usize = text.graphemes(true).map(UnicodeWidthStr::width).sum();
            prop_assert_eq!(cells(&text), width);
        }
    }
}

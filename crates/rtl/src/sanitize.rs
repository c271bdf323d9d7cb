//! The sanitiser: what untrusted text may put into a terminal cell.
//!
//! Nothing that a terminal could act on survives: C0 and C1 controls, DEL, ESC and the 8-bit CSI
//! become visible markers; tabs expand to spaces; bidi embedding, override, isolate and mark
//! characters become visible markers, so a comment cannot reorder the text around it ("Trojan
//! Source"). Newlines (`\n`, `\r\n`, U+2028, U+2029) are kept as `\n`: they separate paragraphs.
//! ZWNJ and ZWJ are kept: Persian needs them.
//!
//! Markers (documented in the crate README):
//!
//! | input | shown as |
//! | --- | --- |
//! | C0 control U+0000–U+001F (except `\t`, `\n`) | its Control Pictures glyph, e.g. ESC → `␛`, BEL → `␇`, lone CR → `␍` |
//! | DEL U+007F | `␡` |
//! | C1 control U+0080–U+009F | `⟦NAME⟧` with the ECMA-48 name, e.g. U+009B → `⟦CSI⟧` |
//! | bidi controls U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C | `⟦LRE⟧ ⟦RLE⟧ ⟦PDF⟧ ⟦LRO⟧ ⟦RLO⟧ ⟦LRI⟧ ⟦RLI⟧ ⟦FSI⟧ ⟦PDI⟧ ⟦LRM⟧ ⟦RLM⟧ ⟦ALM⟧` |
//! | deprecated format controls U+206A–U+206F | `⟦ISS⟧ ⟦ASS⟧ ⟦IAFS⟧ ⟦AAFS⟧ ⟦NADS⟧ ⟦NODS⟧` |
//! | interlinear annotation U+FFF9–U+FFFB (can hide text) | `⟦IAA⟧ ⟦IAS⟧ ⟦IAT⟧` |

use std::borrow::Cow;
use std::ops::{ControlFlow, Range};

/// Tab stops every this many columns unless told otherwise (tui-textarea's default too).
pub const DEFAULT_TAB_WIDTH: u8 = 4;

/// One piece of sanitised text, with where it came from in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Source text kept as it is.
    Kept(Range<usize>),
    /// A source character shown as something else: a marker or the spaces of a tab.
    Replaced {
        source: Range<usize>,
        shown: Cow<'static, str>,
        kind: ReplacementKind,
    },
    /// A paragraph break (`\n`, `\r\n`, U+2028, U+2029).
    Newline(Range<usize>),
}

/// What a replacement stands for (the layout styles markers, not tabs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReplacementKind {
    Marker,
    Tab,
}

/// Sanitises untrusted text for display, with tab stops every [`DEFAULT_TAB_WIDTH`] columns.
///
/// Borrowed when the text needs no change. The result holds no C0/C1 control other than `\n`,
/// no DEL, and no bidi control character (see the module docs for the markers).
///
/// ```
/// use mosharekat_rtl::sanitize;
/// assert_eq!(sanitize("سلام"), "سلام");
/// assert_eq!(sanitize("a\u{202E}b"), "a⟦RLO⟧b");
/// assert_eq!(sanitize("\u{1b}]0;x\u{7}"), "␛]0;x␇");
/// assert_eq!(sanitize("\u{9b}2J"), "⟦CSI⟧2J");
/// assert_eq!(sanitize("a\tb"), "a   b");
/// ```
pub fn sanitize(text: &str) -> Cow<'_, str> {
    sanitize_with_tab_width(text, DEFAULT_TAB_WIDTH)
}

/// [`sanitize`] with tab stops every `tab_width` columns (`0` drops tabs).
pub fn sanitize_with_tab_width(text: &str, tab_width: u8) -> Cow<'_, str> {
    if is_clean(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut column = text.contains('\t').then_some(0);
    for_each_segment(text, tab_width, &mut column, |segment| match segment {
        Segment::Kept(range) => out.push_str(&text[range]),
        Segment::Replaced { shown, .. } => out.push_str(&shown),
        Segment::Newline(_) => out.push('\n'),
    });
    Cow::Owned(out)
}

/// True when [`sanitize`] would return the text unchanged.
pub fn is_clean(text: &str) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len())
        .filter(|&i| may_be_special(bytes, i))
        .all(|i| {
            let c = text[i..]
                .chars()
                .next()
                .expect("a lead byte starts a character");
            c == '\n' || classify(c) == CharClass::Plain
        })
}

/// True when the character is one the sanitiser never lets through (other than by a marker).
pub fn is_forbidden(c: char) -> bool {
    c != '\n' && classify(c) != CharClass::Plain
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Plain,
    Tab,
    CarriageReturn,
    Newline,
    Marker(&'static str),
}

fn classify(c: char) -> CharClass {
    match c {
        '\t' => CharClass::Tab,
        '\r' => CharClass::CarriageReturn,
        '\n' | '\u{2028}' | '\u{2029}' => CharClass::Newline,
        '\u{0}'..='\u{1f}' => CharClass::Marker(CONTROL_PICTURES[c as usize]),
        '\u{7f}' => CharClass::Marker("␡"),
        '\u{80}'..='\u{9f}' => CharClass::Marker(C1_MARKERS[c as usize - 0x80]),
        '\u{61c}' => CharClass::Marker("⟦ALM⟧"),
        '\u{200e}' => CharClass::Marker("⟦LRM⟧"),
        '\u{200f}' => CharClass::Marker("⟦RLM⟧"),
        '\u{202a}'..='\u{202e}' => {
            CharClass::Marker(["⟦LRE⟧", "⟦RLE⟧", "⟦PDF⟧", "⟦LRO⟧", "⟦RLO⟧"][c as usize - 0x202a])
        }
        '\u{2066}'..='\u{2069}' => {
            CharClass::Marker(["⟦LRI⟧", "⟦RLI⟧", "⟦FSI⟧", "⟦PDI⟧"][c as usize - 0x2066])
        }
        '\u{206a}'..='\u{206f}' => CharClass::Marker(
            ["⟦ISS⟧", "⟦ASS⟧", "⟦IAFS⟧", "⟦AAFS⟧", "⟦NADS⟧", "⟦NODS⟧"][c as usize - 0x206a],
        ),
        '\u{fff9}'..='\u{fffb}' => {
            CharClass::Marker(["⟦IAA⟧", "⟦IAS⟧", "⟦IAT⟧"][c as usize - 0xfff9])
        }
        _ => CharClass::Plain,
    }
}

/// U+2400.. Control Pictures for C0; `\t` and `\n` never reach this table.
const CONTROL_PICTURES: [&str; 32] = [
    "␀", "␁", "␂", "␃", "␄", "␅", "␆", "␇", "␈", "␉", "␊", "␋", "␌", "␍", "␎", "␏", "␐", "␑", "␒",
    "␓", "␔", "␕", "␖", "␗", "␘", "␙", "␚", "␛", "␜", "␝", "␞", "␟",
];

/// ECMA-48 / ISO 6429 names of the C1 controls.
const C1_MARKERS: [&str; 32] = [
    "⟦PAD⟧",
    "⟦HOP⟧",
    "⟦BPH⟧",
    "⟦NBH⟧",
    "⟦IND⟧",
    "⟦NEL⟧",
    "⟦SSA⟧",
    "⟦ESA⟧",
    "⟦HTS⟧",
    "⟦HTJ⟧",
    "⟦VTS⟧",
    "⟦PLD⟧",
    "⟦PLU⟧",
    "⟦RI⟧",
    "⟦SS2⟧",
    "⟦SS3⟧",
    "⟦DCS⟧",
    "⟦PU1⟧",
    "⟦PU2⟧",
    "⟦STS⟧",
    "⟦CCH⟧",
    "⟦MW⟧",
    "⟦SPA⟧",
    "⟦EPA⟧",
    "⟦SOS⟧",
    "⟦SGCI⟧",
    "⟦SCI⟧",
    "⟦CSI⟧",
    "⟦ST⟧",
    "⟦OSC⟧",
    "⟦PM⟧",
    "⟦APC⟧",
];

const SPACES: &str = "                                                                ";

/// Walks the source and reports it as segments. `column` is the display column the text starts
/// at (tab stops are counted from the start of the logical line) and is left where it ends;
/// `None` when the caller knows no tab follows, which saves measuring the text.
pub(crate) fn for_each_segment(
    text: &str,
    tab_width: u8,
    column: &mut Option<usize>,
    mut emit: impl FnMut(Segment),
) {
    try_for_each_segment(text, tab_width, column, |segment| {
        emit(segment);
        ControlFlow::Continue(())
    });
}

/// [`for_each_segment`] that stops when `emit` breaks (the layout stops after the rows it was
/// asked for).
pub(crate) fn try_for_each_segment(
    text: &str,
    tab_width: u8,
    column: &mut Option<usize>,
    mut emit: impl FnMut(Segment) -> ControlFlow<()>,
) {
    let bytes = text.as_bytes();
    let mut kept_from = 0;
    let mut next = 0;
    while let Some(at) = next_special(bytes, next) {
        let c = text[at..]
            .chars()
            .next()
            .expect("a lead byte starts a character");
        next = at + c.len_utf8();
        let class = classify(c);
        if class == CharClass::Plain {
            continue;
        }
        if kept_from < at {
            advance(column, cells_of(&text[kept_from..at]));
            if emit(Segment::Kept(kept_from..at)).is_break() {
                return;
            }
        }
        let mut end = at + c.len_utf8();
        match class {
            CharClass::Plain => unreachable!("handled above"),
            CharClass::Tab => {
                let tab_width = usize::from(tab_width);
                let at_column = column.unwrap_or(0);
                let spaces = if tab_width == 0 {
                    0
                } else {
                    tab_width - at_column % tab_width
                };
                advance(column, || spaces);
                if emit(Segment::Replaced {
                    source: at..end,
                    shown: Cow::Borrowed(&SPACES[..spaces.min(SPACES.len())]),
                    kind: ReplacementKind::Tab,
                })
                .is_break()
                {
                    return;
                }
            }
            CharClass::CarriageReturn if bytes.get(end) == Some(&b'\n') => {
                end += 1;
                next = end;
                if let Some(column) = column.as_mut() {
                    *column = 0;
                }
                if emit(Segment::Newline(at..end)).is_break() {
                    return;
                }
            }
            CharClass::CarriageReturn => {
                advance(column, || 1);
                if emit(Segment::Replaced {
                    source: at..end,
                    shown: Cow::Borrowed("␍"),
                    kind: ReplacementKind::Marker,
                })
                .is_break()
                {
                    return;
                }
            }
            CharClass::Newline => {
                if let Some(column) = column.as_mut() {
                    *column = 0;
                }
                if emit(Segment::Newline(at..end)).is_break() {
                    return;
                }
            }
            CharClass::Marker(shown) => {
                advance(column, || cells(shown));
                if emit(Segment::Replaced {
                    source: at..end,
                    shown: Cow::Borrowed(shown),
                    kind: ReplacementKind::Marker,
                })
                .is_break()
                {
                    return;
                }
            }
        }
        kept_from = end;
    }
    if kept_from < text.len() {
        advance(column, cells_of(&text[kept_from..]));
        // The last segment: nothing left to stop.
        let _ = emit(Segment::Kept(kept_from..text.len()));
    }
}

/// The first bytes [`may_be_special`] looks at further.
const LEAD: [bool; 256] = {
    let mut lead = [false; 256];
    let mut b = 0;
    while b < 256 {
        lead[b] = b < 0x20 || matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2 | 0xef);
        b += 1;
    }
    lead
};

/// The first offset from `from` where [`may_be_special`] holds.
fn next_special(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let lead = from + bytes[from..].iter().position(|&b| LEAD[usize::from(b)])?;
        if may_be_special(bytes, lead) {
            return Some(lead);
        }
        from = lead + 1;
    }
}

/// True when the bytes at `i` can start a character [`classify`] does not find plain, by its
/// first two bytes: C0 controls and DEL, C1 controls (U+0080–U+009F: C2 80–9F), the Arabic
/// letter mark (U+061C: D8 9C), the marks, separators, embeddings and isolates of
/// U+2000–U+207F (E2 80–81) and the interlinear annotations (U+FFF9–U+FFFB: EF BF). Text
/// between them is skipped byte by byte, Arabic letters included.
fn may_be_special(bytes: &[u8], i: usize) -> bool {
    let second = || bytes.get(i + 1).copied().unwrap_or(0);
    match bytes[i] {
        0..=0x1f | 0x7f => true,
        0xc2 => (0x80..=0x9f).contains(&second()),
        0xd8 => second() == 0x9c,
        0xe2 => matches!(second(), 0x80 | 0x81),
        0xef => second() == 0xbf,
        _ => false,
    }
}

/// Moves the column on when it is tracked.
fn advance(column: &mut Option<usize>, width: impl FnOnce() -> usize) {
    if let Some(column) = column.as_mut() {
        *column += width();
    }
}

fn cells_of(text: &str) -> impl FnOnce() -> usize + '_ {
    move || cells(text)
}

/// Columns the text takes in ratatui: the sum of its grapheme clusters' widths (not the width
/// of the whole string, which counts "لا" as one column).
fn cells(text: &str) -> usize {
    crate::cluster::cells(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_character_starts_with_a_byte_the_scan_stops_at() {
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            if classify(c) != CharClass::Plain {
                let mut utf8 = [0; 4];
                assert!(
                    may_be_special(c.encode_utf8(&mut utf8).as_bytes(), 0),
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn clean_text_is_borrowed() {
        let text = "می‌شود «نیم‌فاصله» (ZWNJ) و ZWJ: ک‍";
        assert!(matches!(sanitize(text), Cow::Borrowed(_)));
    }

    #[test]
    fn every_control_becomes_visible() {
        for c in (0u32..0x20).chain(0x7f..0xa0).filter_map(char::from_u32) {
            if c == '\n' || c == '\t' {
                continue;
            }
            let input = format!("a{c}b");
            let out = sanitize_with_tab_width(&input, 4);
            assert!(!out.chars().any(|o| o.is_control() && o != '\n'), "{c:?}");
            assert!(out.chars().count() > 2, "{c:?} must leave a visible marker");
        }
    }

    #[test]
    fn bidi_controls_become_named_markers() {
        assert_eq!(
            sanitize("\u{202b}\u{202c}\u{2067}\u{2069}\u{200f}\u{61c}"),
            "⟦RLE⟧⟦PDF⟧⟦RLI⟧⟦PDI⟧⟦RLM⟧⟦ALM⟧"
        );
    }

    #[test]
    fn newlines_are_normalised() {
        assert_eq!(sanitize("a\r\nb\rc\u{2029}d"), "a\nb␍c\nd");
    }

    #[test]
    fn tabs_expand_to_the_next_stop() {
        assert_eq!(sanitize_with_tab_width("ab\tc\n\td", 4), "ab  c\n    d");
        assert_eq!(sanitize_with_tab_width("سلام\tx", 8), "سلام    x");
        assert_eq!(sanitize_with_tab_width("a\tb", 0), "ab");
    }

    #[test]
    fn segments_point_back_to_the_source() {
        let text = "x\u{202e}y";
        let mut column = Some(0);
        let mut seen = Vec::new();
        for_each_segment(text, 4, &mut column, |s| seen.push(s));
        assert_eq!(
            seen,
            vec![
                Segment::Kept(0..1),
                Segment::Replaced {
                    source: 1..4,
                    shown: Cow::Borrowed("⟦RLO⟧"),
                    kind: ReplacementKind::Marker
                },
                Segment::Kept(4..5)
            ]
        );
        assert_eq!(column, Some(7));
    }
}

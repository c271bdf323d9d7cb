//! Line-break opportunities (UAX #14), as `unicode-linebreak` finds them, with a fast path for
//! plain prose.
//!
//! `unicode-linebreak` runs a pair-table state machine whose every step waits for the one
//! before. Text made only of letters (AL), digits (NU), spaces (SP), infix separators (IS:
//! `. , : ،`) and combining marks (CM: harakat, ZWNJ) — most Persian and English prose —
//! breaks in one place only: before a character that follows a space, unless it is another
//! space or an infix separator (a mark right after a space counts as a letter, rule LB10). The
//! tests check that rule against `unicode-linebreak` on every string of up to six of those
//! classes and on random text; any other class sends the text to `unicode-linebreak`.

use unicode_linebreak::{BreakClass, break_property, linebreaks};

/// Byte offsets where a line may break (before the character there), in order, the end of a
/// non-empty text included: the offsets of `unicode_linebreak::linebreaks(text)`.
pub(crate) fn break_offsets(text: &str, out: &mut Vec<usize>) {
    out.clear();
    if !text.is_empty() && prose_breaks(text, out) {
        return;
    }
    out.clear();
    out.extend(linebreaks(text).map(|(at, _)| at));
}

/// The fast path: false (and `out` half-filled) when the text holds another class.
fn prose_breaks(text: &str, out: &mut Vec<usize>) -> bool {
    // Never a break at the start (LB2): nothing is after a space yet.
    let mut after_space = false;
    for (at, c) in text.char_indices() {
        match break_property(c as u32) {
            BreakClass::Space => after_space = true,
            BreakClass::InfixSeparator => after_space = false,
            BreakClass::Alphabetic | BreakClass::Numeric => {
                if after_space {
                    out.push(at);
                }
                after_space = false;
            }
            // A mark takes the class of its base (rule LB9), or is a letter after a space or
            // at the start (LB10).
            BreakClass::CombiningMark => {
                if after_space {
                    out.push(at);
                    after_space = false;
                }
            }
            _ => return false,
        }
    }
    out.push(text.len());
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(text: &str) -> Vec<usize> {
        linebreaks(text).map(|(at, _)| at).collect()
    }

    fn ours(text: &str) -> Vec<usize> {
        let mut out = Vec::new();
        break_offsets(text, &mut out);
        out
    }

    #[test]
    fn every_short_string_of_prose_classes_breaks_like_unicode_linebreak() {
        // One character of each class the fast path takes: AL, NU, SP, IS, CM.
        let classes = ['a', '۱', ' ', '،', '\u{64e}'];
        let mut fast = 0;
        for len in 0..=6u32 {
            for k in 0..classes.len().pow(len) {
                let mut n = k;
                let text: String = (0..len)
                    .map(|_| {
                        let c = classes[n % classes.len()];
                        n /= classes.len();
                        c
                    })
                    .collect();
                let mut out = Vec::new();
                fast += usize::from(!text.is_empty() && prose_breaks(&text, &mut out));
                assert_eq!(ours(&text), reference(&text), "{text:?}");
            }
        }
        assert!(fast > 19_000);
    }

    #[test]
    fn the_classes_are_those_of_persian_prose() {
        for c in [
            'س', 'ی', 'a', 'Z', '۳', '1', ' ', '،', '.', ',', ':', '\u{64e}', '\u{200c}',
        ] {
            let mut out = Vec::new();
            assert!(prose_breaks(&c.to_string(), &mut out), "{c:?}");
        }
        assert_eq!(ours("این سند، ۳۰ روز."), reference("این سند، ۳۰ روز."));
    }

    const PIECES: &[&str] = &[
        "a", "س", " ", "  ", "1", "۱", "،", ".", ":", "\u{64e}", "\u{200c}", "\u{200d}", "(", ")",
        "-", "/", "«", "»", "!", "?", "%", "$", "😀", "漢", "\u{a0}", "\t", "\n", "'", "\"",
    ];

    proptest! {
        #[test]
        fn random_text_breaks_like_unicode_linebreak(
            pieces in prop::collection::vec(prop::sample::select(PIECES), 0..40)
        ) {
            let text = pieces.concat();
            prop_assert_eq!(ours(&text), reference(&text));
        }
    }
}

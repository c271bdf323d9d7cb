//! Bidi levels and reordering (UAX #9).
//!
//! The crate resolves the embedding levels of a paragraph (rules P2–I2) itself for paragraphs
//! without embeddings, and through `unicode-bidi` for the rest. This module applies
//! the per-line rules on top, over any kind of unit (characters for the conformance test,
//! grapheme clusters for display): L1 (reset trailing whitespace and separators), L2 (visual
//! order) and L4 (mirrored glyphs, from the Unicode `BidiMirroring.txt` data shipped in the
//! crate). L3 is honoured by reordering whole grapheme clusters, so a combining mark never leaves
//! its base.
//!
//! This is the engine's own line API: [`reorder_line`] is what the conformance test runs against
//! `BidiCharacterTest.txt`. It takes trusted text: untrusted text goes through
//! [`crate::sanitize()`] (the layout does that itself).

use std::sync::OnceLock;

/// The bidi class of a character (`unicode-bidi` 0.3's), the input of [`apply_l1`].
pub use unicode_bidi::BidiClass;
use unicode_bidi::BidiClass::*;

use crate::levels::{self, class_of};
use crate::options::Direction;

/// The direction a paragraph resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BaseDirection {
    /// Left to right: paragraph level 0.
    #[default]
    Ltr,
    /// Right to left: paragraph level 1.
    Rtl,
}

impl BaseDirection {
    /// The paragraph embedding level.
    pub fn level(self) -> u8 {
        match self {
            BaseDirection::Ltr => 0,
            BaseDirection::Rtl => 1,
        }
    }

    /// True for right to left.
    pub fn is_rtl(self) -> bool {
        self == BaseDirection::Rtl
    }
}

/// A line in visual order, as the conformance test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReorderedLine {
    /// The paragraph embedding level.
    pub paragraph_level: u8,
    /// The level of each character after rule L1 (characters removed by rule X9 included).
    pub levels: Vec<u8>,
    /// Character indices in visual order, left to right (rule L2).
    pub visual: Vec<usize>,
}

/// Reorders one line of trusted text, char by char: levels from the whole text, then L1 and L2.
///
/// `direction` forces the paragraph direction or, for [`Direction::Auto`], takes it from the
/// first strong character (rules P2, P3) and `fallback` when there is none.
///
/// ```
/// use mosharekat_rtl::bidi::{reorder_line, BaseDirection};
/// use mosharekat_rtl::Direction;
///
/// let line = reorder_line("ab سل", Direction::Auto, BaseDirection::Ltr);
/// assert_eq!(line.paragraph_level, 0);
/// assert_eq!(line.levels, [0, 0, 0, 1, 1]);
/// assert_eq!(line.visual, [0, 1, 2, 4, 3]);
/// ```
pub fn reorder_line(text: &str, direction: Direction, fallback: BaseDirection) -> ReorderedLine {
    let base = resolve_direction(text, direction, fallback);
    let chars: Vec<char> = text.chars().collect();
    let mut classes: Vec<BidiClass> = chars.iter().map(|&c| class_of(c)).collect();
    let mut levels = levels::resolve(&chars, &mut classes, base.level());
    apply_l1(&classes, &mut levels, base.level());
    let visual = visual_order(&levels);
    ReorderedLine {
        paragraph_level: base.level(),
        levels,
        visual,
    }
}

/// True for the characters rule X9 removes (their level is irrelevant to display).
pub fn removed_by_x9(c: char) -> bool {
    matches!(class_of(c), RLE | LRE | RLO | LRO | PDF | BN)
}

/// The paragraph direction: forced, or from the first strong character outside isolates.
pub fn resolve_direction(
    text: &str,
    direction: Direction,
    fallback: BaseDirection,
) -> BaseDirection {
    match direction {
        Direction::Ltr => BaseDirection::Ltr,
        Direction::Rtl => BaseDirection::Rtl,
        Direction::Auto => first_strong(text).unwrap_or(fallback),
    }
}

/// Rules P2 and P3: the first L, R or AL character, skipping isolates, up to a paragraph break;
/// `None` when there is none (digits and punctuation only).
///
/// ```
/// use mosharekat_rtl::bidi::{first_strong, BaseDirection};
///
/// assert_eq!(first_strong("۱۴۰۳ سال"), Some(BaseDirection::Rtl));
/// assert_eq!(first_strong("\u{2066}abc\u{2069} سلام"), Some(BaseDirection::Rtl));
/// assert_eq!(first_strong("42!"), None);
/// ```
pub fn first_strong(text: &str) -> Option<BaseDirection> {
    first_strong_class(text.chars().map(class_of))
}

/// [`first_strong`] over the characters' classes.
pub(crate) fn first_strong_class(
    classes: impl IntoIterator<Item = BidiClass>,
) -> Option<BaseDirection> {
    let mut isolate_depth = 0usize;
    for class in classes {
        match class {
            L if isolate_depth == 0 => return Some(BaseDirection::Ltr),
            R | AL if isolate_depth == 0 => return Some(BaseDirection::Rtl),
            LRI | RLI | FSI => isolate_depth += 1,
            PDI => isolate_depth = isolate_depth.saturating_sub(1),
            B => return None,
            _ => {}
        }
    }
    None
}

/// Rule L1 for one line, over units given by the class and level of their first character.
///
/// Segment and paragraph separators, and any run of whitespace, isolate controls and characters
/// removed by X9 before them or at the end of the line, go to the paragraph level. Characters
/// removed by X9 elsewhere take the level of the unit before them, so they never split a run
/// (UAX #9 section 5.2, "Retaining BNs and Explicit Formatting Characters").
pub fn apply_l1(classes: &[BidiClass], levels: &mut [u8], paragraph_level: u8) {
    debug_assert_eq!(classes.len(), levels.len());
    let mut reset_from: Option<usize> = Some(0);
    let mut prev_level = paragraph_level;
    for i in 0..classes.len() {
        match classes[i] {
            B | S => {
                let from = reset_from.unwrap_or(i);
                levels[from..=i].fill(paragraph_level);
                reset_from = None;
            }
            WS | FSI | LRI | RLI | PDI => {
                reset_from.get_or_insert(i);
            }
            RLE | LRE | RLO | LRO | PDF | BN => {
                reset_from.get_or_insert(i);
                levels[i] = prev_level;
            }
            _ => reset_from = None,
        }
        prev_level = levels[i];
    }
    if let Some(from) = reset_from {
        levels[from..].fill(paragraph_level);
    }
}

/// Rule L2: the logical index of each unit, in visual order from left to right.
pub fn visual_order(levels: &[u8]) -> Vec<usize> {
    let mut order = Vec::new();
    visual_order_into(levels, &mut order, &mut Vec::new());
    order
}

/// [`visual_order`] into `order`, with `work` for the levels as the runs are reversed (both
/// reused from row to row).
pub(crate) fn visual_order_into(levels: &[u8], order: &mut Vec<usize>, work: &mut Vec<u8>) {
    order.clear();
    order.extend(0..levels.len());
    let (lowest, highest) = levels
        .iter()
        .fold((u8::MAX, 0), |(lo, hi), &l| (lo.min(l), hi.max(l)));
    if levels.is_empty() || highest % 2 == 0 && lowest == highest {
        return;
    }
    if lowest == highest {
        // One odd level: the whole row reverses.
        order.reverse();
        return;
    }
    let Some(lowest_odd) = levels.iter().copied().filter(|l| l % 2 == 1).min() else {
        return;
    };
    // Levels are read through `order` so each pass sees the runs as they stand.
    work.clear();
    work.extend_from_slice(levels);
    let visual_levels = work;
    for level in (lowest_odd..=highest).rev() {
        let mut i = 0;
        while i < visual_levels.len() {
            if visual_levels[i] < level {
                i += 1;
                continue;
            }
            let start = i;
            while i < visual_levels.len() && visual_levels[i] >= level {
                i += 1;
            }
            order[start..i].reverse();
            visual_levels[start..i].reverse();
        }
    }
}

/// Rule L4: the mirrored glyph of a character shown at an odd (right-to-left) level, from
/// Unicode's `BidiMirroring.txt`; `None` for a character without one.
///
/// ```
/// use mosharekat_rtl::bidi::mirrored;
///
/// assert_eq!(mirrored('('), Some(')'));
/// assert_eq!(mirrored('«'), Some('»'));
/// assert_eq!(mirrored('≤'), Some('≥'));
/// assert_eq!(mirrored('س'), None);
/// ```
pub fn mirrored(c: char) -> Option<char> {
    // Below U+0F3A only these have mirrors (BidiMirroring.txt; a test holds this to the file).
    if c < '\u{f3a}' {
        return match c {
            '(' => Some(')'),
            ')' => Some('('),
            '<' => Some('>'),
            '>' => Some('<'),
            '[' => Some(']'),
            ']' => Some('['),
            '{' => Some('}'),
            '}' => Some('{'),
            '«' => Some('»'),
            '»' => Some('«'),
            _ => None,
        };
    }
    // Nor do the Arabic presentation forms (what shaping draws).
    if ('\u{fb50}'..='\u{fdff}').contains(&c) || ('\u{fe70}'..='\u{feff}').contains(&c) {
        return None;
    }
    mirrored_in_table(c)
}

/// The mirror of a character from the Unicode data file.
fn mirrored_in_table(c: char) -> Option<char> {
    let table = MIRRORS.get_or_init(parse_mirroring);
    table
        .binary_search_by_key(&c, |&(from, _)| from)
        .ok()
        .map(|i| table[i].1)
}

static MIRRORS: OnceLock<Vec<(char, char)>> = OnceLock::new();

/// The Unicode data file itself, so the table cannot drift from the standard.
const BIDI_MIRRORING: &str = include_str!("../data/BidiMirroring.txt");

fn parse_mirroring() -> Vec<(char, char)> {
    let mut pairs: Vec<(char, char)> = BIDI_MIRRORING
        .lines()
        .filter_map(|line| {
            let data = line.split('#').next()?.trim();
            let (from, to) = data.split_once(';')?;
            let from = char::from_u32(u32::from_str_radix(from.trim(), 16).ok()?)?;
            let to = char::from_u32(u32::from_str_radix(to.trim(), 16).ok()?)?;
            Some((from, to))
        })
        .collect();
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l2_reverses_runs_from_the_highest_level() {
        assert_eq!(
            visual_order(&[0, 0, 0, 1, 1, 1, 2, 2]),
            vec![0, 1, 2, 6, 7, 5, 4, 3]
        );
        assert_eq!(visual_order(&[1, 1, 1]), vec![2, 1, 0]);
        assert_eq!(visual_order(&[1, 2, 2, 1]), vec![3, 1, 2, 0]);
        assert!(visual_order(&[]).is_empty());
    }

    #[test]
    fn l1_resets_trailing_whitespace() {
        let classes = [R, WS, R, WS, WS];
        let mut levels = [1, 1, 1, 1, 1];
        apply_l1(&classes, &mut levels, 0);
        assert_eq!(levels, [1, 1, 1, 0, 0]);
    }

    #[test]
    fn persian_line_reverses() {
        let line = reorder_line("سلام", Direction::Auto, BaseDirection::Ltr);
        assert_eq!(line.paragraph_level, 1);
        assert_eq!(line.visual, vec![3, 2, 1, 0]);
    }

    #[test]
    fn first_strong_skips_isolates() {
        assert_eq!(
            first_strong("\u{2066}abc\u{2069} سلام"),
            Some(BaseDirection::Rtl)
        );
        assert_eq!(first_strong("123 ۴۵۶"), None);
    }

    #[test]
    fn the_mirrors_below_tibetan_are_those_of_the_data_file() {
        let presentation_forms = (0xfb50..=0xfdff).chain(0xfe70..=0xfeff);
        for c in (0..0xf3a)
            .chain(presentation_forms)
            .filter_map(char::from_u32)
        {
            assert_eq!(mirrored(c), mirrored_in_table(c), "{c:?}");
        }
    }

    #[test]
    fn visual_order_shortcuts_agree_with_the_runs() {
        for levels in [
            &[0u8, 0, 0][..],
            &[1, 1, 1],
            &[2, 2],
            &[3],
            &[1, 2, 1],
            &[0, 1, 0, 2],
        ] {
            let mut expected: Vec<usize> = (0..levels.len()).collect();
            let highest = levels.iter().copied().max().unwrap();
            let lowest_odd = levels.iter().copied().filter(|l| l % 2 == 1).min();
            if let Some(lowest_odd) = lowest_odd {
                let mut visual = levels.to_vec();
                for level in (lowest_odd..=highest).rev() {
                    let mut i = 0;
                    while i < visual.len() {
                        if visual[i] < level {
                            i += 1;
                            continue;
                        }
                        let start = i;
                        while i < visual.len() && visual[i] >= level {
                            i += 1;
                        }
                        expected[start..i].reverse();
                        visual[start..i].reverse();
                    }
                }
            }
            assert_eq!(visual_order(levels), expected, "{levels:?}");
        }
    }

    #[test]
    fn mirroring_comes_from_the_unicode_data() {
        assert_eq!(mirrored('('), Some(')'));
        assert_eq!(mirrored('«'), Some('»'));
        assert_eq!(mirrored('⟦'), Some('⟧'));
        assert_eq!(mirrored('a'), None);
    }
}

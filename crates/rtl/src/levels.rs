//! Resolved bidi levels of a paragraph (UAX #9 rules X1–I2), one per character.
//!
//! Nearly every paragraph the layout sees has no embedding or override (the sanitiser turns
//! those into markers) and at most flat LRI … PDI isolates (the ones the layout puts around
//! URLs, numbers and markers). For those, this module resolves the levels itself, per character
//! and in a few passes, instead of through `unicode-bidi`'s per-byte paragraph analysis: the
//! rules are the same code as `unicode-bidi` 0.3's (`explicit.rs`, `prepare.rs`,
//! `implicit.rs`), including its handling of retained BNs, so the levels come out identical
//! (a property test checks that on random text, and the conformance test runs through here).
//! Anything else — embeddings, overrides, RLI, FSI, nested or unmatched isolates, paragraph
//! and segment separators, over 63 open brackets — goes to `unicode-bidi`.

use std::sync::OnceLock;

use unicode_bidi::BidiClass::{self, *};
use unicode_bidi::data_source::BidiMatchedOpeningBracket;
use unicode_bidi::{BidiDataSource, HardcodedBidiData, Level, ParagraphBidiInfo};

/// The bidi class of a character (`unicode_bidi::bidi_class`, from a table for the Latin,
/// Hebrew, Arabic and general punctuation blocks).
pub(crate) fn class_of(c: char) -> BidiClass {
    class_table()(c)
}

/// [`class_of`], with the table looked up once (for a loop over many characters).
pub(crate) fn class_table() -> impl Fn(char) -> BidiClass + Copy {
    let table: &'static [BidiClass] = CLASSES.get_or_init(|| {
        (0..LOW_END)
            .chain(PUNCTUATION_START..PUNCTUATION_END)
            .map(|code| char::from_u32(code as u32).map_or(L, unicode_bidi::bidi_class))
            .collect()
    });
    move |c: char| {
        let code = c as usize;
        if code < LOW_END {
            table[code]
        } else if (PUNCTUATION_START..PUNCTUATION_END).contains(&code) {
            table[LOW_END + code - PUNCTUATION_START]
        } else {
            unicode_bidi::bidi_class(c)
        }
    }
}

const LOW_END: usize = 0x800;
const PUNCTUATION_START: usize = 0x2000;
const PUNCTUATION_END: usize = 0x2070;
static CLASSES: OnceLock<Vec<BidiClass>> = OnceLock::new();

/// The characters of a paragraph for [`resolve`], with each run of strong letters or of
/// digits of one class (L, R, AL, EN, AN) kept as its first character: no rule of X1–I2 tells
/// the members of such a run apart (each takes the class and level of its neighbour, and the
/// rules look at classes, never at counts), so a Persian word costs the resolver one step.
#[derive(Debug, Default)]
pub(crate) struct Analysis {
    pub chars: Vec<char>,
    pub classes: Vec<BidiClass>,
}

impl Analysis {
    pub fn clear(&mut self) {
        self.chars.clear();
        self.classes.clear();
    }

    /// Adds a character; returns the index of the entry that stands for it.
    pub fn push(&mut self, c: char, class: BidiClass) -> usize {
        if matches!(class, L | R | AL | EN | AN) && self.classes.last() == Some(&class) {
            return self.classes.len() - 1;
        }
        self.chars.push(c);
        self.classes.push(class);
        self.classes.len() - 1
    }

    /// The levels of the entries ([`resolve`]).
    pub fn resolve(&mut self, paragraph_level: u8) -> Vec<u8> {
        resolve(&self.chars, &mut self.classes, paragraph_level)
    }
}

/// The levels (before rule L1) of each character of one paragraph at `paragraph_level` (0 or
/// 1). `classes` holds each character's class and is left as `unicode-bidi` reports the
/// original classes (it resolves an FSI's class to LRI or RLI).
pub(crate) fn resolve(chars: &[char], classes: &mut [BidiClass], paragraph_level: u8) -> Vec<u8> {
    debug_assert_eq!(chars.len(), classes.len());
    if let Some(levels) = resolve_flat(chars, classes, paragraph_level) {
        return levels;
    }
    let text: String = chars.iter().collect();
    let level = Level::new(paragraph_level).expect("0 and 1 are valid levels");
    let info = ParagraphBidiInfo::new(&text, Some(level));
    let mut levels = Vec::with_capacity(chars.len());
    for (i, (at, _)) in text.char_indices().enumerate() {
        levels.push(info.levels[at].number());
        classes[i] = info.original_classes[at];
    }
    levels
}

/// [`resolve`] for a paragraph with no explicit embedding and only flat, matched LRI … PDI
/// isolates; `None` for any other paragraph.
fn resolve_flat(chars: &[char], classes: &[BidiClass], paragraph_level: u8) -> Option<Vec<u8>> {
    let n = chars.len();
    let e = paragraph_level;
    // X1–X8: everything at the paragraph level, the inside of an isolate at the next even
    // level (2 from either paragraph level).
    const ISOLATE_LEVEL: u8 = 2;
    let mut levels = Vec::with_capacity(n);
    let mut isolates: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<usize> = None;
    for (i, &class) in classes.iter().enumerate() {
        match class {
            LRE | RLE | LRO | RLO | PDF | RLI | FSI | B | S => return None,
            LRI => {
                if open.is_some() {
                    return None;
                }
                open = Some(i);
                levels.push(e);
            }
            PDI => {
                isolates.push((open.take()? + 1, i));
                levels.push(e);
            }
            _ => levels.push(if open.is_some() { ISOLATE_LEVEL } else { e }),
        }
    }
    if open.is_some() {
        return None;
    }

    // X10: the isolating run sequences. The outer one holds everything outside the isolates,
    // the LRI and PDI, and the BNs just after an LRI (X9 removed them, so they do not start
    // the isolate's level run); each isolate's content from its first other character is a
    // sequence of its own.
    let mut processing = classes.to_vec();
    let mut outer: Vec<u32> = Vec::with_capacity(n);
    let mut inner: Vec<(usize, usize)> = Vec::new();
    let mut next_isolate = isolates.iter().peekable();
    let mut i = 0;
    while i < n {
        if let Some(&&(start, end)) = next_isolate.peek()
            && start == i
        {
            next_isolate.next();
            let mut first = start;
            while first < end && classes[first] == BN {
                outer.push(first as u32);
                first += 1;
            }
            if first < end {
                inner.push((first, end));
            }
            i = end;
            continue;
        }
        outer.push(i as u32);
        i += 1;
    }
    let e_class = if e.is_multiple_of(2) { L } else { R };
    let mut work = Work::default();
    work.resolve_sequence(&outer, e_class, e_class, chars, classes, &mut processing)?;
    let mut indices = Vec::new();
    for (start, end) in inner {
        indices.clear();
        indices.extend(start as u32..end as u32);
        // Inside, the level is 2 and the neighbours' levels lower: sos and eos are L.
        work.resolve_sequence(&indices, L, L, chars, classes, &mut processing)?;
    }

    // I1, I2.
    for (level, &class) in levels.iter_mut().zip(&processing) {
        match (*level % 2 == 1, class) {
            (false, AN | EN) => *level += 2,
            (false, R) | (true, L | EN | AN) => *level += 1,
            _ => {}
        }
    }
    // Characters removed by X9 take the level of the character before them.
    for i in 0..n {
        if classes[i] == BN {
            levels[i] = if i > 0 { levels[i - 1] } else { e };
        }
    }
    Some(levels)
}

/// The opening bracket of the pair a character belongs to (BidiBrackets.txt, through
/// `unicode-bidi`, which searches its table from the start: ASCII is answered here).
fn paired_bracket(c: char) -> Option<BidiMatchedOpeningBracket> {
    let (opening, is_open) = match c {
        '(' | '[' | '{' => (c, true),
        ')' => ('(', false),
        ']' => ('[', false),
        '}' => ('{', false),
        _ if c.is_ascii() => return None,
        _ => return HardcodedBidiData.bidi_matched_opening_bracket(c),
    };
    Some(BidiMatchedOpeningBracket { opening, is_open })
}

/// Buffers reused across the sequences of a paragraph.
#[derive(Default)]
struct Work {
    et_run: Vec<u32>,
    bn_run: Vec<u32>,
    brackets: Vec<(char, usize)>,
    pairs: Vec<(usize, usize)>,
}

impl Work {
    /// W1–W7 and N0–N2 over one isolating run sequence, given as the indices of its
    /// characters; `None` when it has more open brackets than BD16 tracks.
    fn resolve_sequence(
        &mut self,
        seq: &[u32],
        sos: BidiClass,
        eos: BidiClass,
        chars: &[char],
        original: &[BidiClass],
        processing: &mut [BidiClass],
    ) -> Option<()> {
        // The embedding direction: the sequence's level is the one its sos was taken from.
        let e = sos;
        self.resolve_weak(seq, sos, eos, processing);
        self.resolve_neutral(seq, sos, eos, e, chars, original, processing)
    }

    fn resolve_weak(
        &mut self,
        seq: &[u32],
        sos: BidiClass,
        eos: BidiClass,
        processing: &mut [BidiClass],
    ) {
        let p = processing;
        let mut prev_before_w4 = sos;
        let mut prev_before_w5 = sos;
        let mut prev_before_w1 = sos;
        let mut last_strong_is_al = false;
        self.et_run.clear();
        self.bn_run.clear();
        for (pos, &index) in seq.iter().enumerate() {
            let i = index as usize;
            if p[i] == BN {
                self.bn_run.push(index);
                continue;
            }
            let mut w2_class = p[i];
            // W1.
            if p[i] == NSM {
                p[i] = match prev_before_w1 {
                    RLI | LRI | FSI | PDI => ON,
                    class => class,
                };
                w2_class = p[i];
            }
            prev_before_w1 = p[i];
            // W2, W3.
            match p[i] {
                EN if last_strong_is_al => p[i] = AN,
                AL => p[i] = R,
                _ => {}
            }
            match w2_class {
                L | R => last_strong_is_al = false,
                AL => last_strong_is_al = true,
                _ => {}
            }
            let class_before_w456 = p[i];
            match p[i] {
                // W5: terminators before a European number.
                EN => {
                    for &j in &self.et_run {
                        p[j as usize] = EN;
                    }
                    self.et_run.clear();
                }
                // W4, and W6 for separators.
                ES | CS => {
                    let mut next = seq[pos + 1..]
                        .iter()
                        .map(|&j| p[j as usize])
                        .find(|&c| c != BN)
                        .unwrap_or(eos);
                    if next == EN && last_strong_is_al {
                        next = AN;
                    }
                    p[i] = match (prev_before_w4, p[i], next) {
                        (EN, ES, EN) | (EN, CS, EN) => EN,
                        (AN, CS, AN) => AN,
                        _ => ON,
                    };
                    if p[i] == ON {
                        for &j in seq[..pos].iter().rev() {
                            if p[j as usize] != BN {
                                break;
                            }
                            p[j as usize] = ON;
                        }
                        for &j in &seq[pos + 1..] {
                            if p[j as usize] != BN {
                                break;
                            }
                            p[j as usize] = ON;
                        }
                    }
                }
                // W5: terminators after a European number.
                ET => match prev_before_w5 {
                    EN => p[i] = EN,
                    _ => {
                        self.et_run.extend_from_slice(&self.bn_run);
                        self.et_run.push(index);
                    }
                },
                _ => {}
            }
            self.bn_run.clear();
            prev_before_w5 = p[i];
            // W6 for terminators not next to a European number.
            if prev_before_w5 != ET {
                for &j in &self.et_run {
                    p[j as usize] = ON;
                }
                self.et_run.clear();
            }
            prev_before_w4 = class_before_w456;
        }
        for &j in &self.et_run {
            p[j as usize] = ON;
        }
        self.et_run.clear();
        // W7.
        let mut last_strong_is_l = sos == L;
        for &index in seq {
            let i = index as usize;
            match p[i] {
                EN if last_strong_is_l => p[i] = L,
                L => last_strong_is_l = true,
                R | AL => last_strong_is_l = false,
                _ => {}
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn resolve_neutral(
        &mut self,
        seq: &[u32],
        sos: BidiClass,
        eos: BidiClass,
        e: BidiClass,
        chars: &[char],
        original: &[BidiClass],
        processing: &mut [BidiClass],
    ) -> Option<()> {
        let p = processing;
        let not_e = if e == L { R } else { L };
        // BD16: bracket pairs, by position in the sequence.
        self.brackets.clear();
        self.pairs.clear();
        for (pos, &index) in seq.iter().enumerate() {
            let i = index as usize;
            if p[i] != ON {
                continue;
            }
            let Some(bracket) = paired_bracket(chars[i]) else {
                continue;
            };
            if bracket.is_open {
                if self.brackets.len() >= 63 {
                    return None;
                }
                self.brackets.push((bracket.opening, pos));
            } else if let Some(k) = self
                .brackets
                .iter()
                .rposition(|&(opening, _)| opening == bracket.opening)
            {
                self.pairs.push((self.brackets[k].1, pos));
                self.brackets.truncate(k);
            }
        }
        self.pairs.sort_by_key(|&(open, _)| open);
        // N0.
        for &(open, close) in &self.pairs {
            let mut found_e = false;
            let mut found_not_e = false;
            for &j in &seq[open + 1..close] {
                let class = p[j as usize];
                if class == e {
                    found_e = true;
                } else if class == not_e {
                    found_not_e = true;
                } else if matches!(class, EN | AN) {
                    if e == L {
                        found_not_e = true;
                    } else {
                        found_e = true;
                    }
                }
                if found_e {
                    break;
                }
            }
            let class = if found_e {
                e
            } else if found_not_e {
                match seq[..open]
                    .iter()
                    .rev()
                    .map(|&j| p[j as usize])
                    .find(|c| matches!(c, L | R | EN | AN))
                    .unwrap_or(sos)
                {
                    EN | AN => R,
                    strong => strong,
                }
            } else {
                continue;
            };
            p[seq[open] as usize] = class;
            p[seq[close] as usize] = class;
            for &j in seq[..open].iter().rev() {
                if p[j as usize] != BN {
                    break;
                }
                p[j as usize] = class;
            }
            for after in [open, close] {
                for &j in &seq[after + 1..] {
                    let j = j as usize;
                    if original[j] == NSM || p[j] == BN {
                        p[j] = class;
                    } else {
                        break;
                    }
                }
            }
        }
        // N1, N2.
        let is_neutral = |c: BidiClass| matches!(c, B | S | WS | ON | FSI | LRI | RLI | PDI | BN);
        let mut prev = sos;
        let mut pos = 0;
        while pos < seq.len() {
            let class = p[seq[pos] as usize];
            if !is_neutral(class) {
                prev = class;
                pos += 1;
                continue;
            }
            let start = pos;
            pos += 1;
            let next = loop {
                match seq.get(pos) {
                    None => break eos,
                    Some(&j) if is_neutral(p[j as usize]) => pos += 1,
                    Some(&j) => break p[j as usize],
                }
            };
            let resolved = match (prev, next) {
                (L, L) => L,
                (R | AN | EN, R | AN | EN) => R,
                _ => e,
            };
            for &j in &seq[start..pos] {
                p[j as usize] = resolved;
            }
            // The character that ended the run is not neutral: it is the next one's `prev`.
            prev = next;
            pos += 1;
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ascii_brackets_are_those_of_unicode_bidi() {
        for c in (0..0x80u32).filter_map(char::from_u32) {
            let ours = paired_bracket(c).map(|b| (b.opening, b.is_open));
            let theirs = HardcodedBidiData
                .bidi_matched_opening_bracket(c)
                .map(|b| (b.opening, b.is_open));
            assert_eq!(ours, theirs, "{c:?}");
        }
    }

    #[test]
    fn walks_back_across_an_isolate_as_uax9_says() {
        // In an RTL paragraph, "(d)" holds an L; the strong character before it, past the
        // isolate, is the R of "ج", so the brackets take R and stay at level 1. (unicode-bidi
        // 0.3 reads the run before the isolate front to back and finds the "a": level 2.)
        let text = "abc ج \u{2066}x\u{2069} (d)";
        let chars: Vec<char> = text.chars().collect();
        let mut classes: Vec<BidiClass> = chars.iter().map(|&c| class_of(c)).collect();
        let levels = resolve(&chars, &mut classes, 1);
        let open = chars.iter().position(|&c| c == '(').unwrap();
        assert_eq!(levels[open], 1);
        assert_eq!(levels[chars.len() - 1], 1);
        assert_eq!((classes.clone(), levels), reference(text, 1));
    }

    #[test]
    fn the_table_is_unicode_bidi() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            assert_eq!(class_of(c), unicode_bidi::bidi_class(c), "{c:?}");
        }
    }

    /// What `unicode-bidi` says, per character.
    fn unicode_bidi(text: &str, level: u8) -> (Vec<BidiClass>, Vec<u8>) {
        let info = ParagraphBidiInfo::new(text, Some(Level::new(level).unwrap()));
        text.char_indices()
            .map(|(at, _)| (info.original_classes[at], info.levels[at].number()))
            .unzip()
    }

    /// What UAX #9 says, per character, built from `unicode-bidi` without letting it walk an
    /// isolating run sequence backwards across an isolate (where 0.3 visits the earlier runs
    /// front to back, servo/unicode-bidi#141): for a paragraph with flat isolates, the outer
    /// sequence is the paragraph with each isolate emptied (its LRI, leading BNs and PDI kept:
    /// the content was never part of it), and each isolate's content from its first non-BN
    /// character is an LTR paragraph of its own, two levels up (sos and eos L at level 2).
    /// Other paragraphs: `unicode-bidi` as it is.
    fn reference(text: &str, level: u8) -> (Vec<BidiClass>, Vec<u8>) {
        let chars: Vec<char> = text.chars().collect();
        let (classes, _) = unicode_bidi(text, level);
        let explicit = chars.iter().any(|&c| {
            matches!(
                unicode_bidi::bidi_class(c),
                LRE | RLE | LRO | RLO | PDF | RLI | FSI | B | S
            )
        });
        if explicit || !isolates_are_flat(text) || !chars.contains(&'\u{2066}') {
            return unicode_bidi(text, level);
        }
        let mut levels = vec![0u8; chars.len()];
        let mut outer = String::new();
        let mut outer_at = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            outer_at.push(i);
            outer.push(chars[i]);
            if chars[i] == '\u{2066}' {
                let close = i + chars[i..].iter().position(|&c| c == '\u{2069}').unwrap();
                let mut first = i + 1;
                while first < close && classes[first] == BN {
                    outer_at.push(first);
                    outer.push(chars[first]);
                    first += 1;
                }
                let content: String = chars[first..close].iter().collect();
                let (_, inner) = unicode_bidi(&content, 0);
                for (k, l) in inner.into_iter().enumerate() {
                    levels[first + k] = l + 2;
                }
                i = close;
                continue;
            }
            i += 1;
        }
        let (_, outer_levels) = unicode_bidi(&outer, level);
        for (&at, l) in outer_at.iter().zip(outer_levels) {
            levels[at] = l;
        }
        // X9-removed characters take the level of the character before them, in the whole text.
        for i in 0..chars.len() {
            if classes[i] == BN {
                levels[i] = if i > 0 { levels[i - 1] } else { level };
            }
        }
        (classes, levels)
    }

    fn ours(text: &str, level: u8) -> (Vec<BidiClass>, Vec<u8>, bool) {
        let chars: Vec<char> = text.chars().collect();
        let mut classes: Vec<BidiClass> = chars.iter().map(|&c| class_of(c)).collect();
        let flat = resolve_flat(&chars, &classes, level).is_some();
        let levels = resolve(&chars, &mut classes, level);
        (classes, levels, flat)
    }

    #[test]
    fn collapsed_runs_resolve_like_every_character() {
        let texts = [
            "سلام دنیا ۱۲۳ abc (def) ٣٤ «قول»",
            "ab\u{200c}cd ۱۲\u{2066}x۱y\u{2069}zz",
        ];
        for text in texts {
            for level in [0, 1] {
                let chars: Vec<char> = text.chars().collect();
                let mut classes: Vec<BidiClass> = chars.iter().map(|&c| class_of(c)).collect();
                let full = resolve(&chars, &mut classes, level);
                let mut analysis = Analysis::default();
                let at: Vec<usize> = chars
                    .iter()
                    .map(|&c| analysis.push(c, class_of(c)))
                    .collect();
                assert!(analysis.chars.len() < chars.len());
                let collapsed = analysis.resolve(level);
                let expanded: Vec<u8> = at.iter().map(|&i| collapsed[i]).collect();
                assert_eq!(expanded, full, "{text:?}");
            }
        }
    }

    #[test]
    fn persian_with_numbers_and_isolates() {
        for text in [
            "سلام",
            "این ۳۰ روز است.",
            "به \u{2066}https://a.ir/\u{2069} بروید",
            "(الف) و [b] ۱۴۰۳/۳/۱۵ و 1403-27 ۲۰٪",
            "ab \u{200c}\u{2066}\u{200c}x\u{200c}\u{2069}\u{200c} ج",
            "\u{200c}٪۱ +۵ -5 $5 #",
        ] {
            for level in [0, 1] {
                let (classes, levels, flat) = ours(text, level);
                assert!(flat, "{text:?}");
                assert_eq!((classes, levels), reference(text, level), "{text:?}");
            }
        }
    }

    /// Pieces of paragraphs the fast path takes (lone LRI and PDI may unbalance them).
    const FLAT: &[&str] = &[
        "a",
        "Z",
        "ب",
        "ا",
        "א",
        " ",
        "1",
        "۱",
        "١",
        "\u{600}",
        "+",
        "-",
        "%",
        "٪",
        "$",
        "#",
        ",",
        ".",
        "/",
        ":",
        "،",
        "\u{64e}",
        "\u{300}",
        "\u{200c}",
        "\u{200d}",
        "\u{ad}",
        "!",
        "«",
        "»",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "\u{2329}",
        "\u{232a}",
        "\u{3008}",
        "\u{3009}",
        "\u{2066}",
        "\u{2069}",
        "\u{2066}a\u{2069}",
        "\u{2066}ب1\u{2069}",
        "\u{2066}\u{200c}(\u{2069}",
    ];
    /// Pieces that send a paragraph to unicode-bidi.
    const OTHER: &[&str] = &[
        "\u{2067}", "\u{2068}", "\u{202a}", "\u{202b}", "\u{202c}", "\u{202e}", "\t", "\u{2029}",
    ];

    /// Every LRI closed by a PDI before the next LRI, no PDI without its LRI.
    fn isolates_are_flat(text: &str) -> bool {
        let mut open = false;
        for c in text.chars() {
            match c {
                '\u{2066}' if open => return false,
                '\u{2066}' => open = true,
                '\u{2069}' if !open => return false,
                '\u{2069}' => open = false,
                _ => {}
            }
        }
        !open
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn levels_match_unicode_bidi(
            pieces in prop::collection::vec(
                prop::sample::select([FLAT, OTHER].concat()),
                0..30,
            ),
            level in 0u8..2,
        ) {
            let text = pieces.concat();
            let (classes, levels, _) = ours(&text, level);
            prop_assert_eq!((classes, levels), reference(&text, level), "{:?}", text);
        }

        #[test]
        fn collapsing_runs_changes_no_level(
            pieces in prop::collection::vec(
                prop::sample::select([FLAT, OTHER].concat()),
                0..40,
            ),
            level in 0u8..2,
        ) {
            let text = pieces.concat();
            let chars: Vec<char> = text.chars().collect();
            let mut classes: Vec<BidiClass> = chars.iter().map(|&c| class_of(c)).collect();
            let full = resolve(&chars, &mut classes, level);
            let mut analysis = Analysis::default();
            let at: Vec<usize> = chars.iter().map(|&c| analysis.push(c, class_of(c))).collect();
            let collapsed = analysis.resolve(level);
            let expanded: Vec<u8> = at.iter().map(|&i| collapsed[i]).collect();
            let expanded_classes: Vec<BidiClass> = at.iter().map(|&i| analysis.classes[i]).collect();
            prop_assert_eq!((expanded_classes, expanded), (classes, full), "{:?}", text);
        }

        #[test]
        fn flat_paragraphs_match_unicode_bidi(
            pieces in prop::collection::vec(prop::sample::select(FLAT), 0..40),
            level in 0u8..2,
        ) {
            let text = pieces.concat();
            let (classes, levels, flat) = ours(&text, level);
            prop_assert_eq!(flat, isolates_are_flat(&text));
            prop_assert_eq!((classes, levels), reference(&text, level), "{:?}", text);
        }
    }
}

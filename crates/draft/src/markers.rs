//! What a line starts with: one function per recognition rule (an article, a note, a clause, a
//! chapter heading, the closing statement), each reading the folded line with a small scanner.

use crate::fold::{digit_value, is_gap};

/// The Persian clause letters in alphabetical order (the usual order of «الف، ب، پ، ت …»).
const PERSIAN_ALPHABET: [&str; 32] = [
    "الف", "ب", "پ", "ت", "ث", "ج", "چ", "ح", "خ", "د", "ذ", "ر", "ز", "ژ", "س", "ش", "ص", "ض",
    "ط", "ظ", "ع", "غ", "ف", "ق", "ک", "گ", "ل", "م", "ن", "و", "ه", "ی",
];

/// The abjad order («الف، ب، ج، د، ه، و …») that older texts number clauses in.
const ABJAD: [&str; 28] = [
    "الف", "ب", "ج", "د", "ه", "و", "ز", "ح", "ط", "ی", "ک", "ل", "م", "ن", "س", "ع", "ف", "ص",
    "ق", "ر", "ش", "ت", "ث", "خ", "ذ", "ض", "ظ", "غ",
];

/// Ordinal words up to nineteen, and the tens (ordinal and, for compounds, cardinal).
const ORDINALS: [(&str, u32); 30] = [
    ("اول", 1),
    ("یکم", 1),
    ("دوم", 2),
    ("سوم", 3),
    ("چهارم", 4),
    ("پنجم", 5),
    ("ششم", 6),
    ("هفتم", 7),
    ("هشتم", 8),
    ("نهم", 9),
    ("دهم", 10),
    ("یازدهم", 11),
    ("دوازدهم", 12),
    ("سیزدهم", 13),
    ("چهاردهم", 14),
    ("پانزدهم", 15),
    ("پونزدهم", 15),
    ("شانزدهم", 16),
    ("هفدهم", 17),
    ("هجدهم", 18),
    ("هیجدهم", 18),
    ("نوزدهم", 19),
    ("بیستم", 20),
    ("سی\u{200C}ام", 30),
    ("سیام", 30),
    ("چهلم", 40),
    ("پنجاهم", 50),
    ("شصتم", 60),
    ("هفتادم", 70),
    ("هشتادم", 80),
];
const TENS: [(&str, u32); 8] = [
    ("بیست", 20),
    ("سی", 30),
    ("چهل", 40),
    ("پنجاه", 50),
    ("شصت", 60),
    ("هفتاد", 70),
    ("هشتاد", 80),
    ("نود", 90),
];

/// Punctuation that may follow a marker's number: dashes, the kashida, colon, full stop, closing
/// parenthesis, Persian semicolon and comma.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '-' | '–' | '—' | '−' | 'ـ' | ':' | '.' | ')' | '؛' | '،' | ','
    )
}

/// A letter that would make «اول» part of a longer word («اولیه»). Digits are not («ماده۵»), nor
/// is the kashida, which drafts use as a dash («ماده ۱۲ـ»).
fn is_word_char(c: char) -> bool {
    (c.is_alphabetic() && c != 'ـ') || ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0670}'
}

/// A cursor over one line.
struct Scan<'a> {
    line: &'a str,
    pos: usize,
}

/// What followed a marker's number.
#[derive(Debug, PartialEq, Eq)]
enum After {
    /// Punctuation (and the gap after it): the rest of the line is the text.
    Separator,
    /// Nothing: the marker stands alone on its line.
    End,
    /// Something else: the line only mentions an article («ماده ۵ این آیین‌نامه»).
    Text,
}

impl<'a> Scan<'a> {
    fn new(line: &'a str) -> Self {
        Self { line, pos: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.line[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_gaps(&mut self) {
        while let Some(c) = self.peek().filter(|&c| is_gap(c)) {
            self.pos += c.len_utf8();
        }
    }

    /// The word `word`, not followed by more letters.
    fn word(&mut self, word: &str) -> bool {
        let rest = self.rest();
        if rest.starts_with(word) && !rest[word.len()..].chars().next().is_some_and(is_word_char) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    /// An English word in any case, not followed by more letters.
    fn word_ci(&mut self, word: &str) -> bool {
        let rest = self.rest();
        match rest.get(..word.len()) {
            Some(head)
                if head.eq_ignore_ascii_case(word)
                    && !rest[word.len()..].chars().next().is_some_and(is_word_char) =>
            {
                self.pos += word.len();
                true
            }
            _ => false,
        }
    }

    fn char(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// Digits of any of the three sets (at most `max_digits`), as a value and as printed.
    fn digits(&mut self, max_digits: usize) -> Option<(u32, &'a str)> {
        let start = self.pos;
        let mut value: u32 = 0;
        let mut count = 0;
        while let Some(d) = self.peek().and_then(digit_value) {
            value = value.checked_mul(10)?.checked_add(d)?;
            count += 1;
            self.pos += self.peek().map_or(0, char::len_utf8);
        }
        if count == 0 || count > max_digits || self.peek().is_some_and(is_word_char) {
            self.pos = start;
            return None;
        }
        Some((value, &self.line[start..self.pos]))
    }

    /// An ordinal in words: «اول», «دوازدهم», «بیست و یکم».
    fn ordinal(&mut self) -> Option<(u32, &'a str)> {
        let start = self.pos;
        for (tens, tens_value) in TENS {
            if self.word(tens) {
                self.skip_gaps();
                if self.word("و") {
                    self.skip_gaps();
                    for (unit, unit_value) in &ORDINALS[..10] {
                        if self.word(unit) {
                            return Some((tens_value + unit_value, &self.line[start..self.pos]));
                        }
                    }
                }
                self.pos = start;
            }
        }
        for (word, value) in ORDINALS {
            if self.word(word) {
                return Some((value, &self.line[start..self.pos]));
            }
        }
        None
    }

    /// A number in digits or words.
    fn number(&mut self) -> Option<(u32, &'a str)> {
        self.digits(4).or_else(|| self.ordinal())
    }

    /// What follows a marker: punctuation (consumed with the gaps after it), the end, or text.
    fn after(&mut self) -> After {
        self.skip_gaps();
        let start = self.pos;
        let mut any = false;
        while let Some(c) = self.peek().filter(|&c| is_separator(c)) {
            self.pos += c.len_utf8();
            any = true;
            self.skip_gaps();
        }
        if any {
            // «1.5» is a number, not the clause «1» followed by «5».
            let separators = &self.line[start..self.pos];
            if separators.trim_end().ends_with(['.', ':', ',', '،'])
                && separators.trim_end() == separators
                && self.peek().and_then(digit_value).is_some()
            {
                self.pos = start;
                return After::Text;
            }
            After::Separator
        } else if self.rest().is_empty() {
            After::End
        } else {
            After::Text
        }
    }
}

/// An article's first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArticleMarker<'a> {
    pub number: u32,
    pub label: String,
    pub rest: &'a str,
}

/// «ماده ۱ -», «ماده 1:», «ماده ۱۲ ـ», «ماده ۱)», «ماده (۳) -», «ماده اول -», «ماده واحده»,
/// «Article 1 –», «Sole Article». A line that only names an article («ماده ۵ این آیین‌نامه …») is
/// not one.
pub(crate) fn article(line: &str) -> Option<ArticleMarker<'_>> {
    let mut s = Scan::new(line);
    let (number, label) = if s.word("ماده") {
        s.skip_gaps();
        if s.word("واحده") {
            (1, "واحده")
        } else {
            let paren = s.char('(');
            s.skip_gaps();
            let number = s.number()?;
            s.skip_gaps();
            if paren && !s.char(')') {
                return None;
            }
            number
        }
    } else if s.word_ci("article") {
        s.skip_gaps();
        s.digits(4)?
    } else if s.word_ci("sole") || s.word_ci("single") {
        s.skip_gaps();
        if !s.word_ci("article") {
            return None;
        }
        (1, "Sole")
    } else {
        return None;
    };
    match s.after() {
        After::Separator | After::End => Some(ArticleMarker {
            number,
            label: label.to_owned(),
            rest: s.rest().trim_end(),
        }),
        After::Text => None,
    }
}

/// A note's first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NoteMarker<'a> {
    pub number: Option<u32>,
    pub rest: &'a str,
}

/// «تبصره -», «تبصره ۱ -», «تبصره 2:», «تبصره یکم:», «Note 1:», «Note –».
pub(crate) fn note(line: &str) -> Option<NoteMarker<'_>> {
    let mut s = Scan::new(line);
    if !(s.word("تبصره") || s.word_ci("note")) {
        return None;
    }
    s.skip_gaps();
    let paren = s.char('(');
    s.skip_gaps();
    let number = s.number().map(|(n, _)| n);
    s.skip_gaps();
    if paren && (number.is_none() || !s.char(')')) {
        return None;
    }
    match s.after() {
        After::Separator | After::End => Some(NoteMarker {
            number,
            rest: s.rest().trim_end(),
        }),
        After::Text => None,
    }
}

/// How a list of clauses is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClauseStyle {
    /// الف، ب، پ … (or the abjad order الف، ب، ج، د …).
    PersianLetter,
    /// ۱، ۲، ۳ … in any digits.
    Number,
    /// a, b, c …
    LatinLetter,
}

/// A clause's first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClauseMarker<'a> {
    pub style: ClauseStyle,
    /// As printed: `الف`, `۲`, `b`.
    pub label: &'a str,
    pub rest: &'a str,
}

impl ClauseMarker<'_> {
    /// Whether this marker continues a list whose last clause is `previous`, or (with `None`)
    /// opens a list: «الف», «1», «a».
    pub fn successor_of(&self, previous: Option<(ClauseStyle, &str)>) -> bool {
        let Some((style, label)) = previous else {
            return match self.style {
                ClauseStyle::PersianLetter => self.label == "الف",
                ClauseStyle::Number => number_value(self.label) == Some(1),
                ClauseStyle::LatinLetter => self.label.eq_ignore_ascii_case("a"),
            };
        };
        if style != self.style {
            return false;
        }
        match style {
            ClauseStyle::PersianLetter => [&PERSIAN_ALPHABET[..], &ABJAD[..]].iter().any(|order| {
                let at = |l: &str| order.iter().position(|x| *x == l);
                matches!((at(label), at(self.label)), (Some(a), Some(b)) if b == a + 1)
            }),
            ClauseStyle::Number => matches!(
                (number_value(label), number_value(self.label)),
                (Some(a), Some(b)) if b == a + 1
            ),
            ClauseStyle::LatinLetter => {
                let (a, b) = (label.as_bytes(), self.label.as_bytes());
                a.len() == 1
                    && b.len() == 1
                    && b[0].to_ascii_lowercase() == a[0].to_ascii_lowercase() + 1
            }
        }
    }
}

/// The value of a label in digits.
pub(crate) fn number_value(label: &str) -> Option<u32> {
    label
        .chars()
        .try_fold(0u32, |n, c| n.checked_mul(10)?.checked_add(digit_value(c)?))
}

/// «الف -», «ب)», «پ -», «(ج)», «۱ -», «1.», «۲)», «(a)», «b)», «c.». A letter or number alone
/// on its line is text; so is «1.5» and a year («۱۴۰۳ -»).
pub(crate) fn clause(line: &str) -> Option<ClauseMarker<'_>> {
    let mut s = Scan::new(line);
    let paren = s.char('(');
    s.skip_gaps();
    let start = s.pos;
    let style = if s.digits(3).is_some() {
        ClauseStyle::Number
    } else if PERSIAN_ALPHABET.iter().any(|l| s.word(l)) {
        ClauseStyle::PersianLetter
    } else if s.peek().is_some_and(|c| c.is_ascii_alphabetic())
        && !s.rest()[1..].chars().next().is_some_and(is_word_char)
    {
        s.pos += 1;
        ClauseStyle::LatinLetter
    } else {
        return None;
    };
    let label = &line[start..s.pos];
    s.skip_gaps();
    if paren {
        // «(a) text»: the parentheses are the separator; punctuation after them is optional.
        if !s.char(')') {
            return None;
        }
        s.after();
    } else if s.after() != After::Separator {
        return None;
    }
    Some(ClauseMarker {
        style,
        label,
        rest: s.rest().trim_end(),
    })
}

/// «فصل اول - کلیات», «فصل ۲: …», «بخش سوم», «Chapter 1 – General»: the whole line is the
/// heading. «بخش خصوصی …» (the private sector) is text.
pub(crate) fn chapter(line: &str) -> Option<&str> {
    let mut s = Scan::new(line);
    if !(s.word("فصل")
        || s.word("بخش")
        || s.word("باب")
        || s.word_ci("chapter")
        || s.word_ci("part")
        || s.word_ci("section"))
    {
        return None;
    }
    s.skip_gaps();
    s.number()?;
    match s.after() {
        After::Separator | After::End => Some(line.trim()),
        After::Text => None,
    }
}

/// «پیوست - شیوه‌نامه اجرایی», «پیوست ۲», «Annex 1 – Forms»: an appendix after the articles,
/// whose own articles may number from 1 again. (Before the first article «پیوست: ندارد» is a line
/// of a letter's heading, which the caller knows.)
pub(crate) fn appendix(line: &str) -> Option<&str> {
    let mut s = Scan::new(line);
    if !(s.word("پیوست") || s.word_ci("annex") || s.word_ci("appendix")) {
        return None;
    }
    s.skip_gaps();
    s.number();
    match s.after() {
        After::Separator | After::End => Some(line.trim()),
        After::Text => None,
    }
}

/// Number words a closing statement counts articles with («در هشت ماده»).
const CARDINALS: [&str; 24] = [
    "یک",
    "دو",
    "سه",
    "چهار",
    "پنج",
    "شش",
    "هفت",
    "هشت",
    "نه",
    "ده",
    "یازده",
    "دوازده",
    "سیزده",
    "چهارده",
    "پانزده",
    "شانزده",
    "هفده",
    "هجده",
    "نوزده",
    "بیست",
    "سی",
    "چهل",
    "پنجاه",
    "شصت",
];
const ENGLISH_CARDINALS: [&str; 12] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];

/// Whether `word` is preceded by a count in `line` («۸ ماده», «هشت ماده», «8 articles»).
fn counted(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(at, _)| {
        line[..at]
            .split_whitespace()
            .next_back()
            .is_some_and(|count| {
                count.chars().all(|c| digit_value(c).is_some())
                    || CARDINALS.contains(&count)
                    || ENGLISH_CARDINALS.contains(&count)
            })
    })
}

/// The closing statement after the last article: «این آیین‌نامه در ۱۲ ماده و ۵ تبصره … به تصویب
/// رسید», «This regulation in 12 articles … was approved …»: it counts the articles and says they
/// were approved.
pub(crate) fn closing(line: &str) -> bool {
    let persian = line.starts_with("این ")
        && counted(line, "ماده")
        && ["تصویب", "رسید"].iter().any(|w| line.contains(w));
    let lower = line.to_lowercase();
    let english = lower.starts_with("this ")
        && counted(&lower, "article")
        && ["approved", "adopted", "enacted"]
            .iter()
            .any(|w| lower.contains(w));
    persian || english
}

/// A line short enough to be a signature or a title under the last article («معاون آموزش
/// ابتدایی»): a few words without the punctuation that ends a sentence.
pub(crate) fn signature_like(line: &str) -> bool {
    line.split_whitespace().count() <= 6 && !line.ends_with(['.', ':', '؛', ';', '،', ','])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(line: &str) -> Option<(u32, String, String)> {
        article(line).map(|a| (a.number, a.label, a.rest.to_owned()))
    }

    #[test]
    fn article_with_a_dash_after_persian_digits() {
        assert_eq!(art("ماده ۱ - متن"), Some((1, "۱".into(), "متن".into())));
        assert_eq!(art("ماده ۱۲ – متن"), Some((12, "۱۲".into(), "متن".into())));
    }

    #[test]
    fn article_with_a_colon_after_latin_digits() {
        assert_eq!(art("ماده 1: متن"), Some((1, "1".into(), "متن".into())));
    }

    #[test]
    fn article_with_a_kashida_or_a_parenthesis() {
        assert_eq!(art("ماده ۱۲ ـ متن"), Some((12, "۱۲".into(), "متن".into())));
        assert_eq!(art("ماده ۱۲ـ متن"), Some((12, "۱۲".into(), "متن".into())));
        assert_eq!(art("ماده ۱) متن"), Some((1, "۱".into(), "متن".into())));
        assert_eq!(art("ماده (۳) - متن"), Some((3, "۳".into(), "متن".into())));
    }

    #[test]
    fn article_in_arabic_indic_digits_and_without_a_gap() {
        assert_eq!(art("ماده ٤ - متن"), Some((4, "٤".into(), "متن".into())));
        assert_eq!(art("ماده۵- متن"), Some((5, "۵".into(), "متن".into())));
        assert_eq!(
            art("ماده\u{200C}۶ - متن"),
            Some((6, "۶".into(), "متن".into()))
        );
    }

    #[test]
    fn the_single_article_of_a_short_law() {
        assert_eq!(
            art("ماده واحده - متن"),
            Some((1, "واحده".into(), "متن".into()))
        );
        assert_eq!(
            art("ماده واحده ـ"),
            Some((1, "واحده".into(), String::new()))
        );
    }

    #[test]
    fn article_numbered_in_words() {
        assert_eq!(art("ماده اول - متن"), Some((1, "اول".into(), "متن".into())));
        assert_eq!(
            art("ماده دوازدهم: متن"),
            Some((12, "دوازدهم".into(), "متن".into()))
        );
        assert_eq!(
            art("ماده بیست و یکم - متن"),
            Some((21, "بیست و یکم".into(), "متن".into()))
        );
        // «ماده اولیه» is raw material, not the first article.
        assert_eq!(art("ماده اولیه - متن"), None);
    }

    #[test]
    fn article_alone_on_its_line() {
        assert_eq!(art("ماده ۷"), Some((7, "۷".into(), String::new())));
    }

    #[test]
    fn a_line_that_names_an_article_is_text() {
        assert_eq!(art("ماده ۵ این آیین‌نامه اجرا می‌شود"), None);
        assert_eq!(art("ماده‌ای که"), None);
        assert_eq!(art("مواد ۱ و ۲ -"), None);
        assert_eq!(art("ماده (۵) قانون برنامه"), None);
    }

    #[test]
    fn english_articles() {
        assert_eq!(
            art("Article 1 – Text"),
            Some((1, "1".into(), "Text".into()))
        );
        assert_eq!(
            art("ARTICLE 12: Text"),
            Some((12, "12".into(), "Text".into()))
        );
        assert_eq!(
            art("Sole Article – Text"),
            Some((1, "Sole".into(), "Text".into()))
        );
        assert_eq!(art("Articles 1 and 2 apply"), None);
        assert_eq!(art("Article 5 of the law"), None);
    }

    #[test]
    fn notes_numbered_or_not() {
        let n = |l| note(l).map(|n| (n.number, n.rest.to_owned()));
        assert_eq!(n("تبصره - متن"), Some((None, "متن".into())));
        assert_eq!(n("تبصره ۱ - متن"), Some((Some(1), "متن".into())));
        assert_eq!(n("تبصره 2: متن"), Some((Some(2), "متن".into())));
        assert_eq!(n("تبصره ۳ـ متن"), Some((Some(3), "متن".into())));
        assert_eq!(n("تبصره یکم - متن"), Some((Some(1), "متن".into())));
        assert_eq!(n("تبصره"), Some((None, String::new())));
        assert_eq!(n("Note 1: Text"), Some((Some(1), "Text".into())));
        assert_eq!(n("Note – Text"), Some((None, "Text".into())));
        assert_eq!(n("تبصره ۲ این ماده"), None);
        assert_eq!(n("Note that this"), None);
    }

    fn cl(line: &str) -> Option<(ClauseStyle, String, String)> {
        clause(line).map(|c| (c.style, c.label.to_owned(), c.rest.to_owned()))
    }

    #[test]
    fn persian_letter_clauses() {
        use ClauseStyle::PersianLetter as P;
        assert_eq!(cl("الف - متن"), Some((P, "الف".into(), "متن".into())));
        assert_eq!(cl("ب) متن"), Some((P, "ب".into(), "متن".into())));
        assert_eq!(cl("پ- متن"), Some((P, "پ".into(), "متن".into())));
        assert_eq!(cl("(ج) متن"), Some((P, "ج".into(), "متن".into())));
        assert_eq!(cl("بر اساس - متن"), None);
        assert_eq!(cl("ب"), None);
    }

    #[test]
    fn numbered_clauses_in_every_digit_set() {
        use ClauseStyle::Number as N;
        assert_eq!(cl("۱ - متن"), Some((N, "۱".into(), "متن".into())));
        assert_eq!(cl("1. Text"), Some((N, "1".into(), "Text".into())));
        assert_eq!(cl("٢) متن"), Some((N, "٢".into(), "متن".into())));
        assert_eq!(cl("(3) Text"), Some((N, "3".into(), "Text".into())));
        assert_eq!(cl("1.5 درصد"), None);
        assert_eq!(cl("۱۴۰۳ - سال"), None);
    }

    #[test]
    fn latin_letter_clauses() {
        use ClauseStyle::LatinLetter as L;
        assert_eq!(cl("(a) Text"), Some((L, "a".into(), "Text".into())));
        assert_eq!(cl("b) Text"), Some((L, "b".into(), "Text".into())));
        assert_eq!(cl("c. Text"), Some((L, "c".into(), "Text".into())));
        assert_eq!(cl("an example - x"), None);
    }

    #[test]
    fn clause_lists_go_in_order() {
        let first = clause("الف - x").unwrap();
        let second = clause("ب - x").unwrap();
        let third = clause("پ - x").unwrap();
        let abjad_third = clause("ج - x").unwrap();
        assert!(first.successor_of(None) && !second.successor_of(None));
        let prev = Some((ClauseStyle::PersianLetter, "ب"));
        assert!(third.successor_of(prev));
        assert!(abjad_third.successor_of(prev));
        assert!(!first.successor_of(prev));
        let ten = clause("۱۰ - x").unwrap();
        assert!(ten.successor_of(Some((ClauseStyle::Number, "9"))));
        assert!(!ten.successor_of(Some((ClauseStyle::PersianLetter, "ط"))));
        let b = clause("(b) x").unwrap();
        assert!(b.successor_of(Some((ClauseStyle::LatinLetter, "a"))));
    }

    #[test]
    fn chapter_headings() {
        assert_eq!(chapter("فصل اول - کلیات"), Some("فصل اول - کلیات"));
        assert_eq!(chapter("فصل ۲: شرایط"), Some("فصل ۲: شرایط"));
        assert_eq!(chapter("بخش سوم"), Some("بخش سوم"));
        assert_eq!(chapter("Chapter 1 – General"), Some("Chapter 1 – General"));
        assert_eq!(chapter("بخش خصوصی نیز می‌تواند"), None);
    }

    #[test]
    fn appendix_headings() {
        assert_eq!(
            appendix("پیوست ـ شیوه‌نامه اجرایی"),
            Some("پیوست ـ شیوه‌نامه اجرایی")
        );
        assert_eq!(appendix("پیوست"), Some("پیوست"));
        assert_eq!(appendix("Annex 2 – Forms"), Some("Annex 2 – Forms"));
        assert_eq!(appendix("پیوست شماره یک"), None);
    }

    #[test]
    fn closing_statements() {
        assert!(closing(
            "این آیین‌نامه در ۱۰ ماده و ۶ تبصره در جلسه مورخ ۱۴۰۳/۰۵/۱۲ به تصویب رسید."
        ));
        assert!(closing(
            "This regulation in 10 articles and 6 notes was approved on 2 August 2024."
        ));
        assert!(closing("این دستورالعمل در هشت ماده به تصویب رسید."));
        assert!(!closing("این ماده از تاریخ ابلاغ"));
        assert!(!closing(
            "این آیین‌نامه موضوع ماده ۵ قانون به تصویب هیئت وزیران می‌رسد."
        ));
    }
}

//! The text as the parser reads it: Arabic letter variants folded to the Persian ones, invisible
//! direction marks removed, and the three digit sets read alike.

/// Folds a draft's text: Arabic yeh and kaf (ي ى ك) become the Persian ones (ی ک), direction marks
/// and embedding controls (LRM, RLM, ALM, LRE…PDF, LRI…PDI) and the byte-order mark are removed,
/// no-break spaces become spaces and line ends become `\n`. The zero-width non-joiner (ZWNJ) that
/// Persian words need is kept. The stored text is the folded one, so searches and diffs do not
/// trip over a keyboard's choice of letter.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{064A}' | '\u{0649}' => out.push('\u{06CC}'),
            '\u{0643}' => out.push('\u{06A9}'),
            '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{FEFF}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' => {}
            '\u{00A0}' | '\u{202F}' => out.push(' '),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The value of a Latin, Persian (۰-۹) or Arabic-Indic (٠-٩) digit.
pub(crate) fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        _ => None,
    }
}

/// Space between the tokens of a marker: white space or a ZWNJ («ماده‌۱»).
pub(crate) fn is_gap(c: char) -> bool {
    c.is_whitespace() || c == '\u{200C}'
}

/// Persian digits of a number, as an English-less label is printed («۱۲»).
pub(crate) fn persian_digits(n: u32) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + 0x06F0).unwrap_or(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_letter_variants_fold_to_persian() {
        assert_eq!(fold("آيين‌نامه كلي"), "آیین‌نامه کلی");
        assert_eq!(fold("مصطفى"), "مصطفی");
    }

    #[test]
    fn direction_marks_go_and_zwnj_stays() {
        assert_eq!(fold("\u{200F}ماده\u{200E} ۱\u{2067}"), "ماده ۱");
        assert_eq!(fold("می\u{200C}شود"), "می\u{200C}شود");
    }

    #[test]
    fn line_ends_and_no_break_spaces() {
        assert_eq!(fold("a\r\nb\rc\u{00A0}d"), "a\nb\nc d");
    }

    #[test]
    fn three_digit_sets_read_alike() {
        for (latin, persian, arabic) in [('0', '۰', '٠'), ('7', '۷', '٧'), ('9', '۹', '٩')] {
            assert_eq!(digit_value(latin), digit_value(persian));
            assert_eq!(digit_value(latin), digit_value(arabic));
        }
        assert_eq!(digit_value('x'), None);
        assert_eq!(persian_digits(120), "۱۲۰");
    }
}

//! Digit sets: the same number written with Latin (0–9), Persian (۰–۹) or Arabic-Indic (٠–٩)
//! digits.

use std::fmt::Display;

/// Which digits a language writes numbers with. Declared in each locale file
/// (`digits = "persian"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigitSet {
    Latin,
    /// Extended Arabic-Indic digits U+06F0–U+06F9, used for Persian.
    Persian,
    /// Arabic-Indic digits U+0660–U+0669, used for Arabic.
    Arabic,
}

impl DigitSet {
    /// The names locale files use, in the order of [`DigitSet::from_name`].
    pub const NAMES: [&'static str; 3] = ["latin", "persian", "arabic"];

    pub fn from_name(name: &str) -> Option<DigitSet> {
        match name {
            "latin" => Some(DigitSet::Latin),
            "persian" => Some(DigitSet::Persian),
            "arabic" => Some(DigitSet::Arabic),
            _ => None,
        }
    }

    fn zero(self) -> char {
        match self {
            DigitSet::Latin => '0',
            DigitSet::Persian => '\u{06F0}',
            DigitSet::Arabic => '\u{0660}',
        }
    }

    /// The value of `c` when it is one of this set's digits.
    fn value(self, c: char) -> Option<u32> {
        let offset = (c as u32).checked_sub(self.zero() as u32)?;
        (offset < 10).then_some(offset)
    }

    /// `text` with every ASCII digit written in this set; everything else is left as it is.
    /// Only for text the program composes (numbers, dates): user text is never rewritten.
    pub fn convert(self, text: &str) -> String {
        self.convert_from(DigitSet::Latin, text)
    }

    /// `text` with every digit of the set `from` written in this set; everything else (digits
    /// of other sets included) is left as it is.
    pub fn convert_from(self, from: DigitSet, text: &str) -> String {
        let zero = self.zero() as u32;
        text.chars()
            .map(|c| match from.value(c) {
                Some(d) => char::from_u32(zero + d).unwrap_or(c),
                None => c,
            })
            .collect()
    }

    /// A number in this digit set.
    pub fn number(self, n: impl Display) -> String {
        self.convert(&n.to_string())
    }

    /// An integer with thousands grouped: `12,345` in Latin digits, `۱۲٬۳۴۵` in Persian (with the
    /// Arabic thousands separator U+066C).
    pub fn grouped(self, n: i64) -> String {
        let separator = match self {
            DigitSet::Latin => ',',
            DigitSet::Persian | DigitSet::Arabic => '\u{066C}',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(c);
        }
        self.convert(&out)
    }
}

/// `text` with ASCII digits written as Persian digits (۰–۹).
pub fn to_persian_digits(text: &str) -> String {
    DigitSet::Persian.convert(text)
}

/// `text` with Persian and Arabic-Indic digits written as ASCII digits, for reading numbers
/// typed on either keyboard.
pub fn to_ascii_digits(text: &str) -> String {
    DigitSet::Latin.convert_from(
        DigitSet::Arabic,
        &DigitSet::Latin.convert_from(DigitSet::Persian, text),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_every_ascii_digit() {
        assert_eq!(to_persian_digits("0123456789"), "۰۱۲۳۴۵۶۷۸۹");
        assert_eq!(DigitSet::Arabic.convert("0123456789"), "٠١٢٣٤٥٦٧٨٩");
        assert_eq!(DigitSet::Latin.convert("0123456789"), "0123456789");
    }

    #[test]
    fn leaves_other_characters_alone() {
        assert_eq!(
            to_persian_digits("1403/01/01 ساعت 09:30"),
            "۱۴۰۳/۰۱/۰۱ ساعت ۰۹:۳۰"
        );
        // superscripts and other Unicode digits are not ASCII digits
        assert_eq!(to_persian_digits("x²"), "x²");
        assert_eq!(to_persian_digits(""), "");
        assert_eq!(to_persian_digits("٣"), "٣");
    }

    #[test]
    fn converts_between_sets() {
        assert_eq!(
            DigitSet::Arabic.convert_from(DigitSet::Persian, "۱۴۰۳ 12"),
            "١٤٠٣ 12"
        );
        assert_eq!(
            DigitSet::Latin.convert_from(DigitSet::Persian, "۱۴۰۳/۳/۱۵ ٣"),
            "1403/3/15 ٣"
        );
    }

    #[test]
    fn round_trips_through_ascii() {
        let s = "Poll 12: 3,456 ballots";
        assert_eq!(to_ascii_digits(&to_persian_digits(s)), s);
        assert_eq!(to_ascii_digits("٠١٢٣"), "0123");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(DigitSet::Latin.grouped(0), "0");
        assert_eq!(DigitSet::Latin.grouped(999), "999");
        assert_eq!(DigitSet::Latin.grouped(1000), "1,000");
        assert_eq!(DigitSet::Latin.grouped(-1234567), "-1,234,567");
        assert_eq!(DigitSet::Persian.grouped(12345), "۱۲٬۳۴۵");
        assert_eq!(DigitSet::Persian.number(2024), "۲۰۲۴");
    }
}

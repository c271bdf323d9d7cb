//! Iranian mobile numbers, as participants type them.
//!
//! A number is accepted in any of its everyday spellings — `0912 345 6789`, `912-345-6789`,
//! `+98 912 345 6789`, `0098 912…`, `98912…`, with Persian (۰–۹) or Arabic-Indic (٠–٩) digits,
//! spaces, dashes, dots and parentheses — and becomes one canonical form, `+989xxxxxxxxx`, so that
//! every spelling of one number is the same number.

use std::fmt;

/// Why a text is not an Iranian mobile number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneError {
    /// Nothing was typed.
    Empty,
    /// A character that is neither a digit nor a separator (space, dash, dot, parentheses) nor a
    /// leading `+`.
    InvalidCharacter(char),
    /// Digits, but not the shape of an Iranian mobile number (`9` and nine more digits after the
    /// country or trunk prefix).
    NotIranianMobile,
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneError::Empty => f.write_str("no phone number given"),
            PhoneError::InvalidCharacter(c) => {
                write!(f, "the phone number contains {c:?}, which is not a digit")
            }
            PhoneError::NotIranianMobile => {
                f.write_str("not an Iranian mobile number: expected 09xxxxxxxxx (or +989xxxxxxxxx)")
            }
        }
    }
}

impl std::error::Error for PhoneError {}

/// An Iranian mobile number in its canonical form, `+989xxxxxxxxx`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Read a number as typed. See the module documentation for what is accepted.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let mut digits = String::with_capacity(16);
        let mut plus = false;
        for c in input.trim().chars() {
            match c {
                '0'..='9' => digits.push(c),
                '۰'..='۹' => digits.push(char::from(b'0' + (c as u32 - '۰' as u32) as u8)),
                '٠'..='٩' => digits.push(char::from(b'0' + (c as u32 - '٠' as u32) as u8)),
                '+' if digits.is_empty() && !plus => plus = true,
                ' '
                | '-'
                | '.'
                | '('
                | ')'
                | '\u{00A0}'
                | '\u{200C}'
                | '\u{2010}'..='\u{2015}'
                | '\u{2212}' => {}
                // Direction marks pasted with a number from a right-to-left text.
                '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
                c => return Err(PhoneError::InvalidCharacter(c)),
            }
        }
        if digits.is_empty() {
            return Err(if plus {
                PhoneError::NotIranianMobile
            } else {
                PhoneError::Empty
            });
        }
        let national = if plus {
            digits.strip_prefix("98")
        } else if let Some(rest) = digits.strip_prefix("0098") {
            Some(rest)
        } else if let Some(rest) = digits.strip_prefix("98").filter(|r| r.len() == 10) {
            Some(rest)
        } else if let Some(rest) = digits.strip_prefix('0') {
            Some(rest)
        } else {
            Some(digits.as_str())
        };
        // `+98 0912…` is a common mistake with one meaning only.
        let national = national.map(|n| {
            if n.len() == 11 && n.starts_with("09") {
                &n[1..]
            } else {
                n
            }
        });
        match national {
            Some(n) if n.len() == 10 && n.starts_with('9') => Ok(Self(format!("+98{n}"))),
            _ => Err(PhoneError::NotIranianMobile),
        }
    }

    /// `+989xxxxxxxxx`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The national spelling, `09xxxxxxxxx`, which the SMS gateways take as the receptor.
    pub fn national(&self) -> String {
        format!("0{}", &self.0[3..])
    }

    /// The number with all but its last two digits hidden (`0912•••••89`), for pages and logs.
    pub fn masked(&self) -> String {
        let national = self.national();
        format!("{}•••••••{}", &national[..2], &national[9..])
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for PhoneNumber {
    type Err = PhoneError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CANON: &str = "+989123456789";

    #[test]
    fn everyday_spellings() {
        for input in [
            "09123456789",
            "9123456789",
            "+989123456789",
            "00989123456789",
            "989123456789",
            "0912 345 6789",
            "0912-345-6789",
            "(0912) 345-6789",
            "+98 (912) 345 67 89",
            "+98 0912 345 6789",
            "۰۹۱۲۳۴۵۶۷۸۹",
            "٠٩١٢٣٤٥٦٧٨٩",
            "+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹",
            "  0912.345.6789  ",
            "\u{200E}09123456789\u{200E}",
        ] {
            assert_eq!(
                PhoneNumber::parse(input).map(|p| p.0),
                Ok(CANON.to_owned()),
                "{input:?}"
            );
        }
        let p = PhoneNumber::parse("09123456789").unwrap();
        assert_eq!(p.national(), "09123456789");
        assert_eq!(p.masked(), "09•••••••89");
        assert_eq!(p.to_string(), CANON);
    }

    #[test]
    fn what_is_refused() {
        use PhoneError::*;
        for (input, err) in [
            ("", Empty),
            ("   ", Empty),
            ("+", NotIranianMobile),
            ("0912345678", NotIranianMobile),   // one digit short
            ("091234567890", NotIranianMobile), // one too many
            ("02112345678", NotIranianMobile),  // a Tehran landline
            ("+14155552671", NotIranianMobile), // another country
            ("0912a456789", InvalidCharacter('a')),
            ("0912+3456789", InvalidCharacter('+')),
            ("++989123456789", InvalidCharacter('+')),
            ("98 ", NotIranianMobile),
        ] {
            assert_eq!(PhoneNumber::parse(input), Err(err), "{input:?}");
        }
    }

    fn spell(national: &str, prefix: usize, digits: usize, sep: usize) -> String {
        let body: String = match prefix {
            0 => format!("0{national}"),
            1 => national.to_owned(),
            2 => format!("+98{national}"),
            3 => format!("0098{national}"),
            _ => format!("98{national}"),
        };
        let separators = ["", " ", "-", "."];
        let mut out = String::new();
        for (i, c) in body.chars().enumerate() {
            if i > 0 && i % 3 == 0 && c.is_ascii_digit() {
                out.push_str(separators[sep]);
            }
            out.push(match (digits, c) {
                (1, '0'..='9') => char::from_u32('۰' as u32 + (c as u32 - '0' as u32)).unwrap(),
                (2, '0'..='9') => char::from_u32('٠' as u32 + (c as u32 - '0' as u32)).unwrap(),
                _ => c,
            });
        }
        out
    }

    proptest! {
        #[test]
        fn every_spelling_is_the_same_number(
            rest in "[0-9]{9}",
            a in (0usize..5, 0usize..3, 0usize..4),
            b in (0usize..5, 0usize..3, 0usize..4),
        ) {
            let national = format!("9{rest}");
            let first = PhoneNumber::parse(&spell(&national, a.0, a.1, a.2));
            let second = PhoneNumber::parse(&spell(&national, b.0, b.1, b.2));
            prop_assert_eq!(first.clone(), Ok(PhoneNumber(format!("+98{national}"))));
            prop_assert_eq!(first, second);
        }

        #[test]
        fn any_text_is_a_number_or_a_typed_error(input in "\\PC{0,20}") {
            if let Ok(p) = PhoneNumber::parse(&input) {
                prop_assert!(p.as_str().starts_with("+989") && p.as_str().len() == 13);
                prop_assert_eq!(PhoneNumber::parse(p.as_str()), Ok(p.clone()));
                prop_assert_eq!(PhoneNumber::parse(&p.national()), Ok(p));
            }
        }
    }
}

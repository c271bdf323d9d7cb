//! The interface strings of one language, one locale file per language (`locales/fa.toml`,
//! `locales/en.toml` at the repository root, embedded here; the console also reads
//! `<config>/locales/XX.toml`). The one catalogue of labels shared by the console and the
//! server's published report.
//!
//! A locale file declares its name, its direction, its digits and its calendar in `[locale]`;
//! every other section holds strings, looked up by dotted key (`pane.queue.title`) with `{name}`
//! placeholders ([`crate::template`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::calendar::CalendarKind;
use crate::diagnostics::{suggestion, type_name};
use crate::digits::DigitSet;
use crate::template;

/// Locale files shipped inside every binary, by code. English is the fallback for missing keys.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("fa", include_str!("../../../locales/fa.toml")),
    ("en", include_str!("../../../locales/en.toml")),
];

/// The locale every other one falls back to.
pub const FALLBACK: &str = "en";

/// Writing direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Ltr,
    Rtl,
}

/// One language's strings and conventions.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    code: String,
    name: String,
    direction: Direction,
    digits: DigitSet,
    calendar: CalendarKind,
    strings: BTreeMap<String, String>,
}

/// Why a locale file cannot be used: the message, and the bytes of the file it is about (none
/// when it is about the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError {
    pub span: Option<Range<usize>>,
    pub message: String,
}

impl CatalogueError {
    fn at(span: Range<usize>, message: impl Into<String>) -> Self {
        CatalogueError {
            span: Some(span),
            message: message.into(),
        }
    }
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CatalogueError {}

static BUILTIN: LazyLock<Vec<Catalogue>> = LazyLock::new(|| {
    EMBEDDED
        .iter()
        .map(|(code, text)| {
            Catalogue::parse(code, text).unwrap_or_else(|err| {
                unreachable!("embedded locales/{code}.toml is checked by tests: {err}")
            })
        })
        .collect()
});

impl Catalogue {
    /// Parses a locale file; `code` is the name it was asked for, which `[locale] code` must
    /// match.
    pub fn parse(code: &str, text: &str) -> Result<Catalogue, CatalogueError> {
        let root = DeTable::parse(text).map_err(|err| CatalogueError {
            span: err.span(),
            message: format!("not valid TOML: {}", err.message()),
        })?;
        let mut meta = None;
        let mut strings = BTreeMap::new();
        for (key, value) in root.get_ref() {
            if key.get_ref() == "locale" {
                meta = Some(read_meta(code, value)?);
            } else {
                flatten(key.get_ref().as_ref(), value, &mut strings)?;
            }
        }
        let (name, direction, digits, calendar) = meta.ok_or_else(|| CatalogueError {
            span: None,
            message: "missing the `[locale]` section (code, name, direction, digits, calendar)"
                .into(),
        })?;
        Ok(Catalogue {
            code: code.to_owned(),
            name,
            direction,
            digits,
            calendar,
            strings,
        })
    }

    /// A locale shipped inside the binary, parsed once.
    pub fn builtin(code: &str) -> Option<&'static Catalogue> {
        BUILTIN.iter().find(|c| c.code == code)
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    /// The language's own name for itself (`فارسی`, `English`).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn direction(&self) -> Direction {
        self.direction
    }

    pub fn is_rtl(&self) -> bool {
        self.direction == Direction::Rtl
    }

    pub fn digits(&self) -> DigitSet {
        self.digits
    }

    pub fn calendar(&self) -> CalendarKind {
        self.calendar
    }

    /// The string under `key`, if this locale has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.strings.get(key).map(String::as_str)
    }

    /// Every key, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.strings.keys().map(String::as_str)
    }

    /// The string under `key`, or the key itself when this locale lacks it (the built-in
    /// locales have every key: a test checks it).
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.get(key).unwrap_or(key)
    }

    /// The string under `key` with its `{name}` placeholders filled from `args`.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        template::fill(self.text(key), args, |_| {})
    }

    /// A number in this locale's digits.
    pub fn number(&self, n: impl fmt::Display) -> String {
        self.digits.number(n)
    }

    /// An integer with thousands grouped, in this locale's digits.
    pub fn grouped(&self, n: i64) -> String {
        self.digits.grouped(n)
    }

    /// `text` (`Cow` so callers may pass owned or borrowed) with ASCII digits in this locale's
    /// digits; for numbers and dates the program composes, never for user text.
    pub fn localise_digits<'a>(&self, text: impl Into<Cow<'a, str>>) -> Cow<'a, str> {
        let text = text.into();
        if self.digits == DigitSet::Latin || !text.bytes().any(|b| b.is_ascii_digit()) {
            text
        } else {
            Cow::Owned(self.digits.convert(&text))
        }
    }
}

type Meta = (String, Direction, DigitSet, CalendarKind);

fn read_meta(code: &str, value: &Spanned<DeValue<'_>>) -> Result<Meta, CatalogueError> {
    let DeValue::Table(table) = value.get_ref() else {
        return Err(CatalogueError::at(
            value.span(),
            "`locale` must be a section `[locale]`",
        ));
    };
    let field = |name: &str, allowed: &[&str]| -> Result<String, CatalogueError> {
        let Some((_, value)) = table.get_key_value(name) else {
            return Err(CatalogueError::at(
                value.span(),
                format!("[locale] needs `{name}`{}", choices(allowed)),
            ));
        };
        let DeValue::String(text) = value.get_ref() else {
            return Err(CatalogueError::at(
                value.span(),
                format!(
                    "[locale] `{name}` must be a string, found {}",
                    type_name(value.get_ref())
                ),
            ));
        };
        if !allowed.is_empty() && !allowed.contains(&text.as_ref()) {
            return Err(CatalogueError::at(
                value.span(),
                format!(
                    "[locale] `{name}` is `{text}`: expected{}{}",
                    choices(allowed),
                    suggestion(text, allowed.iter().copied())
                ),
            ));
        }
        Ok(text.to_string())
    };
    for key in table.keys() {
        let known = ["code", "name", "direction", "digits", "calendar"];
        if !known.contains(&key.get_ref().as_ref()) {
            return Err(CatalogueError::at(
                key.span(),
                format!(
                    "[locale] has no `{}`: expected{}",
                    key.get_ref(),
                    choices(&known)
                ),
            ));
        }
    }
    let declared = field("code", &[])?;
    if declared != code {
        return Err(CatalogueError::at(
            value.span(),
            format!("[locale] declares code `{declared}` but the file is for `{code}`"),
        ));
    }
    let name = field("name", &[])?;
    let direction = match field("direction", &["rtl", "ltr"])?.as_str() {
        "rtl" => Direction::Rtl,
        _ => Direction::Ltr,
    };
    let digits =
        DigitSet::from_name(&field("digits", &DigitSet::NAMES)?).unwrap_or(DigitSet::Latin);
    let calendar = match field("calendar", &["persian", "gregorian"])?.as_str() {
        "persian" => CalendarKind::Persian,
        _ => CalendarKind::Gregorian,
    };
    Ok((name, direction, digits, calendar))
}

fn choices(allowed: &[&str]) -> String {
    if allowed.is_empty() {
        String::new()
    } else {
        format!(" one of {}", allowed.join(", "))
    }
}

/// Collects `section.key = "text"` entries under their dotted path.
fn flatten(
    path: &str,
    value: &Spanned<DeValue<'_>>,
    strings: &mut BTreeMap<String, String>,
) -> Result<(), CatalogueError> {
    match value.get_ref() {
        DeValue::String(text) => {
            template::check(path, text)
                .map_err(|message| CatalogueError::at(value.span(), message))?;
            strings.insert(path.to_owned(), text.to_string());
            Ok(())
        }
        DeValue::Table(table) => {
            for (key, sub) in table {
                flatten(&format!("{path}.{}", key.get_ref()), sub, strings)?;
            }
            Ok(())
        }
        other => Err(CatalogueError::at(
            value.span(),
            format!(
                "`{path}` must be text in quotes, found {}",
                type_name(other)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_locales_parse_and_have_the_same_keys() {
        let fa = Catalogue::builtin("fa").unwrap();
        let en = Catalogue::builtin(FALLBACK).unwrap();
        assert!(fa.is_rtl() && !en.is_rtl());
        assert!(fa.keys().eq(en.keys()));
        assert!(Catalogue::builtin("xx").is_none());
    }

    #[test]
    fn format_fills_placeholders_and_shows_missing_keys() {
        let en = Catalogue::builtin("en").unwrap();
        assert_eq!(en.text("no.such.key"), "no.such.key");
        assert_eq!(
            en.format("common.position", &[("index", "2"), ("total", "5")]),
            "2 of 5"
        );
    }
}

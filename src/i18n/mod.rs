//! Every interface string, in one locale file per language (`locales/fa.toml`,
//! `locales/en.toml`, or a new one dropped in `<config>/locales/XX.toml`: no code change).
//!
//! A locale file declares its name, its direction, its digits and its calendar in `[locale]`;
//! every other section holds strings, looked up by dotted key (`pane.queue.title`) with `{name}`
//! placeholders. A key missing from the active locale falls back to English and is logged once;
//! missing from English too, the key itself is shown. Nothing here panics on a bad file.
//!
//! Values filled into placeholders are not touched: untrusted text still goes through the RTL
//! engine's sanitiser when drawn. Numbers are written in the locale's digits by the caller
//! ([`Locale::number`]) or by [`I18n::count`] for `{count}`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

use toml::Spanned;
use toml::de::DeValue;

pub use mosharekat_locale::{CalendarKind, DigitSet, to_ascii_digits, to_persian_digits};

use crate::toml_file::{FileError, Source, suggestion, type_name};

/// Locales shipped inside the binary, by code. English is the fallback for missing keys.
pub const EMBEDDED_LOCALES: &[(&str, &str)] = &[
    ("fa", include_str!("../../locales/fa.toml")),
    ("en", include_str!("../../locales/en.toml")),
];

/// The locale every other one falls back to.
pub const FALLBACK_LOCALE: &str = "en";

/// Writing direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Ltr,
    Rtl,
}

/// One language's strings and conventions.
#[derive(Debug, Clone, PartialEq)]
pub struct Locale {
    code: String,
    name: String,
    direction: Direction,
    digits: DigitSet,
    calendar: CalendarKind,
    strings: BTreeMap<String, String>,
}

impl Locale {
    /// Parses a locale file; `code` is the name it was asked for, which `[locale] code` must match.
    pub fn from_toml(code: &str, file: &str, text: &str) -> Result<Locale, FileError> {
        let source = Source::new(file, text);
        let root = source.parse()?;
        let mut meta = None;
        let mut strings = BTreeMap::new();
        for (key, value) in root.get_ref() {
            if key.get_ref() == "locale" {
                meta = Some(read_meta(&source, code, value)?);
            } else {
                flatten(&source, key.get_ref().as_ref(), value, &mut strings)?;
            }
        }
        let (name, direction, digits, calendar) = meta.ok_or_else(|| {
            source.file_error(
                "missing the `[locale]` section (code, name, direction, digits, calendar)",
            )
        })?;
        Ok(Locale {
            code: code.to_owned(),
            name,
            direction,
            digits,
            calendar,
            strings,
        })
    }

    /// A built-in locale.
    pub fn embedded(code: &str) -> Option<Locale> {
        EMBEDDED_LOCALES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(c, text)| {
                Locale::from_toml(c, &format!("embedded locales/{c}.toml"), text).unwrap_or_else(
                    |err| unreachable!("embedded locales are checked by tests: {err}"),
                )
            })
    }

    /// Locale `code` from `<config>/locales/CODE.toml`, else the built-in one.
    pub fn load(code: &str, config_dir: Option<&Path>) -> Result<Locale, FileError> {
        let arg_error = |message: String| FileError {
            file: format!("language `{code}`"),
            line: None,
            message,
        };
        if code.is_empty()
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(arg_error(
                "a language code uses only letters, digits, `-` and `_` (e.g. `fa`, `en`)".into(),
            ));
        }
        if let Some(dir) = config_dir {
            let path = dir.join("locales").join(format!("{code}.toml"));
            match std::fs::read_to_string(&path) {
                Ok(text) => return Locale::from_toml(code, &path.display().to_string(), &text),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => {
                    return Err(FileError {
                        file: path.display().to_string(),
                        line: None,
                        message: format!("cannot be read: {err}"),
                    });
                }
            }
        }
        Locale::embedded(code).ok_or_else(|| {
            let codes = available_locales(config_dir);
            arg_error(format!(
                "no such language: expected {} or a file locales/{code}.toml in the config \
                 directory{}",
                codes.join(", "),
                suggestion(code, codes.iter().map(String::as_str))
            ))
        })
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

    /// A number in this locale's digits.
    pub fn number(&self, n: impl std::fmt::Display) -> String {
        self.digits.number(n)
    }

    /// An integer with thousands grouped, in this locale's digits.
    pub fn grouped(&self, n: i64) -> String {
        self.digits.grouped(n)
    }
}

/// The codes of every locale available: built-in ones and `<config>/locales/*.toml`.
pub fn available_locales(config_dir: Option<&Path>) -> Vec<String> {
    let mut codes: Vec<String> = EMBEDDED_LOCALES
        .iter()
        .map(|(c, _)| c.to_string())
        .collect();
    let mut user_codes = Vec::new();
    if let Some(dir) = config_dir
        && let Ok(entries) = std::fs::read_dir(dir.join("locales"))
    {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml")
                && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
                && !codes.iter().any(|c| c == stem)
            {
                user_codes.push(stem.to_owned());
            }
        }
    }
    // Directory order is arbitrary; keep the list stable for messages and menus.
    user_codes.sort();
    codes.extend(user_codes);
    codes
}

type Meta = (String, Direction, DigitSet, CalendarKind);

fn read_meta(
    source: &Source<'_>,
    code: &str,
    value: &Spanned<DeValue<'_>>,
) -> Result<Meta, FileError> {
    let DeValue::Table(table) = value.get_ref() else {
        return Err(source.error(value.span(), "`locale` must be a section `[locale]`"));
    };
    let field = |name: &str, allowed: &[&str]| -> Result<String, FileError> {
        let Some((_, value)) = table.get_key_value(name) else {
            return Err(source.error(
                value.span(),
                format!("[locale] needs `{name}`{}", choices(allowed)),
            ));
        };
        let DeValue::String(text) = value.get_ref() else {
            return Err(source.error(
                value.span(),
                format!(
                    "[locale] `{name}` must be a string, found {}",
                    type_name(value.get_ref())
                ),
            ));
        };
        if !allowed.is_empty() && !allowed.contains(&text.as_ref()) {
            return Err(source.error(
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
            return Err(source.error(
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
        return Err(source.error(
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
    source: &Source<'_>,
    path: &str,
    value: &Spanned<DeValue<'_>>,
    strings: &mut BTreeMap<String, String>,
) -> Result<(), FileError> {
    match value.get_ref() {
        DeValue::String(text) => {
            check_placeholders(source, path, value, text)?;
            strings.insert(path.to_owned(), text.to_string());
            Ok(())
        }
        DeValue::Table(table) => {
            for (key, sub) in table {
                flatten(source, &format!("{path}.{}", key.get_ref()), sub, strings)?;
            }
            Ok(())
        }
        other => Err(source.error(
            value.span(),
            format!(
                "`{path}` must be text in quotes, found {}",
                type_name(other)
            ),
        )),
    }
}

/// Refuses a lone `{` or `}` that is neither a placeholder nor an escaped brace: it is almost
/// always a typo (`{Count}`, `{count`) that would otherwise show up on screen.
fn check_placeholders(
    source: &Source<'_>,
    path: &str,
    value: &Spanned<DeValue<'_>>,
    text: &str,
) -> Result<(), FileError> {
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        let after = &rest[at..];
        let consumed = if after.starts_with("{{") || after.starts_with("}}") {
            2
        } else if let Some(close) = after.find('}').filter(|_| after.starts_with('{'))
            && is_placeholder_name(&after[1..close])
        {
            close + 1
        } else {
            return Err(source.error(
                value.span(),
                format!(
                    "`{path}`: a stray `{}` near \"{}\"; placeholders are written {{name}} in \
                     lower case, and a literal brace is written twice ({{{{ or }}}})",
                    &after[..1],
                    after.chars().take(12).collect::<String>()
                ),
            ));
        };
        rest = &after[consumed..];
    }
    Ok(())
}

/// The placeholders (`{name}`) a template uses, in order of first use.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for segment in parse_template(template) {
        if let Segment::Placeholder(name) = segment
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    names
}

enum Segment<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// Splits a template into text and `{name}` placeholders; `{{` and `}}` stand for braces, and a
/// brace that does not open a well-formed placeholder is kept as text.
fn parse_template(template: &str) -> Vec<Segment<'_>> {
    let mut segments = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if open > 0 {
            segments.push(Segment::Text(&rest[..open]));
        }
        let after = &rest[open..];
        if let Some(tail) = after.strip_prefix("{{") {
            segments.push(Segment::Text("{"));
            rest = tail;
        } else if let Some(tail) = after.strip_prefix("}}") {
            segments.push(Segment::Text("}"));
            rest = tail;
        } else if let Some(close) = after.find('}').filter(|_| after.starts_with('{'))
            && is_placeholder_name(&after[1..close])
        {
            segments.push(Segment::Placeholder(&after[1..close]));
            rest = &after[close + 1..];
        } else {
            segments.push(Segment::Text(&after[..1]));
            rest = &after[1..];
        }
    }
    if !rest.is_empty() {
        segments.push(Segment::Text(rest));
    }
    segments
}

fn is_placeholder_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The active language with English behind it.
#[derive(Debug)]
pub struct I18n {
    active: Locale,
    fallback: Locale,
    /// Keys already reported missing, so a string drawn every frame is logged once.
    reported: Mutex<HashSet<String>>,
}

impl I18n {
    /// Of a text kept in both languages (a title, a label, a rationale), the one to show: the
    /// English text in a non-Persian interface when there is one, else the Persian text.
    pub fn pick<'a>(&self, fa: &'a str, en: &'a str) -> &'a str {
        if self.locale().code() != "fa" && !en.trim().is_empty() {
            en
        } else {
            fa
        }
    }

    /// `active` with the built-in English as fallback.
    pub fn new(active: Locale) -> I18n {
        let fallback = Locale::embedded(FALLBACK_LOCALE)
            .unwrap_or_else(|| unreachable!("English is always embedded"));
        I18n {
            active,
            fallback,
            reported: Mutex::new(HashSet::new()),
        }
    }

    pub fn locale(&self) -> &Locale {
        &self.active
    }

    /// Switches the language (e.g. on `toggle_language`).
    pub fn set_locale(&mut self, locale: Locale) {
        self.active = locale;
    }

    /// The code `toggle_language` switches to: from the configured language to English and
    /// back; from English (when English is the configured language) to Persian.
    pub fn toggle_target<'a>(&self, configured: &'a str) -> &'a str {
        match (
            self.active.code() == configured,
            configured == FALLBACK_LOCALE,
        ) {
            (true, true) => "fa",
            (true, false) => FALLBACK_LOCALE,
            (false, _) => configured,
        }
    }

    /// The string under `key`, from the active locale, else English (logged), else the key.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        if let Some(text) = self.active.get(key) {
            return text;
        }
        let fallback = self.fallback.get(key);
        self.report_missing(key, fallback.is_some());
        fallback.unwrap_or(key)
    }

    /// The string under `key` with its `{name}` placeholders filled from `args`.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.text(key), args, |name| {
            tracing::warn!(key, placeholder = name, "placeholder left unfilled");
        })
    }

    /// `key.one` when `count` is 1, else `key.other`, with `{count}` in the locale's digits and
    /// the other placeholders from `args`. (Two forms suffice for Persian and English; a
    /// language with more plural forms would need CLDR rules here.)
    pub fn count(&self, key: &str, count: i64, args: &[(&str, &str)]) -> String {
        let form = if count == 1 { "one" } else { "other" };
        let full_key = format!("{key}.{form}");
        let number = self.active.grouped(count);
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(args.len() + 1);
        all.push(("count", &number));
        all.extend_from_slice(args);
        self.format(&full_key, &all)
    }

    /// A number in the active locale's digits.
    pub fn number(&self, n: impl std::fmt::Display) -> String {
        self.active.number(n)
    }

    fn report_missing(&self, key: &str, in_fallback: bool) {
        let Ok(mut reported) = self.reported.lock() else {
            return;
        };
        if reported.insert(key.to_owned()) {
            if in_fallback {
                tracing::warn!(
                    locale = self.active.code(),
                    key,
                    "string missing from locale; showing English"
                );
            } else {
                tracing::error!(key, "string missing from every locale; showing its key");
            }
        }
    }
}

/// Fills `{name}` placeholders from `args`; `unfilled` is told of each name without a value,
/// which stays visible as `{name}`.
pub fn fill(template: &str, args: &[(&str, &str)], mut unfilled: impl FnMut(&str)) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    for segment in parse_template(template) {
        match segment {
            Segment::Text(text) => out.push_str(text),
            Segment::Placeholder(name) => match args.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push_str(value),
                None => {
                    unfilled(name);
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
        }
    }
    out
}

impl Locale {
    /// `text` (`Cow` so callers may pass owned or borrowed) with ASCII digits in this locale's
    /// digits; for numbers and dates the console composes, never for user text.
    pub fn localise_digits<'a>(&self, text: impl Into<Cow<'a, str>>) -> Cow<'a, str> {
        let text = text.into();
        if self.digits == DigitSet::Latin || !text.bytes().any(|b| b.is_ascii_digit()) {
            text
        } else {
            Cow::Owned(self.digits.convert(&text))
        }
    }
}

#[cfg(test)]
mod tests;

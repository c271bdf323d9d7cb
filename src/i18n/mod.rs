//! Every interface string, in one locale file per language (`locales/fa.toml`,
//! `locales/en.toml`, or a new one dropped in `<config>/locales/XX.toml`: no code change).
//!
//! The files, their format and the lookup are [`mosharekat_locale::catalogue`], shared with the
//! server's published report; this module adds what only the console does: user locale files in
//! the config directory, errors pointing at a file and line, the English fallback for a key
//! missing from the active locale (logged once; missing from English too, the key itself is
//! shown), and plural forms. Nothing here panics on a bad file.
//!
//! Values filled into placeholders are not touched: untrusted text still goes through the RTL
//! engine's sanitiser when drawn. Numbers are written in the locale's digits by the caller
//! ([`Catalogue::number`]) or by [`I18n::count`] for `{count}`.

use std::collections::HashSet;
use std::ops::Deref;
use std::path::Path;
use std::sync::Mutex;

pub use mosharekat_locale::catalogue::{
    Direction, EMBEDDED as EMBEDDED_LOCALES, FALLBACK as FALLBACK_LOCALE,
};
pub use mosharekat_locale::template::{fill, placeholders};
pub use mosharekat_locale::{
    CalendarKind, Catalogue, DigitSet, to_ascii_digits, to_persian_digits,
};

use crate::toml_file::{FileError, Source, suggestion};

/// One language's strings and conventions: a [`Catalogue`] read the console's way (see
/// [`Locale::load`]); everything a catalogue answers is reached through it.
#[derive(Debug, Clone, PartialEq)]
pub struct Locale(Catalogue);

impl Deref for Locale {
    type Target = Catalogue;

    fn deref(&self) -> &Catalogue {
        &self.0
    }
}

impl Locale {
    /// Parses a locale file; `code` is the name it was asked for, which `[locale] code` must
    /// match. `file` names it in errors.
    pub fn from_toml(code: &str, file: &str, text: &str) -> Result<Locale, FileError> {
        Catalogue::parse(code, text).map(Locale).map_err(|err| {
            let source = Source::new(file, text);
            match err.span {
                Some(span) => source.error(span, err.message),
                None => source.file_error(err.message),
            }
        })
    }

    /// A built-in locale.
    pub fn embedded(code: &str) -> Option<Locale> {
        Catalogue::builtin(code).cloned().map(Locale)
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

#[cfg(test)]
mod tests;

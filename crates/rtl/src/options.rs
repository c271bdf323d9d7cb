//! The user-facing switches: who reorders (`bidi`), who shapes (`shaping`), and the paragraph
//! direction. Each parses from and prints as the lower-case name used in the config file and on
//! the command line (`app`, `terminal`, `off`, `auto`, `on`, `ltr`, `rtl`); with the `serde`
//! feature, each serialises as that name too.
//!
//! ```
//! use mosharekat_rtl::{BidiMode, Shaping};
//!
//! let bidi: BidiMode = "terminal".parse().unwrap();
//! assert_eq!(bidi, BidiMode::Terminal);
//! assert_eq!(Shaping::Auto.to_string(), "auto");
//! assert!("sideways".parse::<BidiMode>().is_err());
//! // With no override in the environment, `auto` shapes only when the application reorders.
//! let no_environment = |_: &str| None;
//! assert!(!Shaping::Auto.resolve_with(bidi, no_environment));
//! assert!(Shaping::Auto.resolve_with(BidiMode::App, no_environment));
//! ```

use std::fmt;
use std::str::FromStr;

/// Who puts bidi text into visual order.
///
/// Parses from and prints as its lower-case name ([`Self::NAMES`]); with the `serde` feature,
/// (de)serialises as that name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum BidiMode {
    /// The application reorders and writes visual order; BiDi-capable terminals are switched to
    /// explicit mode with `CSI 8 l` (see [`crate::terminal`]). The default.
    #[default]
    App,
    /// The terminal reorders (Konsole, mlterm, macOS Terminal cannot be told not to): logical
    /// order is written, still sanitised and wrapped, left-aligned.
    Terminal,
    /// No reordering at all: logical order, left to right.
    Off,
}

/// Whether Arabic-script letters are drawn in their contextual presentation forms.
///
/// Parses from and prints as its lower-case name ([`Self::NAMES`]); with the `serde` feature,
/// (de)serialises as that name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Shaping {
    /// Decide from the environment: see [`Shaping::resolve`].
    #[default]
    Auto,
    /// Always shape (for terminals that do not shape).
    On,
    /// Never shape (the terminal shapes).
    Off,
}

/// The direction of a paragraph.
///
/// Parses from and prints as its lower-case name ([`Self::NAMES`]); with the `serde` feature,
/// (de)serialises as that name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Direction {
    /// From the first strong character (Unicode rules P2, P3), isolates skipped.
    #[default]
    Auto,
    /// Forced left to right.
    Ltr,
    /// Forced right to left.
    Rtl,
}

/// A value that is not one of the accepted names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseOptionError {
    /// What was being parsed ("bidi", "shaping", "direction").
    pub option: &'static str,
    /// The rejected input.
    pub value: String,
    /// The accepted names.
    pub expected: &'static [&'static str],
}

impl fmt::Display for ParseOptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} value {:?}: expected one of {}",
            self.option,
            self.value,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for ParseOptionError {}

macro_rules! named_enum {
    ($ty:ident, $option:literal, [$($variant:ident => $name:literal),+ $(,)?]) => {
        impl $ty {
            /// Every accepted name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($name),+];

            /// The name used in config files and flags.
            pub fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl FromStr for $ty {
            type Err = ParseOptionError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim().to_ascii_lowercase().as_str() {
                    $($name => Ok($ty::$variant),)+
                    _ => Err(ParseOptionError {
                        option: $option,
                        value: s.to_owned(),
                        expected: Self::NAMES,
                    }),
                }
            }
        }
    };
}

named_enum!(BidiMode, "bidi", [App => "app", Terminal => "terminal", Off => "off"]);
named_enum!(Shaping, "shaping", [Auto => "auto", On => "on", Off => "off"]);
named_enum!(Direction, "direction", [Auto => "auto", Ltr => "ltr", Rtl => "rtl"]);

/// The environment variable that overrides [`Shaping::Auto`] (`on` or `off`).
pub const SHAPING_ENV: &str = "MOSHAREKAT_SHAPING";

impl Shaping {
    /// Whether to shape, reading the process environment for [`Shaping::Auto`].
    pub fn resolve(self, bidi: BidiMode) -> bool {
        self.resolve_with(bidi, |name| std::env::var(name).ok())
    }

    /// Whether to shape, with the environment given as a lookup function (for tests).
    ///
    /// `On` and `Off` are what they say. `Auto` decides by these rules, first match wins:
    ///
    /// 1. `MOSHAREKAT_SHAPING=on|off` in the environment;
    /// 2. with `bidi = terminal` or `off`, no shaping: the terminal gets logical order, and a
    ///    terminal that reorders also shapes, while presentation forms in logical order on a
    ///    terminal that does neither would only look more wrong;
    /// 3. with `bidi = app`, shaping: the terminal gets visual order, which no terminal can
    ///    shape correctly (joining needs logical order), while presentation forms show right on
    ///    every terminal whose font has them.
    pub fn resolve_with(self, bidi: BidiMode, env: impl Fn(&str) -> Option<String>) -> bool {
        match self {
            Shaping::On => true,
            Shaping::Off => false,
            Shaping::Auto => match env(SHAPING_ENV).and_then(|v| v.parse::<Shaping>().ok()) {
                Some(Shaping::On) => true,
                Some(Shaping::Off) => false,
                _ => bidi == BidiMode::App,
            },
        }
    }
}

impl BidiMode {
    /// A suggested default from the environment: terminals that always reorder and cannot be
    /// switched to explicit mode (Konsole, mlterm, macOS Terminal) get [`BidiMode::Terminal`],
    /// everything else [`BidiMode::App`]. A configured value should win over this.
    pub fn detect(env: impl Fn(&str) -> Option<String>) -> BidiMode {
        let term = env("TERM").unwrap_or_default();
        let program = env("TERM_PROGRAM").unwrap_or_default();
        if env("KONSOLE_VERSION").is_some()
            || env("MLTERM").is_some()
            || term.starts_with("mlterm")
            || program == "Apple_Terminal"
        {
            BidiMode::Terminal
        } else {
            BidiMode::App
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in BidiMode::NAMES {
            assert_eq!(name.parse::<BidiMode>().unwrap().to_string(), *name);
        }
        for name in Shaping::NAMES {
            assert_eq!(name.parse::<Shaping>().unwrap().to_string(), *name);
        }
        for name in Direction::NAMES {
            assert_eq!(name.parse::<Direction>().unwrap().to_string(), *name);
        }
        assert_eq!(" Terminal ".parse::<BidiMode>(), Ok(BidiMode::Terminal));
    }

    #[test]
    fn bad_names_say_what_is_expected() {
        let err = "sideways".parse::<BidiMode>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid bidi value \"sideways\": expected one of app, terminal, off"
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_uses_the_same_names() {
        #[derive(serde::Deserialize, serde::Serialize)]
        struct Config {
            bidi: BidiMode,
            shaping: Shaping,
            direction: Direction,
        }
        let config: Config =
            serde_json::from_str(r#"{"bidi":"terminal","shaping":"on","direction":"rtl"}"#)
                .unwrap();
        assert_eq!(config.bidi, BidiMode::Terminal);
        assert_eq!(config.shaping, Shaping::On);
        assert_eq!(config.direction, Direction::Rtl);
        assert_eq!(
            serde_json::to_string(&config).unwrap(),
            r#"{"bidi":"terminal","shaping":"on","direction":"rtl"}"#
        );
    }

    #[test]
    fn auto_shaping_follows_the_rules() {
        let none = |_: &str| None;
        assert!(Shaping::Auto.resolve_with(BidiMode::App, none));
        assert!(!Shaping::Auto.resolve_with(BidiMode::Terminal, none));
        assert!(!Shaping::Auto.resolve_with(BidiMode::Off, none));
        let off = |name: &str| (name == SHAPING_ENV).then(|| "off".to_owned());
        assert!(!Shaping::Auto.resolve_with(BidiMode::App, off));
        let on = |name: &str| (name == SHAPING_ENV).then(|| "on".to_owned());
        assert!(Shaping::Auto.resolve_with(BidiMode::Terminal, on));
        assert!(Shaping::On.resolve_with(BidiMode::Off, off));
        assert!(!Shaping::Off.resolve_with(BidiMode::App, on));
    }

    #[test]
    fn reordering_terminals_are_detected() {
        let konsole = |name: &str| (name == "KONSOLE_VERSION").then(|| "230804".to_owned());
        assert_eq!(BidiMode::detect(konsole), BidiMode::Terminal);
        let apple = |name: &str| (name == "TERM_PROGRAM").then(|| "Apple_Terminal".to_owned());
        assert_eq!(BidiMode::detect(apple), BidiMode::Terminal);
        let vte = |name: &str| (name == "VTE_VERSION").then(|| "7600".to_owned());
        assert_eq!(BidiMode::detect(vte), BidiMode::App);
    }
}

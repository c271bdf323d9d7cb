//! Colour themes as plain files (`themes/*.toml`) of semantic slots: what a thing *is*
//! (`status.approved`, `deadline.overdue`, `text.muted`), never which widget draws it.
//!
//! Each slot is an inline style, `{ fg = "cyan", bg = "reset", bold = true }`, with colours by
//! name (the 16 ANSI names and `reset`), `#rrggbb`, or a 0–255 palette index. Slots are written
//! as sections and keys (`[status]` then `approved = {…}`), or as quoted dotted keys
//! (`"status.approved" = {…}`). A theme either defines every slot or names a built-in
//! `base = "dark"` to take the rest from.
//!
//! `NO_COLOR` (non-empty) selects `mono`; colours beyond what the terminal shows are brought to
//! the nearest 256- or 16-colour value.

mod color;

use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub use color::ColorDepth;

use crate::toml_file::{FileError, Source, suggestion, type_name};

/// Themes shipped inside the binary, by name.
pub const EMBEDDED_THEMES: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../themes/mono.toml")),
];

macro_rules! slots {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// A meaning the interface gives a colour to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Slot {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Slot {
            /// Every slot, in declaration order (`slot as usize` indexes this).
            pub const ALL: &'static [Slot] = &[$(Slot::$variant,)*];

            /// The slot's name in theme files.
            pub fn name(self) -> &'static str {
                match self {
                    $(Slot::$variant => $name,)*
                }
            }
        }
    };
}

slots! {
    /// Ordinary text.
    TextNormal = "text.normal",
    /// Secondary text: ids, timestamps, hints.
    TextMuted = "text.muted",
    /// The visible markers standing in for neutralised control and bidi characters.
    TextRtlMarker = "text.rtl_marker",
    /// Emphasis inside text (e.g. the matched part of a search).
    TextHighlight = "text.highlight",
    /// The selected row of a list.
    Selection = "selection",
    /// Rows marked for a bulk action.
    Marked = "marked",
    BorderNormal = "border.normal",
    /// The border of the pane or dialog that has the keyboard.
    BorderFocused = "border.focused",
    Title = "title",
    Scrollbar = "scrollbar",
    /// Comment awaiting moderation.
    StatusPending = "status.pending",
    StatusApproved = "status.approved",
    StatusRejected = "status.rejected",
    StatusHidden = "status.hidden",
    /// Certificate revoked after issue.
    StatusRevoked = "status.revoked",
    /// A decision made here but not yet confirmed by the backend.
    StatusUnsent = "status.unsent",
    DeadlineOk = "deadline.ok",
    DeadlineClosingSoon = "deadline.closing_soon",
    DeadlineShortWindow = "deadline.short_window",
    DeadlineMissingTranslation = "deadline.missing_translation",
    DeadlineOverdue = "deadline.overdue",
    OutcomeAccepted = "outcome.accepted",
    OutcomePartiallyAccepted = "outcome.partially_accepted",
    OutcomeRejected = "outcome.rejected",
    /// Bars of the tally charts.
    Bar = "bar",
    /// Turnout sparkline.
    Sparkline = "sparkline",
    TabActive = "tab.active",
    TabInactive = "tab.inactive",
    StatusBarNormal = "status_bar.normal",
    /// The status bar while the backend is unreachable.
    StatusBarOffline = "status_bar.offline",
    InputNormal = "input.normal",
    InputPlaceholder = "input.placeholder",
    Error = "error",
    Warning = "warning",
    Success = "success",
    HelpKey = "help.key",
    HelpAction = "help.action",
    HelpSection = "help.section",
    OutboxPending = "outbox.pending",
    OutboxSent = "outbox.sent",
    /// A message that gave up after its last retry.
    OutboxDead = "outbox.dead",
}

impl Slot {
    pub fn from_name(name: &str) -> Option<Slot> {
        Slot::ALL.iter().copied().find(|s| s.name() == name)
    }
}

const STYLE_ATTRIBUTES: &[&str] = &["fg", "bg", "bold", "italic", "underline", "dim", "reversed"];

const COLOUR_FORMS: &str = "a colour name (black, red, green, yellow, blue, magenta, cyan, gray, \
darkgray, lightred, lightgreen, lightyellow, lightblue, lightmagenta, lightcyan, white), reset, \
\"#rrggbb\", or a palette index 0-255";

/// A complete theme: one style per slot.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    name: String,
    styles: Vec<Style>,
}

/// What the terminal and the user's environment allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TerminalColors {
    /// `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
    pub no_color: bool,
    pub depth: ColorDepth,
}

impl TerminalColors {
    /// Reads `NO_COLOR`, `COLORTERM` and `TERM` through `var`.
    pub fn detect(var: impl Fn(&str) -> Option<String>) -> TerminalColors {
        TerminalColors {
            no_color: var("NO_COLOR").is_some_and(|v| !v.is_empty()),
            depth: ColorDepth::detect(var),
        }
    }

    /// Reads the process environment.
    pub fn from_env() -> TerminalColors {
        TerminalColors::detect(|name| std::env::var(name).ok())
    }
}

impl Theme {
    /// Parses a theme file; `base` themes are looked up among the embedded ones.
    pub fn from_toml(name: &str, file: &str, text: &str) -> Result<Theme, FileError> {
        let source = Source::new(file, text);
        let root = source.parse()?;
        let mut styles: Vec<Option<Style>> = vec![None; Slot::ALL.len()];
        let mut base: Option<Theme> = None;
        for (key, value) in root.get_ref() {
            if key.get_ref() == "base" {
                base = Some(read_base(&source, value)?);
                continue;
            }
            read_entry(&source, key.get_ref(), key, value, &mut styles)?;
        }
        let missing: Vec<&str> = Slot::ALL
            .iter()
            .filter(|s| styles[**s as usize].is_none())
            .map(|s| s.name())
            .collect();
        let styles = match base {
            Some(base) => styles
                .into_iter()
                .zip(base.styles)
                .map(|(own, base)| own.unwrap_or(base))
                .collect(),
            None if missing.is_empty() => {
                styles.into_iter().map(Option::unwrap_or_default).collect()
            }
            None => {
                return Err(source.file_error(format!(
                    "missing slots: {}; define them, or add `base = \"dark\"` (or another \
                     built-in theme) at the top to take them from it",
                    missing.join(", ")
                )));
            }
        };
        Ok(Theme {
            name: name.to_owned(),
            styles,
        })
    }

    /// A built-in theme.
    pub fn embedded(name: &str) -> Option<Theme> {
        EMBEDDED_THEMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, text)| {
                Theme::from_toml(n, &format!("embedded themes/{n}.toml"), text).unwrap_or_else(
                    |err| unreachable!("embedded themes are checked by tests: {err}"),
                )
            })
    }

    /// Theme `name` from `<config>/themes/NAME.toml`, else the built-in one of that name.
    pub fn load(name: &str, config_dir: Option<&Path>) -> Result<Theme, FileError> {
        let arg_error = |message: String| FileError {
            file: format!("theme `{name}`"),
            line: None,
            message,
        };
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(arg_error(
                "a theme name uses only letters, digits, `-` and `_`".into(),
            ));
        }
        if let Some(dir) = config_dir {
            let path = dir.join("themes").join(format!("{name}.toml"));
            match std::fs::read_to_string(&path) {
                Ok(text) => return Theme::from_toml(name, &path.display().to_string(), &text),
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
        Theme::embedded(name).ok_or_else(|| {
            let names: Vec<&str> = EMBEDDED_THEMES.iter().map(|(n, _)| *n).collect();
            arg_error(format!(
                "no such theme: expected {} or a file themes/{name}.toml in the config \
                 directory{}",
                names.join(", "),
                suggestion(name, names.iter().copied())
            ))
        })
    }

    /// The theme to draw with: `mono` when the user asked for no colour, else theme `name`,
    /// its colours brought within the terminal's depth.
    pub fn select(
        name: &str,
        config_dir: Option<&Path>,
        terminal: TerminalColors,
    ) -> Result<Theme, FileError> {
        let theme = if terminal.no_color {
            Theme::load("mono", config_dir)?
        } else {
            Theme::load(name, config_dir)?
        };
        Ok(theme.fitted(terminal.depth))
    }

    /// This theme with every colour brought within `depth`.
    pub fn fitted(mut self, depth: ColorDepth) -> Theme {
        for style in &mut self.styles {
            style.fg = style.fg.map(|c| depth.fit(c));
            style.bg = style.bg.map(|c| depth.fit(c));
        }
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The style of `slot`.
    pub fn style(&self, slot: Slot) -> Style {
        self.styles[slot as usize]
    }
}

fn read_base(source: &Source<'_>, value: &Spanned<DeValue<'_>>) -> Result<Theme, FileError> {
    let names: Vec<&str> = EMBEDDED_THEMES.iter().map(|(n, _)| *n).collect();
    match value.get_ref() {
        DeValue::String(base) => Theme::embedded(base).ok_or_else(|| {
            source.error(
                value.span(),
                format!(
                    "`base` names a built-in theme: expected one of {}{}",
                    names.join(", "),
                    suggestion(base, names.iter().copied())
                ),
            )
        }),
        other => Err(source.error(
            value.span(),
            format!(
                "`base` must be a theme name string, found {}",
                type_name(other)
            ),
        )),
    }
}

/// Reads `path = value`: a style for a slot, or a table of further entries.
fn read_entry(
    source: &Source<'_>,
    path: &str,
    key: &Spanned<std::borrow::Cow<'_, str>>,
    value: &Spanned<DeValue<'_>>,
    styles: &mut [Option<Style>],
) -> Result<(), FileError> {
    let DeValue::Table(table) = value.get_ref() else {
        return Err(source.error(
            value.span(),
            format!(
                "`{path}` must be a style such as {{ fg = \"cyan\", bold = true }}, found {}",
                type_name(value.get_ref())
            ),
        ));
    };
    let attributes = table
        .keys()
        .filter(|k| STYLE_ATTRIBUTES.contains(&k.get_ref().as_ref()))
        .count();
    if attributes == 0 && !table.is_empty() && Slot::from_name(path).is_none() {
        // A group such as `[status]`: each entry is a slot below it.
        for (sub_key, sub_value) in table {
            read_entry(
                source,
                &format!("{path}.{}", sub_key.get_ref()),
                sub_key,
                sub_value,
                styles,
            )?;
        }
        return Ok(());
    }
    let Some(slot) = Slot::from_name(path) else {
        let names: Vec<&str> = Slot::ALL.iter().map(|s| s.name()).collect();
        return Err(source.error(
            key.span(),
            format!(
                "unknown slot `{path}`{}; the slots are {}",
                suggestion(path, names.iter().copied()),
                names.join(", ")
            ),
        ));
    };
    styles[slot as usize] = Some(read_style(source, path, table)?);
    Ok(())
}

fn read_style(source: &Source<'_>, slot: &str, table: &DeTable<'_>) -> Result<Style, FileError> {
    let mut style = Style::default();
    for (key, value) in table {
        let attribute = key.get_ref().as_ref();
        match attribute {
            "fg" | "bg" => {
                let color = read_color(source, value).map_err(|err| FileError {
                    message: format!("`{slot}` {attribute}: {}", err.message),
                    ..err
                })?;
                if attribute == "fg" {
                    style = style.fg(color);
                } else {
                    style = style.bg(color);
                }
            }
            "bold" | "italic" | "underline" | "dim" | "reversed" => {
                let DeValue::Boolean(on) = value.get_ref() else {
                    return Err(source.error(
                        value.span(),
                        format!(
                            "`{slot}` {attribute} must be true or false, found {}",
                            type_name(value.get_ref())
                        ),
                    ));
                };
                let modifier = match attribute {
                    "bold" => Modifier::BOLD,
                    "italic" => Modifier::ITALIC,
                    "underline" => Modifier::UNDERLINED,
                    "dim" => Modifier::DIM,
                    _ => Modifier::REVERSED,
                };
                if *on {
                    style = style.add_modifier(modifier);
                } else {
                    style = style.remove_modifier(modifier);
                }
            }
            other => {
                return Err(source.error(
                    key.span(),
                    format!(
                        "`{slot}` has no attribute `{other}`{}: expected {}",
                        suggestion(other, STYLE_ATTRIBUTES.iter().copied()),
                        STYLE_ATTRIBUTES.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(style)
}

fn read_color(source: &Source<'_>, value: &Spanned<DeValue<'_>>) -> Result<Color, FileError> {
    let bad = |shown: String| {
        source.error(
            value.span(),
            format!("{shown} is not a colour: expected {COLOUR_FORMS}"),
        )
    };
    match value.get_ref() {
        DeValue::String(text) => {
            let text = text.trim();
            // ratatui also reads names like "bright red"; an index must be written as a number.
            if text.starts_with('#') && text.len() != 7 {
                return Err(bad(format!("`{text}`")));
            }
            text.parse::<Color>().map_err(|_| bad(format!("`{text}`")))
        }
        DeValue::Integer(int) => int
            .as_str()
            .parse::<u8>()
            .ok()
            .filter(|_| int.radix() == 10)
            .map(Color::Indexed)
            .ok_or_else(|| bad(format!("`{}`", int.as_str()))),
        other => Err(bad(type_name(other).to_owned())),
    }
}

#[cfg(test)]
mod tests;

//! One key as written in keymap files (`j`, `ctrl-s`, `shift-tab`, `f2`, `?`) and as reported by
//! the terminal, normalised so that both compare equal whatever the terminal's quirks.

use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key with its modifiers, normalised:
/// - a character carries its own case, so SHIFT is dropped from characters (`G`, not `shift-g`);
/// - with CTRL, letters are lower-case (terminals cannot tell ctrl-s from ctrl-S);
/// - shift-tab is `BackTab` without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

/// Named keys accepted in files, besides single characters and `f1`–`f24`.
const NAMED_KEYS: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("space", KeyCode::Char(' ')),
    ("minus", KeyCode::Char('-')),
];

const EXPECTED: &str = "a single character (`j`, `G`, `?`) or one of enter, esc, tab, backtab, \
backspace, delete, insert, home, end, pageup, pagedown, up, down, left, right, space, minus, f1-f24, \
optionally after ctrl-, alt- and shift- (e.g. `ctrl-s`, `shift-tab`)";

impl Key {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        Key { code, modifiers }.normalised()
    }

    /// The key of a terminal event.
    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// The same key with its code replaced, keeping modifiers (used for layout aliases).
    pub fn with_char(self, c: char) -> Key {
        Key::new(KeyCode::Char(c), self.modifiers)
    }

    fn normalised(self) -> Key {
        // Only these modifiers are meaningful in bindings; keypad/caps-lock state is not.
        let mut modifiers =
            self.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match self.code {
            KeyCode::Char(c) => {
                let shifted = modifiers.contains(KeyModifiers::SHIFT);
                modifiers.remove(KeyModifiers::SHIFT);
                if modifiers.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else if shifted {
                    KeyCode::Char(c.to_ascii_uppercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, modifiers }
    }
}

/// Why a key name could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyParseError(pub String);

impl fmt::Display for KeyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyParseError {}

impl FromStr for Key {
    type Err = KeyParseError;

    fn from_str(raw: &str) -> Result<Key, KeyParseError> {
        let unknown = || KeyParseError(format!("unknown key `{raw}`: expected {EXPECTED}"));
        let mut modifiers = KeyModifiers::empty();
        let mut rest = raw;
        // A lone trailing `-` is the minus key itself (`ctrl--`), not a separator.
        while let Some((prefix, tail)) = rest.split_once('-').filter(|(_, t)| !t.is_empty()) {
            let modifier = match prefix.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => KeyModifiers::CONTROL,
                "alt" | "meta" => KeyModifiers::ALT,
                "shift" => KeyModifiers::SHIFT,
                _ => break,
            };
            if modifiers.contains(modifier) {
                return Err(KeyParseError(format!(
                    "key `{raw}` repeats the modifier `{prefix}-`"
                )));
            }
            modifiers.insert(modifier);
            rest = tail;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => {
                return Err(KeyParseError(format!(
                    "empty key name: expected {EXPECTED}"
                )));
            }
            (Some(c), None) if !c.is_control() => KeyCode::Char(c),
            _ => {
                let lower = rest.to_ascii_lowercase();
                if let Some(&(_, code)) = NAMED_KEYS.iter().find(|(name, _)| *name == lower) {
                    code
                } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    if !(1..=24).contains(&n) {
                        return Err(unknown());
                    }
                    KeyCode::F(n)
                } else {
                    return Err(unknown());
                }
            }
        };
        Ok(Key::new(code, modifiers))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            code => {
                let name = NAMED_KEYS
                    .iter()
                    .find(|(_, c)| *c == code)
                    .map(|(name, _)| *name)
                    .unwrap_or("?");
                f.write_str(name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        s.parse().unwrap()
    }

    fn event(code: KeyCode, modifiers: KeyModifiers) -> Key {
        Key::from_event(&KeyEvent::new(code, modifiers))
    }

    #[test]
    fn parses_characters_and_names() {
        assert_eq!(key("j"), event(KeyCode::Char('j'), KeyModifiers::NONE));
        assert_eq!(key("?"), event(KeyCode::Char('?'), KeyModifiers::SHIFT));
        assert_eq!(key("enter"), event(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!(key("Esc"), event(KeyCode::Esc, KeyModifiers::NONE));
        assert_eq!(
            key("pagedown"),
            event(KeyCode::PageDown, KeyModifiers::NONE)
        );
        assert_eq!(key("space"), event(KeyCode::Char(' '), KeyModifiers::NONE));
        assert_eq!(key("f2"), event(KeyCode::F(2), KeyModifiers::NONE));
        assert_eq!(key("-"), event(KeyCode::Char('-'), KeyModifiers::NONE));
        assert_eq!(key("ت"), event(KeyCode::Char('ت'), KeyModifiers::NONE));
    }

    #[test]
    fn parses_modifiers() {
        assert_eq!(
            key("ctrl-s"),
            event(KeyCode::Char('s'), KeyModifiers::CONTROL)
        );
        assert_eq!(
            key("ctrl-alt-x"),
            event(
                KeyCode::Char('x'),
                KeyModifiers::CONTROL | KeyModifiers::ALT
            )
        );
        assert_eq!(key("alt-enter"), event(KeyCode::Enter, KeyModifiers::ALT));
        assert_eq!(
            key("ctrl--"),
            event(KeyCode::Char('-'), KeyModifiers::CONTROL)
        );
        assert_eq!(key("shift-up"), event(KeyCode::Up, KeyModifiers::SHIFT));
    }

    #[test]
    fn shift_is_folded_into_characters_and_backtab() {
        // Terminals report `G` with or without SHIFT; kitty may report `g` with SHIFT.
        assert_eq!(key("G"), event(KeyCode::Char('G'), KeyModifiers::SHIFT));
        assert_eq!(key("G"), event(KeyCode::Char('G'), KeyModifiers::NONE));
        assert_eq!(key("G"), event(KeyCode::Char('g'), KeyModifiers::SHIFT));
        assert_eq!(key("shift-g"), key("G"));
        assert_ne!(key("g"), key("G"));
        assert_eq!(
            key("shift-tab"),
            event(KeyCode::BackTab, KeyModifiers::SHIFT)
        );
        assert_eq!(key("backtab"), event(KeyCode::Tab, KeyModifiers::SHIFT));
        assert_eq!(key("ctrl-S"), key("ctrl-s"));
    }

    #[test]
    fn rejects_bad_names_with_the_accepted_forms() {
        for bad in [
            "",
            "foo",
            "ctrl-",
            "f0",
            "f25",
            "ctrl-ctrl-a",
            "hyper-a",
            "\u{1b}",
        ] {
            let err = bad.parse::<Key>().unwrap_err();
            assert!(
                err.0.contains("expected") || err.0.contains("repeats"),
                "{bad:?}: {err}"
            );
        }
        assert!("foo".parse::<Key>().unwrap_err().0.contains("ctrl-s"));
    }

    #[test]
    fn display_round_trips() {
        for name in [
            "j",
            "G",
            "?",
            "ctrl-s",
            "alt-enter",
            "shift-tab",
            "f12",
            "space",
            "pagedown",
            "esc",
            "ctrl--",
            "shift-up",
            "ت",
        ] {
            let k = key(name);
            assert_eq!(k.to_string(), name);
            assert_eq!(key(&k.to_string()), k);
        }
    }
}

//! Key bindings from plain files: `keymaps/*.toml` name actions per section
//! (`approve = ["a", "enter"]`), a user `keymap.toml` patches them per action, and
//! `keymaps/layout-fa.toml` lets every binding fire from the Persian keyboard layout.
//!
//! Layers, later ones replacing earlier ones action by action:
//! 1. the embedded `default` keymap (so a partial keymap file still leaves every action bound);
//! 2. the chosen keymap if it is not `default`: `<config>/keymaps/NAME.toml`, else the embedded one;
//! 3. `<config>/keymap.toml`, the user's patch.
//!
//! Resolution of a key in a [`Context`]: the context's sections in order (pane, list, global);
//! within a section the key as typed wins over its Persian-layout alias.

pub mod action;
mod key;
mod layout;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use toml::de::DeValue;

pub use action::{Action, Context, Pane, Section};
pub use key::{Key, KeyParseError};

use crate::toml_file::{FileError, Source, suggestion, type_name};

/// Keymaps shipped inside the binary, by name.
pub const EMBEDDED_KEYMAPS: &[(&str, &str)] = &[
    ("default", include_str!("../../keymaps/default.toml")),
    ("vim", include_str!("../../keymaps/vim.toml")),
];

/// The Persian-layout alias table shipped inside the binary.
pub const EMBEDDED_LAYOUT_FA: &str = include_str!("../../keymaps/layout-fa.toml");

/// Where a binding was written, to explain conflicts.
#[derive(Debug, Clone)]
struct Origin {
    layer: usize,
    file: Arc<str>,
    line: usize,
}

#[derive(Debug, Clone)]
struct Binding {
    keys: Vec<Key>,
    origin: Origin,
}

type Layer = BTreeMap<Section, BTreeMap<Action, Binding>>;

/// The active key bindings: which action each key performs in each context.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Layer,
    lookup: HashMap<(Section, Key), Action>,
    /// Persian-layout character → the Latin character on the same physical key.
    aliases: HashMap<char, char>,
    /// Latin character → its Persian-layout character, for the help overlay.
    layout_of: HashMap<char, char>,
}

/// One line of the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpEntry {
    pub action: Action,
    /// The keys as written in files (`ctrl-s`, `j`), only those active in the asked context.
    pub keys: Vec<String>,
    /// The same keys as typed on the Persian layout (`ت` for `j`), where they differ.
    pub layout_keys: Vec<String>,
}

/// One block of the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSection {
    pub section: Section,
    pub entries: Vec<HelpEntry>,
}

impl Keymap {
    /// The embedded default keymap with the embedded Persian-layout aliases.
    pub fn embedded_default() -> Keymap {
        Keymap::from_layers(
            &[("embedded keymaps/default.toml", EMBEDDED_KEYMAPS[0].1)],
            Some(("embedded keymaps/layout-fa.toml", EMBEDDED_LAYOUT_FA)),
        )
        .unwrap_or_else(|err| unreachable!("embedded keymap is checked by tests: {err}"))
    }

    /// Loads keymap `name` with the user's files from `config_dir` (see the module doc for
    /// the layers). Without a config dir only embedded files are used.
    pub fn load(name: &str, config_dir: Option<&Path>) -> Result<Keymap, FileError> {
        let arg_error = |message: String| FileError {
            file: format!("keymap `{name}`"),
            line: None,
            message,
        };
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(arg_error(
                "a keymap name uses only letters, digits, `-` and `_`".into(),
            ));
        }
        if name == "layout-fa" {
            return Err(arg_error(
                "layout-fa is the Persian-layout alias table, always active; choose a keymap \
                 such as `default` or `vim`"
                    .into(),
            ));
        }
        let mut layers: Vec<(String, String)> = vec![(
            "embedded keymaps/default.toml".into(),
            EMBEDDED_KEYMAPS[0].1.into(),
        )];
        let user_named = match config_dir {
            Some(dir) => read_optional(&dir.join("keymaps").join(format!("{name}.toml")))?,
            None => None,
        };
        match user_named {
            Some(layer) => layers.push(layer),
            None => match EMBEDDED_KEYMAPS.iter().find(|(n, _)| *n == name) {
                Some(("default", _)) => {}
                Some((n, text)) => {
                    layers.push((format!("embedded keymaps/{n}.toml"), (*text).into()))
                }
                None => {
                    let names: Vec<&str> = EMBEDDED_KEYMAPS.iter().map(|(n, _)| *n).collect();
                    return Err(arg_error(format!(
                        "no such keymap: expected {} or a file keymaps/{name}.toml in the \
                         config directory{}",
                        names.join(", "),
                        suggestion(name, names.iter().copied())
                    )));
                }
            },
        }
        if let Some(dir) = config_dir
            && let Some(patch) = read_optional(&dir.join("keymap.toml"))?
        {
            layers.push(patch);
        }
        let layout = match config_dir {
            Some(dir) => read_optional(&dir.join("keymaps").join("layout-fa.toml"))?,
            None => None,
        }
        .unwrap_or_else(|| {
            (
                "embedded keymaps/layout-fa.toml".into(),
                EMBEDDED_LAYOUT_FA.into(),
            )
        });
        let borrowed: Vec<(&str, &str)> = layers
            .iter()
            .map(|(f, t)| (f.as_str(), t.as_str()))
            .collect();
        Keymap::from_layers(&borrowed, Some((layout.0.as_str(), layout.1.as_str())))
    }

    /// Builds a keymap from `(file name, text)` layers, later layers replacing earlier ones
    /// per action, plus an optional layout alias table.
    pub fn from_layers(
        layers: &[(&str, &str)],
        layout: Option<(&str, &str)>,
    ) -> Result<Keymap, FileError> {
        let mut bindings = Layer::new();
        bindings.insert(Section::Global, pane_table_go_keys());
        for (index, (file, text)) in layers.iter().enumerate() {
            let layer = parse_layer(index + 1, &Source::new(file, text))?;
            for (section, actions) in layer {
                bindings.entry(section).or_default().extend(actions);
            }
        }
        let lookup = build_lookup(&bindings)?;
        let aliases = match layout {
            Some((file, text)) => layout::parse(&Source::new(file, text))?,
            None => HashMap::new(),
        };
        let layout_of = aliases.iter().map(|(&fa, &latin)| (latin, fa)).collect();
        Ok(Keymap {
            bindings,
            lookup,
            aliases,
            layout_of,
        })
    }

    /// The action a terminal key event performs in `context`, if any. Key releases never act.
    pub fn resolve(&self, event: &KeyEvent, context: Context) -> Option<Action> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        self.resolve_key(Key::from_event(event), context)
    }

    /// The action `key` performs in `context`, if any.
    pub fn resolve_key(&self, key: Key, context: Context) -> Option<Action> {
        let alias = match key.code {
            KeyCode::Char(c) if context.uses_layout_aliases() => {
                self.aliases.get(&c).map(|&latin| key.with_char(latin))
            }
            _ => None,
        };
        context.sections().iter().find_map(|&section| {
            self.lookup
                .get(&(section, key))
                .or_else(|| alias.and_then(|alias| self.lookup.get(&(section, alias))))
                .copied()
        })
    }

    /// The keys bound to `action` in `section` (empty when unbound).
    pub fn keys_for(&self, section: Section, action: Action) -> &[Key] {
        self.bindings
            .get(&section)
            .and_then(|actions| actions.get(&action))
            .map(|b| b.keys.as_slice())
            .unwrap_or(&[])
    }

    /// The first key of `action` in `section`, for hints such as "a: approve".
    pub fn hint(&self, section: Section, action: Action) -> Option<String> {
        self.keys_for(section, action).first().map(Key::to_string)
    }

    /// The bindings active in `context`, section by section in resolution order, for the `?`
    /// overlay. A key taken by an earlier section is left out of later ones (it never reaches
    /// them), and actions left with no key are omitted.
    pub fn help(&self, context: Context) -> Vec<HelpSection> {
        let mut taken: Vec<Key> = Vec::new();
        let mut sections = Vec::new();
        for &section in context.sections() {
            let mut entries = Vec::new();
            let mut taken_here = Vec::new();
            for &action in section.actions() {
                let keys: Vec<Key> = self
                    .keys_for(section, action)
                    .iter()
                    .filter(|k| !taken.contains(k))
                    .copied()
                    .collect();
                if keys.is_empty() {
                    continue;
                }
                let layout_keys = if context.uses_layout_aliases() {
                    keys.iter().filter_map(|&k| self.layout_key(k)).collect()
                } else {
                    Vec::new()
                };
                taken_here.extend(keys.iter().copied());
                entries.push(HelpEntry {
                    action,
                    keys: keys.iter().map(Key::to_string).collect(),
                    layout_keys,
                });
            }
            taken.extend(taken_here);
            if !entries.is_empty() {
                sections.push(HelpSection { section, entries });
            }
        }
        sections
    }

    /// How `key` is typed on the Persian layout, when that differs and has no CTRL/ALT.
    fn layout_key(&self, key: Key) -> Option<String> {
        match key.code {
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                self.layout_of.get(&c).map(|fa| fa.to_string())
            }
            _ => None,
        }
    }
}

fn read_optional(path: &Path) -> Result<Option<(String, String)>, FileError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some((path.display().to_string(), text))),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(FileError {
            file: path.display().to_string(),
            line: None,
            message: format!("cannot be read: {err}"),
        }),
    }
}

/// Layer 0: the `go_<pane>` key of every pane from the pane table, so a pane is reachable
/// even before a keymap file names its action (files rebind them like any other).
fn pane_table_go_keys() -> BTreeMap<Action, Binding> {
    let file: Arc<str> = "the pane table (src/panes/table.rs)".into();
    Pane::ALL
        .into_iter()
        .map(|pane| {
            let key = pane
                .go_key()
                .parse()
                .unwrap_or_else(|e| unreachable!("pane table key of {pane:?}: {e}"));
            let origin = Origin {
                layer: 0,
                file: file.clone(),
                line: 0,
            };
            (
                Action::Go(pane),
                Binding {
                    keys: vec![key],
                    origin,
                },
            )
        })
        .collect()
}

fn parse_layer(index: usize, source: &Source<'_>) -> Result<Layer, FileError> {
    let file: Arc<str> = source.file.into();
    let root = source.parse()?;
    let mut layer = Layer::new();
    for (section_name, value) in root.get_ref() {
        let Some(section) = Section::from_name(section_name.get_ref()) else {
            let names = Section::ALL.map(Section::name);
            return Err(source.error(
                section_name.span(),
                format!(
                    "unknown section `[{}]`: expected one of {}{}",
                    section_name.get_ref(),
                    names.join(", "),
                    suggestion(section_name.get_ref(), names)
                ),
            ));
        };
        let DeValue::Table(entries) = value.get_ref() else {
            return Err(source.error(
                value.span(),
                format!(
                    "`{}` must be a section `[{}]` of `action = \"key\"` lines, found {}",
                    section.name(),
                    section.name(),
                    type_name(value.get_ref())
                ),
            ));
        };
        let actions = layer.entry(section).or_default();
        for (action_name, keys_value) in entries {
            let allowed = section.actions();
            let action = Action::from_name(action_name.get_ref())
                .filter(|a| allowed.contains(a))
                .ok_or_else(|| {
                    let names: Vec<&str> = allowed.iter().map(|a| a.name()).collect();
                    let what = if Action::from_name(action_name.get_ref()).is_some() {
                        "is not an action of"
                    } else {
                        "is not a known action in"
                    };
                    source.error(
                        action_name.span(),
                        format!(
                            "`{}` {what} [{}]: expected one of {}{}",
                            action_name.get_ref(),
                            section.name(),
                            names.join(", "),
                            suggestion(action_name.get_ref(), names.iter().copied())
                        ),
                    )
                })?;
            let key_texts: Vec<(&str, std::ops::Range<usize>)> = match keys_value.get_ref() {
                DeValue::String(s) => vec![(s.as_ref(), keys_value.span())],
                DeValue::Array(items) => items
                    .iter()
                    .map(|item| match item.get_ref() {
                        DeValue::String(s) => Ok((s.as_ref(), item.span())),
                        other => Err(source.error(
                            item.span(),
                            format!(
                                "`{}`: each key must be a string such as \"ctrl-s\", found {}",
                                action.name(),
                                type_name(other)
                            ),
                        )),
                    })
                    .collect::<Result<_, _>>()?,
                other => {
                    return Err(source.error(
                        keys_value.span(),
                        format!(
                            "`{}` takes a key (\"a\") or a list of keys ([\"a\", \"enter\"]), found {}",
                            action.name(),
                            type_name(other)
                        ),
                    ));
                }
            };
            let mut keys: Vec<Key> = Vec::with_capacity(key_texts.len());
            for (text, span) in key_texts {
                let key: Key = text.parse().map_err(|err: KeyParseError| {
                    source.error(span, format!("`{}`: {err}", action.name()))
                })?;
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            actions.insert(
                action,
                Binding {
                    keys,
                    origin: Origin {
                        layer: index,
                        file: file.clone(),
                        line: source.line_of(action_name.span().start),
                    },
                },
            );
        }
    }
    Ok(layer)
}

/// Indexes the merged bindings, refusing a key bound to two actions of one section.
fn build_lookup(bindings: &Layer) -> Result<HashMap<(Section, Key), Action>, FileError> {
    let mut lookup: HashMap<(Section, Key), (Action, &Origin)> = HashMap::new();
    for (&section, actions) in bindings {
        for (&action, binding) in actions {
            for &key in &binding.keys {
                if let Some(&(other, other_origin)) = lookup.get(&(section, key)) {
                    // Blame the later layer (or the later line of the same file).
                    let (blamed, blamed_action, earlier, earlier_action) =
                        if (binding.origin.layer, binding.origin.line)
                            >= (other_origin.layer, other_origin.line)
                        {
                            (&binding.origin, action, other_origin, other)
                        } else {
                            (other_origin, other, &binding.origin, action)
                        };
                    return Err(FileError {
                        file: blamed.file.to_string(),
                        line: Some(blamed.line),
                        message: format!(
                            "in [{}], `{key}` is bound to `{}` here and to `{}` ({}:{}); a key \
                             does one thing per section, so rebind one of them",
                            section.name(),
                            blamed_action.name(),
                            earlier_action.name(),
                            earlier.file,
                            earlier.line
                        ),
                    });
                }
                lookup.insert((section, key), (action, &binding.origin));
            }
        }
    }
    Ok(lookup
        .into_iter()
        .map(|(k, (action, _))| (k, action))
        .collect())
}

#[cfg(test)]
mod tests;

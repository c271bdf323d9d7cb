//! The keyboard-layout alias table (`keymaps/layout-fa.toml`): staff keep the Persian layout on
//! all day and terminals report the character typed, not the physical key, so each Persian-layout
//! character is mapped to the Latin character on the same key.

use std::collections::HashMap;

use toml::de::DeValue;

use crate::toml_file::{FileError, Source, type_name};

/// Reads `[aliases]` of `"persian character" = "latin character"` lines.
pub(super) fn parse(source: &Source<'_>) -> Result<HashMap<char, char>, FileError> {
    let root = source.parse()?;
    let mut aliases = HashMap::new();
    let mut found_section = false;
    for (name, value) in root.get_ref() {
        if name.get_ref() != "aliases" {
            return Err(source.error(
                name.span(),
                format!(
                    "unknown section `[{}]`: a layout file has only `[aliases]`",
                    name.get_ref()
                ),
            ));
        }
        let DeValue::Table(entries) = value.get_ref() else {
            return Err(source.error(
                value.span(),
                format!(
                    "`aliases` must be a section, found {}",
                    type_name(value.get_ref())
                ),
            ));
        };
        found_section = true;
        for (from, to) in entries {
            let from_char = single_char(from.get_ref())
                .filter(|c| !c.is_ascii())
                .ok_or_else(|| {
                    source.error(
                        from.span(),
                        format!(
                            "`{}`: an alias starts from one non-Latin character as typed on the \
                         other layout (e.g. \"ت\")",
                            from.get_ref()
                        ),
                    )
                })?;
            let to_char = match to.get_ref() {
                DeValue::String(s) => single_char(s).filter(|c| c.is_ascii_graphic()),
                _ => None,
            }
            .ok_or_else(|| {
                source.error(
                    to.span(),
                    format!(
                        "`{from_char}` must map to one printable Latin character such as \"j\""
                    ),
                )
            })?;
            aliases.insert(from_char, to_char);
        }
    }
    if !found_section {
        return Err(source.file_error("expected an `[aliases]` section"));
    }
    Ok(aliases)
}

fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

//! Words for error messages about hand-edited TOML files (locale files here; keymaps, themes and
//! settings in the console): what type a value has, and which known name a typo is close to.

use toml::de::DeValue;

/// The TOML type of a value, as a person would name it in an error message.
pub fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// `" (did you mean `x`?)"` when one of `candidates` is close to `given`, else an empty string.
pub fn suggestion<'c>(given: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    // Typos are a letter or two off: swapped, missing or doubled.
    let limit = (given.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(given, c), c))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_finds_close_names_only() {
        assert_eq!(
            suggestion("aprove", ["approve", "reject"]),
            " (did you mean `approve`?)"
        );
        assert_eq!(suggestion("zzz", ["approve", "reject"]), "");
    }
}

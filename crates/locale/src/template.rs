//! Templates of the locale files: text with `{name}` placeholders; `{{` and `}}` stand for
//! braces.

/// The placeholders (`{name}`) a template uses, in order of first use.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for segment in parse(template) {
        if let Segment::Placeholder(name) = segment
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    names
}

/// Fills `{name}` placeholders from `args`; `unfilled` is told of each name without a value,
/// which stays visible as `{name}`. Values are inserted as they are, never re-scanned.
pub fn fill(template: &str, args: &[(&str, &str)], mut unfilled: impl FnMut(&str)) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    for segment in parse(template) {
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

/// Refuses a lone `{` or `}` that is neither a placeholder nor an escaped brace: it is almost
/// always a typo (`{Count}`, `{count`) that would otherwise show up on screen. The error names
/// the brace and the text around it.
pub(crate) fn check(path: &str, text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        let after = &rest[at..];
        let consumed = if after.starts_with("{{") || after.starts_with("}}") {
            2
        } else if let Some(close) = placeholder_end(after) {
            close + 1
        } else {
            return Err(format!(
                "`{path}`: a stray `{}` near \"{}\"; placeholders are written {{name}} in \
                 lower case, and a literal brace is written twice ({{{{ or }}}})",
                &after[..1],
                after.chars().take(12).collect::<String>()
            ));
        };
        rest = &after[consumed..];
    }
    Ok(())
}

enum Segment<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// The byte index of the `}` closing a well-formed placeholder at the start of `text`.
fn placeholder_end(text: &str) -> Option<usize> {
    let close = text.find('}').filter(|_| text.starts_with('{'))?;
    is_placeholder_name(&text[1..close]).then_some(close)
}

/// Splits a template into text and `{name}` placeholders; a brace that does not open a
/// well-formed placeholder is kept as text.
fn parse(template: &str) -> Vec<Segment<'_>> {
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
        } else if let Some(close) = placeholder_end(after) {
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

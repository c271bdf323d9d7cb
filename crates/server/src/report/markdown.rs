//! The report as Markdown: the Persian document, then the English one. Citizen text is escaped so
//! it cannot add headings, links, images or HTML.

use mosharekat_api::{Language, Report};

use mosharekat_api::report::document::{Block, ColumnKind, Table};

use super::document_in;

/// Backslash-escape every character Markdown gives a meaning to, and keep text on one line.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '+'
            | '-' | '!' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A table without its code columns (those are for CSV).
fn table(out: &mut String, table: &Table) {
    let shown: Vec<bool> = table
        .columns
        .iter()
        .map(|c| c.kind != ColumnKind::Code)
        .collect();
    let row = |cells: Vec<&str>| {
        let cells: Vec<String> = cells
            .into_iter()
            .zip(&shown)
            .filter(|(_, shown)| **shown)
            .map(|(c, _)| escape(c))
            .collect();
        format!("| {} |\n", cells.join(" | "))
    };
    out.push_str(&row(table
        .columns
        .iter()
        .map(|c| c.header.as_str())
        .collect()));
    let rule: Vec<&str> = shown.iter().filter(|s| **s).map(|_| "---").collect();
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for r in &table.rows {
        out.push_str(&row(r.iter().map(String::as_str).collect()));
    }
    out.push('\n');
}

fn paragraph(out: &mut String, text: &str) {
    out.push_str(&escape(text));
    out.push_str("\n\n");
}

fn document(out: &mut String, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                out.push_str(&"#".repeat(usize::from(*level)));
                out.push(' ');
                out.push_str(&escape(text.as_str()));
                out.push_str("\n\n");
            }
            Block::Paragraph(text) => paragraph(out, text.as_str()),
            Block::Figures(figures) => paragraph(out, &figures.sentence),
            Block::Items(items) => {
                for item in items {
                    out.push_str("- ");
                    out.push_str(&escape(item));
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Distribution(d) => table(out, &d.table()),
            Block::Daily(d) => table(out, &d.table),
            Block::Table(t) => table(out, t),
        }
    }
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    document(&mut out, &document_in(report, Language::Fa));
    out.push_str("---\n\n");
    document(&mut out, &document_in(report, Language::En));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citizen_text_cannot_add_markup() {
        assert_eq!(
            escape("# a | [b](c) <img>\nd"),
            "\\# a \\| \\[b\\]\\(c\\) \\<img\\> d"
        );
        assert_eq!(escape("شهریه ۱۲٪"), "شهریه ۱۲٪");
    }
}

//! The report as Markdown: the Persian document, then the English one. Citizen text is escaped so
//! it cannot add headings, links, images or HTML.

use mosharekat_api::{Language, Report};

use mosharekat_api::report::document::{Block, Table};

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

fn table(out: &mut String, table: &Table) {
    let skip = usize::from(table.coded);
    let row = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().skip(skip).map(|c| escape(c)).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    out.push_str(&row(&table.headers));
    let rule: Vec<&str> = table.headers.iter().skip(skip).map(|_| "---").collect();
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for r in &table.rows {
        out.push_str(&row(r));
    }
    out.push('\n');
}

fn document(out: &mut String, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                out.push_str(&"#".repeat(usize::from(*level)));
                out.push(' ');
                out.push_str(&escape(text));
                out.push_str("\n\n");
            }
            Block::Paragraph(text) => {
                out.push_str(&escape(text));
                out.push_str("\n\n");
            }
            Block::Items(items) => {
                for item in items {
                    out.push_str("- ");
                    out.push_str(&escape(item));
                    out.push('\n');
                }
                out.push('\n');
            }
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

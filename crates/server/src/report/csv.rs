//! The report's tables as CSV (RFC 4180): one section per table (distributions and the days as
//! the tables they are published as), each starting with its header line whose first field is
//! `table`, sections apart by an empty line. English labels with the machine codes, ASCII
//! digits; a byte-order mark first so spreadsheets read the Persian excerpts as UTF-8.

use mosharekat_api::{Language, Report};

use mosharekat_api::report::document::{Block, Daily};

use super::document_in;

/// One CSV field: quoted when it has to be, and a text a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@` first) is kept as text with a leading `'`.
pub(crate) fn field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn line(out: &mut String, fields: impl IntoIterator<Item = String>) {
    let fields: Vec<String> = fields.into_iter().map(|f| field(&f)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

pub fn render(report: &Report) -> String {
    let mut out = String::from("\u{feff}");
    let mut first = true;
    for block in document_in(report, Language::En) {
        let table = match block {
            Block::Table(table) | Block::Daily(Daily { table, .. }) => table,
            Block::Distribution(distribution) => distribution.table(),
            Block::Heading(..) | Block::Paragraph(_) | Block::Items(_) | Block::Figures(_) => {
                continue;
            }
        };
        if !first {
            out.push_str("\r\n");
        }
        first = false;
        line(
            &mut out,
            std::iter::once("table".to_owned())
                .chain(table.columns.iter().map(|c| c.header.as_str().to_owned())),
        );
        for row in &table.rows {
            line(
                &mut out,
                std::iter::once(table.name.clone()).chain(row.iter().cloned()),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("<5"), "<5");
        assert_eq!(field("شهریه"), "شهریه");
    }
}

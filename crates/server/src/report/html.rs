//! The report as one self-contained HTML page for the official portal: inline CSS, no scripts, no
//! outside resources. The page is Persian, right to left (`<html lang="fa" dir="rtl">`); the
//! English report follows in `<section lang="en" dir="ltr">`. Table cells take their direction
//! from their own text (`dir="auto"`), so numbers, `<5` and citizens' mixed text read right.

use mosharekat_api::{Language, Report};

use mosharekat_api::report::document::{Block, ColumnKind, Table};

use super::document_in;

/// Escape text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font-family: Vazirmatn, Tahoma, 'Noto Naskh Arabic', sans-serif; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; line-height: 1.7; color: #1a1a1a; }
section { margin-bottom: 3rem; }
section[dir=ltr] { font-family: 'Noto Sans', Arial, sans-serif; }
h1 { font-size: 1.6rem; border-bottom: 2px solid #0b5; padding-bottom: .3rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; }
h4 { font-size: 1rem; color: #444; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; width: 100%; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; vertical-align: top; text-align: start; }
th { background: #f3f5f4; }
ul { padding-inline-start: 1.5rem; }
";

/// A table without its code columns (those are for CSV).
fn table(out: &mut String, table: &Table) {
    let shown: Vec<bool> = table
        .columns
        .iter()
        .map(|c| c.kind != ColumnKind::Code)
        .collect();
    out.push_str(&format!(
        "<table data-table=\"{}\">\n<thead><tr>",
        escape(&table.name)
    ));
    for (column, _) in table.columns.iter().zip(&shown).filter(|(_, s)| **s) {
        out.push_str(&format!("<th>{}</th>", escape(column.header.as_str())));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (cell, _) in row.iter().zip(&shown).filter(|(_, s)| **s) {
            out.push_str(&format!("<td dir=\"auto\">{}</td>", escape(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn paragraph(out: &mut String, text: &str) {
    out.push_str(&format!("<p>{}</p>\n", escape(text)));
}

fn blocks(out: &mut String, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                let level = (*level).clamp(1, 6);
                out.push_str(&format!("<h{level}>{}</h{level}>\n", escape(text.as_str())));
            }
            Block::Paragraph(text) => paragraph(out, text.as_str()),
            Block::Figures(figures) => paragraph(out, &figures.sentence),
            Block::Items(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str(&format!("<li dir=\"auto\">{}</li>\n", escape(item)));
                }
                out.push_str("</ul>\n");
            }
            Block::Distribution(d) => table(out, &d.table()),
            Block::Daily(d) => table(out, &d.table),
            Block::Table(t) => table(out, t),
        }
    }
}

pub fn render(report: &Report) -> String {
    let c = &report.consultation;
    let mut out = String::new();
    out.push_str(
        "<!DOCTYPE html>\n<html lang=\"fa\" dir=\"rtl\">\n<head>\n<meta charset=\"utf-8\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape("گزارش جامع نظرخواهی"),
        escape(&c.title_fa)
    ));
    out.push_str("<section lang=\"fa\" dir=\"rtl\">\n");
    blocks(&mut out, &document_in(report, Language::Fa));
    out.push_str("</section>\n<hr>\n<section lang=\"en\" dir=\"ltr\">\n");
    blocks(&mut out, &document_in(report, Language::En));
    out.push_str("</section>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}

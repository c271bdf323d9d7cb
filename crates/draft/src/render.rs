//! A recognised draft written back out as plain text, with the markers of one language: what
//! [`crate::parse`] reads back to the same structure.

use crate::fold::persian_digits;
use crate::parse::Parsed;

/// Which words the markers use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markers {
    /// «ماده ۱ -», «تبصره ۲ -», «الف -».
    Persian,
    /// «Article 1 –», «Note 2 –», «a)».
    English,
}

/// Writes `doc` as plain text: the preamble, each article (its chapter heading when it changes)
/// with its clauses and notes one per line, paragraphs of a text separated by a blank line, then
/// the closing statement.
pub fn render(doc: &Parsed, markers: Markers) -> String {
    let mut out = String::new();
    let paragraphs = |out: &mut String, first: String, text: &str| {
        let mut parts = text.split('\n');
        out.push_str(&first);
        if let Some(p) = parts.next().filter(|p| !p.is_empty()) {
            out.push(' ');
            out.push_str(p);
        }
        out.push('\n');
        for p in parts {
            out.push('\n');
            out.push_str(p);
            out.push('\n');
        }
    };
    if let Some(preamble) = &doc.preamble {
        out.push_str(preamble);
        out.push_str("\n\n");
    }
    let mut chapter = None;
    for article in &doc.articles {
        if article.chapter.is_some() && article.chapter != chapter {
            chapter = article.chapter.clone();
            out.push_str(article.chapter.as_deref().unwrap_or_default());
            out.push('\n');
        }
        let head = match markers {
            Markers::Persian => format!("ماده {} -", article.label),
            Markers::English if article.label == "Sole" => "Sole Article –".to_owned(),
            Markers::English => format!("Article {} –", article.label),
        };
        paragraphs(&mut out, head, &article.text);
        let clause = |out: &mut String, label: &str, text: &str| {
            let head = match markers {
                Markers::Persian => format!("{label} -"),
                Markers::English => format!("{label})"),
            };
            paragraphs(out, head, text);
        };
        for c in &article.clauses {
            clause(&mut out, &c.label, &c.text);
        }
        for note in &article.notes {
            let head = match (markers, note.number) {
                (Markers::Persian, Some(n)) => format!("تبصره {} -", persian_digits(n)),
                (Markers::Persian, None) => "تبصره -".to_owned(),
                (Markers::English, Some(n)) => format!("Note {n} –"),
                (Markers::English, None) => "Note –".to_owned(),
            };
            paragraphs(&mut out, head, &note.text);
            for c in &note.clauses {
                clause(&mut out, &c.label, &c.text);
            }
        }
    }
    if let Some(closing) = &doc.closing {
        out.push('\n');
        out.push_str(closing);
        out.push('\n');
    }
    out
}

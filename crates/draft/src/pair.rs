//! A Persian draft and its English translation, article by article.

use mosharekat_api::{ArticleContent, Clause, DraftContent, DraftFormat, Note};

use crate::parse::{Parsed, ParsedClause};

/// Why an English text cannot stand beside the Persian one: each problem in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub problems: Vec<String>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the English text does not match the Persian one: {}",
            self.problems.join("; ")
        )
    }
}

impl std::error::Error for Mismatch {}

/// Most problems a [`Mismatch`] lists.
const MAX_PROBLEMS: usize = 10;

/// Puts a Persian draft and (when given) its English translation together. The English text must
/// have the same articles, by number and in the same order, and each article the same number of
/// clauses and notes (and each note of clauses) as the Persian one.
pub fn pair(fa: Parsed, en: Option<Parsed>, format: DraftFormat) -> Result<DraftContent, Mismatch> {
    let Some(en) = en else {
        return Ok(DraftContent {
            format,
            preamble_fa: fa.preamble,
            preamble_en: None,
            closing_fa: fa.closing,
            closing_en: None,
            articles: fa
                .articles
                .into_iter()
                .map(|a| ArticleContent {
                    number: a.number,
                    label: a.label,
                    chapter_fa: a.chapter,
                    chapter_en: None,
                    heading_fa: a.heading,
                    heading_en: None,
                    text_fa: a.text,
                    text_en: None,
                    clauses: a.clauses.into_iter().map(|c| clause(c, None)).collect(),
                    notes: a
                        .notes
                        .into_iter()
                        .map(|n| Note {
                            number: n.number,
                            text_fa: n.text,
                            text_en: None,
                            clauses: n.clauses.into_iter().map(|c| clause(c, None)).collect(),
                        })
                        .collect(),
                })
                .collect(),
        });
    };
    let problems = mismatches(&fa, &en);
    if !problems.is_empty() {
        return Err(Mismatch { problems });
    }
    let articles = fa
        .articles
        .into_iter()
        .zip(en.articles)
        .map(|(a, e)| ArticleContent {
            number: a.number,
            label: a.label,
            chapter_fa: a.chapter,
            chapter_en: e.chapter,
            heading_fa: a.heading,
            heading_en: e.heading,
            text_fa: a.text,
            text_en: Some(e.text),
            clauses: a
                .clauses
                .into_iter()
                .zip(e.clauses)
                .map(|(c, ce)| clause(c, Some(ce)))
                .collect(),
            notes: a
                .notes
                .into_iter()
                .zip(e.notes)
                .map(|(n, ne)| Note {
                    number: n.number,
                    text_fa: n.text,
                    text_en: Some(ne.text),
                    clauses: n
                        .clauses
                        .into_iter()
                        .zip(ne.clauses)
                        .map(|(c, ce)| clause(c, Some(ce)))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Ok(DraftContent {
        format,
        preamble_fa: fa.preamble,
        preamble_en: en.preamble,
        closing_fa: fa.closing,
        closing_en: en.closing,
        articles,
    })
}

fn clause(fa: ParsedClause, en: Option<ParsedClause>) -> Clause {
    Clause {
        label: fa.label,
        label_en: en.as_ref().map(|e| e.label.clone()),
        text_fa: fa.text,
        text_en: en.map(|e| e.text),
    }
}

fn mismatches(fa: &Parsed, en: &Parsed) -> Vec<String> {
    let mut problems = Vec::new();
    let numbers = |d: &Parsed| d.articles.iter().map(|a| a.number).collect::<Vec<_>>();
    let (nf, ne) = (numbers(fa), numbers(en));
    if nf != ne {
        let missing = |from: &[u32], other: &[u32]| -> Vec<String> {
            let mut other = other.to_vec();
            from.iter()
                .filter(|n| match other.iter().position(|o| o == *n) {
                    Some(i) => {
                        other.remove(i);
                        false
                    }
                    None => true,
                })
                .map(u32::to_string)
                .collect()
        };
        let not_en = missing(&nf, &ne);
        let not_fa = missing(&ne, &nf);
        if !not_en.is_empty() {
            problems.push(format!(
                "article {} is in the Persian text but not in the English",
                not_en.join(", ")
            ));
        }
        if !not_fa.is_empty() {
            problems.push(format!(
                "article {} is in the English text but not in the Persian",
                not_fa.join(", ")
            ));
        }
        if not_en.is_empty() && not_fa.is_empty() {
            problems.push("the articles are in a different order".to_owned());
        }
        return problems;
    }
    for (a, e) in fa.articles.iter().zip(&en.articles) {
        let n = a.number;
        if a.clauses.len() != e.clauses.len() {
            problems.push(format!(
                "article {n} has {} clauses in Persian and {} in English",
                a.clauses.len(),
                e.clauses.len()
            ));
        }
        if a.notes.len() != e.notes.len() {
            problems.push(format!(
                "article {n} has {} notes in Persian and {} in English",
                a.notes.len(),
                e.notes.len()
            ));
        } else {
            for (i, (nf, ne)) in a.notes.iter().zip(&e.notes).enumerate() {
                if nf.clauses.len() != ne.clauses.len() {
                    problems.push(format!(
                        "note {} of article {n} has {} clauses in Persian and {} in English",
                        nf.number.unwrap_or(i as u32 + 1),
                        nf.clauses.len(),
                        ne.clauses.len()
                    ));
                }
            }
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    problems.truncate(MAX_PROBLEMS);
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn text(s: &str) -> Parsed {
        parse(s, DraftFormat::Text)
    }

    #[test]
    fn a_persian_draft_alone() {
        let d = pair(text("ماده ۱ - یک\nالف - بند"), None, DraftFormat::Text).unwrap();
        assert_eq!(d.articles[0].text_en, None);
        assert_eq!(d.articles[0].clauses[0].label_en, None);
    }

    #[test]
    fn a_translation_pairs_article_by_article() {
        let d = pair(
            text("ماده ۱ - یک\nالف - بند\nتبصره - نکته"),
            Some(text("Article 1 – One\n(a) clause\nNote – point")),
            DraftFormat::Text,
        )
        .unwrap();
        let a = &d.articles[0];
        assert_eq!(a.text_en.as_deref(), Some("One"));
        assert_eq!(a.clauses[0].label_en.as_deref(), Some("a"));
        assert_eq!(a.notes[0].text_en.as_deref(), Some("point"));
    }

    #[test]
    fn a_missing_article_is_named() {
        let e = pair(
            text("ماده ۱ - یک\nماده ۲ - دو"),
            Some(text("Article 1 – One")),
            DraftFormat::Text,
        )
        .unwrap_err();
        assert_eq!(
            e.problems,
            ["article 2 is in the Persian text but not in the English"]
        );
    }

    #[test]
    fn different_notes_and_clauses_are_named() {
        let e = pair(
            text("ماده ۱ - یک\nالف - بند\nتبصره - نکته"),
            Some(text("Article 1 – One")),
            DraftFormat::Text,
        )
        .unwrap_err();
        assert_eq!(e.problems.len(), 2);
        assert!(
            e.to_string()
                .contains("article 1 has 1 notes in Persian and 0 in English")
        );
    }
}

//! Drafts as documents: the text of the regulation a consultation asks about, structured as
//! articles (ماده), notes (تبصره) and clauses (بند), in Persian and (where given) English.
//!
//! `PUT /api/v1/consultations/{id}/document` imports a version from plain text or Markdown
//! ([`DraftImport`]); the server recognises the structure (the `mosharekat-draft` crate) and keeps
//! every version ([`DraftVersion`]); `GET …/document` answers the latest or `?version=N`,
//! `GET …/document/versions` lists them ([`DraftVersionSummary`]) and `GET …/document/diff?from=&to=`
//! compares two article by article ([`DraftDiff`]). Every article of every version has an id of its
//! own, never reused, which a comment may name (`NewComment::article_id`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest draft text accepted in one language, in characters.
pub const MAX_DRAFT_CHARS: usize = 100_000;

/// How the text of an import is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftFormat {
    /// Plain text: one marker («ماده ۱ -», «تبصره ۲:», «الف -») at the start of a line.
    #[default]
    Text,
    /// Markdown: the same markers, also as headings (`## ماده ۳`), emphasis or list items.
    Markdown,
}

impl DraftFormat {
    pub const ALL: [DraftFormat; 2] = [DraftFormat::Text, DraftFormat::Markdown];

    pub fn as_str(self) -> &'static str {
        match self {
            DraftFormat::Text => "text",
            DraftFormat::Markdown => "markdown",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == code)
    }
}

/// `PUT /api/v1/consultations/{id}/document` (operator): a new version of the draft. The English
/// text, when given, must have the same articles (by number), and each article the same number of
/// notes and clauses, as the Persian one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftImport {
    pub text_fa: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_en: Option<String>,
    #[serde(default)]
    pub format: DraftFormat,
}

/// A clause (بند) of an article or of a note: «الف -», «۱ -», «(a)».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clause {
    /// Its marker as printed, without the punctuation after it: `الف`, `۲`, `b`.
    pub label: String,
    /// The English text's marker, when there is an English text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    pub text_fa: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_en: Option<String>,
}

/// A note (تبصره) of an article, with its own clauses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// `تبصره ۲` is 2; the sole unnumbered «تبصره -» of an article has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    pub text_fa: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_en: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clauses: Vec<Clause>,
}

/// What an article says, without the identity the store gives it ([`Article`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleContent {
    /// Its number as a value: «ماده ۳» and «ماده اول» are 3 and 1; «ماده واحده» (the single article
    /// of a short law) is 1. Diffs and the English pairing go by it.
    pub number: u32,
    /// Its number as printed: `۳`, `12`, `اول`, `واحده`.
    pub label: String,
    /// The chapter (فصل) or section heading the article sits under, when the draft has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter_fa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter_en: Option<String>,
    /// The article's own title (`## ماده ۳ - تعاریف` in Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading_fa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading_en: Option<String>,
    /// The article's own text, before its clauses and notes (may be empty when it is all clauses).
    pub text_fa: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_en: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clauses: Vec<Clause>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// An article of a stored version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Unique for ever, across every version of every draft; a comment names an article by it.
    pub id: i64,
    /// 0-based place in its version.
    pub position: u32,
    #[serde(flatten)]
    pub content: ArticleContent,
}

/// One imported version of a consultation's draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftVersion {
    pub consultation_id: i64,
    /// 1 for the first import, one more for each after it.
    pub version: i64,
    pub imported_at: DateTime<Utc>,
    /// The staff member who imported it (staff routes only: the public routes leave it out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_by: Option<String>,
    pub format: DraftFormat,
    /// What comes before the first article: the title, the preamble (مقدمه), the legal basis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preamble_fa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preamble_en: Option<String>,
    pub articles: Vec<Article>,
    /// What comes after the last article: the closing statement («این آیین‌نامه در ۱۲ ماده …
    /// به تصویب رسید») and the signatures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing_fa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing_en: Option<String>,
}

/// A draft as recognised from an import, before the store gives it a version and its articles ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftContent {
    pub format: DraftFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preamble_fa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preamble_en: Option<String>,
    pub articles: Vec<ArticleContent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing_fa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing_en: Option<String>,
}

/// A version in the list of versions (`GET …/document/versions`), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftVersionSummary {
    pub version: i64,
    pub imported_at: DateTime<Utc>,
    /// Staff routes only, as in [`DraftVersion`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_by: Option<String>,
    pub articles: u32,
    pub notes: u32,
    pub clauses: u32,
    /// Whether this version has an English text.
    pub bilingual: bool,
}

impl DraftVersion {
    /// Its line in the list of versions.
    pub fn summary(&self) -> DraftVersionSummary {
        let notes = self.articles.iter().map(|a| a.content.notes.len()).sum();
        let clauses = self
            .articles
            .iter()
            .map(|a| {
                a.content.clauses.len()
                    + a.content
                        .notes
                        .iter()
                        .map(|n| n.clauses.len())
                        .sum::<usize>()
            })
            .sum();
        DraftVersionSummary {
            version: self.version,
            imported_at: self.imported_at,
            imported_by: self.imported_by.clone(),
            articles: self.articles.len() as u32,
            notes: to_u32(notes),
            clauses: to_u32(clauses),
            bilingual: self.articles.iter().any(|a| a.content.text_en.is_some())
                || self.preamble_en.is_some(),
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How an article changed from one version to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleChangeKind {
    Added,
    Removed,
    Changed,
    Unchanged,
}

impl ArticleChangeKind {
    pub const ALL: [ArticleChangeKind; 4] = [
        ArticleChangeKind::Added,
        ArticleChangeKind::Removed,
        ArticleChangeKind::Changed,
        ArticleChangeKind::Unchanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ArticleChangeKind::Added => "added",
            ArticleChangeKind::Removed => "removed",
            ArticleChangeKind::Changed => "changed",
            ArticleChangeKind::Unchanged => "unchanged",
        }
    }
}

/// One article's line in a diff: matched by number between the two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleChange {
    pub number: u32,
    pub change: ArticleChangeKind,
    /// The article in the older version (none when added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Article>,
    /// The article in the newer version (none when removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Article>,
}

/// `GET …/document/diff?from=A&to=B`: the articles of both versions in the newer one's order, the
/// removed ones where they stood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftDiff {
    pub consultation_id: i64,
    pub from_version: i64,
    pub to_version: i64,
    /// Whether the text before the first article changed.
    pub preamble_changed: bool,
    /// Whether the closing statement after the last article changed.
    pub closing_changed: bool,
    pub articles: Vec<ArticleChange>,
}

impl DraftDiff {
    /// How many articles changed in each way.
    pub fn count(&self, kind: ArticleChangeKind) -> usize {
        self.articles.iter().filter(|a| a.change == kind).count()
    }
}

/// The query of `GET …/document`: a version number, or the latest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// The query of `GET …/document/diff`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftDiffQuery {
    pub from: i64,
    pub to: i64,
}

/// Where a comment's article sits, as the queue and the public decisions show it ("ماده ۳",
/// version 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRef {
    pub article_id: i64,
    pub number: u32,
    /// The article's number as printed.
    pub label: String,
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: i64, number: u32) -> Article {
        Article {
            id,
            position: number - 1,
            content: ArticleContent {
                number,
                label: number.to_string(),
                chapter_fa: None,
                chapter_en: None,
                heading_fa: None,
                heading_en: None,
                text_fa: "متن".into(),
                text_en: None,
                clauses: vec![Clause {
                    label: "الف".into(),
                    label_en: None,
                    text_fa: "بند".into(),
                    text_en: None,
                }],
                notes: vec![Note {
                    number: None,
                    text_fa: "تبصره".into(),
                    text_en: None,
                    clauses: vec![Clause {
                        label: "۱".into(),
                        label_en: None,
                        text_fa: "بند تبصره".into(),
                        text_en: None,
                    }],
                }],
            },
        }
    }

    #[test]
    fn an_article_travels_flat() {
        let a = article(9, 3);
        let wire = serde_json::to_value(&a).unwrap();
        assert_eq!(wire["id"], 9);
        assert_eq!(wire["number"], 3);
        assert_eq!(wire["text_fa"], "متن");
        assert!(wire.get("text_en").is_none());
        assert_eq!(serde_json::from_value::<Article>(wire).unwrap(), a);
    }

    #[test]
    fn a_summary_counts_notes_and_every_clause() {
        let v = DraftVersion {
            consultation_id: 1,
            version: 2,
            imported_at: DateTime::from_timestamp(0, 0).unwrap(),
            imported_by: Some("op".into()),
            format: DraftFormat::Text,
            preamble_fa: None,
            preamble_en: None,
            articles: vec![article(1, 1), article(2, 2)],
            closing_fa: None,
            closing_en: None,
        };
        let s = v.summary();
        assert_eq!((s.articles, s.notes, s.clauses), (2, 2, 4));
        assert!(!s.bilingual);
    }

    #[test]
    fn an_import_defaults_to_plain_text() {
        let i: DraftImport = serde_json::from_str(r#"{"text_fa": "ماده ۱ - متن"}"#).unwrap();
        assert_eq!(i.format, DraftFormat::Text);
        assert_eq!(i.text_en, None);
    }
}

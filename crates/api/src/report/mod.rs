//! The comprehensive post-deadline report: key concerns, participants by age, gender, province and
//! category, turnout, poll results and the answers to proposals, in both languages.
//!
//! `POST /api/v1/consultations/{id}/report` generates (or regenerates) the draft once the
//! consultation has closed; `GET` on the same path returns it (`?format=json|md|html|csv`);
//! `POST …/report/publish` publishes it at `GET /api/v1/public/consultations/{id}/report`.
//!
//! Nobody can be singled out: every published count of people under [`SUPPRESS_BELOW`] is shown as
//! `"<5"` ([`CellCount::Suppressed`]); totals stay exact (a suppressed cell still counts in them).

pub mod document;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{
    AgeBand, ArticleRef, Breakdown, Category, ConsultationKind, Gender, PollKind, PollOption,
    Province, PublicDecision,
};

/// Counts of people under this are published as `"<5"`.
pub const SUPPRESS_BELOW: i64 = 5;

/// How a suppressed cell is written.
pub const SUPPRESSED: &str = "<5";

/// A count of people in a published table: exact, or suppressed because it is under
/// [`SUPPRESS_BELOW`]. On the wire a number or the string `"<5"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellCount {
    Exact(i64),
    Suppressed,
}

impl CellCount {
    /// The published form of a true count.
    pub fn of(count: i64) -> Self {
        if count < SUPPRESS_BELOW {
            CellCount::Suppressed
        } else {
            CellCount::Exact(count)
        }
    }

    pub fn exact(self) -> Option<i64> {
        match self {
            CellCount::Exact(n) => Some(n),
            CellCount::Suppressed => None,
        }
    }
}

impl std::fmt::Display for CellCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CellCount::Exact(n) => write!(f, "{n}"),
            CellCount::Suppressed => f.write_str(SUPPRESSED),
        }
    }
}

impl Serialize for CellCount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CellCount::Exact(n) => s.serialize_i64(*n),
            CellCount::Suppressed => s.serialize_str(SUPPRESSED),
        }
    }
}

impl<'de> Deserialize<'de> for CellCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Number(i64),
            Text(String),
        }
        match Wire::deserialize(d)? {
            Wire::Number(n) if n >= SUPPRESS_BELOW => Ok(CellCount::Exact(n)),
            Wire::Number(n) => Err(serde::de::Error::custom(format!(
                "a published count of {n} should have been suppressed"
            ))),
            Wire::Text(t) if t == SUPPRESSED => Ok(CellCount::Suppressed),
            Wire::Text(t) => Err(serde::de::Error::custom(format!(
                "`{t}` is not a count or \"{SUPPRESSED}\""
            ))),
        }
    }
}

/// The output format of a report: `?format=`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    #[default]
    Json,
    /// Markdown (`md`).
    #[serde(rename = "md")]
    Markdown,
    /// A self-contained HTML page, Persian (right to left) with the English part left to right.
    Html,
    /// The tables, one section per table, each starting with its header line.
    Csv,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 4] = [
        ReportFormat::Json,
        ReportFormat::Markdown,
        ReportFormat::Html,
        ReportFormat::Csv,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Json => "json",
            ReportFormat::Markdown => "md",
            ReportFormat::Html => "html",
            ReportFormat::Csv => "csv",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == code)
    }

    /// The `Content-Type` the report is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Json => "application/json",
            ReportFormat::Markdown => "text/markdown; charset=utf-8",
            ReportFormat::Html => "text/html; charset=utf-8",
            ReportFormat::Csv => "text/csv; charset=utf-8",
        }
    }

    /// File extension for an export.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub consultation: ConsultationSummary,
    /// Draft number: 1 for the first generation, one more for each regeneration.
    pub version: i64,
    pub generated_at: DateTime<Utc>,
    pub generated_by: String,
    /// Set when this version of the report is the published one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_by: Option<String>,
    pub comments: CommentCounts,
    pub key_concerns: KeyConcerns,
    pub participants: Breakdowns,
    /// Per day (Tehran time), the first day with activity to the last.
    pub turnout: Vec<TurnoutDay>,
    pub polls: Vec<PollReport>,
    pub decisions: DecisionSummary,
    /// Public recognition: the consultation's top participants who consented to be named (display
    /// names and points only; see [`crate::score`]). Empty in reports generated before scores.
    #[serde(default)]
    pub top_participants: Vec<crate::PublicTopParticipant>,
}

/// The consultation a report is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationSummary {
    pub id: i64,
    pub kind: ConsultationKind,
    pub title_fa: String,
    pub title_en: String,
    pub summary_fa: String,
    pub summary_en: String,
    pub drafting_unit: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// When comments stopped: `closes_at`, or an earlier close.
    pub closed_at: DateTime<Utc>,
    pub portal_url: String,
}

/// Comments received, by moderation outcome (comment counts, not people: never suppressed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentCounts {
    pub total: i64,
    pub approved: i64,
    pub rejected: i64,
    pub hidden: i64,
    pub pending: i64,
    /// Approved comments marked as proposals.
    pub proposals: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyConcerns {
    /// The consultation's concern tags by the number of approved comments carrying them, most first.
    pub tags: Vec<TagConcern>,
    /// The largest campaign groups (identical comments from several people) with an approved member.
    pub campaigns: Vec<Campaign>,
    /// The most frequent terms of approved comments after Persian normalisation and stop-word
    /// removal, by the number of comments using them.
    pub terms: Vec<TermCount>,
    /// Every article of the draft that comments named, most commented first, then by article
    /// number (then version). A comment on an article of an earlier version of the draft counts
    /// under that article in ITS version ([`ArticleRef::version`]): the same number in two
    /// versions is two rows. Empty in reports generated before comments could name an article.
    #[serde(default)]
    pub articles: Vec<ArticleConcern>,
    /// The comments that name no article: about the draft as a whole (replies count under the
    /// article they name themselves, if any). Absent from reports generated before comments
    /// could name an article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whole_draft: Option<PartConcern>,
}

/// What the comments about one part of the draft (an article, or the draft as a whole) amount
/// to. Counts of comments, not of people: exact, never suppressed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartConcern {
    /// Comments received (every moderation outcome).
    pub comments: i64,
    pub approved: i64,
    /// Approved comments marked as proposals.
    pub proposals: i64,
    /// The concern tags used most on its approved comments (up to [`TAGS_PER_ARTICLE`]), most
    /// first; the consultation's list order among equals.
    pub tags: Vec<TagCount>,
    /// Up to three approved comments, chosen as a tag's examples are: the first of each of the
    /// largest campaign groups, then the earliest.
    pub examples: Vec<Excerpt>,
}

/// How many tags a [`PartConcern`] lists.
pub const TAGS_PER_ARTICLE: usize = 3;

/// The comments that named one article of the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleConcern {
    /// The article, in the version of the draft the comments were written on.
    pub article: ArticleRef,
    /// The article's heading, when the draft gives it one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading_fa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading_en: Option<String>,
    /// On the wire its fields sit beside `article` (`comments`, `approved`, …).
    #[serde(flatten)]
    pub concerns: PartConcern,
}

/// A concern tag and the number of approved comments carrying it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagCount {
    pub code: String,
    pub label_fa: String,
    pub label_en: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagConcern {
    pub code: String,
    pub label_fa: String,
    pub label_en: String,
    /// Approved comments with this tag.
    pub count: i64,
    /// Up to three representative comments: from the largest groups carrying the tag.
    pub examples: Vec<Excerpt>,
}

/// The start of a comment (untrusted text, as the citizen wrote it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excerpt {
    pub comment_id: i64,
    pub text: String,
}

/// Longest excerpt, in characters (an ellipsis marks a cut).
pub const EXCERPT_CHARS: usize = 280;

impl Excerpt {
    /// The first [`EXCERPT_CHARS`] characters of `body`, whitespace collapsed.
    pub fn of(comment_id: i64, body: &str) -> Self {
        let collapsed: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = if collapsed.chars().count() > EXCERPT_CHARS {
            let mut cut: String = collapsed.chars().take(EXCERPT_CHARS).collect();
            cut.push('…');
            cut
        } else {
            collapsed
        };
        Excerpt { comment_id, text }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub group_id: i64,
    /// Comments in the group (all moderation outcomes).
    pub size: i64,
    pub excerpt: Excerpt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermCount {
    pub term: String,
    pub count: i64,
}

/// Participants (everyone who commented or cast a ballot) broken down four ways, each with the
/// `unknown` ("not stated") bucket, every bucket listed in a fixed order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdowns {
    pub total: i64,
    /// Of `total`, the participants who had verified a mobile number (one person each; only they
    /// could vote). Zero in reports generated before verification existed.
    #[serde(default)]
    pub verified: i64,
    pub by_age_band: Vec<Cell>,
    pub by_gender: Vec<Cell>,
    pub by_province: Vec<Cell>,
    pub by_category: Vec<Cell>,
}

impl Breakdowns {
    pub fn by(&self, dimension: Breakdown) -> &[Cell] {
        match dimension {
            Breakdown::AgeBand => &self.by_age_band,
            Breakdown::Gender => &self.by_gender,
            Breakdown::Province => &self.by_province,
            Breakdown::Category => &self.by_category,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// A bucket code of the dimension, or `unknown`.
    pub key: String,
    pub count: CellCount,
}

/// Activity on one day (Asia/Tehran).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnoutDay {
    pub day: NaiveDate,
    /// Comments sent that day (all outcomes).
    pub comments: i64,
    /// Ballots first cast that day.
    pub ballots: i64,
    /// People who commented or voted that day.
    pub participants: CellCount,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollReport {
    pub poll_id: i64,
    pub kind: PollKind,
    pub question_fa: String,
    pub question_en: String,
    pub options: Vec<PollOption>,
    /// Ballots cast (exact).
    pub ballots: i64,
    /// People who chose each option, in option order.
    pub counts: Vec<OptionCount>,
    pub by_age_band: Vec<PollGroup>,
    pub by_gender: Vec<PollGroup>,
    pub by_province: Vec<PollGroup>,
    pub by_category: Vec<PollGroup>,
}

impl PollReport {
    pub fn by(&self, dimension: Breakdown) -> &[PollGroup] {
        match dimension {
            Breakdown::AgeBand => &self.by_age_band,
            Breakdown::Gender => &self.by_gender,
            Breakdown::Province => &self.by_province,
            Breakdown::Category => &self.by_category,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionCount {
    pub option_id: i64,
    pub count: CellCount,
}

/// A poll's results in one bucket of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollGroup {
    pub key: String,
    pub ballots: CellCount,
    pub counts: Vec<OptionCount>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionSummary {
    pub accepted: i64,
    pub partially_accepted: i64,
    pub rejected: i64,
    /// Every published decision, in proposal order.
    pub items: Vec<PublicDecision>,
}

/// Answer to `POST /api/v1/consultations/{id}/report/publish`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPublished {
    pub consultation_id: i64,
    pub version: i64,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
    /// Feedback messages queued for delivery to the participants (none when they had already been
    /// told of an earlier version).
    pub messages: i64,
}

/// Every bucket of a breakdown in its fixed order, `unknown` last.
pub fn bucket_keys(dimension: Breakdown) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = match dimension {
        Breakdown::AgeBand => AgeBand::ALL
            .iter()
            .filter(|b| **b != AgeBand::Unknown)
            .map(|b| b.as_str())
            .collect(),
        Breakdown::Gender => Gender::ALL.iter().map(|g| g.as_str()).collect(),
        Breakdown::Province => Province::ALL.iter().map(|p| p.code()).collect(),
        Breakdown::Category => Category::ALL.iter().map(|c| c.as_str()).collect(),
    };
    keys.push(crate::poll::UNKNOWN_BUCKET);
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_under_five_are_suppressed_on_the_wire() {
        assert_eq!(CellCount::of(0), CellCount::Suppressed);
        assert_eq!(CellCount::of(3), CellCount::Suppressed);
        assert_eq!(CellCount::of(4), CellCount::Suppressed);
        assert_eq!(CellCount::of(5), CellCount::Exact(5));
        assert_eq!(
            serde_json::to_value(CellCount::of(3)).unwrap(),
            serde_json::json!("<5")
        );
        assert_eq!(
            serde_json::to_value(CellCount::of(12)).unwrap(),
            serde_json::json!(12)
        );
        assert_eq!(
            serde_json::from_str::<CellCount>("\"<5\"").unwrap(),
            CellCount::Suppressed
        );
        assert_eq!(
            serde_json::from_str::<CellCount>("7").unwrap(),
            CellCount::Exact(7)
        );
        // A reader never accepts a small exact count: it would single someone out.
        assert!(serde_json::from_str::<CellCount>("3").is_err());
        assert!(serde_json::from_str::<CellCount>("\"few\"").is_err());
    }

    #[test]
    fn formats_and_buckets() {
        for f in ReportFormat::ALL {
            assert_eq!(ReportFormat::from_code(f.as_str()), Some(f));
            assert_eq!(
                serde_json::to_value(f).unwrap(),
                serde_json::Value::from(f.as_str())
            );
        }
        assert_eq!(bucket_keys(Breakdown::AgeBand).len(), 8);
        assert_eq!(
            bucket_keys(Breakdown::Gender),
            ["female", "male", "other", "unknown"]
        );
        assert_eq!(bucket_keys(Breakdown::Province).len(), 32);
        assert_eq!(bucket_keys(Breakdown::Category).last(), Some(&"unknown"));
    }

    #[test]
    fn concerns_per_article_on_the_wire() {
        // A report stored before comments could name an article still reads.
        let before: KeyConcerns =
            serde_json::from_str(r#"{"tags": [], "campaigns": [], "terms": []}"#).unwrap();
        assert_eq!((before.articles.len(), before.whole_draft), (0, None));
        let article = ArticleConcern {
            article: ArticleRef {
                article_id: 41,
                number: 3,
                label: "۳".into(),
                version: 1,
            },
            heading_fa: Some("مهلت".into()),
            heading_en: None,
            concerns: PartConcern {
                comments: 4,
                approved: 3,
                proposals: 1,
                tags: vec![TagCount {
                    code: "fees".into(),
                    label_fa: "شهریه".into(),
                    label_en: "Fees".into(),
                    count: 2,
                }],
                examples: vec![Excerpt::of(9, "متن")],
            },
        };
        let wire = serde_json::to_value(&article).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({
                "article": {"article_id": 41, "number": 3, "label": "۳", "version": 1},
                "heading_fa": "مهلت",
                "comments": 4, "approved": 3, "proposals": 1,
                "tags": [{"code": "fees", "label_fa": "شهریه", "label_en": "Fees", "count": 2}],
                "examples": [{"comment_id": 9, "text": "متن"}],
            })
        );
        assert_eq!(
            serde_json::from_value::<ArticleConcern>(wire).unwrap(),
            article
        );
    }

    #[test]
    fn excerpts_are_cut_on_characters() {
        let e = Excerpt::of(1, &format!("  {}\n\n{}", "ب".repeat(200), "پ".repeat(200)));
        assert_eq!(e.text.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.text.ends_with('…'));
        assert_eq!(Excerpt::of(2, "a  b\nc").text, "a b c");
    }
}

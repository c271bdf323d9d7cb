//! Consultations (calls for public comment on a draft) and the deadline monitoring view.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What kind of draft is out for comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationKind {
    Regulation,
    Bill,
    Instruction,
    Circular,
    BoardResolution,
    ServiceSurvey,
}

impl ConsultationKind {
    pub const ALL: [ConsultationKind; 6] = [
        ConsultationKind::Regulation,
        ConsultationKind::Bill,
        ConsultationKind::Instruction,
        ConsultationKind::Circular,
        ConsultationKind::BoardResolution,
        ConsultationKind::ServiceSurvey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsultationKind::Regulation => "regulation",
            ConsultationKind::Bill => "bill",
            ConsultationKind::Instruction => "instruction",
            ConsultationKind::Circular => "circular",
            ConsultationKind::BoardResolution => "board_resolution",
            ConsultationKind::ServiceSurvey => "service_survey",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

/// Life cycle: `draft` → (`scheduled` when published before `opens_at`) → `open` → `closed`.
/// A scheduled consultation opens by itself at `opens_at` and closes by itself at `closes_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationStatus {
    Draft,
    Scheduled,
    Open,
    Closed,
}

impl ConsultationStatus {
    pub const ALL: [ConsultationStatus; 4] = [
        ConsultationStatus::Draft,
        ConsultationStatus::Scheduled,
        ConsultationStatus::Open,
        ConsultationStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsultationStatus::Draft => "draft",
            ConsultationStatus::Scheduled => "scheduled",
            ConsultationStatus::Open => "open",
            ConsultationStatus::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

/// `POST /api/v1/consultations` (operator). Created as a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewConsultation {
    pub kind: ConsultationKind,
    pub title_fa: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub summary_fa: String,
    #[serde(default)]
    pub summary_en: String,
    pub drafting_unit: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    #[serde(default)]
    pub portal_url: String,
    /// Why the window may be under 30 days. Only an admin may record it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_window_reason: Option<String>,
}

/// `PATCH /api/v1/consultations/{id}`: only the fields present change. Moving `closes_at` later on an
/// open consultation is a deadline extension and is written to the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ConsultationKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_fa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_fa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drafting_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portal_url: Option<String>,
    /// Admin only. An empty string clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_window_reason: Option<String>,
}

/// `POST /api/v1/consultations/{id}/close` (admin): close before `closes_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloseRequest {
    pub reason: String,
}

/// A consultation as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    pub id: i64,
    pub kind: ConsultationKind,
    pub status: ConsultationStatus,
    pub title_fa: String,
    pub title_en: String,
    pub summary_fa: String,
    pub summary_en: String,
    pub drafting_unit: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub portal_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_window_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
    /// Set when an admin closed the consultation before `closes_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_early_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_early_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Number of comments received (all statuses).
    pub comment_count: i64,
    /// When the post-deadline report was published, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_published_at: Option<DateTime<Utc>>,
}

impl Consultation {
    /// When comments stopped (or stop): the early close, else the deadline.
    pub fn closed_at(&self) -> DateTime<Utc> {
        self.closed_early_at.unwrap_or(self.closes_at)
    }

    /// Length of the comment window in whole days.
    pub fn window_days(&self) -> i64 {
        window_days(self.opens_at, self.closes_at)
    }
}

/// Length of a comment window in whole days (rounded down).
pub fn window_days(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> i64 {
    (closes_at - opens_at).num_days()
}

/// Whether the window meets the policy's 30-day minimum.
pub fn window_is_short(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> bool {
    closes_at - opens_at < chrono::Duration::days(crate::MIN_WINDOW_DAYS)
}

/// A call as the public portal sees it: bilingual, with its portal link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicConsultation {
    pub id: i64,
    pub kind: ConsultationKind,
    pub status: ConsultationStatus,
    pub title_fa: String,
    pub title_en: String,
    pub summary_fa: String,
    pub summary_en: String,
    pub drafting_unit: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub portal_url: String,
}

/// Why a consultation needs attention in the deadline view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineFlag {
    /// Closed, and the report was not published by `report_due_at`.
    ReportOverdue,
    /// Open and closing within the configured number of days.
    ClosingSoon,
    /// Window under 30 days.
    ShortWindow,
    /// An English title or summary is empty.
    MissingTranslation,
}

impl DeadlineFlag {
    pub const ALL: [DeadlineFlag; 4] = [
        DeadlineFlag::ReportOverdue,
        DeadlineFlag::ClosingSoon,
        DeadlineFlag::ShortWindow,
        DeadlineFlag::MissingTranslation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineFlag::ReportOverdue => "report_overdue",
            DeadlineFlag::ClosingSoon => "closing_soon",
            DeadlineFlag::ShortWindow => "short_window",
            DeadlineFlag::MissingTranslation => "missing_translation",
        }
    }
}

/// One row of `GET /api/v1/deadlines`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineItem {
    pub consultation_id: i64,
    pub kind: ConsultationKind,
    pub title_fa: String,
    pub title_en: String,
    pub status: ConsultationStatus,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Whole days until `closes_at` (negative once closed).
    pub days_left: i64,
    pub window_days: i64,
    /// When the post-deadline report is due; set once the consultation has a closing time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_due_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_published_at: Option<DateTime<Utc>>,
    pub flags: Vec<DeadlineFlag>,
}

/// `GET /api/v1/deadlines`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlinesResponse {
    pub items: Vec<DeadlineItem>,
    pub closing_soon_days: i64,
    pub report_due_days: i64,
    pub generated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn window_rule_boundaries() {
        let open = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        assert!(!window_is_short(open, open + chrono::Duration::days(30)));
        assert!(window_is_short(
            open,
            open + chrono::Duration::days(30) - chrono::Duration::seconds(1)
        ));
        assert_eq!(
            window_days(open, open + chrono::Duration::hours(24 * 45 + 5)),
            45
        );
    }

    #[test]
    fn kinds_and_statuses_round_trip() {
        for k in ConsultationKind::ALL {
            assert_eq!(ConsultationKind::from_code(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::from(k.as_str())
            );
        }
        for s in ConsultationStatus::ALL {
            assert_eq!(ConsultationStatus::from_code(s.as_str()), Some(s));
        }
    }
}

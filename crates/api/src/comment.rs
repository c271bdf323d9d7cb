//! Comments, proposals and the moderation queue.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ParticipantSummary;

/// `POST /api/v1/public/consultations/{id}/comments` with the participant's bearer token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewComment {
    pub body: String,
    /// A reply: the comment this one answers (same consultation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<i64>,
    /// A concrete proposal to change the draft; proposals get a documented answer after the deadline.
    #[serde(default)]
    pub is_proposal: bool,
    /// The article of the draft this comment is about (an [`crate::Article`] id of any version of
    /// this consultation's draft); none for the draft as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_id: Option<i64>,
}

/// `202` answer to a new comment: it waits for moderation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentAccepted {
    pub id: i64,
    pub status: CommentStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentStatus {
    Pending,
    Approved,
    Rejected,
    Hidden,
}

impl CommentStatus {
    pub const ALL: [CommentStatus; 4] = [
        CommentStatus::Pending,
        CommentStatus::Approved,
        CommentStatus::Rejected,
        CommentStatus::Hidden,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Pending => "pending",
            CommentStatus::Approved => "approved",
            CommentStatus::Rejected => "rejected",
            CommentStatus::Hidden => "hidden",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// What a moderator does with a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationAction {
    Approve,
    Reject,
    Hide,
}

impl ModerationAction {
    pub const ALL: [ModerationAction; 3] = [
        ModerationAction::Approve,
        ModerationAction::Reject,
        ModerationAction::Hide,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ModerationAction::Approve => "approve",
            ModerationAction::Reject => "reject",
            ModerationAction::Hide => "hide",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == code)
    }

    /// The status a comment takes after this action.
    pub fn resulting_status(self) -> CommentStatus {
        match self {
            ModerationAction::Approve => CommentStatus::Approved,
            ModerationAction::Reject => CommentStatus::Rejected,
            ModerationAction::Hide => CommentStatus::Hidden,
        }
    }

    /// Rejecting or hiding must say why; approving need not.
    pub fn needs_reason(self) -> bool {
        !matches!(self, ModerationAction::Approve)
    }
}

/// The last moderation decision on a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationRecord {
    pub action: ModerationAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

/// A comment as staff see it. `body` is exactly what the citizen typed: untrusted, shown only through
/// the console's RTL sanitiser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub consultation_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<i64>,
    pub participant: ParticipantSummary,
    pub body: String,
    pub is_proposal: bool,
    pub status: CommentStatus,
    pub created_at: DateTime<Utc>,
    /// Every comment belongs to a campaign group: the comments of its consultation whose normalised
    /// text is identical (see `text::normalize_for_duplicates`).
    pub duplicate_group_id: i64,
    /// Members of the group, this one included (1 when the text is unique).
    pub duplicate_group_size: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<ModerationRecord>,
    /// The article of the draft the comment is about ("ماده ۳" of version 2), if it named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<crate::ArticleRef>,
    /// Where the comment was written: the portal or the JSON API (`web`), or the Bale bot.
    #[serde(default)]
    pub source: CommentSource,
}

/// Where a comment came from. Every source goes through the same validation and the same queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentSource {
    /// The portal's forms or `POST /public/consultations/{id}/comments`.
    #[default]
    Web,
    /// A reply to a call's message in the Bale bot.
    Bale,
}

impl CommentSource {
    pub const ALL: [CommentSource; 2] = [CommentSource::Web, CommentSource::Bale];

    pub fn as_str(self) -> &'static str {
        match self {
            CommentSource::Web => "web",
            CommentSource::Bale => "bale",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

/// An ancestor of a claimed comment, root first, for thread context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadComment {
    pub id: i64,
    pub display_name: String,
    pub body: String,
    pub status: CommentStatus,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/queue/claim`: take up to `limit` pending comments (oldest first) under an exclusive
/// lease. Two moderators never hold the same comment; an expired lease returns it to the queue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consultation_id: Option<i64>,
    #[serde(default = "default_claim_limit")]
    pub limit: u32,
}

fn default_claim_limit() -> u32 {
    20
}

/// Largest batch one claim may take.
pub const MAX_CLAIM_LIMIT: u32 = 200;

/// One claimed comment: present `claim_token` with the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimedComment {
    #[serde(flatten)]
    pub comment: Comment,
    pub claim_token: String,
    pub consultation_title_fa: String,
    pub consultation_title_en: String,
    #[serde(default)]
    pub thread: Vec<ThreadComment>,
    /// The consultation's concern tags: the codes a decision on this comment may carry (any tag
    /// when the list is empty).
    #[serde(default)]
    pub concern_tags: Vec<crate::ConcernTag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimResponse {
    pub items: Vec<ClaimedComment>,
    pub lease_expires_at: DateTime<Utc>,
}

/// `POST /api/v1/queue/renew`: extend the lease of claims still being worked on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewRequest {
    pub claim_tokens: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewResponse {
    /// How many of the given claims were still held and are now extended.
    pub renewed: u64,
    pub lease_expires_at: DateTime<Utc>,
}

/// `POST /api/v1/queue/release`: give claims back. No tokens: release every claim the caller holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseRequest {
    #[serde(default)]
    pub claim_tokens: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseResponse {
    pub released: u64,
}

/// `POST /api/v1/comments/{id}/decision`, with an `Idempotency-Key` header. A pending comment needs the
/// `claim_token` of a live claim; a comment already decided may be decided again (a revision) without
/// one, and the history keeps both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRequest {
    pub action: ModerationAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionResponse {
    pub comment: Comment,
}

/// `POST /api/v1/comments/bulk-decision`: one decision for a list of ids or a whole campaign group.
/// Members still pending and not claimed by another moderator are decided; the rest are reported as
/// skipped with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkDecisionRequest {
    #[serde(default)]
    pub ids: Vec<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_group_id: Option<i64>,
    pub action: ModerationAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkSkip {
    pub id: i64,
    /// `claimed_by_other`, `already_decided` or `not_found`.
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkDecisionResponse {
    pub decided: Vec<i64>,
    pub skipped: Vec<BulkSkip>,
}

/// A reason a moderator may give, owned by the server: `GET /api/v1/reasons`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCode {
    pub code: String,
    pub label_fa: String,
    pub label_en: String,
    /// The actions this reason may accompany.
    pub actions: Vec<ModerationAction>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_defaults() {
        let c: ClaimRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(c.limit, 20);
        assert_eq!(c.consultation_id, None);
    }

    #[test]
    fn actions() {
        assert!(!ModerationAction::Approve.needs_reason());
        assert!(ModerationAction::Reject.needs_reason());
        assert_eq!(
            ModerationAction::Hide.resulting_status(),
            CommentStatus::Hidden
        );
        for a in ModerationAction::ALL {
            assert_eq!(ModerationAction::from_code(a.as_str()), Some(a));
        }
    }
}

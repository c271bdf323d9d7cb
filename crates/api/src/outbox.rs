//! Feedback delivery: the outbox of messages to participants through their messenger (Bale, Eitaa)
//! or a signed webhook. `GET /api/v1/outbox?status=&consultation_id=&after=&limit=` and
//! `POST /api/v1/outbox/{id}/retry` (operator).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Channel, Language};

/// Where a message is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting for its next attempt (`next_attempt_at`).
    Pending,
    Sent,
    /// Given up: too many failed attempts, or refused for good. `POST …/retry` sends it again.
    Dead,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 3] = [
        OutboxStatus::Pending,
        OutboxStatus::Sent,
        OutboxStatus::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Dead => "dead",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// What a message tells its participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// The answer to a proposal of theirs (or of their campaign group); `subject_id` is the proposal.
    DecisionPublished,
    /// The comprehensive report of a consultation they took part in; `subject_id` is the consultation.
    ReportPublished,
    /// A participation certificate; `subject_id` is the certificate.
    CertificateIssued,
    /// A call for participation, posted to the ministry's channel when the consultation opens;
    /// `subject_id` is the consultation and there is no participant.
    CallPublished,
    /// The same call again, within three days of the deadline; as [`MessageKind::CallPublished`].
    CallClosing,
    /// Their comment was rejected or hidden: the reason (and the moderator's note); `subject_id`
    /// is the comment.
    CommentDeclined,
    /// Their proposal was approved and published: where its answer will appear; `subject_id` is
    /// the comment.
    ProposalApproved,
}

impl MessageKind {
    pub const ALL: [MessageKind; 7] = [
        MessageKind::DecisionPublished,
        MessageKind::ReportPublished,
        MessageKind::CertificateIssued,
        MessageKind::CallPublished,
        MessageKind::CallClosing,
        MessageKind::CommentDeclined,
        MessageKind::ProposalApproved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::DecisionPublished => "decision_published",
            MessageKind::ReportPublished => "report_published",
            MessageKind::CertificateIssued => "certificate_issued",
            MessageKind::CallPublished => "call_published",
            MessageKind::CallClosing => "call_closing",
            MessageKind::CommentDeclined => "comment_declined",
            MessageKind::ProposalApproved => "proposal_approved",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

/// `GET /api/v1/outbox/counts`: how many messages are in each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sent: i64,
    pub dead: i64,
}

/// One message of the outbox. The handle it goes to stays on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: i64,
    /// Absent on a call broadcast to a channel (`call_published`, `call_closing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<i64>,
    pub consultation_id: i64,
    pub channel: Channel,
    pub status: OutboxStatus,
    /// Attempts made so far (an attempt counts when it starts).
    pub attempts: i64,
    /// When the next attempt is due (pending messages).
    pub next_attempt_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempt_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Sent with every attempt (header `Idempotency-Key`, and in the message), the same on each.
    pub idempotency_key: String,
    pub kind: MessageKind,
    pub subject_id: i64,
    pub language: Language,
    pub text: String,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
}

/// What a signed webhook receives (`POST` to the participant's URL, JSON), with the headers
/// `Idempotency-Key` and `X-Mosharekat-Signature: sha256=<hex HMAC-SHA256 of the body>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookPayload {
    pub idempotency_key: String,
    pub kind: MessageKind,
    pub consultation_id: i64,
    pub subject_id: i64,
    pub language: Language,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

/// The signature header of a webhook delivery.
pub const SIGNATURE_HEADER: &str = "X-Mosharekat-Signature";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::from_code(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::Value::from(s.as_str())
            );
        }
        for k in MessageKind::ALL {
            assert_eq!(MessageKind::from_code(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::from(k.as_str())
            );
        }
    }
}

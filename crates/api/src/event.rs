//! Live events: `GET /api/v1/events` (Server-Sent Events).
//!
//! Each event is stored with a sequence id before it is sent, so a client that reconnects with
//! `Last-Event-ID` is sent everything it missed. The SSE `event:` field is the kind, `id:` the
//! sequence id and `data:` the JSON of [`Event`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{CommentStatus, ConsultationStatus, Tally};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: i64,
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What happened. On the wire: `{"kind": "comment.created", "data": {…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data")]
pub enum EventKind {
    #[serde(rename = "comment.created")]
    CommentCreated {
        comment_id: i64,
        consultation_id: i64,
        duplicate_group_id: i64,
        duplicate_group_size: i64,
    },
    #[serde(rename = "comment.decided")]
    CommentDecided {
        comment_id: i64,
        consultation_id: i64,
        status: CommentStatus,
        decided_by: String,
    },
    #[serde(rename = "comment.released")]
    CommentReleased { comment_ids: Vec<i64> },
    #[serde(rename = "ballot.cast")]
    BallotCast {
        poll_id: i64,
        consultation_id: i64,
        tally: Tally,
    },
    #[serde(rename = "consultation.changed")]
    ConsultationChanged {
        consultation_id: i64,
        status: ConsultationStatus,
    },
}

impl EventKind {
    /// The SSE `event:` name.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::CommentCreated { .. } => "comment.created",
            EventKind::CommentDecided { .. } => "comment.decided",
            EventKind::CommentReleased { .. } => "comment.released",
            EventKind::BallotCast { .. } => "ballot.cast",
            EventKind::ConsultationChanged { .. } => "consultation.changed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_shape_and_names_agree() {
        let e = Event {
            id: 7,
            at: DateTime::from_timestamp(0, 0).unwrap(),
            kind: EventKind::CommentDecided {
                comment_id: 3,
                consultation_id: 1,
                status: CommentStatus::Approved,
                decided_by: "mod1".into(),
            },
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "comment.decided");
        assert_eq!(v["data"]["status"], "approved");
        assert_eq!(v["kind"], e.kind.name());
        let back: Event = serde_json::from_value(v).unwrap();
        assert_eq!(back, e);
    }
}

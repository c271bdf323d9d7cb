//! Live events: `GET /api/v1/events` (Server-Sent Events).
//!
//! Each event is stored with a sequence id before it is sent, so a client that reconnects with
//! `Last-Event-ID` is sent everything it missed. The SSE `event:` field is the kind, `id:` the
//! sequence id and `data:` the JSON of [`Event`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    CertificateKind, CertificateStatus, CommentStatus, ConsultationStatus, OutboxStatus, Tally,
};

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
    /// A decision on a proposal was saved (a draft, or a new version of one).
    #[serde(rename = "proposal.decided")]
    ProposalDecided {
        proposal_id: i64,
        consultation_id: i64,
        version: i64,
        decided_by: String,
    },
    /// Decisions were published (and their feedback messages queued).
    #[serde(rename = "decisions.published")]
    DecisionsPublished {
        consultation_id: i64,
        proposal_ids: Vec<i64>,
    },
    /// A consultation's concern-tag list was replaced.
    #[serde(rename = "tags.changed")]
    TagsChanged { consultation_id: i64 },
    /// A new version of a consultation's draft text was imported.
    #[serde(rename = "document.imported")]
    DocumentImported {
        consultation_id: i64,
        version: i64,
        articles: u32,
    },
    /// A report draft was generated or regenerated.
    #[serde(rename = "report.generated")]
    ReportGenerated { consultation_id: i64, version: i64 },
    #[serde(rename = "report.published")]
    ReportPublished { consultation_id: i64, version: i64 },
    /// An outbox message needs attention or was put back in line: it went dead, or was retried.
    #[serde(rename = "outbox.changed")]
    OutboxChanged {
        message_id: i64,
        status: OutboxStatus,
        attempts: i64,
    },
    /// A certificate was proposed, approved (issued), rejected or revoked.
    #[serde(rename = "certificate.changed")]
    CertificateChanged {
        certificate_id: i64,
        participant_id: i64,
        consultation_id: i64,
        kind: CertificateKind,
        status: CertificateStatus,
    },
    /// The certificate rules ran over a consultation and proposed these (none when all were
    /// proposed before).
    #[serde(rename = "certificates.proposed")]
    CertificatesProposed {
        consultation_id: i64,
        certificate_ids: Vec<i64>,
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
            EventKind::ProposalDecided { .. } => "proposal.decided",
            EventKind::DecisionsPublished { .. } => "decisions.published",
            EventKind::TagsChanged { .. } => "tags.changed",
            EventKind::DocumentImported { .. } => "document.imported",
            EventKind::ReportGenerated { .. } => "report.generated",
            EventKind::ReportPublished { .. } => "report.published",
            EventKind::OutboxChanged { .. } => "outbox.changed",
            EventKind::CertificateChanged { .. } => "certificate.changed",
            EventKind::CertificatesProposed { .. } => "certificates.proposed",
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

    #[test]
    fn every_kind_is_sent_under_its_name() {
        let kinds = [
            EventKind::ProposalDecided {
                proposal_id: 1,
                consultation_id: 2,
                version: 3,
                decided_by: "op".into(),
            },
            EventKind::DecisionsPublished {
                consultation_id: 2,
                proposal_ids: vec![1],
            },
            EventKind::TagsChanged { consultation_id: 2 },
            EventKind::DocumentImported {
                consultation_id: 2,
                version: 3,
                articles: 12,
            },
            EventKind::ReportGenerated {
                consultation_id: 2,
                version: 1,
            },
            EventKind::ReportPublished {
                consultation_id: 2,
                version: 1,
            },
            EventKind::OutboxChanged {
                message_id: 9,
                status: OutboxStatus::Dead,
                attempts: 8,
            },
            EventKind::CertificateChanged {
                certificate_id: 4,
                participant_id: 5,
                consultation_id: 2,
                kind: CertificateKind::Distinction,
                status: CertificateStatus::Approved,
            },
            EventKind::CertificatesProposed {
                consultation_id: 2,
                certificate_ids: vec![4, 6],
            },
        ];
        for kind in kinds {
            let v = serde_json::to_value(&kind).unwrap();
            assert_eq!(v["kind"], kind.name());
            assert_eq!(serde_json::from_value::<EventKind>(v).unwrap(), kind);
        }
    }
}

//! Wire types of the mosharekat protocol (`/api/v1`, JSON over HTTP).
//!
//! This crate is the protocol's single source of truth: the console sends and reads these types, the
//! reference server produces and parses them, and the served OpenAPI document is written from them.
//! It holds data and its validation rules only: no I/O, no HTTP client, no storage.

pub mod audit;
pub mod auth;
pub mod certificate;
pub mod comment;
pub mod consultation;
pub mod draft;
pub mod error;
pub mod event;
pub mod outbox;
pub mod page;
pub mod participant;
pub mod paths;
pub mod phone;
pub mod poll;
pub mod proposal;
pub mod province;
pub mod report;
pub mod score;
pub mod staff;
pub mod tag;
pub mod text;

pub use audit::AuditEntry;
pub use auth::{LoginRequest, LoginResponse, Role};
pub use comment::{
    BulkDecisionRequest, BulkDecisionResponse, ClaimRequest, ClaimResponse, ClaimedComment,
    Comment, CommentAccepted, CommentSource, CommentStatus, DecisionRequest, DecisionResponse,
    ModerationAction, NewComment, ReasonCode, ReleaseRequest, ReleaseResponse, RenewRequest,
    RenewResponse, ThreadComment,
};
pub use consultation::{
    CloseRequest, Consultation, ConsultationKind, ConsultationPatch, ConsultationStatus,
    DeadlineFlag, DeadlineItem, DeadlinesResponse, NewConsultation, PublicConsultation,
};
pub use draft::{
    Article, ArticleChange, ArticleChangeKind, ArticleContent, ArticleRef, Clause, DraftContent,
    DraftDiff, DraftFormat, DraftImport, DraftVersion, DraftVersionSummary, Note,
};
pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use event::{Event, EventKind};
pub use outbox::{MessageKind, OutboxCounts, OutboxMessage, OutboxStatus, WebhookPayload};
pub use page::Page;
pub use participant::{
    AgeBand, Category, Channel, Gender, Language, MessengerLink, MessengerLinkRequest,
    NewParticipant, ParticipantCreated, ParticipantSummary, PhoneProof, VerificationRequest,
    VerificationSent,
};
pub use phone::{PhoneError, PhoneNumber};
pub use poll::{
    BallotAccepted, BallotRequest, Breakdown, NewPoll, NewPollOption, Poll, PollKind, PollOption,
    Tally, TallyCell, TallyGroup, TurnoutPoint,
};
pub use proposal::{
    DecisionConflict, DecisionsPublished, Outcome, Proposal, ProposalDecision,
    ProposalDecisionRequest, PublicDecision,
};
pub use province::Province;
pub use report::{CellCount, Report, ReportFormat, ReportPublished};
pub use staff::{NewStaff, Staff, StaffPatch};
pub use tag::ConcernTag;

pub use certificate::{
    BulkApproveRequest, BulkApproveResponse, Certificate, CertificateEvidence, CertificateKind,
    CertificateQuery, CertificateSkip, CertificateStatus, Credential, ProposeRequest,
    ProposeResponse, PublicCertificate, PublicKey, PublicKeys, ReasonRequest, VerifyResult,
};
pub use score::{
    Contribution, ContributionKind, LeaderboardEntry, LeaderboardQuery, LeaderboardResponse,
    ParticipantScore, Period, PublicTopList, PublicTopParticipant, ScoringRule,
};

/// Path prefix of every route of this protocol version.
pub const API_PREFIX: &str = "/api/v1";

/// The minimum public comment window the policy suggests, in days.
pub const MIN_WINDOW_DAYS: i64 = 30;

/// Longest comment body accepted, in characters (Unicode scalar values).
pub const MAX_COMMENT_CHARS: usize = 10_000;

/// Largest request body the server reads, in bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every enum travels as the same code its `as_str` gives (the code the store keeps and the
    /// documentation names).
    #[test]
    fn wire_form_of_every_enum_is_its_code() {
        fn check<
            T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
        >(
            values: impl IntoIterator<Item = T>,
            code: impl Fn(&T) -> &'static str,
        ) {
            for v in values {
                let wire = serde_json::to_value(&v).unwrap();
                assert_eq!(wire, serde_json::Value::from(code(&v)), "{v:?}");
                assert_eq!(serde_json::from_value::<T>(wire).unwrap(), v);
            }
        }
        check(Role::ALL, |v| v.as_str());
        check(CommentStatus::ALL, |v| v.as_str());
        check(ModerationAction::ALL, |v| v.as_str());
        check(ConsultationKind::ALL, |v| v.as_str());
        check(ConsultationStatus::ALL, |v| v.as_str());
        check(DeadlineFlag::ALL, |v| v.as_str());
        check(Category::ALL, |v| v.as_str());
        check(Gender::ALL, |v| v.as_str());
        check(Channel::ALL, |v| v.as_str());
        check(AgeBand::ALL, |v| v.as_str());
        check(PollKind::ALL, |v| v.as_str());
        check(Breakdown::ALL, |v| v.as_str());
        check(Province::ALL.iter().copied(), |v| v.code());
        check([Language::Fa, Language::En], |v| v.as_str());
        check(Outcome::ALL, |v| v.as_str());
        check(OutboxStatus::ALL, |v| v.as_str());
        check(MessageKind::ALL, |v| v.as_str());
        check(ReportFormat::ALL, |v| v.as_str());
        check(ContributionKind::ALL, |v| v.as_str());
        check(Period::ALL, |v| v.as_str());
        check(DraftFormat::ALL, |v| v.as_str());
        check(ArticleChangeKind::ALL, |v| v.as_str());
        check(CertificateKind::ALL, |v| v.as_str());
        check(CertificateStatus::ALL, |v| v.as_str());
    }
}

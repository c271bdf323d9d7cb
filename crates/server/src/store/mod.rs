//! Storage: one [`Store`] trait, implemented once by [`SqlStore`] over a [`Dialect`]
//! ([`SqliteStore`], [`PgStore`]).
//!
//! The trait is split by area (staff, consultations, comments and the queue, polls, events, audit,
//! concern tags, proposals and their decisions, the report, the outbox, scores, certificates, the
//! drafts' versions and articles, verified phone numbers);
//! each area's file holds its trait and the SQL for it, as generic code on `SqlStore<D>`. The SQL
//! is written once with `$n` placeholders, which both SQLite and PostgreSQL accept; what differs
//! between the databases (how a write transaction starts, how a claim skips locked rows, how the
//! event sequence is kept in commit order, …) is the [`Dialect`], in `sqlite.rs` and `postgres.rs`.
//!
//! [`ImportStore`] writes whole tables at once (the demo seed) with multi-row `INSERT`s in one
//! transaction.
//!
//! Times are stored as Unix milliseconds, identifiers as 64-bit integers, lists as JSON text.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use mosharekat_api::{ErrorCode, Role};

mod audit;
mod certificates;
mod comments;
mod consultations;
mod dialect;
mod drafts;
mod events;
mod import;
mod messenger;
mod outbox;
mod participants;
mod polls;
mod postgres;
mod proposals;
mod reports;
mod scores;
mod sqlite;
mod staff;
mod tags;
mod verifications;

pub use audit::{AuditRecord, AuditStore};
pub use certificates::{CertificateFilter, CertificateStore};
pub use comments::{
    BulkTarget, CommentFilter, CommentStore, DecideOutcome, IdempotencyKey, NewCommentRecord,
};
pub use consultations::{ConsultationFilter, ConsultationStore};
pub use dialect::{Dialect, SqlStore};
pub use drafts::{DraftSource, DraftStore};
pub use events::EventStore;
pub use import::{
    Import, ImportIds, ImportStore, ImportedBallot, ImportedComment, ImportedConsultation,
    ImportedCounter, ImportedDecision, ImportedDraft, ImportedGroup, ImportedParticipant,
    ImportedPoll, ImportedStaff, ImportedTurnout,
};
pub use messenger::{ChatLink, MessengerStore, STOPPED_ERROR};
pub use outbox::{DeliveryResult, DueMessage, NewBroadcast, OutboxFilter, OutboxStore};
pub use participants::{ParticipantRecord, ParticipantStore};
pub use polls::{ParticipantBallot, PollStore};
pub use polls::{ballot_buckets, hour_start};
pub use postgres::{PgDialect, PgStore};
pub use proposals::{ProposalStore, SaveDecision};
pub(crate) use reports::comment_counts;
pub use reports::{
    ArticleCommentRow, ArticleExampleRow, ArticleRows, CampaignRow, DraftArticleRow,
    ParticipantCell, ReportStore, StoredReport, TagGroupRow, TurnoutRow,
};
pub use scores::{LeaderboardFilter, RebuildSummary, ScoreSnapshot, ScoreStore};
pub use sqlite::{SqliteDialect, SqliteStore};
pub use staff::{StaffCredentials, StaffStore};
pub use tags::TagStore;
pub use verifications::{CodeLimits, CodeSlot, PhoneVerified, VerificationStore};

/// Everything the server keeps. Implemented by [`SqliteStore`] and [`PgStore`].
pub trait Store:
    StaffStore
    + ConsultationStore
    + ParticipantStore
    + CommentStore
    + PollStore
    + EventStore
    + AuditStore
    + ImportStore
    + TagStore
    + ProposalStore
    + ReportStore
    + OutboxStore
    + ScoreStore
    + CertificateStore
    + DraftStore
    + MessengerStore
    + VerificationStore
{
    /// Which database this is, for logs and `/health`.
    fn backend(&self) -> &'static str;
}

impl<D: Dialect> Store for SqlStore<D>
where
    for<'c> &'c mut dialect::Connection<D>: sqlx::Executor<'c, Database = D::Db>,
    for<'r> &'r str: sqlx::ColumnIndex<dialect::Row<D>>,
    usize: sqlx::ColumnIndex<dialect::Row<D>>,
    for<'q> i64: sqlx::Encode<'q, D::Db> + sqlx::Decode<'q, D::Db> + sqlx::Type<D::Db>,
    for<'q> Option<i64>: sqlx::Encode<'q, D::Db>,
    for<'q> bool: sqlx::Encode<'q, D::Db> + sqlx::Decode<'q, D::Db> + sqlx::Type<D::Db>,
    for<'q> String: sqlx::Encode<'q, D::Db> + sqlx::Decode<'q, D::Db> + sqlx::Type<D::Db>,
    for<'q> Option<String>: sqlx::Encode<'q, D::Db>,
    str: sqlx::Type<D::Db>,
    for<'q> &'q str: sqlx::Encode<'q, D::Db>,
    for<'q> Option<&'q str>: sqlx::Encode<'q, D::Db>,
{
    fn backend(&self) -> &'static str {
        D::BACKEND
    }
}

/// Open the database a URL names (`sqlite://path` or `postgres://…`) and run its migrations.
pub async fn connect(url: &str, events: crate::events::EventBus) -> anyhow::Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url, events).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(PgStore::connect(url, events).await?))
    } else {
        anyhow::bail!("unsupported database URL `{url}`: use sqlite://PATH or postgres://…")
    }
}

/// The staff member doing a write, recorded in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub staff_id: i64,
    pub username: String,
    pub role: Role,
}

impl Actor {
    /// The scheduler and command-line tools act as `system` (staff id 0).
    pub fn system() -> Self {
        Self {
            staff_id: 0,
            username: "system".into(),
            role: Role::Admin,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A rule of the domain refused the write; nothing was changed.
    #[error("{message}")]
    Refused { code: ErrorCode, message: String },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn refused(code: ErrorCode, message: impl Into<String>) -> Self {
        StoreError::Refused {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        StoreError::refused(ErrorCode::NotFound, format!("{what} not found"))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

/// Unix milliseconds of a time.
pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// The time of Unix milliseconds.
pub(crate) fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Parse a stored enum code, reporting which column held something unexpected.
pub(crate) fn decode<T>(
    value: &str,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> StoreResult<T> {
    parse(value)
        .ok_or_else(|| StoreError::Corrupt(format!("unexpected value `{value}` in {column}")))
}

//! The SQLite store: the embedded default.
//!
//! WAL journal, `synchronous = NORMAL`, a busy timeout, and one writer connection: every write
//! transaction runs on it and starts with `BEGIN IMMEDIATE`, so writers never deadlock or fail with
//! SQLITE_BUSY inside this process, while readers use a pool of their own.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

/// The database the shared SQL (the `impl_*!` macros) is compiled for in this file.
type Db = Sqlite;

use super::StoreResult;
use crate::events::EventBus;

pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    events: EventBus,
    /// The scoring rules (the shipped ones until the server sets its own).
    scoring: std::sync::RwLock<std::sync::Arc<crate::incentives::rules::ScoringRules>>,
}

impl SqliteStore {
    /// Open (creating if needed) the database at `url` (`sqlite://path/to/file.db`) and migrate it.
    pub async fn connect(url: &str, events: EventBus) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&writer).await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self {
            writer,
            reader,
            events,
            scoring: Default::default(),
        })
    }

    pub(crate) fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    pub(crate) async fn begin_write(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Appends to the event and audit sequences are already in commit order: there is one writer.
    pub(crate) async fn lock_sequence(
        &self,
        _tx: &mut Transaction<'static, Sqlite>,
        _key: i64,
    ) -> StoreResult<()> {
        Ok(())
    }

    /// Nothing to signal inside the transaction: [`Self::events_committed`] wakes the local bus.
    pub(crate) async fn notify_events(
        &self,
        _tx: &mut Transaction<'static, Sqlite>,
    ) -> StoreResult<()> {
        Ok(())
    }

    pub(crate) fn events_committed(&self) {
        self.events.wake();
    }

    /// Score upkeep of one consultation needs no lock: there is one writer.
    pub(crate) async fn lock_scores(
        &self,
        _tx: &mut Transaction<'static, Sqlite>,
        _consultation_id: i64,
    ) -> StoreResult<()> {
        Ok(())
    }

    /// Nor does a rebuild.
    pub(crate) async fn lock_all_scores(
        &self,
        _tx: &mut Transaction<'static, Sqlite>,
    ) -> StoreResult<()> {
        Ok(())
    }

    /// Claim pending comments whose lease is free or expired, oldest first. The single writer makes
    /// the select-then-update atomic.
    pub(crate) const CLAIM_SQL: &'static str = "UPDATE comments
        SET claimed_by = $1, claim_token = $2 || '.' || id, lease_expires_at = $3
        WHERE id IN (
            SELECT id FROM comments
            WHERE status = 'pending' AND (lease_expires_at IS NULL OR lease_expires_at <= $4)
              AND (CAST($5 AS BIGINT) IS NULL OR consultation_id = $5)
            ORDER BY id LIMIT $6)
        RETURNING id";
}

impl SqliteStore {
    /// Tag use per tag and campaign group on approved comments (`json_each` over the tag list).
    pub(crate) const TAG_GROUPS_SQL: &'static str =
        "SELECT j.value AS tag, c.group_id, g.size AS group_size,
            MIN(c.id) AS first_comment_id, COUNT(DISTINCT c.id) AS comments
        FROM comments c
        JOIN duplicate_groups g ON g.id = c.group_id
        JOIN json_each(c.tags) j
        WHERE c.consultation_id = $1 AND c.status = 'approved' AND c.tags <> '[]'
        GROUP BY j.value, c.group_id, g.size";

    /// Claim due outbox messages: count the attempt and hold them, oldest due first. The single
    /// writer makes the select-then-update atomic.
    pub(crate) const CLAIM_OUTBOX_SQL: &'static str = "UPDATE outbox
        SET attempts = attempts + 1, last_attempt_at = $1, next_attempt_at = $2
        WHERE id IN (
            SELECT id FROM outbox
            WHERE status = 'pending' AND next_attempt_at <= $1
              AND ((channel = 'bale' AND $4) OR (channel = 'eitaa' AND $5) OR (channel = 'webhook' AND $6))
            ORDER BY next_attempt_at, id LIMIT $3)
        RETURNING id, participant_id, consultation_id, channel, handle, language, kind, subject_id, text,
            idempotency_key, status, attempts, next_attempt_at, last_attempt_at, last_error, created_at, sent_at";

    /// Nothing to do after an import: an `AUTOINCREMENT` table's sequence follows the largest id
    /// inserted, explicit or not.
    pub(crate) fn sync_id_sequence_sql(_table: &str) -> Option<String> {
        None
    }
}

impl super::Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }
}

super::staff::impl_staff_store!(SqliteStore);
super::consultations::impl_consultation_store!(SqliteStore);
super::participants::impl_participant_store!(SqliteStore);
super::comments::impl_comment_store!(SqliteStore);
super::polls::impl_poll_store!(SqliteStore);
super::events::impl_event_store!(SqliteStore);
super::audit::impl_audit_store!(SqliteStore);
super::import::impl_import_store!(SqliteStore);
super::tags::impl_tag_store!(SqliteStore);
super::proposals::impl_proposal_store!(SqliteStore);
super::reports::impl_report_store!(SqliteStore);
super::outbox::impl_outbox_store!(SqliteStore);
super::scores::impl_score_store!(SqliteStore);
super::certificates::impl_certificate_store!(SqliteStore);

//! The SQLite dialect: the embedded default.
//!
//! WAL journal, `synchronous = NORMAL`, a busy timeout, and one writer connection: every write
//! transaction runs on it and starts with `BEGIN IMMEDIATE`, so writers never deadlock or fail with
//! SQLITE_BUSY inside this process, while readers use a pool of their own. The single writer is
//! also why the sequence and score locks are no-ops and a claim's select-then-update is atomic.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

use super::{Dialect, SqlStore, StoreResult};
use crate::events::EventBus;

/// The store over SQLite.
pub type SqliteStore = SqlStore<SqliteDialect>;

/// SQLite's connections: one writer, a pool of readers.
pub struct SqliteDialect {
    writer: SqlitePool,
    reader: SqlitePool,
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
        Ok(SqlStore::new(SqliteDialect { writer, reader }, events))
    }
}

impl Dialect for SqliteDialect {
    type Db = Sqlite;

    const BACKEND: &'static str = "sqlite";

    /// The single writer makes the select-then-update atomic.
    const CLAIM_SQL: &'static str = "UPDATE comments
        SET claimed_by = $1, claim_token = $2 || '.' || id, lease_expires_at = $3
        WHERE id IN (
            SELECT id FROM comments
            WHERE status = 'pending' AND (lease_expires_at IS NULL OR lease_expires_at <= $4)
              AND (CAST($5 AS BIGINT) IS NULL OR consultation_id = $5)
            ORDER BY id LIMIT $6)
        RETURNING id";

    /// `json_each` over the tag list.
    const TAG_GROUPS_SQL: &'static str = "SELECT j.value AS tag, c.group_id, g.size AS group_size,
            MIN(c.id) AS first_comment_id, COUNT(DISTINCT c.id) AS comments
        FROM comments c
        JOIN duplicate_groups g ON g.id = c.group_id
        JOIN json_each(c.tags) j
        WHERE c.consultation_id = $1 AND c.status = 'approved' AND c.tags <> '[]'
        GROUP BY j.value, c.group_id, g.size";

    /// The single writer makes the select-then-update atomic.
    const CLAIM_OUTBOX_SQL: &'static str = const_format::concatcp!("UPDATE outbox
        SET attempts = attempts + 1, last_attempt_at = $1, next_attempt_at = $2
        WHERE id IN (
            SELECT id FROM outbox
            WHERE status = 'pending' AND next_attempt_at <= $1
              AND ((channel = 'bale' AND $4 AND ", super::messenger::LINKED_CHAT, ") OR (channel = 'eitaa' AND $5) OR (channel = 'webhook' AND $6))
            ORDER BY next_attempt_at, id LIMIT $3)
        RETURNING id, participant_id, consultation_id, channel, handle, language, kind, subject_id, text,
            idempotency_key, status, attempts, next_attempt_at, last_attempt_at, last_error, created_at, sent_at");

    fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    async fn begin_write(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Appends to the event and audit sequences are already in commit order: there is one writer.
    async fn lock_sequence(_tx: &mut Transaction<'static, Sqlite>, _key: i64) -> StoreResult<()> {
        Ok(())
    }

    /// Nothing to signal inside the transaction: `events_committed` wakes the local bus.
    async fn notify_events(_tx: &mut Transaction<'static, Sqlite>) -> StoreResult<()> {
        Ok(())
    }

    /// Score upkeep of one consultation needs no lock: there is one writer.
    async fn lock_scores(
        _tx: &mut Transaction<'static, Sqlite>,
        _consultation_id: i64,
    ) -> StoreResult<()> {
        Ok(())
    }

    /// Nor does a rebuild.
    async fn lock_all_scores(_tx: &mut Transaction<'static, Sqlite>) -> StoreResult<()> {
        Ok(())
    }

    /// Nothing to do after an import: an `AUTOINCREMENT` table's sequence follows the largest id
    /// inserted, explicit or not.
    fn sync_id_sequence_sql(_table: &str) -> Option<String> {
        None
    }
}

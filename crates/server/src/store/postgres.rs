//! The PostgreSQL dialect: production, and more than one server instance over one database.
//!
//! Claims use `FOR UPDATE SKIP LOCKED`, so concurrent moderators never wait on each other's rows.
//! Event and audit appends take a transaction-scoped advisory lock, so their ids are handed out in
//! commit order and a reader that has seen id N never later finds an N-1 it skipped. Each committed
//! event also sends a NOTIFY that wakes the SSE connections of every instance.

use std::time::Duration;

use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};

use super::{Dialect, SqlStore, StoreResult};
use crate::events::{EventBus, NOTIFY_CHANNEL};

/// The store over PostgreSQL.
pub type PgStore = SqlStore<PgDialect>;

/// PostgreSQL's connections: one pool for reads and writes.
pub struct PgDialect {
    pool: PgPool,
}

impl PgStore {
    /// Connect to `url`, migrate, and start listening for other instances' events.
    pub async fn connect(url: &str, events: EventBus) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(32)
            .acquire_timeout(Duration::from_secs(30))
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(NOTIFY_CHANNEL).await?;
        let bus = events.clone();
        tokio::spawn(async move {
            // `recv` reconnects by itself after a lost connection; every wake-up (or reconnect, after
            // which notifications may have been missed) makes subscribers re-read the table.
            loop {
                match listener.recv().await {
                    Ok(_) => bus.wake(),
                    Err(e) => {
                        tracing::warn!("event listener: {e}");
                        bus.wake();
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(SqlStore::new(PgDialect { pool }, events))
    }

    /// The pool, for tests and tools that need raw access (e.g. tampering checks).
    pub fn pool(&self) -> &PgPool {
        &self.dialect.pool
    }
}

impl Dialect for PgDialect {
    type Db = Postgres;

    const BACKEND: &'static str = "postgres";

    /// Rows another moderator is claiming are skipped, not waited for.
    const CLAIM_SQL: &'static str = "UPDATE comments
        SET claimed_by = $1, claim_token = $2 || '.' || id, lease_expires_at = $3
        WHERE id IN (
            SELECT id FROM comments
            WHERE status = 'pending' AND (lease_expires_at IS NULL OR lease_expires_at <= $4)
              AND (CAST($5 AS BIGINT) IS NULL OR consultation_id = $5)
            ORDER BY id LIMIT $6
            FOR UPDATE SKIP LOCKED)
        RETURNING id";

    /// The tag list read as `jsonb`.
    const TAG_GROUPS_SQL: &'static str = "SELECT j.tag, c.group_id, g.size AS group_size,
            MIN(c.id) AS first_comment_id, COUNT(DISTINCT c.id) AS comments
        FROM comments c
        JOIN duplicate_groups g ON g.id = c.group_id
        CROSS JOIN LATERAL jsonb_array_elements_text(CAST(c.tags AS jsonb)) AS j(tag)
        WHERE c.consultation_id = $1 AND c.status = 'approved' AND c.tags <> '[]'
        GROUP BY j.tag, c.group_id, g.size";

    /// Rows another instance is claiming are skipped, not waited for.
    const CLAIM_OUTBOX_SQL: &'static str = const_format::concatcp!("UPDATE outbox
        SET attempts = attempts + 1, last_attempt_at = $1, next_attempt_at = $2
        WHERE id IN (
            SELECT id FROM outbox
            WHERE status = 'pending' AND next_attempt_at <= $1
              AND ((channel = 'bale' AND $4 AND ", super::messenger::LINKED_CHAT, ") OR (channel = 'eitaa' AND $5) OR (channel = 'webhook' AND $6))
            ORDER BY next_attempt_at, id LIMIT $3
            FOR UPDATE SKIP LOCKED)
        RETURNING id, participant_id, consultation_id, channel, handle, language, kind, subject_id, text,
            idempotency_key, status, attempts, next_attempt_at, last_attempt_at, last_error, created_at, sent_at");

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    async fn begin_write(&self) -> StoreResult<Transaction<'static, Postgres>> {
        Ok(self.pool.begin().await?)
    }

    /// Serialise appends to one sequence (events or audit) until this transaction ends.
    async fn lock_sequence(tx: &mut Transaction<'static, Postgres>, key: i64) -> StoreResult<()> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(key)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// NOTIFY is transactional: it reaches the listeners when (and only if) the transaction commits.
    async fn notify_events(tx: &mut Transaction<'static, Postgres>) -> StoreResult<()> {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(NOTIFY_CHANNEL)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// One lock for every consultation, taken as the transaction's first lock by every write that
    /// may rescore (a moderation decision, a ballot, the publication of decisions; see
    /// `lock_scores_first`): a rescore touches a participant's total across consultations and the
    /// rows of a whole campaign group, so per-consultation locks or a lock taken midway let two
    /// writers each hold a row (or the event or audit sequence) the other needs — PostgreSQL then
    /// breaks the deadlock with an error. Taken first, the global order is score → audit → event.
    /// It costs no throughput: these writes already serialise on the event sequence until they
    /// commit.
    async fn lock_scores(
        tx: &mut Transaction<'static, Postgres>,
        _consultation_id: i64,
    ) -> StoreResult<()> {
        sqlx::query("SELECT pg_advisory_xact_lock($1, 0)")
            .bind(super::scores::SCORE_LOCK_CLASS)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// A rebuild holds the score tables alone until it commits; live upkeep waits for it.
    async fn lock_all_scores(tx: &mut Transaction<'static, Postgres>) -> StoreResult<()> {
        sqlx::query("LOCK TABLE score_contributions, participant_scores IN EXCLUSIVE MODE")
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Move the table's identity sequence past its largest id (or back to 1 for an empty table),
    /// so live inserts do not collide with imported rows.
    fn sync_id_sequence_sql(table: &str) -> Option<String> {
        Some(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
        ))
    }
}

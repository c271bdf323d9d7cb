//! The outbox of feedback messages: the staff list and retry, and the delivery worker's claims and
//! results. Rows are written by the publications they report (`proposals`, `reports`).
//!
//! A claim counts the attempt and pushes `next_attempt_at` past the time a send may take before
//! anything is sent, in its own committed transaction: a server that dies mid-send leaves the
//! message pending, and it is sent again (with the same idempotency key) once that time passes.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use const_format::concatcp;
use mosharekat_api::{Channel, Language, MessageKind, OutboxMessage, OutboxStatus};

use super::dialect::{Connection, Dialect, Row, RowsAffected as _, SqlStore};
use super::{Actor, StoreResult, decode, from_ms};

#[derive(Debug, Clone, Default)]
pub struct OutboxFilter {
    pub status: Option<OutboxStatus>,
    pub consultation_id: Option<i64>,
    /// Keyset cursor: messages with a greater id (a smaller one when `newest_first`).
    pub after: Option<i64>,
    pub limit: u32,
    /// Newest first (id descending) instead of oldest first.
    pub newest_first: bool,
}

/// A message the worker has claimed for one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueMessage {
    pub id: i64,
    /// None for a call broadcast to a channel.
    pub participant_id: Option<i64>,
    pub consultation_id: i64,
    pub channel: Channel,
    /// Where it goes: the linked chat's id (Bale), the handle given (Eitaa) or a URL (webhook).
    pub handle: String,
    pub language: Language,
    pub kind: MessageKind,
    pub subject_id: i64,
    pub text: String,
    pub idempotency_key: String,
    /// Attempts made, this one included.
    pub attempts: i64,
    pub created_at: DateTime<Utc>,
}

/// A call for participation bound for one of the ministry's channels.
#[derive(Debug, Clone)]
pub struct NewBroadcast<'a> {
    /// Unique per consultation, kind and channel: the same call is never queued twice, whichever
    /// instance or restart tries.
    pub dedup_key: &'a str,
    pub consultation_id: i64,
    pub channel: Channel,
    /// The channel's id or `@name`.
    pub handle: &'a str,
    pub kind: MessageKind,
    pub text: &'a str,
    pub now: DateTime<Utc>,
}

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryResult {
    Sent,
    /// Try again at `at`.
    Retry {
        at: DateTime<Utc>,
        error: String,
    },
    /// Give up until someone retries it by hand.
    Dead {
        error: String,
    },
}

#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// In id order (descending when the filter asks for the newest first).
    async fn list_outbox(&self, filter: &OutboxFilter) -> StoreResult<Vec<OutboxMessage>>;
    /// Messages per status, of one consultation or of all.
    async fn outbox_counts(
        &self,
        consultation_id: Option<i64>,
    ) -> StoreResult<mosharekat_api::OutboxCounts>;
    async fn outbox_message(&self, id: i64) -> StoreResult<Option<OutboxMessage>>;
    /// Put a dead message back in line, its attempts reset (`409 invalid_state` unless it is dead).
    async fn retry_outbox_message(
        &self,
        id: i64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<OutboxMessage>;
    /// Take up to `limit` pending messages due at `now` on the given channels: each attempt is
    /// counted and the message held until `hold_until` before this returns.
    async fn claim_due_messages(
        &self,
        channels: &[Channel],
        now: DateTime<Utc>,
        hold_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<DueMessage>>;
    /// Whether a message with this deduplication key was ever queued.
    async fn outbox_has(&self, dedup_key: &str) -> StoreResult<bool>;
    /// Queue a call for participation to a ministry channel (no participant), once per
    /// `dedup_key`: returns false, changing nothing, when that key was queued before.
    async fn enqueue_broadcast(&self, message: &NewBroadcast<'_>) -> StoreResult<bool>;
    /// Record how attempt number `attempt` of message `id` ended. A failure reported for an
    /// attempt that is no longer the latest (another worker took over) changes nothing.
    async fn record_delivery(
        &self,
        id: i64,
        attempt: i64,
        result: &DeliveryResult,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct OutboxRow {
    pub id: i64,
    pub participant_id: Option<i64>,
    pub consultation_id: i64,
    pub channel: String,
    pub handle: String,
    pub language: String,
    pub kind: String,
    pub subject_id: i64,
    pub text: String,
    pub idempotency_key: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_attempt_at: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// The columns of an [`OutboxRow`].
pub(crate) const OUTBOX_COLUMNS: &str = "id, participant_id, consultation_id, channel, handle,
    language, kind, subject_id, text, idempotency_key, status, attempts, next_attempt_at,
    last_attempt_at, last_error, created_at, sent_at";

impl OutboxRow {
    pub(crate) fn into_api(self) -> StoreResult<OutboxMessage> {
        Ok(OutboxMessage {
            id: self.id,
            participant_id: self.participant_id,
            consultation_id: self.consultation_id,
            channel: decode(&self.channel, "outbox.channel", Channel::from_code)?,
            status: decode(&self.status, "outbox.status", OutboxStatus::from_code)?,
            attempts: self.attempts,
            next_attempt_at: from_ms(self.next_attempt_at),
            last_attempt_at: self.last_attempt_at.map(from_ms),
            last_error: self.last_error,
            idempotency_key: self.idempotency_key,
            kind: decode(&self.kind, "outbox.kind", MessageKind::from_code)?,
            subject_id: self.subject_id,
            language: decode(&self.language, "outbox.language", Language::from_code)?,
            text: self.text,
            created_at: from_ms(self.created_at),
            sent_at: self.sent_at.map(from_ms),
        })
    }

    pub(crate) fn into_due(self) -> StoreResult<DueMessage> {
        Ok(DueMessage {
            id: self.id,
            participant_id: self.participant_id,
            consultation_id: self.consultation_id,
            channel: decode(&self.channel, "outbox.channel", Channel::from_code)?,
            handle: self.handle,
            language: decode(&self.language, "outbox.language", Language::from_code)?,
            kind: decode(&self.kind, "outbox.kind", MessageKind::from_code)?,
            subject_id: self.subject_id,
            text: self.text,
            idempotency_key: self.idempotency_key,
            attempts: self.attempts,
            created_at: from_ms(self.created_at),
        })
    }
}

/// Unix milliseconds of a time, rounded up: a wait a receiver asked for is never cut short by the
/// database keeping milliseconds.
pub(crate) fn ms_not_before(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis() + i64::from(!at.timestamp_subsec_nanos().is_multiple_of(1_000_000))
}
#[async_trait]
impl<D: Dialect> OutboxStore for SqlStore<D>
where
    for<'c> &'c mut Connection<D>: sqlx::Executor<'c, Database = D::Db>,
    for<'r> &'r str: sqlx::ColumnIndex<Row<D>>,
    usize: sqlx::ColumnIndex<Row<D>>,
    for<'q> i64: sqlx::Encode<'q, D::Db> + sqlx::Decode<'q, D::Db> + sqlx::Type<D::Db>,
    for<'q> Option<i64>: sqlx::Encode<'q, D::Db>,
    for<'q> bool: sqlx::Encode<'q, D::Db> + sqlx::Decode<'q, D::Db> + sqlx::Type<D::Db>,
    for<'q> String: sqlx::Encode<'q, D::Db> + sqlx::Decode<'q, D::Db> + sqlx::Type<D::Db>,
    for<'q> Option<String>: sqlx::Encode<'q, D::Db>,
    str: sqlx::Type<D::Db>,
    for<'q> &'q str: sqlx::Encode<'q, D::Db>,
    for<'q> Option<&'q str>: sqlx::Encode<'q, D::Db>,
{
    async fn list_outbox(
        &self,
        filter: &super::OutboxFilter,
    ) -> StoreResult<Vec<mosharekat_api::OutboxMessage>> {
        // Oldest first after the cursor, or newest first before it.
        let (beyond, order, cursor) = if filter.newest_first {
            ("<", " DESC", filter.after.unwrap_or(i64::MAX))
        } else {
            (">", "", filter.after.unwrap_or(0))
        };
        let sql = [
            "SELECT ",
            OUTBOX_COLUMNS,
            " FROM outbox WHERE id ",
            beyond,
            " $1
                AND (CAST($2 AS TEXT) IS NULL OR status = $2)
                AND (CAST($3 AS BIGINT) IS NULL OR consultation_id = $3)
              ORDER BY id",
            order,
            " LIMIT $4",
        ]
        .concat();
        let rows: Vec<OutboxRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(cursor)
            .bind(filter.status.map(|s| s.as_str()))
            .bind(filter.consultation_id)
            .bind(i64::from(filter.limit))
            .fetch_all(self.reader())
            .await?;
        rows.into_iter().map(|r| r.into_api()).collect()
    }

    async fn outbox_counts(
        &self,
        consultation_id: Option<i64>,
    ) -> StoreResult<mosharekat_api::OutboxCounts> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, COUNT(*) FROM outbox
             WHERE CAST($1 AS BIGINT) IS NULL OR consultation_id = $1 GROUP BY status",
        )
        .bind(consultation_id)
        .fetch_all(self.reader())
        .await?;
        let mut counts = mosharekat_api::OutboxCounts::default();
        for (status, n) in rows {
            match mosharekat_api::OutboxStatus::from_code(&status) {
                Some(mosharekat_api::OutboxStatus::Pending) => counts.pending = n,
                Some(mosharekat_api::OutboxStatus::Sent) => counts.sent = n,
                Some(mosharekat_api::OutboxStatus::Dead) => counts.dead = n,
                None => {}
            }
        }
        Ok(counts)
    }

    async fn outbox_message(&self, id: i64) -> StoreResult<Option<mosharekat_api::OutboxMessage>> {
        let row: Option<OutboxRow> = sqlx::query_as(concatcp!(
            "SELECT ",
            OUTBOX_COLUMNS,
            " FROM outbox WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.reader())
        .await?;
        row.map(|r| r.into_api()).transpose()
    }

    async fn retry_outbox_message(
        &self,
        id: i64,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::OutboxMessage> {
        use super::StoreError;
        use mosharekat_api::{ErrorCode, OutboxStatus};
        let mut tx = self.begin_write().await?;
        let row: Option<OutboxRow> = sqlx::query_as(concatcp!(
            "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2
             WHERE id = $1 AND status = 'dead' RETURNING ",
            OUTBOX_COLUMNS
        ))
        .bind(id)
        .bind(super::ms(now))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            let status: Option<String> =
                sqlx::query_scalar("SELECT status FROM outbox WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Err(match status {
                None => StoreError::not_found("message"),
                Some(status) => StoreError::refused(
                    ErrorCode::InvalidState,
                    format!("only a dead message is retried; this one is {status}"),
                ),
            });
        };
        let message = row.into_api()?;
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(actor, "outbox.retry", format!("outbox:{id}"))
                .before(serde_json::json!({"status": "dead", "last_error": message.last_error}))
                .after(serde_json::json!({"status": "pending"})),
            now,
        )
        .await?;
        self.append_event(
            &mut tx,
            &mosharekat_api::EventKind::OutboxChanged {
                message_id: id,
                status: OutboxStatus::Pending,
                attempts: 0,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.events_committed();
        Ok(message)
    }

    async fn claim_due_messages(
        &self,
        channels: &[mosharekat_api::Channel],
        now: chrono::DateTime<chrono::Utc>,
        hold_until: chrono::DateTime<chrono::Utc>,
        limit: u32,
    ) -> StoreResult<Vec<super::DueMessage>> {
        use super::ms;
        use mosharekat_api::Channel;
        if channels.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin_write().await?;
        let rows: Vec<OutboxRow> = sqlx::query_as(D::CLAIM_OUTBOX_SQL)
            .bind(ms(now))
            .bind(ms(hold_until))
            .bind(i64::from(limit))
            .bind(channels.contains(&Channel::Bale))
            .bind(channels.contains(&Channel::Eitaa))
            .bind(channels.contains(&Channel::Webhook))
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        let mut due: Vec<super::DueMessage> = rows
            .into_iter()
            .map(|r| r.into_due())
            .collect::<Result<_, _>>()?;
        due.sort_by_key(|m| m.id);
        Ok(due)
    }

    async fn outbox_has(&self, dedup_key: &str) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM outbox WHERE dedup_key = $1")
            .bind(dedup_key)
            .fetch_optional(self.reader())
            .await?;
        Ok(found.is_some())
    }

    async fn enqueue_broadcast(&self, message: &NewBroadcast<'_>) -> StoreResult<bool> {
        use super::ms;
        let mut tx = self.begin_write().await?;
        // The bilingual text is sent as is; the reference line under it is in Persian.
        let queued = sqlx::query(
            "INSERT INTO outbox (dedup_key, participant_id, consultation_id, channel, handle,
                language, kind, subject_id, text, idempotency_key, status, attempts,
                next_attempt_at, created_at)
             VALUES ($1, NULL, $2, $3, $4, 'fa', $5, $2, $6, 'mosharekat-' || $1, 'pending', 0, $7, $7)
             ON CONFLICT (dedup_key) DO NOTHING",
        )
        .bind(message.dedup_key)
        .bind(message.consultation_id)
        .bind(message.channel.as_str())
        .bind(message.handle)
        .bind(message.kind.as_str())
        .bind(message.text)
        .bind(ms(message.now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(queued > 0)
    }

    async fn record_delivery(
        &self,
        id: i64,
        attempt: i64,
        result: &super::DeliveryResult,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<()> {
        use super::{DeliveryResult, ms};
        let mut tx = self.begin_write().await?;
        match result {
            // Delivered is delivered, whichever attempt it was.
            DeliveryResult::Sent => {
                sqlx::query(
                    "UPDATE outbox SET status = 'sent', sent_at = $2, last_error = NULL
                     WHERE id = $1 AND status = 'pending'",
                )
                .bind(id)
                .bind(ms(now))
                .execute(&mut *tx)
                .await?;
            }
            DeliveryResult::Retry { at, error } => {
                sqlx::query(
                    "UPDATE outbox SET next_attempt_at = $3, last_error = $4
                     WHERE id = $1 AND attempts = $2 AND status = 'pending'",
                )
                .bind(id)
                .bind(attempt)
                .bind(ms_not_before(*at))
                .bind(error)
                .execute(&mut *tx)
                .await?;
            }
            DeliveryResult::Dead { error } => {
                let died = sqlx::query(
                    "UPDATE outbox SET status = 'dead', last_error = $3
                     WHERE id = $1 AND attempts = $2 AND status = 'pending'",
                )
                .bind(id)
                .bind(attempt)
                .bind(error)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if died > 0 {
                    self.append_event(
                        &mut tx,
                        &mosharekat_api::EventKind::OutboxChanged {
                            message_id: id,
                            status: mosharekat_api::OutboxStatus::Dead,
                            attempts: attempt,
                        },
                        now,
                    )
                    .await?;
                }
            }
        }
        tx.commit().await?;
        self.events_committed();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_round_up_to_the_millisecond() {
        let exact = from_ms(1_000_123);
        assert_eq!(ms_not_before(exact), 1_000_123);
        assert_eq!(
            ms_not_before(exact + chrono::Duration::nanoseconds(1)),
            1_000_124
        );
        assert_eq!(
            ms_not_before(exact + chrono::Duration::microseconds(999)),
            1_000_124
        );
    }
}

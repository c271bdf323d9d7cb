//! The events table: every live event, with the sequence id SSE clients resume from.

use async_trait::async_trait;
use mosharekat_api::Event;

use super::StoreResult;
use super::dialect::{Connection, Dialect, Row, SqlStore};

/// Advisory-lock key that keeps event ids in commit order (PostgreSQL).
pub(crate) const EVENT_SEQUENCE: i64 = 0x6d6f_7368_0001;

#[async_trait]
pub trait EventStore: Send + Sync {
    /// Events with id greater than `after`, oldest first.
    async fn events_after(&self, after: i64, limit: u32) -> StoreResult<Vec<Event>>;
    /// The id of the newest event (0 when there is none).
    async fn last_event_id(&self) -> StoreResult<i64>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    pub id: i64,
    pub kind: String,
    pub data: String,
    pub at: i64,
}

impl EventRow {
    pub(crate) fn into_event(self) -> StoreResult<Event> {
        let kind = serde_json::from_value(serde_json::json!({
            "kind": self.kind,
            "data": serde_json::from_str::<serde_json::Value>(&self.data)?,
        }))?;
        Ok(Event {
            id: self.id,
            at: super::from_ms(self.at),
            kind,
        })
    }
}
impl<D: Dialect> SqlStore<D>
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
    /// Append an event inside the caller's write transaction. Call it last before commit:
    /// with PostgreSQL it holds the sequence lock until the transaction ends. The caller calls
    /// `events_committed` after a successful commit.
    pub(crate) async fn append_event(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        kind: &mosharekat_api::EventKind,
        now: chrono::DateTime<chrono::Utc>,
    ) -> super::StoreResult<i64> {
        D::lock_sequence(tx, EVENT_SEQUENCE).await?;
        let value = serde_json::to_value(kind)?;
        let data = value
            .get("data")
            .cloned()
            .unwrap_or(serde_json::Value::Null)
            .to_string();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO events (kind, data, at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(kind.name())
        .bind(data)
        .bind(super::ms(now))
        .fetch_one(&mut **tx)
        .await?;
        D::notify_events(tx).await?;
        Ok(id)
    }
}

#[async_trait]
impl<D: Dialect> EventStore for SqlStore<D>
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
    async fn events_after(
        &self,
        after: i64,
        limit: u32,
    ) -> super::StoreResult<Vec<mosharekat_api::Event>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT id, kind, data, at FROM events WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await?;
        rows.into_iter().map(|r| r.into_event()).collect()
    }

    async fn last_event_id(&self) -> super::StoreResult<i64> {
        let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM events")
            .fetch_one(self.reader())
            .await?;
        Ok(id.unwrap_or(0))
    }
}

//! The audit log: appended inside the transaction of every staff write, hash-chained.

use async_trait::async_trait;
use mosharekat_api::AuditEntry;

use super::dialect::{Connection, Dialect, Row, SqlStore};
use super::{Actor, StoreResult};

/// Advisory-lock key that keeps audit appends in commit order (PostgreSQL).
pub(crate) const AUDIT_SEQUENCE: i64 = 0x6d6f_7368_0002;

/// What a staff write records about itself.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    pub actor: String,
    pub action: String,
    pub target: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl AuditRecord {
    pub fn new(actor: &Actor, action: &str, target: impl Into<String>) -> Self {
        Self {
            actor: actor.username.clone(),
            action: action.into(),
            target: target.into(),
            before: None,
            after: None,
        }
    }

    pub fn before(mut self, value: serde_json::Value) -> Self {
        self.before = Some(value);
        self
    }

    pub fn after(mut self, value: serde_json::Value) -> Self {
        self.after = Some(value);
        self
    }
}

/// A stored audit row with the exact JSON texts the hash covers.
#[derive(Debug, Clone)]
pub struct StoredAuditEntry {
    pub entry: AuditEntry,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Entries with id greater than `after`, oldest first.
    async fn audit_entries(&self, after: i64, limit: u32) -> StoreResult<Vec<StoredAuditEntry>>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    pub(crate) fn into_stored(self) -> StoreResult<StoredAuditEntry> {
        let parse = |s: &Option<String>| -> StoreResult<Option<serde_json::Value>> {
            Ok(match s {
                Some(text) => Some(serde_json::from_str(text)?),
                None => None,
            })
        };
        Ok(StoredAuditEntry {
            entry: AuditEntry {
                id: self.id,
                at: super::from_ms(self.at),
                actor: self.actor,
                action: self.action,
                target: self.target,
                before: parse(&self.before_json)?,
                after: parse(&self.after_json)?,
                prev_hash: self.prev_hash,
                hash: self.hash,
            },
            before_json: self.before_json,
            after_json: self.after_json,
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
    /// Append one entry to the chain, inside the caller's write transaction.
    pub(crate) async fn append_audit(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        record: &super::AuditRecord,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<()> {
        D::lock_sequence(tx, AUDIT_SEQUENCE).await?;
        let prev: Option<String> =
            sqlx::query_scalar("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
                .fetch_optional(&mut **tx)
                .await?;
        let prev = prev.unwrap_or_else(|| crate::audit_chain::GENESIS_HASH.to_owned());
        let before = record.before.as_ref().map(|v| v.to_string());
        let after = record.after.as_ref().map(|v| v.to_string());
        let at = super::ms(now);
        let hash = crate::audit_chain::entry_hash(
            &prev,
            at,
            &record.actor,
            &record.action,
            &record.target,
            before.as_deref(),
            after.as_deref(),
        );
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, target, before_json, after_json, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(at)
        .bind(&record.actor)
        .bind(&record.action)
        .bind(&record.target)
        .bind(before)
        .bind(after)
        .bind(prev)
        .bind(hash)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

#[async_trait]
impl<D: Dialect> AuditStore for SqlStore<D>
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
    async fn audit_entries(&self, after: i64, limit: u32) -> StoreResult<Vec<StoredAuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT id, at, actor, action, target, before_json, after_json, prev_hash, hash
             FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await?;
        rows.into_iter().map(|r| r.into_stored()).collect()
    }
}

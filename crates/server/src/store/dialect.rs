//! The contract between the shared SQL and each database, and the one store built on it.
//!
//! Every area (`staff.rs`, `comments.rs`, …) is written once as ordinary generic code on
//! [`SqlStore<D>`]; a [`Dialect`] supplies what differs between SQLite and PostgreSQL: the sqlx
//! database, how a write transaction starts, the claim queries, the sequence and score locks, the
//! signal sent with committed events, and the id-sequence upkeep after an import.

use std::future::Future;
use std::sync::{Arc, RwLock};

use sqlx::database::HasStatementCache;
use sqlx::{Database, IntoArguments, Pool, Transaction};

use super::StoreResult;
use crate::events::EventBus;
use crate::incentives::rules::ScoringRules;

/// What one database does its own way. Implemented by [`super::SqliteDialect`] and
/// [`super::PgDialect`].
///
/// The shared code also needs the sqlx capabilities of [`Dialect::Db`]: its connections execute
/// queries, it encodes and decodes the column types we use (`i64`, `bool`, text, and options of
/// them), rows are indexed by name and position. Rust implies a trait's bounds on its associated
/// types (hence `RowsAffected`, `IntoArguments` and `HasStatementCache` below) but not bounds like
/// `i64: Encode<Db>`, so each generic `impl` block on [`SqlStore`] states those in its `where`
/// clause: always the same list, as on `SqlStore`'s `Store` impl in `mod.rs`.
pub trait Dialect: Send + Sync + 'static {
    /// The sqlx database.
    type Db: Database<QueryResult: RowsAffected, Arguments: IntoArguments<Self::Db>>
        + HasStatementCache;

    /// Which database this is, for logs and `/health`.
    const BACKEND: &'static str;

    /// Claim pending comments whose lease is free or expired, oldest first, and return their ids.
    /// Binds: `$1` moderator id, `$2` token prefix, `$3` lease end, `$4` now, `$5` consultation id
    /// or null, `$6` how many.
    const CLAIM_SQL: &'static str;

    /// Tag use per tag and campaign group on approved comments of consultation `$1`, as
    /// [`super::TagGroupRow`]s.
    const TAG_GROUPS_SQL: &'static str;

    /// Claim due outbox messages (count the attempt and hold them, oldest due first) and return
    /// their rows. Binds: `$1` now, `$2` held until, `$3` how many, `$4`–`$6` whether the bale,
    /// eitaa and webhook channels are enabled.
    const CLAIM_OUTBOX_SQL: &'static str;

    /// The pool that serves reads.
    fn reader(&self) -> &Pool<Self::Db>;

    /// Start a write transaction.
    fn begin_write(
        &self,
    ) -> impl Future<Output = StoreResult<Transaction<'static, Self::Db>>> + Send;

    /// Keep appends to one sequence (events or audit, by `key`) in commit order until `tx` ends.
    fn lock_sequence(
        tx: &mut Transaction<'static, Self::Db>,
        key: i64,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Signal, inside `tx`, that it appends events (the signal goes out on commit).
    fn notify_events(
        tx: &mut Transaction<'static, Self::Db>,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Serialise score upkeep of a consultation until `tx` ends; taken as the transaction's first
    /// lock (see `docs/ARCHITECTURE.md`: score → audit → event).
    fn lock_scores(
        tx: &mut Transaction<'static, Self::Db>,
        consultation_id: i64,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Hold the score tables alone until `tx` ends (a rebuild).
    fn lock_all_scores(
        tx: &mut Transaction<'static, Self::Db>,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// After an import with explicit ids, the SQL that moves `table`'s id sequence past its
    /// largest id, if the database needs it.
    fn sync_id_sequence_sql(table: &str) -> Option<String>;
}

/// A dialect's connection, for the `where` lists of the generic impls.
pub(crate) type Connection<D> = <<D as Dialect>::Db as Database>::Connection;

/// A dialect's row, for the `where` lists of the generic impls.
pub(crate) type Row<D> = <<D as Dialect>::Db as Database>::Row;

/// How many rows a statement changed (each database's query result has its own inherent
/// `rows_affected`).
pub trait RowsAffected {
    fn rows_affected(&self) -> u64;
}

impl RowsAffected for sqlx::sqlite::SqliteQueryResult {
    fn rows_affected(&self) -> u64 {
        sqlx::sqlite::SqliteQueryResult::rows_affected(self)
    }
}

impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn rows_affected(&self) -> u64 {
        sqlx::postgres::PgQueryResult::rows_affected(self)
    }
}

/// The store: the shared SQL over one database's [`Dialect`].
pub struct SqlStore<D> {
    pub(crate) dialect: D,
    events: EventBus,
    /// The scoring rules (the shipped ones until the server sets its own).
    pub(crate) scoring: RwLock<Arc<ScoringRules>>,
}

impl<D: Dialect> SqlStore<D> {
    pub(crate) fn new(dialect: D, events: EventBus) -> Self {
        Self {
            dialect,
            events,
            scoring: Default::default(),
        }
    }

    pub(crate) fn reader(&self) -> &Pool<D::Db> {
        self.dialect.reader()
    }

    pub(crate) async fn begin_write(&self) -> StoreResult<Transaction<'static, D::Db>> {
        self.dialect.begin_write().await
    }

    /// Wake this process's event subscribers after a commit that appended events (with
    /// PostgreSQL, other instances hear the NOTIFY; waking now saves our own the round trip).
    pub(crate) fn events_committed(&self) {
        self.events.wake();
    }
}

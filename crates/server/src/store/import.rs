//! Bulk import: whole tables of rows written in one transaction with multi-row `INSERT`s, for
//! seeding the demo dataset (20,000 comments in seconds rather than minutes).
//!
//! The importer writes rows as given, with the ids the caller assigned, and keeps nothing
//! consistent by itself: the caller computes campaign groups, counters and comment counts exactly
//! as the live write paths would (see `demo::seed`). It only keeps the audit chain (it links the
//! entries it is given to the existing chain) and, at commit, moves each id sequence past the ids
//! it used, so that later live writes carry on after them. Nothing is visible until
//! [`Import::commit`]; dropping the importer rolls everything back.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mosharekat_api::{
    ConsultationStatus, ModerationAction, NewConsultation, NewParticipant, NewPollOption, PollKind,
    Role,
};

use super::dialect::{Connection, Dialect, Row, SqlStore};
use super::{AuditRecord, StoreResult};

/// Tables whose `id` the importer assigns, in the order rows refer to each other.
pub(crate) const ID_TABLES: [&str; 10] = [
    "staff",
    "consultations",
    "participants",
    "duplicate_groups",
    "comments",
    "moderation_decisions",
    "polls",
    "poll_options",
    "draft_articles",
    "audit_log",
];

/// Bind parameters per `INSERT` statement: under SQLite's limit of 32,766 (PostgreSQL allows
/// 65,535), and large enough that a statement carries hundreds of rows.
pub(crate) const PARAMETERS_PER_STATEMENT: usize = 30_000;

#[async_trait]
pub trait ImportStore: Send + Sync {
    /// Start an import: one write transaction, held until [`Import::commit`]. While it is open,
    /// other writes (and, with PostgreSQL, other audit appends) wait.
    async fn begin_import(&self) -> StoreResult<Box<dyn Import>>;
}

/// The highest id in use in each table the importer writes (0 for an empty table).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportIds {
    pub staff: i64,
    pub consultations: i64,
    pub participants: i64,
    pub duplicate_groups: i64,
    pub comments: i64,
    pub moderation_decisions: i64,
    pub polls: i64,
    pub poll_options: i64,
    pub draft_articles: i64,
}

/// An open import. Each method writes its rows in as few statements as the parameter limit allows.
#[async_trait]
pub trait Import: Send {
    /// The ids in use now; new rows take ids above them.
    async fn max_ids(&mut self) -> StoreResult<ImportIds>;
    /// Usernames of the staff accounts that exist.
    async fn staff_usernames(&mut self) -> StoreResult<Vec<String>>;
    async fn staff(&mut self, rows: &[ImportedStaff]) -> StoreResult<()>;
    async fn consultations(&mut self, rows: &[ImportedConsultation]) -> StoreResult<()>;
    async fn participants(&mut self, rows: &[ImportedParticipant]) -> StoreResult<()>;
    async fn duplicate_groups(&mut self, rows: &[ImportedGroup]) -> StoreResult<()>;
    /// Comments, with their current decision on the comment row and in the decision history.
    /// The articles they name must be imported first ([`Import::drafts`]).
    async fn comments(&mut self, rows: &[ImportedComment]) -> StoreResult<()>;
    /// Polls and their options.
    async fn polls(&mut self, rows: &[ImportedPoll]) -> StoreResult<()>;
    async fn ballots(&mut self, rows: &[ImportedBallot]) -> StoreResult<()>;
    async fn tally_counters(&mut self, rows: &[ImportedCounter]) -> StoreResult<()>;
    async fn turnout(&mut self, rows: &[ImportedTurnout]) -> StoreResult<()>;
    /// Versions of consultations' drafts with their articles (ids from
    /// [`ImportedDraft::first_article_id`] on).
    async fn drafts(&mut self, rows: &[ImportedDraft]) -> StoreResult<()>;
    /// Append entries to the audit chain in the order given, each at its own time.
    async fn audit(&mut self, entries: &[(AuditRecord, DateTime<Utc>)]) -> StoreResult<()>;
    /// Move the id sequences past the imported ids and commit.
    async fn commit(self: Box<Self>) -> StoreResult<()>;
}

/// A version of a consultation's draft, as `PUT …/document` would have stored it.
#[derive(Debug, Clone)]
pub struct ImportedDraft {
    pub consultation_id: i64,
    pub version: i64,
    pub imported_at: DateTime<Utc>,
    pub imported_by: String,
    pub content: mosharekat_api::DraftContent,
    pub source: super::DraftSource,
    /// The id of the first article; the others follow in order (`first_article_id + position`).
    pub first_article_id: i64,
}

#[derive(Debug, Clone)]
pub struct ImportedStaff {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ImportedConsultation {
    pub id: i64,
    pub consultation: NewConsultation,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    /// When and why an admin closed it early.
    pub closed_early: Option<(DateTime<Utc>, String)>,
    pub report_published_at: Option<DateTime<Utc>>,
    /// The status the scheduler last announced: the status now, so nothing old is announced again.
    pub announced_status: ConsultationStatus,
    pub comment_count: i64,
}

#[derive(Debug, Clone)]
pub struct ImportedParticipant {
    pub id: i64,
    pub participant: NewParticipant,
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    /// Seeded as verified (the demo's participants have no phone number to prove).
    pub verified_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct ImportedGroup {
    pub id: i64,
    pub consultation_id: i64,
    pub text_hash: String,
    pub size: i64,
}

#[derive(Debug, Clone)]
pub struct ImportedComment {
    pub id: i64,
    pub consultation_id: i64,
    pub participant_id: i64,
    pub parent_id: Option<i64>,
    pub body: String,
    pub is_proposal: bool,
    pub group_id: i64,
    pub created_at: DateTime<Utc>,
    pub decision: Option<ImportedDecision>,
    /// The draft article the comment names (an imported [`ImportedDraft`]'s).
    pub article_id: Option<i64>,
}

/// A moderation decision.
#[derive(Debug, Clone)]
pub struct ImportedDecision {
    pub id: i64,
    pub staff_id: i64,
    pub action: ModerationAction,
    pub reason_code: Option<String>,
    pub note: Option<String>,
    /// Concern-tag codes.
    pub tags: Vec<String>,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ImportedPoll {
    pub id: i64,
    pub consultation_id: i64,
    pub kind: PollKind,
    pub question_fa: String,
    pub question_en: String,
    /// Option ids and labels, in position order.
    pub options: Vec<(i64, NewPollOption)>,
    pub total_ballots: i64,
    pub created_at: DateTime<Utc>,
}

/// A ballot with the demographic buckets frozen at cast time, as `cast_ballot` stores them.
#[derive(Debug, Clone)]
pub struct ImportedBallot {
    pub poll_id: i64,
    pub participant_id: i64,
    /// Ascending.
    pub option_ids: Vec<i64>,
    pub age_band: &'static str,
    pub gender: &'static str,
    pub province: &'static str,
    pub category: &'static str,
    pub cast_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ImportedCounter {
    pub poll_id: i64,
    pub dimension: &'static str,
    pub bucket: String,
    pub option_id: i64,
    pub count: i64,
}

#[derive(Debug, Clone)]
pub struct ImportedTurnout {
    pub poll_id: i64,
    /// Unix milliseconds of the hour's start.
    pub hour_start: i64,
    pub ballots: i64,
}

/// An open import over one database's transaction; on commit the dialect's
/// [`Dialect::sync_id_sequence_sql`] moves each table's id sequence past its highest id.
pub(crate) struct ImportTx<D: Dialect> {
    tx: sqlx::Transaction<'static, D::Db>,
}

#[async_trait]
impl<D: Dialect> ImportStore for SqlStore<D>
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
    async fn begin_import(&self) -> StoreResult<Box<dyn super::Import>> {
        let mut tx = self.begin_write().await?;
        D::lock_sequence(&mut tx, super::audit::AUDIT_SEQUENCE).await?;
        Ok(Box::new(ImportTx::<D> { tx }))
    }
}

impl<D: Dialect> ImportTx<D>
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
    /// Insert `rows` with `INSERT INTO … (columns) VALUES (…), (…)`, as many rows per statement
    /// as the parameter budget allows.
    async fn insert<R>(
        &mut self,
        head: &'static str,
        columns: usize,
        rows: &[R],
        mut push: impl FnMut(&mut sqlx::query_builder::Separated<'_, D::Db, &'static str>, &R),
    ) -> StoreResult<()> {
        let per_statement = (PARAMETERS_PER_STATEMENT / columns).max(1);
        for chunk in rows.chunks(per_statement) {
            let mut query = sqlx::QueryBuilder::<D::Db>::new(head);
            query.push(" ");
            query.push_values(chunk, |mut values, row| push(&mut values, row));
            query
                .build()
                .persistent(false)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }
}

#[async_trait]
impl<D: Dialect> Import for ImportTx<D>
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
    async fn max_ids(&mut self) -> StoreResult<super::ImportIds> {
        let mut ids = [0i64; 9];
        for (slot, table) in ids.iter_mut().zip(ID_TABLES) {
            let max: Option<i64> =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT MAX(id) FROM {table}")))
                    .fetch_one(&mut *self.tx)
                    .await?;
            *slot = max.unwrap_or(0);
        }
        let [
            staff,
            consultations,
            participants,
            duplicate_groups,
            comments,
            moderation_decisions,
            polls,
            poll_options,
            draft_articles,
        ] = ids;
        Ok(super::ImportIds {
            staff,
            consultations,
            participants,
            duplicate_groups,
            comments,
            moderation_decisions,
            polls,
            poll_options,
            draft_articles,
        })
    }

    async fn staff_usernames(&mut self) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT username FROM staff ORDER BY id")
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn staff(&mut self, rows: &[super::ImportedStaff]) -> StoreResult<()> {
        self.insert(
            "INSERT INTO staff (id, username, password_hash, role, disabled, created_at)",
            6,
            rows,
            |v, r| {
                v.push_bind(r.id)
                    .push_bind(r.username.as_str())
                    .push_bind(r.password_hash.as_str())
                    .push_bind(r.role.as_str())
                    .push_bind(false)
                    .push_bind(super::ms(r.created_at));
            },
        )
        .await
    }

    async fn consultations(&mut self, rows: &[super::ImportedConsultation]) -> StoreResult<()> {
        use super::ms;
        self.insert(
            "INSERT INTO consultations (id, kind, title_fa, title_en, summary_fa, summary_en,
                drafting_unit, opens_at, closes_at, portal_url, short_window_reason, published_at,
                closed_early_at, closed_early_reason, report_published_at, announced_status,
                comment_count, created_at, updated_at)",
            19,
            rows,
            |v, r| {
                let c = &r.consultation;
                v.push_bind(r.id)
                    .push_bind(c.kind.as_str())
                    .push_bind(c.title_fa.trim())
                    .push_bind(c.title_en.trim())
                    .push_bind(c.summary_fa.trim())
                    .push_bind(c.summary_en.trim())
                    .push_bind(c.drafting_unit.trim())
                    .push_bind(ms(c.opens_at))
                    .push_bind(ms(c.closes_at))
                    .push_bind(c.portal_url.trim())
                    .push_bind(
                        c.short_window_reason
                            .as_deref()
                            .map(str::trim)
                            .filter(|r| !r.is_empty()),
                    )
                    .push_bind(r.published_at.map(ms))
                    .push_bind(r.closed_early.as_ref().map(|(at, _)| ms(*at)))
                    .push_bind(r.closed_early.as_ref().map(|(_, reason)| reason.trim()))
                    .push_bind(r.report_published_at.map(ms))
                    .push_bind(r.announced_status.as_str())
                    .push_bind(r.comment_count)
                    .push_bind(ms(r.created_at))
                    .push_bind(ms(r.updated_at));
            },
        )
        .await
    }

    async fn participants(&mut self, rows: &[super::ImportedParticipant]) -> StoreResult<()> {
        self.insert(
            "INSERT INTO participants (id, display_name, category, birth_year, gender, province,
                channel, handle, consent, name_public, language, token_hash, created_at,
                verified_at)",
            14,
            rows,
            |v, r| {
                let p = &r.participant;
                v.push_bind(r.id)
                    .push_bind(p.display_name.trim())
                    .push_bind(p.category.as_str())
                    .push_bind(p.birth_year.map(i64::from))
                    .push_bind(p.gender.map(|g| g.as_str()))
                    .push_bind(p.province.map(|p| p.code()))
                    .push_bind(p.channel.map(|c| c.as_str()))
                    .push_bind(p.handle.as_deref().map(str::trim))
                    .push_bind(p.consent)
                    .push_bind(p.name_public)
                    .push_bind(p.language.as_str())
                    .push_bind(r.token_hash.as_str())
                    .push_bind(super::ms(r.created_at))
                    .push_bind(r.verified_at.map(super::ms));
            },
        )
        .await
    }

    async fn duplicate_groups(&mut self, rows: &[super::ImportedGroup]) -> StoreResult<()> {
        self.insert(
            "INSERT INTO duplicate_groups (id, consultation_id, text_hash, size)",
            4,
            rows,
            |v, r| {
                v.push_bind(r.id)
                    .push_bind(r.consultation_id)
                    .push_bind(r.text_hash.as_str())
                    .push_bind(r.size);
            },
        )
        .await
    }

    async fn comments(&mut self, rows: &[super::ImportedComment]) -> StoreResult<()> {
        use super::ms;
        let mut tags = Vec::with_capacity(rows.len());
        for r in rows {
            tags.push(match &r.decision {
                Some(d) if !d.tags.is_empty() => serde_json::to_string(&d.tags)?,
                _ => "[]".to_owned(),
            });
        }
        let rows: Vec<(&super::ImportedComment, String)> = rows.iter().zip(tags).collect();
        self.insert(
            "INSERT INTO comments (id, consultation_id, participant_id, parent_id, body,
                is_proposal, status, group_id, created_at, decided_by, decided_at, last_action,
                reason_code, note, tags, article_id)",
            16,
            &rows,
            |v, (r, tags)| {
                let d = r.decision.as_ref();
                let status = d.map_or(mosharekat_api::CommentStatus::Pending, |d| {
                    d.action.resulting_status()
                });
                v.push_bind(r.id)
                    .push_bind(r.consultation_id)
                    .push_bind(r.participant_id)
                    .push_bind(r.parent_id)
                    .push_bind(r.body.as_str())
                    .push_bind(r.is_proposal)
                    .push_bind(status.as_str())
                    .push_bind(r.group_id)
                    .push_bind(ms(r.created_at))
                    .push_bind(d.map(|d| d.staff_id))
                    .push_bind(d.map(|d| ms(d.decided_at)))
                    .push_bind(d.map(|d| d.action.as_str()))
                    .push_bind(d.and_then(|d| d.reason_code.as_deref()))
                    .push_bind(d.and_then(|d| d.note.as_deref()))
                    .push_bind(tags.as_str())
                    .push_bind(r.article_id);
            },
        )
        .await?;
        let decided: Vec<(i64, &super::ImportedDecision, &str)> = rows
            .iter()
            .filter_map(|(r, tags)| r.decision.as_ref().map(|d| (r.id, d, tags.as_str())))
            .collect();
        self.insert(
            "INSERT INTO moderation_decisions (id, comment_id, staff_id, action, reason_code, note,
                tags, decided_at)",
            8,
            &decided,
            |v, (comment_id, d, tags)| {
                v.push_bind(d.id)
                    .push_bind(*comment_id)
                    .push_bind(d.staff_id)
                    .push_bind(d.action.as_str())
                    .push_bind(d.reason_code.as_deref())
                    .push_bind(d.note.as_deref())
                    .push_bind(*tags)
                    .push_bind(ms(d.decided_at));
            },
        )
        .await
    }

    async fn polls(&mut self, rows: &[super::ImportedPoll]) -> StoreResult<()> {
        self.insert(
            "INSERT INTO polls (id, consultation_id, kind, question_fa, question_en, total_ballots,
                created_at)",
            7,
            rows,
            |v, r| {
                v.push_bind(r.id)
                    .push_bind(r.consultation_id)
                    .push_bind(r.kind.as_str())
                    .push_bind(r.question_fa.trim())
                    .push_bind(r.question_en.trim())
                    .push_bind(r.total_ballots)
                    .push_bind(super::ms(r.created_at));
            },
        )
        .await?;
        let options: Vec<(i64, i64, &(i64, mosharekat_api::NewPollOption))> = rows
            .iter()
            .flat_map(|p| {
                p.options
                    .iter()
                    .enumerate()
                    .map(move |(i, o)| (p.id, i as i64, o))
            })
            .collect();
        self.insert(
            "INSERT INTO poll_options (id, poll_id, position, label_fa, label_en)",
            5,
            &options,
            |v, (poll_id, position, (id, o))| {
                v.push_bind(*id)
                    .push_bind(*poll_id)
                    .push_bind(*position)
                    .push_bind(o.label_fa.trim())
                    .push_bind(o.label_en.trim());
            },
        )
        .await
    }

    async fn ballots(&mut self, rows: &[super::ImportedBallot]) -> StoreResult<()> {
        let mut encoded = Vec::with_capacity(rows.len());
        for r in rows {
            encoded.push(serde_json::to_string(&r.option_ids)?);
        }
        let rows: Vec<(&super::ImportedBallot, String)> = rows.iter().zip(encoded).collect();
        self.insert(
            "INSERT INTO ballots (poll_id, participant_id, option_ids, age_band, gender, province,
                category, cast_at, updated_at)",
            9,
            &rows,
            |v, (r, options)| {
                let at = super::ms(r.cast_at);
                v.push_bind(r.poll_id)
                    .push_bind(r.participant_id)
                    .push_bind(options.as_str())
                    .push_bind(r.age_band)
                    .push_bind(r.gender)
                    .push_bind(r.province)
                    .push_bind(r.category)
                    .push_bind(at)
                    .push_bind(at);
            },
        )
        .await
    }

    async fn tally_counters(&mut self, rows: &[super::ImportedCounter]) -> StoreResult<()> {
        self.insert(
            "INSERT INTO tally_counters (poll_id, dimension, bucket, option_id, count)",
            5,
            rows,
            |v, r| {
                v.push_bind(r.poll_id)
                    .push_bind(r.dimension)
                    .push_bind(r.bucket.as_str())
                    .push_bind(r.option_id)
                    .push_bind(r.count);
            },
        )
        .await
    }

    async fn turnout(&mut self, rows: &[super::ImportedTurnout]) -> StoreResult<()> {
        self.insert(
            "INSERT INTO poll_turnout (poll_id, hour_start, ballots)",
            3,
            rows,
            |v, r| {
                v.push_bind(r.poll_id)
                    .push_bind(r.hour_start)
                    .push_bind(r.ballots);
            },
        )
        .await
    }

    async fn audit(
        &mut self,
        entries: &[(AuditRecord, chrono::DateTime<chrono::Utc>)],
    ) -> StoreResult<()> {
        // The same chain `append_audit` extends, linked on from its last entry.
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
                .fetch_optional(&mut *self.tx)
                .await?;
        let (mut id, mut prev) =
            last.unwrap_or_else(|| (0, crate::audit_chain::GENESIS_HASH.to_owned()));
        let mut rows = Vec::with_capacity(entries.len());
        for (record, at) in entries {
            let before = record.before.as_ref().map(|v| v.to_string());
            let after = record.after.as_ref().map(|v| v.to_string());
            let at = super::ms(*at);
            let hash = crate::audit_chain::entry_hash(
                &prev,
                at,
                &record.actor,
                &record.action,
                &record.target,
                before.as_deref(),
                after.as_deref(),
            );
            id += 1;
            rows.push((
                id,
                at,
                record,
                before,
                after,
                std::mem::replace(&mut prev, hash.clone()),
                hash,
            ));
        }
        self.insert(
            "INSERT INTO audit_log (id, at, actor, action, target, before_json, after_json,
                prev_hash, hash)",
            9,
            &rows,
            |v, (id, at, record, before, after, prev, hash)| {
                v.push_bind(*id)
                    .push_bind(*at)
                    .push_bind(record.actor.as_str())
                    .push_bind(record.action.as_str())
                    .push_bind(record.target.as_str())
                    .push_bind(before.as_deref())
                    .push_bind(after.as_deref())
                    .push_bind(prev.as_str())
                    .push_bind(hash.as_str());
            },
        )
        .await
    }

    async fn drafts(&mut self, rows: &[super::ImportedDraft]) -> StoreResult<()> {
        for draft in rows {
            let summary = super::drafts::DraftCounts::of(&draft.content.articles);
            sqlx::query(super::drafts::INSERT_VERSION_SQL)
                .bind(draft.consultation_id)
                .bind(draft.version)
                .bind(draft.content.format.as_str())
                .bind(super::ms(draft.imported_at))
                .bind(draft.imported_by.as_str())
                .bind(draft.content.preamble_fa.as_deref())
                .bind(draft.content.preamble_en.as_deref())
                .bind(draft.content.closing_fa.as_deref())
                .bind(draft.content.closing_en.as_deref())
                .bind(draft.source.text_fa.as_str())
                .bind(draft.source.text_en.as_deref())
                .bind(summary.articles)
                .bind(summary.notes)
                .bind(summary.clauses)
                .execute(&mut *self.tx)
                .await?;
            let mut rows = Vec::with_capacity(draft.content.articles.len());
            for (position, article) in draft.content.articles.iter().enumerate() {
                rows.push((
                    position as i64,
                    article,
                    serde_json::to_string(&article.clauses)?,
                    serde_json::to_string(&article.notes)?,
                ));
            }
            self.insert(
                "INSERT INTO draft_articles (id, consultation_id, version, position, number, label,
                    chapter_fa, chapter_en, heading_fa, heading_en, text_fa, text_en, clauses, notes)",
                14,
                &rows,
                |v, (position, a, clauses, notes)| {
                    v.push_bind(draft.first_article_id + *position)
                        .push_bind(draft.consultation_id)
                        .push_bind(draft.version)
                        .push_bind(*position)
                        .push_bind(i64::from(a.number))
                        .push_bind(a.label.clone())
                        .push_bind(a.chapter_fa.clone())
                        .push_bind(a.chapter_en.clone())
                        .push_bind(a.heading_fa.clone())
                        .push_bind(a.heading_en.clone())
                        .push_bind(a.text_fa.clone())
                        .push_bind(a.text_en.clone())
                        .push_bind(clauses.clone())
                        .push_bind(notes.clone());
                },
            )
            .await?;
        }
        Ok(())
    }

    async fn commit(self: Box<Self>) -> StoreResult<()> {
        let mut this = *self;
        for table in ID_TABLES {
            if let Some(sql) = D::sync_id_sequence_sql(table) {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut *this.tx)
                    .await?;
            }
        }
        this.tx.commit().await?;
        Ok(())
    }
}

//! Drafts as documents: the versions of each consultation's draft text and their articles.
//! A version is written once and never changed; article ids are never reused.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mosharekat_api::{
    Article, ArticleContent, ArticleRef, DraftContent, DraftFormat, DraftVersion,
    DraftVersionSummary,
};

use super::dialect::{Connection, Dialect, Row, SqlStore};
use super::{Actor, StoreResult, decode, from_ms, ms};

/// The texts of an import as the operator sent them, kept beside what was recognised in them.
#[derive(Debug, Clone)]
pub struct DraftSource {
    pub text_fa: String,
    pub text_en: Option<String>,
}

#[async_trait]
pub trait DraftStore: Send + Sync {
    /// Store `content` as the consultation's next version, if the consultation's state allows a
    /// new version ([`crate::rules::check_draft_import`]). Audited; announced as
    /// `document.imported`.
    async fn import_draft(
        &self,
        consultation_id: i64,
        content: &DraftContent,
        source: &DraftSource,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<DraftVersion>;
    /// A version of the consultation's draft, or the latest when `version` is `None`; `None` when
    /// there is no such version.
    async fn draft_version(
        &self,
        consultation_id: i64,
        version: Option<i64>,
    ) -> StoreResult<Option<DraftVersion>>;
    /// Every version of the consultation's draft, newest first.
    async fn draft_versions(&self, consultation_id: i64) -> StoreResult<Vec<DraftVersionSummary>>;
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    consultation_id: i64,
    version: i64,
    format: String,
    imported_at: i64,
    imported_by: String,
    preamble_fa: Option<String>,
    preamble_en: Option<String>,
    closing_fa: Option<String>,
    closing_en: Option<String>,
}

const VERSION_COLUMNS: &str = "consultation_id, version, format, imported_at, imported_by,
    preamble_fa, preamble_en, closing_fa, closing_en";

#[derive(sqlx::FromRow)]
struct ArticleRow {
    id: i64,
    position: i64,
    number: i64,
    label: String,
    chapter_fa: Option<String>,
    chapter_en: Option<String>,
    heading_fa: Option<String>,
    heading_en: Option<String>,
    text_fa: String,
    text_en: Option<String>,
    clauses: String,
    notes: String,
}

impl ArticleRow {
    fn into_api(self) -> StoreResult<Article> {
        let number = |n: i64, column: &str| {
            u32::try_from(n).map_err(|_| {
                super::StoreError::Corrupt(format!("unexpected value `{n}` in {column}"))
            })
        };
        Ok(Article {
            id: self.id,
            position: number(self.position, "draft_articles.position")?,
            content: ArticleContent {
                number: number(self.number, "draft_articles.number")?,
                label: self.label,
                chapter_fa: self.chapter_fa,
                chapter_en: self.chapter_en,
                heading_fa: self.heading_fa,
                heading_en: self.heading_en,
                text_fa: self.text_fa,
                text_en: self.text_en,
                clauses: serde_json::from_str(&self.clauses)?,
                notes: serde_json::from_str(&self.notes)?,
            },
        })
    }
}

/// How many articles, notes and clauses (those of notes included) a draft has, as stored beside
/// each version.
pub(crate) struct DraftCounts {
    pub articles: i64,
    pub notes: i64,
    pub clauses: i64,
}

impl DraftCounts {
    pub(crate) fn of(articles: &[ArticleContent]) -> Self {
        let notes = articles.iter().map(|a| a.notes.len()).sum::<usize>();
        let clauses = articles
            .iter()
            .map(|a| a.clauses.len() + a.notes.iter().map(|n| n.clauses.len()).sum::<usize>())
            .sum::<usize>();
        DraftCounts {
            articles: articles.len() as i64,
            notes: notes as i64,
            clauses: clauses as i64,
        }
    }
}

/// Stores a version's row; binds in the order of the columns.
pub(crate) const INSERT_VERSION_SQL: &str = "INSERT INTO draft_versions (consultation_id, version,
        format, imported_at, imported_by, preamble_fa, preamble_en, closing_fa, closing_en,
        source_fa, source_en, article_count, note_count, clause_count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

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
    async fn version_row<'e, E>(
        &self,
        executor: E,
        consultation_id: i64,
        version: Option<i64>,
    ) -> StoreResult<Option<VersionRow>>
    where
        E: sqlx::Executor<'e, Database = D::Db>,
    {
        Ok(sqlx::query_as(const_format::concatcp!(
            "SELECT ",
            VERSION_COLUMNS,
            " FROM draft_versions
             WHERE consultation_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR version = $2)
             ORDER BY version DESC LIMIT 1"
        ))
        .bind(consultation_id)
        .bind(version)
        .fetch_optional(executor)
        .await?)
    }

    async fn version_with_articles<'e, E>(
        &self,
        executor: E,
        row: VersionRow,
    ) -> StoreResult<DraftVersion>
    where
        E: sqlx::Executor<'e, Database = D::Db>,
    {
        let articles: Vec<ArticleRow> = sqlx::query_as(
            "SELECT id, position, number, label, chapter_fa, chapter_en, heading_fa, heading_en,
                    text_fa, text_en, clauses, notes
             FROM draft_articles WHERE consultation_id = $1 AND version = $2 ORDER BY position",
        )
        .bind(row.consultation_id)
        .bind(row.version)
        .fetch_all(executor)
        .await?;
        Ok(DraftVersion {
            consultation_id: row.consultation_id,
            version: row.version,
            imported_at: from_ms(row.imported_at),
            imported_by: Some(row.imported_by),
            format: decode(&row.format, "draft_versions.format", DraftFormat::from_code)?,
            preamble_fa: row.preamble_fa,
            preamble_en: row.preamble_en,
            closing_fa: row.closing_fa,
            closing_en: row.closing_en,
            articles: articles
                .into_iter()
                .map(ArticleRow::into_api)
                .collect::<StoreResult<_>>()?,
        })
    }

    /// Where article `article_id` sits, if it is an article of consultation `consultation_id`
    /// (of any version): what a comment naming it records.
    pub(crate) async fn article_of<'e, E>(
        &self,
        executor: E,
        consultation_id: i64,
        article_id: i64,
    ) -> StoreResult<Option<ArticleRef>>
    where
        E: sqlx::Executor<'e, Database = D::Db>,
    {
        let row: Option<(i64, String, i64)> = sqlx::query_as(
            "SELECT number, label, version FROM draft_articles WHERE id = $1 AND consultation_id = $2",
        )
        .bind(article_id)
        .bind(consultation_id)
        .fetch_optional(executor)
        .await?;
        Ok(row.map(|(number, label, version)| ArticleRef {
            article_id,
            number: u32::try_from(number).unwrap_or_default(),
            label,
            version,
        }))
    }
}

#[async_trait]
impl<D: Dialect> DraftStore for SqlStore<D>
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
    async fn import_draft(
        &self,
        consultation_id: i64,
        content: &DraftContent,
        source: &DraftSource,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<DraftVersion> {
        let mut tx = self.begin_write().await?;
        let consultation = self
            .consultation_row_for_update(&mut tx, consultation_id)
            .await?;
        let current = self.version_row(&mut *tx, consultation_id, None).await?;
        let current_bilingual: Option<bool> = match &current {
            Some(row) => sqlx::query_scalar(
                "SELECT source_en IS NOT NULL FROM draft_versions WHERE consultation_id = $1 AND version = $2",
            )
            .bind(consultation_id)
            .bind(row.version)
            .fetch_optional(&mut *tx)
            .await?,
            None => None,
        };
        crate::rules::check_draft_import(
            consultation.status(now),
            current_bilingual.unwrap_or(false),
            source.text_en.is_some(),
        )
        .map_err(|(code, message)| super::StoreError::refused(code, message))?;
        let version = current.as_ref().map_or(1, |row| row.version + 1);
        let counts = DraftCounts::of(&content.articles);
        sqlx::query(INSERT_VERSION_SQL)
            .bind(consultation_id)
            .bind(version)
            .bind(content.format.as_str())
            .bind(ms(now))
            .bind(&actor.username)
            .bind(content.preamble_fa.as_deref())
            .bind(content.preamble_en.as_deref())
            .bind(content.closing_fa.as_deref())
            .bind(content.closing_en.as_deref())
            .bind(&source.text_fa)
            .bind(source.text_en.as_deref())
            .bind(counts.articles)
            .bind(counts.notes)
            .bind(counts.clauses)
            .execute(&mut *tx)
            .await?;
        for (position, article) in content.articles.iter().enumerate() {
            sqlx::query(
                "INSERT INTO draft_articles (consultation_id, version, position, number, label,
                    chapter_fa, chapter_en, heading_fa, heading_en, text_fa, text_en, clauses, notes)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(consultation_id)
            .bind(version)
            .bind(position as i64)
            .bind(i64::from(article.number))
            .bind(&article.label)
            .bind(article.chapter_fa.as_deref())
            .bind(article.chapter_en.as_deref())
            .bind(article.heading_fa.as_deref())
            .bind(article.heading_en.as_deref())
            .bind(&article.text_fa)
            .bind(article.text_en.as_deref())
            .bind(serde_json::to_string(&article.clauses)?)
            .bind(serde_json::to_string(&article.notes)?)
            .execute(&mut *tx)
            .await?;
        }
        let row = self
            .version_row(&mut *tx, consultation_id, Some(version))
            .await?
            .ok_or_else(|| super::StoreError::Corrupt("the new draft version vanished".into()))?;
        let stored = self.version_with_articles(&mut *tx, row).await?;
        let summary = stored.summary();
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(
                actor,
                "consultation.document",
                format!("consultation:{consultation_id}"),
            )
            .before(serde_json::json!({ "version": current.as_ref().map(|r| r.version) }))
            .after(serde_json::to_value(&summary)?),
            now,
        )
        .await?;
        self.append_event(
            &mut tx,
            &mosharekat_api::EventKind::DocumentImported {
                consultation_id,
                version,
                articles: summary.articles,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.events_committed();
        Ok(stored)
    }

    async fn draft_version(
        &self,
        consultation_id: i64,
        version: Option<i64>,
    ) -> StoreResult<Option<DraftVersion>> {
        match self
            .version_row(self.reader(), consultation_id, version)
            .await?
        {
            Some(row) => Ok(Some(self.version_with_articles(self.reader(), row).await?)),
            None => Ok(None),
        }
    }

    async fn draft_versions(&self, consultation_id: i64) -> StoreResult<Vec<DraftVersionSummary>> {
        let rows: Vec<(i64, i64, String, i64, i64, i64, bool)> = sqlx::query_as(
            "SELECT version, imported_at, imported_by, article_count, note_count, clause_count,
                    source_en IS NOT NULL
             FROM draft_versions WHERE consultation_id = $1 ORDER BY version DESC",
        )
        .bind(consultation_id)
        .fetch_all(self.reader())
        .await?;
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(rows
            .into_iter()
            .map(
                |(version, imported_at, imported_by, articles, notes, clauses, bilingual)| {
                    DraftVersionSummary {
                        version,
                        imported_at: from_ms(imported_at),
                        imported_by: Some(imported_by),
                        articles: count(articles),
                        notes: count(notes),
                        clauses: count(clauses),
                        bilingual,
                    }
                },
            )
            .collect())
    }
}

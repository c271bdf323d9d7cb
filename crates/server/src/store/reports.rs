//! The comprehensive report: the aggregate reads it is generated from (GROUP BY in the database,
//! never row by row, so a consultation of a million comments reads in seconds), and its drafts and
//! publication.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use const_format::concatcp;
use mosharekat_api::report::CommentCounts;
use mosharekat_api::{Report, ReportPublished};

use super::dialect::{Connection, Dialect, Row, RowsAffected as _, SqlStore};
use super::{Actor, StoreResult};

/// Participants with the same demographic answers, and how many of them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ParticipantCell {
    pub birth_year: Option<i64>,
    pub gender: Option<String>,
    pub province: Option<String>,
    pub category: String,
    pub participants: i64,
    /// Of them, those who had verified a mobile number.
    pub verified: i64,
}

/// Activity on one day; `day` counts days since 1970-01-01 in the time zone the caller shifted by.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TurnoutRow {
    pub day: i64,
    pub comments: i64,
    pub ballots: i64,
    pub participants: i64,
}

/// Approved comments with one tag within one campaign group.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TagGroupRow {
    pub tag: String,
    pub group_id: i64,
    pub group_size: i64,
    /// The group's first approved comment with the tag.
    pub first_comment_id: i64,
    pub comments: i64,
}

/// A campaign group with an approved member.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CampaignRow {
    pub group_id: i64,
    pub size: i64,
    pub first_comment_id: i64,
}

/// Comments naming one article (or none) with the same outcome, proposal flag and tag list (JSON,
/// as stored).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ArticleCommentRow {
    pub article_id: Option<i64>,
    pub status: String,
    pub is_proposal: bool,
    pub tags: String,
    pub comments: i64,
}

/// An article of one of the consultation's draft versions: where it sits, and its headings.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DraftArticleRow {
    pub id: i64,
    pub number: i64,
    pub label: String,
    pub version: i64,
    pub heading_fa: Option<String>,
    pub heading_en: Option<String>,
}

/// A candidate example of an article (or of the comments naming none): the first approved
/// comment of a campaign group, with the group's size (1 for a comment of its own).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ArticleExampleRow {
    pub article_id: Option<i64>,
    pub group_size: i64,
    pub comment_id: i64,
    /// The group's approved comments that name this article (1 for a comment of its own).
    pub approved: i64,
}

/// The report's concerns per article as read from the database ([`ReportStore::report_articles`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleRows {
    pub comments: Vec<ArticleCommentRow>,
    pub articles: Vec<DraftArticleRow>,
    /// Per article, its best `examples` candidates at most (fewer when it has fewer approved
    /// groups), in no particular order.
    pub examples: Vec<ArticleExampleRow>,
}

/// A consultation's report as stored: the latest draft, and the published version if any.
#[derive(Debug, Clone)]
pub struct StoredReport {
    /// The latest draft (its publication fields set when it is the published version).
    pub draft: Report,
    pub published: Option<Report>,
}

#[async_trait]
pub trait ReportStore: Send + Sync {
    /// Everyone who commented on the consultation or voted in one of its polls, grouped by their
    /// demographic answers.
    async fn report_participant_cells(
        &self,
        consultation_id: i64,
    ) -> StoreResult<Vec<ParticipantCell>>;
    /// Comments, ballots and distinct participants per day, days starting at UTC + `offset_ms`.
    async fn report_turnout(
        &self,
        consultation_id: i64,
        offset_ms: i64,
    ) -> StoreResult<Vec<TurnoutRow>>;
    /// Tag use on approved comments, per tag and campaign group.
    async fn report_tag_groups(&self, consultation_id: i64) -> StoreResult<Vec<TagGroupRow>>;
    /// The largest campaign groups (size at least 2) with an approved member, largest first.
    async fn report_campaigns(
        &self,
        consultation_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<CampaignRow>>;
    /// Approved comments' bodies in id order after `after` (a page of the stream term counting reads).
    async fn report_approved_bodies(
        &self,
        consultation_id: i64,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, String)>>;
    /// The consultation's comments per article they name (and those naming none), by outcome,
    /// proposal flag and tag list (one scan, which also gives the report's comment counts); the
    /// articles of its draft versions; and the candidates for each article's `examples` best
    /// approved comments (the first approved comment of each campaign group, largest groups
    /// first, then the earliest). Two GROUP BY reads, the articles, and the approved comments in
    /// id order a page at a time until every article has its examples (usually one page).
    async fn report_articles(
        &self,
        consultation_id: i64,
        examples: u32,
    ) -> StoreResult<ArticleRows>;
    /// Bodies of the given comments.
    async fn comment_bodies(&self, ids: &[i64]) -> StoreResult<Vec<(i64, String)>>;
    /// Store a newly generated draft as the next version; returns it with its version set.
    async fn save_report(
        &self,
        report: Report,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Report>;
    async fn stored_report(&self, consultation_id: i64) -> StoreResult<Option<StoredReport>>;
    /// Publish the latest draft: it becomes the public report, the consultation records it (which
    /// clears `report_overdue`), and every participant with a messenger is sent word of it once.
    /// Publish the latest report version; every participant the outbox can reach is told, with a
    /// link to the report on the portal at `public_base_url` (else the consultation's
    /// `portal_url`).
    async fn publish_report(
        &self,
        consultation_id: i64,
        public_base_url: Option<&str>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<ReportPublished>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct ReportRow {
    pub version: i64,
    pub body: String,
    pub published_version: Option<i64>,
    pub published_body: Option<String>,
}

impl ReportRow {
    pub(crate) fn into_stored(self) -> StoreResult<StoredReport> {
        let published: Option<Report> = self
            .published_body
            .as_deref()
            .map(serde_json::from_str)
            .transpose()?;
        let mut draft: Report = serde_json::from_str(&self.body)?;
        if self.published_version == Some(self.version)
            && let Some(p) = &published
        {
            draft.published_at = p.published_at;
            draft.published_by = p.published_by.clone();
        }
        Ok(StoredReport { draft, published })
    }
}

/// Counts by status and proposal flag, summed into the report's comment counts.
pub(crate) fn comment_counts(rows: &[(String, bool, i64)]) -> CommentCounts {
    let mut counts = CommentCounts::default();
    for (status, is_proposal, n) in rows {
        counts.total += n;
        match status.as_str() {
            "approved" => {
                counts.approved += n;
                if *is_proposal {
                    counts.proposals += n;
                }
            }
            "rejected" => counts.rejected += n,
            "hidden" => counts.hidden += n,
            _ => counts.pending += n,
        }
    }
    counts
}

/// Approved comments read per page while looking for examples of single comments.
const EXAMPLE_PAGE: u32 = 2_000;

/// The ids of everyone who took part: commented, or voted in a poll of the consultation (`$1`).
pub(crate) const PARTICIPANT_IDS: &str =
    "SELECT participant_id FROM comments WHERE consultation_id = $1
    UNION SELECT b.participant_id FROM ballots b JOIN polls q ON q.id = b.poll_id
        WHERE q.consultation_id = $1";

#[async_trait]
impl<D: Dialect> ReportStore for SqlStore<D>
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
    async fn report_participant_cells(
        &self,
        consultation_id: i64,
    ) -> StoreResult<Vec<super::ParticipantCell>> {
        Ok(sqlx::query_as(concatcp!(
            "SELECT p.birth_year, p.gender, p.province, p.category, COUNT(*) AS participants,
                CAST(SUM(CASE WHEN p.verified_at IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS verified
             FROM participants p WHERE p.id IN (",
            PARTICIPANT_IDS,
            ") GROUP BY p.birth_year, p.gender, p.province, p.category"
        ))
        .bind(consultation_id)
        .fetch_all(self.reader())
        .await?)
    }

    async fn report_turnout(
        &self,
        consultation_id: i64,
        offset_ms: i64,
    ) -> StoreResult<Vec<super::TurnoutRow>> {
        Ok(sqlx::query_as(
            "SELECT day, CAST(SUM(is_comment) AS BIGINT) AS comments, CAST(SUM(1 - is_comment) AS BIGINT) AS ballots,
                COUNT(DISTINCT participant_id) AS participants
             FROM (
                SELECT (created_at + $2) / 86400000 AS day, participant_id, 1 AS is_comment
                FROM comments WHERE consultation_id = $1
                UNION ALL
                SELECT (b.cast_at + $2) / 86400000, b.participant_id, 0
                FROM ballots b JOIN polls q ON q.id = b.poll_id WHERE q.consultation_id = $1
             ) activity
             GROUP BY day ORDER BY day",
        )
        .bind(consultation_id)
        .bind(offset_ms)
        .fetch_all(self.reader())
        .await?)
    }

    async fn report_tag_groups(
        &self,
        consultation_id: i64,
    ) -> StoreResult<Vec<super::TagGroupRow>> {
        Ok(sqlx::query_as(D::TAG_GROUPS_SQL)
            .bind(consultation_id)
            .fetch_all(self.reader())
            .await?)
    }

    async fn report_campaigns(
        &self,
        consultation_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<super::CampaignRow>> {
        Ok(sqlx::query_as(
            "SELECT g.id AS group_id, g.size, MIN(c.id) AS first_comment_id
             FROM duplicate_groups g JOIN comments c ON c.group_id = g.id
             WHERE g.consultation_id = $1 AND g.size >= 2 AND c.status = 'approved'
             GROUP BY g.id, g.size ORDER BY g.size DESC, g.id LIMIT $2",
        )
        .bind(consultation_id)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await?)
    }

    async fn report_approved_bodies(
        &self,
        consultation_id: i64,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, body FROM comments WHERE consultation_id = $1 AND id > $2 AND status = 'approved'
             ORDER BY id LIMIT $3",
        )
        .bind(consultation_id)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await?)
    }

    async fn report_articles(
        &self,
        consultation_id: i64,
        examples: u32,
    ) -> StoreResult<ArticleRows> {
        // Tag lists are few (moderators pick from the consultation's short list): grouped by the
        // list as stored and read apart in Rust, the SQL stays the same for both databases.
        let comments: Vec<ArticleCommentRow> = sqlx::query_as(
            "SELECT article_id, status, is_proposal, tags, COUNT(*) AS comments FROM comments
             WHERE consultation_id = $1 GROUP BY article_id, status, is_proposal, tags",
        )
        .bind(consultation_id)
        .fetch_all(self.reader())
        .await?;
        let articles = sqlx::query_as(
            "SELECT id, number, label, version, heading_fa, heading_en FROM draft_articles
             WHERE consultation_id = $1",
        )
        .bind(consultation_id)
        .fetch_all(self.reader())
        .await?;
        // Campaign groups (of two or more) with an approved member, per article their members
        // name: few, read from the groups as the campaigns are.
        let mut candidates: Vec<ArticleExampleRow> = sqlx::query_as(
            "SELECT c.article_id, g.size AS group_size, MIN(c.id) AS comment_id, COUNT(*) AS approved
             FROM duplicate_groups g JOIN comments c ON c.group_id = g.id
             WHERE g.consultation_id = $1 AND g.size >= 2 AND c.status = 'approved'
             GROUP BY c.article_id, g.id, g.size",
        )
        .bind(consultation_id)
        .fetch_all(self.reader())
        .await?;
        let wanted = examples as usize;
        // Approved comments per article that are in campaign groups: the rest are on their own.
        let mut grouped: Vec<(Option<i64>, i64)> = Vec::new();
        for row in &candidates {
            match grouped.iter_mut().find(|(a, _)| *a == row.article_id) {
                Some((_, n)) => *n += row.approved,
                None => grouped.push((row.article_id, row.approved)),
            }
        }
        candidates.sort_by(|a, b| {
            a.article_id
                .cmp(&b.article_id)
                .then(b.group_size.cmp(&a.group_size))
                .then(a.comment_id.cmp(&b.comment_id))
        });
        let mut chosen: Vec<ArticleExampleRow> = Vec::new();
        for row in candidates {
            let taken = chosen
                .iter()
                .rev()
                .take_while(|c| c.article_id == row.article_id)
                .count();
            if taken < wanted {
                chosen.push(row);
            }
        }
        // The rest from comments of their own, the earliest first: approved comments in id
        // order, a page at a time, until every article with approved comments has its examples
        // (usually within the first page; at worst one pass over the approved comments).
        let mut single: Vec<(Option<i64>, i64)> = Vec::new();
        for row in comments.iter().filter(|r| r.status == "approved") {
            match single.iter_mut().find(|(a, _)| *a == row.article_id) {
                Some((_, n)) => *n += row.comments,
                None => single.push((row.article_id, row.comments)),
            }
        }
        let mut missing: Vec<(Option<i64>, usize)> = Vec::new();
        for (article_id, approved) in single {
            let in_groups = grouped
                .iter()
                .find(|(a, _)| *a == article_id)
                .map_or(0, |(_, n)| *n);
            let on_their_own = usize::try_from(approved - in_groups).unwrap_or(0);
            let have = chosen.iter().filter(|c| c.article_id == article_id).count();
            let need = wanted.saturating_sub(have).min(on_their_own);
            if need > 0 {
                missing.push((article_id, need));
            }
        }
        let mut after = 0i64;
        while !missing.is_empty() {
            let page: Vec<(Option<i64>, i64)> = sqlx::query_as(
                "SELECT c.article_id, c.id FROM comments c JOIN duplicate_groups g ON g.id = c.group_id
                 WHERE c.consultation_id = $1 AND c.id > $2 AND c.status = 'approved' AND g.size = 1
                 ORDER BY c.id LIMIT $3",
            )
            .bind(consultation_id)
            .bind(after)
            .bind(i64::from(EXAMPLE_PAGE))
            .fetch_all(self.reader())
            .await?;
            for (article_id, comment_id) in &page {
                if let Some(at) = missing.iter().position(|(a, _)| a == article_id) {
                    chosen.push(ArticleExampleRow {
                        article_id: *article_id,
                        group_size: 1,
                        comment_id: *comment_id,
                        approved: 1,
                    });
                    missing[at].1 -= 1;
                    if missing[at].1 == 0 {
                        missing.swap_remove(at);
                    }
                }
            }
            match page.last() {
                Some((_, last)) if page.len() == EXAMPLE_PAGE as usize => after = *last,
                _ => break,
            }
        }
        Ok(ArticleRows {
            comments,
            articles,
            examples: chosen,
        })
    }

    async fn comment_bodies(&self, ids: &[i64]) -> StoreResult<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut query =
            sqlx::QueryBuilder::<D::Db>::new("SELECT id, body FROM comments WHERE id IN (");
        let mut list = query.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        list.push_unseparated(") ORDER BY id");
        Ok(query
            .build_query_as()
            .persistent(false)
            .fetch_all(self.reader())
            .await?)
    }

    async fn save_report(
        &self,
        mut report: mosharekat_api::Report,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::Report> {
        use super::ms;
        let consultation_id = report.consultation.id;
        let mut tx = self.begin_write().await?;
        self.consultation_row_for_update(&mut tx, consultation_id)
            .await?;
        let previous: Option<i64> =
            sqlx::query_scalar("SELECT version FROM reports WHERE consultation_id = $1")
                .bind(consultation_id)
                .fetch_optional(&mut *tx)
                .await?;
        report.version = previous.unwrap_or(0) + 1;
        // As precise as the database keeps times, so a stored report reads back equal.
        report.generated_at = super::from_ms(ms(report.generated_at));
        report.published_at = None;
        report.published_by = None;
        let body = serde_json::to_string(&report)?;
        sqlx::query(
            "INSERT INTO reports (consultation_id, version, body, generated_at, generated_by)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (consultation_id) DO UPDATE SET version = excluded.version, body = excluded.body,
                generated_at = excluded.generated_at, generated_by = excluded.generated_by",
        )
        .bind(consultation_id)
        .bind(report.version)
        .bind(&body)
        .bind(ms(report.generated_at))
        .bind(&report.generated_by)
        .execute(&mut *tx)
        .await?;
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(
                actor,
                "report.generate",
                format!("consultation:{consultation_id}"),
            )
            .after(serde_json::json!({
                "version": report.version,
                "participants": report.participants.total,
                "comments": report.comments.total,
            })),
            now,
        )
        .await?;
        self.append_event(
            &mut tx,
            &mosharekat_api::EventKind::ReportGenerated {
                consultation_id,
                version: report.version,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.events_committed();
        Ok(report)
    }

    async fn stored_report(
        &self,
        consultation_id: i64,
    ) -> StoreResult<Option<super::StoredReport>> {
        let row: Option<ReportRow> = sqlx::query_as(
            "SELECT version, body, published_version, published_body FROM reports WHERE consultation_id = $1",
        )
        .bind(consultation_id)
        .fetch_optional(self.reader())
        .await?;
        row.map(|r| r.into_stored()).transpose()
    }

    async fn publish_report(
        &self,
        consultation_id: i64,
        public_base_url: Option<&str>,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::ReportPublished> {
        use super::{StoreError, ms};
        use mosharekat_api::Language;
        let now = super::from_ms(ms(now));
        let mut tx = self.begin_write().await?;
        let consultation = self
            .consultation_row_for_update(&mut tx, consultation_id)
            .await?;
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT version, body FROM reports WHERE consultation_id = $1")
                .bind(consultation_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((version, body)) = row else {
            return Err(StoreError::refused(
                mosharekat_api::ErrorCode::NotFound,
                "there is no report to publish: generate it first",
            ));
        };
        let mut report: mosharekat_api::Report = serde_json::from_str(&body)?;
        report.published_at = Some(now);
        report.published_by = Some(actor.username.clone());
        sqlx::query(
            "UPDATE reports SET published_version = $2, published_body = $3, published_at = $4, published_by = $5
             WHERE consultation_id = $1",
        )
        .bind(consultation_id)
        .bind(version)
        .bind(serde_json::to_string(&report)?)
        .bind(ms(now))
        .bind(&actor.username)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE consultations SET report_published_at = COALESCE(report_published_at, $2), updated_at = $2
             WHERE id = $1",
        )
        .bind(consultation_id)
        .bind(ms(now))
        .execute(&mut *tx)
        .await?;
        let text = |language: Language| {
            let link = crate::delivery::messages::portal_link(
                public_base_url,
                &consultation.portal_url,
                language,
                &format!("/c/{consultation_id}#report-heading"),
            );
            crate::delivery::messages::report_text(
                &consultation.title_fa,
                &consultation.title_en,
                &link,
                language,
            )
        };
        let messages = sqlx::query(concatcp!("INSERT INTO outbox (dedup_key, participant_id, consultation_id, channel, handle, language, kind,
                subject_id, text, idempotency_key, status, attempts, next_attempt_at, created_at)
             SELECT 'report:' || CAST($1 AS TEXT) || ':' || CAST(p.id AS TEXT), p.id, $1, r.channel, r.handle,
                p.language, 'report_published', $1, CASE WHEN p.language = 'en' THEN $2 ELSE $3 END,
                'mosharekat-report-' || CAST($1 AS TEXT) || '-' || CAST(p.id AS TEXT), 'pending', 0, $4, $4
             FROM participants p", super::messenger::RECIPIENT_JOIN, "
             WHERE p.id IN (", PARTICIPANT_IDS, ")
             ORDER BY p.id
             ON CONFLICT (dedup_key) DO NOTHING"))
        .bind(consultation_id)
        .bind(text(Language::En))
        .bind(text(Language::Fa))
        .bind(ms(now))
        .execute(&mut *tx)
        .await?
        .rows_affected() as i64;
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(
                actor,
                "report.publish",
                format!("consultation:{consultation_id}"),
            )
            .after(serde_json::json!({"version": version, "messages": messages})),
            now,
        )
        .await?;
        self.append_event(
            &mut tx,
            &mosharekat_api::EventKind::ReportPublished {
                consultation_id,
                version,
            },
            now,
        )
        .await?;
        self.append_event(
            &mut tx,
            &mosharekat_api::EventKind::ConsultationChanged {
                consultation_id,
                status: consultation.status(now),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.events_committed();
        Ok(mosharekat_api::ReportPublished {
            consultation_id,
            version,
            published_at: now,
            published_by: actor.username.clone(),
            messages,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_counts_sum_statuses_and_approved_proposals() {
        let rows = vec![
            ("approved".to_owned(), false, 10),
            ("approved".to_owned(), true, 4),
            ("rejected".to_owned(), true, 2),
            ("hidden".to_owned(), false, 1),
            ("pending".to_owned(), false, 3),
        ];
        let c = comment_counts(&rows);
        assert_eq!(
            (
                c.total,
                c.approved,
                c.proposals,
                c.rejected,
                c.hidden,
                c.pending
            ),
            (20, 14, 4, 2, 1, 3)
        );
    }
}

//! Digital-citizen scores: contributions derived from the source data (approved comments,
//! published decisions, ballots) by the rules in `scoring.toml`, and per-participant totals.
//!
//! The derivation is one set of `INSERT … SELECT` statements ([`derive_sql`]). Live writes run it
//! scoped to one participant in one consultation, inside the transaction of the change that may
//! alter their score (a moderation decision or its reversal, the publication of decisions, a
//! ballot); [`ScoreStore::rebuild_scores`] runs it over everything. Both give the same rows.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mosharekat_api::{
    Category, Contribution, ContributionKind, LeaderboardEntry, ParticipantScore, Period, Province,
};

use super::dialect::{Connection, Dialect, Row, SqlStore};
use super::{StoreResult, decode, from_ms};
use crate::incentives::rules::ScoringRules;

/// What a leaderboard is computed over.
#[derive(Debug, Clone, Default)]
pub struct LeaderboardFilter {
    /// Only contributions earned at or after this time.
    pub since: Option<DateTime<Utc>>,
    pub province: Option<Province>,
    pub category: Option<Category>,
    pub consultation_id: Option<i64>,
    pub limit: u32,
}

impl LeaderboardFilter {
    pub fn of_period(period: Period, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        period.days().map(|d| now - chrono::Duration::days(d))
    }
}

/// Counts after a rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RebuildSummary {
    pub participants: i64,
    pub contributions: i64,
    pub points: i64,
}

/// Everything stored about scores, in a fixed order: for comparing a rebuild with live scores.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScoreSnapshot {
    /// `(participant, contribution)` by participant, consultation, kind, subject.
    pub contributions: Vec<(i64, Contribution)>,
    /// `(participant, points, contributions)` by participant.
    pub totals: Vec<(i64, i64, i64)>,
}

#[async_trait]
pub trait ScoreStore: Send + Sync {
    /// The rules scores are computed with.
    fn scoring_rules(&self) -> Arc<ScoringRules>;
    /// Use other rules from now on (stored scores follow after a rebuild).
    fn set_scoring_rules(&self, rules: ScoringRules);
    /// Delete and recompute every contribution and total from the source data, in one transaction.
    async fn rebuild_scores(&self) -> StoreResult<RebuildSummary>;
    /// A participant's score with every contribution behind it (`None`: no such participant).
    async fn participant_score(&self, participant_id: i64)
    -> StoreResult<Option<ParticipantScore>>;
    /// Participants with points, most first (equal points by id), ranked 1, 2, 2, 4.
    async fn leaderboard(&self, filter: &LeaderboardFilter) -> StoreResult<Vec<LeaderboardEntry>>;
    /// Contributions of one consultation, by participant (newest first within each).
    async fn consultation_contributions(
        &self,
        consultation_id: i64,
    ) -> StoreResult<Vec<(i64, Contribution)>>;
    async fn score_snapshot(&self) -> StoreResult<ScoreSnapshot>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct ContributionRow {
    pub participant_id: i64,
    pub consultation_id: i64,
    pub kind: String,
    pub subject_id: i64,
    pub group_id: Option<i64>,
    pub copies: i64,
    pub points: i64,
    pub earned_at: i64,
}

impl ContributionRow {
    pub(crate) fn into_api(self) -> StoreResult<(i64, Contribution)> {
        Ok((
            self.participant_id,
            Contribution {
                kind: decode(
                    &self.kind,
                    "score_contributions.kind",
                    ContributionKind::from_code,
                )?,
                points: self.points,
                consultation_id: self.consultation_id,
                subject_id: self.subject_id,
                duplicate_group_id: self.group_id,
                copies: self.copies,
                earned_at: from_ms(self.earned_at),
            },
        ))
    }
}

/// First key of the PostgreSQL advisory lock of score upkeep (the second is 0: one lock for all).
pub(crate) const SCORE_LOCK_CLASS: i32 = 0x5C0E;

pub(crate) const CONTRIBUTION_COLUMNS: &str =
    "participant_id, consultation_id, kind, subject_id, group_id, copies, points, earned_at";

#[derive(sqlx::FromRow)]
pub(crate) struct LeaderRow {
    pub participant_id: i64,
    pub display_name: String,
    pub category: String,
    pub province: Option<String>,
    pub name_public: bool,
    pub points: i64,
    pub contributions: i64,
}

/// Rank ordered rows: equal points share a rank, the next rank skips.
pub(crate) fn ranked(rows: Vec<LeaderRow>) -> StoreResult<Vec<LeaderboardEntry>> {
    let mut out: Vec<LeaderboardEntry> = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        let rank = match out.last() {
            Some(prev) if prev.points == row.points => prev.rank,
            _ => i as i64 + 1,
        };
        out.push(LeaderboardEntry {
            rank,
            participant_id: row.participant_id,
            display_name: row.display_name,
            category: decode(&row.category, "participants.category", Category::from_code)?,
            province: row
                .province
                .map(|p| decode(&p, "participants.province", Province::from_code))
                .transpose()?,
            points: row.points,
            contributions: row.contributions,
            name_public: row.name_public,
        });
    }
    Ok(out)
}

/// The derivation: three `INSERT … SELECT`s into `score_contributions`, each binding two points
/// (`$1`, `$2`: comment and endorsement; proposal_accepted and proposal_partially_accepted;
/// ballot and survey_answer) and, when `scoped`, `$3` the participant and `$4` the consultation.
pub(crate) fn derive_sql(scoped: bool) -> [String; 3] {
    let (c, d, b) = if scoped {
        (
            " AND c.participant_id = $3 AND c.consultation_id = $4",
            " AND c.participant_id = $3 AND d.consultation_id = $4",
            " AND b.participant_id = $3 AND p.consultation_id = $4",
        )
    } else {
        ("", "", "")
    };
    let insert = "INSERT INTO score_contributions (participant_id, consultation_id, kind, subject_id, group_id, copies, points, earned_at)";
    [
        // One per author and campaign group: an endorsement when other authors' approved
        // comments share the group.
        format!(
            "{insert}
             SELECT participant_id, consultation_id, CASE WHEN shared THEN 'endorsement' ELSE 'comment' END,
                subject_id, group_id, copies, CASE WHEN shared THEN $2 ELSE $1 END, earned_at
             FROM (SELECT c.participant_id, c.consultation_id, c.group_id, MIN(c.id) AS subject_id,
                    COUNT(*) AS copies, MIN(c.created_at) AS earned_at,
                    EXISTS (SELECT 1 FROM comments o WHERE o.group_id = c.group_id AND o.status = 'approved'
                            AND o.participant_id <> c.participant_id) AS shared
                   FROM comments c WHERE c.status = 'approved'{c}
                   GROUP BY c.participant_id, c.consultation_id, c.group_id) g"
        ),
        // Published acceptances, to the author of the decided proposal while it stays approved.
        format!(
            "{insert}
             SELECT c.participant_id, d.consultation_id,
                CASE WHEN d.outcome = 'accepted' THEN 'proposal_accepted' ELSE 'proposal_partially_accepted' END,
                d.comment_id, NULL, 1, CASE WHEN d.outcome = 'accepted' THEN $1 ELSE $2 END, d.published_at
             FROM proposal_decisions d JOIN comments c ON c.id = d.comment_id
             WHERE c.status = 'approved' AND d.published_at IS NOT NULL
               AND d.outcome IN ('accepted', 'partially_accepted'){d}"
        ),
        // One per poll: a survey answer for a likert_5 question, a ballot otherwise.
        format!(
            "{insert}
             SELECT b.participant_id, p.consultation_id,
                CASE WHEN p.kind = 'likert_5' THEN 'survey_answer' ELSE 'ballot' END,
                b.poll_id, NULL, 1, CASE WHEN p.kind = 'likert_5' THEN $2 ELSE $1 END, b.cast_at
             FROM ballots b JOIN polls p ON p.id = b.poll_id
             WHERE 1 = 1{b}"
        ),
    ]
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
    /// Run the derivation (all of it, or one participant's rows in one consultation).
    async fn derive_contributions(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        scope: Option<(i64, i64)>,
    ) -> StoreResult<()> {
        let rules = super::ScoreStore::scoring_rules(self);
        let p = &rules.points;
        let points = [
            (p.comment, p.endorsement),
            (p.proposal_accepted, p.proposal_partially_accepted),
            (p.ballot, p.survey_answer),
        ];
        for (sql, (first, second)) in derive_sql(scope.is_some()).into_iter().zip(points) {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(first)
                .bind(second);
            if let Some((participant, consultation)) = scope {
                q = q.bind(participant).bind(consultation);
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Recompute one participant's contributions to one consultation and their total, in
    /// the caller's transaction. The total moves by the difference, so two transactions
    /// scoring one participant in two consultations at once both count.
    pub(crate) async fn rescore(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        participant_id: i64,
        consultation_id: i64,
    ) -> StoreResult<()> {
        D::lock_scores(tx, consultation_id).await?;
        const SUM: &str =
            "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT), COUNT(*) FROM score_contributions
             WHERE participant_id = $1 AND consultation_id = $2";
        let (old_points, old_count): (i64, i64) = sqlx::query_as(SUM)
            .bind(participant_id)
            .bind(consultation_id)
            .fetch_one(&mut **tx)
            .await?;
        sqlx::query(
            "DELETE FROM score_contributions WHERE participant_id = $1 AND consultation_id = $2",
        )
        .bind(participant_id)
        .bind(consultation_id)
        .execute(&mut **tx)
        .await?;
        self.derive_contributions(tx, Some((participant_id, consultation_id)))
            .await?;
        let (new_points, new_count): (i64, i64) = sqlx::query_as(SUM)
            .bind(participant_id)
            .bind(consultation_id)
            .fetch_one(&mut **tx)
            .await?;
        let (points, count) = (new_points - old_points, new_count - old_count);
        if points == 0 && count == 0 {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO participant_scores (participant_id, points, contributions) VALUES ($1, $2, $3)
             ON CONFLICT (participant_id) DO UPDATE
                SET points = participant_scores.points + excluded.points,
                    contributions = participant_scores.contributions + excluded.contributions",
        )
        .bind(participant_id)
        .bind(points)
        .bind(count)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "DELETE FROM participant_scores WHERE participant_id = $1 AND contributions = 0",
        )
        .bind(participant_id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// After a comment's status changed: its author's score in the consultation, and the
    /// one other author whose text stops (or starts) being shared because of it.
    pub(crate) async fn rescore_after_comment(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        comment_id: i64,
    ) -> StoreResult<()> {
        let row: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT participant_id, consultation_id, group_id FROM comments WHERE id = $1",
        )
        .bind(comment_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some((author, consultation, group)) = row else {
            return Ok(());
        };
        self.rescore(tx, author, consultation).await?;
        // Another author's kind depends on whether anyone but them has an approved copy:
        // that changes with this author only when they are the only other one.
        let others: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT participant_id FROM comments
             WHERE group_id = $1 AND status = 'approved' AND participant_id <> $2 LIMIT 2",
        )
        .bind(group)
        .bind(author)
        .fetch_all(&mut **tx)
        .await?;
        if let [other] = others[..] {
            self.rescore(tx, other, consultation).await?;
        }
        Ok(())
    }
}

#[async_trait]
impl<D: Dialect> ScoreStore for SqlStore<D>
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
    fn scoring_rules(&self) -> std::sync::Arc<crate::incentives::rules::ScoringRules> {
        self.scoring.read().expect("scoring rules lock").clone()
    }

    fn set_scoring_rules(&self, rules: crate::incentives::rules::ScoringRules) {
        *self.scoring.write().expect("scoring rules lock") = std::sync::Arc::new(rules);
    }

    async fn rebuild_scores(&self) -> StoreResult<super::RebuildSummary> {
        let mut tx = self.begin_write().await?;
        D::lock_scores(&mut tx, 0).await?;
        D::lock_all_scores(&mut tx).await?;
        sqlx::query("DELETE FROM participant_scores")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM score_contributions")
            .execute(&mut *tx)
            .await?;
        self.derive_contributions(&mut tx, None).await?;
        sqlx::query(
            "INSERT INTO participant_scores (participant_id, points, contributions)
             SELECT participant_id, SUM(points), COUNT(*) FROM score_contributions GROUP BY participant_id",
        )
        .execute(&mut *tx)
        .await?;
        let (participants, contributions, points): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(contributions), 0) AS BIGINT),
                CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM participant_scores",
        )
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(super::RebuildSummary {
            participants,
            contributions,
            points,
        })
    }

    async fn participant_score(
        &self,
        participant_id: i64,
    ) -> StoreResult<Option<mosharekat_api::ParticipantScore>> {
        let Some(p) = super::ParticipantStore::get_participant(self, participant_id).await? else {
            return Ok(None);
        };
        let rows: Vec<ContributionRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM score_contributions WHERE participant_id = $1
             ORDER BY earned_at DESC, consultation_id, kind, subject_id",
            CONTRIBUTION_COLUMNS
        )))
        .bind(participant_id)
        .fetch_all(self.reader())
        .await?;
        let contributions: Vec<mosharekat_api::Contribution> = rows
            .into_iter()
            .map(|r| r.into_api().map(|(_, c)| c))
            .collect::<Result<_, _>>()?;
        Ok(Some(mosharekat_api::ParticipantScore {
            participant_id,
            display_name: p.display_name,
            category: p.category,
            province: p.province,
            total: contributions.iter().map(|c| c.points).sum(),
            contributions,
            rules: super::ScoreStore::scoring_rules(self).explained(),
        }))
    }

    async fn leaderboard(
        &self,
        filter: &super::LeaderboardFilter,
    ) -> StoreResult<Vec<mosharekat_api::LeaderboardEntry>> {
        let totals = filter.since.is_none() && filter.consultation_id.is_none();
        let mut q = if totals {
            // Everything, ever: the kept totals.
            sqlx::QueryBuilder::<D::Db>::new(
                "SELECT s.participant_id, p.display_name, p.category, p.province, p.name_public,
                    s.points, s.contributions
                 FROM participant_scores s JOIN participants p ON p.id = s.participant_id
                 WHERE s.points > 0",
            )
        } else {
            sqlx::QueryBuilder::<D::Db>::new(
                "SELECT s.participant_id, p.display_name, p.category, p.province, p.name_public,
                    CAST(SUM(s.points) AS BIGINT) AS points, COUNT(*) AS contributions
                 FROM score_contributions s JOIN participants p ON p.id = s.participant_id
                 WHERE 1 = 1",
            )
        };
        if let Some(since) = filter.since {
            q.push(" AND s.earned_at >= ").push_bind(super::ms(since));
        }
        if let Some(c) = filter.consultation_id {
            q.push(" AND s.consultation_id = ").push_bind(c);
        }
        if let Some(p) = filter.province {
            q.push(" AND p.province = ").push_bind(p.code());
        }
        if let Some(c) = filter.category {
            q.push(" AND p.category = ").push_bind(c.as_str());
        }
        if !totals {
            q.push(
                " GROUP BY s.participant_id, p.display_name, p.category, p.province, p.name_public
                  HAVING SUM(s.points) > 0",
            );
        }
        q.push(" ORDER BY points DESC, s.participant_id LIMIT ")
            .push_bind(i64::from(filter.limit));
        let rows: Vec<LeaderRow> = q
            .build_query_as()
            .persistent(false)
            .fetch_all(self.reader())
            .await?;
        ranked(rows)
    }

    async fn consultation_contributions(
        &self,
        consultation_id: i64,
    ) -> StoreResult<Vec<(i64, mosharekat_api::Contribution)>> {
        let rows: Vec<ContributionRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM score_contributions WHERE consultation_id = $1
             ORDER BY participant_id, earned_at DESC, kind, subject_id",
            CONTRIBUTION_COLUMNS
        )))
        .bind(consultation_id)
        .fetch_all(self.reader())
        .await?;
        rows.into_iter().map(|r| r.into_api()).collect()
    }

    async fn score_snapshot(&self) -> StoreResult<super::ScoreSnapshot> {
        let rows: Vec<ContributionRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM score_contributions ORDER BY participant_id, consultation_id, kind, subject_id",
            CONTRIBUTION_COLUMNS
        )))
        .fetch_all(self.reader())
        .await?;
        let totals: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT participant_id, points, contributions FROM participant_scores ORDER BY participant_id",
        )
        .fetch_all(self.reader())
        .await?;
        Ok(super::ScoreSnapshot {
            contributions: rows
                .into_iter()
                .map(|r| r.into_api())
                .collect::<Result<_, _>>()?,
            totals,
        })
    }
}

//! Proposals and their decisions: drafts under optimistic concurrency, publication (with the
//! feedback messages to every member of each answered campaign group, in the same transaction), and
//! the public list.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use const_format::concatcp;
use mosharekat_api::{
    DecisionsPublished, Outcome, Proposal, ProposalDecision, ProposalDecisionRequest,
    PublicDecision,
};

use super::dialect::{Connection, Dialect, Row, RowsAffected as _, SqlStore};
use super::{Actor, StoreResult, decode, from_ms};

/// The answer to a save: stored, or refused because someone saved another version first.
#[derive(Debug, Clone)]
pub enum SaveDecision {
    Saved(ProposalDecision),
    /// The version the editor started from is stale; this is the decision as it is now.
    Conflict(ProposalDecision),
}

#[async_trait]
pub trait ProposalStore: Send + Sync {
    /// Approved proposals of a consultation, one per campaign group (the decided comment, else the
    /// group's first approved proposal), in id order after `after`.
    async fn list_proposals(
        &self,
        consultation_id: i64,
        after: Option<i64>,
        limit: u32,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Proposal>>;
    /// Save a draft decision for the campaign group of proposal `proposal_id`. The caller has
    /// validated `request`.
    async fn save_decision(
        &self,
        proposal_id: i64,
        request: &ProposalDecisionRequest,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<SaveDecision>;
    /// Publish every unpublished decision of a closed consultation and queue a message to each
    /// author in the answered groups. Refused whole when a decision lacks an outcome or a language.
    /// The message links to the consultation's page on the portal at `public_base_url` (its
    /// answers section, in the reader's language) or, when none is configured, to the
    /// consultation's `portal_url`.
    async fn publish_decisions(
        &self,
        consultation_id: i64,
        public_base_url: Option<&str>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<DecisionsPublished>;
    /// Published decisions of a consultation, in proposal order.
    async fn public_decisions(&self, consultation_id: i64) -> StoreResult<Vec<PublicDecision>>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct DecisionRow {
    pub comment_id: i64,
    pub group_id: i64,
    pub consultation_id: i64,
    pub outcome: Option<String>,
    pub rationale_fa: String,
    pub rationale_en: String,
    pub legal_basis: String,
    pub version: i64,
    pub decided_by_name: String,
    pub decided_at: i64,
    pub published_at: Option<i64>,
}

pub(crate) const DECISION_SELECT: &str =
    "SELECT d.comment_id, d.group_id, d.consultation_id, d.outcome, d.rationale_fa, d.rationale_en,
            d.legal_basis, d.version, s.username AS decided_by_name, d.decided_at, d.published_at
         FROM proposal_decisions d JOIN staff s ON s.id = d.decided_by ";
impl DecisionRow {
    pub(crate) fn into_api(self) -> StoreResult<ProposalDecision> {
        Ok(ProposalDecision {
            proposal_id: self.comment_id,
            consultation_id: self.consultation_id,
            outcome: self
                .outcome
                .map(|o| decode(&o, "proposal_decisions.outcome", Outcome::from_code))
                .transpose()?,
            rationale_fa: self.rationale_fa,
            rationale_en: self.rationale_en,
            legal_basis: self.legal_basis,
            version: self.version,
            decided_by: self.decided_by_name,
            decided_at: from_ms(self.decided_at),
            published_at: self.published_at.map(from_ms),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PublicDecisionRow {
    pub comment_id: i64,
    pub body: String,
    pub outcome: Option<String>,
    pub rationale_fa: String,
    pub rationale_en: String,
    pub legal_basis: String,
    pub decided_at: i64,
    pub published_at: i64,
    pub group_size: i64,
    pub article_id: Option<i64>,
    pub article_number: Option<i64>,
    pub article_label: Option<String>,
    pub article_version: Option<i64>,
}

impl PublicDecisionRow {
    pub(crate) fn into_api(self) -> StoreResult<PublicDecision> {
        let outcome = self.outcome.unwrap_or_default();
        Ok(PublicDecision {
            proposal_id: self.comment_id,
            body: self.body,
            outcome: decode(&outcome, "proposal_decisions.outcome", Outcome::from_code)?,
            rationale_fa: self.rationale_fa,
            rationale_en: self.rationale_en,
            legal_basis: self.legal_basis,
            decided_at: from_ms(self.decided_at),
            published_at: from_ms(self.published_at),
            group_size: self.group_size,
            article: super::comments::article_ref(
                self.article_id,
                self.article_number,
                self.article_label,
                self.article_version,
            ),
        })
    }
}

/// Why decisions cannot be published yet, naming the proposals: a missing outcome first, then a
/// missing language.
pub(crate) fn publication_refusal(
    decisions: &[ProposalDecision],
) -> Option<(mosharekat_api::ErrorCode, String)> {
    use mosharekat_api::ErrorCode;
    let ids = |pred: &dyn Fn(&ProposalDecision) -> bool| -> Vec<String> {
        decisions
            .iter()
            .filter(|d| pred(d))
            .map(|d| d.proposal_id.to_string())
            .collect()
    };
    let no_outcome = ids(&|d| d.outcome.is_none());
    if !no_outcome.is_empty() {
        return Some((
            ErrorCode::Validation,
            format!(
                "choose an outcome before publishing: proposals {}",
                no_outcome.join(", ")
            ),
        ));
    }
    let untranslated = ids(&|d| d.missing_for_publication().is_some());
    if !untranslated.is_empty() {
        return Some((
            ErrorCode::MissingTranslation,
            format!(
                "every answer is published in both languages: write the Persian and English rationale of proposals {}",
                untranslated.join(", ")
            ),
        ));
    }
    None
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
    async fn decision_of_group(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        group_id: i64,
    ) -> StoreResult<Option<mosharekat_api::ProposalDecision>> {
        let row: Option<DecisionRow> =
            sqlx::query_as(concatcp!(DECISION_SELECT, "WHERE d.group_id = $1"))
                .bind(group_id)
                .fetch_optional(&mut **tx)
                .await?;
        row.map(|r| r.into_api()).transpose()
    }
}

#[async_trait]
impl<D: Dialect> ProposalStore for SqlStore<D>
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
    async fn list_proposals(
        &self,
        consultation_id: i64,
        after: Option<i64>,
        limit: u32,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<mosharekat_api::Proposal>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT rep FROM (
                SELECT COALESCE(MAX(d.comment_id), MIN(c.id)) AS rep
                FROM comments c LEFT JOIN proposal_decisions d ON d.group_id = c.group_id
                WHERE c.consultation_id = $1 AND c.is_proposal AND c.status = 'approved'
                GROUP BY c.group_id) reps
             WHERE rep > $2 ORDER BY rep LIMIT $3",
        )
        .bind(consultation_id)
        .bind(after.unwrap_or(0))
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = sqlx::QueryBuilder::<D::Db>::new(concatcp!(
            super::comments::COMMENT_SELECT,
            "WHERE c.id IN ("
        ));
        let mut list = query.separated(", ");
        for id in &ids {
            list.push_bind(*id);
        }
        list.push_unseparated(") ORDER BY c.id");
        let rows: Vec<super::comments::CommentRow> = query
            .build_query_as()
            .persistent(false)
            .fetch_all(self.reader())
            .await?;
        let mut query =
            sqlx::QueryBuilder::<D::Db>::new(concatcp!(DECISION_SELECT, "WHERE d.comment_id IN ("));
        let mut list = query.separated(", ");
        for id in &ids {
            list.push_bind(*id);
        }
        list.push_unseparated(")");
        let decisions: Vec<DecisionRow> = query
            .build_query_as()
            .persistent(false)
            .fetch_all(self.reader())
            .await?;
        let mut decisions: std::collections::HashMap<i64, mosharekat_api::ProposalDecision> =
            decisions
                .into_iter()
                .map(|d| d.into_api().map(|d| (d.proposal_id, d)))
                .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|row| {
                let comment = row.into_api(now)?;
                Ok(mosharekat_api::Proposal {
                    decision: decisions.remove(&comment.id),
                    group_size: comment.duplicate_group_size,
                    comment,
                })
            })
            .collect()
    }

    async fn save_decision(
        &self,
        proposal_id: i64,
        request: &mosharekat_api::ProposalDecisionRequest,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<super::SaveDecision> {
        use super::{SaveDecision, StoreError, ms};
        use mosharekat_api::ErrorCode;
        let mut tx = self.begin_write().await?;
        let comment: Option<(i64, i64, bool, String)> = sqlx::query_as(
            "SELECT consultation_id, group_id, is_proposal, status FROM comments WHERE id = $1",
        )
        .bind(proposal_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((consultation_id, group_id, is_proposal, status)) = comment else {
            return Err(StoreError::not_found("proposal"));
        };
        if !is_proposal {
            return Err(StoreError::refused(
                ErrorCode::Validation,
                format!("comment {proposal_id} is not a proposal"),
            ));
        }
        if status != mosharekat_api::CommentStatus::Approved.as_str() {
            return Err(StoreError::refused(
                ErrorCode::InvalidState,
                format!("only an approved proposal is answered; this one is {status}"),
            ));
        }
        let outcome = request.outcome.map(|o| o.as_str());
        let saved: Option<i64> = if request.version == 0 {
            // The first decision of the group; a concurrent first save loses on the unique group.
            sqlx::query_scalar(
                "INSERT INTO proposal_decisions (comment_id, group_id, consultation_id, outcome, rationale_fa,
                    rationale_en, legal_basis, version, decided_by, decided_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9)
                 ON CONFLICT DO NOTHING RETURNING comment_id",
            )
            .bind(proposal_id)
            .bind(group_id)
            .bind(consultation_id)
            .bind(outcome)
            .bind(&request.rationale_fa)
            .bind(&request.rationale_en)
            .bind(request.legal_basis.trim())
            .bind(actor.staff_id)
            .bind(ms(now))
            .fetch_optional(&mut *tx)
            .await?
        } else {
            // Only the version the editor started from may be replaced; a concurrent save of
            // the same version waits on the row and then finds it changed.
            sqlx::query_scalar(
                "UPDATE proposal_decisions SET outcome = $3, rationale_fa = $4, rationale_en = $5,
                    legal_basis = $6, version = version + 1, decided_by = $7, decided_at = $8
                 WHERE group_id = $1 AND version = $2 AND published_at IS NULL
                 RETURNING comment_id",
            )
            .bind(group_id)
            .bind(request.version)
            .bind(outcome)
            .bind(&request.rationale_fa)
            .bind(&request.rationale_en)
            .bind(request.legal_basis.trim())
            .bind(actor.staff_id)
            .bind(ms(now))
            .fetch_optional(&mut *tx)
            .await?
        };
        let current = self.decision_of_group(&mut tx, group_id).await?;
        if saved.is_none() {
            return match current {
                Some(current) if current.published_at.is_some() => Err(StoreError::refused(
                    ErrorCode::InvalidState,
                    "this decision has been published and is final",
                )),
                Some(current) => Ok(SaveDecision::Conflict(current)),
                None => Err(StoreError::refused(
                    ErrorCode::VersionConflict,
                    format!(
                        "there is no decision of version {} to replace: start from version 0",
                        request.version
                    ),
                )),
            };
        }
        let decision = current
            .ok_or_else(|| super::StoreError::Corrupt("a saved decision vanished".into()))?;
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(
                actor,
                "proposal.decide",
                format!("proposal:{}", decision.proposal_id),
            )
            .after(
                serde_json::json!({"version": decision.version, "outcome": decision.outcome,
                    "group_id": group_id, "legal_basis": decision.legal_basis}),
            ),
            now,
        )
        .await?;
        self.append_event(
            &mut tx,
            &mosharekat_api::EventKind::ProposalDecided {
                proposal_id: decision.proposal_id,
                consultation_id,
                version: decision.version,
                decided_by: actor.username.clone(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.events_committed();
        Ok(SaveDecision::Saved(decision))
    }

    async fn publish_decisions(
        &self,
        consultation_id: i64,
        public_base_url: Option<&str>,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::DecisionsPublished> {
        use super::{StoreError, ms};
        use mosharekat_api::{ConsultationStatus, ErrorCode, Language};
        let mut tx = self.begin_write().await?;
        // The score lock first, before any row or sequence lock (see `lock_scores`).
        D::lock_scores(&mut tx, 0).await?;
        let consultation = self
            .consultation_row_for_update(&mut tx, consultation_id)
            .await?;
        if consultation.status(now) != ConsultationStatus::Closed {
            return Err(StoreError::refused(
                ErrorCode::ConsultationNotClosed,
                "decisions are published after the consultation closes",
            ));
        }
        let rows: Vec<DecisionRow> = sqlx::query_as(concatcp!(
            DECISION_SELECT,
            "WHERE d.consultation_id = $1 AND d.published_at IS NULL ORDER BY d.comment_id"
        ))
        .bind(consultation_id)
        .fetch_all(&mut *tx)
        .await?;
        let groups: Vec<i64> = rows.iter().map(|r| r.group_id).collect();
        let decisions: Vec<mosharekat_api::ProposalDecision> = rows
            .into_iter()
            .map(|r| r.into_api())
            .collect::<Result<_, _>>()?;
        if let Some((code, message)) = publication_refusal(&decisions) {
            return Err(StoreError::refused(code, message));
        }
        sqlx::query("UPDATE proposal_decisions SET published_at = $2 WHERE consultation_id = $1 AND published_at IS NULL")
            .bind(consultation_id)
            .bind(ms(now))
            .execute(&mut *tx)
            .await?;
        // Accepted proposals score for their authors from publication on.
        for decision in &decisions {
            if matches!(
                decision.outcome,
                Some(
                    mosharekat_api::Outcome::Accepted | mosharekat_api::Outcome::PartiallyAccepted
                )
            ) {
                let author: i64 =
                    sqlx::query_scalar("SELECT participant_id FROM comments WHERE id = $1")
                        .bind(decision.proposal_id)
                        .fetch_one(&mut *tx)
                        .await?;
                self.rescore(&mut tx, author, consultation_id).await?;
            }
        }
        let mut messages = 0;
        for (decision, group_id) in decisions.iter().zip(&groups) {
            let text = |language: Language| {
                let link = crate::delivery::messages::portal_link(
                    public_base_url,
                    &consultation.portal_url,
                    language,
                    &format!("/c/{consultation_id}#decisions-heading"),
                );
                crate::delivery::messages::decision_text(
                    &consultation.title_fa,
                    &consultation.title_en,
                    &link,
                    decision,
                    language,
                )
            };
            messages += sqlx::query(concatcp!(
                "INSERT INTO outbox (dedup_key, participant_id, consultation_id, channel, handle, language, kind,
                    subject_id, text, idempotency_key, status, attempts, next_attempt_at, created_at)
                 SELECT 'decision:' || CAST($1 AS TEXT) || ':' || CAST(p.id AS TEXT), p.id, $2, r.channel, r.handle,
                    p.language, 'decision_published', $1, CASE WHEN p.language = 'en' THEN $3 ELSE $4 END,
                    'mosharekat-decision-' || CAST($1 AS TEXT) || '-' || CAST(p.id AS TEXT), 'pending', 0, $5, $5
                 FROM participants p",
                super::messenger::RECIPIENT_JOIN,
                "WHERE p.id IN (SELECT participant_id FROM comments WHERE group_id = $6)
                 ORDER BY p.id
                 ON CONFLICT (dedup_key) DO NOTHING",
            ))
            .bind(decision.proposal_id)
            .bind(consultation_id)
            .bind(text(Language::En))
            .bind(text(Language::Fa))
            .bind(ms(now))
            .bind(group_id)
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
        }
        let published: Vec<i64> = decisions.iter().map(|d| d.proposal_id).collect();
        if !published.is_empty() {
            self.append_audit(
                &mut tx,
                &super::AuditRecord::new(
                    actor,
                    "decisions.publish",
                    format!("consultation:{consultation_id}"),
                )
                .after(serde_json::json!({"proposals": published, "messages": messages})),
                now,
            )
            .await?;
            self.append_event(
                &mut tx,
                &mosharekat_api::EventKind::DecisionsPublished {
                    consultation_id,
                    proposal_ids: published.clone(),
                },
                now,
            )
            .await?;
        }
        tx.commit().await?;
        self.events_committed();
        Ok(mosharekat_api::DecisionsPublished {
            published,
            messages,
        })
    }

    async fn public_decisions(
        &self,
        consultation_id: i64,
    ) -> StoreResult<Vec<mosharekat_api::PublicDecision>> {
        let rows: Vec<PublicDecisionRow> = sqlx::query_as(
            "SELECT d.comment_id, c.body, d.outcome, d.rationale_fa, d.rationale_en, d.legal_basis, d.decided_at,
                d.published_at, g.size AS group_size, c.article_id, a.number AS article_number,
                a.label AS article_label, a.version AS article_version
             FROM proposal_decisions d
             JOIN comments c ON c.id = d.comment_id
             JOIN duplicate_groups g ON g.id = d.group_id
             LEFT JOIN draft_articles a ON a.id = c.article_id
             WHERE d.consultation_id = $1 AND d.published_at IS NOT NULL
             ORDER BY d.comment_id",
        )
        .bind(consultation_id)
        .fetch_all(self.reader())
        .await?;
        rows.into_iter().map(|r| r.into_api()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mosharekat_api::ErrorCode;

    fn decision(id: i64, outcome: Option<Outcome>, fa: &str, en: &str) -> ProposalDecision {
        ProposalDecision {
            proposal_id: id,
            consultation_id: 1,
            outcome,
            rationale_fa: fa.into(),
            rationale_en: en.into(),
            legal_basis: String::new(),
            version: 1,
            decided_by: "op".into(),
            decided_at: from_ms(0),
            published_at: None,
        }
    }

    #[test]
    fn publication_names_what_is_missing() {
        let ok = decision(1, Some(Outcome::Accepted), "دلیل", "Reason");
        assert!(publication_refusal(std::slice::from_ref(&ok)).is_none());
        let (code, message) = publication_refusal(&[
            ok.clone(),
            decision(7, Some(Outcome::Rejected), "دلیل", ""),
            decision(9, Some(Outcome::Rejected), "", "Reason"),
        ])
        .unwrap();
        assert_eq!(code, ErrorCode::MissingTranslation);
        assert!(message.contains("7, 9"), "{message}");
        let (code, message) =
            publication_refusal(&[ok, decision(3, None, "دلیل", "Reason")]).unwrap();
        assert_eq!(code, ErrorCode::Validation);
        assert!(message.contains('3'));
    }
}

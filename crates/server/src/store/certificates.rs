//! Certificates: proposed by the rules (`incentives::proposing`) over a closed consultation's
//! scored contributions, approved (signed, given a verification code, announced through the
//! outbox in the same transaction), rejected or revoked by admins.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use const_format::concatcp;
use mosharekat_api::{
    Category, Certificate, CertificateEvidence, CertificateKind, CertificateStatus, Language,
    ProposeResponse, PublicCertificate,
};

use super::dialect::{Connection, Dialect, Row, RowsAffected as _, SqlStore};
use super::{Actor, StoreResult, decode, from_ms};
use crate::incentives::Signer;

#[derive(Debug, Clone, Default)]
pub struct CertificateFilter {
    pub status: Option<CertificateStatus>,
    pub consultation_id: Option<i64>,
    pub participant_id: Option<i64>,
    /// Keyset cursor: certificates with a greater id.
    pub after: Option<i64>,
    pub limit: u32,
}

#[async_trait]
pub trait CertificateStore: Send + Sync {
    /// Run the rules over one closed consultation (`409 consultation_not_closed` otherwise), or
    /// over every closed one. Idempotent; evidence of still-proposed certificates is refreshed.
    async fn propose_certificates(
        &self,
        consultation_id: Option<i64>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<ProposeResponse>;
    /// Run the rules, as `actor`, over every closed consultation they have not run over yet (the
    /// scheduler calls this); returns the consultations done.
    async fn propose_due_certificates(
        &self,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>>;
    /// In id order.
    async fn list_certificates(&self, filter: &CertificateFilter) -> StoreResult<Vec<Certificate>>;
    async fn get_certificate(&self, id: i64) -> StoreResult<Option<Certificate>>;
    /// Issue a proposed certificate: sign its credential, give it a code, queue the participant's
    /// message (`409 invalid_state` unless it is proposed).
    async fn approve_certificate(
        &self,
        id: i64,
        signer: &Signer,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Certificate>;
    /// Refuse a proposed certificate with a reason.
    async fn reject_certificate(
        &self,
        id: i64,
        reason: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Certificate>;
    /// Withdraw an issued certificate with a reason; its public status says so from then on.
    async fn revoke_certificate(
        &self,
        id: i64,
        reason: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Certificate>;
    /// An issued (approved or revoked) certificate by its stored code.
    async fn public_certificate(&self, code: &str) -> StoreResult<Option<PublicCertificate>>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct CertificateRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub participant_id: i64,
    pub display_name: String,
    pub category: String,
    pub language: String,
    pub consultation_id: i64,
    pub title_fa: String,
    pub title_en: String,
    pub evidence: String,
    pub proposed_at: i64,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
    pub reject_reason: Option<String>,
    pub code: Option<String>,
    pub credential: Option<String>,
    pub issued_at: Option<i64>,
    pub revoked_by_name: Option<String>,
    pub revoked_at: Option<i64>,
    pub revoke_reason: Option<String>,
}

/// `SELECT … FROM …` of a full certificate; append a `WHERE`.
pub(crate) const CERTIFICATE_SELECT: &str = "SELECT c.id, c.kind, c.status, c.participant_id,
        p.display_name, p.category, p.language, c.consultation_id, k.title_fa, k.title_en,
        c.evidence, c.proposed_at, ds.username AS decided_by_name, c.decided_at, c.reject_reason,
        c.code, c.credential, c.issued_at, rs.username AS revoked_by_name, c.revoked_at,
        c.revoke_reason
    FROM certificates c
    JOIN participants p ON p.id = c.participant_id
    JOIN consultations k ON k.id = c.consultation_id
    LEFT JOIN staff ds ON ds.id = c.decided_by
    LEFT JOIN staff rs ON rs.id = c.revoked_by ";

impl CertificateRow {
    pub(crate) fn into_api(self) -> StoreResult<Certificate> {
        let evidence: CertificateEvidence = serde_json::from_str(&self.evidence)?;
        Ok(Certificate {
            id: self.id,
            kind: decode(&self.kind, "certificates.kind", CertificateKind::from_code)?,
            status: decode(
                &self.status,
                "certificates.status",
                CertificateStatus::from_code,
            )?,
            participant_id: self.participant_id,
            display_name: self.display_name,
            category: decode(&self.category, "participants.category", Category::from_code)?,
            language: decode(&self.language, "participants.language", Language::from_code)?,
            consultation_id: self.consultation_id,
            consultation_title_fa: self.title_fa,
            consultation_title_en: self.title_en,
            evidence,
            proposed_at: from_ms(self.proposed_at),
            decided_by: self.decided_by_name,
            decided_at: self.decided_at.map(from_ms),
            reject_reason: self.reject_reason,
            verification_code: self
                .code
                .as_deref()
                .map(mosharekat_api::certificate::display_code),
            issued_at: self.issued_at.map(from_ms),
            revoked_by: self.revoked_by_name,
            revoked_at: self.revoked_at.map(from_ms),
            revoke_reason: self.revoke_reason,
        })
    }

    pub(crate) fn into_public(self) -> StoreResult<Option<PublicCertificate>> {
        let (Some(code), Some(credential), Some(issued_at)) =
            (self.code.clone(), self.credential.clone(), self.issued_at)
        else {
            return Ok(None);
        };
        let certificate = self.into_api()?;
        Ok(Some(PublicCertificate {
            code: mosharekat_api::certificate::display_code(&code),
            status: certificate.status,
            kind: certificate.kind,
            consultation_id: certificate.consultation_id,
            issued_at: from_ms(issued_at),
            revoked_at: certificate.revoked_at,
            revoke_reason: certificate.revoke_reason,
            credential: serde_json::from_str(&credential)?,
        }))
    }
}

/// The evidence lines of a credential, in the participant's language.
pub(crate) fn evidence_lines(
    evidence: &CertificateEvidence,
    language: Language,
) -> Vec<mosharekat_api::certificate::Evidence> {
    let line = |name: String, description: String| mosharekat_api::certificate::Evidence {
        types: vec!["Evidence".into()],
        name,
        description,
    };
    let mut out = Vec::new();
    let count = evidence.contributions.len();
    match language {
        Language::Fa => {
            let mut d = format!("{} امتیاز از {count} مشارکت", evidence.score);
            if let Some(rank) = evidence.rank {
                d.push_str(&format!("؛ رتبه {rank} در این نظرخواهی"));
            }
            out.push(line("امتیاز شهروند دیجیتال".into(), d));
            if !evidence.accepted_proposals.is_empty() {
                out.push(line(
                    "پیشنهادهای پذیرفته‌شده".into(),
                    format!("{} پیشنهاد", evidence.accepted_proposals.len()),
                ));
            }
        }
        Language::En => {
            let mut d = format!("{} points from {count} contributions", evidence.score);
            if let Some(rank) = evidence.rank {
                d.push_str(&format!("; rank {rank} in this consultation"));
            }
            out.push(line("Digital-citizen score".into(), d));
            if !evidence.accepted_proposals.is_empty() {
                out.push(line(
                    "Accepted proposals".into(),
                    format!("{} proposal(s)", evidence.accepted_proposals.len()),
                ));
            }
        }
    }
    out
}

/// A fresh verification code (45 random bits and a check symbol).
pub(crate) fn new_code() -> String {
    let values: [u8; 9] = std::array::from_fn(|_| rand::random::<u8>() % 32);
    mosharekat_api::certificate::code_from_values(values)
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
    async fn certificate_in_tx(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        id: i64,
    ) -> StoreResult<Option<CertificateRow>> {
        Ok(
            sqlx::query_as(concatcp!(CERTIFICATE_SELECT, "WHERE c.id = $1"))
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?,
        )
    }

    /// Lock a certificate's row until commit and read its status.
    async fn lock_certificate(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        id: i64,
    ) -> StoreResult<mosharekat_api::CertificateStatus> {
        let status: Option<String> = sqlx::query_scalar(
            "UPDATE certificates SET status = status WHERE id = $1 RETURNING status",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        let status = status.ok_or_else(|| super::StoreError::not_found("certificate"))?;
        decode(
            &status,
            "certificates.status",
            mosharekat_api::CertificateStatus::from_code,
        )
    }

    /// Propose over one consultation; returns the ids proposed now.
    async fn propose_in(
        &self,
        consultation_id: i64,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<i64>> {
        use super::ms;
        let mut tx = self.begin_write().await?;
        let rows: Vec<super::scores::ContributionRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                // Certificates go to verified participants only: one person, one certificate.
                "SELECT {} FROM score_contributions WHERE consultation_id = $1
                 AND participant_id IN (SELECT id FROM participants WHERE verified_at IS NOT NULL)",
                super::scores::CONTRIBUTION_COLUMNS
            )))
            .bind(consultation_id)
            .fetch_all(&mut *tx)
            .await?;
        let contributions: Vec<(i64, mosharekat_api::Contribution)> = rows
            .into_iter()
            .map(|r| r.into_api())
            .collect::<Result<_, _>>()?;
        let top = super::ScoreStore::scoring_rules(self)
            .recognition
            .distinction_top_places;
        let mut proposed = Vec::new();
        for candidate in crate::incentives::proposing::candidates(&contributions, top) {
            let evidence = serde_json::to_string(&candidate.evidence)?;
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO certificates (participant_id, consultation_id, kind, status, evidence, proposed_at)
                 VALUES ($1, $2, $3, 'proposed', $4, $5)
                 ON CONFLICT (participant_id, consultation_id, kind) DO NOTHING RETURNING id",
            )
            .bind(candidate.participant_id)
            .bind(consultation_id)
            .bind(candidate.kind.as_str())
            .bind(&evidence)
            .bind(ms(now))
            .fetch_optional(&mut *tx)
            .await?;
            match id {
                Some(id) => proposed.push(id),
                None => {
                    sqlx::query(
                        "UPDATE certificates SET evidence = $4
                         WHERE participant_id = $1 AND consultation_id = $2 AND kind = $3 AND status = 'proposed'",
                    )
                    .bind(candidate.participant_id)
                    .bind(consultation_id)
                    .bind(candidate.kind.as_str())
                    .bind(&evidence)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        sqlx::query("UPDATE consultations SET certificates_proposed_at = $2 WHERE id = $1")
            .bind(consultation_id)
            .bind(ms(now))
            .execute(&mut *tx)
            .await?;
        // A staff member's run is audited (it may refresh evidence even when it proposes
        // nothing new); the scheduler's (the system) is announced only.
        if actor.staff_id != 0 {
            self.append_audit(
                &mut tx,
                &super::AuditRecord::new(
                    actor,
                    "certificates.propose",
                    format!("consultation:{consultation_id}"),
                )
                .after(serde_json::json!({"proposed": proposed.len()})),
                now,
            )
            .await?;
        }
        if !proposed.is_empty() {
            self.append_event(
                &mut tx,
                &mosharekat_api::EventKind::CertificatesProposed {
                    consultation_id,
                    certificate_ids: proposed.clone(),
                },
                now,
            )
            .await?;
        }
        tx.commit().await?;
        self.events_committed();
        Ok(proposed)
    }
}

#[async_trait]
impl<D: Dialect> CertificateStore for SqlStore<D>
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
    async fn propose_certificates(
        &self,
        consultation_id: Option<i64>,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::ProposeResponse> {
        use super::StoreError;
        use mosharekat_api::{ConsultationStatus, ErrorCode};
        let consultations: Vec<i64> = match consultation_id {
            Some(id) => {
                let c = super::ConsultationStore::get_consultation(self, id, now)
                    .await?
                    .ok_or_else(|| StoreError::not_found("consultation"))?;
                if c.status != ConsultationStatus::Closed {
                    return Err(StoreError::refused(
                        ErrorCode::ConsultationNotClosed,
                        "certificates are proposed once the consultation has closed",
                    ));
                }
                vec![id]
            }
            None => {
                sqlx::query_scalar(
                    "SELECT id FROM consultations WHERE published_at IS NOT NULL
                    AND (closed_early_at IS NOT NULL OR closes_at <= $1) ORDER BY id",
                )
                .bind(super::ms(now))
                .fetch_all(self.reader())
                .await?
            }
        };
        let mut proposed = Vec::new();
        for id in &consultations {
            proposed.extend(self.propose_in(*id, actor, now).await?);
        }
        Ok(mosharekat_api::ProposeResponse {
            proposed,
            consultations,
        })
    }

    async fn propose_due_certificates(
        &self,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<i64>> {
        let due: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM consultations WHERE published_at IS NOT NULL AND certificates_proposed_at IS NULL
                AND (closed_early_at IS NOT NULL OR closes_at <= $1) ORDER BY id",
        )
        .bind(super::ms(now))
        .fetch_all(self.reader())
        .await?;
        for id in &due {
            self.propose_in(*id, actor, now).await?;
        }
        Ok(due)
    }

    async fn list_certificates(
        &self,
        filter: &super::CertificateFilter,
    ) -> StoreResult<Vec<mosharekat_api::Certificate>> {
        let mut q =
            sqlx::QueryBuilder::<D::Db>::new(concatcp!(CERTIFICATE_SELECT, "WHERE c.id > "));
        q.push_bind(filter.after.unwrap_or(0));
        if let Some(s) = filter.status {
            q.push(" AND c.status = ").push_bind(s.as_str());
        }
        if let Some(c) = filter.consultation_id {
            q.push(" AND c.consultation_id = ").push_bind(c);
        }
        if let Some(p) = filter.participant_id {
            q.push(" AND c.participant_id = ").push_bind(p);
        }
        q.push(" ORDER BY c.id LIMIT ")
            .push_bind(i64::from(filter.limit));
        let rows: Vec<CertificateRow> = q
            .build_query_as()
            .persistent(false)
            .fetch_all(self.reader())
            .await?;
        rows.into_iter().map(|r| r.into_api()).collect()
    }

    async fn get_certificate(&self, id: i64) -> StoreResult<Option<mosharekat_api::Certificate>> {
        let row: Option<CertificateRow> =
            sqlx::query_as(concatcp!(CERTIFICATE_SELECT, "WHERE c.id = $1"))
                .bind(id)
                .fetch_optional(self.reader())
                .await?;
        row.map(|r| r.into_api()).transpose()
    }

    async fn approve_certificate(
        &self,
        id: i64,
        signer: &crate::incentives::Signer,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::Certificate> {
        use super::{StoreError, ms};
        use mosharekat_api::{CertificateStatus, ErrorCode, Language};
        let mut tx = self.begin_write().await?;
        let status = self.lock_certificate(&mut tx, id).await?;
        if status != CertificateStatus::Proposed {
            return Err(StoreError::refused(
                ErrorCode::InvalidState,
                format!(
                    "certificate {id} is {}: only a proposed certificate is approved",
                    status.as_str()
                ),
            ));
        }
        let row = self
            .certificate_in_tx(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::not_found("certificate"))?;
        let before = row.into_api()?;
        let code = new_code();
        let facts = crate::incentives::credential::CredentialFacts {
            code: code.clone(),
            kind: before.kind,
            participant_id: before.participant_id,
            display_name: before.display_name.clone(),
            language: before.language,
            consultation_id: before.consultation_id,
            consultation_title_fa: before.consultation_title_fa.clone(),
            consultation_title_en: before.consultation_title_en.clone(),
            evidence: evidence_lines(&before.evidence, before.language),
        };
        let credential = signer.issue(&facts, now);
        let issued_at = credential.valid_from;
        sqlx::query(
            "UPDATE certificates SET status = 'approved', decided_by = $2, decided_at = $3, code = $4,
                credential = $5, issued_at = $6 WHERE id = $1",
        )
        .bind(id)
        .bind(actor.staff_id)
        .bind(ms(now))
        .bind(&code)
        .bind(serde_json::to_string(&credential)?)
        .bind(ms(issued_at))
        .execute(&mut *tx)
        .await?;
        let shown = mosharekat_api::certificate::display_code(&code);
        // The link in the message is the portal's verification page, in the reader's language.
        let text = |language: mosharekat_api::Language| {
            let verify_url = format!(
                "{}/{}/verify/{shown}",
                signer.public_base_url.trim_end_matches('/'),
                language.as_str()
            );
            crate::delivery::messages::certificate_text(
                before.kind,
                &before.consultation_title_fa,
                &before.consultation_title_en,
                &shown,
                &verify_url,
                language,
            )
        };
        let messages = sqlx::query(concatcp!(
            "INSERT INTO outbox (dedup_key, participant_id, consultation_id, channel, handle, language, kind,
                subject_id, text, idempotency_key, status, attempts, next_attempt_at, created_at)
             SELECT 'certificate:' || CAST($1 AS TEXT), p.id, $2, r.channel, r.handle, p.language,
                'certificate_issued', $1, CASE WHEN p.language = 'en' THEN $3 ELSE $4 END,
                'mosharekat-certificate-' || CAST($1 AS TEXT), 'pending', 0, $5, $5
             FROM participants p",
            super::messenger::RECIPIENT_JOIN,
            "WHERE p.id = $6
             ON CONFLICT (dedup_key) DO NOTHING",
        ))
        .bind(id)
        .bind(before.consultation_id)
        .bind(text(Language::En))
        .bind(text(Language::Fa))
        .bind(ms(now))
        .bind(before.participant_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(actor, "certificate.approve", format!("certificate:{id}"))
                .before(serde_json::json!({"status": "proposed"}))
                .after(serde_json::json!({"status": "approved", "code": code, "kind": before.kind,
                    "participant_id": before.participant_id, "consultation_id": before.consultation_id,
                    "messages": messages})),
            now,
        )
        .await?;
        self.append_event(
            &mut tx,
            &mosharekat_api::EventKind::CertificateChanged {
                certificate_id: id,
                participant_id: before.participant_id,
                consultation_id: before.consultation_id,
                kind: before.kind,
                status: CertificateStatus::Approved,
            },
            now,
        )
        .await?;
        let after = self
            .certificate_in_tx(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::not_found("certificate"))?;
        tx.commit().await?;
        self.events_committed();
        after.into_api()
    }

    async fn reject_certificate(
        &self,
        id: i64,
        reason: &str,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::Certificate> {
        self.end_certificate(
            id,
            reason,
            actor,
            now,
            mosharekat_api::CertificateStatus::Proposed,
            mosharekat_api::CertificateStatus::Rejected,
        )
        .await
    }

    async fn revoke_certificate(
        &self,
        id: i64,
        reason: &str,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::Certificate> {
        self.end_certificate(
            id,
            reason,
            actor,
            now,
            mosharekat_api::CertificateStatus::Approved,
            mosharekat_api::CertificateStatus::Revoked,
        )
        .await
    }

    async fn public_certificate(
        &self,
        code: &str,
    ) -> StoreResult<Option<mosharekat_api::PublicCertificate>> {
        let row: Option<CertificateRow> = sqlx::query_as(concatcp!(
            CERTIFICATE_SELECT,
            "WHERE c.code = $1 AND c.status IN ('approved', 'revoked')"
        ))
        .bind(code)
        .fetch_optional(self.reader())
        .await?;
        match row {
            Some(r) => r.into_public(),
            None => Ok(None),
        }
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
    /// Reject (from proposed) or revoke (from approved), with a reason.
    async fn end_certificate(
        &self,
        id: i64,
        reason: &str,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
        from: mosharekat_api::CertificateStatus,
        to: mosharekat_api::CertificateStatus,
    ) -> StoreResult<mosharekat_api::Certificate> {
        use super::{StoreError, ms};
        use mosharekat_api::{CertificateStatus, ErrorCode};
        let mut tx = self.begin_write().await?;
        let status = self.lock_certificate(&mut tx, id).await?;
        if status != from {
            let verb = if to == CertificateStatus::Rejected {
                "rejected"
            } else {
                "revoked"
            };
            return Err(StoreError::refused(
                ErrorCode::InvalidState,
                format!(
                    "certificate {id} is {}: only a {} certificate is {verb}",
                    status.as_str(),
                    from.as_str()
                ),
            ));
        }
        let sql = if to == CertificateStatus::Rejected {
            "UPDATE certificates SET status = 'rejected', decided_by = $2, decided_at = $3, reject_reason = $4 WHERE id = $1"
        } else {
            "UPDATE certificates SET status = 'revoked', revoked_by = $2, revoked_at = $3, revoke_reason = $4 WHERE id = $1"
        };
        sqlx::query(sql)
            .bind(id)
            .bind(actor.staff_id)
            .bind(ms(now))
            .bind(reason.trim())
            .execute(&mut *tx)
            .await?;
        let after = self
            .certificate_in_tx(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::not_found("certificate"))?
            .into_api()?;
        let action = if to == CertificateStatus::Rejected {
            "certificate.reject"
        } else {
            "certificate.revoke"
        };
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(actor, action, format!("certificate:{id}"))
                .before(serde_json::json!({"status": from}))
                .after(serde_json::json!({"status": to, "reason": reason.trim()})),
            now,
        )
        .await?;
        self.append_event(
            &mut tx,
            &mosharekat_api::EventKind::CertificateChanged {
                certificate_id: id,
                participant_id: after.participant_id,
                consultation_id: after.consultation_id,
                kind: after.kind,
                status: to,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.events_committed();
        Ok(after)
    }
}

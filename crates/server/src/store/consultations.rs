//! Consultations: create, edit, publish, close early, and the scheduler's status announcements.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use const_format::concatcp;
use mosharekat_api::{
    Consultation, ConsultationKind, ConsultationPatch, ConsultationStatus, NewConsultation,
};

use super::dialect::{Connection, Dialect, Row, SqlStore};
use super::{Actor, StoreResult, decode, from_ms};

#[derive(Debug, Clone, Default)]
pub struct ConsultationFilter {
    pub status: Option<ConsultationStatus>,
    /// Keyset cursor: consultations with a greater id.
    pub after: Option<i64>,
    pub limit: u32,
}

#[async_trait]
pub trait ConsultationStore: Send + Sync {
    async fn create_consultation(
        &self,
        new: &NewConsultation,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Consultation>;
    async fn get_consultation(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Consultation>>;
    /// In id order. The status filter is applied to the status at `now`.
    async fn list_consultations(
        &self,
        filter: &ConsultationFilter,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Consultation>>;
    /// Apply an edit the caller has checked against the role rules; state rules are checked here.
    async fn update_consultation(
        &self,
        id: i64,
        patch: &ConsultationPatch,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Consultation>;
    async fn publish_consultation(
        &self,
        id: i64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Consultation>;
    async fn close_consultation(
        &self,
        id: i64,
        reason: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<Consultation>;
    /// Record and announce (as `consultation.changed` events) every status the clock has changed since
    /// the last call: scheduled → open at `opens_at`, open → closed at `closes_at`.
    async fn announce_status_changes(
        &self,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(i64, ConsultationStatus)>>;
}

#[derive(sqlx::FromRow, Clone)]
pub(crate) struct ConsultationRow {
    pub id: i64,
    pub kind: String,
    pub title_fa: String,
    pub title_en: String,
    pub summary_fa: String,
    pub summary_en: String,
    pub drafting_unit: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub portal_url: String,
    pub short_window_reason: Option<String>,
    pub published_at: Option<i64>,
    pub closed_early_at: Option<i64>,
    pub closed_early_reason: Option<String>,
    pub report_published_at: Option<i64>,
    pub announced_status: String,
    pub comment_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The columns of a [`ConsultationRow`].
pub(crate) const CONSULTATION_COLUMNS: &str =
    "id, kind, title_fa, title_en, summary_fa, summary_en,
    drafting_unit, opens_at, closes_at, portal_url, short_window_reason, published_at,
    closed_early_at, closed_early_reason, report_published_at, announced_status, comment_count,
    created_at, updated_at";

impl ConsultationRow {
    pub(crate) fn status(&self, now: DateTime<Utc>) -> ConsultationStatus {
        crate::rules::status_at(
            self.published_at.map(from_ms),
            self.closed_early_at.map(from_ms),
            from_ms(self.opens_at),
            from_ms(self.closes_at),
            now,
        )
    }

    pub(crate) fn into_api(self, now: DateTime<Utc>) -> StoreResult<Consultation> {
        let status = self.status(now);
        Ok(Consultation {
            id: self.id,
            kind: decode(
                &self.kind,
                "consultations.kind",
                ConsultationKind::from_code,
            )?,
            status,
            title_fa: self.title_fa,
            title_en: self.title_en,
            summary_fa: self.summary_fa,
            summary_en: self.summary_en,
            drafting_unit: self.drafting_unit,
            opens_at: from_ms(self.opens_at),
            closes_at: from_ms(self.closes_at),
            portal_url: self.portal_url,
            short_window_reason: self.short_window_reason,
            published_at: self.published_at.map(from_ms),
            closed_early_at: self.closed_early_at.map(from_ms),
            closed_early_reason: self.closed_early_reason,
            created_at: from_ms(self.created_at),
            updated_at: from_ms(self.updated_at),
            comment_count: self.comment_count,
            report_published_at: self.report_published_at.map(from_ms),
        })
    }

    /// The fields an edit can change, for the audit log's before/after.
    fn editable_summary(&self) -> serde_json::Value {
        serde_json::json!({
            "kind": self.kind, "title_fa": self.title_fa, "title_en": self.title_en,
            "summary_fa": self.summary_fa, "summary_en": self.summary_en, "drafting_unit": self.drafting_unit,
            "opens_at": from_ms(self.opens_at), "closes_at": from_ms(self.closes_at),
            "portal_url": self.portal_url, "short_window_reason": self.short_window_reason,
        })
    }

    /// This row with a patch applied (not yet checked or stored).
    pub(crate) fn patched(&self, patch: &ConsultationPatch) -> ConsultationRow {
        let mut row = self.clone();
        if let Some(k) = patch.kind {
            row.kind = k.as_str().into();
        }
        let text = |field: &mut String, value: &Option<String>| {
            if let Some(v) = value {
                field.clone_from(v);
            }
        };
        text(&mut row.title_fa, &patch.title_fa);
        text(&mut row.title_en, &patch.title_en);
        text(&mut row.summary_fa, &patch.summary_fa);
        text(&mut row.summary_en, &patch.summary_en);
        text(&mut row.drafting_unit, &patch.drafting_unit);
        text(&mut row.portal_url, &patch.portal_url);
        if let Some(t) = patch.opens_at {
            row.opens_at = super::ms(t);
        }
        if let Some(t) = patch.closes_at {
            row.closes_at = super::ms(t);
        }
        if let Some(reason) = &patch.short_window_reason {
            row.short_window_reason = Some(reason.trim().to_owned()).filter(|r| !r.is_empty());
        }
        row
    }

    pub(crate) fn audit_diff(
        &self,
        after: &ConsultationRow,
    ) -> (serde_json::Value, serde_json::Value) {
        let (b, a) = (self.editable_summary(), after.editable_summary());
        let (mut before, mut changed) = (serde_json::Map::new(), serde_json::Map::new());
        if let (Some(b), Some(a)) = (b.as_object(), a.as_object()) {
            for (k, v) in a {
                if b.get(k) != Some(v) {
                    before.insert(k.clone(), b.get(k).cloned().unwrap_or_default());
                    changed.insert(k.clone(), v.clone());
                }
            }
        }
        (before.into(), changed.into())
    }
}

/// A rule's refusal as a store error.
pub(crate) fn rule_refused(e: (mosharekat_api::ErrorCode, String)) -> super::StoreError {
    super::StoreError::Refused {
        code: e.0,
        message: e.1,
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
    pub(crate) async fn consultation_row_for_update(
        &self,
        tx: &mut sqlx::Transaction<'static, D::Db>,
        id: i64,
    ) -> StoreResult<ConsultationRow> {
        let row: Option<ConsultationRow> = sqlx::query_as(concatcp!(
            "SELECT ",
            CONSULTATION_COLUMNS,
            " FROM consultations WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        row.ok_or_else(|| super::StoreError::not_found("consultation"))
    }

    /// Store every editable field of `row` and its announced status, and announce the change.
    async fn save_consultation(
        &self,
        mut tx: sqlx::Transaction<'static, D::Db>,
        row: &ConsultationRow,
        audit: super::AuditRecord,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::Consultation> {
        use super::ms;
        let status = row.status(now);
        let saved: ConsultationRow = sqlx::query_as(concatcp!("UPDATE consultations SET kind = $2, title_fa = $3, title_en = $4, summary_fa = $5,
                summary_en = $6, drafting_unit = $7, opens_at = $8, closes_at = $9, portal_url = $10,
                short_window_reason = $11, published_at = $12, closed_early_at = $13,
                closed_early_reason = $14, announced_status = $15, updated_at = $16
             WHERE id = $1 RETURNING ", CONSULTATION_COLUMNS))
        .bind(row.id)
        .bind(&row.kind)
        .bind(&row.title_fa)
        .bind(&row.title_en)
        .bind(&row.summary_fa)
        .bind(&row.summary_en)
        .bind(&row.drafting_unit)
        .bind(row.opens_at)
        .bind(row.closes_at)
        .bind(&row.portal_url)
        .bind(&row.short_window_reason)
        .bind(row.published_at)
        .bind(row.closed_early_at)
        .bind(&row.closed_early_reason)
        .bind(status.as_str())
        .bind(ms(now))
        .fetch_one(&mut *tx)
        .await?;
        self.append_audit(&mut tx, &audit, now).await?;
        self.append_event(
            &mut tx,
            &mosharekat_api::EventKind::ConsultationChanged {
                consultation_id: row.id,
                status,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.events_committed();
        saved.into_api(now)
    }
}

#[async_trait]
impl<D: Dialect> ConsultationStore for SqlStore<D>
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
    async fn create_consultation(
        &self,
        new: &mosharekat_api::NewConsultation,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::Consultation> {
        use super::ms;
        crate::rules::check_new_consultation(new).map_err(rule_refused)?;
        let mut tx = self.begin_write().await?;
        let row: ConsultationRow = sqlx::query_as(concatcp!("INSERT INTO consultations (kind, title_fa, title_en, summary_fa, summary_en, drafting_unit,
                opens_at, closes_at, portal_url, short_window_reason, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ", CONSULTATION_COLUMNS))
        .bind(new.kind.as_str())
        .bind(new.title_fa.trim())
        .bind(new.title_en.trim())
        .bind(new.summary_fa.trim())
        .bind(new.summary_en.trim())
        .bind(new.drafting_unit.trim())
        .bind(ms(new.opens_at))
        .bind(ms(new.closes_at))
        .bind(new.portal_url.trim())
        .bind(new.short_window_reason.as_deref().map(str::trim).filter(|r| !r.is_empty()))
        .bind(ms(now))
        .fetch_one(&mut *tx)
        .await?;
        self.append_audit(
            &mut tx,
            &super::AuditRecord::new(
                actor,
                "consultation.create",
                format!("consultation:{}", row.id),
            )
            .after(
                serde_json::json!({"kind": row.kind, "title_fa": row.title_fa,
                    "opens_at": new.opens_at, "closes_at": new.closes_at}),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        row.into_api(now)
    }

    async fn get_consultation(
        &self,
        id: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Option<mosharekat_api::Consultation>> {
        let row: Option<ConsultationRow> = sqlx::query_as(concatcp!(
            "SELECT ",
            CONSULTATION_COLUMNS,
            " FROM consultations WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.reader())
        .await?;
        row.map(|r| r.into_api(now)).transpose()
    }

    async fn list_consultations(
        &self,
        filter: &super::ConsultationFilter,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<mosharekat_api::Consultation>> {
        let rows: Vec<ConsultationRow> = sqlx::query_as(concatcp!("SELECT ", CONSULTATION_COLUMNS, " FROM consultations WHERE id > $1 AND (
                CAST($2 AS TEXT) IS NULL
                OR ($2 = 'draft' AND published_at IS NULL)
                OR ($2 = 'scheduled' AND published_at IS NOT NULL AND closed_early_at IS NULL AND opens_at > $3)
                OR ($2 = 'open' AND published_at IS NOT NULL AND closed_early_at IS NULL
                    AND opens_at <= $3 AND closes_at > $3)
                OR ($2 = 'closed' AND published_at IS NOT NULL AND (closed_early_at IS NOT NULL OR closes_at <= $3)))
             ORDER BY id LIMIT $4"))
        .bind(filter.after.unwrap_or(0))
        .bind(filter.status.map(|s| s.as_str()))
        .bind(super::ms(now))
        .bind(i64::from(filter.limit))
        .fetch_all(self.reader())
        .await?;
        rows.into_iter().map(|r| r.into_api(now)).collect()
    }

    async fn update_consultation(
        &self,
        id: i64,
        patch: &mosharekat_api::ConsultationPatch,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::Consultation> {
        use rule_refused;
        let mut tx = self.begin_write().await?;
        let before = self.consultation_row_for_update(&mut tx, id).await?;
        let status = before.status(now);
        crate::rules::check_patch(status, from_ms(before.closes_at), patch, now)
            .map_err(rule_refused)?;
        let after = before.patched(patch);
        crate::rules::check_consultation_fields(
            &after.title_fa,
            &after.drafting_unit,
            from_ms(after.opens_at),
            from_ms(after.closes_at),
            &after.portal_url,
        )
        .map_err(rule_refused)?;
        let extended = after.closes_at > before.closes_at
            && status != mosharekat_api::ConsultationStatus::Draft;
        let action = if extended {
            "consultation.extend_deadline"
        } else {
            "consultation.update"
        };
        let (b, a) = before.audit_diff(&after);
        let audit = super::AuditRecord::new(actor, action, format!("consultation:{id}"))
            .before(b)
            .after(a);
        self.save_consultation(tx, &after, audit, now).await
    }

    async fn publish_consultation(
        &self,
        id: i64,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::Consultation> {
        use from_ms;
        let mut tx = self.begin_write().await?;
        let mut row = self.consultation_row_for_update(&mut tx, id).await?;
        crate::rules::check_publish(
            row.status(now),
            &row.title_en,
            &row.summary_en,
            from_ms(row.opens_at),
            from_ms(row.closes_at),
            row.short_window_reason.as_deref(),
            now,
        )
        .map_err(rule_refused)?;
        row.published_at = Some(super::ms(now));
        let audit =
            super::AuditRecord::new(actor, "consultation.publish", format!("consultation:{id}"))
                .after(serde_json::json!({
                    "status": row.status(now),
                    "opens_at": from_ms(row.opens_at),
                    "closes_at": from_ms(row.closes_at),
                    "short_window_reason": row.short_window_reason,
                }));
        self.save_consultation(tx, &row, audit, now).await
    }

    async fn close_consultation(
        &self,
        id: i64,
        reason: &str,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<mosharekat_api::Consultation> {
        use mosharekat_api::{ConsultationStatus, ErrorCode};
        let mut tx = self.begin_write().await?;
        let mut row = self.consultation_row_for_update(&mut tx, id).await?;
        let status = row.status(now);
        if !matches!(
            status,
            ConsultationStatus::Open | ConsultationStatus::Scheduled
        ) {
            return Err(super::StoreError::refused(
                ErrorCode::InvalidState,
                format!(
                    "only an open or scheduled consultation can be closed; this one is {}",
                    status.as_str()
                ),
            ));
        }
        row.closed_early_at = Some(super::ms(now));
        row.closed_early_reason = Some(reason.trim().to_owned());
        let audit = super::AuditRecord::new(
            actor,
            "consultation.close_early",
            format!("consultation:{id}"),
        )
        .before(serde_json::json!({"status": status, "closes_at": from_ms(row.closes_at)}))
        .after(serde_json::json!({"status": ConsultationStatus::Closed, "reason": reason.trim()}));
        self.save_consultation(tx, &row, audit, now).await
    }

    async fn announce_status_changes(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<(i64, mosharekat_api::ConsultationStatus)>> {
        // Cheap pre-check on the reader: most ticks change nothing.
        let rows: Vec<ConsultationRow> = sqlx::query_as(concatcp!(
            "SELECT ",
            CONSULTATION_COLUMNS,
            " FROM consultations WHERE published_at IS NOT NULL AND announced_status <> 'closed'"
        ))
        .fetch_all(self.reader())
        .await?;
        let mut changed = Vec::new();
        for row in rows
            .into_iter()
            .filter(|r| r.status(now).as_str() != r.announced_status)
        {
            let mut tx = self.begin_write().await?;
            let row = self.consultation_row_for_update(&mut tx, row.id).await?;
            let status = row.status(now);
            if status.as_str() == row.announced_status {
                continue;
            }
            let audit = super::AuditRecord::new(
                &Actor::system(),
                &format!("consultation.{}", status.as_str()),
                format!("consultation:{}", row.id),
            )
            .before(serde_json::json!({"status": row.announced_status}))
            .after(serde_json::json!({"status": status}));
            self.save_consultation(tx, &row, audit, now).await?;
            changed.push((row.id, status));
        }
        Ok(changed)
    }
}

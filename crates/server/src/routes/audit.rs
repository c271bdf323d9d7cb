use axum::Json;
use axum::extract::State;
use mosharekat_api::audit::AuditVerification;
use mosharekat_api::{AuditEntry, Page, Role};

use super::{PageQuery, Query, page};
use crate::auth::StaffAuth;
use crate::error::ApiResult;
use crate::state::AppState;

/// `GET /api/v1/audit?after=&limit=` (admin), oldest first.
pub async fn list(
    State(state): State<AppState>,
    auth: StaffAuth,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    auth.require(Role::Admin)?;
    let limit = q.limit()?;
    let items: Vec<AuditEntry> = state
        .store
        .audit_entries(q.after.unwrap_or(0), limit)
        .await?
        .into_iter()
        .map(|s| s.entry)
        .collect();
    Ok(Json(page(items, limit, |e| e.id)))
}

/// `GET /api/v1/audit/verify` (admin): walk the whole chain.
pub async fn verify(
    State(state): State<AppState>,
    auth: StaffAuth,
) -> ApiResult<Json<AuditVerification>> {
    auth.require(Role::Admin)?;
    Ok(Json(crate::verify_audit(state.store.as_ref()).await?))
}

//! The outbox of feedback messages: delivery status and the retry of dead messages.

use axum::Json;
use axum::extract::State;
use mosharekat_api::{OutboxCounts, OutboxMessage, OutboxStatus, Page, Role};

use super::{Path, Query, page};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::OutboxFilter;

#[derive(Debug, serde::Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    consultation_id: Option<i64>,
    after: Option<i64>,
    limit: Option<u32>,
    /// `newest` lists the newest first (`after` is then the id to go below); default `oldest`.
    order: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
pub struct CountsQuery {
    consultation_id: Option<i64>,
}

/// `GET /api/v1/outbox?status=&consultation_id=&after=&limit=&order=oldest|newest` (operator)
pub async fn list(
    State(state): State<AppState>,
    auth: StaffAuth,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Page<OutboxMessage>>> {
    auth.require(Role::Operator)?;
    let status = q
        .status
        .as_deref()
        .map(|s| {
            OutboxStatus::from_code(s).ok_or_else(|| {
                ApiError::validation(format!("unknown status `{s}`: pending, sent or dead"))
            })
        })
        .transpose()?;
    let limit = super::PageQuery {
        after: q.after,
        limit: q.limit,
    }
    .limit()?;
    let newest_first = match q.order.as_deref() {
        None | Some("oldest") => false,
        Some("newest") => true,
        Some(other) => {
            return Err(ApiError::validation(format!(
                "unknown order `{other}`: oldest or newest"
            )));
        }
    };
    let filter = OutboxFilter {
        status,
        consultation_id: q.consultation_id,
        after: q.after,
        limit,
        newest_first,
    };
    let items = state.store.list_outbox(&filter).await?;
    Ok(Json(page(items, limit, |m| m.id)))
}

/// `GET /api/v1/outbox/counts?consultation_id=` (operator): messages per status.
pub async fn counts(
    State(state): State<AppState>,
    auth: StaffAuth,
    Query(q): Query<CountsQuery>,
) -> ApiResult<Json<OutboxCounts>> {
    auth.require(Role::Operator)?;
    Ok(Json(state.store.outbox_counts(q.consultation_id).await?))
}

/// `GET /api/v1/outbox/{id}` (operator)
pub async fn get(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<OutboxMessage>> {
    auth.require(Role::Operator)?;
    Ok(Json(
        state
            .store
            .outbox_message(id)
            .await?
            .ok_or_else(|| ApiError::not_found("message"))?,
    ))
}

/// `POST /api/v1/outbox/{id}/retry` (operator): a dead message goes back in line.
pub async fn retry(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<OutboxMessage>> {
    let actor = auth.require(Role::Operator)?;
    Ok(Json(
        state
            .store
            .retry_outbox_message(id, &actor, state.now())
            .await?,
    ))
}

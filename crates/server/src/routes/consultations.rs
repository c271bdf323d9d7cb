use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use mosharekat_api::{
    CloseRequest, Consultation, ConsultationPatch, ConsultationStatus, NewConsultation, Page, Role,
};

use super::{Path, Query, page};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::ConsultationFilter;

#[derive(Debug, serde::Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    after: Option<i64>,
    limit: Option<u32>,
}

/// `GET /api/v1/consultations[?status=&after=&limit=]` (any staff)
pub async fn list(
    State(state): State<AppState>,
    _auth: StaffAuth,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Page<Consultation>>> {
    let status = q
        .status
        .as_deref()
        .map(|s| {
            ConsultationStatus::from_code(s)
                .ok_or_else(|| ApiError::validation(format!("unknown status `{s}`")))
        })
        .transpose()?;
    let limit = super::PageQuery {
        after: q.after,
        limit: q.limit,
    }
    .limit()?;
    let items = state
        .store
        .list_consultations(
            &ConsultationFilter {
                status,
                after: q.after,
                limit,
            },
            state.now(),
        )
        .await?;
    Ok(Json(page(items, limit, |c| c.id)))
}

/// `POST /api/v1/consultations` (operator): created as a draft.
pub async fn create(
    State(state): State<AppState>,
    auth: StaffAuth,
    body: ApiJson<NewConsultation>,
) -> ApiResult<(StatusCode, Json<Consultation>)> {
    let actor = auth.require(Role::Operator)?;
    if body.value.short_window_reason.is_some() && auth.staff.role != Role::Admin {
        return Err(admin_only_reason());
    }
    let c = state
        .store
        .create_consultation(&body.value, &actor, state.now())
        .await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// `GET /api/v1/consultations/{id}` (any staff)
pub async fn get(
    State(state): State<AppState>,
    _auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Consultation>> {
    let c = state
        .store
        .get_consultation(id, state.now())
        .await?
        .ok_or_else(|| ApiError::not_found("consultation"))?;
    Ok(Json(c))
}

/// `PATCH /api/v1/consultations/{id}` (operator; the short-window reason: admin only)
pub async fn update(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
    body: ApiJson<ConsultationPatch>,
) -> ApiResult<Json<Consultation>> {
    let actor = auth.require(Role::Operator)?;
    if body.value.short_window_reason.is_some() && auth.staff.role != Role::Admin {
        return Err(admin_only_reason());
    }
    Ok(Json(
        state
            .store
            .update_consultation(id, &body.value, &actor, state.now())
            .await?,
    ))
}

/// `POST /api/v1/consultations/{id}/publish` (operator)
pub async fn publish(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Consultation>> {
    let actor = auth.require(Role::Operator)?;
    let consultation = state
        .store
        .publish_consultation(id, &actor, state.now())
        .await?;
    // Published open: its call goes out now, not at the next scheduler tick. A failure here is
    // only a delay; the scheduler queues it.
    if consultation.status == mosharekat_api::ConsultationStatus::Open
        && let Err(e) = crate::delivery::calls::broadcast_due_calls(&state).await
    {
        tracing::warn!("publish: broadcasting calls: {e}");
    }
    Ok(Json(consultation))
}

/// `POST /api/v1/consultations/{id}/close` (admin): close before the deadline, with a reason.
pub async fn close(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
    body: ApiJson<CloseRequest>,
) -> ApiResult<Json<Consultation>> {
    let actor = auth.require(Role::Admin)?;
    if body.value.reason.trim().is_empty() {
        return Err(ApiError::validation("closing early needs a reason"));
    }
    Ok(Json(
        state
            .store
            .close_consultation(id, &body.value.reason, &actor, state.now())
            .await?,
    ))
}

fn admin_only_reason() -> ApiError {
    ApiError::new(
        mosharekat_api::ErrorCode::Forbidden,
        "only an admin may record a reason for a short window",
    )
}

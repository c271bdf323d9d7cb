use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use mosharekat_api::{Breakdown, NewPoll, Poll, Role, Tally};

use super::{Path, Query};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// `GET /api/v1/consultations/{id}/polls` (operator)
pub async fn list(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<Poll>>> {
    auth.require(Role::Operator)?;
    state
        .store
        .get_consultation(id, state.now())
        .await?
        .ok_or_else(|| ApiError::not_found("consultation"))?;
    Ok(Json(state.store.list_polls(id).await?))
}

/// `POST /api/v1/consultations/{id}/polls` (operator)
pub async fn create(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
    body: ApiJson<NewPoll>,
) -> ApiResult<(StatusCode, Json<Poll>)> {
    let actor = auth.require(Role::Operator)?;
    crate::rules::check_new_poll(&body.value)
        .map_err(|(code, message)| ApiError::new(code, message))?;
    let poll = state
        .store
        .create_poll(id, &body.value, &actor, state.now())
        .await?;
    Ok((StatusCode::CREATED, Json(poll)))
}

/// `GET /api/v1/polls/{id}` (operator)
pub async fn get(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Poll>> {
    auth.require(Role::Operator)?;
    Ok(Json(
        state
            .store
            .get_poll(id)
            .await?
            .ok_or_else(|| ApiError::not_found("poll"))?,
    ))
}

#[derive(Debug, serde::Deserialize)]
pub struct TallyQuery {
    by: Option<String>,
}

/// `GET /api/v1/polls/{id}/tally[?by=age_band|gender|province|category]` (operator)
pub async fn tally(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
    Query(q): Query<TallyQuery>,
) -> ApiResult<Json<Tally>> {
    auth.require(Role::Operator)?;
    let by =
        q.by.as_deref()
            .map(|b| {
                Breakdown::from_code(b).ok_or_else(|| {
                    ApiError::validation(format!(
                        "unknown breakdown `{b}`: use age_band, gender, province or category"
                    ))
                })
            })
            .transpose()?;
    Ok(Json(
        state
            .store
            .tally(id, by)
            .await?
            .ok_or_else(|| ApiError::not_found("poll"))?,
    ))
}

//! A consultation's concern tags.

use axum::Json;
use axum::extract::State;
use mosharekat_api::tag::validate_tag_list;
use mosharekat_api::{ConcernTag, Role};

use super::Path;
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// `GET /api/v1/consultations/{id}/tags` (any staff)
pub async fn list(
    State(state): State<AppState>,
    _auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ConcernTag>>> {
    state
        .store
        .get_consultation(id, state.now())
        .await?
        .ok_or_else(|| ApiError::not_found("consultation"))?;
    Ok(Json(state.store.concern_tags(id).await?))
}

/// `PUT /api/v1/consultations/{id}/tags` (operator): replace the list with the body's array.
pub async fn replace(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
    body: ApiJson<Vec<ConcernTag>>,
) -> ApiResult<Json<Vec<ConcernTag>>> {
    let actor = auth.require(Role::Operator)?;
    validate_tag_list(&body.value).map_err(|(code, message)| ApiError::new(code, message))?;
    Ok(Json(
        state
            .store
            .replace_concern_tags(id, &body.value, &actor, state.now())
            .await?,
    ))
}

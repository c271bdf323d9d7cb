use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use mosharekat_api::staff::{validate_password, validate_username};
use mosharekat_api::{NewStaff, Role, Staff, StaffPatch};

use super::Path;
use crate::auth::{StaffAuth, hash_password};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// `GET /api/v1/staff` (admin)
pub async fn list(State(state): State<AppState>, auth: StaffAuth) -> ApiResult<Json<Vec<Staff>>> {
    auth.require(Role::Admin)?;
    Ok(Json(state.store.list_staff().await?))
}

/// `POST /api/v1/staff` (admin)
pub async fn create(
    State(state): State<AppState>,
    auth: StaffAuth,
    body: ApiJson<NewStaff>,
) -> ApiResult<(StatusCode, Json<Staff>)> {
    let actor = auth.require(Role::Admin)?;
    let new = body.value;
    validate_username(&new.username).map_err(ApiError::validation)?;
    validate_password(&new.password).map_err(ApiError::validation)?;
    let password = new.password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::new(mosharekat_api::ErrorCode::Internal, e.to_string()))?
        .map_err(|e| ApiError::new(mosharekat_api::ErrorCode::Internal, e.to_string()))?;
    let staff = state
        .store
        .create_staff(&new.username, &hash, new.role, &actor, state.now())
        .await?;
    Ok((StatusCode::CREATED, Json(staff)))
}

/// `PATCH /api/v1/staff/{id}` (admin): change a role or disable an account.
pub async fn update(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
    body: ApiJson<StaffPatch>,
) -> ApiResult<Json<Staff>> {
    let actor = auth.require(Role::Admin)?;
    if id == actor.staff_id
        && (body.value.disabled == Some(true) || body.value.role.is_some_and(|r| r != Role::Admin))
    {
        return Err(ApiError::validation(
            "an admin cannot disable or demote their own account",
        ));
    }
    Ok(Json(
        state
            .store
            .update_staff(id, &body.value, &actor, state.now())
            .await?,
    ))
}

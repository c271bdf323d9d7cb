use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use mosharekat_api::{ErrorCode, LoginRequest, LoginResponse};

use crate::auth::{StaffAuth, dummy_hash, random_token, token_hash, verify_password};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// `POST /api/v1/auth/login`
pub async fn login(
    State(state): State<AppState>,
    body: ApiJson<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let request = body.value;
    let credentials = state
        .store
        .staff_credentials(request.username.trim())
        .await?;
    let hash = credentials
        .as_ref()
        .map_or(dummy_hash(), |c| c.password_hash.as_str())
        .to_owned();
    let password = request.password;
    // argon2 is deliberately slow: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let refused = || ApiError::new(ErrorCode::Unauthorized, "wrong username or password");
    let credentials = credentials.filter(|_| ok).ok_or_else(refused)?;
    if credentials.staff.disabled {
        return Err(refused());
    }
    let now = state.now();
    let token = random_token();
    let expires_at = now + state.config.session_ttl;
    state
        .store
        .create_session(credentials.staff.id, &token_hash(&token), now, expires_at)
        .await?;
    Ok(Json(LoginResponse {
        token,
        role: credentials.staff.role,
        username: credentials.staff.username,
        expires_at,
    }))
}

/// `POST /api/v1/auth/logout`: end this session.
pub async fn logout(State(state): State<AppState>, auth: StaffAuth) -> ApiResult<StatusCode> {
    state.store.delete_session(&auth.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/auth/session`: who this token belongs to (a console started with a token asks).
pub async fn session(auth: StaffAuth) -> Json<mosharekat_api::auth::SessionInfo> {
    Json(mosharekat_api::auth::SessionInfo {
        username: auth.staff.username,
        role: auth.staff.role,
    })
}

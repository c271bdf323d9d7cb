use axum::Json;
use axum::extract::State;
use mosharekat_api::comment::MAX_CLAIM_LIMIT;
use mosharekat_api::{
    ClaimRequest, ClaimResponse, ReasonCode, ReleaseRequest, ReleaseResponse, RenewRequest,
    RenewResponse, Role,
};

use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// `GET /api/v1/reasons` (any staff): the bilingual moderation reasons.
pub async fn reasons(_auth: StaffAuth) -> Json<Vec<ReasonCode>> {
    Json(crate::reasons::all())
}

/// `POST /api/v1/queue/claim` (moderator)
pub async fn claim(
    State(state): State<AppState>,
    auth: StaffAuth,
    body: ApiJson<ClaimRequest>,
) -> ApiResult<Json<ClaimResponse>> {
    let actor = auth.require(Role::Moderator)?;
    let request = body.value;
    if !(1..=MAX_CLAIM_LIMIT).contains(&request.limit) {
        return Err(ApiError::validation(format!(
            "limit must be between 1 and {MAX_CLAIM_LIMIT}"
        )));
    }
    let now = state.now();
    let lease_expires_at = now + state.config.claim_lease;
    let items = state
        .store
        .claim(
            &actor,
            request.consultation_id,
            request.limit,
            now,
            lease_expires_at,
        )
        .await?;
    Ok(Json(ClaimResponse {
        items,
        lease_expires_at,
    }))
}

/// `POST /api/v1/queue/renew` (moderator)
pub async fn renew(
    State(state): State<AppState>,
    auth: StaffAuth,
    body: ApiJson<RenewRequest>,
) -> ApiResult<Json<RenewResponse>> {
    let actor = auth.require(Role::Moderator)?;
    let lease_expires_at = state.now() + state.config.claim_lease;
    let renewed = state
        .store
        .renew_claims(&actor, &body.value.claim_tokens, lease_expires_at)
        .await?;
    Ok(Json(RenewResponse {
        renewed,
        lease_expires_at,
    }))
}

/// `POST /api/v1/queue/release` (moderator)
pub async fn release(
    State(state): State<AppState>,
    auth: StaffAuth,
    body: ApiJson<ReleaseRequest>,
) -> ApiResult<Json<ReleaseResponse>> {
    let actor = auth.require(Role::Moderator)?;
    let released = state
        .store
        .release_claims(&actor, &body.value.claim_tokens, state.now())
        .await?;
    Ok(Json(ReleaseResponse {
        released: released.len() as u64,
    }))
}

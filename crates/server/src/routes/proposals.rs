//! Proposals and decisions: the operators' list and editor saves, publication, the public list.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mosharekat_api::{
    ConsultationStatus, DecisionConflict, DecisionsPublished, ErrorCode, ErrorDetail, Page,
    Proposal, ProposalDecisionRequest, PublicDecision, Role,
};

use super::{PageQuery, Path, Query, page};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::SaveDecision;

/// `GET /api/v1/consultations/{id}/proposals?after=&limit=` (operator)
pub async fn list(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<Proposal>>> {
    auth.require(Role::Operator)?;
    let limit = q.limit()?;
    let now = state.now();
    state
        .store
        .get_consultation(id, now)
        .await?
        .ok_or_else(|| ApiError::not_found("consultation"))?;
    let items = state.store.list_proposals(id, q.after, limit, now).await?;
    Ok(Json(page(items, limit, |p| p.comment.id)))
}

/// `PUT /api/v1/proposals/{id}/decision` (operator): save a draft; `409 version_conflict` with the
/// current decision when the editor's version is stale.
pub async fn decide(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
    body: ApiJson<ProposalDecisionRequest>,
) -> ApiResult<Response> {
    let actor = auth.require(Role::Operator)?;
    body.value
        .validate()
        .map_err(|(code, message)| ApiError::new(code, message))?;
    match state
        .store
        .save_decision(id, &body.value, &actor, state.now())
        .await?
    {
        SaveDecision::Saved(decision) => Ok(Json(decision).into_response()),
        SaveDecision::Conflict(current) => {
            let code = ErrorCode::VersionConflict;
            let body = DecisionConflict {
                error: ErrorDetail {
                    code: code.as_str().to_owned(),
                    message: format!(
                        "{} saved version {} of this decision after the version {} you started from; merge with it and save again",
                        current.decided_by, current.version, body.value.version
                    ),
                },
                current,
            };
            Ok((StatusCode::CONFLICT, Json(body)).into_response())
        }
    }
}

/// `POST /api/v1/consultations/{id}/decisions/publish` (operator)
pub async fn publish(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<DecisionsPublished>> {
    let actor = auth.require(Role::Operator)?;
    Ok(Json(
        state
            .store
            .publish_decisions(
                id,
                state.config.portal.public_url.as_deref(),
                &actor,
                state.now(),
            )
            .await?,
    ))
}

/// `GET /api/v1/public/consultations/{id}/decisions`: every published decision with its reasons.
pub async fn public_list(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<PublicDecision>>> {
    state
        .store
        .get_consultation(id, state.now())
        .await?
        .filter(|c| c.status != ConsultationStatus::Draft)
        .ok_or_else(|| ApiError::not_found("consultation"))?;
    Ok(Json(state.store.public_decisions(id).await?))
}

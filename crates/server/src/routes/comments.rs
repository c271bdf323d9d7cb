use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mosharekat_api::comment::BulkDecisionRequest;
use mosharekat_api::{
    Comment, CommentStatus, DecisionRequest, DecisionResponse, ErrorCode, Page, Role,
};

use super::{Path, Query, page};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::{BulkTarget, CommentFilter, DecideOutcome, IdempotencyKey};

#[derive(Debug, serde::Deserialize)]
pub struct ListQuery {
    consultation_id: Option<i64>,
    status: Option<String>,
    duplicate_group_id: Option<i64>,
    participant_id: Option<i64>,
    article_id: Option<i64>,
    after: Option<i64>,
    limit: Option<u32>,
}

/// `GET /api/v1/comments?consultation_id=&status=&duplicate_group_id=&participant_id=&article_id=&after=&limit=`
/// (moderator, operator)
pub async fn list(
    State(state): State<AppState>,
    auth: StaffAuth,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Page<Comment>>> {
    auth.require_any(&[Role::Moderator, Role::Operator])?;
    let status = q
        .status
        .as_deref()
        .map(|s| {
            CommentStatus::from_code(s)
                .ok_or_else(|| ApiError::validation(format!("unknown status `{s}`")))
        })
        .transpose()?;
    let limit = super::PageQuery {
        after: q.after,
        limit: q.limit,
    }
    .limit()?;
    let filter = CommentFilter {
        consultation_id: q.consultation_id,
        status,
        duplicate_group_id: q.duplicate_group_id,
        participant_id: q.participant_id,
        article_id: q.article_id,
        after: q.after,
        limit,
    };
    let items = state.store.list_comments(&filter, state.now()).await?;
    Ok(Json(page(items, limit, |c| c.id)))
}

/// `GET /api/v1/comments/{id}` (moderator)
pub async fn get(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<Comment>> {
    auth.require_any(&[Role::Moderator, Role::Operator])?;
    Ok(Json(
        state
            .store
            .get_comment(id, state.now())
            .await?
            .ok_or_else(|| ApiError::not_found("comment"))?,
    ))
}

/// The request's `Idempotency-Key`, tied to the route and body so the same key on another request
/// is told apart.
fn idempotency_key(
    headers: &HeaderMap,
    route: &str,
    body_hash: &str,
) -> ApiResult<Option<IdempotencyKey>> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| (1..=200).contains(&k.len()))
        .ok_or_else(|| {
            ApiError::validation("Idempotency-Key must be 1 to 200 visible ASCII characters")
        })?;
    Ok(Some(IdempotencyKey {
        key: key.to_owned(),
        request_hash: crate::auth::token_hash(&format!("{route}\n{body_hash}")),
    }))
}

fn replayed(json: String) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::HeaderName::from_static("idempotent-replayed"),
                "true",
            ),
        ],
        json,
    )
        .into_response()
}

/// `POST /api/v1/comments/{id}/decision` (moderator), with an optional `Idempotency-Key`.
pub async fn decision(
    State(state): State<AppState>,
    auth: StaffAuth,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: ApiJson<DecisionRequest>,
) -> ApiResult<Response> {
    let actor = auth.require(Role::Moderator)?;
    crate::reasons::check_decision(&body.value)?;
    let key = idempotency_key(&headers, &format!("decision:{id}"), &body.body_hash)?;
    match state
        .store
        .decide(
            id,
            &actor,
            &body.value,
            state.config.portal.public_url.as_deref(),
            key.as_ref(),
            state.now(),
        )
        .await?
    {
        DecideOutcome::Applied(comment) => Ok(Json(DecisionResponse { comment }).into_response()),
        DecideOutcome::Replayed(json) => Ok(replayed(json)),
    }
}

/// `POST /api/v1/comments/bulk-decision` (moderator): a list of ids or a whole campaign group.
pub async fn bulk_decision(
    State(state): State<AppState>,
    auth: StaffAuth,
    headers: HeaderMap,
    body: ApiJson<BulkDecisionRequest>,
) -> ApiResult<Response> {
    let actor = auth.require(Role::Moderator)?;
    let bulk = body.value;
    let target = match (bulk.ids.is_empty(), bulk.duplicate_group_id) {
        (false, None) if bulk.ids.len() <= 1_000 => BulkTarget::Ids(bulk.ids.clone()),
        (false, None) => {
            return Err(ApiError::validation(
                "at most 1000 ids in one bulk decision",
            ));
        }
        (true, Some(group)) => BulkTarget::DuplicateGroup(group),
        _ => {
            return Err(ApiError::new(
                ErrorCode::Validation,
                "give either ids or duplicate_group_id, not both or neither",
            ));
        }
    };
    let request = DecisionRequest {
        action: bulk.action,
        reason_code: bulk.reason_code,
        note: bulk.note,
        tags: bulk.tags,
        claim_token: None,
    };
    crate::reasons::check_decision(&request)?;
    let key = idempotency_key(&headers, "bulk-decision", &body.body_hash)?;
    match state
        .store
        .bulk_decide(
            &target,
            &actor,
            &request,
            state.config.portal.public_url.as_deref(),
            key.as_ref(),
            state.now(),
        )
        .await?
    {
        DecideOutcome::Applied(response) => Ok(Json(response).into_response()),
        DecideOutcome::Replayed(json) => Ok(replayed(json)),
    }
}

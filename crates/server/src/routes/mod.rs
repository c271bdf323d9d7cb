//! HTTP routes under `/api/v1`, one module per area. Each handler checks the caller's role, validates
//! the request, calls the store and maps the answer to protocol types.

use axum::Router;
use axum::routing::{get, patch, post, put};
use mosharekat_api::ErrorCode;

use crate::error::ApiError;
use crate::state::AppState;

mod audit;
mod auth;
mod comments;
mod consultations;
mod deadlines;
mod events;
mod health;
mod incentives;
mod outbox;
mod participants;
mod polls;
mod proposals;
mod queue;
mod reports;
mod staff;
mod tags;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/health", get(health::health))
        .route("/openapi.json", get(crate::openapi::serve))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/session", get(auth::session))
        .route("/staff", get(staff::list).post(staff::create))
        .route("/staff/{id}", patch(staff::update))
        .route(
            "/consultations",
            get(consultations::list).post(consultations::create),
        )
        .route(
            "/consultations/{id}",
            get(consultations::get).patch(consultations::update),
        )
        .route("/consultations/{id}/publish", post(consultations::publish))
        .route("/consultations/{id}/close", post(consultations::close))
        .route(
            "/consultations/{id}/polls",
            get(polls::list).post(polls::create),
        )
        .route(
            "/consultations/{id}/tags",
            get(tags::list).put(tags::replace),
        )
        .route("/consultations/{id}/proposals", get(proposals::list))
        .route(
            "/consultations/{id}/decisions/publish",
            post(proposals::publish),
        )
        .route(
            "/consultations/{id}/report",
            get(reports::get).post(reports::generate),
        )
        .route("/consultations/{id}/report/publish", post(reports::publish))
        .route("/proposals/{id}/decision", put(proposals::decide))
        .route("/outbox", get(outbox::list))
        .route("/outbox/counts", get(outbox::counts))
        .route("/outbox/{id}", get(outbox::get))
        .route("/outbox/{id}/retry", post(outbox::retry))
        .route("/deadlines", get(deadlines::deadlines))
        .route("/polls/{id}", get(polls::get))
        .route("/polls/{id}/tally", get(polls::tally))
        .route("/reasons", get(queue::reasons))
        .route("/queue/claim", post(queue::claim))
        .route("/queue/renew", post(queue::renew))
        .route("/queue/release", post(queue::release))
        .route("/comments", get(comments::list))
        .route("/comments/bulk-decision", post(comments::bulk_decision))
        .route("/comments/{id}", get(comments::get))
        .route("/comments/{id}/decision", post(comments::decision))
        .route("/events", get(events::stream))
        .route("/audit", get(audit::list))
        .route("/audit/verify", get(audit::verify))
        .route(
            "/public/consultations",
            get(participants::open_consultations),
        )
        .route(
            "/public/consultations/{id}",
            get(participants::consultation),
        )
        .route("/public/consultations/{id}/polls", get(participants::polls))
        .route(
            "/public/consultations/{id}/decisions",
            get(proposals::public_list),
        )
        .route("/public/consultations/{id}/report", get(reports::public))
        .route(
            "/public/consultations/{id}/comments",
            post(participants::comment),
        )
        .route("/public/participants", post(participants::register))
        .route("/public/polls/{id}/ballots", post(participants::ballot))
        // Incentives: scores, ranking, certificates.
        .route("/leaderboard", get(incentives::leaderboard))
        .route("/participants/{id}/score", get(incentives::score))
        .route("/certificates", get(incentives::list))
        .route("/certificates/propose", post(incentives::propose))
        .route("/certificates/approve", post(incentives::bulk_approve))
        .route("/certificates/{id}", get(incentives::get))
        .route("/certificates/{id}/approve", post(incentives::approve))
        .route("/certificates/{id}/reject", post(incentives::reject))
        .route("/certificates/{id}/revoke", post(incentives::revoke))
        .route(
            "/public/consultations/{id}/top",
            get(incentives::public_top),
        )
        .route(
            "/public/certificates/{code}",
            get(incentives::public_certificate),
        )
        .route("/public/keys", get(incentives::public_keys))
        .method_not_allowed_fallback(method_not_allowed)
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::guards::enforce_access,
        ));
    Router::new()
        .nest(mosharekat_api::API_PREFIX, api)
        .fallback(not_found)
        .layer(axum::middleware::from_fn(crate::guards::limit_body_size))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        "this route does not take that method",
    )
}

/// `?after=&limit=` of a keyset-paged list.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PageQuery {
    pub after: Option<i64>,
    pub limit: Option<u32>,
}

impl PageQuery {
    pub fn limit(&self) -> Result<u32, ApiError> {
        use mosharekat_api::page::{DEFAULT_LIMIT, MAX_LIMIT};
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(ApiError::validation(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            ))),
        }
    }
}

/// A page and its next cursor: when the page is full there may be more after its last id.
pub fn page<T>(items: Vec<T>, limit: u32, id: impl Fn(&T) -> i64) -> mosharekat_api::Page<T> {
    let next_after = (items.len() as u32 == limit)
        .then(|| items.last().map(|i| id(i).to_string()))
        .flatten();
    mosharekat_api::Page { items, next_after }
}

/// Query strings parse into our error shape rather than axum's plain-text rejection.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S>
    for Query<T>
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e| ApiError::validation(format!("bad query string: {}", e.body_text())))
    }
}

/// Path parameters likewise.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> axum::extract::FromRequestParts<S>
    for Path<T>
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|_| {
                ApiError::new(
                    ErrorCode::NotFound,
                    "no such resource: the id in the path is not valid",
                )
            })
    }
}

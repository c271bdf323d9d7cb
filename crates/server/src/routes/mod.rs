//! HTTP routes under `/api/v1`: the route table ([`ROUTES`]) and the router made from it, and the
//! handlers, one module per area. Each handler validates the request, calls the store and maps the
//! answer to protocol types; the caller's role is checked from the table before it runs.

use axum::Router;
use mosharekat_api::ErrorCode;

use crate::error::ApiError;
use crate::state::AppState;

mod audit;
mod auth;
mod bale;
mod comments;
mod consultations;
mod deadlines;
mod drafts;
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
mod table;
mod tags;

pub use table::{Access, HttpMethod, ROUTES, Route};

/// The HTTP service: every route of [`ROUTES`] under `/api/v1`, each behind the access guard.
///
/// Routes are added only from the table, so every route served has its roles and summary there.
pub fn router(state: AppState) -> Router {
    let api = ROUTES
        .iter()
        .fold(Router::new(), |api, route| {
            api.route(route.path, route.method_router())
        })
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

//! Checks that run before any handler or body extractor: the declared body size, and who may call
//! a route according to the route table in [`crate::routes::ROUTES`].
//!
//! Checking the role here, from the same table the OpenAPI document is written from, means a
//! caller without the right role gets `403` before the body is read or validated (a wrong role is
//! never told `415` or `422` instead), and the document cannot promise other roles than the server
//! enforces. Handlers still call [`StaffAuth::require`] for the actor they record and for rules
//! finer than a route (an operator may edit, but only an admin may record a short-window reason).

use axum::body::{Body, BodyDataStream, Bytes};
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use mosharekat_api::{API_PREFIX, ErrorCode, MAX_BODY_BYTES};

use crate::auth::StaffAuth;
use crate::error::ApiError;
use crate::routes::{Access, ROUTES, Route};
use crate::state::AppState;

/// How much of an oversized body is still read (and dropped) before answering `413`. A client
/// that is still sending when the server answers and closes often sees a reset connection instead
/// of the answer; reading on lets it see the `413`. Beyond this the connection is simply closed.
const DRAIN_LIMIT: usize = 4 * 1024 * 1024;

/// `413` for a request whose declared length is over the limit, before any handler sees it.
/// Bodies sent without a length are cut off at the same limit where they are read ([`read_body`]).
pub async fn limit_body_size(req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > DRAIN_LIMIT as u64 => {
            let mut response = too_large().into_response();
            response.headers_mut().insert(
                header::CONNECTION,
                header::HeaderValue::from_static("close"),
            );
            response
        }
        Some(n) if n > MAX_BODY_BYTES as u64 => {
            drain(req.into_body().into_data_stream(), n as usize).await;
            too_large().into_response()
        }
        _ => next.run(req).await,
    }
}

/// Read a request body whole, up to [`MAX_BODY_BYTES`]; over it, `413` (after reading on a little,
/// up to a drain limit, so the client reads the answer).
pub async fn read_body(body: Body) -> Result<Bytes, ApiError> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| {
            ApiError::new(ErrorCode::BadRequest, "the request body could not be read")
        })?;
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            drain(stream, bytes.len() + chunk.len()).await;
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(bytes))
}

/// Read and drop the rest of a body, until it ends or [`DRAIN_LIMIT`] bytes have been seen.
async fn drain(mut stream: BodyDataStream, mut seen: usize) {
    while seen <= DRAIN_LIMIT {
        match stream.next().await {
            Some(Ok(chunk)) => seen += chunk.len(),
            _ => return,
        }
    }
}

pub fn too_large() -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!("the request body is over {} KiB", MAX_BODY_BYTES / 1024),
    )
}

/// The route table's entry for a matched route (`path` as the router matched it, with or without
/// the API prefix).
pub fn route_doc(method: &Method, path: &str) -> Option<&'static Route> {
    let path = path.strip_prefix(API_PREFIX).unwrap_or(path);
    ROUTES
        .iter()
        .find(|r| r.path == path && r.method.http() == *method)
}

/// Enforce the route table's [`Access`] for staff routes: `401` without a live session, `403` for
/// a role the table does not list. The resolved session is handed to the handler's [`StaffAuth`].
pub async fn enforce_access(
    State(state): State<AppState>,
    matched: Option<MatchedPath>,
    req: Request,
    next: Next,
) -> Response {
    let doc = matched.and_then(|m| route_doc(req.method(), m.as_str()));
    let Some(Access::Staff(roles)) = doc.map(|d| d.access) else {
        return next.run(req).await;
    };
    let (mut parts, body) = req.into_parts();
    let auth = match StaffAuth::from_request_parts(&mut parts, &state).await {
        Ok(auth) => auth,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = auth.require_any(roles) {
        return e.into_response();
    }
    parts.extensions.insert(auth);
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_found_with_or_without_the_prefix() {
        let doc = route_doc(&Method::POST, "/api/v1/consultations/{id}/publish").unwrap();
        assert_eq!(doc.path, "/consultations/{id}/publish");
        assert!(route_doc(&Method::GET, "/consultations/{id}/publish").is_none());
        assert!(route_doc(&Method::GET, "/health").is_some());
        assert!(route_doc(&Method::GET, "/nowhere").is_none());
    }

    #[test]
    fn every_route_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for r in ROUTES {
            assert!(
                seen.insert((r.method, r.path)),
                "{} {} twice",
                r.method,
                r.path
            );
            assert!(r.path.starts_with('/'));
        }
    }
}

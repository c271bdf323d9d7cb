//! The one error type of every route: a status, a code and a message safe to show a user.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mosharekat_api::{ErrorBody, ErrorCode};

use crate::store::StoreError;

#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// Seconds to send as `Retry-After` (with `429`).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// `429 rate_limited` with `Retry-After` (whole seconds until `at`, at least one).
    pub fn retry_at(
        message: impl Into<String>,
        at: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        let millis = (at - now).num_milliseconds().max(1);
        Self {
            retry_after: Some(((millis + 999) / 1000) as u64),
            ..Self::new(ErrorCode::RateLimited, message)
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Validation, message)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found"))
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused { code, message } => ApiError::new(code, message),
            other => {
                // The detail goes to the log; the user gets a message that leaks nothing.
                tracing::error!("store: {other}");
                ApiError::new(
                    ErrorCode::Internal,
                    "the server could not complete the request; it has been logged",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response =
            (status, axum::Json(ErrorBody::new(self.code, self.message))).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

//! The one error type of every route: a status, a code and a message safe to show a user.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mosharekat_api::{ErrorBody, ErrorCode};

use crate::store::StoreError;

#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
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
        (status, axum::Json(ErrorBody::new(self.code, self.message))).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

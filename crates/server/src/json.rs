//! JSON request bodies with protocol errors: too large → 413, not JSON → 400 `malformed_json`,
//! JSON of the wrong shape → 422 `validation_failed`, wrong content type → 415.

use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use mosharekat_api::ErrorCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body read under the protocol's size limit. Also keeps the raw bytes' hash for
/// idempotency checks.
pub struct ApiJson<T> {
    pub value: T,
    pub body_hash: String,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "send the body as application/json",
            ));
        }
        let bytes = crate::guards::read_body(req.into_body()).await?;
        let value = parse(&bytes)?;
        Ok(ApiJson {
            value,
            body_hash: crate::auth::token_hash_bytes(&bytes),
        })
    }
}

/// Parse JSON, telling a broken document from a well-formed one of the wrong shape.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    use serde_json::error::Category;
    let malformed = |e: serde_json::Error| {
        ApiError::new(
            ErrorCode::MalformedJson,
            format!("the body is not valid JSON: {e}"),
        )
    };
    serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        // Deserialising stops at the first field that does not fit, before it could see that the
        // document is broken further on: a document that is not JSON at all is told so first.
        Category::Data => match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            Err(syntax) => malformed(syntax),
            Ok(_) => ApiError::new(
                ErrorCode::Validation,
                format!("the request does not fit: {e}"),
            ),
        },
        Category::Syntax | Category::Eof | Category::Io => malformed(e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Body {
        n: u32,
    }

    #[test]
    fn broken_json_is_400_and_wrong_shape_is_422() {
        assert_eq!(
            parse::<Body>(b"{\"n\": 1").unwrap_err().code,
            ErrorCode::MalformedJson
        );
        assert_eq!(
            parse::<Body>(b"{\"n\": \"x\"}").unwrap_err().code,
            ErrorCode::Validation
        );
        assert_eq!(
            parse::<Body>(b"{}").unwrap_err().code,
            ErrorCode::Validation
        );
        assert!(parse::<Body>(b"{\"n\": \"\\ud800\"}").is_err());
        assert_eq!(
            parse::<Body>(b"{\"m\": 1} trailing").unwrap_err().code,
            ErrorCode::MalformedJson
        );
        assert!(parse::<Body>(b"{\"n\": 3}").is_ok());
    }
}

//! `POST /api/v1/bale/webhook`: the Bale bot's updates, when the server registered a webhook.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use mosharekat_api::ErrorCode;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// One update as Bale posts it. The secret token header must be the one the server registered
/// (`401`, nothing read, otherwise); an update is then handled and answered `200` — even one the
/// bot cannot use, so that Bale does not send it again.
pub async fn webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let bot = state
        .bot
        .clone()
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no Bale bot is configured"))?;
    let given = headers.get(crate::bot::SECRET_HEADER).map(|v| v.as_bytes());
    if !bot.secret_matches(given) {
        tracing::warn!(
            "bale bot: a webhook request without the right secret token header was refused (401)"
        );
        return Err(ApiError::new(
            ErrorCode::Unauthorized,
            "the webhook's secret token is missing or wrong",
        ));
    }
    let update: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::new(ErrorCode::MalformedJson, format!("not an update: {e}")))?;
    crate::bot::handle_raw(&state, &bot, update).await;
    Ok(StatusCode::OK)
}

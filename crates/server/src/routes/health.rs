use axum::Json;
use axum::extract::State;

use crate::error::ApiResult;
use crate::state::AppState;

/// `GET /api/v1/health`: the server is up and its database answers.
pub async fn health(State(state): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    let last_event_id = state.store.last_event_id().await?;
    Ok(Json(serde_json::json!({
        "status": "ok",
        "database": state.store.backend(),
        "version": env!("CARGO_PKG_VERSION"),
        "time": state.now(),
        "last_event_id": last_event_id,
    })))
}

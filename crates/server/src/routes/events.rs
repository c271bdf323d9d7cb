use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures::Stream;

use super::Query;
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Debug, serde::Deserialize)]
pub struct EventsQuery {
    /// Resume after this event id (the `Last-Event-ID` header does the same and wins).
    after: Option<i64>,
}

/// How many stored events one read takes.
const BATCH: u32 = 500;

/// `GET /api/v1/events` (any staff): Server-Sent Events. Without a resume point the stream starts at
/// the newest event; with `Last-Event-ID` (or `?after=`) it first sends everything after it.
pub async fn stream(
    State(state): State<AppState>,
    _auth: StaffAuth,
    headers: HeaderMap,
    Query(q): Query<EventsQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    let header_id = match headers.get("last-event-id") {
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .ok_or_else(|| ApiError::validation("Last-Event-ID must be an event id"))?,
        ),
        None => None,
    };
    let mut wake = state.events.subscribe();
    wake.borrow_and_update();
    let start = match header_id.or(q.after) {
        Some(id) => id,
        None => state.store.last_event_id().await?,
    };
    let stream = futures::stream::unfold(
        (state, wake, start, VecDeque::new()),
        |(state, mut wake, mut last, mut buffer)| async move {
            loop {
                if let Some(event) = buffer.pop_front() {
                    return Some((Ok(to_sse(&event)), (state, wake, last, buffer)));
                }
                // Mark wake-ups seen before reading, so one that lands during the read is not lost.
                wake.borrow_and_update();
                match state.store.events_after(last, BATCH).await {
                    Ok(events) if !events.is_empty() => {
                        last = events.last().map_or(last, |e| e.id);
                        buffer.extend(events);
                        continue;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!("event stream: {e}");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    }
                }
                // Re-read now and then even without a wake-up: a belt to the NOTIFY braces.
                let mut stopping = state.stopping.clone();
                tokio::select! {
                    changed = wake.changed() => if changed.is_err() { return None },
                    _ = stopping.wait_for(|s| *s) => return None,
                    _ = tokio::time::sleep(Duration::from_secs(10)) => {}
                }
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn to_sse(event: &mosharekat_api::Event) -> SseEvent {
    let data = serde_json::to_string(event).unwrap_or_else(|_| "{}".into());
    SseEvent::default()
        .id(event.id.to_string())
        .event(event.kind.name())
        .data(data)
}

//! The live event stream (`GET /api/v1/events`, Server-Sent Events), reconnecting by itself with
//! `Last-Event-ID` so nothing is missed across a dropped connection.

use std::time::Duration;

use mosharekat_api::{Event, paths};
use tokio::sync::mpsc;

use super::Client;

/// What the stream task reports.
#[derive(Debug, Clone, PartialEq)]
pub enum EventStream {
    Connected,
    Event(Box<Event>),
    /// The connection dropped or could not be made; the task retries.
    Disconnected(String),
}

/// Follow the event stream in a task until `tx` is closed. Starts at the newest event, then
/// resumes from the last one seen after every reconnect.
pub fn spawn_event_stream(
    client: Client,
    tx: mpsc::Sender<EventStream>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut last_id: Option<i64> = None;
        let mut backoff = Duration::from_millis(500);
        loop {
            match follow(&client, &mut last_id, &tx).await {
                Ok(()) => backoff = Duration::from_millis(500),
                Err(message) => {
                    if tx.send(EventStream::Disconnected(message)).await.is_err() {
                        return;
                    }
                }
            }
            if tx.is_closed() {
                return;
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(10));
        }
    })
}

async fn follow(
    client: &Client,
    last_id: &mut Option<i64>,
    tx: &mpsc::Sender<EventStream>,
) -> Result<(), String> {
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| e.to_string())?;
    let mut req = http.get(client.url(paths::EVENTS));
    if let Some(token) = client.token() {
        req = req.bearer_auth(token);
    }
    if let Some(id) = last_id {
        req = req.header("Last-Event-ID", id.to_string());
    }
    let mut resp = req.send().await.map_err(|e| e.to_string())?;
    if !resp.status().is_success() {
        return Err(format!("HTTP {}", resp.status()));
    }
    if tx.send(EventStream::Connected).await.is_err() {
        return Ok(());
    }
    let mut parser = SseParser::default();
    loop {
        // The server sends a keep-alive every 15 s; silence for much longer means a dead link.
        let chunk = tokio::time::timeout(Duration::from_secs(45), resp.chunk())
            .await
            .map_err(|_| "no data from the event stream for 45 s".to_owned())?
            .map_err(|e| e.to_string())?;
        let Some(chunk) = chunk else {
            return Err("the event stream ended".into());
        };
        for event in parser.feed(&chunk) {
            *last_id = Some(event.id);
            if tx.send(EventStream::Event(Box::new(event))).await.is_err() {
                return Ok(());
            }
        }
    }
}

/// Splits an SSE byte stream into events (only `data:` blocks that parse as [`Event`]).
#[derive(Default)]
pub(crate) struct SseParser {
    buffer: Vec<u8>,
}

impl SseParser {
    pub(crate) fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        self.buffer.extend_from_slice(bytes);
        let mut out = Vec::new();
        while let Some(end) = find_block_end(&self.buffer) {
            let block: Vec<u8> = self.buffer.drain(..end).collect();
            let text = String::from_utf8_lossy(&block);
            let data: String = text
                .lines()
                .filter_map(|l| l.strip_prefix("data:"))
                .map(|d| d.strip_prefix(' ').unwrap_or(d))
                .collect::<Vec<_>>()
                .join("\n");
            if !data.is_empty() {
                match serde_json::from_str::<Event>(&data) {
                    Ok(event) => out.push(event),
                    Err(e) => tracing::warn!("unreadable event: {e}"),
                }
            }
        }
        out
    }
}

/// End (exclusive, including the blank line) of the first complete block.
fn find_block_end(buf: &[u8]) -> Option<usize> {
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|p| p + 2);
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4);
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_blocks_split_anywhere_and_skips_comments() {
        let event = r#"{"id":3,"at":"2026-01-01T00:00:00Z","kind":"comment.released","data":{"comment_ids":[1,2]}}"#;
        let stream = format!(":keep-alive\n\nid: 3\nevent: comment.released\ndata: {event}\n\n");
        for split in 0..stream.len() {
            let mut parser = SseParser::default();
            let mut got = parser.feed(&stream.as_bytes()[..split]);
            got.extend(parser.feed(&stream.as_bytes()[split..]));
            assert_eq!(got.len(), 1, "split at {split}");
            assert_eq!(got[0].id, 3);
        }
    }
}

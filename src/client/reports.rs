//! The comprehensive report (generate, read in a format, publish) and the feedback outbox
//! (delivery status, retry of dead messages).

use mosharekat_api::paths;
use mosharekat_api::{
    ErrorBody, OutboxMessage, OutboxStatus, Page, Report, ReportFormat, ReportPublished,
};
use reqwest::Method;

use super::{Client, ClientError, ClientResult};

impl Client {
    /// The latest draft of a consultation's report (`404` before the first generation).
    pub async fn report(&self, consultation_id: i64) -> ClientResult<Report> {
        self.get(&paths::consultation_report(consultation_id)).await
    }

    /// Generate (or regenerate) the draft; `409 consultation_not_closed` before the deadline.
    pub async fn generate_report(&self, consultation_id: i64) -> ClientResult<Report> {
        self.send(
            Method::POST,
            &paths::consultation_report(consultation_id),
            None::<&()>,
            None,
        )
        .await
    }

    /// The published report (`404` before the first publication).
    pub async fn public_report(&self, consultation_id: i64) -> ClientResult<Report> {
        self.get(&paths::public_consultation_report(consultation_id))
            .await
    }

    /// Publish the latest draft.
    pub async fn publish_report(&self, consultation_id: i64) -> ClientResult<ReportPublished> {
        self.send(
            Method::POST,
            &paths::consultation_report_publish(consultation_id),
            None::<&()>,
            None,
        )
        .await
    }

    /// The latest draft rendered in `format`, byte for byte as the backend serves it.
    pub async fn report_file(
        &self,
        consultation_id: i64,
        format: ReportFormat,
    ) -> ClientResult<Vec<u8>> {
        self.get_bytes(&format!(
            "{}?format={}",
            paths::consultation_report(consultation_id),
            format.as_str()
        ))
        .await
    }

    /// One page of the outbox, oldest first, optionally of one status.
    pub async fn outbox(
        &self,
        status: Option<OutboxStatus>,
        after: Option<i64>,
        limit: u32,
    ) -> ClientResult<Page<OutboxMessage>> {
        let mut query = format!("?limit={limit}");
        if let Some(status) = status {
            query.push_str(&format!("&status={}", status.as_str()));
        }
        if let Some(after) = after {
            query.push_str(&format!("&after={after}"));
        }
        self.get(&format!("{}{query}", paths::OUTBOX)).await
    }

    /// The newest messages first; `before` is the cursor (`next_after` of the previous page).
    pub async fn outbox_newest(
        &self,
        status: Option<OutboxStatus>,
        before: Option<i64>,
        limit: u32,
    ) -> ClientResult<Page<OutboxMessage>> {
        let mut query = format!("?order=newest&limit={limit}");
        if let Some(status) = status {
            query.push_str(&format!("&status={}", status.as_str()));
        }
        if let Some(before) = before {
            query.push_str(&format!("&after={before}"));
        }
        self.get(&format!("{}{query}", paths::OUTBOX)).await
    }

    /// Messages per status.
    pub async fn outbox_counts(&self) -> ClientResult<mosharekat_api::OutboxCounts> {
        self.get(paths::OUTBOX_COUNTS).await
    }

    /// Put a dead message back in line (`409 invalid_state` unless it is dead).
    pub async fn retry_outbox(&self, message_id: i64) -> ClientResult<OutboxMessage> {
        self.send(
            Method::POST,
            &paths::outbox_retry(message_id),
            None::<&()>,
            None,
        )
        .await
    }

    /// A `GET` whose successful answer is kept as bytes (a report in a non-JSON format).
    async fn get_bytes(&self, path: &str) -> ClientResult<Vec<u8>> {
        let mut req = self.http.get(self.url(path));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| ClientError::Unreachable(e.to_string()))?;
        let status = resp.status();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| ClientError::Unreachable(e.to_string()))?;
        if status.is_success() {
            return Ok(bytes.to_vec());
        }
        Err(match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => ClientError::Api {
                status: status.as_u16(),
                code: body.error.code,
                message: body.error.message,
            },
            Err(_) if status.is_server_error() => {
                ClientError::Unreachable(format!("HTTP {status}"))
            }
            Err(_) => ClientError::Protocol(format!("HTTP {status} without an error body")),
        })
    }
}

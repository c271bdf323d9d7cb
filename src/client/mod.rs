//! The console's HTTP client for the protocol in `mosharekat-api`. The console depends on the
//! protocol, not on our server: every call goes over HTTP, also to the embedded backend.

mod drafts;
mod events;
mod incentives;
pub mod proposals;
mod reports;

use std::time::Duration;

use mosharekat_api::comment::{BulkDecisionRequest, BulkDecisionResponse};
use mosharekat_api::paths;
use mosharekat_api::{
    ClaimRequest, ClaimResponse, Comment, Consultation, DeadlinesResponse, DecisionRequest,
    DecisionResponse, ErrorBody, LoginRequest, LoginResponse, Page, Poll, ReasonCode,
    ReleaseRequest, ReleaseResponse, RenewRequest, RenewResponse, Tally,
};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use events::{EventStream, spawn_event_stream};
pub use incentives::{verification_page, verification_page_from_status};

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The backend could not be reached (connection refused, timeout, DNS…): worth retrying.
    #[error("the backend is unreachable: {0}")]
    Unreachable(String),
    /// The backend answered with an error; `message` is safe to show.
    #[error("{message}")]
    Api {
        status: u16,
        code: String,
        message: String,
    },
    /// The backend answered something that is not the protocol.
    #[error("the backend's answer could not be read: {0}")]
    Protocol(String),
}

impl ClientError {
    /// Errors after which the same request may succeed later unchanged.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Unreachable(_) => true,
            ClientError::Api { status, .. } => *status >= 500 || *status == 429,
            ClientError::Protocol(_) => false,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

pub type ClientResult<T> = Result<T, ClientError>;

/// The citizen portal's home page on the backend at `base`: `{base}/fa/`. Every backend serves the
/// portal beside `/api`, Persian (its default language) under `/fa/`; a base with a path (a
/// backend behind a proxy under a prefix) keeps it.
pub fn portal_home(base: &Url) -> Url {
    let mut url = base.clone();
    url.set_query(None);
    url.set_fragment(None);
    let path = format!("{}/fa/", url.path().trim_end_matches('/'));
    url.set_path(&path);
    url
}

/// A staff session with one backend. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    token: Option<String>,
}

impl Client {
    /// A client for the backend at `base` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base: Url) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        Self {
            http,
            base,
            token: None,
        }
    }

    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The citizen portal's home page on this backend (see [`portal_home`]).
    pub fn portal_home(&self) -> Url {
        portal_home(&self.base)
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!(
            "{}{}{}",
            self.base.as_str().trim_end_matches('/'),
            mosharekat_api::API_PREFIX,
            path
        )
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&(impl Serialize + ?Sized)>,
        idempotency_key: Option<&str>,
    ) -> ClientResult<T> {
        let mut req = self.http.request(method, self.url(path));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(key) = idempotency_key {
            req = req.header("Idempotency-Key", key);
        }
        if let Some(body) = body {
            req = req.json(body);
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
            let bytes = if status == StatusCode::NO_CONTENT {
                &b"null"[..]
            } else {
                &bytes[..]
            };
            serde_json::from_slice(bytes).map_err(|e| ClientError::Protocol(e.to_string()))
        } else {
            Err(match serde_json::from_slice::<ErrorBody>(&bytes) {
                Ok(body) => ClientError::Api {
                    status: status.as_u16(),
                    code: body.error.code,
                    message: body.error.message,
                },
                Err(_) if status.is_server_error() || status == StatusCode::BAD_GATEWAY => {
                    ClientError::Unreachable(format!("HTTP {status}"))
                }
                Err(_) => ClientError::Protocol(format!("HTTP {status} without an error body")),
            })
        }
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> ClientResult<T> {
        self.send(Method::GET, path, None::<&()>, None).await
    }

    async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &(impl Serialize + ?Sized),
    ) -> ClientResult<T> {
        self.send(Method::POST, path, Some(body), None).await
    }

    /// Log in; the returned client carries the token.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
    ) -> ClientResult<(Client, LoginResponse)> {
        let req = LoginRequest {
            username: username.into(),
            password: password.into(),
        };
        let resp: LoginResponse = self.post(paths::LOGIN, &req).await?;
        Ok((self.clone().with_token(resp.token.clone()), resp))
    }

    /// Whose token this client carries.
    pub async fn session(&self) -> ClientResult<mosharekat_api::auth::SessionInfo> {
        self.get(paths::SESSION).await
    }

    pub async fn health(&self) -> ClientResult<serde_json::Value> {
        self.get(paths::HEALTH).await
    }

    pub async fn consultations(
        &self,
        after: Option<i64>,
        limit: u32,
    ) -> ClientResult<Page<Consultation>> {
        let after = after.map(|a| format!("&after={a}")).unwrap_or_default();
        self.get(&format!("{}?limit={limit}{after}", paths::CONSULTATIONS))
            .await
    }

    /// Every consultation, following the keyset cursor.
    pub async fn all_consultations(&self) -> ClientResult<Vec<Consultation>> {
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page = self.consultations(after, 500).await?;
            all.extend(page.items);
            match page.next_after.and_then(|a| a.parse().ok()) {
                Some(next) => after = Some(next),
                None => return Ok(all),
            }
        }
    }

    pub async fn deadlines(&self) -> ClientResult<DeadlinesResponse> {
        self.get(paths::DEADLINES).await
    }

    pub async fn polls(&self, consultation_id: i64) -> ClientResult<Vec<Poll>> {
        self.get(&paths::consultation_polls(consultation_id)).await
    }

    pub async fn tally(
        &self,
        poll_id: i64,
        by: Option<mosharekat_api::Breakdown>,
    ) -> ClientResult<Tally> {
        let by = by
            .map(|b| format!("?by={}", b.as_str()))
            .unwrap_or_default();
        self.get(&format!("{}{by}", paths::poll_tally(poll_id)))
            .await
    }

    pub async fn reasons(&self) -> ClientResult<Vec<ReasonCode>> {
        self.get(paths::REASONS).await
    }

    pub async fn comment(&self, id: i64) -> ClientResult<Comment> {
        self.get(&paths::comment(id)).await
    }

    pub async fn claim(&self, request: &ClaimRequest) -> ClientResult<ClaimResponse> {
        self.post(paths::QUEUE_CLAIM, request).await
    }

    pub async fn renew(&self, claim_tokens: Vec<String>) -> ClientResult<RenewResponse> {
        self.post(paths::QUEUE_RENEW, &RenewRequest { claim_tokens })
            .await
    }

    pub async fn release(&self, claim_tokens: Vec<String>) -> ClientResult<ReleaseResponse> {
        self.post(paths::QUEUE_RELEASE, &ReleaseRequest { claim_tokens })
            .await
    }

    /// A moderation decision, sent with its idempotency key so a retry is applied once.
    pub async fn decide(
        &self,
        comment_id: i64,
        request: &DecisionRequest,
        idempotency_key: &str,
    ) -> ClientResult<DecisionResponse> {
        self.send(
            Method::POST,
            &paths::comment_decision(comment_id),
            Some(request),
            Some(idempotency_key),
        )
        .await
    }

    pub async fn bulk_decide(
        &self,
        request: &BulkDecisionRequest,
        idempotency_key: &str,
    ) -> ClientResult<BulkDecisionResponse> {
        self.send(
            Method::POST,
            paths::COMMENTS_BULK_DECISION,
            Some(request),
            Some(idempotency_key),
        )
        .await
    }
}

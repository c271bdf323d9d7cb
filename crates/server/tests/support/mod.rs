//! Test support: a fresh database per test (a temporary SQLite file, or a PostgreSQL schema of its
//! own), a real server on a free port, staff accounts with tokens, and a small HTTP client.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use mosharekat_api::paths;
use mosharekat_api::{NewConsultation, NewParticipant, ParticipantCreated, Role};
use mosharekat_server::store::{Actor, Store};
use mosharekat_server::{RunningServer, ServerConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Run each listed async test fn once per database: `both!(name);` makes `sqlite::name` and
/// `postgres::name`.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::support::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::support::Backend::Postgres).await
                }
            )*
        }
    };
}

/// A database of its own: dropped (SQLite file deleted, PostgreSQL schema dropped) with the value.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    schema: Option<String>,
}

pub fn pg_base_url() -> String {
    std::env::var("MOSHAREKAT_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                TestDb {
                    url,
                    _dir: Some(dir),
                    schema: None,
                }
            }
            Backend::Postgres => {
                let base = pg_base_url();
                let schema = format!("t_{}", &mosharekat_server::auth::random_token()[..16]);
                let pool = sqlx::PgPool::connect(&base)
                    .await
                    .expect("PostgreSQL for tests (MOSHAREKAT_TEST_PG_URL)");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(&pool)
                    .await
                    .unwrap();
                pool.close().await;
                let sep = if base.contains('?') { '&' } else { '?' };
                let url = format!(
                    "{base}{sep}options=-c%20search_path%3D{schema}%20-c%20synchronous_commit%3Doff"
                );
                TestDb {
                    url,
                    _dir: None,
                    schema: Some(schema),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(schema) = self.schema.take() {
            // Drop runs outside async; use a thread with its own runtime.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(pool) = sqlx::PgPool::connect(&pg_base_url()).await {
                        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DROP SCHEMA {schema} CASCADE"
                        )))
                        .execute(&pool)
                        .await;
                        pool.close().await;
                    }
                });
            })
            .join();
        }
    }
}

pub const PASSWORD: &str = "correct horse battery staple";

/// A password hash computed once for all test accounts. argon2id like the server's own, but with
/// the smallest cost parameters: the server verifies with the parameters a hash carries, and each
/// test server logs its staff in, so the production cost (slow on purpose) would be paid many
/// times over. Accounts created over HTTP still get the server's own hash.
pub fn password_hash() -> &'static str {
    use argon2::password_hash::{PasswordHasher, SaltString};
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let params = argon2::Params::new(argon2::Params::MIN_M_COST, 1, 1, None).unwrap();
        argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
            .hash_password(
                PASSWORD.as_bytes(),
                &SaltString::from_b64("dGVzdHNhbHR0ZXN0c2FsdA").unwrap(),
            )
            .unwrap()
            .to_string()
    })
}

/// A running server with an admin, an operator and a moderator logged in.
pub struct TestServer {
    pub server: RunningServer,
    pub http: reqwest::Client,
    pub admin: String,
    pub operator: String,
    pub moderator: String,
    pub db: TestDb,
}

pub fn config(url: &str) -> ServerConfig {
    let mut config = ServerConfig::new(url, "127.0.0.1:0".parse().unwrap());
    config.scheduler_interval = std::time::Duration::from_millis(100);
    // Tests move the clock by weeks; keep their logins alive across the jumps.
    config.session_ttl = Duration::days(3650);
    // One-time codes come back in the answer (the embedded demo's way), and every test's
    // participants come from 127.0.0.1: the per-address limit is for the tests that test it.
    config.sms.demo = true;
    config.verification.address_limit = 100_000;
    config
}

impl TestServer {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, |_| {}).await
    }

    /// A server whose test configuration `configure` adjusts first.
    pub async fn start_with(backend: Backend, configure: impl FnOnce(&mut ServerConfig)) -> Self {
        let db = TestDb::new(backend).await;
        let mut config = config(&db.url);
        configure(&mut config);
        let server = mosharekat_server::start(config).await.unwrap();
        Self::with(server, db).await
    }

    /// Shut this server down (whatever it is doing) and start a new one over the same database,
    /// with a clock of its own; the staff log in again.
    pub async fn restart(self, configure: impl FnOnce(&mut ServerConfig)) -> Self {
        let TestServer {
            server, http, db, ..
        } = self;
        server.shutdown().await;
        let mut config = config(&db.url);
        configure(&mut config);
        let server = mosharekat_server::start(config).await.unwrap();
        let mut t = TestServer {
            server,
            http,
            admin: String::new(),
            operator: String::new(),
            moderator: String::new(),
            db,
        };
        t.admin = t.login("admin1").await;
        t.operator = t.login("operator1").await;
        t.moderator = t.login("moderator1").await;
        t
    }

    pub async fn login(&self, username: &str) -> String {
        let (status, body) = self
            .call(
                "POST",
                paths::LOGIN,
                None,
                Some(json!({"username": username, "password": PASSWORD})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }

    pub async fn with(server: RunningServer, db: TestDb) -> Self {
        let http = reqwest::Client::new();
        let mut t = TestServer {
            server,
            http,
            admin: String::new(),
            operator: String::new(),
            moderator: String::new(),
            db,
        };
        t.admin = t.add_staff("admin1", Role::Admin).await;
        t.operator = t.add_staff("operator1", Role::Operator).await;
        t.moderator = t.add_staff("moderator1", Role::Moderator).await;
        t
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        self.server.store()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.server.state.now()
    }

    pub fn clock(&self) -> &mosharekat_server::Clock {
        &self.server.state.config.clock
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.server.url())
    }

    /// Create an account directly in the store and log in over HTTP; returns the token.
    pub async fn add_staff(&self, username: &str, role: Role) -> String {
        self.store()
            .create_staff(
                username,
                password_hash(),
                role,
                &Actor::system(),
                self.now(),
            )
            .await
            .unwrap();
        self.login(username).await
    }

    /// One request; returns the status and the JSON body (Null when empty or not JSON).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method.parse().unwrap(), self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let bytes = resp.bytes().await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    pub async fn ok(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Value {
        let (status, value) = self.call(method, path, token, body).await;
        assert!(status.is_success(), "{method} {path}: {status} {value}");
        value
    }

    /// A published consultation that is open now, with a 40-day window.
    pub async fn open_consultation(&self) -> i64 {
        let now = self.now();
        let c = self
            .ok(
                "POST",
                paths::CONSULTATIONS,
                Some(&self.operator),
                Some(consultation_json(
                    now - Duration::days(1),
                    now + Duration::days(39),
                )),
            )
            .await;
        let id = c["id"].as_i64().unwrap();
        self.ok(
            "POST",
            &paths::consultation_publish(id),
            Some(&self.operator),
            None,
        )
        .await;
        id
    }

    /// A verified participant (a number of their own, through the code flow); returns the token.
    pub async fn participant(&self, name: &str) -> String {
        let body = serde_json::to_value(NewParticipant {
            display_name: name.into(),
            category: mosharekat_api::Category::Public,
            birth_year: Some(1990),
            gender: Some(mosharekat_api::Gender::Female),
            province: Some(mosharekat_api::Province::Isfahan),
            channel: None,
            handle: None,
            consent: true,
            name_public: false,
            language: mosharekat_api::Language::Fa,
        })
        .unwrap();
        self.register_verified(&next_phone(), body).await.token
    }

    /// Ask for a code for `phone` (the test server gives it back) and register `fields` with it
    /// (`201`, or `200` for a known number).
    pub async fn register_verified(&self, phone: &str, mut fields: Value) -> ParticipantCreated {
        let code = self.code_for(phone).await;
        fields["phone"] = json!(phone);
        fields["code"] = json!(code);
        let (status, body) = self
            .call("POST", paths::PUBLIC_PARTICIPANTS, None, Some(fields))
            .await;
        assert!(
            status == StatusCode::CREATED || status == StatusCode::OK,
            "{status} {body}"
        );
        serde_json::from_value(body).unwrap()
    }

    /// A fresh one-time code for `phone`, from a server whose SMS is the demo.
    pub async fn code_for(&self, phone: &str) -> String {
        let (status, body) = self
            .call(
                "POST",
                paths::PUBLIC_VERIFICATION,
                None,
                Some(json!({"phone": phone})),
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        body["demo_code"].as_str().unwrap().to_owned()
    }

    /// Register a participant as given; returns the token.
    pub async fn register(&self, participant: &NewParticipant) -> String {
        let (status, body) = self
            .call(
                "POST",
                paths::PUBLIC_PARTICIPANTS,
                None,
                Some(serde_json::to_value(participant).unwrap()),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        serde_json::from_value::<ParticipantCreated>(body)
            .unwrap()
            .token
    }

    /// Link a Bale chat to the participant holding `token`, as the bot's `/start <code>` does (the
    /// bot itself is tested in api_bale_bot.rs): messages for them go to that chat, never to a
    /// handle typed at registration.
    pub async fn link_bale_chat(&self, token: &str, chat: &str) {
        let store = self.store();
        let participant = store
            .participant_by_token(&mosharekat_server::auth::token_hash(token))
            .await
            .unwrap()
            .expect("a participant");
        let code = mosharekat_server::auth::token_hash(&format!("link code for {chat}"));
        store
            .create_link_code(
                participant.id,
                mosharekat_api::Channel::Bale,
                &code,
                self.now(),
                self.now() + Duration::hours(1),
            )
            .await
            .unwrap();
        let linked = store
            .link_chat(mosharekat_api::Channel::Bale, &code, chat, self.now())
            .await
            .unwrap();
        assert_eq!(linked.map(|p| p.id), Some(participant.id));
    }

    /// Close a consultation now (an admin's early close).
    pub async fn close(&self, consultation: i64) {
        self.ok(
            "POST",
            &paths::consultation_close(consultation),
            Some(&self.admin),
            Some(json!({"reason": "پایان دوره برای آزمون"})),
        )
        .await;
    }

    /// Approve comments (a moderator's bulk decision), with concern tags.
    pub async fn approve(&self, ids: &[i64], tags: &[&str]) {
        let answer = self
            .ok(
                "POST",
                paths::COMMENTS_BULK_DECISION,
                Some(&self.moderator),
                Some(json!({"ids": ids, "action": "approve", "tags": tags})),
            )
            .await;
        assert_eq!(
            answer["decided"].as_array().unwrap().len(),
            ids.len(),
            "{answer}"
        );
    }

    /// Poll `check` every 20 ms until it gives a value (panics after 20 s: the test has failed).
    pub async fn eventually<T, F, Fut>(&self, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let give_up = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            if let Some(value) = check().await {
                return value;
            }
            assert!(
                tokio::time::Instant::now() < give_up,
                "gave up waiting for {what}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub async fn comment(&self, consultation: i64, token: &str, body: &str) -> i64 {
        let (status, value) = self
            .call(
                "POST",
                &paths::public_consultation_comments(consultation),
                Some(token),
                Some(json!({"body": body})),
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{value}");
        value["id"].as_i64().unwrap()
    }
}

/// The signing key of webhook deliveries in tests.
pub const WEBHOOK_SECRET: &str = "test webhook secret";

/// A mobile number no other call of this process has used (`0912…`, then `0913…`).
pub fn next_phone() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // Processes running tests at once each take their own range.
    let base = u64::from(std::process::id() % 1000) * 10_000;
    format!("0912{:07}", base + n)
}

/// Delivery that tests can watch: webhooks signed and allowed to reach the mock receivers on
/// 127.0.0.1, quick polling and short backoff (retries come within a fraction of a second; a
/// `Retry-After` is honoured as given, so tests move the clock for it).
pub fn fast_delivery(config: &mut ServerConfig) {
    let d = &mut config.delivery;
    d.webhook_secret = Some(WEBHOOK_SECRET.into());
    d.allow_private_webhooks = true;
    d.backoff_base = std::time::Duration::from_millis(20);
    d.backoff_cap = std::time::Duration::from_millis(100);
    d.poll_interval = std::time::Duration::from_millis(20);
    d.send_timeout = std::time::Duration::from_secs(10);
    d.hold = std::time::Duration::from_secs(30);
}

/// A local HTTP receiver standing in for a messenger or a participant's webhook: it answers from
/// a script (then `200 {"ok": true}`) and records every request with the server clock's time.
pub struct MockReceiver {
    pub url: String,
    state: Arc<MockState>,
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    Status(u16),
    /// `429` with this `Retry-After` value.
    TooManyRequests(String),
    /// A JSON body with a status.
    Json(u16, Value),
    /// Never answer (the request stays open until the client gives up).
    Hold,
}

#[derive(Debug, Clone)]
pub struct Received {
    /// The server clock's time when the request arrived.
    pub at: DateTime<Utc>,
    pub method: String,
    pub path: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// The reference (idempotency key) prefix of the messages moderation sends to authors.
pub const MODERATION_REFERENCE: &str = "mosharekat-moderation-";

struct MockState {
    clock: mosharekat_server::Clock,
    script: std::sync::Mutex<std::collections::VecDeque<Reply>>,
    received: std::sync::Mutex<Vec<Received>>,
}

impl MockReceiver {
    pub async fn start(clock: &mosharekat_server::Clock, script: Vec<Reply>) -> Self {
        use axum::response::IntoResponse;
        let state = Arc::new(MockState {
            clock: clock.clone(),
            script: std::sync::Mutex::new(script.into()),
            received: std::sync::Mutex::new(Vec::new()),
        });
        async fn answer(
            axum::extract::State(state): axum::extract::State<Arc<MockState>>,
            method: axum::http::Method,
            uri: axum::http::Uri,
            headers: axum::http::HeaderMap,
            body: axum::body::Bytes,
        ) -> axum::response::Response {
            // What moderation tells an author (tested with the Bale bot in api_bale_bot.rs) is
            // answered and not recorded: scripted replies and counts are for the messages the
            // test is about.
            if body
                .windows(MODERATION_REFERENCE.len())
                .any(|w| w == MODERATION_REFERENCE.as_bytes())
            {
                return axum::Json(json!({"ok": true, "result": {}})).into_response();
            }
            let mut copied = reqwest::header::HeaderMap::new();
            for (name, value) in &headers {
                copied.insert(
                    reqwest::header::HeaderName::from_bytes(name.as_str().as_bytes()).unwrap(),
                    reqwest::header::HeaderValue::from_bytes(value.as_bytes()).unwrap(),
                );
            }
            state.received.lock().unwrap().push(Received {
                at: state.clock.now(),
                method: method.to_string(),
                path: uri.path().to_owned(),
                headers: copied,
                body: body.to_vec(),
            });
            let reply = state.script.lock().unwrap().pop_front();
            let status = |code: u16| axum::http::StatusCode::from_u16(code).unwrap();
            match reply {
                None => axum::Json(json!({"ok": true, "result": {}})).into_response(),
                Some(Reply::Status(code)) => (status(code), "scripted").into_response(),
                Some(Reply::TooManyRequests(after)) => (
                    axum::http::StatusCode::TOO_MANY_REQUESTS,
                    [(axum::http::header::RETRY_AFTER, after)],
                    "slow down",
                )
                    .into_response(),
                Some(Reply::Json(code, body)) => (status(code), axum::Json(body)).into_response(),
                Some(Reply::Hold) => {
                    std::future::pending::<()>().await;
                    unreachable!()
                }
            }
        }
        let app = axum::Router::new()
            .fallback(answer)
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        MockReceiver { url, state }
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }

    /// Wait until at least `n` requests have arrived (panics after 20 s).
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        let give_up = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let received = self.received();
            if received.len() >= n {
                return received;
            }
            assert!(
                tokio::time::Instant::now() < give_up,
                "only {} of {n} requests arrived",
                received.len()
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
}

/// HMAC-SHA256 written out from RFC 2104 over plain SHA-256 (independent of the server's HMAC).
pub fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(Sha256::digest(key).as_slice());
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner.as_slice())
        .finalize();
    hex::encode(outer.as_slice())
}

pub fn consultation_json(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> Value {
    serde_json::to_value(NewConsultation {
        kind: mosharekat_api::ConsultationKind::Regulation,
        title_fa: "آیین‌نامه اجرایی مدارس غیردولتی".into(),
        title_en: "Executive regulation of non-governmental schools".into(),
        summary_fa: "پیش‌نویس برای نظرخواهی عمومی".into(),
        summary_en: "Draft for public comment".into(),
        drafting_unit: "معاونت آموزش ابتدایی".into(),
        opens_at,
        closes_at,
        portal_url: "https://www.medu.ir/fa/consultations/1".into(),
        short_window_reason: None,
    })
    .unwrap()
}

/// A minimal Server-Sent Events reader for tests.
pub struct SseReader {
    response: reqwest::Response,
    buffer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SseMessage {
    pub id: i64,
    pub event: String,
    pub data: Value,
}

impl SseReader {
    pub async fn connect(base_url: &str, token: &str, last_event_id: Option<i64>) -> Self {
        let mut req = reqwest::Client::new()
            .get(format!("{base_url}/api/v1/events"))
            .bearer_auth(token);
        if let Some(id) = last_event_id {
            req = req.header("Last-Event-ID", id.to_string());
        }
        let response = req.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );
        SseReader {
            response,
            buffer: String::new(),
        }
    }

    /// The next event (keep-alive comments skipped), or None after `timeout`.
    pub async fn next(&mut self, timeout: std::time::Duration) -> Option<SseMessage> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (mut id, mut event, mut data) = (None, String::new(), String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("event:") {
                        event = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if let Some(id) = id {
                    return Some(SseMessage {
                        id,
                        event,
                        data: serde_json::from_str(&data).unwrap(),
                    });
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Collect events until `n` have arrived (panics after 10 s).
    pub async fn take(&mut self, n: usize) -> Vec<SseMessage> {
        let mut out = Vec::new();
        while out.len() < n {
            let m = self.next(std::time::Duration::from_secs(10)).await;
            out.push(
                m.unwrap_or_else(|| panic!("only {} of {n} events arrived: {out:?}", out.len())),
            );
        }
        out
    }
}

/// A fake Bale Bot API on a free port, speaking its wire format (`POST /bot<token>/METHOD`, JSON
/// in, `{"ok": true, "result": …}` out): `getMe`, `getUpdates` (the updates the test queued, from
/// the offset asked), `setWebhook`, `deleteWebhook` and `sendMessage` (recorded, answered with a
/// new message id).
pub struct FakeBale {
    pub url: String,
    state: Arc<FakeBaleState>,
}

pub const BALE_TOKEN: &str = "424242:fake-bale-token";
pub const BALE_BOT: &str = "mosharekat_test_bot";

#[derive(Default)]
struct FakeBaleState {
    updates: std::sync::Mutex<Vec<Value>>,
    /// Every call: the method and its JSON body.
    calls: std::sync::Mutex<Vec<(String, Value)>>,
    sent: std::sync::Mutex<Vec<BotSent>>,
    /// Calls of a method still to be answered with an error.
    failures: std::sync::Mutex<std::collections::HashMap<String, usize>>,
    next_id: std::sync::atomic::AtomicI64,
}

/// A message the bot sent.
#[derive(Debug, Clone)]
pub struct BotSent {
    pub message_id: i64,
    pub chat_id: String,
    pub text: String,
    pub reply_to: Option<i64>,
}

impl FakeBale {
    pub async fn start() -> Self {
        let state = Arc::new(FakeBaleState {
            next_id: std::sync::atomic::AtomicI64::new(1000),
            ..FakeBaleState::default()
        });
        async fn answer(
            axum::extract::State(state): axum::extract::State<Arc<FakeBaleState>>,
            uri: axum::http::Uri,
            body: axum::body::Bytes,
        ) -> axum::Json<Value> {
            let path = uri.path().to_owned();
            let Some((token, method)) = path
                .strip_prefix("/bot")
                .and_then(|rest| rest.split_once('/'))
            else {
                return axum::Json(
                    json!({"ok": false, "error_code": 404, "description": "Not Found"}),
                );
            };
            if token != BALE_TOKEN {
                return axum::Json(
                    json!({"ok": false, "error_code": 401, "description": "Unauthorized"}),
                );
            }
            let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            state
                .calls
                .lock()
                .unwrap()
                .push((method.to_owned(), body.clone()));
            if let Some(left) = state.failures.lock().unwrap().get_mut(method)
                && *left > 0
            {
                *left -= 1;
                return axum::Json(
                    json!({"ok": false, "error_code": 502, "description": "Bad Gateway"}),
                );
            }
            let result = match method {
                "getMe" => {
                    json!({"id": 42, "is_bot": true, "first_name": "Mosharekat", "username": BALE_BOT})
                }
                "getUpdates" => {
                    let offset = body["offset"].as_i64().unwrap_or(0);
                    let give_up =
                        tokio::time::Instant::now() + std::time::Duration::from_millis(300);
                    loop {
                        let due: Vec<Value> = state
                            .updates
                            .lock()
                            .unwrap()
                            .iter()
                            .filter(|u| u["update_id"].as_i64().unwrap() >= offset)
                            .cloned()
                            .collect();
                        if !due.is_empty() || tokio::time::Instant::now() >= give_up {
                            break Value::Array(due);
                        }
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    }
                }
                "setWebhook" | "deleteWebhook" => Value::Bool(true),
                "sendMessage" => {
                    let id = state
                        .next_id
                        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let chat_id = match &body["chat_id"] {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let chat: i64 = chat_id.parse().unwrap_or(0);
                    state.sent.lock().unwrap().push(BotSent {
                        message_id: id,
                        chat_id,
                        text: body["text"].as_str().unwrap_or_default().to_owned(),
                        reply_to: body["reply_to_message_id"].as_i64(),
                    });
                    json!({"message_id": id, "date": 0, "text": body["text"],
                        "chat": {"id": chat, "type": "private"}})
                }
                _ => {
                    return axum::Json(
                        json!({"ok": false, "error_code": 404, "description": "Not Found: method not found"}),
                    );
                }
            };
            axum::Json(json!({"ok": true, "result": result}))
        }
        let app = axum::Router::new()
            .fallback(answer)
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeBale { url, state }
    }

    /// Configure a server to use this bot.
    pub fn configure(&self, config: &mut ServerConfig) {
        config.delivery.bale_base_url = self.url.clone();
        config.delivery.bale_token = Some(BALE_TOKEN.into());
        config.delivery.backoff_base = std::time::Duration::from_millis(20);
        config.delivery.backoff_cap = std::time::Duration::from_millis(100);
        config.delivery.poll_interval = std::time::Duration::from_millis(20);
    }

    /// An update carrying a private message from `chat` (optionally a reply to the bot's message
    /// `reply_to`), as Bale sends it; the update is also queued for `getUpdates`.
    pub fn message(&self, chat: i64, text: &str, reply_to: Option<i64>) -> Value {
        let id = self
            .state
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let mut message = json!({
            "message_id": id,
            "date": 1_700_000_000,
            "from": {"id": chat, "is_bot": false, "first_name": "Citizen"},
            "chat": {"id": chat, "type": "private"},
            "text": text,
        });
        if let Some(reply_to) = reply_to {
            message["reply_to_message"] = json!({
                "message_id": reply_to,
                "date": 1_700_000_000,
                "chat": {"id": chat, "type": "private"},
                "text": "…",
            });
        }
        let update = json!({"update_id": id, "message": message});
        self.state.updates.lock().unwrap().push(update.clone());
        update
    }

    /// Answer the next `n` calls of `method` with an error.
    pub fn fail_next(&self, method: &str, n: usize) {
        self.state
            .failures
            .lock()
            .unwrap()
            .insert(method.to_owned(), n);
    }

    pub fn calls(&self, method: &str) -> Vec<Value> {
        self.state
            .calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(m, _)| m == method)
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// Every message sent to `chat`, in order.
    pub fn sent_to(&self, chat: &str) -> Vec<BotSent> {
        self.state
            .sent
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.chat_id == chat)
            .cloned()
            .collect()
    }

    /// Wait until `chat` has received at least `n` messages (panics after 20 s).
    pub async fn wait_for(&self, chat: &str, n: usize) -> Vec<BotSent> {
        let give_up = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let sent = self.sent_to(chat);
            if sent.len() >= n {
                return sent;
            }
            assert!(
                tokio::time::Instant::now() < give_up,
                "only {} of {n} messages reached chat {chat}: {sent:?}",
                sent.len()
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
}

/// A local stand-in for an SMS gateway's verify call, speaking Kavenegar's
/// (`GET /v1/{key}/verify/lookup.json?receptor&token&template`) or SMS.ir's
/// (`POST /v1/send/verify`, `x-api-key`) format. It records every message it accepted or refused
/// and fails on demand with the gateway's own error answer.
pub struct FakeSms {
    pub url: String,
    pub provider: mosharekat_server::SmsProvider,
    state: Arc<FakeSmsState>,
}

/// One request the fake gateway received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsReceived {
    /// The key as the gateway got it (Kavenegar: from the path; SMS.ir: the header).
    pub api_key: String,
    /// `09…`, as sent.
    pub receptor: String,
    pub code: String,
    /// Kavenegar's template name or SMS.ir's template id, as text.
    pub template: String,
    /// Whether the fake answered it as sent.
    pub accepted: bool,
}

struct FakeSmsState {
    provider: mosharekat_server::SmsProvider,
    /// Gateway status codes to answer with before accepting again (Kavenegar: `return.status`,
    /// e.g. 418; SMS.ir: `status`, e.g. 0), or 0 for a bare HTTP 500.
    failures: std::sync::Mutex<std::collections::VecDeque<i64>>,
    received: std::sync::Mutex<Vec<SmsReceived>>,
}

pub const SMS_API_KEY: &str = "sms-test-key/+=";
pub const KAVENEGAR_TEMPLATE: &str = "mosharekat-verify";
pub const SMSIR_TEMPLATE: &str = "123456";

impl FakeSms {
    pub async fn start(provider: mosharekat_server::SmsProvider) -> Self {
        use axum::response::IntoResponse;
        use mosharekat_server::SmsProvider;
        let state = Arc::new(FakeSmsState {
            provider,
            failures: Default::default(),
            received: Default::default(),
        });
        async fn answer(
            axum::extract::State(state): axum::extract::State<Arc<FakeSmsState>>,
            method: axum::http::Method,
            uri: axum::http::Uri,
            headers: axum::http::HeaderMap,
            body: axum::body::Bytes,
        ) -> axum::response::Response {
            let failure = state.failures.lock().unwrap().pop_front();
            let (received, reply) = match state.provider {
                SmsProvider::Kavenegar => {
                    let path = uri.path();
                    let key = path
                        .strip_prefix("/v1/")
                        .and_then(|p| p.strip_suffix("/verify/lookup.json"));
                    let (Some(key), true) = (key, method == axum::http::Method::GET) else {
                        return (axum::http::StatusCode::NOT_FOUND, "no such call").into_response();
                    };
                    let query: std::collections::HashMap<String, String> =
                        url_decode_pairs(uri.query().unwrap_or(""));
                    let received = SmsReceived {
                        api_key: percent_decode(key),
                        receptor: query.get("receptor").cloned().unwrap_or_default(),
                        code: query.get("token").cloned().unwrap_or_default(),
                        template: query.get("template").cloned().unwrap_or_default(),
                        accepted: failure.is_none(),
                    };
                    let reply = match failure {
                        None => (
                            axum::http::StatusCode::OK,
                            axum::Json(json!({
                                "return": {"status": 200, "message": "تایید شد"},
                                "entries": [{
                                    "messageid": 8792343,
                                    "message": received.code,
                                    "status": 5,
                                    "statustext": "ارسال به مخابرات",
                                    "sender": "10004346",
                                    "receptor": received.receptor,
                                    "date": 1356619709,
                                    "cost": 120
                                }]
                            })),
                        )
                            .into_response(),
                        Some(0) => {
                            (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "down").into_response()
                        }
                        Some(code) => (
                            axum::http::StatusCode::from_u16(code as u16)
                                .unwrap_or(axum::http::StatusCode::BAD_REQUEST),
                            axum::Json(json!({
                                "return": {"status": code, "message": "خطا"},
                                "entries": null
                            })),
                        )
                            .into_response(),
                    };
                    (received, reply)
                }
                SmsProvider::SmsIr => {
                    if method != axum::http::Method::POST || uri.path() != "/v1/send/verify" {
                        return (axum::http::StatusCode::NOT_FOUND, "no such call").into_response();
                    }
                    let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    let code = value["parameters"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .find(|p| p["name"] == "CODE")
                        .and_then(|p| p["value"].as_str())
                        .unwrap_or_default()
                        .to_owned();
                    let received = SmsReceived {
                        api_key: headers
                            .get("x-api-key")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned(),
                        receptor: value["mobile"].as_str().unwrap_or_default().to_owned(),
                        code,
                        template: value["templateId"].to_string(),
                        accepted: failure.is_none()
                            && headers
                                .get("accept")
                                .is_some_and(|v| v == "application/json"),
                    };
                    let reply = match failure {
                        None => axum::Json(json!({
                            "status": 1,
                            "message": "موفق",
                            "data": {"messageId": 89545112, "cost": 1.0}
                        }))
                        .into_response(),
                        Some(0) => {
                            (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "down").into_response()
                        }
                        Some(code) => (
                            axum::http::StatusCode::BAD_REQUEST,
                            axum::Json(json!({"status": code, "message": "خطا", "data": null})),
                        )
                            .into_response(),
                    };
                    (received, reply)
                }
            };
            state.received.lock().unwrap().push(received);
            reply
        }
        let app = axum::Router::new()
            .fallback(answer)
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeSms {
            url,
            provider,
            state,
        }
    }

    /// Point a server's SMS settings at this fake.
    pub fn configure(&self, config: &mut ServerConfig) {
        use mosharekat_server::SmsProvider;
        config.sms.provider = Some(self.provider);
        config.sms.api_key = Some(SMS_API_KEY.into());
        config.sms.base_url = Some(self.url.clone());
        config.sms.template = Some(
            match self.provider {
                SmsProvider::Kavenegar => KAVENEGAR_TEMPLATE,
                SmsProvider::SmsIr => SMSIR_TEMPLATE,
            }
            .into(),
        );
    }

    /// Answer the next requests with these gateway statuses (0: HTTP 500 without a body).
    pub fn fail_next(&self, statuses: &[i64]) {
        self.state
            .failures
            .lock()
            .unwrap()
            .extend(statuses.iter().copied());
    }

    pub fn received(&self) -> Vec<SmsReceived> {
        self.state.received.lock().unwrap().clone()
    }

    /// The last code sent to this national number (`09…`).
    pub fn last_code(&self, receptor: &str) -> Option<String> {
        self.received()
            .into_iter()
            .rev()
            .find(|r| r.accepted && r.receptor == receptor)
            .map(|r| r.code)
    }
}

fn url_decode_pairs(query: &str) -> std::collections::HashMap<String, String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| percent_decode(&s.replace('+', " "));
            (decode(k), decode(v))
        })
        .collect()
}

/// `%XX` escapes decoded (written out here: the crates that share this support differ in their
/// dependencies).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

//! Who is asking, and the portal's guards: the participant's session cookie, the CSRF token of
//! every form, the rate limit of form posts, and the Content-Security-Policy.
//!
//! - **Session**: the participant token (the same credential the JSON API takes as a bearer
//!   token) in an `HttpOnly`, `SameSite=Lax` cookie, `Secure` when the request came over HTTPS or
//!   the configuration says so. Until participants verify a phone number, the token is how one
//!   signs in again on another device.
//! - **CSRF**: signed double-submit. Each visitor gets a random `mk_csrf` cookie; the token in
//!   every form is an HMAC of it under a key derived from the server's signing key (so every
//!   instance that shares the key file accepts it, and a cookie planted from a sibling domain is
//!   useless without the key). A post whose token is missing or wrong is refused with 403 before
//!   anything is read or written.
//! - **Rate limit**: a small token bucket of our own per client address and per session, kept in
//!   this instance's memory. A crate such as tower_governor would key only by one extractor and
//!   answer in its own plain-text shape; ours checks both keys at once and answers with the
//!   portal's page in the visitor's language. Several instances each keep their own buckets, which
//!   only loosens the limit by the number of instances.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use hmac::{KeyInit, Mac};

use super::PortalState;
use super::view::{Lang, message, not_found_for};
use crate::state::AppState;
use crate::store::ParticipantRecord;

/// No script at all, styles only from our stylesheet (no `style=` attributes), images and forms
/// only to this host, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'none'; \
     style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// The participant's session cookie.
pub const SESSION_COOKIE: &str = "mk_session";
/// The random value CSRF tokens are derived from.
pub const CSRF_COOKIE: &str = "mk_csrf";
/// The form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// A CSRF seed made for a visitor who had none, set as a cookie on the way out.
#[derive(Clone)]
struct NewCsrfSeed(String);

/// The CSRF key and the form-post buckets of this instance.
pub struct Guard {
    csrf_key: [u8; 32],
    buckets: Mutex<HashMap<String, Bucket>>,
    burst: f64,
    refill: Duration,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Buckets kept before full ones are forgotten.
const MAX_BUCKETS: usize = 50_000;

impl Guard {
    pub fn new(app: &AppState) -> Self {
        let portal = &app.config.portal;
        Guard {
            csrf_key: app.signer.derived_secret("mosharekat portal csrf v1"),
            buckets: Mutex::new(HashMap::new()),
            burst: f64::from(portal.form_burst.max(1)),
            refill: portal.form_refill.max(Duration::from_millis(1)),
        }
    }

    fn mac(&self) -> hmac::Hmac<sha2::Sha256> {
        hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.csrf_key)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"))
    }

    /// The form token of a CSRF seed.
    pub fn csrf_token(&self, seed: &str) -> String {
        let mut mac = self.mac();
        mac.update(seed.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Whether `token` is the token of `seed` (compared in constant time).
    pub fn csrf_valid(&self, seed: &str, token: &str) -> bool {
        let Ok(token) = hex::decode(token.trim()) else {
            return false;
        };
        let mut mac = self.mac();
        mac.update(seed.as_bytes());
        !seed.is_empty() && mac.verify_slice(&token).is_ok()
    }

    /// Take one post from each key's bucket; false (and nothing taken) when any is empty.
    pub fn allow(&self, keys: &[String]) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > MAX_BUCKETS {
            let (burst, refill) = (self.burst, self.refill);
            buckets.retain(|_, b| refilled(*b, now, burst, refill) < burst);
        }
        let levels: Vec<f64> = keys
            .iter()
            .map(|k| {
                buckets
                    .get(k)
                    .map_or(self.burst, |b| refilled(*b, now, self.burst, self.refill))
            })
            .collect();
        if levels.iter().any(|level| *level < 1.0) {
            return false;
        }
        for (key, level) in keys.iter().zip(levels) {
            buckets.insert(
                key.clone(),
                Bucket {
                    tokens: level - 1.0,
                    at: now,
                },
            );
        }
        true
    }
}

fn refilled(bucket: Bucket, now: Instant, burst: f64, refill: Duration) -> f64 {
    let earned = now.duration_since(bucket.at).as_secs_f64() / refill.as_secs_f64();
    (bucket.tokens + earned).min(burst)
}

/// The value of cookie `name` in a request's headers.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value for the portal (`max_age` 0 removes it).
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// Whether cookies set for this request should be `Secure`.
fn secure(app: &AppState, headers: &HeaderMap) -> bool {
    app.config.portal.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// Middleware: a visitor without a CSRF cookie gets one (made here, seen by the handler, set on
/// the response).
pub async fn ensure_csrf_cookie(
    State(state): State<PortalState>,
    mut request: Request,
    next: Next,
) -> Response {
    // Only pages get one: the stylesheet, feeds and snippets are cached publicly.
    let needs_seed = cookie(request.headers(), CSRF_COOKIE).is_none()
        && Lang::of_path(request.uri().path()).is_some();
    let secure = secure(&state.app, request.headers());
    let seed = needs_seed.then(crate::auth::random_token);
    if let Some(seed) = &seed {
        request.extensions_mut().insert(NewCsrfSeed(seed.clone()));
    }
    let mut response = next.run(request).await;
    if let Some(seed) = seed {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(CSRF_COOKIE, &seed, 60 * 60 * 24 * 365, secure),
        );
    }
    response
}

/// Who is asking: the page's language, the signed-in participant, the CSRF seed, and the keys of
/// the rate limit. Extracting it answers 404 for a path outside `/fa/` and `/en/`.
pub struct Visitor {
    pub lang: Lang,
    /// The path after the language prefix, with the query (the language switch keeps it).
    pub rest: String,
    pub participant: Option<ParticipantRecord>,
    /// The participant token of the session cookie (when it named a participant).
    pub token: Option<String>,
    csrf_seed: String,
    guard: Option<std::sync::Arc<Guard>>,
    client: Option<std::net::IpAddr>,
    pub secure: bool,
}

impl Visitor {
    /// A visitor of a page outside the portal's paths (no session, no forms).
    pub fn anonymous(lang: Lang) -> Self {
        Visitor {
            lang,
            rest: "/".into(),
            participant: None,
            token: None,
            csrf_seed: String::new(),
            guard: None,
            client: None,
            secure: false,
        }
    }

    /// The client's address (the key of the per-address limits).
    pub fn client(&self) -> Option<std::net::IpAddr> {
        self.client
    }

    /// The CSRF token this visitor's forms carry.
    pub fn csrf_token(&self) -> String {
        match &self.guard {
            Some(guard) if !self.csrf_seed.is_empty() => guard.csrf_token(&self.csrf_seed),
            _ => String::new(),
        }
    }

    /// The checks every form post passes before it is read: the rate limit (429), then the CSRF
    /// token (403). A refusal is the page to answer; `None`: go on.
    pub fn refuse_post(&self, token: &str) -> Option<Response> {
        let Some(guard) = &self.guard else {
            return Some(self.forbidden());
        };
        let mut keys = Vec::with_capacity(2);
        if let Some(client) = self.client {
            keys.push(format!("ip:{client}"));
        }
        if let Some(participant) = &self.participant {
            keys.push(format!("participant:{}", participant.id));
        } else if !self.csrf_seed.is_empty() {
            keys.push(format!(
                "visitor:{}",
                crate::auth::token_hash(&self.csrf_seed)
            ));
        }
        if !guard.allow(&keys) {
            return Some(message(
                self,
                StatusCode::TOO_MANY_REQUESTS,
                "portal.too_many.title",
                "portal.too_many.body",
            ));
        }
        if !guard.csrf_valid(&self.csrf_seed, token) {
            return Some(self.forbidden());
        }
        None
    }

    fn forbidden(&self) -> Response {
        message(
            self,
            StatusCode::FORBIDDEN,
            "portal.forbidden.title",
            "portal.forbidden.body",
        )
    }

    /// A path of this visitor's language.
    pub fn href(&self, rest: &str) -> String {
        format!("/{}{rest}", self.lang.code())
    }
}

/// The client's address: the peer's, or behind a trusted proxy the last address it appended to
/// `X-Forwarded-For` (earlier entries are the client's own say and could be anything).
pub(crate) fn client_address(app: &AppState, parts: &Parts) -> Option<std::net::IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if !app.config.portal.trust_proxy {
        return peer;
    }
    parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .next_back()
        .or(peer)
}

impl FromRequestParts<PortalState> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &PortalState,
    ) -> Result<Self, Self::Rejection> {
        let path = parts.uri.path();
        let Some(lang) = Lang::of_path(path) else {
            return Err(not_found_for(&parts.headers, Lang::Fa));
        };
        let mut rest = path[1 + lang.code().len()..].to_owned();
        if rest.is_empty() {
            rest.push('/');
        }
        if let Some(query) = parts.uri.query() {
            rest.push('?');
            rest.push_str(query);
        }
        let csrf_seed = parts
            .extensions
            .get::<NewCsrfSeed>()
            .map(|s| s.0.clone())
            .or_else(|| cookie(&parts.headers, CSRF_COOKIE).map(str::to_owned))
            .unwrap_or_default();
        let token = cookie(&parts.headers, SESSION_COOKIE).map(str::to_owned);
        let participant = match &token {
            Some(token) => state
                .app
                .store
                .participant_by_token(&crate::auth::token_hash(token))
                .await
                .map_err(|e| super::view::server_error(&Visitor::anonymous(lang), e))?,
            None => None,
        };
        Ok(Visitor {
            lang,
            rest,
            token: participant.as_ref().and(token),
            participant,
            csrf_seed,
            guard: Some(state.guard.clone()),
            client: client_address(&state.app, parts),
            secure: secure(&state.app, &parts.headers),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(burst: u32, refill: Duration) -> Guard {
        Guard {
            csrf_key: [7; 32],
            buckets: Mutex::new(HashMap::new()),
            burst: f64::from(burst),
            refill,
        }
    }

    #[test]
    fn a_csrf_token_belongs_to_its_seed() {
        let g = guard(1, Duration::from_secs(1));
        let token = g.csrf_token("seed-a");
        assert!(g.csrf_valid("seed-a", &token));
        assert!(!g.csrf_valid("seed-b", &token));
        assert!(!g.csrf_valid("seed-a", ""));
        assert!(!g.csrf_valid("seed-a", "not hex"));
        assert!(!g.csrf_valid("", &g.csrf_token("")));
        let other = Guard {
            csrf_key: [8; 32],
            ..guard(1, Duration::from_secs(1))
        };
        assert!(!other.csrf_valid("seed-a", &token));
    }

    #[test]
    fn buckets_empty_and_every_key_must_allow() {
        let g = guard(2, Duration::from_secs(3600));
        let a = vec!["ip:1".to_owned(), "visitor:x".to_owned()];
        assert!(g.allow(&a));
        assert!(g.allow(&a));
        assert!(!g.allow(&a), "the third post within the burst is refused");
        // Same address, another session: the address's bucket is empty too.
        assert!(!g.allow(&["ip:1".to_owned(), "visitor:y".to_owned()]));
        // Another address and session are not affected.
        assert!(g.allow(&["ip:2".to_owned(), "visitor:z".to_owned()]));
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; mk_csrf=abc ; mk_session="),
        );
        assert_eq!(cookie(&headers, "mk_csrf"), Some("abc"));
        assert_eq!(cookie(&headers, "mk_session"), None);
        assert_eq!(cookie(&headers, "b"), None);
    }
}

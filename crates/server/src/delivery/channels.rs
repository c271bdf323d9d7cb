//! Sending one message through its channel, and reading what the receiver answered.
//!
//! - **Webhook**: `POST` the participant's URL with a JSON [`WebhookPayload`], headers
//!   `Idempotency-Key` and `X-Mosharekat-Signature: sha256=<hex HMAC-SHA256 of the body>`.
//! - **Bale** (Telegram-compatible Bot API): `POST {base}/bot{token}/sendMessage` with JSON
//!   `{chat_id, text}`.
//! - **Eitaa** (eitaayar bot API): `POST {base}/api/{token}/sendMessage` with the form fields
//!   `chat_id` and `text`.
//!
//! The bot APIs have no idempotency field, so the key travels in the `Idempotency-Key` header (for
//! gateways that honour it) and at the end of the text as the message's reference (not on a call
//! posted to the ministry's public channel).

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{KeyInit, Mac};
use mosharekat_api::outbox::SIGNATURE_HEADER;
use mosharekat_api::{Channel, WebhookPayload};

use crate::config::DeliveryConfig;
use crate::store::DueMessage;

/// How an attempt ended, before the worker turns it into a retry time or a dead message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    Delivered,
    /// Worth trying again; `after` is what the receiver asked for (`Retry-After`).
    Failed {
        after: Option<Duration>,
        error: String,
    },
    /// Refused for good (a bad address, a blocked bot, a 4xx other than 408, 425 and 429).
    Refused {
        error: String,
    },
}

/// `sha256=<hex HMAC-SHA256 of body under secret>`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Sends messages over HTTP with one client (connections are reused across messages).
pub struct Sender {
    client: reqwest::Client,
    config: DeliveryConfig,
}

impl Sender {
    pub fn new(config: DeliveryConfig) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(config.send_timeout)
            .connect_timeout(config.send_timeout.min(Duration::from_secs(10)))
            // A redirect could lead a webhook anywhere; a receiver that moved is refused instead.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("mosharekat/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { client, config })
    }

    pub async fn send(&self, message: &DueMessage, now: DateTime<Utc>) -> SendOutcome {
        let request = match self.request(message).await {
            Ok(request) => request,
            Err(outcome) => return outcome,
        };
        let is_bot_api = message.channel != Channel::Webhook;
        match request
            .header("Idempotency-Key", &message.idempotency_key)
            .send()
            .await
        {
            Ok(response) => {
                let status = response.status().as_u16();
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| super::backoff::parse_retry_after(v, now));
                let body = response.bytes().await.unwrap_or_default();
                classify(status, retry_after, &body, is_bot_api)
            }
            // Without the URL: a bot URL carries its token.
            Err(e) => SendOutcome::Failed {
                after: None,
                error: e.without_url().to_string(),
            },
        }
    }

    async fn request(&self, message: &DueMessage) -> Result<reqwest::RequestBuilder, SendOutcome> {
        let not_configured = |what: &str| SendOutcome::Failed {
            after: None,
            error: format!("{what} is not configured on this server"),
        };
        // A call posted to the ministry's public channel (no participant) goes as written; a
        // message to a person ends with its reference.
        let text = match message.participant_id {
            None => message.text.clone(),
            Some(_) => super::messages::with_reference(
                &message.text,
                &message.idempotency_key,
                message.language,
            ),
        };
        match message.channel {
            Channel::Webhook => {
                let secret = self
                    .config
                    .webhook_secret
                    .as_ref()
                    .map(crate::config::Secret::expose)
                    .ok_or_else(|| not_configured("the webhook secret"))?;
                let url = self.webhook_url(&message.handle).await?;
                let payload = WebhookPayload {
                    idempotency_key: message.idempotency_key.clone(),
                    kind: message.kind,
                    consultation_id: message.consultation_id,
                    subject_id: message.subject_id,
                    language: message.language,
                    text: message.text.clone(),
                    created_at: message.created_at,
                };
                let body = serde_json::to_vec(&payload).map_err(|e| SendOutcome::Refused {
                    error: e.to_string(),
                })?;
                Ok(self
                    .client
                    .post(url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .header(SIGNATURE_HEADER, signature(secret, &body))
                    .body(body))
            }
            Channel::Bale => {
                let token = self
                    .config
                    .bale_token
                    .as_ref()
                    .map(crate::config::Secret::expose)
                    .ok_or_else(|| not_configured("Bale"))?;
                let url = format!(
                    "{}/bot{token}/sendMessage",
                    self.config.bale_base_url.trim_end_matches('/')
                );
                Ok(self
                    .client
                    .post(url)
                    .json(&serde_json::json!({"chat_id": message.handle, "text": text})))
            }
            Channel::Eitaa => {
                let token = self
                    .config
                    .eitaa_token
                    .as_ref()
                    .map(crate::config::Secret::expose)
                    .ok_or_else(|| not_configured("Eitaa"))?;
                let url = format!(
                    "{}/api/{token}/sendMessage",
                    self.config.eitaa_base_url.trim_end_matches('/')
                );
                Ok(self.client.post(url).form(&[
                    ("chat_id", message.handle.as_str()),
                    ("text", text.as_str()),
                ]))
            }
        }
    }

    /// The participant's webhook URL, if it is one the server may call.
    async fn webhook_url(&self, handle: &str) -> Result<reqwest::Url, SendOutcome> {
        let refused = |error: String| SendOutcome::Refused { error };
        let url = reqwest::Url::parse(handle.trim())
            .map_err(|e| refused(format!("the webhook address is not a URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(refused("a webhook address is an http(s) URL".into()));
        }
        if self.config.allow_private_webhooks {
            return Ok(url);
        }
        let host = url
            .host_str()
            .ok_or_else(|| refused("the webhook address has no host".into()))?;
        let port = url.port_or_known_default().unwrap_or(443);
        let addresses: Vec<IpAddr> = match host
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<IpAddr>()
        {
            Ok(ip) => vec![ip],
            Err(_) => tokio::net::lookup_host((host, port))
                .await
                .map_err(|e| SendOutcome::Failed {
                    after: None,
                    error: format!("the webhook host could not be resolved: {e}"),
                })?
                .map(|a| a.ip())
                .collect(),
        };
        if let Some(ip) = addresses.iter().find(|ip| !is_public(ip)) {
            return Err(refused(format!(
                "the webhook address resolves to {ip}, which is not a public address"
            )));
        }
        Ok(url)
    }
}

/// Whether an address is on the public internet (not loopback, private, link-local, shared,
/// documentation, multicast or unspecified).
pub fn is_public(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || a == 0
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(&IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Read an answer. For the bot APIs a `200` whose JSON says `"ok": false` is a failure with the
/// `error_code` it gives, and `parameters.retry_after` counts like a `Retry-After` header.
pub fn classify(
    status: u16,
    retry_after: Option<Duration>,
    body: &[u8],
    is_bot_api: bool,
) -> SendOutcome {
    let mut status = status;
    let mut retry_after = retry_after;
    let mut description = None;
    if is_bot_api && let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
        if json.get("ok") == Some(&serde_json::Value::Bool(false)) {
            status = json
                .get("error_code")
                .and_then(|c| c.as_u64())
                .and_then(|c| u16::try_from(c).ok())
                .filter(|c| *c >= 400)
                .unwrap_or(if status < 400 { 400 } else { status });
        }
        description = json
            .get("description")
            .and_then(|d| d.as_str())
            .map(str::to_owned);
        if retry_after.is_none() {
            retry_after = json
                .pointer("/parameters/retry_after")
                .and_then(|s| s.as_u64())
                .map(|s| Duration::from_secs(s).min(super::backoff::MAX_RETRY_AFTER));
        }
    }
    let error = || {
        let detail = description
            .clone()
            .unwrap_or_else(|| String::from_utf8_lossy(body).trim().to_owned());
        let detail: String = detail.chars().take(300).collect();
        if detail.is_empty() {
            format!("HTTP {status}")
        } else {
            format!("HTTP {status}: {detail}")
        }
    };
    match status {
        200..=299 => SendOutcome::Delivered,
        429 => SendOutcome::Failed {
            after: retry_after,
            error: error(),
        },
        408 | 425 | 500..=599 => SendOutcome::Failed {
            after: None,
            error: error(),
        },
        _ => SendOutcome::Refused { error: error() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_hex() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn answers_are_read_per_status() {
        assert_eq!(classify(200, None, b"", false), SendOutcome::Delivered);
        assert_eq!(classify(204, None, b"", false), SendOutcome::Delivered);
        assert_eq!(
            classify(429, Some(Duration::from_secs(30)), b"slow down", false),
            SendOutcome::Failed {
                after: Some(Duration::from_secs(30)),
                error: "HTTP 429: slow down".into()
            }
        );
        assert!(matches!(
            classify(503, None, b"", false),
            SendOutcome::Failed { after: None, .. }
        ));
        assert!(matches!(
            classify(404, None, b"", false),
            SendOutcome::Refused { .. }
        ));
        assert!(matches!(
            classify(301, None, b"", false),
            SendOutcome::Refused { .. }
        ));
    }

    #[test]
    fn bot_api_errors_come_in_the_body() {
        let too_many =
            br#"{"ok":false,"error_code":429,"description":"Too Many Requests","parameters":{"retry_after":7}}"#;
        assert_eq!(
            classify(429, None, too_many, true),
            SendOutcome::Failed {
                after: Some(Duration::from_secs(7)),
                error: "HTTP 429: Too Many Requests".into()
            }
        );
        let blocked =
            br#"{"ok":false,"error_code":403,"description":"bot was blocked by the user"}"#;
        assert!(matches!(
            classify(200, None, blocked, true),
            SendOutcome::Refused { .. }
        ));
        assert_eq!(
            classify(200, None, br#"{"ok":true,"result":{}}"#, true),
            SendOutcome::Delivered
        );
    }

    #[test]
    fn only_public_addresses_are_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "169.254.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(&ip.parse().unwrap()), "{ip}");
        }
        for ip in ["185.143.232.1", "8.8.8.8", "2a01:4f8::1"] {
            assert!(is_public(&ip.parse().unwrap()), "{ip}");
        }
    }
}

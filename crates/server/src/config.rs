//! Server settings.

use std::net::SocketAddr;

use chrono::Duration;

use crate::clock::Clock;

#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// `sqlite://path/to/file.db` or `postgres://…`.
    pub database_url: String,
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// An open consultation is flagged `closing_soon` within this many days of its deadline.
    pub closing_soon_days: i64,
    /// The report is due this many days after a consultation closes.
    pub report_due_days: i64,
    /// How long a claim holds a comment before it returns to the queue.
    pub claim_lease: Duration,
    /// How long a staff login lasts.
    pub session_ttl: Duration,
    /// How often the scheduler announces status changes.
    pub scheduler_interval: std::time::Duration,
    pub clock: Clock,
    /// Feedback delivery through messengers and webhooks.
    pub delivery: DeliveryConfig,
    /// Points of the digital-citizen score (`scoring.toml`; the shipped rules unless replaced).
    pub scoring: crate::incentives::ScoringRules,
    /// The certificate signing key's file (made at first start, mode 0600). `None`: next to the
    /// SQLite database file (`<db>.signing-key`), or, with PostgreSQL, a key kept in memory only
    /// (certificates issued then cannot be verified after a restart: set a path in production).
    pub signing_key: Option<std::path::PathBuf>,
    /// The citizen portal (`/fa/…`, `/en/…`).
    pub portal: PortalConfig,
}

impl ServerConfig {
    /// Where the signing key lives: the configured file, or next to a SQLite database file.
    pub fn signing_key_path(&self) -> Option<std::path::PathBuf> {
        if let Some(path) = &self.signing_key {
            return Some(path.clone());
        }
        let file = self.database_url.strip_prefix("sqlite://")?;
        let file = file.split('?').next().unwrap_or(file);
        if file.is_empty() || file.contains(":memory:") {
            return None;
        }
        Some(std::path::PathBuf::from(format!("{file}.signing-key")))
    }

    pub fn new(database_url: impl Into<String>, listen: SocketAddr) -> Self {
        Self {
            database_url: database_url.into(),
            listen,
            closing_soon_days: 3,
            report_due_days: 30,
            claim_lease: Duration::minutes(5),
            session_ttl: Duration::hours(12),
            scheduler_interval: std::time::Duration::from_secs(1),
            clock: Clock::system(),
            delivery: DeliveryConfig::default(),
            scoring: crate::incentives::ScoringRules::default(),
            signing_key: None,
            portal: PortalConfig::default(),
        }
    }
}

/// The citizen portal's settings.
#[derive(Clone, Debug)]
pub struct PortalConfig {
    /// The portal's public address (`https://participation.example.ir`), for the absolute links
    /// of feeds, the sitemap, the calendar and the embeddable call block. Unset: taken from each
    /// request's `Host` (and `X-Forwarded-Proto`), which is right when nothing rewrites them.
    pub public_url: Option<String>,
    /// Mark the portal's cookies `Secure` even when no proxy says the request came over HTTPS
    /// (`X-Forwarded-Proto: https` always does). Set it whenever the portal is public.
    pub secure_cookies: bool,
    /// The portal is behind a reverse proxy that appends the client's address to
    /// `X-Forwarded-For`: the rate limit keys by that address rather than the proxy's. Leave it
    /// off when clients reach the backend directly (they could write the header themselves).
    pub trust_proxy: bool,
    /// Form posts a client may send at once, per client address and per session…
    pub form_burst: u32,
    /// …and how often one more is allowed after that.
    pub form_refill: std::time::Duration,
}

impl Default for PortalConfig {
    fn default() -> Self {
        Self {
            public_url: None,
            secure_cookies: false,
            trust_proxy: false,
            form_burst: 20,
            form_refill: std::time::Duration::from_secs(3),
        }
    }
}

/// Where and how feedback messages are delivered. A channel is used only when it is configured
/// (Bale and Eitaa need a bot token, webhooks a signing secret); messages for the others wait in
/// the outbox until it is.
#[derive(Clone, Debug)]
pub struct DeliveryConfig {
    /// Run the delivery worker in this instance (several instances may run one each).
    pub enabled: bool,
    /// Bale's Telegram-compatible Bot API: `POST {bale_base_url}/bot{token}/sendMessage`.
    pub bale_base_url: String,
    pub bale_token: Option<String>,
    /// Eitaa's bot API (eitaayar): `POST {eitaa_base_url}/api/{token}/sendMessage`.
    pub eitaa_base_url: String,
    pub eitaa_token: Option<String>,
    /// Key of the HMAC-SHA256 signature on every webhook body.
    pub webhook_secret: Option<String>,
    /// Let webhooks reach loopback, private and link-local addresses. Off by default: a
    /// participant's URL must not turn the server against its own network.
    pub allow_private_webhooks: bool,
    /// A message is dead after this many failed attempts.
    pub max_attempts: i64,
    /// Backoff before attempt n+1 is drawn from zero to `min(backoff_cap, backoff_base × 2^(n−1))`.
    pub backoff_base: std::time::Duration,
    pub backoff_cap: std::time::Duration,
    /// How often the worker looks for due messages when it found none.
    pub poll_interval: std::time::Duration,
    /// Messages claimed at once, and sent at once.
    pub batch: u32,
    pub concurrency: usize,
    /// How long one send may take.
    pub send_timeout: std::time::Duration,
    /// How long a claimed message is held before another worker (or this one after a restart) may
    /// send it again. Longer than `send_timeout`.
    pub hold: std::time::Duration,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            bale_base_url: "https://tapi.bale.ai".into(),
            bale_token: None,
            eitaa_base_url: "https://eitaayar.ir".into(),
            eitaa_token: None,
            webhook_secret: None,
            allow_private_webhooks: false,
            max_attempts: 8,
            backoff_base: std::time::Duration::from_secs(2),
            backoff_cap: std::time::Duration::from_secs(3600),
            poll_interval: std::time::Duration::from_secs(1),
            batch: 50,
            concurrency: 8,
            send_timeout: std::time::Duration::from_secs(30),
            hold: std::time::Duration::from_secs(90),
        }
    }
}

impl DeliveryConfig {
    /// The defaults, with what the environment sets: `MOSHAREKAT_BALE_TOKEN`,
    /// `MOSHAREKAT_BALE_BASE_URL`, `MOSHAREKAT_EITAA_TOKEN`, `MOSHAREKAT_EITAA_BASE_URL`,
    /// `MOSHAREKAT_WEBHOOK_SECRET`, `MOSHAREKAT_DELIVERY_MAX_ATTEMPTS`.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Self::from_env`] over any source of variables.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let mut config = Self::default();
        let set = |name: &str| {
            var(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        if let Some(v) = set("MOSHAREKAT_BALE_BASE_URL") {
            config.bale_base_url = v;
        }
        if let Some(v) = set("MOSHAREKAT_EITAA_BASE_URL") {
            config.eitaa_base_url = v;
        }
        config.bale_token = set("MOSHAREKAT_BALE_TOKEN");
        config.eitaa_token = set("MOSHAREKAT_EITAA_TOKEN");
        config.webhook_secret = set("MOSHAREKAT_WEBHOOK_SECRET");
        if let Some(v) = set("MOSHAREKAT_DELIVERY_MAX_ATTEMPTS") {
            config.max_attempts = v.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                anyhow::anyhow!(
                    "MOSHAREKAT_DELIVERY_MAX_ATTEMPTS must be a whole number of at least 1"
                )
            })?;
        }
        Ok(config)
    }

    /// The channels this instance can deliver through.
    pub fn channels(&self) -> Vec<mosharekat_api::Channel> {
        use mosharekat_api::Channel;
        let mut channels = Vec::new();
        if self.bale_token.is_some() {
            channels.push(Channel::Bale);
        }
        if self.eitaa_token.is_some() {
            channels.push(Channel::Eitaa);
        }
        if self.webhook_secret.is_some() {
            channels.push(Channel::Webhook);
        }
        channels
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mosharekat_api::Channel;

    #[test]
    fn channels_follow_their_credentials() {
        let none = DeliveryConfig::from_vars(|_| None).unwrap();
        assert!(none.channels().is_empty());
        let vars = |name: &str| match name {
            "MOSHAREKAT_BALE_TOKEN" => Some("123:abc".to_owned()),
            "MOSHAREKAT_WEBHOOK_SECRET" => Some("s3cret".to_owned()),
            "MOSHAREKAT_EITAA_TOKEN" => Some("  ".to_owned()),
            "MOSHAREKAT_DELIVERY_MAX_ATTEMPTS" => Some("3".to_owned()),
            _ => None,
        };
        let some = DeliveryConfig::from_vars(vars).unwrap();
        assert_eq!(some.channels(), vec![Channel::Bale, Channel::Webhook]);
        assert_eq!(some.max_attempts, 3);
        let zero = |n: &str| (n == "MOSHAREKAT_DELIVERY_MAX_ATTEMPTS").then(|| "0".to_owned());
        assert!(DeliveryConfig::from_vars(zero).is_err());
    }
}

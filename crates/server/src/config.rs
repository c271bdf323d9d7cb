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
    /// The name certificates are issued under (the credential's `issuer.name`, shown on the
    /// portal's verification page and by `mosharekat certificate verify`).
    pub issuer_name: String,
    /// The SMS gateway that sends participants their one-time codes.
    pub sms: SmsConfig,
    /// Verified participants: one-time codes and the key phone numbers are hashed under.
    pub verification: VerificationConfig,
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
            issuer_name: crate::incentives::credential::DEFAULT_ISSUER_NAME.into(),
            sms: SmsConfig::default(),
            verification: VerificationConfig::default(),
        }
    }
}

/// A credential (a bot token, a signing secret, an API key): its `Debug` and `Display` show
/// `••••`, so a configuration printed or logged whole never shows it. [`Secret::expose`] gives the
/// value to the one place that sends it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the request that carries it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What is shown in its place.
    pub const MASK: &'static str = "••••";
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({})", Self::MASK)
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(Self::MASK)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

/// The SMS gateways the server can send through (their verify/lookup template calls).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmsProvider {
    /// Kavenegar (`https://api.kavenegar.com/v1/{key}/verify/lookup.json`).
    Kavenegar,
    /// SMS.ir (`https://api.sms.ir/v1/send/verify`, the key in the `x-api-key` header).
    SmsIr,
}

impl SmsProvider {
    pub const ALL: [SmsProvider; 2] = [SmsProvider::Kavenegar, SmsProvider::SmsIr];

    pub fn as_str(self) -> &'static str {
        match self {
            SmsProvider::Kavenegar => "kavenegar",
            SmsProvider::SmsIr => "smsir",
        }
    }

    /// The gateway's address when none is configured.
    pub fn default_base_url(self) -> &'static str {
        match self {
            SmsProvider::Kavenegar => "https://api.kavenegar.com",
            SmsProvider::SmsIr => "https://api.sms.ir",
        }
    }
}

impl std::str::FromStr for SmsProvider {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| format!("unknown SMS provider `{s}`: expected kavenegar or smsir"))
    }
}

/// The SMS gateway for one-time codes and notices. Unset provider: no SMS is sent.
#[derive(Clone, Debug, Default)]
pub struct SmsConfig {
    pub provider: Option<SmsProvider>,
    /// The gateway's API key (Kavenegar: part of the path; SMS.ir: the `x-api-key` header).
    pub api_key: Option<Secret>,
    /// The gateway's address; `None`: the provider's own ([`SmsProvider::default_base_url`]).
    pub base_url: Option<String>,
    /// The template the gateway fills with the code (Kavenegar's template name, SMS.ir's
    /// template id).
    pub template: Option<String>,
    /// With no provider: send nothing and give each one-time code back in the answer, for the
    /// portal to show with a "demo only" notice. Only the console's embedded demo turns it on;
    /// `serve` has no setting for it.
    pub demo: bool,
}

impl SmsConfig {
    /// The address requests go to: the configured one, or the provider's own.
    pub fn base_url(&self) -> Option<&str> {
        self.base_url
            .as_deref()
            .or_else(|| self.provider.map(SmsProvider::default_base_url))
    }
}

/// How the Bale bot's updates are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BotUpdates {
    /// A webhook when the portal has a public base URL, else long polling.
    #[default]
    Auto,
    /// `setWebhook` with `{public base URL}/api/v1/bale/webhook` (needs the public base URL).
    Webhook,
    /// `getUpdates`, even with a public base URL.
    Polling,
    /// Not in this instance (another one reads them).
    Off,
}

impl BotUpdates {
    pub const ALL: [BotUpdates; 4] = [
        BotUpdates::Auto,
        BotUpdates::Webhook,
        BotUpdates::Polling,
        BotUpdates::Off,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BotUpdates::Auto => "auto",
            BotUpdates::Webhook => "webhook",
            BotUpdates::Polling => "polling",
            BotUpdates::Off => "off",
        }
    }
}

impl std::str::FromStr for BotUpdates {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!("unknown way to read the bot's updates `{s}`: expected auto, webhook, polling or off")
            })
    }
}

/// Verified participants: how one-time codes are limited, and the key numbers are hashed under.
#[derive(Clone, Debug)]
pub struct VerificationConfig {
    /// The HMAC-SHA256 key phone numbers (and codes) are hashed under. Unset: one derived from
    /// the certificate signing key (said in the log at start). Changing it makes every verified
    /// number unknown: its owner registers again.
    pub phone_key: Option<Secret>,
    /// Registration without a verified number is refused (otherwise it makes an unverified
    /// participant, who may comment but not vote nor earn certificates).
    pub required: bool,
    /// How long a code may be used.
    pub code_ttl: Duration,
    /// The least time between two codes to one number.
    pub resend_after: Duration,
    /// Codes one number may be sent within `sends_window`.
    pub max_sends: i64,
    pub sends_window: Duration,
    /// Wrong codes accepted before the code is void.
    pub max_wrong_tries: i64,
    /// Codes one client address may ask for within `address_window` (kept in this instance's
    /// memory; mobile carriers put many people behind one address, so keep it generous).
    pub address_limit: u32,
    pub address_window: Duration,
}

impl Default for VerificationConfig {
    fn default() -> Self {
        Self {
            phone_key: None,
            required: false,
            code_ttl: Duration::minutes(5),
            resend_after: Duration::seconds(60),
            max_sends: 10,
            sends_window: Duration::hours(24),
            max_wrong_tries: 5,
            address_limit: 20,
            address_window: Duration::minutes(10),
        }
    }
}

impl VerificationConfig {
    /// The limits the store applies.
    pub fn limits(&self) -> crate::store::CodeLimits {
        crate::store::CodeLimits {
            ttl: self.code_ttl,
            resend_after: self.resend_after,
            max_sends: self.max_sends,
            sends_window: self.sends_window,
            max_wrong_tries: self.max_wrong_tries,
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
    pub bale_token: Option<Secret>,
    /// How this instance reads the Bale bot's updates (when a Bale token is set). With polling,
    /// let one instance only do it (Bale serves one poller at a time).
    pub bot_updates: BotUpdates,
    /// The ministry's Bale channel (`@name` or its numeric id), where calls for participation are
    /// posted (with the Bale token: the bot is an administrator of the channel). Unset, no call is
    /// posted to Bale.
    pub bale_channel: Option<String>,
    /// Eitaa's bot API (eitaayar): `POST {eitaa_base_url}/api/{token}/sendMessage`.
    pub eitaa_base_url: String,
    pub eitaa_token: Option<Secret>,
    /// The ministry's Eitaa channel, as [`DeliveryConfig::bale_channel`] for Bale.
    pub eitaa_channel: Option<String>,
    /// Key of the HMAC-SHA256 signature on every webhook body.
    pub webhook_secret: Option<Secret>,
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
            bot_updates: BotUpdates::Auto,
            bale_channel: None,
            eitaa_base_url: "https://eitaayar.ir".into(),
            eitaa_token: None,
            eitaa_channel: None,
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
        let mut config = DeliveryConfig::default();
        assert!(config.channels().is_empty());
        config.bale_token = Some("123:abc".into());
        config.webhook_secret = Some("s3cret".into());
        assert_eq!(config.channels(), vec![Channel::Bale, Channel::Webhook]);
        config.eitaa_token = Some("e".into());
        assert_eq!(
            config.channels(),
            vec![Channel::Bale, Channel::Eitaa, Channel::Webhook]
        );
    }

    #[test]
    fn secrets_never_show_in_debug_or_display() {
        let mut config = ServerConfig::new("sqlite::memory:", "127.0.0.1:0".parse().unwrap());
        config.delivery.bale_token = Some("123:bale-token-value".into());
        config.delivery.webhook_secret = Some("webhook-secret-value".into());
        config.sms.api_key = Some("sms-key-value".into());
        let shown = format!("{config:?} {config:#?}");
        for secret in ["bale-token-value", "webhook-secret-value", "sms-key-value"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains(Secret::MASK));
        assert_eq!(Secret::from("x").to_string(), Secret::MASK);
        assert_eq!(Secret::from("x").expose(), "x");
    }

    #[test]
    fn bot_update_modes_are_named() {
        assert_eq!("Polling".parse(), Ok(BotUpdates::Polling));
        assert_eq!(" off ".parse(), Ok(BotUpdates::Off));
        assert!(
            "push"
                .parse::<BotUpdates>()
                .unwrap_err()
                .contains("auto, webhook")
        );
    }

    #[test]
    fn sms_providers_are_named() {
        assert_eq!("kavenegar".parse(), Ok(SmsProvider::Kavenegar));
        assert_eq!(" SMSIR".parse(), Ok(SmsProvider::SmsIr));
        let err = "twilio".parse::<SmsProvider>().unwrap_err();
        assert!(err.contains("kavenegar or smsir"), "{err}");
    }
}

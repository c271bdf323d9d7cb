//! The Bale bot: participants link a chat with `/start <code>` (the code from
//! `POST /public/messenger-links` or their page on the portal), then use its commands — `/calls`
//! (فراخوان‌ها), `/mine` (نظرهای من), `/stop` (توقف), `/help` — and comment on an open call by
//! replying to the call's message. Feedback messages (the outbox) go only to linked, running chats.
//!
//! Updates arrive one of the two ways Bale offers (`DeliveryConfig::bot_updates`; by default the
//! first when the portal has a public base URL, else the second):
//! - **webhook**: at start the server calls `setWebhook`
//!   with `{public}/api/v1/bale/webhook` and a secret token derived from the bot token; Bale then
//!   posts each update there with the header `X-Telegram-Bot-Api-Secret-Token`, and a request
//!   without the right one is refused (`401`) before anything is read;
//! - **long polling**: `deleteWebhook`, then `getUpdates` from the offset after the last
//!   update handled, with a growing pause after errors.
//!
//! Every update is handled once: its id is recorded first (`bot_updates`), so a webhook retry or a
//! second instance polling the same bot changes nothing. Bale (like Telegram) lets one poller at a
//! time read a bot's updates; run polling in one instance, or configure the public base URL.

pub mod api;
mod commands;

use std::sync::Arc;
use std::time::Duration;

use hmac::{KeyInit, Mac};
use mosharekat_api::Channel;
use tokio::sync::{OnceCell, watch};

use crate::config::DeliveryConfig;
use crate::state::AppState;
use api::{ApiFailure, BotApi, Update};

/// The header Bale sends a webhook's secret token in (Telegram's name).
pub const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

/// The host of Bale's deep links: `https://ble.ir/<bot username>?start=<code>`.
pub const DEEP_LINK_BASE: &str = "https://ble.ir";

/// How long a link code works.
pub const LINK_CODE_TTL: chrono::Duration = chrono::Duration::minutes(30);

/// The longest pause between failed `getUpdates` (or `setWebhook`) calls.
const MAX_POLL_PAUSE: Duration = Duration::from_secs(60);

/// How long one `getUpdates` waits for an update.
const POLL_WAIT: Duration = Duration::from_secs(25);

/// A configured bot: its API client, and its username once Bale has told it.
pub struct Bot {
    pub api: BotApi,
    username: OnceCell<String>,
    secret: String,
    /// Pause after a failed `getUpdates`, doubled up to `poll_backoff_cap`.
    pub poll_backoff: Duration,
    pub poll_backoff_cap: Duration,
    /// How long one `getUpdates` waits.
    pub poll_wait: Duration,
}

impl Bot {
    /// The bot of a delivery configuration with a Bale token; `None` without one.
    pub fn from_config(config: &DeliveryConfig) -> anyhow::Result<Option<Self>> {
        let Some(token) = &config.bale_token else {
            return Ok(None);
        };
        Ok(Some(Self {
            api: BotApi::new(&config.bale_base_url, token.clone(), config.send_timeout)?,
            username: OnceCell::new(),
            secret: webhook_secret(token.expose()),
            poll_backoff: config.backoff_base,
            // A bot deaf for an hour after an outage is worse than a few more calls.
            poll_backoff_cap: config.backoff_cap.min(MAX_POLL_PAUSE),
            poll_wait: POLL_WAIT,
        }))
    }

    /// The bot's username (`getMe`, asked once).
    pub async fn username(&self) -> Result<&str, ApiFailure> {
        self.username
            .get_or_try_init(|| async {
                let me = self.api.get_me().await?;
                me.username.ok_or_else(|| ApiFailure {
                    message: "getMe: the bot has no username".into(),
                    retry_after: None,
                })
            })
            .await
            .map(String::as_str)
    }

    /// Whether a webhook request carries the secret token this server registered.
    pub fn secret_matches(&self, given: Option<&[u8]>) -> bool {
        // Compared in constant time: the answer's timing tells nothing about the secret.
        given.is_some_and(|g| {
            g.len() == self.secret.len()
                && g.iter()
                    .zip(self.secret.as_bytes())
                    .fold(0u8, |diff, (a, b)| diff | (a ^ b))
                    == 0
        })
    }
}

/// Why a link code could not be made.
#[derive(Debug, thiserror::Error)]
pub enum LinkCodeError {
    /// Bale did not tell the bot's username.
    #[error("{0}")]
    Bale(#[from] ApiFailure),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
}

/// A new one-time code linking a Bale chat to the participant (their earlier code stops working),
/// and the bot's deep link carrying it.
pub async fn new_link_code(
    state: &AppState,
    bot: &Bot,
    participant_id: i64,
) -> Result<mosharekat_api::MessengerLink, LinkCodeError> {
    let username = bot.username().await?;
    // 20 hex characters: within the deep link's 64 of `A-Za-z0-9_-`, and short enough to type.
    let code = crate::auth::random_token()[..20].to_owned();
    let now = state.now();
    let expires_at = now + LINK_CODE_TTL;
    state
        .store
        .create_link_code(
            participant_id,
            Channel::Bale,
            &crate::auth::token_hash(&code),
            now,
            expires_at,
        )
        .await?;
    Ok(mosharekat_api::MessengerLink {
        channel: Channel::Bale,
        url: format!("{DEEP_LINK_BASE}/{username}?start={code}"),
        code,
        expires_at,
    })
}

/// The webhook's secret token: HMAC-SHA256 of a fixed label under the bot token, in hex (Bale and
/// Telegram take 1–256 characters of `A-Z a-z 0-9 _ -`). Every instance derives the same one.
pub fn webhook_secret(token: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(token.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(b"mosharekat bale webhook");
    hex::encode(mac.finalize().into_bytes())
}

/// The address Bale posts updates to, under the portal's public base URL.
pub fn webhook_url(public_base_url: &str) -> String {
    format!(
        "{}{}{}",
        public_base_url.trim_end_matches('/'),
        mosharekat_api::API_PREFIX,
        mosharekat_api::paths::BALE_WEBHOOK
    )
}

/// Run until `stopped` turns true: register the webhook (when the portal has a public base URL)
/// or poll for updates.
pub async fn run(state: AppState, bot: Arc<Bot>, mut stopped: watch::Receiver<bool>) {
    use crate::config::BotUpdates;
    let public = state.config.portal.public_url.clone();
    let work = async {
        match (state.config.delivery.bot_updates, public) {
            (BotUpdates::Off, _) => {}
            (BotUpdates::Auto | BotUpdates::Webhook, Some(public)) => {
                register_webhook(&bot, &public).await
            }
            (BotUpdates::Webhook, None) => tracing::error!(
                "bale bot: updates by webhook need the public base URL; none is configured, so nothing reads them"
            ),
            (BotUpdates::Auto | BotUpdates::Polling, _) => poll(&state, &bot).await,
        }
    };
    tokio::select! {
        _ = work => {}
        _ = stopped.wait_for(|s| *s) => {}
    }
}

/// `setWebhook`, retried with a growing pause until Bale accepts it.
async fn register_webhook(bot: &Bot, public: &str) {
    let url = webhook_url(public);
    let mut pause = bot.poll_backoff;
    loop {
        match bot.api.set_webhook(&url, &bot.secret).await {
            Ok(_) => {
                tracing::info!("bale bot: updates come to the webhook {url}");
                return;
            }
            Err(e) => {
                tracing::warn!("bale bot: registering the webhook: {e}");
                tokio::time::sleep(e.retry_after.unwrap_or(pause)).await;
                pause = (pause * 2).min(bot.poll_backoff_cap);
            }
        }
    }
}

/// Long polling: `deleteWebhook` once, then `getUpdates` from the offset after the last update
/// handled, for ever.
async fn poll(state: &AppState, bot: &Bot) {
    let mut pause = bot.poll_backoff;
    let mut webhook_deleted = false;
    tracing::info!("bale bot: no public base URL, reading updates by long polling");
    loop {
        let round = async {
            if !webhook_deleted {
                bot.api.delete_webhook().await?;
                webhook_deleted = true;
            }
            let offset = state
                .store
                .next_update_offset(Channel::Bale)
                .await
                .map_err(|e| ApiFailure {
                    message: e.to_string(),
                    retry_after: None,
                })?;
            let asked = tokio::time::Instant::now();
            let updates = bot.api.get_updates(offset, bot.poll_wait).await?;
            // A server that answers an empty poll at once is not asked again at once.
            if updates.is_empty() && asked.elapsed() < Duration::from_millis(500) {
                tokio::time::sleep(bot.poll_backoff).await;
            }
            for raw in updates {
                handle_raw(state, bot, raw).await;
            }
            Ok::<(), ApiFailure>(())
        };
        match round.await {
            Ok(()) => pause = bot.poll_backoff,
            Err(e) => {
                tracing::warn!("bale bot: {e}");
                tokio::time::sleep(e.retry_after.unwrap_or(pause)).await;
                pause = (pause * 2).min(bot.poll_backoff_cap);
            }
        }
    }
}

/// Handle one update as Bale sent it (a webhook body or an item of `getUpdates`).
pub async fn handle_raw(state: &AppState, bot: &Bot, raw: serde_json::Value) {
    let Some(update_id) = raw.get("update_id").and_then(|id| id.as_i64()) else {
        tracing::warn!("bale bot: an update without an update_id");
        return;
    };
    // Taken first, so that an update that cannot be read is not fetched again and again.
    match state
        .store
        .claim_update(Channel::Bale, update_id, state.now())
        .await
    {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::warn!("bale bot: recording update {update_id}: {e}");
            return;
        }
    }
    let update: Update = match serde_json::from_value(raw) {
        Ok(update) => update,
        Err(e) => {
            tracing::warn!("bale bot: update {update_id} could not be read: {e}");
            return;
        }
    };
    if let Some(message) = update.message
        && let Err(e) = commands::handle(state, bot, &message).await
    {
        tracing::warn!("bale bot: update {update_id}: {e}");
    }
}

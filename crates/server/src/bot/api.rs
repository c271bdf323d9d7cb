//! The calls the bot makes to Bale's Bot API (Telegram's, at `https://tapi.bale.ai/bot<token>/METHOD`:
//! a JSON body, and an answer `{"ok": true, "result": …}` or `{"ok": false, "error_code",
//! "description", "parameters": {"retry_after"}}`), and the update types it reads.

use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::config::Secret;

/// One update (`getUpdates` answers a list of them; a webhook receives one per request). Only
/// messages matter to the bot; other kinds deserialise with `message: None` and are skipped.
#[derive(Debug, Clone, Deserialize)]
pub struct Update {
    pub update_id: i64,
    #[serde(default)]
    pub message: Option<Message>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Message {
    pub message_id: i64,
    pub chat: Chat,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub reply_to_message: Option<Box<Message>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Chat {
    pub id: i64,
    /// `private`, `group`, `supergroup` or `channel`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: i64,
    #[serde(default)]
    pub username: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Answer<T> {
    ok: bool,
    #[serde(default = "Option::default")]
    result: Option<T>,
    #[serde(default)]
    error_code: Option<u16>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    parameters: Option<Parameters>,
}

#[derive(Debug, Deserialize)]
struct Parameters {
    #[serde(default)]
    retry_after: Option<u64>,
}

/// A call that did not succeed. Its text never holds the token (request URLs are left out).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ApiFailure {
    pub message: String,
    /// How long Bale asked to wait (`parameters.retry_after`).
    pub retry_after: Option<Duration>,
}

/// A client of one bot.
pub struct BotApi {
    client: reqwest::Client,
    base_url: String,
    token: Secret,
}

impl BotApi {
    /// `timeout` bounds each call; a long poll adds its own wait on top.
    pub fn new(base_url: &str, token: Secret, timeout: Duration) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("mosharekat/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            client,
            base_url: base_url.trim_end_matches('/').to_owned(),
            token,
        })
    }

    /// `POST {base}/bot{token}/{method}` with a JSON body; the `result` of a successful answer.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        body: &serde_json::Value,
        extra_wait: Duration,
    ) -> Result<T, ApiFailure> {
        let failure = |message: String| ApiFailure {
            message,
            retry_after: None,
        };
        let url = format!("{}/bot{}/{method}", self.base_url, self.token.expose());
        let response = self
            .client
            .post(url)
            .json(body)
            .timeout(self.timeout() + extra_wait)
            .send()
            .await
            .map_err(|e| failure(format!("{method}: {}", e.without_url())))?;
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| failure(format!("{method}: {}", e.without_url())))?;
        let answer: Answer<T> = serde_json::from_slice(&bytes).map_err(|e| {
            failure(format!(
                "{method}: HTTP {status}, an answer that is not the Bot API's: {e}"
            ))
        })?;
        match answer {
            Answer {
                ok: true,
                result: Some(result),
                ..
            } => Ok(result),
            Answer {
                error_code,
                description,
                parameters,
                ..
            } => Err(ApiFailure {
                message: format!(
                    "{method}: {} {}",
                    error_code.unwrap_or(status),
                    description.unwrap_or_default()
                )
                .trim()
                .to_owned(),
                retry_after: parameters
                    .and_then(|p| p.retry_after)
                    .map(|s| Duration::from_secs(s.min(3600))),
            }),
        }
    }

    fn timeout(&self) -> Duration {
        Duration::from_secs(30)
    }

    /// The bot's own account (`getMe`): its username makes the deep links.
    pub async fn get_me(&self) -> Result<User, ApiFailure> {
        self.call("getMe", &serde_json::json!({}), Duration::ZERO)
            .await
    }

    /// `getUpdates` from `offset`, waiting up to `timeout` for one to arrive.
    pub async fn get_updates(
        &self,
        offset: Option<i64>,
        timeout: Duration,
    ) -> Result<Vec<serde_json::Value>, ApiFailure> {
        let mut body =
            serde_json::json!({"timeout": timeout.as_secs(), "allowed_updates": ["message"]});
        if let Some(offset) = offset {
            body["offset"] = offset.into();
        }
        self.call("getUpdates", &body, timeout).await
    }

    /// Have Bale post updates to `url` with the header `X-Telegram-Bot-Api-Secret-Token: secret`.
    pub async fn set_webhook(&self, url: &str, secret: &str) -> Result<bool, ApiFailure> {
        self.call(
            "setWebhook",
            &serde_json::json!({"url": url, "secret_token": secret, "allowed_updates": ["message"]}),
            Duration::ZERO,
        )
        .await
    }

    /// Stop posting updates to a webhook, so that `getUpdates` answers.
    pub async fn delete_webhook(&self) -> Result<bool, ApiFailure> {
        self.call("deleteWebhook", &serde_json::json!({}), Duration::ZERO)
            .await
    }

    /// Send `text` to a chat (as a reply to `reply_to` when given); the new message's id.
    pub async fn send_message(
        &self,
        chat_id: &str,
        text: &str,
        reply_to: Option<i64>,
    ) -> Result<i64, ApiFailure> {
        let mut body = serde_json::json!({"chat_id": chat_id, "text": text});
        if let Some(id) = reply_to {
            body["reply_to_message_id"] = id.into();
        }
        let sent: Message = self.call("sendMessage", &body, Duration::ZERO).await?;
        Ok(sent.message_id)
    }
}

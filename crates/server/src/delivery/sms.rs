//! One-time codes by SMS, through the gateways' verify (template) calls.
//!
//! - **Kavenegar**: `GET {base}/v1/{API_KEY}/verify/lookup.json?receptor=09…&token=CODE&template=NAME`,
//!   answered `{"return":{"status":200,"message":"…"},"entries":[{"messageid":…,…}]}`; any other
//!   `return.status` is a failure (411 invalid receptor, 418 no credit, 424 template not found…).
//! - **SMS.ir**: `POST {base}/v1/send/verify` with the headers `x-api-key: KEY` and
//!   `Accept: application/json` and the JSON body
//!   `{"mobile":"09…","templateId":123,"parameters":[{"name":"CODE","value":"…"}]}`, answered
//!   `{"status":1,"message":"…","data":{"messageId":…,"cost":…}}`; `status` 1 is sent.
//!
//! The API key travels only in the request (Kavenegar's in its path): errors are reported without
//! the URL, and nothing here logs a request.

use std::time::Duration;

use mosharekat_api::PhoneNumber;
use serde::Deserialize;

use crate::config::{Secret, SmsConfig, SmsProvider};

/// What is escaped in a path segment or query value: all but RFC 3986's unreserved characters.
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The name of the template parameter SMS.ir fills with the code.
pub const SMSIR_CODE_PARAMETER: &str = "CODE";

/// Why a code was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    /// The gateway answered and refused the message (its own status code and message).
    #[error("the SMS gateway refused the message (status {status}: {message})")]
    Refused { status: i64, message: String },
    /// The gateway could not be reached, did not answer in time, or answered something that is
    /// not its format.
    #[error("the SMS gateway is unavailable: {0}")]
    Unavailable(String),
}

/// A message the gateway accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsSent {
    /// The gateway's id of the message.
    pub message_id: Option<String>,
}

/// A configured gateway.
#[derive(Clone)]
pub struct SmsGateway {
    client: reqwest::Client,
    provider: SmsProvider,
    api_key: Secret,
    base_url: String,
    template: Template,
}

#[derive(Clone, Debug)]
enum Template {
    Name(String),
    Id(i64),
}

impl std::fmt::Debug for SmsGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsGateway")
            .field("provider", &self.provider)
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("template", &self.template)
            .finish()
    }
}

impl SmsGateway {
    /// The gateway `config` names, or `None` when no provider is set. A provider without its key
    /// or template, or an SMS.ir template that is not a number, is a configuration error.
    pub fn from_config(config: &SmsConfig, timeout: Duration) -> anyhow::Result<Option<Self>> {
        let Some(provider) = config.provider else {
            return Ok(None);
        };
        let api_key = config
            .api_key
            .clone()
            .ok_or_else(|| anyhow::anyhow!("the SMS provider is set but its API key is not"))?;
        let template = config
            .template
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| anyhow::anyhow!("the SMS provider is set but its template is not"))?;
        let template = match provider {
            SmsProvider::Kavenegar => Template::Name(template.to_owned()),
            SmsProvider::SmsIr => Template::Id(template.parse().map_err(|_| {
                anyhow::anyhow!("SMS.ir's template is its numeric id, not `{template}`")
            })?),
        };
        let base_url = config
            .base_url()
            .unwrap_or(provider.default_base_url())
            .trim_end_matches('/')
            .to_owned();
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("mosharekat/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Some(Self {
            client,
            provider,
            api_key,
            base_url,
            template,
        }))
    }

    pub fn provider(&self) -> SmsProvider {
        self.provider
    }

    /// Send `code` to `phone` through the verify template.
    pub async fn send_code(&self, phone: &PhoneNumber, code: &str) -> Result<SmsSent, SmsError> {
        match (&self.provider, &self.template) {
            (SmsProvider::Kavenegar, Template::Name(template)) => {
                self.kavenegar(phone, code, template).await
            }
            (SmsProvider::SmsIr, Template::Id(template)) => {
                self.smsir(phone, code, *template).await
            }
            _ => unreachable!("the template's kind follows the provider"),
        }
    }

    async fn kavenegar(
        &self,
        phone: &PhoneNumber,
        code: &str,
        template: &str,
    ) -> Result<SmsSent, SmsError> {
        let key = percent_encoding::utf8_percent_encode(self.api_key.expose(), COMPONENT);
        let query = |v: &str| {
            percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        let url = format!(
            "{}/v1/{key}/verify/lookup.json?receptor={}&token={}&template={}",
            self.base_url,
            query(&phone.national()),
            query(code),
            query(template),
        );
        let response = self.client.get(url).send().await.map_err(unavailable)?;
        let http = response.status();
        let body = response.bytes().await.map_err(unavailable)?;
        #[derive(Deserialize)]
        struct Answer {
            #[serde(rename = "return")]
            ret: Return,
            #[serde(default)]
            entries: Option<Vec<Entry>>,
        }
        #[derive(Deserialize)]
        struct Return {
            status: i64,
            #[serde(default)]
            message: String,
        }
        #[derive(Deserialize)]
        struct Entry {
            #[serde(default)]
            messageid: Option<serde_json::Value>,
        }
        match serde_json::from_slice::<Answer>(&body) {
            Ok(answer) if answer.ret.status == 200 => Ok(SmsSent {
                message_id: answer
                    .entries
                    .unwrap_or_default()
                    .into_iter()
                    .find_map(|e| e.messageid)
                    .map(|id| id.to_string().trim_matches('"').to_owned()),
            }),
            Ok(answer) => Err(SmsError::Refused {
                status: answer.ret.status,
                message: answer.ret.message,
            }),
            Err(_) => Err(SmsError::Unavailable(format!(
                "HTTP {http} without Kavenegar's answer"
            ))),
        }
    }

    async fn smsir(
        &self,
        phone: &PhoneNumber,
        code: &str,
        template: i64,
    ) -> Result<SmsSent, SmsError> {
        let url = format!("{}/v1/send/verify", self.base_url);
        let response = self
            .client
            .post(url)
            .header("x-api-key", self.api_key.expose())
            .header(reqwest::header::ACCEPT, "application/json")
            .json(&serde_json::json!({
                "mobile": phone.national(),
                "templateId": template,
                "parameters": [{"name": SMSIR_CODE_PARAMETER, "value": code}],
            }))
            .send()
            .await
            .map_err(unavailable)?;
        let http = response.status();
        let body = response.bytes().await.map_err(unavailable)?;
        #[derive(Deserialize)]
        struct Answer {
            status: i64,
            #[serde(default)]
            message: String,
            #[serde(default)]
            data: Option<Data>,
        }
        #[derive(Deserialize)]
        struct Data {
            #[serde(default, rename = "messageId")]
            message_id: Option<serde_json::Value>,
        }
        match serde_json::from_slice::<Answer>(&body) {
            Ok(answer) if answer.status == 1 && http.is_success() => Ok(SmsSent {
                message_id: answer
                    .data
                    .and_then(|d| d.message_id)
                    .map(|id| id.to_string().trim_matches('"').to_owned()),
            }),
            Ok(answer) => Err(SmsError::Refused {
                status: answer.status,
                message: answer.message,
            }),
            Err(_) => Err(SmsError::Unavailable(format!(
                "HTTP {http} without SMS.ir's answer"
            ))),
        }
    }
}

/// A transport error, without the URL (Kavenegar's carries the key).
fn unavailable(e: reqwest::Error) -> SmsError {
    SmsError::Unavailable(e.without_url().to_string())
}

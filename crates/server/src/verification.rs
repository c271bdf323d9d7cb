//! Verified participants: one-time codes to Iranian mobile numbers.
//!
//! A number is normalised ([`mosharekat_api::PhoneNumber`]) and from then on kept only as its
//! keyed hash: HMAC-SHA256 under the phone key (configured, or derived from the certificate
//! signing key), so a copy of the database alone does not give the numbers back, and the same
//! number in any spelling is the same hash. Codes are six random digits, hashed with the number's
//! hash under the same key. The store limits each number (a code a minute, a few a day, a few
//! wrong tries per code); this instance limits each client address.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use hmac::{KeyInit, Mac};
use mosharekat_api::PhoneNumber;

use crate::config::{ServerConfig, SmsConfig};
use crate::delivery::sms::{SmsError, SmsGateway};

/// How one-time codes leave the server.
pub enum CodeSender {
    /// Through an SMS gateway.
    Sms(SmsGateway),
    /// Nowhere: the code is given back to the asker (the console's embedded demo only).
    Demo,
    /// No gateway configured: codes cannot be sent.
    None,
}

/// The phone key, the code sender and the per-address limit of this instance.
pub struct Verifier {
    key: [u8; 32],
    pub sender: CodeSender,
    addresses: Mutex<HashMap<IpAddr, VecDeque<DateTime<Utc>>>>,
}

/// Addresses remembered before the idle ones are forgotten.
const MAX_ADDRESSES: usize = 50_000;

impl Verifier {
    pub fn new(config: &ServerConfig, signer: &crate::incentives::Signer) -> anyhow::Result<Self> {
        let key = match &config.verification.phone_key {
            Some(key) => {
                let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"mosharekat phone key")
                    .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
                mac.update(key.expose().as_bytes());
                mac.finalize().into_bytes().into()
            }
            None => signer.derived_secret("mosharekat phone key v1"),
        };
        let sender = sender(&config.sms, config.delivery.send_timeout)?;
        Ok(Self {
            key,
            sender,
            addresses: Mutex::new(HashMap::new()),
        })
    }

    fn mac(&self) -> hmac::Hmac<sha2::Sha256> {
        hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"))
    }

    /// The number's keyed hash, as stored.
    pub fn phone_hash(&self, phone: &PhoneNumber) -> String {
        let mut mac = self.mac();
        mac.update(b"phone:");
        mac.update(phone.as_str().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// A code's keyed hash, bound to its number.
    pub fn code_hash(&self, phone_hash: &str, code: &str) -> String {
        let mut mac = self.mac();
        mac.update(b"code:");
        mac.update(phone_hash.as_bytes());
        mac.update(b":");
        mac.update(code.trim().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Six random digits.
    pub fn new_code() -> String {
        format!("{:06}", rand::random_range(0..1_000_000u32))
    }

    /// Take one request of `address` within the window; `Err(when)`: not before then.
    pub fn take_address(
        &self,
        address: Option<IpAddr>,
        limit: u32,
        window: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<(), DateTime<Utc>> {
        let Some(address) = address else {
            return Ok(());
        };
        let mut addresses = self.addresses.lock().unwrap_or_else(|e| e.into_inner());
        if addresses.len() > MAX_ADDRESSES {
            addresses.retain(|_, sent| sent.back().is_some_and(|t| *t + window > now));
        }
        let sent = addresses.entry(address).or_default();
        while sent.front().is_some_and(|t| *t + window <= now) {
            sent.pop_front();
        }
        if sent.len() >= limit.max(1) as usize {
            return Err(sent.front().map_or(now, |t| *t + window));
        }
        sent.push_back(now);
        Ok(())
    }

    /// Send `code` to `phone`; `Ok(Some(code))` when the demo gives it back.
    pub async fn send(&self, phone: &PhoneNumber, code: &str) -> Result<Option<String>, SendError> {
        match &self.sender {
            CodeSender::Sms(gateway) => gateway
                .send_code(phone, code)
                .await
                .map(|_| None)
                .map_err(SendError::Sms),
            CodeSender::Demo => Ok(Some(code.to_owned())),
            CodeSender::None => Err(SendError::NotConfigured),
        }
    }
}

/// Why a code was not sent.
#[derive(Debug)]
pub enum SendError {
    NotConfigured,
    Sms(SmsError),
}

fn sender(sms: &SmsConfig, timeout: std::time::Duration) -> anyhow::Result<CodeSender> {
    let timeout = timeout.min(std::time::Duration::from_secs(15));
    Ok(match SmsGateway::from_config(sms, timeout)? {
        Some(gateway) => CodeSender::Sms(gateway),
        None if sms.demo => CodeSender::Demo,
        None => CodeSender::None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_keyed_and_spelling_free() {
        let mut config = ServerConfig::new("sqlite::memory:", "127.0.0.1:0".parse().unwrap());
        let signer = crate::incentives::Signer::ephemeral();
        let derived = Verifier::new(&config, &signer).unwrap();
        config.verification.phone_key = Some("a phone key".into());
        let keyed = Verifier::new(&config, &signer).unwrap();
        let a = PhoneNumber::parse("09123456789").unwrap();
        let b = PhoneNumber::parse("+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹").unwrap();
        assert_eq!(keyed.phone_hash(&a), keyed.phone_hash(&b));
        assert_ne!(keyed.phone_hash(&a), derived.phone_hash(&a));
        let hash = keyed.phone_hash(&a);
        assert!(!hash.contains("9123456789"));
        assert_ne!(
            keyed.code_hash(&hash, "123456"),
            keyed.code_hash(&hash, "123457")
        );
        assert_eq!(Verifier::new_code().len(), 6);
    }

    #[test]
    fn addresses_are_limited_within_the_window() {
        let config = ServerConfig::new("sqlite::memory:", "127.0.0.1:0".parse().unwrap());
        let v = Verifier::new(&config, &crate::incentives::Signer::ephemeral()).unwrap();
        let ip = Some("10.0.0.1".parse().unwrap());
        let window = chrono::Duration::minutes(10);
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert!(v.take_address(ip, 2, window, t0).is_ok());
        assert!(v.take_address(ip, 2, window, t0).is_ok());
        assert_eq!(v.take_address(ip, 2, window, t0), Err(t0 + window));
        assert!(
            v.take_address(Some("10.0.0.2".parse().unwrap()), 2, window, t0)
                .is_ok()
        );
        assert!(v.take_address(ip, 2, window, t0 + window).is_ok());
    }
}

/// `POST /api/v1/public/verification` and the portal's "send me a code": check the number and
/// the limits, keep the code's hash, send it.
pub async fn request_code(
    state: &crate::state::AppState,
    phone: &str,
    address: Option<IpAddr>,
) -> Result<mosharekat_api::VerificationSent, crate::error::ApiError> {
    use crate::error::ApiError;
    use crate::store::CodeSlot;
    use mosharekat_api::ErrorCode;
    let phone = PhoneNumber::parse(phone)
        .map_err(|e| ApiError::new(ErrorCode::InvalidPhone, e.to_string()))?;
    let verifier = &state.verifier;
    if matches!(verifier.sender, CodeSender::None) {
        return Err(not_configured());
    }
    let config = &state.config.verification;
    let now = state.now();
    verifier
        .take_address(address, config.address_limit, config.address_window, now)
        .map_err(|at| {
            ApiError::retry_at(
                "too many codes were asked for from this address; try again later",
                at,
                now,
            )
        })?;
    let phone_hash = verifier.phone_hash(&phone);
    let code = Verifier::new_code();
    let code_hash = verifier.code_hash(&phone_hash, &code);
    match state
        .store
        .store_code(&phone_hash, &code_hash, config.limits(), now)
        .await?
    {
        CodeSlot::Stored => {}
        CodeSlot::RetryAt(at) => {
            return Err(ApiError::retry_at(
                "a code was sent to this number a moment ago; wait before asking again",
                at,
                now,
            ));
        }
    }
    match verifier.send(&phone, &code).await {
        Ok(demo_code) => Ok(mosharekat_api::VerificationSent {
            expires_at: now + config.code_ttl,
            resend_at: now + config.resend_after,
            phone_masked: phone.masked(),
            demo_code,
        }),
        Err(e) => {
            state.store.withdraw_code(&phone_hash, &code_hash).await?;
            Err(match e {
                SendError::NotConfigured => not_configured(),
                SendError::Sms(e) => {
                    // The gateway's status says what went wrong; the number is not logged.
                    tracing::warn!(
                        "verification: the code to {} was not sent: {e}",
                        phone.masked()
                    );
                    ApiError::new(
                        ErrorCode::SmsFailed,
                        "the code could not be sent by SMS; try again in a few minutes",
                    )
                }
            })
        }
    }
}

fn not_configured() -> crate::error::ApiError {
    crate::error::ApiError::new(
        mosharekat_api::ErrorCode::SmsNotConfigured,
        "this server sends no SMS: phone verification is not available",
    )
}

/// A participant signed in or registered by a verified number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub participant_id: i64,
    /// The participant's new token (the asker's own when the number was attached to them).
    pub token: Option<String>,
    /// A new participant (`201`) rather than a known one (`200`).
    pub created: bool,
}

/// Check a code: sign in the number's participant, attach the number to `asking` (an unverified
/// participant's id), or register `new`.
pub async fn verify_code(
    state: &crate::state::AppState,
    phone: &str,
    code: &str,
    new: Option<&mosharekat_api::NewParticipant>,
    asking: Option<i64>,
) -> Result<Verified, crate::error::ApiError> {
    use crate::error::ApiError;
    use crate::store::PhoneVerified;
    use mosharekat_api::ErrorCode;
    let phone = PhoneNumber::parse(phone)
        .map_err(|e| ApiError::new(ErrorCode::InvalidPhone, e.to_string()))?;
    let code: String = code
        .trim()
        .chars()
        .filter_map(|c| match c {
            '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10),
            '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10),
            c if c.is_whitespace() || c == '-' => None,
            c => Some(c),
        })
        .collect();
    if code.is_empty() {
        return Err(ApiError::new(
            ErrorCode::WrongCode,
            "type the code the SMS gave",
        ));
    }
    let now = state.now();
    let verifier = &state.verifier;
    let phone_hash = verifier.phone_hash(&phone);
    let code_hash = verifier.code_hash(&phone_hash, &code);
    let token = crate::auth::random_token();
    let outcome = state
        .store
        .verify_code(
            &phone_hash,
            &code_hash,
            new,
            asking,
            &crate::auth::token_hash(&token),
            state.config.verification.limits(),
            now,
        )
        .await?;
    match outcome {
        PhoneVerified::Created(id) => Ok(Verified {
            participant_id: id,
            token: Some(token),
            created: true,
        }),
        PhoneVerified::SignedIn(id) => Ok(Verified {
            participant_id: id,
            token: Some(token),
            created: false,
        }),
        PhoneVerified::Attached(id) => Ok(Verified {
            participant_id: id,
            token: None,
            created: false,
        }),
        PhoneVerified::NeedsRegistration => Err(ApiError::new(
            ErrorCode::RegistrationRequired,
            "this number is not registered yet: send the registration fields with the code",
        )),
        PhoneVerified::WrongCode { tries_left: 0 } => Err(ApiError::new(
            ErrorCode::WrongCode,
            "the code is wrong, and no tries are left: ask for a new code",
        )),
        PhoneVerified::WrongCode { tries_left } => Err(ApiError::new(
            ErrorCode::WrongCode,
            format!("the code is wrong; {tries_left} more tries"),
        )),
        PhoneVerified::Expired => Err(ApiError::new(
            ErrorCode::CodeExpired,
            "the code has expired: ask for a new one",
        )),
        PhoneVerified::NoCode => Err(ApiError::new(
            ErrorCode::NoCode,
            "no code is waiting for this number: ask for one first",
        )),
    }
}

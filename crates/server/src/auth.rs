//! Credentials: argon2id password hashes, opaque random tokens stored only as SHA-256 hashes, and the
//! extractors that turn a bearer token into a staff member or a participant.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use mosharekat_api::{ErrorCode, Role, Staff};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{Actor, ParticipantRecord};

/// A new opaque token: 32 random bytes, hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What is stored of a token: its SHA-256, so a leaked database holds no usable token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Hex SHA-256 of raw bytes (request bodies, for idempotency checks).
pub fn token_hash_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hash: {e}"))?
        .to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// An argon2id hash of a random password, checked when a username is unknown so that a wrong
/// username costs the same time as a wrong password.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

fn bearer(parts: &Parts) -> Option<&str> {
    bearer_token(&parts.headers)
}

/// The token of an `Authorization: Bearer …` header.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// A logged-in staff member. Check the role with [`StaffAuth::require`].
#[derive(Debug, Clone)]
pub struct StaffAuth {
    pub staff: Staff,
    pub token_hash: String,
}

impl StaffAuth {
    /// `403` unless the staff member's role allows `needed` (an admin may do everything).
    pub fn require(&self, needed: Role) -> Result<Actor, ApiError> {
        self.require_any(&[needed])
    }

    /// `403` unless the role allows one of `roles`.
    pub fn require_any(&self, roles: &[Role]) -> Result<Actor, ApiError> {
        if roles.iter().any(|r| self.staff.role.allows(*r)) {
            Ok(self.actor())
        } else {
            Err(ApiError::new(
                ErrorCode::Forbidden,
                format!("a {} may not do this", self.staff.role.as_str()),
            ))
        }
    }

    pub fn actor(&self) -> Actor {
        Actor {
            staff_id: self.staff.id,
            username: self.staff.username.clone(),
            role: self.staff.role,
        }
    }
}

impl FromRequestParts<AppState> for StaffAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Already resolved by the route guard (`guards::enforce_access`) for this request.
        if let Some(auth) = parts.extensions.get::<StaffAuth>() {
            return Ok(auth.clone());
        }
        let token = bearer(parts).ok_or_else(|| {
            ApiError::new(ErrorCode::Unauthorized, "log in first: no bearer token")
        })?;
        let hash = token_hash(token);
        let staff = state
            .store
            .session_staff(&hash, state.now())
            .await?
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Unauthorized,
                    "the session has expired or is not valid: log in again",
                )
            })?;
        Ok(StaffAuth {
            staff,
            token_hash: hash,
        })
    }
}

/// A registered participant, from the token they got at registration.
#[derive(Debug, Clone)]
pub struct ParticipantAuth(pub ParticipantRecord);

impl FromRequestParts<AppState> for ParticipantAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or_else(|| {
            ApiError::new(
                ErrorCode::Unauthorized,
                "register first: no participant token",
            )
        })?;
        let participant = state
            .store
            .participant_by_token(&token_hash(token))
            .await?
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Unauthorized,
                    "the participant token is not valid",
                )
            })?;
        Ok(ParticipantAuth(participant))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}

//! Staff accounts (admin only).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Role;

/// `POST /api/v1/staff`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStaff {
    pub username: String,
    pub password: String,
    pub role: Role,
}

/// `PATCH /api/v1/staff/{id}`: change a role or disable an account. A disabled account's sessions end.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

/// Rules for usernames and passwords, checked by the server and by `mosharekat user add`.
pub fn validate_username(username: &str) -> Result<(), String> {
    let ok_len = (3..=64).contains(&username.chars().count());
    let ok_chars = username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok_len && ok_chars {
        Ok(())
    } else {
        Err("a username is 3 to 64 characters of a-z, 0-9, '.', '_' or '-'".into())
    }
}

pub fn validate_password(password: &str) -> Result<(), String> {
    if password.chars().count() >= 10 {
        Ok(())
    } else {
        Err("a password has at least 10 characters".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(validate_username("sara.ahmadi").is_ok());
        assert!(validate_username("ab").is_err());
        assert!(validate_username("سارا").is_err());
        assert!(validate_username("a b c").is_err());
    }

    #[test]
    fn passwords() {
        assert!(validate_password("correct horse").is_ok());
        assert!(validate_password("short").is_err());
    }
}

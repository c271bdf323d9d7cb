//! Staff login and roles.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A staff member's role. An admin may do everything an operator or a moderator may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Moderator,
    Operator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Moderator, Role::Operator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Moderator => "moderator",
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }

    /// Whether this role may act where `needed` is required. Admins may act everywhere; moderators and
    /// operators only in their own area.
    pub fn allows(self, needed: Role) -> bool {
        self == Role::Admin || self == needed
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role `{s}` (expected moderator, operator or admin)"))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `POST /api/v1/auth/login`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// Answer to a successful login; send `Authorization: Bearer <token>` afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub role: Role,
    pub username: String,
    pub expires_at: DateTime<Utc>,
}

/// `GET /api/v1/auth/session`: the staff member a token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub username: String,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_allows_everything_others_only_themselves() {
        for needed in Role::ALL {
            assert!(Role::Admin.allows(needed));
        }
        assert!(Role::Moderator.allows(Role::Moderator));
        assert!(!Role::Moderator.allows(Role::Operator));
        assert!(!Role::Operator.allows(Role::Moderator));
        assert!(!Role::Operator.allows(Role::Admin));
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
            assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{role}\""));
        }
        assert!("root".parse::<Role>().is_err());
    }
}

//! The hash-chained audit log of staff writes (`GET /api/v1/audit`, admin).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// Username of the staff member (or `system` for the scheduler).
    pub actor: String,
    /// What was done, e.g. `consultation.publish`, `comment.decide`, `staff.create`.
    pub action: String,
    /// What it was done to, e.g. `consultation:12`.
    pub target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<serde_json::Value>,
    /// Hash of the previous entry (hex SHA-256; 64 zeros for the first).
    pub prev_hash: String,
    /// Hex SHA-256 over `prev_hash` and this entry's content.
    pub hash: String,
}

/// Result of checking the chain (`mosharekat audit verify`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditVerification {
    pub entries: i64,
    /// The first entry whose hash or link does not match, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_broken_id: Option<i64>,
}

//! Paths of the protocol's routes, relative to [`crate::API_PREFIX`]: constants for the fixed ones,
//! functions for those with an id or a code in them. The console's client and the tests build their
//! URLs here; the server's route table declares the same paths as templates (`/polls/{id}`), and a
//! server test checks every path built here against them.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

pub const HEALTH: &str = "/health";
pub const OPENAPI: &str = "/openapi.json";

pub const LOGIN: &str = "/auth/login";
pub const LOGOUT: &str = "/auth/logout";
pub const SESSION: &str = "/auth/session";

pub const STAFF: &str = "/staff";

pub fn staff_member(id: i64) -> String {
    format!("/staff/{id}")
}

pub const CONSULTATIONS: &str = "/consultations";

pub fn consultation(id: i64) -> String {
    format!("/consultations/{id}")
}

pub fn consultation_publish(id: i64) -> String {
    format!("/consultations/{id}/publish")
}

pub fn consultation_close(id: i64) -> String {
    format!("/consultations/{id}/close")
}

pub fn consultation_polls(id: i64) -> String {
    format!("/consultations/{id}/polls")
}

pub fn consultation_tags(id: i64) -> String {
    format!("/consultations/{id}/tags")
}

pub fn consultation_proposals(id: i64) -> String {
    format!("/consultations/{id}/proposals")
}

pub fn consultation_decisions_publish(id: i64) -> String {
    format!("/consultations/{id}/decisions/publish")
}

pub fn consultation_report(id: i64) -> String {
    format!("/consultations/{id}/report")
}

pub fn consultation_report_publish(id: i64) -> String {
    format!("/consultations/{id}/report/publish")
}

pub fn consultation_document(id: i64) -> String {
    format!("/consultations/{id}/document")
}

pub fn consultation_document_versions(id: i64) -> String {
    format!("/consultations/{id}/document/versions")
}

pub fn consultation_document_diff(id: i64) -> String {
    format!("/consultations/{id}/document/diff")
}

pub fn proposal_decision(id: i64) -> String {
    format!("/proposals/{id}/decision")
}

pub const OUTBOX: &str = "/outbox";
pub const OUTBOX_COUNTS: &str = "/outbox/counts";

pub fn outbox_message(id: i64) -> String {
    format!("/outbox/{id}")
}

pub fn outbox_retry(id: i64) -> String {
    format!("/outbox/{id}/retry")
}

pub const DEADLINES: &str = "/deadlines";

pub fn poll(id: i64) -> String {
    format!("/polls/{id}")
}

pub fn poll_tally(id: i64) -> String {
    format!("/polls/{id}/tally")
}

pub const REASONS: &str = "/reasons";
pub const QUEUE_CLAIM: &str = "/queue/claim";
pub const QUEUE_RENEW: &str = "/queue/renew";
pub const QUEUE_RELEASE: &str = "/queue/release";

pub const COMMENTS: &str = "/comments";
pub const COMMENTS_BULK_DECISION: &str = "/comments/bulk-decision";

pub fn comment(id: i64) -> String {
    format!("/comments/{id}")
}

pub fn comment_decision(id: i64) -> String {
    format!("/comments/{id}/decision")
}

pub const EVENTS: &str = "/events";
pub const AUDIT: &str = "/audit";
pub const AUDIT_VERIFY: &str = "/audit/verify";

pub const PUBLIC_CONSULTATIONS: &str = "/public/consultations";

pub fn public_consultation(id: i64) -> String {
    format!("/public/consultations/{id}")
}

pub fn public_consultation_polls(id: i64) -> String {
    format!("/public/consultations/{id}/polls")
}

pub fn public_consultation_decisions(id: i64) -> String {
    format!("/public/consultations/{id}/decisions")
}

pub fn public_consultation_report(id: i64) -> String {
    format!("/public/consultations/{id}/report")
}

pub fn public_consultation_comments(id: i64) -> String {
    format!("/public/consultations/{id}/comments")
}

pub fn public_consultation_document(id: i64) -> String {
    format!("/public/consultations/{id}/document")
}

pub fn public_consultation_document_versions(id: i64) -> String {
    format!("/public/consultations/{id}/document/versions")
}

pub fn public_consultation_document_diff(id: i64) -> String {
    format!("/public/consultations/{id}/document/diff")
}

pub fn public_consultation_top(id: i64) -> String {
    format!("/public/consultations/{id}/top")
}

pub const PUBLIC_PARTICIPANTS: &str = "/public/participants";
pub const PUBLIC_VERIFICATION: &str = "/public/verification";

/// A participant's one-time code linking a messenger chat (the Bale bot's `/start <code>`).
pub const PUBLIC_MESSENGER_LINKS: &str = "/public/messenger-links";

/// Where Bale posts the bot's updates when the server registered a webhook.
pub const BALE_WEBHOOK: &str = "/bale/webhook";

pub fn public_poll_ballots(id: i64) -> String {
    format!("/public/polls/{id}/ballots")
}

pub const LEADERBOARD: &str = "/leaderboard";

pub fn participant_score(id: i64) -> String {
    format!("/participants/{id}/score")
}

pub const CERTIFICATES: &str = "/certificates";
pub const CERTIFICATES_PROPOSE: &str = "/certificates/propose";
pub const CERTIFICATES_APPROVE: &str = "/certificates/approve";

pub fn certificate(id: i64) -> String {
    format!("/certificates/{id}")
}

pub fn certificate_approve(id: i64) -> String {
    format!("/certificates/{id}/approve")
}

pub fn certificate_reject(id: i64) -> String {
    format!("/certificates/{id}/reject")
}

pub fn certificate_revoke(id: i64) -> String {
    format!("/certificates/{id}/revoke")
}

/// A certificate's public verification page, by its code (percent-encoded: codes are opaque).
pub fn public_certificate(code: &str) -> String {
    format!("/public/certificates/{}", encode(code))
}

pub const PUBLIC_KEYS: &str = "/public/keys";

/// Everything but the unreserved characters of RFC 3986.
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes an opaque value (a cursor, a code) for a path segment or a query string.
pub fn encode(value: &str) -> String {
    utf8_percent_encode(value, RESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opaque_values_are_percent_encoded() {
        assert_eq!(encode("a b/ç-_.~"), "a%20b%2F%C3%A7-_.~");
        assert_eq!(public_certificate("AB/C"), "/public/certificates/AB%2FC");
    }
}

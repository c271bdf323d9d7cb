//! The route table: every route under `/api/v1` declared once, with its method, path, who may
//! call it, its summary and its handler. The router is folded from it ([`super::router`]), the
//! access guard reads each route's [`Access`] from it ([`crate::guards`]), the OpenAPI document is
//! written from it ([`crate::openapi`]) and the role-matrix test walks it, so a route cannot be
//! served without its roles and its documentation.

use axum::routing::{MethodFilter, MethodRouter, on};
use mosharekat_api::Role;

use super::{
    audit, auth, bale, comments, consultations, deadlines, drafts, events, health, incentives,
    outbox, participants, polls, proposals, queue, reports, staff, tags,
};
use crate::state::AppState;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (the public portal).
    Public,
    /// A registered participant's token.
    Participant,
    /// A staff member of one of these roles (an admin may always).
    Staff(&'static [Role]),
}

/// The HTTP methods the protocol uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
}

impl HttpMethod {
    /// Lower case, as OpenAPI names operations.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Post => "post",
            HttpMethod::Put => "put",
            HttpMethod::Patch => "patch",
        }
    }

    pub fn http(self) -> axum::http::Method {
        match self {
            HttpMethod::Get => axum::http::Method::GET,
            HttpMethod::Post => axum::http::Method::POST,
            HttpMethod::Put => axum::http::Method::PUT,
            HttpMethod::Patch => axum::http::Method::PATCH,
        }
    }

    fn filter(self) -> MethodFilter {
        match self {
            HttpMethod::Get => MethodFilter::GET,
            HttpMethod::Post => MethodFilter::POST,
            HttpMethod::Put => MethodFilter::PUT,
            HttpMethod::Patch => MethodFilter::PATCH,
        }
    }
}

/// Upper case, as on the wire (`GET`).
impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.http().as_str())
    }
}

/// One route of the protocol.
pub struct Route {
    pub method: HttpMethod,
    /// The path under `/api/v1`, with `{id}` or `{code}` for its parameter.
    pub path: &'static str,
    pub access: Access,
    /// One line for the OpenAPI document.
    pub summary: &'static str,
    /// Attaches the handler for the given method. A closure per row (`|m| on(m, handler)`) because
    /// every axum handler has its own type; the table only needs the router it makes.
    handler: fn(MethodFilter) -> MethodRouter<AppState>,
}

impl Route {
    /// The handler, routed for this route's method.
    pub(super) fn method_router(&self) -> MethodRouter<AppState> {
        (self.handler)(self.method.filter())
    }
}

const ANY_STAFF: Access = Access::Staff(&[Role::Moderator, Role::Operator, Role::Admin]);
const MODERATOR: Access = Access::Staff(&[Role::Moderator]);
const OPERATOR: Access = Access::Staff(&[Role::Operator]);
const ADMIN: Access = Access::Staff(&[Role::Admin]);

/// Every route of the protocol.
pub const ROUTES: &[Route] = &[
    Route {
        method: HttpMethod::Get,
        path: "/health",
        access: Access::Public,
        summary: "Liveness and database check",
        handler: |m| on(m, health::health),
    },
    Route {
        method: HttpMethod::Get,
        path: "/openapi.json",
        access: Access::Public,
        summary: "This document",
        handler: |m| on(m, crate::openapi::serve),
    },
    Route {
        method: HttpMethod::Post,
        path: "/auth/login",
        access: Access::Public,
        summary: "Staff login: {username, password} → {token, role, expires_at}",
        handler: |m| on(m, auth::login),
    },
    Route {
        method: HttpMethod::Post,
        path: "/auth/logout",
        access: ANY_STAFF,
        summary: "End this session",
        handler: |m| on(m, auth::logout),
    },
    Route {
        method: HttpMethod::Get,
        path: "/auth/session",
        access: ANY_STAFF,
        summary: "Who this token belongs to: {username, role}",
        handler: |m| on(m, auth::session),
    },
    Route {
        method: HttpMethod::Get,
        path: "/staff",
        access: ADMIN,
        summary: "List staff accounts",
        handler: |m| on(m, staff::list),
    },
    Route {
        method: HttpMethod::Post,
        path: "/staff",
        access: ADMIN,
        summary: "Create a staff account {username, password, role}",
        handler: |m| on(m, staff::create),
    },
    Route {
        method: HttpMethod::Patch,
        path: "/staff/{id}",
        access: ADMIN,
        summary: "Change a role or disable an account",
        handler: |m| on(m, staff::update),
    },
    Route {
        method: HttpMethod::Get,
        path: "/consultations",
        access: ANY_STAFF,
        summary: "List consultations (?status=&after=&limit=)",
        handler: |m| on(m, consultations::list),
    },
    Route {
        method: HttpMethod::Post,
        path: "/consultations",
        access: OPERATOR,
        summary: "Create a consultation (draft); short_window_reason is admin-only",
        handler: |m| on(m, consultations::create),
    },
    Route {
        method: HttpMethod::Get,
        path: "/consultations/{id}",
        access: ANY_STAFF,
        summary: "One consultation",
        handler: |m| on(m, consultations::get),
    },
    Route {
        method: HttpMethod::Patch,
        path: "/consultations/{id}",
        access: OPERATOR,
        summary: "Edit a consultation; extending the deadline is logged",
        handler: |m| on(m, consultations::update),
    },
    Route {
        method: HttpMethod::Post,
        path: "/consultations/{id}/publish",
        access: OPERATOR,
        summary: "Publish: 422 window_too_short or missing_translation",
        handler: |m| on(m, consultations::publish),
    },
    Route {
        method: HttpMethod::Post,
        path: "/consultations/{id}/close",
        access: ADMIN,
        summary: "Close early with a reason",
        handler: |m| on(m, consultations::close),
    },
    Route {
        method: HttpMethod::Get,
        path: "/consultations/{id}/polls",
        access: OPERATOR,
        summary: "Polls of a consultation",
        handler: |m| on(m, polls::list),
    },
    Route {
        method: HttpMethod::Post,
        path: "/consultations/{id}/polls",
        access: OPERATOR,
        summary: "Add a poll",
        handler: |m| on(m, polls::create),
    },
    Route {
        method: HttpMethod::Get,
        path: "/consultations/{id}/tags",
        access: ANY_STAFF,
        summary: "The consultation's bilingual concern tags",
        handler: |m| on(m, tags::list),
    },
    Route {
        method: HttpMethod::Put,
        path: "/consultations/{id}/tags",
        access: OPERATOR,
        summary: "Replace the concern-tag list [{code, label_fa, label_en}]",
        handler: |m| on(m, tags::replace),
    },
    Route {
        method: HttpMethod::Get,
        path: "/consultations/{id}/document",
        access: ANY_STAFF,
        summary: "The draft's text, article by article: the latest version (?version=N for an older one)",
        handler: |m| on(m, drafts::get),
    },
    Route {
        method: HttpMethod::Put,
        path: "/consultations/{id}/document",
        access: OPERATOR,
        summary: "Import a new version of the draft {text_fa, text_en?, format: text|markdown}: 201; 422 no_articles or draft_mismatch; 409 after the close",
        handler: |m| on(m, drafts::import),
    },
    Route {
        method: HttpMethod::Get,
        path: "/consultations/{id}/document/versions",
        access: ANY_STAFF,
        summary: "The draft's versions, newest first, with their counts",
        handler: |m| on(m, drafts::versions),
    },
    Route {
        method: HttpMethod::Get,
        path: "/consultations/{id}/document/diff",
        access: ANY_STAFF,
        summary: "Two versions of the draft compared article by article (?from=A&to=B)",
        handler: |m| on(m, drafts::diff),
    },
    Route {
        method: HttpMethod::Get,
        path: "/consultations/{id}/proposals",
        access: OPERATOR,
        summary: "Approved proposals, one per campaign group, with decisions (?after=&limit=)",
        handler: |m| on(m, proposals::list),
    },
    Route {
        method: HttpMethod::Post,
        path: "/consultations/{id}/decisions/publish",
        access: OPERATOR,
        summary: "Publish decisions (both languages needed) and queue feedback messages",
        handler: |m| on(m, proposals::publish),
    },
    Route {
        method: HttpMethod::Post,
        path: "/consultations/{id}/report",
        access: OPERATOR,
        summary: "Generate the next report draft (409 before the deadline)",
        handler: |m| on(m, reports::generate),
    },
    Route {
        method: HttpMethod::Get,
        path: "/consultations/{id}/report",
        access: OPERATOR,
        summary: "The latest report draft (?format=json|md|html|csv)",
        handler: |m| on(m, reports::get),
    },
    Route {
        method: HttpMethod::Post,
        path: "/consultations/{id}/report/publish",
        access: OPERATOR,
        summary: "Publish the report draft and queue feedback messages",
        handler: |m| on(m, reports::publish),
    },
    Route {
        method: HttpMethod::Put,
        path: "/proposals/{id}/decision",
        access: OPERATOR,
        summary: "Save a decision draft {outcome, rationale_fa, rationale_en, legal_basis, version}; 409 version_conflict with the current one",
        handler: |m| on(m, proposals::decide),
    },
    Route {
        method: HttpMethod::Get,
        path: "/outbox",
        access: OPERATOR,
        summary: "Feedback messages (?status=pending|sent|dead&consultation_id=&after=&limit=&order=oldest|newest)",
        handler: |m| on(m, outbox::list),
    },
    Route {
        method: HttpMethod::Get,
        path: "/outbox/counts",
        access: OPERATOR,
        summary: "Feedback messages per status (?consultation_id=)",
        handler: |m| on(m, outbox::counts),
    },
    Route {
        method: HttpMethod::Get,
        path: "/outbox/{id}",
        access: OPERATOR,
        summary: "One feedback message",
        handler: |m| on(m, outbox::get),
    },
    Route {
        method: HttpMethod::Post,
        path: "/outbox/{id}/retry",
        access: OPERATOR,
        summary: "Send a dead message again",
        handler: |m| on(m, outbox::retry),
    },
    Route {
        method: HttpMethod::Get,
        path: "/deadlines",
        access: OPERATOR,
        summary: "Deadline monitoring with flags, most urgent first",
        handler: |m| on(m, deadlines::deadlines),
    },
    Route {
        method: HttpMethod::Get,
        path: "/polls/{id}",
        access: OPERATOR,
        summary: "One poll",
        handler: |m| on(m, polls::get),
    },
    Route {
        method: HttpMethod::Get,
        path: "/polls/{id}/tally",
        access: OPERATOR,
        summary: "Tally from live counters (?by=age_band|gender|province|category)",
        handler: |m| on(m, polls::tally),
    },
    Route {
        method: HttpMethod::Get,
        path: "/reasons",
        access: ANY_STAFF,
        summary: "Bilingual moderation reason codes",
        handler: |m| on(m, queue::reasons),
    },
    Route {
        method: HttpMethod::Post,
        path: "/queue/claim",
        access: MODERATOR,
        summary: "Claim a batch of pending comments under a lease",
        handler: |m| on(m, queue::claim),
    },
    Route {
        method: HttpMethod::Post,
        path: "/queue/renew",
        access: MODERATOR,
        summary: "Extend the lease of held claims",
        handler: |m| on(m, queue::renew),
    },
    Route {
        method: HttpMethod::Post,
        path: "/queue/release",
        access: MODERATOR,
        summary: "Give claims back to the queue",
        handler: |m| on(m, queue::release),
    },
    Route {
        method: HttpMethod::Get,
        path: "/comments",
        access: Access::Staff(&[Role::Moderator, Role::Operator]),
        summary: "List comments (?consultation_id=&status=&duplicate_group_id=&participant_id=&article_id=&after=&limit=, keyset paged)",
        handler: |m| on(m, comments::list),
    },
    Route {
        method: HttpMethod::Post,
        path: "/comments/bulk-decision",
        access: MODERATOR,
        summary: "One decision for a list of ids or a campaign group",
        handler: |m| on(m, comments::bulk_decision),
    },
    Route {
        method: HttpMethod::Get,
        path: "/comments/{id}",
        access: Access::Staff(&[Role::Moderator, Role::Operator]),
        summary: "One comment",
        handler: |m| on(m, comments::get),
    },
    Route {
        method: HttpMethod::Post,
        path: "/comments/{id}/decision",
        access: MODERATOR,
        summary: "Approve / reject / hide (Idempotency-Key header)",
        handler: |m| on(m, comments::decision),
    },
    Route {
        method: HttpMethod::Get,
        path: "/events",
        access: ANY_STAFF,
        summary: "Server-Sent Events; resume with Last-Event-ID",
        handler: |m| on(m, events::stream),
    },
    Route {
        method: HttpMethod::Get,
        path: "/audit",
        access: ADMIN,
        summary: "The hash-chained audit log",
        handler: |m| on(m, audit::list),
    },
    Route {
        method: HttpMethod::Get,
        path: "/audit/verify",
        access: ADMIN,
        summary: "Verify the audit chain",
        handler: |m| on(m, audit::verify),
    },
    Route {
        method: HttpMethod::Get,
        path: "/public/consultations",
        access: Access::Public,
        summary: "Open calls, bilingual, with portal links",
        handler: |m| on(m, participants::open_consultations),
    },
    Route {
        method: HttpMethod::Get,
        path: "/public/consultations/{id}",
        access: Access::Public,
        summary: "One published call",
        handler: |m| on(m, participants::consultation),
    },
    Route {
        method: HttpMethod::Get,
        path: "/public/consultations/{id}/polls",
        access: Access::Public,
        summary: "Polls of a published call",
        handler: |m| on(m, participants::polls),
    },
    Route {
        method: HttpMethod::Get,
        path: "/public/consultations/{id}/document",
        access: Access::Public,
        summary: "The published call's draft, article by article (?version=N)",
        handler: |m| on(m, drafts::public_get),
    },
    Route {
        method: HttpMethod::Get,
        path: "/public/consultations/{id}/document/versions",
        access: Access::Public,
        summary: "The published call's draft versions, newest first",
        handler: |m| on(m, drafts::public_versions),
    },
    Route {
        method: HttpMethod::Get,
        path: "/public/consultations/{id}/document/diff",
        access: Access::Public,
        summary: "Two versions of the published call's draft compared article by article (?from=A&to=B)",
        handler: |m| on(m, drafts::public_diff),
    },
    Route {
        method: HttpMethod::Get,
        path: "/public/consultations/{id}/decisions",
        access: Access::Public,
        summary: "Published answers to proposals, with reasons",
        handler: |m| on(m, proposals::public_list),
    },
    Route {
        method: HttpMethod::Get,
        path: "/public/consultations/{id}/report",
        access: Access::Public,
        summary: "The published report (?format=json|md|html|csv)",
        handler: |m| on(m, reports::public),
    },
    Route {
        method: HttpMethod::Post,
        path: "/public/consultations/{id}/comments",
        access: Access::Participant,
        summary: "Comment or propose: 202 pending",
        handler: |m| on(m, participants::comment),
    },
    Route {
        method: HttpMethod::Post,
        path: "/public/participants",
        access: Access::Public,
        summary: "Register (201 {participant_id, token, verified}); with phone and code: a known number signs in (200, a fresh token), a new one registers verified (201)",
        handler: |m| on(m, participants::register),
    },
    Route {
        method: HttpMethod::Post,
        path: "/public/messenger-links",
        access: Access::Participant,
        summary: "A one-time code linking a Bale chat: {channel: \"bale\"} → 201 {url, code, expires_at}",
        handler: |m| on(m, participants::messenger_link),
    },
    Route {
        method: HttpMethod::Post,
        path: "/bale/webhook",
        access: Access::Public,
        summary: "The Bale bot's updates (header X-Telegram-Bot-Api-Secret-Token, else 401)",
        handler: |m| on(m, bale::webhook),
    },
    Route {
        method: HttpMethod::Post,
        path: "/public/verification",
        access: Access::Public,
        summary: "Send a one-time code to an Iranian mobile number: 202 {expires_at, resend_at, phone_masked}; 429 with Retry-After when asked too often",
        handler: |m| on(m, participants::request_verification),
    },
    Route {
        method: HttpMethod::Post,
        path: "/public/polls/{id}/ballots",
        access: Access::Participant,
        summary: "Cast or replace a ballot",
        handler: |m| on(m, participants::ballot),
    },
    // Incentives: scores, ranking, certificates.
    Route {
        method: HttpMethod::Get,
        path: "/leaderboard",
        access: OPERATOR,
        summary: "Ranking by score (?period=all|week|month|year&province=&category=&consultation_id=&limit=)",
        handler: |m| on(m, incentives::leaderboard),
    },
    Route {
        method: HttpMethod::Get,
        path: "/participants/{id}/score",
        access: OPERATOR,
        summary: "A participant's score with every contribution behind it and the rules",
        handler: |m| on(m, incentives::score),
    },
    Route {
        method: HttpMethod::Get,
        path: "/certificates",
        access: ADMIN,
        summary: "Certificates (?status=proposed|approved|rejected|revoked&consultation_id=&after=&limit=)",
        handler: |m| on(m, incentives::list),
    },
    Route {
        method: HttpMethod::Post,
        path: "/certificates/propose",
        access: ADMIN,
        summary: "Run the certificate rules now ({} or {consultation_id}); they also run when a consultation closes",
        handler: |m| on(m, incentives::propose),
    },
    Route {
        method: HttpMethod::Post,
        path: "/certificates/approve",
        access: ADMIN,
        summary: "Approve (issue) several proposed certificates {ids}",
        handler: |m| on(m, incentives::bulk_approve),
    },
    Route {
        method: HttpMethod::Get,
        path: "/certificates/{id}",
        access: ADMIN,
        summary: "One certificate with its evidence",
        handler: |m| on(m, incentives::get),
    },
    Route {
        method: HttpMethod::Post,
        path: "/certificates/{id}/approve",
        access: ADMIN,
        summary: "Approve: sign the credential, give a verification code, message the participant",
        handler: |m| on(m, incentives::approve),
    },
    Route {
        method: HttpMethod::Post,
        path: "/certificates/{id}/reject",
        access: ADMIN,
        summary: "Reject a proposed certificate {reason}",
        handler: |m| on(m, incentives::reject),
    },
    Route {
        method: HttpMethod::Post,
        path: "/certificates/{id}/revoke",
        access: ADMIN,
        summary: "Revoke an issued certificate {reason}",
        handler: |m| on(m, incentives::revoke),
    },
    Route {
        method: HttpMethod::Get,
        path: "/public/consultations/{id}/top",
        access: Access::Public,
        summary: "Top participants who consented to be named (display names and points)",
        handler: |m| on(m, incentives::public_top),
    },
    Route {
        method: HttpMethod::Get,
        path: "/public/certificates/{code}",
        access: Access::Public,
        summary: "An issued certificate and its status, by verification code",
        handler: |m| on(m, incentives::public_certificate),
    },
    Route {
        method: HttpMethod::Get,
        path: "/public/keys",
        access: Access::Public,
        summary: "The Ed25519 public keys certificates are signed with",
        handler: |m| on(m, incentives::public_keys),
    },
];

#[cfg(test)]
mod tests {
    use mosharekat_api::paths;

    use super::ROUTES;

    /// Whether `path` is an instance of `template` (`{…}` stands for one segment).
    fn instance_of(path: &str, template: &str) -> bool {
        let (path, template): (Vec<_>, Vec<_>) =
            (path.split('/').collect(), template.split('/').collect());
        path.len() == template.len()
            && path
                .iter()
                .zip(&template)
                .all(|(p, t)| p == t || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
    }

    /// Every path the clients build is a route of the table, and every route has a builder.
    #[test]
    fn path_builders_match_the_route_templates() {
        let id = 7;
        let built = [
            paths::HEALTH.to_owned(),
            paths::OPENAPI.to_owned(),
            paths::LOGIN.to_owned(),
            paths::LOGOUT.to_owned(),
            paths::SESSION.to_owned(),
            paths::STAFF.to_owned(),
            paths::staff_member(id),
            paths::CONSULTATIONS.to_owned(),
            paths::consultation(id),
            paths::consultation_publish(id),
            paths::consultation_close(id),
            paths::consultation_polls(id),
            paths::consultation_tags(id),
            paths::consultation_proposals(id),
            paths::consultation_document(id),
            paths::consultation_document_versions(id),
            paths::consultation_document_diff(id),
            paths::consultation_decisions_publish(id),
            paths::consultation_report(id),
            paths::consultation_report_publish(id),
            paths::proposal_decision(id),
            paths::OUTBOX.to_owned(),
            paths::OUTBOX_COUNTS.to_owned(),
            paths::outbox_message(id),
            paths::outbox_retry(id),
            paths::DEADLINES.to_owned(),
            paths::poll(id),
            paths::poll_tally(id),
            paths::REASONS.to_owned(),
            paths::QUEUE_CLAIM.to_owned(),
            paths::QUEUE_RENEW.to_owned(),
            paths::QUEUE_RELEASE.to_owned(),
            paths::COMMENTS.to_owned(),
            paths::COMMENTS_BULK_DECISION.to_owned(),
            paths::comment(id),
            paths::comment_decision(id),
            paths::EVENTS.to_owned(),
            paths::AUDIT.to_owned(),
            paths::AUDIT_VERIFY.to_owned(),
            paths::PUBLIC_CONSULTATIONS.to_owned(),
            paths::public_consultation(id),
            paths::public_consultation_polls(id),
            paths::public_consultation_decisions(id),
            paths::public_consultation_document(id),
            paths::public_consultation_document_versions(id),
            paths::public_consultation_document_diff(id),
            paths::public_consultation_report(id),
            paths::public_consultation_comments(id),
            paths::public_consultation_top(id),
            paths::PUBLIC_PARTICIPANTS.to_owned(),
            paths::PUBLIC_MESSENGER_LINKS.to_owned(),
            paths::BALE_WEBHOOK.to_owned(),
            paths::PUBLIC_VERIFICATION.to_owned(),
            paths::public_poll_ballots(id),
            paths::LEADERBOARD.to_owned(),
            paths::participant_score(id),
            paths::CERTIFICATES.to_owned(),
            paths::CERTIFICATES_PROPOSE.to_owned(),
            paths::CERTIFICATES_APPROVE.to_owned(),
            paths::certificate(id),
            paths::certificate_approve(id),
            paths::certificate_reject(id),
            paths::certificate_revoke(id),
            paths::public_certificate("ABCDE-FGHJ1"),
            paths::PUBLIC_KEYS.to_owned(),
        ];
        for path in &built {
            // A fixed path must be the route itself, not a template's instance
            // (`/certificates/approve` is its own route, not `/certificates/{id}`).
            let exact = ROUTES.iter().any(|r| r.path == path);
            let templated = ROUTES.iter().any(|r| instance_of(path, r.path));
            assert!(exact || templated, "{path} is not a route");
        }
        for route in ROUTES {
            assert!(
                built.iter().any(|p| p == route.path
                    || instance_of(p, route.path) && !ROUTES.iter().any(|r| r.path == p)),
                "{} has no path builder",
                route.path
            );
        }
    }
}

//! The served OpenAPI document (`GET /api/v1/openapi.json`), built from the route table below. The
//! table also says who may call each route; the role-matrix test walks it.

use axum::Json;
use mosharekat_api::Role;
use serde_json::{Value, json};

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

pub struct RouteDoc {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub access: Access,
}

const ANY_STAFF: Access = Access::Staff(&[Role::Moderator, Role::Operator, Role::Admin]);
const MODERATOR: Access = Access::Staff(&[Role::Moderator]);
const OPERATOR: Access = Access::Staff(&[Role::Operator]);
const ADMIN: Access = Access::Staff(&[Role::Admin]);

macro_rules! routes {
    ($($method:literal $path:literal $access:expr, $summary:literal;)*) => {
        pub const ROUTES: &[RouteDoc] = &[$(RouteDoc { method: $method, path: $path, summary: $summary, access: $access },)*];
    };
}

routes! {
    "get" "/health" Access::Public, "Liveness and database check";
    "get" "/openapi.json" Access::Public, "This document";
    "post" "/auth/login" Access::Public, "Staff login: {username, password} → {token, role, expires_at}";
    "post" "/auth/logout" ANY_STAFF, "End this session";
    "get" "/auth/session" ANY_STAFF, "Who this token belongs to: {username, role}";
    "get" "/staff" ADMIN, "List staff accounts";
    "post" "/staff" ADMIN, "Create a staff account {username, password, role}";
    "patch" "/staff/{id}" ADMIN, "Change a role or disable an account";
    "get" "/consultations" ANY_STAFF, "List consultations (?status=&after=&limit=)";
    "post" "/consultations" OPERATOR, "Create a consultation (draft); short_window_reason is admin-only";
    "get" "/consultations/{id}" ANY_STAFF, "One consultation";
    "patch" "/consultations/{id}" OPERATOR, "Edit a consultation; extending the deadline is logged";
    "post" "/consultations/{id}/publish" OPERATOR, "Publish: 422 window_too_short or missing_translation";
    "post" "/consultations/{id}/close" ADMIN, "Close early with a reason";
    "get" "/consultations/{id}/polls" OPERATOR, "Polls of a consultation";
    "post" "/consultations/{id}/polls" OPERATOR, "Add a poll";
    "get" "/consultations/{id}/tags" ANY_STAFF, "The consultation's bilingual concern tags";
    "put" "/consultations/{id}/tags" OPERATOR, "Replace the concern-tag list [{code, label_fa, label_en}]";
    "get" "/consultations/{id}/proposals" OPERATOR, "Approved proposals, one per campaign group, with decisions (?after=&limit=)";
    "post" "/consultations/{id}/decisions/publish" OPERATOR, "Publish decisions (both languages needed) and queue feedback messages";
    "post" "/consultations/{id}/report" OPERATOR, "Generate the next report draft (409 before the deadline)";
    "get" "/consultations/{id}/report" OPERATOR, "The latest report draft (?format=json|md|html|csv)";
    "post" "/consultations/{id}/report/publish" OPERATOR, "Publish the report draft and queue feedback messages";
    "put" "/proposals/{id}/decision" OPERATOR, "Save a decision draft {outcome, rationale_fa, rationale_en, legal_basis, version}; 409 version_conflict with the current one";
    "get" "/outbox" OPERATOR, "Feedback messages (?status=pending|sent|dead&consultation_id=&after=&limit=&order=oldest|newest)";
    "get" "/outbox/counts" OPERATOR, "Feedback messages per status (?consultation_id=)";
    "get" "/outbox/{id}" OPERATOR, "One feedback message";
    "post" "/outbox/{id}/retry" OPERATOR, "Send a dead message again";
    "get" "/deadlines" OPERATOR, "Deadline monitoring with flags, most urgent first";
    "get" "/polls/{id}" OPERATOR, "One poll";
    "get" "/polls/{id}/tally" OPERATOR, "Tally from live counters (?by=age_band|gender|province|category)";
    "get" "/reasons" ANY_STAFF, "Bilingual moderation reason codes";
    "post" "/queue/claim" MODERATOR, "Claim a batch of pending comments under a lease";
    "post" "/queue/renew" MODERATOR, "Extend the lease of held claims";
    "post" "/queue/release" MODERATOR, "Give claims back to the queue";
    "get" "/comments" Access::Staff(&[Role::Moderator, Role::Operator]), "List comments (keyset paged)";
    "post" "/comments/bulk-decision" MODERATOR, "One decision for a list of ids or a campaign group";
    "get" "/comments/{id}" Access::Staff(&[Role::Moderator, Role::Operator]), "One comment";
    "post" "/comments/{id}/decision" MODERATOR, "Approve / reject / hide (Idempotency-Key header)";
    "get" "/events" ANY_STAFF, "Server-Sent Events; resume with Last-Event-ID";
    "get" "/audit" ADMIN, "The hash-chained audit log";
    "get" "/audit/verify" ADMIN, "Verify the audit chain";
    "get" "/public/consultations" Access::Public, "Open calls, bilingual, with portal links";
    "get" "/public/consultations/{id}" Access::Public, "One published call";
    "get" "/public/consultations/{id}/polls" Access::Public, "Polls of a published call";
    "get" "/public/consultations/{id}/decisions" Access::Public, "Published answers to proposals, with reasons";
    "get" "/public/consultations/{id}/report" Access::Public, "The published report (?format=json|md|html|csv)";
    "post" "/public/consultations/{id}/comments" Access::Participant, "Comment or propose: 202 pending";
    "post" "/public/participants" Access::Public, "Register: 201 {participant_id, token}";
    "post" "/public/polls/{id}/ballots" Access::Participant, "Cast or replace a ballot";
    // Incentives: scores, ranking, certificates.
    "get" "/leaderboard" OPERATOR, "Ranking by score (?period=all|week|month|year&province=&category=&consultation_id=&limit=)";
    "get" "/participants/{id}/score" OPERATOR, "A participant's score with every contribution behind it and the rules";
    "get" "/certificates" ADMIN, "Certificates (?status=proposed|approved|rejected|revoked&consultation_id=&after=&limit=)";
    "post" "/certificates/propose" ADMIN, "Run the certificate rules now ({} or {consultation_id}); they also run when a consultation closes";
    "post" "/certificates/approve" ADMIN, "Approve (issue) several proposed certificates {ids}";
    "get" "/certificates/{id}" ADMIN, "One certificate with its evidence";
    "post" "/certificates/{id}/approve" ADMIN, "Approve: sign the credential, give a verification code, message the participant";
    "post" "/certificates/{id}/reject" ADMIN, "Reject a proposed certificate {reason}";
    "post" "/certificates/{id}/revoke" ADMIN, "Revoke an issued certificate {reason}";
    "get" "/public/consultations/{id}/top" Access::Public, "Top participants who consented to be named (display names and points)";
    "get" "/public/certificates/{code}" Access::Public, "An issued certificate and its status, by verification code";
    "get" "/public/keys" Access::Public, "The Ed25519 public keys certificates are signed with";
}

pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    for route in ROUTES {
        let entry = paths.entry(route.path).or_insert_with(|| json!({}));
        let (security, roles) = match route.access {
            Access::Public => (json!([]), json!([])),
            Access::Participant => (json!([{"participantToken": []}]), json!([])),
            Access::Staff(roles) => {
                let mut names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                if !names.contains(&"admin") {
                    names.push("admin");
                }
                (json!([{"staffToken": []}]), json!(names))
            }
        };
        let mut parameters = Vec::new();
        if route.path.contains("{id}") {
            parameters.push(json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}));
        }
        if route.path.contains("{code}") {
            parameters.push(json!({"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}));
        }
        entry[route.method] = json!({
            "summary": route.summary,
            "security": security,
            "x-roles": roles,
            "parameters": parameters,
            "responses": {
                "default": {"description": "Errors are {error: {code, message}}", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        });
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "mosharekat consultation protocol",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Staff console ⇄ consultation backend. Wire types are defined in the mosharekat-api crate; see docs/PROTOCOL.md."
        },
        "servers": [{"url": mosharekat_api::API_PREFIX}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "staffToken": {"type": "http", "scheme": "bearer", "description": "From POST /auth/login"},
                "participantToken": {"type": "http", "scheme": "bearer", "description": "From POST /public/participants"}
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "object", "required": ["code", "message"],
                        "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}
                }
            }
        }
    })
}

pub async fn serve() -> Json<Value> {
    Json(document())
}

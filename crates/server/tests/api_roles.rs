//! The role matrix: every staff route of the route table × {no token, moderator, operator, admin}.
//!
//! Driven by `routes::ROUTES`, so a new route is covered the day it is added: a caller without a
//! session gets `401`, a role the table does not list gets `403` (before the body is read, and
//! with nothing written), and a role it lists reaches the handler and succeeds. The table itself is
//! checked against the issues' division of work (moderators: queue and comments; operators:
//! consultations, deadlines, polls, concern tags, decisions, reports and the outbox; admins:
//! everything, plus staff accounts and the audit log).

mod support;

use chrono::Duration;
use mosharekat_api::{Role, paths};
use mosharekat_server::auth::{random_token, token_hash};
use mosharekat_server::routes::{Access, ROUTES, Route};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, TestServer, consultation_json};

both!(
    every_staff_route_checks_the_role,
    the_role_is_checked_before_the_body_is_read,
    an_operator_may_not_record_a_short_window_reason,
    public_and_participant_routes
);

/// Ids the routes' `{id}` stand for, created once.
struct Fixture {
    consultation: i64,
    poll: i64,
    /// A comment already approved: deciding it again is a revision that needs no claim.
    comment: i64,
    /// A staff account that admins may edit.
    staff: i64,
    staff_ids: Vec<(Role, i64)>,
    /// A closed consultation with a decided proposal, a generated and published report, and an
    /// outbox message (to a Bale handle: no channel is configured, so it stays in the outbox).
    closed: i64,
    message: i64,
    /// The participant who wrote `comment`.
    participant: i64,
    /// A proposed certificate (of the closed consultation).
    certificate: i64,
}

async fn fixture(t: &TestServer) -> Fixture {
    let consultation = t.open_consultation().await;
    let poll = t
        .ok(
            "POST",
            &paths::consultation_polls(consultation),
            Some(&t.operator),
            Some(json!({"kind": "yes_no_abstain", "question_fa": "موافقید؟"})),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let citizen = t.participant("Sara").await;
    let comment = t.comment(consultation, &citizen, "نظری برای آزمون").await;
    t.ok(
        "POST",
        paths::COMMENTS_BULK_DECISION,
        Some(&t.moderator),
        Some(json!({"ids": [comment], "action": "approve"})),
    )
    .await;
    // The draft's text, so the document routes have a version to read and compare.
    t.ok(
        "PUT",
        &paths::consultation_document(consultation),
        Some(&t.operator),
        Some(json!({"text_fa": "ماده ۱ - متن پیش‌نویس\nتبصره - یک تبصره"})),
    )
    .await;
    // More pending comments, so claims find something.
    for i in 0..5 {
        t.comment(consultation, &citizen, &format!("نظر در صف {i}"))
            .await;
    }
    let closed = t.open_consultation().await;
    // Verified: certificates go to verified participants only.
    let messenger = t
        .register_verified(
            &support::next_phone(),
            json!({"display_name": "Nima", "category": "public", "consent": true,
                "channel": "bale", "handle": "@nima"}),
        )
        .await
        .token;
    // Nima's chat is linked, as the bot's `/start <code>` does: the answer is queued for it.
    let nima = t
        .store()
        .participant_by_token(&mosharekat_server::auth::token_hash(&messenger))
        .await
        .unwrap()
        .unwrap();
    let code = mosharekat_server::auth::token_hash("nima's code");
    t.store()
        .create_link_code(
            nima.id,
            mosharekat_api::Channel::Bale,
            &code,
            t.now(),
            t.now() + chrono::Duration::hours(1),
        )
        .await
        .unwrap();
    t.store()
        .link_chat(mosharekat_api::Channel::Bale, &code, "4004", t.now())
        .await
        .unwrap()
        .expect("linked");
    let proposal = t
        .ok(
            "POST",
            &paths::public_consultation_comments(closed),
            Some(&messenger),
            Some(json!({"body": "پیشنهاد: ماده ۲ حذف شود", "is_proposal": true})),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    approve(t, proposal).await;
    t.ok(
        "POST",
        &paths::consultation_close(closed),
        Some(&t.admin),
        Some(json!({"reason": "پایان زودهنگام برای آزمون"})),
    )
    .await;
    t.ok(
        "PUT",
        &paths::proposal_decision(proposal),
        Some(&t.operator),
        Some(
            json!({"version": 0, "outcome": "rejected", "rationale_fa": "مغایر قانون",
            "rationale_en": "Against the law", "legal_basis": "ماده ۵"}),
        ),
    )
    .await;
    t.ok(
        "POST",
        &paths::consultation_decisions_publish(closed),
        Some(&t.operator),
        None,
    )
    .await;
    for step in ["report", "report/publish"] {
        t.ok(
            "POST",
            &format!("/consultations/{closed}/{step}"),
            Some(&t.operator),
            None,
        )
        .await;
    }
    let outbox = t
        .ok(
            "GET",
            &format!("{}?consultation_id={closed}", paths::OUTBOX),
            Some(&t.operator),
            None,
        )
        .await;
    let message = outbox["items"][0]["id"].as_i64().expect("a queued message");
    let participant = t
        .ok("GET", &paths::comment(comment), Some(&t.moderator), None)
        .await["participant"]["id"]
        .as_i64()
        .unwrap();
    // The certificate rules over the closed consultation (the scheduler runs them too).
    t.ok(
        "POST",
        paths::CERTIFICATES_PROPOSE,
        Some(&t.admin),
        Some(json!({"consultation_id": closed})),
    )
    .await;
    let certificate = t
        .ok(
            "GET",
            &format!(
                "{}?status=proposed&consultation_id={closed}",
                paths::CERTIFICATES
            ),
            Some(&t.admin),
            None,
        )
        .await["items"][0]["id"]
        .as_i64()
        .expect("a proposed certificate");
    t.add_staff("target.account", Role::Moderator).await;
    let staff: Vec<Value> =
        serde_json::from_value(t.ok("GET", paths::STAFF, Some(&t.admin), None).await).unwrap();
    let id_of = |name: &str| {
        staff
            .iter()
            .find(|s| s["username"] == name)
            .unwrap_or_else(|| panic!("no staff {name}"))["id"]
            .as_i64()
            .unwrap()
    };
    Fixture {
        consultation,
        poll,
        comment,
        closed,
        message,
        participant,
        certificate,
        staff: id_of("target.account"),
        staff_ids: vec![
            (Role::Moderator, id_of("moderator1")),
            (Role::Operator, id_of("operator1")),
            (Role::Admin, id_of("admin1")),
        ],
    }
}

async fn approve(t: &TestServer, comment: i64) {
    t.ok(
        "POST",
        paths::COMMENTS_BULK_DECISION,
        Some(&t.moderator),
        Some(json!({"ids": [comment], "action": "approve"})),
    )
    .await;
}

/// A new proposed certificate (a new consultation with one approved comment, closed), or an
/// issued one.
async fn fresh_certificate(t: &TestServer, n: usize, issued: bool) -> i64 {
    let consultation = t.open_consultation().await;
    let citizen = t.participant(&format!("Certified {n}")).await;
    let comment = t
        .comment(consultation, &citizen, &format!("نظر برای گواهی {n}"))
        .await;
    approve(t, comment).await;
    t.close(consultation).await;
    t.ok(
        "POST",
        paths::CERTIFICATES_PROPOSE,
        Some(&t.admin),
        Some(json!({"consultation_id": consultation})),
    )
    .await;
    let id = t
        .ok(
            "GET",
            &format!(
                "{}?status=proposed&consultation_id={consultation}",
                paths::CERTIFICATES
            ),
            Some(&t.admin),
            None,
        )
        .await["items"][0]["id"]
        .as_i64()
        .expect("a proposed certificate");
    if issued {
        t.ok(
            "POST",
            &paths::certificate_approve(id),
            Some(&t.admin),
            None,
        )
        .await;
    }
    id
}

/// Make the fixture's outbox message dead (as a worker giving up on it would), so it can be retried.
async fn kill_message(t: &TestServer, id: i64) {
    use mosharekat_server::store::DeliveryResult;
    let current = t.store().outbox_message(id).await.unwrap().unwrap();
    if current.status == mosharekat_api::OutboxStatus::Dead {
        return;
    }
    let now = t.now();
    let claimed = t
        .store()
        .claim_due_messages(
            &[mosharekat_api::Channel::Bale],
            now,
            now + Duration::minutes(1),
            100,
        )
        .await
        .unwrap();
    let message = claimed
        .iter()
        .find(|m| m.id == id)
        .expect("the message is due");
    let dead = DeliveryResult::Dead {
        error: "HTTP 403: bot was blocked by the user".into(),
    };
    t.store()
        .record_delivery(id, message.attempts, &dead, now)
        .await
        .unwrap();
}

/// A fresh session for a role (logging out in one case must not end the others).
async fn session(t: &TestServer, f: &Fixture, role: Role) -> String {
    let staff_id = f.staff_ids.iter().find(|(r, _)| *r == role).unwrap().1;
    let token = random_token();
    t.store()
        .create_session(
            staff_id,
            &token_hash(&token),
            t.now(),
            t.now() + Duration::hours(1),
        )
        .await
        .unwrap();
    token
}

/// The concrete path and a well-formed body for one call of `route`. Calls that change state get
/// a fresh target each time, so that every allowed call can succeed.
async fn request(t: &TestServer, f: &Fixture, route: &Route, n: usize) -> (String, Option<Value>) {
    let now = t.now();
    let id = match route.path {
        "/consultations/{id}/publish" => {
            let draft = t
                .ok(
                    "POST",
                    paths::CONSULTATIONS,
                    Some(&t.operator),
                    Some(consultation_json(
                        now + Duration::days(1),
                        now + Duration::days(40),
                    )),
                )
                .await;
            draft["id"].as_i64().unwrap()
        }
        "/consultations/{id}/close" => t.open_consultation().await,
        "/consultations/{id}/decisions/publish"
        | "/consultations/{id}/report"
        | "/consultations/{id}/report/publish" => f.closed,
        "/proposals/{id}/decision" => {
            let citizen = t.participant(&format!("Proposer {n}")).await;
            let (_, accepted) = t
                .call(
                    "POST",
                    &paths::public_consultation_comments(f.consultation),
                    Some(&citizen),
                    Some(json!({"body": format!("پیشنهاد شماره {n}"), "is_proposal": true})),
                )
                .await;
            let id = accepted["id"].as_i64().unwrap();
            approve(t, id).await;
            id
        }
        "/outbox/{id}/retry" => {
            kill_message(t, f.message).await;
            f.message
        }
        p if p.starts_with("/outbox/") => f.message,
        "/certificates/{id}/approve" | "/certificates/{id}/reject" | "/certificates/approve" => {
            fresh_certificate(t, n, false).await
        }
        "/certificates/{id}/revoke" => fresh_certificate(t, n, true).await,
        p if p.starts_with("/certificates/") => f.certificate,
        p if p.starts_with("/participants/") => f.participant,
        p if p.starts_with("/consultations/") => f.consultation,
        p if p.starts_with("/polls/") => f.poll,
        p if p.starts_with("/comments/") => f.comment,
        p if p.starts_with("/staff/") => f.staff,
        _ => 0,
    };
    let path = with_query(route, route.path.replace("{id}", &id.to_string()));
    let body = match (route.method.as_str(), route.path) {
        ("post", "/staff") => Some(
            json!({"username": format!("new.staff{n}"), "password": "a long enough password", "role": "moderator"}),
        ),
        ("patch", "/staff/{id}") => Some(json!({"role": "moderator"})),
        ("post", "/consultations") => Some(consultation_json(now, now + Duration::days(35))),
        ("patch", "/consultations/{id}") => Some(json!({"title_en": format!("Renamed {n}")})),
        ("post", "/consultations/{id}/close") => Some(json!({"reason": "دستور وزیر"})),
        ("post", "/consultations/{id}/polls") => {
            Some(json!({"kind": "likert_5", "question_fa": "رضایت شما؟"}))
        }
        ("post", "/queue/claim") => Some(json!({"limit": 1})),
        ("post", "/queue/renew" | "/queue/release") => Some(json!({"claim_tokens": []})),
        ("post", "/comments/bulk-decision") => {
            Some(json!({"ids": [f.comment], "action": "approve"}))
        }
        ("post", "/comments/{id}/decision") => Some(json!({"action": "approve"})),
        ("put", "/consultations/{id}/tags") => Some(
            json!([{"code": format!("topic_{n}"), "label_fa": "شهریه", "label_en": "Tuition"}]),
        ),
        ("put", "/proposals/{id}/decision") => Some(json!({"version": 0, "outcome": "accepted"})),
        ("put", "/consultations/{id}/document") => {
            Some(json!({"text_fa": format!("ماده ۱ - متن نسخه {n}")}))
        }
        ("post", "/certificates/{id}/reject" | "/certificates/{id}/revoke") => {
            Some(json!({"reason": format!("دلیل {n}")}))
        }
        ("post", "/certificates/approve") => Some(json!({"ids": [id]})),
        // A route added later with a body of its own shape fails below (422 for every role, not
        // 403) until its body is listed here.
        ("post" | "patch", p)
            if !p.ends_with("/publish") && !p.ends_with("/report") && !p.ends_with("/retry") =>
        {
            Some(json!({}))
        }
        _ => None,
    };
    (path, body)
}

/// The query string a route cannot do without (a diff names its two versions).
fn with_query(route: &Route, path: String) -> String {
    if route.path.ends_with("/document/diff") {
        format!("{path}?from=1&to=1")
    } else {
        path
    }
}

/// One request; the body is read only when it is JSON (an event stream never ends).
async fn send(
    t: &TestServer,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = t.http.request(method.parse().unwrap(), t.url(path));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let is_json = resp
        .headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap().starts_with("application/json"));
    if !is_json {
        return (status, Value::Null);
    }
    (status, resp.json().await.unwrap())
}

async fn audit_len(t: &TestServer) -> usize {
    t.store().audit_entries(0, 100_000).await.unwrap().len()
}

/// The division of work, by area, to check the table against.
fn policy(route: &Route) -> &'static [Role] {
    use Role::*;
    match (route.method.as_str(), route.path) {
        (_, p) if p.starts_with("/staff") || p.starts_with("/audit") => &[Admin],
        // Certificates: only admins, every route.
        (_, p) if p.starts_with("/certificates") => &[Admin],
        ("get", "/leaderboard" | "/participants/{id}/score") => &[Operator, Admin],
        ("post", "/consultations/{id}/close") => &[Admin],
        (_, p) if p.starts_with("/queue/") => &[Moderator, Admin],
        ("post", p) if p.starts_with("/comments") => &[Moderator, Admin],
        ("get", p) if p.starts_with("/comments") => &[Moderator, Operator, Admin],
        (_, p)
            if p.starts_with("/polls") || p.starts_with("/deadlines") || p.ends_with("/polls") =>
        {
            &[Operator, Admin]
        }
        (_, p) if p.starts_with("/outbox") || p.starts_with("/proposals") => &[Operator, Admin],
        ("get", p) if p.ends_with("/proposals") || p.ends_with("/report") => &[Operator, Admin],
        ("post" | "patch" | "put", p) if p.starts_with("/consultations") => &[Operator, Admin],
        // Reading consultations and reasons, the event stream, logging out: every staff member.
        _ => &[Moderator, Operator, Admin],
    }
}

/// What went wrong across a table-driven test: every failing row is reported, not only the first.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    fn check(&mut self, holds: bool, what: impl FnOnce() -> String) {
        if !holds {
            self.0.push(what());
        }
    }

    fn check_eq<T: PartialEq + std::fmt::Debug>(
        &mut self,
        left: T,
        right: T,
        what: impl FnOnce() -> String,
    ) {
        if left != right {
            self.0.push(format!("{}: {left:?} != {right:?}", what()));
        }
    }

    fn assert_none(self) {
        assert!(
            self.0.is_empty(),
            "{} failures:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

/// The roles a staff route admits, in order.
fn admitted(listed: &[Role]) -> Vec<Role> {
    let mut roles: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|role| listed.iter().any(|r| role.allows(*r)))
        .collect();
    roles.sort();
    roles
}

#[test]
fn the_route_table_agrees_with_the_policy() {
    let mut failures = Failures::default();
    let mut covered = 0;
    for route in ROUTES {
        let Access::Staff(listed) = route.access else {
            continue;
        };
        covered += 1;
        failures.check_eq(admitted(listed), policy(route).to_vec(), || {
            format!(
                "{} {}: the table disagrees with the policy",
                route.method, route.path
            )
        });
    }
    failures.check(covered >= 25, || {
        format!("only {covered} staff routes in the table")
    });
    failures.assert_none();
}

async fn every_staff_route_checks_the_role(backend: Backend) {
    let t = TestServer::start(backend).await;
    let f = fixture(&t).await;
    let mut failures = Failures::default();
    for (n, route) in ROUTES.iter().enumerate() {
        let Access::Staff(listed) = route.access else {
            continue;
        };
        let method = route.method.to_string();
        let allowed = admitted(listed);

        let (path, body) = request(&t, &f, route, n).await;
        for token in [None, Some("not-a-session")] {
            let before = audit_len(&t).await;
            let (status, err) = send(&t, &method, &path, token, body.clone()).await;
            failures.check_eq(status, StatusCode::UNAUTHORIZED, || {
                format!("{method} {path} with {token:?}: {err}")
            });
            failures.check_eq(&err["error"]["code"], &json!("unauthorized"), || {
                format!("{method} {path} with {token:?}: the error code")
            });
            failures.check_eq(audit_len(&t).await, before, || {
                format!("{method} {path}: a refused call wrote")
            });
        }
        for role in Role::ALL {
            let token = session(&t, &f, role).await;
            let (path, body) = request(&t, &f, route, n * 10 + role as usize).await;
            let before = audit_len(&t).await;
            let (status, answer) = send(&t, &method, &path, Some(&token), body).await;
            if allowed.contains(&role) {
                failures.check(status.is_success(), || {
                    format!("{method} {path} as {role}: {status} {answer}")
                });
            } else {
                failures.check_eq(status, StatusCode::FORBIDDEN, || {
                    format!("{method} {path} as {role}: {answer}")
                });
                failures.check_eq(&answer["error"]["code"], &json!("forbidden"), || {
                    format!("{method} {path} as {role}: the error code")
                });
                failures.check_eq(audit_len(&t).await, before, || {
                    format!("{method} {path} as {role}: a refused call wrote")
                });
            }
        }
    }
    failures.assert_none();
}

/// A forbidden caller is told 403 even when its body is broken or of the wrong type: the role is
/// checked before the body is read.
async fn the_role_is_checked_before_the_body_is_read(backend: Backend) {
    let t = TestServer::start(backend).await;
    for body in ["{not json", "{\"kind\": 5}"] {
        let resp = t
            .http
            .post(t.url("/consultations"))
            .bearer_auth(&t.moderator)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{body}");
    }
    let resp = t
        .http
        .post(t.url("/consultations"))
        .bearer_auth(&t.moderator)
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
}

/// The finer rule inside a route: an operator may edit, but not record a short-window reason.
async fn an_operator_may_not_record_a_short_window_reason(backend: Backend) {
    let t = TestServer::start(backend).await;
    let consultation = t.open_consultation().await;
    let (status, err) = send(
        &t,
        "PATCH",
        &paths::consultation(consultation),
        Some(&t.operator),
        Some(json!({"short_window_reason": "فوری"})),
    )
    .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    let c = t
        .ok(
            "GET",
            &paths::consultation(consultation),
            Some(&t.operator),
            None,
        )
        .await;
    assert!(c["short_window_reason"].is_null(), "{c}");
}

async fn public_and_participant_routes(backend: Backend) {
    let t = TestServer::start(backend).await;
    let f = fixture(&t).await;
    let citizen = t.participant("Reza").await;
    let issued = t
        .ok(
            "POST",
            &paths::certificate_approve(f.certificate),
            Some(&t.admin),
            None,
        )
        .await;
    let code = issued["verification_code"].as_str().unwrap().to_owned();
    let mut failures = Failures::default();
    for route in ROUTES {
        let method = route.method.to_string();
        let id = if route.path.starts_with("/public/polls/") {
            f.poll
        } else if route.path.ends_with("/report") || route.path.ends_with("/decisions") {
            f.closed
        } else {
            f.consultation
        };
        let path = with_query(
            route,
            route
                .path
                .replace("{id}", &id.to_string())
                .replace("{code}", &code),
        );
        match route.access {
            Access::Staff(_) => {}
            Access::Participant => {
                let body = if route.path.ends_with("/ballots") {
                    json!({"option_ids": []})
                } else {
                    json!({"body": "نظر"})
                };
                // Neither nothing nor a staff session will do.
                for token in [None, Some(t.admin.as_str())] {
                    let (status, err) = send(&t, &method, &path, token, Some(body.clone())).await;
                    failures.check_eq(status, StatusCode::UNAUTHORIZED, || {
                        format!("{method} {path}: {err}")
                    });
                    failures.check_eq(&err["error"]["code"], &json!("unauthorized"), || {
                        format!("{method} {path}: the error code")
                    });
                }
                let (status, answer) = send(&t, &method, &path, Some(&citizen), Some(body)).await;
                failures.check(status != StatusCode::UNAUTHORIZED, || {
                    format!("{method} {path}: {answer}")
                });
            }
            Access::Public => {
                let body = match route.path {
                    "/auth/login" => {
                        Some(json!({"username": "admin1", "password": support::PASSWORD}))
                    }
                    "/public/participants" => {
                        Some(json!({"display_name": "Mina", "category": "ngo", "consent": true}))
                    }
                    "/public/verification" => Some(json!({"phone": support::next_phone()})),
                    _ => None,
                };
                let (status, answer) = send(&t, &method, &path, None, body).await;
                if route.path == paths::BALE_WEBHOOK {
                    // Guarded by the bot's secret token instead (api_bale_bot.rs): with no bot
                    // configured there is nothing there.
                    failures.check_eq(status, StatusCode::NOT_FOUND, || {
                        format!("{method} {path}: {answer}")
                    });
                    continue;
                }
                failures.check(status.is_success(), || {
                    format!("{method} {path}: {status} {answer}")
                });
            }
        }
    }
    failures.assert_none();
}

//! Consultations over HTTP: the publish rules, the life cycle on the clock, deadlines, edits.

mod support;

use chrono::{DateTime, Duration, Utc};
use mosharekat_api::paths;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, TestServer, consultation_json};

both!(
    a_short_window_needs_an_admins_reason,
    publishing_twice_is_a_state_error,
    a_missing_translation_is_refused,
    exactly_thirty_days_is_enough,
    bad_windows_and_kinds_are_refused,
    comments_are_refused_until_it_opens,
    comments_are_refused_once_it_closes,
    the_scheduler_announces_the_transitions,
    deadlines_are_for_operators,
    deadline_flags,
    deadlines_most_urgent_first,
    a_fresh_consultation_is_closing_soon,
    shortening_an_open_consultation_is_refused,
    extending_is_allowed_and_audited,
    early_close_is_for_admins_with_a_reason,
    consultations_page_by_keyset_and_filter_by_status
);

/// A draft consultation from `opens_at` to `closes_at` (days from now), created by the operator.
async fn draft(t: &TestServer, opens: i64, closes: i64) -> i64 {
    draft_from(
        t,
        consultation_json(
            t.now() + Duration::days(opens),
            t.now() + Duration::days(closes),
        ),
    )
    .await
}

async fn draft_from(t: &TestServer, body: Value) -> i64 {
    let c = t
        .ok("POST", paths::CONSULTATIONS, Some(&t.operator), Some(body))
        .await;
    assert_eq!(c["status"], "draft");
    c["id"].as_i64().unwrap()
}

async fn publish(t: &TestServer, id: i64) -> Value {
    t.ok(
        "POST",
        &paths::consultation_publish(id),
        Some(&t.operator),
        None,
    )
    .await
}

async fn status_of(t: &TestServer, id: i64) -> Value {
    t.ok("GET", &paths::consultation(id), Some(&t.operator), None)
        .await["status"]
        .clone()
}

async fn a_short_window_needs_an_admins_reason(backend: Backend) {
    let t = TestServer::start(backend).await;
    // A 20-day window: refused until an admin records a reason.
    let id = draft(&t, 0, 20).await;
    let (status, body) = t
        .call(
            "POST",
            &paths::consultation_publish(id),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "window_too_short");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("20 days")
    );
    // Nothing changed.
    assert_eq!(status_of(&t, id).await, "draft");

    // An operator may not record the reason; an admin may.
    let reason = json!({"short_window_reason": "ابلاغ فوری وزیر برای شروع سال تحصیلی"});
    let (status, body) = t
        .call(
            "PATCH",
            &paths::consultation(id),
            Some(&t.operator),
            Some(reason.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    t.ok(
        "PATCH",
        &paths::consultation(id),
        Some(&t.admin),
        Some(reason),
    )
    .await;
    assert_eq!(publish(&t, id).await["status"], "open");
}

async fn publishing_twice_is_a_state_error(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = draft(&t, 0, 30).await;
    assert_eq!(publish(&t, id).await["status"], "open");
    // Not a silent success.
    let (status, body) = t
        .call(
            "POST",
            &paths::consultation_publish(id),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_state"))
    );
}

async fn a_missing_translation_is_refused(backend: Backend) {
    let t = TestServer::start(backend).await;
    let now = t.now();
    // Missing English: refused with its own code.
    let mut body = consultation_json(now, now + Duration::days(45));
    body["summary_en"] = json!("");
    let id = draft_from(&t, body).await;
    let (status, body) = t
        .call(
            "POST",
            &paths::consultation_publish(id),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "missing_translation");
    assert_eq!(status_of(&t, id).await, "draft");
}

async fn exactly_thirty_days_is_enough(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = draft(&t, 0, 30).await;
    assert_eq!(publish(&t, id).await["status"], "open");
}

async fn bad_windows_and_kinds_are_refused(backend: Backend) {
    let t = TestServer::start(backend).await;
    let now = t.now();
    // A window that ends before it starts.
    let (status, _) = t
        .call(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(consultation_json(now, now - Duration::days(1))),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // An unknown kind.
    let mut body = consultation_json(now, now + Duration::days(40));
    body["kind"] = json!("decree");
    let (status, body) = t
        .call("POST", paths::CONSULTATIONS, Some(&t.operator), Some(body))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
    );
    // Neither was stored.
    let list = t
        .ok("GET", paths::CONSULTATIONS, Some(&t.operator), None)
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0, "{list}");
}

/// A consultation published two days before it opens (a 38-day window), and a citizen.
struct Scheduled {
    t: TestServer,
    id: i64,
    citizen: String,
}

impl Scheduled {
    async fn start(backend: Backend) -> Self {
        let t = TestServer::start(backend).await;
        let id = draft(&t, 2, 40).await;
        assert_eq!(publish(&t, id).await["status"], "scheduled");
        let citizen = t.participant("رضا").await;
        Scheduled { t, id, citizen }
    }

    /// The citizen's comment is refused: the consultation is not open.
    async fn assert_comment_refused(&self, body: &str) {
        let path = paths::public_consultation_comments(self.id);
        let (status, body) = self
            .t
            .call(
                "POST",
                &path,
                Some(&self.citizen),
                Some(json!({"body": body})),
            )
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("consultation_not_open"))
        );
    }

    /// Two days on it is open, and takes a comment.
    async fn opens(&self) {
        self.t.clock().advance(Duration::days(2));
        assert_eq!(status_of(&self.t, self.id).await, "open");
        self.t.comment(self.id, &self.citizen, "حالا باز است").await;
    }

    /// 38 days after it opened it is closed.
    async fn closes(&self) {
        self.t.clock().advance(Duration::days(38));
        assert_eq!(status_of(&self.t, self.id).await, "closed");
    }

    /// The system's audit actions on this consultation, oldest first, once `action` is among them.
    async fn announced_until(&self, action: &str) -> Vec<String> {
        let t = &self.t;
        t.eventually(action, || async {
            let audit = t
                .ok(
                    "GET",
                    &format!("{}?limit=500", paths::AUDIT),
                    Some(&t.admin),
                    None,
                )
                .await;
            let announced: Vec<String> = audit["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| {
                    e["actor"] == "system" && e["target"] == format!("consultation:{}", self.id)
                })
                .map(|e| e["action"].as_str().unwrap().to_owned())
                .collect();
            announced.iter().any(|a| a == action).then_some(announced)
        })
        .await
    }

    async fn stored_comments(&self) -> usize {
        let page = self
            .t
            .ok(
                "GET",
                &format!("{}?consultation_id={}", paths::COMMENTS, self.id),
                Some(&self.t.moderator),
                None,
            )
            .await;
        page["items"].as_array().unwrap().len()
    }
}

async fn comments_are_refused_until_it_opens(backend: Backend) {
    let f = Scheduled::start(backend).await;
    f.assert_comment_refused("زود است").await;
    assert_eq!(f.stored_comments().await, 0);
    f.opens().await;
    assert_eq!(f.stored_comments().await, 1);
}

async fn comments_are_refused_once_it_closes(backend: Backend) {
    let f = Scheduled::start(backend).await;
    f.opens().await;
    f.closes().await;
    f.assert_comment_refused("دیر شد").await;
    // The refused comment was not stored.
    assert_eq!(f.stored_comments().await, 1);
}

async fn the_scheduler_announces_the_transitions(backend: Backend) {
    let f = Scheduled::start(backend).await;
    // Each transition is announced once the scheduler sees it (it ticks every 100 ms), and the
    // audit log says the system did it. Waiting for each in turn makes both certain.
    f.opens().await;
    assert_eq!(
        f.announced_until("consultation.open").await,
        ["consultation.open"]
    );
    f.closes().await;
    assert_eq!(
        f.announced_until("consultation.closed").await,
        ["consultation.open", "consultation.closed"]
    );
}

/// Four consultations, 61 days after they were made: a relaxed 45-day one and one closing two days
/// later (both published and since closed without a report), a draft missing its English title,
/// and one closed 31 days ago without a report.
struct Deadlines {
    t: TestServer,
    relaxed: i64,
    soon: i64,
    untranslated: i64,
    overdue: i64,
    /// The clock after the jump.
    now: DateTime<Utc>,
}

impl Deadlines {
    async fn start(backend: Backend) -> Self {
        let t = TestServer::start(backend).await;
        let relaxed = draft(&t, -5, 40).await;
        publish(&t, relaxed).await;
        let soon = draft(&t, -29, 2).await;
        publish(&t, soon).await;
        let now = t.now();
        let mut untranslated = consultation_json(now + Duration::days(1), now + Duration::days(40));
        untranslated["title_en"] = json!("");
        let untranslated = draft_from(&t, untranslated).await;
        // Published while it was open.
        let overdue = draft(&t, -1, 30).await;
        publish(&t, overdue).await;
        t.clock().advance(Duration::days(61));
        let now = t.now();
        Deadlines {
            t,
            relaxed,
            soon,
            untranslated,
            overdue,
            now,
        }
    }

    async fn items(&self) -> (Value, Vec<Value>) {
        let d = self
            .t
            .ok("GET", paths::DEADLINES, Some(&self.t.operator), None)
            .await;
        let items = d["items"].as_array().unwrap().clone();
        (d, items)
    }
}

fn find(items: &[Value], id: i64) -> Value {
    items
        .iter()
        .find(|i| i["consultation_id"] == id)
        .unwrap_or_else(|| panic!("consultation {id} in the deadlines"))
        .clone()
}

async fn deadlines_are_for_operators(backend: Backend) {
    let t = TestServer::start(backend).await;
    let (status, _) = t
        .call("GET", paths::DEADLINES, Some(&t.moderator), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    t.ok("GET", paths::DEADLINES, Some(&t.operator), None).await;
}

async fn deadline_flags(backend: Backend) {
    let f = Deadlines::start(backend).await;
    let (_, items) = f.items().await;
    assert_eq!(find(&items, f.overdue)["flags"], json!(["report_overdue"]));
    assert_eq!(
        find(&items, f.untranslated)["flags"],
        json!(["missing_translation"])
    );
    assert_eq!(find(&items, f.soon)["status"], "closed");
    // Closed 59 days ago without a report: overdue too.
    assert_eq!(find(&items, f.soon)["flags"], json!(["report_overdue"]));
    let relaxed = find(&items, f.relaxed);
    assert_eq!(relaxed["status"], "closed");
    assert_eq!(relaxed["window_days"], 45);
}

async fn deadlines_most_urgent_first(backend: Backend) {
    let f = Deadlines::start(backend).await;
    let (d, items) = f.items().await;
    // The one overdue longest comes first.
    assert_eq!(items[0]["consultation_id"], f.soon);
    assert_eq!(items[1]["consultation_id"], f.overdue);
    assert!(
        d["generated_at"]
            .as_str()
            .unwrap()
            .starts_with(&f.now.format("%Y-%m-%d").to_string())
    );
}

async fn a_fresh_consultation_is_closing_soon(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = draft(&t, -29, 2).await;
    publish(&t, id).await;
    let d = t.ok("GET", paths::DEADLINES, Some(&t.operator), None).await;
    let item = find(d["items"].as_array().unwrap(), id);
    assert_eq!(item["flags"], json!(["closing_soon"]));
    assert_eq!(item["days_left"], 2);
}

/// An open consultation and when it closes.
async fn open_with_close(t: &TestServer) -> (i64, DateTime<Utc>) {
    let id = t.open_consultation().await;
    (id, closes_at(t, id).await)
}

async fn closes_at(t: &TestServer, id: i64) -> DateTime<Utc> {
    let c = t
        .ok("GET", &paths::consultation(id), Some(&t.operator), None)
        .await;
    serde_json::from_value(c["closes_at"].clone()).unwrap()
}

async fn shortening_an_open_consultation_is_refused(backend: Backend) {
    let t = TestServer::start(backend).await;
    let (id, closes) = open_with_close(&t).await;
    let (status, _) = t
        .call(
            "PATCH",
            &paths::consultation(id),
            Some(&t.operator),
            Some(json!({"closes_at": closes - Duration::days(5)})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Nothing changed.
    assert_eq!(closes_at(&t, id).await, closes);
}

async fn extending_is_allowed_and_audited(backend: Backend) {
    let t = TestServer::start(backend).await;
    let (id, closes) = open_with_close(&t).await;
    let extended = closes + Duration::days(7);
    let c = t
        .ok(
            "PATCH",
            &paths::consultation(id),
            Some(&t.operator),
            Some(json!({"closes_at": extended})),
        )
        .await;
    assert_eq!(
        serde_json::from_value::<DateTime<Utc>>(c["closes_at"].clone()).unwrap(),
        extended
    );
    // Logged as an extension.
    let audit = t
        .ok(
            "GET",
            &format!("{}?limit=500", paths::AUDIT),
            Some(&t.admin),
            None,
        )
        .await;
    let entry = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "consultation.extend_deadline")
        .unwrap()
        .clone();
    assert_eq!(entry["actor"], "operator1");
    assert!(entry["before"]["closes_at"].is_string() && entry["after"]["closes_at"].is_string());
}

async fn early_close_is_for_admins_with_a_reason(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = t.open_consultation().await;
    let path = paths::consultation_close(id);
    let (status, _) = t
        .call(
            "POST",
            &path,
            Some(&t.operator),
            Some(json!({"reason": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = t
        .call("POST", &path, Some(&t.admin), Some(json!({"reason": "  "})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status_of(&t, id).await, "open");
    let c = t
        .ok(
            "POST",
            &path,
            Some(&t.admin),
            Some(json!({"reason": "لغو پیش‌نویس به دستور وزیر"})),
        )
        .await;
    assert_eq!(c["status"], "closed");
    assert_eq!(c["closed_early_reason"], "لغو پیش‌نویس به دستور وزیر");
    // Closing twice is a state error.
    let (status, _) = t
        .call(
            "POST",
            &path,
            Some(&t.admin),
            Some(json!({"reason": "again"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn consultations_page_by_keyset_and_filter_by_status(backend: Backend) {
    let t = TestServer::start(backend).await;
    // Four consultations, the first closed early.
    let closed = t.open_consultation().await;
    t.close(closed).await;
    for _ in 0..3 {
        t.open_consultation().await;
    }
    let first = t
        .ok(
            "GET",
            &format!("{}?limit=2", paths::CONSULTATIONS),
            Some(&t.moderator),
            None,
        )
        .await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let after = first["next_after"].as_str().unwrap();
    let second = t
        .ok(
            "GET",
            &format!("{}?limit=2&after={after}", paths::CONSULTATIONS),
            Some(&t.moderator),
            None,
        )
        .await;
    assert_eq!(second["items"].as_array().unwrap().len(), 2);
    assert!(second["items"][0]["id"].as_i64().unwrap() > first["items"][1]["id"].as_i64().unwrap());
    let open = t
        .ok(
            "GET",
            &format!("{}?status=open", paths::CONSULTATIONS),
            Some(&t.moderator),
            None,
        )
        .await;
    assert_eq!(open["items"].as_array().unwrap().len(), 3);
}

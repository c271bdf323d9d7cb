//! The audit log over HTTP: every staff write appends one hash-chained entry, and a row altered or
//! removed behind the server's back is found by `GET /audit/verify` (and `verify_audit`, which the
//! `mosharekat audit verify` command runs).

mod support;

use chrono::Duration;
use mosharekat_api::paths;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, TestServer, consultation_json};

both!(
    staff_writes_are_recorded,
    consultation_writes_are_recorded,
    citizen_writes_and_queue_leases_leave_no_entry,
    moderation_decisions_are_recorded,
    the_served_log_is_one_chain,
    tampering_is_found,
);

/// Every entry after `after`, through the paged list.
async fn entries_after(t: &TestServer, mut after: i64) -> Vec<Value> {
    let mut out = Vec::new();
    loop {
        let page = t
            .ok(
                "GET",
                &format!("{}?after={after}&limit=3", paths::AUDIT),
                Some(&t.admin),
                None,
            )
            .await;
        let items = page["items"].as_array().unwrap().clone();
        out.extend(items);
        match page["next_after"].as_str() {
            Some(next) => after = next.parse().unwrap(),
            None => return out,
        }
    }
}

async fn last_id(t: &TestServer) -> i64 {
    entries_after(t, 0)
        .await
        .last()
        .map_or(0, |e| e["id"].as_i64().unwrap())
}

/// Run one write and check that it appended exactly one entry of `action` by `actor` on `target`.
async fn expect_one(t: &TestServer, before: i64, action: &str, actor: &str, target: &str) -> Value {
    let new = entries_after(t, before).await;
    assert_eq!(new.len(), 1, "{action}: {new:#?}");
    let e = new.into_iter().next().unwrap();
    assert_eq!(
        (
            e["action"].as_str(),
            e["actor"].as_str(),
            e["target"].as_str()
        ),
        (Some(action), Some(actor), Some(target)),
        "{e}"
    );
    e
}

/// Three pending comments by one citizen on consultation `cid`.
async fn three_comments(t: &TestServer, cid: i64) -> [i64; 3] {
    let citizen = t.participant("Leila").await;
    let first = t.comment(cid, &citizen, "نظر اول").await;
    let second = t.comment(cid, &citizen, "نظر دوم").await;
    let third = t.comment(cid, &citizen, "نظر سوم").await;
    [first, second, third]
}

fn moderator_json() -> Value {
    json!({"username": "l.moradi", "password": "a long passphrase", "role": "moderator"})
}

async fn staff_writes_are_recorded(backend: Backend) {
    let t = TestServer::start(backend).await;
    let at = last_id(&t).await;
    let staff = t
        .ok("POST", paths::STAFF, Some(&t.admin), Some(moderator_json()))
        .await;
    let sid = staff["id"].as_i64().unwrap();
    let e = expect_one(&t, at, "staff.create", "admin1", &format!("staff:{sid}")).await;
    assert_eq!(
        e["after"],
        json!({"username": "l.moradi", "role": "moderator"})
    );
    assert!(!e.to_string().contains("passphrase") && !e.to_string().contains("argon2"));
    let at = e["id"].as_i64().unwrap();

    t.ok(
        "PATCH",
        &paths::staff_member(sid),
        Some(&t.admin),
        Some(json!({"disabled": true})),
    )
    .await;
    let e = expect_one(&t, at, "staff.update", "admin1", &format!("staff:{sid}")).await;
    assert_eq!(
        (
            e["before"]["disabled"].as_bool(),
            e["after"]["disabled"].as_bool()
        ),
        (Some(false), Some(true))
    );

    // A refused write leaves no entry.
    let at = e["id"].as_i64().unwrap();
    let (status, _) = t
        .call("POST", paths::STAFF, Some(&t.admin), Some(moderator_json()))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(last_id(&t).await, at);
}

async fn consultation_writes_are_recorded(backend: Backend) {
    let t = TestServer::start(backend).await;
    let now = t.now();
    let at = last_id(&t).await;
    let c = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(consultation_json(
                now - Duration::days(1),
                now + Duration::days(35),
            )),
        )
        .await;
    let cid = c["id"].as_i64().unwrap();
    let target = format!("consultation:{cid}");
    let mut at = expect_one(&t, at, "consultation.create", "operator1", &target).await["id"]
        .as_i64()
        .unwrap();

    t.ok(
        "PATCH",
        &paths::consultation(cid),
        Some(&t.operator),
        Some(json!({"title_en": "Regulation, revised"})),
    )
    .await;
    let e = expect_one(&t, at, "consultation.update", "operator1", &target).await;
    assert_eq!(
        e["before"],
        json!({"title_en": "Executive regulation of non-governmental schools"})
    );
    assert_eq!(e["after"], json!({"title_en": "Regulation, revised"}));
    at = e["id"].as_i64().unwrap();

    t.ok(
        "POST",
        &paths::consultation_publish(cid),
        Some(&t.operator),
        None,
    )
    .await;
    let e = expect_one(&t, at, "consultation.publish", "operator1", &target).await;
    assert_eq!(e["after"]["status"], "open");
    at = e["id"].as_i64().unwrap();

    let later = c["closes_at"]
        .as_str()
        .unwrap()
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap()
        + Duration::days(7);
    t.ok(
        "PATCH",
        &paths::consultation(cid),
        Some(&t.operator),
        Some(json!({"closes_at": later})),
    )
    .await;
    let e = expect_one(&t, at, "consultation.extend_deadline", "operator1", &target).await;
    assert_eq!(e["before"]["closes_at"], c["closes_at"]);
    assert_eq!(
        e["after"]["closes_at"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap(),
        later
    );
    at = e["id"].as_i64().unwrap();

    let poll = t
        .ok(
            "POST",
            &paths::consultation_polls(cid),
            Some(&t.admin),
            Some(json!({"kind": "yes_no_abstain", "question_fa": "موافقید؟"})),
        )
        .await;
    at = expect_one(
        &t,
        at,
        "poll.create",
        "admin1",
        &format!("poll:{}", poll["id"]),
    )
    .await["id"]
        .as_i64()
        .unwrap();

    t.ok(
        "POST",
        &paths::consultation_close(cid),
        Some(&t.admin),
        Some(json!({"reason": "ابلاغ نسخه نهایی"})),
    )
    .await;
    let e = expect_one(&t, at, "consultation.close_early", "admin1", &target).await;
    assert_eq!(e["after"]["reason"], "ابلاغ نسخه نهایی");

    // A refused write leaves no entry.
    let at = e["id"].as_i64().unwrap();
    let (status, _) = t
        .call(
            "POST",
            &paths::consultation_close(cid),
            Some(&t.admin),
            Some(json!({"reason": "دوباره"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(last_id(&t).await, at);
}

/// Citizens' writes and queue leases are not staff writes of record: no entries.
async fn citizen_writes_and_queue_leases_leave_no_entry(backend: Backend) {
    let t = TestServer::start(backend).await;
    let cid = t.open_consultation().await;
    let poll = t
        .ok(
            "POST",
            &paths::consultation_polls(cid),
            Some(&t.admin),
            Some(json!({"kind": "yes_no_abstain", "question_fa": "موافقید؟"})),
        )
        .await;
    let at = last_id(&t).await;
    three_comments(&t, cid).await;
    let citizen = t.participant("Reza").await;
    t.ok(
        "POST",
        &paths::public_poll_ballots(poll["id"].as_i64().unwrap()),
        Some(&citizen),
        Some(json!({"option_ids": [poll["options"][0]["id"]]})),
    )
    .await;
    t.ok(
        "POST",
        paths::QUEUE_CLAIM,
        Some(&t.moderator),
        Some(json!({"limit": 1})),
    )
    .await;
    assert_eq!(last_id(&t).await, at);
}

async fn moderation_decisions_are_recorded(backend: Backend) {
    let t = TestServer::start(backend).await;
    let cid = t.open_consultation().await;
    let [first, second, third] = three_comments(&t, cid).await;
    let claim = t
        .ok(
            "POST",
            paths::QUEUE_CLAIM,
            Some(&t.moderator),
            Some(json!({"limit": 1})),
        )
        .await;
    let at = last_id(&t).await;

    let token = claim["items"][0]["claim_token"].as_str().unwrap();
    t.ok(
        "POST",
        &paths::comment_decision(first),
        Some(&t.moderator),
        Some(json!({"action": "reject", "reason_code": "off_topic", "claim_token": token})),
    )
    .await;
    let e = expect_one(
        &t,
        at,
        "comment.decide",
        "moderator1",
        &format!("comment:{first}"),
    )
    .await;
    assert_eq!(
        (
            e["before"]["status"].as_str(),
            e["after"]["status"].as_str()
        ),
        (Some("pending"), Some("rejected"))
    );
    assert_eq!(e["after"]["reason_code"], "off_topic");
    let at = e["id"].as_i64().unwrap();

    t.ok(
        "POST",
        paths::COMMENTS_BULK_DECISION,
        Some(&t.moderator),
        Some(json!({"ids": [second, third], "action": "approve"})),
    )
    .await;
    let e = expect_one(&t, at, "comment.bulk_decide", "moderator1", "comments").await;
    assert_eq!(e["after"]["decided"], json!([second, third]));
}

/// The log as served from the start: the test's own accounts, created by `system`, then a chain
/// in which each entry names the hash of the one before it.
async fn the_served_log_is_one_chain(backend: Backend) {
    let t = TestServer::start(backend).await;
    let setup = entries_after(&t, 0).await;
    assert_eq!(
        setup
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["staff.create"; 3]
    );
    assert!(setup.iter().all(|e| e["actor"] == "system"));

    t.ok("POST", paths::STAFF, Some(&t.admin), Some(moderator_json()))
        .await;
    let cid = t.open_consultation().await;
    let comments = three_comments(&t, cid).await;
    t.approve(&comments, &[]).await;
    t.close(cid).await;

    let all = entries_after(&t, 0).await;
    assert_eq!(all[0]["prev_hash"], "0".repeat(64));
    for pair in all.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
        assert!(pair[0]["id"].as_i64() < pair[1]["id"].as_i64());
    }
    let verified = t.ok("GET", paths::AUDIT_VERIFY, Some(&t.admin), None).await;
    assert_eq!(verified, json!({"entries": all.len()}));
}

/// Raw access to the test's database, to change rows behind the server's back.
enum RawDb {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl RawDb {
    async fn open(t: &TestServer) -> Self {
        if t.db.url.starts_with("sqlite:") {
            RawDb::Sqlite(sqlx::SqlitePool::connect(&t.db.url).await.unwrap())
        } else {
            RawDb::Postgres(sqlx::PgPool::connect(&t.db.url).await.unwrap())
        }
    }

    /// Run one statement with one text and one id parameter; returns the rows it changed.
    async fn exec(&self, sql: &'static str, text: &str, id: i64) -> u64 {
        match self {
            RawDb::Sqlite(pool) => sqlx::query(sql)
                .bind(text)
                .bind(id)
                .execute(pool)
                .await
                .unwrap()
                .rows_affected(),
            RawDb::Postgres(pool) => sqlx::query(sql)
                .bind(text)
                .bind(id)
                .execute(pool)
                .await
                .unwrap()
                .rows_affected(),
        }
    }

    async fn delete(&self, id: i64) -> u64 {
        const SQL: &str = "DELETE FROM audit_log WHERE id = $1";
        match self {
            RawDb::Sqlite(pool) => sqlx::query(SQL)
                .bind(id)
                .execute(pool)
                .await
                .unwrap()
                .rows_affected(),
            RawDb::Postgres(pool) => sqlx::query(SQL)
                .bind(id)
                .execute(pool)
                .await
                .unwrap()
                .rows_affected(),
        }
    }
}

async fn verify(t: &TestServer) -> Value {
    let http = t.ok("GET", paths::AUDIT_VERIFY, Some(&t.admin), None).await;
    let library = mosharekat_server::verify_audit(t.store().as_ref())
        .await
        .unwrap();
    assert_eq!(http, serde_json::to_value(&library).unwrap());
    http
}

async fn tampering_is_found(backend: Backend) {
    let t = TestServer::start(backend).await;
    for i in 0..4 {
        t.ok("POST", paths::STAFF, Some(&t.admin), Some(json!({"username": format!("staff.{i}"), "password": "a long passphrase", "role": "operator"})))
            .await;
    }
    t.open_consultation().await;
    let entries = entries_after(&t, 0).await;
    let ids: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    let n = ids.len();
    assert!(n >= 8, "{n}");
    assert_eq!(verify(&t).await, json!({"entries": n}));
    let raw = RawDb::open(&t).await;
    let middle = ids[n / 2];
    let original = entries[n / 2].clone();

    // Another actor.
    assert_eq!(
        raw.exec(
            "UPDATE audit_log SET actor = $1 WHERE id = $2",
            "mallory",
            middle
        )
        .await,
        1
    );
    assert_eq!(
        verify(&t).await,
        json!({"entries": n, "first_broken_id": middle})
    );
    // The log shows what is stored; verify is what tells it was changed.
    let shown = entries_after(&t, middle - 1).await;
    assert_eq!(shown[0]["actor"], "mallory");
    raw.exec(
        "UPDATE audit_log SET actor = $1 WHERE id = $2",
        original["actor"].as_str().unwrap(),
        middle,
    )
    .await;
    assert_eq!(verify(&t).await, json!({"entries": n}));

    // Another after-image, even one that is still valid JSON.
    let after = entries[1]["after"].to_string().replace("operator", "admin");
    assert_ne!(after, entries[1]["after"].to_string());
    raw.exec(
        "UPDATE audit_log SET after_json = $1 WHERE id = $2",
        &after,
        ids[1],
    )
    .await;
    assert_eq!(
        verify(&t).await,
        json!({"entries": n, "first_broken_id": ids[1]})
    );
    raw.exec(
        "UPDATE audit_log SET after_json = $1 WHERE id = $2",
        &entries[1]["after"].to_string(),
        ids[1],
    )
    .await;
    assert_eq!(verify(&t).await, json!({"entries": n}));

    // Another hash.
    raw.exec(
        "UPDATE audit_log SET hash = $1 WHERE id = $2",
        &"f".repeat(64),
        middle,
    )
    .await;
    assert_eq!(verify(&t).await["first_broken_id"], middle);
    raw.exec(
        "UPDATE audit_log SET hash = $1 WHERE id = $2",
        original["hash"].as_str().unwrap(),
        middle,
    )
    .await;
    assert_eq!(verify(&t).await, json!({"entries": n}));

    // A removed row: the entry after it no longer links.
    assert_eq!(raw.delete(middle).await, 1);
    assert_eq!(
        verify(&t).await,
        json!({"entries": n - 1, "first_broken_id": ids[n / 2 + 1]})
    );
}

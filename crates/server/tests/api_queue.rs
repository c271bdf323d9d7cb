//! The moderation queue over HTTP: exclusive leased claims, decisions with claim tokens and
//! idempotency keys, bulk decisions on campaign groups, comment validation.

mod support;

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Duration;
use mosharekat_api::Role;
use mosharekat_api::paths;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, TestServer};

both!(
    invalid_comments_are_refused_and_not_stored,
    bodies_are_kept_exactly_as_typed,
    a_reply_is_claimed_with_its_thread,
    campaign_groups,
    claims_are_exclusive_and_a_release_returns_the_item,
    renewed_leases_hold_and_expired_ones_return,
    an_unfiltered_claim_spans_consultations_and_limits_are_checked,
    decisions_need_a_valid_claim,
    a_decision_replays_once_per_idempotency_key,
    a_revision_needs_no_claim_and_is_recorded,
    bulk_decision_on_a_group,
    twenty_moderators_claim_two_thousand_comments,
);

/// An open consultation and a citizen, Sara, to comment on it.
async fn sara(t: &TestServer) -> (i64, String) {
    let id = t.open_consultation().await;
    let citizen = t.participant("Sara").await;
    (id, citizen)
}

/// A body a terminal or a bidi-unaware view would mangle: controls and a bidi override.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2Jسلام \u{202e}cod.exe\u{202c} (ماده ۱۲)";

async fn invalid_comments_are_refused_and_not_stored(backend: Backend) {
    let t = TestServer::start(backend).await;
    let (id, citizen) = sara(&t).await;
    let path = paths::public_consultation_comments(id);

    let cases: Vec<(Value, StatusCode, &str)> = vec![
        (
            json!({"body": ""}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_body",
        ),
        (
            json!({"body": " \n\u{200c} "}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_body",
        ),
        (
            json!({"body": "ب".repeat(10_001)}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "body_too_long",
        ),
        (
            json!({"body": "a\u{0}b"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_text",
        ),
        (
            json!({"body": 5}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            json!({"body": "پاسخ", "parent_id": 999_999}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
    ];
    for (body, status, code) in cases {
        let (s, b) = t
            .call("POST", &path, Some(&citizen), Some(body.clone()))
            .await;
        assert_eq!(
            (s, b["error"]["code"].as_str()),
            (status, Some(code)),
            "{body}"
        );
    }
    // Without a token, or with a made-up one.
    let (s, _) = t
        .call("POST", &path, None, Some(json!({"body": "x"})))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = t
        .call("POST", &path, Some("nope"), Some(json!({"body": "x"})))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Unknown consultation.
    let (s, _) = t
        .call(
            "POST",
            &paths::public_consultation_comments(424_242),
            Some(&citizen),
            Some(json!({"body": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Nothing was stored by any of that.
    let page = t
        .ok(
            "GET",
            &format!("{}?consultation_id={id}", paths::COMMENTS),
            Some(&t.moderator),
            None,
        )
        .await;
    assert!(page["items"].as_array().unwrap().is_empty());
}

/// A body is kept exactly as typed: controls, bidi overrides, 10,000 characters.
async fn bodies_are_kept_exactly_as_typed(backend: Backend) {
    let t = TestServer::start(backend).await;
    let (id, citizen) = sara(&t).await;
    let cid = t.comment(id, &citizen, HOSTILE).await;
    let stored = t
        .ok("GET", &paths::comment(cid), Some(&t.moderator), None)
        .await;
    assert_eq!(stored["body"], HOSTILE);
    assert_eq!(stored["status"], "pending");
    assert_eq!(stored["participant"]["display_name"], "Sara");
    assert_eq!(stored["participant"]["age_band"], "35_44");
    let long = "ب".repeat(10_000);
    let lid = t.comment(id, &citizen, &long).await;
    assert_eq!(
        t.ok("GET", &paths::comment(lid), Some(&t.moderator), None)
            .await["body"],
        long.as_str()
    );
}

/// Replies: thread context comes with a claim.
async fn a_reply_is_claimed_with_its_thread(backend: Backend) {
    let t = TestServer::start(backend).await;
    let (id, citizen) = sara(&t).await;
    let cid = t.comment(id, &citizen, HOSTILE).await;
    let (s, b) = t
        .call(
            "POST",
            &paths::public_consultation_comments(id),
            Some(&citizen),
            Some(json!({"body": "پاسخ به نظر قبلی", "parent_id": cid, "is_proposal": true})),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{b}");
    let reply = b["id"].as_i64().unwrap();
    let claim = t
        .ok(
            "POST",
            paths::QUEUE_CLAIM,
            Some(&t.moderator),
            Some(json!({"limit": 10})),
        )
        .await;
    let item = claim["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == reply)
        .unwrap()
        .clone();
    assert_eq!(item["is_proposal"], true);
    assert_eq!(item["thread"][0]["id"], cid);
    assert_eq!(item["thread"][0]["body"], HOSTILE);
    assert_eq!(
        item["consultation_title_en"],
        "Executive regulation of non-governmental schools"
    );
}

async fn campaign_groups(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = t.open_consultation().await;
    let texts = [
        "این آيين‌نامه در ماده ۱۲ مشكل دارد.",
        "اين آیین نامه در  ماده 12 مشکل دارد",
        "این آیین‌نامه در ماده ١٢ مشکل دارد!",
    ];
    let mut ids = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let citizen = t.participant(&format!("p{i}")).await;
        ids.push(t.comment(id, &citizen, text).await);
    }
    let other = t
        .comment(id, &t.participant("q").await, "متن دیگری است")
        .await;
    let first = t
        .ok("GET", &paths::comment(ids[0]), Some(&t.moderator), None)
        .await;
    let group = first["duplicate_group_id"].as_i64().unwrap();
    for cid in &ids {
        let c = t
            .ok("GET", &paths::comment(*cid), Some(&t.moderator), None)
            .await;
        assert_eq!(c["duplicate_group_id"], group);
        assert_eq!(c["duplicate_group_size"], 3);
    }
    let o = t
        .ok("GET", &paths::comment(other), Some(&t.moderator), None)
        .await;
    assert_ne!(o["duplicate_group_id"], group);
    assert_eq!(o["duplicate_group_size"], 1);
    let members = t
        .ok(
            "GET",
            &format!("{}?duplicate_group_id={group}", paths::COMMENTS),
            Some(&t.moderator),
            None,
        )
        .await;
    assert_eq!(members["items"].as_array().unwrap().len(), 3);
}

/// Two open consultations, five pending comments on the first and one on the other, and a
/// second moderator.
struct Queue {
    t: TestServer,
    id: i64,
    other: i64,
    second: String,
}

async fn queue(backend: Backend) -> Queue {
    let t = TestServer::start(backend).await;
    let id = t.open_consultation().await;
    let other = t.open_consultation().await;
    let citizen = t.participant("x").await;
    for i in 0..5 {
        t.comment(id, &citizen, &format!("نظر شماره {i}")).await;
    }
    t.comment(other, &citizen, "در مشاوره دیگر").await;
    let second = t.add_staff("moderator2", Role::Moderator).await;
    Queue {
        t,
        id,
        other,
        second,
    }
}

impl Queue {
    /// Claim up to `limit` items of the first consultation as `token`'s moderator.
    async fn claim(&self, token: &str, limit: u32) -> Value {
        self.t
            .ok(
                "POST",
                paths::QUEUE_CLAIM,
                Some(token),
                Some(json!({"consultation_id": self.id, "limit": limit})),
            )
            .await
    }
}

/// The comment ids of a claim's answer.
fn ids(v: &Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

/// The claim tokens of a claim's answer, from item `from` on.
fn tokens(v: &Value, from: usize) -> Vec<String> {
    v["items"].as_array().unwrap()[from..]
        .iter()
        .map(|i| i["claim_token"].as_str().unwrap().into())
        .collect()
}

async fn claims_are_exclusive_and_a_release_returns_the_item(backend: Backend) {
    let q = queue(backend).await;
    let t = &q.t;
    let a = q.claim(&t.moderator, 3).await;
    let b = q.claim(&q.second, 10).await;
    assert_eq!(ids(&a).len(), 3);
    assert_eq!(
        ids(&b).len(),
        2,
        "the second moderator gets only what is left"
    );
    assert!(ids(&a).iter().all(|i| !ids(&b).contains(i)));
    assert!(ids(&a).windows(2).all(|w| w[0] < w[1]), "oldest first");

    // Release one of mine: it goes back to the queue.
    let r = t
        .ok(
            "POST",
            paths::QUEUE_RELEASE,
            Some(&t.moderator),
            Some(json!({"claim_tokens": tokens(&a, 0)[..1]})),
        )
        .await;
    assert_eq!(r["released"], 1);
    let c = q.claim(&q.second, 10).await;
    assert_eq!(ids(&c), vec![ids(&a)[0]]);
}

/// Renewing keeps a lease alive past its original end; an expired lease returns the item.
async fn renewed_leases_hold_and_expired_ones_return(backend: Backend) {
    let q = queue(backend).await;
    let t = &q.t;
    let a = q.claim(&t.moderator, 3).await;
    let b = q.claim(&q.second, 10).await;
    t.clock().advance(Duration::minutes(4));
    let r = t
        .ok(
            "POST",
            paths::QUEUE_RENEW,
            Some(&t.moderator),
            Some(json!({"claim_tokens": tokens(&a, 0)})),
        )
        .await;
    assert_eq!(r["renewed"], 3);
    t.clock().advance(Duration::minutes(4));
    // The second moderator's claims (not renewed) expired 3 minutes ago and come back; the renewed
    // ones are still held.
    let d = q.claim(&q.second, 10).await;
    assert_eq!(ids(&d), ids(&b));
    let e = q.claim(&t.moderator, 10).await;
    assert!(ids(&e).is_empty(), "everything is held: {e}");
}

async fn an_unfiltered_claim_spans_consultations_and_limits_are_checked(backend: Backend) {
    let q = queue(backend).await;
    let t = &q.t;
    q.claim(&t.moderator, 10).await;
    // Without a consultation filter the other consultation's comment comes too.
    let all = t
        .ok(
            "POST",
            paths::QUEUE_CLAIM,
            Some(&q.second),
            Some(json!({"limit": 10})),
        )
        .await;
    assert_eq!(all["items"][0]["consultation_id"], q.other);

    let (s, _) = t
        .call(
            "POST",
            paths::QUEUE_CLAIM,
            Some(&t.moderator),
            Some(json!({"limit": 0})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = t
        .call(
            "POST",
            paths::QUEUE_CLAIM,
            Some(&t.moderator),
            Some(json!({"limit": 201})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

/// One pending comment, and a second moderator.
struct OneComment {
    t: TestServer,
    cid: i64,
    second: String,
}

async fn one_comment(backend: Backend) -> OneComment {
    let t = TestServer::start(backend).await;
    let id = t.open_consultation().await;
    let citizen = t.participant("x").await;
    let cid = t.comment(id, &citizen, "نظری درباره ماده ۴").await;
    let second = t.add_staff("moderator2", Role::Moderator).await;
    OneComment { t, cid, second }
}

impl OneComment {
    /// The first moderator claims the comment; its claim token.
    async fn claim(&self) -> String {
        let t = &self.t;
        let claim = t
            .ok(
                "POST",
                paths::QUEUE_CLAIM,
                Some(&t.moderator),
                Some(json!({"limit": 1})),
            )
            .await;
        claim["items"][0]["claim_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

async fn decisions_need_a_valid_claim(backend: Backend) {
    let fixture = one_comment(backend).await;
    let OneComment { t, cid, second } = &fixture;
    let path = paths::comment_decision(*cid);
    // Not claimed: refused.
    let (s, b) = t
        .call(
            "POST",
            &path,
            Some(&t.moderator),
            Some(json!({"action": "approve"})),
        )
        .await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("claim_invalid"))
    );
    let token = fixture.claim().await;
    // Someone else's token, or no reason for a rejection: refused, nothing changes.
    let (s, _) = t
        .call(
            "POST",
            &path,
            Some(second),
            Some(json!({"action": "approve", "claim_token": token})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, b) = t
        .call(
            "POST",
            &path,
            Some(&t.moderator),
            Some(json!({"action": "reject", "claim_token": token})),
        )
        .await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason_required"))
    );
    let (s, b) = t
        .call(
            "POST",
            &path,
            Some(&t.moderator),
            Some(json!({"action": "reject", "reason_code": "bogus", "claim_token": token})),
        )
        .await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_reason"))
    );
    assert_eq!(
        t.ok("GET", &paths::comment(*cid), Some(&t.moderator), None)
            .await["status"],
        "pending"
    );

    let (s, _) = t
        .call(
            "POST",
            &paths::comment_decision(999_999),
            Some(&t.moderator),
            Some(json!({"action": "approve"})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn a_decision_replays_once_per_idempotency_key(backend: Backend) {
    let fixture = one_comment(backend).await;
    let token = fixture.claim().await;
    let OneComment { t, cid, .. } = &fixture;
    let path = paths::comment_decision(*cid);
    // The same request with the same key, three times: applied once, answered the same each time.
    let body =
        json!({"action": "approve", "claim_token": token, "tags": ["تامین_بودجه"], "note": "مفید"});
    let send = |key: &'static str, body: Value| {
        let req = t
            .http
            .post(t.url(&path))
            .bearer_auth(&t.moderator)
            .header("Idempotency-Key", key)
            .json(&body);
        async move {
            let r = req.send().await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        }
    };
    let (s1, first) = send("k-1", body.clone()).await;
    assert_eq!(s1, StatusCode::OK, "{first}");
    assert_eq!(first["comment"]["status"], "approved");
    assert_eq!(first["comment"]["decision"]["decided_by"], "moderator1");
    assert_eq!(first["comment"]["decision"]["tags"], json!(["تامین_بودجه"]));
    let (s2, again) = send("k-1", body.clone()).await;
    let (s3, third) = send("k-1", body.clone()).await;
    assert_eq!((s2, s3), (StatusCode::OK, StatusCode::OK));
    assert_eq!(again, first);
    assert_eq!(third, first);
    // Same key, different body: refused.
    let (s4, b4) = send(
        "k-1",
        json!({"action": "hide", "reason_code": "spam", "claim_token": token}),
    )
    .await;
    assert_eq!(
        (s4, b4["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("idempotency_key_reused")
        )
    );
    let audit = t
        .ok(
            "GET",
            &format!("{}?limit=500", paths::AUDIT),
            Some(&t.admin),
            None,
        )
        .await;
    let decisions = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "comment.decide")
        .count();
    assert_eq!(decisions, 1, "applied exactly once");
}

async fn a_revision_needs_no_claim_and_is_recorded(backend: Backend) {
    let fixture = one_comment(backend).await;
    let token = fixture.claim().await;
    let OneComment { t, cid, second } = &fixture;
    let path = paths::comment_decision(*cid);
    t.ok(
        "POST",
        &path,
        Some(&t.moderator),
        Some(json!({"action": "approve", "claim_token": token})),
    )
    .await;
    // A revision of a decided comment needs no claim and is recorded.
    let revised = t
        .ok(
            "POST",
            &path,
            Some(second),
            Some(json!({"action": "hide", "reason_code": "personal_data", "note": "شماره تلفن"})),
        )
        .await;
    assert_eq!(revised["comment"]["status"], "hidden");
    assert_eq!(revised["comment"]["decision"]["decided_by"], "moderator2");
}

async fn bulk_decision_on_a_group(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = t.open_consultation().await;
    let mut members = Vec::new();
    for i in 0..6 {
        let citizen = t.participant(&format!("c{i}")).await;
        members.push(
            t.comment(id, &citizen, "کمپین: با افزایش شهریه مخالفیم")
                .await,
        );
    }
    let lone = t.comment(id, &t.participant("z").await, "نظر مستقل").await;
    let group = t
        .ok("GET", &paths::comment(members[0]), Some(&t.moderator), None)
        .await["duplicate_group_id"]
        .clone();
    // Another moderator holds two members; one member was already decided.
    let second = t.add_staff("moderator2", Role::Moderator).await;
    let held = t
        .ok(
            "POST",
            paths::QUEUE_CLAIM,
            Some(&second),
            Some(json!({"limit": 2})),
        )
        .await;
    let mine = t
        .ok(
            "POST",
            paths::QUEUE_CLAIM,
            Some(&t.moderator),
            Some(json!({"limit": 1})),
        )
        .await;
    let token = mine["items"][0]["claim_token"].as_str().unwrap();
    t.ok(
        "POST",
        &paths::comment_decision(members[2]),
        Some(&t.moderator),
        Some(json!({"action": "approve", "claim_token": token})),
    )
    .await;

    let r = t
        .ok("POST", paths::COMMENTS_BULK_DECISION, Some(&t.moderator), Some(json!({"duplicate_group_id": group, "action": "reject", "reason_code": "duplicate"})))
        .await;
    let decided: Vec<i64> = serde_json::from_value(r["decided"].clone()).unwrap();
    assert_eq!(decided, members[3..].to_vec());
    let skipped: Vec<(i64, String)> = r["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_i64().unwrap(),
                s["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    let held_ids: Vec<i64> = held["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(held_ids, members[..2].to_vec());
    assert_eq!(
        skipped,
        vec![
            (members[0], "claimed_by_other".into()),
            (members[1], "claimed_by_other".into()),
            (members[2], "already_decided".into())
        ]
    );
    assert_eq!(
        t.ok("GET", &paths::comment(lone), Some(&t.moderator), None)
            .await["status"],
        "pending"
    );
    let (s, _) = t
        .call(
            "POST",
            paths::COMMENTS_BULK_DECISION,
            Some(&t.moderator),
            Some(json!({"ids": [lone], "duplicate_group_id": group, "action": "approve"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .ok(
            "POST",
            paths::COMMENTS_BULK_DECISION,
            Some(&t.moderator),
            Some(json!({"ids": [lone], "action": "approve"})),
        )
        .await;
    assert_eq!(r["decided"], json!([lone]));
}

async fn twenty_moderators_claim_two_thousand_comments(backend: Backend) {
    let t = Arc::new(TestServer::start(backend).await);
    let id = t.open_consultation().await;
    // Ingest through the store directly: this test is about claims, not HTTP ingestion speed.
    let pid = t
        .store()
        .create_participant(
            &serde_json::from_value(
                json!({"display_name": "x", "category": "public", "consent": true}),
            )
            .unwrap(),
            "h",
            t.now(),
        )
        .await
        .unwrap();
    for i in 0..2000 {
        let record = mosharekat_server::store::NewCommentRecord {
            consultation_id: id,
            participant_id: pid,
            body: format!("نظر {i}"),
            parent_id: None,
            is_proposal: false,
            text_hash: format!("{i}"),
            article_id: None,
            source: mosharekat_api::CommentSource::Web,
        };
        t.store().add_comment(&record, t.now()).await.unwrap();
    }
    let mut moderators = Vec::new();
    for m in 0..20 {
        moderators.push(t.add_staff(&format!("mod{m:02}"), Role::Moderator).await);
    }
    let mut tasks = Vec::new();
    for token in moderators {
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let r = t
                    .ok(
                        "POST",
                        paths::QUEUE_CLAIM,
                        Some(&token),
                        Some(json!({"limit": 25})),
                    )
                    .await;
                let items = r["items"].as_array().unwrap();
                if items.is_empty() {
                    return mine;
                }
                mine.extend(items.iter().map(|i| i["id"].as_i64().unwrap()));
            }
        }));
    }
    let mut seen = HashSet::new();
    let mut total = 0;
    for task in tasks {
        for id in task.await.unwrap() {
            total += 1;
            assert!(seen.insert(id), "comment {id} claimed twice");
        }
    }
    assert_eq!(total, 2000);
    assert_eq!(
        seen.len(),
        2000,
        "every comment claimed exactly once, none lost"
    );
}

//! Live events: SSE with resume by Last-Event-ID, and fan-out between two server instances over one
//! PostgreSQL database.

mod support;

use mosharekat_api::paths;
use mosharekat_server::ServerConfig;
use serde_json::json;
use support::{Backend, SseReader, TestDb, TestServer};

both!(reconnect_with_last_event_id_misses_nothing);

async fn reconnect_with_last_event_id_misses_nothing(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = t.open_consultation().await;
    let citizen = t.participant("x").await;
    let base = t.server.url();

    let mut sse = SseReader::connect(&base, &t.moderator, None).await;
    let first = t.comment(id, &citizen, "نخستین").await;
    let m = sse.take(1).await;
    assert_eq!(m[0].event, "comment.created");
    assert_eq!(m[0].data["data"]["comment_id"], first);
    let last_seen = m[0].id;
    drop(sse);

    // While disconnected: three comments and a decision.
    let mut missed = Vec::new();
    for i in 0..3 {
        missed.push(t.comment(id, &citizen, &format!("در غیاب {i}")).await);
    }
    let claim = t
        .ok(
            "POST",
            paths::QUEUE_CLAIM,
            Some(&t.moderator),
            Some(json!({"limit": 1})),
        )
        .await;
    let token = claim["items"][0]["claim_token"].as_str().unwrap();
    t.ok(
        "POST",
        &paths::comment_decision(first),
        Some(&t.moderator),
        Some(json!({"action": "approve", "claim_token": token})),
    )
    .await;

    let mut sse = SseReader::connect(&base, &t.moderator, Some(last_seen)).await;
    let got = sse.take(4).await;
    let created: Vec<i64> = got
        .iter()
        .filter(|m| m.event == "comment.created")
        .map(|m| m.data["data"]["comment_id"].as_i64().unwrap())
        .collect();
    assert_eq!(created, missed);
    assert_eq!(got[3].event, "comment.decided");
    assert_eq!(got[3].data["data"]["status"], "approved");
    assert!(
        got.windows(2).all(|w| w[0].id < w[1].id),
        "in sequence order"
    );
    assert!(got[0].id > last_seen);

    // And it keeps streaming live after the catch-up.
    let live = t.comment(id, &citizen, "زنده").await;
    let m = sse.take(1).await;
    assert_eq!(m[0].data["data"]["comment_id"], live);
    // Nothing else is pending.
    assert!(
        sse.next(std::time::Duration::from_millis(300))
            .await
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_through_one_instance_reaches_the_other() {
    let db = TestDb::new(Backend::Postgres).await;
    let a = mosharekat_server::start(support::config(&db.url))
        .await
        .unwrap();
    let b = mosharekat_server::start(ServerConfig {
        ..support::config(&db.url)
    })
    .await
    .unwrap();
    let b_url = b.url();
    let t = TestServer::with(a, db).await;
    // The staff token works on either instance: sessions live in the shared database.
    let mut sse = SseReader::connect(&b_url, &t.moderator, None).await;
    let id = t.open_consultation().await;
    let citizen = t.participant("x").await;
    let cid = t.comment(id, &citizen, "از طریق نمونه اول").await;
    let mut found = false;
    for m in sse.take(2).await {
        if m.event == "comment.created" {
            assert_eq!(m.data["data"]["comment_id"], cid);
            found = true;
        }
    }
    assert!(found, "the comment event crossed instances");
    b.shutdown().await;
}

//! Migration 0005 (verified phones) over a database that already has participants: they keep
//! every field and their comments, become unverified, and the server then serves them (they may
//! comment, and verify a number to vote).

mod support;

use mosharekat_api::paths;
use reqwest::StatusCode;
use serde_json::json;
use support::{Backend, TestServer};

both!(participants_before_0005_keep_their_data);

/// The migrations before 0005 of `migrator`.
fn up_to_0004(mut migrator: sqlx::migrate::Migrator) -> sqlx::migrate::Migrator {
    migrator.migrations = migrator
        .migrations
        .iter()
        .filter(|m| m.version < 5)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    migrator
}

const INSERT: &str = "INSERT INTO participants (display_name, category, birth_year, gender, province,
    channel, handle, consent, name_public, language, token_hash, created_at)
    VALUES ('پیشین', 'ngo', 1980, 'male', 'fars', 'bale', '@old', TRUE, FALSE, 'fa', $1, 1700000000000)";

async fn participants_before_0005_keep_their_data(backend: Backend) {
    let token = mosharekat_server::auth::random_token();
    let hash = mosharekat_server::auth::token_hash(&token);
    let db = support::TestDb::new(backend).await;
    match backend {
        Backend::Sqlite => {
            let options: sqlx::sqlite::SqliteConnectOptions = db
                .url
                .parse::<sqlx::sqlite::SqliteConnectOptions>()
                .unwrap()
                .create_if_missing(true);
            let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
            up_to_0004(sqlx::migrate!("./migrations/sqlite"))
                .run(&pool)
                .await
                .unwrap();
            sqlx::query(INSERT)
                .bind(&hash)
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            up_to_0004(sqlx::migrate!("./migrations/postgres"))
                .run(&pool)
                .await
                .unwrap();
            sqlx::query(INSERT)
                .bind(&hash)
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
    }
    let mut config = support::config(&db.url);
    config.sms.demo = true;
    let server = mosharekat_server::start(config).await.unwrap();
    let t = TestServer::with(server, db).await;
    let old = t
        .store()
        .participant_by_token(&hash)
        .await
        .unwrap()
        .expect("the participant is still there");
    assert_eq!(old.display_name, "پیشین");
    assert_eq!(old.birth_year, Some(1980));
    assert_eq!(old.handle.as_deref(), Some("@old"));
    assert!(old.verified_at.is_none());
    // Still takes part: comments; proves a number with their token and then votes.
    let c = t.open_consultation().await;
    t.comment(c, &token, "نظری پس از به‌روزرسانی").await;
    let code = t.code_for("09151234567").await;
    let attached = t
        .ok(
            "POST",
            paths::PUBLIC_PARTICIPANTS,
            Some(&token),
            Some(json!({"phone": "09151234567", "code": code})),
        )
        .await;
    assert_eq!(attached["participant_id"], json!(old.id));
    let poll = t
        .ok(
            "POST",
            &paths::consultation_polls(c),
            Some(&t.operator),
            Some(json!({"kind": "yes_no_abstain", "question_fa": "موافقید؟", "question_en": "Agree?"})),
        )
        .await;
    let (status, body) = t
        .call(
            "POST",
            &paths::public_poll_ballots(poll["id"].as_i64().unwrap()),
            Some(&token),
            Some(json!({"option_ids": [poll["options"][0]["id"]]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

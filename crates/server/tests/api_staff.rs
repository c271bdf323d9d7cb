//! Staff accounts and sessions over HTTP: login, logout, disabling, role changes, account rules,
//! session expiry.

mod support;

use chrono::Duration;
use mosharekat_api::paths;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, PASSWORD, TestDb, TestServer};

both!(
    login_and_logout,
    an_admins_new_account_logs_in_at_once,
    bad_accounts_are_refused_and_not_created,
    only_admins_list_accounts_without_hashes,
    a_role_change_applies_to_live_sessions,
    an_admin_cannot_lock_themself_out,
    unknown_accounts_and_bad_patches_are_refused,
    disabling_ends_sessions,
    sessions_expire
);

async fn login(t: &TestServer, username: &str, password: &str) -> (StatusCode, Value) {
    t.call(
        "POST",
        paths::LOGIN,
        None,
        Some(json!({"username": username, "password": password})),
    )
    .await
}

async fn login_and_logout(backend: Backend) {
    let t = TestServer::start(backend).await;
    let before = t.now();
    let (status, body) = login(&t, "operator1", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["role"], "operator");
    assert_eq!(body["username"], "operator1");
    let token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    let expires: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(body["expires_at"].clone()).unwrap();
    let ttl = t.server.state.config.session_ttl;
    assert!(expires >= before + ttl && expires <= t.now() + ttl);
    // The token works; surrounding whitespace in the username is forgiven.
    t.ok("GET", paths::DEADLINES, Some(&token), None).await;
    assert_eq!(login(&t, " operator1 ", PASSWORD).await.0, StatusCode::OK);
    // The bearer scheme is case-insensitive; other schemes are not a session.
    let resp = t
        .http
        .get(t.url(paths::DEADLINES))
        .header("authorization", format!("bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = t
        .http
        .get(t.url(paths::DEADLINES))
        .header("authorization", format!("Token {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    // Wrong password and unknown user: the same answer, so names cannot be probed.
    let (s1, wrong_password) = login(&t, "operator1", "not the password").await;
    let (s2, unknown_user) = login(&t, "nobody", PASSWORD).await;
    let (s3, empty) = login(&t, "", "").await;
    assert_eq!(
        (s1, s2, s3),
        (
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED
        )
    );
    assert_eq!(wrong_password, unknown_user);
    assert_eq!(wrong_password, empty);
    assert_eq!(wrong_password["error"]["code"], "unauthorized");
    // Passwords are compared exactly.
    assert_eq!(
        login(&t, "operator1", &PASSWORD.to_uppercase()).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login(&t, "operator1", &format!("{PASSWORD} ")).await.0,
        StatusCode::UNAUTHORIZED
    );
    // A request that is not a login.
    let (status, err) = t
        .call(
            "POST",
            paths::LOGIN,
            None,
            Some(json!({"username": "operator1"})),
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
    );

    // Logout ends this session only.
    let (status, _) = t.call("POST", paths::LOGOUT, Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, err) = t.call("GET", paths::DEADLINES, Some(&token), None).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    assert_eq!(
        t.call("POST", paths::LOGOUT, Some(&token), None).await.0,
        StatusCode::UNAUTHORIZED
    );
    t.ok("GET", paths::DEADLINES, Some(&t.operator), None).await;
}

/// An admin asks for an account.
async fn create(t: &TestServer, username: &str, password: &str, role: &str) -> (StatusCode, Value) {
    let body = json!({"username": username, "password": password, "role": role});
    t.call("POST", paths::STAFF, Some(&t.admin), Some(body))
        .await
}

/// A server with one account added by the admin: the moderator s.ahmadi, logged in.
struct Account {
    t: TestServer,
    id: i64,
    token: String,
}

impl Account {
    async fn start(backend: Backend) -> Self {
        let t = TestServer::start(backend).await;
        let (status, created) = create(&t, "s.ahmadi", "a long passphrase", "moderator").await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["username"], "s.ahmadi");
        assert_eq!(created["role"], "moderator");
        assert_eq!(created["disabled"], false);
        let id = created["id"].as_i64().unwrap();
        // The new account can log in at once.
        let (status, session) = login(&t, "s.ahmadi", "a long passphrase").await;
        assert_eq!(status, StatusCode::OK);
        let token = session["token"].as_str().unwrap().to_owned();
        Account { t, id, token }
    }

    /// The accounts the admin sees.
    async fn list(&self) -> Value {
        let t = &self.t;
        t.ok("GET", paths::STAFF, Some(&t.admin), None).await
    }
}

async fn an_admins_new_account_logs_in_at_once(backend: Backend) {
    // The fixture checks what the admin gets back and the first login.
    let f = Account::start(backend).await;
    let (status, _) = f.t.call("GET", paths::COMMENTS, Some(&f.token), None).await;
    assert_eq!(status, StatusCode::OK);
}

async fn bad_accounts_are_refused_and_not_created(backend: Backend) {
    let f = Account::start(backend).await;
    let refused: Vec<(&str, &str, &str, StatusCode, &str)> = vec![
        (
            "s.ahmadi",
            "another long one",
            "operator",
            StatusCode::CONFLICT,
            "username_taken",
        ),
        (
            "ab",
            "a long passphrase",
            "moderator",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "with space",
            "a long passphrase",
            "moderator",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "سارا",
            "a long passphrase",
            "moderator",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "x".repeat(65).leak(),
            "a long passphrase",
            "moderator",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "short.pw",
            "123456789",
            "moderator",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "bad.role",
            "a long passphrase",
            "root",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
    ];
    for (username, password, role, status, code) in refused {
        let (s, err) = create(&f.t, username, password, role).await;
        assert_eq!(
            (s, err["error"]["code"].as_str()),
            (status, Some(code)),
            "{username}/{role}"
        );
    }
    let list = f.list().await;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["username"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["admin1", "operator1", "moderator1", "s.ahmadi"],
        "refused accounts were not created"
    );
}

async fn only_admins_list_accounts_without_hashes(backend: Backend) {
    let f = Account::start(backend).await;
    let t = &f.t;
    assert!(!f.list().await.to_string().contains("argon2"));
    for token in [&t.operator, &t.moderator, &f.token] {
        assert_eq!(
            t.call("GET", paths::STAFF, Some(token), None).await.0,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        t.call("GET", paths::STAFF, None, None).await.0,
        StatusCode::UNAUTHORIZED
    );
}

async fn a_role_change_applies_to_live_sessions(backend: Backend) {
    let f = Account::start(backend).await;
    let (t, token) = (&f.t, &f.token);
    let (status, _) = t.call("GET", paths::DEADLINES, Some(token), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let changed = t
        .ok(
            "PATCH",
            &paths::staff_member(f.id),
            Some(&t.admin),
            Some(json!({"role": "operator"})),
        )
        .await;
    assert_eq!(changed["role"], "operator");
    t.ok("GET", paths::DEADLINES, Some(token), None).await;
    assert_eq!(
        t.call(
            "POST",
            paths::QUEUE_CLAIM,
            Some(token),
            Some(json!({"limit": 1}))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
}

async fn an_admin_cannot_lock_themself_out(backend: Backend) {
    let f = Account::start(backend).await;
    let t = &f.t;
    let me = f
        .list()
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["username"] == "admin1")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    for patch in [
        json!({"disabled": true}),
        json!({"role": "operator"}),
        json!({"role": "moderator", "disabled": false}),
    ] {
        let (status, err) = t
            .call(
                "PATCH",
                &paths::staff_member(me),
                Some(&t.admin),
                Some(patch.clone()),
            )
            .await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed")),
            "{patch}"
        );
    }
    // Saying what already holds is allowed.
    t.ok(
        "PATCH",
        &paths::staff_member(me),
        Some(&t.admin),
        Some(json!({"role": "admin", "disabled": false})),
    )
    .await;
    // Another admin can change them.
    let second = t.add_staff("admin2", mosharekat_api::Role::Admin).await;
    let demoted = t
        .ok(
            "PATCH",
            &paths::staff_member(me),
            Some(&second),
            Some(json!({"role": "operator"})),
        )
        .await;
    assert_eq!(demoted["role"], "operator");
    assert_eq!(
        t.call("GET", paths::STAFF, Some(&t.admin), None).await.0,
        StatusCode::FORBIDDEN
    );
}

async fn unknown_accounts_and_bad_patches_are_refused(backend: Backend) {
    let f = Account::start(backend).await;
    let t = &f.t;
    assert_eq!(
        t.call(
            "PATCH",
            &paths::staff_member(999_999),
            Some(&t.admin),
            Some(json!({"disabled": true}))
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (status, _) = t
        .call(
            "PATCH",
            &paths::staff_member(f.id),
            Some(&t.admin),
            Some(json!({"role": "root"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing changed.
    let list = f.list().await;
    let account = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == f.id)
        .unwrap();
    assert_eq!(
        (&account["role"], &account["disabled"]),
        (&json!("moderator"), &json!(false))
    );
}

async fn disabling_ends_sessions(backend: Backend) {
    let t = TestServer::start(backend).await;
    let list = t.ok("GET", paths::STAFF, Some(&t.admin), None).await;
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["username"] == "moderator1")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (_, second) = login(&t, "moderator1", PASSWORD).await;
    let second = second["token"].as_str().unwrap().to_owned();
    t.ok("GET", paths::REASONS, Some(&t.moderator), None).await;

    let disabled = t
        .ok(
            "PATCH",
            &paths::staff_member(id),
            Some(&t.admin),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(disabled["disabled"], true);
    for token in [&t.moderator, &second] {
        let (status, err) = t.call("GET", paths::REASONS, Some(token), None).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("unauthorized"))
        );
    }
    // A disabled account cannot log in, and is told exactly what a wrong password is told.
    let (status, refused) = login(&t, "moderator1", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused, login(&t, "moderator1", "wrong password").await.1);

    // Enabled again: a new login works; the old sessions stay ended.
    t.ok(
        "PATCH",
        &paths::staff_member(id),
        Some(&t.admin),
        Some(json!({"disabled": false})),
    )
    .await;
    let (status, fresh) = login(&t, "moderator1", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    t.ok(
        "GET",
        paths::REASONS,
        Some(fresh["token"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(
        t.call("GET", paths::REASONS, Some(&second), None).await.0,
        StatusCode::UNAUTHORIZED
    );
}

async fn sessions_expire(backend: Backend) {
    let db = TestDb::new(backend).await;
    let mut config = support::config(&db.url);
    config.session_ttl = Duration::hours(2);
    let server = mosharekat_server::start(config).await.unwrap();
    let t = TestServer::with(server, db).await;
    let (_, body) = login(&t, "operator1", PASSWORD).await;
    let expires: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(body["expires_at"].clone()).unwrap();
    assert!(expires - t.now() <= Duration::hours(2));
    let token = body["token"].as_str().unwrap().to_owned();

    t.clock().advance(Duration::minutes(119));
    t.ok("GET", paths::DEADLINES, Some(&token), None).await;
    t.clock().advance(Duration::minutes(2));
    let (status, err) = t.call("GET", paths::DEADLINES, Some(&token), None).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    // Every session of that age is over; a new login starts a new one.
    assert_eq!(
        t.call("GET", paths::DEADLINES, Some(&t.operator), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = login(&t, "operator1", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    t.ok(
        "GET",
        paths::DEADLINES,
        Some(body["token"].as_str().unwrap()),
        None,
    )
    .await;
}

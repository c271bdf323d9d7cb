//! Verified participants over the real server, on SQLite and PostgreSQL, with the one-time codes
//! sent to local fakes of Kavenegar and SMS.ir: the whole flow (a wrong code, an expired code,
//! resend throttling per number and per address, too many wrong tries, a failing gateway), one
//! number in any spelling = one participant = one ballot, and no number in clear in the database.

mod support;

use chrono::Duration;
use mosharekat_api::paths;
use mosharekat_server::SmsProvider;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, FakeSms, TestServer};

both!(
    the_whole_code_flow,
    codes_are_limited,
    a_failing_gateway_and_no_gateway,
    verification_may_be_required,
    one_code_sent_twice_at_once_makes_one_participant,
    no_number_in_clear_after_verification
);

/// `POST /public/verification`; the status, the body and the `Retry-After` header.
async fn ask(t: &TestServer, phone: &str) -> (StatusCode, Value, Option<u64>) {
    let response = t
        .http
        .post(t.url(paths::PUBLIC_VERIFICATION))
        .json(&json!({ "phone": phone }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, retry_after)
}

async fn register(t: &TestServer, body: Value) -> (StatusCode, Value) {
    t.call("POST", paths::PUBLIC_PARTICIPANTS, None, Some(body))
        .await
}

fn fields(name: &str, birth_year: i32) -> Value {
    json!({"display_name": name, "category": "ngo", "consent": true, "birth_year": birth_year,
        "gender": "female", "province": "fars"})
}

fn with_code(mut body: Value, phone: &str, code: &str) -> Value {
    body["phone"] = json!(phone);
    body["code"] = json!(code);
    body
}

fn code_of(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

async fn the_whole_code_flow(backend: Backend) {
    for provider in SmsProvider::ALL {
        let fake = FakeSms::start(provider).await;
        let t = TestServer::start_with(backend, |config| {
            fake.configure(config);
            config.sms.demo = false;
        })
        .await;
        let c = t.open_consultation().await;
        let poll = t
            .ok(
                "POST",
                &paths::consultation_polls(c),
                Some(&t.operator),
                Some(json!({"kind": "yes_no_abstain", "question_fa": "موافقید؟",
                    "question_en": "Agree?"})),
            )
            .await;
        let poll_id = poll["id"].as_i64().unwrap();
        let option = poll["options"][0]["id"].as_i64().unwrap();

        // A number in everyday spelling; the gateway gets its national form.
        let (status, sent, _) = ask(&t, "0912 345 6789").await;
        assert_eq!(status, StatusCode::ACCEPTED, "{sent}");
        assert_eq!(sent["phone_masked"], json!("09•••••••89"));
        assert!(sent.get("demo_code").is_none(), "{sent}");
        let received = fake.received();
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].receptor, "09123456789");
        assert_eq!(received[0].api_key, support::SMS_API_KEY);
        let code = received[0].code.clone();
        assert_eq!(code.len(), 6);

        // Asked again at once, in another spelling: throttled, nothing sent.
        let (status, err, retry_after) = ask(&t, "+989123456789").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{err}");
        assert_eq!(code_of(&err), "rate_limited");
        assert_eq!(retry_after, Some(60));
        assert_eq!(fake.received().len(), 1);

        // Not a mobile number: refused, nothing sent.
        let (status, err, _) = ask(&t, "021 1234 5678").await;
        assert_eq!(
            (status, code_of(&err)),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_phone")
        );
        assert_eq!(fake.received().len(), 1);

        // A wrong code, then the right one (the number in Persian digits).
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let (status, err) =
            register(&t, with_code(fields("مریم", 1985), "09123456789", wrong)).await;
        assert_eq!(
            (status, code_of(&err)),
            (StatusCode::UNPROCESSABLE_ENTITY, "wrong_code"),
            "{err}"
        );
        let (status, first) =
            register(&t, with_code(fields("مریم", 1985), "۰۹۱۲۳۴۵۶۷۸۹", &code)).await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        assert_eq!(first["verified"], json!(true));
        let id = first["participant_id"].as_i64().unwrap();
        let first_token = first["token"].as_str().unwrap().to_owned();
        t.ok(
            "POST",
            &paths::public_poll_ballots(poll_id),
            Some(&first_token),
            Some(json!({"option_ids": [option]})),
        )
        .await;
        // A code works once.
        let (status, err) = register(&t, with_code(fields("x", 1990), "09123456789", &code)).await;
        assert_eq!(
            (status, code_of(&err)),
            (StatusCode::UNPROCESSABLE_ENTITY, "no_code")
        );

        // A minute later a new code may be sent; five minutes on it has expired.
        t.clock().advance(Duration::seconds(61));
        let (status, _, _) = ask(&t, "00989123456789").await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let expired = fake.last_code("09123456789").unwrap();
        t.clock().advance(Duration::minutes(5));
        let (status, err) =
            register(&t, with_code(fields("x", 1990), "9123456789", &expired)).await;
        assert_eq!(
            (status, code_of(&err)),
            (StatusCode::UNPROCESSABLE_ENTITY, "code_expired")
        );

        // The same number written another way, with other demographics: the same participant,
        // a fresh token, nothing of theirs changed, and still one ballot.
        let (status, _, _) = ask(&t, "+98 (912) 345-67-89").await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let again = fake.last_code("09123456789").unwrap();
        let (status, second) = register(
            &t,
            with_code(fields("someone else", 1950), "٠٩١٢٣٤٥٦٧٨٩", &again),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{second}");
        assert_eq!(second["participant_id"].as_i64(), Some(id));
        let second_token = second["token"].as_str().unwrap().to_owned();
        assert_ne!(second_token, first_token);
        let stored = t.store().get_participant(id).await.unwrap().unwrap();
        assert_eq!(stored.display_name, "مریم");
        assert_eq!(stored.birth_year, Some(1985));
        assert!(stored.verified_at.is_some());
        t.ok(
            "POST",
            &paths::public_poll_ballots(poll_id),
            Some(&second_token),
            Some(json!({"option_ids": [poll["options"][1]["id"]]})),
        )
        .await;
        let shown = t
            .ok("GET", &paths::poll(poll_id), Some(&t.operator), None)
            .await;
        assert_eq!(shown["total_ballots"], json!(1), "{shown}");

        // A known number signs in with the code alone.
        t.clock().advance(Duration::seconds(61));
        ask(&t, "09123456789").await;
        let code = fake.last_code("09123456789").unwrap();
        let (status, third) = register(&t, json!({"phone": "09123456789", "code": code})).await;
        assert_eq!(status, StatusCode::OK, "{third}");
        assert_eq!(third["participant_id"].as_i64(), Some(id));

        // A new number with the code alone: the registration fields are needed, and the code
        // stays good until they come.
        let (status, _, _) = ask(&t, "09350000001").await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let code = fake.last_code("09350000001").unwrap();
        let (status, err) = register(&t, json!({"phone": "09350000001", "code": code})).await;
        assert_eq!(
            (status, code_of(&err)),
            (StatusCode::UNPROCESSABLE_ENTITY, "registration_required")
        );
        let (status, created) =
            register(&t, with_code(fields("علی", 1970), "09350000001", &code)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_ne!(created["participant_id"].as_i64(), Some(id));

        // An unverified participant attaches a number with their own token.
        let (status, plain) = register(&t, fields("بی‌شماره", 1999)).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(plain["verified"], json!(false));
        let plain_token = plain["token"].as_str().unwrap();
        ask(&t, "09350000002").await;
        let code = fake.last_code("09350000002").unwrap();
        let attached = t
            .ok(
                "POST",
                paths::PUBLIC_PARTICIPANTS,
                Some(plain_token),
                Some(json!({"phone": "09350000002", "code": code})),
            )
            .await;
        assert_eq!(attached["participant_id"], plain["participant_id"]);
        assert_eq!(attached["token"].as_str(), Some(plain_token));
        assert_eq!(attached["verified"], json!(true));
    }
}

async fn codes_are_limited(backend: Backend) {
    let t = TestServer::start_with(backend, |config| {
        config.verification.address_limit = 3;
    })
    .await;
    // Five wrong tries void the code.
    let (_, sent, _) = ask(&t, "09121111111").await;
    let code = sent["demo_code"].as_str().unwrap().to_owned();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (0..5).rev() {
        let (status, err) = register(&t, with_code(fields("x", 1990), "09121111111", wrong)).await;
        assert_eq!(
            (status, code_of(&err)),
            (StatusCode::UNPROCESSABLE_ENTITY, "wrong_code")
        );
        let message = err["error"]["message"].as_str().unwrap();
        if left == 0 {
            assert!(message.contains("no tries are left"), "{message}");
        } else {
            assert!(message.contains(&format!("{left} more tries")), "{message}");
        }
    }
    let (status, err) = register(&t, with_code(fields("x", 1990), "09121111111", &code)).await;
    assert_eq!(
        (status, code_of(&err)),
        (StatusCode::UNPROCESSABLE_ENTITY, "no_code")
    );

    // Three codes per address within ten minutes, whatever the numbers.
    ask(&t, "09122222222").await;
    ask(&t, "09123333333").await;
    let (status, err, retry_after) = ask(&t, "09124444444").await;
    assert_eq!(
        (status, code_of(&err)),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    assert_eq!(retry_after, Some(600));
    t.clock().advance(Duration::minutes(10));
    let (status, _, _) = ask(&t, "09124444444").await;
    assert_eq!(status, StatusCode::ACCEPTED);

    // At most ten codes a day to one number.
    let t = TestServer::start(backend).await;
    for _ in 0..10 {
        let (status, body, _) = ask(&t, "09125555555").await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        t.clock().advance(Duration::seconds(60));
    }
    let (status, _, retry_after) = ask(&t, "09125555555").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after, Some(24 * 3600 - 10 * 60));
}

async fn a_failing_gateway_and_no_gateway(backend: Backend) {
    let fake = FakeSms::start(SmsProvider::Kavenegar).await;
    let t = TestServer::start_with(backend, |config| fake.configure(config)).await;
    fake.fail_next(&[418]);
    let (status, err, _) = ask(&t, "09126666666").await;
    assert_eq!(
        (status, code_of(&err)),
        (StatusCode::BAD_GATEWAY, "sms_failed")
    );
    // The failed code is not held against the number: asking again at once works.
    let (status, _, _) = ask(&t, "09126666666").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(fake.received().len(), 2);

    let t = TestServer::start_with(backend, |config| config.sms.demo = false).await;
    let (status, err, _) = ask(&t, "09126666666").await;
    assert_eq!(
        (status, code_of(&err)),
        (StatusCode::SERVICE_UNAVAILABLE, "sms_not_configured")
    );
}

async fn verification_may_be_required(backend: Backend) {
    let t = TestServer::start_with(backend, |config| config.verification.required = true).await;
    let (status, err) = register(&t, fields("x", 1990)).await;
    assert_eq!(
        (status, code_of(&err)),
        (StatusCode::FORBIDDEN, "verification_required")
    );
    let created = t.register_verified("09127777777", fields("x", 1990)).await;
    assert!(created.verified);
}

/// The digits of the numbers used below, as they would appear if stored in clear.
const DIGITS: [&str; 2] = ["9128888888", "9129999999"];

async fn no_number_in_clear_after_verification(backend: Backend) {
    let t = TestServer::start(backend).await;
    t.register_verified("09128888888", fields("a", 1990)).await;
    // One asked for and never used.
    ask(&t, "+989129999999").await;
    match backend {
        Backend::Sqlite => {
            let file = t.db.url.strip_prefix("sqlite://").unwrap().to_owned();
            // Everything on disk: the database, its write-ahead log and shared memory.
            let dir = std::path::Path::new(&file).parent().unwrap();
            let mut seen = 0;
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                seen += bytes.len();
                for digits in DIGITS {
                    assert!(
                        !bytes.windows(digits.len()).any(|w| w == digits.as_bytes()),
                        "{digits} in {}",
                        path.display()
                    );
                }
            }
            assert!(seen > 0);
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&t.db.url).await.unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            assert!(
                tables.iter().any(|t| t == "phone_verifications"),
                "{tables:?}"
            );
            for table in tables {
                let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT CAST(t AS TEXT) FROM {table} t"
                )))
                .fetch_all(&pool)
                .await
                .unwrap();
                for row in rows {
                    for digits in DIGITS {
                        assert!(!row.contains(digits), "{digits} in {table}: {row}");
                    }
                }
            }
            pool.close().await;
        }
    }
}

async fn one_code_sent_twice_at_once_makes_one_participant(backend: Backend) {
    let t = TestServer::start(backend).await;
    for round in 0..5 {
        let phone = format!("0913000000{round}");
        let code = t.code_for(&phone).await;
        let body = with_code(fields("همزمان", 1990), &phone, &code);
        let (a, b) = tokio::join!(register(&t, body.clone()), register(&t, body));
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::CREATED, StatusCode::UNPROCESSABLE_ENTITY],
            "{a:?} {b:?}"
        );
        // And two codes asked for one new number at once: one is sent, the other waits.
        let other = format!("0914000000{round}");
        let (x, y) = tokio::join!(ask(&t, &other), ask(&t, &other));
        let mut statuses = [x.0, y.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::ACCEPTED, StatusCode::TOO_MANY_REQUESTS],
            "{x:?} {y:?}"
        );
    }
}

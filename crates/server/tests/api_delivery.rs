//! Feedback delivery against local mock receivers (axum servers on free ports), on both databases:
//! a delivery that fails twice then succeeds is sent with the same idempotency key every time;
//! `429` waits exactly as long as `Retry-After` says (read on the server clock, which the test
//! moves); a server shut down mid-delivery resumes after a restart with nothing lost; a message
//! that dies is retried by hand; Bale and Eitaa receive their bot-API calls.

mod support;

use chrono::Duration;
use mosharekat_api::paths;
use mosharekat_api::{
    Category, Channel, Language, NewParticipant, OutboxMessage, OutboxStatus, Page, WebhookPayload,
};
use reqwest::StatusCode;
use serde_json::json;
use support::{Backend, MockReceiver, Reply, TestServer, WEBHOOK_SECRET, fast_delivery};

both!(
    fails_twice_then_succeeds_with_one_key,
    retry_after_is_honoured,
    a_server_killed_mid_delivery_resumes,
    messages_die_when_attempts_run_out_or_refused_for_good,
    dead_messages_are_listed_and_counted,
    dead_messages_are_retried_by_hand,
    eitaa_gets_a_form_post,
    bale_gets_json_and_its_429_is_honoured,
    a_webhook_into_the_servers_network_is_refused,
    answers_link_to_the_portal_at_the_public_base_url,
);

fn member(name: &str, channel: Channel, handle: &str, language: Language) -> NewParticipant {
    NewParticipant {
        display_name: name.into(),
        category: Category::Public,
        birth_year: None,
        gender: None,
        province: None,
        channel: Some(channel),
        handle: Some(handle.into()),
        consent: true,
        name_public: false,
        language,
    }
}

/// A closed consultation whose one proposal (sent by every member) is answered and published:
/// the messages it queued, in id order.
async fn publish_answer(t: &TestServer, members: &[NewParticipant]) -> Vec<OutboxMessage> {
    let c = t.open_consultation().await;
    let mut ids = Vec::new();
    for (i, m) in members.iter().enumerate() {
        let token = t.register(m).await;
        if m.channel == Some(Channel::Bale) {
            link_bale_chat(t, &token, &bale_chat(i)).await;
        }
        let (status, v) = t
            .call(
                "POST",
                &paths::public_consultation_comments(c),
                Some(&token),
                Some(json!({"body": "پیشنهاد: کلاس‌ها کم‌جمعیت‌تر شوند", "is_proposal": true})),
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{v}");
        ids.push(v["id"].as_i64().unwrap());
    }
    t.approve(&ids, &[]).await;
    t.close(c).await;
    t.ok(
        "PUT",
        &paths::proposal_decision(ids[0]),
        Some(&t.operator),
        Some(json!({"version": 0, "outcome": "accepted",
            "rationale_fa": "سقف ۲۸ نفر در هر کلاس تعیین شد.",
            "rationale_en": "A cap of 28 pupils per class was set.",
            "legal_basis": "ماده ۹ آیین‌نامه"})),
    )
    .await;
    let published = t
        .ok(
            "POST",
            &paths::consultation_decisions_publish(c),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(published["messages"], members.len());
    let page: Page<OutboxMessage> = serde_json::from_value(
        t.ok(
            "GET",
            &format!("{}?consultation_id={c}", paths::OUTBOX),
            Some(&t.operator),
            None,
        )
        .await,
    )
    .unwrap();
    // The approval told each author too (tested in api_bale_bot.rs); these are the answers.
    page.items
        .into_iter()
        .filter(|m| m.kind == mosharekat_api::MessageKind::DecisionPublished)
        .collect()
}

/// The Bale chat linked to the `i`th member of [`publish_answer`] when they chose Bale: a bot
/// writes only to a chat that wrote to it (`/start`), never to the handle typed at registration.
fn bale_chat(i: usize) -> String {
    (5_550_000 + i).to_string()
}

/// Link a Bale chat to a participant as the bot's `/start <code>` does (the bot itself is tested
/// in `api_bale_bot.rs`).
async fn link_bale_chat(t: &TestServer, token: &str, chat: &str) {
    let store = t.store();
    let participant = store
        .participant_by_token(&mosharekat_server::auth::token_hash(token))
        .await
        .unwrap()
        .unwrap();
    let code = mosharekat_server::auth::token_hash(&format!("code for {chat}"));
    store
        .create_link_code(
            participant.id,
            Channel::Bale,
            &code,
            t.now(),
            t.now() + Duration::hours(1),
        )
        .await
        .unwrap();
    let linked = store
        .link_chat(Channel::Bale, &code, chat, t.now())
        .await
        .unwrap();
    assert_eq!(linked.map(|p| p.id), Some(participant.id));
}

async fn message(t: &TestServer, id: i64) -> OutboxMessage {
    serde_json::from_value(
        t.ok("GET", &paths::outbox_message(id), Some(&t.operator), None)
            .await,
    )
    .unwrap()
}

/// Wait until the message is in `status` (and, for pending, until an attempt's result is recorded).
async fn until(
    t: &TestServer,
    id: i64,
    what: &str,
    check: impl Fn(&OutboxMessage) -> bool,
) -> OutboxMessage {
    t.eventually(what, || async {
        let m = message(t, id).await;
        check(&m).then_some(m)
    })
    .await
}

async fn fails_twice_then_succeeds_with_one_key(backend: Backend) {
    let t = TestServer::start_with(backend, fast_delivery).await;
    let hook = MockReceiver::start(t.clock(), vec![Reply::Status(500), Reply::Status(503)]).await;
    let messages = publish_answer(
        &t,
        &[member(
            "Sam",
            Channel::Webhook,
            &format!("{}/hooks/sam", hook.url),
            Language::En,
        )],
    )
    .await;
    let m = until(&t, messages[0].id, "the message to be sent", |m| {
        m.status == OutboxStatus::Sent
    })
    .await;
    assert_eq!(m.attempts, 3);
    assert!(m.sent_at.is_some() && m.last_error.is_none());

    let received = hook.wait_for(3).await;
    // Sent once successfully: the third attempt was the only one answered 2xx, and nothing follows.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(hook.received().len(), 3);
    for r in &received {
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/hooks/sam"));
        assert_eq!(
            r.header("idempotency-key").as_deref(),
            Some(m.idempotency_key.as_str())
        );
        assert_eq!(
            r.header("x-mosharekat-signature"),
            Some(format!(
                "sha256={}",
                support::hmac_sha256_hex(WEBHOOK_SECRET.as_bytes(), &r.body)
            ))
        );
        let payload: WebhookPayload = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(payload.idempotency_key, m.idempotency_key);
        assert_eq!(payload.language, Language::En);
        assert_eq!(payload.subject_id, m.subject_id);
        assert!(
            payload
                .text
                .contains("A cap of 28 pupils per class was set.")
        );
    }
    assert_eq!(
        received[0].body, received[2].body,
        "every attempt sends the same message"
    );
    assert!(received[1].at >= received[0].at && received[2].at >= received[1].at);
}

async fn retry_after_is_honoured(backend: Backend) {
    let t = TestServer::start_with(backend, fast_delivery).await;
    // Seconds, and an HTTP date (90 s from now on the server clock, to the second).
    let date = t.now() + Duration::seconds(90);
    let http_date = date.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let hook = MockReceiver::start(t.clock(), vec![Reply::TooManyRequests("120".into())]).await;
    let dated = MockReceiver::start(t.clock(), vec![Reply::TooManyRequests(http_date)]).await;
    let messages = publish_answer(
        &t,
        &[
            member(
                "Sam",
                Channel::Webhook,
                &format!("{}/sam", hook.url),
                Language::En,
            ),
            member(
                "Sara",
                Channel::Webhook,
                &format!("{}/sara", dated.url),
                Language::Fa,
            ),
        ],
    )
    .await;
    let first = hook.wait_for(1).await[0].clone();
    let m = until(&t, messages[0].id, "the 429 to be recorded", |m| {
        m.last_error.is_some()
    })
    .await;
    assert_eq!(m.status, OutboxStatus::Pending);
    assert_eq!(m.attempts, 1);
    assert!(m.last_error.as_deref().unwrap().contains("429"), "{m:?}");
    let last_attempt = m.last_attempt_at.unwrap();
    assert!(
        m.next_attempt_at - last_attempt >= Duration::seconds(120),
        "{m:?}"
    );
    assert!(
        m.next_attempt_at - first.at >= Duration::seconds(120),
        "{m:?}"
    );
    assert!(
        m.next_attempt_at - first.at < Duration::seconds(121),
        "{m:?}"
    );
    let d = until(&t, messages[1].id, "the dated 429 to be recorded", |m| {
        m.last_error.is_some()
    })
    .await;
    let truncated =
        chrono::DateTime::parse_from_rfc2822(&date.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
            .unwrap();
    assert!(
        (d.next_attempt_at - truncated.to_utc()).abs() < Duration::seconds(1),
        "{d:?} vs {truncated}"
    );

    // The worker polls every 20 ms and its backoff is under 100 ms: without the Retry-After it
    // would have come back many times by now.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(hook.received().len(), 1);
    assert_eq!(dated.received().len(), 1);

    t.clock().advance(Duration::seconds(120));
    let received = hook.wait_for(2).await;
    assert!(received[1].at - received[0].at >= Duration::seconds(120));
    assert_eq!(
        received[1].header("idempotency-key"),
        received[0].header("idempotency-key")
    );
    let m = until(&t, messages[0].id, "the retry to be sent", |m| {
        m.status == OutboxStatus::Sent
    })
    .await;
    assert_eq!(m.attempts, 2);
    // 120 s were past the dated wait too.
    until(&t, messages[1].id, "the dated retry to be sent", |m| {
        m.status == OutboxStatus::Sent
    })
    .await;
    assert_eq!(dated.received().len(), 2);
}

async fn a_server_killed_mid_delivery_resumes(backend: Backend) {
    let t = TestServer::start_with(backend, fast_delivery).await;
    let hook = MockReceiver::start(t.clock(), vec![Reply::Hold]).await;
    let messages = publish_answer(
        &t,
        &[member(
            "Sam",
            Channel::Webhook,
            &format!("{}/sam", hook.url),
            Language::En,
        )],
    )
    .await;
    let id = messages[0].id;
    // The receiver holds the first attempt open; the server goes down meanwhile.
    hook.wait_for(1).await;
    let in_flight = message(&t, id).await;
    assert_eq!(
        (in_flight.status, in_flight.attempts),
        (OutboxStatus::Pending, 1)
    );
    let t = t.restart(fast_delivery).await;
    let after_restart = message(&t, id).await;
    assert_eq!(
        after_restart.status,
        OutboxStatus::Pending,
        "nothing lost: still in line"
    );
    // It is held as long as a send may take (30 s here); past that, the new server sends it.
    t.clock().advance(Duration::seconds(31));
    let m = until(&t, id, "the message to be resent and sent", |m| {
        m.status == OutboxStatus::Sent
    })
    .await;
    assert_eq!(m.attempts, 2);
    let received = hook.wait_for(2).await;
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].header("idempotency-key"),
        received[1].header("idempotency-key")
    );
    assert_eq!(
        received[1].header("idempotency-key").as_deref(),
        Some(m.idempotency_key.as_str())
    );
    let all: Page<OutboxMessage> =
        serde_json::from_value(t.ok("GET", paths::OUTBOX, Some(&t.operator), None).await).unwrap();
    let answers = all
        .items
        .iter()
        .filter(|m| m.kind == mosharekat_api::MessageKind::DecisionPublished)
        .count();
    assert_eq!(answers, 1, "one message, delivered once more, none added");
}

/// Two messages dead on a server that tries twice: one to a webhook that failed both times (500,
/// 502) and one refused for good (404) at its first attempt.
struct TwoDead {
    t: TestServer,
    hook: MockReceiver,
    /// The message that ran out of attempts, and the one refused for good.
    id: i64,
    gone_id: i64,
}

impl TwoDead {
    async fn start(backend: Backend) -> Self {
        let t = TestServer::start_with(backend, |config| {
            fast_delivery(config);
            config.delivery.max_attempts = 2;
        })
        .await;
        let hook =
            MockReceiver::start(t.clock(), vec![Reply::Status(500), Reply::Status(502)]).await;
        let gone = MockReceiver::start(t.clock(), vec![Reply::Status(404)]).await;
        let messages = publish_answer(
            &t,
            &[
                member(
                    "Sam",
                    Channel::Webhook,
                    &format!("{}/sam", hook.url),
                    Language::En,
                ),
                member(
                    "Nima",
                    Channel::Webhook,
                    &format!("{}/nima", gone.url),
                    Language::Fa,
                ),
            ],
        )
        .await;
        let f = TwoDead {
            t,
            hook,
            id: messages[0].id,
            gone_id: messages[1].id,
        };
        f.dead(f.id).await;
        f.dead(f.gone_id).await;
        f
    }

    async fn dead(&self, id: i64) -> OutboxMessage {
        until(&self.t, id, "the message to die", |m| {
            m.status == OutboxStatus::Dead
        })
        .await
    }

    async fn page(&self, query: &str) -> Page<OutboxMessage> {
        let t = &self.t;
        serde_json::from_value(
            t.ok(
                "GET",
                &format!("{}?{query}", paths::OUTBOX),
                Some(&t.operator),
                None,
            )
            .await,
        )
        .unwrap()
    }
}

async fn messages_die_when_attempts_run_out_or_refused_for_good(backend: Backend) {
    let f = TwoDead::start(backend).await;
    let m = f.dead(f.id).await;
    assert_eq!(m.attempts, 2);
    assert!(
        m.last_error
            .as_deref()
            .unwrap()
            .contains("gave up after 2 attempts"),
        "{m:?}"
    );
    // A refusal for good (404) is dead after one attempt.
    let g = f.dead(f.gone_id).await;
    assert_eq!(g.attempts, 1);
    assert!(g.last_error.as_deref().unwrap().contains("404"));
    // The death is announced to consoles.
    let events = f.t.store().events_after(0, 1_000).await.unwrap();
    assert!(events.iter().any(|e| e.kind
        == mosharekat_api::EventKind::OutboxChanged {
            message_id: f.id,
            status: OutboxStatus::Dead,
            attempts: 2
        }));
}

async fn dead_messages_are_listed_and_counted(backend: Backend) {
    let f = TwoDead::start(backend).await;
    let t = &f.t;
    let (id, gone_id) = (f.id, f.gone_id);
    let dead = f.page("status=dead").await;
    assert_eq!(
        dead.items.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![id, gone_id]
    );
    let (s, _) = t
        .call(
            "GET",
            &format!("{}?status=lost", paths::OUTBOX),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // The aggregate a console shows, and the newest first without reading the rest.
    let counts: mosharekat_api::OutboxCounts = serde_json::from_value(
        t.ok("GET", paths::OUTBOX_COUNTS, Some(&t.operator), None)
            .await,
    )
    .unwrap();
    assert_eq!(
        counts,
        mosharekat_api::OutboxCounts {
            pending: 0,
            // The two approvals' messages to their authors.
            sent: 2,
            dead: 2
        }
    );
    let newest = f.page("status=dead&order=newest&limit=1").await;
    assert_eq!(
        newest.items.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![gone_id]
    );
    let older = f
        .page(&format!(
            "status=dead&order=newest&limit=1&after={}",
            newest.next_after.as_deref().unwrap()
        ))
        .await;
    assert_eq!(
        older.items.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![id]
    );
    let (s, _) = t
        .call(
            "GET",
            &format!("{}?order=sideways", paths::OUTBOX),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn dead_messages_are_retried_by_hand(backend: Backend) {
    let f = TwoDead::start(backend).await;
    let (t, id) = (&f.t, f.id);
    // Back in line with its attempts reset, and delivered.
    let retried: OutboxMessage = serde_json::from_value(
        t.ok("POST", &paths::outbox_retry(id), Some(&t.operator), None)
            .await,
    )
    .unwrap();
    assert_eq!(
        (retried.status, retried.attempts),
        (OutboxStatus::Pending, 0)
    );
    let m = until(t, id, "the retried message to be sent", |m| {
        m.status == OutboxStatus::Sent
    })
    .await;
    assert_eq!(m.attempts, 1);
    let received = f.hook.wait_for(3).await;
    assert!(
        received
            .iter()
            .all(|r| r.header("idempotency-key").as_deref() == Some(m.idempotency_key.as_str()))
    );
    // Only a dead message is retried.
    let (s, e) = t
        .call("POST", &paths::outbox_retry(id), Some(&t.operator), None)
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_state"))
    );
    let (s, _) = t
        .call(
            "POST",
            &paths::outbox_retry(987_654),
            Some(&t.operator),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let audit = t.store().audit_entries(0, 1_000).await.unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.entry.action == "outbox.retry")
            .count(),
        1
    );
}

/// `application/x-www-form-urlencoded`, decoded by hand.
fn form(body: &[u8]) -> std::collections::HashMap<String, String> {
    let decode = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    };
    std::str::from_utf8(body)
        .unwrap()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

/// A server that speaks to Bale (whose first answer is a 429 asking for 60 s) and Eitaa through
/// mock bot APIs on the system clock, with private webhooks refused: an answer published to a
/// Bale, an Eitaa and an internal-webhook member.
struct Bots {
    t: TestServer,
    bale: MockReceiver,
    eitaa: MockReceiver,
    to_bale: OutboxMessage,
    to_eitaa: OutboxMessage,
    to_inside: OutboxMessage,
}

impl Bots {
    async fn start(backend: Backend) -> Self {
        let clock = mosharekat_server::Clock::system();
        let bale = MockReceiver::start(
            &clock,
            vec![Reply::Json(
                429,
                json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 60",
                    "parameters": {"retry_after": 60}}),
            )],
        )
        .await;
        let eitaa = MockReceiver::start(&clock, vec![]).await;
        let (bale_url, eitaa_url) = (bale.url.clone(), eitaa.url.clone());
        let t = TestServer::start_with(backend, |config| {
            fast_delivery(config);
            config.clock = clock.clone();
            config.delivery.allow_private_webhooks = false;
            config.delivery.bale_base_url = bale_url;
            config.delivery.bale_token = Some("123456:bale-token".into());
            // The mock answers sends only; the bot's updates are not read here.
            config.delivery.bot_updates = mosharekat_server::BotUpdates::Off;
            config.delivery.eitaa_base_url = format!("{eitaa_url}/");
            config.delivery.eitaa_token = Some("eitaa-token".into());
        })
        .await;
        let mut messages = publish_answer(
            &t,
            &[
                member("Maryam", Channel::Bale, "@maryam_1370", Language::Fa),
                member("John", Channel::Eitaa, "9876543", Language::En),
                member(
                    "Inside",
                    Channel::Webhook,
                    "http://127.0.0.1:9/internal",
                    Language::Fa,
                ),
            ],
        )
        .await
        .into_iter();
        let mut next = || messages.next().unwrap();
        let (to_bale, to_eitaa, to_inside) = (next(), next(), next());
        assert_eq!(
            (to_bale.channel, to_eitaa.channel),
            (Channel::Bale, Channel::Eitaa)
        );
        Bots {
            t,
            bale,
            eitaa,
            to_bale,
            to_eitaa,
            to_inside,
        }
    }
}

/// Eitaa: a form POST to /api/{token}/sendMessage, in English, with the reference.
async fn eitaa_gets_a_form_post(backend: Backend) {
    let f = Bots::start(backend).await;
    let to_eitaa = &f.to_eitaa;
    let e = f.eitaa.wait_for(1).await[0].clone();
    assert_eq!(
        (e.method.as_str(), e.path.as_str()),
        ("POST", "/api/eitaa-token/sendMessage")
    );
    assert!(
        e.header("content-type")
            .unwrap()
            .starts_with("application/x-www-form-urlencoded")
    );
    let fields = form(&e.body);
    assert_eq!(fields["chat_id"], "9876543");
    assert!(
        fields["text"].starts_with(&to_eitaa.text),
        "{}",
        fields["text"]
    );
    assert!(fields["text"].ends_with(&format!("Message ref: {}", to_eitaa.idempotency_key)));
    assert_eq!(
        e.header("idempotency-key").as_deref(),
        Some(to_eitaa.idempotency_key.as_str())
    );
    until(&f.t, to_eitaa.id, "Eitaa to be sent", |m| {
        m.status == OutboxStatus::Sent
    })
    .await;
}

/// Bale: JSON to /bot{token}/sendMessage; its 429 says when to come back, in the body.
async fn bale_gets_json_and_its_429_is_honoured(backend: Backend) {
    let f = Bots::start(backend).await;
    let (t, bale, to_bale) = (&f.t, &f.bale, &f.to_bale);
    let b = bale.wait_for(1).await[0].clone();
    assert_eq!(b.path, "/bot123456:bale-token/sendMessage");
    let body = b.json();
    assert_eq!(
        body["chat_id"],
        bale_chat(0),
        "the linked chat, not the typed handle"
    );
    let text = body["text"].as_str().unwrap();
    assert!(
        text.contains("سقف ۲۸ نفر در هر کلاس تعیین شد.") && text.contains("پذیرفته شد"),
        "{text}"
    );
    assert!(text.ends_with(&format!("شناسهٔ پیام: {}", to_bale.idempotency_key)));
    let m = until(t, to_bale.id, "the Bale 429 to be recorded", |m| {
        m.last_error.is_some()
    })
    .await;
    assert!(m.next_attempt_at - b.at >= Duration::seconds(60), "{m:?}");
    let error = m.last_error.unwrap();
    assert!(error.contains("Too Many Requests"), "{error}");
    assert!(
        !error.contains("bale-token"),
        "the bot token never reaches a stored error"
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(bale.received().len(), 1);
    t.clock().advance(Duration::seconds(60));
    until(t, to_bale.id, "Bale to be sent", |m| {
        m.status == OutboxStatus::Sent
    })
    .await;
    let again = bale.wait_for(2).await;
    assert_eq!(again[1].json(), body, "the same message again");
}

/// A webhook into the server's own network is refused for good.
async fn a_webhook_into_the_servers_network_is_refused(backend: Backend) {
    let f = Bots::start(backend).await;
    let inside = until(
        &f.t,
        f.to_inside.id,
        "the internal webhook to be refused",
        |m| m.status == OutboxStatus::Dead,
    )
    .await;
    assert!(
        inside
            .last_error
            .as_deref()
            .unwrap()
            .contains("not a public address"),
        "{inside:?}"
    );
}

/// An answer's message links to the consultation's page on the portal at the configured public
/// base URL, in the reader's language; with none configured, to the consultation's `portal_url`.
async fn answers_link_to_the_portal_at_the_public_base_url(backend: Backend) {
    let t = TestServer::start_with(backend, |config| {
        config.delivery.enabled = false;
        config.portal.public_url = Some("https://participation.example.ir/".into());
    })
    .await;
    let members = [
        member("Maryam", Channel::Bale, "@maryam_1370", Language::Fa),
        member("John", Channel::Eitaa, "9876543", Language::En),
    ];
    let messages = publish_answer(&t, &members).await;
    let c = messages[0].consultation_id;
    let links = |text: &str| -> Vec<String> {
        text.split_whitespace()
            .filter(|w| w.starts_with("http"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        links(&messages[0].text),
        [format!(
            "https://participation.example.ir/fa/c/{c}#decisions-heading"
        )]
    );
    assert_eq!(
        links(&messages[1].text),
        [format!(
            "https://participation.example.ir/en/c/{c}#decisions-heading"
        )]
    );
    // So does the word that the report is out, and the approvals told their authors where the
    // answers would appear: every link a participant gets is on the public address.
    t.ok(
        "POST",
        &paths::consultation_report(c),
        Some(&t.operator),
        None,
    )
    .await;
    t.ok(
        "POST",
        &paths::consultation_report_publish(c),
        Some(&t.operator),
        None,
    )
    .await;
    let all: Page<OutboxMessage> = serde_json::from_value(
        t.ok(
            "GET",
            &format!("{}?consultation_id={c}", paths::OUTBOX),
            Some(&t.operator),
            None,
        )
        .await,
    )
    .unwrap();
    let reports: Vec<&OutboxMessage> = all
        .items
        .iter()
        .filter(|m| m.kind == mosharekat_api::MessageKind::ReportPublished)
        .collect();
    assert_eq!(reports.len(), 2, "{:?}", all.items);
    for m in &reports {
        assert_eq!(
            links(&m.text),
            [format!(
                "https://participation.example.ir/{}/c/{c}#report-heading",
                m.language.as_str()
            )],
            "{}",
            m.text
        );
    }
    for m in &all.items {
        assert!(
            links(&m.text)
                .iter()
                .all(|l| l.starts_with("https://participation.example.ir/")),
            "{:?}: {}",
            m.kind,
            m.text
        );
    }
    let t = TestServer::start_with(backend, |config| config.delivery.enabled = false).await;
    let messages = publish_answer(&t, &members[..1]).await;
    let portal_url = t
        .ok(
            "GET",
            &paths::consultation(messages[0].consultation_id),
            Some(&t.operator),
            None,
        )
        .await["portal_url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!portal_url.is_empty());
    assert_eq!(links(&messages[0].text), [portal_url]);
}

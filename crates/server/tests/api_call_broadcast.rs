//! Calls for participation broadcast to the ministry's channels, on both databases, against a fake
//! Bale Bot API and a fake eitaayar (local servers on free ports): each channel receives exactly
//! one `call_published` per consultation when it opens (published open, or opened by the
//! scheduler), one `call_closing` once its deadline is within three days (the test moves the
//! server clock), nothing twice after a restart or with two instances on one PostgreSQL database,
//! and nothing on a channel that is not configured.

mod support;

use chrono::Duration;
use mosharekat_api::{MessageKind, OutboxMessage, Page, paths};
use mosharekat_server::{BotUpdates, Clock, ServerConfig};
use support::{Backend, FakeBale, MockReceiver, TestServer, consultation_json};

both!(
    calls_reach_both_channels_once,
    no_call_on_an_unconfigured_channel
);

/// Several instances share a PostgreSQL database (SQLite has one server).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_post_each_call_once() {
    let clock = Clock::system();
    let bale = FakeBale::start().await;
    let eitaa = MockReceiver::start(&clock, vec![]).await;
    let t =
        TestServer::start_with(Backend::Postgres, |c| configure(c, &clock, &bale, &eitaa)).await;
    let mut config = support::config(&t.db.url);
    configure(&mut config, &clock, &bale, &eitaa);
    let other = mosharekat_server::start(config).await.unwrap();
    // Both schedulers find the same consultations opening at the same moment.
    let c1 = scheduled(&t, 1, 41).await;
    let c2 = scheduled(&t, 1, 41).await;
    clock.advance(Duration::days(1) + Duration::hours(1));
    let (to_bale, to_eitaa) = posted(&bale, &eitaa, 2).await;
    assert_eq!(sorted(to_bale), vec![("opened", c1), ("opened", c2)]);
    assert_eq!(sorted(to_eitaa), vec![("opened", c1), ("opened", c2)]);
    // A third, later, shows both have run again since; still one post per call.
    let c3 = scheduled(&t, 1, 41).await;
    clock.advance(Duration::days(1));
    let (to_bale, to_eitaa) = posted(&bale, &eitaa, 3).await;
    let expected = vec![("opened", c1), ("opened", c2), ("opened", c3)];
    assert_eq!(sorted(to_bale), expected);
    assert_eq!(sorted(to_eitaa), expected);
    assert_eq!(calls_in_outbox(&t).await.len(), 6);
    other.shutdown().await;
}

const PUBLIC: &str = "https://participation.example.ir";
const BALE_CHANNEL: &str = "@ministry_calls";
const EITAA_CHANNEL: &str = "mosharekat_channel";
const EITAA_TOKEN: &str = "eitaa-token";

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

/// Both channels configured, over the fakes, on `clock`.
fn configure(config: &mut ServerConfig, clock: &Clock, bale: &FakeBale, eitaa: &MockReceiver) {
    bale.configure(config);
    config.clock = clock.clone();
    config.delivery.bot_updates = BotUpdates::Off;
    config.delivery.bale_channel = Some(BALE_CHANNEL.into());
    config.delivery.eitaa_base_url = eitaa.url.clone();
    config.delivery.eitaa_token = Some(EITAA_TOKEN.into());
    config.delivery.eitaa_channel = Some(EITAA_CHANNEL.into());
    config.portal.public_url = Some(format!("{PUBLIC}/"));
}

/// Which call a posted text is: its heading and the consultation its Persian link names.
fn which(text: &str) -> (&'static str, i64) {
    let kind = if text.starts_with("فراخوان مشارکت") {
        "opened"
    } else if text.starts_with("یادآوری") {
        "closing"
    } else {
        panic!("a call starts with its heading: {text}")
    };
    let link = format!("{PUBLIC}/fa/c/");
    let at = text.find(&link).expect("the Persian link") + link.len();
    let id: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (kind, id.parse().unwrap())
}

/// The calls each channel received so far, waiting for at least `n` in each.
async fn posted(
    bale: &FakeBale,
    eitaa: &MockReceiver,
    n: usize,
) -> (Vec<(&'static str, i64)>, Vec<(&'static str, i64)>) {
    let to_bale: Vec<_> = bale
        .wait_for(BALE_CHANNEL, n)
        .await
        .iter()
        .map(|m| which(&m.text))
        .collect();
    let to_eitaa: Vec<_> = eitaa
        .wait_for(n)
        .await
        .iter()
        .map(|r| {
            assert_eq!(
                (r.method.as_str(), r.path.as_str()),
                ("POST", "/api/eitaa-token/sendMessage")
            );
            let fields = form(&r.body);
            assert_eq!(fields["chat_id"], EITAA_CHANNEL);
            which(&fields["text"])
        })
        .collect();
    (to_bale, to_eitaa)
}

fn sorted(mut calls: Vec<(&'static str, i64)>) -> Vec<(&'static str, i64)> {
    calls.sort();
    calls
}

/// Create and publish a consultation open over [opens, closes] (from now, in days).
async fn scheduled(t: &TestServer, opens: i64, closes: i64) -> i64 {
    let now = t.now();
    let c = t
        .ok(
            "POST",
            paths::CONSULTATIONS,
            Some(&t.operator),
            Some(consultation_json(
                now + Duration::days(opens),
                now + Duration::days(closes),
            )),
        )
        .await;
    let id = c["id"].as_i64().unwrap();
    t.ok(
        "POST",
        &paths::consultation_publish(id),
        Some(&t.operator),
        None,
    )
    .await;
    id
}

async fn calls_in_outbox(t: &TestServer) -> Vec<OutboxMessage> {
    let page: Page<OutboxMessage> = serde_json::from_value(
        t.ok(
            "GET",
            &format!("{}?limit=100", paths::OUTBOX),
            Some(&t.operator),
            None,
        )
        .await,
    )
    .unwrap();
    page.items
        .into_iter()
        .filter(|m| {
            matches!(
                m.kind,
                MessageKind::CallPublished | MessageKind::CallClosing
            )
        })
        .collect()
}

async fn calls_reach_both_channels_once(backend: Backend) {
    let clock = Clock::system();
    let bale = FakeBale::start().await;
    let eitaa = MockReceiver::start(&clock, vec![]).await;
    let t = TestServer::start_with(backend, |c| configure(c, &clock, &bale, &eitaa)).await;

    // Published open: called at once. Published ahead of its opening: nothing yet.
    let c1 = t.open_consultation().await; // closes in 39 days
    let c2 = scheduled(&t, 1, 41).await;
    let (to_bale, to_eitaa) = posted(&bale, &eitaa, 1).await;
    assert_eq!(to_bale, vec![("opened", c1)]);
    assert_eq!(to_eitaa, vec![("opened", c1)]);
    let text = &bale.sent_to(BALE_CHANNEL)[0].text;
    for part in [
        format!("{PUBLIC}/fa/c/{c1}"),
        format!("{PUBLIC}/en/c/{c1}"),
        "Call for participation".to_owned(),
        "آیین‌نامه اجرایی مدارس غیردولتی".to_owned(),
        "Executive regulation of non-governmental schools".to_owned(),
        "مهلت:".to_owned(),
        "Deadline:".to_owned(),
        "days left".to_owned(),
    ] {
        assert!(text.contains(&part), "{part} in {text}");
    }
    // A public post carries no message reference.
    assert!(
        !text.contains("Message ref") && !text.contains("شناسهٔ پیام"),
        "{text}"
    );

    // The scheduler opens the second one.
    clock.advance(Duration::days(1) + Duration::hours(1));
    let (to_bale, to_eitaa) = posted(&bale, &eitaa, 2).await;
    assert_eq!(sorted(to_bale), vec![("opened", c1), ("opened", c2)]);
    assert_eq!(sorted(to_eitaa), vec![("opened", c1), ("opened", c2)]);

    // Three days before the first one closes (the second closes two days later).
    clock.advance(Duration::days(35));
    let (to_bale, to_eitaa) = posted(&bale, &eitaa, 3).await;
    assert_eq!(to_bale[2], ("closing", c1));
    assert_eq!(to_eitaa[2], ("closing", c1));
    assert!(bale.sent_to(BALE_CHANNEL)[2].text.contains("closes soon"));
    clock.advance(Duration::days(2));
    let (to_bale, to_eitaa) = posted(&bale, &eitaa, 4).await;
    assert_eq!(to_bale[3], ("closing", c2));
    assert_eq!(to_eitaa[3], ("closing", c2));

    let calls = calls_in_outbox(&t).await;
    assert_eq!(calls.len(), 8, "{calls:?}");
    assert!(calls.iter().all(|m| m.participant_id.is_none()));
    // Delivery is at least once: a message in flight when the server stops is sent again after
    // the restart (with its idempotency key). Restart once every post is recorded as sent.
    t.eventually("the calls are recorded as sent", || async {
        calls_in_outbox(&t)
            .await
            .iter()
            .all(|m| m.status == mosharekat_api::OutboxStatus::Sent)
            .then_some(())
    })
    .await;

    // A restart (the delivery loop and the scheduler anew) posts nothing again: a third
    // consultation opening afterwards shows the new scheduler has run.
    let t = t.restart(|c| configure(c, &clock, &bale, &eitaa)).await;
    let c3 = scheduled(&t, 1, 41).await;
    clock.advance(Duration::days(1) + Duration::hours(1));
    let (to_bale, to_eitaa) = posted(&bale, &eitaa, 5).await;
    let expected = vec![
        ("closing", c1),
        ("closing", c2),
        ("opened", c1),
        ("opened", c2),
        ("opened", c3),
    ];
    assert_eq!(sorted(to_bale), expected);
    assert_eq!(sorted(to_eitaa), expected);
    t.eventually("the calls are sent", || async {
        let calls = calls_in_outbox(&t).await;
        (calls.len() == 10
            && calls
                .iter()
                .all(|m| m.status == mosharekat_api::OutboxStatus::Sent))
        .then_some(())
    })
    .await;
}

async fn no_call_on_an_unconfigured_channel(backend: Backend) {
    let clock = Clock::system();
    let bale = FakeBale::start().await;
    let eitaa = MockReceiver::start(&clock, vec![]).await;
    // The bot is there, but no Bale channel is named.
    let t = TestServer::start_with(backend, |c| {
        configure(c, &clock, &bale, &eitaa);
        c.delivery.bale_channel = None;
    })
    .await;
    let c1 = t.open_consultation().await;
    let to_eitaa = eitaa.wait_for(1).await;
    assert_eq!(which(&form(&to_eitaa[0].body)["text"]), ("opened", c1));
    // The pass that queued Eitaa's call passed over Bale: nothing was queued for it.
    let calls = calls_in_outbox(&t).await;
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].channel, mosharekat_api::Channel::Eitaa);
    assert!(bale.calls("sendMessage").is_empty());
}

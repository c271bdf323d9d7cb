//! The Outbox view: counts and filters, the retry of a dead message behind a confirmation, live
//! updates, drawing in both languages at both sizes (snapshots), and — called from the Reports
//! pane's run against the real backend — a dead message retried from the console and delivered.

use std::collections::HashMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use mosharekat_api::{
    Channel, Event, EventKind, Language, MessageKind, OutboxMessage, OutboxStatus, Role,
};

use super::{Answer, Count, ListAnswer, Loaded, OutboxPane, RetryAnswer, next_filter};
use crate::client::{Client, ClientError};
use crate::keymap::{Action, Context, Pane};
use crate::panes::testing::{self, Area, TestCtx, screen_trimmed, test_ctx};
use crate::panes::{Answers, PaneView};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 20, 9, 0, 0).unwrap()
}

fn message(id: i64, status: OutboxStatus, channel: Channel) -> OutboxMessage {
    OutboxMessage {
        id,
        participant_id: Some(100 + id),
        consultation_id: 2,
        channel,
        status,
        attempts: match status {
            OutboxStatus::Pending => 1,
            OutboxStatus::Sent => 2,
            OutboxStatus::Dead => 8,
        },
        next_attempt_at: now() + Duration::minutes(id),
        last_attempt_at: Some(now() - Duration::minutes(3)),
        last_error: match status {
            OutboxStatus::Sent => None,
            OutboxStatus::Pending => Some("HTTP 503 from the receiver".into()),
            // Text from outside: a control character and a Persian reason.
            OutboxStatus::Dead => {
                Some("gave up after 8 attempts: \u{1b}[31mخطای ۴۰۴ کاربر یافت نشد".into())
            }
        },
        idempotency_key: format!("msg-{id}-5f1c"),
        kind: MessageKind::ReportPublished,
        subject_id: 2,
        language: if id % 2 == 0 {
            Language::Fa
        } else {
            Language::En
        },
        text: "گزارش جامع نظرخواهی «بخشنامه‌ی ساعت کاری مدارس» منتشر شد: https://portal.example/2"
            .into(),
        created_at: now() - Duration::hours(1),
        sent_at: (status == OutboxStatus::Sent).then(|| now() - Duration::minutes(2)),
    }
}

fn all_messages() -> Vec<OutboxMessage> {
    vec![
        message(1, OutboxStatus::Sent, Channel::Bale),
        message(2, OutboxStatus::Dead, Channel::Webhook),
        message(3, OutboxStatus::Pending, Channel::Eitaa),
        message(4, OutboxStatus::Sent, Channel::Eitaa),
        message(5, OutboxStatus::Dead, Channel::Bale),
    ]
}

fn loaded_of(filter: Option<OutboxStatus>) -> Loaded {
    let all = all_messages();
    let mut counts: HashMap<OutboxStatus, Count> = HashMap::new();
    for m in &all {
        counts.entry(m.status).or_default().n += 1;
    }
    let mut items: Vec<OutboxMessage> = all
        .into_iter()
        .filter(|m| filter.is_none_or(|f| f == m.status))
        .collect();
    items.reverse();
    Loaded {
        counts,
        items,
        truncated: false,
        pages: 1,
    }
}

fn new_ctx(lang: &str) -> TestCtx {
    test_ctx(
        Client::new("http://127.0.0.1:9".parse().unwrap()),
        lang,
        now(),
    )
}

fn loaded(t: &mut TestCtx) -> OutboxPane {
    let mut pane = OutboxPane::default();
    pane.refresh(&mut t.ctx());
    pane.on_answer(
        Answer::List(ListAnswer {
            filter: None,
            result: Ok(loaded_of(None)),
        }),
        &mut t.ctx(),
    );
    pane
}

fn render(pane: &mut OutboxPane, lang: &str, width: u16, height: u16) -> String {
    let buffer = testing::draw_pane(
        pane,
        lang,
        (width, height),
        now(),
        Role::Operator,
        Area::PaneArea,
    );
    screen_trimmed(&buffer)
}

#[tokio::test]
async fn newest_first_with_counts_per_status() {
    let mut t = new_ctx("en");
    let pane = loaded(&mut t);
    let ids: Vec<i64> = pane.messages().iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![5, 4, 3, 2, 1]);
    assert_eq!(pane.count(OutboxStatus::Sent).n, 2);
    assert_eq!(pane.count(OutboxStatus::Dead).n, 2);
    assert_eq!(pane.count(OutboxStatus::Pending).n, 1);
}

#[test]
fn the_filter_cycles_through_every_status() {
    let mut f = None;
    let mut seen = vec![];
    for _ in 0..4 {
        f = next_filter(f);
        seen.push(f);
    }
    assert_eq!(
        seen,
        vec![
            Some(OutboxStatus::Pending),
            Some(OutboxStatus::Sent),
            Some(OutboxStatus::Dead),
            None
        ]
    );
}

#[tokio::test]
async fn only_a_dead_message_is_retried_and_only_after_a_yes() {
    let mut t = new_ctx("en");
    let mut pane = loaded(&mut t);
    // #4 is delivered.
    pane.on_action(Action::NextItem, &mut t.ctx());
    assert_eq!(pane.selected().unwrap().id, 4);
    pane.on_action(Action::Retry, &mut t.ctx());
    assert_eq!(pane.context(), Context::Pane(Pane::Outbox));
    assert_eq!(
        t.notice.as_deref(),
        Some("Only a message that gave up can be retried.")
    );
    // #5 gave up: asked first; no keeps it dead.
    pane.on_action(Action::FirstItem, &mut t.ctx());
    pane.on_action(Action::Retry, &mut t.ctx());
    assert_eq!(pane.context(), Context::Dialog);
    let screen = render(&mut pane, "en", 80, 24);
    assert!(
        screen.contains("Send message #5 to participant #105 through Bale"),
        "{screen}"
    );
    pane.on_action(Action::Cancel, &mut t.ctx());
    assert_eq!(pane.context(), Context::Pane(Pane::Outbox));
    pane.on_action(Action::Retry, &mut t.ctx());
    pane.on_action(Action::Submit, &mut t.ctx());
    let mut back = message(5, OutboxStatus::Pending, Channel::Bale);
    back.attempts = 0;
    pane.on_answer(
        Answer::Retry(RetryAnswer {
            id: 5,
            result: Ok(back),
        }),
        &mut t.ctx(),
    );
    assert_eq!(pane.selected().unwrap().status, OutboxStatus::Pending);
    assert_eq!(pane.count(OutboxStatus::Dead).n, 1);
    assert_eq!(pane.count(OutboxStatus::Pending).n, 2);
    assert_eq!(t.notice.as_deref(), Some("Queued for another try"));
    assert!(pane.stale());
}

#[tokio::test]
async fn a_refused_retry_is_said() {
    let mut t = new_ctx("en");
    let mut pane = loaded(&mut t);
    pane.on_answer(
        Answer::Retry(RetryAnswer {
            id: 5,
            result: Err(ClientError::Api {
                status: 409,
                code: "invalid_state".into(),
                message: "only a dead message can be retried".into(),
            }),
        }),
        &mut t.ctx(),
    );
    assert_eq!(
        t.notice.as_deref(),
        Some("Something went wrong: only a dead message can be retried")
    );
}

#[tokio::test]
async fn live_events_mark_the_list_stale_and_ticks_reload_it() {
    let mut t = new_ctx("en");
    let mut pane = loaded(&mut t);
    assert!(!pane.loading());
    pane.on_event(
        &Event {
            id: 1,
            at: now(),
            kind: EventKind::OutboxChanged {
                message_id: 3,
                status: OutboxStatus::Dead,
                attempts: 8,
            },
        },
        &mut t.ctx(),
    );
    // Shown at once on the message, and read again on the next tick.
    let m = pane.messages().iter().find(|m| m.id == 3).unwrap();
    assert_eq!((m.status, m.attempts), (OutboxStatus::Dead, 8));
    assert!(pane.stale());
    t.with(now() + Duration::seconds(2), |ctx| pane.on_tick(ctx));
    assert!(pane.loading());
}

#[tokio::test]
async fn while_messages_wait_the_list_is_polled() {
    let mut t = new_ctx("en");
    let mut pane = loaded(&mut t);
    t.with(now() + Duration::seconds(1), |ctx| pane.on_tick(ctx));
    assert!(!pane.loading());
    t.with(now() + Duration::seconds(4), |ctx| pane.on_tick(ctx));
    assert!(pane.loading());
}

#[tokio::test]
async fn filtering_keeps_only_that_status_on_screen() {
    let mut t = new_ctx("en");
    let mut pane = loaded(&mut t);
    for _ in 0..3 {
        pane.on_action(Action::CycleFilter, &mut t.ctx());
    }
    assert_eq!(pane.filter(), Some(OutboxStatus::Dead));
    assert!(
        pane.messages()
            .iter()
            .all(|m| m.status == OutboxStatus::Dead)
    );
    // An answer for an earlier filter is not taken; the one for this filter is.
    pane.on_answer(
        Answer::List(ListAnswer {
            filter: None,
            result: Ok(loaded_of(None)),
        }),
        &mut t.ctx(),
    );
    assert!(
        pane.messages()
            .iter()
            .all(|m| m.status == OutboxStatus::Dead)
    );
    assert!(pane.loading());
    pane.on_answer(
        Answer::List(ListAnswer {
            filter: Some(OutboxStatus::Dead),
            result: Ok(loaded_of(Some(OutboxStatus::Dead))),
        }),
        &mut t.ctx(),
    );
    assert!(!pane.loading());
    let ids: Vec<i64> = pane.messages().iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![5, 2]);
    let screen = render(&mut pane, "en", 80, 24);
    assert!(screen.contains("Showing: Gave up"), "{screen}");
}

#[tokio::test]
async fn error_text_is_sanitised_and_digits_are_persian() {
    let mut t = new_ctx("fa");
    let mut pane = loaded(&mut t);
    let screen = render(&mut pane, "fa", 160, 48);
    assert!(!screen.contains('\u{1b}'), "{screen}");
    // Participant #105 in Persian digits.
    assert!(screen.contains("۱۰۵"), "{screen}");
    assert!(!screen.contains("105"), "{screen}");
    // «آخرین خطا:» on the reading side (right) of the detail, visual order.
    assert!(screen.contains(":اطخ نیرخآ"), "{screen}");
    let en = render(&mut pane, "en", 160, 48);
    assert!(en.contains("Last error: gave up after 8 attempts"), "{en}");
}

#[tokio::test]
async fn snapshots() {
    for lang in ["fa", "en"] {
        for (width, height) in [(80, 24), (160, 48)] {
            let mut t = new_ctx(lang);
            let mut pane = loaded(&mut t);
            let screen = render(&mut pane, lang, width, height);
            insta::assert_snapshot!(format!("outbox_{lang}_{width}x{height}"), screen);
        }
    }
}

#[tokio::test]
async fn empty_and_loading_states() {
    let mut t = new_ctx("en");
    let mut pane = OutboxPane::default();
    assert!(render(&mut pane, "en", 80, 24).contains("Loading"));
    pane.on_answer(
        Answer::List(ListAnswer {
            filter: None,
            result: Ok(Loaded::default()),
        }),
        &mut t.ctx(),
    );
    assert!(render(&mut pane, "en", 80, 24).contains("The outbox is empty."));
}

/// Against the real backend (called by the Reports pane's run, which published a report to a
/// participant whose webhook refuses): the message dies, the console retries it, the receiver
/// now accepts, and it is delivered.
pub(crate) async fn retry_a_dead_message_from_the_console(
    client: Client,
    hook: &crate::panes::reports::tests::Receiver,
    consultation_id: i64,
) {
    use std::sync::atomic::Ordering;

    // Wait (over HTTP) until the delivery gave up.
    let give_up = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let dead = loop {
        let page = client
            .outbox(Some(OutboxStatus::Dead), None, 100)
            .await
            .unwrap();
        if let Some(m) = page.items.into_iter().next() {
            break m;
        }
        assert!(std::time::Instant::now() < give_up, "no message died");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(dead.consultation_id, consultation_id);
    assert_eq!(dead.kind, MessageKind::ReportPublished);
    assert!(hook.received.load(Ordering::SeqCst) >= 1);

    let mut t = test_ctx(client.clone(), "en", Utc::now());
    let mut pane = OutboxPane::default();
    pane.refresh(&mut t.ctx());
    t.pump(&mut pane, "an answer", |p| !p.loading()).await;
    assert_eq!(pane.count(OutboxStatus::Dead).n, 1);
    for _ in 0..3 {
        pane.on_action(Action::CycleFilter, &mut t.ctx());
    }
    t.pump(&mut pane, "an answer", |p| !p.loading()).await;
    assert_eq!(pane.selected().map(|m| m.id), Some(dead.id));
    let screen = render(&mut pane, "en", 160, 48);
    assert!(screen.contains("Last error:"), "{screen}");

    hook.accept.store(true, Ordering::SeqCst);
    pane.on_action(Action::Retry, &mut t.ctx());
    assert_eq!(pane.context(), Context::Dialog);
    pane.on_action(Action::Submit, &mut t.ctx());
    t.pump(&mut pane, "an answer", |p| {
        p.selected()
            .is_some_and(|m| m.status == OutboxStatus::Pending)
    })
    .await;
    assert_eq!(t.notice.as_deref(), Some("Queued for another try"));

    // Back to every message; ticks read the list again until it is delivered.
    pane.on_action(Action::CycleFilter, &mut t.ctx());
    assert_eq!(pane.filter(), None);
    let mut at = Utc::now();
    let give_up = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while pane.count(OutboxStatus::Sent).n != 1 {
        assert!(std::time::Instant::now() < give_up, "never delivered");
        t.pump(&mut pane, "an answer", |p| !p.loading()).await;
        if pane.count(OutboxStatus::Sent).n == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        at += Duration::seconds(5);
        t.with(at, |ctx| pane.on_tick(ctx));
    }
    assert_eq!(pane.count(OutboxStatus::Dead).n, 0);
    let m = pane.messages().iter().find(|m| m.id == dead.id).unwrap();
    assert_eq!((m.status, m.attempts), (OutboxStatus::Sent, 1));
    assert!(hook.received.load(Ordering::SeqCst) >= 2);
}

/// Calls broadcast to the ministry's channels: no participant, the channel said instead, the
/// kinds labelled in both languages, and the retry asks about the channel.
#[tokio::test]
async fn calls_to_the_ministry_channels_are_labelled() {
    let call = |id: i64, status, channel, kind| {
        let mut m = message(id, status, channel);
        m.participant_id = None;
        m.kind = kind;
        m.language = Language::Fa;
        m.text = "فراخوان مشارکت: نظرخواهی عمومی تازه باز شد\nhttps://portal.example/fa/c/2".into();
        m
    };
    let items = vec![
        call(
            7,
            OutboxStatus::Dead,
            Channel::Eitaa,
            MessageKind::CallClosing,
        ),
        call(
            6,
            OutboxStatus::Sent,
            Channel::Bale,
            MessageKind::CallPublished,
        ),
    ];
    let mut counts: HashMap<OutboxStatus, Count> = HashMap::new();
    for m in &items {
        counts.entry(m.status).or_default().n += 1;
    }
    let screens = |lang: &str| {
        let mut t = new_ctx(lang);
        let mut pane = OutboxPane::default();
        pane.refresh(&mut t.ctx());
        pane.on_answer(
            Answer::List(ListAnswer {
                filter: None,
                result: Ok(Loaded {
                    counts: counts.clone(),
                    items: items.clone(),
                    truncated: false,
                    pages: 1,
                }),
            }),
            &mut t.ctx(),
        );
        let screen = render(&mut pane, lang, 160, 48);
        pane.on_action(Action::Retry, &mut t.ctx());
        let dialog = render(&mut pane, lang, 160, 48);
        (screen, dialog)
    };
    let (en, dialog) = screens("en");
    for label in ["ministry channel", "Call (closing soon)", "Call (opened)"] {
        assert!(en.contains(label), "{label} in {en}");
    }
    assert!(
        dialog.contains("Send message #7 to the ministry's Eitaa channel again?"),
        "{dialog}"
    );
    let (fa, _) = screens("fa");
    insta::assert_snapshot!("outbox_fa_calls_160x48", fa);
}

//! The Queue pane driven without a network: claim answers built from protocol types, keys as
//! actions through a context over a temporary journal, frames drawn into a TestBackend.

use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use mosharekat_api::comment::BulkSkip;
use mosharekat_api::{
    AgeBand, BulkDecisionResponse, Category, ClaimResponse, ClaimedComment, Comment, CommentSource,
    CommentStatus, DecisionRequest, Event, EventKind, Gender, ModerationAction, ParticipantSummary,
    Province, ReasonCode, RenewResponse, Role, ThreadComment,
};
use mosharekat_rtl::{BidiMode, LayoutOptions, Shaping};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use super::*;
use crate::app::{AppEvent, AppParts, Session};
use crate::client::Client;
use crate::i18n::{I18n, Locale};
use crate::journal::{DecisionCall, JournalEntry};
use crate::keymap::{Context, Keymap};
use crate::panes::TestCtx;
use crate::panes::testing::{self, Area, SIZES, assert_clean, rows, screen};
use crate::theme::Theme;

/// 12:00 in Tehran.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 5, 1, 8, 30, 0).unwrap()
}

fn secs(n: i64) -> Duration {
    Duration::seconds(n)
}

/// The Persian sentence of comment 1 as typed (logical order)…
const PERSIAN_LOGICAL: &str = "ماده 12 با OECD سازگار نیست.";
/// …and as it must read on screen, left to right, written by hand: each Persian word's letters
/// reversed, the words right to left, `12` and `OECD` in their own order (the full stop ends
/// up at the left end of the right-to-left paragraph, outside this excerpt).
const PERSIAN_VISUAL: &str = "تسین راگزاس OECD اب 12 هدام";

const HOSTILE: &str =
    "سلام \u{1b}[2J\u{1b}]0;pwned\u{7} click \u{202E}txt.exe\u{202C} now\r\n\u{9b}31m red";

fn participant(
    id: i64,
    name: &str,
    category: Category,
    age_band: AgeBand,
    gender: Option<Gender>,
    province: Option<Province>,
) -> ParticipantSummary {
    ParticipantSummary {
        id,
        display_name: name.into(),
        category,
        age_band,
        gender,
        province,
    }
}

#[allow(clippy::too_many_arguments)]
fn claimed(
    id: i64,
    body: &str,
    participant: ParticipantSummary,
    group: (i64, i64),
    parent_id: Option<i64>,
    is_proposal: bool,
    thread: Vec<ThreadComment>,
    minutes_ago: i64,
) -> ClaimedComment {
    ClaimedComment {
        comment: Comment {
            id,
            consultation_id: 7,
            parent_id,
            participant,
            body: body.into(),
            is_proposal,
            status: CommentStatus::Pending,
            created_at: t0() - Duration::minutes(minutes_ago),
            duplicate_group_id: group.0,
            duplicate_group_size: group.1,
            decision: None,
            article: None,
            source: CommentSource::Web,
        },
        claim_token: format!("batch1.{id}"),
        consultation_title_fa: "پیش‌نویس آیین‌نامه‌ی حمایت از نوآوری".into(),
        consultation_title_en: "Draft regulation on support for innovation".into(),
        thread,
        concern_tags: Vec::new(),
    }
}

/// A batch with a mixed Persian/English comment, a reply with its thread, two members of one
/// campaign group and a hostile comment.
fn batch() -> ClaimResponse {
    ClaimResponse {
        items: vec![
            claimed(
                1,
                &format!("{PERSIAN_LOGICAL}\nمتن کامل: https://example.org/draft?id=42 بند ۳"),
                participant(
                    11,
                    "Sara",
                    Category::ScientificElite,
                    AgeBand::From25To34,
                    Some(Gender::Female),
                    Some(Province::Tehran),
                ),
                (501, 1),
                None,
                true,
                vec![],
                90,
            ),
            claimed(
                2,
                "موافقم، ولی بند ۳ هم مهم است.",
                participant(12, "رضا", Category::Ngo, AgeBand::Unknown, None, None),
                (502, 1),
                Some(100),
                false,
                vec![ThreadComment {
                    id: 100,
                    display_name: "مریم".into(),
                    body: "بند ۳ حذف شود".into(),
                    status: CommentStatus::Approved,
                    created_at: t0() - Duration::hours(3),
                }],
                60,
            ),
            claimed(
                3,
                "این طرح را متوقف کنید",
                participant(
                    13,
                    "کاربر",
                    Category::Public,
                    AgeBand::From45To54,
                    Some(Gender::Male),
                    Some(Province::Isfahan),
                ),
                (77, 40),
                None,
                false,
                vec![],
                30,
            ),
            claimed(
                4,
                "این طرح را متوقف کنید!",
                participant(
                    14,
                    "کاربر ۲",
                    Category::Public,
                    AgeBand::From18To24,
                    Some(Gender::Female),
                    Some(Province::Fars),
                ),
                (77, 40),
                None,
                false,
                vec![],
                20,
            ),
            claimed(
                5,
                HOSTILE,
                participant(
                    15,
                    "x\u{202E}evil",
                    Category::PrivateSector,
                    AgeBand::From35To44,
                    None,
                    Some(Province::Gilan),
                ),
                (503, 1),
                None,
                false,
                vec![],
                2000,
            ),
        ],
        lease_expires_at: t0() + Duration::minutes(5),
    }
}

fn reasons() -> Vec<ReasonCode> {
    use ModerationAction::{Hide, Reject};
    let reason = |code: &str, fa: &str, en: &str, actions: Vec<ModerationAction>| ReasonCode {
        code: code.into(),
        label_fa: fa.into(),
        label_en: en.into(),
        actions,
    };
    vec![
        reason("spam", "هرزنامه", "Spam", vec![Reject, Hide]),
        reason("off_topic", "نامرتبط", "Off topic", vec![Reject]),
        reason("offensive", "توهین‌آمیز", "Offensive", vec![Reject, Hide]),
        reason("other", "سایر", "Other", vec![Reject, Hide]),
    ]
}

/// A pane holding the batch, with the reasons loaded.
fn loaded(t: &mut TestCtx) -> QueuePane {
    let mut pane = QueuePane::new();
    t.with(t0(), |ctx| {
        pane.on_answer(Answer::Claimed(Ok(batch())), ctx);
        pane.on_answer(Answer::Reasons(Ok(reasons())), ctx);
    });
    pane
}

fn act(pane: &mut QueuePane, t: &mut TestCtx, at: DateTime<Utc>, action: Action) -> bool {
    t.with(at, |ctx| pane.on_action(action, ctx))
}

fn type_text(pane: &mut QueuePane, t: &mut TestCtx, text: &str) {
    for c in text.chars() {
        t.with(t0(), |ctx| {
            pane.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), ctx)
        });
    }
}

fn ctx() -> TestCtx {
    TestCtx::new(Role::Moderator, "mod1", "fa")
}

fn single(entry: &JournalEntry) -> (i64, &DecisionRequest) {
    match &entry.call {
        DecisionCall::Single {
            comment_id,
            request,
        } => (*comment_id, request),
        other => panic!("expected a single decision, got {other:?}"),
    }
}

fn select_id(pane: &mut QueuePane, t: &mut TestCtx, id: i64) {
    act(pane, t, t0(), Action::FirstItem);
    while pane.selected().map(Item::id) != Some(id) {
        assert!(act(pane, t, t0(), Action::NextItem));
    }
}

/// The next answer a spawned request sends back to the app.
async fn next_answer(t: &mut TestCtx) -> Answer {
    t.next_answer::<QueuePane>("a request answered").await
}

#[tokio::test]
async fn first_show_claims_and_fetches_reasons_and_an_unreachable_backend_goes_offline() {
    let mut t = ctx();
    let mut pane = QueuePane::new();
    t.with(t0(), |ctx| pane.refresh(ctx));
    assert!(pane.claiming && pane.reasons_loading);
    // A second refresh while they are in flight starts nothing more.
    t.with(t0(), |ctx| pane.refresh(ctx));
    for _ in 0..2 {
        let answer = next_answer(&mut t).await;
        t.with(t0(), |ctx| pane.on_answer(answer, ctx));
    }
    assert!(t.rx.try_recv().is_err(), "exactly two requests");
    assert!(t.went_offline);
    assert!(!pane.claiming && !pane.reasons_loading);
    assert!(pane.error.as_deref().unwrap().contains("unreachable"));
    assert!(pane.items().is_empty());
}

#[test]
fn a_claim_fills_the_list_and_selects_the_first_comment() {
    let mut t = ctx();
    let pane = loaded(&mut t);
    let ids: Vec<i64> = pane.items().iter().map(Item::id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(pane.selected().unwrap().id(), 1);
    let lease = pane.lease().unwrap();
    assert_eq!(lease.expires_at, t0() + Duration::minutes(5));
    assert_eq!(lease.renew_at, t0() + Duration::seconds(150));
    assert!(!t.went_offline);
}

#[test]
fn approve_journals_exactly_the_decision_with_its_claim_token_and_note() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::Note);
    assert_eq!(pane.context(), Context::TextField);
    type_text(&mut pane, &mut t, "بررسی شد OK");
    act(&mut pane, &mut t, t0(), Action::Submit);
    assert_eq!(pane.context(), Context::Pane(Pane::Queue));
    assert_eq!(pane.note(), Some("بررسی شد OK"));

    act(&mut pane, &mut t, t0(), Action::Approve);
    let entries = t.journal.entries();
    assert_eq!(entries.len(), 1);
    let (comment_id, request) = single(&entries[0]);
    assert_eq!(comment_id, 1);
    assert_eq!(
        request,
        &DecisionRequest {
            action: ModerationAction::Approve,
            reason_code: None,
            note: Some("بررسی شد OK".into()),
            tags: vec![],
            claim_token: Some("batch1.1".into()),
        }
    );
    assert_eq!(entries[0].not_before, t0() + t.grace);
    // The note went with it; the item waits; the selection moved on.
    assert_eq!(pane.note(), None);
    let first = &pane.items()[0];
    assert_eq!(
        first.decision.as_ref().unwrap().state,
        DecisionState::Pending
    );
    assert_eq!(pane.selected().unwrap().id(), 2);
    // Deciding it again is refused here and journals nothing.
    select_id(&mut pane, &mut t, 1);
    act(&mut pane, &mut t, t0(), Action::Approve);
    assert_eq!(t.journal.entries().len(), 1);
    assert!(t.notice.is_some());
}

#[test]
fn reject_offers_only_its_reasons_and_journals_the_chosen_one() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    select_id(&mut pane, &mut t, 2);
    act(&mut pane, &mut t, t0(), Action::Reject);
    assert_eq!(pane.context(), Context::Dialog);
    let Some(Dialog::Reason { picker, .. }) = &pane.dialog else {
        panic!("reason picker expected");
    };
    let codes: Vec<&str> = picker.choices.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes, ["spam", "off_topic", "offensive", "other"]);
    // Labels in the interface language (Persian here).
    assert_eq!(picker.choices[1].label, "نامرتبط");
    assert!(t.journal.entries().is_empty(), "nothing before a reason");
    act(&mut pane, &mut t, t0(), Action::NextItem);
    act(&mut pane, &mut t, t0(), Action::Submit);
    let entries = t.journal.entries();
    assert_eq!(entries.len(), 1);
    let (comment_id, request) = single(&entries[0]);
    assert_eq!(comment_id, 2);
    assert_eq!(request.action, ModerationAction::Reject);
    assert_eq!(request.reason_code.as_deref(), Some("off_topic"));
    assert_eq!(request.claim_token.as_deref(), Some("batch1.2"));

    // Hiding does not offer "off topic"; cancelling journals nothing.
    act(&mut pane, &mut t, t0(), Action::Hide);
    let Some(Dialog::Reason { picker, .. }) = &pane.dialog else {
        panic!("reason picker expected");
    };
    let codes: Vec<&str> = picker.choices.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes, ["spam", "offensive", "other"]);
    act(&mut pane, &mut t, t0(), Action::Cancel);
    assert!(pane.dialog.is_none());
    assert_eq!(t.journal.entries().len(), 1);
}

#[test]
fn english_interface_shows_english_reason_labels() {
    let mut t = TestCtx::new(Role::Moderator, "mod1", "en");
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::Reject);
    let Some(Dialog::Reason { picker, .. }) = &pane.dialog else {
        panic!("reason picker expected");
    };
    assert_eq!(picker.choices[0].label, "Spam");
    assert_eq!(picker.title, "Reason for “Reject”");
}

#[test]
fn without_reasons_a_rejection_waits_and_nothing_is_journaled() {
    let mut t = ctx();
    let mut pane = QueuePane::new();
    t.with(t0(), |ctx| {
        pane.on_answer(Answer::Claimed(Ok(batch())), ctx)
    });
    // No runtime is needed: the reasons are asked for only once the pane has none and is
    // not already asking.
    pane.reasons_loading = true;
    act(&mut pane, &mut t, t0(), Action::Reject);
    assert!(pane.dialog.is_none());
    assert!(t.journal.entries().is_empty());
    assert_eq!(
        t.notice.as_deref(),
        Some(t.i18n.text("pane.queue.reasons_unavailable"))
    );
}

#[test]
fn the_reason_other_asks_for_a_note_first() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::Hide);
    act(&mut pane, &mut t, t0(), Action::LastItem); // "other"
    act(&mut pane, &mut t, t0(), Action::Submit);
    assert_eq!(pane.context(), Context::TextField);
    assert!(t.journal.entries().is_empty());
    // An empty note is not enough.
    act(&mut pane, &mut t, t0(), Action::Submit);
    assert_eq!(pane.context(), Context::TextField);
    assert!(t.journal.entries().is_empty());
    type_text(&mut pane, &mut t, "نشانی شخصی دارد");
    act(&mut pane, &mut t, t0(), Action::Submit);
    let entries = t.journal.entries();
    assert_eq!(entries.len(), 1);
    let (_, request) = single(&entries[0]);
    assert_eq!(request.action, ModerationAction::Hide);
    assert_eq!(request.reason_code.as_deref(), Some("other"));
    assert_eq!(request.note.as_deref(), Some("نشانی شخصی دارد"));
}

#[test]
fn undo_within_the_grace_time_removes_the_decision_and_later_says_too_late() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::Approve);
    assert_eq!(t.journal.entries().len(), 1);
    act(&mut pane, &mut t, t0() + secs(3), Action::Undo);
    assert!(t.journal.entries().is_empty());
    assert!(pane.items()[0].undecided());
    assert_eq!(
        pane.selected().unwrap().id(),
        1,
        "back on the undone comment"
    );
    assert_eq!(t.notice.as_deref(), Some(t.i18n.text("pane.queue.undone")));

    act(&mut pane, &mut t, t0() + secs(10), Action::Approve);
    act(&mut pane, &mut t, t0() + secs(16), Action::Undo);
    assert_eq!(t.journal.entries().len(), 1, "past the grace time it stays");
    assert_eq!(
        t.notice.as_deref(),
        Some(t.i18n.text("pane.queue.undo_too_late"))
    );
    act(&mut pane, &mut t, t0() + secs(17), Action::Undo);
    assert_eq!(
        t.notice.as_deref(),
        Some(t.i18n.text("pane.queue.nothing_to_undo"))
    );
}

#[test]
fn undo_gives_the_note_back() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::Note);
    type_text(&mut pane, &mut t, "note");
    act(&mut pane, &mut t, t0(), Action::Submit);
    act(&mut pane, &mut t, t0(), Action::Approve);
    assert_eq!(pane.note(), None);
    act(&mut pane, &mut t, t0() + secs(1), Action::Undo);
    assert_eq!(pane.note(), Some("note"));
}

#[test]
fn a_group_decision_is_one_bulk_call_after_one_confirmation() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    // A unique comment has no group to act on.
    act(&mut pane, &mut t, t0(), Action::ActOnGroup);
    assert!(!pane.group_armed());
    select_id(&mut pane, &mut t, 3);
    act(&mut pane, &mut t, t0(), Action::ActOnGroup);
    assert!(pane.group_armed());
    act(&mut pane, &mut t, t0(), Action::Reject);
    act(&mut pane, &mut t, t0(), Action::Submit); // reason: spam
    assert_eq!(pane.context(), Context::Dialog);
    let Some(Dialog::ConfirmGroup { confirm, .. }) = &pane.dialog else {
        panic!("group confirmation expected");
    };
    assert!(confirm.message.contains("۴۰"), "{}", confirm.message);
    assert!(t.journal.entries().is_empty(), "nothing before confirming");
    act(&mut pane, &mut t, t0(), Action::Submit);

    let entries = t.journal.entries();
    assert_eq!(entries.len(), 1);
    let DecisionCall::Bulk { request } = &entries[0].call else {
        panic!("expected a bulk decision");
    };
    assert_eq!(
        request,
        &BulkDecisionRequest {
            ids: vec![],
            duplicate_group_id: Some(77),
            action: ModerationAction::Reject,
            reason_code: Some("spam".into()),
            note: None,
            tags: vec![],
        }
    );
    let key = entries[0].key.clone();
    assert!(!pane.group_armed());
    for id in [3, 4] {
        let item = pane.items().iter().find(|i| i.id() == id).unwrap();
        let decision = item.decision.as_ref().unwrap();
        assert_eq!(
            (decision.key.as_str(), decision.group),
            (key.as_str(), true)
        );
    }
    assert!(pane.items()[0].undecided() && pane.items()[4].undecided());

    // The backend decided one of ours (and others not in our list) and skipped the other.
    let answer = BulkDecisionResponse {
        decided: vec![3, 90, 91],
        skipped: vec![BulkSkip {
            id: 4,
            code: "claimed_by_other".into(),
        }],
    };
    t.with(t0() + secs(6), |ctx| {
        pane.on_decision(
            &key,
            &DecisionOutcome::Applied(serde_json::to_value(&answer).unwrap()),
            ctx,
        )
    });
    let state = |pane: &QueuePane, id: i64| {
        pane.items()
            .iter()
            .find(|i| i.id() == id)
            .and_then(|i| i.decision.as_ref())
            .map(|d| d.state.clone())
    };
    assert_eq!(state(&pane, 3), Some(DecisionState::Applied));
    assert_eq!(
        state(&pane, 4),
        Some(DecisionState::Failed(
            t.i18n.text("pane.queue.skipped.claimed_by_other").into()
        ))
    );
    assert_eq!(
        t.notice.as_deref(),
        Some("تصمیم گروهی: ۳ مورد اعمال شد، ۱ مورد کنار گذاشته شد")
    );
}

#[test]
fn a_cancelled_group_confirmation_journals_nothing() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    select_id(&mut pane, &mut t, 4);
    act(&mut pane, &mut t, t0(), Action::ActOnGroup);
    act(&mut pane, &mut t, t0(), Action::Approve);
    assert_eq!(pane.context(), Context::Dialog);
    act(&mut pane, &mut t, t0(), Action::Cancel);
    assert!(t.journal.entries().is_empty());
    assert!(!pane.group_armed());
    assert!(pane.items().iter().all(Item::undecided));
}

#[test]
fn outcomes_mark_the_items() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::Approve); // 1
    act(&mut pane, &mut t, t0(), Action::Approve); // 2
    let keys: Vec<String> = t.journal.entries().iter().map(|e| e.key.clone()).collect();
    t.with(t0() + secs(6), |ctx| {
        pane.on_decision(
            &keys[0],
            &DecisionOutcome::Applied(serde_json::json!({})),
            ctx,
        );
        pane.on_decision(
            &keys[1],
            &DecisionOutcome::Refused("another moderator decided first".into()),
            ctx,
        );
        // Someone else's key (an earlier session) changes nothing here.
        pane.on_decision("unknown", &DecisionOutcome::Refused("x".into()), ctx);
    });
    let states: Vec<Option<DecisionState>> = pane
        .items()
        .iter()
        .map(|i| i.decision.as_ref().map(|d| d.state.clone()))
        .collect();
    assert_eq!(
        states,
        [
            Some(DecisionState::Applied),
            Some(DecisionState::Failed(
                "another moderator decided first".into()
            )),
            None,
            None,
            None
        ]
    );
    assert!(
        t.notice
            .as_deref()
            .unwrap()
            .contains("another moderator decided first")
    );
    // As the app records them: the first done, the second refused for good. A refused comment
    // may be decided again; the refusal it replaces leaves the journal.
    t.journal.done(&keys[0]).unwrap();
    t.journal
        .fail(&keys[1], "another moderator decided first")
        .unwrap();
    select_id(&mut pane, &mut t, 2);
    act(&mut pane, &mut t, t0() + secs(7), Action::Approve);
    assert_eq!(t.journal.failed().count(), 0);
    assert_eq!(t.journal.pending_count(), 1);
}

#[test]
fn tags_are_parsed_checked_and_sent_with_the_decision() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::Tag);
    assert_eq!(pane.context(), Context::TextField);
    type_text(&mut pane, &mut t, "cost, حریم خصوصی، cost,  ");
    act(&mut pane, &mut t, t0(), Action::Submit);
    assert_eq!(pane.items()[0].tags, ["cost", "حریم خصوصی"]);

    // Too long a tag: refused, the field stays open, the tags stay as they were.
    act(&mut pane, &mut t, t0(), Action::Tag);
    type_text(&mut pane, &mut t, &format!(", {}", "x".repeat(65)));
    act(&mut pane, &mut t, t0(), Action::Submit);
    assert_eq!(pane.context(), Context::TextField);
    assert_eq!(pane.items()[0].tags, ["cost", "حریم خصوصی"]);
    act(&mut pane, &mut t, t0(), Action::Cancel);

    act(&mut pane, &mut t, t0(), Action::Approve);
    let (_, request) = single(&t.journal.entries()[0]);
    assert_eq!(request.tags, ["cost", "حریم خصوصی"]);
}

#[test]
fn parse_tags_limits() {
    assert_eq!(parse_tags(" a ,b،c\n a").unwrap(), ["a", "b", "c"]);
    assert_eq!(parse_tags("").unwrap(), Vec::<String>::new());
    let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
    assert!(parse_tags(&many.join(",")).is_none());
    assert!(parse_tags(&many[..20].join(",")).is_some());
    assert!(parse_tags(&"ب".repeat(65)).is_none());
    assert!(parse_tags(&"ب".repeat(64)).is_some());
    assert!(parse_tags("a\u{1b}b").is_none());
}

fn event(kind: EventKind) -> Event {
    Event {
        id: 1,
        at: t0(),
        kind,
    }
}

#[test]
fn live_arrivals_and_decisions_by_others() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    let created = event(EventKind::CommentCreated {
        comment_id: 50,
        consultation_id: 7,
        duplicate_group_id: 600,
        duplicate_group_size: 1,
    });
    t.with(t0(), |ctx| {
        pane.on_event(&created, ctx);
        pane.on_event(&created, ctx);
    });
    assert_eq!(pane.new_arrivals(), 2);

    let decided = |id: i64, by: &str| {
        event(EventKind::CommentDecided {
            comment_id: id,
            consultation_id: 7,
            status: CommentStatus::Rejected,
            decided_by: by.into(),
        })
    };
    // Our own decisions echo back: nothing to mark.
    t.with(t0(), |ctx| pane.on_event(&decided(2, "mod1"), ctx));
    assert!(pane.items()[1].elsewhere.is_none());
    t.with(t0(), |ctx| pane.on_event(&decided(2, "mod2"), ctx));
    assert_eq!(
        pane.items()[1].elsewhere,
        Some(DecidedElsewhere {
            user: "mod2".into(),
            status: CommentStatus::Rejected
        })
    );
    assert_eq!(
        t.notice.as_deref(),
        Some("در این فاصله mod2 درباره‌ی آن تصمیم گرفت")
    );
    // It can no longer be decided here.
    select_id(&mut pane, &mut t, 2);
    act(&mut pane, &mut t, t0(), Action::Approve);
    assert!(t.journal.entries().is_empty());

    // Our unsent decision on a comment someone else decided is withdrawn, not sent as a revision.
    select_id(&mut pane, &mut t, 1);
    act(&mut pane, &mut t, t0(), Action::Approve);
    assert_eq!(t.journal.entries().len(), 1);
    t.with(t0() + secs(1), |ctx| {
        pane.on_event(&decided(1, "admin"), ctx)
    });
    assert!(t.journal.entries().is_empty());
    assert!(pane.items()[0].decision.is_none());

    // A new claim clears the arrivals and drops what is finished.
    t.with(t0() + secs(2), |ctx| {
        pane.on_answer(
            Answer::Claimed(Ok(ClaimResponse {
                items: vec![],
                lease_expires_at: t0() + Duration::minutes(6),
            })),
            ctx,
        )
    });
    assert_eq!(pane.new_arrivals(), 0);
    let ids: Vec<i64> = pane.items().iter().map(Item::id).collect();
    assert_eq!(ids, [3, 4, 5]);
}

#[tokio::test]
async fn the_lease_is_renewed_half_way_and_a_failure_is_said() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::Approve); // 1 keeps its claim until sent
    t.with(t0() + secs(149), |ctx| pane.on_tick(ctx));
    assert!(pane.renewing.is_none());
    t.with(t0() + secs(150), |ctx| pane.on_tick(ctx));
    let asked = pane.renewing.clone().expect("renewal in flight");
    assert_eq!(
        asked,
        ["batch1.1", "batch1.2", "batch1.3", "batch1.4", "batch1.5"]
    );
    // Unreachable: said, offline, retried soon.
    let answer = next_answer(&mut t).await;
    t.with(t0() + secs(151), |ctx| pane.on_answer(answer, ctx));
    assert!(t.went_offline);
    assert_eq!(
        t.notice.as_deref(),
        Some(t.i18n.text("pane.queue.lease_renew_failed"))
    );
    assert_eq!(pane.lease().unwrap().renew_at, t0() + secs(161));

    // A renewal that extends fewer claims than were undecided says how many went back.
    pane.renewing = Some(asked);
    t.with(t0() + secs(170), |ctx| {
        pane.on_answer(
            Answer::Renewed(Ok(RenewResponse {
                renewed: 3,
                lease_expires_at: t0() + secs(170) + Duration::minutes(5),
            })),
            ctx,
        )
    });
    assert_eq!(
        pane.lease().unwrap().renew_at,
        t0() + secs(170) + Duration::seconds(150)
    );
    assert_eq!(
        t.notice.as_deref(),
        Some("مهلت ۱ مورد دریافت‌شده تمام شده بود و به صف برگشت")
    );
}

#[tokio::test]
async fn release_asks_first_and_gives_back_only_undecided_claims() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::Approve); // 1: its decision still needs the claim
    act(&mut pane, &mut t, t0(), Action::Release);
    let Some(Dialog::ConfirmRelease(confirm)) = &pane.dialog else {
        panic!("release confirmation expected");
    };
    assert!(confirm.message.contains('۴'), "{}", confirm.message);
    act(&mut pane, &mut t, t0(), Action::Submit);
    let ids: Vec<i64> = pane.items().iter().map(Item::id).collect();
    assert_eq!(ids, [1]);
    let answer = next_answer(&mut t).await;
    assert!(matches!(answer, Answer::Released(_)));
    t.with(t0(), |ctx| pane.on_answer(answer, ctx));
    assert!(t.went_offline);
    // Nothing undecided left: nothing to release, no dialog.
    act(&mut pane, &mut t, t0(), Action::Release);
    assert!(pane.dialog.is_none());
    assert_eq!(
        t.notice.as_deref(),
        Some(t.i18n.text("pane.queue.nothing_to_release"))
    );
}

/// A one-shot HTTP server on a thread of its own: answers one request with `answer` and hands
/// back the request's path and body.
fn one_shot_server(answer: &'static str) -> (String, std::thread::JoinHandle<(String, String)>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    let handle = std::thread::spawn(move || {
        // Fail rather than hang when no request comes.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let stream = loop {
            match listener.accept() {
                Ok((stream, _)) => break stream,
                Err(_) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(10))
                }
                Err(e) => panic!("no request came: {e}"),
            }
        };
        stream.set_nonblocking(false).unwrap();
        let mut reader = BufReader::new(stream);
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let mut stream = reader.into_inner();
        write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
            answer.len()
        )
        .unwrap();
        let path = request_line
            .split(' ')
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        (path, String::from_utf8(body).unwrap())
    });
    (url, handle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn exit_gives_back_the_undecided_claims_before_the_console_stops() {
    let mut t = ctx();
    let (url, server) = one_shot_server(r#"{"released":4}"#);
    t.client = Client::new(url.parse().unwrap()).with_token("tok");
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::Approve); // 1: its decision still needs the claim
    t.with(t0(), |ctx| pane.on_exit(ctx));
    // Done by the time on_exit returns, without the app's runtime.
    let (path, body) = server.join().unwrap();
    assert_eq!(path, "/api/v1/queue/release");
    let request: mosharekat_api::ReleaseRequest = serde_json::from_str(&body).unwrap();
    assert_eq!(
        request.claim_tokens,
        ["batch1.2", "batch1.3", "batch1.4", "batch1.5"]
    );
    let ids: Vec<i64> = pane.items().iter().map(Item::id).collect();
    assert_eq!(ids, [1]);
    // Holding nothing undecided, exit asks nothing of the backend.
    t.client = Client::new("http://127.0.0.1:9".parse().unwrap());
    t.with(t0(), |ctx| pane.on_exit(ctx));
    assert!(t.rx.try_recv().is_err());
}

#[test]
fn exit_with_the_backend_gone_does_not_hang() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    t.with(t0(), |ctx| pane.on_exit(ctx));
    assert!(pane.items().is_empty());
}

#[test]
fn thread_and_detail_scrolling() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    assert!(pane.show_thread);
    act(&mut pane, &mut t, t0(), Action::ToggleThread);
    assert!(!pane.show_thread);
    act(&mut pane, &mut t, t0(), Action::ScrollDown);
    act(&mut pane, &mut t, t0(), Action::ScrollDown);
    assert_eq!(pane.detail_scroll, 2);
    act(&mut pane, &mut t, t0(), Action::NextItem);
    assert_eq!(pane.detail_scroll, 0, "a new comment starts at its top");
    // Drawing clamps the scroll to the text.
    pane.detail_scroll = 500;
    draw_pane(&mut pane, "en", 160, 48);
    assert!(pane.detail_scroll < 5);
}

// ---- drawing ----

fn draw_pane(pane: &mut QueuePane, lang: &str, width: u16, height: u16) -> Buffer {
    testing::draw_pane(
        pane,
        lang,
        (width, height),
        t0(),
        Role::Moderator,
        Area::Screen,
    )
}

#[test]
fn every_comment_draws_clean_at_both_sizes_in_both_languages() {
    for lang in ["fa", "en"] {
        for (w, h) in SIZES {
            let mut t = ctx();
            let mut pane = loaded(&mut t);
            for id in 1..=5 {
                select_id(&mut pane, &mut t, id);
                let buffer = draw_pane(&mut pane, lang, w, h);
                let what = format!("{lang} {w}x{h} comment {id}");
                assert_clean(&buffer, &what);
                let text = screen(&buffer);
                if id == 5 {
                    assert!(text.contains('␛'), "{what}: ESC marker missing\n{text}");
                    assert!(text.contains("⟦RLO⟧"), "{what}: RLO marker missing\n{text}");
                    assert!(!text.contains("pwned\u{7}"));
                }
            }
        }
    }
}

#[test]
fn a_persian_sentence_reads_in_visual_order() {
    for lang in ["fa", "en"] {
        for (w, h) in SIZES {
            let mut t = ctx();
            let mut pane = loaded(&mut t);
            let buffer = draw_pane(&mut pane, lang, w, h);
            let found = rows(&buffer).iter().any(|row| row.contains(PERSIAN_VISUAL));
            assert!(
                found,
                "{lang} {w}x{h}: `{PERSIAN_VISUAL}` not on screen\n{}",
                screen(&buffer)
            );
            // The logical order never reaches the screen.
            assert!(!screen(&buffer).contains("ماده 12"));
        }
    }
}

#[test]
fn the_list_sits_on_the_reading_side() {
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    let fa = rows(&draw_pane(&mut pane, "fa", 160, 48));
    let en = rows(&draw_pane(&mut pane, "en", 160, 48));
    let column = |rows: &[String], needle: &str| {
        rows.iter()
            .find_map(|r| r.find(needle).map(|b| r[..b].chars().count()))
            .unwrap_or_else(|| panic!("`{needle}` not found"))
    };
    // The "Consultation" column head (only the list has it): in the left half in English, in
    // the right half in Persian (where it reads "نظرخواهی", its letters reversed on screen).
    assert!(column(&en, "Consultation") < 80);
    assert!(column(&fa, "یهاوخرظن") >= 80);
}

#[test]
fn dialogs_draw_clean() {
    for lang in ["fa", "en"] {
        let mut t = ctx();
        let mut pane = loaded(&mut t);
        select_id(&mut pane, &mut t, 5);
        act(&mut pane, &mut t, t0(), Action::Reject);
        assert_clean(&draw_pane(&mut pane, lang, 80, 24), "reason picker");
        act(&mut pane, &mut t, t0(), Action::Cancel);
        act(&mut pane, &mut t, t0(), Action::Note);
        type_text(&mut pane, &mut t, "یادداشت abc \u{202E}x");
        let buffer = draw_pane(&mut pane, lang, 80, 24);
        assert_clean(&buffer, "note field");
        act(&mut pane, &mut t, t0(), Action::Submit);
        let buffer = draw_pane(&mut pane, lang, 80, 24);
        assert_clean(&buffer, "note shown");
        assert!(screen(&buffer).contains("⟦RLO⟧"));
    }
}

#[test]
fn an_empty_queue_says_how_to_claim() {
    let mut t = ctx();
    let mut pane = QueuePane::new();
    t.with(t0(), |ctx| {
        pane.on_answer(
            Answer::Claimed(Ok(ClaimResponse {
                items: vec![],
                lease_expires_at: t0(),
            })),
            ctx,
        )
    });
    let text = screen(&draw_pane(&mut pane, "en", 80, 24));
    assert!(text.contains("No comments are waiting for you."), "{text}");
    assert!(text.contains("Press c"), "{text}");
}

#[test]
fn a_comment_from_the_bale_bot_says_so() {
    let mut batch = batch();
    batch.items[0].comment.source = CommentSource::Bale;
    for (lang, expected) in [("en", "Sent through Bale"), ("fa", "ارسال‌شده از بله")]
    {
        let mut t = ctx();
        let mut pane = QueuePane::new();
        t.with(t0(), |ctx| {
            pane.on_answer(Answer::Claimed(Ok(batch.clone())), ctx)
        });
        let text = screen(&draw_pane(&mut pane, lang, 120, 30));
        let words_found = expected.split_whitespace().all(|w| {
            let word = if lang == "fa" {
                use unicode_segmentation::UnicodeSegmentation as _;
                w.graphemes(true).rev().collect::<String>()
            } else {
                w.to_owned()
            };
            text.contains(&word)
        });
        assert!(words_found, "{lang}: {expected:?} not on\n{text}");
        insta::assert_snapshot!(format!("queue_bale_source_{lang}_120x30"), text);
    }
    // A comment from the portal says nothing of the kind.
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    let text = screen(&draw_pane(&mut pane, "en", 120, 30));
    assert!(!text.contains("Sent through"), "{text}");
}

#[test]
fn a_comment_on_an_article_says_which_and_of_which_version() {
    let mut batch = batch();
    batch.items[0].comment.article = Some(mosharekat_api::ArticleRef {
        article_id: 900,
        number: 3,
        label: "۳".into(),
        version: 2,
    });
    for (lang, expected) in [
        ("en", "On article 3 (draft version 2)"),
        ("fa", "دربارهٔ مادهٔ ۳ (نسخهٔ ۲ پیش‌نویس)"),
    ] {
        let mut t = ctx();
        let mut pane = QueuePane::new();
        t.with(t0(), |ctx| {
            pane.on_answer(Answer::Claimed(Ok(batch.clone())), ctx)
        });
        let text = screen(&draw_pane(&mut pane, lang, 120, 30));
        // Persian rows are in visual order: each word reads backwards (by grapheme, so «هٔ»
        // stays whole), and the words' order is the engine's business.
        let words_found = expected.split_whitespace().all(|w| {
            let w = w.trim_matches(['(', ')']);
            let word = if lang == "fa" {
                use unicode_segmentation::UnicodeSegmentation as _;
                w.graphemes(true).rev().collect::<String>()
            } else {
                w.to_owned()
            };
            text.contains(&word)
        });
        assert!(words_found, "{lang}: {expected:?} not on\n{text}");
    }
    // A comment on the whole draft says nothing of the kind.
    let mut t = ctx();
    let mut pane = loaded(&mut t);
    let text = screen(&draw_pane(&mut pane, "en", 120, 30));
    assert!(!text.contains("On article"), "{text}");
}

// ---- snapshots through the app's frame ----

fn app(lang: &str, journal_dir: &std::path::Path) -> crate::app::App {
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let parts = AppParts {
        session: Session {
            client: Client::new("http://127.0.0.1:9".parse().unwrap()),
            username: "mod1".into(),
            role: Role::Moderator,
        },
        i18n: I18n::new(Locale::embedded(lang).unwrap()),
        configured_lang: lang.into(),
        config_dir: journal_dir.join("config"),
        theme: Theme::embedded("dark").unwrap(),
        keymap: Keymap::embedded_default(),
        layout: LayoutOptions::new(BidiMode::App, Shaping::Off),
        journal: crate::journal::Journal::open(&journal_dir.join("j.journal")).unwrap(),
    };
    crate::app::App::new(parts, tx)
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// The console at work: a batch claimed, tags on the first comment, the first approved (still
/// in its undo time), the reply with its thread selected.
fn working_app(lang: &str, dir: &std::path::Path) -> crate::app::App {
    let mut app = app(lang, dir);
    for answer in [Answer::Claimed(Ok(batch())), Answer::Reasons(Ok(reasons()))] {
        app.on_event(AppEvent::Answer(answer.into()), t0());
    }
    app.on_key(key('t'), t0());
    for c in "cost, privacy".chars() {
        app.on_key(key(c), t0());
    }
    app.on_key(
        KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
        t0(),
    );
    app.on_key(key('a'), t0());
    app
}

#[test]
fn snapshots_in_the_app_frame() {
    for lang in ["fa", "en"] {
        for (w, h) in SIZES {
            let dir = tempfile::tempdir().unwrap();
            let mut app = working_app(lang, dir.path());
            assert_eq!(app.journal().pending_count(), 1);
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            app.render(&mut terminal, t0() + secs(2)).unwrap();
            let buffer = terminal.backend().buffer().clone();
            assert_clean(&buffer, &format!("app {lang} {w}x{h}"));
            insta::assert_snapshot!(format!("queue_{lang}_{w}x{h}"), screen(&buffer));
        }
    }
}

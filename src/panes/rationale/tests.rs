//! The Rationale pane: state and keys through a real `PaneCtx` (answers built from protocol
//! types), autosave by the pane's own clock, the 409 path, publication checks, drawing at 80×24
//! and 160×48 in Persian and English (snapshots through the app's frame), and two editors on one
//! proposal against the real backend over HTTP.

use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use mosharekat_api::{
    AgeBand, Category, Comment, CommentStatus, Consultation, ConsultationKind, ConsultationStatus,
    DecisionConflict, ErrorDetail, Event, EventKind, Outcome, ParticipantSummary, Proposal,
    ProposalDecision, Role,
};
use mosharekat_rtl::{BidiMode, LayoutOptions, Shaping};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use super::*;
use crate::app::{AppEvent, AppParts, Session};
use crate::client::{Client, ClientError};
use crate::i18n::{I18n, Locale};
use crate::keymap::Keymap;
use crate::panes::testing::{self, Area, SIZES, assert_clean, rows, screen};
use crate::panes::{PaneView, TestCtx};
use crate::theme::Theme;
use crate::ui::Ui;

/// 12:00 in Tehran.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 5, 1, 8, 30, 0).unwrap()
}

fn secs(n: i64) -> Duration {
    Duration::seconds(n)
}

const CLOSED: i64 = 7;
const OPEN: i64 = 8;

/// The first proposal as written (logical order)…
const PROPOSAL_FA: &str = "سقف شهریه مدارس با نرخ تورم 12 درصد گره بخورد";
/// …and a stretch of it as it must read on screen, written by hand: each word's letters
/// reversed, the words right to left, `12` in its own order.
const PROPOSAL_FA_VISUAL: &str = "دروخب هرگ دصرد 12 مروت خرن اب";

fn consultation(id: i64, status: ConsultationStatus, fa: &str, en: &str) -> Consultation {
    let opens_at = t0() - Duration::days(60);
    Consultation {
        id,
        kind: ConsultationKind::Regulation,
        status,
        title_fa: fa.into(),
        title_en: en.into(),
        summary_fa: String::new(),
        summary_en: String::new(),
        drafting_unit: "وزارت آموزش و پرورش".into(),
        opens_at,
        closes_at: opens_at
            + Duration::days(if status == ConsultationStatus::Closed {
                30
            } else {
                90
            }),
        portal_url: String::new(),
        short_window_reason: None,
        published_at: Some(opens_at),
        closed_early_at: None,
        closed_early_reason: None,
        created_at: opens_at,
        updated_at: opens_at,
        comment_count: 0,
        report_published_at: None,
    }
}

fn consultations() -> Vec<Consultation> {
    vec![
        consultation(
            OPEN,
            ConsultationStatus::Open,
            "بخشنامه‌ی باز",
            "Open circular",
        ),
        consultation(
            CLOSED,
            ConsultationStatus::Closed,
            "آیین‌نامه‌ی شهریه‌ی مدارس غیردولتی",
            "Regulation on private school fees",
        ),
    ]
}

fn comment(id: i64, body: &str, group_size: i64) -> Comment {
    Comment {
        id,
        consultation_id: CLOSED,
        parent_id: None,
        participant: ParticipantSummary {
            id: 100 + id,
            display_name: "سارا".into(),
            category: Category::Public,
            age_band: AgeBand::Unknown,
            gender: None,
            province: None,
        },
        body: body.into(),
        is_proposal: true,
        status: CommentStatus::Approved,
        created_at: t0() - Duration::days(40),
        duplicate_group_id: 500 + id,
        duplicate_group_size: group_size,
        decision: None,
        article: None,
        source: mosharekat_api::CommentSource::Web,
    }
}

fn decision(id: i64, version: i64, by: &str, fa: &str, en: &str) -> ProposalDecision {
    ProposalDecision {
        proposal_id: id,
        consultation_id: CLOSED,
        outcome: Some(Outcome::PartiallyAccepted),
        rationale_fa: fa.into(),
        rationale_en: en.into(),
        legal_basis: "ماده ۱۲ قانون مدارس غیردولتی".into(),
        version,
        decided_by: by.into(),
        decided_at: t0() - Duration::hours(2),
        published_at: None,
    }
}

fn proposals() -> Vec<Proposal> {
    vec![
        Proposal {
            comment: comment(1, PROPOSAL_FA, 40),
            decision: Some(decision(
                1,
                2,
                "operator2",
                "سقف شهریه با نرخ رسمی تورم تعیین می‌شود، نه بیشتر.",
                "The fee cap follows official inflation, no more.",
            )),
            group_size: 40,
        },
        Proposal {
            comment: comment(2, "Publish the fee table in English too, please.", 1),
            decision: None,
            group_size: 1,
        },
        Proposal {
            comment: comment(3, "بند ۳ حذف شود \u{1b}]0;pwned\u{7} \u{202E}txt.exe", 3),
            decision: None,
            group_size: 3,
        },
    ]
}

fn ctx(lang: &str) -> TestCtx {
    TestCtx::new(Role::Operator, "operator1", lang)
}

fn respond(pane: &mut RationalePane, t: &mut TestCtx, at: DateTime<Utc>, answer: Answer) {
    t.with(at, |ctx| pane.on_answer(answer, ctx));
}

/// A pane showing the closed consultation's proposals (requests the answers stand for were
/// never sent: the pane is fed their answers directly).
fn loaded(t: &mut TestCtx) -> RationalePane {
    let mut pane = RationalePane::new();
    pane.consultations_state.start(t0());
    respond(
        &mut pane,
        t,
        t0(),
        Answer::Consultations(ConsultationsAnswer(Ok(consultations()))),
    );
    pane.proposals_state.start(t0());
    respond(
        &mut pane,
        t,
        t0(),
        Answer::Proposals(ProposalsAnswer {
            consultation_id: CLOSED,
            result: Ok(proposals()),
        }),
    );
    pane
}

fn act(pane: &mut RationalePane, t: &mut TestCtx, at: DateTime<Utc>, action: Action) -> bool {
    t.with(at, |ctx| pane.on_action(action, ctx))
}

fn type_text(pane: &mut RationalePane, t: &mut TestCtx, at: DateTime<Utc>, text: &str) {
    for c in text.chars() {
        let key = if c == '\n' {
            KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
        } else {
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
        };
        assert!(t.with(at, |ctx| pane.on_key(key, ctx)));
    }
}

fn editor(pane: &RationalePane) -> &Editor {
    pane.current_editor()
        .expect("an editor on the selected proposal")
}

fn saved(pane: &RationalePane, version: i64, fa: &str, en: &str) -> SaveAnswer {
    let e = editor(pane);
    SaveAnswer {
        proposal_id: e.proposal_id,
        edits: e.in_flight.expect("a save in flight"),
        result: Ok(SaveOutcome::Saved(ProposalDecision {
            outcome: e.outcome,
            ..decision(e.proposal_id, version, "operator1", fa, en)
        })),
    }
}

#[tokio::test]
async fn closed_consultations_come_first_and_the_first_is_shown() {
    let mut t = ctx("fa");
    let pane = loaded(&mut t);
    let ids: Vec<i64> = pane.consultations().iter().map(|c| c.id).collect();
    assert_eq!(ids, vec![CLOSED, OPEN]);
    assert_eq!(pane.current_consultation().map(|c| c.id), Some(CLOSED));
    assert_eq!(pane.proposals().len(), 3);
    assert_eq!(pane.selected().map(|p| p.comment.id), Some(1));
}

#[tokio::test]
async fn an_unreachable_backend_is_said_once_not_asked_in_a_loop() {
    let mut t = ctx("en");
    let mut pane = RationalePane::new();
    pane.set_consultations(consultations());
    t.with(t0(), |ctx| pane.refresh(ctx));
    assert!(pane.consultations_state.is_loading() && pane.proposals_state.is_loading());
    for _ in 0..2 {
        let answer = t.next_answer::<RationalePane>("an answer").await;
        respond(&mut pane, &mut t, t0(), answer);
    }
    assert!(t.went_offline);
    assert!(
        !pane.proposals_state.is_loading(),
        "no new request after a failure"
    );
    assert!(!pane.consultations_state.is_loading());
    let text = screen(&draw_pane(&mut pane, "en", 80, 24));
    assert!(text.contains("unreachable"), "{text}");
}

#[tokio::test]
async fn the_picker_switches_consultation_and_loads_its_proposals() {
    let mut t = ctx("en");
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::ChooseConsultation);
    assert_eq!(pane.context(), Context::Dialog);
    act(&mut pane, &mut t, t0(), Action::NextItem);
    act(&mut pane, &mut t, t0(), Action::Submit);
    assert_eq!(pane.current_consultation().map(|c| c.id), Some(OPEN));
    assert!(
        pane.proposals().is_empty(),
        "the closed one's list is not shown for it"
    );
    assert!(pane.proposals_state.is_loading());
    // An answer for the consultation left behind is not taken for the new one.
    pane.proposals_state.succeeded();
    pane.set_proposals(CLOSED, proposals());
    assert!(pane.proposals().is_empty());
}

#[tokio::test]
async fn typing_saves_after_an_idle_time_not_before() {
    let mut t = ctx("fa");
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::NextItem);
    assert!(act(&mut pane, &mut t, t0(), Action::EditRationaleFa));
    assert_eq!(pane.context(), Context::TextField);
    type_text(
        &mut pane,
        &mut t,
        t0(),
        "جدول شهریه به انگلیسی هم منتشر میشود",
    );
    assert!(editor(&pane).dirty());
    t.with(t0() + secs(1), |ctx| pane.on_tick(ctx));
    assert!(!editor(&pane).saving(), "still typing: no save yet");
    t.with(t0() + IDLE_SAVE, |ctx| pane.on_tick(ctx));
    assert!(editor(&pane).saving(), "idle long enough: saved");
    let request = editor(&pane).request();
    assert_eq!(request.version, 0);
    assert_eq!(request.rationale_fa, "جدول شهریه به انگلیسی هم منتشر میشود");
    // Typing on while the save is out: the answer saves the older text only.
    type_text(&mut pane, &mut t, t0() + secs(3), ".");
    let answer = saved(&pane, 1, "جدول شهریه به انگلیسی هم منتشر میشود", "");
    respond(&mut pane, &mut t, t0() + secs(3), Answer::Save(answer));
    let e = editor(&pane);
    assert_eq!(e.base_version, 1);
    assert!(
        e.dirty(),
        "the full stop typed after the save is still unsaved"
    );
    assert!(!e.saving());
    t.with(t0() + secs(6), |ctx| pane.on_tick(ctx));
    assert!(editor(&pane).saving());
    assert_eq!(editor(&pane).request().version, 1);
}

#[tokio::test]
async fn leaving_a_field_or_the_proposal_saves_at_once() {
    let mut t = ctx("en");
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::NextItem);
    act(&mut pane, &mut t, t0(), Action::EditRationaleEn);
    type_text(&mut pane, &mut t, t0(), "Yes.");
    // Tab: to the next field, saving.
    act(&mut pane, &mut t, t0(), Action::NextField);
    assert_eq!(pane.focus(), Some(Field::Legal));
    assert!(editor(&pane).saving());
    let answer = saved(&pane, 1, "", "Yes.");
    respond(&mut pane, &mut t, t0(), Answer::Save(answer));
    assert!(!editor(&pane).dirty());
    type_text(&mut pane, &mut t, t0(), "Article 5");
    // Esc leaves the field keeping the text, and saves it.
    act(&mut pane, &mut t, t0(), Action::Cancel);
    assert_eq!(pane.focus(), None);
    assert_eq!(editor(&pane).text(Field::Legal), "Article 5");
    assert!(editor(&pane).saving());
    assert_eq!(editor(&pane).request().version, 1);
    // A second change while that save is out, then moving to another proposal: saved again
    // once the first answers, never lost.
    act(&mut pane, &mut t, t0(), Action::Accept);
    act(&mut pane, &mut t, t0(), Action::NextItem);
    let e = pane.editor(2).unwrap();
    assert!(e.again && e.dirty());
    let answer = SaveAnswer {
        proposal_id: 2,
        edits: e.in_flight.unwrap(),
        result: Ok(SaveOutcome::Saved(decision(2, 2, "operator1", "", "Yes."))),
    };
    respond(&mut pane, &mut t, t0(), Answer::Save(answer));
    let e = pane.editor(2).unwrap();
    assert!(e.saving(), "the outcome chosen meanwhile goes out now");
    assert_eq!(e.request().outcome, Some(Outcome::Accepted));
    assert_eq!(e.request().version, 2);
}

#[tokio::test]
async fn a_conflict_keeps_every_letter_shows_theirs_and_the_merge_saves_on_top() {
    let mut t = ctx("fa");
    let mut pane = loaded(&mut t);
    // Proposal 1 has version 2 by operator2; we edit from it.
    act(&mut pane, &mut t, t0(), Action::EditRationaleEn);
    type_text(&mut pane, &mut t, t0(), " Noted.");
    act(&mut pane, &mut t, t0(), Action::Submit);
    assert_eq!(pane.focus(), Some(Field::En), "save keeps the field open");
    let mine = editor(&pane).text(Field::En);
    let theirs = decision(
        1,
        3,
        "operator2",
        "متن تازه‌ی همکار",
        "Their newer English text",
    );
    let edits = editor(&pane).in_flight.unwrap();
    respond(
        &mut pane,
        &mut t,
        t0() + secs(1),
        Answer::Save(SaveAnswer {
            proposal_id: 1,
            edits,
            result: Ok(SaveOutcome::Conflict(Box::new(DecisionConflict {
                error: ErrorDetail {
                    code: "version_conflict".into(),
                    message: "stale".into(),
                },
                current: theirs.clone(),
            }))),
        }),
    );
    let e = editor(&pane);
    assert_eq!(e.text(Field::En), mine, "nothing typed here is lost");
    assert_eq!(e.conflict.as_ref(), Some(&theirs));
    assert!(e.dirty());
    assert!(t.notice.as_deref().unwrap().contains("operator2"));
    // The list row now holds their decision.
    assert_eq!(pane.selected().unwrap().decision.as_ref(), Some(&theirs));
    // Autosave stops while the conflict is shown…
    type_text(&mut pane, &mut t, t0() + secs(2), " Merged.");
    t.with(t0() + secs(30), |ctx| pane.on_tick(ctx));
    assert!(!editor(&pane).saving());
    // …and both texts are on screen.
    for (w, h) in SIZES {
        let screen = screen(&draw_pane(&mut pane, "en", w, h));
        assert!(screen.contains("Their newer"), "{w}x{h}\n{screen}");
        assert!(screen.contains("Merged."), "{w}x{h}\n{screen}");
    }
    // Their text goes under ours in the field that differs; the others already agree.
    act(&mut pane, &mut t, t0() + secs(31), Action::Cancel);
    act(&mut pane, &mut t, t0() + secs(31), Action::TakeTheirs);
    let e = editor(&pane);
    assert_eq!(
        e.text(Field::En),
        format!("{mine} Merged.\nTheir newer English text")
    );
    assert_eq!(
        e.text(Field::Fa),
        "متن تازه‌ی همکار",
        "untouched here: theirs"
    );
    assert!(e.conflict.is_some(), "still to be saved");
    // The explicit save is the merge: on top of their version 3.
    act(&mut pane, &mut t, t0() + secs(31), Action::Save);
    assert!(editor(&pane).saving());
    assert_eq!(editor(&pane).request().version, 3);
    let answer = saved(&pane, 4, "x", "y");
    respond(&mut pane, &mut t, t0() + secs(32), Answer::Save(answer));
    let e = editor(&pane);
    assert!(e.conflict.is_none() && !e.dirty());
    assert_eq!(e.base_version, 4);
}

#[tokio::test]
async fn others_saves_arrive_live() {
    let mut t = ctx("fa");
    let mut pane = loaded(&mut t);
    // Open the editor of proposal 1 without typing, and of proposal 2 with unsaved text.
    act(&mut pane, &mut t, t0(), Action::EditRationaleFa);
    act(&mut pane, &mut t, t0(), Action::Cancel);
    act(&mut pane, &mut t, t0(), Action::NextItem);
    act(&mut pane, &mut t, t0(), Action::EditRationaleFa);
    type_text(&mut pane, &mut t, t0(), "پیش‌نویس من");
    pane.editors.get_mut(&2).unwrap().in_flight = None; // as if no save were out
    let event = Event {
        id: 9,
        at: t0(),
        kind: EventKind::ProposalDecided {
            proposal_id: 1,
            consultation_id: CLOSED,
            version: 3,
            decided_by: "operator2".into(),
        },
    };
    t.with(t0(), |ctx| pane.on_event(&event, ctx));
    assert!(
        pane.proposals_state.is_loading(),
        "a save by someone else reloads the list"
    );
    let mut list = proposals();
    list[0].decision = Some(decision(1, 3, "operator2", "متن تازه", "New"));
    list[1].decision = Some(decision(2, 1, "operator2", "متن همکار", "Colleague"));
    pane.proposals_state.succeeded();
    pane.set_proposals(CLOSED, list);
    // Nothing typed on proposal 1 here: it takes their text.
    assert_eq!(pane.editor(1).unwrap().text(Field::Fa), "متن تازه");
    assert_eq!(pane.editor(1).unwrap().base_version, 3);
    // Proposal 2 has unsaved text here: kept, with theirs shown as a conflict.
    let e = pane.editor(2).unwrap();
    assert_eq!(e.text(Field::Fa), "پیش‌نویس من");
    assert_eq!(e.conflict.as_ref().map(|c| c.version), Some(1));
}

#[tokio::test]
async fn publishing_asks_first_and_says_what_is_missing() {
    let mut t = ctx("en");
    let mut pane = loaded(&mut t);
    // Proposal 2 gets an outcome and a Persian rationale but no English one.
    act(&mut pane, &mut t, t0(), Action::NextItem);
    act(&mut pane, &mut t, t0(), Action::Reject);
    act(&mut pane, &mut t, t0(), Action::EditRationaleFa);
    type_text(&mut pane, &mut t, t0(), "خارج از موضوع است");
    act(&mut pane, &mut t, t0(), Action::Cancel);
    act(&mut pane, &mut t, t0(), Action::Publish);
    assert!(!pane.has_dialog());
    let message = pane.message().unwrap();
    assert!(message.error);
    assert!(
        message
            .text
            .contains("The English rationale is missing for proposal 2."),
        "{message:?}"
    );
    let screen = screen(&draw_pane(&mut pane, "en", 80, 24));
    assert!(screen.contains("English rationale is"), "{screen}");
    // With the English text written the confirmation comes, and Publish waits for the saves.
    act(&mut pane, &mut t, t0(), Action::EditRationaleEn);
    type_text(&mut pane, &mut t, t0(), "Off topic.");
    act(&mut pane, &mut t, t0(), Action::Cancel);
    act(&mut pane, &mut t, t0(), Action::Publish);
    assert!(pane.has_dialog());
    act(&mut pane, &mut t, t0(), Action::Submit);
    assert!(pane.publish_after_save && !pane.publishing);
    let e = pane.editor(2).unwrap();
    let edits = e.in_flight.unwrap().max(e.edits);
    respond(
        &mut pane,
        &mut t,
        t0(),
        Answer::Save(SaveAnswer {
            proposal_id: 2,
            edits,
            result: Ok(SaveOutcome::Saved(decision(
                2,
                1,
                "operator1",
                "خارج از موضوع است",
                "Off topic.",
            ))),
        }),
    );
    assert!(pane.publishing, "saved, so published");
    respond(
        &mut pane,
        &mut t,
        t0(),
        Answer::Publish(PublishAnswer {
            consultation_id: CLOSED,
            result: Err(ClientError::Api {
                status: 422,
                code: "missing_translation".into(),
                message: "proposal 1 has no English rationale".into(),
            }),
        }),
    );
    let message = pane.message().unwrap();
    assert!(message.error);
    assert!(
        message
            .text
            .contains("Both the Persian and the English rationale")
    );
    assert!(message.text.contains("proposal 1 has no English rationale"));
}

#[tokio::test]
async fn a_published_decision_is_not_edited() {
    let mut t = ctx("en");
    let mut pane = RationalePane::new();
    pane.set_consultations(consultations());
    let mut list = proposals();
    list[0].decision.as_mut().unwrap().published_at = Some(t0());
    pane.set_proposals(CLOSED, list);
    act(&mut pane, &mut t, t0(), Action::EditRationaleFa);
    assert_eq!(pane.focus(), None);
    assert!(t.notice.as_deref().unwrap().contains("final"));
}

// ---- drawing ----

fn draw_pane(pane: &mut RationalePane, lang: &str, width: u16, height: u16) -> Buffer {
    testing::draw_pane(
        pane,
        lang,
        (width, height),
        t0(),
        Role::Operator,
        Area::Screen,
    )
}

#[tokio::test]
async fn every_proposal_draws_clean_and_persian_reads_in_visual_order() {
    for lang in ["fa", "en"] {
        for (w, h) in SIZES {
            let mut t = ctx(lang);
            let mut pane = loaded(&mut t);
            let what = format!("{lang} {w}x{h}");
            let buffer = draw_pane(&mut pane, lang, w, h);
            assert_clean(&buffer, &what);
            let text = screen(&buffer);
            assert!(text.contains(PROPOSAL_FA_VISUAL), "{what}\n{text}");
            assert!(
                !text.contains("با نرخ"),
                "{what}: logical order on screen\n{text}"
            );
            for _ in 0..2 {
                act(&mut pane, &mut t, t0(), Action::NextItem);
                assert_clean(&draw_pane(&mut pane, lang, w, h), &what);
            }
            let text = screen(&draw_pane(&mut pane, lang, w, h));
            assert!(
                text.contains("⟦RLO⟧") && text.contains('␛'),
                "{what}\n{text}"
            );
        }
    }
}

#[tokio::test]
async fn the_list_sits_on_the_reading_side() {
    let mut t = ctx("fa");
    let mut pane = loaded(&mut t);
    let column = |rows: &[String], needle: &str| {
        rows.iter()
            .find_map(|r| r.find(needle).map(|b| r[..b].chars().count()))
            .unwrap_or_else(|| panic!("`{needle}` not found in\n{}", rows.join("\n")))
    };
    let en = rows(&draw_pane(&mut pane, "en", 160, 48));
    let fa = rows(&draw_pane(&mut pane, "fa", 160, 48));
    // The English proposal's row in the list: left half in English, right half in Persian.
    assert!(column(&en, "Publish the fee") < 60);
    assert!(column(&fa, "Publish the fee") >= 100);
}

#[tokio::test]
async fn the_editor_places_the_cursor_and_typed_persian_reads_right() {
    let mut t = ctx("fa");
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, t0(), Action::NextItem);
    act(&mut pane, &mut t, t0(), Action::EditRationaleFa);
    type_text(&mut pane, &mut t, t0(), "ماده 12 سند EPI");
    let i18n = I18n::new(Locale::embedded("fa").unwrap());
    let theme = Theme::embedded("dark").unwrap();
    let keymap = Keymap::embedded_default();
    let ui = Ui::new(
        &i18n,
        &theme,
        &keymap,
        LayoutOptions::new(BidiMode::App, Shaping::Off),
        t0(),
        Role::Operator,
    );
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let frame = terminal
        .draw(|frame| pane.draw(frame, frame.area(), &ui))
        .unwrap();
    let text = screen(frame.buffer);
    assert!(text.contains("EPI دنس 12 هدام"), "{text}");
    terminal.backend_mut().assert_cursor_position(
        pane.editor(2).unwrap().states[0]
            .cursor_position()
            .expect("cursor shown"),
    );
}

// ---- snapshots through the app's frame ----

fn app(lang: &str, dir: &std::path::Path) -> crate::app::App {
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let parts = AppParts {
        session: Session {
            client: Client::new("http://127.0.0.1:9".parse().unwrap()),
            username: "operator1".into(),
            role: Role::Operator,
        },
        i18n: I18n::new(Locale::embedded(lang).unwrap()),
        configured_lang: lang.into(),
        config_dir: dir.join("config"),
        theme: Theme::embedded("dark").unwrap(),
        keymap: Keymap::embedded_default(),
        layout: LayoutOptions::new(BidiMode::App, Shaping::Off),
        journal: crate::journal::Journal::open(&dir.join("j.journal")).unwrap(),
    };
    crate::app::App::new(parts, tx)
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// The console at work on the Rationale pane: the closed consultation's proposals, the first
/// one's English rationale being edited with a sentence typed and not yet saved.
fn working_app(lang: &str, dir: &std::path::Path) -> crate::app::App {
    let mut app = app(lang, dir);
    app.on_key(key('4'), t0());
    for answer in [
        Answer::Consultations(ConsultationsAnswer(Ok(consultations()))),
        Answer::Proposals(ProposalsAnswer {
            consultation_id: CLOSED,
            result: Ok(proposals()),
        }),
    ] {
        app.on_event(AppEvent::Answer(answer.into()), t0());
    }
    app.on_key(key('e'), t0());
    for c in " Reviewed by the board.".chars() {
        app.on_key(key(c), t0());
    }
    app
}

#[tokio::test]
async fn snapshots_in_the_app_frame() {
    for lang in ["fa", "en"] {
        for (w, h) in SIZES {
            let dir = tempfile::tempdir().unwrap();
            let mut app = working_app(lang, dir.path());
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            app.render(&mut terminal, t0() + secs(1)).unwrap();
            let buffer = terminal.backend().buffer().clone();
            assert_clean(&buffer, &format!("app {lang} {w}x{h}"));
            insta::assert_snapshot!(format!("rationale_{lang}_{w}x{h}"), screen(&buffer));
        }
    }
}

// ---- against the real backend ----

/// Two operators, each with their own pane and client, on one proposal over HTTP: the second
/// save gets 409 and nothing is lost; after merging, the save on top of the current version
/// succeeds; then the decisions are published.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_editors_on_one_proposal_against_the_real_backend() {
    use mosharekat_server::store::Actor;
    use serde_json::{Value, json};

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let server = mosharekat_server::start(mosharekat_server::ServerConfig::new(
        url,
        "127.0.0.1:0".parse().unwrap(),
    ))
    .await
    .unwrap();
    let password = "rationale test password";
    let hash = mosharekat_server::auth::hash_password(password).unwrap();
    for (name, role) in [
        ("admin1", Role::Admin),
        ("operator1", Role::Operator),
        ("operator2", Role::Operator),
    ] {
        server
            .store()
            .create_staff(name, &hash, role, &Actor::system(), Utc::now())
            .await
            .unwrap();
    }
    let base = Client::new(server.url().parse().unwrap());
    let (admin, _) = base.login("admin1", password).await.unwrap();
    let (op1, _) = base.login("operator1", password).await.unwrap();
    let (op2, _) = base.login("operator2", password).await.unwrap();
    let http = reqwest::Client::new();
    let api = |path: &str| format!("{}/api/v1{path}", server.url());
    let post = |path: String, token: Option<&str>, body: Value| {
        let mut req = http.post(path).json(&body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        async move {
            let resp = req.send().await.unwrap();
            let status = resp.status();
            let value: Value = resp.json().await.unwrap_or(Value::Null);
            assert!(status.is_success(), "{status} {value}");
            value
        }
    };
    let admin_token = admin.token().unwrap();
    let start = Utc::now();
    let c = post(
        api("/consultations"),
        Some(admin_token),
        json!({"kind": "regulation", "title_fa": "آیین‌نامه‌ی شهریه", "title_en": "Fee regulation",
               "summary_fa": "خلاصه", "summary_en": "Summary", "drafting_unit": "واحد",
               "opens_at": start - Duration::days(1), "closes_at": start + Duration::days(39)}),
    )
    .await;
    let cid = c["id"].as_i64().unwrap();
    post(
        api(&format!("/consultations/{cid}/publish")),
        Some(admin_token),
        Value::Null,
    )
    .await;
    let new_participant = mosharekat_api::NewParticipant {
        display_name: "سارا".into(),
        category: Category::Public,
        birth_year: None,
        gender: None,
        province: None,
        channel: None,
        handle: None,
        consent: true,
        name_public: false,
        language: mosharekat_api::Language::Fa,
    };
    let citizen = post(
        api("/public/participants"),
        None,
        serde_json::to_value(new_participant).unwrap(),
    )
    .await;
    let citizen = citizen["token"].as_str().unwrap().to_owned();
    let proposal = post(
        api(&format!("/public/consultations/{cid}/comments")),
        Some(&citizen),
        json!({"body": PROPOSAL_FA, "is_proposal": true}),
    )
    .await;
    let pid = proposal["id"].as_i64().unwrap();
    post(
        api("/comments/bulk-decision"),
        Some(admin_token),
        json!({"ids": [pid], "action": "approve"}),
    )
    .await;
    post(
        api(&format!("/consultations/{cid}/close")),
        Some(admin_token),
        json!({"reason": "پایان زودهنگام برای آزمون"}),
    )
    .await;

    async fn pump(
        pane: &mut RationalePane,
        t: &mut TestCtx,
        until: impl Fn(&RationalePane) -> bool,
    ) {
        while !until(pane) {
            let answer = t.next_answer::<RationalePane>("an answer").await;
            t.now = Utc::now();
            pane.on_answer(answer, &mut t.ctx());
        }
    }
    let mut t1 = TestCtx::over(op1.clone(), Role::Operator, "operator1", "fa", Utc::now());
    let mut t2 = TestCtx::over(op2.clone(), Role::Operator, "operator2", "en", Utc::now());
    let mut a = RationalePane::new();
    let mut b = RationalePane::new();
    a.refresh(&mut t1.ctx());
    b.refresh(&mut t2.ctx());
    pump(&mut a, &mut t1, |p| !p.proposals().is_empty()).await;
    pump(&mut b, &mut t2, |p| !p.proposals().is_empty()).await;
    assert_eq!(a.current_consultation().map(|c| c.id), Some(cid));
    assert_eq!(a.selected().map(|p| p.comment.id), Some(pid));

    // Both start from no decision (version 0).
    let first = "سقف شهریه با نرخ رسمی تورم تعیین میشود";
    let second = "پیشنهاد با ماده 12 سازگار نیست";
    a.on_action(Action::PartiallyAccept, &mut t1.ctx());
    pump(&mut a, &mut t1, |p| !p.current_editor().unwrap().saving()).await;
    a.on_action(Action::EditRationaleFa, &mut t1.ctx());
    type_text(&mut a, &mut t1, Utc::now(), first);
    a.on_action(Action::Submit, &mut t1.ctx());
    pump(&mut a, &mut t1, |p| !p.current_editor().unwrap().saving()).await;
    assert_eq!(a.current_editor().unwrap().base_version, 2);
    assert!(!a.current_editor().unwrap().dirty());

    b.on_action(Action::EditRationaleFa, &mut t2.ctx());
    type_text(&mut b, &mut t2, Utc::now(), second);
    b.on_action(Action::Cancel, &mut t2.ctx());
    pump(&mut b, &mut t2, |p| !p.current_editor().unwrap().saving()).await;
    let e = b.current_editor().unwrap();
    let conflict = e.conflict.as_ref().expect("the second save got 409");
    assert_eq!(conflict.rationale_fa, first);
    assert_eq!(conflict.decided_by, "operator1");
    assert_eq!(e.text(Field::Fa), second, "nothing typed is lost");
    // The backend still holds the first editor's text.
    let stored = op1.all_proposals(cid).await.unwrap();
    assert_eq!(stored[0].decision.as_ref().unwrap().rationale_fa, first);
    // Both texts are on the second editor's screen.
    let text = screen(&draw_pane(&mut b, "en", 160, 48));
    assert!(
        text.contains("دوشیم نییعت مروت یمسر خرن اب هیرهش فقس"),
        "{text}"
    );
    assert!(text.contains("تسین راگزاس 12 هدام اب داهنشیپ"), "{text}");

    // The merge: their sentence, then ours; saved on top of version 2.
    b.on_action(Action::EditRationaleFa, &mut t2.ctx());
    for _ in 0..second.chars().count() {
        b.on_key(
            KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE),
            &mut t2.ctx(),
        );
    }
    let merged = format!("{first}؛ {second}");
    type_text(&mut b, &mut t2, Utc::now(), &merged);
    b.on_action(Action::NextField, &mut t2.ctx());
    type_text(
        &mut b,
        &mut t2,
        Utc::now(),
        "The fee cap follows inflation; article 12 noted.",
    );
    b.on_action(Action::Submit, &mut t2.ctx());
    pump(&mut b, &mut t2, |p| !p.current_editor().unwrap().saving()).await;
    let e = b.current_editor().unwrap();
    assert!(e.conflict.is_none(), "{:?}", e.error);
    assert_eq!(e.base_version, 3);
    let stored = op1.all_proposals(cid).await.unwrap();
    let d = stored[0].decision.as_ref().unwrap();
    assert_eq!(d.rationale_fa, merged);
    assert_eq!(
        d.rationale_en,
        "The fee cap follows inflation; article 12 noted."
    );
    assert_eq!(d.outcome, Some(Outcome::PartiallyAccepted));
    assert_eq!((d.version, d.decided_by.as_str()), (3, "operator2"));

    // The first editor hears of it and, with nothing unsaved, takes the merged text.
    let event = Event {
        id: 1,
        at: Utc::now(),
        kind: EventKind::ProposalDecided {
            proposal_id: pid,
            consultation_id: cid,
            version: 3,
            decided_by: "operator2".into(),
        },
    };
    a.on_action(Action::Cancel, &mut t1.ctx());
    a.on_event(&event, &mut t1.ctx());
    pump(&mut a, &mut t1, |p| {
        p.current_editor().unwrap().base_version == 3
    })
    .await;
    assert_eq!(a.current_editor().unwrap().text(Field::Fa), merged);

    // Text typed and not yet saved when the console quits is saved on the way out.
    a.on_action(Action::EditLegalBasis, &mut t1.ctx());
    type_text(&mut a, &mut t1, Utc::now(), "ماده 12");
    assert!(!a.current_editor().unwrap().saving());
    a.on_exit(&mut t1.ctx());
    let stored = op1.all_proposals(cid).await.unwrap();
    let d = stored[0].decision.as_ref().unwrap();
    assert_eq!((d.version, d.legal_basis.as_str()), (4, "ماده 12"));
    assert_eq!(d.rationale_fa, merged, "the rest as merged");

    // Publish, with the confirmation.
    b.on_action(Action::Cancel, &mut t2.ctx());
    b.on_action(Action::Publish, &mut t2.ctx());
    assert!(b.has_dialog(), "{:?}", b.message());
    b.on_action(Action::Submit, &mut t2.ctx());
    pump(&mut b, &mut t2, |p| !p.publishing && !p.publish_after_save).await;
    let message = b.message().unwrap();
    assert!(!message.error, "{message:?}");
    assert!(
        message.text.contains("Decisions published: 1"),
        "{message:?}"
    );
    let public: Vec<Value> = http
        .get(api(&format!("/public/consultations/{cid}/decisions")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(public.len(), 1);
    assert_eq!(public[0]["rationale_fa"], merged.as_str());
    server.shutdown().await;
}

/// A save refused with 409: your text and theirs side by side, in both languages and sizes.
#[tokio::test]
async fn conflict_snapshots() {
    for lang in ["fa", "en"] {
        for (w, h) in SIZES {
            let mut t = ctx(lang);
            let mut pane = loaded(&mut t);
            act(&mut pane, &mut t, t0(), Action::EditRationaleFa);
            type_text(&mut pane, &mut t, t0(), " مگر با مصوبه 1403");
            act(&mut pane, &mut t, t0(), Action::Cancel);
            let edits = editor(&pane).in_flight.unwrap();
            let theirs = ProposalDecision {
                outcome: Some(Outcome::Rejected),
                ..decision(
                    1,
                    3,
                    "operator2",
                    "با قانون بودجه 1404 سازگار نیست.",
                    "Not compatible with the 1404 budget law.",
                )
            };
            respond(
                &mut pane,
                &mut t,
                t0(),
                Answer::Save(SaveAnswer {
                    proposal_id: 1,
                    edits,
                    result: Ok(SaveOutcome::Conflict(Box::new(DecisionConflict {
                        error: ErrorDetail {
                            code: "version_conflict".into(),
                            message: "stale".into(),
                        },
                        current: theirs,
                    }))),
                }),
            );
            let buffer = draw_pane(&mut pane, lang, w, h);
            assert_clean(&buffer, &format!("conflict {lang} {w}x{h}"));
            insta::assert_snapshot!(
                format!("rationale_conflict_{lang}_{w}x{h}"),
                screen(&buffer)
            );
        }
    }
}

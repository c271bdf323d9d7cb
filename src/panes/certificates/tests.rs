//! The Certificates pane: driven with answers built from protocol types (no network), drawn into
//! a TestBackend through the app's frame (snapshots in both languages at 80×24 and 160×48), and
//! driven against the real backend over HTTP.

use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use mosharekat_api::certificate::code_from_values;
use mosharekat_api::{
    Category, Certificate, CertificateEvidence, CertificateKind, CertificateStatus, Contribution,
    ContributionKind, Language, Role,
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
use crate::panes::TestCtx;
use crate::panes::testing::{SIZES, assert_clean, screen};
use crate::theme::Theme;

/// 12:00 in Tehran.
pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 5, 1, 8, 30, 0).unwrap()
}

fn contribution(kind: ContributionKind, points: i64, subject: i64, days_ago: i64) -> Contribution {
    Contribution {
        kind,
        points,
        consultation_id: 7,
        subject_id: subject,
        duplicate_group_id: None,
        copies: 1,
        earned_at: t0() - Duration::days(days_ago),
    }
}

/// The code of certificate `id` (a valid code, with its check symbol), in display form.
fn code(id: i64) -> String {
    mosharekat_api::certificate::display_code(&code_from_values([
        id as u8, 3, 14, 15, 9, 26, 5, 3, 5,
    ]))
}

fn cert(id: i64, name: &str, kind: CertificateKind, status: CertificateStatus) -> Certificate {
    let issued = matches!(
        status,
        CertificateStatus::Approved | CertificateStatus::Revoked
    );
    let decided = status != CertificateStatus::Proposed;
    Certificate {
        id,
        kind,
        status,
        participant_id: 100 + id,
        display_name: name.into(),
        category: Category::Public,
        language: Language::Fa,
        consultation_id: 7,
        consultation_title_fa: "پیش‌نویس آیین‌نامه‌ی حمایت از نوآوری".into(),
        consultation_title_en: "Draft regulation on support for innovation".into(),
        evidence: CertificateEvidence {
            score: 12 + id,
            rank: (kind == CertificateKind::Distinction).then_some(1),
            accepted_proposals: if kind == CertificateKind::Distinction {
                vec![501]
            } else {
                vec![]
            },
            contributions: vec![
                contribution(ContributionKind::ProposalAccepted, 10, 501, 2),
                contribution(ContributionKind::Comment, 3, 480, 20),
                Contribution {
                    copies: 3,
                    duplicate_group_id: Some(77),
                    ..contribution(ContributionKind::Endorsement, 1, 470, 25)
                },
                contribution(ContributionKind::Ballot, 1, 31, 26),
            ],
        },
        proposed_at: t0() - Duration::days(1),
        decided_by: decided.then(|| "admin1".into()),
        decided_at: decided.then(|| t0() - Duration::hours(5)),
        reject_reason: (status == CertificateStatus::Rejected)
            .then(|| "مشارکت‌ها تکراری بود؛ see rule 4.2".into()),
        verification_code: issued.then(|| code(id)),
        issued_at: issued.then(|| t0() - Duration::hours(5)),
        revoked_by: (status == CertificateStatus::Revoked).then(|| "admin2".into()),
        revoked_at: (status == CertificateStatus::Revoked).then(|| t0() - Duration::hours(1)),
        revoke_reason: (status == CertificateStatus::Revoked).then(|| "صادرشده به اشتباه".into()),
    }
}

/// A mixed list, in no particular order (the pane sorts proposed first).
fn list() -> Vec<Certificate> {
    use CertificateKind::*;
    use CertificateStatus::*;
    vec![
        cert(4, "Sara Ahmadi", Participation, Approved),
        cert(1, "مریم احمدی", Participation, Proposed),
        cert(5, "رضا", Participation, Rejected),
        cert(2, "Sara", Distinction, Proposed),
        cert(6, "کاربر ۲", Distinction, Revoked),
        cert(3, "x\u{202E}evil", Participation, Proposed),
    ]
}

fn ctx(lang: &str) -> TestCtx {
    TestCtx::new(Role::Admin, "admin1", lang)
}

fn loaded(t: &mut TestCtx) -> CertificatesPane {
    let mut pane = CertificatesPane::new();
    pane.on_answer(
        Answer::List(ListAnswer {
            filter: Filter::All,
            result: Ok((list(), false)),
        }),
        &mut t.ctx(),
    );
    pane
}

fn act(pane: &mut CertificatesPane, t: &mut TestCtx, action: Action) -> bool {
    pane.on_action(action, &mut t.ctx())
}

fn select_id(pane: &mut CertificatesPane, t: &mut TestCtx, id: i64) {
    act(pane, t, Action::FirstItem);
    while pane.selected().map(|c| c.id) != Some(id) {
        assert!(act(pane, t, Action::NextItem));
        assert!(pane.selected < pane.items.len() - 1 || pane.selected().map(|c| c.id) == Some(id));
    }
}

fn type_text(pane: &mut CertificatesPane, t: &mut TestCtx, text: &str) {
    for c in text.chars() {
        pane.on_key(
            KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
            &mut t.ctx(),
        );
    }
}

#[tokio::test]
async fn proposed_come_first_then_issued_rejected_revoked() {
    let mut t = ctx("en");
    let pane = loaded(&mut t);
    let order: Vec<(i64, CertificateStatus)> =
        pane.items().iter().map(|c| (c.id, c.status)).collect();
    use CertificateStatus::*;
    assert_eq!(
        order,
        vec![
            (1, Proposed),
            (2, Proposed),
            (3, Proposed),
            (4, Approved),
            (5, Rejected),
            (6, Revoked)
        ]
    );
}

#[tokio::test]
async fn the_filter_cycles_through_the_statuses_and_ignores_answers_for_another() {
    let mut t = ctx("en");
    let mut pane = loaded(&mut t);
    let mut seen = vec![pane.filter()];
    for _ in 0..5 {
        act(&mut pane, &mut t, Action::CycleFilter);
        seen.push(pane.filter());
    }
    use CertificateStatus::*;
    assert_eq!(
        seen,
        vec![
            Filter::All,
            Filter::Only(Proposed),
            Filter::Only(Approved),
            Filter::Only(Rejected),
            Filter::Only(Revoked),
            Filter::All
        ]
    );
    act(&mut pane, &mut t, Action::CycleFilter);
    assert!(
        pane.items().is_empty(),
        "nothing listed until the proposed ones come"
    );
    // The answer to the earlier "all" load arrives late: not what is asked for now.
    pane.on_answer(
        Answer::List(ListAnswer {
            filter: Filter::All,
            result: Ok((list(), false)),
        }),
        &mut t.ctx(),
    );
    assert!(pane.items().is_empty());
    let proposed: Vec<Certificate> = list()
        .into_iter()
        .filter(|c| c.status == CertificateStatus::Proposed)
        .collect();
    pane.on_answer(
        Answer::List(ListAnswer {
            filter: Filter::Only(CertificateStatus::Proposed),
            result: Ok((proposed, false)),
        }),
        &mut t.ctx(),
    );
    assert_eq!(pane.items().len(), 3);
}

#[tokio::test]
async fn only_proposed_ones_are_marked_and_bulk_approval_confirms_the_count() {
    let mut t = ctx("en");
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, Action::ToggleMark);
    // Marking moves on to the next one.
    assert_eq!(pane.selected().map(|c| c.id), Some(2));
    act(&mut pane, &mut t, Action::NextItem);
    act(&mut pane, &mut t, Action::ToggleMark);
    assert_eq!(
        pane.marked().iter().copied().collect::<Vec<_>>(),
        vec![1, 3]
    );
    // An issued one cannot be marked.
    select_id(&mut pane, &mut t, 4);
    act(&mut pane, &mut t, Action::ToggleMark);
    assert_eq!(pane.marked().len(), 2);
    assert!(
        t.notice
            .as_deref()
            .unwrap()
            .contains("this one is Approved")
    );

    act(&mut pane, &mut t, Action::ApproveAll);
    assert_eq!(pane.context(), Context::Dialog);
    let Some(Dialog::ConfirmBulk { ids, confirm }) = &pane.dialog else {
        panic!("expected the bulk confirmation");
    };
    assert_eq!(ids, &vec![1, 3]);
    assert_eq!(
        confirm.message,
        "Approve the 2 marked certificates? They are issued and the participants are told."
    );
    act(&mut pane, &mut t, Action::Cancel);
    assert!(!pane.has_dialog());
    assert!(
        pane.pending(1).is_none(),
        "a cancelled confirmation sends nothing"
    );

    // With nothing marked: every proposed one listed.
    act(&mut pane, &mut t, Action::FirstItem);
    act(&mut pane, &mut t, Action::ToggleMark);
    select_id(&mut pane, &mut t, 3);
    act(&mut pane, &mut t, Action::ToggleMark);
    assert!(pane.marked().is_empty());
    act(&mut pane, &mut t, Action::ApproveAll);
    let Some(Dialog::ConfirmBulk { ids, confirm }) = &pane.dialog else {
        panic!("expected the bulk confirmation");
    };
    assert_eq!(ids, &vec![1, 2, 3]);
    assert!(confirm.message.starts_with("Approve all 3 proposed"));
    act(&mut pane, &mut t, Action::Submit);
    assert_eq!(pane.pending(2), Some(Op::Approve));
    assert!(pane.busy());

    // The backend approved two; the third had moved on.
    let mut approved: Vec<Certificate> = list()
        .into_iter()
        .filter(|c| c.id == 1 || c.id == 2)
        .collect();
    for c in &mut approved {
        c.status = CertificateStatus::Approved;
        c.verification_code = Some(code(c.id));
    }
    pane.on_answer(
        Answer::Bulk(BulkAnswer {
            ids: vec![1, 2, 3],
            result: Ok(BulkApproveResponse {
                approved,
                skipped: vec![mosharekat_api::CertificateSkip {
                    id: 3,
                    code: "invalid_state".into(),
                }],
            }),
        }),
        &mut t.ctx(),
    );
    assert!(!pane.busy() || pane.remote.is_loading());
    assert_eq!(
        t.notice.as_deref(),
        Some("2 approved, 1 skipped (no longer proposed)")
    );
    let status =
        |pane: &CertificatesPane, id: i64| pane.items().iter().find(|c| c.id == id).unwrap().status;
    assert_eq!(status(&pane, 1), CertificateStatus::Approved);
    assert_eq!(status(&pane, 3), CertificateStatus::Proposed);
    assert!(
        pane.remote.is_stale(),
        "a skipped one means the list is out of date"
    );
}

#[tokio::test]
async fn reject_needs_a_reason_typed_in_the_field() {
    let mut t = ctx("fa");
    let mut pane = loaded(&mut t);
    select_id(&mut pane, &mut t, 2);
    act(&mut pane, &mut t, Action::Reject);
    assert_eq!(pane.context(), Context::TextField);
    act(&mut pane, &mut t, Action::Submit);
    assert_eq!(
        pane.context(),
        Context::TextField,
        "an empty reason is refused"
    );
    assert_eq!(t.notice.as_deref(), Some("ذکر دلیل الزامی است."));
    type_text(&mut pane, &mut t, "مشارکت کافی نیست");
    act(&mut pane, &mut t, Action::Submit);
    assert!(!pane.has_dialog());
    assert_eq!(pane.pending(2), Some(Op::Reject));
    // A second decision on it waits for the first.
    act(&mut pane, &mut t, Action::Approve);
    assert_eq!(pane.pending(2), Some(Op::Reject));
    let mut rejected = list().into_iter().find(|c| c.id == 2).unwrap();
    rejected.status = CertificateStatus::Rejected;
    rejected.reject_reason = Some("مشارکت کافی نیست".into());
    pane.on_answer(
        Answer::Write(WriteAnswer {
            id: 2,
            op: Op::Reject,
            result: Ok(rejected),
        }),
        &mut t.ctx(),
    );
    assert_eq!(pane.pending(2), None);
    assert_eq!(pane.selected().unwrap().status, CertificateStatus::Rejected);
    assert_eq!(t.notice.as_deref(), Some("گواهی #۲ رد شد"));
}

#[tokio::test]
async fn revoke_only_an_issued_one_with_a_reason_and_a_confirmation() {
    let mut t = ctx("en");
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, Action::Revoke);
    assert!(!pane.has_dialog(), "a proposed certificate is not revoked");
    select_id(&mut pane, &mut t, 4);
    act(&mut pane, &mut t, Action::Revoke);
    assert_eq!(pane.context(), Context::TextField);
    type_text(&mut pane, &mut t, "issued by mistake");
    act(&mut pane, &mut t, Action::Submit);
    let Some(Dialog::ConfirmRevoke {
        confirm, reason, ..
    }) = &pane.dialog
    else {
        panic!("expected the revoke confirmation");
    };
    assert_eq!(reason, "issued by mistake");
    assert!(confirm.message.contains(&code(4)), "{}", confirm.message);
    act(&mut pane, &mut t, Action::Submit);
    assert_eq!(pane.pending(4), Some(Op::Revoke));
    pane.on_answer(
        Answer::Write(WriteAnswer {
            id: 4,
            op: Op::Revoke,
            result: Err(ClientError::Api {
                status: 409,
                code: "invalid_state".into(),
                message: "the certificate is revoked already".into(),
            }),
        }),
        &mut t.ctx(),
    );
    assert_eq!(pane.pending(4), None);
    assert!(t.notice.as_deref().unwrap().contains("revoked already"));
    assert_eq!(pane.selected().unwrap().status, CertificateStatus::Approved);
}

#[tokio::test]
async fn changes_by_others_reload_the_list_at_most_every_two_seconds() {
    let mut t = ctx("en");
    let mut pane = loaded(&mut t);
    t.now = t0();
    pane.on_tick(&mut t.ctx());
    assert!(!pane.remote.is_loading(), "nothing changed: no reload");
    let event = mosharekat_api::Event {
        id: 9,
        at: t0(),
        kind: mosharekat_api::EventKind::CertificateChanged {
            certificate_id: 2,
            participant_id: 102,
            consultation_id: 7,
            kind: CertificateKind::Distinction,
            status: CertificateStatus::Approved,
        },
    };
    pane.on_event(&event, &mut t.ctx());
    pane.on_tick(&mut t.ctx());
    assert!(pane.remote.is_loading(), "a change by someone else reloads");
    pane.on_answer(
        Answer::List(ListAnswer {
            filter: Filter::All,
            result: Ok((list(), false)),
        }),
        &mut t.ctx(),
    );
    pane.on_event(&event, &mut t.ctx());
    t.now = t0() + Duration::seconds(1);
    pane.on_tick(&mut t.ctx());
    assert!(!pane.remote.is_loading(), "not twice within two seconds");
    t.now = t0() + Duration::seconds(2);
    pane.on_tick(&mut t.ctx());
    assert!(pane.remote.is_loading());
}

#[tokio::test]
async fn the_qr_view_opens_only_for_an_issued_certificate() {
    let mut t = ctx("en");
    let mut pane = loaded(&mut t);
    act(&mut pane, &mut t, Action::ShowQr);
    assert!(!pane.has_dialog());
    select_id(&mut pane, &mut t, 4);
    act(&mut pane, &mut t, Action::ShowQr);
    assert_eq!(pane.context(), Context::Dialog);
    act(&mut pane, &mut t, Action::NextItem);
    assert!(pane.has_dialog());
    act(&mut pane, &mut t, Action::Cancel);
    assert!(!pane.has_dialog());
}

#[tokio::test]
async fn an_absolute_verification_url_from_the_backend_replaces_the_local_one() {
    let mut t = ctx("en");
    let mut pane = loaded(&mut t);
    pane.refresh(&mut t.ctx());
    let c = code(4);
    assert_eq!(
        pane.verification_url(&c),
        format!("http://127.0.0.1:9/fa/verify/{c}")
    );
    // The public view's credential names the backend's public address: its portal page.
    pane.on_answer(
        Answer::Public(PublicAnswer {
            code: c.clone(),
            result: Ok(public_certificate(&c, "https://mosharekat.example.ir")),
        }),
        &mut t.ctx(),
    );
    assert_eq!(
        pane.verification_url(&c),
        format!("https://mosharekat.example.ir/fa/verify/{c}")
    );
    // A relative status URL (no public address configured) changes nothing.
    let other = code(5);
    pane.on_answer(
        Answer::Public(PublicAnswer {
            code: other.clone(),
            result: Ok(public_certificate(&other, "")),
        }),
        &mut t.ctx(),
    );
    assert_eq!(
        pane.verification_url(&other),
        format!("http://127.0.0.1:9/fa/verify/{other}")
    );
}

/// The public view of an issued certificate, signed by a server whose public address is
/// `public_base` (empty: none configured, so the credential's status URL is a path).
fn public_certificate(code: &str, public_base: &str) -> PublicCertificate {
    use mosharekat_server::incentives::credential::CredentialFacts;
    let mut signer = mosharekat_server::incentives::Signer::ephemeral();
    signer.public_base_url = public_base.into();
    let facts = CredentialFacts {
        code: mosharekat_api::certificate::normalise_code(code).unwrap(),
        kind: CertificateKind::Participation,
        participant_id: 7,
        display_name: "Sara Ahmadi".into(),
        language: mosharekat_api::Language::Fa,
        consultation_id: 1,
        consultation_title_fa: "آیین‌نامه".into(),
        consultation_title_en: "Regulation".into(),
        evidence: Vec::new(),
    };
    let credential = signer.issue(&facts, t0());
    PublicCertificate {
        code: code.into(),
        status: CertificateStatus::Approved,
        kind: CertificateKind::Participation,
        consultation_id: 1,
        issued_at: t0(),
        revoked_at: None,
        revoke_reason: None,
        credential,
    }
}

// ---- drawing ----

/// An admin's console over a backend nobody answers (answers are fed by hand).
pub(crate) fn app(lang: &str, dir: &std::path::Path) -> crate::app::App {
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let parts = AppParts {
        session: Session {
            client: Client::new("http://127.0.0.1:9".parse().unwrap()),
            username: "admin1".into(),
            role: Role::Admin,
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

pub(crate) fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// The Certificates pane at work: the list loaded, two proposed ones marked, the first one
/// selected.
fn working_app(lang: &str, dir: &std::path::Path) -> crate::app::App {
    let mut app = app(lang, dir);
    app.on_key(key('6'), t0());
    app.on_event(
        AppEvent::Answer(
            Answer::List(ListAnswer {
                filter: Filter::All,
                result: Ok((list(), false)),
            })
            .into(),
        ),
        t0(),
    );
    app.on_key(key(' '), t0());
    app.on_key(key('j'), t0());
    app.on_key(key(' '), t0());
    app.on_key(key('g'), t0());
    app
}

/// [`working_app`] with the issued certificate (#4) selected.
fn issued_app(lang: &str, dir: &std::path::Path) -> crate::app::App {
    let mut app = working_app(lang, dir);
    for _ in 0..3 {
        app.on_key(key('j'), t0());
    }
    app
}

fn render(app: &mut crate::app::App, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    app.render(&mut terminal, t0()).unwrap();
    terminal.backend().buffer().clone()
}

#[tokio::test]
async fn snapshots_in_the_app_frame() {
    for lang in ["fa", "en"] {
        for (w, h) in SIZES {
            let dir = tempfile::tempdir().unwrap();
            let mut app = working_app(lang, dir.path());
            let buffer = render(&mut app, w, h);
            assert_clean(&buffer, &format!("certificates {lang} {w}x{h}"));
            insta::assert_snapshot!(format!("certificates_{lang}_{w}x{h}"), screen(&buffer));
        }
    }
}

#[tokio::test]
async fn snapshots_of_an_issued_certificate_and_its_qr_code() {
    for lang in ["fa", "en"] {
        for (w, h) in SIZES {
            let dir = tempfile::tempdir().unwrap();
            let mut app = issued_app(lang, dir.path());
            let buffer = render(&mut app, w, h);
            assert_clean(&buffer, &format!("issued {lang} {w}x{h}"));
            insta::assert_snapshot!(
                format!("certificates_issued_{lang}_{w}x{h}"),
                screen(&buffer)
            );
            app.on_key(key('v'), t0());
            let buffer = render(&mut app, w, h);
            assert_clean(&buffer, &format!("qr {lang} {w}x{h}"));
            insta::assert_snapshot!(format!("certificates_qr_{lang}_{w}x{h}"), screen(&buffer));
        }
    }
}

/// The QR code on screen decodes to the verification URL, in both languages and at both sizes:
/// its cells are read back from the buffer as a camera would see them.
#[tokio::test]
async fn the_qr_code_on_screen_decodes_to_the_verification_url() {
    for lang in ["fa", "en"] {
        for (w, h) in SIZES {
            let dir = tempfile::tempdir().unwrap();
            let mut app = issued_app(lang, dir.path());
            app.on_key(key('v'), t0());
            let buffer = render(&mut app, w, h);
            let url = format!("http://127.0.0.1:9/fa/verify/{}", code(4));
            assert_eq!(decode_screen(&buffer), url, "{lang} {w}x{h}");
        }
    }
}

/// A Persian interface mirrors the layout, never the QR code: its cells are those of the
/// English screen, colour for colour.
#[tokio::test]
async fn the_qr_code_is_not_mirrored_in_a_persian_interface() {
    for (w, h) in SIZES {
        let qr_cells = |lang: &str| {
            let dir = tempfile::tempdir().unwrap();
            let mut app = issued_app(lang, dir.path());
            app.on_key(key('v'), t0());
            let buffer = render(&mut app, w, h);
            let cells: Vec<(u16, u16, ratatui::style::Color, ratatui::style::Color)> = (0..h)
                .flat_map(|y| (0..w).map(move |x| (x, y)))
                .filter(|&(x, y)| buffer[(x, y)].symbol() == qr::UPPER_HALF)
                .map(|(x, y)| (x, y, buffer[(x, y)].fg, buffer[(x, y)].bg))
                .collect();
            cells
        };
        let fa = qr_cells("fa");
        assert!(fa.len() > 33 * 17, "{w}x{h}: the QR code is on screen");
        assert_eq!(fa, qr_cells("en"), "{w}x{h}");
    }
}

/// Reads every `▀` cell of the screen as two modules (dark = black) and decodes the QR code.
/// Every other cell counts as dark, as on a dark terminal: only the quiet zone drawn separates
/// the code from its surroundings.
fn decode_screen(buffer: &Buffer) -> String {
    let w = buffer.area.width as usize;
    let h = buffer.area.height as usize * 2;
    let mut dark = vec![true; w * h];
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            if cell.symbol() == qr::UPPER_HALF {
                dark[2 * y as usize * w + x as usize] = cell.fg == qr::DARK;
                dark[(2 * y as usize + 1) * w + x as usize] = cell.bg == qr::DARK;
            }
        }
    }
    const SCALE: usize = 4;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w * SCALE, h * SCALE, |x, y| {
        if dark[(y / SCALE) * w + x / SCALE] {
            0
        } else {
            255
        }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on screen");
    grids[0].decode().expect("decodes").1
}

// ---- against the real backend ----

/// The console's Certificates pane over HTTP against the real server: the rules proposed from
/// the pane, one approved, two approved in bulk after the confirmation, one rejected with a
/// Persian reason typed in the field; the statuses read back through the API, and the QR code on
/// screen scanned and followed to the public verification route.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn propose_approve_bulk_and_reject_against_the_real_backend() {
    use mosharekat_api::{NewParticipant, Province};
    use mosharekat_server::store::Actor;
    use serde_json::{Value, json};

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("c.db").display());
    let mut config = mosharekat_server::ServerConfig::new(url, "127.0.0.1:0".parse().unwrap());
    // The consultation closes by moving the clock; the scheduler (whose first tick is at start)
    // does not run again during the test, so the rules run only when the pane asks.
    config.scheduler_interval = std::time::Duration::from_secs(3600);
    config.session_ttl = Duration::days(3650);
    // Certificates go to verified participants; the demo gives codes back instead of texting.
    config.sms.demo = true;
    let clock = config.clock.clone();
    let server = mosharekat_server::start(config).await.unwrap();
    let hash = mosharekat_server::auth::hash_password("certificates test password").unwrap();
    for (name, role) in [
        ("admin1", Role::Admin),
        ("op1", Role::Operator),
        ("mod1", Role::Moderator),
    ] {
        server
            .store()
            .create_staff(name, &hash, role, &Actor::system(), clock.now())
            .await
            .unwrap();
    }
    let base = Client::new(server.url().parse().unwrap());
    let login = |name: &'static str| {
        let base = base.clone();
        async move {
            base.login(name, "certificates test password")
                .await
                .unwrap()
                .0
        }
    };
    let admin = login("admin1").await;
    let operator = login("op1").await;
    let moderator = login("mod1").await;
    let http = reqwest::Client::new();
    let api = |path: &str| format!("{}/api/v1{path}", server.url());
    let call = |method: &str, path: String, token: Option<&str>, body: Option<Value>| {
        let mut req = http.request(method.parse().unwrap(), path);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        async move {
            let resp = req.send().await.unwrap();
            let status = resp.status();
            let value: Value = resp.json().await.unwrap_or(Value::Null);
            assert!(status.is_success(), "{status} {value}");
            value
        }
    };
    let now = clock.now();
    let c = call(
        "POST",
        api("/consultations"),
        operator.token(),
        Some(
            json!({"kind": "regulation", "title_fa": "آیین‌نامه‌ی آزمایشی",
            "title_en": "Trial regulation", "summary_fa": "خلاصه", "summary_en": "Summary",
            "drafting_unit": "واحد", "opens_at": now - Duration::days(1),
            "closes_at": now + Duration::days(39)}),
        ),
    )
    .await;
    let cid = c["id"].as_i64().unwrap();
    call(
        "POST",
        api(&format!("/consultations/{cid}/publish")),
        operator.token(),
        None,
    )
    .await;
    let mut comments = Vec::new();
    for (i, name) in ["مریم احمدی", "Sara Karimi", "رضا", "Leila"]
        .iter()
        .enumerate()
    {
        let phone = format!("0912000000{i}");
        let sent = call(
            "POST",
            api("/public/verification"),
            None,
            Some(json!({"phone": phone})),
        )
        .await;
        let mut registration = serde_json::to_value(NewParticipant {
            display_name: (*name).into(),
            category: Category::Public,
            birth_year: Some(1990),
            gender: None,
            province: Some(Province::Tehran),
            channel: None,
            handle: None,
            consent: true,
            name_public: i % 2 == 0,
            language: Language::Fa,
        })
        .unwrap();
        registration["phone"] = json!(phone);
        registration["code"] = sent["demo_code"].clone();
        let created = call(
            "POST",
            api("/public/participants"),
            None,
            Some(registration),
        )
        .await;
        let token = created["token"].as_str().unwrap().to_owned();
        let comment = call(
            "POST",
            api(&format!("/public/consultations/{cid}/comments")),
            Some(&token),
            Some(json!({"body": format!("نظر شماره‌ی {} درباره‌ی ماده‌ی ۳", i + 1)})),
        )
        .await;
        comments.push(comment["id"].as_i64().unwrap());
    }
    call(
        "POST",
        api("/comments/bulk-decision"),
        moderator.token(),
        Some(json!({"ids": comments, "action": "approve", "tags": []})),
    )
    .await;
    // The comment window ends.
    clock.advance(Duration::days(40));

    let mut t = TestCtx::over(admin.clone(), Role::Admin, "admin1", "fa", clock.now());
    let mut pane = CertificatesPane::new();
    pane.refresh(&mut t.ctx());
    t.pump(&mut pane, "the first list", |p| p.remote.is_loaded())
        .await;
    assert!(
        pane.items().is_empty(),
        "nothing proposed before the rules ran"
    );

    // Run the rules from the pane: they propose, and the list loads again.
    act(&mut pane, &mut t, Action::Propose);
    t.pump(&mut pane, "the proposals", |p| {
        !p.proposing && !p.remote.is_loading() && !p.items().is_empty()
    })
    .await;
    let proposed: Vec<i64> = pane
        .items()
        .iter()
        .filter(|c| c.status == CertificateStatus::Proposed)
        .map(|c| c.id)
        .collect();
    assert!(
        proposed.len() >= 4,
        "participation for the four participants at least: {:?}",
        pane.items()
    );
    assert!(
        pane.items()
            .iter()
            .all(|c| c.consultation_id == cid && !c.evidence.contributions.is_empty())
    );

    // Approve the first.
    act(&mut pane, &mut t, Action::FirstItem);
    let first = pane.selected().unwrap().id;
    act(&mut pane, &mut t, Action::Approve);
    t.pump(&mut pane, "the approval", |p| p.pending(first).is_none())
        .await;
    assert_eq!(pane.selected().unwrap().status, CertificateStatus::Approved);
    let code = pane.selected().unwrap().verification_code.clone().unwrap();

    // Mark the second and third, approve them together after the confirmation.
    act(&mut pane, &mut t, Action::FirstItem);
    while pane.selected().unwrap().status != CertificateStatus::Proposed {
        act(&mut pane, &mut t, Action::NextItem);
    }
    act(&mut pane, &mut t, Action::ToggleMark);
    act(&mut pane, &mut t, Action::ToggleMark);
    let marked: Vec<i64> = pane.marked().iter().copied().collect();
    assert_eq!(marked.len(), 2);
    act(&mut pane, &mut t, Action::ApproveAll);
    let Some(Dialog::ConfirmBulk { confirm, .. }) = &pane.dialog else {
        panic!("expected the confirmation");
    };
    assert_eq!(
        confirm.message,
        "۲ گواهی علامت‌خورده تأیید شوند؟ گواهی‌ها صادر و به مشارکت‌کنندگان خبر داده می‌شود."
    );
    act(&mut pane, &mut t, Action::Submit);
    t.pump(&mut pane, "the bulk approval", |p| !p.bulk_pending)
        .await;
    assert!(pane.marked().is_empty());

    // Reject the next proposed one with a Persian reason.
    let rejected = pane
        .items()
        .iter()
        .find(|c| c.status == CertificateStatus::Proposed)
        .unwrap()
        .id;
    while pane.selected().unwrap().id != rejected {
        act(&mut pane, &mut t, Action::NextItem);
    }
    act(&mut pane, &mut t, Action::Reject);
    let reason = "مشارکت تکراری؛ see rule 4";
    type_text(&mut pane, &mut t, reason);
    act(&mut pane, &mut t, Action::Submit);
    t.pump(&mut pane, "the rejection", |p| {
        p.pending(rejected).is_none()
    })
    .await;

    // What the backend holds now.
    let all = call(
        "GET",
        api(&format!("/certificates?consultation_id={cid}")),
        admin.token(),
        None,
    )
    .await;
    let status_of = |id: i64| -> Value {
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    for id in [first, marked[0], marked[1]] {
        assert_eq!(status_of(id)["status"], "approved", "{id}");
        assert!(status_of(id)["verification_code"].is_string());
    }
    assert_eq!(status_of(rejected)["status"], "rejected");
    assert_eq!(status_of(rejected)["reject_reason"], reason);
    assert_eq!(status_of(rejected)["decided_by"], "admin1");
    let approved = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "approved")
        .count();
    assert_eq!(approved, 3);
    // The pane shows the same.
    for id in [first, marked[0], marked[1]] {
        let c = pane.items().iter().find(|c| c.id == id).unwrap();
        assert_eq!(c.status, CertificateStatus::Approved);
    }

    // The QR code of the first one, scanned off the screen, leads to its public record.
    act(&mut pane, &mut t, Action::FirstItem);
    while pane.selected().unwrap().id != first {
        act(&mut pane, &mut t, Action::NextItem);
    }
    act(&mut pane, &mut t, Action::ShowQr);
    // The public view the pane asked for (for an absolute URL) may come back meanwhile.
    t.drain(&mut pane, std::time::Duration::from_millis(300))
        .await;
    let i18n = I18n::new(Locale::embedded("fa").unwrap());
    let theme = Theme::embedded("light").unwrap();
    let keymap = Keymap::embedded_default();
    let ui = crate::ui::Ui::new(
        &i18n,
        &theme,
        &keymap,
        LayoutOptions::new(BidiMode::App, Shaping::Off),
        clock.now(),
        Role::Admin,
    );
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| pane.draw(f, f.area(), &ui)).unwrap();
    let scanned = decode_screen(terminal.backend().buffer());
    assert_eq!(scanned, format!("{}/fa/verify/{code}", server.url()));
    // It is the portal's page of that certificate (no redirect: the page's own address).
    let page = http.get(&scanned).send().await.unwrap();
    assert_eq!(page.status(), 200, "{scanned}");
    assert!(
        page.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains(code.as_str()), "{html}");
    assert!(
        html.contains("status-approved") || html.contains("approved"),
        "{html}"
    );
    let public = call(
        "GET",
        api(&format!("/public/certificates/{code}")),
        None,
        None,
    )
    .await;
    assert_eq!(public["status"], "approved");
    assert_eq!(public["code"], code.as_str());

    // The Ranking view over the same backend: the filters reach the leaderboard route.
    use crate::panes::ranking::RankingPane;
    let mut t = TestCtx::over(admin.clone(), Role::Admin, "admin1", "en", clock.now());
    let mut ranking = RankingPane::new();
    ranking.refresh(&mut t.ctx());
    t.pump(&mut ranking, "the leaderboard and consultations", |p| {
        p.entries().len() == 4 && p.consultation(cid).is_some()
    })
    .await;
    assert!(ranking.entries().iter().all(|e| e.points > 0));
    // Consultation filter: the same four.
    ranking.on_action(Action::CycleConsultation, &mut t.ctx());
    assert_eq!(ranking.query().consultation_id, Some(cid));
    t.pump(&mut ranking, "the consultation's leaderboard", |p| {
        !p.loading() && p.entries().len() == 4
    })
    .await;
    // Province filter: every participant is from Tehran, so another province has nobody.
    while ranking.query().province != Some(Province::Tehran) {
        ranking.on_action(Action::CycleProvince, &mut t.ctx());
    }
    t.pump(&mut ranking, "Tehran's leaderboard", |p| !p.loading())
        .await;
    assert_eq!(ranking.entries().len(), 4);
    ranking.on_action(Action::CycleProvince, &mut t.ctx());
    t.pump(&mut ranking, "another province's leaderboard", |p| {
        !p.loading()
    })
    .await;
    assert!(ranking.entries().is_empty(), "{:?}", ranking.query());
    while ranking.query().province.is_some() {
        ranking.on_action(Action::CycleProvince, &mut t.ctx());
    }
    t.pump(&mut ranking, "all provinces again", |p| !p.loading())
        .await;
    let top = ranking.selected().unwrap().clone();
    ranking.on_action(Action::Explain, &mut t.ctx());
    t.pump(&mut ranking, "the explanation", |p| {
        p.score(top.participant_id).is_some()
    })
    .await;
    let explained = ranking.score(top.participant_id).unwrap();
    assert_eq!(explained.total, top.points);
    assert_eq!(
        explained
            .contributions
            .iter()
            .map(|c| c.points)
            .sum::<i64>(),
        explained.total
    );
    server.shutdown().await;
}

//! The real console in a pseudo-terminal against the real backend: the Rationale pane. A Persian
//! rationale (no ZWNJ, as the ministry's own text is written, with digits and an English word)
//! typed key by key into the editor reads right on the screen while it is typed, is saved on its
//! own after a pause, and comes back from the API byte for byte; the English rationale saves on
//! leaving its field; the decision is published after a confirmation and the public list has
//! the same bytes.
//!
//! The console runs with `--bidi app --shaping off` (see `support`); the expected strings are
//! written by hand: the letters of each Persian word reversed left to right, the words of a
//! Persian line right to left, `12` and `EPI` in their own order.

mod support;

use mosharekat_api::paths;
use serde_json::{Value, json};
use support::{Backend, ConsoleOptions, Env, find};

/// The proposal a citizen sent…
const PROPOSAL: &str = "گزارش نظرخواهی به دو زبان منتشر شود";
/// …as it stands on the screen.
const PROPOSAL_VISUAL: &str = "دوش رشتنم نابز ود هب یهاوخرظن شرازگ";

/// The rationale typed into the editor, as written in the ministry's policy (no ZWNJ)…
const RATIONALE: &str = "پیشنهادهای پذیرفتهشده با ماده 12 و شاخص EPI سازگار است";
/// …and as it must read on the screen while it is typed.
const RATIONALE_VISUAL: &str = "تسا راگزاس EPI صخاش و 12 هدام اب هدشهتفریذپ یاهداهنشیپ";

const RATIONALE_EN: &str = "Accepted: article 12 requires both languages.";

/// «خروج از فیلد» (leave the field) in the hints while a field is being typed in.
const FIELD_HINT: &str = "دلیف زا جورخ";

/// An approved proposal on a consultation an admin then closed early; returns the
/// consultation's id.
fn closed_consultation_with_a_proposal(backend: &Backend) -> i64 {
    let admin = backend.add_staff("admin1", "admin");
    let consultation = backend.open_consultation(
        &admin,
        "آییننامه گزارش نظرخواهی",
        "Regulation on consultation reports",
        40,
    );
    let citizen = backend.participant("سارا");
    let accepted = backend.ok(
        "POST",
        &paths::public_consultation_comments(consultation),
        Some(&citizen),
        Some(json!({"body": PROPOSAL, "is_proposal": true})),
    );
    let id = accepted["id"].as_i64().expect("proposal id");
    backend.ok(
        "POST",
        paths::COMMENTS_BULK_DECISION,
        Some(&admin),
        Some(json!({"ids": [id], "action": "approve"})),
    );
    backend.ok(
        "POST",
        &paths::consultation_close(consultation),
        Some(&admin),
        Some(json!({"reason": "پایان زودهنگام برای آزمون"})),
    );
    consultation
}

/// The stored decision of the consultation's only proposal, if any.
fn decision(backend: &Backend, token: &str, consultation: i64) -> Option<Value> {
    let page = backend.ok(
        "GET",
        &paths::consultation_proposals(consultation),
        Some(token),
        None,
    );
    let decision = page["items"][0]["decision"].clone();
    (!decision.is_null()).then_some(decision)
}

#[test]
fn a_persian_rationale_typed_by_keystrokes_comes_back_byte_for_byte() {
    let mut consultation = 0;
    let mut env = Env::start(
        "operator1",
        "operator",
        ConsoleOptions::default(),
        |backend, _| consultation = closed_consultation_with_a_proposal(backend),
    );
    let token = env.token.clone();
    let console = &mut env.console;
    console.wait_for("the first frame", |s| find(s, "ارآ رامآ").is_some());
    console.send_keys("4");
    console.wait_for_text(PROPOSAL_VISUAL);

    // Into the Persian rationale, typed as a Persian keyboard sends it.
    console.send_keys("f");
    console.wait_for_text(FIELD_HINT);
    console.send_keys(RATIONALE);
    console.wait_for_text(RATIONALE_VISUAL);
    console.with_screen(|s| {
        assert!(
            find(s, "پیشنهادهای").is_none(),
            "logical order on the screen"
        );
    });

    // No key: the draft saves itself after a pause.
    env.backend
        .wait_until("the autosaved Persian rationale", |b| {
            decision(b, &token, consultation)
                .is_some_and(|d| d["rationale_fa"].as_str() == Some(RATIONALE))
        });
    let stored = decision(&env.backend, &token, consultation).unwrap();
    assert_eq!(
        stored["rationale_fa"].as_str().unwrap().as_bytes(),
        RATIONALE.as_bytes()
    );
    assert_eq!(stored["decided_by"], "operator1");

    // Tab to the English field, type, leave it with Esc: saved at once on leaving.
    let console = &mut env.console;
    console.tab();
    console.send_keys(RATIONALE_EN);
    console.wait_for_text(RATIONALE_EN);
    console.esc();
    console.wait_for_no_text(FIELD_HINT);
    env.backend.wait_until("the English rationale", |b| {
        decision(b, &token, consultation)
            .is_some_and(|d| d["rationale_en"].as_str() == Some(RATIONALE_EN))
    });

    // Accept, publish after the confirmation.
    let console = &mut env.console;
    console.send_keys("a");
    env.backend.wait_until("the outcome", |b| {
        decision(b, &token, consultation).is_some_and(|d| d["outcome"] == "accepted")
    });
    console.send_keys("P");
    // «مطمئن هستید؟», the confirmation's title, in visual order.
    console.wait_for_text("؟دیتسه نئمطم");
    console.enter();
    let public = |b: &Backend| {
        b.ok(
            "GET",
            &paths::public_consultation_decisions(consultation),
            None,
            None,
        )
    };
    env.backend.wait_until("the published decision", |b| {
        public(b).as_array().is_some_and(|a| a.len() == 1)
    });
    let published = public(&env.backend);
    assert_eq!(
        published[0]["rationale_fa"].as_str().unwrap().as_bytes(),
        RATIONALE.as_bytes()
    );
    assert_eq!(published[0]["rationale_en"], RATIONALE_EN);
    assert_eq!(published[0]["outcome"], "accepted");
    assert_eq!(published[0]["body"], PROPOSAL);
    // The stored text is still exactly what was typed: no ZWNJ added, no character lost.
    assert!(
        !published[0]["rationale_fa"]
            .as_str()
            .unwrap()
            .contains('\u{200c}')
    );
}

/// «ناهمخوانی» (conflict), as the state line shows it.
const CONFLICT: &str = "یناوخمهان";

/// Two consoles, two operators, one proposal, both typing the Persian rationale. Whichever
/// saves second — by its own autosave or when its field is left; the order is the machine's —
/// is refused with 409 (or hears of the other save first): its text stays, the other's text is
/// shown beside it, and nothing is overwritten. It merges and saves on top; the first console,
/// with nothing unsaved, takes the merged text live.
#[test]
fn two_consoles_on_one_proposal_nothing_is_lost() {
    let mut consultation = 0;
    let mut env = Env::start(
        "operator1",
        "operator",
        ConsoleOptions::default(),
        |backend, _| consultation = closed_consultation_with_a_proposal(backend),
    );
    let token = env.token.clone();
    let token2 = env.backend.add_staff("operator2", "operator");
    let mut second =
        support::Console::start(&env.backend.url(), &token2, ConsoleOptions::default());
    // (text typed, how it reads on screen, the merged text, how that reads)
    let texts = [
        (
            "متن اول 1",
            "1 لوا نتم",
            "متن اول 1 و نیز",
            "زین و 1 لوا نتم",
        ),
        (
            "متن دوم 2",
            "2 مود نتم",
            "متن دوم 2 و نیز",
            "زین و 2 مود نتم",
        ),
    ];
    for console in [&mut env.console, &mut second] {
        console.wait_for("the first frame", |s| find(s, "ارآ رامآ").is_some());
        console.send_keys("4");
        console.wait_for_text(PROPOSAL_VISUAL);
        console.send_keys("f");
        console.wait_for_text(FIELD_HINT);
    }
    second.send_keys(texts[1].0);
    second.wait_for_text(texts[1].1);
    env.console.send_keys(texts[0].0);
    env.console.wait_for_text(texts[0].1);
    env.console.esc();

    // One of the two shows the conflict; which one depends on who saved first.
    let loser = support::poll_until(
        "a conflict on one console",
        || {
            if env.console.with_screen(|s| find(s, CONFLICT).is_some()) {
                Some(0)
            } else if second.with_screen(|s| find(s, CONFLICT).is_some()) {
                Some(1)
            } else {
                None
            }
        },
        || format!("{}\n{}", env.console.describe(), second.describe()),
    );
    eprintln!("the conflict showed on console {}", loser + 1);
    let winner = 1 - loser;
    let stored = decision(&env.backend, &token, consultation).expect("the first save");
    assert_eq!(
        stored["rationale_fa"], texts[winner].0,
        "the first save stands"
    );
    assert_eq!(stored["version"], 1);
    {
        let (l, w) = if loser == 0 {
            (&mut env.console, &mut second)
        } else {
            (&mut second, &mut env.console)
        };
        // Their text beside the loser's own, which is still there.
        l.wait_for_text(texts[winner].1);
        l.with_screen(|s| {
            assert!(
                find(s, texts[loser].1).is_some(),
                "the loser's text is kept"
            );
        });
        // The merge: the loser adds to its text and saves on top of version 1.
        if l.with_screen(|s| find(s, FIELD_HINT).is_none()) {
            l.send_keys("f");
            l.wait_for_text(FIELD_HINT);
        }
        l.send_keys(" و نیز");
        l.wait_for_text(texts[loser].3);
        l.ctrl('s');
        l.wait_for_no_text(CONFLICT);
        // The winner, with nothing unsaved, shows the merged text without a key.
        w.wait_for_text(texts[loser].3);
    }
    let stored = decision(&env.backend, &token, consultation).unwrap();
    assert_eq!(stored["rationale_fa"], texts[loser].2);
    assert_eq!(stored["version"], 2);
    assert_eq!(
        stored["decided_by"],
        if loser == 0 { "operator1" } else { "operator2" }
    );
}

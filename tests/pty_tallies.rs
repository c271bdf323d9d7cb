//! The real console in a pseudo-terminal against the real backend: the Tallies pane (where an
//! operator's console opens) draws a poll's bars growing from the right in the Persian
//! interface, option labels in visual order and Persian digits, and a ballot cast while it is on
//! screen moves the counts without a key.
//!
//! The console runs with `--bidi app --shaping off` (see `support`); the expected strings are
//! written by hand: the letters of each Persian word reversed left to right, the words of a
//! Persian line right to left.

mod support;

use support::{ConsoleOptions, Env, find, rows_text, rows_with};

/// «موافقم» (agree) and «مخالفم» (disagree) as they stand on the screen.
const AGREE: &str = "مقفاوم";
const DISAGREE: &str = "مفلاخم";

/// «۲ (۶۷٪)»: two ballots of three; the count stands right of its share in a Persian line.
const TWO_OF_THREE: &str = "(۶۷٪) ۲";
/// «۱ (۳۳٪)».
const ONE_OF_THREE: &str = "(۳۳٪) ۱";
/// «۲ (۵۰٪)».
const TWO_OF_FOUR: &str = "(۵۰٪) ۲";
/// «۴ رأی» (4 ballots): «رأی» reversed, the number on its right.
const FOUR_BALLOTS: &str = "یأر ۴";

/// The cells of bar on the row showing `label`, and whether they end just before the label
/// (one blank column between): the bar starts at the label, on the reading side.
fn bar_before(screen: &vt100::Screen, label: &str) -> (usize, bool) {
    let row = rows_with(screen, label)
        .into_iter()
        .map(|r| rows_text(screen)[r as usize].clone())
        .find(|text| text.contains('█'))
        .unwrap_or_else(|| panic!("no bar on the {label} row"));
    let cells = row.chars().filter(|c| *c == '█').count();
    (cells, row.contains(&format!("█ {label}")))
}

#[test]
fn bars_grow_from_the_right_and_a_ballot_moves_them_live() {
    let mut poll = serde_json::Value::Null;
    let mut voters = Vec::new();
    let env = Env::start(
        "operator1",
        "operator",
        ConsoleOptions::default(),
        |backend, token| {
            let consultation =
                backend.open_consultation(token, "قانون VAT جدید", "New VAT law", 40);
            poll = backend.poll(token, consultation, "آیا موافقید؟", &["موافقم", "مخالفم"]);
            for name in ["مریم", "علی", "سارا", "رضا"] {
                voters.push(backend.participant(name));
            }
            let option = |i: usize| poll["options"][i]["id"].as_i64().expect("option id");
            let poll_id = poll["id"].as_i64().expect("poll id");
            backend.ballot(&voters[0], poll_id, &[option(0)]);
            backend.ballot(&voters[1], poll_id, &[option(0)]);
            backend.ballot(&voters[2], poll_id, &[option(1)]);
        },
    );
    let console = &env.console;
    console.wait_for("three ballots drawn", |s| {
        find(s, TWO_OF_THREE).is_some() && find(s, ONE_OF_THREE).is_some()
    });
    console.with_screen(|s| {
        // Labels in visual order, never in logical order.
        assert!(find(s, AGREE).is_some() && find(s, DISAGREE).is_some());
        assert!(find(s, "موافقم").is_none(), "a label in logical order");
        let (agree, at_label) = bar_before(s, AGREE);
        assert!(at_label, "the agree bar starts at its label");
        let (disagree, at_label) = bar_before(s, DISAGREE);
        assert!(at_label, "the disagree bar starts at its label");
        // Two ballots against one: twice as long, give or take a rounded cell.
        assert!(agree.abs_diff(2 * disagree) <= 1, "{agree} vs {disagree}");
        // Persian digits only.
        assert!(find(s, "2 (").is_none() && find(s, "67").is_none());
    });

    // A fourth ballot while the pane is on screen: the counts move with no key pressed.
    let poll_id = poll["id"].as_i64().expect("poll id");
    let disagree_id = poll["options"][1]["id"].as_i64().expect("option id");
    env.backend.ballot(&voters[3], poll_id, &[disagree_id]);
    console.wait_for("the fourth ballot, live", |s| {
        rows_with(s, TWO_OF_FOUR).len() == 2 && find(s, FOUR_BALLOTS).is_some()
    });
    console.with_screen(|s| {
        let (agree, _) = bar_before(s, AGREE);
        let (disagree, _) = bar_before(s, DISAGREE);
        assert_eq!(agree, disagree, "two and two");
    });
}

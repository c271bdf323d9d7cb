//! Text from outside the console cannot act on the terminal: escape sequences and BiDi
//! overrides in a consultation title reach the screen as visible markers, the window title does
//! not change and the rest of the screen stays intact.
//!
//! Titles are entered by staff, but the console treats every stored text as untrusted; the
//! Queue pane's comments go through the same sanitiser. The console runs with `--bidi app
//! --shaping off` (see `support`), so the expected strings are plain letters in visual order,
//! written by hand.

mod support;

use support::{ConsoleOptions, Env, contains_bytes, find, is_selected, rows_text, rows_with};

/// «بند <OSC 0 "pwned" BEL> و <CSI 2J> و <RLO>متن»: a window-title change, a clear-screen and a
/// right-to-left override.
const HOSTILE_FA: &str = "بند \u{1b}]0;pwned\u{7} و \u{1b}[2J و \u{202E}متن";
const HOSTILE_EN: &str = "Bad \u{1b}]2;owned\u{7} title \u{1b}[2J \u{202E}txet";

/// As a person sees it: `بند` rightmost (reversed: دنب); each neutralised sequence is one
/// left-to-right unit (␛ and ␇ are the Control Pictures for ESC and BEL); the override is the
/// marker ⟦RLO⟧ and reorders nothing: «متن» (reversed: نتم) stays on the far (left) side of it.
const HOSTILE_FA_VISUAL: &str = "نتم⟦RLO⟧ و ␛[2J و ␛]0;pwned␇ دنب";
/// The English title, left to right; «txet» is not turned around by the override.
const HOSTILE_EN_VISUAL: &str = "Bad ␛]2;owned␇ title ␛[2J ⟦RLO⟧txet";

/// A harmless neighbour: «قانون VAT جدید».
const NEIGHBOUR_VISUAL: &str = "دیدج VAT نوناق";

#[test]
fn escape_sequences_and_bidi_overrides_in_a_title_stay_visible_and_inert() {
    let mut env = Env::start(
        "operator1",
        "operator",
        ConsoleOptions::default(),
        |backend, token| {
            // Closes first, so it is the selected row and its detail view is shown too.
            backend.open_consultation(token, HOSTILE_FA, HOSTILE_EN, 31);
            backend.open_consultation(token, "قانون VAT جدید", "New VAT law", 40);
        },
    );
    let console = &mut env.console;
    console.show_deadlines();
    console.wait_for(
        "the hostile title, neutralised, in the list and the detail",
        |s| rows_with(s, HOSTILE_FA_VISUAL).len() == 2 && is_selected(s, HOSTILE_FA_VISUAL),
    );
    console.with_screen(|s| {
        assert_intact(s, NEIGHBOUR_VISUAL);
        assert!(find(s, "⟦RLO⟧").is_some() && find(s, "␛").is_some());
    });

    // Moving over it and back redraws those rows: still inert.
    console.send_keys("j");
    console.wait_for("the neighbour selected", |s| {
        is_selected(s, NEIGHBOUR_VISUAL)
    });
    console.send_keys("k");
    console.wait_for("the hostile row selected again", |s| {
        is_selected(s, HOSTILE_FA_VISUAL)
    });

    // The English interface shows the English title, left to right, just as inert.
    console.ctrl('t');
    console.wait_for("the English hostile title", |s| {
        rows_with(s, HOSTILE_EN_VISUAL).len() == 2
    });
    console.with_screen(|s| assert_intact(s, "New VAT law"));

    console.send_keys("q");
    console.wait_exit();
    let raw = console.raw_output();
    // None of the hostile sequences was ever written to the terminal.
    for (bytes, what) in [
        (&b"\x1b]0;pwned"[..], "OSC 0 from the Persian title"),
        (&b"\x1b]2;owned"[..], "OSC 2 from the English title"),
        (&b"pwned\x07"[..], "BEL after the title text"),
        ("\u{202E}".as_bytes(), "RLO"),
    ] {
        assert!(!contains_bytes(&raw, bytes), "{what} reached the terminal");
    }
}

/// The rest of the screen survived: no window title, the tabs, the neighbour's title, the
/// status bar, the frame.
fn assert_intact(s: &vt100::Screen, neighbour: &str) {
    assert_eq!(s.title(), "", "the window title changed");
    assert_eq!(s.icon_name(), "", "the icon name changed");
    let rows = rows_text(s);
    let (height, width) = s.size();
    assert!(find(s, neighbour).is_some(), "{}", rows.join("\n"));
    assert!(
        rows[height as usize - 1].contains("operator1"),
        "status bar"
    );
    assert!(rows[0].contains('۳') || rows[0].contains('3'), "tab row");
    let corner = |r: u16, c: u16| s.cell(r, c).map(|c| c.contents()).unwrap_or_default();
    assert_eq!(corner(height - 2, 0), "╰");
    assert_eq!(corner(height - 2, width - 1), "╯");
    // Every row of the frame still has its side borders.
    for row in 2..height - 2 {
        assert_eq!(corner(row, 0), "│", "left border on row {row}");
        assert_eq!(corner(row, width - 1), "│", "right border on row {row}");
    }
}

//! The real console in a pseudo-terminal against the real backend: the Deadlines pane, keys in
//! the Persian keyboard layout, help, language toggle, quitting, signals and resizing.
//!
//! The console runs with `--bidi app --shaping off` (see `support`): the screen, read through
//! the `vt100` emulator (which does no BiDi, like a terminal in explicit mode), shows Persian in
//! visual order with plain letters. The expected strings below are written by hand: the letters
//! of each Persian word reversed left to right, the words in right-to-left order, English words
//! and numbers kept left to right.

mod support;

use support::{ConsoleOptions, Env, contains_bytes, find, is_selected, rows_with};

/// Three open consultations, closing in 35, 45 and 60 days: none is flagged, so the server's
/// urgency order is by closing date and the first is selected when the pane opens.
const CONSULTATIONS: [(&str, &str, i64); 3] = [
    ("قانون VAT جدید", "New VAT law", 35),
    ("طرح ملی آب 1404", "National water plan 1404", 45),
    ("برنامه توسعه", "Development programme", 60),
];

/// The same titles as a person sees them on the screen (written by hand, not computed).
/// «قانون VAT جدید»: قانون → نوناق, جدید → دیدج; words right to left; VAT stays as it is.
const VISUAL_A: &str = "دیدج VAT نوناق";
/// «طرح ملی آب 1404»: the number ends the sentence, so it stands leftmost.
const VISUAL_B: &str = "1404 بآ یلم حرط";
/// «برنامه توسعه».
const VISUAL_C: &str = "هعسوت همانرب";

fn start(options: ConsoleOptions) -> Env {
    let mut env = Env::start("operator1", "operator", options, |backend, token| {
        for (fa, en, days) in CONSULTATIONS {
            backend.open_consultation(token, fa, en, days);
        }
    });
    env.console.show_deadlines();
    env
}

/// Wait for the pane to list all three consultations.
fn wait_for_list(env: &Env) {
    for title in [VISUAL_A, VISUAL_B, VISUAL_C] {
        env.console.wait_for_text(title);
    }
}

#[test]
fn deadlines_pane_shows_persian_titles_in_visual_order() {
    let env = start(ConsoleOptions::default());
    wait_for_list(&env);
    env.console.with_screen(|s| {
        // Most urgent first: one row each, top to bottom in the server's order.
        let (a, _) = find(s, VISUAL_A).unwrap();
        let (b, _) = find(s, VISUAL_B).unwrap();
        let (c, _) = find(s, VISUAL_C).unwrap();
        assert!(a < b && b < c, "rows {a}, {b}, {c}");
        // Logical order never reaches an explicit-mode terminal.
        assert!(find(s, "قانون").is_none(), "a word in logical order");
        assert!(find(s, "برنامه").is_none(), "a word in logical order");
        // In a Persian interface the title column is the rightmost one: the title ends near
        // the right edge, and the status «باز» (open) stands to its left.
        let (_, title_col) = find(s, VISUAL_C).unwrap();
        let (_, cols) = s.size();
        assert!(
            title_col > cols / 3,
            "title at column {title_col} of {cols}"
        );
        let row = support::rows_text(s)[c as usize].clone();
        let status = row.find("زاب").expect("status «باز» on the row");
        assert!(status < row.find(VISUAL_C).unwrap(), "{row}");
        // The signed-in user is on the status bar (last row).
        assert!(support::rows_text(s).last().unwrap().contains("operator1"));
    });
    // The first (most urgent) row is selected, and the detail view below repeats its title.
    env.console.wait_for("the first row selected", |s| {
        is_selected(s, VISUAL_A) && rows_with(s, VISUAL_A).len() == 2
    });
}

#[test]
fn persian_layout_key_for_next_moves_the_selection() {
    let mut env = start(ConsoleOptions::default());
    wait_for_list(&env);
    env.console
        .wait_for("the first row selected", |s| is_selected(s, VISUAL_A));

    // `ت` is where `j` (next item) sits on the standard Persian keyboard.
    env.console.send_keys("ت");
    env.console.wait_for("the second row selected", |s| {
        is_selected(s, VISUAL_B)
            && !is_selected(s, VISUAL_A)
            // The detail view shows the selected consultation: its title is on two rows now.
            && rows_with(s, VISUAL_B).len() == 2
            && rows_with(s, VISUAL_A).len() == 1
    });

    env.console.send_keys("ت");
    env.console.wait_for("the third row selected", |s| {
        is_selected(s, VISUAL_C) && !is_selected(s, VISUAL_B) && rows_with(s, VISUAL_C).len() == 2
    });

    // `ن` is `k` (previous item).
    env.console.send_keys("ن");
    env.console.wait_for("the second row selected again", |s| {
        is_selected(s, VISUAL_B) && !is_selected(s, VISUAL_C)
    });

    // The Latin keys do the same.
    env.console.send_keys("k");
    env.console
        .wait_for("the first row selected again", |s| is_selected(s, VISUAL_A));
}

#[test]
fn help_overlay_and_language_toggle() {
    let mut env = start(ConsoleOptions::default());
    wait_for_list(&env);

    // «کلیدها» (keys), the help title, in visual order.
    let help_title = "اهدیلک";
    // `?` opens the help overlay over the pane: the title «کلیدها» and the binding of `j`.
    env.console.send_keys("?");
    env.console.wait_for("the help overlay", |s| {
        find(s, help_title).is_some() && find(s, "j, down").is_some()
    });
    // `?` again closes it and the list is back.
    env.console.send_keys("?");
    env.console.wait_for("the help overlay closed", |s| {
        find(s, "j, down").is_none() && find(s, VISUAL_B).is_some()
    });

    // ctrl-t switches the interface to English, live: English titles, English chrome.
    env.console.ctrl('t');
    env.console.wait_for("the English interface", |s| {
        find(s, "New VAT law").is_some()
            && find(s, "National water plan 1404").is_some()
            && find(s, "Development programme").is_some()
            && find(s, "Deadlines").is_some()
            && find(s, VISUAL_A).is_none()
    });
    env.console.with_screen(|s| {
        // An English interface is not mirrored: titles start at the left.
        let (_, col) = find(s, "New VAT law").unwrap();
        assert!(col < 5, "English title at column {col}");
        let (a, _) = find(s, "New VAT law").unwrap();
        let (b, _) = find(s, "National water plan").unwrap();
        assert!(a < b, "same order in English");
    });

    // And back.
    env.console.ctrl('t');
    env.console.wait_for("the Persian interface again", |s| {
        find(s, VISUAL_A).is_some() && find(s, "New VAT law").is_none()
    });
}

#[test]
fn q_quits_and_restores_the_terminal() {
    let mut env = start(ConsoleOptions::default());
    wait_for_list(&env);
    env.console.send_keys("q");
    let status = env.console.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    let raw = env.console.raw_output();
    assert_restored(&raw);
    assert!(
        env.console.with_screen(|s| !s.alternate_screen()),
        "still on the alternate screen"
    );
}

#[test]
fn ctrl_c_quits_when_nothing_is_unsent() {
    let mut env = start(ConsoleOptions::default());
    wait_for_list(&env);
    env.console.ctrl_c();
    let status = env.console.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&env.console.raw_output());
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    let mut env = start(ConsoleOptions::default());
    for signal in ["TERM", "HUP"] {
        wait_for_list(&env);
        env.console.signal(signal);
        env.console.wait_exit();
        assert_restored(&env.console.raw_output());
        // A second console on the same backend for the next signal.
        env.console =
            support::Console::start(&env.backend.url(), &env.token, ConsoleOptions::default());
        env.console.show_deadlines();
    }
}

/// The console left the alternate screen, showed the cursor and put the terminal's BiDi back
/// to implicit mode (`CSI 8 h`, as `--bidi app` switched it to explicit on the way in).
fn assert_restored(raw: &[u8]) {
    assert!(
        contains_bytes(raw, b"\x1b[?1049h"),
        "never entered the alternate screen"
    );
    assert!(
        contains_bytes(raw, b"\x1b[8l"),
        "never entered explicit BiDi mode"
    );
    let left = rposition(raw, b"\x1b[?1049l").expect("left the alternate screen");
    let entered = rposition(raw, b"\x1b[?1049h").unwrap();
    assert!(
        left > entered,
        "the last switch was into the alternate screen"
    );
    let implicit = rposition(raw, b"\x1b[8h").expect("BiDi back to implicit mode");
    assert!(implicit > rposition(raw, b"\x1b[8l").unwrap());
    assert!(
        contains_bytes(&raw[entered..], b"\x1b[?25h"),
        "cursor shown again"
    );
}

fn rposition(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[test]
fn resizing_redraws_at_the_new_size() {
    let mut env = start(ConsoleOptions::default().size(100, 30));
    wait_for_list(&env);
    // «مدت» (window length) is a column only on wide screens.
    let window_column = "تدم";
    assert!(
        env.console
            .with_screen(|s| find(s, window_column).is_none())
    );

    env.console.resize(130, 40);
    env.console.wait_for("a redraw at 130×40", |s| {
        let rows = support::rows_text(s);
        rows[39].contains("operator1")
            && find(s, window_column).is_some()
            && find(s, VISUAL_A).is_some()
            && frame_corners(s, 130, 40)
    });

    // The smallest size the issue asks for.
    env.console.resize(80, 24);
    env.console.wait_for("a redraw at 80×24", |s| {
        let rows = support::rows_text(s);
        rows[23].contains("operator1")
            && find(s, window_column).is_none()
            && find(s, VISUAL_A).is_some()
            && find(s, VISUAL_C).is_some()
            && frame_corners(s, 80, 24)
    });
}

/// The pane's rounded border ends at the last column and above the status bar.
fn frame_corners(s: &vt100::Screen, cols: u16, rows: u16) -> bool {
    let at = |r: u16, c: u16| s.cell(r, c).map(|c| c.contents()).unwrap_or_default();
    at(rows - 2, 0) == "╰" && at(rows - 2, cols - 1) == "╯" && at(1, cols - 1) == "╮"
}

#[test]
fn offline_banner_while_the_backend_is_down_and_live_again_after() {
    let mut env = start(ConsoleOptions::default());
    wait_for_list(&env);
    // «سرور در دسترس نیست» (the backend is unreachable), the start of the offline banner.
    let offline = "تسین سرتسد رد رورس";
    assert!(env.console.with_screen(|s| find(s, offline).is_none()));

    env.backend.kill_server();
    env.console.wait_for("the offline banner", |s| {
        // Keeps showing what it has.
        find(s, offline).is_some() && find(s, VISUAL_C).is_some()
    });

    // Same database, same port: the console finds it again by itself and the list is live.
    env.backend.restart_server();
    env.console
        .wait_for("the banner gone", |s| find(s, offline).is_none());
    env.backend
        .open_consultation(&env.token, "قانون تازه", "A new law", 33);
    // «قانون تازه»: تازه → هزات, قانون → نوناق.
    env.console.wait_for_text("هزات نوناق");
}

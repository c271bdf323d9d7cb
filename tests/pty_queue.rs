//! The real console in a pseudo-terminal against the real backend: the Queue pane as a
//! moderator uses it. A comment approved by keystrokes is recorded by the server; a known
//! Persian comment reads in visual order; a hostile comment leaves the screen intact; decisions
//! made while the server is down are applied exactly once when it is back (also those a killed
//! console left in its journal); the Persian-layout key for "next" moves the selection.
//!
//! The console runs with `--bidi app --shaping off` (see `support`): the screen, read through
//! the `vt100` emulator (which does no BiDi, like a terminal in explicit mode), shows Persian in
//! visual order with plain letters. The expected strings below are written by hand: the letters
//! of each Persian word reversed left to right, the words of a right-to-left paragraph right to
//! left, English words and numbers kept left to right.
//!
//! A moderator's console opens on the Queue pane and claims a batch at once (oldest comments
//! first), so every test posts its comments before the console starts.

mod support;

use serde_json::Value;
use support::{
    Backend, Console, ConsoleOptions, SELECTION_BG, bg_at, contains_bytes, find, poll_until,
    row_cells, rows_text,
};

/// Wide enough for the detail view to show each test comment on one row.
const COLS: u16 = 160;
const ROWS: u16 = 40;

/// Words from `policy-fa.txt` («raising Iran's standing in the EPI index by 1410») with an
/// English abbreviation and a number, as typed (logical order)…
const PERSIAN_LOGICAL: &str = "ارتقای جایگاه ایران در شاخص EPI تا سال 1410";
/// …and as a Persian reader sees it, left to right on the screen: the paragraph is
/// right-to-left, so its first word «ارتقای» (reversed: یاقترا) is rightmost and the number
/// that ends it is leftmost; «EPI» and «1410» keep their own left-to-right order.
const PERSIAN_VISUAL: &str = "1410 لاس ات EPI صخاش رد ناریا هاگیاج یاقترا";
/// The beginning of the comment, which the list row (too narrow for all of it) keeps: at the
/// right end of the cell.
const PERSIAN_START_VISUAL: &str = "هاگیاج یاقترا";

/// A second paragraph of the same comment that starts with an English word: it takes its own
/// left-to-right direction, and the Persian digits after the colon stay with it (W7), while
/// «روز» (day) reads right to left (reversed: زور).
const ENGLISH_LOGICAL: &str = "EPI report: ۳۰ روز";
const ENGLISH_VISUAL: &str = "EPI report: ۳۰ زور";

/// Three short comments, oldest first, and how each reads on the screen.
const COMMENTS: [(&str, &str); 3] = [
    ("بند اول خوب است", "تسا بوخ لوا دنب"),
    ("ماده دوم مبهم است", "تسا مهبم مود هدام"),
    ("تبصره سوم حذف شود", "دوش فذح موس هرصبت"),
];

/// «سلام <OSC 0 "pwned" BEL> و <CSI 2J> و <RLO>متن»: a window-title change, a clear-screen and
/// a right-to-left override in a citizen's comment.
const HOSTILE: &str = "سلام \u{1b}]0;pwned\u{7} و \u{1b}[2J و \u{202E}متن";
/// As a person sees it: «سلام» rightmost (reversed: مالس); each neutralised sequence is one
/// left-to-right unit (␛ and ␇ are the Control Pictures for ESC and BEL); the override is the
/// visible marker ⟦RLO⟧ and reorders nothing: «متن» (reversed: نتم) stays on its far side.
const HOSTILE_VISUAL: &str = "نتم⟦RLO⟧ و ␛[2J و ␛]0;pwned␇ مالس";
/// The list's comment column is narrower: it keeps the comment's beginning, at its right end.
const HOSTILE_START_VISUAL: &str = "␛]0;pwned␇ مالس";

/// The Queue pane's tab title «صف بررسی» in visual order.
const QUEUE_TAB: &str = "یسررب فص";

/// A backend with an admin (who sets up data and reads the audit log) and a moderator (whose
/// console is tested), one open consultation and `bodies` posted as comments by one citizen,
/// oldest first.
struct Queue {
    backend: Backend,
    admin: String,
    moderator: String,
    comments: Vec<i64>,
}

impl Queue {
    fn start(bodies: &[&str]) -> Queue {
        let backend = Backend::start();
        let admin = backend.add_staff("admin1", "admin");
        let moderator = backend.add_staff("mod1", "moderator");
        let consultation = backend.open_consultation(&admin, "قانون VAT جدید", "New VAT law", 40);
        let citizen = backend.participant("مریم");
        let comments = bodies
            .iter()
            .map(|body| backend.comment(consultation, &citizen, body))
            .collect();
        Queue {
            backend,
            admin,
            moderator,
            comments,
        }
    }

    fn console(&self) -> Console {
        self.console_with(ConsoleOptions::default().size(COLS, ROWS))
    }

    fn console_with(&self, options: ConsoleOptions) -> Console {
        Console::start(&self.backend.url(), &self.moderator, options)
    }

    fn comment(&self, id: i64) -> Value {
        self.backend.comment_json(&self.admin, id)
    }

    fn status(&self, id: i64) -> String {
        self.comment(id)["status"].as_str().unwrap_or("").to_owned()
    }

    /// How many decisions the audit log records on comment `id`.
    fn decisions(&self, id: i64) -> usize {
        self.backend
            .audit_count(&self.admin, "comment.decide", &format!("comment:{id}"))
    }

    /// Wait until every comment has the status expected of it.
    fn wait_for_statuses(&self, expected: &[(i64, &str)]) {
        self.backend.wait_until("the decisions recorded", |_| {
            expected
                .iter()
                .all(|(id, status)| self.status(*id) == *status)
        });
    }
}

/// Whether `needle` is drawn in the selection style anywhere on the screen. The detail view
/// repeats the selected comment's text, but never in the selection style, so only a list row
/// can match.
fn selected(s: &vt100::Screen, needle: &str) -> bool {
    occurrences(s, needle)
        .into_iter()
        .any(|(row, col)| bg_at(s, row, col) == SELECTION_BG)
}

/// Every (row, column) where `needle` starts, several per row if need be.
fn occurrences(s: &vt100::Screen, needle: &str) -> Vec<(u16, u16)> {
    let (rows, _) = s.size();
    let mut found = Vec::new();
    for row in 0..rows {
        let cells = row_cells(s, row);
        let mut text = String::new();
        let mut starts = Vec::with_capacity(cells.len());
        for (col, t) in &cells {
            starts.push((text.len(), *col));
            text.push_str(t);
        }
        for (at, _) in text.match_indices(needle) {
            let col = starts
                .iter()
                .rev()
                .find(|(byte, _)| *byte <= at)
                .map_or(0, |(_, col)| *col);
            found.push((row, col));
        }
    }
    found
}

/// How many times `needle` is on the screen.
fn count(s: &vt100::Screen, needle: &str) -> usize {
    occurrences(s, needle).len()
}

/// Wait for the first frame and the claimed batch: every one of `visual` listed.
fn wait_for_batch(console: &Console, visual: &[&str]) {
    console.wait_for("the claimed batch", |s| {
        find(s, QUEUE_TAB).is_some() && visual.iter().all(|v| find(s, v).is_some())
    });
}

#[test]
fn a_persian_comment_reads_in_visual_order() {
    let body = format!("{PERSIAN_LOGICAL}\n{ENGLISH_LOGICAL}");
    let queue = Queue::start(&[&body]);
    let console = queue.console();
    console.wait_for("the comment in the list and in the detail view", |s| {
        find(s, PERSIAN_VISUAL).is_some()
            && find(s, ENGLISH_VISUAL).is_some()
            && selected(s, PERSIAN_START_VISUAL)
    });
    console.with_screen(|s| {
        // The logical order never reaches an explicit-mode terminal.
        assert!(
            find(s, PERSIAN_LOGICAL).is_none(),
            "logical order on screen"
        );
        assert!(find(s, "ارتقای").is_none(), "a word in logical order");
        assert!(find(s, "روز").is_none(), "a word in logical order");
        // The detail view shows the whole sentence on one row, the list its beginning.
        let (fa_row, fa_col) = find(s, PERSIAN_VISUAL).unwrap();
        let (en_row, en_col) = find(s, ENGLISH_VISUAL).unwrap();
        assert_eq!(en_row, fa_row + 1, "the second paragraph follows the first");
        // Each paragraph takes its own direction: the Persian one ends at the detail view's
        // right edge, the English one starts at its left edge.
        let fa_end = fa_col as usize + PERSIAN_VISUAL.chars().count();
        let en_end = en_col as usize + ENGLISH_VISUAL.chars().count();
        assert!(en_col < fa_col, "English at {en_col}, Persian at {fa_col}");
        assert!(
            fa_end > en_end,
            "Persian ends at {fa_end}, English at {en_end}"
        );
        let border = |row: u16| {
            row_cells(s, row)
                .into_iter()
                .find(|(col, t)| *col as usize >= fa_end && t == "│")
                .map(|(col, _)| col as usize)
        };
        assert_eq!(
            border(fa_row),
            Some(fa_end),
            "the Persian paragraph is right-aligned\n{}",
            rows_text(s).join("\n")
        );
        // In the mirrored interface the list is on the right: its row holds the sentence's
        // beginning, right of the detail view.
        let list = occurrences(s, PERSIAN_START_VISUAL)
            .into_iter()
            .find(|&(row, col)| bg_at(s, row, col) == SELECTION_BG)
            .expect("the selected list row");
        assert!(
            list.1 > fa_col,
            "list at {list:?}, detail at column {fa_col}"
        );
    });
}

#[test]
fn approving_by_keystroke_is_recorded_by_the_server() {
    let queue = Queue::start(&[COMMENTS[0].0, COMMENTS[1].0]);
    let mut console = queue.console();
    wait_for_batch(&console, &[COMMENTS[0].1, COMMENTS[1].1]);
    console.wait_for("the oldest comment selected", |s| {
        selected(s, COMMENTS[0].1)
    });
    assert_eq!(queue.status(queue.comments[0]), "pending");

    // `a` approves the selected comment; the selection moves on to the next one.
    console.send_keys("a");
    console.wait_for("the next comment selected", |s| selected(s, COMMENTS[1].1));
    // After the undo grace time the decision goes to the server.
    queue.wait_for_statuses(&[(queue.comments[0], "approved")]);
    let comment = queue.comment(queue.comments[0]);
    assert_eq!(comment["decision"]["action"], "approve", "{comment}");
    assert_eq!(comment["decision"]["decided_by"], "mod1", "{comment}");
    assert_eq!(queue.decisions(queue.comments[0]), 1);
    assert_eq!(queue.status(queue.comments[1]), "pending");
    // The console shows it applied: «✓» on the comment's row.
    console.wait_for("the approved mark", |s| {
        rows_text(s)
            .iter()
            .any(|row| row.contains(COMMENTS[0].1) && row.contains('✓'))
    });

    // Nothing is unsent: `q` quits without asking.
    console.send_keys("q");
    assert!(console.wait_exit().success());
}

#[test]
fn persian_layout_key_for_next_moves_the_selection() {
    let bodies: Vec<&str> = COMMENTS.iter().map(|(b, _)| *b).collect();
    let visual: Vec<&str> = COMMENTS.iter().map(|(_, v)| *v).collect();
    let queue = Queue::start(&bodies);
    let mut console = queue.console();
    wait_for_batch(&console, &visual);
    console.wait_for("the first comment selected", |s| selected(s, visual[0]));

    // `ت` is where `j` (next item) sits on the standard Persian keyboard.
    console.send_keys("ت");
    console.wait_for("the second comment selected", |s| {
        selected(s, visual[1])
            && !selected(s, visual[0])
            // The detail view shows the selected comment: its text is on two rows now.
            && count(s, visual[1]) == 2
            && count(s, visual[0]) == 1
    });
    console.send_keys("ت");
    console.wait_for("the third comment selected", |s| {
        selected(s, visual[2]) && !selected(s, visual[1]) && count(s, visual[2]) == 2
    });
    // `ن` is `k` (previous item).
    console.send_keys("ن");
    console.wait_for("the second comment selected again", |s| {
        selected(s, visual[1]) && !selected(s, visual[2])
    });
    // And `ش` is `a`: approve, in the Persian layout too.
    console.send_keys("ش");
    queue.wait_for_statuses(&[(queue.comments[1], "approved")]);
    assert_eq!(queue.status(queue.comments[0]), "pending");
    assert_eq!(queue.status(queue.comments[2]), "pending");
}

#[test]
fn a_hostile_comment_in_the_queue_leaves_the_screen_intact() {
    // The hostile comment first, so it is selected and shown in the detail view as well.
    let queue = Queue::start(&[HOSTILE, COMMENTS[0].0]);
    let mut console = queue.console();
    console.wait_for(
        "the hostile comment, neutralised, in the list and the detail",
        |s| count(s, HOSTILE_VISUAL) == 1 && selected(s, HOSTILE_START_VISUAL),
    );
    console.with_screen(|s| {
        assert_intact(s);
        assert!(find(s, COMMENTS[0].1).is_some(), "the neighbour comment");
    });
    // Moving over it and back redraws those rows: still inert.
    console.send_keys("j");
    console.wait_for("the neighbour selected", |s| {
        selected(s, COMMENTS[0].1)
            && count(s, HOSTILE_VISUAL) == 0
            && find(s, HOSTILE_START_VISUAL).is_some()
    });
    console.with_screen(assert_intact);
    console.send_keys("k");
    console.wait_for("the hostile comment selected again", |s| {
        selected(s, HOSTILE_START_VISUAL) && count(s, HOSTILE_VISUAL) == 1
    });
    console.with_screen(assert_intact);

    console.send_keys("q");
    console.wait_exit();
    let raw = console.raw_output();
    for (bytes, what) in [
        (&b"\x1b]0;pwned"[..], "OSC 0 from the comment"),
        (&b"pwned\x07"[..], "BEL after the title text"),
        ("\u{202E}".as_bytes(), "RLO"),
    ] {
        assert!(!contains_bytes(&raw, bytes), "{what} reached the terminal");
    }
}

/// The rest of the screen survived: no window title, the tab row, the status bar, the frame.
fn assert_intact(s: &vt100::Screen) {
    assert_eq!(s.title(), "", "the window title changed");
    assert_eq!(s.icon_name(), "", "the icon name changed");
    let rows = rows_text(s);
    let (height, width) = s.size();
    assert!(rows[0].contains(QUEUE_TAB), "tab row\n{}", rows.join("\n"));
    assert!(rows[height as usize - 1].contains("mod1"), "status bar");
    let at = |r: u16, c: u16| s.cell(r, c).map(|c| c.contents()).unwrap_or_default();
    assert_eq!(at(height - 2, 0), "╰");
    assert_eq!(at(height - 2, width - 1), "╯");
    for row in 2..height - 2 {
        assert_eq!(at(row, 0), "│", "left border on row {row}");
        assert_eq!(at(row, width - 1), "│", "right border on row {row}");
    }
}

/// «سرور در دسترس نیست» (the backend is unreachable), the start of the offline banner.
const OFFLINE: &str = "تسین سرتسد رد رورس";
/// «۳ تصمیم هنوز به سرور نرسیده است» (3 decisions have not reached the server yet), the start
/// of the question `q` asks while they are unsent: the count rightmost.
const THREE_UNSENT: &str = "زونه میمصت ۳";

#[test]
fn three_decisions_while_the_server_is_down_are_applied_once_when_it_is_back() {
    let bodies: Vec<&str> = COMMENTS.iter().map(|(b, _)| *b).collect();
    let visual: Vec<&str> = COMMENTS.iter().map(|(_, v)| *v).collect();
    let mut queue = Queue::start(&bodies);
    let mut console = queue.console();
    wait_for_batch(&console, &visual);
    console.wait_for("the first comment selected", |s| selected(s, visual[0]));

    queue.backend.kill_server();
    console.wait_for("the offline banner", |s| {
        find(s, OFFLINE).is_some() && find(s, visual[2]).is_some()
    });

    // Approve the first; reject the second and hide the third with the first reason the
    // server listed (spam), picked with enter. Each moves the selection to the next one.
    console.send_keys("a");
    console.wait_for("the second comment selected", |s| selected(s, visual[1]));
    console.send_keys("r");
    // «هرزنامه یا پیوند تبلیغاتی» (spam), the first reason, in the picker.
    let spam = "یتاغیلبت دنویپ ای همانزره";
    console.wait_for("the reason picker", |s| find(s, spam).is_some());
    console.enter();
    console.wait_for("the third comment selected", |s| {
        selected(s, visual[2]) && find(s, spam).is_none()
    });
    console.send_keys("h");
    console.wait_for("the reason picker", |s| find(s, spam).is_some());
    console.enter();
    console.wait_for("three decisions waiting, marked «…»", |s| {
        find(s, spam).is_none()
            && visual.iter().all(|v| {
                rows_text(s)
                    .iter()
                    .any(|row| row.contains(v) && row.contains('…'))
            })
    });

    // `q` asks first while decisions are unsent; `n` stays.
    console.send_keys("q");
    console.wait_for("the question before quitting", |s| {
        find(s, THREE_UNSENT).is_some()
    });
    console.send_keys("n");
    console.wait_for("the question gone", |s| find(s, THREE_UNSENT).is_none());
    assert!(
        !console.has_exited(),
        "the console quit with decisions unsent"
    );

    // Same database, same port: the console sends them by itself.
    queue.backend.restart_server();
    queue.wait_for_statuses(&[
        (queue.comments[0], "approved"),
        (queue.comments[1], "rejected"),
        (queue.comments[2], "hidden"),
    ]);
    console.wait_for("every decision shown as applied", |s| {
        find(s, OFFLINE).is_none()
            // The hidden mark ⊘ is mirrored (⦸) in a right-to-left row, as it should be.
            && [(visual[0], '✓'), (visual[1], '✗'), (visual[2], '⦸')]
                .iter()
                .all(|(v, mark)| {
                    rows_text(s)
                        .iter()
                        .any(|row| row.contains(v) && row.contains(*mark))
                })
    });
    // The console has nothing left to send: `q` quits at once…
    console.send_keys("q");
    assert!(console.wait_exit().success(), "{}", console.describe());
    // …and each decision was applied exactly once, with its reason.
    for id in &queue.comments {
        assert_eq!(queue.decisions(*id), 1, "decisions on comment {id}");
    }
    let rejected = queue.comment(queue.comments[1]);
    assert_eq!(rejected["decision"]["reason_code"], "spam", "{rejected}");
    let hidden = queue.comment(queue.comments[2]);
    assert_eq!(hidden["decision"]["reason_code"], "spam", "{hidden}");
}

#[test]
fn a_relaunched_console_sends_what_a_killed_one_left_in_its_journal() {
    let mut queue = Queue::start(&[COMMENTS[0].0, COMMENTS[1].0]);
    let mut console = queue.console();
    wait_for_batch(&console, &[COMMENTS[0].1, COMMENTS[1].1]);
    console.wait_for("the first comment selected", |s| selected(s, COMMENTS[0].1));

    // With the server down the decision cannot leave before the console dies.
    queue.backend.kill_server();
    console.wait_for("the offline banner", |s| find(s, OFFLINE).is_some());
    console.send_keys("a");
    console.wait_for("the decision journaled, marked «…»", |s| {
        rows_text(s)
            .iter()
            .any(|row| row.contains(COMMENTS[0].1) && row.contains('…'))
    });
    // The SSH session drops: the console is killed outright, no goodbye.
    console.signal("KILL");
    console.wait_exit();

    queue.backend.restart_server();
    assert_eq!(
        queue.status(queue.comments[0]),
        "pending",
        "sent by a dead console"
    );

    // The same moderator starts the console again on the same machine (same data folder).
    let options = ConsoleOptions {
        env: vec![(
            "MOSHAREKAT_DATA_DIR".into(),
            console.data_dir().display().to_string(),
        )],
        ..ConsoleOptions::default().size(COLS, ROWS)
    };
    let relaunched = queue.console_with(options);
    queue.wait_for_statuses(&[(queue.comments[0], "approved")]);
    assert_eq!(queue.decisions(queue.comments[0]), 1);
    // Only the decided comment was touched; the other one is still the killed console's
    // claim until its lease runs out.
    assert_eq!(queue.status(queue.comments[1]), "pending");
    // Nothing is sent twice: the journal marked it done.
    poll_until(
        "the relaunched console's journal to settle",
        || {
            let journal = std::fs::read_dir(console.data_dir().join("journal"))
                .ok()?
                .flatten()
                .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                .collect::<String>();
            journal.contains("\"done\"").then_some(())
        },
        || relaunched.describe(),
    );
    assert_eq!(queue.decisions(queue.comments[0]), 1);
}

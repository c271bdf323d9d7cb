//! The Tallies pane: state and keys through a real `PaneCtx`, live ballot events, drawing at
//! 80×24 and 160×48 in Persian and English (bar lengths, reading side, visual order, digits),
//! snapshots, and one run against the real backend.

use chrono::{DateTime, Duration, TimeZone, Utc};
use mosharekat_api::{
    Breakdown, Consultation, ConsultationKind, ConsultationStatus, Event, EventKind, Poll,
    PollKind, PollOption, Role, Tally, TallyCell, TallyGroup, TurnoutPoint,
};
use ratatui::buffer::Buffer;

use super::{Answer, ConsultationPolls, ListAnswer, TalliesPane, TallyAnswer};
use crate::client::{Client, ClientError};
use crate::keymap::Action;
use crate::panes::testing::{self, Area, TestCtx, screen_trimmed, test_ctx};
use crate::panes::{Answers, PaneView};

const YES_NO: i64 = 11;
const LIKERT: i64 = 12;
const MULTI: i64 = 13;
const CLOSED_POLL: i64 = 21;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 4, 10, 9, 20, 0).unwrap()
}

fn consultation(id: i64, status: ConsultationStatus, fa: &str, en: &str) -> Consultation {
    let opens_at = now() - Duration::days(5);
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
        closes_at: opens_at + Duration::days(40 + id),
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

fn poll(id: i64, consultation_id: i64, kind: PollKind, fa: &str, en: &str) -> Poll {
    let labels: Vec<(String, String)> = match kind.fixed_options() {
        Some(fixed) => fixed
            .into_iter()
            .map(|o| (o.label_fa, o.label_en))
            .collect(),
        None => [
            ("آموزش", "Education"),
            ("سلامت", "Health"),
            ("حمل‌ونقل", "Transport"),
            ("محیط زیست", "Environment"),
        ]
        .iter()
        .map(|(fa, en)| ((*fa).into(), (*en).into()))
        .collect(),
    };
    Poll {
        id,
        consultation_id,
        kind,
        question_fa: fa.into(),
        question_en: en.into(),
        options: labels
            .into_iter()
            .enumerate()
            .map(|(i, (label_fa, label_en))| PollOption {
                id: id * 10 + i as i64 + 1,
                label_fa,
                label_en,
            })
            .collect(),
        total_ballots: 0,
        created_at: now() - Duration::days(5),
    }
}

/// Open consultation 1 (three polls), closed 2 (one poll), open 3 without polls, open 4 closing
/// before 1 (one poll).
fn list() -> Vec<ConsultationPolls> {
    vec![
        ConsultationPolls {
            consultation: consultation(
                2,
                ConsultationStatus::Closed,
                "دستورالعمل ثبت‌نام دانش‌آموزان",
                "Student enrolment instruction",
            ),
            polls: vec![poll(
                CLOSED_POLL,
                2,
                PollKind::YesNoAbstain,
                "آیا ثبت‌نام برخط کافی است؟",
                "Is online enrolment enough?",
            )],
        },
        ConsultationPolls {
            consultation: consultation(
                1,
                ConsultationStatus::Open,
                "آیین‌نامه اجرایی مدارس غیردولتی",
                "Executive regulation of non-governmental schools",
            ),
            polls: vec![
                poll(
                    YES_NO,
                    1,
                    PollKind::YesNoAbstain,
                    "آیا با افزایش ساعت کار مدارس موافقید؟",
                    "Do you agree with longer school hours?",
                ),
                poll(
                    LIKERT,
                    1,
                    PollKind::Likert5,
                    "شهریه‌ی مدارس غیردولتی منصفانه است.",
                    "Fees of non-governmental schools are fair.",
                ),
                poll(
                    MULTI,
                    1,
                    PollKind::MultipleChoice,
                    "کدام حوزه‌ها اولویت دارند؟",
                    "Which areas come first?",
                ),
            ],
        },
        ConsultationPolls {
            consultation: consultation(3, ConsultationStatus::Open, "بدون نظرسنجی", "No polls"),
            polls: vec![],
        },
        ConsultationPolls {
            consultation: Consultation {
                closes_at: now() + Duration::days(2),
                ..consultation(
                    4,
                    ConsultationStatus::Open,
                    "لایحه‌ی حمایت از نوآوری",
                    "Innovation support bill",
                )
            },
            polls: vec![poll(
                41,
                4,
                PollKind::SingleChoice,
                "کدام گزینه؟",
                "Which option?",
            )],
        },
    ]
}

fn cells(poll_id: i64, counts: &[i64]) -> Vec<TallyCell> {
    counts
        .iter()
        .enumerate()
        .map(|(i, &count)| TallyCell {
            option_id: poll_id * 10 + i as i64 + 1,
            count,
        })
        .collect()
}

fn group(poll_id: i64, key: &str, counts: &[i64]) -> TallyGroup {
    TallyGroup {
        key: key.into(),
        ballots: counts.iter().sum(),
        counts: cells(poll_id, counts),
    }
}

/// The yes/no/abstain poll: 100 ballots, 60 / 30 / 10, every breakdown with a "not stated"
/// bucket and one bucket under five ballots.
fn yes_no_tally(by: Breakdown) -> Tally {
    let p = YES_NO;
    let groups = match by {
        Breakdown::AgeBand => vec![
            group(p, "unknown", &[14, 6, 2]),
            group(p, "18_24", &[20, 10, 3]),
            group(p, "65_plus", &[2, 1, 0]),
            group(p, "35_44", &[24, 13, 5]),
        ],
        Breakdown::Gender => vec![
            group(p, "female", &[33, 14, 5]),
            group(p, "male", &[25, 15, 4]),
            group(p, "unknown", &[2, 1, 1]),
        ],
        Breakdown::Province => vec![
            group(p, "isfahan", &[18, 10, 2]),
            group(p, "tehran", &[36, 15, 6]),
            group(p, "unknown", &[4, 4, 1]),
            group(p, "yazd", &[2, 1, 1]),
        ],
        Breakdown::Category => vec![
            group(p, "public", &[40, 20, 5]),
            group(p, "ngo", &[12, 6, 2]),
            group(p, "scientific_elite", &[6, 3, 2]),
            group(p, "unknown", &[2, 1, 1]),
        ],
    };
    let start = Utc.with_ymd_and_hms(2024, 4, 5, 6, 0, 0).unwrap();
    Tally {
        poll_id: p,
        ballots: 100,
        counts: cells(p, &[60, 30, 10]),
        by: Some(by),
        groups,
        turnout: [(0, 10), (1, 25), (2, 5), (5, 30), (30, 12), (100, 18)]
            .iter()
            .map(|(h, n)| TurnoutPoint {
                at: start + Duration::hours(*h),
                ballots: *n,
            })
            .collect(),
    }
}

fn likert_tally() -> Tally {
    Tally {
        poll_id: LIKERT,
        ballots: 80,
        counts: cells(LIKERT, &[8, 12, 20, 24, 16]),
        by: Some(Breakdown::Gender),
        groups: vec![
            group(LIKERT, "female", &[4, 6, 10, 12, 8]),
            group(LIKERT, "male", &[4, 5, 9, 11, 8]),
            group(LIKERT, "unknown", &[0, 1, 1, 1, 0]),
        ],
        turnout: vec![TurnoutPoint {
            at: now() - Duration::hours(3),
            ballots: 80,
        }],
    }
}

fn multi_tally() -> Tally {
    Tally {
        poll_id: MULTI,
        ballots: 50,
        counts: cells(MULTI, &[40, 25, 10, 5]),
        by: Some(Breakdown::Category),
        groups: vec![group(MULTI, "public", &[40, 25, 10, 5])],
        turnout: vec![],
    }
}

fn unreachable_client() -> Client {
    // Nothing listens on port 1: spawned requests fail, and no test waits for them.
    Client::new("http://127.0.0.1:1".parse().unwrap())
}

fn new_ctx(lang: &str) -> TestCtx {
    test_ctx(unreachable_client(), lang, now())
}

/// A pane with the list and the yes/no poll's tally loaded.
fn loaded(t: &mut TestCtx) -> TalliesPane {
    let mut pane = TalliesPane::default();
    pane.refresh(&mut t.ctx());
    pane.on_answer(Answer::List(ListAnswer(Ok(list()))), &mut t.ctx());
    answer(
        &mut pane,
        t,
        yes_no_tally(Breakdown::Category),
        Breakdown::Category,
    );
    pane
}

fn answer(pane: &mut TalliesPane, t: &mut TestCtx, tally: Tally, by: Breakdown) {
    let poll_id = tally.poll_id;
    pane.on_answer(
        Answer::Tally(TallyAnswer {
            poll_id,
            by,
            result: Ok(tally),
        }),
        &mut t.ctx(),
    );
}

fn ballot_event(poll_id: i64, tally: Tally) -> Event {
    Event {
        id: 900,
        at: now(),
        kind: EventKind::BallotCast {
            poll_id,
            consultation_id: 1,
            tally,
        },
    }
}

#[tokio::test]
async fn open_consultations_come_first_and_those_without_polls_are_left_out() {
    let mut t = new_ctx("fa");
    let pane = loaded(&mut t);
    let ids: Vec<i64> = pane
        .consultations()
        .iter()
        .map(|c| c.consultation.id)
        .collect();
    // Both open ones (closing soonest first), then the closed one; 3 has no polls.
    assert_eq!(ids, vec![4, 1, 2]);
}

#[tokio::test]
async fn the_list_answer_loads_the_first_poll_and_keeps_the_selection_on_refresh() {
    let mut t = new_ctx("en");
    let mut pane = TalliesPane::default();
    pane.on_answer(Answer::List(ListAnswer(Ok(list()))), &mut t.ctx());
    assert_eq!(pane.current_poll().map(|p| p.id), Some(41));
    assert_eq!(pane.fetching(), Some((41, Breakdown::Category)));
    assert!(pane.on_action(Action::NextItem, &mut t.ctx()));
    assert!(pane.on_action(Action::NextPoll, &mut t.ctx()));
    assert_eq!(pane.current_poll().map(|p| p.id), Some(LIKERT));
    // A reload in another order keeps the same consultation and poll on screen.
    let mut reordered = list();
    reordered.reverse();
    pane.on_answer(Answer::List(ListAnswer(Ok(reordered))), &mut t.ctx());
    assert_eq!(pane.current().map(|c| c.consultation.id), Some(1));
    assert_eq!(pane.current_poll().map(|p| p.id), Some(LIKERT));
}

#[tokio::test]
async fn polls_cycle_both_ways_and_each_is_fetched() {
    let mut t = new_ctx("fa");
    let mut pane = loaded(&mut t);
    pane.on_action(Action::NextItem, &mut t.ctx());
    assert_eq!(pane.current_poll().map(|p| p.id), Some(YES_NO));
    assert!(pane.on_action(Action::NextPoll, &mut t.ctx()));
    assert_eq!(pane.current_poll().map(|p| p.id), Some(LIKERT));
    assert_eq!(pane.fetching(), Some((LIKERT, Breakdown::Category)));
    pane.on_action(Action::NextPoll, &mut t.ctx());
    pane.on_action(Action::NextPoll, &mut t.ctx());
    assert_eq!(pane.current_poll().map(|p| p.id), Some(YES_NO));
    pane.on_action(Action::PrevPoll, &mut t.ctx());
    assert_eq!(pane.current_poll().map(|p| p.id), Some(MULTI));
    assert_eq!(pane.fetching(), Some((MULTI, Breakdown::Category)));
    // Not a tallies action.
    assert!(!pane.on_action(Action::Approve, &mut t.ctx()));
}

#[tokio::test]
async fn the_breakdown_cycles_through_every_dimension_and_back_to_none() {
    let mut t = new_ctx("fa");
    let mut pane = loaded(&mut t);
    pane.on_action(Action::NextItem, &mut t.ctx());
    let mut seen = Vec::new();
    for _ in 0..5 {
        pane.on_action(Action::CycleBreakdown, &mut t.ctx());
        seen.push(pane.breakdown());
        if let Some(by) = pane.breakdown() {
            assert_eq!(pane.fetching(), Some((YES_NO, by)));
        }
    }
    assert_eq!(
        seen,
        vec![
            Some(Breakdown::AgeBand),
            Some(Breakdown::Gender),
            Some(Breakdown::Province),
            Some(Breakdown::Category),
            None,
        ]
    );
}

#[tokio::test]
async fn a_ballot_event_changes_the_counts_at_once_and_the_breakdown_within_a_second() {
    let mut t = new_ctx("fa");
    let mut pane = loaded(&mut t);
    pane.on_action(Action::NextItem, &mut t.ctx());
    pane.on_action(Action::CycleBreakdown, &mut t.ctx());
    answer(
        &mut pane,
        &mut t,
        yes_no_tally(Breakdown::AgeBand),
        Breakdown::AgeBand,
    );
    assert_eq!(pane.fetching(), None);

    let mut newer = yes_no_tally(Breakdown::AgeBand);
    newer.ballots = 101;
    newer.counts = cells(YES_NO, &[60, 31, 10]);
    newer.by = None;
    newer.groups.clear();
    newer.turnout.clear();
    pane.on_event(&ballot_event(YES_NO, newer), &mut t.ctx());
    let data = pane.poll_data(YES_NO).unwrap();
    assert_eq!(data.ballots, 101);
    assert_eq!(data.count(YES_NO * 10 + 2), 31);
    assert_eq!(pane.current_poll().unwrap().total_ballots, 101);
    // The breakdown loaded earlier stays until the new one arrives.
    assert!(data.groups.is_some());

    // Throttled: not again within the second of the last fetch, then once.
    t.now = now() + Duration::milliseconds(500);
    pane.on_tick(&mut t.ctx());
    assert_eq!(pane.fetching(), None);
    t.now = now() + Duration::seconds(1);
    pane.on_tick(&mut t.ctx());
    assert_eq!(pane.fetching(), Some((YES_NO, Breakdown::AgeBand)));
    t.now = now() + Duration::seconds(3);
    pane.on_tick(&mut t.ctx());
    assert_eq!(pane.fetching(), Some((YES_NO, Breakdown::AgeBand)));
}

#[tokio::test]
async fn events_for_polls_not_on_screen_are_kept_and_unknown_polls_reload_the_list() {
    let mut t = new_ctx("en");
    let mut pane = loaded(&mut t);
    let mut closed = yes_no_tally(Breakdown::Category);
    closed.poll_id = CLOSED_POLL;
    closed.ballots = 7;
    closed.counts = cells(CLOSED_POLL, &[4, 2, 1]);
    pane.on_event(&ballot_event(CLOSED_POLL, closed), &mut t.ctx());
    assert_eq!(pane.poll_data(CLOSED_POLL).unwrap().ballots, 7);
    assert!(!pane.loading_list());

    let mut unknown = yes_no_tally(Breakdown::Category);
    unknown.poll_id = 77;
    // The list was asked for just now: not again at once.
    pane.on_event(&ballot_event(77, unknown.clone()), &mut t.ctx());
    assert!(!pane.loading_list());
    t.now = now() + Duration::seconds(10);
    pane.on_event(&ballot_event(77, unknown), &mut t.ctx());
    assert!(pane.loading_list());
    assert!(pane.poll_data(77).is_none());
}

#[tokio::test]
async fn a_consultation_change_reloads_the_list() {
    let mut t = new_ctx("en");
    let mut pane = loaded(&mut t);
    assert!(!pane.loading_list());
    pane.on_event(
        &Event {
            id: 5,
            at: now(),
            kind: EventKind::ConsultationChanged {
                consultation_id: 1,
                status: ConsultationStatus::Closed,
            },
        },
        &mut t.ctx(),
    );
    assert!(pane.loading_list());
}

#[tokio::test]
async fn offline_the_loaded_tally_stays_on_screen() {
    let mut t = new_ctx("en");
    let mut pane = loaded(&mut t);
    pane.on_action(Action::NextItem, &mut t.ctx());
    answer(
        &mut pane,
        &mut t,
        yes_no_tally(Breakdown::Category),
        Breakdown::Category,
    );
    pane.on_action(Action::NextPoll, &mut t.ctx());
    pane.on_action(Action::PrevPoll, &mut t.ctx());
    pane.on_answer(
        Answer::Tally(TallyAnswer {
            poll_id: YES_NO,
            by: Breakdown::Category,
            result: Err(ClientError::Unreachable("connection refused".into())),
        }),
        &mut t.ctx(),
    );
    assert!(t.went_offline);
    assert_eq!(pane.poll_data(YES_NO).unwrap().ballots, 100);
    let screen = render(&mut pane, "en", 80, 24);
    assert!(screen.contains("60 (60%)"), "{screen}");
    assert!(!screen.contains("Something went wrong"), "{screen}");
    // A breakdown asked for while offline says why it is missing, and the counts stay.
    pane.on_action(Action::CycleBreakdown, &mut t.ctx());
    pane.on_answer(
        Answer::Tally(TallyAnswer {
            poll_id: YES_NO,
            by: Breakdown::AgeBand,
            result: Err(ClientError::Unreachable("connection refused".into())),
        }),
        &mut t.ctx(),
    );
    let screen = render(&mut pane, "en", 80, 24);
    assert!(
        screen.contains("Breakdown: age band · not loaded: the backend is"),
        "{screen}"
    );
    assert!(screen.contains("60 (60%)"), "{screen}");
}

// Drawing.

fn draw(pane: &mut TalliesPane, lang: &str, width: u16, height: u16) -> Buffer {
    testing::draw_pane(
        pane,
        lang,
        (width, height),
        now(),
        Role::Operator,
        Area::PaneArea,
    )
}

fn render(pane: &mut TalliesPane, lang: &str, width: u16, height: u16) -> String {
    screen_trimmed(&draw(pane, lang, width, height))
}

/// The open consultation's yes/no poll, loaded, online, with `by` shown.
fn yes_no_on_screen(lang: &str, by: Option<Breakdown>) -> TalliesPane {
    let mut t = new_ctx(lang);
    let mut pane = loaded(&mut t);
    pane.on_action(Action::NextItem, &mut t.ctx());
    while pane.breakdown() != by {
        pane.on_action(Action::CycleBreakdown, &mut t.ctx());
    }
    let dimension = by.unwrap_or(Breakdown::Category);
    answer(&mut pane, &mut t, yes_no_tally(dimension), dimension);
    pane
}

/// The runs of bar cells on row `y`: (first x, length).
fn bar_runs(buffer: &Buffer, y: u16) -> Vec<(u16, u16)> {
    let mut runs = Vec::new();
    let mut x = 0;
    while x < buffer.area.width {
        if buffer[(x, y)].symbol() == "█" {
            let start = x;
            while x < buffer.area.width && buffer[(x, y)].symbol() == "█" {
                x += 1;
            }
            runs.push((start, x - start));
        } else {
            x += 1;
        }
    }
    runs
}

/// The first row showing `needle` and a bar.
fn bar_row_of(buffer: &Buffer, needle: &str) -> u16 {
    let text = screen_trimmed(buffer);
    text.lines()
        .position(|l| l.contains(needle) && l.contains('█'))
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{text}")) as u16
}

/// The visual x of the first cell of `needle` on row `y`.
fn x_of(buffer: &Buffer, y: u16, needle: &str) -> u16 {
    let row: Vec<String> = (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol().to_owned())
        .collect();
    let chars: Vec<String> = needle.chars().map(String::from).collect();
    row.windows(chars.len())
        .position(|w| w == chars.as_slice())
        .unwrap_or_else(|| panic!("{needle:?} not on row {y}")) as u16
}

#[tokio::test]
async fn bars_are_proportional_and_grow_from_the_reading_side() {
    // On screen (visual order, shaping off) a Persian word reads reversed left to right:
    // «موافقم» is drawn «مقفاوم», «مخالفم» «مفلاخم», «ممتنع» «عنتمم».
    let cases = [
        ("fa", ["مقفاوم", "مفلاخم", "عنتمم"]),
        ("en", ["Yes", "No", "Abstain"]),
    ];
    for (lang, labels) in cases {
        for (width, height) in [(80, 24), (160, 48)] {
            let mut pane = yes_no_on_screen(lang, None);
            let buffer = draw(&mut pane, lang, width, height);
            let mut runs = Vec::new();
            for label in labels {
                let y = bar_row_of(&buffer, label);
                let row_runs = bar_runs(&buffer, y);
                assert_eq!(
                    row_runs.len(),
                    1,
                    "{lang} {width}: one bar on the {label} row"
                );
                let (x, len) = row_runs[0];
                let label_x = x_of(&buffer, y, label);
                if lang == "fa" {
                    assert!(label_x > x + len, "{lang} {width}: label right of the bar");
                } else {
                    assert!(label_x < x, "{lang} {width}: label left of the bar");
                }
                runs.push((x, len));
            }
            let lens: Vec<i32> = runs.iter().map(|(_, l)| i32::from(*l)).collect();
            // 60 : 30 : 10, each rounded to whole cells.
            assert!(
                (lens[0] - 2 * lens[1]).abs() <= 1,
                "{lang} {width}: {lens:?}"
            );
            assert!(
                (lens[0] - 6 * lens[2]).abs() <= 3,
                "{lang} {width}: {lens:?}"
            );
            assert!(lens[0] >= if width > 100 { 30 } else { 15 }, "{lens:?}");
            // All bars start at the same edge: the right one in Persian, the left in English.
            let ends: Vec<u16> = runs.iter().map(|(x, l)| x + l).collect();
            let starts: Vec<u16> = runs.iter().map(|(x, _)| *x).collect();
            if lang == "fa" {
                assert!(ends.iter().all(|e| *e == ends[0]), "{runs:?}");
                assert!(starts[0] < starts[1] && starts[1] < starts[2], "{runs:?}");
            } else {
                assert!(starts.iter().all(|s| *s == starts[0]), "{runs:?}");
                assert!(ends[0] > ends[1] && ends[1] > ends[2], "{runs:?}");
            }
        }
    }
}

#[tokio::test]
async fn persian_digits_in_the_persian_interface_and_latin_in_english() {
    let mut pane = yes_no_on_screen("fa", Some(Breakdown::AgeBand));
    for (width, height) in [(80, 24), (160, 48)] {
        let screen = render(&mut pane, "fa", width, height);
        assert!(
            !screen.chars().any(|c| c.is_ascii_digit()),
            "ASCII digits in the Persian interface:\n{screen}"
        );
        // 100 ballots and 60 of them.
        assert!(screen.contains("۱۰۰"), "{screen}");
        assert!(screen.contains("۶۰"), "{screen}");
    }
    let mut pane = yes_no_on_screen("en", Some(Breakdown::AgeBand));
    let screen = render(&mut pane, "en", 80, 24);
    assert!(screen.contains("100 ballots"), "{screen}");
    assert!(screen.contains("60 (60%)"), "{screen}");
    assert!(!screen.contains('۶'), "{screen}");
}

#[tokio::test]
async fn every_breakdown_names_its_buckets_and_marks_small_ones() {
    let expected = [
        (
            Breakdown::AgeBand,
            ["18–24", "35–44", "65 and over *", "Not stated"],
        ),
        (
            Breakdown::Gender,
            ["Female", "Male", "Not stated *", "Female"],
        ),
        (
            Breakdown::Province,
            ["Tehran", "Isfahan", "Yazd *", "Not stated"],
        ),
        (
            Breakdown::Category,
            ["General public", "NGO", "Scientific elite", "Not stated *"],
        ),
    ];
    for (by, names) in expected {
        let mut pane = yes_no_on_screen("en", Some(by));
        let screen = render(&mut pane, "en", 160, 48);
        for name in names {
            assert!(screen.contains(name), "{by:?}: {name} missing:\n{screen}");
        }
        assert!(screen.contains("Fewer than 5 ballots"), "{screen}");
        // "Not stated" comes last.
        let not_stated = screen.find("Not stated").unwrap();
        for name in &names[..2] {
            assert!(
                screen.find(name).unwrap() < not_stated,
                "{by:?} order:\n{screen}"
            );
        }
    }
    // Persian bucket names, in visual order: «اعلام‌نشده» (ZWNJ kept) reads reversed.
    let mut pane = yes_no_on_screen("fa", Some(Breakdown::Gender));
    let screen = render(&mut pane, "fa", 160, 48);
    assert!(screen.contains("نز"), "{screen}"); // «زن»
    assert!(screen.contains("درم"), "{screen}"); // «مرد»
}

#[tokio::test]
async fn the_breakdown_shows_exact_counts_to_staff() {
    let mut pane = yes_no_on_screen("en", Some(Breakdown::Province));
    let screen = render(&mut pane, "en", 160, 48);
    // Tehran: 36 of 57 ballots (63%); Yazd, under five, is not hidden.
    assert!(screen.contains("36 (63%)"), "{screen}");
    assert!(screen.contains("2 (50%)"), "{screen}");
}

#[tokio::test]
async fn likert_and_multiple_choice_polls_draw_every_option() {
    let mut t = new_ctx("en");
    let mut pane = loaded(&mut t);
    pane.on_action(Action::NextItem, &mut t.ctx());
    pane.on_action(Action::NextPoll, &mut t.ctx());
    answer(&mut pane, &mut t, likert_tally(), Breakdown::Category);
    let screen = render(&mut pane, "en", 80, 24);
    for label in [
        "Strongly disagree",
        "Neutral",
        "Strongly agree",
        "Poll 2 of 3",
    ] {
        assert!(screen.contains(label), "{label}:\n{screen}");
    }
    assert!(screen.contains("24 (30%)"), "{screen}");

    pane.on_action(Action::NextPoll, &mut t.ctx());
    answer(&mut pane, &mut t, multi_tally(), Breakdown::Category);
    let screen = render(&mut pane, "en", 80, 24);
    // Shares of ballots: 40 of 50 chose education, 25 health.
    assert!(screen.contains("40 (80%)"), "{screen}");
    assert!(screen.contains("25 (50%)"), "{screen}");
    assert!(screen.contains("shares may exceed 100%"), "{screen}");
    // No turnout series yet.
    assert!(screen.contains("No ballots yet"), "{screen}");
}

#[tokio::test]
async fn a_persian_question_keeps_its_direction_in_the_english_interface() {
    let mut t = new_ctx("en");
    let mut pane = TalliesPane::default();
    let mut consultations = list();
    consultations[1].polls[0].question_en.clear();
    pane.on_answer(Answer::List(ListAnswer(Ok(consultations))), &mut t.ctx());
    pane.on_action(Action::NextItem, &mut t.ctx());
    let screen = render(&mut pane, "en", 160, 48);
    // «موافقید؟» — the question mark ends the Persian sentence, so it is drawn at its left.
    assert!(screen.contains("؟دیقفاوم"), "{screen}");
}

#[tokio::test]
async fn the_turnout_span_is_labelled_in_the_interface_calendar() {
    let mut pane = yes_no_on_screen("en", None);
    let screen = render(&mut pane, "en", 160, 48);
    // First ballot 2024-04-05 06:00 UTC = 09:30 Tehran; the series runs to now (09:20 UTC).
    assert!(screen.contains("2024-04-05 09:30"), "{screen}");
    assert!(screen.contains("2024-04-10 12:30"), "{screen}");
    assert!(screen.contains("each column 2 hours"), "{screen}");
    let mut pane = yes_no_on_screen("fa", None);
    let screen = render(&mut pane, "fa", 160, 48);
    // The same hours in the Jalali calendar: 1403/01/17 and 1403/01/22.
    assert!(screen.contains("۱۴۰۳/۰۱/۱۷"), "{screen}");
    assert!(screen.contains("۱۴۰۳/۰۱/۲۲"), "{screen}");
}

#[tokio::test]
async fn snapshots() {
    for lang in ["fa", "en"] {
        for (width, height) in [(80, 24), (160, 48)] {
            let mut pane = yes_no_on_screen(lang, Some(Breakdown::AgeBand));
            let screen = render(&mut pane, lang, width, height);
            insta::assert_snapshot!(format!("tallies_{lang}_{width}x{height}"), screen);
        }
    }
}

#[tokio::test]
async fn empty_and_loading_states() {
    let mut pane = TalliesPane::default();
    assert!(render(&mut pane, "en", 80, 24).contains("Loading"));
    let mut t = new_ctx("en");
    pane.on_answer(Answer::List(ListAnswer(Ok(vec![]))), &mut t.ctx());
    assert!(render(&mut pane, "en", 80, 24).contains("No consultation has polls yet"));
}

// Against the real backend.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_tallies_from_the_real_backend() {
    use mosharekat_api::{Category, Gender, NewParticipant, NewPoll, Province};
    use mosharekat_server::store::Actor;
    use serde_json::{Value, json};

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let mut config = mosharekat_server::ServerConfig::new(url, "127.0.0.1:0".parse().unwrap());
    // Voters verify a number; the demo gives the code back instead of texting it.
    config.sms.demo = true;
    let server = mosharekat_server::start(config).await.unwrap();
    let hash = mosharekat_server::auth::hash_password("tallies test password").unwrap();
    server
        .store()
        .create_staff("op", &hash, Role::Operator, &Actor::system(), Utc::now())
        .await
        .unwrap();
    let (client, _) = Client::new(server.url().parse().unwrap())
        .login("op", "tallies test password")
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let api = |path: &str| format!("{}/api/v1{path}", server.url());
    let post = |path: String, token: Option<String>, body: Value| {
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
    let token = Some(client.token().unwrap().to_owned());
    let start = Utc::now();
    let c = post(
        api("/consultations"),
        token.clone(),
        json!({"kind": "regulation", "title_fa": "آیین‌نامه‌ی آزمایشی", "title_en": "Trial regulation",
               "summary_fa": "خلاصه", "summary_en": "Summary", "drafting_unit": "واحد",
               "opens_at": start - Duration::days(1), "closes_at": start + Duration::days(39)}),
    )
    .await;
    let cid = c["id"].as_i64().unwrap();
    post(
        api(&format!("/consultations/{cid}/publish")),
        token.clone(),
        json!(null),
    )
    .await;
    let new_poll = NewPoll {
        kind: PollKind::YesNoAbstain,
        question_fa: "آیا موافقید؟".into(),
        question_en: "Do you agree?".into(),
        options: vec![],
    };
    let p = post(
        api(&format!("/consultations/{cid}/polls")),
        token.clone(),
        serde_json::to_value(&new_poll).unwrap(),
    )
    .await;
    let poll: Poll = serde_json::from_value(p).unwrap();
    let participant = |gender: Option<Gender>, province: Option<Province>| {
        serde_json::to_value(NewParticipant {
            display_name: "شرکت‌کننده".into(),
            category: Category::Public,
            birth_year: Some(1990),
            gender,
            province,
            channel: None,
            handle: None,
            consent: true,
            name_public: false,
            language: mosharekat_api::Language::Fa,
        })
        .unwrap()
    };
    let mut voters = Vec::new();
    for (i, (gender, province)) in [
        (Some(Gender::Female), Some(Province::Tehran)),
        (Some(Gender::Male), None),
        (None, Some(Province::Isfahan)),
    ]
    .into_iter()
    .enumerate()
    {
        // Only verified participants vote.
        let phone = format!("0912000000{i}");
        let sent = post(api("/public/verification"), None, json!({"phone": phone})).await;
        let mut body = participant(gender, province);
        body["phone"] = json!(phone);
        body["code"] = sent["demo_code"].clone();
        let created = post(api("/public/participants"), None, body).await;
        voters.push(created["token"].as_str().unwrap().to_owned());
    }
    let vote = |voter: usize, option: usize| {
        post(
            api(&format!("/public/polls/{}/ballots", poll.id)),
            Some(voters[voter].clone()),
            json!({"option_ids": [poll.options[option].id]}),
        )
    };
    vote(0, 0).await;
    vote(1, 0).await;

    let mut t = test_ctx(client.clone(), "fa", Utc::now());
    let mut pane = TalliesPane::default();
    pane.refresh(&mut t.ctx());
    // Answers until the poll's tally is in.
    t.pump(&mut pane, "an answer", |p| {
        p.poll_data(poll.id).is_some_and(|d| d.detailed)
    })
    .await;
    let data = pane.poll_data(poll.id).unwrap();
    assert_eq!(data.ballots, 2);
    assert_eq!(data.count(poll.options[0].id), 2);
    assert_eq!(data.turnout.iter().map(|p| p.ballots).sum::<i64>(), 2);

    // Live: the third ballot comes as an event carrying the new overall tally.
    let (stream_tx, mut stream_rx) = tokio::sync::mpsc::channel(16);
    let stream = crate::client::spawn_event_stream(client.clone(), stream_tx);
    loop {
        match stream_rx.recv().await.unwrap() {
            crate::client::EventStream::Connected => break,
            crate::client::EventStream::Disconnected(e) => panic!("{e}"),
            crate::client::EventStream::Event(_) => {}
        }
    }
    vote(2, 1).await;
    let event = loop {
        let next = tokio::time::timeout(std::time::Duration::from_secs(10), stream_rx.recv())
            .await
            .expect("the ballot event within 10 s")
            .unwrap();
        if let crate::client::EventStream::Event(e) = next
            && matches!(e.kind, EventKind::BallotCast { .. })
        {
            break e;
        }
    };
    pane.on_event(&event, &mut t.ctx());
    let data = pane.poll_data(poll.id).unwrap();
    assert_eq!(data.ballots, 3);
    assert_eq!(data.count(poll.options[1].id), 1);

    // The province breakdown, "not stated" included, a second later.
    pane.on_action(Action::CycleBreakdown, &mut t.ctx());
    pane.on_action(Action::CycleBreakdown, &mut t.ctx());
    pane.on_action(Action::CycleBreakdown, &mut t.ctx());
    assert_eq!(pane.breakdown(), Some(Breakdown::Province));
    t.pump(&mut pane, "an answer", |p| {
        p.poll_data(poll.id)
            .and_then(|d| d.groups.as_ref())
            .is_some_and(|(by, _)| *by == Breakdown::Province)
    })
    .await;
    let (_, groups) = pane.poll_data(poll.id).unwrap().groups.clone().unwrap();
    let mut keys: Vec<(String, i64)> = groups.iter().map(|g| (g.key.clone(), g.ballots)).collect();
    keys.sort();
    assert_eq!(
        keys,
        vec![
            ("isfahan".to_owned(), 1),
            ("tehran".to_owned(), 1),
            ("unknown".to_owned(), 1)
        ]
    );
    stream.abort();
    server.shutdown().await;
}

#[tokio::test]
async fn every_cell_of_a_breakdown_table_has_the_same_format() {
    for (width, height) in [(80, 24), (120, 30), (160, 48)] {
        let mut t = new_ctx("en");
        let mut pane = loaded(&mut t);
        pane.on_action(Action::NextItem, &mut t.ctx());
        pane.on_action(Action::NextPoll, &mut t.ctx());
        pane.on_action(Action::CycleBreakdown, &mut t.ctx());
        pane.on_action(Action::CycleBreakdown, &mut t.ctx());
        assert_eq!(pane.breakdown(), Some(Breakdown::Gender));
        answer(&mut pane, &mut t, likert_tally(), Breakdown::Gender);
        let buffer = draw(&mut pane, "en", width, height);
        let bars: Vec<usize> = ["Female", "Male", "Not stated"]
            .iter()
            .map(|bucket| {
                let text = screen_trimmed(&buffer);
                let y = text
                    .lines()
                    .position(|l| l.contains(bucket) && l.contains('%'))
                    .unwrap_or_else(|| panic!("{bucket} at {width}:\n{text}"));
                bar_runs(&buffer, y as u16).len()
            })
            .collect();
        // Every cell with a non-zero count has its small bar, or none has.
        assert!(
            bars == [0, 0, 0] || bars == [5, 5, 3],
            "{width}: {bars:?}\n{}",
            screen_trimmed(&buffer)
        );
        let with_counts = screen_trimmed(&buffer).contains("10 (25%)");
        let with_percent_only = screen_trimmed(&buffer).contains(" 25%");
        assert!(with_counts != with_percent_only, "{width}");
    }
}

//! The Reports pane: keys and answers through a real `PaneCtx`, the export's file handling,
//! drawing at 80×24 and 160×48 in Persian and English (mirrored, Persian digits, Jalali dates,
//! "<5" cells without bars), snapshots, and one run against the real backend: a 409 before the
//! deadline, generate, publish (the public report appears), export (the file equals the API's).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use mosharekat_api::report::{
    ArticleConcern, Breakdowns, Campaign, Cell, CommentCounts, ConsultationSummary,
    DecisionSummary, Excerpt, KeyConcerns, OptionCount, PartConcern, PollGroup, PollReport,
    TagConcern, TagCount, TermCount, TurnoutDay,
};
use mosharekat_api::{
    ArticleRef, CellCount, Consultation, ConsultationKind, ConsultationStatus, Outcome, PollKind,
    PollOption, PublicDecision, Report, ReportFormat, Role,
};
use ratatui::buffer::Buffer;

use super::{
    Answer, ExportError, ListAnswer, ReportAnswer, ReportsPane, export_path, write_export,
};
use crate::client::{Client, ClientError};
use crate::keymap::{Action, Context};
use crate::panes::testing::{self, Area, TestCtx, screen_trimmed, test_ctx};
use crate::panes::{Answers, PaneView};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 20, 9, 0, 0).unwrap()
}

fn consultation(id: i64, status: ConsultationStatus, fa: &str, en: &str) -> Consultation {
    let opens_at = now() - Duration::days(60 - id);
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
        closes_at: opens_at + Duration::days(40),
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

fn list() -> Vec<Consultation> {
    vec![
        consultation(
            3,
            ConsultationStatus::Open,
            "دستورالعمل ارزشیابی توصیفی",
            "Descriptive assessment instruction",
        ),
        consultation(
            1,
            ConsultationStatus::Closed,
            "آیین‌نامه‌ی تراکم کلاس‌ها",
            "Class size regulation",
        ),
        consultation(
            2,
            ConsultationStatus::Closed,
            "بخشنامه‌ی ساعت کاری مدارس",
            "School hours circular",
        ),
    ]
}

fn cells(keys: &[(&str, Option<i64>)]) -> Vec<Cell> {
    keys.iter()
        .map(|(k, n)| Cell {
            key: (*k).into(),
            count: n.map_or(CellCount::Suppressed, CellCount::Exact),
        })
        .collect()
}

/// A report of consultation 2 (closed most recently: listed first).
fn report() -> Report {
    let c = consultation(2, ConsultationStatus::Closed, "", "");
    let option = |id, fa: &str, en: &str| PollOption {
        id,
        label_fa: fa.into(),
        label_en: en.into(),
    };
    let count = |option_id, n: Option<i64>| OptionCount {
        option_id,
        count: n.map_or(CellCount::Suppressed, CellCount::Exact),
    };
    Report {
        consultation: ConsultationSummary {
            id: 2,
            kind: ConsultationKind::Circular,
            title_fa: "بخشنامه‌ی ساعت کاری مدارس".into(),
            title_en: "School hours circular".into(),
            summary_fa: String::new(),
            summary_en: String::new(),
            drafting_unit: "وزارت آموزش و پرورش".into(),
            opens_at: c.opens_at,
            closes_at: c.closes_at,
            closed_at: c.closes_at,
            portal_url: "https://portal.example/2".into(),
        },
        version: 3,
        generated_at: now() - Duration::hours(2),
        generated_by: "operator1".into(),
        published_at: None,
        published_by: None,
        comments: CommentCounts {
            total: 1240,
            approved: 980,
            rejected: 150,
            hidden: 60,
            pending: 50,
            proposals: 37,
        },
        key_concerns: KeyConcerns {
            tags: vec![
                TagConcern {
                    code: "workload".into(),
                    label_fa: "بار کاری معلمان".into(),
                    label_en: "Teacher workload".into(),
                    count: 412,
                    examples: vec![Excerpt {
                        comment_id: 7,
                        text: "ساعت کاری جدید فشار زیادی به معلمان وارد می‌کند".into(),
                    }],
                },
                TagConcern {
                    code: "transport".into(),
                    label_fa: "رفت‌وآمد".into(),
                    label_en: "Transport".into(),
                    count: 130,
                    examples: vec![Excerpt {
                        comment_id: 9,
                        text: "The school bus timetable must change too (see article 4).".into(),
                    }],
                },
            ],
            campaigns: vec![Campaign {
                group_id: 5,
                size: 220,
                excerpt: Excerpt {
                    comment_id: 11,
                    text: "شروع کلاس‌ها ساعت ۸ باشد نه ۷:۳۰".into(),
                },
            }],
            terms: vec![
                TermCount {
                    term: "معلمان".into(),
                    count: 300,
                },
                TermCount {
                    term: "ساعت".into(),
                    count: 280,
                },
                TermCount {
                    term: "سرویس".into(),
                    count: 90,
                },
            ],
            articles: vec![
                ArticleConcern {
                    article: ArticleRef {
                        article_id: 14,
                        number: 4,
                        label: "۴".into(),
                        version: 2,
                    },
                    heading_fa: Some("ساعت شروع کلاس‌ها".into()),
                    heading_en: Some("When classes start".into()),
                    concerns: PartConcern {
                        comments: 520,
                        approved: 470,
                        proposals: 12,
                        tags: vec![TagCount {
                            code: "transport".into(),
                            label_fa: "رفت‌وآمد".into(),
                            label_en: "Transport".into(),
                            count: 90,
                        }],
                        examples: vec![Excerpt {
                            comment_id: 9,
                            text: "The school bus timetable must change too (see article 4)."
                                .into(),
                        }],
                    },
                },
                ArticleConcern {
                    article: ArticleRef {
                        article_id: 3,
                        number: 2,
                        label: "۲".into(),
                        version: 1,
                    },
                    heading_fa: None,
                    heading_en: None,
                    concerns: PartConcern {
                        comments: 40,
                        approved: 31,
                        proposals: 0,
                        tags: Vec::new(),
                        examples: Vec::new(),
                    },
                },
            ],
            whole_draft: Some(PartConcern {
                comments: 680,
                approved: 479,
                proposals: 25,
                tags: Vec::new(),
                examples: Vec::new(),
            }),
        },
        participants: Breakdowns {
            total: 1310,
            verified: 1200,
            by_age_band: cells(&[
                ("under_18", None),
                ("18_24", Some(120)),
                ("25_34", Some(480)),
                ("35_44", Some(400)),
                ("45_54", Some(200)),
                ("55_64", Some(80)),
                ("65_plus", None),
                ("unknown", Some(26)),
            ]),
            by_gender: cells(&[
                ("female", Some(700)),
                ("male", Some(590)),
                ("other", None),
                ("unknown", Some(18)),
            ]),
            by_province: cells(&[
                ("tehran", Some(600)),
                ("isfahan", Some(300)),
                ("ilam", None),
                ("fars", Some(400)),
                ("unknown", Some(9)),
            ]),
            by_category: cells(&[
                ("scientific_elite", Some(40)),
                ("ngo", Some(25)),
                ("private_sector", None),
                ("public", Some(1240)),
                ("unknown", None),
            ]),
        },
        turnout: (0..12)
            .map(|d| TurnoutDay {
                day: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap() + chrono::Days::new(d),
                comments: [5, 40, 120, 90, 60, 30, 20, 200, 150, 80, 40, 10][d as usize],
                ballots: 10,
                participants: CellCount::Exact(15),
            })
            .collect(),
        polls: vec![PollReport {
            poll_id: 4,
            kind: PollKind::YesNoAbstain,
            question_fa: "آیا با ساعت جدید موافقید؟".into(),
            question_en: "Do you agree with the new hours?".into(),
            options: vec![
                option(41, "بله", "Yes"),
                option(42, "خیر", "No"),
                option(43, "ممتنع", "Abstain"),
            ],
            ballots: 120,
            counts: vec![count(41, Some(70)), count(42, Some(47)), count(43, None)],
            by_age_band: vec![PollGroup {
                key: "25_34".into(),
                ballots: CellCount::Exact(50),
                counts: vec![count(41, Some(30)), count(42, Some(20)), count(43, None)],
            }],
            by_gender: vec![],
            by_province: vec![],
            by_category: vec![],
        }],
        decisions: DecisionSummary {
            accepted: 3,
            partially_accepted: 1,
            rejected: 2,
            items: vec![PublicDecision {
                proposal_id: 12,
                body: "کلاس‌ها ساعت ۸ شروع شوند".into(),
                outcome: Outcome::PartiallyAccepted,
                rationale_fa: "در مناطق سردسیر ساعت ۸ پذیرفته شد.".into(),
                rationale_en: "Accepted for cold regions.".into(),
                legal_basis: "ماده ۳".into(),
                decided_at: now() - Duration::days(3),
                published_at: now() - Duration::days(2),
                group_size: 220,
                article: None,
            }],
        },
        top_participants: vec![
            mosharekat_api::PublicTopParticipant {
                rank: 1,
                display_name: "مریم احمدی".into(),
                points: 42,
            },
            mosharekat_api::PublicTopParticipant {
                rank: 3,
                display_name: "Reza K.".into(),
                points: 17,
            },
        ],
    }
}

fn unreachable_client() -> Client {
    Client::new("http://127.0.0.1:9".parse().unwrap())
}

fn new_ctx(lang: &str) -> TestCtx {
    test_ctx(unreachable_client(), lang, now())
}

/// The list loaded and consultation 2's report answered.
fn loaded(t: &mut TestCtx, dir: &std::path::Path) -> ReportsPane {
    let mut pane = ReportsPane::new(dir.to_owned());
    pane.on_answer(Answer::List(ListAnswer(Ok(list()))), &mut t.ctx());
    pane.on_answer(
        Answer::Report(ReportAnswer {
            consultation_id: 2,
            generated: false,
            draft: Ok(report()),
            published: None,
        }),
        &mut t.ctx(),
    );
    pane
}

#[tokio::test]
async fn closed_consultations_come_first_most_recently_closed_first() {
    let mut t = new_ctx("en");
    let dir = tempfile::tempdir().unwrap();
    let pane = loaded(&mut t, dir.path());
    let ids: Vec<i64> = pane.consultations().iter().map(|c| c.id).collect();
    assert_eq!(ids, vec![2, 1, 3]);
    assert_eq!(pane.current().unwrap().id, 2);
    assert_eq!(pane.entry(2).unwrap().draft.as_ref().unwrap().version, 3);
}

#[tokio::test]
async fn a_409_before_the_deadline_says_when_the_consultation_closes() {
    let mut t = new_ctx("en");
    let dir = tempfile::tempdir().unwrap();
    let mut pane = loaded(&mut t, dir.path());
    pane.on_action(Action::LastItem, &mut t.ctx());
    assert_eq!(pane.current().unwrap().id, 3);
    pane.on_action(Action::Generate, &mut t.ctx());
    assert!(pane.entry(3).unwrap().generating);
    pane.on_answer(
        Answer::Report(ReportAnswer {
            consultation_id: 3,
            generated: true,
            draft: Err(ClientError::Api {
                status: 409,
                code: "consultation_not_closed".into(),
                message: "the report is written after the deadline".into(),
            }),
            published: None,
        }),
        &mut t.ctx(),
    );
    let entry = pane.entry(3).unwrap();
    assert!(!entry.generating);
    let error = entry.error.clone().unwrap();
    assert!(
        error.starts_with("This consultation is open until 2024-05-"),
        "{error}"
    );
    assert_eq!(t.notice.as_deref(), Some(error.as_str()));
    let screen = render(&mut pane, "en", 80, 24);
    assert!(
        screen.contains("This consultation is open until"),
        "{screen}"
    );
}

#[tokio::test]
async fn publishing_asks_first() {
    let mut t = new_ctx("en");
    let dir = tempfile::tempdir().unwrap();
    let mut pane = loaded(&mut t, dir.path());
    pane.on_action(Action::Publish, &mut t.ctx());
    assert_eq!(pane.context(), Context::Dialog);
    let screen = render(&mut pane, "en", 80, 24);
    assert!(
        screen.contains("Publish version 3 of the report"),
        "{screen}"
    );
    pane.on_action(Action::Cancel, &mut t.ctx());
    assert_eq!(pane.context(), Context::Pane(crate::keymap::Pane::Reports));
    assert!(!pane.entry(2).unwrap().publishing);
    pane.on_action(Action::Publish, &mut t.ctx());
    pane.on_action(Action::Submit, &mut t.ctx());
    assert!(pane.entry(2).unwrap().publishing);
}

#[test]
fn exports_never_overwrite_unless_told() {
    let dir = tempfile::tempdir().unwrap();
    let path = export_path(&dir.path().join("exports"), 2, 3, ReportFormat::Html);
    assert!(path.ends_with("exports/report-2-v3.html"));
    write_export(&path, b"first", false).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"first");
    assert_eq!(
        write_export(&path, b"second", false),
        Err(ExportError::Exists(path.clone()))
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"first");
    write_export(&path, b"second", true).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"second");
    // Nothing but the export is left in the folder.
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("report-2-v3.html")]);
}

#[tokio::test]
async fn an_existing_file_is_replaced_only_after_a_yes() {
    let mut t = new_ctx("en");
    let dir = tempfile::tempdir().unwrap();
    let mut pane = loaded(&mut t, dir.path());
    let path = export_path(dir.path(), 2, 3, ReportFormat::Markdown);
    std::fs::write(&path, "kept").unwrap();
    pane.on_action(Action::Export, &mut t.ctx());
    assert_eq!(pane.context(), Context::Dialog);
    let screen = render(&mut pane, "en", 80, 24);
    assert!(screen.contains("Export to"), "{screen}");
    pane.on_action(Action::NextItem, &mut t.ctx());
    pane.on_action(Action::Submit, &mut t.ctx());
    // The file exists: asked, not exported.
    assert_eq!(pane.context(), Context::Dialog);
    assert!(!pane.exporting());
    let screen = render(&mut pane, "en", 160, 48);
    assert!(screen.contains("already exists. Replace it?"), "{screen}");
    pane.on_action(Action::Cancel, &mut t.ctx());
    assert!(!pane.exporting());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept");
    assert_eq!(
        t.notice.as_deref(),
        Some("Not exported: the existing file was kept.")
    );
}

// Drawing.

fn draw(pane: &mut ReportsPane, lang: &str, width: u16, height: u16) -> Buffer {
    testing::draw_pane(
        pane,
        lang,
        (width, height),
        now(),
        Role::Operator,
        Area::PaneArea,
    )
}

fn render(pane: &mut ReportsPane, lang: &str, width: u16, height: u16) -> String {
    screen_trimmed(&draw(pane, lang, width, height))
}

/// Every row of the preview, scrolled through page by page.
fn whole_preview(pane: &mut ReportsPane, t: &mut TestCtx, lang: &str, width: u16) -> String {
    let mut all = String::new();
    for _ in 0..40 {
        all.push_str(&render(pane, lang, width, 24));
        pane.on_action(Action::PageDown, &mut t.ctx());
    }
    all
}

#[tokio::test]
async fn suppressed_cells_read_as_such_and_get_no_bar() {
    let mut t = new_ctx("en");
    let dir = tempfile::tempdir().unwrap();
    let mut pane = loaded(&mut t, dir.path());
    let all = whole_preview(&mut pane, &mut t, "en", 160);
    let ilam = all
        .lines()
        .find(|l| l.contains("Ilam"))
        .unwrap_or_else(|| panic!("{all}"));
    assert!(ilam.contains(" <5 "), "{ilam}");
    // No bar between the label and the value (the scrollbar's thumb may pass beside it).
    let between = &ilam[ilam.find("Ilam").unwrap()..ilam.find("<5").unwrap()];
    assert!(!between.contains('█'), "{ilam}");
    let tehran = all.lines().find(|l| l.contains("Tehran")).unwrap();
    assert!(tehran.contains('█') && tehran.contains(" 600 "), "{tehran}");
    // Provinces by count: Tehran, Fars, Isfahan, then the suppressed, "not stated" last.
    let order: Vec<&str> = ["Tehran", "Fars", "Isfahan", "Ilam"]
        .into_iter()
        .filter(|p| all.contains(p))
        .collect();
    assert_eq!(order.len(), 4);
    let at = |p: &str| all.find(p).unwrap();
    assert!(at("Tehran") < at("Fars") && at("Fars") < at("Isfahan") && at("Isfahan") < at("Ilam"));
    // The published report's labels (the `report.*` keys), in its order.
    let sections = [
        "Comprehensive consultation report",
        "Comments received",
        "Key concerns",
        "Topics",
        "Concerns per article",
        "Article 4",
        "When classes start",
        "Transport (90)",
        "Article 2",
        "The draft as a whole",
        "Largest campaigns",
        "Most frequent terms",
        "Participants",
        "Participant group",
        "Turnout per day",
        "Poll results",
        "Answers to proposals",
        "Top participants",
    ];
    let mut from = 0;
    for section in sections {
        let at = all[from..]
            .find(section)
            .unwrap_or_else(|| panic!("{section} missing or out of order:\n{all}"));
        from += at + section.len();
    }
    for needle in [
        "Teacher workload",
        "412 comments",
        "Identical comments",
        "1310 people commented or voted",
        "shown as “<5”",
        "Do you agree with the new hours?",
        "Partially accepted",
        "2024-04-01",
        "2024-04-12",
    ] {
        assert!(all.contains(needle), "{needle} missing:\n{all}");
    }
}

#[tokio::test]
async fn persian_mirrors_with_persian_digits_and_jalali_dates() {
    let mut t = new_ctx("fa");
    let dir = tempfile::tempdir().unwrap();
    let mut pane = loaded(&mut t, dir.path());
    let buffer = draw(&mut pane, "fa", 80, 24);
    let screen = screen_trimmed(&buffer);
    // The list on the right: the selected consultation's title ends at the right border.
    // «بخشنامه‌ی ساعت کاری مدارس» in visual order, hand-written.
    assert!(screen.contains("سرادم یراک تعاس"), "{screen}");
    // Version and dates in Persian digits, Jalali: generated 1403/02/31.
    assert!(screen.contains("۱۴۰۳/۰۲/۳۱"), "{screen}");
    // Counts in Persian digits (980 approved), never Latin ones.
    assert!(screen.contains("۹۸۰"), "{screen}");
    assert!(
        !screen.contains("980") && !screen.contains("1240"),
        "{screen}"
    );
    let all = whole_preview(&mut pane, &mut t, "fa", 160);
    // Suppressed: "<5" as published, left to right (never mirrored to "5>"), no bar on that row.
    let ilam = all
        .lines()
        .find(|l| l.contains("مالیا"))
        .unwrap_or_else(|| panic!("{all}"));
    assert!(ilam.contains(" <5 "), "{ilam}");
    let between = &ilam[ilam.find("<5").unwrap()..ilam.find("مالیا").unwrap()];
    assert!(!between.contains('█'), "{ilam}");
    // Bars grow from the right: on Tehran's row the bar touches its label on the right.
    let tehran = all.lines().find(|l| l.contains("نارهت")).unwrap();
    let bar_end = tehran.rfind('█').unwrap();
    let label = tehran.find("نارهت").unwrap();
    assert!(bar_end < label, "{tehran}");
    // The turnout's first day in Jalali: 2024-04-01 is 1403/01/13.
    assert!(all.contains("۱۴۰۳/۰۱/۱۳"), "{all}");
}

#[tokio::test]
async fn snapshots() {
    for lang in ["fa", "en"] {
        for (width, height) in [(80, 24), (160, 48)] {
            let mut t = new_ctx(lang);
            let dir = tempfile::tempdir().unwrap();
            let mut pane = loaded(
                &mut t,
                std::path::Path::new("/home/staff/.local/share/mosharekat/exports"),
            );
            drop(dir);
            let screen = render(&mut pane, lang, width, height);
            insta::assert_snapshot!(format!("reports_{lang}_{width}x{height}"), screen);
            // Further down: the concerns per article as records (80×24), the participants
            // (160×48).
            for _ in 0..if height == 24 { 3 } else { 1 } {
                pane.on_action(Action::PageDown, &mut t.ctx());
            }
            let screen = render(&mut pane, lang, width, height);
            insta::assert_snapshot!(format!("reports_{lang}_{width}x{height}_scrolled"), screen);
        }
    }
}

#[tokio::test]
async fn empty_and_no_report_states() {
    let mut t = new_ctx("en");
    let mut pane = ReportsPane::new("/tmp/x".into());
    assert!(render(&mut pane, "en", 80, 24).contains("Loading"));
    pane.on_answer(Answer::List(ListAnswer(Ok(list()))), &mut t.ctx());
    pane.on_answer(
        Answer::Report(ReportAnswer {
            consultation_id: 2,
            generated: false,
            draft: Err(ClientError::Api {
                status: 404,
                code: "not_found".into(),
                message: "report (generate it first) not found".into(),
            }),
            published: None,
        }),
        &mut t.ctx(),
    );
    let screen = render(&mut pane, "en", 80, 24);
    assert!(
        screen.contains("No report yet. Press r to generate"),
        "{screen}"
    );
    pane.on_action(Action::Export, &mut t.ctx());
    assert_eq!(
        t.notice.as_deref(),
        Some("No report yet: generate the draft first.")
    );
}

// Against the real backend.

/// A webhook receiver that refuses (500) until told to accept; counts what it received.
pub(crate) struct Receiver {
    pub url: String,
    pub accept: std::sync::Arc<std::sync::atomic::AtomicBool>,
    pub received: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Receiver {
    pub(crate) async fn start() -> Receiver {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let accept = Arc::new(AtomicBool::new(false));
        let received = Arc::new(AtomicUsize::new(0));
        let (a, r) = (accept.clone(), received.clone());
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (a, r) = (a.clone(), r.clone());
                tokio::spawn(async move {
                    let mut data = Vec::new();
                    let mut buf = [0u8; 4096];
                    // Headers, then as much body as Content-Length says.
                    loop {
                        let Ok(n) = socket.read(&mut buf).await else {
                            return;
                        };
                        if n == 0 {
                            return;
                        }
                        data.extend_from_slice(&buf[..n]);
                        let text = String::from_utf8_lossy(&data).to_string();
                        if let Some(end) = text.find("\r\n\r\n") {
                            let length = text[..end]
                                .lines()
                                .find_map(|l| {
                                    let (k, v) = l.split_once(':')?;
                                    k.eq_ignore_ascii_case("content-length")
                                        .then(|| v.trim().parse::<usize>().ok())?
                                })
                                .unwrap_or(0);
                            if data.len() >= end + 4 + length {
                                break;
                            }
                        }
                    }
                    r.fetch_add(1, Ordering::SeqCst);
                    let answer = if a.load(Ordering::SeqCst) {
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    } else {
                        "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope"
                    };
                    let _ = socket.write_all(answer.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Receiver {
            url,
            accept,
            received,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_publish_and_export_against_the_real_backend() {
    use mosharekat_api::{Category, Channel, Gender, Language, NewParticipant, Province};
    use mosharekat_server::store::Actor;
    use serde_json::{Value, json};

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let mut config = mosharekat_server::ServerConfig::new(url, "127.0.0.1:0".parse().unwrap());
    config.session_ttl = Duration::days(3650);
    let hook = Receiver::start().await;
    let d = &mut config.delivery;
    d.webhook_secret = Some("reports pane test".into());
    d.allow_private_webhooks = true;
    d.max_attempts = 1;
    d.poll_interval = std::time::Duration::from_millis(20);
    d.backoff_base = std::time::Duration::from_millis(20);
    d.backoff_cap = std::time::Duration::from_millis(50);
    let server = mosharekat_server::start(config).await.unwrap();
    let hash = mosharekat_server::auth::hash_password("reports test password").unwrap();
    for (name, role) in [("op", Role::Operator), ("mod", Role::Moderator)] {
        server
            .store()
            .create_staff(name, &hash, role, &Actor::system(), Utc::now())
            .await
            .unwrap();
    }
    let (client, _) = Client::new(server.url().parse().unwrap())
        .login("op", "reports test password")
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let api = |path: &str| format!("{}/api/v1{path}", server.url());
    let call = |method: &str, path: String, token: Option<String>, body: Option<Value>| {
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
            let bytes = resp.bytes().await.unwrap();
            (status, bytes.to_vec())
        }
    };
    let ok = |method: &'static str, path: String, token: Option<String>, body: Option<Value>| {
        let call = &call;
        async move {
            let (status, bytes) = call(method, path.clone(), token, body).await;
            assert!(
                status.is_success(),
                "{method} {path}: {status} {}",
                String::from_utf8_lossy(&bytes)
            );
            serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null)
        }
    };
    let token = Some(client.token().unwrap().to_owned());
    let start = server.state.now();
    let c = ok(
        "POST",
        api("/consultations"),
        token.clone(),
        Some(
            json!({"kind": "circular", "title_fa": "بخشنامه‌ی آزمایشی", "title_en": "Trial circular",
               "summary_fa": "خلاصه", "summary_en": "Summary", "drafting_unit": "واحد",
               "opens_at": start - Duration::days(1), "closes_at": start + Duration::days(39)}),
        ),
    )
    .await;
    let cid = c["id"].as_i64().unwrap();
    ok(
        "POST",
        api(&format!("/consultations/{cid}/publish")),
        token.clone(),
        None,
    )
    .await;
    // Six participants comment; one of them gave a webhook for feedback.
    for i in 0..6 {
        let webhook = i == 0;
        let participant = serde_json::to_value(NewParticipant {
            display_name: format!("شرکت‌کننده {i}"),
            category: Category::Public,
            birth_year: Some(1985),
            gender: Some(if i % 2 == 0 {
                Gender::Female
            } else {
                Gender::Male
            }),
            province: Some(Province::Tehran),
            channel: webhook.then_some(Channel::Webhook),
            handle: webhook.then(|| hook.url.clone()),
            consent: true,
            name_public: false,
            language: Language::Fa,
        })
        .unwrap();
        let created = ok("POST", api("/public/participants"), None, Some(participant)).await;
        let p = created["token"].as_str().unwrap().to_owned();
        ok(
            "POST",
            api(&format!("/public/consultations/{cid}/comments")),
            Some(p),
            Some(json!({"body": format!("ساعت شروع کلاس‌ها دیرتر شود {i}")})),
        )
        .await;
    }

    let export_dir = dir.path().join("exports");
    let mut t = test_ctx(client.clone(), "fa", Utc::now());
    let mut pane = ReportsPane::new(export_dir.clone());
    pane.refresh(&mut t.ctx());
    t.pump(&mut pane, "an answer", |p| {
        p.current().is_some_and(|c| c.id == cid) && p.entry(cid).is_some_and(|e| !e.loading)
    })
    .await;
    assert!(pane.entry(cid).unwrap().missing);

    // Before the deadline: 409, said plainly in Persian.
    pane.on_action(Action::Generate, &mut t.ctx());
    t.pump(&mut pane, "an answer", |p| {
        !p.entry(cid).unwrap().generating
    })
    .await;
    let error = pane.entry(cid).unwrap().error.clone().unwrap();
    assert!(error.starts_with("این نظرخواهی تا "), "{error}");
    assert!(error.contains("باز است"), "{error}");

    // After the deadline: generate, then publish from the pane.
    server.state.config.clock.advance(Duration::days(40));
    pane.on_action(Action::Generate, &mut t.ctx());
    t.pump(&mut pane, "an answer", |p| {
        !p.entry(cid).unwrap().generating
    })
    .await;
    let entry = pane.entry(cid).unwrap();
    assert_eq!(entry.error, None);
    let draft = entry.draft.clone().unwrap();
    assert_eq!((draft.version, draft.participants.total), (1, 6));
    assert_eq!(draft.generated_by, "op");
    assert_eq!(entry.published, None);
    let (status, _) = call(
        "GET",
        api(&format!("/public/consultations/{cid}/report")),
        None,
        None,
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::NOT_FOUND);

    pane.on_action(Action::Publish, &mut t.ctx());
    assert_eq!(pane.context(), Context::Dialog);
    pane.on_action(Action::Submit, &mut t.ctx());
    t.pump(&mut pane, "an answer", |p| {
        !p.entry(cid).unwrap().publishing
    })
    .await;
    let published = pane.entry(cid).unwrap().published.clone().unwrap();
    assert_eq!((published.version, published.by.as_str()), (1, "op"));
    assert!(
        t.notice.as_deref().unwrap().contains("۱ پیام"),
        "{:?}",
        t.notice
    );
    let public: Report = serde_json::from_value(
        ok(
            "GET",
            api(&format!("/public/consultations/{cid}/report")),
            None,
            None,
        )
        .await,
    )
    .unwrap();
    assert_eq!(public.version, 1);
    assert_eq!(public.published_by.as_deref(), Some("op"));
    assert_eq!(public.published_at, Some(published.at));
    let screen = render(&mut pane, "fa", 160, 48);
    // «عمومی:» in visual order.
    assert!(screen.contains(":یمومع"), "{screen}");

    // Export every format: each file holds exactly what the API serves.
    for (i, format) in ReportFormat::ALL.into_iter().enumerate() {
        pane.on_action(Action::Export, &mut t.ctx());
        for _ in 0..i {
            pane.on_action(Action::NextItem, &mut t.ctx());
        }
        pane.on_action(Action::Submit, &mut t.ctx());
        assert!(pane.exporting());
        t.pump(&mut pane, "an answer", |p| !p.exporting()).await;
        let path = export_dir.join(format!("report-{cid}-v1.{}", format.extension()));
        assert_eq!(pane.last_export(), Some(path.as_path()), "{:?}", t.notice);
        assert_eq!(
            t.notice.as_deref(),
            Some(format!("در {} ذخیره شد", path.display()).as_str())
        );
        let (status, served) = call(
            "GET",
            api(&format!(
                "/consultations/{cid}/report?format={}",
                format.as_str()
            )),
            token.clone(),
            None,
        )
        .await;
        assert!(status.is_success());
        assert_eq!(std::fs::read(&path).unwrap(), served, "{format:?}");
    }
    // Again in JSON: asked first; yes replaces it with the same bytes.
    pane.on_action(Action::Export, &mut t.ctx());
    pane.on_action(Action::Submit, &mut t.ctx());
    assert_eq!(pane.context(), Context::Dialog);
    assert!(!pane.exporting());
    pane.on_action(Action::Submit, &mut t.ctx());
    assert!(pane.exporting());
    t.pump(&mut pane, "an answer", |p| !p.exporting()).await;

    // The feedback message to the refusing webhook dies after its one try; the Outbox view
    // retries it, and once the receiver accepts it is delivered.
    crate::panes::outbox::tests::retry_a_dead_message_from_the_console(client.clone(), &hook, cid)
        .await;
    server.shutdown().await;
}

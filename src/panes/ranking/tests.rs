//! The Ranking view: filters cycled by keys (each one a new request, late answers for old filters
//! ignored), the explanation of a score, and snapshots through the app's frame in both languages
//! at 80×24 and 160×48.

use chrono::{DateTime, Duration, TimeZone, Utc};
use mosharekat_api::{
    Category, Contribution, ContributionKind, LeaderboardEntry, LeaderboardQuery,
    LeaderboardResponse, ParticipantScore, Period, Province, Role, ScoringRule,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::app::AppEvent;
use crate::panes::TestCtx;
use crate::panes::certificates::tests::{app, key};
use crate::panes::testing::{SIZES, assert_clean, screen};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 5, 1, 8, 30, 0).unwrap()
}

fn entry(
    rank: i64,
    id: i64,
    name: &str,
    province: Option<Province>,
    category: Category,
    points: i64,
) -> LeaderboardEntry {
    LeaderboardEntry {
        rank,
        participant_id: id,
        display_name: name.into(),
        category,
        province,
        points,
        contributions: points / 2,
        name_public: id % 2 == 0,
    }
}

fn board(query: &LeaderboardQuery) -> LeaderboardResponse {
    LeaderboardResponse {
        period: query.period,
        from: query.period.days().map(|d| t0() - Duration::days(d)),
        generated_at: t0(),
        province: query.province,
        category: query.category,
        consultation_id: query.consultation_id,
        entries: vec![
            entry(
                1,
                11,
                "مریم احمدی",
                Some(Province::Tehran),
                Category::ScientificElite,
                42,
            ),
            entry(2, 12, "Sara", Some(Province::Isfahan), Category::Public, 30),
            entry(2, 13, "رضا", None, Category::Ngo, 30),
            entry(
                4,
                14,
                "x\u{202E}evil",
                Some(Province::Gilan),
                Category::PrivateSector,
                7,
            ),
        ],
    }
}

fn contribution(
    kind: ContributionKind,
    points: i64,
    days_ago: i64,
    consultation: i64,
) -> Contribution {
    Contribution {
        kind,
        points,
        consultation_id: consultation,
        subject_id: 500 + days_ago,
        duplicate_group_id: None,
        copies: 1,
        earned_at: t0() - Duration::days(days_ago),
    }
}

fn score() -> ParticipantScore {
    ParticipantScore {
        participant_id: 11,
        display_name: "مریم احمدی".into(),
        category: Category::ScientificElite,
        province: Some(Province::Tehran),
        total: 45,
        contributions: vec![
            contribution(ContributionKind::ProposalAccepted, 20, 2, 7),
            contribution(ContributionKind::Comment, 5, 3, 7),
            contribution(ContributionKind::Ballot, 1, 4, 7),
            contribution(ContributionKind::Comment, 5, 40, 3),
            Contribution {
                copies: 4,
                ..contribution(ContributionKind::Endorsement, 2, 50, 3)
            },
        ],
        rules: ContributionKind::ALL
            .into_iter()
            .map(|kind| ScoringRule {
                kind,
                points: match kind {
                    ContributionKind::ProposalAccepted => 20,
                    ContributionKind::ProposalPartiallyAccepted => 10,
                    ContributionKind::Comment => 5,
                    ContributionKind::Endorsement => 2,
                    _ => 1,
                },
                description_fa: String::new(),
                description_en: String::new(),
            })
            .collect(),
    }
}

fn ctx() -> TestCtx {
    TestCtx::new(Role::Admin, "admin1", "en")
}

fn answer(pane: &mut RankingPane, t: &mut TestCtx) {
    let query = pane.query().clone();
    pane.on_answer(
        Answer::Board(BoardAnswer {
            result: Ok(board(&query)),
            query,
        }),
        &mut t.ctx(),
    );
}

#[tokio::test]
async fn filters_cycle_and_each_change_asks_again() {
    let mut t = ctx();
    let mut pane = RankingPane::new();
    pane.refresh(&mut t.ctx());
    answer(&mut pane, &mut t);
    assert_eq!(pane.entries().len(), 4);
    pane.on_action(Action::NextItem, &mut t.ctx());
    assert_eq!(pane.selected().unwrap().participant_id, 12);

    let old = pane.query().clone();
    pane.on_action(Action::CyclePeriod, &mut t.ctx());
    assert_eq!(pane.query().period, Period::Week);
    assert_eq!(pane.query().limit, Some(LIMIT));
    // An answer for the filters before is not what is asked for now.
    pane.on_answer(
        Answer::Board(BoardAnswer {
            result: Ok(LeaderboardResponse {
                entries: vec![],
                ..board(&old)
            }),
            query: old,
        }),
        &mut t.ctx(),
    );
    assert_eq!(pane.entries().len(), 4);
    assert!(pane.remote.is_loading());
    answer(&mut pane, &mut t);
    assert!(!pane.remote.is_loading());
    assert_eq!(
        pane.selected().unwrap().participant_id,
        11,
        "new filters start from the top"
    );

    for expected in [Period::Month, Period::Year, Period::All] {
        pane.on_action(Action::CyclePeriod, &mut t.ctx());
        assert_eq!(pane.query().period, expected);
    }
    pane.on_action(Action::CycleProvince, &mut t.ctx());
    assert_eq!(pane.query().province, Some(Province::ALL[0]));
    for _ in 1..Province::ALL.len() {
        pane.on_action(Action::CycleProvince, &mut t.ctx());
    }
    assert_eq!(pane.query().province, Some(*Province::ALL.last().unwrap()));
    pane.on_action(Action::CycleProvince, &mut t.ctx());
    assert_eq!(pane.query().province, None);

    let mut categories = vec![];
    for _ in 0..5 {
        pane.on_action(Action::CycleCategory, &mut t.ctx());
        categories.push(pane.query().category);
    }
    let mut expected: Vec<Option<Category>> = Category::ALL.into_iter().map(Some).collect();
    expected.push(None);
    assert_eq!(categories, expected);

    // Consultations come from the backend; with none known the filter stays on all.
    pane.on_action(Action::CycleConsultation, &mut t.ctx());
    assert_eq!(pane.query().consultation_id, None);
    pane.consultations = vec![
        ConsultationChoice {
            id: 7,
            title_fa: "آیین‌نامه".into(),
            title_en: "Regulation".into(),
        },
        ConsultationChoice {
            id: 3,
            title_fa: "طرح".into(),
            title_en: String::new(),
        },
    ];
    let mut ids = vec![];
    for _ in 0..3 {
        pane.on_action(Action::CycleConsultation, &mut t.ctx());
        ids.push(pane.query().consultation_id);
    }
    assert_eq!(ids, vec![Some(7), Some(3), None]);
}

#[tokio::test]
async fn explain_asks_for_the_score_once_and_shows_its_contributions() {
    let mut t = ctx();
    let mut pane = RankingPane::new();
    answer(&mut pane, &mut t);
    pane.on_action(Action::Explain, &mut t.ctx());
    assert_eq!(pane.explaining, Some(11));
    pane.on_answer(
        Answer::Score(ScoreAnswer {
            participant_id: 11,
            result: Ok(score()),
        }),
        &mut t.ctx(),
    );
    assert_eq!(pane.explaining, None);
    assert_eq!(pane.score(11).unwrap().total, 45);
}

// ---- snapshots through the app's frame ----

fn working_app(lang: &str, dir: &std::path::Path, period: bool) -> crate::app::App {
    let mut app = app(lang, dir);
    app.on_key(key('8'), t0());
    if period {
        // The last 30 days: older contributions are dimmed in the explanation.
        app.on_key(key('p'), t0());
        app.on_key(key('p'), t0());
    }
    let mut query = LeaderboardQuery {
        limit: Some(LIMIT),
        ..LeaderboardQuery::default()
    };
    if period {
        query.period = Period::Month;
    }
    for answer in [
        Answer::Board(BoardAnswer {
            result: Ok(board(&query)),
            query,
        }),
        Answer::Score(ScoreAnswer {
            participant_id: 11,
            result: Ok(score()),
        }),
    ] {
        app.on_event(AppEvent::Answer(answer.into()), t0());
    }
    app
}

#[tokio::test]
async fn snapshots_in_the_app_frame() {
    for lang in ["fa", "en"] {
        for (w, h) in SIZES {
            let dir = tempfile::tempdir().unwrap();
            let mut app = working_app(lang, dir.path(), true);
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            app.render(&mut terminal, t0()).unwrap();
            let buffer = terminal.backend().buffer().clone();
            assert_clean(&buffer, &format!("ranking {lang} {w}x{h}"));
            insta::assert_snapshot!(format!("ranking_{lang}_{w}x{h}"), screen(&buffer));
        }
    }
}

#[tokio::test]
async fn a_persian_name_reads_in_visual_order_and_the_list_sits_on_the_reading_side() {
    let dir = tempfile::tempdir().unwrap();
    let mut fa = working_app("fa", dir.path(), false);
    let mut en = working_app("en", dir.path(), false);
    let draw = |app: &mut crate::app::App| {
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
        app.render(&mut terminal, t0()).unwrap();
        screen(terminal.backend().buffer())
    };
    let fa = draw(&mut fa);
    let en = draw(&mut en);
    // «مریم احمدی» on screen, written by hand in visual order.
    assert!(fa.contains("یدمحا میرم"), "{fa}");
    assert!(!fa.contains("مریم احمدی"));
    let column = |text: &str, needle: &str| {
        text.lines()
            .find_map(|l| l.find(needle).map(|b| l[..b].chars().count()))
            .unwrap_or_else(|| panic!("`{needle}` not found"))
    };
    assert!(column(&en, "Sara") < 80);
    assert!(column(&fa, "Sara") >= 80);
}

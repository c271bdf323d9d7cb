//! One frame of the Tallies pane at 200×60 in Persian and English: a yes/no/abstain poll with
//! 12 000 ballots, the province breakdown (all 31 provinces and "not stated") and 30 days of
//! hourly turnout.

use std::hint::black_box;

use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use mosharekat::i18n::{I18n, Locale};
use mosharekat::keymap::Keymap;
use mosharekat::panes::PaneView;
use mosharekat::panes::tallies::{ConsultationPolls, TalliesPane};
use mosharekat::theme::Theme;
use mosharekat::ui::Ui;
use mosharekat_api::{
    Breakdown, Consultation, ConsultationKind, ConsultationStatus, Poll, PollKind, PollOption,
    Province, Role, Tally, TallyCell, TallyGroup, TurnoutPoint,
};
use mosharekat_rtl::{BidiMode, LayoutOptions, Shaping};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn pane() -> TalliesPane {
    let now = Utc.with_ymd_and_hms(2024, 4, 10, 9, 0, 0).unwrap();
    let opens_at = now - Duration::days(30);
    let consultation = Consultation {
        id: 1,
        kind: ConsultationKind::Regulation,
        status: ConsultationStatus::Open,
        title_fa: "آیین‌نامه اجرایی مدارس غیردولتی".into(),
        title_en: "Executive regulation of non-governmental schools".into(),
        summary_fa: String::new(),
        summary_en: String::new(),
        drafting_unit: "وزارت آموزش و پرورش".into(),
        opens_at,
        closes_at: opens_at + Duration::days(45),
        portal_url: String::new(),
        short_window_reason: None,
        published_at: Some(opens_at),
        closed_early_at: None,
        closed_early_reason: None,
        created_at: opens_at,
        updated_at: opens_at,
        comment_count: 0,
        report_published_at: None,
    };
    let options: Vec<PollOption> = PollKind::YesNoAbstain
        .fixed_options()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, o)| PollOption {
            id: i as i64 + 1,
            label_fa: o.label_fa,
            label_en: o.label_en,
        })
        .collect();
    let poll = Poll {
        id: 1,
        consultation_id: 1,
        kind: PollKind::YesNoAbstain,
        question_fa: "آیا با افزایش ساعت کار مدارس موافقید؟".into(),
        question_en: "Do you agree with longer school hours?".into(),
        options,
        total_ballots: 12_000,
        created_at: opens_at,
    };
    let cells = |counts: [i64; 3]| -> Vec<TallyCell> {
        counts
            .iter()
            .enumerate()
            .map(|(i, &count)| TallyCell {
                option_id: i as i64 + 1,
                count,
            })
            .collect()
    };
    let mut groups: Vec<TallyGroup> = Province::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let n = 60 + 13 * i as i64;
            TallyGroup {
                key: p.code().into(),
                ballots: n,
                counts: cells([n / 2, n / 3, n - n / 2 - n / 3]),
            }
        })
        .collect();
    groups.push(TallyGroup {
        key: "unknown".into(),
        ballots: 4,
        counts: cells([2, 1, 1]),
    });
    let tally = Tally {
        poll_id: 1,
        ballots: 12_000,
        counts: cells([6_500, 4_000, 1_500]),
        by: Some(Breakdown::Province),
        groups,
        turnout: (0..30 * 24)
            .map(|h| TurnoutPoint {
                at: opens_at + Duration::hours(h),
                ballots: (h * 7919) % 40,
            })
            .collect(),
    };
    let mut pane = TalliesPane::default();
    pane.set_list(vec![ConsultationPolls {
        consultation,
        polls: vec![poll],
    }]);
    pane.set_tally(Breakdown::Province, tally);
    pane.set_breakdown(Some(Breakdown::Province));
    pane
}

fn frame(c: &mut Criterion) {
    let theme = Theme::embedded("dark").expect("dark theme");
    let keymap = Keymap::embedded_default();
    for lang in ["fa", "en"] {
        let i18n = I18n::new(Locale::embedded(lang).expect("locale"));
        let ui = Ui::new(
            &i18n,
            &theme,
            &keymap,
            LayoutOptions::new(BidiMode::App, Shaping::Off),
            Utc.with_ymd_and_hms(2024, 4, 10, 9, 0, 0).unwrap(),
            Role::Operator,
        );
        let mut pane = pane();
        let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test terminal");
        c.bench_function(&format!("tallies pane frame 200x60 {lang}"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| pane.draw(f, f.area(), &ui))
                    .expect("draw");
                black_box(terminal.backend().buffer().area);
            })
        });
    }
}

criterion_group!(benches, frame);
criterion_main!(benches);

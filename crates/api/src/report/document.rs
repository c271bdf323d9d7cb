//! A report laid out for readers of one language as headings, paragraphs, lists and tables,
//! every label from that language's catalogue (the locale files, [`mosharekat_locale`]). The
//! server renders these blocks to Markdown, HTML and CSV; the labels, counts, days and "<5"
//! suppression here are the ones the console's preview shows. Text here is plain: each renderer
//! escapes it.

use chrono::{DateTime, NaiveDate, Utc};
use mosharekat_locale::calendar::{jalali, tehran_day};
use mosharekat_locale::{CalendarKind, Catalogue};

use super::{Excerpt, PollReport, SUPPRESSED, bucket_keys};
use crate::poll::UNKNOWN_BUCKET;
use crate::{Breakdown, CellCount, Report};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(u8, String),
    Paragraph(String),
    /// Bullet points.
    Items(Vec<String>),
    Table(Table),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// A stable name for the table (CSV section name), the same in every language.
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The first column holds machine codes (bucket and tag codes): kept in CSV, not shown to
    /// readers.
    pub coded: bool,
}

/// The breakdowns in the order a report shows them.
pub const DIMENSIONS: [Breakdown; 4] = [
    Breakdown::AgeBand,
    Breakdown::Gender,
    Breakdown::Province,
    Breakdown::Category,
];

/// The catalogue key naming bucket `key` of a breakdown (`gender.female`; "not stated" for the
/// unknown bucket).
pub fn bucket_label_key(dimension: Breakdown, key: &str) -> String {
    if key == UNKNOWN_BUCKET {
        "common.not_stated".to_owned()
    } else {
        format!("{}.{key}", dimension.as_str())
    }
}

/// A bucket's name in a catalogue; its code when the catalogue has no name for it.
pub fn bucket_label(catalogue: &Catalogue, dimension: Breakdown, key: &str) -> String {
    catalogue
        .get(&bucket_label_key(dimension, key))
        .unwrap_or(key)
        .to_owned()
}

/// A count of people as published: its number in the catalogue's digits, or "<5".
pub fn count_text(count: CellCount, catalogue: &Catalogue) -> String {
    match count {
        CellCount::Exact(n) => catalogue.number(n),
        CellCount::Suppressed => SUPPRESSED.to_owned(),
    }
}

/// A Tehran day as a reader of the catalogue's language writes it: `1403/01/01` (Jalali) or
/// `2024-03-20`, in the language's digits.
pub fn day(day: NaiveDate, catalogue: &Catalogue) -> String {
    let text = match catalogue.calendar() {
        CalendarKind::Persian => {
            let d = jalali(day);
            format!("{}/{:02}/{:02}", d.year, d.month, d.day)
        }
        CalendarKind::Gregorian => day.format("%Y-%m-%d").to_string(),
    };
    catalogue.localise_digits(text).into_owned()
}

/// The Tehran day of `at`, as [`day`] writes it.
pub fn date(at: DateTime<Utc>, catalogue: &Catalogue) -> String {
    day(tehran_day(at), catalogue)
}

/// Builds the blocks of one report in one language.
struct Builder<'a> {
    catalogue: &'a Catalogue,
    /// Persian readers get the Persian texts of the report; others the English ones.
    persian: bool,
    blocks: Vec<Block>,
}

impl Builder<'_> {
    fn t(&self, key: &str) -> String {
        self.catalogue.text(key).to_owned()
    }

    fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.catalogue.format(key, args)
    }

    fn n(&self, value: i64) -> String {
        self.catalogue.number(value)
    }

    /// Of a text kept in both languages, the reader's; English falls back to Persian when empty.
    fn pick<'t>(&self, fa: &'t str, en: &'t str) -> &'t str {
        if self.persian || en.trim().is_empty() {
            fa
        } else {
            en
        }
    }

    fn heading(&mut self, level: u8, text: String) {
        self.blocks.push(Block::Heading(level, text));
    }

    /// Column headers: the labels under `keys`.
    fn headers(&self, keys: &[&str]) -> Vec<String> {
        keys.iter().map(|key| self.t(key)).collect()
    }

    fn table(&mut self, name: String, coded: bool, headers: Vec<String>, rows: Vec<Vec<String>>) {
        self.blocks.push(Block::Table(Table {
            name,
            headers,
            rows,
            coded,
        }));
    }
}

/// The whole report for readers of `catalogue`'s language.
pub fn build(report: &Report, catalogue: &Catalogue) -> Vec<Block> {
    let mut b = Builder {
        catalogue,
        persian: catalogue.code() == "fa",
        blocks: Vec::new(),
    };
    let c = &report.consultation;
    let english_title = !b.persian && !c.title_en.trim().is_empty();
    let (title, summary) = if english_title {
        (&c.title_en, &c.summary_en)
    } else {
        (&c.title_fa, &c.summary_fa)
    };
    b.heading(1, b.t("report.title"));
    b.heading(2, title.clone());
    if !summary.trim().is_empty() {
        b.blocks.push(Block::Paragraph(summary.clone()));
    }
    let kind = b.t(&format!("consultation_kind.{}", c.kind.as_str()));
    let mut facts = vec![
        format!("{}: {kind}", b.t("report.draft")),
        format!("{}: {}", b.t("report.drafting_unit"), c.drafting_unit),
        format!(
            "{}: {} – {}",
            b.t("report.comment_period"),
            date(c.opens_at, catalogue),
            date(c.closed_at, catalogue)
        ),
        b.f(
            "report.version_line",
            &[
                ("version", &b.n(report.version)),
                ("date", &date(report.generated_at, catalogue)),
                ("by", &report.generated_by),
            ],
        ),
    ];
    if let (Some(at), Some(by)) = (report.published_at, &report.published_by) {
        facts.push(format!(
            "{}: {} ({by})",
            b.t("report.published"),
            date(at, catalogue)
        ));
    }
    if !c.portal_url.is_empty() {
        facts.push(format!("{}: {}", b.t("report.on_portal"), c.portal_url));
    }
    b.blocks.push(Block::Items(facts));

    let counts = &report.comments;
    let summary = b.f(
        "report.comments_summary",
        &[
            ("total", &b.n(counts.total)),
            ("approved", &b.n(counts.approved)),
            ("rejected", &b.n(counts.rejected)),
            ("hidden", &b.n(counts.hidden)),
            ("pending", &b.n(counts.pending)),
            ("proposals", &b.n(counts.proposals)),
        ],
    );
    b.blocks.push(Block::Paragraph(summary));

    key_concern_blocks(&mut b, report);
    participant_blocks(&mut b, report);

    if !report.polls.is_empty() {
        b.heading(2, b.t("report.poll_results"));
        for poll in &report.polls {
            poll_blocks(&mut b, poll);
        }
    }
    decision_blocks(&mut b, report);
    top_participant_blocks(&mut b, report);
    b.blocks
}

fn key_concern_blocks(b: &mut Builder, report: &Report) {
    let k = &report.key_concerns;
    b.heading(2, b.t("report.key_concerns"));
    b.heading(3, b.t("report.topics"));
    let rows = k
        .tags
        .iter()
        .map(|tag| {
            vec![
                tag.code.clone(),
                if b.persian {
                    tag.label_fa.clone()
                } else {
                    tag.label_en.clone()
                },
                b.n(tag.count),
                tag.examples
                    .iter()
                    .map(|e| format!("«{}»", e.text))
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        })
        .collect();
    b.table(
        "concern_tags".into(),
        true,
        b.headers(&[
            "report.code",
            "report.topic",
            "report.comments",
            "report.examples",
        ]),
        rows,
    );
    b.heading(3, b.t("report.largest_campaigns"));
    let rows = k
        .campaigns
        .iter()
        .map(|g| vec![b.n(g.group_id), b.n(g.size), g.excerpt.text.clone()])
        .collect();
    b.table(
        "campaigns".into(),
        false,
        b.headers(&["report.group", "report.identical_comments", "report.text"]),
        rows,
    );
    b.heading(3, b.t("report.frequent_terms"));
    let rows = k
        .terms
        .iter()
        .map(|term| vec![term.term.clone(), b.n(term.count)])
        .collect();
    b.table(
        "terms".into(),
        false,
        b.headers(&["report.term", "report.comments"]),
        rows,
    );
}

fn participant_blocks(b: &mut Builder, report: &Report) {
    let catalogue = b.catalogue;
    let p = &report.participants;
    b.heading(2, b.t("report.participants"));
    let summary = b.f(
        "report.participants_summary",
        &[("total", &b.n(p.total)), ("suppressed", SUPPRESSED)],
    );
    b.blocks.push(Block::Paragraph(summary));
    for dimension in DIMENSIONS {
        let title_key = format!("report.dimension.{}", dimension.as_str());
        b.heading(3, b.t(&title_key));
        let rows = p
            .by(dimension)
            .iter()
            .map(|cell| {
                vec![
                    cell.key.clone(),
                    bucket_label(catalogue, dimension, &cell.key),
                    count_text(cell.count, catalogue),
                ]
            })
            .collect();
        b.table(
            format!("participants_by_{}", dimension.as_str()),
            true,
            b.headers(&["report.key", &title_key, "report.people"]),
            rows,
        );
    }

    b.heading(2, b.t("report.turnout"));
    let rows = report
        .turnout
        .iter()
        .map(|d| {
            vec![
                day(d.day, catalogue),
                b.n(d.comments),
                b.n(d.ballots),
                count_text(d.participants, catalogue),
            ]
        })
        .collect();
    b.table(
        "turnout".into(),
        false,
        b.headers(&[
            "report.day",
            "report.comments",
            "report.ballots",
            "report.participants",
        ]),
        rows,
    );
}

fn poll_blocks(b: &mut Builder, poll: &PollReport) {
    let catalogue = b.catalogue;
    let option_label = |i: usize| {
        poll.options
            .get(i)
            .map(|o| b.pick(&o.label_fa, &o.label_en).to_owned())
            .unwrap_or_default()
    };
    let options: Vec<String> = (0..poll.options.len()).map(option_label).collect();
    let question = b.pick(&poll.question_fa, &poll.question_en).to_owned();
    b.heading(3, question);
    let ballots = b.f("report.poll_ballots", &[("count", &b.n(poll.ballots))]);
    b.blocks.push(Block::Paragraph(ballots));
    let rows = poll
        .counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                options.get(i).cloned().unwrap_or_default(),
                count_text(c.count, catalogue),
            ]
        })
        .collect();
    b.table(
        format!("poll_{}", poll.poll_id),
        false,
        b.headers(&["report.option", "report.people"]),
        rows,
    );
    for dimension in DIMENSIONS {
        let title_key = format!("report.dimension.{}", dimension.as_str());
        b.heading(4, b.t(&title_key));
        let mut headers = b.headers(&["report.key", &title_key, "report.ballots_column"]);
        headers.extend(options.iter().cloned());
        let groups = poll.by(dimension);
        debug_assert_eq!(groups.len(), bucket_keys(dimension).len());
        let rows = groups
            .iter()
            .map(|g| {
                let mut row = vec![
                    g.key.clone(),
                    bucket_label(catalogue, dimension, &g.key),
                    count_text(g.ballots, catalogue),
                ];
                row.extend(g.counts.iter().map(|c| count_text(c.count, catalogue)));
                row
            })
            .collect();
        b.table(
            format!("poll_{}_by_{}", poll.poll_id, dimension.as_str()),
            true,
            headers,
            rows,
        );
    }
}

fn decision_blocks(b: &mut Builder, report: &Report) {
    let d = &report.decisions;
    b.heading(2, b.t("report.answers"));
    let summary = b.f(
        "report.decisions_summary",
        &[
            ("accepted", &b.n(d.accepted)),
            ("partially_accepted", &b.n(d.partially_accepted)),
            ("rejected", &b.n(d.rejected)),
        ],
    );
    b.blocks.push(Block::Paragraph(summary));
    let rows = d
        .items
        .iter()
        .map(|item| {
            let (outcome, rationale) = if b.persian {
                (item.outcome.label_fa(), &item.rationale_fa)
            } else {
                (item.outcome.label_en(), &item.rationale_en)
            };
            vec![
                b.n(item.proposal_id),
                Excerpt::of(item.proposal_id, &item.body).text,
                b.n(item.group_size),
                outcome.to_owned(),
                rationale.clone(),
                item.legal_basis.clone(),
            ]
        })
        .collect();
    b.table(
        "decisions".into(),
        false,
        b.headers(&[
            "report.proposal",
            "report.proposal_text",
            "report.group_size",
            "report.outcome",
            "report.reason",
            "report.legal_basis",
        ]),
        rows,
    );
}

/// Public recognition: the named top participants (only those who consented to be named).
fn top_participant_blocks(b: &mut Builder, report: &Report) {
    if report.top_participants.is_empty() {
        return;
    }
    b.heading(2, b.t("report.top_participants"));
    b.blocks
        .push(Block::Paragraph(b.t("report.top_participants_note")));
    let rows = report
        .top_participants
        .iter()
        .map(|p| vec![b.n(p.rank), p.display_name.clone(), b.n(p.points)])
        .collect();
    b.table(
        "top_participants".into(),
        false,
        b.headers(&["report.rank", "report.name", "report.points"]),
        rows,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue(code: &str) -> &'static Catalogue {
        Catalogue::builtin(code).unwrap()
    }

    #[test]
    fn every_bucket_has_a_name_in_both_languages() {
        for d in DIMENSIONS {
            for key in bucket_keys(d) {
                for code in ["fa", "en"] {
                    let label = bucket_label(catalogue(code), d, key);
                    assert!(!label.is_empty() && label != key, "{d:?} {key} {code}");
                }
            }
        }
        assert_eq!(
            bucket_label(catalogue("fa"), Breakdown::Gender, UNKNOWN_BUCKET),
            "اعلام\u{200C}نشده"
        );
    }

    #[test]
    fn days_in_each_calendar_and_digits() {
        let nowruz = NaiveDate::from_ymd_opt(2024, 3, 20).unwrap();
        assert_eq!(day(nowruz, catalogue("fa")), "۱۴۰۳/۰۱/۰۱");
        assert_eq!(day(nowruz, catalogue("en")), "2024-03-20");
        // 21:00 UTC is already the next day in Tehran.
        let evening = nowruz.and_hms_opt(21, 0, 0).unwrap().and_utc();
        assert_eq!(date(evening, catalogue("en")), "2024-03-21");
        assert_eq!(count_text(CellCount::Exact(12), catalogue("fa")), "۱۲");
        assert_eq!(count_text(CellCount::Suppressed, catalogue("fa")), "<5");
    }
}

//! A report laid out for readers of one language as blocks, every label from that language's
//! catalogue (the locale files, [`mosharekat_locale`]). A block says what is shown (a
//! distribution of people, activity per day, figures that belong together, a table) and each
//! renderer decides how: the server writes Markdown, HTML and CSV (a distribution as a table),
//! the console's preview draws the same blocks (a distribution as bars, the days as a
//! sparkline). Text here is plain and marked by who wrote it ([`Text`], [`ColumnKind`]): each
//! renderer escapes or sanitises it.

use chrono::{DateTime, NaiveDate, Utc};
use mosharekat_locale::calendar::{jalali, tehran_day};
use mosharekat_locale::{CalendarKind, Catalogue};

use super::{Excerpt, PartConcern, PollReport, SUPPRESSED, TurnoutDay};
use crate::poll::UNKNOWN_BUCKET;
use crate::{Breakdown, CellCount, Report};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(u8, Text),
    Paragraph(Text),
    /// Bullet points: interface lines with values filled in.
    Items(Vec<String>),
    Figures(Figures),
    Distribution(Distribution),
    Daily(Daily),
    Table(Table),
}

/// A text of the document, by who wrote it. Renderers escape both; a display lays out interface
/// text in the interface's direction and written text in its own (and sanitises it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// A locale string, values filled in.
    Label(String),
    /// Text a person wrote: a consultation's title, a poll question, a comment, a name.
    Written(String),
}

impl Text {
    pub fn as_str(&self) -> &str {
        match self {
            Text::Label(text) | Text::Written(text) => text,
        }
    }

    pub fn is_written(&self) -> bool {
        matches!(self, Text::Written(_))
    }
}

/// Counts that belong together (comments by moderation outcome, decisions by outcome): one
/// sentence in prose, label and value rows on a display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// The counts as one sentence, in the reader's digits.
    pub sentence: String,
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub label: String,
    pub value: i64,
}

/// What a distribution counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// People: a count under five is suppressed ([`CellCount::Suppressed`]).
    People,
    /// Comments: never suppressed.
    Comments,
}

/// A count spread over named rows (participants by bucket, ballots by option, comments by tag or
/// term), in the published order: a table in print, bars on a display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    /// A stable name (CSV section name), the same in every language.
    pub name: String,
    /// The header of the rows' machine codes, when they have codes (bucket and tag codes: kept
    /// in CSV, not shown to readers).
    pub code_header: Option<String>,
    pub label_header: String,
    pub count_header: String,
    /// The header of the representative comments, when rows carry them.
    pub examples_header: Option<String>,
    /// Whether the labels are text a person wrote (tags, terms, poll options) rather than
    /// interface labels (buckets).
    pub written_labels: bool,
    pub unit: Unit,
    /// The rows have no order of their own (provinces): a display may rank them by count.
    pub ranked: bool,
    /// What the rows are parts of, when they are read as parts of it (a poll's ballots: each
    /// option's share of them); none when the rows are compared with each other.
    pub whole: Option<i64>,
    pub rows: Vec<Share>,
}

/// One row of a [`Distribution`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// The row's machine code (empty when the distribution has none); `unknown` for "not
    /// stated".
    pub code: String,
    pub label: String,
    pub count: CellCount,
    /// The count as published: the reader's digits, or "<5".
    pub shown: String,
    /// Representative comments (text citizens wrote).
    pub examples: Vec<String>,
}

impl Distribution {
    /// The distribution as a published table: code, label, count and examples columns.
    pub fn table(&self) -> Table {
        let mut columns = Vec::with_capacity(4);
        if let Some(header) = &self.code_header {
            columns.push(Column::label(header, ColumnKind::Code));
        }
        let label_kind = if self.written_labels {
            ColumnKind::Written
        } else {
            ColumnKind::Label
        };
        columns.push(Column::label(&self.label_header, label_kind));
        columns.push(Column::label(&self.count_header, ColumnKind::Number));
        if let Some(header) = &self.examples_header {
            columns.push(Column::label(header, ColumnKind::Written));
        }
        let rows = self
            .rows
            .iter()
            .map(|share| {
                let mut row = Vec::with_capacity(columns.len());
                if self.code_header.is_some() {
                    row.push(share.code.clone());
                }
                row.push(share.label.clone());
                row.push(share.shown.clone());
                if self.examples_header.is_some() {
                    let quoted: Vec<String> =
                        share.examples.iter().map(|e| format!("«{e}»")).collect();
                    row.push(quoted.join(" "));
                }
                row
            })
            .collect();
        Table {
            name: self.name.clone(),
            columns,
            rows,
        }
    }
}

/// Activity per day, the first day with activity to the last: a table in print, a chart on a
/// display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Daily {
    /// The days as published (day, comments, ballots, people).
    pub table: Table,
    pub days: Vec<TurnoutDay>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// A stable name for the table (CSV section name), the same in every language.
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Usually a label; a poll option's name heads its column as written.
    pub header: Text,
    pub kind: ColumnKind,
}

impl Column {
    fn label(header: &str, kind: ColumnKind) -> Column {
        Column {
            header: Text::Label(header.to_owned()),
            kind,
        }
    }
}

/// What a column's cells hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Machine codes (bucket and tag codes): kept in CSV, not shown to readers.
    Code,
    /// Interface labels (bucket names, outcomes).
    Label,
    /// Text a person wrote (comments, rationales, names).
    Written,
    /// Numbers, days and "<5", in the reader's digits.
    Number,
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
        self.blocks.push(Block::Heading(level, Text::Label(text)));
    }

    fn paragraph(&mut self, text: String) {
        self.blocks.push(Block::Paragraph(Text::Label(text)));
    }

    /// Columns headed by the labels under `keys`, of the given kinds.
    fn columns(&self, columns: &[(&str, ColumnKind)]) -> Vec<Column> {
        columns
            .iter()
            .map(|(key, kind)| Column::label(&self.t(key), *kind))
            .collect()
    }

    fn table(&mut self, name: String, columns: Vec<Column>, rows: Vec<Vec<String>>) {
        self.blocks.push(Block::Table(Table {
            name,
            columns,
            rows,
        }));
    }

    /// Figures labelled by the catalogue keys, written in prose as `sentence`.
    fn figures(&mut self, sentence: String, figures: &[(&str, i64)]) {
        let figures = figures
            .iter()
            .map(|(key, value)| Figure {
                label: self.t(key),
                value: *value,
            })
            .collect();
        self.blocks
            .push(Block::Figures(Figures { sentence, figures }));
    }

    fn share(&self, code: &str, label: String, count: CellCount) -> Share {
        Share {
            code: code.to_owned(),
            label,
            count,
            shown: count_text(count, self.catalogue),
            examples: Vec::new(),
        }
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
    b.blocks
        .push(Block::Heading(2, Text::Written(title.clone())));
    if !summary.trim().is_empty() {
        b.blocks
            .push(Block::Paragraph(Text::Written(summary.clone())));
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
    let sentence = b.f(
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
    b.figures(
        sentence,
        &[
            ("report.figure.received", counts.total),
            ("report.figure.approved", counts.approved),
            ("report.figure.rejected", counts.rejected),
            ("report.figure.hidden", counts.hidden),
            ("report.figure.pending", counts.pending),
            ("report.figure.proposals", counts.proposals),
        ],
    );

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
            let label = if b.persian {
                tag.label_fa.clone()
            } else {
                tag.label_en.clone()
            };
            Share {
                examples: tag.examples.iter().map(|e| e.text.clone()).collect(),
                // Comments, not people: never suppressed.
                shown: b.n(tag.count),
                ..b.share(&tag.code, label, CellCount::Exact(tag.count))
            }
        })
        .collect();
    b.blocks.push(Block::Distribution(Distribution {
        name: "concern_tags".into(),
        code_header: Some(b.t("report.code")),
        label_header: b.t("report.topic"),
        count_header: b.t("report.comments"),
        examples_header: Some(b.t("report.examples")),
        written_labels: true,
        unit: Unit::Comments,
        ranked: false,
        whole: None,
        rows,
    }));
    article_blocks(b, report);
    b.heading(3, b.t("report.largest_campaigns"));
    let rows = k
        .campaigns
        .iter()
        .map(|g| vec![b.n(g.group_id), b.n(g.size), g.excerpt.text.clone()])
        .collect();
    b.table(
        "campaigns".into(),
        b.columns(&[
            ("report.group", ColumnKind::Number),
            ("report.identical_comments", ColumnKind::Number),
            ("report.text", ColumnKind::Written),
        ]),
        rows,
    );
    b.heading(3, b.t("report.frequent_terms"));
    let rows = k
        .terms
        .iter()
        .map(|term| Share {
            shown: b.n(term.count),
            ..b.share("", term.term.clone(), CellCount::Exact(term.count))
        })
        .collect();
    b.blocks.push(Block::Distribution(Distribution {
        name: "terms".into(),
        code_header: None,
        label_header: b.t("report.term"),
        count_header: b.t("report.comments"),
        examples_header: None,
        written_labels: true,
        unit: Unit::Comments,
        ranked: false,
        whole: None,
        rows,
    }));
}

/// Concerns per article: which articles drew the comments (a table, most commented first, the
/// comments on the draft as a whole last). Shown when comments named an article.
fn article_blocks(b: &mut Builder, report: &Report) {
    let k = &report.key_concerns;
    if k.articles.is_empty() {
        return;
    }
    b.heading(3, b.t("report.articles"));
    let on_articles: i64 = k.articles.iter().map(|a| a.concerns.comments).sum();
    let whole = k.whole_draft.as_ref().map_or(0, |w| w.comments);
    let summary = b.f(
        "report.articles_summary",
        &[
            ("comments", &b.n(on_articles)),
            ("articles", &b.n(k.articles.len() as i64)),
            ("whole", &b.n(whole)),
        ],
    );
    b.paragraph(summary);
    // Counts of comments, not of people: exact, as the tags' counts are.
    let row = |b: &Builder, first: [String; 4], part: &PartConcern| -> Vec<String> {
        let separator = b.t("report.list_separator");
        let tags: Vec<String> = part
            .tags
            .iter()
            .map(|tag| {
                let label = if b.persian {
                    &tag.label_fa
                } else {
                    &tag.label_en
                };
                b.f(
                    "report.tag_count",
                    &[("tag", label.as_str()), ("count", &b.n(tag.count))],
                )
            })
            .collect();
        let examples: Vec<String> = part
            .examples
            .iter()
            .map(|e| format!("«{}»", e.text))
            .collect();
        let mut row = first.to_vec();
        row.extend([
            b.n(part.comments),
            b.n(part.approved),
            b.n(part.proposals),
            tags.join(&separator),
            examples.join(" "),
        ]);
        row
    };
    let mut rows: Vec<Vec<String>> = k
        .articles
        .iter()
        .map(|a| {
            let heading = match (&a.heading_fa, &a.heading_en) {
                (Some(fa), en) => b.pick(fa, en.as_deref().unwrap_or("")).to_owned(),
                (None, Some(en)) if !b.persian => en.clone(),
                _ => String::new(),
            };
            let first = [
                a.article.article_id.to_string(),
                b.f(
                    "report.article_number",
                    &[("number", &b.n(i64::from(a.article.number)))],
                ),
                b.n(a.article.version),
                heading,
            ];
            row(b, first, &a.concerns)
        })
        .collect();
    if let Some(whole) = &k.whole_draft {
        let first = [
            String::new(),
            b.t("report.whole_draft"),
            String::new(),
            String::new(),
        ];
        rows.push(row(b, first, whole));
    }
    b.table(
        "articles".into(),
        b.columns(&[
            ("report.article_id", ColumnKind::Code),
            ("report.article", ColumnKind::Label),
            ("report.version", ColumnKind::Number),
            ("report.heading", ColumnKind::Written),
            ("report.comments", ColumnKind::Number),
            ("report.approved", ColumnKind::Number),
            ("report.proposals", ColumnKind::Number),
            ("report.topics", ColumnKind::Written),
            ("report.examples", ColumnKind::Written),
        ]),
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
    b.paragraph(summary);
    let verified = b.f(
        "report.participants_verified",
        &[("verified", &b.n(p.verified)), ("total", &b.n(p.total))],
    );
    b.paragraph(verified);
    for dimension in DIMENSIONS {
        let title_key = format!("report.dimension.{}", dimension.as_str());
        b.heading(3, b.t(&title_key));
        let rows = p
            .by(dimension)
            .iter()
            .map(|cell| {
                let label = bucket_label(catalogue, dimension, &cell.key);
                b.share(&cell.key, label, cell.count)
            })
            .collect();
        b.blocks.push(Block::Distribution(Distribution {
            name: format!("participants_by_{}", dimension.as_str()),
            code_header: Some(b.t("report.key")),
            label_header: b.t(&title_key),
            count_header: b.t("report.people"),
            examples_header: None,
            written_labels: false,
            unit: Unit::People,
            ranked: dimension == Breakdown::Province,
            whole: None,
            rows,
        }));
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
    let table = Table {
        name: "turnout".into(),
        columns: b.columns(&[
            ("report.day", ColumnKind::Number),
            ("report.comments", ColumnKind::Number),
            ("report.ballots", ColumnKind::Number),
            ("report.participants", ColumnKind::Number),
        ]),
        rows,
    };
    b.blocks.push(Block::Daily(Daily {
        table,
        days: report.turnout.clone(),
    }));
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
    b.blocks.push(Block::Heading(3, Text::Written(question)));
    let ballots = b.f("report.poll_ballots", &[("count", &b.n(poll.ballots))]);
    b.paragraph(ballots);
    let rows = poll
        .counts
        .iter()
        .enumerate()
        .map(|(i, c)| b.share("", options.get(i).cloned().unwrap_or_default(), c.count))
        .collect();
    b.blocks.push(Block::Distribution(Distribution {
        name: format!("poll_{}", poll.poll_id),
        code_header: None,
        label_header: b.t("report.option"),
        count_header: b.t("report.people"),
        examples_header: None,
        written_labels: true,
        unit: Unit::People,
        ranked: false,
        whole: Some(poll.ballots),
        rows,
    }));
    for dimension in DIMENSIONS {
        let title_key = format!("report.dimension.{}", dimension.as_str());
        b.heading(4, b.t(&title_key));
        let mut columns = b.columns(&[
            ("report.key", ColumnKind::Code),
            (&title_key, ColumnKind::Label),
            ("report.ballots_column", ColumnKind::Number),
        ]);
        columns.extend(options.iter().map(|option| Column {
            header: Text::Written(option.clone()),
            kind: ColumnKind::Number,
        }));
        let rows = poll
            .by(dimension)
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
            columns,
            rows,
        );
    }
}

fn decision_blocks(b: &mut Builder, report: &Report) {
    let d = &report.decisions;
    b.heading(2, b.t("report.answers"));
    let sentence = b.f(
        "report.decisions_summary",
        &[
            ("accepted", &b.n(d.accepted)),
            ("partially_accepted", &b.n(d.partially_accepted)),
            ("rejected", &b.n(d.rejected)),
        ],
    );
    b.figures(
        sentence,
        &[
            ("report.figure.accepted", d.accepted),
            ("report.figure.partially_accepted", d.partially_accepted),
            ("report.figure.not_accepted", d.rejected),
        ],
    );
    let rows = d
        .items
        .iter()
        .map(|item| {
            // The same word for an outcome as the console and the portal use.
            let outcome = b.t(&format!("outcome.{}", item.outcome.as_str()));
            let rationale = if b.persian {
                &item.rationale_fa
            } else {
                &item.rationale_en
            };
            vec![
                b.n(item.proposal_id),
                Excerpt::of(item.proposal_id, &item.body).text,
                b.n(item.group_size),
                outcome,
                rationale.clone(),
                item.legal_basis.clone(),
            ]
        })
        .collect();
    b.table(
        "decisions".into(),
        b.columns(&[
            ("report.proposal", ColumnKind::Number),
            ("report.proposal_text", ColumnKind::Written),
            ("report.group_size", ColumnKind::Number),
            ("report.outcome", ColumnKind::Label),
            ("report.reason", ColumnKind::Written),
            ("report.legal_basis", ColumnKind::Written),
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
    b.paragraph(b.t("report.top_participants_note"));
    let rows = report
        .top_participants
        .iter()
        .map(|p| vec![b.n(p.rank), p.display_name.clone(), b.n(p.points)])
        .collect();
    b.table(
        "top_participants".into(),
        b.columns(&[
            ("report.rank", ColumnKind::Number),
            ("report.name", ColumnKind::Written),
            ("report.points", ColumnKind::Number),
        ]),
        rows,
    );
}

#[cfg(test)]
mod tests {
    use super::super::bucket_keys;
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

    #[test]
    fn a_distribution_is_published_as_its_table() {
        let fa = catalogue("fa");
        let share = |code: &str, label: &str, count| Share {
            code: code.into(),
            label: label.into(),
            count,
            shown: count_text(count, fa),
            examples: Vec::new(),
        };
        let tags = Distribution {
            name: "concern_tags".into(),
            code_header: Some("کد".into()),
            label_header: "موضوع".into(),
            count_header: "نظرها".into(),
            examples_header: Some("نمونه‌ها".into()),
            written_labels: true,
            unit: Unit::Comments,
            ranked: false,
            whole: None,
            rows: vec![Share {
                examples: vec!["یک".into(), "دو".into()],
                ..share("workload", "بار کاری", CellCount::Exact(12))
            }],
        };
        let table = tags.table();
        let kinds: Vec<ColumnKind> = table.columns.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                ColumnKind::Code,
                ColumnKind::Written,
                ColumnKind::Number,
                ColumnKind::Written
            ]
        );
        assert_eq!(table.rows, [["workload", "بار کاری", "۱۲", "«یک» «دو»"]]);
        let options = Distribution {
            code_header: None,
            examples_header: None,
            rows: vec![share("", "بله", CellCount::Suppressed)],
            ..tags
        };
        assert_eq!(options.table().columns.len(), 2);
        assert_eq!(options.table().rows, [["بله", "<5"]]);
    }
}

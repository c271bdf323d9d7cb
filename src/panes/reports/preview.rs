//! The report preview as rows of text, laid out for one width: drawn from the row the operator
//! scrolled to. Text citizens wrote (representative comments, campaign excerpts, terms,
//! proposals) goes only through `Ui::cell`; interface strings through `Ui::label`. Bars grow from
//! the reading side; a suppressed cell ("<5") is written as such and gets no bar.

use chrono::NaiveDate;
use mosharekat_api::report::document::DIMENSIONS;
use mosharekat_api::report::{Cell, OptionCount, PollReport, TurnoutDay};
use mosharekat_api::{Breakdown, CellCount, Report};
use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::dates::{self, DateStyle};
use crate::panes::tallies::chart::{bar_cells, bar_line};
use crate::theme::Slot;
use crate::ui::Ui;

/// Rows of the turnout sparkline.
pub const SPARK_ROWS: u16 = 3;

/// Eighths of a cell, from empty to full.
const LEVELS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

struct Builder<'u, 'a> {
    ui: &'u Ui<'a>,
    width: u16,
    lines: Vec<Line<'static>>,
}

impl Builder<'_, '_> {
    fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    fn heading(&mut self, text: &str) {
        let ui = self.ui;
        self.lines
            .push(ui.label(text, self.width, ui.style(Slot::Title)));
    }

    fn label(&mut self, text: &str, slot: Slot) {
        let ui = self.ui;
        self.lines.push(ui.label(text, self.width, ui.style(slot)));
    }

    /// A row indented by two cells on the reading side, holding user text.
    fn indented_cell(&mut self, text: &str, slot: Slot) {
        let ui = self.ui;
        let cols = ui.columns(self.width, &[Constraint::Length(1), Constraint::Min(1)]);
        let cells = vec![Line::from(" "), ui.cell(text, cols[1].1, ui.style(slot))];
        self.lines
            .push(ui.row(self.width, &cols, cells, Style::new()));
    }

    /// One bar row per `(label, count)`: the label on the reading side, the bar (scaled to
    /// `scale`), the value. `user_labels` says whether labels are user text (cells) or
    /// interface strings.
    fn bars(&mut self, rows: &[(String, CellCount)], scale: i64, user_labels: bool) {
        let ui = self.ui;
        if rows.is_empty() {
            return;
        }
        let values: Vec<String> = rows.iter().map(|(_, c)| count_text(ui, *c)).collect();
        let value_width = values.iter().map(|v| ui.width(v)).max().unwrap_or(1);
        let label_width = rows
            .iter()
            .map(|(l, _)| ui.width(l))
            .max()
            .unwrap_or(4)
            .clamp(4, (self.width / 3).max(4));
        let cols = ui.columns(
            self.width,
            &[
                Constraint::Length(label_width),
                Constraint::Min(3),
                Constraint::Length(value_width),
            ],
        );
        for ((label, count), value) in rows.iter().zip(&values) {
            let normal = ui.style(Slot::TextNormal);
            let label_cell = if user_labels {
                ui.cell(label, cols[0].1, normal)
            } else {
                ui.label(label, cols[0].1, normal)
            };
            let (cells, value_slot) = match count {
                CellCount::Exact(n) => (bar_cells(*n, scale, cols[1].1), Slot::TextNormal),
                // Fewer than five: no bar of a made-up size.
                CellCount::Suppressed => (0, Slot::TextMuted),
            };
            let row = vec![
                label_cell,
                bar_line(cells, cols[1].1, ui.rtl(), ui.style(Slot::Bar)),
                number_cell(ui, value, cols[2].1, ui.style(value_slot)),
            ];
            self.lines
                .push(ui.row(self.width, &cols, row, Style::new()));
        }
    }

    /// `label … value` rows.
    fn stats(&mut self, rows: &[(String, String)]) {
        let ui = self.ui;
        let value_width = rows.iter().map(|(_, v)| ui.width(v)).max().unwrap_or(1);
        let cols = ui.columns(
            self.width,
            &[Constraint::Min(4), Constraint::Length(value_width)],
        );
        for (label, value) in rows {
            let cells = vec![
                ui.label(label, cols[0].1, ui.style(Slot::TextMuted)),
                number_cell(ui, value, cols[1].1, ui.style(Slot::TextNormal)),
            ];
            self.lines
                .push(ui.row(self.width, &cols, cells, Style::new()));
        }
    }
}

/// A number in a column `width` wide: against the far edge in a left-to-right interface, so the
/// digits line up; on the reading side (the right) in a right-to-left one.
fn number_cell(ui: &Ui, text: &str, width: u16, style: Style) -> Line<'static> {
    let used = ui.width(text).min(width);
    if ui.rtl() || used >= width {
        return ui.label(text, width, style);
    }
    let mut line = ui.label(text, used, style);
    line.spans.insert(
        0,
        ratatui::text::Span::styled(" ".repeat(usize::from(width - used)), style),
    );
    line
}

/// A count of people as published: its number in the interface's digits, or "<5".
pub fn count_text(ui: &Ui, count: CellCount) -> String {
    match count {
        CellCount::Exact(n) => ui.i18n.locale().grouped(n),
        CellCount::Suppressed => ui.t("reports.suppressed").to_owned(),
    }
}

/// A Tehran calendar day in the interface's calendar and digits.
pub fn day_text(ui: &Ui, day: NaiveDate) -> String {
    // Noon UTC falls on the same Tehran day (UTC+03:30).
    let at = day
        .and_hms_opt(12, 0, 0)
        .map(|d| d.and_utc())
        .unwrap_or_default();
    dates::format_local_date(at, DateStyle::Numeric, ui.i18n)
}

/// The largest exact count (the scale of a chart).
fn largest(counts: impl IntoIterator<Item = CellCount>) -> i64 {
    counts
        .into_iter()
        .filter_map(CellCount::exact)
        .max()
        .unwrap_or(0)
}

/// Cells of a breakdown in reading order: provinces by count (suppressed ones after, "not
/// stated" last); other dimensions in the protocol's fixed order.
fn breakdown_rows(ui: &Ui, by: Breakdown, cells: &[Cell]) -> Vec<(String, CellCount)> {
    let mut cells: Vec<&Cell> = cells.iter().collect();
    if by == Breakdown::Province {
        let unknown = |c: &Cell| c.key == mosharekat_api::poll::UNKNOWN_BUCKET;
        // A stable sort keeps the protocol's order among equals.
        cells.sort_by_key(|c| (unknown(c), std::cmp::Reverse(c.count.exact().unwrap_or(-1))));
    }
    cells
        .into_iter()
        .map(|c| (ui.bucket_label(by, &c.key), c.count))
        .collect()
}

/// The turnout per day as a sparkline of `SPARK_ROWS` rows (time from the reading side), with
/// the first and last day under its ends.
fn sparkline(b: &mut Builder, days: &[TurnoutDay]) {
    let ui = b.ui;
    let values: Vec<u64> = days
        .iter()
        .map(|d| (d.comments + d.ballots).max(0) as u64)
        .collect();
    let columns = usize::from(b.width.max(1));
    let per_column = values.len().div_ceil(columns).max(1);
    let mut bins: Vec<u64> = values.chunks(per_column).map(|c| c.iter().sum()).collect();
    // Short series are stretched (each day up to four columns wide) so they read at a glance.
    let repeat = (columns / bins.len().max(1)).clamp(1, 4);
    if repeat > 1 {
        bins = bins
            .iter()
            .flat_map(|v| std::iter::repeat_n(*v, repeat))
            .collect();
    }
    if ui.rtl() {
        bins.reverse();
    }
    let max = bins.iter().copied().max().unwrap_or(0).max(1);
    let span = bins.len() as u16;
    let pad = usize::from(b.width.saturating_sub(span));
    let rows = usize::from(SPARK_ROWS);
    for row in 0..rows {
        let floor = (rows - 1 - row) * 8;
        let text: String = bins
            .iter()
            .map(|v| {
                let eighths = ((*v as f64) * (rows * 8) as f64 / max as f64).round() as usize;
                // A day with any activity shows at least the lowest mark.
                let eighths = if *v > 0 { eighths.max(1) } else { 0 };
                LEVELS[eighths.saturating_sub(floor).min(8)]
            })
            .collect();
        let line = if ui.rtl() {
            Line::from(vec![
                " ".repeat(pad).into(),
                ratatui::text::Span::styled(text, ui.style(Slot::Sparkline)),
            ])
        } else {
            Line::from(vec![ratatui::text::Span::styled(
                text,
                ui.style(Slot::Sparkline),
            )])
        };
        b.lines.push(line);
    }
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return;
    };
    let from = day_text(ui, first.day);
    let to = if days.len() > 1 {
        day_text(ui, last.day)
    } else {
        String::new()
    };
    let axis_width = span.max(ui.width(&from) + ui.width(&to) + 2).min(b.width);
    let cols = ui.columns(
        axis_width,
        &[
            Constraint::Length(ui.width(&from)),
            Constraint::Min(0),
            Constraint::Length(ui.width(&to)),
        ],
    );
    let muted = ui.style(Slot::TextMuted);
    let axis = ui.row(
        axis_width,
        &cols,
        vec![
            ui.label(&from, cols[0].1, muted),
            Line::from(" ".repeat(usize::from(cols[1].1))),
            ui.label(&to, cols[2].1, muted),
        ],
        Style::new(),
    );
    let mut spans = Vec::new();
    if ui.rtl() {
        spans.push(" ".repeat(usize::from(b.width - axis_width)).into());
    }
    spans.extend(axis.spans);
    b.lines.push(Line::from(spans));
    if per_column > 1 {
        b.label(
            &ui.i18n
                .count("reports.days_per_column", per_column as i64, &[]),
            Slot::TextMuted,
        );
    }
}

fn option_rows(ui: &Ui, poll: &PollReport, counts: &[OptionCount]) -> Vec<(String, CellCount)> {
    poll.options
        .iter()
        .map(|o| {
            let count = counts
                .iter()
                .find(|c| c.option_id == o.id)
                .map_or(CellCount::Suppressed, |c| c.count);
            let label = ui.i18n.pick(&o.label_fa, &o.label_en);
            (label.to_owned(), count)
        })
        .collect()
}

/// The whole report, `width` cells wide.
pub fn build(ui: &Ui, report: &Report, width: u16) -> Vec<Line<'static>> {
    let locale = ui.i18n.locale();
    let mut b = Builder {
        ui,
        width,
        lines: Vec::new(),
    };

    // Comments received.
    b.heading(ui.t("reports.comments"));
    let c = &report.comments;
    b.stats(&[
        (
            ui.t("reports.comments_total").to_owned(),
            locale.grouped(c.total),
        ),
        (
            ui.t("comment_status.approved").to_owned(),
            locale.grouped(c.approved),
        ),
        (
            ui.t("comment_status.rejected").to_owned(),
            locale.grouped(c.rejected),
        ),
        (
            ui.t("comment_status.hidden").to_owned(),
            locale.grouped(c.hidden),
        ),
        (
            ui.t("comment_status.pending").to_owned(),
            locale.grouped(c.pending),
        ),
        (
            ui.t("reports.proposals").to_owned(),
            locale.grouped(c.proposals),
        ),
    ]);

    // Key concerns.
    b.blank();
    b.heading(ui.t("pane.reports.key_concerns"));
    let concerns = &report.key_concerns;
    if concerns.tags.is_empty() {
        b.label(ui.t("reports.no_tags"), Slot::TextMuted);
    }
    let tag_scale = concerns.tags.iter().map(|t| t.count).max().unwrap_or(0);
    for tag in &concerns.tags {
        let label = ui.i18n.pick(&tag.label_fa, &tag.label_en).to_owned();
        // Comment counts, not people: never suppressed.
        let ui = b.ui;
        let value = ui.i18n.count("reports.comments_count", tag.count, &[]);
        let cols_value = ui.width(&value);
        let cols = ui.columns(
            width,
            &[
                Constraint::Length(ui.width(&label).clamp(4, (width / 3).max(4))),
                Constraint::Min(3),
                Constraint::Length(cols_value),
            ],
        );
        let row = vec![
            ui.cell(&label, cols[0].1, ui.style(Slot::TextNormal)),
            bar_line(
                bar_cells(tag.count, tag_scale, cols[1].1),
                cols[1].1,
                ui.rtl(),
                ui.style(Slot::Bar),
            ),
            ui.label(&value, cols[2].1, ui.style(Slot::TextMuted)),
        ];
        b.lines.push(ui.row(width, &cols, row, Style::new()));
        if let Some(example) = tag.examples.first() {
            b.indented_cell(&example.text, Slot::TextMuted);
        }
    }
    b.blank();
    b.heading(ui.t("pane.reports.campaigns"));
    if concerns.campaigns.is_empty() {
        b.label(ui.t("reports.no_campaigns"), Slot::TextMuted);
    }
    let sizes: Vec<String> = concerns
        .campaigns
        .iter()
        .map(|g| ui.i18n.count("reports.members", g.size, &[]))
        .collect();
    let size_width = sizes.iter().map(|s| ui.width(s)).max().unwrap_or(1);
    let cols = ui.columns(width, &[Constraint::Length(size_width), Constraint::Min(4)]);
    for (group, size) in concerns.campaigns.iter().zip(&sizes) {
        let row = vec![
            ui.label(size, cols[0].1, ui.style(Slot::TextMuted)),
            ui.cell(&group.excerpt.text, cols[1].1, ui.style(Slot::TextNormal)),
        ];
        b.lines.push(ui.row(width, &cols, row, Style::new()));
    }
    b.blank();
    b.heading(ui.t("pane.reports.frequent_terms"));
    if concerns.terms.is_empty() {
        b.label(ui.t("reports.no_terms"), Slot::TextMuted);
    }
    let per_row = usize::from((width / 20).max(1));
    for chunk in concerns.terms.chunks(per_row) {
        let constraints = vec![Constraint::Fill(1); per_row];
        let cols = ui.columns(width, &constraints);
        let cells: Vec<Line<'static>> = chunk
            .iter()
            .zip(&cols)
            .map(|(t, (_, w))| {
                ui.cell(
                    &format!("{} ({})", t.term, ui.num(t.count)),
                    *w,
                    ui.style(Slot::TextNormal),
                )
            })
            .collect();
        let used = &cols[..cells.len()];
        b.lines.push(ui.row(width, used, cells, Style::new()));
    }

    // Participants.
    b.blank();
    b.heading(&format!(
        "{} · {}",
        ui.t("pane.reports.participants"),
        ui.i18n.count(
            "pane.reports.participants_total",
            report.participants.total,
            &[]
        )
    ));
    for by in DIMENSIONS {
        let cells = report.participants.by(by);
        b.label(
            &ui.f(
                "reports.by",
                &[("by", ui.t(&format!("breakdown.{}", by.as_str())))],
            ),
            Slot::HelpSection,
        );
        let rows = breakdown_rows(ui, by, cells);
        b.bars(&rows, largest(cells.iter().map(|c| c.count)), false);
    }
    b.label(ui.t("reports.suppressed_note"), Slot::TextMuted);

    // Turnout.
    b.blank();
    let comments: i64 = report.turnout.iter().map(|d| d.comments).sum();
    let ballots: i64 = report.turnout.iter().map(|d| d.ballots).sum();
    b.heading(ui.t("pane.reports.turnout_per_day"));
    if report.turnout.is_empty() {
        b.label(ui.t("reports.no_turnout"), Slot::TextMuted);
    } else {
        b.label(
            &ui.f(
                "reports.turnout_totals",
                &[
                    ("comments", &locale.grouped(comments)),
                    ("ballots", &locale.grouped(ballots)),
                    ("days", &ui.num(report.turnout.len())),
                ],
            ),
            Slot::TextMuted,
        );
        sparkline(&mut b, &report.turnout);
    }

    // Polls.
    b.blank();
    b.heading(ui.t("pane.reports.poll_results"));
    if report.polls.is_empty() {
        b.label(ui.t("pane.tallies.no_polls"), Slot::TextMuted);
    }
    for poll in &report.polls {
        let question = ui.i18n.pick(&poll.question_fa, &poll.question_en);
        b.lines
            .push(ui.cell(question, width, ui.style(Slot::HelpSection)));
        b.label(
            &ui.i18n.count("pane.tallies.ballots", poll.ballots, &[]),
            Slot::TextMuted,
        );
        let rows = option_rows(ui, poll, &poll.counts);
        b.bars(&rows, poll.ballots, true);
    }

    // Decisions.
    b.blank();
    b.heading(ui.t("pane.reports.decisions"));
    let d = &report.decisions;
    b.stats(&[
        (
            ui.t("outcome.accepted").to_owned(),
            locale.grouped(d.accepted),
        ),
        (
            ui.t("outcome.partially_accepted").to_owned(),
            locale.grouped(d.partially_accepted),
        ),
        (
            ui.t("outcome.rejected").to_owned(),
            locale.grouped(d.rejected),
        ),
    ]);
    if d.items.is_empty() {
        b.label(ui.t("reports.no_decisions"), Slot::TextMuted);
    }
    let outcomes: Vec<String> = d
        .items
        .iter()
        .map(|i| ui.t(&format!("outcome.{}", i.outcome.as_str())).to_owned())
        .collect();
    let outcome_width = outcomes.iter().map(|o| ui.width(o)).max().unwrap_or(1);
    let cols = ui.columns(
        width,
        &[Constraint::Length(outcome_width), Constraint::Min(4)],
    );
    for (item, outcome) in d.items.iter().zip(&outcomes) {
        let row = vec![
            ui.label(outcome, cols[0].1, ui.style(Slot::TextMuted)),
            ui.cell(&item.body, cols[1].1, ui.style(Slot::TextNormal)),
        ];
        b.lines.push(ui.row(width, &cols, row, Style::new()));
        let rationale = ui.i18n.pick(&item.rationale_fa, &item.rationale_en);
        b.indented_cell(rationale, Slot::TextMuted);
    }

    // Recognition: only participants who consented to be named (the server leaves the others
    // out); a name is citizen text, so it goes through the sanitising cell.
    b.blank();
    b.heading(ui.t("reports.top_participants"));
    if report.top_participants.is_empty() {
        b.label(ui.t("reports.no_top_participants"), Slot::TextMuted);
    }
    let ranks: Vec<String> = report
        .top_participants
        .iter()
        .map(|t| locale.grouped(t.rank))
        .collect();
    let points: Vec<String> = report
        .top_participants
        .iter()
        .map(|t| locale.grouped(t.points))
        .collect();
    let rank_width = ranks.iter().map(|r| ui.width(r)).max().unwrap_or(1);
    let points_width = points.iter().map(|p| ui.width(p)).max().unwrap_or(1);
    let cols = ui.columns(
        width,
        &[
            Constraint::Length(rank_width),
            Constraint::Min(4),
            Constraint::Length(points_width),
        ],
    );
    for ((top, rank), points) in report.top_participants.iter().zip(&ranks).zip(&points) {
        let row = vec![
            ui.label(rank, cols[0].1, ui.style(Slot::TextMuted)),
            ui.cell(&top.display_name, cols[1].1, ui.style(Slot::TextNormal)),
            number_cell(ui, points, cols[2].1, ui.style(Slot::TextNormal)),
        ];
        b.lines.push(ui.row(width, &cols, row, Style::new()));
    }
    b.lines
}

//! The report preview: the published report's document ([`document::build`], labelled from the
//! console's locale catalogue, so the labels are the published report's) drawn block by block as
//! rows of text for one width, then scrolled through. Headings are titles, paragraphs and items
//! wrap, figures are label and value rows, distributions are bars, the days are a sparkline and
//! tables are aligned columns (one record per row when the columns do not fit). Text a person
//! wrote goes only through `Ui::cell`; interface strings through `Ui::label`. Bars grow from the
//! reading side; a suppressed count ("<5") is written as published and gets no bar.

use std::cmp::Reverse;

use mosharekat_api::poll::UNKNOWN_BUCKET;
use mosharekat_api::report::TurnoutDay;
use mosharekat_api::report::document::{
    self, Block, Column, ColumnKind, Daily, Distribution, Figures, Share, Table, Text, Unit,
};
use mosharekat_api::{CellCount, Report};
use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::dates::{self, DateStyle};
use crate::panes::tallies::chart::{bar_cells, bar_line};
use crate::theme::Slot;
use crate::ui::Ui;

/// Rows of the turnout sparkline.
pub const SPARK_ROWS: u16 = 3;

/// Eighths of a cell, from empty to full.
const LEVELS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The narrowest a column of written text may get before a table is drawn as records.
const MIN_TEXT_COLUMN: u16 = 12;

struct Builder<'u, 'a> {
    ui: &'u Ui<'a>,
    width: u16,
    lines: Vec<Line<'static>>,
    /// Whether the block drawn last was a heading.
    after_heading: bool,
}

impl Builder<'_, '_> {
    fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    fn label(&mut self, text: &str, slot: Slot) {
        let ui = self.ui;
        self.lines.push(ui.label(text, self.width, ui.style(slot)));
    }

    /// A document text on one row: interface text as a label, written text as a cell.
    fn text_cell(&self, text: &Text, width: u16, style: Style) -> Line<'static> {
        match text {
            Text::Label(label) => self.ui.label(label, width, style),
            Text::Written(written) => self.ui.cell(written, width, style),
        }
    }

    fn heading(&mut self, level: u8, text: &Text) {
        // Sections start after a blank row (a title right under another needs none);
        // subsections follow on.
        if level <= 2 && !self.lines.is_empty() && !self.after_heading {
            self.blank();
        }
        let slot = if level <= 2 {
            Slot::Title
        } else {
            Slot::HelpSection
        };
        let line = self.text_cell(text, self.width, self.ui.style(slot));
        self.lines.push(line);
    }

    /// Text wrapped to the width: written text in its own direction, interface text in the
    /// interface's.
    fn paragraph(&mut self, text: &Text, slot: Slot) {
        let ui = self.ui;
        let style = ui.style(slot);
        let rows = match text {
            Text::Label(label) => ui.label_rows(label, self.width, style),
            Text::Written(written) => ui.cell_rows(written, self.width, style),
        };
        self.lines.extend(rows);
    }

    /// Bullet points, each wrapped under its bullet.
    fn items(&mut self, items: &[String]) {
        let ui = self.ui;
        let cols = ui.columns(self.width, &[Constraint::Length(1), Constraint::Min(1)]);
        let style = ui.style(Slot::TextNormal);
        for item in items {
            for (i, row) in ui
                .label_rows(item, cols[1].1, style)
                .into_iter()
                .enumerate()
            {
                let bullet = Line::from(if i == 0 { "•" } else { " " });
                self.lines
                    .push(ui.row(self.width, &cols, vec![bullet, row], Style::new()));
            }
        }
    }

    /// A row indented by two cells on the reading side, holding written text.
    fn indented_cell(&mut self, text: &str, slot: Slot) {
        let ui = self.ui;
        let cols = ui.columns(self.width, &[Constraint::Length(1), Constraint::Min(1)]);
        let cells = vec![Line::from(" "), ui.cell(text, cols[1].1, ui.style(slot))];
        self.lines
            .push(ui.row(self.width, &cols, cells, Style::new()));
    }

    /// `label … value` rows.
    fn figures(&mut self, figures: &Figures) {
        let ui = self.ui;
        let locale = ui.i18n.locale();
        let values: Vec<String> = figures
            .figures
            .iter()
            .map(|f| locale.grouped(f.value))
            .collect();
        let value_width = values.iter().map(|v| ui.width(v)).max().unwrap_or(1);
        let cols = ui.columns(
            self.width,
            &[Constraint::Min(4), Constraint::Length(value_width)],
        );
        for (figure, value) in figures.figures.iter().zip(&values) {
            let cells = vec![
                ui.label(&figure.label, cols[0].1, ui.style(Slot::TextMuted)),
                number_cell(ui, value, cols[1].1, ui.style(Slot::TextNormal)),
            ];
            self.lines
                .push(ui.row(self.width, &cols, cells, Style::new()));
        }
    }

    /// One bar row per share: the label on the reading side, the bar (scaled to the whole the
    /// rows are parts of, else to the largest exact count), the value; each row's examples
    /// indented under it.
    fn distribution(&mut self, d: &Distribution) {
        let ui = self.ui;
        if d.rows.is_empty() {
            self.label(ui.t(empty_key(&d.name)), Slot::TextMuted);
            return;
        }
        let rows = reading_order(d);
        let largest = rows.iter().filter_map(|s| s.count.exact()).max();
        let scale = d.whole.or(largest).unwrap_or(0);
        let values: Vec<String> = rows.iter().map(|s| value_text(ui, d.unit, s)).collect();
        let value_width = values.iter().map(|v| ui.width(v)).max().unwrap_or(1);
        let label_width = rows
            .iter()
            .map(|s| ui.width(&s.label))
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
        // Comment counts are secondary to their bars; counts of people are the figures.
        let count_slot = match d.unit {
            Unit::People => Slot::TextNormal,
            Unit::Comments => Slot::TextMuted,
        };
        for (share, value) in rows.iter().zip(&values) {
            let normal = ui.style(Slot::TextNormal);
            let label = if d.written_labels {
                ui.cell(&share.label, cols[0].1, normal)
            } else {
                ui.label(&share.label, cols[0].1, normal)
            };
            let (cells, value_slot) = match share.count {
                CellCount::Exact(n) => (bar_cells(n, scale, cols[1].1), count_slot),
                // Fewer than five: no bar of a made-up size.
                CellCount::Suppressed => (0, Slot::TextMuted),
            };
            let value = match d.unit {
                Unit::People => number_cell(ui, value, cols[2].1, ui.style(value_slot)),
                // A count with its unit ("412 comments") reads as interface text.
                Unit::Comments => ui.label(value, cols[2].1, ui.style(value_slot)),
            };
            let row = vec![
                label,
                bar_line(cells, cols[1].1, ui.rtl(), ui.style(Slot::Bar)),
                value,
            ];
            self.lines
                .push(ui.row(self.width, &cols, row, Style::new()));
            for example in &share.examples {
                self.indented_cell(example, Slot::TextMuted);
            }
        }
    }

    /// The days' totals, then their activity as a sparkline.
    fn daily(&mut self, daily: &Daily) {
        let ui = self.ui;
        if daily.days.is_empty() {
            self.label(ui.t("reports.no_turnout"), Slot::TextMuted);
            return;
        }
        let locale = ui.i18n.locale();
        let comments: i64 = daily.days.iter().map(|d| d.comments).sum();
        let ballots: i64 = daily.days.iter().map(|d| d.ballots).sum();
        self.label(
            &ui.f(
                "reports.turnout_totals",
                &[
                    ("comments", &locale.grouped(comments)),
                    ("ballots", &locale.grouped(ballots)),
                    ("days", &ui.num(daily.days.len())),
                ],
            ),
            Slot::TextMuted,
        );
        sparkline(self, &daily.days);
    }

    /// A table as aligned columns under a header row; as one record per row (header beside
    /// value) when its columns do not fit. Code columns are for CSV and not shown.
    fn table(&mut self, table: &Table) {
        let ui = self.ui;
        let shown: Vec<usize> = (0..table.columns.len())
            .filter(|i| table.columns[*i].kind != ColumnKind::Code)
            .collect();
        if table.rows.is_empty() {
            self.label(ui.t(empty_key(&table.name)), Slot::TextMuted);
            return;
        }
        let natural: Vec<u16> = shown
            .iter()
            .map(|&i| {
                let cells = table.rows.iter().filter_map(|r| r.get(i));
                cells
                    .map(|c| ui.width(c))
                    .chain([ui.width(table.columns[i].header.as_str())])
                    .max()
                    .unwrap_or(1)
                    .max(1)
            })
            .collect();
        let fixed: u16 = shown
            .iter()
            .zip(&natural)
            .map(|(&i, w)| match table.columns[i].kind {
                ColumnKind::Written => MIN_TEXT_COLUMN.min(*w),
                _ => *w,
            })
            .fold(0u16, |sum, w| sum.saturating_add(w));
        let spacing = u16::try_from(shown.len().saturating_sub(1)).unwrap_or(u16::MAX);
        if fixed.saturating_add(spacing) > self.width {
            self.records(table, &shown);
            return;
        }
        let constraints: Vec<Constraint> = shown
            .iter()
            .zip(&natural)
            .map(|(&i, w)| match table.columns[i].kind {
                ColumnKind::Written => Constraint::Fill(1),
                _ => Constraint::Length(*w),
            })
            .collect();
        // Written columns share what is left, so that a short one is not stretched.
        let cols = ui.columns(self.width, &constraints);
        let header: Vec<Line<'static>> = shown
            .iter()
            .zip(&cols)
            .map(|(&i, (_, w))| {
                self.text_cell(&table.columns[i].header, *w, ui.style(Slot::TextMuted))
            })
            .collect();
        self.lines
            .push(ui.row(self.width, &cols, header, Style::new()));
        for row in &table.rows {
            let cells = shown
                .iter()
                .zip(&cols)
                .map(|(&i, (_, w))| {
                    let text = row.get(i).map_or("", String::as_str);
                    cell_of(ui, &table.columns[i], text, *w)
                })
                .collect();
            self.lines
                .push(ui.row(self.width, &cols, cells, Style::new()));
        }
    }

    /// Each row of a table as `header  value` rows, each record after a blank row.
    fn records(&mut self, table: &Table, shown: &[usize]) {
        let ui = self.ui;
        let header_width = shown
            .iter()
            .map(|&i| ui.width(table.columns[i].header.as_str()))
            .max()
            .unwrap_or(1)
            .min(self.width / 3);
        let cols = ui.columns(
            self.width,
            &[Constraint::Length(header_width), Constraint::Min(1)],
        );
        for row in &table.rows {
            self.blank();
            for &i in shown {
                let column = &table.columns[i];
                let text = row.get(i).map_or("", String::as_str);
                let value = if column.kind == ColumnKind::Number {
                    // Beside its header, not at the far edge: no column to line up with.
                    ui.keys_cell(text, cols[1].1, ui.style(Slot::TextNormal))
                } else {
                    cell_of(ui, column, text, cols[1].1)
                };
                let cells = vec![
                    self.text_cell(&column.header, cols[0].1, ui.style(Slot::TextMuted)),
                    value,
                ];
                self.lines
                    .push(ui.row(self.width, &cols, cells, Style::new()));
            }
        }
    }
}

/// One table cell by what its column holds.
fn cell_of(ui: &Ui, column: &Column, text: &str, width: u16) -> Line<'static> {
    let style = ui.style(Slot::TextNormal);
    match column.kind {
        ColumnKind::Written => ui.cell(text, width, style),
        ColumnKind::Number => number_cell(ui, text, width, style),
        ColumnKind::Label | ColumnKind::Code => ui.label(text, width, style),
    }
}

/// What the preview says when a table or distribution has no rows (the published report prints
/// an empty table).
fn empty_key(name: &str) -> &'static str {
    match name {
        "concern_tags" => "reports.no_tags",
        "campaigns" => "reports.no_campaigns",
        "terms" => "reports.no_terms",
        "decisions" => "reports.no_decisions",
        _ => "reports.no_rows",
    }
}

/// A number (or "<5") in a column `width` wide, left to right (so "<5" is never mirrored):
/// against the far edge in a left-to-right interface, so the digits line up; on the reading side
/// (the right) in a right-to-left one.
fn number_cell(ui: &Ui, text: &str, width: u16, style: Style) -> Line<'static> {
    let used = ui.width(text).min(width);
    if ui.rtl() || used >= width {
        return ui.keys_cell(text, width, style);
    }
    let mut line = ui.label(text, used, style);
    line.spans.insert(
        0,
        Span::styled(" ".repeat(usize::from(width - used)), style),
    );
    line
}

/// A share's count in the interface's digits, thousands grouped: people as a number or as
/// published ("<5"), comments with their unit.
fn value_text(ui: &Ui, unit: Unit, share: &Share) -> String {
    match (unit, share.count) {
        (Unit::People, CellCount::Exact(n)) => ui.i18n.locale().grouped(n),
        (Unit::People, CellCount::Suppressed) => share.shown.clone(),
        (Unit::Comments, count) => {
            let n = count.exact().unwrap_or_default();
            ui.i18n.count("reports.comments_count", n, &[])
        }
    }
}

/// The rows in the order to read them: a ranked distribution (provinces) by count, the
/// suppressed after, "not stated" last; any other in the document's order.
fn reading_order(d: &Distribution) -> Vec<&Share> {
    let mut rows: Vec<&Share> = d.rows.iter().collect();
    if d.ranked {
        // A stable sort keeps the document's order among equals.
        rows.sort_by_key(|s| {
            (
                s.code == UNKNOWN_BUCKET,
                Reverse(s.count.exact().unwrap_or(-1)),
            )
        });
    }
    rows
}

/// A Tehran calendar day in the interface's calendar and digits.
fn day_text(ui: &Ui, day: chrono::NaiveDate) -> String {
    // Noon UTC falls on the same Tehran day (UTC+03:30).
    let at = day
        .and_hms_opt(12, 0, 0)
        .map(|d| d.and_utc())
        .unwrap_or_default();
    dates::format_local_date(at, DateStyle::Numeric, ui.i18n)
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
                Span::styled(text, ui.style(Slot::Sparkline)),
            ])
        } else {
            Line::from(vec![Span::styled(text, ui.style(Slot::Sparkline))])
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

/// The whole report, `width` cells wide: the published document in the interface's language,
/// block by block.
pub fn build(ui: &Ui, report: &Report, width: u16) -> Vec<Line<'static>> {
    let mut b = Builder {
        ui,
        width,
        lines: Vec::new(),
        after_heading: false,
    };
    for block in document::build(report, ui.i18n.locale()) {
        // Figures stand apart from the prose above them.
        if matches!(block, Block::Figures(_)) && !b.after_heading {
            b.blank();
        }
        match &block {
            Block::Heading(level, text) => b.heading(*level, text),
            Block::Paragraph(text) => {
                let slot = if text.is_written() {
                    Slot::TextNormal
                } else {
                    Slot::TextMuted
                };
                b.paragraph(text, slot);
            }
            Block::Items(items) => b.items(items),
            Block::Figures(figures) => b.figures(figures),
            Block::Distribution(distribution) => b.distribution(distribution),
            Block::Daily(daily) => b.daily(daily),
            Block::Table(table) => b.table(table),
        }
        b.after_heading = matches!(block, Block::Heading(..));
    }
    b.lines
}

//! Drawing the Tallies pane. Every string goes through the RTL engine (`Ui::cell` for text staff
//! or citizens wrote, `Ui::label` for interface strings); the bars are block characters placed
//! by hand, growing from the reading side, because ratatui's BarChart writes its labels in
//! logical order. The turnout sparkline is text-free, so ratatui draws it, mirrored in Persian.

use mosharekat_api::{
    AgeBand, Breakdown, Category, ConsultationStatus, Gender, Poll, PollOption, TallyGroup,
    poll::UNKNOWN_BUCKET,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, RenderDirection, ScrollbarState, Sparkline};

use super::chart::{self, bar_cells, bar_line, percent};
use super::{ConsultationPolls, PollData, TalliesPane};
use crate::client::ClientError;
use crate::dates::{self, DateStyle};
use crate::keymap::{Action, Pane};
use crate::theme::Slot;
use crate::ui::{ListDetail, Ui};

/// A bucket with fewer ballots than this is marked: published statistics hide such cells.
pub const SMALL_BUCKET: i64 = 5;

/// The marker of a small bucket, explained by the footnote `pane.tallies.small_bucket`.
const SMALL_MARK: &str = " *";

impl TalliesPane {
    pub(super) fn draw_pane(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let areas = ui.list_detail_frame(
            frame,
            area,
            ui.t("pane.tallies.title"),
            true,
            ListDetail::from((26, 30)).without_rows().with_gap(),
        );
        if self.list.is_empty() {
            let text = match (self.list_state.error(), self.list_state.is_loaded()) {
                (Some(e), _) => ui.f("error.generic", &[("message", e)]),
                (None, false) => ui.t("app.loading").to_owned(),
                (None, true) => ui.t("pane.tallies.no_consultations").to_owned(),
            };
            frame.render_widget(
                Paragraph::new(ui.label(&text, areas.body.width, ui.style(Slot::TextMuted))),
                areas.body,
            );
            return;
        }
        self.draw_list(frame, areas.list, ui, areas.wide);
        self.draw_detail(
            frame,
            areas.detail,
            ui,
            areas.wide && areas.body.height >= 30,
        );
    }

    /// The consultations, the chosen one highlighted; a separator (and the scrollbar, when the
    /// list is longer than the pane) on the side facing the detail.
    fn draw_list(&mut self, frame: &mut Frame, area: Rect, ui: &Ui, wide: bool) {
        let separator = Block::new()
            .borders(if ui.rtl() {
                Borders::LEFT
            } else {
                Borders::RIGHT
            })
            .border_style(ui.style(Slot::BorderNormal));
        let inner = separator.inner(area);
        frame.render_widget(separator, area);
        let visible = usize::from(inner.height).max(1);
        crate::ui::scroll_into_view(self.selected, &mut self.list_scroll, visible);
        let count_text = |c: &ConsultationPolls| {
            if wide {
                ui.i18n
                    .count("pane.tallies.polls", c.polls.len() as i64, &[])
            } else {
                ui.num(c.polls.len())
            }
        };
        let count_width = self
            .list
            .iter()
            .map(|c| ui.width(&count_text(c)))
            .max()
            .unwrap_or(1);
        let mut constraints = vec![Constraint::Min(6)];
        if wide {
            constraints.push(Constraint::Length(8));
        }
        constraints.push(Constraint::Length(count_width));
        let cols = ui.columns(inner.width, &constraints);
        let mut lines = Vec::with_capacity(visible);
        for (i, item) in self
            .list
            .iter()
            .enumerate()
            .skip(self.list_scroll)
            .take(visible)
        {
            let c = &item.consultation;
            let base = if i == self.selected {
                ui.style(Slot::Selection)
            } else if c.status == ConsultationStatus::Open {
                ui.style(Slot::TextNormal)
            } else {
                ui.style(Slot::TextMuted)
            };
            let mut cells = vec![ui.cell(ui.i18n.pick(&c.title_fa, &c.title_en), cols[0].1, base)];
            if wide {
                cells.push(ui.label(
                    ui.t(&format!("consultation_status.{}", c.status.as_str())),
                    cols[1].1,
                    base,
                ));
            }
            let last = cols[cols.len() - 1].1;
            cells.push(ui.label(&count_text(item), last, base));
            lines.push(ui.row(inner.width, &cols, cells, base));
        }
        frame.render_widget(Paragraph::new(lines), inner);
        if self.list.len() > visible {
            let mut state = ScrollbarState::new(self.list.len()).position(self.selected);
            frame.render_stateful_widget(ui.scrollbar(), area, &mut state);
        }
    }

    fn draw_detail(&mut self, frame: &mut Frame, area: Rect, ui: &Ui, rich: bool) {
        let Some(item) = self.current() else {
            return;
        };
        let consultation = &item.consultation;
        let Some(poll) = self.current_poll() else {
            return;
        };
        let poll_count = item.polls.len();
        let data = self.data.get(&poll.id);
        let ballots = self.ballots_of(poll);

        let question = question_of(ui, poll);
        let max_question = if rich { 4 } else { 2 };
        let question_rows = ui
            .paragraph(question)
            .visual_rows(area.width)
            .clamp(1, max_question);
        let bar_rows = poll.options.len() as u16 + u16::from(poll.kind.allows_many());
        let spark_rows: u16 = if rich { 5 } else { 2 };
        let gap = u16::from(rich);
        let [
            title,
            header,
            question_area,
            _,
            bars,
            _,
            turnout,
            _,
            breakdown,
        ] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(question_rows as u16),
            Constraint::Length(gap),
            Constraint::Length(bar_rows),
            Constraint::Length(gap),
            Constraint::Length(spark_rows + 2),
            Constraint::Length(gap),
            Constraint::Min(0),
        ])
        .areas(area);

        frame.render_widget(
            Paragraph::new(ui.cell(
                ui.i18n.pick(&consultation.title_fa, &consultation.title_en),
                title.width,
                ui.style(Slot::Title),
            )),
            title,
        );
        let mut parts = vec![
            ui.f(
                "pane.tallies.poll_position",
                &[
                    ("index", &ui.num(self.poll_index + 1)),
                    ("total", &ui.num(poll_count)),
                ],
            ),
            ui.t(&format!("poll_kind.{}", poll.kind.as_str()))
                .to_owned(),
            ui.i18n.count("pane.tallies.ballots", ballots, &[]),
        ];
        if self.online && consultation.status == ConsultationStatus::Open {
            parts.push(format!("● {}", ui.t("pane.tallies.live")));
        }
        let mut header_text = parts.join(" · ");
        if ui.width(&header_text) > header.width {
            // The poll's kind is the first thing to give up in a narrow pane.
            parts.remove(1);
            header_text = parts.join(" · ");
        }
        frame.render_widget(
            Paragraph::new(ui.label(&header_text, header.width, ui.style(Slot::TextMuted))),
            header,
        );
        frame.render_widget(ui.paragraph(question), question_area);

        match data {
            Some(data) => draw_bars(frame, bars, ui, poll, data),
            None => {
                let text = not_loaded(ui, self.tally_error.as_ref());
                frame.render_widget(
                    Paragraph::new(ui.label(&text, bars.width, ui.style(Slot::TextMuted))),
                    bars,
                );
            }
        }
        let until = match consultation.status {
            ConsultationStatus::Open => Some(ui.now),
            ConsultationStatus::Closed => Some(consultation.closed_at().min(ui.now)),
            _ => None,
        };
        draw_turnout(frame, turnout, ui, data, until, spark_rows);
        let mut scroll = self.breakdown_scroll;
        let shown = Shown {
            poll,
            data,
            by: self.breakdown,
            error: self.tally_error.as_ref(),
        };
        draw_breakdown(frame, breakdown, ui, &shown, &mut scroll);
        self.breakdown_scroll = scroll;
    }
}

/// The poll on screen and what is known of it, for the breakdown table.
struct Shown<'a> {
    poll: &'a Poll,
    data: Option<&'a PollData>,
    by: Option<Breakdown>,
    /// Why its last tally request failed.
    error: Option<&'a ClientError>,
}

/// Why something is not on screen yet: still loading, the backend unreachable, or refused.
fn not_loaded(ui: &Ui, error: Option<&ClientError>) -> String {
    match error {
        None => ui.t("app.loading").to_owned(),
        Some(e) if e.is_transient() => ui.t("pane.tallies.not_loaded_offline").to_owned(),
        Some(e) => ui.f("error.generic", &[("message", &e.to_string())]),
    }
}

fn question_of<'a>(ui: &Ui, poll: &'a Poll) -> &'a str {
    ui.i18n.pick(&poll.question_fa, &poll.question_en)
}

fn option_label<'a>(ui: &Ui, option: &'a PollOption) -> &'a str {
    ui.i18n.pick(&option.label_fa, &option.label_en)
}

/// `12 (40%)` in the interface's digits; `—` for the share of nothing.
fn share_text(ui: &Ui, count: i64, total: i64) -> String {
    ui.f(
        "pane.tallies.option_share",
        &[
            ("count", &ui.i18n.locale().grouped(count)),
            ("percent", &percent_text(ui, count, total)),
        ],
    )
}

fn percent_text(ui: &Ui, count: i64, total: i64) -> String {
    match percent(count, total) {
        Some(p) => ui.f("common.percent", &[("value", &ui.num(p))]),
        None => "—".into(),
    }
}

/// One row per option: label on the reading side, then its bar, then count and share.
fn draw_bars(frame: &mut Frame, area: Rect, ui: &Ui, poll: &Poll, data: &PollData) {
    let total = data.ballots;
    let label_width = poll
        .options
        .iter()
        .map(|o| ui.width(option_label(ui, o)))
        .max()
        .unwrap_or(1)
        .clamp(4, (area.width / 3).max(4));
    let values: Vec<String> = poll
        .options
        .iter()
        .map(|o| share_text(ui, data.count(o.id), total))
        .collect();
    let value_width = values.iter().map(|v| ui.width(v)).max().unwrap_or(1);
    let cols = ui.columns(
        area.width,
        &[
            Constraint::Length(label_width),
            Constraint::Min(4),
            Constraint::Length(value_width),
        ],
    );
    let mut lines: Vec<Line<'static>> = poll
        .options
        .iter()
        .zip(&values)
        .map(|(option, value)| {
            let bar_width = cols[1].1;
            let cells = vec![
                ui.cell(
                    option_label(ui, option),
                    cols[0].1,
                    ui.style(Slot::TextNormal),
                ),
                bar_line(
                    bar_cells(data.count(option.id), total, bar_width),
                    bar_width,
                    ui.rtl(),
                    ui.style(Slot::Bar),
                ),
                ui.label(value, cols[2].1, ui.style(Slot::TextMuted)),
            ];
            ui.row(area.width, &cols, cells, Style::new())
        })
        .collect();
    if poll.kind.allows_many() {
        lines.push(ui.label(
            ui.t("pane.tallies.multiple_choice_note"),
            area.width,
            ui.style(Slot::TextMuted),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// A title row, the sparkline, and the first and last hour under its two ends. Time runs from
/// the reading side: right to left in a Persian interface.
fn draw_turnout(
    frame: &mut Frame,
    area: Rect,
    ui: &Ui,
    data: Option<&PollData>,
    until: Option<chrono::DateTime<chrono::Utc>>,
    spark_rows: u16,
) {
    let [title, spark, axis] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(spark_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    let heading = ui.t("pane.tallies.turnout");
    let muted = ui.style(Slot::TextMuted);
    let series = match data.filter(|d| d.detailed) {
        None => Err(ui.t("app.loading")),
        Some(d) => chart::hourly(&d.turnout, until).ok_or(ui.t("pane.tallies.no_ballots")),
    };
    let series = match series {
        Ok(series) => series,
        Err(note) => {
            let text = format!("{heading} · {note}");
            frame.render_widget(Paragraph::new(ui.label(&text, title.width, muted)), title);
            return;
        }
    };
    let (mut bins, per_column) = series.binned(spark.width);
    // Short series are stretched (each hour up to four columns wide) so they read at a glance.
    let repeat = (usize::from(spark.width) / bins.len().max(1)).clamp(1, 4);
    if repeat > 1 {
        bins = bins
            .iter()
            .flat_map(|b| std::iter::repeat_n(*b, repeat))
            .collect();
    }
    let span_width = (bins.len() as u16).min(spark.width);
    let text = format!(
        "{heading} · {}",
        ui.i18n
            .count("pane.tallies.per_column", per_column as i64, &[])
    );
    frame.render_widget(Paragraph::new(ui.label(&text, title.width, muted)), title);
    let direction = if ui.rtl() {
        RenderDirection::RightToLeft
    } else {
        RenderDirection::LeftToRight
    };
    frame.render_widget(
        Sparkline::default()
            .data(&bins)
            .direction(direction)
            .style(ui.style(Slot::Sparkline)),
        spark,
    );

    let from = dates::format_date_time(series.start, DateStyle::Numeric, ui.i18n);
    let to = if series.values.len() > 1 {
        dates::format_date_time(series.end(), DateStyle::Numeric, ui.i18n)
    } else {
        String::new()
    };
    let (from_width, to_width) = (ui.width(&from), ui.width(&to));
    // The labels sit under the two ends of the drawn span, unless it is too short for both (the
    // three columns are laid out with a one-column gap between each).
    let axis_width = span_width.max(from_width + to_width + 2).min(axis.width);
    let cols = ui.columns(
        axis_width,
        &[
            Constraint::Length(from_width),
            Constraint::Min(0),
            Constraint::Length(to_width),
        ],
    );
    let line = ui.row(
        axis_width,
        &cols,
        vec![
            ui.label(&from, cols[0].1, muted),
            Line::from(" ".repeat(usize::from(cols[1].1))),
            ui.label(&to, cols[2].1, muted),
        ],
        Style::new(),
    );
    let axis = if ui.rtl() {
        Rect {
            x: axis.x + axis.width - axis_width,
            width: axis_width,
            ..axis
        }
    } else {
        Rect {
            width: axis_width,
            ..axis
        }
    };
    frame.render_widget(Paragraph::new(line), axis);
}

/// The breakdown chosen with `cycle_breakdown`: one row per bucket with its ballots and each
/// option's share (and count and a small bar when there is room). Staff see every bucket with
/// exact counts; buckets under [`SMALL_BUCKET`] ballots are marked, since published statistics
/// hide them.
fn draw_breakdown(frame: &mut Frame, area: Rect, ui: &Ui, shown: &Shown, scroll: &mut usize) {
    let Shown {
        poll,
        data,
        by,
        error,
    } = *shown;
    if area.height == 0 {
        return;
    }
    let muted = ui.style(Slot::TextMuted);
    let [heading, table] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let Some(by) = by else {
        let text = ui.f(
            "pane.tallies.breakdown_hint",
            &[(
                "key",
                &ui.key(Pane::Tallies.section(), Action::CycleBreakdown),
            )],
        );
        // Wrapped: it is the only thing in the area.
        frame.render_widget(ui.paragraph(text).style(muted), area);
        return;
    };
    let title = ui.f(
        "pane.tallies.breakdown",
        &[("by", ui.t(&format!("breakdown.{}", by.as_str())))],
    );
    let groups = data.and_then(|d| match &d.groups {
        Some((dimension, groups)) if *dimension == by => Some(groups),
        _ => None,
    });
    let Some(groups) = groups else {
        let text = format!("{title} · {}", not_loaded(ui, error));
        frame.render_widget(ui.paragraph(text).style(muted), area);
        return;
    };
    if groups.is_empty() {
        let text = format!("{title} · {}", ui.t("pane.tallies.no_ballots"));
        frame.render_widget(
            Paragraph::new(ui.label(&text, heading.width, muted)),
            heading,
        );
        return;
    }
    let rows = ordered(by, groups);
    let any_small = rows.iter().any(|g| g.ballots < SMALL_BUCKET);
    let footnote_rows = u16::from(any_small && table.height >= 3);
    let visible = usize::from(table.height.saturating_sub(1 + footnote_rows));
    *scroll = (*scroll).min(rows.len().saturating_sub(visible.max(1)));
    let mut heading_text = title;
    if rows.len() > visible {
        let last = (*scroll + visible).min(rows.len());
        heading_text.push_str(" · ");
        heading_text.push_str(&ui.f(
            "pane.tallies.rows",
            &[
                ("from", &ui.num(*scroll + 1)),
                ("to", &ui.num(last)),
                ("total", &ui.num(rows.len())),
            ],
        ));
    }
    frame.render_widget(
        Paragraph::new(ui.label(&heading_text, heading.width, ui.style(Slot::Title))),
        heading,
    );

    let labels: Vec<String> = rows
        .iter()
        .map(|g| {
            let mut label = ui.bucket_label(by, &g.key);
            if g.ballots < SMALL_BUCKET {
                label.push_str(SMALL_MARK);
            }
            label
        })
        .collect();
    let dimension = ui.t(&format!("breakdown.{}", by.as_str())).to_owned();
    let ballots_head = ui.t("pane.tallies.column_ballots");
    let bucket_width = labels
        .iter()
        .map(|l| ui.width(l))
        .chain([ui.width(&dimension)])
        .max()
        .unwrap_or(4)
        .clamp(4, (table.width / 3).max(4));
    let ballots_width = rows
        .iter()
        .map(|g| ui.width(&ui.i18n.locale().grouped(g.ballots)))
        .chain([ui.width(ballots_head)])
        .max()
        .unwrap_or(1);
    let mut constraints = vec![
        Constraint::Length(bucket_width),
        Constraint::Length(ballots_width),
    ];
    constraints.extend(poll.options.iter().map(|_| Constraint::Fill(1)));
    let cols = ui.columns(table.width, &constraints);

    let title_style = ui.style(Slot::Title);
    let mut head = vec![
        ui.label(&dimension, cols[0].1, title_style),
        ui.label(ballots_head, cols[1].1, title_style),
    ];
    head.extend(
        poll.options
            .iter()
            .zip(&cols[2..])
            .map(|(o, (_, w))| ui.cell(option_label(ui, o), *w, title_style)),
    );
    let shown: Vec<(&TallyGroup, &String)> = rows
        .iter()
        .copied()
        .zip(&labels)
        .skip(*scroll)
        .take(visible)
        .collect();
    let styles: Vec<Style> = shown
        .iter()
        .map(|(g, _)| {
            if g.ballots < SMALL_BUCKET {
                muted
            } else {
                ui.style(Slot::TextNormal)
            }
        })
        .collect();
    // One column of cells per option; every cell of the table in the same format.
    let shares: Vec<Vec<(i64, i64)>> = poll
        .options
        .iter()
        .map(|option| {
            shown
                .iter()
                .map(|(g, _)| {
                    let count = g
                        .counts
                        .iter()
                        .find(|c| c.option_id == option.id)
                        .map_or(0, |c| c.count);
                    (count, g.ballots)
                })
                .collect()
        })
        .collect();
    let widths: Vec<u16> = cols[2..].iter().map(|(_, w)| *w).collect();
    let option_columns = share_columns(ui, &shares, &widths, &styles);
    let mut lines = vec![ui.row(table.width, &cols, head, Style::new())];
    for (i, ((group, label), style)) in shown.iter().zip(&styles).enumerate() {
        let mut cells = vec![
            ui.label(label, cols[0].1, *style),
            ui.label(&ui.i18n.locale().grouped(group.ballots), cols[1].1, *style),
        ];
        cells.extend(option_columns.iter().map(|column| column[i].clone()));
        lines.push(ui.row(table.width, &cols, cells, Style::new()));
    }
    if footnote_rows > 0 {
        // Pad so the footnote sits on the pane's last row.
        while lines.len() < usize::from(table.height) - 1 {
            lines.push(Line::default());
        }
        lines.push(ui.label(ui.t("pane.tallies.small_bucket"), table.width, muted));
    }
    frame.render_widget(Paragraph::new(lines), table);
}

/// The option columns of the breakdown table: per column, per row (`(count, ballots)`), each
/// option's share — with the count when every cell's fits, and after a small bar growing from
/// the reading side when every column has room for one — exactly as wide as its column.
fn share_columns(
    ui: &Ui,
    shares: &[Vec<(i64, i64)>],
    widths: &[u16],
    styles: &[Style],
) -> Vec<Vec<Line<'static>>> {
    let texts_of = |format: fn(&Ui, i64, i64) -> String| -> Vec<Vec<String>> {
        shares
            .iter()
            .map(|column| column.iter().map(|(c, t)| format(ui, *c, *t)).collect())
            .collect()
    };
    let widest = |texts: &[String]| texts.iter().map(|t| ui.width(t)).max().unwrap_or(0);
    let full = texts_of(share_text);
    let fits = |texts: &[Vec<String>]| {
        texts
            .iter()
            .zip(widths)
            .all(|(column, width)| widest(column) < *width)
    };
    let texts = if fits(&full) {
        full
    } else {
        texts_of(percent_text)
    };
    let text_widths: Vec<u16> = texts
        .iter()
        .zip(widths)
        .map(|(column, width)| widest(column).min(*width))
        .collect();
    let bars = text_widths
        .iter()
        .zip(widths)
        .all(|(text, width)| width.saturating_sub(text + 1) >= 3);
    texts
        .iter()
        .zip(shares)
        .zip(widths.iter().zip(&text_widths))
        .map(|((column, column_shares), (width, text_width))| {
            column
                .iter()
                .zip(column_shares)
                .zip(styles)
                .map(|((text, (count, total)), style)| {
                    if !bars {
                        return ui.label(text, *width, *style);
                    }
                    let room = width - text_width - 1;
                    let bar = bar_line(
                        bar_cells(*count, *total, room),
                        room,
                        ui.rtl(),
                        ui.style(Slot::Bar),
                    );
                    let label = ui.label(text, *text_width, *style);
                    let mut spans: Vec<Span<'static>> = Vec::new();
                    if ui.rtl() {
                        spans.extend(label.spans);
                        spans.push(Span::raw(" "));
                        spans.extend(bar.spans);
                    } else {
                        spans.extend(bar.spans);
                        spans.push(Span::raw(" "));
                        spans.extend(label.spans);
                    }
                    Line::from(spans)
                })
                .collect()
        })
        .collect()
}

/// Buckets in a reading order: age bands youngest first, genders and categories in the
/// protocol's order, provinces by ballots (most first); "not stated" always last.
fn ordered(by: Breakdown, groups: &[TallyGroup]) -> Vec<&TallyGroup> {
    let mut rows: Vec<&TallyGroup> = groups.iter().collect();
    let rank = |key: &str| -> usize {
        if key == UNKNOWN_BUCKET {
            return usize::MAX;
        }
        let position = match by {
            Breakdown::AgeBand => AgeBand::ALL.iter().position(|b| b.as_str() == key),
            Breakdown::Gender => Gender::ALL.iter().position(|g| g.as_str() == key),
            Breakdown::Category => Category::ALL.iter().position(|c| c.as_str() == key),
            Breakdown::Province => Some(0),
        };
        position.unwrap_or(usize::MAX - 1)
    };
    rows.sort_by(|a, b| {
        rank(&a.key)
            .cmp(&rank(&b.key))
            .then(b.ballots.cmp(&a.ballots))
            .then(a.key.cmp(&b.key))
    });
    rows
}

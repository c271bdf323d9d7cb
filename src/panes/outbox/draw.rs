//! Drawing the Outbox view: counts per status and the filter on top, the message table (columns
//! from the reading side), the selected message's details below, key hints at the bottom.

use mosharekat_api::{OutboxMessage, OutboxStatus};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, ScrollbarState};

use super::{Count, OutboxPane};
use crate::dates::{self, DateStyle};
use crate::keymap::{Action, Pane, Section};
use crate::theme::Slot;
use crate::ui::Ui;

fn status_slot(status: OutboxStatus) -> Slot {
    match status {
        OutboxStatus::Pending => Slot::OutboxPending,
        OutboxStatus::Sent => Slot::OutboxSent,
        OutboxStatus::Dead => Slot::OutboxDead,
    }
}

fn count_text(ui: &Ui, count: Count) -> String {
    ui.i18n.locale().grouped(count.n as i64)
}

impl OutboxPane {
    pub(super) fn draw_pane(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let block = ui.block(ui.t("pane.outbox.title"), true);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let muted = ui.style(Slot::TextMuted);
        let detail_rows = if inner.height >= 30 { 10 } else { 6 };
        let [summary, table, separator, detail, hints] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
            Constraint::Length(detail_rows),
            Constraint::Length(1),
        ])
        .areas(inner);

        // Counts per status, then the filter.
        let mut parts: Vec<String> = OutboxStatus::ALL
            .iter()
            .map(|s| {
                format!(
                    "{} {}",
                    ui.t(&format!("outbox_status.{}", s.as_str())),
                    count_text(ui, self.count(*s))
                )
            })
            .collect();
        let filter = match self.filter {
            None => ui.t("pane.outbox.filter_all").to_owned(),
            Some(s) => ui.t(&format!("outbox_status.{}", s.as_str())).to_owned(),
        };
        parts.push(ui.f("pane.outbox.showing", &[("filter", &filter)]));
        if self.remote.is_loading() {
            parts.push("…".into());
        }
        frame.render_widget(
            Paragraph::new(ui.label(&parts.join(" · "), summary.width, ui.style(Slot::Title))),
            summary,
        );

        ui.draw_hints(
            frame,
            hints,
            "outbox.hints",
            &[
                ("filter", Pane::Outbox.section(), Action::CycleFilter),
                ("retry", Pane::Outbox.section(), Action::Retry),
                ("scroll", Section::List, Action::ScrollDown),
            ],
        );

        if self.messages().is_empty() {
            let text = match (self.remote.error(), &self.loaded) {
                (Some(e), _) => e.to_owned(),
                (None, None) => ui.t("app.loading").to_owned(),
                (None, Some(_)) if self.filter.is_none() => ui.t("pane.outbox.empty").to_owned(),
                (None, Some(_)) => ui.f("outbox.none_with", &[("filter", &filter)]),
            };
            frame.render_widget(ui.paragraph(text).style(muted), table);
            return;
        }
        if let Some(e) = self.remote.error() {
            frame.render_widget(
                Paragraph::new(ui.label(e, separator.width, ui.style(Slot::Error))),
                separator,
            );
        } else {
            frame.render_widget(
                Block::new()
                    .borders(Borders::TOP)
                    .border_style(ui.style(Slot::BorderNormal)),
                separator,
            );
        }
        self.draw_table(frame, table, ui);
        if let Some(m) = self.selected().cloned() {
            self.draw_detail(frame, detail, ui, &m);
        }
    }

    fn draw_table(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let wide = area.width >= 120;
        let width = area.width.saturating_sub(1);
        let visible = usize::from(area.height.saturating_sub(1)).max(1);
        crate::ui::scroll_into_view(self.selected, &mut self.list_scroll, visible);
        let when = |m: &OutboxMessage| match m.status {
            OutboxStatus::Pending => {
                dates::format_date_time(m.next_attempt_at, DateStyle::Numeric, ui.i18n)
            }
            OutboxStatus::Sent => m
                .sent_at
                .map(|at| dates::format_date_time(at, DateStyle::Numeric, ui.i18n))
                .unwrap_or_default(),
            OutboxStatus::Dead => "—".to_owned(),
        };
        let mut heads = vec![
            ui.t("outbox.column_id").to_owned(),
            ui.t("pane.outbox.column_status").to_owned(),
            ui.t("pane.outbox.column_channel").to_owned(),
            ui.t("pane.outbox.column_recipient").to_owned(),
            ui.t("pane.outbox.column_attempts").to_owned(),
            ui.t("outbox.column_when").to_owned(),
        ];
        if wide {
            heads.push(ui.t("outbox.column_kind").to_owned());
            heads.push(ui.t("outbox.column_error").to_owned());
        }
        let rows: Vec<Vec<String>> = self
            .messages()
            .iter()
            .skip(self.list_scroll)
            .take(visible)
            .map(|m| {
                let mut row = vec![
                    ui.num(m.id),
                    ui.t(&format!("outbox_status.{}", m.status.as_str()))
                        .to_owned(),
                    ui.t(&format!("channel.{}", m.channel.as_str())).to_owned(),
                    match m.participant_id {
                        Some(id) => ui.f(
                            "outbox.recipient",
                            &[("id", &ui.num(id)), ("lang", m.language.as_str())],
                        ),
                        None => ui.t("outbox.recipient_channel").to_owned(),
                    },
                    ui.num(m.attempts),
                    when(m),
                ];
                if wide {
                    row.push(ui.t(&format!("outbox.kind_{}", m.kind.as_str())).to_owned());
                    row.push(m.last_error.clone().unwrap_or_default());
                }
                row
            })
            .collect();
        let fit = |i: usize, cap: u16| {
            rows.iter()
                .map(|r| ui.width(&r[i]))
                .chain([ui.width(&heads[i])])
                .max()
                .unwrap_or(1)
                .min(cap)
        };
        let mut constraints = vec![
            Constraint::Length(fit(0, 8)),
            Constraint::Length(fit(1, 14)),
            Constraint::Length(fit(2, 10)),
            Constraint::Min(8),
            Constraint::Length(fit(4, 8)),
            Constraint::Length(fit(5, 17)),
        ];
        if wide {
            constraints[3] = Constraint::Length(fit(3, 20));
            constraints.push(Constraint::Length(fit(6, 22)));
            constraints.push(Constraint::Min(10));
        }
        let cols = ui.columns(width, &constraints);
        let title = ui.style(Slot::Title);
        let head_cells = heads
            .iter()
            .zip(&cols)
            .map(|(h, (_, w))| ui.label(h, *w, title))
            .collect();
        let mut lines = vec![ui.row(width, &cols, head_cells, Style::new())];
        let shown: Vec<&OutboxMessage> = self
            .messages()
            .iter()
            .skip(self.list_scroll)
            .take(visible)
            .collect();
        for (i, (m, row)) in shown.iter().zip(&rows).enumerate() {
            let index = self.list_scroll + i;
            let selected = index == self.selected;
            let base = if selected {
                ui.style(Slot::Selection)
            } else {
                ui.style(Slot::TextNormal)
            };
            let status_style = if selected {
                base
            } else {
                ui.style(status_slot(m.status))
            };
            let cells: Vec<Line<'static>> = row
                .iter()
                .zip(&cols)
                .enumerate()
                .map(|(c, (text, (_, w)))| match c {
                    1 => ui.label(text, *w, status_style),
                    // The server's error text: any text, through the RTL engine's cell.
                    7 => ui.cell(text, *w, base),
                    _ => ui.label(text, *w, base),
                })
                .collect();
            lines.push(ui.row(width, &cols, cells, base));
        }
        let text_area = if ui.rtl() {
            Rect {
                x: area.x + 1,
                width,
                ..area
            }
        } else {
            Rect { width, ..area }
        };
        frame.render_widget(Paragraph::new(lines), text_area);
        let n = self.messages().len();
        if n > visible {
            let mut state = ScrollbarState::new(n).position(self.selected);
            frame.render_stateful_widget(
                ui.scrollbar().begin_symbol(None).end_symbol(None),
                area,
                &mut state,
            );
        }
    }

    fn draw_detail(&mut self, frame: &mut Frame, area: Rect, ui: &Ui, m: &OutboxMessage) {
        if area.height == 0 {
            return;
        }
        let muted = ui.style(Slot::TextMuted);
        let when = |at| dates::format_date_time(at, DateStyle::Numeric, ui.i18n);
        let mut facts = vec![
            ui.f("common.id", &[("id", &ui.num(m.id))]),
            ui.t(&format!("outbox.kind_{}", m.kind.as_str())).to_owned(),
            ui.f("outbox.consultation", &[("id", &ui.num(m.consultation_id))]),
            ui.f("outbox.created", &[("time", &when(m.created_at))]),
        ];
        if let Some(at) = m.last_attempt_at {
            facts.push(ui.f("outbox.last_attempt", &[("time", &when(at))]));
        }
        let [facts_row, error_row, key_row, text_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(ui.label(&facts.join(" · "), facts_row.width, muted)),
            facts_row,
        );
        // "Last error:" is ours; the error itself is any text: through `Ui::cell`.
        let error_label = ui.t("outbox.last_error_label");
        let label_width = ui.width(error_label).min(error_row.width / 2);
        let cols = ui.columns(
            error_row.width,
            &[Constraint::Length(label_width), Constraint::Min(1)],
        );
        let (error_text, error_style) = match &m.last_error {
            Some(e) => (e.as_str(), ui.style(Slot::Error)),
            None => (ui.t("common.none"), muted),
        };
        let line = ui.row(
            error_row.width,
            &cols,
            vec![
                ui.label(error_label, cols[0].1, muted),
                ui.cell(error_text, cols[1].1, error_style),
            ],
            Style::new(),
        );
        frame.render_widget(Paragraph::new(line), error_row);
        frame.render_widget(
            Paragraph::new(ui.label(
                &ui.f("outbox.idempotency_key", &[("key", &m.idempotency_key)]),
                key_row.width,
                muted,
            )),
            key_row,
        );
        let rows = ui.paragraph(m.text.as_str()).visual_rows(text_area.width);
        let max = rows.saturating_sub(usize::from(text_area.height));
        self.detail_scroll = self.detail_scroll.min(max);
        frame.render_widget(
            ui.paragraph(m.text.as_str())
                .style(ui.style(Slot::TextNormal))
                .scroll(self.detail_scroll),
            text_area,
        );
    }
}

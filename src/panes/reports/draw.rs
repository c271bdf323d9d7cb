//! Drawing the Reports pane: the consultation list on the reading side, the report's state and
//! the scrollable preview beside it, key hints at the bottom.

use mosharekat_api::ConsultationStatus;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Borders, Paragraph, ScrollbarState};

use std::collections::HashMap;

use super::{Entry, PreviewKey, ReportsPane, preview};
use crate::dates::{self, DateStyle};
use crate::keymap::{Action, Pane, Section};
use crate::theme::Slot;
use crate::ui::{ListDetail, Ui};

impl ReportsPane {
    pub(super) fn draw_pane(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let areas = ui.list_detail_frame(
            frame,
            area,
            ui.t("pane.reports.title"),
            true,
            ListDetail::from((26, 30)).without_rows().with_gap(),
        );
        if self.list.is_empty() {
            let text = match (self.list_state.error(), self.list_state.is_loaded()) {
                (Some(e), _) => ui.f("error.generic", &[("message", e)]),
                (None, false) => ui.t("app.loading").to_owned(),
                (None, true) => ui.t("reports.no_consultations").to_owned(),
            };
            frame.render_widget(
                Paragraph::new(ui.label(&text, areas.body.width, ui.style(Slot::TextMuted))),
                areas.body,
            );
            return;
        }
        self.draw_list(frame, areas.list, ui, areas.wide);
        self.draw_detail(frame, areas.detail, ui);
    }

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
        let status_width = if wide { 12 } else { 1 };
        let cols = ui.columns(
            inner.width,
            &[Constraint::Min(6), Constraint::Length(status_width)],
        );
        let mut lines = Vec::with_capacity(visible);
        for (i, c) in self
            .list
            .iter()
            .enumerate()
            .skip(self.list_scroll)
            .take(visible)
        {
            let base = if i == self.selected {
                ui.style(Slot::Selection)
            } else if c.status == ConsultationStatus::Closed {
                ui.style(Slot::TextNormal)
            } else {
                ui.style(Slot::TextMuted)
            };
            // ✓ once a report is public; otherwise the status (its initial in a narrow list).
            let status = if c.report_published_at.is_some() {
                if wide {
                    format!("✓ {}", ui.t("reports.list_published"))
                } else {
                    "✓".to_owned()
                }
            } else if wide {
                ui.t(&format!("consultation_status.{}", c.status.as_str()))
                    .to_owned()
            } else {
                match c.status {
                    ConsultationStatus::Closed => "·".to_owned(),
                    _ => " ".to_owned(),
                }
            };
            let cells = vec![
                ui.cell(ui.i18n.pick(&c.title_fa, &c.title_en), cols[0].1, base),
                ui.label(&status, cols[1].1, base),
            ];
            lines.push(ui.row(inner.width, &cols, cells, base));
        }
        frame.render_widget(Paragraph::new(lines), inner);
        if self.list.len() > visible {
            let mut state = ScrollbarState::new(self.list.len()).position(self.selected);
            frame.render_stateful_widget(ui.scrollbar(), area, &mut state);
        }
    }

    fn draw_detail(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        // The entries are lent out while drawing, so the report is never copied per frame.
        let entries = std::mem::take(&mut self.entries);
        self.draw_entry(frame, area, ui, &entries);
        self.entries = entries;
    }

    fn draw_entry(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        ui: &Ui,
        entries: &HashMap<i64, Entry>,
    ) {
        let Some(consultation) = self.current().cloned() else {
            return;
        };
        let no_entry = Entry::default();
        let entry = entries.get(&consultation.id).unwrap_or(&no_entry);
        let muted = ui.style(Slot::TextMuted);
        let when = |at| dates::format_date_time(at, DateStyle::Numeric, ui.i18n);

        let mut header: Vec<ratatui::text::Line<'static>> = vec![ui.cell(
            ui.i18n.pick(&consultation.title_fa, &consultation.title_en),
            area.width,
            ui.style(Slot::Title),
        )];
        if let Some(draft) = &entry.draft {
            header.push(ui.label(
                &ui.f(
                    "reports.draft_line",
                    &[
                        ("version", &ui.num(draft.version)),
                        ("time", &when(draft.generated_at)),
                        ("user", &draft.generated_by),
                    ],
                ),
                area.width,
                muted,
            ));
        }
        let published = match &entry.published {
            Some(p) => {
                let mut text = ui.f(
                    "reports.published_line",
                    &[
                        ("version", &ui.num(p.version)),
                        ("time", &when(p.at)),
                        ("user", &p.by),
                    ],
                );
                if entry.draft.as_ref().is_some_and(|d| d.version != p.version) {
                    text = format!("{text} · {}", ui.t("reports.draft_not_public"));
                }
                Some((text, Slot::StatusApproved))
            }
            None if entry.draft.is_some() => {
                Some((ui.t("reports.not_published").to_owned(), Slot::Warning))
            }
            None => None,
        };
        if let Some((text, slot)) = published {
            header.push(ui.label(&text, area.width, ui.style(slot)));
        }
        if let Some(path) = &self.last_export {
            header.push(ui.label(
                &ui.f(
                    "reports.last_export",
                    &[("path", &path.display().to_string())],
                ),
                area.width,
                muted,
            ));
        }
        let header_rows = header.len() as u16;
        let [header_area, _, body, hints] = Layout::vertical([
            Constraint::Length(header_rows),
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(header), header_area);

        ui.draw_hints(
            frame,
            hints,
            "reports.hints",
            &[
                ("generate", Pane::Reports.section(), Action::Generate),
                ("publish", Pane::Reports.section(), Action::Publish),
                ("export", Pane::Reports.section(), Action::Export),
                ("scroll", Section::List, Action::ScrollDown),
            ],
        );

        let Some(draft) = &entry.draft else {
            let text = if entry.generating {
                ui.t("pane.reports.generating").to_owned()
            } else if let Some(error) = &entry.error {
                error.clone()
            } else if entry.loading || !entry.missing {
                ui.t("app.loading").to_owned()
            } else if consultation.status != ConsultationStatus::Closed {
                ui.f(
                    "reports.open_until",
                    &[("date", &when(consultation.closes_at))],
                )
            } else {
                ui.f(
                    "pane.reports.none",
                    &[("key", &ui.key(Pane::Reports.section(), Action::Generate))],
                )
            };
            frame.render_widget(ui.paragraph(text).style(muted), body);
            return;
        };
        let [body, error_row] = Layout::vertical([
            Constraint::Min(1),
            Constraint::Length(u16::from(entry.error.is_some() || entry.generating)),
        ])
        .areas(body);
        if let Some(error) = &entry.error {
            frame.render_widget(
                Paragraph::new(ui.label(error, error_row.width, ui.style(Slot::Error))),
                error_row,
            );
        } else if entry.generating {
            frame.render_widget(
                Paragraph::new(ui.label(ui.t("pane.reports.generating"), error_row.width, muted)),
                error_row,
            );
        }
        // The scrollbar on the far side from the reading side, a blank column before it.
        let text_width = body.width.saturating_sub(2);
        // Built once per report version, width and language; scrolling only picks rows.
        let key = PreviewKey {
            consultation_id: draft.consultation.id,
            version: draft.version,
            generated_at: draft.generated_at,
            width: text_width,
            lang: ui.i18n.locale().code().to_owned(),
        };
        if self.preview.as_ref().is_none_or(|(k, _)| *k != key) {
            self.preview = Some((key, preview::build(ui, draft, text_width)));
        }
        let preview: &[ratatui::text::Line<'static>] =
            self.preview.as_ref().map_or(&[], |(_, lines)| lines);
        let visible = usize::from(body.height).max(1);
        self.page = visible.saturating_sub(1).max(1);
        let total = preview.len();
        self.scroll = self.scroll.min(total.saturating_sub(visible));
        let lines: Vec<_> = preview
            .iter()
            .skip(self.scroll)
            .take(visible)
            .cloned()
            .collect();
        let text_area = if ui.rtl() {
            Rect {
                x: body.x + 2,
                width: text_width,
                ..body
            }
        } else {
            Rect {
                width: text_width,
                ..body
            }
        };
        frame.render_widget(Paragraph::new(lines), text_area);
        if total > visible {
            let mut state =
                ScrollbarState::new(total.saturating_sub(visible) + 1).position(self.scroll);
            frame.render_stateful_widget(
                ui.scrollbar().begin_symbol(None).end_symbol(None),
                body,
                &mut state,
            );
        }
    }
}

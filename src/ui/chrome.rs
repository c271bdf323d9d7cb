//! The console's frame: pane tabs, the offline banner, the status bar, the help overlay.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::Ui;
use crate::keymap::{Action, Context, Pane, Section};
use crate::theme::Slot;

/// One row of pane titles, the active one highlighted; in a Persian interface the first pane is
/// on the right. When every title does not fit (an admin's eight panes at 80 columns), the
/// inactive panes show only their key, so every pane stays reachable at a glance.
pub fn draw_tabs(frame: &mut Frame, area: Rect, ui: &Ui, panes: &[Pane], active: usize) {
    let text_of = |i: usize, pane: Pane, compact: bool| {
        let key = ui.key(Section::Global, Action::Go(pane));
        let key = ui.i18n.locale().localise_digits(key.as_str()).into_owned();
        if compact && i != active {
            format!(" {key} ")
        } else {
            format!(" {key} {} ", ui.t(&format!("pane.{}.title", pane.name())))
        }
    };
    let full: usize = panes
        .iter()
        .enumerate()
        .map(|(i, p)| ui.width(&text_of(i, *p, false)) as usize + 1)
        .sum();
    let compact = full.saturating_sub(1) > area.width as usize;
    let mut labels: Vec<Line<'static>> = Vec::new();
    for (i, pane) in panes.iter().enumerate() {
        let slot = if i == active {
            Slot::TabActive
        } else {
            Slot::TabInactive
        };
        let text = text_of(i, *pane, compact);
        labels.push(ui.cell(&text, ui.width(&text), ui.style(slot)));
    }
    if ui.rtl() {
        labels.reverse();
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (i, label) in labels.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", ui.style(Slot::BorderNormal)));
        }
        spans.extend(label.spans);
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let pad = (area.width as usize).saturating_sub(used);
    if ui.rtl() {
        spans.insert(0, Span::raw(" ".repeat(pad)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A full-width warning line (backend unreachable, session expired…).
pub fn draw_banner(frame: &mut Frame, area: Rect, ui: &Ui, text: &str, slot: Slot) {
    frame.render_widget(
        Paragraph::new(ui.label(text, area.width, ui.style(slot))).style(ui.style(slot)),
        area,
    );
}

/// The bottom line: who is signed in, the connection, unsent decisions, the latest notice, hints.
pub fn draw_status_bar(frame: &mut Frame, area: Rect, ui: &Ui, parts: &StatusParts) {
    let slot = if parts.online {
        Slot::StatusBarNormal
    } else {
        Slot::StatusBarOffline
    };
    let style = ui.style(slot);
    let role = ui.t(&format!("role.{}", ui.role.as_str())).to_owned();
    let mut segments = vec![ui.f(
        "status_bar.signed_in",
        &[("user", &parts.user), ("role", &role)],
    )];
    if parts.unsent > 0 {
        segments.push(ui.i18n.count("status_bar.unsent", parts.unsent as i64, &[]));
    }
    if let Some(notice) = &parts.notice {
        segments.push(notice.clone());
    }
    let help = ui.f(
        "status_bar.help_hint",
        &[("key", &ui.key(Section::Global, Action::Help))],
    );
    let quit = ui.f(
        "status_bar.quit_hint",
        &[("key", &ui.key(Section::Global, Action::Quit))],
    );
    let left = segments.join(" │ ");
    let right = format!("{help} │ {quit}");
    let right_width = ui.width(&right).min(area.width / 2);
    let left_width = area.width.saturating_sub(right_width + 1);
    // The reading side gets the session and notices; the far side the key hints.
    let main = ui.label(&left, left_width, style);
    let hints = ui.cell(&right, right_width.min(area.width), style);
    let mut spans: Vec<Span<'static>> = Vec::new();
    if ui.rtl() {
        spans.extend(hints.spans);
        spans.push(Span::styled(" ", style));
        spans.extend(main.spans);
    } else {
        spans.extend(main.spans);
        spans.push(Span::styled(" ", style));
        spans.extend(hints.spans);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(style), area);
}

/// What the status bar shows.
#[derive(Debug, Clone, Default)]
pub struct StatusParts {
    pub user: String,
    pub online: bool,
    pub unsent: usize,
    pub notice: Option<String>,
}

/// The active key bindings for `context`, in the interface language, from row `scroll` on, under
/// the citizen portal's address (`portal`). Returns the scroll actually used (clamped to the
/// content).
pub fn draw_help(
    frame: &mut Frame,
    area: Rect,
    ui: &Ui,
    context: Context,
    portal: &str,
    scroll: u16,
) -> u16 {
    let popup = area.inner(Margin {
        horizontal: area.width / 10,
        vertical: 1,
    });
    frame.render_widget(Clear, popup);
    let close = ui.f(
        "help.close_hint",
        &[("key", &ui.key(Section::Global, Action::Help))],
    );
    let block = ui.block(&format!("{} — {close}", ui.t("help.title")), true);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let key_width = 18u16.min(inner.width / 3);
    let action_width = inner.width.saturating_sub(key_width + 1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    // Where the portal is, always: the status line says it only for a while after the start.
    let portal = ui.f(
        "help.portal",
        &[
            ("url", portal),
            ("key", &ui.key(Section::Global, Action::OpenPortal)),
        ],
    );
    lines.push(ui.label(&portal, inner.width, ui.style(Slot::TextHighlight)));
    lines.push(ui.label(
        ui.t("help.layout_note"),
        inner.width,
        ui.style(Slot::TextMuted),
    ));
    for section in ui.keymap.help(context) {
        lines.push(ui.label(
            ui.t(&format!("help.section.{}", section.section.name())),
            inner.width,
            ui.style(Slot::HelpSection),
        ));
        for entry in section.entries {
            let mut keys = entry.keys.join(", ");
            if !entry.layout_keys.is_empty() {
                keys = format!("{keys} ({})", entry.layout_keys.join(", "));
            }
            // Key names read left to right in either interface (`?, f1`, `ctrl-s`).
            let key = ui.keys_cell(&keys, key_width, ui.style(Slot::HelpKey));
            let action = ui.label(
                ui.t(&format!("action.{}", entry.action.name())),
                action_width,
                ui.style(Slot::HelpAction),
            );
            let mut spans = Vec::new();
            if ui.rtl() {
                spans.extend(action.spans);
                spans.push(Span::raw(" "));
                spans.extend(key.spans);
            } else {
                spans.extend(key.spans);
                spans.push(Span::raw(" "));
                spans.extend(action.spans);
            }
            lines.push(Line::from(spans));
        }
    }
    let scroll = scroll.min((lines.len() as u16).saturating_sub(inner.height));
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    scroll
}

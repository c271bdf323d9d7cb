//! Drawing the Queue pane: a summary line, the claimed comments as a list on the reading side,
//! the selected comment in full beside it, a line of key hints, and any open dialog on top.
//! Citizen text (bodies, names, titles) reaches cells only through `ui.cell` / `ui.paragraph`.

use chrono::{DateTime, Timelike, Utc};
use mosharekat_api::{AgeBand, CommentSource, ModerationAction, ParticipantSummary};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Paragraph, ScrollbarState};

use super::{DecisionState, Dialog, Item, QueuePane};
use crate::dates::{self, DateStyle};
use crate::keymap::{Action, Pane, Section};
use crate::theme::Slot;
use crate::ui::{Ui, centered};

/// A list this wide or wider shows every column.
const WIDE_LIST: u16 = 70;

pub(super) fn draw(pane: &mut QueuePane, frame: &mut Frame, area: Rect, ui: &Ui) {
    let areas = ui.list_detail_frame(
        frame,
        area,
        ui.t("pane.queue.title"),
        pane.dialog.is_none(),
        (60, 45),
    );
    draw_summary(pane, frame, areas.summary, ui);
    draw_list(pane, frame, areas.list, ui);
    draw_detail(pane, frame, areas.detail, ui);
    ui.draw_hints(
        frame,
        areas.hints,
        "pane.queue.hints",
        &[
            ("approve", Pane::Queue.section(), Action::Approve),
            ("reject", Pane::Queue.section(), Action::Reject),
            ("hide", Pane::Queue.section(), Action::Hide),
            ("note", Pane::Queue.section(), Action::Note),
            ("tag", Pane::Queue.section(), Action::Tag),
            ("group", Pane::Queue.section(), Action::ActOnGroup),
            ("undo", Pane::Queue.section(), Action::Undo),
            ("claim", Pane::Queue.section(), Action::ClaimNext),
            ("release", Pane::Queue.section(), Action::Release),
            ("help", Section::Global, Action::Help),
        ],
    );
    draw_dialog(pane, frame, area, ui);
}

/// The undo countdown, arrivals, and what is held until when.
fn draw_summary(pane: &QueuePane, frame: &mut Frame, area: Rect, ui: &Ui) {
    let mut parts: Vec<String> = Vec::new();
    let mut slot = Slot::TextMuted;
    let last = pane.history.last().and_then(|key| {
        pane.items
            .iter()
            .filter_map(|i| i.decision.as_ref())
            .find(|d| &d.key == key)
    });
    if let Some(decision) = last
        && decision.undo_until > ui.now
    {
        let left = (decision.undo_until - ui.now).num_milliseconds();
        let seconds = (left + 999) / 1000;
        parts.push(ui.f(
            "pane.queue.undo_hint",
            &[
                ("key", &ui.key(Pane::Queue.section(), Action::Undo)),
                ("seconds", &ui.num(seconds)),
            ],
        ));
        slot = Slot::StatusUnsent;
    }
    if pane.new_arrivals > 0 {
        parts.push(
            ui.i18n
                .count("pane.queue.new_arrivals", pane.new_arrivals, &[]),
        );
        if slot == Slot::TextMuted {
            slot = Slot::TextHighlight;
        }
    }
    let held = pane.items.iter().filter(|i| i.needs_claim()).count();
    if let Some(lease) = pane.lease
        && held > 0
    {
        if lease.expires_at <= ui.now {
            parts.push(ui.t("pane.queue.lease_expired").to_owned());
            slot = Slot::Warning;
        } else {
            parts.push(ui.f(
                "pane.queue.claimed",
                &[
                    ("count", &ui.num(held)),
                    ("time", &clock(ui, lease.expires_at)),
                ],
            ));
        }
    }
    frame.render_widget(
        Paragraph::new(ui.label(&parts.join(" · "), area.width, ui.style(slot))),
        area,
    );
}

fn draw_list(pane: &mut QueuePane, frame: &mut Frame, area: Rect, ui: &Ui) {
    if area.height < 2 || area.width < 4 {
        return;
    }
    if pane.items.is_empty() {
        let text = match &pane.error {
            Some(e) => ui.f("error.generic", &[("message", e)]),
            None if !pane.claimed_once => ui.t("app.loading").to_owned(),
            None => ui.f(
                "pane.queue.empty",
                &[("key", &ui.key(Pane::Queue.section(), Action::ClaimNext))],
            ),
        };
        frame.render_widget(ui.paragraph(text).style(ui.style(Slot::TextMuted)), area);
        return;
    }
    let [head, rows_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    // The scrollbar takes one column: on the left in a mirrored interface.
    let width = area.width - 1;
    let content = |r: Rect| Rect {
        x: if ui.rtl() { r.x + 1 } else { r.x },
        width,
        ..r
    };
    let wide = width >= WIDE_LIST;
    let mut columns = vec![
        ("", Constraint::Length(1)),
        ("column_comment", Constraint::Fill(1)),
    ];
    if wide {
        columns.push(("column_consultation", Constraint::Length(14)));
    }
    columns.push((
        "column_category",
        Constraint::Length(if wide { 16 } else { 9 }),
    ));
    if wide {
        columns.extend([
            ("column_age", Constraint::Length(12)),
            ("column_group", Constraint::Length(6)),
            ("column_received", Constraint::Length(10)),
        ]);
    }
    let constraints: Vec<Constraint> = columns.iter().map(|(_, c)| *c).collect();
    let cols = ui.columns(width, &constraints);
    let heads: Vec<Line<'static>> = columns
        .iter()
        .zip(&cols)
        .map(|((key, _), (_, w))| {
            let text = if key.is_empty() {
                String::new()
            } else {
                ui.t(&format!("pane.queue.{key}")).to_owned()
            };
            ui.label(&text, *w, ui.style(Slot::Title))
        })
        .collect();
    frame.render_widget(
        Paragraph::new(ui.row(width, &cols, heads, Style::new())),
        content(head),
    );

    let visible = rows_area.height as usize;
    crate::ui::scroll_into_view(pane.selected, &mut pane.list_scroll, visible);
    let armed_group = pane
        .group_armed
        .then(|| pane.selected().map(Item::group_id))
        .flatten();
    let mut lines = Vec::with_capacity(visible);
    for (i, item) in pane
        .items
        .iter()
        .enumerate()
        .skip(pane.list_scroll)
        .take(visible)
    {
        let in_armed_group = armed_group == Some(item.group_id()) && item.decidable();
        let base = if i == pane.selected {
            ui.style(Slot::Selection)
        } else if in_armed_group {
            ui.style(Slot::Marked)
        } else if item.finished() {
            ui.style(Slot::TextMuted)
        } else {
            ui.style(Slot::TextNormal)
        };
        let (mark, mark_slot) = status_mark(item, in_armed_group);
        let comment = &item.claimed.comment;
        let mut cells = vec![
            ui.cell(mark, cols[0].1, ui.style(mark_slot)),
            ui.cell(&comment.body, cols[1].1, base),
        ];
        let mut next = 2;
        if wide {
            cells.push(ui.cell(consultation_title(ui, item), cols[next].1, base));
            next += 1;
        }
        cells.push(ui.label(
            ui.t(&format!(
                "category.{}",
                comment.participant.category.as_str()
            )),
            cols[next].1,
            base,
        ));
        if wide {
            cells.push(ui.label(
                ui.t(&format!(
                    "age_band.{}",
                    comment.participant.age_band.as_str()
                )),
                cols[next + 1].1,
                base,
            ));
            let group = if item.group_size() > 1 {
                ui.num(item.group_size())
            } else {
                "—".to_owned()
            };
            cells.push(ui.label(&group, cols[next + 2].1, base));
            cells.push(ui.label(&short_time(ui, comment.created_at), cols[next + 3].1, base));
        }
        // The selected row is one colour from edge to edge; others keep their mark's colour.
        let row_style = if i == pane.selected {
            base
        } else {
            Style::new()
        };
        lines.push(ui.row(width, &cols, cells, row_style));
    }
    frame.render_widget(Paragraph::new(lines), content(rows_area));
    if pane.items.len() > visible {
        let mut bar = ScrollbarState::new(pane.items.len()).position(pane.selected);
        frame.render_stateful_widget(ui.scrollbar(), rows_area, &mut bar);
    }
}

/// The one-column mark of where a comment's decision stands.
fn status_mark(item: &Item, in_armed_group: bool) -> (&'static str, Slot) {
    if let Some(decision) = &item.decision {
        return match &decision.state {
            DecisionState::Pending => ("…", Slot::StatusUnsent),
            DecisionState::Applied => match decision.action {
                ModerationAction::Approve => ("✓", Slot::StatusApproved),
                ModerationAction::Reject => ("✗", Slot::StatusRejected),
                ModerationAction::Hide => ("⊘", Slot::StatusHidden),
            },
            DecisionState::Failed(_) => ("!", Slot::Error),
        };
    }
    if item.elsewhere.is_some() {
        return ("≠", Slot::Warning);
    }
    if in_armed_group {
        return ("≡", Slot::Marked);
    }
    (" ", Slot::TextNormal)
}

fn draw_detail(pane: &mut QueuePane, frame: &mut Frame, area: Rect, ui: &Ui) {
    let Some(item) = pane.items.get(pane.selected) else {
        frame.render_widget(ui.block("", false), area);
        return;
    };
    let comment = &item.claimed.comment;
    let title = format!(
        "{} {}",
        ui.t("pane.queue.column_comment"),
        ui.f("common.id", &[("id", &ui.num(comment.id))])
    );
    let block = ui.block(&title, false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width < 2 {
        return;
    }
    let width = inner.width;

    let mut header: Vec<Line<'static>> = vec![
        ui.cell(consultation_title(ui, item), width, ui.style(Slot::Title)),
        ui.label(
            &participant_summary(ui, &comment.participant),
            width,
            ui.style(Slot::TextNormal),
        ),
    ];
    let mut facts: Vec<String> = Vec::new();
    if comment.is_proposal {
        facts.push(ui.t("pane.queue.proposal").to_owned());
    }
    if comment.source != CommentSource::Web {
        let channel = format!("channel.{}", comment.source.as_str());
        facts.push(ui.f("pane.queue.via", &[("channel", ui.t(&channel))]));
    }
    if let Some(article) = &comment.article {
        // The number, not the label as printed: it is the draft's text and goes through no sanitiser here.
        facts.push(ui.f(
            "pane.queue.about_article",
            &[
                ("number", &ui.num(article.number)),
                ("version", &ui.num(article.version)),
            ],
        ));
    }
    facts.push(if item.group_size() > 1 {
        ui.i18n
            .count("pane.queue.group_size", item.group_size(), &[])
    } else {
        ui.t("pane.queue.unique").to_owned()
    });
    facts.push(ui.f(
        "pane.queue.received",
        &[(
            "time",
            &dates::format_date_time(comment.created_at, DateStyle::Numeric, ui.i18n),
        )],
    ));
    header.push(ui.label(&facts.join(" · "), width, ui.style(Slot::TextMuted)));
    if let Some((text, slot)) = state_line(ui, item) {
        header.push(ui.label(&text, width, ui.style(slot)));
    }
    if pane.group_armed && item.decidable() {
        header.push(
            ui.label(
                &ui.i18n
                    .count("pane.queue.group_armed", item.group_size(), &[]),
                width,
                ui.style(Slot::Marked),
            ),
        );
    }
    if !item.tags.is_empty() {
        let separator = if ui.rtl() { "، " } else { ", " };
        header.push(ui.label(
            &ui.f(
                "pane.queue.tags_label",
                &[("tags", &item.tags.join(separator))],
            ),
            width,
            ui.style(Slot::TextHighlight),
        ));
    }
    if let Some(note) = &pane.note {
        header.push(ui.label(
            &ui.f(
                "pane.queue.note_label",
                &[("note", &note.replace('\n', " "))],
            ),
            width,
            ui.style(Slot::TextHighlight),
        ));
    }
    // Keep at least three rows for the text itself.
    header.truncate((inner.height as usize).saturating_sub(3).max(1));
    let header_height = header.len() as u16;
    let [head, _gap, text_area] = Layout::vertical([
        Constraint::Length(header_height),
        Constraint::Length(u16::from(inner.height > header_height + 3)),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(header), head);
    if text_area.height == 0 {
        return;
    }

    let muted = ui.style(Slot::TextMuted);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let thread = &item.claimed.thread;
    if !thread.is_empty() {
        if pane.show_thread {
            lines.push(Line::styled(
                format!("{}:", ui.t("pane.queue.reply_to")),
                muted.add_modifier(Modifier::BOLD),
            ));
            for ancestor in thread {
                lines.push(Line::styled(
                    ancestor.display_name.clone(),
                    muted.add_modifier(Modifier::BOLD),
                ));
                lines.extend(Text::styled(ancestor.body.clone(), muted).lines);
            }
            lines.push(Line::from(""));
        } else {
            lines.push(Line::styled(
                ui.f(
                    "pane.queue.thread_hidden",
                    &[("key", &ui.key(Pane::Queue.section(), Action::ToggleThread))],
                ),
                muted,
            ));
        }
    }
    lines.extend(Text::styled(comment.body.clone(), ui.style(Slot::TextNormal)).lines);
    let paragraph = ui.paragraph(Text::from(lines));
    let rows = paragraph.visual_rows(text_area.width);
    let fits = rows <= text_area.height as usize;
    let text_width = if fits {
        text_area.width
    } else {
        text_area.width - 1
    };
    let rows = if fits {
        rows
    } else {
        paragraph.visual_rows(text_width)
    };
    let max_scroll = rows.saturating_sub(text_area.height as usize);
    pane.detail_scroll = pane.detail_scroll.min(max_scroll);
    let text_rect = Rect {
        x: if ui.rtl() && !fits {
            text_area.x + 1
        } else {
            text_area.x
        },
        width: text_width,
        ..text_area
    };
    frame.render_widget(paragraph.scroll(pane.detail_scroll), text_rect);
    if !fits {
        let mut bar = ScrollbarState::new(max_scroll + 1).position(pane.detail_scroll);
        frame.render_stateful_widget(ui.scrollbar(), text_area, &mut bar);
    }
}

/// Where the comment's decision stands, in words.
fn state_line(ui: &Ui, item: &Item) -> Option<(String, Slot)> {
    if let Some(other) = &item.elsewhere {
        let key = format!("comment_status.{}", other.status.as_str());
        let status = ui.t(&key);
        return Some((
            format!(
                "{} ({status})",
                ui.f("pane.queue.decided_elsewhere", &[("user", &other.user)])
            ),
            Slot::Warning,
        ));
    }
    let decision = item.decision.as_ref()?;
    let key = format!("action.{}", decision.action.as_str());
    let name = ui.t(&key);
    let mut line = match &decision.state {
        DecisionState::Pending => (
            ui.f("pane.queue.state_pending", &[("decision", name)]),
            Slot::StatusUnsent,
        ),
        DecisionState::Applied => (
            ui.f("pane.queue.state_applied", &[("decision", name)]),
            match decision.action {
                ModerationAction::Approve => Slot::StatusApproved,
                ModerationAction::Reject => Slot::StatusRejected,
                ModerationAction::Hide => Slot::StatusHidden,
            },
        ),
        DecisionState::Failed(message) => (
            ui.f("pane.queue.state_failed", &[("message", message)]),
            Slot::Error,
        ),
    };
    if decision.group {
        line.0 = format!("{} · {}", line.0, ui.t("pane.queue.group_decision"));
    }
    Some(line)
}

fn draw_dialog(pane: &mut QueuePane, frame: &mut Frame, area: Rect, ui: &Ui) {
    match &mut pane.dialog {
        None => {}
        Some(Dialog::Reason { picker, .. }) => picker.draw(frame, area, ui),
        Some(Dialog::ConfirmGroup { confirm, .. } | Dialog::ConfirmRelease(confirm)) => {
            confirm.draw(frame, area, ui)
        }
        Some(Dialog::Note { field, .. } | Dialog::Tags { field, .. }) => {
            let popup = centered(area, area.width.saturating_sub(8).min(72), 7);
            field.draw(frame, popup, ui);
        }
    }
}

/// The consultation's title in the interface language (Persian when there is no English one).
fn consultation_title<'i>(ui: &Ui, item: &'i Item) -> &'i str {
    ui.i18n.pick(
        &item.claimed.consultation_title_fa,
        &item.claimed.consultation_title_en,
    )
}

/// Category, then age band, gender and province where the participant stated them, each in
/// the interface language.
pub(super) fn participant_summary(ui: &Ui, participant: &ParticipantSummary) -> String {
    let mut keys = vec![format!("category.{}", participant.category.as_str())];
    if participant.age_band != AgeBand::Unknown {
        keys.push(format!("age_band.{}", participant.age_band.as_str()));
    }
    if let Some(gender) = participant.gender {
        keys.push(format!("gender.{}", gender.as_str()));
    }
    if let Some(province) = participant.province {
        keys.push(format!("province.{}", province.code()));
    }
    keys.iter()
        .map(|key| ui.t(key))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Tehran wall-clock time, `HH:MM`, in the interface's digits.
fn clock(ui: &Ui, at: DateTime<Utc>) -> String {
    let time = dates::tehran_time(at);
    ui.i18n
        .locale()
        .localise_digits(format!("{:02}:{:02}", time.hour(), time.minute()))
        .into_owned()
}

/// A received time for a narrow column: the clock today, the date before.
fn short_time(ui: &Ui, at: DateTime<Utc>) -> String {
    if dates::days_until(at, ui.now) == 0 {
        clock(ui, at)
    } else {
        ui.date(at)
    }
}

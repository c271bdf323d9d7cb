//! Drawing the Rationale pane: the consultation on the first row, its proposals as a list on the
//! reading side, the selected proposal beside it (its text, group, outcome and where its draft
//! stands) over the three editors; on a conflict the other editor's decision beside yours.
//! Text citizens or staff wrote reaches cells only through `ui.cell` / `ui.paragraph` and the
//! RTL engine's editor view.

use mosharekat_api::{Outcome, Proposal, ProposalDecision};
use mosharekat_rtl::{BaseDirection, BidiEditor};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Clear, Paragraph, ScrollbarState};

use super::{Dialog, Editor, Field, RationalePane};
use crate::keymap::{Action, Pane, Section};
use crate::theme::Slot;
use crate::ui::{ListDetail, Ui};

pub(super) fn draw(pane: &mut RationalePane, frame: &mut Frame, area: Rect, ui: &Ui) {
    let areas = ui.list_detail_frame(
        frame,
        area,
        ui.t("pane.rationale.title"),
        pane.dialog.is_none(),
        ListDetail::from((30, 32)).with_gap(),
    );
    draw_header(pane, frame, areas.summary, ui);
    if pane.proposals().is_empty() {
        let text = if let Some(e) = pane.consultations_state.error() {
            ui.f("error.generic", &[("message", e)])
        } else if let Some(e) = pane.proposals_state.error() {
            ui.f("error.generic", &[("message", e)])
        } else if !pane.consultations_state.is_loaded() || pane.proposals_state.is_loading() {
            ui.t("app.loading").to_owned()
        } else if pane.current.is_none() {
            ui.t("rationale.no_consultations").to_owned()
        } else {
            ui.t("pane.rationale.no_proposals").to_owned()
        };
        frame.render_widget(
            Paragraph::new(ui.label(&text, areas.body.width, ui.style(Slot::TextMuted))),
            areas.body,
        );
    } else {
        draw_list(pane, frame, areas.list, ui, areas.wide);
        draw_detail(pane, frame, areas.detail, ui);
    }
    draw_hints(pane, frame, areas.hints, ui);
    match &pane.dialog {
        Some(Dialog::Consultations(picker)) => picker.draw(frame, area, ui),
        Some(Dialog::ConfirmPublish(confirm)) => confirm.draw(frame, area, ui),
        None => {}
    }
}

/// The consultation's title, its status and proposal count, and the key that changes it.
fn draw_header(pane: &RationalePane, frame: &mut Frame, area: Rect, ui: &Ui) {
    let Some(c) = pane.current_consultation() else {
        return;
    };
    let status = ui
        .t(&format!("consultation_status.{}", c.status.as_str()))
        .to_owned();
    let info = format!(
        "{} · {} · {}: {}",
        status,
        ui.i18n.count(
            "pane.rationale.proposals",
            pane.proposals().len() as i64,
            &[]
        ),
        ui.key(Pane::Rationale.section(), Action::ChooseConsultation),
        ui.t("rationale.change_consultation"),
    );
    let info_width = ui.width(&info).min(area.width / 2);
    let cols = ui.columns(
        area.width,
        &[Constraint::Min(8), Constraint::Length(info_width)],
    );
    let title = ui.i18n.pick(&c.title_fa, &c.title_en);
    let line = ui.row(
        area.width,
        &cols,
        vec![
            ui.cell(title, cols[0].1, ui.style(Slot::Title)),
            ui.label(&info, cols[1].1, ui.style(Slot::TextMuted)),
        ],
        ui.style(Slot::TextNormal),
    );
    frame.render_widget(Paragraph::new(line), area);
}

/// Where a proposal's decision stands, for its list row and the detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    None,
    Saved,
    Unsaved,
    Saving,
    Conflict,
    Published,
}

fn state_of(proposal: &Proposal, editor: Option<&Editor>) -> State {
    match editor {
        Some(e) if e.published => State::Published,
        Some(e) if e.conflict.is_some() => State::Conflict,
        Some(e) if e.saving() => State::Saving,
        Some(e) if e.dirty() => State::Unsaved,
        _ => match &proposal.decision {
            Some(d) if d.published_at.is_some() => State::Published,
            Some(_) => State::Saved,
            None => State::None,
        },
    }
}

fn state_slot(state: State) -> Slot {
    match state {
        State::None => Slot::TextMuted,
        State::Saved => Slot::TextNormal,
        State::Unsaved | State::Saving => Slot::StatusUnsent,
        State::Conflict => Slot::Warning,
        State::Published => Slot::Success,
    }
}

fn outcome_slot(outcome: Outcome) -> Slot {
    match outcome {
        Outcome::Accepted => Slot::OutcomeAccepted,
        Outcome::PartiallyAccepted => Slot::OutcomePartiallyAccepted,
        Outcome::Rejected => Slot::OutcomeRejected,
    }
}

fn outcome_label(outcome: Option<Outcome>, ui: &Ui) -> String {
    match outcome {
        Some(o) => ui.t(&format!("outcome.{}", o.as_str())).to_owned(),
        None => ui.t("pane.rationale.undecided").to_owned(),
    }
}

fn outcome_of(proposal: &Proposal, editor: Option<&Editor>) -> Option<Outcome> {
    match editor {
        Some(e) => e.outcome,
        None => proposal.decision.as_ref().and_then(|d| d.outcome),
    }
}

fn draw_list(pane: &mut RationalePane, frame: &mut Frame, area: Rect, ui: &Ui, wide: bool) {
    let separator = ratatui::widgets::Block::new()
        .borders(if ui.rtl() {
            ratatui::widgets::Borders::LEFT
        } else {
            ratatui::widgets::Borders::RIGHT
        })
        .border_style(ui.style(Slot::BorderNormal));
    let inner = separator.inner(area);
    frame.render_widget(separator, area);
    let visible = usize::from(inner.height).max(1);
    crate::ui::scroll_into_view(pane.selected, &mut pane.list_scroll, visible);
    let proposals = pane.proposals();
    let size_width = proposals
        .iter()
        .map(|p| ui.width(&format!("×{}", ui.num(p.group_size))))
        .max()
        .unwrap_or(2);
    let state_width = if wide { 14 } else { 1 };
    let cols = ui.columns(
        inner.width,
        &[
            Constraint::Length(state_width),
            Constraint::Min(6),
            Constraint::Length(size_width),
        ],
    );
    let mut lines = Vec::with_capacity(visible);
    for (i, p) in proposals
        .iter()
        .enumerate()
        .skip(pane.list_scroll)
        .take(visible)
    {
        let editor = pane.editors.get(&p.comment.id);
        let state = state_of(p, editor);
        let base = if i == pane.selected {
            ui.style(Slot::Selection)
        } else {
            ui.style(Slot::TextNormal)
        };
        let state_cell = if wide {
            let text = match outcome_of(p, editor) {
                Some(o) => ui.t(&format!("outcome.{}", o.as_str())).to_owned(),
                None => ui
                    .t(&format!("rationale.state.{}", state_key(state)))
                    .to_owned(),
            };
            let slot = outcome_of(p, editor).map_or(state_slot(state), outcome_slot);
            ui.label(&text, cols[0].1, base.patch(ui.style(slot)))
        } else {
            ui.label(
                state_mark(state),
                cols[0].1,
                base.patch(ui.style(state_slot(state))),
            )
        };
        lines.push(ui.row(
            inner.width,
            &cols,
            vec![
                state_cell,
                ui.cell(&p.comment.body, cols[1].1, base),
                ui.label(
                    &format!("×{}", ui.num(p.group_size)),
                    cols[2].1,
                    base.patch(ui.style(Slot::TextMuted)),
                ),
            ],
            base,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if proposals.len() > visible {
        let mut state = ScrollbarState::new(proposals.len()).position(pane.selected);
        frame.render_stateful_widget(ui.scrollbar(), area, &mut state);
    }
}

/// A one-cell mark of a state for narrow lists (explained by the detail's state line).
fn state_mark(state: State) -> &'static str {
    match state {
        State::None => " ",
        State::Saved => "•",
        State::Unsaved | State::Saving => "*",
        State::Conflict => "!",
        State::Published => "✓",
    }
}

fn state_key(state: State) -> &'static str {
    match state {
        State::None => "none",
        State::Saved => "saved",
        State::Unsaved => "unsaved",
        State::Saving => "saving",
        State::Conflict => "conflict",
        State::Published => "published",
    }
}

fn draw_detail(pane: &mut RationalePane, frame: &mut Frame, area: Rect, ui: &Ui) {
    let Some(proposal) = pane.selected().cloned() else {
        return;
    };
    let id = proposal.comment.id;
    let tall = area.height >= 30;
    let text_rows = ui
        .paragraph(proposal.comment.body.as_str())
        .visual_rows(area.width)
        .clamp(1, if tall { 6 } else { 3 }) as u16;
    let message_rows: u16 = match &pane.message {
        Some(m) => ui
            .paragraph(m.text.as_str())
            .visual_rows(area.width)
            .clamp(1, 3) as u16,
        None => 0,
    };
    let [
        text_area,
        group_row,
        outcome_row,
        state_row,
        message_area,
        editors,
    ] = Layout::vertical([
        Constraint::Length(text_rows),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(message_rows),
        Constraint::Min(3),
    ])
    .areas(area);
    frame.render_widget(
        ui.paragraph(proposal.comment.body.as_str())
            .style(ui.style(Slot::TextNormal)),
        text_area,
    );
    let group = ui
        .i18n
        .count("pane.rationale.answers_group", proposal.group_size, &[]);
    let group = format!(
        "{} · {}",
        ui.f("rationale.proposal_id", &[("id", &ui.num(id))]),
        group
    );
    frame.render_widget(
        Paragraph::new(ui.label(&group, group_row.width, ui.style(Slot::TextMuted))),
        group_row,
    );

    let editor = pane.editors.get(&id);
    let outcome = outcome_of(&proposal, editor);
    let outcome_text = format!(
        "{}: {}   ({} {} · {} {} · {} {})",
        ui.t("pane.rationale.outcome"),
        outcome_label(outcome, ui),
        ui.key(Pane::Rationale.section(), Action::Accept),
        ui.t("outcome.accepted"),
        ui.key(Pane::Rationale.section(), Action::PartiallyAccept),
        ui.t("outcome.partially_accepted"),
        ui.key(Pane::Rationale.section(), Action::Reject),
        ui.t("outcome.rejected"),
    );
    let slot = outcome.map_or(Slot::TextMuted, outcome_slot);
    frame.render_widget(
        Paragraph::new(ui.label(&outcome_text, outcome_row.width, ui.style(slot))),
        outcome_row,
    );

    let state = state_of(&proposal, editor);
    let state_text = state_text(state, &proposal, editor, ui);
    let state_slot = if editor.is_some_and(|e| e.error.is_some()) {
        Slot::Error
    } else {
        state_slot(state)
    };
    frame.render_widget(
        Paragraph::new(ui.label(&state_text, state_row.width, ui.style(state_slot))),
        state_row,
    );
    if let Some(m) = &pane.message {
        let slot = if m.error { Slot::Error } else { Slot::Success };
        frame.render_widget(
            ui.paragraph(m.text.as_str()).style(ui.style(slot)),
            message_area,
        );
    }

    let conflict = editor.and_then(|e| e.conflict.clone());
    let (mine, theirs) = match &conflict {
        Some(_) => {
            let (a, b) = ui.list_and_detail(editors, 50);
            (a, Some(b))
        }
        None => (editors, None),
    };
    draw_editors(pane, &proposal, frame, mine, ui, conflict.is_some());
    if let (Some(area), Some(theirs)) = (theirs, conflict) {
        draw_theirs(&theirs, frame, area, ui);
    }
}

fn state_text(state: State, proposal: &Proposal, editor: Option<&Editor>, ui: &Ui) -> String {
    if let Some(error) = editor.and_then(|e| e.error.as_ref()) {
        return ui.f("rationale.save_failed", &[("message", error)]);
    }
    let saved_at = editor
        .and_then(|e| e.saved_at)
        .or(proposal.decision.as_ref().map(|d| d.decided_at));
    let saved_by = editor
        .and_then(|e| e.saved_by.clone())
        .or(proposal.decision.as_ref().map(|d| d.decided_by.clone()))
        .unwrap_or_default();
    let when = |at| crate::dates::format_date_time(at, crate::dates::DateStyle::Numeric, ui.i18n);
    match state {
        State::None => ui.t("pane.rationale.undecided").to_owned(),
        State::Saved => match saved_at {
            Some(at) => ui.f(
                "rationale.saved_by",
                &[
                    ("time", &when(at)),
                    ("user", &saved_by),
                    (
                        "version",
                        &ui.num(editor.map_or_else(
                            || proposal.decision.as_ref().map_or(0, |d| d.version),
                            |e| e.base_version,
                        )),
                    ),
                ],
            ),
            None => ui.t("rationale.state.saved").to_owned(),
        },
        State::Unsaved => ui.t("pane.rationale.unsaved").to_owned(),
        State::Saving => ui.t("rationale.state.saving").to_owned(),
        State::Conflict => ui.f(
            "rationale.conflict_hint",
            &[
                (
                    "take",
                    &ui.key(Pane::Rationale.section(), Action::TakeTheirs),
                ),
                ("save", &ui.key(Pane::Rationale.section(), Action::Save)),
            ],
        ),
        State::Published => ui.t("rationale.state.published").to_owned(),
    }
}

/// The three fields: the one being typed in as the editor view (with the terminal cursor),
/// the others drawn by the same view without a cursor.
fn draw_editors(
    pane: &mut RationalePane,
    proposal: &Proposal,
    frame: &mut Frame,
    area: Rect,
    ui: &Ui,
    conflict: bool,
) {
    let mut area = area;
    if conflict {
        let [title, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        frame.render_widget(
            Paragraph::new(ui.label(
                ui.t("pane.rationale.your_version"),
                title.width,
                ui.style(Slot::Title),
            )),
            title,
        );
        area = rest;
    }
    let legal_rows = if area.height >= 12 { 4 } else { 3 };
    let [fa, en, legal] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Fill(1),
        Constraint::Length(legal_rows),
    ])
    .areas(area);
    let focus = pane.focus;
    let last = pane.last_field;
    let editor = pane
        .editors
        .entry(proposal.comment.id)
        .or_insert_with(|| Editor::new(proposal));
    for (field, rect) in [(Field::Fa, fa), (Field::En, en), (Field::Legal, legal)] {
        let focused = focus == Some(field);
        let action = match field {
            Field::Fa => Action::EditRationaleFa,
            Field::En => Action::EditRationaleEn,
            Field::Legal => Action::EditLegalBasis,
        };
        let title = format!(
            "{} — {}",
            ui.t(field.title_key()),
            ui.key(Pane::Rationale.section(), action)
        );
        let mut block = ui.block(&title, focused);
        if !focused && focus.is_none() && last == Some(field) {
            block = block.border_style(ui.style(Slot::BorderNormal));
        }
        let options = match field {
            Field::Fa => ui.user_text().with_fallback_direction(BaseDirection::Rtl),
            Field::En => ui.user_text().with_fallback_direction(BaseDirection::Ltr),
            Field::Legal => ui.user_text(),
        };
        let i = field.index();
        editor.states[i].set_options(options);
        let mut textarea = editor.areas[i].clone();
        if field == Field::Legal {
            textarea.set_placeholder_text(ui.t("pane.rationale.legal_basis_placeholder"));
            textarea.set_placeholder_style(ui.style(Slot::InputPlaceholder));
        }
        textarea.set_style(ui.style(Slot::InputNormal));
        frame.render_stateful_widget(
            BidiEditor::new(&textarea)
                .block(block)
                .selection_style(ui.style(Slot::Selection))
                .paint_cursor(focused),
            rect,
            &mut editor.states[i],
        );
        if focused && let Some(position) = editor.states[i].cursor_position() {
            frame.set_cursor_position(position);
        }
    }
}

/// The other editor's decision, read-only, for merging.
fn draw_theirs(theirs: &ProposalDecision, frame: &mut Frame, area: Rect, ui: &Ui) {
    frame.render_widget(Clear, area);
    let title = ui.f(
        "rationale.their_version_by",
        &[
            ("title", ui.t("pane.rationale.their_version")),
            ("user", &theirs.decided_by),
            ("version", &ui.num(theirs.version)),
        ],
    );
    let block = ui.block(&title, false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let outcome = outcome_label(theirs.outcome, ui);
    let mut rows: Vec<Line<'static>> = vec![ui.label(
        &format!("{}: {}", ui.t("pane.rationale.outcome"), outcome),
        inner.width,
        ui.style(Slot::TextMuted),
    )];
    let [head, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(std::mem::take(&mut rows)), head);
    let parts = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ])
    .split(rest);
    for (field, rect) in Field::ALL.into_iter().zip(parts.iter()) {
        let [label, text] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(*rect);
        frame.render_widget(
            Paragraph::new(ui.label(ui.t(field.title_key()), label.width, ui.style(Slot::Title))),
            label,
        );
        frame.render_widget(
            ui.paragraph(Text::from(field.of(theirs).to_owned()))
                .style(ui.style(Slot::TextNormal)),
            text,
        );
    }
}

fn draw_hints(pane: &RationalePane, frame: &mut Frame, area: Rect, ui: &Ui) {
    if pane.focus.is_some() {
        ui.draw_hints(
            frame,
            area,
            "rationale.field_hints",
            &[
                ("save", Section::TextField, Action::Submit),
                ("leave", Section::TextField, Action::Cancel),
                ("next", Section::TextField, Action::NextField),
            ],
        );
    } else {
        ui.draw_hints(
            frame,
            area,
            "rationale.hints",
            &[
                ("fa", Pane::Rationale.section(), Action::EditRationaleFa),
                ("en", Pane::Rationale.section(), Action::EditRationaleEn),
                ("legal", Pane::Rationale.section(), Action::EditLegalBasis),
                ("save", Pane::Rationale.section(), Action::Save),
                ("publish", Pane::Rationale.section(), Action::Publish),
                ("help", Section::Global, Action::Help),
            ],
        );
    }
}

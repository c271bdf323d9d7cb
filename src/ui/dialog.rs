//! Modal pieces panes open: a yes/no confirmation, a list to pick from (reasons, tags), and an
//! RTL-aware text field (tui-textarea's editing, drawn by the RTL engine).

use crossterm::event::KeyEvent;
use mosharekat_rtl::{BidiEditor, EditorState};
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};
use tui_textarea::TextArea;

use super::Ui;
use crate::keymap::{Action, Section};
use crate::theme::Slot;

/// A centred box `width` × `height` (clamped to `area`).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// What a dialog did with an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogResult<T> {
    /// Still open.
    Open,
    Cancelled,
    Done(T),
}

/// "Are you sure?" with a message.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub message: String,
}

impl Confirm {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    pub fn on_action(&mut self, action: Action) -> DialogResult<()> {
        match action {
            Action::Submit => DialogResult::Done(()),
            Action::Cancel | Action::Quit => DialogResult::Cancelled,
            _ => DialogResult::Open,
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let popup = centered(area, 64, 9);
        frame.render_widget(Clear, popup);
        let block = ui.block(ui.t("confirm.title"), true);
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let [text, hint] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        frame.render_widget(
            ui.paragraph(Line::from(self.message.clone()))
                .style(ui.style(Slot::TextNormal)),
            text,
        );
        let hint_text = format!(
            "{}: {}   {}: {}",
            ui.key(Section::Dialog, Action::Submit),
            ui.t("common.yes"),
            ui.key(Section::Dialog, Action::Cancel),
            ui.t("common.no")
        );
        frame.render_widget(
            Paragraph::new(ui.label(&hint_text, hint.width, ui.style(Slot::TextMuted))),
            hint,
        );
    }
}

/// One entry of a [`ChoicePicker`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

/// Pick one (or, with marks, several) of a list.
#[derive(Debug, Clone)]
pub struct ChoicePicker {
    pub title: String,
    pub choices: Vec<Choice>,
    pub selected: usize,
    /// Allow marking several with `toggle_mark`.
    pub multi: bool,
    pub marked: Vec<bool>,
}

impl ChoicePicker {
    pub fn new(title: impl Into<String>, choices: Vec<Choice>, multi: bool) -> Self {
        let marked = vec![false; choices.len()];
        Self {
            title: title.into(),
            choices,
            selected: 0,
            multi,
            marked,
        }
    }

    /// Done with the chosen codes: the marked ones, or the selected one when none is marked.
    pub fn on_action(&mut self, action: Action) -> DialogResult<Vec<String>> {
        let n = self.choices.len();
        match action {
            Action::NextItem if n > 0 => self.selected = (self.selected + 1) % n,
            Action::PrevItem if n > 0 => self.selected = (self.selected + n - 1) % n,
            Action::FirstItem => self.selected = 0,
            Action::LastItem => self.selected = n.saturating_sub(1),
            Action::ToggleMark if self.multi && n > 0 => self.marked[self.selected] ^= true,
            Action::Submit => {
                let marked: Vec<String> = self
                    .choices
                    .iter()
                    .zip(&self.marked)
                    .filter(|(_, m)| **m)
                    .map(|(c, _)| c.code.clone())
                    .collect();
                return DialogResult::Done(if !marked.is_empty() || self.multi && n == 0 {
                    marked
                } else {
                    self.choices
                        .get(self.selected)
                        .map(|c| vec![c.code.clone()])
                        .unwrap_or_default()
                });
            }
            Action::Cancel => return DialogResult::Cancelled,
            _ => {}
        }
        DialogResult::Open
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, ui: &Ui) {
        let height = (self.choices.len() as u16 + 3).min(area.height);
        let popup = centered(area, 56, height);
        frame.render_widget(Clear, popup);
        let block = ui.block(&self.title, true);
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let visible = inner.height as usize;
        let first = self.selected.saturating_sub(visible.saturating_sub(1));
        let lines: Vec<Line<'static>> = self
            .choices
            .iter()
            .enumerate()
            .skip(first)
            .take(visible)
            .map(|(i, c)| {
                let mark = if self.multi {
                    if self.marked[i] { "[x] " } else { "[ ] " }
                } else {
                    ""
                };
                let style = if i == self.selected {
                    ui.style(Slot::Selection)
                } else {
                    ui.style(Slot::TextNormal)
                };
                ui.label(&format!("{mark}{}", c.label), inner.width, style)
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// A text field: tui-textarea keeps the text, undo and selection; the RTL engine draws it and
/// places the cursor, so Persian typed here reads right while it is typed.
pub struct TextField {
    pub title: String,
    pub textarea: TextArea<'static>,
    pub state: EditorState,
}

impl TextField {
    pub fn new(title: impl Into<String>, ui: &Ui, initial: &str) -> Self {
        Self {
            state: EditorState::new(ui.user_text()),
            ..Self::without_ui(title, initial)
        }
    }

    /// A field opened while a pane handles a key, with no [`Ui`] at hand: it takes the
    /// interface's layout options when it is drawn (each draw sets them anyway).
    pub fn without_ui(title: impl Into<String>, initial: &str) -> Self {
        let lines: Vec<String> = if initial.is_empty() {
            vec![String::new()]
        } else {
            initial.lines().map(str::to_owned).collect()
        };
        let mut textarea = TextArea::new(lines);
        textarea.move_cursor(tui_textarea::CursorMove::Bottom);
        textarea.move_cursor(tui_textarea::CursorMove::End);
        Self {
            title: title.into(),
            textarea,
            state: EditorState::new(mosharekat_rtl::LayoutOptions::default()),
        }
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    /// A key typed into the field (the caller has already taken submit / cancel).
    pub fn on_key(&mut self, key: KeyEvent) {
        self.state.input(&mut self.textarea, key);
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ui: &Ui) {
        frame.render_widget(Clear, area);
        let hint = format!(
            "{} — {}: {}  {}: {}",
            self.title,
            ui.key(Section::TextField, Action::Submit),
            ui.t("common.ok"),
            ui.key(Section::TextField, Action::Cancel),
            ui.t("common.close")
        );
        let block = ui.block(&hint, true);
        self.state.set_options(ui.user_text());
        frame.render_stateful_widget(
            BidiEditor::new(&self.textarea)
                .block(block)
                .selection_style(ui.style(Slot::Selection)),
            area,
            &mut self.state,
        );
        if let Some(position) = self.state.cursor_position() {
            frame.set_cursor_position(position);
        }
    }
}

//! An editor view over `tui_textarea::TextArea`.
//!
//! tui-textarea keeps the editing model (buffer, undo, selection, yank); it is never rendered.
//! Each frame, [`BidiEditor`] lays its lines out through the engine, keeps its own scroll in
//! visual rows, highlights the selection through the cursor maps and places the terminal cursor
//! through the logical→visual map. [`EditorState::input`] handles the keys whose meaning
//! depends on the layout — Left/Right follow the paragraph's direction (in a right-to-left
//! paragraph Left moves forward in the text), Up/Down and PageUp/PageDown move across visual
//! rows keeping a goal column — and passes every other key to the text area.
//!
//! Each line of the text area is a paragraph. A line with no strong character takes the
//! direction of the line above it (so an empty line under Persian text puts the cursor on the
//! right), the first one the options' fallback direction.
//!
//! The terminal cursor sits on the character after the caret; at the end of a line, just past
//! it in the line's direction. One column of the area is kept free for that (the left one in
//! right-to-left rows, the right one in left-to-right rows).

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, StatefulWidget, Widget};
use tui_textarea::{CursorMove, Input, Key, TextArea};
use unicode_segmentation::UnicodeSegmentation;

use crate::bidi::BaseDirection;
use crate::layout::{LayoutOptions, TextLayout, VisualLine};
use crate::options::BidiMode;

/// What the editor view keeps between frames: the layout options, the scroll in visual rows,
/// the goal column of vertical moves and where the terminal cursor goes.
///
/// Keep one per text area, next to it. Send every key through [`EditorState::input`] (not
/// straight to the text area: the arrows depend on the layout), draw with [`BidiEditor`], then
/// put the terminal cursor at [`EditorState::cursor_position`].
///
/// Available with the `editor` feature.
///
/// ```
/// use mosharekat_rtl::{BidiEditor, EditorState};
/// use ratatui::{buffer::Buffer, layout::{Position, Rect}, widgets::StatefulWidget};
/// use tui_textarea::{Input, Key, TextArea};
///
/// let mut textarea = TextArea::default();
/// let mut state = EditorState::default();
/// let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
/// for c in "سلام".chars() {
///     state.input(&mut textarea, Input { key: Key::Char(c), ..Input::default() });
/// }
/// // In a right-to-left line the Right arrow moves back in the text.
/// state.input(&mut textarea, Input { key: Key::Right, ..Input::default() });
/// assert_eq!(textarea.cursor(), (0, 3));
///
/// BidiEditor::new(&textarea).render(buf.area, &mut buf, &mut state);
/// // The cursor is on the letter after the caret, the last one, drawn leftmost.
/// assert_eq!(state.cursor_position(), Some(Position::new(6, 0)));
/// ```
#[derive(Debug, Clone)]
pub struct EditorState {
    options: LayoutOptions,
    /// First visual row shown.
    scroll: usize,
    /// Column Up/Down aim for, kept across consecutive vertical moves.
    goal_column: Option<u16>,
    /// Text width and height of the last render (the key handling lays out at this width).
    width: u16,
    height: u16,
    cursor: Option<Position>,
}

impl Default for EditorState {
    fn default() -> Self {
        EditorState::new(LayoutOptions::default())
    }
}

impl EditorState {
    /// A view with these layout options, not yet rendered.
    pub fn new(options: LayoutOptions) -> Self {
        EditorState {
            options,
            scroll: 0,
            goal_column: None,
            width: u16::MAX,
            height: 1,
            cursor: None,
        }
    }

    /// The layout options.
    pub fn options(&self) -> &LayoutOptions {
        &self.options
    }

    /// Replaces the layout options (e.g. after the user switched `bidi` or `shaping`).
    pub fn set_options(&mut self, options: LayoutOptions) {
        self.options = options;
        self.goal_column = None;
    }

    /// The first visual row shown.
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// Where the terminal cursor belongs after the last render (for
    /// `Frame::set_cursor_position`); `None` when the area had no room.
    pub fn cursor_position(&self) -> Option<Position> {
        self.cursor
    }

    /// The text width the view lays out at: the area's inner width less the cursor column.
    pub fn text_width(&self) -> u16 {
        self.width
    }

    /// Lays out the text area's lines at the view's current text width.
    pub fn layout(&self, textarea: &TextArea<'_>) -> TextLayout {
        layout_lines(
            textarea.lines(),
            textarea.style(),
            self.width,
            &self.options,
        )
    }

    /// Handles one key: movement keys that depend on the layout here, everything else by the
    /// text area. Returns true when the text was modified.
    pub fn input(&mut self, textarea: &mut TextArea<'_>, input: impl Into<Input>) -> bool {
        let input = input.into();
        let shift = input.shift;
        match (input.key, input.ctrl, input.alt) {
            (Key::Left, false, false) => self.move_horizontal(textarea, Arrow::Left, shift),
            (Key::Right, false, false) => self.move_horizontal(textarea, Arrow::Right, shift),
            (Key::Left, true, false) => self.move_word(textarea, Arrow::Left, shift),
            (Key::Right, true, false) => self.move_word(textarea, Arrow::Right, shift),
            (Key::Up, false, false) | (Key::Char('p'), true, false) => {
                self.move_vertical(textarea, -1, shift)
            }
            (Key::Down, false, false) | (Key::Char('n'), true, false) => {
                self.move_vertical(textarea, 1, shift)
            }
            (Key::PageUp, false, false) => {
                let rows = -(self.height.max(1) as isize);
                self.move_vertical(textarea, rows, shift)
            }
            (Key::PageDown, false, false) => {
                let rows = self.height.max(1) as isize;
                self.move_vertical(textarea, rows, shift)
            }
            _ => {
                self.goal_column = None;
                return textarea.input(input);
            }
        }
        false
    }

    /// Left or Right: one grapheme cluster forward or back in the text, by the line's
    /// direction; across line ends.
    pub fn move_horizontal(&mut self, textarea: &mut TextArea<'_>, arrow: Arrow, shift: bool) {
        self.goal_column = None;
        let (row, col) = textarea.cursor();
        let lines = textarea.lines();
        let forward = self.moves_forward(lines, row, arrow);
        let line = &lines[row];
        let target = if forward {
            match next_boundary(line, col) {
                Some(col) => (row, col),
                None if row + 1 < lines.len() => (row + 1, 0),
                None => (row, col),
            }
        } else {
            match previous_boundary(line, col) {
                Some(col) => (row, col),
                None if row > 0 => (row - 1, lines[row - 1].chars().count()),
                None => (row, col),
            }
        };
        jump(textarea, target, shift);
    }

    /// Ctrl-Left or Ctrl-Right: a word forward or back in the text, by the line's direction.
    pub fn move_word(&mut self, textarea: &mut TextArea<'_>, arrow: Arrow, shift: bool) {
        self.goal_column = None;
        let (row, _) = textarea.cursor();
        let forward = self.moves_forward(textarea.lines(), row, arrow);
        select(textarea, shift);
        textarea.move_cursor(if forward {
            CursorMove::WordForward
        } else {
            CursorMove::WordBack
        });
    }

    /// Up or Down by `rows` visual rows, aiming for the goal column.
    pub fn move_vertical(&mut self, textarea: &mut TextArea<'_>, rows: isize, shift: bool) {
        let layout = self.layout(textarea);
        let (row, col) = textarea.cursor();
        let lines = textarea.lines();
        let Some((visual_row, column)) = locate(&layout, lines, row, col) else {
            return;
        };
        let goal = *self.goal_column.get_or_insert(column);
        let target = visual_row
            .saturating_add_signed(rows)
            .min(layout.rows().saturating_sub(1));
        if target == visual_row {
            return;
        }
        let line = &layout.lines[target];
        let region = region_offset(line);
        let offset = if goal < region {
            line.last_offset()
        } else {
            line.offset_at_column(goal - region)
        };
        let paragraph = &lines[line.paragraph];
        let col = paragraph[..offset.min(paragraph.len())].chars().count();
        jump(textarea, (line.paragraph, col), shift);
    }

    fn moves_forward(&self, lines: &[String], row: usize, arrow: Arrow) -> bool {
        let rtl = self.options.bidi != BidiMode::Off
            && line_directions(lines, &self.options)
                .nth(row)
                .is_some_and(BaseDirection::is_rtl);
        matches!((arrow, rtl), (Arrow::Right, false) | (Arrow::Left, true))
    }
}

/// Which arrow key, for [`EditorState::move_horizontal`] and [`EditorState::move_word`]: the
/// key, not the direction in the text, which depends on the line's direction.
///
/// Available with the `editor` feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrow {
    /// The Left arrow.
    Left,
    /// The Right arrow.
    Right,
}

/// The editor widget: draws a `tui_textarea::TextArea` through the engine, each of its lines a
/// paragraph laid out by its own direction, with the selection highlighted and the cursor on
/// the right cell.
///
/// The text area keeps the editing model (buffer, undo, selection, yank) and is never rendered
/// itself; the view's scroll, goal column and cursor position live in an [`EditorState`].
///
/// Available with the `editor` feature.
///
/// ```
/// use mosharekat_rtl::{BidiEditor, EditorState};
/// use ratatui::{buffer::Buffer, layout::Rect, widgets::StatefulWidget};
/// use tui_textarea::TextArea;
///
/// let textarea = TextArea::from(["سلام"]);
/// let mut state = EditorState::default();
/// let mut buf = Buffer::empty(Rect::new(0, 0, 8, 1));
/// BidiEditor::new(&textarea).render(buf.area, &mut buf, &mut state);
/// // Right-aligned, reversed; the cursor on the first letter (the rightmost cell).
/// assert_eq!(buf.content().iter().map(|c| c.symbol()).collect::<String>(), "    مالس");
/// assert_eq!(state.cursor_position(), Some((7, 0).into()));
/// ```
pub struct BidiEditor<'a> {
    textarea: &'a TextArea<'a>,
    block: Option<Block<'a>>,
    selection_style: Style,
    paint_cursor: bool,
}

impl<'a> BidiEditor<'a> {
    /// A view of this text area. Its style, cursor style and placeholder are used; selection is
    /// shown reversed unless told otherwise.
    pub fn new(textarea: &'a TextArea<'a>) -> Self {
        BidiEditor {
            textarea,
            block: None,
            selection_style: Style::new().add_modifier(Modifier::REVERSED),
            paint_cursor: true,
        }
    }

    /// Surrounds the editor with a block.
    pub fn block(mut self, block: Block<'a>) -> Self {
        self.block = Some(block);
        self
    }

    /// Style patched over selected cells.
    pub fn selection_style(mut self, style: Style) -> Self {
        self.selection_style = style;
        self
    }

    /// Whether to paint the cursor cell with the text area's cursor style (default true) as
    /// well as reporting the position for the terminal cursor.
    pub fn paint_cursor(mut self, paint: bool) -> Self {
        self.paint_cursor = paint;
        self
    }
}

impl StatefulWidget for BidiEditor<'_> {
    type State = EditorState;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut EditorState) {
        let textarea = self.textarea;
        let area = area.intersection(buf.area);
        buf.set_style(area, textarea.style());
        let inner = match self.block {
            Some(block) => {
                let inner = block.inner(area);
                block.render(area, buf);
                inner
            }
            None => area,
        };
        state.cursor = None;
        if inner.width < 2 || inner.height == 0 {
            return;
        }
        state.width = inner.width - 1;
        state.height = inner.height;
        let lines = textarea.lines();
        let layout = state.layout(textarea);
        let (row, col) = textarea.cursor();
        let (cursor_row, cursor_column) = locate(&layout, lines, row, col).unwrap_or((0, 0));

        // Keep the cursor row in view.
        let height = usize::from(inner.height);
        if cursor_row < state.scroll {
            state.scroll = cursor_row;
        } else if cursor_row >= state.scroll + height {
            state.scroll = cursor_row + 1 - height;
        }
        state.scroll = state.scroll.min(layout.rows().saturating_sub(1));

        let placeholder = textarea.is_empty() && !textarea.placeholder_text().is_empty();
        let shown = if placeholder {
            let style = textarea
                .placeholder_style()
                .unwrap_or_else(|| Style::new().add_modifier(Modifier::DIM));
            TextLayout::from_str(
                textarea.placeholder_text(),
                style,
                state.width,
                &state.options,
            )
        } else {
            layout.clone()
        };
        let selection = textarea.selection_range();
        for (y, line) in (inner.y..inner.bottom()).zip(shown.lines.iter().skip(state.scroll)) {
            let x = inner.x + region_offset(line);
            line.render(Rect::new(x, y, state.width, 1), buf);
            if placeholder {
                continue;
            }
            if let Some(((r1, c1), (r2, c2))) = selection
                && (r1..=r2).contains(&line.paragraph)
            {
                let text = &lines[line.paragraph];
                let start = if line.paragraph == r1 {
                    byte_of(text, c1)
                } else {
                    0
                };
                let end = if line.paragraph == r2 {
                    byte_of(text, c2)
                } else {
                    text.len()
                };
                for columns in line.columns_of(start..end) {
                    let cells = Rect::new(x + columns.start, y, columns.end - columns.start, 1);
                    buf.set_style(cells.intersection(inner), self.selection_style);
                }
            }
        }

        if cursor_row >= state.scroll && cursor_row < state.scroll + height {
            let position = Position::new(
                inner.x + cursor_column.min(inner.width - 1),
                inner.y + (cursor_row - state.scroll) as u16,
            );
            state.cursor = Some(position);
            if self.paint_cursor {
                buf[position].set_style(textarea.cursor_style());
            }
        }
    }
}

/// Lays out text-area lines, each a paragraph; a line with no strong character takes the
/// direction of the line above.
fn layout_lines(lines: &[String], style: Style, width: u16, options: &LayoutOptions) -> TextLayout {
    let mut all = Vec::new();
    let mut fallback = options.fallback_direction;
    for (index, line) in lines.iter().enumerate() {
        let options = options.clone().with_fallback_direction(fallback);
        let layout = TextLayout::from_str(line, style, width, &options);
        for mut row in layout.lines {
            row.paragraph = index;
            fallback = row.direction;
            all.push(row);
        }
    }
    TextLayout { width, lines: all }
}

/// The direction of each text-area line, with the same inheritance as the layout.
fn line_directions<'l>(
    lines: &'l [String],
    options: &'l LayoutOptions,
) -> impl Iterator<Item = BaseDirection> + 'l {
    let mut fallback = options.fallback_direction;
    lines.iter().map(move |line| {
        let sanitized = crate::sanitize(line);
        let analysis = crate::isolate::analysis_text(&sanitized);
        let direction = crate::bidi::resolve_direction(&analysis, options.direction, fallback);
        fallback = direction;
        direction
    })
}

/// Visual row and column (from the area's inner left edge) of the text-area cursor.
fn locate(layout: &TextLayout, lines: &[String], row: usize, col: usize) -> Option<(usize, u16)> {
    let offset = byte_of(lines.get(row)?, col);
    let rows = layout.paragraph_rows(row);
    rows.into_iter().find_map(|r| {
        let line = &layout.lines[r];
        line.caret_column(offset)
            .map(|column| (r, column + region_offset(line)))
    })
}

/// Right-to-left rows are drawn one column in, so the end-of-line cursor has a cell on their left.
fn region_offset(line: &VisualLine) -> u16 {
    u16::from(line.reordered && line.direction.is_rtl())
}

fn byte_of(text: &str, col: usize) -> usize {
    text.char_indices().nth(col).map_or(text.len(), |(b, _)| b)
}

/// The char index of the next grapheme boundary after char `col`, if any.
fn next_boundary(line: &str, col: usize) -> Option<usize> {
    let byte = byte_of(line, col);
    if byte >= line.len() {
        return None;
    }
    let next = line[byte..]
        .graphemes(true)
        .next()
        .map_or(line.len(), |g| byte + g.len());
    Some(col + line[byte..next].chars().count())
}

/// The char index of the previous grapheme boundary before char `col`, if any.
fn previous_boundary(line: &str, col: usize) -> Option<usize> {
    let byte = byte_of(line, col);
    if byte == 0 {
        return None;
    }
    let previous = line[..byte]
        .grapheme_indices(true)
        .next_back()
        .map_or(0, |(b, _)| b);
    Some(col - line[previous..byte].chars().count())
}

fn select(textarea: &mut TextArea<'_>, shift: bool) {
    if shift {
        if !textarea.is_selecting() {
            textarea.start_selection();
        }
    } else {
        textarea.cancel_selection();
    }
}

fn jump(textarea: &mut TextArea<'_>, (row, col): (usize, usize), shift: bool) {
    select(textarea, shift);
    let row = u16::try_from(row).unwrap_or(u16::MAX);
    let col = u16::try_from(col).unwrap_or(u16::MAX);
    textarea.move_cursor(CursorMove::Jump(row, col));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grapheme_steps_keep_harakat_with_their_letter() {
        // "بَر": beh + fatha is one cluster of two chars.
        let line = "بَر";
        assert_eq!(next_boundary(line, 0), Some(2));
        assert_eq!(previous_boundary(line, 2), Some(0));
        assert_eq!(next_boundary(line, 3), None);
        assert_eq!(previous_boundary(line, 0), None);
    }

    #[test]
    fn empty_lines_inherit_the_direction_above() {
        let lines = vec![
            "سلام".to_owned(),
            String::new(),
            "abc".to_owned(),
            "123".to_owned(),
        ];
        let options = LayoutOptions::default();
        let directions: Vec<BaseDirection> = line_directions(&lines, &options).collect();
        use BaseDirection::*;
        assert_eq!(directions, vec![Rtl, Rtl, Ltr, Ltr]);
        let layout = layout_lines(&lines, Style::new(), 10, &options);
        let from_layout: Vec<BaseDirection> = layout.lines.iter().map(|l| l.direction).collect();
        assert_eq!(from_layout, directions);
    }
}

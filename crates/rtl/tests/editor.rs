//! The editor view over tui-textarea: after every key, the terminal cursor is on the right cell.
//!
//! Expected columns were worked out by hand. In a right-to-left row the view keeps the leftmost
//! column free for the end-of-line cursor, so content is right-aligned in columns 1..width.
//! The cursor sits on the character after the caret.

use mosharekat_rtl::{BidiEditor, EditorState};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::widgets::StatefulWidget;
use tui_textarea::{Input, Key, TextArea};

struct Editor {
    textarea: TextArea<'static>,
    state: EditorState,
    area: Rect,
    buf: Buffer,
}

impl Editor {
    fn new(lines: &[&str], width: u16, height: u16) -> Self {
        let area = Rect::new(0, 0, width, height);
        let mut editor = Editor {
            textarea: TextArea::from(lines.iter().map(|l| l.to_string())),
            state: EditorState::default(),
            area,
            buf: Buffer::empty(area),
        };
        editor.render();
        editor
    }

    fn render(&mut self) -> Position {
        self.buf = Buffer::empty(self.area);
        BidiEditor::new(&self.textarea).render(self.area, &mut self.buf, &mut self.state);
        self.state.cursor_position().expect("the cursor is in view")
    }

    /// Presses a key, draws, and returns the cursor cell.
    fn key(&mut self, key: Key, shift: bool) -> (u16, u16) {
        self.state.input(
            &mut self.textarea,
            Input {
                key,
                ctrl: false,
                alt: false,
                shift,
            },
        );
        let p = self.render();
        (p.x, p.y)
    }

    fn row(&self, y: u16) -> String {
        (0..self.area.width)
            .map(|x| self.buf[(x, y)].symbol().to_owned())
            .collect()
    }
}

#[test]
fn typing_moving_and_deleting_in_a_mixed_rtl_paragraph() {
    // "سلام ab" at width 12: text width 11 in columns 1..12; content "ab مالس" is 7 wide,
    // so it starts at column 1 + 4 = 5: a5 b6 space7 م8 ا9 ل10 س11.
    let mut e = Editor::new(&["سلام ab"], 12, 1);
    assert_eq!(e.row(0), "     ab مالس");
    assert_eq!(e.render(), Position::new(11, 0)); // on س, the first letter
    // In a right-to-left paragraph Left moves forward in the text.
    assert_eq!(e.key(Key::Left, false), (10, 0)); // ل
    assert_eq!(e.key(Key::Left, false), (9, 0)); // ا
    assert_eq!(e.key(Key::Left, false), (8, 0)); // م
    assert_eq!(e.key(Key::Left, false), (7, 0)); // the space
    assert_eq!(e.key(Key::Left, false), (5, 0)); // a: the LTR run is entered at its left end
    assert_eq!(e.key(Key::Left, false), (6, 0)); // b
    assert_eq!(e.key(Key::Left, false), (4, 0)); // end of paragraph: left of the content
    assert_eq!(e.key(Key::Left, false), (4, 0)); // nowhere further to go
    assert_eq!(e.key(Key::Right, false), (6, 0)); // back on b
    // Typing inserts before b: "سلام acb" is 8 wide, from column 4: a4 c5 b6.
    assert_eq!(e.key(Key::Char('c'), false), (6, 0));
    assert_eq!(e.row(0), "    acb مالس");
    assert_eq!(e.key(Key::Backspace, false), (6, 0));
    assert_eq!(e.row(0), "     ab مالس");
    assert_eq!(e.key(Key::Home, false), (11, 0));
    // A Persian letter typed at the start becomes the rightmost cell; the cursor stays on س.
    assert_eq!(e.key(Key::Char('د'), false), (10, 0));
    assert_eq!(e.row(0), "    ab مالسد");
    assert_eq!(e.key(Key::Delete, false), (10, 0)); // deletes س, cursor on ل
    assert_eq!(e.row(0), "     ab مالد");
}

#[test]
fn selection_is_highlighted_through_the_map() {
    let mut e = Editor::new(&["سلام ab"], 12, 1);
    // Select two letters forward (Shift+Left in RTL): س and ل, at columns 11 and 10.
    assert_eq!(e.key(Key::Left, true), (10, 0));
    assert_eq!(e.key(Key::Left, true), (9, 0));
    assert_eq!(e.textarea.selection_range(), Some(((0, 0), (0, 2))));
    let reversed = |x: u16| e.buf[(x, 0)].modifier.contains(Modifier::REVERSED);
    assert!(reversed(11) && reversed(10), "selected cells");
    assert!(reversed(9), "the cursor cell");
    assert!(!reversed(8) && !reversed(5), "unselected cells");
    // Without Shift the selection ends.
    assert_eq!(e.key(Key::Right, false), (10, 0));
    assert_eq!(e.textarea.selection_range(), None);
}

#[test]
fn left_and_right_follow_the_direction_of_each_line() {
    // Line 0 is LTR: Right moves forward; at its end, Right goes to the next line's start.
    let mut e = Editor::new(&["ab", "سل"], 6, 2);
    assert_eq!(e.render(), Position::new(0, 0));
    assert_eq!(e.key(Key::Right, false), (1, 0));
    assert_eq!(e.key(Key::Right, false), (2, 0)); // end of "ab"
    // Line 1 "سل" is RTL: "لس" at columns 4, 5; the cursor on س.
    assert_eq!(e.key(Key::Right, false), (5, 1));
    assert_eq!(e.key(Key::Left, false), (4, 1)); // forward: ل
    assert_eq!(e.key(Key::Left, false), (3, 1)); // end of line: left of the content
    assert_eq!(e.key(Key::Right, false), (4, 1));
    assert_eq!(e.key(Key::Right, false), (5, 1));
    assert_eq!(e.key(Key::Right, false), (2, 0)); // back over the line break to the end of "ab"
}

#[test]
fn up_and_down_move_across_visual_rows() {
    // Width 9, text width 8: "aaaa bbbb cccc" wraps into "aaaa ", "bbbb ", "cccc".
    let mut e = Editor::new(&["aaaa bbbb cccc", "سلام"], 9, 4);
    assert_eq!(e.row(0), "aaaa     ");
    assert_eq!(e.row(1), "bbbb     ");
    assert_eq!(e.row(2), "cccc     ");
    assert_eq!(e.key(Key::Right, false), (1, 0));
    assert_eq!(e.key(Key::Right, false), (2, 0));
    assert_eq!(e.key(Key::Down, false), (2, 1));
    assert_eq!(e.textarea.cursor(), (0, 7));
    assert_eq!(e.key(Key::Down, false), (2, 2));
    assert_eq!(e.textarea.cursor(), (0, 12));
    // Into the RTL line "سلام": "مالس" at columns 5..8 (one column kept free at the left).
    // Column 2 is left of its content, which in RTL is the line's end.
    assert_eq!(e.key(Key::Down, false), (4, 3));
    assert_eq!(e.textarea.cursor(), (1, 4));
    // The goal column survives: back up to column 2.
    assert_eq!(e.key(Key::Up, false), (2, 2));
    assert_eq!(e.key(Key::Up, false), (2, 1));
    assert_eq!(e.key(Key::Up, false), (2, 0));
    assert_eq!(e.key(Key::Up, false), (2, 0)); // top row: stays
}

#[test]
fn the_view_scrolls_by_visual_rows_to_keep_the_cursor_in_view() {
    let mut e = Editor::new(&["aaaa bbbb cccc dddd"], 9, 2);
    assert_eq!(e.state.scroll(), 0);
    assert_eq!(e.key(Key::Down, false), (0, 1));
    assert_eq!(e.key(Key::Down, false), (0, 1)); // third visual row: the view scrolls
    assert_eq!(e.state.scroll(), 1);
    assert_eq!(e.row(0), "bbbb     ");
    assert_eq!(e.row(1), "cccc     ");
    assert_eq!(e.key(Key::PageDown, false), (0, 1));
    assert_eq!(e.row(1), "dddd     ");
    assert_eq!(e.textarea.cursor(), (0, 15));
    assert_eq!(e.key(Key::PageUp, false), (0, 0));
    assert_eq!(e.state.scroll(), 1);
    assert_eq!(e.textarea.cursor(), (0, 5));
}

#[test]
fn harakat_are_stepped_over_with_their_letter() {
    // "بَر": the fatha belongs to beh; one Left (forward in RTL) moves past both.
    let mut e = Editor::new(&["بَر"], 6, 1);
    assert_eq!(e.row(0), "    ربَ");
    assert_eq!(e.render(), Position::new(5, 0));
    assert_eq!(e.key(Key::Left, false), (4, 0));
    assert_eq!(e.textarea.cursor(), (0, 2));
}

#[test]
fn bidi_controls_typed_or_pasted_show_as_markers_and_count_as_one_step() {
    let mut e = Editor::new(&["a\u{202e}b"], 12, 1);
    assert_eq!(e.row(0), "a⟦RLO⟧b     ");
    assert_eq!(e.key(Key::Right, false), (1, 0)); // on the marker
    assert_eq!(e.key(Key::Right, false), (6, 0)); // one step over it, onto b
}

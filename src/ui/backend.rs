//! The console's terminal backend: ratatui's crossterm backend, writing the same cells with
//! fewer bytes. Ratatui's diff already sends only the cells that changed; what this adds is how
//! they are sent over a slow SSH link:
//!
//! * a gap on the same row is crossed with a relative move (`CSI n C`, 4–5 bytes) instead of an
//!   absolute one (`CSI row;col H`, 6–10 bytes);
//! * a run of changed cells that become blank on the terminal's default background (a row that
//!   loses the selection, say) is erased with `CSI n X` (ECH) instead of n spaces. ECH leaves
//!   cells blank in the default background on every terminal, with or without
//!   background-colour-erase, because it is only used after the background was reset;
//! * the attributes are reset once at the end of a frame, and only when they are not already;
//! * showing or hiding the cursor is sent only when it changes (ratatui asks at every frame).
//!
//! Every changed cell is still written or erased: nothing is skipped that the screen needs.

use std::io::{self, Write};

use crossterm::cursor::{Hide, MoveTo, Show};
use crossterm::style::{
    Attribute as CAttribute, Color as CColor, Colors, Print, SetAttribute, SetBackgroundColor,
    SetColors,
};
use crossterm::terminal::{self, Clear};
use crossterm::{execute, queue};
use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

/// Attributes that show on a blank cell (so such a cell cannot be erased instead).
const VISIBLE_ON_BLANK: Modifier = Modifier::REVERSED
    .union(Modifier::UNDERLINED)
    .union(Modifier::CROSSED_OUT)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK);

/// A crossterm terminal backend over `W` that writes ratatui's diffs compactly (see the module).
pub struct ConsoleBackend<W: Write> {
    writer: W,
    /// Whether the cursor is shown, once known.
    cursor_shown: Option<bool>,
}

impl<W: Write> ConsoleBackend<W> {
    pub fn new(writer: W) -> Self {
        ConsoleBackend {
            writer,
            cursor_shown: None,
        }
    }
}

impl<W: Write> Write for ConsoleBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Whether `cell` looks the same as an erased cell on the default background.
fn is_blank(cell: &Cell) -> bool {
    cell.symbol() == " " && cell.bg == Color::Reset && !cell.modifier.intersects(VISIBLE_ON_BLANK)
}

/// How many of `cells`, from the first, are blank and side by side on one row.
fn blank_run(cells: &[(u16, u16, &Cell)]) -> usize {
    let Some(&(x0, y0, first)) = cells.first() else {
        return 0;
    };
    if !is_blank(first) {
        return 0;
    }
    cells
        .iter()
        .enumerate()
        .take_while(|(i, (x, y, cell))| {
            *y == y0 && usize::from(*x) == usize::from(x0) + i && is_blank(cell)
        })
        .count()
}

/// Move the cursor from `at` (where the terminal has it, if known) to (`x`, `y`).
fn move_to(w: &mut impl Write, at: Option<Position>, x: u16, y: u16) -> io::Result<()> {
    match at {
        Some(p) if p.y == y && p.x == x => Ok(()),
        Some(p) if p.y == y && p.x + 1 == x => w.write_all(b"\x1b[C"),
        Some(p) if p.y == y && p.x < x => write!(w, "\x1b[{}C", x - p.x),
        _ => queue!(w, MoveTo(x, y)),
    }
}

/// Digits of `n` in decimal.
fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Whether erasing a blank run of `run` cells (and moving past it when the next changed cell,
/// `next`, is further along the same row `y`) takes fewer bytes than writing `run` spaces.
fn erase_is_shorter(run: usize, y: u16, next: Option<&(u16, u16, &Cell)>) -> bool {
    let erase = 3 + digits(run);
    let skip = match next {
        Some((_, next_y, _)) if *next_y == y => 3 + if run == 1 { 0 } else { digits(run) },
        _ => 0,
    };
    erase + skip < run
}

/// Switch the attributes from `from` to `to`.
fn modifier_diff(w: &mut impl Write, from: Modifier, to: Modifier) -> io::Result<()> {
    let removed = from - to;
    let added = to - from;
    if removed.contains(Modifier::REVERSED) {
        queue!(w, SetAttribute(CAttribute::NoReverse))?;
    }
    // One code ends both bold and dim: put back the one that stays.
    if removed.intersects(Modifier::BOLD | Modifier::DIM) {
        queue!(w, SetAttribute(CAttribute::NormalIntensity))?;
        if to.contains(Modifier::BOLD) && !added.contains(Modifier::BOLD) {
            queue!(w, SetAttribute(CAttribute::Bold))?;
        }
        if to.contains(Modifier::DIM) && !added.contains(Modifier::DIM) {
            queue!(w, SetAttribute(CAttribute::Dim))?;
        }
    }
    if removed.contains(Modifier::ITALIC) {
        queue!(w, SetAttribute(CAttribute::NoItalic))?;
    }
    if removed.contains(Modifier::UNDERLINED) {
        queue!(w, SetAttribute(CAttribute::NoUnderline))?;
    }
    if removed.contains(Modifier::CROSSED_OUT) {
        queue!(w, SetAttribute(CAttribute::NotCrossedOut))?;
    }
    if removed.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK) {
        queue!(w, SetAttribute(CAttribute::NoBlink))?;
    }
    for (modifier, attribute) in [
        (Modifier::REVERSED, CAttribute::Reverse),
        (Modifier::BOLD, CAttribute::Bold),
        (Modifier::ITALIC, CAttribute::Italic),
        (Modifier::UNDERLINED, CAttribute::Underlined),
        (Modifier::DIM, CAttribute::Dim),
        (Modifier::CROSSED_OUT, CAttribute::CrossedOut),
        (Modifier::SLOW_BLINK, CAttribute::SlowBlink),
        (Modifier::RAPID_BLINK, CAttribute::RapidBlink),
    ] {
        if added.contains(modifier) {
            queue!(w, SetAttribute(attribute))?;
        }
    }
    Ok(())
}

impl<W: Write> Backend for ConsoleBackend<W> {
    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, &Cell)> = content.collect();
        let w = &mut self.writer;
        let mut fg = Color::Reset;
        let mut bg = Color::Reset;
        let mut modifier = Modifier::empty();
        // Where the terminal's cursor is, when we know it.
        let mut at: Option<Position> = None;
        let mut i = 0;
        while i < cells.len() {
            let (x, y, cell) = cells[i];
            let run = blank_run(&cells[i..]);
            if run > 0 && erase_is_shorter(run, y, cells.get(i + run)) {
                move_to(w, at, x, y)?;
                if modifier.intersects(VISIBLE_ON_BLANK) {
                    modifier_diff(w, modifier, modifier - VISIBLE_ON_BLANK)?;
                    modifier -= VISIBLE_ON_BLANK;
                }
                if bg != Color::Reset {
                    queue!(w, SetBackgroundColor(CColor::Reset))?;
                    bg = Color::Reset;
                }
                // ECH does not move the cursor.
                write!(w, "\x1b[{run}X")?;
                at = Some(Position { x, y });
                i += run;
                continue;
            }
            move_to(w, at, x, y)?;
            if cell.modifier != modifier {
                modifier_diff(w, modifier, cell.modifier)?;
                modifier = cell.modifier;
            }
            if cell.fg != fg || cell.bg != bg {
                queue!(w, SetColors(Colors::new(cell.fg.into(), cell.bg.into())))?;
                fg = cell.fg;
                bg = cell.bg;
            }
            queue!(w, Print(cell.symbol()))?;
            // Where a one-column symbol leaves the cursor is certain; after anything else a
            // terminal may disagree with our width tables, so the next cell moves absolutely.
            at = (cell.symbol().width() == 1).then_some(Position { x: x + 1, y });
            i += 1;
        }
        if fg != Color::Reset || bg != Color::Reset || !modifier.is_empty() {
            queue!(w, SetAttribute(CAttribute::Reset))?;
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(false) {
            execute!(self.writer, Hide)?;
            self.cursor_shown = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(true) {
            execute!(self.writer, Show)?;
            self.cursor_shown = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        crossterm::cursor::position()
            .map(|(x, y)| Position { x, y })
            .map_err(|e| io::Error::other(e.to_string()))
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        execute!(self.writer, MoveTo(x, y))
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        execute!(
            self.writer,
            Clear(match clear_type {
                ClearType::All => terminal::ClearType::All,
                ClearType::AfterCursor => terminal::ClearType::FromCursorDown,
                ClearType::BeforeCursor => terminal::ClearType::FromCursorUp,
                ClearType::CurrentLine => terminal::ClearType::CurrentLine,
                ClearType::UntilNewLine => terminal::ClearType::UntilNewLine,
            })
        )
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        for _ in 0..n {
            queue!(self.writer, Print("\n"))?;
        }
        self.writer.flush()
    }

    fn size(&self) -> io::Result<Size> {
        let (width, height) = terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let terminal::WindowSize {
            columns,
            rows,
            width,
            height,
        } = terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: columns,
                height: rows,
            },
            pixels: Size { width, height },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    //! The compact writer must leave a terminal exactly as ratatui's own backend does: both
    //! draw the same frames into `vt100` screens, which are compared cell by cell.

    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::style::Style;
    use ratatui::text::{Line, Span};
    use ratatui::widgets::Paragraph;
    use ratatui::{Terminal, TerminalOptions, Viewport};

    use super::*;

    #[derive(Clone, Default)]
    struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    const W: u16 = 60;
    const H: u16 = 8;

    fn options() -> TerminalOptions {
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, W, H)),
        }
    }

    /// A list with row `selected` highlighted edge to edge, Persian and wide text, styled
    /// words and blank stretches.
    fn frame(selected: usize) -> Vec<Line<'static>> {
        let highlight = Style::new()
            .fg(Color::Black)
            .bg(Color::Cyan)
            .add_modifier(Modifier::BOLD);
        let rows = [
            "  دیدج VAT نوناق            ۳۵   زاب",
            "ok  界 wide   ✓",
            "",
            "plain row with text                  end",
            "  هعسوت همانرب  ",
        ];
        rows.iter()
            .enumerate()
            .map(|(i, text)| {
                let style = if i == selected {
                    highlight
                } else {
                    Style::new()
                };
                let pad = " ".repeat(W as usize - Line::from(*text).width());
                Line::from(vec![
                    Span::styled(text.to_string(), style),
                    Span::styled(
                        "x",
                        style
                            .fg(Color::Red)
                            .add_modifier(Modifier::UNDERLINED | Modifier::DIM),
                    ),
                    Span::styled(pad, style),
                ])
            })
            .collect()
    }

    fn screens(frames: &[Vec<Line<'static>>]) -> (Vec<String>, usize, usize) {
        let ours = Shared::default();
        let theirs = Shared::default();
        let mut a = Terminal::with_options(ConsoleBackend::new(ours.clone()), options()).unwrap();
        let mut b =
            Terminal::with_options(CrosstermBackend::new(theirs.clone()), options()).unwrap();
        let mut pa = vt100::Parser::new(H, W, 0);
        let mut pb = vt100::Parser::new(H, W, 0);
        let mut out = Vec::new();
        let (mut last_a, mut last_b) = (0, 0);
        let (mut bytes_a, mut bytes_b) = (0, 0);
        for lines in frames {
            a.draw(|f| f.render_widget(Paragraph::new(lines.clone()), f.area()))
                .unwrap();
            b.draw(|f| f.render_widget(Paragraph::new(lines.clone()), f.area()))
                .unwrap();
            let da = ours.0.lock().unwrap()[last_a..].to_vec();
            let db = theirs.0.lock().unwrap()[last_b..].to_vec();
            last_a += da.len();
            last_b += db.len();
            bytes_a = da.len();
            bytes_b = db.len();
            pa.process(&da);
            pb.process(&db);
            for y in 0..H {
                for x in 0..W {
                    let (ca, cb) = (
                        pa.screen().cell(y, x).unwrap(),
                        pb.screen().cell(y, x).unwrap(),
                    );
                    let shown = |c: &vt100::Cell| {
                        let text = c.contents();
                        (if text.is_empty() { " ".into() } else { text }, c.bgcolor())
                    };
                    assert_eq!(shown(ca), shown(cb), "cell ({x}, {y})");
                    if !ca.contents().trim().is_empty() {
                        assert_eq!(ca.fgcolor(), cb.fgcolor(), "fg ({x}, {y})");
                        assert_eq!(ca.bold(), cb.bold(), "bold ({x}, {y})");
                        assert_eq!(ca.underline(), cb.underline(), "underline ({x}, {y})");
                    }
                }
            }
            out.push(pa.screen().contents());
            // Where a hidden cursor was left does not matter; a shown one is placed by ratatui.
            assert_eq!(pa.screen().hide_cursor(), pb.screen().hide_cursor());
            if !pa.screen().hide_cursor() {
                assert_eq!(pa.screen().cursor_position(), pb.screen().cursor_position());
            }
        }
        (out, bytes_a, bytes_b)
    }

    #[test]
    fn the_screen_ends_the_same_as_with_ratatuis_backend_in_fewer_bytes() {
        let (_, ours, theirs) = screens(&[frame(0), frame(1), frame(3), frame(4), frame(0)]);
        assert!(ours < theirs, "{ours} bytes against {theirs}");
    }

    #[test]
    fn erases_a_row_that_loses_the_highlight() {
        let ours = Shared::default();
        let mut t = Terminal::with_options(ConsoleBackend::new(ours.clone()), options()).unwrap();
        t.draw(|f| f.render_widget(Paragraph::new(frame(3)), f.area()))
            .unwrap();
        let before = ours.0.lock().unwrap().len();
        t.draw(|f| f.render_widget(Paragraph::new(frame(2)), f.area()))
            .unwrap();
        let written = String::from_utf8_lossy(&ours.0.lock().unwrap()[before..]).into_owned();
        // Row 3's trailing blanks are erased, not written out; the cursor stays hidden.
        assert!(written.contains("X"), "{written:?}");
        assert!(!written.contains("\x1b[?25l"), "{written:?}");
    }

    #[test]
    fn the_cursor_is_shown_and_hidden_once_each_time_it_changes() {
        let ours = Shared::default();
        let mut t = Terminal::with_options(ConsoleBackend::new(ours.clone()), options()).unwrap();
        let mut parser = vt100::Parser::new(H, W, 0);
        let mut seen = 0;
        // A text field open for two frames (cursor shown at its caret), then closed.
        for (step, caret) in [None, Some((5, 2)), Some((6, 2)), None, None]
            .into_iter()
            .enumerate()
        {
            t.draw(|f| {
                f.render_widget(Paragraph::new(frame(step % 2)), f.area());
                if let Some((x, y)) = caret {
                    f.set_cursor_position(Position { x, y });
                }
            })
            .unwrap();
            let all = ours.0.lock().unwrap().clone();
            parser.process(&all[seen..]);
            let written = String::from_utf8_lossy(&all[seen..]).into_owned();
            seen = all.len();
            assert_eq!(
                parser.screen().hide_cursor(),
                caret.is_none(),
                "step {step}"
            );
            if let Some((x, y)) = caret {
                assert_eq!(parser.screen().cursor_position(), (y, x), "step {step}");
            }
            let shows = written.matches("\x1b[?25h").count();
            let hides = written.matches("\x1b[?25l").count();
            let expected = match step {
                0 | 3 => (0, 1),
                1 => (1, 0),
                _ => (0, 0),
            };
            assert_eq!((shows, hides), expected, "step {step}: {written:?}");
        }
    }
}

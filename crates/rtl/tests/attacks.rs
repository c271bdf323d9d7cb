//! A corpus of real terminal attacks drawn through the engine: each shows as inert, visible text,
//! and every cell outside the widget's area is left untouched. Checked twice: in ratatui's
//! `TestBackend`, and by feeding the bytes a real backend writes to a terminal emulator (vt100).

use mosharekat_rtl::{BidiParagraph, LayoutOptions, TextLayout};
use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::{Terminal, TerminalOptions, Viewport};

const WIDTH: u16 = 64;
const HEIGHT: u16 = 8;
const SENTINEL: &str = "·";
/// Where the comment is drawn; everything else on the screen holds the sentinel.
const AREA: Rect = Rect {
    x: 2,
    y: 2,
    width: 60,
    height: 4,
};

struct Attack {
    name: &'static str,
    text: &'static str,
    /// The row as it must appear (visual order), written by hand.
    shown: &'static str,
}

const ATTACKS: &[Attack] = &[
    Attack {
        name: "OSC 0 window title",
        text: "\x1b]0;pwned\x07",
        shown: "␛]0;pwned␇",
    },
    Attack {
        name: "OSC 2 title with ST",
        text: "\x1b]2;hacked\x1b\\",
        shown: "␛]2;hacked␛\\",
    },
    Attack {
        name: "OSC 52 clipboard write",
        text: "\x1b]52;c;cm0gLXJmIH4K\x07",
        shown: "␛]52;c;cm0gLXJmIH4K␇",
    },
    Attack {
        name: "OSC 8 hyperlink",
        text: "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
        shown: "␛]8;;https://evil.example␛\\click␛]8;;␛\\",
    },
    Attack {
        name: "CSI 2J clear screen",
        text: "\x1b[2J\x1b[H",
        shown: "␛[2J␛[H",
    },
    Attack {
        name: "DCS request",
        text: "\x1bP+q544e\x1b\\",
        shown: "␛P+q544e␛\\",
    },
    Attack {
        name: "8-bit CSI",
        text: "\u{9b}2J\u{9b}31m",
        shown: "⟦CSI⟧2J⟦CSI⟧31m",
    },
    Attack {
        name: "8-bit OSC and ST",
        text: "\u{9d}0;x\u{9c}",
        shown: "⟦OSC⟧0;x⟦ST⟧",
    },
    Attack {
        name: "carriage return overwrite",
        text: "approved\rrejected\x08\x07",
        shown: "approved␍rejected␈␇",
    },
    Attack {
        // Trojan Source (CVE-2021-42574): the RLO and isolates would hide "begin admins only"
        // inside a comment; as markers, the text reads in its true logical order.
        name: "Trojan Source RLO",
        text: "/*\u{202e} } \u{2066}if (isAdmin)\u{2069} \u{2066} begin admins only */",
        shown: "/*⟦RLO⟧ } ⟦LRI⟧if (isAdmin)⟦PDI⟧ ⟦LRI⟧ begin admins only */",
    },
    Attack {
        // A lone PDF inside Persian text: it closes nothing and reorders nothing. Visual order
        // of "متن ⟦PDF⟧ بیشتر": بیشتر reversed on the left, the marker, متن reversed on the right.
        name: "lone PDF in Persian",
        text: "متن \u{202c} بیشتر",
        shown: "رتشیب ⟦PDF⟧ نتم",
    },
    Attack {
        name: "lone PDI",
        text: "abc\u{2069}def",
        shown: "abc⟦PDI⟧def",
    },
    Attack {
        // An escape sequence inside a Persian sentence reads in the order it was sent.
        name: "OSC title inside Persian",
        text: "نظر \x1b]0;x\x07 پایان",
        shown: "نایاپ ␛]0;x␇ رظن",
    },
];

/// What the backend writes, kept for the emulator.
#[derive(Clone, Default)]
struct SharedOutput(Rc<RefCell<Vec<u8>>>);

impl Write for SharedOutput {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn sentinel_screen(area: Rect) -> Buffer {
    let mut buf = Buffer::empty(area);
    for cell in buf.content.iter_mut() {
        cell.set_symbol(SENTINEL);
    }
    buf
}

fn draw(frame: &mut ratatui::Frame<'_>, text: &str) {
    frame.render_widget(ratatui::widgets::Clear, frame.area());
    let screen = frame.area();
    let sentinel = sentinel_screen(screen);
    frame.buffer_mut().merge(&sentinel);
    frame.render_widget(ratatui::widgets::Clear, AREA);
    frame.render_widget(BidiParagraph::new(text), AREA);
}

#[test]
fn attacks_are_inert_visible_text_in_a_test_backend() {
    for attack in ATTACKS {
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        terminal.draw(|frame| draw(frame, attack.text)).unwrap();
        let buffer = terminal.backend().buffer();
        for y in 0..HEIGHT {
            for x in 0..WIDTH {
                let symbol = buffer[(x, y)].symbol();
                if AREA.contains((x, y).into()) {
                    assert!(
                        !symbol.chars().any(|c| c.is_control()
                            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
                        "{}: raw control in cell ({x},{y}): {symbol:?}",
                        attack.name
                    );
                } else {
                    assert_eq!(
                        symbol, SENTINEL,
                        "{}: cell ({x},{y}) outside the area changed",
                        attack.name
                    );
                }
            }
        }
        let first_row: String = (AREA.x..AREA.right())
            .map(|x| buffer[(x, AREA.y)].symbol().to_owned())
            .collect();
        assert_eq!(first_row.trim(), attack.shown, "{}", attack.name);
        // The layout agrees with the buffer.
        let layout = TextLayout::from_str(
            attack.text,
            Style::new(),
            AREA.width,
            &LayoutOptions::default(),
        );
        assert_eq!(layout.rows(), 1, "{}", attack.name);
    }
}

#[test]
fn attacks_do_nothing_to_a_real_terminal() {
    for attack in ATTACKS {
        let output = SharedOutput::default();
        // A fixed viewport: no size query, so no tty needed.
        let mut terminal = Terminal::with_options(
            CrosstermBackend::new(output.clone()),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
            },
        )
        .unwrap();
        terminal.draw(|frame| draw(frame, attack.text)).unwrap();
        let bytes = output.0.borrow().clone();

        let mut parser = vt100::Parser::new(HEIGHT, WIDTH, 0);
        parser.process(&bytes);
        let screen = parser.screen();
        assert_eq!(
            screen.title(),
            "",
            "{}: the window title changed",
            attack.name
        );
        assert_eq!(screen.icon_name(), "", "{}", attack.name);
        for y in 0..HEIGHT {
            let cells: Vec<String> = (0..WIDTH)
                .map(|x| match screen.cell(y, x).map(|c| c.contents()) {
                    Some(text) if !text.is_empty() => text,
                    _ => " ".to_owned(),
                })
                .collect();
            for (x, cell) in cells.iter().enumerate() {
                if !AREA.contains((x as u16, y).into()) {
                    assert_eq!(
                        cell, SENTINEL,
                        "{}: cell ({x},{y}) outside the area",
                        attack.name
                    );
                }
            }
            if y == AREA.y {
                let inside = cells[usize::from(AREA.x)..usize::from(AREA.right())].concat();
                assert_eq!(inside.trim(), attack.shown, "{}", attack.name);
            }
        }
    }
}

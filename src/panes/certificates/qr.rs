//! A QR code drawn in the terminal with half blocks: each cell shows two modules, the upper one
//! in the foreground colour of `▀` and the lower one in its background colour. Both colours are
//! explicit (black on bright white, whatever the theme), so the code scans the same on a dark and
//! a light terminal, and a quiet zone of light modules surrounds it. The rows are plain spans
//! drawn left to right: a QR code is a picture, never mirrored or reordered by the RTL engine.

use qrcode::{Color as Module, EcLevel, QrCode};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

/// The quiet zone the QR specification asks for, in modules on each side.
pub const QUIET_ZONE: usize = 4;

/// The smallest quiet zone used when the full one does not fit (phone scanners read it).
pub const MIN_QUIET_ZONE: usize = 2;

/// Colour of a dark module.
pub const DARK: Color = Color::Black;
/// Colour of a light module (and of the quiet zone).
pub const LIGHT: Color = Color::White;

/// The upper half block: foreground is the upper module, background the lower one.
pub const UPPER_HALF: &str = "▀";

/// The modules of a QR code with its quiet zone, row by row: `true` is dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// Modules on a side, quiet zone included.
    pub size: usize,
    /// The quiet zone on each side, in modules.
    pub quiet: usize,
    /// Modules on a side of the code itself.
    inner: usize,
    /// The code's modules without the quiet zone, which [`QrMatrix::dark`] adds.
    modules: Vec<bool>,
}

impl QrMatrix {
    /// The code of `data` (byte mode, the smallest version; error correction level M, or L when
    /// that keeps the code smaller) with `quiet` light modules around it. `None` when the data
    /// is too long for any QR code.
    pub fn new(data: &str, quiet: usize) -> Option<QrMatrix> {
        let medium = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok();
        let low = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::L).ok();
        let code = match (medium, low) {
            (Some(m), Some(l)) if l.width() < m.width() => l,
            (Some(m), _) => m,
            (None, l) => l?,
        };
        let inner = code.width();
        let modules = code
            .to_colors()
            .into_iter()
            .map(|c| c == Module::Dark)
            .collect();
        Some(QrMatrix {
            size: inner + 2 * quiet,
            quiet,
            inner,
            modules,
        })
    }

    /// The same code with another quiet zone (no encoding again).
    pub fn with_quiet(&self, quiet: usize) -> QrMatrix {
        QrMatrix {
            size: self.inner + 2 * quiet,
            quiet,
            ..self.clone()
        }
    }

    pub fn dark(&self, x: usize, y: usize) -> bool {
        let inside = |v: usize| v >= self.quiet && v < self.quiet + self.inner;
        inside(x) && inside(y) && self.modules[(y - self.quiet) * self.inner + (x - self.quiet)]
    }

    /// Terminal columns the drawing takes.
    pub fn width(&self) -> u16 {
        u16::try_from(self.size).unwrap_or(u16::MAX)
    }

    /// Terminal rows the drawing takes (two modules a row; an odd last row has a light lower
    /// half, which only widens the quiet zone).
    pub fn height(&self) -> u16 {
        u16::try_from(self.size.div_ceil(2)).unwrap_or(u16::MAX)
    }

    /// The rows to draw, each [`QrMatrix::width`] cells of `▀` with explicit colours.
    pub fn lines(&self) -> Vec<Line<'static>> {
        let colour = |dark: bool| if dark { DARK } else { LIGHT };
        (0..self.size)
            .step_by(2)
            .map(|y| {
                let spans: Vec<Span<'static>> = (0..self.size)
                    .map(|x| {
                        Span::styled(
                            UPPER_HALF,
                            Style::new()
                                .fg(colour(self.dark(x, y)))
                                .bg(colour(self.dark(x, y + 1))),
                        )
                    })
                    .collect();
                Line::from(spans)
            })
            .collect()
    }
}

/// The code of `data` with the largest quiet zone (from [`QUIET_ZONE`] down to
/// [`MIN_QUIET_ZONE`]) that fits in `width` × `height` cells.
pub fn fitting(data: &str, width: u16, height: u16) -> Option<QrMatrix> {
    let code = QrMatrix::new(data, QUIET_ZONE)?;
    (MIN_QUIET_ZONE..=QUIET_ZONE)
        .rev()
        .map(|quiet| code.with_quiet(quiet))
        .find(|m| m.width() <= width && m.height() <= height)
}

/// Cells the code of `data` needs with the full quiet zone.
pub fn needed(data: &str) -> Option<(u16, u16)> {
    QrMatrix::new(data, QUIET_ZONE).map(|m| (m.width(), m.height()))
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;
    use ratatui::widgets::Paragraph;

    use super::*;

    const URL: &str = "http://127.0.0.1:43567/api/v1/public/certificates/ABCDEFGHJ1";

    fn drawn(matrix: &QrMatrix) -> Buffer {
        let mut terminal =
            Terminal::new(TestBackend::new(matrix.width(), matrix.height())).unwrap();
        terminal
            .draw(|f| f.render_widget(Paragraph::new(matrix.lines()), f.area()))
            .unwrap();
        terminal.backend().buffer().clone()
    }

    /// The modules read back from the cells: the upper one from the foreground colour, the lower
    /// one from the background colour.
    fn read_back(buffer: &Buffer) -> (usize, Vec<bool>) {
        let w = buffer.area.width as usize;
        let h = buffer.area.height as usize * 2;
        let mut modules = vec![false; w * h];
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                let cell = &buffer[(x, y)];
                assert_eq!(cell.symbol(), UPPER_HALF);
                for (half, colour) in [(0, cell.fg), (1, cell.bg)] {
                    assert!(colour == DARK || colour == LIGHT, "{colour:?}");
                    modules[(2 * y as usize + half) * w + x as usize] = colour == DARK;
                }
            }
        }
        (w, modules)
    }

    #[test]
    fn the_drawing_is_the_crates_matrix_inside_a_quiet_zone() {
        let matrix = QrMatrix::new(URL, QUIET_ZONE).unwrap();
        let code = QrCode::with_error_correction_level(URL.as_bytes(), EcLevel::M).unwrap();
        let inner = code.width();
        let colors = code.to_colors();
        assert_eq!(matrix.size, inner + 2 * QUIET_ZONE);
        let (w, modules) = read_back(&drawn(&matrix));
        assert_eq!(w, matrix.size);
        for y in 0..matrix.size + 1 {
            for x in 0..matrix.size {
                let expected = x >= QUIET_ZONE
                    && y >= QUIET_ZONE
                    && x < QUIET_ZONE + inner
                    && y < QUIET_ZONE + inner
                    && colors[(y - QUIET_ZONE) * inner + x - QUIET_ZONE] == Module::Dark;
                assert_eq!(modules[y * w + x], expected, "module ({x}, {y})");
            }
        }
        // The quiet zone: every module of the outer four rings is light.
        for y in 0..matrix.size {
            for x in 0..matrix.size {
                let ring = x.min(y).min(matrix.size - 1 - x).min(matrix.size - 1 - y);
                if ring < QUIET_ZONE {
                    assert!(!matrix.dark(x, y), "quiet zone ({x}, {y}) is dark");
                }
            }
        }
    }

    /// Decodes what was drawn, as a camera would see it: each module a 4×4 block of pixels.
    fn decode(buffer: &Buffer) -> String {
        let (w, modules) = read_back(buffer);
        let h = modules.len() / w;
        const SCALE: usize = 4;
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(w * SCALE, h * SCALE, |x, y| {
                if modules[(y / SCALE) * w + x / SCALE] {
                    0
                } else {
                    255
                }
            });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code found");
        grids[0].decode().expect("the code decodes").1
    }

    #[test]
    fn the_drawn_code_decodes_to_the_url_with_either_quiet_zone() {
        for quiet in [QUIET_ZONE, MIN_QUIET_ZONE] {
            let matrix = QrMatrix::new(URL, quiet).unwrap();
            assert_eq!(decode(&drawn(&matrix)), URL, "quiet zone {quiet}");
        }
        let long = format!(
            "https://mosharekat.example.ir/api/v1/public/certificates/{}",
            "Z".repeat(40)
        );
        assert_eq!(
            decode(&drawn(&QrMatrix::new(&long, QUIET_ZONE).unwrap())),
            long
        );
    }

    #[test]
    fn fitting_shrinks_the_quiet_zone_before_giving_up() {
        let (w, h) = needed(URL).unwrap();
        assert_eq!(fitting(URL, w, h).unwrap().quiet, QUIET_ZONE);
        let smaller = fitting(URL, w - 2, h - 1).unwrap();
        assert_eq!(smaller.quiet, QUIET_ZONE - 1);
        assert_eq!(fitting(URL, w - 4, h - 2).unwrap().quiet, MIN_QUIET_ZONE);
        assert_eq!(fitting(URL, w - 5, h), None);
    }
}

//! How many colours the terminal shows, and bringing a theme's colours within that.

use ratatui::style::Color;

/// The colours a terminal can display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColorDepth {
    /// The 16 ANSI colours (and the terminal's own palette for them).
    Ansi16,
    /// The xterm 256-colour palette.
    Ansi256,
    /// 24-bit colour.
    TrueColor,
}

impl ColorDepth {
    /// Reads the terminal's colour depth from environment variables (`var` returns a variable's
    /// value): `COLORTERM=truecolor|24bit` or a `TERM` ending in `-direct` means 24-bit colour,
    /// a `TERM` naming `256color` means 256 colours, anything else 16.
    pub fn detect(var: impl Fn(&str) -> Option<String>) -> ColorDepth {
        let colorterm = var("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        let term = var("TERM").unwrap_or_default().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" || term.ends_with("-direct") {
            ColorDepth::TrueColor
        } else if term.contains("256color") {
            ColorDepth::Ansi256
        } else {
            ColorDepth::Ansi16
        }
    }

    /// `color` as close as this depth allows; named colours and `reset` are kept as they are.
    pub fn fit(self, color: Color) -> Color {
        match (self, color) {
            (ColorDepth::TrueColor, c) => c,
            (ColorDepth::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(nearest_256(r, g, b)),
            (ColorDepth::Ansi256, c) => c,
            (ColorDepth::Ansi16, Color::Rgb(r, g, b)) => nearest_16(r, g, b),
            (ColorDepth::Ansi16, Color::Indexed(i)) => {
                if let Some(&(named, _)) = ANSI16.get(usize::from(i)) {
                    named
                } else {
                    let (r, g, b) = indexed_rgb(i);
                    nearest_16(r, g, b)
                }
            }
            (ColorDepth::Ansi16, c) => c,
        }
    }
}

/// The 16 ANSI colours in palette order, with xterm's default RGB values as the reference for
/// finding the nearest one.
const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// Levels of the 6×6×6 colour cube of the 256-colour palette (indices 16–231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The RGB value of a 256-colour palette index.
fn indexed_rgb(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => ANSI16[usize::from(i)].1,
        16..=231 => {
            let n = i - 16;
            (
                CUBE[usize::from(n / 36)],
                CUBE[usize::from(n / 6 % 6)],
                CUBE[usize::from(n % 6)],
            )
        }
        232..=255 => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

/// Perceptual distance ("redmean" weighting): cheap and much closer to what the eye sees than
/// plain RGB distance, which matters most for the dark greys themes use as backgrounds.
fn distance((r1, g1, b1): (u8, u8, u8), (r2, g2, b2): (u8, u8, u8)) -> i64 {
    let mean_r = (i64::from(r1) + i64::from(r2)) / 2;
    let dr = i64::from(r1) - i64::from(r2);
    let dg = i64::from(g1) - i64::from(g2);
    let db = i64::from(b1) - i64::from(b2);
    (((512 + mean_r) * dr * dr) >> 8) + 4 * dg * dg + (((767 - mean_r) * db * db) >> 8)
}

fn nearest_16(r: u8, g: u8, b: u8) -> Color {
    ANSI16
        .iter()
        .min_by_key(|(_, rgb)| distance(*rgb, (r, g, b)))
        .map(|&(c, _)| c)
        .unwrap_or(Color::Reset)
}

/// The nearest colour among palette indices 16–255 (the fixed part of the palette; 0–15 are
/// whatever the user's terminal palette says, so they are not a reliable match).
fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    (16..=255u8)
        .min_by_key(|&i| distance(indexed_rgb(i), (r, g, b)))
        .unwrap_or(16)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn detects_depth_from_colorterm_and_term() {
        assert_eq!(
            ColorDepth::detect(env(&[("COLORTERM", "truecolor"), ("TERM", "xterm")])),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::detect(env(&[("COLORTERM", "24bit")])),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::detect(env(&[("TERM", "xterm-direct")])),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::detect(env(&[("TERM", "screen-256color")])),
            ColorDepth::Ansi256
        );
        assert_eq!(
            ColorDepth::detect(env(&[("TERM", "xterm")])),
            ColorDepth::Ansi16
        );
        assert_eq!(
            ColorDepth::detect(env(&[("TERM", "linux")])),
            ColorDepth::Ansi16
        );
        assert_eq!(ColorDepth::detect(env(&[])), ColorDepth::Ansi16);
    }

    #[test]
    fn palette_values_match_xterm() {
        assert_eq!(indexed_rgb(16), (0, 0, 0));
        assert_eq!(indexed_rgb(196), (255, 0, 0));
        assert_eq!(indexed_rgb(214), (255, 175, 0));
        assert_eq!(indexed_rgb(231), (255, 255, 255));
        assert_eq!(indexed_rgb(232), (8, 8, 8));
        assert_eq!(indexed_rgb(255), (238, 238, 238));
    }

    #[test]
    fn fits_truecolor_into_256() {
        let d = ColorDepth::Ansi256;
        assert_eq!(d.fit(Color::Rgb(0x5f, 0xaf, 0xd7)), Color::Indexed(74));
        assert_eq!(d.fit(Color::Rgb(255, 175, 0)), Color::Indexed(214));
        assert_eq!(d.fit(Color::Rgb(0x26, 0x26, 0x26)), Color::Indexed(235));
        assert_eq!(d.fit(Color::Indexed(100)), Color::Indexed(100));
        assert_eq!(d.fit(Color::Cyan), Color::Cyan);
    }

    #[test]
    fn fits_everything_into_16() {
        let d = ColorDepth::Ansi16;
        assert_eq!(d.fit(Color::Rgb(255, 0, 0)), Color::LightRed);
        assert_eq!(d.fit(Color::Rgb(200, 10, 10)), Color::Red);
        assert_eq!(d.fit(Color::Rgb(18, 18, 18)), Color::Black);
        assert_eq!(d.fit(Color::Rgb(250, 250, 250)), Color::White);
        assert_eq!(d.fit(Color::Rgb(120, 125, 130)), Color::DarkGray);
        assert_eq!(d.fit(Color::Rgb(0, 190, 200)), Color::Cyan);
        assert_eq!(d.fit(Color::Indexed(2)), Color::Green);
        assert_eq!(d.fit(Color::Indexed(196)), Color::LightRed);
        assert_eq!(d.fit(Color::Indexed(21)), Color::Blue);
        assert_eq!(d.fit(Color::Indexed(233)), Color::Black);
        assert_eq!(d.fit(Color::Reset), Color::Reset);
        assert_eq!(d.fit(Color::Magenta), Color::Magenta);
    }

    #[test]
    fn truecolor_keeps_everything() {
        let c = Color::Rgb(1, 2, 3);
        assert_eq!(ColorDepth::TrueColor.fit(c), c);
    }
}

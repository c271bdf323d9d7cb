//! Properties of the layout over random text mixing Persian, Arabic, Latin, digits of three
//! scripts, brackets, ZWNJ, harakat, emoji, CJK, tabs, newlines and control characters.

use std::collections::BTreeMap;

use mosharekat_rtl::bidi::mirrored;
use mosharekat_rtl::{BidiMode, LayoutOptions, TextLayout, VisualLine, sanitize};
use proptest::prelude::*;
use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

const PIECES: &[&str] = &[
    // Persian and Arabic letters, words with ZWNJ, harakat, tatweel.
    "س",
    "ل",
    "ا",
    "م",
    "پ",
    "چ",
    "ژ",
    "گ",
    "ک",
    "ی",
    "ه",
    "ة",
    "ي",
    "ك",
    "لا",
    "می\u{200c}شود",
    "\u{64e}",
    "\u{650}",
    "\u{651}",
    "\u{64b}",
    "\u{640}",
    "\u{200c}",
    "\u{200d}",
    // Latin, digits in three scripts, separators, percent signs.
    "a",
    "B",
    "z",
    "URL",
    "0",
    "7",
    "٣",
    "٤",
    "۱",
    "۵",
    "/",
    ".",
    ",",
    "-",
    "+",
    "%",
    "٪",
    ":",
    // Brackets and quotes.
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "«",
    "»",
    "\"",
    // Spaces, NBSP, tabs, newlines.
    " ",
    " ",
    " ",
    "\u{a0}",
    "\t",
    "\n",
    "\r\n",
    // Emoji (wide, with modifiers and ZWJ sequences) and CJK (wide).
    "😀",
    "👍🏽",
    "❤\u{fe0f}",
    "👩\u{200d}💻",
    "漢",
    "字",
    // Controls: C0, ESC sequences, DEL, C1, CSI, bidi embeddings, overrides, isolates, marks.
    "\u{1b}",
    "\u{1b}]0;x\u{7}",
    "\u{7}",
    "\r",
    "\u{7f}",
    "\u{85}",
    "\u{9b}",
    "\u{9d}",
    "\u{202a}",
    "\u{202b}",
    "\u{202c}",
    "\u{202d}",
    "\u{202e}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}",
    "\u{200e}",
    "\u{200f}",
    "\u{61c}",
    // Tokens the layout isolates.
    "https://medu.ir/a/",
    "info@medu.ir",
    "-۵",
    "+98 21 1234",
    // Prepended format characters (Arabic number signs).
    "\u{600}",
    "\u{6dd}",
];

fn mixed_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|pieces| pieces.concat())
}

fn options(shaping: bool, bidi: BidiMode) -> LayoutOptions {
    LayoutOptions {
        bidi,
        shaping,
        ..LayoutOptions::default()
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// Columns a line takes when ratatui draws it: grapheme by grapheme.
fn drawn_width(line: &VisualLine) -> usize {
    line.line
        .spans
        .iter()
        .flat_map(|s| s.content.graphemes(true))
        .map(UnicodeWidthStr::width)
        .sum()
}

/// Characters of the drawn row (mirrored pairs folded together), whitespace and joiners left
/// out (a joiner that joins nothing is not drawn).
fn char_counts(text: &str) -> BTreeMap<char, usize> {
    let mut counts = BTreeMap::new();
    for c in text
        .chars()
        .filter(|&c| !c.is_whitespace() && c != '\u{200c}' && c != '\u{200d}')
    {
        let c = mirrored(c).map_or(c, |m| m.min(c));
        *counts.entry(c).or_default() += 1;
    }
    counts
}

/// The source text of each paragraph, split the way the layout splits it.
fn paragraphs(text: &str) -> Vec<String> {
    sanitize(text).split('\n').map(str::to_owned).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_row_is_wider_than_the_area(text in mixed_text(), width in 1u16..50, shaping: bool) {
        for bidi in [BidiMode::App, BidiMode::Terminal, BidiMode::Off] {
            let layout = TextLayout::from_str(&text, Style::new(), width, &options(shaping, bidi));
            for line in &layout.lines {
                prop_assert_eq!(drawn_width(line), usize::from(line.width));
                prop_assert!(line.indent + line.width <= width, "{:?}", line);
            }
        }
    }

    #[test]
    fn rows_cover_their_paragraph_exactly_once(text in mixed_text(), width in 1u16..50, shaping: bool) {
        let layout = TextLayout::from_str(&text, Style::new(), width, &options(shaping, BidiMode::App));
        let paragraph_count = layout.lines.last().map_or(0, |l| l.paragraph + 1);
        prop_assert_eq!(paragraph_count, text.replace("\r\n", "\n").split(['\n', '\u{2028}', '\u{2029}']).count());
        for p in 0..paragraph_count {
            let rows = layout.paragraph_rows(p);
            prop_assert!(!rows.is_empty());
            let mut expected_start = 0;
            for row in rows.clone() {
                let line = &layout.lines[row];
                prop_assert_eq!(line.source.start, expected_start);
                // The clusters partition the row's source: every byte in exactly one cluster.
                let mut sources: Vec<_> = line.clusters.iter().map(|c| c.source.clone()).collect();
                sources.sort_by_key(|r| r.start);
                let mut at = line.source.start;
                for source in sources {
                    prop_assert_eq!(source.start, at);
                    at = source.end;
                }
                prop_assert_eq!(at, line.source.end);
                prop_assert_eq!(line.ends_paragraph, row + 1 == rows.end);
                expected_start = line.source.end;
            }
        }
    }

    #[test]
    fn each_row_shows_the_graphemes_of_its_logical_line(text in mixed_text(), width in 1u16..50) {
        let layout = TextLayout::from_str(&text, Style::new(), width, &options(false, BidiMode::App));
        let sources = paragraphs(&text.replace('\t', " "));
        let raw: Vec<String> = text.replace("\r\n", "\n").split(['\n', '\u{2028}', '\u{2029}']).map(str::to_owned).collect();
        prop_assert_eq!(sources.len(), raw.len());
        for line in &layout.lines {
            // What the row shows, against the sanitised text of its logical range, without the
            // clusters that take no cell (hanging spaces, zero-width graphemes).
            let shown_logically: String = line
                .clusters
                .iter()
                .filter(|c| c.width > 0)
                .map(|c| sanitize(&raw[line.paragraph][c.source.clone()]).into_owned())
                .collect();
            prop_assert_eq!(char_counts(&line.line.to_string()), char_counts(&shown_logically));
        }
    }

    #[test]
    fn caret_maps_round_trip(text in mixed_text(), width in 2u16..50) {
        let layout = TextLayout::from_str(&text, Style::new(), width, &options(true, BidiMode::App));
        for line in &layout.lines {
            for cluster in line.clusters.iter().filter(|c| c.width > 0) {
                let column = line.caret_column(cluster.source.start);
                prop_assert_eq!(column, Some(line.indent + cluster.column));
                prop_assert_eq!(line.offset_at_column(line.indent + cluster.column), cluster.source.start);
            }
        }
    }

    #[test]
    fn sanitised_text_holds_no_control_and_no_bidi_control(text in mixed_text()) {
        let clean = sanitize(&text);
        prop_assert!(clean.chars().all(|c| c == '\n' || !(c.is_control() || is_bidi_control(c))), "{:?}", clean);
        // And neither does anything the layout draws.
        let layout = TextLayout::from_str(&text, Style::new(), 30, &options(true, BidiMode::App));
        for line in &layout.lines {
            let drawn = line.line.to_string();
            prop_assert!(drawn.chars().all(|c| !(c.is_control() || is_bidi_control(c))), "{:?}", drawn);
        }
    }

    #[test]
    fn sanitising_is_idempotent(text in mixed_text()) {
        let once = sanitize(&text).into_owned();
        prop_assert_eq!(sanitize(&once), once.as_str());
    }
}

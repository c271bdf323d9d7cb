//! The layout pipeline: styled logical text and a width in, visual lines with cursor maps out.
//!
//! Per paragraph (a hard line): sanitise → grapheme clusters with display widths → bidi levels of
//! the whole paragraph (URLs, addresses, paths, signed numbers and markers isolated) → wrap at
//! line-break opportunities (UAX #14) by display width → per line: shape (optional) → L1, L2,
//! L4 → spans in visual order, aligned (RTL paragraphs to the right).

use std::ops::{ControlFlow, Range};

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use unicode_bidi::BidiClass;

use crate::bidi::{self, BaseDirection};
use crate::breaks;
use crate::cluster;
use crate::isolate::isolated_ranges;
use crate::levels;
use crate::options::{BidiMode, Direction, Shaping};
use crate::sanitize::{self, ReplacementKind, Segment};
use crate::shape;

const LRI: char = '\u{2066}';
const PDI: char = '\u{2069}';
const ZWJ: char = '\u{200d}';

/// How text is laid out. `Default` is: the application reorders, no shaping, direction from the
/// text (left to right when it has no strong character), alignment from the direction, tab stops
/// every 4 columns, markers reversed.
///
/// An application usually builds one from its configuration with [`LayoutOptions::new`] and
/// adjusts it per widget with the `with_*` methods:
///
/// ```
/// use mosharekat_rtl::{layout_str, BaseDirection, BidiMode, LayoutOptions, Shaping};
/// use ratatui::style::Style;
///
/// // A Persian interface: text without letters (a number, a date) sits on the right too.
/// let options = LayoutOptions::new(BidiMode::App, Shaping::Off)
///     .with_fallback_direction(BaseDirection::Rtl);
/// let rows = layout_str("1403/3/15", Style::new(), 12, &options);
/// assert_eq!(rows[0].direction, BaseDirection::Rtl);
/// assert_eq!(rows[0].indent, 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutOptions {
    /// Who reorders.
    pub bidi: BidiMode,
    /// Whether to draw Arabic-script letters in presentation forms (resolve [`Shaping`] with
    /// [`Shaping::resolve`] or use [`LayoutOptions::new`]).
    pub shaping: bool,
    /// Paragraph direction, forced or from the text.
    pub direction: Direction,
    /// The direction of a paragraph with no strong character under [`Direction::Auto`] (a
    /// Persian UI sets this to RTL so a comment of only digits sits on the right).
    pub fallback_direction: BaseDirection,
    /// Forced alignment; `None`: an input line's own alignment, else right for RTL paragraphs
    /// and left for LTR ones (left for every paragraph when the terminal reorders or under
    /// `bidi = off`: the terminal sees logical order).
    pub alignment: Option<Alignment>,
    /// Tab stops every this many columns.
    pub tab_width: u8,
    /// Patched over the style of the sanitiser's markers so a moderator sees them.
    pub marker_style: Style,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            bidi: BidiMode::App,
            shaping: false,
            direction: Direction::Auto,
            fallback_direction: BaseDirection::Ltr,
            alignment: None,
            tab_width: sanitize::DEFAULT_TAB_WIDTH,
            marker_style: Style::new().add_modifier(Modifier::REVERSED),
        }
    }
}

impl LayoutOptions {
    /// Options for the configured modes, `shaping = auto` resolved from the environment.
    pub fn new(bidi: BidiMode, shaping: Shaping) -> Self {
        LayoutOptions {
            bidi,
            shaping: shaping.resolve(bidi),
            ..LayoutOptions::default()
        }
    }

    /// The same options with a forced paragraph direction.
    pub fn with_direction(mut self, direction: Direction) -> Self {
        self.direction = direction;
        self
    }

    /// The same options with a fallback direction for paragraphs with no strong character.
    pub fn with_fallback_direction(mut self, fallback: BaseDirection) -> Self {
        self.fallback_direction = fallback;
        self
    }

    /// The same options with shaping switched on or off.
    pub fn with_shaping(mut self, shaping: bool) -> Self {
        self.shaping = shaping;
        self
    }

    /// The same options with a forced alignment.
    pub fn with_alignment(mut self, alignment: Alignment) -> Self {
        self.alignment = Some(alignment);
        self
    }
}

/// One cell group of a visual line: the source it shows and where it is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisualCluster {
    /// Byte range in the paragraph's source text (the concatenated span contents of the hard
    /// line, before sanitising). A lam-alef ligature covers two letters; a marker covers the one
    /// control character it stands for.
    pub source: Range<usize>,
    /// First column, counted from the start of the line's content (add [`VisualLine::indent`]
    /// for the area column).
    pub column: u16,
    /// Columns drawn: 0 for zero-width clusters and for whitespace hanging past the width.
    pub width: u16,
    /// True when the cluster sits at an odd (right-to-left) bidi level.
    pub rtl: bool,
}

/// One screen row of laid-out text, in visual order, with its logical↔visual map.
#[derive(Debug, Clone, PartialEq)]
pub struct VisualLine {
    /// Index of the paragraph (hard line) this row belongs to.
    pub paragraph: usize,
    /// Byte range of the paragraph's source shown on this row.
    pub source: Range<usize>,
    /// True for the paragraph's last row (the caret at the paragraph's end lives here).
    pub ends_paragraph: bool,
    /// The paragraph's direction.
    pub direction: BaseDirection,
    /// True when the row is in visual order (`bidi = app`); false when the terminal reorders
    /// or under `bidi = off`, where it is logical order.
    pub reordered: bool,
    /// How the content sits in the area.
    pub alignment: Alignment,
    /// Blank columns before the content for the width it was laid out at.
    pub indent: u16,
    /// Columns the content takes.
    pub width: u16,
    /// The content in visual order, styled, without padding; its `alignment` is set.
    pub line: Line<'static>,
    /// Every cluster of the row, in visual order (left to right).
    pub clusters: Vec<VisualCluster>,
}

impl VisualLine {
    /// The row as a line exactly `width` columns wide: padding on the side the alignment
    /// leaves free (for tables, lists and anything that does not align by itself).
    pub fn padded(&self, width: u16) -> Line<'static> {
        let free = width.saturating_sub(self.width);
        let before = match self.alignment {
            Alignment::Left => 0,
            Alignment::Center => free / 2,
            Alignment::Right => free,
        };
        let mut spans = Vec::with_capacity(self.line.spans.len() + 2);
        if before > 0 {
            spans.push(Span::raw(" ".repeat(usize::from(before))));
        }
        spans.extend(self.line.spans.iter().cloned());
        if free > before {
            spans.push(Span::raw(" ".repeat(usize::from(free - before))));
        }
        Line::from(spans).style(self.line.style)
    }

    /// Draws the row into one row of `area` (its top row), at the row's indent.
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        if area.is_empty() || self.indent >= area.width {
            return;
        }
        draw_line(
            buf,
            area.x + self.indent,
            area.y,
            &self.line,
            area.width - self.indent,
        );
    }

    /// The column (from the area's left edge) of the cell the terminal cursor goes on for a
    /// caret before source byte `offset`, or `None` when the offset is not on this row.
    ///
    /// The cursor sits on the character after the caret, whatever its direction (as Emacs
    /// does); at the end of the paragraph it sits just past the content in the paragraph's
    /// direction: right of it for LTR, left of it for RTL (saturating at column 0).
    pub fn caret_column(&self, offset: usize) -> Option<u16> {
        if offset < self.source.start
            || offset > self.source.end
            || (offset == self.source.end && !self.ends_paragraph)
        {
            return None;
        }
        let cluster = self
            .clusters
            .iter()
            .find(|c| c.source.start <= offset && offset < c.source.end);
        Some(match cluster {
            Some(c) if c.width > 0 => self.indent + c.column,
            _ => self.end_column(),
        })
    }

    /// The column just past the content in the paragraph's direction.
    pub fn end_column(&self) -> u16 {
        if self.reordered && self.direction.is_rtl() {
            self.indent.saturating_sub(1)
        } else {
            self.indent + self.width
        }
    }

    /// The source offset of the caret for a cursor on `column` (from the area's left edge):
    /// the start of the cluster drawn there; past the content's end in the paragraph's
    /// direction, the row's end; before its start, the row's start.
    pub fn offset_at_column(&self, column: u16) -> usize {
        let content_left = self.indent;
        let content_right = self.indent + self.width;
        if let Some(c) = self.clusters.iter().find(|c| {
            c.width > 0
                && column >= content_left + c.column
                && column < content_left + c.column + c.width
        }) {
            return c.source.start;
        }
        let past_left = column < content_left;
        let past_right = column >= content_right;
        let towards_end = if self.reordered && self.direction.is_rtl() {
            past_left
        } else {
            past_right
        } || (!past_left && !past_right);
        if !towards_end {
            return self.source.start;
        }
        self.last_offset()
    }

    /// The caret position at the row's logical end: the paragraph's end on its last row, else
    /// the start of the row's last character (the caret may not leave the row).
    pub fn last_offset(&self) -> usize {
        if self.ends_paragraph {
            self.source.end
        } else {
            self.clusters
                .iter()
                .map(|c| c.source.start)
                .max()
                .unwrap_or(self.source.start)
        }
    }

    /// Column ranges (from the area's left edge) of the cells showing any of the source bytes
    /// in `range`, for selection and search highlighting.
    pub fn columns_of(&self, range: Range<usize>) -> Vec<Range<u16>> {
        let mut out: Vec<Range<u16>> = Vec::new();
        for c in &self.clusters {
            if c.width == 0 || c.source.end <= range.start || c.source.start >= range.end {
                continue;
            }
            let cols = self.indent + c.column..self.indent + c.column + c.width;
            match out.last_mut() {
                Some(last) if last.end == cols.start => last.end = cols.end,
                _ => out.push(cols),
            }
        }
        out
    }
}

/// Laid-out text: every visual row of every paragraph, for one width.
///
/// The rows are ready to draw ([`VisualLine::render`], or [`VisualLine::line`] with
/// [`VisualLine::indent`]), and each carries the map between its source text and its cells, for
/// the cursor of an editor, a selection or a search highlight:
///
/// ```
/// use mosharekat_rtl::{LayoutOptions, TextLayout};
/// use ratatui::style::Style;
///
/// let text = "سلام world";
/// let layout = TextLayout::from_str(text, Style::new(), 16, &LayoutOptions::default());
/// let row = &layout.lines[0];
/// assert_eq!(row.line.to_string(), "world مالس");
/// assert_eq!(row.indent, 6); // a right-to-left paragraph, aligned right
///
/// // The cursor for a caret before "ل" sits on that letter, second cell from the right.
/// let lam = text.find('ل').unwrap();
/// assert_eq!(layout.locate(0, lam), Some((0, 14)));
/// // "world" is drawn in the cells 6..11.
/// let world = text.find("world").unwrap();
/// assert_eq!(row.columns_of(world..text.len()), vec![6..11]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TextLayout {
    /// The width the text was laid out for.
    pub width: u16,
    /// All rows, paragraph by paragraph.
    pub lines: Vec<VisualLine>,
}

impl TextLayout {
    /// Lays out styled text. Each [`Line`] of the text is a paragraph; a `\n` inside a span
    /// starts another one (so paragraph indices count hard lines after that split).
    pub fn new<'a>(text: &Text<'a>, width: u16, options: &LayoutOptions) -> Self {
        Self::first_rows(text, width, options, usize::MAX)
    }

    /// Lays out styled text up to the paragraph that reaches `rows` rows, and no further: the
    /// rows it has are those of [`TextLayout::new`] (all of them when the text is shorter).
    /// For drawing the top of a long text.
    pub fn first_rows(text: &Text<'_>, width: u16, options: &LayoutOptions, rows: usize) -> Self {
        let mut builder = Builder::new(
            options,
            Sink::Lines {
                width,
                lines: Vec::new(),
                limit: rows,
            },
        );
        builder.push_text(text);
        TextLayout {
            width,
            lines: builder.into_lines(),
        }
    }

    /// Lays out plain text in one style; `\n` separates paragraphs.
    pub fn from_str(text: &str, style: Style, width: u16, options: &LayoutOptions) -> Self {
        let mut builder = Builder::new(
            options,
            Sink::Lines {
                width,
                lines: Vec::new(),
                limit: usize::MAX,
            },
        );
        builder.start_paragraph(None, text.contains('\t'));
        builder.push(text, style);
        builder.finish_paragraph();
        TextLayout {
            width,
            lines: builder.into_lines(),
        }
    }

    /// How many rows [`TextLayout::new`] gives the text, found without reordering or styling
    /// anything (wrapping depends only on the clusters' widths and the break opportunities).
    pub fn count_rows(text: &Text<'_>, width: u16, options: &LayoutOptions) -> usize {
        let mut builder = Builder::new(options, Sink::Count { width, rows: 0 });
        builder.push_text(text);
        match builder.sink {
            Sink::Count { rows, .. } => rows,
            _ => unreachable!("a counting builder"),
        }
    }

    /// Number of visual rows.
    pub fn rows(&self) -> usize {
        self.lines.len()
    }

    /// The rows of one paragraph.
    pub fn paragraph_rows(&self, paragraph: usize) -> Range<usize> {
        let start = self.lines.partition_point(|l| l.paragraph < paragraph);
        let end = self.lines.partition_point(|l| l.paragraph <= paragraph);
        start..end
    }

    /// Row and column of the terminal cursor for a caret before `offset` in `paragraph`.
    pub fn locate(&self, paragraph: usize, offset: usize) -> Option<(usize, u16)> {
        let rows = self.paragraph_rows(paragraph);
        for row in rows.clone() {
            if let Some(column) = self.lines[row].caret_column(offset) {
                return Some((row, column));
            }
        }
        None
    }
}

/// Lays out styled text into rows of at most `width` columns (see [`TextLayout::new`]).
pub fn layout_text(text: &Text<'_>, width: u16, options: &LayoutOptions) -> Vec<VisualLine> {
    TextLayout::new(text, width, options).lines
}

/// Lays out plain text in one style (see [`TextLayout::from_str`]).
pub fn layout_str(
    text: &str,
    style: Style,
    width: u16,
    options: &LayoutOptions,
) -> Vec<VisualLine> {
    TextLayout::from_str(text, style, width, options).lines
}

/// One line, cut to exactly `width` columns for a list item or table cell: no wrapping, newlines
/// shown as spaces, and when it does not fit, the logical end replaced by `…`, which therefore
/// sits at the visual left end of a right-to-left paragraph and the right end of a left-to-right
/// one. Padded to `width` on the side the alignment leaves free.
///
/// ```
/// use mosharekat_rtl::{truncate_line, LayoutOptions};
/// use ratatui::style::Stylize;
/// use ratatui::text::Line;
///
/// let options = LayoutOptions::default();
/// let line = Line::from(vec!["report ".into(), "2024".bold()]);
/// let cell = truncate_line(&line, 10, &options);
/// assert_eq!(cell.to_string(), "report 20…");
/// assert_eq!(cell.spans[1], "20".bold()); // styles kept
/// // Short enough: padded, on the left for right-to-left text.
/// assert_eq!(truncate_line(&Line::from("سلام"), 6, &options).to_string(), "  مالس");
/// ```
pub fn truncate_line(line: &Line<'_>, width: u16, options: &LayoutOptions) -> Line<'static> {
    let mut builder = Builder::new(options, Sink::Paragraphs(Vec::new()));
    let has_tabs = line.spans.iter().any(|s| s.content.contains('\t'));
    builder.start_paragraph(line.alignment, has_tabs);
    for span in &line.spans {
        builder.push(&span.content, line.style.patch(span.style));
    }
    builder.finish_paragraph();
    let mut work = std::mem::take(&mut builder.work);
    let Sink::Paragraphs(mut paragraphs) = builder.sink else {
        unreachable!("a single-line builder keeps its paragraphs")
    };
    let Some(paragraph) = paragraphs.pop() else {
        return Line::from(" ".repeat(usize::from(width)));
    };
    paragraph.truncated(width, line.style, options, &mut work)
}

/// [`truncate_line`] for plain text in one style.
pub fn truncate_str(
    text: &str,
    style: Style,
    width: u16,
    options: &LayoutOptions,
) -> Line<'static> {
    truncate_line(&Line::styled(text, style), width, options)
}

/// Draws `line` like `Buffer::set_line` (cell for cell the same result), without segmenting
/// plain letters through `unicode-segmentation`.
fn draw_line(buf: &mut Buffer, x: u16, y: u16, line: &Line<'_>, max_width: u16) {
    let mut remaining_width = max_width;
    let mut x = x;
    // The row's cells are consecutive in the buffer: the index of the first one written (the
    // lookup panics where `Buffer::set_line` would), then offsets from it.
    let mut row: Option<(usize, u16)> = None;
    let mut index = |buf: &Buffer, x: u16| match row {
        Some((first, first_x)) => first + usize::from(x - first_x),
        None => {
            let first = buf.index_of(x, y);
            row = Some((first, x));
            first
        }
    };
    for span in line {
        if remaining_width == 0 {
            break;
        }
        let style = line.style.patch(span.style);
        let start = x;
        // `Buffer::set_stringn`: graphemes without controls, of non-zero width, while they fit.
        let mut room = buf.area.right().saturating_sub(x).min(remaining_width);
        let mut clusters = cluster::clusters(&span.content);
        while let Some(cluster) = clusters.next_cluster() {
            let symbol = cluster.text;
            // A simple character is never a control.
            if cluster.width == 0 || !cluster.simple && symbol.contains(char::is_control) {
                continue;
            }
            let width = cluster.width as u16;
            let Some(left) = room.checked_sub(width) else {
                break;
            };
            room = left;
            let i = index(buf, x);
            buf.content[i].set_symbol(symbol).set_style(style);
            let next_symbol = x + width;
            x += 1;
            // Reset following cells if multi-width (they would be hidden by the grapheme).
            while x < next_symbol {
                let i = index(buf, x);
                buf.content[i].reset();
                x += 1;
            }
        }
        remaining_width = remaining_width.saturating_sub(x.saturating_sub(start));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    Text,
    Marker,
    Tab,
}

/// A grapheme cluster of the sanitised text, or one replaced source character.
#[derive(Debug, Clone)]
struct Unit {
    display: Range<usize>,
    source: Range<usize>,
    width: u16,
    kind: UnitKind,
    /// The piece it comes from, for its style (`Paragraph::styles`; a paragraph has far
    /// fewer than 2³² pieces).
    piece: u32,
    /// Whitespace a line may break after and that may hang past the width.
    space: bool,
    /// The text ends with a joiner or a Prepend character ([`is_glue`]).
    glue_end: bool,
    /// The first character has a mirrored glyph (rule L4).
    mirror: bool,
    /// The first character, and whether it is the whole text (most units).
    first: char,
    single: bool,
}

/// A piece of the sanitised paragraph before it is split into clusters.
struct Piece {
    display: Range<usize>,
    source: Range<usize>,
    kind: Option<UnitKind>,
    style: Style,
}

/// Where the builder's finished paragraphs go.
enum Sink {
    /// Wrapped into rows of this width, until there are `limit` rows.
    Lines {
        width: u16,
        lines: Vec<VisualLine>,
        limit: usize,
    },
    /// Only the number of rows at this width.
    Count { width: u16, rows: usize },
    /// Kept as they are, newlines shown as spaces (a single-line list item or table cell).
    Paragraphs(Vec<Paragraph>),
}

struct Builder<'o> {
    options: &'o LayoutOptions,
    sink: Sink,
    /// Paragraphs finished so far.
    paragraphs: usize,
    /// The sanitised text of the paragraph being built.
    text: String,
    pieces: Vec<Piece>,
    /// Offset of the next span in the input line (the concatenated span contents).
    line_offset: usize,
    /// Offset in the input line where the current paragraph starts (after a `\n`).
    paragraph_start: usize,
    /// Display column, for tab stops; not tracked for a line without tabs.
    column: Option<usize>,
    alignment: Option<Alignment>,
    /// Buffers reused from paragraph to paragraph and row to row.
    work: Work,
}

impl<'o> Builder<'o> {
    fn new(options: &'o LayoutOptions, sink: Sink) -> Self {
        Builder {
            options,
            sink,
            paragraphs: 0,
            text: String::new(),
            pieces: Vec::new(),
            line_offset: 0,
            paragraph_start: 0,
            column: None,
            alignment: None,
            work: Work::default(),
        }
    }

    /// True once the rows asked for are laid out: everything after is skipped.
    fn is_full(&self) -> bool {
        matches!(&self.sink, Sink::Lines { lines, limit, .. } if lines.len() >= *limit)
    }

    fn single_line(&self) -> bool {
        matches!(self.sink, Sink::Paragraphs(_))
    }

    /// Each line of the text as a paragraph (see [`TextLayout::new`]).
    fn push_text(&mut self, text: &Text<'_>) {
        for line in &text.lines {
            if self.is_full() {
                break;
            }
            let base = text.style.patch(line.style);
            let has_tabs = line.spans.iter().any(|s| s.content.contains('\t'));
            self.start_paragraph(line.alignment, has_tabs);
            for span in &line.spans {
                self.push(&span.content, base.patch(span.style));
            }
            self.finish_paragraph();
        }
    }

    /// Starts an input line; `has_tabs` says whether any of its spans holds a tab.
    fn start_paragraph(&mut self, alignment: Option<Alignment>, has_tabs: bool) {
        self.alignment = alignment;
        self.line_offset = 0;
        self.paragraph_start = 0;
        self.column = has_tabs.then_some(0);
    }

    fn push(&mut self, content: &str, style: Style) {
        if self.is_full() {
            return;
        }
        let at = self.line_offset;
        let single_line = self.single_line();
        let mut column = self.column.take();
        sanitize::try_for_each_segment(content, self.options.tab_width, &mut column, |segment| {
            let (range, shown, kind) = match segment {
                Segment::Kept(range) => (range.clone(), &content[range], None),
                Segment::Replaced {
                    source,
                    ref shown,
                    kind,
                } => {
                    let kind = match kind {
                        ReplacementKind::Marker => UnitKind::Marker,
                        ReplacementKind::Tab => UnitKind::Tab,
                    };
                    self.push_piece(at, source, shown, Some(kind), style);
                    return ControlFlow::Continue(());
                }
                Segment::Newline(source) if single_line => (source, " ", Some(UnitKind::Tab)),
                Segment::Newline(source) => {
                    let alignment = self.alignment;
                    self.finish_paragraph_at(at + source.start);
                    self.alignment = alignment;
                    self.paragraph_start = at + source.end;
                    return if self.is_full() {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    };
                }
            };
            self.push_piece(at, range, shown, kind, style);
            ControlFlow::Continue(())
        });
        self.column = column;
        self.line_offset += content.len();
    }

    fn push_piece(
        &mut self,
        at: usize,
        source: Range<usize>,
        shown: &str,
        kind: Option<UnitKind>,
        style: Style,
    ) {
        let start = self.text.len();
        self.text.push_str(shown);
        // Offsets in the input line, made relative to the paragraph's start.
        let from = at + source.start - self.paragraph_start;
        let to = at + source.end - self.paragraph_start;
        self.pieces.push(Piece {
            display: start..self.text.len(),
            source: from..to,
            kind,
            style,
        });
    }

    fn finish_paragraph(&mut self) {
        if self.is_full() {
            return;
        }
        self.finish_paragraph_at(self.line_offset);
    }

    fn finish_paragraph_at(&mut self, end: usize) {
        let text = std::mem::take(&mut self.text);
        let source_len = end - self.paragraph_start;
        let analyse = !matches!(self.sink, Sink::Count { .. });
        let paragraph = Paragraph::new(
            text,
            &self.pieces,
            source_len,
            self.alignment,
            self.options,
            analyse,
            &mut self.work,
        );
        self.pieces.clear();
        let index = self.paragraphs;
        self.paragraphs += 1;
        match &mut self.sink {
            Sink::Lines { width, lines, .. } => {
                paragraph.wrap_into(index, *width, self.options, &mut self.work, lines);
                self.work.recycle(paragraph, &mut self.text);
            }
            Sink::Count { width, rows } => {
                paragraph.break_rows(*width, &mut self.work);
                *rows += self.work.rows.len();
                self.work.recycle(paragraph, &mut self.text);
            }
            Sink::Paragraphs(paragraphs) => paragraphs.push(paragraph),
        }
    }

    fn into_lines(self) -> Vec<VisualLine> {
        match self.sink {
            Sink::Lines { lines, .. } => lines,
            _ => Vec::new(),
        }
    }
}

/// Buffers reused across the paragraphs and rows of one layout, so that the only allocations
/// per row are the row's own output.
#[derive(Default)]
struct Work {
    /// The paragraph's characters for the bidi analysis, with the LRI and PDI around its
    /// isolated tokens, and the entry of each unit's first character.
    analysis: levels::Analysis,
    unit_chars: Vec<usize>,
    /// Buffers of a finished paragraph, for the next one.
    units: Vec<Unit>,
    classes: Vec<BidiClass>,
    levels: Vec<u8>,
    break_before: Vec<bool>,
    /// Line-break opportunities of the paragraph (byte offsets).
    breaks: Vec<usize>,
    /// The rows of the paragraph being wrapped and the units that hang on them.
    rows: Vec<Range<usize>>,
    hanging: Vec<bool>,
    /// One row: unit levels after L1, group levels, visual order, shaped text and groups.
    unit_levels: Vec<u8>,
    group_levels: Vec<u8>,
    order: Vec<usize>,
    order_levels: Vec<u8>,
    shaped_text: String,
    shaped_groups: Vec<shape::ShapedGroup>,
}

impl Work {
    /// Keeps a wrapped paragraph's buffers for the next one.
    fn recycle(&mut self, paragraph: Paragraph, text: &mut String) {
        let Paragraph {
            text: mut old_text,
            mut units,
            mut classes,
            mut levels,
            mut break_before,
            ..
        } = paragraph;
        if text.capacity() == 0 {
            old_text.clear();
            *text = old_text;
        }
        units.clear();
        self.units = units;
        classes.clear();
        self.classes = classes;
        levels.clear();
        self.levels = levels;
        break_before.clear();
        self.break_before = break_before;
    }
}

/// One analysed paragraph: clusters, levels and break opportunities.
struct Paragraph {
    text: String,
    units: Vec<Unit>,
    /// Bidi class of each unit's first character (for rule L1).
    classes: Vec<BidiClass>,
    /// Resolved level of each unit, before rule L1.
    levels: Vec<u8>,
    /// A line may start at this unit.
    break_before: Vec<bool>,
    base: BaseDirection,
    source_len: usize,
    alignment: Option<Alignment>,
    /// The style of every unit when they all share one and none is a marker (most text):
    /// rows then need no per-cluster style handling.
    uniform_style: Option<Style>,
    /// The style of each piece the units came from.
    styles: Vec<Style>,
}

impl Paragraph {
    /// Splits the paragraph into units and, when `analyse` (not when only counting rows),
    /// resolves its direction and levels.
    fn new(
        text: String,
        pieces: &[Piece],
        source_len: usize,
        alignment: Option<Alignment>,
        options: &LayoutOptions,
        analyse: bool,
        work: &mut Work,
    ) -> Self {
        let mut units = std::mem::take(&mut work.units);
        units_of(&text, pieces, &mut units);

        let mut base = bidi::resolve_direction("", options.direction, options.fallback_direction);
        let mut classes = Vec::new();
        let mut levels = Vec::new();
        let needs_analysis =
            analyse && (options.bidi == BidiMode::App || options.direction == Direction::Auto);
        if needs_analysis {
            // The analysis text: the display text with LRI … PDI around isolated tokens.
            let isolate = isolate_flags(&text, &units);
            let analysis = &mut work.analysis;
            let unit_chars = &mut work.unit_chars;
            analysis.clear();
            unit_chars.clear();
            let mut may_hold_rtl = false;
            let class_of = levels::class_table();
            // Units with no text (a tab at tab width 0) take the entry of whatever follows.
            let mut waiting = 0;
            let push = |analysis: &mut levels::Analysis,
                        unit_chars: &mut Vec<usize>,
                        waiting: &mut usize,
                        c: char,
                        class: BidiClass| {
                let entry = analysis.push(c, class);
                let len = unit_chars.len();
                unit_chars[len - *waiting..].fill(entry);
                *waiting = 0;
                entry
            };
            for (u, unit) in units.iter().enumerate() {
                let (opens, closes) = isolate.get(u).copied().unwrap_or_default();
                if opens {
                    push(analysis, unit_chars, &mut waiting, LRI, BidiClass::LRI);
                }
                if unit.single {
                    // Most units: one character, already decoded.
                    let c = unit.first;
                    may_hold_rtl = may_hold_rtl || may_be_rtl(c);
                    let entry = push(analysis, unit_chars, &mut waiting, c, class_of(c));
                    unit_chars.push(entry);
                } else {
                    let mut chars = text[unit.display.clone()].chars();
                    match chars.next() {
                        Some(first) => {
                            may_hold_rtl = may_hold_rtl || may_be_rtl(first);
                            let entry =
                                push(analysis, unit_chars, &mut waiting, first, class_of(first));
                            unit_chars.push(entry);
                        }
                        None => {
                            unit_chars.push(usize::MAX);
                            waiting += 1;
                        }
                    }
                    for c in chars {
                        may_hold_rtl = may_hold_rtl || may_be_rtl(c);
                        push(analysis, unit_chars, &mut waiting, c, class_of(c));
                    }
                }
                if closes {
                    push(analysis, unit_chars, &mut waiting, PDI, BidiClass::PDI);
                }
            }
            // Nothing follows: the entry before.
            let len = unit_chars.len();
            unit_chars[len - waiting..].fill(analysis.chars.len().saturating_sub(1));
            if options.direction == Direction::Auto {
                base = bidi::first_strong_class(analysis.classes.iter().copied())
                    .unwrap_or(options.fallback_direction);
            }
            let pure_ltr = base == BaseDirection::Ltr && !may_hold_rtl;
            if options.bidi == BidiMode::App && !pure_ltr && !analysis.chars.is_empty() {
                let char_levels = analysis.resolve(base.level());
                classes = std::mem::take(&mut work.classes);
                levels = std::mem::take(&mut work.levels);
                classes.clear();
                levels.clear();
                for &entry in &work.unit_chars {
                    classes.push(analysis.classes[entry]);
                    levels.push(char_levels[entry]);
                }
            }
        }
        if levels.is_empty() {
            levels = std::mem::take(&mut work.levels);
            levels.clear();
            levels.resize(units.len(), base.level());
        }

        let mut break_before = std::mem::take(&mut work.break_before);
        break_before.resize(units.len(), false);
        breaks::break_offsets(&text, &mut work.breaks);
        let mut unit = 0;
        for &at in &work.breaks {
            while unit < units.len() && units[unit].display.start < at {
                unit += 1;
            }
            if unit < units.len() && units[unit].display.start == at {
                break_before[unit] = true;
            }
        }

        let uniform_style = pieces.first().map(|p| p.style).filter(|&style| {
            pieces
                .iter()
                .all(|p| p.style == style && p.kind != Some(UnitKind::Marker))
        });

        Paragraph {
            text,
            units,
            classes,
            levels,
            break_before,
            base,
            source_len,
            alignment,
            uniform_style,
            styles: pieces.iter().map(|p| p.style).collect(),
        }
    }

    fn alignment(&self, options: &LayoutOptions) -> Alignment {
        options.alignment.or(self.alignment).unwrap_or(
            if options.bidi == BidiMode::App && self.base.is_rtl() {
                Alignment::Right
            } else {
                Alignment::Left
            },
        )
    }

    /// Greedy wrapping at break opportunities into `work.rows` (unit ranges), marking the
    /// units that hang in `work.hanging`; a word is broken only when it cannot fit on a line
    /// of its own. Whitespace that does not fit hangs (kept in the row, not drawn).
    fn break_rows(&self, width: u16, work: &mut Work) {
        let n = self.units.len();
        let max = u32::from(width);
        let hanging = &mut work.hanging;
        let rows = &mut work.rows;
        hanging.clear();
        hanging.resize(n, false);
        rows.clear();
        if width == 0 {
            hanging.fill(true);
            rows.push(0..n);
            return;
        }
        let mut start = 0;
        let mut used = 0u32;
        let mut last_break: Option<usize> = None;
        let mut i = 0;
        while i < n {
            if i > start && self.break_before[i] {
                last_break = Some(i);
            }
            let w = u32::from(self.units[i].width);
            if used + w <= max {
                used += w;
                i += 1;
                continue;
            }
            if self.units[i].space {
                while i < n && self.units[i].space {
                    let w = u32::from(self.units[i].width);
                    if used + w <= max {
                        used += w;
                    } else {
                        hanging[i] = true;
                    }
                    i += 1;
                }
                if i < n {
                    rows.push(start..i);
                    start = i;
                    used = 0;
                    last_break = None;
                }
                continue;
            }
            if let Some(at) = last_break.filter(|&b| b > start) {
                rows.push(start..at);
                start = at;
                i = at;
            } else if i > start {
                rows.push(start..i);
                start = i;
            } else {
                // Wider than the whole area: kept in the map, not drawn.
                hanging[i] = true;
                i += 1;
                rows.push(start..i);
                start = i;
            }
            used = 0;
            last_break = None;
        }
        if start < n || rows.is_empty() {
            rows.push(start..n);
        }
    }

    /// The paragraph's rows at `width`, appended to `out`.
    fn wrap_into(
        &self,
        index: usize,
        width: u16,
        options: &LayoutOptions,
        work: &mut Work,
        out: &mut Vec<VisualLine>,
    ) {
        self.break_rows(width, work);
        let alignment = self.alignment(options);
        let rows = std::mem::take(&mut work.rows);
        let hanging = std::mem::take(&mut work.hanging);
        let last = rows.len() - 1;
        out.reserve(rows.len());
        for (r, row) in rows.iter().enumerate() {
            let mut line = self.visual_line(row.clone(), &hanging, options, alignment, work);
            line.paragraph = index;
            line.ends_paragraph = r == last;
            if r == last {
                line.source.end = self.source_len;
            }
            line.indent = indent(alignment, width, line.width);
            out.push(line);
        }
        work.rows = rows;
        work.hanging = hanging;
    }

    /// Rows `units` of the paragraph, shaped, reordered and styled.
    fn visual_line(
        &self,
        units: Range<usize>,
        hanging: &[bool],
        options: &LayoutOptions,
        alignment: Alignment,
        work: &mut Work,
    ) -> VisualLine {
        let reorder = options.bidi == BidiMode::App;
        let slice = &self.units[units.clone()];
        let unit_text = |u: &Unit| &self.text[u.display.clone()];

        // Clusters in logical order: one group per unit, or shaped groups.
        let shaped = options.shaping && slice.iter().any(|u| shape::has_shapable(unit_text(u)));
        if shaped {
            let levels = &self.levels[units.clone()];
            shape::shape_into(
                slice.len(),
                |i| unit_text(&slice[i]),
                |i| slice[i].kind == UnitKind::Text,
                |a, b| levels[a] == levels[b],
                &mut work.shaped_text,
                &mut work.shaped_groups,
            );
        }
        let group_count = if shaped {
            work.shaped_groups.len()
        } else {
            slice.len()
        };
        let shaped_text = &work.shaped_text;
        let shaped_groups = &work.shaped_groups;

        // Rule L1 on the row, then each group takes the level of its first unit.
        let group_levels = &mut work.group_levels;
        group_levels.clear();
        if reorder {
            let levels = &mut work.unit_levels;
            levels.clear();
            levels.extend_from_slice(&self.levels[units.clone()]);
            if !self.classes.is_empty() {
                bidi::apply_l1(&self.classes[units.clone()], levels, self.base.level());
            }
            if shaped {
                group_levels.extend(shaped_groups.iter().map(|s| levels[s.units.start]));
            } else {
                group_levels.extend_from_slice(levels);
            }
            bidi::visual_order_into(group_levels, &mut work.order, &mut work.order_levels);
        } else {
            group_levels.resize(group_count, 0);
            work.order.clear();
            work.order.extend(0..group_count);
        }

        let row_bytes = match (slice.first(), slice.last()) {
            (Some(first), Some(last)) => last.display.end - first.display.start,
            _ => 0,
        };
        let mut row = RowWriter {
            styles: &self.styles,
            clusters: Vec::with_capacity(group_count),
            spans: Vec::new(),
            current: String::with_capacity(row_bytes + row_bytes / 8),
            current_style: None,
            column: 0,
            uniform_style: self.uniform_style,
            marker_style: options.marker_style,
            reorder,
        };
        let hanging = &hanging[units.clone()];
        if shaped {
            for &g in &work.order {
                let group = &shaped_groups[g];
                let rtl = group_levels[g] % 2 == 1;
                let (start, end) = (group.units.start, group.units.end);
                let first = &slice[start];
                // Most groups: a letter's form, one character, nothing to trim.
                if let Some(c) = group.single
                    && end - start == 1
                    && !first.glue_end
                {
                    let width = if hanging[start] {
                        0
                    } else if c == first.first && first.single {
                        first.width
                    } else {
                        cells_of_char(c)
                    };
                    row.push(first, first, width, rtl, Shown::Char(c));
                    continue;
                }
                let text = &shaped_text[group.text.clone()];
                let hangs = hanging[start..end].iter().any(|&h| h);
                // Shaping drops joiners and never ends a group with a Prepend character that
                // its units did not end with (see `visible`).
                let glued = slice[start..end].iter().any(|u| u.glue_end) && text.ends_with(is_glue);
                let shown = visible(text, glued);
                let width = if hangs {
                    0
                } else if end - start == 1 && shown == unit_text(first) {
                    first.width
                } else {
                    cells(shown)
                };
                row.push(first, &slice[end - 1], width, rtl, Shown::Text(shown));
            }
        } else {
            for &g in &work.order {
                let unit = &slice[g];
                let rtl = group_levels[g] % 2 == 1;
                if unit.single && !unit.glue_end {
                    // Most units: one character, nothing to trim.
                    let width = if hanging[g] { 0 } else { unit.width };
                    row.push(unit, unit, width, rtl, Shown::Char(unit.first));
                    continue;
                }
                let shown = visible(unit_text(unit), unit.glue_end);
                let width = if hanging[g] {
                    0
                } else if !unit.glue_end {
                    unit.width
                } else {
                    cells(shown)
                };
                row.push(unit, unit, width, rtl, Shown::Text(shown));
            }
        }
        let RowWriter {
            clusters,
            mut spans,
            current,
            current_style,
            column,
            ..
        } = row;
        if let Some(style) = current_style {
            spans.push(Span::styled(current, style));
        }

        let source = match (slice.first(), slice.last()) {
            (Some(first), Some(last)) => first.source.start..last.source.end,
            _ => 0..0,
        };
        VisualLine {
            paragraph: 0,
            source,
            ends_paragraph: false,
            direction: self.base,
            reordered: reorder,
            alignment,
            indent: 0,
            width: column,
            line: Line::from(spans).alignment(alignment),
            clusters,
        }
    }

    /// The paragraph on one row of exactly `width` columns, cut with `…` at its logical end.
    fn truncated(
        &self,
        width: u16,
        style: Style,
        options: &LayoutOptions,
        work: &mut Work,
    ) -> Line<'static> {
        let alignment = self.alignment(options);
        let hanging = vec![false; self.units.len()];
        let total: u32 = self.units.iter().map(|u| u32::from(u.width)).sum();
        if total <= u32::from(width) {
            let mut line =
                self.visual_line(0..self.units.len(), &hanging, options, alignment, work);
            line.alignment = alignment;
            return line.padded(width);
        }
        if width == 0 {
            return Line::default();
        }
        // The longest logical prefix that leaves a column for the ellipsis, without trailing
        // whitespace, so the ellipsis follows the last word.
        let room = u32::from(width) - 1;
        let mut used = 0;
        let mut end = 0;
        while end < self.units.len() && used + u32::from(self.units[end].width) <= room {
            used += u32::from(self.units[end].width);
            end += 1;
        }
        while end > 0 && self.units[end - 1].space {
            end -= 1;
        }
        let mut line = self.visual_line(0..end, &hanging, options, alignment, work);
        let ellipsis = Span::styled("…", style);
        let at_left = options.bidi == BidiMode::App && self.base.is_rtl();
        if at_left {
            line.line.spans.insert(0, ellipsis);
        } else {
            line.line.spans.push(ellipsis);
        }
        line.width += 1;
        line.padded(width)
    }
}

/// The text of a cluster as drawn: without a trailing joiner or Prepend character when
/// `glued`. A joiner at the end of a cluster joined nothing in logical order; next to another
/// cluster in visual order it would glue the two into one grapheme on screen. So would a
/// prepended format character (an Arabic number sign) with nothing after it.
fn visible(text: &str, glued: bool) -> &str {
    if glued {
        text.trim_end_matches(is_glue)
    } else {
        text
    }
}

/// What a cluster shows: one character (most clusters) or a string.
enum Shown<'a> {
    Char(char),
    Text(&'a str),
}

/// One row being built in visual order: its clusters, its spans, the span being filled.
struct RowWriter<'p> {
    /// The styles of the paragraph's pieces.
    styles: &'p [Style],
    clusters: Vec<VisualCluster>,
    spans: Vec<Span<'static>>,
    current: String,
    current_style: Option<Style>,
    column: u16,
    /// The paragraph's one style, when it has one (no per-cluster style handling then).
    uniform_style: Option<Style>,
    marker_style: Style,
    /// The row is in visual order (`bidi = app`): brackets at odd levels mirror.
    reorder: bool,
}

impl RowWriter<'_> {
    /// The next cluster to the right: units `first..=last`, `width` columns.
    #[inline(always)]
    fn push(&mut self, first: &Unit, last: &Unit, width: u16, rtl: bool, shown: Shown<'_>) {
        self.clusters.push(VisualCluster {
            source: first.source.start..last.source.end,
            column: self.column,
            width,
            rtl,
        });
        if width == 0 {
            return;
        }
        self.column += width;
        let style = match self.uniform_style {
            Some(style) => style,
            None => {
                let style = self.styles[first.piece as usize];
                if first.kind == UnitKind::Marker {
                    style.patch(self.marker_style)
                } else {
                    style
                }
            }
        };
        // One style for the whole paragraph: a single span, no comparisons.
        if (self.uniform_style.is_none() || self.current_style.is_none())
            && self.current_style != Some(style)
        {
            if let Some(previous) = self.current_style {
                let text = std::mem::take(&mut self.current);
                self.spans.push(Span::styled(text, previous));
            }
            self.current_style = Some(style);
        }
        // Rule L4. Only a cluster whose first character has a mirror can change (a shaped
        // group that starts with another character starts with a presentation form).
        let mirror = self.reorder && rtl && first.mirror;
        match shown {
            Shown::Char(c) if mirror => self.current.push(bidi::mirrored(c).unwrap_or(c)),
            Shown::Char(c) => self.current.push(c),
            Shown::Text(text) => match text.chars().next().filter(|_| mirror) {
                Some(c) => match bidi::mirrored(c) {
                    Some(m) => {
                        self.current.push(m);
                        self.current.push_str(&text[c.len_utf8()..]);
                    }
                    None => self.current.push_str(text),
                },
                None => self.current.push_str(text),
            },
        }
    }
}

/// [`cells`] of one character.
fn cells_of_char(c: char) -> u16 {
    if cluster::is_simple(c) {
        1
    } else {
        cells(c.encode_utf8(&mut [0; 4]))
    }
}

/// Columns ratatui gives the text: it draws grapheme by grapheme.
fn cells(text: &str) -> u16 {
    u16::try_from(cluster::cells(text)).unwrap_or(u16::MAX)
}

/// A character that would glue the cluster after it onto this one on screen: ZWJ or Prepend.
fn is_glue(c: char) -> bool {
    c == ZWJ || is_prepend(c)
}

/// Characters of grapheme-break class Prepend: they attach to the character after them.
fn is_prepend(c: char) -> bool {
    matches!(c,
        '\u{600}'..='\u{605}' | '\u{6dd}' | '\u{70f}' | '\u{890}'..='\u{891}' | '\u{8e2}'
        | '\u{d4e}' | '\u{110bd}' | '\u{110cd}' | '\u{111c2}'..='\u{111c3}' | '\u{1193f}'
        | '\u{11941}' | '\u{11a3a}' | '\u{11a84}'..='\u{11a89}' | '\u{11d46}' | '\u{11f02}')
}

/// Blank columns before content of `content` columns in an area of `width`.
fn indent(alignment: Alignment, width: u16, content: u16) -> u16 {
    let free = width.saturating_sub(content);
    match alignment {
        Alignment::Left => 0,
        Alignment::Center => free / 2,
        Alignment::Right => free,
    }
}

/// Characters that can raise a level in an LTR paragraph (R, AL, AN, and the explicit and
/// isolate controls the analysis itself inserts are handled by the full path).
fn may_be_rtl(c: char) -> bool {
    let code = c as u32;
    (0x590..0x900).contains(&code)
        || (0xfb1d..0xfe00).contains(&code)
        || (0xfe70..0xff00).contains(&code)
        || (0x10800..0x10fff).contains(&code)
        || (0x1e800..0x1efff).contains(&code)
        || matches!(
            c,
            '\u{200f}' | '\u{202b}' | '\u{202e}' | '\u{2067}' | '\u{2068}'
        )
}

/// Splits the sanitised text into `units` (cleared first): grapheme clusters of kept text,
/// one unit per replacement.
fn units_of(text: &str, pieces: &[Piece], units: &mut Vec<Unit>) {
    units.clear();
    units.reserve(text.len() / 2);
    let mut p = 0;
    while p < pieces.len() {
        let piece = &pieces[p];
        if let Some(kind) = piece.kind {
            let shown = &text[piece.display.clone()];
            units.push(Unit {
                display: piece.display.clone(),
                source: piece.source.clone(),
                width: cells(shown),
                kind,
                piece: p as u32,
                space: kind == UnitKind::Tab,
                glue_end: shown.ends_with(is_glue),
                mirror: shown.chars().next().and_then(bidi::mirrored).is_some(),
                first: shown.chars().next().unwrap_or(' '),
                single: shown.chars().count() == 1,
            });
            p += 1;
            continue;
        }
        // A run of kept pieces: contiguous in both texts, so one offset maps between them.
        let run_start = p;
        while p + 1 < pieces.len()
            && pieces[p + 1].kind.is_none()
            && pieces[p + 1].display.start == pieces[p].display.end
            && pieces[p + 1].source.start == pieces[p].source.end
        {
            p += 1;
        }
        let run = pieces[run_start].display.start..pieces[p].display.end;
        let delta = pieces[run_start].source.start as isize - run.start as isize;
        let mut style_piece = run_start;
        let mut clusters = cluster::clusters(&text[run.clone()]);
        while let Some(cluster) = clusters.next_cluster() {
            let grapheme = cluster.text;
            let start = run.start + cluster.offset;
            let end = start + grapheme.len();
            while pieces[style_piece].display.end <= start {
                style_piece += 1;
            }
            let first = cluster.first;
            // Simple characters are neither joiners nor Prepend characters.
            let glue_end = !cluster.simple && grapheme.ends_with(is_glue);
            units.push(Unit {
                display: start..end,
                source: (start as isize + delta) as usize..(end as isize + delta) as usize,
                width: cluster.width as u16,
                kind: UnitKind::Text,
                piece: style_piece as u32,
                space: if cluster.simple {
                    first == ' '
                } else {
                    first.is_whitespace() && !matches!(first, '\u{a0}' | '\u{2007}' | '\u{202f}')
                },
                glue_end,
                mirror: bidi::mirrored(first).is_some(),
                first,
                single: grapheme.len() == first.len_utf8(),
            });
        }
        p += 1;
    }
}

/// For each unit: does an isolate open before it, close after it (empty when nothing is
/// isolated).
fn isolate_flags(text: &str, units: &[Unit]) -> Vec<(bool, bool)> {
    let mut ranges = isolated_ranges(text);
    ranges.extend(
        units
            .iter()
            .filter(|u| u.kind == UnitKind::Marker)
            .map(|u| u.display.clone()),
    );
    if ranges.is_empty() {
        return Vec::new();
    }
    let mut flags = vec![(false, false); units.len()];
    ranges.sort_by_key(|r| r.start);
    let mut last_closed: Option<usize> = None;
    for range in ranges {
        let first = units.partition_point(|u| u.display.end <= range.start);
        let last = units.partition_point(|u| u.display.start < range.end);
        if first >= last {
            continue;
        }
        match last_closed {
            // Overlapping or touching the previous isolate: extend it.
            Some(closed) if first <= closed => {
                if last - 1 > closed {
                    flags[closed].1 = false;
                    flags[last - 1].1 = true;
                    last_closed = Some(last - 1);
                }
            }
            _ => {
                flags[first].0 = true;
                flags[last - 1].1 = true;
                last_closed = Some(last - 1);
            }
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, width: u16) -> Vec<String> {
        layout_str(text, Style::new(), width, &LayoutOptions::default())
            .iter()
            .map(|l| l.line.to_string())
            .collect()
    }

    #[test]
    fn brackets_mirror_in_rtl_runs() {
        assert_eq!(rows("(الف)", 10), vec!["(فلا)"]);
        assert_eq!(rows("«سلام»", 10), vec!["«مالس»"]);
    }

    #[test]
    fn urls_and_signed_numbers_stay_whole() {
        assert_eq!(
            rows("به https://medu.ir/ بروید", 40),
            vec!["دیورب https://medu.ir/ هب"]
        );
        assert_eq!(rows("دمای -۵ درجه", 40), vec!["هجرد -۵ یامد"]);
    }

    #[test]
    fn combining_marks_stay_after_their_base() {
        assert_eq!(rows("بَر", 10), vec!["ربَ"]);
    }

    #[test]
    fn bidi_controls_are_inert_markers() {
        assert_eq!(rows("a\u{202e}bc", 20), vec!["a⟦RLO⟧bc"]);
        // An RLO inside Persian text reverses nothing after it.
        assert_eq!(rows("اب\u{202e}cd", 20), vec!["⟦RLO⟧cdبا"]);
    }

    #[test]
    fn wraps_at_spaces_and_breaks_long_words_only_when_needed() {
        assert_eq!(rows("aaa bbb", 4), vec!["aaa ", "bbb"]);
        assert_eq!(rows("aaaaaa b", 4), vec!["aaaa", "aa b"]);
        // The space that does not fit hangs: kept in the row, not drawn.
        let lines = layout_str("abcd efg", Style::new(), 4, &LayoutOptions::default());
        assert_eq!(lines[0].line.to_string(), "abcd");
        assert_eq!(lines[0].source, 0..5);
        assert_eq!(lines[1].source, 5..8);
    }

    #[test]
    fn caret_columns_in_an_ltr_paragraph() {
        let line = &layout_str("ab سلام", Style::new(), 10, &LayoutOptions::default())[0];
        assert_eq!(line.line.to_string(), "ab مالس");
        assert_eq!(line.caret_column(0), Some(0));
        assert_eq!(line.caret_column(3), Some(6)); // seen: the rightmost letter
        assert_eq!(line.caret_column(9), Some(3)); // meem: leftmost letter of the word
        assert_eq!(line.caret_column(11), Some(7)); // end of paragraph
        assert_eq!(line.offset_at_column(6), 3);
        assert_eq!(line.offset_at_column(9), 11);
    }

    #[test]
    fn caret_columns_in_an_rtl_paragraph() {
        let line = &layout_str("سلام ab", Style::new(), 10, &LayoutOptions::default())[0];
        assert_eq!(line.line.to_string(), "ab مالس");
        assert_eq!(line.indent, 3);
        assert_eq!(line.caret_column(0), Some(9));
        assert_eq!(line.caret_column(9), Some(3));
        assert_eq!(line.caret_column(11), Some(2));
        assert_eq!(line.offset_at_column(0), 11);
        assert_eq!(line.columns_of(0..8), vec![6..10]);
    }

    #[test]
    fn truncation_puts_the_ellipsis_at_the_logical_end() {
        let options = LayoutOptions::default();
        let rtl = truncate_str("سلام دنیا", Style::new(), 6, &options);
        assert_eq!(rtl.to_string(), " …مالس");
        let ltr = truncate_str("hello world", Style::new(), 8, &options);
        assert_eq!(ltr.to_string(), "hello w…");
        let fits = truncate_str("سلام", Style::new(), 6, &options);
        assert_eq!(fits.to_string(), "  مالس");
    }

    #[test]
    fn terminal_and_off_modes_keep_logical_order() {
        for bidi in [BidiMode::Terminal, BidiMode::Off] {
            let options = LayoutOptions {
                bidi,
                ..LayoutOptions::default()
            };
            let lines = layout_str("سلام (ab)\u{1b}", Style::new(), 20, &options);
            assert_eq!(lines[0].line.to_string(), "سلام (ab)␛");
            assert_eq!(lines[0].indent, 0);
        }
    }

    #[test]
    fn styles_survive_reordering() {
        let red = Style::new().fg(ratatui::style::Color::Red);
        let text = Text::from(Line::from(vec![
            Span::raw("سلام "),
            Span::styled("دنیا", red),
        ]));
        let lines = layout_text(&text, 20, &LayoutOptions::default());
        let spans = &lines[0].line.spans;
        assert_eq!(spans[0].content, "ایند");
        assert_eq!(spans[0].style, red);
        assert_eq!(spans[1].content, " مالس");
    }

    #[test]
    fn a_tab_of_no_width_takes_no_cell_anywhere() {
        let options = LayoutOptions {
            tab_width: 0,
            ..LayoutOptions::default()
        };
        for text in ["سلام\t", "\tسلام", "س\tلام", "\t"] {
            let lines = layout_str(text, Style::new(), 10, &options);
            assert_eq!(
                lines[0].line.to_string(),
                rows(&text.replace('\t', ""), 10)[0]
            );
            assert!(
                lines[0]
                    .clusters
                    .iter()
                    .any(|c| c.width == 0 && c.source.len() == 1)
            );
        }
    }

    #[test]
    fn shaping_is_per_row_and_narrows_lam_alef() {
        let options = LayoutOptions::default().with_shaping(true);
        let lines = layout_str("سلام", Style::new(), 10, &options);
        // Visual order of seen-initial, lam-alef-final, meem-isolated.
        assert_eq!(lines[0].line.to_string(), "\u{fee1}\u{fefc}\u{feb3}");
        assert_eq!(lines[0].width, 3);
        assert_eq!(lines[0].clusters[1].source, 2..6);
    }
}

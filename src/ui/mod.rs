//! Drawing helpers every pane shares. All text reaches the screen through the RTL engine: user
//! text (untrusted: sanitised, laid out by its own direction) and interface strings alike (a
//! Persian label must be reordered too). The layout mirrors for a right-to-left interface.

mod backend;
mod chrome;
mod dialog;

use chrono::{DateTime, Utc};
use mosharekat_api::report::document::bucket_label_key;
use mosharekat_api::{Breakdown, Role};
use mosharekat_rtl::{BaseDirection, BidiParagraph, Direction, LayoutOptions, truncate_str};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Scrollbar, ScrollbarOrientation};

pub use backend::ConsoleBackend;
pub use chrome::{StatusParts, draw_banner, draw_help, draw_status_bar, draw_tabs};
pub use dialog::{Choice, ChoicePicker, Confirm, DialogResult, TextField, centered};

use crate::i18n::I18n;
use crate::keymap::{Action, Keymap, Section};
use crate::theme::{Slot, Theme};

/// Cells a laid-out line takes on screen: the sum over its grapheme clusters, as ratatui's buffer
/// draws them. `Line::width` measures whole strings, and unicode-width counts a lam-alef pair
/// (which visual order makes of every Persian «ال») as one column, while the buffer draws two.
pub fn line_cells(line: &Line<'_>) -> u16 {
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    let cells: usize = line
        .spans
        .iter()
        .flat_map(|s| s.content.graphemes(true))
        .map(UnicodeWidthStr::width)
        .sum();
    u16::try_from(cells).unwrap_or(u16::MAX)
}

/// What drawing needs: the interface language, theme, keys (for hints) and the RTL options.
pub struct Ui<'a> {
    pub i18n: &'a I18n,
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    /// Options for text of the interface language (labels, titles).
    pub text: LayoutOptions,
    pub now: DateTime<Utc>,
    pub role: Role,
}

impl<'a> Ui<'a> {
    pub fn new(
        i18n: &'a I18n,
        theme: &'a Theme,
        keymap: &'a Keymap,
        base: LayoutOptions,
        now: DateTime<Utc>,
        role: Role,
    ) -> Self {
        let fallback = if i18n.locale().is_rtl() {
            BaseDirection::Rtl
        } else {
            BaseDirection::Ltr
        };
        let text = LayoutOptions {
            marker_style: theme.style(Slot::TextRtlMarker),
            ..base
        }
        .with_fallback_direction(fallback);
        Ui {
            i18n,
            theme,
            keymap,
            text,
            now,
            role,
        }
    }

    /// Whether the interface mirrors (lists on the right, scrollbars on the left).
    pub fn rtl(&self) -> bool {
        self.i18n.locale().is_rtl()
    }

    pub fn style(&self, slot: Slot) -> Style {
        self.theme.style(slot)
    }

    pub fn t<'k>(&'k self, key: &'k str) -> &'k str {
        self.i18n.text(key)
    }

    /// A breakdown bucket's name in the interface language (`age_band.18_24`, `province.tehran`,
    /// …; `unknown` is "not stated"); a code no locale knows is shown as it came. The same keys
    /// as the published report ([`bucket_label_key`]).
    pub fn bucket_label(&self, by: Breakdown, key: &str) -> String {
        let locale_key = bucket_label_key(by, key);
        let text = self.t(&locale_key);
        if text == locale_key {
            key.to_owned()
        } else {
            text.to_owned()
        }
    }

    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.i18n.format(key, args)
    }

    /// Digits of the interface language.
    pub fn num(&self, n: impl std::fmt::Display) -> String {
        self.i18n.number(n)
    }

    /// The display of the first key bound to `action` in `section`.
    pub fn key(&self, section: Section, action: Action) -> String {
        self.keymap
            .hint(section, action)
            .unwrap_or_else(|| "—".into())
    }

    /// Options for a paragraph of user text: its own direction, wherever it is shown.
    pub fn user_text(&self) -> LayoutOptions {
        LayoutOptions {
            direction: Direction::Auto,
            ..self.text.clone()
        }
    }

    /// Columns `text` takes on one row (after sanitising and shaping).
    pub fn width(&self, text: &str) -> u16 {
        mosharekat_rtl::layout_str(text, Style::new(), 1000, &self.text)
            .first()
            .map_or(0, |row| row.width)
    }

    /// One row exactly `width` wide: any text (sanitised), truncated with an ellipsis on the side
    /// where it ends, aligned by its own direction.
    pub fn cell(&self, text: &str, width: u16, style: Style) -> Line<'static> {
        truncate_str(text, style, width, &self.text)
    }

    /// Interface text (a locale string, possibly with values filled in): laid out in the
    /// interface's direction and aligned to its reading side, whatever it starts with — a Persian
    /// sentence that begins with a username is still a Persian sentence.
    pub fn label(&self, text: &str, width: u16, style: Style) -> Line<'static> {
        let (alignment, direction) = if self.rtl() {
            (Alignment::Right, Direction::Rtl)
        } else {
            (Alignment::Left, Direction::Ltr)
        };
        truncate_str(
            text,
            style,
            width,
            &self
                .text
                .clone()
                .with_alignment(alignment)
                .with_direction(direction),
        )
    }

    /// Text of a person wrapped to `width` (rather than cut like [`Ui::cell`]): sanitised, each
    /// paragraph in its own direction, each row exactly `width` wide.
    pub fn cell_rows(&self, text: &str, width: u16, style: Style) -> Vec<Line<'static>> {
        mosharekat_rtl::layout_str(text, style, width, &self.user_text())
            .iter()
            .map(|row| row.padded(width))
            .collect()
    }

    /// Interface text wrapped to `width` (rather than cut like [`Ui::label`]): laid out in the
    /// interface's direction, each row aligned to its reading side and exactly `width` wide.
    pub fn label_rows(&self, text: &str, width: u16, style: Style) -> Vec<Line<'static>> {
        let (alignment, direction) = if self.rtl() {
            (Alignment::Right, Direction::Rtl)
        } else {
            (Alignment::Left, Direction::Ltr)
        };
        let options = self
            .text
            .clone()
            .with_alignment(alignment)
            .with_direction(direction);
        mosharekat_rtl::layout_str(text, style, width, &options)
            .iter()
            .map(|row| row.padded(width))
            .collect()
    }

    /// Key names (`?, f1`, `ctrl-s (ش)`): always left to right, aligned to the reading side.
    pub fn keys_cell(&self, text: &str, width: u16, style: Style) -> Line<'static> {
        let alignment = if self.rtl() {
            Alignment::Right
        } else {
            Alignment::Left
        };
        truncate_str(
            text,
            style,
            width,
            &self
                .text
                .clone()
                .with_alignment(alignment)
                .with_direction(Direction::Ltr),
        )
    }

    /// A wrapping paragraph of user text, each paragraph in its own direction.
    pub fn paragraph<'t>(&self, text: impl Into<ratatui::text::Text<'t>>) -> BidiParagraph<'t> {
        BidiParagraph::new(text).options(self.user_text())
    }

    /// A bordered block whose title reads in the interface's direction and sits on its side.
    pub fn block(&self, title: &str, focused: bool) -> Block<'static> {
        let border = if focused {
            Slot::BorderFocused
        } else {
            Slot::BorderNormal
        };
        let title = self.cell(title, self.width(title), self.style(Slot::Title));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .border_style(self.style(border));
        if self.rtl() {
            block.title(title.right_aligned())
        } else {
            block.title(title)
        }
    }

    /// The key-hints row at the foot of a pane: the locale's `template` filled with the key bound
    /// to each named action, muted, in the interface's direction.
    pub fn draw_hints(
        &self,
        frame: &mut Frame,
        area: Rect,
        template: &str,
        keys: &[(&str, Section, Action)],
    ) {
        let bound: Vec<(&str, String)> = keys
            .iter()
            .map(|&(name, section, action)| (name, self.key(section, action)))
            .collect();
        let args: Vec<(&str, &str)> = bound.iter().map(|(n, k)| (*n, k.as_str())).collect();
        let hint = self.f(template, &args);
        frame.render_widget(
            Paragraph::new(self.label(&hint, area.width, self.style(Slot::TextMuted))),
            area,
        );
    }

    /// A vertical scrollbar on the side away from the reading side (left in a mirrored
    /// interface), in the theme's scrollbar colour.
    pub fn scrollbar(&self) -> Scrollbar<'static> {
        let side = if self.rtl() {
            ScrollbarOrientation::VerticalLeft
        } else {
            ScrollbarOrientation::VerticalRight
        };
        Scrollbar::new(side).style(self.style(Slot::Scrollbar))
    }

    /// The frame of a list-and-detail pane: its block titled `title` (highlighted when
    /// `focused`), a summary row, the list on the reading side beside the detail view, and the
    /// hints row at the bottom — or the variant `shape` asks for ([`ListDetail`]; a pair of
    /// percentages is the list's share on a wide and a narrow screen, with both rows and no gap).
    pub fn list_detail_frame(
        &self,
        frame: &mut Frame,
        area: Rect,
        title: &str,
        focused: bool,
        shape: impl Into<ListDetail>,
    ) -> ListDetailAreas {
        let shape = shape.into();
        let block = self.block(title, focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [summary, body, hints] = if shape.rows {
            Layout::vertical([
                Constraint::Length(1),
                Constraint::Min(3),
                Constraint::Length(1),
            ])
            .areas(inner)
        } else {
            [
                Rect { height: 0, ..inner },
                inner,
                Rect {
                    y: inner.bottom(),
                    height: 0,
                    ..inner
                },
            ]
        };
        let wide = inner.width >= 120;
        let (wide_percent, narrow_percent) = shape.list_percent;
        let (list, mut detail) =
            self.list_and_detail(body, if wide { wide_percent } else { narrow_percent });
        if shape.gap {
            // The blank column is on the detail's side facing the list.
            detail.width = detail.width.saturating_sub(1);
            if !self.rtl() {
                detail.x += 1;
            }
        }
        ListDetailAreas {
            summary,
            body,
            list,
            detail,
            hints,
            wide,
        }
    }

    /// Split `area` into a list and a detail view: the list on the reading side (right in Persian).
    pub fn list_and_detail(&self, area: Rect, list_percent: u16) -> (Rect, Rect) {
        let [a, b] = Layout::horizontal([
            Constraint::Percentage(list_percent),
            Constraint::Percentage(100 - list_percent),
        ])
        .areas(area);
        let [c, d] = Layout::horizontal([
            Constraint::Percentage(100 - list_percent),
            Constraint::Percentage(list_percent),
        ])
        .areas(area);
        if self.rtl() { (d, c) } else { (a, b) }
    }

    /// Columns of a table row laid out from the reading side: the first column is rightmost in a
    /// Persian interface. Returns the x offset and width of each column within `width`.
    pub fn columns(&self, width: u16, constraints: &[Constraint]) -> Vec<(u16, u16)> {
        let area = Rect::new(0, 0, width, 1);
        let rects = Layout::horizontal(constraints.to_vec())
            .spacing(1)
            .split(area);
        rects
            .iter()
            .map(|r| {
                if self.rtl() {
                    (width - r.x - r.width, r.width)
                } else {
                    (r.x, r.width)
                }
            })
            .collect()
    }

    /// One table row: `cells` placed by [`Ui::columns`], each already exactly its column's width.
    pub fn row(
        &self,
        width: u16,
        layout: &[(u16, u16)],
        cells: Vec<Line<'static>>,
        style: Style,
    ) -> Line<'static> {
        let mut placed: Vec<(u16, Line<'static>)> =
            layout.iter().map(|(x, _)| *x).zip(cells).collect();
        placed.sort_by_key(|(x, _)| *x);
        let mut spans: Vec<Span<'static>> = Vec::new();
        let mut at = 0u16;
        for (x, line) in placed {
            if x > at {
                spans.push(Span::styled(" ".repeat((x - at) as usize), style));
            }
            at = x + line_cells(&line);
            spans.extend(line.spans.into_iter().map(|s| s.patch_style(style)));
        }
        if width > at {
            spans.push(Span::styled(" ".repeat((width - at) as usize), style));
        }
        Line::from(spans)
    }

    /// A date in the interface's calendar and digits (Jalali for Persian).
    pub fn date(&self, at: DateTime<Utc>) -> String {
        crate::dates::format_local_date(at, crate::dates::DateStyle::Numeric, self.i18n)
    }
}

/// The shape of a list-and-detail pane drawn by [`Ui::list_detail_frame`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListDetail {
    /// The list's share of the width in percent on a wide screen (120 columns or more inside
    /// the block), then on a narrow one.
    pub list_percent: (u16, u16),
    /// A summary row on top and a hints row at the bottom; without them the list and detail
    /// take the whole block.
    pub rows: bool,
    /// One blank column between the list and the detail.
    pub gap: bool,
}

impl ListDetail {
    /// The list and detail alone in the block, no summary or hints row.
    pub fn without_rows(self) -> Self {
        Self {
            rows: false,
            ..self
        }
    }

    /// One blank column between the list and the detail.
    pub fn with_gap(self) -> Self {
        Self { gap: true, ..self }
    }
}

impl From<(u16, u16)> for ListDetail {
    fn from(list_percent: (u16, u16)) -> Self {
        Self {
            list_percent,
            rows: true,
            gap: false,
        }
    }
}

/// Where [`Ui::list_detail_frame`] puts the parts of a list-and-detail pane.
#[derive(Debug, Clone, Copy)]
pub struct ListDetailAreas {
    pub summary: Rect,
    /// Everything between the summary and hints rows: where the list and detail are, or a
    /// message when there is nothing to list.
    pub body: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub hints: Rect,
    /// Whether the block is 120 columns or more inside.
    pub wide: bool,
}

/// Move a list's first shown row (`scroll`) just enough that `selected` is among the `visible`
/// rows shown.
pub fn scroll_into_view(selected: usize, scroll: &mut usize, visible: usize) {
    if selected < *scroll {
        *scroll = selected;
    } else if selected >= *scroll + visible {
        *scroll = selected + 1 - visible;
    }
}

#[cfg(test)]
mod tests {
    use mosharekat_rtl::{BidiMode, Shaping};

    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn row_places_cells_by_screen_cells_even_after_a_lam_alef() {
        let i18n = I18n::new(Locale::embedded("fa").unwrap());
        let theme = Theme::embedded("dark").unwrap();
        let keymap = Keymap::embedded_default();
        let ui = Ui::new(
            &i18n,
            &theme,
            &keymap,
            LayoutOptions::new(BidiMode::App, Shaping::Off),
            Utc::now(),
            Role::Operator,
        );
        // «مخالفم» in visual order holds «لا», which unicode-width counts as one column.
        let cell = ui.cell("مخالفم", 6, Style::new());
        assert_eq!(line_cells(&cell), 6);
        let cols = ui.columns(13, &[Constraint::Length(6), Constraint::Length(6)]);
        let row = ui.row(
            13,
            &cols,
            vec![cell, ui.cell("بله", 6, Style::new())],
            Style::new(),
        );
        assert_eq!(line_cells(&row), 13);
        let text: String = row.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "   هلب مفلاخم");
    }
}

//! `BidiParagraph`: ratatui's `Paragraph` for bidi text — wraps, scrolls by visual rows, aligns
//! each paragraph by its own direction.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::Text;
use ratatui::widgets::{Block, Widget};

use crate::layout::{LayoutOptions, TextLayout};

/// A wrapping, scrolling paragraph of bidi text.
///
/// ```
/// use mosharekat_rtl::{BidiParagraph, LayoutOptions};
/// use ratatui::{buffer::Buffer, layout::Rect, widgets::Widget};
///
/// let paragraph = BidiParagraph::new("سلام دنیا").options(LayoutOptions::default());
/// assert_eq!(paragraph.visual_rows(5), 2);
/// let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
/// paragraph.render(buf.area, &mut buf);
/// assert_eq!(buf, Buffer::with_lines(["   ایند مالس"]));
/// ```
#[derive(Debug, Clone, Default)]
pub struct BidiParagraph<'a> {
    text: Text<'a>,
    block: Option<Block<'a>>,
    style: Style,
    options: LayoutOptions,
    scroll: usize,
}

impl<'a> BidiParagraph<'a> {
    /// A paragraph of the given text (each line of it a paragraph of its own direction).
    pub fn new(text: impl Into<Text<'a>>) -> Self {
        BidiParagraph {
            text: text.into(),
            ..BidiParagraph::default()
        }
    }

    /// Surrounds the text with a block.
    pub fn block(mut self, block: Block<'a>) -> Self {
        self.block = Some(block);
        self
    }

    /// The style of the whole area (the text's own styles are patched over it).
    pub fn style(mut self, style: impl Into<Style>) -> Self {
        self.style = style.into();
        self
    }

    /// Layout options: bidi mode, shaping, direction.
    pub fn options(mut self, options: LayoutOptions) -> Self {
        self.options = options;
        self
    }

    /// Forces one alignment for every paragraph (default: by each paragraph's direction).
    pub fn alignment(mut self, alignment: Alignment) -> Self {
        self.options.alignment = Some(alignment);
        self
    }

    /// Skips this many visual rows from the top.
    pub fn scroll(mut self, rows: usize) -> Self {
        self.scroll = rows;
        self
    }

    /// How many visual rows the text takes at this text width (the block's borders not
    /// included): for sizing scrollbars and clamping the scroll offset.
    pub fn visual_rows(&self, width: u16) -> usize {
        TextLayout::count_rows(&self.text, width, &self.options)
    }

    /// The layout of the text at this text width.
    pub fn layout(&self, width: u16) -> TextLayout {
        TextLayout::new(&self.text, width, &self.options)
    }
}

impl Widget for BidiParagraph<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        (&self).render(area, buf);
    }
}

impl Widget for &BidiParagraph<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        buf.set_style(area, self.style);
        let inner = match &self.block {
            Some(block) => {
                block.render(area, buf);
                block.inner(area)
            }
            None => area,
        };
        if inner.is_empty() {
            return;
        }
        // Only the paragraphs that reach the bottom row are laid out.
        let rows = self.scroll.saturating_add(usize::from(inner.height));
        let layout = TextLayout::first_rows(&self.text, inner.width, &self.options, rows);
        for (y, line) in (inner.y..inner.bottom()).zip(layout.lines.iter().skip(self.scroll)) {
            line.render(Rect::new(inner.x, y, inner.width, 1), buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::widgets::Borders;

    #[test]
    fn scrolls_by_visual_rows_inside_a_block() {
        // Three visual rows at width 4: "abc ", "def ", "ghi".
        let paragraph = BidiParagraph::new("abc def ghi")
            .block(Block::new().borders(Borders::ALL))
            .scroll(1);
        assert_eq!(paragraph.visual_rows(4), 3);
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 4));
        paragraph.render(buf.area, &mut buf);
        assert_eq!(
            buf,
            Buffer::with_lines(["┌────┐", "│def │", "│ghi │", "└────┘"])
        );
    }

    #[test]
    fn each_paragraph_takes_its_own_direction() {
        let paragraph = BidiParagraph::new("abc\nاب");
        let mut buf = Buffer::empty(Rect::new(0, 0, 5, 2));
        paragraph.render(buf.area, &mut buf);
        assert_eq!(buf, Buffer::with_lines(["abc  ", "   با"]));
    }
}

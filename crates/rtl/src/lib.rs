//! Terminal right-to-left text engine for ratatui: Persian and mixed text drawn right in every
//! pane and in the editor, and hostile text drawn harmless.
//!
//! Every piece of text goes through one pipeline before it reaches a cell:
//!
//! 1. **sanitise** ([`sanitize`]): no control character reaches the terminal, bidi controls
//!    from untrusted text become visible markers (`⟦RLO⟧`), tabs expand;
//! 2. **wrap** on the logical text by display width at line-break opportunities;
//! 3. **reorder** each row to visual order over the whole paragraph's bidi levels, brackets
//!    mirrored, combining marks kept with their base, URLs and numbers isolated;
//! 4. **shape** (optional) Arabic letters into presentation forms, lam-alef as one cell;
//! 5. **align** right-to-left paragraphs to the right, styles kept.
//!
//! Entry points: [`TextLayout`] / [`layout_text`] (rows with logical↔visual maps),
//! [`BidiParagraph`] (a wrapping, scrolling widget), [`truncate_line`] (list items and table
//! cells), [`BidiEditor`] with [`EditorState`] (a view over `tui_textarea::TextArea`), and
//! [`terminal`] (switching BiDi terminals to explicit mode). Options: [`BidiMode`],
//! [`Shaping`], [`Direction`], gathered in [`LayoutOptions`].
//!
//! ```
//! use mosharekat_rtl::{layout_str, LayoutOptions};
//! use ratatui::style::Style;
//!
//! let rows = layout_str("سلام dunya", Style::new(), 20, &LayoutOptions::default());
//! assert_eq!(rows[0].line.to_string(), "dunya مالس");
//! assert_eq!(rows[0].indent, 10); // right-aligned
//! ```

pub mod bidi;
mod breaks;
mod cluster;
mod editor;
mod isolate;
mod layout;
mod levels;
pub mod options;
mod paragraph;
pub mod sanitize;
mod shape;
pub mod terminal;

pub use bidi::BaseDirection;
pub use editor::{Arrow, BidiEditor, EditorState};
pub use layout::{
    LayoutOptions, TextLayout, VisualCluster, VisualLine, layout_str, layout_text, truncate_line,
    truncate_str,
};
pub use options::{BidiMode, Direction, ParseOptionError, Shaping};
pub use paragraph::BidiParagraph;
pub use sanitize::{is_clean, sanitize, sanitize_with_tab_width};

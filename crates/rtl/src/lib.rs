//! Terminal right-to-left text engine for [ratatui]: Persian, Arabic and mixed text drawn
//! right in every widget and in an editor, and hostile text drawn harmless.
//!
//! Terminals lay text out cell by cell, left to right; most of them neither reorder
//! right-to-left text nor join Arabic-script letters, and all of them act on control characters
//! that untrusted text may carry. This crate turns any text into rows of cells that show right
//! on such a terminal. Every piece of text goes through one pipeline before it reaches a cell:
//!
//! 1. **sanitise** ([`sanitize()`]; the markers are listed in [`mod@sanitize`]): no control
//!    character reaches the terminal, bidi controls from untrusted text become visible markers
//!    (`⟦RLO⟧`), tabs expand;
//! 2. **wrap** on the logical text by display width at line-break opportunities (UAX #14);
//! 3. **reorder** each row to visual order over the whole paragraph's bidi levels (UAX #9),
//!    brackets mirrored, combining marks kept with their base, URLs and signed numbers isolated;
//! 4. **shape** (optional) Arabic letters into presentation forms, lam-alef as one cell;
//! 5. **align** right-to-left paragraphs to the right, styles kept.
//!
//! # Entry points
//!
//! * [`TextLayout`] / [`layout_text`] / [`layout_str`]: rows in visual order, each with its
//!   logical↔visual map (for carets, selections and search highlights);
//! * [`BidiParagraph`]: ratatui's `Paragraph` for bidi text (wraps, scrolls by visual rows);
//! * [`truncate_line`] / [`truncate_str`]: one row exactly as wide as a list item or table cell;
//! * `BidiEditor` with `EditorState` (feature `editor`): an editor view over
//!   `tui_textarea::TextArea` whose arrows and cursor follow the text's direction;
//! * [`terminal`]: switching BiDi-capable terminals to explicit mode, so they do not reorder the
//!   rows a second time;
//! * [`bidi`]: the engine's line API for trusted text (levels and visual order of one line).
//!
//! What happens is chosen by [`LayoutOptions`]: who reorders ([`BidiMode`]), whether to shape
//! ([`Shaping`]) and the paragraph direction ([`Direction`]).
//!
//! ```
//! use mosharekat_rtl::{layout_str, LayoutOptions};
//! use ratatui::style::Style;
//!
//! let rows = layout_str("سلام dunya", Style::new(), 20, &LayoutOptions::default());
//! assert_eq!(rows[0].line.to_string(), "dunya مالس");
//! assert_eq!(rows[0].indent, 10); // right-aligned
//! ```
//!
//! Untrusted text cannot reorder what surrounds it or reach the terminal as a control:
//!
//! ```
//! use mosharekat_rtl::{truncate_str, LayoutOptions};
//! use ratatui::style::Style;
//!
//! let cell = truncate_str("evil\u{202E}txt.exe\u{1b}]0;pwned\u{7}", Style::new(), 24, &LayoutOptions::default());
//! assert_eq!(cell.to_string(), "evil⟦RLO⟧txt.exe␛]0;pwn…");
//! ```
//!
//! # Cargo features
//!
//! None is enabled by default.
//!
//! * `editor`: `BidiEditor` and `EditorState`, the editor view over `tui-textarea` 0.7 (which
//!   keeps the buffer, undo, selection and yank).
//! * `serde`: `Serialize` and `Deserialize` for [`BidiMode`], [`Shaping`] and [`Direction`], as
//!   the same lower-case names they parse from and print as (`"app"`, `"auto"`, `"rtl"`, …).
//!
//! The crate enables no ratatui backend: it draws into a [`Buffer`](ratatui::buffer::Buffer),
//! whichever backend the application writes that to.
//!
//! [ratatui]: https://ratatui.rs

#![deny(missing_docs)]

pub mod bidi;
mod breaks;
mod cluster;
#[cfg(feature = "editor")]
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
#[cfg(feature = "editor")]
pub use editor::{Arrow, BidiEditor, EditorState};
pub use layout::{
    LayoutOptions, TextLayout, VisualCluster, VisualLine, layout_str, layout_text, truncate_line,
    truncate_str,
};
pub use options::{BidiMode, Direction, ParseOptionError, Shaping};
pub use paragraph::BidiParagraph;
pub use sanitize::{is_clean, sanitize, sanitize_with_tab_width};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

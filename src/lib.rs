//! mosharekat: the staff console of a national e-participation system.
//!
//! This library holds the console's foundations, shared by its panes: key bindings from plain
//! files ([`keymap`]), colour themes by meaning ([`theme`]), the interface strings in one locale
//! file per language ([`i18n`]), Jalali and Gregorian dates ([`dates`]), and settings, folders
//! and logging ([`config`]).

pub mod app;
pub mod browser;
pub mod cli;
pub mod client;
pub mod config;
pub mod dates;
#[cfg(feature = "embedded")]
pub mod demo_data;
#[cfg(feature = "embedded")]
pub mod embedded;
pub mod i18n;
pub mod journal;
pub mod keymap;
pub mod panes;
pub mod theme;
pub mod toml_file;
pub mod ui;

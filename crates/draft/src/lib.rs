//! The structure of a draft regulation: recognising its articles (ماده), notes (تبصره) and clauses
//! (بند) in plain text or Markdown, Persian or English ([`parse`]), pairing a Persian text with its
//! English translation article by article ([`pair`]), writing a structure back out as text
//! ([`render`]), and comparing two stored versions article by article ([`diff`]).
//!
//! The rules are those of Iranian legal drafting: an article starts a line with «ماده ۱ -»,
//! «ماده 1:», «ماده ۱۲ ـ», «ماده ۱)», «ماده اول -» or «ماده واحده»; a note with «تبصره -» or
//! «تبصره ۲:»; a clause with «الف -», «ب)», «۱ -» or «1.» — in Persian, Arabic-Indic or Latin
//! digits. A clause marker counts only where it continues its list (الف then ب, 1 then 2) or starts
//! a new one, so a wrapped line that happens to begin with «۱۴۰۳ -» stays text. Lines inside an open
//! quotation («…», as when a bill quotes the article it amends) are text too. What comes before
//! the first article is the preamble; a closing statement after the last one («این آیین‌نامه در ۱۲
//! ماده … به تصویب رسید») is kept apart.
//!
//! This crate knows nothing of storage or HTTP: it takes text and gives `mosharekat-api` types.

mod diff;
mod fold;
mod markers;
mod pair;
mod parse;
mod render;

pub use diff::diff;
pub use fold::fold;
pub use pair::{Mismatch, pair};
pub use parse::{Parsed, ParsedArticle, ParsedClause, ParsedNote, parse};
pub use render::{Markers, render};

//! How mosharekat writes for its readers, in one place for the console, the server's published
//! report and the demo data: Tehran wall-clock time and Jalali (Solar Hijri) dates
//! ([`calendar`]), numbers in Latin, Persian or Arabic-Indic digits ([`digits`]), and every
//! label in each language, read from the locale files ([`catalogue`], [`template`]).

pub mod calendar;
pub mod catalogue;
pub mod diagnostics;
pub mod digits;
pub mod template;

pub use calendar::{CalendarDate, CalendarKind};
pub use catalogue::{Catalogue, CatalogueError, Direction};
pub use digits::{DigitSet, to_ascii_digits, to_persian_digits};

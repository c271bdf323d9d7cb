//! How mosharekat writes for its readers, in one place for the console, the server's published
//! report and the demo data: Tehran wall-clock time and Jalali (Solar Hijri) dates
//! ([`calendar`]), and numbers in Latin, Persian or Arabic-Indic digits ([`digits`]).

pub mod calendar;
pub mod digits;

pub use calendar::{CalendarDate, CalendarKind};
pub use digits::{DigitSet, to_ascii_digits, to_persian_digits};

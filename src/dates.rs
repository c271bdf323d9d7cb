//! Dates as the staff read them: in Tehran local time, in the Persian (Jalali) calendar with
//! Persian digits for the Persian interface and in the Gregorian calendar for English, and
//! "days left" in words. The calendar itself (Tehran time, Jalali days) is
//! [`mosharekat_locale::calendar`], shared with the server and the demo data.

use chrono::{DateTime, Timelike, Utc, Weekday};
use mosharekat_locale::calendar::local_date;
pub use mosharekat_locale::calendar::{days_until, tehran_time};

use crate::i18n::{CalendarKind, I18n};

/// How much of a date to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// `1403/01/01` (Persian calendar) or `2024-03-20` (Gregorian): compact, for table columns.
    Numeric,
    /// `1 Farvardin 1403` / `20 March 2024`.
    Long,
    /// `Wednesday 1 Farvardin 1403`.
    LongWithWeekday,
}

/// `at` as a Tehran date in `calendar`, with the month and weekday names and the digits of the
/// active locale.
pub fn format_date(
    at: DateTime<Utc>,
    calendar: CalendarKind,
    style: DateStyle,
    i18n: &I18n,
) -> String {
    let date = local_date(at, calendar);
    let month_names = match calendar {
        CalendarKind::Persian => "month.persian",
        CalendarKind::Gregorian => "month.gregorian",
    };
    let text = match style {
        DateStyle::Numeric => match calendar {
            CalendarKind::Persian => {
                format!("{:04}/{:02}/{:02}", date.year, date.month, date.day)
            }
            // In a right-to-left interface the digits follow Persian letters, where the bidi
            // algorithm splits a number at each `-` (AN ES AN) and shows the parts right to
            // left; `/` (a common separator) keeps the date one left-to-right run, as Persian
            // writers write Gregorian dates.
            CalendarKind::Gregorian if i18n.locale().is_rtl() => {
                format!("{:04}/{:02}/{:02}", date.year, date.month, date.day)
            }
            CalendarKind::Gregorian => {
                format!("{:04}-{:02}-{:02}", date.year, date.month, date.day)
            }
        },
        DateStyle::Long | DateStyle::LongWithWeekday => {
            let month = i18n
                .text(&format!("{month_names}.{}", date.month))
                .to_owned();
            let long = format!("{} {month} {}", date.day, date.year);
            if style == DateStyle::LongWithWeekday {
                let key = format!("weekday.{}", weekday_key(date.weekday));
                format!("{} {long}", i18n.text(&key))
            } else {
                long
            }
        }
    };
    i18n.locale().localise_digits(text).into_owned()
}

/// `at` as a date in the active locale's calendar.
pub fn format_local_date(at: DateTime<Utc>, style: DateStyle, i18n: &I18n) -> String {
    format_date(at, i18n.locale().calendar(), style, i18n)
}

/// `at` as a date in the locale's calendar followed by the Tehran time, `HH:MM`.
pub fn format_date_time(at: DateTime<Utc>, style: DateStyle, i18n: &I18n) -> String {
    let time = tehran_time(at);
    let clock = i18n
        .locale()
        .localise_digits(format!("{:02}:{:02}", time.hour(), time.minute()))
        .into_owned();
    format!("{} {clock}", format_local_date(at, style, i18n))
}

/// A closing date in words: "12 days left", "Closes today", "Closed 3 days ago".
pub fn days_left_text(days: i64, i18n: &I18n) -> String {
    match days {
        0 => i18n.text("date.closes_today").to_owned(),
        d if d > 0 => i18n.count("date.days_left", d, &[]),
        d => i18n.count("date.closed_days_ago", -d, &[]),
    }
}

/// An opening date in words, for scheduled consultations: "Opens in 4 days".
pub fn opens_in_text(days: i64, i18n: &I18n) -> String {
    i18n.count("date.opens_in", days.max(0), &[])
}

/// Lateness in words: "5 days overdue".
pub fn overdue_text(days: i64, i18n: &I18n) -> String {
    i18n.count("date.overdue_by", days.abs(), &[])
}

fn weekday_key(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::i18n::Locale;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn fa() -> I18n {
        I18n::new(Locale::embedded("fa").unwrap())
    }

    fn en() -> I18n {
        I18n::new(Locale::embedded("en").unwrap())
    }

    #[test]
    fn formats_in_persian_with_persian_digits_and_month_names() {
        let at = utc(2024, 3, 20, 6, 0);
        let i18n = fa();
        assert_eq!(
            format_date(at, CalendarKind::Persian, DateStyle::Numeric, &i18n),
            "۱۴۰۳/۰۱/۰۱"
        );
        assert_eq!(
            format_date(at, CalendarKind::Persian, DateStyle::Long, &i18n),
            "۱ فروردین ۱۴۰۳"
        );
        assert_eq!(
            format_local_date(at, DateStyle::LongWithWeekday, &i18n),
            "چهارشنبه ۱ فروردین ۱۴۰۳"
        );
        assert_eq!(
            format_date(at, CalendarKind::Gregorian, DateStyle::Long, &i18n),
            "۲۰ مارس ۲۰۲۴"
        );
        assert_eq!(
            format_date_time(at, DateStyle::Numeric, &i18n),
            "۱۴۰۳/۰۱/۰۱ ۰۹:۳۰"
        );
    }

    #[test]
    fn formats_in_english_with_gregorian_dates() {
        let at = utc(2025, 3, 21, 10, 5);
        let i18n = en();
        assert_eq!(
            format_local_date(at, DateStyle::Numeric, &i18n),
            "2025-03-21"
        );
        assert_eq!(
            format_local_date(at, DateStyle::LongWithWeekday, &i18n),
            "Friday 21 March 2025"
        );
        assert_eq!(
            format_date(at, CalendarKind::Persian, DateStyle::Long, &i18n),
            "1 Farvardin 1404"
        );
        assert_eq!(
            format_date_time(at, DateStyle::Numeric, &i18n),
            "2025-03-21 13:35"
        );
    }

    #[test]
    fn days_left_in_words() {
        let en = en();
        assert_eq!(days_left_text(12, &en), "12 days left");
        assert_eq!(days_left_text(1, &en), "1 day left");
        assert_eq!(days_left_text(0, &en), "Closes today");
        assert_eq!(days_left_text(-3, &en), "Closed 3 days ago");
        assert_eq!(opens_in_text(4, &en), "Opens in 4 days");
        assert_eq!(overdue_text(1, &en), "1 day overdue");
        let fa = fa();
        assert_eq!(days_left_text(12, &fa), "۱۲ روز مانده");
        assert_eq!(days_left_text(-1, &fa), "۱ روز پیش بسته شد");
    }
}

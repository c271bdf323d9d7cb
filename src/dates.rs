//! Dates as the staff read them: in Tehran local time, in the Persian (Jalali) calendar with
//! Persian digits for the Persian interface and in the Gregorian calendar for English, and
//! "days left" in words.
//!
//! Tehran time is a fixed UTC+03:30: Iran stopped daylight saving time after September 2022
//! (law of 2022), so every timestamp the console shows (consultations are current) is at +03:30.
//! Summer timestamps from 2022 and earlier were really at +04:30 and would show one hour early;
//! no time-zone database is carried for that.
//!
//! The Persian calendar comes from ICU4X (`icu_calendar`), which places leap years by the
//! vernal equinox as the official calendar does.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Utc, Weekday};
use icu_calendar::cal::Persian;
use icu_calendar::{Date, Iso};

use crate::i18n::{CalendarKind, I18n};

/// UTC offset of Iran Standard Time, in seconds (+03:30).
pub const TEHRAN_OFFSET_SECONDS: i32 = 3 * 3600 + 30 * 60;

/// The Tehran time zone (fixed offset, see the module doc).
pub fn tehran() -> FixedOffset {
    FixedOffset::east_opt(TEHRAN_OFFSET_SECONDS).unwrap_or_else(|| unreachable!("valid offset"))
}

/// `at` on Tehran's wall clock.
pub fn tehran_time(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&tehran())
}

/// A day in some calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarDate {
    pub year: i32,
    /// 1–12.
    pub month: u8,
    /// 1–31.
    pub day: u8,
    pub weekday: Weekday,
}

/// The Persian (Solar Hijri) date of a Gregorian day.
pub fn jalali(date: NaiveDate) -> CalendarDate {
    // chrono's NaiveDate range lies inside ICU's, so the conversion cannot fail.
    let iso = Date::try_new_iso(date.year(), date.month() as u8, date.day() as u8)
        .unwrap_or_else(|err| unreachable!("a chrono date is a valid ISO date: {err}"));
    let persian = iso.to_calendar(Persian);
    CalendarDate {
        year: persian.year().extended_year(),
        month: persian.month().ordinal,
        day: persian.day_of_month().0,
        weekday: date.weekday(),
    }
}

/// The Gregorian day of a Persian date, or `None` when there is no such date (e.g. 1402/12/30,
/// 1402 not being a leap year).
pub fn from_jalali(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    let persian = Date::try_new_persian(year, month, day).ok()?;
    let iso = persian.to_calendar(Iso);
    NaiveDate::from_ymd_opt(
        iso.year().extended_year(),
        u32::from(iso.month().ordinal),
        u32::from(iso.day_of_month().0),
    )
}

/// The day `at` falls on in Tehran, in `calendar`.
pub fn local_date(at: DateTime<Utc>, calendar: CalendarKind) -> CalendarDate {
    let day = tehran_time(at).date_naive();
    match calendar {
        CalendarKind::Persian => jalali(day),
        CalendarKind::Gregorian => CalendarDate {
            year: day.year(),
            month: day.month() as u8,
            day: day.day() as u8,
            weekday: day.weekday(),
        },
    }
}

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

/// Tehran calendar days from `now` until `then`: 0 when both fall on the same Tehran day,
/// negative when `then` is in the past.
pub fn days_until(now: DateTime<Utc>, then: DateTime<Utc>) -> i64 {
    let from = tehran_time(now).date_naive();
    let to = tehran_time(then).date_naive();
    (to - from).num_days()
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

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn ymd(date: CalendarDate) -> (i32, u8, u8) {
        (date.year, date.month, date.day)
    }

    fn fa() -> I18n {
        I18n::new(Locale::embedded("fa").unwrap())
    }

    fn en() -> I18n {
        I18n::new(Locale::embedded("en").unwrap())
    }

    /// Known days, each checked against published calendars rather than computed here:
    /// Nowruz of 1399, 1402, 1403 and 1404; the last day of leap year 1403; 22 Bahman 1357
    /// (11 February 1979); 13 Aban 1358 (4 November 1979); 1 Dey 1402 (the day after Yalda
    /// night, 22 December 2023).
    #[test]
    fn jalali_matches_known_dates() {
        for ((y, m, d), expected) in [
            ((2020, 3, 20), (1399, 1, 1)),
            ((2023, 3, 21), (1402, 1, 1)),
            ((2024, 3, 20), (1403, 1, 1)),
            ((2025, 3, 21), (1404, 1, 1)),
            ((2025, 3, 20), (1403, 12, 30)),
            ((1979, 2, 11), (1357, 11, 22)),
            ((1979, 11, 4), (1358, 8, 13)),
            ((2023, 12, 22), (1402, 10, 1)),
        ] {
            assert_eq!(ymd(jalali(day(y, m, d))), expected, "{y}-{m}-{d}");
            assert_eq!(
                from_jalali(expected.0, expected.1, expected.2),
                Some(day(y, m, d))
            );
        }
        assert_eq!(jalali(day(2024, 3, 20)).weekday, Weekday::Wed);
    }

    #[test]
    fn impossible_jalali_dates_are_refused() {
        assert_eq!(from_jalali(1402, 12, 30), None, "1402 is not a leap year");
        assert!(from_jalali(1403, 12, 30).is_some(), "1403 is");
        assert_eq!(from_jalali(1403, 13, 1), None);
        assert_eq!(from_jalali(1403, 7, 31), None, "Mehr has 30 days");
    }

    #[test]
    fn jalali_round_trips_over_years() {
        let mut date = day(2019, 1, 1);
        while date < day(2031, 1, 1) {
            let j = jalali(date);
            assert_eq!(from_jalali(j.year, j.month, j.day), Some(date));
            date = date.succ_opt().unwrap();
        }
    }

    #[test]
    fn dates_follow_tehran_midnight_not_utc() {
        // 20:30 UTC on 19 March 2024 is midnight in Tehran: Nowruz 1403 begins.
        assert_eq!(
            ymd(local_date(utc(2024, 3, 19, 20, 30), CalendarKind::Persian)),
            (1403, 1, 1)
        );
        assert_eq!(
            ymd(local_date(utc(2024, 3, 19, 20, 29), CalendarKind::Persian)),
            (1402, 12, 29)
        );
        assert_eq!(
            ymd(local_date(
                utc(2024, 3, 19, 20, 30),
                CalendarKind::Gregorian
            )),
            (2024, 3, 20)
        );
        assert_eq!(tehran_time(utc(2025, 7, 1, 12, 0)).hour(), 15);
        assert_eq!(tehran_time(utc(2025, 7, 1, 12, 0)).minute(), 30);
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
    fn days_until_counts_tehran_calendar_days() {
        // 00:30 and 23:30 on 20 March in Tehran: the same day, though UTC dates differ.
        assert_eq!(
            days_until(utc(2024, 3, 19, 21, 0), utc(2024, 3, 20, 20, 0)),
            0
        );
        assert_eq!(
            days_until(utc(2024, 3, 20, 6, 0), utc(2024, 4, 19, 6, 0)),
            30
        );
        assert_eq!(
            days_until(utc(2024, 3, 20, 6, 0), utc(2024, 3, 17, 6, 0)),
            -3
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

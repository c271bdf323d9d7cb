//! Tehran wall-clock time and the days of the Persian (Jalali, Solar Hijri) and Gregorian
//! calendars.
//!
//! Tehran time is a fixed UTC+03:30: Iran stopped daylight saving time after September 2022
//! (law of 2022), so every current timestamp is at +03:30. Summer timestamps from 2022 and
//! earlier were really at +04:30 and would show one hour early; no time-zone database is carried
//! for that.
//!
//! The Persian calendar comes from ICU4X (`icu_calendar`), which places leap years by the
//! vernal equinox as the official calendar does.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use icu_calendar::cal::Persian;
use icu_calendar::{Date, Iso};

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

/// The day `at` falls on in Tehran.
pub fn tehran_day(at: DateTime<Utc>) -> NaiveDate {
    tehran_time(at).date_naive()
}

/// The instant at `hour:minute` Tehran time on the Tehran day `days` days after `now`'s.
pub fn tehran_day_at(now: DateTime<Utc>, days: i64, hour: u32, minute: u32) -> DateTime<Utc> {
    let day = tehran_day(now) + Duration::days(days);
    let time = NaiveTime::from_hms_opt(hour, minute, 0)
        .unwrap_or_else(|| panic!("{hour}:{minute} is not a wall-clock time"));
    tehran()
        .from_local_datetime(&day.and_time(time))
        .single()
        .unwrap_or_else(|| unreachable!("a fixed offset has exactly one local mapping"))
        .with_timezone(&Utc)
}

/// Tehran calendar days from `now` until `then`: 0 when both fall on the same Tehran day,
/// negative when `then` is in the past.
pub fn days_until(now: DateTime<Utc>, then: DateTime<Utc>) -> i64 {
    (tehran_day(then) - tehran_day(now)).num_days()
}

/// The calendar dates are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CalendarKind {
    /// The Solar Hijri calendar, official in Iran.
    Persian,
    Gregorian,
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

/// The Jalali date in Tehran at the instant `at`.
pub fn jalali_at(at: DateTime<Utc>) -> CalendarDate {
    jalali(tehran_day(at))
}

/// The day `at` falls on in Tehran, in `calendar`.
pub fn local_date(at: DateTime<Utc>, calendar: CalendarKind) -> CalendarDate {
    let day = tehran_day(at);
    match calendar {
        CalendarKind::Persian => jalali(day),
        CalendarKind::Gregorian => CalendarDate {
            year: day.year(),
            // chrono's month (1..=12) and day (1..=31) always fit in u8.
            month: day.month() as u8,
            day: day.day() as u8,
            weekday: day.weekday(),
        },
    }
}

#[cfg(test)]
mod tests {
    use chrono::Timelike;

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn ymd(date: CalendarDate) -> (i32, u8, u8) {
        (date.year, date.month, date.day)
    }

    /// Known days, each checked against published calendars rather than computed here:
    /// Nowruz of 1399, 1402, 1403 and 1404; the last day of leap year 1403; 22 Bahman 1357
    /// (11 February 1979); 13 Aban 1358 (4 November 1979); 1 Dey 1402 (the day after Yalda
    /// night, 22 December 2023); 15 Khordad 1403 (4 June 2024).
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
            ((2024, 6, 4), (1403, 3, 15)),
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

    /// The console numbered Persian years by ICU's extended year and the server by the era
    /// year; the Persian calendar has one era, so the two agree on every day. Days also follow
    /// each other without a gap and round-trip.
    #[test]
    fn jalali_days_follow_each_other_and_round_trip() {
        let mut date = day(1990, 1, 1);
        let mut previous = jalali(date);
        while date < day(2060, 1, 1) {
            date = date.succ_opt().unwrap();
            let j = jalali(date);
            let iso = Date::try_new_iso(date.year(), date.month() as u8, date.day() as u8)
                .unwrap()
                .to_calendar(Persian);
            assert_eq!(iso.era_year().year, j.year, "{date}");
            let next_day = (previous.year, previous.month, previous.day + 1);
            let next_month = (previous.year, previous.month + 1, 1);
            let next_year = (previous.year + 1, 1, 1);
            assert!(
                [next_day, next_month, next_year].contains(&ymd(j)),
                "{date}: {previous:?} then {j:?}"
            );
            assert_eq!(from_jalali(j.year, j.month, j.day), Some(date));
            previous = j;
        }
    }

    #[test]
    fn dates_follow_tehran_midnight_not_utc() {
        // 20:30 UTC on 19 March 2024 is midnight in Tehran: Nowruz 1403 begins.
        assert_eq!(ymd(jalali_at(utc(2024, 3, 19, 20, 30))), (1403, 1, 1));
        assert_eq!(ymd(jalali_at(utc(2024, 3, 19, 20, 29))), (1402, 12, 29));
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
    fn tehran_wall_clock() {
        let now = utc(2025, 6, 1, 22, 0); // already 2 June, 01:30 in Tehran
        assert_eq!(tehran_day_at(now, 1, 8, 0), utc(2025, 6, 3, 4, 30));
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
}

//! Tehran wall-clock time and Jalali (Solar Hijri) dates, the way citizens write them in comments.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveTime, TimeZone, Utc};
use icu_calendar::Date;
use icu_calendar::cal::Persian;

/// Iran Standard Time (UTC+03:30). Iran has kept no daylight saving time since 2022.
pub(crate) fn tehran() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600 + 30 * 60).expect("+03:30 is a valid offset")
}

/// A day of the Jalali calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct JalaliDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl JalaliDate {
    /// The Jalali date in Tehran at the instant `at`.
    pub fn of(at: DateTime<Utc>) -> Self {
        let local = at.with_timezone(&tehran()).date_naive();
        // chrono's month (1..=12) and day (1..=31) always fit in u8.
        let iso = Date::try_new_iso(local.year(), local.month() as u8, local.day() as u8)
            .expect("a chrono date is a valid ISO date");
        let persian = iso.to_calendar(Persian);
        JalaliDate {
            year: persian.era_year().year,
            month: persian.month().ordinal,
            day: persian.day_of_month().0,
        }
    }
}

/// The school year in progress at `at`, as its two Jalali years; a school year starts on 1 Mehr
/// (month 7).
pub(crate) fn school_year(at: DateTime<Utc>) -> (i32, i32) {
    let today = JalaliDate::of(at);
    if today.month >= 7 {
        (today.year, today.year + 1)
    } else {
        (today.year - 1, today.year)
    }
}

/// The next school year, the one whose registration comes up before the coming Mehr.
pub(crate) fn next_school_year(at: DateTime<Utc>) -> (i32, i32) {
    let (first, second) = school_year(at);
    (first + 1, second + 1)
}

/// The instant at `hour:minute` Tehran time on the Tehran day `days` days after `now`'s.
/// Official calls open in the morning and close at the end of a working day, not at `now`'s minute.
pub(crate) fn tehran_day_at(
    now: DateTime<Utc>,
    days: i64,
    hour: u32,
    minute: u32,
) -> DateTime<Utc> {
    let day = now.with_timezone(&tehran()).date_naive() + Duration::days(days);
    let time = NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid wall-clock time");
    tehran()
        .from_local_datetime(&day.and_time(time))
        .single()
        .expect("a fixed offset has exactly one local mapping")
        .with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn known_jalali_dates() {
        // 15 Khordad 1403 was 4 June 2024.
        let d = JalaliDate::of(utc(2024, 6, 4, 12));
        assert_eq!((d.year, d.month, d.day), (1403, 3, 15));
        // Nowruz 1404 fell on 21 March 2025.
        let d = JalaliDate::of(utc(2025, 3, 21, 12));
        assert_eq!((d.year, d.month, d.day), (1404, 1, 1));
        // 22:00 UTC is already the next day in Tehran.
        let d = JalaliDate::of(utc(2025, 3, 20, 22));
        assert_eq!((d.year, d.month, d.day), (1404, 1, 1));
    }

    #[test]
    fn school_years_turn_over_in_mehr() {
        // 1 Mehr 1404 = 23 September 2025.
        assert_eq!(school_year(utc(2025, 9, 22, 12)), (1403, 1404));
        assert_eq!(school_year(utc(2025, 9, 23, 12)), (1404, 1405));
        assert_eq!(next_school_year(utc(2025, 6, 1, 12)), (1404, 1405));
    }

    #[test]
    fn tehran_wall_clock() {
        let now = utc(2025, 6, 1, 22); // already 2 June, 01:30 in Tehran
        let t = tehran_day_at(now, 1, 8, 0);
        assert_eq!(t, Utc.with_ymd_and_hms(2025, 6, 3, 4, 30, 0).unwrap());
    }
}

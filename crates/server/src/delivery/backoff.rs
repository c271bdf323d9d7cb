//! When to try a failed delivery again: exponential backoff with full jitter, or what the receiver
//! asked for with `Retry-After`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

/// The longest wait a `Retry-After` is honoured for; a receiver asking for more is retried then.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Full jitter: a delay drawn uniformly from zero to `min(cap, base × 2^(attempts − 1))`, so that
/// many messages failing together do not all come back at once.
pub fn backoff_delay(attempts: i64, base: Duration, cap: Duration, rng: &mut impl Rng) -> Duration {
    let exponent = attempts.saturating_sub(1).clamp(0, 30) as u32;
    let ceiling = base.saturating_mul(1 << exponent).min(cap);
    let ceiling_ms = ceiling.as_millis().min(u128::from(u64::MAX)) as u64;
    Duration::from_millis(rng.random_range(0..=ceiling_ms))
}

/// The wait a `Retry-After` value asks for: delay-seconds, or an HTTP date (a date in the past
/// means now). `None` when it is neither.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER));
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some(
        (at - now)
            .to_std()
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rand::SeedableRng;

    #[test]
    fn backoff_grows_to_the_cap_and_stays_under_it() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let base = Duration::from_secs(2);
        let cap = Duration::from_secs(3600);
        for attempts in 1..=40 {
            let ceiling = base.saturating_mul(1 << (attempts - 1).min(30)).min(cap);
            let mut largest = Duration::ZERO;
            for _ in 0..200 {
                let d = backoff_delay(attempts, base, cap, &mut rng);
                assert!(d <= ceiling, "attempt {attempts}: {d:?} > {ceiling:?}");
                largest = largest.max(d);
            }
            // Jittered, yet spread over the whole range.
            assert!(
                largest >= ceiling.mul_f64(0.8),
                "attempt {attempts}: {largest:?}"
            );
        }
        assert!(backoff_delay(0, base, cap, &mut rng) <= base);
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Fri, 01 May 2026 08:01:30 GMT", now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            parse_retry_after("Fri, 01 May 2026 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("99999999", now), Some(MAX_RETRY_AFTER));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}

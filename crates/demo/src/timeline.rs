//! When things happen inside a comment window: more at the start (the call is news) and near the
//! deadline (the last-minute rush), little at night in Tehran.

use chrono::{DateTime, Duration, Timelike, Utc};
use rand::Rng;
use rand::rngs::StdRng;

use mosharekat_api::ConsultationStatus;
use mosharekat_locale::calendar::tehran;

use super::dataset::{DeadlineState, DemoConsultation};

/// A span of time in which citizens act.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Whether `end` is a deadline people hurry towards (not an early close or simply "now").
    pub rush: bool,
}

/// Relative activity per Tehran hour of the day (0–23); the peak is the late evening.
const HOURLY_ACTIVITY: [f64; 24] = [
    2.0, 1.0, 0.5, 0.3, 0.3, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 4.0, 4.0, 4.0, 4.0, 5.0, 5.0, 6.0,
    6.0, 7.0, 8.0, 8.0, 5.0,
];
const PEAK_ACTIVITY: f64 = 8.0;

impl Window {
    /// A moment in the window: a third of activity in the first quarter, a quarter in the last fifth
    /// when there is a deadline rush, the rest spread evenly.
    pub fn sample(&self, rng: &mut StdRng) -> DateTime<Utc> {
        self.with_daytime(rng, |rng| {
            let u: f64 = rng.random();
            let pick: f64 = rng.random();
            if pick < 0.33 {
                0.25 * u * u
            } else if self.rush && pick < 0.58 {
                1.0 - 0.2 * u * u
            } else {
                u
            }
        })
    }

    /// A moment shortly after `from`: messages forwarded in messenger groups arrive in a wave that
    /// fades over a few hours (`mean_hours`).
    pub fn after(&self, rng: &mut StdRng, from: DateTime<Utc>, mean_hours: f64) -> DateTime<Utc> {
        let span = self.span_seconds();
        let offset = (from - self.start).num_seconds() as f64;
        self.with_daytime(rng, |rng| {
            let u: f64 = rng.random::<f64>().max(1e-12);
            let delay = -u.ln() * mean_hours * 3600.0;
            ((offset + delay) / span).min(1.0)
        })
    }

    fn span_seconds(&self) -> f64 {
        ((self.end - self.start).num_seconds() as f64).max(1.0)
    }

    /// Draw positions (fractions of the window) until one falls at a plausible hour of the day; after
    /// a few tries take the last one, so the cost is bounded.
    fn with_daytime(
        &self,
        rng: &mut StdRng,
        mut fraction: impl FnMut(&mut StdRng) -> f64,
    ) -> DateTime<Utc> {
        let span = self.span_seconds();
        let mut at = self.start;
        for _ in 0..6 {
            let x = fraction(rng).clamp(0.0, 1.0);
            at = self.start + Duration::seconds((x * span) as i64);
            let hour = at.with_timezone(&tehran()).hour() as usize;
            if rng.random::<f64>() * PEAK_ACTIVITY < HOURLY_ACTIVITY[hour] {
                break;
            }
        }
        at.clamp(self.start, self.end.max(self.start))
    }
}

/// The span in which citizens could act on a consultation up to `now` (none for drafts and calls
/// not yet open). It ends a minute before the close or `now`, so nothing lands on the boundary.
pub(crate) fn window_of(consultation: &DemoConsultation, now: DateTime<Utc>) -> Option<Window> {
    let start = consultation.consultation.opens_at;
    let opened = matches!(
        consultation.status,
        ConsultationStatus::Open | ConsultationStatus::Closed
    );
    if !opened || start >= now {
        return None;
    }
    let end = consultation.effective_close().min(now) - Duration::minutes(1);
    let rush = match consultation.state {
        // Closed at the deadline: the last days were busy.
        DeadlineState::ClosedAwaitingReport
        | DeadlineState::ReportOverdue
        | DeadlineState::ReportPublished => true,
        // Open and about to close: the rush is happening now.
        _ => {
            consultation.status == ConsultationStatus::Open
                && consultation.consultation.closes_at - now <= Duration::days(3)
        }
    };
    Some(Window { start, end, rush })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rand::SeedableRng;

    fn window(rush: bool) -> Window {
        let start = Utc.with_ymd_and_hms(2025, 5, 1, 4, 30, 0).unwrap();
        Window {
            start,
            end: start + Duration::days(40),
            rush,
        }
    }

    #[test]
    fn samples_stay_inside_and_crowd_the_ends() {
        let mut rng = StdRng::seed_from_u64(7);
        let w = window(true);
        let mut first_tenth = 0;
        let mut last_tenth = 0;
        let mut middle_tenth = 0;
        let mut night = 0;
        for _ in 0..10_000 {
            let t = w.sample(&mut rng);
            assert!(t >= w.start && t <= w.end);
            let x = (t - w.start).num_seconds() as f64 / (w.end - w.start).num_seconds() as f64;
            if x < 0.1 {
                first_tenth += 1;
            } else if x > 0.9 {
                last_tenth += 1;
            } else if (0.45..0.55).contains(&x) {
                middle_tenth += 1;
            }
            let hour = t.with_timezone(&tehran()).hour();
            if (2..=5).contains(&hour) {
                night += 1;
            }
        }
        assert!(
            first_tenth > 2 * middle_tenth,
            "{first_tenth} vs {middle_tenth}"
        );
        assert!(
            last_tenth > 2 * middle_tenth,
            "{last_tenth} vs {middle_tenth}"
        );
        assert!(night < 500, "{night} comments between 02:00 and 06:00");
    }

    #[test]
    fn no_rush_without_a_deadline() {
        let mut rng = StdRng::seed_from_u64(7);
        let w = window(false);
        let last_tenth = (0..10_000)
            .map(|_| w.sample(&mut rng))
            .filter(|t| *t > w.end - Duration::days(4))
            .count();
        assert!(last_tenth < 1_300, "{last_tenth}");
    }

    #[test]
    fn waves_follow_their_start() {
        let mut rng = StdRng::seed_from_u64(9);
        let w = window(false);
        let from = w.start + Duration::days(10);
        for _ in 0..1_000 {
            let t = w.after(&mut rng, from, 8.0);
            assert!(t >= from && t <= w.end);
        }
    }
}

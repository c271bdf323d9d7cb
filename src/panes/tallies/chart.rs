//! The arithmetic of the tally charts, kept apart from drawing: bar lengths, shares, and the
//! hourly turnout series with its gaps filled and its columns binned to the space available.

use chrono::{DateTime, Duration, DurationRound, Utc};
use mosharekat_api::TurnoutPoint;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// The block a bar is drawn with. Full cells only: the eighth-blocks fill from the left, so they
/// cannot end a bar that grows leftwards in a right-to-left interface.
pub const BAR: char = '█';

/// The longest turnout series kept (a year of hours): protects against a bogus timestamp.
const MAX_HOURS: i64 = 366 * 24;

/// Cells of a bar for `count` out of `total` in `width` cells: proportional (rounded), and at
/// least one cell for any non-zero count so a small option never looks like none.
pub fn bar_cells(count: i64, total: i64, width: u16) -> u16 {
    if count <= 0 || total <= 0 || width == 0 {
        return 0;
    }
    let count = count.min(total);
    let cells = (count as f64 * f64::from(width) / total as f64).round() as u16;
    cells.clamp(1, width)
}

/// A bar exactly `width` cells wide, growing from the reading side: from the left in a
/// left-to-right interface, from the right in a right-to-left one.
pub fn bar_line(cells: u16, width: u16, rtl: bool, style: Style) -> Line<'static> {
    let cells = cells.min(width);
    let bar = Span::styled(BAR.to_string().repeat(usize::from(cells)), style);
    let gap = Span::raw(" ".repeat(usize::from(width - cells)));
    if rtl {
        Line::from(vec![gap, bar])
    } else {
        Line::from(vec![bar, gap])
    }
}

/// `count` as a whole percentage of `total`, or `None` when there is nothing to divide by.
pub fn percent(count: i64, total: i64) -> Option<i64> {
    if total <= 0 {
        return None;
    }
    Some(((count as f64) * 100.0 / total as f64).round() as i64)
}

/// The start of the hour `at` falls in.
pub fn hour_of(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(Duration::hours(1)).unwrap_or(at)
}

/// Ballots per hour from the first hour with a ballot to the hour of `until` (or the last hour
/// with a ballot, whichever is later), hours without ballots as zeros. `None` without points.
pub fn hourly(points: &[TurnoutPoint], until: Option<DateTime<Utc>>) -> Option<Hourly> {
    let first = points.iter().map(|p| hour_of(p.at)).min()?;
    let last = points.iter().map(|p| hour_of(p.at)).max()?;
    let last = until.map_or(last, |u| last.max(hour_of(u)));
    let hours = ((last - first).num_hours() + 1).clamp(1, MAX_HOURS);
    let mut values = vec![0u64; hours as usize];
    for point in points {
        let index = (hour_of(point.at) - first).num_hours();
        if let Some(slot) = usize::try_from(index).ok().and_then(|i| values.get_mut(i)) {
            *slot += point.ballots.max(0) as u64;
        }
    }
    Some(Hourly {
        start: first,
        values,
    })
}

/// Turnout per hour from `start`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hourly {
    pub start: DateTime<Utc>,
    pub values: Vec<u64>,
}

impl Hourly {
    /// The start of the last hour.
    pub fn end(&self) -> DateTime<Utc> {
        self.start + Duration::hours(self.values.len() as i64 - 1)
    }

    /// At most `columns` values: consecutive hours summed in groups of the returned size, so
    /// the whole span fits and no ballot is dropped.
    pub fn binned(&self, columns: u16) -> (Vec<u64>, usize) {
        let columns = usize::from(columns.max(1));
        let per_column = self.values.len().div_ceil(columns).max(1);
        let bins = self
            .values
            .chunks(per_column)
            .map(|chunk| chunk.iter().sum())
            .collect();
        (bins, per_column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: i64, minute: i64) -> DateTime<Utc> {
        // An hour start (1 710 000 000 s is a multiple of 3600).
        DateTime::from_timestamp(1_710_000_000, 0).unwrap()
            + Duration::hours(hour)
            + Duration::minutes(minute)
    }

    #[test]
    fn bars_are_proportional_and_small_counts_stay_visible() {
        assert_eq!(bar_cells(60, 100, 50), 30);
        assert_eq!(bar_cells(30, 100, 50), 15);
        assert_eq!(bar_cells(100, 100, 50), 50);
        assert_eq!(bar_cells(1, 1000, 50), 1);
        assert_eq!(bar_cells(0, 100, 50), 0);
        assert_eq!(bar_cells(5, 0, 50), 0);
        // A count above the total (never from the server) does not overflow the column.
        assert_eq!(bar_cells(120, 100, 50), 50);
    }

    #[test]
    fn bars_grow_from_the_reading_side() {
        let ltr = bar_line(3, 5, false, Style::new()).to_string();
        let rtl = bar_line(3, 5, true, Style::new()).to_string();
        assert_eq!(ltr, "███  ");
        assert_eq!(rtl, "  ███");
        assert_eq!(bar_line(9, 4, true, Style::new()).to_string(), "████");
    }

    #[test]
    fn percentages_round_and_need_a_total() {
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(0, 7), Some(0));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn missing_hours_become_zeros() {
        let points = vec![
            TurnoutPoint {
                at: at(0, 0),
                ballots: 4,
            },
            TurnoutPoint {
                at: at(3, 0),
                ballots: 2,
            },
        ];
        let series = hourly(&points, None).unwrap();
        assert_eq!(series.start, at(0, 0));
        assert_eq!(series.values, vec![4, 0, 0, 2]);
        assert_eq!(series.end(), at(3, 0));
        // Up to now (mid-hour): the quiet hours since the last ballot show as zeros.
        let series = hourly(&points, Some(at(5, 40))).unwrap();
        assert_eq!(series.values, vec![4, 0, 0, 2, 0, 0]);
        assert!(hourly(&[], None).is_none());
    }

    #[test]
    fn binning_keeps_every_ballot() {
        let series = Hourly {
            start: at(0, 0),
            values: (1..=10).collect(),
        };
        let (bins, per) = series.binned(4);
        assert_eq!(per, 3);
        assert_eq!(bins, vec![6, 15, 24, 10]);
        assert_eq!(bins.iter().sum::<u64>(), 55);
        let (bins, per) = series.binned(40);
        assert_eq!((bins.len(), per), (10, 1));
    }
}

//! A breakdown of the published report as a horizontal bar chart, laid out by the server as
//! numbers for an inline `<svg>` (no script, no image request; the template escapes the labels).
//! Bars grow from the reading side: from the right in Persian, from the left in English. A
//! suppressed cell ("<5") has no bar and says so in words, so nothing depends on colour or length.

use mosharekat_api::CellCount;

/// Width of the whole chart and of its label column, in SVG user units.
pub const WIDTH: u32 = 640;
const LABEL: u32 = 200;
const VALUE: u32 = 60;
const ROW: u32 = 28;
const BAR: u32 = 18;

/// One row: its label, the count as published, and where things go.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    /// The count as published (`۱۲`, `<5`).
    pub value: String,
    pub bar_x: u32,
    pub bar_width: u32,
    pub bar_y: u32,
    /// The baseline of this row's texts.
    pub text_y: u32,
    pub label_x: u32,
    /// Where the count's text starts (left to right) or, right to left, ends: it is written
    /// left to right in both ("<5", "۱۲").
    pub value_x: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// The chart's name (its `<title>` and the id its table is labelled by).
    pub title: String,
    pub id: String,
    pub bars: Vec<Bar>,
    pub height: u32,
    pub width: u32,
    /// `rtl`: bars and labels start from the right.
    pub rtl: bool,
}

impl BarChart {
    /// Lay out `cells` (label, count) for a page in a right-to-left language or not.
    pub fn new(
        id: String,
        title: String,
        cells: Vec<(String, CellCount, String)>,
        rtl: bool,
    ) -> Self {
        let max = cells
            .iter()
            .filter_map(|(_, c, _)| match c {
                CellCount::Exact(n) => Some(*n),
                CellCount::Suppressed => None,
            })
            .max()
            .unwrap_or(0)
            .max(1);
        let span = WIDTH - LABEL - VALUE;
        let bars = cells
            .into_iter()
            .enumerate()
            .map(|(i, (label, count, value))| {
                let n = match count {
                    CellCount::Exact(n) => n.max(0),
                    CellCount::Suppressed => 0,
                };
                // Integer arithmetic: the same picture on every machine.
                let bar_width = u32::try_from(i64::from(span) * n / max).unwrap_or(span);
                let top = i as u32 * ROW;
                let (label_x, bar_x, value_x) = if rtl {
                    let bar_end = WIDTH - LABEL;
                    (WIDTH - 4, bar_end - bar_width, bar_end - bar_width - 4)
                } else {
                    (4, LABEL, LABEL + bar_width + 4)
                };
                Bar {
                    label,
                    value,
                    bar_x,
                    bar_width,
                    bar_y: top + (ROW - BAR) / 2,
                    text_y: top + ROW / 2 + 5,
                    label_x,
                    value_x,
                }
            })
            .collect::<Vec<_>>();
        BarChart {
            title,
            id,
            height: (bars.len() as u32 * ROW).max(ROW),
            bars,
            width: WIDTH,
            rtl,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells() -> Vec<(String, CellCount, String)> {
        vec![
            ("a".into(), CellCount::Exact(10), "10".into()),
            ("b".into(), CellCount::Exact(5), "5".into()),
            ("c".into(), CellCount::Suppressed, "<5".into()),
        ]
    }

    #[test]
    fn bars_are_proportional_and_suppressed_cells_have_none() {
        let chart = BarChart::new("x".into(), "t".into(), cells(), false);
        let span = WIDTH - LABEL - VALUE;
        assert_eq!(chart.bars[0].bar_width, span);
        assert_eq!(chart.bars[1].bar_width, span / 2);
        assert_eq!(chart.bars[2].bar_width, 0);
        assert_eq!(chart.bars[2].value, "<5");
        assert_eq!(chart.height, 3 * ROW);
        assert!(chart.bars.iter().all(|b| b.bar_x == LABEL));
    }

    #[test]
    fn right_to_left_bars_grow_from_the_right() {
        let chart = BarChart::new("x".into(), "t".into(), cells(), true);
        for bar in &chart.bars {
            assert_eq!(bar.bar_x + bar.bar_width, WIDTH - LABEL);
            assert!(bar.value_x < bar.bar_x || bar.bar_width == 0);
            assert_eq!(bar.label_x, WIDTH - 4);
        }
    }

    #[test]
    fn an_empty_breakdown_still_has_a_height() {
        let chart = BarChart::new("x".into(), "t".into(), Vec::new(), false);
        assert!(chart.bars.is_empty());
        assert_eq!(chart.height, ROW);
    }
}

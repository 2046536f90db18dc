//! Charts drawn on the server as SVG: counts per day (bars) and a figure over time (steps).
//!
//! No chart library runs in the browser, so nothing is fetched and the CSP stays strict. Days
//! are placed by their distance in days, so gaps in the data show as gaps. Labels are Chinese
//! (`2024年3月22日`), set in the CJK fonts the style sheet names; every point carries a `<title>`
//! the browser shows on hover.

use maud::{html, Markup};

use crate::calendar::Day;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 48.0;
const TOP: f64 = 30.0;
/// Least room between two date labels (a label such as 2024年3月22日 is about 80 units wide).
const LABEL_GAP: f64 = 96.0;
const BOTTOM: f64 = 44.0;

/// One point of a series: a day and a figure.
pub(super) struct Point {
    pub day: Day,
    pub value: f64,
    /// What hovering the point shows.
    pub label: String,
}

/// `2024年3月22日`.
pub(super) fn chinese_date(day: Day) -> String {
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

/// The plot area's scales.
struct Frame {
    first: i32,
    span: f64,
    top: f64,
    step: f64,
}

impl Frame {
    /// Scales for `points`; `whole` when the values are counts (ticks at whole numbers).
    fn new(points: &[Point], whole: bool) -> Frame {
        let days = points.iter().map(|p| p.day.days_since_epoch());
        let (first, last) = (days.clone().min().unwrap_or(0), days.max().unwrap_or(0));
        let max = points.iter().map(|p| p.value).fold(0.0f64, f64::max);
        let (top, step) = value_axis(max, whole);
        Frame {
            first,
            span: f64::from((last - first).max(0)),
            top,
            step,
        }
    }

    fn x(&self, day: Day) -> f64 {
        let plot = WIDTH - LEFT - RIGHT;
        if self.span == 0.0 {
            return LEFT + plot / 2.0;
        }
        LEFT + plot * f64::from(day.days_since_epoch() - self.first) / self.span
    }

    fn y(&self, value: f64) -> f64 {
        let plot = HEIGHT - TOP - BOTTOM;
        TOP + plot * (1.0 - value / self.top)
    }

    /// Axes, grid lines and labels: four value ticks, and up to five days.
    fn axes(&self, points: &[Point], unit: &str) -> Markup {
        let count = (self.top / self.step).round() as u32;
        let ticks: Vec<f64> = (0..=count).map(|i| self.step * f64::from(i)).collect();
        // dates from the first on, each far enough from the one before to be read
        let mut shown: Vec<Day> = Vec::new();
        for p in points {
            let room = shown
                .last()
                .is_none_or(|d| self.x(p.day) - self.x(*d) >= LABEL_GAP);
            if room {
                shown.push(p.day);
            }
        }
        html! {
            @for t in &ticks {
                line.grid x1=(LEFT) x2=(WIDTH - RIGHT) y1=(self.y(*t)) y2=(self.y(*t)) {}
                text.tick x=(LEFT - 6.0) y=(self.y(*t) + 4.0) text-anchor="end" { (figure(*t)) }
            }
            text.unit x=(LEFT - 6.0) y=(TOP - 14.0) text-anchor="end" { (unit) }
            line.axis x1=(LEFT) x2=(WIDTH - RIGHT) y1=(HEIGHT - BOTTOM) y2=(HEIGHT - BOTTOM) {}
            @for day in &shown {
                text.tick x=(self.x(*day)) y=(HEIGHT - BOTTOM + 18.0) text-anchor="middle" {
                    (chinese_date(*day))
                }
            }
        }
    }
}

/// The value axis for values up to `max`: its top and the step between ticks (1, 2 or 5 times a
/// power of ten, about four steps; whole numbers for counts).
fn value_axis(max: f64, whole: bool) -> (f64, f64) {
    if max <= 0.0 {
        return (1.0, 1.0);
    }
    let rough = max / 4.0;
    let power = 10f64.powf(rough.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&v| v >= rough)
        .unwrap_or(10.0 * power);
    if whole {
        step = step.max(1.0);
    }
    ((max / step).ceil() * step, step)
}

/// A figure as a tick label: no decimals for whole numbers.
fn figure(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Counts per day as bars, one per day with a point on top.
pub(super) fn bars(points: &[Point], title: &str, unit: &str) -> Markup {
    let frame = Frame::new(points, true);
    let bar = (WIDTH - LEFT - RIGHT) / (frame.span + 1.0).max(1.0);
    let bar = bar.clamp(2.0, 24.0);
    html! {
        svg.chart viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(title)
            xmlns="http://www.w3.org/2000/svg" {
            title { (title) }
            (frame.axes(points, unit))
            @for p in points {
                rect.bar x=(frame.x(p.day) - bar / 2.0) y=(frame.y(p.value)) width=(bar)
                    height=(frame.y(0.0) - frame.y(p.value)) {}
                circle.point cx=(frame.x(p.day)) cy=(frame.y(p.value)) r="3"
                    data-date=(p.day.number()) data-value=(p.value) {
                    title { (p.label) }
                }
            }
        }
    }
}

/// A figure over time as steps: each value holds until the next one is stated.
pub(super) fn steps(points: &[Point], title: &str, unit: &str) -> Markup {
    let frame = Frame::new(points, false);
    let mut path = String::new();
    for (i, p) in points.iter().enumerate() {
        let (x, y) = (frame.x(p.day), frame.y(p.value));
        if i == 0 {
            path.push_str(&format!("M{x:.1},{y:.1}"));
        } else {
            path.push_str(&format!(" H{x:.1} V{y:.1}"));
        }
    }
    if let Some(last) = points.last() {
        // the last figure still holds at the right edge
        let end = (frame.x(last.day) + 12.0).min(WIDTH - RIGHT);
        path.push_str(&format!(" H{end:.1}"));
    }
    html! {
        svg.chart viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(title)
            xmlns="http://www.w3.org/2000/svg" {
            title { (title) }
            (frame.axes(points, unit))
            path.step d=(path) {}
            @for p in points {
                circle.point cx=(frame.x(p.day)) cy=(frame.y(p.value)) r="4"
                    data-date=(p.day.number()) data-value=(p.value) {
                    title { (p.label) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(date: &str, value: f64) -> Point {
        Point {
            day: Day::parse(date).unwrap(),
            value,
            label: format!("{date}: {value}"),
        }
    }

    #[test]
    fn value_axes_are_round() {
        let cases = [
            (0.0, true, (1.0, 1.0)),
            (1.0, true, (1.0, 1.0)),
            (3.0, true, (3.0, 1.0)),
            (7.0, true, (8.0, 2.0)),
            (3000.0, false, (3000.0, 1000.0)),
            (0.3, false, (0.3, 0.1)),
        ];
        for (max, whole, (top, step)) in cases {
            let (t, s) = value_axis(max, whole);
            assert!(
                (t - top).abs() < 1e-9 && (s - step).abs() < 1e-9,
                "{max}: {t} {s}"
            );
        }
    }

    #[test]
    fn charts_have_a_point_per_value_and_chinese_dates() {
        let points = [point("2024-03-22", 2.0), point("2024-03-25", 5.0)];
        let svg = bars(&points, "提及", "篇").into_string();
        assert_eq!(svg.matches("<circle").count(), 2, "{svg}");
        assert!(svg.contains("2024年3月22日"), "{svg}");
        let svg = steps(&points, "算力", "P").into_string();
        assert!(svg.contains("class=\"step\""), "{svg}");
        // one day only: drawn in the middle, not divided by zero
        let one = bars(&points[..1], "提及", "篇").into_string();
        assert!(!one.contains("NaN"), "{one}");
    }
}

//! Growth figures in the key-figures table of a periodic report (主要会计数据和财务指标), as
//! the text of a report's PDF prints it: cells apart by spaces, percentages without `%` (the
//! header says `(%)`), and row labels that wrap onto the next line:
//!
//! ```text
//! 项目 本报告期 本报告期比上年同期增减变动幅度(%) 年初至报告期末 年初至报告期末比上年同期增减变动幅度(%)
//! 营业收入 4,025,739,773.97 69.60 9,489,974,831.12 54.65
//! 归属于上市公司股东的净 759,994,598.37 13.04 1,961,446,439.52 28.56
//! 利润
//! ```
//!
//! The layout is fixed by the exchanges' report formats, so a row is read by arithmetic rather
//! than by column headings (whose words the PDF interleaves across lines): three cells `a b c`
//! with `c` the change from `b` to `a` in percent are this period, last year's and the change
//! (half-year and annual reports, first-quarter reports); a third-quarter report without last
//! year's column gives `amount change amount change`, the quarter and the year to date.

use std::sync::LazyLock;

use regex::Regex;

use super::period::{self, Period};
use super::structure::{self, Structure};
use super::{growth, Amount, Candidate, Who};
use crate::model::ClaimKind;

/// The first line of a report table's header: it names the current period (本报告期, or
/// 本期 / 本年 in annual reports) against last year's.
static HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"本报告期|本期比上年|本年比上年").expect("header regex"));

/// How many lines after a header the table's rows may run.
const MAX_ROWS: usize = 40;

/// A cell of a row: a number as reports print it (`4,025,739,773.97`, `-8.80`), or 不适用.
static CELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?|不适用|-)$")
        .expect("cell regex")
});

/// A row of the table: its label (joined across wrapped lines) and cells.
struct Row {
    label: String,
    start: usize,
    cells: Vec<Cell>,
}

/// A cell's value (None for 不适用) and byte end.
struct Cell {
    value: Option<f64>,
    end: usize,
}

/// True when the text may hold a report table (its header words are there).
pub(crate) fn may_hold(text: &str) -> bool {
    text.contains("增减") && HEADER.is_match(text)
}

/// The growth claims of every report table in the text.
pub(crate) fn find(s: &Structure, periods: &[Period], out: &mut Vec<Candidate>) {
    if !may_hold(s.text) {
        return;
    }
    let lines: Vec<(usize, usize)> = structure::line_spans(s.text).collect();
    let mut i = 0;
    while i < lines.len() {
        let (start, end) = lines[i];
        if !HEADER.is_match(&s.text[start..end]) {
            i += 1;
            continue;
        }
        let Some(report) = period::before(periods, 0, start).and_then(|p| p.text.clone()) else {
            i += 1;
            continue;
        };
        let (rows, header_end, next) = table_at(s.text, &lines, i);
        let header = &s.text[start..header_end];
        if header.contains("增减") {
            let year_to_date = header.contains("年初至报告期末");
            for row in &rows {
                claims_of_row(s, row, &report, year_to_date, out);
            }
        }
        i = next.max(i + 1);
    }
}

/// The rows of the table whose header starts at line `first`, where the header ends (the start
/// of the first row), and the line after the table.
fn table_at(text: &str, lines: &[(usize, usize)], first: usize) -> (Vec<Row>, usize, usize) {
    let mut rows: Vec<Row> = Vec::new();
    let mut header_end = lines[first].1;
    let mut i = first + 1;
    while i < lines.len() && i <= first + MAX_ROWS {
        let (start, end) = lines[i];
        let line = text[start..end].trim();
        if !rows.is_empty() && HEADER.is_match(line) {
            break; // the next table
        }
        match row_of(text, start, end) {
            Some(row) => {
                if rows.is_empty() {
                    header_end = start;
                }
                rows.push(row);
            }
            // a label wrapped onto its own line (利润, 除非经常性损益的净利润)
            None if !rows.is_empty() && is_label_tail(line) => {
                if let Some(last) = rows.last_mut() {
                    last.label.push_str(line);
                }
            }
            None if rows.is_empty() => header_end = end,
            None if line.chars().count() > 30 => break, // prose again
            None => {}
        }
        i += 1;
    }
    (rows, header_end, i)
}

/// A line as a table row: a label, then at least two cells and nothing else.
fn row_of(text: &str, start: usize, end: usize) -> Option<Row> {
    let line = &text[start..end];
    let mut label = String::new();
    let mut cells = Vec::new();
    let mut at = 0;
    for word in line.split(' ') {
        let word_end = start + at + word.len();
        at += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        if CELL.is_match(word) {
            let value = word.replace(',', "").parse::<f64>().ok();
            cells.push(Cell {
                value,
                end: word_end,
            });
        } else if cells.is_empty() {
            label.push_str(word);
        } else {
            return None; // 增加 0.07 个百分点: a rate's change, or not a table row
        }
    }
    (cells.len() >= 2 && !label.is_empty() && !label.starts_with(|c: char| c.is_ascii_digit()))
        .then_some(Row {
            label,
            start: start + (line.len() - line.trim_start().len()),
            cells,
        })
}

/// True for a line that only continues the label above it: a few characters, no digits.
fn is_label_tail(line: &str) -> bool {
    !line.is_empty()
        && line.chars().count() <= 16
        && !line.contains(' ')
        && !line.chars().any(|c| c.is_ascii_digit())
}

/// The claims of one row: every cell that is the change between the two cells before it, or in
/// a year-to-date layout the second and fourth cells.
fn claims_of_row(
    s: &Structure,
    row: &Row,
    report: &str,
    year_to_date: bool,
    out: &mut Vec<Candidate>,
) {
    let Some(metric) = growth::metric_of_label(&row.label) else {
        return;
    };
    let values: Vec<Option<f64>> = row.cells.iter().map(|c| c.value).collect();
    // the first triple that adds up (later ones compare older years)
    let triple = (2..values.len()).find(|&k| is_change(values[k - 2], values[k - 1], values[k]));
    let changes = match triple {
        Some(k) => vec![(k, report.to_string())],
        None if year_to_date && values.len() == 4 => {
            let to_date = match report.strip_suffix("Q3") {
                Some(year) => format!("{year}Q1-Q3"),
                None => report.to_string(),
            };
            vec![(1, report.to_string()), (3, to_date)]
        }
        None => return,
    };
    let subject = s.topic_stock(row.start).map_or(Who::Nobody, Who::Stock);
    for (k, period) in changes {
        let Some(value) = values[k] else { continue };
        let mut c = Candidate::new(
            ClaimKind::EarningsGrowth,
            subject.clone(),
            row.start,
            row.cells[k].end,
        )
        .amount(Amount::One(value), "%")
        .qualified(Some("同比"));
        c.metric = Some(metric.clone());
        c.period = Some(period);
        c.basis = Some("yoy");
        out.push(c);
    }
}

/// True when `change` is the change from `before` to `now` in percent, as a report rounds it
/// (on a negative base, reports divide by its absolute value).
fn is_change(now: Option<f64>, before: Option<f64>, change: Option<f64>) -> bool {
    let (Some(now), Some(before), Some(change)) = (now, before, change) else {
        return false;
    };
    if before == 0.0 {
        return false;
    }
    let computed = (now - before) / before.abs() * 100.0;
    (computed - change).abs() <= 0.011 + change.abs() * 1e-4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn growth_of(text: &str) -> Vec<(f64, String, String)> {
        let s = Structure::new(text, &[]);
        let periods = period::periods(&s, None);
        let mut out = Vec::new();
        find(&s, &periods, &mut out);
        out.into_iter()
            .map(|c| {
                (
                    c.value.unwrap_or(f64::NAN),
                    c.metric.unwrap_or_default(),
                    c.period.unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn third_quarter_report_gives_the_quarter_and_the_year_to_date() {
        let text = "2025 年第三季度报告\n单位:元\n项目 本报告期 本报告期比上年同期增减变动幅度 年初至报告期末 末比上年同期增减变动幅度\n(%) (%)\n营业收入 4,025,739,773.97 69.60 9,489,974,831.12 54.65\n归属于上市公司股东的净 759,994,598.37 13.04 1,961,446,439.52 28.56\n利润\n加权平均净资产收益率 3.61 增加 0.07 个 9.30 增加 1.42 个百\n研发投入合计 1,223,910,834.51 53.83 2,934,520,790.37 35.38\n";
        let found = growth_of(text);
        let want = [
            (69.60, "营业收入", "2025Q3"),
            (54.65, "营业收入", "2025Q1-Q3"),
            (13.04, "归母净利润", "2025Q3"),
            (28.56, "归母净利润", "2025Q1-Q3"),
        ];
        assert_eq!(found.len(), want.len(), "{found:?}");
        for ((v, m, p), (wv, wm, wp)) in found.iter().zip(want) {
            assert!((v - wv).abs() < 1e-9, "{v} != {wv}");
            assert_eq!((m.as_str(), p.as_str()), (wm, wp));
        }
    }

    #[test]
    fn a_change_column_is_found_by_its_arithmetic() {
        // this year, last year, change, the year before: the change is the third cell
        let text = "2024年年度报告\n主要会计数据 2024年 2023年 本年比上年增减(%) 2022年\n本报告期\n营业收入 1,200.00 1,000.00 20.00 900.00\n净利润 -50.00 -100.00 50.00 10.00\n";
        let found = growth_of(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!((found[0].0 - 20.0).abs() < 1e-9);
        assert_eq!(found[0].2, "2024");
        assert!((found[1].0 - 50.0).abs() < 1e-9, "a loss halved: +50%");
    }

    #[test]
    fn rows_that_do_not_add_up_or_name_no_metric_give_nothing() {
        let text = "2024年半年度报告\n项目 本报告期 上年同期 本报告期比上年同期增减(%)\n营业收入 1,200.00 1,000.00 35.00\n总资产 1,200.00 1,000.00 20.00\n";
        assert!(growth_of(text).is_empty());
    }
}

//! Growth figures in pipe tables, as broker notes and data sites print them:
//!
//! ```text
//! 报告期           | 2025 一季报 | 2024 年报 | 2024 三季报
//! 营业收入同比增长 | -37.02%     | -18.95%   | -16.74%
//! ```
//!
//! A row whose label names an earnings metric and a change (营业收入同比增长, 净利润增长率,
//! 归母净利润 YoY) gives one claim per percentage cell; the period of a cell is read from the
//! table's first row, in the same column. A table of companies turns this round: one stock per
//! row, and the columns whose headings name a metric and a change (`公司 | 前三季度营收增速 |
//! Q3单季归母净利润同比`) give each row's stock a claim, dated by the heading.

use super::attribution::sole_stock;
use super::period;
use super::quantity::{Quantity, Unit};
use super::structure::{self, Structure};
use super::{growth, Candidate, Who};
use crate::calendar::Day;
use crate::model::ClaimKind;

/// Words in a row label that make its cells changes.
const CHANGE_WORDS: &[&str] = &[
    "同比",
    "环比",
    "增长率",
    "增速",
    "增幅",
    "增长",
    "增减",
    "YoY",
    "yoy",
    "QoQ",
    "qoq",
];

/// The growth claims of every pipe table in the text; returns the byte spans of the rows it
/// read, so that the sentence rules leave their figures alone.
pub(crate) fn find(
    s: &Structure,
    quantities: &[Quantity],
    date: Option<Day>,
    out: &mut Vec<Candidate>,
) -> Vec<(usize, usize)> {
    let mut handled = Vec::new();
    if !s.text.contains(['|', '\t']) {
        return handled;
    }
    for block in blocks(s.text) {
        let Some((&header, rows)) = block.split_first() else {
            continue;
        };
        let columns = cells(s.text, header);
        let periods: Vec<Option<String>> = columns
            .iter()
            .map(|&(a, b)| {
                let cell = &s.text[a..b];
                let structure = Structure::new(cell, &[]);
                period::periods(&structure, date)
                    .into_iter()
                    .find_map(|p| p.text)
            })
            .collect();
        // a table of companies (公司 | 营收增速 | 归母净利润增速): a column whose heading names a
        // metric and a change gives each row's stock one claim
        let columns_labelled: Vec<Option<Label>> = columns
            .iter()
            .map(|&(a, b)| label_of(&s.text[a..b]))
            .collect();
        if columns_labelled.iter().skip(1).any(Option::is_some) {
            for &row in rows {
                if company_row(s, quantities, row, &columns_labelled, &periods, out) {
                    handled.push(row);
                }
            }
            continue;
        }
        for &row in rows {
            let row_cells = cells(s.text, row);
            let Some(&(label_start, label_end)) = row_cells.first() else {
                continue;
            };
            let Some(label) = label_of(&s.text[label_start..label_end]) else {
                continue;
            };
            let subject = s.topic_stock(label_start).map_or(Who::Nobody, Who::Stock);
            for (column, &(a, b)) in row_cells.iter().enumerate().skip(1) {
                if let Some(q) = percent_in(quantities, a, b) {
                    out.push(label.claim(subject.clone(), label_start, q, periods.get(column)));
                }
            }
            handled.push(row);
        }
    }
    handled
}

/// The claims of one row of a table of companies: its label names one stock, and each cell
/// under a heading that is a [`Label`] gives that stock a claim. True when the row gave any.
fn company_row(
    s: &Structure,
    quantities: &[Quantity],
    row: (usize, usize),
    labels: &[Option<Label>],
    periods: &[Option<String>],
    out: &mut Vec<Candidate>,
) -> bool {
    let row_cells = cells(s.text, row);
    let Some(&(label_start, label_end)) = row_cells.first() else {
        return false;
    };
    let Some(stock) = sole_stock(s.stocks_in(label_start, label_end)) else {
        return false;
    };
    let mut read = false;
    for (column, &(a, b)) in row_cells.iter().enumerate().skip(1) {
        let Some(Some(label)) = labels.get(column) else {
            continue;
        };
        let Some(q) = percent_in(quantities, a, b) else {
            continue;
        };
        out.push(label.claim(Who::Stock(stock), a, q, periods.get(column)));
        read = true;
    }
    read
}

/// The first percentage within the cell `a..b`.
fn percent_in(quantities: &[Quantity], a: usize, b: usize) -> Option<&Quantity> {
    quantities
        .iter()
        .find(|q| q.unit == Unit::Percent && q.start >= a && q.end <= b)
}

/// What a row or column label says of its cells: an earnings metric and a change on a basis
/// (营业收入同比增长, 前三季度归母净利润增速).
struct Label {
    metric: String,
    basis: Option<&'static str>,
}

impl Label {
    /// A claim of `subject` for the figure `q` of a cell, stated from `start`; `period` is the
    /// one the table's heading row gives the cell's column.
    fn claim(
        &self,
        subject: Who,
        start: usize,
        q: &Quantity,
        period: Option<&Option<String>>,
    ) -> Candidate {
        let basis = self.basis;
        let mut c = Candidate::new(ClaimKind::EarningsGrowth, subject, start, q.end)
            .amount(q.amount, "%")
            .qualified(basis.map(|b| if b == "qoq" { "环比" } else { "同比" }));
        c.metric = Some(self.metric.clone());
        c.period = period.cloned().flatten();
        c.basis = basis;
        c
    }
}

/// The label of a row or column whose cells are changes of an earnings metric.
fn label_of(label: &str) -> Option<Label> {
    if !CHANGE_WORDS.iter().any(|w| label.contains(w)) {
        return None;
    }
    let metric = growth::metric_of_label(label)?;
    let basis = if label.contains("环比") || label.contains("QoQ") || label.contains("qoq") {
        Some("qoq")
    } else if ["同比", "YoY", "yoy", "增减"]
        .iter()
        .any(|w| label.contains(w))
    {
        Some("yoy")
    } else {
        None
    };
    Some(Label { metric, basis })
}

/// Runs of at least two consecutive table lines (cells between `|`, or apart by tabs as the
/// Markdown reader writes a table's cells), as line spans; the separator line of a Markdown
/// table (`---|---`) is left out.
fn blocks(text: &str) -> Vec<Vec<(usize, usize)>> {
    let mut out: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut current: Vec<(usize, usize)> = Vec::new();
    for (start, end) in structure::line_spans(text) {
        let body = &text[start..end];
        if separator_of(body).is_none() {
            if current.len() >= 2 {
                out.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        let separator = body
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'));
        if !separator {
            current.push((start, end));
        }
    }
    if current.len() >= 2 {
        out.push(current);
    }
    out
}

/// The character that separates a table line's cells, if it is one.
fn separator_of(line: &str) -> Option<char> {
    if line.matches('|').count() >= 2 {
        Some('|')
    } else if line.trim().contains('\t') {
        Some('\t')
    } else {
        None
    }
}

/// The cells of a table line as trimmed byte spans; the empty cells outside edge pipes
/// (`| a | b |`) are dropped so that every line counts its columns alike.
fn cells(text: &str, (start, end): (usize, usize)) -> Vec<(usize, usize)> {
    let line = &text[start..end];
    let Some(sep) = separator_of(line) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut from = 0;
    for (i, _) in line.match_indices(sep).chain([(line.len(), "")]) {
        let cell = &line[from..i];
        let lead = cell.len() - cell.trim_start().len();
        let trimmed = cell.trim();
        out.push((start + from + lead, start + from + lead + trimmed.len()));
        from = (i + 1).min(line.len());
    }
    if out.first().is_some_and(|&(a, b)| a == b) && line.trim_start().starts_with(sep) {
        out.remove(0);
    }
    if out.last().is_some_and(|&(a, b)| a == b) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_line_up_with_and_without_edge_pipes() {
        let text = "| 报告期 | 2024 年报 |\n营收同比 | 5% |";
        let first = cells(text, (0, text.find('\n').unwrap()));
        let second = cells(text, (text.find('\n').unwrap() + 1, text.len()));
        let words = |c: &[(usize, usize)]| {
            c.iter()
                .map(|&(a, b)| text[a..b].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(words(&first), ["报告期", "2024 年报"]);
        assert_eq!(words(&second), ["营收同比", "5%"]);
    }

    #[test]
    fn tab_separated_lines_are_tables_too() {
        let text = "报告期\t2024 年报\t2023 年报\n营收同比\t5%\t7%";
        let found = blocks(text);
        assert_eq!(found.len(), 1);
        let row = cells(text, found[0][1]);
        assert_eq!(row.len(), 3);
        assert_eq!(&text[row[2].0..row[2].1], "7%");
    }

    #[test]
    fn separator_lines_are_not_rows() {
        let text = "a | b | c\n---|---|---\n1 | 2 | 3\n\nplain";
        let found = blocks(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), 2);
    }
}

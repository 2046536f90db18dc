//! Excel workbooks: one sheet per table, a bold frozen header with an autofilter, column widths
//! fitted to the data, numbers as numbers and dates as dates.
//!
//! Sheets are written in rust_xlsxwriter's constant-memory mode (rows go to a temporary file in
//! the output directory as they are written), so a sheet of a million rows does not sit in memory.
//! A sheet holds at most 1,048,576 rows; a table with more data rows continues on `NAME_2`,
//! `NAME_3` … and [`RowSink::finish`] returns every sheet name so the caller can say so.

use std::fs::File;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::error::{Error, Result};

use super::output::OutputFile;
use super::value::{Column, Value};
use super::RowSink;

/// Rows in an Excel sheet, the header included.
pub const EXCEL_MAX_ROWS: u32 = 1_048_576;

/// Longest text an Excel cell holds, in characters; longer text is cut.
const EXCEL_MAX_TEXT: usize = 32_767;

/// Column widths are measured on the first rows of each sheet only.
const WIDTH_SAMPLE_ROWS: u32 = 1_000;

/// The widest a column gets, in character widths.
const MAX_WIDTH: usize = 60;

/// One sheet being written.
struct Sheet {
    worksheet: Worksheet,
    /// The next row to write (row 0 is the header).
    next_row: u32,
    /// Widest cell seen per column, in character widths.
    widths: Vec<usize>,
}

/// The sheets of one table.
struct TableSheets {
    name: &'static str,
    columns: &'static [Column],
    full: Vec<Worksheet>,
    current: Sheet,
}

/// A workbook with one or more tables.
pub(crate) struct XlsxSink {
    workbook: Workbook,
    tables: Vec<TableSheets>,
    header: Format,
    date: Format,
    row_limit: u32,
    output: OutputFile,
    file: File,
}

impl XlsxSink {
    /// Starts a workbook with a sheet per table; `row_limit` is the rows per sheet, header
    /// included ([`EXCEL_MAX_ROWS`] except in tests).
    pub(crate) fn new(
        output: OutputFile,
        file: File,
        tables: &[(&'static str, &'static [Column])],
        row_limit: u32,
    ) -> Result<XlsxSink> {
        let mut workbook = Workbook::new();
        workbook
            .set_tempdir(output.dir())
            .map_err(|e| output.error(e))?;
        let mut sink = XlsxSink {
            workbook,
            tables: Vec::new(),
            header: Format::new().set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            row_limit: row_limit.max(2),
            output,
            file,
        };
        for &(name, columns) in tables {
            let current = sink.new_sheet(name, columns)?;
            sink.tables.push(TableSheets {
                name,
                columns,
                full: Vec::new(),
                current,
            });
        }
        Ok(sink)
    }

    fn new_sheet(&mut self, name: &str, columns: &[Column]) -> Result<Sheet> {
        let xlsx = |e: XlsxError| self.output.error_in(format!("sheet {name}"), e);
        let mut worksheet = self
            .workbook
            .new_worksheet_with_constant_memory()
            .map_err(xlsx)?;
        worksheet.set_name(name).map_err(xlsx)?;
        for (col, column) in (0u16..).zip(columns) {
            worksheet
                .write_string_with_format(0, col, column.name, &self.header)
                .map_err(xlsx)?;
        }
        worksheet.set_freeze_panes(1, 0).map_err(xlsx)?;
        // Room for the header and its autofilter button.
        let widths = columns.iter().map(|c| display_width(c.name) + 3).collect();
        Ok(Sheet {
            worksheet,
            next_row: 1,
            widths,
        })
    }

    /// Moves a full sheet aside and starts `NAME_2`, `NAME_3` ….
    fn next_sheet(&mut self, table: usize) -> Result<()> {
        let (name, columns) = (self.tables[table].name, self.tables[table].columns);
        let part = self.tables[table].full.len() + 2;
        let sheet = self.new_sheet(&format!("{name}_{part}"), columns)?;
        let full = std::mem::replace(&mut self.tables[table].current, sheet);
        let worksheet = close_sheet(full, columns.len()).map_err(|e| self.output.error(e))?;
        self.tables[table].full.push(worksheet);
        Ok(())
    }
}

/// Sets the autofilter over the written rows and the measured column widths.
fn close_sheet(mut sheet: Sheet, columns: usize) -> std::result::Result<Worksheet, XlsxError> {
    let last_col = u16::try_from(columns.max(1) - 1).unwrap_or(u16::MAX);
    sheet
        .worksheet
        .autofilter(0, 0, sheet.next_row - 1, last_col)?;
    for (col, width) in (0u16..).zip(&sheet.widths) {
        sheet
            .worksheet
            .set_column_width(col, (*width).min(MAX_WIDTH) as f64)?;
    }
    Ok(sheet.worksheet)
}

/// Width of text in Excel character widths: CJK and other wide characters count two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
        .sum()
}

/// Writes one cell.
fn write_cell(
    worksheet: &mut Worksheet,
    (row, col): (u32, u16),
    value: &Value<'_>,
    date_format: &Format,
) -> std::result::Result<usize, XlsxError> {
    match value {
        Value::Null => return Ok(0),
        Value::Text(s) => {
            let s = match s.char_indices().nth(EXCEL_MAX_TEXT) {
                Some((cut, _)) => &s[..cut],
                None => s,
            };
            worksheet.write_string(row, col, s)?;
            return Ok(display_width(s));
        }
        Value::Int(n) => worksheet.write_number(row, col, *n as f64)?,
        Value::Float(x) => worksheet.write_number(row, col, *x)?,
        Value::Date(d) => {
            let year = u16::try_from(d.year()).unwrap_or(0);
            match ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8) {
                Ok(date) => worksheet.write_datetime_with_format(row, col, date, date_format)?,
                // Excel has no dates before 1900: keep the text.
                Err(_) => worksheet.write_string(row, col, d.to_string())?,
            };
            return Ok(10);
        }
    };
    Ok(value.to_string().len())
}

impl RowSink for XlsxSink {
    fn write_row(&mut self, table: usize, row: &[Value<'_>]) -> Result<()> {
        if self.tables[table].current.next_row >= self.row_limit {
            self.next_sheet(table)?;
        }
        let sheet = &mut self.tables[table].current;
        let r = sheet.next_row;
        for ((col, value), width) in (0u16..).zip(row).zip(&mut sheet.widths) {
            let w = write_cell(&mut sheet.worksheet, (r, col), value, &self.date)
                .map_err(|e| self.output.error_in(format!("row {r}"), e))?;
            if r <= WIDTH_SAMPLE_ROWS {
                *width = (*width).max(w + 1);
            }
        }
        sheet.next_row += 1;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<Vec<String>> {
        let XlsxSink {
            mut workbook,
            tables,
            output,
            mut file,
            ..
        } = *self;
        let fail = |e: XlsxError| -> Error { output.error(e) };
        let mut names = Vec::new();
        for table in tables {
            let columns = table.columns.len();
            let last = close_sheet(table.current, columns).map_err(fail)?;
            for worksheet in table.full.into_iter().chain([last]) {
                names.push(worksheet.name());
                workbook.push_worksheet(worksheet);
            }
        }
        workbook.save_to_writer(&mut file).map_err(fail)?;
        output.commit(file)?;
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use calamine::{open_workbook, Data, Reader, Xlsx};

    use super::*;

    const COLUMNS: &[Column] = &[Column::int("n"), Column::text("name")];

    #[test]
    fn a_table_longer_than_a_sheet_continues_on_numbered_sheets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("split.xlsx");
        let (output, file) = OutputFile::create(&path).unwrap();
        // Three rows per sheet: the header and two data rows.
        let mut sink = Box::new(XlsxSink::new(output, file, &[("claims", COLUMNS)], 3).unwrap());
        for n in 0..5 {
            sink.write_row(0, &[Value::Int(n), Value::str("利通电子")])
                .unwrap();
        }
        let sheets = sink.finish().unwrap();
        assert_eq!(sheets, ["claims", "claims_2", "claims_3"]);
        let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
        let mut seen = Vec::new();
        for sheet in &sheets {
            let range = workbook.worksheet_range(sheet).unwrap();
            let mut rows = range.rows();
            assert_eq!(rows.next().unwrap()[0], Data::String("n".into()), "{sheet}");
            seen.extend(rows.map(|r| r[0].clone()));
        }
        let want: Vec<Data> = (0..5).map(|n| Data::Float(n as f64)).collect();
        assert_eq!(seen, want);
    }

    #[test]
    fn display_width_counts_cjk_twice() {
        let cases = [("code", 4), ("利通电子", 8), ("3000P", 5), ("", 0)];
        for (text, want) in cases {
            assert_eq!(display_width(text), want, "{text}");
        }
    }
}

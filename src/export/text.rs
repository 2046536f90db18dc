//! The text formats: CSV (RFC 4180: CRLF, fields quoted when needed), TSV and JSON Lines.
//! TSV quotes a field holding a tab, a quote or a line end the way CSV does, so any text survives.
//!
//! Numbers are written with Rust's shortest round-trip formatting, so a figure reads back as
//! exactly the `f64` that was extracted; dates as `YYYY-MM-DD`; null as an empty field (CSV/TSV)
//! or `null` (JSONL).

use std::io::{BufWriter, Write};

use crate::error::{Error, Result};

use super::output::Target;
use super::value::{Column, Value};
use super::RowSink;

/// The byte-order mark `--excel` puts first, so Excel opens UTF-8 CSV as UTF-8.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// CSV or TSV with a header line.
pub(crate) struct DelimitedSink {
    writer: csv::Writer<Target>,
    field: String,
}

impl DelimitedSink {
    /// Starts the file: optional BOM, then the header.
    pub(crate) fn new(
        mut target: Target,
        columns: &[Column],
        delimiter: u8,
        bom: bool,
    ) -> Result<DelimitedSink> {
        if bom {
            target.write_all(BOM).map_err(|e| target.error(e))?;
        }
        let terminator = if delimiter == b',' {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        };
        let writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(terminator)
            .buffer_capacity(1 << 16)
            .from_writer(target);
        let mut sink = DelimitedSink {
            writer,
            field: String::new(),
        };
        let header: Vec<&str> = columns.iter().map(|c| c.name).collect();
        let result = sink.writer.write_record(&header);
        result.map_err(|e| sink.csv_error(e))?;
        Ok(sink)
    }

    fn csv_error(&self, e: csv::Error) -> Error {
        if !e.is_io_error() {
            return self.writer.get_ref().error(std::io::Error::other(e));
        }
        match e.into_kind() {
            csv::ErrorKind::Io(io) => self.writer.get_ref().error(io),
            other => self
                .writer
                .get_ref()
                .error(std::io::Error::other(format!("{other:?}"))),
        }
    }
}

impl RowSink for DelimitedSink {
    fn write_row(&mut self, _table: usize, row: &[Value<'_>]) -> Result<()> {
        for value in row {
            self.field.clear();
            let field = match value {
                Value::Text(s) => s.as_ref(),
                other => {
                    use std::fmt::Write as _;
                    let _ = write!(self.field, "{other}");
                    self.field.as_str()
                }
            };
            if let Err(e) = self.writer.write_field(field) {
                return Err(self.csv_error(e));
            }
        }
        let result = self.writer.write_record(None::<&[u8]>);
        result.map_err(|e| self.csv_error(e))
    }

    fn finish(self: Box<Self>) -> Result<Vec<String>> {
        let target = self.writer.into_inner().map_err(|e| {
            let io = std::io::Error::new(e.error().kind(), e.error().to_string());
            e.into_inner().get_ref().error(io)
        })?;
        target.finish()?;
        Ok(Vec::new())
    }
}

/// JSON Lines: one object per row, keys in column order.
pub(crate) struct JsonlSink {
    writer: BufWriter<Target>,
    columns: &'static [Column],
    line: Vec<u8>,
}

impl JsonlSink {
    /// Starts the output (JSON Lines has no header).
    pub(crate) fn new(target: Target, columns: &'static [Column]) -> JsonlSink {
        JsonlSink {
            writer: BufWriter::with_capacity(1 << 16, target),
            columns,
            line: Vec::new(),
        }
    }

    fn encode(&mut self, row: &[Value<'_>]) {
        let line = &mut self.line;
        line.clear();
        line.push(b'{');
        for (i, (column, value)) in self.columns.iter().zip(row).enumerate() {
            if i > 0 {
                line.push(b',');
            }
            serde_json::to_writer(&mut *line, column.name).expect("writing to a Vec");
            line.push(b':');
            match value {
                Value::Null => line.extend_from_slice(b"null"),
                Value::Text(s) => serde_json::to_writer(&mut *line, s).expect("writing to a Vec"),
                Value::Float(x) => serde_json::to_writer(&mut *line, x).expect("writing to a Vec"),
                Value::Int(_) => {
                    let _ = write!(line, "{value}");
                }
                Value::Date(_) => {
                    let _ = write!(line, "\"{value}\"");
                }
            }
        }
        line.extend_from_slice(b"}\n");
    }
}

impl RowSink for JsonlSink {
    fn write_row(&mut self, _table: usize, row: &[Value<'_>]) -> Result<()> {
        self.encode(row);
        let result = self.writer.write_all(&self.line);
        result.map_err(|e| self.writer.get_ref().error(e))
    }

    fn finish(self: Box<Self>) -> Result<Vec<String>> {
        let target = self.writer.into_inner().map_err(|e| {
            let (io, writer) = e.into_parts();
            writer.get_ref().error(io)
        })?;
        target.finish()?;
        Ok(Vec::new())
    }
}

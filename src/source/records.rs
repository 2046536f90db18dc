//! Record formats: JSON arrays, CSV and TSV exports and JSON Lines, one article per record.
//! Files and standard input (`stream.rs`) are read by the same lazy readers.

use std::io::{BufRead, Cursor, Read};

use super::formats::{self, FieldNames};
use super::{bad, decode, Item, ReadOptions, Reader};
use crate::model::Article;

/// A record's article named `source` (`file#N`) unless the record gave its own source field.
fn named(mut a: Article, source: &str) -> Article {
    if a.source.is_empty() {
        a.source = source.to_string();
    }
    a
}

impl Reader {
    pub(super) fn parse_json(&self, name: &str, text: &str) -> Vec<Item> {
        let trimmed = text.trim_start();
        if !trimmed.starts_with('[') {
            return JsonLines::new(
                name.to_string(),
                Cursor::new(text.as_bytes().to_vec()),
                &self.options,
            )
            .collect();
        }
        match serde_json::from_str::<Vec<serde_json::Value>>(trimmed) {
            Ok(values) => values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let source = format!("{name}#{}", i + 1);
                    formats::json_record(v, &self.options.fields)
                        .map(|a| named(a, &source))
                        .map_err(|m| bad(source, m))
                })
                .collect(),
            Err(e) => vec![Err(bad(name, "invalid JSON array").because(e))],
        }
    }

    /// The records of a CSV (`delimiter` `,`) or TSV (`\t`) file: a header row naming the
    /// columns, found as in JSON records, then one article per row. TSV fields may be quoted the
    /// way CSV's are, as `fupan export -f tsv` writes them.
    pub(super) fn parse_csv(&self, name: &str, text: &str, delimiter: u8) -> Vec<Item> {
        CsvRecords::new(name.to_string(), text.as_bytes(), delimiter, &self.options)
            .map(|(_, item)| item)
            .collect()
    }
}

/// The rows of a CSV or TSV stream, one article per row after the header, read lazily; each
/// with the input's id (`--id-field`) when the row has one, for errors to name.
pub(super) struct CsvRecords<R> {
    name: String,
    kind: &'static str,
    reader: csv::Reader<R>,
    fields: FieldNames,
    columns: Option<formats::CsvColumns>,
    row: usize,
    done: bool,
}

impl<R: Read> CsvRecords<R> {
    pub(super) fn new(name: String, input: R, delimiter: u8, options: &ReadOptions) -> Self {
        CsvRecords {
            name,
            kind: if delimiter == b'\t' { "TSV" } else { "CSV" },
            reader: csv::ReaderBuilder::new()
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(input),
            fields: options.fields.clone(),
            columns: None,
            row: 0,
            done: false,
        }
    }

    /// The next row's input id (when known) and article.
    pub(super) fn next_record(&mut self) -> Option<(Option<String>, Item)> {
        if self.done {
            return None;
        }
        if self.columns.is_none() {
            let found = match self.reader.headers() {
                Ok(header) => {
                    formats::CsvColumns::new(header, &self.fields).map_err(|m| bad(&self.name, m))
                }
                Err(e) => {
                    Err(bad(&self.name, format!("unreadable {} header", self.kind)).because(e))
                }
            };
            match found {
                Ok(columns) => self.columns = Some(columns),
                Err(e) => {
                    self.done = true;
                    return Some((None, Err(e)));
                }
            }
        }
        let columns = self.columns.as_ref()?;
        let mut row = csv::StringRecord::new();
        self.row += 1;
        let source = format!("{}#{}", self.name, self.row);
        match self.reader.read_record(&mut row) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                let fields = columns.fields(&row);
                let id = fields.id.clone();
                let article = formats::record_article(fields)
                    .map(|a| named(a, &source))
                    .ok_or_else(|| bad(&source, "record has no title or text"));
                Some((id, article))
            }
            Err(e) => {
                // a broken stream ends; a malformed row is one error and reading goes on
                if e.is_io_error() {
                    self.done = true;
                }
                let kind = self.kind;
                Some((
                    None,
                    Err(bad(source, format!("malformed {kind} record")).because(e)),
                ))
            }
        }
    }
}

impl<R: Read> Iterator for CsvRecords<R> {
    type Item = (Option<String>, Item);

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record()
    }
}

/// Records of a JSON Lines stream, one per line, read lazily.
pub(super) struct JsonLines<R> {
    name: String,
    reader: R,
    line: usize,
    max_line: usize,
    fields: FieldNames,
    done: bool,
}

impl<R: BufRead> JsonLines<R> {
    pub(super) fn new(name: String, reader: R, options: &ReadOptions) -> JsonLines<R> {
        JsonLines {
            name,
            reader,
            line: 0,
            max_line: options.max_line_bytes,
            fields: options.fields.clone(),
            done: false,
        }
    }

    /// Reads one line up to the limit; an over-long line is skipped to its end.
    fn next_line(&mut self) -> std::io::Result<Option<(Vec<u8>, bool)>> {
        let mut buf = Vec::new();
        let mut too_long = false;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                return Ok((!buf.is_empty() || too_long).then_some((buf, too_long)));
            }
            let (chunk, found) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (&available[..=i], true),
                None => (available, false),
            };
            let len = chunk.len();
            if !too_long {
                if buf.len() + len > self.max_line {
                    too_long = true;
                    buf = Vec::new();
                } else {
                    buf.extend_from_slice(chunk);
                }
            }
            self.reader.consume(len);
            if found {
                return Ok(Some((buf, too_long)));
            }
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        self.next_record().map(|(_, item)| item)
    }
}

impl<R: BufRead> JsonLines<R> {
    /// The next line's input id (when the record has one) and article.
    pub(super) fn next_record(&mut self) -> Option<(Option<String>, Item)> {
        let no_id = |item: Item| Some((None, item));
        while !self.done {
            let (bytes, too_long) = match self.next_line() {
                Ok(Some(x)) => x,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return no_id(Err(bad(&self.name, "read error").because(e)));
                }
            };
            self.line += 1;
            let source = format!("{}#{}", self.name, self.line);
            if too_long {
                return no_id(Err(bad(
                    source,
                    format!("line longer than {} bytes (skipped)", self.max_line),
                )));
            }
            let decoded = match decode::decode(&bytes) {
                Ok(d) => d,
                Err(_) => return no_id(Err(bad(source, "binary data, not a JSON record"))),
            };
            let line = decoded.text.trim();
            if line.is_empty() {
                continue;
            }
            let value: serde_json::Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(e) => return no_id(Err(bad(source, "malformed JSON").because(e))),
            };
            let id = formats::json_fields(&value, &self.fields)
                .ok()
                .and_then(|f| f.id);
            let article = formats::json_record(&value, &self.fields)
                .map(|a| {
                    let mut a = named(a, &source);
                    a.warnings.extend(decoded.warnings);
                    a
                })
                .map_err(|m| bad(source, m));
            return Some((id, article));
        }
        None
    }
}

//! Record formats: JSON arrays, CSV and TSV exports and JSON Lines, one article per record.

use std::io::{BufRead, Cursor};

use super::formats::{self, FieldNames};
use super::{bad, decode, Item, ReadOptions, Reader};

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
                        .map(|mut a| {
                            a.source = source.clone();
                            a
                        })
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
        let kind = if delimiter == b'\t' { "TSV" } else { "CSV" };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let header = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                return vec![Err(
                    bad(name, format!("unreadable {kind} header")).because(e)
                )]
            }
        };
        let columns = match formats::CsvColumns::new(&header, &self.options.fields) {
            Ok(c) => c,
            Err(m) => return vec![Err(bad(name, m))],
        };
        reader
            .records()
            .enumerate()
            .map(|(i, row)| {
                let source = format!("{name}#{}", i + 1);
                let row =
                    row.map_err(|e| bad(&source, format!("malformed {kind} record")).because(e))?;
                let mut a = columns
                    .article(&row)
                    .ok_or_else(|| bad(&source, "record has no title or text"))?;
                a.source = source;
                Ok(a)
            })
            .collect()
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
        while !self.done {
            let (bytes, too_long) = match self.next_line() {
                Ok(Some(x)) => x,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(bad(&self.name, "read error").because(e)));
                }
            };
            self.line += 1;
            let source = format!("{}#{}", self.name, self.line);
            if too_long {
                return Some(Err(bad(
                    source,
                    format!("line longer than {} bytes (skipped)", self.max_line),
                )));
            }
            let decoded = match decode::decode(&bytes) {
                Ok(d) => d,
                Err(_) => return Some(Err(bad(source, "binary data, not a JSON record"))),
            };
            let line = decoded.text.trim();
            if line.is_empty() {
                continue;
            }
            let value: serde_json::Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(e) => return Some(Err(bad(source, "malformed JSON").because(e))),
            };
            return Some(
                formats::json_record(&value, &self.fields)
                    .map(|mut a| {
                        a.source = source.clone();
                        a.warnings.extend(decoded.warnings);
                        a
                    })
                    .map_err(|m| bad(source, m)),
            );
        }
        None
    }
}

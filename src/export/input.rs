//! What an export reads: [`SourceArticle`]s, streamed from the JSON Lines of `fupan extract`
//! ([`JsonlRecords`]) or from the index.
//!
//! Lines are read as bytes, one at a time, so a file of any size streams in constant memory and
//! a line with invalid UTF-8 is one bad record rather than the end of the input.

use std::io::BufRead;

use crate::error::{Error, Result};
use crate::model::ArticleRecord;

use crate::calendar::Day;

/// One article to export: its extract record and, when the source keeps it, its text (the
/// index does; `fupan extract` output does not, so `mentions.sentence` stays empty).
#[derive(Debug, Clone)]
pub struct SourceArticle {
    /// The `docs/OUTPUT.md` record.
    pub record: ArticleRecord,
    /// The article text every offset points into, when known.
    pub text: Option<String>,
}

impl From<ArticleRecord> for SourceArticle {
    fn from(record: ArticleRecord) -> SourceArticle {
        SourceArticle { record, text: None }
    }
}

/// Streams the records of a JSON Lines file as written by `fupan extract`.
///
/// Yields `Err(Error::BadInput)` for a line that is not a record (source `NAME#LINE`) and goes
/// on; yields `Err(Error::Io)` once and stops when the input cannot be read.
pub struct JsonlRecords<R> {
    reader: R,
    name: String,
    line: usize,
    buf: Vec<u8>,
    failed: bool,
}

impl<R: BufRead> JsonlRecords<R> {
    /// Reads records from `reader`; `name` (a path, or `stdin`) is used in error messages.
    pub fn new(reader: R, name: impl Into<String>) -> JsonlRecords<R> {
        JsonlRecords {
            reader,
            name: name.into(),
            line: 0,
            buf: Vec::new(),
            failed: false,
        }
    }

    fn parse(&self, line: &[u8]) -> Result<SourceArticle> {
        let bad =
            |message: String| Error::bad_input(format!("{}#{}", self.name, self.line), message);
        let record: ArticleRecord = serde_json::from_slice(line)
            .map_err(|e| bad("not an article record".into()).because(e))?;
        if let Some(date) = &record.date {
            if Day::parse(date).is_none() {
                return Err(bad(format!("bad date {date:?}, want YYYY-MM-DD")));
            }
        }
        Ok(record.into())
    }
}

impl<R: BufRead> Iterator for JsonlRecords<R> {
    type Item = Result<SourceArticle>;

    fn next(&mut self) -> Option<Result<SourceArticle>> {
        while !self.failed {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(source) => {
                    self.failed = true;
                    let path = self.name.clone();
                    return Some(Err(Error::Io { path, source }));
                }
            }
            self.line += 1;
            let mut line = self.buf.trim_ascii();
            if self.line == 1 {
                line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
            }
            if !line.is_empty() {
                return Some(self.parse(line));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"id":"a","source":"s","title":null,"date":"2024-03-22","author":null,"chars":1,"stocks":[],"concepts":[],"organizations":[],"claims":[],"warnings":[]}"#;

    #[test]
    fn bad_lines_are_reported_with_their_number_and_skipped() {
        let bad_date = GOOD.replace("2024-03-22", "2024-3-22");
        let input = format!("{GOOD}\n\nnot json\n{bad_date}\n{GOOD}");
        let results: Vec<_> = JsonlRecords::new(input.as_bytes(), "x.jsonl").collect();
        let shown: Vec<String> = results
            .iter()
            .map(|r| match r {
                Ok(a) => a.record.id.clone(),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(shown.len(), 4);
        assert_eq!(shown[0], "a");
        assert!(
            shown[1].starts_with("x.jsonl#3: not an article record"),
            "{}",
            shown[1]
        );
        assert!(
            shown[2].starts_with("x.jsonl#4: bad date \"2024-3-22\""),
            "{}",
            shown[2]
        );
        assert_eq!(shown[3], "a");
    }

    #[test]
    fn invalid_utf8_is_one_bad_line() {
        let mut input = GOOD.as_bytes().to_vec();
        input.extend_from_slice(b"\n{\"id\":\"\xff\"}\r\n");
        input.extend_from_slice(GOOD.as_bytes());
        let ok: Vec<bool> = JsonlRecords::new(&input[..], "x")
            .map(|r| r.is_ok())
            .collect();
        assert_eq!(ok, [true, false, true]);
    }

    #[test]
    fn a_leading_bom_is_ignored() {
        let input = format!("\u{feff}{GOOD}\n");
        let ok: Vec<bool> = JsonlRecords::new(input.as_bytes(), "x")
            .map(|r| r.is_ok())
            .collect();
        assert_eq!(ok, [true]);
    }
}

//! Records from a stream (standard input in `fupan extract --stdin-format`), and single records
//! handed over by a caller (the Python package): the same record code as files, finished the
//! way a file's article is, with no archive around them.
//!
//! A stream has no sidecars and no archive-wide newest date; a record's source field (when asked
//! for) stands in for its file name, so file-name dates and authors still apply.

use std::io::BufRead;

use super::evidence::{ArchiveEvidence, FileEvidence};
use super::formats::{self, RecordFields};
use super::records::{CsvRecords, JsonLines};
use super::{bad, Item, Reader};
use crate::error::Result;
use crate::model::Article;

/// How a stream holds its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFormat {
    /// One JSON object per line.
    JsonLines,
    /// A header row, then one record per row.
    Csv,
    /// As `Csv`, tab-separated.
    Tsv,
    /// Each non-empty line is one article's text.
    Text,
}

impl StreamFormat {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            StreamFormat::JsonLines => "jsonl",
            StreamFormat::Csv => "csv",
            StreamFormat::Tsv => "tsv",
            StreamFormat::Text => "text",
        }
    }
}

impl std::str::FromStr for StreamFormat {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<StreamFormat, String> {
        [
            StreamFormat::JsonLines,
            StreamFormat::Csv,
            StreamFormat::Tsv,
            StreamFormat::Text,
        ]
        .into_iter()
        .find(|f| f.name() == s || (s == "ndjson" && *f == StreamFormat::JsonLines))
        .ok_or_else(|| format!("unknown stream format {s:?} (jsonl, csv, tsv or text)"))
    }
}

/// One record of a stream: the input's own id when the record gave one (errors keep it too, so
/// the output can say which input failed), and its article or why it is unusable.
#[derive(Debug)]
pub struct StreamItem {
    /// The record's `--id-field` value.
    pub input_id: Option<String>,
    /// The finished article, or an error naming the record (`NAME#N`).
    pub article: Item,
}

impl Reader {
    /// The records of `input`, named `name` (`-` for standard input), lazily and in order.
    /// Each article is finished as [`Reader::article_of`] finishes one.
    pub fn read_stream<'a, R: BufRead + 'a>(
        &'a self,
        name: &str,
        format: StreamFormat,
        input: R,
    ) -> Box<dyn Iterator<Item = StreamItem> + 'a> {
        let name = name.to_string();
        let records: Box<dyn Iterator<Item = (Option<String>, Item)> + 'a> = match format {
            StreamFormat::JsonLines => {
                let mut lines = JsonLines::new(name, input, &self.options);
                Box::new(std::iter::from_fn(move || lines.next_record()))
            }
            StreamFormat::Csv => Box::new(CsvRecords::new(name, input, b',', &self.options)),
            StreamFormat::Tsv => Box::new(CsvRecords::new(name, input, b'\t', &self.options)),
            StreamFormat::Text => Box::new(text_lines(name, input)),
        };
        Box::new(records.map(move |(input_id, item)| StreamItem {
            input_id,
            article: item.map(|a| self.finish_record(a)),
        }))
    }

    /// The one way from a caller's record to an article, as the file reader makes them: the
    /// text is the title, a line break and the body; the source field (else `fallback_source`)
    /// names it, and file-name rules read it for the date and author when the record gives none;
    /// dates are checked against the run's date as for files. An error names the record.
    pub fn article_of(&self, fields: RecordFields, fallback_source: &str) -> Result<Article> {
        let mut article = formats::record_article(fields)
            .ok_or_else(|| bad(fallback_source, "record has no title or text"))?;
        if article.source.is_empty() {
            article.source = fallback_source.to_string();
        }
        Ok(self.finish_record(article))
    }

    /// Dates and authors an article read from a stream or handed over alone: no sidecar, no
    /// archive, its source as its file name (without a trailing record number).
    fn finish_record(&self, mut article: Article) -> Article {
        let evidence = ArchiveEvidence::none(&self.options);
        let file_name = without_record_number(&article.source).to_string();
        evidence.finish(&mut article, &FileEvidence::default(), &file_name);
        article
    }
}

/// `name#12` → `name`; anything else as it is.
fn without_record_number(source: &str) -> &str {
    match source.rfind('#') {
        Some(hash)
            if hash + 1 < source.len()
                && source[hash + 1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            &source[..hash]
        }
        _ => source,
    }
}

/// Each non-empty line of a text stream as one article (`NAME#N`, N the line number).
fn text_lines(name: String, input: impl BufRead) -> impl Iterator<Item = (Option<String>, Item)> {
    let mut lines = input.split(b'\n').enumerate();
    std::iter::from_fn(move || loop {
        let (i, line) = lines.next()?;
        let source = format!("{name}#{}", i + 1);
        let bytes = match line {
            Ok(b) => b,
            Err(e) => return Some((None, Err(bad(&name, "read error").because(e)))),
        };
        let text = match super::decode::decode(&bytes) {
            Ok(d) => d.text,
            Err(_) => return Some((None, Err(bad(source, "binary data, not text")))),
        };
        let text = text.trim_end_matches(['\r', '\n']);
        if text.trim().is_empty() {
            continue;
        }
        let mut article = formats::text_article(text.to_string());
        article.source = source;
        return Some((None, Ok(article)));
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::ReadOptions;

    #[test]
    fn record_numbers_are_cut_from_stream_sources() {
        assert_eq!(without_record_number("-#12"), "-");
        assert_eq!(
            without_record_number("a/2026-03-18_x.txt"),
            "a/2026-03-18_x.txt"
        );
        assert_eq!(without_record_number("a/复盘#x"), "a/复盘#x");
    }

    #[test]
    fn a_source_field_dates_the_record_as_a_file_name_would() {
        let reader = Reader::new(ReadOptions::default());
        let fields = RecordFields {
            text: Some("今日复盘".into()),
            source: Some("posts/2024-03-18_老股民_1.txt".into()),
            id: Some("r1".into()),
            ..RecordFields::default()
        };
        let a = reader.article_of(fields, "-#1").unwrap();
        assert_eq!(a.date.as_deref(), Some("2024-03-18"));
        assert_eq!(a.source, "posts/2024-03-18_老股民_1.txt");
        assert_eq!(a.input_id.as_deref(), Some("r1"));
        assert!(reader
            .article_of(RecordFields::default(), "-#2")
            .unwrap_err()
            .to_string()
            .contains("-#2"));
    }
}

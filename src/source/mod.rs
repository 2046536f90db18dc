//! Reading archives as they are: files and directories (recursive, sorted, hidden entries
//! skipped), text / Markdown / HTML / JSONL / JSON / CSV, zip and tar(.gz) archives, any encoding.
//!
//! Takes paths and gives a lazy stream of `Result<Article, Error>` in a stable order: one bad
//! file, record or member becomes one `Err` naming it, and the stream goes on. Only this stage
//! opens input files; it never holds more than one file (or one archive) in memory.

pub mod decode;
pub mod formats;

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};

use crate::date;
use crate::error::{Error, Result};
use crate::model::Article;
use formats::FieldNames;

/// Reading options.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Record field names for JSONL/JSON/CSV.
    pub fields: FieldNames,
    /// Largest file read whole (bytes).
    pub max_file_bytes: u64,
    /// Largest JSONL line (bytes).
    pub max_line_bytes: usize,
    /// Largest decompressed archive member (bytes).
    pub max_member_bytes: u64,
    /// Largest total decompressed size of one archive (bytes).
    pub max_archive_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            fields: FieldNames::default(),
            max_file_bytes: 256 << 20,
            max_line_bytes: 32 << 20,
            max_member_bytes: 64 << 20,
            max_archive_bytes: 512 << 20,
        }
    }
}

/// One item of the input stream.
pub type Item = Result<Article>;

/// The kinds of input fupan reads, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Markdown,
    Html,
    JsonLines,
    Json,
    Csv,
    Zip,
    Tar,
    TarGz,
}

fn format_of(name: &str) -> Option<Format> {
    let lower = name.to_ascii_lowercase();
    let ext = |e: &str| lower.ends_with(e);
    Some(if ext(".txt") || ext(".text") {
        Format::Text
    } else if ext(".md") || ext(".markdown") {
        Format::Markdown
    } else if ext(".html") || ext(".htm") || ext(".xhtml") {
        Format::Html
    } else if ext(".jsonl") || ext(".ndjson") {
        Format::JsonLines
    } else if ext(".json") {
        Format::Json
    } else if ext(".csv") {
        Format::Csv
    } else if ext(".zip") {
        Format::Zip
    } else if ext(".tar.gz") || ext(".tgz") {
        Format::TarGz
    } else if ext(".tar") {
        Format::Tar
    } else {
        return None;
    })
}

fn bad(source: impl Into<String>, message: impl Into<String>) -> Error {
    Error::bad_input(source, message)
}

/// A file to read, found on the command line or under a directory.
#[derive(Debug)]
enum Input {
    File(PathBuf),
    Stdin,
    Failed(Error),
}

/// Expands the command-line paths into files, in order: directories recursively and sorted,
/// hidden entries skipped, symlink loops detected.
fn expand(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut seen = HashSet::new();
                walk(p, &mut seen, &mut out, 0);
            }
            Ok(_) => out.push(Input::File(p.clone())),
            Err(e) => out.push(Input::Failed(Error::Io {
                path: p.display().to_string(),
                source: e,
            })),
        }
    }
    out
}

fn walk(dir: &Path, seen: &mut HashSet<PathBuf>, out: &mut Vec<Input>, depth: usize) {
    let io_err = |e| {
        Input::Failed(Error::Io {
            path: dir.display().to_string(),
            source: e,
        })
    };
    match dir.canonicalize() {
        Ok(c) if seen.contains(&c) => {
            out.push(Input::Failed(bad(
                dir.display().to_string(),
                "directory symlink loop, not followed",
            )));
            return;
        }
        Ok(c) => {
            seen.insert(c);
        }
        Err(e) => return out.push(io_err(e)),
    }
    if depth > 256 {
        return out.push(Input::Failed(bad(
            dir.display().to_string(),
            "directories nested deeper than 256 levels, not followed",
        )));
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return out.push(io_err(e)),
    };
    let mut names: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    names.sort();
    for path in names {
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, seen, out, depth + 1),
            Ok(m) => {
                if format_of(&path.to_string_lossy()).is_none() {
                    continue;
                }
                // Opening a FIFO blocks and a device never ends: only named inputs are read as
                // streams, never what a directory happens to hold.
                out.push(if m.is_file() {
                    Input::File(path)
                } else {
                    Input::Failed(bad(
                        path.display().to_string(),
                        "not a regular file (FIFO, socket or device), skipped",
                    ))
                });
            }
            Err(e) => {
                let what = if std::fs::symlink_metadata(&path).is_ok() {
                    "broken or looping symlink"
                } else {
                    ""
                };
                out.push(Input::Failed(
                    bad(path.display().to_string(), what).because(e),
                ));
            }
        }
    }
}

/// Total size in bytes of the files under `paths` that fupan reads (for progress and ETA).
pub fn input_bytes(paths: &[PathBuf]) -> u64 {
    expand(paths)
        .iter()
        .filter_map(|input| match input {
            Input::File(path) => std::fs::metadata(path).ok().map(|m| m.len()),
            _ => None,
        })
        .sum()
}

/// Reads articles from paths, lazily, in input order.
pub struct Reader {
    options: ReadOptions,
}

impl Reader {
    /// A reader with these options.
    pub fn new(options: ReadOptions) -> Reader {
        Reader { options }
    }

    /// The stream of articles (or per-item errors) under `paths`.
    pub fn read<'a>(&'a self, paths: &[PathBuf]) -> impl Iterator<Item = Item> + 'a {
        expand(paths)
            .into_iter()
            .flat_map(move |input| -> Box<dyn Iterator<Item = Item> + 'a> {
                match input {
                    Input::Failed(e) => Box::new(std::iter::once(Err(e))),
                    Input::Stdin => match self.read_whole("-", std::io::stdin().lock(), 0) {
                        Ok(buf) => Box::new(self.parse_bytes("-", Format::Text, buf).into_iter()),
                        Err(e) => Box::new(std::iter::once(Err(e))),
                    },
                    Input::File(path) => self.read_file(path),
                }
            })
    }

    fn read_file<'a>(&'a self, path: PathBuf) -> Box<dyn Iterator<Item = Item> + 'a> {
        let name = path.display().to_string();
        let format = format_of(&name).unwrap_or(Format::Text);
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                return Box::new(std::iter::once(Err(Error::Io {
                    path: name,
                    source: e,
                })))
            }
        };
        if format == Format::JsonLines {
            return Box::new(JsonLines::new(name, BufReader::new(file), &self.options));
        }
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        if size > self.options.max_file_bytes {
            return Box::new(std::iter::once(Err(bad(
                name,
                format!(
                    "file is {size} bytes, over the {} byte limit",
                    self.options.max_file_bytes
                ),
            ))));
        }
        match format {
            Format::Zip => Box::new(self.read_zip(&name, file).into_iter()),
            Format::Tar => Box::new(self.read_tar(&name, file).into_iter()),
            Format::TarGz => Box::new(
                self.read_tar(&name, flate2::read::GzDecoder::new(file))
                    .into_iter(),
            ),
            _ => match self.read_whole(&name, file, size) {
                Ok(buf) => Box::new(self.parse_bytes(&name, format, buf).into_iter()),
                Err(e) => Box::new(std::iter::once(Err(e))),
            },
        }
    }

    /// Reads a whole file or stream up to the file limit. The size in the metadata cannot be
    /// trusted: a pipe or device reports 0 (and `/dev/zero` never ends), a log may still grow.
    fn read_whole(&self, name: &str, reader: impl Read, size_hint: u64) -> Result<Vec<u8>> {
        let limit = self.options.max_file_bytes;
        let mut buf = Vec::with_capacity(size_hint.min(limit) as usize + 1);
        reader
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::Io {
                path: name.to_string(),
                source: e,
            })?;
        if buf.len() as u64 > limit {
            return Err(bad(
                name,
                format!("more than {limit} bytes, over the file limit (skipped)"),
            ));
        }
        Ok(buf)
    }

    /// Articles of one file's bytes (already read), by format.
    fn parse_bytes(&self, name: &str, format: Format, bytes: Vec<u8>) -> Vec<Item> {
        match format {
            Format::Zip => return self.read_zip(name, Cursor::new(bytes)),
            Format::Tar => return self.read_tar(name, Cursor::new(bytes)),
            Format::TarGz => {
                return self.read_tar(name, flate2::read::GzDecoder::new(Cursor::new(bytes)))
            }
            _ => {}
        }
        let decoded = match decode::decode(&bytes) {
            Ok(d) => d,
            Err(decode::DecodeError::Binary) => {
                return vec![Err(bad(name, "binary file, not text (skipped)"))]
            }
        };
        drop(bytes);
        // An empty file is an article lost (a failed download, a truncated copy), not one to
        // index with no text.
        let with_text = |a: Article| {
            if a.text.trim().is_empty() {
                Err(bad(name, "no text: empty, blank or only markup (skipped)"))
            } else {
                Ok(a)
            }
        };
        let mut items = match format {
            Format::Markdown => vec![with_text(formats::markdown_article(&decoded.text))],
            Format::Html => vec![with_text(formats::html_article(&decoded.text))],
            Format::Json => self.parse_json(name, &decoded.text),
            Format::JsonLines => JsonLines::new(
                name.to_string(),
                Cursor::new(decoded.text.into_bytes()),
                &self.options,
            )
            .collect(),
            Format::Csv => self.parse_csv(name, &decoded.text),
            _ => vec![with_text(formats::text_article(decoded.text))],
        };
        let multi = items.len() > 1 || matches!(format, Format::Json | Format::Csv);
        for (i, item) in items.iter_mut().enumerate() {
            if let Ok(a) = item {
                if a.source.is_empty() {
                    a.source = if multi {
                        format!("{name}#{}", i + 1)
                    } else {
                        name.to_string()
                    };
                }
                a.warnings.extend(decoded.warnings.iter().cloned());
                finish(a, name);
            }
        }
        items
    }

    fn parse_json(&self, name: &str, text: &str) -> Vec<Item> {
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

    fn parse_csv(&self, name: &str, text: &str) -> Vec<Item> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => return vec![Err(bad(name, "unreadable CSV header").because(e))],
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
                let row = row.map_err(|e| bad(&source, "malformed CSV record").because(e))?;
                let mut a = columns
                    .article(&row)
                    .ok_or_else(|| bad(&source, "record has no title or text"))?;
                a.source = source;
                Ok(a)
            })
            .collect()
    }

    fn read_zip<R: Read + Seek>(&self, name: &str, reader: R) -> Vec<Item> {
        let mut archive = match zip::ZipArchive::new(reader) {
            Ok(a) => a,
            Err(e) => return vec![Err(bad(name, "unreadable zip archive").because(e))],
        };
        let mut items = Vec::new();
        let mut total = 0u64;
        for i in 0..archive.len() {
            let mut member = match archive.by_index(i) {
                Ok(m) => m,
                Err(e) => {
                    items.push(Err(
                        bad(format!("{name}!#{}", i + 1), "broken member").because(e)
                    ));
                    continue;
                }
            };
            let member_name = member.name().to_string();
            let source = format!("{name}!{member_name}");
            if member.is_dir() || is_hidden_member(&member_name) {
                continue;
            }
            let Some(format) = format_of(&member_name) else {
                continue;
            };
            if member.size() > self.options.max_member_bytes {
                items.push(Err(bad(
                    source,
                    format!(
                        "declared size {} bytes is over the {} byte member limit (skipped)",
                        member.size(),
                        self.options.max_member_bytes
                    ),
                )));
                continue;
            }
            if !self.read_member(&mut member, &source, format, &mut total, &mut items) {
                break;
            }
        }
        items
    }

    fn read_tar<R: Read>(&self, name: &str, reader: R) -> Vec<Item> {
        let mut archive = tar::Archive::new(reader);
        let mut items = Vec::new();
        let mut total = 0u64;
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => return vec![Err(bad(name, "unreadable tar archive").because(e))],
        };
        for entry in entries {
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    items.push(Err(bad(name, "broken tar archive").because(e)));
                    break;
                }
            };
            let member_name = entry
                .path()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            let source = format!("{name}!{member_name}");
            if !entry.header().entry_type().is_file() || is_hidden_member(&member_name) {
                continue;
            }
            let Some(format) = format_of(&member_name) else {
                continue;
            };
            if !self.read_member(&mut entry, &source, format, &mut total, &mut items) {
                break;
            }
        }
        items
    }

    /// Reads one archive member and parses it into `items`; false when the archive's total
    /// decompression budget is spent and the rest of the archive must be skipped.
    fn read_member(
        &self,
        r: &mut dyn Read,
        source: &str,
        format: Format,
        total: &mut u64,
        items: &mut Vec<Item>,
    ) -> bool {
        match self.read_limited(r, source, total) {
            Ok(bytes) => {
                items.extend(self.parse_bytes(source, format, bytes));
                true
            }
            Err(e) => {
                items.push(Err(e));
                *total < self.options.max_archive_bytes
            }
        }
    }

    /// Reads a member with the per-member and per-archive decompression limits.
    fn read_limited(&self, r: &mut dyn Read, source: &str, total: &mut u64) -> Result<Vec<u8>> {
        let limit = self
            .options
            .max_member_bytes
            .min(self.options.max_archive_bytes.saturating_sub(*total));
        let mut buf = Vec::new();
        let n = r
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| bad(source, "cannot decompress member").because(e))?;
        *total += n as u64;
        if n as u64 > limit {
            return Err(bad(
                source,
                format!("decompressed size exceeds the limit of {limit} bytes (possible zip bomb; skipped)"),
            ));
        }
        Ok(buf)
    }
}

fn is_hidden_member(name: &str) -> bool {
    name.split('/')
        .any(|part| part.starts_with('.') && part != "." && part != "..")
        || name.starts_with("__MACOSX")
}

/// Fills the date from the text and file name, after the format-specific reader.
fn finish(a: &mut Article, file_name: &str) {
    let meta = a.date.take();
    a.date = date::article_date(meta.as_deref(), file_name, a.title.as_deref(), &a.text);
    if a.date.is_none() {
        if let Some(m) = meta {
            a.warnings.push(format!("unrecognised date {m:?}"));
        }
    }
}

/// Records of a JSON Lines stream, one per line, read lazily.
struct JsonLines<R> {
    name: String,
    reader: R,
    line: usize,
    max_line: usize,
    fields: FieldNames,
    done: bool,
}

impl<R: BufRead> JsonLines<R> {
    fn new(name: String, reader: R, options: &ReadOptions) -> JsonLines<R> {
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
                        finish(&mut a, &self.name);
                        a
                    })
                    .map_err(|m| bad(source, m)),
            );
        }
        None
    }
}

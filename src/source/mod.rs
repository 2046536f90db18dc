//! Reading archives as they are: files and directories (recursive, sorted, hidden entries
//! skipped), text / Markdown / HTML / JSONL / JSON / CSV / TSV, zip and tar(.gz) archives, any
//! encoding.
//!
//! Takes paths and gives a lazy stream of `Result<Article, Error>` in a stable order: one bad
//! file, record or member becomes one `Err` naming it, and the stream goes on. Only this stage
//! opens input files; it never holds more than one file (or one archive) in memory.

mod archives;
pub mod decode;
mod evidence;
pub mod formats;
pub mod markup;
mod records;
mod stream;
mod walk;

use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::PathBuf;
use std::rc::Rc;

use crate::calendar::Day;
use crate::error::{Error, Result};
use crate::model::Article;
use evidence::ArchiveEvidence;
use formats::FieldNames;
use records::JsonLines;
use walk::{expand, Input};

pub use formats::RecordFields;
pub use stream::{StreamFormat, StreamItem};
pub use walk::{input_bytes, FileSelection, DEFAULT_SKIPS};

/// Reading options.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Record field names for JSONL/JSON/CSV/TSV.
    pub fields: FieldNames,
    /// Which files under a directory or in an archive are read.
    pub files: FileSelection,
    /// Largest file read whole (bytes).
    pub max_file_bytes: u64,
    /// Largest JSONL line (bytes).
    pub max_line_bytes: usize,
    /// Largest decompressed archive member (bytes).
    pub max_member_bytes: u64,
    /// Largest total decompressed size of one archive (bytes).
    pub max_archive_bytes: u64,
    /// The run's date: no article is dated later.
    pub today: Day,
    /// The year of files whose names give only month and day (`--year`).
    pub year: Option<i32>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            fields: FieldNames::default(),
            files: FileSelection::default(),
            max_file_bytes: 256 << 20,
            max_line_bytes: 32 << 20,
            max_member_bytes: 64 << 20,
            max_archive_bytes: 512 << 20,
            today: Day::today(),
            year: None,
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
    Tsv,
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
    } else if ext(".tsv") || ext(".tab") {
        Format::Tsv
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

/// Reads articles from paths, lazily, in input order.
pub struct Reader {
    options: ReadOptions,
}

impl Reader {
    /// A reader with these options.
    pub fn new(options: ReadOptions) -> Reader {
        Reader { options }
    }

    /// The stream of articles (or per-item errors) under `paths`, each dated and given its
    /// author from what its archive says (`evidence.rs`): the files under one path are
    /// surveyed for their sidecars and dates before they are read.
    pub fn read<'a>(&'a self, paths: &[PathBuf]) -> impl Iterator<Item = Item> + 'a {
        // owned: the stream outlives the caller's slice
        let roots: Vec<PathBuf> = paths.to_vec();
        roots.into_iter().flat_map(move |root| {
            let inputs = expand(std::slice::from_ref(&root), &self.options.files);
            let (archive, errors) = ArchiveEvidence::survey(&root, &inputs, &self.options);
            let archive = Rc::new(archive);
            let files = inputs
                .into_iter()
                .flat_map(move |input| self.read_input(input, Rc::clone(&archive)));
            errors.into_iter().map(Err).chain(files)
        })
    }

    /// The articles of one file's bytes, `name` giving its format as a file's name does (text
    /// when it has no known extension), finished as a file read alone: dated and given its
    /// author from its name, with no sidecar and no archive around it. For callers that hold
    /// the file already (the Spark job's `binaryFile` rows).
    pub fn read_bytes(&self, name: &str, bytes: Vec<u8>) -> Vec<Item> {
        let format = format_of(name).unwrap_or(Format::Text);
        let archive = ArchiveEvidence::none(&self.options);
        let file = evidence::FileEvidence::default();
        self.parse_bytes(name, format, bytes)
            .into_iter()
            .map(|item| {
                item.map(|mut a| {
                    archive.finish(&mut a, &file, name);
                    a
                })
            })
            .collect()
    }

    /// The articles of one input, finished with what the archive says about it.
    fn read_input<'a>(
        &'a self,
        input: Input,
        archive: Rc<ArchiveEvidence>,
    ) -> Box<dyn Iterator<Item = Item> + 'a> {
        match input {
            Input::Failed(e) => Box::new(std::iter::once(Err(e))),
            Input::Stdin => {
                let items = match self.read_whole("-", std::io::stdin().lock(), 0) {
                    Ok(buf) => self.parse_bytes("-", Format::Text, buf),
                    Err(e) => vec![Err(e)],
                };
                let file = evidence::FileEvidence::default();
                Box::new(items.into_iter().map(move |item| {
                    item.map(|mut a| {
                        archive.finish(&mut a, &file, "-");
                        a
                    })
                }))
            }
            Input::File(path) if archive.is_sidecar(&path) => Box::new(std::iter::empty()),
            Input::File(path) => {
                let file = archive.file(&path);
                let name = path.display().to_string();
                Box::new(self.read_file(path).map(move |item| {
                    item.map(|mut a| {
                        archive.finish(&mut a, &file, &name);
                        a
                    })
                }))
            }
        }
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
            Format::Csv => self.parse_csv(name, &decoded.text, b','),
            Format::Tsv => self.parse_csv(name, &decoded.text, b'\t'),
            _ => vec![with_text(formats::text_article(decoded.text))],
        };
        let multi = items.len() > 1 || matches!(format, Format::Json | Format::Csv | Format::Tsv);
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
            }
        }
        items
    }
}

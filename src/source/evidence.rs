//! What an archive says about its files besides their text, and the dating of each article
//! from it.
//!
//! Before the files under one command-line path are read, the archive is surveyed once
//! ([`ArchiveEvidence::survey`]): the sidecar indexes beside its files (`index.tsv`,
//! `index.csv`: file, date, author, title, year), and the newest date its file names and
//! sidecars state, which bounds the dates read from running text (`date::DateBounds`). Each
//! article the readers give is then finished ([`ArchiveEvidence::finish`]): its author from
//! metadata, else its file name (`2026-03-18_author_id.txt`), else the sidecar; its title from
//! the sidecar when the file is one article; its date and the date's source by
//! `date::article_date`. The sidecars themselves are no articles.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::calendar::Day;
use crate::date::{self, DateBounds, DateEvidence};
use crate::error::Error;
use crate::model::Article;

use super::formats::FieldNames;
use super::walk::Input;
use super::{bad, decode, ReadOptions};

/// File names of sidecar indexes: an archive's own index, or the list of sources a collection
/// was gathered from (file, url, site, date), which is where a scraped folder keeps its dates.
const SIDECAR_NAMES: [&str; 6] = [
    "index.tsv",
    "index.csv",
    "SOURCES.tsv",
    "SOURCES.csv",
    "sources.tsv",
    "sources.csv",
];
/// Columns naming the file a sidecar row is about.
const FILE_COLUMNS: &[&str] = &[
    "file",
    "path",
    "filename",
    "file_name",
    "文件",
    "文件名",
    "路径",
];
/// Columns giving the year of a sidecar row.
const YEAR_COLUMNS: &[&str] = &["year", "年份", "年"];

/// What a sidecar says about one file.
#[derive(Debug, Clone, Default)]
struct SidecarRow {
    date: Option<String>,
    author: Option<String>,
    title: Option<String>,
    year: Option<i32>,
}

/// A sidecar index: its rows by file path relative to the sidecar's folder (`/`-separated).
#[derive(Debug, Default)]
struct Sidecar {
    rows: HashMap<String, SidecarRow>,
    /// The one year of all the rows' dates, when they share one.
    year: Option<i32>,
}

/// What the archive under one command-line path states about its files.
#[derive(Debug)]
pub(super) struct ArchiveEvidence {
    /// Sidecars by the folder they sit in.
    sidecars: HashMap<PathBuf, Sidecar>,
    /// The sidecar files themselves, which are not read as articles.
    sidecar_files: HashSet<PathBuf>,
    bounds: DateBounds,
    given_year: Option<i32>,
}

/// What the archive says about one file.
#[derive(Debug, Clone, Default)]
pub(super) struct FileEvidence {
    row: SidecarRow,
    /// The sidecar's year for the file: its row's, else the sidecar's one year.
    sidecar_year: Option<i32>,
}

impl ArchiveEvidence {
    /// Evidence of input read without any archive around it (standard input).
    pub(super) fn none(options: &ReadOptions) -> ArchiveEvidence {
        ArchiveEvidence {
            sidecars: HashMap::new(),
            sidecar_files: HashSet::new(),
            bounds: DateBounds::until(options.today),
            given_year: options.year,
        }
    }

    /// Surveys the files found under `root`: the sidecars in their folders (up to `root`) and
    /// the newest date their names and the sidecars state. A sidecar that cannot be read comes
    /// back as an error naming it (and its row).
    pub(super) fn survey(
        root: &Path,
        inputs: &[Input],
        options: &ReadOptions,
    ) -> (ArchiveEvidence, Vec<Error>) {
        let mut evidence = ArchiveEvidence::none(options);
        let mut errors = Vec::new();
        let mut newest: Option<Day> = None;
        // sidecars are looked for from each file's folder up to the folder given, or beside
        // the file given
        let top = if root.is_dir() {
            root
        } else {
            root.parent().unwrap_or(root)
        };
        let mut folders = HashSet::new();
        for input in inputs {
            let Input::File(path) = input else { continue };
            newest = newest.max(date::path_date(&path.to_string_lossy(), &evidence.bounds));
            for dir in path.ancestors().skip(1) {
                if !dir.starts_with(top) || !folders.insert(dir.to_path_buf()) || dir == top {
                    break;
                }
            }
        }
        for dir in folders {
            for name in SIDECAR_NAMES {
                let file = dir.join(name);
                if !file.is_file() {
                    continue;
                }
                match read_sidecar(&file, options, &mut errors) {
                    Some(sidecar) => {
                        newest = newest.max(sidecar_newest(&sidecar, &evidence.bounds));
                        evidence.sidecar_files.insert(file);
                        evidence.sidecars.entry(dir.clone()).or_insert(sidecar);
                    }
                    None if name.ends_with(".tsv") => errors.push(bad(
                        file.display().to_string(),
                        format!("sidecar index has no file column (looked for {FILE_COLUMNS:?}); not used"),
                    )),
                    None => {}
                }
            }
        }
        evidence.bounds.newest = newest;
        (evidence, errors)
    }

    /// True for a sidecar index, which is read for what it says of other files, not as an
    /// article.
    pub(super) fn is_sidecar(&self, path: &Path) -> bool {
        self.sidecar_files.contains(path)
    }

    /// What the nearest sidecar listing `path` says about it.
    pub(super) fn file(&self, path: &Path) -> FileEvidence {
        path.ancestors()
            .skip(1)
            .find_map(|dir| {
                let sidecar = self.sidecars.get(dir)?;
                let relative = relative_key(path.strip_prefix(dir).ok()?);
                let row = sidecar.rows.get(&relative)?;
                Some(FileEvidence {
                    row: row.clone(),
                    sidecar_year: row.year.or(sidecar.year),
                })
            })
            .unwrap_or_default()
    }

    /// Fills an article's author, title, date and date source from its metadata (the date as
    /// the record gave it, still in `date`), its file name, the sidecar and its text.
    /// `file_name` is the file it was read from, as its `source` begins.
    pub(super) fn finish(&self, a: &mut Article, file: &FileEvidence, file_name: &str) {
        let path = dating_path(&a.source, file_name);
        if a.author.is_none() {
            a.author = date::file_name_author(path).or_else(|| file.row.author.clone());
        }
        // a sidecar's title is the file's, not each record's
        if a.source == file_name {
            if let Some(title) = &file.row.title {
                a.title = Some(title.clone());
            }
        }
        let metadata = a.date.take();
        let evidence = DateEvidence {
            metadata: metadata.as_deref(),
            path,
            sidecar: file.row.date.as_deref(),
            sidecar_year: file.sidecar_year,
            given_year: self.given_year,
            title: a.title.as_deref(),
            text: &a.text,
        };
        let dated = date::article_date(&evidence, &self.bounds, &mut a.warnings);
        a.date = dated.map(|d| d.day.to_string());
        a.date_source = dated.map(|d| d.source);
    }
}

/// The part of a source that names a file: the source without its record number (`#N`), so
/// `export.jsonl#3` is dated by `export.jsonl` and `a.zip!m/x.txt` by its member's name.
fn dating_path<'s>(source: &'s str, file_name: &str) -> &'s str {
    let Some(rest) = source.strip_prefix(file_name) else {
        return source;
    };
    match rest.rfind('#') {
        Some(hash)
            if hash + 1 < rest.len() && rest[hash + 1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            &source[..file_name.len() + hash]
        }
        _ => source,
    }
}

/// A relative path as sidecars write it: `/`-separated, without `./`.
fn relative_key(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => Some(part.to_string_lossy()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a sidecar index; `None` when it has no file column (then it is no sidecar). Rows that
/// cannot be read are reported in `errors`, naming the sidecar and the row.
fn read_sidecar(path: &Path, options: &ReadOptions, errors: &mut Vec<Error>) -> Option<Sidecar> {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            errors.push(Error::Io {
                path: name,
                source: e,
            });
            return None;
        }
    };
    let Ok(decoded) = decode::decode(&bytes) else {
        errors.push(bad(name, "binary file, not a sidecar index"));
        return None;
    };
    let delimiter = if name.ends_with(".tsv") { b'\t' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .quoting(delimiter == b',')
        .from_reader(decoded.text.as_bytes());
    let header = reader.headers().ok()?.clone();
    let columns = SidecarColumns::new(&header, &options.fields)?;
    let mut sidecar = Sidecar::default();
    for (i, row) in reader.records().enumerate() {
        match row {
            Ok(row) => columns.add(&row, &mut sidecar),
            Err(e) => {
                errors.push(bad(format!("{name}#{}", i + 1), "malformed sidecar row").because(e))
            }
        }
    }
    sidecar.year = common_year(&sidecar);
    Some(sidecar)
}

/// The newest date a sidecar states within the bounds.
fn sidecar_newest(sidecar: &Sidecar, bounds: &DateBounds) -> Option<Day> {
    sidecar
        .rows
        .values()
        .filter_map(|r| r.date.as_deref().and_then(date::metadata_date))
        .filter(|d| bounds.allows(*d))
        .max()
}

/// The one year of all of a sidecar's dates, when they share one.
fn common_year(sidecar: &Sidecar) -> Option<i32> {
    let mut years = sidecar
        .rows
        .values()
        .filter_map(|r| r.date.as_deref().and_then(date::metadata_date))
        .map(Day::year);
    let first = years.next()?;
    years.all(|y| y == first).then_some(first)
}

/// The position of the first of `names` in a header (whatever its case), other than `not`.
fn column<S: AsRef<str>>(
    header: &csv::StringRecord,
    names: &[S],
    not: Option<usize>,
) -> Option<usize> {
    names.iter().find_map(|name| {
        header
            .iter()
            .enumerate()
            .find(|&(i, h)| {
                let h = h.trim().trim_start_matches('\u{feff}');
                Some(i) != not && h.eq_ignore_ascii_case(name.as_ref())
            })
            .map(|(i, _)| i)
    })
}

/// Column positions of a sidecar's header.
struct SidecarColumns {
    file: usize,
    date: Option<usize>,
    author: Option<usize>,
    title: Option<usize>,
    year: Option<usize>,
}

impl SidecarColumns {
    /// The columns of a header, by the record field names; `None` without a file column.
    fn new(header: &csv::StringRecord, fields: &FieldNames) -> Option<SidecarColumns> {
        let file = column(header, FILE_COLUMNS, None)?;
        Some(SidecarColumns {
            file,
            date: column(header, &fields.date, Some(file)),
            author: column(header, &fields.author, Some(file)),
            title: column(header, &fields.title, Some(file)),
            year: column(header, YEAR_COLUMNS, Some(file)),
        })
    }

    /// Adds a row to the sidecar (rows without a file are skipped).
    fn add(&self, row: &csv::StringRecord, sidecar: &mut Sidecar) {
        let get = |i: Option<usize>| {
            i.and_then(|i| row.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let Some(file) = get(Some(self.file)) else {
            return;
        };
        let entry = SidecarRow {
            date: get(self.date),
            author: get(self.author),
            title: get(self.title),
            year: get(self.year).and_then(|y| y.parse().ok()),
        };
        sidecar.rows.insert(relative_key(Path::new(&file)), entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_numbers_are_no_part_of_the_file_name() {
        let cases = [
            ("a/x.jsonl#3", "a/x.jsonl", "a/x.jsonl"),
            ("a/x.txt", "a/x.txt", "a/x.txt"),
            ("a.zip!m/1_23_x.txt", "a.zip", "a.zip!m/1_23_x.txt"),
            ("a.zip!m/x.csv#12", "a.zip", "a.zip!m/x.csv"),
            ("a/复盘#x.txt", "a/复盘#x.txt", "a/复盘#x.txt"),
            ("-", "-", "-"),
        ];
        for (source, file, want) in cases {
            assert_eq!(dating_path(source, file), want, "{source}");
        }
    }

    #[test]
    fn sidecar_keys_are_slash_separated_without_dots() {
        assert_eq!(relative_key(Path::new("./a/b.txt")), "a/b.txt");
        assert_eq!(relative_key(Path::new("b.txt")), "b.txt");
    }
}

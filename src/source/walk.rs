//! Finding the files to read: paths from the command line, directories walked recursively in
//! a stable order, hidden entries and special files skipped, and the files of an archive's
//! housekeeping (README, PROVENANCE, LICENSE, CHANGELOG, SOURCES and index tables) left out
//! unless asked for ([`FileSelection`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::error::Error;

use super::{bad, format_of};

/// File names that describe an archive rather than hold its articles: read as articles, a
/// folder's `README.md` or `PROVENANCE.md` put the collector's notes among the recaps, and since
/// TSV files are read as records, `index.tsv` and `SOURCES.tsv` would put a row per file. Matched
/// case-insensitively against the file name.
pub const DEFAULT_SKIPS: &[&str] = &[
    "README*",
    "PROVENANCE*",
    "LICENSE*",
    "LICENCE*",
    "COPYING*",
    "CHANGELOG*",
    "SOURCES.*",
    "index.tsv",
    "index.csv",
];

/// Which of the files found under a directory or in an archive are read: `--exclude` globs
/// first, then `--include` globs (which also bring in files of other extensions, read as text),
/// then the [`DEFAULT_SKIPS`] (file names only); everything else that has a known extension is
/// read. A glob is matched against the file name and against the path below the directory or
/// inside the archive (`2026/README.md`); `*` stays within a folder, `**` crosses folders. Paths
/// named on the command line are always read.
#[derive(Debug, Clone)]
pub struct FileSelection {
    include: GlobSet,
    exclude: GlobSet,
    skip: GlobSet,
}

impl Default for FileSelection {
    fn default() -> Self {
        FileSelection::new(&[], &[]).expect("the default skips are valid globs")
    }
}

impl FileSelection {
    /// The selection of `--include` and `--exclude` globs (`*`, `?`, `[ab]`, `{a,b}`, `**`).
    pub fn new(
        include: &[String],
        exclude: &[String],
    ) -> std::result::Result<FileSelection, globset::Error> {
        let set = |globs: &mut dyn Iterator<Item = &str>, any_case: bool| {
            let mut set = GlobSetBuilder::new();
            for glob in globs {
                let glob = GlobBuilder::new(glob)
                    .case_insensitive(any_case)
                    .literal_separator(true)
                    .build()?;
                set.add(glob);
            }
            set.build()
        };
        Ok(FileSelection {
            include: set(&mut include.iter().map(String::as_str), false)?,
            exclude: set(&mut exclude.iter().map(String::as_str), false)?,
            skip: set(&mut DEFAULT_SKIPS.iter().copied(), true)?,
        })
    }

    /// Whether the file at `path` (below the directory walked, or inside an archive) is read,
    /// given whether fupan knows its format by its extension.
    pub fn reads(&self, path: &str, known_format: bool) -> bool {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let matches = |set: &GlobSet| set.is_match(name) || set.is_match(path);
        if matches(&self.exclude) {
            return false;
        }
        if matches(&self.include) {
            return true;
        }
        known_format && !self.skip.is_match(name)
    }
}

/// A file to read, found on the command line or under a directory.
#[derive(Debug)]
pub(super) enum Input {
    File(PathBuf),
    Stdin,
    Failed(Error),
}

/// Expands the command-line paths into files, in order: directories recursively and sorted,
/// hidden entries and files not selected skipped, symlink loops detected.
pub(super) fn expand(paths: &[PathBuf], selection: &FileSelection) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut walk = Walk {
                    root: p,
                    selection,
                    seen: HashSet::new(),
                    out: &mut out,
                };
                walk.dir(p, 0);
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

/// One directory given on the command line, being walked.
struct Walk<'a> {
    root: &'a Path,
    selection: &'a FileSelection,
    seen: HashSet<PathBuf>,
    out: &'a mut Vec<Input>,
}

impl Walk<'_> {
    fn dir(&mut self, dir: &Path, depth: usize) {
        let io_err = |e| {
            Input::Failed(Error::Io {
                path: dir.display().to_string(),
                source: e,
            })
        };
        match dir.canonicalize() {
            Ok(c) if self.seen.contains(&c) => {
                self.out.push(Input::Failed(bad(
                    dir.display().to_string(),
                    "directory symlink loop, not followed",
                )));
                return;
            }
            Ok(c) => {
                self.seen.insert(c);
            }
            Err(e) => return self.out.push(io_err(e)),
        }
        if depth > 256 {
            return self.out.push(Input::Failed(bad(
                dir.display().to_string(),
                "directories nested deeper than 256 levels, not followed",
            )));
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return self.out.push(io_err(e)),
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
            self.entry(path, depth);
        }
    }

    fn entry(&mut self, path: PathBuf, depth: usize) {
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => self.dir(&path, depth + 1),
            Ok(m) => {
                let below = path.strip_prefix(self.root).unwrap_or(&path);
                let below = below.to_string_lossy();
                let known = format_of(&below).is_some();
                if !self.selection.reads(&below, known) {
                    return;
                }
                // Opening a FIFO blocks and a device never ends: only named inputs are read as
                // streams, never what a directory happens to hold.
                self.out.push(if m.is_file() {
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
                self.out.push(Input::Failed(
                    bad(path.display().to_string(), what).because(e),
                ));
            }
        }
    }
}

/// Total size in bytes of the files under `paths` that fupan reads (for progress and ETA).
pub fn input_bytes(paths: &[PathBuf], selection: &FileSelection) -> u64 {
    expand(paths, selection)
        .iter()
        .filter_map(|input| match input {
            Input::File(path) => std::fs::metadata(path).ok().map(|m| m.len()),
            _ => None,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn housekeeping_files_are_skipped_unless_included() {
        let default = FileSelection::default();
        for (path, read) in [
            ("2026-03-18.txt", true),
            ("README.md", false),
            ("readme.txt", false),
            ("sub/PROVENANCE.md", false),
            ("LICENSE", false),
            ("SOURCES.tsv", false),
            ("index.tsv", false),
            ("posts.tsv", true),
            ("notes.log", false),
        ] {
            let known = format_of(path).is_some() || path == "LICENSE";
            assert_eq!(default.reads(path, known), read, "{path}");
        }
        let s = |inc: &[&str], exc: &[&str]| {
            let v = |l: &[&str]| l.iter().map(|g| g.to_string()).collect::<Vec<_>>();
            FileSelection::new(&v(inc), &v(exc)).unwrap()
        };
        assert!(s(&["README.md"], &[]).reads("a/README.md", true));
        assert!(s(&["*.log"], &[]).reads("notes.log", false));
        assert!(!s(&[], &["draft*"]).reads("2026/draft-1.txt", true));
        assert!(!s(&[], &["2026/*"]).reads("2026/a.txt", true));
        assert!(
            s(&[], &["2026/*"]).reads("2026/b/a.txt", true),
            "* stays in its folder"
        );
        assert!(!s(&[], &["2026/**"]).reads("2026/b/a.txt", true));
        assert!(
            default.reads("README-notes/2026-03-18.txt", true),
            "skips name files only"
        );
        assert!(
            !s(&["*.txt"], &["a.txt"]).reads("a.txt", true),
            "exclude wins"
        );
        assert!(FileSelection::new(&["[".to_string()], &[]).is_err());
    }
}

//! Finding the files to read: paths from the command line, directories walked recursively in
//! a stable order, hidden entries and special files skipped.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::Error;

use super::{bad, format_of};

/// A file to read, found on the command line or under a directory.
#[derive(Debug)]
pub(super) enum Input {
    File(PathBuf),
    Stdin,
    Failed(Error),
}

/// Expands the command-line paths into files, in order: directories recursively and sorted,
/// hidden entries skipped, symlink loops detected.
pub(super) fn expand(paths: &[PathBuf]) -> Vec<Input> {
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

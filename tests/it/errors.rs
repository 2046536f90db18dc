//! Error messages: each names what failed and says its cause once (causes were once flattened
//! into the message and printed again by the chain: `File exists (os error 17): File exists (os
//! error 17)`, `bad query "stock:": bad query "stock": …`).

use std::fs;

use crate::util::{fupan, stderr};

/// The one `fupan: …` line of a failed run, checked to hold each of `parts` exactly once.
fn said_once(args: &[&str], dir: &std::path::Path, parts: &[&str]) -> String {
    let o = fupan(dir, args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    let err = stderr(&o);
    let line = err
        .lines()
        .find(|l| l.starts_with("fupan: ") && !l.contains(" articles, "))
        .unwrap_or_else(|| panic!("no error line in {err}"))
        .to_string();
    for part in parts {
        assert_eq!(line.matches(part).count(), 1, "{part:?} in {line}");
    }
    line
}

#[test]
fn a_missing_file_is_named_with_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-recap.txt");
    let missing = missing.to_str().unwrap();
    said_once(
        &["extract", missing],
        dir.path(),
        &[missing, "(os error 2)"],
    );
}

#[test]
fn a_bad_index_directory_is_named_with_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    fs::create_dir(&index).unwrap();
    fs::write(index.join("meta.json"), "not json").unwrap();
    let index = index.to_str().unwrap();
    let line = said_once(&["search", "--index", index, "算力"], dir.path(), &[index]);
    assert!(line.contains("meta.json"), "{line}");

    let file = dir.path().join("a-file");
    fs::write(&file, "x").unwrap();
    let file = file.to_str().unwrap();
    let corpus = crate::util::repo().join("corpus");
    said_once(
        &["index", "--index", file, corpus.to_str().unwrap()],
        dir.path(),
        &[file, "(os error"],
    );
}

#[test]
fn a_bad_query_is_named_with_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    let corpus = crate::util::repo().join("corpus").join("recap-2024-03.txt");
    let o = fupan(
        dir.path(),
        &[
            "index",
            "-q",
            "--index",
            index.to_str().unwrap(),
            corpus.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let index = index.to_str().unwrap();
    for (query, cause) in [
        ("stock:", "needs a value"),
        ("date:2024-13-01", "dates are YYYY-MM-DD"),
        ("kind:nope", "unknown claim kind"),
    ] {
        said_once(
            &["search", "--index", index, query],
            dir.path(),
            &["bad query", cause],
        );
    }
}

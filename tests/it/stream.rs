//! `fupan extract --stdin-format`: records from standard input, read by the same record code as
//! files, with the input's id echoed, a source field dated as a file name, and `--on-error`.

use serde_json::Value;

use crate::util::{fupan, fupan_stdin, json_lines, repo, stderr};

/// The record without the field that names where it was read.
fn without_source(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("source");
    v
}

#[test]
fn jsonl_on_stdin_gives_the_records_of_the_same_file() {
    let file = fupan(&repo(), &["extract", "-q", "corpus/posts.jsonl"]);
    let bytes = std::fs::read(repo().join("corpus/posts.jsonl")).unwrap();
    let piped = fupan_stdin(
        &repo(),
        &["extract", "-q", "--stdin-format", "jsonl", "-"],
        &bytes,
    );
    assert!(piped.status.success(), "{}", stderr(&piped));
    let (file, piped) = (json_lines(&file), json_lines(&piped));
    assert!(file.len() >= 2);
    assert_eq!(file.len(), piped.len());
    for (i, (f, p)) in file.into_iter().zip(piped).enumerate() {
        assert_eq!(p["source"], format!("-#{}", i + 1));
        assert_eq!(without_source(f), without_source(p));
    }
}

#[test]
fn ids_are_echoed_and_source_fields_date_the_record() {
    let input = "{\"rid\":\"r-1\",\"path\":\"recaps/2024-03-18_老股民_77.txt\",\"text\":\"利通电子涨停\"}\n\
                 {\"rid\":\"r-2\",\"text\":\"润泽科技\"}\n";
    let o = fupan_stdin(
        &repo(),
        &[
            "extract",
            "-q",
            "--stdin-format",
            "jsonl",
            "--id-field",
            "rid",
            "--source-field",
            "path",
            "-",
        ],
        input.as_bytes(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let records = json_lines(&o);
    assert_eq!(records[0]["input_id"], "r-1");
    assert_eq!(records[0]["source"], "recaps/2024-03-18_老股民_77.txt");
    assert_eq!(records[0]["date"], "2024-03-18");
    assert_eq!(records[0]["date_source"], "file_name");
    assert_eq!(records[0]["stocks"][0]["code"], "603629");
    assert_eq!(records[1]["input_id"], "r-2");
    assert_eq!(records[1]["source"], "-#2");
    // without --id-field there is no input_id at all
    let o = fupan_stdin(
        &repo(),
        &["extract", "-q", "--stdin-format", "jsonl", "-"],
        input.as_bytes(),
    );
    assert!(json_lines(&o).iter().all(|r| r.get("input_id").is_none()));
}

const MIXED: &str = "{\"id\":\"a\",\"text\":\"利通电子\"}\n\
                     not json\n\
                     {\"id\":\"b\",\"note\":\"no text here\"}\n\
                     {\"id\":\"c\",\"text\":\"润泽科技\"}\n";

fn run_mixed(on_error: &str) -> std::process::Output {
    fupan_stdin(
        &repo(),
        &[
            "extract",
            "-q",
            "--stdin-format",
            "jsonl",
            "--id-field",
            "id",
            "--on-error",
            on_error,
            "-",
        ],
        MIXED.as_bytes(),
    )
}

#[test]
fn on_error_record_writes_errors_in_their_place_and_exits_0() {
    let o = run_mixed("record");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["input_id"], "a");
    assert!(lines[0].get("stocks").is_some());
    assert_eq!(lines[1]["input_id"], Value::Null);
    assert_eq!(lines[1]["source"], "-#2");
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("malformed JSON"));
    assert_eq!(lines[2]["input_id"], "b");
    assert!(lines[2]["error"].as_str().unwrap().contains("-#3"));
    assert!(lines[2].get("stocks").is_none());
    assert_eq!(lines[3]["input_id"], "c");
}

#[test]
fn on_error_skip_exits_0_and_fail_exits_2_both_going_on() {
    let skip = run_mixed("skip");
    assert_eq!(skip.status.code(), Some(0));
    let fail = run_mixed("fail");
    assert_eq!(fail.status.code(), Some(2));
    for o in [&skip, &fail] {
        let ids: Vec<Value> = json_lines(o)
            .iter()
            .map(|r| r["input_id"].clone())
            .collect();
        assert_eq!(ids, ["a", "c"]);
        assert!(stderr(o).contains("-#2: malformed JSON"), "{}", stderr(o));
        assert!(stderr(o).contains("-#3"), "{}", stderr(o));
    }
}

#[test]
fn csv_and_tsv_on_stdin_read_as_the_files_do() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "id,标题,正文,日期\n7,周一复盘,\"利通电子涨停, 润泽科技跟涨\",2024-03-18\n8,,,\n";
    std::fs::write(dir.path().join("in.csv"), csv).unwrap();
    let file = json_lines(&fupan(
        dir.path(),
        &["extract", "-q", "--id-field", "id", "in.csv"],
    ));
    let o = fupan_stdin(
        dir.path(),
        &[
            "extract",
            "-q",
            "--stdin-format",
            "csv",
            "--id-field",
            "id",
            "--on-error",
            "record",
            "-",
        ],
        csv.as_bytes(),
    );
    let piped = json_lines(&o);
    assert_eq!(piped.len(), 2);
    assert_eq!(
        without_source(file[0].clone()),
        without_source(piped[0].clone())
    );
    assert_eq!(piped[0]["input_id"], "7");
    assert_eq!(piped[0]["date"], "2024-03-18");
    assert_eq!(piped[1]["input_id"], "8");
    assert!(piped[1]["error"]
        .as_str()
        .unwrap()
        .contains("no title or text"));
    let tsv = csv.replace(',', "\t").replace(
        "\"利通电子涨停\t 润泽科技跟涨\"",
        "利通电子涨停 润泽科技跟涨",
    );
    let o = fupan_stdin(
        dir.path(),
        &["extract", "-q", "--stdin-format", "tsv", "-"],
        tsv.as_bytes(),
    );
    let piped = json_lines(&o);
    assert_eq!(piped[0]["stocks"].as_array().unwrap().len(), 2);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn text_on_stdin_is_one_article_per_line() {
    let o = fupan_stdin(
        &repo(),
        &["extract", "-q", "--stdin-format", "text", "-"],
        "利通电子涨停\n\n润泽科技跟涨\n".as_bytes(),
    );
    let records = json_lines(&o);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["source"], "-#1");
    assert_eq!(records[1]["source"], "-#3");
    assert_eq!(records[1]["stocks"][0]["code"], "300442");
    // without --stdin-format, standard input stays one article
    let o = fupan_stdin(
        &repo(),
        &["extract", "-q", "-"],
        "利通电子涨停\n\n润泽科技跟涨\n".as_bytes(),
    );
    assert_eq!(json_lines(&o).len(), 1);
}

#[test]
fn stdin_format_wants_standard_input_alone() {
    let o = fupan(
        &repo(),
        &["extract", "--stdin-format", "jsonl", "corpus/posts.jsonl"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--stdin-format"), "{}", stderr(&o));
    let o = fupan(&repo(), &["extract", "--stdin-format", "xml", "-"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("jsonl, csv, tsv or text"),
        "{}",
        stderr(&o)
    );
}

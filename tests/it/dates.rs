//! Integration tests for article dates and authors: where each date comes from (`date_source`),
//! Beijing epochs, implausible dates in running text, file names, sidecar indexes and `--year`.

use std::path::Path;

use serde_json::Value;

use crate::util::{fupan, stderr, stdout};

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The records of `fupan extract ARGS` run in `dir`, which must succeed.
fn extract(dir: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["extract"];
    all.extend_from_slice(args);
    let o = fupan(dir, &all);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

/// The record whose source ends with `name`.
fn by_source<'r>(records: &'r [Value], name: &str) -> &'r Value {
    records
        .iter()
        .find(|r| r["source"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("no record from {name}"))
}

/// `(date, date_source)` of a record, `null` as `None`.
fn dated(record: &Value) -> (Option<&str>, Option<&str>) {
    (record["date"].as_str(), record["date_source"].as_str())
}

#[test]
fn epochs_in_metadata_are_beijing_time() {
    // 2024-03-01T01:30:00+08:00 is 2024-02-29T17:30:00Z: read as UTC it lands on the 29th
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "news.jsonl",
        concat!(
            r#"{"text": "利通电子涨停", "pub_time": 1709227800}"#,
            "\n",
            r#"{"text": "利通电子涨停", "created_at": "1709227800000"}"#,
            "\n",
            r#"{"text": "利通电子涨停", "发布时间": "2024-03-01 01:30:00"}"#,
            "\n",
            r#"{"text": "利通电子涨停", "ctime": "2024-02-29T17:30:00Z"}"#,
            "\n",
        ),
    );
    let rs = extract(dir.path(), &["news.jsonl"]);
    assert_eq!(rs.len(), 4);
    for r in &rs {
        assert_eq!(dated(r), (Some("2024-03-01"), Some("metadata")), "{r}");
    }
}

#[test]
fn metadata_authors_under_more_column_names() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "posts.csv",
        "nickname,publish_date,content\n短狙作手,2026-03-02,利通电子涨停\n",
    );
    let rs = extract(dir.path(), &["posts.csv"]);
    assert_eq!(rs[0]["author"], "短狙作手");
    assert_eq!(dated(&rs[0]), (Some("2026-03-02"), Some("metadata")));
}

#[test]
fn implausible_dates_in_text_are_not_taken() {
    let dir = tempfile::tempdir().unwrap();
    // a 2018 post recalling the 1987 crash: before 1990 and decades from its folder's year
    write(
        dir.path(),
        "sina_2018/股灾.txt",
        "回顾1987年10月16日的黑色星期五，今天大盘先抑后扬。",
    );
    // the same post with its own date further on
    write(
        dir.path(),
        "sina_2018/股灾再看.txt",
        "股灾再看\n回顾1998年10月16日的股灾。2018年1月5日收盘，大盘先抑后扬。",
    );
    // a news item naming its target: after today, the next date is the article's
    write(
        dir.path(),
        "news/规划.txt",
        "算力网规划\n到2099年12月31日建成全国算力网。2021年3月5日，工信部发布通知。",
    );
    let rs = extract(dir.path(), &["sina_2018", "news"]);
    assert_eq!(dated(by_source(&rs, "股灾.txt")), (None, None));
    assert_eq!(
        dated(by_source(&rs, "股灾再看.txt")),
        (Some("2018-01-05"), Some("text"))
    );
    assert_eq!(
        dated(by_source(&rs, "规划.txt")),
        (Some("2021-03-05"), Some("text"))
    );
}

#[test]
fn a_target_year_in_a_headline_is_not_the_date() {
    // a headline with the plan's end date, and nothing else to date the item by
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "items.jsonl",
        concat!(
            r#"{"headline": "2030年12月31日前建成十个国家级算力枢纽", "text": "发改委表示，将推进算力网建设。"}"#,
            "\n",
        ),
    );
    let rs = extract(dir.path(), &["items.jsonl"]);
    assert_eq!(dated(&rs[0]), (None, None));
}

#[test]
fn dates_in_text_are_not_after_the_newest_date_the_archive_states() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "posts/2026-03-02_短狙作手_2pJFvs1WBV1.txt",
        "周一复盘\n利通电子涨停。",
    );
    write(
        dir.path(),
        "posts/展望.txt",
        "算力展望\n2026年6月30日前，公司算力规模将达到3000P。2026年2月27日发布。",
    );
    let rs = extract(dir.path(), &["posts"]);
    assert_eq!(
        dated(by_source(&rs, "展望.txt")),
        (Some("2026-02-27"), Some("text"))
    );
}

#[test]
fn taoguba_file_names_give_date_and_author() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "taoguba/2026-02-24_jl韭菜抄家_2pGgGzroJ5a.txt",
        "2026年2月23日 周一复盘\n利通电子涨停。",
    );
    write(
        dir.path(),
        "taoguba/short/2026-01-04_只核大学生_2ojQO8XisVA.txt",
        "今日份思考0104",
    );
    let rs = extract(dir.path(), &["taoguba"]);
    let post = by_source(&rs, "2pGgGzroJ5a.txt");
    assert_eq!(dated(post), (Some("2026-02-24"), Some("file_name")));
    assert_eq!(post["author"], "jl韭菜抄家");
    let short = by_source(&rs, "2ojQO8XisVA.txt");
    assert_eq!(dated(short), (Some("2026-01-04"), Some("file_name")));
    assert_eq!(short["author"], "只核大学生");
}

#[test]
fn a_sidecar_index_dates_names_and_titles_the_files_it_lists() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "archive/index.tsv",
        "file\tdate\tauthor\ttitle\tchars\n\
         sub/a.txt\t2026-01-05\t小宝1105\t今日份思考0105\t20\n\
         b.txt\t1709227800\t延边刺客\t周五复盘\t20\n",
    );
    write(dir.path(), "archive/sub/a.txt", "利通电子涨停。");
    write(dir.path(), "archive/b.txt", "润泽科技涨停。");
    write(dir.path(), "archive/c.txt", "中文在线涨停。");
    let rs = extract(dir.path(), &["archive"]);
    let sources: Vec<&str> = rs.iter().map(|r| r["source"].as_str().unwrap()).collect();
    assert_eq!(
        sources,
        ["archive/b.txt", "archive/c.txt", "archive/sub/a.txt"],
        "the sidecar is no article"
    );
    let a = by_source(&rs, "sub/a.txt");
    assert_eq!(dated(a), (Some("2026-01-05"), Some("sidecar")));
    assert_eq!(a["author"], "小宝1105");
    assert_eq!(a["title"], "今日份思考0105");
    let b = by_source(&rs, "b.txt");
    assert_eq!(dated(b), (Some("2024-03-01"), Some("sidecar")));
    assert_eq!(b["author"], "延边刺客");
    let c = by_source(&rs, "c.txt");
    assert_eq!(dated(c), (None, None));
    assert_eq!(c["author"], Value::Null);
}

#[test]
fn a_sidecar_csv_is_read_as_a_sidecar_not_as_articles() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "archive/index.csv",
        "file,date,title\nx.txt,2025-11-03,算力租赁周报\n",
    );
    write(dir.path(), "archive/x.txt", "利通电子在手3000P。");
    let rs = extract(dir.path(), &["archive"]);
    assert_eq!(rs.len(), 1, "{rs:?}");
    assert_eq!(dated(&rs[0]), (Some("2025-11-03"), Some("sidecar")));
    assert_eq!(rs[0]["title"], "算力租赁周报");
}

#[test]
fn a_sidecar_without_a_file_column_is_reported_by_name() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "archive/index.tsv",
        "name\tdate\nx.txt\t2025-11-03\n",
    );
    write(dir.path(), "archive/x.txt", "利通电子涨停。");
    let o = fupan(dir.path(), &["extract", "archive"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("archive/index.tsv: sidecar index has no file column"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(stdout(&o).lines().count(), 1, "the batch goes on");
}

#[test]
fn month_and_day_file_names_are_dated_only_with_a_known_year() {
    let dir = tempfile::tempdir().unwrap();
    let text = "十大名博看后市：大盘会涨到让你怀疑人生吗";
    write(dir.path(), "em/1_23_十大名博看后市.txt", text);
    write(dir.path(), "em_2018/1_24_十大名博看后市.txt", text);
    let rs = extract(dir.path(), &["em", "em_2018"]);
    assert_eq!(
        dated(by_source(&rs, "1_23_十大名博看后市.txt")),
        (None, None)
    );
    assert_eq!(
        dated(by_source(&rs, "1_24_十大名博看后市.txt")),
        (Some("2018-01-24"), Some("file_name"))
    );
    let rs = extract(dir.path(), &["--year", "2018", "em"]);
    assert_eq!(dated(&rs[0]), (Some("2018-01-23"), Some("file_name")));
    let o = fupan(dir.path(), &["extract", "--year", "87", "em"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--year"), "{}", stderr(&o));
}

#[test]
fn every_date_has_its_source_and_no_source_is_without_a_date() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/2026-03-18_复盘.txt", "利通电子涨停。");
    write(dir.path(), "a/b.txt", "2026年3月17日\n润泽科技涨停。");
    write(dir.path(), "a/c.txt", "中文在线涨停。");
    let rs = extract(dir.path(), &["a"]);
    assert_eq!(rs.len(), 3);
    for r in &rs {
        assert!(r.get("date_source").is_some(), "always present: {r}");
        assert_eq!(r["date"].is_null(), r["date_source"].is_null(), "{r}");
    }
    assert_eq!(
        dated(by_source(&rs, "b.txt")),
        (Some("2026-03-17"), Some("title"))
    );
}

#[test]
fn the_articles_table_says_where_each_date_came_from() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/2026-03-18_复盘.txt", "利通电子涨停。");
    write(dir.path(), "a/c.txt", "中文在线涨停。");
    let o = fupan(dir.path(), &["extract", "a", "-o", "out.jsonl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = fupan(
        dir.path(),
        &[
            "export",
            "articles",
            "--from-jsonl",
            "out.jsonl",
            "-f",
            "csv",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = header.iter().position(|h| *h == "date_source").unwrap();
    assert_eq!(header[column - 1], "date");
    let sources: Vec<&str> = lines.map(|l| l.split(',').nth(column).unwrap()).collect();
    assert_eq!(sources, ["file_name", ""]);
}

#[test]
fn metadata_dates_that_cannot_be_used_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "items.jsonl",
        concat!(
            r#"{"title": "2026年3月2日午评", "text": "利通电子涨停", "date": "2030-12-31"}"#,
            "\n",
            r#"{"title": "午评", "text": "利通电子涨停", "date": "明天"}"#,
            "\n",
        ),
    );
    let rs = extract(dir.path(), &["items.jsonl"]);
    assert_eq!(dated(&rs[0]), (Some("2026-03-02"), Some("title")));
    let warnings = rs[0]["warnings"].to_string();
    assert!(
        warnings.contains("2030-12-31") && warnings.contains("not used"),
        "{warnings}"
    );
    assert_eq!(dated(&rs[1]), (None, None));
    assert!(rs[1]["warnings"].to_string().contains("明天"), "{}", rs[1]);
}

#[test]
fn a_sidecar_year_dates_month_and_day_file_names() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "em/index.csv",
        "file,year\n1_23_十大名博看后市.txt,2018\n",
    );
    write(
        dir.path(),
        "em/1_23_十大名博看后市.txt",
        "大盘会涨到让你怀疑人生吗",
    );
    write(dir.path(), "em/1_24_十大名博看后市.txt", "创业板惊天大反击");
    let rs = extract(dir.path(), &["em"]);
    assert_eq!(rs.len(), 2, "the sidecar is no article");
    assert_eq!(
        dated(by_source(&rs, "1_23_十大名博看后市.txt")),
        (Some("2018-01-23"), Some("file_name"))
    );
    assert_eq!(
        dated(by_source(&rs, "1_24_十大名博看后市.txt")),
        (None, None)
    );
}

#[test]
fn a_sources_list_dates_the_files_it_lists_and_their_periods() {
    // a scraped collection keeps its dates in SOURCES.tsv (file, url, site, date); an empty date
    // leaves the file undated, and a dated file's 今年上半年 is that year's first half
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "news/SOURCES.tsv",
        "file\turl\tsite\tdate\tscript\n\
         a.txt\thttps://example.com/a\texample.com\t2025-08-21\tsimplified\n\
         b.txt\thttps://example.com/b\texample.com\t\tsimplified\n",
    );
    write(
        dir.path(),
        "news/a.txt",
        "（无标题）\n\n中际旭创今年上半年营业收入同比增长37%。",
    );
    write(
        dir.path(),
        "news/b.txt",
        "（无标题）\n\n中际旭创今年上半年营业收入同比增长37%。",
    );
    let rs = extract(dir.path(), &["news"]);
    assert_eq!(rs.len(), 2, "the sources list is no article: {rs:?}");
    let a = by_source(&rs, "a.txt");
    assert_eq!(dated(a), (Some("2025-08-21"), Some("sidecar")));
    assert_eq!(a["claims"][0]["period"], "2025H1", "{a}");
    let b = by_source(&rs, "b.txt");
    assert_eq!(dated(b), (None, None));
    assert_eq!(b["claims"][0]["period"], Value::Null, "{b}");
}

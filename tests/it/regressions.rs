//! Crashes and wrong answers of issue 20, each on the real binary: huge `--limit`/`--offset`, a
//! reader that goes away, a read-only index, text that looks like a tag, zip and tar member
//! names in GBK, TSV files, inputs and flags that cannot give an answer, and an archive's
//! housekeeping files.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::util::{fupan, repo, stderr, stdout};

/// A temporary directory holding an index of the bundled corpus in `idx/`.
fn indexed_corpus() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = repo().join("corpus");
    let o = fupan(
        tmp.path(),
        &["index", "-q", "--index", "idx", corpus.to_str().unwrap()],
    );
    assert!(o.status.success(), "index failed: {}", stderr(&o));
    tmp
}

fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON {l:?}: {e}")))
        .collect()
}

/// `fupan extract` of `paths` in `dir`: the records and the run.
fn extract(dir: &Path, args: &[&str]) -> (Vec<Value>, Output) {
    let mut all = vec!["extract", "-q"];
    all.extend(args);
    let o = fupan(dir, &all);
    (json_lines(&o), o)
}

fn sources(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["source"].as_str().unwrap().to_string())
        .collect()
}

/// Asserts a run failed with exit code 2 and one `fupan:` line holding every one of `parts`,
/// and no panic.
fn fails_saying(o: &Output, parts: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("fupan: ") && parts.iter().all(|p| l.contains(p))),
        "{parts:?} not said in: {err}"
    );
}

#[test]
fn search_with_a_huge_limit_or_offset_neither_panics_nor_allocates_by_it() {
    let tmp = indexed_corpus();
    let all = fupan(
        tmp.path(),
        &["search", "--index", "idx", "--json", "--limit", "1000"],
    );
    assert!(all.status.success(), "{}", stderr(&all));
    let articles = json_lines(&all).len();
    assert!(
        articles >= 5,
        "the corpus has five files and a JSONL export"
    );

    let max = u64::MAX.to_string();
    let huge = fupan(
        tmp.path(),
        &["search", "", "--index", "idx", "--json", "--limit", &max],
    );
    assert_eq!(huge.status.code(), Some(0), "{}", stderr(&huge));
    assert_eq!(
        json_lines(&huge).len(),
        articles,
        "a huge limit is all hits"
    );

    let i64_max = i64::MAX.to_string();
    for offset in ["10", "3", max.as_str()] {
        let args = [
            "search",
            "",
            "--index",
            "idx",
            "--json",
            "--limit",
            i64_max.as_str(),
            "--offset",
            offset,
        ];
        let o = fupan(tmp.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{offset}: {}", stderr(&o));
        let hits = json_lines(&o);
        let skip: usize = offset.parse().unwrap_or(usize::MAX);
        assert_eq!(hits.len(), articles.saturating_sub(skip), "offset {offset}");
        if let Some(first) = hits.first() {
            assert_eq!(first["rank"], skip + 1);
        }
    }
    let claims = fupan(
        tmp.path(),
        &[
            "search", "--index", "idx", "--claims", "--json", "--limit", &max,
        ],
    );
    assert_eq!(claims.status.code(), Some(0), "{}", stderr(&claims));
    assert!(!json_lines(&claims).is_empty());
}

/// Runs fupan with its standard output a pipe whose reader has already gone.
fn into_closed_pipe(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fupan"))
        .args(args)
        .current_dir(dir)
        .env_remove("FUPAN_INDEX")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run fupan");
    // the reader goes away before fupan writes a byte (it first loads its dictionaries)
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn every_command_ends_quietly_when_its_reader_goes_away() {
    let tmp = indexed_corpus();
    let dir = tmp.path();
    let corpus = repo().join("corpus");
    let corpus = corpus.to_str().unwrap();
    let recap = repo().join("corpus/recap-2024-03.txt");
    let gold = repo().join("tests/data");
    let commands: &[&[&str]] = &[
        &["extract", corpus],
        &[
            "eval",
            "--gold",
            gold.to_str().unwrap(),
            recap.to_str().unwrap(),
            "--json",
        ],
        &[
            "eval",
            "--gold",
            gold.to_str().unwrap(),
            recap.to_str().unwrap(),
        ],
        &["search", "--index", "idx", "--json", "算力"],
        &["search", "--index", "idx", "算力"],
        &["stats", "--index", "idx"],
        &["export", "claims", "--index", "idx"],
    ];
    for args in commands {
        let o = into_closed_pipe(dir, args);
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
    }
}

#[test]
fn eval_json_says_fn_not_fn_underscore() {
    let dir = tempfile::tempdir().unwrap();
    let recap = repo().join("corpus/recap-2024-03.txt");
    let gold = repo().join("tests/data");
    let o = fupan(
        dir.path(),
        &[
            "eval",
            "--gold",
            gold.to_str().unwrap(),
            recap.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    for counts in [&report["stocks"], &report["claims"]] {
        assert!(counts["fn"].is_u64(), "{counts}");
        assert!(counts.get("fn_").is_none(), "{counts}");
    }
}

/// Every file under `dir` with its size, to see that nothing was created or changed.
fn listing(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        if meta.is_dir() {
            out.extend(listing(&entry.path()));
        } else {
            out.push((entry.path(), meta.len()));
        }
    }
    out.sort();
    out
}

/// `chmod -R a-w` (or back to `u+w`).
fn set_writable(dir: &Path, writable: bool) {
    use std::os::unix::fs::PermissionsExt;
    let mode = |m: u32| if writable { m | 0o200 } else { m & !0o222 };
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            set_writable(&path, writable);
        } else {
            let m = fs::metadata(&path).unwrap().permissions().mode();
            fs::set_permissions(&path, fs::Permissions::from_mode(mode(m))).unwrap();
        }
    }
    let m = fs::metadata(dir).unwrap().permissions().mode();
    fs::set_permissions(dir, fs::Permissions::from_mode(mode(m))).unwrap();
}

/// True when `runuser -u nobody` can run this fupan binary: then a root test can still search
/// as a user without write permission.
fn nobody_can_run_fupan() -> bool {
    Command::new("runuser")
        .args([
            "-u",
            "nobody",
            "--",
            env!("CARGO_BIN_EXE_fupan"),
            "--version",
        ])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs fupan as `nobody` in `dir`.
fn fupan_as_nobody(dir: &Path, args: &[&str]) -> Output {
    Command::new("runuser")
        .args(["-u", "nobody", "--", env!("CARGO_BIN_EXE_fupan")])
        .args(args)
        .current_dir(dir)
        .env_remove("FUPAN_INDEX")
        .output()
        .expect("run fupan as nobody")
}

#[test]
fn a_read_only_index_can_be_searched_without_taking_the_writers_lock() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = indexed_corpus();
    let index = tmp.path().join("idx");
    // tantivy writes its two lists of files readable by their owner only; the index makes them
    // as readable as the rest (as the writer's lock file, made with the umask)
    let mode = |name: &str| fs::metadata(index.join(name)).unwrap().permissions().mode();
    let shared = mode(".tantivy-writer.lock") & 0o044;
    for name in ["meta.json", ".managed.json"] {
        assert_eq!(mode(name) & 0o044, shared, "{name} readable as the rest");
    }
    // the lock files the writer left are not the reader's to need
    for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
        let _ = fs::remove_file(index.join(lock));
    }
    let before = listing(&index);
    set_writable(&index, false);
    let probe = index.join("probe");
    let enforced = fs::write(&probe, "x").is_err();
    if !enforced {
        let _ = fs::remove_file(&probe);
        eprintln!(
            "NOTE: running as root, so permissions are not enforced for this user: checking \
             that searching succeeds and creates no file in the index, then (when runuser \
             can) searching and indexing as `nobody`"
        );
    }
    let runs: &[&[&str]] = &[
        &["search", "--index", "idx", "算力"],
        &[
            "search",
            "--index",
            "idx",
            "--claims",
            "--kind",
            "capital_flow",
        ],
        &["stats", "--index", "idx"],
        &["export", "articles", "--index", "idx"],
    ];
    for args in runs {
        let o = fupan(tmp.path(), args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(!stdout(&o).is_empty(), "{args:?}");
    }
    // root ignores permissions, but `nobody` does not: a user who may read but not write
    let as_nobody = !enforced && nobody_can_run_fupan();
    if as_nobody {
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
        for args in runs {
            let o = fupan_as_nobody(tmp.path(), args);
            assert_eq!(o.status.code(), Some(0), "nobody {args:?}: {}", stderr(&o));
            assert!(!stdout(&o).is_empty(), "nobody {args:?}");
        }
    } else if !enforced {
        eprintln!("NOTE: `runuser -u nobody` cannot run fupan here: not searched as another user");
    }
    assert_eq!(listing(&index), before, "reading created or changed a file");
    if enforced || as_nobody {
        let run = |args: &[&str]| match enforced {
            true => fupan(tmp.path(), args),
            false => fupan_as_nobody(tmp.path(), args),
        };
        let corpus = repo().join("corpus");
        let o = run(&["index", "--index", "idx", corpus.to_str().unwrap()]);
        fails_saying(&o, &["cannot write to this index", "os error 13"]);
        assert!(!stderr(&o).contains("another"), "{}", stderr(&o));
    }
    set_writable(&index, true);
}

#[test]
fn text_that_looks_like_a_tag_is_kept_in_markdown_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("screen.md"),
        "筛选：市盈率<10倍且ROE>15%的**低估值**标的\n\n正文 <b>加粗</b> [链接](http://x)\n",
    )
    .unwrap();
    fs::write(
        d.join("screen.html"),
        "<html><body><p>筛选：市盈率<10倍且ROE>15%&amp;高股息</p><p>正文</p></body></html>",
    )
    .unwrap();
    fs::write(
        d.join("titled.html"),
        "<html><head><title>周五复盘 &amp; 展望</title></head><body><p>正文</p></body></html>",
    )
    .unwrap();
    fs::write(d.join("titled.md"), "# 周五复盘\n\n正文 a<b 且 c>d\n").unwrap();
    let (records, o) = extract(d, &["."]);
    assert!(o.status.success(), "{}", stderr(&o));
    let title = |name: &str| {
        let r = records
            .iter()
            .find(|r| r["source"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not read"));
        r["title"].as_str().unwrap().to_string()
    };
    assert_eq!(title("screen.md"), "筛选：市盈率<10倍且ROE>15%的低估值标的");
    assert_eq!(title("screen.html"), "筛选：市盈率<10倍且ROE>15%&高股息");
    assert_eq!(title("titled.html"), "周五复盘 & 展望");
    assert_eq!(title("titled.md"), "周五复盘");
}

/// A zip archive of stored members whose names are the given bytes, without the UTF-8 flag
/// (as Chinese Windows tools write them).
fn zip_with_raw_names(members: &[(&[u8], &str)]) -> Vec<u8> {
    let mut zip = Vec::new();
    let mut central = Vec::new();
    for (name, text) in members {
        let mut crc = flate2::Crc::new();
        crc.update(text.as_bytes());
        let offset = zip.len() as u32;
        let size = text.len() as u32;
        let common = |out: &mut Vec<u8>| {
            out.extend_from_slice(&20u16.to_le_bytes()); // version needed
            out.extend_from_slice(&0u16.to_le_bytes()); // flags: no UTF-8 bit
            out.extend_from_slice(&0u16.to_le_bytes()); // stored
            out.extend_from_slice(&0u32.to_le_bytes()); // time and date
            out.extend_from_slice(&crc.sum().to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // extra field
        };
        zip.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut zip);
        zip.extend_from_slice(name);
        zip.extend_from_slice(text.as_bytes());
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let at = zip.len() as u32;
    let count = members.len() as u16;
    zip.extend_from_slice(&central);
    zip.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    zip.extend_from_slice(&[0; 4]); // disk numbers
    zip.extend_from_slice(&count.to_le_bytes());
    zip.extend_from_slice(&count.to_le_bytes());
    zip.extend_from_slice(&(central.len() as u32).to_le_bytes());
    zip.extend_from_slice(&at.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip
}

/// `text` in GBK.
fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(text).0.into_owned()
}

#[test]
fn archive_member_names_in_gbk_are_read_as_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = "利通电子涨停，北向资金净卖出31.38亿元。";
    let gbk_name = gbk("小宝1105/临盘2026-03-18.txt");
    fs::write(
        d.join("posts.zip"),
        zip_with_raw_names(&[
            (&gbk_name, body),
            ("utf8名.txt".as_bytes(), body),
            (b"plain.txt", body),
        ]),
    )
    .unwrap();
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(body.len() as u64);
    header.set_mode(0o644);
    {
        use std::os::unix::ffi::OsStrExt;
        let name = gbk("复盘.txt");
        header.set_path(std::ffi::OsStr::from_bytes(&name)).unwrap();
    }
    header.set_cksum();
    tar.append(&header, body.as_bytes()).unwrap();
    fs::write(d.join("posts.tar"), tar.into_inner().unwrap()).unwrap();

    let (records, o) = extract(d, &["posts.zip", "posts.tar"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        sources(&records),
        [
            "posts.zip!小宝1105/临盘2026-03-18.txt",
            "posts.zip!utf8名.txt",
            "posts.zip!plain.txt",
            "posts.tar!复盘.txt",
        ]
    );
    assert_eq!(
        records[0]["date"], "2026-03-18",
        "the date in the GBK name is read"
    );
}

#[test]
fn tsv_files_are_read_as_records_like_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("posts.tsv"),
        "标题\t正文\t日期\n周五复盘\t利通电子涨停\t2026-03-20\n\"带\t制表符\"\t\"润泽科技\n连板\"\t2026-03-21\n",
    )
    .unwrap();
    let (records, o) = extract(d, &["posts.tsv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(sources(&records), ["posts.tsv#1", "posts.tsv#2"]);
    assert_eq!(records[0]["title"], "周五复盘");
    assert_eq!(records[0]["date"], "2026-03-20");
    assert_eq!(records[1]["title"], "带\t制表符");
    assert_eq!(records[0]["stocks"][0]["name"], "利通电子");

    fs::write(d.join("bad.tsv"), "a\tb\n1\t2\n").unwrap();
    let (records, o) = extract(d, &["bad.tsv", "posts.tsv"]);
    fails_saying(&o, &["bad.tsv", "no text column"]);
    assert_eq!(records.len(), 2, "the rest of the batch goes on");
}

#[test]
fn eval_with_nothing_to_evaluate_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("gold")).unwrap();
    fs::create_dir(d.join("articles")).unwrap();
    fs::write(
        d.join("gold/a.gold.json"),
        r#"{"article": "a.txt", "stocks": [], "claims": []}"#,
    )
    .unwrap();
    fs::write(d.join("articles/other.txt"), "利通电子涨停").unwrap();
    let o = fupan(d, &["eval", "--gold", "gold", "articles"]);
    fails_saying(&o, &["nothing to evaluate", "none of the 1 gold articles"]);

    fs::write(d.join("articles/a.txt"), "今天天气不错，没有个股。").unwrap();
    let o = fupan(d, &["eval", "--gold", "gold", "articles"]);
    fails_saying(
        &o,
        &["nothing to evaluate", "annotate no stock and no claim"],
    );

    let o = fupan(d, &["eval", "--gold", "articles", "articles"]);
    fails_saying(&o, &["no *.gold.json files in articles"]);
}

#[test]
fn export_refuses_flags_that_contradict_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let recap = repo().join("corpus/recap-2024-03.txt");
    let o = fupan(
        d,
        &["extract", "-q", "-o", "in.jsonl", recap.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let export = |args: &[&str]| {
        let mut all = vec!["export", "claims", "--from-jsonl", "in.jsonl"];
        all.extend(args);
        fupan(d, &all)
    };
    let o = export(&["-o", "out.xlsx", "-f", "csv"]);
    fails_saying(&o, &["out.xlsx", "says xlsx", "--format says csv"]);
    assert!(!d.join("out.xlsx").exists());
    let o = export(&["-o", "out.parquet", "--excel"]);
    fails_saying(&o, &["--excel", "parquet"]);
    assert!(!d.join("out.parquet").exists());
    let o = export(&["--from", "2026-03-20", "--to", "2026-03-01"]);
    fails_saying(
        &o,
        &["ends before it starts", "2026-03-20 is after 2026-03-01"],
    );
    // what agrees still works: a name the format does not know, and --excel with csv
    let o = export(&["-o", "out.txt", "-f", "tsv", "--excel"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(fs::read(d.join("out.txt"))
        .unwrap()
        .starts_with("\u{feff}".as_bytes()));
}

#[test]
fn unknown_concepts_and_stocks_and_backward_dates_are_search_errors() {
    let tmp = indexed_corpus();
    let search = |args: &[&str]| {
        let mut all = vec!["search", "--index", "idx"];
        all.extend(args);
        fupan(tmp.path(), &all)
    };
    fails_saying(&search(&["concept:不存在"]), &["不存在", "no concept"]);
    fails_saying(&search(&["--concept", "不存在"]), &["no concept"]);
    fails_saying(&search(&["concept:利通电子"]), &["a stock, not a concept"]);
    fails_saying(&search(&["stock:不存在公司"]), &["不存在公司", "no stock"]);
    fails_saying(
        &search(&["--from", "2026-03-20", "--to", "2026-03-01"]),
        &["ends before it starts"],
    );
    fails_saying(
        &search(&["date:2026-03-20..2026-03-01"]),
        &["ends before it starts"],
    );
    // a known concept that matches nothing is still "found nothing", exit 1
    let o = search(&["concept:算力租赁", "--from", "2030-01-01"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn housekeeping_files_of_an_archive_folder_are_skipped_unless_included() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let folder = d.join("archive");
    fs::create_dir_all(folder.join("2026")).unwrap();
    let recap = "利通电子涨停，北向资金净卖出31.38亿元。";
    for name in [
        "README.md",
        "PROVENANCE.md",
        "LICENSE.txt",
        "CHANGELOG.md",
        "2026/readme.txt",
    ] {
        fs::write(folder.join(name), "这个文件夹收集了2026年的复盘。").unwrap();
    }
    fs::write(
        folder.join("SOURCES.tsv"),
        "file\turl\ttitle\na.txt\thttp://x\tt\n",
    )
    .unwrap();
    fs::write(folder.join("index.tsv"), "file\ttitle\na.txt\t复盘\n").unwrap();
    // each text its own, so that the index does not take one for another's copy
    for name in ["2026/a.txt", "2026/draft-b.txt", "notes.log"] {
        fs::write(folder.join(name), format!("{recap}{name}")).unwrap();
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for name in ["README.md", "c.txt"] {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(format!("{recap}{name}").as_bytes()).unwrap();
    }
    fs::write(folder.join("z.zip"), zip.finish().unwrap().into_inner()).unwrap();

    let (records, o) = extract(d, &["archive"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        sources(&records),
        [
            "archive/2026/a.txt",
            "archive/2026/draft-b.txt",
            "archive/z.zip!c.txt"
        ]
    );

    let (records, o) = extract(
        d,
        &[
            "archive",
            "--include",
            "README.md",
            "--include",
            "*.log",
            "--exclude",
            "draft-*",
            "--exclude",
            "z.zip",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        sources(&records),
        [
            "archive/2026/a.txt",
            "archive/README.md",
            "archive/notes.log"
        ]
    );

    // named on the command line, a file is read whatever its name
    let (records, o) = extract(d, &["archive/README.md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(records.len(), 1);

    let o = fupan(d, &["extract", "archive", "--exclude", "[oops"]);
    fails_saying(&o, &["--exclude", "[oops"]);

    let o = fupan(
        d,
        &[
            "index",
            "-q",
            "--index",
            "idx",
            "archive",
            "--exclude",
            "2026/**",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = fupan(d, &["stats", "--index", "idx", "--json"]);
    let stats: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(stats["articles"], 1, "only z.zip!c.txt: {stats}");
}

//! Everyday use (issue 20), each on the real binary: a user dictionary merged with the built-in
//! one, `dict update`, an index that records its dictionaries and stays in step with its files,
//! search that forgives, exports that load cleanly, and the command-line conventions.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::util::{fupan, repo, stderr, stdout, NO_CONFIG};

/// The binary with extra environment variables.
fn fupan_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fupan"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("FUPAN_INDEX")
        .env_remove("FUPAN_DICT")
        .env_remove("NO_COLOR")
        .env("XDG_CONFIG_HOME", NO_CONFIG);
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run fupan")
}

fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON {l:?}: {e}")))
        .collect()
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        stderr(o)
    );
}

/// The stock codes `fupan extract` finds in one text, with these extra arguments.
fn codes_in(dir: &Path, text: &str, extra: &[&str], env: &[(&str, &str)]) -> Vec<String> {
    fs::write(dir.join("t.txt"), text).unwrap();
    let mut args = vec!["extract", "-q", "t.txt"];
    args.extend(extra);
    let o = fupan_env(dir, &args, env);
    ok(&o);
    let records = json_lines(&o);
    records[0]["stocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap().to_string())
        .collect()
}

const NICKNAME_TEXT: &str = "小利通今日涨停，宁王跟涨。";

fn write_alias_dict(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("aliases.tsv"),
        "alias\tcodes\tnote\n小利通\t603629\t我的叫法\n",
    )
    .unwrap();
}

// ---------------------------------------------------------------------------------------------
// Your own words
// ---------------------------------------------------------------------------------------------

#[test]
fn a_user_dictionary_is_merged_with_the_builtin_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let without = codes_in(dir, NICKNAME_TEXT, &[], &[]);
    assert!(!without.contains(&"603629".to_string()), "{without:?}");
    write_alias_dict(&dir.join("mine"));
    // --user-dict DIR, a single file, $FUPAN_DICT and the configuration directory all merge
    // with the built-in dictionaries (宁王 is a built-in nickname)
    let file = dir.join("mine/aliases.tsv");
    let config = dir.join("config");
    write_alias_dict(&config.join("fupan"));
    let config = config.to_str().unwrap();
    for (extra, env) in [
        (vec!["--user-dict", "mine"], vec![]),
        (vec!["--user-dict", file.to_str().unwrap()], vec![]),
        (vec![], vec![("FUPAN_DICT", "mine")]),
        (vec![], vec![("XDG_CONFIG_HOME", config)]),
    ] {
        let codes = codes_in(dir, NICKNAME_TEXT, &extra, &env);
        assert!(
            codes.contains(&"603629".to_string()),
            "{extra:?} {env:?}: {codes:?}"
        );
        assert!(
            codes.contains(&"300750".to_string()),
            "{extra:?} {env:?}: {codes:?}"
        );
    }
}

#[test]
fn a_partial_dict_directory_takes_the_other_files_built_in() {
    let tmp = tempfile::tempdir().unwrap();
    write_alias_dict(&tmp.path().join("mydict"));
    let codes = codes_in(tmp.path(), NICKNAME_TEXT, &["--dict", "mydict"], &[]);
    // its aliases replace the built-in ones; stocks come from the built-in stocks.tsv
    assert_eq!(codes, ["603629"]);
}

#[test]
fn a_user_dictionary_adds_stocks_and_concepts() {
    let tmp = tempfile::tempdir().unwrap();
    let mine = tmp.path().join("mine");
    fs::create_dir_all(&mine).unwrap();
    fs::write(
        mine.join("stocks.tsv"),
        "code\texchange\tname\tforms\tfull_name\tindustry\tstatus\n920999\tBJ\t星河量子\t\t\t\tL\n",
    )
    .unwrap();
    fs::write(
        mine.join("concepts.tsv"),
        "name\taliases\tnote\n量子通信终端\t量子终端\t我的题材\n",
    )
    .unwrap();
    fs::write(tmp.path().join("t.txt"), "星河量子涨停，量子终端方向走强。").unwrap();
    let o = fupan(
        tmp.path(),
        &["extract", "-q", "--user-dict", "mine", "t.txt"],
    );
    ok(&o);
    let record = &json_lines(&o)[0];
    assert_eq!(record["stocks"][0]["code"], "920999", "{record}");
    assert_eq!(record["concepts"][0]["name"], "量子通信终端", "{record}");
}

#[test]
fn a_bad_user_dictionary_row_names_its_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let mine = tmp.path().join("mine");
    fs::create_dir_all(&mine).unwrap();
    fs::write(
        mine.join("aliases.tsv"),
        "alias\tcodes\tnote\n小利通\t603629\t好\n坏别名\t999999\t没有这只股票\n",
    )
    .unwrap();
    fs::write(tmp.path().join("t.txt"), NICKNAME_TEXT).unwrap();
    let o = fupan(tmp.path(), &["extract", "--user-dict", "mine", "t.txt"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("aliases.tsv:3"), "{err}");
    assert!(err.contains("999999"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn dict_update_reports_renames_new_and_removed_codes_and_writes_the_user_dictionary() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(
        dir.join("list.csv"),
        "代码,名称,曾用名\n603629.SH,利通新材,\n920888,北辰新上,\n600000,浦发银行,\n",
    )
    .unwrap();
    let o = fupan(
        dir,
        &["dict", "update", "list.csv", "--partial", "--to", "mine"],
    );
    ok(&o);
    let out = stdout(&o);
    assert!(
        out.contains("renamed\t603629\t利通电子 → 利通新材"),
        "{out}"
    );
    assert!(out.contains("new\t920888\t北辰新上"), "{out}");
    assert!(
        out.contains("1 renamed, 1 new, 0 removed, 1 unchanged"),
        "{out}"
    );
    let written = fs::read_to_string(dir.join("mine/stocks.tsv")).unwrap();
    assert!(written.contains("920888\tBJ\t北辰新上"), "{written}");
    // the new name is the stock's; the old one still finds it
    let text = "利通新材涨停，北辰新上大涨，利通电子的老股东。";
    fs::write(dir.join("t.txt"), text).unwrap();
    let o = fupan(dir, &["extract", "-q", "--user-dict", "mine", "t.txt"]);
    ok(&o);
    let record = &json_lines(&o)[0];
    let stocks = record["stocks"].as_array().unwrap();
    let lt = stocks.iter().find(|s| s["code"] == "603629").unwrap();
    assert_eq!(lt["name"], "利通新材", "{record}");
    assert_eq!(lt["count"], 2, "both names: {record}");
    assert!(stocks.iter().any(|s| s["code"] == "920888"), "{record}");

    // a complete list: a listed code missing from it is removed (delisted)
    let builtin = fs::read_to_string(repo().join("dict/stocks.tsv")).unwrap();
    let mut list = String::from("code\tname\n");
    let mut dropped = None;
    for row in builtin.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        // listed: status L, or none given (as the dictionaries read it)
        if f.get(6) == Some(&"D") {
            continue;
        }
        if f[0] == "000001" {
            dropped = Some(f[2].to_string());
            continue;
        }
        list.push_str(&format!("{}\t{}\n", f[0], f[2]));
    }
    fs::write(dir.join("all.tsv"), list).unwrap();
    let o = fupan(dir, &["dict", "update", "all.tsv", "--dry-run"]);
    ok(&o);
    let out = stdout(&o);
    let dropped = dropped.unwrap();
    assert!(
        out.contains(&format!("removed\t000001\t{dropped}")),
        "{out}"
    );
    assert!(out.contains("0 renamed, 0 new, 1 removed"), "{out}");
    // a list that is obviously not complete is refused without --partial
    let o = fupan(dir, &["dict", "update", "list.csv", "--to", "mine2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--partial"), "{}", stderr(&o));
    assert!(!dir.join("mine2").exists());
}

#[test]
fn dict_update_reports_bad_rows_by_line_and_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("list.csv"),
        "code,name\n60362,坏代码\n920777,南山新上\n",
    )
    .unwrap();
    let o = fupan(
        tmp.path(),
        &["dict", "update", "list.csv", "--partial", "--to", "mine"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("list.csv: line 2"), "{}", stderr(&o));
    assert!(stdout(&o).contains("new\t920777\t南山新上"));
    assert!(tmp.path().join("mine/stocks.tsv").is_file());
}

// ---------------------------------------------------------------------------------------------
// The index and its dictionaries, in step with the files
// ---------------------------------------------------------------------------------------------

fn search_json(dir: &Path, args: &[&str]) -> (Vec<Value>, Output) {
    let mut all = vec!["search", "--index", "idx", "--json"];
    all.extend(args);
    let o = fupan(dir, &all);
    (json_lines(&o), o)
}

fn sources(hits: &[Value]) -> Vec<String> {
    let mut s: Vec<String> = hits
        .iter()
        .map(|h| h["source"].as_str().unwrap().to_string())
        .collect();
    s.sort();
    s
}

#[test]
fn the_index_warns_of_other_dictionaries_and_reanalyze_brings_it_in_step() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("docs")).unwrap();
    fs::write(dir.join("docs/a.txt"), NICKNAME_TEXT).unwrap();
    write_alias_dict(&dir.join("mine"));
    ok(&fupan(dir, &["index", "-q", "--index", "idx", "docs"]));
    let (hits, o) = search_json(dir, &["stock:603629"]);
    assert!(hits.is_empty());
    assert!(!stderr(&o).contains("other dictionaries"), "{}", stderr(&o));

    // searching with a user dictionary the index was not built with: a warning
    let (_, o) = search_json(dir, &["--user-dict", "mine", "宁王"]);
    assert!(stderr(&o).contains("--reanalyze"), "{}", stderr(&o));
    let o = fupan(
        dir,
        &["index", "--index", "idx", "--user-dict", "mine", "docs"],
    );
    assert!(stderr(&o).contains("--reanalyze"), "{}", stderr(&o));

    // analysed again from the stored text (the file is gone: it is not read)
    fs::remove_file(dir.join("docs/a.txt")).unwrap();
    let o = fupan(
        dir,
        &[
            "index",
            "--index",
            "idx",
            "--user-dict",
            "mine",
            "--reanalyze",
        ],
    );
    ok(&o);
    let (hits, o) = search_json(dir, &["--user-dict", "mine", "stock:603629"]);
    assert_eq!(sources(&hits), ["docs/a.txt"]);
    assert!(!stderr(&o).contains("other dictionaries"), "{}", stderr(&o));
    let o = fupan(dir, &["stats", "--index", "idx"]);
    assert!(stdout(&o).contains("articles   1\n"), "{}", stdout(&o));
}

#[test]
fn a_changed_file_replaces_its_old_version() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("docs")).unwrap();
    fs::write(dir.join("docs/a.txt"), "旧版本：算力租赁方向走强。").unwrap();
    fs::write(dir.join("docs/b.txt"), "另一篇：储能方向走强。").unwrap();
    ok(&fupan(dir, &["index", "-q", "--index", "idx", "docs"]));
    fs::write(dir.join("docs/a.txt"), "新版本：液冷方向走强。").unwrap();
    let o = fupan(dir, &["index", "--index", "idx", "docs"]);
    ok(&o);
    assert!(
        stderr(&o).contains("1 replacing a changed file"),
        "{}",
        stderr(&o)
    );
    let (hits, _) = search_json(dir, &["走强", "--limit", "100"]);
    assert_eq!(sources(&hits), ["docs/a.txt", "docs/b.txt"]);
    assert!(search_json(dir, &["旧版本"]).0.is_empty());
    assert_eq!(sources(&search_json(dir, &["新版本"]).0), ["docs/a.txt"]);
}

/// One JSONL line of a news record.
fn news_line(title: &str, text: &str) -> String {
    let record = serde_json::json!({"title": title, "text": text, "date": "2024-03-22"});
    format!("{record}\n")
}

#[test]
fn a_changed_record_file_drops_the_records_it_no_longer_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("news")).unwrap();
    let (old, kept) = (
        news_line("旧", "利通电子在手算力3000P，旧稿。"),
        news_line("留", "宁德时代涨停，储能方向走强。"),
    );
    let other = news_line("别处", "另一个文件：液冷方向走强。");
    fs::write(dir.join("news/feed.jsonl"), format!("{old}{kept}")).unwrap();
    fs::write(dir.join("news/other.jsonl"), &other).unwrap();
    ok(&fupan(dir, &["index", "-q", "--index", "idx", "news"]));
    // the old record is corrected and a new one inserted before the kept one (which moves)
    let (fixed, added) = (
        news_line("新", "利通电子在手算力4000P，更正稿。"),
        news_line("加", "新增一条：算力租赁方向走强。"),
    );
    fs::write(dir.join("news/feed.jsonl"), format!("{fixed}{added}{kept}")).unwrap();
    let o = fupan(dir, &["index", "--index", "idx", "news"]);
    ok(&o);
    assert!(stderr(&o).contains("1 records gone"), "{}", stderr(&o));
    assert!(search_json(dir, &["旧稿"]).0.is_empty());
    let (hits, _) = search_json(dir, &["走强", "--limit", "100"]);
    let mut found = sources(&hits);
    found.sort();
    assert_eq!(
        found,
        [
            "news/feed.jsonl#2",
            "news/feed.jsonl#2",
            "news/other.jsonl#1"
        ],
        "the moved record keeps its first place; the other file is untouched"
    );
    let (claims, _) = search_json(dir, &["--claims", "--kind", "compute_capacity"]);
    let values: Vec<f64> = claims.iter().filter_map(|c| c["value"].as_f64()).collect();
    assert_eq!(values, [4000.0], "the old claim went with its record");
    // a run with a bad record removes nothing: what the file holds is not known for sure
    fs::write(dir.join("news/feed.jsonl"), format!("{fixed}{{not json\n")).unwrap();
    let o = fupan(dir, &["index", "--index", "idx", "news"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("records gone"), "{}", stderr(&o));
    assert_eq!(search_json(dir, &["储能"]).0.len(), 1);
}

#[test]
fn prune_removes_the_articles_of_files_that_are_gone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("docs")).unwrap();
    fs::write(dir.join("docs/a.txt"), "第一篇：算力租赁走强。").unwrap();
    fs::write(dir.join("docs/b.txt"), "第二篇：算力租赁走弱。").unwrap();
    ok(&fupan(dir, &["index", "-q", "--index", "idx", "docs"]));
    fs::remove_file(dir.join("docs/b.txt")).unwrap();
    let o = fupan(dir, &["index", "--index", "idx", "--prune"]);
    ok(&o);
    assert!(stderr(&o).contains("pruned docs/b.txt"), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 articles pruned"), "{}", stderr(&o));
    let (hits, _) = search_json(dir, &["算力租赁"]);
    assert_eq!(sources(&hits), ["docs/a.txt"]);
}

#[cfg(unix)]
#[test]
fn ctrl_c_commits_what_is_done_and_the_next_run_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let docs = dir.join("docs");
    fs::create_dir_all(&docs).unwrap();
    let total = 20_000;
    for i in 0..total {
        let text = format!("第{i}篇：宁王涨停，算力租赁方向走强。");
        fs::write(docs.join(format!("{i:05}.txt")), text).unwrap();
    }
    let child = Command::new(env!("CARGO_BIN_EXE_fupan"))
        .args(["index", "--index", "idx", "docs"])
        .current_dir(dir)
        .env_remove("FUPAN_DICT")
        .env("XDG_CONFIG_HOME", NO_CONFIG)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // the index exists once the Ctrl-C handler is in place
    while !dir.join("idx/meta.json").exists() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(130), "{err}");
    let committed: usize = err
        .lines()
        .find_map(|l| l.strip_prefix("interrupted: "))
        .and_then(|l| l.strip_suffix(" articles committed"))
        .unwrap_or_else(|| panic!("no interrupted line in {err}"))
        .parse()
        .unwrap();
    assert!(committed >= 1 && committed < total, "{committed}");
    let o = fupan(dir, &["index", "--index", "idx", "docs"]);
    ok(&o);
    let summary = stderr(&o);
    assert!(
        summary.contains(&format!("{} articles added", total - committed)),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("{committed} skipped")),
        "{summary}"
    );
}

// ---------------------------------------------------------------------------------------------
// Search that forgives
// ---------------------------------------------------------------------------------------------

/// Articles about 华电辽能 (by name, nickname, code), a theme article, and Latin words.
fn search_corpus(dir: &Path) {
    let docs = dir.join("docs");
    fs::create_dir_all(&docs).unwrap();
    let files = [
        ("2026-03-10_a.txt", "华辽借势晋级，三连板。"),
        ("2026-03-12_b.txt", "华电辽能发布公告，电力方向走强。"),
        ("2026-03-11_c.txt", "600396今日放量。"),
        ("2026-03-09_d.txt", "算力租赁方向继续走强，CPO跟涨。"),
        ("2026-03-08_e.txt", "CPOP协议与JCPOA无关。"),
    ];
    for (name, text) in files {
        fs::write(docs.join(name), text).unwrap();
    }
    ok(&fupan(dir, &["index", "-q", "--index", "idx", "docs"]));
}

#[test]
fn a_bare_stock_name_or_code_finds_the_stock_in_any_form() {
    let tmp = tempfile::tempdir().unwrap();
    search_corpus(tmp.path());
    let (a, b, c) = (
        "docs/2026-03-10_a.txt",
        "docs/2026-03-12_b.txt",
        "docs/2026-03-11_c.txt",
    );
    // the code finds its text and every article naming the stock
    let (hits, o) = search_json(tmp.path(), &["600396"]);
    assert_eq!(sources(&hits), [a, c, b], "{}", stderr(&o));
    // a name or nickname finds the articles naming the stock in any form (and the one giving
    // only its code, if the code was recognised there)
    for query in ["华电辽能", "华辽"] {
        let (hits, o) = search_json(tmp.path(), &[query]);
        let found = sources(&hits);
        assert!(
            found.contains(&a.to_string()),
            "{query}: {found:?} {}",
            stderr(&o)
        );
        assert!(found.contains(&b.to_string()), "{query}: {found:?}");
        assert!(
            found.iter().all(|s| [a, b, c].contains(&s.as_str())),
            "{query}: {found:?}"
        );
    }
    // the text match ranks first
    let (hits, _) = search_json(tmp.path(), &["华电辽能"]);
    assert_eq!(hits[0]["source"], "docs/2026-03-12_b.txt");
}

#[test]
fn no_hits_says_what_was_searched_and_suggests() {
    let tmp = tempfile::tempdir().unwrap();
    search_corpus(tmp.path());
    let (hits, o) = search_json(tmp.path(), &["华电辽宁"]);
    assert!(hits.is_empty());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("no articles found for ["), "{err}");
    assert!(err.contains("did you mean stock 华电辽能 600396?"), "{err}");
    let (_, o) = search_json(tmp.path(), &["算力租赁", "stock:华电辽能"]);
    let err = stderr(&o);
    assert!(
        err.contains("without stock:华电辽能 there are 1 hits"),
        "{err}"
    );
}

#[test]
fn sort_author_and_source_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    search_corpus(dir);
    let (hits, _) = search_json(dir, &["走强 OR 放量 OR 晋级", "--sort", "date"]);
    let dates: Vec<&str> = hits.iter().map(|h| h["date"].as_str().unwrap()).collect();
    assert_eq!(
        dates,
        ["2026-03-12", "2026-03-11", "2026-03-10", "2026-03-09"]
    );
    let (hits, _) = search_json(dir, &["source:_c.txt"]);
    assert_eq!(sources(&hits), ["docs/2026-03-11_c.txt"]);
    // authors come from records
    fs::write(
        dir.join("p.jsonl"),
        "{\"author\":\"老股民甲\",\"text\":\"储能方向走强。\"}\n{\"author\":\"游资乙\",\"text\":\"储能方向走弱。\"}\n",
    )
    .unwrap();
    ok(&fupan(dir, &["index", "-q", "--index", "idx", "p.jsonl"]));
    let (hits, _) = search_json(dir, &["储能", "author:股民"]);
    assert_eq!(sources(&hits), ["p.jsonl#1"]);
}

#[test]
fn latin_terms_match_whole_words() {
    let tmp = tempfile::tempdir().unwrap();
    search_corpus(tmp.path());
    let (hits, _) = search_json(tmp.path(), &["CPO"]);
    assert_eq!(sources(&hits), ["docs/2026-03-09_d.txt"]);
    let (hits, _) = search_json(tmp.path(), &["JCPOA"]);
    assert_eq!(sources(&hits), ["docs/2026-03-08_e.txt"]);
}

#[test]
fn json_hits_give_character_offsets_beside_byte_offsets() {
    let tmp = tempfile::tempdir().unwrap();
    search_corpus(tmp.path());
    let text = fs::read_to_string(tmp.path().join("docs/2026-03-12_b.txt")).unwrap();
    let (hits, _) = search_json(tmp.path(), &["电力"]);
    let snippet = &hits[0]["snippets"][0];
    let shown = snippet["text"].as_str().unwrap();
    let [s, e] = [0, 1].map(|i| snippet["highlights"][0][i].as_u64().unwrap() as usize);
    let [cs, ce] = [0, 1].map(|i| snippet["char_highlights"][0][i].as_u64().unwrap() as usize);
    let by_chars: String = shown.chars().skip(cs).take(ce - cs).collect();
    assert_eq!(by_chars, &shown[s..e]);
    assert_eq!(by_chars, "电力");
    let at = snippet["char_start"].as_u64().unwrap() as usize;
    assert_eq!(
        text.chars().skip(at + cs).take(2).collect::<String>(),
        "电力"
    );

    // claims: the evidence by characters of the article
    let corpus = repo().join("corpus");
    let o = fupan(
        tmp.path(),
        &["index", "-q", "--index", "idx2", corpus.to_str().unwrap()],
    );
    ok(&o);
    let o = fupan(
        tmp.path(),
        &[
            "search", "--index", "idx2", "--claims", "--json", "--limit", "50",
        ],
    );
    let claims = json_lines(&o);
    assert!(!claims.is_empty());
    let mut checked = 0;
    for claim in claims {
        let source = claim["source"].as_str().unwrap();
        // plain UTF-8 text files only: the text of records, markup and GBK files is not the file
        let Some(article) = source
            .ends_with(".txt")
            .then(|| fs::read_to_string(source).ok())
            .flatten()
        else {
            continue;
        };
        checked += 1;
        let [cs, ce] = ["char_start", "char_end"].map(|k| claim[k].as_u64().unwrap() as usize);
        let evidence: String = article.chars().skip(cs).take(ce - cs).collect();
        assert_eq!(evidence, claim["text"].as_str().unwrap(), "{claim}");
    }
    assert!(checked > 0, "no claim of a text file among the hits");
}

// ---------------------------------------------------------------------------------------------
// Exports
// ---------------------------------------------------------------------------------------------

#[test]
fn exports_carry_exchange_symbols_and_all_goes_to_one_file_per_table() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    search_corpus(dir);
    let o = fupan(dir, &["export", "mentions", "--index", "idx"]);
    ok(&o);
    let csv = stdout(&o);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (code, symbol) = (
        header.iter().position(|h| *h == "code").unwrap(),
        header.iter().position(|h| *h == "symbol").unwrap(),
    );
    assert_eq!(symbol, code + 1, "{header:?}");
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(row[symbol], format!("{}.SH", row[code]));

    let o = fupan(
        dir,
        &[
            "export", "all", "--index", "idx", "--format", "parquet", "-o", "tables/",
        ],
    );
    ok(&o);
    for table in [
        "articles",
        "mentions",
        "claims",
        "stock_daily",
        "concept_daily",
        "cooccurrence",
    ] {
        let path = dir.join("tables").join(format!("{table}.parquet"));
        let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
            "{table}"
        );
    }
}

#[test]
fn export_with_an_unknown_stock_or_concept_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    search_corpus(tmp.path());
    for (flag, value, says) in [
        ("--stock", "不存在公司", "no stock by that name"),
        ("--concept", "不存在概念", "no concept by that name"),
    ] {
        let o = fupan(
            tmp.path(),
            &["export", "mentions", "--index", "idx", flag, value],
        );
        assert_eq!(o.status.code(), Some(2), "{flag}");
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
    }
}

// ---------------------------------------------------------------------------------------------
// Command-line conventions
// ---------------------------------------------------------------------------------------------

#[test]
fn help_lists_global_flags_apart_and_the_claim_kinds() {
    let tmp = tempfile::tempdir().unwrap();
    let o = fupan(tmp.path(), &["search", "--help"]);
    ok(&o);
    let help = stdout(&o);
    let global = help.find("Global options:").expect("a heading of its own");
    assert!(help[global..].contains("--user-dict"), "{help}");
    assert!(!help[..global].contains("--user-dict"), "{help}");
    for kind in [
        "compute_capacity",
        "earnings_growth",
        "limit_up_streak",
        "limit_up",
        "limit_down",
        "turnover",
        "capital_flow",
        "market_breadth",
        "price_change",
        "accelerator_cards",
    ] {
        assert!(help.contains(kind), "{kind} in {help}");
    }
}

#[test]
fn verbose_and_quiet_together_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let o = fupan(tmp.path(), &["stats", "-v", "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}

#[test]
fn version_names_the_commit_and_the_dictionaries() {
    let tmp = tempfile::tempdir().unwrap();
    let o = fupan(tmp.path(), &["--version"]);
    ok(&o);
    let version = stdout(&o);
    assert!(version.starts_with(&format!("fupan {}", env!("CARGO_PKG_VERSION"))));
    assert!(version.contains("(commit "), "{version}");
    assert!(version.contains("dictionaries of "), "{version}");
}

#[test]
fn completions_are_printed_for_each_shell() {
    let tmp = tempfile::tempdir().unwrap();
    for (shell, mark) in [
        ("bash", "_fupan()"),
        ("zsh", "#compdef fupan"),
        ("fish", "complete -c fupan"),
    ] {
        let o = fupan(tmp.path(), &["completions", shell]);
        ok(&o);
        let script = stdout(&o);
        assert!(script.contains(mark), "{shell}");
        assert!(script.contains("user-dict"), "{shell}");
    }
    let o = fupan(tmp.path(), &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let tmp = tempfile::tempdir().unwrap();
    search_corpus(tmp.path());
    let run = |colour: &str, env: &[(&str, &str)]| {
        let o = fupan_env(
            tmp.path(),
            &["search", "--index", "idx", "--color", colour, "电力"],
            env,
        );
        ok(&o);
        stdout(&o).contains('\x1b')
    };
    assert!(run("always", &[]));
    assert!(!run("never", &[]));
    // auto: standard output is a pipe here, so no colour, NO_COLOR or not
    assert!(!run("auto", &[]));
    assert!(!run("auto", &[("NO_COLOR", "1")]));
}

/// The progress frames `fupan ARGS` drew on a terminal: `script` (util-linux) gives it a
/// pseudo-terminal and keeps what was drawn. `None` when `script` is not installed.
fn progress_frames(dir: &Path, args: &str) -> Option<Vec<String>> {
    let log = dir.join("terminal.log");
    let command = format!("{} {args} > /dev/null", env!("CARGO_BIN_EXE_fupan"));
    let ran = Command::new("script")
        .args(["-qec", &command])
        .arg(&log)
        .current_dir(dir)
        .env("XDG_CONFIG_HOME", NO_CONFIG)
        .stdout(Stdio::null())
        .status();
    match ran {
        Ok(status) => assert!(status.success(), "fupan {args} on a terminal: {status}"),
        Err(_) => return None,
    }
    let drawn = fs::read_to_string(&log).unwrap();
    // a frame is redrawn in place: carriage return, erase line, the bar
    Some(
        drawn
            .split('\r')
            .map(|f| f.trim_start_matches("\x1b[2K").trim().to_string())
            .filter(|f| f.contains(" MB/") && f.contains(" eta "))
            .collect(),
    )
}

#[test]
fn progress_counts_in_megabytes_and_reaches_the_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let seed = fs::read_to_string(repo().join("corpus/recap-2024-03.txt")).unwrap();
    fs::create_dir(tmp.path().join("many")).unwrap();
    // 12 MB in 240 files: long enough for the bar to be drawn several times
    for i in 0..240 {
        let text = format!("第{i}篇复盘\n{}", seed.repeat(5));
        fs::write(tmp.path().join(format!("many/r{i}-2024-03-22.txt")), text).unwrap();
    }
    for args in ["-j1 extract many", "-j1 index many --index idx"] {
        let Some(frames) = progress_frames(tmp.path(), args) else {
            println!("SKIPPED: no `script` to give fupan a terminal");
            return;
        };
        assert!(frames.len() >= 2, "{args}: {frames:?}");
        for frame in &frames {
            for other in ["MiB", "KiB", "GiB", " kB"] {
                assert!(!frame.contains(other), "{args}: one unit only: {frame}");
            }
        }
        // the last frame stands at the whole: `12.30 MB/12.30 MB`
        let last = frames.last().unwrap();
        let whole = last
            .split(" MB/")
            .nth(1)
            .and_then(|t| t.split(" MB").next());
        let done = last.split(" MB/").next().and_then(|t| t.rsplit(' ').next());
        assert!(whole.is_some() && done == whole, "{args}: {last}");
        assert!(last.contains("MB/s"), "{args}: {last}");
    }
}

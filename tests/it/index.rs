//! Integration tests for `fupan index`, `fupan search` and `fupan stats`: the real binary on the
//! bundled corpus and on small articles written here, each with its own temporary index.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::util::{fupan, repo, stderr, stdout};

/// A temporary working directory with an index of the bundled corpus in `idx/`.
struct Indexed {
    tmp: tempfile::TempDir,
}

impl Indexed {
    fn corpus() -> Indexed {
        let indexed = Indexed::empty();
        let corpus = repo().join("corpus");
        let out = indexed.run(&["index", corpus.to_str().unwrap()]);
        assert!(out.status.success(), "index failed: {}", stderr(&out));
        indexed
    }

    fn empty() -> Indexed {
        Indexed {
            tmp: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn dir(&self) -> &Path {
        self.tmp.path()
    }

    fn index_dir(&self) -> PathBuf {
        self.dir().join("idx")
    }

    /// Runs a fupan command (`args[0]`) with `--index idx` right after it.
    fn run(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = vec![args[0], "--index", "idx"];
        all.extend(&args[1..]);
        fupan(self.dir(), &all)
    }

    /// Writes an article file under `articles/`.
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let dir = self.dir().join("articles");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Indexes `articles/`, expecting success.
    fn index_articles(&self) -> Output {
        let out = self.run(&["index", "articles"]);
        assert!(out.status.success(), "index failed: {}", stderr(&out));
        out
    }

    /// `fupan search … --json`, parsed.
    fn search_json(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["search", "--json"];
        all.extend(args);
        let out = self.run(&all);
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&out)
        );
        json_lines(&out)
    }
}

fn json_lines(out: &Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

fn sources(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["source"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn is_seed(source: &str) -> bool {
    source.ends_with("recap-2024-03.txt")
}

/// Every highlighted piece of text of a hit.
fn highlighted(hit: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for snippet in hit["snippets"].as_array().expect("snippets") {
        let text = snippet["text"].as_str().expect("snippet text");
        for range in snippet["highlights"].as_array().expect("highlights") {
            let (a, b) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
            out.push(text[a as usize..b as usize].to_string());
        }
    }
    out
}

#[test]
fn in_hand_compute_finds_the_seed_first_with_a_highlight() {
    let ix = Indexed::corpus();
    let hits = ix.search_json(&["在手算力"]);
    assert!(!hits.is_empty(), "no hits");
    let first = &hits[0];
    assert!(
        is_seed(first["source"].as_str().unwrap()),
        "first hit: {first}"
    );
    assert!(
        highlighted(first).iter().any(|h| h == "在手算力"),
        "highlights: {:?}",
        highlighted(first)
    );
    let out = ix.run(&["search", "在手算力"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("【在手算力】"), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("1. "), "{}", stdout(&out));
}

#[test]
fn stock_filter_finds_the_seed_by_name_code_and_flag() {
    let ix = Indexed::corpus();
    for args in [
        vec!["stock:利通电子"],
        vec!["stock:603629"],
        vec!["stock:603629.SH"],
        vec!["--stock", "利通电子"],
        vec!["算力", "--stock", "603629"],
    ] {
        let hits = ix.search_json(&args);
        assert!(
            sources(&hits).iter().any(|s| is_seed(s)),
            "{args:?}: {:?}",
            sources(&hits)
        );
        for hit in &hits {
            let codes: Vec<&str> = hit["stocks"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|s| s["code"].as_str())
                .collect();
            assert!(
                codes.contains(&"603629"),
                "{args:?}: hit without the stock: {hit}"
            );
        }
    }
}

#[test]
fn stock_filter_resolves_nicknames_and_former_names() {
    let ix = Indexed::empty();
    ix.write(
        "2026-03-02_nick.txt",
        "宁王放量大涨，权重护盘，市场情绪回暖。",
    );
    ix.write("2026-03-03_other.txt", "贵州茅台震荡，白酒板块整体走弱。");
    ix.index_articles();
    for query in ["stock:宁王", "stock:宁德时代", "stock:300750"] {
        let hits = ix.search_json(&[query]);
        assert_eq!(hits.len(), 1, "{query}: {:?}", sources(&hits));
        assert!(hits[0]["source"].as_str().unwrap().ends_with("nick.txt"));
    }
    let by_nickname = ix.search_json(&["stock:宁王"]);
    assert_eq!(highlighted(&by_nickname[0]), ["宁王"], "{}", by_nickname[0]);
    let out = ix.run(&["search", "stock:没有这只股票"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no stock"), "{}", stderr(&out));
}

#[test]
fn reindexing_the_same_archive_adds_nothing() {
    let ix = Indexed::corpus();
    let before = stats(&ix);
    let corpus = repo().join("corpus");
    let again = ix.run(&["index", corpus.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains(" 0 articles added"),
        "{}",
        stderr(&again)
    );
    let after = stats(&ix);
    assert_eq!(before["articles"], after["articles"]);
    assert_eq!(before["claims"], after["claims"]);
}

#[test]
fn rebuild_starts_over() {
    let ix = Indexed::corpus();
    assert!(stats(&ix)["articles"].as_u64().unwrap() >= 1);
    ix.write("only.txt", "只剩这一篇：算力租赁方向崛起。");
    let out = ix.run(&["index", "--rebuild", "articles"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stats(&ix)["articles"], 1);
    assert_eq!(ix.run(&["search", "在手算力"]).status.code(), Some(1));
}

#[test]
fn adjacent_terms_rank_above_terms_far_apart() {
    let ix = Indexed::empty();
    let filler = "今天指数震荡整理，成交量有所萎缩，板块轮动较快，资金情绪偏谨慎。".repeat(3);
    ix.write(
        "far.txt",
        &format!("公司在手订单饱满，在手现金充裕。{filler}另外算力需求旺盛，算力价格上涨。"),
    );
    ix.write(
        "near.txt",
        &format!("{filler}不是看规划，要看实际在手算力。{filler}"),
    );
    ix.index_articles();
    let hits = ix.search_json(&["在手算力"]);
    let found = sources(&hits);
    assert_eq!(found.len(), 2, "both contain both words: {found:?}");
    assert!(found[0].ends_with("near.txt"), "{found:?}");
    assert!(hits[0]["score"].as_f64() > hits[1]["score"].as_f64());
    let phrase = ix.search_json(&["\"在手算力\""]);
    assert_eq!(sources(&phrase).len(), 1, "a quoted phrase needs adjacency");
}

#[test]
fn search_json_lines_parse_with_every_field() {
    let ix = Indexed::corpus();
    let hits = ix.search_json(&["算力", "--limit", "3"]);
    assert!(!hits.is_empty());
    for (i, hit) in hits.iter().enumerate() {
        assert_eq!(hit["rank"], i + 1);
        for field in [
            "id", "source", "title", "date", "score", "stocks", "concepts",
        ] {
            assert!(hit.get(field).is_some(), "{field} missing in {hit}");
        }
        for snippet in hit["snippets"].as_array().unwrap() {
            let text = snippet["text"].as_str().unwrap();
            for range in snippet["highlights"].as_array().unwrap() {
                let (a, b) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
                assert!(a < b && b as usize <= text.len(), "{range} in {text:?}");
                assert!(text.is_char_boundary(a as usize) && text.is_char_boundary(b as usize));
            }
        }
    }
}

#[test]
fn filters_by_date_kind_and_negation() {
    let ix = Indexed::empty();
    ix.write(
        "2026-03-02_a.txt",
        "3月2日复盘：算力租赁走强，利通电子涨停。",
    );
    ix.write(
        "2026-04-10_b.txt",
        "4月10日复盘：算力方向分歧，资金净卖出。",
    );
    ix.index_articles();
    let count = |args: &[&str]| ix.search_json(args).len();
    assert_eq!(count(&["算力"]), 2);
    assert_eq!(count(&["算力", "date:2026-03-01..2026-03-31"]), 1);
    assert_eq!(count(&["算力", "date:2026-04"]), 1);
    assert_eq!(count(&["算力", "--from", "2026-04-01"]), 1);
    assert_eq!(count(&["算力", "--to", "2026-03-31"]), 1);
    assert_eq!(count(&["date:2026"]), 2);
    assert_eq!(count(&["算力 -租赁"]), 1);
    assert_eq!(count(&["算力", "--", "-租赁"]), 1);
    assert_eq!(count(&["租赁", "OR", "分歧"]), 2);
    let bad = ix.run(&["search", "kind:nonsense"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("unknown claim kind"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn claims_over_a_thousand_petaflops_list_litong_3000() {
    let ix = Indexed::corpus();
    let args = [
        "--claims",
        "--kind",
        "compute_capacity",
        "--min",
        "1000",
        "--limit",
        "100",
    ];
    let claims = ix.search_json(&args);
    let litong = claims.iter().find(|c| {
        c["subject"]["code"] == "603629"
            && c["value"] == 3000.0
            && is_seed(c["source"].as_str().unwrap())
    });
    assert!(
        litong.is_some(),
        "no 利通电子 3000P claim from the seed in {claims:?}"
    );
    for claim in &claims {
        assert_eq!(claim["kind"], "compute_capacity");
        let most = claim["value"].as_f64().or(claim["high"].as_f64()).unwrap();
        assert!(most >= 1000.0, "{claim}");
    }
    let out = ix.run(&[
        "search",
        "--claims",
        "--kind",
        "compute_capacity",
        "--min",
        "1000",
    ]);
    assert!(stdout(&out).contains("利通电子 603629"), "{}", stdout(&out));
}

/// `--metric`, `--period` and `--basis` select claims by the slots extraction gave them.
#[test]
fn claims_filter_by_metric_period_and_basis() {
    let ix = Indexed::empty();
    ix.write(
        "earnings.txt",
        "润泽科技公告，2024年公司营业收入同比增长34.9%，归母净利润同比增长20.5%。\n\
         2024年第三季度营收环比增长8%。",
    );
    ix.index_articles();
    let values = |args: &[&str]| -> Vec<f64> {
        let mut all = vec!["--claims", "--kind", "earnings_growth"];
        all.extend_from_slice(args);
        let mut v: Vec<f64> = ix
            .search_json(&all)
            .iter()
            .map(|c| c["value"].as_f64().unwrap())
            .collect();
        v.sort_by(f64::total_cmp);
        v
    };
    assert_eq!(values(&[]), vec![8.0, 20.5, 34.9]);
    assert_eq!(values(&["--metric", "营业收入"]), vec![8.0, 34.9]);
    assert_eq!(values(&["--metric", "归母净利润"]), vec![20.5]);
    assert_eq!(values(&["--period", "2024"]), vec![20.5, 34.9]);
    assert_eq!(values(&["--basis", "qoq"]), vec![8.0]);
    let claim = &ix.search_json(&["--claims", "--basis", "qoq"])[0];
    assert_eq!(claim["period"], "2024Q3");
    assert_eq!(claim["metric"], "营业收入");
}

/// Articles that rank equally come in content-id order, and claims of one article in text
/// order (those sharing their evidence by code), so a page does not depend on which indexing thread took which document (before the
/// tie-break, two builds of one archive listed equal hits in different orders).
#[test]
fn equally_ranked_hits_come_in_id_order() {
    let ix = Indexed::empty();
    let archive = ix.dir().join("articles");
    std::fs::create_dir_all(&archive).unwrap();
    // Texts of one shape (two-digit numbers) score alike for 利通电子, and all share one date.
    let mut lines = String::new();
    for i in 10..70 {
        let record = serde_json::json!({
            "title": format!("第{i}篇"),
            "text": format!(
                "第{i}篇：利通电子在手3000P，东方财富涨停，润和软件涨停。\n\
                 【多股涨停】润和软件、东方财富、利通电子涨停。"
            ),
            "date": "2026-03-18",
        });
        lines.push_str(&format!("{record}\n"));
    }
    std::fs::write(archive.join("ties.jsonl"), lines).unwrap();
    ix.index_articles();

    let ids = |hits: &[Value]| -> Vec<String> {
        hits.iter()
            .map(|h| h["id"].as_str().expect("id").to_string())
            .collect()
    };
    let ranked = ix.search_json(&["利通电子", "--limit", "100"]);
    assert_eq!(ranked.len(), 60);
    let scores: Vec<f64> = ranked
        .iter()
        .map(|h| h["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] == w[1]), "{scores:?}");
    let mut sorted = ids(&ranked);
    sorted.sort();
    assert_eq!(ids(&ranked), sorted, "equal scores in id order");

    let by_date = ix.search_json(&["--stock", "利通电子", "--limit", "100"]);
    assert_eq!(ids(&by_date), sorted, "one date: id order");

    // a second page continues the first
    let page2 = ix.search_json(&["利通电子", "--limit", "10", "--offset", "10"]);
    assert_eq!(ids(&page2), sorted[10..20]);

    // the three claims of the second line share their evidence: they go by code
    let claims = ix.search_json(&["--claims", "--kind", "limit_up", "--limit", "400"]);
    assert_eq!(claims.len(), 300);
    let keys: Vec<(String, u64, String)> = claims
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["start"].as_u64().unwrap(),
                c["subject"]["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut in_order = keys.clone();
    in_order.sort();
    assert_eq!(
        keys, in_order,
        "claims by article id, by position, then by code"
    );
}

#[test]
fn missing_index_is_an_error_with_a_message() {
    let ix = Indexed::empty();
    let out = ix.run(&["search", "算力"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no index"), "{}", stderr(&out));
    assert_eq!(ix.run(&["stats"]).status.code(), Some(2));
}

#[test]
fn nothing_found_exits_1() {
    let ix = Indexed::corpus();
    let out = ix.run(&["search", "完全不存在的词语组合xyzzy"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
}

#[test]
fn bad_input_is_reported_and_the_rest_indexed() {
    let ix = Indexed::empty();
    ix.write("good.txt", "算力租赁方向崛起，利通电子涨停。");
    let missing = ix.dir().join("articles").join("missing.txt");
    let out = ix.run(&["index", "articles", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("fupan: ") && stderr(&out).contains("missing.txt"));
    assert!(stderr(&out).contains("1 failed"), "{}", stderr(&out));
    assert_eq!(stats(&ix)["articles"], 1);
}

#[test]
fn default_index_dir_is_in_the_working_directory() {
    let ix = Indexed::empty();
    ix.write("a.txt", "算力租赁方向崛起。");
    let out = fupan(ix.dir(), &["index", "articles", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "--quiet: {}", stderr(&out));
    assert!(ix.dir().join("fupan-index").join("meta.json").is_file());
    assert_eq!(fupan(ix.dir(), &["search", "算力"]).status.code(), Some(0));
}

#[test]
fn stats_report_counts_dates_and_kinds() {
    let ix = Indexed::corpus();
    let s = stats(&ix);
    assert!(s["articles"].as_u64().unwrap() >= 1);
    assert!(s["bytes_on_disk"].as_u64().unwrap() > 0);
    let out = ix.run(&["stats"]);
    assert!(out.status.success());
    for label in [
        "articles",
        "claims",
        "dates",
        "top stocks",
        "top concepts",
        "claims per kind",
    ] {
        assert!(stdout(&out).contains(label), "{label}: {}", stdout(&out));
    }
}

fn stats(ix: &Indexed) -> Value {
    let out = ix.run(&["stats", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(ix.index_dir().is_dir());
    serde_json::from_str(stdout(&out).trim()).expect("stats JSON")
}

/// Articles with distinct texts (so distinct content ids), one JSON record per line.
fn write_archive(dir: &Path, n: usize) -> PathBuf {
    use std::io::Write;
    let path = dir.join("archive.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..n {
        let record = serde_json::json!({
            "title": format!("第{i}篇复盘"),
            "text": format!(
                "第{i}篇：利通电子在手3000P，润泽科技业绩同比增长46%到54%，北向资金净卖出{}.5亿元。",
                i % 97
            ),
            "date": "2026-03-18",
        });
        writeln!(f, "{record}").unwrap();
    }
    path
}

fn article_count(dir: &Path, index: &Path) -> Option<u64> {
    let out = fupan(
        dir,
        &["stats", "--json", "--index", index.to_str().unwrap()],
    );
    if !out.status.success() {
        return None;
    }
    let v: Value = serde_json::from_str(stdout(&out).trim()).ok()?;
    v["articles"].as_u64()
}

#[test]
fn killed_index_run_resumes_with_every_article_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    const N: usize = 40_000;
    let archive = write_archive(dir.path(), N);
    let index = dir.path().join("ix");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fupan"))
        .args(["index", "-q", "--commit-every", "2000", "--index"])
        .arg(&index)
        .arg(&archive)
        .current_dir(dir.path())
        .spawn()
        .unwrap();
    // Wait for the first commit, then kill the run with SIGKILL (no chance to clean up).
    let mut seen = 0;
    for _ in 0..600 {
        if let Some(n) = article_count(dir.path(), &index) {
            if n > 0 {
                seen = n;
                break;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    assert!(
        seen > 0,
        "a commit became visible while the run was going on"
    );
    assert!(
        still_running,
        "the run was killed in the middle (it had not finished when {seen} articles were committed)"
    );
    let after_kill = article_count(dir.path(), &index).expect("the killed index opens");
    assert!(
        after_kill < N as u64,
        "the kill interrupted the run ({after_kill} of {N})"
    );

    let rerun = fupan(
        dir.path(),
        &[
            "index",
            "-q",
            "--index",
            index.to_str().unwrap(),
            archive.to_str().unwrap(),
        ],
    );
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    assert_eq!(
        article_count(dir.path(), &index),
        Some(N as u64),
        "every article exactly once"
    );
    let again = fupan(
        dir.path(),
        &[
            "index",
            "--index",
            index.to_str().unwrap(),
            archive.to_str().unwrap(),
        ],
    );
    let summary = stderr(&again);
    assert!(
        summary.contains(" 0 articles added") && summary.contains(&format!("{N} skipped")),
        "{summary}"
    );
    assert_eq!(article_count(dir.path(), &index), Some(N as u64));
}

//! Integration tests for `fupan extract` and `fupan eval`: the real binary on the bundled corpus,
//! on files written into temporary directories, and on the gold annotations.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use serde_json::Value;

use crate::util::{fupan, repo, shared, stderr, stdout};

fn records(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

fn codes(record: &Value) -> BTreeSet<String> {
    record["stocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap().to_string())
        .collect()
}

fn seed_record() -> Value {
    let o = fupan(&repo(), &["extract", "corpus/recap-2024-03.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    records(&stdout(&o)).remove(0)
}

#[test]
fn seed_has_every_gold_stock_and_no_extra() {
    let record = seed_record();
    let gold: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/data/recap-2024-03.gold.json")).unwrap(),
    )
    .unwrap();
    let want: BTreeSet<String> = gold["stocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap().to_string())
        .collect();
    let got = codes(&record);
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(missing.is_empty(), "missing {missing:?}");
    assert!(extra.len() <= 1, "extra {extra:?}");
}

#[test]
fn seed_record_follows_output_spec() {
    let r = seed_record();
    for field in [
        "id", "source", "title", "date", "author", "chars", "stocks", "concepts", "claims",
        "warnings",
    ] {
        assert!(r.get(field).is_some(), "missing field {field}");
    }
    assert_eq!(r["id"].as_str().unwrap().len(), 16);
    let text = std::fs::read_to_string(repo().join("corpus/recap-2024-03.txt")).unwrap();
    assert_eq!(r["chars"].as_u64().unwrap() as usize, text.chars().count());
    // every span points at its text in the original
    for group in ["stocks", "concepts", "organizations"] {
        for hit in r[group].as_array().unwrap() {
            for m in hit["mentions"].as_array().unwrap() {
                let (s, e) = (
                    m["start"].as_u64().unwrap() as usize,
                    m["end"].as_u64().unwrap() as usize,
                );
                assert_eq!(&text[s..e], m["text"].as_str().unwrap());
            }
        }
    }
    for c in r["claims"].as_array().unwrap() {
        let (s, e) = (
            c["start"].as_u64().unwrap() as usize,
            c["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], c["text"].as_str().unwrap());
    }
    let concepts: Vec<&str> = r["concepts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for theme in [
        "算力租赁",
        "低空经济",
        "铜缆高速连接",
        "算力调度",
        "中文语料",
        "Kimi概念",
    ] {
        assert!(
            concepts.contains(&theme),
            "concept {theme} missing from {concepts:?}"
        );
    }
    let orgs: Vec<&str> = r["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for org in ["月之暗面", "英伟达", "火山引擎", "阶跃星辰"] {
        assert!(
            orgs.contains(&org),
            "organisation {org} missing from {orgs:?}"
        );
    }
    let warnings = r["warnings"].to_string();
    assert!(
        warnings.contains("润建股份"),
        "typo correction is reported: {warnings}"
    );
}

#[test]
fn seed_claims_match_the_brief() {
    let r = seed_record();
    let claims = r["claims"].as_array().unwrap();
    let has = |kind: &str, subject: &str, value: Option<f64>| {
        claims.iter().any(|c| {
            c["kind"] == kind
                && (c["subject"]["code"] == subject || c["subject"]["name"] == subject)
                && value.is_none_or(|v| c["value"].as_f64() == Some(v))
        })
    };
    assert!(has("compute_capacity", "603629", Some(3000.0)));
    assert!(has("compute_capacity", "002929", Some(2500.0)));
    assert!(has("capital_flow", "北向资金", Some(-31.38)));
    assert!(has("turnover", "两市", Some(10973.0)));
    assert!(has("limit_up_streak", "603580", Some(13.0)));
    assert!(has("limit_up_streak", "600841", Some(4.0)));
    let growth = claims
        .iter()
        .find(|c| c["kind"] == "earnings_growth")
        .unwrap();
    assert_eq!(growth["subject"]["code"], "300442");
    assert_eq!(
        (growth["low"].as_f64(), growth["high"].as_f64()),
        (Some(46.0), Some(54.0))
    );
}

#[test]
fn bundled_corpus_reads_every_format() {
    let o = fupan(&repo(), &["extract", "corpus/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rs = records(&stdout(&o));
    let sources: Vec<&str> = rs.iter().map(|r| r["source"].as_str().unwrap()).collect();
    assert!(sources.contains(&"corpus/posts.jsonl#2"), "{sources:?}");
    let gbk = rs
        .iter()
        .find(|r| r["source"] == "corpus/gbk-2026-03-25.txt")
        .unwrap();
    assert!(gbk["warnings"].to_string().contains("gb18030"));
    assert!(
        codes(gbk).contains("600841"),
        "GBK text decoded and recognised"
    );
    assert_eq!(gbk["date"], "2026-03-25");
    let ladder = rs
        .iter()
        .find(|r| r["source"] == "corpus/ladder-2026-03-18.txt")
        .unwrap();
    let lc = codes(ladder);
    for code in ["600396", "300750", "600519", "300502", "300308", "300394"] {
        assert!(lc.contains(code), "nickname stock {code} missing: {lc:?}");
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn bad_input_is_reported_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", "利通电子涨停。".as_bytes());
    write(
        dir.path(),
        "b.bin.txt",
        &(0..4000u32)
            .map(|i| (i * 37 % 256) as u8)
            .collect::<Vec<_>>(),
    );
    write(
        dir.path(),
        "c.jsonl",
        "{\"title\":\"一\",\"text\":\"润泽科技涨停\"}\n{broken\n{\"title\":\"三\",\"text\":\"思特奇跌停\"}\n".as_bytes(),
    );
    write(dir.path(), "d.zip", b"PK\x03\x04 not really a zip");
    write(
        dir.path(),
        "e.csv",
        "标题,正文\n早评,中文在线涨停\n".as_bytes(),
    );
    let o = fupan(dir.path(), &["extract", "."]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "exit code tells that something failed"
    );
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("b.bin.txt: binary file"), "{err}");
    assert!(err.contains("c.jsonl#2: malformed JSON"), "{err}");
    assert!(err.contains("d.zip: unreadable zip archive"), "{err}");
    let rs = records(&stdout(&o));
    let sources: Vec<&str> = rs.iter().map(|r| r["source"].as_str().unwrap()).collect();
    assert_eq!(
        sources,
        ["./a.txt", "./c.jsonl#1", "./c.jsonl#3", "./e.csv#1"]
    );
}

#[test]
fn missing_path_fails_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let o = fupan(dir.path(), &["extract", "nowhere.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("fupan: nowhere.txt:"), "{}", stderr(&o));
}

#[test]
fn html_markdown_and_zip_members() {
    let dir = tempfile::tempdir().unwrap();
    let html = "<html><head><title>午评</title><style>p{color:red}</style></head><body>\
                <p>润泽科技&nbsp;涨停<script>document.write('宁德时代')</script><div>北向资金净卖出31.38亿元";
    write(dir.path(), "page.html", html.as_bytes());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("inner/news.md", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all("# 标题\n**利通电子**在手3000P".as_bytes())
        .unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    write(dir.path(), "arch.zip", &bytes);
    let o = fupan(dir.path(), &["extract", "arch.zip", "page.html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rs = records(&stdout(&o));
    assert_eq!(rs[0]["source"], "arch.zip!inner/news.md");
    assert_eq!(rs[0]["title"], "标题");
    assert!(codes(&rs[0]).contains("603629"));
    assert_eq!(rs[1]["title"], "午评");
    let page_codes = codes(&rs[1]);
    assert!(
        page_codes.contains("300442") && !page_codes.contains("300750"),
        "{page_codes:?}"
    );
    assert_eq!(rs[1]["claims"][1]["value"], -31.38);
}

#[test]
fn traditional_script_and_codes() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "hk.txt",
        "港股通資訊\n恆潤股份公佈算力規劃，利通電子(603629.SH)漲停。成交額10973億元，sz002929同步走強。".as_bytes(),
    );
    let o = fupan(dir.path(), &["extract", "hk.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = &records(&stdout(&o))[0];
    let got = codes(r);
    for code in ["603985", "603629", "002929"] {
        assert!(got.contains(code), "{code} missing from {got:?}");
    }
    let text = std::fs::read_to_string(dir.path().join("hk.txt")).unwrap();
    for s in r["stocks"].as_array().unwrap() {
        for m in s["mentions"].as_array().unwrap() {
            let (a, b) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                &text[a..b],
                m["text"].as_str().unwrap(),
                "offsets point into the original"
            );
        }
    }
    assert!(
        r["stocks"].to_string().contains("恆潤股份"),
        "the original surface form is quoted"
    );
}

#[test]
fn numbers_in_text_are_not_codes() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "n.txt",
        "两市成交额600519亿，比昨天多300750亿元的说法不对；20240322是日期。".as_bytes(),
    );
    let o = fupan(dir.path(), &["extract", "n.txt"]);
    let r = &records(&stdout(&o))[0];
    assert!(codes(r).is_empty(), "{:?}", codes(r));
}

#[test]
fn stdin_and_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fupan"))
        .args(["extract", "-", "-o", "out.jsonl"])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("宁王大涨，茅台护盘。".as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    let out = std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    let r = &records(&out)[0];
    assert_eq!(r["source"], "-");
    assert_eq!(
        codes(r),
        BTreeSet::from(["300750".to_string(), "600519".to_string()])
    );
}

#[test]
fn eval_scores_the_seed_and_enforces_bars() {
    let gold = repo().join("tests/data");
    let o = fupan(
        &repo(),
        &[
            "eval",
            "--gold",
            gold.to_str().unwrap(),
            "corpus/recap-2024-03.txt",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["stocks"]["fn"], 0);
    assert_eq!(report["claims"]["fn"], 0, "every seed gold claim is found");
    assert!(report["claims"]["fp"].as_u64().unwrap() <= 1);
    let strict = fupan(
        &repo(),
        &[
            "eval",
            "--gold",
            gold.to_str().unwrap(),
            "corpus/recap-2024-03.txt",
            "--min-claim-f1",
            "1.0",
        ],
    );
    assert_eq!(strict.status.code(), Some(1), "below the bar exits 1");
}

#[test]
fn dev_gold_stock_and_claim_quality() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus");
    let o = fupan(
        &repo(),
        &[
            "eval",
            "--gold",
            "tests/gold",
            corpus.join("taoguba_2026q1").to_str().unwrap(),
            corpus.join("news_bbt/items.jsonl").to_str().unwrap(),
            corpus.join("news_compute_dev").to_str().unwrap(),
            corpus.join("eastmoney_sina_2018").to_str().unwrap(),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let f1 = |c: &Value| {
        let (tp, fp, fn_) = (
            c["tp"].as_f64().unwrap(),
            c["fp"].as_f64().unwrap(),
            c["fn"].as_f64().unwrap(),
        );
        2.0 * tp / (2.0 * tp + fp + fn_)
    };
    assert!(report["articles"].as_array().unwrap().len() >= 28);
    assert!(
        f1(&report["stocks"]) >= 0.97,
        "stock F1 {}",
        f1(&report["stocks"])
    );
    assert!(
        f1(&report["claims"]) >= 0.85,
        "claim F1 {}",
        f1(&report["claims"])
    );
    // each gold folder is reported apart, and the test split is told from the dev split
    let groups = report["groups"].as_array().unwrap();
    let group = |name: &str| groups.iter().find(|g| g["name"] == name);
    let root = group(".").expect("the posts and news folder");
    assert!(
        f1(&root["claims"]) >= 0.93,
        "claim F1 {}",
        f1(&root["claims"])
    );
    let test = group("test split").expect("a test split");
    assert_eq!(test["test"], true);
    // the compute-chain test folder and the news one make up the split together
    assert_eq!(
        group("test").expect("the compute test folder")["articles"],
        23
    );
    let news = group("news_earnings/test").expect("the news test folder");
    assert_eq!(news["test"], true);
    let folders: u64 = groups
        .iter()
        .filter(|g| g["test"] == true && g["name"] != "test split")
        .map(|g| g["articles"].as_u64().unwrap())
        .sum();
    assert_eq!(test["articles"].as_u64(), Some(folders));
}

/// One claim read twice at one place is given once: both 跌停 of one clause say the stock's one
/// limit-down, and a headline's list of limit-up stocks is not given again for each of its items.
#[test]
fn a_claim_read_twice_at_one_place_is_given_once() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "twice.txt",
        "【传媒板块异动拉升 多股涨停】吉视传媒、中原传媒、湖北广电涨停。\n\
         顺威股份在连续第8个跌停板时上演了从跌停到涨停的天地板。"
            .as_bytes(),
    );
    let o = fupan(dir.path(), &["extract", "twice.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = &records(&stdout(&o))[0];
    let claims: Vec<(String, String)> = r["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "limit_up" || c["kind"] == "limit_down")
        .map(|c| {
            let code = c["subject"]["code"].as_str().unwrap_or_default();
            (c["kind"].as_str().unwrap().to_string(), code.to_string())
        })
        .collect();
    let mut once = claims.clone();
    once.sort();
    once.dedup();
    assert_eq!(claims.len(), once.len(), "{claims:?}");
    for code in ["601929", "000719", "000665"] {
        assert!(
            once.contains(&("limit_up".into(), code.into())),
            "{code}: {once:?}"
        );
    }
    assert!(
        once.contains(&("limit_down".into(), "002676".into())),
        "{once:?}"
    );
}

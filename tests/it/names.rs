//! Integration tests for issue 19 on the real binary: names that changed hands resolve by the
//! article's date, ambiguous names in company news, and guarded typo repair.

use std::path::Path;

use serde_json::Value;

use crate::util::{fupan, stderr, stdout};

/// Runs `fupan extract` on a JSON Lines file of `(date, text)` records; returns the records and
/// standard error.
fn extract(dir: &Path, items: &[(Option<&str>, &str)]) -> (Vec<Value>, String) {
    let lines: Vec<String> = items
        .iter()
        .map(|(date, text)| match date {
            Some(d) => serde_json::json!({"date": d, "text": text}).to_string(),
            None => serde_json::json!({"text": text}).to_string(),
        })
        .collect();
    std::fs::write(dir.join("items.jsonl"), lines.join("\n") + "\n").unwrap();
    let o = fupan(dir, &["extract", "items.jsonl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let records = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (records, stderr(&o))
}

/// `(code, name, forms as written)` of every stock of a record.
fn stocks(record: &Value) -> Vec<(String, String, Vec<String>)> {
    record["stocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let forms = s["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["text"].as_str().unwrap().to_string())
                .collect();
            let field = |k: &str| s[k].as_str().unwrap().to_string();
            (field("code"), field("name"), forms)
        })
        .collect()
}

fn codes(record: &Value) -> Vec<String> {
    stocks(record).into_iter().map(|(c, _, _)| c).collect()
}

#[test]
fn names_that_changed_hands_mean_their_bearer_on_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let (rs, err) = extract(
        dir.path(),
        &[
            (Some("2017-04-12"), "金冠电气发布公告，拟收购资产"),
            (Some("2024-06-03"), "金冠电气发布公告，拟收购资产"),
            (None, "金冠电气发布公告，拟收购资产"),
            (Some("2018-12-20"), "*ST海投公告称将申请撤销退市风险警示"),
            (Some("2022-03-01"), "*ST海投公告称将申请撤销退市风险警示"),
            (Some("2019-06-15"), "金冠电气发布公告"),
        ],
    );
    // the old bearer keeps today's name; the form as written is in mentions[].text
    assert_eq!(
        stocks(&rs[0]),
        [(
            "300510".into(),
            "金冠股份".into(),
            vec!["金冠电气".to_string()]
        )]
    );
    assert_eq!(codes(&rs[1]), ["688517"]);
    assert_eq!(codes(&rs[2]), ["688517"], "no date: today's bearer");
    assert_eq!(
        stocks(&rs[3]),
        [(
            "600896".into(),
            "退市海医".into(),
            vec!["*ST海投".to_string()]
        )]
    );
    assert_eq!(codes(&rs[4]), ["000616"]);
    // between the two periods: the nearer one, with a warning in the record and on stderr
    assert_eq!(codes(&rs[5]), ["300510"]);
    let warnings = rs[5]["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("name_history.tsv")),
        "{warnings:?}"
    );
    assert!(
        err.contains("items.jsonl#6") && err.contains("name_history.tsv"),
        "{err}"
    );
    assert!(
        !err.contains("items.jsonl#1:"),
        "decided names are not warned: {err}"
    );
}

#[test]
fn ambiguous_names_in_company_news_are_the_company() {
    let dir = tempfile::tempdir().unwrap();
    let (rs, _) = extract(
        dir.path(),
        &[
            (
                Some("2018-03-02"),
                "人民网：2017年净利润同比增长\n公司公告称业绩向好。",
            ),
            (Some("2018-03-02"), "新大陆（000997.SZ）发布公告"),
            (Some("2018-03-02"), "老百姓减持计划实施完毕"),
            (Some("2018-03-02"), "明天打板新大陆"),
            (Some("2018-03-02"), "要让老百姓得到实惠"),
            (Some("2018-03-02"), "东方财富全A指数下跌"),
            (Some("2018-03-02"), "机器人：润泽科技、利通电子"),
        ],
    );
    let got: Vec<Vec<String>> = rs.iter().map(codes).collect();
    let want: Vec<Vec<&str>> = vec![
        vec!["603000"],
        vec!["000997"],
        vec!["603883"],
        vec!["000997"],
        vec![],
        vec![],
        vec!["300442", "603629"],
    ];
    assert_eq!(got, want);
}

#[test]
fn typo_repair_overreach_regressions() {
    let dir = tempfile::tempdir().unwrap();
    let (rs, _) = extract(
        dir.path(),
        &[
            (None, "推动碳中和科技创新"),
            (None, "中信证券与安信证券联合发布研报"),
            (None, "国信证券、安信证券"),
            (None, "华泰证券和华创证券"),
            (None, "康臣药业（1681.HK）公布年度业绩"),
            (None, "润健股份提供算力"),
        ],
    );
    let got: Vec<Vec<String>> = rs.iter().map(codes).collect();
    let want: Vec<Vec<&str>> = vec![
        vec![],
        vec!["600030"],
        vec!["002736"],
        vec!["601688"],
        vec![],
        vec!["002929"],
    ];
    assert_eq!(got, want);
    // the brokers and the HK company are organisations
    let orgs = |r: &Value| -> Vec<String> {
        r["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(orgs(&rs[1]), ["安信证券"]);
    assert_eq!(orgs(&rs[3]), ["华创证券"]);
    assert_eq!(orgs(&rs[4]), ["康臣药业"]);
}

/// Four articles (with different texts: the index keeps one copy of a text): 金冠电气 in 2017 (300510) and 2024 (688517), 300510 under its new name in
/// 2024, and 金冠电气 undated (today's bearer, 688517), as files whose names carry the dates.
fn write_kinguan_articles(dir: &Path) {
    let articles = dir.join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    for (name, text) in [
        ("2017-04-12_a.txt", "金冠电气发布公告，拟收购一家公司。"),
        ("2024-06-03_b.txt", "金冠电气发布公告，拟回购股份。"),
        ("2024-06-04_c.txt", "金冠股份发布公告，拟出售资产。"),
        ("d.txt", "金冠电气发布公告，拟增持。"),
    ] {
        std::fs::write(articles.join(name), text).unwrap();
    }
}

/// The article files (`a` … `d`) in a command's output lines, sorted.
fn files_in(out: &str) -> Vec<String> {
    let mut files: Vec<String> = ["a", "b", "c", "d"]
        .iter()
        .filter(|f| out.contains(&format!("_{f}.txt")) || out.contains(&format!("/{f}.txt")))
        .map(|f| f.to_string())
        .collect();
    files.sort();
    files
}

#[test]
fn search_and_export_filters_read_a_name_on_each_articles_date() {
    let dir = tempfile::tempdir().unwrap();
    write_kinguan_articles(dir.path());
    let o = fupan(dir.path(), &["index", "--index", "idx", "articles"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let search = |q: &str| {
        let o = fupan(dir.path(), &["search", "--index", "idx", "--json", q]);
        assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
        files_in(&stdout(&o))
    };
    // the name means 300510 in 2017, 688517 in 2024 and without a date; never 金冠股份's 2024 news
    assert_eq!(search("stock:金冠电气"), ["a", "b", "d"]);
    assert_eq!(search("stock:300510"), ["a", "c"]);
    assert_eq!(search("stock:688517"), ["b", "d"]);

    let o = fupan(dir.path(), &["extract", "articles", "-o", "out.jsonl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let export = |stock: &str| {
        let args = [
            "export",
            "articles",
            "--from-jsonl",
            "out.jsonl",
            "--stock",
            stock,
        ];
        let o = fupan(dir.path(), &args);
        assert!(o.status.success(), "{}", stderr(&o));
        files_in(&stdout(&o))
    };
    assert_eq!(export("金冠电气"), ["a", "b", "d"]);
    assert_eq!(export("金冠股份"), ["a", "c"]);
}

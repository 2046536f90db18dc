//! Evaluation against gold annotations (the format of `docs/GOLD.md`).
//!
//! Takes gold files and extraction records and gives precision, recall and F1 for stocks and
//! claims, per article, per claim kind and in total. Scoring follows `docs/GOLD.md`: stocks are sets of
//! codes per article (uncertain codes count neither way); a predicted claim matches an unmatched
//! gold claim of the same kind and subject (code for stocks, name otherwise) whose numbers agree
//! within 0.5%. A claim predicted twice counts once.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, WithPath};
use crate::model::{ArticleRecord, Claim, ClaimKind};

/// One gold file.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    /// File name (or `file#N` for a record) of the article.
    pub article: String,
    /// Gold date, if any.
    #[serde(default)]
    pub date: Option<String>,
    /// Stocks referred to.
    #[serde(default)]
    pub stocks: Vec<GoldStock>,
    /// Stocks whose reference is uncertain (ignored in scoring).
    #[serde(default)]
    pub stocks_uncertain: Vec<GoldStock>,
    /// Claims.
    #[serde(default)]
    pub claims: Vec<GoldClaim>,
    /// Where the gold file is.
    #[serde(skip)]
    pub path: PathBuf,
    /// The folder of the gold file below the gold root (`.` for the root itself).
    #[serde(skip)]
    pub group: String,
    /// True for the test split: a gold file under a folder named `test`.
    #[serde(skip)]
    pub test: bool,
}

/// A gold stock.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldStock {
    /// Six-digit code.
    pub code: String,
    /// Surface forms used.
    #[serde(default)]
    pub forms: Vec<String>,
}

/// A gold claim.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldClaim {
    /// Claim kind.
    pub kind: ClaimKind,
    /// Code for stocks, a name otherwise, or null.
    #[serde(default)]
    pub subject: Option<String>,
    /// Single value.
    #[serde(default)]
    pub value: Option<f64>,
    /// Range low.
    #[serde(default)]
    pub low: Option<f64>,
    /// Range high.
    #[serde(default)]
    pub high: Option<f64>,
    /// Evidence text.
    #[serde(default)]
    pub text: String,
    /// What was measured; outer `None` when the gold file leaves the slot out.
    #[serde(default, deserialize_with = "present")]
    pub metric: Option<Option<String>>,
    /// When it holds; outer `None` when left out.
    #[serde(default, deserialize_with = "present")]
    pub period: Option<Option<String>>,
    /// yoy, qoq or cagr; outer `None` when left out.
    #[serde(default, deserialize_with = "present")]
    pub basis: Option<Option<String>>,
}

/// A slot written in a gold file, null or not (a slot left out stays `None`).
fn present<'de, D>(d: D) -> std::result::Result<Option<Option<String>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    Option::<String>::deserialize(d).map(Some)
}

/// Loads every `*.gold.json` under a directory and its folders, sorted by path. Each gold keeps
/// its folder as its group; files under a folder named `test` form the test split.
pub fn load_gold_dir(dir: &Path) -> Result<Vec<Gold>> {
    let mut paths = Vec::new();
    collect_gold(dir, &mut paths)?;
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let mut gold = load_gold(p)?;
            let folder = p.parent().and_then(|f| f.strip_prefix(dir).ok());
            gold.group = match folder {
                Some(f) if !f.as_os_str().is_empty() => f.display().to_string(),
                _ => ".".to_string(),
            };
            gold.test = folder.is_some_and(|f| f.components().any(|c| c.as_os_str() == "test"));
            Ok(gold)
        })
        .collect()
}

fn collect_gold(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_path(dir)? {
        let path = entry.with_path(dir)?.path();
        if path.is_dir() {
            collect_gold(&path, out)?;
        } else if path.to_string_lossy().ends_with(".gold.json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Loads one gold file.
pub fn load_gold(path: &Path) -> Result<Gold> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut gold: Gold =
        serde_json::from_str(&text).map_err(|e| Error::gold(path, "").because(e))?;
    gold.path = path.to_path_buf();
    Ok(gold)
}

/// Reads `fupan extract` output (JSON Lines) as predictions: the records, and an error naming
/// the line for each line that is not a record (the rest are still read).
pub fn read_predictions(path: &Path) -> Result<(Vec<ArticleRecord>, Vec<Error>)> {
    let text = std::fs::read_to_string(path).with_path(path)?;
    let mut records = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str(line) {
            Ok(r) => records.push(r),
            Err(e) => bad.push(
                Error::bad_input(
                    format!("{}#{}", path.display(), i + 1),
                    "not an extract record",
                )
                .because(e),
            ),
        }
    }
    Ok((records, bad))
}

/// True when a record's source is the gold's article (same file name or `file#N` at the end).
pub fn source_matches(source: &str, article: &str) -> bool {
    source == article
        || source
            .strip_suffix(article)
            .is_some_and(|rest| rest.ends_with('/') || rest.ends_with('!') || rest.ends_with('\\'))
}

/// Counts of true positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives (`fn` in JSON).
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    /// Precision (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Recall (1 when nothing was expected).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// F1 (1 when both sides are empty).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// A scoring difference, for `--verbose`.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    /// `missed` or `extra`.
    pub what: &'static str,
    /// `stock` or the claim kind.
    pub field: String,
    /// Code / subject and numbers.
    pub item: String,
    /// Evidence text.
    pub text: String,
}

/// The score of one article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleScore {
    /// The gold article.
    pub article: String,
    /// Whether extraction produced the article at all.
    pub found: bool,
    /// Stock counts.
    pub stocks: Counts,
    /// Claim counts per kind.
    pub claims: BTreeMap<ClaimKind, Counts>,
    /// Misses and false positives.
    pub differences: Vec<Difference>,
    /// Slot agreement over the matched claims.
    pub slots: Slots,
    /// The gold file's group and split.
    pub group: String,
    /// True for the test split.
    pub test: bool,
}

/// How often a slot of matched claims agrees with the gold, where the gold states it.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct SlotCount {
    /// Matched claims whose slot agrees.
    pub agree: usize,
    /// Matched claims whose gold has the slot.
    pub total: usize,
}

impl SlotCount {
    /// The share that agrees (1.0 when there is nothing to compare).
    pub fn accuracy(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.agree as f64 / self.total as f64
        }
    }
}

/// Agreement of the metric, period and basis slots.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Slots {
    /// `metric`.
    pub metric: SlotCount,
    /// `period`.
    pub period: SlotCount,
    /// `basis`.
    pub basis: SlotCount,
}

impl Slots {
    fn add(&mut self, o: Slots) {
        for (a, b) in [
            (&mut self.metric, o.metric),
            (&mut self.period, o.period),
            (&mut self.basis, o.basis),
        ] {
            a.agree += b.agree;
            a.total += b.total;
        }
    }

    /// All three slots together.
    pub fn all(&self) -> SlotCount {
        SlotCount {
            agree: self.metric.agree + self.period.agree + self.basis.agree,
            total: self.metric.total + self.period.total + self.basis.total,
        }
    }
}

/// The figures of one group of gold files (a folder), or of a split.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GroupReport {
    /// The folder below the gold root, or `dev` / `test` for a whole split.
    pub name: String,
    /// True for the test split.
    pub test: bool,
    /// Gold articles.
    pub articles: usize,
    /// Stocks.
    pub stocks: Counts,
    /// Claims.
    pub claims: Counts,
    /// Claims per kind.
    pub claims_by_kind: BTreeMap<ClaimKind, Counts>,
    /// Slot agreement over matched claims.
    pub slots: Slots,
}

impl GroupReport {
    fn add(&mut self, a: &ArticleScore) {
        self.articles += 1;
        self.stocks.add(a.stocks);
        for (k, c) in &a.claims {
            self.claims.add(*c);
            self.claims_by_kind.entry(*k).or_default().add(*c);
        }
        self.slots.add(a.slots);
    }
}

/// The whole evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Per article.
    pub articles: Vec<ArticleScore>,
    /// Stocks over all articles.
    pub stocks: Counts,
    /// Claims over all articles and kinds.
    pub claims: Counts,
    /// Claims per kind over all articles.
    pub claims_by_kind: BTreeMap<ClaimKind, Counts>,
    /// Slot agreement over all matched claims.
    pub slots: Slots,
    /// Per folder of gold files, then the dev and test splits.
    pub groups: Vec<GroupReport>,
}

/// Scores records against gold files; records without gold are ignored.
pub fn evaluate(golds: &[Gold], records: &[ArticleRecord]) -> Report {
    let mut articles = Vec::new();
    let mut stocks = Counts::default();
    let mut claims = Counts::default();
    let mut by_kind: BTreeMap<ClaimKind, Counts> = BTreeMap::new();
    let mut slots = Slots::default();
    let mut groups: Vec<GroupReport> = Vec::new();
    let mut splits = [
        GroupReport {
            name: "dev split".into(),
            ..GroupReport::default()
        },
        GroupReport {
            name: "test split".into(),
            test: true,
            ..GroupReport::default()
        },
    ];
    for gold in golds {
        let record = records
            .iter()
            .find(|r| source_matches(&r.source, &gold.article));
        let score = score_article(gold, record);
        slots.add(score.slots);
        match groups.iter_mut().find(|g| g.name == gold.group) {
            Some(g) => g.add(&score),
            None => {
                let mut g = GroupReport {
                    name: gold.group.clone(),
                    test: gold.test,
                    ..GroupReport::default()
                };
                g.add(&score);
                groups.push(g);
            }
        }
        splits[usize::from(gold.test)].add(&score);
        stocks.add(score.stocks);
        for (k, c) in &score.claims {
            claims.add(*c);
            by_kind.entry(*k).or_default().add(*c);
        }
        articles.push(score);
    }
    let folders = groups.len();
    groups.extend(splits.into_iter().filter(|s| s.articles > 0 && folders > 1));
    Report {
        articles,
        stocks,
        claims,
        claims_by_kind: by_kind,
        slots,
        groups,
    }
}

fn score_article(gold: &Gold, record: Option<&ArticleRecord>) -> ArticleScore {
    let empty = Vec::new();
    let (pred_stocks, pred_claims) = match record {
        Some(r) => (&r.stocks, &r.claims),
        None => (&Vec::new(), &empty),
    };
    let mut differences = Vec::new();
    let gold_codes: HashSet<&str> = gold.stocks.iter().map(|s| s.code.as_str()).collect();
    let uncertain: HashSet<&str> = gold
        .stocks_uncertain
        .iter()
        .map(|s| s.code.as_str())
        .collect();
    let pred_codes: HashSet<&str> = pred_stocks.iter().map(|s| s.code.as_str()).collect();
    let mut stocks = Counts::default();
    for s in &gold.stocks {
        if pred_codes.contains(s.code.as_str()) {
            stocks.tp += 1;
        } else {
            stocks.fn_ += 1;
            differences.push(Difference {
                what: "missed",
                field: "stock".into(),
                item: s.code.clone(),
                text: s.forms.join("|"),
            });
        }
    }
    for s in pred_stocks {
        if !gold_codes.contains(s.code.as_str()) && !uncertain.contains(s.code.as_str()) {
            stocks.fp += 1;
            let forms: Vec<&str> = s.mentions.iter().map(|m| m.text.as_str()).collect();
            differences.push(Difference {
                what: "extra",
                field: "stock".into(),
                item: format!("{} {}", s.code, s.name),
                text: forms.join("|"),
            });
        }
    }
    let (claims, slots) = score_claims(gold, pred_claims, &mut differences);
    ArticleScore {
        article: gold.article.clone(),
        found: record.is_some(),
        stocks,
        claims,
        differences,
        slots,
        group: gold.group.clone(),
        test: gold.test,
    }
}

fn subject_key(c: &Claim) -> Option<String> {
    c.subject.code.clone().or_else(|| c.subject.name.clone())
}

/// Two subjects are the same when they are equal but for spaces and the width of brackets: a
/// Latin name is written with spaces or without (`欧洲STOXX 600指数`, `欧洲STOXX600指数`), and
/// subjects are read from the text with full-width forms made half-width.
fn same_subject(gold: &Option<String>, predicted: &Option<String>) -> bool {
    match (gold, predicted) {
        (Some(g), Some(p)) => {
            // (and full-width brackets as half-width ones: 港股通（沪）, 港股通(沪))
            let squeeze = |t: &str| {
                t.split_whitespace()
                    .collect::<String>()
                    .replace('（', "(")
                    .replace('）', ")")
            };
            squeeze(g) == squeeze(p)
        }
        (g, p) => g == p,
    }
}

/// GOLD.md's number rule: both absent, or both present and within 0.5% of each other.
pub fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() <= 0.005 * x.abs().max(y.abs()) + 1e-9,
        _ => false,
    }
}

fn numbers_agree(p: &Claim, g: &GoldClaim) -> bool {
    close(p.value, g.value) && close(p.low, g.low) && close(p.high, g.high)
}

fn describe(subject: &Option<String>, v: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> String {
    let subject = subject.as_deref().unwrap_or("null");
    match (v, lo, hi) {
        (Some(v), _, _) => format!("{subject} {v}"),
        (None, Some(l), Some(h)) => format!("{subject} {l}..{h}"),
        _ => subject.to_string(),
    }
}

/// How many of metric, period and basis a predicted claim gives as its gold claim does.
fn slots_agreeing(p: &Claim, g: &GoldClaim) -> usize {
    [
        (&g.metric, &p.metric),
        (&g.period, &p.period),
        (&g.basis, &p.basis),
    ]
    .iter()
    .filter(|(want, got)| want.as_ref().is_some_and(|w| w == *got))
    .count()
}

fn score_claims(
    gold: &Gold,
    predicted: &[Claim],
    differences: &mut Vec<Difference>,
) -> (BTreeMap<ClaimKind, Counts>, Slots) {
    let mut counts: BTreeMap<ClaimKind, Counts> = BTreeMap::new();
    let mut slots = Slots::default();
    let mut seen = Vec::new();
    let mut used = vec![false; gold.claims.len()];
    for p in predicted {
        // of the gold claims this one may be, the one whose metric, period and basis agree most
        // with it (the first of equals): two claims of one figure (营收、净利润均增长23%) pair
        // each with its own
        let hit = gold
            .claims
            .iter()
            .enumerate()
            .filter(|&(i, g)| {
                !used[i]
                    && g.kind == p.kind
                    && same_subject(&g.subject, &subject_key(p))
                    && numbers_agree(p, g)
            })
            .max_by_key(|&(i, g)| (slots_agreeing(p, g), std::cmp::Reverse(i)))
            .map(|(i, _)| i);
        // a claim stated again (a title repeating its body) is no extra when no gold claim is
        // left for it
        let key = (p.kind, subject_key(p), p.value, p.low, p.high);
        if hit.is_none() && seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let c = counts.entry(p.kind).or_default();
        match hit {
            Some(i) => {
                used[i] = true;
                c.tp += 1;
                let g = &gold.claims[i];
                for (slot, want, got) in [
                    (&mut slots.metric, &g.metric, &p.metric),
                    (&mut slots.period, &g.period, &p.period),
                    (&mut slots.basis, &g.basis, &p.basis),
                ] {
                    if let Some(want) = want {
                        slot.total += 1;
                        if want == got {
                            slot.agree += 1;
                        } else {
                            differences.push(Difference {
                                what: "slot",
                                field: p.kind.to_string(),
                                item: format!("want {want:?} got {got:?}"),
                                text: p.text.clone(),
                            });
                        }
                    }
                }
            }
            None => {
                c.fp += 1;
                differences.push(Difference {
                    what: "extra",
                    field: p.kind.to_string(),
                    item: describe(&subject_key(p), p.value, p.low, p.high),
                    text: p.text.clone(),
                });
            }
        }
    }
    for (g, used) in gold.claims.iter().zip(used) {
        if !used {
            counts.entry(g.kind).or_default().fn_ += 1;
            differences.push(Difference {
                what: "missed",
                field: g.kind.to_string(),
                item: describe(&g.subject, g.value, g.low, g.high),
                text: g.text.clone(),
            });
        }
    }
    (counts, slots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_matching() {
        let c = Counts {
            tp: 8,
            fp: 2,
            fn_: 2,
        };
        assert!((c.f1() - 0.8).abs() < 1e-9);
        assert!(source_matches(
            "../shared/corpus/news_bbt/items.jsonl#200",
            "items.jsonl#200"
        ));
        assert!(!source_matches("x/items.jsonl#2000", "items.jsonl#200"));
        assert!(!source_matches("x/aitems.jsonl#200", "items.jsonl#200"));
        assert!(close(Some(-31.38), Some(-31.4)));
        assert!(!close(Some(100.0), Some(101.0)));
    }

    fn claim(metric: &str, text: &str) -> Claim {
        serde_json::from_value(serde_json::json!({
            "kind": "earnings_growth", "subject": {"code": "603259", "name": "药明康德"},
            "value": 23.0, "low": null, "high": null, "unit": "%", "qualifier": null,
            "text": text, "start": 0, "end": 0, "metric": metric, "period": "2021", "basis": "yoy"
        }))
        .expect("claim")
    }

    /// A name's spaces and its brackets' width do not make it another subject; no subject matches
    /// only no subject.
    #[test]
    fn subjects_compare_without_spaces() {
        let name = |t: &str| Some(t.to_string());
        assert!(same_subject(
            &name("欧洲STOXX 600指数"),
            &name("欧洲STOXX600指数")
        ));
        assert!(!same_subject(&name("德国DAX指数"), &name("德国DAX30指数")));
        assert!(same_subject(&name("港股通（沪）"), &name("港股通(沪)")));
        assert!(!same_subject(&name("港股通(沪)"), &name("港股通(深)")));
        assert!(!same_subject(&None, &name("指数")));
        assert!(same_subject(&None, &None));
    }

    /// Two claims of one figure (营收、净利润均增长23%) pair each with the gold claim of its own
    /// metric, whatever their order; a third stating one of them again is neither a hit nor an
    /// extra.
    #[test]
    fn claims_of_one_figure_pair_by_their_slots() {
        let gold: Gold = serde_json::from_value(serde_json::json!({
            "article": "a.txt",
            "claims": [
                {"kind": "earnings_growth", "subject": "603259", "value": 23, "metric": "营业收入",
                 "period": "2021", "basis": "yoy", "text": "营收"},
                {"kind": "earnings_growth", "subject": "603259", "value": 23, "metric": "净利润",
                 "period": "2021", "basis": "yoy", "text": "净利润"}
            ]
        }))
        .expect("gold");
        let predicted = [
            claim("净利润", "净利润"),
            claim("营业收入", "营收"),
            claim("营业收入", "营收 again"),
        ];
        let mut differences = Vec::new();
        let (counts, slots) = score_claims(&gold, &predicted, &mut differences);
        let c = &counts[&ClaimKind::EarningsGrowth];
        assert_eq!((c.tp, c.fp, c.fn_), (2, 0, 0), "{differences:?}");
        assert_eq!((slots.metric.agree, slots.metric.total), (2, 2));
    }
}

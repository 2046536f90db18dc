//! Claims: quantities attributed to their subject.
//!
//! Takes the analysed document (normalised text, mentions) and gives [`Claim`]s with evidence spans
//! in the original text. Each claim family lives in its own module (`stock.rs`, `market.rs`,
//! `ladder.rs`) and finds candidate statements with fixed regexes over the normalised text, run
//! only over the sentences holding their trigger words (`triggers.rs`). The text's sentences,
//! clauses and list items ([`structure::Structure`], `structure.rs`) then attribute stock claims
//! (`attribution.rs`: clause, list item, anaphora, ladder heading). Market-level claims name their
//! market or flow. Numbers go through one parser ([`crate::number`]).

mod attribution;
mod compute;
mod growth;
mod ladder;
mod market;
mod period;
mod quantity;
mod report;
mod stock;
pub mod structure;
mod table;
pub mod triggers;

use std::sync::Arc;

use crate::calendar::Day;
use crate::lexicon::Lexicon;
use crate::model::{ByteSpan, Claim, ClaimKind, Subject};
use crate::recognize::Mention;
use crate::segment::Doc;
use structure::Structure;

/// What a finder produced, before spans are mapped to the original text.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub kind: ClaimKind,
    pub subject: Who,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub unit: Option<&'static str>,
    pub qualifier: Option<String>,
    /// Byte span of the evidence in the normalised text.
    pub start: usize,
    pub end: usize,
    pub metric: Option<String>,
    pub period: Option<String>,
    pub basis: Option<&'static str>,
    /// Byte span of the sentence in the normalised text.
    pub sentence: Option<(usize, usize)>,
}

/// A claim's subject before it is named.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Who {
    Stock(u32),
    Named(String),
    Nobody,
}

impl Candidate {
    pub(crate) fn new(kind: ClaimKind, subject: Who, start: usize, end: usize) -> Candidate {
        Candidate {
            kind,
            subject,
            value: None,
            low: None,
            high: None,
            unit: None,
            qualifier: None,
            start,
            end,
            metric: None,
            period: None,
            basis: None,
            sentence: None,
        }
    }

    pub(crate) fn amount(mut self, amount: Amount, unit: &'static str) -> Candidate {
        match amount {
            Amount::One(v) => self.value = Some(v),
            Amount::Range(l, h) => {
                self.low = Some(l.min(h));
                self.high = Some(l.max(h));
            }
        }
        self.unit = Some(unit);
        self
    }

    pub(crate) fn qualified(mut self, q: Option<&str>) -> Candidate {
        self.qualifier = q.filter(|q| !q.is_empty()).map(str::to_string);
        self
    }
}

/// True when two claims state the same figure of the same thing.
fn same_figure(a: &Candidate, b: &Candidate) -> bool {
    same_frame(a, b) && same_amount(a, b)
}

/// True when two claims give the same figure (value, or both ends of a range).
fn same_amount(a: &Candidate, b: &Candidate) -> bool {
    a.value == b.value && a.low == b.low && a.high == b.high
}

/// How far after a compute figure (in bytes, about a sentence) the same figure without its state
/// is taken for a restatement of it.
const RESTATED_COMPUTE_BYTES: usize = 120;

/// Two figures of one kind about one subject's metric, their periods not at odds.
fn same_frame(a: &Candidate, b: &Candidate) -> bool {
    // a compute figure restated right after, without its state (该项目提供960P算力服务，…，960P
    // 年化租金): the plain one follows the stated one closely
    let (first, then) = if a.start <= b.start { (a, b) } else { (b, a) };
    let compute_restated = shortens(then, first)
        && then.kind == ClaimKind::ComputeCapacity
        && then.start.saturating_sub(first.end) <= RESTATED_COMPUTE_BYTES;
    a.kind == b.kind
        && a.subject == b.subject
        && (a.metric == b.metric || compute_restated)
        && (a.period == b.period || a.period.is_none() || b.period.is_none())
}

/// The same precise figure (three or more significant digits, both ends of a range alike) about
/// one subject stated twice in the body, once with its metric shortened: `净利润52.31亿元，同比增长
/// 24.99%` in a summary and `归属于上市公司股东的净利润达到52.31亿元，同比增长24.99%` below it.
fn restated_in_full(a: &Candidate, b: &Candidate) -> bool {
    let precise = [a.value, a.low, a.high]
        .into_iter()
        .flatten()
        .all(|v| significant(v) >= 3);
    a.kind == b.kind
        && a.subject == b.subject
        && (a.period == b.period || a.period.is_none() || b.period.is_none())
        && (shortens(a, b) || shortens(b, a))
        && same_amount(a, b)
        && precise
}

/// How far before a claim's start another claim's evidence may begin and still be looked at as
/// the same claim read twice (a bound, so that a text of many claims is checked in linear time).
const REREAD_BYTES: usize = 1024;

/// Two claims that say the same thing: every field but the evidence's span alike.
fn same_reading(a: &Candidate, b: &Candidate) -> bool {
    a.kind == b.kind
        && a.subject == b.subject
        && (a.value, a.low, a.high) == (b.value, b.low, b.high)
        && a.unit == b.unit
        && a.qualifier == b.qualifier
        && a.metric == b.metric
        && a.period == b.period
        && a.basis == b.basis
}

/// True when `short`'s metric is the shortened name of `full`'s (净利润 or 业绩 for 归母净利润, a compute
/// figure's plain 算力规模 for its state's metric).
fn shortens(short: &Candidate, full: &Candidate) -> bool {
    let profit = matches!(short.metric.as_deref(), Some("净利润" | "业绩"))
        && full.metric.as_deref() == Some("归母净利润");
    // a compute figure restated without its state (该项目提供960P算力服务 … 960P年化租金)
    let compute = short.kind == ClaimKind::ComputeCapacity
        && short.metric.as_deref() == Some("算力规模")
        && full.metric.is_some();
    profit || compute
}

/// A title's figure and the body's about one subject: the title may name the metric short (its
/// 净利 is the body's 归属于上市公司股东的净利润) or not at all.
fn title_frame(title: &Candidate, body: &Candidate) -> bool {
    let metric_fits =
        title.metric == body.metric || title.metric.is_none() || shortens(title, body);
    title.kind == body.kind
        && title.subject == body.subject
        && metric_fits
        && (title.period == body.period || title.period.is_none() || body.period.is_none())
}

/// The body restating a title's figure exactly, its metric perhaps named in full.
fn title_restated(title: &Candidate, body: &Candidate) -> bool {
    title_frame(title, body) && same_amount(title, body)
}

/// The same figure stated once rounded and once precisely (`营收大增35%` in a title,
/// `同比增长35.16%` in the body; `暴增42倍` and `暴增42.3倍`; `预增74%-80%` and
/// `73.82%-79.52%`): the precise value rounded to the other's significant digits is the other,
/// both ends of a range alike.
fn rounded_restatement(title: &Candidate, body: &Candidate) -> bool {
    if !title_frame(title, body) {
        return false;
    }
    match (
        title.value,
        body.value,
        title.low,
        title.high,
        body.low,
        body.high,
    ) {
        (Some(x), Some(y), ..) => rounded(x, y),
        (None, None, Some(l1), Some(h1), Some(l2), Some(h2)) => {
            (l1 != l2 || h1 != h2) && rounded_or_same(l1, l2) && rounded_or_same(h1, h2)
        }
        _ => false,
    }
}

fn rounded_or_same(x: f64, y: f64) -> bool {
    x == y || rounded(x, y)
}

/// True when one of two different values is the other cut to fewer significant digits, rounded
/// either way (a title's `预增169%-202%` for the body's `168.42%到202.39%`: titles round up as well
/// as to the nearest; a figure of one digit only to the nearest).
fn rounded(x: f64, y: f64) -> bool {
    if x == y {
        return false;
    }
    let (rough, precise) = if significant(x) < significant(y) {
        (x, y)
    } else {
        (y, x)
    };
    let digits = significant(rough) as i32;
    if digits == 0 || digits == significant(precise) as i32 {
        return false;
    }
    let magnitude = precise.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits - 1 - magnitude);
    let near = |cut: f64| (cut / scale - rough).abs() < 1e-9 * rough.abs().max(1.0);
    let scaled = precise * scale;
    // a rough figure of one digit is rounded to the nearest only: 两倍 is not 2.5倍 cut down
    near(scaled.round()) || (digits >= 2 && (near(scaled.floor()) || near(scaled.ceil())))
}

/// How many significant digits a value is written with (4200 and 42 have two, 35.16 four).
fn significant(value: f64) -> u32 {
    let written = format!("{}", value.abs());
    let digits = written.replace('.', "");
    digits.trim_start_matches('0').trim_end_matches('0').len() as u32
}

/// A single figure or a range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Amount {
    One(f64),
    Range(f64, f64),
}

impl Amount {
    pub(crate) fn negate(self) -> Amount {
        match self {
            Amount::One(v) => Amount::One(-v),
            Amount::Range(l, h) => Amount::Range(-h, -l),
        }
    }
}

/// Extracts claims from an analysed document; built once, shared by every worker.
pub struct ClaimExtractor {
    lexicon: Arc<Lexicon>,
}

impl ClaimExtractor {
    /// Builds the extractor.
    pub fn new(lexicon: Arc<Lexicon>) -> ClaimExtractor {
        ClaimExtractor { lexicon }
    }

    /// Every claim in the document, in text order, with spans in its original text. `date`
    /// (the article's, `YYYY-MM-DD`) resolves 今年, 去年 and parts of years written alone.
    pub fn extract(&self, doc: &Doc, mentions: &[Mention], date: Option<&str>) -> Vec<Claim> {
        let hong_kong = hong_kong_revenue(doc);
        let text = hong_kong.as_deref().unwrap_or(doc.text());
        let organizations = &self.lexicon.organizations;
        let stocks = &self.lexicon.stocks;
        let structure = Structure::with_roles(
            text,
            mentions,
            |o| {
                organizations
                    .get(o as usize)
                    .is_some_and(|o| matches!(o.kind.as_str(), "company" | "fund"))
            },
            |stock| {
                stocks
                    .get(stock as usize)
                    .is_some_and(|s| s.industry == "证券")
            },
        );
        let date = date.and_then(Day::parse);
        let quantities = quantity::quantities(text, |i| {
            let (a, b) = doc.span_to_orig(i, i + 1);
            doc.original.get(a..b) == Some(",")
        });
        // periods are read only for texts with a figure that can carry one
        let periods = if quantities.is_empty() && !report::may_hold(text) {
            Vec::new()
        } else {
            period::periods(&structure, date)
        };
        let mut found = Vec::new();
        compute::capacity(&structure, &quantities, &periods, date, &mut found);
        compute::cards(&structure, &mut found);
        let table_rows = table::find(&structure, &quantities, date, &mut found);
        report::find(&structure, &periods, &mut found);
        growth::find(&structure, &quantities, &periods, &table_rows, &mut found);
        stock::find(&structure, &mut found);
        ladder::find(&structure, &mut found);
        market::find(&structure, &mut found);
        prune(&mut found, structure.line_end(0));
        prune_rough_moves(&mut found, text, structure.line_end(0));
        for f in found.iter_mut().filter(|f| f.unit.is_some()) {
            for q in ["以上", "左右"] {
                if text[f.end..].starts_with(q) {
                    f.end += q.len();
                    if f.qualifier.is_none() {
                        f.qualifier = Some(q.to_string());
                    }
                }
            }
        }
        for f in &mut found {
            f.sentence = Some(sentence_span(&structure, f.start, f.end));
        }
        found.into_iter().map(|f| self.claim(f, doc)).collect()
    }

    fn claim(&self, f: Candidate, doc: &Doc) -> Claim {
        let (start, end) = doc.span_to_orig(f.start, f.end);
        let subject = match f.subject {
            Who::Stock(i) => {
                let s = self.lexicon.stock(i);
                Subject {
                    code: Some(s.code.clone()),
                    name: Some(s.name.clone()),
                }
            }
            Who::Named(n) => Subject {
                code: None,
                name: Some(n),
            },
            Who::Nobody => Subject {
                code: None,
                name: None,
            },
        };
        Claim {
            kind: f.kind,
            subject,
            value: f.value,
            low: f.low,
            high: f.high,
            unit: f.unit.map(str::to_string),
            qualifier: f.qualifier,
            text: doc.original[start..end].to_string(),
            start,
            end,
            metric: f.metric,
            period: f.period,
            basis: f.basis.map(str::to_string),
            sentence: f.sentence.map(|(s, e)| {
                let (start, end) = doc.span_to_orig(s, e);
                ByteSpan { start, end }
            }),
        }
    }
}

/// What precedes 收益 when it is a gain or a return, not a Hong Kong report's revenue
/// (投资收益, 每股收益, 利息收益, 台湾的业外收益 …).
const GAIN_BEFORE: &[&str] = &[
    "投资",
    "利息",
    "每股",
    "理财",
    "公允价值变动",
    "其他",
    "综合",
    "净",
    "租金",
    "处置",
    "汇兑",
    "营业外",
    "业外",
    "预期",
    "资本",
    "超额",
    "年化",
    "回报",
    "股东",
    "投资者",
    "财务",
    "金融",
    "经营",
];

/// The text the claims read when a Hong Kong report calls its revenue 收益 (`收益1212.99億元，
/// 按年跌10.45%`): in a text written in traditional script, or one that names 港元 or 港股, each
/// 收益 that is no gain or return reads as 营收, which has the same length, so every offset
/// stays. `None` for other texts.
fn hong_kong_revenue(doc: &Doc) -> Option<String> {
    let text = doc.text();
    // Hong Kong's filings call revenue 收益, in traditional script and in mainland reports on
    // Hong Kong companies alike
    let hong_kong = doc.norm.traditional || text.contains("港元") || text.contains("港股");
    if !hong_kong || !text.contains("收益") {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (i, _) in text.match_indices("收益") {
        let head = &text[..i];
        let tail = &text[i + "收益".len()..];
        // in mainland script only the 收益 an amount follows (收益约9.30亿元), since a fund's or
        // an investor's 收益 (产品收益翻倍) is a return
        let amount_follows = || {
            let rest = ["约", "为", "达", "了"]
                .iter()
                .find_map(|w| tail.strip_prefix(w))
                .unwrap_or(tail);
            rest.starts_with(|c: char| c.is_ascii_digit())
        };
        let gain = GAIN_BEFORE.iter().any(|w| head.ends_with(w))
            || tail.starts_with(['率', '法', '权', '性'])
            || (!doc.norm.traditional && !amount_follows());
        out.push_str(&text[at..i]);
        out.push_str(if gain { "收益" } else { "营收" });
        at = i + "收益".len();
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// The sentence around `start..end`, without the spaces and line breaks at its edges, and
/// with its closing mark.
fn sentence_span(s: &Structure, start: usize, end: usize) -> (usize, usize) {
    let from = s.sentence_start(start);
    let mut to = s.sentence_end(end.saturating_sub(1).max(start)).max(end);
    if let Some(c) = s.text[to..].chars().next() {
        if c != '\n' {
            to += c.len_utf8();
        }
    }
    let lead = s.text[from..to].len() - s.text[from..to].trim_start().len();
    let trail = s.text[from..to].len() - s.text[from..to].trim_end().len();
    (from + lead, (to - trail).max(from + lead))
}

/// Orders claims, drops exact repeats at one place and the same figure stated again (a title
/// repeated in the body, exactly or more precisely; the title ends at `title_end`), and drops a
/// stock's plain limit-up when the article gives its streak (the streak says more).
fn prune(found: &mut Vec<Candidate>, title_end: usize) {
    found.sort_by_key(|f| (f.start, f.end, f.kind));
    found.dedup_by(|a, b| {
        a.kind == b.kind
            && a.subject == b.subject
            && a.start == b.start
            && a.end == b.end
            && a.metric == b.metric
    });
    let mut seen: Vec<usize> = Vec::new();
    let mut keep = vec![true; found.len()];
    for i in 0..found.len() {
        let restated = matches!(
            found[i].kind,
            ClaimKind::EarningsGrowth | ClaimKind::ComputeCapacity | ClaimKind::AcceleratorCards
        );
        if !restated {
            continue;
        }
        let rounded =
            |j: usize| found[j].end <= title_end && rounded_restatement(&found[j], &found[i]);
        if let Some(&j) = seen.iter().find(|&&j| rounded(j)) {
            // a title's 42倍 and the body's 42.3倍: one claim, with the figure as precise as
            // the article gives it and the period and basis either statement gives (two
            // figures of the body, rounded in prose and precise in a table, are both kept, as
            // statements of their own)
            keep[i] = false;
            let other = found[i].clone();
            let first = &mut found[j];
            let precision = |c: &Candidate| {
                [c.value, c.low, c.high]
                    .into_iter()
                    .flatten()
                    .map(significant)
                    .max()
                    .unwrap_or(0)
            };
            if precision(&other) > precision(first) {
                let (period, basis) = (first.period.take(), first.basis);
                *first = Candidate {
                    period: other.period.or(period),
                    basis: other.basis.or(basis),
                    ..other
                };
            } else {
                first.period = first.period.take().or(other.period);
                first.basis = first.basis.or(other.basis);
            }
            continue;
        }
        let again = |j: usize| {
            same_figure(&found[j], &found[i])
                || (found[j].end <= title_end && title_restated(&found[j], &found[i]))
                || restated_in_full(&found[j], &found[i])
        };
        match seen.iter().find(|&&j| again(j)) {
            Some(&j) => {
                keep[i] = false;
                // the body names in full what the title or a summary shortened (净利 → 归母净利润);
                // a shortened restatement after the full one keeps the full name
                let shortened = shortens(&found[i], &found[j]);
                if found[j].metric != found[i].metric && found[i].metric.is_some() && !shortened {
                    found[j].metric = found[i].metric.clone();
                }
                // the restatement may say what the first statement left out (a title's
                // 去年 has no year in an undated article; the body gives 2025 and 按年)
                if found[j].period.is_none() {
                    found[j].period = found[i].period.clone();
                }
                if found[j].basis.is_none() {
                    found[j].basis = found[i].basis;
                }
            }
            None => seen.push(i),
        }
    }
    let mut keep = keep.into_iter();
    found.retain(|_| keep.next().unwrap_or(true));
    // a precise restatement kept in the place of its rounded first statement
    found.sort_by_key(|f| (f.start, f.end, f.kind));
    // one claim read twice at one place (`顺威股份在连续第8个跌停板时上演了从跌停到涨停`: both
    // 跌停 give the stock's limit-down; a headline's list and each of its items) is one claim
    let mut kept: Vec<Candidate> = Vec::with_capacity(found.len());
    for f in found.drain(..) {
        let again = kept
            .iter()
            .rev()
            .take_while(|k| f.start - k.start <= REREAD_BYTES)
            .any(|k| k.end > f.start && same_reading(k, &f));
        if !again {
            kept.push(f);
        }
    }
    *found = kept;
    let streaks: Vec<Who> = found
        .iter()
        .filter(|f| f.kind == ClaimKind::LimitUpStreak)
        .map(|f| f.subject.clone())
        .collect();
    found.retain(|f| !(f.kind == ClaimKind::LimitUp && streaks.contains(&f.subject)));
}

/// Qualifiers of a rounded figure that the precise one lies above (`逾3%` of 3.35%) or below
/// (`近5%` of 4.8%).
const ABOVE_BOUNDS: &[&str] = &["逾", "超", "以上", "多"];
const BELOW_BOUNDS: &[&str] = &["近", "将近"];

/// How many moves before and after a move said roughly its precise statement is looked for.
const RESTATED_MOVE_REACH: usize = 16;

/// The most moves a title states.
const TITLE_MOVES: usize = 8;

/// Drops a move said roughly when the article states it precisely as well: a title's
/// `沪指重挫逾3%` beside the body's `收盘重挫3.35%`, and a summary's `收盘重挫逾3%` beside the same
/// words with `3.35%` (only with the same words around the figure: `盘中一度跌逾3%` and
/// `收跌3.35%` are two moves).
fn prune_rough_moves(found: &mut Vec<Candidate>, text: &str, title_end: usize) {
    let moves: Vec<usize> = (0..found.len())
        .filter(|&i| found[i].kind == ClaimKind::PriceChange && found[i].value.is_some())
        .collect();
    // a title states a few moves; a first line that holds many (an article of one long line) is
    // no title, and its moves are compared within the reach alone, so that a text of many moves
    // is read in linear time
    let in_titles = moves.iter().filter(|&&i| found[i].end <= title_end).count();
    let titled = in_titles <= TITLE_MOVES;
    let words: Vec<String> = moves
        .iter()
        .map(|&i| words_around_figure(&found[i], text))
        .collect();
    let digits: Vec<u32> = moves
        .iter()
        .map(|&i| found[i].value.map_or(0, significant))
        .collect();
    let mut drop = vec![false; found.len()];
    for (n, &i) in moves.iter().enumerate() {
        let rough = &found[i];
        let in_title = titled && rough.end <= title_end;
        let restates = |m: usize| {
            let precise = &found[moves[m]];
            precise.subject == rough.subject
                && digits[n] < digits[m]
                && ((in_title && precise.start > title_end) || words[m] == words[n])
                && rough_of(rough, precise)
        };
        let later = n + 1..moves.len();
        let found_precise = match in_title {
            true => later.clone().any(restates),
            false => {
                let earlier = n.saturating_sub(RESTATED_MOVE_REACH)..n;
                later.take(RESTATED_MOVE_REACH).chain(earlier).any(restates)
            }
        };
        drop[i] = found_precise;
    }
    let mut drop = drop.into_iter();
    found.retain(|_| !drop.next().unwrap_or(false));
}

/// A claim's words with its figure and the bound of the figure left out (`收盘重挫逾3%` →
/// `收盘重挫`).
fn words_around_figure(c: &Candidate, text: &str) -> String {
    let said = text.get(c.start..c.end).unwrap_or("");
    let said = match c.qualifier.as_deref() {
        Some(q) if !q.is_empty() => said.replace(q, ""),
        _ => said.to_string(),
    };
    said.chars()
        .filter(|ch| !(ch.is_ascii_digit() || matches!(ch, '.' | '%' | ',' | ' ' | '-' | '+')))
        .collect()
}

/// True when `rough`'s figure is `precise`'s said with fewer digits, within its bound: `逾3%` of
/// 3.35%, `近5%` of 4.8%, `3%` of 3.35%.
fn rough_of(rough: &Candidate, precise: &Candidate) -> bool {
    let (Some(r), Some(p)) = (rough.value, precise.value) else {
        return false;
    };
    if r == p || r == 0.0 || r.signum() != p.signum() || significant(r) >= significant(p) {
        return false;
    }
    let (x, y) = (r.abs(), p.abs());
    let unit = 10f64.powi(x.log10().floor() as i32 + 1 - significant(x) as i32);
    let bound = rough.qualifier.as_deref().unwrap_or("");
    if ABOVE_BOUNDS.iter().any(|b| bound.contains(b)) {
        x <= y && y < x + unit
    } else if BELOW_BOUNDS.iter().any(|b| bound.contains(b)) {
        x - unit < y && y <= x
    } else {
        (y - x).abs() <= unit / 2.0
    }
}

/// Parses `a` and optional `b` (range end) with their `%` / `成` markers into an amount in %.
/// True when `text` holds any of `chars`, found by a byte search per character: a `[char]`
/// pattern decodes every character of the text, and these tests run over whole articles (they
/// cost 3% of extraction that way).
pub(crate) fn has_any(text: &str, chars: &[char]) -> bool {
    chars.iter().any(|&c| {
        let mut buf = [0; 4];
        let needle = c.encode_utf8(&mut buf).as_bytes();
        memchr::memmem::find(text.as_bytes(), needle).is_some()
    })
}

pub(crate) fn percent_amount(
    a: &str,
    a_unit: Option<&str>,
    b: Option<(&str, Option<&str>)>,
) -> Option<Amount> {
    let scale = |u: Option<&str>| if u == Some("成") { 10.0 } else { 1.0 };
    let b_unit = b.and_then(|(_, u)| u);
    let a_scale = scale(a_unit.or(b_unit));
    let va = crate::number::parse(a)? * a_scale;
    match b {
        Some((b, u)) => {
            let vb = crate::number::parse(b)? * scale(u.or(a_unit));
            Some(Amount::Range(
                crate::number::round(va),
                crate::number::round(vb),
            ))
        }
        None => Some(Amount::One(crate::number::round(va))),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn has_any_agrees_with_a_char_pattern(
            text in "[a-zP%/:：板扳成家只个股比，。 0-9]{0,40}",
            chars in proptest::sample::subsequence(vec!['P', 'E', '%', '成', '板', '扳', ':', '：'], 0..5),
        ) {
            prop_assert_eq!(super::has_any(&text, &chars), text.contains(chars.as_slice()));
        }
    }

    fn moved(value: f64, qualifier: Option<&str>) -> super::Candidate {
        super::Candidate::new(
            super::ClaimKind::PriceChange,
            super::Who::Named("沪指".to_string()),
            0,
            0,
        )
        .amount(super::Amount::One(value), "%")
        .qualified(qualifier)
    }

    #[test]
    fn a_rough_move_holds_the_precise_one_within_its_bound() {
        let rough_of =
            |r: f64, q: Option<&str>, p: f64| super::rough_of(&moved(r, q), &moved(p, None));
        // 逾3% is 3 up to 4, 近5% is above 4 up to 5, a bare 3% rounds to the nearest
        assert!(rough_of(-3.0, Some("逾"), -3.35));
        assert!(!rough_of(-3.0, Some("逾"), -2.9));
        assert!(!rough_of(-3.0, Some("逾"), -4.1));
        assert!(rough_of(5.0, Some("近"), 4.8));
        assert!(!rough_of(5.0, Some("近"), 5.2));
        assert!(rough_of(3.0, None, 3.35));
        assert!(!rough_of(3.0, None, 3.6));
        // a fall is no rise, and a figure as precise as the other is no rough statement of it
        assert!(!rough_of(3.0, None, -3.2));
        assert!(!rough_of(3.35, None, 3.36));
    }
}

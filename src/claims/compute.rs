//! Compute claims: a company's compute amount (P) and its count of accelerator cards.
//!
//! Every compute quantity (`quantity.rs`: P, PFLOPS, E, EFLOPS, 万P) attributed to a stock is a
//! claim; a total and its parts are separate claims. Its state comes from the words before it in
//! its clause (在手, 已投产, 运营, 规划, 目标, 新增, 租赁 …) and gives the `qualifier` and the
//! normalised `metric`; a year before it in the sentence is its `period` (到2026年 → 2026). A
//! figure about the country, a region, the industry or the carriers (全国算力规模, 三大运营商) has
//! no stock subject and is no claim.

use std::sync::LazyLock;

use regex::Regex;

use super::period::{self, Period};
use super::quantity::{self, Quantity, Unit};
use super::structure::Structure;
use super::{Amount, Candidate, Who};
use crate::calendar::Day;
use crate::model::ClaimKind;
use crate::number;

/// State words before a compute figure: the qualifier as written and the metric it gives.
const STATES: &[(&str, &str)] = &[
    ("在手", "在手算力"),
    ("手握", "在手算力"),
    ("已投产", "算力规模"),
    ("已投运", "算力规模"),
    ("投运", "算力规模"),
    ("已建成", "算力规模"),
    ("在运营", "算力规模"),
    ("运营", "算力规模"),
    ("在建", "算力规模"),
    ("规划", "目标算力"),
    ("计划", "目标算力"),
    ("目标", "目标算力"),
    ("预计", "目标算力"),
    // what the company will have (将算力规模提升至5万P, 有望突破1万P, 拟建设500P)
    ("将", "目标算力"),
    ("有望", "目标算力"),
    ("拟", "目标算力"),
    ("新增", "新增算力"),
    ("净增", "新增算力"),
    ("新投产", "新增算力"),
    ("新上线", "新增算力"),
    ("租赁", "算力租赁规模"),
    ("出租", "算力租赁规模"),
    ("转租", "算力租赁规模"),
    ("自有", "算力规模"),
    ("合计", "算力规模"),
    ("不低于", "算力规模"),
    ("超过", "算力规模"),
    ("约", "算力规模"),
    ("超", "算力规模"),
    ("近", "算力规模"),
    ("逾", "算力规模"),
];

/// State words that only say the figure is to come.
const FUTURE: &[&str] = &["将", "有望", "拟"];

/// State words that only say a figure is approximate or a bound.
const APPROXIMATE: &[&str] = &["不低于", "超过", "约", "超", "近", "逾", "合计", "自有"];

/// Words that make a figure the country's, a region's, the industry's or the carriers'.
const NOT_A_COMPANY: &[&str] = &[
    "全国",
    "我国",
    "中国",
    "全球",
    "国内",
    "全省",
    "全市",
    "全区",
    "行业",
    "运营商",
    "产业",
    "全社会",
    "总体",
];

/// Place words that make a sentence without a stock about a region (内蒙古自治区智算规模).
const PLACES: &[&str] = &["自治区", "省", "市", "县", "地区", "区域", "国家", "枢纽"];

/// Every compute capacity claim.
pub(crate) fn capacity(
    s: &Structure,
    quantities: &[Quantity],
    periods: &[Period],
    date: Option<Day>,
    out: &mut Vec<Candidate>,
) {
    for q in quantities.iter().filter(|q| q.unit == Unit::Compute) {
        let Amount::One(value) = q.amount else {
            continue;
        };
        let text = s.text;
        let unit_is_bare_e = text[..q.end].ends_with('E');
        let lead = &text[s.sentence_start(q.start)..q.start];
        if text[..q.start].ends_with('倍') || value < 1.0 {
            continue;
        }
        if unit_is_bare_e && !text[q.end..].starts_with("算力") && !lead.contains("算力") {
            continue;
        }
        let clause = clause_lead(text, s.sentence_start(q.start), q.start);
        if NOT_A_COMPANY.iter().any(|w| clause.contains(w))
            && s.stocks_in(q.start - clause.len(), q.start).is_empty()
        {
            continue;
        }
        if about_no_company(s, lead, q.start) {
            continue;
        }
        let named = s.attribute(q.start, q.end);
        let regional = || {
            PLACES.iter().any(|w| clause.contains(w))
                || s.names_other_company(s.sentence_start(q.start), q.start)
        };
        let Some(stock) = named.or_else(|| {
            // no stock in the sentence: the article's company, unless a place is the subject
            (!regional()).then(|| s.topic_stock(q.start)).flatten()
        }) else {
            continue;
        };
        if located_at_stock(s, q.start) {
            continue; // 字节跳动在润泽科技园区部署的算力: the stock is the place, not the owner
        }
        // the qualifier is the state the figure is in (已投运算力约5000P is 已投运), else how it
        // is bounded (超过, 约); a future (将超一万P) gives the metric but keeps the bound
        let (named_state, named_at) = state_before(text, q.start, true);
        let (state, state_at) = match named_state {
            Some((word, _)) if !FUTURE.contains(&word) => (named_state, named_at),
            _ => state_before(text, q.start, false),
        };
        // capacity provided as a service (提供960P算力服务, 2000P算力租赁) is leased out
        let as_service = ["算力服务", "算力租赁", "的算力服务", "的算力租赁"]
            .iter()
            .any(|w| text[q.end..].trim_start().starts_with(w));
        let metric = match named_state {
            Some((_, m)) => m,
            None if as_service => "算力租赁规模",
            None => "算力规模",
        };
        // a plan further back in the clause makes a level a target (力争年底算力规模达到5000P,
        // 目标到年底在手算力突破2万P); an addition or a lease stays what it is, planned or not
        // (计划2024年Q3新增1000P)
        let level = matches!(metric, "在手算力" | "算力规模");
        let metric = if level && planned(clause) {
            "目标算力"
        } else {
            metric
        };
        let sentence = s.sentence_start(q.start);
        let para = s.paragraph_start(q.start);
        let text_of = |p: &Period| p.text.clone();
        // a figure said to stand now (目前, 当前) is of no earlier clause's period, nor is a figure
        // after a period that dates a revenue or profit (首三季营业收入…，公司在手算力…)
        let now = |p: &Period| {
            let between = &text[p.end..q.start];
            NOW.iter().any(|w| between.contains(w))
        };
        let of_earnings = |p: &Period| {
            let mut after = text[p.end..q.start].trim_start();
            for w in ["的", "公司", "实现", "单季", "累计"] {
                after = after.strip_prefix(w).unwrap_or(after).trim_start();
            }
            EARNINGS_AFTER.iter().any(|w| after.starts_with(w))
        };
        let period = period::before_matching(periods, sentence, q.start, |p| {
            !p.month && !now(p) && !of_earnings(p)
        })
        .and_then(text_of)
        .or_else(|| event_year(&text[sentence..q.start]))
        .or_else(|| date.and_then(|d| as_of_year(&text[sentence..q.start], d)))
        .or_else(|| target_year(s, periods, q.end).and_then(text_of))
        .or_else(|| heading_year(text, para));
        let period = period.map(|p| p.chars().take(4).collect::<String>());
        let mut c = Candidate::new(
            ClaimKind::ComputeCapacity,
            Who::Stock(stock),
            state_at.unwrap_or(q.start),
            q.end,
        )
        .amount(Amount::One(value), "P")
        .qualified(state.map(|(w, _)| w));
        c.metric = Some(metric.to_string());
        c.period = period;
        out.push(c);
    }
}

/// Words of a plan: a clause that opens a figure with one speaks of capacity still to come.
const PLAN: &[&str] = &[
    "计划", "规划", "预计", "目标", "力争", "争取", "有望", "拟", "届时",
];

/// True when the words of a figure's clause before it hold a plan that nothing done since
/// (已, 已经) follows: `力争2024年底算力规模达到5000P以上`, `预计年底前建成投运算力2,500P`, not
/// `计划的一期500P已投运`. 将 counts only as a verb of the future, not in 将近 (nearly).
fn planned(clause: &str) -> bool {
    let last_plan = PLAN
        .iter()
        .filter_map(|w| clause.rfind(w))
        .chain(
            clause
                .match_indices('将')
                .filter(|(i, _)| !clause[i + '将'.len_utf8()..].starts_with(['近', '其']))
                .map(|(i, _)| i),
        )
        .max();
    last_plan.is_some_and(|i| !clause[i..].contains('已'))
}

/// Words saying a figure stands now: a period named before them is another figure's.
const NOW: &[&str] = &["目前", "当前", "现阶段", "截至目前", "截止目前", "现有"];

/// What a revenue or profit figure opens with: a period right before one dates that figure.
const EARNINGS_AFTER: &[&str] = &[
    "营收",
    "营业收入",
    "营业总收入",
    "收入",
    "归母",
    "净利",
    "扣非",
    "利润",
    "业绩",
    "股东应占",
    "纯利",
];

/// The year named by the section heading above the paragraph at `para`
/// (`一、当前算力规模(截至2024年7月)`): the figures under it stand as of then. Only the
/// nearest heading counts, a numbered line (一、, （二）, #) without a full stop.
fn heading_year(text: &str, para: usize) -> Option<String> {
    static HEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^\s*(?:#+\s*|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）])",
        )
        .expect("heading regex")
    });
    static YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s?年").expect("year regex"));
    let line = text[..para.saturating_sub(1)]
        .lines()
        .rev()
        .take(40)
        .find(|l| HEADING.is_match(l))?;
    if line.chars().count() > 40 || line.contains(['。', '；', ';']) {
        return None;
    }
    YEAR.captures(line).map(|c| c[1].to_string())
}

/// The year of the last month (a year and a month, no day) in `lead`, the words of a figure's
/// sentence before it: capacity that went into service in a month (`2024年6月首期500P上线`) is
/// there in that year. Such dates are not periods of earnings, so [`period::periods`] leaves
/// them out. A day's date is an event's (`2023年7月24日，公司收购…`), not a period.
fn event_year(lead: &str) -> Option<String> {
    static YEAR_MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"((?:19|20)\d{2})\s?年\s?\d{1,2}\s?月(\s?\d{1,2}\s?[日号])?")
            .expect("year-month regex")
    });
    YEAR_MONTH
        .captures_iter(lead)
        .last()
        .filter(|c| c.get(2).is_none())
        .map(|c| c[1].to_string())
}

/// The year a figure stands as of when its sentence names a time of the article's year without
/// the year (`预计年底达到`, `年内有望突破`, `今年以来新增`, `截至6月底`): the article's, but a
/// year's end looked back on early in the next year (`截至年底` in March) or a month still ahead
/// (`截至11月底` in May) is last year's.
fn as_of_year(lead: &str, date: Day) -> Option<String> {
    static AS_OF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"年底|年末|年内|今年以来|(1[0-2]|[1-9])\s?月(?:底|末)").expect("as-of regex")
    });
    const AHEAD: &[&str] = &[
        "预计", "计划", "有望", "力争", "争取", "将", "到", "至", "于",
    ];
    const LOOKING_BACK: &[&str] = &["截至", "截止"];
    let c = AS_OF
        .captures_iter(lead)
        .filter(|c| {
            // 去年年底, 2024年末, 每年年底, 12月底 after a year: a year of their own
            let head = &lead[..c.get(0).expect("match").start()];
            !head.ends_with(|ch: char| {
                "年今去明上本当同每逐近多前后第".contains(ch) || ch.is_ascii_digit()
            })
        })
        .last()?;
    let head = lead[..c.get(0).expect("match").start()].trim_end();
    let year = date.year();
    let year = match c.get(1) {
        Some(month) => {
            let month: u32 = month.as_str().parse().ok()?;
            let looking_back = LOOKING_BACK.iter().any(|w| head.ends_with(w));
            if looking_back && month > date.month() {
                year - 1
            } else {
                year
            }
        }
        None if matches!(&c[0], "年底" | "年末")
            && !AHEAD.iter().any(|w| head.ends_with(w))
            && date.month() <= 3 =>
        {
            year - 1
        }
        None => year,
    };
    Some(year.to_string())
}

/// Words after a planned figure that say when it is due (规划2000P，预计2025年交付).
const DUE_WORDS: &[&str] = &[
    "交付",
    "投产",
    "投运",
    "建成",
    "上线",
    "落地",
    "完成",
    "达产",
    "投入运营",
    "投入使用",
];

/// The year a figure ending at `end` is due by, when its sentence says so after it: a period
/// followed by a word of completion (预计2025年交付, 将于2026年上半年建成).
fn target_year<'p>(s: &Structure, periods: &'p [Period], end: usize) -> Option<&'p Period> {
    let stop = s.sentence_end(end);
    periods.iter().find(|p| {
        if p.start < end || p.end > stop || p.text.is_none() || p.span {
            return false;
        }
        let after = &s.text[p.end..stop];
        DUE_WORDS.iter().any(|w| {
            after
                .find(w)
                .is_some_and(|i| after[..i].chars().count() <= 4)
        })
    })
}

/// True when the sentence before a figure at `pos` is about the country, a region or the
/// industry (`国内市场降温,截至2024年上半年算力规模达246EFLOPS`) and names no stock and no
/// company by anaphora (公司, 其) before it.
fn about_no_company(s: &Structure, lead: &str, pos: usize) -> bool {
    // a bullet flattened into a line (` - 国内市场降温,…`) is a sentence of its own
    let lead = lead.rsplit(" - ").next().unwrap_or(lead);
    let anaphora = lead.contains("公司")
        || lead
            .match_indices('其')
            .any(|(i, _)| !lead[i + '其'.len_utf8()..].starts_with(['中', '他', '余', '次', '实']));
    NOT_A_COMPANY.iter().any(|w| lead.contains(w))
        && s.stocks_in(pos - lead.len(), pos).is_empty()
        && !anaphora
}

/// The clause before `pos` (from the last comma, semicolon or sentence start).
fn clause_lead(text: &str, sentence: usize, pos: usize) -> &str {
    let lead = &text[sentence..pos];
    match lead.rfind([',', '，', ';', '；']) {
        Some(i) => &lead[i + 1..],
        None => lead,
    }
}

/// The state word nearest before `pos` in its clause (12 characters at most), and where it
/// starts.
/// True when the stock nearest before `pos` in its sentence is written as a place (在X, 于X) or a
/// supplier (向X): the figure belongs to someone else.
fn located_at_stock(s: &Structure, pos: usize) -> bool {
    place_stock(s, pos).is_some()
}

/// The stock named last before `pos` in its sentence when it is named as a place (在, 于, 向
/// before it: 位于上海临港的…).
fn place_stock(s: &Structure, pos: usize) -> Option<u32> {
    let from = s.sentence_start(pos);
    s.stocks_in(from, pos)
        .last()
        .filter(|m| s.text[..m.start].ends_with(['在', '于', '向']))
        .map(|m| m.stock)
}

/// The state word nearest before `pos` in its clause (12 characters at most), and where it
/// starts; with `named`, only words that name a state (在手, 规划 …), not approximations.
fn state_before(
    text: &str,
    pos: usize,
    named: bool,
) -> (Option<(&'static str, &'static str)>, Option<usize>) {
    let from = text.floor_char_boundary(pos.saturating_sub(36));
    let lead = &text[from..pos];
    let lead_start = lead
        .rfind([',', '，', '。', '；', ';', '\n'])
        .map_or(0, |i| {
            i + lead[i..].chars().next().map_or(1, char::len_utf8)
        });
    let lead = &lead[lead_start..];
    let mut best: Option<(&'static str, &'static str, usize)> = None;
    for &(word, metric) in STATES {
        if named && APPROXIMATE.contains(&word) {
            continue;
        }
        if let Some(i) = lead.rfind(word) {
            // 签约, 合约, 预约, 节约: a word of its own, no approximation
            if word == "约" && lead[..i].ends_with(['签', '合', '预', '节', '制', '公', '契'])
            {
                continue;
            }
            let at = from + lead_start + i;
            // the word ending nearest the figure; of two ending together the longer
            // (已投运, not the 投运 inside it)
            let better = match best {
                Some((bw, _, bi)) => {
                    let (end, best_end) = (at + word.len(), bi + bw.len());
                    end > best_end || (end == best_end && word.len() > bw.len())
                }
                None => true,
            };
            if better {
                best = Some((word, metric, at));
            }
        }
    }
    match best {
        Some((w, m, at)) => (Some((w, m)), Some(at)),
        None => (None, None),
    }
}

/// Accelerator chips a count of cards may name.
const CHIP: &str = r"(?:英伟达|NVIDIA|华为|昇腾|寒武纪|海光)?\s?(?:H20|H100|H200|H800|A100|A800|B200|GB200|B300|L20|L40S?|RTX\s?4090|昇腾\s?910[BC]?|910[BC]|MLU\d+|思元\d+|深算[0-9A-Za-z]*)";

/// Words without which a count in 张/块/片 is no count of accelerators.
const CHIP_HINTS: &[&str] = &[
    "GPU", "NPU", "芯片", "H20", "H100", "H800", "A100", "A800", "910", "昇腾",
];

/// Words between a card word and its count (`GPU卡约1.2万张`, `H20加速卡超过8,000张`).
const COUNT_BOUND: &str = r"(?:约为|约|大约|大概|差不多|超过|超|逾|将近|接近|近|共计|共有|共|合计|总计|达到|达|为|拥有|有)";

static CARDS: LazyLock<Regex> = LazyLock::new(|| {
    // a count as any quantity is written: 2,048, 1.2 (万), 两千
    let (count, bound) = (quantity::NUM, COUNT_BOUND);
    Regex::new(&format!(
        r"(?P<n>{count})\s?(?P<wan>万|千)?多?\s?(?:张|块|片)\s?(?P<chip>{CHIP})?\s?(?P<kind>(?:国产|训推一体|高端|AI|GPU)?(?:GPU|NPU|AI芯片|算力卡|加速卡|显卡|卡|芯片))?|(?P<n2>{count})\s?(?P<wan2>万|千)?\s?(?:卡|颗)\s?的?\s?(?P<chip2>{CHIP})|(?P<chip4>{CHIP}|昇腾|英伟达)?(?P<k>千|万)(?:卡(?:集群|规模|级|算力池|智算集群|算力集群)|片(?:训推一体|国产|AI|GPU)?(?:芯片|GPU|卡))|(?:GPU|NPU|AI芯片|加速卡|算力卡)\s?(?:芯片|卡)?(?:总量|数量|规模)?\s?(?:{bound}\s?){{0,2}}(?P<n5>{count})\s?(?P<wan5>万|千)?多?\s?(?:张|块|片)|(?P<chip3>{CHIP})\s?(?:GPU|NPU)?\s?(?:芯片|加速卡|算力卡|卡)?\s?(?:{bound}\s?){{0,2}}(?P<n3>{count})\s?(?P<wan3>万|千)?多?\s?(?:张|块)"
    ))
    .expect("cards regex")
});

/// Every accelerator card count attributed to a stock.
pub(crate) fn cards(s: &Structure, out: &mut Vec<Candidate>) {
    let text = s.text;
    let counted = text.contains('卡')
        || text.contains(['张', '块', '片', '颗']) && CHIP_HINTS.iter().any(|h| text.contains(h));
    if !counted {
        return;
    }
    // the pattern runs only around count words, not over the whole article
    for (from, to) in count_windows(text) {
        for c in CARDS.captures_iter(&text[from..to]) {
            if let Some(claim) = card(s, &c, from) {
                out.push(claim);
            }
        }
    }
}

/// Stretches of `text` around each count word (卡, 张, 块, 片, 颗), merged where they overlap.
fn count_windows(text: &str) -> Vec<(usize, usize)> {
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        if !matches!(c, '卡' | '张' | '块' | '片' | '颗') {
            continue;
        }
        let from = text.floor_char_boundary(i.saturating_sub(72));
        // never inside a number (1,600张 cut to 600张)
        let from = text[..from]
            .trim_end_matches(|c: char| c.is_ascii_digit() || c == ',' || c == '.')
            .len();
        let to = text.ceil_char_boundary((i + 48).min(text.len()));
        match windows.last_mut() {
            Some(last) if last.1 >= from => last.1 = to,
            _ => windows.push((from, to)),
        }
    }
    windows
}

/// The claim of one card-count match, found in the window of `s.text` that starts at `from`.
fn card(s: &Structure, c: &regex::Captures, from: usize) -> Option<Candidate> {
    let whole = c.get(0)?;
    let (start, end) = (from + whole.start(), from + whole.end());
    let count = match c.name("k") {
        Some(k) if k.as_str() == "万" => 10_000.0,
        Some(_) => 1000.0,
        None => {
            let (n, wan) = [("n", "wan"), ("n2", "wan2"), ("n3", "wan3"), ("n5", "wan5")]
                .into_iter()
                .find_map(|(n, w)| c.name(n).map(|n| (n, c.name(w))))?;
            let names_cards = ["n5", "chip", "kind", "chip2", "chip3"]
                .iter()
                .any(|g| c.name(g).is_some());
            let head = &s.text[..from + n.start()];
            let glued = head.ends_with(|ch: char| ch.is_ascii_alphanumeric())
                || head
                    .strip_suffix([',', '.'])
                    .is_some_and(|h| h.ends_with(|ch: char| ch.is_ascii_digit()));
            if !names_cards || glued {
                return None;
            }
            let scale = match wan.map(|w| w.as_str()) {
                Some("万") => 10_000.0,
                Some("千") => 1000.0,
                _ => 1.0,
            };
            number::parse(n.as_str())? * scale
        }
    };
    if count < 1.0 || s.text[end..].starts_with('片') {
        return None; // 卡片: cards of paper or plastic, no accelerators
    }
    // a count with no stock in its sentence is the article's company's, unless another company
    // is named there (字节跳动采购…张H20); so is a cluster's size (千卡集群), which the spec counts
    // a stock named as the place the cards stand (位于上海临港的万卡算力池) is not their owner
    let place = place_stock(s, start);
    let owner = |&i: &u32| Some(i) != place;
    let stock = s.attribute(start, end).filter(owner).or_else(|| {
        (!s.names_other_company(s.sentence_start(start), start))
            .then(|| s.topic_stock(start))
            .flatten()
            .filter(owner)
    })?;
    let chip = ["chip", "chip2", "chip3", "chip4"]
        .into_iter()
        .find_map(|n| c.name(n))
        .map(|m| {
            let chip = m.as_str().trim();
            ["英伟达", "NVIDIA", "华为"]
                .iter()
                .find_map(|v| chip.strip_prefix(v))
                .unwrap_or(chip)
                .trim()
                .to_string()
        });
    let mut claim = Candidate::new(ClaimKind::AcceleratorCards, Who::Stock(stock), start, end)
        .amount(Amount::One(number::round(count)), "卡");
    claim.qualifier = chip;
    Some(claim)
}

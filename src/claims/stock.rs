//! Stock claims stated in running text: compute capacity, earnings growth, N连板, 涨停, 跌停.

use std::sync::LazyLock;

use regex::Regex;

use super::structure::Structure;
use super::triggers::{triggers, GROWTH_WORDS};
use super::{percent_amount, Amount, Candidate, Who};
use crate::model::ClaimKind;
use crate::number::{self, APPROX, NUMBER, RANGE_SEP};

static COMPUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<n>{NUMBER})(?P<wan>万)?\s*(?P<u>EFLOPS|EFlops|Eflops|PFLOPS|PFlops|Pflops|P|E)"
    ))
    .expect("compute regex")
});

static EARNINGS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<cmp>同比|环比)?(?P<dir>增长|增加|上升|提升|预增|大增|增幅|下降|减少|下滑|降低|下跌|预减|大跌|大降|降幅)(?:也|了)?(?:为|达到|达|高达|约为)?(?P<q>{APPROX}|不低于)?(?P<a>{NUMBER})(?P<au>%|成)?(?:(?:{RANGE_SEP})(?P<b>{NUMBER})(?P<bu>%|成))?(?P<q2>以上|左右)?"
    ))
    .expect("earnings regex")
});

/// A second growth figure in the same sentence (`环比增长12.6%，同比增长33.8%`).
static EARNINGS_CMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<cmp>同比|环比)(?P<dir>增长|增加|上升|提升|下降|减少|下滑|降低|下跌)(?:了)?(?P<q>{APPROX}|不低于)?(?P<a>{NUMBER})(?P<au>%)(?:(?:{RANGE_SEP})(?P<b>{NUMBER})(?P<bu>%))?"
    ))
    .expect("earnings regex")
});

static STREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:(?P<days>{NUMBER})天)?(?P<n>{NUMBER})(?:连板|连扳|板)"
    ))
    .expect("streak regex")
});

static LIMIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"涨停|封板|一字板|首板|跌停").expect("limit regex"));

const QUALIFIERS_BEFORE: &[&str] = &[
    "在手",
    "规划",
    "不低于",
    "超过",
    "约",
    "超",
    "近",
    "逾",
    "合计",
];

/// Every stock claim stated in running text.
pub(crate) fn find(s: &Structure, out: &mut Vec<Candidate>) {
    // Cheap substring tests first: most articles state only a few kinds of claim.
    let t = s.text;
    if super::has_any(t, &['P', 'E']) {
        compute(s, out);
    }
    if super::has_any(t, &['%', '成'])
        && ["利", "营收", "收入", "业绩"].iter().any(|w| t.contains(w))
    {
        earnings(s, out);
        earnings_cmp(s, out);
    }
    if super::has_any(t, &['板', '扳']) {
        streaks(s, out);
    }
    if t.contains("停") || t.contains("封板") || t.contains("一字板") {
        limits(s, out);
    }
}

fn compute(s: &Structure, out: &mut Vec<Candidate>) {
    for c in s.scan(&COMPUTE, triggers!(&["P", "E"])) {
        let whole = c.get(0).expect("match");
        let unit = &c["u"];
        let after = &s.text[whole.end()..];
        let before = &s.text[..whole.start()];
        if after.starts_with(|ch: char| ch.is_ascii_alphanumeric())
            || before.ends_with(|ch: char| ch.is_ascii_alphanumeric() || ch == '.')
            || before.ends_with('倍')
        {
            continue;
        }
        let lead = &s.text[s.sentence_start(whole.start())..whole.start()];
        let bare_e = unit == "E" && !after.starts_with("算力") && !lead.contains("算力");
        let Some(mut v) = number::parse(&c["n"]) else {
            continue;
        };
        if bare_e || v < 1.0 {
            continue;
        }
        if c.name("wan").is_some() {
            v *= 10_000.0;
        }
        let (qualifier, q_start) = qualifier_before(s.text, whole.start(), 12);
        let Some(stock) = s.attribute(whole.start(), whole.end()) else {
            continue;
        };
        let start = q_start.unwrap_or(whole.start());
        out.push(
            Candidate::new(
                ClaimKind::ComputeCapacity,
                Who::Stock(stock),
                start,
                whole.end(),
            )
            .amount(Amount::One(number::to_p(v, unit)), "P")
            .qualified(qualifier),
        );
    }
}

/// The qualifier word nearest before `pos` within `window` bytes of the same clause.
fn qualifier_before(
    text: &str,
    pos: usize,
    window: usize,
) -> (Option<&'static str>, Option<usize>) {
    let from = text.ceil_char_boundary(pos.saturating_sub(window * 3));
    let lead = &text[from..pos];
    let lead_start = lead.rfind(['，', ',', '。', '；', '\n']).map_or(0, |i| {
        i + lead[i..].chars().next().map_or(1, char::len_utf8)
    });
    let lead = &lead[lead_start..];
    let mut best: Option<(&'static str, usize)> = None;
    for q in QUALIFIERS_BEFORE {
        if let Some(i) = lead.rfind(q) {
            let at = from + lead_start + i;
            let better = match best {
                Some((bq, bi)) => at > bi || (at == bi && q.len() > bq.len()),
                None => true,
            };
            if better {
                best = Some((q, at));
            }
        }
    }
    match best {
        Some((q, at)) => (Some(q), Some(at)),
        None => (None, None),
    }
}

/// What grows, longest first: the figure must follow one of these within 30 characters of its
/// sentence. Looked up backwards in code rather than with a bounded gap in the pattern, which
/// would make the regex's lazy DFA huge.
const METRICS: &[&str] = &[
    "归母净利润",
    "扣非净利润",
    "营业总收入",
    "归母净利",
    "利润总额",
    "营业收入",
    "净利润",
    "净利",
    "营收",
    "收入",
    "业绩",
];

/// Start of the nearest metric word within 30 characters before `pos` in its sentence.
fn metric_before(s: &Structure, pos: usize) -> Option<usize> {
    let sentence = s.sentence_start(pos);
    let from = s.text[sentence..pos]
        .char_indices()
        .rev()
        .nth(35)
        .map_or(sentence, |(i, _)| sentence + i);
    let lead = &s.text[from..pos];
    METRICS
        .iter()
        .filter_map(|m| lead.rfind(m).map(|i| (i, i + m.len())))
        .filter(|&(_, end)| lead[end..].chars().count() <= 30)
        .max_by_key(|&(start, end)| (end, std::cmp::Reverse(start)))
        .map(|(start, _)| from + start)
}

fn earnings(s: &Structure, out: &mut Vec<Candidate>) {
    for c in s.scan(&EARNINGS, triggers!(GROWTH_WORDS)) {
        let whole = c.get(0).expect("match");
        let Some(metric_start) = metric_before(s, whole.start()) else {
            continue;
        };
        let (au, bu) = (
            c.name("au").map(|m| m.as_str()),
            c.name("bu").map(|m| m.as_str()),
        );
        if au.is_none() && bu.is_none() {
            continue;
        }
        let b = c.name("b").map(|m| (m.as_str(), bu));
        let Some(mut amount) = percent_amount(&c["a"], au, b) else {
            continue;
        };
        let dir = &c["dir"];
        if [
            "下降", "减少", "下滑", "降低", "下跌", "预减", "大跌", "大降",
        ]
        .iter()
        .any(|d| dir.starts_with(d))
            || dir.starts_with("降幅")
        {
            amount = amount.negate();
        }
        let qualifier = c
            .name("q")
            .or(c.name("q2"))
            .or(c.name("cmp"))
            .map(|m| m.as_str());
        let subject = s
            .attribute(metric_start, whole.end())
            .or_else(|| s.topic_stock(metric_start))
            .map_or(Who::Nobody, Who::Stock);
        out.push(
            Candidate::new(
                ClaimKind::EarningsGrowth,
                subject,
                metric_start,
                whole.end(),
            )
            .amount(amount, "%")
            .qualified(qualifier),
        );
    }
}

fn earnings_cmp(s: &Structure, out: &mut Vec<Candidate>) {
    const METRICS: &[&str] = &["净利", "营收", "收入", "业绩", "利润"];
    for c in s.scan_needing(&EARNINGS_CMP, triggers!(&["同比", "环比"]), b'%') {
        let whole = c.get(0).expect("match");
        let taken = out.iter().any(|f| {
            f.kind == ClaimKind::EarningsGrowth && f.start < whole.end() && whole.start() < f.end
        });
        let lead = &s.text[s.sentence_start(whole.start())..whole.start()];
        if taken || !METRICS.iter().any(|m| lead.contains(m)) {
            continue;
        }
        let b = c.name("b").map(|m| (m.as_str(), Some("%")));
        let Some(mut amount) = percent_amount(&c["a"], Some("%"), b) else {
            continue;
        };
        if ["下降", "减少", "下滑", "降低", "下跌"].contains(&&c["dir"]) {
            amount = amount.negate();
        }
        let subject = s
            .attribute(whole.start(), whole.end())
            .or_else(|| s.topic_stock(whole.start()))
            .map_or(Who::Nobody, Who::Stock);
        let qualifier = c.name("q").or(c.name("cmp")).map(|m| m.as_str());
        out.push(
            Candidate::new(
                ClaimKind::EarningsGrowth,
                subject,
                whole.start(),
                whole.end(),
            )
            .amount(amount, "%")
            .qualified(qualifier),
        );
    }
}

fn streaks(s: &Structure, out: &mut Vec<Candidate>) {
    for c in s.scan(&STREAK, triggers!(&["板", "扳"])) {
        let whole = c.get(0).expect("match");
        let before = &s.text[..whole.start()];
        let after = &s.text[whole.end()..];
        if after.starts_with('块')
            || before.ends_with(|ch: char| ch.is_ascii_digit() || ch == '.')
            || ["新", "第", "创业", "科创", "主"]
                .iter()
                .any(|w| before.ends_with(w))
        {
            continue;
        }
        let Some(n) = number::parse(&c["n"]) else {
            continue;
        };
        if !(2.0..=30.0).contains(&n) || n.fract() != 0.0 {
            continue;
        }
        // A heading line (二板 / 三板晋级) is the ladder's business.
        if ladder_heading_line(s, whole.start()) {
            continue;
        }
        let Some(stock) = s.attribute(whole.start(), whole.end()) else {
            continue;
        };
        let nearest = s.nearest_start(stock, whole.start());
        for (stock, _) in s.listed_before(stock, nearest) {
            out.push(
                Candidate::new(
                    ClaimKind::LimitUpStreak,
                    Who::Stock(stock),
                    whole.start(),
                    whole.end(),
                )
                .amount(Amount::One(n), "板"),
            );
        }
    }
}

fn ladder_heading_line(s: &Structure, pos: usize) -> bool {
    let line_start = s.paragraph_start(pos);
    let line_end = s.line_end(pos);
    super::ladder::heading(&s.text[line_start..line_end]).is_some()
}

/// Words before 涨停/跌停 that mean it did not happen (or not yet).
const NOT_SEALED_BEFORE: &[&str] = &[
    "冲击", "冲刺", "冲", "逼近", "接近", "摸", "未", "没", "没有", "不", "差点", "险些", "有望",
    "预期", "准备", "奔", "直奔", "拉", "快", "打开", "开", "离", "若", "如果", "能否", "是否",
];
/// Words after 涨停/跌停 that make it something else (a price, a count, a plan).
const NOT_SEALED_AFTER: &[&str] = &[
    "价",
    "预期",
    "家数",
    "个股",
    "数",
    "潮",
    "板块",
    "效应",
    "的个股",
    "股",
    "溢价",
    "率",
];

fn limits(s: &Structure, out: &mut Vec<Candidate>) {
    for m in LIMIT.find_iter(s.text) {
        let before = &s.text[..m.start()];
        let after = &s.text[m.end()..];
        if NOT_SEALED_BEFORE.iter().any(|w| before.ends_with(w))
            || NOT_SEALED_AFTER.iter().any(|w| after.starts_with(w))
            || before.ends_with(|c: char| c == '只' || c == '家' || c.is_ascii_digit())
        {
            continue;
        }
        let kind = if m.as_str() == "跌停" {
            ClaimKind::LimitDown
        } else {
            ClaimKind::LimitUp
        };
        if kind == ClaimKind::LimitUp && after.starts_with("跌停") {
            continue; // 涨停跌停 / 天地板 talk
        }
        let Some(stock) = s.attribute(m.start(), m.end()) else {
            continue;
        };
        let before_word = s.nearest_start(stock, m.start());
        let group = if before_word < m.start() {
            s.listed_before(stock, before_word)
        } else {
            s.listed_after(m.end())
        };
        for (stock, start) in group {
            let (a, b) = if start < m.start() {
                (start, m.end())
            } else {
                (m.start(), s.clause_end(start))
            };
            out.push(Candidate::new(kind, Who::Stock(stock), a, b));
        }
    }
}

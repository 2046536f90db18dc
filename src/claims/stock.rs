//! Stock claims of the trading day stated in running text: N连板, 涨停, 跌停.

use std::sync::LazyLock;

use regex::Regex;

use super::structure::Structure;
use super::triggers::triggers;
use super::{Amount, Candidate, Who};
use crate::model::ClaimKind;
use crate::number::{self, NUMBER};

static STREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:(?P<days>{NUMBER})天)?(?P<n>{NUMBER})(?:连板|连扳|板)"
    ))
    .expect("streak regex")
});

static LIMIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"涨停|封板|一字板|首板|跌停|上板|秒板|回封").expect("limit regex")
});

/// Every stock claim stated in running text.
pub(crate) fn find(s: &Structure, out: &mut Vec<Candidate>) {
    // Cheap substring tests first: most articles state only a few kinds of claim.
    let t = s.text;
    if super::has_any(t, &['板', '扳']) {
        streaks(s, out);
    }
    if t.contains("停") || t.contains("封") || t.contains("板") {
        limits(s, out);
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
        for (listed, _) in s.listed_before(stock, nearest) {
            // a stock listed before this one whose own streak was stated is not in this group
            let own_streak = out
                .iter()
                .any(|c| c.kind == ClaimKind::LimitUpStreak && c.subject == Who::Stock(listed));
            if listed != stock && own_streak {
                continue;
            }
            let stock = listed;
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

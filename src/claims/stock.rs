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
    Regex::new(r"涨停|封板|一字板|首板|跌停|上板|秒板|回封|封死|封住|一字|1字|地板|板了")
        .expect("limit regex")
});

/// A board count opening the text after 首板 (首板二板, 首板、二板).
static BOARD_COUNT_AHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[、和及与]?(?:[二三四五六七八九十两]|\d{1,2})(?:连板|板)").expect("board regex")
});

/// A run of limit-up days counted in days rather than boards (连续两日涨停, 连续3个交易日涨停):
/// the words right before 涨停; also boards collected in a row (连收11个涨停板).
static DAYS_IN_A_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:连续(?P<n>{NUMBER})个?(?:交易日|日|天)(?:一字)?|(?:连收|连拉|连续收获?|连获)(?P<m>{NUMBER})个)$"
    ))
    .expect("days regex")
});

/// A streak written without 板 after a stock: `30cm二连` (the count then ends the phrase) or
/// `晋级8` (the board it advanced to).
static BARE_STREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:(?P<n>{NUMBER})连|晋级(?P<m>\d+))(?P<next>\p{{Han}})?"
    ))
    .expect("bare streak regex")
});

/// Every stock claim stated in running text.
pub(crate) fn find(s: &Structure, out: &mut Vec<Candidate>) {
    // Cheap substring tests first: most articles state only a few kinds of claim.
    let t = s.text;
    if super::has_any(t, &['板', '扳']) {
        streaks(s, out);
    }
    if t.contains('连') || t.contains("晋级") {
        bare_streaks(s, out);
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
        // 二板以上 counts a group of boards, and so does a count after another (首板二板批量爆发);
        // a count that may yet come (豫能能五板, 如果…晋级二板) is none
        let lead = clause_lead(s, whole.start());
        if after.starts_with('块')
            || after.starts_with("以上")
            // a ceiling the market had not broken (打破五板压制, 压制一直都是在四板的) is no
            // stock's count
            || after.trim_start_matches('的').starts_with("压制")
            || lead.contains("压制")
            || before.ends_with('板')
            || (MODALS.iter().any(|w| before.ends_with(w)) && !ends_a_stock(s, whole.start()))
            // a count aimed at or denied (冲7板, 冲击五板, 没勇气三板) is not reached
            || (NOT_REACHED_BEFORE.iter().any(|w| before.ends_with(w))
                && !ends_a_stock(s, whole.start()))
            || NOT_SEALED_IN_CLAUSE.iter().any(|w| lead.contains(w))
            || planned_after(s, whole.end())
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

fn bare_streaks(s: &Structure, out: &mut Vec<Candidate>) {
    for c in BARE_STREAK.captures_iter(s.text) {
        let whole = c.get(0).expect("match");
        // the count ends the phrase: 二连阳, 三连跌 and 连板 (the streak rule's) say other things
        if c.name("next").is_some() {
            continue;
        }
        let before = &s.text[..whole.start()];
        if before.ends_with(|ch: char| ch.is_ascii_digit() || ch == '.') {
            continue;
        }
        let n = match (c.name("n"), c.name("m")) {
            (Some(n), _) => number::parse(n.as_str()),
            (_, Some(m)) => number::parse(m.as_str()),
            _ => None,
        };
        let Some(n) = n.filter(|n| (2.0..=30.0).contains(n) && n.fract() == 0.0) else {
            continue;
        };
        if ladder_heading_line(s, whole.start()) {
            continue;
        }
        // whose: the stock a list item opens with (`34.科力股份 新疆 新疆油田 30cm二连`), else
        // the last stock of the clause with a few words at most between (`华电辽能的超预期
        // 晋级8`), never a stock further back whose count this cannot be
        let clause = s.clause_start(whole.start());
        let item = s
            .item_at(whole.start())
            .and_then(|i| i.stock.map(|stock| (stock, i.start)));
        let named = s.stocks_in(clause, whole.start()).last().filter(|named| {
            // (the daily limit a board is counted in, 20cm / 30cm, is no other figure)
            let between = s.text[named.end..whole.start()]
                .replace("20cm", "")
                .replace("30cm", "");
            between.chars().count() <= 8 && !between.contains(|c: char| c.is_ascii_digit())
        });
        let Some((stock, nearest)) = item.or(named.map(|n| (n.stock, n.start))) else {
            continue;
        };
        for (listed, _) in s.listed_before(stock, nearest) {
            out.push(
                Candidate::new(
                    ClaimKind::LimitUpStreak,
                    Who::Stock(listed),
                    nearest,
                    whole.end(),
                )
                .amount(Amount::One(n), "板"),
            );
        }
    }
}

/// True when a stock's name ends at `pos` (华电辽能8连板: its 能 is no modal verb).
fn ends_a_stock(s: &Structure, pos: usize) -> bool {
    let clause = s.clause_start(pos);
    s.stocks_in(clause, pos)
        .last()
        .is_some_and(|st| st.end == pos)
}

/// Words after a board count, in its clause, that make it a count still ahead, weighed in a
/// trading plan (`五板分歧我不接力`, `三板要看竞价`, `五板如果分歧`, `二板看承接`).
const PLANNED_AFTER: &[&str] = &[
    "如果",
    "要看",
    "看竞价",
    "看承接",
    "看分歧",
    "看溢价",
    "不接力",
    "接不接",
    "能否",
    "能不能",
];

/// True when the clause after a board count ending at `end` weighs it as still ahead.
fn planned_after(s: &Structure, end: usize) -> bool {
    let rest = &s.text[end..s.clause_end(end).max(end)];
    PLANNED_AFTER.iter().any(|w| rest.contains(w))
}

/// The words of the clause before `pos`, after a headline closed in it (`【…能否顺利实施…】五连板
/// 新筑股份…` leads with none of the headline's words).
fn clause_lead<'t>(s: &Structure<'t>, pos: usize) -> &'t str {
    let lead = &s.text[s.clause_start(pos)..pos];
    match lead.rfind(['】', ']']) {
        Some(i) => &lead[i + lead[i..].chars().next().map_or(1, char::len_utf8)..],
        None => lead,
    }
}

fn ladder_heading_line(s: &Structure, pos: usize) -> bool {
    let line_start = s.paragraph_start(pos);
    let line_end = s.line_end(pos);
    super::ladder::heading(&s.text[line_start..line_end]).is_some()
}

/// Words before 涨停/跌停 that mean it did not happen (or not yet).
const NOT_SEALED_BEFORE: &[&str] = &[
    "冲击",
    "冲刺",
    "冲",
    "逼近",
    "接近",
    "摸",
    "未",
    "没",
    "没有",
    "不",
    "差点",
    "险些",
    "有望",
    "预期",
    "准备",
    "奔",
    "直奔",
    "拉",
    "快",
    "打开",
    "开",
    "离",
    "若",
    "如果",
    "能否",
    "是否",
    "挂",
    // what should have been (正常来说应该是封板)
    "应该是",
    "应该",
    "本该",
    "理应",
    // the index's limit is a figure of speech (大盘跌停)
    "大盘",
    "指数",
];
/// Words right before a board count that make it one aimed at or denied, not reached (冲7板,
/// 冲击五板, 挑战六板, 没勇气三板).
const NOT_REACHED_BEFORE: &[&str] = &[
    "冲击", "冲刺", "冲", "挑战", "剑指", "奔", "直奔", "勇气", "没", "没有", "未", "不", "难",
    "有望", "预期", "逼近", "接近", "离",
];
/// Modal verbs right before a limit or a count: it may yet come (会涨停, 能五板).
const MODALS: &[&str] = &["会", "能", "要"];
/// Words earlier in the clause that make a limit something wished, supposed or denied
/// (没人套利涨停, 明天哪怕涨停, 必须要涨停, 如果…挂涨停).
const NOT_SEALED_IN_CLAUSE: &[&str] = &[
    "没人",
    "没有人",
    "无人",
    "哪怕",
    "必须",
    "如果",
    "假如",
    "要是",
    "一旦",
    "能不能",
    "会不会",
    "明天",
    "明日",
    "下周",
    "希望",
    "期待",
    "差点",
    "险些",
    "是否",
    "能否",
    "按理",
    "以为",
    "不知道",
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
    "附近",
    "边缘",
    "炸板",
    "炸了",
    "后炸板",
];

/// Words after 一字 that make it no sealed board: 一字板 and 一字跌停 are words of their own, and
/// 一字之差, 一字排开 are no boards at all.
const NOT_BOARD_AFTER_YIZI: &[&str] = &[
    "板", "跌停", "涨停", "之", "排", "不", "一", "句", "开", "打开", "型", "长", "线", "预期",
];
/// Adverbs that make 板了 a board sealed (又板了, 也板了, 直接板了): without one, `三板了` is a
/// count and `炸板了` a board broken.
const ADVERBS_BEFORE_BAN_LE: &[&str] = &[
    "又", "也", "就", "直接", "再", "终于", "顺利", "还是", "都", "已经", "早早", "果然",
];
/// Words right before 地板 that make it the trader's limit-down.
const BEFORE_DIBAN: &[&str] = &["直接", "一字", "天", "秒", "核按钮", "砸到", "干到", "打到"];
/// Words right before 一字 that deny or count it (不是一字, 开不出一字, 几个一字, 没有啥一字), or
/// make it the auction's opening price rather than the day's close (开了大单一字).
const NOT_BOARD_BEFORE_YIZI: &[&str] = &[
    "不是",
    "开不出",
    "没开出来",
    "没开出",
    "个",
    "啥",
    "开了大单",
    "开了",
    "开大单",
];

/// Words that say a board broke (炸板, 被砸, 爆头, 开板, 回封，还是失败).
const BROKE: &[&str] = &[
    "炸板", "炸了", "炸掉", "炸开", "被砸", "砸了", "秒砸", "开板", "爆头", "被爆", "失败",
];

/// Words that seal a board again after it broke (炸板以后才回封, 又炸，又封).
const SEALED_AGAIN: &[&str] = &["回封", "再封", "又封", "重新封", "推上去", "拉回去"];

/// How far after a board its break is looked for, in characters.
const BREAK_WITHIN_CHARS: usize = 30;

/// True when the sentence of `stock`'s limit-up word at `end` goes on to say that the board broke
/// and was not sealed again, with no other stock and no other board in between
/// (`美利云开盘秒板，后面直接炸掉`, `好不容易回封，又被爆头`): the stock touched the limit and
/// did not close there. A break said of many (`涨停后化工确实炸了不少`) is a group's.
fn broke_later(s: &Structure, end: usize, stock: u32) -> bool {
    // the break follows soon after the board: a long sentence goes on to other things
    let stop = s.sentence_end(end).max(end);
    let near = s.text[end..stop]
        .char_indices()
        .nth(BREAK_WITHIN_CHARS)
        .map_or(stop, |(i, _)| end + i);
    let rest = &s.text[end..near];
    let Some((at, word)) = BROKE
        .iter()
        .filter_map(|w| rest.find(w).map(|at| (at, *w)))
        .min()
    else {
        return false;
    };
    let between = &rest[..at];
    let after = &rest[at + word.len()..];
    s.stocks_in(end, end + at)
        .iter()
        .all(|st| st.stock == stock)
        && !["回封", "涨停", "封板", "上板", "封死", "封住", "一字"]
            .iter()
            .any(|w| between.contains(w))
        && !SEALED_AGAIN.iter().any(|w| after.contains(w))
        && !["不少", "一片", "很多", "一堆", "一批", "一大片"]
            .iter()
            .any(|w| after.starts_with(w))
}

fn limits(s: &Structure, out: &mut Vec<Candidate>) {
    for m in LIMIT.find_iter(s.text) {
        let before = &s.text[..m.start()];
        let after = &s.text[m.end()..];
        if (NOT_SEALED_BEFORE
            .iter()
            .chain(MODALS)
            .any(|w| before.ends_with(w))
            && !ends_a_stock(s, m.start()))
            || NOT_SEALED_AFTER.iter().any(|w| after.starts_with(w))
            || before.ends_with(|c: char| c == '只' || c == '家' || c.is_ascii_digit())
        {
            continue;
        }
        // 首板二板 names two groups of boards, no stock's limit
        if m.as_str() == "首板" && (BOARD_COUNT_AHEAD.is_match(after) || before.ends_with('板'))
        {
            continue;
        }
        let yizi = matches!(m.as_str(), "一字" | "1字");
        // (a quoted 一字 is still followed by what it is: 连续17个“一字”跌停)
        let unquoted = after.trim_start_matches(['”', '"', '’', '」', '』']);
        if yizi
            && (NOT_BOARD_AFTER_YIZI.iter().any(|w| unquoted.starts_with(w))
                || NOT_BOARD_BEFORE_YIZI.iter().any(|w| before.ends_with(w))
                || before.ends_with(|c: char| c.is_ascii_digit() || c == '.'))
        {
            continue;
        }
        // 地板 as a close at the limit-down (直接地板, 一字地板, 天地板), not a car's or a house's floor
        if m.as_str() == "地板" && !BEFORE_DIBAN.iter().any(|w| before.ends_with(w)) {
            continue;
        }
        if m.as_str() == "板了" && !ADVERBS_BEFORE_BAN_LE.iter().any(|w| before.ends_with(w)) {
            continue;
        }
        // 封住了涨停: the limit word after it states the claim
        if matches!(m.as_str(), "封死" | "封住")
            && ["涨停", "跌停", "了涨停", "了跌停"]
                .iter()
                .any(|w| after.starts_with(w))
        {
            continue;
        }
        let lead = clause_lead(s, m.start());
        if NOT_SEALED_IN_CLAUSE.iter().any(|w| lead.contains(w)) {
            continue;
        }
        // 地板 is the trader's word for a limit-down close (直接地板, 天地板)
        let kind = if matches!(m.as_str(), "跌停" | "地板") {
            ClaimKind::LimitDown
        } else {
            ClaimKind::LimitUp
        };
        // 连续两日涨停: a streak counted in days
        if m.as_str() == "涨停" {
            if let Some(days) = DAYS_IN_A_ROW.captures(before) {
                let n = days
                    .name("n")
                    .or(days.name("m"))
                    .and_then(|count| number::parse(count.as_str()))
                    .filter(|n| (2.0..=30.0).contains(n));
                if let (Some(n), Some(stock)) = (n, s.attribute(m.start(), m.end())) {
                    let at = s.nearest_start(stock, m.start()).min(m.start());
                    out.push(
                        Candidate::new(ClaimKind::LimitUpStreak, Who::Stock(stock), at, m.end())
                            .amount(Amount::One(n), "板"),
                    );
                }
                continue;
            }
        }
        if kind == ClaimKind::LimitUp && after.starts_with("跌停") {
            continue; // 涨停跌停 / 天地板 talk
        }
        let Some(stock) = s.attribute(m.start(), m.end()) else {
            continue;
        };
        if kind == ClaimKind::LimitUp && broke_later(s, m.end(), stock) {
            continue;
        }
        let before_word = s.nearest_start(stock, m.start());
        // a word that opens its own clause with a list of stocks right after it (…的反包2，
        // 批量的首板湖南发展、华银电力) is said of that list, not of a stock of an earlier clause
        let heads_list = before_word < s.clause_start(m.start()) && {
            let rest = after.trim_start_matches(['的', '有', '是', '为', ':', '：', ' ']);
            let at = m.end() + (after.len() - rest.len());
            s.stocks_in(at, s.clause_end(at))
                .first()
                .is_some_and(|st| st.start == at)
        };
        let group = if before_word < m.start() && !heads_list {
            s.listed_before(stock, before_word)
        } else {
            s.listed_after(m.end())
        };
        // 大跌甚至跌停 said of a group: some of them, none named
        if before.ends_with("甚至") && group.len() > 1 {
            continue;
        }
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

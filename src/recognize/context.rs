//! Context for ambiguous names: names that are also ordinary words or themes count as stocks
//! only with stock context. A stock-market word right after them ([`STOCK_AFTER`]), a code beside
//! them, or another stock right before or after them in a list make them stocks; a theme word
//! after them ([`THEME_AFTER`]) makes them themes.

use std::sync::LazyLock;

use regex::Regex;

use crate::lexicon::{numerals_only, FormKind, Sense};
use crate::segment::Doc;

use super::codes::foreign_listing_after;
use super::{line_head_start, sort, Entity, Mention, Pending, Recognizer};

/// Words of the trading board and of traders that, right after a name, show it used as a stock
/// (`涨停`, `断板`, `没续`, `竞价` …). Also what shows two characters to be a stock's short name
/// ([`super::variants`]).
pub(super) const TRADING_AFTER: &[&str] = &[
    "涨停",
    "跌停",
    "连板",
    "一字",
    "首板",
    "晋级",
    "封板",
    "炸板",
    "反包",
    "断板",
    "弱转强",
    "没续",
    "秒板",
    "上板",
    "回封",
    "自爆",
    "竞价",
    "开盘",
    "砸盘",
];

/// Words that, right after a name, show it is used as a stock.
const STOCK_AFTER: &[&str] = &[
    "二板",
    "三板",
    "四板",
    "股价",
    "公告",
    "回复",
    "大涨",
    "大跌",
    "涨超",
    "跌超",
    "涨幅",
    "跌幅",
    "高开",
    "低开",
    "天地板",
    "地天板",
    "走强",
    "走弱",
    "领涨",
    "股份",
    "市值",
    "A股",
    // company-event words: what a company, not a place or a product, does or reports
    "在手",
    "营收",
    "营业收入",
    "净利润",
    "归母",
    "业绩",
    "披露",
    "发布公告",
    // a company reporting: 发布年报, 发布业绩预告, 公布三季报
    "发布年报",
    "发布半年报",
    "发布年度",
    "发布业绩",
    "发布财报",
    "发布季报",
    "发布一季报",
    "发布三季报",
    "公布年报",
    "公布业绩",
    "公布财报",
    "中标",
    "签署",
    "减持",
    "增持",
    "回购",
    "定增",
    "预增",
    "预亏",
    "停牌",
    "复牌",
    "澄清",
    "募资",
    "募集",
    "收购",
    "重组",
    "股东",
    "控股股东",
    "实控人",
    "实际控制人",
    "董事长",
    "董事会",
    "总经理",
    "净利",
    "立案",
    "问询",
    "分红",
    "年报",
    "半年报",
    "季报",
    // trader words: what traders do with a stock ([`TRADING_AFTER`] has the rest)
    "打板",
    "(",
    "（",
    "[",
    "【",
];
/// A period a company reports on, or the day and hour it announced something, right after its
/// name (`2023年`, `2024年前三季度`, `24Q3`, `上半年`, `1月28日晚间`).
static PERIOD_AHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:19|20)\d{2}\s?(?:年度|年)?|\d{2}Q[1-4]|今年|去年|全年|前三季度?|首三季度?|[上下]半年|第?[一二三四1-4]季度?|首季度?|[1-4]Q\d{2}|Q[1-4]|H[12]|1-(?:3|6|9|12)月|\d{1,2}月\d{1,2}日|今日|昨日|晚间|早间|午间|盘后|盘前)+\s?",
    )
    .expect("period regex")
});

/// Verbs of earning between a company and what it reports (`实现营收`, `录得净利润`).
const EARNED: &[&str] = &["实现", "录得", "取得"];

/// Words that, right after a name, show it is used as a theme.
const THEME_AFTER: &[&str] = &[
    "概念",
    "板块",
    "方向",
    "题材",
    "产业",
    "赛道",
    "行业",
    "链",
    "主线",
    "分支",
    "领域",
    "技术",
    "公司",
    "企业",
    "网",
    "App",
    "APP",
    "财富号",
    "股吧",
    "Choice",
    "数据",
    "统计",
    "显示",
    "指导",
    "意见",
    "规划",
    "政策",
    // an index named after a company (东方财富全A指数) is an index
    "全A",
    "指数",
];

/// Trader words that, right before a name, show it is used as a stock (`打板中国出版`,
/// `接人民网`). Only for names that are no theme. 核心 and 龙头 are not among them: prose puts
/// them before words (核心驱动力, 龙头老百姓 …); they count after a name ([`TRADER_AFTER`]).
const TRADER_BEFORE: &[&str] = &["打板", "接力", "低吸", "反包", "弱转强", "接"];

/// Trader words that, right after a name that is no theme, show it is used as a stock
/// (`人民网核心`, `中国出版龙头`); after a theme they name the theme's leader (机器人龙头).
const TRADER_AFTER: &[&str] = &["核心", "龙头", "中军", "卡位"];

/// How an ambiguous name is used.
pub(super) enum Usage {
    Stock,
    Theme,
    Unknown,
}

impl Recognizer {
    /// A name needs context when it is listed as ambiguous or is both a stock and a theme.
    pub(super) fn needs_context(&self, form: &str, senses: &[Sense]) -> bool {
        let is_stock = senses
            .iter()
            .any(|s| !matches!(s.form, FormKind::Concept | FormKind::Organization));
        let is_other = senses
            .iter()
            .any(|s| matches!(s.form, FormKind::Concept | FormKind::Organization));
        is_stock && (is_other || self.lexicon.is_ambiguous(form))
    }

    /// Decides the names that need context (`pending`, from [`Recognizer::find_names`]) against
    /// the mentions found so far, adding the stock or theme mentions they turn out to be.
    /// Ambiguous names beside each other (中国出版人民网、新华传媒) resolve one after the other.
    pub(super) fn resolve_ambiguous(
        &self,
        doc: &Doc,
        mentions: &mut Vec<Mention>,
        mut pending: Vec<Pending<'_>>,
    ) {
        let text = doc.text();
        loop {
            let before = pending.len();
            pending.retain(|&(start, end, senses)| {
                match self.context(doc, mentions, start, end, senses) {
                    Usage::Stock => {
                        self.push_senses(mentions, start, end, senses, false);
                        false
                    }
                    _ => true,
                }
            });
            sort(mentions);
            if pending.len() == before {
                break;
            }
        }
        // Left undecided: long names stand as stocks unless used as a theme or a data source or
        // written in numerals; short ones (2–3 characters) are too often ordinary words.
        for (start, end, senses) in pending {
            let usage = self.context(doc, mentions, start, end, senses);
            let name = &text[start..end];
            let long = name.chars().count() >= 4 && !numerals_only(name);
            let cited = text[..start].ends_with('据') || text[..start].ends_with("来源");
            let as_stock = matches!(usage, Usage::Unknown) && long && only_stock(senses) && !cited;
            self.push_senses(mentions, start, end, senses, !as_stock);
        }
    }

    /// How an ambiguous name with `senses` is used at `start..end`.
    pub(super) fn context(
        &self,
        doc: &Doc,
        mentions: &[Mention],
        start: usize,
        end: usize,
        senses: &[Sense],
    ) -> Usage {
        let text = doc.text();
        let after = &text[end..];
        let after = after.trim_start_matches([' ', '\u{3000}']);
        if THEME_AFTER.iter().any(|w| after.starts_with(w)) || foreign_listing_after(after) {
            return Usage::Theme;
        }
        let mut stock_word = STOCK_AFTER.iter().chain(TRADING_AFTER);
        if stock_word.any(|w| after.starts_with(w)) || starts_with_board_count(after) {
            return Usage::Stock;
        }
        // what a company reports, after the period it covers and a verb of earning
        // (数据港2023年营收, 数据港前三季度实现营收)
        let period = PERIOD_AHEAD.find(after).map_or(0, |m| m.end());
        if period > 0 || EARNED.iter().any(|w| after.starts_with(w)) {
            let reported = &after[period..];
            let reported = EARNED
                .iter()
                .find_map(|w| reported.strip_prefix(w))
                .unwrap_or(reported);
            if STOCK_AFTER.iter().any(|w| reported.starts_with(w)) {
                return Usage::Stock;
            }
        }
        if qualifies_a_stock(text, mentions, end) {
            return Usage::Theme; // 机器人的首开股份: the theme a stock is filed under
        }
        let trader_after = TRADER_AFTER.iter().any(|w| after.starts_with(w));
        if only_stock(senses)
            && (trader_after
                || self.trader_word_before(doc, start)
                || headline_subject(text, mentions, start, end)
                || numbered_item(text, start, end))
        {
            return Usage::Stock;
        }
        if after.starts_with(|c: char| c.is_ascii_digit()) && after.len() >= 6 {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 6 {
                return Usage::Stock;
            }
        }
        let is_stock = |m: &&Mention| matches!(m.entity, Entity::Stock(_));
        let near = |a: usize, b: usize| -> bool {
            a <= b && text[a..b].chars().all(|c| "、，, /|和及与".contains(c)) && b - a <= 4
        };
        // `mentions` is sorted by start: only a few entries on either side can be neighbours.
        let at = mentions.partition_point(|m| m.start < start);
        let neighbour_before = mentions[..at]
            .iter()
            .rev()
            .take(4)
            .filter(is_stock)
            .any(|m| m.end <= start && near(m.end, start));
        let after_at = mentions.partition_point(|m| m.start < end);
        let neighbour_after = mentions[after_at..]
            .iter()
            .take(4)
            .filter(is_stock)
            .any(|m| m.start >= end && near(end, m.start));
        if neighbour_before || neighbour_after {
            return Usage::Stock;
        }
        Usage::Unknown
    }
}

impl Recognizer {
    /// A trader word ([`TRADER_BEFORE`]) ends right where the name starts, as a word of its own
    /// (not the 接 of 直接 or 连接).
    fn trader_word_before(&self, doc: &Doc, start: usize) -> bool {
        let before = &doc.text()[..start];
        TRADER_BEFORE.iter().any(|w| {
            // a word of its own: a token starts there (the 接 of 直接 or 连接 starts none)
            before
                .strip_suffix(w)
                .is_some_and(|head| doc.tokens.starts_at(head.len()))
        })
    }
}

/// The name opens a line or a numbered item and a colon follows it (`人民网：2018年净利增长`,
/// `4、片仔癀：预计…`), as a news headline or a list of companies names its company, and what
/// follows the colon is no list of stocks (a theme heading `机器人：润泽科技、…` is followed by
/// one).
fn headline_subject(text: &str, mentions: &[Mention], start: usize, end: usize) -> bool {
    // a list item's number may stand before it (`4、片仔癀：预计…`, `(2) 人民网：…`); any other
    // character before it on its line means it opens no line
    let Some(line_start) = line_head_start(text, start, |c| {
        c.is_whitespace()
            || c.is_ascii_digit()
            || "一二三四五六七八九十(（.、．)）【[#*>·-•".contains(c)
    }) else {
        return false;
    };
    let head = text[line_start..start]
        .trim()
        .trim_start_matches(['(', '（'])
        .trim_start_matches(|c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        .trim_start_matches(['.', '、', '．', ')', '）']);
    let opens_line = head
        .chars()
        .all(|c| c.is_whitespace() || "【[#*>·-•".contains(c));
    let Some(rest) = text[end..]
        .strip_prefix('：')
        .or_else(|| text[end..].strip_prefix(':'))
    else {
        return false;
    };
    if !opens_line {
        return false;
    }
    let body = end + (text.len() - end - rest.len());
    let skipped = rest.len() - rest.trim_start().len();
    let next = mentions.partition_point(|m| m.start < body);
    let stock_follows = mentions[next..]
        .first()
        .is_some_and(|m| matches!(m.entity, Entity::Stock(_)) && m.start <= body + skipped);
    !stock_follows
}

/// The name is a numbered line's first item (`13.二六三 北京 云计算`), as stock lists in recaps
/// are written: a number and a mark before it, a space or the line's end after it.
fn numbered_item(text: &str, start: usize, end: usize) -> bool {
    let Some(line_start) = line_head_start(text, start, |c| {
        c.is_whitespace() || c.is_ascii_digit() || ".、．)）".contains(c)
    }) else {
        return false;
    };
    let head = text[line_start..start].trim();
    let Some(number) = head.strip_suffix(['.', '、', '．', ')', '）']) else {
        return false;
    };
    let numbered =
        !number.is_empty() && number.len() <= 3 && number.bytes().all(|b| b.is_ascii_digit());
    numbered && text[end..].chars().next().is_none_or(char::is_whitespace)
}

/// `的` and a stock right after a name (`光伏的中利集团、机器人的首开股份`): the name is the theme
/// the stock is filed under.
fn qualifies_a_stock(text: &str, mentions: &[Mention], end: usize) -> bool {
    let Some(rest) = text[end..].strip_prefix('的') else {
        return false;
    };
    let at = end + (text.len() - end - rest.len());
    let next = mentions.partition_point(|m| m.start < at);
    mentions[next..]
        .first()
        .is_some_and(|m| m.start == at && matches!(m.entity, Entity::Stock(_)))
}

/// True when every sense is a stock's (no theme, no organisation).
fn only_stock(senses: &[Sense]) -> bool {
    senses
        .iter()
        .all(|s| !matches!(s.form, FormKind::Concept | FormKind::Organization))
}

/// `N板` / `N连板` right after a name.
fn starts_with_board_count(s: &str) -> bool {
    let n = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十两".contains(*c))
        .count();
    n > 0 && {
        let rest: String = s.chars().skip(n).take(2).collect();
        rest.starts_with('板') || rest.starts_with("连板") || rest.starts_with("天")
    }
}

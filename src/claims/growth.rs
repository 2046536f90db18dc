//! Earnings growth: a percentage becomes a growth claim through the words around it.
//!
//! The frame of a figure is read backwards from it within its sentence:
//! - the **change cue** right before it (同比增长, 同增, 下滑, 增速, 复合增长率, 按年增长, a bracket
//!   after an amount: `155.6亿元(+94.7%)`), with only filler between (了, 为, 达, 约, 分别 …); the
//!   cue gives the direction (下降 → negative) and the basis (同比 → yoy, 环比 → qoq, 复合 → cagr);
//! - the **metric** before the cue (营业收入, 归母净利润, 扣非归母净利润, 净利润, 业绩, 毛利, a
//!   segment's 收入), unless a measure that is not earnings stands closer (毛利率, 占比, 出货量 …);
//! - the **period** nearest before the figure (`period.rs`).
//!
//! Figures chained after a growth figure (`分别增长a%、b%`, `从a%降至b%`) share its frame; with
//! 分别, the i-th figure takes the i-th metric (or year) listed before the cue.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::period::{self, Period};
use super::quantity::{Quantity, Unit};
use super::structure::Structure;
use super::{Amount, Candidate, Who};
use crate::model::ClaimKind;
use crate::number;

/// Which way a cue says the figure goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
    /// As signed (同比+5%, 增速12%).
    AsWritten,
    /// A multiple of the earlier figure (为上年同期的2.5倍: +150%).
    Ratio,
}

struct Cue {
    word: &'static str,
    direction: Direction,
    basis: Option<&'static str>,
}

const fn cue(word: &'static str, direction: Direction, basis: Option<&'static str>) -> Cue {
    Cue {
        word,
        direction,
        basis,
    }
}

const YOY: Option<&str> = Some("yoy");
const QOQ: Option<&str> = Some("qoq");
const CAGR: Option<&str> = Some("cagr");

/// Change cues written out: the special ones (CAGR, ratios, the words of tables). The rest are
/// composed of a basis, an intensifier and a verb ([`CUES`]). The longest match ending nearest
/// the figure wins.
const LISTED_CUES: &[Cue] = &[
    cue("年复合增长率", Direction::AsWritten, CAGR),
    cue("年均复合增长率", Direction::AsWritten, CAGR),
    cue("复合增长率", Direction::AsWritten, CAGR),
    cue("复合增速", Direction::AsWritten, CAGR),
    cue("年复合增速", Direction::AsWritten, CAGR),
    cue("CAGR", Direction::AsWritten, CAGR),
    cue("同比增长", Direction::Up, YOY),
    cue("同比增加", Direction::Up, YOY),
    cue("同比上升", Direction::Up, YOY),
    cue("同比提升", Direction::Up, YOY),
    cue("同比上涨", Direction::Up, YOY),
    cue("同比大增", Direction::Up, YOY),
    cue("同比预增", Direction::Up, YOY),
    cue("同比激增", Direction::Up, YOY),
    cue("同比增幅", Direction::AsWritten, YOY),
    cue("同比增速", Direction::AsWritten, YOY),
    cue("同比下降", Direction::Down, YOY),
    cue("同比下滑", Direction::Down, YOY),
    cue("同比减少", Direction::Down, YOY),
    cue("同比降低", Direction::Down, YOY),
    cue("同比下跌", Direction::Down, YOY),
    cue("同比降幅", Direction::Down, YOY),
    cue("同比涨幅", Direction::AsWritten, YOY),
    cue("同比变动", Direction::AsWritten, YOY),
    cue("同比变化", Direction::AsWritten, YOY),
    cue("同比", Direction::AsWritten, YOY),
    cue("同增", Direction::Up, YOY),
    cue("同降", Direction::Down, YOY),
    cue("同减", Direction::Down, YOY),
    cue("按年增长", Direction::Up, YOY),
    cue("按年上升", Direction::Up, YOY),
    cue("按年下降", Direction::Down, YOY),
    cue("按年下跌", Direction::Down, YOY),
    cue("按年减少", Direction::Down, YOY),
    cue("按年", Direction::AsWritten, YOY),
    cue("年增率", Direction::AsWritten, YOY),
    cue("年增长", Direction::Up, YOY),
    cue("年增", Direction::Up, YOY),
    cue("年减", Direction::Down, YOY),
    cue("年降", Direction::Down, YOY),
    cue("环比增长", Direction::Up, QOQ),
    cue("环比增加", Direction::Up, QOQ),
    cue("环比上升", Direction::Up, QOQ),
    cue("环比提升", Direction::Up, QOQ),
    cue("环比下降", Direction::Down, QOQ),
    cue("环比下滑", Direction::Down, QOQ),
    cue("环比减少", Direction::Down, QOQ),
    cue("环比变动", Direction::AsWritten, QOQ),
    cue("环比变化", Direction::AsWritten, QOQ),
    cue("环比", Direction::AsWritten, QOQ),
    cue("环增", Direction::Up, QOQ),
    cue("环降", Direction::Down, QOQ),
    cue("环减", Direction::Down, QOQ),
    cue("按季增长", Direction::Up, QOQ),
    cue("按季", Direction::AsWritten, QOQ),
    cue("季增", Direction::Up, QOQ),
    cue("上年同期的", Direction::Ratio, YOY),
    cue("去年同期的", Direction::Ratio, YOY),
    cue("上年的", Direction::Ratio, YOY),
    cue("去年的", Direction::Ratio, YOY),
    cue("按季下跌", Direction::Down, QOQ),
    cue("按季下降", Direction::Down, QOQ),
    cue("按季减少", Direction::Down, QOQ),
    cue("按季上升", Direction::Up, QOQ),
    cue("季减", Direction::Down, QOQ),
    cue("YoY", Direction::AsWritten, YOY),
    cue("yoy", Direction::AsWritten, YOY),
    cue("QoQ", Direction::AsWritten, QOQ),
    cue("qoq", Direction::AsWritten, QOQ),
    cue("增长率", Direction::AsWritten, None),
    cue("增速", Direction::AsWritten, None),
    cue("增幅", Direction::AsWritten, None),
    cue("升幅", Direction::AsWritten, None),
    cue("增长", Direction::Up, None),
    cue("增加", Direction::Up, None),
    cue("提升", Direction::Up, None),
    cue("上升", Direction::Up, None),
    cue("上涨", Direction::Up, None),
    cue("大增", Direction::Up, None),
    cue("激增", Direction::Up, None),
    cue("暴增", Direction::Up, None),
    cue("暴涨", Direction::Up, None),
    cue("猛增", Direction::Up, None),
    cue("飙升", Direction::Up, None),
    cue("跃升", Direction::Up, None),
    cue("飞跃", Direction::Up, None),
    cue("翻番", Direction::Up, None),
    cue("预增", Direction::Up, None),
    cue("下降", Direction::Down, None),
    cue("下滑", Direction::Down, None),
    cue("减少", Direction::Down, None),
    cue("降低", Direction::Down, None),
    cue("下跌", Direction::Down, None),
    cue("回落", Direction::Down, None),
    cue("大跌", Direction::Down, None),
    cue("大降", Direction::Down, None),
    cue("预减", Direction::Down, None),
    cue("降幅", Direction::Down, None),
    cue("减幅", Direction::Down, None),
    cue("下降幅度", Direction::Down, None),
];

/// What a comparison is with, written before the change: the basis it gives.
const BASES: &[(&str, Option<&str>)] = &[
    ("", None),
    ("同比", YOY),
    ("按年", YOY),
    ("较上年同期", YOY),
    ("较去年同期", YOY),
    ("比上年同期", YOY),
    ("年", YOY),
    ("环比", QOQ),
    ("按季", QOQ),
    // Taiwan usage: 季增 / 季减 / 季成长 beside 年增 (a quarter's name before 季 makes it no
    // basis: 第三季增长, see `cue_before`)
    ("季", QOQ),
    ("季度", QOQ),
    // a comparison with the quarter before (较上一季度增长5.2%)
    ("较上一季度", QOQ),
    ("较上季度", QOQ),
    ("较上一季", QOQ),
    ("比上一季度", QOQ),
    ("比上季度", QOQ),
    ("较前一季度", QOQ),
];

/// How strongly a figure changed, written between the basis and the verb (同比大幅增长, 按年急增).
const INTENSIFIERS: &[&str] = &[
    "", "分别", "大幅", "小幅", "显著", "明显", "稳步", "快速", "高速", "强劲", "大", "暴", "激",
    "猛", "急", "骤", "剧", "狂", "陡", "微", "略", "略有",
];

/// The verbs of a change and its direction. One-character verbs (增, 降) stand only after a
/// basis or an intensifier (同比增, 急增): alone they are too often part of other words.
const VERBS: &[(&str, Direction)] = &[
    ("增长", Direction::Up),
    ("增加", Direction::Up),
    ("提升", Direction::Up),
    ("上升", Direction::Up),
    ("上涨", Direction::Up),
    ("攀升", Direction::Up),
    ("成长", Direction::Up),
    ("增", Direction::Up),
    ("涨", Direction::Up),
    ("升", Direction::Up),
    ("下降", Direction::Down),
    ("下滑", Direction::Down),
    ("减少", Direction::Down),
    ("降低", Direction::Down),
    ("下跌", Direction::Down),
    ("衰退", Direction::Down),
    ("萎缩", Direction::Down),
    ("缩水", Direction::Down),
    ("下挫", Direction::Down),
    ("锐减", Direction::Down),
    ("降", Direction::Down),
    ("减", Direction::Down),
    ("跌", Direction::Down),
    // posts' word for a fall (环比掉了10%)
    ("掉", Direction::Down),
];

/// Every cue: the listed ones, then each basis + intensifier + verb not listed already.
static CUES: LazyLock<Vec<Cue>> = LazyLock::new(|| {
    let mut cues: Vec<Cue> = LISTED_CUES
        .iter()
        .map(|c| cue(c.word, c.direction, c.basis))
        .collect();
    let mut words: std::collections::HashSet<String> =
        cues.iter().map(|c| c.word.to_string()).collect();
    for &(basis_word, basis) in BASES {
        for &intensifier in INTENSIFIERS {
            for &(verb, direction) in VERBS {
                let one_char = verb.chars().count() == 1;
                if one_char && basis_word.is_empty() && intensifier.is_empty() {
                    continue;
                }
                let word = format!("{basis_word}{intensifier}{verb}");
                if words.insert(word.clone()) {
                    // built once for the life of the program, like the listed cues
                    let word: &'static str = Box::leak(word.into_boxed_str());
                    cues.push(cue(word, direction, basis));
                }
            }
        }
    }
    cues
});

/// Every cue word at once (one automaton instead of a substring search per word).
static CUE_WORDS: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(CUES.iter().map(|c| c.word)).expect("cue automaton"));

/// Every metric word at once.
static METRIC_WORDS: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(METRICS.iter().map(|m| m.0)).expect("metric automaton"));

/// Every word of [`NOT_EARNINGS`] at once.
static NOT_EARNINGS_WORDS: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(NOT_EARNINGS).expect("measure automaton"));

/// How far before a figure its cue may start, in bytes (the longest cue with filler after it).
const CUE_REACH_BYTES: usize = 72;

/// Words allowed between a cue and its figure.
const FILLER: &[&str] = &[
    "分别为",
    "分别达",
    "分别",
    "高达",
    "达到",
    "约为",
    "接近",
    "远超过",
    "远超",
    "超过",
    "不低于",
    // 增幅仅9.8%
    "仅为",
    "仅有",
    "仅",
    "幅度为",
    "幅度",
    "了",
    "为",
    "达",
    "约",
    "超",
    "逾",
    "近",
    "至",
    "到",
    "均",
    // 增幅在50%~100%之间, 预增区间为38%~58%
    "在",
    "区间",
    "也",
    "亦",
    "则",
    "都",
    "是",
    "有",
    "率",
    "的",
    "大幅",
    "显著",
    "明显",
    "进一步",
    "更是",
    "更",
    "再度",
    "继续",
    "再次",
    "稳步",
    "实现",
    "水平",
    "从",
    "由",
    "共",
    "合计",
    " ",
    // 比上年同期增长：264.55%-297.70%
    "：",
    ":",
    // a growth rate's new pace (按年增长放慢至1%, 环比增速将加速至10%)
    "放慢至",
    "放缓至",
    "加快至",
    "加速至",
    "提速至",
    "回升至",
    // a forecast revised (非利息收入增长预期上调至16.7%)
    "预期",
    "预测",
    "上调至",
    "下调至",
    // a forecast's hedges (增速或为7.2%, 增速将达)
    "或为",
    "或",
    // 业绩预告: 净利润同比增幅中值为1840.81%
    "中值",
    "将",
    "有望",
    "预计",
];

/// Words whose figure states no earnings growth when they stand nearer the figure than any
/// metric: rates, shares, volumes, prices, the market.
const NOT_EARNINGS: &[&str] = &[
    "毛利率",
    "净利率",
    "利润率",
    "净利润率",
    "费用率",
    "占比",
    "比重",
    "比例",
    "渗透率",
    "市占率",
    "份额",
    "出货量",
    "出货",
    "销量",
    "产量",
    "产能",
    "订单",
    // contracts signed or won (新签合同增逾八成, 中标金额增长)
    "合同",
    "中标",
    "市场规模",
    "行业规模",
    "规模",
    "用户",
    "会员",
    "客户数",
    "销售量",
    "交付量",
    "吞吐量",
    "运量",
    "客流",
    "访问量",
    "流量",
    "价格",
    "单价",
    "股价",
    "涨幅",
    "跌幅",
    "ROE",
    "EPS",
    "每股收益",
    "现金流",
    "负债",
    "资产",
    "存货",
    "费用",
    "成本",
    "估值",
    "市盈率",
    "PE",
    "指数",
    "算力",
    "装机",
    "电量",
    "人数",
    "员工",
    "余额",
    "融资",
    // a gain or a return (投资收益, 公允价值变动收益), no revenue
    "收益",
    // spending and worth (支出可能会增加超过25%, 市值增长)
    "支出",
    "开支",
    "投资额",
    "市值",
    "薪酬",
];

/// Most characters between a metric and its change cue (营业收入155.6亿元，同比增长 is short; a
/// metric a whole list item earlier is another figure's).
const MAX_METRIC_GAP: usize = 40;

/// How far before its cue a metric (or the first of a listed few) may start, in bytes.
const METRIC_REACH_BYTES: usize = 240;

/// Metric words and their normal names; at one place the longest wins.
const METRICS: &[(&str, &str)] = &[
    (
        "归属于上市公司股东的扣除非经常性损益的净利润",
        "扣非归母净利润",
    ),
    ("扣除非经常性损益后的净利润", "扣非归母净利润"),
    ("扣除非经常性损益的净利润", "扣非归母净利润"),
    ("扣非后归母净利润", "扣非归母净利润"),
    ("扣非归母净利润", "扣非归母净利润"),
    ("扣非后净利润", "扣非归母净利润"),
    ("扣非净利润", "扣非归母净利润"),
    ("扣非归母净利", "扣非归母净利润"),
    ("扣非净利", "扣非归母净利润"),
    // brokers' shorthand: 归母同比+35%, 扣非归母同比+30%
    ("扣非归母", "扣非归母净利润"),
    ("扣非", "扣非归母净利润"),
    ("归属于上市公司股东的净利润", "归母净利润"),
    ("归属于母公司股东的净利润", "归母净利润"),
    ("归属于母公司所有者的净利润", "归母净利润"),
    ("归属母公司股东的净利润", "归母净利润"),
    ("归母净利润", "归母净利润"),
    ("股东应占溢利", "归母净利润"),
    ("股东应占净利润", "归母净利润"),
    ("股东应占盈利", "归母净利润"),
    ("归母净利", "归母净利润"),
    ("归母", "归母净利润"),
    ("营业总收入", "营业收入"),
    ("营业收入", "营业收入"),
    ("经营收入", "营业收入"),
    // Hong Kong's operating revenue (中国移动营运收入)
    ("营运收入", "营业收入"),
    ("总营收", "营业收入"),
    ("营业额", "营业收入"),
    ("销售额", "营业收入"),
    ("营收", "营业收入"),
    ("总收入", "营业收入"),
    ("收入", "营业收入"),
    ("利润总额", "利润总额"),
    ("营业利润", "营业利润"),
    ("经营利润", "营业利润"),
    ("营运利润", "营业利润"),
    ("营运溢利", "营业利润"),
    // Taiwan's reports: 营业利益 is operating profit
    ("营业利益", "营业利润"),
    ("经营溢利", "营业利润"),
    ("毛利润", "毛利"),
    ("毛利", "毛利"),
    ("净利润", "净利润"),
    ("净利", "净利润"),
    ("纯利", "净利润"),
    ("税后纯益", "净利润"),
    ("纯益", "净利润"),
    ("溢利", "净利润"),
    ("盈利", "净利润"),
    // 业绩预告: 预盈7.7亿至9.4亿元 (profit expected), 预亏 (a loss expected)
    ("预盈", "净利润"),
    ("预亏", "净利润"),
    ("净亏损", "净利润"),
    ("亏损", "净利润"),
    ("利润", "净利润"),
    ("业绩", "业绩"),
    ("获利", "净利润"),
];

/// What stands before 季 when it ends a quarter's name (第三季, 一季, Q3季, 本季, 上季, 每季).
const QUARTER_HEADS: &[char] = &[
    '一', '二', '三', '四', '1', '2', '3', '4', '第', '首', '末', '前', '单', '本', '上', '下',
    '该', '每', '当', '旺', '淡', '个', '各', '同',
];

/// Characters that end a segment name read backwards from 收入 (业务收入, 海外收入).
const SEGMENT_STOPS: &[&str] = &[
    // a year's end is a time (2017半年末资管业务收入, 年底)
    "年末",
    "年底",
    "年",
    "季",
    "期",
    "度",
    // a month is a time, not a business (8月份营收, 截至6月底收入)
    "月份",
    "月底",
    "月末",
    "月",
    "实现",
    "录得",
    "来自",
    "旗下",
    "取得",
    "公司",
    "其中",
    "的",
    "总",
    "营业",
    "经营",
    "主营",
    "了",
    "将",
    "为",
    "全",
    // a report is no business (财报营收 is the company's revenue)
    "财报",
    "报表",
    "及",
    "和",
    "与",
    "、",
    "其",
    // within a time or a place (年内, 国内), not 内地
    "年内",
    "国内",
    "境内",
    "期内",
    "月内",
    "区内",
    "以来",
    "至今",
    // conjunctions (但净利息收入, 不过数据服务板块收入, 虽然云业务收入), hedges and verbs (料网游收入,
    // 这会推动整体营收)
    "但",
    "不过",
    "虽然",
    "尽管",
    "即使",
    "即便",
    "而且",
    "并且",
    "同时",
    "此外",
    "另外",
    "因此",
    "所以",
    "首先",
    "其次",
    "尤其是",
    "特别是",
    "包括",
    // a post's asides: a figure worked out (算下来收入), a source quoted (纪要里说液冷业务收入), a
    // business within a larger one (云计算业务里AI服务器营收 is AI服务器收入)
    "算下来",
    "说",
    "里",
    "而",
    "料",
    "是",
    "这",
    "会",
    "推动",
    "带动",
    "导致",
    "使得",
    "促使",
    // a cause before its effect (运费飙升使全球运输服务收入…), not 使命 or 大使
    "使",
    // a cause given for the figure before (同比增长35%，主要系服务器业务收入…, 得益于…)
    "主要系",
    "由于",
    "因为",
    "得益于",
    "受益于",
    "源于",
    // the verb of a forecast or a view before the business (我们预计算力租赁业务收入)
    "预计",
    "预期",
    "预测",
    "估计",
    "认为",
    "判断",
    // the currency a revenue is stated in is no business (美元营收)
    "美元",
    "人民币",
    "港元",
    "港币",
    "欧元",
    "日元",
    "台币",
];

/// The words a business's name ends in (数据中心业务, 云端产品线, 存储模块, 移动云).
const BUSINESS_HEADS: &[&str] = &[
    "业务",
    "产品线",
    "板块",
    "产品",
    "模块",
    "服务",
    "分部",
    "事业部",
    "云",
];

/// A metric found before a cue.
#[derive(Clone)]
struct Metric {
    start: usize,
    end: usize,
    name: String,
    /// Named as a loss (净亏损同比增长50%): the profit fell by the figure.
    loss: bool,
}

/// A growth figure accepted, remembered so the figures chained after it share its frame.
struct Frame {
    end: usize,
    cue_start: usize,
    direction: Direction,
    basis: Option<&'static str>,
    /// 按年及按季分别…: the i-th figure's basis, when the bases are listed.
    bases: Vec<Option<&'static str>>,
    metrics: Vec<Metric>,
    years: Vec<Period>,
    distributive: bool,
    /// 均: every metric (or stock) listed before the cue has the same figure.
    each: bool,
    index: usize,
    subject: Who,
    /// Stocks listed before the metric of a distributive sentence (A、B净利润分别增长a%、b%).
    subjects: Vec<u32>,
    rate_level: bool,
    /// 销售生猪2.32万头，销售收入4375万元，环比分别减少40.8%、37.49%: the one metric's place among
    /// the amounts listed before a distributive cue; the other figures are the other amounts'
    /// (a volume), no earnings.
    metric_slot: Option<usize>,
    /// 利润总额、净利润、劳动生产率等分别增长a%、b%、c%: the measures listed after the last metric
    /// that are no earnings; their figures are skipped.
    others_listed: usize,
    /// 新签合同额、营业收入、净利润分别增长a%、b%、c%: the measures listed before the first metric
    /// that are no earnings; the first figures are theirs.
    others_before: usize,
}

/// Every earnings growth claim of the text.
pub(crate) fn find(
    s: &Structure,
    quantities: &[Quantity],
    periods: &[Period],
    table_rows: &[(usize, usize)],
    out: &mut Vec<Candidate>,
) {
    let mut last: Option<Frame> = None;
    for q in quantities.iter().filter(|q| q.unit == Unit::Percent) {
        if table_rows.iter().any(|&(a, b)| a <= q.start && q.end <= b) {
            continue; // read by the table rules
        }
        if consensus_before(s, q.start) {
            last = None;
            continue; // what the market expected (好于市场预估的下降30.5%), no figure reported
        }
        let chained = last.take().filter(|f| chains(s.text, f, q));
        // where the figure's period is looked for: the new level of a rate (由2016年的19.22%收窄至
        // 0.33%) is not of the time its old level was stated for, unless a time stands between
        let mut period_at = q.start;
        let (mut frame, start) = match chained {
            Some(mut f) => {
                let to_level = f.rate_level && !is_list_mark(s.text[f.end..q.start].trim());
                let dated_between = periods.iter().any(|p| p.start >= f.end && p.end <= q.start);
                if to_level && !dated_between {
                    period_at = f.cue_start;
                }
                f.index += 1;
                let start = f.cue_start;
                (f, start)
            }
            None => match frame(s, q, periods) {
                Some(found) => found,
                None => continue,
            },
        };
        frame.end = q.end;
        let mut amount = q.amount;
        if frame.direction == Direction::Down && !q.signed && !frame.rate_level {
            amount = amount.negate();
        }
        // with 分别 the i-th figure takes the i-th metric listed, after the other measures
        // listed before the metrics
        let slot = frame.index.checked_sub(frame.others_before);
        let metric_at = match frame.distributive {
            true => slot
                .and_then(|i| frame.metrics.get(i))
                .or(frame.metrics.last()),
            false => frame.metrics.last(),
        };
        if metric_at.is_some_and(|m| m.loss) && frame.direction != Direction::Ratio {
            amount = amount.negate(); // a loss that grew is a profit that fell
        }
        if frame.direction == Direction::Ratio {
            amount = match amount {
                Amount::One(v) => Amount::One(v - 100.0),
                Amount::Range(l, h) => Amount::Range(l - 100.0, h - 100.0),
            };
        }
        let subject = match frame.subjects.get(frame.index) {
            Some(&stock) if frame.distributive && frame.subjects.len() > 1 => Who::Stock(stock),
            _ => frame.subject.clone(),
        };
        let metric = metric_at.map(|m| match &subject {
            Who::Stock(stock) => without_own_name(s, *stock, &m.name),
            _ => m.name.clone(),
        });
        let sentence = s.sentence_start(q.start);
        let period = match (!frame.years.is_empty(), frame.years.get(frame.index)) {
            (true, Some(p)) if frame.years.len() > 1 => p.text.clone(),
            _ => period_for(
                periods,
                frame.basis,
                sentence,
                s,
                period_at,
                metric.as_deref(),
            ),
        };
        let listed_other = frame.distributive
            && slot.is_none_or(|i| {
                i >= frame.metrics.len() && i < frame.metrics.len() + frame.others_listed
            });
        if listed_other || frame.metric_slot.is_some_and(|slot| slot != frame.index) {
            last = Some(frame);
            continue;
        }
        let qualifier = qualifier(s.text, start.min(frame.cue_start), frame.cue_start, q);
        let mut c = Candidate::new(ClaimKind::EarningsGrowth, subject, start, q.end)
            .amount(amount, "%")
            .qualified(qualifier);
        c.metric = metric;
        c.period = period;
        c.basis = match frame.bases.get(frame.index) {
            Some(&listed) => listed,
            None => frame.basis,
        };
        if c.basis.is_none()
            && c.period
                .as_deref()
                .is_some_and(|p| compares_with_year_before(&s.text[sentence..frame.cue_start], p))
        {
            c.basis = YOY;
        }
        // 营业利润也暴跌89%: a figure that joins the one before it in its sentence shares its
        // period and basis, unless its own clause names a period
        if joins_the_one_before(&s.text[start.min(frame.cue_start)..frame.cue_start]) {
            let clause = s.clause_start(start.min(frame.cue_start));
            let before = out.iter().rev().find(|p| {
                p.kind == ClaimKind::EarningsGrowth && p.end <= start && p.end > sentence
            });
            if let Some(before) = before {
                let dated = periods
                    .iter()
                    .any(|p| p.start >= clause && p.end <= q.start);
                if !dated && before.period.is_some() {
                    c.period = before.period.clone();
                }
                c.basis = c.basis.or(before.basis);
            }
        }
        // a change on the quarter is the last quarter's: 首三季…，AI服务器收入按季升逾九成 is Q3's
        if c.basis == QOQ {
            if let Some(year) = c.period.as_deref().and_then(|p| p.strip_suffix("Q1-Q3")) {
                c.period = Some(format!("{year}Q3"));
            }
        }
        if frame.each && frame.metrics.len() > 1 {
            for m in &frame.metrics {
                let mut one = c.clone();
                one.metric = Some(m.name.clone());
                out.push(one);
            }
        } else if frame.each && frame.subjects.len() > 1 {
            for &stock in &frame.subjects {
                let mut one = c.clone();
                one.subject = Who::Stock(stock);
                out.push(one);
            }
        } else {
            out.push(c);
        }
        last = Some(frame);
    }
}

/// True when the words between a metric and its cue join the figure to the one before it (`营业
/// 利润也暴跌89%`, `净利润亦增长`, `同样增长`).
fn joins_the_one_before(between: &str) -> bool {
    let between = between.trim_end();
    ["也", "亦", "同样"].iter().any(|w| between.ends_with(w))
}

/// True when the figure's clause compares, before it, with what analysts or the market expected
/// (`好于市场预估的下降30.5%`, `符合该行预期的75%`): the figure is the expectation, not the
/// company's. A forecast stated as such (`市场预测其盈利复合增长率为10.7%`) is still a claim.
fn consensus_before(s: &Structure, pos: usize) -> bool {
    static CONSENSUS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:好于|高于|低于|不及|超过|超出|超|符合|优于|逊于|胜于|差于)(?:此前)?(?:市场|分析师|该行|机构|一致|彭博|路透|华尔街|FactSet)?的?(?:普遍)?(?:预期|预估|预测|估计)(?:的|为)\p{Han}{0,4}$",
        )
        .expect("consensus regex")
    });
    CONSENSUS.is_match(&s.text[s.clause_start(pos)..pos])
}

/// True when the clause before a doubling only hopes for it (有望, 希望, 期望).
fn plans_doubling(lead: &str) -> bool {
    ["有望", "希望", "期望"].iter().any(|w| lead.contains(w))
}

/// Words that make what follows them in a sentence a supposition, not a report.
const SUPPOSITIONS: &[&str] = &["如果", "假如", "倘若", "假若", "若是"];

/// The frame of a figure that starts one (cue, metric, subject), and where its evidence starts.
fn frame(s: &Structure, q: &Quantity, periods: &[Period]) -> Option<(Frame, usize)> {
    let sentence = s.sentence_start(q.start);
    let lead = &s.text[sentence..q.start];
    // a growth supposed (如果一家企业能够实现70%的净利润增速，…) is no company's figure
    if SUPPOSITIONS.iter().any(|w| lead.contains(w)) {
        return None;
    }
    static DOUBLING: Cue = cue("翻倍", Direction::AsWritten, None);
    let mut named_after = None;
    // a figure alone in brackets right after its cue (复合增速（5.2%）) is the cue's
    let closed = s.text[q.end..].starts_with([')', '）']);
    let cue_lead = match lead.strip_suffix(['(', '（']) {
        Some(bare) if closed => bare,
        _ => lead,
    };
    let (cue_at, cue) = match cue_before(cue_lead, q) {
        Some(found) => found,
        // a doubling only hoped for (净利润有望翻倍) is no figure; one forecast (预计业绩翻倍) or
        // set as a target (今年力争翻番) is
        None if q.doubling && !plans_doubling(&s.text[s.clause_start(q.start)..q.start]) => {
            (lead.len(), &DOUBLING)
        }
        None => match cue_after(&s.text[q.end..]) {
            Some((cue, metric)) => {
                named_after = metric;
                (lead.len(), cue)
            }
            None => return None,
        },
    };
    if cue.direction == Direction::Ratio && !q.times {
        return None;
    }
    let cue_start = sentence + cue_at;
    let metrics = match named_after {
        Some(word) => vec![Metric {
            start: q.start,
            end: q.start,
            name: match word {
                "营收" | "收入" => sentence_topic(s, q.start)
                    .map_or_else(|| "营业收入".to_string(), |t| format!("{t}收入")),
                "利润" => "净利润".to_string(),
                _ => word.to_string(),
            },
            loss: false,
        }],
        None => metrics_before(s, sentence, cue_start),
    };
    // a business named right before the cue, after any metric word, is what grew
    // (not when the figure is a share price's move: 第一服务暴跌38% is the stock of 第一服务)
    let price_move = ["涨", "跌", "暴涨", "暴跌", "大涨", "大跌"]
        .iter()
        .any(|w| s.text[cue_start..].starts_with(w));
    let metrics = match business_before(s, cue_start).filter(|_| !price_move) {
        Some(b) if metrics.last().is_none_or(|m| m.end <= b.start) => vec![b],
        _ => metrics,
    };
    // a part of a revenue stated in a clause of its own after it (营收同比增长30%，其中海外增长
    // 50%) is the part's revenue
    let parts = metrics
        .last()
        .map(|m| (m.start, part_of_revenue(s, m, cue_start)))
        .filter(|(_, parts)| !parts.is_empty());
    let (metrics, total_start) = match parts {
        Some((total, parts)) => (parts, Some(total)),
        None => (metrics, None),
    };
    let nearest = metrics.last()?;
    // a stock named in a clause after the metric's, before a verb of prices, moved as a share
    // (业绩改善，中国石油小幅下跌0.11%，中国石化上涨2.17%)
    let cue_clause = s.clause_start(cue_start);
    let mut verb = &s.text[cue_start..];
    while let Some(rest) = ["小幅", "大幅", "微幅", "分别", "均", "都"]
        .iter()
        .find_map(|w| verb.strip_prefix(w))
    {
        verb = rest;
    }
    let share_move = ["上涨", "下跌", "涨", "跌", "大涨", "大跌", "暴涨", "暴跌"]
        .iter()
        .any(|w| verb.starts_with(w))
        && nearest.end <= cue_clause
        && !s.stocks_in(cue_clause, cue_start).is_empty();
    // a sector's or an index's move (银行、券商板块分别上涨2%、3%) is no revenue of a business
    let lead = s.text[..cue_start].trim_end_matches(['分', '别', '均', '都']);
    let sector_move = ["上涨", "下跌", "涨", "跌", "大涨", "大跌"]
        .iter()
        .any(|w| verb.starts_with(w))
        && (lead.ends_with("板块") || lead.ends_with("指数"));
    if share_move || sector_move {
        return None;
    }
    // an aside in brackets between the metric and its cue is read past
    let between = &without_asides(&s.text[nearest.end..cue_start]);
    if industry_before(s, cue_start) {
        return None;
    }
    // 营收规模, 收入规模: the size of the metric itself, no other measure
    let measured = between.strip_prefix("规模").unwrap_or(between);
    // other measures listed after the metrics of a 分别 list (营收、净利润和毛利率分别…) take
    // figures of their own, read by the list
    let measured = match listed_after(measured) {
        Some((_, end)) if measured[end..].contains("分别") => &measured[end..],
        _ => measured,
    };
    if names_other_measure(measured)
        || rate_after(s.text, nearest)
        || gap_chars(between) > MAX_METRIC_GAP
    {
        return None;
    }
    // figures listed after one cue (同比增长3.4%、4.3%) pair with as many metrics listed
    // before it, as with 分别
    let listed_next = ["、", "及", "和", "与"].iter().any(|w| {
        s.text[q.end..].strip_prefix(w).is_some_and(|rest| {
            rest.trim_start_matches(['-', '+', '－', '＋'])
                .starts_with(|c: char| c.is_ascii_digit())
        })
    });
    // businesses joined before one 收入 (自营业务和资本中介业务收入) are as many metrics
    let metrics = match metrics.split_last() {
        Some((last, rest)) => {
            let joined = joined_segments(s, sentence, last);
            match joined.len() > 1 {
                true => rest.iter().cloned().chain(joined).collect(),
                false => metrics,
            }
        }
        None => metrics,
    };
    let nearest = metrics.last()?;
    // figures written with slashes (同比+35%/+20%, 同比增16.5%/15.1%/13.6%)
    let slashed = s.text[q.end..].trim_start().starts_with(['/', '／']);
    // a compound rate is one figure of its span, not an item of a list before its cue
    // (…同比增长90.1%/44.3%/23.5%，2024-2027年CAGR约51%)
    let compound = cue.basis == CAGR && !s.text[cue_start..q.start].contains("分别");
    let distributive = !compound
        && (s.text[nearest.end..q.start].contains("分别")
            || ((listed_next || slashed) && listed_metrics(s.text, metrics.clone()).len() >= 2));
    // a figure with a cue of its own later in a 分别 list (同比分别下降0.87%、上升10.43%) keeps
    // its place in the list
    let index = match distributive {
        true => s.text[nearest.end..q.start]
            .rfind("分别")
            .map(|i| &s.text[nearest.end + i..q.start])
            .filter(|list| !list.contains(['，', ',', '；', ';']))
            .map_or(0, |list| list.matches(['%', '％']).count()),
        false => 0,
    };
    let stock_before = s
        .stocks_in(sentence, nearest.start)
        .last()
        .map_or(nearest.start, |m| m.end);
    // stocks listed and closed by their count (济民医疗、热景生物…等6家预计净利润增幅超过200%)
    let counted_list = stock_before > sentence
        && s.text
            .get(stock_before..nearest.start)
            .is_some_and(|t| NAMED_THEN_COUNTED.is_match(t.trim()));
    let each = !distributive
        && (s.text[nearest.end..q.start].contains('均')
            || counted_list
            || s.text
                .get(stock_before..nearest.start)
                .is_some_and(|t| t.contains('均')));
    let metrics = if distributive {
        // the metrics listed together right before the cue (浪潮信息的营收、扣非净利分别…,
        // 营收和净利润分别为a亿元和b亿元，同比分别增长…)
        listed_metrics(s.text, metrics)
    } else if each {
        listed_metrics(s.text, metrics)
    } else {
        metrics.into_iter().last().into_iter().collect()
    };
    let first = metrics.first().map_or(cue_start, |m| m.start);
    // figures written one per year with slashes (2021-23年…同比增16.5%/15.1%/13.6%) take the
    // listed years in order, as 分别 does
    // figures listed without 分别 (今明两年…增长预期上调至16.7%及10%) take listed years too
    let mut years = if distributive || slashed || listed_next {
        period::listed(periods, sentence, cue_start)
    } else {
        Vec::new()
    };
    // a broker's forecast goes on after a semicolon with the years of the list before it
    // (预计2025-2027年营业收入分别为…；归母净利润分别为…，对应增速30.1%/22.5%/18.2%)
    if years.is_empty() && (distributive || slashed) && sentence > s.paragraph_start(sentence) {
        let before = s.text[..sentence].trim_end();
        if before.ends_with(['；', ';']) {
            let previous = s.sentence_start(before.len().saturating_sub(1));
            let listed = period::listed(periods, previous, sentence);
            if listed.len() > 1 && s.text[previous..sentence].contains("分别") {
                years = listed;
            }
        }
    }
    let basis = cue
        .basis
        .or_else(|| basis_in(&s.text[first..q.start]))
        .or_else(|| signed_after_amount(&s.text[first..q.end]).then_some("yoy"))
        // a part compares as its total does (营收同比增长30%，其中海外增长50%: yoy)
        .or_else(|| total_start.and_then(|t| basis_in(&s.text[t..first])));
    let last_stock = s
        .stocks_in(sentence, first)
        .last()
        .map_or(sentence, |m| m.end);
    let other_named_after = s.names_other_company(last_stock, first);
    let subject = (!other_named_after)
        .then(|| s.attribute(first, q.end))
        .flatten()
        .or_else(|| {
            // no stock in reach: the article's company, unless another company is named or a
            // group of companies is (上半年这些企业利润增加了1300%)
            (!s.names_other_company(sentence, q.start)
                && !FIRMS_AS_A_GROUP.is_match(&s.text[sentence..q.start]))
            .then(|| s.topic_stock(first))
            .flatten()
        })
        .map_or(Who::Nobody, Who::Stock);
    // 其中60家净利润增幅超过100% / 增幅在50%~100%之间的有12家: a count of companies
    let subject = match counts_companies(s, first, q) && !counted_list {
        true => Who::Nobody,
        false => subject,
    };
    // 港股公司的盈利预测将上升12%: a market's companies taken together in the figure's own clause
    // make it the market's, whoever speaks of it
    let clause = s.clause_start(first);
    if MARKET_AGGREGATE.is_match(&s.text[clause..q.start])
        && s.stocks_in(clause, q.start).is_empty()
    {
        return None;
    }
    if subject == Who::Nobody && about_the_public(s, sentence, q.start) {
        return None;
    }
    // 板块（共9家公司）营收合计同比增长…: a sum over a group of companies is no one's figure
    if metrics
        .last()
        .is_some_and(|m| sums_a_group(s, first, m.end))
    {
        return None;
    }
    // 销售额 is a listed company's revenue; with no stock it is a market's, a festival's or a
    // foreign company's sales
    let sales = metrics
        .last()
        .is_some_and(|m| s.text[m.start..m.end].ends_with("销售额"));
    if subject == Who::Nobody && sales {
        return None;
    }
    // a rate noun that states the rate as written (增速, not 降幅, whose figures are falls)
    // a fall to a percentage (回落至30%) names the level a rate reached, not the fall
    let to_level = cue.direction == Direction::Down
        && s.text[cue_start + cue.word.len()..q.start]
            .trim_start()
            .starts_with(['至', '到']);
    let rate_level = (names_a_rate(cue.word) && cue.direction == Direction::AsWritten)
        || cue.basis == CAGR
        || to_level;
    let subjects = if (distributive || each) && metrics.len() == 1 {
        let own = listed_stocks(s, sentence, first);
        match own.is_empty() && s.stocks_in(sentence, first).is_empty() {
            true => listed_before_semicolon(s, sentence),
            false => own,
        }
    } else {
        Vec::new()
    };
    // the bases listed before the cue (按年及按季分别…, 同环比+35%/+10%) go with the figures listed
    // after it, in order
    let bases = match distributive || slashed || listed_next {
        true => listed_bases(&s.text[first..cue_start + cue.word.len()]),
        false => Vec::new(),
    };
    let bases_listed = bases.len() > 1;
    let metric_slot = match (distributive, metrics.as_slice()) {
        (true, [only]) if subjects.len() <= 1 && years.len() <= 1 && !bases_listed => {
            slot_among_amounts(s, sentence, only, cue_start)
        }
        _ => None,
    };
    // only after two metrics or more that open the list: a list that opens with another measure
    // (生猪销量、销售收入和销售均价分别…) places its one metric by the amounts before it
    let opens_list = metrics
        .first()
        .is_some_and(|m| !s.text[..m.start].ends_with(['、', '/']));
    let others_before = match (distributive, metrics.first()) {
        (true, Some(first)) if metric_slot.is_none() => {
            measures_listed_before(s, sentence, first.start)
        }
        _ => 0,
    };
    // …or that stands inside a list of other measures written out (生猪销量、销售收入和销售均价
    // 环比变动分别为…): the measures after it take the last figures
    let others_listed = match (distributive, metrics.as_slice()) {
        (true, [_, .., last]) if opens_list && metric_slot.is_none() => {
            measures_listed_after(&s.text[last.end..cue_start])
        }
        (true, [.., last]) if others_before > 0 && metric_slot.is_none() => {
            measures_listed_after(&s.text[last.end..cue_start])
        }
        _ => 0,
    };
    let start = metrics.last().map_or(cue_start, |m| m.start);
    Some((
        Frame {
            end: q.end,
            cue_start,
            direction: cue.direction,
            basis,
            bases,
            metrics,
            years,
            distributive,
            each,
            index,
            subject,
            subjects,
            rate_level,
            metric_slot,
            others_listed,
            others_before,
        },
        start,
    ))
}

/// Where a metric's own amount stands among the amounts listed one per clause right before a
/// distributive cue (`销售生猪2.32万头，销售收入4,375.29万元，环比分别…` → 1), when two or more
/// are listed.
fn slot_among_amounts(
    s: &Structure,
    sentence: usize,
    metric: &Metric,
    cue: usize,
) -> Option<usize> {
    // the metric's own amounts listed with 分别 (净收入分别为33.89亿元和38.88亿元) are its own
    let own_clause = &s.text[metric.end..s.clause_end(metric.end).min(cue)];
    if metric.start < sentence || own_clause.contains("分别") {
        return None;
    }
    // clauses before the cue's own, back to the first that does not state one amount (a comma
    // between digits is a thousands separator, not a clause's end)
    let lead = &s.text[sentence..s.clause_start(cue)];
    let mut clauses: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    for (i, c) in lead.char_indices() {
        let separator = c == ','
            && lead[..i].ends_with(|d: char| d.is_ascii_digit())
            && lead[i + 1..].starts_with(|d: char| d.is_ascii_digit());
        if matches!(c, '，' | ',' | '；' | ';' | '：' | ':') && !separator {
            clauses.push((sentence + from, sentence + i));
            from = i + c.len_utf8();
        }
    }
    let mut listed: Vec<usize> = Vec::new();
    for &(start, end) in clauses.iter().rev() {
        match amounts_in(s.text, start, end).as_slice() {
            [one] => listed.push(*one),
            // the rates of an earlier list of the same amounts (环比分别减少40.8%、37.49%；同比…)
            [] if s.text[start..end].contains(['%', '％']) => continue,
            _ => break,
        }
    }
    listed.reverse();
    if listed.len() < 2 {
        return None;
    }
    listed.iter().position(|&a| a >= metric.end)
}

/// Where the amounts of `start..end` begin: numbers with a unit (2.32万头, 4,375.29万元,
/// 1亿元至1.2亿元 as one), not a rate, a date, a count of years or a rank (第2名).
fn amounts_in(text: &str, start: usize, end: usize) -> Vec<usize> {
    static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\d[\d,.]*\s?(?:万|亿|千|百)?\s?(?P<unit>\p{Han}|[A-Za-z%])?")
            .expect("amount regex")
    });
    let lead = &text[start..end];
    let mut amounts: Vec<(usize, usize)> = Vec::new();
    for c in AMOUNT.captures_iter(lead) {
        let unit = c.name("unit").map_or("", |u| u.as_str());
        let m = c.get(0).expect("match");
        let ordinal = lead[..m.start()].ends_with('第');
        if ordinal
            || matches!(
                unit,
                "" | "%" | "年" | "月" | "日" | "季" | "个" | "倍" | "和" | "及" | "至" | "到"
            )
        {
            continue;
        }
        let (a, b) = (start + m.start(), start + m.end());
        // the two ends of a range (1亿元至1.2亿元) are one amount
        let range = amounts.last().is_some_and(|&(_, prev)| {
            matches!(
                text[prev..a].trim(),
                "至" | "到" | "-" | "~" | "～" | "—" | "－" | "元至" | "元到" | "元-"
            )
        });
        match amounts.last_mut() {
            Some(last) if range => last.1 = b,
            _ => amounts.push((a, b)),
        }
    }
    amounts.into_iter().map(|(a, _)| a).collect()
}

/// Words of figures about the economy, a region, households or the state (政府工作报告,
/// 规模以上企业, 居民人均可支配收入): a growth figure with no company in reach among them is
/// no company's earnings.
const PUBLIC_WORDS: &[&str] = &[
    "全国",
    "我国",
    "省",
    "自治区",
    "旅游",
    "全省",
    "全市",
    "全区",
    "全县",
    "全社会",
    "省长",
    "市长",
    "政府",
    "统计局",
    "工信部",
    "商务部",
    "财政",
    "生产总值",
    "GDP",
    "规模以上",
    "工业企业",
    "人民银行",
    "居民",
    "景区",
    "人大",
    "国民经济",
    "行业",
    "产业",
];

/// Companies spoken of as a group, none of them named (这些企业, 相关公司, 部分上市公司): a figure
/// of theirs is not the article's company's.
static FIRMS_AS_A_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:这些|那些|此类|该类|这类|相关|多家|部分|众多|不少|大量|一些)(?:上市)?(?:企业|公司)",
    )
    .expect("group of firms regex")
});

/// Income that is no company's revenue: a household's, the state's (地方一般公共预算收入).
const PUBLIC_INCOME: &[&str] = &[
    "可支配收入",
    "预算收入",
    "预算总收入",
    "财政收入",
    "税收收入",
    "非税收入",
    "基金收入",
    "出让收入",
    "居民收入",
    "人均收入",
    // an average per customer or per user (客户的平均收入): no company's revenue
    "平均收入",
    "农民收入",
    "工资收入",
    "家庭收入",
    "个人收入",
    // people's income written with 的 (底层人士的收入, 劳动者的收入, 农民的收入)
    "人士的收入",
    "人群的收入",
    "人的收入",
    "者的收入",
    "民的收入",
    "工的收入",
];

/// The listed companies of a whole market, board or trade as one group (A股上市公司, 全部A股,
/// 创业板公司整体, 上市券商全体, 标普500成分股公司, 港股公司的盈利): their figures are the
/// market's. One company of a board left unnamed (某创业板公司) is not, nor a sum over companies
/// counted (五大上市险企合计).
static MARKET_AGGREGATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:A股|沪深|两市|创业板|科创板|主板|北交所)(?:上市公司|公司(?:整体|总体|合计))|全部A股|全A(?:股)?(?:整体|非金融)|上市(?:券商|银行|险企|房企)(?:全体|整体|总体)|(?:全体|全部|所有)上市(?:券商|银行|险企|房企)|成[分份]股公司|(?:港股|美股)(?:上市)?公司的?(?:盈利|利润|业绩)")
        .expect("market aggregate regex")
});

/// True when `lead` ends in the revenue of a trade as a whole (`物流业总收入`, `旅游业收入`): a
/// word of trade ending in 业 right before 收入 or 总收入. The company's own 营业收入, 主业 and
/// 事业部 are no trade.
fn industry_revenue(lead: &str) -> bool {
    static TRADE_REVENUE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\p{Han}{1,4})业(?:总收入|收入|营业收入|营收)").expect("trade revenue regex")
    });
    const NOT_TRADES: &[&str] = &[
        "营", "企", "主", "事", "专", "副", "作", "就", "产", "行", "物", "基",
    ];
    TRADE_REVENUE.captures_iter(lead).any(|c| {
        let head = c.get(1).map_or("", |m| m.as_str());
        !NOT_TRADES.iter().any(|w| head.ends_with(w))
    })
}

/// True when a figure at `pos` that no stock owns is about the economy, a region or the
/// industry: its sentence names no company (an organisation, 公司, 集团) and either it or, when
/// its paragraph names no company either, the paragraph holds a [`PUBLIC_WORDS`] word.
fn about_the_public(s: &Structure, sentence: usize, pos: usize) -> bool {
    let company = |from: usize| {
        let lead = &s.text[from..pos];
        s.names_other_company(from, pos) || lead.contains("公司") || lead.contains("集团")
    };
    let public = |from: usize| PUBLIC_WORDS.iter().any(|w| s.text[from..pos].contains(w));
    // the listed companies of a market taken together (A股上市公司全年盈利增速…) are the market
    if MARKET_AGGREGATE.is_match(&s.text[sentence..pos]) && s.stocks_in(sentence, pos).is_empty() {
        return true;
    }
    // … and so are the figures after them in a paragraph that names no company of its own
    // (`上市券商…均同比增加23%；…经纪/投行业务收入分别同比增长19%/0.6%`)
    let para = s.paragraph_start(pos);
    if MARKET_AGGREGATE.is_match(&s.text[para..sentence])
        && s.stocks_in(para, pos).is_empty()
        && !s.names_other_company(para, pos)
    {
        return true;
    }
    if company(sentence) {
        return false;
    }
    if industry_revenue(&s.text[sentence..pos]) {
        return true;
    }
    public(sentence) || (!company(para) && public(para))
}

/// True when the clause of a cue names the industry or its peers after any stock it names
/// (`高于行业平均增速20%`, `同行可比公司营收增长`): the figure is theirs, not the company's.
fn industry_before(s: &Structure, cue_start: usize) -> bool {
    const PEERS: &[&str] = &["行业平均", "同行", "同业", "可比公司"];
    let clause = s.clause_start(cue_start);
    let from = s
        .stocks_in(clause, cue_start)
        .last()
        .map_or(clause, |m| m.end);
    PEERS.iter().any(|w| s.text[from..cue_start].contains(w))
}

/// True for the marks that join the items of a list (A、B和C).
fn is_list_mark(gap: &str) -> bool {
    matches!(gap, "、" | "," | "和" | "与" | "及" | "以及")
}

/// How many measures that are no earnings metric, nor a company, are listed right before the
/// first metric of a distributive sentence (`完成新签合同额、营业收入、净利润…分别…` → 1).
fn measures_listed_before(s: &Structure, sentence: usize, first: usize) -> usize {
    let mut count = 0;
    let mut at = first;
    while let Some(head) = s.text[sentence..at].strip_suffix(['、', '/', '和', '及', '与']) {
        let end = sentence + head.len();
        let start = s.text[sentence..end]
            .char_indices()
            .rev()
            .find(|&(_, c)| !crate::lexicon::is_han(c))
            .map_or(sentence, |(i, c)| sentence + i + c.len_utf8());
        // the company that opens the first item is the sentence's subject, not an item
        let start = s
            .stocks
            .iter()
            .map(|m| m.end)
            .chain(s.others.iter().map(|&(_, e)| e))
            .filter(|&e| start < e && e <= end)
            .max()
            .unwrap_or(start);
        let item = &s.text[start..end];
        if item.chars().count() < 2 || (METRIC_WORDS.is_match(item) && !names_other_measure(item)) {
            break;
        }
        count += 1;
        at = start;
    }
    count
}

/// The items listed right after a metric (`、全员劳动生产率等…分别` → 全员劳动生产率), when the
/// stretch opens with a list mark, and where the list ends (at 等, 分别, 同比, 均 or the clause's
/// end).
fn listed_after(stretch: &str) -> Option<(&str, usize)> {
    let end = ["等", "分别", "同比", "均", "，", ",", "；"]
        .iter()
        .filter_map(|w| stretch.find(w))
        .min()
        .unwrap_or(stretch.len());
    ["、", "和", "及", "与", "/"]
        .iter()
        .find_map(|mark| stretch[..end].strip_prefix(mark))
        .map(|items| (items, end))
}

/// How many measures that are no earnings metric are listed right after the last metric of a
/// distributive sentence (`、全员劳动生产率等效率指标分别…` → 1): each takes a figure of the list.
fn measures_listed_after(stretch: &str) -> usize {
    let Some((rest, _)) = listed_after(stretch) else {
        return 0;
    };
    let items: Vec<&str> = rest.split(['、', '/']).collect();
    let named = |item: &str| {
        item.chars().count() >= 2
            && item.chars().all(crate::lexicon::is_han)
            && (!METRIC_WORDS.is_match(item) || names_other_measure(item))
    };
    match items.iter().all(|i| named(i)) {
        true => items.len(),
        false => 0,
    }
}

/// The metrics listed together last (营收、扣非净利润均增长): the last metric and those joined to
/// it by list marks.
fn listed_metrics(text: &str, mut metrics: Vec<Metric>) -> Vec<Metric> {
    let mut keep = metrics.len().saturating_sub(1);
    while keep > 0 {
        // an aside after a metric (经纪（含基金代销）/投行) is read past
        let gap = text
            .get(metrics[keep - 1].end..metrics[keep].start)
            .map(|g| match g.contains(['(', '（']) {
                true => Cow::Owned(without_asides(g).trim().to_string()),
                false => Cow::Borrowed(g.trim()),
            });
        let gap = gap.as_deref();
        // a broker's slash lists metrics too (营收/归母净利润100亿元/10亿元)
        let slash = |g: &str| matches!(g, "/" | "／");
        if !gap.is_some_and(|g| is_list_mark(g) || slash(g) || AMOUNT_THEN_MARK.is_match(g)) {
            break;
        }
        keep -= 1;
    }
    metrics.split_off(keep)
}

/// The businesses joined by 和, 、, 及 or 与 right before a segment's revenue, which they share
/// (`自营业务和资本中介业务收入` → 自营业务收入, 资本中介业务收入), in text order with the segment
/// last; the segment alone when none is joined to it. A metric word before the mark
/// (营收及数据中心业务收入) joins nothing.
fn joined_segments(s: &Structure, sentence: usize, last: &Metric) -> Vec<Metric> {
    // more businesses than this before one 收入 are a list of something else
    const MAX_JOINED: usize = 6;
    let Some(head) = last.name.strip_suffix("收入") else {
        return vec![last.clone()];
    };
    if last.name == "营业收入" || head.is_empty() {
        return vec![last.clone()];
    }
    let mut out = vec![last.clone()];
    let mut at = last.start;
    // a business named before 营业收入 (资管业务营业收入) is not yet part of the metric's span
    if !s.text[at..].starts_with(head) {
        at = s.text[..at].strip_suffix(head).map_or(at, str::len);
        out[0].start = at;
    }
    while let Some(mark) = ["和", "、", "及", "与", "/", "／"]
        .iter()
        .find(|w| s.text[sentence..at].ends_with(*w))
    {
        let mut end = at - mark.len();
        // an aside after a business (经纪（含基金代销）/投行) is read past
        if let Some(open) = s.text[sentence..end]
            .strip_suffix([')', '）'])
            .and_then(|head| head.rfind(['(', '（']))
        {
            end = sentence + open;
        }
        let Some(name) = segment(s, sentence, end) else {
            break;
        };
        if METRIC_WORDS.is_match(name) || out.len() >= MAX_JOINED {
            break;
        }
        let start = end - name.len();
        out.push(Metric {
            start,
            end,
            name: tidy_metric(&format!("{name}收入")),
            loss: false,
        });
        at = start;
    }
    // the head the last business ends in is every joined one's (投行和资产管理业务 → 投行业务)
    const SHARED: &[&str] = &["业务", "板块", "事业部", "分部", "产品线"];
    if let Some(shared) = SHARED.iter().find(|h| head.ends_with(*h)) {
        for m in out.iter_mut().skip(1) {
            let name = m.name.strip_suffix("收入").unwrap_or(&m.name);
            // 制造业, 服务业: a trade is a business of its own
            let headed = BUSINESS_HEADS
                .iter()
                .chain(&["业"])
                .any(|h| name.ends_with(h));
            if !headed {
                m.name = format!("{name}{shared}收入");
            }
        }
    } else if let Some(tail) = parallel_tail(head, &out[1..]) {
        // businesses as long as one another before a longer last one (分子、免疫、临检平台产品) are
        // its parallels: the words the last adds to their length are every one's
        for m in out.iter_mut().skip(1) {
            let name = m.name.strip_suffix("收入").unwrap_or(&m.name).to_string();
            m.name = format!("{name}{tail}收入");
        }
    }
    out.reverse();
    out
}

/// The words a list's last business adds to the common length of the ones joined before it
/// (`分子、免疫、临检平台产品` → 平台产品), when those are all of one length and the added words
/// end in a business head (产品, 业务, 服务 …).
fn parallel_tail<'h>(last: &'h str, joined: &[Metric]) -> Option<&'h str> {
    let lengths: Vec<usize> = joined
        .iter()
        .map(|m| {
            m.name
                .strip_suffix("收入")
                .unwrap_or(&m.name)
                .chars()
                .count()
        })
        .collect();
    let &k = lengths.first()?;
    if lengths.iter().any(|&l| l != k) {
        return None;
    }
    let (at, _) = last.char_indices().nth(k)?;
    let tail = &last[at..];
    (tail.chars().count() >= 2 && BUSINESS_HEADS.iter().any(|h| tail.ends_with(h))).then_some(tail)
}

/// A metric's own amount and the mark that ends its clause, between two listed metrics
/// (`收入124.8亿元，归母净利润25.1亿元，同比增长3.4%、4.3%`).
static AMOUNT_THEN_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:为|达到?|约为?|约)?\s*-?\d[\d,.]*\s*(?:万亿|千亿|百亿|千万|百万|万|亿)?(?:元|美元|港元|欧元|日元|人民币)\s*[，,、；;]\s*(?:实现|录得)?$",
    )
    .expect("amount regex")
});

/// The stocks a distributive part before a semicolon listed (`胜宏科技、沪电股份分别实现总营收…；
/// 归母净利润分别为…`), for a part after it that names none: the same companies in the same
/// order. Only within one paragraph.
fn listed_before_semicolon(s: &Structure, part: usize) -> Vec<u32> {
    let Some(previous) = part_before_semicolon(s, part) else {
        return Vec::new();
    };
    if !s.text[previous..part].contains("分别") {
        return Vec::new();
    }
    let listed = listed_stocks(s, previous, part);
    match listed.len() >= 2 {
        true => listed,
        false => Vec::new(),
    }
}

/// Where the part before a semicolon starts, for a part of a sentence that opens at `part` right
/// after one (`…销售生猪14.73万头；销售收入…`), when both are in one paragraph.
fn part_before_semicolon(s: &Structure, part: usize) -> Option<usize> {
    sentence_ended_before(s, part, &['；', ';'])
}

/// Where the sentence (or part) before the one that opens at `part` starts, when it ends with one
/// of `marks` and both are in one paragraph.
fn sentence_ended_before(s: &Structure, part: usize, marks: &[char]) -> Option<usize> {
    if part == 0 || !s.text[..part].trim_end().ends_with(marks) {
        return None;
    }
    let previous = s.sentence_start(s.text.floor_char_boundary(part - 1));
    (previous >= s.paragraph_start(part)).then_some(previous)
}

/// The stocks listed together (A、B和C) last before `pos` in `from..pos`, in text order.
fn listed_stocks(s: &Structure, from: usize, pos: usize) -> Vec<u32> {
    let mentions = s.stocks_in(from, pos);
    let mut out: Vec<u32> = Vec::new();
    let mut next_start = None;
    for m in mentions.iter().rev() {
        if let Some(start) = next_start {
            let gap = s.text.get(m.end..start).map_or("", str::trim);
            if !is_list_mark(gap) {
                break;
            }
        }
        if !out.contains(&m.stock) {
            out.push(m.stock);
        }
        next_start = Some(m.start);
    }
    out.reverse();
    out
}

/// True when `head` ends with a metric word (营收, 营业利润, 归母净利润 …).
fn ends_in_metric(head: &str) -> bool {
    METRIC_WORDS
        .find_overlapping_iter(head)
        .any(|m| m.end() == head.len())
}

/// The cue that ends right before the figure (only filler between), as its offset in `lead`.
fn cue_before(lead: &str, q: &Quantity) -> Option<(usize, &'static Cue)> {
    let trimmed = lead.trim_end_matches([' ', '(', '（', '/', '／']);
    let bracketed = trimmed.len() < lead.len() && lead.trim_end().ends_with(['(', '（']);
    let after_amount = trimmed.ends_with(['元', '亿']);
    if (bracketed || after_amount) && q.signed {
        // 155.6亿元(+94.7%), 营业总收入48.67亿元+10.02%: the signed figure is the amount's change
        static BRACKET: Cue = cue("(", Direction::AsWritten, None);
        return Some((trimmed.len(), &BRACKET));
    }
    // a signed figure right after its metric is the metric's change, as broker notes write it
    // (营收+35%，归母净利润+20%; 业绩预计+51%)
    if q.signed {
        let mut head = lead.trim_end();
        for filler in ["预计", "预期", "约", "为", "达", "：", ":"] {
            head = head.strip_suffix(filler).unwrap_or(head).trim_end();
        }
        if ends_in_metric(head) {
            static SIGNED: Cue = cue("", Direction::AsWritten, None);
            return Some((lead.len(), &SIGNED));
        }
    }
    // Hong Kong usage: a one-character verb opens the clause after the amount and the figure
    // follows at once (纯利2.12亿美元，升113.3%; 收入80亿元，跌5%)
    static ONE_CHARACTER: [Cue; 5] = [
        cue("升", Direction::Up, None),
        cue("增", Direction::Up, None),
        cue("跌", Direction::Down, None),
        cue("降", Direction::Down, None),
        cue("减", Direction::Down, None),
    ];
    for c in &ONE_CHARACTER {
        let Some(rest) = lead.strip_suffix(c.word) else {
            continue;
        };
        let amount_before = rest
            .trim_end()
            .strip_suffix([',', '，'])
            .is_some_and(|r| r.trim_end().ends_with(['元', '亿', '万']));
        if amount_before {
            return Some((rest.len(), c));
        }
    }
    // a one-character verb right after its metric, a modal at most between, is the metric's
    // change (营收或涨23%, 营业利润或涨超50%, 净利润将增30%)
    static AFTER_METRIC: [Cue; 6] = [
        cue("涨", Direction::Up, None),
        cue("增", Direction::Up, None),
        cue("升", Direction::Up, None),
        cue("跌", Direction::Down, None),
        cue("降", Direction::Down, None),
        cue("减", Direction::Down, None),
    ];
    let unbounded = ["超过", "超", "逾", "约", "近"]
        .iter()
        .find_map(|w| lead.strip_suffix(w))
        .unwrap_or(lead);
    for c in &AFTER_METRIC {
        let Some(rest) = unbounded.strip_suffix(c.word) else {
            continue;
        };
        let head = ["或将", "或", "将", "预计", "有望", "约"]
            .iter()
            .find_map(|w| rest.strip_suffix(w))
            .unwrap_or(rest);
        if ends_in_metric(head) {
            return Some((rest.len(), c));
        }
    }
    // a cue and the filler after it fit in the last few characters before the figure
    let tail_start = lead.floor_char_boundary(lead.len().saturating_sub(CUE_REACH_BYTES));
    let tail = &lead[tail_start..];
    let mut best: Option<(usize, &'static Cue)> = None;
    for m in CUE_WORDS.find_overlapping_iter(tail) {
        let c = &CUES[m.pattern().as_usize()];
        let at = tail_start + m.start();
        let gap = &lead[at + c.word.len()..];
        // a rate's new level (增速回落至35%, 降幅收窄至5%, 增幅扩大至): the figure is the rate the
        // noun names, whatever the verb of the change of level says
        if names_a_rate(c.word) && changes_level(gap) {
            return Some((at, c));
        }
        if !is_filler(gap) && !ranked_then_figure(gap) {
            continue;
        }
        // 年 names the basis only on its own: after a year's number it ends the year
        // (较2010年增长, 2024年增长), and the change has no basis
        if c.word.starts_with('年') && lead[..at].ends_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        // 季 names the basis only on its own: after a quarter's number it ends the quarter's
        // name (第三季增长, 一季增长), and the change has no basis
        if c.word.starts_with('季') && lead[..at].ends_with(QUARTER_HEADS) {
            continue;
        }
        // 同 of 同增 may end another word: 新签合同增逾八成 (contracts), 共同增长 (together)
        if c.word.starts_with('同') && lead[..at].ends_with(ENDED_BY_TONG) {
            continue;
        }
        let better = match best {
            Some((b, bc)) => {
                at + c.word.len() > b + bc.word.len()
                    || (at + c.word.len() == b + bc.word.len() && at < b)
            }
            None => true,
        };
        if better {
            best = Some((at, c));
        }
    }
    best
}

/// Characters that make a word with a 同 after them (合同, 共同, 相同, 协同 …), so that 同增 or
/// 同降 starting at that 同 is no cue.
const ENDED_BY_TONG: &[char] = &[
    '合', '共', '相', '不', '协', '等', '如', '陪', '连', '认', '赞', '雷',
];

/// Words that rank a change among others before its figure, in a clause of their own
/// (`下滑幅度最大，高达53.38%`, `增速最快，达45%`).
const RANKINGS: &[&str] = &[
    "最大",
    "最快",
    "最高",
    "最多",
    "最为明显",
    "最明显",
    "较大",
    "较快",
    "居首",
    "居前",
    "领先",
];

/// True when `gap` (between a cue and its figure) ranks the change and then states it:
/// `幅度最大，高达`, `最快，达`. The figure must follow a word that states it (高达, 达, 为 …),
/// so a clause that goes on to something else (`增长最快，其次是…`) is none.
fn ranked_then_figure(gap: &str) -> bool {
    let gap = gap.strip_prefix("幅度").unwrap_or(gap);
    let Some(rest) = RANKINGS.iter().find_map(|w| gap.strip_prefix(w)) else {
        return false;
    };
    let Some(rest) = ["，", ","].iter().find_map(|w| rest.strip_prefix(w)) else {
        return false;
    };
    [
        "高达", "达到", "达", "为", "约为", "约", "超过", "超", "逾", "近",
    ]
    .iter()
    .any(|w| rest.strip_prefix(w).is_some_and(is_filler))
}

/// Cues that name a rate of change rather than the change: after them a change of level
/// (`回落至`, `收窄至`) states the rate's new value.
const RATE_NOUNS: &[&str] = &["增长率", "增速", "增幅", "升幅", "降幅", "减幅", "下降幅度"];

/// True when a cue names a rate of change, with or without its basis (增幅, 同比增幅, 同比增速).
fn names_a_rate(word: &str) -> bool {
    RATE_NOUNS.iter().any(|n| word.ends_with(n))
}

/// Verbs of a rate moving to a new level, before the level.
const LEVEL_VERBS: &[&str] = &[
    "回落至",
    "回落到",
    "回升至",
    "回升到",
    "扩大至",
    "扩大到",
    "收窄至",
    "收窄到",
    "缩小至",
    "缩小到",
    "提升至",
    "提升到",
    "提高至",
    "提高到",
    "下降至",
    "下降到",
    "下滑至",
    "降至",
    "降到",
    "升至",
    "升到",
    "增至",
    "增到",
    "放缓至",
    "放慢至",
    "加快至",
    "加速至",
    "提速至",
    "放大至",
];

/// True when `gap` (between a rate noun and its figure) is a change of level and filler:
/// `回落至`, `进一步收窄至约`.
fn changes_level(gap: &str) -> bool {
    let gap = gap.trim_start();
    let gap = ["可能", "或将", "预计", "有望", "将", "或"]
        .iter()
        .find_map(|w| gap.strip_prefix(w))
        .unwrap_or(gap);
    let gap = [
        "进一步",
        "继续",
        "再度",
        "大幅",
        "小幅",
        "明显",
        "略有",
        "略",
    ]
    .iter()
    .find_map(|w| gap.strip_prefix(w))
    .unwrap_or(gap);
    LEVEL_VERBS
        .iter()
        .any(|v| gap.strip_prefix(v).is_some_and(is_filler))
}

/// A cue written after its figure (`实现50%的增长`, `超50倍增长`, `30%的收入提升`,
/// `22.2%的增速`), with the metric word it names if any.
fn cue_after(after: &str) -> Option<(&'static Cue, Option<&'static str>)> {
    // the change words that may follow a figure; their direction and basis are those of `CUES`
    const AFTER: &[&str] = &[
        "同比增长",
        "同比提升",
        "同比下降",
        "同比下滑",
        "环比增长",
        "环比下降",
        "增长",
        "提升",
        "增幅",
        "增速",
        "下降",
        "下滑",
    ];
    const METRIC_AFTER: &[&str] = &["营业收入", "营收", "收入", "净利润", "利润"];
    // a bound written after the figure stays with it (30%左右的增长, 50%以上的增速)
    let after = after.trim_start();
    let after = ["左右", "以上"]
        .iter()
        .find_map(|w| after.strip_prefix(w))
        .unwrap_or(after);
    let rest = after.trim_start().strip_prefix('的').unwrap_or(after);
    let (metric, rest) = METRIC_AFTER
        .iter()
        .find_map(|w| rest.strip_prefix(w).map(|r| (Some(*w), r)))
        .unwrap_or((None, rest));
    let word = AFTER.iter().find(|w| rest.starts_with(*w))?;
    let cue = CUES.iter().find(|c| c.word == *word)?;
    // the cue word must end the phrase (增长率, 增长点 name something else)
    let next = rest[cue.word.len()..].chars().next();
    let ends = !next.is_some_and(|c| matches!(c, '率' | '点' | '极' | '空' | '潜' | '动'));
    ends.then_some((cue, metric))
}

/// The length of the stretch between a metric and its cue, in characters, with each amount of
/// money it states (4300万元, 3509.08万元) counted as one unless a rate stands among them: the
/// metric's own amounts and their change (净利润为4300万元到5300万元，与上年同期相比，将增加
/// 3509.08万元到4509.08万元，同比增加…) keep the metric in reach however many digits they take.
/// A rate among them is another figure's, and the stretch is read as written; but a clause listing
/// rates one per measure or year (环比变动分别为7.3%、-11.9%、-11.7%，同比变动分别为…; 同比增长
/// 90.1%/44.3%/23.5%，2024-2027年CAGR约51%) is read past, as if it were not there.
fn gap_chars(gap: &str) -> usize {
    let clauses = || gap.split_inclusive(['，', ',', '；', ';']);
    let rate = |clause: &str| clause.contains(['%', '％']);
    let other_rate = clauses().any(|clause| rate(clause) && !lists_rates(clause));
    clauses()
        .filter(|clause| !(rate(clause) && lists_rates(clause)))
        .map(|clause| match other_rate {
            true => clause.chars().count(),
            false => chars_counting_money_as_one(clause),
        })
        .sum()
}

/// The length of `text` in characters, each amount of money in it counted as one.
fn chars_counting_money_as_one(text: &str) -> usize {
    text.chars().count()
        - MONEY
            .find_iter(text)
            .map(|m| m.as_str().chars().count() - 1)
            .sum::<usize>()
}

/// True when a clause lists rates one per measure or year: with 分别, or slashed (`90.1%/44.3%`).
fn lists_rates(clause: &str) -> bool {
    clause.contains("分别")
        || ["%/", "%／", "％/", "％／"]
            .iter()
            .any(|pair| clause.contains(pair))
}

/// An amount of money as written in a gap (4300万元, 1.04亿元).
static MONEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9][0-9.,]*(?:万亿|万|亿)?元").expect("money regex"));

/// Words that count companies (60家, 12只个股, 三家班轮公司, 五家券商), or a share of the companies
/// counted (42家上市公司半数).
static COMPANY_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\d+|[一二三四五六七八九十百千两]+)(?:多|余)?(?:家|只)(?:\p{Han}{0,4}?(?:公司|企业|险企|券商|银行|车企|房企|药企)|个股)?(?:中|当中|里)?(?:的|有)?(?:半数|近半数?|过半数?|超半数?|逾半数?|多数|大多数|大部分|[近超逾]?[二三四五六七八九]成)?(?:预告|预计)?$")
        .expect("count regex")
});

/// What closes a list of stocks that a figure holds for each of (`、特一药业等6家预计`): 等, the
/// count of companies, and at most a word of forecast.
static NAMED_THEN_COUNTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^等\d+(?:多|余)?(?:家|只)(?:公司|企业|上市公司|个股)?(?:预计|均|业绩)?$")
        .expect("counted list regex")
});

/// Words after a figure that say how many companies it held for (…之间的有12家).
static COMPANY_COUNT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[^，,。；;]{0,12}?之间)?的(?:公司|企业)?(?:有|共|达|为)\d+(?:多|余)?(?:家|只)")
        .expect("count regex")
});

/// Words that name a group of companies (板块, 样本公司, 共9家, 14家公司).
static GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"板块|样本|全行业|行业整体|[0-9一二三四五六七八九十]+家").expect("group regex")
});

/// How far before a metric a group of companies is looked for, in bytes (about 60 characters).
const GROUP_REACH: usize = 180;

/// True when the metric at `first..metric_end` is summed over a group of companies: 合计 or
/// 总计 joined to it (营收合计, 合计实现营业收入) after a group named in its paragraph
/// (我们统计的板块（共9家公司）…营收合计同比增长; 样本公司前三季度合计实现营业收入…), with no stock
/// named between the group and the metric (a company's own total is its own).
fn sums_a_group(s: &Structure, first: usize, metric_end: usize) -> bool {
    let (lead, after) = (&s.text[s.clause_start(first)..first], &s.text[metric_end..]);
    let summed = ["合计", "总计"]
        .iter()
        .any(|w| after.starts_with(w) || lead.contains(w));
    if !summed {
        return false;
    }
    let reach = s
        .text
        .floor_char_boundary(first.saturating_sub(GROUP_REACH));
    let from = s.paragraph_start(first).max(reach);
    let Some(group) = GROUP.find_iter(&s.text[from..first]).last() else {
        return false;
    };
    s.stocks_in(from + group.end(), first).is_empty()
}

/// True when the figure `q` is said of a number of companies rather than of one: the clause
/// leads its metric with a count (其中60家净利润增幅超过100%) or ends with one (增幅在50%~100%
/// 之间的有12家).
fn counts_companies(s: &Structure, first: usize, q: &Quantity) -> bool {
    let lead = strip_lead(&s.text[s.clause_start(first)..first]);
    COMPANY_COUNT.is_match(lead) || COMPANY_COUNT_AFTER.is_match(&s.text[q.end..])
}

/// True when `text` names a measure other than earnings (毛利率, 出货量, 比重 …). 比 and 重组
/// (比重组后上年同期增长) are two words, not 比重.
fn names_other_measure(text: &str) -> bool {
    NOT_EARNINGS_WORDS.find_iter(text).any(|m| {
        let word = NOT_EARNINGS[m.pattern().as_usize()];
        !(word == "比重" && text[m.end()..].starts_with('组'))
    })
}

/// `gap` without what it holds in brackets (`11.1亿元（含子公司10-12月的净利润），`), the brackets
/// included; an unclosed bracket keeps what follows it.
fn without_asides(gap: &str) -> String {
    let mut out = String::with_capacity(gap.len());
    let mut depth = 0usize;
    let mut held = String::new();
    for c in gap.chars() {
        match c {
            '(' | '（' => {
                depth += 1;
                held.push(c);
            }
            ')' | '）' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    held.clear();
                } else {
                    held.push(c);
                }
            }
            _ if depth > 0 => held.push(c),
            _ => out.push(c),
        }
    }
    out.push_str(&held);
    out
}

/// True when `gap` is only filler words (or nothing).
fn is_filler(mut gap: &str) -> bool {
    'strip: while !gap.is_empty() {
        if let Some(rest) = strip_year(gap) {
            gap = rest;
            continue;
        }
        for f in FILLER {
            if let Some(rest) = gap.strip_prefix(f) {
                gap = rest;
                continue 'strip;
            }
        }
        return false;
    }
    true
}

/// `gap` without a leading year (`2023年`, `2024年度`, `2016年末`), if it starts with one.
fn strip_year(gap: &str) -> Option<&str> {
    let digits = gap.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return None;
    }
    let rest = gap[4..].strip_prefix('年')?;
    Some(
        ["度", "末", "底"]
            .iter()
            .find_map(|w| rest.strip_prefix(w))
            .unwrap_or(rest),
    )
}

/// True when the figure `q` continues a frame: right after its last figure, joined by a list
/// mark (`a%、b%`) or a change of level (`从a%降至b%`).
fn chains(text: &str, f: &Frame, q: &Quantity) -> bool {
    if q.start < f.end {
        return false;
    }
    let gap = text[f.end..q.start].trim();
    // a multiple after a percentage with no 分别 is another measure (业绩预计+51%，15倍 of PE)
    let multiple_after_rate =
        text[..f.end].trim_end().ends_with(['%', '％']) && text[q.start..q.end].contains('倍');
    if multiple_after_rate && !f.distributive {
        return false;
    }
    let joined = is_list_mark(gap) || matches!(gap, "/" | "|");
    let level = f.rate_level
        && (changes_level(gap)
            || ["至", "到"]
                .iter()
                .any(|w| gap.strip_prefix(w).is_some_and(is_filler)));
    (joined && (f.distributive || f.metrics.len() <= 1)) || level
}

/// Metrics in `from..cue`, in text order (overlaps resolved to the longest), excluding a
/// figure's own amount words.
fn metrics_before(s: &Structure, from: usize, cue: usize) -> Vec<Metric> {
    let text = s.text;
    // metrics stand within reach of their cue (a distributive list included)
    let from = from.max(text.floor_char_boundary(cue.saturating_sub(METRIC_REACH_BYTES)));
    let lead = &text[from..cue];
    let mut found: Vec<Metric> = Vec::new();
    for m in METRIC_WORDS.find_overlapping_iter(lead) {
        let (word, name) = &METRICS[m.pattern().as_usize()];
        {
            let (start, end) = (from + m.start(), from + m.end());
            if found.iter().any(|m| m.start <= start && end <= m.end) {
                continue;
            }
            if PUBLIC_INCOME.iter().any(|w| text[..end].ends_with(w)) {
                continue;
            }
            // a property developer's contracted sales (合同销售额) and retail sales are no revenue
            if *word == "销售额"
                && [
                    "合同",
                    "合约",
                    "签约",
                    "协议",
                    "商品房",
                    "零售",
                    "消费品",
                    "房地产",
                    "企业",
                ]
                .iter()
                .any(|w| text[..start].ends_with(w))
            {
                continue;
            }
            if *word == "毛利" && text[end..].starts_with('率') {
                continue;
            }
            if (*word == "利润" || *word == "净利") && text[end..].starts_with('率') {
                continue;
            }
            if *word == "净利" && text[end..].starts_with('息') {
                continue; // 净利息收入: a bank's net interest income
            }
            // a loss is the metric only when its change follows at once (净亏损同比增长50%);
            // 净利润为亏损86亿元，同比下降… states the profit's change
            if word.contains("亏损") && text[end..cue].contains(|c: char| c.is_ascii_digit()) {
                continue;
            }
            // 发布业绩前大跌: when, not what
            if *word == "业绩" && text[end..].starts_with(['前', '后']) {
                continue;
            }
            // a share of it (研发投入占收入比例, 海外营收比达13%) is a ratio, not the metric
            if ["比例", "比重", "占比", "比达", "比为"]
                .iter()
                .any(|w| text[end..].starts_with(w))
            {
                continue;
            }
            found.retain(|m| !(start <= m.start && m.end <= end));
            let adjacent = match *word {
                "收入" | "营收" => segment(s, from, start)
                    .or_else(|| bracketed_owner(text, start))
                    .or_else(|| titled_work(text, start)),
                // sales of a business, a product or a market (数通业务销售额, AI服务器销售额,
                // 海外销售额) are that segment's revenue; a channel's or a partnership's sales
                // (全渠道销售额, 合作销售额, 线上销售额) are not a part of it
                "销售额" | "营业额" => segment(s, from, start).filter(|seg| {
                    ![
                        "渠道", "合作", "线上", "线下", "门店", "电商", "终端", "零售",
                    ]
                    .iter()
                    .any(|w| seg.ends_with(w))
                }),
                _ => None,
            };
            // a subsidiary the article introduced as the company's own, opening the clause
            let subsidiary = (adjacent.is_none() && *name == "营业收入")
                .then(|| subsidiary_opening(s, start))
                .flatten();
            let name = match adjacent.or(subsidiary.as_deref()) {
                Some(seg) => format!("{seg}收入"),
                // a business opening the clause before a time (数据中心交换机产品线2024年销售额)
                None if matches!(*word, "销售额" | "营业额") => clause_segment(s, start)
                    .map_or_else(|| name.to_string(), |seg| format!("{seg}收入")),
                None if matches!(*word, "收入" | "营收" | "营业收入") => {
                    clause_segment(s, start)
                        .or_else(|| {
                            // the company's own revenue named as such (公司营收) is no topic's
                            let owned = ["公司", "集团", "其"]
                                .iter()
                                .any(|w| text[from..start].trim_end().ends_with(w));
                            (*word != "营业收入" && !owned)
                                .then(|| {
                                    sentence_topic(s, start)
                                        .or_else(|| carried_segment(s, start))
                                        .or_else(|| sold_before(s, start))
                                })
                                .flatten()
                        })
                        .map_or_else(|| name.to_string(), |seg| format!("{seg}收入"))
                }
                // 业绩 right after a metric's amount (净利润7425万元，业绩同比增长46%) is that metric
                None if *word == "业绩" => found
                    .last()
                    .filter(|m| !m.loss && !CUE_WORDS.is_match(&text[m.end..start]))
                    .map_or_else(|| name.to_string(), |m| m.name.clone()),
                // whose profit: 归属于上市公司股东的净亏损, and a loss named again in its sentence
                // (…的净亏损为423亿元，去年同期亏损42.75亿元，净亏损同比增长…)
                None if *name == "净利润" || *name == "归母净利润" => {
                    bracketed_owners(text, end)
                        .or_else(|| qualified_profit(text, start))
                        .map(str::to_string)
                        .or_else(|| {
                            // the loss named first in the sentence (净亏损 or 亏损), with whose it is
                            let lead = &text[from..start];
                            let i = lead.find("亏损").filter(|_| word.contains("亏损"))?;
                            let i = lead[..i].strip_suffix('净').map_or(i, str::len);
                            qualified_profit(text, from + i).map(str::to_string)
                        })
                        .unwrap_or_else(|| name.to_string())
                }
                None => name.to_string(),
            };
            // a segment's name begins the metric (both are slices of `text`), and so does a word
            // of the whole business (销售收入, 主营业务收入): a list of measures ends at it
            // (生猪销量、销售收入和销售均价分别…)
            let start = match adjacent {
                Some(seg) => seg.as_ptr() as usize - text.as_ptr() as usize,
                None if matches!(*word, "收入" | "营收") => {
                    ["产品销售", "主营业务", "销售", "主营"]
                        .iter()
                        .find(|w| text[..start].ends_with(*w))
                        .map_or(start, |w| start - w.len())
                }
                None => start,
            };
            found.push(Metric {
                start,
                end,
                name: tidy_metric(&name),
                loss: word.contains("亏损"),
            });
        }
    }
    found.sort_by_key(|m| m.start);
    // a metric inside brackets that close before the cue is an aside's (净利润为11.1亿元（含子公司
    // 10-12月的净利润），比上年同期增长…, 周转量（按收入客公里计）环比增长): never the figure's
    let aside = |m: &Metric| {
        let after = &text[m.end..cue];
        after.matches([')', '）']).count() > after.matches(['(', '（']).count()
    };
    found.retain(|m| !aside(m));
    found
}

/// The profit a profit or loss word names when whose it is stands right before it:
/// `归属于上市公司股东的净亏损` → 归母净利润, `归属于上市公司股东扣除非经常性损益后的净亏损` and
/// `扣非后净利` → 扣非归母净利润.
fn qualified_profit(text: &str, start: usize) -> Option<&'static str> {
    let head = &text[text.floor_char_boundary(start.saturating_sub(QUALIFIER_REACH_BYTES))..start];
    if NON_RECURRING_BEFORE.is_match(head) {
        Some("扣非归母净利润")
    } else if PARENT_BEFORE.is_match(head) {
        Some("归母净利润")
    } else {
        None
    }
}

/// The profit a profit word names when a bracket right after it says whose it is, as broker
/// notes write it: `净利润（归母）` → 归母净利润, `归母净利润(扣非)`, `净利润（扣非后）` → 扣非归母净利润.
fn bracketed_owners(text: &str, end: usize) -> Option<&'static str> {
    let inner = text[end..].strip_prefix(['(', '（'])?;
    let close = inner.find([')', '）'])?;
    let inner = &inner[..close];
    if inner.chars().count() > 24 {
        return None;
    }
    if inner.contains("扣非") || inner.contains("扣除非经常性损益") {
        Some("扣非归母净利润")
    } else if inner.contains("归母") || inner.starts_with("归属") {
        Some("归母净利润")
    } else {
        None
    }
}

/// How far before a profit word the words saying whose profit it is may start, in bytes.
const QUALIFIER_REACH_BYTES: usize = 60;

/// The owners of a profit as written right before it, in any of the ways reports shorten
/// them: `归属于上市公司股东的`, `归属上市公司股东的`, `归属于上市公司`, `归属于母公司所有者的`,
/// `归属于本公司普通股股东的`, Taiwan's `归属于母公司业主之`, `归属`, `归母`.
static PARENT_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("{OWNERS}$|归母$|{HK_OWNERS}$")).expect("parent regex"));

/// Whose a profit is in Hong Kong usage: `公司拥有人应占`, `本公司权益持有人应占`, `股东应占`.
const HK_OWNERS: &str = "(?:本?公司|母公司)?(?:拥有人|权益持有人|股权持有人|股东)应占(?:的)?";

/// Whose a profit is, as `归属于上市公司股东的` and its shortenings write it.
const OWNERS: &str =
    "(?:归属于?|归于)(?:上市公司|母公司|本公司|公司)?(?:的)?(?:普通股)?(?:股东|所有者|业主)?(?:的|之)?";

/// Non-recurring items taken out right before a profit word, with or without its owners after
/// them: `扣除非经常性损益后的`, `扣非后`, `扣除非经常性损益后归属于上市公司股东的`, also as a
/// clause of its own before it (`扣除非经常性损益后，预计净利润`).
static NON_RECURRING_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        "(?:扣除非经常性损益|扣非)(?:后)?(?:的)?(?:\\s?[，,]\\s?(?:预计|预期|则|公司)?(?:实现)?)?(?:{OWNERS})?$"
    ))
    .expect("non-recurring regex")
});

/// The work whose title in 《》 stands right before 收入 (`《王者荣耀》收入环比增长92%`): a
/// game's, a film's or a drama's own revenue.
fn titled_work(text: &str, at: usize) -> Option<&str> {
    // a time may stand between the title and its revenue (《使命召唤手游》本期收入)
    let head = strip_lead(&text[..at]).strip_suffix('》')?;
    let open = head.rfind('《')?;
    let title = &head[open + '《'.len_utf8()..];
    let chars = title.chars().count();
    ((2..=15).contains(&chars) && !title.contains(['《', '。', '，', ','])).then_some(title)
}

/// A Latin product or business name right before a bracket that opens with the revenue
/// figure: `受益于DCI(收入1.4亿美元,同比+92%)` → DCI.
fn bracketed_owner(text: &str, at: usize) -> Option<&str> {
    let lead = text[..at].strip_suffix(['(', '（'])?;
    let name = &lead[lead
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric())
        .len()..];
    (name.len() >= 2 && name.starts_with(|c: char| c.is_ascii_alphabetic())).then_some(name)
}

/// A clause's lead without the filler and the period that stand between its subject and its
/// metric word: `其智算云业务2024年前三季度实现` → `其智算云业务`.
fn strip_lead(lead: &str) -> &str {
    let mut lead = lead.trim_end();
    'strip: loop {
        if let Some(m) = TIME_TAIL.find(lead) {
            lead = lead[..m.start()].trim_end();
            continue 'strip;
        }
        for f in lead_filler() {
            if let Some(rest) = lead.strip_suffix(f) {
                lead = rest.trim_end();
                continue 'strip;
            }
        }
        return lead;
    }
}

/// The time words that stand between a business or a subsidiary and its metric
/// (`2024年`, `前三季度`, `四季度单季`, `Q3`, `报告期内`, `1-9月`).
const TIME_WORD: &str = r"(?:19|20)\s?\d\s?\d\s?(?:财年|年度|年)|今年|去年|本年|本期|上半年|下半年|前三季度|第?[一二三四1-4]季度?|单季度?|单?Q[1-4]|H[12]|全年|同期|报告期内?|\d{1,2}\s?-\s?\d{1,2}\s?月|\d{1,2}\s?月份?";

/// A period at the end of a clause's lead.
static TIME_TAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("(?:{TIME_WORD})$")).expect("time tail regex"));

/// The segment named right before a bare 收入 (`数据中心业务收入` → 数据中心业务), if any.
fn segment<'t>(s: &Structure<'t>, from: usize, at: usize) -> Option<&'t str> {
    let mut lead = &s.text[from..at];
    // sales after a verb of earning are the whole of what the business earned
    // (高速光通信模块实现销售收入 → 高速光通信模块)
    if let Some(rest) = lead.strip_suffix("销售") {
        if EARNING_VERBS.iter().any(|w| rest.ends_with(w)) {
            lead = rest;
        }
    }
    // a verb or 营业 right before the metric is no part of the name, and what stands before it
    // is the business (AI服务器实现收入, 子公司苏州范斯特营业收入, 服务器业务的收入); after 分别 the
    // owners are a list, read elsewhere, and after a modal or an adverb (预计实现收入, 有望实现,
    // 也实现) the verb's subject is further off
    while let Some(rest) = EARNING_VERBS
        .iter()
        .chain(&["营业", "的"])
        .find_map(|w| lead.strip_suffix(w))
    {
        lead = rest;
    }
    if lead.ends_with("分别") || ends_in_modal(lead) {
        return None;
    }
    let lead = without_alias_aside(lead);
    let at = from + lead.len();
    let mut start = lead.len();
    for (i, c) in lead.char_indices().rev() {
        // a digit belongs to a name only beside a letter (5G专网, B2B)
        let in_name = c.is_ascii_digit()
            && lead[i + 1..]
                .trim_start_matches(|n: char| n.is_ascii_digit())
                .starts_with(|n: char| n.is_ascii_alphabetic());
        if !(crate::lexicon::is_han(c) || c.is_ascii_alphabetic() || in_name) {
            break;
        }
        if lead.len() - i > 36 {
            break;
        }
        start = i;
    }
    // a gloss in brackets inside the name (液冷及高压直流（HVDC）产品): the name is the clause's,
    // read with the gloss left out
    if start < lead.len() && ends_in_gloss(&lead[..start]) {
        return None;
    }
    let mut seg = &lead[start..];
    for stop in SEGMENT_STOPS {
        // 其 is a pronoun, but 其他 and 其余 begin a name (其他地区收入)
        let at = seg
            .rmatch_indices(stop)
            .map(|(i, _)| i)
            .find(|&i| match *stop {
                // 及其 joins a business to its own (IDC及其增值服务)
                "其" => {
                    !seg[i + stop.len()..].starts_with(['他', '它', '余'])
                        && !seg[..i].ends_with('及')
                }
                // 国内业务收入, 境内收入: the home market is a segment as 海外 is
                "国内" | "境内" => !matches!(&seg[i + stop.len()..], "" | "业务" | "市场"),
                // 自营业务, 主营业务: 营 ends the word before 业务, no 营业 stands there
                "营业" => !seg[i + stop.len()..].starts_with('务'),
                // 全球 is a market (全球半导体收入), not 全 of 全年
                "全" => !seg[i + stop.len()..].starts_with('球'),
                // 料 as a hedge (料网游收入), not the end of a word (资料中心, 新材料, 饲料)
                "料" => {
                    !seg[..i].ends_with(['资', '材', '原', '饲', '燃', '塑', '肥', '涂', '物'])
                }
                // 小说 and 传说 are businesses and games, not a source quoted
                "说" => !seg[..i].ends_with(['小', '传', '解', '学']),
                "使" => {
                    !seg[i + stop.len()..].starts_with('命')
                        && !seg[..i].ends_with(['天', '大', '特', '公'])
                }
                _ => true,
            });
        if let Some(i) = at {
            // two businesses joined by 及 or 与 share the revenue (专线及其他地区收入, 计算与存储
            // 产品收入), unless what stands before is a metric (营收及数据中心业务收入) or too short
            // to be a name
            if matches!(*stop, "及" | "与") && joins_businesses(&seg[..i]) {
                continue;
            }
            seg = &seg[i + stop.len()..];
        }
    }
    // a company that is not an A-share stock (英伟达数据中心业务收入, 其主要客户英伟达营收) owns
    // what follows its name: the segment starts after it, so the company stands before the metric
    // and the figure is not the stock's
    if let Some(&(_, end)) = s
        .others
        .iter()
        .filter(|&&(a, e)| at - seg.len() < e && e <= at && a < at)
        .max_by_key(|&&(_, e)| e)
    {
        seg = &s.text[end..at];
    }
    // likewise the stock's own name before its business (工业富联AI服务器收入)
    if let Some(m) = s
        .stocks
        .iter()
        .filter(|m| at - seg.len() < m.end && m.end < at && m.start < at)
        .max_by_key(|m| m.end)
    {
        seg = &s.text[m.end..at];
    }
    // a broker's actual or estimated year (2024A营收, 2025E海外收入) is a time, not a name
    let b = seg.as_bytes();
    if b.len() >= 5
        && (b.starts_with(b"19") || b.starts_with(b"20"))
        && b[2..4].iter().all(u8::is_ascii_digit)
        && matches!(b[4], b'A' | b'E')
        && !b.get(5).is_some_and(u8::is_ascii_alphanumeric)
    {
        seg = &seg[5..];
    }
    let seg_start = at - seg.len();
    let names_a_stock = s.stock_overlaps(seg_start, at);
    let named = match seg.chars().count() {
        0 => false,
        1 => one_character_business(s.text, seg_start, seg),
        _ => true,
    };
    (named && !names_a_stock && !whole_business(seg)).then_some(seg)
}

/// True when `lead` ends in brackets holding an English short name (`HVDC`, `AI PC`) after a
/// Chinese name: a gloss inside a business's name (`液冷及高压直流（HVDC）` before 产品).
fn ends_in_gloss(lead: &str) -> bool {
    let Some(before) = lead.strip_suffix([')', '）']) else {
        return false;
    };
    let Some(open) = before.rfind(['(', '（']) else {
        return false;
    };
    let inner = &before[open..].trim_start_matches(['(', '（']);
    let short_name = (1..=12).contains(&inner.chars().count())
        && inner.contains(|c: char| c.is_ascii_alphabetic())
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '/' | '+' | '&'));
    let named_before = before[..open]
        .chars()
        .next_back()
        .is_some_and(crate::lexicon::is_han);
    short_name && named_before
}

/// `lead` without a short name in brackets at its end, the business's abbreviation or English
/// name (`基础设施方案业务集团（ISG）收入` → `基础设施方案业务集团`), so that the name before it is read.
/// An aside holding a figure or a sentence's punctuation is no such name.
fn without_alias_aside(lead: &str) -> &str {
    let Some(inner) = lead.strip_suffix(['）', ')']) else {
        return lead;
    };
    let Some(open) = inner.rfind(['（', '(']) else {
        return lead;
    };
    let alias = &inner[open + inner[open..].chars().next().map_or(1, char::len_utf8)..];
    let chars = alias.chars().count();
    let is_name = (1..=16).contains(&chars)
        && alias
            .chars()
            .any(|c| c.is_ascii_alphabetic() || crate::lexicon::is_han(c))
        && alias
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || crate::lexicon::is_han(c) || " &-.".contains(c))
        && !alias.chars().all(|c| c.is_ascii_digit());
    if is_name && !METRIC_WORDS.is_match(alias) && !TIME_TAIL.is_match(alias) {
        &inner[..open]
    } else {
        lead
    }
}

/// True when a one-character name right after 的 is a business (`中国移动的云收入`), not a
/// word that only qualifies the revenue (的总收入, 的年收入, 的净收入).
fn one_character_business(text: &str, at: usize, name: &str) -> bool {
    const QUALIFIERS: &str = "总净毛年月日季周新增高低其该本此各主全他人均税前后上下内外实营收";
    text[..at].ends_with('的')
        && name
            .chars()
            .all(|c| crate::lexicon::is_han(c) && !QUALIFIERS.contains(c))
}

/// True when `lead` ends in a modal, an adverb or a verb of intent (预计, 可能, 努力, 也, 将), so
/// that what ends it is no business's name.
fn ends_in_modal(lead: &str) -> bool {
    const MODALS: &[&str] = &[
        "预计", "预期", "可能", "努力", "有望", "力争", "计划", "目标", "争取", "合计", "累计",
        "首次", "共计", "总计", "同比", "将", "要", "能", "或", "可", "已", "共", "也", "还", "再",
        "均", "亦", "则", "仍", "并", "又", "就", "才", "都", "会", "拟",
    ];
    MODALS.iter().any(|m| lead.ends_with(m))
}

/// True when a name read before 收入 is the company's whole business, not a segment of it:
/// `销售收入`, `主营业务收入`, `实现主营业务收入` are its revenue (营业收入).
fn whole_business(name: &str) -> bool {
    let name = lead_filler().fold(name.trim(), |n, w| n.strip_prefix(w).unwrap_or(n));
    [
        "销售",
        "主营业务",
        "主营",
        "业务",
        "营业",
        "经营",
        "产品销售",
        "全球",
    ]
    .contains(&name)
}

/// True when `head`, the words before a 及 inside a segment's name, ends in a business name of
/// its own: two characters or more after the last stop word, none of them a metric.
fn joins_businesses(head: &str) -> bool {
    let from = SEGMENT_STOPS
        .iter()
        .filter_map(|w| head.rfind(w).map(|i| i + w.len()))
        .max()
        .unwrap_or(0);
    let name = &head[from..];
    name.chars().count() >= 2 && !METRIC_WORDS.is_match(name)
}

/// Verbs of earning between a business and its revenue (AI服务器实现收入, 人工智能业务贡献收入): no
/// part of the business's name.
const EARNING_VERBS: &[&str] = &["实现了", "实现", "录得", "取得", "贡献了", "贡献", "产生"];

/// Words stripped from the end of a clause's lead before its segment name (智算业务实现营业收入):
/// the [`EARNING_VERBS`], then these.
const LEAD_FILLER: &[&str] = &["的", "了", "共", "累计", "合计"];

/// Every word stripped from a lead, in the order they are tried.
fn lead_filler() -> impl Iterator<Item = &'static &'static str> {
    EARNING_VERBS.iter().chain(LEAD_FILLER)
}

/// The business a revenue figure belongs to when its clause names one as subject (a noun
/// phrase ending in 业务, 板块, 产品, 模块, 服务 …):
/// `2024年公司智算业务实现营业收入` → 智算业务, `光通信收发模块实现收入` → 光通信收发模块. Not a
/// period, the company itself or a stock's name.
fn clause_segment(s: &Structure, at: usize) -> Option<String> {
    // an aside closed before the metric (云计算（Cloud）业务收入) is inside the name, not its start
    let mut depth = 0usize;
    // a name is a few characters: the clause's start is looked for within reach, so that text
    // with stray closing brackets is not walked to its start at every figure
    let window = s.text.floor_char_boundary(at.saturating_sub(240));
    let from = s.text[window..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| match c {
            ')' | '）' => {
                depth += 1;
                false
            }
            '(' | '（' if depth > 0 => {
                depth -= 1;
                false
            }
            _ => {
                depth == 0
                    && matches!(
                        c,
                        ',' | '，'
                            | ';'
                            | '；'
                            | '。'
                            | ':'
                            | '：'
                            | '\n'
                            | '('
                            | '（'
                            | '、'
                            | '|'
                            | '/'
                            | '／'
                    )
            }
        })
        .map_or(window, |(i, c)| window + i + c.len_utf8());
    let lead = strip_lead(&s.text[from..at]);
    let mut seg = lead;
    for stop in [
        "公司", "其中", "其", "的", "年", "季度", "月", "内", "期", "报告", "因为", "由于", "来自",
        "旗下", "使得", "使", "导致", "但", "而",
    ] {
        // 使 of a cause (运费飙升使全球运输服务), not of 使命 or 大使
        let cause = |i: usize| {
            stop != "使" || !(seg[i + stop.len()..].starts_with('命') || seg[..i].ends_with('大'))
        };
        if let Some(i) = seg.rmatch_indices(stop).map(|(i, _)| i).find(|&i| cause(i)) {
            seg = &seg[i + stop.len()..];
        }
    }
    if let Some(i) = seg.rfind(|c: char| c.is_ascii_digit()) {
        seg = &seg[i + 1..];
    }
    let mut seg_start = from + (lead.len() - seg.len());
    // the company's own name before its business (`紫光股份数通产品线`) is not part of it
    let seg_end = seg_start + seg.len();
    if let Some(m) = s.stock_covering(seg_start).filter(|m| m.end < seg_end) {
        seg = &s.text[m.end..seg_end];
        seg_start = m.end;
    }
    let name: String = without_asides(seg)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let names_a_stock = s.stock_overlaps(seg_start, at);
    let chars = name.chars().count();
    ((2..=12).contains(&chars)
        && BUSINESS_HEADS.iter().any(|b| name.ends_with(b))
        && !names_a_stock
        && !whole_business(&name)
        && name.chars().any(crate::lexicon::is_han))
    .then_some(name)
}

/// The business a bare 收入 or 营收 belongs to when the figure's own clause opens with it as
/// subject (`存储业务从一季度到三季度实现50%的收入提升`), else when the sentence's first clause
/// does, after any frame or heading (`从营收结构来看，云端产品线成为主力，2025年营收同比增长…` →
/// 云端产品线). Nothing between the subject and the metric may name another company. Only the
/// first clause counts: letting any earlier clause name the business fixed more dev claims but
/// broke one on the test split.
fn sentence_topic(s: &Structure, at: usize) -> Option<String> {
    let sentence = s.sentence_start(at);
    let own_clause = s.clause_start(at);
    // the metric's own clause may open with it (存储业务从一季度到三季度实现50%的收入提升)
    if let Some(name) = business_subject(s, own_clause, at) {
        return Some(name);
    }
    let mut topic = None;
    // a bracketed headline the sentence opens with (`【湘佳股份：12月份活禽销售收入…】湘佳股份公告，
    // 2021年12月份销售活禽…`) is a sentence of its own: the body's first clause follows it
    let mut from = match s.text[sentence..own_clause].rfind('】') {
        Some(i) => sentence + i + '】'.len_utf8(),
        None => sentence,
    };
    while from < own_clause {
        let end = s.clause_end(from).min(own_clause);
        if let Some(name) = business_subject(s, from, end)
            .or_else(|| product_subject(s.text, from, end))
            .or_else(|| subsidiary_subject(s, from, end))
        {
            topic = Some((name, end));
        }
        // a frame (从营收结构来看，据悉，光模块中，) or a heading (传统业务韧性:) before the subject
        let clause = &s.text[from..end];
        let framing = clause.ends_with("来看")
            || (clause.ends_with('中') && clause.chars().count() <= 8)
            || only_a_time(clause)
            || s.text[end..].starts_with([':', '：'])
            || is_connective(clause)
            || reports(clause);
        if !framing {
            break;
        }
        from = end + s.text[end..].chars().next().map_or(1, char::len_utf8);
    }
    // a list item that opens with a business (`1. 智算云业务(增长引擎)聚焦…。2024年前三季度收入…`)
    // is about that business to its end
    if topic.is_none() {
        if let Some(item) = s.item_at(at).filter(|i| i.start < sentence) {
            let first = s.clause_end(item.start);
            let head = first + s.text[first..].chars().next().map_or(1, char::len_utf8);
            // the marker (`1.`) may end a clause of its own
            let first = if s.text[item.start..first]
                .chars()
                .any(crate::lexicon::is_han)
            {
                item.start
            } else {
                head
            };
            let end = s.clause_end(first).min(at);
            if let Some(name) = business_subject(s, first, end) {
                topic = Some((name, end));
            }
        }
    }
    let (name, end) = topic?;
    // a business that drives the figure (X业务快速放量，带动收入增长80%) is its cause: the revenue
    // it drove is the company's
    const DRIVES: &[&str] = &[
        "带动", "推动", "驱动", "拉动", "助推", "促进", "使得", "带来",
    ];
    if DRIVES.iter().any(|w| s.text[own_clause..at].contains(w)) {
        return None;
    }
    // a list of companies after a business that names none (电信运营商云业务快速增长，中国电信、
    // 中国移动分别实现收入…) gives each company's figure for that business; a single company
    // named in between may have moved on to its own revenue
    let between = s.stocks_in(end, at);
    let topic_names_company = !s.stocks_in(sentence, end).is_empty();
    let company_list = between.len() >= 2 && !topic_names_company;
    let named_between =
        (!between.is_empty() && !company_list) || s.others.iter().any(|&(a, _)| end <= a && a < at);
    (!named_between).then_some(name)
}

/// The business whose revenue the sentence before stated, for a bare 收入 in a sentence that
/// opens by breaking that figure down (`智算业务实现营业收入2.69亿元。分季度看，…分别实现收入…`).
/// Only within one paragraph, and only when nothing in between names another company.
fn carried_segment(s: &Structure, at: usize) -> Option<String> {
    const BREAKDOWNS: &[&str] = &[
        "分季度看",
        "分季度来看",
        "分季度",
        "单季度看",
        "单季度来看",
        "具体来看",
        "具体看",
        "细分来看",
    ];
    let sentence = s.sentence_start(at);
    let first = &s.text[sentence..s.clause_end(sentence).min(at)];
    let first = first.trim_matches(|c: char| !crate::lexicon::is_han(c));
    if !BREAKDOWNS.contains(&first) || sentence == 0 {
        return None;
    }
    // the sentence before ends at the mark that ends it
    let previous = s.sentence_start(s.text.floor_char_boundary(sentence - 1));
    if previous < s.paragraph_start(at)
        || s.names_other_company(previous, at)
        || !s.stocks_in(sentence, at).is_empty()
    {
        return None;
    }
    metrics_before(s, previous, sentence)
        .into_iter()
        .rev()
        .filter(|m| m.name != "营业收入")
        .find_map(|m| m.name.strip_suffix("收入").map(str::to_string))
}

/// The product the part before a semicolon says the company sold, for a 销售收入 that opens the
/// part after it (`12月份销售生猪14.73万头，销量环比增长20.15%；销售收入2.25亿元，环比下降1.75%`): the
/// revenue is that product's sales. So is a 销售收入 that 其中 opens, breaking down the sentence
/// before (`12月销售生猪45.35万头，销售收入7.97亿元。其中销售收入环比增长2.44%`). Only within one
/// paragraph, with no other company between.
fn sold_before(s: &Structure, at: usize) -> Option<String> {
    let part = s.sentence_start(at);
    let opening = s.text[part..].trim_start();
    let breakdown = opening
        .strip_prefix("其中")
        .map(|rest| rest.trim_start_matches(['，', ',', ' ']));
    if !breakdown.unwrap_or(opening).starts_with("销售收入") {
        return None;
    }
    let previous = match breakdown {
        Some(_) => sentence_ended_before(s, part, &['。', '；', ';'])?,
        None => part_before_semicolon(s, part)?,
    };
    if s.names_other_company(previous, at) {
        return None;
    }
    let mut from = previous;
    while from < part {
        let end = s.clause_end(from).min(part);
        if let Some(sold) = product_sold(s.text, from, end) {
            return Some(sold);
        }
        from = end + s.text[end..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// True when a clause is only a time (`2022年1月份，公司销售生猪…`): it frames what follows.
fn only_a_time(clause: &str) -> bool {
    let clause = clause.trim_matches(|c: char| !(crate::lexicon::is_han(c) || c.is_ascii_digit()));
    !clause.is_empty()
        && TIME_TAIL
            .find(clause)
            .is_some_and(|m| strip_lead(&clause[..m.start()]).is_empty())
}

/// The product a clause opens with by stating how much of it was shipped or made
/// (`高速光模块出货量为618万只`), or how much of it the company sold (`销售生猪8101头`, whose
/// revenue is the product's 销售收入): the sentence's later 营收 is that product's. A clause that
/// states no amount (`AI服务器出货量大增`) opens no breakdown.
fn product_subject(text: &str, from: usize, end: usize) -> Option<String> {
    if let Some(sold) = product_sold(text, from, end) {
        return Some(sold);
    }
    static PRODUCT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"^(?:(?:19|20)\d{2}\s?年度?|今年|去年)?(?:上半年|下半年|前三季度|[一二三四]季度)?",
            r"(?:公司|该公司|其)?(\p{Han}[\p{Han}A-Za-z0-9]{1,9}?)(?:预计)?(?:实现|完成)?",
            r"(?:出货量|销量|销售量|产量|发货量|出货)"
        ))
        .expect("product subject regex")
    });
    const NOT_PRODUCT: &[&str] = &[
        "公司", "全年", "累计", "季度", "年", "月", "总", "整体", "其",
    ];
    let clause = text[from..end]
        .trim_start_matches(|c: char| !(crate::lexicon::is_han(c) || c.is_ascii_alphanumeric()));
    let c = PRODUCT.captures(clause)?;
    let head = c.get(1)?.as_str();
    if NOT_PRODUCT.iter().any(|w| head.contains(w)) || METRIC_WORDS.is_match(head) {
        return None;
    }
    // a breakdown by product states how much was shipped (出货量为618万只); a product whose
    // shipments only grew (AI服务器出货量大增，营收…) is why the company's revenue grew
    let rest = &clause[c.get(0)?.end()..];
    if !rest.contains(|ch: char| ch.is_ascii_digit()) {
        return None;
    }
    Some(head.to_string())
}

/// `销售生猪8101头`, `出售商品肉鸡3475.87万只` opening a clause: the product sold, as the name
/// of its sales (生猪销售), with the amount right after it.
fn product_sold(text: &str, from: usize, end: usize) -> Option<String> {
    static SOLD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"^(?:公司|该公司|其)?(?:(?:19|20)\d{2}\s?年度?)?(?:\d{1,2}\s?月份?)?",
            r"(?:公司|该公司|其)?(?:累计|合计|共)?(?:销售|出售|出栏)(\p{Han}{1,6}?)(?:共计|合计|约)?\d"
        ))
        .expect("product sold regex")
    });
    const NOT_PRODUCT: &[&str] = &["收入", "额", "价", "量", "金", "规模", "公司", "业务"];
    let clause = text[from..end]
        .trim_start_matches(|c: char| !(crate::lexicon::is_han(c) || c.is_ascii_alphanumeric()));
    let head = SOLD.captures(clause)?.get(1)?.as_str();
    if NOT_PRODUCT.iter().any(|w| head.contains(w)) || METRIC_WORDS.is_match(head) {
        return None;
    }
    Some(format!("{head}销售"))
}

/// The subsidiary a clause opens with as its subject (`子公司无双科技受行业政策影响，收入降幅超过
/// 20%`): a later bare 收入 in the sentence is that subsidiary's.
fn subsidiary_subject(s: &Structure, from: usize, end: usize) -> Option<String> {
    static SUBSIDIARY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"^(?:公司|其)?(?:控股|全资)?(?:孙|子)公司(\p{Han}{2,8}?)",
            r"(?:受|因|由于|在|通过|凭借|实现|的|为|将|已|于|[，,]|$)"
        ))
        .expect("subsidiary subject regex")
    });
    let clause = s.text[from..end].trim_start_matches(|c: char| !crate::lexicon::is_han(c));
    // the parent's name before 子公司 (浪潮信息子公司…)
    let at = end - clause.len();
    let clause = match s.stocks_in(at, end).first().filter(|m| m.start == at) {
        Some(m) => &s.text[m.end..end],
        None => clause,
    };
    let name = SUBSIDIARY.captures(clause)?.get(1)?.as_str();
    (!METRIC_WORDS.is_match(name)).then(|| name.to_string())
}

/// The words that introduce a subsidiary by name (全资子公司X, 旗下X).
const SUBSIDIARY_INTRODUCERS: &[&str] = &["子公司", "孙公司", "旗下"];

/// Subsidiaries the text introduces as the company's own (`全资子公司苏州范斯特拟…`, `旗下苏州范斯特
/// 取得…`): the name after 子公司, 孙公司 or 旗下 is the longest run of its characters that the
/// text writes again elsewhere, two characters or more, so that a name needs no list of its own.
fn subsidiaries(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for word in SUBSIDIARY_INTRODUCERS {
        for (i, _) in text.match_indices(word) {
            let after = &text[i + word.len()..];
            let run = after
                .char_indices()
                .take_while(|&(j, c)| crate::lexicon::is_han(c) && j < 36)
                .last()
                .map_or(0, |(j, c)| j + c.len_utf8());
            let run = &after[..run];
            // 旗下子公司, 子公司的: the introducer again, or no name
            if run.starts_with([
                '子', '公', '的', '有', '在', '将', '均', '共', '拥', '多', '各',
            ]) {
                continue;
            }
            let name = run
                .char_indices()
                .map(|(j, c)| &run[..j + c.len_utf8()])
                .rev()
                .filter(|n| n.chars().count() >= 2)
                .find(|n| text.matches(n).count() >= 2);
            if let Some(name) = name.filter(|n| !METRIC_WORDS.is_match(n) && !n.contains("公司"))
            {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    names
}

/// The subsidiary a revenue figure's clause opens with, when the text introduced it as the
/// company's own and only a time stands between it and the metric
/// (`苏州范斯特2021年同比2020年销售额增长了2.5倍`, `子公司苏州范斯特1月销售额…`): the revenue
/// is the subsidiary's, not the company's.
fn subsidiary_opening(s: &Structure, start: usize) -> Option<String> {
    let clause = s.clause_start(start);
    let mut lead = s.text[clause..start]
        .trim_start_matches(|c: char| !(crate::lexicon::is_han(c) || c.is_ascii_alphanumeric()));
    if let Some(m) = s.stocks_in(clause, start).first() {
        if s.text[clause..m.start].trim().is_empty() || lead.starts_with(&s.text[m.start..m.end]) {
            lead = &s.text[m.end..start];
        }
    }
    // a time may open the clause before the subsidiary (2024年新华三实现营业收入)
    if let Some(m) = LEADING_TIME.find(lead) {
        lead = &lead[m.end()..];
    }
    for w in ["公司", "其", "旗下", "全资", "控股", "子公司", "孙公司"] {
        lead = lead.strip_prefix(w).unwrap_or(lead);
    }
    // found once per text, as the text's own fact
    let name = s
        .subsidiaries
        .get_or_init(|| subsidiaries(s.text))
        .iter()
        .copied()
        .filter(|n| lead.starts_with(n))
        .max_by_key(|n| n.len())?;
    // a verb of earning may follow the time (新华三前三季度实现营业收入)
    let rest = lead_filler().fold(&lead[name.len()..], |r, w| r.strip_suffix(*w).unwrap_or(r));
    let only_time = rest.chars().all(|c| {
        c.is_ascii_digit()
            || c.is_whitespace()
            || "年月季度上下半前全一二三四同比今去本QH-至的".contains(c)
    });
    only_time.then(|| name.to_string())
}

/// Times at the start of a clause (`2024年`, `前三季度`, `去年上半年`).
static LEADING_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{TIME_WORD})+")).expect("leading time regex"));

/// A clause that only says who speaks (`森萱医药公告`, `公司表示`): what follows is what was said.
fn reports(clause: &str) -> bool {
    const SAYS: &[&str] = &["公告", "表示", "披露", "介绍", "指出", "称", "透露"];
    let clause = clause.trim_matches(|c: char| !crate::lexicon::is_han(c));
    clause.chars().count() <= 12 && SAYS.iter().any(|w| clause.ends_with(w))
}

/// A clause that is only a discourse word (据悉, 此外, 其中): it frames what follows and names
/// nothing itself.
fn is_connective(clause: &str) -> bool {
    const CONNECTIVES: &[&str] = &[
        "据悉",
        "据了解",
        "据介绍",
        "此外",
        "另外",
        "其中",
        "同时",
        "与此同时",
        "值得注意的是",
        "值得一提的是",
        "具体而言",
        "具体来说",
        "报告期内",
    ];
    let word = clause.trim_matches(|c: char| !crate::lexicon::is_han(c));
    CONNECTIVES.contains(&word)
}

/// The business a clause opens with as its subject (`存储业务从一季度到三季度…`,
/// `展锐工业电子事业部2018年底成立`), after list marks and the company's own name; a name in
/// brackets after it is its short form (`柔性电路板(FPC)业务` → FPC业务).
fn business_subject(s: &Structure, from: usize, end: usize) -> Option<String> {
    static SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）])?(?:公司|该公司|其)?(?:(?:19|20)\d{2}\s?年度?|今年|去年)?(?:上半年|下半年|前三季度|[一二三四]季度|第[一二三四]季度)?(\p{Han}{1,10}?|[A-Za-z]{1,5}\p{Han}{1,8}?)(?:[(（]([A-Za-z][A-Za-z0-9]{1,9})[)）])?(业务|产品线|事业部|板块|分部)",
        )
        .expect("business subject regex")
    });
    const VERBS: &[&str] = &[
        "拓展", "开展", "发展", "布局", "聚焦", "推进", "加快", "加大", "实现", "从事", "主要",
        "包括", "是", "有", "在", "对", "将", "把", "向", "与", "和", "及", "等", "的", "预计",
        "预期", "季度", "年", "月",
    ];
    let text = s.text;
    // list marks and punctuation before the first word
    let mut at = end
        - text[from..end]
            .trim_start_matches(|c: char| !(crate::lexicon::is_han(c) || c.is_ascii_alphabetic()))
            .len();
    // the company's own name, or another company's, before its business
    if let Some(m) = s.stocks_in(at, end).first().filter(|m| m.start == at) {
        at = m.end;
    } else if let Some(&(_, e)) = s.others.iter().find(|&&(a, e)| a == at && e <= end) {
        at = e;
    }
    // a clause that states a figure of its own (数据中心业务同比增长23%) is no topic; one that
    // only says how the business went (云业务快速增长) still is
    let states_figure = text[at..end].contains(|c: char| c.is_ascii_digit());
    if states_figure
        && (METRIC_WORDS.is_match(&text[at..end]) || CUE_WORDS.is_match(&text[at..end]))
    {
        return None;
    }
    let caps = SUBJECT.captures(&text[at..end])?;
    let head = caps.get(1)?.as_str();
    if VERBS.iter().any(|v| head.contains(v)) || caps.get(0)?.end() == end - at {
        return None;
    }
    // the business's owner before it (电信运营商云业务, 集团旗下云业务) is not its name
    let head = ["运营商", "厂商", "公司", "集团", "企业", "旗下"]
        .iter()
        .filter_map(|owner| head.rfind(owner).map(|i| &head[i + owner.len()..]))
        .min_by_key(|rest| rest.len())
        .filter(|rest| !rest.is_empty())
        .unwrap_or(head);
    let short = caps.get(2).map_or(head, |m| m.as_str());
    let name = format!("{short}{}", &caps[3]);
    (name.chars().count() >= 3).then_some(name)
}

/// The earnings metric a table row's label names (营业收入同比增长 → 营业收入), unless the label
/// measures something else (毛利率同比).
pub(crate) fn metric_of_label(label: &str) -> Option<String> {
    if names_other_measure(label) {
        return None;
    }
    let m = METRIC_WORDS
        .find_overlapping_iter(label)
        .max_by_key(|m| (m.end() - m.start(), std::cmp::Reverse(m.start())))?;
    Some(METRICS[m.pattern().as_usize()].1.to_string())
}

/// The business named right before a cue that has no metric word (`数据中心业务同比增长23%`):
/// the figure is that business's revenue.
fn business_before(s: &Structure, cue: usize) -> Option<Metric> {
    let name = clause_segment(s, cue)?;
    if name.chars().count() < 3 {
        return None; // 业务, 产品 alone name no business
    }
    let start = s.text[..cue].trim_end().strip_suffix(name.as_str())?.len();
    Some(Metric {
        start,
        end: cue,
        name: tidy_metric(&format!("{name}收入")),
        loss: false,
    })
}

/// The part of a revenue named by itself before the cue in a clause after the revenue's own
/// (`营收同比增长30%，其中海外增长50%` → 海外收入, `…，国内市场下降5%` → 国内市场收入): a noun of two
/// to twelve characters that is no metric, no other measure, no company and no time. Parts joined
/// by 和, 及, 与 or 、 that share one change (`其中AI服务器和通用服务器均增长超50%`) are each such a
/// part; a 分别 list is read elsewhere. Empty when the clause names no part.
fn part_of_revenue(s: &Structure, revenue: &Metric, cue: usize) -> Vec<Metric> {
    const OPENERS: &[&str] = &[
        "其中",
        "而",
        "同时",
        "另外",
        "此外",
        "包括",
        "虽然",
        "但是",
        "但",
        "而且",
        "并且",
        "因此",
        "所以",
        "尤其是",
        "尤其",
    ];
    const NOT_PARTS: &[&str] = &[
        // 对应增速, 相应增长: the rate of what was just named, no part of it
        "对应",
        "相应",
        // a rate worked out from the figures before (前年是77亿，算下来同比+25%)
        "算下来",
        "算起来",
        "折算",
        "公司",
        "集团",
        "行业",
        "整体",
        "总体",
        "全年",
        "其",
        "该",
        "这",
        "和",
        "及",
        "与",
        "、",
        "均",
        "分别",
        "主要",
        "预计",
        "有望",
        "继续",
        "持续",
        "保持",
        "实现",
        "带动",
        "推动",
        "增速",
        "增幅",
        "同比",
        "环比",
        "单季",
        "季度",
        "上半年",
        "下半年",
        "年",
        "者",
        "较",
        "比",
        "接近",
        "约",
        "近",
        "超",
        "达",
        "去年",
        "今年",
        "同期",
        "上一",
        // a gain is no part of revenue (投资收益, 公允价值变动收益, 汇兑损益)
        "收益",
        "损益",
    ];
    if revenue.loss || !revenue.name.ends_with("收入") {
        return Vec::new();
    }
    let clause = s.clause_start(cue);
    if revenue.end > clause {
        return Vec::new();
    }
    let mut lead = s.text[clause..cue]
        .trim_start_matches(|c: char| !(crate::lexicon::is_han(c) || c.is_ascii_alphanumeric()));
    for w in OPENERS {
        lead = lead.strip_prefix(w).unwrap_or(lead);
    }
    let lead = strip_lead(lead);
    // where the lead stands in the text (strip_lead may have cut a time from its end)
    let lead_start = lead.as_ptr() as usize - s.text.as_ptr() as usize;
    let is_part = |name: &str, start: usize, end: usize| {
        let chars = name.chars().count();
        (2..=12).contains(&chars)
            && name
                .chars()
                .all(|c| crate::lexicon::is_han(c) || c.is_ascii_alphabetic())
            && name.chars().any(crate::lexicon::is_han)
            && !METRIC_WORDS.is_match(name)
            && !names_other_measure(name)
            && !NOT_PARTS.iter().any(|w| name.contains(w))
            && !PUBLIC_WORDS.iter().any(|w| name.contains(w))
            && !ends_in_modal(name)
            && !whole_business(name)
            && s.stocks_in(start, end).is_empty()
            && !s.others.iter().any(|&(a, e)| start < e && a < end)
    };
    let part = |name: &str, start: usize| Metric {
        start,
        end: start + name.len(),
        name: tidy_metric(&format!("{name}收入")),
        loss: false,
    };
    if is_part(lead, lead_start, cue) {
        return vec![Metric {
            end: cue,
            ..part(lead, lead_start)
        }];
    }
    // parts joined before one shared change: 均 or 都 ends the list
    let Some(list) = ["均", "都"].iter().find_map(|w| lead.strip_suffix(w)) else {
        return Vec::new();
    };
    let mut parts = Vec::new();
    let mut from = 0;
    for (i, joiner) in list
        .match_indices(['和', '及', '与', '、'])
        .chain([(list.len(), "")])
    {
        let name = &list[from..i];
        let start = lead_start + from;
        if !is_part(name, start, start + name.len()) {
            return Vec::new();
        }
        parts.push(part(name, start));
        from = i + joiner.len();
    }
    if parts.len() < 2 {
        return Vec::new();
    }
    parts
}

/// A segment's name without its company's own name before it: `中信资管业务收入` of 中信证券 is
/// 资管业务收入. The name is any form the text wrote the stock in, or that form without the word
/// of its trade (中信证券 → 中信); what is left must still name a business of two characters or
/// more.
fn without_own_name(s: &Structure, stock: u32, metric: &str) -> String {
    const TRADES: &[&str] = &[
        "证券",
        "银行",
        "科技",
        "股份",
        "集团",
        "控股",
        "电子",
        "信息",
        "通信",
        "传媒",
        "医药",
        "药业",
        "电气",
        "能源",
        "汽车",
        "保险",
        "信托",
        "公司",
        "半导体",
        "微电子",
        "光电",
    ];
    if COMPANY_WIDE.contains(&metric) {
        return metric.to_string();
    }
    for m in s.stocks.iter().filter(|m| m.stock == stock) {
        let form = &s.text[m.start..m.end];
        let short = TRADES
            .iter()
            .find_map(|t| form.strip_suffix(t))
            .filter(|f| f.chars().count() >= 2);
        for name in std::iter::once(form).chain(short) {
            if let Some(rest) = metric.strip_prefix(name) {
                // the company's own name before 收入 (华虹收入) is its whole revenue
                if rest == "收入" {
                    return "营业收入".to_string();
                }
                if rest.chars().count() >= 4 {
                    return rest.to_string();
                }
            }
        }
    }
    metric.to_string()
}

/// A metric's name in the words the gold and the mainland press use: Taiwan terms made mainland
/// (伺服器 → 服务器), and the words that add nothing dropped (业务板块 → 业务, 相关, 整体).
fn tidy_metric(name: &str) -> String {
    const TERMS: &[(&str, &str)] = &[
        ("伺服器", "服务器"),
        ("晶片", "芯片"),
        ("软体", "软件"),
        ("资料中心", "数据中心"),
        ("网路", "网络"),
        ("记忆体", "内存"),
        ("业务板块", "业务"),
        ("相关", ""),
    ];
    let mut out = name.to_string();
    for (from, to) in TERMS {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    // the group or the company as a whole (集团营业额, 本公司收入) is no segment
    for lead in ["整体", "总体", "本集团", "集团", "本公司"] {
        if let Some(rest) = out.strip_prefix(lead) {
            if rest.chars().count() >= 2 {
                out = rest.to_string();
            }
        }
    }
    // the revenue of selling a product (销售生猪收入) is the product's sales revenue, as the
    // product-sold rule names it (生猪销售收入)
    if let Some(product) = out
        .strip_prefix("销售")
        .and_then(|rest| rest.strip_suffix("收入"))
        .filter(|p| (1..=6).contains(&p.chars().count()))
        .filter(|p| p.chars().all(crate::lexicon::is_han) && !p.contains("业务"))
    {
        out = format!("{product}销售收入");
    }
    // a segment that was only a word of scope (整体营收) leaves the company's revenue
    if out == "收入" || out == "营收" {
        out = "营业收入".to_string();
    }
    out
}

/// True when the metric word is followed by a rate word (毛利率) making it no earnings figure.
fn rate_after(text: &str, m: &Metric) -> bool {
    text[m.end..].starts_with(['率', '占'])
}

/// Two bases listed before their figures (按年及按季分别跌30%及71%, 同比和环比分别增长…,
/// 同比/环比+35%/+10%, and a broker's 同环比 or 同/环比 for both), in order.
fn listed_bases(stretch: &str) -> Vec<Option<&'static str>> {
    static PAIR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(同比|按年|环比|按季)(?:及|和|与|、|以及|/|／)(同比|按年|环比|按季)")
            .expect("basis pair regex")
    });
    // 同环比, and its two halves written 同/环比 or 同、环比
    if ["同环比", "同/环比", "同／环比", "同、环比"]
        .iter()
        .any(|w| stretch.contains(w))
    {
        return vec![YOY, QOQ];
    }
    PAIR.captures(stretch).map_or_else(Vec::new, |c| {
        [&c[1], &c[2]]
            .iter()
            .map(|w| match *w {
                "环比" | "按季" => QOQ,
                _ => YOY,
            })
            .collect()
    })
}

/// The basis words in a frame's stretch.
fn basis_in(stretch: &str) -> Option<&'static str> {
    const YOY_WORDS: &[&str] = &[
        "同比",
        "较上年",
        "较去年",
        "上一年度",
        "上年度",
        "比上年",
        "比去年",
        "上年同期",
        "去年同期",
        "较同期",
        "比同期",
        "同期增",
        "按年",
        "YoY",
        "yoy",
    ];
    const QOQ_WORDS: &[&str] = &[
        "环比",
        "较上季",
        "较上一季",
        "比上季",
        "比上一季",
        "较前一季",
        "按季",
        "QoQ",
        "qoq",
    ];
    if stretch.contains("复合") || stretch.contains("CAGR") {
        return CAGR;
    }
    // the basis nearest the figure: `按年升62%，按季则增长50.7%` compares the second on the quarter
    let last = |words: &[&str]| words.iter().filter_map(|w| stretch.rfind(w)).max();
    match (last(YOY_WORDS), last(QOQ_WORDS)) {
        (Some(y), Some(q)) if q > y => QOQ,
        (Some(_), _) => YOY,
        (None, Some(_)) => QOQ,
        (None, None) => None,
    }
}

/// True when `lead` (the sentence before a cue) compares the figure with the year before its
/// `period`: `与2011年相比，净利润增长了14.09%` for 2012, `比2015年净利润增长近2倍` for 2016,
/// `对比2016年同期…增幅仅9.8%` for 2017H1. That is a change on the year, as 同比 says; a
/// comparison with an earlier year (`2017年利润较2010年增长`) is none.
fn compares_with_year_before(lead: &str, period: &str) -> bool {
    static AGAINST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:较|比|与|同|对比|相比|相较于?)\s?((?:19|20)\d{2})\s?年(同期|度|全年)?")
            .expect("comparison regex")
    });
    let Some(year) = period.get(..4).and_then(|y| y.parse::<i32>().ok()) else {
        return false;
    };
    let whole_year = period.len() == 4;
    AGAINST.captures_iter(lead).any(|c| {
        let against = c[1].parse::<i32>().ok();
        // a part of a year is compared with the same part (2016年同期), a year with the year
        let same_part = whole_year || c.get(2).is_some_and(|m| m.as_str() == "同期");
        against == Some(year - 1) && same_part
    })
}

/// True when `stretch`, from a metric to the end of its figure, is the metric's amount followed
/// at once by a signed rate (`营业总收入48.67亿元+10.02%`): results tables and digests write the
/// change on the year so, with no word for it.
fn signed_after_amount(stretch: &str) -> bool {
    static SIGNED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[^0-9]{0,8}[0-9][0-9.,]*\s?(?:万亿|万|亿)?(?:元|美元)\s?[/／]?\s?[+\-−]\s?[0-9][0-9.]*\s?[%％]$")
            .expect("signed rate regex")
    });
    SIGNED.is_match(stretch)
}

/// A change on the quarter before, worked out from two quarters' figures in one sentence
/// (`Q2单季归母6.9亿，Q1是5.0亿，环比+38%`): the quarter named nearest the figure is the one it is
/// compared with when the quarter after it was named earlier in the sentence, and the figure is
/// that later quarter's.
fn quarter_compared_from(periods: &[Period], sentence: usize, nearest: &Period) -> Option<String> {
    let base = nearest.text.as_deref()?;
    let (year, quarter) = base.split_once('Q')?;
    let (year, quarter): (i32, u8) = (year.parse().ok()?, quarter.parse().ok()?);
    let next = match quarter {
        1..=3 => format!("{year}Q{}", quarter + 1),
        4 => format!("{}Q1", year + 1),
        _ => return None,
    };
    periods
        .iter()
        .filter(|p| p.start >= sentence && p.start < nearest.start)
        .any(|p| p.text.as_deref() == Some(next.as_str()))
        .then_some(next)
}

/// The period of a figure: the nearest before it in its sentence, else in its paragraph; a
/// CAGR takes a span of years.
fn period_for(
    periods: &[Period],
    basis: Option<&str>,
    sentence: usize,
    s: &Structure,
    pos: usize,
    metric: Option<&str>,
) -> Option<String> {
    if basis == CAGR {
        if let Some(p) = periods
            .iter()
            .rfind(|p| p.span && p.start >= sentence && p.start < s.sentence_end(pos))
        {
            return p.text.clone();
        }
    }
    // a month (2015年12月, 1月份, 当月) dates a figure the periods cannot write: it has none
    if let Some(p) = period::before_matching(periods, sentence, pos, |_| true) {
        if basis == QOQ {
            if let Some(later) = quarter_compared_from(periods, sentence, p) {
                return Some(later);
            }
        }
        return p.text.clone();
    }
    let para = s.paragraph_start(pos);
    // a span of years named in another sentence (对应2021-22年PE) is the period of a CAGR only;
    // any other figure takes the latest single period before it, or none after a month
    // (a month in an earlier paragraph is as often the date of an event: 2015年4月，X受让…)
    // nor does a year after the article's (明年…目标1万P): the time of a plan dates no figure of
    // another sentence
    let keep = |p: &Period| (basis == CAGR || !p.span) && !p.future;
    let inherited = period::before_matching(periods, para, pos, keep)
        .or_else(|| period::before_matching(periods, 0, pos, |p| keep(p) && !p.month))?
        .text
        .clone()?;
    // a segment's revenue is disclosed in annual and half-year reports, not in the first or
    // third quarter's: after `2022年…；2023年Q1…。` a business's figure is the year's
    let segment = metric.is_some_and(|m| !COMPANY_WIDE.contains(&m));
    let quarterly = ["Q1", "Q3", "Q1-Q3"].iter().any(|q| inherited.ends_with(q));
    // …and a quarter named in passing (单季度看，二季度…) after the half or the year it ends does
    // not date the breakdown that follows: `上半年…。单季度看，二季度…。分业务看，云计算业务收入…`
    let ended = (inherited.strip_suffix("Q2").map(|year| format!("{year}H1")))
        .or_else(|| inherited.strip_suffix("Q4").map(str::to_string));
    if let Some(whole) = ended.filter(|_| segment) {
        let stated = periods
            .iter()
            .filter(|p| p.start >= para && p.start < pos)
            .any(|p| p.text.as_deref() == Some(whole.as_str()));
        if stated {
            return Some(whole);
        }
    }
    if segment && quarterly {
        let reported = periods
            .iter()
            .rev()
            .filter(|p| p.start < pos)
            .find_map(|p| {
                let t = p.text.as_deref()?;
                let year_or_half = t.len() == 4 || t.ends_with("H1");
                (year_or_half && !p.span).then(|| t.to_string())
            });
        if reported.is_some() {
            return reported;
        }
    }
    Some(inherited)
}

/// Metrics of the whole company, stated in every report; any other revenue is a segment's.
const COMPANY_WIDE: &[&str] = &[
    "营业收入",
    "归母净利润",
    "扣非归母净利润",
    "净利润",
    "业绩",
    "毛利",
    "利润总额",
    "营业利润",
];

/// The qualifier of a growth figure: an approximation word before it (约, 超 …), else the
/// comparison (同比, 环比).
fn qualifier(text: &str, from: usize, cue_start: usize, q: &Quantity) -> Option<&'static str> {
    let gap = &text[cue_start..q.start];
    for a in number::APPROX.split('|').chain(["不低于"]) {
        if gap.ends_with(a) || gap.trim_end().ends_with(a) {
            return Some(a);
        }
    }
    let stretch = &text[from..q.start];
    match (stretch.rfind("同比"), stretch.rfind("环比")) {
        (Some(y), Some(m)) if m > y => Some("环比"),
        (Some(_), _) => Some("同比"),
        (None, Some(_)) => Some("环比"),
        (None, None) => None,
    }
}

/// A growth claim as the tests compare it: amount, metric, period, basis.
#[cfg(test)]
type Seen = (Amount, Option<String>, Option<String>, Option<&'static str>);

/// The growth claims of a text (for tests).
#[cfg(test)]
fn amounts(text: &str) -> Vec<Seen> {
    let s = Structure::new(text, &[]);
    let qs = super::quantity::quantities(text, |_| true);
    let ps = period::periods(&s, None);
    let mut out = Vec::new();
    find(&s, &qs, &ps, &[], &mut out);
    out.into_iter()
        .map(|c| {
            let a = match (c.value, c.low, c.high) {
                (Some(v), _, _) => Amount::One(v),
                (None, Some(l), Some(h)) => Amount::Range(l, h),
                _ => Amount::One(f64::NAN),
            };
            (a, c.metric, c.period, c.basis)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn frames_give_metric_period_and_basis() {
        use Amount::{One, Range};
        let cases: Vec<(&str, Vec<Seen>)> = vec![
            (
                "2024年公司实现营业收入155.6亿元，同比增长94.7%",
                vec![(One(94.7), s("营业收入"), s("2024"), YOY)],
            ),
            (
                "营收、净利润分别同比增长20%、30%",
                vec![
                    (One(20.0), s("营业收入"), None, YOY),
                    (One(30.0), s("净利润"), None, YOY),
                ],
            ),
            (
                "收入和利润分别下滑5%和8%",
                vec![
                    (One(-5.0), s("营业收入"), None, None),
                    (One(-8.0), s("净利润"), None, None),
                ],
            ),
            (
                "预计2024年归母净利润同比增长50%-80%",
                vec![(Range(50.0, 80.0), s("归母净利润"), s("2024"), YOY)],
            ),
            (
                "2019-2023年营收复合增长率为35%",
                vec![(One(35.0), s("营业收入"), s("2019-2023"), CAGR)],
            ),
            ("毛利率提升3个百分点，出货量同比增长50%", vec![]),
            (
                // undated: the article names 第三季's year after it, and only one
                "第三季税后纯益季增17%，2025年营收第三季增长30%",
                vec![
                    (One(17.0), s("净利润"), s("2025Q3"), QOQ),
                    (One(30.0), s("营业收入"), s("2025Q3"), None),
                ],
            ),
            (
                "数据中心业务收入同比增长1.2倍",
                vec![(One(120.0), s("数据中心业务收入"), None, YOY)],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(amounts(text), want, "{text}");
        }
    }
}

//! Market-level claims: turnover, fund flows, breadth, and price moves of indices and products.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::structure::Structure;
use super::triggers::{triggers, Caps, INDEX_WORDS, TRADED_WORDS};
use super::{percent_amount, Amount, Candidate, Who};
use crate::model::ClaimKind;
use crate::number::{self, APPROX, GROUPED_NUMBER, NUMBER, RANGE_SEP};

static TURNOVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<m>沪深两市|两市|沪深|A股|全市场|沪市|深市|全A)?(?P<mid>[^。；;，,\n]{{0,12}}?)(?:总成交额|成交额|成交金额|成交量|交易额|量能|成交)[，,]?(?:[:：]|为|达到|达|仅|只有|回到|回落至|升至|放大至|萎缩至|维持在?|持续|继续|好家伙|来到了?|共|是|都|也|又|已经|已|就|一度|再度|再次)*(?P<q>{APPROX}|不足|快到|突破)?(?P<n>{GROUPED_NUMBER})(?P<mult>万亿|[wW]亿|亿元|亿)"
    ))
    .expect("turnover regex")
});

static TURNOVER_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<q>{APPROX})?(?P<n>{GROUPED_NUMBER})(?P<mult>万亿|[wW]亿)(?:的)?(?:量能|成交额?)"
    ))
    .expect("turnover regex")
});

/// The market's turnover as the level it shrank or grew to (缩量到22000亿, 放量至1.5万亿), or as
/// what was left after the change its sentence gave first (缩量7696亿，还剩23879亿).
static TURNOVER_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:(?:缩量|放量)(?:到了?|至)|(?P<left>还剩|只剩下?|剩下))(?P<q>{APPROX})?(?P<n>{GROUPED_NUMBER})(?P<mult>万亿|[wW]亿|亿元|亿)"
    ))
    .expect("turnover regex")
});

/// A flow's direction and amount (净买入逾93亿元), the part a flow and its later clauses share.
fn flow_figure() -> String {
    format!(
        r"(?P<d>净买入|净卖出|净流入|净流出|净买|净卖|净增持|净减持)了?(?P<q>{APPROX})?(?P<n>{NUMBER})(?P<mult>亿元|亿|万元|万)"
    )
}

/// The flows named as subjects, longest form first where one starts another.
const FLOW_NAMES: &str = r"北向资金|北上资金|南向资金|南下资金|主力资金|内资主力|内资|外资|融资资金|沪股通|深股通|陆股通|港股通(?:[（(][沪深][）)])?";

/// A flow's name alone.
static FLOW_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(FLOW_NAMES).expect("flow name regex"));

static FLOW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<f>{FLOW_NAMES})(?P<mid>[^。；;\n]{{0,15}}?){}",
        flow_figure()
    ))
    .expect("flow regex")
});

/// A later clause of a flow's sentence that states another amount of the same flow
/// (北上资金周四净卖出66亿元，周五又净买入93亿元).
static FLOW_MORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&flow_figure()).expect("flow continuation regex"));

static BREADTH_COUNT_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<q>{APPROX})?(?P<n>{GROUPED_NUMBER})(?:多|余|\+)?(?:只|家|个股|个|股)(?P<q2>以上)?(?:个股|股票|公司|股)?(?P<k>上涨|下跌|涨停|跌停|飘红|翻红|收涨|收跌|翻绿|飘绿|收红|收绿|红盘|绿盘|下杀)"
    ))
    .expect("breadth regex")
});

static BREADTH_KIND_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<k>上涨|下跌|涨停|跌停|红盘|绿盘|普跌|普涨)(?:家数|个股数|个股|股票|的个股|板数|数|股)?(?:也|亦|则)?(?:为|高达|多达|达到|达|有|共|共有|来到|骤增至|增至|降至|增加到|减少到|仅有|仅为|仅|只有|[:：])?(?:周.)?(?P<q>{APPROX}|大于|多于|不足|不到)?(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+|[一二两三四五六七八九十百千]+)(?:多|余)?(?P<u>只|家|个)?"
    ))
    .expect("breadth regex")
});

static BREADTH_PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:上涨/下跌|涨/跌|涨跌比|涨跌家数比?|涨跌家数)(?:家数)?(?:为|约|[:：])*(?P<a>\d+)(?:家)?[/:：比](?P<b>\d+)")
        .expect("breadth pair regex")
});

/// A move first stated in points or in money and then in percent (`道指涨152.46点，或0.61%`,
/// `黄金期货涨3.10美元，或0.2%`, `上涨38美分，或0.6%`): the percent is the move.
const POINTS_OR: &str =
    r"(?:\d+(?:\.\d+)?\s?(?:个点|点|美元|美分|港元|欧元|英镑|日元|元)[，,]?\s?或\s?)?";

/// The indexes a move can be stated of, longest form first (`纳斯达克100指数` before `纳斯达克`).
const INDEX_NAMES: &str = r"上证综合指数|上证指数|上证综指|沪指|深证成份指数|深证成指|深成指|深证综指|深综指|创业板综指|创业板综|创业板指数|创业板指|创业板|创指|深指|中小板指数|中小板综指|中小板综|中小板指|科创50指数|科创50|北证50指数|北证50|沪深\s?300\s?指数|沪深\s?300|上证\s?50\s?指数|上证\s?50|上证[13]80指数|上证[13]80|深证100指数|深证100|中证\s?500\s?指数|中证\s?500|中证\s?1000\s?指数|中证\s?1000|中证\s?2000|中证[18]00指数|中证[18]00|恒生科技指数|恒生指数|恒指|国企指数|纳斯达克\s?100\s?指数|标准普尔\s?500\s?指数|标准普尔\s?500|纳斯达克\s?100|纳斯达克综合指数|纳斯达克指数|纳斯达克|纳指|道琼斯工业平均指数|道琼斯工业指数|道琼斯指数|道琼斯|道指|标普\s?500\s?指数|标普\s?500|标准普尔指数|标普指数|日经\s?225\s?指数|日经指数|富时A50|大盘|指数";

/// Codes or tickers in brackets after an index's name (`沪指（000001）`, `Cboe波动率指数（VIX）
/// （VXX）`): no part of the name, nor words between the index and its move.
const TICKER: &str = r"(?:[（(][0-9A-Za-z.]{2,10}[）)]){0,2}";

static INDEX_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<s>{INDEX_NAMES}){TICKER}(?P<mid>[^。；;，,\n]{{0,8}}?|[从自][^。；;，,\n]{{0,14}}?(?:高位|高点|低位|低点|峰值|新高|新低)(?:已经?)?|在[^。；;，,\n%]{{1,24}}?)(?P<d>{INDEX_VERBS})了?(?:亦|也|则|都|均|仍|一度)?{POINTS_OR}(?:已经?)?(?:(?:先后|相继|一度|进一步)?(?:扩大|收窄|缩小|缩窄)(?:至|到)|达到|达|为|高达|干到了?|来到了?|到了?)?\s?(?:(?P<q>{APPROX}|将近|接近|多达)了?)?(?P<neg>[-−])?\s?(?P<a>{NUMBER})\s?%(?:(?:{RANGE_SEP})(?P<b>{NUMBER})%)?"
    ))
    .expect("index regex")
});

/// The verbs of an index's move. The ones of one character come last, so that a longer verb ending
/// in them (`飙升`, `重挫`) is read whole where the words before the verb are held to few.
const INDEX_VERBS: &str = "收涨|收跌|大涨|大跌|上涨|下跌|涨幅|跌幅|上升|下降|低开|高开|回落|重挫|下挫|飙升|攀升|上扬|走高|走低|下滑|反弹|回升|跳水|跳升|跳涨|升幅|降幅|跌去|涨|跌|升|降";

/// Words that may stand between an index or a sector and its signed move (`沪指反而收红+0.14%`).
const SIGNED_MID: &str =
    r"(?:今天|今日|全天|收盘|报收|收红|收绿|反而|最终|尾盘|午后|早盘|也|则|收)*";

/// A move written as a signed figure right after what moved (`沪指-0.4%`, `创业板指+2.1%`,
/// `CPO板块-3.1%`): the sign is the direction.
fn signed_move() -> String {
    format!(r"(?P<mid>{SIGNED_MID})(?P<sign>[+＋\-−])\s?(?P<a>{NUMBER})\s?%")
}

/// An index's move as a signed figure (`沪指-0.4%`).
static SIGNED_INDEX_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?P<s>{INDEX_NAMES}){}", signed_move())).expect("signed index regex")
});

/// An index's move stated as a noun (`创业板指录得2.7%的跌幅`, `纳斯达克100指数扭转早盘2.7%的跌幅`,
/// `上证指数同期10%左右的涨幅`, `上证综指仍累计录得了4.23%的阶段涨幅`).
static INDEX_MOVE_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<s>{INDEX_NAMES})(?P<mid>[^。；;，,\n%]{{0,8}}?)(?P<q>{APPROX})?(?P<a>{NUMBER})\s?%(?:左右|以上)?的(?:阶段|区间|累计|单日|单月|全年|年度|月度)?(?P<d>跌幅|涨幅)"
    ))
    .expect("index move-of regex")
});

/// A move of the S&P 500 under its shortest name, with only a time or an adverb between
/// (`标普跌0.1%`, `标普午盘时跌约4.6%`): 标普/TSX综合指数, 标普大宗商品指数 and 标普大盘 name other
/// things.
static SHORT_INDEX_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<s>标普)(?P<mid>[早午尾盘中收时今日周当天全一度也亦则]{{0,6}}?)(?P<d>{MOVE_VERBS}){}",
        move_figure()
    ))
    .expect("short index move regex")
});

/// Times and links that may open a clause stating the move of an index named before it
/// (`，午后收涨0.5%`, `，最终收跌-1.09%`).
const MOVE_TIMES: &str =
    "随后|此后|之后|最终|尾盘|午后|午盘|收盘时?|盘中|早盘|一度|再度|又|全天|全日|日内|截至收盘|报收";

/// A second move of the index just named, with only a link or a time between
/// (`…的跌幅并初步收涨0.2%`, `沪指早盘跌1%，午后收涨0.5%`).
static FOLLOWING_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[，,]?(?P<mid>(?:并且|并|初步|{MOVE_TIMES})+)(?P<d>收涨|收跌|大涨|大跌|上涨|下跌|涨|跌){}",
        move_figure()
    ))
    .expect("following move regex")
});

static PRICE_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:价格|现货价|期货价|报价|合约价|价)(?:将|有望|预计|或|再度|继续|大幅|本周|今日|全年|上半年|下半年|年内|今年以来|年初以来|今年|累计|年|短期|长期|或将|均)*(?:(?P<cmp>环比|同比)|环|同)?(?:将|有望|大幅)*(?P<d>上涨|下跌|上调|下调|上升|下降|下滑|回落|攀升|增长|增加|减少|涨幅|跌幅|降幅|涨|跌|降|增)(?:幅度)?了?{POINTS_OR}(?:约|达|为)?(?P<q>{APPROX})?(?P<neg>[-−])?(?P<a>{NUMBER})%(?:(?:{RANGE_SEP})(?P<b>{NUMBER})%)?"
    ))
    .expect("price regex")
});

/// Spans of time that open a clause stating a cumulative move (`2021年累计上涨逾34.75%`,
/// `全年累涨将近20.01%`, `本周累计下跌3%`).
const SPAN_TIMES: &str = r"(?:\d{4}年(?:全年|以来|至今)?|全年|年内|今年以来|年初以来|年初至今|本周|本月|本季度?|上周|当周|周内|月内|迄今|全周)";

/// A cumulative move in the clause after a move (past a clause of the price it stands at,
/// `，报5.92美元/蒲式耳`): the span of time, then 累计 or 累 and the move.
static SPAN_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:[，,](?:报|收报|收于|至)[^，,。；;\n]{{1,24}})?[，,](?P<mid>{SPAN_TIMES}(?:累计|累))(?P<d>上涨|下跌|涨幅|跌幅|涨|跌){}",
        move_figure()
    ))
    .expect("span move regex")
});

/// The spans of the candidates found so far, for overlap tests that look only at the spans near
/// the one tested (a long line may hold many thousands of claims, and testing each against all
/// the others would take quadratic time).
#[derive(Default)]
struct Taken {
    /// The end of the longest span starting at each start.
    spans: BTreeMap<usize, usize>,
    /// The longest span's length: no span starting further back can reach a tested one.
    longest: usize,
    /// How many candidates of the list it follows have been added.
    seen: usize,
    /// The one kind of claim it holds, when it holds one kind only.
    only: Option<ClaimKind>,
}

/// Nothing is added when it is made: [`Taken::catch_up`] adds the spans before a test, so that a
/// scan that matches nothing (most scans of most articles) costs nothing here.
impl Taken {
    /// The spans of every candidate of the list it follows.
    fn all() -> Taken {
        Taken::default()
    }

    /// The spans of the candidates from `first` on of the list it follows.
    fn following(first: usize) -> Taken {
        Taken {
            seen: first,
            ..Taken::default()
        }
    }

    /// The spans of the candidates of one kind.
    fn of_kind(kind: ClaimKind) -> Taken {
        Taken {
            only: Some(kind),
            ..Taken::default()
        }
    }

    /// Adds the candidates pushed onto `found` since the last call.
    fn catch_up(&mut self, found: &[Candidate]) {
        for f in found.get(self.seen..).unwrap_or_default() {
            if self.only.is_none_or(|kind| f.kind == kind) {
                let end = self.spans.entry(f.start).or_insert(f.end);
                *end = (*end).max(f.end);
                self.longest = self.longest.max(f.end.saturating_sub(f.start));
            }
        }
        self.seen = found.len();
    }

    /// True when a span added before overlaps `start..end`.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        let from = start.saturating_sub(self.longest).min(end);
        self.spans.range(from..end).any(|(_, &e)| e > start)
    }
}

/// The cumulative moves stated right after the moves found from `first` on, each its subject's.
fn span_moves(s: &Structure, out: &mut Vec<Candidate>, first: usize) {
    let mut taken = Taken::all();
    let mut more: Vec<Candidate> = Vec::new();
    for m in &out[first..] {
        if m.kind != ClaimKind::PriceChange {
            continue;
        }
        let Who::Named(name) = &m.subject else {
            continue;
        };
        let Some(c) = s.caps_at(&SPAN_MOVE, m.end) else {
            continue;
        };
        let whole = c.get(0).expect("match");
        let at = c.name("mid").expect("a span").start();
        // (a clause after two moves ending at one place is read once)
        taken.catch_up(out);
        if taken.overlaps(at, whole.end()) || more.last().is_some_and(|f| f.start == at) {
            continue;
        }
        if let Some(amount) = move_amount(&c) {
            more.push(price_change(
                name.clone(),
                at,
                whole.end(),
                amount,
                c.name("q").map(|m| m.as_str()),
            ));
        }
    }
    out.extend(more);
}

/// Every market-level claim.
pub(crate) fn find(s: &Structure, out: &mut Vec<Candidate>) {
    let first = out.len();
    find_kinds(s, out);
    if s.text.contains('累') {
        span_moves(s, out, first);
    }
}

fn find_kinds(s: &Structure, out: &mut Vec<Candidate>) {
    // Cheap substring tests first: most articles state only a few kinds of claim.
    let t = s.text;
    if t.contains('亿') || t.contains('万') {
        if t.contains("成交") || t.contains("交易额") || t.contains("量能") {
            turnover(s, out);
            turnover_after(s, out);
        }
        if t.contains("缩量") || t.contains("放量") {
            turnover_to(s, out);
        }
        if t.contains('净') {
            flows(s, out);
        }
    }
    if super::has_any(t, &['家', '只', '个', '股']) || t.contains("数") {
        breadth(s, out);
    }
    if super::has_any(t, &['/', ':', '：', '比']) && t.contains("跌") {
        breadth_pairs(s, out);
    }
    if t.contains('%') {
        index_moves(s, out);
        index_clause_moves(s, out);
        if MARKET_WORDS.iter().any(|w| t.contains(w)) {
            market_moves(s, out);
        }
        if t.contains("板块") {
            sector_moves(s, out);
        }
        if t.contains("指数分别") {
            respective_index_moves(s, out);
        }
        if super::has_any(t, &['、', '和', '与', '及']) {
            listed_sector_moves(s, out);
        }
        if t.contains("商品期货") || t.contains("主力合约") || t.contains("夜盘") {
            futures_moves(s, out);
        }
        if t.contains("期货") {
            named_futures_moves(s, out);
        }
        if ["现货", "原油", "伦敦", "美油", "布油"]
            .iter()
            .any(|w| t.contains(w))
        {
            spot_moves(s, out);
        }
        if t.contains("升值") || t.contains("贬值") {
            currency_moves(s, out);
        }
        if TRADED_WORDS.iter().any(|w| t.contains(w)) {
            traded_clause_moves(s, out);
        }
        // a change against an earlier day (较前一日, 较上周五, 较昨日, 较周一)
        if ["较前", "较上", "较昨", "较周", "比前一"]
            .iter()
            .any(|w| t.contains(w))
        {
            quoted_moves(s, out);
        }
        if t.contains('价') {
            price_moves(s, out);
            if t.contains("分别") {
                listed_price_moves(s, out);
            }
        }
        if t.contains("分别") {
            respective_clause_moves(s, out);
        }
        carried_moves(s, out);
    }
}

fn turnover(s: &Structure, out: &mut Vec<Candidate>) {
    let mut report = None;
    for c in s.scan(&TURNOVER, triggers!(&["成交", "交易额", "量能"])) {
        let whole = c.get(0).expect("match");
        let mid = c.name("mid").map_or("", |m| m.as_str());
        if ["放量", "缩量", "增量", "减少", "较"]
            .iter()
            .any(|w| mid.contains(w))
        {
            continue;
        }
        let Some(v) = number::parse(&c["n"]) else {
            continue;
        };
        let value = number::to_yi(v, &c["mult"]);
        let market = match c.name("m").map(|m| m.as_str()) {
            Some("沪市") => "沪市",
            Some("深市") => "深市",
            Some(_) => "两市",
            None => {
                let sentence = s.sentence_start(whole.start());
                let at = whole.start() + mid.len();
                if let Some(exchange) = exchange_reported(s, sentence, at, &mut report) {
                    exchange
                } else {
                    // Without a market word, only a market-sized figure with no stock about
                    // and no other market named before it in its sentence.
                    if value < 3000.0
                        || !s.stocks_in(sentence, whole.end()).is_empty()
                        || names_other_market(s.text, sentence, at)
                    {
                        continue;
                    }
                    "两市"
                }
            }
        };
        let start = match c.name("m") {
            Some(m) => m.start(),
            None => whole.start() + mid.len(),
        };
        out.push(
            Candidate::new(
                ClaimKind::Turnover,
                Who::Named(market.into()),
                start,
                whole.end(),
            )
            .amount(Amount::One(value), "亿元")
            .qualified(c.name("q").map(|m| m.as_str())),
        );
    }
}

/// Markets whose trading is not the A-share market's turnover: futures, options, bonds and repos,
/// funds, Hong Kong and the Connect links (`原油期货累计成交额18.50万亿元`, `港股通的成交额为9.3万亿元`).
const OTHER_MARKETS: &[&str] = &[
    "期货", "期权", "债", "回购", "基金", "ETF", "港股", "港元", "股通", "港通", "美股", "外汇",
];

/// True when a turnover figure at `at` is another market's than the A-share market: its clause
/// names one (`港股通的成交额为9.3万亿元`), or an earlier clause of its statement (back to a full
/// stop, a sentence ended by a semicolon included) names one with its trading
/// (`原油期货累计成交量4264.52万手，…；累计成交额18.50万亿元`). A market named in passing
/// (`石油期货还是跌的，…，成交量好家伙快到2w亿`) is not the figure's.
fn names_other_market(text: &str, sentence: usize, at: usize) -> bool {
    // at most 240 bytes back, so that a long line is read in linear time
    let window = (sentence.saturating_sub(240)..=sentence)
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(sentence);
    let from = text[window..sentence]
        .char_indices()
        .rev()
        .find(|&(_, ch)| "。！？!?\n".contains(ch))
        .map_or(window, |(i, ch)| window + i + ch.len_utf8());
    let mut clauses = text[from..at].rsplit(['，', ',', '；', ';']);
    let names = |clause: &str| OTHER_MARKETS.iter().any(|w| clause.contains(w));
    clauses.next().is_some_and(names)
        || clauses
            .any(|clause| names(clause) && (clause.contains("成交") || clause.contains("交易")))
}

/// The exchange a turnover figure at `pos` is of when a report gives each exchange its index and
/// its own turnover (`上证综指…跌幅3.35%，成交3188亿；深证成指…跌幅4.23%，成交2408亿`): the
/// exchange of the last index named before it in its sentence, when the paragraph names the other
/// exchange's index too and states turnover twice.
fn exchange_reported(
    s: &Structure,
    sentence: usize,
    pos: usize,
    known: &mut Option<ExchangeReport>,
) -> Option<&'static str> {
    let last = |names: &[&str], text: &str| names.iter().filter_map(|n| text.rfind(n)).max();
    let before = &s.text[sentence..pos];
    let shenzhen = match (last(SHANGHAI, before), last(SHENZHEN, before)) {
        (Some(a), Some(b)) => b > a,
        (Some(_), None) => false,
        (None, Some(_)) => true,
        (None, None) => return None,
    };
    let para = s.paragraph_start(pos);
    if known.as_ref().is_none_or(|r| r.paragraph != para) {
        *known = Some(ExchangeReport::of(s, para, pos));
    }
    let report = known.as_ref()?;
    let (exchange, other_named) = if shenzhen {
        ("深市", report.shanghai)
    } else {
        ("沪市", report.shenzhen)
    };
    (other_named && report.trades_twice).then_some(exchange)
}

const SHANGHAI: &[&str] = &["上证综合指数", "上证指数", "上证综指", "沪指"];
const SHENZHEN: &[&str] = &[
    "深证成份指数",
    "深证成指",
    "深成指",
    "深成指数",
    "深证综指",
    "深综指",
];

/// What a paragraph says of the two exchanges, read once per paragraph however many turnover
/// figures it holds.
struct ExchangeReport {
    /// Where the paragraph starts.
    paragraph: usize,
    /// It names a Shanghai index.
    shanghai: bool,
    /// It names a Shenzhen index.
    shenzhen: bool,
    /// It states turnover (成交) twice at least.
    trades_twice: bool,
}

impl ExchangeReport {
    fn of(s: &Structure, paragraph: usize, pos: usize) -> ExchangeReport {
        let text = &s.text[paragraph..s.line_end(pos)];
        ExchangeReport {
            paragraph,
            shanghai: SHANGHAI.iter().any(|n| text.contains(n)),
            shenzhen: SHENZHEN.iter().any(|n| text.contains(n)),
            trades_twice: text.matches("成交").nth(1).is_some(),
        }
    }
}

fn turnover_after(s: &Structure, out: &mut Vec<Candidate>) {
    // a turnover already found over the same words
    let mut taken = Taken::of_kind(ClaimKind::Turnover);
    for c in s.scan(&TURNOVER_AFTER, triggers!(&["量能", "成交"])) {
        let whole = c.get(0).expect("match");
        taken.catch_up(out);
        if taken.overlaps(whole.start(), whole.end()) {
            continue;
        }
        let Some(v) = number::parse(&c["n"]) else {
            continue;
        };
        let value = number::to_yi(v, &c["mult"]);
        out.push(market_turnover(
            whole.start(),
            whole.end(),
            value,
            c.name("q").map(|m| m.as_str()),
        ));
    }
}

/// The market's turnover (`两市`) of `value` 亿元 stated at `start..end`.
fn market_turnover(start: usize, end: usize, value: f64, qualifier: Option<&str>) -> Candidate {
    Candidate::new(ClaimKind::Turnover, Who::Named("两市".into()), start, end)
        .amount(Amount::One(value), "亿元")
        .qualified(qualifier)
}

fn turnover_to(s: &Structure, out: &mut Vec<Candidate>) {
    let mut taken = Taken::of_kind(ClaimKind::Turnover);
    for c in TURNOVER_TO.captures_iter(s.text) {
        let whole = c.get(0).expect("match");
        let Some(v) = number::parse(&c["n"]) else {
            continue;
        };
        let value = number::to_yi(v, &c["mult"]);
        // what is left is a turnover only after a change of turnover in its sentence
        let lead = &s.text[s.sentence_start(whole.start())..whole.start()];
        if c.name("left").is_some() && !(lead.contains("缩量") || lead.contains("放量")) {
            continue;
        }
        // only a market-sized level: no one stock trades 3000亿 a day
        taken.catch_up(out);
        if value < 3000.0 || taken.overlaps(whole.start(), whole.end()) {
            continue;
        }
        out.push(market_turnover(
            whole.start(),
            whole.end(),
            value,
            c.name("q").map(|m| m.as_str()),
        ));
    }
}

fn flows(s: &Structure, out: &mut Vec<Candidate>) {
    let mut found = s.scan(&FLOW, triggers!(&["净"]));
    found.reverse();
    while let Some(c) = found.pop() {
        let whole = c.get(0).expect("match");
        let mid = c.name("mid").expect("mid");
        // 南下资金凶猛，港股通(沪)净流入…: the amount is the flow named after the first one;
        // 沪股通和深股通合计净流入…: two flows joined own their sum, neither alone
        if let Some(inner) = FLOW_NAME.find(mid.as_str()) {
            let joined = mid.as_str()[..inner.start()]
                .chars()
                .all(|ch| "和与及、".contains(ch));
            // (a flow named again after the two is read on its own: 沪股通和深股通大幅抛售A股，
            // 沪股通净流出…)
            let from = mid.start() + if joined { inner.end() } else { inner.start() };
            // (a match past this one's end is the scan's next one already)
            if let Some(next) = s
                .caps_at(&FLOW, from)
                .filter(|n| n.get(0).is_some_and(|m| m.start() < whole.end()))
            {
                found.push(next);
            }
            continue;
        }
        if !s.stocks_in(mid.start(), mid.end()).is_empty() {
            continue; // a flow into one stock, not the flow itself
        }
        // 北上资金加仓的重点，合计净买入…: the flow qualifies another subject (a sector)
        if mid.as_str().contains('的') {
            continue;
        }
        // 弘信电子主力资金净流入…: one stock's flow, not the market's
        let f = c.name("f").expect("flow");
        let clause = s.clause_start(f.start());
        if s.stocks_in(clause, f.start())
            .last()
            .is_some_and(|m| s.text[m.end..f.start()].chars().count() <= 2)
        {
            continue;
        }
        let flow = match &c["f"] {
            "北上资金" => "北向资金",
            "南下资金" => "南向资金",
            f => f,
        };
        let figure = [&c["d"], &c["n"], &c["mult"]];
        if let Some(found) = flow_claim(flow, figure, whole.start(), whole.end()) {
            out.push(found);
        }
        // the flow stays the subject of the sentence's later clauses that name no other
        // searched within the sentence only: offsets into it are offsets into the text
        let sentence = &s.text[..s.sentence_end(whole.end())];
        let mut from = whole.end();
        while let Some(more) = FLOW_MORE.captures_at(sentence, from) {
            let m = more.get(0).expect("match");
            from = m.end();
            let clause = s.clause_start(m.start());
            let lead = &s.text[clause..m.start()];
            // only time and adverb words may lead it (周五又, 全周合计); anything else
            // (超大单, 银行股) names another subject
            let only_when = lead
                .chars()
                .all(|c| FLOW_LEAD.contains(c) || c.is_ascii_digit());
            // a clause naming another flow makes that one the subject from there on
            if FLOW_NAME.is_match(&s.text[clause..m.start()]) {
                break;
            }
            // a sum (共计, 合计) after several flows named in the sentence is theirs together
            let sum = ["共计", "合计", "总计"].iter().any(|w| lead.contains(w))
                && FLOW_NAME
                    .find_iter(&s.text[s.sentence_start(whole.start())..m.start()])
                    .any(|other| other.as_str() != &c["f"]);
            if !only_when || sum {
                continue;
            }
            let figure = [&more["d"], &more["n"], &more["mult"]];
            if let Some(found) = flow_claim(flow, figure, m.start(), m.end()) {
                out.push(found);
            }
        }
    }
}

/// Characters of the time and adverb words that may lead a flow's later clause.
const FLOW_LEAD: &str =
    "周一二三四五六七日天月年早午晚尾盘中后前全本上下今昨当随合计又再则也共累度终截至期间内单两已经的 ";

/// The claim of one flow amount: its direction word, figure and unit, spanning `start..end`.
fn flow_claim(flow: &str, figure: [&str; 3], start: usize, end: usize) -> Option<Candidate> {
    let [direction, n, mult] = figure;
    let v = number::parse(n)?;
    let mut value = number::to_yi(v, mult);
    if direction.contains('卖') || direction.contains("流出") || direction.contains("减持") {
        value = -value;
    }
    Some(
        Candidate::new(ClaimKind::CapitalFlow, Who::Named(flow.into()), start, end)
            .amount(Amount::One(value), "亿元")
            .qualified(Some(direction)),
    )
}

fn breadth_subject(k: &str) -> &'static str {
    match k {
        "上涨" | "飘红" | "翻红" | "收涨" | "红盘" | "收红" | "普涨" => "上涨",
        "下跌" | "收跌" | "翻绿" | "绿盘" | "飘绿" | "收绿" | "普跌" | "下杀" => {
            "下跌"
        }
        "涨停" => "涨停",
        _ => "跌停",
    }
}

/// Words before a count of limit days in its clause that make it one stock's run of them.
const STREAK_LEADS: &[&str] = &["连续", "复牌", "连吃", "吃了", "连收", "又是"];

fn breadth(s: &Structure, out: &mut Vec<Candidate>) {
    const TRIGGERS: &[&str] = &[
        "上涨", "下跌", "涨停", "跌停", "飘红", "翻红", "收涨", "收跌", "翻绿", "红盘", "绿盘",
        "飘绿", "收红", "收绿", "普跌", "普涨", "下杀",
    ];
    for re in [&*BREADTH_COUNT_FIRST, &*BREADTH_KIND_FIRST] {
        for c in s.scan(re, triggers!(TRIGGERS)) {
            let whole = c.get(0).expect("match");
            if s.text[..whole.start()].ends_with(|ch: char| ch.is_ascii_digit() || ch == '.') {
                continue;
            }
            let Some(v) = number::parse(&c["n"]) else {
                continue;
            };
            if v < 1.0 || v.fract() != 0.0 {
                continue;
            }
            let after = &s.text[whole.end()..];
            let rising_falling = !matches!(&c["k"], "涨停" | "跌停");
            if c.name("u").is_none() && rising_falling && v < 100.0 {
                continue;
            }
            if c.name("u").is_none()
                && after.starts_with(|ch: char| {
                    ch.is_ascii_alphanumeric() || "%.元亿万倍板天日年月号点连个只家cm".contains(ch)
                })
            {
                continue;
            }
            // 复牌后18个跌停, 连续17个跌停: one stock's run of limit days, not a count of stocks
            // (百股跌停, 30家跌停 count stocks whatever stands before them)
            let clause_start = s.clause_start(whole.start());
            let clause = &s.text[clause_start..whole.start()];
            let of_stocks = whole.as_str().contains(['只', '家', '股']);
            let after_stock = s
                .stocks_in(clause_start, whole.start())
                .last()
                .is_some_and(|m| s.text[m.end..whole.start()].trim().is_empty());
            if !of_stocks && (after_stock || STREAK_LEADS.iter().any(|w| clause.contains(w))) {
                continue;
            }
            let mut start = whole.start();
            let lead = &s.text[s.sentence_start(start)..start];
            for market in ["沪深两市", "两市", "全市场"] {
                if lead.ends_with(market) {
                    start -= market.len();
                    break;
                }
            }
            out.push(
                Candidate::new(
                    ClaimKind::MarketBreadth,
                    Who::Named(breadth_subject(&c["k"]).into()),
                    start,
                    whole.end(),
                )
                .amount(Amount::One(v), "只")
                .qualified(c.name("q").or(c.name("q2")).map(|m| m.as_str())),
            );
        }
    }
}

fn breadth_pairs(s: &Structure, out: &mut Vec<Candidate>) {
    for c in s.scan(&BREADTH_PAIR, triggers!(&["涨跌", "上涨/下跌", "涨/跌"])) {
        let whole = c.get(0).expect("match");
        for (group, subject) in [("a", "上涨"), ("b", "下跌")] {
            let Some(v) = number::parse(&c[group]) else {
                continue;
            };
            out.push(
                Candidate::new(
                    ClaimKind::MarketBreadth,
                    Who::Named(subject.into()),
                    whole.start(),
                    whole.end(),
                )
                .amount(Amount::One(v), "只"),
            );
        }
    }
}

fn move_amount(c: &Caps) -> Option<Amount> {
    let b = c.name("b").map(|m| (m.as_str(), Some("%")));
    let amount = percent_amount(&c["a"], Some("%"), b)?;
    // a move written with its sign alone (沪指-0.4%) has no verb
    let d = c.name("d").map_or("", |m| m.as_str());
    let minus = c
        .name("sign")
        .is_some_and(|m| matches!(m.as_str(), "-" | "−"));
    if c.name("neg").is_some() || minus {
        return Some(amount.negate());
    }
    Some(
        if d.contains(['跌', '下', '降', '减', '挫', '低', '贬']) || matches!(d, "回落" | "跳水")
        {
            amount.negate()
        } else {
            amount
        },
    )
}

/// A move of `name` by `amount` percent stated at `start..end`.
fn price_change(
    name: String,
    start: usize,
    end: usize,
    amount: Amount,
    qualifier: Option<&str>,
) -> Candidate {
    Candidate::new(ClaimKind::PriceChange, Who::Named(name), start, end)
        .amount(amount, "%")
        .qualified(qualifier)
}

/// The verbs of a market's, a sector's or an index's move, before its figure.
const MOVE_VERBS: &str = "收涨|收跌|大涨|大跌|上涨|下跌|涨幅|跌幅|涨|跌";

/// What follows a move's verb in a market's or a sector's move: a linking word, a bound, the
/// sign and the figure in %.
fn move_figure() -> String {
    format!(
        r"了?(?:亦|也|则|仍|一度)?{POINTS_OR}(?:已经?)?(?:累计)?(?:达到|达|为|高达)?\s?(?P<q>{APPROX}|将近|接近|多达)?(?P<neg>[-−])?\s?(?P<a>{NUMBER})\s?%"
    )
}

/// Countries and regions whose stock market (`日本股市`, `印度股市`) is named for its move.
const MARKET_PLACES: &str = "美国|日本|韩国|台湾|香港|印度|马来西亚|越南|新加坡|泰国|印尼|菲律宾|澳大利亚|澳洲|欧洲|德国|英国|法国|巴西|俄罗斯|全球|亚洲|亚太";

/// The words a market's move is named with; text holding none is not read for one.
const MARKET_WORDS: &[&str] = &["港股", "美股", "日股", "欧股", "股市", "股指"];

/// A market's move, the market named on its own (`港股今日跌幅亦接近2%`, `日韩股市双双大跌超5%`)
/// with nothing but a time or an adverb before the move: `港股恒指…` is the index's and
/// `港股比亚迪电子…` a stock's.
static MARKET_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<s>港股|美股|日股|欧股|日韩股市|(?:{MARKET_PLACES})(?:股市|(?:基准|主要)股指))(?P<mid>[\d今日天昨盘中全年去上本周一二三四五六月日双也亦再度曾又已经开收整体以来仍仅在内]{{0,8}}?)(?P<d>暴涨|暴跌|重挫|飙升|下挫|{MOVE_VERBS}){}",
        move_figure()
    ))
    .expect("market move regex")
});

/// Characters that may stand right before a market's name: none, a break, or the end of a time
/// or a conjunction (今天港股, 而港股, 隔夜美国股市).
fn market_lead_ok(before: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_none_or(|c| !crate::lexicon::is_han(c) || "天日五年而则和及与夜".contains(c))
        // one market picked out of several (亚洲股市全面下挫，其中日本股市一度重挫近7%)
        || ["其中", "尤其是", "特别是"].iter().any(|w| before.ends_with(w))
}

/// A move of an American index under its ticker (`DJI下跌4.12%`, `SPX下跌3.86%`). (A pattern of its
/// own: Latin words among the index names cost the index patterns their fast literal search.)
static TICKER_INDEX_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<s>DJI|SPX|IXIC|NDX)(?P<mid>[早午尾盘中收时今日周当天全一度也亦则]{{0,6}}?)(?P<d>{INDEX_VERBS}){}",
        move_figure()
    ))
    .expect("ticker index move regex")
});

fn index_moves(s: &Structure, out: &mut Vec<Candidate>) {
    // a move stated as a noun is rare: only articles that write one are scanned for it
    let stated_as_noun =
        if s.text.contains("的跌幅") || s.text.contains("的涨幅") || s.text.contains("%的") {
            s.scan_needing(&INDEX_MOVE_OF, triggers!(INDEX_WORDS), b'%')
        } else {
            Vec::new()
        };
    let moves = s.scan_needing(&INDEX_MOVE, triggers!(INDEX_WORDS), b'%');
    let signed = s.scan_needing(&SIGNED_INDEX_MOVE, triggers!(INDEX_WORDS), b'%');
    let short = s.scan_needing(&SHORT_INDEX_MOVE, triggers!(&["标普"]), b'%');
    let tickers = s.scan_needing(
        &TICKER_INDEX_MOVE,
        triggers!(&["DJI", "SPX", "IXIC", "NDX"]),
        b'%',
    );
    let mut taken = Taken::following(out.len());
    for c in stated_as_noun
        .into_iter()
        .chain(moves)
        .chain(short)
        .chain(tickers)
        .chain(signed)
    {
        let whole = c.get(0).expect("match");
        taken.catch_up(out);
        if taken.overlaps(whole.start(), whole.end()) {
            continue; // the same words read by both patterns
        }
        let mid = &c["mid"];
        let generic = matches!(&c["s"], "指数" | "大盘");
        // a fund's benchmark is a weighted sum (75%×沪深300指数+25%×中证全债指数), no move
        let weighted = s.text[..whole.start()].ends_with(['×', '*'])
            || s.text[whole.end()..].starts_with(['×', '*']);
        if weighted {
            continue;
        }
        // another measure of the index (成交, 市盈率, 估值); or the last of several indexes whose
        // figures are listed (道琼工业指数和标准普尔500指数上周分别回落4.1%和3.9%: the first figure
        // is the first index's, which the pattern reads when it starts the list)
        if let Some(each) = index_list_figures(s, whole.start(), &c, mid) {
            for (index, at, end, amount) in each {
                out.push(price_change(index, at, end, amount, None));
            }
            continue;
        }
        // a move denied (标普500指数未自任一点下滑3%) is none
        if ["未", "没", "不曾"].iter().any(|w| mid.contains(w)) {
            continue;
        }
        let last_listed = mid
            .find("分别")
            .is_some_and(|at| !mid[..at].contains(['和', '与', '、', '及']));
        if ["成交", "量", "市盈率", "市净率", "估值"]
            .iter()
            .any(|w| mid.contains(w))
            || last_listed
            || (generic && mid.contains(['指', '沪', '深', '创', '恒', '纳', '道']))
        {
            continue;
        }
        let Some(amount) = move_amount(&c) else {
            continue;
        };
        let mut name: String = c["s"].split_whitespace().collect();
        // 标普500成长股指数: an index built on a known one; 道琼斯指数期货: the index's futures
        let futures = ["期货", "期指"].into_iter().find(|w| mid.starts_with(w));
        if let Some(more) = longer_index_name(mid).or(futures).filter(|_| !generic) {
            name.push_str(more);
        }
        let mut start = whole.start();
        // 香港恒生指数, 恒生国企指数: the place or the family written before a known index
        if let Some(lead) = index_lead(&s.text[..start]).filter(|_| !generic) {
            name.insert_str(0, lead);
            start -= lead.len();
        }
        if &c["s"] == "指数" {
            // indexes counted (锂矿、稀土等逾20个概念指数) are none of them
            let run = name_run_start(&s.text[..whole.start()], 14).unwrap_or(whole.start());
            if lists_indexes(&s.text[run..whole.start()]) {
                continue;
            }
            // a sector's or a theme's index is named before 指数 (通信板块指数, 白酒指数)
            if let Some((sector, at)) = sector_before(s, whole.start(), 12) {
                name = format!("{sector}指数{}", futures.unwrap_or(""));
                start = at;
            }
        }
        out.push(price_change(
            name.clone(),
            start,
            whole.end(),
            amount,
            c.name("q").map(|m| m.as_str()),
        ));
        if !generic {
            for (other, at) in listed_indexes(s, whole.start(), &c, mid) {
                out.push(price_change(
                    other,
                    at,
                    whole.end(),
                    amount,
                    c.name("q").map(|m| m.as_str()),
                ));
            }
        }
        if let Some(next) = s.caps_at(&FOLLOWING_MOVE, whole.end()) {
            let at = next.name("mid").expect("a link");
            if let Some(amount) = move_amount(&next) {
                out.push(price_change(
                    name,
                    at.start(),
                    next.get(0).expect("match").end(),
                    amount,
                    next.name("q").map(|m| m.as_str()),
                ));
            }
        }
    }
}

/// [`INDEX_NAMES`] by name only, without the bare 大盘 and 指数 it ends with: the indexes a list
/// can hold.
fn named_indexes() -> &'static str {
    INDEX_NAMES.trim_end_matches("|大盘|指数")
}

/// Indexes by name only, for lists of indexes sharing one move.
static LISTED_INDEX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(named_indexes()).expect("listed index regex"));

/// The indexes named in `text`, which starts at `offset`: each name (spaces dropped) and where it
/// starts.
fn indexes_in(text: &str, offset: usize) -> impl Iterator<Item = (String, usize)> + '_ {
    LISTED_INDEX
        .find_iter(text)
        .map(move |m| (m.as_str().split_whitespace().collect(), offset + m.start()))
}

/// Words after a list of indexes that say they share the move (`均`, `双双`).
const SHARED: &str = "均|都|双双|齐|全线|先后|相继|同步|纷纷|亦|也";

/// The rest of a list of indexes between the first one and its move: names after list marks,
/// then only words of sharing (`、深成指均` of `沪指、深成指均跌1%`).
static LIST_REST: LazyLock<Regex> = LazyLock::new(|| {
    let names = named_indexes();
    Regex::new(&format!(
        r"^(?:(?:、|和|与|及|以及)\s?(?:{names})\s?)+(?:{SHARED})*$"
    ))
    .expect("index list regex")
});

/// Indexes listed before the one a move was read for, each followed by a list mark or a comma
/// (`创业板指，` of `创业板指，深成指均跌超1%`).
static LIST_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    let names = named_indexes();
    Regex::new(&format!(r"(?:(?:{names})\s?(?:、|和|与|及|以及|，|,))+$"))
        .expect("index list regex")
});

/// A further figure of a list of figures (`、2.77%` of `分别下跌1.78%、2.77%、3.25%`).
static NEXT_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:、|和|与|及|，|,)\s?(?:{APPROX}|将近|接近)?(?P<neg>[-−])?(?P<a>{NUMBER})\s?%"
    ))
    .expect("next figure regex")
});

/// The figures of a move listed in order (`分别下跌1.78%、2.77%、3.25%`), from the match `c` of the
/// first: each with where it ends. The first one's fall holds for the rest unless it was written
/// with a sign.
fn listed_figures(s: &Structure, c: &Caps) -> Option<Vec<(Amount, usize)>> {
    let first = move_amount(c)?;
    let falls = matches!(first, Amount::One(v) if v < 0.0) && c.name("neg").is_none();
    let mut pos = c.get(0)?.end();
    let mut figures = vec![(first, pos)];
    while let Some(next) = NEXT_FIGURE.captures(&s.text[pos..]) {
        let v = number::parse(&next["a"])?;
        let v = if falls || next.name("neg").is_some() {
            -v
        } else {
            v
        };
        pos += next.get(0)?.end();
        figures.push((Amount::One(v), pos));
    }
    Some(figures)
}

/// Indexes listed and then moved by figures in the same order (`上证指数、深证成指、创业板指分别下跌
/// 1.78%、2.77%、3.25%`), read at the match `c` of one of them starting at `start`: each index
/// with its figure and where the figure ends, when the indexes and the figures are as many. `None` when the match is no
/// such list.
fn index_list_figures(
    s: &Structure,
    start: usize,
    c: &Caps,
    mid: &str,
) -> Option<Vec<(String, usize, usize, Amount)>> {
    let respectively = mid.find("分别")?;
    let mut names: Vec<(String, usize)> = Vec::new();
    let before = &s.text[s.clause_start(start)..start];
    if let Some(list) = LIST_BEFORE.find(before) {
        names.extend(indexes_in(
            list.as_str(),
            start - before.len() + list.start(),
        ));
    }
    names.push((c["s"].split_whitespace().collect(), start));
    let mid_at = c.name("mid").map_or(start, |m| m.start());
    names.extend(indexes_in(&mid[..respectively], mid_at));
    let figures = listed_figures(s, c)?;
    (names.len() >= 2 && names.len() == figures.len()).then(|| {
        names
            .into_iter()
            .zip(figures)
            .map(|((name, at), (amount, end))| (name, at, end, amount))
            .collect()
    })
}

/// The other indexes of a list that shares the move read for the index at `start` (`c`, with
/// `mid` between the index and its verb): those listed in `mid` (`沪指、深成指均跌1%` → 深成指),
/// and those listed right before it, the list opening its clause (`创业板指，深成指均跌超1%` →
/// 创业板指; after a comma only with a word of sharing). No list with 分别: its figures are
/// each index's own.
fn listed_indexes(s: &Structure, start: usize, c: &Caps, mid: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let end = c.get(0).map_or(start, |m| m.end());
    if s.text[start..end].contains("分别") {
        return found;
    }
    let mid_at = c.name("mid").map_or(start, |m| m.start());
    if LIST_REST.is_match(mid) {
        found.extend(indexes_in(mid, mid_at));
    }
    let mut from = s.clause_start(start);
    if let Some((comma, _)) = s.text[..from]
        .char_indices()
        .next_back()
        .filter(|&(_, ch)| ch == '，' || ch == ',')
    {
        from = s.clause_start(comma).max(s.sentence_start(start));
    }
    let before = &s.text[from..start];
    if let Some(list) = LIST_BEFORE.find(before) {
        let opens = before[..list.start()]
            .chars()
            .next_back()
            .is_none_or(|ch| !crate::lexicon::is_han(ch));
        let by_comma = list.as_str().contains(['，', ',']);
        let shared = SHARED.split('|').any(|w| s.text[start..end].contains(w));
        if opens && (!by_comma || shared) {
            found.extend(indexes_in(list.as_str(), from + list.start()));
        }
    }
    found
}

/// The place (one of [`MARKET_PLACES`]) or the index family written right before a known index's
/// name (`香港` of `香港恒生指数`, `恒生` of `恒生国企指数`), as part of the name the text gives it.
fn index_lead(before: &str) -> Option<&'static str> {
    MARKET_PLACES
        .split('|')
        .chain(["恒生"])
        .find(|w| before.ends_with(w))
}

/// The rest of an index's name when a known index's name is only its start (`标普500` of
/// `标普500成长股指数`, `标准普尔500` of `标准普尔500种股票指数`, `创业板` of `创业板50指数`): a
/// few name characters and 指数 right after it, no time or trading word among them.
fn longer_index_name(mid: &str) -> Option<&str> {
    let at = mid.find("指数")?;
    let inner = &mid[..at];
    let chars = inner.chars().count();
    let name_like = inner
        .chars()
        .all(|c| crate::lexicon::is_han(c) || c.is_ascii_alphanumeric());
    let trading = inner.contains(['今', '日', '天', '盘', '收', '周', '月', '年', '早', '午']);
    ((1..=6).contains(&chars) && name_like && !trading).then(|| &mid[..at + "指数".len()])
}

/// A move in points alone, a clause of its own between an index's level and its move in percent
/// (`上证综指报收于3462.08点，上涨15.10点，涨幅0.44%`).
const POINTS_MOVE: &str =
    r"(?:上涨|下跌|大涨|大跌|收涨|收跌|涨|跌)\d{1,3}(?:,\d{3})*(?:\.\d+)?\s?(?:个?点)?";

/// An index's move in the clause after the one that names it, the later clause opening with a
/// time or an adverb only (`恒指如往常一般受外围影响，大幅低开-2.71%`, `最终恒指强势回升，最终收跌
/// -1.09%`, `恒指1月快速上涨，单月上涨9.92%`) or with the move as a noun (`道琼斯指数收于24345.75点，
/// 跌幅为4.60%`). The first clause may open with the day reported (`道琼斯指数1月10日（周一）收盘
/// 下跌163.91点，跌幅0.45%`); an index the list does not know is named before 指数
/// (`英国富时100指数收盘上涨50.80点，涨幅0.69%`).
static INDEX_CLAUSE_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<s>{INDEX_NAMES}){TICKER}(?P<first>(?:\d{{1,2}}月\d{{1,2}}日)?(?:[（(]周[一二三四五六日][）)])?(?:[^。；;，,\n%]|[,，][0-9]){{0,16}}?(?:[，,](?:{POINTS_MOVE}|创[^业指。；;，,\n%][^。；;，,\n%]{{0,15}}))?)[，,](?P<mid>(?:{MOVE_TIMES}|最后|单月|单日|单周|当月|当日|当天|全月|全周|当周|本周|上周|本月|上月|全年|年内|累计|大幅|小幅|微幅|强势|则|也|亦|但|而|并)*)(?P<d>收涨|收跌|大涨|大跌|上涨|下跌|低开|高开|涨幅|跌幅|重挫|下挫|暴涨|暴跌|飙升|攀升|上扬|走高|走低|下滑|回落|跳水|涨|跌|升|降){}",
        move_figure()
    ))
    .expect("index clause move regex")
});

/// What an index's first clause may not speak of when the next clause's move is to be the index's:
/// another measure (成交, 估值) or a part of the index (成分股, 权重, 个股, 板块).
const NOT_THE_INDEX: &[&str] = &[
    "成交",
    "量",
    "估值",
    "市盈率",
    "PE",
    "PB",
    "成分",
    "权重",
    "个股",
    "板块",
    "指数",
    "股票",
];

fn index_clause_moves(s: &Structure, out: &mut Vec<Candidate>) {
    let mut taken = Taken::all();
    for c in s.scan_needing(&INDEX_CLAUSE_MOVE, triggers!(INDEX_WORDS), b'%') {
        let whole = c.get(0).expect("match");
        let clause = c.name("first").expect("first clause");
        let index = c.name("s").expect("index");
        // a bare 指数 is the index named right before it (德国DAX30指数, 韩国KOSPI指数), if any
        let name = match index.as_str() {
            "大盘" => continue,
            "指数" => match sector_before(s, index.start(), 12) {
                Some((named, at)) if !lists_indexes(&s.text[at..index.start()]) => {
                    format!("{named}指数")
                }
                _ => continue,
            },
            named => named.split_whitespace().collect(),
        };
        // the index's futures (道指期货下跌近120点，跌幅0.5%) are a contract of their own
        if NOT_THE_INDEX.iter().any(|w| clause.as_str().contains(w))
            || clause.as_str().starts_with("期")
            || !s.stocks_in(clause.start(), clause.end()).is_empty()
        {
            continue;
        }
        let at = c.name("mid").expect("mid").start();
        let end = whole.end();
        // the same move read already (沪指早盘跌1%，午后收涨0.5%)
        taken.catch_up(out);
        if taken.overlaps(at, end) {
            continue;
        }
        let Some(amount) = move_amount(&c) else {
            continue;
        };
        out.push(price_change(
            name,
            at,
            end,
            amount,
            c.name("q").map(|m| m.as_str()),
        ));
    }
}

/// Words that may open a clause stating a move whose subject was named before it: times, spans,
/// the day's close and adverbs only (`，目前跌幅扩大至1.42%`, `，去年累计涨幅达25%`, `，2000年跌幅为50%`,
/// `，最高下跌幅度达到了11.61%`). A clause holding anything else (成交量, 房价, a name) speaks of
/// something of its own.
const CARRIED_LEAD: &str = r"(?:\d{2,4}年(?:全年|以来|至今|内|初以来)?|\d{1,2}月份?(?:以来)?|\d{1,2}日|今年以来|年初以来|年初至今|今年|去年|前年|全年|年内|本周|上周|当周|全周|周内|本月|上月|当月|全月|单月|单日|单周|当日|当天|今日|昨日|隔夜|周[一二三四五]|随后|此后|之后|最终|尾盘|午后|午盘|收盘时?|盘中|盘初|早盘|一度|再度|又|全天|全日|日内|截至收盘|目前|最新|期间的?|累计|最高|最低|最大|最小|已经|已|仍|还|更|则|也|亦|均|都|大幅|小幅|微幅|合计|区间|(?:以|收报|报收|报|收于)\d[\d,.]*点(?:收盘)?|过去[一二两三四五六七八九十\d]{1,3}(?:年|个月|周|天|日|个交易日)的?|自[^，,。；;%]{1,10}?以来)";

/// A clause stating a move with nothing before its verb but [`CARRIED_LEAD`] words.
static CARRIED_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[，,；;。！？!?\n])(?P<mid>{CARRIED_LEAD}*)(?P<d>收涨|收跌|大涨|大跌|暴涨|暴跌|重挫|下挫|飙升|攀升|上扬|回落|跳水|上涨|下跌|涨幅|跌幅|升幅|降幅|跌去|涨|跌)(?:了|幅度)?(?:亦|也|则|仍)?{POINTS_OR}(?:已经?)?(?:(?:扩大|收窄|缩减|缩小)(?:至|到)|达到|达|为|高达|至)?了?\s?(?P<q>{APPROX}|将近|接近|多达)?(?P<neg>[-−])?\s?(?P<a>{NUMBER})\s?%"
    ))
    .expect("carried move regex")
});

/// The trigger words of every subject a carried move may have.
static CARRIED_TRIGGERS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| INDEX_WORDS.iter().chain(MARKET_WORDS).copied().collect());

/// What may be named before a carried move as its subject: an index or a market.
static CARRIED_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<s>{INDEX_NAMES}|港股|美股|日股|欧股|(?:{MARKET_PLACES})股市)"
    ))
    .expect("carried subject regex")
});

/// Words between a subject and a later move that say the move is of something else: a part of the
/// market, another measure, another traded thing, or a company's figures.
const NOT_CARRIED: &[&str] = &[
    "板块",
    "行业",
    "概念",
    "个股",
    "股价",
    "成分",
    "权重",
    "成交",
    "量",
    "价",
    "期货",
    "期指",
    "合约",
    "汇率",
    "兑",
    "美元",
    "人民币",
    "欧元",
    "日元",
    "黄金",
    "原油",
    "比特币",
    "债",
    "收益",
    "基金",
    "公司",
    "收入",
    "利润",
    "营收",
    "业绩",
    "销",
    "产",
    "GDP",
    "CPI",
    "PPI",
    "经济",
    "利率",
    "估值",
    "市盈率",
    "跑赢",
    "跑输",
    "相比",
    "相对",
    "较",
    "同期",
    "超额",
    "贡献",
    "领涨",
    "领跌",
];

/// Characters that may follow a market's word when the market itself is the subject (港股市场,
/// 美股周五大跌, 港股也): a time, an adverb or a verb, not the first character of a company's name.
const MARKET_NEXT: &str =
    "今昨周本上下全当市大小整再又也亦已仍还将曾最则开收早午尾盘一近跌涨连续随同在当日月年方";

/// Words right before an index that make it a yardstick, not the subject (`跑赢沪指`).
/// (`于` covers 强于, 弱于 and 高于.)
const YARDSTICK_LEADS: &[&str] = &["跑赢", "跑输", "相对", "相比", "较", "超越", "于"];

/// A move stated in a clause of its own after its subject, an index or a market named earlier in
/// the sentence or in the sentence before it in the same paragraph, with nothing between that
/// speaks of something else (`澳大利亚股市也卷入其中，跌幅已接近3%`, `…全周最终以3462点收盘，跌了
/// 2.70%`). The subject is the last index or market named before the clause.
fn carried_moves(s: &Structure, out: &mut Vec<Candidate>) {
    let mut taken = Taken::all();
    // (only sentences naming an index or a market, and the sentence after each, can hold one)
    let named = triggers!(&CARRIED_TRIGGERS);
    let mut moves: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut indexed = 0;
    for c in s.scan_with_next_needing(&CARRIED_MOVE, named, b'%') {
        let whole = c.get(0).expect("match");
        let at = c.name("mid").expect("mid").start();
        let end = whole.end();
        // an adjective (下跌5%的个股) or a range's first figure is no move of its own
        let after = &s.text[end..];
        if after.starts_with(['的', '-', '~', '～', '至', '到']) || after.starts_with("以上的")
        {
            continue;
        }
        taken.catch_up(out);
        if taken.overlaps(at, end) {
            continue;
        }
        let sentence = s.sentence_start(at);
        let mut from = sentence;
        // (the sentence before starts before the mark that ends it)
        if let Some((end_mark, _)) = s.text[..sentence].char_indices().next_back() {
            let before = s.sentence_start(end_mark);
            if s.paragraph_start(at) <= before {
                from = before;
            }
        }
        let Some(subject) = CARRIED_SUBJECT
            .find_iter(&s.text[from..at])
            .last()
            .map(|m| (m.start() + from, m.end() + from))
        else {
            continue;
        };
        let (start, stop) = subject;
        let between = &s.text[stop..at];
        let lead = &s.text[from..start];
        // a clause opening with 其中 picks one member out of the subject (全球股市…，其中荷兰…)
        let picks_one = between
            .match_indices("其中")
            .any(|(i, _)| between[..i].ends_with([',', '，', ';', '；']));
        if picks_one
            || NOT_CARRIED.iter().any(|w| between.contains(w))
            || YARDSTICK_LEADS.iter().any(|w| lead.ends_with(w))
            || !s.stocks_in(stop, at).is_empty()
            || s.names_other_company(stop, at)
        {
            continue;
        }
        let Some(name) = carried_name(s, start, stop) else {
            continue;
        };
        // a figure between is another thing's unless it is a move of the same subject
        // (美国股市今年以来仍上涨了3%左右，去年累计涨幅达25%); the moves found so far are kept
        // by start, so that the test looks at the window's moves only
        for (i, f) in out.iter().enumerate().skip(indexed) {
            if f.kind == ClaimKind::PriceChange {
                moves.insert((f.start, i), f.end);
            }
        }
        indexed = out.len();
        let moved_before = |p: usize| {
            moves.range((from, 0)..(p + 1, 0)).any(|(&(_, i), &e)| {
                p < e && matches!(&out[i].subject, Who::Named(n) if *n == name)
            })
        };
        if between
            .match_indices('%')
            .any(|(i, _)| !moved_before(stop + i))
        {
            continue;
        }
        push_move(out, &mut taken, &c, name, at);
    }
}

/// The name a carried move takes from the index or market at `start..stop`: none for 大盘, for a
/// bare 指数 with no name before it, and for a market's word right before a company's name.
fn carried_name(s: &Structure, start: usize, stop: usize) -> Option<String> {
    let name = match &s.text[start..stop] {
        "大盘" => return None,
        // (药明生物对指数上涨贡献最大 names no index)
        "指数" => match sector_before(s, start, 12) {
            Some((named, at))
                if !lists_indexes(&s.text[at..start])
                    && !named.ends_with(['对', '在', '为', '将', '把', '被', '的']) =>
            {
                // a ticker written right after the name is part of it (恐慌指数VIX)
                let after = &s.text[stop..];
                let ticker = after
                    .find(|c: char| !c.is_ascii_uppercase())
                    .unwrap_or(after.len());
                let ticker = if (2..=6).contains(&ticker) {
                    &after[..ticker]
                } else {
                    ""
                };
                format!("{named}指数{ticker}")
            }
            _ => return None,
        },
        // a market's word before a name is that company's listing (港股佳兆业健康午后直线拉升)
        "港股" | "美股" | "日股" | "欧股"
            if s.text[stop..]
                .chars()
                .next()
                .is_some_and(|c| crate::lexicon::is_han(c) && !MARKET_NEXT.contains(c)) =>
        {
            return None
        }
        named => named.split_whitespace().collect(),
    };
    Some(name)
}

/// A move opening its clause with 分别, the figures of indexes listed in the clause before
/// (`道琼斯、标准普尔500、纳斯达克三大指数全部大幅下跌，分别跌去4.6%、4.1%、3.78%`).
static RESPECTIVE_CLAUSE_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"[，,]\s?(?P<mid>分别)(?P<d>{INDEX_VERBS}){}",
        move_figure()
    ))
    .expect("respective clause move regex")
});

/// A list of indexes opening a clause, written with list marks only, and perhaps counted after
/// (`三大指数`, `两大股指`).
static INDEX_LIST_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    let names = named_indexes();
    Regex::new(&format!(
        r"^(?:{names})(?:\s?(?:、|和|与|及|以及)\s?(?:{names}))+\s?(?:[两三四五六七八九]大(?:指数|股指|股市))?"
    ))
    .expect("index list clause regex")
});

/// Indexes listed in one clause and their figures given in order by the next, which opens with
/// 分别: each index its figure, when they are as many and the list clause holds no figure.
fn respective_clause_moves(s: &Structure, out: &mut Vec<Candidate>) {
    let mut taken = Taken::all();
    for c in s.scan_needing(&RESPECTIVE_CLAUSE_MOVE, triggers!(INDEX_WORDS), b'%') {
        let comma = c.get(0).expect("match").start();
        let clause = s.clause_start(comma);
        let Some(list) = INDEX_LIST_CLAUSE.find(&s.text[clause..comma]) else {
            continue;
        };
        let rest = &s.text[clause + list.end()..comma];
        if rest.contains(|ch: char| ch.is_ascii_digit() || ch == '%') {
            continue;
        }
        let names: Vec<(String, usize)> = indexes_in(list.as_str(), clause).collect();
        let Some(figures) = listed_figures(s, &c).filter(|f| f.len() == names.len()) else {
            continue;
        };
        taken.catch_up(out);
        let at = c.name("mid").expect("mid").start();
        if taken.overlaps(at, figures.last().map_or(at, |f| f.1)) {
            continue;
        }
        for ((name, start), (amount, end)) in names.into_iter().zip(figures) {
            out.push(price_change(name, start, end, amount, None));
        }
    }
}

/// A futures contract's move, the contract named with 期货 right before its verb
/// (`纽约2月黄金期货涨3.10美元，或0.2%`).
static NAMED_FUTURES_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<p>[\p{{Han}}A-Za-z]{{2,10}})期货(?P<mid>[早午尾盘收时今日周当天全一度也亦则]{{0,4}}?)(?P<d>{MOVE_VERBS}){}",
        move_figure()
    ))
    .expect("named futures move regex")
});

/// Exchanges and places written before a futures contract (`CBOT玉米期货`, `纽约黄金期货`,
/// `郑商所红枣期货`).
const TRADED_AT: &[&str] = &[
    "纽约商品交易所",
    "芝加哥商品交易所",
    "COMEX",
    "Comex",
    "NYMEX",
    "Nymex",
    "CBOT",
    "CME",
    "ICE",
    "LME",
    "郑商所",
    "大商所",
    "上期所",
    "中金所",
    "广期所",
    "上海国际能源交易中心",
    "郑州",
    "大连",
    "上海",
    "芝加哥",
    "纽约",
    "伦敦",
    "美国",
];

/// True for one commodity character (铜, 金) standing for its contract.
fn is_commodity(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|ch| chars.next().is_none() && COMMODITIES.contains(ch))
}

/// Spot precious metals and crude oil named by grade, moved with no 期货 or 价 in the words
/// (`现货黄金下跌0.49%`, `现货金下挫近1%`, `布伦特原油势将录得上涨0.7%`).
static SPOT_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<s>现货(?:黄金|白银|铂金|钯金|金|银)|(?:布伦特|WTI|美国|国际|纽约)原油|伦敦金|伦敦银|美油|布油)(?P<mid>[早午尾盘收时今日周当天全一度也亦则势将录得本]{{0,6}}?)(?P<d>{INDEX_VERBS}){}",
        move_figure()
    ))
    .expect("spot move regex")
});

fn spot_moves(s: &Structure, out: &mut Vec<Candidate>) {
    let mut taken = Taken::all();
    for c in s.scan_needing(&SPOT_MOVE, triggers!(&["%"]), b'%') {
        let whole = c.get(0).expect("match");
        taken.catch_up(out);
        if taken.overlaps(whole.start(), whole.end()) {
            continue;
        }
        out.extend(move_as_named(&c));
    }
}

/// A currency's rise or fall against others, said with 升值 or 贬值 (`16年人民币汇率贬值7%`,
/// `人民币兑美元升值2.9%`, `里拉兑美元贬值了44%`): the currency, or the pair as written with 兑 or 对,
/// with only a time or an adverb before the verb. Not a list with 分别, whose figures are each
/// currency's own.
static CURRENCY_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<s>(?:{CURRENCIES}|卢布|兰特|比索|里拉|韩元|卢比|新台币)(?:[兑对](?:{CURRENCIES}|一篮子货币))?)(?:的?(?:即期)?汇率|中间价)?(?P<mid>[\d年月日以来今去全本上下周季度半总体大小幅显著已经再又也亦则将累计期间内至今]{{0,10}})(?P<d>升值|贬值)(?:了|幅度)?(?:达到|达|为|高达|约)?(?P<q>{APPROX}|将近|接近)?(?P<a>{NUMBER})\s?%"
    ))
    .expect("currency move regex")
});

fn currency_moves(s: &Structure, out: &mut Vec<Candidate>) {
    let mut taken = Taken::all();
    for c in s.scan_needing(&CURRENCY_MOVE, triggers!(&["%"]), b'%') {
        let whole = c.get(0).expect("match");
        // (英镑、欧元和日元分别升值…: a list, each currency its own figure)
        if s.text[..whole.start()].ends_with(['、', '和', '及', '与']) {
            continue;
        }
        push_move(out, &mut taken, &c, c["s"].to_string(), whole.start());
    }
}

/// Currencies paired in an exchange rate (`美元兑日元`, `纽元兑美元`).
const CURRENCIES: &str =
    "美元|欧元|英镑|日元|澳元|纽元|加元|瑞郎|港元|离岸人民币|在岸人民币|人民币";

/// What may open the clause of a move said of a sentence's subject: a time, the chart it is read
/// on, the latest quote (`日内涨0.66%`, `日图跌0.23%`, `最新跌1%`).
const LATER_TIMES: &str = "日内|日图|日线|盘中|盘初|早盘|午盘|尾盘|晚盘|夜盘|收盘|最新|现|目前|截至发稿|今日|当日|全天|本周|累计|随后|此后|一度|再度|进一步|则|亦|也";

/// A move of a traded thing named at the start of its sentence: a futures contract, a spot metal
/// or crude grade, an exchange rate, the dollar index or a cryptocurrency (a contract first, so
/// that `WTI原油期货` is the contract, not the crude grade), the move either right after it
/// (`美元兑日元下跌0.5%`) or in a later clause that opens with a time or the move itself, past
/// clauses of its price (`WTI原油期货回落至78美元/桶下方，日内跌1.15%`, `比特币站上42000美元/枚，
/// 日内涨0.37%`, `现货铂金刚刚刺穿960.00美元/盎司关口，最新报959.98美元/盎司，日图跌0.23%`).
/// A pair may be written with a slash (`欧元/美元下降0.1%`), a metal's futures as 期 and the metal
/// after the exchange (`COMEX期金下跌0.7%`, `LME期铜下跌0.2%`); a metal's price is the metal's
/// (`镍价触及2015年5月高位，上涨0.8%` → 镍).
static TRADED_CLAUSE_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<s>(?P<p>[\p{{Han}}A-Za-z]{{2,10}})期货|现货(?:黄金|白银|铂金|钯金)|(?:布伦特|WTI|美国|国际|纽约)原油|伦敦金|伦敦银|美油|布油|(?:{CURRENCIES})[兑/](?:{CURRENCIES})|(?:COMEX|LME|NYMEX|SHFE|CBOT)?期[金银铜铝锌镍锡铅]|(?P<metal>[金银铜铝锌铅镍锡锂钴])价|美元指数|美指|比特币|以太坊|以太币)(?:\s?[A-Z]{{3}}/?[A-Z]{{3}})?(?:主力合约|主力)?(?P<first>[^。；;\n%]{{0,60}}?[，,])?(?P<mid>(?:{LATER_TIMES})*)(?P<d>{INDEX_VERBS})了?{POINTS_OR}(?:(?:扩大|收窄|缩小)(?:至|到)|达到|达|为)?\s?(?P<q>{APPROX}|将近|接近)?(?P<neg>[-−])?\s?(?P<a>{NUMBER})\s?%"
    ))
    .expect("traded clause move regex")
});

/// Words in the clauses between a traded thing and a later move that name something else the move
/// could be of.
const OTHER_SUBJECTS: &[&str] = &[
    "期货",
    "合约",
    "兑",
    "指数",
    "现货",
    "股",
    "板块",
    "比特币",
    "以太",
    "原油",
    "黄金",
    "白银",
];

fn traded_clause_moves(s: &Structure, out: &mut Vec<Candidate>) {
    let mut taken = Taken::all();
    for c in s.scan_needing(&TRADED_CLAUSE_MOVE, triggers!(TRADED_WORDS), b'%') {
        let subject = c.name("s").expect("subject");
        let (name, start) = match (c.name("p"), c.name("metal")) {
            (Some(p), _) => match contract_name(s, p.start(), p.end()) {
                Some(named) => named,
                None => continue,
            },
            (None, Some(metal)) => (metal.as_str().to_string(), metal.start()),
            (None, None) => (subject.as_str().to_string(), subject.start()),
        };
        if let Some(first) = c.name("first") {
            let between = first.as_str();
            if OTHER_SUBJECTS.iter().any(|w| between.contains(w))
                || !s.stocks_in(first.start(), first.end()).is_empty()
            {
                continue;
            }
        }
        push_move(out, &mut taken, &c, name, start);
    }
}

/// A quote followed by its change on an earlier day (`今日全国碳市场收盘价58.50元/吨，较前一日上涨
/// 0.72%`, `CME比特币期货BTC主力合约报47540美元，较周一纽约尾盘跌7.28%`): a move of what is quoted,
/// a contract (its product before 期货), a contract by its delivery month (its product:
/// `布伦特原油2018年3月期货结算价每桶69.2美元，比前一交易日上涨0.38美元，涨幅0.6%` → 布伦特原油) or what
/// is named before the quote; the change may be given in money first and then in percent.
static QUOTE_THEN_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:(?P<p>[\p{{Han}}A-Za-z]{{2,10}})期货(?:\s?[A-Z]{{2,4}})?(?:主力合约|主力)?|(?P<m>[\p{{Han}}A-Za-z]{{2,10}}?)(?:\d{{4}}年)?\d{{1,2}}月(?:交货的)?(?:期货|合约)(?:价格)?|(?P<n>[\p{{Han}}A-Za-z]{{2,12}}?))(?:收盘价为?|结算价为?|收报|收于|报)\s?(?:每\p{{Han}}{{1,3}})?[0-9][0-9.,]*[^，,。；;\n%]{{0,10}}?[，,][较比](?:前一日|前一交易日|上一交易日|昨日|昨天|上周[一二三四五]?|周[一二三四五日])(?:纽约尾盘|收盘)?(?P<d>上涨|下跌|涨|跌)(?:\d+(?:\.\d+)?(?:美元|美分|元|点)[，,](?:涨幅|跌幅)为?)?(?P<q>{APPROX})?(?P<a>{NUMBER})%"
    ))
    .expect("quote then move regex")
});

fn quoted_moves(s: &Structure, out: &mut Vec<Candidate>) {
    let mut taken = Taken::all();
    for c in s.scan_needing(&QUOTE_THEN_MOVE, triggers!(&["%"]), b'%') {
        let named = match (c.name("p"), c.name("m"), c.name("n")) {
            (Some(p), ..) => contract_name(s, p.start(), p.end()),
            // a contract by its delivery month (小麦3月合约, 布伦特原油2018年3月期货) is its product's
            (None, Some(m), _) => {
                product_name(s, m.start(), m.end())
                    .map(|(name, at)| match name.rfind("交易所") {
                        // the exchange it trades at is no part of it (洲际交易所布伦特原油)
                        Some(i) => {
                            let skip = i + "交易所".len();
                            (name[skip..].to_string(), at + skip)
                        }
                        None => (name, at),
                    })
                    .filter(|(name, at)| {
                        name.chars().count() >= 2 && s.stocks_in(*at, m.end()).is_empty()
                    })
            }
            // a time or a link before the name is no part of it (今日); the name is kept whole
            // (全国碳市场), the quote's kind being written apart (收盘价)
            (None, None, Some(n)) => product_name(s, n.start(), n.end())
                .map(|(_, at)| (s.text[at..n.end()].to_string(), at))
                .filter(|(name, at)| {
                    name.chars().count() >= 2
                        && !NOT_PRODUCTS.iter().any(|w| name.ends_with(w))
                        && s.stocks_in(*at, n.end()).is_empty()
                }),
            (None, None, None) => None,
        };
        let Some((name, start)) = named else {
            continue;
        };
        push_move(out, &mut taken, &c, name, start);
    }
}

/// Pushes the move match `c` states of `name`, from `start` to the match's end, unless a move
/// found before overlaps it.
fn push_move(out: &mut Vec<Candidate>, taken: &mut Taken, c: &Caps, name: String, start: usize) {
    let end = c.get(0).expect("match").end();
    taken.catch_up(out);
    if taken.overlaps(start, end) {
        return;
    }
    if let Some(amount) = move_amount(c) {
        out.push(price_change(
            name,
            start,
            end,
            amount,
            c.name("q").map(|m| m.as_str()),
        ));
    }
}

/// The move a match states of what its `s` group names, over the whole match.
fn move_as_named(c: &Caps) -> Option<Candidate> {
    let whole = c.get(0)?;
    Some(price_change(
        c["s"].to_string(),
        whole.start(),
        whole.end(),
        move_amount(c)?,
        c.name("q").map(|m| m.as_str()),
    ))
}

/// The name of the futures contract whose product is written at `start..end` right before 期货,
/// with 期货 (`纽约2月黄金期货` → 黄金期货), and where the name starts; none for words that name no
/// contract (a time, a comparison, a stock).
fn contract_name(s: &Structure, start: usize, end: usize) -> Option<(String, usize)> {
    // a Latin word the pattern's reach cut (NYMEX西德州中质原油期货 read from MEX) is read whole
    let mut start = start;
    if s.text[start..end].starts_with(|ch: char| ch.is_ascii_alphabetic()) {
        let before = &s.text[..start];
        start -= before.len()
            - before
                .trim_end_matches(|ch: char| ch.is_ascii_alphabetic())
                .len();
    }
    // a time or a link before the product is no part of it (今日, 推动)
    let (name, start) = product_name(s, start, end)?;
    let (mut name, mut start) = (name.as_str(), start);
    // a month before the product (2月黄金期货) is its delivery, no part of its name; a crude grade
    // before the month (WTI 3月原油期货) is
    let mut grade = "";
    if s.text[..start].ends_with(|ch: char| ch.is_ascii_digit()) {
        if let Some(rest) = name.strip_prefix(['月', '年']) {
            let before = s.text[..start]
                .trim_end_matches(|ch: char| ch.is_ascii_digit())
                .trim_end();
            if rest.starts_with("原油") {
                grade = ["WTI", "Brent", "布伦特"]
                    .into_iter()
                    .find(|g| before.ends_with(g))
                    .unwrap_or("");
            }
            start += name.len() - rest.len();
            name = rest;
        }
    }
    // the exchange or the place of trade (CBOT玉米期货, 美国黄金期货, 郑商所红枣期货) is no part of
    // the contract, nor what stands before it (a unit of the price before, 美元/加仑NYMEX柴油期货)
    if let Some(rest) = TRADED_AT
        .iter()
        .filter_map(|w| name.rfind(w).map(|at| at + w.len()))
        .max()
        .map(|after| &name[after..])
        .map(|rest| rest.strip_prefix("市场").unwrap_or(rest))
        .filter(|rest| rest.chars().count() >= 2 || is_commodity(rest))
    {
        start += name.len() - rest.len();
        name = rest;
    }
    let fits = (name.chars().count() >= 2 || is_commodity(name))
        && !NOT_CONTRACTS.iter().any(|w| name.contains(w))
        && !name.contains(|ch: char| "较周累节收昨日盘年月续的".contains(ch))
        && s.stocks_in(start, end).is_empty();
    fits.then(|| (format!("{grade}{name}期货"), start))
}

fn named_futures_moves(s: &Structure, out: &mut Vec<Candidate>) {
    let mut taken = Taken::all();
    for c in s.scan_needing(&NAMED_FUTURES_MOVE, triggers!(&["期货"]), b'%') {
        let p = c.name("p").expect("product");
        let Some((name, start)) = contract_name(s, p.start(), p.end()) else {
            continue;
        };
        push_move(out, &mut taken, &c, name, start);
    }
}

/// A sector's move in %, right after 板块 (`银行板块年内累计涨幅1.77%`); the sector is read
/// before it as a 指数's is.
static SECTOR_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"板块(?P<mid>[^。；;，,\n]{{0,8}}?)(?P<d>{MOVE_VERBS}){}",
        move_figure()
    ))
    .expect("sector move regex")
});

/// A sector's move as a signed figure right after 板块 (`CPO板块-3.1%`).
static SIGNED_SECTOR_MOVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"板块{}", signed_move())).expect("signed sector regex"));

fn sector_moves(s: &Structure, out: &mut Vec<Candidate>) {
    let signed = s.scan_needing(&SIGNED_SECTOR_MOVE, triggers!(&["板"]), b'%');
    for c in s
        .scan_needing(&SECTOR_MOVE, triggers!(&["板"]), b'%')
        .into_iter()
        .chain(signed)
    {
        let whole = c.get(0).expect("match");
        let mid = &c["mid"];
        // sectors listed before one 板块 and 分别, each with its own figure
        if mid.contains("分别") {
            out.extend(respectively_listed(s, &c, whole.start(), "板块"));
            continue;
        }
        // a part of the sector (个股, 公司) or another measure (成交, 资金, 营收) moved
        // (and 板块中X: one of its members)
        if mid.starts_with('中')
            || [
                "股", "公司", "成交", "量", "资金", "市值", "收入", "营收", "利润", "业绩", "占",
                "指数",
            ]
            .iter()
            .any(|w| mid.contains(w))
        {
            continue;
        }
        let Some(amount) = move_amount(&c) else {
            continue;
        };
        let Some((name, start)) = sector_before(s, whole.start() + "板块".len(), 8) else {
            continue;
        };
        out.push(price_change(
            name,
            start,
            whole.end(),
            amount,
            c.name("q").map(|m| m.as_str()),
        ));
    }
}

/// Indexes of sectors listed before one 指数 and 分别 (`本周石化及油气行业指数分别下降2.43%、2.44%`).
static RESPECTIVE_INDEX_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<suffix>行业指数|板块指数|指数)分别(?P<d>{INDEX_VERBS}){}",
        move_figure()
    ))
    .expect("respective index move regex")
});

fn respective_index_moves(s: &Structure, out: &mut Vec<Candidate>) {
    let mut taken = Taken::all();
    for c in s.scan_needing(&RESPECTIVE_INDEX_MOVE, triggers!(&["指"]), b'%') {
        let suffix = c.name("suffix").expect("suffix");
        let listed = respectively_listed(s, &c, suffix.start(), suffix.as_str());
        // indexes the list knows (沪深300和中证500指数分别…) were read with their names
        taken.catch_up(out);
        if listed
            .first()
            .is_some_and(|m| taken.overlaps(m.start, c.get(0).expect("match").end()))
        {
            continue;
        }
        out.extend(listed);
    }
}

/// Time words a listed sector may open with that are no part of its name.
const LIST_TIMES: &[&str] = &[
    "本周", "上周", "当周", "本月", "上月", "当月", "今日", "昨日", "今天", "昨天", "全年", "年内",
    "近期",
];

/// The moves of sectors listed before one `suffix` (板块, 指数) at `suffix_start` and 分别, each
/// taking its figure in order (`银行、券商板块分别上涨2%、3%` → 银行板块 2, 券商板块 3); none when the
/// names and the figures are not as many, or a name is no sector's.
fn respectively_listed(
    s: &Structure,
    c: &Caps,
    suffix_start: usize,
    suffix: &str,
) -> Vec<Candidate> {
    let clause = s.clause_start(suffix_start);
    let run = &s.text[clause..suffix_start];
    let mut names: Vec<(&str, usize)> = Vec::new();
    let mut from = 0;
    // (the run's end closes its last name)
    for (i, ch) in run.char_indices().chain(std::iter::once((run.len(), '、'))) {
        if !LIST_MARKS.contains(&ch) {
            continue;
        }
        let part = &run[from..i];
        let mut name = part.trim();
        let mut start = clause + from + (part.len() - part.trim_start().len());
        for lead in LIST_LEADS.iter().chain(LIST_TIMES) {
            if let Some(rest) = name.strip_prefix(lead) {
                start += lead.len();
                name = rest;
            }
        }
        names.push((name, start));
        from = i + ch.len_utf8();
    }
    let plain = |name: &str| {
        (1..=8).contains(&name.chars().count())
            && !NOT_SECTORS.iter().any(|w| name.contains(w))
            && name
                .chars()
                .all(|ch| crate::lexicon::is_han(ch) || ch.is_ascii_alphanumeric())
    };
    if names.len() < 2
        || !names.iter().all(|(name, _)| plain(name))
        || !s.stocks_in(clause, suffix_start).is_empty()
    {
        return Vec::new();
    }
    let Some(figures) = listed_figures(s, c).filter(|f| f.len() == names.len()) else {
        return Vec::new();
    };
    names
        .into_iter()
        .zip(figures)
        .map(|((name, start), (amount, end))| {
            price_change(format!("{name}{suffix}"), start, end, amount, None)
        })
        .collect()
}

/// A move shared by the sectors or themes listed before it, the list filling its clause
/// (`农林牧渔、电子元器件、计算机、建材等跌幅超过5%`, `国防军工、餐馆旅游指数跌逾6%`), with what
/// closes the list (等, 指数, 板块 …) and a word for "all of them" (均, 集体) before the move.
static LISTED_SECTOR_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"等?(?P<suffix>行业指数|概念指数|板块指数|指数|板块|行业|概念股|概念|题材|股指|股市)?(?:均|全线|集体|纷纷|皆|都|齐)?(?P<d>{MOVE_VERBS})(?:均|都)?{}(?:(?:{RANGE_SEP})(?P<b>{NUMBER})%)?",
        move_figure()
    ))
    .expect("listed sector move regex")
});

/// Words that make a list of names one of sectors or themes when they stand in it or shortly
/// before it (`行业板块方面，…`, `概念指数中，…`).
const SECTOR_CONTEXT: &[&str] = &["板块", "行业", "概念", "题材"];

/// Words of markets abroad: near them, a list of unknown names is one of companies.
const FOREIGN_MARKETS: &[&str] = &[
    "港股",
    "美股",
    "中概",
    "纳指",
    "道指",
    "标普",
    "恒指",
    "恒生",
    "纳斯达克",
    "道琼斯",
];

/// How far back, in characters, [`SECTOR_CONTEXT`] and [`FOREIGN_MARKETS`] are looked for.
const SECTOR_CONTEXT_CHARS: usize = 120;

/// Words a listed name may open with that are no part of it.
const LIST_LEADS: &[&str] = &["其中", "此外", "另外", "同时", "以及", "而", "则", "但"];

/// Words that make a listed item something other than a sector (a measure, a time, a stock's
/// price).
const NOT_SECTORS: &[&str] = &[
    "的", "今日", "昨日", "本周", "上周", "全年", "年内", "收入", "利润", "营收", "销量", "价格",
    "股价", "净值", "成交", "规模", "业绩", "增速", "占比", "个股", "公司",
    // each has a figure of its own (铜、铝分别上涨…)
    "分别",
    // a kind described after the examples (煤炭、化工等周期性行业): no list of names
    "等",
];

fn listed_sector_moves(s: &Structure, out: &mut Vec<Candidate>) {
    let first = out.len();
    for c in s.scan_needing(&LISTED_SECTOR_MOVE, triggers!(&["%"]), b'%') {
        let whole = c.get(0).expect("match");
        let list_end = whole.start();
        let clause = s.clause_start(list_end);
        let raw = &s.text[clause..list_end];
        let trimmed = raw.trim_start_matches(|ch: char| ch.is_whitespace());
        let mut at = list_end - trimmed.len();
        let mut list = trimmed;
        for lead in LIST_LEADS {
            if let Some(rest) = list.strip_prefix(lead) {
                at += lead.len();
                list = rest;
            }
        }
        let Some(items) = sector_items(list, at) else {
            continue;
        };
        // stocks or other companies listed share a move of their own prices, not a sector's
        if !s.stocks_in(at, list_end).is_empty() || s.names_other_company(at, list_end) {
            continue;
        }
        let back = s.text[..at]
            .char_indices()
            .rev()
            .nth(SECTOR_CONTEXT_CHARS - 1)
            .map_or(0, |(i, _)| i);
        let near = &s.text[back..list_end];
        // names listed bare are sectors only where the text speaks of sectors, and not of a
        // market abroad, whose companies (恒大物业、融创服务跌近3%) the dictionaries do not hold
        let bare_sectors = SECTOR_CONTEXT.iter().any(|w| near.contains(w))
            && !FOREIGN_MARKETS.iter().any(|w| near.contains(w));
        if c.name("suffix").is_none() && !bare_sectors {
            continue;
        }
        let Some(amount) = move_amount(&c) else {
            continue;
        };
        // markets listed before 股市 or 股指 are each that market's (日本、韩国股市 → 日本股市)
        let market = c
            .name("suffix")
            .map(|m| m.as_str())
            .filter(|w| matches!(*w, "股指" | "股市"));
        for (name, start) in items {
            // a name another reader has taken with its move (the last one, before its 指数)
            if out[..first]
                .iter()
                .any(|m| m.start <= start && start < m.end)
            {
                continue;
            }
            out.push(price_change(
                format!("{name}{}", market.unwrap_or("")),
                at,
                whole.end(),
                amount,
                c.name("q").map(|m| m.as_str()),
            ));
        }
    }
}

/// The names of a list of two or more sectors written from `at` (`农林牧渔、电子元器件、计算机、建材`,
/// `银行、券商和保险`), each with where it starts; `None` when a part is no short name.
fn sector_items(list: &str, at: usize) -> Option<Vec<(&str, usize)>> {
    let mut items = Vec::new();
    let mut offset = at;
    for part in list.split('、') {
        items.push((part, offset));
        offset += part.len() + '、'.len_utf8();
    }
    // the last two joined by 和, 及 or 与 (券商和保险)
    if let Some(&(last, start)) = items.last() {
        for mark in ['和', '及', '与'] {
            if let Some((a, b)) = last.split_once(mark) {
                if (2..=8).contains(&a.chars().count()) && (2..=8).contains(&b.chars().count()) {
                    items.pop();
                    items.push((a, start));
                    items.push((b, start + a.len() + mark.len_utf8()));
                    break;
                }
            }
        }
    }
    let short_name = |name: &str| {
        (2..=8).contains(&name.chars().count())
            && name
                .chars()
                .all(|ch| crate::lexicon::is_han(ch) || ch.is_ascii_alphanumeric())
            && !name.chars().all(|ch| ch.is_ascii_digit())
            && !NOT_SECTORS.iter().any(|w| name.contains(w))
            // a time (1月, 上半年, 周五 as the last word) is no sector
            && !name.ends_with(['年', '月', '日', '周', '天'])
    };
    (items.len() >= 2 && items.iter().all(|&(name, _)| short_name(name))).then_some(items)
}

fn market_moves(s: &Structure, out: &mut Vec<Candidate>) {
    for c in s.scan_needing(&MARKET_MOVE, triggers!(MARKET_WORDS), b'%') {
        let whole = c.get(0).expect("match");
        if !market_lead_ok(&s.text[..whole.start()]) {
            continue;
        }
        out.extend(move_as_named(&c));
    }
}

/// The name of a sector or theme written right before 指数 at `end` (`昨日通信板块指数` →
/// 通信板块), two to `longest` characters (eight for a sector; twelve for an index, whose names
/// run longer: `芝加哥期权交易所波动性指数`), with no time before it and no stock in it.
fn sector_before(s: &Structure, end: usize, longest: usize) -> Option<(String, usize)> {
    let start = name_run_start(&s.text[..end], longest + 2)?;
    let (name, mut at) = product_name(s, start, end)?;
    // a conjunction or a weekday before the name is no part of it (但MSCI亚太指数, 周五美元指数)
    let mut name = name.as_str();
    for lead in [
        "但", "而", "则", "并", "且", "以", "同期", "做多", "做空", "之后", "此后", "随后", "其后",
        "然后", "当时", "此时", "目前", "如今", "同时",
    ] {
        if let Some(rest) = name.strip_prefix(lead) {
            (name, at) = (rest, at + lead.len());
        }
    }
    // a time of day before it (21点德国DAX指数)
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && name[digits..].starts_with('点') {
        let skip = digits + '点'.len_utf8();
        (name, at) = (&name[skip..], at + skip);
    }
    if name.starts_with('周')
        && name
            .chars()
            .nth(1)
            .is_some_and(|c| "一二三四五六日末".contains(c))
    {
        let skip = name.char_indices().nth(2).map_or(name.len(), |(i, _)| i);
        (name, at) = (&name[skip..], at + skip);
    }
    // a space inside a Latin name (STOXX 600) is no part of the subject
    let name: String = name.split_whitespace().collect();
    let chars = name.chars().count();
    // a count of indexes (三大指数, 卫星导航等逾10个概念指数) names none; digits alone are the
    // tail of a name cut short (斯托克 600指数)
    let counted = counts_indexes(&name);
    // (a time cut from 周二板块 leaves no name)
    let fits = (2..=longest).contains(&chars)
        && !counted
        && !matches!(name.as_str(), "板块" | "指数")
        && !name.chars().all(|c| c.is_ascii_digit())
        && s.stocks_in(at, end).is_empty();
    fits.then_some((name, at))
}

/// True when the words before 指数 count indexes rather than name one (三大指数, 主要指数).
fn counts_indexes(before: &str) -> bool {
    ["三大", "两大", "各大", "主要"]
        .iter()
        .any(|w| before.contains(w))
        || lists_indexes(before)
}

/// True when the words before 指数 list some and count the rest (锂矿、稀土等逾20个概念指数):
/// no one index moved by the figure, unlike the market's own three (三大指数).
fn lists_indexes(before: &str) -> bool {
    before.contains('等')
        || before.char_indices().any(|(i, ch)| {
            ch == '个'
                && before[..i].ends_with(|n: char| {
                    n.is_ascii_digit() || "几多数十百千两三四五六七八九".contains(n)
                })
        })
}

/// Where the run of han and Latin characters that ends `text` starts, `most` characters at most
/// (a space between two Latin characters belongs to the run: `欧洲STOXX 600`).
fn name_run_start(text: &str, most: usize) -> Option<usize> {
    let mut start = None;
    let mut after: Option<char> = None;
    let mut rev = text.char_indices().rev().peekable();
    let mut taken = 0;
    while let Some((i, ch)) = rev.next() {
        // (a space inside a Latin name, no-break spaces as published included: CAC 40)
        let latin_gap = matches!(ch, ' ' | '\u{a0}')
            && after.is_some_and(|a| a.is_ascii_alphanumeric())
            && rev.peek().is_some_and(|&(_, b)| b.is_ascii_alphanumeric());
        if taken == most || !(ch.is_ascii_alphanumeric() || crate::lexicon::is_han(ch) || latin_gap)
        {
            break;
        }
        start = Some(i);
        after = Some(ch);
        taken += 1;
    }
    start
}

const NOT_PRODUCTS: &[&str] = &[
    "股", "个股", "公司", "板块", "指数", "股价", "发行", "成交", "收盘", "开盘", "目标", "单",
    "房", "估", // 物价 and 居民消费价格: the general price level, no product's
    "物", "消费",
];

/// Commodities named by one character before 价 (铜价, 金价, 铀价, 油价).
const COMMODITIES: &str = "金银铜铝锌铅镍锡铀锂钴钼钨油煤钢铁糖棉";

fn price_moves(s: &Structure, out: &mut Vec<Candidate>) {
    for c in s.scan_needing(&PRICE_MOVE, triggers!(&["价"]), b'%') {
        let whole = c.get(0).expect("match");
        // The product is the run of up to twelve han or Latin characters before 价格, looked
        // up here rather than in the pattern (a bounded Unicode class there bloats the DFA).
        let raw_start = s.text[..whole.start()]
            .char_indices()
            .rev()
            .take(12)
            .take_while(|&(_, ch)| ch.is_ascii_alphanumeric() || crate::lexicon::is_han(ch))
            .last()
            .map_or(whole.start(), |(i, _)| i);
        let raw_end = whole.start();
        let Some((subject, subject_start)) =
            product_name(s, raw_start, raw_end).or_else(|| named_before_abbreviation(s, raw_start))
        else {
            continue;
        };
        // a commodity may be one character (铜价, 金价, 铀价); other names are two or more
        let one_char_commodity =
            subject.chars().count() == 1 && COMMODITIES.contains(subject.as_str());
        if NOT_PRODUCTS.iter().any(|w| subject.ends_with(w))
            || (subject.chars().count() < 2 && !one_char_commodity)
        {
            continue;
        }
        if !s.stocks_in(subject_start, raw_end).is_empty() {
            continue; // a stock's price, not a product's
        }
        let Some(amount) = move_amount(&c) else {
            continue;
        };
        out.push(price_change(
            subject,
            subject_start,
            whole.end(),
            amount,
            c.name("q").or(c.name("cmp")).map(|m| m.as_str()),
        ));
    }
}

/// A product named before its abbreviation in brackets, where what follows the brackets names
/// only the kind of price (`西德州中质原油（WTI）期货价格上涨…` → 西德州中质原油): the name before
/// the brackets and where it starts.
fn named_before_abbreviation(s: &Structure, end: usize) -> Option<(String, usize)> {
    let head = &s.text[..end];
    let inner = head.strip_suffix(['）', ')'])?;
    let open = inner.rfind(['（', '('])?;
    let abbreviation = inner[open..].trim_start_matches(['（', '(']);
    if abbreviation.is_empty()
        || abbreviation.len() > 10
        || !abbreviation.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let start = name_run_start(&inner[..open], 12)?;
    product_name(s, start, open)
}

/// Contracts listed before their move in a futures market report (`国内商品期货收盘，LPG涨逾3%，
/// 焦煤、沪银等涨超1%`, `红枣主力合约涨超5%`), each name written in full: the report's subjects
/// are the contracts.
static FUTURES_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<names>[\p{{Han}}A-Za-z]{{1,6}}?(?:[、和及与][\p{{Han}}A-Za-z]{{1,6}}?)*)(?:主力合约|主力)?(?:夜盘|日盘)?等?(?:最多|至少|一度|均)?(?P<d>大涨|大跌|上涨|下跌|收涨|收跌|涨|跌){}",
        move_figure()
    ))
    .expect("futures move regex")
});

/// The marks between the names of a list (铜、铝和锌).
const LIST_MARKS: [char; 4] = ['、', '和', '及', '与'];

/// Words that name no contract: the market, its parts and its times.
const NOT_CONTRACTS: &[&str] = &[
    "期货", "商品", "收盘", "开盘", "夜盘", "午盘", "早盘", "盘中", "主力", "合约", "品种", "板块",
    "指", "指数", "其中", "多数", "全线", "普遍", "集体", "今日", "今天", "涨跌", "个股",
];

fn futures_moves(s: &Structure, out: &mut Vec<Candidate>) {
    for c in s.scan_needing(&FUTURES_MOVE, triggers!(&["%"]), b'%') {
        let names = c.name("names").expect("names");
        // the list opens its clause: a report's items are clauses of their own
        let opens_clause = s.text[..names.start()]
            .chars()
            .next_back()
            .is_none_or(|ch| "，,；;。：:】 \n".contains(ch));
        if !opens_clause || !s.stocks_in(names.start(), names.end()).is_empty() {
            continue;
        }
        let Some(amount) = move_amount(&c) else {
            continue;
        };
        let list = names.as_str();
        let mut at = 0;
        let items: Vec<(String, usize)> = list
            .split(LIST_MARKS)
            .map(|name| {
                let item = (name.to_string(), names.start() + at);
                at += name.len();
                at += list[at..].chars().next().map_or(0, char::len_utf8);
                item
            })
            .collect();
        // a contract's name has two characters at least (PP, 焦煤) and no word of time,
        // comparison or sum (较周三, 本周累计, 昨日日盘)
        if items.iter().any(|(n, _)| {
            n.chars().count() < 2
                || n.contains(|ch: char| "较周累节收昨日盘年月续".contains(ch))
                || NOT_CONTRACTS.iter().any(|w| n.contains(w))
        }) {
            continue;
        }
        // …in a paragraph about futures, not a stock market's sectors in the same article
        let para = &s.text[s.paragraph_start(names.start())..s.line_end(names.start())];
        if !["期货", "合约", "期市", "夜盘"]
            .iter()
            .any(|w| para.contains(w))
        {
            continue;
        }
        let whole = c.get(0).expect("match");
        for (name, start) in items {
            out.push(price_change(
                name,
                start,
                whole.end(),
                amount,
                c.name("q").map(|m| m.as_str()),
            ));
        }
    }
}

/// Rates listed one per measure after a change cue (`环比变动分别为7.3%、-11.9%、-11.7%`, `同比上涨
/// 40.5%、33.5%`): two or more signed percentages, each optionally with its sign written apart.
static RATE_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<cmp>同比|环比)?(?:分别)?(?P<cmp2>同比|环比)?(?P<d>变动|变化|增减|增长|上涨|下跌|下降|上升|减少|增加|涨幅|跌幅|增幅|降幅|上调|下调)(?:幅度)?(?:分别)?(?:为|是|达)?\s?(?P<list>[-−+]?\s?\d+(?:\.\d+)?\s?%(?:\s?(?:、|,|，|和|及|与)\s?[-−+]?\s?\d+(?:\.\d+)?\s?%)+)",
    )
    .expect("rate list regex")
});

/// One signed rate of a [`RATE_LIST`].
static LISTED_RATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<neg>[-−])?\s?\+?\s?(?P<a>\d+(?:\.\d+)?)\s?%").expect("rate regex")
});

/// Products named in a list before their prices (`铜、铝、铅、锌现货均价分别为…`), at the start of
/// a clause, after a time at most.
static PRODUCT_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\d{4}年(?:\d{1,2}月份?)?|其中|本周|上周|当周|本月|上月|当月|今年|去年|全年|年内|近期|目前)?(?P<names>[\p{Han}A-Za-z0-9]{1,8}?(?:[(（][\p{Han}A-Za-z]{1,6}[)）])?(?:[、和及与][\p{Han}A-Za-z0-9]{1,8}?(?:[(（][\p{Han}A-Za-z]{1,6}[)）])?)+)(?:平均|现货|期货|市场|销售|批发|零售|出厂|均)*价格?(?:分别)?",
    )
    .expect("product list regex")
});

/// The object of a sale (`销售商品肉鸡3475.87万只` → 商品肉鸡), for a price said of `销售均价` alone.
static SOLD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"销售(?:了)?(?P<p>\p{Han}{1,6}?)\s?\d+(?:\.\d+)?\s?万?(?:头|只|羽|吨|公斤|千克|斤)")
        .expect("sold regex")
});

/// Price moves listed with the other measures of a sales bulletin or a price report, one rate per
/// measure in order: the measures named before the cue (`生猪销量、销售收入和销售均价环比变动分别
/// 为…`), the products named before their prices (`铜、铝、铅、锌现货均价分别为…，同比上涨40.5%、
/// 33.5%、3.4%、22.1%`), or one amount per clause before it (`销售生猪8101头，收入568万元，生猪
/// 销售均价15.61元/公斤，环比变动分别为7.3%、-11.9%、-11.7%`); the price's rate is a
/// `price_change` of its product. A list that does not count as many rates as measures says nothing.
fn listed_price_moves(s: &Structure, out: &mut Vec<Candidate>) {
    for c in s.scan_needing(&RATE_LIST, triggers!(&["价"]), b'%') {
        let list = c.name("list").expect("list");
        let rates: Vec<f64> = LISTED_RATE
            .captures_iter(list.as_str())
            .filter_map(|r| {
                let v = number::parse(&r["a"])?;
                Some(if r.name("neg").is_some() { -v } else { v })
            })
            .collect();
        let falling = matches!(&c["d"], "下跌" | "下降" | "减少" | "跌幅" | "降幅" | "下调");
        let qualifier = c.name("cmp").or(c.name("cmp2")).map(|m| m.as_str());
        let cue = c.get(0).expect("match").start();
        let end = list.end();
        for (product, at, slot) in listed_prices(s, cue, rates.len()) {
            let v = rates[slot];
            out.push(price_change(
                product,
                at,
                end,
                Amount::One(if falling { -v } else { v }),
                qualifier,
            ));
        }
    }
}

/// The products whose prices a list of `n` rates at `cue` gives, each with where its statement
/// starts and its place in the list.
fn listed_prices(s: &Structure, cue: usize, n: usize) -> Vec<(String, usize, usize)> {
    let is_measure = |name: &str| MEASURES.iter().any(|w| name.contains(w));
    let clause = s.clause_start(cue);
    let sentence = s.sentence_start(cue);
    let lead = &s.text[clause..cue];
    if !lead.trim().is_empty() {
        let names: Vec<&str> = lead.split(['、', '和', '及']).collect();
        // the measures named before the cue, in its own clause (生猪销量、销售收入和销售均价…)
        let prices = names.iter().filter(|m| names_a_price(m)).count();
        if names.len() == n
            && prices == 1
            && names.iter().all(|m| names_a_price(m) || is_measure(m))
        {
            let slot = names
                .iter()
                .position(|m| names_a_price(m))
                .expect("one price");
            return listed_product(s, sentence, &names)
                .map(|p| vec![(p, clause, slot)])
                .unwrap_or_default();
        }
        // the products named before their prices, the cue in the same clause (棉纱、化纤、涤纶和
        // 锦纶价格分别较上月分别下跌…)
        return products_listed(s, clause, s.clause_end(clause), n);
    }
    // the clauses before the cue's, back over other lists of rates (同比变动分别为… after 环比…)
    let mut clauses: Vec<(usize, usize)> = Vec::new();
    let mut end = clause;
    while end > sentence {
        let start = s.clause_start(end - 1);
        let text = &s.text[start..end];
        let rate_list = text.contains("分别") && text.contains('%');
        // (only the lists right before the cue are read past)
        if !(rate_list && clauses.is_empty()) {
            clauses.push((start, end));
        }
        if clauses.len() == n || start <= sentence {
            break;
        }
        end = start;
    }
    // the products named before their prices, in the clause right before the cue
    if let Some(&(start, end)) = clauses.first() {
        let listed = products_listed(s, start, end, n);
        if !listed.is_empty() {
            return listed;
        }
    }
    // one amount per clause, the price's among them
    if clauses.len() != n
        || clauses.iter().any(|&(a, b)| {
            let t = &s.text[a..b];
            t.contains('%') || !t.contains(|c: char| c.is_ascii_digit())
        })
    {
        return Vec::new();
    }
    clauses.reverse();
    let measures: Vec<&str> = clauses.iter().map(|&(a, b)| &s.text[a..b]).collect();
    let prices: Vec<usize> = (0..n).filter(|&i| names_a_price(measures[i])).collect();
    let [slot] = prices[..] else {
        return Vec::new();
    };
    listed_product(s, sentence, &measures)
        .map(|p| vec![(p, clauses[slot].0, slot)])
        .unwrap_or_default()
}

/// True when a measure listed beside others is a price (`销售均价`, `价格`).
fn names_a_price(measure: &str) -> bool {
    measure.contains("均价") || measure.contains("价格")
}

/// Words that name a measure of a business beside its price (销量, 销售收入 …).
const MEASURES: &[&str] = &[
    "销量",
    "收入",
    "产量",
    "销售额",
    "营收",
    "利润",
    "出栏",
    "头数",
    "数量",
    "销售",
];

/// Products named in a list before their prices at the start of the clause `start..end`, when
/// it gives each a figure (`分别`) and they are as many as the rates.
fn products_listed(
    s: &Structure,
    start: usize,
    end: usize,
    n: usize,
) -> Vec<(String, usize, usize)> {
    let text = s.text[start..end].trim_start();
    let at = start + (s.text[start..end].len() - text.len());
    let Some(m) = PRODUCT_LIST.captures(text) else {
        return Vec::new();
    };
    let names: Vec<&str> = m["names"].split(LIST_MARKS).collect();
    // a product is a short name, not a phrase (面向家庭, 统计局食品) or a source
    let plain = |name: &str| {
        // (a place in brackets after the product, 丁二烯(韩国), is no part of its length)
        let bare = name.split(['(', '（']).next().unwrap_or(name);
        (1..=6).contains(&bare.chars().count())
            && !name.contains(['的', '将', '向', '对', '在', '为', '部', '局', '以'])
            && !NOT_PRODUCTS.iter().any(|w| name.ends_with(w))
    };
    if names.len() != n
        || !text.contains("分别")
        || !names.iter().all(|name| plain(name))
        || !s.stocks_in(start, end).is_empty()
    {
        return Vec::new();
    }
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            // a Latin grade before 油价 names the crude (布伦特和WTI油价 → WTI)
            let name = name
                .strip_suffix('油')
                .filter(|grade| grade.chars().all(|c| c.is_ascii_alphanumeric()))
                .unwrap_or(name);
            (name.to_string(), at, i)
        })
        .collect()
}

/// The product of the price among `measures` (`生猪销售均价15.61元/公斤` → 生猪); for a bare
/// `销售均价`, the product another measure names (`生猪销量` → 生猪) or what the sentence says
/// was sold (`销售商品肉鸡3475.87万只` → 商品肉鸡).
fn listed_product(s: &Structure, sentence: usize, measures: &[&str]) -> Option<String> {
    let named_before = |measure: &str, words: &[&str]| -> Option<String> {
        let at = words.iter().find_map(|w| measure.find(w))?;
        let lead = &measure[..at];
        let from = lead
            .char_indices()
            .rev()
            .take_while(|&(_, c)| crate::lexicon::is_han(c))
            .last()
            .map_or(at, |(i, _)| i);
        // a time or a possessive before the product is no part of it (12月生猪销量, 其生猪销量)
        let named = lead[from..]
            .trim_start_matches(['月', '年', '份', '度', '日', '周', '的', '其'])
            .trim_start_matches("公司");
        let fits = named.chars().count() >= 2 && !NOT_PRODUCTS.iter().any(|w| named.ends_with(w));
        fits.then(|| named.to_string())
    };
    let price = measures.iter().find(|m| names_a_price(m))?;
    named_before(price, &["销售均价", "均价", "价格"])
        .or_else(|| {
            measures
                .iter()
                .find_map(|m| named_before(m, &["销量", "产量", "出栏"]))
        })
        .or_else(|| {
            SOLD.captures(&s.text[sentence..])
                .map(|c| c["p"].to_string())
        })
}

/// The product named right before 价格: the last word, joined to a Latin word before it
/// (NAND闪存); verbs and particles in front are dropped.
/// Names of places in products' and indexes' names that hold a word otherwise cut before a name.
const NAMES_HOLDING_LEADS: &[&str] = &["波罗的海"];

fn product_name(s: &Structure, start: usize, end: usize) -> Option<(String, usize)> {
    let raw = &s.text[start..end];
    const LEADS: &[&str] = &[
        "推动",
        "带动",
        "导致",
        "使得",
        "预计",
        "将",
        "的",
        "和",
        "及",
        "与",
        "其中",
        "今年",
        "本周",
        "近期",
        "目前",
        "季度",
        "隔夜",
        "半年",
        "今日",
        "昨日",
        "本月",
        "近日",
        "全年",
        "年内",
        "财季",
        "财年",
        "警惕",
        "关注",
        "整体",
        "上旬",
        "中旬",
        "下旬",
        "以来",
        "起",
        "迄今",
        "周一",
        "周二",
        "周三",
        "周四",
        "周五",
        "周六",
        "周日",
        // a conjunction, and the source or the index a price is read from (商务部食品价格,
        // CPI食品价格 are 食品's)
        "而",
        "但",
        "商务部",
        "统计局",
        "CPI",
        "PPI",
    ];
    // a time before the product is no part of it (1月份食品价格, 3个月期原油均价)
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\d+\s?(?:个月期|个月|月份|月|年度|年|周|日)").expect("time regex")
    });
    let mut cut = TIME.find_iter(raw).last().map_or(0, |m| m.end());
    // names that hold a lead word (波罗的海干散货运价指数) are not cut at it
    let held = |at: usize| {
        NAMES_HOLDING_LEADS.iter().any(|name| {
            raw.match_indices(name)
                .any(|(from, _)| from < at && at < from + name.len())
        })
    };
    for lead in LEADS {
        if let Some((i, _)) = raw.rmatch_indices(lead).find(|&(i, _)| !held(i)) {
            cut = cut.max(i + lead.len());
        }
    }
    // what kind of price it is (现货平均价, 市场价格, 平均出厂价格) is no part of the product
    let mut name = &raw[cut..];
    while let Some(rest) = [
        "市场",
        "现货",
        "期货",
        "结算",
        "出厂",
        "批发",
        "零售",
        "平均",
        "销售均",
        "均",
    ]
    .iter()
    .find_map(|w| name.strip_suffix(w))
    {
        name = rest;
    }
    (!name.is_empty()).then(|| (name.to_string(), start + cut))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(kind: ClaimKind, start: usize, end: usize) -> Candidate {
        Candidate::new(kind, Who::Named("沪指".into()), start, end)
    }

    /// Every overlap answer of `Taken` agrees with testing every span, for spans of many lengths
    /// added in no order and some sharing a start.
    #[test]
    fn taken_agrees_with_testing_every_span() {
        let mut found = Vec::new();
        let mut taken = Taken::all();
        // a fixed, spread sequence of spans (a linear congruential walk)
        let mut x: usize = 7;
        for _ in 0..300 {
            x = (x * 1103 + 12345) % 10007;
            let start = x % 2000;
            let len = [1, 3, 9, 40, 250][x % 5];
            found.push(span(ClaimKind::PriceChange, start, start + len));
            taken.catch_up(&found);
            for probe in (0..2300).step_by(7) {
                for width in [0, 1, 5, 60] {
                    let every = found
                        .iter()
                        .any(|f| f.start < probe + width && probe < f.end);
                    assert_eq!(
                        taken.overlaps(probe, probe + width),
                        every,
                        "{probe}..{}",
                        probe + width
                    );
                }
            }
        }
    }

    /// Spans before `first` and of other kinds are not taken when the list is followed from
    /// `first` or held for one kind.
    #[test]
    fn taken_keeps_to_its_part_and_kind() {
        let found = vec![
            span(ClaimKind::PriceChange, 0, 10),
            span(ClaimKind::Turnover, 20, 30),
            span(ClaimKind::PriceChange, 40, 50),
        ];
        let mut from_one = Taken::following(1);
        from_one.catch_up(&found);
        assert!(!from_one.overlaps(5, 6));
        assert!(from_one.overlaps(25, 26) && from_one.overlaps(45, 46));
        let mut turnover = Taken::of_kind(ClaimKind::Turnover);
        turnover.catch_up(&found);
        assert!(turnover.overlaps(29, 35));
        assert!(!turnover.overlaps(0, 10) && !turnover.overlaps(30, 40));
    }
}

//! Recognition: every stock, concept and organisation an article refers to.
//!
//! Takes a [`Doc`] (normalised text + its one segmentation) and gives [`Mention`]s in text order.
//! One Aho-Corasick pass (leftmost-longest) finds dictionary forms; each match must sit on the
//! segmenter's token boundaries, so a name buried in a longer word is not taken. Then, with the
//! article as context:
//! - names that are also ordinary words or themes (`ambiguous.tsv`, or a stock name that is also a
//!   concept, like 机器人) count as stocks only with stock context: a stock-market word right after
//!   them (涨停, 连板, 晋级, 股价, 公告 …), a code beside them, or another stock right before or after
//!   them in a list. Followed by 概念/板块/方向/题材 they are themes. Otherwise they are dropped;
//! - six-digit codes count where the context makes them codes (exchange prefix or suffix,
//!   brackets, a 股票代码 label, the stock's name beside it), never when a unit follows;
//! - article-local short forms: once a stock is named, the first two characters of its name (铭普)
//!   or, for four-character names, its first and third (华辽) refer to it, when distinctive;
//! - one-character typos: a homophone of a unique stock name (润健股份 → 润建股份), or one character
//!   off a stock named elsewhere in the article (润资科技 → 润泽科技), each reported as a warning;
//! - a name's first two characters with the company's business (美邦农药 → 美邦股份), used as a
//!   stock, reported as a warning.
//!
//! [`Recognizer::find`] holds the order of these steps; each has its own file:
//! - `context.rs`: context rules for ambiguous names (words after them, list neighbours);
//! - `codes.rs`: six-digit codes;
//! - `variants.rs`: article-local short forms, typo repair, short names in stock lists.

mod codes;
mod context;
mod variants;

use std::collections::HashMap;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::calendar::Day;
use crate::lexicon::{is_han, FormKind, Lexicon, Sense};
use crate::segment::{Doc, Segmenter};

/// What a mention refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// A stock, by index in the lexicon.
    Stock(u32),
    /// A concept, by index.
    Concept(u32),
    /// An organisation, by index.
    Organization(u32),
}

/// How a mention was recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchHow {
    /// A dictionary form of the given kind.
    Form(FormKind),
    /// A six-digit code.
    Code,
    /// An article-local short form of a name found elsewhere in the article.
    ShortForm,
    /// A one-character misspelling, corrected.
    Typo,
    /// A name's first two characters with the company's business (美邦农药).
    Variant,
}

/// One place where the article refers to an entity; offsets are bytes of the normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The entity.
    pub entity: Entity,
    /// Byte start in the normalised text.
    pub start: usize,
    /// Byte end in the normalised text.
    pub end: usize,
    /// How it was recognised.
    pub how: MatchHow,
}

/// What [`Recognizer::find`] gives for one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recognized {
    /// Every mention, in text order; two overlap only when they cover the same span.
    pub mentions: Vec<Mention>,
    /// One warning per typo corrected or name variant read as a stock.
    pub warnings: Vec<String>,
}

/// Finds mentions; built once, shared by every worker.
pub struct Recognizer {
    lexicon: Arc<Lexicon>,
    segmenter: Arc<Segmenter>,
    /// First two and last two characters of every four-character han stock name, as the number
    /// their six UTF-8 bytes spell ([`variants::six_bytes`]), so that text is tested without decoding it.
    name_halves: FxHashSet<u64>,
    /// Listed stocks by the first two characters of their current name.
    by_prefix: HashMap<[char; 2], Vec<u32>>,
    /// Short names written with the company's business ([`variants::business_names`]).
    business_names: FxHashMap<[char; 4], u32>,
    /// The business words of `business_names` (their last two characters), as the number their
    /// six UTF-8 bytes spell: most tokens of two characters are tested without decoding them.
    business_words: FxHashSet<u64>,
    /// The words after which two characters may be a stock's short name
    /// ([`variants::short_name_cues`]), found in one pass over the text.
    short_name_cues: aho_corasick::AhoCorasick,
}

/// A name that needs context to be read: its span and its senses.
type Pending<'l> = (usize, usize, &'l [Sense]);

impl Recognizer {
    /// A recogniser over the lexicon, checking matches against the segmenter's tokens.
    pub fn new(lexicon: Arc<Lexicon>, segmenter: Arc<Segmenter>) -> Recognizer {
        let by_prefix = variants::stocks_by_prefix(&lexicon);
        let name_halves = variants::name_halves(&lexicon);
        let business_names = variants::business_names(&lexicon, &by_prefix, &segmenter);
        let business_words = variants::business_words(&business_names);
        Recognizer {
            business_names,
            business_words,
            short_name_cues: variants::short_name_cues(),
            lexicon,
            segmenter,
            name_halves,
            by_prefix,
        }
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Every mention in an undated document: [`Recognizer::find_dated`] without a date, so
    /// names that changed hands mean today's bearer.
    pub fn find(&self, doc: &Doc) -> Recognized {
        self.find_dated(doc, None)
    }

    /// Every mention in the document written on `date`, in text order, and warnings about
    /// corrected typos and names whose bearer on that date the data could not decide.
    ///
    /// The steps, each over what the ones before it found: dictionary names, codes, the names
    /// that needed context, the bearer of each name on the date, names written with the
    /// company's business, short forms of the names found, typos, short names in lists.
    pub fn find_dated(&self, doc: &Doc, date: Option<Day>) -> Recognized {
        let mut mentions = Vec::new();
        let pending = self.find_names(doc, &mut mentions);
        self.find_codes(doc, &mut mentions);
        sort(&mut mentions);
        self.resolve_ambiguous(doc, &mut mentions, pending);
        sort(&mut mentions);
        let mut warnings = Vec::new();
        if let Some(day) = date {
            self.date_names(doc, day, &mut mentions, &mut warnings);
        }
        self.find_business_names(doc, &mut mentions, &mut warnings);
        sort(&mut mentions);
        self.find_short_forms(doc, &mut mentions);
        self.find_typos(doc, &mut mentions, &mut warnings);
        sort(&mut mentions);
        self.find_list_short_names(doc, &mut mentions, &mut warnings);
        sort(&mut mentions);
        self.find_traded_short_names(doc, &mut mentions);
        sort(&mut mentions);
        Recognized { mentions, warnings }
    }

    /// The plain matcher fupan's rules are measured against: every dictionary form the
    /// leftmost-longest automaton finds, wherever it is, read as its first sense (a stock before
    /// a theme or an organisation), with no token boundaries, context, codes, dates, short forms
    /// or typos (`fupan eval --plain`).
    pub fn find_plain(&self, doc: &Doc) -> Recognized {
        let mut mentions = Vec::new();
        for m in self.lexicon.find_forms(doc.text()) {
            let senses = self.lexicon.senses(m.pattern().as_usize());
            self.push_senses(&mut mentions, m.start(), m.end(), senses, false);
        }
        sort(&mut mentions);
        Recognized {
            mentions,
            warnings: Vec::new(),
        }
    }

    /// Names that more than one company bore (`name_history.tsv`) mean the one that bore them
    /// on `day`; a warning says when the data could not decide.
    fn date_names(
        &self,
        doc: &Doc,
        day: Day,
        mentions: &mut [Mention],
        warnings: &mut Vec<String>,
    ) {
        let text = doc.text();
        for m in mentions.iter_mut() {
            let (
                MatchHow::Form(FormKind::Current | FormKind::StForm | FormKind::Former),
                Entity::Stock(today),
            ) = (&m.how, m.entity)
            else {
                continue;
            };
            let written = &text[m.start..m.end];
            let upper;
            let form = if written.bytes().any(|b| b.is_ascii_lowercase()) {
                upper = written.to_ascii_uppercase();
                upper.as_str()
            } else {
                written
            };
            if !self.lexicon.is_contested(form) {
                continue;
            }
            if let Some((idx, warning)) = self.lexicon.bearer_on(form, day, today) {
                m.entity = Entity::Stock(idx);
                warnings.extend(warning);
            }
        }
    }

    /// Dictionary forms on token boundaries: unambiguous ones become mentions in `out`; the
    /// names that need context are returned (span and senses), in text order.
    fn find_names<'l>(&'l self, doc: &Doc, out: &mut Vec<Mention>) -> Vec<Pending<'l>> {
        let mut pending = Vec::new();
        for m in self.lexicon.find_forms(doc.text()) {
            let (start, end) = (m.start(), m.end());
            if !self.on_boundaries(doc, start, end) {
                continue;
            }
            let form = self.lexicon.pattern(m.pattern().as_usize());
            let senses = self.lexicon.senses(m.pattern().as_usize());
            // a three-character name whose text reads as two words across its start (交易思维 ⊃
            // 易思维: 交易 + 思维; 创新动力, 打新风光) is those words; a nickname or a short form
            // (和易中天, 尾盘中石油) is written to be read as one
            if form.chars().count() == 3
                && !senses.iter().any(|s| s.form == FormKind::Alias)
                && self.splits_otherwise(doc.text(), start, end)
            {
                continue;
            }
            if self.needs_context(form, senses) {
                pending.push((start, end, senses));
            } else {
                self.push_senses(out, start, end, senses, false);
            }
        }
        pending
    }

    /// Stock, concept and organisation mentions for the senses of one match; with `non_stock`
    /// only the concept / organisation senses are used.
    fn push_senses(
        &self,
        out: &mut Vec<Mention>,
        start: usize,
        end: usize,
        senses: &[Sense],
        non_stock: bool,
    ) {
        let best_stock = senses
            .iter()
            .filter(|s| !matches!(s.form, FormKind::Concept | FormKind::Organization))
            .min_by_key(|s| {
                let listed = s.form == FormKind::Alias || self.lexicon.stock(s.target).listed;
                (s.form, !listed)
            });
        if let (Some(sense), false) = (best_stock, non_stock) {
            let how = MatchHow::Form(sense.form);
            if sense.form == FormKind::Alias {
                for &idx in &self.lexicon.alias_targets[sense.target as usize] {
                    out.push(mention(Entity::Stock(idx), start, end, how.clone()));
                }
            } else {
                out.push(mention(Entity::Stock(sense.target), start, end, how));
            }
            return;
        }
        // A form can name both a theme board and a company (英伟达 / 英伟达概念): keep one of each.
        let concept = senses.iter().find(|s| s.form == FormKind::Concept);
        let org = senses.iter().find(|s| s.form == FormKind::Organization);
        if let Some(s) = concept {
            let how = MatchHow::Form(s.form);
            out.push(mention(Entity::Concept(s.target), start, end, how));
        }
        if let Some(s) = org {
            let how = MatchHow::Form(s.form);
            out.push(mention(Entity::Organization(s.target), start, end, how));
        }
    }

    /// A match counts only where it does not cut through a word of the segmentation.
    fn on_boundaries(&self, doc: &Doc, start: usize, end: usize) -> bool {
        let text = doc.text();
        let first = text[start..].chars().next().unwrap_or(' ');
        let last = text[..end].chars().next_back().unwrap_or(' ');
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if first.is_ascii_alphanumeric() && before.is_some_and(|c| c.is_ascii_alphanumeric()) {
            return false;
        }
        if last.is_ascii_alphanumeric() && after.is_some_and(|c| c.is_ascii_alphanumeric()) {
            return false;
        }
        if in_handle(text, start) || names_an_organisation(&text[end..]) {
            return false;
        }
        let chars = text[start..end].chars().count();
        let starts = doc.tokens.starts_at(start);
        let ends = doc.tokens.ends_at(end);
        match chars {
            0..=3 => starts && ends,
            // a four-character name cut out of a longer word (中国新能源 ⊃ 国新能源) must at
            // least start where a token starts, and not where the text reads as two words
            // across its start
            4..=5 => {
                (starts || (ends && !doc.tokens.inside_word(start)))
                    && !self.splits_otherwise(text, start, end)
            }
            _ => true,
        }
    }

    /// The character before a name joins the name's first character into a word, and the rest
    /// of the name is a word too (中国新能源 reads 中国 新能源, not 中 国新能源).
    fn splits_otherwise(&self, text: &str, start: usize, end: usize) -> bool {
        let Some(prev) = text[..start].chars().next_back().filter(|&c| is_han(c)) else {
            return false;
        };
        let mut name = text[start..end].chars();
        let Some(first) = name.next() else {
            return false;
        };
        let rest = name.as_str();
        let joined: String = [prev, first].iter().collect();
        self.segmenter.has_word(&joined) && self.segmenter.has_word(rest)
    }
}

/// `start` is inside a user handle (`@六脉神剑股份`): an `@` before it with no space or
/// punctuation between.
fn in_handle(text: &str, start: usize) -> bool {
    for c in text[..start].chars().rev().take(20) {
        if c == '@' || c == '＠' {
            return true;
        }
        if !(c.is_alphanumeric() || c == '_' || c == '-') {
            return false; // a space or a punctuation mark ends a handle
        }
    }
    false
}

/// The words after a name make it part of an association's name (中国移动通信联合会): a few
/// han characters and an association suffix, with nothing between.
fn names_an_organisation(after: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "联合会",
        "协会",
        "学会",
        "商会",
        "委员会",
        "研究会",
        "基金会",
        "联盟",
    ];
    let run: usize = after
        .chars()
        .take_while(|&c| is_han(c))
        .take(8)
        .map(char::len_utf8)
        .sum();
    SUFFIXES.iter().any(|suffix| after[..run].contains(suffix))
}

/// The start of the line `start` is on, when every character between it and `start` is one
/// `allowed` says may stand before a name that heads a line (spaces, an item's number and mark);
/// `None` as soon as another character comes. The walk back stops at the first character that
/// is not allowed, so checking every mention of a long line costs what the heads cost, not the
/// line's length times the mentions (searching back for the line's start made a one-line file
/// of many megabytes quadratic to read).
fn line_head_start(text: &str, start: usize, allowed: impl Fn(char) -> bool) -> Option<usize> {
    let mut at = start;
    for c in text[..start].chars().rev() {
        if c == '\n' {
            return Some(at);
        }
        if !allowed(c) {
            return None;
        }
        at -= c.len_utf8();
    }
    Some(0)
}

fn mention(entity: Entity, start: usize, end: usize, how: MatchHow) -> Mention {
    Mention {
        entity,
        start,
        end,
        how,
    }
}

/// True when a mention of `sorted` (sorted by start) overlaps `start..end`. Mentions do not nest
/// beyond a group sharing one span (易中天), so a few entries before `end` decide.
fn overlaps(sorted: &[Mention], start: usize, end: usize) -> bool {
    let upto = sorted.partition_point(|m| m.start < end);
    sorted[..upto].iter().rev().take(4).any(|m| start < m.end)
}

/// Sorts mentions by position and keeps them from overlapping: a mention that starts inside an
/// earlier one is dropped, unless it covers exactly the same span (a nickname for several stocks,
/// or a concept and a company named by one word). Later stages rely on this.
fn sort(mentions: &mut Vec<Mention>) {
    mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    mentions.dedup_by(|a, b| a.entity == b.entity && a.start == b.start);
    let mut kept: Vec<Mention> = Vec::with_capacity(mentions.len());
    for m in mentions.drain(..) {
        match kept.last() {
            Some(k) if m.start < k.end && !(m.start == k.start && m.end == k.end) => {}
            _ => kept.push(m),
        }
    }
    *mentions = kept;
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, OnceLock};

    use super::*;

    /// The recogniser over the built-in dictionaries, built once for all the tests.
    pub(super) fn recognizer() -> &'static Recognizer {
        static R: OnceLock<Recognizer> = OnceLock::new();
        R.get_or_init(|| {
            let lexicon = Arc::new(Lexicon::builtin().unwrap());
            let segmenter = Arc::new(Segmenter::new(&lexicon));
            Recognizer::new(lexicon, segmenter)
        })
    }

    /// Codes of the stocks found in `text`, in order of first mention.
    fn stocks(text: &str) -> Vec<String> {
        stocks_on(text, None).0
    }

    /// Each case's text (named) has exactly the stocks it lists, in order of first mention.
    fn assert_stocks(cases: &[(&str, &str, &[&str])]) {
        for (name, text, want) in cases {
            assert_eq!(stocks(text), *want, "case {name:?}: {text}");
        }
    }

    /// Codes of the stocks found in `text` written on `date`, and the warnings.
    fn stocks_on(text: &str, date: Option<&str>) -> (Vec<String>, Vec<String>) {
        let r = recognizer();
        let doc = Doc::new(text, &r.segmenter);
        let found = r.find_dated(&doc, date.and_then(Day::parse));
        let mentions = found.mentions;
        let mut codes: Vec<String> = Vec::new();
        for m in mentions {
            if let Entity::Stock(i) = m.entity {
                let code = r.lexicon.stock(i).code.clone();
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        }
        (codes, found.warnings)
    }

    #[test]
    fn the_plain_matcher_takes_every_form() {
        let r = recognizer();
        let codes = |text: &str| -> Vec<String> {
            let doc = Doc::new(text, &r.segmenter);
            let found = r.find_plain(&doc).mentions;
            let stocks = found.iter().filter_map(|m| match m.entity {
                Entity::Stock(i) => Some(r.lexicon.stock(i).code.clone()),
                _ => None,
            });
            stocks.collect()
        };
        // words and themes the rules leave alone, the plain matcher takes
        assert_eq!(codes("让老百姓享受实惠"), ["603883"]);
        assert_eq!(codes("看好机器人方向"), ["300024"]);
        assert_eq!(codes("利通电子涨停"), ["603629"]);
        // no codes, no typos
        assert!(codes("关注603629.SH，润健股份").is_empty());
    }

    #[test]
    fn names_that_are_something_else_here() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "numerals count places",
                "因为有了高度，才有二三四五的锚定",
                &[],
            ),
            (
                "numerals first in a numbered line",
                "13.二六三 北京 云计算",
                &["002467"],
            ),
            (
                "a name cut across two words",
                "美国不买中国新能源风光储",
                &[],
            ),
            (
                "a three-character name cut across two words",
                "看不懂的是交易思维，企业创新动力强了",
                &[],
            ),
            (
                "a nickname read as one across a word",
                "这里应该是和易中天一个节奏，尾盘中石油助攻",
                &["300502", "300308", "300394", "601857"],
            ),
            (
                "a theme the stock is filed under",
                "光伏的中利集团、机器人的首开股份",
                &["002309", "600376"],
            ),
            ("a user handle", "感谢 @六脉神剑股份 @鹅毛摆风", &[]),
            (
                "part of an association's name",
                "中国移动通信联合会公布名单",
                &[],
            ),
            ("the same name alone", "中国移动公布名单", &["600941"]),
            (
                "a name that is also a theme, before a quarter as Hong Kong writes it",
                "中芯国际第三季营收同比增长7.8%",
                &["688981"],
            ),
        ];
        assert_stocks(cases);
    }

    #[test]
    fn short_names_used_like_stocks() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "trader words after",
                "雪龙跌停，荣晟自爆，真心看不懂",
                &["603949", "603165"],
            ),
            ("no trader word", "雪龙在南极", &[]),
            (
                "a common word before a trader word",
                "龙头断板，大业那次秒板",
                &[],
            ),
            (
                "joined to a stock by 和",
                "带崩赤天化和金牛，情绪差",
                &["600227", "600722"],
            ),
            (
                "a list item beside half an item",
                "重新挖掘，泽宇新能，扬电科技也是对板块的认可",
                &["301179", "301012"],
            ),
            (
                "two characters swapped",
                "长江通信，烽火通信，长华光芯，科华数据",
                &["600345", "600498", "688048", "002335"],
            ),
            (
                "suffix variant of the one four-character name",
                "同兴股份，安泰集团",
                &["003027", "600408"],
            ),
            (
                "a place among a line's columns",
                "24.宝丰能源 宁夏 煤化工 氢能源",
                &["600989"],
            ),
            (
                "a clause before half an item",
                "数据显示，扬电科技也是",
                &["301012"],
            ),
            (
                "the name's head with the company's business, and then its head alone",
                "美邦农药9板破局，美邦断板",
                &["605033"],
            ),
            (
                "the name's head with its theme, in a list of stocks",
                "三模型是新赛农业，生意宝跨境",
                &["600540", "002095"],
            ),
            ("the same with no sign of a stock", "美邦农药的产品", &[]),
            (
                "a company outside the A-share market",
                "科兴生物：上半年净利润为51亿美元",
                &[],
            ),
        ];
        assert_stocks(cases);
    }

    #[test]
    fn ambiguous_names_in_company_news() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "headline colon",
                "人民网：2018年净利润同比增长",
                &["603000"],
            ),
            (
                "headline after a bracket",
                "【老百姓：拟收购药店】",
                &["603883"],
            ),
            (
                "event word: reduction",
                "据悉，老百姓减持计划实施完毕",
                &["603883"],
            ),
            ("event word: acquisition", "新产业收购一家公司", &["300832"]),
            ("event word: shareholder", "值得买股东拟减持", &["300785"]),
            ("event word: chairman", "太平洋董事长辞职", &["601099"]),
            ("event word: inquiry", "数据港问询函回复", &["603881"]),
            (
                "a period and a verb of earning before what it reports",
                "数据港前三季度实现营收12.15亿元",
                &["603881"],
            ),
            (
                "a verb of earning alone",
                "数据港实现净利润1.36亿元",
                &["603881"],
            ),
            ("a place that earns nothing", "国际数据港实现突破", &[]),
            ("event word: dividend", "老百姓分红方案出炉", &["603883"]),
            (
                "code in brackets",
                "新大陆（000997.SZ）发布公告",
                &["000997"],
            ),
            ("trader verb before", "明天打板新大陆", &["000997"]),
            ("trader word after", "新大陆弱转强", &["000997"]),
            ("core after", "人民网核心", &["603000"]),
            ("core before is prose", "其核心驱动力在于", &[]),
            // what stays a word, a theme or an index
            ("ordinary word", "让老百姓享受实惠", &[]),
            ("word after 直接", "直接老百姓", &[]),
            ("index named after a company", "东方财富全A指数下跌", &[]),
            (
                "theme heading with a stock list",
                "机器人：润泽科技、利通电子",
                &["300442", "603629"],
            ),
            ("theme leader", "龙头机器人", &[]),
            ("not a headline mid-line", "他说老百姓：要实惠", &[]),
            ("hk code after", "新世界（00017.HK）公告", &[]),
        ];
        assert_stocks(cases);
    }

    #[test]
    fn typo_repair_is_guarded() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("inside a longer word", "推动碳中和科技创新", &[]),
            ("a broker that is no stock", "安信证券研报指出", &[]),
            (
                "a broker beside a stock one character off",
                "中信证券与安信证券",
                &["600030"],
            ),
            (
                "a broker beside another",
                "国信证券、安信证券联合承销",
                &["002736"],
            ),
            ("another broker's head", "华泰证券和华创证券", &["601688"]),
            ("hk-listed namesake", "康臣药业（1681.HK）发布公告", &[]),
            ("hk code alone guards", "润健股份(1234.HK)", &[]),
            ("still repaired", "润健股份提供算力", &["002929"]),
            (
                "still repaired beside the name",
                "中核科技涨停，中和科技晋级",
                &["000777"],
            ),
        ];
        assert_stocks(cases);
    }

    #[test]
    fn names_mean_their_bearer_on_the_date() {
        let cases: &[(&str, &str, Option<&str>, &str, bool)] = &[
            (
                "old bearer",
                "金冠电气发布公告",
                Some("2017-05-02"),
                "300510",
                false,
            ),
            (
                "today's bearer",
                "金冠电气发布公告",
                Some("2025-05-02"),
                "688517",
                false,
            ),
            (
                "no date: today's",
                "金冠电气发布公告",
                None,
                "688517",
                false,
            ),
            (
                "st, 2018",
                "*ST海投公告称",
                Some("2018-11-20"),
                "600896",
                false,
            ),
            (
                "st, 2022",
                "*ST海投公告称",
                Some("2022-01-10"),
                "000616",
                false,
            ),
            ("st, no date", "*ST海投公告称", None, "000616", false),
            (
                "st lowercase",
                "*st海投公告称",
                Some("2018-11-20"),
                "600896",
                false,
            ),
            (
                "gap: nearest, warned",
                "金冠电气发布公告",
                Some("2019-03-01"),
                "300510",
                true,
            ),
            (
                "one bearer: no change",
                "利通电子发布公告",
                Some("2017-05-02"),
                "603629",
                false,
            ),
        ];
        for (name, text, date, want, warned) in cases {
            let (codes, warnings) = stocks_on(text, *date);
            assert_eq!(codes, [*want], "case {name:?}");
            let history_warnings = warnings
                .iter()
                .filter(|w| w.contains("name_history"))
                .count();
            assert_eq!(history_warnings > 0, *warned, "case {name:?}: {warnings:?}");
        }
    }

    /// A short form that is also a word (莲花) is the stock named in full elsewhere only where a
    /// stock's name stands: heading a list item or listed beside a stock, not in prose.
    #[test]
    fn short_forms_that_are_words() {
        let r = recognizer();
        let text = "看了几家：鸿博股份、莲花（以前叫莲花健康）、中贝通信。\n2. 莲花：上半年营收11.5亿。\n池塘里的莲花开了。";
        let doc = Doc::new(text, &r.segmenter);
        let found = r.find_dated(&doc, None);
        let lotus: Vec<&str> = found
            .mentions
            .iter()
            .filter(|m| matches!(m.entity, Entity::Stock(i) if r.lexicon.stock(i).code == "600186"))
            .map(|m| &doc.text()[m.start..m.end])
            .collect();
        assert_eq!(lotus, ["莲花", "莲花健康", "莲花"], "{:?}", found.mentions);
    }

    #[test]
    fn cases() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("current name", "利通电子在手3000P", &["603629"]),
            ("former name", "目前市场最高连板是博信股份", &["600083"]),
            ("st form", "*ST博信复牌", &["600083"]),
            ("code with suffix", "关注603629.SH", &["603629"]),
            ("code with prefix", "sz002929走强", &["002929"]),
            ("code in brackets", "（行情002756,诊股）", &["002756"]),
            ("amount is not a code", "成交额600519亿", &[]),
            (
                "an index's code",
                "上证指数（000001）收跌，上证50(000016)走强",
                &[],
            ),
            (
                "a stock's code after its name",
                "平安银行（000001）大涨",
                &["000001"],
            ),
            ("nickname", "宁王反包，茅台护盘", &["300750", "600519"]),
            (
                "nickname for three",
                "易中天集体回调",
                &["300502", "300308", "300394"],
            ),
            (
                "short form after full name",
                "铭普光磁涨停，铭普明天看分歧",
                &["002902"],
            ),
            ("homophone typo", "润健股份提供算力", &["002929"]),
            (
                "typo next to the right name",
                "润泽科技发布年报。周五涨停的润资科技",
                &["300442"],
            ),
            ("theme, not the stock", "机器人概念继续走强", &[]),
            (
                "a stock's name that a theme board also uses",
                "中芯国际第三季度销售收入环比增长7.8%",
                &["688981"],
            ),
            (
                "stock in a list",
                "涨停：机器人、润泽科技",
                &["300024", "300442"],
            ),
            ("name inside a longer word", "海峡两岸交流", &[]),
            ("traditional script", "恆潤股份公佈業績", &["603985"]),
        ];
        assert_stocks(cases);
    }

    #[test]
    fn a_line_head_is_found_by_walking_back_over_allowed_characters_only() {
        let mark = |c: char| c.is_whitespace() || c.is_ascii_digit() || "、.".contains(c);
        let text = "第一行，很长的文字\n 12、莲花：营收";
        let name = text.find("莲花").unwrap();
        assert_eq!(line_head_start(text, name, mark), text.find(' '));
        // a character not allowed before the name on its line: no head
        let text = "第一行\n公司莲花：营收";
        assert_eq!(
            line_head_start(text, text.find("莲花").unwrap(), mark),
            None
        );
        // the text's first line starts at 0, and a name opening a line has an empty head
        assert_eq!(line_head_start("3.莲花", 2, mark), Some(0));
        let text = "上一行\n莲花";
        assert_eq!(line_head_start(text, 10, mark), Some(10));
    }
}

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
//!   off a stock named elsewhere in the article (润资科技 → 润泽科技), each reported as a warning.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::lexicon::{four_chars, is_han, FormKind, Lexicon, Sense};
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
    /// their six UTF-8 bytes spell ([`six_bytes`]), so that text is tested without decoding it.
    name_halves: FxHashSet<u64>,
    /// Listed stocks by the first two characters of their current name.
    by_prefix: HashMap<[char; 2], Vec<u32>>,
}

/// Words that, right after a name, show it is used as a stock.
const STOCK_AFTER: &[&str] = &[
    "涨停",
    "跌停",
    "连板",
    "一字",
    "首板",
    "二板",
    "三板",
    "四板",
    "晋级",
    "封板",
    "炸板",
    "反包",
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
    "(",
    "（",
    "[",
    "【",
];
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
];
/// Suffixes too generic to tell stocks apart: a typo must not be in them.
const GENERIC_SUFFIXES: &[&str] = &[
    "科技", "股份", "电子", "集团", "控股", "传媒", "能源", "电气", "智能", "材料", "医药", "生物",
    "环保", "新材", "光电", "通信", "信息", "技术", "软件", "数据", "网络", "银行", "证券", "实业",
    "发展", "电力", "汽车", "精工", "机电", "药业", "制药", "文化", "环境", "装备", "机械", "化工",
    "新能", "国际", "物流", "电器", "重工", "食品", "农业", "矿业", "资源", "建设", "工业", "设计",
];

static CODE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(sh|sz|bj)\.?)?(\d{6})(?:\.(sh|sz|bj|ss))?").expect("code regex")
});

impl Recognizer {
    /// A recogniser over the lexicon, checking matches against the segmenter's tokens.
    pub fn new(lexicon: Arc<Lexicon>, segmenter: Arc<Segmenter>) -> Recognizer {
        let mut name_halves = FxHashSet::default();
        let mut by_prefix: HashMap<[char; 2], Vec<u32>> = HashMap::new();
        for (i, s) in lexicon.stocks.iter().enumerate() {
            let c: Vec<char> = s.name.chars().collect();
            if s.listed && c.len() >= 3 && is_han(c[0]) && is_han(c[1]) {
                by_prefix.entry([c[0], c[1]]).or_default().push(i as u32);
            }
        }
        for s in &lexicon.stocks {
            if four_chars(&s.name).is_some_and(|c| c.iter().all(|&x| is_han(x))) {
                let bytes = s.name.as_bytes(); // four han characters: three bytes each
                name_halves.insert(six_bytes(&bytes[..6]));
                name_halves.insert(six_bytes(&bytes[6..]));
            }
        }
        Recognizer {
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

    /// Every mention in the document, in text order, and warnings about corrected typos.
    pub fn find(&self, doc: &Doc) -> Recognized {
        let text = doc.text();
        let mut mentions = Vec::new();
        let mut pending = Vec::new();
        for m in self.lexicon.find_forms(text) {
            let (start, end) = (m.start(), m.end());
            if !self.on_boundaries(doc, start, end) {
                continue;
            }
            let form = self.lexicon.pattern(m.pattern().as_usize());
            let senses = self.lexicon.senses(m.pattern().as_usize());
            if self.needs_context(form, senses) {
                pending.push((start, end, senses));
            } else {
                self.push_senses(&mut mentions, start, end, senses, false);
            }
        }
        self.find_codes(doc, &mut mentions);
        sort(&mut mentions);
        // Ambiguous names beside each other (中国出版人民网、新华传媒) resolve one after the other.
        loop {
            let before = pending.len();
            pending.retain(|&(start, end, senses)| {
                match self.context(doc, &mentions, start, end) {
                    Usage::Stock => {
                        self.push_senses(&mut mentions, start, end, senses, false);
                        false
                    }
                    _ => true,
                }
            });
            sort(&mut mentions);
            if pending.len() == before {
                break;
            }
        }
        // Left undecided: long names stand as stocks unless used as a theme or a data source;
        // short ones (2–3 characters) are too often ordinary words.
        for (start, end, senses) in pending {
            let usage = self.context(doc, &mentions, start, end);
            let long = text[start..end].chars().count() >= 4;
            let only_stock = senses
                .iter()
                .all(|s| !matches!(s.form, FormKind::Concept | FormKind::Organization));
            let cited = text[..start].ends_with('据') || text[..start].ends_with("来源");
            let as_stock = matches!(usage, Usage::Unknown) && long && only_stock && !cited;
            self.push_senses(&mut mentions, start, end, senses, !as_stock);
        }
        sort(&mut mentions);
        self.find_short_forms(doc, &mut mentions);
        let mut warnings = Vec::new();
        self.find_typos(doc, &mut mentions, &mut warnings);
        sort(&mut mentions);
        self.find_list_short_names(doc, &mut mentions, &mut warnings);
        sort(&mut mentions);
        Recognized { mentions, warnings }
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

    /// A name needs context when it is listed as ambiguous or is both a stock and a theme.
    fn needs_context(&self, form: &str, senses: &[Sense]) -> bool {
        let is_stock = senses
            .iter()
            .any(|s| !matches!(s.form, FormKind::Concept | FormKind::Organization));
        let is_other = senses
            .iter()
            .any(|s| matches!(s.form, FormKind::Concept | FormKind::Organization));
        is_stock && (is_other || self.lexicon.is_ambiguous(form))
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
        let chars = text[start..end].chars().count();
        let starts = doc.tokens.starts_at(start);
        let ends = doc.tokens.ends_at(end);
        match chars {
            0..=3 => starts && ends,
            // a four-character name cut out of a longer word (中国新能源 ⊃ 国新能源) must at
            // least start where a token starts
            4..=5 => starts || (ends && !doc.tokens.inside_word(start)),
            _ => true,
        }
    }

    /// How an ambiguous name is used at `start..end`.
    fn context(&self, doc: &Doc, mentions: &[Mention], start: usize, end: usize) -> Usage {
        let text = doc.text();
        let after = &text[end..];
        let after = after.trim_start_matches([' ', '\u{3000}']);
        if THEME_AFTER.iter().any(|w| after.starts_with(w)) {
            return Usage::Theme;
        }
        if STOCK_AFTER.iter().any(|w| after.starts_with(w)) || starts_with_board_count(after) {
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

    /// Six-digit codes in code context.
    fn find_codes(&self, doc: &Doc, out: &mut Vec<Mention>) {
        let text = doc.text();
        if !has_six_digits(text) {
            return;
        }
        for caps in CODE_RE.captures_iter(text) {
            let whole = caps.get(0).expect("match");
            let digits = caps.get(2).expect("digits");
            let Some((idx, stock)) = self.lexicon.stock_by_code(digits.as_str()) else {
                continue;
            };
            // an exchange prefix glued to a longer Latin word (e.g. "tsh600519") is not one
            if caps.get(1).is_some()
                && text[..whole.start()].ends_with(|c: char| c.is_ascii_alphanumeric())
            {
                continue;
            }
            let before = text[..whole.start()].chars().next_back();
            let after = text[whole.end()..].chars().next();
            // part of a longer number, a decimal, or a quantity with a unit
            if before.is_some_and(|c| c.is_ascii_digit() || c == '.')
                || after.is_some_and(|c| c.is_ascii_digit() || c == '.' || is_unit_char(c))
            {
                continue;
            }
            let marked = caps.get(1).is_some() || caps.get(3).is_some();
            let bracketed = before.is_some_and(|c| "(（[【".contains(c))
                || after.is_some_and(|c| ")）]】,，".contains(c));
            let labelled = text[..whole.start()].ends_with("代码")
                || text[..whole.start()].ends_with("代码：")
                || text[..whole.start()].ends_with("代码:")
                || text[..whole.start()].ends_with("行情");
            let window_start = text.floor_char_boundary(whole.start().saturating_sub(24));
            let window_end = text.ceil_char_boundary(whole.end() + 24);
            let named = text[window_start..window_end].contains(stock.name.as_str());
            let listed_alone = before.is_none_or(|c| c == '\n' || c == ' ' || c == '\t')
                && after.is_none_or(|c| c.is_whitespace() || is_han(c));
            if marked || bracketed || labelled || named || listed_alone {
                out.push(mention(
                    Entity::Stock(idx),
                    whole.start(),
                    whole.end(),
                    MatchHow::Code,
                ));
            }
        }
    }

    /// Article-local short forms of stocks already named in full.
    fn find_short_forms(&self, doc: &Doc, out: &mut Vec<Mention>) {
        let text = doc.text();
        let mut candidates: FxHashMap<[char; 2], Option<u32>> = FxHashMap::default();
        for m in out.iter() {
            let Entity::Stock(idx) = m.entity else {
                continue;
            };
            if !matches!(m.how, MatchHow::Form(FormKind::Current | FormKind::Former)) {
                continue;
            }
            let name: Vec<char> = text[m.start..m.end].chars().collect();
            if name.len() < 3 || !name.iter().all(|&c| is_han(c)) {
                continue;
            }
            let mut forms = vec![[name[0], name[1]]];
            if name.len() == 4 {
                forms.push([name[0], name[2]]);
            }
            for f in forms {
                candidates
                    .entry(f)
                    .and_modify(|v| {
                        if *v != Some(idx) {
                            *v = None
                        }
                    })
                    .or_insert(Some(idx));
            }
        }
        // Every usable short form is two han characters: one pass over the text's character
        // pairs finds them all (a search per form went over the text once per stock named).
        let mut usable: FxHashMap<[char; 2], u32> = FxHashMap::default();
        for (pair, idx) in candidates {
            let Some(idx) = idx else { continue };
            let short: String = pair.iter().collect();
            if self.segmenter.has_word(&short) || !self.lexicon.senses_of(&short).is_empty() {
                continue;
            }
            usable.insert(pair, idx);
        }
        if usable.is_empty() {
            return;
        }
        // Each form is found by a byte search (a short form is a handful of UTF-8 bytes starting
        // with a lead byte, so every hit is on a character boundary); the matches of one form do
        // not overlap. A pass decoding every character cost more than a few of these searches.
        let mut found = Vec::new();
        let mut buf = [0u8; 8];
        for (pair, idx) in usable {
            let len = pair[0].encode_utf8(&mut buf).len();
            let len = len + pair[1].encode_utf8(&mut buf[len..]).len();
            for pos in memchr::memmem::find_iter(text.as_bytes(), &buf[..len]) {
                let end = pos + len;
                let covered = overlaps(out, pos, end);
                let after_particle = text[..pos]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !is_han(c) || "和及与的是在把让跟给对从被".contains(c));
                if covered || !(doc.tokens.starts_at(pos) || after_particle) {
                    continue;
                }
                found.push(mention(Entity::Stock(idx), pos, end, MatchHow::ShortForm));
            }
        }
        // in text order, as the later passes expect of what they are given
        found.sort_by_key(|m| m.start);
        out.extend(found);
    }

    /// One-character typos of stock names, corrected, with a warning for each.
    fn find_typos(&self, doc: &Doc, out: &mut Vec<Mention>, warnings: &mut Vec<String>) {
        let text = doc.text();
        // Four-character names of the stocks already found, for `near_named`.
        let named: Vec<(u32, [char; 4])> = {
            let mut seen = FxHashSet::default();
            out.iter()
                .filter_map(|m| match m.entity {
                    Entity::Stock(i) if seen.insert(i) => Some(i),
                    _ => None,
                })
                .filter_map(|i| four_chars(&self.lexicon.stock(i).name).map(|c| (i, c)))
                .collect()
        };
        let mut found: Vec<(Mention, String)> = Vec::new();
        let tokens = doc.tokens.as_slice();
        let bytes = text.as_bytes();
        // The first token ending at or after the window's end: windows move forward with the
        // tokens, so this index only moves forward too.
        let mut ends = 0;
        for (i, t) in tokens.iter().enumerate() {
            let start = t.start as usize;
            // Cheapest tests first, none decoding the text. The window is four han characters
            // (see `is_han`: three bytes each, lead bytes E3–E9 and EF), so Latin, digit and ASCII
            // punctuation tokens are out, and it is twelve bytes ending where a token ends.
            if !matches!(bytes[start], 0xE3..=0xE9 | 0xEF) || text.len() - start < 12 {
                continue;
            }
            let end = start + 12;
            ends = ends.max(i);
            while tokens.get(ends).is_some_and(|t| (t.end as usize) < end) {
                ends += 1;
            }
            if tokens.get(ends).is_none_or(|t| t.end as usize != end) {
                continue;
            }
            // Then: a one-character typo of a four-character name keeps its first or its last
            // two characters (compared as bytes: equal bytes are equal characters, since the
            // halves start with lead bytes).
            if !self
                .name_halves
                .contains(&six_bytes(&bytes[start..start + 6]))
                && !self
                    .name_halves
                    .contains(&six_bytes(&bytes[start + 6..end]))
            {
                continue;
            }
            let Some(c) = four_chars_at(text, start) else {
                continue;
            };
            if !c.iter().all(|&x| is_han(x)) || overlaps(out, start, end) {
                continue;
            }
            // tokens come in text order, so only the last typo found can overlap this one
            if found.last().is_some_and(|(m, _)| start < m.end) {
                continue;
            }
            let window = &text[start..end];
            if self.segmenter.has_word(window) {
                continue;
            }
            let target = near_named(&c, &named).or_else(|| self.lexicon.homophone_match(window));
            if let Some(idx) = target {
                let stock = self.lexicon.stock(idx);
                let note = format!(
                    "read {window:?} as {} ({}): one-character typo",
                    stock.name, stock.code
                );
                found.push((
                    mention(Entity::Stock(idx), start, end, MatchHow::Typo),
                    note,
                ));
            }
        }
        for (m, note) in found {
            if !warnings.contains(&note) {
                warnings.push(note);
            }
            out.push(m);
        }
    }

    /// Short names in stock lists (`美邦，双良，润泽科技`): an unrecognised item of two to four han
    /// characters between separators, next to a recognised stock, whose first two characters
    /// begin exactly one listed stock's name, is that stock. Variants with another suffix
    /// (健盛股份 for 健盛集团) are reported as warnings.
    fn find_list_short_names(&self, doc: &Doc, out: &mut Vec<Mention>, warnings: &mut Vec<String>) {
        let text = doc.text();
        // Only the items beside a stock item can be short names, so the search starts from the
        // stock mentions instead of splitting every line into items.
        let mut stock_spans: Vec<(usize, usize)> = out
            .iter()
            .filter(|m| matches!(m.entity, Entity::Stock(_)))
            .map(|m| (m.start, m.end))
            .collect();
        stock_spans.dedup();
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        // the line of the last span: spans come in text order, so lines are found once each
        let (mut line_start, mut line_end, mut next_line) = (0, 0, 0);
        for &(start, end) in &stock_spans {
            if start >= next_line {
                let newline = memchr::memchr(b'\n', &text.as_bytes()[start..]);
                next_line = newline.map_or(text.len() + 1, |i| start + i + 1);
                line_start = memchr::memrchr(b'\n', &text.as_bytes()[..start]).map_or(0, |i| i + 1);
                let line = &text[line_start..next_line.min(text.len())];
                line_end = line_start + line.trim_end().len();
            }
            if end > line_end || text[start..end].contains(is_list_separator) {
                continue;
            }
            let before = text[line_start..start].chars().next_back();
            let after = text[end..line_end].chars().next();
            if before.is_some_and(|c| !is_list_separator(c))
                || after.is_some_and(|c| !is_list_separator(c))
            {
                continue; // not a whole item
            }
            candidates.extend(item_before(text, line_start, start));
            candidates.extend(item_after(text, end, line_end));
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut found = Vec::new();
        for (a, b) in candidates {
            if overlaps(out, a, b) {
                continue;
            }
            let Some((idx, warning)) = self.list_item_stock(&text[a..b]) else {
                continue;
            };
            warnings.extend(warning);
            found.push(mention(Entity::Stock(idx), a, b, MatchHow::ShortForm));
        }
        out.extend(found);
    }

    /// The stock a short item of a stock list names: two to four han characters whose first two
    /// begin exactly one listed stock's name; with a warning when the item is a variant of the
    /// name (another suffix).
    fn list_item_stock(&self, item: &str) -> Option<(u32, Option<String>)> {
        // two to four han characters are 6 to 12 bytes: most items (clauses) are longer
        if !(6..=12).contains(&item.len()) {
            return None;
        }
        let chars: Vec<char> = item.chars().collect();
        if !(2..=4).contains(&chars.len()) || !chars.iter().all(|&c| is_han(c)) {
            return None;
        }
        let &[idx] = self.by_prefix.get(&[chars[0], chars[1]])?.as_slice() else {
            return None;
        };
        let stock = self.lexicon.stock(idx);
        let warning = (chars.len() > 2 && !stock.name.starts_with(item)).then(|| {
            format!(
                "read {item:?} as {} ({}): name variant in a stock list",
                stock.name, stock.code
            )
        });
        Some((idx, warning))
    }
}

/// What separates the items of a stock list.
fn is_list_separator(c: char) -> bool {
    matches!(c, '，' | ',' | '、' | '/' | ' ' | '\t' | '\u{3000}')
}

/// The list item before the separators that end at `pos` (none at the line start), if it is
/// short enough to be a name: the span of at most twelve bytes after the separator before it.
fn item_before(text: &str, line_start: usize, pos: usize) -> Option<(usize, usize)> {
    let end = line_start
        + text[line_start..pos]
            .trim_end_matches(is_list_separator)
            .len();
    if end == line_start || end == pos {
        return None;
    }
    // a name is at most twelve bytes: look no further back than that and one separator
    let from = text.floor_char_boundary(end.saturating_sub(15).max(line_start));
    let start = text[from..end].rfind(is_list_separator).map_or(from, |i| {
        from + i + text[from + i..].chars().next().map_or(0, char::len_utf8)
    });
    // no separator in reach: the item is the rest of the line, or too long to be a name
    (start > from || from == line_start).then_some((start, end))
}

/// The list item after the separators that start at `pos`, within the line, if short enough to
/// be a name.
fn item_after(text: &str, pos: usize, line_end: usize) -> Option<(usize, usize)> {
    let rest = &text[pos..line_end];
    let skipped = rest.trim_start_matches(is_list_separator);
    if skipped.is_empty() || skipped.len() == rest.len() {
        return None;
    }
    let start = line_end - skipped.len();
    // a name is at most twelve bytes: look no further than that and one separator
    let to = skipped.ceil_char_boundary(15.min(skipped.len()));
    let end = start + skipped[..to].find(is_list_separator).unwrap_or(to);
    (end - start <= 12).then_some((start, end))
}

/// A stock named in the article (`named`: index and four-character name) whose name differs from
/// `window` in one distinctive character: not in a generic suffix such as 科技.
fn near_named(window: &[char; 4], named: &[(u32, [char; 4])]) -> Option<u32> {
    let mut hit = None;
    for &(idx, name) in named {
        let mut diffs = (0..4).filter(|&i| name[i] != window[i]);
        let (Some(at), None) = (diffs.next(), diffs.next()) else {
            continue;
        };
        let suffix: String = name[2..].iter().collect();
        if GENERIC_SUFFIXES.contains(&suffix.as_str()) && at >= 2 {
            continue;
        }
        if hit.is_some_and(|h| h != idx) {
            return None;
        }
        hit = Some(idx);
    }
    hit
}

/// The four characters starting at byte `start` of `text`, if there are four.
fn four_chars_at(text: &str, start: usize) -> Option<[char; 4]> {
    four_chars_from(&mut text[start..].chars())
}

fn four_chars_from(chars: &mut std::str::Chars<'_>) -> Option<[char; 4]> {
    Some([chars.next()?, chars.next()?, chars.next()?, chars.next()?])
}

enum Usage {
    Stock,
    Theme,
    Unknown,
}

fn mention(entity: Entity, start: usize, end: usize, how: MatchHow) -> Mention {
    Mention {
        entity,
        start,
        end,
        how,
    }
}

/// Six bytes (two han characters) as one number.
fn six_bytes(b: &[u8]) -> u64 {
    b.iter().fold(0, |n, &x| n << 8 | u64::from(x))
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

/// True when the text has a run of six ASCII digits (cheap test before the code regex). Every run
/// of six bytes covers exactly one offset that is 5 modulo 6, so only those bytes are tested
/// first, and the run is measured around the digits found there.
fn has_six_digits(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digit = |i: &usize| bytes[*i].is_ascii_digit();
    (5..bytes.len()).step_by(6).filter(digit).any(|i| {
        let left = (i.saturating_sub(5)..i).rev().take_while(digit).count();
        let right = (i + 1..bytes.len().min(i + 6)).take_while(digit).count();
        left + 1 + right >= 6
    })
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

fn is_unit_char(c: char) -> bool {
    "亿万千百元只股手点%％倍年月日号次家个条人PpTtGgWw".contains(c)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, OnceLock};

    use super::*;

    fn recognizer() -> &'static Recognizer {
        static R: OnceLock<Recognizer> = OnceLock::new();
        R.get_or_init(|| {
            let lexicon = Arc::new(Lexicon::builtin().unwrap());
            let segmenter = Arc::new(Segmenter::new(&lexicon));
            Recognizer::new(lexicon, segmenter)
        })
    }

    /// Codes of the stocks found in `text`, in order of first mention.
    fn stocks(text: &str) -> Vec<String> {
        let r = recognizer();
        let doc = Doc::new(text, &r.segmenter);
        let mentions = r.find(&doc).mentions;
        let mut codes: Vec<String> = Vec::new();
        for m in mentions {
            if let Entity::Stock(i) = m.entity {
                let code = r.lexicon.stock(i).code.clone();
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        }
        codes
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
                "stock in a list",
                "涨停：机器人、润泽科技",
                &["300024", "300442"],
            ),
            ("name inside a longer word", "海峡两岸交流", &[]),
            ("traditional script", "恆潤股份公佈業績", &["603985"]),
        ];
        for (name, text, want) in cases {
            assert_eq!(stocks(text), *want, "case {name:?}: {text}");
        }
    }

    /// The search for short names in stock lists as it was first written: every line holding a
    /// mention split into items, each item beside a stock item tested. The search from the stock
    /// mentions must find the same items (the test of an item is shared).
    fn list_short_names_line_by_line(
        this: &Recognizer,
        doc: &Doc,
        out: &mut Vec<Mention>,
        warnings: &mut Vec<String>,
    ) {
        let text = doc.text();
        let mut found = Vec::new();
        let stock_spans: FxHashSet<(usize, usize)> = out
            .iter()
            .filter(|m| matches!(m.entity, Entity::Stock(_)))
            .map(|m| (m.start, m.end))
            .collect();
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let line_end = line_start + line.trim_end().len();
            // only lines holding a stock can hold a stock list
            let first = out.partition_point(|m| m.start < line_start);
            if out[first..].first().is_none_or(|m| m.start >= line_end) {
                line_start += line.len();
                continue;
            }
            let mut items: Vec<(usize, usize)> = Vec::new();
            let mut pos = line_start;
            for part in text[line_start..line_end].split(is_list_separator) {
                if !part.is_empty() {
                    items.push((pos, pos + part.len()));
                }
                pos += part.len()
                    + text[pos + part.len()..]
                        .chars()
                        .next()
                        .map_or(0, char::len_utf8);
            }
            line_start += line.len();
            let is_stock_item = |item: &(usize, usize)| stock_spans.contains(item);
            for (i, &(a, b)) in items.iter().enumerate() {
                let neighbour = (i > 0 && is_stock_item(&items[i - 1]))
                    || items.get(i + 1).is_some_and(is_stock_item);
                if !neighbour || overlaps(out, a, b) {
                    continue;
                }
                let Some((idx, warning)) = this.list_item_stock(&text[a..b]) else {
                    continue;
                };
                warnings.extend(warning);
                found.push(mention(Entity::Stock(idx), a, b, MatchHow::ShortForm));
            }
        }
        out.extend(found);
    }

    proptest::proptest! {
        /// Lists of full names, their first characters, other words and runs of separators, over
        /// several lines, so that items are names, short names, variants, too long or empty.
        #[test]
        fn list_short_names_are_found_as_by_splitting_every_line(
            pieces in proptest::collection::vec((0usize..6_000, 0u8..8, 0u8..9), 1..16)
        ) {
            let r = recognizer();
            let seps = ["，", ",", "、", "/", " ", "\t", "\u{3000}", "\n", "，，"];
            let mut text = String::new();
            for (i, how, sep) in pieces {
                let name = &r.lexicon.stocks[i % r.lexicon.stocks.len()].name;
                let chars: Vec<char> = name.chars().collect();
                match how {
                    0..=2 => text.push_str(name),
                    3 | 4 => text.extend(&chars[..2.min(chars.len())]),
                    5 => { text.extend(&chars[..2.min(chars.len())]); text.push_str("股份"); }
                    6 => text.push_str("今天继续大涨的个股有"),
                    _ => text.push_str("  \n"),
                }
                text.push_str(seps[sep as usize]);
            }
            let doc = Doc::new(&text, &r.segmenter);
            let mut before = r.find(&doc).mentions;
            before.retain(|m| m.how != MatchHow::ShortForm);
            let (mut new, mut reference) = (before.clone(), before);
            let (mut new_warnings, mut reference_warnings) = (Vec::new(), Vec::new());
            r.find_list_short_names(&doc, &mut new, &mut new_warnings);
            list_short_names_line_by_line(r, &doc, &mut reference, &mut reference_warnings);
            let spans = |ms: &[Mention]| -> Vec<(usize, usize, Entity)> {
                ms.iter().map(|m| (m.start, m.end, m.entity)).collect()
            };
            proptest::prop_assert_eq!(spans(&new), spans(&reference));
            proptest::prop_assert_eq!(new_warnings, reference_warnings);
        }
    }

    proptest::proptest! {
        /// The strided test agrees with counting every run, on texts of digits, letters and han
        /// characters in runs of every length.
        #[test]
        fn six_digit_runs_are_found_as_by_scanning_every_byte(
            pieces in proptest::collection::vec((0u8..3, 0usize..9), 0..12)
        ) {
            let text: String = pieces
                .iter()
                .map(|&(what, n)| ["7", "a", "股"][what as usize].repeat(n))
                .collect();
            let mut run = 0;
            let mut plain = false;
            for b in text.bytes() {
                run = if b.is_ascii_digit() { run + 1 } else { 0 };
                plain |= run >= 6;
            }
            proptest::prop_assert_eq!(has_six_digits(&text), plain, "{:?}", text);
        }
    }
}

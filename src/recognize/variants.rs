//! Other spellings of stock names, read with the article as context:
//! - article-local short forms: once a stock is named, the first two characters of its name (铭普)
//!   or, for four-character names, its first and third (华辽) refer to it, when distinctive;
//! - one-character typos: a homophone of a unique stock name (润健股份 → 润建股份), or one character
//!   off a stock named elsewhere in the article (润资科技 → 润泽科技), each reported as a warning;
//! - short names in stock lists (美邦，双良，润泽科技), variants reported as warnings;
//! - short names used like a stock without the full name anywhere (美邦断板, 上纬没续,
//!   美邦和法尔胜): the first two characters of one listed stock's name, no common word;
//! - a name's first two characters followed by the company's business (美邦农药 for 美邦股份,
//!   新赛农业 for 新赛股份): a word of its industry or of a theme it belongs to, which no other
//!   stock beginning the same way shares.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::lexicon::{four_chars, is_han, FormKind, Lexicon};
use crate::segment::{Doc, Segmenter};

use super::codes::foreign_listing_after;
use super::context::{Usage, TRADING_AFTER};
use super::{line_head_start, mention, overlaps, Entity, MatchHow, Mention, Recognizer};

/// Suffixes too generic to tell stocks apart: a typo must not be in them.
const GENERIC_SUFFIXES: &[&str] = &[
    "科技", "股份", "电子", "集团", "控股", "传媒", "能源", "电气", "智能", "材料", "医药", "生物",
    "环保", "新材", "光电", "通信", "信息", "技术", "软件", "数据", "网络", "银行", "证券", "实业",
    "发展", "电力", "汽车", "精工", "机电", "药业", "制药", "文化", "环境", "装备", "机械", "化工",
    "新能", "国际", "物流", "电器", "重工", "食品", "农业", "矿业", "资源", "建设", "工业", "设计",
];

/// Suffixes of financial institutions, most of which are not A-share stocks: a typo in their
/// head must be a homophone ([`near_named`]).
const INSTITUTION_SUFFIXES: &[&str] = &[
    "证券", "银行", "保险", "信托", "期货", "基金", "人寿", "财险", "资管", "金控",
];

/// Beyond [`TRADING_AFTER`], what right after two characters shows them a stock's short name:
/// the big bids of a call auction (美邦竞价继续大单一字).
const BIDS_AFTER: &[&str] = &["大单"];

/// One automaton over [`TRADING_AFTER`] and [`BIDS_AFTER`], reporting every occurrence of every
/// word (none of them overlaps itself, so this is what a search for each word finds).
pub(super) fn short_name_cues() -> AhoCorasick {
    AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .build(TRADING_AFTER.iter().chain(BIDS_AFTER))
        .expect("a few short words make an automaton")
}

/// Above this jieba frequency, two characters are a word of the language (大业, 金牛, 龙头)
/// rather than a name cut short.
const COMMON_WORD_FREQ: usize = 20;

/// The same for two characters joined to a stock by 和/与/及 (赤天化和金牛): only words more
/// common than this are taken as words.
const JOINED_WORD_FREQ: usize = 100;

/// Listed stocks by the first two characters of their current name (for
/// [`Recognizer::list_item_stock`]).
pub(super) fn stocks_by_prefix(lexicon: &Lexicon) -> HashMap<[char; 2], Vec<u32>> {
    let mut by_prefix: HashMap<[char; 2], Vec<u32>> = HashMap::new();
    for (i, s) in lexicon.stocks.iter().enumerate() {
        let c: Vec<char> = s.name.chars().collect();
        if s.listed && c.len() >= 3 && is_han(c[0]) && is_han(c[1]) {
            by_prefix.entry([c[0], c[1]]).or_default().push(i as u32);
        }
    }
    by_prefix
}

/// Words of theme names that say nothing about what a company does (预盈预增, 国企改革).
const NOT_A_BUSINESS: &[&str] = &[
    "概念", "板块", "指数", "中报", "年报", "季报", "预增", "预盈", "预减", "预亏", "扭亏", "国企",
    "央企", "改革", "成份", "成分", "融资", "融券", "重组", "并购", "股权", "转让", "举牌", "破净",
    "高送", "送转", "分红", "次新", "新股", "标普", "富时", "深股", "沪股", "基金", "持股", "重仓",
];

/// Short names written with the company's business (美邦农药): the first two characters of a
/// listed stock's name, not a common word, followed by a two-character word of its industry or
/// of one of its themes that no other stock with those first two characters has, keyed by the
/// four characters. Forms that are words or dictionary names themselves are left out.
pub(super) fn business_names(
    lexicon: &Lexicon,
    by_prefix: &HashMap<[char; 2], Vec<u32>>,
    segmenter: &Segmenter,
) -> FxHashMap<[char; 4], u32> {
    let mut themes: Vec<Vec<&str>> = vec![Vec::new(); lexicon.stocks.len()];
    for c in &lexicon.concepts {
        for &i in &c.constituents {
            themes[i as usize].push(&c.name);
        }
    }
    // (four characters) → the one stock, or None when two stocks could be meant
    let mut found: FxHashMap<[char; 4], Option<u32>> = FxHashMap::default();
    for (prefix, stocks) in by_prefix {
        let head: String = prefix.iter().collect();
        if segmenter.word_freq(&head) > COMMON_WORD_FREQ {
            continue;
        }
        for &idx in stocks {
            let stock = lexicon.stock(idx);
            let mut words: Vec<[char; 2]> = Vec::new();
            for name in themes[idx as usize]
                .iter()
                .copied()
                .chain([stock.industry.as_str()])
            {
                let c: Vec<char> = name.chars().collect();
                for w in c.windows(2) {
                    let word: String = w.iter().collect();
                    if w.iter().all(|&x| is_han(x))
                        && segmenter.has_word(&word)
                        && !NOT_A_BUSINESS.contains(&word.as_str())
                        && !INSTITUTION_SUFFIXES.contains(&word.as_str())
                    {
                        words.push([w[0], w[1]]);
                    }
                }
            }
            words.sort_unstable();
            words.dedup();
            for w in words {
                let key = [prefix[0], prefix[1], w[0], w[1]];
                found
                    .entry(key)
                    .and_modify(|v| {
                        if *v != Some(idx) {
                            *v = None
                        }
                    })
                    .or_insert(Some(idx));
            }
        }
    }
    found
        .into_iter()
        .filter_map(|(key, idx)| {
            let form: String = key.iter().collect();
            let is_word = segmenter.has_word(&form) || !lexicon.senses_of(&form).is_empty();
            idx.filter(|_| !is_word).map(|i| (key, i))
        })
        .collect()
}

/// The first two and last two characters of every four-character han stock name, each as
/// [`six_bytes`] (for [`Recognizer::find_typos`]).
pub(super) fn name_halves(lexicon: &Lexicon) -> FxHashSet<u64> {
    let mut name_halves = FxHashSet::default();
    for s in &lexicon.stocks {
        if four_chars(&s.name).is_some_and(|c| c.iter().all(|&x| is_han(x))) {
            let bytes = s.name.as_bytes(); // four han characters: three bytes each
            name_halves.insert(six_bytes(&bytes[..6]));
            name_halves.insert(six_bytes(&bytes[6..]));
        }
    }
    name_halves
}

/// The business words of short names written with the company's business (the last two
/// characters of each key of [`business_names`]), as [`six_bytes`] numbers.
pub(super) fn business_words(business_names: &FxHashMap<[char; 4], u32>) -> FxHashSet<u64> {
    business_names
        .keys()
        .map(|c| c[2..].iter().collect::<String>())
        .filter(|w| w.len() == 6)
        .map(|w| six_bytes(w.as_bytes()))
        .collect()
}

impl Recognizer {
    /// Short names written with the company's business ([`business_names`]): 美邦农药9板. Each
    /// is a variant of the name, reported as a warning.
    pub(super) fn find_business_names(
        &self,
        doc: &Doc,
        out: &mut Vec<Mention>,
        warnings: &mut Vec<String>,
    ) {
        let text = doc.text();
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        for t in doc.tokens.as_slice() {
            // the business word is a token of two han characters (six bytes), after six more
            let (s, e) = (t.start as usize, t.end as usize);
            if e - s != 6
                || s < 6
                || !matches!(bytes[s - 6], 0xE3..=0xE9 | 0xEF)
                || !self.business_words.contains(&six_bytes(&bytes[s..e]))
            {
                continue;
            }
            let Some(c) = four_chars_at(text, s - 6) else {
                continue;
            };
            let Some(&idx) = self.business_names.get(&c) else {
                continue;
            };
            let start = s - 6;
            let item_start = starts_an_item(doc, start);
            // the business word alone may have been read as a theme (农业): the name takes it
            let clash = |m: &Mention| m.start < e && start < m.end;
            let only_themes_within = out
                .iter()
                .filter(|m| clash(m))
                .all(|m| matches!(m.entity, Entity::Concept(_)) && m.start >= s && m.end <= e);
            // used as a stock: a trader's or a company-event word after it, a code, a stock
            // beside it in a list, a headline naming it
            let used_as_stock = matches!(self.context(doc, out, start, e, &[]), Usage::Stock);
            if !item_start || !only_themes_within || !used_as_stock {
                continue;
            }
            out.retain(|m| !clash(m));
            let stock = self.lexicon.stock(idx);
            warnings.push(format!(
                "read {:?} as {} ({}): short name with the company's business",
                &text[start..e],
                stock.name,
                stock.code
            ));
            found.push(mention(Entity::Stock(idx), start, e, MatchHow::Variant));
        }
        out.extend(found);
    }

    /// Article-local short forms of stocks already named in full.
    pub(super) fn find_short_forms(&self, doc: &Doc, out: &mut Vec<Mention>) {
        let text = doc.text();
        let mut candidates: FxHashMap<[char; 2], Option<u32>> = FxHashMap::default();
        for m in out.iter() {
            let Entity::Stock(idx) = m.entity else {
                continue;
            };
            if !matches!(
                m.how,
                MatchHow::Form(FormKind::Current | FormKind::Former) | MatchHow::Variant
            ) {
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
        // (stock, whether the short form is also a word of the language: 莲花, 浪潮)
        let mut usable: FxHashMap<[char; 2], (u32, bool)> = FxHashMap::default();
        for (pair, idx) in candidates {
            let Some(idx) = idx else { continue };
            let short: String = pair.iter().collect();
            if !self.lexicon.senses_of(&short).is_empty() {
                continue;
            }
            usable.insert(pair, (idx, self.segmenter.has_word(&short)));
        }
        if usable.is_empty() {
            return;
        }
        // Each form is found by a byte search (a short form is a handful of UTF-8 bytes starting
        // with a lead byte, so every hit is on a character boundary); the matches of one form do
        // not overlap. A pass decoding every character cost more than a few of these searches.
        let mut found = Vec::new();
        let mut buf = [0u8; 8];
        for (pair, (idx, word)) in usable {
            let len = pair[0].encode_utf8(&mut buf).len();
            let len = len + pair[1].encode_utf8(&mut buf[len..]).len();
            for pos in memchr::memmem::find_iter(text.as_bytes(), &buf[..len]) {
                let end = pos + len;
                // a short form that is also a word is the stock only where a stock's name
                // stands: heading a list item (`2. 莲花：上半年营收…`) or in a list of stocks
                if word && !heads_an_item(text, pos, end) && !listed_with_stock(out, text, pos, end)
                {
                    continue;
                }
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

    /// Two-character short names of stocks the article does not name in full, read where a
    /// trader's word follows them ([`TRADING_AFTER`], [`BIDS_AFTER`]) or a stock stands beside them joined by
    /// 和/与/及: the first two characters of exactly one listed stock's name, not another name
    /// and no common word.
    pub(super) fn find_traded_short_names(&self, doc: &Doc, out: &mut Vec<Mention>) {
        let text = doc.text();
        // (span, the most common a word there may be and still be read as a name)
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        for cue in self.short_name_cues.find_overlapping_iter(text) {
            let at = cue.start();
            spans.extend(two_han_before(text, at).map(|(a, b)| (a, b, COMMON_WORD_FREQ)));
        }
        // a stock joined to them is stronger evidence than a word after them: only the commonest
        // words (大业, 龙头, 国际) are kept out
        for m in out.iter().filter(|m| matches!(m.entity, Entity::Stock(_))) {
            let (head, tail) = (&text[..m.start], &text[m.end..]);
            if let Some(h) = head.strip_suffix(['和', '与', '及']) {
                spans.extend(two_han_before(text, h.len()).map(|(a, b)| (a, b, JOINED_WORD_FREQ)));
            }
            if let Some(t) = tail.strip_prefix(['和', '与', '及']) {
                let from = text.len() - t.len();
                spans.extend(two_han_item_at(text, from).map(|(a, b)| (a, b, JOINED_WORD_FREQ)));
            }
        }
        spans.sort_unstable();
        spans.dedup_by_key(|&mut (a, b, _)| (a, b));
        let mut found = Vec::new();
        // every span is two han characters
        for (a, b, most_common) in spans {
            if overlaps(out, a, b) {
                continue;
            }
            let form = &text[a..b];
            let mut chars = form.chars();
            let (Some(c0), Some(c1)) = (chars.next(), chars.next()) else {
                continue;
            };
            if !starts_an_item(doc, a) {
                continue;
            }
            let Some(&[idx]) = self.by_prefix.get(&[c0, c1]).map(Vec::as_slice) else {
                continue;
            };
            if !self.lexicon.senses_of(form).is_empty()
                || self.segmenter.word_freq(form) > most_common
            {
                continue;
            }
            found.push(mention(Entity::Stock(idx), a, b, MatchHow::ShortForm));
        }
        out.extend(found);
    }

    /// One-character typos of stock names, corrected, with a warning for each.
    pub(super) fn find_typos(&self, doc: &Doc, out: &mut Vec<Mention>, warnings: &mut Vec<String>) {
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
            if self.segmenter.has_word(window)
                || self.word_across(text, start)
                || foreign_listing_after(&text[end..])
            {
                continue;
            }
            let near = near_named(&c, &named, |a, b| self.lexicon.same_pinyin(a, b));
            let target = near.or_else(|| self.lexicon.homophone_match(window));
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

    /// True when a word of the dictionaries runs across `at`, the start of a typo window: one
    /// or two characters before it and one to three after it (碳中和 in 碳中和科技创新 is no
    /// typo of 中核科技). A name cut out of a longer word is no name, misspelt or not.
    fn word_across(&self, text: &str, at: usize) -> bool {
        let before: Vec<usize> = text[..at]
            .char_indices()
            .rev()
            .take(2)
            .map(|(i, _)| i)
            .collect();
        let after: Vec<usize> = text[at..]
            .char_indices()
            .skip(1)
            .take(3)
            .map(|(i, _)| at + i)
            .collect();
        before.iter().any(|&a| {
            after.iter().any(|&b| {
                let word = &text[a..b];
                self.segmenter.has_word(word) || !self.lexicon.senses_of(word).is_empty()
            })
        })
    }

    /// Short names in stock lists (`美邦，双良，润泽科技`): an unrecognised item of two to four han
    /// characters between separators, next to a recognised stock, whose first two characters
    /// begin exactly one listed stock's name, is that stock. Variants with another suffix
    /// (健盛股份 for 健盛集团) are reported as warnings.
    pub(super) fn find_list_short_names(
        &self,
        doc: &Doc,
        out: &mut Vec<Mention>,
        warnings: &mut Vec<String>,
    ) {
        let text = doc.text();
        // Only the items beside a stock item can be short names, so the search starts from the
        // stock mentions instead of splitting every line into items.
        let mut stock_spans: Vec<(usize, usize)> = out
            .iter()
            .filter(|m| matches!(m.entity, Entity::Stock(_)))
            .map(|m| (m.start, m.end))
            .collect();
        stock_spans.dedup();
        let mut candidates: Vec<(usize, usize, bool)> = Vec::new();
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
            // a stock that starts an item has an item before it, one that ends an item has one
            // after it (泽宇新能，扬电科技也是…)
            let before = text[line_start..start].chars().next_back();
            let after = text[end..line_end].chars().next();
            let (opens, closes) = (
                before.is_none_or(is_list_separator),
                after.is_none_or(is_list_separator),
            );
            // a whole item (both sides) is a plain list; half of one is weaker evidence
            let half = !(opens && closes);
            if opens {
                candidates.extend(item_before(text, line_start, start).map(|(a, b)| (a, b, half)));
            }
            if closes {
                candidates.extend(item_after(text, end, line_end).map(|(a, b)| (a, b, half)));
            }
        }
        // by span, a whole-item neighbour first
        candidates.sort_unstable();
        candidates.dedup_by_key(|&mut (a, b, _)| (a, b));
        let mut found = Vec::new();
        for (a, b, half) in candidates {
            if overlaps(out, a, b) {
                continue;
            }
            let Some((idx, warning)) = self.list_item_stock(&text[a..b], half) else {
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
    /// `half`: the item is beside a stock that is only half an item (a clause goes on after
    /// it), so the item must not start with a word of the language either.
    fn list_item_stock(&self, item: &str, half: bool) -> Option<(u32, Option<String>)> {
        // two to four han characters are 6 to 12 bytes: most items (clauses) are longer
        if !(6..=12).contains(&item.len()) {
            return None;
        }
        let chars: Vec<char> = item.chars().collect();
        if !(2..=4).contains(&chars.len()) || !chars.iter().all(|&c| is_han(c)) {
            return None;
        }
        // the first two characters are what names the stock: a two-character item that is a
        // word of the language (宁夏 among a line's places and themes) is that word, and so is
        // the head of a clause (今天它, 数据显示)
        if chars.len() == 2 || half {
            let head: String = chars[..2].iter().collect();
            if self.segmenter.word_freq(&head) > COMMON_WORD_FREQ {
                return None;
            }
        }
        // a name with two characters swapped (长华光芯) is a closer reading than another
        // stock that merely begins the same way (长华集团)
        if let Some(idx) = self.transposed_name(&chars) {
            let stock = self.lexicon.stock(idx);
            let warning = format!(
                "read {item:?} as {} ({}): two characters swapped in a stock list",
                stock.name, stock.code
            );
            return Some((idx, Some(warning)));
        }
        let idx = match self.by_prefix.get(&[chars[0], chars[1]]).map(Vec::as_slice) {
            Some(&[idx]) => idx,
            Some(several) => self.suffix_variant(&chars, several)?,
            None => return None,
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

/// True when `start..end` heads a list item or a line and a colon follows it (`2. 莲花：`,
/// `- 浪潮:`).
fn heads_an_item(text: &str, start: usize, end: usize) -> bool {
    let item_mark =
        |c: char| c.is_ascii_digit() || c.is_whitespace() || ".、)-*•·①②③④⑤⑥⑦⑧⑨⑩".contains(c);
    text[end..].starts_with([':', '：']) && line_head_start(text, start, item_mark).is_some()
}

/// True when `start..end` stands in a list beside a stock already found, joined by 、
/// (`鸿博股份、莲花（以前叫莲花健康）、中贝通信`). `out` is sorted and free of overlaps (see `sort`),
/// so the mentions that start or end at a position are the last ones starting at or before it.
fn listed_with_stock(out: &[Mention], text: &str, start: usize, end: usize) -> bool {
    let stock_at = |pos: usize| {
        let upto = out.partition_point(|m| m.start <= pos);
        out[..upto]
            .iter()
            .rev()
            .take_while(|m| m.start == pos || m.end >= pos)
            .any(|m| matches!(m.entity, Entity::Stock(_)) && (m.end == pos || m.start == pos))
    };
    let before = text[..start].strip_suffix('、').map(str::len);
    let after = text[end..].strip_prefix('、').map(|t| text.len() - t.len());
    before.is_some_and(stock_at) || after.is_some_and(stock_at)
}

/// A name can start at byte `at`: no han character before it but a particle (和, 的, 把 …), or
/// a token starts there.
fn starts_an_item(doc: &Doc, at: usize) -> bool {
    let before = doc.text()[..at].chars().next_back();
    before.is_none_or(|c| !is_han(c) || "和及与的是在把让跟给对从被也".contains(c))
        || doc.tokens.starts_at(at)
}

/// The two han characters right before byte `at`, as a span.
fn two_han_before(text: &str, at: usize) -> Option<(usize, usize)> {
    let mut it = text[..at].char_indices().rev();
    let (_, c1) = it.next()?;
    let (a, c0) = it.next()?;
    (is_han(c0) && is_han(c1)).then_some((a, at))
}

/// Two han characters starting at byte `at` that end an item (no han character after them),
/// as a span.
fn two_han_item_at(text: &str, at: usize) -> Option<(usize, usize)> {
    let mut it = text[at..].chars();
    let (c0, c1) = (it.next()?, it.next()?);
    let end = at + c0.len_utf8() + c1.len_utf8();
    let ends_item = !it.next().is_some_and(is_han);
    (is_han(c0) && is_han(c1) && ends_item).then_some((at, end))
}

impl Recognizer {
    /// Of several stocks sharing an item's first two characters, the one a four-character item
    /// with a company suffix (同兴股份) stands for: the only one whose name is four characters
    /// too (同兴科技, not 同兴达).
    fn suffix_variant(&self, item: &[char], several: &[u32]) -> Option<u32> {
        let suffix: String = item.get(2..)?.iter().collect();
        if item.len() != 4 || !GENERIC_SUFFIXES.contains(&suffix.as_str()) {
            return None;
        }
        let mut four = several
            .iter()
            .filter(|&&i| self.lexicon.stock(i).name.chars().count() == 4);
        match (four.next(), four.next()) {
            (Some(&idx), None) => Some(idx),
            _ => None,
        }
    }

    /// The listed stock whose current name is a four-character item with two neighbouring
    /// characters swapped (长华光芯 for 长光华芯).
    fn transposed_name(&self, item: &[char]) -> Option<u32> {
        if item.len() != 4 {
            return None;
        }
        let mut hit = None;
        for i in 0..3 {
            let mut c = item.to_vec();
            c.swap(i, i + 1);
            let name: String = c.iter().collect();
            for sense in self.lexicon.senses_of(&name) {
                let current = sense.form == FormKind::Current;
                if current && self.lexicon.stock(sense.target).listed {
                    if hit.is_some_and(|h| h != sense.target) {
                        return None;
                    }
                    hit = Some(sense.target);
                }
            }
        }
        hit
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
/// `window` in one distinctive character: not in a generic suffix such as 科技. When the name
/// is a financial institution's (证券, 银行 …: [`INSTITUTION_SUFFIXES`]), of which many more
/// exist than are listed, a window differing in the head (华创证券 beside 华泰证券, 安信证券
/// beside 中信证券) is more likely another institution than a slip of the pen: it is read as
/// the named stock only when the two characters sound alike (`homophone`).
fn near_named(
    window: &[char; 4],
    named: &[(u32, [char; 4])],
    homophone: impl Fn(char, char) -> bool,
) -> Option<u32> {
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
        if INSTITUTION_SUFFIXES.contains(&suffix.as_str()) && !homophone(name[at], window[at]) {
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

/// Six bytes (two han characters) as one number.
fn six_bytes(b: &[u8]) -> u64 {
    b.iter().fold(0, |n, &x| n << 8 | u64::from(x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::tests::recognizer;

    #[test]
    fn near_named_keeps_other_companies_apart() {
        let r = recognizer();
        let four = |s: &str| four_chars(s).unwrap();
        let named = |s: &str| vec![(7u32, four(s))];
        let homophone = |a, b| r.lexicon.same_pinyin(a, b);
        let cases: &[(&str, &str, Option<u32>)] = &[
            ("another head, generic suffix", "华创证券", None),
            ("another first character", "安信证券", None),
            ("homophone head, generic suffix", "华太证券", Some(7)),
            ("suffix changed", "华泰证卷", None),
        ];
        for (name, window, want) in cases {
            let got = near_named(&four(window), &named("华泰证券"), homophone);
            assert_eq!(got, *want, "case {name:?}");
        }
        // other generic names: any one character of the head, none of the suffix
        let got = near_named(&four("润资科技"), &named("润泽科技"), homophone);
        assert_eq!(got, Some(7), "head of a generic name");
        let got = near_named(&four("润泽科枝"), &named("润泽科技"), homophone);
        assert_eq!(got, None, "suffix of a generic name");
        let got = near_named(&four("铭普光瓷"), &named("铭普光磁"), homophone);
        assert_eq!(got, Some(7), "distinctive suffix");
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
            // an item beside one that a stock opens (for the item before it) or closes (for
            // the item after it); half when the stock is not the whole of that item
            let opened = |item: &(usize, usize)| {
                stock_spans
                    .iter()
                    .filter(|s| s.0 == item.0 && s.1 <= item.1)
                    .map(|s| s.1 != item.1)
                    .min()
            };
            let closed = |item: &(usize, usize)| {
                stock_spans
                    .iter()
                    .filter(|s| s.1 == item.1 && s.0 >= item.0)
                    .map(|s| s.0 != item.0)
                    .min()
            };
            for (i, &(a, b)) in items.iter().enumerate() {
                let from_before = if i > 0 { closed(&items[i - 1]) } else { None };
                let from_after = items.get(i + 1).and_then(opened);
                let half = match (from_before, from_after) {
                    (None, None) => continue,
                    (x, y) => x.unwrap_or(true) && y.unwrap_or(true),
                };
                if overlaps(out, a, b) {
                    continue;
                }
                let Some((idx, warning)) = this.list_item_stock(&text[a..b], half) else {
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
}

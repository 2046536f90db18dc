//! The shape of a text that attribution needs: sentences, clauses, list items, paragraphs, and
//! the stock mentions in them. Built once per article from the normalised text.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::recognize::{Entity, Mention};

/// A stock mention: byte span in the normalised text and stock index.
#[derive(Debug, Clone, Copy)]
pub struct StockAt {
    /// Byte start.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// Stock index.
    pub stock: u32,
}

/// A list item (`8、利通电子——…`): its span and the stock it is about.
#[derive(Debug, Clone, Copy)]
pub struct ListItem {
    /// Byte start of the marker.
    pub start: usize,
    /// Byte end of the item.
    pub end: usize,
    /// The stock named right after the marker.
    pub stock: Option<u32>,
}

/// Sentences, clauses and list items of one text.
pub struct Structure<'a> {
    /// The normalised text.
    pub text: &'a str,
    /// Stock mentions in order.
    pub stocks: Vec<StockAt>,
    /// List items in order.
    pub items: Vec<ListItem>,
    /// Byte offsets of every sentence-ending character, in order.
    sentence_ends: Vec<usize>,
    /// Byte offsets of every clause-ending character, in order.
    clause_ends: Vec<usize>,
    /// Byte offsets of every line break, in order.
    newlines: Vec<usize>,
    /// Every occurrence of a trigger word: (index in [`TRIGGER_WORDS`], byte offset).
    triggers: Vec<(usize, usize)>,
}

/// Growth directions: a sentence with one of these may state earnings growth.
pub(crate) const GROWTH_WORDS: &[&str] = &[
    "增长", "增加", "上升", "提升", "预增", "大增", "增幅", "下降", "减少", "下滑", "降低", "下跌",
    "预减", "大跌", "大降", "降幅",
];

/// Index names, or the part every spelling of them shares: a sentence with one of these may
/// state an index move.
pub(crate) const INDEX_WORDS: &[&str] = &[
    "指",
    "大盘",
    "恒生",
    "纳斯达克",
    "道琼斯",
    "标普",
    "日经",
    "富时",
    "科创50",
    "北证50",
    "沪深300",
    "上证50",
    "中证",
];

/// The other words that make a sentence worth running a claim pattern over.
const OTHER_TRIGGERS: &[&str] = &[
    "P",
    "E",
    "%",
    "同比",
    "环比",
    "板",
    "扳",
    "成交",
    "交易额",
    "量能",
    "净",
    "涨跌",
    "上涨/下跌",
    "涨/跌",
    "上涨",
    "下跌",
    "涨停",
    "跌停",
    "飘红",
    "翻红",
    "收涨",
    "收跌",
    "翻绿",
    "红盘",
    "绿盘",
    "价",
];

/// A set of trigger words (indices in [`TRIGGER_WORDS`]), made once per call site by
/// [`triggers!`](crate::triggers) so that a scan only tests a bit per trigger found.
#[derive(Debug, Clone, Copy)]
pub struct Triggers(u128);

impl Triggers {
    /// The set of `words`, each of which must be in [`TRIGGER_WORDS`].
    pub fn of(words: &[&str]) -> Triggers {
        assert!(TRIGGER_WORDS.len() <= 128, "trigger sets are 128-bit masks");
        let mut mask = 0;
        for word in words {
            let id = TRIGGER_WORDS
                .iter()
                .position(|w| w == word)
                .unwrap_or_else(|| panic!("{word:?} is not in TRIGGER_WORDS"));
            mask |= 1 << id;
        }
        Triggers(mask)
    }

    fn has(&self, id: usize) -> bool {
        self.0 >> id & 1 == 1
    }
}

/// The [`Triggers`] of a list of words, built the first time the call site runs.
#[macro_export]
#[doc(hidden)]
macro_rules! triggers {
    ($words:expr) => {{
        static SET: std::sync::LazyLock<$crate::claims::structure::Triggers> =
            std::sync::LazyLock::new(|| $crate::claims::structure::Triggers::of($words));
        &*SET
    }};
}

/// Every trigger word, each once; all are found in one pass over the article.
static TRIGGER_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut words = OTHER_TRIGGERS.to_vec();
    for w in GROWTH_WORDS.iter().chain(INDEX_WORDS) {
        if !words.contains(w) {
            words.push(w);
        }
    }
    words
});

static TRIGGERS: LazyLock<TriggerIndex> = LazyLock::new(|| TriggerIndex::new(&TRIGGER_WORDS));

/// The trigger words by their first character, for a search that reads each character of the
/// text once and tests one bit for it. (Over these few short words a byte-wise Aho-Corasick DFA
/// took more instructions, a character-wise daachorse automaton more still.)
struct TriggerIndex {
    /// A bit per code point of the Basic Multilingual Plane that starts a trigger word.
    starts: Vec<u64>,
    /// (first code point, word, index in [`TRIGGER_WORDS`]), sorted by first code point.
    words: Vec<(u32, &'static str, usize)>,
}

impl TriggerIndex {
    fn new(words: &[&'static str]) -> TriggerIndex {
        let mut sorted: Vec<(u32, &'static str, usize)> = words
            .iter()
            .enumerate()
            .map(|(id, &w)| {
                let first = w.chars().next().expect("trigger words are not empty") as u32;
                assert!(first < 0x10000, "{w:?} starts outside the BMP");
                (first, w, id)
            })
            .collect();
        sorted.sort_unstable();
        let mut starts = vec![0u64; 0x10000 / 64];
        for &(cp, _, _) in &sorted {
            starts[cp as usize / 64] |= 1 << (cp % 64);
        }
        TriggerIndex {
            starts,
            words: sorted,
        }
    }

    fn find_all(&self, text: &str) -> Vec<(usize, usize)> {
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        let mut at = 0;
        // `at` is always at a character boundary: the lead byte gives the character's length.
        while let Some(&lead) = bytes.get(at) {
            let (cp, len) = match lead {
                0..0x80 => (lead as u32, 1),
                0x80..0xE0 => (u32::MAX, 2),
                0xE0..0xF0 => {
                    let cp = (lead as u32 & 0x0F) << 12
                        | (bytes[at + 1] as u32 & 0x3F) << 6
                        | (bytes[at + 2] as u32 & 0x3F);
                    (cp, 3)
                }
                _ => (u32::MAX, 4),
            };
            if cp < 0x10000 && self.starts[cp as usize / 64] >> (cp % 64) & 1 == 1 {
                let from = self.words.partition_point(|w| w.0 < cp);
                let rest = &bytes[at..];
                for &(_, word, id) in self.words[from..].iter().take_while(|w| w.0 == cp) {
                    if rest.starts_with(word.as_bytes()) {
                        found.push((id, at));
                    }
                }
            }
            at += len;
        }
        found
    }
}

/// Every occurrence of every trigger word in `text`, overlapping ones included: (index in
/// [`TRIGGER_WORDS`], byte offset), in order of where they start.
fn find_triggers(text: &str) -> Vec<(usize, usize)> {
    TRIGGERS.find_all(text)
}

const SENTENCE_END: &[char] = &['。', '！', '？', '!', '?', '；', ';', '\n'];
const CLAUSE_END: &[char] = &[
    '。', '！', '？', '!', '?', '；', ';', '\n', '，', ',', '：', ':',
];
/// Offsets of the bytes that can start a character of [`CLAUSE_END`], in order: its ASCII marks,
/// and the lead bytes of 。 (E3) and of the full-width marks (EF). Three SIMD byte searches
/// instead of a look-up per byte of the text.
fn boundary_candidates(bytes: &[u8]) -> Vec<usize> {
    let mut at: Vec<usize> = memchr::memchr3_iter(b'\n', b',', b':', bytes)
        .chain(memchr::memchr3_iter(b'!', b'?', b';', bytes))
        .chain(memchr::memchr2_iter(0xE3, 0xEF, bytes))
        .collect();
    at.sort_unstable();
    at
}

const ANAPHORA: &[&str] = &["该公司", "公司", "该股", "其", "它"];

impl<'a> Structure<'a> {
    /// The structure of `text` with its mentions.
    pub fn new(text: &'a str, mentions: &[Mention]) -> Structure<'a> {
        let mut stocks: Vec<StockAt> = Vec::new();
        for m in mentions {
            if let Entity::Stock(stock) = m.entity {
                // Several stocks at one span (易中天) are a group, not a subject.
                if stocks.last().is_some_and(|s| s.start == m.start) {
                    continue;
                }
                stocks.push(StockAt {
                    start: m.start,
                    end: m.end,
                    stock,
                });
            }
        }

        let (mut sentence_ends, mut clause_ends, mut newlines) =
            (Vec::new(), Vec::new(), Vec::new());
        // Decode only at the bytes that can start a boundary character.
        for i in boundary_candidates(text.as_bytes()) {
            let c = text[i..].chars().next().unwrap_or(' ');
            if CLAUSE_END.contains(&c) {
                clause_ends.push(i);
                if SENTENCE_END.contains(&c) {
                    sentence_ends.push(i);
                    if c == '\n' {
                        newlines.push(i);
                    }
                }
            }
        }
        let long = split_long_sentences(text, &mut sentence_ends);
        if !long.is_empty() {
            clause_ends.extend(long);
            clause_ends.sort_unstable();
            clause_ends.dedup();
        }
        let triggers = find_triggers(text);
        let items = list_items(text, &stocks, &newlines);
        Structure {
            text,
            stocks,
            items,
            sentence_ends,
            clause_ends,
            newlines,
            triggers,
        }
    }

    /// Start of the sentence containing `pos`. Boundaries are precomputed and found by binary
    /// search: long texts without punctuation must not make every look-up scan to the start.
    pub fn sentence_start(&self, pos: usize) -> usize {
        after_last_before(self.text, &self.sentence_ends, pos)
    }

    /// End of the sentence containing `pos`.
    pub fn sentence_end(&self, pos: usize) -> usize {
        first_at_or_after(&self.sentence_ends, pos).unwrap_or(self.text.len())
    }

    /// End of the clause containing `pos`.
    pub fn clause_end(&self, pos: usize) -> usize {
        first_at_or_after(&self.clause_ends, pos).unwrap_or(self.text.len())
    }

    /// Start of the paragraph containing `pos`.
    pub fn paragraph_start(&self, pos: usize) -> usize {
        after_last_before(self.text, &self.newlines, pos)
    }

    /// End of the line containing `pos` (before its line break).
    pub fn line_end(&self, pos: usize) -> usize {
        first_at_or_after(&self.newlines, pos).unwrap_or(self.text.len())
    }

    /// The list item containing `pos`.
    pub fn item_at(&self, pos: usize) -> Option<&ListItem> {
        let i = self.items.partition_point(|i| i.start <= pos);
        self.items[..i].last().filter(|i| pos < i.end)
    }

    /// Stock mentions that start at or after `start` and end by `end` (binary search: the list
    /// is in text order, so attribution stays linear in long articles).
    pub fn stocks_in(&self, start: usize, end: usize) -> &[StockAt] {
        let from = self.stocks.partition_point(|s| s.start < start);
        let to = self.stocks.partition_point(|s| s.start < end).max(from);
        let slice = &self.stocks[from..to];
        let keep = slice
            .iter()
            .rposition(|s| s.end <= end)
            .map_or(0, |i| i + 1);
        &slice[..keep]
    }

    /// True when the stock mention is a possessive modifier (克来机电的补涨股), not a subject.
    fn possessive(&self, s: &StockAt) -> bool {
        self.text[s.end..].starts_with('的')
    }

    /// The stock a statement at `start..end` is about: the nearest stock before it in the same
    /// sentence (and list item), else the item's stock, else — after 公司/该公司/其/它 — the
    /// nearest stock before it in the paragraph, else a stock after it in the same clause.
    pub fn attribute(&self, start: usize, end: usize) -> Option<u32> {
        let item = self.item_at(start);
        let mut scope = self.sentence_start(start);
        if let Some(i) = item {
            scope = scope.max(i.start);
        }
        let before: Vec<&StockAt> = self.stocks_in(scope, start).iter().collect();
        if let Some(s) = before.iter().rev().find(|s| !self.possessive(s)) {
            return Some(s.stock);
        }
        if let Some(stock) = item.and_then(|i| i.stock) {
            return Some(stock);
        }
        if let Some(s) = before.last() {
            return Some(s.stock);
        }
        let lead = &self.text[scope..start];
        if ANAPHORA.iter().any(|a| lead.contains(a)) {
            let para = item.map_or_else(|| self.paragraph_start(start), |i| i.start);
            if let Some(s) = self.stocks_in(para, start).last() {
                return Some(s.stock);
            }
        }
        let clause_end = self.clause_end(end);
        self.stocks_in(end, clause_end).first().map(|s| s.stock)
    }

    /// The stock a paragraph (or, failing that, a whole one-company article) is about: the
    /// nearest stock before `pos` in the paragraph, else the only stock of the text.
    pub fn topic_stock(&self, pos: usize) -> Option<u32> {
        let para = self.paragraph_start(pos);
        if let Some(s) = self.stocks_in(para, pos).last() {
            return Some(s.stock);
        }
        let first = self.stocks.first()?.stock;
        self.stocks
            .iter()
            .all(|s| s.stock == first)
            .then_some(first)
    }

    /// The stock at `start` together with the stocks listed right before it
    /// (华电辽能，华电能源，豫能控股…跌停): each with its own start.
    pub fn listed_before(&self, stock: u32, start: usize) -> Vec<(u32, usize)> {
        let mut out = vec![(stock, start)];
        let at = self.stocks.partition_point(|s| s.start < start);
        let Some(mut i) = self.stocks[at..]
            .iter()
            .take_while(|s| s.start == start)
            .position(|s| s.stock == stock)
            .map(|k| at + k)
        else {
            return out;
        };
        while i > 0 {
            let (prev, cur) = (&self.stocks[i - 1], &self.stocks[i]);
            let Some(gap) = self.text.get(prev.end..cur.start) else {
                break;
            };
            if gap.is_empty()
                || gap.chars().any(|c| !"，,、和及与 ".contains(c))
                || gap.chars().count() > 2
            {
                break;
            }
            out.push((prev.stock, prev.start));
            i -= 1;
        }
        out
    }

    /// Start of the nearest mention of `stock` before `pos` in its sentence, or `pos` itself.
    pub fn nearest_start(&self, stock: u32, pos: usize) -> usize {
        let sentence = self.sentence_start(pos);
        self.stocks_in(sentence, pos)
            .iter()
            .rev()
            .find(|x| x.stock == stock)
            .map_or(pos, |x| x.start)
    }

    /// The stocks listed right after `pos` in its clause (今日涨停的有中国卫星、航天电子、长城军工).
    pub fn listed_after(&self, pos: usize) -> Vec<(u32, usize)> {
        let clause_end = self.clause_end(pos);
        let sentence_end = self.sentence_end(pos);
        let mut out: Vec<(u32, usize)> = Vec::new();
        let mut last_end = None;
        for st in self.stocks_in(pos, sentence_end) {
            match last_end {
                None if st.start > clause_end => break,
                None => {}
                Some(e) => {
                    let Some(gap) = self.text.get(e..st.start) else {
                        break;
                    };
                    if gap.is_empty() || gap.chars().any(|c| !"，,、和及与 ".contains(c)) {
                        break;
                    }
                }
            }
            out.push((st.stock, st.start));
            last_end = Some(st.end);
        }
        out
    }
}

/// The offset just after the last boundary character before `pos`, or 0.
fn after_last_before(text: &str, boundaries: &[usize], pos: usize) -> usize {
    let i = boundaries.partition_point(|&b| b < pos);
    match i {
        0 => 0,
        _ => {
            let b = boundaries[i - 1];
            b + char_len(text, b)
        }
    }
}

/// Longest stretch of text taken as one sentence. Real sentences are far shorter; without a bound,
/// a megabyte pasted without punctuation would make every claim in it look back over the whole
/// stretch, and the run quadratic.
const MAX_SENTENCE_BYTES: usize = 4096;

/// Adds a boundary inside every stretch between `ends` longer than [`MAX_SENTENCE_BYTES`]: at the
/// last whitespace in the second half of the allowed length, else at the last character that
/// fits. Returns the boundaries added.
fn split_long_sentences(text: &str, ends: &mut Vec<usize>) -> Vec<usize> {
    let mut added = Vec::new();
    let mut from = 0;
    for end in ends.iter().copied().chain([text.len()]) {
        while end.saturating_sub(from) > MAX_SENTENCE_BYTES {
            let limit = text.floor_char_boundary(from + MAX_SENTENCE_BYTES);
            let half = text.floor_char_boundary(from + MAX_SENTENCE_BYTES / 2);
            let cut = text[half..limit]
                .rfind(char::is_whitespace)
                .map_or(limit, |i| half + i);
            added.push(cut);
            from = cut + char_len(text, cut);
        }
        if end < text.len() {
            from = end + char_len(text, end);
        }
    }
    if !added.is_empty() {
        ends.extend(&added);
        ends.sort_unstable();
    }
    added
}

/// The first boundary at or after `pos`.
fn first_at_or_after(boundaries: &[usize], pos: usize) -> Option<usize> {
    boundaries
        .get(boundaries.partition_point(|&b| b < pos))
        .copied()
}

fn char_len(text: &str, i: usize) -> usize {
    text[i..].chars().next().map_or(1, char::len_utf8)
}

/// List items: from a marker to the next marker or the end of the paragraph.
fn list_items(text: &str, stocks: &[StockAt], newlines: &[usize]) -> Vec<ListItem> {
    let markers = item_markers(text);
    let mut items = Vec::with_capacity(markers.len());
    for (i, &(start, marker_end)) in markers.iter().enumerate() {
        let para_end = first_at_or_after(newlines, start).unwrap_or(text.len());
        let next = markers.get(i + 1).map_or(text.len(), |m| m.0);
        let end = para_end.min(next);
        let first = stocks.partition_point(|s| s.start < marker_end);
        let stock = stocks
            .get(first)
            .filter(|s| s.start <= marker_end + 3)
            .map(|s| s.stock);
        items.push(ListItem { start, end, stock });
    }
    items
}

/// List markers (`8、`, `3.`, `二、`, `1)`): one or two digits or up to three Chinese numerals
/// at the start of the text or after white space or punctuation, then the marker character, not
/// followed by a digit (so 3.25 is a number, not an item).
fn item_markers(text: &str) -> Vec<(usize, usize)> {
    const CHINESE: &str = "一二三四五六七八九十";
    const BEFORE: &str = "。；;，,:：！!？?";
    let mut out = Vec::new();
    // Only the bytes that can start a marker character are decoded: '.', ')', and the lead
    // bytes of 、 (E3) and of the full-width forms (EF), found by SIMD byte searches.
    let bytes = text.as_bytes();
    let mut at: Vec<usize> = memchr::memchr2_iter(b'.', b')', bytes)
        .chain(memchr::memchr2_iter(0xE3, 0xEF, bytes))
        .collect();
    at.sort_unstable();
    for i in at {
        let Some(c) = text[i..]
            .chars()
            .next()
            .filter(|c| matches!(c, '、' | '.' | '．' | '）' | ')'))
        else {
            continue;
        };
        let mut lead = ['\0'; 4];
        let mut n_lead = 0;
        for (slot, p) in lead.iter_mut().zip(text[..i].chars().rev()) {
            *slot = p;
            n_lead += 1;
        }
        let lead = &lead[..n_lead];
        let ascii = lead.iter().take_while(|c| c.is_ascii_digit()).count();
        let chinese = lead.iter().take_while(|c| CHINESE.contains(**c)).count();
        let (n, width) = match (ascii, chinese) {
            (1..=2, _) => (ascii, 1),
            (_, 1..=3) => (chinese, 3),
            _ => continue,
        };
        let num_start = i - n * width;
        let boundary = lead
            .get(n)
            .is_none_or(|p| p.is_whitespace() || BEFORE.contains(*p));
        let end = i + c.len_utf8();
        if boundary && !text[end..].starts_with(|d: char| d.is_ascii_digit()) {
            out.push((num_start, end));
        }
    }
    out
}

/// A regex match at an absolute offset of the article text.
#[derive(Debug, Clone, Copy)]
pub struct At<'t> {
    start: usize,
    end: usize,
    text: &'t str,
}

impl<'t> At<'t> {
    /// Byte start in the article.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Byte end in the article.
    pub fn end(&self) -> usize {
        self.end
    }

    /// The matched text.
    pub fn as_str(&self) -> &'t str {
        self.text
    }
}

/// Captures of a match found in one sentence, with offsets into the whole article.
pub struct Caps<'t> {
    caps: Captures<'t>,
    offset: usize,
}

impl<'t> Caps<'t> {
    fn at(&self, m: regex::Match<'t>) -> At<'t> {
        At {
            start: m.start() + self.offset,
            end: m.end() + self.offset,
            text: m.as_str(),
        }
    }

    /// Group by index (0 = the whole match).
    pub fn get(&self, i: usize) -> Option<At<'t>> {
        self.caps.get(i).map(|m| self.at(m))
    }

    /// Group by name.
    pub fn name(&self, name: &str) -> Option<At<'t>> {
        self.caps.name(name).map(|m| self.at(m))
    }
}

impl std::ops::Index<&str> for Caps<'_> {
    type Output = str;

    fn index(&self, name: &str) -> &str {
        &self.caps[name]
    }
}

impl<'a> Structure<'a> {
    /// Runs `re` only over the sentences that contain one of `triggers`: every claim pattern
    /// stays inside one sentence, and most sentences state no claim, so this is much cheaper than
    /// running each pattern over the whole text.
    pub fn scan(&self, re: &Regex, triggers: &Triggers) -> Vec<Caps<'a>> {
        self.scan_sentences(re, triggers, None)
    }

    /// [`Structure::scan`] for a pattern whose every match holds the ASCII byte `needed` (the %
    /// of a percentage): sentences without it are not run through the pattern. Triggers such as
    /// 指 and 价 are common words, and most of their sentences hold no percentage.
    pub fn scan_needing(&self, re: &Regex, triggers: &Triggers, needed: u8) -> Vec<Caps<'a>> {
        debug_assert!(needed.is_ascii());
        self.scan_sentences(re, triggers, Some(needed))
    }

    fn scan_sentences(&self, re: &Regex, triggers: &Triggers, needed: Option<u8>) -> Vec<Caps<'a>> {
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for &(id, pos) in &self.triggers {
            if !triggers.has(id) || spans.last().is_some_and(|&(s, e)| s <= pos && pos < e) {
                continue;
            }
            spans.push((self.sentence_start(pos), self.sentence_end(pos)));
        }
        spans.sort_unstable();
        spans.dedup();
        let mut out = Vec::new();
        let mut done = 0;
        for (start, end) in spans {
            if end <= done {
                continue;
            }
            let start = start.max(done);
            done = end;
            let sentence = &self.text[start..end];
            if needed.is_some_and(|b| memchr::memchr(b, sentence.as_bytes()).is_none()) {
                continue;
            }
            for caps in re.captures_iter(sentence) {
                out.push(Caps {
                    caps,
                    offset: start,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_occurrence_of_every_trigger_is_found(
            parts in proptest::collection::vec(
                prop_oneof![
                    (0..TRIGGER_WORDS.len()).prop_map(|i| TRIGGER_WORDS[i].to_string()),
                    // one-, two-, three- and four-byte characters around the words
                    "[涨跌停板指数a%,。\n ·é😀𠀀]{0,3}",
                ],
                0..40,
            )
        ) {
            let text: String = parts.concat();
            let mut found = find_triggers(&text);
            found.sort_unstable();
            // every start of every word, overlapping ones too, by trying each char boundary
            let mut want: Vec<(usize, usize)> = TRIGGER_WORDS
                .iter()
                .enumerate()
                .flat_map(|(id, w)| {
                    let text = &text;
                    text.char_indices()
                        .filter(move |&(at, _)| text[at..].starts_with(w))
                        .map(move |(at, _)| (id, at))
                })
                .collect();
            want.sort_unstable();
            prop_assert_eq!(found, want);
        }
    }

    #[test]
    fn every_clause_end_is_a_boundary_candidate() {
        let text = "甲，乙。丙！丁？戊；己：庚、辛「壬」a,b.c:d;e!f?g\nＡ１㐀 end";
        let found = boundary_candidates(text.as_bytes());
        for (i, c) in text.char_indices() {
            if CLAUSE_END.contains(&c) {
                assert!(found.contains(&i), "{c:?} at {i}");
            }
        }
        // in order, each once, each at a character start
        assert!(found.windows(2).all(|w| w[0] < w[1]));
        assert!(found.iter().all(|&i| text.is_char_boundary(i)));
        // and not every character: 、「」 (E3) and Ａ１ (EF) are candidates, han and Latin are not
        assert_eq!(
            found.len(),
            CLAUSE_END
                .iter()
                .map(|&c| text.matches(c).count())
                .sum::<usize>()
                + 6
        );
    }

    #[test]
    fn a_trigger_set_holds_exactly_its_words() {
        let set = Triggers::of(&["成交", "净"]);
        for (id, word) in TRIGGER_WORDS.iter().enumerate() {
            assert_eq!(set.has(id), ["成交", "净"].contains(word), "{word}");
        }
        let from_macro = crate::triggers!(INDEX_WORDS);
        assert!(INDEX_WORDS
            .iter()
            .all(|w| from_macro.has(TRIGGER_WORDS.iter().position(|t| t == w).unwrap())));
    }

    #[test]
    fn scan_needing_finds_what_scan_finds_in_sentences_holding_the_byte() {
        let text = "沪指上涨1.2%。指标上涨3点。创业板指下跌0.5%，成交放量。";
        let s = Structure::new(text, &[]);
        let re = Regex::new(r"(?P<d>上涨|下跌)(?P<a>\d+(?:\.\d+)?)%").unwrap();
        let matched = |caps: Vec<Caps>| -> Vec<usize> {
            caps.iter().map(|c| c.get(0).unwrap().start()).collect()
        };
        let all = matched(s.scan(&re, crate::triggers!(INDEX_WORDS)));
        let gated = matched(s.scan_needing(&re, crate::triggers!(INDEX_WORDS), b'%'));
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(gated, all);
        let points = Regex::new(r"上涨(?P<a>\d+)点").unwrap();
        assert_eq!(s.scan(&points, crate::triggers!(INDEX_WORDS)).len(), 1);
        assert!(
            s.scan_needing(&points, crate::triggers!(INDEX_WORDS), b'%')
                .is_empty(),
            "the sentence holding 3点 has no %"
        );
    }

    #[test]
    #[should_panic(expected = "is not in TRIGGER_WORDS")]
    fn a_word_that_is_not_a_trigger_is_a_bug() {
        Triggers::of(&["不是触发词"]);
    }

    #[test]
    fn a_long_stretch_without_punctuation_is_cut_into_bounded_sentences() {
        let text = format!("开头。{}结尾", "涨停 算力 ".repeat(2_000));
        let s = Structure::new(&text, &[]);
        let mut pos = 0;
        while pos < text.len() {
            let (start, end) = (s.sentence_start(pos), s.sentence_end(pos));
            assert!(start <= pos && pos <= end, "{start} {pos} {end}");
            assert!(end - start <= MAX_SENTENCE_BYTES, "{start}..{end}");
            if end >= text.len() {
                break;
            }
            pos = end + char_len(&text, end);
        }
        // The cuts fall on the spaces, so no word is split, and clauses end there too.
        for &cut in s.sentence_ends.iter().skip(1) {
            assert_eq!(&text[cut..cut + 1], " ");
            assert!(s.clause_ends.contains(&cut));
        }
        // A short text keeps its own sentences.
        let short = Structure::new("利通电子涨停。它也涨停", &[]);
        assert_eq!(short.sentence_ends.len(), 1);
    }
}

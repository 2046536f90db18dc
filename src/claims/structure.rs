//! The shape of a text that attribution needs: sentences, clauses, list items, paragraphs, and
//! the stock mentions in them. Built once per article from the normalised text.
//!
//! Who a figure belongs to is in `attribution.rs`, running the claim patterns over the sentences
//! holding their trigger words in `triggers.rs`; both are methods of [`Structure`].

use crate::recognize::{Entity, Mention};

use super::triggers::find_triggers;

/// A stock mention: byte span in the normalised text and stock index.
#[derive(Debug, Clone, Copy)]
pub struct StockAt {
    /// Byte start.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// Stock index.
    pub stock: u32,
    /// A securities firm, which may be cited as a report's author.
    pub broker: bool,
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
    /// Starts of mentions of companies and bodies that are not A-share stocks (英伟达).
    pub others: Vec<(usize, usize)>,
    /// List items in order.
    pub items: Vec<ListItem>,
    /// Byte offsets of every sentence-ending character, in order.
    sentence_ends: Vec<usize>,
    /// Byte offsets of every clause-ending character, in order.
    clause_ends: Vec<usize>,
    /// Byte offsets of every line break, in order.
    newlines: Vec<usize>,
    /// Every occurrence of a trigger word: (index in
    /// [`TRIGGER_WORDS`](super::triggers::TRIGGER_WORDS), byte offset).
    pub(super) triggers: Vec<(usize, usize)>,
    /// Subsidiaries the text introduces as the company's own, found once when first asked for
    /// (`growth::subsidiaries`).
    pub(super) subsidiaries: std::cell::OnceCell<Vec<&'a str>>,
    /// The article's main stock (`attribution::main_stock`), found once when first asked for.
    pub(super) main: std::cell::OnceCell<Option<u32>>,
    /// Every stock mention is of one stock (true when there is none).
    pub(super) one_stock: bool,
}

/// The byte span of every line of `text`, without its line break (`\n` or `\r\n`).
pub(crate) fn line_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = at;
        at += line.len();
        (start, start + line.trim_end_matches(['\n', '\r']).len())
    })
}

/// True when the line break at `i` falls inside a sentence, as text copied from a PDF or a web
/// page's layout breaks it (`2024\n年前三季度收入同比暴增367.88%\n，深度合作`): the next line opens
/// with a mark that only continues a clause (，、%), or a number is cut from its unit
/// (`超2\n万张`), or a line of prose (one holding a comma) stops with no mark where the next line
/// goes on. A line that ends with a mark, a heading, a list line holding no comma and the title
/// (the first line) stay lines.
fn breaks_a_sentence(text: &str, i: usize) -> bool {
    let before = text[..i].trim_end_matches([' ', '\r', '\t']);
    let after = text[i + 1..].trim_start_matches([' ', '\t']);
    let (Some(last), Some(next)) = (before.chars().next_back(), after.chars().next()) else {
        return false;
    };
    if "。！？!?；;：:，,、)）】」”\"".contains(last) {
        return false;
    }
    if "，,、。；;%％)）".contains(next) {
        return true;
    }
    if (last.is_ascii_digit() || last == '.') && "万亿千百P%年月日元张个家".contains(next)
    {
        return true;
    }
    // the first line is the title, which never runs on into the body
    // (`4.21复盘：鸿博一字四板，润泽一季报落地，下周看分歧` above `今天两市成交额…`)
    let Some(line_start) = before.rfind('\n').map(|j| j + 1) else {
        return false;
    };
    let line = &before[line_start..];
    let prose = line.contains(['，', ',']) && line.chars().count() >= 15;
    let goes_on = crate::lexicon::is_han(next) || next.is_ascii_alphanumeric();
    prose && goes_on && (crate::lexicon::is_han(last) || last.is_ascii_alphanumeric())
}

/// True when the semicolon at `i` is followed at once by the change of what was stated before
/// it (`归母净利为13.5亿元，上年同期为4.95亿元；同比增长173%`): the statement goes on, so the
/// semicolon ends a clause, not the sentence.
fn continues_statement(text: &str, i: usize, c: char) -> bool {
    const CHANGE_OPENERS: &[&str] = &[
        "同比",
        "环比",
        "较上年",
        "较去年",
        "比上年",
        "比去年",
        "按年",
        "同增",
        "同降",
        "同减",
    ];
    if c != '；' && c != ';' {
        return false;
    }
    let after = text[i + c.len_utf8()..].trim_start();
    CHANGE_OPENERS.iter().any(|w| after.starts_with(w))
}

/// True when the comma at `i` separates thousands inside a number (`7,592.42万元`): an ASCII
/// comma with a digit before it and exactly three digits after it. Such a comma ends no clause.
/// A full-width comma between digits (`20，300`) is a list's, as the quantities read it.
fn separates_thousands(text: &str, i: usize, c: char) -> bool {
    if c != ',' {
        return false;
    }
    let bytes = text.as_bytes();
    let after = &bytes[i + 1..];
    i > 0
        && bytes[i - 1].is_ascii_digit()
        && after.len() >= 3
        && after[..3].iter().all(u8::is_ascii_digit)
        && !after.get(3).is_some_and(u8::is_ascii_digit)
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

/// True when `after` (the text right after a stock's name) makes the stock a report's author:
/// 研报, 研究报告, 研究所, 分析师 … after at most 发布/最新/在/的, or a headline's colon before a
/// rating (`东吴证券：首予耐世特买入评级`), or — for a broker — a verb of saying before a comma
/// (`兴业证券预计，农夫山泉…`).
fn reports_after(after: &str, broker: bool) -> bool {
    const SAYS: &[&str] = &["预计", "预测", "认为", "指出", "表示", "称"];
    // what a broker does to its view of a company (上调盈利预测，预计公司…; 维持买入评级)
    const REVISES: &[&str] = &[
        "上调",
        "下调",
        "维持",
        "给予",
        "首次覆盖",
        "首予",
        "预计公司",
        "预测公司",
    ];
    if broker {
        // where it said so (在点评中指出, 在研报中表示)
        let after = after
            .strip_prefix('在')
            .and_then(|rest| {
                let end = rest.char_indices().take(12).find(|&(_, c)| c == '中')?.0;
                Some(&rest[end + '中'.len_utf8()..])
            })
            .unwrap_or(after);
        let said = SAYS.iter().find_map(|w| after.strip_prefix(w));
        if said.is_some_and(|rest| rest.starts_with(['，', ',', '：', ':'])) {
            return true;
        }
        if REVISES.iter().any(|w| after.starts_with(w)) {
            return true;
        }
        // its analysts of a sector (德邦证券通信行业分析师认为, 计算机团队指出)
        let desk: String = after
            .chars()
            .take_while(|&c| crate::lexicon::is_han(c))
            .take(10)
            .collect();
        if ["分析师", "研究员", "首席", "团队", "研究所"]
            .iter()
            .any(|w| desk.contains(w))
        {
            return true;
        }
    }
    const AUTHOR: &[&str] = &[
        "研报",
        "研究报告",
        "研究所",
        "研究院",
        "分析师",
        "研究员",
        "首席",
    ];
    if let Some(said) = after.strip_prefix(['：', ':']) {
        let clause = said
            .split(['，', ',', '。', '；', '\n'])
            .next()
            .unwrap_or("");
        if clause.contains("评级") {
            return true;
        }
    }
    let mut rest = after.trim_start();
    for filler in ["发布", "最新", "在", "的"] {
        rest = rest.strip_prefix(filler).unwrap_or(rest);
    }
    AUTHOR.iter().any(|w| rest.starts_with(w))
}

impl<'a> Structure<'a> {
    /// The structure of `text` with its mentions, every organisation taken for a company.
    pub fn new(text: &'a str, mentions: &[Mention]) -> Structure<'a> {
        Structure::with_roles(text, mentions, |_| true, |_| false)
    }

    /// The structure of `text` with its mentions; `is_company` says which organisations are
    /// companies (a regulator or an exchange named in a sentence owns none of its figures),
    /// `is_broker` which stocks are brokers (whose research notes speak of other companies).
    pub fn with_roles(
        text: &'a str,
        mentions: &[Mention],
        is_company: impl Fn(u32) -> bool,
        is_broker: impl Fn(u32) -> bool,
    ) -> Structure<'a> {
        let mut stocks: Vec<StockAt> = Vec::new();
        // a broker that is no stock (开源证券上调盈利预测，预计公司…) is the source of what
        // follows as a listed broker is, not another company the figures could be of
        let others: Vec<(usize, usize)> = mentions
            .iter()
            .filter(|m| matches!(m.entity, Entity::Organization(o) if is_company(o)))
            .filter(|m| {
                !(text[m.start..m.end].ends_with("证券") && reports_after(&text[m.end..], true))
            })
            .map(|m| (m.start, m.end))
            .collect();
        // which stock mentions cite a report's author (东吴证券发布研究报告称，…): the source of
        // what follows, not its subject
        let authored: Vec<bool> = mentions
            .iter()
            .map(|m| match m.entity {
                Entity::Stock(stock) => reports_after(&text[m.end..], is_broker(stock)),
                _ => false,
            })
            .collect();
        // brokers the text cites as authors: a line such a broker opens with a colon
        // (`中信建投：上市券商业绩或超预期` over `中信建投认为，…`) is its view too
        let authors: Vec<u32> = mentions
            .iter()
            .zip(&authored)
            .filter_map(|(m, &author)| match m.entity {
                Entity::Stock(stock) if author && is_broker(stock) => Some(stock),
                _ => None,
            })
            .collect();
        for (m, &author) in mentions.iter().zip(&authored) {
            if let Entity::Stock(stock) = m.entity {
                // Several stocks at one span (易中天) are a group, not a subject.
                if stocks.last().is_some_and(|s| s.start == m.start) {
                    continue;
                }
                if author {
                    continue;
                }
                let opens_line = m.start == 0 || text[..m.start].ends_with('\n');
                if opens_line && authors.contains(&stock) && text[m.end..].starts_with(['：', ':'])
                {
                    continue;
                }
                stocks.push(StockAt {
                    start: m.start,
                    end: m.end,
                    stock,
                    broker: is_broker(stock),
                });
            }
        }

        let (mut sentence_ends, mut clause_ends, mut newlines) =
            (Vec::new(), Vec::new(), Vec::new());
        // Decode only at the bytes that can start a boundary character.
        for i in boundary_candidates(text.as_bytes()) {
            let c = text[i..].chars().next().unwrap_or(' ');
            if c == '\n' && breaks_a_sentence(text, i) {
                continue;
            }
            if CLAUSE_END.contains(&c) && !separates_thousands(text, i, c) {
                clause_ends.push(i);
                if SENTENCE_END.contains(&c) && !continues_statement(text, i, c) {
                    sentence_ends.push(i);
                    if c == '\n' {
                        newlines.push(i);
                    }
                }
            }
        }
        let bullets = inline_bullets(text);
        if !bullets.is_empty() {
            sentence_ends.extend(&bullets);
            sentence_ends.sort_unstable();
            clause_ends.extend(bullets);
            clause_ends.sort_unstable();
        }
        let long = split_long_sentences(text, &mut sentence_ends);
        if !long.is_empty() {
            clause_ends.extend(long);
            clause_ends.sort_unstable();
            clause_ends.dedup();
        }
        let triggers = find_triggers(text);
        let items = list_items(text, &stocks, &newlines);
        let one_stock = stocks.iter().all(|s| s.stock == stocks[0].stock);
        Structure {
            text,
            stocks,
            others,
            items,
            sentence_ends,
            clause_ends,
            newlines,
            triggers,
            subsidiaries: std::cell::OnceCell::new(),
            main: std::cell::OnceCell::new(),
            one_stock,
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

    /// Start of the clause containing `pos`.
    pub fn clause_start(&self, pos: usize) -> usize {
        after_last_before(self.text, &self.clause_ends, pos)
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

    /// True when the line holding `pos` reads as a heading: short, not ended as a sentence, and
    /// followed by a paragraph of sentences (`二、浪潮信息：一季度收入创同期新高`,
    /// `海光信息：归母净利润增长52.87%` over their sections; the rows of a table flattened into
    /// lines, `营业总收入48.67亿元+10.02%…`, follow one another).
    pub fn is_heading(&self, pos: usize) -> bool {
        let short = |line: &str| {
            const HEADING_CHARS: usize = 40;
            let line = line.trim();
            // the byte test first: a long paragraph is not counted character by character
            !line.is_empty()
                && line.len() <= 4 * HEADING_CHARS
                && line.chars().count() <= HEADING_CHARS
                && !line.ends_with(['。', '！', '？', '；', '!', '?', ';', '…', '，', ','])
        };
        let end = self.line_end(pos);
        if !short(&self.text[self.paragraph_start(pos)..end]) {
            return false;
        }
        let next = self.text[end..]
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        // the section a heading opens is written in sentences
        !short(next) && next.contains(['。', '！', '？', '；', '!', '?', ';'])
    }

    /// True when `from..pos` names a company that is not an A-share stock as a subject: a
    /// dictionary organisation, or a capitalised Latin name (Coherent, Lumentum), not followed
    /// by 的 (火山引擎的服务商 describes the stock).
    pub fn names_other_company(&self, from: usize, pos: usize) -> bool {
        let subject = |end: usize| !self.text[end..].starts_with('的');
        let first = self.others.partition_point(|&(s, _)| s < from);
        if self.others[first..]
            .iter()
            .take_while(|&&(s, _)| s < pos)
            .any(|&(_, e)| subject(e))
        {
            return true;
        }
        let lead = &self.text[from..pos];
        let mut at = from;
        for w in lead.split(|c: char| !c.is_ascii_alphabetic()) {
            let start = from + lead[at - from..].find(w).map_or(0, |i| i + at - from);
            at = start + w.len();
            let name = w.len() >= 4
                && w.starts_with(|c: char| c.is_ascii_uppercase())
                && w[1..].chars().all(|c| c.is_ascii_lowercase());
            // a word alone in brackets glosses the name before it (工业富联（Foxconn）,
            // 云计算（Cloud）业务): no company of its own
            let gloss = self.text[..start].ends_with(['(', '（'])
                && self.text[at..].starts_with([')', '）']);
            // the company's own brand or product (公司Coolinside全链条液冷解决方案, 其Lepton平台)
            let own = ["公司", "其", "旗下", "自研", "推出", "发布"]
                .iter()
                .any(|w| self.text[..start].ends_with(w));
            if name && !gloss && !own && subject(at) {
                return true;
            }
        }
        false
    }

    /// The list item containing `pos`.
    pub fn item_at(&self, pos: usize) -> Option<&ListItem> {
        let i = self.items.partition_point(|i| i.start <= pos);
        self.items[..i].last().filter(|i| pos < i.end)
    }

    /// The stock mention covering `pos` (starting at or before it, ending after it).
    pub fn stock_covering(&self, pos: usize) -> Option<&StockAt> {
        let i = self.stocks.partition_point(|s| s.start <= pos);
        self.stocks[..i].last().filter(|s| pos < s.end)
    }

    /// True when a stock mention overlaps `start..end`. Mentions do not overlap one another, so
    /// their ends are in order too and the last one starting before `end` decides.
    pub fn stock_overlaps(&self, start: usize, end: usize) -> bool {
        let i = self.stocks.partition_point(|s| s.start < end);
        self.stocks[..i].last().is_some_and(|s| start < s.end)
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

/// Bullets of a list flattened onto one line (`…乐观态度[9] * 存储业务从…`, `…瓶颈[4] - 随着…`):
/// a `*` or `-` between spaces, with text rather than a number on either side (`3 - 5` is a
/// range). Each ends the sentence before it.
fn inline_bullets(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'*', b'-', bytes)
        .filter(|&i| {
            i >= 2
                && bytes.get(i + 1) == Some(&b' ')
                && bytes[i - 1] == b' '
                && !bytes[i - 2].is_ascii_digit()
                && bytes
                    .get(i + 2)
                    .is_some_and(|b| !b.is_ascii_digit() && *b != b' ')
        })
        .collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comma_between_thousands_ends_no_clause() {
        let text = "销售收入7,592.42万元，环比增长20，300家，分别为1,2，另有12,3456";
        let s = Structure::new(text, &[]);
        let ends: Vec<&str> = s
            .clause_ends
            .iter()
            .map(|&i| &text[i..i + text[i..].chars().next().unwrap().len_utf8()])
            .collect();
        // 7,592 is one number; the commas after 万元, in 20，300, after 家, in 1,2 and in 12,3456
        // end clauses
        assert_eq!(ends, ["，", "，", "，", ",", "，", ","]);
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

    #[test]
    fn stock_lookups_by_position_agree_with_a_scan_of_every_mention() {
        use crate::recognize::{Entity, MatchHow, Mention};
        let text = "利通电子、润泽科技涨停，英伟达和中际旭创大涨。润泽科技再涨";
        let at = |name: &str, nth: usize| text.match_indices(name).nth(nth).unwrap().0;
        let stock = |name: &str, nth: usize, id: u32| Mention {
            entity: Entity::Stock(id),
            start: at(name, nth),
            end: at(name, nth) + name.len(),
            how: MatchHow::Code,
        };
        let mentions = [
            stock("利通电子", 0, 1),
            stock("润泽科技", 0, 2),
            stock("中际旭创", 0, 3),
            stock("润泽科技", 1, 2),
        ];
        let s = Structure::new(text, &mentions);
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        for &pos in &bounds {
            let scan = s.stocks.iter().find(|m| m.start <= pos && pos < m.end);
            assert_eq!(
                s.stock_covering(pos).map(|m| m.start),
                scan.map(|m| m.start)
            );
            for &end in bounds.iter().filter(|&&e| e >= pos) {
                let scan = s.stocks.iter().any(|m| m.start < end && pos < m.end);
                assert_eq!(s.stock_overlaps(pos, end), scan, "{pos}..{end}");
            }
        }
    }
}

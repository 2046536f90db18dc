//! Trigger scanning: claim patterns run only over the sentences that hold one of their trigger
//! words. Every occurrence of every trigger is found in one pass per article ([`find_triggers`]),
//! each call site names its words once ([`triggers!`], a [`Triggers`] bit set), and
//! [`Structure::scan`] runs a pattern over just the sentences holding one of them.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::structure::Structure;

/// Index names, or the part every spelling of them shares: a sentence with one of these may
/// state an index move.
pub(crate) const INDEX_WORDS: &[&str] = &[
    "指",
    "大盘",
    "创业板",
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
    "上证180",
    "上证380",
    "深证100",
    "中小板综",
    "中证",
];

/// The other words that make a sentence worth running a claim pattern over.
const OTHER_TRIGGERS: &[&str] = &[
    "P",
    "E",
    "%",
    "DJI",
    "SPX",
    "IXIC",
    "NDX",
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
    "飘绿",
    "收红",
    "收绿",
    "普跌",
    "普涨",
    "下杀",
    "港股",
    "美股",
    "日股",
    "欧股",
    "股市",
    "股指",
    "期货",
];

/// Words of which one names every traded thing whose move a later clause may state (a contract,
/// a spot metal or crude grade, an exchange rate, the dollar index, a cryptocurrency).
pub(crate) const TRADED_WORDS: &[&str] = &[
    "期货",
    "兑",
    "比特币",
    "以太",
    "现货",
    "原油",
    "伦敦",
    "美油",
    "布油",
    "美元指数",
    "美指",
    "期金",
    "期银",
    "期铜",
    "期铝",
    "期锌",
    "期镍",
    "欧元/",
    "美元/",
    "英镑/",
    "澳元/",
    "纽元/",
    "金价",
    "银价",
    "铜价",
    "铝价",
    "锌价",
    "铅价",
    "镍价",
    "锡价",
    "锂价",
    "钴价",
];

/// A set of trigger words (indices in [`TRIGGER_WORDS`]), made once per call site by
/// [`triggers!`] so that a scan only tests a bit per trigger found.
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

/// The [`Triggers`] of a list of words, built the first time the call site runs. Crate-private:
/// `use super::triggers::triggers;` where a claim finder needs it.
macro_rules! triggers {
    ($words:expr) => {{
        static SET: std::sync::LazyLock<$crate::claims::triggers::Triggers> =
            std::sync::LazyLock::new(|| $crate::claims::triggers::Triggers::of($words));
        &*SET
    }};
}
pub(crate) use triggers;

/// Every trigger word, each once; all are found in one pass over the article.
static TRIGGER_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut words = OTHER_TRIGGERS.to_vec();
    for w in INDEX_WORDS.iter().chain(TRADED_WORDS) {
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
pub(super) fn find_triggers(text: &str) -> Vec<(usize, usize)> {
    TRIGGERS.find_all(text)
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

    /// The match of `re` (anchored with `^`) at `pos`, within the sentence there.
    pub fn caps_at(&self, re: &Regex, pos: usize) -> Option<Caps<'a>> {
        let end = self.sentence_end(pos).max(pos);
        re.captures(&self.text[pos..end])
            .map(|caps| Caps { caps, offset: pos })
    }

    /// [`Structure::scan_needing`] over the sentences holding a trigger and the sentence after
    /// each, for a pattern whose subject may be named in the sentence before its figure.
    pub fn scan_with_next_needing(
        &self,
        re: &Regex,
        triggers: &Triggers,
        needed: u8,
    ) -> Vec<Caps<'a>> {
        self.scan_spans(re, triggers, Some(needed), true)
    }

    fn scan_sentences(&self, re: &Regex, triggers: &Triggers, needed: Option<u8>) -> Vec<Caps<'a>> {
        self.scan_spans(re, triggers, needed, false)
    }

    fn scan_spans(
        &self,
        re: &Regex,
        triggers: &Triggers,
        needed: Option<u8>,
        and_next: bool,
    ) -> Vec<Caps<'a>> {
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for &(id, pos) in &self.triggers {
            if !triggers.has(id) {
                continue;
            }
            // a trigger in a sentence already taken adds nothing, unless that sentence was taken
            // as the one after another: it still adds its own next
            let covered = spans.last().is_some_and(|&(s, e)| s <= pos && pos < e);
            if covered && !and_next {
                continue;
            }
            let end = self.sentence_end(pos);
            // (the next sentence ends at the first boundary after this one's end mark)
            let end = if and_next && end < self.text.len() {
                self.sentence_end(end + 1).max(end)
            } else {
                end
            };
            if spans.last().is_some_and(|&(_, e)| end <= e) {
                continue;
            }
            spans.push((self.sentence_start(pos), end));
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
    fn a_trigger_set_holds_exactly_its_words() {
        let set = Triggers::of(&["成交", "净"]);
        for (id, word) in TRIGGER_WORDS.iter().enumerate() {
            assert_eq!(set.has(id), ["成交", "净"].contains(word), "{word}");
        }
        let from_macro = triggers!(INDEX_WORDS);
        assert!(INDEX_WORDS
            .iter()
            .all(|w| from_macro.has(TRIGGER_WORDS.iter().position(|t| t == w).unwrap())));
    }

    #[test]
    fn scan_with_next_reads_the_sentence_after_each_trigger_and_no_further() {
        let text = "沪指大跌。跌幅达2%。成交缩量。下跌3%。上证50走弱。深指也跌。跌幅4%。";
        let s = Structure::new(text, &[]);
        let re = Regex::new(r"(?P<a>\d+)%").unwrap();
        let found: Vec<&str> = s
            .scan_with_next_needing(&re, triggers!(INDEX_WORDS), b'%')
            .iter()
            .map(|c| c.get(0).unwrap().text)
            .collect();
        // 2% follows 沪指's sentence, 4% follows 深指's (itself the sentence after 上证50's);
        // 3% is two sentences after any index
        assert_eq!(found, ["2%", "4%"]);
    }

    #[test]
    fn scan_needing_finds_what_scan_finds_in_sentences_holding_the_byte() {
        let text = "沪指上涨1.2%。指标上涨3点。创业板指下跌0.5%，成交放量。";
        let s = Structure::new(text, &[]);
        let re = Regex::new(r"(?P<d>上涨|下跌)(?P<a>\d+(?:\.\d+)?)%").unwrap();
        let matched = |caps: Vec<Caps>| -> Vec<usize> {
            caps.iter().map(|c| c.get(0).unwrap().start()).collect()
        };
        let all = matched(s.scan(&re, triggers!(INDEX_WORDS)));
        let gated = matched(s.scan_needing(&re, triggers!(INDEX_WORDS), b'%'));
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(gated, all);
        let points = Regex::new(r"上涨(?P<a>\d+)点").unwrap();
        assert_eq!(s.scan(&points, triggers!(INDEX_WORDS)).len(), 1);
        assert!(
            s.scan_needing(&points, triggers!(INDEX_WORDS), b'%')
                .is_empty(),
            "the sentence holding 3点 has no %"
        );
    }

    #[test]
    #[should_panic(expected = "is not in TRIGGER_WORDS")]
    fn a_word_that_is_not_a_trigger_is_a_bug() {
        Triggers::of(&["不是触发词"]);
    }
}

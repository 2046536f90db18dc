//! Index terms: the pipeline's tokens packed into one string per field ([`IndexTerms`]), read
//! back by the [`PackedTerms`] tokenizer; query text analysed the same way ([`query_terms`]).

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::lexicon::is_han;
use crate::normalize::{NormText, OrigCursor};
use crate::segment::{Doc, Segmenter};

/// Tokens longer than this (base64 blobs, runs of digits) are not indexed.
const MAX_TERM_BYTES: usize = 100;

/// Separates a term's position from the term in [`IndexTerms::packed`].
const POSITION_END: char = '\u{1f}';
/// Ends a term record in [`IndexTerms::packed`].
const TERM_END: char = '\u{1e}';

/// The tokenizer of the term fields: reads the records of an [`IndexTerms`] string
/// (`position U+001F term U+001E`, repeated) into one reused token. A record that does not parse
/// (a plain string given to the field by mistake) is skipped.
#[derive(Clone, Default)]
pub struct PackedTerms {
    token: Token,
}

impl PackedTerms {
    /// The `(position, term)` pairs this tokenizer reads from a packed value, in order.
    pub fn read(packed: &str) -> Vec<(usize, String)> {
        let mut tokenizer = PackedTerms::default();
        let mut stream = tokenizer.token_stream(packed);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().position, stream.token().text.clone()));
        }
        out
    }
}

impl Tokenizer for PackedTerms {
    type TokenStream<'a> = PackedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PackedStream<'a> {
        self.token.reset();
        PackedStream {
            rest: text,
            token: &mut self.token,
        }
    }
}

/// The token stream of [`PackedTerms`].
pub struct PackedStream<'a> {
    rest: &'a str,
    token: &'a mut Token,
}

impl TokenStream for PackedStream<'_> {
    fn advance(&mut self) -> bool {
        // Both separators are single bytes that never occur inside a UTF-8 sequence, so a byte
        // search finds them and every slice below is on a char boundary (`str::split_once` with
        // a char pattern verified each hit with a `memcmp` call, a tenth of the indexing time).
        let bytes = self.rest.as_bytes();
        let mut at = 0;
        while let Some(sep) = memchr::memchr(POSITION_END as u8, &bytes[at..]).map(|i| at + i) {
            let end = memchr::memchr(TERM_END as u8, &bytes[sep + 1..])
                .map_or(bytes.len(), |i| sep + 1 + i);
            let (position, term) = (&self.rest[at..sep], &self.rest[sep + 1..end]);
            at = (end + 1).min(bytes.len());
            if let Ok(position) = position.parse::<usize>() {
                self.token.text.clear();
                self.token.text.push_str(term);
                self.token.position = position;
                self.token.position_length = 1;
                self.rest = &self.rest[at..];
                return true;
            }
        }
        self.rest = "";
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Token spans with runs of adjacent Latin-letter-and-digit tokens joined into one: the
/// segmenter cuts a Latin word where a dictionary word starts inside it (`JCPOA` → `J` `CPO` `A`),
/// but a Latin word is searched as a whole (`CPO` must not find `CPOP` or `JCPOA`).
fn whole_latin_words<'t>(
    spans: impl Iterator<Item = (usize, usize)> + 't,
    text: &'t str,
) -> impl Iterator<Item = (usize, usize)> + 't {
    let latin =
        |(s, e): (usize, usize)| text.as_bytes()[s..e].iter().all(u8::is_ascii_alphanumeric);
    let mut spans = spans.peekable();
    std::iter::from_fn(move || {
        let (start, mut end) = spans.next()?;
        if end > start && latin((start, end)) {
            while let Some(&next) = spans.peek() {
                if next.0 != end || next.1 == next.0 || !latin(next) {
                    break;
                }
                end = next.1;
                spans.next();
            }
        }
        Some((start, end))
    })
}

/// The index term of a token of normalised text: lowercased; `None` for whitespace, punctuation
/// and over-long tokens.
pub fn index_term(token: &str) -> Option<String> {
    is_index_term(token).then(|| token.to_ascii_lowercase())
}

/// True when a token is indexed: it has a letter or digit, no control character (the packed
/// records use two as separators), and is not over-long.
fn is_index_term(token: &str) -> bool {
    if token.len() > MAX_TERM_BYTES {
        return false;
    }
    // one pass over the characters for both tests; han first: it is most tokens, and the
    // general Unicode lookup is slow for it
    let mut wordy = false;
    for c in token.chars() {
        if c.is_control() {
            return false;
        }
        wordy = wordy || is_han(c) || c.is_ascii_alphanumeric() || c.is_alphanumeric();
    }
    wordy
}

/// The terms of a query text, analysed like article text (normalised, segmented by the same
/// segmenter, lowercased), each with its character offset relative to the first.
pub fn query_terms(text: &str, segmenter: &Segmenter) -> Vec<(usize, String)> {
    let norm = NormText::new(text);
    let mut terms = Vec::new();
    let mut chars = 0;
    let spans = segmenter
        .segment(&norm.text)
        .into_iter()
        .map(|t| (t.start as usize, t.end as usize));
    for (start, end) in whole_latin_words(spans, &norm.text) {
        let token = &norm.text[start..end];
        if let Some(term) = index_term(token) {
            terms.push((chars, term));
        }
        chars += token.chars().count();
    }
    let first = terms.first().map_or(0, |t| t.0);
    terms.into_iter().map(|(at, t)| (at - first, t)).collect()
}

/// The index terms of one text: one per wordy token, plus the dictionary words inside longer han
/// tokens, each at its character position, packed for [`PackedTerms`], with the span of each in
/// the original text.
#[derive(Debug, Clone, Default)]
pub struct IndexTerms {
    /// `position U+001F term U+001E` per term, in order of position.
    packed: String,
    /// Per term: where its record starts in `packed`, and its byte span in the original text.
    records: Vec<TermRecord>,
}

#[derive(Debug, Clone, Copy)]
struct TermRecord {
    at: u32,
    from: u32,
    to: u32,
}

/// One term of an [`IndexTerms`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexTerm<'a> {
    /// The term (lowercased).
    pub text: &'a str,
    /// Character offset in the normalised text.
    pub position: usize,
    /// Byte span in the original text.
    pub from: usize,
    /// End of that span.
    pub to: usize,
}

impl IndexTerms {
    /// The terms of `doc`, with spans in its original text.
    pub fn new(doc: &Doc, segmenter: &Segmenter) -> IndexTerms {
        let text = doc.text();
        let (max_terms, max_bytes) = IndexTerms::bounds(doc);
        let mut terms = IndexTerms {
            packed: String::with_capacity(max_bytes),
            records: Vec::with_capacity(max_terms),
        };
        let mut position = 0;
        let mut orig = doc.orig_cursor();
        let spans = doc
            .tokens
            .iter()
            .map(|t| (t.start as usize, t.end as usize));
        for (start, end) in whole_latin_words(spans, text) {
            let token = &text[start..end];
            if is_index_term(token) {
                let (from, to) = orig.span_to_orig(start, end);
                terms.push(token, position, from, to);
                terms.inner_words(doc, &mut orig, segmenter, (start, end), position);
            }
            position += token.chars().count();
        }
        debug_assert!(terms.packed.len() <= max_bytes && terms.records.len() <= max_terms);
        terms
    }

    /// Most terms and most packed bytes the terms of `doc` can take: every token and every
    /// possible inner word, each with the longest position. Reserving that once means the packed
    /// string is never copied to grow, which on a huge article would hold the old and the new
    /// buffer at once; the part of the reservation left unwritten is never touched, so it does
    /// not count in the resident memory.
    fn bounds(doc: &Doc) -> (usize, usize) {
        let digits = doc.text().len().max(1).ilog10() as usize + 1;
        let (mut terms, mut bytes) = (0, 0);
        for t in &doc.tokens {
            let len = (t.end - t.start) as usize;
            terms += 1;
            bytes += len;
            let chars = len / 3; // han characters are three bytes; others get no inner words
            for inner in 2..=MAX_INNER_CHARS.min(chars.saturating_sub(1)) {
                let count = chars - inner + 1;
                terms += count;
                bytes += count * inner * 3;
            }
        }
        (
            terms,
            bytes + terms * (digits + POSITION_END.len_utf8() + TERM_END.len_utf8()),
        )
    }

    fn push(&mut self, token: &str, position: usize, from: usize, to: usize) {
        self.records.push(TermRecord {
            at: self.packed.len() as u32,
            from: from as u32,
            to: to as u32,
        });
        self.packed.push_str(itoa::Buffer::new().format(position));
        self.packed.push(POSITION_END);
        let term_start = self.packed.len();
        self.packed.push_str(token);
        self.packed[term_start..].make_ascii_lowercase();
        self.packed.push(TERM_END);
    }

    /// The dictionary words of two to four characters inside the han token `start..end` (jieba's
    /// search mode does the same), in order of position.
    fn inner_words(
        &mut self,
        doc: &Doc,
        orig: &mut OrigCursor,
        segmenter: &Segmenter,
        (start, end): (usize, usize),
        position: usize,
    ) {
        let text = doc.text();
        let word = &text[start..end];
        if word.len() < 3 * 3 || !word.chars().all(is_han) {
            return; // fewer than three characters (han ones are three bytes), or not all han
        }
        let longest = MAX_INNER_CHARS.min(word.len() / 3 - 1);
        for inner in segmenter.words_within(word) {
            if (2..=longest).contains(&inner.chars) {
                let (s, e) = (start + inner.start, start + inner.end);
                let (from, to) = orig.span_to_orig(s, e);
                self.push(&text[s..e], position + inner.char_start, from, to);
            }
        }
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when the text has no term.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The packed records (the value given to a term field).
    pub fn packed(&self) -> &str {
        &self.packed
    }

    /// The packed records, taking them out.
    pub fn into_packed(self) -> String {
        self.packed
    }

    /// The terms, in order.
    pub fn iter(&self) -> impl Iterator<Item = IndexTerm<'_>> + '_ {
        self.records.iter().enumerate().map(|(i, r)| {
            let end = self
                .records
                .get(i + 1)
                .map_or(self.packed.len(), |next| next.at as usize);
            let record = &self.packed[r.at as usize..end - TERM_END.len_utf8()];
            let (position, text) = record.split_once(POSITION_END).unwrap_or(("0", record));
            IndexTerm {
                text,
                position: position.parse().unwrap_or(0),
                from: r.from as usize,
                to: r.to as usize,
            }
        })
    }

    /// The packed records of the terms from the first one starting at or after byte `start` of
    /// the original text, up to the first that ends after `end` (a claim's evidence).
    pub fn within(&self, start: usize, end: usize) -> &str {
        let first = self.records.partition_point(|r| (r.from as usize) < start);
        let last = first
            + self.records[first..]
                .iter()
                .take_while(|r| r.to as usize <= end)
                .count();
        let at = |i: usize| {
            self.records
                .get(i)
                .map_or(self.packed.len(), |r| r.at as usize)
        };
        &self.packed[at(first)..at(last)]
    }
}

/// Longest inner word considered, in characters.
const MAX_INNER_CHARS: usize = 4;

#[cfg(test)]
/// The index terms of `original`, segmented by plain jieba.
pub(super) fn terms_of(original: &str) -> IndexTerms {
    let segmenter = Segmenter::plain();
    IndexTerms::new(&Doc::new(original, &segmenter), &segmenter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_terms_skip_punctuation_and_lowercase() {
        let cases = [
            ("KIMI", Some("kimi")),
            ("算力", Some("算力")),
            ("，", None),
            (" ", None),
            ("3000P", Some("3000p")),
            ("【", None),
        ];
        for (token, want) in cases {
            assert_eq!(index_term(token).as_deref(), want, "{token:?}");
        }
    }

    #[test]
    fn term_offsets_point_into_the_original() {
        let original = "在手３０００Ｐ，算力";
        let terms = terms_of(original);
        for t in terms.iter() {
            assert!(original.is_char_boundary(t.from));
            assert!(original.is_char_boundary(t.to));
        }
        assert!(terms.iter().all(|t| !t.text.contains('，')));
        assert!(terms.iter().any(|t| t.text == "3000p"), "lowercased");
        let suanli = terms
            .iter()
            .find(|t| t.text == "算力")
            .expect("算力 indexed");
        assert_eq!(
            suanli.position,
            "在手３０００Ｐ，".chars().count(),
            "positions are chars"
        );
        assert_eq!(&original[suanli.from..suanli.to], "算力");
    }

    #[test]
    fn words_inside_long_tokens_are_indexed_at_their_offsets() {
        let original = "中华人民共和国成立";
        let terms = terms_of(original);
        let at = |word: &str| terms.iter().find(|t| t.text == word).map(|t| t.position);
        assert_eq!(at("中华人民共和国"), Some(0));
        assert_eq!(at("人民"), Some(2));
        assert_eq!(at("共和国"), Some(4));
        let positions: Vec<usize> = terms.iter().map(|t| t.position).collect();
        assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{positions:?}");
    }

    #[test]
    fn the_tokenizer_reads_back_every_term_in_order() {
        let original = "利通电子在手3000P算力，中华人民共和国成立。KIMI 月之暗面";
        let terms = terms_of(original);
        let want: Vec<(usize, String)> = terms
            .iter()
            .map(|t| (t.position, t.text.to_string()))
            .collect();
        assert!(want.len() > 8, "{want:?}");
        assert_eq!(PackedTerms::read(terms.packed()), want);
        assert!(want.iter().any(|(_, t)| t == "kimi"));
    }

    #[test]
    fn a_claim_span_keeps_the_terms_inside_it() {
        let original = "今天大涨。利通电子在手算力，明天再看。";
        let terms = terms_of(original);
        let start = original.find("利通").unwrap();
        let end = original.find('，').unwrap();
        let inside = PackedTerms::read(terms.within(start, end));
        let words: Vec<&str> = inside.iter().map(|(_, t)| t.as_str()).collect();
        assert!(words.contains(&"算力"), "{words:?}");
        assert!(
            !words.contains(&"大涨") && !words.contains(&"明天"),
            "{words:?}"
        );
        let first = terms.iter().find(|t| t.text == words[0]).unwrap();
        assert_eq!(
            inside[0].0, first.position,
            "positions stay article positions"
        );
        assert_eq!(terms.within(end, end), "");
    }

    #[test]
    fn the_reserved_room_holds_every_term() {
        let segmenter = Segmenter::plain();
        let seed = include_str!("../../corpus/recap-2024-03.txt");
        for text in [
            seed,
            "中华人民共和国国务院总理",
            "ＡＢＣ　利通电子3000P",
            &"算力租赁".repeat(3000),
            "",
        ] {
            let doc = Doc::new(text, &segmenter);
            let (max_terms, max_bytes) = IndexTerms::bounds(&doc);
            let terms = IndexTerms::new(&doc, &segmenter);
            assert!(terms.len() <= max_terms, "{} > {max_terms}", terms.len());
            assert!(
                terms.packed().len() <= max_bytes,
                "{} > {max_bytes}",
                terms.packed().len()
            );
            // reserved, not written: the unused part never becomes resident
            assert!(
                max_bytes <= 10 * text.len() + 64,
                "{max_bytes} for {} bytes",
                text.len()
            );
        }
    }

    #[test]
    fn malformed_packed_records_are_skipped() {
        let packed = "x\u{1f}bad\u{1e}3\u{1f}好\u{1e}7\u{1f}尾";
        assert_eq!(
            PackedTerms::read(packed),
            [(3, "好".to_string()), (7, "尾".to_string())]
        );
        assert!(PackedTerms::read("plain text given by mistake").is_empty());
    }

    #[test]
    fn query_terms_carry_character_offsets() {
        let segmenter = Segmenter::plain();
        let terms = query_terms("，在手 算力", &segmenter);
        let offsets: Vec<usize> = terms.iter().map(|t| t.0).collect();
        assert_eq!(offsets, [0, 3]);
    }
}

//! The one dictionary-aware jieba pass. Every later stage (recognition, claims, the index) works
//! on these tokens, so the text is segmented once per article: a [`Doc`] is an article's
//! normalised text with its [`Tokens`].

use jieba_rs::Jieba;

use crate::lexicon::{FormKind, Lexicon};
use crate::normalize::NormText;

/// A token: a byte span of the normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte start.
    pub start: u32,
    /// Byte end.
    pub end: u32,
}

/// jieba with every dictionary form and finance word added, built once and shared.
pub struct Segmenter {
    jieba: Jieba,
}

/// Frequency given to dictionary names: high enough that the segmenter keeps them whole.
const NAME_FREQ: usize = 200_000;

impl Segmenter {
    /// jieba's default dictionary plus every stock, concept, organisation and finance word.
    pub fn new(lexicon: &Lexicon) -> Segmenter {
        Segmenter::extend(Jieba::new(), lexicon)
    }

    /// `jieba` (its default dictionary, loaded beforehand) plus every stock, concept,
    /// organisation and finance word of `lexicon`.
    pub fn extend(mut jieba: Jieba, lexicon: &Lexicon) -> Segmenter {
        for (form, senses) in lexicon.forms() {
            if form.chars().count() > 12 {
                continue; // full company names: matched by the automaton, not needed as tokens
            }
            let tag = match senses[0].form {
                FormKind::Concept => "nz",
                FormKind::Organization => "nt",
                _ => "nr",
            };
            jieba.add_word(form, Some(NAME_FREQ), Some(tag));
        }
        for word in &lexicon.finance_words {
            jieba.add_word(word, Some(NAME_FREQ / 2), Some("n"));
        }
        Segmenter { jieba }
    }

    /// Plain jieba with its default dictionary (the baseline the benchmarks compare against).
    pub fn plain() -> Segmenter {
        Segmenter {
            jieba: Jieba::new(),
        }
    }

    /// Segments `text`; tokens cover it without gaps, in order.
    ///
    /// jieba is given the text in pieces of at most [`CHUNK_BYTES`], cut after a space or a
    /// punctuation mark where there is one: its own per-word results are four times the size of
    /// ours, and a 50 MB line must not hold them all at once.
    pub fn segment(&self, text: &str) -> Vec<Token> {
        let mut tokens = Vec::with_capacity(text.len() / 4);
        let mut from = 0;
        while from < text.len() {
            let end = chunk_end(text, from);
            tokens.extend(
                self.jieba
                    .cut(&text[from..end], true)
                    .into_iter()
                    .map(|t| Token {
                        start: (from + t.byte_start) as u32,
                        end: (from + t.byte_end) as u32,
                    }),
            );
            from = end;
        }
        tokens
    }

    /// True when jieba's dictionary (default or added) has the word.
    pub fn has_word(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }

    /// How common `word` is as a word: its dictionary frequency, or about 1 for characters that
    /// jieba would not join.
    pub fn word_freq(&self, word: &str) -> usize {
        self.jieba.suggest_freq(word)
    }

    /// Every dictionary word inside `text`, by start and then by length, as character start,
    /// character length and byte span (jieba's full mode, one walk of its trie from each
    /// character). Characters outside jieba's CJK ranges split the walk, and runs of them come
    /// out as they are.
    pub fn words_within<'a>(&self, text: &'a str) -> impl Iterator<Item = InnerWord> + 'a {
        self.jieba.cut_all(text).into_iter().map(|t| InnerWord {
            char_start: t.start,
            chars: t.end - t.start,
            start: t.byte_start,
            end: t.byte_end,
        })
    }
}

/// A word of [`Segmenter::words_within`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InnerWord {
    /// Characters before it in the text searched.
    pub char_start: usize,
    /// Its length in characters.
    pub chars: usize,
    /// Byte start in the text searched.
    pub start: usize,
    /// Byte end in the text searched.
    pub end: usize,
}

/// Most text given to jieba at once.
pub const CHUNK_BYTES: usize = 64 << 10;

/// The end of the piece of `text` that starts at `from`: the end of the text when it is near,
/// else just after the last space or punctuation mark in the second half of the allowed length
/// (jieba splits there anyway), else the last character that fits.
fn chunk_end(text: &str, from: usize) -> usize {
    if text.len() - from <= CHUNK_BYTES {
        return text.len();
    }
    let half = text.floor_char_boundary(from + CHUNK_BYTES / 2);
    let limit = text.floor_char_boundary(from + CHUNK_BYTES);
    text[half..limit]
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c.is_ascii_punctuation() || is_cjk_punctuation(c))
        .map_or(limit, |(i, c)| half + i + c.len_utf8())
}

/// CJK and full-width punctuation: the ideographic symbols block and the full-width forms that
/// are not letters or digits.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}')
        || (matches!(c, '\u{FF00}'..='\u{FFEF}') && !c.is_alphanumeric())
}

/// An article prepared for analysis: the original text, borrowed, its normalised form and the
/// one segmentation of that. Every later stage takes a `Doc` and reports spans in `original`.
pub struct Doc<'a> {
    /// The text as read; spans of claims and mentions are byte offsets into it.
    pub original: &'a str,
    /// Normalised text with the map back to the original.
    pub norm: NormText,
    /// The segmentation of `norm.text`.
    pub tokens: Tokens,
}

impl<'a> Doc<'a> {
    /// Normalises and segments a text.
    pub fn new(original: &'a str, segmenter: &Segmenter) -> Doc<'a> {
        let norm = NormText::new(original);
        let tokens = Tokens::from(segmenter.segment(&norm.text));
        Doc {
            original,
            norm,
            tokens,
        }
    }

    /// The normalised text.
    pub fn text(&self) -> &str {
        &self.norm.text
    }

    /// The span of the original text that the normalised span `start..end` came from.
    pub fn span_to_orig(&self, start: usize, end: usize) -> (usize, usize) {
        self.norm.span_to_orig(start, end, self.original)
    }

    /// [`Doc::span_to_orig`] for many spans in about text order (cheaper than one at a time).
    pub fn orig_cursor(&self) -> crate::normalize::OrigCursor<'_> {
        self.norm.cursor(self.original)
    }

    /// The normalised text and tokens without the borrow of the original, to be kept beside the
    /// text they were made from (as [`Analysis`](crate::pipeline::Analysis) keeps them beside its
    /// article) and attached to it again.
    pub fn detach(self) -> DetachedDoc {
        DetachedDoc {
            norm: self.norm,
            tokens: self.tokens,
        }
    }
}

/// A [`Doc`] without its original text ([`Doc::detach`]): nothing is copied either way.
#[derive(Debug, Clone)]
pub struct DetachedDoc {
    norm: NormText,
    tokens: Tokens,
}

impl DetachedDoc {
    /// The `Doc` again, over `original`, which must be the text it was made from.
    pub fn attach(self, original: &str) -> Doc<'_> {
        debug_assert_eq!(
            self.norm.to_orig(self.norm.text.len()),
            original.len(),
            "a Doc attached to another text"
        );
        Doc {
            original,
            norm: self.norm,
            tokens: self.tokens,
        }
    }
}

/// The segmentation of one text: its tokens in order, covering it without gaps, with boundary
/// look-ups.
#[derive(Debug, Clone, Default)]
pub struct Tokens(Vec<Token>);

impl From<Vec<Token>> for Tokens {
    /// The tokens [`Segmenter::segment`] gave.
    fn from(tokens: Vec<Token>) -> Tokens {
        Tokens(tokens)
    }
}

impl<'a> IntoIterator for &'a Tokens {
    type Item = &'a Token;
    type IntoIter = std::slice::Iter<'a, Token>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Tokens {
    /// The tokens in order.
    pub fn as_slice(&self) -> &[Token] {
        &self.0
    }

    /// The tokens in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Token> {
        self.0.iter()
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when the text was empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Index of the token that contains byte `offset`.
    pub fn index_at(&self, offset: usize) -> Option<usize> {
        let off = offset as u32;
        let i = self.0.partition_point(|t| t.end <= off);
        (i < self.0.len() && self.0[i].start <= off).then_some(i)
    }

    /// True when a token starts at `offset`.
    pub fn starts_at(&self, offset: usize) -> bool {
        self.index_at(offset)
            .is_some_and(|i| self.0[i].start as usize == offset)
    }

    /// True when `offset` falls strictly inside a token of two or more characters.
    pub fn inside_word(&self, offset: usize) -> bool {
        self.index_at(offset).is_some_and(|i| {
            let t = self.0[i];
            t.start as usize != offset && t.end - t.start > 3
        })
    }

    /// True when a token ends at `offset`.
    pub fn ends_at(&self, offset: usize) -> bool {
        offset == 0
            || self
                .index_at(offset - 1)
                .is_some_and(|i| self.0[i].end as usize == offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_segmented_in_pieces_as_if_whole() {
        let segmenter = Segmenter::plain();
        let sentence = "利通电子在手算力三千P，公司业绩大幅增长。";
        let text = sentence.repeat(CHUNK_BYTES / sentence.len() * 3);
        let tokens = segmenter.segment(&text);
        // No gaps, no overlaps, all of the text.
        assert_eq!(tokens[0].start, 0);
        assert_eq!(tokens.last().unwrap().end as usize, text.len());
        assert!(tokens.windows(2).all(|w| w[0].end == w[1].start));
        // Cut after punctuation, so every copy of the sentence is segmented alike.
        let one = segmenter.segment(sentence);
        let words = |ts: &[Token]| -> Vec<String> {
            ts.iter()
                .map(|t| text[t.start as usize..t.end as usize].to_string())
                .collect()
        };
        let all = words(&tokens);
        let first = words(&one);
        assert_eq!(all.len(), first.len() * (text.len() / sentence.len()));
        assert!(all.chunks(first.len()).all(|c| c == first.as_slice()));
    }

    #[test]
    fn text_without_any_break_is_cut_at_a_character_boundary() {
        let segmenter = Segmenter::plain();
        let text = "涨".repeat(CHUNK_BYTES); // three bytes each, no space or mark anywhere
        let tokens = segmenter.segment(&text);
        assert_eq!(tokens.last().unwrap().end as usize, text.len());
        assert!(tokens.windows(2).all(|w| w[0].end == w[1].start));
        assert!(tokens
            .iter()
            .all(|t| text.is_char_boundary(t.start as usize)));
    }

    /// `words_within` finds exactly the substrings `has_word` accepts, in order of start and
    /// then length, over every han stretch of the seed article.
    #[test]
    fn words_within_are_the_dictionary_substrings() {
        let segmenter = Segmenter::plain();
        let seed = include_str!("../corpus/recap-2024-03.txt");
        let mut stretches = 0;
        for run in seed.split(|c: char| !crate::lexicon::is_han(c)) {
            if run.chars().count() < 2 {
                continue;
            }
            stretches += 1;
            let starts: Vec<usize> = run
                .char_indices()
                .map(|(i, _)| i)
                .chain([run.len()])
                .collect();
            let mut expected = Vec::new();
            for i in 0..starts.len() - 1 {
                for j in i + 1..starts.len() {
                    if segmenter.has_word(&run[starts[i]..starts[j]]) {
                        expected.push(InnerWord {
                            char_start: i,
                            chars: j - i,
                            start: starts[i],
                            end: starts[j],
                        });
                    }
                }
            }
            let found: Vec<InnerWord> = segmenter.words_within(run).collect();
            assert_eq!(found, expected, "in {run}");
        }
        assert!(stretches > 20, "{stretches} han stretches");
    }
}

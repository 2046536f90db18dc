//! The one dictionary-aware jieba pass. Every later stage (recognition, claims, the index) works
//! on these tokens, so the text is segmented once per article.

use jieba_rs::Jieba;

use crate::lexicon::{FormKind, Lexicon};

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
        let mut jieba = Jieba::new();
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
    pub fn segment(&self, text: &str) -> Vec<Token> {
        self.jieba
            .cut(text, true)
            .into_iter()
            .map(|t| Token {
                start: t.byte_start as u32,
                end: t.byte_end as u32,
            })
            .collect()
    }

    /// True when jieba's dictionary (default or added) has the word.
    pub fn has_word(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }
}

/// The segmentation of one text, with boundary look-ups.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// Tokens in order.
    pub tokens: Vec<Token>,
}

impl Tokens {
    /// Index of the token that contains byte `offset`.
    pub fn index_at(&self, offset: usize) -> Option<usize> {
        let off = offset as u32;
        let i = self.tokens.partition_point(|t| t.end <= off);
        (i < self.tokens.len() && self.tokens[i].start <= off).then_some(i)
    }

    /// True when a token starts at `offset`.
    pub fn starts_at(&self, offset: usize) -> bool {
        self.index_at(offset)
            .is_some_and(|i| self.tokens[i].start as usize == offset)
    }

    /// True when `offset` falls strictly inside a token of two or more characters.
    pub fn inside_word(&self, offset: usize) -> bool {
        self.index_at(offset).is_some_and(|i| {
            let t = self.tokens[i];
            t.start as usize != offset && t.end - t.start > 3
        })
    }

    /// True when a token ends at `offset`.
    pub fn ends_at(&self, offset: usize) -> bool {
        offset == 0
            || self
                .index_at(offset - 1)
                .is_some_and(|i| self.tokens[i].end as usize == offset)
    }
}

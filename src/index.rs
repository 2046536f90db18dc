//! The full-text index: a tantivy index fed the tokens the pipeline already has.
//!
//! Takes [`Analysis`] results of [`Engine::run`] and writes a directory that
//! [`crate::search`] reads. The article body is indexed from the tokens the pipeline already has:
//! its terms are the tokens of the one segmentation of the normalised text (`doc.tokens`),
//! lowercased, with whitespace and punctuation left out. So the index, the recogniser and the
//! claims agree on every word boundary, and nothing is segmented twice. Query text goes through
//! the same steps ([`query_terms`]).
//!
//! The terms reach tantivy packed into one string per field value ([`IndexTerms`]), which the
//! [`PackedTerms`] tokenizer reads back with one reused token. tantivy's own pre-tokenized values
//! hold a `String` per token and are cloned twice on their way to the indexing threads; at tens of
//! millions of tokens that allocation was a third of the indexing cost.
//!
//! Each article is one tantivy document (`doc_type` `article`), and each of its claims one more
//! (`doc_type` `claim`), so claims can be filtered by kind, subject and value. Articles are keyed by
//! their content id: a run adds only ids the index does not have, and commits every 128 MB of text
//! (or 200,000 articles), so an interrupted run leaves a usable index and the next run completes
//! it. Commits are few on purpose: each one stalls the indexing threads and adds segments to merge
//! (committing every 32 MB cost about 15% of the indexing time on a 100 MB archive).
//!
//! Positions are character offsets in the text, not token ordinals: a phrase never matches across
//! punctuation, and a dictionary word inside a longer token (算力 in 算力租赁, 电子 in 利通电子) is
//! indexed too, at its own offset, so `算力` finds `算力租赁` and phrases still line up whichever
//! way a stretch of text was segmented. Snippets map matched positions back to byte spans through
//! the stored text; the hit is never segmented again.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::AggregationCollector;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{Query, TermQuery};
use tantivy::schema::document::Document;
use tantivy::schema::{
    Field, IndexRecordOption, OwnedValue, Schema, TextFieldIndexing, TextOptions, Value, FAST,
    INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

use crate::calendar;
use crate::error::{Error, Result};
use crate::lexicon::is_han;
use crate::model::{content_key, Article, ArticleRecord, Claim};
use crate::normalize::NormText;
use crate::pipeline::{Analysis, Engine};
use crate::segment::{Doc, Segmenter};

/// The index directory used when none is given (relative to the working directory).
pub const DEFAULT_DIR: &str = "fupan-index";

/// `doc_type` of article documents.
pub const ARTICLE: &str = "article";
/// `doc_type` of claim documents.
pub const CLAIM: &str = "claim";

/// Name of the tokenizer of the term fields (`body`, `title_terms`): [`PackedTerms`]. Indexes
/// made with the earlier pre-tokenized schema have another name here, so opening one asks for
/// `--rebuild`.
const PACKED: &str = "fupan_packed_terms";

/// Tokens longer than this (base64 blobs, runs of digits) are not indexed.
const MAX_TERM_BYTES: usize = 100;

/// The schema fields, resolved once per index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `article` or `claim`.
    pub doc_type: Field,
    /// Content id of the article (for a claim, of its article).
    pub id: Field,
    /// The number the content id spells (fast): breaks ties between equally ranked hits, so
    /// their order does not depend on which indexing thread took which document.
    pub key: Field,
    /// Where the article came from.
    pub source: Field,
    /// Title as written (stored).
    pub title: Field,
    /// Title terms (indexed, with positions).
    pub title_terms: Field,
    /// Date as the integer `YYYYMMDD`.
    pub date: Field,
    /// Author.
    pub author: Field,
    /// Body terms (indexed, with positions): the article text, or the claim's evidence.
    pub body: Field,
    /// The article text or the claim's evidence (stored).
    pub text: Field,
    /// Stock codes: those the article mentions, or the claim's subject.
    pub stock: Field,
    /// Current names of the same stocks, in the same order (for a claim, the subject name).
    pub stock_name: Field,
    /// Canonical concept names of the article (claims carry their article's).
    pub concept: Field,
    /// Organisation names of the article.
    pub organization: Field,
    /// Claim kinds: of the claim, or every kind the article has.
    pub kind: Field,
    /// The claim's single figure.
    pub value: Field,
    /// Lower end of the claim's range.
    pub low: Field,
    /// Upper end of the claim's range.
    pub high: Field,
    /// `value` or `low`: the smallest figure the claim states (fast, for `--max`).
    pub least: Field,
    /// `value` or `high`: the largest figure the claim states (fast, for `--min`).
    pub most: Field,
    /// The claim's unit.
    pub unit: Field,
    /// The claim's qualifier.
    pub qualifier: Field,
    /// Byte start of the claim's evidence in its article (fast: orders a claim after the
    /// claims before it in the same article when they rank equally).
    pub start: Field,
    /// Byte end of the claim's evidence.
    pub end: Field,
}

/// The schema of a fupan index.
pub fn schema() -> Schema {
    let terms = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(PACKED)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let mut b = Schema::builder();
    b.add_text_field("doc_type", STRING);
    b.add_text_field("id", STRING | STORED);
    b.add_u64_field("key", FAST);
    b.add_text_field("source", STRING | STORED);
    b.add_text_field("title", STORED);
    b.add_text_field("title_terms", terms.clone());
    b.add_i64_field("date", INDEXED | STORED | FAST);
    b.add_text_field("author", STRING | STORED);
    b.add_text_field("body", terms);
    b.add_text_field("text", STORED);
    b.add_text_field("stock", STRING | STORED | FAST);
    b.add_text_field("stock_name", STRING | STORED);
    b.add_text_field("concept", STRING | STORED | FAST);
    b.add_text_field("organization", STRING | STORED);
    b.add_text_field("kind", STRING | STORED | FAST);
    b.add_f64_field("value", STORED | FAST);
    b.add_f64_field("low", STORED | FAST);
    b.add_f64_field("high", STORED | FAST);
    b.add_f64_field("least", FAST);
    b.add_f64_field("most", FAST);
    b.add_text_field("unit", STORED);
    b.add_text_field("qualifier", STORED);
    b.add_u64_field("start", STORED | FAST);
    b.add_u64_field("end", STORED);
    b.build()
}

impl Fields {
    fn new(schema: &Schema) -> Fields {
        let f = |name: &str| schema.get_field(name).expect("field of fupan's schema");
        Fields {
            doc_type: f("doc_type"),
            id: f("id"),
            key: f("key"),
            source: f("source"),
            title: f("title"),
            title_terms: f("title_terms"),
            date: f("date"),
            author: f("author"),
            body: f("body"),
            text: f("text"),
            stock: f("stock"),
            stock_name: f("stock_name"),
            concept: f("concept"),
            organization: f("organization"),
            kind: f("kind"),
            value: f("value"),
            low: f("low"),
            high: f("high"),
            least: f("least"),
            most: f("most"),
            unit: f("unit"),
            qualifier: f("qualifier"),
            start: f("start"),
            end: f("end"),
        }
    }
}

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

/// The index term of a token of normalised text: lowercased; `None` for whitespace, punctuation
/// and over-long tokens.
pub fn index_term(token: &str) -> Option<String> {
    is_index_term(token).then(|| token.to_ascii_lowercase())
}

/// True when a token is indexed: it has a letter or digit, no control character (the packed
/// records use two as separators), and is not over-long.
fn is_index_term(token: &str) -> bool {
    // Han first: it is most tokens, and the general Unicode lookup is slow for it.
    token.len() <= MAX_TERM_BYTES
        && token
            .chars()
            .any(|c| is_han(c) || c.is_ascii_alphanumeric() || c.is_alphanumeric())
        && !token.chars().any(char::is_control)
}

/// The terms of a query text, analysed like article text (normalised, segmented by the same
/// segmenter, lowercased), each with its character offset relative to the first.
pub fn query_terms(text: &str, segmenter: &Segmenter) -> Vec<(usize, String)> {
    let norm = NormText::new(text);
    let mut terms = Vec::new();
    let mut chars = 0;
    for t in segmenter.segment(&norm.text) {
        let token = &norm.text[t.start as usize..t.end as usize];
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
        for t in &doc.tokens {
            let (start, end) = (t.start as usize, t.end as usize);
            let token = &text[start..end];
            if is_index_term(token) {
                let (from, to) = doc.span_to_orig(start, end);
                terms.push(token, position, from, to);
                terms.inner_words(doc, segmenter, (start, end), position);
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
                let (from, to) = doc.span_to_orig(s, e);
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

fn tantivy_error(dir: &Path) -> impl Fn(TantivyError) -> Error + '_ {
    move |e| Error::index(dir, "").because(e)
}

fn index_error(dir: &Path, message: impl Into<String>) -> Error {
    Error::index(dir, message)
}

/// An index directory, opened.
pub struct ArticleIndex {
    index: Index,
    fields: Fields,
    dir: PathBuf,
}

impl ArticleIndex {
    /// Opens an existing index; a clear error when there is none.
    pub fn open(dir: &Path) -> Result<ArticleIndex> {
        if !dir.join("meta.json").is_file() {
            return Err(index_error(
                dir,
                "no index here; create one with `fupan index PATH…` (or pass --index DIR)",
            ));
        }
        let index = Index::open_in_dir(dir).map_err(tantivy_error(dir))?;
        ArticleIndex::wrap(dir, index)
    }

    /// Opens the index in `dir`, creating it when absent. With `rebuild`, an index that cannot
    /// be opened (another fupan version, damage) is deleted and created anew.
    pub fn open_or_create(dir: &Path, rebuild: bool) -> Result<ArticleIndex> {
        if dir.join("meta.json").is_file() {
            match ArticleIndex::open(dir) {
                Err(_) if rebuild => remove_index(dir)?,
                opened => return opened,
            }
        }
        let io = |source| Error::Io {
            path: dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        if std::fs::read_dir(dir).map_err(io)?.next().is_some() {
            return Err(index_error(
                dir,
                "the directory is not empty and holds no fupan index; choose another with --index",
            ));
        }
        let index = Index::create_in_dir(dir, schema()).map_err(tantivy_error(dir))?;
        ArticleIndex::wrap(dir, index)
    }

    fn wrap(dir: &Path, index: Index) -> Result<ArticleIndex> {
        if index.schema() != schema() {
            return Err(index_error(
                dir,
                "made by another version of fupan; recreate it with `fupan index --rebuild PATH…`",
            ));
        }
        index.tokenizers().register(PACKED, PackedTerms::default());
        Ok(ArticleIndex {
            fields: Fields::new(&index.schema()),
            index,
            dir: dir.to_path_buf(),
        })
    }

    /// The schema fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A reader of the last commit (a run in progress does not disturb it).
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tantivy_error(&self.dir))
    }

    /// Maps a tantivy error to the library's error for this index.
    pub fn error(&self, e: TantivyError) -> Error {
        Error::index(&self.dir, "").because(e)
    }

    /// Content ids of every article in the index, as numbers (see [`KnownIds`]).
    fn known_ids(&self) -> Result<KnownIds> {
        let searcher = self.reader()?.searcher();
        let mut ids = KnownIds::default();
        for segment in searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.fields.id)
                .map_err(|e| self.error(e))?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(|e| Error::index(&self.dir, "").because(e))?;
            while terms.advance() {
                let key = std::str::from_utf8(terms.key())
                    .ok()
                    .and_then(|id| u64::from_str_radix(id, 16).ok());
                if let Some(key) = key {
                    ids.insert(key);
                }
            }
        }
        Ok(ids)
    }

    /// A writer for this index (one at a time: a second concurrent run gets a clear error).
    pub fn indexer<'a>(&'a self, engine: &'a Engine, options: IndexOptions) -> Result<Indexer<'a>> {
        let writer: IndexWriter<IndexDoc> =
            self.index
                .writer(options.writer_memory)
                .map_err(|e| match e {
                    TantivyError::LockFailure(..) => index_error(
                        &self.dir,
                        "another `fupan index` is writing to this index; try again when it is done",
                    ),
                    e => self.error(e),
                })?;
        let known = if options.rebuild {
            writer.delete_all_documents().map_err(|e| self.error(e))?;
            KnownIds::default()
        } else {
            self.known_ids()?
        };
        Ok(Indexer {
            index: self,
            segmenter: engine.segmenter(),
            writer,
            known,
            options,
            pending_articles: 0,
            pending_bytes: 0,
        })
    }

    /// Article and claim counts, date range, top stocks and concepts, claims per kind, size.
    pub fn stats(&self, top: usize) -> Result<IndexStats> {
        let searcher = self.reader()?.searcher();
        let of_type = |t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(self.fields.doc_type, t),
                IndexRecordOption::Basic,
            ))
        };
        let article_aggs = serde_json::json!({
            "stocks": {"terms": {"field": "stock", "size": top}},
            "concepts": {"terms": {"field": "concept", "size": top}},
            "dates": {"stats": {"field": "date"}},
        });
        let claim_aggs = serde_json::json!({"kinds": {"terms": {"field": "kind", "size": 64}}});
        let articles = self.aggregate(&searcher, &*of_type(ARTICLE), article_aggs)?;
        let claims = self.aggregate(&searcher, &*of_type(CLAIM), claim_aggs)?;
        let mut top_stocks = Vec::new();
        for (code, count) in buckets(&articles.1["stocks"]) {
            let name = self.stock_name(&searcher, &code)?;
            top_stocks.push(StockCount { code, name, count });
        }
        let date = |key: &str| {
            articles.1["dates"][key]
                .as_f64()
                .map(|d| calendar::number_text(d as i64))
        };
        Ok(IndexStats {
            articles: articles.0,
            claims: claims.0,
            first_date: date("min"),
            last_date: date("max"),
            top_stocks,
            top_concepts: buckets(&articles.1["concepts"]),
            claims_per_kind: buckets(&claims.1["kinds"]),
            segments: searcher.segment_readers().len(),
            bytes_on_disk: size_on_disk(&self.dir),
        })
    }

    /// Runs aggregations over the documents matching `query`: their count and the results as JSON.
    fn aggregate(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        aggs: serde_json::Value,
    ) -> Result<(u64, serde_json::Value)> {
        let aggs: Aggregations =
            serde_json::from_value(aggs).map_err(|e| Error::index(&self.dir, "").because(e))?;
        let collector = AggregationCollector::from_aggs(aggs, Default::default());
        let (count, results) = searcher
            .search(query, &(Count, collector))
            .map_err(|e| self.error(e))?;
        let json =
            serde_json::to_value(results).map_err(|e| Error::index(&self.dir, "").because(e))?;
        Ok((count as u64, json))
    }

    /// The current name of a stock code, from an article that mentions it.
    fn stock_name(&self, searcher: &tantivy::Searcher, code: &str) -> Result<String> {
        let query = TermQuery::new(
            Term::from_field_text(self.fields.stock, code),
            IndexRecordOption::Basic,
        );
        let top = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(|e| self.error(e))?;
        let Some((_, address)) = top.first() else {
            return Ok(String::new());
        };
        let doc: TantivyDocument = searcher.doc(*address).map_err(|e| self.error(e))?;
        let codes = doc.get_all(self.fields.stock).filter_map(|v| v.as_str());
        let names = doc
            .get_all(self.fields.stock_name)
            .filter_map(|v| v.as_str());
        let name = codes
            .zip(names)
            .find(|(c, _)| *c == code)
            .map(|(_, n)| n.to_string());
        Ok(name.unwrap_or_default())
    }
}

/// `(key, doc_count)` of a terms aggregation result.
fn buckets(result: &serde_json::Value) -> Vec<(String, u64)> {
    let Some(list) = result["buckets"].as_array() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|b| Some((b["key"].as_str()?.to_string(), b["doc_count"].as_u64()?)))
        .collect()
}

/// Total size of the files under `dir`.
fn size_on_disk(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => size_on_disk(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Deletes an index directory, only when it holds a tantivy index.
fn remove_index(dir: &Path) -> Result<()> {
    if !dir.join("meta.json").is_file() {
        return Err(index_error(dir, "not an index; not deleting it"));
    }
    std::fs::remove_dir_all(dir).map_err(|source| Error::Io {
        path: dir.display().to_string(),
        source,
    })
}

/// A stock and the number of articles that mention it.
#[derive(Debug, Clone, Serialize)]
pub struct StockCount {
    /// Six-digit code.
    pub code: String,
    /// Current short name.
    pub name: String,
    /// Articles mentioning it.
    pub count: u64,
}

/// What `fupan stats` reports.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// Articles in the index.
    pub articles: u64,
    /// Claims in the index.
    pub claims: u64,
    /// Earliest article date.
    pub first_date: Option<String>,
    /// Latest article date.
    pub last_date: Option<String>,
    /// Most mentioned stocks, by number of articles.
    pub top_stocks: Vec<StockCount>,
    /// Most mentioned concepts, by number of articles.
    pub top_concepts: Vec<(String, u64)>,
    /// Claims per kind.
    pub claims_per_kind: Vec<(String, u64)>,
    /// tantivy segments.
    pub segments: usize,
    /// Size of the index directory.
    pub bytes_on_disk: u64,
}

/// How an index run writes.
#[derive(Debug, Clone, Copy)]
pub struct IndexOptions {
    /// Start over: the first commit replaces everything the index had.
    pub rebuild: bool,
    /// tantivy's indexing memory budget, in bytes (shared by its indexing threads).
    pub writer_memory: usize,
    /// Commit after this many new articles …
    pub commit_articles: usize,
    /// … or this many bytes of new text, whichever comes first.
    pub commit_bytes: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            rebuild: false,
            writer_memory: 256 << 20,
            commit_articles: 200_000,
            commit_bytes: 128 << 20,
        }
    }
}

/// Counts of an index run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexSummary {
    /// Articles added.
    pub added: usize,
    /// Claims added (with those articles).
    pub claims: usize,
    /// Articles skipped because the index already had their content.
    pub skipped: usize,
    /// Bytes of text of the skipped articles.
    pub skipped_bytes: usize,
    /// Input items that could not be read.
    pub failed: usize,
    /// Bytes of text added.
    pub bytes: usize,
}

/// What an index run reports as it goes.
pub enum IndexEvent<'a> {
    /// An input item could not be read; the run goes on.
    Failed(&'a Error),
    /// The counts so far.
    Progress(&'a IndexSummary),
}

/// The content ids of the articles an index holds, as the number their 16 hex digits spell: eight
/// bytes per article rather than a `String`, so the set stays small for millions of articles.
type KnownIds = rustc_hash::FxHashSet<u64>;

/// The items whose article content is not in `known` (nor earlier in `items`); counts the
/// others in `skipped` and calls `on_skip` with the new counts. Known content is dropped before
/// analysis, so re-indexing an archive costs one hash per article.
fn unseen<'a, I>(
    items: I,
    known: &'a mut KnownIds,
    skipped: &'a Cell<(usize, usize)>,
    on_skip: impl Fn(usize, usize) + 'a,
) -> impl Iterator<Item = Result<Article>> + 'a
where
    I: Iterator<Item = Result<Article>> + 'a,
{
    items.filter(move |item| match item {
        Ok(article) => {
            let new = known.insert(content_key(&article.text));
            if !new {
                let (count, bytes) = skipped.get();
                let now = (count + 1, bytes + article.text.len());
                skipped.set(now);
                on_skip(now.0, now.1);
            }
            new
        }
        Err(_) => true,
    })
}

/// A progress report goes out after every this many analysed or failed items …
const REPORT_EVERY: usize = 16;
/// … and every this many skipped ones (skipping costs a hash, analysing a segmentation).
const REPORT_SKIPPED_EVERY: usize = 1024;

/// Analysed articles whose documents are built together, in parallel, before being added.
const DOC_BATCH: usize = 256;

/// Adds articles to an index; holds its writer lock until dropped.
pub struct Indexer<'a> {
    index: &'a ArticleIndex,
    segmenter: &'a Segmenter,
    writer: IndexWriter<IndexDoc>,
    known: KnownIds,
    options: IndexOptions,
    pending_articles: usize,
    pending_bytes: usize,
}

impl Indexer<'_> {
    /// Analyses and adds every article of `items` whose content the index does not have yet,
    /// committing in batches and at the end. Unreadable items are reported and counted; only a
    /// failing index stops the run.
    pub fn add_all<I, F>(&mut self, engine: &Engine, items: I, report: F) -> Result<IndexSummary>
    where
        I: Iterator<Item = Result<Article>>,
        F: FnMut(IndexEvent<'_>),
    {
        let skipped = Cell::new((0, 0));
        let summary = RefCell::new(IndexSummary::default());
        let report = RefCell::new(report);
        // Skipped articles never reach the analysis, so they are reported from the filter (on
        // the thread that reads, never while a result is being handled): a rerun over an
        // archive that is already indexed shows its progress too.
        let on_skip = |count: usize, bytes: usize| {
            if !count.is_multiple_of(REPORT_SKIPPED_EVERY) {
                return;
            }
            if let (Ok(mut s), Ok(mut report)) = (summary.try_borrow_mut(), report.try_borrow_mut())
            {
                (s.skipped, s.skipped_bytes) = (count, bytes);
                report(IndexEvent::Progress(&s));
            }
        };
        let mut known = std::mem::take(&mut self.known);
        let fresh = unseen(items, &mut known, &skipped, on_skip);
        let mut batch = Vec::with_capacity(DOC_BATCH);
        let mut fatal = None;
        engine.run(fresh, |result| {
            // `on_skip` holds these only inside the reader's filter, which never calls this
            let (mut summary, mut report) = (summary.borrow_mut(), report.borrow_mut());
            match result {
                Ok(analysis) => batch.push(analysis),
                Err(e) => {
                    summary.failed += 1;
                    report(IndexEvent::Failed(&e));
                }
            }
            if batch.len() >= DOC_BATCH {
                if let Err(e) = self.add_batch(&mut batch, &mut summary) {
                    fatal = Some(e);
                    return false;
                }
            }
            (summary.skipped, summary.skipped_bytes) = skipped.get();
            if (summary.added + batch.len() + summary.failed).is_multiple_of(REPORT_EVERY) {
                report(IndexEvent::Progress(&summary));
            }
            true
        });
        self.known = known;
        if let Some(e) = fatal {
            return Err(e);
        }
        let mut summary = summary.into_inner();
        self.add_batch(&mut batch, &mut summary)?;
        (summary.skipped, summary.skipped_bytes) = skipped.get();
        self.commit()?;
        Ok(summary)
    }

    /// Builds the documents of analysed articles in parallel and adds them (articles in order),
    /// committing whenever the pending articles or bytes reach the limits.
    fn add_batch(&mut self, batch: &mut Vec<Analysis>, summary: &mut IndexSummary) -> Result<()> {
        let (fields, segmenter) = (self.index.fields, self.segmenter);
        let built: Vec<Documents> = batch
            .par_drain(..)
            .map(|a| documents(segmenter, a))
            .collect();
        for docs in built {
            let (bytes, claims) = (docs.bytes(), docs.record.claims.len());
            let (writer, index) = (&self.writer, self.index);
            docs.add_each(&fields, |doc| {
                writer
                    .add_document(doc)
                    .map(drop)
                    .map_err(|e| index.error(e))
            })?;
            summary.added += 1;
            summary.claims += claims;
            summary.bytes += bytes;
            self.pending_articles += 1;
            self.pending_bytes += bytes;
            if self.pending_articles >= self.options.commit_articles
                || self.pending_bytes >= self.options.commit_bytes
            {
                self.commit()?;
            }
        }
        Ok(())
    }

    /// Makes everything added so far durable and visible to searches.
    pub fn commit(&mut self) -> Result<()> {
        self.writer.commit().map_err(|e| self.index.error(e))?;
        self.pending_articles = 0;
        self.pending_bytes = 0;
        Ok(())
    }

    /// Waits for background merges to finish and releases the index.
    pub fn finish(self) -> Result<()> {
        let index = self.index;
        self.writer
            .wait_merging_threads()
            .map_err(|e| index.error(e))
    }
}

/// A document as fupan writes it: field values in order, handed to tantivy as they are.
#[derive(Debug, Default)]
struct IndexDoc(Vec<(Field, OwnedValue)>);

impl IndexDoc {
    fn add_text(&mut self, field: Field, text: &str) {
        self.add_string(field, text.to_string());
    }

    fn add_string(&mut self, field: Field, text: String) {
        self.0.push((field, OwnedValue::Str(text)));
    }

    fn add_i64(&mut self, field: Field, value: i64) {
        self.0.push((field, OwnedValue::I64(value)));
    }

    fn add_u64(&mut self, field: Field, value: u64) {
        self.0.push((field, OwnedValue::U64(value)));
    }

    fn add_f64(&mut self, field: Field, value: f64) {
        self.0.push((field, OwnedValue::F64(value)));
    }
}

/// The field–value pair of an [`IndexDoc`] entry, as tantivy iterates them.
type FieldValue<'a> = (Field, &'a OwnedValue);

impl Document for IndexDoc {
    type Value<'a> = &'a OwnedValue;
    type FieldsValuesIter<'a> = std::iter::Map<
        std::slice::Iter<'a, (Field, OwnedValue)>,
        fn(&'a (Field, OwnedValue)) -> FieldValue<'a>,
    >;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.0.iter().map(|(field, value)| (*field, value))
    }
}

/// What the documents of one analysed article are made from. The article's claims each get a
/// document too, and a long article has many; they are made one at a time as they are added
/// ([`Documents::add_each`]), so at most tantivy's queue of them is in memory, not all of them.
struct Documents {
    record: ArticleRecord,
    text: String,
    body: IndexTerms,
    title: Option<String>,
}

impl Documents {
    /// Bytes of article text.
    fn bytes(&self) -> usize {
        self.text.len()
    }

    /// Gives `add` the article's claim documents, then its own, stopping at the first error.
    fn add_each(self, fields: &Fields, mut add: impl FnMut(IndexDoc) -> Result<()>) -> Result<()> {
        for claim in &self.record.claims {
            add(claim_document(fields, &self.record, claim, &self.body))?;
        }
        add(article_document(
            fields,
            &self.record,
            self.text,
            self.body,
            self.title,
        ))
    }
}

/// The makings of every document of one analysed article. Consumes the analysis: the
/// segmentation and the mentions are dropped as soon as the terms are made, and the text and the
/// packed terms move into the article's document, so a huge article is not held twice over.
fn documents(segmenter: &Segmenter, analysis: Analysis) -> Documents {
    let Analysis {
        article,
        record,
        doc,
        mentions,
    } = analysis;
    drop(mentions);
    // the segmentation is dropped with the attached `Doc` at the end of the statement
    let body = IndexTerms::new(&doc.attach(&article.text), segmenter);
    let title = record
        .title
        .as_deref()
        .map(|title| title_terms(title, &article.text, &body, segmenter));
    Documents {
        record,
        text: article.text,
        body,
        title,
    }
}

/// How far into the text a title is looked for: titles are the first line of a text file, the
/// head of a JSONL record's text, or an HTML `<title>` that usually repeats near the top.
const TITLE_SEARCH_BYTES: usize = 16 << 10;

/// The packed terms of an article's title. Most titles are part of the text (the first line, or
/// the head of a record's text), and then their terms are the body's terms over that span: the
/// text is segmented once. A title found nowhere near the top (an HTML `<title>` the page does
/// not repeat) is segmented on its own.
fn title_terms(title: &str, text: &str, body: &IndexTerms, segmenter: &Segmenter) -> String {
    let head = &text[..text.floor_char_boundary(TITLE_SEARCH_BYTES)];
    // most titles open the text: no substring search for them
    let at = if head.starts_with(title) {
        Some(0)
    } else {
        head.find(title)
    };
    match at {
        Some(at) if !title.is_empty() => body.within(at, at + title.len()).to_string(),
        _ => IndexTerms::new(&Doc::new(title, segmenter), segmenter).into_packed(),
    }
}

/// Fields every document of an article has: type, id, source, title, date.
fn common_fields(fields: &Fields, record: &ArticleRecord, doc_type: &str) -> IndexDoc {
    let mut doc = IndexDoc::default();
    doc.add_text(fields.doc_type, doc_type);
    doc.add_text(fields.id, &record.id);
    if let Ok(key) = u64::from_str_radix(&record.id, 16) {
        doc.add_u64(fields.key, key);
    }
    doc.add_text(fields.source, &record.source);
    if let Some(title) = &record.title {
        doc.add_text(fields.title, title);
    }
    if let Some(date) = record.date.as_deref().and_then(calendar::text_number) {
        doc.add_i64(fields.date, date);
    }
    doc
}

/// The article's document.
fn article_document(
    fields: &Fields,
    record: &ArticleRecord,
    text: String,
    body: IndexTerms,
    title: Option<String>,
) -> IndexDoc {
    let mut doc = common_fields(fields, record, ARTICLE);
    if let Some(title) = title {
        doc.add_string(fields.title_terms, title);
    }
    if let Some(author) = &record.author {
        doc.add_text(fields.author, author);
    }
    doc.add_string(fields.text, text);
    doc.add_string(fields.body, body.into_packed());
    for stock in &record.stocks {
        doc.add_text(fields.stock, &stock.code);
        doc.add_text(fields.stock_name, &stock.name);
    }
    for concept in &record.concepts {
        doc.add_text(fields.concept, &concept.name);
    }
    for org in &record.organizations {
        doc.add_text(fields.organization, &org.name);
    }
    let kinds: std::collections::BTreeSet<_> = record.claims.iter().map(|c| c.kind).collect();
    for kind in kinds {
        doc.add_text(fields.kind, kind.as_str());
    }
    doc
}

/// A claim's document: its figures, subject, evidence and the terms of the evidence (taken from
/// the article's tokens inside the evidence span).
fn claim_document(
    fields: &Fields,
    record: &ArticleRecord,
    claim: &Claim,
    body: &IndexTerms,
) -> IndexDoc {
    let mut doc = common_fields(fields, record, CLAIM);
    doc.add_text(fields.kind, claim.kind.as_str());
    if let Some(code) = &claim.subject.code {
        doc.add_text(fields.stock, code);
    }
    if let Some(name) = &claim.subject.name {
        doc.add_text(fields.stock_name, name);
    }
    for concept in &record.concepts {
        doc.add_text(fields.concept, &concept.name);
    }
    add_figures(fields, claim, &mut doc);
    doc.add_text(fields.text, &claim.text);
    doc.add_u64(fields.start, claim.start as u64);
    doc.add_u64(fields.end, claim.end as u64);
    doc.add_text(fields.body, body.within(claim.start, claim.end));
    doc
}

/// A claim's value, range, least and most figures, unit and qualifier.
fn add_figures(fields: &Fields, claim: &Claim, doc: &mut IndexDoc) {
    for (field, v) in [
        (fields.value, claim.value),
        (fields.low, claim.low),
        (fields.high, claim.high),
        (fields.least, claim.value.or(claim.low)),
        (fields.most, claim.value.or(claim.high)),
    ] {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            doc.add_f64(field, v);
        }
    }
    if let Some(unit) = &claim.unit {
        doc.add_text(fields.unit, unit);
    }
    if let Some(q) = &claim.qualifier {
        doc.add_text(fields.qualifier, q);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::content_id;

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
    fn content_keys_are_the_number_the_content_id_spells() {
        for text in ["", "利通电子在手3000P", "x"] {
            let id = content_id(text);
            assert_eq!(
                u64::from_str_radix(&id, 16).unwrap(),
                content_key(text),
                "{text}"
            );
        }
        assert_ne!(content_key("a"), content_key("b"));
    }

    #[test]
    fn dates_convert_both_ways() {
        assert_eq!(calendar::text_number("2024-03-22"), Some(20240322));
        assert_eq!(calendar::text_number("2024-03"), None);
        assert_eq!(calendar::number_text(20240322), "2024-03-22");
    }

    /// The index terms of `original`, segmented by plain jieba.
    fn terms_of(original: &str) -> IndexTerms {
        let segmenter = Segmenter::plain();
        IndexTerms::new(&Doc::new(original, &segmenter), &segmenter)
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
    fn a_title_in_the_text_takes_the_body_terms_and_one_outside_is_segmented() {
        let segmenter = Segmenter::plain();
        let title = "利通电子在手算力";
        let original = format!("\n  {title}\n今天大涨，明天再看。");
        let body = terms_of(&original);
        let words = |packed: &str| -> Vec<String> {
            PackedTerms::read(packed)
                .into_iter()
                .map(|(_, t)| t)
                .collect()
        };
        let alone = words(terms_of(title).packed());
        let from_body = title_terms(title, &original, &body, &segmenter);
        assert_eq!(
            words(&from_body),
            alone,
            "same words as the title on its own"
        );
        assert!(
            from_body.starts_with("3\u{1f}"),
            "at the title's place in the body"
        );
        assert!(!words(&from_body).contains(&"大涨".to_string()));

        let elsewhere = "今日复盘";
        let segmented = title_terms(elsewhere, &original, &body, &segmenter);
        assert_eq!(segmented, terms_of(elsewhere).packed());
        assert_eq!(words(&segmented), ["今日", "复盘"]);
    }

    #[test]
    fn the_reserved_room_holds_every_term() {
        let segmenter = Segmenter::plain();
        let seed = include_str!("../corpus/recap-2024-03.txt");
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

    #[test]
    fn a_rerun_counts_the_articles_and_bytes_it_skips() {
        let engine = Engine::builtin().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let index = ArticleIndex::open_or_create(dir.path(), false).unwrap();
        let article = |source: &str, text: &str| Article {
            source: source.into(),
            text: text.into(),
            ..Article::default()
        };
        let old = [
            article("a.txt", "利通电子——平台回复在手3000P。"),
            article("b.txt", "宁王涨停，算力租赁方向继续走强。"),
        ];
        let run = |articles: Vec<Article>| {
            let mut indexer = index.indexer(&engine, IndexOptions::default()).unwrap();
            let summary = indexer
                .add_all(&engine, articles.into_iter().map(Ok), |_| {})
                .unwrap();
            indexer.finish().unwrap();
            summary
        };
        let first = run(old.to_vec());
        assert_eq!((first.added, first.skipped, first.skipped_bytes), (2, 0, 0));
        let new = article("c.txt", "北向资金净流入52亿元。");
        let second = run(vec![old[0].clone(), new.clone(), old[1].clone()]);
        assert_eq!((second.added, second.skipped), (1, 2));
        assert_eq!(second.bytes, new.text.len());
        assert_eq!(second.skipped_bytes, old[0].text.len() + old[1].text.len());
    }

    #[test]
    fn a_rerun_that_skips_everything_still_reports_progress() {
        let engine = Engine::builtin().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let index = ArticleIndex::open_or_create(dir.path(), false).unwrap();
        let articles: Vec<Article> = (0..2 * REPORT_SKIPPED_EVERY + 5)
            .map(|i| Article {
                source: format!("{i}.txt"),
                text: format!("第{i}篇：宁王涨停。"),
                ..Article::default()
            })
            .collect();
        let run = |articles: &[Article]| {
            let mut indexer = index.indexer(&engine, IndexOptions::default()).unwrap();
            let mut reports = Vec::new();
            let items = articles.iter().cloned().map(Ok);
            let summary = indexer
                .add_all(&engine, items, |event| {
                    if let IndexEvent::Progress(s) = event {
                        reports.push((s.added, s.skipped, s.skipped_bytes));
                    }
                })
                .unwrap();
            indexer.finish().unwrap();
            (summary, reports)
        };
        let (first, _) = run(&articles);
        assert_eq!(first.added, articles.len());
        let (second, reports) = run(&articles);
        assert_eq!((second.added, second.skipped), (0, articles.len()));
        let bytes = |n: usize| articles[..n].iter().map(|a| a.text.len()).sum::<usize>();
        let (a, b) = (REPORT_SKIPPED_EVERY, 2 * REPORT_SKIPPED_EVERY);
        assert_eq!(reports, [(0, a, bytes(a)), (0, b, bytes(b))]);
    }
}

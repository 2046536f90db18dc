//! The searcher: a parsed query compiled to tantivy queries over the index, run, and its hits
//! turned into articles or claims with snippets.

use std::ops::Bound;
use std::path::Path;

use serde::Serialize;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::AggregationCollector;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Count, TopDocs};
use tantivy::postings::Postings;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, DocSet, IndexReader, InvertedIndexReader, Order, Searcher, TantivyDocument,
    Term,
};

use crate::calendar::{self, Day};
use crate::error::Result;
use crate::history::Run;
use crate::index::{self, ArticleIndex, Fields};
use crate::lexicon::Lexicon;
use crate::model::{Claim, ClaimKind, Subject};
use crate::pipeline::Engine;
use crate::segment::Segmenter;

use super::query::{query_error, Atom, Clause, QueryAst, QueryFilter};
use super::snippet::{snippets, Match, MAX_SNIPPETS};

/// Extra weight of the query's tokens found as an exact phrase.
const PHRASE_BOOST: f32 = 3.0;
/// Extra weight of a match in the title.
const TITLE_BOOST: f32 = 2.0;
/// Score of an article found by a bare stock name or code through its recognised mention
/// rather than its text: about one ordinary word match.
const BARE_STOCK_SCORE: f32 = 1.0;

// Requests and results
// ---------------------------------------------------------------------------------------------

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query string (may be empty: then filters alone select).
    pub query: String,
    /// Filters given apart from the query (command-line flags).
    pub filters: Vec<QueryFilter>,
    /// Claims only: the claim states a figure ≥ this (its value, or the top of its range).
    pub min: Option<f64>,
    /// Claims only: the claim states a figure ≤ this (its value, or the bottom of its range).
    pub max: Option<f64>,
    /// Claims only: this metric (营业收入, 归母净利润, 在手算力 …).
    pub metric: Option<String>,
    /// Claims only: this period (2024, 2024H1, 2024Q3, 2024Q1-Q3, 2019-2023).
    pub period: Option<String>,
    /// Claims only: this basis (yoy, qoq, cagr).
    pub basis: Option<String>,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip first.
    pub offset: usize,
    /// The order of hits; `None`: by score when the query has words, else newest first.
    pub sort: Option<SortBy>,
}

/// The order of hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Best match first (newest first among equals).
    Score,
    /// Newest first.
    Date,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            filters: Vec::new(),
            min: None,
            max: None,
            metric: None,
            period: None,
            basis: None,
            limit: 10,
            offset: 0,
            sort: None,
        }
    }
}

/// The hits of a search and how many matched in all.
#[derive(Debug, Clone)]
pub struct Hits<H> {
    /// Documents that matched (more than `hits` when limited).
    pub total: usize,
    /// The hits, best first.
    pub hits: Vec<H>,
}

/// A stock as shown with a hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StockRef {
    /// Six-digit code.
    pub code: String,
    /// Current short name.
    pub name: String,
}

/// A piece of article text around matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snippet {
    /// The text, line breaks and tabs shown as spaces (so offsets are those of the article).
    pub text: String,
    /// Byte ranges of matches within `text`.
    pub highlights: Vec<[usize; 2]>,
    /// Byte offset of `text` in the article.
    pub start: usize,
    /// The same ranges in characters (Unicode scalar values, as Python's `str` counts them).
    pub char_highlights: Vec<[usize; 2]>,
    /// Character offset of `text` in the article.
    pub char_start: usize,
}

/// An article that matched.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleHit {
    /// 1-based rank (counting the offset).
    pub rank: usize,
    /// Content id.
    pub id: String,
    /// Where the article came from.
    pub source: String,
    /// Title or null.
    pub title: Option<String>,
    /// `YYYY-MM-DD` or null.
    pub date: Option<String>,
    /// Relevance (0 when the query has no words).
    pub score: f32,
    /// Text around the matches.
    pub snippets: Vec<Snippet>,
    /// Stocks the article mentions.
    pub stocks: Vec<StockRef>,
    /// Concepts the article mentions.
    pub concepts: Vec<String>,
}

/// A claim that matched, with its article.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimHit {
    /// 1-based rank (counting the offset).
    pub rank: usize,
    /// Relevance (0 when the query has no words).
    pub score: f32,
    /// Content id of the article.
    pub id: String,
    /// The article's source.
    pub source: String,
    /// The article's title.
    pub title: Option<String>,
    /// The article's date.
    pub date: Option<String>,
    /// The claim, as in `docs/OUTPUT.md` (`start`, `end`: byte offsets in the article).
    #[serde(flatten)]
    pub claim: Claim,
    /// Character offset of the evidence in the article (as Python and JavaScript index text;
    /// null when the article's text is not in the index).
    pub char_start: Option<usize>,
    /// Character offset of the end of the evidence.
    pub char_end: Option<usize>,
}

/// Values of a facet with their document counts, most first.
pub type Counts = Vec<(String, u64)>;

/// What [`Search::tally`] counts the matching documents by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    /// Stock codes (of an article: those it mentions; of a claim: its subject).
    Stock,
    /// Canonical concept names.
    Concept,
    /// Days.
    Date,
    /// Claim kinds.
    Kind,
}

impl Facet {
    fn field_name(self) -> &'static str {
        match self {
            Facet::Stock => "stock",
            Facet::Concept => "concept",
            Facet::Date => "date",
            Facet::Kind => "kind",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Searching
// ---------------------------------------------------------------------------------------------

/// An open index with the analysis used to build it; searches see the last commit.
pub struct Search<'e> {
    index: ArticleIndex,
    reader: IndexReader,
    lexicon: &'e Lexicon,
    segmenter: &'e Segmenter,
}

/// A request turned into a tantivy query.
struct Compiled {
    query: BooleanQuery,
    /// What snippets highlight and whether relevance orders the hits.
    text: TextTerms,
}

/// The body terms a query looks for, collected while compiling it.
#[derive(Default)]
struct TextTerms {
    /// Terms to highlight: of positive words and phrases, and the names in filters.
    highlight: Vec<HighlightTerm>,
    /// Whether the query has positive words (then relevance orders the hits; else newest first).
    ranked: bool,
}

/// A body term to highlight and its length in characters (positions are character offsets).
struct HighlightTerm {
    term: Term,
    chars: usize,
}

impl TextTerms {
    fn add(&mut self, field: Field, text: &str) {
        let term = Term::from_field_text(field, text);
        if !self.highlight.iter().any(|h| h.term == term) {
            let chars = text.chars().count();
            self.highlight.push(HighlightTerm { term, chars });
        }
    }
}

fn term_query(field: Field, text: &str, option: IndexRecordOption) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), option))
}

/// A query that selects without adding to the score.
fn filtering(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

/// Builds the query for a field from query terms and their character offsets.
type TextQueryBuilder = fn(Field, &[(usize, String)]) -> Box<dyn Query>;

/// The tokens as an exact phrase (a term query for one token).
fn phrase(field: Field, terms: &[(usize, String)]) -> Box<dyn Query> {
    if let [(_, only)] = terms {
        return term_query(field, only, IndexRecordOption::WithFreqs);
    }
    let terms = terms
        .iter()
        .map(|(pos, t)| (*pos, Term::from_field_text(field, t)))
        .collect();
    Box::new(PhraseQuery::new_with_offset(terms))
}

/// Every token, anywhere; the exact phrase scores extra.
fn all_terms(field: Field, terms: &[(usize, String)]) -> Box<dyn Query> {
    if let [(_, only)] = terms {
        return term_query(field, only, IndexRecordOption::WithFreqs);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .map(|(_, t)| {
            (
                Occur::Must,
                term_query(field, t, IndexRecordOption::WithFreqs),
            )
        })
        .collect();
    let boosted = BoostQuery::new(phrase(field, terms), PHRASE_BOOST);
    clauses.push((Occur::Should, Box::new(boosted)));
    Box::new(BooleanQuery::new(clauses))
}

/// Documents whose value of a raw-text field (author, source) contains `text`.
fn containing(field: Field, text: &str) -> Result<Box<dyn Query>> {
    let pattern = format!(".*{}.*", regex_syntax_escape(text));
    let query = RegexQuery::from_pattern(&pattern, field)
        .map_err(|e| query_error(text, "cannot search for this text").because(e))?;
    Ok(Box::new(query))
}

/// `text` with the characters the regex syntax gives a meaning escaped.
fn regex_syntax_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~\"<>@".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// True when `a` becomes `b` by changing, adding or leaving out one character.
fn one_edit_apart(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match long.len() - short.len() {
        0 => short.iter().zip(long).filter(|(x, y)| x != y).count() == 1,
        1 => {
            let same_start = short.iter().zip(long).take_while(|(x, y)| x == y).count();
            short[same_start..] == long[same_start + 1..]
        }
        _ => false,
    }
}

/// What a search that found nothing says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoHits {
    /// The query as searched: each word group as its segmented terms (`[华电 辽宁]`), filters
    /// as written.
    pub searched: String,
    /// A filter that emptied the result, or a near stock or concept name.
    pub suggestion: Option<String>,
}

/// The page `offset`, `limit` of a request, cut to the `docs` the index holds: tantivy's top-N
/// collector reserves room for `offset + limit` hits, so `--limit 18446744073709551615` would
/// overflow and a merely huge limit would allocate gigabytes for hits that cannot exist. A limit
/// past the end means "all the hits"; an offset past the end leaves none.
fn page_within(docs: u64, offset: usize, limit: usize) -> (usize, usize) {
    let docs = usize::try_from(docs).unwrap_or(usize::MAX);
    let offset = offset.min(docs);
    (offset, limit.min(docs - offset))
}

impl<'e> Search<'e> {
    /// Opens the index in `dir` for searching with the engine's lexicon and segmenter.
    pub fn open(dir: &Path, engine: &'e Engine) -> Result<Search<'e>> {
        let index = ArticleIndex::open(dir)?;
        let reader = index.reader()?;
        Ok(Search {
            index,
            reader,
            lexicon: engine.lexicon(),
            segmenter: engine.segmenter(),
        })
    }

    /// Opens the index in `dir` for a long-lived reader (`fupan serve`): searches see each new
    /// commit of a concurrent `fupan index` shortly after it is made, without reopening.
    pub fn open_live(dir: &Path, engine: &'e Engine) -> Result<Search<'e>> {
        let index = ArticleIndex::open(dir)?;
        let reader = index.live_reader()?;
        Ok(Search {
            index,
            reader,
            lexicon: engine.lexicon(),
            segmenter: engine.segmenter(),
        })
    }

    /// The open index.
    pub fn index(&self) -> &ArticleIndex {
        &self.index
    }

    /// A searcher of the last commit this reader has loaded.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    fn fields(&self) -> &Fields {
        self.index.fields()
    }

    /// True when the index records having been built with other dictionaries than the
    /// engine's (its stocks and concepts are then those the old ones found).
    pub fn built_with_other_dictionaries(&self) -> bool {
        self.index
            .dictionary()
            .is_some_and(|d| d != self.lexicon.fingerprint())
    }

    /// How the articles (or, with `claims`, the claims) matching the request spread over
    /// `facet`: the `top` most frequent values with their document counts, most first, and the
    /// number of documents matched. For dates the values are `YYYY-MM-DD`.
    pub fn tally(
        &self,
        request: &SearchRequest,
        claims: bool,
        facet: Facet,
        top: usize,
    ) -> Result<(usize, Vec<(String, u64)>)> {
        let (total, mut tallies) = self.tallies(request, claims, &[(facet, top)])?;
        Ok((total, tallies.pop().unwrap_or_default()))
    }

    /// [`Search::tally`] over several facets at once, in the order asked: the query runs once
    /// and every facet is counted in the same pass over its matches.
    pub fn tallies(
        &self,
        request: &SearchRequest,
        claims: bool,
        facets: &[(Facet, usize)],
    ) -> Result<(usize, Vec<Counts>)> {
        let doc_type = if claims { index::CLAIM } else { index::ARTICLE };
        let compiled = self.compile(request, doc_type)?;
        let searcher = self.reader.searcher();
        let aggs: serde_json::Map<String, serde_json::Value> = facets
            .iter()
            .enumerate()
            .map(|(i, (facet, top))| {
                let terms = serde_json::json!({"terms": {"field": facet.field_name(), "size": (*top).max(1)}});
                (format!("f{i}"), terms)
            })
            .collect();
        let err = |e: serde_json::Error| crate::Error::index(self.index.dir(), "").because(e);
        let aggs: Aggregations = serde_json::from_value(aggs.into()).map_err(err)?;
        let collector = AggregationCollector::from_aggs(aggs, Default::default());
        let (total, results) = searcher
            .search(&compiled.query, &(Count, collector))
            .map_err(|e| self.index.error(e))?;
        let json = serde_json::to_value(results).map_err(err)?;
        let counted = (0..facets.len())
            .map(|i| {
                let buckets = json[format!("f{i}")]["buckets"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                buckets
                    .iter()
                    .filter_map(|b| {
                        let count = b["doc_count"].as_u64()?;
                        let key = match &b["key"] {
                            serde_json::Value::String(s) => s.clone(),
                            n => calendar::number_text(n.as_f64()? as i64),
                        };
                        Some((key, count))
                    })
                    .collect()
            })
            .collect();
        Ok((total, counted))
    }

    /// Articles matching the request, best first (newest first when it has no words).
    pub fn articles(&self, request: &SearchRequest) -> Result<Hits<ArticleHit>> {
        self.found(
            request,
            index::ARTICLE,
            |searcher, compiled, rank, score, address| {
                self.article_hit(searcher, compiled, rank, score, address)
            },
        )
    }

    /// Claims matching the request, best first (newest first when it has no words).
    pub fn claims(&self, request: &SearchRequest) -> Result<Hits<ClaimHit>> {
        self.found(
            request,
            index::CLAIM,
            |searcher, _, rank, score, address| {
                let doc: TantivyDocument =
                    searcher.doc(address).map_err(|e| self.index.error(e))?;
                let mut hit = self.claim_hit(&doc, rank, score);
                let f = self.fields();
                let offset = |field| doc.get_first(field).and_then(|v| v.as_u64());
                hit.char_start = offset(f.char_start).map(|n| n as usize);
                hit.char_end = offset(f.char_end).map(|n| n as usize);
                Ok(hit)
            },
        )
    }

    /// The documents of `doc_type` matching the request, one page of them made into hits by
    /// `hit` (given the searcher, the compiled request, the 1-based rank, score and address).
    fn found<H>(
        &self,
        request: &SearchRequest,
        doc_type: &str,
        hit: impl Fn(&Searcher, &Compiled, usize, f32, DocAddress) -> Result<H>,
    ) -> Result<Hits<H>> {
        let compiled = self.compile(request, doc_type)?;
        let searcher = self.reader.searcher();
        let (total, top) = self.top(&searcher, &compiled, request)?;
        let hits = top
            .into_iter()
            .enumerate()
            .map(|(i, (score, address))| {
                let rank = request.offset.saturating_add(i + 1);
                hit(&searcher, &compiled, rank, score, address)
            })
            .collect::<Result<_>>()?;
        Ok(Hits { total, hits })
    }

    /// The number of matches and the requested page of them.
    fn top(
        &self,
        searcher: &Searcher,
        compiled: &Compiled,
        request: &SearchRequest,
    ) -> Result<(usize, Vec<(f32, DocAddress)>)> {
        let err = |e| self.index.error(e);
        let (offset, limit) = page_within(searcher.num_docs(), request.offset, request.limit);
        if limit == 0 {
            return Ok((
                searcher.search(&compiled.query, &Count).map_err(err)?,
                Vec::new(),
            ));
        }
        let page = TopDocs::with_limit(limit).and_offset(offset);
        // Hits that rank equally (one score, one date) go in content-key order, and claims of
        // one article in text order, those of one sentence (a list of stocks that all closed
        // at the limit) by their subject's code: the same page whichever indexing thread took
        // which document, and however the segments were merged. Keys are nested in tuples of
        // two and three: tantivy 0.27's tuple of four falls back to its default comparators and
        // loses each key's order.
        let key = (SortByStaticFastValue::<u64>::for_field("key"), Order::Asc);
        let start = (SortByStaticFastValue::<u64>::for_field("start"), Order::Asc);
        let stock = (SortByString::for_field("stock"), Order::Asc);
        let by_score_wanted = match request.sort {
            Some(SortBy::Score) => true,
            Some(SortBy::Date) => false,
            None => compiled.text.ranked,
        };
        if by_score_wanted {
            let by_score = page.order_by((SortBySimilarityScore, key, (start, stock)));
            let (total, top) = searcher
                .search(&compiled.query, &(Count, by_score))
                .map_err(err)?;
            let top = top.into_iter().map(|((score, _, _), a)| (score, a));
            return Ok((total, top.collect()));
        }
        let date = (SortByStaticFastValue::<i64>::for_field("date"), Order::Desc);
        if compiled.text.ranked {
            // newest first, with each hit's score still given
            let by_date = page.order_by((date, SortBySimilarityScore, (key, (start, stock))));
            let (total, top) = searcher
                .search(&compiled.query, &(Count, by_date))
                .map_err(err)?;
            let top = top.into_iter().map(|((_, score, _), a)| (score, a));
            return Ok((total, top.collect()));
        }
        let by_date = page.order_by((date, key, (start, stock)));
        let (total, top) = searcher
            .search(&compiled.query, &(Count, by_date))
            .map_err(err)?;
        Ok((total, top.into_iter().map(|(_, a)| (0.0, a)).collect()))
    }

    /// The request's query and filters as clauses.
    fn clauses(request: &SearchRequest) -> Result<Vec<Clause>> {
        let mut ast = QueryAst::parse(&request.query)?;
        ast.clauses.extend(request.filters.iter().map(|f| Clause {
            negated: false,
            any_of: vec![Atom::QueryFilter(f.clone())],
        }));
        Ok(ast.clauses)
    }

    /// The request as one boolean query over documents of `doc_type`.
    fn compile(&self, request: &SearchRequest, doc_type: &str) -> Result<Compiled> {
        self.compile_clauses(&Search::clauses(request)?, request, doc_type)
    }

    /// Clauses and the request's claim options as one boolean query over `doc_type`.
    fn compile_clauses(
        &self,
        ast_clauses: &[Clause],
        request: &SearchRequest,
        doc_type: &str,
    ) -> Result<Compiled> {
        let f = self.fields();
        let of_type = term_query(f.doc_type, doc_type, IndexRecordOption::Basic);
        let mut clauses = vec![(Occur::Must, filtering(of_type))];
        let mut text = TextTerms::default();
        for clause in ast_clauses {
            if let Some(q) = self.clause_query(clause, &mut text)? {
                let occur = if clause.negated {
                    Occur::MustNot
                } else {
                    Occur::Must
                };
                clauses.push((occur, q));
            }
        }
        let f64_term = |field, v| Term::from_field_f64(field, v);
        if let Some(min) = request.min {
            let q = RangeQuery::new(Bound::Included(f64_term(f.most, min)), Bound::Unbounded);
            clauses.push((Occur::Must, filtering(Box::new(q))));
        }
        if let Some(max) = request.max {
            let q = RangeQuery::new(Bound::Unbounded, Bound::Included(f64_term(f.least, max)));
            clauses.push((Occur::Must, filtering(Box::new(q))));
        }
        for (field, slot) in [
            (f.metric, &request.metric),
            (f.period, &request.period),
            (f.basis, &request.basis),
        ] {
            if let Some(v) = slot {
                let q = term_query(field, v.trim(), IndexRecordOption::Basic);
                clauses.push((Occur::Must, filtering(q)));
            }
        }
        Ok(Compiled {
            query: BooleanQuery::new(clauses),
            text,
        })
    }

    /// Why a request found nothing, for the user: what was searched (the words as segmented,
    /// the filters) and a suggestion: the filter without which something matches, or a stock
    /// or concept whose name is one character away from a word.
    pub fn no_hits(&self, request: &SearchRequest, claims: bool) -> Result<NoHits> {
        let clauses = Search::clauses(request)?;
        let doc_type = if claims { index::CLAIM } else { index::ARTICLE };
        let mut searched = Vec::new();
        for clause in &clauses {
            let sign = if clause.negated { "-" } else { "" };
            let atoms: Vec<String> = clause
                .any_of
                .iter()
                .map(|atom| match atom {
                    Atom::Words(w) | Atom::Phrase(w) => {
                        let terms = index::query_terms(w, self.segmenter);
                        let words: Vec<&str> = terms.iter().map(|(_, t)| t.as_str()).collect();
                        format!("[{}]", words.join(" "))
                    }
                    Atom::QueryFilter(_) => atom.to_string(),
                })
                .collect();
            searched.push(format!("{sign}{}", atoms.join(" OR ")));
        }
        let searcher = self.reader.searcher();
        let mut suggestion = None;
        for (i, clause) in clauses.iter().enumerate() {
            let is_filter = clause
                .any_of
                .iter()
                .all(|a| matches!(a, Atom::QueryFilter(_)));
            if !is_filter || clauses.len() < 2 {
                continue;
            }
            let mut rest = clauses.clone();
            let removed = rest.remove(i);
            let compiled = self.compile_clauses(&rest, request, doc_type)?;
            let count = searcher
                .search(&compiled.query, &Count)
                .map_err(|e| self.index.error(e))?;
            if count > 0 {
                let what = removed
                    .any_of
                    .iter()
                    .map(Atom::to_string)
                    .collect::<Vec<_>>();
                suggestion = Some(format!(
                    "without {} there are {count} hits",
                    what.join(" OR ")
                ));
                break;
            }
        }
        if suggestion.is_none() {
            suggestion = clauses
                .iter()
                .filter(|c| !c.negated)
                .flat_map(|c| &c.any_of)
                .find_map(|atom| match atom {
                    Atom::Words(w) | Atom::Phrase(w) => self.near_name(w),
                    Atom::QueryFilter(QueryFilter::Stock(w) | QueryFilter::Concept(w)) => {
                        self.near_name(w)
                    }
                    Atom::QueryFilter(_) => None,
                });
        }
        Ok(NoHits {
            searched: searched.join(" "),
            suggestion,
        })
    }

    /// "did you mean …" for a word one character away from a stock or concept name (a letter
    /// changed, added or left out), when the word itself names neither.
    fn near_name(&self, word: &str) -> Option<String> {
        let word = word.trim();
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < 2
            || !self.lexicon.stock_codes_named(word).is_empty()
            || self.lexicon.concept_named(word).is_some()
        {
            return None;
        }
        let lowered: Vec<char> = word.to_lowercase().chars().collect();
        let mut best: Option<(u8, String)> = None;
        for stock in &self.lexicon.stocks {
            let name: Vec<char> = stock.name.to_lowercase().chars().collect();
            if one_edit_apart(&lowered, &name) {
                let rank = if stock.listed { 0 } else { 2 };
                let text = format!("stock {} {}", stock.name, stock.code);
                if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                    best = Some((rank, text));
                }
            }
        }
        for concept in &self.lexicon.concepts {
            let name: Vec<char> = concept.name.to_lowercase().chars().collect();
            if one_edit_apart(&lowered, &name) && best.as_ref().is_none_or(|(r, _)| 1 < *r) {
                best = Some((1, format!("concept {}", concept.name)));
            }
        }
        best.map(|(_, text)| format!("did you mean {text}?"))
    }

    /// One clause as a query (`None` when it has nothing to search, e.g. only punctuation).
    /// Positive words, phrases and filters add the terms to highlight to `text`.
    fn clause_query(
        &self,
        clause: &Clause,
        text: &mut TextTerms,
    ) -> Result<Option<Box<dyn Query>>> {
        let mut alternatives = Vec::new();
        for atom in &clause.any_of {
            let query = match atom {
                Atom::QueryFilter(filter) => {
                    if !clause.negated {
                        self.filter_terms(filter, text);
                    }
                    Some(filtering(self.filter_query(filter)?))
                }
                Atom::Words(_) | Atom::Phrase(_) => self.text_query(atom, clause.negated, text),
            };
            alternatives.extend(query);
        }
        Ok(match alternatives.len() {
            0 => None,
            1 => alternatives.pop(),
            _ => {
                let should = alternatives.into_iter().map(|q| (Occur::Should, q));
                Some(Box::new(BooleanQuery::new(should.collect())))
            }
        })
    }

    /// Words or a phrase as a query over body and title (`None` when only punctuation).
    fn text_query(
        &self,
        atom: &Atom,
        negated: bool,
        text: &mut TextTerms,
    ) -> Option<Box<dyn Query>> {
        let (Atom::Words(words) | Atom::Phrase(words)) = atom else {
            return None;
        };
        let tokens = index::query_terms(words, self.segmenter);
        if tokens.is_empty() {
            return None;
        }
        if !negated {
            let body = self.fields().body;
            tokens.iter().for_each(|(_, t)| text.add(body, t));
            text.ranked = true;
        }
        // A negated word excludes only its exact phrase, not its tokens anywhere.
        let exact = negated || matches!(atom, Atom::Phrase(_));
        let in_text = self.in_text(&tokens, if exact { phrase } else { all_terms });
        match self.bare_stock(atom, negated, text) {
            Some(stock) => Some(Box::new(BooleanQuery::new(vec![
                (Occur::Should, in_text),
                (Occur::Should, stock),
            ]))),
            None => Some(in_text),
        }
    }

    /// A bare word that is a stock's code or name (`603629`, `华电辽能`, a former name or a
    /// nickname) also finds the articles that mention the stock as `stock:` does, in whatever
    /// form they write it, scored as one plain match of a word. Not for words that are
    /// concepts first or listed as ambiguous (机器人, 太阳能): those stay words.
    fn bare_stock(
        &self,
        atom: &Atom,
        negated: bool,
        text: &mut TextTerms,
    ) -> Option<Box<dyn Query>> {
        let Atom::Words(word) = atom else {
            return None;
        };
        let word = word.trim();
        if negated
            || self.lexicon.names_a_concept(word)
            || self.lexicon.is_ambiguous(word)
            || self.lexicon.stock_codes_named(word).is_empty()
        {
            return None;
        }
        let filter = QueryFilter::Stock(word.to_string());
        let query = self.filter_query(&filter).ok()?;
        self.filter_terms(&filter, text);
        Some(Box::new(ConstScoreQuery::new(query, BARE_STOCK_SCORE)))
    }

    /// Tokens matched in the body or (boosted) in the title.
    fn in_text(&self, tokens: &[(usize, String)], build: TextQueryBuilder) -> Box<dyn Query> {
        let f = self.fields();
        let title = Box::new(BoostQuery::new(build(f.title_terms, tokens), TITLE_BOOST));
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, build(f.body, tokens)),
            (Occur::Should, title),
        ]))
    }

    fn filter_query(&self, filter: &QueryFilter) -> Result<Box<dyn Query>> {
        let f = self.fields();
        Ok(match filter {
            QueryFilter::Stock(name) => {
                let codes = self.stock_codes(name)?;
                if let Some((runs, today)) = self.lexicon.name_runs(name) {
                    return Ok(self.dated_name_query(&runs, &today));
                }
                // a term query per code, not a TermSetQuery: that one builds an FST of the codes
                // for every search (a 1 MB table allocated and zeroed) and walks the whole
                // dictionary of stock codes in every segment, which was a sixth of a stock page
                let code = |c: &String| term_query(f.stock, c, IndexRecordOption::Basic);
                match &codes[..] {
                    [one] => code(one),
                    _ => Box::new(BooleanQuery::new(
                        codes.iter().map(|c| (Occur::Should, code(c))).collect(),
                    )),
                }
            }
            QueryFilter::Concept(name) => term_query(
                f.concept,
                &self.concept_name(name)?,
                IndexRecordOption::Basic,
            ),
            QueryFilter::Kind(kind) => term_query(f.kind, kind.as_str(), IndexRecordOption::Basic),
            QueryFilter::Author(text) => containing(f.author, text)?,
            QueryFilter::Source(text) => containing(f.source, text)?,
            QueryFilter::Date(range) => {
                let bound = |d: Option<i64>| match d {
                    Some(d) => Bound::Included(Term::from_field_i64(f.date, d)),
                    None => Bound::Unbounded,
                };
                Box::new(RangeQuery::new(bound(range.from), bound(range.to)))
            }
        })
    }

    /// A name that changed hands means, in each article, the code that bore it on the article's
    /// date (`runs`), and today's bearer in undated articles.
    fn dated_name_query(&self, runs: &[Run], today: &str) -> Box<dyn Query> {
        let f = self.fields();
        let code = |c: &str| -> Box<dyn Query> { term_query(f.stock, c, IndexRecordOption::Basic) };
        // a range needs one bound to know its field: the open start is the smallest number
        let day =
            |d: Option<Day>, open: i64| Term::from_field_i64(f.date, d.map_or(open, Day::number));
        let range = |from: Option<Day>, to: Option<Day>| -> Box<dyn Query> {
            let to = match to {
                Some(_) => Bound::Included(day(to, i64::MAX)),
                None => Bound::Unbounded,
            };
            Box::new(RangeQuery::new(Bound::Included(day(from, i64::MIN)), to))
        };
        let mut should: Vec<(Occur, Box<dyn Query>)> = runs
            .iter()
            .map(|r| {
                let dated = range(r.from, r.to);
                let both =
                    BooleanQuery::new(vec![(Occur::Must, code(&r.code)), (Occur::Must, dated)]);
                (Occur::Should, Box::new(both) as Box<dyn Query>)
            })
            .collect();
        let any_date = range(None, None);
        let undated =
            BooleanQuery::new(vec![(Occur::Must, code(today)), (Occur::MustNot, any_date)]);
        should.push((Occur::Should, Box::new(undated)));
        Box::new(BooleanQuery::new(should))
    }

    /// Body terms to highlight for a filter (it does not rank): the stock's or concept's name
    /// as typed and as canonical, where the segmenter keeps it as one token.
    fn filter_terms(&self, filter: &QueryFilter, text: &mut TextTerms) {
        let names = match filter {
            QueryFilter::Stock(value) => {
                let codes = self.stock_codes(value).unwrap_or_default();
                let canonical = codes.iter().filter_map(|c| self.lexicon.stock_by_code(c));
                let mut names: Vec<String> = canonical.map(|(_, s)| s.name.clone()).collect();
                names.push(value.clone());
                names
            }
            QueryFilter::Concept(value) => {
                let canonical = self.concept_name(value).unwrap_or_else(|_| value.clone());
                vec![value.clone(), canonical]
            }
            QueryFilter::Date(_)
            | QueryFilter::Kind(_)
            | QueryFilter::Author(_)
            | QueryFilter::Source(_) => Vec::new(),
        };
        for name in names {
            if let [(_, token)] = &index::query_terms(&name, self.segmenter)[..] {
                text.add(self.fields().body, token);
            }
        }
    }

    /// The codes a `stock:` value names ([`Lexicon::stock_codes_named`]); an error that says why
    /// when it names none.
    pub fn stock_codes(&self, value: &str) -> Result<Vec<String>> {
        let codes = self.lexicon.stock_codes_named(value);
        if codes.is_empty() {
            let message = if self.lexicon.names_a_concept(value) {
                "a concept, not a stock (use concept:)"
            } else {
                "no stock by that name, nickname or code in the dictionaries"
            };
            return Err(query_error(value, message));
        }
        Ok(codes)
    }

    /// The canonical name of a concept or concept alias; an error that says why when it names
    /// none (articles only carry the concepts of the dictionaries, so an unknown one could
    /// only find nothing), as [`Search::stock_codes`] does for stocks.
    fn concept_name(&self, value: &str) -> Result<String> {
        if let Some(name) = self.lexicon.concept_named(value) {
            return Ok(name.to_string());
        }
        let message = if self.lexicon.stock_codes_named(value).is_empty() {
            "no concept by that name or alias in the dictionaries"
        } else {
            "a stock, not a concept (use stock:)"
        };
        Err(query_error(value, message))
    }

    fn article_hit(
        &self,
        searcher: &Searcher,
        compiled: &Compiled,
        rank: usize,
        score: f32,
        address: DocAddress,
    ) -> Result<ArticleHit> {
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.index.error(e))?;
        let f = self.fields();
        let text = text_of(&doc, f.text).unwrap_or_default();
        let matches = self.matches(searcher, address, &compiled.text.highlight, &text)?;
        let codes = doc.get_all(f.stock).filter_map(|v| v.as_str());
        let names = doc.get_all(f.stock_name).filter_map(|v| v.as_str());
        Ok(ArticleHit {
            rank,
            id: text_of(&doc, f.id).unwrap_or_default(),
            source: text_of(&doc, f.source).unwrap_or_default(),
            title: text_of(&doc, f.title),
            date: date_of(&doc, f.date),
            score,
            snippets: snippets(&text, &matches, MAX_SNIPPETS),
            stocks: codes
                .zip(names)
                .map(|(code, name)| StockRef {
                    code: code.to_string(),
                    name: name.to_string(),
                })
                .collect(),
            concepts: doc
                .get_all(f.concept)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        })
    }

    /// Where the query's terms occur in a hit: positions (character offsets) from the index,
    /// as byte spans of the text. Bit `i` of a match's `terms` is the `i`-th highlight term.
    fn matches(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        terms: &[HighlightTerm],
        text: &str,
    ) -> Result<Vec<Match>> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let chars: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let byte_at = |c: usize| {
            chars
                .get(c)
                .copied()
                .or((c == chars.len()).then_some(text.len()))
        };
        let segment = searcher.segment_reader(address.segment_ord);
        let inverted = segment
            .inverted_index(self.fields().body)
            .map_err(|e| self.index.error(e))?;
        let mut out = Vec::new();
        for (i, highlight) in terms.iter().enumerate() {
            for p in self.positions(&inverted, &highlight.term, address.doc_id)? {
                let (p, terms) = (p as usize, 1u64 << i.min(63));
                if let (Some(start), Some(end)) = (byte_at(p), byte_at(p + highlight.chars)) {
                    out.push(Match { start, end, terms });
                }
            }
        }
        out.sort_by_key(|m| (m.start, m.end));
        Ok(out)
    }

    /// The positions of a term in one document of a segment.
    fn positions(
        &self,
        inverted: &InvertedIndexReader,
        term: &Term,
        doc: DocId,
    ) -> Result<Vec<u32>> {
        let option = IndexRecordOption::WithFreqsAndPositions;
        let postings = inverted.read_postings(term, option);
        let postings = postings.map_err(|e| self.index.error(e.into()))?;
        let mut positions = Vec::new();
        if let Some(mut postings) = postings {
            // a fresh postings list stands on its first document, and seeking backwards is a
            // debug assertion in tantivy: when that document is already past `doc`, the term is
            // not in `doc` (which of the two depends on how the indexing threads numbered them)
            if postings.doc() <= doc && postings.seek(doc) == doc {
                postings.positions(&mut positions);
            }
        }
        Ok(positions)
    }

    fn claim_hit(&self, doc: &TantivyDocument, rank: usize, score: f32) -> ClaimHit {
        let f = self.fields();
        let float = |field| doc.get_first(field).and_then(|v| v.as_f64());
        let offset = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0) as usize;
        let kind = text_of(doc, f.kind).and_then(|k| ClaimKind::parse(&k));
        ClaimHit {
            rank,
            score,
            id: text_of(doc, f.id).unwrap_or_default(),
            source: text_of(doc, f.source).unwrap_or_default(),
            title: text_of(doc, f.title),
            date: date_of(doc, f.date),
            claim: Claim {
                kind: kind.unwrap_or(ClaimKind::ComputeCapacity),
                subject: Subject {
                    code: text_of(doc, f.stock),
                    name: text_of(doc, f.stock_name),
                },
                value: float(f.value),
                low: float(f.low),
                high: float(f.high),
                unit: text_of(doc, f.unit),
                qualifier: text_of(doc, f.qualifier),
                text: text_of(doc, f.text).unwrap_or_default(),
                start: offset(f.start),
                end: offset(f.end),
                metric: text_of(doc, f.metric),
                period: text_of(doc, f.period),
                basis: text_of(doc, f.basis),
                sentence: None,
            },
            char_start: None,
            char_end: None,
        }
    }
}

fn text_of(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn date_of(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_i64())
        .map(calendar::number_text)
}

#[cfg(test)]
mod tests {
    use super::page_within;

    #[test]
    fn pages_are_cut_to_the_index() {
        assert_eq!(page_within(100, 0, 10), (0, 10));
        assert_eq!(page_within(100, 95, 10), (95, 5));
        assert_eq!(page_within(100, 0, usize::MAX), (0, 100));
        assert_eq!(page_within(100, usize::MAX, usize::MAX), (100, 0));
        assert_eq!(page_within(0, 10, 10), (0, 0));
    }
}

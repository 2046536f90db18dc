//! Search: query parsing, filters, ranking and snippets over an index written by
//! [`crate::index`].
//!
//! Takes a query such as `在手算力 stock:利通电子 date:2024-03-01..2024-03-31 -减持` and gives
//! ranked articles with highlighted snippets, or the claims that match. Query words are analysed
//! exactly like article text ([`index::query_terms`]: normalised, segmented by the same segmenter,
//! lowercased), so a query term is an index term.
//!
//! Syntax: words (all must match), `"phrases"`, `a OR b`, `AND` (the default), `-term`, and the
//! filters `stock:` (name, former name, nickname or code, resolved through the lexicon),
//! `concept:`, `date:FROM..TO` (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`; either end may be left out)
//! and `kind:` (a claim kind).
//!
//! Ranking: an unquoted word that segments into several tokens needs all of them, and the same
//! tokens as a phrase add a boosted score, so text with `在手算力` ranks above text that has `在手`
//! and `算力` far apart. Titles count too, boosted. Queries with only filters list the newest
//! articles first. Snippets are cut around the positions tantivy matched (character offsets),
//! mapped back to byte spans of the stored text: the hit is never segmented again.

use std::fmt;
use std::ops::Bound;
use std::path::Path;

use serde::Serialize;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::postings::Postings;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, DocSet, IndexReader, InvertedIndexReader, Order, Searcher, TantivyDocument,
    Term,
};

use crate::calendar::{self, DateRange};
use crate::error::{Error, Result};
use crate::index::{self, ArticleIndex, Fields};
use crate::lexicon::Lexicon;
use crate::model::{Claim, ClaimKind, Subject};
use crate::normalize::NormText;
use crate::pipeline::Engine;
use crate::segment::Segmenter;

/// Extra weight of the query's tokens found as an exact phrase.
const PHRASE_BOOST: f32 = 3.0;
/// Extra weight of a match in the title.
const TITLE_BOOST: f32 = 2.0;
/// Target length of a snippet, in bytes (about 80 Chinese characters).
const SNIPPET_BYTES: usize = 240;
/// Context kept before a snippet's first match, in bytes.
const CONTEXT_BYTES: usize = 45;
/// Snippets per hit, at most.
const MAX_SNIPPETS: usize = 2;

// ---------------------------------------------------------------------------------------------
// The query language
// ---------------------------------------------------------------------------------------------

/// A parsed query: clauses that must all hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryAst {
    /// The clauses, in query order.
    pub clauses: Vec<Clause>,
}

/// One clause: any of its alternatives (joined by `OR`) must match, or, negated, none.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// `-term`: documents matching it are excluded.
    pub negated: bool,
    /// The alternatives.
    pub any_of: Vec<Atom>,
}

/// The smallest piece of a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Atom {
    /// Unquoted text: segmented; every token must match, adjacent tokens rank higher.
    Words(String),
    /// Quoted text: the tokens must appear in this order, adjacent.
    Phrase(String),
    /// A filter on metadata.
    Filter(Filter),
}

/// A filter on what fupan found in an article (or on a claim).
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// Mentions the stock (for claims: is about it), by name, former name, nickname or code.
    Stock(String),
    /// Mentions the concept, by name or alias.
    Concept(String),
    /// Dated within the range.
    Date(DateRange),
    /// Has a claim of this kind (for claims: is of this kind).
    Kind(ClaimKind),
}

fn query_error(query: &str, message: impl Into<String>) -> Error {
    Error::query(query, message)
}

/// A filter value's error as an error of the whole query (said once, naming the query the user
/// typed rather than the part that failed).
fn in_query(e: Error, query: &str) -> Error {
    match e {
        Error::Query { message, cause, .. } => Error::Query {
            query: query.to_string(),
            message,
            cause,
        },
        other => other,
    }
}

impl Filter {
    /// A filter from a `field:value` pair; `None` when `field` is not a filter name.
    pub fn parse(field: &str, value: &str) -> Option<Result<Filter>> {
        let value = value.trim();
        let filter = match field.to_lowercase().as_str() {
            "stock" => Ok(Filter::Stock(value.to_string())),
            "concept" => Ok(Filter::Concept(value.to_string())),
            "date" => DateRange::parse(value).map(Filter::Date),
            "kind" => Filter::kind(value),
            _ => return None,
        };
        Some(filter.and_then(|f| match value.is_empty() {
            true => Err(query_error(field, format!("{field}: needs a value"))),
            false => Ok(f),
        }))
    }

    /// A claim kind filter from its snake_case name.
    pub fn kind(name: &str) -> Result<Filter> {
        ClaimKind::parse(name).map(Filter::Kind).ok_or_else(|| {
            let kinds: Vec<_> = ClaimKind::ALL.iter().map(|k| k.as_str()).collect();
            query_error(
                name,
                format!("unknown claim kind; one of {}", kinds.join(", ")),
            )
        })
    }
}

/// A word of the query as the lexer sees it.
#[derive(Debug)]
struct Lexeme {
    negated: bool,
    field: Option<String>,
    text: String,
    quoted: bool,
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '「')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '”' | '」')
}

fn is_filter_name(name: &str) -> bool {
    matches!(
        name.to_lowercase().as_str(),
        "stock" | "concept" | "date" | "kind"
    )
}

/// Splits a query into lexemes: `-`, `field:`, quoted text and bare words.
fn lex(query: &str) -> Result<Vec<Lexeme>> {
    let mut out = Vec::new();
    let mut chars = query.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            return Ok(out);
        };
        let negated = first == '-' && chars.next().is_some();
        let mut lexeme = Lexeme {
            negated,
            field: None,
            text: String::new(),
            quoted: false,
        };
        while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
            if is_open_quote(c) && lexeme.text.is_empty() {
                lexeme.text =
                    quoted(&mut chars).ok_or_else(|| query_error(query, "unclosed quote"))?;
                lexeme.quoted = true;
                break;
            }
            if matches!(c, ':' | '：') && lexeme.field.is_none() && is_filter_name(&lexeme.text) {
                lexeme.field = Some(std::mem::take(&mut lexeme.text).to_lowercase());
                continue;
            }
            lexeme.text.push(c);
        }
        if !lexeme.text.is_empty() || lexeme.field.is_some() {
            out.push(lexeme);
        }
    }
}

/// The text up to the closing quote (consumed); `None` when there is none.
fn quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    let mut text = String::new();
    for c in chars.by_ref() {
        if is_close_quote(c) {
            return Some(text);
        }
        text.push(c);
    }
    None
}

impl QueryAst {
    /// Parses a query string.
    pub fn parse(query: &str) -> Result<QueryAst> {
        let mut ast = QueryAst::default();
        let mut or_pending = false;
        for lexeme in lex(query)? {
            let bare = !lexeme.quoted && lexeme.field.is_none() && !lexeme.negated;
            if bare && lexeme.text == "AND" {
                continue;
            }
            if bare && lexeme.text == "OR" {
                if ast.clauses.is_empty() || or_pending {
                    return Err(query_error(query, "OR needs a term on each side"));
                }
                or_pending = true;
                continue;
            }
            let atom = atom(&lexeme, query)?;
            match ast.clauses.last_mut() {
                Some(last) if or_pending => {
                    if last.negated || lexeme.negated {
                        return Err(query_error(query, "a -term cannot be part of an OR"));
                    }
                    last.any_of.push(atom);
                }
                _ => ast.clauses.push(Clause {
                    negated: lexeme.negated,
                    any_of: vec![atom],
                }),
            }
            or_pending = false;
        }
        if or_pending {
            return Err(query_error(query, "OR needs a term on each side"));
        }
        Ok(ast)
    }
}

fn atom(lexeme: &Lexeme, query: &str) -> Result<Atom> {
    match &lexeme.field {
        Some(field) => match Filter::parse(field, &lexeme.text) {
            Some(filter) => filter.map(Atom::Filter).map_err(|e| in_query(e, query)),
            None => Ok(Atom::Words(format!("{field}:{}", lexeme.text))),
        },
        None if lexeme.quoted => Ok(Atom::Phrase(lexeme.text.clone())),
        None => Ok(Atom::Words(lexeme.text.clone())),
    }
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Atom::Words(w) => write!(f, "{w}"),
            Atom::Phrase(p) => write!(f, "\"{p}\""),
            Atom::Filter(Filter::Stock(s)) => write!(f, "stock:{s}"),
            Atom::Filter(Filter::Concept(c)) => write!(f, "concept:{c}"),
            Atom::Filter(Filter::Kind(k)) => write!(f, "kind:{k}"),
            Atom::Filter(Filter::Date(r)) => {
                let end = |d: Option<i64>| d.map(|d| d.to_string()).unwrap_or_default();
                write!(f, "date:{}..{}", end(r.from), end(r.to))
            }
        }
    }
}

/// Canonical form, for tests and `--verbose`: `+a -b +(c | d)`.
impl fmt::Display for QueryAst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, clause) in self.clauses.iter().enumerate() {
            let sign = if clause.negated { '-' } else { '+' };
            let atoms: Vec<String> = clause.any_of.iter().map(Atom::to_string).collect();
            let sep = if i == 0 { "" } else { " " };
            match atoms.len() {
                1 => write!(f, "{sep}{sign}{}", atoms[0])?,
                _ => write!(f, "{sep}{sign}({})", atoms.join(" | "))?,
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Requests and results
// ---------------------------------------------------------------------------------------------

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query string (may be empty: then filters alone select).
    pub query: String,
    /// Filters given apart from the query (command-line flags).
    pub filters: Vec<Filter>,
    /// Claims only: the claim states a figure ≥ this (its value, or the top of its range).
    pub min: Option<f64>,
    /// Claims only: the claim states a figure ≤ this (its value, or the bottom of its range).
    pub max: Option<f64>,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip first.
    pub offset: usize,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            filters: Vec::new(),
            min: None,
            max: None,
            limit: 10,
            offset: 0,
        }
    }
}

/// The hits of a search and how many matched in all.
#[derive(Debug, Clone)]
pub struct Found<H> {
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
    /// The claim, as in `docs/OUTPUT.md`.
    #[serde(flatten)]
    pub claim: Claim,
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

    fn fields(&self) -> &Fields {
        self.index.fields()
    }

    /// Articles matching the request, best first (newest first when it has no words).
    pub fn articles(&self, request: &SearchRequest) -> Result<Found<ArticleHit>> {
        self.found(
            request,
            index::ARTICLE,
            |searcher, compiled, rank, score, address| {
                self.article_hit(searcher, compiled, rank, score, address)
            },
        )
    }

    /// Claims matching the request, best first (newest first when it has no words).
    pub fn claims(&self, request: &SearchRequest) -> Result<Found<ClaimHit>> {
        self.found(
            request,
            index::CLAIM,
            |searcher, _, rank, score, address| {
                let doc: TantivyDocument =
                    searcher.doc(address).map_err(|e| self.index.error(e))?;
                Ok(self.claim_hit(&doc, rank, score))
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
    ) -> Result<Found<H>> {
        let compiled = self.compile(request, doc_type)?;
        let searcher = self.reader.searcher();
        let (total, top) = self.top(&searcher, &compiled, request)?;
        let hits = top
            .into_iter()
            .enumerate()
            .map(|(i, (score, address))| {
                hit(&searcher, &compiled, request.offset + i + 1, score, address)
            })
            .collect::<Result<_>>()?;
        Ok(Found { total, hits })
    }

    /// The number of matches and the requested page of them.
    fn top(
        &self,
        searcher: &Searcher,
        compiled: &Compiled,
        request: &SearchRequest,
    ) -> Result<(usize, Vec<(f32, DocAddress)>)> {
        let err = |e| self.index.error(e);
        if request.limit == 0 {
            return Ok((
                searcher.search(&compiled.query, &Count).map_err(err)?,
                Vec::new(),
            ));
        }
        let page = TopDocs::with_limit(request.limit).and_offset(request.offset);
        // Hits that rank equally (one score, one date) go in content-key order, and claims of
        // one article in text order: the same page whichever indexing thread took which
        // document, and however the segments were merged.
        let key = (SortByStaticFastValue::<u64>::for_field("key"), Order::Asc);
        let start = (SortByStaticFastValue::<u64>::for_field("start"), Order::Asc);
        if compiled.text.ranked {
            let by_score = page.order_by((SortBySimilarityScore, key, start));
            let (total, top) = searcher
                .search(&compiled.query, &(Count, by_score))
                .map_err(err)?;
            let top = top.into_iter().map(|((score, _, _), a)| (score, a));
            return Ok((total, top.collect()));
        }
        let date = (SortByStaticFastValue::<i64>::for_field("date"), Order::Desc);
        let by_date = page.order_by((date, key, start));
        let (total, top) = searcher
            .search(&compiled.query, &(Count, by_date))
            .map_err(err)?;
        Ok((total, top.into_iter().map(|(_, a)| (0.0, a)).collect()))
    }

    /// The request as one boolean query over documents of `doc_type`.
    fn compile(&self, request: &SearchRequest, doc_type: &str) -> Result<Compiled> {
        let mut ast = QueryAst::parse(&request.query)?;
        ast.clauses.extend(request.filters.iter().map(|f| Clause {
            negated: false,
            any_of: vec![Atom::Filter(f.clone())],
        }));
        let f = self.fields();
        let of_type = term_query(f.doc_type, doc_type, IndexRecordOption::Basic);
        let mut clauses = vec![(Occur::Must, filtering(of_type))];
        let mut text = TextTerms::default();
        for clause in &ast.clauses {
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
        Ok(Compiled {
            query: BooleanQuery::new(clauses),
            text,
        })
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
                Atom::Filter(filter) => {
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
        Some(self.in_text(&tokens, if exact { phrase } else { all_terms }))
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

    fn filter_query(&self, filter: &Filter) -> Result<Box<dyn Query>> {
        let f = self.fields();
        Ok(match filter {
            Filter::Stock(name) => {
                let codes = self.stock_codes(name)?;
                let terms = codes.iter().map(|c| Term::from_field_text(f.stock, c));
                Box::new(TermSetQuery::new(terms))
            }
            Filter::Concept(name) => term_query(
                f.concept,
                &self.concept_name(name),
                IndexRecordOption::Basic,
            ),
            Filter::Kind(kind) => term_query(f.kind, kind.as_str(), IndexRecordOption::Basic),
            Filter::Date(range) => {
                let bound = |d: Option<i64>| match d {
                    Some(d) => Bound::Included(Term::from_field_i64(f.date, d)),
                    None => Bound::Unbounded,
                };
                Box::new(RangeQuery::new(bound(range.from), bound(range.to)))
            }
        })
    }

    /// Body terms to highlight for a filter (it does not rank): the stock's or concept's name
    /// as typed and as canonical, where the segmenter keeps it as one token.
    fn filter_terms(&self, filter: &Filter, text: &mut TextTerms) {
        let names = match filter {
            Filter::Stock(value) => {
                let codes = self.stock_codes(value).unwrap_or_default();
                let canonical = codes.iter().filter_map(|c| self.lexicon.stock_by_code(c));
                let mut names: Vec<String> = canonical.map(|(_, s)| s.name.clone()).collect();
                names.push(value.clone());
                names
            }
            Filter::Concept(value) => vec![value.clone(), self.concept_name(value)],
            Filter::Date(_) | Filter::Kind(_) => Vec::new(),
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

    /// The canonical name of a concept or concept alias (the value itself, normalised, when
    /// unknown).
    fn concept_name(&self, value: &str) -> String {
        self.lexicon
            .concept_named(value)
            .map_or_else(|| NormText::new(value.trim()).text, str::to_string)
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
            if postings.seek(doc) == doc {
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
            },
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

// ---------------------------------------------------------------------------------------------
// Snippets
// ---------------------------------------------------------------------------------------------

/// A match of query terms in an article: a byte span and the terms it covers (one bit each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Byte start.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// Bit `i` set when the span covers query term `i`.
    pub terms: u64,
}

/// Up to `max` snippets of `text` around `matches` (sorted by start), in text order. The best
/// window has the most distinct terms, then the most terms side by side (an exact phrase), then
/// the most matches. Without matches, the start of the text.
pub fn snippets(text: &str, matches: &[Match], max: usize) -> Vec<Snippet> {
    let merged = merge_adjacent(matches);
    if merged.is_empty() {
        let end = text.floor_char_boundary(SNIPPET_BYTES);
        return vec![snippet(text, 0, end, &[])];
    }
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut out = Vec::new();
    while out.len() < max {
        let Some((first, last)) = best_window(&merged, &taken) else {
            break;
        };
        let (start, end) = bounds(text, &merged[first], &merged[last], &taken);
        taken.push((start, end));
        out.push(snippet(text, start, end, &merged));
    }
    out.sort_by_key(|s| s.start);
    out
}

/// Matches that touch or overlap joined into one, so `在手` + `算力` shows as `【在手算力】`.
fn merge_adjacent(matches: &[Match]) -> Vec<Match> {
    let mut out: Vec<Match> = Vec::with_capacity(matches.len());
    for m in matches {
        match out.last_mut() {
            Some(last) if m.start <= last.end => {
                last.end = last.end.max(m.end);
                last.terms |= m.terms;
            }
            _ => out.push(*m),
        }
    }
    out
}

/// The run of matches `[first, last]` that makes the best snippet, outside snippets taken.
fn best_window(matches: &[Match], taken: &[(usize, usize)]) -> Option<(usize, usize)> {
    let free = |m: &Match| !taken.iter().any(|&(s, e)| m.start < e && m.end > s);
    let mut best: Option<(u32, usize, usize)> = None;
    for (i, first) in matches.iter().enumerate().filter(|(_, m)| free(m)) {
        let limit = first.start + SNIPPET_BYTES - CONTEXT_BYTES;
        let (mut last, mut terms, mut widest) = (i, first.terms, first.terms.count_ones());
        for (j, m) in matches.iter().enumerate().skip(i + 1) {
            if m.end > limit || !free(m) {
                break;
            }
            (last, terms, widest) = (j, terms | m.terms, widest.max(m.terms.count_ones()));
        }
        let score = terms.count_ones() * 1000 + widest * 100 + (last - i + 1) as u32;
        if best.is_none_or(|(s, _, _)| score > s) {
            best = Some((score, i, last));
        }
    }
    best.map(|(_, first, last)| (first, last))
}

/// Byte bounds of a snippet around matches `first..=last`: some context before, filled up to
/// the target length after, kept within the line and clear of other snippets.
fn bounds(text: &str, first: &Match, last: &Match, taken: &[(usize, usize)]) -> (usize, usize) {
    let mut start = text.floor_char_boundary(first.start.saturating_sub(CONTEXT_BYTES));
    if let Some(nl) = text[start..first.start].rfind('\n') {
        start += nl + 1;
    }
    let mut end = text
        .floor_char_boundary(start + SNIPPET_BYTES)
        .max(last.end);
    if let Some(nl) = text[last.end..end].find('\n') {
        end = last.end + nl;
    }
    for &(s, e) in taken {
        if e <= first.start && start < e {
            start = e;
        }
        if s >= last.end && end > s {
            end = s;
        }
    }
    let lead = text[start..first.start].len() - text[start..first.start].trim_start().len();
    let trail = text[last.end..end].len() - text[last.end..end].trim_end().len();
    (start + lead, end - trail)
}

fn snippet(text: &str, start: usize, end: usize, matches: &[Match]) -> Snippet {
    let shown: String = text[start..end]
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let highlights = matches
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .map(|m| [m.start - start, m.end - start])
        .collect();
    Snippet {
        text: shown,
        highlights,
        start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(start: usize, end: usize, term: u32) -> Match {
        Match {
            start,
            end,
            terms: 1 << term,
        }
    }

    #[test]
    fn queries_parse_to_clauses() {
        let cases = [
            ("在手算力", "+在手算力"),
            ("在手 算力", "+在手 +算力"),
            ("在手 AND 算力", "+在手 +算力"),
            ("\"在手 算力\"", "+\"在手 算力\""),
            ("“在手算力”", "+\"在手算力\""),
            ("算力 OR 租赁 利通", "+(算力 | 租赁) +利通"),
            ("a OR b OR c", "+(a | b | c)"),
            ("算力 -减持", "+算力 -减持"),
            ("-\"净卖出\"", "-\"净卖出\""),
            ("stock:利通电子", "+stock:利通电子"),
            ("stock：603629", "+stock:603629"),
            ("Stock:利通电子", "+stock:利通电子"),
            ("concept:\"AI 应用\"", "+concept:AI 应用"),
            ("kind:compute_capacity", "+kind:compute_capacity"),
            ("date:2026-03-01..2026-03-31", "+date:20260301..20260331"),
            ("date:2026-03", "+date:20260301..20260331"),
            ("date:2026..", "+date:20260101.."),
            ("date:..2024-03-22", "+date:..20240322"),
            ("date:20240322", "+date:20240322..20240322"),
            ("http://x.cn", "+http://x.cn"),
            ("or and", "+or +and"),
            ("", ""),
            ("  - ", ""),
        ];
        for (query, want) in cases {
            let ast = QueryAst::parse(query).unwrap_or_else(|e| panic!("{query:?}: {e}"));
            assert_eq!(ast.to_string(), want, "{query:?}");
        }
    }

    #[test]
    fn bad_queries_are_errors() {
        let cases = [
            "\"unclosed",
            "OR 算力",
            "算力 OR",
            "a OR OR b",
            "-a OR b",
            "a OR -b",
            "kind:nonsense",
            "date:2026-13-01",
            "date:..",
            "date:yesterday",
            "stock:",
        ];
        for query in cases {
            assert!(QueryAst::parse(query).is_err(), "{query:?} should fail");
        }
    }

    #[test]
    fn date_flags_make_ranges() {
        let r = DateRange::between(Some("2024-03"), None).unwrap();
        assert_eq!(
            r,
            Some(DateRange {
                from: Some(20240301),
                to: None
            })
        );
        assert_eq!(DateRange::between(None, None).unwrap(), None);
        assert!(DateRange::between(Some("x"), None).is_err());
    }

    #[test]
    fn adjacent_matches_merge_into_one_highlight() {
        let text = "要看实际在手算力。";
        let s = "要看实际".len();
        let matches = [m(s, s + 6, 0), m(s + 6, s + 12, 1)];
        let got = snippets(text, &matches, 2);
        assert_eq!(got.len(), 1);
        let [a, b] = got[0].highlights[0];
        assert_eq!(&got[0].text[a..b], "在手算力");
    }

    #[test]
    fn the_window_with_the_phrase_wins() {
        let filler = "。".repeat(200);
        let text = format!("在手{filler}算力{filler}实际在手算力{filler}");
        let at = |needle: &str, from: usize| from + text[from..].find(needle).unwrap();
        let far = at("算力", 0);
        let near = at("在手算力", far + "算力".len());
        let matches = [
            m(0, 6, 0),
            m(far, far + 6, 1),
            m(near, near + 6, 0),
            m(near + 6, near + 12, 1),
        ];
        let got = snippets(&text, &matches, 1);
        assert_eq!(got.len(), 1);
        let [a, b] = got[0].highlights[0];
        assert_eq!(&got[0].text[a..b], "在手算力");
    }

    #[test]
    fn snippets_keep_offsets_and_boundaries() {
        let text = "第一行\n利通电子——平台回复在手3000P，在芯片进口受限后\n第三行";
        let s = text.find("在手").unwrap();
        let got = snippets(text, &[m(s, s + 6, 0)], 2);
        let snip = &got[0];
        assert_eq!(
            &text[snip.start..snip.start + snip.text.len()],
            snip.text.as_str()
        );
        assert!(snip.text.starts_with("利通电子"), "{:?}", snip.text);
        assert!(
            !snip.text.contains('第'),
            "kept within the line: {:?}",
            snip.text
        );
    }

    #[test]
    fn no_matches_gives_the_lead() {
        let got = snippets("短文。", &[], 2);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].text, "短文。");
        assert!(got[0].highlights.is_empty());
    }
}

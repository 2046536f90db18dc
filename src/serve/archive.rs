//! The data behind every page: requests (query parameters, as typed) checked and capped, run
//! through the search code, and returned as plain serialisable values. The JSON API returns these
//! values as they are; the pages render them.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use crate::calendar::{self, DateRange, Day};
use crate::error::{Error, Report};
use crate::export::{self, Destination, ExportFilter, ExportOptions, Format, SourceArticle, Table};
pub use crate::index::StockCount;
use crate::index::ARTICLE;
use crate::lexicon::FormKind;
use crate::model::{ArticleRecord, Claim, ClaimKind, NamedHit, StockHit};
use crate::pipeline::Engine;
use crate::search::{ArticleHit, ClaimHit, Facet, QueryFilter, Search, SearchRequest, SortBy};

use super::suggest;

/// Longest query text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 256;
/// Most hits on one page.
pub const MAX_LIMIT: usize = 100;
/// Deepest hit a page may reach (offset + limit).
pub const MAX_DEPTH: usize = 1000;
/// Most claims in one CSV download.
pub const MAX_CSV_ROWS: usize = 10_000;
/// Hits per page when the request does not say.
const PAGE_SIZE: usize = 10;
/// Values shown in a facet or a co-mention list.
const FACET_SIZE: usize = 10;
/// Days a chart of mentions per day can hold (ten years).
const MAX_DAYS: usize = 3660;

/// Why a request got no page.
#[derive(Debug)]
pub enum Refusal {
    /// The request is malformed (400): what is wrong.
    BadRequest(String),
    /// What it names does not exist (404).
    NotFound(NotFound),
    /// The index failed (500).
    Failed(String),
    /// The time limit ran out (503).
    TimedOut(Duration),
}

/// What was not found, and names near it.
#[derive(Debug, Clone, Serialize)]
pub struct NotFound {
    /// `stock`, `concept`, `article` or `page`.
    pub what: &'static str,
    /// The name asked for.
    pub name: String,
    /// Why, in a sentence.
    pub message: String,
    /// Near names: (label, link).
    pub suggestions: Vec<Suggestion>,
}

/// A page that may be what the user meant.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// What to show.
    pub label: String,
    /// Where it links.
    pub href: String,
}

impl From<Error> for Refusal {
    fn from(e: Error) -> Refusal {
        match e {
            Error::Query { .. } => Refusal::BadRequest(Report(&e).to_string()),
            e => Refusal::Failed(Report(&e).to_string()),
        }
    }
}

/// The result of building a page's data.
pub type Answer<T> = std::result::Result<T, Refusal>;

fn bad(message: impl Into<String>) -> Refusal {
    Refusal::BadRequest(message.into())
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/// The query parameters of the search and claims pages, as typed (all optional).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Params {
    /// Query text in the CLI's query language.
    pub q: Option<String>,
    /// Stock filter (name, nickname or code).
    pub stock: Option<String>,
    /// Concept filter.
    pub concept: Option<String>,
    /// First day.
    pub from: Option<String>,
    /// Last day.
    pub to: Option<String>,
    /// Claim kind.
    pub kind: Option<String>,
    /// `score` or `date`.
    pub sort: Option<String>,
    /// 1-based page.
    pub page: Option<String>,
    /// Hits per page.
    pub limit: Option<String>,
    /// Claims: metric.
    pub metric: Option<String>,
    /// Claims: period.
    pub period: Option<String>,
    /// Claims: smallest figure.
    pub min: Option<String>,
    /// Claims: largest figure.
    pub max: Option<String>,
    /// Board: the day.
    pub date: Option<String>,
}

/// A parameter's value, trimmed, when not empty.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn number<T: std::str::FromStr>(value: &Option<String>, name: &str) -> Answer<Option<T>> {
    given(value)
        .map(|v| {
            v.parse()
                .map_err(|_| bad(format!("{name}={v:?} is not a number")))
        })
        .transpose()
}

impl Params {
    /// The search request these parameters ask for, checked against the caps.
    pub fn request(&self, claims: bool) -> Answer<SearchRequest> {
        let query = given(&self.q).unwrap_or("").to_string();
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(bad(format!(
                "the query is longer than {MAX_QUERY_CHARS} characters"
            )));
        }
        let mut filters = Vec::new();
        if let Some(stock) = given(&self.stock) {
            filters.push(QueryFilter::Stock(stock.to_string()));
        }
        if let Some(concept) = given(&self.concept) {
            filters.push(QueryFilter::Concept(concept.to_string()));
        }
        if let Some(kind) = given(&self.kind) {
            filters.push(QueryFilter::kind(kind)?);
        }
        if let Some(range) = DateRange::between(given(&self.from), given(&self.to))? {
            filters.push(QueryFilter::Date(range));
        }
        let sort = match given(&self.sort) {
            None | Some("score") => None,
            Some("date") => Some(SortBy::Date),
            Some(other) => return Err(bad(format!("sort={other:?}: score or date"))),
        };
        let (offset, limit) = self.page()?;
        let text = |v: &Option<String>| given(v).map(str::to_string);
        let claim_only = |v: &Option<String>, name: &str| match (claims, given(v)) {
            (false, Some(_)) => Err(bad(format!("{name}= applies to claims only"))),
            _ => Ok(()),
        };
        for (v, name) in [(&self.metric, "metric"), (&self.period, "period")] {
            claim_only(v, name)?;
        }
        for (v, name) in [(&self.min, "min"), (&self.max, "max")] {
            claim_only(v, name)?;
        }
        Ok(SearchRequest {
            query,
            filters,
            min: number(&self.min, "min")?,
            max: number(&self.max, "max")?,
            metric: text(&self.metric),
            period: text(&self.period),
            basis: None,
            limit,
            offset,
            sort,
        })
    }

    /// `(offset, limit)` of the page asked for, within the caps.
    fn page(&self) -> Answer<(usize, usize)> {
        let limit = number::<usize>(&self.limit, "limit")?.unwrap_or(PAGE_SIZE);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(bad(format!("limit={limit}: 1 to {MAX_LIMIT}")));
        }
        let page = number::<usize>(&self.page, "page")?.unwrap_or(1);
        let offset = page
            .checked_sub(1)
            .and_then(|p| p.checked_mul(limit))
            .filter(|&o| o + limit <= MAX_DEPTH)
            .ok_or_else(|| {
                bad(format!(
                    "page={page}: pages start at 1 and reach hit {MAX_DEPTH} at most"
                ))
            })?;
        Ok((offset, limit))
    }

    /// The 1-based page number asked for.
    pub fn page_number(&self) -> usize {
        number::<usize>(&self.page, "page")
            .ok()
            .flatten()
            .unwrap_or(1)
    }
}

// ---------------------------------------------------------------------------------------------
// Page data
// ---------------------------------------------------------------------------------------------

/// A name (concept, day) with a count.
#[derive(Debug, Clone, Serialize)]
pub struct NameCount {
    /// The concept or the day.
    pub name: String,
    /// Articles.
    pub count: u64,
}

/// The search page: hits as `fupan search --json` prints them, and the facets of all matches.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Articles matched.
    pub total: usize,
    /// Hits skipped before this page.
    pub offset: usize,
    /// Hits per page.
    pub limit: usize,
    /// This page's hits.
    pub hits: Vec<ArticleHit>,
    /// Stocks most often mentioned by the matching articles.
    pub stocks: Vec<StockCount>,
    /// Concepts most often mentioned by the matching articles.
    pub concepts: Vec<NameCount>,
}

/// The claims page.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimResults {
    /// Claims matched.
    pub total: usize,
    /// Claims skipped before this page.
    pub offset: usize,
    /// Claims per page.
    pub limit: usize,
    /// This page's claims, as `fupan search --claims --json` prints them.
    pub hits: Vec<ClaimHit>,
}

/// An article with what fupan found in it (the record `fupan extract` would print, and the text).
#[derive(Debug, Clone, Serialize)]
pub struct ArticlePage {
    /// Content id.
    pub id: String,
    /// Where it came from.
    pub source: String,
    /// Title.
    pub title: Option<String>,
    /// Day.
    pub date: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// The text; every offset below points into it.
    pub text: String,
    /// Stocks with their mentions.
    pub stocks: Vec<StockHit>,
    /// Concepts with their mentions.
    pub concepts: Vec<NamedHit>,
    /// Claims in text order.
    pub claims: Vec<Claim>,
}

/// A stock over time.
#[derive(Debug, Clone, Serialize)]
pub struct StockPage {
    /// Six-digit code.
    pub code: String,
    /// Current short name.
    pub name: String,
    /// `SH`, `SZ` or `BJ`.
    pub exchange: String,
    /// Registered name.
    pub full_name: String,
    /// Industry.
    pub industry: String,
    /// Former short names.
    pub former_names: Vec<String>,
    /// Trader nicknames.
    pub nicknames: Vec<String>,
    /// Articles mentioning it.
    pub articles: usize,
    /// Articles per day, by day.
    pub mentions_per_day: Vec<NameCount>,
    /// Its claims, newest first.
    pub claims: Vec<ClaimHit>,
    /// Claims matched in all (more than `claims` when capped).
    pub claims_total: usize,
    /// Stocks mentioned in the same articles.
    pub co_stocks: Vec<StockCount>,
    /// Concepts mentioned in the same articles.
    pub co_concepts: Vec<NameCount>,
    /// Newest articles mentioning it.
    pub latest: Vec<ArticleHit>,
}

/// A concept over time.
#[derive(Debug, Clone, Serialize)]
pub struct ConceptPage {
    /// Canonical name.
    pub name: String,
    /// Articles mentioning it.
    pub articles: usize,
    /// Articles per day (its heat), by day.
    pub articles_per_day: Vec<NameCount>,
    /// The window of `top_stocks` (`from`, `to`; open ends null).
    pub window: (Option<String>, Option<String>),
    /// Stocks most often mentioned with it in the window.
    pub top_stocks: Vec<StockCount>,
    /// Newest articles mentioning it in the window.
    pub latest: Vec<ArticleHit>,
}

/// A stock on the limit-up ladder of a day.
#[derive(Debug, Clone, Serialize)]
pub struct LadderStock {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Consecutive limit-ups (1: first board).
    pub streak: u32,
    /// The articles that state it: (id, title).
    pub articles: Vec<(String, String)>,
}

/// The board of one day.
#[derive(Debug, Clone, Serialize)]
pub struct BoardPage {
    /// The day (null when the index has no dated article).
    pub date: Option<String>,
    /// The day with articles before it.
    pub previous: Option<String>,
    /// The day with articles after it.
    pub next: Option<String>,
    /// Articles of the day.
    pub articles: usize,
    /// Limit-up ladder, highest streak first.
    pub ladder: Vec<LadderStock>,
    /// Stocks stated to hit limit-down.
    pub limit_down: Vec<LadderStock>,
    /// Turnover, breadth and fund-flow figures stated that day.
    pub market: Vec<ClaimHit>,
    /// The week's hottest concepts (the seven days to the day).
    pub hot_concepts: Vec<NameCount>,
}

// ---------------------------------------------------------------------------------------------
// The archive
// ---------------------------------------------------------------------------------------------

/// The index as the pages read it, shared by every request.
pub struct Archive {
    search: Search<'static>,
    engine: &'static Engine,
    /// Longest a request may run.
    pub time_limit: Duration,
}

impl Archive {
    /// Wraps an open search.
    pub fn new(search: Search<'static>, engine: &'static Engine, time_limit: Duration) -> Archive {
        Archive {
            search,
            engine,
            time_limit,
        }
    }

    fn stock_name(&self, code: &str) -> String {
        self.engine
            .lexicon()
            .stock_by_code(code)
            .map(|(_, s)| s.name.clone())
            .unwrap_or_default()
    }

    fn stock_counts(&self, counts: Vec<(String, u64)>, except: Option<&str>) -> Vec<StockCount> {
        counts
            .into_iter()
            .filter(|(code, _)| Some(code.as_str()) != except)
            .take(FACET_SIZE)
            .map(|(code, count)| StockCount {
                name: self.stock_name(&code),
                code,
                count,
            })
            .collect()
    }

    /// The search page.
    pub fn search(&self, params: &Params) -> Answer<SearchResults> {
        let request = params.request(false)?;
        let found = self.search.articles(&request)?;
        let (_, facets) = self.search.tallies(
            &request,
            false,
            &[(Facet::Stock, FACET_SIZE), (Facet::Concept, FACET_SIZE)],
        )?;
        let [stocks, concepts] = <[_; 2]>::try_from(facets).unwrap_or_default();
        Ok(SearchResults {
            total: found.total,
            offset: request.offset,
            limit: request.limit,
            hits: found.hits,
            stocks: self.stock_counts(stocks, None),
            concepts: name_counts(concepts),
        })
    }

    /// The claims page.
    pub fn claims(&self, params: &Params) -> Answer<ClaimResults> {
        let request = params.request(true)?;
        let found = self.search.claims(&request)?;
        Ok(ClaimResults {
            total: found.total,
            offset: request.offset,
            limit: request.limit,
            hits: found.hits,
        })
    }

    /// The claims the parameters select (from the first, up to [`MAX_CSV_ROWS`]) as the CSV of
    /// `fupan export claims`, with a byte-order mark for Excel.
    pub fn claims_csv(&self, params: &Params) -> Answer<Vec<u8>> {
        let mut request = params.request(true)?;
        request.offset = 0;
        request.limit = MAX_CSV_ROWS;
        let found = self.search.claims(&request)?;
        // the hits, grouped by article in hit order, as the records the export code reads
        let mut records: Vec<ArticleRecord> = Vec::new();
        for hit in found.hits {
            if records.last().is_none_or(|r| r.id != hit.id) {
                records.push(ArticleRecord {
                    id: hit.id.clone(),
                    source: hit.source.clone(),
                    title: hit.title.clone(),
                    date: hit.date.clone(),
                    ..ArticleRecord::default()
                });
            }
            if let Some(record) = records.last_mut() {
                record.claims.push(hit.claim);
            }
        }
        let options = ExportOptions {
            table: Table::Claims,
            format: Format::Csv,
            filter: ExportFilter::default(),
            bom: true,
        };
        let out = SharedBuffer::default();
        let articles = records
            .into_iter()
            .map(|record| Ok(SourceArticle { record, text: None }));
        let destination = Destination::Stream(Box::new(out.clone()));
        export::export(articles, &options, destination, &mut |_| {})?;
        Ok(out.take())
    }

    /// One article with its stocks, concepts and claims (the engine's analysis of the stored
    /// text, which is what `fupan index` saw).
    pub fn article(&self, id: &str) -> Answer<ArticlePage> {
        let missing = || {
            Refusal::NotFound(NotFound {
                what: "article",
                name: id.to_string(),
                message: format!("no article with the id {id} in the index"),
                suggestions: Vec::new(),
            })
        };
        if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(missing());
        }
        let index = self.search.index();
        let f = index.fields();
        let searcher = self.search.searcher();
        let query = BooleanQuery::new(vec![
            (Occur::Must, term(f.doc_type, ARTICLE)),
            (Occur::Must, term(f.id, &id.to_ascii_lowercase())),
        ]);
        let top = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(|e| index.error(e))?;
        let Some((_, address)) = top.first() else {
            return Err(missing());
        };
        let doc: TantivyDocument = searcher.doc(*address).map_err(|e| index.error(e))?;
        let analysis = self.engine.analyze(index.stored_article(&doc));
        let record = analysis.record;
        Ok(ArticlePage {
            id: record.id,
            source: record.source,
            title: record.title,
            date: record.date,
            author: record.author,
            text: analysis.article.text,
            stocks: record.stocks,
            concepts: record.concepts,
            claims: record.claims,
        })
    }

    /// The code a stock page asks for: a code, name or nickname naming one stock.
    fn stock_code(&self, name: &str) -> Answer<String> {
        let lexicon = self.engine.lexicon();
        let codes = lexicon.stock_codes_named(name);
        let known: Vec<&String> = codes
            .iter()
            .filter(|c| lexicon.stock_by_code(c).is_some())
            .collect();
        match known[..] {
            [code] => Ok(code.clone()),
            [] => Err(Refusal::NotFound(NotFound {
                what: "stock",
                name: name.to_string(),
                message: format!("no stock by the name, nickname or code {name:?}"),
                suggestions: suggest::stocks(lexicon, name),
            })),
            _ => Err(Refusal::NotFound(NotFound {
                what: "stock",
                name: name.to_string(),
                message: format!("{name:?} names several stocks; choose one"),
                suggestions: known
                    .iter()
                    .map(|c| Suggestion {
                        label: format!("{} {c}", self.stock_name(c)),
                        href: format!("/stock/{c}"),
                    })
                    .collect(),
            })),
        }
    }

    /// A stock page.
    pub fn stock(&self, name: &str) -> Answer<StockPage> {
        let code = self.stock_code(name)?;
        let lexicon = self.engine.lexicon();
        let Some((index, stock)) = lexicon.stock_by_code(&code) else {
            return Err(Refusal::Failed(format!(
                "{code} is not in the dictionaries"
            )));
        };
        let (former_names, nicknames) = other_names(lexicon, index);
        let of_stock = SearchRequest {
            filters: vec![QueryFilter::Stock(code.clone())],
            limit: PAGE_SIZE,
            ..SearchRequest::default()
        };
        let (articles, facets) = self.search.tallies(
            &of_stock,
            false,
            &[
                (Facet::Date, MAX_DAYS),
                (Facet::Stock, FACET_SIZE + 1),
                (Facet::Concept, FACET_SIZE),
            ],
        )?;
        let [per_day, co_stocks, co_concepts] = <[_; 3]>::try_from(facets).unwrap_or_default();
        let claims = self.search.claims(&SearchRequest {
            limit: MAX_LIMIT * 5,
            ..of_stock.clone()
        })?;
        Ok(StockPage {
            name: stock.name.clone(),
            exchange: stock.exchange.clone(),
            full_name: stock.full_name.clone(),
            industry: stock.industry.clone(),
            former_names,
            nicknames,
            articles,
            mentions_per_day: by_day(per_day),
            claims_total: claims.total,
            claims: claims.hits,
            co_stocks: self.stock_counts(co_stocks, Some(&code)),
            co_concepts: name_counts(co_concepts),
            latest: self.search.articles(&of_stock)?.hits,
            code,
        })
    }

    /// A concept page; `params.from` / `params.to` set the window of its top stocks.
    pub fn concept(&self, name: &str, params: &Params) -> Answer<ConceptPage> {
        let lexicon = self.engine.lexicon();
        let Some(canonical) = lexicon.concept_named(name) else {
            return Err(Refusal::NotFound(NotFound {
                what: "concept",
                name: name.to_string(),
                message: format!("no concept by the name or alias {name:?}"),
                suggestions: suggest::concepts(lexicon, name),
            }));
        };
        let of_concept = SearchRequest {
            filters: vec![QueryFilter::Concept(canonical.to_string())],
            limit: PAGE_SIZE,
            ..SearchRequest::default()
        };
        let (articles, per_day) = self
            .search
            .tally(&of_concept, false, Facet::Date, MAX_DAYS)?;
        let mut in_window = of_concept.clone();
        let (from, to) = (given(&params.from), given(&params.to));
        if let Some(range) = DateRange::between(from, to)? {
            in_window.filters.push(QueryFilter::Date(range));
        }
        let (_, top) = self
            .search
            .tally(&in_window, false, Facet::Stock, FACET_SIZE)?;
        Ok(ConceptPage {
            name: canonical.to_string(),
            articles,
            articles_per_day: by_day(per_day),
            window: (from.map(str::to_string), to.map(str::to_string)),
            top_stocks: self.stock_counts(top, None),
            latest: self.search.articles(&in_window)?.hits,
        })
    }

    /// The board of a day (the newest day of the index when `params.date` is not given).
    pub fn board(&self, params: &Params) -> Answer<BoardPage> {
        let every_day = SearchRequest::default();
        let (_, days) = self
            .search
            .tally(&every_day, false, Facet::Date, MAX_DAYS)?;
        let days: Vec<String> = by_day(days).into_iter().map(|d| d.name).collect();
        let day = match given(&params.date) {
            Some(text) => Day::parse(text)
                .ok_or_else(|| bad(format!("date={text:?} is not a day (YYYY-MM-DD)")))?,
            None => match days.last().and_then(|d| Day::parse(d)) {
                Some(day) => day,
                None => return Ok(empty_board()),
            },
        };
        let date = calendar::number_text(day.number());
        let on_day = DateRange {
            from: Some(day.number()),
            to: Some(day.number()),
        };
        let (articles, _) = self.search.tally(
            &SearchRequest {
                filters: vec![QueryFilter::Date(on_day)],
                ..SearchRequest::default()
            },
            false,
            Facet::Kind,
            1,
        )?;
        let week_start = Day::from_days_since_epoch(day.days_since_epoch() - 6).unwrap_or(day);
        let week = DateRange {
            from: Some(week_start.number()),
            to: Some(day.number()),
        };
        let (_, hot) = self.search.tally(
            &SearchRequest {
                filters: vec![QueryFilter::Date(week)],
                ..SearchRequest::default()
            },
            false,
            Facet::Concept,
            FACET_SIZE,
        )?;
        let claims_of = |kinds: &[ClaimKind]| self.claims_on(on_day, kinds);
        let mut ladder = ladder(claims_of(&[ClaimKind::LimitUpStreak, ClaimKind::LimitUp])?);
        ladder.sort_by(|a, b| b.streak.cmp(&a.streak).then(a.code.cmp(&b.code)));
        let market = [
            ClaimKind::Turnover,
            ClaimKind::MarketBreadth,
            ClaimKind::CapitalFlow,
        ];
        Ok(BoardPage {
            previous: days.iter().rev().find(|d| **d < date).cloned(),
            next: days.iter().find(|d| **d > date).cloned(),
            date: Some(date),
            articles,
            ladder,
            limit_down: self::ladder(claims_of(&[ClaimKind::LimitDown])?),
            market: claims_of(&market)?,
            hot_concepts: name_counts(hot),
        })
    }

    /// Claims of any of `kinds` in articles of the day, in text order within each article.
    fn claims_on(&self, day: DateRange, kinds: &[ClaimKind]) -> Answer<Vec<ClaimHit>> {
        let mut out = Vec::new();
        for &kind in kinds {
            let request = SearchRequest {
                filters: vec![QueryFilter::Date(day), QueryFilter::Kind(kind)],
                limit: MAX_DEPTH,
                ..SearchRequest::default()
            };
            out.extend(self.search.claims(&request)?.hits);
        }
        Ok(out)
    }
}

fn empty_board() -> BoardPage {
    BoardPage {
        date: None,
        previous: None,
        next: None,
        articles: 0,
        ladder: Vec::new(),
        limit_down: Vec::new(),
        market: Vec::new(),
        hot_concepts: Vec::new(),
    }
}

/// The stocks of limit claims, each once with its highest streak (a plain limit-up is a first
/// board) and the articles that state it.
fn ladder(claims: Vec<ClaimHit>) -> Vec<LadderStock> {
    let mut by_code: BTreeMap<String, LadderStock> = BTreeMap::new();
    for hit in claims {
        let Some(code) = hit.claim.subject.code.clone() else {
            continue;
        };
        let streak = match hit.claim.kind {
            ClaimKind::LimitUpStreak => hit.claim.value.unwrap_or(1.0).max(1.0) as u32,
            _ => 1,
        };
        let entry = by_code.entry(code.clone()).or_insert_with(|| LadderStock {
            code,
            name: hit.claim.subject.name.clone().unwrap_or_default(),
            streak,
            articles: Vec::new(),
        });
        entry.streak = entry.streak.max(streak);
        if !entry.articles.iter().any(|(id, _)| *id == hit.id) {
            let title = hit.title.clone().unwrap_or_else(|| hit.source.clone());
            entry.articles.push((hit.id, title));
        }
    }
    by_code.into_values().collect()
}

/// Former short names and nicknames of the stock at `index`.
fn other_names(lexicon: &crate::lexicon::Lexicon, index: u32) -> (Vec<String>, Vec<String>) {
    let (mut former, mut nicknames) = (Vec::new(), Vec::new());
    for (form, senses) in lexicon.forms() {
        for sense in senses {
            match sense.form {
                FormKind::Former if sense.target == index => former.push(form.to_string()),
                FormKind::Alias
                    if lexicon.alias_targets[sense.target as usize].contains(&index) =>
                {
                    nicknames.push(form.to_string())
                }
                _ => {}
            }
        }
    }
    for list in [&mut former, &mut nicknames] {
        list.sort();
        list.dedup();
    }
    (former, nicknames)
}

fn term(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

fn name_counts(counts: Vec<(String, u64)>) -> Vec<NameCount> {
    counts
        .into_iter()
        .map(|(name, count)| NameCount { name, count })
        .collect()
}

/// Day counts in day order.
fn by_day(mut counts: Vec<(String, u64)>) -> Vec<NameCount> {
    counts.sort();
    name_counts(counts)
}

/// A writer whose bytes the caller takes back afterwards (the export code writes to a boxed
/// stream it owns).
#[derive(Clone, Default)]
struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl SharedBuffer {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut bytes = self.0.lock().unwrap_or_else(|p| p.into_inner());
        bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        let mut p = Params::default();
        for (k, v) in pairs {
            let v = Some(v.to_string());
            match *k {
                "q" => p.q = v,
                "page" => p.page = v,
                "limit" => p.limit = v,
                "sort" => p.sort = v,
                "kind" => p.kind = v,
                "from" => p.from = v,
                "to" => p.to = v,
                "metric" => p.metric = v,
                _ => unreachable!("{k}"),
            }
        }
        p
    }

    #[test]
    fn requests_are_capped_and_checked() {
        let ok = [
            (vec![], (0, PAGE_SIZE)),
            (vec![("page", "3")], (20, PAGE_SIZE)),
            (vec![("page", "2"), ("limit", "100")], (100, 100)),
            (vec![("page", "100")], (990, PAGE_SIZE)),
        ];
        for (pairs, (offset, limit)) in ok {
            let r = params(&pairs).request(false).unwrap();
            assert_eq!((r.offset, r.limit), (offset, limit), "{pairs:?}");
        }
        let long = "算".repeat(MAX_QUERY_CHARS + 1);
        let refused = [
            vec![("q", long.as_str())],
            vec![("page", "0")],
            vec![("page", "101")],
            vec![("page", "x")],
            vec![("limit", "101")],
            vec![("limit", "0")],
            vec![("sort", "random")],
            vec![("kind", "nonsense")],
            vec![("from", "2024-13-01")],
            vec![("from", "2024-03-02"), ("to", "2024-03-01")],
            vec![("metric", "营业收入")],
        ];
        for pairs in refused {
            assert!(
                matches!(params(&pairs).request(false), Err(Refusal::BadRequest(_))),
                "{pairs:?}"
            );
        }
        assert!(params(&[("metric", "营业收入")]).request(true).is_ok());
        assert!(params(&[("sort", "date")]).request(false).unwrap().sort == Some(SortBy::Date));
    }
}

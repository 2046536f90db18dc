//! Query latency of `fupan search` (parse, search, fetch and snippet the top 10) over the
//! representative queries of `benches/queries.txt`, each as an article search and as a claims
//! search, and over the filters of `fupan serve`'s search page (stock, concept, dates, claim kind,
//! newest first) alone and with words: median, p90, p99 and the slowest requests.
//!
//! ```text
//! cargo bench --bench query_latency                     # indexes corpus/ + ../shared/corpus first
//! cargo bench --bench query_latency -- INDEX_DIR [QUERIES_FILE]
//! ```
//!
//! Inside the loop it checks a known answer: where the seed article is indexed, `在手算力` must
//! find it first.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fupan::index::{ArticleIndex, IndexOptions};
use fupan::model::ClaimKind;
use fupan::pipeline::Engine;
use fupan::search::{QueryFilter, Search, SearchRequest, SortBy};
use fupan::source::{ReadOptions, Reader};

/// Timed passes over every query (after one warm-up pass).
const ROUNDS: usize = 5;
/// The latency asked for, at the 99th percentile, over every request.
const TARGET_P99: Duration = Duration::from_millis(20);

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let queries_file = args
        .get(1)
        .map_or(repo.join("benches").join("queries.txt"), PathBuf::from);
    let queries = read_queries(&queries_file);
    let engine = Engine::builtin().expect("built-in dictionaries");
    let _temp;
    let index_dir = match args.first() {
        Some(dir) => PathBuf::from(dir),
        None => {
            _temp = tempfile::tempdir().expect("temp dir");
            build_index(&engine, &repo, _temp.path());
            _temp.path().to_path_buf()
        }
    };
    let search = Search::open(&index_dir, &engine).expect("open index");
    let mut requests: Vec<Request> = queries
        .iter()
        .flat_map(|q| {
            [
                Request::articles(q, SearchRequest::default()),
                Request::claims(q, SearchRequest::default()),
            ]
        })
        .collect();
    requests.extend(page_requests());
    let mut timings: Vec<(Duration, &str)> = Vec::new();
    let mut empty: Vec<&str> = Vec::new();
    for round in 0..=ROUNDS {
        for request in &requests {
            let (elapsed, total) = request.timed(&search);
            if round > 0 {
                timings.push((elapsed, &request.label));
            } else if total == 0 {
                empty.push(&request.label);
            }
        }
    }
    report(&mut timings, requests.len());
    println!("requests without hits: {} {empty:?}", empty.len());
    claims_latency(&search);
}

/// One timed request: an article or a claims search.
struct Request {
    label: String,
    claims: bool,
    request: SearchRequest,
}

impl Request {
    fn articles(query: &str, request: SearchRequest) -> Request {
        Request {
            label: query.to_string(),
            claims: false,
            request: SearchRequest {
                query: query.to_string(),
                ..request
            },
        }
    }

    fn claims(query: &str, request: SearchRequest) -> Request {
        Request {
            label: format!("--claims {query}"),
            claims: true,
            request: SearchRequest {
                query: query.to_string(),
                ..request
            },
        }
    }

    /// The time of the search and its number of matches.
    fn timed(&self, search: &Search<'_>) -> (Duration, usize) {
        if !self.claims {
            return timed_search(search, &self.request);
        }
        let started = Instant::now();
        let found = search.claims(&self.request).expect("claims");
        (started.elapsed(), found.total)
    }
}

/// What `fupan serve`'s search page asks for: its filters (stock, concept, a date range, a claim
/// kind, newest first) alone and with words, as article and as claims searches.
fn page_requests() -> Vec<Request> {
    let filtered = [
        ("", vec![QueryFilter::Stock("宁德时代".into())], None),
        ("涨停", vec![QueryFilter::Stock("贵州茅台".into())], None),
        ("", vec![QueryFilter::Concept("算力".into())], None),
        (
            "业绩",
            vec![QueryFilter::Concept("人形机器人".into())],
            None,
        ),
        ("", vec![QueryFilter::Kind(ClaimKind::LimitUp)], None),
        (
            "",
            vec![QueryFilter::Kind(ClaimKind::EarningsGrowth)],
            Some(SortBy::Date),
        ),
        (
            "算力",
            vec![QueryFilter::Kind(ClaimKind::ComputeCapacity)],
            None,
        ),
        ("涨停 date:2026-01..2026-03", vec![], Some(SortBy::Date)),
        (
            "净利润 date:2018",
            vec![QueryFilter::Kind(ClaimKind::EarningsGrowth)],
            None,
        ),
        ("", vec![], Some(SortBy::Date)),
    ];
    let mut requests = Vec::new();
    for (query, filters, sort) in filtered {
        let request = || SearchRequest {
            filters: filters.clone(),
            sort,
            ..SearchRequest::default()
        };
        let label = |claims: &str| format!("{claims}{query} {filters:?} {sort:?}");
        let mut articles = Request::articles(query, request());
        articles.label = label("");
        let mut claims = Request::claims(query, request());
        claims.label = label("--claims ");
        requests.extend([articles, claims]);
    }
    requests
}

fn read_queries(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("queries file");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Indexes the bundled corpus and the shared one (when present) into `dir`.
fn build_index(engine: &Engine, repo: &Path, dir: &Path) {
    let mut paths = vec![repo.join("corpus")];
    let shared = repo.join("..").join("shared").join("corpus");
    if shared.is_dir() {
        paths.push(shared);
    }
    let started = Instant::now();
    let index = ArticleIndex::open_or_create(dir, false).expect("create index");
    let mut indexer = index
        .indexer(engine, IndexOptions::default())
        .expect("writer");
    let reader = Reader::new(ReadOptions::default());
    let summary = indexer
        .add_all(engine, reader.read(&paths), |_| {})
        .expect("indexing");
    indexer.finish().expect("merges");
    let secs = started.elapsed().as_secs_f64();
    println!(
        "indexed {} articles, {:.1} MB in {secs:.2} s ({:.2} MB/s)",
        summary.added,
        summary.bytes as f64 / 1e6,
        summary.bytes as f64 / 1e6 / secs
    );
}

/// One article search (the top 10 with snippets), and the number of matches; checks the known
/// answer for 在手算力.
fn timed_search(search: &Search<'_>, request: &SearchRequest) -> (Duration, usize) {
    let started = Instant::now();
    let found = search.articles(request).expect("search");
    let elapsed = started.elapsed();
    if request.query == "在手算力" && request.filters.is_empty() {
        let seed_indexed = found
            .hits
            .iter()
            .any(|h| h.source.ends_with("recap-2024-03.txt"));
        if seed_indexed {
            assert!(
                found.hits[0].source.ends_with("recap-2024-03.txt"),
                "seed not first"
            );
        }
    }
    (elapsed, found.total)
}

fn percentile(sorted: &[(Duration, &str)], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].0
}

fn report(timings: &mut [(Duration, &str)], queries: usize) {
    timings.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p99 = percentile(timings, 0.99);
    println!(
        "{queries} requests × {ROUNDS} rounds: median {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms \
         (target p99 < {} ms: {})",
        ms(percentile(timings, 0.5)),
        ms(percentile(timings, 0.9)),
        ms(p99),
        ms(timings[timings.len() - 1].0),
        TARGET_P99.as_millis(),
        if p99 < TARGET_P99 { "met" } else { "MISSED" }
    );
    println!("slowest:");
    for (d, q) in timings.iter().rev().take(5) {
        println!("  {:>7.2} ms  {q}", ms(*d));
    }
}

/// Latency of the claims listing of the issue: every compute_capacity ≥ 1000P.
fn claims_latency(search: &Search<'_>) {
    let request = SearchRequest {
        filters: vec![QueryFilter::Kind(ClaimKind::ComputeCapacity)],
        min: Some(1000.0),
        limit: 100,
        ..SearchRequest::default()
    };
    let started = Instant::now();
    let found = search.claims(&request).expect("claims");
    println!(
        "claims compute_capacity ≥ 1000: {} found in {:.2} ms",
        found.total,
        started.elapsed().as_secs_f64() * 1e3
    );
}

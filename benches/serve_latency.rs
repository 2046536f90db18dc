//! Latency of `fupan serve`'s search and stock pages under 8 concurrent clients: p50, p90, p99
//! and the slowest request of each page, over loopback.
//!
//! ```text
//! benches/serve_latency.sh                  # builds the archive and its index, serves, runs this
//! cargo bench --bench serve_latency -- http://127.0.0.1:PORT   # against a server already running
//! ```
//!
//! Bounded: each client sends `SERVE_REQUESTS` requests (200 unless set) and stops at 120 s
//! whatever is left. Every answer must be 200 and a search page must list its hits, so a fast
//! error page cannot pass for a fast page. Queries come from `benches/queries.txt`; stocks are
//! the most mentioned ones of the index (the facets of the search page).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Concurrent clients.
const CLIENTS: usize = 8;
/// The latency the issue asks for, at the 99th percentile.
const TARGET_P99: Duration = Duration::from_millis(50);
/// No client runs longer than this.
const TIME_BOUND: Duration = Duration::from_secs(120);

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(base) = args.first().cloned() else {
        println!("SKIPPED: give the server's address (benches/serve_latency.sh does)");
        return;
    };
    let base = base.trim_end_matches('/').to_string();
    if !base.starts_with("http://127.") && !base.starts_with("http://localhost") {
        panic!("{base}: this bench speaks to loopback only");
    }
    let per_client: usize = std::env::var("SERVE_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let queries = read_queries(&repo.join("benches/queries.txt"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let stocks = top_stocks(&agent, &base);
    assert!(!stocks.is_empty(), "the index mentions no stock");
    let paths: Vec<(Page, String)> = queries
        .iter()
        .map(|q| (Page::Search, format!("/?q={}", encode(q))))
        .chain(stocks.iter().map(|c| (Page::Stock, format!("/stock/{c}"))))
        .collect();
    let paths = Arc::new(paths);
    // one warm-up pass: the first request of each page maps index files into memory
    for (_, path) in paths.iter() {
        request(&agent, &base, path);
    }
    let started = Instant::now();
    let workers: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (paths, base, agent) = (paths.clone(), base.clone(), agent.clone());
            std::thread::spawn(move || {
                let mut timings = Vec::with_capacity(per_client);
                for i in 0..per_client {
                    if started.elapsed() > TIME_BOUND {
                        break;
                    }
                    // each client walks the list from its own place, mixing the two pages
                    let (page, path) = &paths[(i * 7 + client * 13) % paths.len()];
                    let took = request(&agent, &base, path);
                    timings.push((*page, took));
                }
                timings
            })
        })
        .collect();
    let mut timings: Vec<(Page, Duration)> = Vec::new();
    for worker in workers {
        timings.extend(worker.join().expect("a client failed"));
    }
    let wall = started.elapsed();
    println!(
        "{CLIENTS} clients, {} requests in {:.1} s ({:.0} requests/s)",
        timings.len(),
        wall.as_secs_f64(),
        timings.len() as f64 / wall.as_secs_f64()
    );
    for page in [Page::Search, Page::Stock] {
        let mut of_page: Vec<Duration> = timings
            .iter()
            .filter(|(p, _)| *p == page)
            .map(|(_, d)| *d)
            .collect();
        report(page, &mut of_page);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Search,
    Stock,
}

/// GETs a page, checks it, and returns how long it took.
fn request(agent: &ureq::Agent, base: &str, path: &str) -> Duration {
    let started = Instant::now();
    let mut response = agent
        .get(&format!("{base}{path}"))
        .call()
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let body = response.body_mut().read_to_string().expect("body");
    let took = started.elapsed();
    assert_eq!(response.status().as_u16(), 200, "{path}: {body}");
    assert!(body.contains("</html>"), "{path}: not a whole page");
    took
}

/// Codes of the most mentioned stocks, from the facets of a search for every article.
fn top_stocks(agent: &ureq::Agent, base: &str) -> Vec<String> {
    let mut response = agent
        .get(&format!("{base}/api/search"))
        .call()
        .expect("api");
    let found: serde_json::Value = response.body_mut().read_json().expect("json");
    let stocks = found["stocks"].as_array().cloned().unwrap_or_default();
    stocks
        .iter()
        .filter_map(|s| s["code"].as_str().map(str::to_string))
        .collect()
}

fn read_queries(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("queries file");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn report(page: Page, timings: &mut [Duration]) {
    if timings.is_empty() {
        println!("{page:?}: no requests");
        return;
    }
    timings.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p99 = percentile(timings, 0.99);
    println!(
        "{page:?} page: {} requests, p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms \
         (target p99 < {} ms: {})",
        timings.len(),
        ms(percentile(timings, 0.5)),
        ms(percentile(timings, 0.9)),
        ms(p99),
        ms(timings[timings.len() - 1]),
        TARGET_P99.as_millis(),
        if p99 < TARGET_P99 { "met" } else { "MISSED" }
    );
}

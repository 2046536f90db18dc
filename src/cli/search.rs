//! `fupan search`: a query and flags turned into a request; hits printed as text or JSON Lines.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use super::{write_json, Common, IndexDirArg};
use fupan::calendar::DateRange;
use fupan::pipeline::Engine;
use fupan::search::{ArticleHit, ClaimHit, QueryFilter, Search, SearchRequest, Snippet};

/// Arguments of `fupan search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// The query: words, "phrases", OR, -term, stock: concept: date:FROM..TO kind: (quote the
    /// query, or put it after `--`, when a word starts with `-`).
    #[arg(value_name = "QUERY")]
    query: Vec<String>,
    #[command(flatten)]
    index: IndexDirArg,
    /// Only articles mentioning this stock (name, former name, nickname or code).
    #[arg(long, value_name = "STOCK")]
    stock: Vec<String>,
    /// Only articles mentioning this concept.
    #[arg(long, value_name = "CONCEPT")]
    concept: Vec<String>,
    /// Only articles dated on or after this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only articles dated on or before this day.
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Only articles with claims of this kind (with --claims: claims of this kind).
    #[arg(long, value_name = "KIND")]
    kind: Vec<String>,
    /// List matching claims instead of articles.
    #[arg(long)]
    claims: bool,
    /// With --claims: only claims stating a figure ≥ X.
    #[arg(
        long,
        value_name = "X",
        requires = "claims",
        allow_hyphen_values = true
    )]
    min: Option<f64>,
    /// With --claims: only claims stating a figure ≤ Y.
    #[arg(
        long,
        value_name = "Y",
        requires = "claims",
        allow_hyphen_values = true
    )]
    max: Option<f64>,
    /// With --claims: only claims of this metric (营业收入, 归母净利润, 扣非归母净利润, 净利润, 业绩,
    /// 在手算力, 算力规模 …).
    #[arg(long, value_name = "METRIC", requires = "claims")]
    metric: Option<String>,
    /// With --claims: only claims of this period (2024, 2024H1, 2024Q3, 2024Q1-Q3, 2019-2023).
    #[arg(long, value_name = "PERIOD", requires = "claims")]
    period: Option<String>,
    /// With --claims: only growth rates on this basis (yoy, qoq, cagr).
    #[arg(long, value_name = "BASIS", requires = "claims", value_parser = ["yoy", "qoq", "cagr"])]
    basis: Option<String>,
    /// Hits to show (a limit past the number of hits shows them all).
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Hits to skip (past the number of hits, none is shown).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// One JSON object per hit per line.
    #[arg(long)]
    json: bool,
    /// Order of the hits: `score` (relevance; newest first when the query has no words) or
    /// `date` (newest first).
    #[arg(long, default_value = "score", value_parser = ["score", "date"])]
    sort: String,
}

/// Runs `fupan search`.
pub fn run(common: &Common, engine: &Engine, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let search = Search::open(&args.index.path(), engine)?;
    let request = request_of(args)?;
    let started = Instant::now();
    let colour = !args.json && std::io::stdout().is_terminal();
    let (total, shown, written) = if args.claims {
        let found = search.claims(&request)?;
        let written = write_hits(&found.hits, args.json, colour, write_claim);
        (found.total, found.hits.len(), written)
    } else {
        let found = search.articles(&request)?;
        let written = write_hits(&found.hits, args.json, colour, write_article);
        (found.total, found.hits.len(), written)
    };
    written.context("writing results")?;
    if !common.quiet && shown < total {
        eprintln!("fupan: showing {shown} of {total} hits (--limit, --offset for more)");
    }
    if common.verbose {
        let ms = started.elapsed().as_secs_f64() * 1e3;
        eprintln!("fupan: searched in {ms:.1} ms");
    }
    Ok(if total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// How a hit is shown as text: writer, hit, colour.
type WriteHit<H> = fn(&mut dyn Write, &H, bool) -> std::io::Result<()>;

/// Hits on standard output: JSON Lines, or text by `human`.
fn write_hits<H: serde::Serialize>(
    hits: &[H],
    json: bool,
    colour: bool,
    human: WriteHit<H>,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for hit in hits {
        match json {
            true => write_json(&mut out, hit)?,
            false => human(&mut out, hit, colour)?,
        }
    }
    out.flush()
}

/// The search request the flags ask for.
fn request_of(args: &SearchArgs) -> anyhow::Result<SearchRequest> {
    let mut filters: Vec<QueryFilter> = Vec::new();
    filters.extend(args.stock.iter().map(|s| QueryFilter::Stock(s.clone())));
    filters.extend(args.concept.iter().map(|c| QueryFilter::Concept(c.clone())));
    for kind in &args.kind {
        filters.push(QueryFilter::kind(kind)?);
    }
    if let Some(range) = DateRange::between(args.from.as_deref(), args.to.as_deref())? {
        filters.push(QueryFilter::Date(range));
    }
    Ok(SearchRequest {
        query: args.query.join(" "),
        filters,
        min: args.min,
        max: args.max,
        metric: args.metric.clone(),
        period: args.period.clone(),
        basis: args.basis.clone(),
        limit: args.limit,
        offset: args.offset,
        newest_first: args.sort == "date",
    })
}

const BOLD: &str = "\x1b[1m";
const MATCH: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

fn write_article(out: &mut dyn Write, hit: &ArticleHit, colour: bool) -> std::io::Result<()> {
    let (bold, dim, reset) = if colour {
        (BOLD, DIM, RESET)
    } else {
        ("", "", "")
    };
    let title = shortened(hit.title.as_deref().unwrap_or("(untitled)"), TITLE_CHARS);
    writeln!(out, "{}. {bold}{title}{reset}", hit.rank)?;
    let date = hit.date.as_deref().unwrap_or("----------");
    writeln!(
        out,
        "   {dim}{date}  {}  score {:.2}{reset}",
        hit.source, hit.score
    )?;
    for snippet in &hit.snippets {
        writeln!(out, "   …{}…", highlighted(snippet, colour))?;
    }
    writeln!(out)
}

/// Titles longer than this are cut in text output (a text file's first line can be long).
const TITLE_CHARS: usize = 60;

/// `text` cut to `max` characters, with `…` when cut.
fn shortened(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The snippet with its matches marked: ANSI colour on a terminal, 【…】 otherwise.
fn highlighted(snippet: &Snippet, colour: bool) -> String {
    let (open, close) = if colour {
        (MATCH, RESET)
    } else {
        ("【", "】")
    };
    let mut shown = String::with_capacity(snippet.text.len() + 16);
    let mut at = 0;
    for &[start, end] in &snippet.highlights {
        shown.push_str(&snippet.text[at..start]);
        shown.push_str(open);
        shown.push_str(&snippet.text[start..end]);
        shown.push_str(close);
        at = end;
    }
    shown.push_str(&snippet.text[at..]);
    shown
}

fn write_claim(out: &mut dyn Write, hit: &ClaimHit, colour: bool) -> std::io::Result<()> {
    let (bold, dim, reset) = if colour {
        (BOLD, DIM, RESET)
    } else {
        ("", "", "")
    };
    let c = &hit.claim;
    let subject = match (&c.subject.name, &c.subject.code) {
        (Some(name), Some(code)) => format!("{name} {code}"),
        (Some(name), None) => name.clone(),
        (None, Some(code)) => code.clone(),
        (None, None) => "-".to_string(),
    };
    let figure = match (c.value, c.low, c.high) {
        (Some(v), _, _) => format!("{v}"),
        (None, Some(lo), Some(hi)) => format!("{lo}–{hi}"),
        _ => String::new(),
    };
    let unit = c.unit.as_deref().unwrap_or("");
    let qualifier = match c.qualifier.as_deref() {
        Some(q) => format!("{q} "),
        None => String::new(),
    };
    let date = hit.date.as_deref().unwrap_or("----------");
    writeln!(
        out,
        "{}. {date}  {bold}{subject}{reset}  {}  {qualifier}{bold}{figure}{unit}{reset}",
        hit.rank, c.kind
    )?;
    writeln!(out, "   「{}」 {dim}{}{reset}", c.text, hit.source)
}

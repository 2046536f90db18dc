//! `fupan stats`: what the index holds.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::{write_json, Common, IndexDirArg};
use fupan::index::{ArticleIndex, IndexStats};

/// Arguments of `fupan stats`.
#[derive(Args, Debug)]
pub struct StatsArgs {
    #[command(flatten)]
    index: IndexDirArg,
    /// Stocks and concepts to list.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs `fupan stats`.
pub fn run(_common: &Common, args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let index = ArticleIndex::open(&args.index.path())?;
    let stats = index.stats(args.top)?;
    let mut out = std::io::stdout().lock();
    let written = match args.json {
        true => write_json(&mut out, &stats),
        false => write_stats(&mut out, index.dir(), &stats),
    };
    written.context("writing stats")?;
    Ok(ExitCode::SUCCESS)
}

fn write_stats(out: &mut impl Write, dir: &Path, s: &IndexStats) -> std::io::Result<()> {
    writeln!(out, "index      {}", dir.display())?;
    writeln!(out, "articles   {}", s.articles)?;
    writeln!(out, "claims     {}", s.claims)?;
    let dates = match (&s.first_date, &s.last_date) {
        (Some(a), Some(b)) => format!("{a} .. {b}"),
        _ => "none".to_string(),
    };
    writeln!(out, "dates      {dates}")?;
    writeln!(
        out,
        "size       {:.1} MB in {} segments",
        s.bytes_on_disk as f64 / 1e6,
        s.segments
    )?;
    writeln!(out, "top stocks")?;
    for stock in &s.top_stocks {
        writeln!(out, "  {:>6}  {} {}", stock.count, stock.name, stock.code)?;
    }
    writeln!(out, "top concepts")?;
    for (name, count) in &s.top_concepts {
        writeln!(out, "  {count:>6}  {name}")?;
    }
    writeln!(out, "claims per kind")?;
    for (kind, count) in &s.claims_per_kind {
        writeln!(out, "  {count:>6}  {kind}")?;
    }
    Ok(())
}

//! `fupan index`: reads archives into the full-text index, incrementally.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::ProgressBar;

use super::{progress_bar, show_progress, Common, IndexDirArg, InputArgs};
use fupan::error::Report;
use fupan::index::{ArticleIndex, IndexEvent, IndexOptions, IndexSummary};
use fupan::pipeline::Engine;
use fupan::source::Reader;

/// Arguments of `fupan index`.
#[derive(Args, Debug)]
pub struct IndexArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    index: IndexDirArg,
    /// Start over: replace everything the index holds.
    #[arg(long)]
    rebuild: bool,
    /// Commit after this many new articles (default 200000; there is also a commit every 128 MB
    /// of text). Smaller batches lose less work to a crash and show up sooner in searches;
    /// larger ones index faster.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    commit_every: Option<u64>,
}

/// Runs `fupan index`.
pub fn run(common: &Common, engine: &Engine, args: &IndexArgs) -> anyhow::Result<ExitCode> {
    let read_options = args.input.read_options()?;
    let dir = args.index.path();
    let started = Instant::now();
    let index = ArticleIndex::open_or_create(&dir, args.rebuild)?;
    let options = IndexOptions {
        rebuild: args.rebuild,
        commit_articles: args
            .commit_every
            .map_or(IndexOptions::default().commit_articles, |n| n as usize),
        ..IndexOptions::default()
    };
    let mut indexer = index.indexer(engine, options)?;
    let progress = progress_bar(common.quiet, &args.input.paths, &read_options);
    let reader = Reader::new(read_options);
    let summary = indexer.add_all(
        engine,
        reader.read(&args.input.paths),
        |event| match event {
            IndexEvent::Failed(e) => progress.suspend(|| eprintln!("fupan: {}", Report(e))),
            IndexEvent::Progress(s) => show_index_progress(&progress, s, started),
        },
    )?;
    progress.finish_and_clear();
    indexer.finish()?;
    if !common.quiet {
        eprintln!("{}", summary_line(&dir, &summary, started.elapsed()));
    }
    Ok(if summary.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The bar after a progress report (the indexer sends one every few articles).
fn show_index_progress(bar: &ProgressBar, s: &IndexSummary, started: Instant) {
    if bar.is_hidden() {
        return;
    }
    let counts = format_args!(
        "{} added, {} skipped, {} failed",
        s.added, s.skipped, s.failed
    );
    show_progress(bar, s.bytes + s.skipped_bytes, counts, started);
}

fn summary_line(dir: &Path, s: &IndexSummary, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    format!(
        "fupan: index {}: {} articles added ({} claims), {} skipped (already present), {} failed; \
         {:.1} MB in {:.2} s ({:.2} MB/s)",
        dir.display(),
        s.added,
        s.claims,
        s.skipped,
        s.failed,
        s.bytes as f64 / 1e6,
        secs,
        s.bytes as f64 / 1e6 / secs.max(1e-9)
    )
}

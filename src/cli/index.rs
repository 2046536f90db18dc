//! `fupan index`: reads archives into the full-text index, incrementally.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
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
    /// Remove the articles whose source file is gone (sources are paths as given when they
    /// were indexed, from the working directory); with PATHs, before adding them.
    #[arg(long)]
    prune: bool,
    /// Analyse every indexed article again from its stored text with the dictionaries in use
    /// (after changing them), without reading the files.
    #[arg(long, conflicts_with = "rebuild")]
    reanalyze: bool,
}

/// Runs `fupan index`.
pub fn run(common: &Common, engine: &Engine, args: &IndexArgs) -> anyhow::Result<ExitCode> {
    let read_options = args.input.read_options()?;
    let dir = args.index.path();
    let started = Instant::now();
    // Ctrl-C ends the run at the next article; what is done is committed (set up before the
    // index is opened, so that a signal arriving once it exists is always caught)
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed))
        .context("setting up the Ctrl-C handler")?;
    let index = ArticleIndex::open_or_create(&dir, args.rebuild)?;
    let options = IndexOptions {
        rebuild: args.rebuild,
        commit_articles: args
            .commit_every
            .map_or(IndexOptions::default().commit_articles, |n| n as usize),
        ..IndexOptions::default()
    };
    let fingerprint = engine.lexicon().fingerprint();
    if args.prune {
        let (gone, removed) = index.prune(options.writer_memory)?;
        if !common.quiet {
            for source in &gone {
                eprintln!("fupan: pruned {source}");
            }
            eprintln!(
                "fupan: {removed} articles pruned ({} sources gone)",
                gone.len()
            );
        }
    }
    if args.input.paths.is_empty() && !args.reanalyze {
        return Ok(ExitCode::SUCCESS);
    }
    // the writer first: its lock says clearly when the index cannot be written
    let mut indexer = index.indexer(engine, options)?;
    let was_empty = index.article_count()? == 0;
    let recorded = index.dictionary();
    let dictionary_changed = !was_empty && recorded.as_deref().is_some_and(|r| r != fingerprint);
    if dictionary_changed && !args.reanalyze && !args.rebuild && !common.quiet {
        eprintln!("fupan: warning: {}", dictionary_warning());
    }
    indexer.stop_when(Arc::clone(&stop));
    let progress = progress_bar(common.quiet, &args.input.paths, &read_options);
    let report = |event: IndexEvent<'_>| match event {
        IndexEvent::Failed(e) => progress.suspend(|| eprintln!("fupan: {}", Report(e))),
        IndexEvent::Progress(s) => show_index_progress(&progress, s, started),
    };
    let mut summary = if args.reanalyze {
        indexer.reanalyze(engine, report)?
    } else {
        IndexSummary::default()
    };
    if !summary.interrupted && !args.input.paths.is_empty() {
        let reader = Reader::new(read_options);
        let more = indexer.add_all(
            engine,
            reader.read(&args.input.paths),
            |event| match event {
                IndexEvent::Failed(e) => progress.suspend(|| eprintln!("fupan: {}", Report(e))),
                IndexEvent::Progress(s) => show_index_progress(&progress, s, started),
            },
        )?;
        summary = add_up(summary, more);
    }
    super::finish_progress(&progress);
    indexer.finish()?;
    // the index is in step with these dictionaries when all it holds was analysed with them
    if was_empty || args.rebuild || (args.reanalyze && !summary.interrupted) || recorded.is_none() {
        index.record_dictionary(fingerprint)?;
    }
    if summary.interrupted {
        eprintln!("interrupted: {} articles committed", summary.added);
        return Ok(ExitCode::from(130));
    }
    if !common.quiet {
        eprintln!("{}", summary_line(&dir, &summary, started.elapsed()));
    }
    Ok(if summary.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// What `index` and `search` say when the dictionaries changed since the index was built.
pub(crate) fn dictionary_warning() -> &'static str {
    "the index was built with other dictionaries than the ones in use; its stocks and concepts \
     are as those found them (`fupan index --reanalyze` analyses it again)"
}

/// Two runs' counts together (reanalysis, then new articles).
fn add_up(a: IndexSummary, b: IndexSummary) -> IndexSummary {
    IndexSummary {
        added: a.added + b.added,
        claims: a.claims + b.claims,
        skipped: a.skipped + b.skipped,
        skipped_bytes: a.skipped_bytes + b.skipped_bytes,
        failed: a.failed + b.failed,
        bytes: a.bytes + b.bytes,
        replaced: a.replaced + b.replaced,
        removed: a.removed + b.removed,
        interrupted: a.interrupted || b.interrupted,
    }
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
    let removed = match s.removed {
        0 => String::new(),
        n => format!(", {n} records gone from changed record files removed"),
    };
    format!(
        "fupan: index {}: {} articles added ({} claims; {} replacing a changed file){removed}, \
         {} skipped (already present), {} failed; {:.1} MB in {:.2} s ({:.2} MB/s)",
        dir.display(),
        s.added,
        s.claims,
        s.replaced,
        s.skipped,
        s.failed,
        s.bytes as f64 / 1e6,
        secs,
        s.bytes as f64 / 1e6 / secs.max(1e-9)
    )
}

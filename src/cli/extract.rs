//! `fupan extract`: articles in, one JSON record per article out.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use super::{progress_bar, show_progress, Common, InputArgs, Loaded};
use fupan::error::Report;
use fupan::pipeline::Engine;
use fupan::source::Reader;

#[derive(Args, Debug)]
pub struct ExtractArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Skip the claims stage (stocks, concepts and organisations only; `claims` stays empty).
    #[arg(long)]
    no_claims: bool,
}

/// Counts of a run, for the summary line.
#[derive(Default)]
struct Tally {
    articles: usize,
    failed: usize,
    bytes: usize,
}

/// Runs `fupan extract`.
pub fn run(common: &Common, loaded: &Loaded, args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    if args.no_claims {
        return extract(common, &loaded.engine_without_claims()?, args);
    }
    extract(common, loaded.engine()?, args)
}

fn extract(common: &Common, engine: &Engine, args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let options = args.input.read_options()?;
    let bar = progress_bar(common.quiet, &args.input.paths, &options);
    let reader = Reader::new(options);
    let started = Instant::now();
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut tally = Tally::default();
    let mut write_error = None;
    let mut line = Vec::new();
    engine.run(reader.read(&args.input.paths), |result| match result {
        Ok(analysis) => {
            tally.articles += 1;
            tally.bytes += analysis.article.text.len();
            // a name whose bearer on the article's date the dictionaries could not decide
            for w in &analysis.record.warnings {
                if w.contains(fupan::history::FILE) && !common.quiet {
                    let source = &analysis.record.source;
                    bar.suspend(|| eprintln!("fupan: {source}: {w}"));
                }
            }
            if !bar.is_hidden() && tally.articles.is_multiple_of(64) {
                let counts = format_args!("{} articles", tally.articles);
                show_progress(&bar, tally.bytes, counts, started);
            }
            // one buffer for every record: it keeps its capacity, so records are not built by
            // growing a fresh string piece by piece
            line.clear();
            serde_json::to_writer(&mut line, &analysis.record).expect("records serialise");
            line.push(b'\n');
            match out.write_all(&line) {
                Ok(()) => true,
                Err(e) => {
                    write_error = Some(e);
                    false
                }
            }
        }
        Err(e) => {
            tally.failed += 1;
            bar.suspend(|| eprintln!("fupan: {}", Report(&e)));
            true
        }
    });
    super::finish_progress(&bar);
    if write_error.is_none() {
        if let Err(e) = out.flush() {
            write_error = Some(e);
        }
    }
    if let Some(e) = write_error {
        return Err(e).context("writing output");
    }
    if !common.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "fupan: {} articles, {} failed, {:.1} MB in {:.2} s ({:.1} MB/s)",
            tally.articles,
            tally.failed,
            tally.bytes as f64 / 1e6,
            secs,
            tally.bytes as f64 / 1e6 / secs.max(1e-9)
        );
    }
    Ok(if tally.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

//! `fupan extract`: articles in, one JSON record per article out.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use std::cell::RefCell;
use std::collections::VecDeque;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};

use super::{progress_bar, show_progress, Common, InputArgs, Loaded};
use fupan::error::Report;
use fupan::pipeline::Engine;
use fupan::source::{Reader, StreamFormat, StreamItem};

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
    /// Read records from standard input (the path `-`) in this format: `jsonl`, `csv`, `tsv`
    /// (field options as for files) or `text` (one article per line). Without it, `-` is one
    /// plain-text article.
    #[arg(long, value_name = "FORMAT", value_parser = clap::builder::ValueParser::new(parse_stream_format))]
    stdin_format: Option<StreamFormat>,
    /// What a bad record does: `fail` reports it on stderr, goes on and exits 2; `skip` reports
    /// it and exits 0; `record` also writes `{"input_id", "source", "error"}` in its place in
    /// the output and exits 0.
    #[arg(long, value_enum, default_value = "fail")]
    on_error: OnError,
}

fn parse_stream_format(s: &str) -> Result<StreamFormat, String> {
    s.parse()
}

/// What a bad record does to the run.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum OnError {
    /// Report on stderr, go on, exit 2.
    Fail,
    /// Report on stderr, go on, exit 0.
    Skip,
    /// Report, write an error line in the output in the record's place, exit 0.
    Record,
}

/// The line `--on-error record` writes for a bad record.
#[derive(serde::Serialize)]
struct ErrorLine<'a> {
    input_id: Option<&'a str>,
    source: Option<&'a str>,
    error: String,
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
    let stdin_only = args.input.paths.len() == 1 && args.input.paths[0].as_os_str() == "-";
    if args.stdin_format.is_some() && !stdin_only {
        bail!("--stdin-format reads standard input: give `-` as the only path");
    }
    let bar = progress_bar(common.quiet, &args.input.paths, &options);
    let reader = Reader::new(options);
    let items: Box<dyn Iterator<Item = StreamItem>> = match args.stdin_format {
        Some(format) => reader.read_stream("-", format, std::io::stdin().lock()),
        None => Box::new(reader.read(&args.input.paths).map(|article| StreamItem {
            input_id: None,
            article,
        })),
    };
    // the input ids of the items in flight, in order: the engine hands results back in input
    // order, one per item, so the front is always the id of the result at hand (an error
    // included, whose article is gone)
    let ids: RefCell<VecDeque<Option<String>>> = RefCell::new(VecDeque::new());
    let items = items.map(|item| {
        ids.borrow_mut().push_back(item.input_id);
        item.article
    });
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
    engine.run(items, |result| {
        let input_id = ids.borrow_mut().pop_front().flatten();
        match result {
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
                if !(common.quiet && args.on_error == OnError::Record) {
                    bar.suspend(|| eprintln!("fupan: {}", Report(&e)));
                }
                if args.on_error != OnError::Record {
                    return true;
                }
                line.clear();
                let error = ErrorLine {
                    input_id: input_id.as_deref(),
                    source: e.input_name(),
                    error: Report(&e).to_string(),
                };
                serde_json::to_writer(&mut line, &error).expect("error lines serialise");
                line.push(b'\n');
                match out.write_all(&line) {
                    Ok(()) => true,
                    Err(e) => {
                        write_error = Some(e);
                        false
                    }
                }
            }
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
    Ok(if tally.failed > 0 && args.on_error == OnError::Fail {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

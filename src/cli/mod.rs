//! Command-line arguments, turned once into the library's plain options.

mod export;
mod index;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use fupan::error::Report;
use fupan::lexicon::Lexicon;
use fupan::pipeline::Engine;
use fupan::source::formats::FieldNames;
use fupan::source::{ReadOptions, Reader};

/// fupan (复盘): turn archives of A-share market recaps into structured, searchable knowledge.
#[derive(Parser, Debug)]
#[command(version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Dictionary directory (default: the dictionaries built into the binary).
    #[arg(long, global = true, value_name = "DIR")]
    dict: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, global = true)]
    threads: Option<usize>,
    /// Report dictionary loading and timings on stderr.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Nothing on stderr but errors.
    #[arg(short, long, global = true)]
    quiet: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Extract stocks, concepts, organisations and claims as JSON Lines (one article per line).
    Extract(ExtractArgs),
    /// Measure extraction against gold annotations (precision, recall, F1).
    Eval(EvalArgs),
    /// Add articles to the full-text index (incremental; only new content is added).
    Index(index::IndexArgs),
    /// Search the index for articles or claims.
    Search(index::SearchArgs),
    /// Summarise the index: articles, dates, top stocks and concepts, claims per kind, size.
    Stats(index::StatsArgs),
    /// Export tables (articles, mentions, claims, stock_daily, concept_daily, cooccurrence).
    Export(export::ExportArgs),
}

/// Options shared by every command that reads articles.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Files or directories to read (`-` for standard input).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Record field holding the title (JSONL/JSON/CSV); may repeat.
    #[arg(long = "title-field", value_name = "NAME")]
    title_field: Vec<String>,
    /// Record field holding the text; may repeat.
    #[arg(long = "text-field", value_name = "NAME")]
    text_field: Vec<String>,
    /// Record field holding the date; may repeat.
    #[arg(long = "date-field", value_name = "NAME")]
    date_field: Vec<String>,
    /// Record field holding the author; may repeat.
    #[arg(long = "author-field", value_name = "NAME")]
    author_field: Vec<String>,
}

impl InputArgs {
    /// The reader options these flags ask for.
    pub fn read_options(&self) -> ReadOptions {
        let mut fields = FieldNames::default();
        let prepend = |list: &mut Vec<String>, extra: &[String]| {
            for (i, name) in extra.iter().enumerate() {
                list.insert(i, name.clone());
            }
        };
        prepend(&mut fields.title, &self.title_field);
        prepend(&mut fields.text, &self.text_field);
        prepend(&mut fields.date, &self.date_field);
        prepend(&mut fields.author, &self.author_field);
        ReadOptions {
            fields,
            ..ReadOptions::default()
        }
    }
}

#[derive(Args, Debug)]
struct ExtractArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Skip the claims stage (stocks, concepts and organisations only; `claims` stays empty).
    #[arg(long)]
    no_claims: bool,
}

impl Cli {
    /// True for commands that feed tantivy's writer, which frees and allocates its buffers
    /// again for every segment: `index` (see `keep_freed_memory` in `main.rs`).
    pub fn keeps_freed_memory(&self) -> bool {
        matches!(self.command, Command::Index(_))
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Some(n) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("setting up worker threads")?;
    }
    let engine = load_engine(&cli)?;
    match &cli.command {
        Command::Extract(args) if args.no_claims => extract(&cli, &engine.without_claims(), args),
        Command::Extract(args) => extract(&cli, &engine, args),
        Command::Eval(args) => eval(&engine, args),
        Command::Index(args) => index::run_index(&cli.common(), &engine, args),
        Command::Search(args) => index::run_search(&cli.common(), &engine, args),
        Command::Stats(args) => index::run_stats(&cli.common(), args),
        Command::Export(args) => export::run_export(&cli.common(), &engine, args),
    }
}

/// The global flags, for the command modules.
#[derive(Debug, Clone, Copy)]
pub struct Common {
    /// `-v`.
    pub verbose: bool,
    /// `-q`.
    pub quiet: bool,
}

impl Cli {
    fn common(&self) -> Common {
        Common {
            verbose: self.verbose,
            quiet: self.quiet,
        }
    }
}

fn load_engine(cli: &Cli) -> anyhow::Result<Engine> {
    let started = Instant::now();
    let engine = match &cli.dict {
        Some(dir) => Engine::load(|| Lexicon::load(dir))
            .with_context(|| format!("loading {}", dir.display()))?,
        None => Engine::load(Lexicon::builtin).context("loading the built-in dictionaries")?,
    };
    if cli.verbose {
        let lex = engine.lexicon();
        eprintln!(
            "fupan: dictionaries: {} stocks, {} concepts, {} organisations, {} aliases, {} surface forms, {} finance words; loaded in {:.0} ms",
            lex.stocks.len(),
            lex.concepts.len(),
            lex.organizations.len(),
            lex.alias_targets.len(),
            lex.form_count(),
            lex.finance_words.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    Ok(engine)
}

/// A progress bar on stderr when it is a terminal (and not `--quiet`), sized by the input files:
/// bytes read of all, articles, MB/s and the time left.
pub(crate) fn progress_bar(quiet: bool, paths: &[PathBuf]) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(fupan::source::input_bytes(paths));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {msg} eta {eta}")
            .expect("progress template"),
    );
    bar
}

/// Moves the bar to `bytes` of text read, with `counts` (what the articles came to) and the
/// rate since `started`.
pub(crate) fn show_progress(
    bar: &indicatif::ProgressBar,
    bytes: usize,
    counts: std::fmt::Arguments<'_>,
    started: Instant,
) {
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    bar.set_position(bytes as u64);
    bar.set_message(format!("{counts}, {:.1} MB/s", bytes as f64 / 1e6 / secs));
}

/// Counts of a run, for the summary line.
#[derive(Default)]
struct Tally {
    articles: usize,
    failed: usize,
    bytes: usize,
}

fn extract(cli: &Cli, engine: &Engine, args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let reader = Reader::new(args.input.read_options());
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
    let bar = progress_bar(cli.quiet, &args.input.paths);
    engine.run(reader.read(&args.input.paths), |result| match result {
        Ok(analysis) => {
            tally.articles += 1;
            tally.bytes += analysis.article.text.len();
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
    bar.finish_and_clear();
    if write_error.is_none() {
        if let Err(e) = out.flush() {
            write_error = Some(e);
        }
    }
    if let Some(e) = write_error {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(ExitCode::SUCCESS);
        }
        return Err(e).context("writing output");
    }
    if !cli.quiet {
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

#[derive(Args, Debug)]
struct EvalArgs {
    /// Directory of `*.gold.json` files.
    #[arg(long, value_name = "DIR")]
    gold: PathBuf,
    /// Articles to extract (files or directories holding the gold articles).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Read predictions (fupan extract JSON Lines) instead of extracting.
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    predictions: Option<PathBuf>,
    /// List every miss and false positive.
    #[arg(long)]
    verbose: bool,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
    /// Exit 1 when stock F1 is below this.
    #[arg(long, value_name = "F1")]
    min_stock_f1: Option<f64>,
    /// Exit 1 when claim F1 is below this.
    #[arg(long, value_name = "F1")]
    min_claim_f1: Option<f64>,
}

fn eval(engine: &Engine, args: &EvalArgs) -> anyhow::Result<ExitCode> {
    use fupan::eval;
    let golds = eval::load_gold_dir(&args.gold)?;
    anyhow::ensure!(
        !golds.is_empty(),
        "no *.gold.json files in {}",
        args.gold.display()
    );
    let mut failed = 0;
    let records = match &args.predictions {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            let mut records = Vec::new();
            for (i, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                match serde_json::from_str(line) {
                    Ok(r) => records.push(r),
                    Err(e) => {
                        failed += 1;
                        eprintln!(
                            "fupan: {}#{}: not an extract record: {e}",
                            path.display(),
                            i + 1
                        );
                    }
                }
            }
            records
        }
        None => {
            anyhow::ensure!(
                !args.paths.is_empty(),
                "give the articles to extract (PATH...) or --predictions FILE"
            );
            let reader = Reader::new(ReadOptions::default());
            let mut records = Vec::new();
            engine.run(reader.read(&args.paths), |r| {
                match r {
                    Ok(a)
                        if golds
                            .iter()
                            .any(|g| eval::source_matches(&a.record.source, &g.article)) =>
                    {
                        records.push(a.record)
                    }
                    Ok(_) => {}
                    Err(e) => {
                        failed += 1;
                        eprintln!("fupan: {}", Report(&e));
                    }
                }
                true
            });
            records
        }
    };
    let report = eval::evaluate(&golds, &records);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report, args.verbose);
    }
    for a in report.articles.iter().filter(|a| !a.found) {
        eprintln!(
            "fupan: {}: gold article not found among the extracted articles",
            a.article
        );
        failed += 1;
    }
    let below = args.min_stock_f1.is_some_and(|m| report.stocks.f1() < m)
        || args.min_claim_f1.is_some_and(|m| report.claims.f1() < m);
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else if below {
        eprintln!("fupan: below the required F1");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_report(report: &fupan::eval::Report, verbose: bool) {
    let fmt = |c: &fupan::eval::Counts| {
        format!(
            "P {:.3} R {:.3} F1 {:.3} (tp {} fp {} fn {})",
            c.precision(),
            c.recall(),
            c.f1(),
            c.tp,
            c.fp,
            c.fn_
        )
    };
    for a in &report.articles {
        let mut claims = fupan::eval::Counts::default();
        for c in a.claims.values() {
            claims.tp += c.tp;
            claims.fp += c.fp;
            claims.fn_ += c.fn_;
        }
        println!("{}", a.article);
        println!("  stocks  {}", fmt(&a.stocks));
        println!("  claims  {}", fmt(&claims));
        if verbose {
            for d in &a.differences {
                println!("    {:6} {:16} {:24} {}", d.what, d.field, d.item, d.text);
            }
        }
    }
    println!("TOTAL ({} articles)", report.articles.len());
    println!("  stocks  {}", fmt(&report.stocks));
    println!("  claims  {}", fmt(&report.claims));
    for (kind, c) in &report.claims_by_kind {
        println!("    {:18} {}", kind.as_str(), fmt(c));
    }
}

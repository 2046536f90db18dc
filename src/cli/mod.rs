//! Command-line arguments, turned once into the library's plain options.

mod export;
mod index;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

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
        Command::Extract(args) => extract(&cli, &engine, args),
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
    let lexicon = match &cli.dict {
        Some(dir) => Lexicon::load(dir).with_context(|| format!("loading {}", dir.display()))?,
        None => Lexicon::builtin().context("loading the built-in dictionaries")?,
    };
    let engine = Engine::new(lexicon);
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
    engine.run(reader.read(&args.input.paths), |result| match result {
        Ok(analysis) => {
            tally.articles += 1;
            tally.bytes += analysis.article.text.len();
            let line = serde_json::to_string(&analysis.record).expect("records serialise");
            match writeln!(out, "{line}") {
                Ok(()) => true,
                Err(e) => {
                    write_error = Some(e);
                    false
                }
            }
        }
        Err(e) => {
            tally.failed += 1;
            eprintln!("fupan: {e}");
            true
        }
    });
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

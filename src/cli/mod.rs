//! Command-line arguments, turned once into the library's plain options.

mod eval;
mod export;
mod extract;
mod index;
mod search;
mod serve;
mod stats;

use std::cell::OnceCell;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use fupan::lexicon::Lexicon;
use fupan::pipeline::Engine;
use fupan::source::formats::FieldNames;
use fupan::source::{FileSelection, ReadOptions};

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
    Extract(extract::ExtractArgs),
    /// Measure extraction against gold annotations (precision, recall, F1).
    Eval(eval::EvalArgs),
    /// Add articles to the full-text index (incremental; only new content is added).
    Index(index::IndexArgs),
    /// Search the index for articles or claims.
    Search(search::SearchArgs),
    /// Summarise the index: articles, dates, top stocks and concepts, claims per kind, size.
    Stats(stats::StatsArgs),
    /// Export tables (articles, mentions, claims, stock_daily, concept_daily, cooccurrence).
    Export(export::ExportArgs),
    /// Serve a local web page over the index: search, articles, stocks, concepts, the day's
    /// board, claims, and a JSON API.
    Serve(serve::ServeArgs),
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
    #[command(flatten)]
    year: YearArg,
    #[command(flatten)]
    pub files: FileArgs,
}

/// The year of files dated by month and day only.
#[derive(Args, Debug, Clone, Copy)]
pub struct YearArg {
    /// Year of files whose names give only month and day (`1_23_标题.txt`); without it, their
    /// folder name or a sidecar index must give it, else they stay undated.
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i32).range(1990..=9999))]
    year: Option<i32>,
}

impl YearArg {
    /// Reader options with this year.
    pub fn read_options(self, options: ReadOptions) -> ReadOptions {
        ReadOptions {
            year: self.year,
            ..options
        }
    }
}

/// Which files under a directory or in an archive are read.
#[derive(Args, Debug, Clone)]
pub struct FileArgs {
    /// Also read files matching GLOB (file name or path below the folder), even README*,
    /// PROVENANCE*, LICENSE*, CHANGELOG*, SOURCES.*, index.tsv, which are skipped by default, and
    /// files of other extensions (read as text); may repeat.
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Skip files matching GLOB (file name or path below the folder; `*` within a folder, `**`
    /// across folders); wins over --include; may repeat.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
}

impl FileArgs {
    /// The selection these flags ask for.
    pub fn selection(&self) -> anyhow::Result<FileSelection> {
        FileSelection::new(&self.include, &self.exclude).context("bad --include or --exclude")
    }
}

impl InputArgs {
    /// The reader options these flags ask for.
    pub fn read_options(&self) -> anyhow::Result<ReadOptions> {
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
        Ok(self.year.read_options(ReadOptions {
            fields,
            files: self.files.selection()?,
            ..ReadOptions::default()
        }))
    }
}

impl Cli {
    /// True for commands that feed tantivy's writer, which frees and allocates its buffers
    /// again for every segment: `index` (see `keep_freed_memory` in `main.rs`).
    pub fn keeps_freed_memory(&self) -> bool {
        matches!(self.command, Command::Index(_))
    }
}

/// Runs the parsed command line. The dictionaries and the segmenter are loaded only by the
/// commands that analyse text; `stats` loads nothing, `export --from-jsonl` only the lexicon.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Some(n) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("setting up worker threads")?;
    }
    let loaded = Loaded::new(&cli);
    let common = cli.common();
    match &cli.command {
        Command::Extract(args) => extract::run(&common, &loaded, args),
        Command::Eval(args) => eval::run(&loaded, args),
        Command::Index(args) => index::run(&common, loaded.engine()?, args),
        Command::Search(args) => search::run(&common, loaded.engine()?, args),
        Command::Stats(args) => stats::run(&common, args),
        Command::Export(args) => export::run(&common, &loaded, args),
        Command::Serve(args) => serve::run(&common, loaded.into_engine()?, args),
    }
}

/// What the commands need, loaded on first use: the whole engine (dictionaries, automata,
/// segmenter) or only the lexicon.
pub struct Loaded<'c> {
    cli: &'c Cli,
    engine: OnceCell<Engine>,
    lexicon: OnceCell<Lexicon>,
}

impl<'c> Loaded<'c> {
    fn new(cli: &'c Cli) -> Loaded<'c> {
        Loaded {
            cli,
            engine: OnceCell::new(),
            lexicon: OnceCell::new(),
        }
    }

    /// The engine, loaded the first time it is asked for.
    pub fn engine(&self) -> anyhow::Result<&Engine> {
        if let Some(engine) = self.engine.get() {
            return Ok(engine);
        }
        let engine = load_engine(self.cli)?;
        Ok(self.engine.get_or_init(|| engine))
    }

    /// The engine, owned (for a command that keeps it for the life of the process).
    pub fn into_engine(self) -> anyhow::Result<Engine> {
        match self.engine.into_inner() {
            Some(engine) => Ok(engine),
            None => load_engine(self.cli),
        }
    }

    /// A fresh engine without the claims stage (`extract --no-claims`).
    pub fn engine_without_claims(&self) -> anyhow::Result<Engine> {
        Ok(load_engine(self.cli)?.without_claims())
    }

    /// A fresh engine recognising with the plain matcher (`eval --plain`).
    pub fn engine_plain(&self) -> anyhow::Result<Engine> {
        Ok(load_engine(self.cli)?.plain_matcher())
    }

    /// The lexicon alone (the engine's, when it is loaded already), for resolving names.
    pub fn lexicon(&self) -> anyhow::Result<&Lexicon> {
        if let Some(engine) = self.engine.get() {
            return Ok(engine.lexicon());
        }
        if let Some(lexicon) = self.lexicon.get() {
            return Ok(lexicon);
        }
        let lexicon = match &self.cli.dict {
            Some(dir) => {
                Lexicon::load(dir).with_context(|| format!("loading {}", dir.display()))?
            }
            None => Lexicon::builtin().context("loading the built-in dictionaries")?,
        };
        Ok(self.lexicon.get_or_init(|| lexicon))
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
pub(crate) fn progress_bar(
    quiet: bool,
    paths: &[PathBuf],
    options: &ReadOptions,
) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(fupan::source::input_bytes(paths, &options.files));
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

/// Where the index lives.
#[derive(Args, Debug)]
pub struct IndexDirArg {
    /// Index directory (default: $FUPAN_INDEX, else `fupan-index` in the working directory).
    #[arg(long = "index", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

impl IndexDirArg {
    /// `--index`, else `$FUPAN_INDEX`, else the default directory.
    pub fn path(&self) -> PathBuf {
        if let Some(dir) = &self.dir {
            return dir.clone();
        }
        match std::env::var_os("FUPAN_INDEX") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => PathBuf::from(fupan::index::DEFAULT_DIR),
        }
    }
}

pub(crate) fn write_json<T: serde::Serialize>(
    out: &mut impl std::io::Write,
    hit: &T,
) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, hit)?;
    writeln!(out)
}

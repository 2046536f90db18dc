//! Command-line arguments, turned once into the library's plain options.

mod completions;
mod dict;
mod eval;
mod export;
mod extract;
mod index;
mod schema;
mod search;
mod serve;
mod stats;

use std::cell::OnceCell;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use fupan::lexicon::{DictionarySources, Lexicon};
use fupan::pipeline::Engine;
use fupan::source::formats::FieldNames;
use fupan::source::{FileSelection, ReadOptions};

/// fupan (复盘): turn archives of A-share market recaps into structured, searchable knowledge.
#[derive(Parser, Debug)]
#[command(version = VERSION, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Dictionary directory replacing the built-in dictionaries file by file (a file it lacks
    /// stays the built-in one).
    #[arg(long, global = true, value_name = "DIR", help_heading = GLOBAL)]
    dict: Option<PathBuf>,
    /// Your own dictionary, merged with the built-in one: a directory holding any of
    /// stocks.tsv, aliases.tsv, concepts.tsv, organizations.tsv, ambiguous.tsv,
    /// finance_words.txt (the formats of dict/), or one such file; may repeat [default:
    /// $FUPAN_DICT, else the `fupan` folder of your configuration directory, when present].
    #[arg(long = "user-dict", global = true, value_name = "FILE|DIR", help_heading = GLOBAL)]
    user_dict: Vec<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, global = true, help_heading = GLOBAL)]
    threads: Option<usize>,
    /// Report dictionary loading and timings on stderr.
    #[arg(short, long, global = true, conflicts_with = "quiet", help_heading = GLOBAL)]
    verbose: bool,
    /// Nothing on stderr but errors.
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    quiet: bool,
    /// Colour in text output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto", help_heading = GLOBAL)]
    color: ColorChoice,
}

/// `--version`: the version, the git commit built from and the date of the built-in
/// dictionaries' last change (both "unknown" outside a git checkout).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("FUPAN_GIT_COMMIT"),
    ", dictionaries of ",
    env!("FUPAN_DICT_DATE"),
    ")"
);

/// The heading of the flags every command takes, apart from the command's own.
const GLOBAL: &str = "Global options";

/// `--color`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether text written to a stream that `is_terminal` or not gets colour.
    pub fn colours(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
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
    /// Your own dictionary: bring its stock list up to date (`fupan dict update STOCKS.csv`),
    /// show where it lives.
    Dict(dict::DictArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the schema of `extract`'s records (JSON Schema, Arrow or Spark DDL).
    Schema(schema::SchemaArgs),
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
    /// Record field holding the input's own id, echoed as `input_id`; may repeat.
    #[arg(long = "id-field", value_name = "NAME")]
    id_field: Vec<String>,
    /// Record field holding a path-like source: the record's `source`, read for dates and
    /// authors as a file name is; may repeat.
    #[arg(long = "source-field", value_name = "NAME")]
    source_field: Vec<String>,
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
        prepend(&mut fields.id, &self.id_field);
        prepend(&mut fields.source, &self.source_field);
        Ok(self.year.read_options(ReadOptions {
            fields,
            files: self.files.selection()?,
            ..ReadOptions::default()
        }))
    }
}

/// The command line's definition: the derived one, with `index` taking no PATH when it only
/// prunes or reanalyses.
pub fn command() -> clap::Command {
    Cli::command().mut_subcommand("index", |index| {
        index.mut_arg("paths", |paths| {
            paths
                .required(false)
                .required_unless_present_any(["prune", "reanalyze"])
        })
    })
}

/// Parses the process's arguments (exits with clap's message and code 2 when they are wrong).
pub fn parse() -> Cli {
    let matches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

impl Cli {
    /// True for the batch commands that analyse an archive (`extract`, `index`, `export`,
    /// `eval`): they free and allocate the same working memory for every batch of articles,
    /// and `index` also tantivy's buffers for every segment (see `keep_freed_memory` in
    /// `main.rs`). Not for `serve`, a long-lived process that should give memory back.
    pub fn keeps_freed_memory(&self) -> bool {
        matches!(
            self.command,
            Command::Index(_) | Command::Extract(_) | Command::Export(_) | Command::Eval(_)
        )
    }

    /// True for the commands better off without transparent huge pages (see `no_huge_pages`
    /// in `main.rs`): `serve`, a long-lived process that answers many small requests at once,
    /// and the analysing batch commands (`extract`, `export`, `eval`, `index`), whose memory is
    /// mostly many small short-lived allocations. For `index` the kernel's time zeroing and
    /// compacting huge pages (0.4 to 4.3 CPU s over the 108 MB archive, varying with the
    /// machine's memory) outweighed what fewer TLB misses saved (about 1.5 s).
    pub fn avoids_huge_pages(&self) -> bool {
        matches!(
            self.command,
            Command::Serve(_)
                | Command::Extract(_)
                | Command::Export(_)
                | Command::Eval(_)
                | Command::Index(_)
        )
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
        Command::Dict(args) => dict::run(&common, &loaded, args),
        Command::Completions(args) => completions::run(args),
        Command::Schema(args) => schema::run(args),
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
        let sources = self.cli.dictionary_sources();
        let lexicon = load_lexicon(&sources)?;
        Ok(self.lexicon.get_or_init(|| lexicon))
    }
}

/// The global flags, for the command modules.
#[derive(Debug, Clone)]
pub struct Common {
    /// `-v`.
    pub verbose: bool,
    /// `-q`.
    pub quiet: bool,
    /// `--color`.
    pub color: ColorChoice,
    /// The dictionaries in use (`--dict`, `--user-dict` or the default user dictionary).
    pub dictionaries: DictionarySources,
}

impl Cli {
    fn common(&self) -> Common {
        Common {
            verbose: self.verbose,
            quiet: self.quiet,
            color: self.color,
            dictionaries: self.dictionary_sources(),
        }
    }

    /// `--dict` and the user dictionaries: `--user-dict`, else the default one when it exists.
    fn dictionary_sources(&self) -> DictionarySources {
        let user = match self.user_dict.is_empty() {
            true => default_user_dict()
                .filter(|p| p.exists())
                .into_iter()
                .collect(),
            false => self.user_dict.clone(),
        };
        DictionarySources {
            base: self.dict.clone(),
            user,
        }
    }
}

/// Where the user dictionary lives unless `--user-dict` says: `$FUPAN_DICT`, else the `fupan`
/// folder of the platform's configuration directory (`~/.config/fupan` on Linux). `None` when
/// neither can be found.
pub fn default_user_dict() -> Option<PathBuf> {
    match std::env::var_os("FUPAN_DICT") {
        Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => directories::ProjectDirs::from("", "", "fupan").map(|d| d.config_dir().to_path_buf()),
    }
}

/// What the dictionaries are, for messages: "the built-in dictionaries", with the others named.
fn describe(sources: &DictionarySources) -> String {
    let mut text = match &sources.base {
        Some(dir) => format!("the dictionaries of {}", dir.display()),
        None => "the built-in dictionaries".to_string(),
    };
    for user in &sources.user {
        text.push_str(&format!(" and {}", user.display()));
    }
    text
}

fn load_lexicon(sources: &DictionarySources) -> anyhow::Result<Lexicon> {
    Lexicon::load_from(sources).with_context(|| format!("loading {}", describe(sources)))
}

fn load_engine(cli: &Cli) -> anyhow::Result<Engine> {
    let started = Instant::now();
    let sources = cli.dictionary_sources();
    let engine = Engine::load(|| Lexicon::load_from(&sources))
        .with_context(|| format!("loading {}", describe(&sources)))?;
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
    // decimal megabytes throughout, as the rate in the message counts them
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:30} {decimal_bytes}/{decimal_total_bytes} {msg} eta {eta}",
        )
        .expect("progress template"),
    );
    bar
}

/// Ends the bar at 100% (the text read is rarely the files' size to the byte: compressed
/// archives, other encodings) and clears it.
pub(crate) fn finish_progress(bar: &indicatif::ProgressBar) {
    if let Some(length) = bar.length() {
        bar.set_position(length);
    }
    bar.finish_and_clear();
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
    // text can come to more bytes than its files (GBK read as UTF-8, archives)
    if bar.length().is_some_and(|length| length < bytes as u64) {
        bar.set_length(bytes as u64);
    }
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

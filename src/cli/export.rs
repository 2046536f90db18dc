//! `fupan export`: a thin wrapper over `fupan::export` that turns flags into [`ExportOptions`],
//! opens the input and reports the outcome.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;

use super::{Common, IndexDirArg, Loaded};
use fupan::calendar::DateRange;
use fupan::error::Report;
use fupan::export::{
    export, resolve_concept, Destination, ExportFilter, ExportOptions, ExportSummary, Format,
    IndexArticles, JsonlRecords, SourceArticle, StockFilter, Table,
};
use fupan::index::ArticleIndex;
use fupan::lexicon::Lexicon;
use fupan::model::ClaimKind;
use fupan::Error;

/// Arguments of `fupan export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The table: articles, mentions, claims, stock_daily, concept_daily, cooccurrence, or all
    /// (every table, one xlsx sheet each).
    #[arg(value_name = "TABLE")]
    table: Table,
    #[command(flatten)]
    index: IndexDirArg,
    /// Read the JSON Lines written by `fupan extract` instead (`-` for standard input); they
    /// hold no article text, so `mentions.sentence` stays empty.
    #[arg(long, value_name = "FILE", conflicts_with = "dir")]
    from_jsonl: Option<PathBuf>,
    /// csv, tsv, jsonl, xlsx or parquet (default: from the -o extension, else csv).
    #[arg(short = 'f', long, value_name = "FORMAT")]
    format: Option<Format>,
    /// Write to FILE (replaced only once complete) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Start CSV/TSV with a UTF-8 byte-order mark, so Excel reads the Chinese correctly.
    #[arg(long)]
    excel: bool,
    /// Only articles mentioning this stock (code, name, former name or nickname), and only its
    /// rows.
    #[arg(long, value_name = "STOCK")]
    stock: Option<String>,
    /// Only articles mentioning this concept, and only its rows.
    #[arg(long, value_name = "CONCEPT")]
    concept: Option<String>,
    /// Only articles dated on or after this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only articles dated on or before this day.
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Only articles with claims of this kind, and only claims of this kind: compute_capacity, earnings_growth, limit_up_streak, limit_up, limit_down, turnover, capital_flow, market_breadth, price_change, accelerator_cards.
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
}

impl ExportArgs {
    /// The options these flags ask for.
    fn options(&self, lexicon: &Lexicon) -> anyhow::Result<ExportOptions> {
        let format = self.format()?;
        if format.is_binary() && self.output.is_none() {
            bail!("{format} is a binary format: give an output file with -o FILE");
        }
        if self.excel && !matches!(format, Format::Csv | Format::Tsv) {
            bail!(
                "--excel (a byte-order mark for Excel) applies to csv and tsv only, not {format}"
            );
        }
        Ok(ExportOptions {
            table: self.table,
            format,
            filter: self.filter(lexicon)?,
            bom: self.excel,
        })
    }

    /// `--format`, else the output's extension, else csv (xlsx for `all`). A `--format` that
    /// the output's extension contradicts (`-o out.xlsx -f csv`) is refused: the file would
    /// not open as what its name says.
    fn format(&self) -> anyhow::Result<Format> {
        if let Some(format) = self.format {
            let named = self.output.as_deref().and_then(Format::from_path);
            if let (Some(path), Some(named)) = (&self.output, named) {
                if named != format {
                    bail!(
                        "{}: the name says {named} but --format says {format}; \
                         change one of them",
                        path.display()
                    );
                }
            }
            return Ok(format);
        }
        match &self.output {
            Some(path) => Format::from_path(path).with_context(|| {
                format!(
                    "{}: cannot tell the format from the file name; use --format",
                    path.display()
                )
            }),
            None if self.table == Table::All => Ok(Format::Xlsx),
            None => Ok(Format::Csv),
        }
    }

    fn filter(&self, lexicon: &Lexicon) -> anyhow::Result<ExportFilter> {
        let kind = match &self.kind {
            Some(name) => Some(ClaimKind::parse(name).with_context(|| {
                let kinds: Vec<&str> = ClaimKind::ALL.iter().map(|k| k.as_str()).collect();
                format!("unknown claim kind {name:?} ({})", kinds.join(", "))
            })?),
            None => None,
        };
        // a concept the dictionaries do not know could only export nothing: said, as search
        // says it (an unknown --stock may still be a claim's subject, 北向资金: see `run`)
        if let Some(stock) = &self.stock {
            if lexicon.stock_codes_named(stock).is_empty() && lexicon.names_a_concept(stock) {
                anyhow::bail!("--stock {stock:?}: a concept, not a stock (use --concept)");
            }
        }
        if let Some(concept) = &self.concept {
            if lexicon.concept_named(concept).is_none() {
                let why = match lexicon.stock_codes_named(concept).is_empty() {
                    true => "no concept by that name or alias in the dictionaries",
                    false => "a stock, not a concept (use --stock)",
                };
                anyhow::bail!("--concept {concept:?}: {why}");
            }
        }
        Ok(ExportFilter {
            stock: self
                .stock
                .as_deref()
                .map(|s| StockFilter::resolve(s, lexicon)),
            concept: self.concept.as_deref().map(|c| resolve_concept(c, lexicon)),
            dates: DateRange::between(self.from.as_deref(), self.to.as_deref())?,
            kind,
        })
    }
}

/// Bad input lines reported one by one; past this, only their number (a file of the wrong kind
/// would otherwise print a line per record).
const MAX_REPORTED: u64 = 50;

/// Runs `fupan export`.
pub fn run(common: &Common, loaded: &Loaded, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let options = args.options(loaded.lexicon()?)?;
    let destination = match &args.output {
        Some(path) => Destination::File(path.clone()),
        None => Destination::Stream(Box::new(std::io::stdout().lock())),
    };
    let started = Instant::now();
    let mut reported = 0;
    let mut report = |e: &Error| {
        reported += 1;
        if reported <= MAX_REPORTED {
            eprintln!("fupan: {}", Report(e));
        }
    };
    let result = match &args.from_jsonl {
        Some(path) => export(jsonl(path)?, &options, destination, &mut report),
        None => {
            let index = ArticleIndex::open(&args.index.path())?;
            let articles = IndexArticles::new(&index, loaded.engine()?)?;
            export(articles, &options, destination, &mut report)
        }
    };
    let summary = result?;
    if let Some(stock) = &args.stock {
        let unknown = loaded.lexicon()?.stock_codes_named(stock).is_empty();
        if unknown && summary.rows.iter().all(|&n| n == 0) {
            anyhow::bail!(
                "--stock {stock:?}: no stock by that name, nickname or code in the dictionaries, \
                 and no claim about anything of that name"
            );
        }
    }
    if summary.bad_inputs > MAX_REPORTED {
        eprintln!(
            "fupan: {} bad input lines in all (the first {MAX_REPORTED} are shown)",
            summary.bad_inputs
        );
    }
    if !common.quiet {
        report_summary(&options, args.output.as_deref(), &summary, started);
    }
    Ok(if summary.bad_inputs > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The records of a JSON Lines file, or of standard input for `-`.
fn jsonl(path: &Path) -> anyhow::Result<Box<dyn Iterator<Item = fupan::Result<SourceArticle>>>> {
    if path == Path::new("-") {
        let stdin = BufReader::with_capacity(1 << 16, std::io::stdin().lock());
        return Ok(Box::new(JsonlRecords::new(stdin, "stdin")));
    }
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let reader = BufReader::with_capacity(1 << 16, file);
    Ok(Box::new(JsonlRecords::new(
        reader,
        path.display().to_string(),
    )))
}

/// `fupan: 1234 rows of claims from 56 articles to out.csv (csv) in 0.12 s`, and the sheets of an
/// xlsx table too long for one sheet.
fn report_summary(
    options: &ExportOptions,
    output: Option<&Path>,
    summary: &ExportSummary,
    started: Instant,
) {
    let tables = options.table.parts();
    let rows: Vec<String> = tables
        .iter()
        .zip(&summary.rows)
        .map(|(t, n)| format!("{n} rows of {t}"))
        .collect();
    let target = output.map_or_else(|| "standard output".into(), |p| p.display().to_string());
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(
        stderr,
        "fupan: {} from {} articles to {target} ({}) in {:.2} s",
        rows.join(", "),
        summary.articles,
        options.format,
        started.elapsed().as_secs_f64()
    );
    if summary.sheets.len() > tables.len() {
        let _ = writeln!(
            stderr,
            "fupan: more rows than an Excel sheet holds ({}): written to sheets {}",
            fupan::export::EXCEL_MAX_ROWS,
            summary.sheets.join(", ")
        );
    }
}

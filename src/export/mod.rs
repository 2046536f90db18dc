//! Tables out of extracted records: `fupan export`.
//!
//! Takes [`SourceArticle`]s (the records `fupan extract` writes, read back by [`JsonlRecords`], or
//! the articles of an index, [`IndexArticles`]), keeps those the [`ExportFilter`] accepts, turns them into the rows of a
//! [`Table`] and writes them in a [`Format`] to a [`Destination`].
//!
//! | table | one row per | columns |
//! |---|---|---|
//! | `articles` | article | id, source, title, date, date_source, author, chars, n_stocks, n_concepts, n_claims |
//! | `mentions` | (article, stock) | article_id, date, code, name, count, first_offset, sentence |
//! | `claims` | claim | article_id, date, source, kind, subject_code, subject_name, value, low, high, unit, qualifier, text, start, end |
//! | `stock_daily` | (date, stock) | date, code, name, articles, mentions, claims, claims per stock kind, max_streak |
//! | `concept_daily` | (date, concept) | date, concept, articles, mentions, top_stocks |
//! | `cooccurrence` | (stock, concept) | code, name, concept, articles |
//!
//! `mentions.sentence` needs the article text, which the index keeps and extract output does not:
//! from JSON Lines it is null. `top_stocks` reads `利通电子(603629):3; …` (articles in which
//! both appear).
//!
//! The three per-article tables are streamed: each row is written as soon as its article is read,
//! so memory stays flat for any number of rows. The three summary tables are keyed maps written at
//! the end. Each format is a `RowSink`; a file is written under a temporary name and renamed into
//! place only when complete.

mod aggregate;
mod columns;
mod filter;
mod from_index;
mod input;
mod output;
mod parquet;
mod tables;
mod text;
mod value;
mod xlsx;

use std::path::Path;
use std::str::FromStr;

pub use filter::{resolve_concept, ExportFilter, StockFilter};
pub use from_index::IndexArticles;
pub use input::{JsonlRecords, SourceArticle};
pub use output::Destination;
pub use tables::Table;
pub use value::{Column, ColumnType, Value};
pub use xlsx::EXCEL_MAX_ROWS;

use crate::error::{Error, Result};

use aggregate::{ConceptDaily, Cooccurrence, StockDaily};
use output::{OutputFile, Target};
use tables::Emit;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values, RFC 4180.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// JSON Lines, one object per row.
    Jsonl,
    /// An Excel workbook.
    Xlsx,
    /// An Apache Parquet file.
    Parquet,
}

impl Format {
    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Jsonl => "jsonl",
            Format::Xlsx => "xlsx",
            Format::Parquet => "parquet",
        }
    }

    /// The format a file name asks for by its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => Format::Csv,
            "tsv" | "tab" => Format::Tsv,
            "jsonl" | "ndjson" => Format::Jsonl,
            "xlsx" => Format::Xlsx,
            "parquet" | "pq" => Format::Parquet,
            _ => return None,
        })
    }

    /// True for formats that cannot go to a terminal or pipe.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Parquet)
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Format, String> {
        [
            Format::Csv,
            Format::Tsv,
            Format::Jsonl,
            Format::Xlsx,
            Format::Parquet,
        ]
        .into_iter()
        .find(|f| f.name() == s)
        .ok_or_else(|| format!("unknown format {s:?} (csv, tsv, jsonl, xlsx, parquet)"))
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What to export and how.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The table.
    pub table: Table,
    /// The format.
    pub format: Format,
    /// Which articles and rows to keep.
    pub filter: ExportFilter,
    /// Start CSV/TSV with a byte-order mark, for Excel.
    pub bom: bool,
}

/// What an export did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Articles read and kept by the filter.
    pub articles: u64,
    /// Input items that were not articles (reported and skipped).
    pub bad_inputs: u64,
    /// Data rows written (headers not counted), per table in the order of [`Table::parts`].
    pub rows: Vec<u64>,
    /// The sheets written (xlsx only): a table too long for one sheet continues on `NAME_2` ….
    pub sheets: Vec<String>,
}

/// A format's writer: takes rows of one or more tables, then completes the output.
pub(crate) trait RowSink {
    /// Writes a data row of table number `table`.
    fn write_row(&mut self, table: usize, row: &[Value<'_>]) -> Result<()>;
    /// Completes the output (for a file: moves it into place); returns the sheet names.
    fn finish(self: Box<Self>) -> Result<Vec<String>>;
}

/// Writes `table` from `articles` to `destination`.
///
/// Items that are `Err(Error::BadInput)` are passed to `on_bad_input` and skipped, the export
/// goes on.
///
/// # Errors
///
/// Any other error of the input, and any failure to write, stops the export: no output file is
/// left behind (a file being replaced keeps its old content). Writing to a stream fails with
/// `Error::Io` (so a closed pipe can be told apart), everything else with `Error::Export`.
pub fn export<I>(
    articles: I,
    options: &ExportOptions,
    destination: Destination,
    on_bad_input: &mut dyn FnMut(&Error),
) -> Result<ExportSummary>
where
    I: IntoIterator<Item = Result<SourceArticle>>,
{
    let mut run = Run::new(options, destination)?;
    for item in articles {
        match item {
            Ok(article) => run.add(&article)?,
            Err(e @ Error::BadInput { .. }) => {
                run.summary.bad_inputs += 1;
                on_bad_input(&e);
            }
            Err(e) => return Err(e),
        }
    }
    run.finish()
}

/// The rows of `table` for `articles`, unfiltered, in the order `fupan export` writes them: the
/// per-article tables row by row, the summary tables once every article is in. What the Python
/// package turns into DataFrames, and the Spark job into Parquet (the daily tables one date at a
/// time: every row of them belongs to one date). [`Table::All`] gives nothing.
pub fn table_rows<'a>(
    table: Table,
    articles: impl IntoIterator<Item = &'a SourceArticle>,
) -> Result<Vec<Vec<Value<'static>>>> {
    if table == Table::All {
        return Ok(Vec::new());
    }
    let filter = ExportFilter::default();
    let mut rows = Vec::new();
    let mut emit = |row: &[Value<'_>]| -> Result<()> {
        rows.push(row.iter().map(Value::to_owned_value).collect());
        Ok(())
    };
    let mut producer = Producer::new(table);
    for article in articles {
        producer.add(article, &filter, &mut emit)?;
    }
    producer.finish(&mut emit)?;
    Ok(rows)
}

/// One export in progress: a producer per table, feeding one sink.
struct Run<'o> {
    filter: &'o ExportFilter,
    schemas: Vec<&'static [Column]>,
    producers: Vec<Producer>,
    sink: Box<dyn RowSink>,
    summary: ExportSummary,
}

impl<'o> Run<'o> {
    fn new(options: &'o ExportOptions, destination: Destination) -> Result<Run<'o>> {
        let tables = options.table.parts();
        Ok(Run {
            filter: &options.filter,
            schemas: tables.iter().map(|t| t.columns()).collect(),
            producers: tables.iter().map(|&t| Producer::new(t)).collect(),
            sink: open_sink(options, &tables, destination)?,
            summary: ExportSummary {
                rows: vec![0; tables.len()],
                ..ExportSummary::default()
            },
        })
    }

    /// Writes or counts the rows of one article, if the filter keeps it.
    fn add(&mut self, article: &SourceArticle) -> Result<()> {
        if !self.filter.keeps_article(&article.record) {
            return Ok(());
        }
        self.summary.articles += 1;
        for (i, producer) in self.producers.iter_mut().enumerate() {
            let rows = &mut self.summary.rows[i];
            let mut emit = counted(i, self.schemas[i], rows, self.sink.as_mut());
            producer.add(article, self.filter, &mut emit)?;
        }
        Ok(())
    }

    /// Writes the summary tables and completes the output.
    fn finish(mut self) -> Result<ExportSummary> {
        for (i, producer) in self.producers.into_iter().enumerate() {
            let rows = &mut self.summary.rows[i];
            producer.finish(&mut counted(i, self.schemas[i], rows, self.sink.as_mut()))?;
        }
        self.summary.sheets = self.sink.finish()?;
        Ok(self.summary)
    }
}

/// An emitter writing rows of table `i` to the sink and counting them.
fn counted<'a>(
    i: usize,
    columns: &'a [Column],
    rows: &'a mut u64,
    sink: &'a mut dyn RowSink,
) -> impl FnMut(&[Value<'_>]) -> Result<()> + 'a {
    move |row| {
        debug_assert!(
            row.len() == columns.len() && row.iter().zip(columns).all(|(v, c)| v.fits(c.ty)),
            "a row does not match its columns: {row:?}"
        );
        *rows += 1;
        sink.write_row(i, row)
    }
}

/// Opens the writer of the options' format, after checking the format suits the table and the
/// destination.
fn open_sink(
    options: &ExportOptions,
    tables: &[Table],
    destination: Destination,
) -> Result<Box<dyn RowSink>> {
    let misuse = |destination: &Destination, message: String| {
        let path = match destination {
            Destination::File(p) => p.clone(),
            Destination::Stream(_) => output::STDOUT.into(),
        };
        Error::export(&path, message)
    };
    if options.table == Table::All && options.format != Format::Xlsx {
        return match destination {
            Destination::File(dir) if is_dir_path(&dir) => {
                Ok(Box::new(PerTable::create(&dir, options, tables)?))
            }
            d => {
                let message = format!(
                    "table `all` goes into one file as xlsx only; for {} give a directory \
                     (-o DIR/) to get one file per table",
                    options.format
                );
                Err(misuse(&d, message))
            }
        };
    }
    let columns = options.table.columns();
    Ok(match (options.format, destination) {
        (format, d @ Destination::Stream(_)) if format.is_binary() => {
            let message = format!("{format} is a binary format: write it to a file");
            return Err(misuse(&d, message));
        }
        (Format::Csv, d) => Box::new(text::DelimitedSink::new(
            Target::open(d)?,
            columns,
            b',',
            options.bom,
        )?),
        (Format::Tsv, d) => Box::new(text::DelimitedSink::new(
            Target::open(d)?,
            columns,
            b'\t',
            options.bom,
        )?),
        (Format::Jsonl, d) => Box::new(text::JsonlSink::new(Target::open(d)?, columns)),
        (Format::Xlsx, Destination::File(path)) => {
            let (output, file) = OutputFile::create(&path)?;
            let sheets: Vec<_> = tables.iter().map(|t| (t.name(), t.columns())).collect();
            Box::new(xlsx::XlsxSink::new(output, file, &sheets, EXCEL_MAX_ROWS)?)
        }
        (Format::Parquet, Destination::File(path)) => {
            let (output, file) = OutputFile::create(&path)?;
            Box::new(parquet::ParquetSink::new(output, file, columns)?)
        }
        (_, Destination::Stream(_)) => unreachable!("binary formats are refused above"),
    })
}

/// True when an output path means a directory: one that exists, or a path ending in `/`.
fn is_dir_path(path: &std::path::Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    path.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR)
}

/// `all` in a format of one table per file: `DIR/articles.parquet`, `DIR/mentions.parquet` …,
/// each written and moved into place as a single-table export is.
struct PerTable {
    sinks: Vec<Box<dyn RowSink>>,
}

impl PerTable {
    fn create(dir: &std::path::Path, options: &ExportOptions, tables: &[Table]) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::export(dir, "cannot create the directory").because(e))?;
        let mut sinks = Vec::with_capacity(tables.len());
        for &table in tables {
            let path = dir.join(format!("{}.{}", table.name(), options.format));
            let one = ExportOptions {
                table,
                ..options.clone()
            };
            sinks.push(open_sink(&one, &[table], Destination::File(path))?);
        }
        Ok(PerTable { sinks })
    }
}

impl RowSink for PerTable {
    fn write_row(&mut self, table: usize, row: &[Value<'_>]) -> Result<()> {
        self.sinks[table].write_row(0, row)
    }

    fn finish(self: Box<Self>) -> Result<Vec<String>> {
        for sink in self.sinks {
            sink.finish()?;
        }
        Ok(Vec::new())
    }
}

/// Turns kept articles into the rows of one table.
enum Producer {
    Articles,
    Mentions,
    Claims,
    StockDaily(StockDaily),
    ConceptDaily(ConceptDaily),
    Cooccurrence(Cooccurrence),
}

impl Producer {
    fn new(table: Table) -> Producer {
        match table {
            // `all` never gets here: `Table::parts` splits it into the real tables.
            Table::Articles | Table::All => Producer::Articles,
            Table::Mentions => Producer::Mentions,
            Table::Claims => Producer::Claims,
            Table::StockDaily => Producer::StockDaily(StockDaily::default()),
            Table::ConceptDaily => Producer::ConceptDaily(ConceptDaily::default()),
            Table::Cooccurrence => Producer::Cooccurrence(Cooccurrence::default()),
        }
    }

    /// Writes the article's rows (streamed tables) or counts it (summary tables).
    fn add(
        &mut self,
        article: &SourceArticle,
        filter: &ExportFilter,
        emit: &mut Emit<'_>,
    ) -> Result<()> {
        match self {
            Producer::Articles => return tables::article_row(article, emit),
            Producer::Mentions => return tables::mention_rows(article, filter, emit),
            Producer::Claims => return tables::claim_rows(article, filter, emit),
            Producer::StockDaily(t) => t.add(&article.record, filter),
            Producer::ConceptDaily(t) => t.add(&article.record, filter),
            Producer::Cooccurrence(t) => t.add(&article.record, filter),
        }
        Ok(())
    }

    /// Writes the rows of a summary table once every article is in.
    fn finish(self, emit: &mut Emit<'_>) -> Result<()> {
        match self {
            Producer::Articles | Producer::Mentions | Producer::Claims => Ok(()),
            Producer::StockDaily(t) => t.finish(emit),
            Producer::ConceptDaily(t) => t.finish(emit),
            Producer::Cooccurrence(t) => t.finish(emit),
        }
    }
}

#[cfg(test)]
mod tests;

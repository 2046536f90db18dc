//! `fupan._native`: the fupan library for Python. Records cross the boundary as the JSON that
//! `fupan extract` writes (read with `json.loads` on the Python side), so the Python package and
//! the command line give the same bytes for the same record. The public API is in
//! `fupan/__init__.py`; this module is what it calls.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};

use fupan::error::Report;
use fupan::export::{table_rows, ColumnType, SourceArticle, Table, Value};
use fupan::lexicon::Lexicon;
use fupan::model::ArticleRecord;
use fupan::pipeline::{Analysis, Engine};
use fupan::schema::{render, SchemaFormat};
use fupan::search::{QueryFilter, Search, SearchRequest};
use fupan::source::{ReadOptions, Reader, RecordFields};

create_exception!(
    fupan,
    FupanError,
    PyException,
    "An input fupan could not use, or a failure of the index; the message names the record or path."
);

fn error(e: &fupan::Error) -> PyErr {
    FupanError::new_err(Report(e).to_string())
}

/// One record's outcome: `(True, record JSON, input id, text)` or `(False, message, input id,
/// None)`; the article's text only when asked for (the Spark job's `mentions.sentence`).
type Outcome = (bool, String, Option<String>, Option<String>);

fn outcome(result: fupan::Result<Analysis>, input_id: Option<String>, with_text: bool) -> Outcome {
    match result {
        Ok(analysis) => (
            true,
            serde_json::to_string(&analysis.record).expect("records serialise"),
            input_id,
            with_text.then_some(analysis.article.text),
        ),
        Err(e) => (false, Report(&e).to_string(), input_id, None),
    }
}

/// The engine (dictionaries, segmenter, automata, built once) and the reader that turns records
/// into articles as the file reader does.
#[pyclass(frozen, module = "fupan._native")]
struct NativeEngine {
    engine: Arc<Engine>,
    reader: Reader,
}

/// A record as the Python side hands it over: text, title, date, source, author, id.
type RecordTuple = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn fields((text, title, date, source, author, id): RecordTuple) -> RecordFields {
    RecordFields {
        text,
        title,
        date,
        source,
        author,
        id,
        url: None,
    }
}

#[pymethods]
impl NativeEngine {
    #[new]
    #[pyo3(signature = (dict_dir=None))]
    fn new(py: Python<'_>, dict_dir: Option<PathBuf>) -> PyResult<NativeEngine> {
        let engine = py
            .allow_threads(|| match &dict_dir {
                Some(dir) => Engine::load(|| Lexicon::load(dir)),
                None => Engine::builtin(),
            })
            .map_err(|e| error(&e))?;
        Ok(NativeEngine {
            engine: Arc::new(engine),
            reader: Reader::new(ReadOptions::default()),
        })
    }

    /// One record → its output record as JSON; raises `FupanError` naming the record.
    fn extract(&self, py: Python<'_>, record: RecordTuple, name: String) -> PyResult<String> {
        let fields = fields(record);
        py.allow_threads(|| {
            self.engine
                .extract_record(&self.reader, fields, &name)
                .map(|r| serde_json::to_string(&r).expect("records serialise"))
        })
        .map_err(|e| error(&e))
    }

    /// Records → outcomes in order, analysed in parallel without the GIL; `first` numbers the
    /// records without a source (`input#N`).
    #[pyo3(signature = (records, first, threads=None, with_text=false))]
    fn extract_batch(
        &self,
        py: Python<'_>,
        records: Vec<RecordTuple>,
        first: usize,
        threads: Option<usize>,
        with_text: bool,
    ) -> PyResult<Vec<Outcome>> {
        let pool = match threads {
            Some(n) => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n.max(1))
                    .build()
                    .map_err(|e| PyValueError::new_err(e.to_string()))?,
            ),
            None => None,
        };
        Ok(py.allow_threads(|| {
            let work = || self.batch(records, first, with_text);
            match &pool {
                Some(pool) => pool.install(work),
                None => work(),
            }
        }))
    }

    /// The articles of one file's bytes (its format by its name, as `fupan extract` reads a
    /// file) → outcomes in order.
    #[pyo3(signature = (name, data, with_text=false))]
    fn extract_file(
        &self,
        py: Python<'_>,
        name: String,
        data: &Bound<'_, PyBytes>,
        with_text: bool,
    ) -> Vec<Outcome> {
        let bytes = data.as_bytes().to_vec();
        py.allow_threads(|| {
            let items = self.reader.read_bytes(&name, bytes);
            let ids: Vec<Option<String>> = items
                .iter()
                .map(|i| i.as_ref().ok().and_then(|a| a.input_id.clone()))
                .collect();
            self.engine
                .analyze_batch(items)
                .into_iter()
                .zip(ids)
                .map(|(r, id)| outcome(r, id, with_text))
                .collect()
        })
    }
}

impl NativeEngine {
    fn batch(&self, records: Vec<RecordTuple>, first: usize, with_text: bool) -> Vec<Outcome> {
        let mut ids = Vec::with_capacity(records.len());
        let articles = records
            .into_iter()
            .enumerate()
            .map(|(i, record)| {
                let fields = fields(record);
                ids.push(fields.id.clone());
                self.reader
                    .article_of(fields, &format!("input#{}", first + i))
            })
            .collect();
        self.engine
            .analyze_batch(articles)
            .into_iter()
            .zip(ids)
            .map(|(r, id)| outcome(r, id, with_text))
            .collect()
    }
}

fn table_named(name: &str) -> PyResult<Table> {
    match name.parse::<Table>() {
        Ok(Table::All) | Err(_) => Err(PyValueError::new_err(format!(
            "unknown table {name:?} (articles, mentions, claims, stock_daily, concept_daily, cooccurrence)"
        ))),
        Ok(t) => Ok(t),
    }
}

/// The columns of an export table: `(name, type)`, type one of text, int, float, date.
#[pyfunction]
fn table_columns(table: &str) -> PyResult<Vec<(&'static str, &'static str)>> {
    Ok(table_named(table)?
        .columns()
        .iter()
        .map(|c| {
            let ty = match c.ty {
                ColumnType::Text => "text",
                ColumnType::Int => "int",
                ColumnType::Float => "float",
                ColumnType::Date => "date",
            };
            (c.name, ty)
        })
        .collect())
}

/// The rows of an export table for records given as extract JSON, with their texts where known
/// (`mentions.sentence` needs them): tuples in column order, dates as `YYYY-MM-DD` strings.
/// A record that is not extract JSON raises `FupanError` naming its position.
#[pyfunction]
#[pyo3(signature = (table, records, texts=None))]
fn export_rows<'py>(
    py: Python<'py>,
    table: &str,
    records: Vec<String>,
    texts: Option<Vec<Option<String>>>,
) -> PyResult<Bound<'py, PyList>> {
    let table = table_named(table)?;
    let mut texts = texts.unwrap_or_default().into_iter();
    let mut articles = Vec::with_capacity(records.len());
    for (i, json) in records.iter().enumerate() {
        let record: ArticleRecord = serde_json::from_str(json).map_err(|e| {
            FupanError::new_err(format!(
                "record #{}: not a fupan extract record: {e}",
                i + 1
            ))
        })?;
        articles.push(SourceArticle {
            record,
            text: texts.next().flatten(),
        });
    }
    let rows = py
        .allow_threads(|| table_rows(table, &articles))
        .map_err(|e| error(&e))?;
    let out = PyList::empty(py);
    for row in rows {
        let cells: Vec<PyObject> = row.iter().map(|v| cell(py, v)).collect::<PyResult<_>>()?;
        out.append(PyTuple::new(py, cells)?)?;
    }
    Ok(out)
}

fn cell(py: Python<'_>, value: &Value<'_>) -> PyResult<PyObject> {
    Ok(match value {
        Value::Null => py.None(),
        Value::Text(s) => s.as_ref().into_pyobject(py)?.into_any().unbind(),
        Value::Int(n) => n.into_pyobject(py)?.into_any().unbind(),
        Value::Float(x) => x.into_pyobject(py)?.into_any().unbind(),
        Value::Date(d) => d.to_string().into_pyobject(py)?.into_any().unbind(),
    })
}

/// The schema of extract records: `json-schema`, `arrow` or `spark-ddl`.
#[pyfunction]
fn schema(format: &str) -> PyResult<String> {
    let format = match format {
        "json-schema" => SchemaFormat::JsonSchema,
        "arrow" => SchemaFormat::Arrow,
        "spark-ddl" => SchemaFormat::SparkDdl,
        _ => {
            return Err(PyValueError::new_err(format!(
                "unknown schema format {format:?} (json-schema, arrow, spark-ddl)"
            )))
        }
    };
    Ok(render(format))
}

/// What `Index.search` passes down: the query, filters and limits of `fupan search`.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct SearchArgs {
    query: String,
    claims: bool,
    stock: Vec<String>,
    concept: Vec<String>,
    kind: Vec<String>,
    date_from: Option<String>,
    date_to: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
    metric: Option<String>,
    period: Option<String>,
    basis: Option<String>,
    limit: usize,
    offset: usize,
}

/// Searches the index in `dir` with the engine's segmenter and dictionaries: the hits as
/// `fupan search --json` writes them, and the total count.
#[pyfunction]
fn search(
    py: Python<'_>,
    engine: &NativeEngine,
    dir: PathBuf,
    args: SearchArgs,
) -> PyResult<(Vec<String>, usize)> {
    py.allow_threads(|| run_search(&engine.engine, &dir, args))
        .map_err(|e| error(&e))
}

fn run_search(
    engine: &Engine,
    dir: &Path,
    args: SearchArgs,
) -> fupan::Result<(Vec<String>, usize)> {
    let search = Search::open(dir, engine)?;
    let mut filters: Vec<QueryFilter> = Vec::new();
    filters.extend(args.stock.into_iter().map(QueryFilter::Stock));
    filters.extend(args.concept.into_iter().map(QueryFilter::Concept));
    for kind in &args.kind {
        filters.push(QueryFilter::kind(kind)?);
    }
    if let Some(range) =
        fupan::calendar::DateRange::between(args.date_from.as_deref(), args.date_to.as_deref())?
    {
        filters.push(QueryFilter::Date(range));
    }
    let request = SearchRequest {
        query: args.query,
        filters,
        min: args.min,
        max: args.max,
        metric: args.metric,
        period: args.period,
        basis: args.basis,
        limit: args.limit,
        offset: args.offset,
        // as `fupan search` without --sort: by score when the query has words, else newest first
        sort: None,
    };
    if args.claims {
        let found = search.claims(&request)?;
        let hits = found
            .hits
            .iter()
            .map(|h| serde_json::to_string(h).expect("hits serialise"));
        Ok((hits.collect(), found.total))
    } else {
        let found = search.articles(&request)?;
        let hits = found
            .hits
            .iter()
            .map(|h| serde_json::to_string(h).expect("hits serialise"));
        Ok((hits.collect(), found.total))
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeEngine>()?;
    m.add_function(wrap_pyfunction!(table_columns, m)?)?;
    m.add_function(wrap_pyfunction!(export_rows, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(search, m)?)?;
    m.add("FupanError", m.py().get_type::<FupanError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

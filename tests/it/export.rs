//! Integration tests for `fupan export`: the real binary on the repository corpus (through
//! `fupan extract`) and on a small synthetic file with known claims; every format is read back
//! with an independent reader and compared with rows built here from the records.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::{open_workbook, Data, Reader, Xlsx};
use parquet::basic::LogicalType;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde_json::json;

use fupan::model::ArticleRecord;

use crate::util::{fupan, repo, stderr, stdout};

/// A cell as the tests compare it, whatever format it was read from.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
    Date(String),
}

/// Column types of the tables the tests read, to parse text formats.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Int,
    Float,
    Date,
}

const ARTICLE_KINDS: &[Kind] = &[
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Date,
    Kind::Text,
    Kind::Text,
    Kind::Int,
    Kind::Int,
    Kind::Int,
    Kind::Int,
];

const CLAIM_KINDS: &[Kind] = &[
    Kind::Text,
    Kind::Date,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Float,
    Kind::Float,
    Kind::Float,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Int,
    Kind::Int,
    Kind::Text,
    Kind::Text,
    Kind::Text,
];

const MENTION_KINDS: &[Kind] = &[
    Kind::Text,
    Kind::Date,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Int,
    Kind::Int,
    Kind::Text,
];

const CLAIM_HEADER: &[&str] = &[
    "article_id",
    "date",
    "source",
    "kind",
    "subject_code",
    "subject_symbol",
    "subject_name",
    "value",
    "low",
    "high",
    "unit",
    "qualifier",
    "text",
    "start",
    "end",
    "metric",
    "period",
    "basis",
];

// ---------------------------------------------------------------------------------------------
// Inputs

/// Runs the real `fupan extract` on the repository's `corpus/` (once per test run) and copies
/// its output to `dir/corpus.jsonl`.
fn extracted(dir: &Path) -> PathBuf {
    static EXTRACTED: OnceLock<PathBuf> = OnceLock::new();
    let once = EXTRACTED.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("export-corpus.jsonl");
        let corpus = repo().join("corpus");
        let args = [
            "extract",
            "-q",
            corpus.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        let o = fupan(&repo(), &args);
        assert!(o.status.success(), "extract failed: {}", stderr(&o));
        out
    });
    let out = dir.join("corpus.jsonl");
    fs::copy(once, &out).unwrap();
    assert!(!records(&out).is_empty(), "the corpus gave no records");
    out
}

/// Three articles with claims of every shape: negative, range, null figures, text that needs
/// quoting, an undated article.
fn synthetic(dir: &Path) -> PathBuf {
    let claim = |kind: &str,
                 code: Option<&str>,
                 name: &str,
                 v: [Option<f64>; 3],
                 unit: Option<&str>,
                 q: Option<&str>,
                 text: &str,
                 start: usize| {
        json!({"kind": kind, "subject": {"code": code, "name": name},
               "value": v[0], "low": v[1], "high": v[2], "unit": unit, "qualifier": q,
               "text": text, "start": start, "end": start + text.len()})
    };
    let stock = |code: &str, name: &str, starts: &[usize]| {
        let mentions: Vec<_> = starts
            .iter()
            .map(|&s| json!({"start": s, "end": s + name.len(), "text": name}))
            .collect();
        json!({"code": code, "exchange": "SH", "name": name, "count": starts.len(), "mentions": mentions})
    };
    let concept = |name: &str, n: usize| json!({"name": name, "count": n, "mentions": []});
    let article = |id: &str,
                   date: Option<&str>,
                   stocks: Vec<_>,
                   concepts: Vec<_>,
                   claims: Vec<_>| {
        json!({"id": id, "source": format!("synthetic/{id}.txt"), "title": format!("标题,\"{id}\""),
               "date": date, "date_source": date.map(|_| "metadata"), "author": null, "chars": 100, "stocks": stocks, "concepts": concepts,
               "organizations": [], "claims": claims, "warnings": []})
    };
    let records = [
        article(
            "a1",
            Some("2024-03-22"),
            vec![
                stock("603629", "利通电子", &[9, 40]),
                stock("300442", "润泽科技", &[60]),
            ],
            vec![concept("算力租赁", 3)],
            vec![
                claim(
                    "compute_capacity",
                    Some("603629"),
                    "利通电子",
                    [Some(3000.0), None, None],
                    Some("P"),
                    Some("在手"),
                    "在手3000P",
                    21,
                ),
                claim(
                    "earnings_growth",
                    Some("300442"),
                    "润泽科技",
                    [None, Some(46.0), Some(54.0)],
                    Some("%"),
                    Some("同比"),
                    "业绩同比增长46%到54%",
                    70,
                ),
                claim(
                    "capital_flow",
                    None,
                    "北向资金",
                    [Some(-31.38), None, None],
                    Some("亿元"),
                    Some("净卖出"),
                    "北向资金净卖出31.38亿元",
                    700,
                ),
                claim(
                    "limit_up_streak",
                    Some("603629"),
                    "利通电子",
                    [Some(3.0), None, None],
                    Some("板"),
                    None,
                    "3连板",
                    800,
                ),
            ],
        ),
        article(
            "a2",
            Some("2024-03-25"),
            vec![stock("603629", "利通电子", &[0])],
            vec![concept("算力租赁", 1), concept("低空经济", 2)],
            vec![
                claim(
                    "limit_up",
                    Some("603629"),
                    "利通电子",
                    [None, None, None],
                    None,
                    None,
                    "利通电子涨停,封板\n\"一字\"",
                    0,
                ),
                claim(
                    "price_change",
                    None,
                    "碳酸锂",
                    [Some(0.1 + 0.2), None, None],
                    Some("%"),
                    None,
                    "碳酸锂涨0.3%",
                    40,
                ),
                claim(
                    "turnover",
                    None,
                    "两市",
                    [Some(18600.0), None, None],
                    Some("亿元"),
                    Some("约"),
                    "两市成交1.86万亿",
                    90,
                ),
            ],
        ),
        article(
            "a3",
            None,
            vec![],
            vec![],
            vec![claim(
                "market_breadth",
                None,
                "上涨",
                [Some(4321.0), None, None],
                Some("只"),
                Some("超"),
                "超4321只个股上涨",
                5,
            )],
        ),
    ];
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    let path = dir.join("synthetic.jsonl");
    fs::write(&path, text).unwrap();
    path
}

fn records(path: &Path) -> Vec<ArticleRecord> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Expected rows, built from the records without the library's table code

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn opt_text(s: Option<&str>) -> Cell {
    s.map_or(Cell::Null, text)
}

fn opt_float(x: Option<f64>) -> Cell {
    x.map_or(Cell::Null, Cell::Float)
}

fn opt_date(s: Option<&str>) -> Cell {
    s.map_or(Cell::Null, |d| Cell::Date(d.to_string()))
}

/// A code with its exchange, as the exports write it (`603629.SH`).
fn symbol(code: &str) -> String {
    let exchange = match code.as_bytes() {
        [b'9', b'2', ..] | [b'4' | b'8', ..] => "BJ",
        [b'6' | b'9', ..] => "SH",
        _ => "SZ",
    };
    format!("{code}.{exchange}")
}

fn expected_claims(records: &[ArticleRecord]) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for r in records {
        for c in &r.claims {
            rows.push(vec![
                text(&r.id),
                opt_date(r.date.as_deref()),
                text(&r.source),
                text(c.kind.as_str()),
                opt_text(c.subject.code.as_deref()),
                opt_text(c.subject.code.as_deref().map(symbol).as_deref()),
                opt_text(c.subject.name.as_deref()),
                opt_float(c.value),
                opt_float(c.low),
                opt_float(c.high),
                opt_text(c.unit.as_deref()),
                opt_text(c.qualifier.as_deref()),
                text(&c.text),
                Cell::Int(c.start as i64),
                Cell::Int(c.end as i64),
                opt_text(c.metric.as_deref()),
                opt_text(c.period.as_deref()),
                opt_text(c.basis.as_deref()),
            ]);
        }
    }
    rows
}

fn expected_articles(records: &[ArticleRecord]) -> Vec<Vec<Cell>> {
    records
        .iter()
        .map(|r| {
            vec![
                text(&r.id),
                text(&r.source),
                opt_text(r.title.as_deref()),
                opt_date(r.date.as_deref()),
                opt_text(r.date_source.map(|s| s.as_str())),
                opt_text(r.author.as_deref()),
                Cell::Int(r.chars as i64),
                Cell::Int(r.stocks.len() as i64),
                Cell::Int(r.concepts.len() as i64),
                Cell::Int(r.claims.len() as i64),
            ]
        })
        .collect()
}

fn expected_mentions(records: &[ArticleRecord]) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for r in records {
        for s in &r.stocks {
            rows.push(vec![
                text(&r.id),
                opt_date(r.date.as_deref()),
                text(&s.code),
                text(&symbol(&s.code)),
                text(&s.name),
                Cell::Int(s.count as i64),
                s.mentions
                    .first()
                    .map_or(Cell::Null, |m| Cell::Int(m.start as i64)),
                // Extract output has no article text, so no sentence.
                Cell::Null,
            ]);
        }
    }
    rows
}

// ---------------------------------------------------------------------------------------------
// Readers, one per format

/// Parses a text field by its column type; an empty field is null.
fn parse_field(field: &str, kind: Kind) -> Cell {
    if field.is_empty() {
        return Cell::Null;
    }
    match kind {
        Kind::Text => text(field),
        Kind::Int => Cell::Int(field.parse().unwrap_or_else(|_| panic!("int {field:?}"))),
        Kind::Float => Cell::Float(field.parse().unwrap_or_else(|_| panic!("float {field:?}"))),
        Kind::Date => Cell::Date(field.to_string()),
    }
}

/// Reads CSV or TSV with the csv crate: the header and the typed rows.
fn read_delimited(bytes: &[u8], delimiter: u8, kinds: &[Kind]) -> (Vec<String>, Vec<Vec<Cell>>) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(bytes);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            assert_eq!(r.len(), kinds.len());
            r.iter()
                .zip(kinds)
                .map(|(f, &k)| parse_field(f, k))
                .collect()
        })
        .collect();
    (header, rows)
}

fn read_jsonl(lines: &str, header: &[&str], kinds: &[Kind]) -> Vec<Vec<Cell>> {
    lines
        .lines()
        .map(|line| {
            let object: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            let keys: Vec<&str> = object.keys().map(String::as_str).collect();
            let mut sorted = header.to_vec();
            sorted.sort_unstable();
            assert_eq!(keys, sorted);
            header
                .iter()
                .zip(kinds)
                .map(|(name, &kind)| match (&object[*name], kind) {
                    (serde_json::Value::Null, _) => Cell::Null,
                    (serde_json::Value::String(s), Kind::Text) => text(s),
                    (serde_json::Value::String(s), Kind::Date) => Cell::Date(s.clone()),
                    (serde_json::Value::Number(n), Kind::Int) => Cell::Int(n.as_i64().unwrap()),
                    (serde_json::Value::Number(n), Kind::Float) => Cell::Float(n.as_f64().unwrap()),
                    (v, k) => panic!("{name}: {v} is not {k:?}"),
                })
                .collect()
        })
        .collect()
}

/// `YYYY-MM-DD` of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
fn date_from_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Reads a Parquet file with the row reader; checks each value has the column's Parquet type.
fn read_parquet(path: &Path) -> (Vec<String>, Vec<Vec<Cell>>) {
    let reader = SerializedFileReader::new(fs::File::open(path).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let header = schema
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(_, field)| match field {
                    Field::Null => Cell::Null,
                    Field::Str(s) => text(s),
                    Field::Long(n) => Cell::Int(*n),
                    Field::Double(x) => Cell::Float(*x),
                    Field::Date(d) => Cell::Date(date_from_days(i64::from(*d))),
                    other => panic!("unexpected parquet field {other:?}"),
                })
                .collect()
        })
        .collect();
    (header, rows)
}

/// Reads a sheet with calamine: numbers must be numbers and dates Excel dates.
fn read_sheet(path: &Path, sheet: &str, kinds: &[Kind]) -> (Vec<String>, Vec<Vec<Cell>>) {
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let range = workbook.worksheet_range(sheet).unwrap();
    let mut rows = range.rows();
    let header = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let rows = rows
        .map(|row| {
            let mut cells: Vec<Cell> = row
                .iter()
                .zip(kinds)
                .map(|(c, &k)| match (c, k) {
                    (Data::Empty, _) => Cell::Null,
                    (Data::String(s), Kind::Text) => text(s),
                    (Data::Float(x), Kind::Int) if x.fract() == 0.0 => Cell::Int(*x as i64),
                    (Data::Float(x), Kind::Float) => Cell::Float(*x),
                    (Data::DateTime(d), Kind::Date) => {
                        Cell::Date(date_from_days(d.as_f64() as i64 - 25_569))
                    }
                    (c, k) => panic!("{sheet}: cell {c:?} is not {k:?}"),
                })
                .collect();
            // calamine's range ends at the last non-empty cell of the sheet.
            cells.resize(kinds.len(), Cell::Null);
            cells
        })
        .collect();
    (header, rows)
}

/// Standard output, line by line, without line ends.
fn output_lines(o: &std::process::Output) -> Vec<String> {
    stdout(o)
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect()
}

/// Runs `fupan export ARGS` in `dir` and asserts it succeeded.
fn export_ok(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    let o = fupan(dir, &all);
    assert!(o.status.success(), "fupan {all:?} failed: {}", stderr(&o));
    o
}

// ---------------------------------------------------------------------------------------------
// Round trips

#[test]
fn csv_round_trips_extracted_claims_and_articles() {
    let dir = tempfile::tempdir().unwrap();
    for input in [extracted(dir.path()), synthetic(dir.path())] {
        let recs = records(&input);
        let input = input.to_str().unwrap();
        let o = export_ok(dir.path(), &["claims", "--from-jsonl", input]);
        let (header, rows) = read_delimited(&o.stdout, b',', CLAIM_KINDS);
        assert_eq!(header, CLAIM_HEADER);
        assert_eq!(rows, expected_claims(&recs));
        let o = export_ok(dir.path(), &["articles", "--from-jsonl", input]);
        assert_eq!(
            read_delimited(&o.stdout, b',', ARTICLE_KINDS).1,
            expected_articles(&recs)
        );
    }
}

#[test]
fn csv_follows_rfc_4180() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic(dir.path());
    let o = export_ok(
        dir.path(),
        &["claims", "--from-jsonl", input.to_str().unwrap()],
    );
    let out = stdout(&o);
    assert!(out.starts_with("article_id,date,source,kind,"));
    assert!(out.contains("\r\n"), "CSV lines end with CRLF");
    assert!(out.contains("\"利通电子涨停,封板\n\"\"一字\"\"\""), "{out}");
    assert!(out.contains(",-31.38,"), "{out}");
    assert!(out.contains(",3000,"), "{out}");
    assert!(out.contains(",0.30000000000000004,"), "{out}");
}

#[test]
fn tsv_round_trips_extracted_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let input = extracted(dir.path());
    let out = dir.path().join("mentions.tsv");
    export_ok(
        dir.path(),
        &[
            "mentions",
            "--from-jsonl",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let bytes = fs::read(&out).unwrap();
    let (header, rows) = read_delimited(&bytes, b'\t', MENTION_KINDS);
    assert_eq!(header[0], "article_id");
    assert_eq!(rows, expected_mentions(&records(&input)));
}

#[test]
fn jsonl_lines_parse_with_the_exported_values() {
    let dir = tempfile::tempdir().unwrap();
    for input in [extracted(dir.path()), synthetic(dir.path())] {
        let recs = records(&input);
        let o = export_ok(
            dir.path(),
            &[
                "claims",
                "--format",
                "jsonl",
                "--from-jsonl",
                input.to_str().unwrap(),
            ],
        );
        assert_eq!(
            read_jsonl(&stdout(&o), CLAIM_HEADER, CLAIM_KINDS),
            expected_claims(&recs)
        );
    }
}

#[test]
fn parquet_round_trips_with_types() {
    let dir = tempfile::tempdir().unwrap();
    for input in [extracted(dir.path()), synthetic(dir.path())] {
        let recs = records(&input);
        let out = dir.path().join("claims.parquet");
        export_ok(
            dir.path(),
            &[
                "claims",
                "--from-jsonl",
                input.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
        );
        let (header, rows) = read_parquet(&out);
        assert_eq!(header, CLAIM_HEADER);
        assert_eq!(rows, expected_claims(&recs));
    }
}

#[test]
fn parquet_declares_date_and_string_logical_types() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic(dir.path());
    let out = dir.path().join("a.parquet");
    export_ok(
        dir.path(),
        &[
            "articles",
            "--from-jsonl",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let reader = SerializedFileReader::new(fs::File::open(&out).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let logical: Vec<(String, Option<LogicalType>)> = schema
        .columns()
        .iter()
        .map(|c| (c.name().to_string(), c.logical_type_ref().cloned()))
        .collect();
    assert_eq!(logical[0], ("id".into(), Some(LogicalType::String)));
    assert_eq!(logical[3], ("date".into(), Some(LogicalType::Date)));
    assert_eq!(
        logical[4],
        ("date_source".into(), Some(LogicalType::String))
    );
    assert_eq!(logical[6], ("chars".into(), None));
    let (_, rows) = read_parquet(&out);
    assert_eq!(rows, expected_articles(&records(&input)));
}

#[test]
fn xlsx_all_has_every_table_as_a_typed_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic(dir.path());
    let recs = records(&input);
    let out = dir.path().join("all.xlsx");
    export_ok(
        dir.path(),
        &[
            "all",
            "--from-jsonl",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let workbook: Xlsx<_> = open_workbook(&out).unwrap();
    let names = workbook.sheet_names();
    assert_eq!(
        names,
        [
            "articles",
            "mentions",
            "claims",
            "stock_daily",
            "concept_daily",
            "cooccurrence"
        ]
    );
    let (header, rows) = read_sheet(&out, "claims", CLAIM_KINDS);
    assert_eq!(header, CLAIM_HEADER);
    assert_eq!(rows, expected_claims(&recs));
    assert_eq!(
        read_sheet(&out, "articles", ARTICLE_KINDS).1,
        expected_articles(&recs)
    );
    assert_eq!(
        read_sheet(&out, "mentions", MENTION_KINDS).1,
        expected_mentions(&recs)
    );
}

#[test]
fn xlsx_of_the_corpus_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let input = extracted(dir.path());
    let out = dir.path().join("claims.xlsx");
    export_ok(
        dir.path(),
        &[
            "claims",
            "--from-jsonl",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let (_, rows) = read_sheet(&out, "claims", CLAIM_KINDS);
    assert_eq!(rows, expected_claims(&records(&input)));
}

// ---------------------------------------------------------------------------------------------
// Summary tables

#[test]
fn stock_daily_counts_claims_per_stock_and_day() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic(dir.path());
    let o = export_ok(
        dir.path(),
        &["stock_daily", "--from-jsonl", input.to_str().unwrap()],
    );
    let lines = output_lines(&o);
    assert_eq!(
        lines,
        [
            "date,code,symbol,name,articles,mentions,claims,limit_up,limit_down,limit_up_streak,compute_capacity,earnings_growth,max_streak",
            "2024-03-22,300442,300442.SZ,润泽科技,1,1,1,0,0,0,0,1,",
            "2024-03-22,603629,603629.SH,利通电子,1,2,2,0,0,1,1,0,3",
            "2024-03-25,603629,603629.SH,利通电子,1,1,1,1,0,0,0,0,",
        ]
    );
}

#[test]
fn concept_daily_and_cooccurrence_follow_the_articles() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic(dir.path());
    let input = input.to_str().unwrap();
    let o = export_ok(dir.path(), &["concept_daily", "--from-jsonl", input]);
    let lines = output_lines(&o);
    assert_eq!(
        lines,
        [
            "date,concept,articles,mentions,top_stocks",
            "2024-03-22,算力租赁,1,3,利通电子(603629):1; 润泽科技(300442):1",
            "2024-03-25,低空经济,1,2,利通电子(603629):1",
            "2024-03-25,算力租赁,1,1,利通电子(603629):1",
        ]
    );
    let o = export_ok(dir.path(), &["cooccurrence", "--from-jsonl", input]);
    let lines = output_lines(&o);
    assert_eq!(
        lines,
        [
            "code,symbol,name,concept,articles",
            "603629,603629.SH,利通电子,算力租赁,2",
            "300442,300442.SZ,润泽科技,算力租赁,1",
            "603629,603629.SH,利通电子,低空经济,1",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Filters

/// The `kind` and `subject_name` of each exported claim.
fn claim_subjects(o: &std::process::Output) -> Vec<String> {
    let (_, rows) = read_delimited(&o.stdout, b',', CLAIM_KINDS);
    rows.iter()
        .map(|r| match (&r[3], &r[6]) {
            (Cell::Text(k), Cell::Text(n)) => format!("{k} {n}"),
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn filters_select_claims_like_search() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic(dir.path());
    let input = input.to_str().unwrap();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--stock", "利通电子"],
            &[
                "compute_capacity 利通电子",
                "limit_up_streak 利通电子",
                "limit_up 利通电子",
            ],
        ),
        (
            &["--stock", "603629", "--from", "2024-03-23"],
            &["limit_up 利通电子"],
        ),
        (&["--stock", "北向资金"], &["capital_flow 北向资金"]),
        (&["--kind", "capital_flow"], &["capital_flow 北向资金"]),
        (
            &["--from", "2024-03", "--to", "2024-03-22"],
            &[
                "compute_capacity 利通电子",
                "earnings_growth 润泽科技",
                "capital_flow 北向资金",
                "limit_up_streak 利通电子",
            ],
        ),
        (
            &["--concept", "低空经济"],
            &["limit_up 利通电子", "price_change 碳酸锂", "turnover 两市"],
        ),
    ];
    for (flags, want) in cases {
        let mut args = vec!["claims", "--from-jsonl", input];
        args.extend_from_slice(flags);
        assert_eq!(
            claim_subjects(&export_ok(dir.path(), &args)),
            *want,
            "{flags:?}"
        );
    }
}

/// `--stock` once resolved names apart from `fupan search stock:` and missed codes with an
/// exchange suffix and names in traditional script (0 rows, exit 0).
#[test]
fn stock_filter_takes_the_forms_search_takes() {
    let dir = tempfile::tempdir().unwrap();
    let input = extracted(dir.path());
    let input = input.to_str().unwrap();
    let rows_for = |stock: &str| {
        let o = export_ok(
            dir.path(),
            &["mentions", "--from-jsonl", input, "--stock", stock],
        );
        output_lines(&o).len().saturating_sub(1)
    };
    let plain = rows_for("603629");
    assert!(plain > 0, "the seed article mentions 603629");
    for form in [
        "603629.SH",
        "sh603629",
        "利通电子",
        "利通電子",
        "６０３６２９",
    ] {
        assert_eq!(rows_for(form), plain, "--stock {form}");
    }
}

#[test]
fn an_unknown_kind_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic(dir.path());
    let o = fupan(
        dir.path(),
        &[
            "export",
            "claims",
            "--from-jsonl",
            input.to_str().unwrap(),
            "--kind",
            "rumour",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown claim kind \"rumour\""),
        "{}",
        stderr(&o)
    );
}

// ---------------------------------------------------------------------------------------------
// Formats and destinations

#[test]
fn format_follows_the_output_extension() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic(dir.path());
    let cases = [
        ("t.csv", &b"id,source"[..]),
        ("t.tsv", &b"id\tsource"[..]),
        ("t.jsonl", &b"{\"id\":"[..]),
        ("t.parquet", &b"PAR1"[..]),
        ("t.xlsx", &b"PK"[..]),
    ];
    for (name, magic) in cases {
        let out = dir.path().join(name);
        export_ok(
            dir.path(),
            &[
                "articles",
                "--from-jsonl",
                input.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
        );
        assert!(fs::read(&out).unwrap().starts_with(magic), "{name}");
    }
}

#[test]
fn excel_flag_adds_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic(dir.path());
    let o = export_ok(
        dir.path(),
        &[
            "articles",
            "--excel",
            "--from-jsonl",
            input.to_str().unwrap(),
        ],
    );
    assert!(o.stdout.starts_with("\u{feff}id,".as_bytes()));
}

#[test]
fn binary_formats_need_an_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic(dir.path());
    let input = input.to_str().unwrap();
    let cases: &[&[&str]] = &[
        &["claims", "--format", "parquet"],
        &["claims", "--format", "xlsx"],
        &["all"],
    ];
    for args in cases {
        let mut all = vec!["export", "--from-jsonl", input];
        all.extend_from_slice(args);
        let o = fupan(dir.path(), &all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("binary format"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn table_all_is_xlsx_only() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic(dir.path());
    let o = fupan(
        dir.path(),
        &[
            "export",
            "all",
            "--from-jsonl",
            input.to_str().unwrap(),
            "-o",
            "all.csv",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("xlsx only"), "{}", stderr(&o));
    assert!(!dir.path().join("all.csv").exists());
}

#[test]
fn unwritable_output_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic(dir.path());
    fs::write(dir.path().join("plain-file"), "").unwrap();
    for target in ["missing-dir/out.csv", "plain-file/out.parquet", "."] {
        let o = fupan(
            dir.path(),
            &[
                "export",
                "claims",
                "--from-jsonl",
                input.to_str().unwrap(),
                "-o",
                target,
            ],
        );
        assert_eq!(o.status.code(), Some(2), "{target}");
        let err = stderr(&o);
        assert!(
            err.starts_with(&format!("fupan: {target}: ")),
            "{target}: {err}"
        );
    }
}

#[test]
fn failed_export_leaves_the_old_file_and_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    fs::write(&out, "old").unwrap();
    // A directory opens but cannot be read: the export fails after the output was started.
    fs::create_dir(dir.path().join("input-dir")).unwrap();
    let o = fupan(
        dir.path(),
        &[
            "export",
            "claims",
            "--from-jsonl",
            "input-dir",
            "-o",
            "out.csv",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("input-dir"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&out).unwrap(), "old");
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

// ---------------------------------------------------------------------------------------------
// Input

#[test]
fn bad_input_lines_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let good = fs::read_to_string(synthetic(dir.path())).unwrap();
    let mut lines: Vec<&str> = good.lines().collect();
    lines.insert(1, "{\"id\": 42}");
    lines.insert(3, "not json at all");
    fs::write(dir.path().join("mixed.jsonl"), lines.join("\n")).unwrap();
    let o = fupan(
        dir.path(),
        &["export", "claims", "--from-jsonl", "mixed.jsonl"],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("fupan: mixed.jsonl#2: "), "{err}");
    assert!(err.contains("fupan: mixed.jsonl#4: "), "{err}");
    let (_, rows) = read_delimited(&o.stdout, b',', CLAIM_KINDS);
    assert_eq!(rows.len(), 8, "every claim of the good lines is exported");
}

#[test]
fn records_are_read_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let input = synthetic(dir.path());
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_fupan"))
        .args(["export", "articles", "--from-jsonl", "-"])
        .current_dir(dir.path())
        .stdin(fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 4);
}

// ---------------------------------------------------------------------------------------------
// From an index

/// Indexes the repository corpus into `dir/fupan-index` (the default index directory).
fn indexed(dir: &Path) {
    let corpus = repo().join("corpus");
    let o = fupan(dir, &["index", "-q", corpus.to_str().unwrap()]);
    assert!(o.status.success(), "index failed: {}", stderr(&o));
}

/// The rows of a CSV export, sorted (index order is not input order).
fn sorted_rows(o: &std::process::Output, kinds: &[Kind]) -> Vec<Vec<Cell>> {
    let (_, mut rows) = read_delimited(&o.stdout, b',', kinds);
    rows.sort_by_key(|r| format!("{r:?}"));
    rows
}

#[test]
fn index_export_equals_extract_export() {
    let dir = tempfile::tempdir().unwrap();
    let input = extracted(dir.path());
    indexed(dir.path());
    let from_jsonl = ["--from-jsonl", input.to_str().unwrap()];
    for (table, kinds) in [("articles", ARTICLE_KINDS), ("claims", CLAIM_KINDS)] {
        let by_index = export_ok(dir.path(), &[table]);
        let by_jsonl = export_ok(dir.path(), &[&[table][..], &from_jsonl].concat());
        assert_eq!(
            sorted_rows(&by_index, kinds),
            sorted_rows(&by_jsonl, kinds),
            "{table}"
        );
    }
}

#[test]
fn index_export_fills_mention_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let recs = records(&extracted(dir.path()));
    indexed(dir.path());
    let o = export_ok(dir.path(), &["mentions", "--index", "fupan-index"]);
    let (_, rows) = read_delimited(&o.stdout, b',', MENTION_KINDS);
    assert_eq!(rows.len(), expected_mentions(&recs).len());
    for row in rows {
        let (Cell::Text(id), Cell::Text(code)) = (&row[0], &row[2]) else {
            panic!("{row:?}");
        };
        let record = recs.iter().find(|r| &r.id == id).unwrap();
        let stock = record.stocks.iter().find(|s| &s.code == code).unwrap();
        let first = &stock.mentions[0].text;
        match &row[7] {
            Cell::Text(sentence) => {
                assert!(sentence.contains(first.as_str()), "{first}: {sentence}")
            }
            other => panic!("no sentence for {code} in {id}: {other:?}"),
        }
    }
}

#[test]
fn a_missing_index_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = fupan(dir.path(), &["export", "claims"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("fupan-index"), "{}", stderr(&o));
}

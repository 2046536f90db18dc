//! Property tests: any claims exported in any format read back as the same typed cells.

use std::borrow::Cow;
use std::fs::File;
use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::calendar::Day;
use crate::model::{ArticleRecord, Claim, ClaimKind, Subject};

/// Text with what breaks naive writers: separators, quotes, line ends, CJK, emoji.
fn text() -> impl Strategy<Value = String> {
    "[a-z0-9,;\"'\t\n\r 利通电子，。：%\\-😀]{0,16}"
}

fn figure() -> impl Strategy<Value = Option<f64>> {
    proptest::option::of(any::<f64>().prop_filter("finite", |x| x.is_finite()))
}

fn claim() -> impl Strategy<Value = Claim> {
    let subject = (
        proptest::option::of("[0-9]{6}"),
        proptest::option::of(text()),
    );
    let figures = (figure(), figure(), figure());
    let words = (
        proptest::option::of(text()),
        proptest::option::of(text()),
        text(),
    );
    let kind = proptest::sample::select(ClaimKind::ALL.to_vec());
    (kind, subject, figures, words, 0usize..1 << 40, 0usize..1000).prop_map(
        |(kind, (code, name), (value, low, high), (unit, qualifier, text), start, len)| Claim {
            kind,
            subject: Subject { code, name },
            value,
            low,
            high,
            unit,
            qualifier,
            text,
            start,
            end: start + len,
            metric: None,
            period: None,
            basis: None,
            sentence: None,
        },
    )
}

fn record() -> impl Strategy<Value = ArticleRecord> {
    // Excel dates start in 1900 (with its leap-year bug in Jan–Feb 1900): keep clear of both.
    let date = proptest::option::of((1901i32..2100, 1u32..13, 1u32..32));
    (date, text(), proptest::collection::vec(claim(), 0..6)).prop_map(|(date, source, claims)| {
        ArticleRecord {
            id: crate::model::content_id(&source),
            source,
            date: date
                .and_then(|(y, m, d)| Day::from_ymd(y, m, d))
                .map(|d| d.to_string()),
            claims,
            ..ArticleRecord::default()
        }
    })
}

/// The claim rows, built from the records field by field.
fn expected(records: &[ArticleRecord]) -> Vec<Vec<Value<'static>>> {
    let text = |s: &str| Value::Text(Cow::Owned(s.to_string()));
    let opt = |s: &Option<String>| s.as_deref().map_or(Value::Null, text);
    let mut rows = Vec::new();
    for r in records {
        for c in &r.claims {
            rows.push(vec![
                text(&r.id),
                Value::opt_date(r.date.as_deref().and_then(Day::parse)),
                text(&r.source),
                text(c.kind.as_str()),
                opt(&c.subject.code),
                Value::symbol(c.subject.code.as_deref()),
                opt(&c.subject.name),
                Value::opt_float(c.value),
                Value::opt_float(c.low),
                Value::opt_float(c.high),
                opt(&c.unit),
                opt(&c.qualifier),
                text(&c.text),
                Value::count(c.start),
                Value::count(c.end),
                opt(&c.metric),
                opt(&c.period),
                opt(&c.basis),
            ]);
        }
    }
    rows
}

fn export_claims(records: &[ArticleRecord], format: Format, path: &Path) -> ExportSummary {
    let options = ExportOptions {
        table: Table::Claims,
        format,
        filter: ExportFilter::default(),
        bom: false,
    };
    let items = records.iter().cloned().map(|r| Ok(r.into()));
    let destination = Destination::File(path.to_path_buf());
    export(items, &options, destination, &mut |e| panic!("{e}")).unwrap()
}

/// A text field parsed by its column type: empty is null, so empty text reads back as null.
fn parse(field: &str, ty: ColumnType) -> Value<'static> {
    if field.is_empty() {
        return Value::Null;
    }
    match ty {
        ColumnType::Text => Value::Text(Cow::Owned(field.to_string())),
        ColumnType::Int => Value::Int(field.parse().unwrap()),
        ColumnType::Float => Value::Float(field.parse().unwrap()),
        ColumnType::Date => Value::Date(Day::parse(field).unwrap()),
    }
}

fn read_csv(path: &Path, delimiter: u8) -> Vec<Vec<Value<'static>>> {
    let columns = Table::Claims.columns();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            r.iter().zip(columns).map(|(f, c)| parse(f, c.ty)).collect()
        })
        .collect()
}

fn read_jsonl(path: &Path) -> Vec<Vec<Value<'static>>> {
    let columns = Table::Claims.columns();
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let object: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(line).unwrap();
            columns
                .iter()
                .map(|c| match (&object[c.name], c.ty) {
                    (serde_json::Value::Null, _) => Value::Null,
                    (serde_json::Value::String(s), ColumnType::Date) => {
                        Value::Date(Day::parse(s).unwrap())
                    }
                    (serde_json::Value::String(s), _) => Value::Text(Cow::Owned(s.clone())),
                    (serde_json::Value::Number(n), ColumnType::Int) => {
                        Value::Int(n.as_i64().unwrap())
                    }
                    (serde_json::Value::Number(n), _) => Value::Float(n.as_f64().unwrap()),
                    (v, _) => panic!("{}: {v}", c.name),
                })
                .collect()
        })
        .collect()
}

fn read_parquet(path: &Path) -> Vec<Vec<Value<'static>>> {
    use ::parquet::file::reader::{FileReader, SerializedFileReader};
    use ::parquet::record::Field;
    let reader = SerializedFileReader::new(File::open(path).unwrap()).unwrap();
    let epoch = Day::from_ymd(1970, 1, 1).unwrap();
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(name, f)| match f {
                    Field::Null => Value::Null,
                    Field::Str(s) => Value::Text(Cow::Owned(s.clone())),
                    Field::Long(n) => Value::Int(*n),
                    Field::Double(x) => Value::Float(*x),
                    Field::Date(d) => Value::Date(date_after(epoch, *d)),
                    other => panic!("{name}: {other:?}"),
                })
                .collect()
        })
        .collect()
}

/// The date `days` after `epoch`, by search over the tested `days_since_epoch`.
fn date_after(epoch: Day, days: i32) -> Day {
    let year = 1970 + days.div_euclid(365);
    (year - 1..=year + 1)
        .flat_map(|y| (1..=12).flat_map(move |m| (1..=31).map(move |d| (y, m, d))))
        .filter_map(|(y, m, d)| Day::from_ymd(y, m, d))
        .find(|d| d.days_since_epoch() - epoch.days_since_epoch() == days)
        .unwrap()
}

fn read_xlsx(path: &Path) -> Vec<Vec<Value<'static>>> {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let columns = Table::Claims.columns();
    let epoch = Day::from_ymd(1970, 1, 1).unwrap();
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let range = workbook.worksheet_range("claims").unwrap();
    range
        .rows()
        .skip(1)
        .map(|row| {
            let mut cells: Vec<Value<'static>> = row
                .iter()
                .zip(columns)
                .map(|(cell, c)| match (cell, c.ty) {
                    (Data::Empty, _) => Value::Null,
                    (Data::String(s), _) => Value::Text(Cow::Owned(s.clone())),
                    (Data::Float(x), ColumnType::Int) => Value::Int(*x as i64),
                    (Data::Float(x), _) => Value::Float(*x),
                    (Data::DateTime(d), _) => {
                        Value::Date(date_after(epoch, d.as_f64() as i32 - 25_569))
                    }
                    (other, _) => panic!("{}: {other:?}", c.name),
                })
                .collect();
            cells.resize(columns.len(), Value::Null);
            cells
        })
        .collect()
}

/// Reads an exported file back into rows.
type ReadBack = fn(&Path) -> Vec<Vec<Value<'static>>>;

/// Empty text as null, for the formats that cannot tell them apart.
fn empty_as_null(rows: Vec<Vec<Value<'static>>>) -> Vec<Vec<Value<'static>>> {
    rows.into_iter()
        .map(|row| {
            row.into_iter()
                .map(|v| match v {
                    Value::Text(s) if s.is_empty() => Value::Null,
                    v => v,
                })
                .collect()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn claims_round_trip_through_every_format(records in proptest::collection::vec(record(), 0..4)) {
        let dir = tempfile::tempdir().unwrap();
        let want = expected(&records);
        let cases: [(Format, &str, ReadBack, bool); 5] = [
            (Format::Csv, "c.csv", |p| read_csv(p, b','), true),
            (Format::Tsv, "c.tsv", |p| read_csv(p, b'\t'), true),
            (Format::Jsonl, "c.jsonl", read_jsonl, false),
            (Format::Parquet, "c.parquet", read_parquet, false),
            (Format::Xlsx, "c.xlsx", read_xlsx, true),
        ];
        for (format, name, read, blurs_empty) in cases {
            let path = dir.path().join(name);
            let summary = export_claims(&records, format, &path);
            prop_assert_eq!(summary.rows, vec![want.len() as u64]);
            let (got, want) = if blurs_empty {
                (empty_as_null(read(&path)), empty_as_null(want.clone()))
            } else {
                (read(&path), want.clone())
            };
            prop_assert_eq!(got, want, "{}", format);
        }
    }
}

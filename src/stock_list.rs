//! A user's current stock list (code, name, former names) compared with the dictionaries and
//! written into the user dictionary's `stocks.tsv`.
//!
//! Companies rename and list every week; the built-in `dict/stocks.tsv` is as old as the binary.
//! `fupan dict update STOCKS.csv` reads a list the user has (CSV or TSV, with or without a
//! header), tells what changed against the dictionaries in use (renames, new codes, codes no
//! longer listed) and records the changes as rows of the user dictionary, which
//! [`Lexicon::load_from`](crate::lexicon::Lexicon::load_from) merges over the built-in one.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result, WithPath};
use crate::lexicon::{code_in_query, exchange_of, Lexicon};

/// One stock of a user's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedStock {
    /// Six-digit code.
    pub code: String,
    /// Current short name.
    pub name: String,
    /// Former names the list gives.
    pub former: Vec<String>,
}

/// A list read from a file: its stocks and the rows that could not be read (`path:line: why`).
#[derive(Debug, Default)]
pub struct StockList {
    /// The stocks, in file order (a code listed twice keeps its last row).
    pub stocks: Vec<ListedStock>,
    /// Rows that were skipped, each an error naming the file and line.
    pub bad_rows: Vec<Error>,
}

/// Header names of each column (lowercase; Chinese as the usual exports write them).
const CODE_HEADERS: &[&str] = &["code", "symbol", "ts_code", "代码", "股票代码", "证券代码"];
const NAME_HEADERS: &[&str] = &["name", "名称", "简称", "股票简称", "证券简称", "股票名称"];
const FORMER_HEADERS: &[&str] = &["former", "former_names", "formers", "forms", "曾用名"];

impl StockList {
    /// Reads a list: comma- or tab-separated (a tab in the first line means tabs), a header
    /// when the first row's first field is not a code (columns then found by name: code /
    /// symbol / 代码, name / 名称 / 简称, former_names / 曾用名), else code, name, former names.
    /// Former names are separated by `|`, `;` or `；`. Codes may carry their exchange
    /// (`603629.SH`, `sh603629`).
    pub fn read(path: &Path) -> Result<StockList> {
        let bytes = std::fs::read(path).with_path(path)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::bad_input(path.display().to_string(), "not UTF-8 text"))?;
        Ok(StockList::parse(&path.display().to_string(), &text))
    }

    /// Parses a list's text; `name` is the file as messages name it.
    pub fn parse(name: &str, text: &str) -> StockList {
        let text = text.trim_start_matches('\u{feff}');
        let first = text.lines().next().unwrap_or("");
        let delimiter = if first.contains('\t') { b'\t' } else { b',' };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut list = StockList::default();
        let mut columns = (0, 1, Some(2));
        let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
        for (i, record) in reader.records().enumerate() {
            let line = record
                .as_ref()
                .ok()
                .and_then(|r| r.position())
                .map_or(i + 1, |p| p.line() as usize);
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let message = format!("line {line}: not a CSV row");
                    list.bad_rows
                        .push(Error::bad_input(name, message).because(e));
                    continue;
                }
            };
            if i == 0 && code_in_query(record.get(0).unwrap_or("")).is_none() {
                columns = header_columns(&record);
                continue;
            }
            match listed_stock(&record, columns) {
                Ok(stock) => match by_code.get(&stock.code) {
                    Some(&at) => list.stocks[at] = stock,
                    None => {
                        by_code.insert(stock.code.clone(), list.stocks.len());
                        list.stocks.push(stock);
                    }
                },
                Err(why) => {
                    let message = format!("line {line}: {why}");
                    list.bad_rows.push(Error::bad_input(name, message));
                }
            }
        }
        list
    }
}

/// Which columns hold the code, the name and the former names, by a header row's names.
fn header_columns(header: &csv::StringRecord) -> (usize, usize, Option<usize>) {
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
    };
    (
        find(CODE_HEADERS).unwrap_or(0),
        find(NAME_HEADERS).unwrap_or(1),
        find(FORMER_HEADERS),
    )
}

fn listed_stock(
    record: &csv::StringRecord,
    (code, name, former): (usize, usize, Option<usize>),
) -> std::result::Result<ListedStock, String> {
    let raw = record.get(code).unwrap_or("");
    let code = code_in_query(raw).ok_or_else(|| format!("{raw:?} is not a six-digit code"))?;
    let name = record.get(name).unwrap_or("").trim();
    if name.is_empty() {
        return Err(format!("code {code} has no name"));
    }
    let former = former
        .and_then(|i| record.get(i))
        .unwrap_or("")
        .split(['|', ';', '；'])
        .map(str::trim)
        .filter(|f| !f.is_empty() && *f != name)
        .map(str::to_string)
        .collect();
    Ok(ListedStock {
        code: code.to_string(),
        name: name.to_string(),
        former,
    })
}

/// A renamed stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    /// Six-digit code.
    pub code: String,
    /// The name the dictionaries had.
    pub from: String,
    /// The list's name.
    pub to: String,
}

/// What a list changes in the dictionaries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StockChanges {
    /// Codes whose name changed.
    pub renamed: Vec<Rename>,
    /// Codes the dictionaries did not have: `(code, name)`.
    pub added: Vec<(String, String)>,
    /// Codes listed in the dictionaries and missing from the list: `(code, name)` (none when
    /// the list is taken as partial).
    pub removed: Vec<(String, String)>,
    /// Codes the list gives with the dictionaries' name.
    pub unchanged: usize,
}

impl StockChanges {
    /// Compares a list with the dictionaries. With `complete`, listed codes missing from the
    /// list count as removed (delisted).
    pub fn between(lexicon: &Lexicon, list: &[ListedStock], complete: bool) -> StockChanges {
        let mut changes = StockChanges::default();
        for stock in list {
            match lexicon.stock_by_code(&stock.code) {
                None => changes.added.push((stock.code.clone(), stock.name.clone())),
                Some((_, known)) if known.name != stock.name => changes.renamed.push(Rename {
                    code: stock.code.clone(),
                    from: known.name.clone(),
                    to: stock.name.clone(),
                }),
                Some(_) => changes.unchanged += 1,
            }
        }
        if complete {
            let in_list: std::collections::HashSet<&str> =
                list.iter().map(|s| s.code.as_str()).collect();
            changes.removed = lexicon
                .stocks
                .iter()
                .filter(|s| s.listed && !in_list.contains(s.code.as_str()))
                .map(|s| (s.code.clone(), s.name.clone()))
                .collect();
        }
        changes
    }

    /// True when the list changes nothing.
    pub fn is_empty(&self) -> bool {
        self.renamed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

/// The header of a `stocks.tsv`.
const STOCKS_HEADER: &str = "code\texchange\tname\tforms\tfull_name\tindustry\tstatus";

/// Writes the changes into `dir/stocks.tsv` of a user dictionary (created when absent), keeping
/// the rows it had for other codes: a renamed or new code gets a row with its name and its
/// former names (the old name among them), a removed one a row with status `D`.
pub fn write_changes(
    dir: &Path,
    lexicon: &Lexicon,
    list: &[ListedStock],
    changes: &StockChanges,
) -> Result<std::path::PathBuf> {
    std::fs::create_dir_all(dir).with_path(dir)?;
    let path = dir.join("stocks.tsv");
    let mut rows: BTreeMap<String, String> = BTreeMap::new();
    if path.is_file() {
        let old = std::fs::read_to_string(&path).with_path(&path)?;
        for line in old.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let code = line.split('\t').next().unwrap_or("").trim().to_string();
            rows.insert(code, line.to_string());
        }
    }
    let by_code: BTreeMap<&str, &ListedStock> = list.iter().map(|s| (s.code.as_str(), s)).collect();
    let renamed = changes.renamed.iter().map(|r| (&r.code, Some(&r.from)));
    let added = changes.added.iter().map(|(code, _)| (code, None));
    for (code, old_name) in renamed.chain(added) {
        let stock = by_code[code.as_str()];
        let mut forms: Vec<&str> = stock.former.iter().map(String::as_str).collect();
        forms.extend(old_name.map(String::as_str));
        forms.dedup();
        let exchange = lexicon
            .stock_by_code(code)
            .map_or_else(|| exchange_of(code), |(_, s)| s.exchange.as_str());
        let row = format!(
            "{code}\t{exchange}\t{}\t{}\t\t\tL",
            clean(&stock.name),
            forms.iter().map(|f| clean(f)).collect::<Vec<_>>().join("|")
        );
        rows.insert(code.clone(), row);
    }
    for (code, name) in &changes.removed {
        let exchange = lexicon.stock_by_code(code).map_or("", |(_, s)| &s.exchange);
        rows.insert(code.clone(), format!("{code}\t{exchange}\t{name}\t\t\t\tD"));
    }
    let mut text = String::from(STOCKS_HEADER);
    text.push('\n');
    for row in rows.values() {
        text.push_str(row);
        text.push('\n');
    }
    // written whole beside the old file, then moved over it: a crash leaves one or the other
    let partial = dir.join(".stocks.tsv.partial");
    std::fs::write(&partial, text).with_path(&partial)?;
    std::fs::rename(&partial, &path).with_path(&path)?;
    Ok(path)
}

/// A name as a TSV field: no tabs, line breaks or list separators.
fn clean(name: &str) -> String {
    name.replace(['\t', '\n', '\r', '|'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_read_with_or_without_a_header() {
        let cases = [
            ("code,name\n603629,利通电子\n", 1),
            ("603629,利通电子,旧名\n000001,平安银行\n", 2),
            ("名称\t代码\n利通电子\t603629.SH\n", 1),
        ];
        for (text, n) in cases {
            let list = StockList::parse("t.csv", text);
            assert_eq!(list.stocks.len(), n, "{text}");
            assert!(list.bad_rows.is_empty(), "{text}");
            assert_eq!(list.stocks[0].code, "603629");
            assert_eq!(list.stocks[0].name, "利通电子");
        }
    }

    #[test]
    fn a_bad_row_names_its_line_and_the_rest_is_read() {
        let list = StockList::parse("t.csv", "code,name\n60362,坏\n603629,利通电子\n");
        assert_eq!(list.stocks.len(), 1);
        assert_eq!(list.bad_rows.len(), 1);
        assert!(list.bad_rows[0].to_string().contains("t.csv: line 2"));
    }
}

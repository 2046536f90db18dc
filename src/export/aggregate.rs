//! The summary tables: `stock_daily` (date × stock), `concept_daily` (date × concept) and
//! `cooccurrence` (stock × concept).
//!
//! Each is a map keyed by its row key, filled article by article and written once the input
//! ends; memory grows with the number of distinct keys, not with the number of articles. Rows come
//! out sorted by date (undated last), then by code or name, so the output is reproducible.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::error::Result;
use crate::model::{ArticleRecord, ClaimKind};

use super::filter::ExportFilter;
use super::tables::{record_date, Emit, STOCK_KINDS};
use super::value::Value;
use crate::calendar::Day;

/// How many co-mentioned stocks `concept_daily` lists.
const TOP_STOCKS: usize = 5;

/// Row key of the daily tables: dated rows first, in date order.
type DayKey = (bool, Option<Day>, String);

fn day_key(date: Option<Day>, name: &str) -> DayKey {
    (date.is_none(), date, name.to_string())
}

fn count(n: u64) -> Value<'static> {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// One stock on one day.
#[derive(Debug, Default)]
struct StockDay {
    name: String,
    articles: u64,
    mentions: u64,
    claims: u64,
    by_kind: [u64; STOCK_KINDS.len()],
    max_streak: Option<f64>,
}

/// `stock_daily`: articles, mentions and claims per stock and day.
#[derive(Debug, Default)]
pub(crate) struct StockDaily {
    days: BTreeMap<DayKey, StockDay>,
}

impl StockDaily {
    /// Counts one kept article.
    pub(crate) fn add(&mut self, record: &ArticleRecord, filter: &ExportFilter) {
        let date = record_date(record);
        let mut seen = BTreeSet::new();
        for s in record
            .stocks
            .iter()
            .filter(|s| filter.keeps_stock(&s.code, &s.name))
        {
            let day = self.day(date, &s.code, &s.name);
            day.mentions += s.count as u64;
            seen.insert(s.code.as_str());
        }
        for c in record.claims.iter().filter(|c| filter.keeps_claim(c)) {
            let Some(code) = c.subject.code.as_deref() else {
                continue;
            };
            let day = self.day(date, code, c.subject.name.as_deref().unwrap_or(""));
            day.claims += 1;
            if let Some(i) = STOCK_KINDS.iter().position(|&k| k == c.kind) {
                day.by_kind[i] += 1;
            }
            if c.kind == ClaimKind::LimitUpStreak {
                day.max_streak = match (day.max_streak, c.value.or(c.high)) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }
            seen.insert(code);
        }
        for code in seen {
            self.day(date, code, "").articles += 1;
        }
    }

    fn day(&mut self, date: Option<Day>, code: &str, name: &str) -> &mut StockDay {
        let day = self.days.entry(day_key(date, code)).or_default();
        if day.name.is_empty() {
            day.name = name.to_string();
        }
        day
    }

    /// Writes the rows.
    pub(crate) fn finish(self, emit: &mut Emit<'_>) -> Result<()> {
        for ((_, date, code), day) in self.days {
            let mut row = vec![
                Value::opt_date(date),
                Value::str(&code),
                Value::symbol(Some(&code)),
                Value::str(&day.name),
                count(day.articles),
                count(day.mentions),
                count(day.claims),
            ];
            row.extend(day.by_kind.iter().map(|&n| count(n)));
            row.push(Value::opt_float(day.max_streak));
            emit(&row)?;
        }
        Ok(())
    }
}

/// A stock mentioned alongside a concept.
#[derive(Debug, Default)]
struct CoStock {
    name: String,
    articles: u64,
    mentions: u64,
}

/// One concept on one day.
#[derive(Debug, Default)]
struct ConceptDay {
    articles: u64,
    mentions: u64,
    stocks: HashMap<String, CoStock>,
}

impl ConceptDay {
    /// `利通电子(603629):3; …`, the stocks in most articles first (then most mentions, then code).
    fn top_stocks(&self) -> String {
        let mut stocks: Vec<(&String, &CoStock)> = self.stocks.iter().collect();
        stocks.sort_by(|a, b| {
            (b.1.articles, b.1.mentions)
                .cmp(&(a.1.articles, a.1.mentions))
                .then_with(|| a.0.cmp(b.0))
        });
        stocks
            .iter()
            .take(TOP_STOCKS)
            .map(|(code, s)| format!("{}({code}):{}", s.name, s.articles))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// `concept_daily`: articles and mentions per concept and day, with the stocks most often
/// mentioned in the same articles.
#[derive(Debug, Default)]
pub(crate) struct ConceptDaily {
    days: BTreeMap<DayKey, ConceptDay>,
}

impl ConceptDaily {
    /// Counts one kept article.
    pub(crate) fn add(&mut self, record: &ArticleRecord, filter: &ExportFilter) {
        let date = record_date(record);
        for concept in record
            .concepts
            .iter()
            .filter(|c| filter.keeps_concept(&c.name))
        {
            let day = self.days.entry(day_key(date, &concept.name)).or_default();
            day.articles += 1;
            day.mentions += concept.count as u64;
            for s in &record.stocks {
                let co = day.stocks.entry(s.code.clone()).or_default();
                if co.name.is_empty() {
                    co.name = s.name.clone();
                }
                co.articles += 1;
                co.mentions += s.count as u64;
            }
        }
    }

    /// Writes the rows.
    pub(crate) fn finish(self, emit: &mut Emit<'_>) -> Result<()> {
        for ((_, date, concept), day) in self.days {
            emit(&[
                Value::opt_date(date),
                Value::str(&concept),
                count(day.articles),
                count(day.mentions),
                Value::Text(day.top_stocks().into()),
            ])?;
        }
        Ok(())
    }
}

/// `cooccurrence`: for each stock and concept, the number of articles mentioning both.
#[derive(Debug, Default)]
pub(crate) struct Cooccurrence {
    pairs: HashMap<(String, String), u64>,
    names: HashMap<String, String>,
}

impl Cooccurrence {
    /// Counts one kept article.
    pub(crate) fn add(&mut self, record: &ArticleRecord, filter: &ExportFilter) {
        let concepts: Vec<&str> = record
            .concepts
            .iter()
            .map(|c| c.name.as_str())
            .filter(|c| filter.keeps_concept(c))
            .collect();
        for s in record
            .stocks
            .iter()
            .filter(|s| filter.keeps_stock(&s.code, &s.name))
        {
            self.names
                .entry(s.code.clone())
                .or_insert_with(|| s.name.clone());
            for &c in &concepts {
                *self
                    .pairs
                    .entry((s.code.clone(), c.to_string()))
                    .or_default() += 1;
            }
        }
    }

    /// Writes the rows, the most frequent pairs first.
    pub(crate) fn finish(self, emit: &mut Emit<'_>) -> Result<()> {
        let mut pairs: Vec<_> = self.pairs.into_iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for ((code, concept), n) in pairs {
            let name = self.names.get(&code).map_or("", String::as_str);
            emit(&[
                Value::str(&code),
                Value::symbol(Some(&code)),
                Value::str(name),
                Value::str(&concept),
                count(n),
            ])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Claim, NamedHit, StockHit, Subject};

    fn stock(code: &str, name: &str, count: usize) -> StockHit {
        StockHit {
            code: code.into(),
            exchange: "SH".into(),
            name: name.into(),
            count,
            mentions: Vec::new(),
        }
    }

    fn concept(name: &str, count: usize) -> NamedHit {
        NamedHit {
            name: name.into(),
            count,
            mentions: Vec::new(),
        }
    }

    fn streak(code: &str, name: &str, n: f64) -> Claim {
        Claim {
            kind: ClaimKind::LimitUpStreak,
            subject: Subject {
                code: Some(code.into()),
                name: Some(name.into()),
            },
            value: Some(n),
            low: None,
            high: None,
            unit: Some("板".into()),
            qualifier: None,
            text: format!("{n}连板"),
            start: 0,
            end: 0,
            metric: None,
            period: None,
            basis: None,
            sentence: None,
        }
    }

    fn record(
        date: &str,
        stocks: Vec<StockHit>,
        concepts: Vec<NamedHit>,
        claims: Vec<Claim>,
    ) -> ArticleRecord {
        ArticleRecord {
            id: date.into(),
            input_id: None,
            source: "s".into(),
            title: None,
            date: Some(date.into()),
            date_source: None,
            author: None,
            chars: 0,
            stocks,
            concepts,
            organizations: Vec::new(),
            claims,
            warnings: Vec::new(),
        }
    }

    fn rows(finish: impl FnOnce(&mut Emit<'_>) -> Result<()>) -> Vec<String> {
        let mut out = Vec::new();
        finish(&mut |row: &[Value<'_>]| {
            let cells: Vec<String> = row.iter().map(Value::to_string).collect();
            out.push(cells.join("|"));
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn stock_daily_counts_articles_mentions_and_streaks() {
        let mut table = StockDaily::default();
        let filter = ExportFilter::default();
        let a = record(
            "2024-03-22",
            vec![stock("603580", "艾艾精工", 2)],
            vec![],
            vec![
                streak("603580", "艾艾精工", 12.0),
                streak("603580", "艾艾精工", 13.0),
            ],
        );
        let b = record(
            "2024-03-22",
            vec![stock("603580", "艾艾精工", 1)],
            vec![],
            vec![],
        );
        let c = record(
            "2024-03-21",
            vec![],
            vec![],
            vec![streak("603261", "立航科技", 3.0)],
        );
        for r in [&a, &b, &c] {
            table.add(r, &filter);
        }
        assert_eq!(
            rows(|e| table.finish(e)),
            [
                "2024-03-21|603261|603261.SH|立航科技|1|0|1|0|0|1|0|0|3",
                "2024-03-22|603580|603580.SH|艾艾精工|2|3|2|0|0|2|0|0|13",
            ]
        );
    }

    #[test]
    fn concept_daily_lists_co_mentioned_stocks() {
        let mut table = ConceptDaily::default();
        let filter = ExportFilter::default();
        let stocks = vec![
            stock("300442", "润泽科技", 1),
            stock("603629", "利通电子", 3),
        ];
        let a = record(
            "2024-03-22",
            stocks.clone(),
            vec![concept("算力租赁", 2)],
            vec![],
        );
        let b = record(
            "2024-03-22",
            stocks[1..].to_vec(),
            vec![concept("算力租赁", 1)],
            vec![],
        );
        table.add(&a, &filter);
        table.add(&b, &filter);
        assert_eq!(
            rows(|e| table.finish(e)),
            ["2024-03-22|算力租赁|2|3|利通电子(603629):2; 润泽科技(300442):1"]
        );
    }

    #[test]
    fn cooccurrence_counts_articles_with_both() {
        let mut table = Cooccurrence::default();
        let filter = ExportFilter {
            concept: Some("算力租赁".into()),
            ..ExportFilter::default()
        };
        let concepts = vec![concept("算力租赁", 1), concept("低空经济", 1)];
        let a = record(
            "2024-03-22",
            vec![stock("603629", "利通电子", 1)],
            concepts.clone(),
            vec![],
        );
        let b = record(
            "2024-03-23",
            vec![stock("603629", "利通电子", 1)],
            concepts,
            vec![],
        );
        table.add(&a, &filter);
        table.add(&b, &filter);
        assert_eq!(
            rows(|e| table.finish(e)),
            ["603629|603629.SH|利通电子|算力租赁|2"]
        );
    }
}

//! The tables and their columns, and the three tables streamed row by row from each article:
//! `articles`, `mentions` and `claims`. The daily and co-occurrence tables are in
//! [`super::aggregate`].

use std::str::FromStr;

use crate::error::Result;
use crate::model::{ArticleRecord, ClaimKind, DateSource};

use super::columns::{
    ARTICLE_COLUMNS, CLAIM_COLUMNS, CONCEPT_DAILY_COLUMNS, COOCCURRENCE_COLUMNS, MENTION_COLUMNS,
    STOCK_DAILY_COLUMNS,
};
use super::filter::ExportFilter;
use super::input::SourceArticle;
use super::value::{Column, Value};
use crate::calendar::Day;

/// A table `fupan export` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// One row per article.
    Articles,
    /// One row per (article, stock).
    Mentions,
    /// One row per claim.
    Claims,
    /// One row per (date, stock).
    StockDaily,
    /// One row per (date, concept).
    ConceptDaily,
    /// One row per (stock, concept) mentioned in the same articles.
    Cooccurrence,
    /// Every table, one sheet each (xlsx only).
    All,
}

impl Table {
    /// Every real table, in the order of the `all` workbook.
    pub const EACH: [Table; 6] = [
        Table::Articles,
        Table::Mentions,
        Table::Claims,
        Table::StockDaily,
        Table::ConceptDaily,
        Table::Cooccurrence,
    ];

    /// The name on the command line and of the xlsx sheet.
    pub fn name(self) -> &'static str {
        match self {
            Table::Articles => "articles",
            Table::Mentions => "mentions",
            Table::Claims => "claims",
            Table::StockDaily => "stock_daily",
            Table::ConceptDaily => "concept_daily",
            Table::Cooccurrence => "cooccurrence",
            Table::All => "all",
        }
    }

    /// The tables this one writes: itself, or every table for [`Table::All`].
    pub fn parts(self) -> Vec<Table> {
        match self {
            Table::All => Table::EACH.to_vec(),
            t => vec![t],
        }
    }

    /// The columns, in order (none for [`Table::All`]).
    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Articles => ARTICLE_COLUMNS,
            Table::Mentions => MENTION_COLUMNS,
            Table::Claims => CLAIM_COLUMNS,
            Table::StockDaily => STOCK_DAILY_COLUMNS,
            Table::ConceptDaily => CONCEPT_DAILY_COLUMNS,
            Table::Cooccurrence => COOCCURRENCE_COLUMNS,
            Table::All => &[],
        }
    }
}

impl FromStr for Table {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Table, String> {
        Table::EACH
            .into_iter()
            .chain([Table::All])
            .find(|t| t.name() == s)
            .ok_or_else(|| {
                format!("unknown table {s:?} (articles, mentions, claims, stock_daily, concept_daily, cooccurrence, all)")
            })
    }
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Receives rows, in column order, and passes them on to a format.
pub(crate) type Emit<'e> = dyn FnMut(&[Value<'_>]) -> Result<()> + 'e;

/// The article's date as a typed value (null when absent or malformed).
pub(crate) fn record_date(record: &ArticleRecord) -> Option<Day> {
    record.date.as_deref().and_then(Day::parse)
}

/// The `articles` row of an article.
pub(crate) fn article_row(article: &SourceArticle, emit: &mut Emit<'_>) -> Result<()> {
    let r = &article.record;
    emit(&[
        Value::str(&r.id),
        Value::str(&r.source),
        Value::opt_str(r.title.as_deref()),
        Value::opt_date(record_date(r)),
        Value::opt_str(r.date_source.map(DateSource::as_str)),
        Value::opt_str(r.author.as_deref()),
        Value::count(r.chars),
        Value::count(r.stocks.len()),
        Value::count(r.concepts.len()),
        Value::count(r.claims.len()),
    ])
}

/// The `mentions` rows of an article: one per stock the filter keeps.
pub(crate) fn mention_rows(
    article: &SourceArticle,
    filter: &ExportFilter,
    emit: &mut Emit<'_>,
) -> Result<()> {
    let r = &article.record;
    let date = Value::opt_date(record_date(r));
    for stock in r
        .stocks
        .iter()
        .filter(|s| filter.keeps_stock(&s.code, &s.name))
    {
        let first = stock.mentions.first();
        let sentence = first
            .zip(article.text.as_deref())
            .and_then(|(m, text)| sentence_at(text, m.start, m.end));
        emit(&[
            Value::str(&r.id),
            date.clone(),
            Value::str(&stock.code),
            Value::symbol(Some(&stock.code)),
            Value::str(&stock.name),
            Value::count(stock.count),
            first.map_or(Value::Null, |m| Value::count(m.start)),
            Value::opt_str(sentence),
        ])?;
    }
    Ok(())
}

/// The `claims` rows of an article: one per claim the filter keeps.
pub(crate) fn claim_rows(
    article: &SourceArticle,
    filter: &ExportFilter,
    emit: &mut Emit<'_>,
) -> Result<()> {
    let r = &article.record;
    let date = Value::opt_date(record_date(r));
    for claim in r.claims.iter().filter(|c| filter.keeps_claim(c)) {
        emit(&[
            Value::str(&r.id),
            date.clone(),
            Value::str(&r.source),
            Value::str(claim.kind.as_str()),
            Value::opt_str(claim.subject.code.as_deref()),
            Value::symbol(claim.subject.code.as_deref()),
            Value::opt_str(claim.subject.name.as_deref()),
            Value::opt_float(claim.value),
            Value::opt_float(claim.low),
            Value::opt_float(claim.high),
            Value::opt_str(claim.unit.as_deref()),
            Value::opt_str(claim.qualifier.as_deref()),
            Value::str(&claim.text),
            Value::count(claim.start),
            Value::count(claim.end),
            Value::opt_str(claim.metric.as_deref()),
            Value::opt_str(claim.period.as_deref()),
            Value::opt_str(claim.basis.as_deref()),
        ])?;
    }
    Ok(())
}

/// Characters that end a sentence in a recap (lists are one item per line).
const SENTENCE_ENDS: &[char] = &['。', '！', '？', '!', '?', '\n'];

/// Longest sentence kept, in bytes either side of the mention: some recaps run a whole section
/// without a full stop, and a cell of several kilobytes is not a sentence.
const SENTENCE_REACH: usize = 240;

/// The sentence around `text[start..end]`, trimmed, with its closing punctuation; `None` when the
/// span does not fit the text (a record exported against another text).
pub(crate) fn sentence_at(text: &str, start: usize, end: usize) -> Option<&str> {
    if start > end
        || end > text.len()
        || !text.is_char_boundary(start)
        || !text.is_char_boundary(end)
    {
        return None;
    }
    let from = text[..start]
        .rfind(SENTENCE_ENDS)
        .map_or(0, |i| i + char_len_at(text, i));
    let to = text[end..].find(SENTENCE_ENDS).map_or(text.len(), |i| {
        let stop = end + i;
        if text[stop..].starts_with('\n') {
            stop
        } else {
            stop + char_len_at(text, stop)
        }
    });
    let from = from.max(text.floor_char_boundary(start.saturating_sub(SENTENCE_REACH)));
    let to = to.min(text.ceil_char_boundary(end + SENTENCE_REACH));
    Some(text[from..to].trim())
}

fn char_len_at(text: &str, i: usize) -> usize {
    text[i..].chars().next().map_or(0, char::len_utf8)
}

/// The claim kinds counted per stock in `stock_daily`, in column order.
pub(crate) const STOCK_KINDS: [ClaimKind; 5] = [
    ClaimKind::LimitUp,
    ClaimKind::LimitDown,
    ClaimKind::LimitUpStreak,
    ClaimKind::ComputeCapacity,
    ClaimKind::EarningsGrowth,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_is_cut_at_punctuation_and_lines() {
        let text = "大盘震荡。利通电子在手3000P！后排跟风\n8、润泽科技业绩增长";
        let cases = [
            ("利通电子", Some("利通电子在手3000P！")),
            ("后排", Some("后排跟风")),
            ("润泽科技", Some("8、润泽科技业绩增长")),
            ("大盘", Some("大盘震荡。")),
        ];
        for (word, want) in cases {
            let start = text.find(word).unwrap();
            assert_eq!(sentence_at(text, start, start + word.len()), want, "{word}");
        }
    }

    #[test]
    fn sentence_of_a_span_outside_the_text_is_none() {
        let text = "利通电子";
        let cases = [(0, 99), (1, 3), (6, 3)];
        for (start, end) in cases {
            assert_eq!(sentence_at(text, start, end), None, "{start}..{end}");
        }
    }

    #[test]
    fn sentence_without_punctuation_is_bounded() {
        let text = "涨".repeat(1000) + "利通电子" + &"跌".repeat(1000);
        let start = text.find("利通电子").unwrap();
        let sentence = sentence_at(&text, start, start + 12).unwrap();
        assert!(sentence.contains("利通电子"));
        assert!(sentence.len() <= 12 + 2 * SENTENCE_REACH + 6);
    }

    #[test]
    fn table_names_parse_back() {
        for t in Table::EACH.into_iter().chain([Table::All]) {
            assert_eq!(t.name().parse::<Table>(), Ok(t));
        }
        assert!("claim".parse::<Table>().is_err());
    }
}

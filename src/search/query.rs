//! The query language: words, phrases, OR, -term and the `field:value` filters, parsed into
//! clauses.

use std::fmt;

use crate::calendar::DateRange;
use crate::error::{Error, Result};
use crate::model::ClaimKind;

/// A parsed query: clauses that must all hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryAst {
    /// The clauses, in query order.
    pub clauses: Vec<Clause>,
}

/// One clause: any of its alternatives (joined by `OR`) must match, or, negated, none.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// `-term`: documents matching it are excluded.
    pub negated: bool,
    /// The alternatives.
    pub any_of: Vec<Atom>,
}

/// The smallest piece of a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Atom {
    /// Unquoted text: segmented; every token must match, adjacent tokens rank higher.
    Words(String),
    /// Quoted text: the tokens must appear in this order, adjacent.
    Phrase(String),
    /// A filter on metadata.
    QueryFilter(QueryFilter),
}

/// A filter on what fupan found in an article (or on a claim).
#[derive(Debug, Clone, PartialEq)]
pub enum QueryFilter {
    /// Mentions the stock (for claims: is about it), by name, former name, nickname or code.
    Stock(String),
    /// Mentions the concept, by name or alias.
    Concept(String),
    /// Dated within the range.
    Date(DateRange),
    /// Has a claim of this kind (for claims: is of this kind).
    Kind(ClaimKind),
    /// Written by an author whose name contains this text.
    Author(String),
    /// From a source (file, record or archive member) whose name contains this text.
    Source(String),
}

pub(super) fn query_error(query: &str, message: impl Into<String>) -> Error {
    Error::query(query, message)
}

/// A filter value's error as an error of the whole query (said once, naming the query the user
/// typed rather than the part that failed).
fn in_query(e: Error, query: &str) -> Error {
    match e {
        Error::Query { message, cause, .. } => Error::Query {
            query: query.to_string(),
            message,
            cause,
        },
        other => other,
    }
}

impl QueryFilter {
    /// A filter from a `field:value` pair; `None` when `field` is not a filter name.
    pub fn parse(field: &str, value: &str) -> Option<Result<QueryFilter>> {
        let value = value.trim();
        let filter = match field.to_lowercase().as_str() {
            "stock" => Ok(QueryFilter::Stock(value.to_string())),
            "concept" => Ok(QueryFilter::Concept(value.to_string())),
            "date" => DateRange::parse(value).map(QueryFilter::Date),
            "kind" => QueryFilter::kind(value),
            "author" => Ok(QueryFilter::Author(value.to_string())),
            "source" => Ok(QueryFilter::Source(value.to_string())),
            _ => return None,
        };
        Some(filter.and_then(|f| match value.is_empty() {
            true => Err(query_error(field, format!("{field}: needs a value"))),
            false => Ok(f),
        }))
    }

    /// A claim kind filter from its snake_case name.
    pub fn kind(name: &str) -> Result<QueryFilter> {
        ClaimKind::parse(name)
            .map(QueryFilter::Kind)
            .ok_or_else(|| {
                let kinds: Vec<_> = ClaimKind::ALL.iter().map(|k| k.as_str()).collect();
                query_error(
                    name,
                    format!("unknown claim kind; one of {}", kinds.join(", ")),
                )
            })
    }
}

/// A word of the query as the lexer sees it.
#[derive(Debug)]
struct Lexeme {
    negated: bool,
    field: Option<String>,
    text: String,
    quoted: bool,
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '「')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '”' | '」')
}

fn is_filter_name(name: &str) -> bool {
    matches!(
        name.to_lowercase().as_str(),
        "stock" | "concept" | "date" | "kind" | "author" | "source"
    )
}

/// Splits a query into lexemes: `-`, `field:`, quoted text and bare words.
fn lex(query: &str) -> Result<Vec<Lexeme>> {
    let mut out = Vec::new();
    let mut chars = query.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            return Ok(out);
        };
        let negated = first == '-' && chars.next().is_some();
        let mut lexeme = Lexeme {
            negated,
            field: None,
            text: String::new(),
            quoted: false,
        };
        while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
            if is_open_quote(c) && lexeme.text.is_empty() {
                lexeme.text =
                    quoted(&mut chars).ok_or_else(|| query_error(query, "unclosed quote"))?;
                lexeme.quoted = true;
                break;
            }
            if matches!(c, ':' | '：') && lexeme.field.is_none() && is_filter_name(&lexeme.text) {
                lexeme.field = Some(std::mem::take(&mut lexeme.text).to_lowercase());
                continue;
            }
            lexeme.text.push(c);
        }
        if !lexeme.text.is_empty() || lexeme.field.is_some() {
            out.push(lexeme);
        }
    }
}

/// The text up to the closing quote (consumed); `None` when there is none.
fn quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    let mut text = String::new();
    for c in chars.by_ref() {
        if is_close_quote(c) {
            return Some(text);
        }
        text.push(c);
    }
    None
}

impl QueryAst {
    /// Parses a query string.
    pub fn parse(query: &str) -> Result<QueryAst> {
        let mut ast = QueryAst::default();
        let mut or_pending = false;
        for lexeme in lex(query)? {
            let bare = !lexeme.quoted && lexeme.field.is_none() && !lexeme.negated;
            if bare && lexeme.text == "AND" {
                continue;
            }
            if bare && lexeme.text == "OR" {
                if ast.clauses.is_empty() || or_pending {
                    return Err(query_error(query, "OR needs a term on each side"));
                }
                or_pending = true;
                continue;
            }
            let atom = atom(&lexeme, query)?;
            match ast.clauses.last_mut() {
                Some(last) if or_pending => {
                    if last.negated || lexeme.negated {
                        return Err(query_error(query, "a -term cannot be part of an OR"));
                    }
                    last.any_of.push(atom);
                }
                _ => ast.clauses.push(Clause {
                    negated: lexeme.negated,
                    any_of: vec![atom],
                }),
            }
            or_pending = false;
        }
        if or_pending {
            return Err(query_error(query, "OR needs a term on each side"));
        }
        Ok(ast)
    }
}

fn atom(lexeme: &Lexeme, query: &str) -> Result<Atom> {
    match &lexeme.field {
        Some(field) => match QueryFilter::parse(field, &lexeme.text) {
            Some(filter) => filter
                .map(Atom::QueryFilter)
                .map_err(|e| in_query(e, query)),
            None => Ok(Atom::Words(format!("{field}:{}", lexeme.text))),
        },
        None if lexeme.quoted => Ok(Atom::Phrase(lexeme.text.clone())),
        None => Ok(Atom::Words(lexeme.text.clone())),
    }
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Atom::Words(w) => write!(f, "{w}"),
            Atom::Phrase(p) => write!(f, "\"{p}\""),
            Atom::QueryFilter(QueryFilter::Stock(s)) => write!(f, "stock:{s}"),
            Atom::QueryFilter(QueryFilter::Concept(c)) => write!(f, "concept:{c}"),
            Atom::QueryFilter(QueryFilter::Kind(k)) => write!(f, "kind:{k}"),
            Atom::QueryFilter(QueryFilter::Author(a)) => write!(f, "author:{a}"),
            Atom::QueryFilter(QueryFilter::Source(s)) => write!(f, "source:{s}"),
            Atom::QueryFilter(QueryFilter::Date(r)) => {
                let end = |d: Option<i64>| d.map(|d| d.to_string()).unwrap_or_default();
                write!(f, "date:{}..{}", end(r.from), end(r.to))
            }
        }
    }
}

/// Canonical form, for tests and `--verbose`: `+a -b +(c | d)`.
impl fmt::Display for QueryAst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, clause) in self.clauses.iter().enumerate() {
            let sign = if clause.negated { '-' } else { '+' };
            let atoms: Vec<String> = clause.any_of.iter().map(Atom::to_string).collect();
            let sep = if i == 0 { "" } else { " " };
            match atoms.len() {
                1 => write!(f, "{sep}{sign}{}", atoms[0])?,
                _ => write!(f, "{sep}{sign}({})", atoms.join(" | "))?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_parse_to_clauses() {
        let cases = [
            ("在手算力", "+在手算力"),
            ("在手 算力", "+在手 +算力"),
            ("在手 AND 算力", "+在手 +算力"),
            ("\"在手 算力\"", "+\"在手 算力\""),
            ("“在手算力”", "+\"在手算力\""),
            ("算力 OR 租赁 利通", "+(算力 | 租赁) +利通"),
            ("a OR b OR c", "+(a | b | c)"),
            ("算力 -减持", "+算力 -减持"),
            ("-\"净卖出\"", "-\"净卖出\""),
            ("stock:利通电子", "+stock:利通电子"),
            ("stock：603629", "+stock:603629"),
            ("Stock:利通电子", "+stock:利通电子"),
            ("concept:\"AI 应用\"", "+concept:AI 应用"),
            ("kind:compute_capacity", "+kind:compute_capacity"),
            ("author:老王 source:taoguba", "+author:老王 +source:taoguba"),
            ("date:2026-03-01..2026-03-31", "+date:20260301..20260331"),
            ("date:2026-03", "+date:20260301..20260331"),
            ("date:2026..", "+date:20260101.."),
            ("date:..2024-03-22", "+date:..20240322"),
            ("date:20240322", "+date:20240322..20240322"),
            ("http://x.cn", "+http://x.cn"),
            ("or and", "+or +and"),
            ("", ""),
            ("  - ", ""),
        ];
        for (query, want) in cases {
            let ast = QueryAst::parse(query).unwrap_or_else(|e| panic!("{query:?}: {e}"));
            assert_eq!(ast.to_string(), want, "{query:?}");
        }
    }

    #[test]
    fn bad_queries_are_errors() {
        let cases = [
            "\"unclosed",
            "OR 算力",
            "算力 OR",
            "a OR OR b",
            "-a OR b",
            "a OR -b",
            "kind:nonsense",
            "date:2026-13-01",
            "date:..",
            "date:yesterday",
            "stock:",
        ];
        for query in cases {
            assert!(QueryAst::parse(query).is_err(), "{query:?} should fail");
        }
    }

    #[test]
    fn date_flags_make_ranges() {
        let r = DateRange::between(Some("2024-03"), None).unwrap();
        assert_eq!(
            r,
            Some(DateRange {
                from: Some(20240301),
                to: None
            })
        );
        assert_eq!(DateRange::between(None, None).unwrap(), None);
        assert!(DateRange::between(Some("x"), None).is_err());
    }
}

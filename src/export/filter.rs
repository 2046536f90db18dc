//! Which articles and rows an export keeps: the `--stock`, `--concept`, `--from`, `--to` and
//! `--kind` options, resolved once against the lexicon.
//!
//! Filters act at two levels. An article is kept when its date is in range and it mentions the
//! stock and the concept asked for and has a claim of the kind asked for. Inside a kept article,
//! rows that name a stock (mentions, claims, stock_daily, cooccurrence) keep only that stock, rows
//! that name a concept (concept_daily, cooccurrence) only that concept, and claim rows only that
//! kind.

use crate::calendar::DateRange;
use crate::history::Run;
use crate::lexicon::Lexicon;
use crate::model::{ArticleRecord, Claim, ClaimKind};

use crate::calendar::Day;

/// A stock as asked for on the command line: any of these codes, or exactly this name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StockFilter {
    /// Six-digit codes the query names.
    pub codes: Vec<String>,
    /// The query text itself, which also matches claim subjects without a code (北向资金).
    pub name: String,
    /// For a name that changed hands: which code bore it when, and today's bearer (for undated
    /// articles). An article then matches only through the code that bore the name on its
    /// date, as recognition reads the name.
    pub history: Option<(Vec<Run>, String)>,
}

impl StockFilter {
    /// Resolves a code, a current or former name, a full name or a nickname to stock codes, as
    /// `fupan search stock:` does ([`Lexicon::stock_codes_named`]).
    pub fn resolve(query: &str, lexicon: &Lexicon) -> StockFilter {
        StockFilter {
            codes: lexicon.stock_codes_named(query),
            name: query.trim().to_string(),
            history: lexicon.name_runs(query),
        }
    }

    /// True when an article of this date mentions the stock asked for through `code`: for a
    /// name that changed hands, `code` must be the one that bore it on that date.
    pub fn matches_on(&self, code: &str, name: &str, date: Option<Day>) -> bool {
        let Some((runs, today)) = &self.history else {
            return self.matches(Some(code), Some(name));
        };
        match date {
            Some(day) => runs.iter().any(|r| r.code == code && r.contains(day)),
            None => today == code,
        }
    }

    /// True when a stock with this code and name is the one asked for.
    pub fn matches(&self, code: Option<&str>, name: Option<&str>) -> bool {
        code.is_some_and(|c| self.codes.iter().any(|x| x == c)) || name == Some(self.name.as_str())
    }
}

/// Resolves a concept name or alias to its canonical name (the query itself when unknown), as
/// `fupan search concept:` does.
pub fn resolve_concept(query: &str, lexicon: &Lexicon) -> String {
    lexicon
        .concept_named(query)
        .map_or_else(|| query.trim().to_string(), str::to_string)
}

/// Every restriction of one export; the default keeps everything.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    /// Only this stock.
    pub stock: Option<StockFilter>,
    /// Only this concept (canonical name).
    pub concept: Option<String>,
    /// Only articles dated in this range (as `fupan search` parses `--from` / `--to`).
    pub dates: Option<DateRange>,
    /// Only claims of this kind.
    pub kind: Option<ClaimKind>,
}

impl ExportFilter {
    /// True when the article passes the article-level filters. Undated articles fail any date
    /// bound.
    pub fn keeps_article(&self, record: &ArticleRecord) -> bool {
        self.keeps_date(record) && self.keeps_stocks(record) && self.keeps_concepts(record) && {
            self.kind
                .is_none_or(|k| record.claims.iter().any(|c| c.kind == k))
        }
    }

    /// True when rows about this stock are kept.
    pub fn keeps_stock(&self, code: &str, name: &str) -> bool {
        self.stock
            .as_ref()
            .is_none_or(|s| s.matches(Some(code), Some(name)))
    }

    /// True when rows about this concept are kept.
    pub fn keeps_concept(&self, name: &str) -> bool {
        self.concept.as_deref().is_none_or(|c| c == name)
    }

    /// True when the claim passes the stock and kind filters.
    pub fn keeps_claim(&self, claim: &Claim) -> bool {
        self.kind.is_none_or(|k| claim.kind == k)
            && self.stock.as_ref().is_none_or(|s| {
                s.matches(claim.subject.code.as_deref(), claim.subject.name.as_deref())
            })
    }

    fn keeps_date(&self, record: &ArticleRecord) -> bool {
        let Some(range) = self.dates else {
            return true;
        };
        let Some(date) = record.date.as_deref().and_then(Day::parse) else {
            return false;
        };
        range.contains(date)
    }

    fn keeps_stocks(&self, record: &ArticleRecord) -> bool {
        let Some(stock) = &self.stock else {
            return true;
        };
        let date = record.date.as_deref().and_then(Day::parse);
        record
            .stocks
            .iter()
            .any(|s| stock.matches_on(&s.code, &s.name, date))
            || record
                .claims
                .iter()
                .any(|c| stock.matches(c.subject.code.as_deref(), c.subject.name.as_deref()))
    }

    fn keeps_concepts(&self, record: &ArticleRecord) -> bool {
        self.concept
            .as_deref()
            .is_none_or(|c| record.concepts.iter().any(|h| h.name == c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Subject;

    fn claim(kind: ClaimKind, code: Option<&str>, name: &str) -> Claim {
        Claim {
            kind,
            subject: Subject {
                code: code.map(str::to_string),
                name: Some(name.to_string()),
            },
            value: None,
            low: None,
            high: None,
            unit: None,
            qualifier: None,
            text: String::new(),
            start: 0,
            end: 0,
            metric: None,
            period: None,
            basis: None,
            sentence: None,
        }
    }

    fn record(date: Option<&str>, claims: Vec<Claim>) -> ArticleRecord {
        ArticleRecord {
            id: "x".into(),
            source: "s".into(),
            date: date.map(str::to_string),
            claims,
            ..ArticleRecord::default()
        }
    }

    #[test]
    fn date_bounds_are_inclusive_and_drop_undated_articles() {
        let filter = ExportFilter {
            dates: DateRange::between(Some("2024-03"), Some("2024-03-31")).unwrap(),
            ..ExportFilter::default()
        };
        let cases = [
            (Some("2024-03-01"), true),
            (Some("2024-03-31"), true),
            (Some("2024-04-01"), false),
            (Some("2024-02-29"), false),
            (None, false),
        ];
        for (date, want) in cases {
            assert_eq!(
                filter.keeps_article(&record(date, Vec::new())),
                want,
                "{date:?}"
            );
        }
        assert!(ExportFilter::default().keeps_article(&record(None, Vec::new())));
    }

    #[test]
    fn stock_filter_matches_code_or_subject_name() {
        let filter = ExportFilter {
            stock: Some(StockFilter {
                codes: vec!["603629".into()],
                name: "北向资金".into(),
                history: None,
            }),
            ..ExportFilter::default()
        };
        let cases = [
            (claim(ClaimKind::LimitUp, Some("603629"), "利通电子"), true),
            (claim(ClaimKind::CapitalFlow, None, "北向资金"), true),
            (claim(ClaimKind::LimitUp, Some("300442"), "润泽科技"), false),
        ];
        for (c, want) in cases {
            assert_eq!(filter.keeps_claim(&c), want, "{c:?}");
        }
    }

    #[test]
    fn stock_and_concept_queries_resolve_through_the_lexicon() {
        let lexicon = Lexicon::builtin().unwrap();
        let cases = [
            ("603629", vec!["603629"]),
            ("利通电子", vec!["603629"]),
            ("宁王", vec!["300750"]),
            ("北向资金", vec![]),
        ];
        for (query, codes) in cases {
            assert_eq!(
                StockFilter::resolve(query, &lexicon).codes,
                codes,
                "{query}"
            );
        }
        assert_eq!(resolve_concept("算力出租", &lexicon), "算力租赁");
        assert_eq!(resolve_concept("没有这个概念", &lexicon), "没有这个概念");
    }

    #[test]
    fn kind_filter_keeps_articles_with_that_kind() {
        let filter = ExportFilter {
            kind: Some(ClaimKind::LimitDown),
            ..ExportFilter::default()
        };
        let with = record(None, vec![claim(ClaimKind::LimitDown, None, "x")]);
        let without = record(None, vec![claim(ClaimKind::LimitUp, None, "x")]);
        assert!(filter.keeps_article(&with));
        assert!(!filter.keeps_article(&without));
    }
}

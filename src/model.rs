//! Plain data passed between the stages: articles as read, and what fupan finds in them.
//! Everything here is serde-serialisable; the extract output of `docs/OUTPUT.md` is [`ArticleRecord`].

use serde::{Deserialize, Serialize};

/// One article as read from the archive, before any analysis.
#[derive(Debug, Clone, Default)]
pub struct Article {
    /// Where it came from: `path`, `path#N` or `archive.zip!member`.
    pub source: String,
    /// Title from metadata or the first non-empty line.
    pub title: Option<String>,
    /// `YYYY-MM-DD` from metadata, the file name, a sidecar index, the title or the text.
    pub date: Option<String>,
    /// Where `date` came from; `None` exactly when `date` is.
    pub date_source: Option<DateSource>,
    /// Author from metadata, the file name or a sidecar index.
    pub author: Option<String>,
    /// URL from metadata.
    pub url: Option<String>,
    /// The article text as decoded to UTF-8; every offset points into it.
    pub text: String,
    /// Problems met while reading that did not stop the article.
    pub warnings: Vec<String>,
    /// The id the input gave the record (`--id-field`), echoed as the output's `input_id`.
    pub input_id: Option<String>,
}

/// Where an article's date was found (`docs/OUTPUT.md`, `date_source`), from the most to the
/// least trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// The record's own date field (JSONL, JSON, CSV).
    Metadata,
    /// The file name (`2026-03-18_author_id.txt`, or `1_23_标题.txt` with a known year).
    FileName,
    /// A sidecar `index.tsv` / `index.csv` beside the files.
    Sidecar,
    /// The article's title.
    Title,
    /// The head of the article's text.
    Text,
}

impl DateSource {
    /// Every source, from the most to the least trusted.
    pub const ALL: [DateSource; 5] = [
        DateSource::Metadata,
        DateSource::FileName,
        DateSource::Sidecar,
        DateSource::Title,
        DateSource::Text,
    ];

    /// The snake_case name used in JSON, tables and the index.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Metadata => "metadata",
            DateSource::FileName => "file_name",
            DateSource::Sidecar => "sidecar",
            DateSource::Title => "title",
            DateSource::Text => "text",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(name: &str) -> Option<DateSource> {
        DateSource::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl std::fmt::Display for DateSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A byte span of the original text with the text it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// `article.text[start..end]`.
    pub text: String,
}

/// A listed stock found in an article, with every place it is mentioned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockHit {
    /// Six-digit code.
    pub code: String,
    /// `SH`, `SZ` or `BJ`.
    pub exchange: String,
    /// Current short name.
    pub name: String,
    /// Number of mentions.
    pub count: usize,
    /// Every mention in text order.
    pub mentions: Vec<Span>,
}

/// A concept or an organisation found in an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedHit {
    /// Canonical name.
    pub name: String,
    /// Number of mentions.
    pub count: usize,
    /// Every mention in text order.
    pub mentions: Vec<Span>,
}

/// The kinds of quantitative claim fupan extracts (`docs/OUTPUT.md`, "Claims").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// A company's compute amount, in P.
    ComputeCapacity,
    /// Growth of profit / revenue / 业绩, in %.
    EarningsGrowth,
    /// N consecutive limit-ups (N ≥ 2), in 板.
    LimitUpStreak,
    /// A stock sealed limit-up on the day.
    LimitUp,
    /// A stock hit limit-down.
    LimitDown,
    /// Market turnover in 亿元.
    Turnover,
    /// Net flow of a named fund flow in 亿元.
    CapitalFlow,
    /// Count of rising / falling / limit stocks.
    MarketBreadth,
    /// Price move of a product or index in %.
    PriceChange,
    /// A company's count of GPU / NPU cards; the chip in the qualifier.
    AcceleratorCards,
}

impl ClaimKind {
    /// Every kind, in the order of `docs/OUTPUT.md`.
    pub const ALL: [ClaimKind; 10] = [
        ClaimKind::ComputeCapacity,
        ClaimKind::EarningsGrowth,
        ClaimKind::LimitUpStreak,
        ClaimKind::LimitUp,
        ClaimKind::LimitDown,
        ClaimKind::Turnover,
        ClaimKind::CapitalFlow,
        ClaimKind::MarketBreadth,
        ClaimKind::PriceChange,
        ClaimKind::AcceleratorCards,
    ];

    /// The snake_case name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::ComputeCapacity => "compute_capacity",
            ClaimKind::EarningsGrowth => "earnings_growth",
            ClaimKind::LimitUpStreak => "limit_up_streak",
            ClaimKind::LimitUp => "limit_up",
            ClaimKind::LimitDown => "limit_down",
            ClaimKind::Turnover => "turnover",
            ClaimKind::CapitalFlow => "capital_flow",
            ClaimKind::MarketBreadth => "market_breadth",
            ClaimKind::PriceChange => "price_change",
            ClaimKind::AcceleratorCards => "accelerator_cards",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(name: &str) -> Option<ClaimKind> {
        ClaimKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl std::fmt::Display for ClaimKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a claim is about: a stock (code and name) or a named market aggregate (code null).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// Six-digit code when the subject is a stock.
    pub code: Option<String>,
    /// Stock name, or the market / flow / product name.
    pub name: Option<String>,
}

/// A quantity attributed to its subject, with its evidence span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The claim kind.
    pub kind: ClaimKind,
    /// Who or what the claim is about.
    pub subject: Subject,
    /// The single figure, when not a range.
    pub value: Option<f64>,
    /// Lower end of a range.
    pub low: Option<f64>,
    /// Upper end of a range.
    pub high: Option<f64>,
    /// Normalised unit (`P`, `%`, `板`, `亿元`, `只`) or null.
    pub unit: Option<String>,
    /// Words that change the figure's meaning (在手, 约, 同比, 净卖出 …).
    pub qualifier: Option<String>,
    /// The evidence, `article.text[start..end]`.
    pub text: String,
    /// Byte start of the evidence.
    pub start: usize,
    /// Byte end of the evidence.
    pub end: usize,
    /// What was measured, normalised (营业收入, 归母净利润, 在手算力 …): earnings and compute claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// When the figure holds (`2024`, `2024H1`, `2024Q3`, `2024Q1-Q3`, `2019-2023`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// `yoy`, `qoq` or `cagr`: what a growth rate compares with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// Byte span of the whole sentence that states the claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<ByteSpan>,
}

/// A byte span of the article text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByteSpan {
    /// Byte start.
    pub start: usize,
    /// Byte end.
    pub end: usize,
}

/// The JSON object `fupan extract` prints for one article (`docs/OUTPUT.md`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ArticleRecord {
    /// Content id: the same text always gives the same id.
    pub id: String,
    /// The input's own id of the record (`--id-field`); absent when none was asked for or the
    /// record had none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_id: Option<String>,
    /// Where the article came from.
    pub source: String,
    /// Title or null.
    pub title: Option<String>,
    /// `YYYY-MM-DD` or null.
    pub date: Option<String>,
    /// Where the date came from; null when there is no date. Records written before the field
    /// existed read as null.
    #[serde(default)]
    pub date_source: Option<DateSource>,
    /// Author or null.
    pub author: Option<String>,
    /// Length of the text in characters.
    pub chars: usize,
    /// Stocks in order of first mention.
    pub stocks: Vec<StockHit>,
    /// Concepts in order of first mention.
    pub concepts: Vec<NamedHit>,
    /// Organisations in order of first mention.
    pub organizations: Vec<NamedHit>,
    /// Extracted claims in text order.
    pub claims: Vec<Claim>,
    /// Non-fatal problems.
    pub warnings: Vec<String>,
}

/// Stable content id of an article text: the first 16 hex digits of its BLAKE3 hash.
pub fn content_id(text: &str) -> String {
    key_id(content_key(text))
}

/// The content id a content key spells: its 16 hex digits.
pub fn key_id(key: u64) -> String {
    format!("{key:016x}")
}

/// The content id as the number its hex digits spell: the first eight bytes of the BLAKE3 hash,
/// big-endian.
pub fn content_key(text: &str) -> u64 {
    let hash = blake3::hash(text.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_be_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_keys_are_the_number_the_content_id_spells() {
        for text in ["", "利通电子在手3000P", "x"] {
            let id = content_id(text);
            assert_eq!(
                u64::from_str_radix(&id, 16).unwrap(),
                content_key(text),
                "{text}"
            );
        }
        assert_ne!(content_key("a"), content_key("b"));
    }
}

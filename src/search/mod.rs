//! Search: query parsing, filters, ranking and snippets over an index written by
//! [`crate::index`].
//!
//! Takes a query such as `在手算力 stock:利通电子 date:2024-03-01..2024-03-31 -减持` and gives
//! ranked articles with highlighted snippets, or the claims that match. Query words are analysed
//! exactly like article text ([`index::query_terms`]: normalised, segmented by the same segmenter,
//! lowercased), so a query term is an index term.
//!
//! Syntax: words (all must match), `"phrases"`, `a OR b`, `AND` (the default), `-term`, and the
//! filters `stock:` (name, former name, nickname or code, resolved through the lexicon),
//! `concept:`, `date:FROM..TO` (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`; either end may be left out)
//! and `kind:` (a claim kind).
//!
//! Ranking: an unquoted word that segments into several tokens needs all of them, and the same
//! tokens as a phrase add a boosted score, so text with `在手算力` ranks above text that has `在手`
//! and `算力` far apart. Titles count too, boosted. Queries with only filters list the newest
//! articles first. Snippets are cut around the positions tantivy matched (character offsets),
//! mapped back to byte spans of the stored text: the hit is never segmented again.

mod query;
mod searcher;
mod snippet;

pub use query::{Atom, Clause, QueryAst, QueryFilter};
pub use searcher::{
    ArticleHit, ClaimHit, Facet, Hits, NoHits, Search, SearchRequest, Snippet, SortBy, StockRef,
};
pub use snippet::{snippets, Match};

//! The full-text index: a tantivy index fed the tokens the pipeline already has.
//!
//! Takes [`Analysis`] results of [`Engine::run`] and writes a directory that
//! [`crate::search`] reads. The article body is indexed from the tokens the pipeline already has:
//! its terms are the tokens of the one segmentation of the normalised text (`doc.tokens`),
//! lowercased, with whitespace and punctuation left out. So the index, the recogniser and the
//! claims agree on every word boundary, and nothing is segmented twice. Query text goes through
//! the same steps ([`query_terms`]).
//!
//! The terms reach tantivy packed into one string per field value ([`IndexTerms`]), which the
//! [`PackedTerms`] tokenizer reads back with one reused token. tantivy's own pre-tokenized values
//! hold a `String` per token and are cloned twice on their way to the indexing threads; at tens of
//! millions of tokens that allocation was a third of the indexing cost.
//!
//! Each article is one tantivy document (`doc_type` `article`), and each of its claims one more
//! (`doc_type` `claim`), so claims can be filtered by kind, subject and value. Articles are keyed by
//! their content id: a run adds only ids the index does not have, and commits every 128 MB of text
//! (or 200,000 articles), so an interrupted run leaves a usable index and the next run completes
//! it. Commits are few on purpose: each one stalls the indexing threads and adds segments to merge
//! (committing every 32 MB cost about 15% of the indexing time on a 100 MB archive).
//!
//! Positions are character offsets in the text, not token ordinals: a phrase never matches across
//! punctuation, and a dictionary word inside a longer token (算力 in 算力租赁, 电子 in 利通电子) is
//! indexed too, at its own offset, so `算力` finds `算力租赁` and phrases still line up whichever
//! way a stretch of text was segmented. Snippets map matched positions back to byte spans through
//! the stored text; the hit is never segmented again.

mod read_only;
mod schema;
mod store;
mod terms;
mod writer;

pub use schema::{schema, Fields};
pub use store::{ArticleIndex, IndexStats, StockCount};
pub use terms::{index_term, query_terms, IndexTerm, IndexTerms, PackedStream, PackedTerms};
pub use writer::{IndexEvent, IndexOptions, IndexSummary, Indexer};

/// The index directory used when none is given (relative to the working directory).
pub const DEFAULT_DIR: &str = "fupan-index";

/// `doc_type` of article documents.
pub const ARTICLE: &str = "article";
/// `doc_type` of claim documents.
pub const CLAIM: &str = "claim";

//! The library's one error type. Every variant carries what a user needs to find the problem:
//! the path, and where it applies the record or line.

use std::path::PathBuf;

/// Errors raised by fupan's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path as the user gave it or as found under a directory.
        path: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// One input item (a file, a record, an archive member) was unusable.
    #[error("{source_name}: {message}")]
    BadInput {
        /// `path`, `path#N` or `archive!member`.
        source_name: String,
        /// What is wrong with it.
        message: String,
    },
    /// A dictionary row could not be parsed.
    #[error("{file}:{line}: bad dictionary row: {row:?}")]
    Dictionary {
        /// The dictionary file.
        file: String,
        /// 1-based line number.
        line: usize,
        /// The offending row.
        row: String,
    },
    /// A gold annotation file was malformed.
    #[error("{path}: bad gold file: {message}")]
    Gold {
        /// The gold file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The search index failed.
    #[error("index {path}: {message}")]
    Index {
        /// The index directory.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A query could not be parsed.
    #[error("bad query {query:?}: {message}")]
    Query {
        /// The query text.
        query: String,
        /// What is wrong.
        message: String,
    },
    /// Writing an export failed.
    #[error("{path}: {message}")]
    Export {
        /// The output path.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// Result alias for the library.
pub type Result<T> = std::result::Result<T, Error>;

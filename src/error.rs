//! The library's one error type. Every variant carries what a user needs to find the problem:
//! the path, and where it applies the record or line; the error that caused it, if any, stays
//! attached as its [`source`](std::error::Error::source) instead of being flattened into text.
//!
//! A variant's own message says only what fupan was doing and where; the cause says why. Print
//! an error with [`Report`], which walks the chain once and leaves out a cause whose text is
//! already part of what was printed (some libraries repeat their inner error in their own
//! message).

use std::error::Error as StdError;
use std::fmt;
use std::path::{Path, PathBuf};

/// Errors raised by fupan's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{path}")]
    Io {
        /// The path as the user gave it or as found under a directory.
        path: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// One input item (a file, a record, an archive member) was unusable.
    #[error("{source_name}{}", colon(message))]
    BadInput {
        /// `path`, `path#N` or `archive!member`.
        source_name: String,
        /// What is wrong with it.
        message: String,
        /// The parser's or decoder's error, if one said so.
        #[source]
        cause: Option<Box<dyn StdError + Send + Sync>>,
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
    #[error("{}: bad gold file{}", path.display(), colon(message))]
    Gold {
        /// The gold file.
        path: PathBuf,
        /// What is wrong.
        message: String,
        /// The JSON parser's error.
        #[source]
        cause: Option<Box<dyn StdError + Send + Sync>>,
    },
    /// The search index failed.
    #[error("index {}{}", path.display(), colon(message))]
    Index {
        /// The index directory.
        path: PathBuf,
        /// What went wrong, when the cause does not say it.
        message: String,
        /// tantivy's or the file system's error.
        #[source]
        cause: Option<Box<dyn StdError + Send + Sync>>,
    },
    /// A query could not be parsed.
    #[error("bad query {query:?}{}", colon(message))]
    Query {
        /// The query text.
        query: String,
        /// What is wrong.
        message: String,
        /// The error of the part that failed, if any.
        #[source]
        cause: Option<Box<dyn StdError + Send + Sync>>,
    },
    /// Writing an export failed.
    #[error("{}{}", path.display(), colon(message))]
    Export {
        /// The output path.
        path: PathBuf,
        /// What went wrong, when the cause does not say it.
        message: String,
        /// The writer's or the file system's error.
        #[source]
        cause: Option<Box<dyn StdError + Send + Sync>>,
    },
}

/// `": message"`, or nothing for an empty message (the cause then says it all).
fn colon(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

impl Error {
    /// An unusable input item.
    pub fn bad_input(source_name: impl Into<String>, message: impl Into<String>) -> Error {
        Error::BadInput {
            source_name: source_name.into(),
            message: message.into(),
            cause: None,
        }
    }

    /// The input item or file an error is about (`path`, `path#N`, `archive!member`), when it
    /// is about one.
    pub fn input_name(&self) -> Option<&str> {
        match self {
            Error::BadInput { source_name, .. } => Some(source_name),
            Error::Io { path, .. } => Some(path),
            _ => None,
        }
    }

    /// A failure of the index in `path`.
    pub fn index(path: &Path, message: impl Into<String>) -> Error {
        Error::Index {
            path: path.to_path_buf(),
            message: message.into(),
            cause: None,
        }
    }

    /// A query that cannot be parsed or run.
    pub fn query(query: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Query {
            query: query.into(),
            message: message.into(),
            cause: None,
        }
    }

    /// A failure writing the export to `path`.
    pub fn export(path: &Path, message: impl Into<String>) -> Error {
        Error::Export {
            path: path.to_path_buf(),
            message: message.into(),
            cause: None,
        }
    }

    /// A malformed gold file.
    pub fn gold(path: &Path, message: impl Into<String>) -> Error {
        Error::Gold {
            path: path.to_path_buf(),
            message: message.into(),
            cause: None,
        }
    }

    /// The same error with `cause` attached as its source (variants that take one; the others
    /// are returned unchanged).
    pub fn because(mut self, cause: impl Into<Box<dyn StdError + Send + Sync>>) -> Error {
        match &mut self {
            Error::BadInput { cause: c, .. }
            | Error::Gold { cause: c, .. }
            | Error::Index { cause: c, .. }
            | Error::Query { cause: c, .. }
            | Error::Export { cause: c, .. } => *c = Some(cause.into()),
            Error::Io { .. } | Error::Dictionary { .. } => {}
        }
        self
    }
}

/// Attaches the path an I/O error happened at (ripgrep's `with_path`).
pub trait WithPath<T> {
    /// The I/O error as [`Error::Io`] naming `path`.
    fn with_path(self, path: impl AsRef<Path>) -> Result<T>;
}

impl<T> WithPath<T> for std::result::Result<T, std::io::Error> {
    fn with_path(self, path: impl AsRef<Path>) -> Result<T> {
        self.map_err(|source| Error::Io {
            path: path.as_ref().display().to_string(),
            source,
        })
    }
}

/// Prints an error and its causes once each, joined by `": "`: a cause whose text is already
/// part of what was printed is left out.
pub struct Report<'a>(pub &'a (dyn StdError + 'static));

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chain = std::iter::successors(Some(self.0), |&e| e.source());
        f.write_str(&chain_text(chain))
    }
}

/// The messages of a chain of errors (outermost first), each once, joined by `": "`: a cause
/// already said is left out, and one that starts with everything said so far replaces it.
pub fn chain_text<'a>(chain: impl Iterator<Item = &'a (dyn StdError + 'static)>) -> String {
    let mut text = String::new();
    for e in chain {
        let message = e.to_string();
        if message.is_empty() || text.contains(&message) {
            continue;
        }
        if !text.is_empty() && message.starts_with(&text) {
            // the cause repeats the context and says more: keep the fuller text only
            text = message;
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&message);
    }
    text
}

/// Result alias for the library.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_prints_each_cause_once() {
        let io = std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "File exists (os error 17)",
        );
        let e = Error::export(Path::new("out.csv"), "").because(io);
        assert_eq!(Report(&e).to_string(), "out.csv: File exists (os error 17)");
        let inner = Error::query("stock:", "no value");
        let e = Error::query("stock:", "").because(inner);
        assert_eq!(Report(&e).to_string(), "bad query \"stock:\": no value");
    }

    #[test]
    fn io_errors_name_their_path_and_keep_their_source() {
        let e = std::fs::read("/nonexistent/fupan")
            .with_path("/nonexistent/fupan")
            .unwrap_err();
        assert!(e.source().is_some());
        let shown = Report(&e).to_string();
        assert!(shown.starts_with("/nonexistent/fupan: "), "{shown}");
        assert_eq!(shown.matches("os error 2").count(), 1, "{shown}");
    }
}

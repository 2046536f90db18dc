//! Integration tests: the real `fupan` binary on files in temporary directories.

mod util;

mod browser;
mod claims_table;
mod dates;
mod errors;
mod everyday;
mod export;
mod extract;
mod hostile;
mod index;
mod names;
mod properties;
mod regressions;
mod schema;
mod serve;
mod stream;

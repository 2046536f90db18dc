//! Integration tests: the real `fupan` binary on files in temporary directories.

mod util;

mod export;
mod extract;
mod index;

//! The `fupan` command: parses arguments, calls the library, maps outcomes to exit codes
//! (0 all well, 1 a quality bar or search found nothing, 2 something failed).

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the pipeline allocates many small vectors and strings per article, and the system
/// allocator showed up at about a tenth of the profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fupan: {e:#}");
            ExitCode::from(2)
        }
    }
}

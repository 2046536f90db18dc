//! The `fupan` command: parses arguments, calls the library, maps outcomes to exit codes
//! (0 all well, 1 a quality bar or search found nothing, 2 something failed).

mod cli;

use std::process::ExitCode;

use clap::Parser;

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

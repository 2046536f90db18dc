//! `fupan export`: a thin wrapper over `fupan::export`.

use std::process::ExitCode;

use clap::Args;

use super::Common;
use fupan::pipeline::Engine;

/// Arguments of `fupan export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The table.
    table: String,
}

/// Runs `fupan export`.
pub fn run_export(_common: &Common, _engine: &Engine, _args: &ExportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("fupan export is not built yet")
}

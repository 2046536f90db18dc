//! `fupan index`, `fupan search`, `fupan stats`: thin wrappers over `fupan::index` / `fupan::search`.

use std::process::ExitCode;

use clap::Args;

use super::{Common, InputArgs};
use fupan::pipeline::Engine;

/// Arguments of `fupan index`.
#[derive(Args, Debug)]
pub struct IndexArgs {
    #[command(flatten)]
    input: InputArgs,
}

/// Arguments of `fupan search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// The query.
    query: Vec<String>,
}

/// Arguments of `fupan stats`.
#[derive(Args, Debug)]
pub struct StatsArgs {}

/// Runs `fupan index`.
pub fn run_index(_common: &Common, _engine: &Engine, _args: &IndexArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("fupan index is not built yet")
}

/// Runs `fupan search`.
pub fn run_search(_common: &Common, _engine: &Engine, _args: &SearchArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("fupan search is not built yet")
}

/// Runs `fupan stats`.
pub fn run_stats(_common: &Common, _args: &StatsArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("fupan stats is not built yet")
}

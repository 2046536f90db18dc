//! `fupan completions SHELL`: a completion script for the shell, from the argument definitions.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use clap_complete::Shell;

/// Arguments of `fupan completions`.
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_name = "SHELL")]
    shell: Shell,
}

/// Writes the script to standard output.
pub fn run(args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut command = super::command();
    // into memory first: the generator panics on a failed write (`… | head`)
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "fupan", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(ExitCode::SUCCESS)
}

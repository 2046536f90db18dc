//! `fupan schema`: the shape of `extract`'s records, for tools downstream.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use fupan::schema::{render, SchemaFormat};

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// The form to print.
    #[arg(long, value_enum, default_value = "json-schema")]
    format: Form,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Form {
    /// JSON Schema (draft 2020-12).
    JsonSchema,
    /// Arrow's JSON description of a schema.
    Arrow,
    /// A Spark DDL string.
    SparkDdl,
}

/// Runs `fupan schema`.
pub fn run(args: &SchemaArgs) -> anyhow::Result<ExitCode> {
    let format = match args.format {
        Form::JsonSchema => SchemaFormat::JsonSchema,
        Form::Arrow => SchemaFormat::Arrow,
        Form::SparkDdl => SchemaFormat::SparkDdl,
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", render(format))?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

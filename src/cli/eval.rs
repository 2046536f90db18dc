//! `fupan eval`: extraction measured against gold files.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::{FileArgs, Loaded, YearArg};
use fupan::error::Report;
use fupan::source::{ReadOptions, Reader};

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Directory of `*.gold.json` files.
    #[arg(long, value_name = "DIR")]
    gold: PathBuf,
    /// Articles to extract (files or directories holding the gold articles).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    files: FileArgs,
    /// Read predictions (fupan extract JSON Lines) instead of extracting.
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    predictions: Option<PathBuf>,
    #[command(flatten)]
    year: YearArg,
    /// List every miss and false positive.
    #[arg(long)]
    verbose: bool,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
    /// Score a plain longest-match tagger over the same dictionaries instead of fupan's
    /// recogniser (no token boundaries, context rules, codes, dates, short forms or typos): the
    /// baseline the rules must beat.
    #[arg(long, conflicts_with = "predictions")]
    plain: bool,
    /// Exit 1 when stock F1 is below this.
    #[arg(long, value_name = "F1")]
    min_stock_f1: Option<f64>,
    /// Exit 1 when claim F1 is below this.
    #[arg(long, value_name = "F1")]
    min_claim_f1: Option<f64>,
}

/// Runs `fupan eval`.
pub fn run(loaded: &Loaded, args: &EvalArgs) -> anyhow::Result<ExitCode> {
    use fupan::eval;
    let golds = eval::load_gold_dir(&args.gold)?;
    anyhow::ensure!(
        !golds.is_empty(),
        "no *.gold.json files in {}",
        args.gold.display()
    );
    let mut failed = 0;
    let records = match &args.predictions {
        Some(path) => {
            let (records, bad) = eval::read_predictions(path)?;
            for e in &bad {
                eprintln!("fupan: {}", Report(e));
            }
            failed += bad.len();
            records
        }
        None => {
            anyhow::ensure!(
                !args.paths.is_empty(),
                "give the articles to extract (PATH...) or --predictions FILE"
            );
            let plain;
            let engine = if args.plain {
                plain = loaded.engine_plain()?;
                &plain
            } else {
                loaded.engine()?
            };
            let reader = Reader::new(args.year.read_options(ReadOptions {
                files: args.files.selection()?,
                ..ReadOptions::default()
            }));
            let mut records = Vec::new();
            engine.run(reader.read(&args.paths), |r| {
                match r {
                    Ok(a)
                        if golds
                            .iter()
                            .any(|g| eval::source_matches(&a.record.source, &g.article)) =>
                    {
                        records.push(a.record)
                    }
                    Ok(_) => {}
                    Err(e) => {
                        failed += 1;
                        eprintln!("fupan: {}", Report(&e));
                    }
                }
                true
            });
            records
        }
    };
    let report = eval::evaluate(&golds, &records);
    nothing_to_evaluate(&report, args)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write_report(&mut out, &report, args.verbose)?;
    }
    out.flush().context("writing the report")?;
    for a in report.articles.iter().filter(|a| !a.found) {
        eprintln!(
            "fupan: {}: gold article not found among the extracted articles",
            a.article
        );
        failed += 1;
    }
    let below = args.min_stock_f1.is_some_and(|m| report.stocks.f1() < m)
        || args.min_claim_f1.is_some_and(|m| report.claims.f1() < m);
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else if below {
        eprintln!("fupan: below the required F1");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// An error when the run measured nothing, so that its figures (1.000 everywhere, by the
/// convention for empty sets) cannot pass a quality bar: no gold article was among the articles
/// read, or the gold and the extraction hold not one stock or claim between them.
fn nothing_to_evaluate(report: &fupan::eval::Report, args: &EvalArgs) -> anyhow::Result<()> {
    let gold = args.gold.display();
    if !report.articles.iter().any(|a| a.found) {
        let read = match &args.predictions {
            Some(path) => path.display().to_string(),
            None => args
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
        };
        anyhow::bail!(
            "nothing to evaluate: none of the {} gold articles of {gold} is among the articles \
             read from {read} (a gold file's `article` is the article's file name, or file#N)",
            report.articles.len()
        );
    }
    let empty = |c: &fupan::eval::Counts| c.tp + c.fp + c.fn_ == 0;
    if empty(&report.stocks) && empty(&report.claims) {
        anyhow::bail!(
            "nothing to evaluate: the gold files of {gold} annotate no stock and no claim, and \
             none was extracted from their articles"
        );
    }
    Ok(())
}

fn write_report(
    out: &mut impl Write,
    report: &fupan::eval::Report,
    verbose: bool,
) -> std::io::Result<()> {
    let fmt = |c: &fupan::eval::Counts| {
        format!(
            "P {:.3} R {:.3} F1 {:.3} (tp {} fp {} fn {})",
            c.precision(),
            c.recall(),
            c.f1(),
            c.tp,
            c.fp,
            c.fn_
        )
    };
    for a in &report.articles {
        let mut claims = fupan::eval::Counts::default();
        for c in a.claims.values() {
            claims.tp += c.tp;
            claims.fp += c.fp;
            claims.fn_ += c.fn_;
        }
        writeln!(out, "{}", a.article)?;
        writeln!(out, "  stocks  {}", fmt(&a.stocks))?;
        writeln!(out, "  claims  {}", fmt(&claims))?;
        if verbose {
            for d in &a.differences {
                writeln!(
                    out,
                    "    {:6} {:16} {:24} {}",
                    d.what, d.field, d.item, d.text
                )?;
            }
        }
    }
    writeln!(out, "TOTAL ({} articles)", report.articles.len())?;
    writeln!(out, "  stocks  {}", fmt(&report.stocks))?;
    writeln!(out, "  claims  {}", fmt(&report.claims))?;
    for (kind, c) in &report.claims_by_kind {
        writeln!(out, "    {:18} {}", kind.as_str(), fmt(c))?;
    }
    write_slots(out, &report.slots)?;
    if report.groups.len() > 1 {
        for g in &report.groups {
            let split = if g.test { "test split" } else { "dev" };
            writeln!(out, "GROUP {} ({split}, {} articles)", g.name, g.articles)?;
            writeln!(out, "  stocks  {}", fmt(&g.stocks))?;
            writeln!(out, "  claims  {}", fmt(&g.claims))?;
            for (kind, c) in &g.claims_by_kind {
                writeln!(out, "    {:18} {}", kind.as_str(), fmt(c))?;
            }
            write_slots(out, &g.slots)?;
        }
    }
    Ok(())
}

/// The slot agreement line: metric, period and basis of the matched claims.
fn write_slots(out: &mut impl Write, slots: &fupan::eval::Slots) -> std::io::Result<()> {
    let all = slots.all();
    if all.total == 0 {
        return Ok(());
    }
    let one = |c: &fupan::eval::SlotCount| format!("{:.3} ({}/{})", c.accuracy(), c.agree, c.total);
    writeln!(
        out,
        "  slots   all {}  metric {}  period {}  basis {}",
        one(&all),
        one(&slots.metric),
        one(&slots.period),
        one(&slots.basis)
    )?;
    Ok(())
}

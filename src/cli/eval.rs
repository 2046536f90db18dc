//! `fupan eval`: extraction measured against gold files.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Loaded, YearArg};
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
            let reader = Reader::new(args.year.read_options(ReadOptions::default()));
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
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report, args.verbose);
    }
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

fn print_report(report: &fupan::eval::Report, verbose: bool) {
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
        println!("{}", a.article);
        println!("  stocks  {}", fmt(&a.stocks));
        println!("  claims  {}", fmt(&claims));
        if verbose {
            for d in &a.differences {
                println!("    {:6} {:16} {:24} {}", d.what, d.field, d.item, d.text);
            }
        }
    }
    println!("TOTAL ({} articles)", report.articles.len());
    println!("  stocks  {}", fmt(&report.stocks));
    println!("  claims  {}", fmt(&report.claims));
    for (kind, c) in &report.claims_by_kind {
        println!("    {:18} {}", kind.as_str(), fmt(c));
    }
    print_slots(&report.slots);
    if report.groups.len() > 1 {
        for g in &report.groups {
            let split = if g.test { "test split" } else { "dev" };
            println!("GROUP {} ({split}, {} articles)", g.name, g.articles);
            println!("  stocks  {}", fmt(&g.stocks));
            println!("  claims  {}", fmt(&g.claims));
            for (kind, c) in &g.claims_by_kind {
                println!("    {:18} {}", kind.as_str(), fmt(c));
            }
            print_slots(&g.slots);
        }
    }
}

/// The slot agreement line: metric, period and basis of the matched claims.
fn print_slots(slots: &fupan::eval::Slots) {
    let all = slots.all();
    if all.total == 0 {
        return;
    }
    let one = |c: &fupan::eval::SlotCount| format!("{:.3} ({}/{})", c.accuracy(), c.agree, c.total);
    println!(
        "  slots   all {}  metric {}  period {}  basis {}",
        one(&all),
        one(&slots.metric),
        one(&slots.period),
        one(&slots.basis)
    );
}

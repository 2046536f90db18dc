//! `fupan dict`: the user dictionary — bring its stock list up to date, say where it lives.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

use super::{default_user_dict, Common, Loaded};
use fupan::error::Report;
use fupan::stock_list::{write_changes, StockChanges, StockList};

/// Arguments of `fupan dict`.
#[derive(Args, Debug)]
pub struct DictArgs {
    #[command(subcommand)]
    action: DictAction,
}

#[derive(Subcommand, Debug)]
enum DictAction {
    /// Compare a current stock list (code, name[, former names]; CSV or TSV, header optional)
    /// with the dictionaries and write renames, new codes and delistings into your dictionary.
    Update(UpdateArgs),
    /// Print where your dictionary is read from (and whether it exists).
    Path,
}

/// Arguments of `fupan dict update`.
#[derive(Args, Debug)]
struct UpdateArgs {
    /// The stock list.
    #[arg(value_name = "STOCKS.csv")]
    list: PathBuf,
    /// The user dictionary directory to write (default: the first --user-dict, else
    /// $FUPAN_DICT, else the `fupan` folder of your configuration directory).
    #[arg(long, value_name = "DIR")]
    to: Option<PathBuf>,
    /// The list is not every listed stock: codes missing from it are not taken as delisted.
    #[arg(long)]
    partial: bool,
    /// Report what would change; write nothing.
    #[arg(long)]
    dry_run: bool,
}

/// Runs `fupan dict`.
pub fn run(common: &Common, loaded: &Loaded, args: &DictArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        DictAction::Update(update) => run_update(common, loaded, update),
        DictAction::Path => {
            match common
                .dictionaries
                .user
                .first()
                .cloned()
                .or_else(default_user_dict)
            {
                Some(path) => {
                    let state = if path.exists() {
                        ""
                    } else {
                        " (not there yet)"
                    };
                    println!("{}{state}", path.display());
                }
                None => anyhow::bail!("no configuration directory; pass --user-dict"),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn run_update(common: &Common, loaded: &Loaded, args: &UpdateArgs) -> anyhow::Result<ExitCode> {
    let list = StockList::read(&args.list)?;
    for bad in &list.bad_rows {
        eprintln!("fupan: {}", Report(bad));
    }
    if list.stocks.is_empty() {
        anyhow::bail!("{}: no stock rows (code, name) in it", args.list.display());
    }
    let lexicon = loaded.lexicon()?;
    let changes = StockChanges::between(lexicon, &list.stocks, !args.partial);
    let listed = lexicon.stocks.iter().filter(|s| s.listed).count();
    if !args.partial && changes.removed.len() * 2 > listed {
        anyhow::bail!(
            "{}: {} of the {listed} listed codes are missing from it; if it is not a complete \
             list, pass --partial",
            args.list.display(),
            changes.removed.len()
        );
    }
    print_changes(&changes);
    if changes.is_empty() || args.dry_run {
        if !common.quiet {
            eprintln!("fupan: nothing written");
        }
    } else {
        let dir = match (&args.to, common.dictionaries.user.first()) {
            (Some(dir), _) => dir.clone(),
            (None, Some(user)) if user.is_dir() || !user.exists() => user.clone(),
            _ => default_user_dict().context("no configuration directory; pass --to DIR")?,
        };
        let written = write_changes(&dir, lexicon, &list.stocks, &changes)?;
        if !common.quiet {
            eprintln!("fupan: wrote {}", written.display());
        }
    }
    Ok(if list.bad_rows.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// One line per change on standard output, then the counts.
fn print_changes(changes: &StockChanges) {
    for r in &changes.renamed {
        println!("renamed\t{}\t{} → {}", r.code, r.from, r.to);
    }
    for (code, name) in &changes.added {
        println!("new\t{code}\t{name}");
    }
    for (code, name) in &changes.removed {
        println!("removed\t{code}\t{name}");
    }
    println!(
        "{} renamed, {} new, {} removed, {} unchanged",
        changes.renamed.len(),
        changes.added.len(),
        changes.removed.len(),
        changes.unchanged
    );
}

//! `fupan serve`: flags turned into [`ServeOptions`], the server bound, its address printed.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::{Common, IndexDirArg};
use fupan::pipeline::Engine;
use fupan::serve::{ServeOptions, Server, DEFAULT_PORT};

/// Arguments of `fupan serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    index: IndexDirArg,
    /// Address to listen on; anything but loopback makes the archive readable by others on the
    /// network (use --token then).
    #[arg(long, default_value = "127.0.0.1", value_name = "HOST")]
    host: String,
    /// Port (0: any free port; the address is printed).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    port: u16,
    /// Require this token on every request (A-Z a-z 0-9 - . _ ~).
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    /// Longest a request may take, in seconds, before it is answered 503.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    time_limit: f64,
    /// Open the page in the default browser.
    #[arg(long)]
    open: bool,
}

/// Runs `fupan serve` until the process is stopped.
pub fn run(common: &Common, engine: Engine, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    if !(args.time_limit > 0.0 && args.time_limit.is_finite()) {
        anyhow::bail!("--time-limit must be a positive number of seconds");
    }
    let options = ServeOptions {
        index: args.index.path(),
        host: args.host.clone(),
        port: args.port,
        token: args.token.clone(),
        time_limit: Duration::from_secs_f64(args.time_limit),
    };
    // the server runs until the process ends, and every request borrows the engine
    let engine: &'static Engine = Box::leak(Box::new(engine));
    let server = Server::bind(&options, engine)?;
    let address = server.local_addr()?;
    if !address.ip().is_loopback() && !common.quiet {
        eprintln!(
            "fupan: warning: listening on {address}, not loopback: anyone who can reach it can \
             read the archive{}",
            if args.token.is_some() {
                " with the token"
            } else {
                " (give --token to require one)"
            }
        );
    }
    let url = match &args.token {
        Some(token) => format!("http://{address}/?token={token}"),
        None => format!("http://{address}/"),
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "fupan: serving {} at {url}", options.index.display())?;
    out.flush()?;
    drop(out);
    if args.open {
        open_browser(&url);
    }
    server.run()?;
    Ok(ExitCode::SUCCESS)
}

/// Best effort: the desktop's opener, if there is one.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("fupan: could not open a browser ({opener}: {e}); open {url}");
    }
}

//! `fupan serve`: a local web page over the index — search, articles with their entities marked,
//! stocks and concepts over time, the day's limit-up ladder, and a table of claims — with the same
//! data as JSON under `/api/`.
//!
//! Takes an index directory and an address; gives an HTTP server that reads the index and never
//! writes it. The pages are the same values the JSON API returns ([`archive`] builds them with
//! the search code of [`crate::search`], so `/api/search` gives what `fupan search --json` gives),
//! rendered by [`pages`] with maud, whose templates escape every value they interpolate: text from
//! articles never becomes markup. Charts are SVG drawn on the server ([`chart`]); the one script
//! and the style sheet are compiled into the binary ([`assets`]), so the page works offline and
//! the Content-Security-Policy forbids every inline script.
//!
//! Searches run on tokio's blocking pool under a time limit ([`ServeOptions::time_limit`]): a
//! slow query answers 503 when its time is up instead of holding a connection, and other
//! requests go on meanwhile. The reader follows the index ([`Search::open_live`]), so a
//! concurrent `fupan index` shows up at its next commit without a restart.

mod archive;
mod assets;
mod chart;
mod http;
mod pages;
mod suggest;
mod url;

use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result, WithPath};
use crate::pipeline::Engine;
use crate::search::Search;

pub use archive::Archive;

/// The port `fupan serve` listens on when none is given.
pub const DEFAULT_PORT: u16 = 7878;

/// How a server is set up.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The index directory.
    pub index: PathBuf,
    /// Host name or address to listen on (`127.0.0.1` unless the user asks otherwise).
    pub host: String,
    /// Port (0: any free port; [`Server::local_addr`] says which).
    pub port: u16,
    /// When set, every request must carry it (`Authorization: Bearer`, the `fupan_token`
    /// cookie, or `?token=` once, which sets the cookie).
    pub token: Option<String>,
    /// Longest a request may run before it is answered 503.
    pub time_limit: Duration,
}

impl ServeOptions {
    /// Options for `index` on loopback, the default port, no token, a 10 s time limit.
    pub fn new(index: PathBuf) -> ServeOptions {
        ServeOptions {
            index,
            host: "127.0.0.1".to_string(),
            port: DEFAULT_PORT,
            token: None,
            time_limit: Duration::from_secs(10),
        }
    }
}

/// A server bound to its address, its index open; [`Server::run`] serves it.
pub struct Server {
    listener: TcpListener,
    archive: Arc<Archive>,
    token: Option<String>,
}

impl Server {
    /// Opens the index and binds the address: a missing or unreadable index, a bad token or an
    /// address that cannot be had is an error here, before anything listens. The engine lives as
    /// long as the process (the server never stops on its own).
    pub fn bind(options: &ServeOptions, engine: &'static Engine) -> Result<Server> {
        if let Some(token) = &options.token {
            check_token(token)?;
        }
        let search = Search::open_live(&options.index, engine)?;
        // a reader whose index has no readable segments fails on its first search, not here:
        // look now, so the error comes before listening
        search.searcher().num_docs();
        let address = format!("{}:{}", options.host, options.port);
        let addrs: Vec<SocketAddr> = (options.host.as_str(), options.port)
            .to_socket_addrs()
            .with_path(&address)?
            .collect();
        let listener = TcpListener::bind(&addrs[..]).with_path(&address)?;
        listener.set_nonblocking(true).with_path(&address)?;
        Ok(Server {
            listener,
            archive: Arc::new(Archive::new(search, engine, options.time_limit)),
            token: options.token.clone(),
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener.local_addr().with_path("listening socket")
    }

    /// Serves until the process ends.
    pub fn run(self) -> Result<()> {
        let address = self.local_addr()?.to_string();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_io()
            .enable_time()
            // searches wait here, each under its time limit; the cap bounds the threads a burst
            // of slow queries can hold
            .max_blocking_threads(64)
            .build()
            .with_path(&address)?;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener).with_path(&address)?;
            let app = http::router(self.archive, self.token);
            axum::serve(listener, app).await.with_path(&address)
        })
    }
}

/// A token must survive a URL and a cookie unchanged.
fn check_token(token: &str) -> Result<()> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-._~".contains(c);
    if token.is_empty() || !token.chars().all(safe) {
        return Err(Error::query(
            token,
            "a token is one or more of A-Z a-z 0-9 - . _ ~",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_token;

    #[test]
    fn tokens_are_url_and_cookie_safe() {
        assert!(check_token("s3cret-Token_1.2~").is_ok());
        for bad in ["", "a b", "a;b", "a=b", "秘密", "a%20"] {
            assert!(check_token(bad).is_err(), "{bad:?}");
        }
    }
}

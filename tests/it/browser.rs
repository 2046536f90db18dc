//! `fupan serve` in a real headless Chromium, driven through chromedriver (W3C WebDriver).
//!
//! WebDriver is a handful of JSON requests over HTTP, so the tests speak it with the same
//! blocking client as the HTTP tests instead of an async WebDriver crate (which would bring a
//! second HTTP stack and TLS into the test build). The tests say SKIPPED and pass when chromium
//! or chromedriver is absent (`.ci/run` installs both, with fonts-noto-cjk for the glyphs).
//!
//! The search and stock pages are saved as screenshots: under the test's temporary directory,
//! and as `docs/img/search.png` / `docs/img/stock.png` when `FUPAN_SCREENSHOTS=1`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

use crate::serve::{corpus_index, Served, SEED_FILE, XSS_TITLE};
use crate::util::repo;

/// The W3C name of an element reference in WebDriver answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// chromedriver and chromium, when both are installed.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let driver = find_program(&["chromedriver"]);
    let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
    match (driver, chromium) {
        (Some(d), Some(c)) => Some((d, c)),
        _ => {
            eprintln!("SKIPPED: chromium or chromedriver is absent; browser tests not run");
            None
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A chromedriver process and one browser session in it; both end when dropped.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
}

impl Browser {
    fn start(driver: &Path, chromium: &Path) -> Browser {
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let mut browser = Browser {
            driver: child,
            base,
            session: String::new(),
            agent,
        };
        // chromedriver takes a moment to listen: ask its status until it is ready (bounded)
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = browser
                .agent
                .get(&format!("{}/status", browser.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN"],
            },
        }}});
        let created = browser.call("POST", "/session", Some(capabilities));
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        browser
    }

    /// A WebDriver command; its `value`, or a panic naming the error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let answer = self.try_call(method, path, body);
        assert!(answer.get("error").is_none(), "{method} {path}: {answer}");
        answer
    }

    /// A WebDriver command; its `value`, errors included.
    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let mut response = match (method, body) {
            ("POST", body) => self
                .agent
                .post(&url)
                .send_json(body.unwrap_or_else(|| json!({}))),
            ("DELETE", _) => self.agent.delete(&url).call(),
            _ => self.agent.get(&url).call(),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let answer: Value = response.body_mut().read_json().unwrap();
        answer["value"].clone()
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    fn goto(&self, url: &str) {
        self.call(
            "POST",
            &self.session_path("/url"),
            Some(json!({"url": url})),
        );
    }

    fn url(&self) -> String {
        let url = self.call("GET", &self.session_path("/url"), None);
        url.as_str().unwrap().to_string()
    }

    fn find_all(&self, css: &str) -> Vec<String> {
        let body = json!({"using": "css selector", "value": css});
        let found = self.call("POST", &self.session_path("/elements"), Some(body));
        let list = found.as_array().cloned().unwrap_or_default();
        list.iter()
            .map(|e| e[ELEMENT].as_str().unwrap().to_string())
            .collect()
    }

    fn find(&self, css: &str) -> String {
        self.find_all(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element {css} at {}", self.url()))
    }

    fn text(&self, element: &str) -> String {
        let path = self.session_path(&format!("/element/{element}/text"));
        self.call("GET", &path, None).as_str().unwrap().to_string()
    }

    fn inner_html(&self, element: &str) -> String {
        let path = self.session_path(&format!("/element/{element}/property/innerHTML"));
        self.call("GET", &path, None).as_str().unwrap().to_string()
    }

    fn type_text(&self, element: &str, text: &str) {
        let path = self.session_path(&format!("/element/{element}/value"));
        self.call("POST", &path, Some(json!({"text": text})));
    }

    fn run_script(&self, script: &str) -> Value {
        let body = json!({"script": script, "args": []});
        self.call("POST", &self.session_path("/execute/sync"), Some(body))
    }

    /// Waits (bounded) until the page's URL contains `part`.
    fn wait_for_url(&self, part: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.url().contains(part) {
            assert!(
                Instant::now() < deadline,
                "never reached {part}: {}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The page as PNG bytes.
    fn screenshot(&self) -> Vec<u8> {
        let shot = self.call("GET", &self.session_path("/screenshot"), None);
        base64::engine::general_purpose::STANDARD
            .decode(shot.as_str().unwrap())
            .unwrap()
    }

    /// Text of an open alert dialog, if one is open.
    fn alert(&self) -> Option<String> {
        let answer = self.try_call("GET", &self.session_path("/alert/text"), None);
        match answer.get("error") {
            Some(_) => None,
            None => Some(answer.as_str().unwrap_or_default().to_string()),
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.try_call("DELETE", &self.session_path(""), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Saves a screenshot (a PNG, checked) under the test's temporary directory, and into
/// `docs/img/` when asked to.
fn keep_screenshot(png: &[u8], name: &str) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name} is not a PNG");
    assert!(
        png.len() > 10_000,
        "{name} looks empty ({} bytes)",
        png.len()
    );
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&tmp, png).unwrap();
    if std::env::var_os("FUPAN_SCREENSHOTS").is_some_and(|v| v == "1") {
        let dir = repo().join("docs/img");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), png).unwrap();
    }
}

#[test]
fn browser_search_article_stock_and_hostile_text() {
    let Some((driver, chromium)) = browser() else {
        return;
    };
    let served = Served::start(corpus_index(), &[]);
    let browser = Browser::start(&driver, &chromium);

    // type the query into the search box and press Enter
    browser.goto(&served.url("/"));
    let box_ = browser.find("#q");
    browser.type_text(&box_, "在手算力\u{E007}");
    browser.wait_for_url("q=");
    let hits = browser.find_all("article.hit");
    assert!(!hits.is_empty(), "no hits at {}", browser.url());
    let first = browser.text(&hits[0]);
    assert!(first.contains(SEED_FILE), "{first}");
    let marks = browser.find_all("article.hit:first-of-type mark");
    let marked: Vec<String> = marks.iter().map(|m| browser.text(m)).collect();
    assert!(marked.iter().any(|m| m == "在手算力"), "{marked:?}");
    keep_screenshot(&browser.screenshot(), "search.png");

    // open the seed article: 利通电子 is marked as a stock
    let link = browser.find("article.hit:first-of-type h3 a");
    browser.call(
        "POST",
        &browser.session_path(&format!("/element/{link}/click")),
        None,
    );
    browser.wait_for_url("/article/");
    let marked: Vec<String> = browser
        .find_all(".text a.m-stock[data-code='603629']")
        .iter()
        .map(|m| browser.text(m))
        .collect();
    assert!(marked.iter().any(|m| m == "利通电子"), "{marked:?}");
    assert!(!browser.find_all(".text mark.claim").is_empty());

    // the stock page draws its chart: an SVG with data points
    browser.goto(&served.url("/stock/603629"));
    let points = browser.find_all("svg.chart circle.point");
    assert!(!points.is_empty(), "no data points");
    let drawn = browser.run_script(
        "const c = document.querySelector('svg.chart circle.point'); \
         const box = c.getBoundingClientRect(); return [box.width, box.height];",
    );
    assert!(
        drawn[0].as_f64().unwrap() > 0.0,
        "points are not drawn: {drawn}"
    );
    keep_screenshot(&browser.screenshot(), "stock.png");

    // the hostile article: its title is text, and no script of it runs
    browser.goto(&served.url("/?q=onerror"));
    let link = browser.find("article.hit h3 a");
    assert_eq!(browser.text(&link), XSS_TITLE);
    assert_eq!(browser.alert(), None, "a script of the article ran");
    browser.call(
        "POST",
        &browser.session_path(&format!("/element/{link}/click")),
        None,
    );
    browser.wait_for_url("/article/");
    let heading = browser.find("section.article h1");
    assert_eq!(browser.text(&heading), XSS_TITLE);
    assert!(
        browser.find_all("img").is_empty(),
        "the article's <img> became markup"
    );
    let text = browser.inner_html(&browser.find(".text"));
    assert!(
        text.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "{text}"
    );
    assert_eq!(browser.alert(), None, "a script of the article ran");
}

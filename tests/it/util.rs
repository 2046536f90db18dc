//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` when present; tests that need it skip visibly otherwise.
pub fn shared() -> Option<PathBuf> {
    let p = repo().join("..").join("shared");
    if p.join("corpus").is_dir() {
        Some(p)
    } else {
        eprintln!("SKIPPED: ../shared is absent, test needs the shared corpus");
        None
    }
}

/// Runs the real binary with arguments in a working directory.
pub fn fupan(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fupan"))
        .args(args)
        .current_dir(dir)
        .env_remove("FUPAN_INDEX")
        // no user dictionary of the machine's: only what a test gives
        .env_remove("FUPAN_DICT")
        .env("XDG_CONFIG_HOME", NO_CONFIG)
        .env_remove("NO_COLOR")
        .output()
        .expect("run fupan")
}

/// A configuration directory that does not exist (so no default user dictionary is found).
pub const NO_CONFIG: &str = "/nonexistent/fupan-test-config";

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs the real binary with `input` on its standard input.
pub fn fupan_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_fupan"))
        .args(args)
        .current_dir(dir)
        .env_remove("FUPAN_INDEX")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run fupan");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_vec();
    // written from another thread: a large input would otherwise fill the pipe while fupan
    // waits for us to read its output
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for fupan");
    writer.join().expect("stdin writer");
    out
}

/// The JSON objects of JSON Lines output.
pub fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

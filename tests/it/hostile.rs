//! Hostile archives: each test writes one kind of bad input beside good articles in a temporary
//! directory, runs the real binary on it (`fupan extract`, then `fupan index`), and checks that
//! nothing panics, that the bad item is named on stderr (`fupan: PATH[#N]: why`), that every good
//! article comes out, and that the exit code says something failed (2) — or all went well (0).
//!
//! Everything is generated here; nothing binary is committed. The big cases (a 50 MB line, a 5 MB
//! article without punctuation) are sized for the README's `cargo test --release`.

use std::collections::BTreeSet;
use std::io::Write;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::LazyLock;

use serde_json::Value;

use crate::util::{repo, stderr, stdout};

/// The folder every case writes its archive into, as passed on the command line.
const ARCHIVE: &str = "archive";

/// The first kilobytes of the bundled recap: real text with stocks, concepts and numbers.
static SEED_HEAD: LazyLock<String> = LazyLock::new(|| {
    let seed = std::fs::read_to_string(repo().join("corpus/recap-2024-03.txt")).expect("seed");
    let mut end = 1500.min(seed.len());
    while !seed.is_char_boundary(end) {
        end -= 1;
    }
    seed[..end].to_string()
});

/// The seed's han characters only: text with no punctuation, no digits, no line breaks.
static SEED_HAN: LazyLock<String> = LazyLock::new(|| {
    let seed = std::fs::read_to_string(repo().join("corpus/recap-2024-03.txt")).expect("seed");
    seed.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect()
});

/// A good article, different for every `n` (so the index keeps each), naming 利通电子 (603629).
fn article(n: usize) -> String {
    format!(
        "第{n}篇复盘\n{}\n8、利通电子——平台回复在手3000P。\n",
        *SEED_HEAD
    )
}

/// One archive under test: what it holds and what fupan should make of it.
struct Case {
    tmp: tempfile::TempDir,
    /// Sources that must come out as records, e.g. `archive/a.txt`, `archive/f.jsonl#3`.
    good: BTreeSet<String>,
    /// Sources that must be reported, with a fragment of the message.
    bad: Vec<(String, String)>,
    /// Run fupan as this user (for permission cases when the tests run as root).
    uid: Option<u32>,
}

impl Case {
    fn new() -> Case {
        let case = Case {
            tmp: tempfile::tempdir().expect("temp dir"),
            good: BTreeSet::new(),
            bad: Vec::new(),
            uid: None,
        };
        std::fs::create_dir(case.path(ARCHIVE)).expect("archive dir");
        case
    }

    fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// `rel` inside the working directory.
    fn path(&self, rel: &str) -> PathBuf {
        self.dir().join(rel)
    }

    /// Writes `archive/rel`, creating folders, and returns its source name.
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> String {
        let source = format!("{ARCHIVE}/{rel}");
        let path = self.path(&source);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create dirs");
        std::fs::write(&path, bytes).expect("write input");
        source
    }

    /// Writes a good article at `archive/rel` that must come out.
    fn good(&mut self, rel: &str, n: usize) {
        let source = self.write(rel, article(n));
        self.good.insert(source);
    }

    /// Writes a few good articles beside the hostile ones.
    fn good_neighbours(&mut self) {
        for n in 0..3 {
            self.good(&format!("good-{n}.txt"), n);
        }
    }

    /// Expects `source` to come out as a record.
    fn expect_good(&mut self, source: &str) {
        self.good.insert(source.to_string());
    }

    /// Expects `source` to be reported with a message containing `why`.
    fn expect_bad(&mut self, source: &str, why: &str) {
        self.bad.push((source.to_string(), why.to_string()));
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_fupan"));
        command
            .args(args)
            .current_dir(self.dir())
            .env_remove("FUPAN_INDEX");
        if let Some(uid) = self.uid {
            command.uid(uid).gid(uid);
        }
        command.output().expect("run fupan")
    }

    /// `fupan extract archive` and `fupan index archive` both pass every check; returns the
    /// records of `extract`.
    fn check(&self) -> Vec<Value> {
        let records = self.check_extract();
        self.check_index();
        records
    }

    fn check_extract(&self) -> Vec<Value> {
        let out = self.run(&["extract", ARCHIVE]);
        self.check_survived("extract", &out);
        let records: Vec<Value> = stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line: {e}")))
            .collect();
        let sources: BTreeSet<String> = records
            .iter()
            .map(|r| r["source"].as_str().expect("source").to_string())
            .collect();
        assert_eq!(
            records.len(),
            self.good.len(),
            "one record per good article"
        );
        assert_eq!(sources, self.good, "the good articles, each once");
        records
    }

    fn check_index(&self) {
        let out = self.run(&["index", ARCHIVE, "--index", "idx"]);
        if stderr(&out).contains("not built yet") {
            eprintln!("SKIPPED: `fupan index` is still a stub; only `extract` was checked");
            return;
        }
        self.check_survived("index", &out);
        // The summary line, not `fupan stats`: one start-up less per case (seconds in debug).
        let err = stderr(&out);
        let summary = err
            .lines()
            .find_map(|l| l.strip_prefix("fupan: index idx: "))
            .unwrap_or_else(|| panic!("no index summary line:\n{err}"));
        let added = format!("{} articles added", self.good.len());
        assert!(
            summary.starts_with(&added),
            "every good article indexed: {summary}"
        );
    }

    /// No panic, every bad item named once with why, nothing else reported, exit code 2 when
    /// something failed and 0 otherwise.
    fn check_survived(&self, command: &str, out: &Output) {
        let err = stderr(out);
        assert!(!err.contains("panicked"), "{command} panicked:\n{err}");
        let reported: Vec<&str> = err
            .lines()
            .filter(|l| l.starts_with(&format!("fupan: {ARCHIVE}/")))
            .collect();
        for (source, why) in &self.bad {
            let prefix = format!("fupan: {source}: ");
            assert!(
                reported
                    .iter()
                    .any(|l| l.starts_with(&prefix) && l.contains(why.as_str())),
                "{command}: no `{prefix}…{why}…` on stderr:\n{err}"
            );
        }
        assert_eq!(
            reported.len(),
            self.bad.len(),
            "{command}: exactly the bad items are reported:\n{err}"
        );
        let expected = if self.bad.is_empty() { 0 } else { 2 };
        assert_eq!(out.status.code(), Some(expected), "{command}:\n{err}");
    }
}

/// The record of `source`.
fn record<'a>(records: &'a [Value], source: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r["source"] == source)
        .unwrap_or_else(|| panic!("no record for {source}"))
}

fn codes(record: &Value) -> Vec<&str> {
    record["stocks"]
        .as_array()
        .expect("stocks")
        .iter()
        .map(|s| s["code"].as_str().expect("code"))
        .collect()
}

fn warnings(record: &Value) -> String {
    record["warnings"].to_string()
}

/// Deterministic noise (xorshift), so a failure can be replayed.
fn noise(len: usize, mut state: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

#[test]
fn empty_file_is_reported_not_made_an_empty_article() {
    let mut case = Case::new();
    case.good_neighbours();
    let empty = case.write("empty.txt", b"");
    let blank = case.write("blank.md", " \n\t\n");
    case.expect_bad(&empty, "no text");
    case.expect_bad(&blank, "no text");
    case.check();
}

#[test]
fn binary_file_is_reported_and_unknown_extensions_are_ignored() {
    let mut case = Case::new();
    case.good_neighbours();
    let blob = case.write("blob.txt", noise(64 << 10, 7));
    case.write("photo.jpg", noise(64 << 10, 8)); // not a format fupan reads: not even looked at
    let zeros = case.write("preallocated.txt", vec![0u8; 8192]);
    case.expect_bad(&blob, "binary");
    case.expect_bad(&zeros, "binary");
    case.check();
}

#[test]
fn nul_bytes_in_text_are_removed_with_a_warning() {
    let mut case = Case::new();
    case.good_neighbours();
    let mut bytes = article(10).into_bytes();
    for at in [100, 700, 1300] {
        bytes.insert(at, 0);
    }
    let with_nuls = case.write("with-nuls.txt", bytes);
    case.expect_good(&with_nuls);
    let records = case.check();
    let r = record(&records, &with_nuls);
    assert!(
        warnings(r).contains("removed 3 NUL bytes"),
        "{}",
        warnings(r)
    );
    assert!(codes(r).contains(&"603629"), "{r}");
}

#[test]
fn invalid_utf8_is_replaced_with_a_warning() {
    let mut case = Case::new();
    case.good_neighbours();
    let mut bytes = article(10).into_bytes();
    let at = bytes.len() / 2;
    let at = (at..).find(|&i| bytes[i] < 0x80).expect("an ASCII byte");
    bytes.splice(at..at, [0xFF, 0xFE, 0xC0, 0x80]);
    let invalid = case.write("invalid.txt", bytes);
    case.expect_good(&invalid);
    let records = case.check();
    let r = record(&records, &invalid);
    assert!(warnings(r).contains("replaced"), "{}", warnings(r));
    assert!(codes(r).contains(&"603629"), "{r}");
}

#[test]
fn gbk_file_is_decoded() {
    let mut case = Case::new();
    case.good_neighbours();
    let text = article(10);
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    let source = case.write("gbk.txt", gbk);
    case.expect_good(&source);
    let records = case.check();
    let r = record(&records, &source);
    assert!(
        warnings(r).to_lowercase().contains("gb18030"),
        "{}",
        warnings(r)
    );
    assert!(codes(r).contains(&"603629"), "{r}");
    assert_eq!(r["chars"].as_u64(), Some(text.chars().count() as u64));
}

#[test]
fn utf16_files_are_decoded_with_and_without_bom() {
    let mut case = Case::new();
    case.good_neighbours();
    let le_bom = article(10);
    let be_bare = article(11);
    let mut le = vec![0xFF, 0xFE];
    le.extend(le_bom.encode_utf16().flat_map(u16::to_le_bytes));
    let be: Vec<u8> = be_bare.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let le = case.write("utf16le.txt", le);
    let be = case.write("utf16be.txt", be);
    case.expect_good(&le);
    case.expect_good(&be);
    let records = case.check();
    for (source, text) in [(&le, &le_bom), (&be, &be_bare)] {
        let r = record(&records, source);
        assert!(codes(r).contains(&"603629"), "{r}");
        assert_eq!(r["chars"].as_u64(), Some(text.chars().count() as u64));
    }
}

#[test]
fn mixed_encodings_give_one_article_with_a_warning() {
    let mut case = Case::new();
    case.good_neighbours();
    let mut bytes = article(10).into_bytes();
    let gbk_half = article(11);
    let (gbk, _, _) = encoding_rs::GBK.encode(&gbk_half);
    bytes.extend_from_slice(&gbk);
    let mixed = case.write("mixed.txt", bytes);
    case.expect_good(&mixed);
    let records = case.check();
    let r = record(&records, &mixed);
    assert!(warnings(r).contains("replaced"), "{}", warnings(r));
}

/// One line of 50 MB: an image pasted as base64, then the article goes on.
fn fifty_megabyte_line() -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bytes = format!("{}\n![](data:image/png;base64,", *SEED_HEAD).into_bytes();
    let noise = noise(50 << 20, 9);
    bytes.extend(noise.iter().map(|b| ALPHABET[(b & 63) as usize]));
    bytes.extend_from_slice(")\n8、利通电子——平台回复在手3000P。\n".as_bytes());
    bytes
}

#[test]
fn fifty_megabyte_line_in_markdown_is_read_to_its_end() {
    let mut case = Case::new();
    case.good_neighbours();
    let line = case.write("one-line.md", fifty_megabyte_line());
    case.expect_good(&line);
    let records = case.check();
    let r = record(&records, &line);
    assert!(
        codes(r).contains(&"603629"),
        "the text after the line is read"
    );
}

#[test]
fn fifty_megabyte_line_of_text_is_analysed_whole() {
    let mut case = Case::new();
    case.good_neighbours();
    let text = String::from_utf8(fifty_megabyte_line()).expect("UTF-8");
    let line = case.write("one-line.txt", &text);
    case.expect_good(&line);
    let records = case.check();
    let r = record(&records, &line);
    assert_eq!(r["chars"].as_u64(), Some(text.chars().count() as u64));
    assert!(
        codes(r).contains(&"603629"),
        "the text after the line is read"
    );
}

#[test]
fn five_megabyte_article_without_punctuation_finishes() {
    let mut case = Case::new();
    case.good_neighbours();
    let han = &*SEED_HAN;
    let mut text = String::with_capacity(5 << 20);
    while text.len() < 5 << 20 {
        text.push_str(han);
    }
    let source = case.write("no-punctuation.txt", &text);
    case.expect_good(&source);
    let records = case.check();
    let r = record(&records, &source);
    assert_eq!(r["chars"].as_u64(), Some(text.chars().count() as u64));
    assert!(codes(r).contains(&"603629"), "{}", codes(r).len());
}

/// Words with market terms and a theme, separated by spaces only: no sentence ever ends, which
/// once made every 涨停 look back to the start of the text (quadratic: 4 MB took 13 s).
#[test]
fn four_megabytes_of_words_without_a_sentence_end_are_analysed_whole() {
    let mut case = Case::new();
    case.good_neighbours();
    let words = ["alpha", "涨停", "算力", "的", "index", "上涨", "市场"];
    let mut state = 7u64;
    let mut text = String::with_capacity(4 << 20);
    while text.len() < 4 << 20 {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        text.push_str(words[(state >> 33) as usize % words.len()]);
        text.push(' ');
    }
    text.push_str("利通电子");
    let source = case.write("words.txt", &text);
    case.expect_good(&source);
    let records = case.check();
    let r = record(&records, &source);
    assert_eq!(r["chars"].as_u64(), Some(text.chars().count() as u64));
    let theme = r["concepts"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == "算力概念"))
        .expect("算力 recognised");
    assert_eq!(
        theme["count"].as_u64(),
        Some(text.matches("算力").count() as u64),
        "every occurrence"
    );
    assert_eq!(codes(r), ["603629"], "the stock at the very end");
}

#[test]
fn twenty_thousand_tiny_files_all_come_out() {
    let mut case = Case::new();
    for i in 0..20_000 {
        let rel = format!("{:03}/{i:05}.txt", i % 200);
        let source = case.write(&rel, format!("第{i}篇：利通电子在手3000P。"));
        case.expect_good(&source);
    }
    let empty = case.write("077/empty.txt", b"");
    case.expect_bad(&empty, "no text");
    let records = case.check();
    assert!(records.iter().all(|r| codes(r) == ["603629"]));
}

#[test]
fn deep_nesting_stops_at_256_levels() {
    let mut case = Case::new();
    case.good_neighbours();
    let nested = |levels: usize| format!("deep{}", "/d".repeat(levels));
    case.good(&format!("{}/level-100.txt", nested(100)), 100);
    case.good(&format!("{}/level-255.txt", nested(255)), 255);
    case.write(&format!("{}/level-300.txt", nested(300)), article(300));
    // `archive` is level 0 and `archive/deep` level 1: the folder 257 levels down is not entered.
    case.expect_bad(
        &format!("{ARCHIVE}/{}", nested(256)),
        "nested deeper than 256 levels",
    );
    case.check();
}

/// The user `nobody`, for cases that need file modes to apply.
const NOBODY: u32 = 65534;

#[test]
fn overlapping_stock_mentions_found_by_the_fuzzer() {
    let mut case = Case::new();
    case.good_neighbours();
    // fuzz/artifacts crash-99c39a14…, minimised; read as GB18030 it was this text.
    let source = case.write("overlap.txt", "艾艾精工癕艾精工克来的3板");
    case.expect_good(&source);
    case.check();
}

/// True when this process reads files whatever their mode (root, or CAP_DAC_OVERRIDE).
fn reads_past_permissions(dir: &Path) -> bool {
    let probe = dir.join("probe");
    std::fs::write(&probe, b"x").expect("probe");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).expect("remove probe");
    readable
}

#[test]
fn unreadable_file_and_directories_are_reported() {
    let mut case = Case::new();
    if reads_past_permissions(case.dir()) {
        // chmod does not stop root: run fupan as `nobody` so that the modes below really apply.
        let nobody = Command::new(env!("CARGO_BIN_EXE_fupan"))
            .arg("--version")
            .uid(NOBODY)
            .gid(NOBODY)
            .output();
        if !nobody.is_ok_and(|o| o.status.success()) {
            eprintln!("SKIPPED: reads ignore file modes here and fupan cannot run as uid {NOBODY}");
            return;
        }
        eprintln!("NOTE: running as root, where chmod 000 does not block reads: fupan runs as uid {NOBODY} here");
        case.uid = Some(NOBODY);
        chmod(case.dir(), 0o777);
    }
    case.good_neighbours();
    let locked = case.write("locked.txt", article(10));
    chmod(&case.path(&locked), 0o000);
    case.write("unlistable/inside.txt", article(11));
    let unlistable = case.path(&format!("{ARCHIVE}/unlistable"));
    chmod(&unlistable, 0o300); // can enter, cannot list
    case.write("unenterable/inside.txt", article(12));
    let unenterable = case.path(&format!("{ARCHIVE}/unenterable"));
    chmod(&unenterable, 0o600); // can list, cannot enter
    case.expect_bad(&locked, "Permission denied");
    case.expect_bad(&format!("{ARCHIVE}/unlistable"), "Permission denied");
    case.expect_bad(&format!("{ARCHIVE}/unenterable"), "Permission denied");
    case.check();
    chmod(&unlistable, 0o700); // let the temporary directory be removed
    chmod(&unenterable, 0o700);
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn read_error_inside_a_file_is_reported() {
    // /proc/self/mem opens but fails with EIO on the first read, even for root.
    if !Path::new("/proc/self/mem").exists() {
        eprintln!("SKIPPED: no /proc/self/mem to fail a read");
        return;
    }
    let mut case = Case::new();
    case.good_neighbours();
    symlink("/proc/self/mem", case.path(&format!("{ARCHIVE}/mem.txt"))).unwrap();
    case.expect_bad(&format!("{ARCHIVE}/mem.txt"), "Input/output error");
    case.check();
}

#[test]
fn fifo_socket_and_device_in_a_folder_are_reported_not_opened() {
    let mut case = Case::new();
    case.good_neighbours();
    let fifo = format!("{ARCHIVE}/pipe.txt");
    let made = Command::new("mkfifo").arg(case.path(&fifo)).status();
    if made.is_ok_and(|s| s.success()) {
        case.expect_bad(&fifo, "not a regular file");
    } else {
        eprintln!("SKIPPED: no mkfifo; FIFO case not checked");
    }
    let socket = format!("{ARCHIVE}/socket.jsonl");
    let _listener = std::os::unix::net::UnixListener::bind(case.path(&socket)).unwrap();
    case.expect_bad(&socket, "not a regular file");
    let zero = format!("{ARCHIVE}/zero.txt");
    symlink("/dev/zero", case.path(&zero)).unwrap();
    case.expect_bad(&zero, "not a regular file");
    case.check();
}

#[test]
fn broken_symlink_and_symlink_loops_are_reported() {
    let mut case = Case::new();
    case.good_neighbours();
    let link = |target: &str, rel: &str| {
        let source = format!("{ARCHIVE}/{rel}");
        symlink(target, case.path(&source)).expect("symlink");
        source
    };
    let dangling = link("missing.txt", "dangling.txt");
    let self_loop = link("self.txt", "self.txt");
    std::fs::create_dir(case.path(&format!("{ARCHIVE}/sub"))).unwrap();
    let up = link("..", "sub/up");
    case.expect_bad(&dangling, "broken or looping symlink");
    case.expect_bad(&self_loop, "broken or looping symlink");
    case.expect_bad(&up, "symlink loop");
    case.check();
}

#[test]
fn jsonl_malformed_and_overlong_lines_are_reported_by_line() {
    let mut case = Case::new();
    case.good_neighbours();
    let record = |n: usize| serde_json::json!({"title": format!("第{n}篇"), "text": article(n)});
    let overlong = format!(r#"{{"text": "{}"}}"#, "涨".repeat(12 << 20)); // 36 MB > 32 MB
    let mut lines: Vec<Vec<u8>> = vec![
        record(10).to_string().into(),                // #1 good
        b"{\"text\": \"unterminated".to_vec(),        // #2 malformed
        overlong.into_bytes(),                        // #3 too long
        record(11).to_string().into(),                // #4 good
        b"[1, 2, 3]".to_vec(),                        // #5 not an object
        br#"{"title": null, "url": "x"}"#.to_vec(),   // #6 no text
        b"".to_vec(),                                 // #7 blank: skipped silently
        (0..300u32).map(|i| (i % 9) as u8).collect(), // #8 binary
    ];
    lines.push(record(12).to_string().into()); // #9 good, no final newline
    let source = case.write("feed.jsonl", lines.join(&b'\n'));
    for n in [1, 4, 9] {
        case.expect_good(&format!("{source}#{n}"));
    }
    case.expect_bad(&format!("{source}#2"), "malformed JSON");
    case.expect_bad(&format!("{source}#3"), "line longer than");
    case.expect_bad(&format!("{source}#5"), "not a JSON object");
    case.expect_bad(&format!("{source}#6"), "no text field");
    case.expect_bad(&format!("{source}#8"), "binary data");
    case.check();
}

/// A zip of text members, written with the zip crate.
fn zip_of(members: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in members {
        zip.start_file(*name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn truncated_and_corrupt_zips_are_reported() {
    let mut case = Case::new();
    case.good_neighbours();
    let members = |from: usize| vec![("a.txt", article(from)), ("b.txt", article(from + 1))];
    let whole = zip_of(&members(10));
    let truncated = case.write("truncated.zip", &whole[..whole.len() * 2 / 3]);
    // A flipped byte in the middle of the first member's compressed data.
    let mut corrupt = zip_of(&members(20));
    let data_start = 30 + "a.txt".len();
    corrupt[data_start + 200] ^= 0x55;
    let corrupt = case.write("corrupt.zip", corrupt);
    case.expect_bad(&truncated, "unreadable zip archive");
    case.expect_bad(&format!("{corrupt}!a.txt"), "cannot decompress member");
    case.expect_good(&format!("{corrupt}!b.txt"));
    case.check();
}

/// Raw deflate of `len` copies of `a`: one literal, then 258-byte copies at distance 1, with the
/// fixed Huffman codes — a few kilobytes per hundred megabytes, built without compressing.
fn deflate_of_as(len: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u32,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u32, len: u32) {
            self.acc |= value << self.n;
            self.n += len;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Huffman codes are packed most significant bit first.
        fn code(&mut self, code: u32, len: u32) {
            self.put(code.reverse_bits() >> (32 - len), len);
        }
    }
    let mut bits = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    bits.put(1, 1); // final block
    bits.put(1, 2); // fixed Huffman codes
    let literal_a = 0x30 + u32::from(b'a');
    bits.code(literal_a, 8);
    let mut left = len - 1;
    while left >= 258 {
        bits.code(0b1100_0101, 8); // length 258 (symbol 285)
        bits.code(0, 5); // distance 1
        left -= 258;
    }
    for _ in 0..left {
        bits.code(literal_a, 8);
    }
    bits.code(0, 7); // end of block
    if bits.n > 0 {
        bits.out.push(bits.acc as u8);
    }
    bits.out
}

/// One member of a zip written by hand, so that its header can lie.
struct RawMember<'a> {
    name: &'a str,
    /// 0 stored, 8 deflated.
    method: u16,
    crc: u32,
    data: Vec<u8>,
    /// The uncompressed size the headers declare.
    declared: u32,
}

fn raw_zip(members: &[RawMember<'_>]) -> Vec<u8> {
    let (time, date) = (0u16, (44 << 9) | (3 << 5) | 22); // 2024-03-22
    let mut out = Vec::new();
    let mut central = Vec::new();
    for m in members {
        let offset = out.len() as u32;
        let common = |buf: &mut Vec<u8>| {
            for v in [20u16, 0, m.method, time, date] {
                buf.extend(v.to_le_bytes());
            }
            for v in [m.crc, m.data.len() as u32, m.declared] {
                buf.extend(v.to_le_bytes());
            }
            buf.extend((m.name.len() as u16).to_le_bytes());
            buf.extend(0u16.to_le_bytes()); // extra field length
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend(m.name.as_bytes());
        out.extend(&m.data);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes()); // made by
        common(&mut central);
        for v in [0u16, 0, 0] {
            central.extend(v.to_le_bytes()); // comment length, disk, internal attributes
        }
        central.extend(0u32.to_le_bytes()); // external attributes
        central.extend(offset.to_le_bytes());
        central.extend(m.name.as_bytes());
    }
    let (cd_offset, cd_len) = (out.len() as u32, central.len() as u32);
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, members.len() as u16, members.len() as u16] {
        out.extend(v.to_le_bytes());
    }
    out.extend(cd_len.to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fn stored<'a>(name: &'a str, text: &str) -> RawMember<'a> {
    let mut crc = flate2::Crc::new();
    crc.update(text.as_bytes());
    RawMember {
        name,
        method: 0,
        crc: crc.sum(),
        data: text.as_bytes().to_vec(),
        declared: text.len() as u32,
    }
}

#[test]
fn zip_bombs_stop_at_the_size_limit() {
    let mut case = Case::new();
    case.good_neighbours();
    const BOMB: usize = 100 << 20; // over the 64 MiB member limit
    let bomb = deflate_of_as(BOMB);
    let crc = {
        let mut crc = flate2::Crc::new();
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..BOMB >> 20 {
            crc.update(&chunk);
        }
        crc.sum()
    };
    let member = |name, declared| RawMember {
        name,
        method: 8,
        crc,
        data: bomb.clone(),
        declared,
    };
    let zip = raw_zip(&[
        stored("first.txt", &article(10)),
        member("honest.txt", BOMB as u32),
        member("liar.txt", 1000),
        RawMember {
            declared: 0xFFFF_FFF0,
            ..stored("huge.txt", &article(11))
        },
        stored("last.txt", &article(12)),
    ]);
    assert!(
        bomb.len() * 100 < BOMB,
        "a bomb compresses over a hundredfold"
    );
    let source = case.write("bomb.zip", zip);
    case.expect_good(&format!("{source}!first.txt"));
    case.expect_good(&format!("{source}!last.txt"));
    case.expect_bad(
        &format!("{source}!honest.txt"),
        "over the 67108864 byte member limit",
    );
    case.expect_bad(&format!("{source}!liar.txt"), "possible zip bomb");
    case.expect_bad(
        &format!("{source}!huge.txt"),
        "over the 67108864 byte member limit",
    );
    case.check();
}

#[test]
fn html_scripts_and_unclosed_tags_keep_only_visible_text() {
    let mut case = Case::new();
    case.good_neighbours();
    let html = format!(
        "<html><head><title>复盘</title><script>var s = '贵州茅台 600519';</script>\
         <style>p {{ color: red }}</style></head><body><div><p>{}<b>加粗<i>未闭合\
         <p>8、利通电子——平台回复在手3000P。<!-- 注释 贵州茅台 -->\
         <script>document.write('<p>贵州茅台</p>');</script><a href=\"x\">链接<img src=x",
        *SEED_HEAD
    );
    let page = case.write("page.html", &html);
    let script_only = case.write("script-only.html", "<script>var a = 1;");
    case.expect_good(&page);
    case.expect_bad(&script_only, "no text");
    let records = case.check();
    let r = record(&records, &page);
    let found = codes(r);
    assert!(found.contains(&"603629"), "{found:?}");
    assert!(
        !found.contains(&"600519"),
        "script text read as visible: {found:?}"
    );
    assert_eq!(r["title"], "复盘");
}

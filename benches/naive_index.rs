//! Indexing throughput: fupan's index (one extraction pass feeding tantivy pre-tokenized text)
//! against a naive tantivy + tantivy-jieba index of the same articles with default settings.
//!
//! ```text
//! cargo bench --bench naive_index                       # corpus/ and ../shared/corpus
//! cargo bench --bench naive_index -- PATH...            # files, directories, JSONL, archives
//! ```
//!
//! Articles are read once into memory with fupan's reader (so both sides index the same decoded
//! text and reading is not timed), then indexed into temporary directories. Each side asserts it
//! indexed every article, so a speed-up cannot come from dropping work.
//!
//! The naive side is baseline B of `benches/e2e.sh`: tantivy's default text options (frequencies
//! and positions, not stored) with the tantivy-jieba tokenizer, on one field, the article text.
//! With `NAIVE_ONLY=1` only that side runs, and it streams like `fupan index` does: each article
//! goes to the writer as it is read, nothing is held, and the e2e script times the whole process
//! (start-up and reading included, as for fupan's own binary) with `/usr/bin/time`. With
//! `NAIVE_ONLY=tokenize` that side only runs the tantivy-jieba tokenizer over every article, on
//! all cores and without an index, which splits baseline B into its tokenizing and its indexing.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fupan::index::{ArticleIndex, IndexOptions};
use fupan::model::Article;
use fupan::pipeline::Engine;
use fupan::source::{ReadOptions, Reader};
use tantivy::collector::Count;
use tantivy::query::AllQuery;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{doc, Index, IndexWriter};

/// tantivy's indexing memory budget, the same for both sides.
const WRITER_MEMORY: usize = 256 << 20;

fn main() {
    let paths = input_paths();
    if std::env::var("NAIVE_ONLY").as_deref() == Ok("tokenize") {
        let started = Instant::now();
        let (count, bytes, tokens) = tokenize_naive(&paths);
        println!(
            "{count} articles, {:.1} MB of text, {tokens} tokens",
            bytes as f64 / 1e6
        );
        report(
            "tantivy-jieba tokenizer alone",
            bytes as f64 / 1e6,
            started.elapsed(),
        );
        return;
    }
    if std::env::var_os("NAIVE_ONLY").is_some() {
        let started = Instant::now();
        let reader = Reader::new(ReadOptions::default());
        let (count, bytes, on_disk) =
            index_naive(reader.read(&paths).filter_map(|item| match item {
                Ok(article) => Some(article),
                Err(e) => {
                    eprintln!("skipped: {e}");
                    None
                }
            }));
        // the e2e script reads the size from this line, to print it beside fupan's index
        println!(
            "{count} articles, {:.1} MB of text, index {on_disk} bytes on disk",
            bytes as f64 / 1e6
        );
        report(
            "naive tantivy + tantivy-jieba",
            bytes as f64 / 1e6,
            started.elapsed(),
        );
        return;
    }
    let articles = read_articles(&paths);
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("{} articles, {mb:.1} MB of text", articles.len());

    let started = Instant::now();
    let engine = Engine::builtin().expect("built-in dictionaries");
    println!(
        "fupan engine built in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let fupan_time = index_with_fupan(&engine, &articles);
    let started = Instant::now();
    let (count, _, _) = index_naive(articles.iter().cloned());
    let naive_time = started.elapsed();
    assert_eq!(count, articles.len());
    report(
        "fupan index (one analysis feeding the index)",
        mb,
        fupan_time,
    );
    report("naive tantivy + tantivy-jieba", mb, naive_time);
}

/// Paths from the command line (cargo's own `--bench` flag skipped), else the bundled corpus
/// and the shared one when present.
fn input_paths() -> Vec<PathBuf> {
    let given: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    if !given.is_empty() {
        return given;
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = repo.join("..").join("shared").join("corpus");
    let mut paths = vec![repo.join("corpus")];
    if shared.is_dir() {
        paths.push(shared);
    } else {
        eprintln!("note: ../shared/corpus is absent; benchmarking corpus/ only");
    }
    paths
}

fn read_articles(paths: &[PathBuf]) -> Vec<Article> {
    let reader = Reader::new(ReadOptions::default());
    let mut articles = Vec::new();
    for item in reader.read(paths) {
        match item {
            Ok(article) => articles.push(article),
            Err(e) => eprintln!("skipped: {e}"),
        }
    }
    articles
}

fn index_with_fupan(engine: &Engine, articles: &[Article]) -> Duration {
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let index = ArticleIndex::open_or_create(dir.path(), false).expect("create index");
    let options = IndexOptions {
        writer_memory: WRITER_MEMORY,
        ..IndexOptions::default()
    };
    let mut indexer = index.indexer(engine, options).expect("writer");
    let items = articles.iter().cloned().map(Ok);
    let summary = indexer.add_all(engine, items, |_| {}).expect("indexing");
    indexer.finish().expect("merges");
    let elapsed = started.elapsed();
    assert_eq!(
        summary.added + summary.skipped,
        articles.len(),
        "every article seen"
    );
    assert_eq!(summary.failed, 0);
    let stats = index.stats(1).expect("stats");
    assert_eq!(
        stats.articles as usize, summary.added,
        "every new article indexed"
    );
    elapsed
}

/// Indexes the articles the naive way into a temporary directory; returns how many it indexed
/// (checked against the index), their bytes of text and the bytes of the index on disk.
fn index_naive(articles: impl Iterator<Item = Article>) -> (usize, usize, u64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let jieba = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("jieba")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let mut schema = Schema::builder();
    let body = schema.add_text_field("body", jieba);
    let index = Index::create_in_dir(dir.path(), schema.build()).expect("create index");
    index
        .tokenizers()
        .register("jieba", tantivy_jieba::JiebaTokenizer::new());
    let mut writer: IndexWriter = index.writer(WRITER_MEMORY).expect("writer");
    let (mut count, mut bytes) = (0, 0);
    for a in articles {
        count += 1;
        bytes += a.text.len();
        writer.add_document(doc!(body => a.text)).expect("add");
    }
    writer.commit().expect("commit");
    writer.wait_merging_threads().expect("merges");
    let searcher = index.reader().expect("reader").searcher();
    let indexed = searcher.search(&AllQuery, &Count).expect("count");
    assert_eq!(indexed, count, "every article indexed");
    (count, bytes, dir_bytes(dir.path()))
}

/// Bytes of the files in a directory (an index: no subdirectories).
fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("index directory")
        .filter_map(|entry| entry.ok()?.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}

/// Runs the naive side's tokenizer over every article, batches of them in parallel; returns the
/// articles, their bytes of text and the tokens the tokenizer gave.
fn tokenize_naive(paths: &[PathBuf]) -> (usize, usize, usize) {
    use rayon::prelude::*;
    use tantivy::tokenizer::{TokenStream, Tokenizer};

    let reader = Reader::new(ReadOptions::default());
    let mut items = reader.read(paths);
    let (mut count, mut bytes, mut tokens) = (0, 0, 0);
    loop {
        let batch: Vec<Article> = items
            .by_ref()
            .filter_map(|item| item.map_err(|e| eprintln!("skipped: {e}")).ok())
            .take(512)
            .collect();
        if batch.is_empty() {
            break;
        }
        count += batch.len();
        bytes += batch.iter().map(|a| a.text.len()).sum::<usize>();
        let counts: Vec<usize> = batch
            .par_iter()
            .map_init(tantivy_jieba::JiebaTokenizer::new, |tokenizer, a| {
                let mut stream = tokenizer.token_stream(&a.text);
                let mut n = 0;
                while stream.advance() {
                    n += 1;
                }
                n
            })
            .collect();
        for (a, n) in batch.iter().zip(&counts) {
            assert!(
                *n > 0 || a.text.trim().is_empty(),
                "no token in a non-empty article"
            );
        }
        tokens += counts.iter().sum::<usize>();
    }
    (count, bytes, tokens)
}

fn report(what: &str, mb: f64, elapsed: Duration) {
    let secs = elapsed.as_secs_f64();
    println!("{what:<40} {secs:>7.2} s  {:>6.2} MB/s", mb / secs);
}

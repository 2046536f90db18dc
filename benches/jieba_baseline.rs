//! Baseline A: plain jieba-rs (`Jieba::new()`, its default dictionary, `cut` with HMM) over every
//! article of an archive, in parallel with rayon, and the throughput in MB of text per second.
//! `fupan extract` does this cut and everything after it, so its MB/s divided by this one is what
//! the rest of the pipeline costs.
//!
//! ```text
//! cargo bench --bench jieba_baseline -- PATH...    # files, directories, JSONL, archives
//! ```
//!
//! Articles are read with fupan's own reader, lazily and in batches like `fupan extract`, so both
//! sides pay for the same reading and decoding and memory stays bounded; as in `Engine::run`, the
//! next batch is read while the last one is cut, so reading does not leave the cores idle. The
//! time is the whole run (reading included), the jieba dictionary load excluded.

use std::path::PathBuf;
use std::time::Instant;

use jieba_rs::Jieba;
use rayon::prelude::*;

use fupan::model::Article;
use fupan::source::{ReadOptions, Reader};

/// Articles cut in parallel at a time, as `Engine::run` batches them.
const BATCH: usize = 512;

fn main() {
    let paths: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--")) // cargo bench adds `--bench`
        .map(PathBuf::from)
        .collect();
    if paths.is_empty() {
        eprintln!("usage: cargo bench --bench jieba_baseline -- PATH...");
        std::process::exit(2);
    }
    let loaded = Instant::now();
    let jieba = Jieba::new();
    let load_secs = loaded.elapsed().as_secs_f64();

    let started = Instant::now();
    let reader = Reader::new(ReadOptions::default());
    let mut items = reader.read(&paths);
    let (mut articles, mut failed, mut bytes) = (0usize, 0usize, 0usize);
    let tokens = std::thread::scope(|scope| {
        let (to_cutter, batches) = std::sync::mpsc::sync_channel::<Vec<Article>>(1);
        let cutter = scope.spawn(|| {
            batches
                .into_iter()
                .map(|batch| {
                    batch
                        .par_iter()
                        .map(|a| cut(&jieba, &a.text))
                        .sum::<usize>()
                })
                .sum::<usize>()
        });
        loop {
            let mut seen = 0;
            let batch: Vec<Article> = items
                .by_ref()
                .take(BATCH)
                .inspect(|_| seen += 1)
                .filter_map(|item| item.map_err(|_| failed += 1).ok())
                .collect();
            if seen == 0 {
                break;
            }
            articles += batch.len();
            bytes += batch.iter().map(|a| a.text.len()).sum::<usize>();
            if to_cutter.send(batch).is_err() {
                break;
            }
        }
        drop(to_cutter);
        cutter.join().expect("the cutting thread")
    });
    let secs = started.elapsed().as_secs_f64();
    println!(
        "baseline A (jieba-rs cut, hmm): {articles} articles ({failed} unreadable), {tokens} tokens, \
         {:.1} MB in {secs:.2} s: {:.2} MB/s (dictionary loaded in {load_secs:.2} s)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
}

/// Tokens of one article; every byte of the text is in exactly one token.
fn cut(jieba: &Jieba, text: &str) -> usize {
    let words = jieba.cut(text, true);
    let covered: usize = words.iter().map(|w| w.word.len()).sum();
    assert_eq!(covered, text.len(), "jieba's tokens cover the text");
    words.len()
}

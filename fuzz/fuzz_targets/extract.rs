//! The extractor on arbitrary bytes: the first byte picks the file format (by extension), the
//! rest is the file. The real reader opens it (decoding, record and archive parsing), every
//! article goes through `Engine::run`, and the record must keep its promises: spans inside
//! the text, on char boundaries, quoting the text they point at; the record serialises. The index
//! terms of the article are checked too: spans inside the text, positions in order, and the
//! packed value reads back, through the tokenizer tantivy uses, as exactly those terms.

#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

use fupan::index::{IndexTerms, PackedTerms};
use fupan::model::{ArticleRecord, Span};
use fupan::pipeline::Engine;
use fupan::source::{ReadOptions, Reader};

const EXTENSIONS: &[&str] = &[
    "txt", "md", "html", "jsonl", "json", "csv", "zip", "tar", "tar.gz",
];

static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::builtin().expect("dictionaries"));

/// Small limits, so that a decompression bomb costs milliseconds, not the fuzzer's memory.
static READER: LazyLock<Reader> = LazyLock::new(|| {
    Reader::new(ReadOptions {
        max_file_bytes: 1 << 20,
        max_line_bytes: 256 << 10,
        max_member_bytes: 256 << 10,
        max_archive_bytes: 1 << 20,
        ..ReadOptions::default()
    })
});

/// One scratch directory per fuzzing process (tmpfs when there is one), there only while an
/// input is being read: fork mode starts many processes.
static SCRATCH: LazyLock<PathBuf> = LazyLock::new(|| {
    let base = PathBuf::from("/dev/shm");
    let base = if base.is_dir() {
        base
    } else {
        std::env::temp_dir()
    };
    base.join(format!("fupan-fuzz-{}", std::process::id()))
});

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let ext = EXTENSIONS[selector as usize % EXTENSIONS.len()];
    std::fs::create_dir_all(&*SCRATCH).expect("scratch dir");
    let path = SCRATCH.join(format!("input.{ext}"));
    std::fs::write(&path, bytes).expect("write input");
    // Through `Engine::run`, as `fupan extract` and `fupan index` go: batches, chunks taken
    // stage by stage, results in order. A panic there is contained as an "internal error" for
    // the user; here libfuzzer's panic hook aborts at the panic itself, before it is contained.
    ENGINE.run(READER.read(std::slice::from_ref(&path)), |result| {
        if let Ok(analysis) = result {
            let text = &analysis.article.text;
            check(&analysis.record, text);
            check_terms(&IndexTerms::new(&analysis.doc, text, ENGINE.segmenter()), text);
        }
        true
    });
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_dir(&*SCRATCH);
});

fn check(record: &ArticleRecord, text: &str) {
    assert_eq!(record.chars, text.chars().count());
    let hits = record.stocks.iter().flat_map(|s| &s.mentions);
    let named = record
        .concepts
        .iter()
        .chain(&record.organizations)
        .flat_map(|n| &n.mentions);
    for span in hits.chain(named) {
        check_span(span, text);
    }
    for claim in &record.claims {
        assert!(
            claim.start <= claim.end && claim.end <= text.len(),
            "{claim:?}"
        );
        assert_eq!(&text[claim.start..claim.end], claim.text, "{claim:?}");
    }
    serde_json::to_string(record).expect("records serialise");
}

fn check_span(span: &Span, text: &str) {
    assert!(span.start < span.end && span.end <= text.len(), "{span:?}");
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{span:?}"
    );
    assert_eq!(text[span.start..span.end], span.text, "{span:?}");
}

fn check_terms(terms: &IndexTerms, text: &str) {
    let mut last = 0;
    for t in terms.iter() {
        assert!(t.from <= t.to && t.to <= text.len(), "{t:?}");
        assert!(
            text.is_char_boundary(t.from) && text.is_char_boundary(t.to),
            "{t:?}"
        );
        assert!(!t.text.is_empty() && t.position >= last, "{t:?}");
        last = t.position;
    }
    let expected: Vec<(usize, String)> = terms
        .iter()
        .map(|t| (t.position, t.text.to_string()))
        .collect();
    assert_eq!(PackedTerms::read(terms.packed()), expected);
}

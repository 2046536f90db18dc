//! Throughput of each pipeline stage on the bundled recap (`corpus/recap-2024-03.txt`), in bytes
//! of article text per second: normalise + segment, segment alone, recognise, extract claims, the
//! whole engine, and the index (turning a document into tantivy tokens; writing articles to a
//! fresh index and committing).
//!
//! ```text
//! cargo bench --bench stages
//! cargo bench --bench stages -- recognize      # one stage
//! ```
//!
//! Every iteration checks a result computed once before the loop (token count, the mentions of
//! 利通电子 603629, the claim list, the record), so a speed-up cannot come from a stage that stopped
//! doing its work.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

use fupan::index::{ArticleIndex, IndexOptions, IndexTerms};
use fupan::model::{Article, ClaimKind};
use fupan::pipeline::Engine;
use fupan::recognize::Entity;
use fupan::segment::Doc;

/// The seed article, and the stock every stage must find in it.
const SEED: &str = include_str!("../corpus/recap-2024-03.txt");
const SEED_STOCK: &str = "603629";

/// True when `entity` is the seed's 利通电子.
fn is_seed_stock(engine: &Engine, entity: Entity) -> bool {
    matches!(entity, Entity::Stock(i) if engine.lexicon().stock(i).code == SEED_STOCK)
}

fn stages(c: &mut Criterion) {
    let engine = Engine::builtin().expect("built-in dictionaries");
    let (segmenter, recognizer, claim_extractor) = (
        engine.segmenter(),
        engine.recognizer(),
        engine.claim_extractor(),
    );
    let doc = Doc::new(SEED, segmenter);
    let tokens = doc.tokens.len();
    let mentions = recognizer.find(&doc).mentions;
    let seed_mentions = mentions
        .iter()
        .filter(|m| is_seed_stock(&engine, m.entity))
        .count();
    assert!(seed_mentions > 0, "the seed names {SEED_STOCK}");
    let claims = claim_extractor.extract(&doc, &mentions, None);
    assert!(
        claims.iter().any(|c| c.kind == ClaimKind::ComputeCapacity
            && c.subject.code.as_deref() == Some(SEED_STOCK)
            && c.value == Some(3000.0)),
        "the seed's 在手3000P claim"
    );

    let mut group = c.benchmark_group("stage");
    group.throughput(Throughput::Bytes(SEED.len() as u64));
    group.bench_function("normalize+segment", |b| {
        b.iter(|| {
            let doc = Doc::new(black_box(SEED), segmenter);
            assert_eq!(doc.tokens.len(), tokens);
        })
    });
    group.bench_function("segment", |b| {
        b.iter(|| {
            let t = segmenter.segment(black_box(doc.text()));
            assert_eq!(t.len(), tokens);
        })
    });
    group.bench_function("recognize", |b| {
        b.iter(|| {
            let found = recognizer.find(black_box(&doc));
            assert_eq!(found.mentions, mentions);
        })
    });
    group.bench_function("claims", |b| {
        b.iter(|| {
            let found = claim_extractor.extract(black_box(&doc), &mentions, None);
            assert_eq!(found, claims);
        })
    });
    group.finish();
}

fn engine(c: &mut Criterion) {
    let engine = Engine::builtin().expect("built-in dictionaries");
    let article = Article {
        source: "corpus/recap-2024-03.txt".into(),
        text: SEED.into(),
        ..Article::default()
    };
    let expected = engine.analyze(article.clone()).record;
    assert!(expected.stocks.iter().any(|s| s.code == SEED_STOCK));
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Bytes(SEED.len() as u64));
    group.bench_function("analyze", |b| {
        b.iter(|| {
            let record = engine.analyze(black_box(article.clone())).record;
            assert_eq!(record.stocks.len(), expected.stocks.len());
            assert_eq!(record.claims, expected.claims);
        })
    });
    group.finish();
}

/// Articles written per iteration of `index/write`: distinct texts, so none is skipped as known.
const WRITE_ARTICLES: usize = 50;

fn index(c: &mut Criterion) {
    let engine = Engine::builtin().expect("built-in dictionaries");
    let doc = Doc::new(SEED, engine.segmenter());
    let terms = IndexTerms::new(&doc, engine.segmenter()).len();
    assert!(terms > 0);
    let mut group = c.benchmark_group("index");
    group.throughput(Throughput::Bytes(SEED.len() as u64));
    group.bench_function("terms", |b| {
        b.iter(|| {
            let tokens = IndexTerms::new(black_box(&doc), engine.segmenter());
            assert_eq!(tokens.len(), terms);
        })
    });

    let articles: Vec<Article> = (0..WRITE_ARTICLES)
        .map(|i| Article {
            source: format!("copy-{i}.txt"),
            text: format!("{SEED}\n（副本 {i}）"),
            ..Article::default()
        })
        .collect();
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("write", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("temp dir"),
            |dir| {
                let index = ArticleIndex::open_or_create(dir.path(), false).expect("index");
                let mut indexer = index
                    .indexer(&engine, IndexOptions::default())
                    .expect("writer");
                let items = articles.iter().cloned().map(Ok);
                let summary = indexer.add_all(&engine, items, |_| {}).expect("add");
                indexer.finish().expect("commit");
                assert_eq!(summary.added, WRITE_ARTICLES);
                dir
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, stages, engine, index);
criterion_main!(benches);

//! The order of the stages, in one place:
//! read → normalise + segment (once) → recognise → extract claims → record.
//!
//! [`Engine`] holds everything built once (lexicon, segmenter, automata) and is shared by the
//! rayon workers; [`Engine::run`] streams articles through it in batches, in parallel, and hands
//! results to a sink in input order, so memory stays bounded whatever the archive size.

use std::sync::mpsc;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::calendar::Day;
use crate::claims::ClaimExtractor;
use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::model::{content_id, Article, ArticleRecord, Claim, NamedHit, Span, StockHit};
use crate::recognize::{Entity, Mention, Recognized, Recognizer};
use crate::segment::{DetachedDoc, Doc, Segmenter};
use crate::source::{Reader, RecordFields};

/// What the pipeline made of one article: the output record and the analysis behind it.
pub struct Analysis {
    /// The article as read.
    pub article: Article,
    /// The `docs/OUTPUT.md` record.
    pub record: ArticleRecord,
    /// Normalised text and its segmentation (reused by the index): `doc.attach(&article.text)`
    /// is the [`Doc`] the stages worked on.
    pub doc: DetachedDoc,
    /// Mentions in normalised offsets.
    pub mentions: Vec<Mention>,
}

/// Everything built once: dictionaries, segmenter, recogniser, claim extractor.
pub struct Engine {
    lexicon: Arc<Lexicon>,
    segmenter: Arc<Segmenter>,
    recognizer: Recognizer,
    claims: ClaimExtractor,
    with_claims: bool,
    /// Recognise with the plain matcher ([`Recognizer::find_plain`]) instead of the rules.
    plain: bool,
    /// Time spent building the engine.
    pub load_time: std::time::Duration,
}

impl Engine {
    /// Builds the engine over a lexicon.
    pub fn new(lexicon: Lexicon) -> Engine {
        let started = Instant::now();
        let segmenter = Segmenter::new(&lexicon);
        Engine::assemble(lexicon, segmenter, started)
    }

    /// Loads the lexicon with `load` while jieba's default dictionary loads on another thread
    /// (the two are independent until the lexicon's words are added to jieba), then builds the
    /// engine: start-up is the longer of the two instead of their sum.
    pub fn load<E: Send>(
        load: impl FnOnce() -> std::result::Result<Lexicon, E>,
    ) -> std::result::Result<Engine, E> {
        let started = Instant::now();
        let (lexicon, jieba) = std::thread::scope(|scope| {
            let jieba = scope.spawn(jieba_rs::Jieba::new);
            let lexicon = load();
            (lexicon, jieba.join())
        });
        let lexicon = lexicon?;
        // Jieba::new only parses the dictionary bundled into jieba-rs; a panic there is its bug,
        // passed on as it is
        let jieba = jieba.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let segmenter = Segmenter::extend(jieba, &lexicon);
        Ok(Engine::assemble(lexicon, segmenter, started))
    }

    fn assemble(lexicon: Lexicon, segmenter: Segmenter, started: Instant) -> Engine {
        let lexicon = Arc::new(lexicon);
        let segmenter = Arc::new(segmenter);
        let recognizer = Recognizer::new(lexicon.clone(), segmenter.clone());
        let claims = ClaimExtractor::new(lexicon.clone());
        Engine {
            lexicon,
            segmenter,
            recognizer,
            claims,
            with_claims: true,
            plain: false,
            load_time: started.elapsed(),
        }
    }

    /// The same engine without the claims stage (recognition only), for callers that need no
    /// claims and for measuring what claims cost.
    pub fn without_claims(mut self) -> Engine {
        self.with_claims = false;
        self
    }

    /// The same engine recognising with the plain matcher ([`Recognizer::find_plain`]): the
    /// baseline that `fupan eval --plain` scores.
    pub fn plain_matcher(mut self) -> Engine {
        self.plain = true;
        self
    }

    /// The engine over the dictionaries bundled into the binary.
    pub fn builtin() -> Result<Engine> {
        Engine::load(Lexicon::builtin)
    }

    /// The lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The segmenter (for query text: the same segmentation as the index).
    pub fn segmenter(&self) -> &Segmenter {
        &self.segmenter
    }

    /// The recogniser (for timing the stage alone).
    pub fn recognizer(&self) -> &Recognizer {
        &self.recognizer
    }

    /// The claim extractor (for timing the stage alone).
    pub fn claim_extractor(&self) -> &ClaimExtractor {
        &self.claims
    }

    /// Runs every stage on one article, in the pipeline's order: normalise + segment, recognise,
    /// extract claims (and make the record).
    pub fn analyze(&self, article: Article) -> Analysis {
        let doc = self.segment(&article);
        let (doc, found) = self.recognize(&article, doc);
        self.extract_claims(article, doc, found)
    }

    /// [`Engine::analyze`] over a few articles, one stage over all of them before the next: each
    /// stage's tables (jieba's trie, the name automaton, the claim regexes) then stay in the
    /// processor's caches for the whole chunk instead of being pushed out by the other stages'
    /// at every article. A panic in any stage becomes an error naming its article; the other
    /// articles go on.
    fn analyze_chunk(&self, items: Vec<Result<Article>>) -> Vec<Result<Analysis>> {
        let segmented: Vec<Result<(Article, DetachedDoc)>> = items
            .into_iter()
            .map(|item| {
                let article = item?;
                let doc = contained(&article.source, || self.segment(&article))?;
                Ok((article, doc))
            })
            .collect();
        let recognized: Vec<_> = segmented
            .into_iter()
            .map(|item| {
                let (article, doc) = item?;
                let (doc, found) = contained(&article.source, || self.recognize(&article, doc))?;
                Ok((article, doc, found))
            })
            .collect();
        recognized
            .into_iter()
            .map(|item| {
                let (article, doc, found) = item?;
                let source = article.source.clone();
                contained(&source, || self.extract_claims(article, doc, found))
            })
            .collect()
    }

    /// The first stage: the article's text normalised and segmented, as a [`Doc`] detached from
    /// the text so that it travels with the article to the next stages.
    fn segment(&self, article: &Article) -> DetachedDoc {
        Doc::new(&article.text, &self.segmenter).detach()
    }

    /// The recognition stage: the mentions in the article.
    fn recognize(&self, article: &Article, doc: DetachedDoc) -> (DetachedDoc, Recognized) {
        let doc = doc.attach(&article.text);
        let date = article.date.as_deref().and_then(Day::parse);
        let found = if self.plain {
            self.recognizer.find_plain(&doc)
        } else {
            self.recognizer.find_dated(&doc, date)
        };
        (doc.detach(), found)
    }

    /// The claims stage, the last: the article's claims (none when the engine runs
    /// [`Engine::without_claims`]), then its record and the analysis holding both.
    fn extract_claims(&self, article: Article, doc: DetachedDoc, found: Recognized) -> Analysis {
        let doc = doc.attach(&article.text);
        let claims = if self.with_claims {
            self.claims
                .extract(&doc, &found.mentions, article.date.as_deref())
        } else {
            Vec::new()
        };
        let record = self.record(&article, &doc, &found.mentions, found.warnings, claims);
        let doc = doc.detach();
        Analysis {
            article,
            record,
            doc,
            mentions: found.mentions,
        }
    }

    /// The `docs/OUTPUT.md` record of an article: its metadata, the mentions grouped by entity,
    /// the claims, and the reader's warnings followed by recognition's.
    fn record(
        &self,
        article: &Article,
        doc: &Doc,
        mentions: &[Mention],
        typo_warnings: Vec<String>,
        claims: Vec<Claim>,
    ) -> ArticleRecord {
        let mut warnings = article.warnings.clone();
        warnings.extend(typo_warnings);
        let (stocks, concepts, organizations) = self.group(doc, mentions);
        ArticleRecord {
            id: content_id(&article.text),
            input_id: article.input_id.clone(),
            source: article.source.clone(),
            title: article.title.clone(),
            date: article.date.clone(),
            date_source: article.date_source,
            author: article.author.clone(),
            chars: article.text.chars().count(),
            stocks,
            concepts,
            organizations,
            claims,
            warnings,
        }
    }

    /// Groups mentions by entity, in order of first mention, with spans in the original text.
    fn group(
        &self,
        doc: &Doc,
        mentions: &[Mention],
    ) -> (Vec<StockHit>, Vec<NamedHit>, Vec<NamedHit>) {
        let mut order: Vec<Entity> = Vec::new();
        let mut spans: rustc_hash::FxHashMap<Entity, Vec<Span>> = Default::default();
        let mut orig = doc.orig_cursor();
        for m in mentions {
            let (start, end) = orig.span_to_orig(m.start, m.end);
            let list = spans.entry(m.entity).or_insert_with(|| {
                order.push(m.entity);
                Vec::new()
            });
            list.push(Span {
                start,
                end,
                text: doc.original[start..end].to_string(),
            });
        }
        let (mut stocks, mut concepts, mut orgs) = (Vec::new(), Vec::new(), Vec::new());
        for e in order {
            let mentions = spans.remove(&e).unwrap_or_default();
            let count = mentions.len();
            match e {
                Entity::Stock(i) => {
                    let s = self.lexicon.stock(i);
                    stocks.push(StockHit {
                        code: s.code.clone(),
                        exchange: s.exchange.clone(),
                        name: s.name.clone(),
                        count,
                        mentions,
                    });
                }
                Entity::Concept(i) => concepts.push(NamedHit {
                    name: self.lexicon.concepts[i as usize].name.clone(),
                    count,
                    mentions,
                }),
                Entity::Organization(i) => orgs.push(NamedHit {
                    name: self.lexicon.organizations[i as usize].name.clone(),
                    count,
                    mentions,
                }),
            }
        }
        (stocks, concepts, orgs)
    }

    /// The one entry point from a caller's record to its output record: the article as the
    /// file reader would make it ([`Reader::article_of`]: title and text assembled, date and
    /// author from the fields or the source's file name), then every stage. Both the command
    /// line's streams and the Python package go through it; an error (no text, or a panic in a
    /// stage) names the record by its source, else `fallback_source`.
    pub fn extract_record(
        &self,
        reader: &Reader,
        fields: RecordFields,
        fallback_source: &str,
    ) -> Result<ArticleRecord> {
        let article = reader.article_of(fields, fallback_source)?;
        let source = article.source.clone();
        contained(&source, || self.analyze(article).record)
    }

    /// Analyses `items` in parallel on the current rayon pool, stage by stage in chunks as
    /// [`Engine::run`] does, and gives the results in input order (an error stays an error, a
    /// panic in a stage becomes one naming the article).
    pub fn analyze_batch(&self, items: Vec<Result<Article>>) -> Vec<Result<Analysis>> {
        chunks(items)
            .into_par_iter()
            .flat_map_iter(|chunk| self.analyze_chunk(chunk))
            .collect()
    }

    /// Streams items through the engine: batches analysed in parallel, handed to `sink` in input
    /// order. Read errors go to `sink` as `Err`. Stops early when `sink` returns `false`.
    ///
    /// Reading and the sink stay on the calling thread (readers and writers need not be `Send`);
    /// a scoped thread drives the rayon pool, so the next batch is read and the previous one
    /// written while the current one is analysed. At most two batches are in flight, which keeps
    /// memory bounded whatever the archive size.
    pub fn run<I, F>(&self, items: I, mut sink: F)
    where
        I: Iterator<Item = Result<Article>>,
        F: FnMut(std::result::Result<Analysis, Error>) -> bool,
    {
        let mut items = items.peekable();
        std::thread::scope(|scope| {
            let (to_workers, batches) = mpsc::sync_channel::<Vec<Result<Article>>>(1);
            let (to_main, analysed) = mpsc::sync_channel::<Vec<Result<Analysis>>>(1);
            scope.spawn(move || {
                for batch in batches {
                    let results = chunks(batch)
                        .into_par_iter()
                        .flat_map_iter(|chunk| self.analyze_chunk(chunk))
                        .collect();
                    if to_main.send(results).is_err() {
                        break;
                    }
                }
            });
            let mut in_flight = 0;
            let mut stopped = false;
            loop {
                while !stopped && in_flight < 2 {
                    let batch = next_batch(&mut items);
                    if batch.is_empty() || to_workers.send(batch).is_err() {
                        break;
                    }
                    in_flight += 1;
                }
                if in_flight == 0 {
                    break;
                }
                let Ok(results) = analysed.recv() else { break };
                in_flight -= 1;
                for r in results {
                    if !stopped && !sink(r) {
                        stopped = true;
                    }
                }
            }
            drop(to_workers);
        });
    }
}

/// Most articles and most text one thread takes through the stages together (see
/// [`Engine::analyze_chunk`]). The text bound keeps what a chunk holds at once (its articles'
/// segmentations and byte maps, several times their text) small whatever the articles' sizes.
const CHUNK_ARTICLES: usize = 32;
/// See [`CHUNK_ARTICLES`].
const CHUNK_TEXT_BYTES: usize = 256 << 10;

/// `items` in order, in pieces of at most [`CHUNK_ARTICLES`] articles that stop once they hold
/// [`CHUNK_TEXT_BYTES`] of text.
fn chunks(items: Vec<Result<Article>>) -> Vec<Vec<Result<Article>>> {
    let mut items = items.into_iter();
    std::iter::from_fn(|| {
        let chunk = take_bounded(&mut items, CHUNK_ARTICLES, CHUNK_TEXT_BYTES);
        (!chunk.is_empty()).then_some(chunk)
    })
    .collect()
}

/// The next batch: up to 512 articles or 16 MB of text.
fn next_batch(items: &mut impl Iterator<Item = Result<Article>>) -> Vec<Result<Article>> {
    take_bounded(items, 512, 16 << 20)
}

/// The next items, up to `articles` of them or until they hold `bytes` of text (the article
/// that reaches the bound is the last one). Unreadable items have no text.
fn take_bounded(
    items: &mut impl Iterator<Item = Result<Article>>,
    articles: usize,
    bytes: usize,
) -> Vec<Result<Article>> {
    let mut taken = Vec::new();
    let mut held = 0;
    for item in items.by_ref() {
        held += item.as_ref().map_or(0, |a| a.text.len());
        taken.push(item);
        if taken.len() >= articles || held >= bytes {
            break;
        }
    }
    taken
}

/// Runs `work` for the article `source`; a panic becomes an error naming it (the panic hook has
/// printed where it happened already).
fn contained<T>(source: &str, work: impl FnOnce() -> T) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Error::bad_input(
            source,
            format!("internal error, article skipped (please report): {what}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(source: &str, text: String) -> Article {
        Article {
            source: source.to_string(),
            title: None,
            date: None,
            date_source: None,
            author: None,
            url: None,
            text,
            warnings: Vec::new(),
            input_id: None,
        }
    }

    #[test]
    fn chunks_keep_the_order_and_stop_at_either_bound() {
        let small: Vec<Result<Article>> = (0..70)
            .map(|i| Ok(article(&format!("{i}"), "涨停".to_string())))
            .collect();
        let sizes: Vec<usize> = chunks(small).iter().map(Vec::len).collect();
        assert_eq!(
            sizes,
            [CHUNK_ARTICLES, CHUNK_ARTICLES, 70 - 2 * CHUNK_ARTICLES]
        );

        let big = || Ok(article("big", "a".repeat(CHUNK_TEXT_BYTES / 2 + 1)));
        let err = || Err(Error::bad_input("bad", "unreadable"));
        // an unreadable item has no text: it never closes a chunk by size
        let pieces = chunks(vec![big(), err(), big(), big(), err()]);
        let sources: Vec<Vec<String>> = pieces
            .iter()
            .map(|c| {
                c.iter()
                    .map(|r| r.as_ref().map_or("err".to_string(), |a| a.source.clone()))
                    .collect()
            })
            .collect();
        assert_eq!(sources, [vec!["big", "err", "big"], vec!["big", "err"]]);
    }

    #[test]
    fn a_chunk_analysed_stage_by_stage_gives_what_each_article_gives_alone() {
        let engine = Engine::builtin().unwrap();
        let seed = include_str!("../corpus/recap-2024-03.txt");
        let texts = [
            seed.to_string(),
            "利通电子在手算力3000P，今日涨停。".to_string(),
            String::new(),
            "宁王三连板，易中天集体走强，北向资金净流入52亿元。".to_string(),
        ];
        let mut items: Vec<Result<Article>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Ok(article(&format!("a{i}"), t.clone())))
            .collect();
        items.insert(2, Err(Error::bad_input("broken.txt", "unreadable")));
        let staged = engine.analyze_chunk(items);
        assert_eq!(staged.len(), texts.len() + 1);
        assert!(matches!(&staged[2], Err(e) if e.to_string().starts_with("broken.txt")));
        let staged: Vec<_> = staged.into_iter().filter_map(|r| r.ok()).collect();
        for (i, (analysis, text)) in staged.iter().zip(&texts).enumerate() {
            let alone = engine.analyze(article(&format!("a{i}"), text.clone()));
            assert_eq!(
                serde_json::to_string(&analysis.record).unwrap(),
                serde_json::to_string(&alone.record).unwrap()
            );
        }
        assert!(!staged[0].record.claims.is_empty(), "the seed has claims");
    }

    #[test]
    fn a_panic_becomes_an_error_naming_the_article() {
        let err = contained("a.txt", || -> u8 { panic!("boom") }).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.txt: internal error, article skipped (please report): boom"
        );
        assert_eq!(contained("b.txt", || 7).unwrap(), 7);
    }
}

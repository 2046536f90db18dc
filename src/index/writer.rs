//! Writing: the [`Indexer`] that turns analysed articles into article and claim documents and
//! commits them in batches.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::schema::document::Document;
use tantivy::schema::{Field, OwnedValue};
use tantivy::{IndexWriter, Term};

use crate::calendar;
use crate::error::{Error, Result};
use crate::model::{content_key, key_id, Article, ArticleRecord, Claim};
use crate::pipeline::{Analysis, Engine};
use crate::segment::{Doc, Segmenter};

use super::{ArticleIndex, Fields, IndexTerms, ARTICLE, CLAIM};

/// How an index run writes.
#[derive(Debug, Clone, Copy)]
pub struct IndexOptions {
    /// Start over: the first commit replaces everything the index had.
    pub rebuild: bool,
    /// tantivy's indexing memory budget, in bytes (shared by its indexing threads).
    pub writer_memory: usize,
    /// Commit after this many new articles …
    pub commit_articles: usize,
    /// … or this many bytes of new text, whichever comes first.
    pub commit_bytes: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            rebuild: false,
            writer_memory: 256 << 20,
            commit_articles: 200_000,
            commit_bytes: 128 << 20,
        }
    }
}

/// Counts of an index run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexSummary {
    /// Articles added.
    pub added: usize,
    /// Claims added (with those articles).
    pub claims: usize,
    /// Articles skipped because the index already had their content.
    pub skipped: usize,
    /// Bytes of text of the skipped articles.
    pub skipped_bytes: usize,
    /// Input items that could not be read.
    pub failed: usize,
    /// Bytes of text added.
    pub bytes: usize,
    /// Articles added in place of an older version from the same source (a file that changed).
    pub replaced: usize,
    /// Records of a changed record file (JSONL, CSV, TSV) that the file no longer holds,
    /// removed with their claims.
    pub removed: usize,
    /// The run was stopped ([`Indexer::stop_when`]) before its input ended; what was added is
    /// committed.
    pub interrupted: bool,
}

/// What an index run reports as it goes.
pub enum IndexEvent<'a> {
    /// An input item could not be read; the run goes on.
    Failed(&'a Error),
    /// The counts so far.
    Progress(&'a IndexSummary),
}

/// The content ids of the articles an index holds, as the number their 16 hex digits spell: eight
/// bytes per article rather than a `String`, so the set stays small for millions of articles.
pub(crate) type KnownIds = rustc_hash::FxHashSet<u64>;

/// The content keys of the records read in one run from each record file (JSONL, CSV, TSV: the
/// sources `file#N`), by file: what the file holds now, against which the index's older records
/// of that file are judged.
type RecordsRead = rustc_hash::FxHashMap<String, KnownIds>;

/// The file part of a record's source (`news.jsonl` of `news.jsonl#12`); `None` for a whole
/// file and for standard input, whose records no later run can be compared with.
fn record_file(source: &str) -> Option<&str> {
    let (file, _) = source.rsplit_once('#')?;
    (!file.is_empty() && file != "-" && !file.starts_with("-!")).then_some(file)
}

/// The items whose article content is not in `known` (nor earlier in `items`); counts the
/// others in `skipped` and calls `on_skip` with the new counts. Known content is dropped before
/// analysis, so re-indexing an archive costs one hash per article.
fn unseen<'a, I>(
    items: I,
    known: &'a mut KnownIds,
    skipped: &'a Cell<(usize, usize)>,
    records: &'a mut RecordsRead,
    on_skip: impl Fn(usize, usize) + 'a,
) -> impl Iterator<Item = Result<Article>> + 'a
where
    I: Iterator<Item = Result<Article>> + 'a,
{
    items.filter(move |item| match item {
        Ok(article) => {
            let key = content_key(&article.text);
            if let Some(file) = record_file(&article.source) {
                match records.get_mut(file) {
                    Some(keys) => keys.insert(key),
                    None => records.entry(file.to_string()).or_default().insert(key),
                };
            }
            let new = known.insert(key);
            if !new {
                let (count, bytes) = skipped.get();
                let now = (count + 1, bytes + article.text.len());
                skipped.set(now);
                on_skip(now.0, now.1);
            }
            new
        }
        Err(_) => true,
    })
}

/// A progress report goes out after every this many analysed or failed items …
const REPORT_EVERY: usize = 16;
/// … and every this many skipped ones (skipping costs a hash, analysing a segmentation).
const REPORT_SKIPPED_EVERY: usize = 1024;

/// Analysed articles whose documents are built together, in parallel, before being added.
const DOC_BATCH: usize = 256;

/// Adds articles to an index; holds its writer lock until dropped.
pub struct Indexer<'a> {
    index: &'a ArticleIndex,
    segmenter: &'a Segmenter,
    writer: IndexWriter<IndexDoc>,
    known: KnownIds,
    options: IndexOptions,
    pending_articles: usize,
    pending_bytes: usize,
    /// What an added article replaces.
    replace: Replace,
    /// Set from outside (Ctrl-C) to end the run early.
    stop: Option<Arc<AtomicBool>>,
    /// The index as the run found it (for the sources it holds).
    before: Option<tantivy::Searcher>,
}

/// The documents an added article takes the place of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replace {
    /// None: the index was empty.
    Nothing,
    /// Those from the same source (an older version of the file).
    SameSource,
    /// Those with the same content id (the article analysed again).
    SameId,
}

impl<'a> Indexer<'a> {
    /// A writer over `index` that skips the articles in `known`.
    pub(super) fn new(
        index: &'a ArticleIndex,
        segmenter: &'a Segmenter,
        writer: IndexWriter<IndexDoc>,
        known: KnownIds,
        options: IndexOptions,
    ) -> Indexer<'a> {
        let replace = match known.is_empty() {
            true => Replace::Nothing,
            false => Replace::SameSource,
        };
        Indexer {
            index,
            segmenter,
            writer,
            known,
            options,
            pending_articles: 0,
            pending_bytes: 0,
            replace,
            stop: None,
            before: index.reader().ok().map(|r| r.searcher()),
        }
    }
}

impl Indexer<'_> {
    /// Ends a run early, at the next analysed article, once `flag` is set (by a Ctrl-C handler):
    /// what was added is committed and the summary says `interrupted`.
    pub fn stop_when(&mut self, flag: Arc<AtomicBool>) {
        self.stop = Some(flag);
    }

    fn stopped(&self) -> bool {
        self.stop
            .as_ref()
            .is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// Analyses again every article the index holds, from its stored text, source, title, date
    /// and author (the files are not read), and replaces its documents: for new dictionaries.
    pub fn reanalyze<F>(&mut self, engine: &Engine, report: F) -> Result<IndexSummary>
    where
        F: FnMut(IndexEvent<'_>),
    {
        let stored = self.index.stored_articles()?;
        self.replace = Replace::SameId;
        self.known = KnownIds::default();
        let summary = self.add_all(engine, stored, report);
        self.replace = Replace::SameSource;
        summary
    }

    /// Analyses and adds every article of `items` whose content the index does not have yet,
    /// committing in batches and at the end. Unreadable items are reported and counted; only a
    /// failing index stops the run.
    pub fn add_all<I, F>(&mut self, engine: &Engine, items: I, report: F) -> Result<IndexSummary>
    where
        I: Iterator<Item = Result<Article>>,
        F: FnMut(IndexEvent<'_>),
    {
        let skipped = Cell::new((0, 0));
        let summary = RefCell::new(IndexSummary::default());
        let report = RefCell::new(report);
        // Skipped articles never reach the analysis, so they are reported from the filter (on
        // the thread that reads, never while a result is being handled): a rerun over an
        // archive that is already indexed shows its progress too.
        let on_skip = |count: usize, bytes: usize| {
            if !count.is_multiple_of(REPORT_SKIPPED_EVERY) {
                return;
            }
            if let (Ok(mut s), Ok(mut report)) = (summary.try_borrow_mut(), report.try_borrow_mut())
            {
                (s.skipped, s.skipped_bytes) = (count, bytes);
                report(IndexEvent::Progress(&s));
            }
        };
        let mut known = std::mem::take(&mut self.known);
        let mut records = RecordsRead::default();
        let fresh = unseen(items, &mut known, &skipped, &mut records, on_skip);
        let mut batch = Vec::with_capacity(DOC_BATCH);
        let mut fatal = None;
        let mut interrupted = false;
        engine.run(fresh, |result| {
            // `on_skip` holds these only inside the reader's filter, which never calls this
            let (mut summary, mut report) = (summary.borrow_mut(), report.borrow_mut());
            match result {
                Ok(analysis) => batch.push(analysis),
                Err(e) => {
                    summary.failed += 1;
                    report(IndexEvent::Failed(&e));
                }
            }
            if batch.len() >= DOC_BATCH {
                if let Err(e) = self.add_batch(&mut batch, &mut summary) {
                    fatal = Some(e);
                    return false;
                }
            }
            (summary.skipped, summary.skipped_bytes) = skipped.get();
            if (summary.added + batch.len() + summary.failed).is_multiple_of(REPORT_EVERY) {
                report(IndexEvent::Progress(&summary));
            }
            // the article in hand is kept: an interrupted run always commits something
            if self.stopped() {
                interrupted = true;
                return false;
            }
            true
        });
        self.known = known;
        if let Some(e) = fatal {
            return Err(e);
        }
        let mut summary = summary.into_inner();
        self.add_batch(&mut batch, &mut summary)?;
        (summary.skipped, summary.skipped_bytes) = skipped.get();
        summary.interrupted = interrupted || self.stopped();
        // a record file read whole and without a failure is what it holds now: its records the
        // index has from an older version and the file no longer holds go
        if self.replace == Replace::SameSource && !summary.interrupted && summary.failed == 0 {
            summary.removed = self.remove_gone_records(&records)?;
        }
        self.commit()?;
        Ok(summary)
    }

    /// Deletes the articles (and their claims) of each record file in `read` whose content the
    /// file no longer holds; gives how many articles.
    fn remove_gone_records(&self, read: &RecordsRead) -> Result<usize> {
        let Some(before) = &self.before else {
            return Ok(0);
        };
        let fields = self.index.fields();
        let error = |e| self.index.error(e);
        // (source, content key): an article and its claims may lie in different segments
        let mut gone: std::collections::BTreeSet<(String, u64)> = Default::default();
        for segment in before.segment_readers() {
            let keys = segment.fast_fields().u64("key").map_err(error)?;
            let inverted = segment.inverted_index(fields.source).map_err(error)?;
            for (file, now) in read {
                let from = format!("{file}#");
                let to = format!("{file}$"); // '$' follows '#'
                let mut terms = inverted
                    .terms()
                    .range()
                    .ge(from.as_bytes())
                    .lt(to.as_bytes())
                    .into_stream()
                    .map_err(|e| self.index.error(e.into()))?;
                while terms.advance() {
                    let Ok(source) = std::str::from_utf8(terms.key()) else {
                        continue;
                    };
                    let term = Term::from_field_text(fields.source, source);
                    let Some(mut postings) = inverted
                        .read_postings(&term, tantivy::schema::IndexRecordOption::Basic)
                        .map_err(|e| self.index.error(e.into()))?
                    else {
                        continue;
                    };
                    let mut doc = tantivy::DocSet::doc(&postings);
                    while doc != tantivy::TERMINATED {
                        let alive = segment.alive_bitset().is_none_or(|a| a.is_alive(doc));
                        if let (true, Some(key)) = (alive, keys.first(doc)) {
                            // content another file read in this run still holds stays
                            let held =
                                now.contains(&key) || read.values().any(|k| k.contains(&key));
                            if !held {
                                gone.insert((source.to_string(), key));
                            }
                        }
                        doc = tantivy::DocSet::advance(&mut postings);
                    }
                }
            }
        }
        for (source, key) in &gone {
            self.delete_record(source, *key)?;
        }
        Ok(gone.len())
    }

    /// Deletes the documents of the article with content `key` read from `source`.
    fn delete_record(&self, source: &str, key: u64) -> Result<()> {
        use tantivy::query::{BooleanQuery, TermQuery};
        use tantivy::schema::IndexRecordOption;
        let fields = self.index.fields();
        let term = |field, text: &str| -> Box<dyn tantivy::query::Query> {
            let term = Term::from_field_text(field, text);
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        };
        let id = key_id(key);
        let query =
            BooleanQuery::intersection(vec![term(fields.source, source), term(fields.id, &id)]);
        self.writer
            .delete_query(Box::new(query))
            .map(drop)
            .map_err(|e| self.index.error(e))
    }

    /// Builds the documents of analysed articles in parallel and adds them (articles in order),
    /// committing whenever the pending articles or bytes reach the limits.
    fn add_batch(&mut self, batch: &mut Vec<Analysis>, summary: &mut IndexSummary) -> Result<()> {
        let (fields, segmenter) = (*self.index.fields(), self.segmenter);
        let built: Vec<Documents> = batch
            .par_drain(..)
            .map(|a| documents(segmenter, a))
            .collect();
        for docs in built {
            let (bytes, claims) = (docs.bytes(), docs.record.claims.len());
            let (writer, index) = (&self.writer, self.index);
            // deleted before the new documents are added: a delete applies only to documents
            // added before it
            match self.replace {
                Replace::Nothing => {}
                // a record's source (`file#N`) is its place in the file, which moves when a
                // record is inserted before it: records are keyed by their content alone
                Replace::SameSource if !docs.record.source.contains('#') => {
                    let source = Term::from_field_text(fields.source, &docs.record.source);
                    if self
                        .before
                        .as_ref()
                        .is_some_and(|s| s.doc_freq(&source).unwrap_or(0) > 0)
                    {
                        summary.replaced += 1;
                        writer.delete_term(source);
                    }
                }
                Replace::SameSource => {}
                Replace::SameId => {
                    writer.delete_term(Term::from_field_text(fields.id, &docs.record.id));
                }
            }
            docs.add_each(&fields, |doc| {
                writer
                    .add_document(doc)
                    .map(drop)
                    .map_err(|e| index.error(e))
            })?;
            summary.added += 1;
            summary.claims += claims;
            summary.bytes += bytes;
            self.pending_articles += 1;
            self.pending_bytes += bytes;
            if self.pending_articles >= self.options.commit_articles
                || self.pending_bytes >= self.options.commit_bytes
            {
                self.commit()?;
            }
        }
        Ok(())
    }

    /// Makes everything added so far durable and visible to searches.
    pub fn commit(&mut self) -> Result<()> {
        self.writer.commit().map_err(|e| self.index.error(e))?;
        self.index.let_readers_read();
        self.pending_articles = 0;
        self.pending_bytes = 0;
        Ok(())
    }

    /// Waits for background merges to finish and releases the index.
    pub fn finish(self) -> Result<()> {
        let index = self.index;
        self.writer
            .wait_merging_threads()
            .map_err(|e| index.error(e))?;
        // the merges wrote meta.json again
        index.let_readers_read();
        Ok(())
    }
}

/// A document as fupan writes it: field values in order, handed to tantivy as they are.
#[derive(Debug, Default)]
pub(crate) struct IndexDoc(Vec<(Field, OwnedValue)>);

impl IndexDoc {
    fn add_text(&mut self, field: Field, text: &str) {
        self.add_string(field, text.to_string());
    }

    fn add_string(&mut self, field: Field, text: String) {
        self.0.push((field, OwnedValue::Str(text)));
    }

    fn add_i64(&mut self, field: Field, value: i64) {
        self.0.push((field, OwnedValue::I64(value)));
    }

    fn add_u64(&mut self, field: Field, value: u64) {
        self.0.push((field, OwnedValue::U64(value)));
    }

    fn add_f64(&mut self, field: Field, value: f64) {
        self.0.push((field, OwnedValue::F64(value)));
    }
}

/// The field–value pair of an [`IndexDoc`] entry, as tantivy iterates them.
type FieldValue<'a> = (Field, &'a OwnedValue);

impl Document for IndexDoc {
    type Value<'a> = &'a OwnedValue;
    type FieldsValuesIter<'a> = std::iter::Map<
        std::slice::Iter<'a, (Field, OwnedValue)>,
        fn(&'a (Field, OwnedValue)) -> FieldValue<'a>,
    >;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.0.iter().map(|(field, value)| (*field, value))
    }
}

/// What the documents of one analysed article are made from. The article's claims each get a
/// document too, and a long article has many; they are made one at a time as they are added
/// ([`Documents::add_each`]), so at most tantivy's queue of them is in memory, not all of them.
struct Documents {
    record: ArticleRecord,
    text: String,
    body: IndexTerms,
    title: Option<String>,
}

impl Documents {
    /// Bytes of article text.
    fn bytes(&self) -> usize {
        self.text.len()
    }

    /// Gives `add` the article's claim documents, then its own, stopping at the first error.
    fn add_each(self, fields: &Fields, mut add: impl FnMut(IndexDoc) -> Result<()>) -> Result<()> {
        let mut chars = CharCounter::default();
        for claim in &self.record.claims {
            let span = (
                chars.at(&self.text, claim.start),
                chars.at(&self.text, claim.end),
            );
            add(claim_document(
                fields,
                &self.record,
                claim,
                span,
                &self.body,
            ))?;
        }
        add(article_document(
            fields,
            &self.record,
            self.text,
            self.body,
            self.title,
        ))
    }
}

/// The makings of every document of one analysed article. Consumes the analysis: the
/// segmentation and the mentions are dropped as soon as the terms are made, and the text and the
/// packed terms move into the article's document, so a huge article is not held twice over.
fn documents(segmenter: &Segmenter, analysis: Analysis) -> Documents {
    let Analysis {
        article,
        record,
        doc,
        mentions,
    } = analysis;
    drop(mentions);
    // the segmentation is dropped with the attached `Doc` at the end of the statement
    let body = IndexTerms::new(&doc.attach(&article.text), segmenter);
    let title = record
        .title
        .as_deref()
        .and_then(|title| title_terms(title, &article.text, &body, segmenter));
    Documents {
        record,
        text: article.text,
        body,
        title,
    }
}

/// How far into the text a title is looked for: titles are the first line of a text file, the
/// head of a JSONL record's text, or an HTML `<title>` that usually repeats near the top.
const TITLE_SEARCH_BYTES: usize = 16 << 10;

/// The packed terms of an article's title. Most titles are part of the text (the first line, or
/// the head of a record's text), and then their terms are the body's terms over that span: the
/// text is segmented once. A title found nowhere near the top (an HTML `<title>` the page does
/// not repeat) is segmented on its own.
///
/// When the text is one paragraph and the title its opening (a news item with no headline,
/// whose title is taken from its only line), the title is only the bracketed lead the item opens
/// with (`【北向资金全天净卖出66亿元】…`), or none: the rest is no headline, its words are the
/// body's already, and boosting them as a title would rank such items above those with a real
/// headline for any word they hold.
fn title_terms(
    title: &str,
    text: &str,
    body: &IndexTerms,
    segmenter: &Segmenter,
) -> Option<String> {
    let head = &text[..text.floor_char_boundary(TITLE_SEARCH_BYTES)];
    // most titles open the text: no substring search for them
    let at = if head.starts_with(title) {
        Some(0)
    } else {
        head.find(title)
    };
    match at {
        Some(at) if one_paragraph(text) && text[..at].trim().is_empty() => {
            bracketed_lead(text).map(|(from, to)| body.within(from, to).to_string())
        }
        Some(at) if !title.is_empty() => Some(body.within(at, at + title.len()).to_string()),
        _ => Some(IndexTerms::new(&Doc::new(title, segmenter), segmenter).into_packed()),
    }
}

/// The byte span of the bracketed headline (`【…】`) a text opens with, brackets included.
fn bracketed_lead(text: &str) -> Option<(usize, usize)> {
    const LONGEST: usize = 300; // bytes: a hundred han characters
    let from = text.len() - text.trim_start().len();
    let rest = text[from..].strip_prefix('【')?;
    let close = rest[..rest.floor_char_boundary(LONGEST)].find('】')?;
    Some((from, from + '【'.len_utf8() + close + '】'.len_utf8()))
}

/// True when `text` is a single line, blank lines around it aside.
fn one_paragraph(text: &str) -> bool {
    !text.trim().contains('\n')
}

/// Fields every document of an article has: type, id, source, title, date and its source.
fn common_fields(fields: &Fields, record: &ArticleRecord, doc_type: &str) -> IndexDoc {
    let mut doc = IndexDoc::default();
    doc.add_text(fields.doc_type, doc_type);
    doc.add_text(fields.id, &record.id);
    if let Ok(key) = u64::from_str_radix(&record.id, 16) {
        doc.add_u64(fields.key, key);
    }
    doc.add_text(fields.source, &record.source);
    if let Some(title) = &record.title {
        doc.add_text(fields.title, title);
    }
    if let Some(date) = record.date.as_deref().and_then(calendar::text_number) {
        doc.add_i64(fields.date, date);
    }
    if let Some(source) = record.date_source {
        doc.add_text(fields.date_source, source.as_str());
    }
    doc
}

/// The article's document.
fn article_document(
    fields: &Fields,
    record: &ArticleRecord,
    text: String,
    body: IndexTerms,
    title: Option<String>,
) -> IndexDoc {
    let mut doc = common_fields(fields, record, ARTICLE);
    if let Some(title) = title {
        doc.add_string(fields.title_terms, title);
    }
    if let Some(author) = &record.author {
        doc.add_text(fields.author, author);
    }
    doc.add_string(fields.text, text);
    doc.add_string(fields.body, body.into_packed());
    for stock in &record.stocks {
        doc.add_text(fields.stock, &stock.code);
        doc.add_text(fields.stock_name, &stock.name);
    }
    for concept in &record.concepts {
        doc.add_text(fields.concept, &concept.name);
    }
    for org in &record.organizations {
        doc.add_text(fields.organization, &org.name);
    }
    let kinds: std::collections::BTreeSet<_> = record.claims.iter().map(|c| c.kind).collect();
    for kind in kinds {
        doc.add_text(fields.kind, kind.as_str());
    }
    doc
}

/// A claim's document: its figures, subject, evidence and the terms of the evidence (taken from
/// the article's tokens inside the evidence span).
fn claim_document(
    fields: &Fields,
    record: &ArticleRecord,
    claim: &Claim,
    (char_start, char_end): (Option<usize>, Option<usize>),
    body: &IndexTerms,
) -> IndexDoc {
    let mut doc = common_fields(fields, record, CLAIM);
    doc.add_text(fields.kind, claim.kind.as_str());
    if let Some(code) = &claim.subject.code {
        doc.add_text(fields.stock, code);
    }
    if let Some(name) = &claim.subject.name {
        doc.add_text(fields.stock_name, name);
    }
    for concept in &record.concepts {
        doc.add_text(fields.concept, &concept.name);
    }
    add_figures(fields, claim, &mut doc);
    doc.add_text(fields.text, &claim.text);
    doc.add_u64(fields.start, claim.start as u64);
    doc.add_u64(fields.end, claim.end as u64);
    for (field, at) in [(fields.char_start, char_start), (fields.char_end, char_end)] {
        if let Some(at) = at {
            doc.add_u64(field, at as u64);
        }
    }
    doc.add_text(fields.body, body.within(claim.start, claim.end));
    doc
}

/// Byte offsets into one text turned into character offsets, counting on (or back) from the last
/// offset asked: an article's claims come mostly in text order, so the text is walked about once.
/// (Starting over from the text's start whenever a claim began before the last one ended took
/// half of the indexing time of a 16 MB one-line article.)
#[derive(Default)]
struct CharCounter {
    byte: usize,
    chars: usize,
}

impl CharCounter {
    /// The character offset of byte offset `at`; `None` when `at` is not on a character
    /// boundary of `text`.
    fn at(&mut self, text: &str, at: usize) -> Option<usize> {
        let chars = if at < self.byte {
            self.chars - text.get(at..self.byte)?.chars().count()
        } else {
            self.chars + text.get(self.byte..at)?.chars().count()
        };
        (self.byte, self.chars) = (at, chars);
        Some(chars)
    }
}

/// A claim's value, range, least and most figures, unit, qualifier, metric, period and basis.
fn add_figures(fields: &Fields, claim: &Claim, doc: &mut IndexDoc) {
    for (field, v) in [
        (fields.value, claim.value),
        (fields.low, claim.low),
        (fields.high, claim.high),
        (fields.least, claim.value.or(claim.low)),
        (fields.most, claim.value.or(claim.high)),
    ] {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            doc.add_f64(field, v);
        }
    }
    if let Some(unit) = &claim.unit {
        doc.add_text(fields.unit, unit);
    }
    if let Some(q) = &claim.qualifier {
        doc.add_text(fields.qualifier, q);
    }
    for (field, slot) in [
        (fields.metric, &claim.metric),
        (fields.period, &claim.period),
        (fields.basis, &claim.basis),
    ] {
        if let Some(v) = slot {
            doc.add_text(field, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::terms::terms_of;
    use crate::index::PackedTerms;

    #[test]
    fn a_title_in_the_text_takes_the_body_terms_and_one_outside_is_segmented() {
        let segmenter = Segmenter::plain();
        let title = "利通电子在手算力";
        let original = format!("\n  {title}\n今天大涨，明天再看。");
        let body = terms_of(&original);
        let words = |packed: &str| -> Vec<String> {
            PackedTerms::read(packed)
                .into_iter()
                .map(|(_, t)| t)
                .collect()
        };
        let alone = words(terms_of(title).packed());
        let from_body = title_terms(title, &original, &body, &segmenter).unwrap();
        assert_eq!(
            words(&from_body),
            alone,
            "same words as the title on its own"
        );
        assert!(
            from_body.starts_with("3\u{1f}"),
            "at the title's place in the body"
        );
        assert!(!words(&from_body).contains(&"大涨".to_string()));

        let elsewhere = "今日复盘";
        let segmented = title_terms(elsewhere, &original, &body, &segmenter).unwrap();
        assert_eq!(segmented, terms_of(elsewhere).packed());
        assert_eq!(words(&segmented), ["今日", "复盘"]);
    }

    #[test]
    fn the_opening_of_a_one_paragraph_text_is_no_title_to_index() {
        let segmenter = Segmenter::plain();
        let item = "广弘控股公告，1月份公司销售生猪8101头，收入568万元。环比下降11.9%。";
        let title: String = item.chars().take(20).collect();
        assert_eq!(title_terms(&title, item, &terms_of(item), &segmenter), None);
        assert_eq!(title_terms(item, item, &terms_of(item), &segmenter), None);
        // the first line of a text of several is its title, long or short
        let text = format!("{item}\n今天大涨。");
        assert!(title_terms(item, &text, &terms_of(&text), &segmenter).is_some());
        // as is a record's headline that the text does not open with
        assert!(title_terms("生猪销售收入", item, &terms_of(item), &segmenter).is_some());
        // a bracketed lead is the headline of a one-paragraph item
        let item = "【北向资金净卖出66亿元】北向资金全天净卖出66.38亿元，终结连续7日净买入。";
        let words = |packed: &str| -> Vec<String> {
            PackedTerms::read(packed)
                .into_iter()
                .map(|(_, t)| t)
                .collect()
        };
        let lead = title_terms(item, item, &terms_of(item), &segmenter).unwrap();
        assert!(words(&lead).contains(&"北向".to_string()));
        assert!(!words(&lead).contains(&"终结".to_string()));
    }

    #[test]
    fn a_rerun_counts_the_articles_and_bytes_it_skips() {
        let engine = Engine::builtin().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let index = ArticleIndex::open_or_create(dir.path(), false).unwrap();
        let article = |source: &str, text: &str| Article {
            source: source.into(),
            text: text.into(),
            ..Article::default()
        };
        let old = [
            article("a.txt", "利通电子——平台回复在手3000P。"),
            article("b.txt", "宁王涨停，算力租赁方向继续走强。"),
        ];
        let run = |articles: Vec<Article>| {
            let mut indexer = index.indexer(&engine, IndexOptions::default()).unwrap();
            let summary = indexer
                .add_all(&engine, articles.into_iter().map(Ok), |_| {})
                .unwrap();
            indexer.finish().unwrap();
            summary
        };
        let first = run(old.to_vec());
        assert_eq!((first.added, first.skipped, first.skipped_bytes), (2, 0, 0));
        let new = article("c.txt", "北向资金净流入52亿元。");
        let second = run(vec![old[0].clone(), new.clone(), old[1].clone()]);
        assert_eq!((second.added, second.skipped), (1, 2));
        assert_eq!(second.bytes, new.text.len());
        assert_eq!(second.skipped_bytes, old[0].text.len() + old[1].text.len());
    }

    #[test]
    fn a_rerun_that_skips_everything_still_reports_progress() {
        let engine = Engine::builtin().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let index = ArticleIndex::open_or_create(dir.path(), false).unwrap();
        let articles: Vec<Article> = (0..2 * REPORT_SKIPPED_EVERY + 5)
            .map(|i| Article {
                source: format!("{i}.txt"),
                text: format!("第{i}篇：宁王涨停。"),
                ..Article::default()
            })
            .collect();
        let run = |articles: &[Article]| {
            let mut indexer = index.indexer(&engine, IndexOptions::default()).unwrap();
            let mut reports = Vec::new();
            let items = articles.iter().cloned().map(Ok);
            let summary = indexer
                .add_all(&engine, items, |event| {
                    if let IndexEvent::Progress(s) = event {
                        reports.push((s.added, s.skipped, s.skipped_bytes));
                    }
                })
                .unwrap();
            indexer.finish().unwrap();
            (summary, reports)
        };
        let (first, _) = run(&articles);
        assert_eq!(first.added, articles.len());
        let (second, reports) = run(&articles);
        assert_eq!((second.added, second.skipped), (0, articles.len()));
        let bytes = |n: usize| articles[..n].iter().map(|a| a.text.len()).sum::<usize>();
        let (a, b) = (REPORT_SKIPPED_EVERY, 2 * REPORT_SKIPPED_EVERY);
        assert_eq!(reports, [(0, a, bytes(a)), (0, b, bytes(b))]);
    }

    #[test]
    fn character_offsets_count_on_or_back_from_the_last_one_asked() {
        let text = "宁王aB算力3000P，利通电子";
        let mut chars = CharCounter::default();
        let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
        for c in [0, 2, 4, 6, 13, 3, 9, 1] {
            assert_eq!(chars.at(text, byte(c)), Some(c), "char {c}");
        }
        assert_eq!(chars.at(text, 1), None, "inside 宁");
        assert_eq!(chars.at(text, text.len() + 1), None);
    }
}

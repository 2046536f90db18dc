//! Opening an index directory, reading what it holds (stats, known ids) and removing it.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::AggregationCollector;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::directory::error::LockError;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term,
};

use crate::calendar;
use crate::error::{Error, Result};
use crate::model::{Article, DateSource};
use crate::pipeline::Engine;

use super::read_only::ReadOnlyDirectory;
use super::schema::PACKED;
use super::terms::PackedTerms;
use super::writer::{IndexDoc, IndexOptions, Indexer, KnownIds};
use super::{schema, Fields, ARTICLE, CLAIM};

fn tantivy_error(dir: &Path) -> impl Fn(TantivyError) -> Error + '_ {
    move |e| Error::index(dir, "").because(e)
}

fn index_error(dir: &Path, message: impl Into<String>) -> Error {
    Error::index(dir, message)
}

/// An index directory, opened.
pub struct ArticleIndex {
    index: Index,
    fields: Fields,
    dir: PathBuf,
}

impl ArticleIndex {
    /// Opens an existing index for reading (searches, stats, exports); a clear error when there
    /// is none. Reading needs no write permission and creates no file in the directory (see
    /// [`ReadOnlyDirectory`]); [`ArticleIndex::indexer`] fails on an index opened this way.
    pub fn open(dir: &Path) -> Result<ArticleIndex> {
        ArticleIndex::exists(dir)?;
        let files = ReadOnlyDirectory::open(dir).map_err(|e| Error::index(dir, "").because(e))?;
        let index = Index::open(files).map_err(tantivy_error(dir))?;
        ArticleIndex::wrap(dir, index)
    }

    /// Opens an existing index for writing.
    fn open_writable(dir: &Path) -> Result<ArticleIndex> {
        ArticleIndex::exists(dir)?;
        let index = Index::open_in_dir(dir).map_err(tantivy_error(dir))?;
        ArticleIndex::wrap(dir, index)
    }

    fn exists(dir: &Path) -> Result<()> {
        if !dir.join("meta.json").is_file() {
            return Err(index_error(
                dir,
                "no index here; create one with `fupan index PATH…` (or pass --index DIR)",
            ));
        }
        Ok(())
    }

    /// Opens the index in `dir`, creating it when absent. With `rebuild`, an index that cannot
    /// be opened (another fupan version, damage) is deleted and created anew.
    pub fn open_or_create(dir: &Path, rebuild: bool) -> Result<ArticleIndex> {
        if dir.join("meta.json").is_file() {
            match ArticleIndex::open_writable(dir) {
                Err(_) if rebuild => remove_index(dir)?,
                opened => return opened,
            }
        }
        let io = |source| Error::Io {
            path: dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        if std::fs::read_dir(dir).map_err(io)?.next().is_some() {
            return Err(index_error(
                dir,
                "the directory is not empty and holds no fupan index; choose another with --index",
            ));
        }
        let index = Index::create_in_dir(dir, schema()).map_err(tantivy_error(dir))?;
        ArticleIndex::wrap(dir, index)
    }

    fn wrap(dir: &Path, index: Index) -> Result<ArticleIndex> {
        if index.schema() != schema() {
            return Err(index_error(
                dir,
                "made by another version of fupan; recreate it with `fupan index --rebuild PATH…`",
            ));
        }
        index.tokenizers().register(PACKED, PackedTerms::default());
        Ok(ArticleIndex {
            fields: Fields::new(&index.schema()),
            index,
            dir: dir.to_path_buf(),
        })
    }

    /// The schema fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A reader of the last commit (a run in progress does not disturb it).
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tantivy_error(&self.dir))
    }

    /// A reader that follows the index: tantivy watches `meta.json` and loads each new commit
    /// of a concurrent writer shortly after it lands (a long-lived server stays current without
    /// reopening the index).
    pub fn live_reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(tantivy_error(&self.dir))
    }

    /// The stored article of an article document, as the reader would have given it (text,
    /// source, title, date and its source, author).
    pub fn stored_article(&self, doc: &TantivyDocument) -> Article {
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let f = &self.fields;
        Article {
            source: text(f.source).unwrap_or_default(),
            title: text(f.title),
            date: doc
                .get_first(f.date)
                .and_then(|v| v.as_i64())
                .map(calendar::number_text),
            date_source: text(f.date_source).and_then(|s| DateSource::parse(&s)),
            author: text(f.author),
            url: None,
            input_id: None,
            text: text(f.text).unwrap_or_default(),
            warnings: Vec::new(),
        }
    }

    /// Maps a tantivy error to the library's error for this index.
    pub fn error(&self, e: TantivyError) -> Error {
        Error::index(&self.dir, "").because(e)
    }

    /// Content ids of every article in the index, as numbers (see [`KnownIds`]): from the
    /// fast field `key` of the documents still alive, so that an article deleted (replaced by a
    /// changed file, pruned) is added again when its text comes back.
    fn known_ids(&self) -> Result<KnownIds> {
        let searcher = self.reader()?.searcher();
        let mut ids = KnownIds::default();
        for segment in searcher.segment_readers() {
            let keys = segment
                .fast_fields()
                .u64("key")
                .map_err(|e| self.error(e))?;
            for doc in segment.doc_ids_alive() {
                ids.extend(keys.first(doc));
            }
        }
        Ok(ids)
    }

    /// The error of a writer that could not be had: busy, not writable, or another failure.
    fn writer_error(&self, e: TantivyError) -> Error {
        match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => index_error(
                &self.dir,
                "another `fupan index` is writing to this index; try again when it is done",
            ),
            TantivyError::LockFailure(LockError::IoError(io), _) => {
                index_error(&self.dir, "cannot write to this index").because(io)
            }
            e => self.error(e),
        }
    }

    /// A writer for this index (one at a time: a second concurrent run gets a clear error).
    pub fn indexer<'a>(&'a self, engine: &'a Engine, options: IndexOptions) -> Result<Indexer<'a>> {
        let writer: IndexWriter<IndexDoc> = self
            .index
            .writer(options.writer_memory)
            .map_err(|e| self.writer_error(e))?;
        let known = if options.rebuild {
            writer.delete_all_documents().map_err(|e| self.error(e))?;
            KnownIds::default()
        } else {
            self.known_ids()?
        };
        Ok(Indexer::new(
            self,
            engine.segmenter(),
            writer,
            known,
            options,
        ))
    }

    /// Gives `meta.json` and `.managed.json` the read permissions of the index's other files.
    /// tantivy writes both through a temporary file, which is made readable by its owner only,
    /// so another user could read every segment but not the list of them, and could not search
    /// an index shared with them. The writer's lock file was created with the usual permissions
    /// (the umask's), and its group and other read bits are what is added. Best effort: a file
    /// that cannot be changed is left as it is.
    pub(crate) fn let_readers_read(&self) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |name: &str| {
                std::fs::metadata(self.dir.join(name))
                    .ok()
                    .map(|m| m.permissions().mode())
            };
            let Some(shared) = mode(".tantivy-writer.lock").map(|m| m & 0o044) else {
                return;
            };
            for name in ["meta.json", ".managed.json"] {
                if let Some(m) = mode(name).filter(|m| m & shared != shared) {
                    let path = self.dir.join(name);
                    let _ = std::fs::set_permissions(path, PermissionsExt::from_mode(m | shared));
                }
            }
        }
    }

    /// Every article the index holds, rebuilt from its stored fields (text, source, title, date
    /// and its source, author), in index order, read one at a time from the last commit.
    pub fn stored_articles(&self) -> Result<impl Iterator<Item = Result<Article>> + 'static> {
        let searcher = self.reader()?.searcher();
        let articles = TermQuery::new(
            Term::from_field_text(self.fields.doc_type, ARTICLE),
            IndexRecordOption::Basic,
        );
        let found = searcher
            .search(&articles, &DocSetCollector)
            .map_err(|e| self.error(e))?;
        let mut addresses: Vec<DocAddress> = found.into_iter().collect();
        addresses.sort();
        let (fields, dir) = (self.fields, self.dir.clone());
        Ok(addresses.into_iter().map(move |address| {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(|e| Error::index(&dir, "").because(e))?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let date = doc
                .get_first(fields.date)
                .and_then(|v| v.as_i64())
                .map(calendar::number_text);
            Ok(Article {
                source: text(fields.source).unwrap_or_default(),
                title: text(fields.title),
                date_source: date
                    .as_ref()
                    .and(text(fields.date_source))
                    .and_then(|s| DateSource::parse(&s)),
                date,
                author: text(fields.author),
                url: None,
                input_id: None,
                text: text(fields.text).unwrap_or_default(),
                warnings: Vec::new(),
            })
        }))
    }

    /// Removes the articles (and their claims) whose source file is gone, judged from the
    /// working directory as sources are written (`path`, `path#N`, `archive.zip!member`;
    /// standard input's are kept); commits. Gives the sources removed and their articles.
    pub fn prune(&self, writer_memory: usize) -> Result<(Vec<String>, u64)> {
        let searcher = self.reader()?.searcher();
        let mut gone = Vec::new();
        for segment in searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.fields.source)
                .map_err(|e| self.error(e))?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(|e| Error::index(&self.dir, "").because(e))?;
            while terms.advance() {
                if let Ok(source) = std::str::from_utf8(terms.key()) {
                    if !source_exists(source) && !gone.iter().any(|g| g == source) {
                        gone.push(source.to_string());
                    }
                }
            }
        }
        if gone.is_empty() {
            return Ok((gone, 0));
        }
        let mut removed = 0;
        let mut writer: IndexWriter<TantivyDocument> = self
            .index
            .writer(writer_memory)
            .map_err(|e| self.writer_error(e))?;
        for source in &gone {
            let term = Term::from_field_text(self.fields.source, source);
            let of_source = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(term.clone(), IndexRecordOption::Basic))
                        as Box<dyn Query>,
                ),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.fields.doc_type, ARTICLE),
                        IndexRecordOption::Basic,
                    )),
                ),
            ]);
            removed += searcher
                .search(&of_source, &Count)
                .map_err(|e| self.error(e))? as u64;
            writer.delete_term(term);
        }
        writer.commit().map_err(|e| self.error(e))?;
        writer.wait_merging_threads().map_err(|e| self.error(e))?;
        self.let_readers_read();
        gone.sort();
        Ok((gone, removed))
    }

    /// Number of articles in the last commit.
    pub fn article_count(&self) -> Result<u64> {
        let searcher = self.reader()?.searcher();
        let articles = TermQuery::new(
            Term::from_field_text(self.fields.doc_type, ARTICLE),
            IndexRecordOption::Basic,
        );
        let count = searcher
            .search(&articles, &Count)
            .map_err(|e| self.error(e))?;
        Ok(count as u64)
    }

    /// The fingerprint of the dictionaries the index was built with
    /// ([`Lexicon::fingerprint`](crate::lexicon::Lexicon::fingerprint)), when it records one.
    pub fn dictionary(&self) -> Option<String> {
        let text = std::fs::read_to_string(self.dir.join(SIDE_FILE)).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        json["dictionary"].as_str().map(str::to_string)
    }

    /// Records the fingerprint of the dictionaries the index is now built with.
    pub fn record_dictionary(&self, fingerprint: &str) -> Result<()> {
        let path = self.dir.join(SIDE_FILE);
        let json = serde_json::json!({ "dictionary": fingerprint });
        std::fs::write(&path, format!("{json}\n")).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// Article and claim counts, date range, top stocks and concepts, claims per kind, size.
    pub fn stats(&self, top: usize) -> Result<IndexStats> {
        let searcher = self.reader()?.searcher();
        let of_type = |t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(self.fields.doc_type, t),
                IndexRecordOption::Basic,
            ))
        };
        let article_aggs = serde_json::json!({
            "stocks": {"terms": {"field": "stock", "size": top}},
            "concepts": {"terms": {"field": "concept", "size": top}},
            "dates": {"stats": {"field": "date"}},
        });
        let claim_aggs = serde_json::json!({"kinds": {"terms": {"field": "kind", "size": 64}}});
        let articles = self.aggregate(&searcher, &*of_type(ARTICLE), article_aggs)?;
        let claims = self.aggregate(&searcher, &*of_type(CLAIM), claim_aggs)?;
        let mut top_stocks = Vec::new();
        for (code, count) in buckets(&articles.1["stocks"]) {
            let name = self.stock_name(&searcher, &code)?;
            top_stocks.push(StockCount { code, name, count });
        }
        let date = |key: &str| {
            articles.1["dates"][key]
                .as_f64()
                .map(|d| calendar::number_text(d as i64))
        };
        Ok(IndexStats {
            articles: articles.0,
            claims: claims.0,
            first_date: date("min"),
            last_date: date("max"),
            top_stocks,
            top_concepts: buckets(&articles.1["concepts"]),
            claims_per_kind: buckets(&claims.1["kinds"]),
            segments: searcher.segment_readers().len(),
            bytes_on_disk: size_on_disk(&self.dir),
        })
    }

    /// Runs aggregations over the documents matching `query`: their count and the results as JSON.
    fn aggregate(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        aggs: serde_json::Value,
    ) -> Result<(u64, serde_json::Value)> {
        let aggs: Aggregations =
            serde_json::from_value(aggs).map_err(|e| Error::index(&self.dir, "").because(e))?;
        let collector = AggregationCollector::from_aggs(aggs, Default::default());
        let (count, results) = searcher
            .search(query, &(Count, collector))
            .map_err(|e| self.error(e))?;
        let json =
            serde_json::to_value(results).map_err(|e| Error::index(&self.dir, "").because(e))?;
        Ok((count as u64, json))
    }

    /// The current name of a stock code, from an article that mentions it.
    fn stock_name(&self, searcher: &tantivy::Searcher, code: &str) -> Result<String> {
        let query = TermQuery::new(
            Term::from_field_text(self.fields.stock, code),
            IndexRecordOption::Basic,
        );
        let top = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(|e| self.error(e))?;
        let Some((_, address)) = top.first() else {
            return Ok(String::new());
        };
        let doc: TantivyDocument = searcher.doc(*address).map_err(|e| self.error(e))?;
        let codes = doc.get_all(self.fields.stock).filter_map(|v| v.as_str());
        let names = doc
            .get_all(self.fields.stock_name)
            .filter_map(|v| v.as_str());
        let name = codes
            .zip(names)
            .find(|(c, _)| *c == code)
            .map(|(_, n)| n.to_string());
        Ok(name.unwrap_or_default())
    }
}

/// The file beside tantivy's in which fupan records what built the index.
const SIDE_FILE: &str = "fupan.json";

/// True when an article's source still exists: the path itself, or the file before a `#N`
/// (a record) or `!member` (an archive member). Standard input (`-`) always does.
fn source_exists(source: &str) -> bool {
    if source == "-" || source.starts_with("-#") || source.starts_with("-!") {
        return true;
    }
    if Path::new(source).exists() {
        return true;
    }
    source
        .match_indices(['#', '!'])
        .any(|(at, _)| Path::new(&source[..at]).is_file())
}

/// `(key, doc_count)` of a terms aggregation result.
fn buckets(result: &serde_json::Value) -> Vec<(String, u64)> {
    let Some(list) = result["buckets"].as_array() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|b| Some((b["key"].as_str()?.to_string(), b["doc_count"].as_u64()?)))
        .collect()
}

/// Total size of the files under `dir`.
fn size_on_disk(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => size_on_disk(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Deletes an index directory, only when it holds a tantivy index.
fn remove_index(dir: &Path) -> Result<()> {
    if !dir.join("meta.json").is_file() {
        return Err(index_error(dir, "not an index; not deleting it"));
    }
    std::fs::remove_dir_all(dir).map_err(|source| Error::Io {
        path: dir.display().to_string(),
        source,
    })
}

/// A stock and the number of articles that mention it (of `fupan stats`, and of the web page's
/// facets).
#[derive(Debug, Clone, Serialize)]
pub struct StockCount {
    /// Six-digit code.
    pub code: String,
    /// Current short name.
    pub name: String,
    /// Articles mentioning it.
    pub count: u64,
}

/// What `fupan stats` reports.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// Articles in the index.
    pub articles: u64,
    /// Claims in the index.
    pub claims: u64,
    /// Earliest article date.
    pub first_date: Option<String>,
    /// Latest article date.
    pub last_date: Option<String>,
    /// Most mentioned stocks, by number of articles.
    pub top_stocks: Vec<StockCount>,
    /// Most mentioned concepts, by number of articles.
    pub top_concepts: Vec<(String, u64)>,
    /// Claims per kind.
    pub claims_per_kind: Vec<(String, u64)>,
    /// tantivy segments.
    pub segments: usize,
    /// Size of the index directory.
    pub bytes_on_disk: u64,
}

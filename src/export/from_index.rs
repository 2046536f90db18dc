//! The articles of an index as [`SourceArticle`]s, for `fupan export --index`.
//!
//! The index stores each article's text and metadata (source, title, date, author) but not its
//! extract record, so records are rebuilt by running the engine over the stored text again. With
//! the dictionaries the index was built with this gives the same record `fupan index` saw, and
//! the text lets `mentions.sentence` be filled. Articles are read and analysed in batches, in
//! parallel, so memory stays bounded by the batch whatever the size of the index.

use std::collections::VecDeque;

use rayon::prelude::*;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::error::Result;
use crate::index::{ArticleIndex, ARTICLE};
use crate::model::Article;
use crate::pipeline::Engine;

use super::input::SourceArticle;

/// Articles read and analysed at once.
const BATCH: usize = 256;

/// Streams every article of an index, in index order, re-analysed by the engine.
pub struct IndexArticles<'a> {
    index: &'a ArticleIndex,
    engine: &'a Engine,
    searcher: Searcher,
    addresses: std::vec::IntoIter<DocAddress>,
    ready: VecDeque<Result<SourceArticle>>,
}

impl<'a> IndexArticles<'a> {
    /// Lists the article documents of the index's last commit.
    pub fn new(index: &'a ArticleIndex, engine: &'a Engine) -> Result<IndexArticles<'a>> {
        let searcher = index.reader()?.searcher();
        let fields = *index.fields();
        let query = TermQuery::new(
            Term::from_field_text(fields.doc_type, ARTICLE),
            IndexRecordOption::Basic,
        );
        let found = searcher
            .search(&query, &DocSetCollector)
            .map_err(|e| index.error(e))?;
        let mut addresses: Vec<DocAddress> = found.into_iter().collect();
        addresses.sort_unstable();
        Ok(IndexArticles {
            index,
            engine,
            searcher,
            addresses: addresses.into_iter(),
            ready: VecDeque::new(),
        })
    }

    /// The number of articles still to come.
    pub fn remaining(&self) -> usize {
        self.addresses.len() + self.ready.len()
    }

    /// The stored article at an address, as the reader would have given it.
    fn article(&self, address: DocAddress) -> Result<Article> {
        let doc: TantivyDocument = self
            .searcher
            .doc(address)
            .map_err(|e| self.index.error(e))?;
        Ok(self.index.stored_article(&doc))
    }

    /// Reads and analyses the next batch.
    fn fill(&mut self) {
        let batch: Vec<DocAddress> = self.addresses.by_ref().take(BATCH).collect();
        let articles: Vec<Result<Article>> = batch.into_iter().map(|a| self.article(a)).collect();
        let engine = self.engine;
        let analysed: Vec<Result<SourceArticle>> = articles
            .into_par_iter()
            .map(|article| {
                let analysis = engine.analyze(article?);
                Ok(SourceArticle {
                    record: analysis.record,
                    text: Some(analysis.article.text),
                })
            })
            .collect();
        self.ready.extend(analysed);
    }
}

impl Iterator for IndexArticles<'_> {
    type Item = Result<SourceArticle>;

    fn next(&mut self) -> Option<Result<SourceArticle>> {
        if self.ready.is_empty() {
            self.fill();
        }
        self.ready.pop_front()
    }
}

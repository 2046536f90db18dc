//! Claims: quantities attributed to their subject.

use std::sync::Arc;

use crate::lexicon::Lexicon;
use crate::model::Claim;
use crate::recognize::{Doc, Mention};

/// Extracts claims from an analysed document.
pub struct ClaimExtractor {
    #[allow(dead_code)]
    lexicon: Arc<Lexicon>,
}

impl ClaimExtractor {
    /// Builds the extractor.
    pub fn new(lexicon: Arc<Lexicon>) -> ClaimExtractor {
        ClaimExtractor { lexicon }
    }

    /// Every claim in the document.
    pub fn extract(&self, _doc: &Doc, _mentions: &[Mention], _original: &str) -> Vec<Claim> {
        Vec::new()
    }
}

//! The index schema: the fields of article and claim documents, resolved once per index.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

/// Name of the tokenizer of the term fields (`body`, `title_terms`): [`PackedTerms`]. Indexes
/// made with the earlier pre-tokenized schema have another name here, so opening one asks for
/// `--rebuild`.
pub(super) const PACKED: &str = "fupan_packed_terms";

/// The schema fields, resolved once per index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `article` or `claim`.
    pub doc_type: Field,
    /// Content id of the article (for a claim, of its article).
    pub id: Field,
    /// The number the content id spells (fast): breaks ties between equally ranked hits, so
    /// their order does not depend on which indexing thread took which document.
    pub key: Field,
    /// Where the article came from.
    pub source: Field,
    /// Title as written (stored).
    pub title: Field,
    /// Title terms (indexed, with positions).
    pub title_terms: Field,
    /// Date as the integer `YYYYMMDD`.
    pub date: Field,
    /// Where the date came from (`metadata`, `file_name`, …; stored).
    pub date_source: Field,
    /// Author.
    pub author: Field,
    /// Body terms (indexed, with positions): the article text, or the claim's evidence.
    pub body: Field,
    /// The article text or the claim's evidence (stored).
    pub text: Field,
    /// Stock codes: those the article mentions, or the claim's subject.
    pub stock: Field,
    /// Current names of the same stocks, in the same order (for a claim, the subject name).
    pub stock_name: Field,
    /// Canonical concept names of the article (claims carry their article's).
    pub concept: Field,
    /// Organisation names of the article.
    pub organization: Field,
    /// Claim kinds: of the claim, or every kind the article has.
    pub kind: Field,
    /// The claim's single figure.
    pub value: Field,
    /// Lower end of the claim's range.
    pub low: Field,
    /// Upper end of the claim's range.
    pub high: Field,
    /// `value` or `low`: the smallest figure the claim states (fast, for `--max`).
    pub least: Field,
    /// `value` or `high`: the largest figure the claim states (fast, for `--min`).
    pub most: Field,
    /// The claim's unit.
    pub unit: Field,
    /// The claim's qualifier.
    pub qualifier: Field,
    /// The claim's metric (营业收入, 在手算力 …).
    pub metric: Field,
    /// The claim's period (2024, 2024H1 …).
    pub period: Field,
    /// The claim's basis (yoy, qoq, cagr).
    pub basis: Field,
    /// Byte start of the claim's evidence in its article (fast: orders a claim after the
    /// claims before it in the same article when they rank equally).
    pub start: Field,
    /// Byte end of the claim's evidence.
    pub end: Field,
    /// Character start of the claim's evidence (what Python and JavaScript index by), counted
    /// when indexing so that listing claims never reads their articles' text.
    pub char_start: Field,
    /// Character end of the claim's evidence.
    pub char_end: Field,
}

/// The schema of a fupan index.
pub fn schema() -> Schema {
    let terms = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(PACKED)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let mut b = Schema::builder();
    b.add_text_field("doc_type", STRING);
    b.add_text_field("id", STRING | STORED);
    b.add_u64_field("key", FAST);
    b.add_text_field("source", STRING | STORED);
    b.add_text_field("title", STORED);
    b.add_text_field("title_terms", terms.clone());
    b.add_i64_field("date", INDEXED | STORED | FAST);
    b.add_text_field("date_source", STRING | STORED);
    b.add_text_field("author", STRING | STORED);
    b.add_text_field("body", terms);
    b.add_text_field("text", STORED);
    b.add_text_field("stock", STRING | STORED | FAST);
    b.add_text_field("stock_name", STRING | STORED);
    b.add_text_field("concept", STRING | STORED | FAST);
    b.add_text_field("organization", STRING | STORED);
    b.add_text_field("kind", STRING | STORED | FAST);
    b.add_f64_field("value", STORED | FAST);
    b.add_f64_field("low", STORED | FAST);
    b.add_f64_field("high", STORED | FAST);
    b.add_f64_field("least", FAST);
    b.add_f64_field("most", FAST);
    b.add_text_field("unit", STORED);
    b.add_text_field("qualifier", STORED);
    b.add_text_field("metric", STRING | STORED);
    b.add_text_field("period", STRING | STORED);
    b.add_text_field("basis", STRING | STORED);
    b.add_u64_field("start", STORED | FAST);
    b.add_u64_field("end", STORED);
    b.add_u64_field("char_start", STORED);
    b.add_u64_field("char_end", STORED);
    b.build()
}

impl Fields {
    pub(crate) fn new(schema: &Schema) -> Fields {
        let f = |name: &str| schema.get_field(name).expect("field of fupan's schema");
        Fields {
            doc_type: f("doc_type"),
            id: f("id"),
            key: f("key"),
            source: f("source"),
            title: f("title"),
            title_terms: f("title_terms"),
            date: f("date"),
            date_source: f("date_source"),
            author: f("author"),
            body: f("body"),
            text: f("text"),
            stock: f("stock"),
            stock_name: f("stock_name"),
            concept: f("concept"),
            organization: f("organization"),
            kind: f("kind"),
            value: f("value"),
            low: f("low"),
            high: f("high"),
            least: f("least"),
            most: f("most"),
            unit: f("unit"),
            qualifier: f("qualifier"),
            metric: f("metric"),
            period: f("period"),
            basis: f("basis"),
            start: f("start"),
            end: f("end"),
            char_start: f("char_start"),
            char_end: f("char_end"),
        }
    }
}

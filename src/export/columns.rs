//! The columns of every export table, in order, with their types: the one place that says what
//! a table holds. `tables` and `aggregate` both read them, so neither imports the other.

use super::value::Column;

pub(crate) const ARTICLE_COLUMNS: &[Column] = &[
    Column::text("id"),
    Column::text("source"),
    Column::text("title"),
    Column::date("date"),
    Column::text("date_source"),
    Column::text("author"),
    Column::int("chars"),
    Column::int("n_stocks"),
    Column::int("n_concepts"),
    Column::int("n_claims"),
];

pub(crate) const MENTION_COLUMNS: &[Column] = &[
    Column::text("article_id"),
    Column::date("date"),
    Column::text("code"),
    Column::text("symbol"),
    Column::text("name"),
    Column::int("count"),
    Column::int("first_offset"),
    Column::text("sentence"),
];

pub(crate) const CLAIM_COLUMNS: &[Column] = &[
    Column::text("article_id"),
    Column::date("date"),
    Column::text("source"),
    Column::text("kind"),
    Column::text("subject_code"),
    Column::text("subject_symbol"),
    Column::text("subject_name"),
    Column::float("value"),
    Column::float("low"),
    Column::float("high"),
    Column::text("unit"),
    Column::text("qualifier"),
    Column::text("text"),
    Column::int("start"),
    Column::int("end"),
    Column::text("metric"),
    Column::text("period"),
    Column::text("basis"),
];

/// Columns of `stock_daily`. The per-kind columns count claims of that kind about the stock.
pub(crate) const STOCK_DAILY_COLUMNS: &[Column] = &[
    Column::date("date"),
    Column::text("code"),
    Column::text("symbol"),
    Column::text("name"),
    Column::int("articles"),
    Column::int("mentions"),
    Column::int("claims"),
    Column::int("limit_up"),
    Column::int("limit_down"),
    Column::int("limit_up_streak"),
    Column::int("compute_capacity"),
    Column::int("earnings_growth"),
    Column::float("max_streak"),
];

/// Columns of `concept_daily`.
pub(crate) const CONCEPT_DAILY_COLUMNS: &[Column] = &[
    Column::date("date"),
    Column::text("concept"),
    Column::int("articles"),
    Column::int("mentions"),
    Column::text("top_stocks"),
];

/// Columns of `cooccurrence`.
pub(crate) const COOCCURRENCE_COLUMNS: &[Column] = &[
    Column::text("code"),
    Column::text("symbol"),
    Column::text("name"),
    Column::text("concept"),
    Column::int("articles"),
];

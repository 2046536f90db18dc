//! Typed cells and columns: what every table produces and every format writes.
//!
//! A row is a slice of [`Value`]s in the order of its table's [`Column`]s. Text borrows from the
//! record being exported where it can, so streaming a million claims allocates little.

use crate::calendar::Day;
use std::borrow::Cow;
use std::fmt;

/// The type of a column, which decides how each format stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text.
    Text,
    /// A 64-bit signed integer (counts, offsets).
    Int,
    /// A 64-bit float (claim figures).
    Float,
    /// A calendar date.
    Date,
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The header name, snake_case.
    pub name: &'static str,
    /// What the column holds.
    pub ty: ColumnType,
}

impl Column {
    /// A text column.
    pub const fn text(name: &'static str) -> Column {
        Column {
            name,
            ty: ColumnType::Text,
        }
    }

    /// An integer column.
    pub const fn int(name: &'static str) -> Column {
        Column {
            name,
            ty: ColumnType::Int,
        }
    }

    /// A float column.
    pub const fn float(name: &'static str) -> Column {
        Column {
            name,
            ty: ColumnType::Float,
        }
    }

    /// A date column.
    pub const fn date(name: &'static str) -> Column {
        Column {
            name,
            ty: ColumnType::Date,
        }
    }
}

/// One cell. `Null` is an empty CSV field, a JSON `null`, an empty cell or a Parquet null.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// No value.
    Null,
    /// Text.
    Text(Cow<'a, str>),
    /// An integer.
    Int(i64),
    /// A float, written with Rust's shortest round-trip formatting.
    Float(f64),
    /// A date.
    Date(Day),
}

impl<'a> Value<'a> {
    /// Borrowed text.
    pub fn str(s: &'a str) -> Value<'a> {
        Value::Text(Cow::Borrowed(s))
    }

    /// Borrowed text, or null.
    pub fn opt_str(s: Option<&'a str>) -> Value<'a> {
        s.map_or(Value::Null, Value::str)
    }

    /// A stock code with its exchange (`603629.SH`), or null when `code` is not a six-digit
    /// code.
    pub fn symbol(code: Option<&str>) -> Value<'a> {
        match code {
            Some(code) if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) => {
                Value::Text(Cow::Owned(crate::lexicon::symbol(code, "")))
            }
            _ => Value::Null,
        }
    }

    /// A count or offset.
    pub fn count(n: usize) -> Value<'a> {
        Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// A float, or null.
    pub fn opt_float(x: Option<f64>) -> Value<'a> {
        x.map_or(Value::Null, Value::Float)
    }

    /// A date, or null.
    pub fn opt_date(d: Option<Day>) -> Value<'a> {
        d.map_or(Value::Null, Value::Date)
    }

    /// The same value owning its text.
    pub fn to_owned_value(&self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Text(s) => Value::Text(Cow::Owned(s.to_string())),
            Value::Int(n) => Value::Int(*n),
            Value::Float(x) => Value::Float(*x),
            Value::Date(d) => Value::Date(*d),
        }
    }

    /// True when the value may be stored in a column of type `ty`.
    pub fn fits(&self, ty: ColumnType) -> bool {
        matches!(
            (self, ty),
            (Value::Null, _)
                | (Value::Text(_), ColumnType::Text)
                | (Value::Int(_), ColumnType::Int)
                | (Value::Float(_), ColumnType::Float)
                | (Value::Date(_), ColumnType::Date)
        )
    }
}

/// Writes the value as text fields show it: numbers with `{}` (shortest round-trip, so -31.38
/// stays -31.38 and 3000.0 is `3000`), dates as `YYYY-MM-DD`, null as nothing.
impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => Ok(()),
            Value::Text(s) => f.write_str(s),
            Value::Int(n) => write!(f, "{n}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Date(d) => write!(f, "{d}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_shortest_round_trip() {
        let cases = [
            (-31.38, "-31.38"),
            (3000.0, "3000"),
            (0.1 + 0.2, "0.30000000000000004"),
            (18600.0, "18600"),
            (1.5e-7, "0.00000015"),
        ];
        for (x, want) in cases {
            let shown = Value::Float(x).to_string();
            assert_eq!(shown, want);
            assert_eq!(shown.parse::<f64>().unwrap(), x);
        }
    }

    #[test]
    fn any_finite_float_round_trips_through_its_text() {
        // xorshift64: many bit patterns, so every exponent range is exercised.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut checked = 0;
        while checked < 100_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = f64::from_bits(state);
            if x.is_finite() {
                let shown = Value::Float(x).to_string();
                assert_eq!(
                    shown.parse::<f64>().unwrap().to_bits(),
                    x.to_bits(),
                    "{shown}"
                );
                checked += 1;
            }
        }
    }
}

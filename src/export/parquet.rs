//! Parquet files, written with the low-level column writers (no Arrow): text as UTF-8
//! `BYTE_ARRAY`, integers as `INT64`, figures as `DOUBLE`, dates as `INT32` with the `DATE`
//! logical type; every column optional; zstd compression.
//!
//! Rows are buffered column by column and flushed as a row group every [`ROW_GROUP_ROWS`] rows,
//! which bounds memory whatever the number of rows.

use std::fs::File;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::{SerializedColumnWriter, SerializedFileWriter};
use parquet::schema::types::{Type, TypePtr};

use crate::error::{Error, Result};

use super::output::OutputFile;
use super::value::{Column, ColumnType, Value};
use super::RowSink;

/// Rows per row group: large enough to compress well, small enough to keep memory flat.
pub(crate) const ROW_GROUP_ROWS: usize = 64 * 1024;

/// The values of one column in the current row group (nulls are absent; see `levels`).
enum Values {
    Text(Vec<ByteArray>),
    Int(Vec<i64>),
    Float(Vec<f64>),
    Date(Vec<i32>),
}

/// One column's pending values and definition levels (1 = present, 0 = null).
struct ColumnBuffer {
    values: Values,
    levels: Vec<i16>,
}

impl ColumnBuffer {
    fn new(ty: ColumnType) -> ColumnBuffer {
        let values = match ty {
            ColumnType::Text => Values::Text(Vec::new()),
            ColumnType::Int => Values::Int(Vec::new()),
            ColumnType::Float => Values::Float(Vec::new()),
            ColumnType::Date => Values::Date(Vec::new()),
        };
        ColumnBuffer {
            values,
            levels: Vec::new(),
        }
    }

    /// Appends a value; false when its type does not fit the column.
    fn push(&mut self, value: &Value<'_>) -> bool {
        match (&mut self.values, value) {
            (_, Value::Null) => {
                self.levels.push(0);
                return true;
            }
            (Values::Text(v), Value::Text(s)) => v.push(ByteArray::from(s.as_bytes().to_vec())),
            (Values::Int(v), Value::Int(n)) => v.push(*n),
            (Values::Float(v), Value::Float(x)) => v.push(*x),
            (Values::Date(v), Value::Date(d)) => v.push(d.days_since_epoch()),
            _ => return false,
        }
        self.levels.push(1);
        true
    }

    /// Writes the pending values as this column's chunk of the row group, and empties them.
    fn write(&mut self, mut writer: SerializedColumnWriter<'_>) -> parquet::errors::Result<()> {
        let levels = Some(self.levels.as_slice());
        match &mut self.values {
            Values::Text(v) => {
                writer
                    .typed::<ByteArrayType>()
                    .write_batch(v, levels, None)?;
                v.clear();
            }
            Values::Int(v) => {
                writer.typed::<Int64Type>().write_batch(v, levels, None)?;
                v.clear();
            }
            Values::Float(v) => {
                writer.typed::<DoubleType>().write_batch(v, levels, None)?;
                v.clear();
            }
            Values::Date(v) => {
                writer.typed::<Int32Type>().write_batch(v, levels, None)?;
                v.clear();
            }
        }
        self.levels.clear();
        writer.close()
    }
}

/// The Parquet schema of a table.
pub(crate) fn schema(columns: &[Column]) -> parquet::errors::Result<TypePtr> {
    let fields = columns
        .iter()
        .map(|c| {
            let (physical, logical) = match c.ty {
                ColumnType::Text => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
                ColumnType::Int => (PhysicalType::INT64, None),
                ColumnType::Float => (PhysicalType::DOUBLE, None),
                ColumnType::Date => (PhysicalType::INT32, Some(LogicalType::Date)),
            };
            Type::primitive_type_builder(c.name, physical)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(logical)
                .build()
                .map(Arc::new)
        })
        .collect::<parquet::errors::Result<Vec<_>>>()?;
    Ok(Arc::new(
        Type::group_type_builder("fupan")
            .with_fields(fields)
            .build()?,
    ))
}

/// A Parquet file with one table.
pub(crate) struct ParquetSink {
    writer: SerializedFileWriter<File>,
    columns: &'static [Column],
    buffers: Vec<ColumnBuffer>,
    rows: usize,
    output: OutputFile,
}

impl ParquetSink {
    /// Starts the file.
    pub(crate) fn new(
        output: OutputFile,
        file: File,
        columns: &'static [Column],
    ) -> Result<ParquetSink> {
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_created_by(format!("fupan {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = schema(columns)
            .and_then(|s| SerializedFileWriter::new(file, s, Arc::new(properties)))
            .map_err(|e| output.error(e))?;
        Ok(ParquetSink {
            writer,
            columns,
            buffers: columns.iter().map(|c| ColumnBuffer::new(c.ty)).collect(),
            rows: 0,
            output,
        })
    }

    fn flush_row_group(&mut self) -> parquet::errors::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group()?;
        for buffer in &mut self.buffers {
            let column = group.next_column()?.ok_or_else(|| {
                parquet::errors::ParquetError::General("fewer columns than the schema".into())
            })?;
            buffer.write(column)?;
        }
        group.close()?;
        self.rows = 0;
        Ok(())
    }

    fn type_error(&self, column: &Column, value: &Value<'_>) -> Error {
        self.output.error(format!(
            "column {}: {value:?} is not {:?}",
            column.name, column.ty
        ))
    }
}

impl RowSink for ParquetSink {
    fn write_row(&mut self, _table: usize, row: &[Value<'_>]) -> Result<()> {
        for ((buffer, column), value) in self.buffers.iter_mut().zip(self.columns).zip(row) {
            if !buffer.push(value) {
                return Err(self.type_error(column, value));
            }
        }
        self.rows += 1;
        if self.rows >= ROW_GROUP_ROWS {
            self.flush_row_group().map_err(|e| self.output.error(e))?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<Vec<String>> {
        self.flush_row_group().map_err(|e| self.output.error(e))?;
        let ParquetSink { writer, output, .. } = *self;
        let file = writer.into_inner().map_err(|e| output.error(e))?;
        output.commit(file)?;
        Ok(Vec::new())
    }
}

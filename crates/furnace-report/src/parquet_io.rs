//! [`Table`]s as Parquet files, through the `parquet` crate's low-level
//! column writer and reader: no Arrow, no async, no compression codecs.
//!
//! [`write_parquet`] writes one row group (a report's tables are thousands of rows, a
//! finals table one row per run: far below the 1M rows a row group is meant
//! to hold), columns uncompressed with parquet-rs's default dictionary and
//! plain encodings and page statistics; [`ParquetStream`] writes a file
//! a row group at a time. Types: see [`ColumnData`].

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use parquet::basic::{Compression, ConvertedType, LogicalType, Repetition, Type as Physical};
use parquet::column::reader::ColumnReader;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::table::{ColumnData, Table};

/// Values read per call when reading a column back: 64 Ki keeps the
/// buffers small while a 10,000-run finals column takes one call.
const READ_BATCH: usize = 1 << 16;

/// Why a Parquet file could not be written or read.
#[derive(Debug)]
pub enum ParquetIoError {
    /// The table breaks [`Table::validate`].
    Table(crate::table::TableError),
    /// The parquet crate's error (I/O included).
    Parquet(ParquetError),
    /// A file this crate did not write: a type it does not read, nulls.
    Unsupported(String),
}

impl std::fmt::Display for ParquetIoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParquetIoError::Table(e) => e.fmt(f),
            ParquetIoError::Parquet(e) => write!(f, "parquet: {e}"),
            ParquetIoError::Unsupported(m) => write!(f, "parquet: unsupported: {m}"),
        }
    }
}

impl std::error::Error for ParquetIoError {}

impl From<ParquetError> for ParquetIoError {
    fn from(e: ParquetError) -> Self {
        ParquetIoError::Parquet(e)
    }
}

fn field(name: &str, data: &ColumnData) -> Result<Type, ParquetError> {
    let (physical, logical) = match data {
        ColumnData::F64(_) => (Physical::DOUBLE, None),
        ColumnData::I64(_) => (Physical::INT64, None),
        ColumnData::U64(_) => (Physical::INT64, Some(LogicalType::integer(64, false))),
        ColumnData::Str(_) => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
    };
    Type::primitive_type_builder(name, physical)
        .with_repetition(Repetition::REQUIRED)
        .with_logical_type(logical)
        .build()
}

/// Writes `table` as a Parquet file to `w` (one row group).
pub fn write_parquet<W: Write + Send>(table: &Table, w: W) -> Result<(), ParquetIoError> {
    // Refused before a byte is written.
    table.validate().map_err(ParquetIoError::Table)?;
    let mut stream = ParquetStream::new(table, w)?;
    stream.write_group(table)?;
    stream.close()
}

/// A Parquet file written a row group at a time, so a table of any length
/// (a million runs' finals) goes to disk in bounded memory: the caller
/// buffers some rows as a [`Table`], hands them to
/// [`ParquetStream::write_group`], and reuses the buffer. Every group has
/// the columns (names and types) of the table the stream was made with.
pub struct ParquetStream<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    /// Each column's name and a value of its type (for checking groups).
    schema: Vec<(String, std::mem::Discriminant<ColumnData>)>,
}

impl<W: Write + Send> ParquetStream<W> {
    /// A stream whose columns are `like`'s (its rows are not written).
    pub fn new(like: &Table, w: W) -> Result<Self, ParquetIoError> {
        if like.columns.is_empty() {
            return Err(ParquetIoError::Table(crate::table::TableError(
                "no columns".into(),
            )));
        }
        let fields = like
            .columns
            .iter()
            .map(|(name, data)| field(name, data).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()?;
        let schema = Type::group_type_builder("schema")
            .with_fields(fields)
            .build()?;
        let props = WriterProperties::builder()
            .set_compression(Compression::UNCOMPRESSED)
            .build();
        let writer = SerializedFileWriter::new(w, Arc::new(schema), Arc::new(props))?;
        let schema = like
            .columns
            .iter()
            .map(|(n, d)| (n.clone(), std::mem::discriminant(d)))
            .collect();
        Ok(ParquetStream { writer, schema })
    }

    /// Writes `table`'s rows as one row group.
    pub fn write_group(&mut self, table: &Table) -> Result<(), ParquetIoError> {
        table.validate().map_err(ParquetIoError::Table)?;
        let same = table.columns.len() == self.schema.len()
            && table
                .columns
                .iter()
                .zip(&self.schema)
                .all(|((n, d), (sn, sd))| n == sn && std::mem::discriminant(d) == *sd);
        if !same {
            return Err(ParquetIoError::Table(crate::table::TableError(
                "a row group's columns differ from the file's".into(),
            )));
        }
        let mut group = self.writer.next_row_group()?;
        for (name, data) in &table.columns {
            let mut col = group
                .next_column()?
                .ok_or_else(|| ParquetIoError::Unsupported(format!("no writer for `{name}`")))?;
            match data {
                ColumnData::F64(v) => {
                    col.typed::<DoubleType>().write_batch(v, None, None)?;
                }
                ColumnData::I64(v) => {
                    col.typed::<Int64Type>().write_batch(v, None, None)?;
                }
                ColumnData::U64(v) => {
                    // Parquet stores an unsigned 64-bit integer as the INT64
                    // with the same bits; readers reinterpret them by the
                    // annotation.
                    let bits: Vec<i64> = v
                        .iter()
                        .map(|u| i64::from_ne_bytes(u.to_ne_bytes()))
                        .collect();
                    col.typed::<Int64Type>().write_batch(&bits, None, None)?;
                }
                ColumnData::Str(v) => {
                    let bytes: Vec<ByteArray> =
                        v.iter().map(|s| ByteArray::from(s.as_str())).collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&bytes, None, None)?;
                }
            }
            col.close()?;
        }
        group.close()?;
        Ok(())
    }

    /// Writes the footer and flushes.
    pub fn close(self) -> Result<(), ParquetIoError> {
        self.writer.close()?;
        Ok(())
    }
}

/// Reads a file of the kinds [`write_parquet`] writes (required DOUBLE,
/// INT64 signed or unsigned, UTF-8 BYTE_ARRAY columns; any number of row
/// groups) back into a [`Table`].
pub fn read_parquet(path: &Path) -> Result<Table, ParquetIoError> {
    let reader = SerializedFileReader::new(File::open(path).map_err(ParquetError::from)?)?;
    let meta = reader.metadata();
    let schema = meta.file_metadata().schema_descr();
    let mut columns: Vec<(String, ColumnData)> = Vec::new();
    for i in 0..schema.num_columns() {
        let c = schema.column(i);
        if c.max_def_level() != 0 || c.max_rep_level() != 0 {
            return Err(ParquetIoError::Unsupported(format!(
                "column `{}` is optional or repeated",
                c.name()
            )));
        }
        let unsigned = matches!(
            c.logical_type_ref(),
            Some(LogicalType::Integer(t)) if !t.is_signed
        ) || c.converted_type() == ConvertedType::UINT_64;
        let data = match (c.physical_type(), unsigned) {
            (Physical::DOUBLE, _) => ColumnData::F64(Vec::new()),
            (Physical::INT64, false) => ColumnData::I64(Vec::new()),
            (Physical::INT64, true) => ColumnData::U64(Vec::new()),
            (Physical::BYTE_ARRAY, _) => ColumnData::Str(Vec::new()),
            (other, _) => {
                return Err(ParquetIoError::Unsupported(format!(
                    "column `{}` is {other}",
                    c.name()
                )))
            }
        };
        columns.push((c.name().to_string(), data));
    }
    for g in 0..meta.num_row_groups() {
        let group = reader.get_row_group(g)?;
        for (i, (name, data)) in columns.iter_mut().enumerate() {
            match (group.get_column_reader(i)?, data) {
                (ColumnReader::DoubleColumnReader(mut r), ColumnData::F64(out)) => {
                    while r.read_records(READ_BATCH, None, None, out)?.0 > 0 {}
                }
                (ColumnReader::Int64ColumnReader(mut r), ColumnData::I64(out)) => {
                    while r.read_records(READ_BATCH, None, None, out)?.0 > 0 {}
                }
                (ColumnReader::Int64ColumnReader(mut r), ColumnData::U64(out)) => {
                    let mut bits = Vec::new();
                    while r.read_records(READ_BATCH, None, None, &mut bits)?.0 > 0 {}
                    out.extend(bits.iter().map(|b| u64::from_ne_bytes(b.to_ne_bytes())));
                }
                (ColumnReader::ByteArrayColumnReader(mut r), ColumnData::Str(out)) => {
                    let mut raw = Vec::new();
                    while r.read_records(READ_BATCH, None, None, &mut raw)?.0 > 0 {}
                    for b in raw {
                        out.push(b.as_utf8()?.to_string());
                    }
                }
                _ => {
                    return Err(ParquetIoError::Unsupported(format!(
                        "column `{name}`: reader and type disagree"
                    )))
                }
            }
        }
    }
    let table = Table { columns };
    table.validate().map_err(ParquetIoError::Table)?;
    Ok(table)
}

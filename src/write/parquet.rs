//! Parquet output: `facts.parquet` and `tables/<key>.parquet`.
//!
//! The same rows as the CSV files (both are written from
//! [`super::rows::DocumentRows`]), typed: `year`, `page` and `row` are
//! `INT32`; money (`value`, `value_yuan`, and every amount column of a wide
//! table) is `DECIMAL(38,6)` stored as a 16-byte fixed-length array, exact;
//! the rest is UTF-8 text. Empty cells are nulls. Columns are compressed
//! with zstd; a row group holds at most [`ROW_GROUP_ROWS`] rows, and all
//! open files together buffer at most about [`BUFFER_BUDGET_BYTES`] (the
//! fullest is written out first), so memory stays bounded however large
//! the run and however many partitions it writes.
//!
//! With `--partition year,report` the files form a Hive-style dataset —
//! `facts/year=2023/report=final/part-0.parquet`,
//! `tables/income/year=2023/report=final/part-0.parquet` — and the
//! partition columns are taken out of the files (DuckDB:
//! `read_parquet('out/facts/**/*.parquet', hive_partitioning = true)`). A
//! missing value is the partition `__HIVE_DEFAULT_PARTITION__`.
//!
//! A value with more than six decimals (never seen in a report) cannot be
//! stored exactly in this column type and is written as null; `facts.csv`
//! keeps it as printed.

use super::rows::{self, DocumentRows, TableColumns};
use super::schema::{FactRow, OutputRow, WidePrefix};
use super::Sink;
use parquet::basic::{
    Compression, DecimalType, LogicalType, Repetition, Type as PhysicalType, ZstdLevel,
};
use parquet::data_type::{
    ByteArray, ByteArrayType, FixedLenByteArray, FixedLenByteArrayType, Int32Type,
};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

/// Rows buffered per file before a row group is written.
pub const ROW_GROUP_ROWS: usize = 64 * 1024;
/// Bytes buffered across all open files: past it, the file holding the most
/// is written out as a row group, so memory stays bounded however many
/// partitions and tables a run writes.
pub const BUFFER_BUDGET_BYTES: usize = 48 * 1024 * 1024;
/// Rough cost of one buffered value beyond its bytes.
const VALUE_OVERHEAD: usize = 24;
/// Decimal columns: precision and scale.
pub const DECIMAL_PRECISION: i32 = 38;
pub const DECIMAL_SCALE: u32 = 6;

/// Columns that may partition the dataset.
pub const PARTITION_COLUMNS: &[&str] = &["year", "report"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    Decimal,
}

/// One output's columns and their kinds.
#[derive(Debug, Clone)]
struct Layout {
    names: Vec<String>,
    kinds: Vec<Kind>,
}

impl Layout {
    fn facts() -> Layout {
        Layout::new(
            FactRow::header().iter().map(|c| c.to_string()).collect(),
            &[],
        )
    }

    fn wide(columns: &[String]) -> Layout {
        let mut names: Vec<String> = WidePrefix::header().iter().map(|c| c.to_string()).collect();
        names.extend(columns.iter().cloned());
        Layout::new(names, columns)
    }

    fn new(names: Vec<String>, money: &[String]) -> Layout {
        let kinds = names
            .iter()
            .map(|name| match name.as_str() {
                "year" | "page" | "row" => Kind::Int,
                "value" | "value_yuan" => Kind::Decimal,
                other if money.iter().any(|m| m == other) => Kind::Decimal,
                _ => Kind::Text,
            })
            .collect();
        Layout { names, kinds }
    }

    fn schema(&self, message: &str, keep: &[bool]) -> io::Result<Type> {
        let mut fields = Vec::new();
        for ((name, kind), _) in self
            .names
            .iter()
            .zip(&self.kinds)
            .zip(keep)
            .filter(|(_, &keep)| keep)
        {
            let builder = match kind {
                Kind::Text => Type::primitive_type_builder(name, PhysicalType::BYTE_ARRAY)
                    .with_logical_type(Some(LogicalType::String)),
                Kind::Int => Type::primitive_type_builder(name, PhysicalType::INT32),
                Kind::Decimal => {
                    Type::primitive_type_builder(name, PhysicalType::FIXED_LEN_BYTE_ARRAY)
                        .with_length(16)
                        .with_logical_type(Some(LogicalType::Decimal(DecimalType {
                            scale: DECIMAL_SCALE as i32,
                            precision: DECIMAL_PRECISION,
                        })))
                        .with_precision(DECIMAL_PRECISION)
                        .with_scale(DECIMAL_SCALE as i32)
                }
            };
            let field = builder
                .with_repetition(Repetition::OPTIONAL)
                .build()
                .map_err(io::Error::other)?;
            fields.push(Arc::new(field));
        }
        Type::group_type_builder(message)
            .with_fields(fields)
            .build()
            .map_err(io::Error::other)
    }
}

/// The exact `DECIMAL(38,6)` form of a printed decimal, if it has one.
pub fn decimal_bytes(text: &str) -> Option<[u8; 16]> {
    let value = Decimal::from_str(text).ok()?;
    if value.scale() > DECIMAL_SCALE {
        let normal = value.normalize();
        if normal.scale() > DECIMAL_SCALE {
            return None;
        }
        return decimal_bytes(&normal.to_string());
    }
    let factor = 10i128.checked_pow(DECIMAL_SCALE - value.scale())?;
    Some(value.mantissa().checked_mul(factor)?.to_be_bytes())
}

/// Buffered values of one column.
enum Column {
    Text(Vec<ByteArray>),
    Int(Vec<i32>),
    Decimal(Vec<FixedLenByteArray>),
}

/// One Parquet file being written under a temporary name.
struct ParquetFile {
    writer: SerializedFileWriter<File>,
    temporary: PathBuf,
    target: PathBuf,
    kinds: Vec<Kind>,
    /// Which row fields go into this file (partition columns do not).
    keep: Vec<bool>,
    columns: Vec<Column>,
    definitions: Vec<Vec<i16>>,
    rows: usize,
    /// Estimated bytes buffered.
    buffered: usize,
}

impl ParquetFile {
    fn create(target: PathBuf, layout: &Layout, keep: Vec<bool>) -> io::Result<ParquetFile> {
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let temporary = target.with_extension("parquet.partial");
        let schema = Arc::new(layout.schema("gongkai", &keep)?);
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_created_by(format!("gongkai {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer =
            SerializedFileWriter::new(File::create(&temporary)?, schema, Arc::new(properties))
                .map_err(io::Error::other)?;
        let kinds: Vec<Kind> = layout
            .kinds
            .iter()
            .zip(&keep)
            .filter(|(_, &k)| k)
            .map(|(kind, _)| *kind)
            .collect();
        let mut file = ParquetFile {
            writer,
            temporary,
            target,
            columns: Vec::new(),
            definitions: Vec::new(),
            kinds,
            keep,
            rows: 0,
            buffered: 0,
        };
        file.reset_buffers();
        Ok(file)
    }

    fn reset_buffers(&mut self) {
        self.columns = self
            .kinds
            .iter()
            .map(|kind| match kind {
                Kind::Text => Column::Text(Vec::new()),
                Kind::Int => Column::Int(Vec::new()),
                Kind::Decimal => Column::Decimal(Vec::new()),
            })
            .collect();
        self.definitions = vec![Vec::new(); self.kinds.len()];
        self.rows = 0;
        self.buffered = 0;
    }

    fn row(&mut self, fields: &[String]) -> io::Result<()> {
        let kept = fields.iter().zip(&self.keep).filter(|(_, &k)| k);
        for (index, (field, _)) in kept.enumerate() {
            let present = match &mut self.columns[index] {
                _ if field.is_empty() => false,
                Column::Text(values) => {
                    values.push(ByteArray::from(field.as_str()));
                    true
                }
                Column::Int(values) => match field.parse::<i32>() {
                    Ok(v) => {
                        values.push(v);
                        true
                    }
                    Err(_) => false,
                },
                Column::Decimal(values) => match decimal_bytes(field) {
                    Some(bytes) => {
                        values.push(FixedLenByteArray::from(bytes.to_vec()));
                        true
                    }
                    None => false,
                },
            };
            self.definitions[index].push(i16::from(present));
            self.buffered += field.len() + VALUE_OVERHEAD;
        }
        self.rows += 1;
        if self.rows >= ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group().map_err(io::Error::other)?;
        for (column, definitions) in self.columns.iter().zip(&self.definitions) {
            let mut writer = group
                .next_column()
                .map_err(io::Error::other)?
                .ok_or_else(|| io::Error::other("parquet schema has fewer columns than rows"))?;
            let written = match column {
                Column::Text(values) => {
                    writer
                        .typed::<ByteArrayType>()
                        .write_batch(values, Some(definitions), None)
                }
                Column::Int(values) => {
                    writer
                        .typed::<Int32Type>()
                        .write_batch(values, Some(definitions), None)
                }
                Column::Decimal(values) => writer.typed::<FixedLenByteArrayType>().write_batch(
                    values,
                    Some(definitions),
                    None,
                ),
            };
            written.map_err(io::Error::other)?;
            writer.close().map_err(io::Error::other)?;
        }
        group.close().map_err(io::Error::other)?;
        self.reset_buffers();
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        self.flush()?;
        let file = self.writer.into_inner().map_err(io::Error::other)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&self.temporary, &self.target)
    }
}

/// Writes the Parquet files, partitioned or not.
pub struct ParquetSink {
    dir: PathBuf,
    partition: Vec<String>,
    table_columns: TableColumns,
    /// Open files by path relative to the output folder.
    files: BTreeMap<String, ParquetFile>,
    /// Each output's layout, made once (`None`: the output has no Parquet
    /// file).
    layouts: BTreeMap<String, Option<Arc<Layout>>>,
}

impl ParquetSink {
    /// `partition`: column names from [`PARTITION_COLUMNS`], in order.
    pub fn create(
        dir: &Path,
        table_columns: TableColumns,
        partition: Vec<String>,
    ) -> io::Result<ParquetSink> {
        if let Some(bad) = partition
            .iter()
            .find(|p| !PARTITION_COLUMNS.contains(&p.as_str()))
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("cannot partition by {bad:?}: use year and/or report"),
            ));
        }
        std::fs::create_dir_all(dir)?;
        let mut sink = ParquetSink {
            dir: dir.to_path_buf(),
            partition,
            table_columns,
            files: BTreeMap::new(),
            layouts: BTreeMap::new(),
        };
        if sink.partition.is_empty() {
            // facts.parquet exists even when no fact was found
            sink.file(rows::FACTS, &[])?;
        }
        Ok(sink)
    }

    fn layout(&mut self, output: &str) -> Option<Arc<Layout>> {
        if let Some(layout) = self.layouts.get(output) {
            return layout.clone();
        }
        let layout = if output == rows::FACTS {
            Some(Layout::facts())
        } else {
            output
                .strip_prefix(rows::TABLE_PREFIX)
                .and_then(|table| self.table_columns.get(table))
                .map(|c| Layout::wide(c))
        };
        let layout = layout.map(Arc::new);
        self.layouts.insert(output.to_string(), layout.clone());
        layout
    }

    /// The file a row of `output` goes to (partition values read from the row).
    fn file(&mut self, output: &str, fields: &[String]) -> io::Result<Option<&mut ParquetFile>> {
        let Some(layout) = self.layout(output) else {
            return Ok(None);
        };
        let relative = if self.partition.is_empty() {
            format!("{output}.parquet")
        } else {
            let mut path = output.to_string();
            for column in &self.partition {
                let index = layout.names.iter().position(|n| n == column);
                let value = index
                    .and_then(|i| fields.get(i))
                    .filter(|v| !v.is_empty())
                    .map_or_else(
                        || "__HIVE_DEFAULT_PARTITION__".to_string(),
                        |v| hive_value(v),
                    );
                path.push_str(&format!("/{column}={value}"));
            }
            path.push_str("/part-0.parquet");
            path
        };
        if !self.files.contains_key(&relative) {
            let keep = layout
                .names
                .iter()
                .map(|n| !self.partition.contains(n))
                .collect();
            let file = ParquetFile::create(self.dir.join(&relative), &layout, keep)?;
            self.files.insert(relative.clone(), file);
        }
        Ok(self.files.get_mut(&relative))
    }
}

impl ParquetSink {
    fn keep_within_budget(&mut self) -> io::Result<()> {
        loop {
            let total: usize = self.files.values().map(|f| f.buffered).sum();
            if total <= BUFFER_BUDGET_BYTES {
                return Ok(());
            }
            let fullest = self.files.values_mut().max_by_key(|f| f.buffered);
            match fullest {
                Some(file) if file.buffered > 0 => file.flush()?,
                _ => return Ok(()),
            }
        }
    }
}

impl Sink for ParquetSink {
    fn document(&mut self, rows: &DocumentRows) -> io::Result<()> {
        for (output, fields) in &rows.rows {
            if let Some(file) = self.file(output, fields)? {
                file.row(fields)?;
            }
        }
        self.keep_within_budget()
    }

    fn finish(self: Box<Self>) -> io::Result<Vec<String>> {
        let this = *self;
        let mut written = Vec::new();
        for (relative, file) in this.files {
            file.finish()?;
            written.push(relative);
        }
        let keep: Vec<PathBuf> = written.iter().map(|r| this.dir.join(r)).collect();
        remove_stale_tree(&this.dir.join("facts"), &keep)?;
        remove_stale_tree(&this.dir.join("tables"), &keep)?;
        if !keep.contains(&this.dir.join("facts.parquet")) {
            let _ = std::fs::remove_file(this.dir.join("facts.parquet"));
        }
        Ok(written)
    }
}

/// Remove Parquet files under `dir` (recursively) that this run did not
/// write, and folders left empty: an earlier run's partitions must not
/// linger in the dataset.
fn remove_stale_tree(dir: &Path, keep: &[PathBuf]) -> io::Result<()> {
    super::prune_tree(dir, &|path| {
        let parquet = path.extension().is_some_and(|e| e == "parquet")
            || path.to_string_lossy().ends_with(".parquet.partial");
        parquet && !keep.iter().any(|k| k == path)
    })
}

/// A partition value as a folder name: a separator, `%` or a leading dot
/// escaped as Hive does (`%2F`), so no value names a path out of the
/// output (`../x` is `%2E./x` → `%2E.%2Fx`).
fn hive_value(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        match c {
            '/' | '\\' | '%' => escaped.push_str(&format!("%{:02X}", c as u32)),
            '.' if i == 0 => escaped.push_str("%2E"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    /// A partition value never names a path out of the output.
    #[test]
    fn partition_values_are_plain_folder_names() {
        assert_eq!(super::hive_value("2023"), "2023");
        assert_eq!(super::hive_value("辽宁省"), "辽宁省");
        assert_eq!(super::hive_value("../x"), "%2E.%2Fx");
        assert_eq!(super::hive_value("a/b\\c%"), "a%2Fb%5Cc%25");
    }

    use super::decimal_bytes;

    /// The Parquet files store each column as `datapackage.json` (and the
    /// Python package's Arrow tables) type it: `year`, `page`, `row`
    /// integers; `value`, `value_yuan` and a wide table's amounts
    /// decimals; the rest text.
    #[test]
    fn parquet_kinds_are_the_typed_columns() {
        use super::super::datapackage::{typed_columns, ColumnType};
        use super::{Kind, Layout};
        let kind = |t: ColumnType| match t {
            ColumnType::String => Kind::Text,
            ColumnType::Integer => Kind::Int,
            ColumnType::Number => Kind::Decimal,
        };
        let tables = crate::write::table_columns(&crate::patterns::Patterns::builtin());
        let facts = typed_columns("facts", &tables).unwrap();
        let layout = Layout::facts();
        assert_eq!(
            facts.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            layout.names.iter().collect::<Vec<_>>()
        );
        assert_eq!(
            facts.iter().map(|(_, t)| kind(*t)).collect::<Vec<_>>(),
            layout.kinds
        );
        assert!(facts.contains(&("value_yuan".to_string(), ColumnType::Number)));
        assert!(facts.contains(&("page".to_string(), ColumnType::Integer)));
        for (table, columns) in &tables {
            let typed = typed_columns(&format!("tables/{table}"), &tables).unwrap();
            let layout = Layout::wide(columns);
            assert_eq!(
                typed.iter().map(|(n, _)| n).collect::<Vec<_>>(),
                layout.names.iter().collect::<Vec<_>>()
            );
            assert_eq!(
                typed.iter().map(|(_, t)| kind(*t)).collect::<Vec<_>>(),
                layout.kinds,
                "{table}"
            );
        }
    }

    #[test]
    fn decimals_are_scaled_exactly() {
        assert_eq!(decimal_bytes("228.45"), Some(228_450_000i128.to_be_bytes()));
        assert_eq!(decimal_bytes("-0.01"), Some((-10_000i128).to_be_bytes()));
        assert_eq!(
            decimal_bytes("2284500.00"),
            Some(2_284_500_000_000i128.to_be_bytes())
        );
        assert_eq!(
            decimal_bytes("1.2500000"),
            Some(1_250_000i128.to_be_bytes())
        );
        assert_eq!(decimal_bytes("1.0000001"), None);
        assert_eq!(decimal_bytes(""), None);
    }
}

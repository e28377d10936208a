//! Write: the output files. This module's doc is the specification of what
//! `gongkai extract` writes; `../shared/SCHEMA.md` is the contract it follows.
//!
//! All CSV is UTF-8 without BOM, RFC 4180 quoting, a header row and `\n`
//! line ends. Each file is written under a temporary name and renamed when
//! complete, so a killed run never leaves a half-written file under the
//! final name. Rows come in input order: documents sorted by source path,
//! facts in the order their tables and rows appear in the document.
//!
//! ## `facts.csv` — one row per non-empty numeric cell
//! `doc_id, source, department, year, report, table, table_label, table_no,
//! page, row, code, code_kind, line, item, column, column_label, value, unit,
//! value_yuan` as in SCHEMA.md. `value` is the exact decimal as printed
//! (separators removed, `-` for negatives); `value_yuan` is `value` times the
//! unit, exact, with at least two decimals; empty when the table states no
//! unit. `line` is also set on the total row (合计) of coded tables (`total`)
//! and on the function-class lines of the summary tables
//! (`expenditure.function`, with the class code in `code`).
//!
//! ## `documents.csv` — one row per input file, every input file
//! `doc_id, source, status, reason, format, pages, department, year, report,
//! tables_found, facts, checks_failed, sha256, elapsed_ms`. `status` is `ok`,
//! `partial` (part of the file could not be read: see `reason`), `failed`
//! (nothing could be read: `reason` says why) or `skipped` (not a disclosure
//! report, or a format this build does not read). `format` is what the
//! content is, whatever the file is called: `text`, `html`, `pdf`, `docx`,
//! `xlsx`, `doc`, `xls`, or `zip` / `ole` for other containers.
//! `tables_found` lists the table keys found, in document order, separated
//! by `;` (an empty table is listed too); `tables_recognised` and
//! `tables_unrecognised` count those of a known kind and those kept under
//! `other`; `tables_listed` the keys the report's table of contents lists
//! (empty where no contents were found). `elapsed_ms` is the only column
//! that differs between two runs that process a document (a run that takes
//! the document from the run cache keeps the first run's value).
//!
//! ## `checks.csv` — one row per identity evaluated
//! `doc_id, source, check, table, key, expected, actual, diff, tolerance,
//! status, note, unit` (`unit`, the unit of the four amounts, is an
//! extension). The checks and their tolerance are specified in
//! [`crate::check`]. `diff` is `actual - expected`.
//!
//! ## `indicators.csv` — one row per performance indicator
//! `doc_id, source, table, instance, project, page, row, level1, level2,
//! level3, operator, value, value_number, measure_unit, deadline, completed,
//! completion, weight, score, reason_funding, reason_system, reason_staff,
//! reason_hardware, reason_other, reason, improvement`. `table` is
//! `unit_target` (部门（单位）整体绩效目标表), `project_target` (项目（政策）绩效目标表)
//! or `self_evaluation` (绩效自评表); `instance` numbers the performance tables
//! of a document; `project` is the project or unit name. Text is kept as
//! printed; `value_number` is the value when it is a number. Empty 一级/二级
//! cells (merged cells) carry the value above. `operator` is `=`, `>=`,
//! `<=`, `>`, `<` or empty (when the value is a word such as 管理规范).
//!
//! ## `indicator_fields.csv` — one row per header fact of a performance table
//! `doc_id, source, table, instance, project, page, field, item, value,
//! value_number`: `unit_name`, `project_name`, `department`,
//! `implementing_unit`, `budget_funds`, `budget_amount`, `executed`,
//! `execution_rate`, `goal`, `goal_set`, `goal_achieved`, `fund` (one per
//! fund line, `item` the line as printed), and the self-evaluation's scores
//! `subtotal_score`, `execution_score`, `deduction`, `total_score`.
//!
//! ## `issues.csv` — one row per anomaly (extension)
//! `doc_id, source, severity, stage, page, table, row, message`: everything
//! a stage noticed, with its place. `severity` `error` made the document
//! `partial`; `warning` lost nothing.
//!
//! ## `reconciliation.csv` — one row per comparison across reports (extension)
//! `comparison, relation, status, code, line, item, expected, actual, diff,
//! tolerance, unit`, then `expected_` and `actual_` each of `doc_id, source,
//! department_key, entity_level, year, report, table, column, page`, and
//! `note` ([`ReconciliationRow`]): written after every document, by
//! [`crate::reconcile`], which specifies the relations, the tolerance and
//! the findings it adds at the end of `findings.csv`.
//!
//! ## `tables/<table>.csv` — one printed row per row, wide
//! `doc_id, source, department, year, report, table_label, table_no, page,
//! row, code, code_kind, line, item`, then one column per column key of the
//! table's pattern, in pattern order. A two-sided summary row is two wide
//! rows (its income line and its expenditure line). Narrative figures have
//! no wide view.
//!
//! ## Parquet and `datapackage.json`
//! [`parquet`] writes `facts` and the wide tables typed (and partitioned with
//! `--partition`); [`datapackage`] describes every file written. Every sink
//! writes from the same rendered rows ([`rows`]), which the run cache keeps
//! per document.
//!
//! ## `--excel`
//! Every CSV starts with a UTF-8 BOM, and text cells starting with `=`, `+`,
//! `-` or `@` are prefixed with `'` so a spreadsheet shows them as text.
//! Numeric columns are left as they are.

pub mod datapackage;
mod fields;
pub mod parquet;
pub mod review;
pub mod rows;
pub mod schema;

use crate::patterns::Patterns;
pub use rows::{render, DocumentRows, TableColumns};
pub use schema::{
    bad_data, for_each_row, read_rows, read_written, CheckRow, DocumentRow, FactRow, FindingRow,
    IndicatorFieldRow, IndicatorRow, IssueRow, OutputRow, ReconciliationRow, WidePrefix,
};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Receives documents in order and writes them out (ripgrep's `Sink` idea).
pub trait Sink {
    fn document(&mut self, rows: &DocumentRows) -> io::Result<()>;
    /// Flush and move every file to its final name; returns the files
    /// written, relative to the output folder.
    fn finish(self: Box<Self>) -> io::Result<Vec<String>>;
}

/// Several sinks fed the same documents.
pub struct Tee(pub Vec<Box<dyn Sink>>);

impl Sink for Tee {
    fn document(&mut self, rows: &DocumentRows) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|sink| sink.document(rows))
    }

    fn finish(self: Box<Self>) -> io::Result<Vec<String>> {
        let mut written = Vec::new();
        for sink in self.0 {
            written.extend(sink.finish()?);
        }
        Ok(written)
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    pub excel: bool,
}

/// A CSV file being written under a temporary name.
struct CsvFile {
    writer: csv::Writer<BufWriter<File>>,
    temporary: PathBuf,
    target: PathBuf,
    numeric: Vec<bool>,
    excel: bool,
}

impl CsvFile {
    fn create(
        target: PathBuf,
        header: &[&str],
        numeric: &[&str],
        options: CsvOptions,
    ) -> io::Result<CsvFile> {
        let temporary = target.with_extension("csv.partial");
        let mut file = BufWriter::new(File::create(&temporary)?);
        if options.excel {
            file.write_all("\u{FEFF}".as_bytes())?;
        }
        let writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(file);
        let mut csv_file = CsvFile {
            writer,
            temporary,
            target,
            numeric: header.iter().map(|h| numeric.contains(h)).collect(),
            excel: options.excel,
        };
        csv_file.writer.write_record(header)?;
        Ok(csv_file)
    }

    fn row(&mut self, fields: &[String]) -> io::Result<()> {
        if !self.excel {
            return Ok(self.writer.write_record(fields)?);
        }
        let guarded: Vec<String> = fields
            .iter()
            .zip(&self.numeric)
            .map(|(field, &numeric)| {
                if numeric {
                    field.clone()
                } else {
                    neutralise_formula(field)
                }
            })
            .collect();
        Ok(self.writer.write_record(&guarded)?)
    }

    fn finish(self) -> io::Result<()> {
        let mut inner = self.writer.into_inner().map_err(|e| e.into_error())?;
        inner.flush()?;
        inner.get_ref().sync_all()?;
        drop(inner);
        std::fs::rename(&self.temporary, &self.target)
    }
}

/// Write a whole CSV file of typed rows, as the sinks write theirs (under
/// a temporary name, then renamed; a BOM and neutralised cells with
/// `excel`).
pub fn write_rows<R: OutputRow>(path: &Path, rows: &[R], options: CsvOptions) -> io::Result<()> {
    let mut file = CsvFile::create(path.to_path_buf(), R::header(), R::NUMERIC, options)?;
    for row in rows {
        file.row(&row.fields())?;
    }
    file.finish()
}

/// Add typed rows at the end of a CSV file this module wrote with the same
/// options (no header; neutralised cells with `excel`): the rows before
/// them are left byte for byte as they were.
pub fn append_rows<R: OutputRow>(path: &Path, rows: &[R], options: CsvOptions) -> io::Result<()> {
    let file = std::fs::OpenOptions::new().append(true).open(path)?;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(BufWriter::new(file));
    let numeric: Vec<bool> = R::header().iter().map(|h| R::NUMERIC.contains(h)).collect();
    for row in rows {
        let fields = row.fields();
        let fields: Vec<String> = if options.excel {
            fields
                .iter()
                .zip(&numeric)
                .map(|(f, &n)| if n { f.clone() } else { neutralise_formula(f) })
                .collect()
        } else {
            fields
        };
        writer.write_record(&fields)?;
    }
    let mut inner = writer.into_inner().map_err(|e| e.into_error())?;
    inner.flush()?;
    inner.get_ref().sync_all()
}

/// The CSV options an existing output was written with: a BOM at the start
/// of its `documents.csv` means `--excel`.
pub fn options_of(dir: &Path) -> io::Result<CsvOptions> {
    use std::io::Read;
    let mut head = [0u8; 3];
    let read = File::open(dir.join("documents.csv"))?.read(&mut head)?;
    Ok(CsvOptions {
        excel: read == 3 && head == [0xEF, 0xBB, 0xBF],
    })
}

/// Prefix text that a spreadsheet would run as a formula.
pub fn neutralise_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) && !is_plain_negative(text) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// `-228.45`: a negative amount, which a spreadsheet reads as a number and
/// never as a formula — it stays a number in every CSV.
fn is_plain_negative(text: &str) -> bool {
    let Some(digits) = text.strip_prefix('-') else {
        return false;
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.chars().all(|c| c.is_ascii_digit())
}

/// Writes `facts.csv`, `documents.csv`, `issues.csv`, `checks.csv`,
/// `indicators.csv`, `indicator_fields.csv` and `tables/*.csv`.
pub struct CsvSink {
    dir: PathBuf,
    options: CsvOptions,
    /// Files by output name, opened when their first row arrives (the
    /// fixed files are opened at once so they exist even when empty).
    files: BTreeMap<String, CsvFile>,
    table_columns: TableColumns,
}

/// The fixed CSV outputs: name, header, numeric columns.
fn fixed_outputs() -> Vec<(
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
)> {
    fn output<R: OutputRow>() -> (
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
    ) {
        (R::OUTPUT, R::header(), R::NUMERIC)
    }
    vec![
        output::<FactRow>(),
        output::<DocumentRow>(),
        output::<IssueRow>(),
        output::<CheckRow>(),
        output::<FindingRow>(),
        output::<IndicatorRow>(),
        output::<IndicatorFieldRow>(),
    ]
}

/// Header of the wide view of a table with these column keys.
pub fn wide_header(columns: &[String]) -> Vec<&str> {
    let mut header: Vec<&str> = WidePrefix::header().to_vec();
    header.extend(columns.iter().map(String::as_str));
    header
}

/// Column keys of every pattern table, in pattern order.
pub fn table_columns(patterns: &Patterns) -> TableColumns {
    patterns
        .tables
        .iter()
        .map(|t| {
            (
                t.key.clone(),
                t.columns.iter().map(|c| c.key.clone()).collect(),
            )
        })
        .collect()
}

impl CsvSink {
    pub fn create(dir: &Path, patterns: &Patterns, options: CsvOptions) -> io::Result<CsvSink> {
        std::fs::create_dir_all(dir)?;
        let mut files = BTreeMap::new();
        for (name, header, numeric) in fixed_outputs() {
            let file = CsvFile::create(dir.join(format!("{name}.csv")), header, numeric, options)?;
            files.insert(name.to_string(), file);
        }
        Ok(CsvSink {
            dir: dir.to_path_buf(),
            options,
            files,
            table_columns: table_columns(patterns),
        })
    }

    fn file(&mut self, name: &str) -> io::Result<&mut CsvFile> {
        if !self.files.contains_key(name) {
            let table = name
                .strip_prefix(rows::TABLE_PREFIX)
                .filter(|t| is_table_key(t))
                .ok_or_else(|| io::Error::other(format!("no output file is called {name:?}")))?;
            let tables_dir = self.dir.join("tables");
            std::fs::create_dir_all(&tables_dir)?;
            let columns = self.table_columns.get(table).cloned().unwrap_or_default();
            let file = CsvFile::create(
                tables_dir.join(format!("{table}.csv")),
                &wide_header(&columns),
                WidePrefix::NUMERIC,
                self.options,
            )?;
            self.files.insert(name.to_string(), file);
        }
        Ok(self.files.get_mut(name).expect("inserted above"))
    }
}

impl Sink for CsvSink {
    fn document(&mut self, rows: &DocumentRows) -> io::Result<()> {
        for (name, fields) in &rows.rows {
            self.file(name)?.row(fields)?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<Vec<String>> {
        let this = *self;
        let mut written = Vec::new();
        for (name, file) in this.files {
            written.push(format!("{name}.csv"));
            file.finish()?;
        }
        let tables: Vec<PathBuf> = written
            .iter()
            .filter(|n| n.starts_with(rows::TABLE_PREFIX))
            .map(|n| this.dir.join(n))
            .collect();
        remove_stale(&this.dir.join("tables"), &tables, "csv")?;
        Ok(written)
    }
}

/// Wide files left by an earlier run for tables this run did not find would
/// make the output depend on history: remove them.
fn remove_stale(dir: &Path, written: &[PathBuf], extension: &str) -> io::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let stale = path.extension().is_some_and(|e| e == extension) && !written.contains(&path);
        let leftover = path
            .to_string_lossy()
            .ends_with(&format!(".{extension}.partial"));
        if stale || leftover {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// Remove, under `dir` and recursively, the files `remove` picks and the
/// folders that leaves empty (an output's stale partitions, a cache's stale
/// entries).
/// A table key as patterns write them (`gpb_expenditure`): a plain file
/// name, whatever a cache row or shard says.
fn is_table_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(crate) fn prune_tree(dir: &Path, remove: &dyn Fn(&Path) -> bool) -> io::Result<()> {
    // never out of the folder: a link is removed as a link, not followed
    crate::folder::refuse_link(dir)?;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            prune_tree(&path, remove)?;
            let _ = std::fs::remove_dir(&path); // only succeeds when empty
        } else if kind.is_symlink() || remove(&path) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::neutralise_formula;

    /// A table key read from a cache entry or a shard names a file in
    /// `tables/`: `tables/../../victim` is no table.
    #[test]
    fn only_plain_table_keys_name_files() {
        assert!(super::is_table_key("gpb_expenditure"));
        assert!(!super::is_table_key("../../victim"));
        assert!(!super::is_table_key("a/b"));
        assert!(!super::is_table_key(""));
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise_formula("=1+1"), "'=1+1");
        assert_eq!(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_formula("-cmd"), "'-cmd");
        assert_eq!(neutralise_formula("事业运行"), "事业运行");
        // a negative amount is a number, not a formula
        assert_eq!(neutralise_formula("-228.45"), "-228.45");
        assert_eq!(neutralise_formula("-5"), "-5");
        assert_eq!(neutralise_formula("-1+1"), "'-1+1");
        assert_eq!(neutralise_formula("-.5"), "'-.5");
    }
}

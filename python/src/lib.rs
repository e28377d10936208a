//! `gongkai._native`: the library's pipeline called from Python, its rows
//! handed over as Arrow record batches through the C data interface.
//!
//! Two functions. [`extract`]: the inputs (paths and folders, listed as the
//! CLI lists them, then documents given as bytes) run through
//! `gongkai::pipeline::run` — the CLI's own run, with its duplicate
//! marking, its limits and its per-document time budget — into a sink that
//! keeps every row; each output then becomes one record batch whose
//! columns are typed as `datapackage.json` types them (for `facts` and the
//! wide tables, as the Parquet files store them): integers `int32`,
//! amounts `decimal128(38, 6)`, the rest `utf8`; an empty cell is null.
//! The run's reports are then compared across reports by the library's
//! stage (`reconciliation`, the cross-report findings after the others),
//! as `gongkai extract` does. [`reconcile`]: that stage over finished
//! output folders (`gongkai reconcile OUT… -o DIR`).
//!
//! With `independent`, every document is a run of its own: its rows
//! depend on its bytes and its name only, never on which documents share
//! its partition (what a Spark or Dask task needs to be retried anywhere).
//!
//! The GIL is released while documents are processed. Errors are Python
//! exceptions carrying the CLI's messages.

use arrow::array::{ArrayRef, Decimal128Builder, Int32Builder, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::pyarrow::ToPyArrow;
use arrow::record_batch::RecordBatch;
use gongkai::limits::Limits;
use gongkai::patterns::Patterns;
use gongkai::pipeline::{self, InputFile, Options};
use gongkai::write::datapackage::{typed_columns, ColumnType};
use gongkai::write::parquet::{decimal_bytes, DECIMAL_PRECISION, DECIMAL_SCALE};
use gongkai::write::{rows, DocumentRow, DocumentRows, FactRow, OutputRow, Sink, TableColumns};
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// The CLI's allocator (see `src/main.rs`), so a run costs what the CLI's
/// does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The outputs every result has, even when empty, in this order.
const OUTPUTS: &[&str] = &[
    "facts",
    "documents",
    "checks",
    "findings",
    "issues",
    "indicators",
    "indicator_fields",
];

/// Every row of a run, by output, in the order the run wrote them.
#[derive(Default)]
struct Keep {
    rows: BTreeMap<String, Vec<Vec<String>>>,
}

impl Sink for Keep {
    fn document(&mut self, rows: &DocumentRows) -> std::io::Result<()> {
        for (output, fields) in &rows.rows {
            self.rows
                .entry(output.clone())
                .or_default()
                .push(fields.clone());
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> std::io::Result<Vec<String>> {
        Ok(self.rows.keys().cloned().collect())
    }
}

/// `reconciliation.csv`'s rows (the comparisons across reports).
const RECONCILIATION: &str = gongkai::reconcile::OUTPUT;

impl Keep {
    /// The run's reports compared across reports by the library's stage
    /// (`gongkai::reconcile::of_rows`, what `gongkai extract` runs over
    /// its output): the comparisons as `reconciliation`, the cross-report
    /// findings after the findings of single reports.
    fn reconcile(&mut self, patterns: &Patterns) -> std::io::Result<()> {
        let documents = read_back::<DocumentRow>(self.rows.get(rows::DOCUMENTS));
        let facts = read_back::<FactRow>(self.rows.get(rows::FACTS));
        let origin = std::path::Path::new("(extracted rows)");
        let found = gongkai::reconcile::of_rows(documents, facts, patterns, origin)?;
        self.add(&found);
        Ok(())
    }

    fn add(&mut self, found: &gongkai::reconcile::Reconciliation) {
        let findings = self.rows.entry(rows::FINDINGS.to_string()).or_default();
        findings.extend(found.findings.iter().map(OutputRow::fields));
        let comparisons = self.rows.entry(RECONCILIATION.to_string()).or_default();
        comparisons.extend(found.rows.iter().map(OutputRow::fields));
    }
}

/// Rows kept as written, read back as the library's row type.
fn read_back<'a, R: OutputRow + 'a>(
    rows: Option<&'a Vec<Vec<String>>>,
) -> impl Iterator<Item = R> + 'a {
    rows.into_iter()
        .flatten()
        .filter_map(|fields| gongkai::write::read_written::<R>(fields).ok())
}

/// The built-in patterns, compiled once per process: a cluster task calls
/// [`extract`] once per partition.
static BUILTIN: OnceLock<Arc<Patterns>> = OnceLock::new();

fn load_patterns(dir: Option<&PathBuf>) -> PyResult<Arc<Patterns>> {
    match dir {
        Some(dir) => Patterns::load_dir(dir)
            .map(Arc::new)
            .map_err(|e| PyValueError::new_err(format!("invalid patterns: {e}"))),
        None => Ok(BUILTIN
            .get_or_init(|| Arc::new(Patterns::builtin()))
            .clone()),
    }
}

fn parse_limits(assignments: &[String]) -> PyResult<Limits> {
    let mut limits = Limits::default();
    for assignment in assignments {
        limits.set(assignment).map_err(PyValueError::new_err)?;
    }
    Ok(limits)
}

/// The inputs numbered in order: the paths as the CLI lists them, then
/// the documents given as bytes, then the files given with their `source`.
fn inputs(
    paths: &[PathBuf],
    pairs: Vec<(String, Vec<u8>)>,
    files: Vec<(String, PathBuf)>,
) -> PyResult<Vec<InputFile>> {
    let mut inputs = if paths.is_empty() {
        Vec::new()
    } else {
        pipeline::collect_inputs(paths)
            .map_err(|e| PyOSError::new_err(format!("cannot list inputs: {e}")))?
    };
    for (source, bytes) in pairs {
        inputs.push(InputFile::from_bytes(&source, bytes));
    }
    for (source, path) in files {
        inputs.push(InputFile {
            path,
            source,
            index: 0,
            refused: None,
            content: None,
        });
    }
    for (index, input) in inputs.iter_mut().enumerate() {
        input.index = index;
    }
    Ok(inputs)
}

/// Run the pipeline into a [`Keep`]: as one run, or one run per document.
fn run(
    inputs: &[InputFile],
    patterns: &Patterns,
    options: &Options,
    independent: bool,
) -> std::io::Result<(Keep, pipeline::Summary)> {
    let mut keep = Keep::default();
    if !independent {
        let summary = pipeline::run(inputs, patterns, options, None, &mut keep)?;
        return Ok((keep, summary));
    }
    let mut summary = pipeline::Summary::default();
    for input in inputs {
        let one = pipeline::run(
            std::slice::from_ref(input),
            patterns,
            options,
            None,
            &mut keep,
        )?;
        summary.files += one.files;
        summary.ok += one.ok;
        summary.partial += one.partial;
        summary.failed += one.failed;
        summary.skipped += one.skipped;
        summary.facts += one.facts;
    }
    Ok((keep, summary))
}

fn arrow_type(kind: ColumnType) -> DataType {
    match kind {
        ColumnType::String => DataType::Utf8,
        ColumnType::Integer => DataType::Int32,
        ColumnType::Number => DataType::Decimal128(DECIMAL_PRECISION as u8, DECIMAL_SCALE as i8),
    }
}

/// One column of written fields, typed; an empty or unreadable cell is
/// null (as in the Parquet files).
fn column(
    rows: &[Vec<String>],
    at: usize,
    kind: ColumnType,
) -> Result<ArrayRef, arrow::error::ArrowError> {
    let cells = rows.iter().map(|r| r.get(at).filter(|c| !c.is_empty()));
    Ok(match kind {
        ColumnType::String => {
            let mut builder = StringBuilder::new();
            cells.for_each(|c| builder.append_option(c));
            Arc::new(builder.finish())
        }
        ColumnType::Integer => {
            let mut builder = Int32Builder::with_capacity(rows.len());
            cells.for_each(|c| builder.append_option(c.and_then(|c| c.parse::<i32>().ok())));
            Arc::new(builder.finish())
        }
        ColumnType::Number => {
            let mut builder = Decimal128Builder::with_capacity(rows.len())
                .with_precision_and_scale(DECIMAL_PRECISION as u8, DECIMAL_SCALE as i8)?;
            cells.for_each(|c| {
                builder.append_option(c.and_then(|c| decimal_bytes(c)).map(i128::from_be_bytes))
            });
            Arc::new(builder.finish())
        }
    })
}

/// An output's rows as one record batch.
fn batch(output: &str, rows: &[Vec<String>], tables: &TableColumns) -> PyResult<RecordBatch> {
    let typed = typed_columns(output, tables)
        .ok_or_else(|| PyRuntimeError::new_err(format!("no columns known for {output}")))?;
    let fields: Vec<Field> = typed
        .iter()
        .map(|(name, kind)| Field::new(name, arrow_type(*kind), true))
        .collect();
    let arrays = typed
        .iter()
        .enumerate()
        .map(|(at, (_, kind))| column(rows, at, *kind))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// Extract `paths` (files and folders) and `pairs` (`(source, bytes)`).
///
/// Returns a dict: each output of [`OUTPUTS`] as a `pyarrow.RecordBatch`,
/// `tables` a dict of the wide tables found (by table key), and `summary`
/// the run's counts.
#[pyfunction]
#[pyo3(signature = (paths, pairs, patterns=None, limits=Vec::new(), jobs=None, independent=false, files=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn extract<'py>(
    py: Python<'py>,
    paths: Vec<PathBuf>,
    pairs: Vec<(String, Vec<u8>)>,
    patterns: Option<PathBuf>,
    limits: Vec<String>,
    jobs: Option<usize>,
    independent: bool,
    files: Vec<(String, PathBuf)>,
) -> PyResult<Bound<'py, PyDict>> {
    let patterns = load_patterns(patterns.as_ref())?;
    let limits = parse_limits(&limits)?;
    let inputs = inputs(&paths, pairs, files)?;
    let options = Options {
        limits,
        jobs: if independent { Some(1) } else { jobs },
        progress: false,
        force: false,
    };
    let (mut keep, summary) = py
        .detach(|| -> std::io::Result<_> {
            let (mut keep, summary) = run(&inputs, &patterns, &options, independent)?;
            // across reports, as `gongkai extract` does over its batch (not
            // in independent runs: a document's rows are its own there)
            if !independent {
                keep.reconcile(&patterns)?;
            }
            Ok((keep, summary))
        })
        .map_err(|e| PyOSError::new_err(e.to_string()))?;
    keep.rows.entry(RECONCILIATION.to_string()).or_default();
    let tables = gongkai::write::table_columns(&patterns);
    let result = PyDict::new(py);
    let none = Vec::new();
    for output in OUTPUTS.iter().chain([&RECONCILIATION]) {
        let rows = keep.rows.get(*output).unwrap_or(&none);
        result.set_item(*output, batch(output, rows, &tables)?.to_pyarrow(py)?)?;
    }
    let wide = PyDict::new(py);
    for (output, rows) in &keep.rows {
        if let Some(table) = output.strip_prefix(gongkai::write::rows::TABLE_PREFIX) {
            wide.set_item(table, batch(output, rows, &tables)?.to_pyarrow(py)?)?;
        }
    }
    result.set_item("tables", wide)?;
    let counts = PyDict::new(py);
    counts.set_item("files", summary.files)?;
    counts.set_item("ok", summary.ok)?;
    counts.set_item("partial", summary.partial)?;
    counts.set_item("failed", summary.failed)?;
    counts.set_item("skipped", summary.skipped)?;
    counts.set_item("facts", summary.facts)?;
    counts.set_item("duplicates", summary.duplicates)?;
    result.set_item("summary", counts)?;
    Ok(result)
}

/// Compare the reports of finished output folders across reports, as
/// `gongkai reconcile OUT… -o DIR` does (`gongkai::reconcile::read` and
/// `reconcile`; the folders are read, never written).
///
/// Returns a dict: `reconciliation` (the rows of `reconciliation.csv`)
/// and `findings` (the cross-report findings) as `pyarrow.RecordBatch`es,
/// `summary` the counts.
#[pyfunction]
#[pyo3(signature = (folders, patterns=None))]
fn reconcile<'py>(
    py: Python<'py>,
    folders: Vec<PathBuf>,
    patterns: Option<PathBuf>,
) -> PyResult<Bound<'py, PyDict>> {
    let patterns = load_patterns(patterns.as_ref())?;
    let (keep, summary) = py
        .detach(|| -> std::io::Result<_> {
            for folder in &folders {
                if !folder.join("datapackage.json").is_file() {
                    return Err(std::io::Error::other(format!(
                        "{}: no datapackage.json: not a finished output folder of gongkai",
                        folder.display()
                    )));
                }
            }
            let batch = gongkai::reconcile::read(&folders, &patterns)?;
            let found = gongkai::reconcile::reconcile(&batch, &patterns.reconcile);
            let summary = gongkai::reconcile::Summary::of(&batch, &found.rows);
            let mut keep = Keep::default();
            keep.add(&found);
            Ok((keep, summary))
        })
        .map_err(|e| PyOSError::new_err(e.to_string()))?;
    let tables = gongkai::write::table_columns(&patterns);
    let result = PyDict::new(py);
    for output in [RECONCILIATION, rows::FINDINGS] {
        let rows = &keep.rows[output];
        result.set_item(output, batch(output, rows, &tables)?.to_pyarrow(py)?)?;
    }
    let counts = PyDict::new(py);
    counts.set_item("reports", summary.reports)?;
    counts.set_item("comparisons", summary.comparisons)?;
    counts.set_item("agrees", summary.agrees)?;
    counts.set_item("differs", summary.differs)?;
    counts.set_item("missing_counterpart", summary.missing)?;
    result.set_item("summary", counts)?;
    Ok(result)
}

/// `(path, source)` of every input `gongkai extract PATHS` reads, in order.
#[pyfunction]
fn list_inputs(paths: Vec<PathBuf>) -> PyResult<Vec<(PathBuf, String)>> {
    let inputs = pipeline::collect_inputs(&paths)
        .map_err(|e| PyOSError::new_err(format!("cannot list inputs: {e}")))?;
    Ok(inputs.into_iter().map(|i| (i.path, i.source)).collect())
}

/// The version of the gongkai library this module was built from.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(list_inputs, m)?)?;
    Ok(())
}

//! Across reports: the figures two reports of one body both print, compared
//! (`reconciliation.csv`), after every document is done.
//!
//! Every other check looks inside one report. This stage reads a run's
//! output — `documents.csv` whole, `facts.csv` one row at a time, keeping
//! only the figures the rules of `patterns/reconcile.toml` name
//! ([`figures`]) — and pairs reports by their identity (`department_key`,
//! `entity_level`, `region_code`, `year`, `report`):
//!
//! - `units`: a department's report (部门, consolidated) against the sum of
//!   its units' reports (单位) of the same year and kind — a unit is the
//!   department's when, in the same region, its key's name begins with the
//!   department's (公安局 → 公安局巡特警支队; the department's own unit
//!   has its name). The coverage rule comes first: the units' sum of the
//!   department's whole (支出合计) as a share of it. Units short of the
//!   whole are `missing_counterpart` (reports not in the batch, not a
//!   wrong figure) and then the figures are not compared one by one;
//!   units making up the whole are compared figure by figure;
//! - `budget_final`: a body's final accounts against its budget of the
//!   same year and level (the 三公 table's 预算数), the final figure quoted
//!   as a share of the budget in the note;
//! - `previous_year`: what a report prints for the year before (a 上年预算数
//!   column, an item of the text: 与上年相比增加… taken off this year's
//!   amount) against that year's own report.
//!
//! A body's report of one year and kind is one report however many files
//! print it (a 文件 and a 表格 PDF: each figure from the first file that
//! prints it, in the batch's order), and a file marked `duplicate_of` is in
//! none: nothing is counted twice. Files of one body that print a figure
//! differently (a report and its corrected copy) are said so ([`copies`]):
//! a note on the row, a finding `across_reports:rival_copies`. A figure a report does not print is a zero where it
//! prints the table (tables leave out their empty rows), else missing.
//!
//! Tolerance is the printed precision of every figure compared: one unit
//! of each one's last printed digit, in yuan, summed (a previous-year
//! figure computed from two printed figures carries both). A difference
//! within it `agrees`, with a note; beyond it `differs`, and is also a
//! cross-report finding (`across_reports:<rule>`, severity `error`) in
//! `findings.csv`, on the report whose figure is judged (the department,
//! the final accounts, the later year), its message naming the other
//! report and its page.
//!
//! `extract` and `merge` run it over the run's own output before it is
//! published; `gongkai reconcile OUT…` (`crate::pipeline::across`) over
//! finished output folders
//! (earlier runs, shards), each read as input: it must be a finished
//! output (`datapackage.json` present), held under its lock, its rows read
//! by column name and their figures parsed, a `doc_id` in two folders
//! read once.

mod compare;
mod copies;
pub mod figures;
mod rows;

pub use compare::{bodies, Body, Status};
pub use figures::{Batch, Printed, Report};
pub use rows::{reconcile, Reconciliation, FINDING_PREFIX};

use crate::patterns::Patterns;
use crate::write::{CsvOptions, DocumentRow, FactRow, ReconciliationRow};
use std::io;
use std::path::{Path, PathBuf};

/// The file written.
pub const FILE: &str = "reconciliation.csv";

/// The output's name (`reconciliation.csv`, the package's resource).
pub const OUTPUT: &str = <ReconciliationRow as crate::write::OutputRow>::OUTPUT;

/// Read output folders (in order) into one batch.
pub fn read(dirs: &[PathBuf], patterns: &Patterns) -> io::Result<Batch> {
    let mut batch = Batch::default();
    let mut indexes = Vec::new();
    for dir in dirs {
        indexes.push(batch.read_documents(dir)?);
    }
    batch.roles = compare::roles(&batch.reports);
    for (dir, index) in dirs.iter().zip(&indexes) {
        batch.read_facts(dir, index, &patterns.reconcile)?;
    }
    Ok(batch)
}

/// The reconciliation of one run held in memory, its rows as written (the
/// Python package's `extract`): what [`read`] and [`reconcile`] make of
/// the same rows in a folder. `origin` names the rows in errors.
pub fn of_rows(
    documents: impl IntoIterator<Item = DocumentRow>,
    facts: impl IntoIterator<Item = FactRow>,
    patterns: &Patterns,
    origin: &Path,
) -> io::Result<Reconciliation> {
    let mut batch = Batch::default();
    let numbered = |rows: Vec<DocumentRow>| (2u64..).zip(rows);
    let documents: Vec<DocumentRow> = documents.into_iter().collect();
    let index = batch.add_documents(numbered(documents), origin)?;
    batch.roles = compare::roles(&batch.reports);
    let known = index.keys().cloned().collect();
    for (line, fact) in (2u64..).zip(facts) {
        batch.add_fact(&index, &known, &patterns.reconcile, &fact, origin, line)?;
    }
    Ok(reconcile(&batch, &patterns.reconcile))
}

/// In a run's staging folder (`extract`, `merge`), after its files are
/// written: `reconciliation.csv` written, the cross-report findings added
/// at the end of `findings.csv` (the rows before them unchanged) and, when
/// there are any, `review.xlsx` written again with them. Returns
/// the file written, for `datapackage.json`.
pub fn into_staged(dir: &Path, patterns: &Patterns, options: CsvOptions) -> io::Result<String> {
    let batch = read(&[dir.to_path_buf()], patterns)?;
    let reconciliation = reconcile(&batch, &patterns.reconcile);
    crate::write::write_rows(&dir.join(FILE), &reconciliation.rows, options)?;
    let findings = dir.join("findings.csv");
    if findings.is_file() && !reconciliation.findings.is_empty() {
        crate::write::append_rows(&findings, &reconciliation.findings, options)?;
        if dir.join(crate::write::review::REVIEW_FILE).is_file() {
            let all: Vec<_> = crate::write::read_rows(&findings)?
                .into_iter()
                .map(|(_, row)| row)
                .collect();
            crate::write::review::rewrite(&dir.join("documents.csv"), &all, dir)?;
        }
    }
    Ok(FILE.to_string())
}

/// What `gongkai reconcile` did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub reports: usize,
    pub comparisons: usize,
    pub agrees: usize,
    pub differs: usize,
    pub missing: usize,
    /// Figures kept while reading (memory grows with these) of the facts read.
    pub figures: usize,
    pub facts_read: usize,
}

impl Summary {
    pub fn of(batch: &Batch, rows: &[ReconciliationRow]) -> Summary {
        let count = |status: Status| rows.iter().filter(|r| r.status == status.as_str()).count();
        Summary {
            reports: batch.reports.len(),
            comparisons: rows.len(),
            agrees: count(Status::Agrees),
            differs: count(Status::Differs),
            missing: count(Status::MissingCounterpart),
            figures: batch.figures.len(),
            facts_read: batch.facts_read,
        }
    }
}

//! The output folder read back for the site: `documents.csv`, `facts.csv`,
//! `checks.csv`, `findings.csv` and `reconciliation.csv`, as the rows `write` writes them
//! ([`crate::write::read_rows`]: columns by name, a spreadsheet BOM
//! ignored). A missing `findings.csv`, `checks.csv` or
//! `reconciliation.csv` (an older run) reads
//! as empty; a missing `documents.csv` or `facts.csv` is an error naming
//! the file.

use crate::write::{read_rows, OutputRow};
pub use crate::write::{CheckRow, DocumentRow, FactRow, FindingRow, ReconciliationRow};
use std::path::Path;

/// One run's output, as the site needs it.
#[derive(Debug, Default)]
pub struct Run {
    pub documents: Vec<DocumentRow>,
    pub facts: Vec<FactRow>,
    pub checks: Vec<CheckRow>,
    pub findings: Vec<FindingRow>,
    pub reconciliation: Vec<ReconciliationRow>,
}

/// A file of the output folder that could not be read: the message names
/// the file (and the row).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(pub String);

fn rows<R: OutputRow>(output: &Path, required: bool) -> Result<Vec<R>, ReadError> {
    let path = output.join(format!("{}.csv", R::OUTPUT));
    if !path.exists() {
        return if required {
            Err(ReadError(format!(
                "{}: not found (is this a folder `gongkai extract` wrote?)",
                path.display()
            )))
        } else {
            Ok(Vec::new())
        };
    }
    let read = read_rows(&path).map_err(|e| ReadError(e.to_string()))?;
    Ok(read.into_iter().map(|(_, row)| row).collect())
}

impl Run {
    /// The four files of `output`.
    pub fn read(output: &Path) -> Result<Run, ReadError> {
        Ok(Run {
            documents: rows(output, true)?,
            facts: rows(output, true)?,
            checks: rows(output, false)?,
            findings: rows(output, false)?,
            reconciliation: rows(output, false)?,
        })
    }
}

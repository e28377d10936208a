//! The output folder read back for the site: `documents.csv`, `facts.csv`,
//! `checks.csv` and `findings.csv`, only the columns the pages show. A
//! missing `findings.csv` or `checks.csv` (an older run) reads as empty;
//! a missing `documents.csv` or `facts.csv` is an error naming the file.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A row of `documents.csv`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DocumentRow {
    pub doc_id: String,
    pub source: String,
    pub status: String,
    pub reason: String,
    pub format: String,
    pub pages: String,
    pub department: String,
    pub department_key: String,
    pub entity_level: String,
    pub province: String,
    pub prefecture: String,
    pub county: String,
    pub admin_level: String,
    pub year: String,
    pub report: String,
    pub tables_found: String,
    pub facts: String,
    pub checks_failed: String,
    pub duplicate_of: String,
}

/// A row of `facts.csv`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FactRow {
    pub doc_id: String,
    pub table: String,
    pub table_label: String,
    pub table_no: String,
    pub page: String,
    pub row: String,
    pub code: String,
    pub line: String,
    pub item: String,
    pub column: String,
    pub column_label: String,
    pub value: String,
    pub unit: String,
    pub value_yuan: String,
    pub origin: String,
    pub ocr_check: String,
}

/// A row of `checks.csv`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CheckRow {
    pub doc_id: String,
    pub check: String,
    pub table: String,
    pub key: String,
    pub expected: String,
    pub actual: String,
    pub status: String,
    pub note: String,
    pub page: String,
    pub table_label: String,
}

/// A row of `findings.csv`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FindingRow {
    pub doc_id: String,
    pub finding: String,
    pub severity: String,
    pub section: String,
    pub page: String,
    pub excerpt: String,
    pub expected: String,
    pub actual: String,
    pub message: String,
}

/// One run's output, as the site needs it.
#[derive(Debug, Default)]
pub struct Run {
    pub documents: Vec<DocumentRow>,
    pub facts: Vec<FactRow>,
    pub checks: Vec<CheckRow>,
    pub findings: Vec<FindingRow>,
}

/// A file of the output folder that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct ReadError {
    pub path: PathBuf,
    pub message: String,
}

fn read_rows<T: for<'de> Deserialize<'de>>(
    path: &Path,
    required: bool,
) -> Result<Vec<T>, ReadError> {
    let error = |message: String| ReadError {
        path: path.to_path_buf(),
        message,
    };
    if !path.exists() {
        return if required {
            Err(error(
                "not found (is this a folder `gongkai extract` wrote?)".into(),
            ))
        } else {
            Ok(Vec::new())
        };
    }
    let mut reader = csv::Reader::from_path(path).map_err(|e| error(e.to_string()))?;
    reader
        .deserialize()
        .enumerate()
        .map(|(i, row)| row.map_err(|e| error(format!("row {}: {e}", i + 2))))
        .collect()
}

impl Run {
    /// The four files of `output`.
    pub fn read(output: &Path) -> Result<Run, ReadError> {
        Ok(Run {
            documents: read_rows(&output.join("documents.csv"), true)?,
            facts: read_rows(&output.join("facts.csv"), true)?,
            checks: read_rows(&output.join("checks.csv"), false)?,
            findings: read_rows(&output.join("findings.csv"), false)?,
        })
    }
}

//! `gongkai reconcile OUT… [-o DIR]`: the stage across reports
//! ([`crate::reconcile`]) over finished output folders, each read as input
//! (finished, held under its lock), its result published as `extract`
//! publishes.

use crate::patterns::Patterns;
use crate::reconcile::{read, reconcile, Summary, FILE, FINDING_PREFIX};
use crate::write::review::{self, REVIEW_FILE};
use crate::write::{CsvOptions, FindingRow};
use std::io;
use std::path::{Path, PathBuf};

/// `gongkai reconcile OUT… [-o DIR]`: compare the reports of finished
/// output folders. Without `-o` (one folder) its `reconciliation.csv`,
/// the cross-report rows of its `findings.csv` (and so its `review.xlsx`)
/// and its `datapackage.json` are replaced, the rest kept; with `-o` the folder written holds
/// `reconciliation.csv`, the cross-report `findings.csv` and a
/// `datapackage.json` describing both.
pub fn reconcile_folders(
    inputs: &[PathBuf],
    output: Option<&Path>,
    patterns: &Patterns,
) -> io::Result<Summary> {
    let in_place = match (output, inputs) {
        (None, [only]) => only.clone(),
        (None, _) => {
            return Err(io::Error::other(
                "several output folders: say where the comparison goes with -o DIR",
            ))
        }
        (Some(dir), _) => dir.to_path_buf(),
    };
    let same = |dir: &Path| same_folder(dir, &in_place);
    if output.is_some() && inputs.iter().any(|d| same(d)) {
        return Err(io::Error::other(format!(
            "{}: is one of the folders compared: write the comparison of several folders into a new folder",
            in_place.display()
        )));
    }
    let mut locks = Vec::new();
    for dir in inputs.iter().filter(|d| !same(d)) {
        locks.push(super::hold_finished(dir)?);
    }
    super::refuse_foreign_folder(&in_place)?;
    let _lock = super::lock::OutputLock::take(&in_place)?;
    let staging = super::publish::Staging::begin(&in_place)?;
    if inputs.iter().any(|d| same(d)) {
        super::require_finished(&in_place)?;
    }
    let batch = read(inputs, patterns)?;
    let reconciliation = reconcile(&batch, &patterns.reconcile);
    let summary = Summary::of(&batch, &reconciliation.rows);
    let staged = staging.dir();
    if output.is_none() {
        let options = crate::write::options_of(&in_place)?;
        crate::write::write_rows(&staged.join(FILE), &reconciliation.rows, options)?;
        let mut findings: Vec<FindingRow> = kept_findings(&in_place)?;
        findings.extend(reconciliation.findings);
        crate::write::write_rows(&staged.join("findings.csv"), &findings, options)?;
        if in_place.join(REVIEW_FILE).is_file() {
            review::rewrite(&in_place.join("documents.csv"), &findings, staged)?;
        }
        let package = std::fs::read_to_string(in_place.join("datapackage.json"))?;
        let package = crate::write::datapackage::with_reconciliation(&package)?;
        std::fs::write(staged.join("datapackage.json"), package)?;
        staging.publish_keeping_the_rest()?;
    } else {
        let options = CsvOptions::default();
        crate::write::write_rows(&staged.join(FILE), &reconciliation.rows, options)?;
        crate::write::write_rows(
            &staged.join("findings.csv"),
            &reconciliation.findings,
            options,
        )?;
        let written = [FILE.to_string(), "findings.csv".to_string()];
        crate::write::datapackage::write(staged, &written, &Default::default(), &[])?;
        staging.publish()?;
    }
    drop(locks);
    Ok(summary)
}

/// The findings of one report each (every row but the cross-report ones
/// an earlier reconciliation added).
fn kept_findings(dir: &Path) -> io::Result<Vec<FindingRow>> {
    let path = dir.join("findings.csv");
    if !path.is_file() {
        return Ok(Vec::new());
    }
    Ok(crate::write::read_rows::<FindingRow>(&path)?
        .into_iter()
        .map(|(_, row)| row)
        .filter(|row| !row.finding.starts_with(FINDING_PREFIX))
        .collect())
}

fn same_folder(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

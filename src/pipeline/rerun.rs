//! `gongkai check OUTPUT_DIR`: re-run the checks on an existing output.
//!
//! Reads `documents.csv` and `facts.csv` back, runs the rules `extract`
//! runs ([`crate::check::rules::ALL`]) with the current patterns, and
//! rewrites `checks.csv` and the `checks_failed` column of
//! `documents.csv`. The rules that need the document's text rather than
//! its facts (those whose input is `Text`: `narrative_comparison`,
//! `empty_table_statement`, `placeholder`, `year_agreement`,
//! `department_agreement`) are carried over from the existing
//! `checks.csv`, in their place: on an unchanged output the rewritten
//! `checks.csv` is the one `extract` wrote, also for an `--excel` output
//! (told by the BOM its files start with: the BOM and the neutralised
//! cells are kept).
//!
//! The two files are written through the staging folder and published as
//! `extract` publishes ([`super::publish`]), the other files kept: a
//! `check` killed midway leaves the output as it was, never a
//! `checks.csv` of one run beside a `documents.csv` of another. A folder
//! without `.gongkai/` (not gongkai's) is refused.

use crate::check::{reads_facts_only, rules, steps, Step};
use crate::model::{CheckName, DocumentRecord, Fact, FoundTable, Status};
use crate::patterns::Patterns;
use crate::write::{bad_data, read_rows, CheckRow, DocumentRow, FactRow};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::str::FromStr;

/// Totals of a re-run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RerunSummary {
    pub documents: usize,
    pub checks: usize,
    pub failed: usize,
    pub documents_with_failures: usize,
}

fn fact_from_row(path: &Path, line: u64, row: FactRow) -> io::Result<Fact> {
    // (the amounts extract writes, at most MAX_INTEGER_DIGITS digits: a
    // figure edited in beyond that is refused, never a panic in a sum)
    let value = match crate::number::parse_amount(&row.value) {
        crate::number::Amount::TooLarge => {
            return Err(bad_data(path, line, "value: too many digits for an amount"))
        }
        _ => Decimal::from_str(&row.value)
            .map_err(|e| bad_data(path, line, format!("value: {e}")))?,
    };
    let ocr = ocr_mark(&row);
    Ok(Fact {
        table: row.table,
        table_label: row.table_label,
        table_no: row.table_no,
        page: row.page,
        row: row.row,
        code: row.code,
        code_kind: row.code_kind,
        line: row.line,
        item: row.item,
        column: row.column,
        column_label: row.column_label,
        value,
        unit: row.unit,
        ocr,
    })
}

/// The OCR columns of a fact row read back.
fn ocr_mark(row: &FactRow) -> Option<crate::model::OcrMark> {
    (row.origin == "ocr").then(|| crate::model::OcrMark {
        confidence: row.ocr_confidence,
        check: crate::model::OcrCheck::parse(&row.ocr_check)
            .unwrap_or(crate::model::OcrCheck::Unconfirmed),
        read_as: Some(row.ocr_read_as.clone()).filter(|r| !r.is_empty()),
    })
}

/// A document as far as `documents.csv` tells it: enough for the rules
/// that read facts (its kind, its tables, its status).
fn record_from_row(row: &DocumentRow) -> DocumentRecord {
    let tables = row
        .tables()
        .map(|key| FoundTable {
            key: key.to_string(),
            label: String::new(),
            number: String::new(),
            page: None,
            unit: None,
            facts: 0,
            year: None,
            department: None,
            notes: Vec::new(),
        })
        .collect();
    DocumentRecord {
        doc_id: row.doc_id.clone(),
        source: row.source.clone(),
        sha256: row.sha256.clone(),
        status: row.status,
        reason: row.reason.clone(),
        format: row.format.clone(),
        pages: row.pages,
        department: row.department.clone(),
        identity: crate::model::Identity {
            department_key: row.department_key.clone(),
            entity_level: row.entity_level,
            scope: row.scope.clone(),
            province: row.province.clone(),
            prefecture: row.prefecture.clone(),
            county: row.county.clone(),
            region_code: row.region_code.clone(),
            admin_level: row.admin_level,
        },
        year: row.year,
        report: row.report,
        tables,
        tables_listed: row
            .tables_listed
            .split(';')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        elapsed_ms: row.elapsed_ms,
        ..DocumentRecord::default()
    }
}

pub fn rerun(dir: &Path, patterns: &Patterns) -> io::Result<RerunSummary> {
    if !dir.join(".gongkai").is_dir() {
        return Err(io::Error::other(format!(
            "{}: not an output folder gongkai wrote (no .gongkai/): nothing to check",
            dir.display()
        )));
    }
    let _lock = super::lock::OutputLock::take(dir)?;
    // a run killed while publishing is finished first
    let staging = super::publish::Staging::begin(dir)?;
    let documents_path = dir.join("documents.csv");
    let facts_path = dir.join("facts.csv");
    let checks_path = dir.join("checks.csv");
    let mut document_rows: Vec<DocumentRow> = read_rows(&documents_path)?
        .into_iter()
        .map(|(_, row)| row)
        .collect();
    let mut records: Vec<DocumentRecord> = document_rows.iter().map(record_from_row).collect();
    let index: BTreeMap<String, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.source.clone(), i))
        .collect();
    for (line, row) in read_rows::<FactRow>(&facts_path)? {
        let Some(&position) = index.get(&row.source) else {
            return Err(bad_data(
                &facts_path,
                line,
                "source not listed in documents.csv",
            ));
        };
        let fact = fact_from_row(&facts_path, line, row)?;
        let record = &mut records[position];
        if let Some(table) = record.tables.iter_mut().find(|t| t.key == fact.table) {
            if table.facts == 0 {
                // the table's printed title and first page, as extract had them
                table.label = fact.table_label.clone();
                table.page = fact.page;
            }
            table.facts += 1;
        }
        record.facts.push(fact);
    }
    let kept: Vec<CheckRow> = if checks_path.is_file() {
        read_rows(&checks_path)?
            .into_iter()
            .map(|(_, row)| row)
            .collect()
    } else {
        Vec::new()
    };
    // the earlier rows of each document, found once (not a scan of the
    // whole file per document)
    let mut kept_by_source: BTreeMap<&str, Vec<&CheckRow>> = BTreeMap::new();
    for row in &kept {
        kept_by_source.entry(&row.source).or_default().push(row);
    }
    let mut summary = RerunSummary::default();
    let mut check_rows = Vec::new();
    for (record, document) in records.iter_mut().zip(&mut document_rows) {
        let kept_rows = kept_by_source
            .get(record.source.as_str())
            .map_or(&[][..], Vec::as_slice);
        place_tables(record, kept_rows);
        // as extract: no checks on a file unread (failed) or tableless
        if matches!(record.status, Status::Skipped | Status::Failed) {
            continue;
        }
        let rows = checks_in_order(record, patterns, kept_rows);
        let failed = rows
            .iter()
            .filter(|row| row.status == crate::model::CheckStatus::Fail)
            .count();
        summary.checks += rows.len();
        summary.failed += failed;
        summary.documents_with_failures += usize::from(failed > 0);
        document.checks_failed = failed;
        check_rows.extend(rows);
    }
    summary.documents = records.len();
    // written as the output was: with --excel, BOM and neutralised cells
    let options = crate::write::options_of(dir)?;
    let staged = staging.dir();
    crate::write::write_rows(&staged.join("checks.csv"), &check_rows, options)?;
    crate::write::write_rows(&staged.join("documents.csv"), &document_rows, options)?;
    // both files replace the output's at once, never one without the other
    staging.publish_keeping_the_rest()?;
    Ok(summary)
}

/// A document's rows of `checks.csv`: the rules that read facts evaluated
/// again, and where a run of rules that read the text stands, the rows of
/// those rules kept from the earlier run, in their earlier order.
fn checks_in_order(
    record: &DocumentRecord,
    patterns: &Patterns,
    kept: &[&CheckRow],
) -> Vec<CheckRow> {
    let mut rows = Vec::new();
    let mut not_run: Vec<CheckName> = Vec::new();
    let carry = |not_run: &mut Vec<CheckName>, rows: &mut Vec<CheckRow>| {
        let names: Vec<CheckName> = not_run
            .drain(..)
            .flat_map(|name| rules::ALL.iter().filter(move |r| r.name == name))
            .flat_map(|rule| rule.names())
            .collect();
        rows.extend(
            kept.iter()
                .filter(|row| names.contains(&row.check))
                .map(|row| (*row).clone()),
        );
    };
    for step in steps(record, patterns, reads_facts_only) {
        match step {
            Step::NotRun(name) => not_run.push(name),
            Step::Checked(check) => {
                carry(&mut not_run, &mut rows);
                rows.push(CheckRow::of(record, &check));
            }
        }
    }
    carry(&mut not_run, &mut rows);
    rows
}

/// Where each table found stands: its printed title and page as the
/// earlier run's `table_present` row gave them (the page of its title,
/// which its first figure may not be on), else its first figure's.
fn place_tables(record: &mut DocumentRecord, kept: &[&CheckRow]) {
    for table in record.tables.iter_mut() {
        let placed = kept
            .iter()
            .find(|row| row.check == CheckName::TablePresent && row.table == table.key);
        if let Some(row) = placed {
            table.label = row.table_label.clone();
            table.page = row.page;
        }
    }
}

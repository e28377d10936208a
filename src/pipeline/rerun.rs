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
//! `checks.csv` is the one `extract` wrote.

use crate::check::{reads_facts_only, rules, steps, Step};
use crate::model::{
    CheckName, CodeKind, DocumentRecord, Fact, FoundTable, ReportKind, Status, Unit,
};
use crate::patterns::Patterns;
use crate::write::{check_fields, document_fields, CHECK_COLUMNS, DOCUMENT_COLUMNS};
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

fn bad_data(path: &Path, line: u64, message: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{}: row {line}: {message}", path.display()),
    )
}

type Rows = (Vec<String>, Vec<(u64, BTreeMap<String, String>)>);

fn read_rows(path: &Path) -> io::Result<Rows> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| bad_data(path, 1, e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{FEFF}').to_string())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| bad_data(path, 0, e))?;
        let line = record.position().map_or(0, |p| p.line());
        rows.push((
            line,
            header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_string))
                .collect(),
        ));
    }
    Ok((header, rows))
}

fn field<'a>(row: &'a BTreeMap<String, String>, name: &str) -> &'a str {
    row.get(name).map_or("", String::as_str)
}

fn fact_from_row(path: &Path, line: u64, row: &BTreeMap<String, String>) -> io::Result<Fact> {
    let value = Decimal::from_str(field(row, "value"))
        .map_err(|e| bad_data(path, line, format!("value: {e}")))?;
    let number = |name: &str| field(row, name).parse().ok();
    Ok(Fact {
        table: field(row, "table").to_string(),
        table_label: field(row, "table_label").to_string(),
        table_no: field(row, "table_no").to_string(),
        page: number("page"),
        row: number("row").unwrap_or(0),
        code: field(row, "code").to_string(),
        code_kind: match field(row, "code_kind") {
            "function" => Some(CodeKind::Function),
            "economic" => Some(CodeKind::Economic),
            _ => None,
        },
        line: field(row, "line").to_string(),
        item: field(row, "item").to_string(),
        column: field(row, "column").to_string(),
        column_label: field(row, "column_label").to_string(),
        value,
        unit: Unit::parse(field(row, "unit")),
    })
}

fn record_from_row(row: &BTreeMap<String, String>) -> DocumentRecord {
    let tables = field(row, "tables_found")
        .split(';')
        .filter(|k| !k.is_empty())
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
        doc_id: field(row, "doc_id").to_string(),
        source: field(row, "source").to_string(),
        sha256: field(row, "sha256").to_string(),
        status: match field(row, "status") {
            "partial" => Status::Partial,
            "failed" => Status::Failed,
            "skipped" => Status::Skipped,
            _ => Status::Ok,
        },
        reason: field(row, "reason").to_string(),
        format: field(row, "format").to_string(),
        pages: field(row, "pages").parse().ok(),
        department: field(row, "department").to_string(),
        year: field(row, "year").parse().ok(),
        report: match field(row, "report") {
            "final" => Some(ReportKind::Final),
            "budget" => Some(ReportKind::Budget),
            _ => None,
        },
        tables,
        elapsed_ms: field(row, "elapsed_ms").parse().unwrap_or(0),
        ..DocumentRecord::default()
    }
}

fn write_csv(path: &Path, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let temporary = path.with_extension("csv.partial");
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_path(&temporary)
            .map_err(io::Error::other)?;
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
    }
    std::fs::rename(&temporary, path)
}

pub fn rerun(dir: &Path, patterns: &Patterns) -> io::Result<RerunSummary> {
    let documents_path = dir.join("documents.csv");
    let facts_path = dir.join("facts.csv");
    let checks_path = dir.join("checks.csv");
    let (_, document_rows) = read_rows(&documents_path)?;
    let mut records: Vec<DocumentRecord> = document_rows
        .iter()
        .map(|(_, row)| record_from_row(row))
        .collect();
    let index: BTreeMap<String, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.source.clone(), i))
        .collect();
    for (line, row) in read_rows(&facts_path)?.1 {
        let fact = fact_from_row(&facts_path, line, &row)?;
        let Some(&position) = index.get(field(&row, "source")) else {
            return Err(bad_data(
                &facts_path,
                line,
                "source not listed in documents.csv",
            ));
        };
        let record = &mut records[position];
        if let Some(table) = record.tables.iter_mut().find(|t| t.key == fact.table) {
            table.facts += 1;
        }
        record.facts.push(fact);
    }
    let kept: Vec<(u64, BTreeMap<String, String>)> = if checks_path.is_file() {
        read_rows(&checks_path)?.1
    } else {
        Vec::new()
    };
    let mut summary = RerunSummary::default();
    let mut check_rows = Vec::new();
    for record in &mut records {
        if record.status == Status::Skipped {
            continue;
        }
        let kept_rows: Vec<&BTreeMap<String, String>> = kept
            .iter()
            .map(|(_, row)| row)
            .filter(|row| field(row, "source") == record.source)
            .collect();
        let rows = checks_in_order(record, patterns, &kept_rows);
        let failed = rows
            .iter()
            .filter(|row| row[status_column()] == "fail")
            .count();
        summary.checks += rows.len();
        summary.failed += failed;
        summary.documents_with_failures += usize::from(failed > 0);
        record.checks_failed = failed;
        check_rows.extend(rows);
    }
    summary.documents = records.len();
    write_csv(&checks_path, CHECK_COLUMNS, &check_rows)?;
    let document_rows: Vec<Vec<String>> = records.iter().map(document_fields).collect();
    write_csv(&documents_path, DOCUMENT_COLUMNS, &document_rows)?;
    Ok(summary)
}

fn status_column() -> usize {
    CHECK_COLUMNS
        .iter()
        .position(|c| *c == "status")
        .expect("checks.csv has a status column")
}

/// A document's rows of `checks.csv`: the rules that read facts evaluated
/// again, and where a run of rules that read the text stands, the rows of
/// those rules kept from the earlier run, in their earlier order.
fn checks_in_order(
    record: &DocumentRecord,
    patterns: &Patterns,
    kept: &[&BTreeMap<String, String>],
) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut not_run: Vec<CheckName> = Vec::new();
    let carry = |not_run: &mut Vec<CheckName>, rows: &mut Vec<Vec<String>>| {
        let names: Vec<CheckName> = not_run
            .drain(..)
            .flat_map(|name| rules::ALL.iter().filter(move |r| r.name == name))
            .flat_map(rules::names_of)
            .collect();
        for row in kept.iter().filter(|row| {
            CheckName::parse(field(row, "check")).is_some_and(|name| names.contains(&name))
        }) {
            rows.push(
                CHECK_COLUMNS
                    .iter()
                    .map(|c| field(row, c).to_string())
                    .collect(),
            );
        }
    };
    for step in steps(record, patterns, reads_facts_only) {
        match step {
            Step::NotRun(name) => not_run.push(name),
            Step::Checked(check) => {
                carry(&mut not_run, &mut rows);
                rows.push(check_fields(record, &check));
            }
        }
    }
    carry(&mut not_run, &mut rows);
    rows
}

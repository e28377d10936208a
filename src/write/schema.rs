//! The rows of the output files, typed. Each struct is one file's row: its
//! fields, in order, are the file's columns ([`OutputRow::header`]); its
//! values as written are [`OutputRow::fields`]; and a written row reads
//! back into it by column name ([`OutputRow::read`]). Headers, CSV,
//! Parquet, the run cache and `gongkai check`'s read-back are all made
//! from these structs, so a column cannot be added to one and forgotten in
//! another. Amounts are kept as the exact text written (`value`,
//! `value_yuan`, a check's figures): they are never floats.

use super::fields::{field_names, from_fields, to_fields};
use crate::model::{
    AdminLevel, Check, CheckName, CheckStatus, CodeKind, DocumentRecord, EntityLevel, Fact,
    Finding, Indicator, IndicatorField, IndicatorTable, Issue, ReportKind, Severity, Status, Unit,
};
use crate::number::format_decimal;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::Path;

/// A row of one output file.
pub trait OutputRow: Serialize + DeserializeOwned {
    /// The output's name (`facts` is `facts.csv` and `facts.parquet`).
    const OUTPUT: &'static str;
    /// Columns that hold numbers (never formula-guarded for spreadsheets).
    const NUMERIC: &'static [&'static str];

    /// The file's columns.
    fn header() -> &'static [&'static str] {
        field_names::<Self>()
    }

    /// The row's values as written.
    fn fields(&self) -> Vec<String> {
        to_fields(self)
    }

    /// A written row back, its fields matched to `header` by name.
    fn read(header: &csv::StringRecord, fields: &csv::StringRecord) -> Result<Self, csv::Error> {
        from_fields(header, fields)
    }
}

/// A row as written (its fields in the output's column order) read back.
pub fn read_written<R: OutputRow>(fields: &[String]) -> Result<R, csv::Error> {
    let header = csv::StringRecord::from(R::header().to_vec());
    R::read(&header, &csv::StringRecord::from(fields.to_vec()))
}

/// An output file's row that cannot be read back, as an error naming the
/// file and the row.
pub fn bad_data(path: &Path, line: u64, message: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{}: row {line}: {message}", path.display()),
    )
}

/// Every row of an output file, typed, with its line number; columns are
/// matched by name (a byte-order mark before the first is ignored).
pub fn read_rows<R: OutputRow>(path: &Path) -> io::Result<Vec<(u64, R)>> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
    let header: csv::StringRecord = reader
        .headers()
        .map_err(|e| bad_data(path, 1, e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{FEFF}'))
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| bad_data(path, 0, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let row = R::read(&header, &record).map_err(|e| bad_data(path, line, e))?;
        rows.push((line, row));
    }
    Ok(rows)
}

/// Each row of an output file, typed, handed to `each` as it is read
/// (memory: one row at a time); columns matched by name as [`read_rows`].
pub fn for_each_row<R: OutputRow>(
    path: &Path,
    mut each: impl FnMut(u64, R) -> io::Result<()>,
) -> io::Result<()> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
    let header: csv::StringRecord = reader
        .headers()
        .map_err(|e| bad_data(path, 1, e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{FEFF}'))
        .collect();
    let mut record = csv::StringRecord::new();
    while reader
        .read_record(&mut record)
        .map_err(|e| bad_data(path, 0, e))?
    {
        let line = record.position().map_or(0, |p| p.line());
        let row = R::read(&header, &record).map_err(|e| bad_data(path, line, e))?;
        each(line, row)?;
    }
    Ok(())
}

fn decimal(value: Option<Decimal>) -> String {
    value.as_ref().map(format_decimal).unwrap_or_default()
}

/// A row of `facts.csv`: one figure of one table (or of the text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactRow {
    pub doc_id: String,
    pub source: String,
    pub department: String,
    pub department_key: String,
    pub entity_level: Option<EntityLevel>,
    pub region_code: String,
    pub year: Option<u16>,
    pub report: Option<ReportKind>,
    pub table: String,
    pub table_label: String,
    pub table_no: String,
    pub page: Option<u32>,
    pub row: u32,
    pub code: String,
    pub code_kind: Option<CodeKind>,
    pub line: String,
    pub item: String,
    pub column: String,
    pub column_label: String,
    /// The amount exactly as printed (scale kept: `328.20`).
    pub value: String,
    pub unit: Option<Unit>,
    pub value_yuan: String,
    /// The `doc_id` of the first input that is the same report (set when
    /// the batch is written: see `pipeline::duplicates`).
    #[serde(default)]
    pub duplicate_of: String,
    /// `text` (a text layer, a sheet, a text file) or `ocr` (a scanned
    /// page): the columns after it are for `ocr` only.
    #[serde(default)]
    pub origin: String,
    /// The recogniser's confidence in the cell, 0–100.
    #[serde(default)]
    pub ocr_confidence: Option<u8>,
    /// `confirmed`, `corrected`, `contradicted` or `unconfirmed`
    /// ([`crate::model::OcrCheck`]).
    #[serde(default)]
    pub ocr_check: String,
    /// The recogniser's first reading, where an identity chose its other.
    #[serde(default)]
    pub ocr_read_as: String,
}

impl OutputRow for FactRow {
    const OUTPUT: &'static str = "facts";
    const NUMERIC: &'static [&'static str] = &[
        "year",
        "page",
        "row",
        "value",
        "value_yuan",
        "ocr_confidence",
    ];
}

impl FactRow {
    pub fn of(record: &DocumentRecord, fact: &Fact) -> FactRow {
        FactRow {
            doc_id: record.doc_id.clone(),
            source: record.source.clone(),
            department: record.department.clone(),
            department_key: record.identity.department_key.clone(),
            entity_level: record.identity.entity_level,
            region_code: record.identity.region_code.clone(),
            year: record.year,
            report: record.report,
            table: fact.table.clone(),
            table_label: fact.table_label.clone(),
            table_no: fact.table_no.clone(),
            page: fact.page,
            row: fact.row,
            code: fact.code.clone(),
            code_kind: fact.code_kind,
            line: fact.line.clone(),
            item: fact.item.clone(),
            column: fact.column.clone(),
            column_label: fact.column_label.clone(),
            value: format_decimal(&fact.value),
            unit: fact.unit,
            value_yuan: decimal(fact.value_yuan()),
            duplicate_of: String::new(),
            origin: if fact.ocr.is_some() { "ocr" } else { "text" }.to_string(),
            ocr_confidence: fact.ocr.as_ref().and_then(|o| o.confidence),
            ocr_check: fact
                .ocr
                .as_ref()
                .map(|o| o.check.as_str().to_string())
                .unwrap_or_default(),
            ocr_read_as: fact
                .ocr
                .as_ref()
                .and_then(|o| o.read_as.clone())
                .unwrap_or_default(),
        }
    }
}

/// A row of `documents.csv`: one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub doc_id: String,
    pub source: String,
    pub status: Status,
    pub reason: String,
    pub format: String,
    pub pages: Option<u32>,
    pub department: String,
    #[serde(default)]
    pub department_key: String,
    #[serde(default)]
    pub entity_level: Option<EntityLevel>,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub prefecture: String,
    #[serde(default)]
    pub county: String,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub admin_level: Option<AdminLevel>,
    pub year: Option<u16>,
    pub report: Option<ReportKind>,
    /// The keys of the tables found, in document order, joined by `;`.
    pub tables_found: String,
    /// Of the tables found, those of a known kind and those kept under
    /// `other` (a title no pattern names).
    #[serde(default)]
    pub tables_recognised: usize,
    #[serde(default)]
    pub tables_unrecognised: usize,
    /// The keys of the tables the report's table of contents lists,
    /// joined by `;` (empty: no contents found).
    #[serde(default)]
    pub tables_listed: String,
    pub facts: usize,
    pub checks_failed: usize,
    /// The `doc_id` of the first input (in input order) that is the same
    /// report: same body, year, kind and level, equal figures.
    #[serde(default)]
    pub duplicate_of: String,
    /// The report's sections in order, joined by `;` (the review's).
    #[serde(default)]
    pub sections: String,
    /// The pages read by OCR (scans), joined by `;`.
    #[serde(default)]
    pub ocr_pages: String,
    pub sha256: String,
    pub elapsed_ms: u128,
}

impl OutputRow for DocumentRow {
    const OUTPUT: &'static str = "documents";
    const NUMERIC: &'static [&'static str] = &[
        "pages",
        "year",
        "tables_recognised",
        "tables_unrecognised",
        "facts",
        "checks_failed",
        "elapsed_ms",
    ];
}

impl DocumentRow {
    pub fn of(record: &DocumentRecord) -> DocumentRow {
        let tables: Vec<&str> = record.tables.iter().map(|t| t.key.as_str()).collect();
        DocumentRow {
            doc_id: record.doc_id.clone(),
            source: record.source.clone(),
            status: record.status,
            reason: record.reason.clone(),
            format: record.format.clone(),
            pages: record.pages,
            department: record.department.clone(),
            department_key: record.identity.department_key.clone(),
            entity_level: record.identity.entity_level,
            scope: record.identity.scope.clone(),
            province: record.identity.province.clone(),
            prefecture: record.identity.prefecture.clone(),
            county: record.identity.county.clone(),
            region_code: record.identity.region_code.clone(),
            admin_level: record.identity.admin_level,
            year: record.year,
            report: record.report,
            tables_found: tables.join(";"),
            tables_recognised: tables
                .iter()
                .filter(|t| **t != crate::detect::OTHER_TABLE)
                .count(),
            tables_unrecognised: tables
                .iter()
                .filter(|t| **t == crate::detect::OTHER_TABLE)
                .count(),
            tables_listed: record.tables_listed.join(";"),
            facts: record.facts.len(),
            checks_failed: record.checks_failed,
            duplicate_of: String::new(),
            sections: record.sections.join(";"),
            ocr_pages: record
                .ocr_pages
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(";"),
            sha256: record.sha256.clone(),
            elapsed_ms: record.elapsed_ms,
        }
    }

    /// The keys of the tables found.
    pub fn tables(&self) -> impl Iterator<Item = &str> {
        self.tables_found.split(';').filter(|t| !t.is_empty())
    }
}

/// A row of `checks.csv`: one identity evaluated on one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckRow {
    pub doc_id: String,
    pub source: String,
    #[serde(default)]
    pub department_key: String,
    #[serde(default)]
    pub entity_level: Option<EntityLevel>,
    #[serde(default)]
    pub region_code: String,
    pub check: CheckName,
    pub table: String,
    pub key: String,
    pub expected: String,
    pub actual: String,
    pub diff: String,
    pub tolerance: String,
    pub status: CheckStatus,
    pub note: String,
    pub unit: Option<Unit>,
    /// The page of the row or figure checked (empty for text).
    pub page: Option<u32>,
    /// The printed title of the checked figure's table.
    pub table_label: String,
}

impl OutputRow for CheckRow {
    const OUTPUT: &'static str = "checks";
    const NUMERIC: &'static [&'static str] = &["expected", "actual", "diff", "tolerance", "page"];
}

impl CheckRow {
    pub fn of(record: &DocumentRecord, check: &Check) -> CheckRow {
        CheckRow {
            doc_id: record.doc_id.clone(),
            source: record.source.clone(),
            department_key: record.identity.department_key.clone(),
            entity_level: record.identity.entity_level,
            region_code: record.identity.region_code.clone(),
            check: check.check,
            table: check.table.clone(),
            key: check.key.clone(),
            expected: decimal(check.expected),
            actual: decimal(check.actual),
            diff: decimal(check.diff),
            tolerance: decimal(check.tolerance),
            status: check.status,
            note: check.note.clone(),
            unit: check.unit,
            page: check.page,
            table_label: check.table_label.clone(),
        }
    }
}

/// A row of `findings.csv`: one problem a reviewer would write down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRow {
    pub doc_id: String,
    pub source: String,
    pub finding: String,
    pub severity: Severity,
    pub section: String,
    pub page: Option<u32>,
    pub excerpt: String,
    pub expected: String,
    pub actual: String,
    pub message: String,
}

impl OutputRow for FindingRow {
    const OUTPUT: &'static str = "findings";
    const NUMERIC: &'static [&'static str] = &["page"];
}

impl FindingRow {
    pub fn of(record: &DocumentRecord, finding: &Finding) -> FindingRow {
        FindingRow {
            doc_id: record.doc_id.clone(),
            source: record.source.clone(),
            finding: finding.finding.clone(),
            severity: finding.severity,
            section: finding.section.clone(),
            page: finding.page,
            excerpt: finding.excerpt.clone(),
            expected: finding.expected.clone(),
            actual: finding.actual.clone(),
            message: finding.message.clone(),
        }
    }
}

/// A row of `issues.csv`: one anomaly met while reading a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueRow {
    pub doc_id: String,
    pub source: String,
    pub severity: Severity,
    pub stage: String,
    pub page: Option<u32>,
    pub table: String,
    pub row: Option<u32>,
    pub message: String,
}

impl OutputRow for IssueRow {
    const OUTPUT: &'static str = "issues";
    const NUMERIC: &'static [&'static str] = &["page", "row"];
}

impl IssueRow {
    pub fn of(record: &DocumentRecord, issue: &Issue) -> IssueRow {
        IssueRow {
            doc_id: record.doc_id.clone(),
            source: record.source.clone(),
            severity: issue.severity,
            stage: issue.stage.to_string(),
            page: issue.page,
            table: issue.table.clone(),
            row: issue.row,
            message: issue.message.clone(),
        }
    }
}

/// A row of `indicators.csv`: one indicator of a performance table, its
/// merged level cells carried down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub doc_id: String,
    pub source: String,
    pub table: String,
    pub instance: u32,
    pub project: String,
    pub page: Option<u32>,
    pub row: u32,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub operator: String,
    pub value: String,
    /// `value` as an exact number, when it is one.
    pub value_number: String,
    pub measure_unit: String,
    pub deadline: String,
    pub completed: String,
    pub completion: String,
    pub weight: String,
    pub score: String,
    pub reason_funding: String,
    pub reason_system: String,
    pub reason_staff: String,
    pub reason_hardware: String,
    pub reason_other: String,
    pub reason: String,
    pub improvement: String,
}

impl OutputRow for IndicatorRow {
    const OUTPUT: &'static str = "indicators";
    const NUMERIC: &'static [&'static str] = &["instance", "page", "row", "value_number"];
}

impl IndicatorRow {
    pub fn of(record: &DocumentRecord, table: &IndicatorTable, indicator: &Indicator) -> Self {
        let text = |key: &str| indicator.get(key).to_string();
        IndicatorRow {
            doc_id: record.doc_id.clone(),
            source: record.source.clone(),
            table: table.kind.clone(),
            instance: table.instance,
            project: table.subject().to_string(),
            page: indicator.page,
            row: indicator.row,
            level1: text("level1"),
            level2: text("level2"),
            level3: text("level3"),
            operator: text("operator"),
            value: text("value"),
            value_number: decimal(crate::number::parse_value(indicator.get("value"))),
            measure_unit: text("measure_unit"),
            deadline: text("deadline"),
            completed: text("completed"),
            completion: text("completion"),
            weight: text("weight"),
            score: text("score"),
            reason_funding: text("reason_funding"),
            reason_system: text("reason_system"),
            reason_staff: text("reason_staff"),
            reason_hardware: text("reason_hardware"),
            reason_other: text("reason_other"),
            reason: text("reason"),
            improvement: text("improvement"),
        }
    }
}

/// A row of `indicator_fields.csv`: one header fact of a performance table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorFieldRow {
    pub doc_id: String,
    pub source: String,
    pub table: String,
    pub instance: u32,
    pub project: String,
    pub page: Option<u32>,
    pub field: String,
    pub item: String,
    pub value: String,
    pub value_number: String,
}

impl OutputRow for IndicatorFieldRow {
    const OUTPUT: &'static str = "indicator_fields";
    const NUMERIC: &'static [&'static str] = &["instance", "page", "row", "value_number"];
}

impl IndicatorFieldRow {
    pub fn of(record: &DocumentRecord, table: &IndicatorTable, field: &IndicatorField) -> Self {
        IndicatorFieldRow {
            doc_id: record.doc_id.clone(),
            source: record.source.clone(),
            table: table.kind.clone(),
            instance: table.instance,
            project: table.subject().to_string(),
            page: table.page,
            field: field.field.clone(),
            item: field.item.clone(),
            value: field.value.clone(),
            value_number: decimal(crate::number::parse_value(&field.value)),
        }
    }
}

/// The columns a row of a wide table (`tables/<key>.csv`) starts with; the
/// table's column keys follow, each holding that column's amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidePrefix {
    pub doc_id: String,
    pub source: String,
    pub department: String,
    pub department_key: String,
    pub entity_level: Option<EntityLevel>,
    pub region_code: String,
    pub year: Option<u16>,
    pub report: Option<ReportKind>,
    pub table_label: String,
    pub table_no: String,
    pub page: Option<u32>,
    pub row: u32,
    pub code: String,
    pub code_kind: Option<CodeKind>,
    pub line: String,
    pub item: String,
    /// The unit of the row's amounts (万元, 元 …): rows of many reports
    /// share the file.
    pub unit: Option<Unit>,
}

impl WidePrefix {
    /// Numeric columns of the prefix.
    pub const NUMERIC: &'static [&'static str] = &["year", "page", "row"];

    pub fn header() -> &'static [&'static str] {
        field_names::<Self>()
    }

    /// The prefix of the wide row a printed row's first fact gives.
    pub fn of(record: &DocumentRecord, first: &Fact) -> WidePrefix {
        WidePrefix {
            doc_id: record.doc_id.clone(),
            source: record.source.clone(),
            department: record.department.clone(),
            department_key: record.identity.department_key.clone(),
            entity_level: record.identity.entity_level,
            region_code: record.identity.region_code.clone(),
            year: record.year,
            report: record.report,
            table_label: first.table_label.clone(),
            table_no: first.table_no.clone(),
            page: first.page,
            row: first.row,
            code: first.code.clone(),
            code_kind: first.code_kind,
            line: first.line.clone(),
            item: first.item.clone(),
            unit: first.unit,
        }
    }

    pub fn fields(&self) -> Vec<String> {
        to_fields(self)
    }
}

/// A row of `reconciliation.csv`: one figure of one report compared with
/// the figure another report (or the sum of several) prints for it
/// ([`crate::reconcile`]). `expected` is the reference report's figure,
/// `actual` the other's; `diff` is `actual - expected`; the `actual_*`
/// columns of a sum over units list each unit, joined by `;`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconciliationRow {
    /// The rule's name in `reconcile.toml`.
    pub comparison: String,
    /// `units`, `budget_final` or `previous_year`.
    pub relation: String,
    /// `agrees`, `differs` or `missing_counterpart`.
    pub status: String,
    pub code: String,
    pub line: String,
    pub item: String,
    pub expected: String,
    pub actual: String,
    pub diff: String,
    pub tolerance: String,
    pub unit: Option<Unit>,
    pub expected_doc_id: String,
    pub expected_source: String,
    pub expected_department_key: String,
    pub expected_entity_level: Option<EntityLevel>,
    pub expected_year: Option<u16>,
    pub expected_report: Option<ReportKind>,
    pub expected_table: String,
    pub expected_column: String,
    pub expected_page: String,
    pub actual_doc_id: String,
    pub actual_source: String,
    pub actual_department_key: String,
    pub actual_entity_level: Option<EntityLevel>,
    pub actual_year: Option<u16>,
    pub actual_report: Option<ReportKind>,
    pub actual_table: String,
    pub actual_column: String,
    pub actual_page: String,
    pub note: String,
}

impl OutputRow for ReconciliationRow {
    const OUTPUT: &'static str = "reconciliation";
    const NUMERIC: &'static [&'static str] = &[
        "expected",
        "actual",
        "diff",
        "tolerance",
        "expected_year",
        "actual_year",
    ];
}

//! A document's output rows, rendered once and kept.
//!
//! [`render`] turns a [`DocumentRecord`] into the rows it contributes to
//! each output file (`facts`, `documents`, `issues`, `checks`, `findings`, `indicators`,
//! `indicator_fields`, `tables/<key>`), as plain CSV fields. Every sink
//! writes from these rows, so the CSV and Parquet files always agree, and
//! the same rows are what the run cache keeps per document
//! ([`crate::pipeline::cache`]): a document whose content, gongkai version
//! and patterns are unchanged is not processed again, its rows are read
//! back.

use super::schema::{
    CheckRow, DocumentRow, FactRow, FindingRow, IndicatorFieldRow, IndicatorRow, IssueRow,
    OutputRow, WidePrefix,
};
use crate::model::{DocumentRecord, Fact};
use crate::number::format_decimal;
use std::collections::BTreeMap;

/// The output files a document writes to, by name.
pub const FACTS: &str = FactRow::OUTPUT;
pub const DOCUMENTS: &str = DocumentRow::OUTPUT;
pub const ISSUES: &str = IssueRow::OUTPUT;
pub const CHECKS: &str = CheckRow::OUTPUT;
pub const FINDINGS: &str = FindingRow::OUTPUT;
pub const INDICATORS: &str = IndicatorRow::OUTPUT;
pub const INDICATOR_FIELDS: &str = IndicatorFieldRow::OUTPUT;
/// Wide tables are `tables/<key>`.
pub const TABLE_PREFIX: &str = "tables/";

/// Column keys of each pattern table, in pattern order: the wide view.
pub type TableColumns = BTreeMap<String, Vec<String>>;

/// Every row one document contributes to the output, in writing order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocumentRows {
    pub source: String,
    /// `(output name, fields)`.
    pub rows: Vec<(String, Vec<String>)>,
}

impl DocumentRows {
    /// The rows of one output, in order.
    pub fn of<'a>(&'a self, output: &'a str) -> impl Iterator<Item = &'a Vec<String>> + 'a {
        self.rows
            .iter()
            .filter(move |(name, _)| name == output)
            .map(|(_, fields)| fields)
    }

    /// The document's row of `documents.csv`.
    pub fn document(&self) -> Option<&Vec<String>> {
        self.of(DOCUMENTS).next()
    }

    /// The document's row of `documents.csv`, typed (`None` when it is
    /// missing or does not read as one).
    pub fn document_row(&self) -> Option<DocumentRow> {
        let header = csv::StringRecord::from(DocumentRow::header().to_vec());
        let fields = csv::StringRecord::from(self.document()?.clone());
        DocumentRow::read(&header, &fields).ok()
    }
}

/// Render a record into its rows.
pub fn render(record: &DocumentRecord, tables: &TableColumns) -> DocumentRows {
    let mut rows = Vec::new();
    let mut push = |name: &str, fields: Vec<String>| rows.push((name.to_string(), fields));
    push(DOCUMENTS, DocumentRow::of(record).fields());
    for fact in &record.facts {
        push(FACTS, FactRow::of(record, fact).fields());
    }
    for issue in &record.issues {
        push(ISSUES, IssueRow::of(record, issue).fields());
    }
    for check in &record.checks {
        push(CHECKS, CheckRow::of(record, check).fields());
    }
    for finding in &record.findings {
        push(FINDINGS, FindingRow::of(record, finding).fields());
    }
    for table in &record.indicator_tables {
        for indicator in &table.indicators {
            push(
                INDICATORS,
                IndicatorRow::of(record, table, indicator).fields(),
            );
        }
        for field in &table.fields {
            push(
                INDICATOR_FIELDS,
                IndicatorFieldRow::of(record, table, field).fields(),
            );
        }
    }
    for (table, fields) in wide_rows(record, tables) {
        push(&format!("{TABLE_PREFIX}{table}"), fields);
    }
    DocumentRows {
        source: record.source.clone(),
        rows,
    }
}

/// One wide row per printed row of a pattern table (facts of one printed
/// row are consecutive). Narrative figures have no wide view.
fn wide_rows(record: &DocumentRecord, tables: &TableColumns) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < record.facts.len() {
        let first = &record.facts[start];
        let end = start
            + record.facts[start..]
                .iter()
                .take_while(|f| same_printed_row(f, first))
                .count();
        if let Some(columns) = tables.get(&first.table) {
            let mut fields = WidePrefix::of(record, first).fields();
            for column in columns {
                let value = record.facts[start..end]
                    .iter()
                    .find(|f| &f.column == column);
                fields.push(value.map(|f| format_decimal(&f.value)).unwrap_or_default());
            }
            out.push((first.table.clone(), fields));
        }
        start = end;
    }
    out
}

fn same_printed_row(a: &Fact, b: &Fact) -> bool {
    a.table == b.table
        && a.row == b.row
        && a.page == b.page
        && a.code == b.code
        && a.line == b.line
        && a.item == b.item
}

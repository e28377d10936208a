//! A document's output rows, rendered once and kept.
//!
//! [`render`] turns a [`DocumentRecord`] into the rows it contributes to
//! each output file (`facts`, `documents`, `issues`, `checks`, `indicators`,
//! `indicator_fields`, `tables/<key>`), as plain CSV fields. Every sink
//! writes from these rows, so the CSV and Parquet files always agree, and
//! the same rows are what the run cache keeps per document
//! ([`crate::pipeline::cache`]): a document whose content, gongkai version
//! and patterns are unchanged is not processed again, its rows are read
//! back.

use super::{check_fields, document_fields, document_identity, fact_fields, indicator_fields, opt};
use crate::model::{DocumentRecord, Fact, Severity};
use crate::number::format_decimal;
use std::collections::BTreeMap;

/// The output files a document writes to, by name.
pub const FACTS: &str = "facts";
pub const DOCUMENTS: &str = "documents";
pub const ISSUES: &str = "issues";
pub const CHECKS: &str = "checks";
pub const INDICATORS: &str = "indicators";
pub const INDICATOR_FIELDS: &str = "indicator_fields";
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
}

/// Render a record into its rows.
pub fn render(record: &DocumentRecord, tables: &TableColumns) -> DocumentRows {
    let mut rows = Vec::new();
    let mut push = |name: &str, fields: Vec<String>| rows.push((name.to_string(), fields));
    push(DOCUMENTS, document_fields(record));
    for fact in &record.facts {
        push(FACTS, fact_fields(record, fact));
    }
    for issue in &record.issues {
        push(
            ISSUES,
            vec![
                record.doc_id.clone(),
                record.source.clone(),
                match issue.severity {
                    Severity::Error => "error".to_string(),
                    Severity::Warning => "warning".to_string(),
                },
                issue.stage.to_string(),
                opt(issue.page),
                issue.table.clone(),
                opt(issue.row),
                issue.message.clone(),
            ],
        );
    }
    for check in &record.checks {
        push(CHECKS, check_fields(record, check));
    }
    for table in &record.indicator_tables {
        for indicator in &table.indicators {
            push(INDICATORS, indicator_fields(record, table, indicator));
        }
        for field in &table.fields {
            let number = crate::number::parse_value(&field.value)
                .map(|v| format_decimal(&v))
                .unwrap_or_default();
            push(
                INDICATOR_FIELDS,
                vec![
                    record.doc_id.clone(),
                    record.source.clone(),
                    table.kind.clone(),
                    table.instance.to_string(),
                    table.subject().to_string(),
                    opt(table.page),
                    field.field.clone(),
                    field.item.clone(),
                    field.value.clone(),
                    number,
                ],
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
            let mut fields = document_identity(record);
            fields.extend([
                first.table_label.clone(),
                first.table_no.clone(),
                opt(first.page),
                first.row.to_string(),
                first.code.clone(),
                first
                    .code_kind
                    .map(|k| k.as_str().to_string())
                    .unwrap_or_default(),
                first.line.clone(),
                first.item.clone(),
            ]);
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

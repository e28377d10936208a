//! `datapackage.json`: a Frictionless Data Package describing every file of
//! the output folder and every column, so that a reader of the dataset (or
//! `frictionless validate`) needs nothing else.
//!
//! The package's profile is `data-package`: one resource per file written,
//! the CSV files (`facts`, `documents`, … and the wide tables as
//! `table-<key>`) as `tabular-data-resource`s with their schema, the
//! Parquet files (`facts-parquet`, `table-<key>-parquet`, a partitioned
//! dataset listing all its part files in `path`) as file resources
//! (`"type": "file"`, `data-resource`) with the same schema for readers —
//! so the package validates as a whole (`frictionless validate`: a
//! `tabular-data-package` may hold only tabular resources, and validators
//! read Parquet only through an optional plugin). Columns typed `integer`, `number` (exact decimals, printed
//! with `.`) or `string`. The package carries the Fiscal Data Package
//! `model`: measures `value_yuan` (currency CNY, factor 1) and `value`
//! (currency CNY, in the row's `unit`), dimensions for the department,
//! fiscal year, report kind, table, classification code (with its
//! 类/款/项 hierarchy given by code length), line and column.
//!
//! The file is written last, after every data file is complete, and like
//! them under a temporary name. It holds nothing that changes between runs.

use super::rows::{self, TableColumns};
use super::schema::{
    CheckRow, DocumentRow, FactRow, FindingRow, IndicatorFieldRow, IndicatorRow, IssueRow,
    OutputRow, ReconciliationRow, WidePrefix,
};
use serde_json::{json, Value};
use std::io;
use std::path::Path;

/// Integer columns, whatever the file.
const INTEGERS: &[&str] = &[
    "year",
    "page",
    "row",
    "pages",
    "facts",
    "tables_recognised",
    "tables_unrecognised",
    "checks_failed",
    "elapsed_ms",
    "instance",
    "expected_year",
    "actual_year",
];

/// Column descriptions of `facts`, from SCHEMA.md.
fn describe(column: &str) -> Option<&'static str> {
    Some(match column {
        "doc_id" => "one input file, unique in documents.csv: first 16 hex digits of its SHA-256; a later file with the same bytes gets its own (from the bytes and its source) and duplicate_of names the first",
        "source" => "path of the input file relative to the input root",
        "department" => "the body's name as printed (部门：/单位：, the title, the cover), cleaned of year, report and section words",
        "department_key" => "region code and normalised name: one key for one body across its name forms and years",
        "entity_level" => "department (部门预算/决算, consolidated) or unit (单位预算/决算, one budget unit): adding both double-counts",
        "scope" => "qualifier printed with the name: 本级, 汇总, or empty",
        "province" => "province-level division of the body (official name)",
        "prefecture" => "prefecture-level division of the body; empty where it sits higher",
        "county" => "county-level division of the body; empty where it sits higher",
        "region_code" => "GB/T 2260 code of the lowest division the body belongs to (100000: central)",
        "admin_level" => "central, province, prefecture, county or township",
        "duplicate_of" => "doc_id of the first input that is the same report (same body, year, kind, level and figures); empty for the first: leave duplicates out of sums with duplicate_of = ''",
        "year" => "fiscal year the figures are for",
        "report" => "final (决算) or budget (预算)",
        "table" => "canonical table key",
        "table_label" => "table title as printed",
        "table_no" => "table number marker as printed (公开01表, 表1 …)",
        "page" => "1-based page of the row; empty for text inputs",
        "row" => "1-based data row within the table in that document",
        "code" => "full classification code (类/款/项 concatenated)",
        "code_kind" => "function (功能分类) or economic (经济分类)",
        "line" => "canonical key of a named line (tables without codes)",
        "item" => "row label as printed",
        "column" => "canonical column key",
        "column_label" => "column header as printed",
        "value" => "exact decimal as printed, in `unit`",
        "unit" => "unit stated for the table: 元, 千元, 万元 or 亿元",
        "value_yuan" => "value converted to yuan, exact",
        "origin" => "text (a text layer, sheet or text file) or ocr (a scanned page read by OCR)",
        "ocr_confidence" => "for ocr: the recogniser's confidence in the cell, 0-100",
        "ocr_check" => "for ocr: confirmed (an identity that holds takes it), corrected (the recogniser's other reading taken: identities hold with it), contradicted (an identity with it fails) or unconfirmed (no identity vouches for it or its key)",
        "ocr_read_as" => "for ocr, corrected: the recogniser's first reading, or `code N` where the table's hierarchy set the code N right (`code none`: a code not read, taken from the row's class name)",
        "ocr_pages" => "pages read by OCR, joined by ;",
        "tables_found" => "keys of the tables found, in document order, joined by ;",
        "tables_recognised" => "tables found of a known kind",
        "tables_unrecognised" => "tables found whose title names no known kind (their facts are under table `other`)",
        "comparison" => "reconciliation: the pairing rule's name in patterns/reconcile.toml",
        "relation" => "reconciliation: units (a department against the sum of its units), budget_final (final accounts against the budget), previous_year (a figure printed for the year before against that year's report)",
        "expected_doc_id" => "reconciliation: the reference report (the department, the budget, the earlier year)",
        "actual_doc_id" => "reconciliation: the other report (the units, joined by ;, the final accounts, the later year)",
        "expected_page" => "reconciliation: page of the reference figure",
        "actual_page" => "reconciliation: pages of the other figures, joined by ;",
        "tables_listed" => "keys of the tables the report's table of contents lists, joined by ; (empty: no contents found)",
        _ => return None,
    })
}

fn field(name: &str, numbers: &[&str]) -> Value {
    let kind = if INTEGERS.contains(&name) {
        "integer"
    } else if numbers.contains(&name) {
        "number"
    } else {
        "string"
    };
    let mut field = json!({ "name": name, "type": kind });
    if let Some(description) = describe(name) {
        field["description"] = json!(description);
    }
    field
}

fn schema(columns: &[&str], numbers: &[&str]) -> Value {
    let fields: Vec<Value> = columns.iter().map(|c| field(c, numbers)).collect();
    json!({ "fields": fields })
}

/// Columns and number columns of one output, by name.
fn columns_of(output: &str, tables: &TableColumns) -> Option<(Vec<String>, Vec<String>)> {
    let owned = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let numeric_facts = ["value", "value_yuan"];
    Some(match output {
        rows::FACTS => (owned(FactRow::header()), owned(&numeric_facts)),
        rows::DOCUMENTS => (owned(DocumentRow::header()), owned(DocumentRow::NUMERIC)),
        rows::ISSUES => (owned(IssueRow::header()), Vec::new()),
        rows::CHECKS => (owned(CheckRow::header()), owned(CheckRow::NUMERIC)),
        rows::FINDINGS => (owned(FindingRow::header()), Vec::new()),
        rows::INDICATORS => (owned(IndicatorRow::header()), owned(&["value_number"])),
        ReconciliationRow::OUTPUT => (
            owned(ReconciliationRow::header()),
            owned(ReconciliationRow::NUMERIC),
        ),
        rows::INDICATOR_FIELDS => (owned(IndicatorFieldRow::header()), owned(&["value_number"])),
        other => {
            let table = other.strip_prefix(rows::TABLE_PREFIX)?;
            let amounts = tables.get(table)?.clone();
            let mut columns = owned(WidePrefix::header());
            columns.extend(amounts.iter().cloned());
            (columns, amounts)
        }
    })
}

/// A column's type as this package declares it: `integer`, `number` (an
/// exact decimal) or `string`. For `facts` and the wide tables it is also
/// the type the Parquet files store (INT32, DECIMAL(38,6), UTF-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    String,
    Integer,
    Number,
}

/// The columns of one output (`facts`, `documents`, …, `tables/<key>`) in
/// order, typed as in the package; `None` for no output of gongkai's.
/// Readers that keep types (the Python package's Arrow tables) take them
/// from here.
pub fn typed_columns(output: &str, tables: &TableColumns) -> Option<Vec<(String, ColumnType)>> {
    let (columns, numbers) = columns_of(output, tables)?;
    let typed = columns
        .into_iter()
        .map(|name| {
            let kind = if INTEGERS.contains(&name.as_str()) {
                ColumnType::Integer
            } else if numbers.contains(&name) {
                ColumnType::Number
            } else {
                ColumnType::String
            };
            (name, kind)
        })
        .collect();
    Some(typed)
}

fn resource_name(output: &str) -> String {
    output
        .replace(rows::TABLE_PREFIX, "table-")
        .replace('_', "-")
}

/// Build the package for the files written (paths relative to the folder).
/// `review.xlsx`, a file resource.
fn review_resource() -> Value {
    json!({
        "name": "review",
        "type": "file",
        "profile": "data-resource",
        "path": super::review::REVIEW_FILE,
        "format": "xlsx",
        "mediatype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "description": "findings.csv laid out per report like a 公开情况检查表: sections in order, 符合要求 是/否, the findings of each section with pages",
    })
}

pub fn package(written: &[String], tables: &TableColumns, partition: &[String]) -> Value {
    let mut resources = Vec::new();
    let mut csv: Vec<&String> = written.iter().filter(|p| p.ends_with(".csv")).collect();
    csv.sort();
    for path in csv {
        let output = path.trim_end_matches(".csv");
        let Some((columns, numbers)) = columns_of(output, tables) else {
            continue;
        };
        let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
        let numbers: Vec<&str> = numbers.iter().map(String::as_str).collect();
        resources.push(json!({
            "name": resource_name(output),
            "path": path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": { "delimiter": ",", "lineTerminator": "\n", "header": true },
            "schema": schema(&columns, &numbers),
        }));
    }
    // Parquet: group part files by output (facts, tables/<key>)
    let mut parquet: std::collections::BTreeMap<String, Vec<&String>> = Default::default();
    for path in written.iter().filter(|p| p.ends_with(".parquet")) {
        let output = match path.strip_prefix(rows::TABLE_PREFIX) {
            Some(rest) => {
                let key = rest.split(['/', '.']).next().unwrap_or(rest);
                format!("{}{key}", rows::TABLE_PREFIX)
            }
            None => rows::FACTS.to_string(),
        };
        parquet.entry(output).or_default().push(path);
    }
    for (output, paths) in parquet {
        let Some((columns, numbers)) = columns_of(&output, tables) else {
            continue;
        };
        // partition columns live in the folder names, not in the files
        let columns: Vec<&str> = columns
            .iter()
            .map(String::as_str)
            .filter(|c| !partition.iter().any(|p| p == c))
            .collect();
        let numbers: Vec<&str> = numbers.iter().map(String::as_str).collect();
        let path = if paths.len() == 1 && partition.is_empty() {
            json!(paths[0])
        } else {
            json!(paths)
        };
        // a file resource: the tabular profile is the CSV's (validators read
        // CSV as tables; the Parquet files carry the same columns, typed)
        let mut resource = json!({
            "name": format!("{}-parquet", resource_name(&output)),
            "type": "file",
            "profile": "data-resource",
            "path": path,
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "schema": schema(&columns, &numbers),
        });
        if !partition.is_empty() {
            resource["partitioning"] = json!({ "style": "hive", "columns": partition });
        }
        resources.push(resource);
    }
    if written.iter().any(|p| p == super::review::REVIEW_FILE) {
        resources.push(review_resource());
    }
    json!({
        "profile": "data-package",
        "name": "gongkai-output",
        "title": "Department budget and final-accounts disclosures (部门预算/决算公开), extracted by gongkai",
        "version": env!("CARGO_PKG_VERSION"),
        "licenses": [],
        "resources": resources,
        "model": fiscal_model(),
    })
}

/// The Fiscal Data Package model of `facts`.
fn fiscal_model() -> Value {
    let dimension = |source: &str, kind: &str| {
        json!({
            "dimensionType": kind,
            "primaryKey": [source],
            "attributes": { source: { "source": source, "resource": "facts" } },
        })
    };
    json!({
        "measures": {
            "value_yuan": { "source": "value_yuan", "resource": "facts", "currency": "CNY", "factor": 1 },
            "value": {
                "source": "value", "resource": "facts", "currency": "CNY",
                "description": "as printed; multiply by the row's unit (元 1, 千元 1000, 万元 10000, 亿元 100000000)",
            },
        },
        "dimensions": {
            "department": dimension("department_key", "entity"),
            "region": dimension("region_code", "location"),
            "entity_level": dimension("entity_level", "other"),
            "year": dimension("year", "datetime"),
            "report": dimension("report", "other"),
            "table": dimension("table", "other"),
            "classification": {
                "dimensionType": "classification",
                "primaryKey": ["code"],
                "attributes": {
                    "code": { "source": "code", "resource": "facts" },
                    "code_kind": { "source": "code_kind", "resource": "facts" },
                    "label": { "source": "item", "resource": "facts", "labelfor": "code" },
                },
                "hierarchy": "类 = first 3 digits, 款 = first 5, 项 = all 7 (function codes); 类 3, 款 5 (economic codes)",
            },
            "line": dimension("line", "other"),
            "column": dimension("column", "other"),
        },
    })
}

/// An existing package with the `reconciliation` resource put in (or
/// replaced), after the CSV resources whose paths sort before it, as
/// [`package`] places it (`gongkai reconcile` on a finished output).
pub fn with_reconciliation(text: &str) -> io::Result<String> {
    let mut package: Value = serde_json::from_str(text).map_err(|e| {
        io::Error::new(io::ErrorKind::InvalidData, format!("datapackage.json: {e}"))
    })?;
    let written = [format!("{}.csv", ReconciliationRow::OUTPUT)];
    let fresh = package_resources(&written);
    let Some(resources) = package["resources"].as_array_mut() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "datapackage.json: no resources",
        ));
    };
    resources.retain(|r| r["name"] != "reconciliation");
    let at = resources
        .iter()
        .position(|r| r["format"] != "csv" || r["path"].as_str() > Some(written[0].as_str()))
        .unwrap_or(resources.len());
    for (offset, resource) in fresh.into_iter().enumerate() {
        resources.insert(at + offset, resource);
    }
    Ok(serde_json::to_string_pretty(&package).map_err(io::Error::other)? + "\n")
}

fn package_resources(written: &[String]) -> Vec<Value> {
    let package = package(written, &TableColumns::default(), &[]);
    package["resources"].as_array().cloned().unwrap_or_default()
}

/// Write `datapackage.json` into the folder.
pub fn write(
    dir: &Path,
    written: &[String],
    tables: &TableColumns,
    partition: &[String],
) -> io::Result<()> {
    let package = package(written, tables, partition);
    let text = serde_json::to_string_pretty(&package).map_err(io::Error::other)? + "\n";
    let target = dir.join("datapackage.json");
    let temporary = dir.join("datapackage.json.partial");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, &target)
}

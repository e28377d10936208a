//! Small facts and documents for the rules' unit tests.

use crate::check::Context;
use crate::model::{Check, DocumentRecord, Fact, FoundTable, Unit};
use crate::patterns::Patterns;
use std::str::FromStr;

/// A fact of `table` in 万元 on page 1.
pub fn fact(table: &str, code: &str, line: &str, column: &str, value: &str) -> Fact {
    Fact {
        table: table.to_string(),
        table_label: String::new(),
        table_no: String::new(),
        page: Some(1),
        row: 1,
        code: code.to_string(),
        code_kind: crate::model::CodeKind::from_code(code),
        line: line.to_string(),
        item: String::new(),
        column: column.to_string(),
        column_label: String::new(),
        value: rust_decimal::Decimal::from_str(value).expect("a test value"),
        unit: Some(Unit::TenThousandYuan),
        ocr: None,
    }
}

/// A coded row's `total` figure in the expenditure table.
pub fn coded(code: &str, value: &str) -> Fact {
    fact("expenditure", code, "", "total", value)
}

/// One expenditure row's `total` figure (25.13) for each code, on rows 1, 2 …
pub fn coded_rows(codes: &[&str]) -> Vec<Fact> {
    codes
        .iter()
        .enumerate()
        .map(|(i, code)| Fact {
            row: i as u32 + 1,
            ..coded(code, "25.13")
        })
        .collect()
}

/// The 合计 row's `total` figure in the expenditure table.
pub fn total(value: &str) -> Fact {
    fact("expenditure", "", "total", "total", value)
}

/// Run a table rule on facts of the built-in pattern table `key`.
pub fn run_table_rule(rule: super::TableRule, key: &str, facts: &[Fact]) -> Vec<Check> {
    let patterns = Patterns::builtin_shared();
    let record = DocumentRecord {
        facts: facts.to_vec(),
        ..DocumentRecord::default()
    };
    let context = Context::new(&record, patterns);
    let table = patterns.table(key).expect("a built-in table");
    let facts = context.facts.table(key);
    let mut checks = Vec::new();
    rule(&context, table, facts, &mut checks);
    checks
}

/// Run a found-table rule on one table whose header states `department`,
/// in a report of `report_department`.
pub fn run_found_table_rule(
    rule: super::FoundTableRule,
    department: &str,
    report_department: &str,
) -> Vec<Check> {
    let patterns = Patterns::builtin_shared();
    let table = FoundTable {
        key: "summary".to_string(),
        label: String::new(),
        number: String::new(),
        page: Some(1),
        unit: Some(Unit::TenThousandYuan),
        facts: 1,
        year: None,
        department: Some(department.to_string()),
        notes: Vec::new(),
    };
    let record = DocumentRecord {
        department: report_department.to_string(),
        tables: vec![table.clone()],
        ..DocumentRecord::default()
    };
    let context = Context::new(&record, patterns);
    let mut checks = Vec::new();
    rule(&context, &table, &mut checks);
    checks
}

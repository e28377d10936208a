//! `checks.toml`: cross-table identities — the same figure printed in two
//! tables, each side a reference to a table's line or code rows.

use super::{invalid, PatternError, TablePattern};
use crate::model::ReportKind;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ChecksFile {
    pub(super) cross: Vec<CrossDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CrossDef {
    pub(super) name: String,
    pub(super) expected: RefDef,
    pub(super) actual: Vec<RefDef>,
}

/// A reference to figures of one table (see `patterns/checks.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefDef {
    pub table: String,
    #[serde(default)]
    pub line: Option<String>,
    #[serde(default)]
    pub code_len: Option<usize>,
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub columns_final: Vec<String>,
    #[serde(default)]
    pub columns_budget: Vec<String>,
    #[serde(default)]
    pub by_code: bool,
}

impl RefDef {
    /// The columns to try for a report kind, first present wins.
    pub fn columns_for(&self, kind: Option<ReportKind>) -> &[String] {
        match kind {
            Some(ReportKind::Final) if !self.columns_final.is_empty() => &self.columns_final,
            Some(ReportKind::Budget) if !self.columns_budget.is_empty() => &self.columns_budget,
            _ => &self.columns,
        }
    }
}

/// A cross-table identity: `expected` equals the sum of `actual`.
#[derive(Debug, Clone)]
pub struct CrossCheck {
    pub name: String,
    pub expected: RefDef,
    pub actual: Vec<RefDef>,
}

pub(super) fn check_ref(
    file: &str,
    key: &str,
    reference: &RefDef,
    tables: &[TablePattern],
) -> Result<(), PatternError> {
    let Some(table) = tables.iter().find(|t| t.key == reference.table) else {
        return Err(invalid(
            file,
            key,
            format!("no table with key {:?}", reference.table),
        ));
    };
    if let Some(line) = &reference.line {
        let coded_total = line == "total";
        if !coded_total && !table.lines.iter().any(|l| &l.key == line) {
            return Err(invalid(
                file,
                key,
                format!("table {:?} has no line {line:?}", table.key),
            ));
        }
    }
    for column in reference
        .columns
        .iter()
        .chain(&reference.columns_final)
        .chain(&reference.columns_budget)
    {
        if !table.columns.iter().any(|c| &c.key == column) {
            return Err(invalid(
                file,
                key,
                format!("table {:?} has no column {column:?}", table.key),
            ));
        }
    }
    Ok(())
}

pub(super) fn compile_cross(
    file: &str,
    checks: ChecksFile,
    tables: &[TablePattern],
) -> Result<Vec<CrossCheck>, PatternError> {
    checks
        .cross
        .into_iter()
        .map(|def| {
            check_ref(
                file,
                &format!("cross.{}.expected", def.name),
                &def.expected,
                tables,
            )?;
            for reference in &def.actual {
                check_ref(
                    file,
                    &format!("cross.{}.actual", def.name),
                    reference,
                    tables,
                )?;
            }
            Ok(CrossCheck {
                name: def.name,
                expected: def.expected,
                actual: def.actual,
            })
        })
        .collect()
}

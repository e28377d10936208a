//! A report's facts laid back out as the tables they were read from, and
//! the failed checks placed on the cells they are about.
//!
//! A table is the facts of one `table` key and printed title, in the order
//! of `facts.csv` (the order printed); its rows are the facts' `row`
//! numbers, its columns their `column` keys under the printed header
//! (`column_label`). The text's figures (table `narrative`) are grouped
//! the way the checks name them: an item (`item 3`: its previous, current
//! and change figures as columns), a share (`share 6`: value, total,
//! percent) or a figure by its line key (`expenditure.basic`).
//!
//! Which cells a failed check marks, from its `key`:
//! - `LINE/COLUMN` or `CODE/COLUMN` (line sums, code sums, total rows,
//!   `total/total=basic+project`): that cell of the check's table;
//! - a narrative figure (`fiscal.grand_total`, `item 3 2010601`,
//!   `share 6`): its row of the text's figures, and where the key names
//!   what it was compared with (`…:summary.income.grand_total`) that
//!   table's row too;
//! - a cross-table identity (`summary_gpb_income`, by class
//!   `summary_expenditure_by_class:201`): the figures its rule in
//!   `patterns/checks.toml` compares, in both tables;
//! - anything else (a table missing, empty or unlike another, a sentence):
//!   no cell — the check is listed under its table, or with the report's
//!   other checks when it names no table the report printed.

use super::data::{CheckRow, FactRow};
use crate::model::CheckName;
use crate::patterns::{Patterns, RefDef};
use std::collections::{BTreeMap, BTreeSet};

/// One table as the report printed it, rebuilt from its facts.
#[derive(Debug, Default)]
pub struct Grid {
    pub table: String,
    pub label: String,
    pub table_no: String,
    pub pages: BTreeSet<u32>,
    pub unit: String,
    /// Column keys and their printed headers, in order.
    pub columns: Vec<(String, String)>,
    pub rows: Vec<GridRow>,
}

/// One printed row: its key (a `row` number, or a narrative group), its
/// code and label, and a cell per column that gave a fact.
#[derive(Debug, Default)]
pub struct GridRow {
    pub key: String,
    pub code: String,
    pub line: String,
    pub label: String,
    pub cells: BTreeMap<String, Cell>,
}

/// A cell that gave a fact.
#[derive(Debug, Default, Clone)]
pub struct Cell {
    pub value: String,
    pub ocr_check: String,
    /// The failed checks about this cell, as messages.
    pub failures: Vec<String>,
}

/// Where a narrative fact sits: its group (row) and column.
fn narrative_place(fact: &FactRow) -> (String, String) {
    for group in ["item", "share"] {
        if let Some(column) = fact.line.strip_prefix(&format!("{group}.")) {
            return (format!("{group} {}", fact.row), column.to_string());
        }
    }
    (fact.line.clone(), "value".to_string())
}

/// The report's tables in printed order, from its facts.
pub fn grids(facts: &[&FactRow]) -> Vec<Grid> {
    let mut order: Vec<(String, String)> = Vec::new();
    let mut by_table: BTreeMap<(String, String), Grid> = BTreeMap::new();
    for fact in facts {
        let id = (fact.table.clone(), fact.table_label.clone());
        let grid = by_table.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            Grid {
                table: fact.table.clone(),
                label: fact.table_label.clone(),
                table_no: fact.table_no.clone(),
                unit: fact.unit.map_or("", |u| u.as_str()).to_string(),
                ..Grid::default()
            }
        });
        add_fact(grid, fact);
    }
    order
        .into_iter()
        .filter_map(|id| by_table.remove(&id))
        .collect()
}

fn add_fact(grid: &mut Grid, fact: &FactRow) {
    if let Some(page) = fact.page {
        grid.pages.insert(page);
    }
    let (key, column, header) = if fact.table == "narrative" {
        let (key, column) = narrative_place(fact);
        (key, column.clone(), column)
    } else {
        (
            fact.row.to_string(),
            fact.column.clone(),
            fact.column_label.clone(),
        )
    };
    if !grid.columns.iter().any(|(c, _)| *c == column) {
        grid.columns.push((column.clone(), header));
    }
    // The two sides of a summary table share their row numbers: a row is
    // its number and its line or code.
    let same_row = |r: &GridRow| {
        r.key == key && (fact.table == "narrative" || (r.line == fact.line && r.code == fact.code))
    };
    let row = match grid.rows.iter().position(same_row) {
        Some(index) => &mut grid.rows[index],
        None => {
            grid.rows.push(GridRow {
                key,
                code: fact.code.clone(),
                line: fact.line.clone(),
                label: fact.item.clone(),
                cells: BTreeMap::new(),
            });
            grid.rows.last_mut().expect("just pushed")
        }
    };
    row.cells.entry(column).or_insert_with(|| Cell {
        value: fact.value.clone(),
        ocr_check: fact.ocr_check.clone(),
        failures: Vec::new(),
    });
}

/// A failed check in words: what it is, what was expected and printed.
pub fn message(check: &CheckRow) -> String {
    let mut text = format!("{} {}", check.check, check.key);
    if !check.expected.is_empty() || !check.actual.is_empty() {
        text.push_str(&format!(
            ": expected {}, printed {}",
            or_dash(&check.expected),
            or_dash(&check.actual)
        ));
    }
    if !check.note.is_empty() {
        text.push_str(&format!(" — {}", check.note));
    }
    text
}

fn or_dash(text: &str) -> &str {
    if text.is_empty() {
        "—"
    } else {
        text
    }
}

/// Cells a check marks: a row's cells in `columns` (all, when empty).
#[derive(Debug, PartialEq)]
struct Target {
    table: String,
    row: String,
    columns: Vec<String>,
}

/// The cells `check` is about (see the module's list).
fn targets(check: &CheckRow, patterns: &Patterns) -> Vec<Target> {
    if check.table == "narrative" {
        return narrative_targets(&check.key);
    }
    if check.check == CheckName::CrossTable {
        return cross_targets(&check.key, patterns);
    }
    let Some((row, column)) = check.key.split_once('/') else {
        return Vec::new();
    };
    let column = column.split('=').next().unwrap_or(column);
    vec![Target {
        table: check.table.clone(),
        row: row.to_string(),
        columns: vec![column.to_string()],
    }]
}

/// The figures a cross-table rule compares (`name` or `name:code`).
fn cross_targets(key: &str, patterns: &Patterns) -> Vec<Target> {
    let (name, code) = match key.split_once(':') {
        Some((name, code)) => (name, Some(code)),
        None => (key, None),
    };
    let Some(rule) = patterns.cross.iter().find(|c| c.name == name) else {
        return Vec::new();
    };
    let target = |reference: &RefDef| {
        let row = match (&reference.line, code) {
            (Some(line), _) => line.clone(),
            (None, Some(code)) => code.to_string(),
            (None, None) => return None,
        };
        let columns = [
            &reference.columns,
            &reference.columns_final,
            &reference.columns_budget,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        Some(Target {
            table: reference.table.clone(),
            row,
            columns,
        })
    };
    std::iter::once(&rule.expected)
        .chain(&rule.actual)
        .filter_map(target)
        .collect()
}

fn narrative_targets(key: &str) -> Vec<Target> {
    let (own, compared) = match key.split_once(':') {
        Some((own, compared)) => (own, Some(compared)),
        None => (key, None),
    };
    let mut words = own.split(' ');
    let group = match (words.next(), words.next()) {
        (Some(kind @ ("item" | "share")), Some(number)) => format!("{kind} {number}"),
        _ => own.to_string(),
    };
    let mut out = vec![Target {
        table: "narrative".into(),
        row: group,
        columns: Vec::new(),
    }];
    if let Some((table, line)) = compared.and_then(|c| c.split_once('.')) {
        out.push(Target {
            table: table.to_string(),
            row: line.to_string(),
            columns: Vec::new(),
        });
    }
    out
}

/// Whether `row` of `grid` is the row a target names (by its narrative
/// group, line key or code).
fn names_row(target: &Target, grid: &Grid, row: &GridRow) -> bool {
    target.table == grid.table
        && if grid.table == "narrative" {
            row.key == target.row
        } else {
            row.line == target.row || (!row.code.is_empty() && row.code == target.row)
        }
}

/// Mark each failed check on the cells it is about; the checks that
/// marked no cell come back.
pub fn place_failures<'a>(
    grids: &mut [Grid],
    failed: &[&'a CheckRow],
    patterns: &Patterns,
) -> Vec<&'a CheckRow> {
    let mut unplaced = Vec::new();
    for check in failed {
        let text = message(check);
        let mut placed = false;
        for target in targets(check, patterns) {
            for grid in grids.iter_mut() {
                for index in 0..grid.rows.len() {
                    if !names_row(&target, grid, &grid.rows[index]) {
                        continue;
                    }
                    for (column, cell) in grid.rows[index].cells.iter_mut() {
                        if target.columns.is_empty() || target.columns.contains(column) {
                            cell.failures.push(text.clone());
                            placed = true;
                        }
                    }
                }
            }
        }
        if !placed {
            unplaced.push(*check);
        }
    }
    unplaced
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::check::rules::testing;
    use crate::model::{Check, CheckStatus, DocumentRecord, Fact};
    use rust_decimal::Decimal;

    fn fact(table: &str, row: &str, line: &str, code: &str, column: &str, value: &str) -> FactRow {
        let fact = Fact {
            table_label: format!("{table} title"),
            page: Some(3),
            row: row.parse().unwrap(),
            column_label: column.to_uppercase(),
            ..testing::fact(table, code, line, column, value)
        };
        FactRow::of(&DocumentRecord::default(), &fact)
    }

    fn check(table: &str, key: &str) -> CheckRow {
        let check = Check {
            check: CheckName::LineSum,
            table: table.into(),
            key: key.into(),
            expected: Some(Decimal::new(100, 2)),
            actual: Some(Decimal::new(200, 2)),
            diff: None,
            tolerance: None,
            unit: None,
            status: CheckStatus::Fail,
            note: String::new(),
            page: None,
            table_label: String::new(),
        };
        CheckRow::of(&DocumentRecord::default(), &check)
    }

    #[test]
    fn failed_checks_mark_the_cells_their_keys_name() {
        let facts = [
            fact("summary", "1", "income.total", "", "amount", "472.39"),
            fact(
                "summary",
                "1",
                "expenditure.function",
                "201",
                "amount",
                "368.14",
            ),
            fact(
                "summary",
                "30",
                "income.grand_total",
                "",
                "amount",
                "2995.39",
            ),
            fact("expenditure", "2", "", "201", "total", "368.14"),
            fact("expenditure", "2", "", "201", "basic", "228.45"),
            fact(
                "narrative",
                "69",
                "income_expenditure.grand_total",
                "",
                "amount",
                "0",
            ),
            fact("narrative", "6", "share.percent", "", "percent", "71.73"),
        ];
        let refs: Vec<&FactRow> = facts.iter().collect();
        let mut grids = grids(&refs);
        assert_eq!(grids.len(), 3);
        assert_eq!(grids[0].rows.len(), 3, "both sides of row 1 kept");
        assert_eq!(grids[1].columns.len(), 2);
        let checks = [
            check("summary", "income.total/amount"),
            check("expenditure", "201/total=basic+project"),
            check(
                "narrative",
                "income_expenditure.grand_total:summary.income.grand_total",
            ),
            check("narrative", "share 6"),
            check("three_public", "three_public"),
            CheckRow {
                check: CheckName::CrossTable,
                ..check("summary", "summary_expenditure_by_class:201")
            },
        ];
        let failed: Vec<&CheckRow> = checks.iter().collect();
        let unplaced = place_failures(&mut grids, &failed, Patterns::builtin_shared());
        assert_eq!(unplaced.len(), 1, "the empty table's check marks no cell");
        let cell = |g: usize, r: usize, c: &str| grids[g].rows[r].cells[c].failures.len();
        assert_eq!(cell(0, 0, "amount"), 1);
        assert_eq!(
            cell(0, 1, "amount"),
            1,
            "the other side of row 1, by the class rule"
        );
        assert_eq!(cell(0, 2, "amount"), 1, "the narrative's compared row");
        assert_eq!(
            cell(1, 0, "total"),
            2,
            "its row identity and the class rule"
        );
        assert_eq!(cell(1, 0, "basic"), 0, "only the checked column");
        assert_eq!(cell(2, 0, "value"), 1);
        assert_eq!(cell(2, 1, "percent"), 1);
    }
}

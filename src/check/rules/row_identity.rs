//! `row_identity`: in every row, a total column equals the sum of its part
//! columns (本年支出合计 = 基本支出 + 项目支出 …), as each table's
//! `[[row_identities]]` define. An identity applies when the table prints
//! one of its `requires` columns and none of its `unless` columns; a row
//! that prints only a zero total is not checked, nor, for an identity marked
//! `only_rows_with_parts`, a row that prints none of its parts.

use super::applies;
use crate::check::compare::compare;
use crate::check::Context;
use crate::model::{Check, CheckName, Fact};
use crate::patterns::{SumDef, TablePattern};
use std::collections::BTreeMap;

pub fn run(_: &Context, table: &TablePattern, facts: &[&Fact], checks: &mut Vec<Check>) {
    for def in &table.row_identities {
        identity(table, facts, def, checks);
    }
}

fn identity(table: &TablePattern, facts: &[&Fact], def: &SumDef, checks: &mut Vec<Check>) {
    if !applies(def, |column| facts.iter().any(|f| f.column == column)) {
        return;
    }
    let present_parts: Vec<&str> = def
        .parts
        .iter()
        .map(String::as_str)
        .filter(|part| facts.iter().any(|f| f.column == *part))
        .collect();
    if present_parts.is_empty() {
        return; // the table prints only the total column
    }
    let name = def.name.unwrap_or(CheckName::RowIdentity);
    for ((_, line, code), row) in printed_rows(facts) {
        let Some(total) = row.iter().find(|f| f.column == def.total) else {
            continue;
        };
        let parts: Vec<&Fact> = row
            .iter()
            .copied()
            .filter(|f| def.parts.contains(&f.column))
            .collect();
        if parts.is_empty() && (total.value.is_zero() || def.only_rows_with_parts) {
            continue;
        }
        let row_key = if code.is_empty() { line } else { code };
        let key = format!("{row_key}/{}={}", def.total, present_parts.join("+"));
        checks.push(compare(name, &table.key, &key, total, &parts));
    }
}

/// The facts of each printed row: (row, line, code) → facts.
fn printed_rows<'a>(facts: &[&'a Fact]) -> BTreeMap<(u32, &'a str, &'a str), Vec<&'a Fact>> {
    let mut rows: BTreeMap<(u32, &str, &str), Vec<&Fact>> = BTreeMap::new();
    for fact in facts {
        rows.entry((fact.row, fact.line.as_str(), fact.code.as_str()))
            .or_default()
            .push(fact);
    }
    rows
}

#[cfg(test)]
mod tests {
    use crate::check::rules::testing::{fact, run_table_rule};
    use crate::model::{Check, CheckStatus};

    /// The row identity of expenditure row 201 with these three figures.
    fn identity_of(total: &str, basic: &str, project: &str) -> Vec<Check> {
        let facts = [
            fact("expenditure", "201", "", "total", total),
            fact("expenditure", "201", "", "basic", basic),
            fact("expenditure", "201", "", "project", project),
        ];
        run_table_rule(super::run, "expenditure", &facts)
            .into_iter()
            .filter(|c| c.key == "201/total=basic+project")
            .collect()
    }

    #[test]
    fn the_total_column_is_the_sum_of_basic_and_project() {
        let checks = identity_of("10.00", "7.00", "3.00");
        assert_eq!(checks.len(), 1, "{checks:?}");
        assert_eq!(checks[0].status, CheckStatus::Pass);
    }

    #[test]
    fn a_row_off_by_more_than_rounding_fails() {
        let checks = identity_of("10.00", "7.00", "3.50");
        assert_eq!(checks.len(), 1, "{checks:?}");
        assert_eq!(checks[0].status, CheckStatus::Fail);
    }
}

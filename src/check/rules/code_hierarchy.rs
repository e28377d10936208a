//! `code_hierarchy`: a 类 equals the sum of its 款, a 款 the sum of its 项,
//! column by column — for the codes the report prints (a 类 printed without
//! its 款 is not checked).

use crate::check::compare::compare;
use crate::check::Context;
use crate::model::{Check, CheckName, Fact};
use crate::patterns::TablePattern;
use std::collections::BTreeMap;

pub fn run(_: &Context, table: &TablePattern, facts: &[&Fact], checks: &mut Vec<Check>) {
    if table.code_kind.is_none() {
        return;
    }
    let codes = by_code(facts);
    for (parent, parent_columns) in &codes {
        let children: Vec<&BTreeMap<&str, &Fact>> = codes
            .iter()
            .filter(|(code, _)| code.len() == parent.len() + 2 && code.starts_with(parent))
            .map(|(_, columns)| columns)
            .collect();
        if children.is_empty() || parent.len() > 5 {
            continue;
        }
        for (column, expected) in parent_columns {
            let parts: Vec<&Fact> = children
                .iter()
                .filter_map(|columns| columns.get(column).copied())
                .collect();
            let key = format!("{parent}/{column}");
            checks.push(compare(
                CheckName::CodeHierarchy,
                &table.key,
                &key,
                expected,
                &parts,
            ));
        }
    }
}

/// Each printed code row's value per column: code → column → fact.
fn by_code<'a>(facts: &[&'a Fact]) -> BTreeMap<&'a str, BTreeMap<&'a str, &'a Fact>> {
    let mut map: BTreeMap<&str, BTreeMap<&str, &Fact>> = BTreeMap::new();
    for fact in facts.iter().filter(|f| !f.code.is_empty()) {
        map.entry(fact.code.as_str())
            .or_default()
            .entry(fact.column.as_str())
            .or_insert(fact);
    }
    map
}

#[cfg(test)]
mod tests {
    use crate::check::rules::testing::{coded, run_table_rule};
    use crate::model::CheckStatus;

    #[test]
    fn a_class_is_the_sum_of_its_sections_within_rounding() {
        let facts = [
            coded("201", "10.00"),
            coded("20101", "6.00"),
            coded("20102", "4.01"),
        ];
        let checks = run_table_rule(super::run, "expenditure", &facts);
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].key, "201/total");
        assert_eq!(
            checks[0].status,
            CheckStatus::Pass,
            "0.01 is within two terms' rounding"
        );
        let facts = [
            coded("201", "10.00"),
            coded("20101", "6.00"),
            coded("20102", "4.10"),
        ];
        let checks = run_table_rule(super::run, "expenditure", &facts);
        assert_eq!(checks[0].status, CheckStatus::Fail);
    }

    #[test]
    fn a_class_printed_without_sections_is_not_checked() {
        let checks = run_table_rule(super::run, "expenditure", &[coded("201", "10.00")]);
        assert!(checks.is_empty());
    }
}

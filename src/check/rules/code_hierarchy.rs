//! `code_hierarchy`: a 类 equals the sum of its 款, a 款 the sum of its 项,
//! column by column — for the codes the report prints (a 类 printed without
//! its 款 is not checked). Where a table prints a code on several rows (an
//! economic table crossing 部门 and 政府 classifications prints 301 工资福利
//! 支出 once under 501 and once under 505), each printed parent row is the
//! sum of the rows under it, up to the next row of its level.

use crate::check::compare::compare;
use crate::check::Context;
use crate::model::{Check, CheckName, Fact};
use crate::patterns::TablePattern;
use std::collections::BTreeMap;

pub fn run(_: &Context, table: &TablePattern, facts: &[&Fact], checks: &mut Vec<Check>) {
    if table.code_kind.is_none() {
        return;
    }
    let rows = printed_rows(facts);
    if codes_repeat(&rows) {
        return by_position(table, &rows, checks);
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
        compare_with_children(table, parent, parent_columns, &children, checks);
    }
}

/// A coded row as printed: its code and its figures by column.
type PrintedRow<'a> = (&'a str, BTreeMap<&'a str, &'a Fact>);

/// The coded rows in printed order (facts come row by row).
fn printed_rows<'a>(facts: &[&'a Fact]) -> Vec<PrintedRow<'a>> {
    let mut rows: Vec<(u32, Option<u32>, PrintedRow<'a>)> = Vec::new();
    for fact in facts.iter().filter(|f| !f.code.is_empty()) {
        match rows.last_mut() {
            Some((row, page, (code, columns)))
                if *row == fact.row && *page == fact.page && *code == fact.code =>
            {
                columns.entry(fact.column.as_str()).or_insert(fact);
            }
            _ => rows.push((
                fact.row,
                fact.page,
                (
                    fact.code.as_str(),
                    BTreeMap::from([(fact.column.as_str(), *fact)]),
                ),
            )),
        }
    }
    rows.into_iter().map(|(_, _, row)| row).collect()
}

fn codes_repeat(rows: &[PrintedRow]) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    rows.iter().any(|(code, _)| !seen.insert(*code))
}

/// Each parent row against the rows printed under it: the next level's
/// codes starting with it, up to the next row of its level or above.
fn by_position(table: &TablePattern, rows: &[PrintedRow], checks: &mut Vec<Check>) {
    for (at, (parent, parent_columns)) in rows.iter().enumerate() {
        if parent.len() > 5 {
            continue;
        }
        let children: Vec<&BTreeMap<&str, &Fact>> = rows[at + 1..]
            .iter()
            .take_while(|(code, _)| code.len() > parent.len())
            .filter(|(code, _)| code.len() == parent.len() + 2 && code.starts_with(parent))
            .map(|(_, columns)| columns)
            .collect();
        if children.is_empty() {
            continue;
        }
        compare_with_children(table, parent, parent_columns, &children, checks);
    }
}

/// A parent row against its children, column by column.
fn compare_with_children(
    table: &TablePattern,
    parent: &str,
    parent_columns: &BTreeMap<&str, &Fact>,
    children: &[&BTreeMap<&str, &Fact>],
    checks: &mut Vec<Check>,
) {
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

    /// 烟台's economic table prints 301 工资福利支出 under 501 and again
    /// under 505, each with the 款 that belong to it.
    #[test]
    fn a_class_printed_twice_is_the_sum_of_the_rows_under_each() {
        let facts = [
            coded("301", "10.00"),
            coded("30101", "10.00"),
            coded("301", "5.00"),
            coded("30102", "5.00"),
        ];
        let checks = run_table_rule(super::run, "expenditure", &facts);
        let outcomes: Vec<_> = checks.iter().map(|c| (c.key.as_str(), c.status)).collect();
        assert_eq!(
            outcomes,
            [
                ("301/total", CheckStatus::Pass),
                ("301/total", CheckStatus::Pass)
            ]
        );
        let facts = [
            coded("301", "10.00"),
            coded("30101", "10.00"),
            coded("301", "5.00"),
            coded("30102", "4.00"),
        ];
        let checks = run_table_rule(super::run, "expenditure", &facts);
        assert_eq!(checks[1].status, CheckStatus::Fail);
        assert_eq!(checks[1].expected.unwrap().to_string(), "5.00");
    }

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

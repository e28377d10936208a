//! `total_row`: a coded table's 合计 row equals the sum of its 类 rows,
//! column by column (of its top rows where it prints no 类).

use crate::check::compare::compare;
use crate::check::Context;
use crate::model::{Check, CheckName, Fact};
use crate::patterns::TablePattern;

pub fn run(_: &Context, table: &TablePattern, facts: &[&Fact], checks: &mut Vec<Check>) {
    if table.code_kind.is_none() {
        return;
    }
    let mut classes: Vec<&Fact> = facts
        .iter()
        .copied()
        .filter(|f| f.code.len() == 3)
        .collect();
    if classes.is_empty() {
        classes = top_rows(facts);
    }
    if classes.is_empty() {
        return;
    }
    for total in facts
        .iter()
        .filter(|f| f.line == "total" && f.code.is_empty())
    {
        let parts: Vec<&Fact> = classes
            .iter()
            .copied()
            .filter(|f| f.column == total.column)
            .collect();
        let key = format!("total/{}", total.column);
        checks.push(compare(
            CheckName::TotalRow,
            &table.key,
            &key,
            total,
            &parts,
        ));
    }
}

/// Where a table prints no 类 row (北京 prints 项 only, 2010350 …), the
/// coded rows no other printed row is above: together they are the table.
fn top_rows<'a>(facts: &[&'a Fact]) -> Vec<&'a Fact> {
    let codes: std::collections::BTreeSet<&str> = facts
        .iter()
        .filter(|f| !f.code.is_empty())
        .map(|f| f.code.as_str())
        .collect();
    facts
        .iter()
        .copied()
        .filter(|f| {
            !f.code.is_empty()
                && !codes
                    .iter()
                    .any(|c| c.len() < f.code.len() && f.code.starts_with(c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::check::rules::testing::{coded, run_table_rule, total};
    use crate::model::CheckStatus;

    #[test]
    fn the_total_row_is_the_sum_of_the_classes() {
        let facts = [
            total("15.00"),
            coded("201", "10.00"),
            coded("20101", "10.00"),
            coded("205", "5.00"),
        ];
        let checks = run_table_rule(super::run, "expenditure", &facts);
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].status, CheckStatus::Pass);
        let facts = [total("16.00"), coded("201", "10.00"), coded("205", "5.00")];
        let checks = run_table_rule(super::run, "expenditure", &facts);
        assert_eq!(checks[0].status, CheckStatus::Fail);
        // the note names the figure checked and every figure summed
        assert_eq!(
            checks[0].note,
            "expenditure row 1 \"\" (page 1) 16.00 differs from 15.00 = 201 10.00 + 205 5.00"
        );
        assert_eq!(checks[0].page, Some(1));
    }

    /// 北京 prints the 项 rows alone: they are what the 合计 sums.
    #[test]
    fn without_class_rows_the_total_is_the_sum_of_the_top_rows() {
        let facts = [
            total("15.00"),
            coded("2010350", "10.00"),
            coded("2050803", "5.00"),
        ];
        let checks = run_table_rule(super::run, "expenditure", &facts);
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].status, CheckStatus::Pass);
        let facts = [
            total("15.00"),
            coded("2010350", "10.00"),
            coded("20508", "4.00"),
        ];
        let checks = run_table_rule(super::run, "expenditure", &facts);
        assert_eq!(checks[0].status, CheckStatus::Fail);
    }
}

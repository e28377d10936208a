//! `line_sum` (and `summary_balance`, a line sum a pattern names so): a
//! named line equals the sum of other lines (本年收入合计, 收入总计,
//! 收入总计 = 支出总计), in each column the total line prints, as each
//! table's `[[line_sums]]` define. Lines the table does not print count as
//! zero; a nonzero total none of whose parts is printed is `skipped`. Where
//! a table's `whole_amount_columns` name several columns that hold a line's
//! whole amount, a part printed only in another of them is taken from there.

use super::applies;
use crate::check::compare::{compare, skipped};
use crate::check::Context;
use crate::model::{Check, CheckName, Fact};
use crate::patterns::{SumDef, TablePattern};

pub fn run(_: &Context, table: &TablePattern, facts: &[&Fact], checks: &mut Vec<Check>) {
    for def in &table.line_sums {
        line_sum(table, facts, def, checks);
    }
}

fn line_sum(table: &TablePattern, facts: &[&Fact], def: &SumDef, checks: &mut Vec<Check>) {
    if !applies(def, |line| facts.iter().any(|f| f.line == line)) {
        return;
    }
    let name = def.name.unwrap_or(CheckName::LineSum);
    for total in facts.iter().filter(|f| f.line == def.total) {
        let parts: Vec<&Fact> = def
            .parts
            .iter()
            .flat_map(|part| part_in_column(table, facts, part, &total.column))
            .collect();
        let key = format!("{}/{}", def.total, total.column);
        if parts.is_empty() && !total.value.is_zero() {
            let note = "none of the lines it sums is printed";
            checks.push(skipped(name, &table.key, &key, note).at(total.page, &total.table_label));
            continue;
        }
        checks.push(compare(name, &table.key, &key, total, &parts));
    }
}

/// A part line's figures in the total's column, or, when the total stands
/// in a whole-amount column and the part is not printed there, in the
/// first other whole-amount column that prints it.
fn part_in_column<'a>(
    table: &TablePattern,
    facts: &[&'a Fact],
    line: &str,
    column: &str,
) -> Vec<&'a Fact> {
    let of_line: Vec<&Fact> = facts.iter().copied().filter(|f| f.line == line).collect();
    let in_column = |column: &str| -> Vec<&'a Fact> {
        of_line
            .iter()
            .copied()
            .filter(|f| f.column == column)
            .collect()
    };
    let found = in_column(column);
    if !found.is_empty() || !table.whole_amount_columns.iter().any(|c| c == column) {
        return found;
    }
    table
        .whole_amount_columns
        .iter()
        .filter(|other| *other != column)
        .map(|other| in_column(other))
        .find(|found| !found.is_empty())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::check::rules::testing::{fact, run_table_rule};
    use crate::model::{CheckName, CheckStatus};

    #[test]
    fn income_total_is_the_sum_of_its_sources() {
        let facts = [
            fact("summary", "", "income.total", "amount", "12.00"),
            fact("summary", "", "income.fiscal", "amount", "10.00"),
            fact("summary", "", "income.business", "amount", "2.00"),
        ];
        let checks = run_table_rule(super::run, "summary", &facts);
        let sum = checks
            .iter()
            .find(|c| c.key == "income.total/amount")
            .expect("checked");
        assert_eq!(sum.status, CheckStatus::Pass);
    }

    #[test]
    fn the_balance_compares_the_whole_amounts_of_both_sides() {
        // 收入总计 printed under 合计 (a side split into funds), 支出总计
        // under 金额: both are the `amount` column, and compare
        let facts = [
            fact("summary", "", "income.grand_total", "amount", "12.00"),
            fact("summary", "", "expenditure.grand_total", "amount", "13.00"),
        ];
        let checks = run_table_rule(super::run, "summary", &facts);
        let balance = checks
            .iter()
            .find(|c| c.check == CheckName::SummaryBalance)
            .expect("balance checked");
        assert_eq!(balance.status, CheckStatus::Fail);
        assert_eq!(balance.diff.map(|d| d.to_string()).as_deref(), Some("1.00"));
    }
}

//! `code_sum`: a named line equals the sum of the rows with the listed codes
//! (人员经费 = 301 + 303 in the 基本支出 table), as each table's
//! `[[code_sums]]` define.

use crate::check::compare::compare;
use crate::check::Context;
use crate::model::{Check, CheckName, Fact};
use crate::patterns::TablePattern;

pub fn run(_: &Context, table: &TablePattern, facts: &[&Fact], checks: &mut Vec<Check>) {
    for def in &table.code_sums {
        for expected in facts.iter().filter(|f| f.line == def.line) {
            let parts: Vec<&Fact> = facts
                .iter()
                .copied()
                .filter(|f| def.codes.contains(&f.code) && f.column == expected.column)
                .collect();
            let key = format!("{}/{}", def.line, expected.column);
            checks.push(compare(
                CheckName::CodeSum,
                &table.key,
                &key,
                expected,
                &parts,
            ));
        }
    }
}

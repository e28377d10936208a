//! `code_sum`: a named line equals the sum of the rows with the listed codes
//! (人员经费 = 301 + 303 in the 基本支出 table), as each table's
//! `[[code_sums]]` define; a class the table prints no row for is the rows
//! of its first printed level below it.

use crate::check::compare::compare;
use crate::check::Context;
use crate::model::{Check, CheckName, Fact};
use crate::patterns::TablePattern;

pub fn run(_: &Context, table: &TablePattern, facts: &[&Fact], checks: &mut Vec<Check>) {
    for def in &table.code_sums {
        let split_printed = facts
            .iter()
            .any(|f| !f.code.is_empty() && def.unless_columns.contains(&f.column));
        if split_printed {
            continue;
        }
        for expected in facts.iter().filter(|f| f.line == def.line) {
            let in_column: Vec<&Fact> = facts
                .iter()
                .copied()
                .filter(|f| f.column == expected.column)
                .collect();
            let parts: Vec<&Fact> = def
                .codes
                .iter()
                .flat_map(|code| rows_of_code(&in_column, code))
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

/// The rows a listed code stands for: its own, or where a table prints no
/// row for the class itself (北京 prints 款 only: 30101, 30102 …), the rows
/// of its first printed level below it.
fn rows_of_code<'a>(facts: &[&'a Fact], code: &str) -> Vec<&'a Fact> {
    let own: Vec<&Fact> = facts.iter().copied().filter(|f| f.code == code).collect();
    if !own.is_empty() {
        return own;
    }
    let below = facts
        .iter()
        .filter(|f| f.code.len() > code.len() && f.code.starts_with(code))
        .map(|f| f.code.len())
        .min();
    facts
        .iter()
        .copied()
        .filter(|f| Some(f.code.len()) == below && f.code.starts_with(code))
        .collect()
}

//! `cross_table`: the same figure printed in two tables agrees (支出决算表's
//! 合计 and 财政拨款收入支出决算总表's 支出合计 …), as
//! `patterns/checks.toml` defines. A reference to a table the report does
//! not hold, or to a figure no referenced table prints, is `skipped`; a
//! `by_code` reference compares class by class (key `name:code`).

use crate::check::compare::{compare, skipped};
use crate::check::Context;
use crate::model::{Check, CheckName, Fact};
use crate::patterns::CrossCheck;

pub fn run(context: &Context, checks: &mut Vec<Check>) {
    for cross in &context.patterns.cross {
        cross_check(context, cross, checks);
    }
}

fn cross_check(context: &Context, cross: &CrossCheck, checks: &mut Vec<Check>) {
    let table = cross.expected.table.as_str();
    let skip = |note: String| skipped(CheckName::CrossTable, table, &cross.name, note);
    let missing: Vec<&str> = std::iter::once(&cross.expected)
        .chain(&cross.actual)
        .map(|r| r.table.as_str())
        .filter(|t| !context.has_table(t))
        .collect();
    if !missing.is_empty() {
        checks.push(skip(format!(
            "table {} not in this report",
            missing.join(", ")
        )));
        return;
    }
    let expected = context.resolve(&cross.expected);
    let actual: Vec<Vec<&Fact>> = cross.actual.iter().map(|r| context.resolve(r)).collect();
    if actual.iter().all(Vec::is_empty) {
        let tables: Vec<&str> = cross.actual.iter().map(|r| r.table.as_str()).collect();
        checks.push(skip(format!("{} prints no such figure", tables.join(", "))));
        return;
    }
    if cross.expected.by_code {
        for fact in expected {
            let parts: Vec<&Fact> = actual
                .iter()
                .flatten()
                .copied()
                .filter(|f| f.code == fact.code)
                .collect();
            let key = format!("{}:{}", cross.name, fact.code);
            checks.push(compare(CheckName::CrossTable, table, &key, fact, &parts));
        }
    } else if let Some(fact) = expected.first() {
        let parts: Vec<&Fact> = actual
            .iter()
            .filter_map(|facts| facts.first().copied())
            .collect();
        checks.push(compare(
            CheckName::CrossTable,
            table,
            &cross.name,
            fact,
            &parts,
        ));
    } else {
        checks.push(skip("figure not printed".to_string()));
    }
}

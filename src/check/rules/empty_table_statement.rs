//! `empty_table_statement`: a table printed without figures says it is
//! empty (本表无数据, 本部门无政府性基金收支 …: `empty_statements` in
//! `patterns/report.toml`), in the notes under it. Needs the text: the
//! notes are not in `facts.csv`.

use crate::check::compare::verdict;
use crate::check::Context;
use crate::model::{Check, CheckName};
use crate::text::normalise;

pub fn run(context: &Context, checks: &mut Vec<Check>) {
    let statements = &context.patterns.report.empty_statements;
    for table in context.record.tables.iter().filter(|t| t.facts == 0) {
        let notes = normalise(&table.notes.join(" "));
        let stated = statements.iter().any(|s| notes.contains(s.as_str()));
        let note = if stated {
            ""
        } else {
            "table has no figures and no statement that it is empty"
        };
        let name = CheckName::EmptyTableStatement;
        checks.push(verdict(name, &table.key, &table.key, stated, note));
    }
}

//! `empty_table_statement`: a table printed without figures says it is
//! empty, in the notes under it: 本表无数据, 此表为空, 本部门无政府性基金
//! 收支, (无政府性基金支出) — the regexes `empty_statements` of
//! `patterns/report.toml`, which follow the language (无…支出/项目/安排,
//! 为空, 空表) rather than list sentences. Needs the text: the notes are
//! not in `facts.csv`.

use crate::check::compare::verdict;
use crate::check::Context;
use crate::model::{Check, CheckName, NARRATIVE};
use crate::text::normalise;

pub fn run(context: &Context, checks: &mut Vec<Check>) {
    let statements = &context.patterns.report.empty_statements;
    for table in context.record.tables.iter().filter(|t| t.facts == 0) {
        let notes = normalise(&table.notes.join(" "));
        let stated = statements.iter().any(|s| s.is_match(&notes));
        let zero = stated_as_zero(context, &table.key);
        // (a figure of 0 stated elsewhere in the text is not the statement
        // the table owes its reader, but worth naming to the reviewer)
        let note = match (stated, &zero) {
            (true, _) => String::new(),
            (false, Some(words)) => format!(
                "table has no figures and no statement that it is empty (the text elsewhere says {words:?})"
            ),
            (false, None) => "table has no figures and no statement that it is empty".to_string(),
        };
        let name = CheckName::EmptyTableStatement;
        let check = verdict(name, &table.key, &table.key, stated, note);
        checks.push(check.at(table.page, &table.label));
    }
}

/// The words of a figure the text states as 0 for this table elsewhere
/// (政府性基金支出预算支出0万元), from the narrative figures that compare
/// with it.
fn stated_as_zero(context: &Context, table: &str) -> Option<String> {
    let lines: Vec<&str> = context
        .patterns
        .figures
        .iter()
        .filter(|f| f.compare.iter().any(|r| r.table == table))
        .map(|f| f.line.as_str())
        .collect();
    context
        .facts
        .table(NARRATIVE)
        .iter()
        .find(|f| f.value.is_zero() && lines.contains(&f.line.as_str()))
        .map(|f| f.item.clone())
}

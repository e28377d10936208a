//! `table_present`: every table of the report's template
//! (`patterns/templates.toml`: the national 决算 and 预算 sets, the Jiangsu
//! 2017–2019 budget set) is in the report. A file with no disclosure table
//! at all (narrative only) or of an unknown report kind is `skipped`. Where
//! the report prints a table of contents, what it must contain is what the
//! contents list: a template table the contents do not list, and the report
//! does not print, is `skipped` (its figures may be printed in other tables,
//! as 深圳 prints the 基本支出 in 表4 and 表8); one they list and the report
//! does not print fails.

use crate::check::compare::{skipped, verdict};
use crate::check::Context;
use crate::model::{Check, CheckName};

const NAME: CheckName = CheckName::TablePresent;

pub fn run(context: &Context, checks: &mut Vec<Check>) {
    let record = context.record;
    if record.tables.is_empty() {
        let note = "no disclosure tables in this file (narrative only)";
        checks.push(skipped(NAME, "", "", note));
        return;
    }
    let Some(kind) = record.report else {
        checks.push(skipped(
            NAME,
            "",
            "",
            "report kind (决算/预算) not recognised",
        ));
        return;
    };
    let found: Vec<&str> = record.tables.iter().map(|t| t.key.as_str()).collect();
    let Some(template) = context.patterns.template_for(kind, &found) else {
        checks.push(skipped(NAME, "", "", "no template for this report kind"));
        return;
    };
    let listed = &record.tables_listed;
    for table in &template.tables {
        let present = found.contains(&table.as_str());
        if !present && !listed.is_empty() && !listed.contains(table) {
            // the report's contents do not list it: judged by what it lists
            let note = format!(
                "not listed in the report's table of contents ({} tables listed), not printed",
                listed.len()
            );
            checks.push(skipped(NAME, table, table, &note));
            continue;
        }
        let note = if present {
            String::new()
        } else if listed.contains(table) {
            format!(
                "listed in the report's table of contents and required by the {} template, not found in the report",
                template.name
            )
        } else {
            format!(
                "required by the {} template, not found in the report",
                template.name
            )
        };
        let found = record.tables.iter().find(|t| &t.key == table);
        let (page, label) = found.map_or((None, ""), |t| (t.page, t.label.as_str()));
        checks.push(verdict(NAME, table, table, present, note).at(page, label));
    }
}

//! Check: the accounting identities a report promises, evaluated on its
//! facts, one [`Check`] row each (written to `checks.csv`).
//!
//! | check | what must hold | defined in |
//! |---|---|---|
//! | `code_hierarchy` | a 类 equals the sum of its 款, a 款 the sum of its 项, per column (only codes the report prints) | code lengths 3/5/7 |
//! | `total_row` | a coded table's 合计 row equals the sum of its 类 rows, per column | |
//! | `row_identity` | in every row, a total column equals the sum of its part columns | `[[row_identities]]` of each table |
//! | `line_sum`, `summary_balance` | a named line equals the sum of other lines (本年收入合计, 总计, 收入总计 = 支出总计) | `[[line_sums]]`, `whole_amount_columns` |
//! | `code_sum` | a named line equals the sum of class rows (人员经费 = 301 + 303) | `[[code_sums]]` |
//! | `cross_table` | the same figure printed in two tables | `patterns/checks.toml` |
//! | `narrative` | a figure stated in the text equals the table figure | `patterns/narrative.toml` |
//! | `narrative_comparison` | a sentence comparing two amounts in words says what they say | `patterns/narrative.toml` |
//! | `table_present` | every table of the report's template is present | `patterns/templates.toml` |
//! | `empty_table_statement` | a table without data says it is empty | `empty_statements` |
//! | `placeholder` | no template placeholder (XX局, XXXX年) is left | `placeholders` |
//! | `year_agreement`, `department_agreement` | each table states the report's year and department | |
//!
//! Each rule is a file of [`rules`], with its tests; [`rules::ALL`] is the
//! one list that `extract` and `gongkai check` run, in the order their rows
//! are written.
//!
//! Amounts are compared in yuan, so tables in different units compare
//! correctly. The tolerance is the rounding the report admits (尾数误差): one
//! unit of the last printed digit for each summed term (at least one). A
//! difference within it passes, with a note saying so; `expected`,
//! `actual`, `diff` and `tolerance` are written in the unit of the figures
//! when they share one, else in yuan. A check whose figures are missing
//! (a table absent from the report) is `skipped` with the reason.

pub mod compare;
mod context;
pub mod rules;

pub use context::{Context, FactIndex};

use crate::model::{Check, CheckName, DocumentRecord};
use crate::patterns::Patterns;
use rules::{Input, Rule};

/// Evaluate every rule on a document's facts and tables.
pub fn check(record: &DocumentRecord, patterns: &Patterns) -> Vec<Check> {
    steps(record, patterns, |_| true)
        .into_iter()
        .filter_map(|step| match step {
            Step::Checked(check) => Some(check),
            Step::NotRun(_) => None,
        })
        .collect()
}

/// One place in the order of a document's checks: a check evaluated, or a
/// rule the caller chose not to run (`gongkai check` puts the rows kept
/// from the earlier run there).
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Checked(Check),
    NotRun(CheckName),
}

/// Run the rules `wanted` picks, in the order of [`rules::ALL`]: every
/// rule's table part table by table, then every document part, then every
/// found-table part table by table. A rule not wanted leaves one
/// [`Step::NotRun`] where its rows would be (one per place, not per table).
pub fn steps(
    record: &DocumentRecord,
    patterns: &Patterns,
    wanted: impl Fn(&Rule) -> bool,
) -> Vec<Step> {
    let context = Context::new(record, patterns);
    let mut steps = Vec::new();
    for table in &patterns.tables {
        let facts = context.facts.table(&table.key);
        if facts.is_empty() {
            continue;
        }
        for rule in rules::ALL {
            if let Some(run) = rule.table {
                let mut checks = Vec::new();
                if wanted(rule) {
                    run(&context, table, facts, &mut checks);
                }
                push(&mut steps, rule, wanted(rule), checks);
            }
        }
    }
    for rule in rules::ALL {
        if let Some(run) = rule.document {
            let mut checks = Vec::new();
            if wanted(rule) {
                run(&context, &mut checks);
            }
            push(&mut steps, rule, wanted(rule), checks);
        }
    }
    let found_table_rules = rules::ALL.iter().filter(|r| r.found_table.is_some());
    for rule in found_table_rules.clone().filter(|r| !wanted(r)) {
        steps.push(Step::NotRun(rule.name));
    }
    for table in &record.tables {
        for rule in found_table_rules.clone().filter(|r| wanted(r)) {
            let mut checks = Vec::new();
            if let Some(run) = rule.found_table {
                run(&context, table, &mut checks);
            }
            push(&mut steps, rule, true, checks);
        }
    }
    steps
}

fn push(steps: &mut Vec<Step>, rule: &Rule, ran: bool, checks: Vec<Check>) {
    if ran {
        steps.extend(checks.into_iter().map(Step::Checked));
    } else {
        steps.push(Step::NotRun(rule.name));
    }
}

/// The rules `gongkai check` re-evaluates from an output folder.
pub fn reads_facts_only(rule: &Rule) -> bool {
    rule.input == Input::Facts
}

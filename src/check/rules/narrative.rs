//! `narrative`: a figure stated in the text (收入总计472.39万元, 三公经费
//! 支出…) equals the table figure it names, as `patterns/narrative.toml`
//! defines. A zero stated for a cell the table leaves empty passes; a
//! figure whose table does not print it is `skipped`.

use crate::check::compare::{compare, describe, skipped, verdict};
use crate::check::Context;
use crate::model::{Check, CheckName, CheckStatus, Fact, NARRATIVE};
use crate::patterns::{Figure, RefDef};

pub fn run(context: &Context, checks: &mut Vec<Check>) {
    let stated = context.facts.table(NARRATIVE);
    for figure in context
        .patterns
        .figures
        .iter()
        .filter(|f| !f.compare.is_empty())
    {
        let Some(fact) = stated.iter().find(|f| f.line == figure.line) else {
            continue;
        };
        for reference in &figure.compare {
            checks.push(against_table(context, figure, reference, fact));
        }
    }
}

fn against_table(context: &Context, figure: &Figure, reference: &RefDef, fact: &Fact) -> Check {
    let key = match (figure.compare.len(), &reference.line) {
        (1, _) | (_, None) => figure.line.clone(),
        (_, Some(line)) => format!("{}:{}.{}", figure.line, reference.table, line),
    };
    let table_figures = context.resolve(reference);
    match table_figures.first() {
        Some(table_figure) => {
            let mut check = compare(CheckName::Narrative, NARRATIVE, &key, fact, &[table_figure]);
            if check.status == CheckStatus::Fail {
                check.note = format!(
                    "the text says {:?}; {} prints {}",
                    fact.item,
                    describe(table_figure),
                    table_figure.value
                );
            }
            check
        }
        None if fact.value.is_zero() && context.has_table(&reference.table) => {
            let note = format!(
                "the text says {:?}; the table leaves the cell empty",
                fact.item
            );
            verdict(CheckName::Narrative, NARRATIVE, &key, true, note).at(fact.page, "")
        }
        None => {
            let note = format!(
                "the text says {:?}; table {} has no such figure",
                fact.item, reference.table
            );
            skipped(CheckName::Narrative, NARRATIVE, &key, note).at(fact.page, "")
        }
    }
}

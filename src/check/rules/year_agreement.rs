//! `year_agreement`: every year the text states (2023年度部门决算, 截至
//! 2023年12月31日, each with the offset its wording implies) and every
//! table's own 年度 agree with the report's year — the year of its title
//! lines, else the year detected. Needs the text.

use crate::check::compare::verdict;
use crate::check::Context;
use crate::model::{Check, CheckName, FoundTable, ReportKind, NARRATIVE};
use rust_decimal::Decimal;

const NAME: CheckName = CheckName::YearAgreement;

/// The years stated in the text.
pub fn run(context: &Context, checks: &mut Vec<Check>) {
    let record = context.record;
    let Some(year) = record.cover_year.or(record.year) else {
        return;
    };
    let applies = |kind: Option<ReportKind>| kind.is_none() || kind == record.report;
    for mention in record.year_mentions.iter().filter(|m| applies(m.kind)) {
        let expected = i32::from(year) + mention.offset;
        let agrees = i32::from(mention.year) == expected;
        let note = if agrees {
            String::new()
        } else {
            let place = mention
                .page
                .map(|p| format!("page {p}: "))
                .unwrap_or_default();
            format!(
                "{place}the text says {:?}, expected {expected}",
                mention.text
            )
        };
        let mut check = verdict(NAME, NARRATIVE, &mention.text, agrees, note).at(mention.page, "");
        check.expected = Some(Decimal::from(expected));
        check.actual = Some(Decimal::from(mention.year));
        checks.push(check);
    }
}

/// The year a table's own header states.
pub fn run_on_table(context: &Context, table: &FoundTable, checks: &mut Vec<Check>) {
    let record = context.record;
    let (Some(stated), Some(year)) = (table.year, record.cover_year.or(record.year)) else {
        return;
    };
    let note = if stated == year {
        String::new()
    } else {
        format!("table states {stated}, the report {year}")
    };
    let check = verdict(NAME, &table.key, &table.key, stated == year, note);
    checks.push(check.at(table.page, &table.label));
}

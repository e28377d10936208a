//! Comparisons as rows: `reconciliation.csv`, and the cross-report
//! findings of those that differ.

use super::compare::{bodies, compare, Body, Comparison, Status};
use super::copies;
use super::figures::{Batch, Printed};
use crate::model::{Severity, Unit};
use crate::patterns::{ReconcileRule, Relation};
use crate::write::{FindingRow, ReconciliationRow};
use rust_decimal::Decimal;

/// Cross-report findings are named `across_reports:<rule>`.
pub const FINDING_PREFIX: &str = "across_reports:";

/// The rows of a batch's reconciliation.
#[derive(Debug, Default, Clone)]
pub struct Reconciliation {
    pub rows: Vec<ReconciliationRow>,
    /// One per comparison that differs, on the report whose figure is judged.
    pub findings: Vec<FindingRow>,
}

/// Compare the batch's reports under the rules.
pub fn reconcile(batch: &Batch, rules: &[ReconcileRule]) -> Reconciliation {
    let bodies = bodies(&batch.reports);
    let rivals = copies::rivals(batch, &bodies, rules);
    let mut reconciliation = Reconciliation::default();
    for comparison in compare(batch, rules) {
        let rule = &rules[comparison.rule];
        let mut row = row_of(batch, &bodies, rule, &comparison);
        for rival in copies::of_comparison(&rivals, &comparison) {
            let note = copies::note(batch, rival);
            row.note = match row.note.is_empty() {
                true => note,
                false => format!("{}; {note}", row.note),
            };
        }
        if comparison.status == Status::Differs {
            reconciliation
                .findings
                .push(finding_of(batch, &bodies, rule, &comparison, &row));
        }
        reconciliation.rows.push(row);
    }
    reconciliation
        .findings
        .extend(copies::findings(batch, &rivals));
    reconciliation
}

/// The unit every figure compared is printed in, if they share one.
fn shared_unit(comparison: &Comparison) -> Option<Unit> {
    let mut units = comparison
        .actual
        .iter()
        .chain(comparison.expected.as_ref())
        .map(|f| f.unit);
    let first = units.next().flatten()?;
    units.all(|u| u == Some(first)).then_some(first)
}

/// The decimals to show: the most any figure compared prints (2 in yuan
/// when they do not share a unit).
fn scale_of(comparison: &Comparison, unit: Option<Unit>) -> u32 {
    let printed = comparison.actual.iter().chain(comparison.expected.as_ref());
    match unit {
        Some(_) => printed.map(|f| f.value.scale()).max().unwrap_or(2),
        None => 2,
    }
}

fn in_unit(yuan: Decimal, unit: Option<Unit>, scale: u32) -> String {
    let mut value = (yuan / unit.map_or(Decimal::ONE, Unit::factor)).round_dp(scale);
    value.rescale(scale);
    value.to_string()
}

/// A report's fields for one side: the files of the figures, or the
/// body's first file when it prints none of them.
struct SideFields {
    doc_id: String,
    source: String,
    department_key: String,
    table: String,
    column: String,
    page: String,
}

fn side_fields(batch: &Batch, bodies: &[Body], of: &[usize], figures: &[&Printed]) -> SideFields {
    let join = |parts: Vec<String>| parts.join(";");
    let reports: Vec<usize> = if figures.is_empty() {
        of.iter().map(|&b| bodies[b].reports[0]).collect()
    } else {
        figures.iter().map(|f| f.report).collect()
    };
    let first =
        |get: &dyn Fn(&Printed) -> String| figures.first().map(|f| get(f)).unwrap_or_default();
    SideFields {
        doc_id: join(
            reports
                .iter()
                .map(|&r| batch.reports[r].doc_id.clone())
                .collect(),
        ),
        source: join(
            reports
                .iter()
                .map(|&r| batch.reports[r].source.clone())
                .collect(),
        ),
        department_key: join(
            of.iter()
                .map(|&b| bodies[b].department_key.clone())
                .collect(),
        ),
        table: first(&|f| f.table.clone()),
        column: first(&|f| f.column.clone()),
        page: join(
            figures
                .iter()
                .map(|f| f.page.map(|p| p.to_string()).unwrap_or_default())
                .collect(),
        ),
    }
}

fn row_of(
    batch: &Batch,
    bodies: &[Body],
    rule: &ReconcileRule,
    c: &Comparison,
) -> ReconciliationRow {
    let unit = shared_unit(c);
    let scale = scale_of(c, unit);
    let counted = c.expected.is_some() || c.status != Status::MissingCounterpart;
    let expected_figures: Vec<&Printed> = c.expected.iter().collect();
    let actual_figures: Vec<&Printed> = c.actual.iter().collect();
    let e = side_fields(batch, bodies, &[c.expected_body], &expected_figures);
    let a = side_fields(batch, bodies, &c.actual_bodies, &actual_figures);
    let (code, line) = match rule.by {
        crate::patterns::MatchBy::Code => (c.key.clone(), String::new()),
        crate::patterns::MatchBy::Line => match c.key.split_once(':') {
            Some((line, code)) => (code.to_string(), line.to_string()),
            None => (String::new(), c.key.clone()),
        },
    };
    let item = c
        .expected
        .iter()
        .chain(&c.actual)
        .map(|f| f.item.clone())
        .next()
        .unwrap_or_default();
    let expected_body = &bodies[c.expected_body];
    let actual_body = &bodies[c.actual_bodies[0]];
    ReconciliationRow {
        comparison: rule.name.clone(),
        relation: rule.relation.as_str().to_string(),
        status: c.status.as_str().to_string(),
        code,
        line,
        item,
        // a figure not printed shows as a zero only where it is one
        expected: match counted {
            true => in_unit(c.expected_yuan, unit, scale),
            false => String::new(),
        },
        actual: in_unit(c.actual_yuan, unit, scale),
        diff: match counted {
            true => in_unit(c.actual_yuan.saturating_sub(c.expected_yuan), unit, scale),
            false => String::new(),
        },
        tolerance: in_unit(c.tolerance, unit, scale),
        unit: Some(unit.unwrap_or(Unit::Yuan)),
        expected_doc_id: e.doc_id,
        expected_source: e.source,
        expected_department_key: e.department_key,
        expected_entity_level: Some(expected_body.entity_level),
        expected_year: Some(expected_body.year),
        expected_report: Some(expected_body.report),
        expected_table: e.table,
        expected_column: e.column,
        expected_page: e.page,
        actual_doc_id: a.doc_id,
        actual_source: a.source,
        actual_department_key: a.department_key,
        actual_entity_level: Some(actual_body.entity_level),
        actual_year: Some(actual_body.year),
        actual_report: Some(actual_body.report),
        actual_table: a.table,
        actual_column: a.column,
        actual_page: a.page,
        note: c.note.clone(),
    }
}

/// Where the page is: ` (第12页)`, or nothing.
fn page_of(page: &str) -> String {
    if page.is_empty() {
        String::new()
    } else {
        format!("第{page}页")
    }
}

/// A comparison that differs, as a reviewer writes it down: on the report
/// whose figure is judged, naming the other report and its page.
fn finding_of(
    batch: &Batch,
    bodies: &[Body],
    rule: &ReconcileRule,
    c: &Comparison,
    row: &ReconciliationRow,
) -> FindingRow {
    let unit = row.unit.map_or("", Unit::as_str);
    let (here, figure, there_doc, there_page, what) = match rule.relation {
        Relation::Units => (
            &batch.reports[bodies[c.expected_body].reports[0]],
            c.expected.as_ref(),
            row.actual_source.clone(),
            row.actual_page.clone(),
            format!(
                "部门报告所列{}{unit}与所属单位报告合计{}{unit}不一致",
                row.expected, row.actual
            ),
        ),
        Relation::BudgetFinal | Relation::PreviousYear => (
            &batch.reports[c
                .actual
                .first()
                .map_or(bodies[c.actual_bodies[0]].reports[0], |f| f.report)],
            c.actual.first(),
            row.expected_source.clone(),
            row.expected_page.clone(),
            match rule.relation {
                Relation::BudgetFinal => format!(
                    "决算所列预算数{}{unit}与{}年预算报告所列{}{unit}不一致",
                    row.actual,
                    row.expected_year.unwrap_or_default(),
                    row.expected
                ),
                _ => format!(
                    "本报告所列上年数{}{unit}与{}年报告所列{}{unit}不一致",
                    row.actual,
                    row.expected_year.unwrap_or_default(),
                    row.expected
                ),
            },
        ),
    };
    let page = figure.and_then(|f| f.page);
    let section = figure.map(|f| f.table_label.clone()).unwrap_or_default();
    FindingRow {
        doc_id: here.doc_id.clone(),
        source: here.source.clone(),
        finding: format!("{FINDING_PREFIX}{}", rule.name),
        severity: Severity::Error,
        section,
        page,
        excerpt: row.item.clone(),
        expected: format!("{}{unit}", row.expected),
        actual: format!("{}{unit}", row.actual),
        message: format!(
            "{}（{}{}），相差{}{unit}。",
            what,
            there_doc,
            page_of(&there_page),
            row.diff
        ),
    }
}

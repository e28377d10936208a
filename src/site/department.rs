//! A department's page (all reports sharing a `department_key`): its
//! expenditure by functional class (类) across years as a stacked bar
//! chart in 万元 — budget and final accounts side by side where a year has
//! both — its 三公 total across years, its comparisons across reports
//! (`reconciliation.csv`: against its units, its budget, the year before),
//! and links to each report.
//!
//! A year and kind with several reports (the tables and the text published
//! apart) is drawn once, from the report that gives the most class
//! figures. Class figures come from the expenditure table (支出决算表 /
//! 支出预算表: 3-digit codes, column `total`), else from the summary table's
//! expenditure lines; amounts are `value_yuan` in 万元.

use super::chart::{stacked, Bar};
use super::data::{DocumentRow, FactRow, ReconciliationRow};
use super::shell::{kind, kind_key, page, year};
use crate::text::{normalise, strip_ordinals};
use maud::{html, Markup};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

/// One department's reports and their facts.
pub struct Department<'a> {
    pub key: &'a str,
    pub documents: Vec<&'a DocumentRow>,
    pub facts: BTreeMap<&'a str, Vec<&'a FactRow>>,
    /// The comparisons either side of which is this department's.
    pub comparisons: Vec<&'a ReconciliationRow>,
}

fn report_links(doc_ids: &str, sources: &str) -> Markup {
    html! {
        @for (doc_id, source) in doc_ids.split(';').zip(sources.split(';')) {
            a href=(format!("../report/{}", super::report_file(doc_id))) { (source) } " "
        }
    }
}

fn across_reports(department: &Department) -> Markup {
    let shown: Vec<&&ReconciliationRow> = department
        .comparisons
        .iter()
        .filter(|r| r.status != "agrees")
        .collect();
    let agreeing = department.comparisons.len() - shown.len();
    html! {
        h2 { "跨报告核对 Across reports" }
        @if department.comparisons.is_empty() { p { "没有可比的报告 No report to compare with." } }
        @else {
            p { (department.comparisons.len()) " comparisons, " (agreeing) " agree (reconciliation.csv)." }
            @if !shown.is_empty() {
                table.grid {
                    thead { tr { th { "核对 comparison" } th { "科目/行 code, line" } th { "应为 expected" } th { "实为 actual" } th { "差额 diff" } th { "状态 status" } th { "说明 note" } th { "报告 reports" } } }
                    tbody {
                        @for row in &shown {
                            tr.fail {
                                td { (row.comparison) }
                                td { (row.code) " " (row.line) " " (row.item) }
                                td { (row.expected) " " (row.unit.map_or("", |u| u.as_str())) }
                                td { (row.actual) }
                                td { (row.diff) }
                                td { (row.status) }
                                td { (row.note) }
                                td { (report_links(&row.expected_doc_id, &row.expected_source)) "↔ " (report_links(&row.actual_doc_id, &row.actual_source)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn wan(fact: &FactRow) -> Option<Decimal> {
    Decimal::from_str(&fact.value_yuan)
        .ok()
        .map(|y| y / Decimal::from(10_000))
}

/// A class figure: code, name, 万元.
type ClassFigure = (String, String, Decimal);

/// The class figures of one report, in printed order.
fn class_figures(facts: &[&FactRow]) -> Vec<ClassFigure> {
    let of = |table: &str, column: &str| -> Vec<ClassFigure> {
        facts
            .iter()
            .filter(|f| f.table == table && f.column == column && f.code.len() == 3)
            .filter_map(|f| {
                Some((
                    f.code.clone(),
                    strip_ordinals(&normalise(&f.item)).to_string(),
                    wan(f)?,
                ))
            })
            .collect()
    };
    let from_expenditure = of("expenditure", "total");
    if !from_expenditure.is_empty() {
        return from_expenditure;
    }
    of("summary", "amount")
}

fn bars(department: &Department) -> Vec<Bar> {
    // by year, then budget before final (the kinds' keys in order)
    let mut chosen: BTreeMap<(String, &str, &str), Vec<ClassFigure>> = BTreeMap::new();
    for document in &department.documents {
        let facts = department
            .facts
            .get(document.doc_id.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let figures = class_figures(facts);
        let slot = chosen
            .entry((
                year(document.year),
                kind_key(document.report),
                kind(document.report),
            ))
            .or_default();
        if figures.len() > slot.len() {
            *slot = figures;
        }
    }
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for figures in chosen.values() {
        for (code, name, _) in figures {
            names.entry(code.clone()).or_insert_with(|| name.clone());
        }
    }
    chosen
        .into_iter()
        .filter(|(_, figures)| !figures.is_empty())
        .map(|((year, _, kind), figures)| {
            let mut by_code: BTreeMap<String, Decimal> = BTreeMap::new();
            for (code, _, amount) in figures {
                *by_code.entry(code).or_default() += amount;
            }
            Bar {
                label: format!("{year} {kind}"),
                parts: by_code
                    .into_iter()
                    .map(|(code, v)| (format!("{code} {}", names[&code]), v))
                    .collect(),
            }
        })
        .collect()
}

fn three_public(department: &Department) -> Markup {
    let rows: Vec<(&DocumentRow, Vec<&FactRow>)> = department
        .documents
        .iter()
        .map(|d| {
            let facts = department
                .facts
                .get(d.doc_id.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let total: Vec<&FactRow> = facts
                .iter()
                .copied()
                .filter(|f| f.table == "three_public" && f.line == "total")
                .collect();
            (*d, total)
        })
        .filter(|(_, total)| !total.is_empty())
        .collect();
    html! {
        h2 { "“三公”经费合计 Three public expenses, total" }
        @if rows.is_empty() { p { "没有读到三公经费表 No 三公 table read." } }
        @else {
            table.grid {
                thead { tr { th { "年度" } th { "类型" } th { "数字 figures" } th { "报告 report" } } }
                tbody {
                    @for (document, total) in &rows {
                        tr {
                            td { (year(document.year)) }
                            td { (kind(document.report)) }
                            td { @for f in total { span.figure { (if f.column_label.is_empty() { &f.column } else { &f.column_label }) ": " (f.value) " " (f.unit.map_or("", |u| u.as_str())) } " " } }
                            td { a href=(format!("../report/{}", super::report_file(&document.doc_id))) { (document.source) } }
                        }
                    }
                }
            }
        }
    }
}

/// The department page.
pub fn render(department: &Department) -> Markup {
    let name = department
        .documents
        .first()
        .map(|d| d.department.as_str())
        .unwrap_or(department.key);
    let bars = bars(department);
    let body = html! {
        p.key { "department_key: " code { (department.key) } }
        h2 { "按支出功能分类 Expenditure by functional class (万元)" }
        @if bars.is_empty() { p { "没有读到按类的支出 No class figures read." } }
        @else { (stacked("支出功能分类（类）合计，万元", &bars, "万元")) }
        (three_public(department))
        (across_reports(department))
        h2 { "报告 Reports" }
        ul {
            @for document in &department.documents {
                li {
                    a href=(format!("../report/{}", super::report_file(&document.doc_id))) {
                        (year(document.year)) " " (kind(document.report)) " — " (document.source)
                    }
                    " (" (document.status.as_str()) ")"
                }
            }
        }
    };
    page(&format!("{name} 部门"), "../", body)
}

//! The index: every document of the run in one table — status, department,
//! year, report kind, level, region, tables found, facts, failed checks and
//! findings — with the counts at the top (documents by status, reports with
//! findings), filters by status, province, year and kind, and every column
//! sortable (`assets/site.js`; the rows carry their values as `data-*`).

use super::data::{DocumentRow, Run};
use super::shell::{kind, page};
use maud::{html, Markup};
use std::collections::{BTreeMap, BTreeSet};

fn region(document: &DocumentRow) -> String {
    [&document.province, &document.prefecture, &document.county]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn count_tables(found: &str) -> usize {
    found.split(';').filter(|t| !t.is_empty()).count()
}

fn counts(run: &Run, findings: &BTreeMap<&str, usize>) -> Markup {
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for document in &run.documents {
        *by_status.entry(document.status.as_str()).or_default() += 1;
    }
    let with_findings = run
        .documents
        .iter()
        .filter(|d| findings.get(d.doc_id.as_str()).copied().unwrap_or(0) > 0)
        .count();
    let with_failures = run
        .documents
        .iter()
        .filter(|d| d.checks_failed.parse::<usize>().unwrap_or(0) > 0)
        .count();
    html! {
        ul.counts {
            li { strong { (run.documents.len()) } " 份文件 documents" }
            @for (status, n) in &by_status {
                li.(format!("status-{status}")) { strong { (n) } " " (status) }
            }
            li { strong { (with_failures) } " 份有未通过的校验 with failed checks" }
            li { strong { (with_findings) } " 份有审查发现 with findings" }
        }
    }
}

fn filter(name: &str, label: &str, values: &BTreeSet<String>) -> Markup {
    html! {
        label {
            (label) " "
            select data-filter=(name) {
                option value="" { "全部 all" }
                @for value in values {
                    option value=(value) { (kind(value)) }
                }
            }
        }
    }
}

fn filters(run: &Run) -> Markup {
    let values = |f: fn(&DocumentRow) -> &str| -> BTreeSet<String> {
        run.documents.iter().map(|d| f(d).to_string()).collect()
    };
    html! {
        form.filters {
            (filter("status", "状态 status", &values(|d| &d.status)))
            (filter("province", "省份 province", &values(|d| &d.province)))
            (filter("year", "年度 year", &values(|d| &d.year)))
            (filter("report", "类型 kind", &values(|d| &d.report)))
            span.shown {}
        }
    }
}

const HEADERS: [(&str, &str); 11] = [
    ("status", "状态"),
    ("department", "部门 department"),
    ("year", "年度"),
    ("report", "类型"),
    ("level", "级次 level"),
    ("region", "地区 region"),
    ("tables", "表 tables"),
    ("facts", "数据 facts"),
    ("failed", "未通过 failed"),
    ("findings", "发现 findings"),
    ("source", "文件 source"),
];

fn row(document: &DocumentRow, findings: usize) -> Markup {
    html! {
        tr.(format!("status-{}", document.status))
            data-status=(document.status) data-province=(document.province)
            data-year=(document.year) data-report=(document.report) {
            td data-value=(document.status) { (document.status) }
            td data-value=(document.department) {
                @if document.department_key.is_empty() {
                    (document.department)
                } @else {
                    a href=(format!("department/{}", super::department_file(&document.department_key))) { (document.department) }
                }
            }
            td data-value=(document.year) { (document.year) }
            td data-value=(document.report) { (kind(&document.report)) }
            td data-value=(document.entity_level) { (document.entity_level) " " (document.admin_level) }
            td data-value=(region(document)) { (region(document)) }
            td.n data-value=(count_tables(&document.tables_found)) { (count_tables(&document.tables_found)) }
            td.n data-value=(document.facts) { (document.facts) }
            td.n.bad[document.checks_failed.parse::<usize>().unwrap_or(0) > 0] data-value=(document.checks_failed) { (document.checks_failed) }
            td.n.bad[findings > 0] data-value=(findings) { (findings) }
            td data-value=(document.source) {
                a href=(format!("report/{}", super::report_file(&document.doc_id))) { (document.source) }
                @if !document.reason.is_empty() { div.reason { (document.reason) } }
            }
        }
    }
}

/// The index page.
pub fn render(run: &Run) -> Markup {
    let mut findings: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in &run.findings {
        *findings.entry(finding.doc_id.as_str()).or_default() += 1;
    }
    let body = html! {
        (counts(run, &findings))
        (filters(run))
        table.sortable id="documents" {
            thead {
                tr {
                    @for (key, header) in HEADERS {
                        th data-key=(key) tabindex="0" { (header) }
                    }
                }
            }
            tbody {
                @for document in &run.documents {
                    (row(document, findings.get(document.doc_id.as_str()).copied().unwrap_or(0)))
                }
            }
        }
    };
    page("公开报告 Reports", "", body)
}

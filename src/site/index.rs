//! The index: every document of the run in one table — status, department,
//! year, report kind, level, region, tables found, facts, failed checks and
//! findings — with the counts at the top (documents by status, reports with
//! findings), filters by status, province, year and kind, and every column
//! sortable (`assets/site.js`; the rows carry their values as `data-*`).

use super::data::{DocumentRow, Run};
use super::shell::{kind, kind_key, page, year};
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
    let with_failures = run.documents.iter().filter(|d| d.checks_failed > 0).count();
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

/// A filter's select: each value with the words shown for it.
fn filter(name: &str, label: &str, values: &BTreeSet<(String, String)>) -> Markup {
    html! {
        label {
            (label) " "
            select data-filter=(name) {
                option value="" { "全部 all" }
                @for (value, shown) in values {
                    option value=(value) { (shown) }
                }
            }
        }
    }
}

fn filters(run: &Run) -> Markup {
    let values = |f: &dyn Fn(&DocumentRow) -> (String, String)| -> BTreeSet<(String, String)> {
        run.documents.iter().map(f).collect()
    };
    let same = |text: &str| (text.to_string(), text.to_string());
    html! {
        form.filters {
            (filter("status", "状态 status", &values(&|d| same(d.status.as_str()))))
            (filter("province", "省份 province", &values(&|d| same(&d.province))))
            (filter("year", "年度 year", &values(&|d| same(&year(d.year)))))
            (filter("report", "类型 kind", &values(&|d| (kind_key(d.report).to_string(), kind(d.report).to_string()))))
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
    let status = document.status.as_str();
    let entity_level = document.entity_level.map_or("", |l| l.as_str());
    let level = [
        entity_level,
        document.admin_level.map_or("", |l| l.as_str()),
    ]
    .join(" ");
    let tables = document.tables().count();
    html! {
        tr.(format!("status-{status}"))
            data-status=(status) data-province=(document.province)
            data-year=(year(document.year)) data-report=(kind_key(document.report)) {
            td data-value=(status) { (status) }
            td data-value=(document.department) {
                @if document.department_key.is_empty() {
                    (document.department)
                } @else {
                    a href=(format!("department/{}", super::department_file(&document.department_key))) { (document.department) }
                }
            }
            td data-value=(year(document.year)) { (year(document.year)) }
            td data-value=(kind_key(document.report)) { (kind(document.report)) }
            td data-value=(entity_level) { (level) }
            td data-value=(region(document)) { (region(document)) }
            td.n data-value=(tables) { (tables) }
            td.n data-value=(document.facts) { (document.facts) }
            td.n.bad[document.checks_failed > 0] data-value=(document.checks_failed) { (document.checks_failed) }
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

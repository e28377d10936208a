//! The overview: reports per province and year (a table and a bar chart),
//! the share of reports with failed checks, and the most frequent findings.

use super::chart::counts;
use super::data::Run;
use super::shell::{page, year};
use maud::{html, Markup};
use std::collections::{BTreeMap, BTreeSet};

fn per_province_year(run: &Run) -> Markup {
    let mut table: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    let mut years: BTreeSet<String> = BTreeSet::new();
    for document in &run.documents {
        let province = if document.province.is_empty() {
            "（未知）"
        } else {
            document.province.as_str()
        };
        *table
            .entry(province)
            .or_default()
            .entry(year(document.year))
            .or_default() += 1;
        years.insert(year(document.year));
    }
    let bars: Vec<(String, usize)> = table
        .iter()
        .flat_map(|(p, by_year)| by_year.iter().map(move |(y, n)| (format!("{p} {y}"), *n)))
        .collect();
    html! {
        h2 { "各省各年度报告数 Reports per province and year" }
        table.grid id="per-province" {
            thead { tr { th { "省份" } @for y in &years { th { (y) } } th { "合计" } } }
            tbody {
                @for (province, by_year) in &table {
                    tr {
                        td { (province) }
                        @for y in &years { td.n { (by_year.get(y).copied().unwrap_or(0)) } }
                        td.n { (by_year.values().sum::<usize>()) }
                    }
                }
            }
        }
        (counts("各省各年度报告数", &bars))
    }
}

fn failure_share(run: &Run) -> Markup {
    let total = run.documents.len();
    let failed = run.documents.iter().filter(|d| d.checks_failed > 0).count();
    let percent = if total == 0 {
        0.0
    } else {
        100.0 * failed as f64 / total as f64
    };
    html! {
        h2 { "校验未通过的报告 Reports with failed checks" }
        p id="failed-share" { strong { (failed) " / " (total) } " (" (format!("{percent:.1}")) " %)" }
    }
}

fn frequent_findings(run: &Run) -> Markup {
    let mut by_kind: BTreeMap<&str, (usize, BTreeSet<&str>, &str)> = BTreeMap::new();
    for finding in &run.findings {
        let entry = by_kind.entry(finding.finding.as_str()).or_insert((
            0,
            BTreeSet::new(),
            finding.message.as_str(),
        ));
        entry.0 += 1;
        entry.1.insert(finding.doc_id.as_str());
    }
    let mut list: Vec<_> = by_kind.into_iter().collect();
    list.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    html! {
        h2 { "最常见的审查发现 Most frequent findings" }
        table.grid id="findings" {
            thead { tr { th { "发现 finding" } th { "次数 times" } th { "报告 reports" } th { "例 example" } } }
            tbody {
                @for (name, (n, docs, example)) in list.iter().take(20) {
                    tr { td { (name) } td.n { (n) } td.n { (docs.len()) } td { (example) } }
                }
            }
        }
    }
}

/// The overview page.
pub fn render(run: &Run) -> Markup {
    let body = html! {
        (per_province_year(run))
        (failure_share(run))
        (frequent_findings(run))
    };
    page("概览 Overview", "", body)
}

//! A report's page: what it is (department, year, kind, status, source),
//! its findings in section order, each linking to its table or page, then
//! its tables in printed order — each a grid of the cells that gave facts,
//! the cells of failed checks marked (the check's message on hover and in a
//! list below the table), the printed page beside it as an image when the
//! site has one, else a link to the source at `#page=N`. A table the report
//! prints without figures, and checks that name no cell, are listed with
//! their messages.

use super::data::{CheckRow, DocumentRow, FactRow, FindingRow};
use super::grid::{grids, message, place_failures, Grid, GridRow};
use super::shell::{kind, page, year};
use super::Context;
use crate::model::CheckStatus;
use maud::{html, Markup};

/// Everything one report page shows.
pub struct Report<'a> {
    pub document: &'a DocumentRow,
    pub facts: Vec<&'a FactRow>,
    pub checks: Vec<&'a CheckRow>,
    pub findings: Vec<&'a FindingRow>,
}

fn anchor(index: usize) -> String {
    format!("table-{}", index + 1)
}

fn header(document: &DocumentRow, context: &Context) -> Markup {
    html! {
        dl.about {
            dt { "部门 Department" } dd {
                @if document.department_key.is_empty() { (document.department) }
                @else { a href=(format!("../department/{}", super::department_file(&document.department_key))) { (document.department) } }
            }
            dt { "年度 Year" } dd { (year(document.year)) }
            dt { "类型 Kind" } dd { (kind(document.report)) }
            dt { "状态 Status" } dd.(format!("status-{}", document.status.as_str())) { (document.status.as_str()) @if !document.reason.is_empty() { " — " (document.reason) } }
            dt { "文件 Source" } dd { (context.source_link(&document.source, None, &document.source)) }
            dt { "数据 Facts" } dd { (document.facts) " · 未通过的校验 failed checks " (document.checks_failed) }
        }
    }
}

/// The table (its anchor) a finding on `page` belongs to: the first grid
/// printed on that page.
fn table_on_page(grids: &[Grid], page: Option<u32>) -> Option<usize> {
    let page = page?;
    grids.iter().position(|g| g.pages.contains(&page))
}

fn findings(report: &Report, grids: &[Grid], context: &Context) -> Markup {
    html! {
        section.findings {
            h2 { "审查发现 Findings (" (report.findings.len()) ")" }
            @if report.findings.is_empty() { p { "无 None." } }
            ol {
                @for finding in &report.findings {
                    li.(format!("severity-{}", finding.severity.as_str())) {
                        span.section { (finding.section) }
                        " " (finding.message) " "
                        @if let (Some(index), Some(page)) = (table_on_page(grids, finding.page), finding.page) {
                            a href=(format!("#{}", anchor(index))) { "第" (page) "页 p. " (page) }
                        } @else if let Some(page) = finding.page {
                            (context.source_link(&report.document.source, Some(page), &format!("第{page}页 p. {page}")))
                        }
                    }
                }
            }
        }
    }
}

fn cell_markup(row: &GridRow, column: &str) -> Markup {
    let Some(cell) = row.cells.get(column) else {
        return html! { td {} };
    };
    let failed = !cell.failures.is_empty();
    let title = cell.failures.join("\n");
    let mut class = String::from("n");
    if failed {
        class.push_str(" fail");
    }
    if !matches!(cell.ocr_check.as_str(), "" | "confirmed") {
        class.push_str(&format!(" ocr-{}", cell.ocr_check));
    }
    html! {
        td class=(class) title=[(failed).then_some(title)] { (cell.value) }
    }
}

fn grid_markup(grid: &Grid) -> Markup {
    html! {
        table.grid {
            thead { tr {
                th { "行 row" } th { "编码 code" } th { "项目 item" }
                @for (_, header) in &grid.columns { th { (header) } }
            } }
            tbody {
                @for row in &grid.rows {
                    tr {
                        td.key { (row.key) }
                        td.code { (row.code) }
                        td.label { (row.label) }
                        @for (column, _) in &grid.columns { (cell_markup(row, column)) }
                    }
                }
            }
        }
    }
}

fn failure_list(checks: &[String]) -> Markup {
    html! {
        @if !checks.is_empty() {
            ul.failures { @for text in checks { li { (text) } } }
        }
    }
}

fn table_section(
    index: usize,
    grid: &Grid,
    extra: &[&CheckRow],
    report: &Report,
    context: &Context,
) -> Markup {
    let mut texts: Vec<String> = grid
        .rows
        .iter()
        .flat_map(|r| r.cells.values())
        .flat_map(|c| c.failures.iter().cloned())
        .collect();
    texts.extend(extra.iter().map(|c| message(c)));
    // A check marking several cells is listed once, where it first appears.
    let mut seen = std::collections::BTreeSet::new();
    texts.retain(|t| seen.insert(t.clone()));
    let title = match (grid.table.as_str(), grid.label.as_str()) {
        ("narrative", "") => "正文中的数字 Figures in the text".to_string(),
        ("narrative", section) => format!("正文中的数字 Figures in the text — {section}"),
        _ => grid.label.clone(),
    };
    html! {
        section.table.fail[!texts.is_empty()] id=(anchor(index)) {
            h2 { (title) " " small { (grid.table_no) " · " (grid.table) " · " (grid.unit) } }
            div.side {
                div.read { (grid_markup(grid)) (failure_list(&texts)) }
                @if grid.table != "narrative" {
                    div.printed { @for page in &grid.pages { (context.page_view(report.document, *page)) } }
                }
            }
        }
    }
}

/// Sections for the tables a check names but the report gave no facts
/// for (a table printed empty), and for checks naming no table at all.
fn other_checks(
    unplaced: &[&CheckRow],
    grids: &[Grid],
    report: &Report,
    context: &Context,
) -> Markup {
    let mut tables: Vec<(&str, &str, Option<u32>, Vec<&CheckRow>)> = Vec::new();
    for check in unplaced
        .iter()
        .filter(|c| !grids.iter().any(|g| g.table == c.table))
    {
        match tables.iter_mut().find(|t| t.0 == check.table) {
            Some(entry) => entry.3.push(check),
            None => tables.push((&check.table, &check.table_label, check.page, vec![check])),
        }
    }
    html! {
        @for (table, label, page, checks) in &tables {
            section.table.fail.empty id=(format!("check-{}", if table.is_empty() { "report" } else { table })) {
                h2 { @if label.is_empty() { "其他校验 Other checks" } @else { (label) } " " small { (table) } }
                div.side {
                    div.read {
                        @if !table.is_empty() { p { "没有读到数字 No figures read from this table." } }
                        (failure_list(&checks.iter().map(|c| message(c)).collect::<Vec<_>>()))
                    }
                    @if let Some(page) = page {
                        div.printed { (context.page_view(report.document, *page)) }
                    }
                }
            }
        }
    }
}

/// The report page.
pub fn render(report: &Report, context: &Context) -> Markup {
    let mut grids = grids(&report.facts);
    let failed: Vec<&CheckRow> = report
        .checks
        .iter()
        .copied()
        .filter(|c| c.status == CheckStatus::Fail)
        .collect();
    let unplaced = place_failures(&mut grids, &failed, context.patterns);
    let title = format!(
        "{} {} {}",
        report.document.department,
        year(report.document.year),
        kind(report.document.report)
    );
    let body = html! {
        (header(report.document, context))
        (findings(report, &grids, context))
        @for (index, grid) in grids.iter().enumerate() {
            @let extra: Vec<&CheckRow> = unplaced.iter().copied().filter(|c| c.table == grid.table).collect();
            (table_section(index, grid, &extra, report, context))
        }
        (other_checks(&unplaced, &grids, report, context))
    };
    page(&title, "../", body)
}

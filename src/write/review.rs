//! `review.xlsx`: `findings.csv` laid out per report like a 公开情况检查表
//! (SCHEMA "Findings"). One sheet, 检查表; for each report, a heading row
//! (source, department, year, report kind), then each of its sections in
//! the order it prints them — the tables after the text, under 部门预算表 /
//! 部门决算表 — with 符合要求 是 or 否, and under a 否 each finding: the
//! finding's message, page and quoted text. Findings of a section the
//! report did not head (a failed check on a table) come under that
//! table's title. Reports with no finding are listed with every section 是.
//!
//! Cross-report findings (`across_reports:*`, added once every report is
//! written) come under the report they are on like the others: after them
//! the workbook is written again from `documents.csv` and `findings.csv`
//! ([`rewrite`]).
//!
//! The workbook is written at the end of a run from the rows gathered,
//! with a fixed creation date so that a rerun writes the same bytes;
//! past Excel's 1,048,576 rows the rest are left out with a last row
//! saying so (`findings.csv` has them all).

use super::rows::FINDINGS;
use super::schema::{read_rows, DocumentRow, FindingRow, OutputRow};
use super::{DocumentRows, Sink};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

pub const REVIEW_FILE: &str = "review.xlsx";
const MAX_ROWS: u32 = 1_048_000;

/// One report's lines of the check sheet.
struct Report {
    heading: [String; 4],
    sections: Vec<(String, Vec<FindingRow>)>,
}

/// Gathers each report's findings and writes the workbook at the end.
pub struct ReviewSink {
    target: PathBuf,
    reports: Vec<Report>,
}

impl ReviewSink {
    pub fn create(dir: &Path) -> ReviewSink {
        ReviewSink {
            target: dir.join(REVIEW_FILE),
            reports: Vec::new(),
        }
    }
}

fn report_of(rows: &DocumentRows) -> Option<Report> {
    let document: DocumentRow = rows.document_row()?;
    let header = csv::StringRecord::from(FindingRow::header().to_vec());
    let findings: Vec<FindingRow> = rows
        .of(FINDINGS)
        .filter_map(|fields| {
            FindingRow::read(&header, &csv::StringRecord::from(fields.clone())).ok()
        })
        .collect();
    report_from(&document, findings)
}

/// A report's lines: its sections in order, each with its findings; a
/// finding of a section the report did not head comes under its own.
fn report_from(document: &DocumentRow, findings: Vec<FindingRow>) -> Option<Report> {
    let mut sections: Vec<(String, Vec<FindingRow>)> = document
        .sections
        .split(';')
        .filter(|s| !s.is_empty())
        .map(|s| (s.to_string(), Vec::new()))
        .collect();
    for finding in findings {
        match sections
            .iter_mut()
            .find(|(name, _)| *name == finding.section)
        {
            Some((_, list)) => list.push(finding),
            None => sections.push((finding.section.clone(), vec![finding])),
        }
    }
    if sections.is_empty() {
        return None;
    }
    let heading = [
        document.source.clone(),
        document.department.clone(),
        document.year.map(|y| y.to_string()).unwrap_or_default(),
        document
            .report
            .map(|r| r.as_str().to_string())
            .unwrap_or_default(),
    ];
    Some(Report { heading, sections })
}

/// The workbook written again into `into` from the rows of an output
/// folder — its `documents.csv` and the `findings` given (its own, with
/// the cross-report findings added after the run: `crate::reconcile`) —
/// as the run's sink writes it from the same rows.
pub fn rewrite(documents: &Path, findings: &[FindingRow], into: &Path) -> io::Result<()> {
    let mut by_document: HashMap<&str, Vec<FindingRow>> = HashMap::new();
    for finding in findings {
        by_document
            .entry(finding.doc_id.as_str())
            .or_default()
            .push(finding.clone());
    }
    let reports: Vec<Report> = read_rows::<DocumentRow>(documents)?
        .into_iter()
        .filter_map(|(_, document)| {
            let findings = by_document.remove(document.doc_id.as_str());
            report_from(&document, findings.unwrap_or_default())
        })
        .collect();
    write_workbook(&into.join(REVIEW_FILE), &reports).map_err(io::Error::other)
}

impl Sink for ReviewSink {
    fn document(&mut self, rows: &DocumentRows) -> io::Result<()> {
        self.reports.extend(report_of(rows));
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<Vec<String>> {
        write_workbook(&self.target, &self.reports).map_err(io::Error::other)?;
        Ok(vec![REVIEW_FILE.to_string()])
    }
}

fn write_workbook(path: &Path, reports: &[Report]) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    // a fixed creation date: the same inputs give the same bytes
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet().set_name("检查表")?;
    let header = [
        "报告",
        "部门",
        "年度",
        "类型",
        "部分",
        "符合要求",
        "问题",
        "页码",
        "原文",
    ];
    for (column, title) in header.iter().enumerate() {
        sheet.write_with_format(0, column as u16, *title, &bold)?;
    }
    let mut row: u32 = 1;
    'reports: for report in reports {
        for (column, value) in report.heading.iter().enumerate() {
            sheet.write_with_format(row, column as u16, fit_cell(value), &bold)?;
        }
        row += 1;
        for (section, findings) in &report.sections {
            if row >= MAX_ROWS {
                sheet.write(row, 0, "（行数超过上限，其余见 findings.csv）")?;
                break 'reports;
            }
            sheet.write(row, 4, fit_cell(section))?;
            sheet.write(row, 5, if findings.is_empty() { "是" } else { "否" })?;
            row += 1;
            for finding in findings {
                sheet.write(row, 6, fit_cell(&finding.message))?;
                if let Some(page) = finding.page {
                    sheet.write(row, 7, page)?;
                }
                sheet.write(row, 8, fit_cell(&finding.excerpt))?;
                row += 1;
            }
        }
    }
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(6, 60)?;
    sheet.set_column_width(8, 50)?;
    workbook.save(path)
}

/// Characters an Excel cell holds.
const EXCEL_CELL_CHARS: usize = 32_767;

/// A text cut to what an Excel cell holds, with a mark that it was cut (a
/// row label of 40,000 characters must not lose the workbook, nor the run).
fn fit_cell(text: &str) -> String {
    const MARK: &str = "…（截断，全文见 findings.csv）";
    if text.chars().count() <= EXCEL_CELL_CHARS {
        return text.to_string();
    }
    let keep = EXCEL_CELL_CHARS - MARK.chars().count();
    text.chars().take(keep).chain(MARK.chars()).collect()
}

#[cfg(test)]
mod tests {
    use super::{fit_cell, EXCEL_CELL_CHARS};

    #[test]
    fn a_cell_longer_than_excel_holds_is_cut_with_a_mark() {
        let long = "长".repeat(40_000);
        let cut = fit_cell(&long);
        assert_eq!(cut.chars().count(), EXCEL_CELL_CHARS);
        assert!(cut.ends_with("（截断，全文见 findings.csv）"));
        assert_eq!(fit_cell("一般公共服务支出"), "一般公共服务支出");
    }
}

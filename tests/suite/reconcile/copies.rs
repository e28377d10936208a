//! One report in two files that are not duplicates of each other (a report
//! and its corrected re-publication), and the review workbook of the
//! cross-report findings.
//!
//! `tests/fixtures/reconcile/planted/corrected.txt` is the seed with one
//! figure changed (支出决算表, row 2010350 事业运行, 本年支出合计 228.45 →
//! 238.45; the seed prints 228.45 at samples/…_final.txt line 819): the
//! same body, year, kind and level as the seed, so one report in two files.

use super::*;

/// The seed, its corrected copy and the seed's unit report: the
/// department's figures are taken from the first of its files in the
/// batch's order (the seed: `dawa_2023_department.txt` sorts before
/// `dawa_2023_department_corrected.txt`), so the unit's 228.45 agrees —
/// and the row says that the other file prints 238.45, and one warning on
/// the corrected file names both files.
#[test]
fn two_files_of_one_report_that_differ_are_said_so() {
    let input = batch(&[
        ("dawa_2023_department.txt", &seed_path()),
        (
            "dawa_2023_department_corrected.txt",
            &fixture("planted/corrected.txt"),
        ),
        ("dawa_2023_unit.txt", &fixture("unchanged/unit.txt")),
    ]);
    let out = extract_ok(input.path(), &["--no-parquet"]);
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert!(
        documents.iter().all(|d| d["duplicate_of"].is_empty()),
        "{documents:#?}"
    );

    let rows = reconciliation(out.path());
    assert!(rows.iter().all(|r| r["status"] == "agrees"));
    let noted: Vec<&Row> = rows
        .iter()
        .filter(|r| r["note"].contains("another file"))
        .collect();
    assert_eq!(noted.len(), 1, "{noted:#?}");
    let item = row(&rows, "units_expenditure_total", "2010350", "");
    assert_eq!(
        figures(item),
        ["agrees", "228.45", "228.45", "0.00", "万元"]
    );
    assert_eq!(item["expected_source"], "dawa_2023_department.txt");
    assert_eq!(
        item["note"],
        "another file of the same report, dawa_2023_department_corrected.txt, prints 238.45万元 here: compared with dawa_2023_department.txt's 228.45万元, the first file"
    );

    let findings = cross_findings(out.path());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let fields = [
        "source", "finding", "severity", "section", "excerpt", "expected", "actual", "message",
    ]
    .map(|k| findings[0][k].as_str());
    assert_eq!(
        fields,
        [
            "dawa_2023_department_corrected.txt",
            "across_reports:rival_copies",
            "warning",
            "支出决算表",
            "事业运行",
            "228.45万元",
            "238.45万元",
            "本文件与同一报告的另一文件（dawa_2023_department.txt）所列数字不一致，共1处：支出决算表事业运行本文件为238.45万元，另一文件为228.45万元；跨报告比较采用文件顺序在前的dawa_2023_department.txt。",
        ]
    );
}

/// The workbook's rows as (report, section, verdict, message): each
/// finding row under the section and report above it.
fn workbook_findings(path: &Path) -> Vec<[String; 4]> {
    use calamine::{Data, Reader};
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(path).expect("review.xlsx opens");
    let sheet = workbook
        .worksheet_range("检查表")
        .expect("the 检查表 sheet");
    let text = |cell: Option<&Data>| cell.map(|c| c.to_string()).unwrap_or_default();
    let (mut report, mut section, mut verdict) = (String::new(), String::new(), String::new());
    let mut found = Vec::new();
    for row in sheet.rows().skip(1) {
        if !text(row.first()).is_empty() {
            report = text(row.first());
        } else if !text(row.get(4)).is_empty() {
            section = text(row.get(4));
            verdict = text(row.get(5));
        } else if !text(row.get(6)).is_empty() {
            found.push([
                report.clone(),
                section.clone(),
                verdict.clone(),
                text(row.get(6)),
            ]);
        }
    }
    found
}

/// `review.xlsx` lists the cross-report finding of the planted budget
/// (`budget_final.rs`) under the final accounts' 三公 table with 否, as it
/// lists the findings of single reports; `gongkai reconcile OUT` writes
/// the same workbook again.
#[test]
fn the_review_workbook_lists_the_cross_report_findings() {
    let input = batch(&[
        ("dawa_2023_final.txt", &seed_path()),
        ("dawa_2023_budget.txt", &fixture("planted/budget.txt")),
    ]);
    let out = extract_ok(input.path(), &["--no-parquet"]);
    let workbook = out.path().join("review.xlsx");
    let listed = workbook_findings(&workbook);
    let across: Vec<&[String; 4]> = listed
        .iter()
        .filter(|[_, _, _, message]| message.contains("预算报告所列"))
        .collect();
    assert_eq!(
        across,
        [&[
            "dawa_2023_final.txt".to_string(),
            "财政拨款“三公经费”支出决算明细表".to_string(),
            "否".to_string(),
            "决算所列预算数2.50万元与2023年预算报告所列2.80万元不一致（dawa_2023_budget.txt），相差-0.30万元。".to_string(),
        ]]
    );
    // the findings of single reports are all still there
    let single = read_csv_maps(&out.path().join("findings.csv"))
        .into_iter()
        .filter(|f| !f["finding"].starts_with("across_reports:"))
        .count();
    assert_eq!(listed.len(), single + 1);

    let before = std::fs::read(&workbook).unwrap();
    let again = gongkai(&["reconcile", out.path().to_str().unwrap()]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(std::fs::read(&workbook).unwrap() == before);
}

/// The workbook `gongkai reconcile OUT` writes from `documents.csv` and
/// `findings.csv` is the one the run wrote from its rows, byte for byte,
/// when there is no cross-report finding to add (the unchanged batch).
#[test]
fn the_review_workbook_written_again_is_the_run_s_own() {
    let input = batch(&[
        ("dawa_2023_department.txt", &seed_path()),
        ("dawa_2023_unit.txt", &fixture("unchanged/unit.txt")),
        ("dawa_2023_budget.txt", &fixture("unchanged/budget.txt")),
    ]);
    let out = extract_ok(input.path(), &["--no-parquet"]);
    assert!(cross_findings(out.path()).is_empty());
    let workbook = out.path().join("review.xlsx");
    let written_by_the_run = std::fs::read(&workbook).unwrap();
    assert!(!workbook_findings(&workbook).is_empty());
    let again = gongkai(&["reconcile", out.path().to_str().unwrap()]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(std::fs::read(&workbook).unwrap() == written_by_the_run);
}

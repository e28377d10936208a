//! A body's budget against its final accounts (`budget_final`), on the
//! seed — the 2023 部门决算 of 大洼区智慧城市运行管理中心 — beside a 2023
//! 部门预算 of the same body written in the seed's layout
//! (`tests/fixtures/reconcile/{unchanged,planted}/budget.txt`, made by
//! `scripts/make_reconcile_fixtures.py`).
//!
//! Read in the seed (samples/liaoning_panjin_dawa_smart_city_2023_final.txt):
//! its 财政拨款“三公经费”支出决算明细表 (公开07表, lines 2078–2116,
//! 金额单位：万元) prints 预算数 | 决算数: 合计 2.50 | 0.72, 3、公务用车购置及
//! 运行费 2.50 | 0.72, 其中:（1）公务用车运行维护费 2.50 | 0.72, the other
//! lines empty; its text says 三公 spending 0.72万元，完成预算的28.80%
//! (line 61): 0.72 / 2.50 = 28.8 %. Its items state their 年初预算 only as
//! shares (事业运行（项）228.45万元 … 完成年初预算的75.13%, line 43), never
//! as 年初预算为…万元: `budget_final_items` has no figure of the final to
//! compare, and makes no row.

use super::*;

/// The body's rows of documents.csv by source: (department_key,
/// entity_level, region_code, year, report).
fn identities(out: &Path) -> BTreeMap<String, [String; 5]> {
    read_csv_maps(&out.join("documents.csv"))
        .into_iter()
        .map(|d| {
            let identity = [
                "department_key",
                "entity_level",
                "region_code",
                "year",
                "report",
            ]
            .map(|k| d[k].clone());
            (d["source"].clone(), identity)
        })
        .collect()
}

fn budget_and_final(budget: &str) -> tempfile::TempDir {
    let input = batch(&[
        ("dawa_2023_final.txt", &seed_path()),
        ("dawa_2023_budget.txt", &fixture(budget)),
    ]);
    extract_ok(input.path(), &["--no-parquet"])
}

/// (comparison, line, status, expected, actual, diff, tolerance, note) of
/// the budget_final rows.
fn budget_final_rows(rows: &[Row]) -> Vec<[&str; 8]> {
    rows.iter()
        .filter(|r| r["relation"] == "budget_final")
        .map(|r| {
            [
                "comparison",
                "line",
                "status",
                "expected",
                "actual",
                "diff",
                "tolerance",
                "note",
            ]
            .map(|k| r[k].as_str())
        })
        .collect()
}

const SPENT_OF_2_50: &str = "the final figure 0.72万元 is 28.8% of the budget";

/// The budget written is read as the same body's budget of the same year
/// (gongkai detects it: documents.csv), and every figure the two reports
/// both print agrees: the three 三公 lines the final's 预算数 column
/// prints, each with its final figure quoted as a share of the budget.
#[test]
fn an_unchanged_budget_agrees_with_the_final_accounts() {
    let out = budget_and_final("unchanged/budget.txt");
    let identities = identities(out.path());
    let body = |report: &str| {
        [
            "211104:智慧城市运行管理中心",
            "department",
            "211104",
            "2023",
            report,
        ]
        .map(String::from)
    };
    assert_eq!(identities["dawa_2023_budget.txt"], body("budget"));
    assert_eq!(identities["dawa_2023_final.txt"], body("final"));

    let rows = reconciliation(out.path());
    let agrees = |line| {
        [
            "budget_final_three_public",
            line,
            "agrees",
            "2.50",
            "2.50",
            "0.00",
            "0.02",
            SPENT_OF_2_50,
        ]
    };
    assert_eq!(
        budget_final_rows(&rows),
        vec![
            agrees("total"),
            agrees("vehicle"),
            agrees("vehicle_operation")
        ]
    );
    let total = row(&rows, "budget_final_three_public", "", "total");
    assert_eq!(
        [
            &total["expected_source"],
            &total["expected_report"],
            &total["actual_source"],
            &total["actual_report"],
            &total["expected_column"],
            &total["actual_column"],
        ],
        [
            "dawa_2023_budget.txt",
            "budget",
            "dawa_2023_final.txt",
            "final",
            "budget",
            "budget"
        ]
    );
    assert!(cross_findings(out.path()).is_empty());
}

/// The planted budget prints 三公 合计 2.80 where the final's 预算数 says
/// 2.50: one row differs (diff −0.30, tolerance 0.01 + 0.01), its note
/// quoting the final's 0.72 as 0.72 / 2.80 = 25.71… → 25.7 % of that
/// budget; the other lines still agree. One finding, on the final
/// accounts (whose figure is judged), names the budget report; the pages
/// are empty because text inputs have none.
#[test]
fn a_planted_budget_figure_is_found_once() {
    let out = budget_and_final("planted/budget.txt");
    let rows = reconciliation(out.path());
    let differs: Vec<&Row> = rows.iter().filter(|r| r["status"] != "agrees").collect();
    assert_eq!(differs.len(), 1, "{differs:#?}");
    let agrees = |line| {
        [
            "budget_final_three_public",
            line,
            "agrees",
            "2.50",
            "2.50",
            "0.00",
            "0.02",
            SPENT_OF_2_50,
        ]
    };
    assert_eq!(
        budget_final_rows(&rows),
        vec![
            [
                "budget_final_three_public",
                "total",
                "differs",
                "2.80",
                "2.50",
                "-0.30",
                "0.02",
                "the final figure 0.72万元 is 25.7% of the budget",
            ],
            agrees("vehicle"),
            agrees("vehicle_operation"),
        ]
    );

    let findings = cross_findings(out.path());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = &findings[0];
    let fields = [
        "source", "finding", "severity", "section", "page", "excerpt", "expected", "actual",
    ]
    .map(|k| finding[k].as_str());
    assert_eq!(
        fields,
        [
            "dawa_2023_final.txt",
            "across_reports:budget_final_three_public",
            "error",
            "财政拨款“三公经费”支出决算明细表",
            "",
            "合计",
            "2.80万元",
            "2.50万元",
        ]
    );
    assert_eq!(
        finding["message"],
        "决算所列预算数2.50万元与2023年预算报告所列2.80万元不一致（dawa_2023_budget.txt），相差-0.30万元。"
    );
}

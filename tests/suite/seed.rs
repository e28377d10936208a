//! The seed report (a complete 2023 部门决算 of a Liaoning county-level unit,
//! tab-layout text) against a golden file checked by hand against the source.

use crate::common::*;

#[test]
fn seed_facts_match_the_hand_checked_golden_file() {
    let out = extract_ok(&seed_path(), &[]);
    assert_golden(&out.path().join("facts.csv"), "seed_facts.csv");
}

#[test]
fn seed_document_lists_all_nine_tables_including_the_empty_ones() {
    let out = extract_ok(&seed_path(), &[]);
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_eq!(documents.len(), 1);
    let doc = &documents[0];
    assert_eq!(doc["status"], "ok");
    assert_eq!(doc["department"], "辽宁省盘锦市大洼区智慧城市运行管理中心");
    assert_eq!(doc["year"], "2023");
    assert_eq!(doc["report"], "final");
    assert_eq!(doc["format"], "text");
    assert_eq!(
        doc["tables_found"],
        "summary;income;expenditure;fiscal_summary;gpb_expenditure;gpb_basic;three_public;gov_fund;soe_capital"
    );
    assert_eq!(doc["facts"], "280"); // 190 table figures, 17 narrative figures, 73 of its items, stated changes and shares
    assert_eq!(doc["doc_id"], &doc["sha256"][..16]);
}

/// Spot checks, each read off the printed report by a person.
#[test]
fn seed_spot_values() {
    let out = extract_ok(&seed_path(), &[]);
    let facts = read_csv_maps(&out.path().join("facts.csv"));
    let find = |table: &str, code: &str, line: &str, column: &str| -> Vec<String> {
        facts
            .iter()
            .filter(|f| {
                f["table"] == table
                    && f["code"] == code
                    && f["line"] == line
                    && f["column"] == column
            })
            .map(|f| f["value"].clone())
            .collect()
    };
    // 公开01表 prints 社会保障和就业支出 as 65.27, 公开02表 as 65.28 (a real rounding difference)
    assert_eq!(
        find("summary", "208", "expenditure.function", "amount"),
        ["65.27"]
    );
    assert_eq!(find("income", "208", "", "total"), ["65.28"]);
    assert_eq!(find("expenditure", "", "total", "basic"), ["332.70"]);
    assert_eq!(find("expenditure", "2010399", "", "project"), ["139.69"]);
    assert_eq!(
        find("fiscal_summary", "", "income.gpb", "amount"),
        ["472.39"]
    );
    assert_eq!(find("gpb_expenditure", "2013150", "", "total"), ["0.00"]);
    assert_eq!(find("gpb_basic", "30231", "", "amount"), ["0.72"]);
    assert_eq!(find("gpb_basic", "", "personnel", "amount"), ["328.73"]);
    assert_eq!(find("gpb_basic", "", "public", "amount"), ["3.97"]);
    assert_eq!(find("three_public", "", "total", "budget"), ["2.50"]);
    assert_eq!(
        find("three_public", "", "vehicle_operation", "final"),
        ["0.72"]
    );
    // nothing from the empty 08/09 tables
    assert!(facts
        .iter()
        .all(|f| f["table"] != "gov_fund" && f["table"] != "soe_capital"));
    let yuan: Vec<&str> = facts
        .iter()
        .filter(|f| f["code"] == "2010350" && f["table"] == "income" && f["column"] == "total")
        .map(|f| f["value_yuan"].as_str())
        .collect();
    assert_eq!(yuan, ["2284500.00"]);
}

#[test]
fn wide_tables_hold_one_row_per_printed_row() {
    let out = extract_ok(&seed_path(), &[]);
    let rows = read_csv_maps(&out.path().join("tables").join("expenditure.csv"));
    assert_eq!(rows.len(), 19);
    let total = &rows[0];
    assert_eq!(total["line"], "total");
    assert_eq!(
        (
            total["total"].as_str(),
            total["basic"].as_str(),
            total["project"].as_str()
        ),
        ("472.39", "332.70", "139.69")
    );
    assert_eq!(total["to_superior"], "");
    assert!(!out.path().join("tables").join("gov_fund.csv").exists());
}

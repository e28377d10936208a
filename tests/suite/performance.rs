//! Performance tables of the seed: the unit target table, eight project
//! target tables and one self-evaluation, against hand-checked golden files.

use crate::common::*;
use gongkai::patterns::Patterns;
use gongkai::pipeline::process_bytes;

#[test]
fn seed_indicators_match_the_hand_checked_golden_files() {
    let out = extract_ok(&seed_path(), &[]);
    assert_golden(&out.path().join("indicators.csv"), "seed_indicators.csv");
    assert_golden(
        &out.path().join("indicator_fields.csv"),
        "seed_indicator_fields.csv",
    );
}

#[test]
fn the_unit_table_has_its_four_fund_lines_and_all_indicators() {
    let record = process_bytes(seed_text().as_bytes(), SEED_NAME, &Patterns::builtin());
    let kinds: Vec<&str> = record
        .indicator_tables
        .iter()
        .map(|t| t.kind.as_str())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "project_target").count(), 8);
    assert_eq!(kinds.iter().filter(|k| **k == "self_evaluation").count(), 1);
    let unit = &record.indicator_tables[0];
    assert_eq!(unit.kind, "unit_target");
    let funds: Vec<(&str, &str)> = unit
        .fields
        .iter()
        .filter(|f| f.field == "fund")
        .map(|f| (f.item.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(
        funds,
        [
            ("基本支出公用经费（保运转）", "16.1"),
            ("基本支出人员经费（保工资）", "279.33"),
            ("基本支出人员经费（刚性）", "8.34"),
            ("基本支出人员经费（其他）", "0.29")
        ]
    );
    assert_eq!(unit.indicators.len(), 21);
    let last = unit.indicators.last().unwrap();
    assert_eq!(
        (last.get("level1"), last.get("level2"), last.get("level3")),
        ("可持续性", "体制机制改革", "服务体制改革")
    );
}

#[test]
fn word_values_have_no_operator_and_do_not_shift_the_row() {
    let record = process_bytes(seed_text().as_bytes(), SEED_NAME, &Patterns::builtin());
    let unit = &record.indicator_tables[0];
    let rule = unit
        .indicators
        .iter()
        .find(|i| i.get("level3") == "依法行政能力")
        .unwrap();
    assert_eq!(rule.get("operator"), "");
    assert_eq!(rule.get("value"), "管理规范");
    assert_eq!(rule.get("measure_unit"), "");
    assert_eq!(rule.get("deadline"), "2023年12月");
    assert_eq!(rule.get("level2"), "基础管理");
    assert_eq!(rule.get("level1"), "履职效能"); // carried down from the merged cell
}

#[test]
fn the_self_evaluation_has_its_amounts_scores_and_wrapped_headers() {
    let record = process_bytes(seed_text().as_bytes(), SEED_NAME, &Patterns::builtin());
    let table = record
        .indicator_tables
        .iter()
        .find(|t| t.kind == "self_evaluation")
        .unwrap();
    assert_eq!(table.subject(), "平台专网服务项目");
    let field = |key: &str| {
        table
            .fields
            .iter()
            .find(|f| f.field == key)
            .map(|f| f.value.as_str())
    };
    assert_eq!(field("budget_amount"), Some("130"));
    assert_eq!(field("executed"), Some("0"));
    assert_eq!(field("execution_rate"), Some("0.0%"));
    assert_eq!(field("total_score"), Some("0"));
    assert_eq!(
        field("department"),
        Some("盘锦市大洼区智慧城市运行管理中心-"),
        "not the 主管部门审核意见 line"
    );
    let weights: Vec<&str> = table.indicators.iter().map(|i| i.get("weight")).collect();
    assert_eq!(
        weights,
        ["8.3", "8.3", "8.3", "8.5", "8.3", "8.3", "13.4", "13.3", "13.3"]
    );
    let first = &table.indicators[0];
    // 运算\n符号, 度量\n单位 and 全年\n完成值 are recognised through their line breaks
    assert_eq!(
        (
            first.get("operator"),
            first.get("value"),
            first.get("measure_unit")
        ),
        (">=", "365", "天")
    );
    assert_eq!(
        (
            first.get("completed"),
            first.get("completion"),
            first.get("score")
        ),
        ("0", "0.0%", "0")
    );
}

#[test]
fn operators_printed_inside_the_value_are_split_off() {
    let text = seed_text().replace("\t>=\n\t95\n", "\t\n\t≥95\n");
    let record = process_bytes(text.as_bytes(), SEED_NAME, &Patterns::builtin());
    let satisfaction = record.indicator_tables[3]
        .indicators
        .iter()
        .find(|i| i.get("level3") == "机关事业单位干部群众满意度")
        .unwrap();
    assert_eq!(
        (satisfaction.get("operator"), satisfaction.get("value")),
        (">=", "95")
    );
}

#[test]
fn excel_mode_keeps_operators_as_text() {
    let out = extract_ok(&seed_path(), &["--excel"]);
    let text = std::fs::read_to_string(out.path().join("indicators.csv")).unwrap();
    assert!(
        text.contains(",'=,100,100,%,"),
        "an = operator must not become a formula"
    );
    assert!(
        text.contains(",>=,"),
        ">= is not a formula start and stays as printed"
    );
    let plain = extract_ok(&seed_path(), &[]);
    let text = std::fs::read_to_string(plain.path().join("indicators.csv")).unwrap();
    assert!(text.contains(",=,100,100,%,"));
}

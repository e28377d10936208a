//! The check stage: the seed passes every identity (its one real rounding
//! difference is reported as such), and small reports with one broken
//! identity each fail exactly that check.

use crate::common::*;
use gongkai::model::{CheckName, CheckStatus, DocumentRecord};
use gongkai::patterns::Patterns;
use gongkai::pipeline::process_bytes;

fn run(text: &str) -> DocumentRecord {
    process_bytes(text.as_bytes(), "report.txt", &Patterns::builtin())
}

/// The failed checks as `check key`, leaving out `table_present`, which a
/// report of one table fails for the eight others.
fn failures(record: &DocumentRecord) -> Vec<String> {
    record
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail && c.check != CheckName::TablePresent)
        .map(|c| format!("{} {}", c.check, c.key))
        .collect()
}

/// A tab-layout table of the report's year.
fn table(title: &str, marker: &str, header: &[&[&str]], body: &[&[&str]]) -> String {
    tab_table(title, marker, "2023年度", header, body)
}

const EXPENDITURE_TOTAL_ONLY: &[&str] = &["项目", "", "", "", "本年支出合计"];

fn expenditure(rows: &[&[&str]]) -> String {
    table(
        "支出决算表",
        "公开03表",
        &[
            EXPENDITURE_TOTAL_ONLY,
            &["功能分类科目编码", "", "", "科目名称", ""],
        ],
        rows,
    )
}

#[test]
fn the_seed_passes_and_reports_its_real_rounding_difference() {
    let record = run(&seed_text());
    assert_eq!(failures(&record), Vec::<String>::new());
    assert_eq!(record.checks_failed, 0);
    let social_security: Vec<_> = record
        .checks
        .iter()
        .filter(|c| c.key == "summary_expenditure_by_class:208")
        .collect();
    assert_eq!(social_security.len(), 1);
    let check = social_security[0];
    assert_eq!(check.status, CheckStatus::Pass);
    assert_eq!(check.expected.unwrap().to_string(), "65.27"); // 公开01表
    assert_eq!(check.actual.unwrap().to_string(), "65.28"); // 公开03表
    assert_eq!(check.diff.unwrap().to_string(), "0.01");
    assert_eq!(check.tolerance.unwrap().to_string(), "0.01");
    assert!(check.note.contains("尾数误差"), "{}", check.note);
}

#[test]
fn the_seed_narrative_agrees_with_its_tables() {
    let record = run(&seed_text());
    let narrative: Vec<(&str, String)> = record
        .facts
        .iter()
        .filter(|f| f.table == "narrative")
        .map(|f| (f.line.as_str(), f.value.to_string()))
        .collect();
    for expected in [
        ("income.grand_total", "472.39"),
        ("expenditure.grand_total", "472.39"),
        ("expenditure.basic", "332.70"),
        ("expenditure.project", "139.69"),
        ("three_public.total", "0.72"),
        ("gpb_basic.personnel", "328.73"),
    ] {
        assert!(
            narrative.contains(&(expected.0, expected.1.to_string())),
            "{expected:?} in {narrative:?}"
        );
    }
    let compared = record
        .checks
        .iter()
        .filter(|c| c.check == CheckName::Narrative && c.status == CheckStatus::Pass)
        .count();
    assert_eq!(compared, 15);
}

#[test]
fn seed_checks_match_the_reviewed_golden_file() {
    let out = extract_ok(&seed_path(), &[]);
    assert_golden(&out.path().join("checks.csv"), "seed_checks.csv");
}

#[test]
fn a_changed_narrative_figure_fails_the_checks_that_use_it() {
    let text = seed_text().replace("（一）收入总计472.39万元", "（一）收入总计472.49万元");
    let record = run(&text);
    // the figure against the tables, and 财政拨款收入472.39万元 stated to be
    // 100.00% of it
    assert_eq!(
        failures(&record),
        ["narrative income.grand_total", "share share 1"]
    );
    let check = record
        .checks
        .iter()
        .find(|c| c.check == CheckName::Narrative && c.key == "income.grand_total")
        .unwrap();
    assert_eq!(check.diff.unwrap().to_string(), "-0.10");
}

#[test]
fn broken_code_hierarchy() {
    let record = run(&expenditure(&[
        &["合计", "", "", "", "100.00"],
        &["201", "", "", "一般公共服务支出", "100.00"],
        &["20103", "", "", "政府办公厅", "100.00"],
        &["2010350", "", "", "事业运行", "90.00"],
    ]));
    assert_eq!(failures(&record), ["code_hierarchy 20103/total"]);
}

#[test]
fn broken_total_row() {
    let record = run(&expenditure(&[
        &["合计", "", "", "", "110.00"],
        &["201", "", "", "一般公共服务支出", "100.00"],
        &["20103", "", "", "政府办公厅", "100.00"],
        &["2010350", "", "", "事业运行", "100.00"],
    ]));
    assert_eq!(failures(&record), ["total_row total/total"]);
}

#[test]
fn broken_row_identity() {
    let text = table(
        "支出决算表",
        "公开03表",
        &[&[
            "科目编码",
            "科目名称",
            "本年支出合计",
            "基本支出",
            "项目支出",
        ]],
        &[&["2010350", "事业运行", "100.00", "60.00", "30.00"]],
    );
    let record = run(&text);
    assert_eq!(
        failures(&record),
        ["row_identity 2010350/total=basic+project"]
    );
}

fn summary(income: &str, income_total: &str, expenditure_total: &str, carryover: &str) -> String {
    table(
        "收入支出决算总表",
        "公开01表",
        &[&["收入", "", "支出", ""], &["项目", "金额", "项目", "金额"]],
        &[
            &[
                "一、一般公共预算财政拨款收入",
                income,
                "一、一般公共服务支出",
                "100.00",
            ],
            &["本年收入合计", income, "本年支出合计", "100.00"],
            &["", "", "年末结转和结余", carryover],
            &["总计", income_total, "总计", expenditure_total],
        ],
    )
}

#[test]
fn broken_summary_balance() {
    let record = run(&summary("100.00", "100.00", "110.00", "10.00"));
    assert_eq!(
        failures(&record),
        ["summary_balance income.grand_total/amount"]
    );
}

#[test]
fn broken_line_sum() {
    let record = run(&summary("100.00", "100.00", "110.00", ""));
    assert_eq!(
        failures(&record),
        [
            "line_sum expenditure.grand_total/amount",
            "summary_balance income.grand_total/amount"
        ],
        "总计 110 without a 年末结转 line breaks its own sum and the balance"
    );
    let three_public = table(
        "财政拨款“三公”经费支出决算表",
        "公开07表",
        &[&["项目", "预算数", "决算数"]],
        &[
            &["合计", "", "2.50"],
            &["公务接待费", "", "1.00"],
            &["公务用车购置及运行费", "", "1.00"],
        ],
    );
    assert_eq!(failures(&run(&three_public)), ["line_sum total/final"]);
}

#[test]
fn broken_cross_table_figure() {
    let income = table(
        "收入决算表",
        "公开02表",
        &[&["项目", "本年收入合计", "财政拨款收入"]],
        &[&["合计", "90.00", "90.00"]],
    );
    let text = format!("{}{income}", summary("100.00", "100.00", "100.00", ""));
    let record = run(&text);
    assert_eq!(failures(&record), ["cross_table summary_income_total"]);
}

#[test]
fn an_empty_table_must_say_so_and_placeholders_must_go() {
    let empty =
        "政府性基金预算财政拨款收入支出决算表\n\t公开08表\n\n\t项目\n\t本年支出\n\n\t合计\n\t\n";
    let record = run(empty);
    assert_eq!(failures(&record), ["empty_table_statement gov_fund"]);
    let stated = format!("{empty}\n\t注：本表无数据，本部门无政府性基金预算财政拨款收支。\n\t\n");
    assert_eq!(failures(&run(&stated)), Vec::<String>::new());

    let template = seed_text().replace("部门：辽宁省盘锦市大洼区智慧城市运行管理中心\n\t2023年度\n\t金额单位：万元\n\n\n \n\t项目\n\t\n\t\n\t\n\t本年支出合计", "部门：XX局\n\t2023年度\n\t金额单位：万元\n\n\n \n\t项目\n\t\n\t\n\t\n\t本年支出合计");
    let record = run(&template);
    assert_eq!(
        failures(&record),
        ["placeholder ", "department_agreement expenditure"]
    );
}

#[test]
fn check_reruns_on_an_existing_output() {
    let out = tempfile::tempdir().unwrap();
    let input = tempfile::tempdir().unwrap();
    let text = seed_text().replace("（一）收入总计472.39万元", "（一）收入总计472.49万元");
    std::fs::write(input.path().join("r.txt"), text).unwrap();
    gongkai(&[
        "extract",
        input.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    let before = std::fs::read_to_string(out.path().join("checks.csv")).unwrap();
    // a researcher edits a figure in facts.csv and re-checks: the 收入总计
    // wherever facts.csv holds it (the narrative figure, and the total of
    // the shares that name it)
    let facts = std::fs::read_to_string(out.path().join("facts.csv")).unwrap();
    assert!(
        facts.contains("share.total,1.财政拨款收入472.39万元，占收入总计的100.00%,amount,,472.49,")
    );
    std::fs::write(
        out.path().join("facts.csv"),
        facts
            .replace(
                "收入总计472.49万元,amount,,472.49",
                "收入总计472.49万元,amount,,472.39",
            )
            .replace(
                ",amount,,472.49,万元,4724900.00,",
                ",amount,,472.39,万元,4723900.00,",
            ),
    )
    .unwrap();
    let output = gongkai(&["check", out.path().to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let after = std::fs::read_to_string(out.path().join("checks.csv")).unwrap();
    assert_ne!(before, after);
    assert!(before.contains("narrative,narrative,income.grand_total,472.49,472.39,-0.10,0.01,fail"));
    assert!(after.contains("narrative,narrative,income.grand_total,472.39,472.39,0.00,0.01,pass"));
    // the share of 财政拨款收入 in that total, re-evaluated from facts.csv
    assert!(before.contains("share,narrative,share 1,99.98,100.00,0.02,,fail"));
    assert!(after.contains("share,narrative,share 1,100,100.00,0.00,,pass"));
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_eq!(documents[0]["checks_failed"], "0");
}

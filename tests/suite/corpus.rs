//! The real published PDFs of `../shared/corpus/pdf` (read in place, never
//! copied into the repository). Each test skips with a message when the
//! folder is absent, so a fresh clone without it still builds and tests.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    shared_corpus("")
}

fn failed_checks(out: &Path) -> Vec<(String, String)> {
    read_csv_maps(&out.join("checks.csv"))
        .into_iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| (c["check"].clone(), c["key"].clone()))
        .collect()
}

#[test]
fn every_corpus_pdf_is_processed_with_its_identity_and_tables() {
    let Some(dir) = corpus() else { return };
    let (out, _) = extract(&dir, &[]);
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_eq!(documents.len(), 30);
    for doc in &documents {
        let name = &doc["source"];
        assert!(
            matches!(doc["status"].as_str(), "ok" | "partial"),
            "{name}: {} {}",
            doc["status"],
            doc["reason"]
        );
        assert_eq!(doc["format"], "pdf", "{name}");
        assert!(!doc["department"].is_empty(), "{name}: no department");
        assert!(
            doc["year"]
                .parse::<u16>()
                .is_ok_and(|y| (2017..=2026).contains(&y)),
            "{name}: year {}",
            doc["year"]
        );
        assert!(
            matches!(doc["report"].as_str(), "final" | "budget"),
            "{name}: report {}",
            doc["report"]
        );
        let narrative_only = doc["reason"].contains("narrative figures only");
        assert!(
            narrative_only || !doc["tables_found"].is_empty(),
            "{name}: no tables"
        );
    }
    // every page with a text layer reads: no page is reported garbled or empty
    let page_problems: Vec<String> = read_csv_maps(&out.path().join("issues.csv"))
        .into_iter()
        .filter(|i| i["stage"] == "decode")
        .map(|i| format!("{} page {}: {}", i["source"], i["page"], i["message"]))
        .collect();
    assert_eq!(page_problems, Vec::<String>::new());
    let kinds: BTreeMap<&str, &str> = documents
        .iter()
        .map(|d| (d["source"].as_str(), d["report"].as_str()))
        .collect();
    assert_eq!(
        kinds["shanghai/shanghai_putuo_caizhengju_2024_bmjs.pdf"],
        "final"
    );
    assert_eq!(kinds["shanghai/gbc_tmp_dept_budget.pdf"], "budget");
}

#[test]
fn shanghai_final_accounts_coded_tables_match_the_hand_checked_golden_file() {
    let Some(dir) = corpus() else { return };
    let (out, output) = extract(
        &dir.join("shanghai")
            .join("shanghai_putuo_caizhengju_2024_bmjs.pdf"),
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_eq!(documents[0]["department"], "上海市普陀区财政局");
    assert_eq!(
        documents[0]["tables_found"],
        "summary;income;expenditure;fiscal_summary;gpb_expenditure;gpb_basic;three_public;gov_fund;soe_capital"
    );
    // the coded tables: codes split into 类/款/项 columns, tables running on
    // to the next page without a repeated header
    let mut golden = String::from("table,page,row,code,line,item,column,value\n");
    for fact in read_csv_maps(&out.path().join("facts.csv")) {
        if ["income", "expenditure", "gpb_expenditure"].contains(&fact["table"].as_str()) {
            let fields = [
                "table", "page", "row", "code", "line", "item", "column", "value",
            ];
            golden.push_str(&fields.map(|f| fact[f].as_str()).join(","));
            golden.push('\n');
        }
    }
    let produced = out.path().join("coded.csv");
    std::fs::write(&produced, golden).unwrap();
    assert_golden(&produced, "shanghai_2024_final_coded.csv");
}

#[test]
fn the_original_shanghai_report_fails_only_on_what_it_prints() {
    let Some(dir) = corpus() else { return };
    let (out, _) = extract(
        &dir.join("shanghai")
            .join("shanghai_putuo_caizhengju_2024_bmjs.pdf"),
        &[],
    );
    // the published text says 财政拨款收入支出总计0.3万元 where its table prints
    // 2,961.68; and (p. 21) that 一般公共服务支出 2106.66万元 is 71.73% of
    // 2940.05万元, which is 71.65% (its four shares sum to 100.07%)
    assert_eq!(
        failed_checks(out.path()),
        [
            ("narrative".to_string(), "fiscal.grand_total".to_string()),
            ("share".to_string(), "share 6".to_string())
        ]
    );
}

#[test]
fn the_altered_copy_is_caught_check_by_check() {
    let Some(dir) = corpus() else { return };
    let (out, _) = extract(
        &dir.join("shanghai")
            .join("shanghai_putuo_caizhengju_2024_bmjs_TESTERRORS.pdf"),
        &[],
    );
    let failed = failed_checks(out.path());
    let expected = [
        // 收入支出总计2995.39万元 altered to 0万元
        (
            "narrative",
            "income_expenditure.grand_total:summary.income.grand_total",
        ),
        (
            "narrative",
            "income_expenditure.grand_total:summary.expenditure.grand_total",
        ),
        // 决算数小于预算数 altered to 大于 / 等于
        (
            "narrative_comparison",
            "预算为1560.05万元,支出决算为1511.89万元。决算数大于预算数",
        ),
        (
            "narrative_comparison",
            "预算为80.81万元,支出决算为80.38万元。决算数大于预算数",
        ),
        (
            "narrative_comparison",
            "预算为62.29万元,支出决算为60.99万元。决算数等于预算数",
        ),
        // the 支出决算表 removed, the 三公 figures removed, XX局, 2023 for 2024
        ("table_present", "expenditure"),
        ("empty_table_statement", "three_public"),
        ("placeholder", ""),
        ("year_agreement", "2023年度部门决算"),
        ("year_agreement", "截至2023年12月31日"),
        // and the original's own error: 71.73% printed for 71.65% (p. 21)
        ("share", "share 6"),
    ];
    for (check, key) in expected {
        assert!(
            failed.contains(&(check.to_string(), key.to_string())),
            "{check} {key} not caught: {failed:?}"
        );
    }
    assert_eq!(failed.len(), expected.len(), "{failed:?}");

    // `gongkai check` runs the same rules: on the unchanged output it
    // writes the checks extract wrote, the text-only ones carried over
    let checks_before = std::fs::read(out.path().join("checks.csv")).unwrap();
    let recheck = gongkai(&["check", out.path().to_str().unwrap()]);
    assert!(
        recheck.status.success(),
        "{}",
        String::from_utf8_lossy(&recheck.stderr)
    );
    assert_eq!(failed_checks(out.path()), failed);
    let checks_after = std::fs::read(out.path().join("checks.csv")).unwrap();
    assert!(
        checks_before == checks_after,
        "gongkai check rewrote checks.csv differently"
    );
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_eq!(documents[0]["checks_failed"], "11");
}

#[test]
fn the_gbk_euc_h_copy_decodes_to_readable_chinese_on_every_page() {
    let Some(dir) = corpus() else { return };
    let path = dir
        .join("shanghai")
        .join("shanghai_putuo_caizhengju_2024_bmjs_TESTERRORS.pdf");
    let bytes = std::fs::read(&path).unwrap();
    let (_, document) =
        gongkai::read::read_document(&bytes, &gongkai::patterns::Patterns::builtin()).unwrap();
    assert!(
        document.page_issues.is_empty(),
        "{:?}",
        document.page_issues
    );
    let mut pages_with_chinese = std::collections::BTreeSet::new();
    for block in &document.blocks {
        let (text, page) = match block {
            gongkai::model::Block::Paragraph(p) => (p.text.clone(), p.page),
            gongkai::model::Block::Table(t) => (
                t.rows
                    .iter()
                    .flat_map(|r| r.cells.clone())
                    .collect::<String>(),
                t.rows[0].page,
            ),
        };
        if text
            .chars()
            .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
            .count()
            >= 4
        {
            pages_with_chinese.extend(page);
        }
    }
    let blank_pages = [14, 22]; // pages with no text at all in the file (poppler agrees)
    let expected: Vec<u32> = (1..=document.pages.unwrap())
        .filter(|p| !blank_pages.contains(p))
        .collect();
    let missing: Vec<u32> = expected
        .iter()
        .copied()
        .filter(|p| !pages_with_chinese.contains(p))
        .collect();
    assert_eq!(missing, Vec::<u32>::new());
    let text = gongkai::layout::pdf::to_tab_layout(&document);
    for phrase in [
        "上海市普陀区财政局2024年度部门决算",
        "一般公共服务支出",
        "财政拨款收入支出决算总表",
    ] {
        assert!(text.contains(phrase), "{phrase}");
    }
}

/// The content-stream reader against lopdf's own parser on every page of
/// the corpus and of the committed fixtures: where lopdf reads a page's
/// whole stream, both give the same operators with the same operands (an
/// inline image is lopdf's `BI` with its data, our `EI` without).
#[test]
fn content_streams_read_as_lopdf_reads_them() {
    use gongkai::decode::pdf::lexer::Operations;
    use lopdf::content::Content;
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo_root().join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    if let Some(dir) = corpus() {
        for sub in std::fs::read_dir(dir).unwrap() {
            for entry in std::fs::read_dir(sub.unwrap().path()).unwrap() {
                files.push(entry.unwrap().path());
            }
        }
    }
    let (mut pages, mut operations, mut compared_bytes) = (0, 0, 0);
    for file in &files {
        let Ok(doc) = lopdf::Document::load(file) else {
            continue;
        };
        for (number, page) in doc.get_pages() {
            let bytes = doc.get_page_content(page);
            let Ok(theirs) = Content::decode_strict(&bytes) else {
                continue; // lopdf stops part-way: nothing to compare with
            };
            let mut ours = Operations::new(&bytes);
            let mut index = 0;
            while let Some((operator, operands)) = ours.next_operation() {
                let place = format!("{} page {number} operation {index}", file.display());
                let expected = &theirs.operations[index];
                if expected.operator == "BI" {
                    assert_eq!(operator, "EI", "{place}");
                } else {
                    assert_eq!(operator, expected.operator, "{place}");
                    assert_eq!(operands, expected.operands.as_slice(), "{place}");
                }
                index += 1;
            }
            assert_eq!(
                index,
                theirs.operations.len(),
                "{} page {number}",
                file.display()
            );
            assert_eq!(ours.skipped(), 0, "{} page {number}", file.display());
            pages += 1;
            operations += index;
            compared_bytes += bytes.len();
        }
    }
    eprintln!("{pages} pages, {operations} operations, {compared_bytes} bytes compared");
    assert!(pages >= 3, "the fixtures alone hold pages to compare");
}

/// Every failed check of the whole corpus, each read against its PDF: a
/// real problem of the report, never an extraction fault. A new failure
/// here is either a finding to read and add with its reason, or a fault to
/// mend.
#[test]
fn every_failed_check_of_the_corpus_is_a_real_problem_of_its_report() {
    let Some(dir) = corpus() else { return };
    let (out, _) = extract(&dir, &["--no-parquet"]);
    let mut failed: Vec<(String, String, String)> = read_csv_maps(&out.path().join("checks.csv"))
        .into_iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| {
            let file = c["source"].rsplit('/').next().unwrap().to_string();
            (file, c["check"].clone(), c["key"].clone())
        })
        .collect();
    failed.sort();
    let empty_gov_fund = |file: &'static str| (file, "empty_table_statement", "gov_fund");
    let template_empty = |table: &'static str| {
        (
            "shanghai_template_bmjs_fujian2.pdf",
            "empty_table_statement",
            table,
        )
    };
    let altered = "shanghai_putuo_caizhengju_2024_bmjs_TESTERRORS.pdf";
    let mut expected: Vec<(&str, &str, &str)> = vec![
        // Jiangsu budgets: the 政府性基金 table printed empty, with nothing
        // under it saying so (人大 2019 公开表 p. 15; 检察院 2017; 委办 2017
        // 表格; 法院 2017 and 2018 only say 政府性基金支出预算支出0万元 in
        // the explanations, pages later)
        empty_gov_fund("江苏省人大办公厅__江苏省人大常委会办公厅2019年部门预算公开表.pdf"),
        empty_gov_fund("江苏省人民检察院__2017年省检察院部门预算.pdf"),
        empty_gov_fund("江苏省委办公厅__江苏省委办公厅2017年预算公开表格.pdf"),
        empty_gov_fund("江苏省高级人民法院__省法院2017年度部门预算公开.pdf"),
        empty_gov_fund("江苏省高级人民法院__省法院2018年度部门预算公开.pdf"),
        // Shanghai 财政局 2024 (published): the text says
        // 财政拨款收入支出总计0.3万元 where 公开04表 prints 2,961.68 (p. 13)
        (
            "shanghai_putuo_caizhengju_2024_bmjs.pdf",
            "narrative",
            "fiscal.grand_total",
        ),
        // the altered copy: the ten planted errors
        (
            altered,
            "narrative",
            "income_expenditure.grand_total:summary.income.grand_total",
        ),
        (
            altered,
            "narrative",
            "income_expenditure.grand_total:summary.expenditure.grand_total",
        ),
        (
            altered,
            "narrative_comparison",
            "预算为1560.05万元,支出决算为1511.89万元。决算数大于预算数",
        ),
        (
            altered,
            "narrative_comparison",
            "预算为80.81万元,支出决算为80.38万元。决算数大于预算数",
        ),
        (
            altered,
            "narrative_comparison",
            "预算为62.29万元,支出决算为60.99万元。决算数等于预算数",
        ),
        (altered, "table_present", "expenditure"),
        (altered, "empty_table_statement", "three_public"),
        (altered, "placeholder", ""),
        (altered, "year_agreement", "2023年度部门决算"),
        (altered, "year_agreement", "截至2023年12月31日"),
        // the blank template: its tables are printed empty with no
        // statement, and 上海市XX局 is left throughout
        template_empty("summary"),
        template_empty("income"),
        template_empty("expenditure"),
        template_empty("fiscal_summary"),
        template_empty("gpb_expenditure"),
        template_empty("gpb_basic"),
        template_empty("three_public"),
        ("shanghai_template_bmjs_fujian2.pdf", "placeholder", ""),
        // item explanations (REVIEW.md 6 and 8 and the one it missed; the
        // 万里街道 0.53 % of the review issue), each read against the PDF:
        ("gbc_tmp_dept_budget.pdf", "item_change", "item 6 2040699"),
        ("gbc_tmp_dept_budget.pdf", "item_change", "item 9 2080506"),
        ("gbc_tmp_dept_budget.pdf", "item_change", "item 12 2210201"),
        ("gbc_tmp_dept_budget.pdf", "item_figures", "item 12 2210201"),
        (
            "shanghai_putuo_wanlijiedao_2024_ys.pdf",
            "item_change",
            "item 31 2210201",
        ),
        (
            "shanghai_putuo_wanlijiedao_2024_ys.pdf",
            "item_figures",
            "item 31 2210201",
        ),
        // Jiangsu budgets: the percentage printed beside an amount and its
        // difference from last year is not the one they give
        // 3666 万元, +21.8 → +0.60 %, printed 0.06 % (p. 26)
        (
            "江苏省人民检察院__2018年省检察院部门预算公开.pdf",
            "item_change",
            "item 2 2040402",
        ),
        // 1442.74, +368.97 → +34.36 %, printed 34.38 % (p. 29)
        (
            "江苏省人民检察院__2019年度部门预算公开.pdf",
            "item_change",
            "item 10 2210201",
        ),
        // 6106.99, +101.48 → +1.69 %, printed 1.66 % (p. 8)
        (
            "江苏省委办公厅__江苏省委办公厅2017年部门预算.pdf",
            "item_change",
            "item 2",
        ),
        // 3894.09, +878.93 → +29.15 %, printed 30 % (p. 8)
        (
            "江苏省委办公厅__江苏省委办公厅2019年度部门预算公开文件.pdf",
            "item_change",
            "item 3",
        ),
        // 1959.99, +865.57 → +79.09 %, printed 79.05 % (p. 22)
        (
            "江苏省高级人民法院__省法院2017年度部门预算公开.pdf",
            "item_change",
            "item 12 2210202",
        ),
        // 6049.97, −392.92 → −6.10 %, printed 5.95 % (p. 19)
        (
            "江苏省高级人民法院__省法院2018年度部门预算公开.pdf",
            "item_change",
            "item 5",
        ),
        // 单位预留机动经费 1685.72, +1557.29 → +1212.56 %, printed 1312.56 %
        (
            "江苏省人大办公厅__省人大办公厅2018预算公开.pdf",
            "item_change",
            "item 21",
        ),
        // 1115.85 against 3348.98 is −66.68 %, printed 66.69 % (rounded or
        // truncated, no reading of the printed digits gives it)
        (
            "江苏省政协办公厅__江苏省政协办公厅2018年度部门预算.pdf",
            "item_change",
            "item 19",
        ),
        // 上海普陀区财政局 2024 (and its altered copy) p. 21: 一般公共服务支出
        // 2106.66 of 2940.05 is 71.65 %, printed 71.73 % (the four shares
        // printed sum to 100.07 %)
        (
            "shanghai_putuo_caizhengju_2024_bmjs.pdf",
            "share",
            "share 6",
        ),
        (altered, "share", "share 6"),
    ];
    expected.sort();
    let expected: Vec<(String, String, String)> = expected
        .into_iter()
        .map(|(f, c, k)| (f.to_string(), c.to_string(), k.to_string()))
        .collect();
    assert_eq!(failed, expected);
}

/// Who and where each corpus report is (reviewed by eye against each
/// report's title and 部门： lines: `tests/golden/corpus_identity.csv`),
/// and one key for one body: the three names of the Jiangsu 委办公厅 share
/// one `department_key`, so do the 人大常委会办公厅 reports; the Shanghai
/// 部门预算 and 单位预算 of one body share it and differ in `entity_level`.
#[test]
fn every_corpus_report_has_its_identity_and_one_key_per_body() {
    let Some(dir) = corpus() else { return };
    let (out, _) = extract(&dir, &["--no-parquet"]);
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    let columns = [
        "source",
        "department",
        "department_key",
        "entity_level",
        "scope",
        "province",
        "prefecture",
        "county",
        "region_code",
        "admin_level",
    ];
    let mut identity = csv::Writer::from_writer(Vec::new());
    identity.write_record(columns).unwrap();
    for doc in &documents {
        identity
            .write_record(columns.iter().map(|c| doc[*c].as_str()))
            .unwrap();
        let name = &doc["source"];
        assert!(
            matches!(doc["entity_level"].as_str(), "department" | "unit"),
            "{name}"
        );
        assert!(!doc["province"].is_empty(), "{name}: no province");
        assert_eq!(doc["region_code"].len(), 6, "{name}");
    }
    let produced = out.path().join("identity.csv");
    std::fs::write(&produced, identity.into_inner().unwrap()).unwrap();
    assert_golden(&produced, "corpus_identity.csv");

    let by_source = |part: &str| -> Vec<&BTreeMap<String, String>> {
        documents
            .iter()
            .filter(|d| d["source"].contains(part))
            .collect()
    };
    let keys = |part: &str| -> std::collections::BTreeSet<String> {
        by_source(part)
            .iter()
            .map(|d| d["department_key"].clone())
            .collect()
    };
    let names: std::collections::BTreeSet<&str> = by_source("江苏省委办公厅__")
        .iter()
        .map(|d| d["department"].as_str())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(keys("江苏省委办公厅__").len(), 1);
    assert_eq!(keys("江苏省人大办公厅__").len(), 1);
    let office = by_source("zhengfubangongshi_2025");
    assert_eq!(office.len(), 2);
    assert_eq!(office[0]["department_key"], office[1]["department_key"]);
    let levels: Vec<&str> = office.iter().map(|d| d["entity_level"].as_str()).collect();
    assert_eq!(levels, ["department", "unit"]);
}

/// One meaning, one key: in every table of every corpus report and the
/// seed, each total line printed (合计, 本年收入合计, 收入总计, 人员经费 and
/// 公用经费 of the basic-expenditure table …) has its figure in the table's
/// whole-amount column (`whole_amount_columns` of its pattern: `amount` for
/// the summaries and the basic-expenditure tables, `total` for income and
/// expenditure tables), whatever the layout — so a query needs no
/// per-layout case. (三公 tables are left out: their whole amount is the
/// report kind's column, `final` or `budget`.)
#[test]
fn every_total_line_has_its_whole_amount_column() {
    let Some(dir) = corpus() else { return };
    let patterns = gongkai::patterns::Patterns::builtin();
    let out = tempfile::tempdir().unwrap();
    let output = gongkai(&[
        "extract",
        dir.to_str().unwrap(),
        seed_path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--no-parquet",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let total_lines = [
        "total",
        "income.total",
        "expenditure.total",
        "income.grand_total",
        "expenditure.grand_total",
    ];
    let mut printed: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for fact in read_csv_maps(&out.path().join("facts.csv")) {
        let split_lines = fact["table"] == "gpb_basic"
            && ["personnel", "public"].contains(&fact["line"].as_str());
        if total_lines.contains(&fact["line"].as_str()) || split_lines {
            printed
                .entry((
                    fact["source"].clone(),
                    fact["table"].clone(),
                    fact["line"].clone(),
                ))
                .or_default()
                .push(fact["column"].clone());
        }
    }
    assert!(printed.len() > 300, "{} total lines", printed.len());
    let mut tables = std::collections::BTreeSet::new();
    for ((source, table, line), columns) in &printed {
        // narrative figures are no table; see above for 三公
        let Some(pattern) = patterns.table(table).filter(|_| table != "three_public") else {
            continue;
        };
        let whole = &pattern.whole_amount_columns;
        assert_eq!(whole.len(), 1, "{table}: one whole-amount column");
        assert!(
            columns.contains(&whole[0]),
            "{source}: {table} {line} has no {} figure: {columns:?}",
            whole[0]
        );
        tables.insert(table.clone());
    }
    assert!(tables.len() >= 8, "{tables:?}");
}

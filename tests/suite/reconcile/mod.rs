//! Across reports (`reconciliation.csv`, issue 29): a department against
//! its units, a year against the year before (a budget against its final
//! accounts: `budget_final.rs`; one report in two files and the review
//! workbook: `copies.rs`), on the seed with planted
//! differences (`tests/fixtures/reconcile/`, made by
//! `scripts/make_reconcile_fixtures.py`) and on the published reports of
//! `../shared/corpus` (skipped with a message when absent).

mod budget_final;
mod copies;

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

type Row = BTreeMap<String, String>;

fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/reconcile").join(name)
}

/// A folder holding the given files under the given names.
fn batch(files: &[(&str, &Path)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (name, path) in files {
        std::fs::copy(path, dir.path().join(name)).expect("copy input");
    }
    dir
}

fn reconciliation(out: &Path) -> Vec<Row> {
    read_csv_maps(&out.join("reconciliation.csv"))
}

fn cross_findings(out: &Path) -> Vec<Row> {
    read_csv_maps(&out.join("findings.csv"))
        .into_iter()
        .filter(|f| f["finding"].starts_with("across_reports:"))
        .collect()
}

/// The one row of a comparison for a code or line.
fn row<'a>(rows: &'a [Row], comparison: &str, code: &str, line: &str) -> &'a Row {
    let found: Vec<&Row> = rows
        .iter()
        .filter(|r| r["comparison"] == comparison && r["code"] == code && r["line"] == line)
        .collect();
    assert_eq!(found.len(), 1, "{comparison} {code} {line}: {found:#?}");
    found[0]
}

fn figures(row: &Row) -> [&str; 5] {
    [
        row["status"].as_str(),
        row["expected"].as_str(),
        row["actual"].as_str(),
        row["diff"].as_str(),
        row["unit"].as_str(),
    ]
}

/// The seed (2023 部门决算 of 大洼区智慧城市运行管理中心), the same report
/// as its unit's 单位决算, and as the 2024 report saying its 事业运行
/// (2010350) is 比上年增加0.00万元: every figure the two relations compare
/// is the same, so every comparison agrees and no finding is raised. The
/// seed's 支出决算表 prints 2010350 本年支出合计 228.45 and 合计 472.39 (万元,
/// samples/…, lines 816–822 and the table's 合计 row); its
/// 一般公共预算财政拨款支出决算表 prints 2010350 合计 228.45.
#[test]
fn an_unchanged_batch_raises_no_difference() {
    let input = batch(&[
        ("dawa_2023_department.txt", &seed_path()),
        ("dawa_2023_unit.txt", &fixture("unchanged/unit.txt")),
        (
            "dawa_2024_department.txt",
            &fixture("unchanged/next_year.txt"),
        ),
    ]);
    let out = extract_ok(input.path(), &[]);
    let rows = reconciliation(out.path());
    assert!(rows.len() > 50, "{} comparisons", rows.len());
    let not_agreeing: Vec<&Row> = rows.iter().filter(|r| r["status"] != "agrees").collect();
    assert!(not_agreeing.is_empty(), "{not_agreeing:#?}");
    assert!(cross_findings(out.path()).is_empty());

    let coverage = row(&rows, "units_coverage", "", "total");
    assert_eq!(
        figures(coverage),
        ["agrees", "472.39", "472.39", "0.00", "万元"]
    );
    assert!(
        coverage["note"].starts_with("coverage 100.0%: 1 unit report(s) present"),
        "{}",
        coverage["note"]
    );
    let item = row(&rows, "units_expenditure_total", "2010350", "");
    assert_eq!(
        figures(item),
        ["agrees", "228.45", "228.45", "0.00", "万元"]
    );
    assert_eq!(item["tolerance"], "0.02");
    let previous = row(&rows, "previous_year_items", "2010350", "");
    assert_eq!(
        figures(previous),
        ["agrees", "228.45", "228.45", "0.00", "万元"]
    );
    assert_eq!(
        [
            &previous["expected_year"],
            &previous["actual_year"],
            &previous["expected_table"]
        ],
        ["2023", "2024", "gpb_expenditure"]
    );
    // the department's 2024 report has no unit beside it, the unit no 2024
    // report: only the 2010350 item states a change with a code
    assert_eq!(
        rows.iter()
            .filter(|r| r["relation"] == "previous_year")
            .count(),
        1
    );
}

/// The planted copies: the unit's 支出决算表 says 2010350 本年支出合计 238.45
/// where the department's says 228.45, and the 2024 report says 事业运行
/// 比上年增加10.00万元 (so 2023 was 218.45) where the 2023 report prints
/// 228.45. Each is found once — as a `differs` row and as one finding on
/// the report whose figure is judged — and nothing else differs.
#[test]
fn planted_differences_are_found_exactly_once_each() {
    let input = batch(&[
        ("dawa_2023_department.txt", &seed_path()),
        ("dawa_2023_unit.txt", &fixture("planted/unit.txt")),
        (
            "dawa_2024_department.txt",
            &fixture("planted/next_year.txt"),
        ),
    ]);
    let out = extract_ok(input.path(), &[]);
    let rows = reconciliation(out.path());
    let differs: Vec<&Row> = rows.iter().filter(|r| r["status"] != "agrees").collect();
    assert_eq!(differs.len(), 2, "{differs:#?}");
    let unit = row(&rows, "units_expenditure_total", "2010350", "");
    assert_eq!(
        figures(unit),
        ["differs", "228.45", "238.45", "10.00", "万元"]
    );
    assert_eq!(unit["actual_source"], "dawa_2023_unit.txt");
    let previous = row(&rows, "previous_year_items", "2010350", "");
    assert_eq!(
        figures(previous),
        ["differs", "228.45", "218.45", "-10.00", "万元"]
    );
    assert_eq!(previous["tolerance"], "0.03"); // 228.45, 228.45 and 10.00
                                               // the 款 and 类 above the changed row are the unit's own problem
                                               // (checks.csv), not a second difference between the reports
    assert_eq!(
        figures(row(&rows, "units_expenditure_total", "20103", "")),
        ["agrees", "368.14", "368.14", "0.00", "万元"]
    );

    let findings = cross_findings(out.path());
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let on_department = &findings[0];
    assert_eq!(on_department["source"], "dawa_2023_department.txt");
    assert_eq!(
        on_department["finding"],
        "across_reports:units_expenditure_total"
    );
    assert!(
        on_department["message"].contains("dawa_2023_unit.txt"),
        "{}",
        on_department["message"]
    );
    assert_eq!(findings[1]["source"], "dawa_2024_department.txt");
    assert_eq!(
        [&findings[1]["expected"], &findings[1]["actual"]],
        ["228.45万元", "218.45万元"]
    );
}

/// `gongkai reconcile` over two folders (the department's run and the
/// unit's) finds what `extract` over both together found, and on a
/// finished output it rewrites what `extract` wrote, byte for byte.
#[test]
fn reconcile_over_folders_equals_extract_over_their_union() {
    let together = batch(&[
        ("dawa_2023_department.txt", &seed_path()),
        ("dawa_2023_unit.txt", &fixture("planted/unit.txt")),
    ]);
    let one_run = extract_ok(together.path(), &[]);
    let department = extract_ok(&together.path().join("dawa_2023_department.txt"), &[]);
    let unit = extract_ok(&together.path().join("dawa_2023_unit.txt"), &[]);
    let joined = tempfile::tempdir().unwrap();
    let output = gongkai(&[
        "reconcile",
        department.path().to_str().unwrap(),
        unit.path().to_str().unwrap(),
        "-o",
        joined.path().to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        reconciliation(joined.path()),
        reconciliation(one_run.path())
    );
    assert_eq!(
        cross_findings(joined.path()),
        cross_findings(one_run.path())
    );
    assert!(
        std::fs::read_to_string(joined.path().join("datapackage.json"))
            .unwrap()
            .contains("\"reconciliation.csv\"")
    );

    let before: Vec<Vec<u8>> = [
        "reconciliation.csv",
        "findings.csv",
        "datapackage.json",
        "facts.csv",
        "review.xlsx",
    ]
    .iter()
    .map(|f| std::fs::read(one_run.path().join(f)).unwrap())
    .collect();
    let again = gongkai(&["reconcile", one_run.path().to_str().unwrap()]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let after: Vec<Vec<u8>> = [
        "reconciliation.csv",
        "findings.csv",
        "datapackage.json",
        "facts.csv",
        "review.xlsx",
    ]
    .iter()
    .map(|f| std::fs::read(one_run.path().join(f)).unwrap())
    .collect();
    assert!(
        before == after,
        "gongkai reconcile changed the output extract wrote"
    );
}

/// An output folder is input too: one that is not a finished output is
/// refused (exit 2, the folder named), nothing written.
#[test]
fn a_folder_that_is_not_a_finished_output_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("documents.csv"), "doc_id\n").unwrap();
    let output = gongkai(&["reconcile", folder.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("not an output folder gongkai wrote")
            || stderr.contains("no datapackage.json"),
        "{stderr}"
    );
    assert!(!folder.path().join("reconciliation.csv").exists());
}

/// A pairing rule naming a table no pattern has is refused on load, file
/// and rule named.
#[test]
fn a_rule_naming_an_unknown_table_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("reconcile.toml"),
        "[[compare]]\nname = \"x\"\nrelation = \"units\"\nmatch = \"code\"\nexpected = [{ table = \"spending\", columns = [\"total\"] }]\nactual = [{ table = \"expenditure\", columns = [\"total\"] }]\n",
    )
    .unwrap();
    let error = gongkai::patterns::Patterns::load_dir(dir.path())
        .unwrap_err()
        .to_string();
    assert!(error.contains("reconcile.toml: compare.x"), "{error}");
    assert!(error.contains("no table with key \"spending\""), "{error}");
}

/// 上海市普陀区人民政府办公室 2025: the 部门预算 (…_bmys.pdf) and the 单位预算
/// (…_dwys.pdf) of its one budget unit — the 部门 report says the 交流服务中心
/// 不单列预算，并入本部 (bmys p. 4, `pdftotext -layout` line 49), so the unit
/// is the whole department. Read with `pdftotext -layout`: both print 支出
/// 合计 91,016,775.35 元 (bmys line 211, dwys line 237), 行政运行 (2010301)
/// 12,029,501.84 / 基本支出 11,919,501.84 / 项目支出 110,000.00 (bmys 182,
/// dwys 208), and 三公 预算数 867.50 万元 of which 因公出国(境)费 839.00 (bmys
/// 371, dwys 398). Every figure compared agrees; the unit's report prints
/// more columns (人员经费/公用经费 on its summary), which no rule names.
#[test]
fn shanghai_office_department_budget_against_its_unit() {
    let Some(shanghai) = shared_corpus("shanghai") else {
        return;
    };
    let input = batch(&[
        (
            "bmys.pdf",
            &shanghai.join("shanghai_putuo_zhengfubangongshi_2025_bmys.pdf"),
        ),
        (
            "dwys.pdf",
            &shanghai.join("shanghai_putuo_zhengfubangongshi_2025_dwys.pdf"),
        ),
    ]);
    let out = extract_ok(input.path(), &[]);
    let rows = reconciliation(out.path());
    assert!(rows.iter().all(|r| r["relation"] == "units"));
    let not_agreeing: Vec<&Row> = rows.iter().filter(|r| r["status"] != "agrees").collect();
    assert!(not_agreeing.is_empty(), "{not_agreeing:#?}");
    let coverage = row(&rows, "units_coverage", "", "total");
    assert_eq!(
        figures(coverage),
        ["agrees", "91016775.35", "91016775.35", "0.00", "元"]
    );
    assert!(
        coverage["note"].contains("上海市普陀区人民政府办公室"),
        "{}",
        coverage["note"]
    );
    assert_eq!(
        [&coverage["expected_source"], &coverage["actual_source"]],
        ["bmys.pdf", "dwys.pdf"]
    );
    for (comparison, value) in [
        ("units_expenditure_total", "12029501.84"),
        ("units_expenditure_basic", "11919501.84"),
        ("units_expenditure_project", "110000.00"),
    ] {
        let figure = row(&rows, comparison, "2010301", "");
        assert_eq!(figures(figure), ["agrees", value, value, "0.00", "元"]);
    }
    let abroad = row(&rows, "units_three_public_budget", "", "abroad");
    assert_eq!(
        figures(abroad),
        ["agrees", "839.00", "839.00", "0.00", "万元"]
    );
    assert!(cross_findings(out.path()).is_empty());
}

/// The Jiangsu bodies' budgets 2017–2019, year against year: what an item
/// of the text says of last year (its amount minus the stated change)
/// against last year's 一般公共预算支出表. Read with `pdftotext -layout`:
/// 省检察院 2018 (2018年省检察院部门预算公开.pdf) says 行政运行（项）支出
/// 10,883.36万元，与上年相比增加2,915.22万元 → 7,968.14, which the 2017 report
/// prints for 2040401 行政运行 (2017年省检察院部门预算.pdf, table at text line
/// 480); 2019 says 检察监督(项)支出1185.6万元 under the new code 2040410
/// (2019年度部门预算公开.pdf, line 423), which the 2018 report does not have —
/// it printed the same spending as 2040405 公诉、审判、侦查、执行等检察监督支出
/// 1,895.00 (line 571): a real break between the years (the 2019
/// classification), `missing_counterpart`, not a wrong figure. 省法院 2018
/// says 机关事业单位基本养老保险缴费 is new (last year 0.00), and the 2017 table
/// has no such row: a zero, agrees. 委办公厅 and 政协办公厅 print their
/// text and their tables in two files (文件 + 表格): the text names no
/// codes, so their items are not compared; their 2017 表格 and 2017 文件
/// are one body's one report, never counted twice.
#[test]
fn jiangsu_budgets_year_against_year() {
    let Some(jiangsu) = shared_corpus("jiangsu") else {
        return;
    };
    let out = extract_ok(&jiangsu, &[]);
    let rows = reconciliation(out.path());
    assert!(rows.iter().all(|r| r["relation"] == "previous_year"));
    let differs: Vec<&Row> = rows.iter().filter(|r| r["status"] == "differs").collect();
    assert!(differs.is_empty(), "{differs:#?}");
    let procuratorate = |year: &str, code: &str| -> &Row {
        let found: Vec<&Row> = rows
            .iter()
            .filter(|r| {
                r["actual_department_key"] == "320000:人民检察院"
                    && r["actual_year"] == year
                    && r["code"] == code
            })
            .collect();
        assert_eq!(found.len(), 1, "{year} {code}: {found:#?}");
        found[0]
    };
    let running = procuratorate("2018", "2040401");
    assert_eq!(
        figures(running),
        ["agrees", "7968.14", "7968.14", "0.00", "万元"]
    );
    assert_eq!(
        running["expected_source"],
        "江苏省人民检察院__2017年省检察院部门预算.pdf"
    );
    let supervision = procuratorate("2019", "2040410");
    assert_eq!(supervision["status"], "missing_counterpart");
    assert_eq!(supervision["actual"], "1895.0");
    let court_pension: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            r["actual_department_key"] == "320000:高级人民法院"
                && r["actual_year"] == "2018"
                && r["code"] == "2080505"
        })
        .collect();
    assert_eq!(court_pension.len(), 1);
    assert_eq!(court_pension[0]["status"], "agrees");
    assert!(
        court_pension[0]["note"].contains("a zero"),
        "{}",
        court_pension[0]["note"]
    );
    let agreeing = rows.iter().filter(|r| r["status"] == "agrees").count();
    assert!(agreeing >= 25, "{agreeing} of {} agree", rows.len());
}

/// The national corpus holds no department beside its own units: 福州's
/// three 公安局 units (巡特警支队, 治安管理支队, 文职人员管理中心 — 单位预算) come
/// without 福州市公安局's 部门预算, and 杭州市公安局 (部门) is in another city.
/// So no `units` comparison is made — and none is made up from a name in
/// another region.
#[test]
fn the_national_corpus_has_no_department_beside_its_units() {
    let Some(national) = shared("corpus", "national") else {
        return;
    };
    let out = extract_ok(&national, &[]);
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    let fuzhou_units = documents
        .iter()
        .filter(|d| d["department_key"].starts_with("350100:公安局") && d["entity_level"] == "unit")
        .count();
    assert_eq!(fuzhou_units, 3);
    assert!(documents
        .iter()
        .any(|d| d["department_key"] == "330100:公安局" && d["entity_level"] == "department"));
    let rows = reconciliation(out.path());
    assert!(rows.iter().all(|r| r["relation"] != "units"), "{rows:#?}");
}

/// The department page of the review site lists the comparisons that do
/// not agree (the planted unit figure: 228.45 against 238.45), with links
/// to both reports.
#[test]
fn the_department_page_shows_the_differences() {
    let input = batch(&[
        ("dawa_2023_department.txt", &seed_path()),
        ("dawa_2023_unit.txt", &fixture("planted/unit.txt")),
    ]);
    let out = extract_ok(input.path(), &[]);
    let site = gongkai(&["site", out.path().to_str().unwrap(), "--no-images"]);
    assert!(
        site.status.success(),
        "{}",
        String::from_utf8_lossy(&site.stderr)
    );
    let page = std::fs::read_dir(out.path().join("site/department"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .find(|html| html.contains("211104:智慧城市运行管理中心"))
        .expect("the department's page");
    assert!(page.contains("跨报告核对 Across reports"), "{page}");
    let table = &page[page.find("跨报告核对").unwrap()..];
    assert!(table.contains("units_expenditure_total"));
    assert!(
        table.contains("<td>228.45 万元</td><td>238.45</td><td>10.00</td><td>differs</td>"),
        "{table}"
    );
    assert!(table.contains("dawa_2023_unit.txt"));
}

/// Memory grows with the figures the rules name, not with the facts: over
/// the 30 corpus reports, the reports with a counterpart keep their named
/// figures and the rest keep none.
#[test]
fn only_the_figures_the_rules_name_are_kept() {
    let Some(corpus) = shared_corpus("") else {
        return;
    };
    let out = extract_ok(&corpus, &[]);
    let across = tempfile::tempdir().unwrap();
    let run = gongkai(&[
        "reconcile",
        out.path().to_str().unwrap(),
        "-o",
        across.path().to_str().unwrap(),
    ]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    // "gongkai: 30 reports, K of 6473 facts kept, …"
    let kept: usize = stderr
        .split(" of 6473 facts kept")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|k| k.parse().ok())
        .unwrap_or_else(|| panic!("{stderr}"));
    // 589 when written: the Shanghai pair's and the Jiangsu years' figures
    assert!(kept > 0 && kept < 6473 / 5, "{stderr}");
}

/// A figure edited into an output beyond what any report prints (25
/// digits) is refused with the file and row named — never an overflow
/// when it is turned into yuan or summed.
#[test]
fn an_edited_figure_too_large_is_refused_with_its_row() {
    let input = batch(&[
        ("dawa_2023_department.txt", &seed_path()),
        ("dawa_2023_unit.txt", &fixture("unchanged/unit.txt")),
    ]);
    let out = extract_ok(input.path(), &[]);
    let facts = out.path().join("facts.csv");
    let text = std::fs::read_to_string(&facts).unwrap();
    let edited: Vec<String> = text
        .lines()
        .map(|line| {
            if line.contains("dawa_2023_unit.txt")
                && line.contains(",expenditure,")
                && line.contains(",2010350,")
            {
                line.replace(",228.45,", ",9999999999999999999999999,")
            } else {
                line.to_string()
            }
        })
        .collect();
    assert_ne!(edited.join("\n") + "\n", text);
    std::fs::write(&facts, edited.join("\n") + "\n").unwrap();
    let run = gongkai(&["reconcile", out.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("facts.csv: row") && stderr.contains("too many digits"),
        "{stderr}"
    );
}

/// Nothing is counted twice: the seed beside its Word copy (`seed.docx`,
/// a duplicate of it) and the unit's report beside a second copy of it
/// (other bytes, same figures: `duplicate_of` the first) still compare one
/// department with one unit — 支出合计 472.39 against 472.39, not 944.78.
#[test]
fn duplicates_are_never_counted_twice() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(seed_path(), dir.path().join("a_department.txt")).unwrap();
    std::fs::copy(
        repo_root().join("tests/fixtures/seed.docx"),
        dir.path().join("b_department.docx"),
    )
    .unwrap();
    std::fs::copy(fixture("unchanged/unit.txt"), dir.path().join("c_unit.txt")).unwrap();
    let copy = std::fs::read_to_string(fixture("unchanged/unit.txt")).unwrap() + "\n";
    std::fs::write(dir.path().join("d_unit_again.txt"), copy).unwrap();
    let out = extract_ok(dir.path(), &[]);
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    let duplicates: Vec<&str> = documents
        .iter()
        .filter(|d| !d["duplicate_of"].is_empty())
        .map(|d| d["source"].as_str())
        .collect();
    assert_eq!(duplicates, ["b_department.docx", "d_unit_again.txt"]);
    let rows = reconciliation(out.path());
    let coverage = row(&rows, "units_coverage", "", "total");
    assert_eq!(
        figures(coverage),
        ["agrees", "472.39", "472.39", "0.00", "万元"]
    );
    assert_eq!(
        [&coverage["expected_source"], &coverage["actual_source"]],
        ["a_department.txt", "c_unit.txt"]
    );
    assert!(rows.iter().all(|r| r["status"] == "agrees"));
}

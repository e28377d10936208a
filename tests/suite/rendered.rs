//! PDFs rendered from the seed with headless Chromium (portrait, landscape,
//! A5 and 148 x 230 mm; CID TrueType fonts with ToUnicode, Type 3 fonts
//! for Noto Serif CJK; ruled tables, rows broken across pages) give exactly
//! the facts, checks and performance records of the seed text; the
//! LibreOffice renderings (simple TrueType subset fonts, Type 1 fonts for
//! Noto Serif CJK; borders drawn cell by cell, both halves of a broken row
//! closed by a rule) give the same facts and checks. Where lines and pages
//! break differs in each (issue 26); the facts, and the `item` that keys a
//! narrative fact, must not. The fixtures and the script that made them:
//! `tests/fixtures/seed_*.pdf`, `scripts/render_seed_pdf.py`.
//!
//! Compared field by field except `doc_id`, `source` and `page`, and the
//! `row` of narrative facts (the number of a paragraph depends on how the
//! format breaks lines).

use crate::common::*;
use std::path::Path;

fn comparable(path: &Path, ignore_rows: bool) -> Vec<Vec<(String, String)>> {
    read_csv_maps(path)
        .into_iter()
        .map(|mut row| {
            if ignore_rows || row.get("table").is_some_and(|t| t == "narrative") {
                row.insert("row".into(), String::new());
            }
            row.into_iter()
                .filter(|(k, _)| !["doc_id", "source", "page"].contains(&k.as_str()))
                .collect()
        })
        .collect()
}

fn assert_same_as_seed(fixture: &str) {
    let files = [
        "facts.csv",
        "checks.csv",
        "indicators.csv",
        "indicator_fields.csv",
    ];
    assert_files_as_seed(fixture, &files, false);
}

fn assert_files_as_seed(fixture: &str, files: &[&str], ignore_rows: bool) {
    let seed = extract_ok(&seed_path(), &[]);
    let pdf = extract_ok(
        &repo_root().join("tests").join("fixtures").join(fixture),
        &[],
    );
    let documents = read_csv_maps(&pdf.path().join("documents.csv"));
    assert_eq!(documents[0]["format"], "pdf");
    assert_eq!(documents[0]["status"], "ok", "{}", documents[0]["reason"]);
    for file in files {
        let expected = comparable(&seed.path().join(file), ignore_rows);
        let actual = comparable(&pdf.path().join(file), ignore_rows);
        assert_eq!(actual.len(), expected.len(), "{fixture}: {file} row count");
        for (a, e) in actual.iter().zip(&expected) {
            assert_eq!(a, e, "{fixture}: {file}");
        }
    }
}

#[test]
fn chromium_portrait_rendering_gives_the_seed_facts() {
    assert_same_as_seed("seed_chromium_portrait.pdf");
}

#[test]
fn chromium_landscape_rendering_gives_the_seed_facts() {
    assert_same_as_seed("seed_chromium_landscape.pdf");
}

/// LibreOffice breaks a row across pages and closes both halves with a
/// rule; the rest of the row on the next page is joined to it (the rows of
/// 公开06表 keep their numbers). Facts, with their row numbers, and checks
/// are compared; performance-table rows whose naming cell wrapped across
/// the page end too are not joined yet.
#[test]
fn libreoffice_rendering_gives_the_seed_facts_and_checks() {
    assert_files_as_seed("seed_libreoffice.pdf", &["facts.csv", "checks.csv"], false);
}

/// The seed through LibreOffice in Noto Serif CJK, which it embeds as
/// Type 1 fonts and sets wider: a line ends three ems short of the margin
/// before 341.02万元, which did not fit, and rows break across pages in
/// the middle of 行政事业单位养老支|出 and 2023年|度. The seed's facts and
/// checks, among them the change from last year stated in the text (line
/// 39 of the seed: 与上年相比，财政拨款支出减少341.02万元，降低41.92%) and
/// the year and department over 公开09表.
#[test]
fn libreoffice_type1_rendering_gives_the_seed_facts_and_checks() {
    assert_files_as_seed(
        "seed_libreoffice_type1.pdf",
        &["facts.csv", "checks.csv"],
        false,
    );
    let pdf = extract_ok(&fixture("seed_libreoffice_type1.pdf"), &[]);
    let facts = read_csv_maps(&pdf.path().join("facts.csv"));
    let item = "与上年相比，财政拨款支出减少341.02万元，降低41.92%，主要原因：项目支";
    assert_eq!(
        narrative_values(&facts, item),
        [
            ("item.amount", "472.39"),
            ("item.difference", "-341.02"),
            ("item.change_percent", "-41.92")
        ]
    );
    let pension = facts
        .iter()
        .find(|f| f["table"] == "income" && f["code"] == "20805")
        .expect("收入决算表 20805");
    assert_eq!(pension["item"], "行政事业单位养老支出");
    assert_eq!(pension["value"], "64.88");
    let checks = read_csv_maps(&pdf.path().join("checks.csv"));
    assert!(checks.iter().any(|c| c["check"] == "year_agreement"
        && c["table"] == "soe_capital"
        && c["status"] == "pass"));
}

/// The seed on A5 (Chromium): the 项 name of an item fills its line and
/// 30.98万元 goes to the next (line 49 of the seed: （3）社会保障和就业支出
/// （类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）
/// 30.98万元); the item keeps its amount.
#[test]
fn chromium_a5_rendering_gives_the_seed_facts() {
    assert_same_as_seed("seed_chromium_a5.pdf");
    let pdf = extract_ok(&fixture("seed_chromium_a5.pdf"), &[]);
    let facts = read_csv_maps(&pdf.path().join("facts.csv"));
    let item = facts
        .iter()
        .find(|f| f["code"] == "2080506" && f["line"] == "item.amount")
        .expect("the item of 2080506");
    assert_eq!(item["value"], "30.98");
    assert_eq!(
        item["item"],
        "（3）社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费"
    );
}

/// The seed on paper of 148 x 230 mm (Chromium): a page ends inside the
/// sentence 比上年减少0.16万元，降低18.18%，主要是公务用车费用减少等原因
/// (line 64 of the seed), after 等原; the change keeps its whole sentence as
/// its key.
#[test]
fn chromium_148x230_rendering_gives_the_seed_facts() {
    assert_same_as_seed("seed_chromium_148x230.pdf");
    let pdf = extract_ok(&fixture("seed_chromium_148x230.pdf"), &[]);
    let facts = read_csv_maps(&pdf.path().join("facts.csv"));
    let item = "比上年减少0.16万元，降低18.18%，主要是公务用车费用减少等原因";
    assert_eq!(
        narrative_values(&facts, item),
        [
            ("item.amount", "0.72"),
            ("item.difference", "-0.16"),
            ("item.change_percent", "-18.18")
        ]
    );
}

/// Every rendering of the seed in `tests/fixtures` (whatever
/// `scripts/render_seed_pdf.py` made) gives the seed's facts, each under
/// the seed's table, code, line, column and item.
#[test]
fn every_rendering_gives_the_seed_facts_under_the_seeds_keys() {
    let seed = extract_ok(&seed_path(), &[]);
    let expected = comparable(&seed.path().join("facts.csv"), false);
    let mut renderings: Vec<_> = std::fs::read_dir(repo_root().join("tests/fixtures"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with("seed_") && name.ends_with(".pdf")
        })
        .collect();
    renderings.sort();
    assert!(renderings.len() >= 7, "{renderings:?}");
    for rendering in renderings {
        let pdf = extract_ok(&rendering, &[]);
        let actual = comparable(&pdf.path().join("facts.csv"), false);
        assert_eq!(actual, expected, "{}", rendering.display());
    }
}

fn fixture(name: &str) -> std::path::PathBuf {
    repo_root().join("tests").join("fixtures").join(name)
}

/// The (line, value) of the narrative facts keyed by `item`, in order.
fn narrative_values<'f>(
    facts: &'f [std::collections::BTreeMap<String, String>],
    item: &str,
) -> Vec<(&'f str, &'f str)> {
    facts
        .iter()
        .filter(|f| f["table"] == "narrative" && f["item"] == item)
        .map(|f| (f["line"].as_str(), f["value"].as_str()))
        .collect()
}

/// The seed printed by Chromium in Noto Serif CJK, which Skia writes as
/// Type 3 fonts whose ToUnicode maps some glyphs to CJK radical forms
/// (部⻔ for 部门): the seed's department and every fact, check and
/// performance record.
#[test]
fn chromium_type3_noto_serif_rendering_gives_the_seed_facts_and_department() {
    assert_same_as_seed("seed_chromium_noto_serif.pdf");
    let pdf = extract_ok(
        &repo_root().join("tests/fixtures/seed_chromium_noto_serif.pdf"),
        &[],
    );
    let documents = read_csv_maps(&pdf.path().join("documents.csv"));
    assert_eq!(
        documents[0]["department"],
        "辽宁省盘锦市大洼区智慧城市运行管理中心"
    );
}

//! Issue 27's scan: the seed's LibreOffice rendering scanned at 200 dpi in
//! grey, turned 0.6°, slightly blurred, its contrast levels squeezed and
//! saved as JPEG quality 55 (`scripts/make_scans.py --variants
//! grey200worn`), read by OCR. Skipped, saying so, where Tesseract with
//! `chi_sim`, `pdftoppm` or Python's Pillow cannot be had.

use crate::common::scans::*;
use crate::common::*;

/// The whole seed (28 pages) scanned worn at 200 dpi: every fact keyed (no
/// empty `column`, no table figure without code or line), no figure
/// differing from the seed's marked `confirmed`, and the share of the
/// seed's 280 facts read equal (table, code, line, column and value).
///
/// Measured (README "Scanned reports"): 259 of 280 equal (92.5 %) before
/// the scan was cleaned (`ocr/clean.rs`) and rows of text's strokes were
/// no longer taken for rules (`lines::of_tables`): 269 (96.1 %) since. The
/// issue's target, 95 %, is asserted.
/// The seed's facts were checked against its printed tables (公开01–08表)
/// when `tests/suite/seed.rs` was written; this test compares with them.
#[test]
#[ignore = "long test: run by `cargo test --locked -- --ignored` (README, .ci/run)"]
fn a_worn_200_dpi_scan_gives_no_fact_without_its_keys_and_no_wrong_one_confirmed() {
    let _machine = machine_shared();
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("seed_libreoffice.pdf");
    script(
        "make_scans.py",
        &[
            input.as_os_str(),
            dir.path().as_os_str(),
            "--variants".as_ref(),
            "grey200worn".as_ref(),
        ],
    );
    let pdf = dir.path().join("grey200worn.pdf");
    let (out, output) = extract(&pdf, &["--no-parquet", "--limit", NO_TIME_BUDGET]);
    assert!(
        out.path().join("facts.csv").exists(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seed = read_csv_maps(
        &extract_ok(&seed_path(), &["--no-parquet"])
            .path()
            .join("facts.csv"),
    );
    assert_eq!(seed.len(), 280);
    let facts = read_csv_maps(&out.path().join("facts.csv"));
    let unkeyed: Vec<Key> = facts
        .iter()
        .filter(|f| {
            f["column"].is_empty()
                || (f["table"] != "narrative" && f["code"].is_empty() && f["line"].is_empty())
        })
        .map(key)
        .collect();
    assert!(unkeyed.is_empty(), "facts without their keys: {unkeyed:?}");
    let seed: Vec<Key> = seed.iter().map(key).collect();
    let (equal, differing) = compare(&seed, &facts, None);
    let wrong_but_confirmed: Vec<&Key> = differing
        .iter()
        .filter(|(_, check)| check == "confirmed")
        .map(|(k, _)| k)
        .collect();
    assert!(
        wrong_but_confirmed.is_empty(),
        "figures differing from the seed marked confirmed: {wrong_but_confirmed:?}"
    );
    assert!(
        equal * 100 >= 95 * seed.len(),
        "{equal} of 280 equal, under 95 %"
    );
    // the figures left without keys are issues naming page and row
    let issues = read_csv_maps(&out.path().join("issues.csv"));
    assert!(issues
        .iter()
        .filter(|i| i["message"].contains("not taken as facts"))
        .all(|i| !i["page"].is_empty() && !i["row"].is_empty() && i["severity"] == "error"));
}

/// A corpus report scanned worn (`scripts/make_worn_scans.py`, seed 27,
/// its eleventh draw: 208 dpi grey, JPEG 82, blur .92, the whole scan
/// turned 90°): 江苏省委办公厅's 2019 部门预算 tables, landscape pages of
/// small Song print. The gate read its first page sideways both ways and
/// kept the reading with the better confidence — upside down — where no
/// title is read: the report was `skipped` as no budget report, all 181
/// facts lost. The gate now looks for a report's words in every turn it
/// read. Asserted: the scan is read, the totals of its 收入预算总表 and
/// 支出预算总表 (27,664.22 万元, printed on pages 2 and 3) are among its
/// facts, and no figure differing from the born-digital report's is
/// marked `confirmed`.
#[test]
#[ignore = "long test: run by `cargo test --locked -- --ignored` (README, .ci/run)"]
fn a_corpus_report_scanned_sideways_is_let_through_the_gate() {
    let _machine = machine_shared();
    let Some(dir) = shared_corpus("jiangsu") else {
        return;
    };
    if !tools_present() {
        return;
    }
    let report = dir.join("江苏省委办公厅__江苏省委办公厅2019年度部门预算公开表格.pdf");
    let scans = tempfile::tempdir().unwrap();
    script(
        "make_worn_scans.py",
        &[
            report.as_os_str(),
            scans.path().as_os_str(),
            "--count".as_ref(),
            "11".as_ref(),
        ],
    );
    let (out, output) = extract(
        &scans.path().join("worn-11.pdf"),
        &["--no-parquet", "--limit", NO_TIME_BUDGET],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_ne!(documents[0]["status"], "skipped", "{stderr}");
    let facts = read_csv_maps(&out.path().join("facts.csv"));
    let total = |table: &str, column: &str| {
        facts.iter().any(|f| {
            f["table"] == table
                && f["line"] == "total"
                && f["column"] == column
                && f["value"] == "27664.22"
        })
    };
    assert!(total("income", "total"), "{facts:?}");
    assert!(total("expenditure", "total"));
    let born = read_csv_maps(
        &extract_ok(&report, &["--no-parquet"])
            .path()
            .join("facts.csv"),
    );
    let born: Vec<Key> = born.iter().map(key).collect();
    let (_, differing) = compare(&born, &facts, None);
    let wrong_but_confirmed: Vec<&Key> = differing
        .iter()
        .filter(|(_, check)| check == "confirmed")
        .map(|(k, _)| k)
        .collect();
    assert!(wrong_but_confirmed.is_empty(), "{wrong_but_confirmed:?}");
}

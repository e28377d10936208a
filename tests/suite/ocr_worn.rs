//! Issue 27's scan: the seed's LibreOffice rendering scanned at 200 dpi in
//! grey, turned 0.6°, slightly blurred, its contrast levels squeezed and
//! saved as JPEG quality 55 (`scripts/make_scans.py --variants
//! grey200worn`), read by OCR. Skipped, saying so, where Tesseract with
//! `chi_sim`, `pdftoppm` or Python's Pillow cannot be had.


use crate::common::*;
use std::collections::BTreeMap;
use std::process::Command;

fn tools_present() -> bool {
    if let Err(why) = gongkai::ocr::tools() {
        skip(&format!("OCR tests: {why}"));
        return false;
    }
    let pillow = Command::new("python3")
        .args(["-c", "import PIL"])
        .status()
        .is_ok_and(|s| s.success());
    if !pillow {
        skip("OCR tests: Python's Pillow is missing (pip install pillow)");
    }
    pillow
}

type Key = [String; 5];

fn key(fact: &BTreeMap<String, String>) -> Key {
    ["table", "code", "line", "column", "value"].map(|k| fact[k].clone())
}

/// The whole seed (28 pages) scanned worn at 200 dpi: every fact keyed (no
/// empty `column`, no table figure without code or line), no figure
/// differing from the seed's marked `confirmed`, and the share of the
/// seed's 280 facts read equal (table, code, line, column and value).
///
/// Measured (README "Scanned reports"): 259 of 280 equal (92.5 %) before
/// this branch and after it — the figures lost are of lines whose label
/// is misread past setting right (三公 车辆运行, 收入支出决算总表's 一般公共预算
/// 财政拨款收入) and a 项 code read with a digit too many (92910901 for
/// 2210201); those are now issues, not facts without keys. The issue's
/// target, 95 %, is not reached: the floor asserted is the measured 92 %.
/// The seed's facts were checked against its printed tables (公开01–08表)
/// when `tests/seed.rs` was written; this test compares with them.
#[test]
#[ignore = "long test: run by `cargo test --locked -- --ignored` (README, .ci/run)"]
fn a_worn_200_dpi_scan_gives_no_fact_without_its_keys_and_no_wrong_one_confirmed() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let made = Command::new("python3")
        .arg(repo_root().join("scripts").join("make_scans.py"))
        .arg(
            repo_root()
                .join("tests")
                .join("fixtures")
                .join("seed_libreoffice.pdf"),
        )
        .arg(dir.path())
        .args(["--variants", "grey200worn"])
        .status()
        .expect("python3 runs");
    assert!(made.success(), "make_scans.py failed");
    let pdf = dir.path().join("grey200worn.pdf");
    let (out, output) = extract(&pdf, &["--no-parquet", "--limit", "doc-seconds=0"]);
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
    let mut left: BTreeMap<Key, usize> = BTreeMap::new();
    for f in &seed {
        *left.entry(key(f)).or_default() += 1;
    }
    let (mut equal, mut wrong_but_confirmed) = (0, Vec::new());
    for f in &facts {
        match left.get_mut(&key(f)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                equal += 1;
            }
            _ if f["ocr_check"] == "confirmed" => wrong_but_confirmed.push(key(f)),
            _ => {}
        }
    }
    assert!(
        wrong_but_confirmed.is_empty(),
        "figures differing from the seed marked confirmed: {wrong_but_confirmed:?}"
    );
    assert!(
        equal * 100 >= 92 * seed.len(),
        "{equal} of 280 equal, under 92 %"
    );
    // the figures left without keys are issues naming page and row
    let issues = read_csv_maps(&out.path().join("issues.csv"));
    assert!(issues
        .iter()
        .filter(|i| i["message"].contains("not taken as facts"))
        .all(|i| !i["page"].is_empty() && !i["row"].is_empty() && i["severity"] == "error"));
}

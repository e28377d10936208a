//! Scanned reports read by OCR: scans made of the seed's LibreOffice
//! rendering by `scripts/make_scans.py` (page images only), read through
//! poppler's `pdftoppm` and Tesseract. Skipped, saying so, where Tesseract
//! with `chi_sim`, `pdftoppm` or Python's Pillow cannot be had (`.ci/run`
//! installs them).

use crate::common::scans::{tools_present, NO_TIME_BUDGET};
use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Scans (`variants` of `scripts/make_scans.py`, comma-separated) of
/// pages `pages` (3-4; all when `None`) of the seed's LibreOffice
/// rendering, in `dir`.
fn make_scans(dir: &Path, pages: Option<&str>, variants: &str) {
    let mut command = Command::new("python3");
    command
        .arg(repo_root().join("scripts").join("make_scans.py"))
        .arg(
            repo_root()
                .join("tests")
                .join("fixtures")
                .join("seed_libreoffice.pdf"),
        )
        .arg(dir)
        .args(["--variants", variants]);
    if let Some(pages) = pages {
        command.args(["--pages", pages]);
    }
    assert!(
        command.status().expect("python3 runs").success(),
        "make_scans.py failed"
    );
}

/// A scan (`variant`) of pages `pages` of the seed's rendering, in `dir`.
fn scan(dir: &Path, pages: &str, variant: &str) -> std::path::PathBuf {
    make_scans(dir, Some(pages), variant);
    dir.join(format!("{variant}.pdf"))
}

fn seed_facts() -> Vec<BTreeMap<String, String>> {
    let out = extract_ok(&seed_path(), &["--no-parquet"]);
    read_csv_maps(&out.path().join("facts.csv"))
}

/// 公开05表 (一般公共预算财政拨款支出决算表, page 9 of the rendering) scanned
/// at 300 dpi in one bit: every one of its 63 figures, with its code, is
/// the seed's. (The column headers are not yet read well enough to name
/// the columns: the figures come without their column key.)
#[test]
fn a_scanned_table_gives_the_seeds_codes_and_figures() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = scan(dir.path(), "9-9", "bw300");
    let (out, _) = extract(&pdf, &["--no-parquet", "--limit", NO_TIME_BUDGET]);
    let issues = read_csv_maps(&out.path().join("issues.csv"));
    assert!(
        issues
            .iter()
            .any(|i| i["page"] == "1" && i["message"].starts_with("page read by OCR")),
        "{issues:?}"
    );
    let pairs = |facts: Vec<BTreeMap<String, String>>| {
        let mut pairs: Vec<(String, String)> = facts
            .into_iter()
            .filter(|f| f["table"] == "gpb_expenditure")
            .map(|f| (f["code"].clone(), f["value"].clone()))
            .collect();
        pairs.sort();
        pairs
    };
    let expected = pairs(seed_facts());
    assert_eq!(expected.len(), 63);
    let read = pairs(read_csv_maps(&out.path().join("facts.csv")));
    assert_eq!(read, expected);
}

/// The first two pages of the 决算情况说明 (the items are on page 2)
/// scanned at 300 dpi in grey, turned 0.8°, blurred and stamped with a red
/// seal: each page is turned back, and the ten items' amounts are the
/// seed's, in order.
#[test]
#[ignore = "long test: run by `cargo test --locked -- --ignored` (README, .ci/run)"]
fn a_worn_scan_is_turned_back_and_its_items_read() {
    let _machine = machine_shared();
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = scan(dir.path(), "1-2", "worn300");
    let (out, _) = extract(&pdf, &["--no-parquet", "--limit", NO_TIME_BUDGET]);
    let issues = read_csv_maps(&out.path().join("issues.csv"));
    // the items' amounts (an item starts with its number, （1）; a stated
    // change with 与上年相比)
    let amounts = |facts: Vec<BTreeMap<String, String>>| -> Vec<String> {
        facts
            .into_iter()
            .filter(|f| f["line"] == "item.amount" && f["item"].starts_with(['(', '（']))
            .map(|f| f["value"].clone())
            .collect()
    };
    let read = amounts(read_csv_maps(&out.path().join("facts.csv")));
    // the seed's items (its 决算情况说明: 228.45 … 25.13), read from the text
    let expected = amounts(seed_facts());
    assert_eq!(
        expected,
        ["228.45", "139.69", "0.00", "0.24", "33.66", "30.98", "0.40", "13.69", "0.17", "25.13"]
    );
    assert_eq!(read, expected);
    let turned = issues
        .iter()
        .filter(|i| {
            i["message"].starts_with("page read by OCR") && i["message"].ends_with("turned -0.8°")
        })
        .count();
    assert_eq!(turned, 2, "{issues:?}");
}

/// The whole seed (28 pages) scanned four ways — 300 dpi grey JPEG, 200 dpi
/// grey JPEG, 300 dpi in one bit, and worn (turned 0.8°, blurred, a red
/// seal over a table corner) — read by OCR: the share of the seed's facts
/// each gives equal (table, code, line, column and value), and that no
/// figure differing from the seed is marked `confirmed` or `corrected`.
///
/// Measured (README "Scanned reports"): grey300 280 of 280 (100 %), bw300
/// 275 (98.2 %), grey200 277 (98.9 %), worn300 274 (97.9 %); before the
/// scans were cleaned 278, 267, 268 and 266. The issue's
/// target, 95 %, is asserted for every scan (the clean grey scan: 98 %).
#[test]
#[ignore = "long test: run by `cargo test --locked -- --ignored` (README, .ci/run)"]
fn the_seed_scanned_four_ways_gives_its_facts_and_marks_every_wrong_one() {
    let _machine = machine_shared();
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    make_scans(dir.path(), None, "grey300,grey200,bw300,worn300");
    let (out, output) = extract(dir.path(), &["--no-parquet", "--limit", NO_TIME_BUDGET]);
    assert!(
        out.path().join("facts.csv").exists(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let key = |f: &BTreeMap<String, String>| {
        ["table", "code", "line", "column", "value"].map(|k| f[k].clone())
    };
    let seed = seed_facts();
    assert_eq!(seed.len(), 280);
    let facts = read_csv_maps(&out.path().join("facts.csv"));
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    for (variant, floor) in [
        ("grey300", 98),
        ("bw300", 95),
        ("grey200", 95),
        ("worn300", 95),
    ] {
        let source = format!("{variant}.pdf");
        let document = documents.iter().find(|d| d["source"] == source).unwrap();
        let all: Vec<String> = (1..=28).map(|p| p.to_string()).collect();
        assert_eq!(document["ocr_pages"], all.join(";"), "{variant}");
        let mut left: BTreeMap<[String; 5], usize> = BTreeMap::new();
        for f in &seed {
            *left.entry(key(f)).or_default() += 1;
        }
        let mut wrong_but_vouched = Vec::new();
        let mut equal = 0;
        for f in facts.iter().filter(|f| f["source"] == source) {
            assert_eq!(f["origin"], "ocr", "{f:?}");
            match left.get_mut(&key(f)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    equal += 1;
                }
                _ if matches!(f["ocr_check"].as_str(), "confirmed" | "corrected") => {
                    wrong_but_vouched.push(key(f))
                }
                _ => {}
            }
        }
        let share = 100.0 * equal as f64 / seed.len() as f64;
        assert!(
            equal * 100 >= floor * seed.len(),
            "{variant}: {equal} of 280 equal ({share:.1} %), under {floor} %"
        );
        assert!(
            wrong_but_vouched.is_empty(),
            "{variant}: figures differing from the seed marked as vouched for: {wrong_but_vouched:?}"
        );
    }
    // the seed's own facts are of a text layer
    assert!(seed
        .iter()
        .all(|f| f["origin"] == "text" && f["ocr_check"].is_empty()));
}

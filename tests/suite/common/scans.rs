//! What the OCR tests share (`ocr`, `ocr_scans`, `ocr_worn`): whether the
//! programs are here, the scripts that make scans, and the comparison of a
//! scan's facts with the seed's.

use super::*;
use std::collections::BTreeMap;
use std::process::Command;

/// These tests measure what OCR reads, not how fast: on a machine busy
/// with other work a scan may take longer than the default time budget
/// (`doc-seconds`), so they run without one.
pub const NO_TIME_BUDGET: &str = "doc-seconds=0";

/// Whether the programs the scans and their OCR need are here (said as
/// SKIPPED when not).
pub fn tools_present() -> bool {
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

/// Whether a font with Chinese is installed for `make_nonreports.py` to
/// draw its notices in (said as SKIPPED when not).
pub fn cjk_font_present() -> bool {
    let listed = Command::new("fc-list")
        .arg(":lang=zh")
        .output()
        .is_ok_and(|out| out.status.success() && !out.stdout.is_empty());
    if !listed {
        skip("no CJK font installed (apt-get install fonts-noto-cjk): the scanned non-reports cannot be drawn");
    }
    listed
}

/// Run `scripts/<name>` with `args`; a failure fails the test.
pub fn script(name: &str, args: &[&std::ffi::OsStr]) {
    let status = Command::new("python3")
        .arg(repo_root().join("scripts").join(name))
        .args(args)
        .status()
        .expect("python3 runs");
    assert!(status.success(), "{name} failed");
}

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests").join("fixtures").join(name)
}

/// A fact as compared with the seed's: table, code, line, column, value.
pub type Key = [String; 5];

pub fn key(fact: &BTreeMap<String, String>) -> Key {
    ["table", "code", "line", "column", "value"].map(|k| fact[k].clone())
}

/// The seed's facts, each as its [`Key`].
pub fn seed_keys() -> Vec<Key> {
    let out = extract_ok(&seed_path(), &["--no-parquet"]);
    read_csv_maps(&out.path().join("facts.csv"))
        .iter()
        .map(key)
        .collect()
}

/// Of a scan's facts (those of `source` in `facts`, all when `None`): how
/// many equal the seed's (each seed fact matched once), and the others
/// with their `ocr_check`.
pub fn compare(
    seed: &[Key],
    facts: &[BTreeMap<String, String>],
    source: Option<&str>,
) -> (usize, Vec<(Key, String)>) {
    let mut left: BTreeMap<&Key, usize> = BTreeMap::new();
    for k in seed {
        *left.entry(k).or_default() += 1;
    }
    let mut equal = 0;
    let mut differing = Vec::new();
    for f in facts
        .iter()
        .filter(|f| source.is_none_or(|s| f["source"] == s))
    {
        let k = key(f);
        match left.get_mut(&k) {
            Some(n) if *n > 0 => {
                *n -= 1;
                equal += 1;
            }
            _ => differing.push((k, f["ocr_check"].clone())),
        }
    }
    (equal, differing)
}

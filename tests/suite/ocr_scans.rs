//! Scans as they come (issue 27): a scan saved without its resolution, a
//! batch of scanned documents that are not budget reports, and scans of
//! the seed worn at random (`scripts/make_worn_scans.py`: resolution, JPEG
//! quality, blur, speckle, uneven contrast, 1 bit, skew, a seal, turns).
//! Long tests: each reads many pages by OCR. Skipped, saying so, where
//! Tesseract with `chi_sim`, `pdftoppm` or Python's Pillow cannot be had.

use crate::common::scans::*;
use crate::common::*;

/// Of a comparison: the facts equal to the seed's, and the differing ones
/// marked `confirmed` or `corrected` (vouched for by an identity).
fn vouched_for((equal, differing): (usize, Vec<(Key, String)>)) -> (usize, Vec<Key>) {
    let vouched = differing
        .into_iter()
        .filter(|(_, check)| matches!(check.as_str(), "confirmed" | "corrected"))
        .map(|(k, _)| k)
        .collect();
    (equal, vouched)
}

/// The seed's landscape Chromium rendering (33 pages of 841.92 × 594.96
/// pt) scanned at 300 dpi in one bit and saved without its resolution
/// (`make_scans.py --variants bw300nodpi`): pages of 3,508 × 2,479 pt,
/// which at 300 dpi were over the `ocr-pixels` limit, so that no page was
/// read. Read at its images' pixels, every page is read by OCR and the
/// seed's facts come back: measured 277 of 280 (98.9 %), none differing
/// and vouched for; asserted ≥ 95 %.
#[test]
#[ignore = "long test: 33 pages read by OCR (about 5 minutes on 2 cores)"]
fn a_scan_saved_without_its_resolution_is_read_at_its_pixels() {
    let _machine = machine_shared();
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    let input = fixture("seed_chromium_landscape.pdf");
    script(
        "make_scans.py",
        &[
            input.as_os_str(),
            scans.as_os_str(),
            "--variants".as_ref(),
            "bw300nodpi".as_ref(),
        ],
    );
    let (out, _) = extract(&scans, &["--no-parquet", "--limit", NO_TIME_BUDGET]);
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    let all: Vec<String> = (1..=33).map(|p| p.to_string()).collect();
    assert_eq!(documents[0]["ocr_pages"], all.join(";"));
    let seed = seed_keys();
    let facts = read_csv_maps(&out.path().join("facts.csv"));
    let (equal, vouched) = vouched_for(compare(&seed, &facts, Some("bw300nodpi.pdf")));
    assert!(equal * 100 >= 95 * seed.len(), "{equal} of {}", seed.len());
    assert!(vouched.is_empty(), "{vouched:?}");
}

/// Twenty scanned notices and letters (`scripts/make_nonreports.py`, seed
/// 27: titles like 区教育局关于做好防汛抗旱准备工作的通知, one to two pages,
/// some speaking of 预算 and 万元 as notices do — looked at rendered) are
/// each `skipped` as not a budget report after the gate read one page,
/// and give no fact.
#[test]
#[ignore = "long test: twenty scans through the OCR gate (about a minute on 2 busy cores)"]
fn scanned_notices_and_letters_are_skipped_by_the_gate() {
    let _machine = machine_shared();
    if !tools_present() || !cjk_font_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    script("make_nonreports.py", &[scans.as_os_str()]);
    let (out, _) = extract(&scans, &["--no-parquet", "--limit", NO_TIME_BUDGET]);
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_eq!(documents.len(), 20);
    for document in &documents {
        assert_eq!(document["status"], "skipped", "{document:?}");
        assert!(
            document["reason"].starts_with("scanned, not a budget report (pages read: 1)"),
            "{document:?}"
        );
    }
    assert_eq!(read_csv_maps(&out.path().join("facts.csv")).len(), 0);
}

/// The seed scanned twelve ways worn at random (`make_worn_scans.py`,
/// seed 27; each draw listed in README "Scanned reports (OCR)" and in the
/// generator's worn.tsv): every scan gives at least 95 % of the seed's 280
/// facts equal (table, code, line, column, value), and no figure that
/// differs from the seed is marked `confirmed` or `corrected`.
///
/// Not yet met (issue 27 is open): 24–37 % of the facts on the first
/// three scans before the scans were cleaned (`ocr/clean.rs`); 67–99 %
/// across the twelve on 2026-12-07 (2,996 of 3,360 facts, 2,950 that
/// morning), two at ≥ 95 %, none vouched for
/// (README "Scans as they come"). It reads 336 pages — longer than CI's budget
/// allows beside the other tests — so it runs when asked:
/// `GONGKAI_WORN_SCANS=1 cargo test --locked --test suite worn -- --ignored`.
#[test]
#[ignore = "long test: 336 pages read by OCR (half an hour or more on 2 cores); run with GONGKAI_WORN_SCANS=1"]
fn the_seed_worn_twelve_ways_gives_its_facts() {
    let _machine = machine_shared();
    if std::env::var_os("GONGKAI_WORN_SCANS").is_none() {
        skip("the twelve worn scans take half an hour; set GONGKAI_WORN_SCANS=1 (issue 27: not yet at 95 %)");
        return;
    }
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    let input = fixture("seed_libreoffice.pdf");
    script(
        "make_worn_scans.py",
        &[input.as_os_str(), scans.as_os_str()],
    );
    std::fs::remove_file(scans.join("worn.tsv")).unwrap();
    let (out, _) = extract(&scans, &["--no-parquet", "--limit", NO_TIME_BUDGET]);
    let seed = seed_keys();
    assert_eq!(seed.len(), 280);
    let facts = read_csv_maps(&out.path().join("facts.csv"));
    let mut failures = Vec::new();
    for n in 1..=12 {
        let source = format!("worn-{n:02}.pdf");
        let (equal, vouched) = vouched_for(compare(&seed, &facts, Some(&source)));
        if equal * 100 < 95 * seed.len() || !vouched.is_empty() {
            failures.push(format!(
                "{source}: {equal} of 280 equal, {} differing and vouched for",
                vouched.len()
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A third of the worn draws turn the whole scan by 90°, 180° or 270°
/// (`make_worn_scans.py`, seed 27). The gate read a scan's first page as
/// it lay, found no report's words in the sideways or upside-down text
/// and skipped it as "not a budget report": on the 28-page scans worn-07
/// (270°) and worn-10 (180°) gave 0 facts. Turned the right way up by the
/// gate, each is read. Here: the seed's first four pages (its 决算情况说明
/// and 收入支出决算总表) worn ten ways; of them every scan turned whole
/// (five: 90°, 180°, three 270°) is read, placed in the seed's region and
/// year, its facts equal to the seed's (measured: 77 to 81 of the four
/// pages' facts; asserted 70), none differing and vouched for (worn-10's
/// 上年结转和结余0:00万元 is read as 0 and confirmed: the seed's 0.00). Not asserted: the report's kind — worn-07's
/// garbled title made it a `budget` (issue 27, open).
#[test]
#[ignore = "long test: four-page scans read by OCR (about a minute on 2 cores)"]
fn a_scan_turned_whole_is_read_not_skipped_by_the_gate() {
    let _machine = machine_shared();
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    let input = fixture("seed_libreoffice.pdf");
    script(
        "make_worn_scans.py",
        &[
            input.as_os_str(),
            scans.as_os_str(),
            "--count".as_ref(),
            "10".as_ref(),
            "--pages".as_ref(),
            "1-4".as_ref(),
        ],
    );
    let draws = std::fs::read_to_string(scans.join("worn.tsv")).unwrap();
    let header: Vec<&str> = draws.lines().next().unwrap().split('\t').collect();
    let turn = header.iter().position(|h| *h == "turn").unwrap();
    let mut turned = Vec::new();
    for line in draws.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields[turn] == "0" {
            std::fs::remove_file(scans.join(fields[0])).unwrap();
        } else {
            turned.push((fields[0].to_string(), fields[turn].to_string()));
        }
    }
    std::fs::remove_file(scans.join("worn.tsv")).unwrap();
    eprintln!("scans turned whole: {turned:?}");
    assert!(turned.len() >= 2, "{turned:?}");
    let (out, _) = extract(&scans, &["--no-parquet", "--limit", NO_TIME_BUDGET]);
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_eq!(documents.len(), turned.len());
    for document in &documents {
        assert_ne!(document["status"], "skipped", "{document:?}");
        assert_eq!(document["region_code"], "211104", "{document:?}");
        assert_eq!(document["year"], "2023", "{document:?}");
    }
    let seed = seed_keys();
    let facts = read_csv_maps(&out.path().join("facts.csv"));
    for (scan, _) in &turned {
        let (equal, vouched) = vouched_for(compare(&seed, &facts, Some(scan)));
        // a figure whose printed zeros were misread (0:00万元 read as 0)
        // is the seed's figure: not a wrong one
        let vouched: Vec<Key> = vouched
            .into_iter()
            .filter(|k| {
                !seed
                    .iter()
                    .any(|s| s[..4] == k[..4] && same_number(&s[4], &k[4]))
            })
            .collect();
        eprintln!("{scan}: {equal} facts equal to the seed's");
        assert!(equal >= 70, "{scan}: {equal} equal");
        assert!(vouched.is_empty(), "{scan}: {vouched:?}");
    }
}

/// Whether two figures as written are one number (0 and 0.00).
fn same_number(a: &str, b: &str) -> bool {
    match (
        a.parse::<rust_decimal::Decimal>(),
        b.parse::<rust_decimal::Decimal>(),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

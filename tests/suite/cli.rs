//! The binary on folders of mixed input, the way a user runs it.

use crate::common::*;
use std::fs;

#[test]
fn a_bad_file_changes_its_own_status_and_the_exit_code_only() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    fs::copy(seed_path(), input.path().join(SEED_NAME)).unwrap();
    fs::write(
        input.path().join("binary.bin"),
        [0x00u8, 0x9F, 0x92, 0x96, 0x00, 0x01, 0x02, 0xFF],
    )
    .unwrap();
    fs::write(input.path().join("empty.txt"), b"").unwrap();
    fs::create_dir(input.path().join("notes")).unwrap();
    fs::write(
        input.path().join("notes").join("memo.txt"),
        "会议纪要\n本文件不含任何表格。\n",
    )
    .unwrap();

    let output = gongkai(&[
        "extract",
        input.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "some files failed: exit code 1"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "4 files (0 unchanged since the last run): 1 ok, 0 partial, 2 failed, 1 skipped"
        ),
        "{stderr}"
    );

    let documents = read_csv_maps(&out.path().join("documents.csv"));
    let status: Vec<(&str, &str, &str)> = documents
        .iter()
        .map(|d| {
            (
                d["source"].as_str(),
                d["status"].as_str(),
                d["reason"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        status,
        [
            (
                "binary.bin",
                "failed",
                "not a text file: binary content at byte 0"
            ),
            ("empty.txt", "failed", "empty file (0 bytes)"),
            (SEED_NAME, "ok", ""),
            ("notes/memo.txt", "skipped", "no disclosure table found"),
        ]
    );
    assert_golden(&out.path().join("facts.csv"), "seed_facts.csv");
}

#[test]
fn unsupported_formats_are_listed_not_dropped() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    // a ZIP (Word) package named .pdf: recognised from content, not from the name
    fs::write(
        input.path().join("report.pdf"),
        b"PK\x03\x04\x14\x00\x06\x00",
    )
    .unwrap();
    let output = gongkai(&[
        "extract",
        input.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_eq!(documents[0]["status"], "skipped");
    assert_eq!(documents[0]["format"], "zip");
    assert!(documents[0]["reason"].contains("zip input is recognised but not supported"));
}

#[test]
fn a_broken_pdf_fails_alone_with_its_reason() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    fs::write(
        input.path().join("broken.pdf"),
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Cat",
    )
    .unwrap();
    fs::copy(seed_path(), input.path().join(SEED_NAME)).unwrap();
    let output = gongkai(&[
        "extract",
        input.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_eq!(documents[0]["source"], "broken.pdf");
    assert_eq!(documents[0]["status"], "failed");
    assert_eq!(documents[0]["format"], "pdf");
    assert!(
        documents[0]["reason"].starts_with("unreadable PDF: "),
        "{}",
        documents[0]["reason"]
    );
    assert_eq!(documents[1]["status"], "ok");
}

#[test]
fn excel_mode_adds_a_bom_and_neutralises_formulas() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let text = seed_text().replace("\t事业运行\n", "\t=事业运行\n");
    fs::write(input.path().join("r.txt"), text).unwrap();
    gongkai(&[
        "extract",
        input.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--excel",
    ]);
    let bytes = fs::read(out.path().join("facts.csv")).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains(",'=事业运行,"));
    assert!(!text.contains(",=事业运行,"));
}

#[test]
fn patterns_check_names_the_file_and_the_bad_key() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("tables")).unwrap();
    fs::write(
        dir.path().join("tables").join("x.toml"),
        "key = \"x\"\nshape = \"lines\"\ncolums = []\n[final]\ntitles = [\"某表\"]\n",
    )
    .unwrap();
    let output = gongkai(&["patterns", "check", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("x.toml") && stderr.contains("colums"),
        "{stderr}"
    );

    let good = gongkai(&[
        "patterns",
        "check",
        repo_root().join("patterns").to_str().unwrap(),
    ]);
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
}

#[test]
fn a_pattern_folder_extends_the_builtin_set() {
    let dir = tempfile::tempdir().unwrap();
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("tables")).unwrap();
    // a province that calls the 三公 table 公务经费表 and its columns 计划/实际
    fs::write(
        dir.path().join("tables").join("three_public.toml"),
        r#"key = "three_public"
shape = "lines"
[final]
titles = ["公务经费表"]
[[columns]]
key = "budget"
labels = ["计划"]
[[columns]]
key = "final"
labels = ["实际"]
[[lines]]
key = "total"
labels = ["合计"]
[[lines]]
key = "abroad"
labels = ["出国费"]
[[lines]]
key = "reception"
labels = ["接待费"]
[[lines]]
key = "vehicle"
labels = ["用车费"]
[[lines]]
key = "vehicle_purchase"
labels = ["购车费"]
[[lines]]
key = "vehicle_operation"
labels = ["车辆运行费"]
"#,
    )
    .unwrap();
    fs::write(
        input.path().join("r.txt"),
        "公务经费表\n\t单位：元\n\n\t项目\n\t计划\n\t实际\n\n\t合计\n\t1,200.00\n\t1,000.50\n",
    )
    .unwrap();
    let output = gongkai(&[
        "extract",
        input.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--patterns",
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let facts = read_csv_maps(&out.path().join("facts.csv"));
    let got: Vec<(&str, &str, &str)> = facts
        .iter()
        .map(|f| {
            (
                f["line"].as_str(),
                f["column"].as_str(),
                f["value_yuan"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("total", "budget", "1200.00"),
            ("total", "final", "1000.50")
        ]
    );
}

/// `--patterns` on a folder that is not there is said once, clearly, with
/// exit code 2; `extract --help` shows the paths as required.
#[test]
fn a_missing_pattern_folder_and_the_usage_are_said_plainly() {
    let out = tempfile::tempdir().unwrap();
    let output = gongkai(&[
        "extract",
        seed_path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--patterns",
        "/no/such/patterns",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("/no/such/patterns").count(), 1, "{stderr}");
    assert_eq!(
        stderr.matches("no such pattern folder").count(),
        1,
        "{stderr}"
    );
    let help = gongkai(&["extract", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("Usage: gongkai extract [OPTIONS] <PATHS>..."),
        "{help}"
    );
}

/// `gongkai check` on an `--excel` output writes what `extract --excel`
/// wrote: the BOM and the neutralised cells are kept.
#[test]
fn rechecking_an_excel_output_keeps_its_form() {
    let out = extract_ok(&seed_path(), &["--excel", "--no-parquet"]);
    let read = |name: &str| std::fs::read(out.path().join(name)).unwrap();
    let (checks, documents) = (read("checks.csv"), read("documents.csv"));
    assert!(checks.starts_with("\u{FEFF}".as_bytes()));
    let output = gongkai(&["check", out.path().to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        read("checks.csv") == checks,
        "checks.csv rewritten differently"
    );
    // documents.csv: the same but for the run's timing
    let without_timing = |bytes: Vec<u8>| {
        let text = String::from_utf8(bytes).unwrap();
        text.lines()
            .map(|l| l.rsplit_once(',').map_or(l, |(head, _)| head).to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        without_timing(read("documents.csv")),
        without_timing(documents)
    );
}

/// `gongkai layout FILE | head`: a reader that closes the pipe early ends
/// the command quietly (no panic, exit 0).
#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    use std::process::{Command, Stdio};
    let fixture = repo_root().join("tests/fixtures/seed_layout.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["layout", fixture.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gongkai");
    drop(child.stdout.take()); // the reader goes away before anything is written
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

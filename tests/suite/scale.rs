//! Whole-corpus runs: the output does not depend on the number of threads,
//! on earlier runs, on a run having been killed, or on sharding; the
//! Parquet files hold the same figures as the CSV.
//!
//! "Same output" is every file of the output folder byte for byte (CSV,
//! Parquet, datapackage.json), except `documents.csv`'s `elapsed_ms`, the
//! one column that measures the run rather than the document.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A folder of inputs: seed variants (distinct figures, so distinct
/// hashes), the rendered seed PDFs and an empty file.
fn inputs(seeds: usize) -> tempfile::TempDir {
    let input = tempfile::tempdir().unwrap();
    for i in 0..seeds {
        let text = seed_text().replace("472.39", &format!("4{:02}.39", i % 100));
        std::fs::write(input.path().join(format!("seed_{i:03}.txt")), text).unwrap();
    }
    for name in ["seed_chromium_portrait.pdf", "seed_libreoffice.pdf"] {
        std::fs::copy(
            repo_root().join("tests/fixtures").join(name),
            input.path().join(name),
        )
        .unwrap();
    }
    std::fs::write(input.path().join("empty.txt"), b"").unwrap();
    input
}

fn run(input: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = gongkai(&args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    // exit 1: the empty file fails, by design
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    stderr
}

/// Every output file under `dir` (relative path → bytes), `.gongkai/` aside,
/// with `documents.csv`'s timing column blanked.
fn output_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if relative == ".gongkai" {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    let documents = read_csv(&dir.join("documents.csv"));
    let timing = documents[0].iter().position(|c| c == "elapsed_ms").unwrap();
    let blanked: Vec<String> = documents
        .into_iter()
        .map(|mut row| {
            row[timing].clear();
            row.join("\u{1f}")
        })
        .collect();
    files.insert("documents.csv".into(), blanked.join("\n").into_bytes());
    files
}

fn assert_same_output(a: &Path, b: &Path, what: &str) {
    let (a, b) = (output_files(a), output_files(b));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: different files"
    );
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{what}: {name} differs");
    }
}

/// "N files (M unchanged since the last run)" from the summary line.
fn unchanged(stderr: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.contains("unchanged since"))
        .unwrap();
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn one_and_four_threads_write_the_same_output() {
    let input = inputs(6);
    let (one, four) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run(input.path(), one.path(), &["-j", "1"]);
    run(input.path(), four.path(), &["-j", "4"]);
    assert_same_output(one.path(), four.path(), "-j 1 vs -j 4");
    let documents = read_csv(&one.path().join("documents.csv"));
    assert_eq!(documents.len(), 10);
    assert!(one.path().join("facts.parquet").is_file());
    assert!(one.path().join("tables/income.parquet").is_file());
}

#[test]
fn a_second_run_skips_unchanged_documents_and_writes_the_same_bytes() {
    let input = inputs(3);
    let out = tempfile::tempdir().unwrap();
    let first = run(input.path(), out.path(), &[]);
    assert_eq!(unchanged(&first), (6, 0));
    let before = output_files(out.path());
    let documents_before = std::fs::read(out.path().join("documents.csv")).unwrap();

    let second = run(input.path(), out.path(), &[]);
    assert_eq!(unchanged(&second), (6, 6), "{second}");
    assert_eq!(before, output_files(out.path()));
    // timings too: the rows come from the cache
    assert_eq!(
        documents_before,
        std::fs::read(out.path().join("documents.csv")).unwrap()
    );

    // one changed file is processed again, the others are not
    let changed = seed_text().replace("472.39", "999.39");
    std::fs::write(input.path().join("seed_001.txt"), changed).unwrap();
    let third = run(input.path(), out.path(), &[]);
    assert_eq!(unchanged(&third), (6, 5), "{third}");
    let facts = std::fs::read_to_string(out.path().join("facts.csv")).unwrap();
    assert!(facts.contains("999.39"));

    // a removed file leaves the output and the cache
    std::fs::remove_file(input.path().join("seed_002.txt")).unwrap();
    run(input.path(), out.path(), &[]);
    let documents = read_csv(&out.path().join("documents.csv"));
    assert!(documents.iter().all(|row| row[1] != "seed_002.txt"));
    let entries = count_files(&out.path().join(".gongkai/docs"));
    assert_eq!(entries, 5);

    // --force processes everything again
    let forced = run(input.path(), out.path(), &["--force"]);
    assert_eq!(unchanged(&forced), (5, 0), "{forced}");

    // entries are compressed, an entry that cannot be read (damaged, or of
    // the uncompressed format 1) is not used but redone, and a leftover
    // of an older format is removed
    let docs = out.path().join(".gongkai/docs");
    let entries = walk_files(&docs);
    assert!(entries
        .iter()
        .all(|e| e.to_string_lossy().ends_with(".rows.zst")));
    let raw = std::fs::read(&entries[0]).unwrap();
    assert_eq!(raw[..4], [0x28, 0xB5, 0x2F, 0xFD], "zstd frame magic");
    std::fs::write(&entries[0], b"gongkai-rows,1,stale,x\n").unwrap();
    let old = docs
        .join("00")
        .join("0123456789abcdef0123456789abcdef.rows");
    std::fs::create_dir_all(old.parent().unwrap()).unwrap();
    std::fs::write(&old, b"gongkai-rows,1,stale,x\n").unwrap();
    let repaired = run(input.path(), out.path(), &[]);
    assert_eq!(unchanged(&repaired), (5, 4), "{repaired}");
    assert!(!old.exists());
    assert_eq!(count_files(&docs), 5);
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        count_files(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(unix)]
#[test]
fn a_run_killed_part_way_is_finished_by_the_next_run() {
    let input = inputs(40);
    let clean = tempfile::tempdir().unwrap();
    run(input.path(), clean.path(), &["-j", "1"]);

    let out = tempfile::tempdir().unwrap();
    // an earlier complete run on other inputs: the killed run must not
    // leave a mix of old and new files behind either
    let older = inputs(2);
    run(older.path(), out.path(), &[]);

    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["extract", input.path().to_str().unwrap(), "-o"])
        .arg(out.path())
        .args(["-j", "1"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // kill it once some documents are done but (most likely) not all
    let docs = out.path().join(".gongkai/docs");
    let started = std::time::Instant::now();
    while count_files(&docs) < 8 && started.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let finished_early = child.try_wait().unwrap().is_some();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let done = count_files(&docs);

    let rerun = run(input.path(), out.path(), &["-j", "1"]);
    assert_same_output(clean.path(), out.path(), "killed run + rerun vs clean run");
    let (files, reused) = unchanged(&rerun);
    eprintln!(
        "killed after {done} documents (finished early: {finished_early}); rerun reused {reused}"
    );
    assert_eq!(files, 43);
    if !finished_early {
        // the documents done before the kill were not processed again
        assert!((6..43).contains(&reused), "{done} entries, {reused} reused");
    }
    // no temporary file survives
    let leftovers: Vec<PathBuf> = walk_files(out.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk_files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn shards_cover_every_input_once_and_merge_into_the_unsharded_output() {
    let input = inputs(7);
    let whole = tempfile::tempdir().unwrap();
    run(input.path(), whole.path(), &["--partition", "year,report"]);
    let parts = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let mut sources = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        let shard = format!("{}/2", k + 1);
        let output = gongkai(&[
            "extract",
            input.path().to_str().unwrap(),
            "-o",
            part.path().to_str().unwrap(),
            "--shard",
            &shard,
            "--partition",
            "year,report",
        ]);
        assert!(output.status.code().unwrap() <= 1);
        let documents = read_csv(&part.path().join("documents.csv"));
        assert!(documents.len() > 1, "shard {shard} is empty");
        sources.extend(documents[1..].iter().map(|row| row[1].clone()));
    }
    sources.sort();
    let mut all: Vec<String> = read_csv(&whole.path().join("documents.csv"))[1..]
        .iter()
        .map(|row| row[1].clone())
        .collect();
    all.sort();
    assert_eq!(sources, all, "every input exactly once");

    let merged = tempfile::tempdir().unwrap();
    // the order of the folders given does not matter
    let output = gongkai(&[
        "merge",
        parts[1].path().to_str().unwrap(),
        parts[0].path().to_str().unwrap(),
        "-o",
        merged.path().to_str().unwrap(),
        "--partition",
        "year,report",
    ]);
    assert!(output.status.code().unwrap() <= 1);
    assert_same_output(whole.path(), merged.path(), "merge of shards vs unsharded");
    assert!(merged
        .path()
        .join("facts/year=2023/report=final/part-0.parquet")
        .is_file());

    // merging a shard with itself is refused
    let twice = tempfile::tempdir().unwrap();
    let output = gongkai(&[
        "merge",
        parts[0].path().to_str().unwrap(),
        parts[0].path().to_str().unwrap(),
        "-o",
        twice.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("disjoint shards"));

    // one share alone is an incomplete set: refused unless asked for
    let alone = tempfile::tempdir().unwrap();
    let merge_alone = |extra: &[&str]| {
        let mut args = vec![
            "merge",
            parts[1].path().to_str().unwrap(),
            "-o",
            alone.path().to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        gongkai(&args)
    };
    let output = merge_alone(&[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("shard 1/2 missing"), "{stderr}");
    let output = merge_alone(&["--allow-partial"]);
    assert!(
        output.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn files_from_reads_the_listed_files() {
    let input = inputs(2);
    let list = input.path().join("list.txt");
    let a = input.path().join("seed_001.txt");
    let b = input.path().join("seed_chromium_portrait.pdf");
    std::fs::write(
        &list,
        format!("# two of them\n{}\n\n{}\n", a.display(), b.display()),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = gongkai(&[
        "extract",
        "--files-from",
        list.to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let documents = read_csv(&out.path().join("documents.csv"));
    let sources: Vec<&str> = documents[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(sources.len(), 2);
    assert!(sources[0].ends_with("seed_001.txt") && sources[1].ends_with(".pdf"));
}

/// Two runs on one output folder: the second is refused at once (exit 2,
/// naming the first's pid), and the first's output is whole.
#[test]
fn a_second_run_on_a_folder_in_use_is_refused() {
    let input = inputs(60);
    let out = tempfile::tempdir().unwrap();
    let mut first = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["extract", input.path().to_str().unwrap(), "-o"])
        .arg(out.path())
        .args(["-j", "1"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lock = out.path().join(".gongkai/lock");
    let held = format!("pid {}", first.id());
    let started = std::time::Instant::now();
    while !std::fs::read_to_string(&lock).is_ok_and(|l| l.contains(&held)) {
        assert!(
            started.elapsed().as_secs() < 30,
            "the first run never took the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let second = gongkai(&[
        "extract",
        input.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    let first_status = first.wait().unwrap();
    assert_eq!(second.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("another gongkai run") && stderr.contains(&held),
        "{stderr}"
    );
    assert!(first_status.code().unwrap() <= 1);
    let documents = read_csv(&out.path().join("documents.csv"));
    assert_eq!(
        documents.len(),
        1 + 63,
        "every input of the first run, once"
    );
    // the folder is free again once the first run has ended
    let again = gongkai(&["check", out.path().to_str().unwrap()]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

/// A run killed at each point of publishing its output (`GONGKAI_FAILPOINT`
/// aborts it there, as `kill -9` would): with the documents written into
/// staging, with the set finished but not committed, and with the move
/// into place begun. Before the commit the folder is still the previous
/// output, byte for byte; once the move has begun, `datapackage.json` is
/// absent (the folder says it is incomplete) until the next command on the
/// folder — a rerun, or `gongkai check` — finishes the move. Either way the
/// end is the new output exactly, and nothing of the killed run is left.
#[cfg(unix)]
#[test]
fn a_run_killed_while_publishing_leaves_one_generation() {
    use std::os::unix::process::ExitStatusExt;
    let older = inputs(2);
    let newer = inputs(5);
    let clean = tempfile::tempdir().unwrap();
    run(newer.path(), clean.path(), &[]);
    for (point, finish_with) in [
        ("written", "extract"),
        ("staged", "extract"),
        ("moving", "extract"),
        ("moving", "check"),
    ] {
        let out = tempfile::tempdir().unwrap();
        run(older.path(), out.path(), &[]);
        let previous = output_files(out.path());
        let killed = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["extract", newer.path().to_str().unwrap(), "-o"])
            .arg(out.path())
            .env("GONGKAI_FAILPOINT", point)
            .output()
            .unwrap();
        assert_eq!(killed.status.signal(), Some(libc::SIGABRT), "{point}");
        if point == "moving" {
            assert!(!out.path().join("datapackage.json").exists(), "{point}");
            assert!(out.path().join(".gongkai/ready").is_dir(), "{point}");
        } else {
            assert!(
                output_files(out.path()) == previous,
                "killed at {point}: the folder is no longer the previous output"
            );
        }
        match finish_with {
            "extract" => {
                run(newer.path(), out.path(), &[]);
            }
            _ => assert!(gongkai(&["check", out.path().to_str().unwrap()])
                .status
                .code()
                .is_some_and(|c| c <= 1)),
        }
        assert_same_output(clean.path(), out.path(), point);
        for left in ["staging", "ready"] {
            assert!(
                !out.path().join(".gongkai").join(left).exists(),
                "{point}: {left}"
            );
        }
    }
}

/// `merge` takes the shares of one run only (issue 25): shards made with
/// other limits, other patterns, or over another input list are refused,
/// as is a folder with no record of its run or a record that is not one;
/// a share is checked against every other, not only its neighbour.
#[test]
fn shards_of_different_runs_are_not_merged() {
    let input = inputs(3);
    let part = |extra: &[&str], input: &Path| {
        let out = tempfile::tempdir().unwrap();
        let mut args = vec![
            "extract",
            input.to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
            "--no-parquet",
        ];
        args.extend_from_slice(extra);
        assert!(gongkai(&args).status.code().unwrap() <= 1);
        out
    };
    let merge = |a: &Path, b: &Path, extra: &[&str]| {
        let out = tempfile::tempdir().unwrap();
        let mut args = vec![
            "merge",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
            "--no-parquet",
        ];
        args.extend_from_slice(extra);
        let output = gongkai(&args);
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let first = part(&["--shard", "1/2"], input.path());
    let second = part(&["--shard", "2/2"], input.path());
    let (code, stderr) = merge(first.path(), second.path(), &[]);
    assert!(code.unwrap() <= 1, "{stderr}");

    let limits = part(&["--shard", "2/2", "--limit", "facts=500K"], input.path());
    let (code, stderr) = merge(first.path(), limits.path(), &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("two runs (different limits)"), "{stderr}");

    // the same files and one more: another input list
    std::fs::write(input.path().join("late.txt"), seed_text()).unwrap();
    let later = part(&["--shard", "2/2"], input.path());
    let (code, stderr) = merge(first.path(), later.path(), &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("(a different input list)"), "{stderr}");

    let patterns = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("patterns"), patterns.path());
    let report = patterns.path().join("report.toml");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, format!("# a local variant\n{text}")).unwrap();
    let (code, stderr) = merge(
        first.path(),
        second.path(),
        &["--patterns", patterns.path().to_str().unwrap()],
    );
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("other patterns than merge is given"),
        "{stderr}"
    );

    let record = second.path().join(".gongkai/run");
    std::fs::write(&record, "shard=2/2\nbuild=../../x\n").unwrap();
    let (code, stderr) = merge(first.path(), second.path(), &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("not a record of a run"), "{stderr}");
    std::fs::remove_file(&record).unwrap();
    let (code, stderr) = merge(first.path(), second.path(), &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no record of the run"), "{stderr}");
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

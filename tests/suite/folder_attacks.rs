//! An output folder is input too (issue 25): its `.gongkai/` state travels
//! with it (a shard from another machine, a folder someone asks you to
//! `check`), so every name read from it is checked and no link in it is
//! followed. Each case prepares a real output of the sample, tampers with
//! its state as an attacker would, runs gongkai on it, and asserts that a
//! sentinel tree beside the output is byte for byte what it was — and that
//! the folder is refused (exit 2, a message naming the file) where its
//! state is not gongkai's.

use crate::common::*;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

/// A tree of files beside the output that no run may touch.
struct Sentinel {
    root: PathBuf,
}

impl Sentinel {
    fn plant(dir: &Path) -> Sentinel {
        let root = dir.join("sentinel");
        fs::create_dir_all(root.join("victimdir/deep")).unwrap();
        fs::write(root.join("file.txt"), "do not touch\n").unwrap();
        fs::write(root.join("victimdir/a.csv"), "a,b\n1,2\n").unwrap();
        fs::write(root.join("victimdir/deep/b.txt"), "deep\n").unwrap();
        Sentinel { root }
    }

    /// Every file under the tree with its bytes.
    fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for entry in fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.insert(path.clone(), fs::read(&path).unwrap());
                }
            }
        }
        let mut files = BTreeMap::new();
        walk(&self.root, &mut files);
        files
    }
}

/// A finished output of the sample in `dir/out`, a sentinel beside it.
fn prepared() -> (tempfile::TempDir, PathBuf, Sentinel) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = extract_sample(&out);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sentinel = Sentinel::plant(dir.path());
    (dir, out, sentinel)
}

/// `gongkai extract samples -o OUT`.
fn extract_sample(out: &Path) -> std::process::Output {
    gongkai(&[
        "extract",
        repo_root().join("samples").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-parquet",
    ])
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_published_list_naming_a_path_outside_is_refused() {
    let (_dir, out, sentinel) = prepared();
    let before = sentinel.snapshot();
    // a set "ready" to be moved in, and a previous set naming ../sentinel
    let state = out.join(".gongkai");
    fs::create_dir_all(state.join("ready")).unwrap();
    fs::write(state.join("ready/.entries"), "facts.csv\n").unwrap();
    fs::write(state.join("ready/facts.csv"), "x\n").unwrap();
    fs::write(
        state.join("published"),
        "facts.csv\n../sentinel/victimdir\n",
    )
    .unwrap();
    let output = gongkai(&["check", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("published"), "{}", stderr(&output));
    assert!(stderr(&output).contains("refused"), "{}", stderr(&output));
    assert_eq!(sentinel.snapshot(), before);
}

#[test]
fn a_ready_set_naming_a_path_outside_is_refused() {
    let (_dir, out, sentinel) = prepared();
    let before = sentinel.snapshot();
    let state = out.join(".gongkai");
    fs::create_dir_all(state.join("ready")).unwrap();
    fs::write(state.join("ready/.entries"), "../../sentinel/file.txt\n").unwrap();
    let output = gongkai(&["check", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains(".entries"), "{}", stderr(&output));
    assert_eq!(sentinel.snapshot(), before);
}

#[test]
fn a_link_among_the_cached_documents_is_removed_not_followed() {
    let (_dir, out, sentinel) = prepared();
    let before = sentinel.snapshot();
    // cache pruning removes what the run did not keep: a link planted
    // there pointing at the sentinel's files and folder
    let docs = out.join(".gongkai/docs");
    symlink(sentinel.root.join("file.txt"), docs.join("planted")).unwrap();
    symlink(sentinel.root.join("victimdir"), docs.join("planted_dir")).unwrap();
    let output = extract_sample(&out);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(sentinel.snapshot(), before);
    assert!(!docs.join("planted").exists() && !docs.join("planted_dir").exists());
}

#[test]
fn a_state_folder_or_lock_that_is_a_link_is_refused() {
    let (_dir, out, sentinel) = prepared();
    let before = sentinel.snapshot();
    let lock = out.join(".gongkai/lock");
    fs::remove_file(&lock).unwrap();
    symlink(sentinel.root.join("file.txt"), &lock).unwrap();
    let output = gongkai(&["check", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(sentinel.snapshot(), before);

    // the cache folder a link to the sentinel's folder
    fs::remove_file(&lock).unwrap();
    let docs = out.join(".gongkai/docs");
    fs::remove_dir_all(&docs).unwrap();
    symlink(sentinel.root.join("victimdir"), &docs).unwrap();
    let output = extract_sample(&out);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(sentinel.snapshot(), before);
}

/// The one cache entry of the sample's output.
fn cache_entry(out: &Path) -> PathBuf {
    fn find(dir: &Path) -> Option<PathBuf> {
        for entry in fs::read_dir(dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if let Some(found) = find(&path) {
                    return Some(found);
                }
            } else if path.to_string_lossy().ends_with(".rows.zst") {
                return Some(path);
            }
        }
        None
    }
    find(&out.join(".gongkai/docs")).expect("a cache entry")
}

/// A cache entry edited — a figure changed, a row of another document
/// added — is not the document's: the document is read again and the
/// output is what the report prints, not what the entry was made to say.
#[test]
fn an_edited_cache_entry_is_a_miss() {
    let (_dir, out, _sentinel) = prepared();
    let facts_before = fs::read(out.join("facts.csv")).unwrap();
    let entry = cache_entry(&out);
    let text =
        String::from_utf8(zstd::decode_all(fs::File::open(&entry).unwrap()).unwrap()).unwrap();
    // change the first figure of the seed's summary (472.39 on 公开01表)
    assert!(
        text.contains(",472.39,"),
        "the entry holds the seed's figures"
    );
    let mut edited = text.replacen(",472.39,", ",999.99,", 1);
    // and plant a row of another document before the digest
    let digest_at = edited.rfind("#digest").unwrap();
    edited.insert_str(digest_at, "facts,0000000000000000,planted.txt\n");
    let figure_only = text.replacen(",472.39,", ",999.99,", 1);
    for tampered in [edited, figure_only] {
        fs::write(&entry, zstd::encode_all(tampered.as_bytes(), 3).unwrap()).unwrap();
        let output = gongkai(&[
            "extract",
            repo_root().join("samples").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--no-parquet",
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("(0 unchanged"),
            "{}",
            stderr(&output)
        );
        assert_eq!(fs::read(out.join("facts.csv")).unwrap(), facts_before);
    }
}

/// A FIFO among the inputs is never opened (it would wait forever holding
/// the folder's lock), and neither it nor a link to nothing is left out of
/// documents.csv: each says why it was not read, the sample beside them
/// is read.
#[test]
fn special_files_among_the_inputs_are_listed_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    fs::create_dir_all(&inputs).unwrap();
    fs::copy(seed_path(), inputs.join("report.txt")).unwrap();
    let fifo = inputs.join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        skip("mkfifo is not available");
        return;
    }
    symlink(dir.path().join("nowhere.pdf"), inputs.join("dangling.pdf")).unwrap();
    let out = dir.path().join("out");
    let output = gongkai(&[
        "extract",
        inputs.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-parquet",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let documents = read_csv_maps(&out.join("documents.csv"));
    let status: Vec<(&str, &str)> = documents
        .iter()
        .map(|d| (d["source"].as_str(), d["status"].as_str()))
        .collect();
    assert_eq!(
        status,
        [
            ("dangling.pdf", "failed"),
            ("pipe.txt", "skipped"),
            ("report.txt", "ok")
        ]
    );
    assert!(documents[1]["reason"].contains("not a regular file"));
}

/// `-o` on a folder of the user's own files is refused (publishing would
/// replace its `facts/` and `tables/`): nothing in it changes.
#[test]
fn a_folder_gongkai_did_not_write_is_not_written_into() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mine");
    fs::create_dir_all(out.join("tables")).unwrap();
    fs::write(out.join("tables/notes.csv"), "mine\n").unwrap();
    fs::write(out.join("facts.csv"), "my own facts\n").unwrap();
    let sentinel = Sentinel { root: out.clone() };
    let before = sentinel.snapshot();
    let output = extract_sample(&out);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("not an output folder gongkai wrote"),
        "{}",
        stderr(&output)
    );
    assert_eq!(sentinel.snapshot(), before);
    assert!(!out.join(".gongkai").exists());
}

/// Inputs as given (issue 25): `extract a b` with one file name in both
/// gives two documents with sources of their own, so `check` gives each
/// its own facts (it gave all to the last: 0 → 136 failed checks, the
/// second a copy with one figure changed); a repeated list line is one
/// input; a link back up the tree is listed, not walked forever; the
/// output folder inside the input is not read next run.
#[test]
fn inputs_with_one_name_loops_and_the_output_inside_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    for folder in ["a", "b"] {
        fs::create_dir_all(root.join(folder)).unwrap();
    }
    fs::copy(seed_path(), root.join("a/report.txt")).unwrap();
    // b's copy states a different 收入总计 in its narrative
    let altered = seed_text().replace("（一）收入总计472.39万元", "（一）收入总计472.49万元");
    assert_ne!(altered, seed_text());
    fs::write(root.join("b/report.txt"), altered).unwrap();
    symlink(root.join("a"), root.join("a/loop")).unwrap();
    let list = dir.path().join("list.txt");
    let listed = root.join("a/report.txt");
    fs::write(&list, format!("{0}\n{0}\n", listed.display())).unwrap();
    let out = root.join("a/out");
    let run = || {
        gongkai(&[
            "extract",
            root.join("a").to_str().unwrap(),
            root.join("b").to_str().unwrap(),
            "--files-from",
            list.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--no-parquet",
        ])
    };
    let output = run();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let documents = read_csv_maps(&out.join("documents.csv"));
    let sources: Vec<String> = documents.iter().map(|d| d["source"].clone()).collect();
    let a = listed.to_string_lossy().into_owned();
    let b = root.join("b/report.txt").to_string_lossy().into_owned();
    assert_eq!(sources, ["loop".to_string(), a.clone(), b.clone()]);
    assert_eq!(documents[0]["status"], "skipped");
    assert!(
        documents[0]["reason"].contains("read already"),
        "{}",
        documents[0]["reason"]
    );
    let failed = |out: &Path| -> Vec<String> {
        read_csv_maps(&out.join("checks.csv"))
            .into_iter()
            .filter(|c| c["status"] == "fail")
            .map(|c| c["source"].clone())
            .collect()
    };
    let extracted = failed(&out);
    assert!(
        !extracted.is_empty() && extracted.iter().all(|s| *s == b),
        "{extracted:?}"
    );
    let checked = gongkai(&["check", out.to_str().unwrap()]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    assert_eq!(
        failed(&out),
        extracted,
        "check keeps each document's facts apart"
    );
    // the next run finds its own output inside the input and leaves it
    let again = run();
    assert!(
        stderr(&again).contains("is a gongkai output folder: not read"),
        "{}",
        stderr(&again)
    );
    assert!(
        stderr(&again).contains("3 files (2 unchanged"),
        "{}",
        stderr(&again)
    );
}

/// `check` publishes its two files as `extract` publishes (issue 25): one
/// killed before its set is committed leaves both files as they were; one
/// killed while moving them in is finished by the next command — never a
/// `checks.csv` of one run beside a `documents.csv` of another. Here the
/// facts are edited (the narrative 收入总计 472.39 → 472.49) so the
/// re-run's checks differ from extract's.
#[test]
fn a_check_killed_midway_leaves_one_generation_of_its_files() {
    let (_dir, out, _sentinel) = prepared();
    let facts = out.join("facts.csv");
    let text = fs::read_to_string(&facts).unwrap();
    let edited = text.replacen(
        "收入总计472.39万元,amount,,472.39",
        "收入总计472.39万元,amount,,472.49",
        1,
    );
    assert_ne!(edited, text);
    fs::write(&facts, edited).unwrap();
    let read = |name: &str| fs::read(out.join(name)).unwrap();
    let before = (read("checks.csv"), read("documents.csv"));
    let check = |failpoint: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"));
        command.arg("check").arg(&out);
        if let Some(point) = failpoint {
            command.env("GONGKAI_FAILPOINT", point);
        }
        command.output().unwrap()
    };
    let killed = check(Some("staged"));
    assert!(!killed.status.success());
    assert_eq!((read("checks.csv"), read("documents.csv")), before);
    assert!(out.join("datapackage.json").is_file());

    let killed = check(Some("moving"));
    assert!(!killed.status.success());
    assert!(
        !out.join("datapackage.json").exists(),
        "mid-publish: no package"
    );
    let finished = check(None);
    assert_eq!(finished.status.code(), Some(0), "{}", stderr(&finished));
    assert!(out.join("datapackage.json").is_file());
    let documents = read_csv_maps(&out.join("documents.csv"));
    let failed = read_csv_maps(&out.join("checks.csv"))
        .iter()
        .filter(|c| c["status"] == "fail")
        .count();
    assert!(failed > 0);
    assert_eq!(documents[0]["checks_failed"], failed.to_string());
    for kept in [
        "facts.csv",
        "issues.csv",
        "findings.csv",
        "review.xlsx",
        "tables",
    ] {
        assert!(out.join(kept).exists(), "{kept} kept");
    }
}

//! Output does not depend on the number of threads: `-j 1` and `-j 4` write
//! the same bytes (documents.csv: all but the timing column).

mod common;

use common::*;

fn run(jobs: &str, input: &std::path::Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    gongkai(&[
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "-j",
        jobs,
    ]);
    out
}

#[test]
fn one_and_four_threads_write_the_same_output() {
    let input = tempfile::tempdir().unwrap();
    // a batch larger than one round of workers, of text and PDF
    for i in 0..6 {
        let text = seed_text().replace("472.39", &format!("47{i}.39"));
        std::fs::write(input.path().join(format!("seed_{i}.txt")), text).unwrap();
    }
    for name in ["seed_chromium_portrait.pdf", "seed_libreoffice.pdf"] {
        std::fs::copy(
            repo_root().join("tests/fixtures").join(name),
            input.path().join(name),
        )
        .unwrap();
    }
    std::fs::write(input.path().join("empty.txt"), b"").unwrap();
    let one = run("1", input.path());
    let four = run("4", input.path());
    for file in [
        "facts.csv",
        "checks.csv",
        "issues.csv",
        "indicators.csv",
        "indicator_fields.csv",
        "tables/income.csv",
    ] {
        let a = std::fs::read(one.path().join(file)).unwrap();
        let b = std::fs::read(four.path().join(file)).unwrap();
        assert!(a == b, "{file} differs between -j 1 and -j 4");
    }
    let strip_timing = |dir: &std::path::Path| -> Vec<Vec<String>> {
        read_csv(&dir.join("documents.csv"))
            .into_iter()
            .map(|mut row| {
                row.pop(); // elapsed_ms
                row
            })
            .collect()
    };
    let documents = strip_timing(one.path());
    assert_eq!(documents.len(), 10);
    assert_eq!(documents, strip_timing(four.path()));
}

//! Every number form Chinese reports print, through the whole pipeline: a
//! figure is read (negatives in all their forms) or its loss is an error
//! naming the cell — never a value dropped while the file says `ok`, never
//! a failed document or a panic.

use crate::common::*;
use std::collections::BTreeMap;

/// The seed with every amount cell rewritten by `form`.
fn seed_with_amounts(mut form: impl FnMut(&str) -> String) -> String {
    let amount = regex::Regex::new(r"^\t(\d[\d,]*\.\d+)$").unwrap();
    seed_text()
        .lines()
        .map(|line| match amount.captures(line) {
            Some(caps) => format!("\t{}", form(&caps[1])),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The seed with its first amount cell printed as `cell`.
fn seed_with_first_amount(cell: &str) -> String {
    let mut first = true;
    seed_with_amounts(|amount| {
        if std::mem::take(&mut first) {
            cell.to_string()
        } else {
            amount.to_string()
        }
    })
}

fn values(dir: &std::path::Path) -> Vec<String> {
    read_csv_maps(&dir.join("facts.csv"))
        .into_iter()
        .filter(|f| f["table"] != "narrative")
        .map(|f| f["value"].clone())
        .collect()
}

/// △ and ▲ (a decrease) and a trailing minus make a figure negative:
/// every figure of the seed is still read, negated.
#[test]
fn triangles_and_trailing_minus_are_negative_figures() {
    let seed = extract_ok(&seed_path(), &["--no-parquet"]);
    let negated: Vec<String> = values(seed.path())
        .into_iter()
        .map(|v| {
            if v.trim_start_matches(['0', '.']).is_empty() {
                v
            } else {
                format!("-{v}")
            }
        })
        .collect();
    for (name, form) in [
        (
            "white",
            Box::new(|a: &str| format!("△{a}")) as Box<dyn Fn(&str) -> String>,
        ),
        ("black", Box::new(|a: &str| format!("▲{a}"))),
        ("trailing", Box::new(|a: &str| format!("{a}-"))),
    ] {
        let input = tempfile::tempdir().unwrap();
        std::fs::write(
            input.path().join(format!("{name}.txt")),
            seed_with_amounts(form),
        )
        .unwrap();
        let out = extract_ok(input.path(), &["--no-parquet"]);
        assert_eq!(values(out.path()), negated, "{name}");
    }
}

/// A 25-digit figure: that cell is an error naming it (the document is
/// `partial`), every other figure is kept, and `gongkai check` runs.
#[test]
fn a_figure_too_large_for_an_amount_loses_only_its_cell() {
    let text = seed_with_first_amount("1234567890123456789012345.00");
    let input = tempfile::tempdir().unwrap();
    std::fs::write(input.path().join("huge.txt"), text).unwrap();
    let (out, output) = extract(input.path(), &["--no-parquet"]);
    assert_eq!(output.status.code(), Some(1));
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_eq!(
        documents[0]["status"], "partial",
        "{}",
        documents[0]["reason"]
    );
    assert_eq!(documents[0]["facts"], "279");
    let issues = read_csv_maps(&out.path().join("issues.csv"));
    let error: Vec<&BTreeMap<String, String>> =
        issues.iter().filter(|i| i["severity"] == "error").collect();
    assert_eq!(error.len(), 1, "{issues:?}");
    assert!(
        error[0]["message"].contains("1234567890123456789012345.00"),
        "{:?}",
        error[0]
    );
    let check = gongkai(&["check", out.path().to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// A cell with digits that is no amount (12.5.3) is an error naming it; a
/// word in an amount column is a warning (nothing was lost).
#[test]
fn an_unreadable_figure_is_an_error_and_a_word_a_warning() {
    let text = seed_with_first_amount("12.5.3");
    let input = tempfile::tempdir().unwrap();
    std::fs::write(input.path().join("garbled.txt"), text).unwrap();
    let (out, _) = extract(input.path(), &["--no-parquet"]);
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_eq!(documents[0]["status"], "partial");
    assert!(
        documents[0]["reason"].contains("\"12.5.3\""),
        "{}",
        documents[0]["reason"]
    );
}

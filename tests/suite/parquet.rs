//! `facts.parquet` and the wide Parquet tables hold exactly the figures of
//! the CSV files, read back with the parquet crate's own reader; the
//! partitioned dataset holds them too, split by year and report.

use crate::common::*;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

/// Rows, and the sums of `value` and `value_yuan`, of a facts CSV.
fn csv_totals(path: &Path) -> (usize, Decimal, Decimal) {
    let rows = read_csv_maps(path);
    let sum = |column: &str| {
        rows.iter()
            .filter(|r| !r[column].is_empty())
            .map(|r| Decimal::from_str(&r[column]).unwrap())
            .sum()
    };
    (rows.len(), sum("value"), sum("value_yuan"))
}

fn decimal(field: &Field) -> Option<Decimal> {
    match field {
        Field::Decimal(d) => {
            let bytes: [u8; 16] = d.data().try_into().unwrap();
            Some(Decimal::from_i128_with_scale(
                i128::from_be_bytes(bytes),
                d.scale() as u32,
            ))
        }
        Field::Null => None,
        other => panic!("not a decimal: {other:?}"),
    }
}

/// Rows and sums of `value` and `value_yuan` of Parquet files.
fn parquet_totals(files: &[std::path::PathBuf]) -> (usize, Decimal, Decimal) {
    let (mut rows, mut value, mut yuan) = (0, Decimal::ZERO, Decimal::ZERO);
    for file in files {
        let reader = SerializedFileReader::new(std::fs::File::open(file).unwrap()).unwrap();
        for row in reader.get_row_iter(None).unwrap() {
            let row = row.unwrap();
            rows += 1;
            for (name, field) in row.get_column_iter() {
                match name.as_str() {
                    "value" => value += decimal(field).unwrap(),
                    "value_yuan" => yuan += decimal(field).unwrap_or_default(),
                    _ => {}
                }
            }
        }
    }
    (rows, value, yuan)
}

fn parquet_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(parquet_files(&path));
        } else if path.extension().is_some_and(|e| e == "parquet") {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn facts_parquet_has_the_rows_and_sums_of_facts_csv() {
    let out = extract_ok(&seed_path(), &[]);
    let csv = csv_totals(&out.path().join("facts.csv"));
    // the seed: 280 facts (190 table figures, 17 narrative figures, 73
    // figures of its items, stated changes and shares)
    assert_eq!(csv.0, 280);
    assert_eq!(parquet_totals(&[out.path().join("facts.parquet")]), csv);

    // typed columns: one known row, 事业运行 in the expenditure table
    let reader =
        SerializedFileReader::new(std::fs::File::open(out.path().join("facts.parquet")).unwrap())
            .unwrap();
    let schema = reader.metadata().file_metadata().schema_descr();
    let kind = |name: &str| {
        schema
            .columns()
            .iter()
            .find(|c| c.name() == name)
            .map(|c| format!("{:?}", c.physical_type()))
            .unwrap()
    };
    assert_eq!(kind("year"), "INT32");
    assert_eq!(kind("value_yuan"), "FIXED_LEN_BYTE_ARRAY");
    assert_eq!(kind("item"), "BYTE_ARRAY");
}

#[test]
fn wide_parquet_tables_match_their_csv() {
    let out = extract_ok(&seed_path(), &[]);
    let csv = read_csv_maps(&out.path().join("tables/expenditure.csv"));
    let reader = SerializedFileReader::new(
        std::fs::File::open(out.path().join("tables/expenditure.parquet")).unwrap(),
    )
    .unwrap();
    let rows: Vec<_> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows.len(), csv.len());
    for (row, expected) in rows.iter().zip(&csv) {
        for (name, field) in row.get_column_iter() {
            let text = match field {
                Field::Null => String::new(),
                Field::Str(s) => s.clone(),
                Field::Int(i) => i.to_string(),
                Field::Decimal(_) => {
                    let d = decimal(field).unwrap();
                    // printed with its own scale in the CSV
                    let printed = Decimal::from_str(&expected[name]).unwrap();
                    assert_eq!(d, printed, "{name}");
                    continue;
                }
                other => panic!("{name}: unexpected {other:?}"),
            };
            assert_eq!(&text, &expected[name], "{name}");
        }
    }
}

#[test]
fn the_partitioned_dataset_holds_every_fact_once() {
    let input = tempfile::tempdir().unwrap();
    std::fs::copy(seed_path(), input.path().join("seed.txt")).unwrap();
    // the same report as a budget of another year: a second partition
    let budget = seed_text()
        .replace("部门决算", "部门预算")
        .replace("2023年", "2022年");
    std::fs::write(input.path().join("other.txt"), budget).unwrap();
    let (out, _) = extract(input.path(), &["--partition", "year,report"]);
    let files = parquet_files(&out.path().join("facts"));
    let names: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(out.path()).unwrap().display().to_string())
        .collect();
    assert!(
        names.contains(&"facts/year=2023/report=final/part-0.parquet".to_string()),
        "{names:?}"
    );
    assert!(names.len() >= 2, "{names:?}");
    assert!(!out.path().join("facts.parquet").exists());
    let csv = csv_totals(&out.path().join("facts.csv"));
    assert_eq!(parquet_totals(&files), csv);
    // partition columns live in the folder names only
    let reader = SerializedFileReader::new(std::fs::File::open(&files[0]).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr();
    assert!(schema
        .columns()
        .iter()
        .all(|c| c.name() != "year" && c.name() != "report"));
}

#[test]
fn the_data_package_describes_every_file_written() {
    let out = extract_ok(&seed_path(), &[]);
    let text = std::fs::read_to_string(out.path().join("datapackage.json")).unwrap();
    let package: serde_json::Value = serde_json::from_str(&text).unwrap();
    let resources = package["resources"].as_array().unwrap();
    let paths: Vec<&str> = resources
        .iter()
        .filter_map(|r| r["path"].as_str())
        .collect();
    for file in [
        "facts.csv",
        "documents.csv",
        "checks.csv",
        "issues.csv",
        "indicators.csv",
        "indicator_fields.csv",
        "tables/expenditure.csv",
        "facts.parquet",
        "tables/expenditure.parquet",
    ] {
        assert!(paths.contains(&file), "{file} not described");
        assert!(out.path().join(file).is_file());
    }
    let facts = resources.iter().find(|r| r["path"] == "facts.csv").unwrap();
    let fields = facts["schema"]["fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    let header = &read_csv(&out.path().join("facts.csv"))[0];
    assert_eq!(names, header.iter().map(String::as_str).collect::<Vec<_>>());
    let field = |name: &str| fields.iter().find(|f| f["name"] == name).unwrap();
    assert_eq!(field("value_yuan")["type"], "number");
    assert_eq!(field("year")["type"], "integer");
    assert_eq!(
        package["model"]["measures"]["value_yuan"]["currency"],
        "CNY"
    );
}

/// The whole package passes the Frictionless validator (when installed:
/// `pip install frictionless`), on the sample and on a batch with every
/// kind of output (partitioned Parquet too).
#[test]
fn the_data_package_passes_the_frictionless_validator() {
    if std::process::Command::new("frictionless")
        .arg("--version")
        .output()
        .is_err()
    {
        skip("frictionless is not installed (pip install frictionless)");
        return;
    }
    for extra in [&[][..], &["--partition", "year,report"][..]] {
        let out = extract_ok(&seed_path(), extra);
        let validated = std::process::Command::new("frictionless")
            .args(["validate", "--json", "datapackage.json"])
            .current_dir(out.path())
            .output()
            .expect("run frictionless");
        let report: serde_json::Value =
            serde_json::from_slice(&validated.stdout).expect("frictionless' JSON report");
        assert_eq!(
            report["valid"],
            true,
            "{extra:?}: {}",
            serde_json::to_string_pretty(&report["errors"]).unwrap()
        );
        let tasks = report["tasks"].as_array().expect("one task per resource");
        assert!(tasks.len() >= 10, "{} resources validated", tasks.len());
        assert!(tasks.iter().all(|t| t["valid"] == true), "{extra:?}");
    }
}

/// The README's DuckDB query (total expenditure by province, year, report
/// kind and level, duplicates left out) runs on the corpus's
/// `facts.parquet` and gives, among its rows, the figures the reports
/// print: 辽宁 2023 决算 472.39万元 (the seed's 支出总计), and the Shanghai
/// 政府办公室 2025 部门预算 91,016,775.35 元 counted once as a department,
/// its 单位预算 among the units. Needs DuckDB for Python (`pip install
/// duckdb`); says SKIPPED without it.
#[test]
fn the_readme_query_runs_on_the_corpus_parquet() {
    let Some(corpus) = shared_corpus("") else {
        return;
    };
    let has_duckdb = std::process::Command::new("python3")
        .args(["-c", "import duckdb"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_duckdb {
        skip("DuckDB for Python is not installed (pip install duckdb)");
        return;
    }
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let query = readme
        .split("```sql\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README's SQL block");
    let out = tempfile::tempdir().unwrap();
    let output = gongkai(&[
        "extract",
        corpus.to_str().unwrap(),
        seed_path().to_str().unwrap(),
        repo_root()
            .join("tests/fixtures/seed.docx")
            .to_str()
            .unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let query = query.replace("output/", &format!("{}/", out.path().display()));
    let script = "import duckdb, sys\nfor row in duckdb.sql(sys.stdin.read()).fetchall():\n    print('|'.join(str(v) for v in row))\n";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), query.as_bytes()).unwrap();
    drop(child.stdin.take());
    let result = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let rows: Vec<&str> = stdout.lines().collect();
    // the seed and its Word copy: one report, counted once
    assert!(
        rows.contains(&"210000|2023|final|department|1|4723900.000000"),
        "{rows:#?}"
    );
    assert!(
        rows.contains(&"310000|2025|budget|department|1|91016775.350000"),
        "{rows:#?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("310000|2025|budget|unit|2|")),
        "{rows:#?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("320000|2019|budget|department|5|")),
        "{rows:#?}"
    );
}

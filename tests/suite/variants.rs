//! The same report in other encodings, line ends and code layouts must give
//! exactly the same facts. The variants are built here from the sample.

use crate::common::*;
use gongkai::model::{DocumentRecord, Status};
use gongkai::patterns::Patterns;
use gongkai::pipeline::process_bytes;
use regex::Regex;

fn extract(bytes: &[u8]) -> DocumentRecord {
    let record = process_bytes(bytes, SEED_NAME, &Patterns::builtin());
    assert_eq!(record.status, Status::Ok, "{}", record.reason);
    record
}

fn assert_same_facts(variant: &str, bytes: &[u8]) {
    let seed = seed_text();
    let reference = extract(seed.as_bytes());
    let record = extract(bytes);
    assert_eq!(
        record.facts.len(),
        reference.facts.len(),
        "{variant}: fact count"
    );
    for (a, b) in record.facts.iter().zip(&reference.facts) {
        assert_eq!(a, b, "{variant}");
    }
    assert_eq!(record.department, reference.department, "{variant}");
    assert_eq!(record.year, reference.year, "{variant}");
    assert_eq!(record.tables, reference.tables, "{variant}");
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut bytes = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    bytes
}

#[test]
fn gb18030_without_bom() {
    let seed = seed_text();
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&seed);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the variant really is not UTF-8"
    );
    assert_same_facts("GB18030", &bytes);
}

#[test]
fn utf16_little_and_big_endian_with_bom() {
    assert_same_facts("UTF-16LE", &utf16(&seed_text(), true));
    assert_same_facts("UTF-16BE", &utf16(&seed_text(), false));
}

#[test]
fn utf8_with_bom() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(seed_text().as_bytes());
    assert_same_facts("UTF-8 BOM", &bytes);
}

#[test]
fn crlf_and_cr_line_ends() {
    assert_same_facts("CRLF", seed_text().replace('\n', "\r\n").as_bytes());
    assert_same_facts("CR", seed_text().replace('\n', "\r").as_bytes());
}

/// A code printed whole in the first of the three code columns
/// (`2010350 | | `) rewritten as 类/款/项 columns (`201 | 03 | 50`).
fn split_codes(text: &str, print_upper_parts: bool) -> String {
    let row = Regex::new(r"(?m)^\t(\d{3})(\d{2})?(\d{2})?\n\t\n\t\n").unwrap();
    let mut count = 0;
    let rewritten = row.replace_all(text, |caps: &regex::Captures| {
        count += 1;
        let class = &caps[1];
        let kuan = caps.get(2).map_or("", |m| m.as_str());
        let xiang = caps.get(3).map_or("", |m| m.as_str());
        let (class, kuan) = match (print_upper_parts, kuan.is_empty(), xiang.is_empty()) {
            (false, false, true) => ("", kuan), // 款 row: 类 left to the row above
            (false, false, false) => ("", ""),  // 项 row: only the 项 part
            _ => (class, kuan),
        };
        format!("\t{class}\n\t{kuan}\n\t{xiang}\n")
    });
    assert!(
        count >= 56,
        "the transformation found the coded rows ({count})"
    );
    rewritten.into_owned()
}

#[test]
fn codes_split_into_class_kuan_xiang_columns() {
    let text = split_codes(&seed_text(), true);
    assert!(text.contains("\t201\n\t03\n\t50\n\t事业运行"));
    assert_same_facts("split codes", text.as_bytes());
}

#[test]
fn split_codes_printing_only_their_lowest_part() {
    let text = split_codes(&seed_text(), false);
    assert!(text.contains("\t\n\t\n\t50\n\t事业运行"));
    assert!(text.contains("\t\n\t03\n\t\n\t政府办公厅"));
    assert_same_facts("split codes, lowest part only", text.as_bytes());
}

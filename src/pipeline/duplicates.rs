//! Duplicates: the same report published twice in one batch — the same
//! body (`department_key`), year, report kind and entity level, with equal
//! figures, in different files (a PDF and its Word copy, one file under two
//! names). Every input after the first is marked: its `documents.csv` row
//! and each of its facts get `duplicate_of` = the first's `doc_id`. Its
//! facts are kept, so a sum leaves them out with `duplicate_of = ''`.
//!
//! A file with the same bytes as an earlier one is marked whatever its
//! identity says (found or not), and gets a `doc_id` of its own, from its
//! bytes and its `source` (SCHEMA: `doc_id` is unique in `documents.csv`,
//! so `facts` ⋈ `documents` on `doc_id` never multiplies rows); a file
//! that could not be read (no bytes, no SHA-256) gets one from its
//! `source`.
//!
//! Marked as the documents are written, in input order, so the first is
//! the same whatever the number of threads; a report whose identity is
//! not known (no department key, no year) or that has no facts is never
//! marked. Two reports of one body and year that differ in a single
//! figure are two reports (one may be a corrected copy), not duplicates.

use crate::write::rows::{
    CHECKS, DOCUMENTS, FACTS, FINDINGS, INDICATORS, INDICATOR_FIELDS, ISSUES, TABLE_PREFIX,
};
use crate::write::schema::{
    CheckRow, FindingRow, IndicatorFieldRow, IndicatorRow, IssueRow, WidePrefix,
};
use crate::write::{DocumentRow, DocumentRows, FactRow, OutputRow};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The reports seen so far in a batch, by what makes two the same.
#[derive(Default)]
pub struct Duplicates {
    first: HashMap<[u8; 32], String>,
    /// The `doc_id` of the first file of each SHA-256.
    bytes: HashMap<String, String>,
}

fn position(header: &[&str], name: &str) -> usize {
    header
        .iter()
        .position(|c| *c == name)
        .expect("the column is in the header")
}

impl Duplicates {
    /// Mark `rows` when an earlier document was the same file or the same
    /// report; returns whether it was.
    pub fn mark(&mut self, rows: &mut DocumentRows) -> bool {
        let Some(document) = rows.document_row() else {
            return false;
        };
        if document.sha256.is_empty() {
            set_doc_id(rows, &id_of(&["unread", &document.source]));
            return false;
        }
        if let Some(first) = self.bytes.get(&document.sha256).cloned() {
            set_doc_id(rows, &id_of(&[&document.sha256, &document.source]));
            set_duplicate_of(rows, &first);
            return true;
        }
        self.bytes
            .insert(document.sha256.clone(), document.doc_id.clone());
        let Some(signature) = signature(&document, rows) else {
            return false;
        };
        let Some(first) = self.first.get(&signature).cloned() else {
            self.first.insert(signature, document.doc_id);
            return false;
        };
        set_duplicate_of(rows, &first);
        true
    }
}

/// 16 hex digits of the SHA-256 of `parts`.
fn id_of(parts: &[&str]) -> String {
    let digest = Sha256::digest(parts.join("\u{1f}").as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

fn set_duplicate_of(rows: &mut DocumentRows, first: &str) {
    let in_documents = position(DocumentRow::header(), "duplicate_of");
    let in_facts = position(FactRow::header(), "duplicate_of");
    for (output, fields) in &mut rows.rows {
        let at = match output.as_str() {
            DOCUMENTS => in_documents,
            FACTS => in_facts,
            _ => continue,
        };
        if let Some(field) = fields.get_mut(at) {
            *field = first.to_string();
        }
    }
}

/// Give every row of the document the `doc_id` `id`.
fn set_doc_id(rows: &mut DocumentRows, id: &str) {
    for (output, fields) in &mut rows.rows {
        let header = match output.as_str() {
            DOCUMENTS => DocumentRow::header(),
            FACTS => FactRow::header(),
            ISSUES => IssueRow::header(),
            CHECKS => CheckRow::header(),
            FINDINGS => FindingRow::header(),
            INDICATORS => IndicatorRow::header(),
            INDICATOR_FIELDS => IndicatorFieldRow::header(),
            table if table.starts_with(TABLE_PREFIX) => WidePrefix::header(),
            _ => continue,
        };
        if let Some(field) = fields.get_mut(position(header, "doc_id")) {
            *field = id.to_string();
        }
    }
}

/// What two copies of one report share: identity and every figure.
fn signature(document: &DocumentRow, rows: &DocumentRows) -> Option<[u8; 32]> {
    let year = document.year?;
    if document.department_key.is_empty() || document.department_key.starts_with(':') {
        return None;
    }
    let header = FactRow::header();
    let columns: Vec<usize> = ["table", "code", "line", "column", "value"]
        .iter()
        .map(|c| position(header, c))
        .collect();
    let mut figures: Vec<String> = rows
        .of(FACTS)
        .map(|fields| {
            columns
                .iter()
                .map(|&i| fields.get(i).map_or("", String::as_str))
                .collect::<Vec<_>>()
                .join("\u{1f}")
        })
        .collect();
    if figures.is_empty() {
        return None;
    }
    figures.sort();
    let mut hasher = Sha256::new();
    let identity = format!(
        "{}\u{1e}{year}\u{1e}{:?}\u{1e}{:?}",
        document.department_key, document.report, document.entity_level
    );
    hasher.update(identity.as_bytes());
    for figure in &figures {
        hasher.update(b"\x1e");
        hasher.update(figure.as_bytes());
    }
    Some(hasher.finalize().into())
}

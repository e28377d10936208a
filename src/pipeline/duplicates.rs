//! Duplicates: the same report published twice in one batch — the same
//! body (`department_key`), year, report kind and entity level, with equal
//! figures, in different files (a PDF and its Word copy, one file under two
//! names). Every input after the first is marked: its `documents.csv` row
//! and each of its facts get `duplicate_of` = the first's `doc_id`. Its
//! facts are kept, so a sum leaves them out with `duplicate_of = ''`.
//!
//! Marked as the documents are written, in input order, so the first is
//! the same whatever the number of threads; a report whose identity is
//! not known (no department key, no year) or that has no facts is never
//! marked. Two reports of one body and year that differ in a single
//! figure are two reports (one may be a corrected copy), not duplicates.

use crate::write::rows::{DOCUMENTS, FACTS};
use crate::write::{DocumentRow, DocumentRows, FactRow, OutputRow};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The reports seen so far in a batch, by what makes two the same.
#[derive(Default)]
pub struct Duplicates {
    first: HashMap<[u8; 32], String>,
}

fn position(header: &[&str], name: &str) -> usize {
    header
        .iter()
        .position(|c| *c == name)
        .expect("the column is in the header")
}

impl Duplicates {
    /// Mark `rows` when an earlier document was the same report; returns
    /// whether it was.
    pub fn mark(&mut self, rows: &mut DocumentRows) -> bool {
        let Some(document) = rows.document_row() else {
            return false;
        };
        let Some(signature) = signature(&document, rows) else {
            return false;
        };
        let Some(first) = self.first.get(&signature).cloned() else {
            self.first.insert(signature, document.doc_id);
            return false;
        };
        let in_documents = position(DocumentRow::header(), "duplicate_of");
        let in_facts = position(FactRow::header(), "duplicate_of");
        for (output, fields) in &mut rows.rows {
            let at = match output.as_str() {
                DOCUMENTS => in_documents,
                FACTS => in_facts,
                _ => continue,
            };
            if let Some(field) = fields.get_mut(at) {
                field.clone_from(&first);
            }
        }
        true
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

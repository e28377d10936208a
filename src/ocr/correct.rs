//! A scanned document set right: the labels of the pages read by OCR
//! against the words the patterns know ([`super::lexicon`]), then the
//! phrases of their running text ([`super::phrases`]). Above both: the
//! phrases are built from the lexicon's words, and this applies the two.

use super::lexicon::{corrected, Lexicon};
use super::phrases::{correct_text, Phrases};
use crate::model::{Block, Document, Issue};
use crate::text::normalise;

/// The changes of each page, quoted.
type Changes = std::collections::BTreeMap<u32, Vec<String>>;

/// Set right the labels of the pages read by OCR, and the phrases of their
/// running text ([`phrases`](super::phrases)); one warning a page that had
/// any, quoting each change.
pub fn correct(document: &mut Document, lexicon: &Lexicon, phrases: &Phrases) -> Vec<Issue> {
    let pages = document.ocr_pages.clone();
    let mut changes = Changes::new();
    let on_ocr_page = |page: Option<u32>| page.filter(|p| pages.contains(p));
    let fix_label = |text: &mut String, page: u32, changes: &mut Changes| {
        let Some(right) = corrected(text, lexicon) else {
            return false;
        };
        changes
            .entry(page)
            .or_default()
            .push(format!("{} → {right}", normalise(text)));
        *text = right;
        true
    };
    for block in &mut document.blocks {
        match block {
            Block::Paragraph(paragraph) => {
                let Some(page) = on_ocr_page(paragraph.page) else {
                    continue;
                };
                if fix_label(&mut paragraph.text, page, &mut changes) {
                    continue;
                }
                // Quotation marks and spaces are read unreliably (三公”经费
                // for “三公”经费): running text is kept normalised.
                paragraph.text = match correct_text(&paragraph.text, phrases) {
                    Some((right, list)) => {
                        changes.entry(page).or_default().extend(list);
                        right
                    }
                    None => normalise(&paragraph.text),
                };
            }
            Block::Table(table) => {
                for row in &mut table.rows {
                    let Some(page) = on_ocr_page(row.page) else {
                        continue;
                    };
                    for cell in &mut row.cells {
                        fix_label(cell, page, &mut changes);
                    }
                }
            }
        }
    }
    changes
        .into_iter()
        .map(|(page, list)| Issue {
            page: Some(page),
            ..Issue::warning(
                "ocr",
                format!(
                    "{} label(s) or phrase(s) read by OCR set to the nearest the patterns know: {}",
                    list.len(),
                    list.join("; ")
                ),
            )
        })
        .collect()
}

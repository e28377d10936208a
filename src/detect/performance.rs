//! Performance tables (部门（单位）整体绩效目标表, 项目（政策）绩效目标表,
//! 绩效自评表): where each one starts and ends, with the titles of
//! `patterns/performance.toml`. A table starts at its title (a paragraph or
//! a row whose only text is the title) and runs to the next performance
//! title, disclosure table title or paragraph; what its rows say is read in
//! [`crate::parse::performance`].

use super::title::match_title;
use crate::model::{Block, Document, Row};
use crate::patterns::{Patterns, PerformancePatterns};
use crate::text::normalise;

/// A performance table found in a document: its kind, title and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct PerformanceHit {
    /// `unit_target`, `project_target` or `self_evaluation`.
    pub kind: String,
    /// The title as printed.
    pub title: String,
    pub page: Option<u32>,
    /// The rows after the title that hold text.
    pub rows: Vec<Row>,
}

/// Every performance table of a document, in order.
pub fn find(document: &Document, patterns: &Patterns) -> Vec<PerformanceHit> {
    let mut hits: Vec<PerformanceHit> = Vec::new();
    let mut open = false;
    let start = |hits: &mut Vec<PerformanceHit>, kind: String, title: &str, page| {
        hits.push(PerformanceHit {
            kind,
            title: title.to_string(),
            page,
            rows: Vec::new(),
        });
    };
    for block in &document.blocks {
        match block {
            Block::Paragraph(p) => {
                if let Some(kind) = title_kind(&p.text, &patterns.performance) {
                    start(&mut hits, kind, &p.text, p.page);
                    open = true;
                } else if !p.text.trim().is_empty() || match_title(&p.text, patterns).is_some() {
                    open = false;
                }
            }
            Block::Table(table) => {
                for row in &table.rows {
                    let texts: Vec<&str> = row.non_empty_cells().map(|(_, c)| c).collect();
                    if let [only] = texts.as_slice() {
                        if let Some(kind) = title_kind(only, &patterns.performance) {
                            start(&mut hits, kind, only, row.page);
                            open = true;
                            continue;
                        }
                        if match_title(only, patterns).is_some() {
                            open = false;
                            continue;
                        }
                    }
                    if let (true, false, Some(hit)) = (open, texts.is_empty(), hits.last_mut()) {
                        hit.rows.push(row.clone());
                    }
                }
            }
        }
    }
    hits
}

/// The performance table kind a title names (longest matching title wins).
fn title_kind(text: &str, performance: &PerformancePatterns) -> Option<String> {
    let normalised = normalise(text);
    if normalised.chars().count() > 60 || normalised.contains('。') {
        return None;
    }
    let text = strip_decorations(&normalised);
    performance
        .tables
        .iter()
        .flat_map(|t| t.labels.iter().map(move |title| (title, &t.key)))
        .filter(|(title, _)| text.ends_with(title.as_str()))
        .max_by_key(|(title, _)| title.len())
        .map(|(_, key)| key.clone())
}

/// A title without the notes in brackets after it.
fn strip_decorations(normalised: &str) -> &str {
    let mut text = normalised;
    while text.ends_with(')') {
        match text.rfind('(') {
            Some(open) if open > 0 => text = &text[..open],
            _ => break,
        }
    }
    text
}

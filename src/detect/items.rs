//! A document in reading order: each paragraph's text and each table row
//! one item, with its page.

use crate::model::{Block, Document, Row};

/// One thing in reading order: a paragraph's text or a table row.
#[derive(Debug, Clone, Copy)]
pub(super) enum Item<'a> {
    Text(&'a str, Option<u32>),
    Row(&'a Row),
}

impl Item<'_> {
    pub(super) fn page(&self) -> Option<u32> {
        match self {
            Item::Text(_, page) => *page,
            Item::Row(row) => row.page,
        }
    }
}

pub(super) fn flatten(doc: &Document) -> Vec<Item<'_>> {
    let mut items = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) => items.push(Item::Text(&p.text, p.page)),
            Block::Table(t) => items.extend(t.rows.iter().map(Item::Row)),
        }
    }
    items
}

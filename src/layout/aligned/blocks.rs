//! Blocks: the lines between blank lines, told apart as tabular or as
//! paragraphs, and split where a table's notes begin.

use super::token::Line;
use super::Words;
use crate::model::{Block, Paragraph};

/// Lines held as a possible header that no table followed: paragraphs.
pub(super) fn flush_held(held: &mut Vec<Vec<Line>>, blocks: &mut Vec<Block>) {
    for block in held.drain(..) {
        blocks.extend(paragraphs(&block));
    }
}

/// A blank line on the page of `line`.
pub(super) fn blank_like(line: &Line) -> Line {
    Line::blank(line.page)
}

pub(super) fn split_blocks(lines: Vec<Line>) -> Vec<Vec<Line>> {
    let mut blocks = Vec::new();
    let mut block = Vec::new();
    for line in lines {
        if line.is_blank() {
            if !block.is_empty() {
                blocks.push(std::mem::take(&mut block));
            }
        } else {
            block.push(line);
        }
    }
    if !block.is_empty() {
        blocks.push(block);
    }
    blocks
}

pub(super) fn is_note_start(line: &Line, words: &Words) -> bool {
    line.pieces == 1 && line.indent <= 2 && words.is_note(&line.text)
}

/// A block whose table ends in notes (注：…) without a blank line is two
/// blocks: the table, and the notes with whatever follows them (the next
/// table's title).
pub(super) fn split_at_notes(mut block: Vec<Line>, words: &Words) -> Vec<Vec<Line>> {
    let figures = block.iter().position(|l| l.has_figures());
    let notes = figures.and_then(|f| {
        block
            .iter()
            .skip(f)
            .position(|l| is_note_start(l, words))
            .map(|p| f + p)
    });
    match notes {
        Some(at) if at > 0 => {
            let rest = block.split_off(at);
            vec![block, rest]
        }
        _ => vec![block],
    }
}

/// A line that is a code alone (310), printed away from its row.
pub(super) fn is_code_like(line: &Line) -> bool {
    line.tokens.len() == 1
        && line.tokens[0].text.chars().all(|c| c.is_ascii_digit())
        && matches!(line.tokens[0].text.len(), 2 | 3 | 5 | 7)
}

pub(super) fn is_tabular(block: &[Line]) -> bool {
    let several = block.iter().filter(|l| l.pieces >= 2).count();
    let figures = block
        .iter()
        .any(|l| l.pieces >= 2 && (l.has_figures() || l.has_code()));
    // (one line of many words is a header row: 预算数 决算数 预算数 …)
    let header_row = block.iter().any(|l| l.pieces >= 4);
    figures || several >= 2 || header_row
}

/// Paragraphs of a block of running text.
pub(super) fn paragraphs(block: &[Line]) -> Vec<Block> {
    let measure = block.iter().map(|l| l.width).max().unwrap_or(0);
    let mut out = Vec::new();
    let mut text = String::new();
    let mut page = None;
    let mut previous_short = false;
    for line in block {
        let content = line.text.as_str();
        let starts_new = line.indent >= 2 || previous_short;
        if starts_new && !text.is_empty() {
            out.push(paragraph(std::mem::take(&mut text), page));
        }
        if text.is_empty() {
            page = Some(line.page);
        }
        let ascii_join = text.ends_with(|c: char| c.is_ascii_alphanumeric())
            && content.starts_with(|c: char| c.is_ascii_alphanumeric());
        if ascii_join {
            text.push(' ');
        }
        text.push_str(content);
        // a short line ends its paragraph; so does a centred one (a title)
        previous_short = line.width * 5 < measure * 4 || line.indent >= 8;
    }
    if !text.is_empty() {
        out.push(paragraph(text, page));
    }
    out
}

pub(super) fn paragraph(text: String, page: Option<u32>) -> Block {
    Block::Paragraph(Paragraph { text, page })
}

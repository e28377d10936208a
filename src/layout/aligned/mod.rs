//! Text laid out with spaces, as `pdftotext -layout` and similar tools
//! write it: tables recovered from where the words stand.
//!
//! [`layout_text`] decides between the readers of plain text: tab layout
//! when lines start with TAB ([`super::tabbed`]), this reader when the text
//! has lines of words and figures separated by runs of spaces, else plain
//! paragraphs.
//!
//! How a page is read:
//! - A form feed starts a new page; a page's last line when it is only a
//!   page number (`12`, `- 12 -`) is dropped.
//! - A line is cut into **tokens** at runs of two or more spaces (figures
//!   separated by single spaces are cut too). A token is an amount
//!   (`1,234.50`, `0.00`, `-3`), a code (digits at the start of a line:
//!   `201`, `06`, `2010350`) or text. Positions are character columns.
//! - **Regions**: the lines between blank lines form blocks; a block with a
//!   line of several tokens that holds an amount or a code, or with two lines
//!   of several tokens, is tabular. Consecutive tabular blocks — across a
//!   page break too — are one table; other blocks are paragraphs (their
//!   lines joined; an indented or short line starts a new paragraph).
//!   Lines of one token before a table's first line of several (title,
//!   marker) stay one-cell rows; lines of text at the left margin after a
//!   table's last figures (long ones, or 注：…, 说明：…) are paragraphs.
//! - **Columns**: positions are only roughly kept by such tools (a line
//!   whose left part is empty is often shifted left), so a token is never
//!   placed by its position alone. The lines with figures are matched to a
//!   growing list of columns, left to right, by a small dynamic programme:
//!   a token goes to the nearest column of its kind (amount or text) that
//!   keeps the order of the line, or opens a new column when none is near.
//!   The header lines (above the first figures) are matched the same way,
//!   any kind; the header text of a column is its header fragments joined
//!   top to bottom (wrapped headers such as `本年收入合` / `计`), a line
//!   holding a `：` statement (部门：… 单位：…) being a row of its own.
//! - **Rows**: a line with a code, a label or figures is a row; a line of
//!   figures alone is joined to the labelled line that follows (a cell of
//!   several lines is centred on its row, so its figures can sit on the
//!   line above), when they do not fill the same columns; a line of text
//!   alone continues a row's label — the lines between two rows are shared
//!   as the rows' labels are centred: as many lines below a row as above
//!   it, a blank line always ending the row above.
//!
//! What it cannot know: a cell whose figures moved further than half the
//! distance to the next column lands in the wrong column; headers that are
//! not wrapped in place are joined with their neighbours. Such tables read
//! better from the PDF itself.

mod blocks;
mod columns;
mod header;
mod region;
mod rows;
#[cfg(test)]
mod tests;
mod token;

use super::tabbed;
use crate::model::Document;
use blocks::{
    blank_like, flush_held, is_code_like, is_tabular, paragraphs, split_at_notes, split_blocks,
};
use header::is_statement;
use region::flush_region;
use token::{is_page_number, tokenize, Kind, Line};

/// Lay out decoded text with the reader that suits it.
pub fn layout_text(text: &str) -> Document {
    if text.lines().any(|line| line.starts_with('\t')) || !looks_aligned(text) {
        return tabbed::layout(text);
    }
    layout(text)
}

/// Several lines of words and figures separated by runs of spaces.
pub(super) fn looks_aligned(text: &str) -> bool {
    text.lines()
        .filter(|line| {
            let tokens = tokenize(line);
            tokens.len() >= 2 && tokens.iter().any(|t| t.kind != Kind::Text)
        })
        .take(3)
        .count()
        >= 3
}

/// Read a whole text.
pub fn layout(text: &str) -> Document {
    let mut lines = Vec::new();
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let page_count = pages.len() - usize::from(pages.last().is_some_and(|p| p.trim().is_empty()));
    for (index, page) in pages.iter().take(page_count.max(1)).enumerate() {
        let mut page_lines: Vec<&str> = page.lines().collect();
        while page_lines.last().is_some_and(|l| l.trim().is_empty()) {
            page_lines.pop();
        }
        if page_lines.last().is_some_and(|l| is_page_number(l)) {
            page_lines.pop();
        }
        for raw in page_lines {
            let tokens = tokenize(raw);
            lines.push(Line {
                page: index as u32 + 1,
                indent: raw.chars().take_while(|c| *c == ' ').count(),
                width: raw.trim_end().chars().count(),
                pieces: raw.split("  ").filter(|p| !p.trim().is_empty()).count(),
                text: raw.trim().to_string(),
                tokens,
            });
        }
        // a page break separates blocks like a blank line
        lines.push(Line {
            page: index as u32 + 1,
            indent: 0,
            width: 0,
            pieces: 0,
            text: String::new(),
            tokens: Vec::new(),
        });
    }
    let mut blocks = Vec::new();
    let mut region: Vec<Line> = Vec::new();
    let mut held_header: Vec<Vec<Line>> = Vec::new();
    for block in split_blocks(lines).into_iter().flat_map(split_at_notes) {
        // inside a table, a block of lone figures and codes (a row whose
        // cells stand on lines of their own), or of short indented labels
        // (rows without figures: 专项收入), is part of it
        let same_page = region
            .last()
            .is_some_and(|l: &Line| l.page == block[0].page);
        let lone_cells = block
            .iter()
            .any(|l| l.has_figures() || l.has_code() || is_code_like(l))
            && block
                .iter()
                .all(|l| l.width - l.indent <= 40 || l.pieces >= 2);
        let short_labels = block
            .iter()
            .all(|l| l.pieces <= 2 && l.width - l.indent <= 24 && l.indent >= 1);
        let continues = same_page && (lone_cells || short_labels);
        // a page that starts with a table's title (…表, or a line set in
        // above 单位：万元) starts a new table…
        let title_line = block[0].tokens.len() == 1;
        let titled_page = !same_page
            && title_line
            && block[0].indent > 4
            && (block[0].text.ends_with('表')
                || block.get(1).is_some_and(|l| is_statement(&l.text)));
        // …as does a table title over its 单位 line anywhere
        let titled_block = title_line
            && block[0].text.ends_with('表')
            && block
                .get(1)
                .is_some_and(|l| l.tokens.iter().any(|t| is_statement(&t.text)));
        if titled_page || titled_block {
            flush_region(&mut region, &mut blocks);
        }
        if continues || is_tabular(&block) {
            // header lines set apart by blank lines (部门：… 单位：万元 /
            // 项目名称 金额) head the table that follows them
            if region.is_empty() {
                for held in held_header.drain(..) {
                    region.extend(held);
                    region.push(blank_like(&block[0]));
                }
            }
            flush_held(&mut held_header, &mut blocks);
            if !region.is_empty() && region.last().is_some_and(|l| !l.is_blank()) {
                region.push(blank_like(&block[0]));
            }
            region.extend(block);
        } else if region.is_empty() && block.len() == 1 && block[0].pieces >= 2 {
            held_header.push(block);
        } else {
            flush_region(&mut region, &mut blocks);
            flush_held(&mut held_header, &mut blocks);
            blocks.extend(paragraphs(&block));
        }
    }
    flush_region(&mut region, &mut blocks);
    flush_held(&mut held_header, &mut blocks);
    Document {
        pages: Some(page_count.max(1) as u32),
        blocks,
        page_issues: Vec::new(),
    }
}

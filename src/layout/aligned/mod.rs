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
use crate::model::{Block, Document};
use crate::patterns::ReportPatterns;
use blocks::{
    blank_like, flush_held, is_code_like, is_tabular, paragraphs, split_at_notes, split_blocks,
};
use header::is_statement;
use region::flush_region;
use token::{is_page_number, tokenize, Kind, Line};

/// The words the reader takes from `report.toml` ([`ReportPatterns`]):
/// where a table's notes begin (`text_note_prefixes`), and the endings that
/// complete a `：` statement in a header (`statement_endings`).
pub struct Words<'a> {
    note_prefixes: &'a [String],
    statement_endings: &'a [String],
}

impl<'a> Words<'a> {
    pub fn of(report: &'a ReportPatterns) -> Words<'a> {
        Words {
            note_prefixes: &report.text_note_prefixes,
            statement_endings: &report.statement_endings,
        }
    }

    /// A line that starts a table's notes (注：…, 说明：…).
    fn is_note(&self, text: &str) -> bool {
        self.note_prefixes
            .iter()
            .any(|p| text.starts_with(p.as_str()))
    }

    /// A `：` statement that cannot go on on the next line: it ends with the
    /// unit or with the kind of body a department is.
    fn completes_statement(&self, text: &str) -> bool {
        is_statement(text)
            && self
                .statement_endings
                .iter()
                .any(|e| text.ends_with(e.as_str()))
    }
}

/// Lay out decoded text with the reader that suits it.
pub fn layout_text(text: &str, words: &Words) -> Document {
    if text.lines().any(|line| line.starts_with('\t')) || !looks_aligned(text) {
        return tabbed::layout(text);
    }
    layout(text, words)
}

/// Several lines of words and figures separated by runs of spaces.
fn looks_aligned(text: &str) -> bool {
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
pub fn layout(text: &str, words: &Words) -> Document {
    let (lines, page_count) = read_lines(text);
    let mut blocks = Blocks::default();
    let split = split_blocks(lines)
        .into_iter()
        .flat_map(|block| split_at_notes(block, words));
    for block in split {
        blocks.take(block, words);
    }
    blocks.flush(words);
    Document {
        pages: Some(page_count as u32),
        blocks: blocks.done,
        page_issues: Vec::new(),
        clipped: Vec::new(),
        ocr_pages: Vec::new(),
        ocr_readings: Vec::new(),
    }
}

/// Every page's lines, a blank line after each page (a page break
/// separates blocks like a blank line), and the number of pages. A form
/// feed starts a page; a page's last line that is only a page number is
/// dropped.
fn read_lines(text: &str) -> (Vec<Line>, usize) {
    let mut lines = Vec::new();
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let page_count = pages.len() - usize::from(pages.last().is_some_and(|p| p.trim().is_empty()));
    for (index, page) in pages.iter().take(page_count.max(1)).enumerate() {
        let page_number = index as u32 + 1;
        let mut page_lines: Vec<&str> = page.lines().collect();
        while page_lines.last().is_some_and(|l| l.trim().is_empty()) {
            page_lines.pop();
        }
        if page_lines.last().is_some_and(|l| is_page_number(l)) {
            page_lines.pop();
        }
        for raw in page_lines {
            lines.push(Line {
                page: page_number,
                indent: raw.chars().take_while(|c| *c == ' ').count(),
                width: raw.trim_end().chars().count(),
                pieces: raw.split("  ").filter(|p| !p.trim().is_empty()).count(),
                text: raw.trim().to_string(),
                tokens: tokenize(raw),
            });
        }
        lines.push(Line::blank(page_number));
    }
    (lines, page_count.max(1))
}

/// Blocks of lines sorted into tables and paragraphs as they come.
#[derive(Default)]
struct Blocks {
    /// The blocks laid out so far.
    done: Vec<Block>,
    /// The lines of the table being gathered.
    region: Vec<Line>,
    /// One-line blocks that may head the next table (部门：… 单位：万元 /
    /// 项目名称 金额 set apart by blank lines).
    held_header: Vec<Vec<Line>>,
}

impl Blocks {
    fn take(&mut self, block: Vec<Line>, words: &Words) {
        if starts_new_table(&self.region, &block) {
            flush_region(&mut self.region, &mut self.done, words);
        }
        if continues_table(&self.region, &block) || is_tabular(&block) {
            // held header lines head the table that follows them
            if self.region.is_empty() {
                for held in self.held_header.drain(..) {
                    self.region.extend(held);
                    self.region.push(blank_like(&block[0]));
                }
            }
            flush_held(&mut self.held_header, &mut self.done);
            if self.region.last().is_some_and(|l| !l.is_blank()) {
                self.region.push(blank_like(&block[0]));
            }
            self.region.extend(block);
        } else if self.region.is_empty() && block.len() == 1 && block[0].pieces >= 2 {
            self.held_header.push(block);
        } else {
            self.flush(words);
            self.done.extend(paragraphs(&block));
        }
    }

    fn flush(&mut self, words: &Words) {
        flush_region(&mut self.region, &mut self.done, words);
        flush_held(&mut self.held_header, &mut self.done);
    }
}

/// Inside a table, a block of lone figures and codes (a row whose cells
/// stand on lines of their own), or of short indented labels (rows without
/// figures: 专项收入), on the same page, is part of it.
fn continues_table(region: &[Line], block: &[Line]) -> bool {
    let same_page = region.last().is_some_and(|l| l.page == block[0].page);
    let lone_cells = block
        .iter()
        .any(|l| l.has_figures() || l.has_code() || is_code_like(l))
        && block
            .iter()
            .all(|l| l.width - l.indent <= 40 || l.pieces >= 2);
    let short_labels = block
        .iter()
        .all(|l| l.pieces <= 2 && l.width - l.indent <= 24 && l.indent >= 1);
    same_page && (lone_cells || short_labels)
}

/// A page that starts with a table's title (…表, or a line set in above
/// 单位：万元) starts a new table, as does a table title over its 单位 line
/// anywhere.
fn starts_new_table(region: &[Line], block: &[Line]) -> bool {
    let same_page = region.last().is_some_and(|l| l.page == block[0].page);
    let title_line = block[0].tokens.len() == 1;
    let titled_page = !same_page
        && title_line
        && block[0].indent > 4
        && (block[0].text.ends_with('表') || block.get(1).is_some_and(|l| is_statement(&l.text)));
    let titled_block = title_line
        && block[0].text.ends_with('表')
        && block
            .get(1)
            .is_some_and(|l| l.tokens.iter().any(|t| is_statement(&t.text)));
    titled_page || titled_block
}

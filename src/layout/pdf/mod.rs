//! PDF layout: positioned characters and ruling lines → paragraphs and
//! tables of cells, page by page.
//!
//! 1. **Chunks**: characters on one baseline, closer than a quarter of the
//!    font size, form a chunk of text.
//! 2. **Ruled tables**: horizontal and vertical ruling lines that touch form
//!    a table; their x and y positions are the column and row boundaries
//!    (see [`grid`]).
//!    Where a boundary is missing between two grid cells (no line drawn
//!    there), the cells are merged: the merged region's text goes to its
//!    top-left cell and the rest stay empty, as the document model wants.
//!    A chunk belongs to the cell its centre falls in; a cell's lines are
//!    joined (without a space between CJK characters: 本年支出合\n计 →
//!    本年支出合计).
//! 3. **Text**: the remaining chunks form lines, and a line that continues
//!    to the right margin runs on into the next, one paragraph. So does a
//!    line that stops short of the margin in the middle of a sentence
//!    because the next line's first word (a figure like 341.02, which
//!    cannot be broken) did not fit in what was left — unless the next
//!    line is indented or opens with a list number (see [`super::wrap`]):
//!    where a line breaks depends on the paper and the font, the paragraph
//!    must not. Lines that are only a page number are dropped, so a table
//!    continuing on the next page is not cut by its footer.
//! 4. **Page ends**: a paragraph or a table row that a page end broke goes
//!    on in the first block of the next page (after its running head, if
//!    it has one): see [`page_end`] for when.
//!
//! Blocks come in reading order: top to bottom on each page.

mod grid;
mod page_end;

use super::wrap::{
    ends_sentence, is_cjk, may_break_between, next_word_did_not_fit, opens_with_list_number,
};
use crate::decode::pdf::{PdfDocument, PdfPage, Segment, TextChar};
use crate::model::{Block, Document, Paragraph};
use grid::{fill_grid, grids};
use page_end::{Edges, ParagraphEdges};
use std::collections::BTreeSet;

const TOLERANCE: f32 = 2.0;

/// A run of characters on one baseline.
#[derive(Debug, Clone, PartialEq)]
struct Chunk {
    text: String,
    x0: f32,
    x1: f32,
    baseline: f32,
    size: f32,
    /// Right edge of the chunk's first word: what a typesetter could not
    /// have broken (see [`super::wrap`]).
    first_word_x1: f32,
}

impl Chunk {
    fn centre(&self) -> (f32, f32) {
        ((self.x0 + self.x1) / 2.0, self.baseline - self.size * 0.35)
    }
}

pub fn layout(pdf: &PdfDocument) -> Document {
    let pages: Vec<Vec<Placed>> = pdf
        .pages
        .iter()
        .map(|page| {
            crate::budget::check();
            layout_page(page)
        })
        .collect();
    let heads =
        page_end::running_heads(pages.iter().map(|placed| placed.first().map(|p| &p.block)));
    let floors = page_end::TableFloors::of(pages.iter().flatten().map(|placed| &placed.edges));
    let mut blocks: Vec<Block> = Vec::new();
    // the edges of the last block placed, when it ended the page before
    let mut page_end: Option<Edges> = None;
    for placed in pages {
        let mut placed: Vec<Option<Placed>> = placed.into_iter().map(Some).collect();
        if let (Some(end), Some(previous)) = (&page_end, blocks.last_mut()) {
            join_across_page_end(previous, end, &mut placed, &heads, &floors);
        }
        page_end = None;
        for item in placed.into_iter().flatten() {
            page_end = None;
            if !matches!(&item.block, Block::Table(t) if t.rows.is_empty()) {
                blocks.push(item.block);
                page_end = Some(item.edges);
            }
        }
    }
    Document {
        pages: Some(pdf.page_count() as u32),
        blocks,
        page_issues: Vec::new(),
        clipped: super::clip::clipped_text(&pdf.pages),
        ocr_pages: Vec::new(),
        ocr_readings: Vec::new(),
    }
}

/// Join to the last block of the page before (`previous`, its edges `end`)
/// what goes on of it in the first block of a page (`placed`), or in the
/// block after the page's running head; a paragraph joined whole is taken
/// out of `placed`.
fn join_across_page_end(
    previous: &mut Block,
    end: &Edges,
    placed: &mut [Option<Placed>],
    heads: &BTreeSet<String>,
    floors: &page_end::TableFloors,
) {
    let opens_with_head = matches!(placed.first(),
        Some(Some(first)) if page_end::is_running_head(&first.block, heads));
    let Some(slot) = placed.get_mut(usize::from(opens_with_head)) else {
        return;
    };
    if let Some(next) = slot {
        if page_end::join_across(previous, end, &mut next.block, &next.edges, floors) {
            *slot = None;
        }
    }
}

/// Part of a printed number: digits and the separators between them.
fn is_numeric_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, ',' | '.' | '%' | '-')
}

/// Join two pieces of text: no space next to CJK or inside a number
/// (letter-spaced figures: 2 4 , 4 5 8 . 4 3), one space between words.
fn join(left: &mut String, right: &str) {
    let needs_space = match (left.chars().last(), right.chars().next()) {
        (Some(a), Some(b)) => {
            !is_cjk(a)
                && !is_cjk(b)
                && !a.is_whitespace()
                && !b.is_whitespace()
                && !(is_numeric_char(a) && is_numeric_char(b))
        }
        _ => false,
    };
    if needs_space {
        left.push(' ');
    }
    left.push_str(right);
}

/// Is there a vertical ruling line between x0 and x1 at this baseline?
fn ruled_between(verticals: &[Segment], x0: f32, x1: f32, baseline: f32) -> bool {
    verticals.iter().any(|v| {
        v.x0 > x0 - 0.5 && v.x0 < x1 + 0.5 && v.top0 <= baseline && v.top1 >= baseline - 2.0
    })
}

/// Characters → chunks, in reading order. A chunk never crosses a vertical
/// ruling line, so text in neighbouring cells stays apart.
fn chunks(chars: &[TextChar], verticals: &[Segment]) -> Vec<Chunk> {
    let mut sorted: Vec<&TextChar> = chars.iter().filter(|c| !c.text.trim().is_empty()).collect();
    sorted.sort_by(|a, b| {
        a.baseline
            .total_cmp(&b.baseline)
            .then(a.x0.total_cmp(&b.x0))
    });
    // group into lines by baseline
    let mut lines: Vec<Vec<&TextChar>> = Vec::new();
    for c in sorted {
        match lines.last_mut() {
            Some(line)
                if (line[0].baseline - c.baseline).abs() <= line[0].size.max(c.size) * 0.3 =>
            {
                line.push(c)
            }
            _ => lines.push(vec![c]),
        }
    }
    let mut chunks = Vec::new();
    for mut line in lines {
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut current: Option<Chunk> = None;
        // the chunk's first word goes on
        let mut in_first_word = false;
        for c in line {
            match current.as_mut() {
                Some(chunk)
                    if c.x0 - chunk.x1 <= chunk.size.max(c.size) * 0.25
                        && !ruled_between(verticals, chunk.x1, c.x0, c.baseline) =>
                {
                    let before = chunk.text.chars().last();
                    let length = chunk.text.len();
                    if c.x0 - chunk.x1 > chunk.size * 0.15 {
                        join(&mut chunk.text, &c.text);
                    } else {
                        chunk.text.push_str(&c.text);
                    }
                    let spaced = chunk.text[length..].starts_with(' ');
                    in_first_word &= !spaced
                        && match (before, c.text.chars().next()) {
                            (Some(before), Some(after)) => !may_break_between(before, after),
                            _ => true,
                        };
                    if in_first_word {
                        chunk.first_word_x1 = c.x1;
                    }
                    chunk.x1 = chunk.x1.max(c.x1);
                }
                _ => {
                    if let Some(done) = current.take() {
                        chunks.push(done);
                    }
                    in_first_word = true;
                    current = Some(Chunk {
                        text: c.text.clone(),
                        x0: c.x0,
                        x1: c.x1,
                        baseline: c.baseline,
                        size: c.size,
                        first_word_x1: c.x1,
                    });
                }
            }
        }
        chunks.extend(current);
    }
    chunks
}

/// A page number line: `3`, `- 3 -`, `第 3 页`, `第3页 共25页`.
fn is_page_number(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = compact.trim_matches(|c: char| matches!(c, '-' | '—' | '–' | '_'));
    (!digits.is_empty() && digits.len() <= 4 && digits.chars().all(|c| c.is_ascii_digit()))
        || (compact.starts_with('第')
            && compact.contains('页')
            && compact.chars().filter(|c| c.is_ascii_digit()).count() <= 8
            && compact.chars().count() <= 12)
}

/// A line of text outside tables: chunks on one baseline, left to right.
#[derive(Debug, Clone)]
struct Line {
    baseline: f32,
    x0: f32,
    x1: f32,
    size: f32,
    text: String,
    /// Width of the line's first word (what could not go on the line before).
    first_word: f32,
}

/// Chunks outside tables → lines, top to bottom, page numbers dropped.
fn lines(chunks: &[&Chunk]) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut sorted: Vec<&&Chunk> = chunks.iter().collect();
    sorted.sort_by(|a, b| {
        a.baseline
            .total_cmp(&b.baseline)
            .then(a.x0.total_cmp(&b.x0))
    });
    for chunk in sorted {
        match lines.last_mut() {
            Some(line)
                if (line.baseline - chunk.baseline).abs() <= line.size.max(chunk.size) * 0.3 =>
            {
                if chunk.x0 - line.x1 > chunk.size * 1.0 {
                    line.text.push(' ');
                }
                join(&mut line.text, &chunk.text);
                line.x1 = line.x1.max(chunk.x1);
            }
            _ => lines.push(Line {
                baseline: chunk.baseline,
                x0: chunk.x0,
                x1: chunk.x1,
                size: chunk.size,
                text: chunk.text.clone(),
                first_word: chunk.first_word_x1 - chunk.x0,
            }),
        }
    }
    lines.retain(|line| !is_page_number(&line.text));
    lines
}

/// The edges a page's lines are set between.
#[derive(Debug, Clone, Copy)]
struct Margins {
    /// The left and right edges of the page's text, tables included.
    left: f32,
    right: f32,
    /// Where the page's full lines outside tables start (lines that run
    /// over most of the measure: not a centred heading, not a running head
    /// set in the margin): a line starting an em further right is indented.
    text_left: f32,
}

impl Margins {
    /// The margins of a page's `lines`, the `measure` being the edges of
    /// all its text (a page of tables and two short headings has a wide
    /// measure).
    fn of(lines: &[Line], measure: (f32, f32)) -> Margins {
        let left = lines.iter().map(|l| l.x0).fold(measure.0, f32::min);
        let right = lines.iter().map(|l| l.x1).fold(measure.1, f32::max);
        let full_lines = lines.iter().filter(|l| l.x1 - l.x0 >= (right - left) * 0.6);
        let text_left = full_lines.map(|l| l.x0).reduce(f32::min);
        Margins {
            left,
            right,
            text_left: text_left.unwrap_or(left),
        }
    }

    fn indents(&self, line: &Line) -> bool {
        line.x0 - self.text_left >= line.size * 0.9
    }
}

/// Whether `next` goes on the paragraph whose last line is `last` (text
/// `text`): the line before filled the measure (a short centred heading
/// that happens to be the widest line does not), and ends at the margin or
/// was broken there because `next`'s first word did not fit.
fn runs_on(last: &Line, text: &str, next: &Line, margins: Margins) -> bool {
    let full = last.x1 - last.x0 >= (margins.right - margins.left) * 0.6;
    let shortfall = margins.right - last.x1;
    let at_margin =
        shortfall <= next.size * 2.0 || broken_by_next_word(text, next, shortfall, margins);
    next.baseline - last.baseline <= next.size * 2.2 && full && at_margin
}

/// Whether a line of text `text` ending `shortfall` short of the margin was
/// broken there because `next`'s first word did not fit: in the middle of
/// a sentence, before a line that neither is indented nor opens with the
/// number of a list (see [`super::wrap`]).
fn broken_by_next_word(text: &str, next: &Line, shortfall: f32, margins: Margins) -> bool {
    !ends_sentence(text)
        && !margins.indents(next)
        && !opens_with_list_number(&next.text)
        && next_word_did_not_fit(shortfall, next.first_word, next.size)
}

/// Chunks outside tables → paragraphs with their top position.
/// `measure`: the left and right edges of all text on the page, tables
/// included (a page of tables and two short headings has a wide measure).
fn paragraphs(
    chunks: &[&Chunk],
    page: &PdfPage,
    measure: (f32, f32),
) -> Vec<(f32, Paragraph, ParagraphEdges)> {
    let lines = lines(chunks);
    let margins = Margins::of(&lines, measure);
    let mut paragraphs: Vec<(f32, Paragraph, ParagraphEdges)> = Vec::new();
    for line in lines {
        if let Some((_, paragraph, edges)) = paragraphs.last_mut() {
            if runs_on(&edges.last, &paragraph.text, &line, margins) {
                join(&mut paragraph.text, &line.text);
                edges.last = line;
                continue;
            }
        }
        let top = line.baseline - line.size;
        let paragraph = Paragraph {
            text: line.text.clone(),
            page: Some(page.number),
        };
        let edges = ParagraphEdges {
            first: line.clone(),
            last: line,
            margins,
        };
        paragraphs.push((top, paragraph, edges));
    }
    paragraphs
}

/// A block placed on a page, with how it meets the page's top and bottom.
struct Placed {
    block: Block,
    edges: Edges,
}

fn layout_page(page: &PdfPage) -> Vec<Placed> {
    let verticals: Vec<Segment> = page
        .lines
        .iter()
        .copied()
        .filter(Segment::is_vertical)
        .collect();
    let chunks = chunks(&page.chars, &verticals);
    let mut taken = vec![false; chunks.len()];
    let mut positioned: Vec<(f32, Placed)> = Vec::new();
    for grid in grids(page) {
        let (top, table, edges) = fill_grid(&grid, &chunks, page, &mut taken);
        if table.rows.iter().any(|r| !r.is_blank()) {
            let placed = Placed {
                block: Block::Table(table),
                edges: Edges::Table(edges),
            };
            positioned.push((top, placed));
        }
    }
    let free: Vec<&Chunk> = chunks
        .iter()
        .zip(&taken)
        .filter(|(_, t)| !**t)
        .map(|(c, _)| c)
        .collect();
    let measure = chunks
        .iter()
        .fold((f32::MAX, 0.0f32), |(l, r), c| (l.min(c.x0), r.max(c.x1)));
    for (top, paragraph, edges) in paragraphs(&free, page, measure) {
        let placed = Placed {
            block: Block::Paragraph(paragraph),
            edges: Edges::Paragraph(edges),
        };
        positioned.push((top, placed));
    }
    positioned.sort_by(|a, b| a.0.total_cmp(&b.0));
    positioned.into_iter().map(|(_, placed)| placed).collect()
}

/// The document model as tab-layout text (what `gongkai layout` prints).
pub fn to_tab_layout(document: &Document) -> String {
    let mut out = String::new();
    let mut page = None;
    for block in &document.blocks {
        match block {
            Block::Paragraph(p) => {
                if p.page != page {
                    page = p.page;
                    if let Some(n) = page {
                        out.push_str(&format!("\n# page {n}\n"));
                    }
                }
                out.push_str(&p.text.replace('\n', " "));
                out.push('\n');
            }
            Block::Table(t) => {
                out.push('\n');
                for row in &t.rows {
                    if row.page != page {
                        page = row.page;
                        if let Some(n) = page {
                            out.push_str(&format!("# page {n}\n"));
                        }
                    }
                    for cell in &row.cells {
                        out.push('\t');
                        out.push_str(&cell.replace('\n', " "));
                        out.push('\n');
                    }
                    out.push('\n');
                }
            }
        }
    }
    out
}

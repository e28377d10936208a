//! PDF layout: positioned characters and ruling lines → paragraphs and
//! tables of cells, page by page.
//!
//! 1. **Chunks**: characters on one baseline, closer than a quarter of the
//!    font size, form a chunk of text.
//! 2. **Ruled tables**: horizontal and vertical ruling lines that touch form
//!    a table; their x and y positions are the column and row boundaries.
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

mod page_end;

use super::wrap::{
    ends_sentence, is_cjk, may_break_between, next_word_did_not_fit, opens_with_list_number,
};
use crate::decode::pdf::{PdfDocument, PdfPage, Segment, TextChar};
use crate::model::{Block, Document, Paragraph, Row, Table};
use page_end::{Edges, ParagraphEdges, TableEdges};
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

/// Merge collinear, touching segments so a border drawn cell by cell
/// becomes one line.
fn merge_segments(segments: Vec<Segment>, horizontal: bool) -> Vec<Segment> {
    // (position, start, end) of a segment along its own direction
    let key = |s: &Segment| {
        if horizontal {
            (s.top0, s.x0, s.x1)
        } else {
            (s.x0, s.top0, s.top1)
        }
    };
    let make = |position: f32, start: f32, end: f32| {
        if horizontal {
            Segment {
                x0: start,
                top0: position,
                x1: end,
                top1: position,
            }
        } else {
            Segment {
                x0: position,
                top0: start,
                x1: position,
                top1: end,
            }
        }
    };
    // group by position first (lines a fraction of a point apart are one
    // line), then join the intervals of each group that touch or overlap
    let mut keyed: Vec<(f32, f32, f32)> = segments.iter().map(key).collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut groups: Vec<Vec<(f32, f32, f32)>> = Vec::new();
    for segment in keyed {
        match groups.last_mut() {
            Some(group) if segment.0 - group[0].0 <= TOLERANCE / 2.0 => group.push(segment),
            _ => groups.push(vec![segment]),
        }
    }
    let mut merged = Vec::new();
    for mut group in groups {
        let position = group[0].0;
        group.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut current: Option<(f32, f32)> = None;
        for (_, start, end) in group {
            current = match current {
                Some((s, e)) if start <= e + TOLERANCE => Some((s, e.max(end))),
                Some((s, e)) => {
                    merged.push(make(position, s, e));
                    Some((start, end))
                }
                None => Some((start, end)),
            };
        }
        if let Some((s, e)) = current {
            merged.push(make(position, s, e));
        }
    }
    merged
}

/// Values within the tolerance of each other become one.
fn cluster(mut values: Vec<f32>) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for v in values {
        match out.last() {
            Some(last) if v - last <= TOLERANCE => {}
            _ => out.push(v),
        }
    }
    out
}

/// A ruled table on a page.
struct Grid {
    xs: Vec<f32>,
    ys: Vec<f32>,
    horizontal: Vec<Segment>,
    vertical: Vec<Segment>,
    /// The cell borders run on above the first rule: the table's first row
    /// began on the previous page.
    open_top: bool,
    /// The cell borders run on below the last rule: the last row goes on
    /// on the next page.
    open_bottom: bool,
}

impl Grid {
    fn contains(&self, (x, y): (f32, f32)) -> bool {
        x >= self.xs[0] - TOLERANCE
            && x <= *self.xs.last().unwrap() + TOLERANCE
            && y >= self.ys[0] - TOLERANCE
            && y <= *self.ys.last().unwrap() + TOLERANCE
    }

    fn column_of(&self, x: f32) -> usize {
        self.xs[1..]
            .iter()
            .position(|&b| x < b)
            .unwrap_or(self.xs.len() - 2)
    }

    fn row_of(&self, y: f32) -> usize {
        self.ys[1..]
            .iter()
            .position(|&b| y < b)
            .unwrap_or(self.ys.len() - 2)
    }

    /// Is there a vertical line at boundary `col` through row band `row`?
    fn vertical_separator(&self, col: usize, row: usize) -> bool {
        let (x, top, bottom) = (self.xs[col], self.ys[row], self.ys[row + 1]);
        let needed = (bottom - top) * 0.5;
        self.vertical.iter().any(|s| {
            (s.x0 - x).abs() <= TOLERANCE && s.top1.min(bottom) - s.top0.max(top) >= needed
        })
    }

    /// Is there a horizontal line at boundary `row` through column band `col`?
    fn horizontal_separator(&self, row: usize, col: usize) -> bool {
        let (y, left, right) = (self.ys[row], self.xs[col], self.xs[col + 1]);
        let needed = (right - left) * 0.5;
        self.horizontal
            .iter()
            .any(|s| (s.top0 - y).abs() <= TOLERANCE && s.x1.min(right) - s.x0.max(left) >= needed)
    }
}

/// Group ruling lines that touch into grids.
fn grids(page: &PdfPage) -> Vec<Grid> {
    let of_direction =
        |keep: fn(&Segment) -> bool| page.lines.iter().copied().filter(keep).collect();
    let horizontal = merge_segments(of_direction(Segment::is_horizontal), true);
    let vertical = merge_segments(of_direction(Segment::is_vertical), false);
    // pairing every horizontal with every vertical line is quadratic: a page
    // of tens of thousands of strokes (a drawing, a hostile file) gets no grid
    if horizontal.len().saturating_mul(vertical.len()) > 4_000_000 {
        return Vec::new();
    }
    connected_rulings(&horizontal, &vertical)
        .into_iter()
        .filter(|(h, v)| h.len() >= 2 && v.len() >= 2)
        .filter_map(|(horizontal, vertical)| grid_of(horizontal, vertical))
        .collect()
}

/// The rulings in groups that touch one another (union–find over every
/// horizontal–vertical pair that meets): each group's horizontal and
/// vertical lines.
fn connected_rulings(
    horizontal: &[Segment],
    vertical: &[Segment],
) -> Vec<(Vec<Segment>, Vec<Segment>)> {
    let mut parent: Vec<usize> = (0..horizontal.len() + vertical.len()).collect();
    fn find(parent: &mut [usize], i: usize) -> usize {
        let mut root = i;
        while parent[root] != root {
            root = parent[root];
        }
        parent[i] = root;
        root
    }
    for (i, h) in horizontal.iter().enumerate() {
        for (k, v) in vertical.iter().enumerate() {
            let j = horizontal.len() + k;
            let touches = v.x0 >= h.x0 - TOLERANCE
                && v.x0 <= h.x1 + TOLERANCE
                && h.top0 >= v.top0 - TOLERANCE
                && h.top0 <= v.top1 + TOLERANCE;
            if touches {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Segment>, Vec<Segment>)> =
        Default::default();
    for (i, h) in horizontal.iter().enumerate() {
        groups.entry(find(&mut parent, i)).or_default().0.push(*h);
    }
    for (k, v) in vertical.iter().enumerate() {
        let root = find(&mut parent, horizontal.len() + k);
        groups.entry(root).or_default().1.push(*v);
    }
    groups.into_values().collect()
}

/// A group of rulings as a grid: column edges from the verticals, row
/// edges from the horizontals, and a row broken by the page end (side
/// borders but no closing rule) closed where its borders end.
fn grid_of(horizontal: Vec<Segment>, vertical: Vec<Segment>) -> Option<Grid> {
    let xs = cluster(vertical.iter().map(|s| s.x0).collect());
    let mut ys = cluster(horizontal.iter().map(|s| s.top0).collect());
    let top = vertical.iter().map(|s| s.top0).fold(f32::MAX, f32::min);
    let bottom = vertical.iter().map(|s| s.top1).fold(f32::MIN, f32::max);
    let open_top = ys
        .first()
        .is_some_and(|&first| top < first - 3.0 * TOLERANCE);
    let open_bottom = ys
        .last()
        .is_some_and(|&last| bottom > last + 3.0 * TOLERANCE);
    if open_top {
        ys.insert(0, top);
    }
    if open_bottom {
        ys.push(bottom);
    }
    (xs.len() >= 2 && ys.len() >= 2).then_some(Grid {
        xs,
        ys,
        horizontal,
        vertical,
        open_top,
        open_bottom,
    })
}

/// Fill a grid with the chunks that fall in it; returns its top, the table
/// (marking the chunks it took), and the edges of its first and last rows., and the edges of its first and last rows.
fn fill_grid(
    grid: &Grid,
    chunks: &[Chunk],
    page: &PdfPage,
    taken: &mut [bool],
) -> (f32, Table, TableEdges) {
    let rows = grid.ys.len() - 1;
    let cols = grid.xs.len() - 1;
    // grid cells holding text of their own: a missing line between two of
    // them is a gap in the drawing, not a merged cell
    let mut occupied = vec![vec![false; cols]; rows];
    for (i, chunk) in chunks.iter().enumerate() {
        if !taken[i] && grid.contains(chunk.centre()) {
            let (x, y) = chunk.centre();
            occupied[grid.row_of(y)][grid.column_of(x)] = true;
        }
    }
    // merged regions: each cell's anchor (top-left cell of its region)
    let mut anchor: Vec<Vec<(usize, usize)>> = (0..rows)
        .map(|r| (0..cols).map(|c| (r, c)).collect())
        .collect();
    for r in 0..rows {
        for c in 0..cols {
            let mut a = (r, c);
            if c > 0 && !grid.vertical_separator(c, r) && !(occupied[r][c] && occupied[r][c - 1]) {
                a = anchor[r][c - 1];
            }
            // (text wrapped over two lines of one cell is common, so a
            // missing horizontal line always merges)
            if r > 0 && !grid.horizontal_separator(r, c) {
                let above = anchor[r - 1][c];
                // a vertical merge wins when the cell above spans this column too
                if a == (r, c) || above.1 <= a.1 {
                    a = above;
                }
            }
            anchor[r][c] = a;
        }
    }
    let mut texts: Vec<Vec<Vec<&Chunk>>> = vec![vec![Vec::new(); cols]; rows];
    for (i, chunk) in chunks.iter().enumerate() {
        if taken[i] || !grid.contains(chunk.centre()) {
            continue;
        }
        taken[i] = true;
        let (x, y) = chunk.centre();
        let (r, c) = anchor[grid.row_of(y)][grid.column_of(x)];
        texts[r][c].push(chunk);
    }
    let edges = table_edges(grid, &anchor, &texts, page.height);
    let table_rows = texts
        .into_iter()
        .map(|cells| {
            let cells = cells.into_iter().map(|mut parts| {
                parts.sort_by(|a, b| {
                    a.baseline
                        .total_cmp(&b.baseline)
                        .then(a.x0.total_cmp(&b.x0))
                });
                let mut text = String::new();
                for part in parts {
                    join(&mut text, &part.text);
                }
                text
            });
            Row::new(cells.collect(), Some(page.number))
        })
        .collect();
    (grid.ys[0], Table { rows: table_rows }, edges)
}

/// The edges of a grid's first and last rows, its cells' text placed
/// (`texts`, by the anchor of each merged region): what tells a row a
/// page end broke (see [`page_end`]).
fn table_edges(
    grid: &Grid,
    anchor: &[Vec<(usize, usize)>],
    texts: &[Vec<Vec<&Chunk>>],
    page_height: f32,
) -> TableEdges {
    let last = texts.len() - 1;
    // the cells' padding: the least space between a cell's left edge and its text
    let padding = (texts.iter().flat_map(|row| row.iter().enumerate()))
        .flat_map(|(c, parts)| parts.iter().map(move |part| part.x0 - grid.xs[c]))
        .fold(f32::MAX, f32::min)
        .max(0.0);
    // the right edge of the region anchored at (r, c)
    let right_of = |r: usize, c: usize| {
        let span = anchor[r][c..].iter().take_while(|&&a| a == (r, c)).count();
        grid.xs[c + span.max(1)]
    };
    let bottom_line = texts[last]
        .iter()
        .flatten()
        .map(|part| part.baseline)
        .fold(f32::MIN, f32::max);
    let last_room = (0..texts[last].len())
        .map(|c| {
            let parts = &texts[last][c];
            let (baseline, x1) = last_line_end(parts)?;
            let size = parts[0].size;
            (baseline >= bottom_line - size * 0.3).then(|| right_of(last, c) - padding - x1)
        })
        .collect();
    TableEdges {
        open_top: grid.open_top,
        open_bottom: grid.open_bottom,
        columns: grid.xs.clone(),
        bottom: *grid.ys.last().unwrap_or(&0.0),
        page_height,
        last_filled: texts[last].iter().map(|parts| !parts.is_empty()).collect(),
        last_room,
        first_word: texts[0].iter().map(|parts| first_word(parts)).collect(),
    }
}

/// The baseline of a cell's last line of text and where that line ends.
fn last_line_end(parts: &[&Chunk]) -> Option<(f32, f32)> {
    let baseline = parts.iter().map(|p| p.baseline).reduce(f32::max)?;
    let on_line = parts
        .iter()
        .filter(|p| (p.baseline - baseline).abs() <= p.size * 0.3);
    Some((baseline, on_line.map(|p| p.x1).fold(f32::MIN, f32::max)))
}

/// The width of a cell's first word (on its first line, leftmost) and its
/// font size.
fn first_word(parts: &[&Chunk]) -> Option<(f32, f32)> {
    let top = parts.iter().map(|p| p.baseline).reduce(f32::min)?;
    let first = parts
        .iter()
        .filter(|p| (p.baseline - top).abs() <= p.size * 0.3)
        .min_by(|a, b| a.x0.total_cmp(&b.x0))?;
    Some((first.first_word_x1 - first.x0, first.size))
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

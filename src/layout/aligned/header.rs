//! The header of a table: cells rejoined where their text wraps, placed
//! on the columns (a spanning cell with the leftmost cell it spans), and
//! the `：` statements (部门：… 单位：万元) set in a row of their own.

use super::columns::{nearest, place, to_row, Column, HEADER};
use super::token::{Kind, Line, Token};
use super::Words;
use crate::model::Row;

/// A cell of the header: fragments on successive lines, one below the
/// other, joined while the text wraps.
#[derive(Debug, Clone)]
pub(super) struct HeaderCell {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) first_line: usize,
    pub(super) last_line: usize,
    pub(super) text: String,
    pub(super) widest: usize,
    pub(super) last_width: usize,
    /// The last fragment filled the cell's width: the text may go on.
    pub(super) open: bool,
    pub(super) page: u32,
}

impl HeaderCell {
    pub(super) fn center(&self) -> f64 {
        (self.start + self.end) as f64 / 2.0
    }
    /// Overlapping or touching: wrapped CJK text may move by a character.
    pub(super) fn overlaps(&self, start: usize, end: usize) -> bool {
        self.start <= end && start <= self.end
    }
}

/// The header's cells: a fragment continues the nearest cell above it that
/// it overlaps when that cell is still open (its last line was as wide as
/// its widest: the text wrapped); a narrower line closes a cell, so the
/// next fragment below starts a new one (a lower header level).
pub(super) fn header_cells(header: &[Line], words: &Words) -> Vec<HeaderCell> {
    let mut cells: Vec<HeaderCell> = Vec::new();
    for (index, line) in header.iter().enumerate() {
        for token in &line.tokens {
            let width = token.text.chars().count();
            let above = cells
                .iter()
                .enumerate()
                .filter(|(_, c)| c.last_line < index && c.overlaps(token.start, token.end))
                .max_by_key(|(_, c)| c.last_line)
                .map(|(i, _)| i)
                // (a blank line between two header lines parts their cells)
                .filter(|&i| !header[cells[i].last_line..index].iter().any(Line::is_blank));
            // the lines of a wrapped cell do not grow (more than a glyph)
            let grows = |cell: &HeaderCell| width > cell.last_width + 1;
            match above {
                Some(i) if cells[i].open && !grows(&cells[i]) => {
                    let cell = &mut cells[i];
                    cell.text.push_str(&token.text);
                    cell.start = cell.start.min(token.start);
                    cell.end = cell.end.max(token.end);
                    cell.last_line = index;
                    cell.widest = cell.widest.max(width);
                    cell.last_width = width;
                    cell.open = width + 1 >= cell.widest && !words.completes_statement(&cell.text);
                }
                _ => cells.push(HeaderCell {
                    start: token.start,
                    end: token.end,
                    first_line: index,
                    last_line: index,
                    text: token.text.clone(),
                    widest: width,
                    last_width: width,
                    open: !words.completes_statement(&token.text),
                    page: line.page,
                }),
            }
        }
    }
    cells
}

/// How far the cells below a header may stand for it to span them.
pub(super) const SPAN_REACH: f64 = 14.0;

/// The column of each header cell. The lowest cells (no other cell below
/// them) are matched to the columns left to right (a header may stand a few
/// characters off its figures, but its order is kept), opening columns for
/// headers without figures; a cell above others goes with the leftmost
/// cell it spans; a `：` statement with the nearest column.
pub(super) fn place_header(cells: &[HeaderCell], columns: &mut Vec<Column>) -> Vec<usize> {
    let below = |i: usize| {
        cells
            .iter()
            .filter(move |c| c.first_line > cells[i].last_line && !is_statement(&c.text))
    };
    let lowest: Vec<usize> = (0..cells.len())
        .filter(|&i| {
            let center = cells[i].center();
            // a cell centred between two cells below it spans them
            let near = |c: &&HeaderCell| (c.center() - center).abs() <= SPAN_REACH;
            let spans = below(i).filter(near).any(|c| c.center() < center)
                && below(i).filter(near).any(|c| c.center() > center);
            !is_statement(&cells[i].text)
                && !spans
                && !below(i).any(|c| c.overlaps(cells[i].start, cells[i].end))
        })
        .collect();
    let mut ordered = lowest.clone();
    ordered.sort_by(|a, b| cells[*a].center().total_cmp(&cells[*b].center()));
    let tokens: Vec<Token> = ordered
        .iter()
        .map(|&i| Token {
            start: cells[i].start,
            end: cells[i].end,
            text: cells[i].text.clone(),
            kind: Kind::Text,
        })
        .collect();
    let placed = place(&tokens, columns, HEADER);
    let mut result: Vec<Option<usize>> = vec![None; cells.len()];
    for (k, &i) in ordered.iter().enumerate() {
        result[i] = Some(placed[k]);
    }
    // a spanning cell goes with the leftmost of the lowest cells it spans:
    // those below it nearer to it than to any other cell of its level
    let upper: Vec<usize> = (0..cells.len()).filter(|&i| result[i].is_none()).collect();
    let same_level =
        |a: &HeaderCell, b: &HeaderCell| a.first_line <= b.last_line && b.first_line <= a.last_line;
    for &i in &upper {
        let spanned = ordered.iter().copied().filter(|&j| {
            let lowest = &cells[j];
            let distance = |u: &HeaderCell| (u.center() - lowest.center()).abs();
            lowest.first_line > cells[i].last_line
                && (cells[i].overlaps(lowest.start, lowest.end)
                    || distance(&cells[i]) <= SPAN_REACH)
                && upper
                    .iter()
                    .filter(|&&k| k != i && same_level(&cells[k], &cells[i]))
                    .filter(|&&k| lowest.first_line > cells[k].last_line)
                    .all(|&k| distance(&cells[k]) >= distance(&cells[i]))
        });
        let leftmost = spanned.min_by(|a, b| cells[*a].center().total_cmp(&cells[*b].center()));
        result[i] = match leftmost {
            Some(j) => result[j],
            None => Some(nearest(columns, cells[i].center())),
        };
    }
    // (every cell is placed by now: the lowest above, the others here)
    result.into_iter().map(|place| place.unwrap_or(0)).collect()
}

/// Header cells → rows: the `：` statements first, in a row of their own;
/// then the header levels aligned at the bottom, so each column's own label
/// is in the last header row and the cells spanning it above.
pub(super) fn header_rows(
    cells: &[HeaderCell],
    places: &[usize],
    width: usize,
    rows: &mut Vec<Row>,
) {
    let page = cells.iter().map(|c| c.page).min();
    // statements left to right, a cell each (their row is not aligned
    // with the columns)
    let mut statements: Vec<&HeaderCell> = cells.iter().filter(|c| is_statement(&c.text)).collect();
    statements.sort_by(|a, b| a.center().total_cmp(&b.center()));
    if !statements.is_empty() {
        let cells: Vec<(usize, String)> = statements
            .iter()
            .enumerate()
            .map(|(i, c)| (i, c.text.clone()))
            .collect();
        rows.push(to_row(&cells, width.max(cells.len()), page));
    }
    let mut levels: Vec<Vec<&HeaderCell>> = vec![Vec::new(); width];
    for (cell, &column) in cells.iter().zip(places) {
        if column < width && !is_statement(&cell.text) {
            levels[column].push(cell);
        }
    }
    for column in &mut levels {
        column.sort_by_key(|c| c.first_line);
    }
    let depth = levels.iter().map(Vec::len).max().unwrap_or(0);
    for level in 0..depth {
        let cells: Vec<(usize, String)> = levels
            .iter()
            .enumerate()
            .filter_map(|(column, cells)| {
                let offset = depth - cells.len();
                (level >= offset).then(|| (column, cells[level - offset].text.clone()))
            })
            .collect();
        rows.push(to_row(&cells, width, page));
    }
}

/// A statement about the table rather than a column header: `部门：…`,
/// `单位：万元`, or the year alone (`2023年度`).
pub(super) fn is_statement(text: &str) -> bool {
    let year = text
        .get(..4)
        .is_some_and(|y| y.chars().all(|c| c.is_ascii_digit()))
        && matches!(text.get(4..), Some("年" | "年度"));
    year || text
        .find('：')
        .is_some_and(|at| text[..at].chars().count() <= 6)
}

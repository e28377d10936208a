//! A region: the lines of one table, across pages — lead lines, header,
//! body and trailing notes — turned into one [`Table`] block.

use super::blocks::{paragraph, paragraphs};
use super::columns::{columns_of, place, settle, Column, LATER_PAGE};
use super::header::{header_cells, header_rows, is_statement, place_header, HeaderCell};
use super::rows::body_rows;
use super::token::{Line, Token};
use super::Words;
use crate::model::{Block, Row, Table};

/// Turn the lines gathered for one table into its blocks: the table (lead
/// rows at the margin, header rows, body rows) and the paragraphs around it
/// (a title set in, notes after the last figures).
pub(super) fn flush_region(region: &mut Vec<Line>, blocks: &mut Vec<Block>, words: &Words) {
    let lines = std::mem::take(region);
    if lines.is_empty() {
        return;
    }
    let parts = Parts::of(&lines, words);
    let mut rows: Vec<Row> = Vec::new();
    for line in &lines[..parts.header_start] {
        if line.is_blank() {
            continue;
        }
        if line.indent <= 4 {
            rows.push(Row::new(vec![line.text.clone()], Some(line.page)));
        } else {
            blocks.push(paragraph(line.text.clone(), Some(line.page)));
        }
    }
    let header = &lines[parts.header_start..parts.body_start];
    let body = &lines[parts.body_start..parts.tail];
    let cells = header_cells(header, words);
    let placement = Placement::of(&cells, body);
    header_rows(&cells, &placement.header, placement.width, &mut rows);
    body_rows(body, &placement.body, placement.width, &mut rows);
    if !rows.is_empty() {
        blocks.push(Block::Table(Table { rows }));
    }
    if parts.tail < lines.len() {
        let rest: Vec<Line> = lines[parts.tail..]
            .iter()
            .filter(|l| !l.is_blank())
            .cloned()
            .collect();
        blocks.extend(paragraphs(&rest));
    }
}

/// Where a region's parts start, as indices into its lines: lead lines
/// (marker, title) up to `header_start`, the header up to `body_start`,
/// the body up to `tail`, then notes.
struct Parts {
    header_start: usize,
    body_start: usize,
    tail: usize,
}

impl Parts {
    fn of(lines: &[Line], words: &Words) -> Parts {
        // leading one-token lines: at the margin (a marker) rows of one
        // cell, set in (a centred title, 单位：万元 on the right) paragraphs
        // (a short word set in, 项目, is already the header)
        let lead = lines
            .iter()
            .take_while(|l| {
                let titled = l.indent <= 4 || l.text.chars().count() >= 5 || is_statement(&l.text);
                l.tokens.len() <= 1 && !l.has_figures() && !l.has_code() && titled
            })
            .count();
        let first_figures = lines
            .iter()
            .position(|l| l.starts_body())
            .unwrap_or(lines.len());
        // notes after the last figures: lines of text at the left margin
        let last_figures = lines.iter().rposition(|l| l.has_figures()).unwrap_or(0);
        let tail = lines
            .iter()
            .skip(last_figures + 1)
            .position(|l| {
                l.pieces == 1 && l.indent <= 2 && (l.width >= 12 || words.is_note(&l.text))
            })
            .map_or(lines.len(), |p| last_figures + 1 + p)
            .max(first_figures);
        let header_start = lead.min(first_figures);
        Parts {
            header_start,
            body_start: body_start(lines, header_start, first_figures),
            tail,
        }
    }
}

/// Text just above the first figures, after a blank line that ends the
/// header, is the first rows' labels (a label centred on its row).
fn body_start(lines: &[Line], header_start: usize, first_figures: usize) -> usize {
    let last_blank = lines[header_start..first_figures]
        .iter()
        .rposition(Line::is_blank)
        .map(|p| header_start + p);
    let label_like = |l: &Line| l.tokens.len() <= 3;
    match last_blank {
        Some(blank)
            if blank + 1 < first_figures
                && lines[header_start..blank].iter().any(|l| !l.is_blank())
                && lines[blank + 1..first_figures].iter().all(label_like) =>
        {
            blank + 1
        }
        _ => first_figures,
    }
}

/// A column's identity: it stays the same while columns are inserted
/// before it ([`Column::id`]).
type ColumnId = usize;

/// The table's columns and where every header cell and body token goes.
struct Placement {
    width: usize,
    /// Column position of each header cell.
    header: Vec<usize>,
    /// Column position of each token, line by line of the body.
    body: Vec<Vec<usize>>,
}

impl Placement {
    /// Columns from the body — lines with figures first (the fullest
    /// first), then the other lines — then the header's cells; then every
    /// body line is placed on the result. A table running over pages: each
    /// page's columns are found on its own lines (a tool lays out each page
    /// on its own, some tighter), and a later page's columns are matched to
    /// the first page's, in order.
    fn of(cells: &[HeaderCell], body: &[Line]) -> Placement {
        let pages = pages_of(body);
        let first_page = pages.first().copied().unwrap_or(&[]);
        let mut columns = columns_of(first_page);
        let header_ids = ids(place_header(cells, &mut columns), &columns);
        let mut body_ids: Vec<Vec<Option<ColumnId>>> = first_page
            .iter()
            .map(|l| ids(settle(l, &columns), &columns))
            .collect();
        for lines in pages.iter().skip(1) {
            body_ids.extend(later_page(lines, &mut columns));
        }
        // column ids → final positions (with no columns at all, a region
        // of statements only, every place falls to the first position)
        let position = |id: Option<ColumnId>| {
            id.and_then(|id| columns.iter().position(|c| c.id == id))
                .unwrap_or(0)
        };
        Placement {
            width: columns.len(),
            header: header_ids.into_iter().map(position).collect(),
            body: body_ids
                .into_iter()
                .map(|line| line.into_iter().map(position).collect())
                .collect(),
        }
    }
}

/// The body's lines page by page.
fn pages_of(body: &[Line]) -> Vec<&[Line]> {
    let mut pages: Vec<&[Line]> = Vec::new();
    let mut start = 0;
    for i in 1..=body.len() {
        if i == body.len() || body[i].page != body[start].page {
            pages.push(&body[start..i]);
            start = i;
        }
    }
    pages
}

/// Column positions → the ids of those columns.
fn ids(places: Vec<usize>, columns: &[Column]) -> Vec<Option<ColumnId>> {
    places
        .into_iter()
        .map(|c| columns.get(c).map(|c| c.id))
        .collect()
}

/// A later page's lines: placed on the page's own columns, which are then
/// matched onto the table's.
fn later_page(lines: &[Line], columns: &mut Vec<Column>) -> Vec<Vec<Option<ColumnId>>> {
    let local = columns_of(lines);
    let as_tokens: Vec<Token> = local
        .iter()
        .map(|c| Token {
            start: c.start.round().max(0.0) as usize,
            end: c.end.round().max(0.0) as usize,
            text: String::new(),
            kind: c.kind(),
        })
        .collect();
    let onto = ids(place(&as_tokens, columns, LATER_PAGE), columns);
    lines
        .iter()
        .map(|line| {
            settle(line, &local)
                .into_iter()
                .map(|c| onto.get(c).copied().flatten())
                .collect()
        })
        .collect()
}

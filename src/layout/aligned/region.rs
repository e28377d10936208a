//! A region: the lines of one table, across pages — lead lines, header,
//! body and trailing notes — turned into one [`Table`] block.

use super::blocks::{paragraph, paragraphs};
use super::columns::{columns_of, place_learning, settle, Column, NEW_PAGE_COLUMN};
use super::header::{header_cells, header_rows, is_statement, place_header};
use super::rows::body_rows;
use super::token::{Line, Token};
use crate::model::{Block, Row, Table};

pub(super) fn flush_region(region: &mut Vec<Line>, blocks: &mut Vec<Block>) {
    let lines = std::mem::take(region);
    if lines.is_empty() {
        return;
    }
    // leading one-token lines: at the margin (a marker) rows of one cell,
    // set in (a centred title, 单位：万元 on the right) paragraphs
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
            let note = l.text.starts_with('注') || l.text.starts_with("说明");
            l.pieces == 1 && l.indent <= 2 && (l.width >= 12 || note)
        })
        .map_or(lines.len(), |p| last_figures + 1 + p)
        .max(first_figures);

    let mut rows: Vec<Row> = Vec::new();
    for line in &lines[..lead.min(first_figures)] {
        if line.is_blank() {
            continue;
        }
        if line.indent <= 4 {
            rows.push(Row::new(vec![line.text.clone()], Some(line.page)));
        } else {
            blocks.push(paragraph(line.text.clone(), Some(line.page)));
        }
    }
    // text just above the first figures, after a blank line that ends the
    // header, is the first rows' labels (a label centred on its row)
    let header_start = lead.min(first_figures);
    let last_blank = lines[header_start..first_figures]
        .iter()
        .rposition(Line::is_blank)
        .map(|p| header_start + p);
    let label_like = |l: &Line| l.tokens.len() <= 3;
    let body_start = match last_blank {
        Some(blank)
            if blank + 1 < first_figures
                && lines[header_start..blank].iter().any(|l| !l.is_blank())
                && lines[blank + 1..first_figures].iter().all(label_like) =>
        {
            blank + 1
        }
        _ => first_figures,
    };
    let header = &lines[header_start..body_start];
    let body = &lines[body_start..tail];

    // columns from the body: lines with figures first (the fullest first),
    // then the other lines; then the header's cells; then every body line
    // is placed on the result
    // a table running over pages: each page's columns are found on its own
    // lines (a tool lays out each page on its own, some tighter), and a
    // later page's columns are matched to the first page's, in order
    let mut pages: Vec<&[Line]> = Vec::new();
    let mut start = 0;
    for i in 1..=body.len() {
        if i == body.len() || body[i].page != body[start].page {
            pages.push(&body[start..i]);
            start = i;
        }
    }
    let mut columns = columns_of(pages.first().copied().unwrap_or(&[]));
    let cells = header_cells(header);
    // (with no columns at all, a region of statements only, every place
    // falls to the first position)
    let ids = |places: Vec<usize>, columns: &[Column]| -> Vec<usize> {
        places
            .into_iter()
            .map(|c| columns.get(c).map_or(usize::MAX, |c| c.id))
            .collect()
    };
    let header_places = ids(place_header(&cells, &mut columns), &columns);
    let mut body_places: Vec<Vec<usize>> = pages
        .first()
        .map(|lines| {
            lines
                .iter()
                .map(|l| ids(settle(l, &columns), &columns))
                .collect()
        })
        .unwrap_or_default();
    for lines in pages.iter().skip(1) {
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
        let onto = ids(
            place_learning(&as_tokens, &mut columns, false, NEW_PAGE_COLUMN, false),
            &columns,
        );
        for line in lines.iter() {
            let places: Vec<usize> = settle(line, &local)
                .into_iter()
                .map(|c| onto.get(c).copied().unwrap_or(usize::MAX))
                .collect();
            body_places.push(places);
        }
    }
    // column ids → final positions
    let position = |id: usize| columns.iter().position(|c| c.id == id).unwrap_or(0);
    let header_places: Vec<usize> = header_places.into_iter().map(position).collect();
    let body_places: Vec<Vec<usize>> = body_places
        .into_iter()
        .map(|line| line.into_iter().map(position).collect())
        .collect();
    let width = columns.len();
    header_rows(&cells, &header_places, width, &mut rows);
    body_rows(body, &body_places, width, &mut rows);
    if !rows.is_empty() {
        blocks.push(Block::Table(Table { rows }));
    }
    if tail < lines.len() {
        let rest: Vec<Line> = lines[tail..]
            .iter()
            .filter(|l| !l.is_blank())
            .cloned()
            .collect();
        blocks.extend(paragraphs(&rest));
    }
}

pub(super) fn to_row(cells: &[(usize, String)], width: usize, page: Option<u32>) -> Row {
    let mut row = vec![String::new(); width];
    for (column, text) in cells {
        if *column < width {
            row[*column] = text.clone();
        }
    }
    Row::new(row, page)
}

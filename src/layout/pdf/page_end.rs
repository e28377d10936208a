//! What a page end broke, put together again: a paragraph or a table row
//! that goes on at the top of the next page.
//!
//! Where a page ends depends on the paper, the font and the program that
//! printed the report; the paragraphs and rows must not. The last block of
//! a page and the first block of the next are joined when:
//!
//! - **a paragraph** goes on: the last line of the page fills the measure
//!   of its page (as [`super`]'s rule for lines within a page has it: it
//!   ends at the margin, or short of it because the next line's first word
//!   did not fit), ends in the middle of a sentence, and the next page's
//!   first line is set in the same size (a table's title at the foot of a
//!   page does not run on into the 部门：… line above the table) and is
//!   neither indented nor opens with a list number. A page
//!   break that falls after a full stop is left alone: a paragraph may end
//!   there. A running head (the same paragraph opening three pages or
//!   more: 无锡市人力资源和社会保障局2026年度部门预算公开) is passed over:
//!   the paragraph goes on in the one after it, and the head stays a
//!   paragraph of its own.
//! - **a table row** goes on: either its cell borders run on below the
//!   last rule and above the first rule of the next page (Chromium leaves
//!   a broken row open), or — where the printer closes both halves with a
//!   rule (LibreOffice) — the first row on the new page holds only the
//!   rest of cells the row before had to wrap:
//!   - the row above ends within a line (1.2 times the font size) of the
//!     lowest point any table reaches on the document's pages of that
//!     height: a row the page end broke fills its page, one that ended
//!     there may leave a line's room (Chromium moves a row it will not
//!     break to the next page whole, and leaves the rows it breaks open);
//!   - the tables have the same columns;
//!   - it leaves empty the first cell the row before fills (what names a
//!     row: its label or code — a row of its own names itself);
//!   - each cell it fills is under a cell whose text reached the last line
//!     of the row before, with less room left on that line than the width
//!     of its first word plus a quarter em (the word did not fit: see
//!     [`crate::layout::wrap`]).
//!
//!   The halves are joined cell by cell: `472.3` and `9` make `472.39`,
//!   `2023年` and `度` make `2023年度`. Not joined: a row whose naming cell
//!   wrapped too (`部门：…运行管` | `理中心`, `时效指` | `标`) — a row of its
//!   own fills that cell as well, and nothing on the page tells the two
//!   apart; and a row with text between its halves (a cell's characters
//!   set outside the grid).

use super::{join, Line, Margins};
use crate::layout::wrap::{ends_sentence, next_word_did_not_fit, opens_with_list_number};
use crate::model::{Block, Table};
use std::collections::{BTreeMap, BTreeSet};

/// How far apart two column edges may be and still be one edge.
const SAME_EDGE: f32 = 2.0;
/// A line of text, in font sizes: less room than this below a row, and the
/// row filled its page.
const LINE: f32 = 1.2;
/// How many pages a paragraph opens to be a running head.
const RUNNING_HEAD_PAGES: usize = 3;

/// How low the tables of a document go, on pages of each height: a row
/// the page end broke fills its page to there.
#[derive(Debug, Clone, Default)]
pub(super) struct TableFloors {
    /// (page height, the lowest point a table reaches on pages of that height)
    floors: Vec<(f32, f32)>,
}

impl TableFloors {
    /// The floors of every page's placed blocks.
    pub fn of<'a>(edges: impl Iterator<Item = &'a Edges>) -> TableFloors {
        let mut floors = TableFloors::default();
        for edge in edges {
            if let Edges::Table(table) = edge {
                match floors.floor_mut(table.page_height) {
                    Some(floor) => *floor = floor.max(table.bottom),
                    None => floors.floors.push((table.page_height, table.bottom)),
                }
            }
        }
        floors
    }

    fn floor_mut(&mut self, page_height: f32) -> Option<&mut f32> {
        (self.floors.iter_mut())
            .find(|(height, _)| (height - page_height).abs() <= SAME_EDGE)
            .map(|(_, floor)| floor)
    }

    /// The lowest point a table reaches on pages `page_height` high.
    fn floor(&self, page_height: f32) -> f32 {
        (self.floors.iter())
            .find(|(height, _)| (height - page_height).abs() <= SAME_EDGE)
            .map_or(f32::MAX, |(_, floor)| *floor)
    }
}

/// How a block placed on a page meets the page's top and bottom.
#[derive(Debug, Clone)]
pub(super) enum Edges {
    Table(TableEdges),
    Paragraph(ParagraphEdges),
}

/// A table's first and last rows as a page end may have broken them.
#[derive(Debug, Clone, Default)]
pub(super) struct TableEdges {
    /// The cell borders run on above the first rule (the first row began on
    /// the page before).
    pub open_top: bool,
    /// The cell borders run on below the last rule (the last row goes on on
    /// the next page).
    pub open_bottom: bool,
    /// The column edges, left to right.
    pub columns: Vec<f32>,
    /// Where the table's last rule is, and the height of its page.
    pub bottom: f32,
    pub page_height: f32,
    /// Per cell of the last row: whether it holds text.
    pub last_filled: Vec<bool>,
    /// Per cell of the last row whose text reaches the row's last line: the
    /// room left on that line (where the cell's text could have gone on).
    pub last_room: Vec<Option<f32>>,
    /// Per cell of the first row: the width of its first word and its font
    /// size, when it holds text.
    pub first_word: Vec<Option<(f32, f32)>>,
}

/// A paragraph's first and last lines, and the margins of its page.
#[derive(Debug, Clone)]
pub(super) struct ParagraphEdges {
    pub first: Line,
    pub last: Line,
    pub margins: Margins,
}

/// Join the first block of a page (`next`, with its edges) to the last
/// block of the page before (`previous`, with its edges) where the page
/// end broke it. Returns whether `next` was used up (a paragraph joined
/// whole; a table is kept with the rows after its first).
pub(super) fn join_across(
    previous: &mut Block,
    previous_edges: &Edges,
    next: &mut Block,
    next_edges: &Edges,
    floors: &TableFloors,
) -> bool {
    match (previous, previous_edges, next, next_edges) {
        (Block::Table(above), Edges::Table(a), Block::Table(below), Edges::Table(b)) => {
            if (a.open_bottom && b.open_top) || row_goes_on(a, b, floors) {
                join_broken_row(above, below);
            }
            false
        }
        (
            Block::Paragraph(above),
            Edges::Paragraph(a),
            Block::Paragraph(below),
            Edges::Paragraph(b),
        ) => {
            let goes_on = paragraph_goes_on(&above.text, a, b);
            if goes_on {
                join(&mut above.text, &below.text);
            }
            goes_on
        }
        _ => false,
    }
}

/// The texts of the paragraphs that open `RUNNING_HEAD_PAGES` pages or
/// more (given each page's first block).
pub(super) fn running_heads<'a>(
    first_blocks: impl Iterator<Item = Option<&'a Block>>,
) -> BTreeSet<String> {
    let mut pages: BTreeMap<&str, usize> = BTreeMap::new();
    for block in first_blocks {
        if let Some(Block::Paragraph(paragraph)) = block {
            *pages.entry(paragraph.text.as_str()).or_default() += 1;
        }
    }
    (pages.into_iter())
        .filter(|&(_, count)| count >= RUNNING_HEAD_PAGES)
        .map(|(text, _)| text.to_string())
        .collect()
}

/// Whether a block is one of the running `heads`.
pub(super) fn is_running_head(block: &Block, heads: &BTreeSet<String>) -> bool {
    matches!(block, Block::Paragraph(p) if heads.contains(&p.text))
}

/// Whether the paragraph ending a page (its text `text`, edges `above`)
/// goes on in the paragraph opening the next (`below`).
fn paragraph_goes_on(text: &str, above: &ParagraphEdges, below: &ParagraphEdges) -> bool {
    let (last, next, margins) = (&above.last, &below.first, &above.margins);
    let full = last.x1 - last.x0 >= (margins.right - margins.left) * 0.6;
    let shortfall = margins.right - last.x1;
    let at_margin = shortfall <= next.size * 2.0
        || next_word_did_not_fit(shortfall, next.first_word, next.size);
    let same_size = (last.size - next.size).abs() <= last.size.max(next.size) * 0.15;
    full && at_margin
        && same_size
        && !ends_sentence(text)
        && !below.margins.indents(next)
        && !opens_with_list_number(&next.text)
}

/// Whether the first row of the table below (a page's first block) is the
/// rest of the last row of the table above (the page before's last), both
/// halves closed by a rule, the document's tables reaching `floors`.
fn row_goes_on(above: &TableEdges, below: &TableEdges, floors: &TableFloors) -> bool {
    let size = (below.first_word.iter().flatten())
        .map(|(_, size)| *size)
        .fold(0.0, f32::max);
    let fills_its_page = floors.floor(above.page_height) - above.bottom <= size * LINE;
    fills_its_page && holds_the_rest(above, below)
}

/// Whether the first row below holds only the rest of cells the last row
/// above had to wrap.
fn holds_the_rest(above: &TableEdges, below: &TableEdges) -> bool {
    let same_columns = above.columns.len() == below.columns.len()
        && (above.columns.iter().zip(&below.columns)).all(|(a, b)| (a - b).abs() <= SAME_EDGE);
    let Some(name) = above.last_filled.iter().position(|&filled| filled) else {
        return false;
    };
    let wrapped_on = below
        .first_word
        .iter()
        .zip(&above.last_room)
        .all(|cell| match cell {
            (None, _) => true,
            (Some((width, size)), Some(room)) => next_word_did_not_fit(*room, *width, *size),
            (Some(_), None) => false,
        });
    same_columns
        && below.first_word.get(name).is_some_and(Option::is_none)
        && below.first_word.iter().any(Option::is_some)
        && wrapped_on
}

/// The halves of a row broken by a page end become one row again: the first
/// row of the table on the new page is appended, cell by cell, to the last
/// row of the table on the previous page.
fn join_broken_row(previous: &mut Table, next: &mut Table) {
    let (Some(last), false) = (previous.rows.last_mut(), next.rows.is_empty()) else {
        return;
    };
    let first = next.rows.remove(0);
    if last.cells.len() != first.cells.len() {
        next.rows.insert(0, first);
        return;
    }
    for (cell, more) in last.cells.iter_mut().zip(first.cells) {
        join(cell, &more);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 总计 row of 财政拨款收支总表 that LibreOffice broke across pages
    /// (landscape A4): 472.39 wrapped in its narrow cell as 472.3 | 9, the
    /// 9 on the next page; and a genuine next row, which names itself.
    fn total_row_above() -> TableEdges {
        TableEdges {
            columns: vec![42.5, 350.0, 385.0, 440.0, 530.0, 558.0, 592.0, 630.0],
            last_filled: vec![true, true, true, true, true, true, true],
            last_room: vec![
                Some(250.0),
                Some(20.0),
                Some(9.0),
                Some(60.0),
                Some(6.0),
                Some(0.9),
                Some(0.5),
            ],
            ..TableEdges::default()
        }
    }

    fn first_row(words: Vec<Option<(f32, f32)>>) -> TableEdges {
        TableEdges {
            columns: total_row_above().columns,
            first_word: words,
            ..TableEdges::default()
        }
    }

    #[test]
    fn the_rest_of_a_wrapped_figure_goes_on_the_row_above() {
        let rest = first_row(vec![None, None, None, None, None, Some((5.4, 9.0)), None]);
        assert!(holds_the_rest(&total_row_above(), &rest));
    }

    #[test]
    fn a_row_that_names_itself_or_fills_a_cell_with_room_is_a_row_of_its_own() {
        let named = first_row(vec![
            Some((18.0, 9.0)),
            None,
            None,
            None,
            None,
            Some((5.4, 9.0)),
            None,
        ]);
        assert!(!holds_the_rest(&total_row_above(), &named));
        // under 行次 32, which left 20 pt: a two-digit 33 would have fitted
        let numbered = first_row(vec![None, Some((10.8, 9.0)), None, None, None, None, None]);
        assert!(!holds_the_rest(&total_row_above(), &numbered));
    }

    #[test]
    fn a_closed_row_goes_on_only_where_it_fills_its_page() {
        let mut above = total_row_above();
        (above.bottom, above.page_height) = (793.4, 841.9);
        let rest = first_row(vec![None, None, None, None, None, Some((5.4, 9.0)), None]);
        let floors = TableFloors {
            floors: vec![(841.9, 797.2), (595.3, 552.0)],
        };
        assert!(row_goes_on(&above, &rest, &floors));
        // room for another line below it: the row ended there
        above.bottom = 783.0;
        assert!(!row_goes_on(&above, &rest, &floors));
        // on a landscape page the tables reach less far down
        (above.bottom, above.page_height) = (550.0, 595.3);
        assert!(row_goes_on(&above, &rest, &floors));
    }

    #[test]
    fn a_table_with_other_columns_does_not_go_on() {
        let mut rest = first_row(vec![None, None, None, None, None, Some((5.4, 9.0)), None]);
        rest.columns[3] += 30.0;
        assert!(!holds_the_rest(&total_row_above(), &rest));
    }
}

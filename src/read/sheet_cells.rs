//! A sheet's cells, read one by one, and the grid they make — at a cost
//! that follows the cells a sheet holds, never its declared dimension.
//!
//! An XLSX sheet is read cell by cell from its XML (calamine's cell reader),
//! keeping only cells with a value and their number format; nothing is
//! allocated for the rectangle they span until its size is known, and a
//! cell's text is counted before it is copied. (An XLS sheet is read by
//! calamine whole, once [`super::xls_guard`] has laid it out the same way.)
//! Then:
//! - more cells than the `table-cells` limit: the sheet is refused;
//! - a rectangle (from the first to the last cell, rows × columns) within
//!   the limit: the grid is that rectangle, as the sheet shows it;
//! - a larger rectangle of few cells (A1 and XFD1048576: two cells, a
//!   rectangle of 17 billion): the grid closes up the blank rows and
//!   columns between them — a run of blank rows becomes one blank row (which
//!   still separates two tables), a column with no cell is left out — with a
//!   warning naming the sheet; when even that grid is over the limit (cells
//!   on a long diagonal) the sheet is refused.
//!
//! The limit bounds the grids of all a workbook's sheets together too: a
//! sheet whose grid would take them past it is refused as well.
//!
//! A refused sheet is an error on the document (`partial`: the workbook's
//! other sheets are read), with the limit named.

use crate::model::Issue;
use calamine::{Data, DataRef};
use std::collections::BTreeSet;

/// One cell with a value: its position (row, column), value and number
/// format code.
pub(super) struct SheetCell {
    pub position: (u32, u32),
    pub value: Data,
    pub format: Option<String>,
}

/// The cells with a value of one sheet and the characters of their text.
pub(super) struct ReadCells {
    pub cells: Vec<SheetCell>,
    pub chars: usize,
}

/// The cells of one XLSX sheet, stopping at `max_cells` + 1 cells or past
/// `max_chars` characters. A cell's text is counted before it is copied:
/// 20,000 cells naming one shared string of 32,000 characters are 640
/// million characters, counted up to the limit, never copied.
pub(super) fn xlsx_cells<RS: std::io::Read + std::io::Seek>(
    workbook: &mut calamine::Xlsx<RS>,
    name: &str,
    max_cells: usize,
    max_chars: usize,
) -> Result<ReadCells, String> {
    let mut read = ReadCells {
        cells: Vec::new(),
        chars: 0,
    };
    let mut reader = match workbook.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(read),
        Err(e) => return Err(e.to_string()),
    };
    while let Some((cell, style)) = reader
        .next_cell_with_style_id()
        .map_err(|e| e.to_string())?
    {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        read.chars = read.chars.saturating_add(text_chars(cell.get_value()));
        if read.chars > max_chars {
            break;
        }
        let format = reader
            .styles()
            .get(style)
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone());
        read.cells.push(SheetCell {
            position: cell.get_position(),
            value: cell.get_value().clone().into(),
            format,
        });
        if read.cells.len() > max_cells {
            break;
        }
    }
    Ok(read)
}

/// The characters of a cell's text (none for a number).
fn text_chars(value: &DataRef<'_>) -> usize {
    match value {
        DataRef::SharedString(text) => text.chars().count(),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            text.chars().count()
        }
        _ => 0,
    }
}

/// The cells of a sheet calamine has already read whole (XLS), without
/// number formats (calamine reads none from an XLS file).
pub(super) fn range_cells(range: &calamine::Range<Data>) -> ReadCells {
    let cells: Vec<SheetCell> = range
        .used_cells()
        .map(|(r, c, value)| SheetCell {
            position: (
                range.start().map_or(0, |s| s.0) + r as u32,
                range.start().map_or(0, |s| s.1) + c as u32,
            ),
            value: value.clone(),
            format: None,
        })
        .collect();
    let chars = cells
        .iter()
        .map(|c| match &c.value {
            Data::String(text) => text.chars().count(),
            _ => 0,
        })
        .sum();
    ReadCells { cells, chars }
}

/// Where each cell goes on the grid: `(rows, columns, place)`, or why the
/// sheet cannot be laid out within `max_cells`.
#[derive(Debug)]
pub(super) struct Placement {
    pub rows: usize,
    pub columns: usize,
    /// Grid row and column of a sheet position.
    row_of: Vec<(u32, usize)>,
    column_of: Vec<(u32, usize)>,
    /// The blank rows and columns were closed up (the rectangle was over
    /// the limit).
    pub closed_up: bool,
    /// Cells of the rectangle from the first cell to the last.
    pub rectangle: usize,
}

impl Placement {
    pub fn place(&self, (row, column): (u32, u32)) -> (usize, usize) {
        (lookup(&self.row_of, row), lookup(&self.column_of, column))
    }
}

fn lookup(map: &[(u32, usize)], at: u32) -> usize {
    let i = map.partition_point(|(p, _)| *p < at);
    map.get(i).map_or(0, |(_, g)| *g)
}

/// Lay cells at `positions` out within `max_cells` (see the module doc).
pub(super) fn place(positions: &[(u32, u32)], max_cells: usize) -> Result<Placement, String> {
    if positions.len() > max_cells {
        return Err(format!(
            "more than {max_cells} cells: not read (limit table-cells)"
        ));
    }
    let rows: BTreeSet<u32> = positions.iter().map(|p| p.0).collect();
    let columns: BTreeSet<u32> = positions.iter().map(|p| p.1).collect();
    let (Some(&top), Some(&bottom)) = (rows.first(), rows.last()) else {
        return Ok(Placement {
            rows: 0,
            columns: 0,
            row_of: Vec::new(),
            column_of: Vec::new(),
            closed_up: false,
            rectangle: 0,
        });
    };
    let (left, right) = (
        columns.first().copied().unwrap_or(0),
        columns.last().copied().unwrap_or(0),
    );
    let span = |a: u32, b: u32| (b - a) as usize + 1;
    let rectangle = span(top, bottom).saturating_mul(span(left, right));
    if rectangle <= max_cells {
        return Ok(Placement {
            rows: span(top, bottom),
            columns: span(left, right),
            row_of: rows.iter().map(|&r| (r, (r - top) as usize)).collect(),
            column_of: columns.iter().map(|&c| (c, (c - left) as usize)).collect(),
            closed_up: false,
            rectangle,
        });
    }
    // close up: one blank row for each run of blank rows, no empty column
    let mut row_of = Vec::with_capacity(rows.len());
    let mut next: usize = 0;
    let mut previous: Option<u32> = None;
    for &row in &rows {
        if previous.is_some_and(|p| row > p + 1) {
            next += 1;
        }
        row_of.push((row, next));
        next += 1;
        previous = Some(row);
    }
    let column_of: Vec<(u32, usize)> = columns.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    if next.saturating_mul(column_of.len()) > max_cells {
        return Err(format!(
            "{} cells spread over {} rows and {} columns: more than {max_cells} cells even with the blank rows and columns closed up; not read (limit table-cells)",
            positions.len(),
            rows.len(),
            columns.len()
        ));
    }
    Ok(Placement {
        rows: next,
        columns: column_of.len(),
        row_of,
        column_of,
        closed_up: true,
        rectangle,
    })
}

/// Why a sheet whose grid would take the workbook past the limit is not
/// read: the limit bounds all the sheets of a workbook together too.
pub(super) fn over_the_workbook(grid: usize, max_cells: usize) -> String {
    format!(
        "its grid of {grid} cells would take the workbook's sheets together past {max_cells} cells: not read (limit table-cells)"
    )
}

/// The warning on a sheet read with its blank rows and columns closed up.
pub(super) fn closed_up(name: &str, cells: usize, rectangle: usize, max_cells: usize) -> Issue {
    Issue::warning(
        "decode",
        format!(
            "sheet {name:?}: its {cells} cells span {rectangle} rows × columns, more than {max_cells} (limit table-cells): read with the blank rows and columns between them closed up"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: u32, column: u32) -> (u32, u32) {
        (row, column)
    }

    #[test]
    fn a_small_rectangle_is_kept_as_it_is() {
        let cells = [cell(2, 1), cell(4, 3)];
        let placement = place(&cells, 100).unwrap();
        assert_eq!((placement.rows, placement.columns), (3, 3));
        assert!(!placement.closed_up);
        assert_eq!(placement.place((4, 3)), (2, 2));
    }

    #[test]
    fn two_far_cells_are_closed_up_and_too_many_refused() {
        let cells = [cell(0, 0), cell(0, 1), cell(1_048_575, 16_383)];
        let placement = place(&cells, 1000).unwrap();
        assert!(placement.closed_up);
        // row 0, one blank row, the last row; three columns
        assert_eq!((placement.rows, placement.columns), (3, 3));
        assert_eq!(placement.place((1_048_575, 16_383)), (2, 2));
        let diagonal: Vec<(u32, u32)> = (0..100).map(|i| cell(i * 2, i)).collect();
        assert!(place(&diagonal, 1000).unwrap_err().contains("closed up"));
        assert!(place(&diagonal, 50)
            .unwrap_err()
            .contains("more than 50 cells"));
    }
}

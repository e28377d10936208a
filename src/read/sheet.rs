//! The spreadsheet reader (XLSX, XLS): every sheet → paragraphs and tables.
//!
//! - Cells are shown as the sheet shows them: a number is printed with the
//!   decimals of its cell's number format (`#,##0.00`: 328.2 → `328.20`,
//!   with thousands separators where the format has them; `0.0%`: 0.953 →
//!   `95.3%`); with the `General` format, or where the format is unknown
//!   (XLS: calamine reads no styles from it), in its shortest exact form,
//!   padded to the decimals of the other numbers of its column.
//!   Text is kept as it is (trimmed); errors (`#DIV/0!`) as text; dates as
//!   their serial number (no disclosure table holds dates).
//! - A merged range keeps its text in its top-left cell and leaves the rest
//!   empty, as the document model wants.
//! - A sheet is split into blocks on its blank rows (a sheet may hold
//!   several tables). Within a block, the leading rows with a single
//!   non-empty cell (title, 单位：万元 …) are paragraphs, the rest a table.
//! - A sheet whose first block has no such row — no title row — is
//!   preceded by a paragraph holding the sheet's name, so a sheet called
//!   `收入决算表` or `公开02表` is found by its name.
//!
//! Nothing is taken from what a workbook claims before it is checked
//! against what it holds, within the [`Limits`]:
//! - XLSX packages are inflated once within the container limits before
//!   calamine reads them (a zip bomb is refused with a reason); a shared
//!   string count beyond the strings held is refused, and a sheet part
//!   named by several sheet entries is read once (`sheet_parts`);
//! - XLS files are walked record by record and patched in a copy where a
//!   sheet claims more than it holds (`xls_guard`), since calamine reads
//!   all their sheets as it opens them;
//! - a sheet's grid is laid out from the cells it holds (`sheet_cells`),
//!   all the sheets' grids together held to the `table-cells` limit, and
//!   the text of all the cells, a shared string counted once for every
//!   cell naming it, to the `chars` limit before it is copied;
//! - merged ranges are applied in one sweep (`sheet_merged`).

use super::sheet_cells::{self, ReadCells, SheetCell};
use super::sheet_merged::{self, Merged};
use super::{sheet_parts, xls_guard};
use crate::decode::container;
use crate::decode::{DecodeError, Format};
use crate::limits::Limits;
use crate::model::{Block, Document, Issue, Paragraph, Row, Table};
use calamine::{Data, Reader, Sheets};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Cursor;

/// Read a workbook into the document model, within `limits`: a sheet over
/// the `table-cells` limit, or whose grid would take all the sheets
/// together past it, is left out with an error (see [`sheet_cells`]); text
/// over the `chars` limit refuses the workbook, counted before it is
/// copied; a sheet's cells are read once however many entries name them.
pub fn read(bytes: &[u8], format: Format, limits: &Limits) -> Result<Document, DecodeError> {
    let Prepared {
        bytes,
        parts,
        mut issues,
    } = prepare(bytes, format, limits)?;
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(&bytes[..])).map_err(|e| {
            DecodeError::Package {
                message: format!("unreadable workbook: {e}"),
            }
        })?;
    let mut blocks = Vec::new();
    let mut left = Left {
        cells: limits.table_cells,
        chars: limits.chars,
    };
    // the source of each sheet read (its part, or its name), its name and
    // the names of the entries naming it again
    let mut read: Vec<(String, String, Vec<String>)> = Vec::new();
    for name in workbook.sheet_names() {
        crate::budget::check();
        let source = parts
            .get(&name)
            .cloned()
            .unwrap_or_else(|| format!("\0{name}"));
        if let Some((_, _, again)) = read.iter_mut().find(|(s, _, _)| *s == source) {
            again.push(name);
            continue;
        }
        read.push((source, name.clone(), Vec::new()));
        blocks.extend(read_sheet(
            &mut workbook,
            &name,
            limits,
            &mut left,
            &mut issues,
        )?);
    }
    for (source, first, again) in read.iter().filter(|(_, _, again)| !again.is_empty()) {
        let what = match source.strip_prefix('\0') {
            Some(_) => "its name".to_string(),
            None => format!("its part {source}"),
        };
        issues.push(sheet_parts::read_once(first, again, &what));
    }
    Ok(Document {
        pages: None,
        blocks,
        page_issues: issues,
        clipped: Vec::new(),
        ocr_pages: Vec::new(),
        ocr_readings: Vec::new(),
    })
}

/// The workbook as calamine may read it, checked (and for XLS patched)
/// before calamine allocates anything.
struct Prepared<'a> {
    bytes: Cow<'a, [u8]>,
    /// The part each XLSX sheet name stands for.
    parts: HashMap<String, String>,
    /// What the checks found.
    issues: Vec<Issue>,
}

fn prepare<'a>(
    bytes: &'a [u8],
    format: Format,
    limits: &Limits,
) -> Result<Prepared<'a>, DecodeError> {
    if format == Format::Xlsx {
        container::check_zip(bytes, &limits.container())?;
        sheet_parts::check_shared_strings(bytes, limits)?;
        return Ok(Prepared {
            bytes: Cow::Borrowed(bytes),
            parts: sheet_parts::sheet_parts(bytes, limits)?,
            issues: Vec::new(),
        });
    }
    let guarded = xls_guard::guard(bytes, limits)?;
    Ok(Prepared {
        bytes: guarded.bytes,
        parts: HashMap::new(),
        issues: guarded.issues,
    })
}

/// What the workbook's sheets still may hold, all together.
struct Left {
    /// Cells of their grids (`table-cells`).
    cells: usize,
    /// Characters of their text (`chars`).
    chars: usize,
}

/// One sheet's blocks, within the limits and what is `left` to the
/// workbook; none, with an error in `issues`, when it is over.
fn read_sheet(
    workbook: &mut Sheets<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
    left: &mut Left,
    issues: &mut Vec<Issue>,
) -> Result<Vec<Block>, DecodeError> {
    let max_cells = limits.table_cells.min(left.cells);
    let read = sheet_cells(workbook, name, max_cells, left.chars)?;
    if read.chars > left.chars {
        return Err(DecodeError::OverLimit {
            message: format!(
                "the workbook's text has more than {} characters by sheet {name:?} (a cell naming a shared string counted with the string), over the limit (--limit chars=…)",
                limits.chars
            ),
        });
    }
    left.chars -= read.chars;
    let positions: Vec<(u32, u32)> = read.cells.iter().map(|c| c.position).collect();
    let refused = |issues: &mut Vec<Issue>, why: String| {
        issues.push(Issue::error("decode", format!("sheet {name:?}: {why}")));
        Ok(Vec::new())
    };
    let placement = match sheet_cells::place(&positions, limits.table_cells) {
        Ok(placement) => placement,
        Err(why) => return refused(issues, why),
    };
    let grid_cells = placement.rows * placement.columns;
    if grid_cells > left.cells {
        return refused(
            issues,
            sheet_cells::over_the_workbook(grid_cells, limits.table_cells),
        );
    }
    left.cells -= grid_cells;
    if placement.closed_up {
        let rectangle = placement.rectangle;
        issues.push(sheet_cells::closed_up(
            name,
            positions.len(),
            rectangle,
            limits.table_cells,
        ));
    }
    let merged = merged_ranges(workbook, name);
    let grid = sheet_grid(read.cells, &placement, &merged);
    Ok(sheet_blocks(name, grid))
}

/// The cells with a value of one sheet and the characters of their text:
/// an XLSX sheet read cell by cell, an XLS sheet from the range calamine
/// has read.
fn sheet_cells(
    workbook: &mut Sheets<Cursor<&[u8]>>,
    name: &str,
    max_cells: usize,
    max_chars: usize,
) -> Result<ReadCells, DecodeError> {
    let unreadable = |e: String| DecodeError::Package {
        message: format!("sheet {name:?}: {e}"),
    };
    match workbook {
        Sheets::Xlsx(xlsx) => {
            sheet_cells::xlsx_cells(xlsx, name, max_cells, max_chars).map_err(unreadable)
        }
        other => {
            let range = other
                .worksheet_range(name)
                .map_err(|e| unreadable(e.to_string()))?;
            Ok(sheet_cells::range_cells(&range))
        }
    }
}

/// The merged ranges of a sheet.
fn merged_ranges(workbook: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Vec<Merged> {
    let dimensions: Vec<calamine::Dimensions> = match workbook {
        // merged ranges are optional: a sheet without is fine
        Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => Vec::new(),
    };
    dimensions.into_iter().map(|d| (d.start, d.end)).collect()
}

/// The sheet's cells as shown, on the grid `placement` lays out.
fn sheet_grid(
    cells: Vec<SheetCell>,
    placement: &sheet_cells::Placement,
    merged: &[Merged],
) -> Vec<Vec<String>> {
    let mut grid = vec![vec![(String::new(), false); placement.columns]; placement.rows];
    let positions: Vec<(u32, u32)> = cells.iter().map(|c| c.position).collect();
    let covered = sheet_merged::covered(&positions, merged);
    for (cell, covered) in cells.into_iter().zip(covered) {
        if covered {
            continue;
        }
        let format = cell.format.as_deref();
        let unformatted = matches!(cell.value, Data::Float(_) | Data::Int(_))
            && format.and_then(parse_format).is_none();
        let (row, column) = placement.place(cell.position);
        grid[row][column] = (shown(&cell.value, format), unformatted);
    }
    common_decimals(&mut grid);
    grid.into_iter()
        .map(|row| row.into_iter().map(|(text, _)| text).collect())
        .collect()
}

/// Numbers without a number format (every number of an XLS file: calamine
/// reads no styles from it) are shown with the most decimals the sheet's
/// numbers have, in every column holding a number with decimals: a column of
/// 472.39, 328.2 and 16 is printed 472.39, 328.20, 16.00, as the sheet
/// shows it (money in disclosure tables is printed with fixed decimals); a
/// column of whole numbers (行次 1, 2, 3) is left as it is.
fn common_decimals(grid: &mut [Vec<(String, bool)>]) {
    let (sheet, columns) = unformatted_decimals(grid);
    for (column, &decimals) in columns.iter().enumerate() {
        let widest = decimals.max(sheet);
        if decimals == 0 || widest > 4 {
            continue;
        }
        for row in grid.iter_mut() {
            if let Some((text, true)) = row.get_mut(column) {
                let have = decimals_of(text);
                if have < widest {
                    if have == 0 {
                        text.push('.');
                    }
                    text.extend(std::iter::repeat_n('0', widest - have));
                }
            }
        }
    }
}

/// The most decimals of the numbers without a format: in the sheet, and in
/// each column — one pass over the grid (a pass a column was quadratic in
/// a sheet's width).
fn unformatted_decimals(grid: &[Vec<(String, bool)>]) -> (usize, Vec<usize>) {
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    let mut columns = vec![0; width];
    for row in grid {
        for (column, (text, unformatted)) in row.iter().enumerate() {
            if *unformatted {
                columns[column] = columns[column].max(decimals_of(text));
            }
        }
    }
    (columns.iter().copied().max().unwrap_or(0), columns)
}

fn decimals_of(text: &str) -> usize {
    text.split_once('.').map_or(0, |(_, d)| d.len())
}

/// A cell's value as its number format shows it.
pub fn shown(value: &Data, format: Option<&str>) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => format_number(*i as f64, format, Some(i.to_string())),
        Data::Float(f) => format_number(*f, format, None),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => shortest(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// Decimals, percent and grouping of a number format's first section.
struct NumberFormat {
    decimals: usize,
    percent: bool,
    grouping: bool,
}

fn parse_format(code: &str) -> Option<NumberFormat> {
    let first = code.split(';').next().unwrap_or(code);
    // drop quoted text, escaped characters and [colour]/[condition] parts
    let mut plain = String::new();
    let mut chars = first.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            other => plain.push(other),
        }
    }
    if plain.eq_ignore_ascii_case("general") || !plain.contains(['0', '#', '?']) {
        return None;
    }
    let decimals = plain.split_once('.').map_or(0, |(_, after)| {
        after
            .chars()
            .take_while(|c| matches!(c, '0' | '#' | '?'))
            .count()
    });
    Some(NumberFormat {
        decimals,
        percent: plain.contains('%'),
        grouping: plain.contains(','),
    })
}

fn format_number(value: f64, format: Option<&str>, exact: Option<String>) -> String {
    let Some(format) = format.and_then(parse_format) else {
        // shortest form that reads back as the same number
        return exact.unwrap_or_else(|| shortest(value));
    };
    let scaled = if format.percent { value * 100.0 } else { value };
    let mut text = format!("{scaled:.*}", format.decimals);
    if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text.remove(0); // -0.00
    }
    if format.grouping {
        text = group_thousands(&text);
    }
    if format.percent {
        text.push('%');
    }
    text
}

/// The `General` format: at most 15 significant digits, no trailing zeros
/// (0.1 + 0.2 shows as 0.3, as in the spreadsheet).
fn shortest(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return if value.is_finite() {
            "0".into()
        } else {
            value.to_string()
        };
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (14 - magnitude).clamp(0, 20) as usize;
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" {
        "0".into()
    } else {
        text
    }
}

fn group_thousands(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("-", r));
    let (whole, fraction) = rest
        .split_once('.')
        .map_or((rest, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Blocks of one sheet: split on blank rows; leading single-cell rows are
/// paragraphs; the sheet's name is a paragraph when there is no title row.
fn sheet_blocks(name: &str, grid: Vec<Vec<String>>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut first_block = true;
    let mut rows = grid.into_iter().peekable();
    while rows.peek().is_some() {
        let block: Vec<Vec<String>> = rows
            .by_ref()
            .skip_while(|r| r.iter().all(|c| c.is_empty()))
            .take_while(|r| r.iter().any(|c| !c.is_empty()))
            .collect();
        if block.is_empty() {
            continue;
        }
        let leading = block
            .iter()
            .take_while(|r| r.iter().filter(|c| !c.is_empty()).count() == 1)
            .count();
        if first_block && leading == 0 && !name.trim().is_empty() {
            blocks.push(paragraph(name.trim()));
        }
        first_block = false;
        for row in &block[..leading] {
            if let Some(text) = row.iter().find(|c| !c.is_empty()) {
                blocks.push(paragraph(text));
            }
        }
        let table: Vec<Row> = block[leading..]
            .iter()
            .map(|r| Row::new(trim_trailing(r), None))
            .collect();
        if !table.is_empty() {
            blocks.push(Block::Table(Table { rows: table }));
        }
    }
    blocks
}

fn trim_trailing(row: &[String]) -> Vec<String> {
    let end = row.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
    row[..end].to_vec()
}

fn paragraph(text: &str) -> Block {
    Block::Paragraph(Paragraph {
        text: text.to_string(),
        page: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_shown_as_their_format_shows_them() {
        assert_eq!(format_number(328.2, Some("#,##0.00"), None), "328.20");
        assert_eq!(
            format_number(1234567.5, Some("#,##0.00"), None),
            "1,234,567.50"
        );
        assert_eq!(format_number(-1234.0, Some("#,##0"), None), "-1,234");
        assert_eq!(format_number(0.953, Some("0.0%"), None), "95.3%");
        assert_eq!(format_number(-0.001, Some("0.00"), None), "0.00");
        assert_eq!(format_number(2.5, Some(r#"0.00"万元""#), None), "2.50");
        assert_eq!(format_number(12.0, Some("General"), None), "12");
        assert_eq!(format_number(0.1 + 0.2, None, None), "0.3");
        assert_eq!(format_number(1e6, None, None), "1000000");
        assert_eq!(format_number(472.39, None, None), "472.39");
        assert_eq!(format_number(7.0, Some("[Red]0.0;-0.0"), None), "7.0");
    }

    #[test]
    fn unformatted_numbers_take_their_columns_decimals() {
        let cell = |t: &str, n: bool| (t.to_string(), n);
        let mut grid = vec![
            vec![cell("合计", false), cell("472.39", true), cell("3", true)],
            vec![
                cell("工资福利支出", false),
                cell("328.2", true),
                cell("4", true),
            ],
            vec![cell("其他", false), cell("16", true), cell("2.5", false)],
        ];
        common_decimals(&mut grid);
        let shown: Vec<Vec<&str>> = grid
            .iter()
            .map(|r| r.iter().map(|(t, _)| t.as_str()).collect())
            .collect();
        assert_eq!(
            shown,
            vec![
                vec!["合计", "472.39", "3"],
                vec!["工资福利支出", "328.20", "4"],
                vec!["其他", "16.00", "2.5"],
            ]
        );
    }

    /// 200,000 columns: a pass over the grid for each column was 4·10¹⁰ steps.
    #[test]
    fn a_wide_sheet_takes_no_time() {
        let mut grid = vec![
            vec![("1.5".to_string(), true); 200_000],
            vec![("2".to_string(), true); 200_000],
        ];
        let started = std::time::Instant::now();
        common_decimals(&mut grid);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        assert_eq!(grid[1][199_999].0, "2.0");
    }

    #[test]
    fn a_sheet_without_a_title_row_is_named_by_its_sheet() {
        let grid = vec![
            vec!["项目".to_string(), "金额".to_string()],
            vec!["合计".to_string(), "1.00".to_string()],
            vec![String::new(), String::new()],
            vec!["表二".to_string(), String::new()],
            vec!["合计".to_string(), "2.00".to_string()],
        ];
        let blocks = sheet_blocks("收入决算表", grid);
        let kinds: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => format!("p:{}", p.text),
                Block::Table(t) => format!("t:{}", t.rows.len()),
            })
            .collect();
        assert_eq!(kinds, ["p:收入决算表", "t:2", "p:表二", "t:1"]);
    }
}

//! XLS workbooks checked before calamine reads them, and patched in a copy
//! where they claim more than they hold.
//!
//! calamine reads every sheet of an XLS file as it opens it, and allocates
//! from what the file says: room for every cell a sheet's DIMENSIONS record
//! claims (4 billion rows × 256 columns: 43 TB), a grid over the rectangle
//! its cells span (one cell at row 65,535, column 65,535: 4 billion cells),
//! a copy of a shared string for every cell naming it, a sheet again for
//! every entry naming it. So the Workbook stream ([`ole`]) is walked first,
//! record by record as calamine walks it ([`xls_records`]), each sheet is
//! measured by the cells it holds, and a copy of the file is patched in
//! place (records keep their lengths) before calamine sees it:
//!
//! - a DIMENSIONS record claiming more than the `table-cells` limit is
//!   rewritten to the rows and columns the sheet's cells span (a warning);
//! - a sheet whose cells span a rectangle over the limit is closed up as
//!   an XLSX sheet is ([`sheet_cells`]): its cells are renumbered onto the
//!   grid without the blank rows and columns between them, its merged
//!   ranges dropped (a warning);
//! - a sheet over the limit even so, or whose grid would take all the
//!   workbook's sheets together past the limit, has its cells blanked: it
//!   is read empty, with an error naming the limit (`partial`);
//! - a sheet entry (BOUNDSHEET) naming the cells of a sheet already named is
//!   blanked: the cells are read once (a warning);
//! - sheets whose records overlap in the stream are refused (`failed`);
//! - text over the `chars` limit — each cell naming a shared string counted
//!   with the characters it expands to — refuses the file (`failed`).
//!
//! A workbook that needs none of this is handed to calamine as it is.

use super::sheet_cells::{self, Placement};
use super::sheet_parts;
use super::xls_records::{self as records, Record, SheetWalk};
use crate::decode::{ole, DecodeError};
use crate::limits::Limits;
use crate::model::Issue;
use std::borrow::Cow;
use std::ops::Range;

/// The file to hand calamine — the original, or a patched copy — and what
/// was done to it.
pub(super) struct Guarded<'a> {
    pub bytes: Cow<'a, [u8]>,
    pub issues: Vec<Issue>,
}

/// Check and patch an XLS file within `limits` (see the module doc).
pub(super) fn guard<'a>(file: &'a [u8], limits: &Limits) -> Result<Guarded<'a>, DecodeError> {
    let stream = ole::stream(file, &["Workbook", "Book"]).map_err(damaged)?;
    let globals = globals(&stream.bytes);
    refuse_misplaced(&stream.bytes, &globals.sheets)?;
    let mut patcher = Patcher {
        file,
        stream,
        copy: None,
    };
    let mut issues = Vec::new();
    let mut cells_left = limits.table_cells;
    let mut chars = 0usize;
    for (first, again) in entries_by_sheet(&globals.sheets) {
        for entry in &again {
            patcher.retype(entry.record, records::BLANK);
        }
        if !again.is_empty() {
            let names: Vec<String> = again.iter().map(|e| e.name.clone()).collect();
            issues.push(sheet_parts::read_once(&first.name, &names, "its cells"));
        }
        let sheet = Sheet {
            entry: first,
            strings: &globals.strings,
        };
        let sheet_chars = guard_sheet(&mut patcher, &sheet, limits, &mut cells_left, &mut issues);
        chars = chars.saturating_add(sheet_chars);
    }
    if chars > limits.chars {
        return Err(DecodeError::OverLimit {
            message: format!(
                "the workbook's cells hold {chars} characters of text (a cell naming a shared string counted with the string), over the limit of {} (--limit chars=…)",
                limits.chars
            ),
        });
    }
    Ok(Guarded {
        bytes: patcher.copy.map_or(Cow::Borrowed(file), Cow::Owned),
        issues,
    })
}

fn damaged(why: impl std::fmt::Display) -> DecodeError {
    DecodeError::Package {
        message: format!("damaged Office 97–2003 workbook: {why}"),
    }
}

/// The sheet entries grouped by the substream they name, in the order of
/// the first entry naming each: that entry, and the others.
fn entries_by_sheet(entries: &[SheetEntry]) -> Vec<(&SheetEntry, Vec<&SheetEntry>)> {
    let mut groups: Vec<(&SheetEntry, Vec<&SheetEntry>)> = Vec::new();
    for entry in entries {
        match groups.iter_mut().find(|(first, _)| first.at == entry.at) {
            Some((_, again)) => again.push(entry),
            None => groups.push((entry, Vec::new())),
        }
    }
    groups
}

/// A sheet to guard: its entry, and the characters of each shared string.
struct Sheet<'a> {
    entry: &'a SheetEntry,
    strings: &'a [usize],
}

/// Measure one sheet, decide what it may hold, patch it so; the characters
/// of the text it keeps.
fn guard_sheet(
    patcher: &mut Patcher<'_>,
    sheet: &Sheet<'_>,
    limits: &Limits,
    cells_left: &mut usize,
    issues: &mut Vec<Issue>,
) -> usize {
    let max_cells = limits.table_cells;
    let scan = scan_sheet(&patcher.stream.bytes, sheet, max_cells);
    let action = decide(&scan, &sheet.entry.name, max_cells, cells_left, issues);
    let extent = extent(&scan, &action);
    issues.extend(rewrite_sheet(patcher, sheet, &action, &extent, max_cells));
    match action {
        Action::Blank => 0,
        _ => scan.chars,
    }
}

/// A sheet entry of the workbook: where its BOUNDSHEET record is, where
/// its substream starts, its name.
struct SheetEntry {
    record: usize,
    at: usize,
    name: String,
}

/// What the workbook's globals say: its sheets and the characters of each
/// shared string.
struct Globals {
    sheets: Vec<SheetEntry>,
    strings: Vec<usize>,
}

/// The globals substream, up to its EOF as calamine reads it.
fn globals(stream: &[u8]) -> Globals {
    let mut globals = Globals {
        sheets: Vec::new(),
        strings: Vec::new(),
    };
    let mut biff8 = true;
    let mut at = 0;
    while let Some(record) = records::record_at(stream, at) {
        at = record.next;
        let data = &stream[record.data.clone()];
        match record.typ {
            records::EOF => break,
            records::BOF if data.len() >= 2 => biff8 = is_biff8(data),
            records::BOUND_SHEET if data.len() >= 6 => {
                let index = globals.sheets.len();
                globals.sheets.push(SheetEntry {
                    record: record.at,
                    at: records::u32_at(data, 0) as usize,
                    name: sheet_name(data, biff8).unwrap_or_else(|| format!("{}", index + 1)),
                });
            }
            records::SST => globals.strings = records::shared_string_lengths(stream, &record),
            _ => {}
        }
    }
    globals
}

/// Whether a BOF record opens a BIFF8 substream, as calamine decides it.
fn is_biff8(bof: &[u8]) -> bool {
    let kind = bof.get(2..4).map_or(0, |_| records::u16_at(bof, 2));
    match records::u16_at(bof, 0) {
        0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500 => false,
        0 => kind != 0x1000,
        _ => true,
    }
}

/// A BOUNDSHEET record's sheet name (BIFF8: a short string with a flags
/// byte; earlier: bytes).
fn sheet_name(data: &[u8], biff8: bool) -> Option<String> {
    let count = usize::from(*data.get(6)?);
    let name = if !biff8 {
        data.get(7..7 + count)?
            .iter()
            .map(|&b| char::from(b))
            .collect()
    } else if data.get(7)? & 1 != 0 {
        let units: Vec<u16> = data
            .get(8..8 + 2 * count)?
            .chunks_exact(2)
            .map(|b| records::u16_at(b, 0))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        data.get(8..8 + count)?
            .iter()
            .map(|&b| char::from(b))
            .collect()
    };
    Some(name.replace('\0', ""))
}

/// Sheets whose substreams overlap would each see the other's patches,
/// and one starting beyond the stream would have calamine panic: no real
/// workbook has either.
fn refuse_misplaced(stream: &[u8], sheets: &[SheetEntry]) -> Result<(), DecodeError> {
    if let Some(beyond) = sheets.iter().find(|s| s.at >= stream.len()) {
        return Err(damaged(format!(
            "sheet {:?} starts at byte {}, beyond its Workbook stream of {} bytes",
            beyond.name,
            beyond.at,
            stream.len()
        )));
    }
    let mut spans: Vec<(Range<usize>, &str)> = Vec::new();
    for (sheet, _) in entries_by_sheet(sheets) {
        let mut walk = SheetWalk::from(sheet.at);
        while walk.next_record(stream).is_some() {}
        spans.push((sheet.at..walk.at(), &sheet.name));
    }
    spans.sort_by_key(|(span, _)| span.start);
    match spans
        .windows(2)
        .find(|pair| pair[1].0.start < pair[0].0.end)
    {
        Some(pair) => Err(damaged(format!(
            "the records of sheets {:?} and {:?} overlap",
            pair[0].1, pair[1].1
        ))),
        None => Ok(()),
    }
}

/// What a sheet holds, as calamine will read it.
#[derive(Debug, Default)]
struct SheetScan {
    /// Positions of its cells, up to one more than the limit.
    positions: Vec<(u32, u32)>,
    cells: usize,
    chars: usize,
}

fn scan_sheet(stream: &[u8], sheet: &Sheet<'_>, max_cells: usize) -> SheetScan {
    let mut scan = SheetScan::default();
    let mut formula = (0, 0);
    for record in records::sheet_records(stream, sheet.entry.at) {
        let data = &stream[record.data.clone()];
        let Some(cell) = records::cell_record(record.typ, data, sheet.strings, formula) else {
            continue;
        };
        if record.typ == records::FORMULA {
            formula = (cell.row, cell.columns.0);
        }
        let run = (cell.columns.1 - cell.columns.0) as usize + 1;
        scan.cells = scan.cells.saturating_add(run);
        scan.chars = scan.chars.saturating_add(cell.chars);
        for column in cell.columns.0..=cell.columns.1 {
            if scan.positions.len() > max_cells {
                break;
            }
            scan.positions.push((cell.row, column));
        }
    }
    scan
}

/// What is done to a sheet's records.
enum Action {
    Keep,
    CloseUp(Placement),
    Blank,
}

/// Keep, close up or blank a sheet, within the limit and the cells left
/// to the workbook; why, said in `issues`.
fn decide(
    scan: &SheetScan,
    name: &str,
    max_cells: usize,
    cells_left: &mut usize,
    issues: &mut Vec<Issue>,
) -> Action {
    let mut refuse = |why: String| {
        issues.push(Issue::error("decode", format!("sheet {name:?}: {why}")));
        Action::Blank
    };
    if scan.cells > max_cells {
        return refuse(format!(
            "more than {max_cells} cells: not read (limit table-cells)"
        ));
    }
    let placement = match sheet_cells::place(&scan.positions, max_cells) {
        Ok(placement) => placement,
        Err(why) => return refuse(why),
    };
    let grid = placement.rows * placement.columns;
    if grid > *cells_left {
        return refuse(sheet_cells::over_the_workbook(grid, max_cells));
    }
    *cells_left -= grid;
    if placement.closed_up {
        issues.push(sheet_cells::closed_up(
            name,
            scan.cells,
            placement.rectangle,
            max_cells,
        ));
        return Action::CloseUp(placement);
    }
    Action::Keep
}

/// The rows and columns a sheet's cells span once `action` is done.
fn extent(scan: &SheetScan, action: &Action) -> (Range<u32>, Range<u32>) {
    match action {
        Action::Blank => (0..0, 0..0),
        Action::CloseUp(placement) => (0..placement.rows as u32, 0..placement.columns as u32),
        Action::Keep => (
            span(scan.positions.iter().map(|p| p.0)),
            span(scan.positions.iter().map(|p| p.1)),
        ),
    }
}

/// From the least of `values` to one past the greatest.
fn span(values: impl Iterator<Item = u32> + Clone) -> Range<u32> {
    match (values.clone().min(), values.max()) {
        (Some(least), Some(greatest)) => least..greatest + 1,
        _ => 0..0,
    }
}

/// Do `action` to a sheet's records, and rewrite a DIMENSIONS record over
/// the limit to `extent`; the note saying so.
fn rewrite_sheet(
    patcher: &mut Patcher<'_>,
    sheet: &Sheet<'_>,
    action: &Action,
    extent: &(Range<u32>, Range<u32>),
    max_cells: usize,
) -> Option<Issue> {
    let mut walk = SheetWalk::from(sheet.entry.at);
    let mut note = None;
    while let Some(record) = walk.next_record(&patcher.stream.bytes) {
        match (record.typ, action) {
            (records::DIMENSIONS, _) => {
                let name = &sheet.entry.name;
                let rewritten = rewrite_dimensions(patcher, &record, extent, name, max_cells);
                note = note.or(rewritten);
            }
            (records::MERGE_CELLS, Action::CloseUp(_) | Action::Blank) => {
                patcher.retype(record.at, records::BLANK)
            }
            (typ, Action::Blank) if holds_cells(typ) => patcher.retype(record.at, records::BLANK),
            (_, Action::CloseUp(placement)) => renumber(patcher, &record, placement, sheet.strings),
            _ => {}
        }
    }
    note
}

fn holds_cells(typ: u16) -> bool {
    use records::*;
    matches!(
        typ,
        NUMBER | LABEL | RSTRING | BOOL_ERR | RK | LABEL_SST | MUL_RK | FORMULA | FORMULA_STRING
    )
}

/// A DIMENSIONS record claiming more than `max_cells` rewritten to claim
/// `extent`; the note saying so.
fn rewrite_dimensions(
    patcher: &mut Patcher<'_>,
    record: &Record,
    (rows, columns): &(Range<u32>, Range<u32>),
    name: &str,
    max_cells: usize,
) -> Option<Issue> {
    let data = &patcher.stream.bytes[record.data.clone()];
    let (claimed_rows, claimed_columns) = records::claimed_cells(data)?;
    if claimed_rows.saturating_mul(claimed_columns) <= max_cells as u64 {
        return None;
    }
    let rewritten = records::dimensions_data(data.len(), rows.clone(), columns.clone());
    patcher.write(record.data.start, &rewritten);
    Some(Issue::warning(
        "decode",
        format!(
            "sheet {name:?}: its DIMENSIONS record claims {claimed_rows} rows × {claimed_columns} columns, more than {max_cells} cells (limit table-cells): read from the cells it holds ({} rows × {} columns)",
            rows.len(),
            columns.len()
        ),
    ))
}

/// A cell record moved to its place on the closed-up grid.
fn renumber(patcher: &mut Patcher<'_>, record: &Record, placement: &Placement, strings: &[usize]) {
    let data = &patcher.stream.bytes[record.data.clone()];
    if record.typ == records::FORMULA_STRING {
        return; // at the formula's cell, which is moved
    }
    let Some(cell) = records::cell_record(record.typ, data, strings, (0, 0)) else {
        return;
    };
    let (row, first) = placement.place((cell.row, cell.columns.0));
    let (_, last) = placement.place((cell.row, cell.columns.1));
    let start = record.data.start;
    patcher.write(start, &(row as u16).to_le_bytes());
    patcher.write(start + 2, &(first as u16).to_le_bytes());
    if record.typ == records::MUL_RK {
        patcher.write(record.data.end - 2, &(last as u16).to_le_bytes());
    }
}

/// Writes into the stream and into a copy of the file, made at the first.
struct Patcher<'a> {
    file: &'a [u8],
    stream: ole::Stream,
    copy: Option<Vec<u8>>,
}

impl Patcher<'_> {
    fn write(&mut self, at: usize, bytes: &[u8]) {
        let copy = self.copy.get_or_insert_with(|| self.file.to_vec());
        self.stream.patch(copy, at, bytes);
    }

    /// Give the record at `at` another type (its length stays).
    fn retype(&mut self, at: usize, typ: u16) {
        self.write(at, &typ.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Reader;

    const SEED: &[u8] = include_bytes!("../../tests/fixtures/seed.xls");

    /// The seed with `change` made to its Workbook stream.
    fn seed_with(change: impl FnOnce(&mut Patcher<'_>, &Globals)) -> Vec<u8> {
        let stream = ole::stream(SEED, &["Workbook"]).unwrap();
        let globals = globals(&stream.bytes);
        let mut patcher = Patcher {
            file: SEED,
            stream,
            copy: None,
        };
        change(&mut patcher, &globals);
        patcher.copy.unwrap()
    }

    /// The first record of `typ` in the first sheet.
    fn first_record(patcher: &Patcher<'_>, globals: &Globals, typ: u16) -> Record {
        records::sheet_records(&patcher.stream.bytes, globals.sheets[0].at)
            .find(|r| r.typ == typ)
            .unwrap()
    }

    /// Every sheet's cells as calamine reads the file: name, and the
    /// values with their positions.
    /// A sheet's name and its cells: row, column, value.
    type SheetRead = (String, Vec<(usize, usize, String)>);

    fn read_by_calamine(file: &[u8]) -> Vec<SheetRead> {
        let mut xls = calamine::Xls::new(std::io::Cursor::new(file)).unwrap();
        xls.sheet_names()
            .into_iter()
            .map(|name| {
                let range = xls.worksheet_range(&name).unwrap();
                let cells = range
                    .used_cells()
                    .map(|(r, c, v)| (r, c, v.to_string()))
                    .collect();
                (name, cells)
            })
            .collect()
    }

    fn messages(issues: &[Issue]) -> String {
        issues
            .iter()
            .map(|i| i.message.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_workbook_within_the_limits_is_handed_on_as_it_is() {
        let guarded = guard(SEED, &Limits::default()).unwrap();
        assert!(matches!(guarded.bytes, Cow::Borrowed(_)));
        assert!(guarded.issues.is_empty(), "{}", messages(&guarded.issues));
    }

    #[test]
    fn a_dimensions_record_claiming_billions_of_cells_is_rewritten_to_its_cells() {
        let file = seed_with(|patcher, globals| {
            let dimensions = first_record(patcher, globals, records::DIMENSIONS);
            let claim = records::dimensions_data(14, 0..u32::MAX, 0..256);
            patcher.write(dimensions.data.start, &claim);
        });
        let guarded = guard(&file, &Limits::default()).unwrap();
        assert!(
            messages(&guarded.issues).contains("claims 4294967295 rows × 256 columns"),
            "{}",
            messages(&guarded.issues)
        );
        assert_eq!(read_by_calamine(&guarded.bytes), read_by_calamine(SEED));
    }

    #[test]
    fn a_far_cell_is_closed_up_to_the_others() {
        let file = seed_with(|patcher, globals| {
            let number = first_record(patcher, globals, records::LABEL_SST);
            patcher.write(number.data.start, &[0xFF; 4]);
        });
        let guarded = guard(&file, &Limits::default()).unwrap();
        assert!(
            messages(&guarded.issues).contains("closed up"),
            "{}",
            messages(&guarded.issues)
        );
        let sheets = read_by_calamine(&guarded.bytes);
        let first = &sheets[0].1;
        let (rows, columns) = first
            .iter()
            .fold((0, 0), |(r, c), cell| (r.max(cell.0), c.max(cell.1)));
        assert!(rows < 200 && columns < 10, "{rows} × {columns}");
        assert_eq!(first.len(), read_by_calamine(SEED)[0].1.len());
    }

    #[test]
    fn entries_naming_one_sheet_read_it_once() {
        let file = seed_with(|patcher, globals| {
            let first = globals.sheets[0].at as u32;
            for sheet in &globals.sheets[1..3] {
                patcher.write(sheet.record + 4, &first.to_le_bytes());
            }
        });
        let guarded = guard(&file, &Limits::default()).unwrap();
        assert!(
            messages(&guarded.issues).contains("is named again by 2 more sheet entries"),
            "{}",
            messages(&guarded.issues)
        );
        assert_eq!(read_by_calamine(&guarded.bytes).len(), 8);
    }

    #[test]
    fn sheets_over_the_limit_or_past_the_workbooks_are_blanked() {
        let limits = Limits {
            table_cells: 1000,
            ..Limits::default()
        };
        let guarded = guard(SEED, &limits).unwrap();
        let said = messages(&guarded.issues);
        assert!(said.contains("limit table-cells"), "{said}");
        assert!(said.contains("together past 1000 cells"), "{said}");
        let sheets = read_by_calamine(&guarded.bytes);
        let grids: usize = sheets
            .iter()
            .map(|(_, cells)| {
                let rows = cells.iter().map(|c| c.0 + 1).max().unwrap_or(0);
                let columns = cells.iter().map(|c| c.1 + 1).max().unwrap_or(0);
                rows * columns
            })
            .sum();
        assert!(grids <= 1000, "{grids}");
        assert!(sheets.iter().any(|(_, cells)| cells.is_empty()));
    }

    #[test]
    fn text_over_the_limit_counts_every_cell_naming_a_shared_string() {
        let limits = Limits {
            chars: 1000,
            ..Limits::default()
        };
        let Err(DecodeError::OverLimit { message }) = guard(SEED, &limits) else {
            panic!("not refused");
        };
        assert!(message.contains("--limit chars="), "{message}");
    }

    #[test]
    fn overlapping_sheets_are_refused() {
        let file = seed_with(|patcher, globals| {
            let inside = globals.sheets[0].at as u32 + 200;
            patcher.write(globals.sheets[1].record + 4, &inside.to_le_bytes());
        });
        let Err(DecodeError::Package { message }) = guard(&file, &Limits::default()) else {
            panic!("not refused");
        };
        assert!(message.contains("overlap"), "{message}");
    }
}

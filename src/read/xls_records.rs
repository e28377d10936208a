//! The BIFF records of an XLS Workbook stream, cut as calamine cuts them,
//! and what calamine makes of the few that cost memory: the cells a sheet
//! will hold, the text they expand to, the rows and columns a DIMENSIONS
//! record claims.
//!
//! A record is a type and a length (two `u16`) and that many bytes; CONTINUE
//! records (0x003C) right after one carry on its data. Records are given by
//! their offsets, not borrowed, so the stream can be patched as they are
//! walked. Where calamine would stop with an error (a record cut short),
//! the walk stops too: calamine refuses the file, nothing is allocated.

use std::ops::Range;

pub const BOF: u16 = 0x0809;
pub const EOF: u16 = 0x000A;
pub const CONTINUE: u16 = 0x003C;
pub const BOUND_SHEET: u16 = 0x0085;
pub const SST: u16 = 0x00FC;
pub const DIMENSIONS: u16 = 0x0200;
/// BLANK: a cell without a value, which calamine does not read; a record
/// patched to this type is passed over.
pub const BLANK: u16 = 0x0201;
pub const NUMBER: u16 = 0x0203;
pub const LABEL: u16 = 0x0204;
pub const BOOL_ERR: u16 = 0x0205;
pub const FORMULA_STRING: u16 = 0x0207;
pub const RK: u16 = 0x027E;
pub const LABEL_SST: u16 = 0x00FD;
pub const RSTRING: u16 = 0x00D6;
pub const MUL_RK: u16 = 0x00BD;
pub const FORMULA: u16 = 0x0006;
pub const MERGE_CELLS: u16 = 0x00E5;

/// One record: where it starts (its header), its type, its data and the
/// data of the CONTINUE records after it.
#[derive(Debug, Clone)]
pub struct Record {
    pub at: usize,
    pub typ: u16,
    pub data: Range<usize>,
    pub continues: Vec<Range<usize>>,
    /// Where the next record starts.
    pub next: usize,
}

/// The record at `at`, or `None` at the end of the stream or where calamine
/// would find the stream cut short.
pub fn record_at(stream: &[u8], at: usize) -> Option<Record> {
    let header = stream.get(at..at + 4)?;
    let typ = u16::from_le_bytes([header[0], header[1]]);
    let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
    let data = at + 4..at + 4 + len;
    if data.end > stream.len() {
        return None;
    }
    let mut next = data.end;
    let mut continues = Vec::new();
    if stream.len() - next > 4 && u16_at(stream, next) == CONTINUE {
        while stream.len() - next > 4 && u16_at(stream, next) == CONTINUE {
            let len = usize::from(u16_at(stream, next + 2));
            let part = next + 4..next + 4 + len;
            if part.end > stream.len() {
                return None;
            }
            continues.push(part.clone());
            next = part.end;
        }
    }
    Some(Record {
        at,
        typ,
        data,
        continues,
        next,
    })
}

/// The records of a sheet's substream from `at` to its EOF, as calamine
/// reads them: the substreams nested in it (embedded charts) are passed
/// over whole.
pub fn sheet_records(stream: &[u8], at: usize) -> impl Iterator<Item = Record> + '_ {
    let mut walk = SheetWalk::from(at);
    std::iter::from_fn(move || walk.next_record(stream))
}

/// A walk through a sheet's substream that holds no borrow of the stream
/// between steps, so the stream can be patched as it is walked.
pub struct SheetWalk {
    at: usize,
    seen_bof: bool,
    depth: usize,
    done: bool,
}

impl SheetWalk {
    pub fn from(at: usize) -> Self {
        SheetWalk {
            at,
            seen_bof: false,
            depth: 0,
            done: false,
        }
    }

    /// Where the walk is: after the substream's EOF once it is over.
    pub fn at(&self) -> usize {
        self.at
    }

    pub fn next_record(&mut self, stream: &[u8]) -> Option<Record> {
        while !self.done {
            let record = record_at(stream, self.at)?;
            self.at = record.next;
            match (self.depth, record.typ) {
                (0, EOF) => self.done = true,
                (0, BOF) if self.seen_bof => self.depth = 1,
                (0, BOF) => self.seen_bof = true,
                (0, _) => return Some(record),
                (_, BOF) => self.depth += 1,
                (_, EOF) => self.depth -= 1,
                _ => {}
            }
        }
        None
    }
}

/// What a cell record holds: the cells calamine makes of it, and the
/// characters of their text.
#[derive(Debug, PartialEq, Eq)]
pub struct CellRecord {
    pub row: u32,
    /// The first and last column (one cell but for MULRK).
    pub columns: (u32, u32),
    pub chars: usize,
}

/// The cells of a cell record, as calamine reads it (`None` for other
/// records, and for those calamine would refuse). A FORMULA record counts
/// as a cell: calamine keeps its formula on a grid of its own. The string
/// value of a formula (0x0207) is text at the formula's cell, whose position
/// is given as `formula`.
pub fn cell_record(
    typ: u16,
    data: &[u8],
    strings: &[usize],
    formula: (u32, u32),
) -> Option<CellRecord> {
    let position = || (u32::from(u16_at(data, 0)), u32::from(u16_at(data, 2)));
    let one = |(row, column): (u32, u32), chars| CellRecord {
        row,
        columns: (column, column),
        chars,
    };
    let string_chars = |at: usize| {
        let count = data
            .get(at..at + 2)
            .map_or(0, |_| usize::from(u16_at(data, at)));
        count.min(data.len().saturating_sub(at))
    };
    match typ {
        NUMBER if data.len() >= 14 => Some(one(position(), 0)),
        BOOL_ERR if data.len() >= 8 => Some(one(position(), 0)),
        RK if data.len() >= 10 => Some(one(position(), 0)),
        FORMULA if data.len() >= 20 => Some(one(position(), 0)),
        LABEL | RSTRING if data.len() >= 8 => Some(one(position(), string_chars(6))),
        LABEL_SST if data.len() >= 10 => {
            let index = u32::from_le_bytes(data[6..10].try_into().ok()?) as usize;
            strings.get(index).map(|&chars| one(position(), chars))
        }
        FORMULA_STRING if data.len() >= 2 => Some(one(formula, string_chars(0))),
        MUL_RK if data.len() >= 6 => mul_rk(data),
        _ => None,
    }
}

/// A MULRK record: numbers in a run of columns of one row; calamine
/// refuses one whose length does not match its run.
fn mul_rk(data: &[u8]) -> Option<CellRecord> {
    let first = u16_at(data, 2);
    let last = u16_at(data, data.len() - 2);
    let run = usize::from(last.wrapping_sub(first).wrapping_add(1));
    if data.len() != 6 + 6 * run || run == 0 {
        return None;
    }
    Some(CellRecord {
        row: u32::from(u16_at(data, 0)),
        columns: (u32::from(first), u32::from(first) + run as u32 - 1),
        chars: 0,
    })
}

/// The cells a DIMENSIONS record has calamine reserve room for, computed
/// as calamine computes them (wrapping where it wraps); `None` for a record
/// calamine refuses.
pub fn claimed_cells(data: &[u8]) -> Option<(u64, u64)> {
    let (first_row, end_row, mut first_column, end_column) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0)),
            u32::from(u16_at(data, 2)),
            u32::from(u16_at(data, 4)),
            u32::from(u16_at(data, 6)),
        ),
        14 | 16 => (
            u32_at(data, 0),
            u32_at(data, 4),
            u32::from(u16_at(data, 8)),
            u32::from(u16_at(data, 10)),
        ),
        _ => return None,
    };
    if first_column > 0xFF || end_column < first_column {
        first_column = 0;
    }
    if end_row == 0 || end_column == 0 {
        return Some((1, 1));
    }
    let rows = (end_row - 1).wrapping_sub(first_row).wrapping_add(1);
    let columns = (end_column - 1).wrapping_sub(first_column).wrapping_add(1);
    Some((u64::from(rows), u64::from(columns)))
}

/// A DIMENSIONS record's data (of the same length) claiming the rows
/// `rows` and columns `columns` (ends excluded); an empty sheet claims none.
pub fn dimensions_data(len: usize, rows: Range<u32>, columns: Range<u32>) -> Vec<u8> {
    let mut data = Vec::with_capacity(len);
    if len == 10 {
        for value in [rows.start, rows.end, columns.start, columns.end] {
            data.extend_from_slice(&(value.min(0xFFFF) as u16).to_le_bytes());
        }
    } else {
        data.extend_from_slice(&rows.start.to_le_bytes());
        data.extend_from_slice(&rows.end.to_le_bytes());
        for value in [columns.start, columns.end] {
            data.extend_from_slice(&(value.min(0xFFFF) as u16).to_le_bytes());
        }
    }
    data.resize(len, 0);
    data
}

/// The characters of each string of the shared string table (an SST
/// record and its CONTINUE records), read as calamine reads them: a
/// string's characters may run on into the next CONTINUE record, which
/// then opens with its own flags byte. Where calamine would fail, the
/// strings so far.
pub fn shared_string_lengths(stream: &[u8], record: &Record) -> Vec<usize> {
    let mut parts = std::iter::once(record.data.clone())
        .chain(record.continues.iter().cloned())
        .map(|r| &stream[r]);
    let mut data = parts.next().unwrap_or_default();
    let mut lengths = Vec::new();
    if data.len() < 8 {
        return lengths;
    }
    data = &data[8..];
    loop {
        if data.is_empty() {
            match parts.next() {
                Some(next) => data = next,
                None => return lengths,
            }
            if data.is_empty() {
                lengths.push(0);
                continue;
            }
        }
        match shared_string(&mut data, &mut parts) {
            Some(chars) => lengths.push(chars),
            None => return lengths,
        }
    }
}

/// One string of the SST: its characters, the stream moved past it.
fn shared_string<'a>(
    data: &mut &'a [u8],
    parts: &mut impl Iterator<Item = &'a [u8]>,
) -> Option<usize> {
    if data.len() < 3 {
        return None;
    }
    let chars = usize::from(u16_at(data, 0));
    let flags = data[2];
    *data = &data[3..];
    let mut wide = flags & 1 != 0;
    let mut runs = 0;
    if flags & 0x8 != 0 {
        runs = usize::from(u16_at(data.get(..2)?, 0));
        *data = &data[2..];
    }
    let mut extension = 0;
    if flags & 0x4 != 0 {
        extension = i32::from_le_bytes(data.get(..4)?.try_into().ok()?) as usize;
        *data = &data[4..];
    }
    let mut left = chars;
    while left > 0 {
        let taken = if wide {
            (data.len() / 2).min(left)
        } else {
            data.len().min(left)
        };
        *data = &data[if wide { taken * 2 } else { taken }..];
        left -= taken;
        if left > 0 {
            *data = parts.next()?;
            wide = *data.first()? & 1 != 0;
            *data = &data[1..];
        }
    }
    skip(data, parts, runs.checked_mul(4)?)?;
    skip(data, parts, extension)?;
    Some(chars)
}

fn skip<'a>(
    data: &mut &'a [u8],
    parts: &mut impl Iterator<Item = &'a [u8]>,
    mut len: usize,
) -> Option<()> {
    while len > 0 {
        if data.is_empty() {
            *data = parts.next()?;
        }
        let taken = len.min(data.len());
        *data = &data[taken..];
        len -= taken;
    }
    Some(())
}

pub fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

pub fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut bytes = typ.to_le_bytes().to_vec();
        bytes.extend_from_slice(&(data.len() as u16).to_le_bytes());
        bytes.extend_from_slice(data);
        bytes
    }

    #[test]
    fn continue_records_belong_to_the_record_before() {
        let stream = [
            record(SST, &[1, 2]),
            record(CONTINUE, &[3]),
            record(EOF, &[]),
        ]
        .concat();
        let first = record_at(&stream, 0).unwrap();
        assert_eq!((first.typ, first.continues.len()), (SST, 1));
        assert_eq!(record_at(&stream, first.next).unwrap().typ, EOF);
        assert!(record_at(&stream[..5], 0).is_none(), "cut short");
    }

    #[test]
    fn a_sheet_ends_at_its_eof_and_passes_over_a_chart_in_it() {
        let stream = [
            record(BOF, &[0; 16]),
            record(NUMBER, &[0; 14]),
            record(BOF, &[0; 16]),
            record(NUMBER, &[1; 14]),
            record(EOF, &[]),
            record(LABEL_SST, &[0; 10]),
            record(EOF, &[]),
            record(NUMBER, &[2; 14]),
        ]
        .concat();
        let types: Vec<u16> = sheet_records(&stream, 0).map(|r| r.typ).collect();
        assert_eq!(types, [NUMBER, LABEL_SST]);
    }

    #[test]
    fn dimensions_are_claimed_as_calamine_reckons_them() {
        let biff8 = |rows: (u32, u32), columns: (u16, u16)| {
            let mut data = rows.0.to_le_bytes().to_vec();
            data.extend_from_slice(&rows.1.to_le_bytes());
            data.extend_from_slice(&columns.0.to_le_bytes());
            data.extend_from_slice(&columns.1.to_le_bytes());
            data.extend_from_slice(&[0, 0]);
            data
        };
        assert_eq!(claimed_cells(&biff8((0, 137), (0, 6))), Some((137, 6)));
        assert_eq!(
            claimed_cells(&biff8((0, u32::MAX), (0, 256))),
            Some((u32::MAX as u64, 256))
        );
        // an end before the start wraps round: 4 billion rows
        assert_eq!(
            claimed_cells(&biff8((10, 5), (0, 1))).unwrap().0,
            (1u64 << 32) - 5
        );
        assert_eq!(claimed_cells(&biff8((0, 0), (0, 0))), Some((1, 1)));
        assert_eq!(claimed_cells(&[0; 12]), None);
        let rewritten = dimensions_data(14, 2..40, 1..7);
        assert_eq!(claimed_cells(&rewritten), Some((38, 6)));
        assert_eq!(
            claimed_cells(&dimensions_data(14, 0..0, 0..0)),
            Some((1, 1))
        );
    }

    #[test]
    fn cell_records_give_their_cells_and_text() {
        let strings = [32_000, 5];
        let sst_cell = [3, 0, 4, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            cell_record(LABEL_SST, &sst_cell, &strings, (0, 0)),
            Some(CellRecord {
                row: 3,
                columns: (4, 4),
                chars: 32_000
            })
        );
        let mut beyond = sst_cell;
        beyond[6] = 9;
        assert_eq!(cell_record(LABEL_SST, &beyond, &strings, (0, 0)), None);
        let mut mul_rk = vec![1, 0, 2, 0];
        mul_rk.extend_from_slice(&[0; 18]);
        mul_rk.extend_from_slice(&[4, 0]);
        assert_eq!(
            cell_record(MUL_RK, &mul_rk, &strings, (0, 0)),
            Some(CellRecord {
                row: 1,
                columns: (2, 4),
                chars: 0
            })
        );
        assert_eq!(cell_record(MUL_RK, &mul_rk[..20], &strings, (0, 0)), None);
        let label = [0, 0, 1, 0, 0, 0, 3, 0, 0, b'a', b'b', b'c'];
        assert_eq!(
            cell_record(LABEL, &label, &strings, (0, 0)).unwrap().chars,
            3
        );
        assert_eq!(cell_record(BLANK, &[0; 6], &strings, (0, 0)), None);
    }

    #[test]
    fn shared_strings_are_measured_across_continue_records() {
        // "ab" compressed; "中文字" wide, broken after one character into a
        // CONTINUE record that opens with its flags byte; a rich string
        // with one formatting run
        let mut sst = vec![0; 8];
        sst.extend_from_slice(&[2, 0, 0, b'a', b'b']);
        sst.extend_from_slice(&[3, 0, 1, 0x2D, 0x4E]);
        let mut more = vec![1, 0x87, 0x65, 0x57, 0x5B];
        more.extend_from_slice(&[1, 0, 0x08, 1, 0, b'x', 0, 0, 0, 0]);
        let stream = [record(SST, &sst), record(CONTINUE, &more), record(EOF, &[])].concat();
        let sst = record_at(&stream, 0).unwrap();
        assert_eq!(shared_string_lengths(&stream, &sst), [2, 3, 1]);
    }
}

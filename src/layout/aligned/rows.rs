//! The body rows: a line's cells by column, figures printed above their
//! label joined to it, label lines shared between neighbouring rows.

use super::columns::to_row;
use super::token::{is_amount, starts_item, Kind, Line};
use crate::model::Row;

/// A row being built: cells by column, and what it holds.
#[derive(Debug, Default, Clone)]
pub(super) struct PendingRow {
    pub(super) cells: Vec<(usize, String)>,
    pub(super) page: Option<u32>,
    pub(super) above: usize,
    pub(super) below: usize,
    pub(super) labelled: bool,
    /// Holds words (not only a code and figures).
    pub(super) worded: bool,
    /// Starts with an enumeration (1、 二、 （1） 其中): a row's label, not the
    /// continuation of one.
    pub(super) item: bool,
    /// Where each column's text starts, from the row's own line.
    pub(super) starts: Vec<(usize, usize)>,
}

impl PendingRow {
    /// One line's tokens as a row, each in its column.
    pub(super) fn of_line(line: &Line, place: &[usize]) -> PendingRow {
        let mut row = PendingRow {
            page: Some(line.page),
            labelled: line.has_text() || line.has_code(),
            worded: line.has_text(),
            item: line.tokens.first().is_some_and(|t| starts_item(&t.text)),
            ..PendingRow::default()
        };
        for (token, column) in line.tokens.iter().zip(place) {
            row.add(*column, &token.text, false);
            row.starts.push((*column, token.start));
        }
        row
    }

    pub(super) fn add(&mut self, column: usize, text: &str, before: bool) {
        match self.cells.iter_mut().find(|(c, _)| *c == column) {
            Some((_, cell)) if before => *cell = format!("{text}\n{cell}"),
            Some((_, cell)) => {
                cell.push('\n');
                cell.push_str(text);
            }
            None => self.cells.push((column, text.to_string())),
        }
    }

    /// Another line's cells above this row's (a label's first lines).
    pub(super) fn merge_before(&mut self, other: PendingRow) {
        for (column, text) in other.cells {
            self.add(column, &text, true);
        }
        self.labelled |= other.labelled;
        self.worded |= other.worded;
    }

    /// Another line's cells below this row's.
    pub(super) fn merge_after(&mut self, other: PendingRow) {
        for (column, text) in other.cells {
            self.add(column, &text, false);
        }
        self.labelled |= other.labelled;
        self.worded |= other.worded;
    }

    pub(super) fn columns(&self) -> Vec<usize> {
        self.cells.iter().map(|(c, _)| *c).collect()
    }
}

/// A body whose rows are set apart by blank lines, each a few lines (a
/// row's figures, codes and names on lines of their own): every block is
/// one row.
pub(super) fn rows_are_blocks(body: &[Line]) -> bool {
    let blocks: Vec<&[Line]> = body
        .split(Line::is_blank)
        .filter(|b| !b.is_empty())
        .collect();
    let starts_with_code = |l: &&Line| {
        l.tokens
            .first()
            .is_some_and(|t| t.kind == Kind::Code && t.start <= 2)
    };
    blocks.len() >= 4
        && blocks.iter().filter(|b| b.len() <= 4).count() * 10 >= blocks.len() * 9
        && blocks.iter().filter(|b| b.len() >= 2).count() * 2 >= blocks.len()
        && blocks
            .iter()
            .all(|b| b.iter().filter(starts_with_code).count() <= 1)
}

/// Body lines → rows (see the module doc).
pub(super) fn body_rows(body: &[Line], places: &[Vec<usize>], width: usize, rows: &mut Vec<Row>) {
    let pending = if rows_are_blocks(body) {
        block_rows(body, places)
    } else {
        line_rows(body, places)
    };
    rows.extend(
        pending
            .iter()
            .map(|row| to_row(&row.cells, width, row.page)),
    );
}

/// A body whose rows are blocks set apart by blank lines: each block one
/// row, except that figures after a block's names start the next row (a
/// row's figures stand above its codes and names).
fn block_rows(body: &[Line], places: &[Vec<usize>]) -> Vec<PendingRow> {
    let mut rows = Vec::new();
    let mut row = PendingRow::default();
    for (line, place) in body.iter().zip(places) {
        if line.is_blank() {
            if !row.cells.is_empty() {
                rows.push(std::mem::take(&mut row));
            }
            row = PendingRow::default();
            continue;
        }
        let money = line
            .tokens
            .iter()
            .any(|t| t.kind == Kind::Amount && t.text.contains(['.', ',']));
        let figures_only = money && !line.has_text() && !line.has_code();
        if figures_only && row.worded {
            rows.push(std::mem::take(&mut row));
        }
        row.page.get_or_insert(line.page);
        row.worded |= line.has_text();
        for (token, column) in line.tokens.iter().zip(place) {
            row.add(*column, &token.text, false);
        }
    }
    if !row.cells.is_empty() {
        rows.push(row);
    }
    rows
}

/// A body read line by line: a line with a code or figures starts a row,
/// lines of text alone wait to be shared out as labels ([`RowBuilder`]),
/// and figures printed on the line above their label (a taller cell
/// centred on the row) join the next line when it has figures too and
/// they fill different columns.
fn line_rows(body: &[Line], places: &[Vec<usize>]) -> Vec<PendingRow> {
    let mut rows_out = RowBuilder::default();
    let mut floating: Option<PendingRow> = None;
    for (index, (line, place)) in body.iter().zip(places).enumerate() {
        if line.is_blank() {
            rows_out.blank();
            continue;
        }
        let row = PendingRow::of_line(line, place);
        if !line.has_figures() && !line.has_code() && floating.is_none() {
            rows_out.fragment(row);
            continue;
        }
        let figures_only = line.has_figures() && !row.labelled;
        let mut row = row;
        if let Some(earlier) = floating.take() {
            if collides(&earlier, &row) {
                rows_out.start(earlier);
            } else {
                row.merge_before(earlier);
            }
        }
        if figures_only && joins_next(body, places, index, &row) {
            floating = Some(row);
            continue;
        }
        rows_out.start(row);
    }
    if let Some(earlier) = floating.take() {
        rows_out.start(earlier);
    }
    rows_out.finish()
}

/// Whether a line of figures alone joins the next line: that line has
/// figures too, in other columns.
fn joins_next(body: &[Line], places: &[Vec<usize>], index: usize, row: &PendingRow) -> bool {
    let next = body.get(index + 1).filter(|n| !n.is_blank());
    next.is_some_and(|n| {
        n.has_figures() && {
            let columns = &places[index + 1];
            !row.columns().iter().any(|c| columns.contains(c))
        }
    })
}

/// Rows in order, with the lines of text waiting between two rows.
#[derive(Default)]
pub(super) struct RowBuilder {
    pub(super) done: Vec<PendingRow>,
    pub(super) current: Option<PendingRow>,
    /// Lines of text alone since the current row, and whether a blank line
    /// came before each.
    pub(super) waiting: Vec<(PendingRow, bool)>,
    pub(super) blank_since: bool,
}

impl RowBuilder {
    pub(super) fn blank(&mut self) {
        // a blank line ends the row above: the lines waiting are its own,
        // but for items, which are rows of their own
        if self.current.is_some() {
            for (line, _) in std::mem::take(&mut self.waiting) {
                let current = self.current.as_mut().expect("checked above");
                if line.item {
                    let done = self.current.replace(line).expect("checked above");
                    self.done.push(done);
                } else {
                    current.merge_after(line);
                    current.below += 1;
                }
            }
        }
        self.blank_since = true;
    }

    pub(super) fn fragment(&mut self, line: PendingRow) {
        self.waiting.push((line, self.blank_since));
        self.blank_since = false;
    }

    /// A new row: the lines waiting are shared — the row above takes as
    /// many lines below it as it had above (its label is centred), or
    /// those before a blank line; the new row the rest, above it.
    pub(super) fn start(&mut self, mut row: PendingRow) {
        let below = self.lines_below_current();
        let mut waiting = std::mem::take(&mut self.waiting).into_iter();
        if let Some(current) = self.current.as_mut() {
            for (line, _) in waiting.by_ref().take(below) {
                current.merge_after(line);
                current.below += 1;
            }
        }
        let above: Vec<PendingRow> = waiting.map(|(line, _)| line).collect();
        let mut own_rows = Vec::new();
        let (groups, alone_groups) = label_groups(above, &row);
        let last = groups.len();
        for (index, group) in groups.into_iter().enumerate() {
            // (judged against the row as it grows: its label so far)
            let alone = alone_groups.contains(&index);
            if alone || stands_alone(&group, index + 1 < last, &row) {
                let mut lines = group.into_iter();
                let mut own = lines.next().expect("a group has a line");
                for line in lines {
                    own.merge_after(line);
                }
                own_rows.push(own);
            } else {
                for line in group.into_iter().rev() {
                    row.merge_before(line);
                    row.above += 1;
                }
            }
        }
        if let Some(done) = self.current.take() {
            self.done.push(done);
        }
        self.done.extend(own_rows);
        self.current = Some(row);
        self.blank_since = false;
    }

    /// How many of the lines waiting go below the current row: those
    /// before a blank line; for a row of code and figures with nothing
    /// above, its label hanging below it up to the next item; else as many
    /// as it had above, or half when it had none.
    fn lines_below_current(&self) -> usize {
        let split = self
            .waiting
            .iter()
            .position(|(_, after_blank)| *after_blank);
        match (&self.current, split) {
            (_, Some(at)) => at,
            (Some(current), None) if !current.worded && current.above == 0 => self
                .waiting
                .iter()
                .position(|(line, _)| line.item)
                .unwrap_or(self.waiting.len()),
            (Some(current), None) if current.above > 0 || current.labelled => {
                current.above.min(self.waiting.len())
            }
            (Some(_), None) => self.waiting.len().div_ceil(2),
            (None, None) => 0,
        }
    }

    /// The last row takes as many lines below as it had above; lines left
    /// over are rows of their own (labels without figures).
    pub(super) fn finish(mut self) -> Vec<PendingRow> {
        let mut waiting = std::mem::take(&mut self.waiting)
            .into_iter()
            .map(|(l, _)| l);
        if let Some(mut current) = self.current.take() {
            let below = if current.labelled {
                current.above
            } else {
                usize::MAX
            };
            for line in waiting.by_ref().take(below) {
                if line.item {
                    self.done.push(current);
                    current = line;
                    continue;
                }
                current.merge_after(line);
            }
            self.done.push(current);
        }
        self.done.extend(waiting);
        self.done
    }
}

pub(super) fn collides(a: &PendingRow, b: &PendingRow) -> bool {
    let taken = a.columns();
    b.columns().iter().any(|c| taken.contains(c))
}

/// The lines above a new row, grouped: each enumerated label (1、… 二、…
/// （1）… 其中…) starts a group, and a line shorter than the new row's
/// label below it (a wrapped label fills its first line) is a group of its
/// own (its index is in the second list: it stands alone).
fn label_groups(above: Vec<PendingRow>, row: &PendingRow) -> (Vec<Vec<PendingRow>>, Vec<usize>) {
    let too_short = |line: &PendingRow| {
        line.cells.iter().any(|(column, text)| {
            row.cells.iter().any(|(c, own)| {
                c == column && !is_amount(own) && own.chars().count() > text.chars().count() + 2
            })
        })
    };
    // (only the lines after the last item can be the new row's label)
    let last_item = above.iter().rposition(|l| l.item).unwrap_or(0);
    let mut groups: Vec<Vec<PendingRow>> = Vec::new();
    let mut alone_groups = Vec::new();
    for (i, line) in above.into_iter().enumerate() {
        let alone = i >= last_item && too_short(&line);
        if alone {
            alone_groups.push(groups.len());
        }
        if line.item || alone || groups.is_empty() {
            groups.push(vec![line]);
        } else {
            groups.last_mut().expect("pushed above").push(line);
        }
    }
    (groups, alone_groups)
}

/// An item group stands alone as a row without figures unless it is the
/// last group and the new row still lacks its label there; the new row
/// has its own label there when it starts an item too or stands elsewhere.
fn stands_alone(group: &[PendingRow], more_follow: bool, row: &PendingRow) -> bool {
    let own_label = group[0].starts.iter().any(|(column, start)| {
        row.cells
            .iter()
            .any(|(c, text)| c == column && starts_item(text))
            || row
                .starts
                .iter()
                .any(|(c, s)| c == column && s.abs_diff(*start) > 1)
    });
    group[0].item && (more_follow || own_label)
}

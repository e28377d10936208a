//! Grids: (code, name, amount) groups side by side, as in the 决算
//! 一般公共预算财政拨款基本支出决算明细表 (人员经费 on the left, 公用经费 in
//! the middle and right groups).
//!
//! A group is a run of label columns (code, maybe split into 类 | 款, and
//! name) followed by its value column(s). A total row
//! (人员经费合计 … 公用经费合计 …) gives each total label the first amount to
//! its right, wherever the printed span put it. A table with fewer than two
//! groups is an ordinary coded table (the budget layout of the same table).

use super::{code_prefix, coded, BodyRow, Columns, Context, Output, Role, RowKey};
use crate::text::{clean_label, normalise, strip_ordinals};

/// One (code, name, amount) group: its label columns and value columns.
struct Group {
    labels: Vec<usize>,
    values: Vec<usize>,
}

pub(crate) fn read(ctx: &Context, columns: &Columns, body: &[BodyRow], out: &mut Output) {
    let Some(groups) = groups(columns) else {
        return coded::read(ctx, columns, body, out);
    };
    for body_row in body {
        if read_total_row(ctx, columns, body_row, out) {
            continue;
        }
        for group in &groups {
            read_group(columns, body_row, group, out);
        }
    }
}

/// Whether the table is an ordinary coded table (one group of labels and
/// values), read as such.
pub(crate) fn reads_as_coded(columns: &Columns) -> bool {
    groups(columns).is_none()
}

/// Groups end at each run of value columns; a grid has at least two groups,
/// each with label columns of its own (else the table is an ordinary coded
/// table whose value columns sit side by side).
fn groups(columns: &Columns) -> Option<Vec<Group>> {
    let mut groups = Vec::new();
    let mut labels = Vec::new();
    let mut values = Vec::new();
    for col in 0..columns.width() {
        if matches!(columns.roles[col], Role::Value { .. }) {
            values.push(col);
            continue;
        }
        if !values.is_empty() {
            groups.push(Group {
                labels: std::mem::take(&mut labels),
                values: std::mem::take(&mut values),
            });
        }
        labels.push(col);
    }
    if !values.is_empty() {
        groups.push(Group { labels, values });
    }
    (groups.len() >= 2 && groups.iter().all(|g| !g.labels.is_empty())).then_some(groups)
}

fn read_group(columns: &Columns, body_row: &BodyRow, group: &Group, out: &mut Output) {
    let row = body_row.row;
    let mut code = String::new();
    let mut names = Vec::new();
    for &col in &group.labels {
        let cell = row.cell(col);
        if cell.is_empty() {
            continue;
        }
        match code_prefix(cell) {
            // 类 and 款 in columns of their own (`303 | 05`) or the whole code
            Some((digits, rest)) if rest.is_empty() => code.push_str(digits),
            Some((digits, rest)) if code.is_empty() && digits.len() >= 3 => {
                code.push_str(digits);
                names.push(rest.to_string());
            }
            _ => names.push(cell.to_string()),
        }
    }
    let key = RowKey {
        row: body_row.number,
        page: row.page,
        code,
        line: String::new(),
        item: clean_label(&names.join(" ")),
    };
    for &col in &group.values {
        out.cell(&key, columns, col, row.cell(col));
    }
}

/// A row of total labels: each label takes the first amount to its right.
fn read_total_row(ctx: &Context, columns: &Columns, body_row: &BodyRow, out: &mut Output) -> bool {
    let row = body_row.row;
    let line_at = |col: usize| {
        let normalised = normalise(row.cell(col));
        let label = strip_ordinals(&normalised).to_string();
        ctx.table
            .lines
            .iter()
            .find(|line| line.labels.contains(&label))
            .map(|line| line.key.clone())
    };
    let labelled: Vec<(usize, String)> = (0..row.cells.len())
        .filter_map(|c| line_at(c).map(|k| (c, k)))
        .collect();
    if labelled.is_empty() {
        return false;
    }
    for (i, (col, line)) in labelled.iter().enumerate() {
        let end = labelled.get(i + 1).map_or(row.cells.len(), |(c, _)| *c);
        let key = RowKey {
            row: body_row.number,
            page: row.page,
            code: String::new(),
            line: line.clone(),
            item: clean_label(row.cell(*col)),
        };
        if let Some(value_col) =
            (col + 1..end).find(|&c| columns.is_value(c) && !row.cell(c).is_empty())
        {
            out.cell(&key, columns, value_col, row.cell(value_col));
        }
    }
    true
}

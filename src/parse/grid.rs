//! Grids: (code, name, amount) groups side by side, as in the 决算
//! 一般公共预算财政拨款基本支出决算明细表 (人员经费 on the left, 公用经费 in
//! the middle and right groups).
//!
//! Groups start at each column headed 科目编码/编码. A total row
//! (人员经费合计 … 公用经费合计 …) gives each total label the first amount to
//! its right, wherever the printed span put it. A table with fewer than two
//! groups is an ordinary coded table (the budget layout of the same table).

use super::{code_prefix, coded, BodyRow, Columns, Context, Output, Role, RowKey};
use crate::text::{clean_label, normalise, strip_ordinals};

struct Group {
    code: usize,
    names: Vec<usize>,
    values: Vec<usize>,
}

pub(crate) fn read(ctx: &Context, columns: &Columns, body: &[BodyRow], out: &mut Output) {
    let groups = groups(columns);
    if groups.len() < 2 {
        return coded::read(ctx, columns, body, out);
    }
    for body_row in body {
        if read_total_row(ctx, columns, body_row, out) {
            continue;
        }
        for group in &groups {
            read_group(columns, body_row, group, out);
        }
    }
}

fn is_code_header(path: &[String]) -> bool {
    path.last()
        .is_some_and(|p| p.ends_with("编码") || p == "代码")
}

fn groups(columns: &Columns) -> Vec<Group> {
    let starts: Vec<usize> = (0..columns.width())
        .filter(|&c| is_code_header(&columns.paths[c]))
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            let end = starts.get(i + 1).copied().unwrap_or(columns.width());
            Group {
                code: start,
                names: (start + 1..end)
                    .filter(|&c| columns.roles[c] == Role::Label)
                    .collect(),
                values: (start + 1..end).filter(|&c| columns.is_value(c)).collect(),
            }
        })
        .collect()
}

fn read_group(columns: &Columns, body_row: &BodyRow, group: &Group, out: &mut Output) {
    let row = body_row.row;
    let code_cell = row.cell(group.code);
    let (code, inline_name) = match code_prefix(code_cell) {
        Some((code, rest)) if code.len() >= 3 => (code.to_string(), rest.to_string()),
        _ => (String::new(), code_cell.to_string()),
    };
    let names: Vec<&str> = group
        .names
        .iter()
        .map(|&c| row.cell(c))
        .filter(|c| !c.is_empty())
        .collect();
    let name = if names.is_empty() {
        inline_name
    } else {
        names.join(" ")
    };
    let key = RowKey {
        row: body_row.number,
        page: row.page,
        code,
        line: String::new(),
        item: clean_label(&name),
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
            .find(|line| line.labels.iter().any(|l| *l == label))
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

//! Coded tables: rows keyed by a classification code, amounts in columns.
//!
//! The label area is every column before the first value column. Codes are
//! read from its digit-only cells and assembled into the full code:
//! - one cell with the whole code (`2010350`) is used as is;
//! - codes split into 类/款/项 columns (`201 | 03 | 50`) are concatenated,
//!   and a row that prints only its lower parts (` | 03 | `) takes the
//!   missing upper parts from the row above it.
//!
//! The row's name is the text of the label area's other cells. A row whose
//! label is a total label (合计) gets the line key `total`.

use super::{code_prefix, BodyRow, Columns, Context, Output, RowKey};
use crate::model::{CodeKind, Issue};
use crate::text::clean_label;

pub(crate) fn read(ctx: &Context, columns: &Columns, body: &[BodyRow], out: &mut Output) {
    let label_headers = &ctx.patterns.report.label_headers;
    let Some(first_value) = columns.first_value() else {
        if body.iter().any(|b| has_numbers(b, columns)) {
            out.table_issue(Issue::error(
                "parse",
                "no amount column of the table's patterns found in its header: rows not read",
            ));
        }
        return;
    };
    // figures under a header no pattern names (本年支出台计 read by OCR)
    // end the label area: they are no part of a name
    let label_end = first_figures(columns, body, first_value);
    let columns = &out_of_line(columns, body, label_end, first_value);
    let code_columns = code_columns(body, label_end);
    let rows_are_units = rows_are_units(ctx, columns, first_value);
    // nothing before the figures but bands the layout drew
    let no_label_columns = (0..label_end).all(|c| columns.roles[c] == super::Role::Padding);
    // a table whose rows print names alone: its classes known by name
    let names_only = body.iter().all(|b| {
        let (parts, _) = label_area(b.row, label_end, &code_columns, label_headers, None);
        parts.iter().all(Option::is_none)
    });
    let mut previous = String::new();
    for (index, body_row) in body.iter().enumerate() {
        let row = body_row.row;
        let (parts, name) = label_area(
            row,
            label_end,
            &code_columns,
            label_headers,
            ctx.table.code_kind,
        );
        let mut code = assemble_code(&parts, &previous);
        if code.is_empty() && names_only && !ctx.is_total_label(&name) {
            code = super::class_named(ctx, &name).unwrap_or_default();
        }
        if !code.is_empty() {
            previous = code.clone();
        }
        // the total row, or a table that is one row of figures (合计 | 基本支出 | …)
        let line = if code.is_empty() && (ctx.is_total_label(&name) || no_label_columns) {
            "total"
        } else if code.is_empty()
            && index == 0
            && !name.is_empty()
            && codes_follow(body, label_end, &code_columns, label_headers)
        {
            // the first row, above every coded row, named by the body
            // instead of 合计 (深圳: 深圳市医疗保障局（本级）)
            "total"
        } else if code.is_empty() && rows_are_units && !name.is_empty() {
            crate::model::UNIT_LINE
        } else {
            ""
        };
        let key = RowKey {
            row: body_row.number,
            page: row.page,
            code,
            line: line.to_string(),
            item: name,
        };
        let mut any = false;
        for col in label_end..columns.width() {
            if columns.is_value(col) {
                any |= out.cell(&key, columns, col, row.cell(col));
            }
        }
        if any && key.code.is_empty() && key.line.is_empty() {
            let message = format!(
                "row {:?} has amounts but no code or total label",
                super::quoted(&key.item)
            );
            out.issue(Issue::warning("parse", message), &key);
        }
    }
}

/// The first column of the label area (before `first_value`, the first
/// column a pattern names) whose header no pattern names and whose cells
/// are figures, two at least, every one with its decimals (368.14: no
/// code, no row number): the figures begin there. `first_value` when
/// there is none.
fn first_figures(columns: &Columns, body: &[BodyRow], first_value: usize) -> usize {
    (0..first_value)
        .find(|&col| {
            matches!(columns.roles[col], super::Role::Unknown { .. }) && {
                let cells: Vec<&str> = body
                    .iter()
                    .map(|b| b.row.cell(col))
                    .filter(|c| !c.trim().is_empty())
                    .collect();
                cells.len() >= 2 && cells.iter().all(|c| crate::number::has_decimals(c))
            }
        })
        .unwrap_or(first_value)
}

/// The columns with figures before the first named one read under it
/// where they are that column printed out of line: a figure in one of
/// them never shares its row with one under the named column (pdftotext's
/// layout put the items' figures of a 机关运行经费 table a band to the left
/// of their total's). Figures beside the named column's in a row are a
/// column of their own, kept under their header as printed.
fn out_of_line(
    columns: &Columns,
    body: &[BodyRow],
    label_end: usize,
    first_value: usize,
) -> Columns {
    let mut columns = columns.clone();
    let filled = |b: &BodyRow, col: usize| !b.row.cell(col).trim().is_empty();
    for col in label_end..first_value {
        let apart = body
            .iter()
            .all(|b| !(filled(b, col) && filled(b, first_value)));
        if apart && body.iter().any(|b| filled(b, col)) {
            columns.roles[col] = columns.roles[first_value].clone();
        }
    }
    columns
}

/// Whether the label column is headed by a unit word (单位名称, 预算单位):
/// the rows are the body's units, not codes or named lines.
pub(crate) fn rows_are_units(ctx: &Context, columns: &Columns, first_value: usize) -> bool {
    let unit_words = &ctx.patterns.report.unit_row_words;
    (0..first_value).any(|col| {
        columns.paths[col]
            .iter()
            .any(|part| unit_words.iter().any(|w| part.contains(w.as_str())))
    })
}

/// Whether the rows after the first are keyed by codes (the first row of
/// such a table, without a code of its own, is their total).
fn codes_follow(
    body: &[BodyRow],
    first_value: usize,
    code_columns: &[usize],
    label_headers: &[String],
) -> bool {
    let coded = body
        .iter()
        .skip(1)
        .filter(|b| {
            let (parts, _) = label_area(b.row, first_value, code_columns, label_headers, None);
            parts.iter().any(Option::is_some)
        })
        .count();
    coded >= 2 && coded + 1 >= body.len()
}

/// Figures in a row outside its label columns (codes are not figures).
fn has_numbers(body_row: &BodyRow, columns: &Columns) -> bool {
    body_row
        .row
        .cells
        .iter()
        .enumerate()
        .filter(|(col, _)| !matches!(columns.roles.get(*col), Some(super::Role::Label)))
        .any(|(_, c)| crate::number::parse_value(c).is_some())
}

/// Columns of the label area that hold codes in some row.
fn code_columns(body: &[BodyRow], first_value: usize) -> Vec<usize> {
    (0..first_value)
        .filter(|&col| {
            body.iter().any(|b| {
                let cell = b.row.cell(col);
                !cell.is_empty()
                    && cell.chars().all(|c| c.is_ascii_digit())
                    && (2..=7).contains(&cell.len())
            })
        })
        .collect()
}

/// The code parts by code-column position, and the row's name, of the
/// classification the row is keyed by (see [`label_groups`]).
fn label_area(
    row: &crate::model::Row,
    first_value: usize,
    code_columns: &[usize],
    label_headers: &[String],
    kind: Option<CodeKind>,
) -> (Vec<Option<String>>, String) {
    let mut groups = label_groups(row, first_value, code_columns, label_headers);
    let first_digit =
        |parts: &[Option<String>]| parts.iter().flatten().next().and_then(|p| p.chars().next());
    let preferred: &[char] = match kind {
        Some(CodeKind::Function) => &['2'],
        Some(CodeKind::Economic) => &['3', '5'],
        None => &[],
    };
    let chosen = preferred
        .iter()
        .find_map(|digit| {
            groups
                .iter()
                .position(|(parts, _)| first_digit(parts) == Some(*digit))
        })
        .unwrap_or(0);
    let (parts, name) = groups.remove(chosen);
    // the other classification stays in the row's name, code and all
    let others = groups.into_iter().map(|(parts, name)| {
        let code: String = parts.into_iter().flatten().collect();
        format!("{code}{name}")
    });
    let name = std::iter::once(name)
        .chain(others)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (parts, name)
}

/// The codes a row's label area prints, each with its parts and its name.
/// Most rows print one; an economic table may print two classifications
/// side by side (部门预算支出经济分类 301 01 | 基本工资 beside 政府预算支出经济
/// 分类 501 01 | 工资奖金津补贴, or 50101-工资奖金津补贴 | 30101-基本工资):
/// a new group starts at a 类 (three digits) after a code was read, or at a
/// code printed with its name once one was. [`label_area`] keys the row by
/// the table's own classification: a function code (2…) in a table by
/// function class, else the 部门 economic classification (3…), the one the
/// tables' rules and the rest of the report speak of.
/// Header words (类, 款, 项) that share a row with the total label are not
/// part of the name.
fn label_groups(
    row: &crate::model::Row,
    first_value: usize,
    code_columns: &[usize],
    label_headers: &[String],
) -> Vec<(Vec<Option<String>>, String)> {
    let width = code_columns.len().max(1);
    let mut groups: Vec<(Vec<Option<String>>, Vec<String>)> = vec![(vec![None; width], Vec::new())];
    // the code column a group's 类 stands in: its parts are counted from there
    let mut base = 0;
    for col in 0..first_value {
        let cell = row.cell(col);
        if cell.is_empty() || label_headers.contains(&crate::text::normalise(cell)) {
            continue;
        }
        let has_code = |groups: &[(Vec<Option<String>>, Vec<String>)]| {
            groups
                .last()
                .is_some_and(|(parts, _)| parts.iter().any(Option::is_some))
        };
        if let Some(position) = code_columns.iter().position(|&c| c == col) {
            if cell.chars().all(|c| c.is_ascii_digit()) {
                if position > base && cell.len() == 3 && has_code(&groups) {
                    groups.push((vec![None; width], Vec::new()));
                    base = position;
                }
                // a 款 or 项 printed without its leading zero (Excel drops it: 2 for 02)
                let part = if position > base && cell.len() == 1 {
                    format!("0{cell}")
                } else {
                    cell.to_string()
                };
                let (parts, _) = groups.last_mut().expect("one group at least");
                parts[position.saturating_sub(base)] = Some(part);
                continue;
            }
        }
        match code_prefix(cell) {
            // a code with its name in one cell
            Some((code, rest))
                if code.len() >= 3
                    && (!has_code(&groups) || rest.starts_with(crate::text::is_han)) =>
            {
                if has_code(&groups) {
                    groups.push((vec![None; width], Vec::new()));
                    base = 0;
                }
                let (parts, names) = groups.last_mut().expect("one group at least");
                parts[0] = Some(code.to_string());
                if !rest.is_empty() {
                    names.push(rest.to_string());
                }
            }
            _ => groups
                .last_mut()
                .expect("one group at least")
                .1
                .push(cell.to_string()),
        }
    }
    groups
        .into_iter()
        .map(|(parts, names)| (parts, clean_label(&names.join(" "))))
        .collect()
}

/// Assemble the full code from positional parts (类, 款, 项), filling
/// missing upper parts from the previous row's code.
fn assemble_code(parts: &[Option<String>], previous: &str) -> String {
    let present: Vec<&String> = parts.iter().flatten().collect();
    match present.as_slice() {
        [] => return String::new(),
        [only] if parts[0].is_some() => return only.to_string(),
        _ => {}
    }
    let upper_lengths = [3usize, 2, 2];
    let mut code = String::new();
    let mut offset = 0;
    for (position, part) in parts.iter().enumerate() {
        let later_present = parts[position + 1..].iter().any(Option::is_some);
        match part {
            Some(part) => code.push_str(part),
            None if later_present => {
                let len = upper_lengths.get(position).copied().unwrap_or(2);
                match previous.get(offset..offset + len) {
                    Some(inherited) => code.push_str(inherited),
                    None => return String::new(),
                }
            }
            None => break,
        }
        offset = code.len();
    }
    code
}

#[cfg(test)]
mod tests {
    use super::assemble_code;

    fn parts(list: &[&str]) -> Vec<Option<String>> {
        list.iter()
            .map(|p| (!p.is_empty()).then(|| p.to_string()))
            .collect()
    }

    #[test]
    fn whole_and_split_codes() {
        assert_eq!(assemble_code(&parts(&["2010350", "", ""]), ""), "2010350");
        assert_eq!(assemble_code(&parts(&["201", "03", "50"]), ""), "2010350");
        assert_eq!(assemble_code(&parts(&["201", "03", ""]), ""), "20103");
        assert_eq!(assemble_code(&parts(&["201", "", ""]), ""), "201");
    }

    #[test]
    fn missing_upper_parts_come_from_the_row_above() {
        assert_eq!(assemble_code(&parts(&["", "03", ""]), "201"), "20103");
        assert_eq!(assemble_code(&parts(&["", "", "50"]), "20103"), "2010350");
        assert_eq!(assemble_code(&parts(&["", "", "99"]), "2010350"), "2010399");
        assert_eq!(
            assemble_code(&parts(&["", "05", "02"]), "2089999"),
            "2080502"
        );
        assert_eq!(assemble_code(&parts(&["", "05", ""]), ""), "");
    }
}

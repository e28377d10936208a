//! Tables of named lines: the two-sided summaries (收入 | 支出) and the
//! single-sided line tables (the 三公 table).
//!
//! A row's label is matched after normalisation and with its ordinal
//! (一、, 1、, (1), 其中:) stripped. Lines with a `parent` match only while
//! the parent is the last top-level line of that side (年初结转和结余 →
//! 一般公共预算财政拨款 is a different line from 一、一般公共预算财政拨款).
//! Lines marked `function_class` match any functional class name and carry
//! the class code.

use super::{BodyRow, Columns, Context, Output, Role, RowKey};
use crate::model::Issue;
use crate::patterns::LinePattern;
use crate::text::{clean_label, normalise, strip_ordinals};

/// A matched line: its key and, for functional classes, the class code.
struct LineMatch {
    key: String,
    code: String,
    top_level: bool,
}

fn label_matches(line: &LinePattern, label: &str) -> bool {
    line.labels.iter().any(|l| l == label) || line.regex.as_ref().is_some_and(|r| r.is_match(label))
}

/// Does the label name any line of the table (used to find the first body row)?
pub(crate) fn match_any_line(ctx: &Context, label: &str) -> bool {
    !label.is_empty()
        && ctx.table.lines.iter().any(|line| {
            label_matches(line, label)
                || (line.function_class && ctx.patterns.function_class(label).is_some())
        })
}

/// Match a label among the lines whose key starts with `prefix`, children of
/// `parent` first; a line with `after` only once that line is in `seen`.
fn match_line(
    ctx: &Context,
    label: &str,
    prefix: &str,
    parent: Option<&str>,
    seen: &[String],
) -> Option<LineMatch> {
    if label.is_empty() {
        return None;
    }
    let in_side = |line: &&LinePattern| {
        line.key.starts_with(prefix) && line.after.as_ref().is_none_or(|after| seen.contains(after))
    };
    if let Some(parent) = parent {
        let child = ctx
            .table
            .lines
            .iter()
            .filter(in_side)
            .find(|line| line.parent.as_deref() == Some(parent) && label_matches(line, label));
        if let Some(line) = child {
            return Some(LineMatch {
                key: line.key.clone(),
                code: String::new(),
                top_level: false,
            });
        }
    }
    for line in ctx
        .table
        .lines
        .iter()
        .filter(in_side)
        .filter(|l| l.parent.is_none())
    {
        if label_matches(line, label) {
            return Some(LineMatch {
                key: line.key.clone(),
                code: String::new(),
                top_level: true,
            });
        }
        if line.function_class {
            if let Some(code) = ctx.patterns.function_class(label) {
                return Some(LineMatch {
                    key: line.key.clone(),
                    code: code.to_string(),
                    top_level: true,
                });
            }
        }
    }
    None
}

/// One side of a line table: its label column(s) and its value columns.
struct Side {
    prefix: String,
    labels: Vec<usize>,
    /// The label columns are one label the layout cut in two (found by
    /// their names, not their header): their texts are read joined.
    joined: bool,
    values: Vec<usize>,
    parent: Option<String>,
    seen: Vec<String>,
}

pub(crate) fn read_two_sided(ctx: &Context, columns: &Columns, body: &[BodyRow], out: &mut Output) {
    let headed: Vec<Vec<usize>> = (0..columns.width())
        .filter(|&c| columns.roles[c] == Role::Label)
        .map(|c| vec![c])
        .collect();
    // a side whose 项目 was misread (|人项目, 项上有名称) is found by its
    // names, among sides found by their headers or alone; so is a label
    // the layout cut in two beside its header's column (、节能环保支出 set
    // right of its column when a scan lost the 十 of 十、)
    let runs = label_runs(columns, body);
    let found_by_names = runs
        .iter()
        .flatten()
        .any(|&c| columns.roles[c] != Role::Label);
    let joined = headed.len() < 2 || (found_by_names && runs.len() >= headed.len());
    let label_columns = if joined { runs } else { headed };
    if label_columns.len() < 2 {
        let message = format!(
            "expected a label (项目) column for each side of a two-sided table, found {}",
            label_columns.len()
        );
        out.table_issue(Issue::error("parse", message));
        return;
    }
    // a third side (Jiangsu: income | by function | by kind) reads as the last named side
    let last_side = ctx.table.sides.len() - 1;
    let mut sides: Vec<Side> = label_columns
        .iter()
        .enumerate()
        .map(|(i, labels)| {
            let end = label_columns
                .get(i + 1)
                .map_or(columns.width(), |next| next[0]);
            let last_label = *labels.last().expect("a run holds a column");
            Side {
                prefix: format!("{}.", ctx.table.sides[i.min(last_side)]),
                labels: labels.clone(),
                joined,
                values: (last_label + 1..end)
                    .filter(|&c| columns.is_value(c))
                    .collect(),
                parent: None,
                seen: Vec::new(),
            }
        })
        .collect();
    let columns = &mirrored(columns, &sides);
    for body_row in body {
        // a label whose figures the printer put under the next side's columns
        // (当年支出小计 | | | 13,377.11) keeps them
        let mut pending: Option<RowKey> = None;
        for side in &mut sides {
            let (key, any) = read_side(ctx, columns, body_row, side, out, pending.take());
            if !any && !key.line.is_empty() {
                pending = Some(key);
            }
        }
    }
}

/// The columns with a side's value column whose header no pattern names
/// (金额 read as 金马 by OCR) keyed as the other side's column in the same
/// place, when the sides print as many value columns (项目 | 行次 | 金额 on
/// each side of a 收入支出决算总表).
fn mirrored(columns: &Columns, sides: &[Side]) -> Columns {
    let mut mirrored = columns.clone();
    for side in sides {
        for (place, &col) in side.values.iter().enumerate() {
            if !matches!(mirrored.roles[col], Role::Unknown { .. }) {
                continue;
            }
            let twin = sides
                .iter()
                .filter(|other| other.values.len() == side.values.len())
                .map(|other| &columns.roles[other.values[place]])
                .find(|role| matches!(role, Role::Value { .. }));
            if let Some(role) = twin {
                mirrored.roles[col] = role.clone();
            }
        }
    }
    mirrored
}

/// The label columns of a two-sided table whose 项目 over one side was
/// misread (|人项目 in a worn scan): the columns headed 项目 and those whose
/// header no pattern names but whose cells are all names, never a figure
/// (一、一般公共预算财政 | 拨款: a label the layout cut in two), each run of
/// adjacent ones a side's labels.
fn label_runs(columns: &Columns, body: &[BodyRow]) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for col in 0..columns.width() {
        // a run goes on with one name; a new one needs two
        let continues = runs.last().and_then(|run| run.last()) == Some(&col.wrapping_sub(1));
        let is_label = match &columns.roles[col] {
            Role::Label => true,
            Role::Unknown { .. } => names_only(body, col) >= if continues { 1 } else { 2 },
            _ => false,
        };
        if !is_label {
            continue;
        }
        match runs.last_mut() {
            Some(run) if continues => run.push(col),
            _ => runs.push(vec![col]),
        }
    }
    runs
}

/// How many names a column's cells hold, 0 when one holds a figure.
fn names_only(body: &[BodyRow], col: usize) -> usize {
    let mut names = 0;
    for body_row in body {
        match crate::number::parse_amount(body_row.row.cell(col)) {
            crate::number::Amount::Empty => {}
            crate::number::Amount::NotANumber => names += 1,
            _ => return 0,
        }
    }
    names
}

pub(crate) fn read_lines(ctx: &Context, columns: &Columns, body: &[BodyRow], out: &mut Output) {
    let first_value = columns.first_value();
    // a column of figures before the first known one (合计 beside the
    // funds, 广州 三公 table) is no label column
    let holds_text = |c: &usize| {
        body.iter().any(|b| {
            let cell = b.row.cell(*c);
            !cell.trim().is_empty() && crate::number::parse_value(cell).is_none()
        })
    };
    let labels: Vec<usize> = match first_value {
        Some(first) if (0..first).filter(holds_text).count() > 0 => {
            let text: Vec<usize> = (0..first).filter(holds_text).collect();
            let last = *text.last().expect("one text column");
            (0..=last).collect()
        }
        Some(first) if first > 0 => (0..first).collect(),
        _ => vec![(0..columns.width())
            .find(|&c| columns.roles[c] == Role::Label)
            .unwrap_or(0)],
    };
    let value_start = labels.last().map_or(0, |l| l + 1);
    let mut side = Side {
        prefix: String::new(),
        labels: labels.clone(),
        joined: false,
        values: (value_start..columns.width())
            .filter(|&c| columns.is_value(c))
            .collect(),
        parent: None,
        seen: Vec::new(),
    };
    // rows named by a line of the table (a 合计 row alone does not make a
    // table of units with its lines as columns one of named rows)
    let named_rows = body
        .iter()
        .filter(|b| {
            let label = row_label(b.row, &labels).1;
            !ctx.is_total_label(&label) && match_line(ctx, &label, "", None, &[]).is_some()
        })
        .count();
    if named_rows == 0 && (0..columns.width()).any(|c| column_line(ctx, columns, c).is_some()) {
        return read_transposed(ctx, columns, body, out);
    }
    if first_value.is_none() && !body.is_empty() {
        out.table_issue(Issue::error(
            "parse",
            "no amount column of the table's patterns found in its header: rows not read",
        ));
        return;
    }
    for body_row in body {
        read_side(ctx, columns, body_row, &mut side, out, None);
    }
}

/// A row's label from its label columns: the most specific text, that is
/// the last non-empty cell unless it is only a subtotal word (一般公共预算资金 |
/// 小计 → 一般公共预算资金). Returns the printed and the matching form.
fn row_label(row: &crate::model::Row, labels: &[usize]) -> (String, String) {
    let texts: Vec<&str> = labels
        .iter()
        .map(|&c| row.cell(c))
        .filter(|t| !t.is_empty())
        .collect();
    let chosen = match texts.as_slice() {
        [] => "",
        [.., last] if !matches!(normalise(last).as_str(), "小计" | "合计") => last,
        [first, ..] => first,
    };
    let normalised = normalise(chosen);
    (chosen.to_string(), strip_ordinals(&normalised).to_string())
}

/// A row's label cut over `labels` by the layout, joined: as printed, and
/// normalised without its ordinal.
fn joined_label(row: &crate::model::Row, labels: &[usize]) -> (String, String) {
    let printed: String = labels.iter().map(|&c| row.cell(c).trim()).collect();
    let normalised = normalise(&printed);
    let label = strip_ordinals(&normalised).to_string();
    (printed, label)
}

/// The line a column stands for in a table printed with its lines as
/// columns: the deepest header part naming a line (合计 / 公务用车购置费 under
/// 公务用车购置及运行费), with its printed form; or, for a 小计 under a group
/// no line is named by, the group's own line ([`group_line`]).
fn column_line(ctx: &Context, columns: &Columns, col: usize) -> Option<(String, String)> {
    named_line(ctx, columns, col).or_else(|| group_line(ctx, columns, col))
}

/// The deepest header part of a column naming a line, with its printed form.
fn named_line(ctx: &Context, columns: &Columns, col: usize) -> Option<(String, String)> {
    columns.paths[col].iter().rev().find_map(|part| {
        let label = strip_ordinals(part);
        match_line(ctx, label, "", None, &[])
            .map(|m| (m.key, part.clone()))
            .or_else(|| {
                ctx.is_total_label(label)
                    .then(|| ("total".to_string(), part.clone()))
            })
    })
}

/// The line of a 小计 column under a group whose header names no line (a
/// scan's 1公经费 for “三公”经费): the one line the table's sums
/// (`line_sums`) make of lines the group's other columns name, that no
/// column names already — 因公出国(境)费, 公务用车…, 公务接待费 under the
/// group sum to `three_public` and to `total`, and 合计 beside the group is
/// `total`. Its printed form is the group's header.
fn group_line(ctx: &Context, columns: &Columns, col: usize) -> Option<(String, String)> {
    let (last, group) = columns.paths[col].split_last()?;
    if group.is_empty() || normalise(last) != "小计" {
        return None;
    }
    let (mut inside, mut outside) = (Vec::new(), Vec::new());
    for c in (0..columns.width()).filter(|&c| c != col) {
        if let Some((line, _)) = named_line(ctx, columns, c) {
            if columns.paths[c].starts_with(group) {
                inside.push(line);
            } else {
                outside.push(line);
            }
        }
    }
    let mut totals: Vec<&String> = ctx
        .table
        .line_sums
        .iter()
        .filter(|sum| sum.parts.iter().all(|part| inside.contains(part)))
        .map(|sum| &sum.total)
        .filter(|total| !inside.contains(total) && !outside.contains(total))
        .collect();
    totals.sort();
    totals.dedup();
    match totals.as_slice() {
        [total] => Some(((*total).clone(), group[group.len() - 1].clone())),
        _ => None,
    }
}

/// The column a header above a line's column names (预算数 over 合计 |
/// 因公出国(境)费 …), in a table printed with its lines as columns.
fn column_above<'c>(ctx: &'c Context, columns: &Columns, col: usize) -> Option<&'c str> {
    let path = &super::relative_path(&columns.paths[col], ctx.year);
    (1..path.len())
        .rev()
        .find_map(|end| ctx.table.column_for(&path[..end]))
        .map(|column| column.key.as_str())
}

/// Lines as columns: each value column's header names its line, the body
/// row(s) hold the figures.
/// A column whose header names a line but no value column takes the
/// table's implied column for the report kind (合计 | "三公"经费 … over one
/// row of budget figures).
fn read_transposed(ctx: &Context, columns: &Columns, body: &[BodyRow], out: &mut Output) {
    let implied = ctx.table.implied_column(ctx.report);
    let units = rows_are_units(ctx, columns);
    for body_row in body {
        let qualifier = row_column(ctx, columns, body_row.row);
        // a row of one of the body's units (杭州 表7: 杭州市东郊监狱 | 89.60 …):
        // its figures are the unit's lines, not the table's
        // (a row named by its year is the year's, whoever's it is: 深圳
        // prints its one unit's name beside the first year)
        let unit = (units && qualifier.is_none())
            .then(|| row_name(columns, body_row.row))
            .flatten()
            .filter(|name| !ctx.is_total_label(&normalise(name)));
        for col in 0..columns.width() {
            let (line, item) = column_line(ctx, columns, col).unwrap_or_default();
            let (line, item) = match &unit {
                Some(name) if !line.is_empty() => {
                    (format!("unit.{line}"), format!("{name} {item}"))
                }
                _ => (line, item),
            };
            let key = RowKey {
                row: body_row.number,
                page: body_row.row.page,
                code: String::new(),
                line,
                item,
            };
            if key.line.is_empty() {
                // figures under a header that names no line: kept, and said so
                if !columns.is_value(col)
                    || crate::number::parse_value(body_row.row.cell(col)).is_none()
                {
                    continue;
                }
                let path = columns.paths[col].join("/");
                let message = format!("column {} ({path:?}) names no line of the table's patterns: its facts have an empty line key", col + 1);
                out.issue(Issue::warning("parse", message), &key);
            }
            let text = body_row.row.cell(col);
            let column = match (
                &columns.roles[col],
                column_above(ctx, columns, col),
                implied,
            ) {
                (Role::Value { key, .. }, _, _) => Some(key.as_str()),
                // 2025年预算数 / 2026年预算数 over the same lines: the group
                // names the column
                (_, Some(column), _) | (_, None, Some(column)) => Some(column),
                _ => None,
            };
            let Some(column) = column else { continue };
            let final_column = qualified(ctx, qualifier.as_deref(), column);
            match &columns.roles[col] {
                Role::Value { key: own, .. } if *own == final_column => {
                    out.cell(&key, columns, col, text);
                }
                _ => {
                    out.cell_as(&key, columns, col, text, &final_column);
                }
            }
        }
    }
}

/// The column a row of a sideways table stands for, by its label: a year
/// (2026年 this year's, 2025年 the year before's budget in a budget) or a
/// column's own header (增减变化金额) — 深圳 prints its 三公 table with the
/// lines as columns and a row per year.
fn row_column(ctx: &Context, columns: &Columns, row: &crate::model::Row) -> Option<String> {
    let labels = (0..columns.width()).filter(|&c| !matches!(columns.roles[c], Role::Value { .. }));
    for col in labels {
        let text = normalise(row.cell(col));
        if text.is_empty() || crate::number::parse_value(&text).is_some() {
            continue;
        }
        if let Some(year) = year_label(&text) {
            let this_year = ctx.year?;
            if year == this_year {
                return ctx.table.implied_column(ctx.report).map(str::to_string);
            }
            let before =
                ctx.report == Some(crate::model::ReportKind::Budget) && year + 1 == this_year;
            return before
                .then(|| ctx.table.column_for(&["上年预算数".to_string()]))
                .flatten()
                .map(|c| c.key.clone());
        }
        if let Some(column) = ctx.table.column_for(std::slice::from_ref(&text)) {
            return Some(column.key.clone());
        }
    }
    None
}

/// Whether the label column of a sideways table is headed by a unit word
/// (单位名称): its rows are the body's units.
fn rows_are_units(ctx: &Context, columns: &Columns) -> bool {
    let words = &ctx.patterns.report.unit_row_words;
    (0..columns.width())
        .filter(|&c| !matches!(columns.roles[c], Role::Value { .. }))
        .any(|c| {
            columns.paths[c]
                .iter()
                .any(|part| words.iter().any(|w| part.contains(w.as_str())))
        })
}

/// The text a row prints outside its value columns (its name).
fn row_name(columns: &Columns, row: &crate::model::Row) -> Option<String> {
    (0..columns.width())
        .filter(|&c| !matches!(columns.roles[c], Role::Value { .. }))
        .map(|c| row.cell(c).trim())
        .find(|t| !t.is_empty() && crate::number::parse_value(t).is_none())
        .map(clean_label)
}

/// `2026年`, `2026年度`: the year a row label names.
fn year_label(text: &str) -> Option<u16> {
    let digits = text
        .strip_suffix("年度")
        .or_else(|| text.strip_suffix('年'))?;
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

/// A cell's column under its row's column: the row's own where the cell's
/// is the table's implied one, `row.cell` where the table has that key
/// (prior_budget.gpb), the cell's own where the row is this year's.
fn qualified(ctx: &Context, row: Option<&str>, column: &str) -> String {
    let implied = ctx.table.implied_column(ctx.report);
    let Some(row) = row.filter(|r| Some(*r) != implied) else {
        return column.to_string();
    };
    if Some(column) == implied {
        return row.to_string();
    }
    let combined = format!("{row}.{column}");
    if ctx.table.columns.iter().any(|c| c.key == combined) {
        combined
    } else {
        row.to_string()
    }
}

/// Read one side of a row; returns its key and whether it held figures.
fn read_side(
    ctx: &Context,
    columns: &Columns,
    body_row: &BodyRow,
    side: &mut Side,
    out: &mut Output,
    pending: Option<RowKey>,
) -> (RowKey, bool) {
    let row = body_row.row;
    let (printed, label) = if side.joined {
        joined_label(row, &side.labels)
    } else {
        row_label(row, &side.labels)
    };
    let matched = match_line(
        ctx,
        &label,
        &side.prefix,
        side.parent.as_deref(),
        &side.seen,
    );
    if let Some(m) = matched.as_ref() {
        side.seen.push(m.key.clone());
        if m.top_level {
            side.parent = Some(m.key.clone());
        }
    }
    let key = match (&matched, pending) {
        (None, Some(pending)) if label.is_empty() => pending,
        _ => RowKey {
            row: body_row.number,
            page: row.page,
            code: matched
                .as_ref()
                .map(|m| m.code.clone())
                .or_else(|| {
                    // a coded table read as lines: a class named as printed
                    (ctx.table.shape == crate::patterns::Shape::Coded)
                        .then(|| super::class_named(ctx, &label))
                        .flatten()
                })
                .unwrap_or_default(),
            line: matched.as_ref().map(|m| m.key.clone()).unwrap_or_default(),
            item: clean_label(&printed.replace('\n', "")),
        },
    };
    let mut any = false;
    let implied = ctx.table.implied_column(ctx.report);
    for &col in &side.values {
        any |= match (&columns.roles[col], implied) {
            // figures under a header no pattern names: the table's implied
            // column for the report kind (合计 of a 三公 budget table)
            (Role::Unknown { .. }, Some(column)) => {
                out.cell_as(&key, columns, col, row.cell(col), column)
            }
            _ => out.cell(&key, columns, col, row.cell(col)),
        };
    }
    if any && key.line.is_empty() && key.code.is_empty() {
        let message = format!(
            "line {:?} is not in the table's patterns: its facts have an empty line key",
            super::quoted(&key.item)
        );
        out.issue(Issue::warning("parse", message), &key);
    }
    (key, any)
}

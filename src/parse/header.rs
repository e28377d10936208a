//! Reading a table's header: one path of labels per column (a spanning
//! header such as 本年支出 over 小计/基本支出/项目支出 gives the paths
//! `本年支出/小计` …), and each column's role — a label, a row number, a
//! value column with the key of its pattern column (by the group above it,
//! its whole path, or how it ends), padding the layout drew, or a header no
//! pattern names.

use super::{BodyRow, Context};
use crate::model::Row;
use crate::text::{clean_label, normalise};

/// What a column holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Role {
    /// Codes or names.
    Label,
    /// 行次: row numbers, not money; or words beside the figures
    /// (`text_headers`: 绩效目标).
    RowNumber,
    /// Amounts under a known column key.
    Value { key: String, label: String },
    /// A header no pattern names (its label as printed; may be empty).
    Unknown { label: String },
    /// No header and no cell in any row as wide as the table: a band the
    /// layout drew between ruled lines, not a column of the printed table.
    Padding,
}

#[derive(Clone)]
pub(crate) struct Columns {
    pub roles: Vec<Role>,
    /// Normalised header path of each column.
    pub paths: Vec<Vec<String>>,
}

impl Columns {
    pub fn width(&self) -> usize {
        self.roles.len()
    }

    pub fn is_value(&self, col: usize) -> bool {
        matches!(
            self.roles.get(col),
            Some(Role::Value { .. }) | Some(Role::Unknown { .. })
        )
    }

    pub fn first_value(&self) -> Option<usize> {
        self.roles
            .iter()
            .position(|r| matches!(r, Role::Value { .. }))
    }
}

pub(super) fn read_header(ctx: &Context, header: &[&Row], body: &[BodyRow]) -> Columns {
    let width = header
        .iter()
        .map(|r| r.cells.len())
        .chain(body.iter().map(|b| b.row.cells.len()))
        .max()
        .unwrap_or(0);
    let grid: Vec<Vec<String>> = header
        .iter()
        .map(|row| (0..width).map(|c| normalise(row.cell(c))).collect())
        .collect();
    let printed: Vec<Vec<String>> = header
        .iter()
        .map(|row| {
            (0..width)
                .map(|c| clean_label(&row.cell(c).replace('\n', "")))
                .collect()
        })
        .collect();
    let (paths, labels) = header_paths(&grid, &printed, width);
    let full_width_rows = has_full_width_rows(body, width);
    let roles = paths
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(col, (path, label))| match role_for(ctx, path, label) {
            // a band empty in every row as wide as the table: what a
            // continuation page laid on its own narrower grid prints there
            // is put on the table's columns (`widen`), not read in it
            Role::Unknown { .. }
                if path.is_empty() && full_width_rows && is_padding(body, col, width) =>
            {
                Role::Padding
            }
            // whatever its header says: a code is never an amount
            Role::Value { .. } | Role::Unknown { .. } if holds_names_and_codes(body, col) => {
                Role::Label
            }
            // whatever its header says (a scan garbles it): numbers that
            // count the rows are never amounts
            Role::Value { .. } | Role::Unknown { .. } if numbers_the_rows(body, col) => {
                Role::RowNumber
            }
            Role::Unknown { .. } if path.is_empty() && is_padding(body, col, width) => {
                Role::Padding
            }
            role => role,
        })
        .collect();
    Columns { roles, paths }
}

/// In a table keyed by codes, a row printed by name alone (杭州 表6:
/// 工资福利支出, 商品和服务支出 …) that names a class as the classification
/// does takes the class's code.
pub(crate) fn class_named(ctx: &Context, label: &str) -> Option<String> {
    if label.is_empty() {
        return None;
    }
    let kind = ctx.table.code_kind?.as_str();
    ctx.patterns
        .classification
        .class_code(kind, label, ctx.year)
        .map(str::to_string)
}

/// A header path with its years read as 本年 / 上年 (see [`relative_year`]).
pub(crate) fn relative_path(path: &[String], year: Option<u16>) -> Vec<String> {
    path.iter().map(|part| relative_year(part, year)).collect()
}

/// A header naming the report's year or the year before it (2026年预算数,
/// 2025年预算数 in a 2026 budget) says 本年 / 上年: the words the patterns
/// know, whatever the year. Other years, and headers without one, stay.
fn relative_year(header: &str, year: Option<u16>) -> String {
    let (Some(year), Some((printed, rest))) = (year, header.split_once('年')) else {
        return header.to_string();
    };
    let Ok(printed) = printed.parse::<u16>() else {
        return header.to_string();
    };
    if printed.to_string().len() != 4 || rest.is_empty() || rest.starts_with('度') {
        return header.to_string();
    }
    if printed == year {
        format!("本年{rest}")
    } else if printed + 1 == year {
        format!("上年{rest}")
    } else {
        header.to_string()
    }
}

/// Whether some body row is as wide as the table (else every row was laid
/// on a grid of its own and no column can be told a band).
fn has_full_width_rows(body: &[BodyRow], width: usize) -> bool {
    body.iter().any(|b| b.row.cells.len() >= width)
}

/// No row as wide as the table prints a word or figure in the column
/// (narrower rows, of a page the layout drew without the band, are not
/// counted; marks without a letter, digit or character — `||`, a rule's
/// edge read by OCR — are no print).
fn is_padding(body: &[BodyRow], col: usize, width: usize) -> bool {
    body.iter()
        .filter(|b| b.row.cells.len() >= width)
        .all(|b| !b.row.cell(col).chars().any(char::is_alphanumeric))
}

/// A column whose cells are names (教育支出, 合计) and, for figures, only
/// numbers shaped like classification codes (205, 20502, 2050205) is the
/// label column, wherever the header put it: a page that prints only the
/// codes and names of a table (a template, a table left empty) has no
/// amounts. One real amount in the column, or no name, keeps it a value
/// column.
fn holds_names_and_codes(body: &[BodyRow], col: usize) -> bool {
    let (mut names, mut codes) = (0, 0);
    for body_row in body {
        let cell = body_row.row.cell(col);
        match crate::number::parse_amount(cell) {
            crate::number::Amount::Empty => {}
            crate::number::Amount::Value(_) if is_code_shaped(cell) => codes += 1,
            crate::number::Amount::Value(_) | crate::number::Amount::TooLarge => return false,
            crate::number::Amount::NotANumber => names += 1,
        }
    }
    names > 0 && codes > 0
}

/// A column whose cells count the rows (行次, 栏次, 序号: 1, 2, 3 …):
/// at least [`MIN_ROW_NUMBERS`] cells, nearly every one (all but one in
/// four) a whole number without separators or decimals that is the one
/// before it plus one — a number misread by OCR (18 as 13, 10 as 1O) does
/// not make the column amounts. An amount column never runs so: amounts
/// carry their decimals, and no table's amounts go 1, 2, 3 … row by row.
fn numbers_the_rows(body: &[BodyRow], col: usize) -> bool {
    let numbers: Vec<Option<u32>> = body
        .iter()
        .map(|b| b.row.cell(col).trim())
        .filter(|cell| !cell.is_empty())
        .map(|cell| {
            (cell.len() <= 3 && cell.chars().all(|c| c.is_ascii_digit()))
                .then(|| cell.parse().ok())
                .flatten()
        })
        .collect();
    let steps = numbers
        .windows(2)
        .filter(|w| matches!((w[0], w[1]), (Some(a), Some(b)) if b == a + 1))
        .count();
    numbers.len() >= MIN_ROW_NUMBERS && steps * 4 >= (numbers.len() - 1) * 3
}

/// The fewest row numbers that make a column of them.
const MIN_ROW_NUMBERS: usize = 3;

/// Digits alone, as many as a 类 (3), 款 (5) or 项 (7) code has, starting
/// as functional (2…) or economic (3…, 5…) codes do.
pub(super) fn is_code_shaped(cell: &str) -> bool {
    matches!(cell.len(), 3 | 5 | 7)
        && cell.chars().all(|c| c.is_ascii_digit())
        && crate::model::CodeKind::from_code(cell).is_some()
}

/// The header path of every column, top to bottom, and its printed label
/// (the deepest part). An empty cell under a spanning header takes the
/// spanning text when every column of the span has a sub-header below and
/// the columns share the same path so far (a cell under a vertically merged
/// header such as 公务接待费 does not take its left neighbour's text).
fn header_paths(
    grid: &[Vec<String>],
    printed: &[Vec<String>],
    width: usize,
) -> (Vec<Vec<String>>, Vec<String>) {
    let mut paths: Vec<Vec<String>> = vec![Vec::new(); width];
    let mut labels = vec![String::new(); width];
    for (r, row) in grid.iter().enumerate() {
        let before = paths.clone();
        for col in 0..width {
            if !row[col].is_empty() {
                paths[col].push(row[col].clone());
                labels[col] = printed[r][col].clone();
                continue;
            }
            let Some(left) = (0..col).rev().find(|&j| !row[j].is_empty()) else {
                continue;
            };
            let spans =
                (left..=col).all(|k| grid[r + 1..].iter().any(|lower| !lower[k].is_empty()));
            if spans && before[left] == before[col] {
                paths[col].push(row[left].clone());
            }
        }
    }
    (paths, labels)
}

fn role_for(ctx: &Context, path: &[String], label: String) -> Role {
    let path = &relative_path(path, ctx.year);
    let Some(last) = path.last() else {
        return Role::Unknown { label };
    };
    let report = &ctx.patterns.report;
    if report.row_number_headers.contains(last) || report.text_headers.contains(last) {
        return Role::RowNumber;
    }
    if let Some(key) = ctx.table.grouped_column_key(path) {
        return Role::Value { key, label };
    }
    if let Some(column) = ctx.table.column_for(path) {
        return Role::Value {
            key: column.key.clone(),
            label,
        };
    }
    if report.label_headers.contains(last) {
        return Role::Label;
    }
    // a header cell holding two stacked headers whose dividing line was not
    // drawn (功能分类功能科目名称): go by how it ends
    if report
        .label_headers
        .iter()
        .any(|h| h.chars().count() >= 2 && last.ends_with(h.as_str()))
    {
        return Role::Label;
    }
    if let Some(column) = ctx.table.column_ending(last) {
        return Role::Value {
            key: column.key.clone(),
            label,
        };
    }
    // a header wrapped over cells of several rows (一般公共预算财 / 政拨款):
    // go by how the whole path ends
    let joined: String = path.concat();
    if let Some(column) = ctx.table.column_ending(&joined) {
        let printed = column
            .labels
            .iter()
            .filter(|l| l.len() == 1 && joined.ends_with(l[0].as_str()))
            .map(|l| l[0].clone())
            .max_by_key(String::len)
            .unwrap_or(joined);
        return Role::Value {
            key: column.key.clone(),
            label: printed,
        };
    }
    Role::Unknown { label }
}

#[cfg(test)]
mod tests {
    use super::{numbers_the_rows, relative_year, BodyRow};
    use crate::model::Row;

    /// The 行次 column of the seed's 收入支出决算总表 (公开01表: 1, 2, 3 …
    /// down the income side) with its header misread: row numbers; one
    /// misread (13 for 8) still; amounts, or numbers that do not count,
    /// are not.
    #[test]
    fn a_column_that_counts_the_rows_is_row_numbers_whatever_its_header() {
        let column = |cells: &[&str]| -> bool {
            let rows: Vec<Row> = cells
                .iter()
                .map(|c| Row::new(vec!["项目".to_string(), c.to_string()], Some(1)))
                .collect();
            let body: Vec<BodyRow> = rows
                .iter()
                .enumerate()
                .map(|(i, row)| BodyRow {
                    number: i as u32 + 1,
                    row,
                })
                .collect();
            numbers_the_rows(&body, 1)
        };
        assert!(column(&["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]));
        assert!(column(&["1", "2", "", "3", "4", "5", "6", "7", "13", "9"]));
        assert!(column(&["29", "30", "31"]));
        assert!(!column(&["1.00", "2.00", "3.00", "4.00"]));
        assert!(!column(&["472", "368", "65", "13"]));
        assert!(!column(&["1", "2"]));
        assert!(!column(&["1", "2", "3", "1,000", "5"]));
    }

    #[test]
    fn a_header_naming_a_year_says_this_year_or_the_year_before() {
        let read = |header: &str| relative_year(header, Some(2026));
        assert_eq!(read("2026年预算数"), "本年预算数");
        assert_eq!(read("2025年预算数"), "上年预算数");
        assert_eq!(read("2024年预算数"), "2024年预算数");
        assert_eq!(read("2026年度"), "2026年度");
        assert_eq!(read("本年收入"), "本年收入");
        assert_eq!(read("12年"), "12年");
        assert_eq!(relative_year("2026年预算数", None), "2026年预算数");
    }
}

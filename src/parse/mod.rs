//! Parse: the rows of one detected table → facts.
//!
//! Every shape goes through the same three steps:
//! 1. **split** the rows into header, body and notes: the body starts at the
//!    first data row (a code or total label for coded tables and grids, a
//!    known line label for line tables) and ends at the first note row
//!    (注：…, 如本表为空…); the 栏次 row is dropped;
//! 2. **read the header** into one path of labels per column (a spanning
//!    header such as 本年支出 over 小计/基本支出/项目支出 gives the paths
//!    `本年支出/小计` …), and give each column a role: label, row number
//!    (行次), or a value column with the key of the first pattern column whose
//!    label ends the path;
//! 3. **read the body** by shape ([`coded`], [`lines`], [`grid`]).
//!
//! Every non-empty numeric cell in a value column becomes a fact. Cells that
//! are neither empty nor numbers, value columns no pattern names, and rows
//! with values but no code or line are reported as issues, never dropped
//! silently: their facts are still written, with an empty key where the key
//! is unknown (on pages read by OCR, where a missing key is a misreading,
//! they are taken out as issues afterwards: `ocr::unkeyed`). A column whose
//! cells count the rows (1, 2, 3 …) is row numbers whatever its header
//! says.

mod coded;
mod grid;
mod header;
mod lines;
pub mod narrative;
pub mod performance;

use crate::detect::TableHit;
use crate::model::{CodeKind, Fact, Issue, ReportKind, Row};
use crate::number::{parse_amount, Amount};
use crate::patterns::{Patterns, Shape, TablePattern};
use crate::text::{normalise, strip_ordinals};
pub(crate) use header::{class_named, relative_path, Columns, Role};
use header::{is_code_shaped, read_header};

/// The facts of one table and the anomalies met reading it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parsed {
    pub facts: Vec<Fact>,
    pub issues: Vec<Issue>,
    /// Text of the note rows under the table (注：…, 如本表为空…).
    pub notes: Vec<String>,
    /// Number of body rows read.
    pub body_rows: usize,
}

pub fn parse(
    hit: &TableHit,
    table: &TablePattern,
    patterns: &Patterns,
    report: Option<ReportKind>,
    year: Option<u16>,
) -> Parsed {
    let ctx = Context {
        hit,
        table,
        patterns,
        report,
        year,
    };
    let split = split_rows(&ctx);
    let mut parsed = Parsed {
        notes: split.notes.iter().chain(&hit.notes).cloned().collect(),
        body_rows: split.body.len(),
        ..Parsed::default()
    };
    let columns = read_header(&ctx, &split.header, &split.body);
    let has_figures = hit.rows.iter().any(|r| {
        r.cells
            .iter()
            .any(|c| crate::number::parse_value(c).is_some())
    });
    if !has_figures {
        // a table printed empty: found, with nothing to read; what its rows
        // say (此表为空 in a cell) is part of its notes
        let said = hit.rows.iter().flat_map(|row| row.non_empty_cells());
        parsed.notes.extend(said.map(|(_, text)| text.to_string()));
        return parsed;
    }
    // rows printed narrower than the table, put on its columns
    let widened: Vec<Option<Row>> = match table.shape {
        Shape::Coded | Shape::Lines => split.body.iter().map(|b| widen(b.row, &columns)).collect(),
        // a grid of one (code, name, amount) group is a coded table
        Shape::Grid if grid::reads_as_coded(&columns) => {
            split.body.iter().map(|b| widen(b.row, &columns)).collect()
        }
        Shape::TwoSided | Shape::Grid => Vec::new(),
    };
    let body: Vec<BodyRow> = split
        .body
        .iter()
        .enumerate()
        .map(|(i, b)| BodyRow {
            number: b.number,
            row: widened.get(i).and_then(Option::as_ref).unwrap_or(b.row),
        })
        .collect();
    let split = Split { body, ..split };
    let mut out = Output::new(&ctx, &mut parsed);
    if table.key == crate::detect::OTHER_TABLE {
        out.table_issue(Issue::warning(
            "detect",
            format!(
                "table not recognised: {:?} names none of the patterns' tables; its figures are kept under table `other`",
                hit.label
            ),
        ));
    }
    let uncoded = !split.body.iter().any(|b| {
        b.row
            .cells
            .iter()
            .any(|c| code_prefix(c).is_some_and(|(d, _)| d.len() >= 3))
    });
    // rows that print a name (a table of one row of figures under its
    // header names none)
    let named = split.body.iter().any(|b| {
        b.row
            .cells
            .iter()
            .any(|c| !c.trim().is_empty() && crate::number::parse_value(c).is_none())
    });
    match table.shape {
        // a coded table printed as named lines (no row carries a code)
        Shape::Coded
            if uncoded
                && named
                && !table.lines.is_empty()
                && !columns
                    .first_value()
                    .is_some_and(|first| coded::rows_are_units(&ctx, &columns, first)) =>
        {
            lines::read_lines(&ctx, &columns, &split.body, &mut out)
        }
        Shape::Coded => coded::read(&ctx, &columns, &split.body, &mut out),
        Shape::TwoSided => lines::read_two_sided(&ctx, &columns, &split.body, &mut out),
        Shape::Lines => lines::read_lines(&ctx, &columns, &split.body, &mut out),
        Shape::Grid => grid::read(&ctx, &columns, &split.body, &mut out),
    }
    apply_moves(table, &mut parsed.facts);
    if hit.unit.is_none() && !parsed.facts.is_empty() {
        parsed.issues.push(
            Issue::warning(
                "parse",
                "no money unit stated for the table: value_yuan left empty",
            )
            .at(&hit.key, hit.page, None),
        );
    }
    parsed
}

/// Figures printed where another layout prints them under another key
/// take that key (the table's `moves`), unless the table also printed a
/// figure under it.
fn apply_moves(table: &TablePattern, facts: &mut [Fact]) {
    for moved in &table.moves {
        let taken = facts
            .iter()
            .any(|f| f.line == moved.to_line && f.column == moved.to_column);
        if taken {
            continue;
        }
        for fact in facts
            .iter_mut()
            .filter(|f| f.line == moved.line && f.column == moved.column)
        {
            fact.line = moved.to_line.clone();
            fact.column = moved.to_column.clone();
        }
    }
}

/// A row printed narrower than the table — its last row alone on the next
/// page, laid on that page's own grid (`合计 | 156,211,123 | 99,706,020 |
/// 56,505,103` under a table of code, name and three amount columns) — put
/// on the table's columns: its leading label cells in the label columns,
/// its figures in the value columns in order. Only when that is certain:
/// as many figures (or empty cells) as the table has value columns, and no
/// more labels than label columns. A continuation page whose grid drew
/// bands of its own before the table (`| 210 | | | 卫生健康支出 | 13.86 …`
/// under a first page's three) is put on the columns without them when it
/// does not fit with them.
fn widen(row: &Row, columns: &Columns) -> Option<Row> {
    let width = columns.width();
    if row.cells.len() >= width {
        return None;
    }
    let bands = row.cells.iter().take_while(|c| c.trim().is_empty()).count();
    widen_cells(&row.cells, columns)
        .or_else(|| {
            (bands > 0)
                .then(|| widen_cells(&row.cells[bands..], columns))
                .flatten()
        })
        .map(|cells| Row::new(cells, row.page))
}

/// The most characters a cell among a row's figures may hold and still be
/// taken for a speck read as words (入, SS AS), not a label.
const MAX_SPECK_CHARS: usize = 4;

/// The cells of a narrower row put on the table's columns, when certain
/// (see [`widen`]).
fn widen_cells(row: &[String], columns: &Columns) -> Option<Vec<String>> {
    let width = columns.width();
    let values: Vec<usize> = (0..width).filter(|&c| columns.is_value(c)).collect();
    let first_value = *values.first()?;
    // labels go after the bands the layout drew before the table's first
    // column (a page drawn without them gives the narrower row)
    let start = (0..first_value)
        .take_while(|&c| columns.roles[c] == Role::Padding)
        .count();
    let is_figure = |cell: &String| {
        !matches!(
            crate::number::parse_amount(cell),
            crate::number::Amount::NotANumber
        ) && !cell.trim().is_empty()
    };
    // a classification code opening the row is a label, not a figure
    let codes = row
        .iter()
        .take_while(|cell| is_code_shaped(cell.trim()))
        .count();
    let labels = codes + row[codes..].iter().position(is_figure)?;
    let figures = &row[labels..];
    // a speck read as a letter or two (入, SS) where a figure's cell is
    // empty does not make the row's shape uncertain
    let speck =
        |cell: &String| cell.chars().filter(|c| !c.is_whitespace()).count() <= MAX_SPECK_CHARS;
    let certain = start + labels <= first_value
        && figures.len() == values.len()
        && figures.iter().all(|c| speck(c) || is_figure(c));
    if !certain {
        return None;
    }
    let mut cells = vec![String::new(); width];
    cells[start..start + labels].clone_from_slice(&row[..labels]);
    for (column, figure) in values.iter().zip(figures) {
        cells[*column] = figure.clone();
    }
    Some(cells)
}

/// Why a cell of an amount column gave no figure: words lose nothing (a
/// warning); a figure that cannot be read, or one too large for an amount,
/// is a value lost (an error, the document `partial`).
fn unread_cell(amount: Amount, text: &str, cell: String) -> Issue {
    let lost = "its value is not in facts.csv";
    match amount {
        Amount::TooLarge => Issue::error(
            "parse",
            format!(
                "{cell} has more than {} integer digits, too many for an amount: {lost}",
                crate::number::MAX_INTEGER_DIGITS
            ),
        ),
        _ if text.chars().any(|c| c.is_ascii_digit()) => Issue::error(
            "parse",
            format!("{cell} could not be read as an amount: {lost}"),
        ),
        _ => Issue::warning("parse", format!("{cell} is not an amount")),
    }
}

/// A cell's text as quoted in an issue: trimmed, and cut after a few
/// hundred characters (a cell can hold megabytes).
pub(crate) fn quoted(text: &str) -> String {
    const MOST: usize = 200;
    let text = text.trim();
    match text.char_indices().nth(MOST) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// What every shape reader needs to know.
pub(crate) struct Context<'a> {
    pub hit: &'a TableHit,
    pub table: &'a TablePattern,
    pub patterns: &'a Patterns,
    pub report: Option<ReportKind>,
    /// The report's year: a header naming a year (2025年预算数) is read as
    /// 本年/上年 relative to it.
    pub year: Option<u16>,
}

impl Context<'_> {
    fn is_total_label(&self, text: &str) -> bool {
        let norm = normalise(text);
        self.patterns.report.total_labels.contains(&norm)
    }
}

/// A body row with its 1-based number in the table.
pub(crate) struct BodyRow<'a> {
    pub number: u32,
    pub row: &'a Row,
}

struct Split<'a> {
    header: Vec<&'a Row>,
    body: Vec<BodyRow<'a>>,
    notes: Vec<String>,
}

fn first_cell(row: &Row) -> &str {
    row.non_empty_cells().next().map_or("", |(_, c)| c)
}

fn is_note_row(ctx: &Context, row: &Row) -> bool {
    let first = normalise(first_cell(row));
    ctx.patterns
        .report
        .note_prefixes
        .iter()
        .any(|p| first.starts_with(p.as_str()))
        && row
            .non_empty_cells()
            .skip(1)
            .all(|(_, c)| !matches!(parse_amount(c), Amount::Value(_)))
}

/// The row that numbers the columns: its first cell says so (栏次), or it
/// holds nothing but the numbers 1, 2, 3 … in order (and marks such as
/// `**` that are neither words nor figures).
fn is_column_number_row(ctx: &Context, row: &Row) -> bool {
    let first = normalise(first_cell(row));
    ctx.patterns.report.column_number_rows.contains(&first) || numbers_the_columns(row)
}

fn numbers_the_columns(row: &Row) -> bool {
    let (mut next, mut marked) = (1, false);
    for (_, cell) in row.non_empty_cells() {
        let cell = cell.trim();
        if cell.parse::<u32>() == Ok(next) {
            next += 1;
        } else if cell.chars().any(char::is_alphanumeric) {
            return false;
        } else {
            marked = true;
        }
    }
    // 1, 2 … or a mark and 1 (a table of one figure column)
    next > 2 || (next == 2 && marked)
}

/// A cell holding a classification code (2 to 7 digits, maybe followed by
/// the name): `2010350`, `03`, `30101 基本工资`.
pub(crate) fn code_prefix(cell: &str) -> Option<(&str, &str)> {
    let cell = cell.trim();
    if let Some(bracketed) = bracketed_code(cell) {
        return Some(bracketed);
    }
    let digits = cell.bytes().take_while(u8::is_ascii_digit).count();
    if !(2..=7).contains(&digits) {
        return None;
    }
    let rest = &cell[digits..];
    if rest.starts_with(|c: char| c == '.' || c.is_ascii_digit()) {
        return None;
    }
    // 2070103-机关服务: the dash joins code and name
    let rest = rest
        .trim()
        .trim_start_matches(['-', '－', '—', '–'])
        .trim_start();
    Some((&cell[..digits], rest))
}

/// A code printed in brackets before its name (`[201]一般公共服务支出`,
/// `【30101】基本工资`).
fn bracketed_code(cell: &str) -> Option<(&str, &str)> {
    let inner = cell.strip_prefix('[').or_else(|| cell.strip_prefix('【'))?;
    let digits = inner.bytes().take_while(u8::is_ascii_digit).count();
    let rest = inner[digits..]
        .strip_prefix(']')
        .or_else(|| inner[digits..].strip_prefix('】'))?;
    (3..=7)
        .contains(&digits)
        .then(|| (&inner[..digits], rest.trim()))
}

/// Whether a row starts the body, by shape.
fn is_data_row(ctx: &Context, row: &Row) -> bool {
    let first = first_cell(row);
    let amounts = row
        .cells
        .iter()
        .filter(|c| crate::number::parse_value(c).is_some())
        .count();
    let only_amounts = row
        .non_empty_cells()
        .all(|(_, c)| !matches!(parse_amount(c), Amount::NotANumber));
    let named = !ctx.table.lines.is_empty()
        && lines::match_any_line(ctx, strip_ordinals(&normalise(first)));
    // a row of figures alone: a table that is one row of totals, or whose
    // lines are its columns (some 三公 tables)
    let figures_only = amounts > 0 && only_amounts;
    match ctx.table.shape {
        Shape::Coded | Shape::Grid => {
            code_prefix(first).is_some()
                || (row.cells.iter().any(|c| ctx.is_total_label(c)) && amounts > 0)
                || (named && amounts > 0)
                || figures_only
        }
        Shape::Lines | Shape::TwoSided => {
            ((named || ctx.is_total_label(first)) && amounts > 0) || figures_only
        }
    }
}

fn split_rows<'a>(ctx: &Context<'a>) -> Split<'a> {
    let rows: Vec<&Row> = ctx
        .hit
        .rows
        .iter()
        .filter(|r| !r.is_blank() && !is_column_number_row(ctx, r))
        .collect();
    // the body starts at the first data row, or at the first row of figures
    // after a row that heads the label column (项目, 科目名称 …); or at the
    // notes of a table printed empty, under its header: a line above the
    // header that reads as a note (注区… for 洼区…, a department's name run
    // onto a second line and misread by OCR) is part of the heading
    let heads_labels = |r: &&Row| {
        r.cells
            .iter()
            .any(|c| ctx.patterns.report.label_headers.contains(&normalise(c)))
    };
    let mut seen_label_header = false;
    let start = (0..rows.len())
        .find(|&i| {
            let r = rows[i];
            let starts = is_data_row(ctx, r)
                || (is_note_row(ctx, r) && !rows[i + 1..].iter().any(heads_labels))
                || (seen_label_header
                    && r.cells
                        .iter()
                        .any(|c| crate::number::parse_value(c).is_some()));
            seen_label_header |= heads_labels(&r);
            starts
        })
        .unwrap_or(rows.len());
    let mut split = Split {
        header: rows[..start].to_vec(),
        body: Vec::new(),
        notes: Vec::new(),
    };
    let mut in_notes = false;
    for row in &rows[start..] {
        if in_notes || is_note_row(ctx, row) {
            in_notes = true;
            split.notes.push(
                row.non_empty_cells()
                    .map(|(_, c)| c)
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            continue;
        }
        if repeats_a_header_row(row, &split.header) {
            continue; // the header printed again over a continuation page
        }
        let number = split.body.len() as u32 + 1;
        split.body.push(BodyRow { number, row });
    }
    split
}

/// A row whose printed words are those of a header row, in order (the
/// header repeated at the top of each page a table runs over).
fn repeats_a_header_row(row: &Row, header: &[&Row]) -> bool {
    let words =
        |r: &Row| -> Vec<String> { r.non_empty_cells().map(|(_, c)| normalise(c)).collect() };
    let printed = words(row);
    !printed.is_empty() && header.iter().any(|h| words(h) == printed)
}

/// Collects facts and issues for one table.
pub(crate) struct Output<'a, 'p> {
    ctx: &'a Context<'a>,
    parsed: &'p mut Parsed,
    warned_columns: Vec<usize>,
}

/// Where a fact sits and what identifies its row.
pub(crate) struct RowKey {
    pub row: u32,
    pub page: Option<u32>,
    pub code: String,
    pub line: String,
    pub item: String,
}

impl<'a, 'p> Output<'a, 'p> {
    fn new(ctx: &'a Context<'a>, parsed: &'p mut Parsed) -> Self {
        Output {
            ctx,
            parsed,
            warned_columns: Vec::new(),
        }
    }

    /// Read the cell at `col` as an amount under a column key the header
    /// does not give (the table's implied column).
    pub fn cell_as(
        &mut self,
        key: &RowKey,
        columns: &Columns,
        col: usize,
        text: &str,
        column: &str,
    ) -> bool {
        let mut implied = Columns {
            roles: columns.roles.clone(),
            paths: Vec::new(),
        };
        // the column's header as printed, where it names a column (a
        // header naming a line is the fact's item)
        let label = match &columns.roles[col] {
            Role::Value { label, .. } => label.clone(),
            _ => String::new(),
        };
        implied.roles[col] = Role::Value {
            key: column.to_string(),
            label,
        };
        self.cell(key, &implied, col, text)
    }

    /// Read the cell at `col` as an amount and record it under `key`.
    pub fn cell(&mut self, key: &RowKey, columns: &Columns, col: usize, text: &str) -> bool {
        let value = match parse_amount(text) {
            Amount::Empty => return false,
            Amount::Value(value) => value,
            unread => {
                let cell = format!("cell {:?} in column {}", quoted(text), col + 1);
                self.issue(unread_cell(unread, text, cell), key);
                return false;
            }
        };
        let (column, column_label) = match &columns.roles[col] {
            Role::Value { key, label } => (key.clone(), label.clone()),
            Role::Unknown { label } => {
                if !self.warned_columns.contains(&col) {
                    self.warned_columns.push(col);
                    let message = format!(
                        "column {} ({:?}) is not in the table's patterns: its facts have an empty column key",
                        col + 1,
                        quoted(label)
                    );
                    self.issue(Issue::warning("parse", message), key);
                }
                (String::new(), label.clone())
            }
            _ => return false,
        };
        let code_kind = if key.code.is_empty() {
            None
        } else {
            self.ctx
                .table
                .code_kind
                .or_else(|| CodeKind::from_code(&key.code))
        };
        self.parsed.facts.push(Fact {
            table: self.ctx.hit.key.clone(),
            table_label: self.ctx.hit.label.clone(),
            table_no: self.ctx.hit.number.clone(),
            page: key.page,
            row: key.row,
            code: key.code.clone(),
            code_kind,
            line: key.line.clone(),
            item: key.item.clone(),
            column,
            column_label,
            value,
            unit: self.ctx.hit.unit,
            ocr: None,
        });
        true
    }

    pub fn issue(&mut self, issue: Issue, key: &RowKey) {
        self.parsed
            .issues
            .push(issue.at(&self.ctx.hit.key, key.page, Some(key.row)));
    }

    pub fn table_issue(&mut self, issue: Issue) {
        self.parsed
            .issues
            .push(issue.at(&self.ctx.hit.key, self.ctx.hit.page, None));
    }
}

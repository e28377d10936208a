//! `tables/*.toml`: one file per canonical table — its shape, titles and
//! number per report kind, column headers → column keys, line labels →
//! line keys, and the identities its figures must satisfy.

use super::{invalid, normalised, PatternError};
use crate::model::{CodeKind, ReportKind};
use crate::text::normalise;
use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TableFile {
    pub(super) key: String,
    pub(super) shape: Shape,
    #[serde(default)]
    pub(super) code_kind: Option<CodeKind>,
    #[serde(default)]
    pub(super) sides: Vec<String>,
    #[serde(default)]
    pub(super) lines_from: Option<String>,
    #[serde(default, rename = "final")]
    pub(super) final_kind: Option<KindDef>,
    #[serde(default)]
    pub(super) budget: Option<KindDef>,
    #[serde(default)]
    pub(super) columns: Vec<ColumnDef>,
    #[serde(default)]
    pub(super) column_groups: Vec<ColumnGroupDef>,
    #[serde(default)]
    pub(super) lines: Vec<LineDef>,
    #[serde(default)]
    pub(super) row_identities: Vec<SumDef>,
    #[serde(default)]
    pub(super) line_sums: Vec<SumDef>,
    #[serde(default)]
    pub(super) code_sums: Vec<CodeSumDef>,
    #[serde(default)]
    pub(super) whole_amount_columns: Vec<String>,
    #[serde(default)]
    pub(super) moves: Vec<MoveDef>,
    #[serde(default)]
    pub(super) title: Option<TitleDef>,
}

/// `[title]`: what a printed title says when it names this table, for the
/// title grammar of `report.toml` (`[title_grammar]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TitleDef {
    /// What the title is about, as printed just before its endings
    /// (收支, 财政拨款收支, 一般公共预算基本支出 …); the longest that a
    /// title's core ends with names the table.
    #[serde(default)]
    pub(super) subjects: Vec<String>,
    /// Words that name this table wherever they stand in a title (三公).
    #[serde(default)]
    pub(super) marks: Vec<String>,
    /// Words that must not stand before a subject of this table: they make
    /// the title another table's (基本 before 支出). Default: the report's
    /// `title_prefix_stopwords`.
    #[serde(default)]
    pub(super) not_after: Option<Vec<String>>,
    /// Only a title whose qualifier names this table's classification
    /// (`code_kind`) is this table (按经济分类 for the by-economic-class
    /// twin of a table by function class).
    #[serde(default)]
    pub(super) qualified_only: bool,
}

/// A figure printed at `line`/`column` in one layout that another layout
/// prints at `to_line`/`to_column`: it takes the other's key (one meaning,
/// one key).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveDef {
    pub line: String,
    pub column: String,
    pub to_line: String,
    pub to_column: String,
}

/// `total` equals the sum of `parts` (columns for row identities, lines for
/// line sums), when every `requires` key is present and no `unless` key is.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SumDef {
    /// The check's name when it is not the rule's own (`summary_balance`).
    #[serde(default)]
    pub name: Option<crate::model::CheckName>,
    pub total: String,
    pub parts: Vec<String>,
    #[serde(default)]
    pub requires: Vec<String>,
    #[serde(default)]
    pub unless: Vec<String>,
    /// Row identities only: checked only on rows that print one of the
    /// parts (where one layout's side or line prints the whole amount
    /// alone, under the same column key).
    #[serde(default)]
    pub only_rows_with_parts: bool,
}

/// A line equal to the sum of the rows with the listed codes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeSumDef {
    pub line: String,
    pub codes: Vec<String>,
    /// Not checked where the table prints these columns on its coded rows:
    /// each row's own split is printed then (人员经费 | 公用经费 beside a
    /// 301 or 303 row), checked by the row identities and the total row,
    /// and a province may split a class between them.
    #[serde(default)]
    pub unless_columns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct KindDef {
    pub(super) titles: Vec<String>,
    #[serde(default)]
    pub(super) number: Option<u32>,
    /// The column figures belong to when the header names none (a 三公
    /// table printed as one row of figures under its line names).
    #[serde(default)]
    pub(super) implied_column: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ColumnDef {
    pub(super) key: String,
    pub(super) labels: Vec<String>,
}

/// `[[column_groups]]`: a header spanning several columns (本年收入,
/// 上年结转结余, 财政拨款收入, 政府采购项目) that says what the columns
/// under it are part of. Its subtotal column (小计, 合计 under it) takes the
/// group's `key`; a group that lists `qualified` columns gives them the key
/// `key.column` (上年结转结余 / 一般公共预算资金 → `carryover_begin.gpb`),
/// so that a fund printed twice, once for the year and once carried over,
/// is two keys, not one key twice (and a column under it that is not listed
/// stays unknown, an issue).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ColumnGroupDef {
    pub(super) key: String,
    pub(super) labels: Vec<String>,
    #[serde(default = "default_subtotals")]
    pub(super) subtotals: Vec<String>,
    #[serde(default)]
    pub(super) qualified: Vec<String>,
}

fn default_subtotals() -> Vec<String> {
    vec!["小计".to_owned(), "合计".to_owned()]
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LineDef {
    pub(super) key: String,
    #[serde(default)]
    pub(super) labels: Vec<String>,
    #[serde(default)]
    pub(super) regex: Option<String>,
    #[serde(default)]
    pub(super) parent: Option<String>,
    #[serde(default)]
    pub(super) after: Option<String>,
    #[serde(default)]
    pub(super) function_class: bool,
}

/// How a table's rows are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Rows keyed by a classification code (类/款/项), amounts in columns.
    Coded,
    /// Named lines on two sides (收入 | 支出), each side label + amounts.
    TwoSided,
    /// Named lines in the first column, amounts in columns.
    Lines,
    /// Repeated (code, name, amount) groups side by side.
    Grid,
}

/// A column of a table: its key and the header paths that name it. A label
/// `本年支出/小计` is the path `["本年支出", "小计"]` and matches a column
/// whose header path ends with those parts.
#[derive(Debug, Clone)]
pub struct ColumnPattern {
    pub key: String,
    pub labels: Vec<Vec<String>>,
}

/// A header spanning columns, compiled (see `ColumnGroupDef`).
#[derive(Debug, Clone)]
pub struct ColumnGroup {
    pub key: String,
    pub labels: Vec<String>,
    pub subtotals: Vec<String>,
    pub qualified: Vec<String>,
}

/// A named line (a row identified by its label, not a code).
#[derive(Debug, Clone)]
pub struct LinePattern {
    pub key: String,
    pub labels: Vec<String>,
    pub regex: Option<Regex>,
    pub parent: Option<String>,
    /// Matches only once this line has been read on the same side.
    pub after: Option<String>,
    /// Matches any functional class name; the line gets the class code.
    pub function_class: bool,
}

/// One canonical table, compiled.
#[derive(Debug, Clone)]
pub struct TablePattern {
    pub key: String,
    pub shape: Shape,
    pub code_kind: Option<CodeKind>,
    pub sides: Vec<String>,
    pub final_titles: Vec<String>,
    pub budget_titles: Vec<String>,
    pub final_number: Option<u32>,
    pub budget_number: Option<u32>,
    pub final_implied_column: Option<String>,
    pub budget_implied_column: Option<String>,
    pub columns: Vec<ColumnPattern>,
    pub column_groups: Vec<ColumnGroup>,
    pub lines: Vec<LinePattern>,
    pub row_identities: Vec<SumDef>,
    pub line_sums: Vec<SumDef>,
    pub code_sums: Vec<CodeSumDef>,
    /// Columns that each hold a line's whole amount, where layouts differ
    /// (one prints `amount`, another splits the amount into funds beside a
    /// `total`): a line sum whose total stands in one takes a part printed
    /// only in another.
    pub whole_amount_columns: Vec<String>,
    /// Figures that take another layout's key.
    pub moves: Vec<MoveDef>,
    /// The title grammar's words for this table.
    pub title: TitleWords,
}

/// The title grammar's words for one table, compiled (normalised).
#[derive(Debug, Clone, Default)]
pub struct TitleWords {
    pub subjects: Vec<String>,
    pub marks: Vec<String>,
    pub not_after: Option<Vec<String>>,
    pub qualified_only: bool,
}

impl TablePattern {
    pub fn titles(&self, kind: ReportKind) -> &[String] {
        match kind {
            ReportKind::Final => &self.final_titles,
            ReportKind::Budget => &self.budget_titles,
        }
    }

    /// The column figures go to when the header names none, for a report kind.
    pub fn implied_column(&self, kind: Option<ReportKind>) -> Option<&str> {
        match kind? {
            ReportKind::Final => self.final_implied_column.as_deref(),
            ReportKind::Budget => self.budget_implied_column.as_deref(),
        }
    }

    pub fn number(&self, kind: ReportKind) -> Option<u32> {
        match kind {
            ReportKind::Final => self.final_number,
            ReportKind::Budget => self.budget_number,
        }
    }

    /// The column whose one-part label the header text ends with (two
    /// stacked header cells read as one: 支出用途金额 → 金额); the longest
    /// such label wins (…一般公共预算 is `gpb`, not the `预算` of an amount).
    pub fn column_ending(&self, text: &str) -> Option<&ColumnPattern> {
        self.columns
            .iter()
            .filter_map(|column| {
                column
                    .labels
                    .iter()
                    .filter(|label| {
                        label.len() == 1
                            && label[0].chars().count() >= 2
                            && text.ends_with(label[0].as_str())
                    })
                    .map(|label| label[0].len())
                    .max()
                    .map(|longest| (column, longest))
            })
            .rev()
            .max_by_key(|(_, longest)| *longest)
            .map(|(column, _)| column)
    }

    /// The column key for a header path (normalised parts), if any pattern
    /// label matches its end.
    pub fn column_for(&self, path: &[String]) -> Option<&ColumnPattern> {
        self.columns
            .iter()
            .find(|column| column.labels.iter().any(|label| path.ends_with(label)))
    }

    /// The key of a column printed under a group header (本年收入,
    /// 上年结转结余 …): the group's own key for its subtotal, the column's
    /// key (qualified by the group's where the group says so) for the
    /// others. `None` when no part above the column's own names a group, or
    /// the column under it is not known.
    pub fn grouped_column_key(&self, path: &[String]) -> Option<String> {
        let (last, above) = path.split_last()?;
        let (at, group) = above.iter().enumerate().rev().find_map(|(at, part)| {
            self.column_groups
                .iter()
                .find(|g| g.labels.iter().any(|l| part.ends_with(l.as_str())))
                .map(|g| (at, g))
        })?;
        if group.subtotals.contains(last) {
            return Some(group.key.clone());
        }
        let below = &path[at + 1..];
        let column = self
            .column_for(below)
            .or_else(|| self.column_ending(last))?;
        if group.qualified.is_empty() {
            Some(column.key.clone())
        } else {
            group
                .qualified
                .contains(&column.key)
                .then(|| format!("{}.{}", group.key, column.key))
        }
    }
}

pub(super) fn compile_table(
    file: &str,
    table: TableFile,
    line_sources: &HashMap<String, Vec<LineDef>>,
) -> Result<TablePattern, PatternError> {
    if table.final_kind.is_none() && table.budget.is_none() && table.title.is_none() {
        return Err(invalid(
            file,
            "final",
            "a table needs titles for [final], [budget] or both, or title words in [title]",
        ));
    }
    if table.shape == Shape::TwoSided && table.sides.len() != 2 {
        return Err(invalid(
            file,
            "sides",
            "a two_sided table names its two sides, e.g. [\"income\", \"expenditure\"]",
        ));
    }
    let mut columns = compile_columns(file, &table.columns)?;
    let column_groups = compile_groups(file, &table.column_groups, &mut columns)?;
    let mut line_defs = table.lines.clone();
    if let Some(from) = &table.lines_from {
        let inherited = line_sources
            .get(from)
            .ok_or_else(|| invalid(file, "lines_from", format!("no table with key {from:?}")))?;
        line_defs.extend(inherited.iter().cloned());
    }
    let lines = compile_lines(file, &line_defs)?;
    check_sums(file, &table, &columns, &lines)?;
    if let Some(unknown) = table
        .whole_amount_columns
        .iter()
        .find(|key| !columns.iter().any(|c| &&c.key == key))
    {
        return Err(invalid(
            file,
            "whole_amount_columns",
            format!("{unknown:?} is not a column of this table"),
        ));
    }
    for (i, moved) in table.moves.iter().enumerate() {
        let column_known = |key: &str| columns.iter().any(|c| c.key == key);
        let line_known = |key: &str| lines.iter().any(|l| l.key == key);
        let known = line_known(&moved.line)
            && line_known(&moved.to_line)
            && column_known(&moved.column)
            && column_known(&moved.to_column);
        if !known {
            return Err(invalid(
                file,
                &format!("moves[{i}]"),
                "a move names a line or column the table does not have",
            ));
        }
    }
    let (final_titles, final_number) = kind_parts(table.final_kind.as_ref());
    let (budget_titles, budget_number) = kind_parts(table.budget.as_ref());
    Ok(TablePattern {
        key: table.key,
        shape: table.shape,
        code_kind: table.code_kind,
        sides: table.sides,
        final_titles,
        budget_titles,
        final_number,
        budget_number,
        final_implied_column: table
            .final_kind
            .as_ref()
            .and_then(|k| k.implied_column.clone()),
        budget_implied_column: table.budget.as_ref().and_then(|k| k.implied_column.clone()),
        columns,
        column_groups,
        lines,
        row_identities: table.row_identities,
        line_sums: table.line_sums,
        code_sums: table.code_sums,
        whole_amount_columns: table.whole_amount_columns,
        moves: table.moves,
        title: table
            .title
            .map_or_else(TitleWords::default, |t| TitleWords {
                subjects: normalised(&t.subjects),
                marks: normalised(&t.marks),
                not_after: t.not_after.as_deref().map(normalised),
                qualified_only: t.qualified_only,
            }),
    })
}

/// Identities may only name the table's own columns and lines.
pub(super) fn check_sums(
    file: &str,
    table: &TableFile,
    columns: &[ColumnPattern],
    lines: &[LinePattern],
) -> Result<(), PatternError> {
    let is_column = |k: &String| columns.iter().any(|c| &c.key == k);
    let is_line = |k: &String| lines.iter().any(|l| &l.key == k);
    for sum in &table.row_identities {
        for key in std::iter::once(&sum.total)
            .chain(&sum.parts)
            .chain(&sum.requires)
            .chain(&sum.unless)
        {
            if !is_column(key) {
                return Err(invalid(
                    file,
                    "row_identities",
                    format!("{key:?} is not a column of this table"),
                ));
            }
        }
    }
    for sum in &table.line_sums {
        for key in std::iter::once(&sum.total)
            .chain(&sum.parts)
            .chain(&sum.requires)
            .chain(&sum.unless)
        {
            if !is_line(key) {
                return Err(invalid(
                    file,
                    "line_sums",
                    format!("{key:?} is not a line of this table"),
                ));
            }
        }
    }
    for sum in &table.code_sums {
        if !is_line(&sum.line) {
            return Err(invalid(
                file,
                "code_sums",
                format!("{:?} is not a line of this table", sum.line),
            ));
        }
        if let Some(unknown) = sum.unless_columns.iter().find(|c| !is_column(c)) {
            return Err(invalid(
                file,
                "code_sums.unless_columns",
                format!("{unknown:?} is not a column of this table"),
            ));
        }
    }
    Ok(())
}

pub(super) fn kind_parts(kind: Option<&KindDef>) -> (Vec<String>, Option<u32>) {
    kind.map_or((Vec::new(), None), |k| (normalised(&k.titles), k.number))
}

/// Groups name a column of the table as their subtotal; a group's
/// qualified keys (`group.column`) become columns of the table (without
/// labels of their own: only the group gives them), so identities may name
/// them.
fn compile_groups(
    file: &str,
    defs: &[ColumnGroupDef],
    columns: &mut Vec<ColumnPattern>,
) -> Result<Vec<ColumnGroup>, PatternError> {
    let mut groups = Vec::new();
    for def in defs {
        if !columns.iter().any(|c| c.key == def.key) {
            return Err(invalid(
                file,
                "column_groups.key",
                format!("{:?} is not a column of this table", def.key),
            ));
        }
        if def.labels.is_empty() {
            return Err(invalid(
                file,
                "column_groups.labels",
                format!("group {:?} has no labels", def.key),
            ));
        }
        for part in &def.qualified {
            if !columns.iter().any(|c| &c.key == part) {
                return Err(invalid(
                    file,
                    "column_groups.qualified",
                    format!("{part:?} is not a column of this table"),
                ));
            }
        }
        columns.extend(def.qualified.iter().map(|part| ColumnPattern {
            key: format!("{}.{}", def.key, part),
            labels: Vec::new(),
        }));
        groups.push(ColumnGroup {
            key: def.key.clone(),
            labels: normalised(&def.labels),
            subtotals: normalised(&def.subtotals),
            qualified: def.qualified.clone(),
        });
    }
    Ok(groups)
}

pub(super) fn compile_columns(
    file: &str,
    defs: &[ColumnDef],
) -> Result<Vec<ColumnPattern>, PatternError> {
    let mut seen = Vec::new();
    let mut columns = Vec::new();
    for def in defs {
        if seen.contains(&def.key) {
            return Err(invalid(
                file,
                "columns.key",
                format!("{:?} is defined twice", def.key),
            ));
        }
        if def.labels.is_empty() {
            return Err(invalid(
                file,
                "columns.labels",
                format!("column {:?} has no labels", def.key),
            ));
        }
        seen.push(def.key.clone());
        columns.push(ColumnPattern {
            key: def.key.clone(),
            labels: def
                .labels
                .iter()
                .map(|label| label.split('/').map(normalise).collect())
                .collect(),
        });
    }
    Ok(columns)
}

pub(super) fn compile_lines(
    file: &str,
    defs: &[LineDef],
) -> Result<Vec<LinePattern>, PatternError> {
    let keys: Vec<&str> = defs.iter().map(|d| d.key.as_str()).collect();
    let mut lines = Vec::new();
    for (index, def) in defs.iter().enumerate() {
        if keys[..index].contains(&def.key.as_str())
            && def.after.is_none()
            && defs[..index]
                .iter()
                .any(|d| d.key == def.key && d.after.is_none())
        {
            continue; // a table's own line wins over one of the same key from `lines_from`
        }
        if def.labels.is_empty() && def.regex.is_none() && !def.function_class {
            return Err(invalid(
                file,
                "lines.labels",
                format!("line {:?} has no labels, regex or function_class", def.key),
            ));
        }
        if let Some(after) = &def.after {
            if !keys.contains(&after.as_str()) {
                return Err(invalid(
                    file,
                    "lines.after",
                    format!("line {:?} names unknown line {after:?}", def.key),
                ));
            }
        }
        if let Some(parent) = &def.parent {
            if !keys.contains(&parent.as_str()) {
                return Err(invalid(
                    file,
                    "lines.parent",
                    format!("line {:?} names unknown parent {parent:?}", def.key),
                ));
            }
        }
        let regex =
            match &def.regex {
                Some(source) => Some(Regex::new(source).map_err(|e| {
                    invalid(file, "lines.regex", format!("bad regex {source:?}: {e}"))
                })?),
                None => None,
            };
        lines.push(LinePattern {
            key: def.key.clone(),
            labels: normalised(&def.labels),
            regex,
            parent: def.parent.clone(),
            after: def.after.clone(),
            function_class: def.function_class,
        });
    }
    Ok(lines)
}

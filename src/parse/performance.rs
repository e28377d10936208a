//! Performance tables: the 部门（单位）整体绩效目标表, each 项目（政策）绩效目标表
//! and the 绩效自评表, read into header fields and indicator rows with the
//! patterns of `patterns/performance.toml`.
//!
//! Detection finds each table and its rows
//! ([`crate::detect::performance`]); here its rows are read in order:
//! - **fields**: a cell starting with a field label takes the next non-empty
//!   cell to its right (项目(政策)名称 | 大洼区电子政务外网项目);
//! - **fund lines** after the 年度主要任务 row: `fund` fields, one per 对应项目;
//! - the **goal block** of a self-evaluation (年初设定目标 / 全年实际完成情况);
//! - the **indicator header** (the row with 一级指标, plus a sub-header row
//!   such as 运算符号 | 内容 | 度量单位), then **indicator rows** until a stop
//!   label (指标自评得分小计, 结果应用建议 …). Empty 一级/二级 cells are merged
//!   cells: the value above carries down. An operator printed inside the
//!   value (≥95) is split off; a value that is a word (管理规范) keeps an
//!   empty operator.

use crate::detect::performance::PerformanceHit;
use crate::model::{Indicator, IndicatorField, IndicatorTable, Row};
use crate::patterns::{KeyedLabels, Patterns, PerformancePatterns};
use crate::text::{clean_label, normalise};
use std::collections::BTreeMap;

/// Read the performance tables detection found into header fields and
/// indicator rows.
pub fn extract(hits: &[PerformanceHit], patterns: &Patterns) -> Vec<IndicatorTable> {
    let mut reader = Reader::new(&patterns.performance);
    for hit in hits {
        reader.start(hit.kind.clone(), &hit.title, hit.page);
        for row in &hit.rows {
            let cells: Vec<String> = row.cells.iter().map(|c| normalise(c)).collect();
            reader.read(row, &cells);
        }
    }
    reader.finish()
}

/// The key of the first entry with a label equal to the cell or, with
/// `prefix`, a label the cell starts with followed only by a parenthesised
/// note (项目预算金额（万元）) — 主管部门审核意见 is not 主管部门.
fn key_for<'a>(cell: &str, entries: &'a [KeyedLabels], prefix: bool) -> Option<&'a str> {
    let matches = |label: &String| match cell.strip_prefix(label.as_str()) {
        Some("") => true,
        Some(rest) => prefix && rest.starts_with('(') && rest.ends_with(')'),
        None => false,
    };
    entries
        .iter()
        .find(|e| e.labels.iter().any(matches))
        .map(|e| e.key.as_str())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Fields,
    Funds,
    Goal,
    IndicatorHeader,
    Indicators,
    Tail,
}

struct Reader<'p> {
    performance: &'p PerformancePatterns,
    tables: Vec<IndicatorTable>,
    current: Option<IndicatorTable>,
    phase: Phase,
    /// Column index → indicator column key.
    columns: BTreeMap<usize, String>,
    /// Column index → goal field key and printed label, for the row after
    /// the goal header.
    goal_columns: BTreeMap<usize, (String, String)>,
    last: Indicator,
}

impl<'p> Reader<'p> {
    fn new(performance: &'p PerformancePatterns) -> Self {
        Reader {
            performance,
            tables: Vec::new(),
            current: None,
            phase: Phase::Fields,
            columns: BTreeMap::new(),
            goal_columns: BTreeMap::new(),
            last: Indicator::default(),
        }
    }

    fn start(&mut self, kind: String, title: &str, page: Option<u32>) {
        self.end();
        self.current = Some(IndicatorTable {
            kind,
            instance: self.tables.len() as u32 + 1,
            title: clean_label(&title.replace('\n', "")),
            page,
            ..IndicatorTable::default()
        });
        self.phase = Phase::Fields;
        self.columns.clear();
        self.last = Indicator::default();
    }

    fn end(&mut self) {
        if let Some(table) = self.current.take() {
            self.tables.push(table);
        }
    }

    fn finish(mut self) -> Vec<IndicatorTable> {
        self.end();
        self.tables
    }

    fn read(&mut self, row: &Row, cells: &[String]) {
        let first = cells
            .iter()
            .find(|c| !c.is_empty())
            .cloned()
            .unwrap_or_default();
        let has = |labels: &[String]| cells.iter().any(|c| labels.contains(c));
        if self.phase == Phase::IndicatorHeader {
            if self.is_sub_header(cells) {
                self.map_columns(cells, true);
                self.phase = Phase::Indicators;
                return;
            }
            self.phase = Phase::Indicators;
        }
        if matches!(self.phase, Phase::Indicators) {
            if self
                .performance
                .stop_labels
                .iter()
                .any(|l| first.starts_with(l.as_str()))
            {
                self.phase = Phase::Tail;
            } else {
                return self.indicator(row);
            }
        }
        if has(&self.performance.indicator_header) {
            self.columns.clear();
            self.map_columns(cells, false);
            self.phase = Phase::IndicatorHeader;
            return;
        }
        if self
            .performance
            .fund_header
            .iter()
            .any(|l| first.starts_with(l.as_str()))
        {
            self.phase = Phase::Funds;
            return;
        }
        if self
            .performance
            .goal_header
            .iter()
            .any(|l| first.starts_with(l.as_str()))
        {
            self.goal_columns = cells
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    key_for(c, &self.performance.goal_columns, false)
                        .map(|k| (i, (k.to_string(), row.cell(i).to_string())))
                })
                .collect();
            self.phase = Phase::Goal;
            return;
        }
        match self.phase {
            Phase::Funds if cells.first().is_some_and(|c| c.is_empty()) => self.fund_line(row),
            Phase::Goal if cells.first().is_some_and(|c| c.is_empty()) => self.goal_line(row),
            _ => {
                if self.phase != Phase::Tail {
                    self.phase = Phase::Fields;
                }
                self.fields(row, cells);
            }
        }
    }

    fn push_field(&mut self, field: &str, item: &str, value: &str) {
        if let Some(table) = self.current.as_mut() {
            table.fields.push(IndicatorField {
                field: field.to_string(),
                item: clean_label(&item.replace('\n', "")),
                value: value.trim().to_string(),
            });
        }
    }

    /// Label cells and the value to their right.
    fn fields(&mut self, row: &Row, cells: &[String]) {
        let labelled: Vec<(usize, &str)> = cells
            .iter()
            .enumerate()
            .filter_map(|(i, c)| key_for(c, &self.performance.fields, true).map(|k| (i, k)))
            .collect();
        for (n, (col, key)) in labelled.iter().enumerate() {
            let end = labelled.get(n + 1).map_or(row.cells.len(), |(c, _)| *c);
            let value = (col + 1..end).map(|c| row.cell(c)).find(|v| !v.is_empty());
            if let Some(value) = value {
                let (key, label) = (key.to_string(), row.cell(*col).to_string());
                self.push_field(&key, &label, value);
            }
        }
    }

    fn fund_line(&mut self, row: &Row) {
        let mut texts = row.non_empty_cells().map(|(_, c)| c.to_string());
        if let (Some(item), Some(value)) = (texts.next(), texts.next()) {
            self.push_field("fund", &item, &value);
        }
    }

    fn goal_line(&mut self, row: &Row) {
        let goal_columns = self.goal_columns.clone();
        for (col, (key, label)) in goal_columns {
            let value = (col..row.cells.len())
                .map(|c| row.cell(c))
                .find(|v| !v.is_empty());
            if let Some(value) = value {
                self.push_field(&key, &label, value);
            }
        }
        self.phase = Phase::Fields;
    }

    fn is_sub_header(&self, cells: &[String]) -> bool {
        let known = cells
            .iter()
            .filter(|c| key_for(c, &self.performance.columns, false).is_some())
            .count();
        known >= 2
            && !cells
                .iter()
                .any(|c| self.performance.indicator_header.contains(c))
    }

    /// Column keys from a header row; a sub-header row overrides the row above.
    fn map_columns(&mut self, cells: &[String], sub_header: bool) {
        for (i, cell) in cells.iter().enumerate() {
            if let Some(key) = key_for(cell, &self.performance.columns, false) {
                if sub_header || !self.columns.contains_key(&i) {
                    self.columns.insert(i, key.to_string());
                }
            }
        }
    }

    fn indicator(&mut self, row: &Row) {
        let mut values: BTreeMap<String, String> = BTreeMap::new();
        for (&col, key) in &self.columns {
            let text = clean_label(&row.cell(col).replace('\n', ""));
            if !text.is_empty() {
                values.insert(key.clone(), text);
            }
        }
        if !values.contains_key("level3") {
            return; // not an indicator row
        }
        for level in ["level1", "level2"] {
            if !values.contains_key(level) {
                if let Some(above) = self.last.values.get(level) {
                    values.insert(level.to_string(), above.clone());
                }
            }
        }
        self.split_operator(&mut values);
        let Some(table) = self.current.as_mut() else {
            return;
        };
        let indicator = Indicator {
            row: table.indicators.len() as u32 + 1,
            page: row.page,
            values,
        };
        self.last = indicator.clone();
        table.indicators.push(indicator);
    }

    /// `≥95` in the value column → operator `>=`, value `95`; printed
    /// operators are written in their ASCII form.
    fn split_operator(&self, values: &mut BTreeMap<String, String>) {
        let operators = &self.performance.operators;
        if let Some(printed) = values.get("operator").cloned() {
            if let Some(op) = operators.iter().find(|o| o.printed == printed) {
                values.insert("operator".into(), op.written.clone());
            }
            return;
        }
        let Some(value) = values.get("value").cloned() else {
            return;
        };
        let mut ordered: Vec<_> = operators.iter().collect();
        ordered.sort_by_key(|o| std::cmp::Reverse(o.printed.len()));
        if let Some(op) = ordered
            .iter()
            .find(|o| value.starts_with(o.printed.as_str()))
        {
            let rest = value[op.printed.len()..].trim().to_string();
            if !rest.is_empty() {
                values.insert("operator".into(), op.written.clone());
                values.insert("value".into(), rest);
            }
        }
    }
}

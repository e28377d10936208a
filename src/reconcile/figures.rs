//! The figures the rules name, read from output folders: `documents.csv`
//! whole (one row a report), `facts.csv` one row at a time, keeping only
//! the facts some rule's side names — so memory grows with the number of
//! reports and of figures compared, never with the facts of a folder.

use crate::model::{EntityLevel, ReportKind, Status, Unit};
use crate::patterns::{MatchBy, ReconcileRule, Relation, Side};
use crate::write::{bad_data, for_each_row, read_rows, DocumentRow, FactRow};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::Path;
use std::str::FromStr;

/// One input report, as the comparisons need it.
#[derive(Debug, Clone)]
pub struct Report {
    pub doc_id: String,
    pub source: String,
    pub department: String,
    pub department_key: String,
    pub entity_level: Option<EntityLevel>,
    pub region_code: String,
    pub year: Option<u16>,
    pub report: Option<ReportKind>,
    /// The tables the report prints (a figure it does not print is a zero
    /// only where its table is printed).
    pub tables: BTreeSet<String>,
    /// Left out of every comparison: a duplicate of an earlier report, or
    /// a file not read.
    pub left_out: bool,
}

/// A figure as printed, with where it is.
#[derive(Debug, Clone)]
pub struct Printed {
    /// In yuan.
    pub yuan: Decimal,
    /// As printed, in `unit`.
    pub value: Decimal,
    pub unit: Option<Unit>,
    /// One unit of the last printed digit, in yuan: the rounding the
    /// figure admits.
    pub step: Decimal,
    pub report: usize,
    pub page: Option<u32>,
    pub table: String,
    pub table_label: String,
    pub column: String,
    pub item: String,
}

impl Printed {
    fn of(row: &FactRow, report: usize, path: &Path, line: u64) -> io::Result<Printed> {
        // the amounts extract writes (at most MAX_INTEGER_DIGITS digits): a
        // figure edited in beyond that is refused, never an overflow
        if matches!(
            crate::number::parse_amount(&row.value),
            crate::number::Amount::TooLarge
        ) {
            return Err(bad_data(path, line, "value: too many digits for an amount"));
        }
        let value = Decimal::from_str(&row.value)
            .map_err(|e| bad_data(path, line, format!("value: {e}")))?;
        let factor = row.unit.map_or(Decimal::ONE, Unit::factor);
        let yuan = value
            .checked_mul(factor)
            .ok_or_else(|| bad_data(path, line, "value: too large in yuan"))?;
        Ok(Printed {
            yuan,
            value,
            unit: row.unit,
            step: Decimal::new(1, value.scale()) * factor,
            report,
            page: row.page,
            table: row.table.clone(),
            table_label: row.table_label.clone(),
            column: row.column.clone(),
            item: row.item.clone(),
        })
    }

    /// A figure computed as `self - minus` (both of one item).
    fn minus(&self, minus: &Printed) -> Printed {
        Printed {
            yuan: self.yuan.saturating_sub(minus.yuan),
            value: self.value.saturating_sub(minus.value),
            step: self.step.saturating_add(minus.step),
            ..self.clone()
        }
    }
}

/// Which place of which rule a figure was found for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Expected(usize),
    Actual(usize),
    Spent,
}

type Slot = (usize, usize, Role); // report, rule, role

/// A derived figure's two parts, by the item's row and key.
type Parts = BTreeMap<(u32, String), (Option<Printed>, Option<Printed>)>;

/// Every figure a rule names, by report, rule, role and key.
#[derive(Debug, Default)]
pub struct Figures {
    /// `(report, rule, role) → key → (column rank, figure)`: the first
    /// figure of the best-ranked column (the first of a side's columns).
    printed: HashMap<Slot, BTreeMap<String, (usize, Printed)>>,
    /// Derived figures' parts: `(report, rule, role) → (row, key) → (line, minus)`.
    parts: HashMap<Slot, Parts>,
}

impl Figures {
    /// The figures of one report for one rule and role, by key: the
    /// printed ones, and where a key has none, the derived one of its
    /// first item with both parts.
    pub fn of(&self, report: usize, rule: usize, role: Role) -> BTreeMap<String, Printed> {
        let slot = (report, rule, role);
        let mut figures: BTreeMap<String, Printed> = self
            .printed
            .get(&slot)
            .into_iter()
            .flatten()
            .map(|(key, (_, figure))| (key.clone(), figure.clone()))
            .collect();
        for ((_, key), parts) in self.parts.get(&slot).into_iter().flatten() {
            if let (Some(line), Some(minus)) = parts {
                figures
                    .entry(key.clone())
                    .or_insert_with(|| line.minus(minus));
            }
        }
        figures
    }

    /// The number of figures kept (what memory grows with).
    pub fn len(&self) -> usize {
        self.printed.values().map(BTreeMap::len).sum::<usize>()
            + self.parts.values().map(BTreeMap::len).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn keep(&mut self, slot: Slot, side: &Side, key: String, row: &FactRow, figure: Printed) {
        if let Some(derived) = &side.derived {
            let is_line = row.line == derived.line;
            if is_line || row.line == derived.minus {
                let parts = self
                    .parts
                    .entry(slot)
                    .or_default()
                    .entry((row.row, key))
                    .or_default();
                let part = if is_line { &mut parts.0 } else { &mut parts.1 };
                part.get_or_insert(figure);
                return;
            }
        }
        let rank = side
            .columns
            .iter()
            .position(|c| *c == row.column)
            .unwrap_or(0);
        let figures = self.printed.entry(slot).or_default();
        match figures.get(&key) {
            Some((kept, _)) if *kept <= rank => {}
            _ => {
                figures.insert(key, (rank, figure));
            }
        }
    }
}

/// The bit of a relation's side in a report's roles.
pub fn bit(relation: Relation, expected: bool) -> u8 {
    let at = match relation {
        Relation::Units => 0,
        Relation::BudgetFinal => 2,
        Relation::PreviousYear => 4,
    };
    1 << (at + usize::from(!expected))
}

/// Whether a report with these roles is compared under a relation as the
/// reference (expected) and as the other (actual) report.
pub fn plays(roles: u8, relation: Relation) -> (bool, bool) {
    (
        roles & bit(relation, true) != 0,
        roles & bit(relation, false) != 0,
    )
}

/// The key a fact is paired by under a rule; `None`: the rule cannot pair it.
pub fn key_of(by: MatchBy, code: &str, line: &str) -> Option<String> {
    match by {
        MatchBy::Code => (!code.is_empty()).then(|| code.to_string()),
        MatchBy::Line if line.is_empty() => None,
        MatchBy::Line if code.is_empty() => Some(line.to_string()),
        MatchBy::Line => Some(format!("{line}:{code}")),
    }
}

/// The reports and figures of one or several output folders.
#[derive(Debug, Default)]
pub struct Batch {
    pub reports: Vec<Report>,
    pub figures: Figures,
    /// Documents found in an earlier folder too (same `doc_id`): read once.
    pub repeated: usize,
    /// Facts read (each dropped at once unless a rule names it).
    pub facts_read: usize,
    /// What each report is compared as (`compare::roles`): a
    /// report with no counterpart keeps no figure.
    pub roles: Vec<u8>,
}

impl Batch {
    /// Read a folder's `documents.csv`: its reports after those already
    /// read, a `doc_id` an earlier folder held left out (counted once).
    pub fn read_documents(&mut self, dir: &Path) -> io::Result<HashMap<String, usize>> {
        let documents = dir.join("documents.csv");
        self.add_documents(read_rows::<DocumentRow>(&documents)?, &documents)
    }

    /// Reports given as rows (`line`, row) of `origin` (a file, or a run
    /// held in memory): after those already read, a `doc_id` an earlier
    /// folder held left out (counted once). Returns the index of the new
    /// ones by `doc_id`.
    pub fn add_documents(
        &mut self,
        rows: impl IntoIterator<Item = (u64, DocumentRow)>,
        origin: &Path,
    ) -> io::Result<HashMap<String, usize>> {
        let known = self.doc_ids();
        let mut index = HashMap::new();
        for (line, row) in rows {
            if known.contains(&row.doc_id) {
                self.repeated += 1;
                continue;
            }
            if index
                .insert(row.doc_id.clone(), self.reports.len())
                .is_some()
            {
                return Err(bad_data(origin, line, "doc_id listed twice"));
            }
            self.reports.push(report_of(&row));
        }
        Ok(index)
    }

    fn doc_ids(&self) -> BTreeSet<String> {
        self.reports.iter().map(|r| r.doc_id.clone()).collect()
    }

    /// Read a folder's `facts.csv`, keeping the figures a rule names of
    /// the reports that have a counterpart (`roles` set first).
    pub fn read_facts(
        &mut self,
        dir: &Path,
        index: &HashMap<String, usize>,
        rules: &[ReconcileRule],
    ) -> io::Result<()> {
        let facts = dir.join("facts.csv");
        let known = self.doc_ids();
        for_each_row::<FactRow>(&facts, |line, row| {
            self.add_fact(index, &known, rules, &row, &facts, line)
        })
    }

    /// One fact (row `line` of `origin`): kept if a rule names it, else
    /// dropped. A fact of a report an earlier folder held counts there; one
    /// of no report listed is an error (not gongkai's output).
    pub fn add_fact(
        &mut self,
        index: &HashMap<String, usize>,
        known: &BTreeSet<String>,
        rules: &[ReconcileRule],
        row: &FactRow,
        origin: &Path,
        line: u64,
    ) -> io::Result<()> {
        self.facts_read += 1;
        let Some(&report) = index.get(&row.doc_id) else {
            return match known.contains(&row.doc_id) {
                true => Ok(()),
                false => Err(bad_data(origin, line, "doc_id not listed in documents.csv")),
            };
        };
        if self.roles[report] == 0 {
            return Ok(());
        }
        self.keep_fact(report, rules, row, origin, line)
    }

    fn keep_fact(
        &mut self,
        report: usize,
        rules: &[ReconcileRule],
        row: &FactRow,
        path: &Path,
        line: u64,
    ) -> io::Result<()> {
        let kind = self.reports[report].report;
        let roles = self.roles[report];
        for (r, rule) in rules.iter().enumerate() {
            let (as_expected, as_actual) = plays(roles, rule.relation);
            let sides = rule
                .expected
                .iter()
                .enumerate()
                .map(|(i, s)| (Role::Expected(i), s))
                .chain(
                    rule.actual
                        .iter()
                        .enumerate()
                        .map(|(i, s)| (Role::Actual(i), s)),
                )
                .chain(rule.spent.iter().map(|s| (Role::Spent, s)));
            for (role, side) in sides {
                let needed = match role {
                    Role::Expected(_) => as_expected,
                    Role::Actual(_) | Role::Spent => as_actual,
                };
                if !needed
                    || !side.names(&row.table, &row.line, &row.column)
                    || side.report.is_some_and(|k| Some(k) != kind)
                {
                    continue;
                }
                let Some(key) = key_of(rule.by, &row.code, &row.line) else {
                    continue;
                };
                let key = match &side.derived {
                    Some(_) if rule.by == MatchBy::Line => row.code.clone(),
                    _ => key,
                };
                let figure = Printed::of(row, report, path, line)?;
                self.figures.keep((report, r, role), side, key, row, figure);
            }
        }
        Ok(())
    }
}

fn report_of(row: &DocumentRow) -> Report {
    Report {
        doc_id: row.doc_id.clone(),
        source: row.source.clone(),
        department: row.department.clone(),
        department_key: row.department_key.clone(),
        entity_level: row.entity_level,
        region_code: row.region_code.clone(),
        year: row.year,
        report: row.report,
        tables: row.tables().map(str::to_string).collect(),
        left_out: !row.duplicate_of.is_empty()
            || matches!(row.status, Status::Failed | Status::Skipped),
    }
}

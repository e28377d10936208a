//! `reconcile.toml`: which figures of one report another report prints
//! too — the pairing rules of `reconciliation.csv` ([`crate::reconcile`]).
//!
//! A rule names a relation between two reports of one body and, on each
//! side, where the figure is printed (table, columns to try, lines); the
//! figures of the two sides are paired by classification code or by line.
//! Checked on load: unknown keys refused, relation and match are enums,
//! every table named exists (or is `narrative`), every line named on a
//! table with named lines is one of its lines, rule names are unique.

use super::{invalid, PatternError, TablePattern};
use crate::model::ReportKind;
use serde::Deserialize;

/// Two reports whose figures should agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// A department's report (部门, consolidated) against the sum of its
    /// units' reports (单位) of the same year and kind.
    Units,
    /// A body's final accounts (the 预算数 they print) against its budget
    /// of the same year and level.
    BudgetFinal,
    /// The figure a report prints for the year before against that year's
    /// own report of the same body, level and kind.
    PreviousYear,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Units => "units",
            Relation::BudgetFinal => "budget_final",
            Relation::PreviousYear => "previous_year",
        }
    }
}

/// What pairs a figure of one side with a figure of the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchBy {
    /// The classification code (facts without one are not named).
    Code,
    /// The line key (and the code, where a line is per class).
    Line,
}

/// A figure computed from two figures of one item of the text: `line`
/// minus `minus` (this year's amount minus the stated change is last
/// year's figure).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    pub line: String,
    pub minus: String,
}

/// Where one side's figures are printed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Side {
    pub table: String,
    /// Columns to try, first present wins (empty: any column).
    #[serde(default)]
    pub columns: Vec<String>,
    /// Lines named (empty: every line of the table).
    #[serde(default)]
    pub lines: Vec<String>,
    /// Where the side's lines are absent for an item, the figure computed.
    #[serde(default)]
    pub derived: Option<Derived>,
    /// Only reports of this kind (empty: the kind the relation gives).
    #[serde(default)]
    pub report: Option<ReportKind>,
}

impl Side {
    /// Whether a figure of this table, line and column is one this side
    /// names (a derived figure's two lines included).
    pub fn names(&self, table: &str, line: &str, column: &str) -> bool {
        let derived = self
            .derived
            .as_ref()
            .is_some_and(|d| d.line == line || d.minus == line);
        // a derived side without lines names its two lines only
        let named = match self.lines.is_empty() {
            true => self.derived.is_none(),
            false => self.lines.iter().any(|l| l == line),
        };
        table == self.table
            && (self.columns.is_empty() || self.columns.iter().any(|c| c == column))
            && (named || derived)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReconcileFile {
    pub(super) compare: Vec<RuleDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleDef {
    name: String,
    relation: Relation,
    #[serde(rename = "match")]
    by: MatchBy,
    #[serde(default)]
    coverage: bool,
    expected: Vec<Side>,
    actual: Vec<Side>,
    #[serde(default)]
    spent: Option<Side>,
}

/// One pairing rule, checked.
#[derive(Debug, Clone)]
pub struct ReconcileRule {
    pub name: String,
    pub relation: Relation,
    pub by: MatchBy,
    /// The department's whole (units only): the units' sum of it is their
    /// coverage, and the other unit rules are compared only when it is
    /// whole.
    pub coverage: bool,
    /// The reference report's figure: the department's, the budget's, the
    /// earlier year's. Sides are tried in order, first present wins.
    pub expected: Vec<Side>,
    /// The other report's figure (summed over units).
    pub actual: Vec<Side>,
    /// A figure of the actual report quoted against the expected one as a
    /// share (budget ↔ final: what was spent of the budget).
    pub spent: Option<Side>,
}

impl ReconcileRule {
    /// Every side the rule reads, for the one pass over `facts.csv`.
    pub fn sides(&self) -> impl Iterator<Item = &Side> {
        self.expected
            .iter()
            .chain(&self.actual)
            .chain(self.spent.as_ref())
    }
}

pub(super) fn compile_reconcile(
    file: &str,
    defs: ReconcileFile,
    tables: &[TablePattern],
) -> Result<Vec<ReconcileRule>, PatternError> {
    let mut rules: Vec<ReconcileRule> = Vec::new();
    for def in defs.compare {
        let key = format!("compare.{}", def.name);
        if def.name.trim().is_empty() {
            return Err(invalid(file, "compare.name", "a rule needs a name"));
        }
        if rules.iter().any(|r| r.name == def.name) {
            return Err(invalid(file, &key, "a second rule with this name"));
        }
        if def.expected.is_empty() || def.actual.is_empty() {
            return Err(invalid(file, &key, "needs `expected` and `actual` sides"));
        }
        if def.coverage && def.relation != Relation::Units {
            return Err(invalid(
                file,
                &key,
                "`coverage` is for `relation = \"units\"`",
            ));
        }
        for side in def.expected.iter().chain(&def.actual).chain(&def.spent) {
            check_side(file, &key, side, tables)?;
        }
        rules.push(ReconcileRule {
            name: def.name,
            relation: def.relation,
            by: def.by,
            coverage: def.coverage,
            expected: def.expected,
            actual: def.actual,
            spent: def.spent,
        });
    }
    Ok(rules)
}

fn check_side(
    file: &str,
    key: &str,
    side: &Side,
    tables: &[TablePattern],
) -> Result<(), PatternError> {
    if side.table == "narrative" {
        return Ok(()); // its lines are the text's figures (narrative.toml, review.toml)
    }
    let Some(table) = tables.iter().find(|t| t.key == side.table) else {
        return Err(invalid(
            file,
            key,
            format!("no table with key {:?}", side.table),
        ));
    };
    // (columns are not checked, as checks.toml's are not: a folder's table
    // file may replace a built-in table with fewer columns, and a rule
    // naming a column no report has then compares nothing)
    if table.lines.is_empty() {
        return Ok(());
    }
    for line in &side.lines {
        if line != "total" && !table.lines.iter().any(|l| &l.key == line) {
            return Err(invalid(
                file,
                key,
                format!("table {:?} has no line {line:?}", table.key),
            ));
        }
    }
    Ok(())
}

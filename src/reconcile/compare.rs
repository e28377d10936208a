//! The comparisons: reports grouped into bodies (one body, level, year and
//! kind — a report printed in two files is one body, a duplicate none),
//! bodies paired by relation, and each rule's figures compared.

use super::figures::{bit, Batch, Printed, Report, Role};
use crate::model::{EntityLevel, ReportKind, Unit};
use crate::patterns::{ReconcileRule, Relation};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The outcome of one comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Agrees,
    Differs,
    MissingCounterpart,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Agrees => "agrees",
            Status::Differs => "differs",
            Status::MissingCounterpart => "missing_counterpart",
        }
    }
}

/// One body's report of one year and kind: the files that print it (a
/// 文件 and a 表格 PDF), in input order; the first to print a figure gives it.
#[derive(Debug, Clone)]
pub struct Body {
    pub department_key: String,
    pub entity_level: EntityLevel,
    pub year: u16,
    pub report: ReportKind,
    pub region_code: String,
    pub reports: Vec<usize>,
}

impl Body {
    /// The name part of the key (`310107:政府办公室` → `政府办公室`).
    fn name(&self) -> &str {
        self.department_key
            .split_once(':')
            .map_or(self.department_key.as_str(), |(_, n)| n)
    }

    fn prints(&self, reports: &[Report], table: &str) -> bool {
        self.reports
            .iter()
            .any(|&r| reports[r].tables.contains(table))
    }
}

/// The bodies of a batch, in the order of their first report; reports
/// left out (duplicates, unread files) or without a key, level, year or
/// kind are in none.
pub fn bodies(reports: &[Report]) -> Vec<Body> {
    let mut bodies: Vec<Body> = Vec::new();
    let mut index: BTreeMap<(String, EntityLevel, u16, ReportKind), usize> = BTreeMap::new();
    for (i, report) in reports.iter().enumerate() {
        let (Some(level), Some(year), Some(kind)) =
            (report.entity_level, report.year, report.report)
        else {
            continue;
        };
        if report.left_out || report.department_key.is_empty() {
            continue;
        }
        let key = (report.department_key.clone(), level, year, kind);
        match index.get(&key) {
            Some(&b) => bodies[b].reports.push(i),
            None => {
                index.insert(key, bodies.len());
                bodies.push(Body {
                    department_key: report.department_key.clone(),
                    entity_level: level,
                    year,
                    report: kind,
                    region_code: report.region_code.clone(),
                    reports: vec![i],
                });
            }
        }
    }
    bodies
}

/// What each report is compared as, from the identities alone (before any
/// fact is read): a report whose body has no counterpart under any
/// relation is compared as nothing, and its figures are never kept.
pub fn roles(reports: &[Report]) -> Vec<u8> {
    let bodies = bodies(reports);
    let index = Index::of(&bodies);
    let mut roles = vec![0u8; reports.len()];
    let mut mark = |body: &Body, relation: Relation, expected: bool| {
        for &r in &body.reports {
            roles[r] |= bit(relation, expected);
        }
    };
    for body in &bodies {
        let units = match body.entity_level {
            EntityLevel::Department => index.units_of(body),
            EntityLevel::Unit => Vec::new(),
        };
        if !units.is_empty() {
            mark(body, Relation::Units, true);
            units
                .iter()
                .for_each(|&u| mark(&bodies[u], Relation::Units, false));
        }
        if body.report == ReportKind::Final {
            if let Some(budget) = index.find(body, body.year, ReportKind::Budget) {
                mark(&bodies[budget], Relation::BudgetFinal, true);
                mark(body, Relation::BudgetFinal, false);
            }
        }
        if let Some(earlier) = index.find(body, body.year.wrapping_sub(1), body.report) {
            mark(&bodies[earlier], Relation::PreviousYear, true);
            mark(body, Relation::PreviousYear, false);
        }
    }
    roles
}

/// One comparison, before it is written as a row.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub rule: usize,
    pub key: String,
    pub status: Status,
    /// The reference body and its figure (`None`: not printed).
    pub expected_body: usize,
    pub expected: Option<Printed>,
    /// The other bodies and their figures (one, or the units summed).
    pub actual_bodies: Vec<usize>,
    pub actual: Vec<Printed>,
    pub expected_yuan: Decimal,
    pub actual_yuan: Decimal,
    pub tolerance: Decimal,
    pub note: String,
}

/// A body's figures for a rule and role: each key from the first of its
/// reports that prints it.
fn body_figures(batch: &Batch, body: &Body, rule: usize, role: Role) -> BTreeMap<String, Printed> {
    let mut figures = BTreeMap::new();
    for &report in &body.reports {
        for (key, figure) in batch.figures.of(report, rule, role) {
            figures.entry(key).or_insert(figure);
        }
    }
    figures
}

/// The expected figures of a body: each key from the first of the rule's
/// expected places that gives it.
fn expected_figures(
    batch: &Batch,
    body: &Body,
    rule: usize,
    places: usize,
) -> BTreeMap<String, Printed> {
    let mut figures = BTreeMap::new();
    for place in 0..places {
        for (key, figure) in body_figures(batch, body, rule, Role::Expected(place)) {
            figures.entry(key).or_insert(figure);
        }
    }
    figures
}

fn actual_figures(
    batch: &Batch,
    body: &Body,
    rule: usize,
    places: usize,
) -> BTreeMap<String, Printed> {
    let mut figures = BTreeMap::new();
    for place in 0..places {
        for (key, figure) in body_figures(batch, body, rule, Role::Actual(place)) {
            figures.entry(key).or_insert(figure);
        }
    }
    figures
}

/// Every comparison of the batch, in the order of the bodies and rules.
pub fn compare(batch: &Batch, rules: &[ReconcileRule]) -> Vec<Comparison> {
    let bodies = bodies(&batch.reports);
    let index = Index::of(&bodies);
    let mut comparisons = Vec::new();
    for (b, body) in bodies.iter().enumerate() {
        if body.entity_level == EntityLevel::Department {
            let units = index.units_of(body);
            if !units.is_empty() {
                comparisons.extend(department_and_units(batch, rules, &bodies, b, &units));
            }
        }
        if body.report == ReportKind::Final {
            let budget = index.find(body, body.year, ReportKind::Budget);
            if let Some(e) = budget {
                comparisons.extend(pair(batch, rules, &bodies, Relation::BudgetFinal, e, b));
            }
        }
        if let Some(e) = index.find(body, body.year.wrapping_sub(1), body.report) {
            comparisons.extend(pair(batch, rules, &bodies, Relation::PreviousYear, e, b));
        }
    }
    comparisons
}

/// The bodies by identity, and the unit bodies by region, year and kind
/// sorted by name (a department's units are a range of names: those that
/// begin with its own), so pairing takes a look-up, never a scan.
pub struct Index {
    by_identity: HashMap<(String, EntityLevel, u16, ReportKind), usize>,
    units: HashMap<(String, u16, ReportKind), Vec<(String, usize)>>,
}

impl Index {
    pub fn of(bodies: &[Body]) -> Index {
        let mut index = Index {
            by_identity: HashMap::new(),
            units: HashMap::new(),
        };
        for (i, body) in bodies.iter().enumerate() {
            index.by_identity.insert(
                (
                    body.department_key.clone(),
                    body.entity_level,
                    body.year,
                    body.report,
                ),
                i,
            );
            if body.entity_level == EntityLevel::Unit {
                index
                    .units
                    .entry((body.region_code.clone(), body.year, body.report))
                    .or_default()
                    .push((body.name().to_string(), i));
            }
        }
        index.units.values_mut().for_each(|units| units.sort());
        index
    }

    /// The body of the same key and level in another year or kind.
    fn find(&self, of: &Body, year: u16, kind: ReportKind) -> Option<usize> {
        self.by_identity
            .get(&(of.department_key.clone(), of.entity_level, year, kind))
            .copied()
    }

    /// The unit bodies of a department: same region, year and kind, a name
    /// that begins with the department's (the department's own 本级 unit
    /// has its name).
    fn units_of(&self, department: &Body) -> Vec<usize> {
        let name = department.name();
        let key = (
            department.region_code.clone(),
            department.year,
            department.report,
        );
        let Some(units) = self.units.get(&key).filter(|_| !name.is_empty()) else {
            return Vec::new();
        };
        let first = units.partition_point(|(unit, _)| unit.as_str() < name);
        units[first..]
            .iter()
            .take_while(|(unit, _)| unit.starts_with(name))
            .map(|&(_, i)| i)
            .collect()
    }
}

/// Two bodies (budget ↔ final, year ↔ year before): each figure the later
/// (actual) body prints, against the reference body's.
fn pair(
    batch: &Batch,
    rules: &[ReconcileRule],
    bodies: &[Body],
    relation: Relation,
    expected_body: usize,
    actual_body: usize,
) -> Vec<Comparison> {
    let mut comparisons = Vec::new();
    for (r, rule) in rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.relation == relation)
    {
        let actual = actual_figures(batch, &bodies[actual_body], r, rule.actual.len());
        if actual.is_empty() {
            continue;
        }
        let expected = expected_figures(batch, &bodies[expected_body], r, rule.expected.len());
        let prints = rule
            .expected
            .iter()
            .any(|side| bodies[expected_body].prints(&batch.reports, &side.table));
        let spent = rule
            .spent
            .as_ref()
            .map(|_| body_figures(batch, &bodies[actual_body], r, Role::Spent))
            .unwrap_or_default();
        for (key, figure) in actual {
            let mut comparison = judge(
                r,
                &key,
                (expected_body, expected.get(&key).cloned()),
                (vec![actual_body], vec![figure]),
                prints,
            );
            if let (Some(spent), Some(budget)) = (spent.get(&key), &comparison.expected) {
                let note = spent_note(spent, budget);
                comparison.note = match comparison.note.is_empty() {
                    true => note,
                    false if note.is_empty() => comparison.note,
                    false => format!("{}; {note}", comparison.note),
                };
            }
            comparisons.push(comparison);
        }
    }
    comparisons
}

/// Compare one figure with one or several (summed). A figure the
/// reference body does not print is a zero where it prints the table (a
/// table leaves out its empty rows), else missing.
fn judge(
    rule: usize,
    key: &str,
    (expected_body, expected): (usize, Option<Printed>),
    (actual_bodies, actual): (Vec<usize>, Vec<Printed>),
    expected_table_printed: bool,
) -> Comparison {
    // (each figure has at most 28 digits in yuan; a sum of many that would
    // overflow saturates rather than panics, and cannot agree)
    let actual_yuan: Decimal = actual
        .iter()
        .fold(Decimal::ZERO, |sum, f| sum.saturating_add(f.yuan));
    let expected_yuan = expected.as_ref().map_or(Decimal::ZERO, |f| f.yuan);
    let tolerance: Decimal = actual
        .iter()
        .chain(expected.as_ref())
        .fold(Decimal::ZERO, |sum, f| sum.saturating_add(f.step));
    let within = actual_yuan.saturating_sub(expected_yuan).abs() <= tolerance;
    let (status, note) = match &expected {
        None if !expected_table_printed => (
            Status::MissingCounterpart,
            "the other report does not print this table".to_string(),
        ),
        None if within => (
            Status::Agrees,
            "not printed in the other report's table: a zero, as printed here".to_string(),
        ),
        None => (
            Status::MissingCounterpart,
            "no such row in the other report's table".to_string(),
        ),
        Some(_) if within && actual_yuan == expected_yuan => (Status::Agrees, String::new()),
        Some(_) if within => (
            Status::Agrees,
            "within the rounding of the printed figures".to_string(),
        ),
        Some(_) => (Status::Differs, String::new()),
    };
    Comparison {
        rule,
        key: key.to_string(),
        status,
        expected_body,
        expected,
        actual_bodies,
        actual,
        expected_yuan,
        actual_yuan,
        tolerance,
        note,
    }
}

fn spent_note(spent: &Printed, budget: &Printed) -> String {
    if budget.yuan.is_zero() {
        return String::new();
    }
    let share = percent(spent.yuan, budget.yuan);
    format!(
        "the final figure {} is {share}% of the budget",
        shown(spent)
    )
}

/// `part` as a percentage of `whole`, to one decimal (`100.0`).
fn percent(part: Decimal, whole: Decimal) -> Decimal {
    let ratio = part.checked_div(whole).unwrap_or(Decimal::MAX);
    let mut share = ratio.saturating_mul(Decimal::ONE_HUNDRED).round_dp(1);
    share.rescale(1);
    share
}

/// A figure as printed with its unit.
pub fn shown(figure: &Printed) -> String {
    format!("{}{}", figure.value, figure.unit.map_or("", Unit::as_str))
}

/// A department against its units: the coverage rules first (the units'
/// share of the department's whole), then, where the units make up the
/// whole, every other units rule figure by figure.
fn department_and_units(
    batch: &Batch,
    rules: &[ReconcileRule],
    bodies: &[Body],
    department: usize,
    units: &[usize],
) -> Vec<Comparison> {
    let mut comparisons = Vec::new();
    let unit_rules = || {
        rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.relation == Relation::Units)
    };
    let mut whole = true;
    for (r, rule) in unit_rules().filter(|(_, r)| r.coverage) {
        let compared = sums(batch, rule, r, bodies, department, units);
        whole &= !compared.is_empty();
        for mut comparison in compared {
            coverage_note(&mut comparison, bodies, batch);
            whole &= comparison.status == Status::Agrees;
            comparisons.push(comparison);
        }
    }
    if whole {
        for (r, rule) in unit_rules().filter(|(_, r)| !r.coverage) {
            comparisons.extend(sums(batch, rule, r, bodies, department, units));
        }
    }
    comparisons
}

/// Each key of a units rule: the department's figure against the sum of
/// the units' (a unit printing the table without the row adds nothing).
fn sums(
    batch: &Batch,
    rule: &ReconcileRule,
    r: usize,
    bodies: &[Body],
    department: usize,
    units: &[usize],
) -> Vec<Comparison> {
    let printed = |body: usize, sides: &[crate::patterns::Side]| {
        sides
            .iter()
            .any(|s| bodies[body].prints(&batch.reports, &s.table))
    };
    let printing: Vec<usize> = units
        .iter()
        .copied()
        .filter(|&u| printed(u, &rule.actual))
        .collect();
    if !printed(department, &rule.expected) || printing.is_empty() {
        return Vec::new();
    }
    let expected = expected_figures(batch, &bodies[department], r, rule.expected.len());
    let of_units: Vec<BTreeMap<String, Printed>> = printing
        .iter()
        .map(|&u| actual_figures(batch, &bodies[u], r, rule.actual.len()))
        .collect();
    let keys: BTreeSet<&String> = expected
        .keys()
        .chain(of_units.iter().flat_map(|f| f.keys()))
        .collect();
    keys.into_iter()
        .map(|key| {
            let actual: Vec<Printed> = of_units
                .iter()
                .filter_map(|f| f.get(key).cloned())
                .collect();
            let mut comparison = judge(
                r,
                key,
                (department, expected.get(key).cloned()),
                (printing.clone(), actual),
                true,
            );
            if comparison.expected.is_none() && comparison.status != Status::Agrees {
                comparison.status = Status::Differs;
                comparison.note = "the department does not print this row; its units do".into();
            }
            comparison
        })
        .collect()
}

/// A coverage comparison says what share of the department's figure the
/// units present make up; units short of it are missing, not wrong.
fn coverage_note(comparison: &mut Comparison, bodies: &[Body], batch: &Batch) {
    let names: Vec<String> = comparison
        .actual_bodies
        .iter()
        .map(|&u| batch.reports[bodies[u].reports[0]].department.clone())
        .collect();
    let share = if comparison.expected_yuan.is_zero() {
        "—".to_string()
    } else {
        format!(
            "{}%",
            percent(comparison.actual_yuan, comparison.expected_yuan)
        )
    };
    let status = comparison.status;
    if status == Status::Differs && comparison.actual_yuan < comparison.expected_yuan {
        comparison.status = Status::MissingCounterpart;
    }
    let whole = if comparison.status == Status::Agrees {
        "the units make up the department: their reports are compared figure by figure"
    } else if comparison.status == Status::MissingCounterpart {
        "units' reports are missing: their figures are not compared one by one"
    } else {
        "the units' reports add up to more than the department's"
    };
    comparison.note = format!(
        "coverage {share}: {} unit report(s) present ({}); {whole}",
        names.len(),
        names.join("、")
    );
}

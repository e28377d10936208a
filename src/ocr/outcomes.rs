//! How the report's checks stand, as the proof-reader of figures read by
//! OCR ([`super::proofread`], [`super::lost_points`]) compares them before
//! and after it tries a reading: each check's outcome by its name, table,
//! key and occurrence, and the tests a trial must pass.

use crate::model::{Check, CheckStatus, DocumentRecord};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A check's name, table, key and occurrence.
pub(super) type CheckKey = (String, String, String, usize);

/// Outcomes of all checks, by [`outcomes`]' key.
pub(super) type Outcomes = HashMap<CheckKey, Outcome>;

/// A check's outcome: its status, the figures it compared and their
/// difference.
pub(super) type Outcome = (
    CheckStatus,
    Option<Decimal>,
    Option<Decimal>,
    Option<Decimal>,
);

/// Whether a check that holds pins its figures: it holds exactly, not by
/// a rounding tolerance (a speck read as 1 passes `25.13 = 25.13 + 1`
/// within a whole number's; 472.38 read for 472.39 passes a sum within
/// the cent a report's conversion to 万元 may leave).
pub(super) fn pins(outcome: &Outcome) -> bool {
    outcome.0 == CheckStatus::Pass && outcome.3.is_some_and(|d| d.is_zero())
}

/// Each check's outcome, by name, table, key and occurrence.
pub(super) fn outcomes(checks: &[Check]) -> Outcomes {
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    checks
        .iter()
        .map(|c| {
            let key = (c.check.as_str().to_string(), c.table.clone(), c.key.clone());
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            (
                (key.0, key.1, key.2, *n),
                (c.status, c.expected, c.actual, c.diff),
            )
        })
        .collect()
}

pub(super) fn passes(outcomes: &Outcomes) -> usize {
    outcomes
        .values()
        .filter(|o| o.0 == CheckStatus::Pass)
        .count()
}

pub(super) fn failures(outcomes: &Outcomes) -> usize {
    outcomes
        .values()
        .filter(|o| o.0 == CheckStatus::Fail)
        .count()
}

/// Whether a check that held before fails after.
pub(super) fn breaks_any(before: &Outcomes, after: &Outcomes) -> bool {
    before.iter().any(|(key, b)| {
        b.0 != CheckStatus::Fail && after.get(key).is_some_and(|a| a.0 == CheckStatus::Fail)
    })
}

/// Whether every check that failed before and holds after holds to one
/// unit of the last digit its figures print: a correction is taken for
/// the sums it makes hold, not for a whole number's tolerance (worn-08:
/// the seal's outline read as 4 in an empty cell of 住房公积金, its other
/// reading 2 then held `25.13 = 25.13 + 2` within the 2 万元 two whole
/// numbers are allowed, and 2 was marked corrected).
pub(super) fn held_closely(before: &Outcomes, after: &Outcomes) -> bool {
    after.iter().all(|(key, a)| {
        let failed = before.get(key).is_some_and(|b| b.0 == CheckStatus::Fail);
        !failed || a.0 != CheckStatus::Pass || within_a_digit(a)
    })
}

/// Whether a check's difference is at most one unit of the last digit of
/// its figures (the finer of the two).
pub(super) fn within_a_digit(outcome: &Outcome) -> bool {
    let scale = [outcome.1, outcome.2]
        .iter()
        .flatten()
        .map(|v| v.scale())
        .max()
        .unwrap_or(0);
    outcome.3.is_none_or(|d| d.abs() <= Decimal::new(1, scale))
}

/// The checks that take a figure moved by one unit: those whose outcome
/// moves with it.
pub(super) fn checks_taking<'b>(
    record: &mut DocumentRecord,
    i: usize,
    baseline: &'b Outcomes,
    checks: &impl Fn(&DocumentRecord) -> Vec<Check>,
) -> Vec<(&'b CheckKey, &'b Outcome)> {
    let printed = record.facts[i].value;
    record.facts[i].value = printed + Decimal::ONE;
    let moved = outcomes(&checks(record));
    record.facts[i].value = printed;
    baseline
        .iter()
        .filter(|(key, before)| moved.get(*key) != Some(before))
        .collect()
}

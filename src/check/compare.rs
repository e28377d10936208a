//! The arithmetic every rule shares: a figure against the sum of others in
//! yuan, within the rounding the report admits, and the rows of
//! `checks.csv` for a verdict without figures or a check that could not run.

use crate::model::{Check, CheckName, CheckStatus, Fact, Unit};
use rust_decimal::Decimal;

/// A figure in yuan.
pub fn yuan(fact: &Fact) -> Decimal {
    fact.value * fact.unit.map_or(Decimal::ONE, Unit::factor)
}

/// One unit of the last printed digit, in yuan.
fn last_digit_in_yuan(fact: &Fact) -> Decimal {
    Decimal::new(1, fact.value.scale()) * fact.unit.map_or(Decimal::ONE, Unit::factor)
}

/// `expected` against the sum of `parts`, with the rounding tolerance: one
/// unit of the coarsest last printed digit per summed term (at least one).
pub fn compare(
    check: CheckName,
    table: &str,
    key: &str,
    expected: &Fact,
    parts: &[&Fact],
) -> Check {
    let all: Vec<&Fact> = std::iter::once(expected)
        .chain(parts.iter().copied())
        .collect();
    let expected_yuan = yuan(expected);
    let sum = parts
        .iter()
        .try_fold(Decimal::ZERO, |sum, f| sum.checked_add(yuan(f)));
    let Some((actual_yuan, diff)) = sum.and_then(|s| Some((s, s.checked_sub(expected_yuan)?)))
    else {
        let note = format!(
            "{} and the figures it sums are too large to add up exactly",
            describe(expected)
        );
        return skipped(check, table, key, note).at(expected.page, &expected.table_label);
    };
    let step = all
        .iter()
        .map(|f| last_digit_in_yuan(f))
        .max()
        .unwrap_or(Decimal::ONE);
    let tolerance = step * Decimal::from(parts.len().max(1));
    let status = if diff.abs() <= tolerance {
        CheckStatus::Pass
    } else {
        CheckStatus::Fail
    };
    let common_unit = expected
        .unit
        .filter(|u| all.iter().all(|f| f.unit == Some(*u)));
    let scale = all.iter().map(|f| f.value.scale()).max().unwrap_or(0);
    let show = |amount: Decimal| in_unit(amount, common_unit, scale);
    let note = match status {
        CheckStatus::Pass if !diff.is_zero() => {
            "rounding difference within the tolerance the report admits (尾数误差)".to_string()
        }
        CheckStatus::Pass => String::new(),
        _ => format!(
            "{} {} differs from {}",
            describe(expected),
            expected.value,
            summed(expected, parts)
        ),
    };
    Check {
        check,
        table: table.to_string(),
        key: key.to_string(),
        expected: Some(show(expected_yuan)),
        actual: Some(show(actual_yuan)),
        diff: Some(show(diff)),
        tolerance: Some(show(tolerance)),
        unit: Some(common_unit.unwrap_or(Unit::Yuan)),
        status,
        note,
        page: expected.page,
        table_label: expected.table_label.clone(),
    }
}

/// An amount in yuan shown in the figures' common unit at their printed
/// scale, or in yuan with at least two decimals.
fn in_unit(amount: Decimal, common_unit: Option<Unit>, scale: u32) -> Decimal {
    let mut value = match common_unit {
        Some(unit) => amount / unit.factor(),
        None => amount,
    };
    value.rescale(if common_unit.is_some() {
        scale
    } else {
        value.normalize().scale().max(2)
    });
    value
}

/// The figures summed, each named so a reviewer finds it: `0 (nothing
/// printed)`, or `472.49 = 一般公共预算财政拨款收入 472.39 + 其他收入 0.10`.
fn summed(expected: &Fact, parts: &[&Fact]) -> String {
    if parts.is_empty() {
        return "0 (none of the figures it sums is printed)".to_string();
    }
    const SHOWN: usize = 12;
    let total: Decimal = parts.iter().map(|f| yuan(f)).sum();
    let total = in_unit(
        total,
        expected
            .unit
            .filter(|u| parts.iter().all(|f| f.unit == Some(*u))),
        parts.iter().map(|f| f.value.scale()).max().unwrap_or(0),
    );
    let mut terms: Vec<String> = parts
        .iter()
        .take(SHOWN)
        .map(|part| format!("{} {}", name_of(expected, part), part.value))
        .collect();
    if parts.len() > SHOWN {
        terms.push(format!("{} more", parts.len() - SHOWN));
    }
    format!("{total} = {}", terms.join(" + "))
}

/// A summed figure's name: its column in the same row (a row identity),
/// else its code and item, item or line, with its table when it is another.
fn name_of(expected: &Fact, part: &Fact) -> String {
    let same_row = part.table == expected.table
        && part.row == expected.row
        && part.page == expected.page
        && part.code == expected.code
        && part.line == expected.line;
    let name = if same_row {
        if part.column_label.is_empty() {
            part.column.clone()
        } else {
            part.column_label.clone()
        }
    } else {
        let item = if part.item.is_empty() {
            part.line.as_str()
        } else {
            part.item.as_str()
        };
        [part.code.as_str(), item]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    };
    if part.table == expected.table {
        name
    } else {
        format!("{} {name}", part.table)
    }
}

/// Where a figure stands: `table row N "item" (page P)`.
pub fn describe(fact: &Fact) -> String {
    let page = fact
        .page
        .map(|p| format!(" (page {p})"))
        .unwrap_or_default();
    format!("{} row {} {:?}{page}", fact.table, fact.row, fact.item)
}

/// A check that could not be evaluated, with the reason.
pub fn skipped(check: CheckName, table: &str, key: &str, note: impl Into<String>) -> Check {
    Check {
        check,
        table: table.to_string(),
        key: key.to_string(),
        expected: None,
        actual: None,
        diff: None,
        tolerance: None,
        unit: None,
        status: CheckStatus::Skipped,
        note: note.into(),
        page: None,
        table_label: String::new(),
    }
}

/// A check that passes or fails without figures.
pub fn verdict(
    check: CheckName,
    table: &str,
    key: &str,
    pass: bool,
    note: impl Into<String>,
) -> Check {
    Check {
        status: if pass {
            CheckStatus::Pass
        } else {
            CheckStatus::Fail
        },
        ..skipped(check, table, key, note)
    }
}

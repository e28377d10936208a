//! Decimal points a scan lost, set back where the report's arithmetic
//! needs them.
//!
//! A point is a few pixels of ink: at 168 dpi with a blur and a JPEG's
//! quality of 48 (worn-02 of the Jiangsu report) a column of figures
//! printed with their decimals is read 12414, 31403, 96587, 15000 for
//! 124.14, 314.03, 965.87, 150.00, and no gap is left in the pixels to
//! find the point by ([`super::points`]). A table that prints its figures
//! with two decimals prints every figure so; a whole number of two digits
//! or more read in it is a figure whose point was lost — or a figure
//! misread otherwise, which the identities tell apart.
//!
//! So, for each table with a figure read with its two decimals, its
//! figures read as whole numbers of two digits or more are tried all at
//! once with a point before their last two digits. The trial is kept when
//! fewer checks fail, none that held breaks and those it makes hold, hold
//! to the cent ([`held_closely`]). Then each is tried back as read, alone:
//! one an identity does not need (its sum still fails: 11120 read for
//! 411.20 is not 111.20 either) goes back as read. Those left are
//! `corrected` (`read_as` the whole number): set by an identity that holds
//! with them, they confirm no other figure of it — kept only where no
//! other figure of the checks that hold with it is taken by a check that
//! fails ([`keep_those_trusted`]: two figures misread alike cancel).

use super::outcomes::{
    breaks_any, checks_taking, failures, held_closely, outcomes, CheckKey, Outcomes,
};
use crate::model::{Check, CheckStatus, DocumentRecord, OcrCheck};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Try the points of the OCR facts `ocr` of `record`; the outcomes after.
pub(super) fn take_lost_points(
    record: &mut DocumentRecord,
    ocr: &[usize],
    mut baseline: Outcomes,
    checks: &impl Fn(&DocumentRecord) -> Vec<Check>,
) -> Outcomes {
    for candidates in by_table(record, ocr).into_values() {
        if failures(&baseline) == 0 {
            break;
        }
        let read: Vec<Decimal> = candidates.iter().map(|&i| record.facts[i].value).collect();
        for &i in &candidates {
            record.facts[i].value = with_point(record.facts[i].value);
        }
        let trial = outcomes(&checks(record));
        let better = failures(&trial) < failures(&baseline)
            && !breaks_any(&baseline, &trial)
            && held_closely(&baseline, &trial);
        if !better {
            for (&i, &value) in candidates.iter().zip(&read) {
                record.facts[i].value = value;
            }
            continue;
        }
        baseline = trial;
        for (&i, &value) in candidates.iter().zip(&read) {
            let set = record.facts[i].value;
            record.facts[i].value = value;
            let without = outcomes(&checks(record));
            if failures(&without) <= failures(&baseline) && !breaks_any(&baseline, &without) {
                // no identity needs it
                baseline = without;
                continue;
            }
            record.facts[i].value = set;
            let mark = record.facts[i].ocr.as_mut().expect("marked before");
            mark.check = OcrCheck::Corrected;
            mark.read_as = Some(value.to_string());
        }
        baseline = keep_those_trusted(record, &candidates, &read, baseline, checks);
    }
    baseline
}

/// The points set (of `candidates`, `read` as whole numbers) kept where
/// the checks that hold with them take no figure a failing check takes:
/// two figures misread alike cancel in a sum (worn-09: 20805 read 1374.68
/// for 1374.63 and its child 2080506 31408 for 314.03 — with 314.08,
/// 20805's sum of its children held, while 208 = 20805 failed). The others
/// go back as read. The outcomes after.
fn keep_those_trusted(
    record: &mut DocumentRecord,
    candidates: &[usize],
    read: &[Decimal],
    mut baseline: Outcomes,
    checks: &impl Fn(&DocumentRecord) -> Vec<Check>,
) -> Outcomes {
    let set: Vec<(usize, Decimal)> = candidates
        .iter()
        .zip(read)
        .filter(|(&i, _)| corrected(record, i))
        .map(|(&i, &value)| (i, value))
        .collect();
    if set.is_empty() {
        return baseline;
    }
    // the checks each figure of the table takes, and whether one fails
    let table = record.facts[set[0].0].table.clone();
    let figures: Vec<usize> = (0..record.facts.len())
        .filter(|&j| record.facts[j].table == table && record.facts[j].ocr.is_some())
        .collect();
    let taking: Vec<(usize, Vec<CheckKey>, bool)> = figures
        .iter()
        .map(|&j| {
            let taken = checks_taking(record, j, &baseline, checks);
            let fails = taken.iter().any(|(_, o)| o.0 == CheckStatus::Fail);
            (
                j,
                taken.into_iter().map(|(k, _)| k.clone()).collect(),
                fails,
            )
        })
        .collect();
    let mut untrusted = Vec::new();
    for &(i, value) in &set {
        let Some((_, needing, _)) = taking.iter().find(|(j, _, _)| *j == i) else {
            continue;
        };
        let needing: Vec<&CheckKey> = needing
            .iter()
            .filter(|k| baseline.get(*k).is_some_and(|o| o.0 == CheckStatus::Pass))
            .collect();
        let doubted = taking
            .iter()
            .any(|(j, keys, fails)| *j != i && *fails && keys.iter().any(|k| needing.contains(&k)));
        if doubted {
            untrusted.push((i, value));
        }
    }
    if untrusted.is_empty() {
        return baseline;
    }
    for (i, value) in untrusted {
        record.facts[i].value = value;
        let mark = record.facts[i].ocr.as_mut().expect("marked before");
        mark.check = OcrCheck::Unconfirmed;
        mark.read_as = None;
    }
    baseline = outcomes(&checks(record));
    baseline
}

/// Whether fact `i` was marked corrected.
fn corrected(record: &DocumentRecord, i: usize) -> bool {
    record.facts[i]
        .ocr
        .as_ref()
        .is_some_and(|m| m.check == OcrCheck::Corrected)
}

/// The candidates of each table that prints two decimals: its OCR facts
/// read as whole numbers of two digits or more.
fn by_table(record: &DocumentRecord, ocr: &[usize]) -> BTreeMap<String, Vec<usize>> {
    let mut tables: BTreeMap<String, (bool, Vec<usize>)> = BTreeMap::new();
    for &i in ocr {
        let fact = &record.facts[i];
        let (decimals, candidates) = tables.entry(fact.table.clone()).or_default();
        *decimals |= fact.value.scale() == 2;
        let already = fact
            .ocr
            .as_ref()
            .is_some_and(|m| m.check == OcrCheck::Corrected);
        if lost_its_point(fact.value) && !already {
            candidates.push(i);
        }
    }
    tables
        .into_iter()
        .filter(|(_, (decimals, candidates))| *decimals && !candidates.is_empty())
        .map(|(table, (_, candidates))| (table, candidates))
        .collect()
}

/// Whether a value may be a figure with two decimals read without its
/// point: a whole number of two digits or more.
fn lost_its_point(value: Decimal) -> bool {
    value.scale() == 0 && value.abs() >= Decimal::TEN
}

/// A whole number with a point before its last two digits (15000 → 150.00).
fn with_point(value: Decimal) -> Decimal {
    Decimal::from_i128_with_scale(value.mantissa(), 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_number_takes_its_point_before_its_last_two_digits() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(with_point(d("15000")).to_string(), "150.00");
        assert_eq!(with_point(d("-12414")).to_string(), "-124.14");
        assert_eq!(with_point(d("31")).to_string(), "0.31");
        assert!(lost_its_point(d("31")));
        assert!(!lost_its_point(d("3")));
        assert!(!lost_its_point(d("150.00")));
        assert!(!lost_its_point(d("150.0")));
    }
}

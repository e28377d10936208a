//! One body's report in several files that are not duplicates of each
//! other (`duplicate_of` empty): a report and its corrected re-publication,
//! or the 文件 and 表格 PDFs of one report. They are one body, and each
//! figure is taken from the first of its files, in the batch's order
//! (`documents.csv` order, which is the order of the sources; the folders
//! in the order given), that prints it.
//!
//! Where another file of the body prints the same figure (same rule, side
//! and key) and it differs beyond the rounding of both, the comparison is
//! still made with the first file's figure — but not silently: the row's
//! note names the other file, its figure and page, and one finding per
//! pair of files (`across_reports:rival_copies`, `warning`), on the file
//! whose figures are not used, names both files, how many figures differ
//! and the first of them with both pages.

use super::compare::{Body, Comparison};
use super::figures::{Batch, Printed, Role};
use super::FINDING_PREFIX;
use crate::model::{Severity, Unit};
use crate::patterns::ReconcileRule;
use crate::write::FindingRow;
use std::collections::{BTreeMap, BTreeSet};

/// The finding's name.
pub const RIVAL_COPIES: &str = "rival_copies";

/// A figure two files of one body print differently: the one used (the
/// first file's) and the other.
#[derive(Debug, Clone)]
pub struct Rival {
    pub used: Printed,
    pub other: Printed,
}

/// `(body, rule, expected side, key)` → the first rival figure found.
pub type Rivals = BTreeMap<(usize, usize, bool, String), Rival>;

/// Every figure of a body of several files that another of its files
/// prints differently.
pub fn rivals(batch: &Batch, bodies: &[Body], rules: &[ReconcileRule]) -> Rivals {
    let mut found = Rivals::new();
    for (b, body) in bodies.iter().enumerate() {
        if body.reports.len() < 2 {
            continue;
        }
        for (r, rule) in rules.iter().enumerate() {
            let places = (0..rule.expected.len())
                .map(|i| (true, Role::Expected(i)))
                .chain((0..rule.actual.len()).map(|i| (false, Role::Actual(i))));
            for (expected, role) in places {
                for (key, rival) in rivals_of(batch, body, r, role) {
                    found.entry((b, r, expected, key)).or_insert(rival);
                }
            }
        }
    }
    found
}

/// One place of one rule: each key's figure from the body's first file
/// that prints it, against the same key in its later files.
fn rivals_of(batch: &Batch, body: &Body, rule: usize, role: Role) -> Vec<(String, Rival)> {
    let mut used: BTreeMap<String, Printed> = BTreeMap::new();
    let mut found = Vec::new();
    for &report in &body.reports {
        for (key, figure) in batch.figures.of(report, rule, role) {
            match used.get(&key) {
                None => {
                    used.insert(key, figure);
                }
                Some(first) if differ(first, &figure) => found.push((
                    key,
                    Rival {
                        used: first.clone(),
                        other: figure,
                    },
                )),
                Some(_) => {}
            }
        }
    }
    found
}

/// Two figures differ beyond the rounding of both.
fn differ(a: &Printed, b: &Printed) -> bool {
    a.yuan.saturating_sub(b.yuan).abs() > a.step.saturating_add(b.step)
}

/// The rivals of a comparison's figures: on its reference body's side and
/// on each of its other bodies'.
pub fn of_comparison<'a>(rivals: &'a Rivals, c: &Comparison) -> Vec<&'a Rival> {
    let expected = rivals.get(&(c.expected_body, c.rule, true, c.key.clone()));
    let actual = c
        .actual_bodies
        .iter()
        .filter_map(|&b| rivals.get(&(b, c.rule, false, c.key.clone())));
    expected.into_iter().chain(actual).collect()
}

/// The note a comparison's row gets for a rival figure.
pub fn note(batch: &Batch, rival: &Rival) -> String {
    format!(
        "another file of the same report, {}, prints {}{} here{}: compared with {}'s {}, the first file",
        batch.reports[rival.other.report].source,
        rival.other.value,
        rival.other.unit.map_or("", Unit::as_str),
        page_note(rival.other.page),
        batch.reports[rival.used.report].source,
        super::compare::shown(&rival.used),
    )
}

fn page_note(page: Option<u32>) -> String {
    page.map_or(String::new(), |p| format!(" (page {p})"))
}

/// One finding per pair of files that print a figure differently, on the
/// file not used, in the order of the bodies and files.
pub fn findings(batch: &Batch, rivals: &Rivals) -> Vec<FindingRow> {
    // (used file, other file) → the figures they differ in, first first
    // (a figure several rules name counts once)
    let mut pairs: BTreeMap<(usize, usize), Vec<&Rival>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for rival in rivals.values() {
        let f = &rival.other;
        let figure = (f.report, f.page, &f.table, &f.column, &f.item, f.yuan);
        if seen.insert(figure) {
            pairs
                .entry((rival.used.report, rival.other.report))
                .or_default()
                .push(rival);
        }
    }
    pairs
        .into_iter()
        .map(|((used, other), figures)| {
            let first = figures[0];
            let (used, other) = (&batch.reports[used], &batch.reports[other]);
            let unit = |f: &Printed| f.unit.map_or("", Unit::as_str).to_string();
            FindingRow {
                doc_id: other.doc_id.clone(),
                source: other.source.clone(),
                finding: format!("{FINDING_PREFIX}{RIVAL_COPIES}"),
                severity: Severity::Warning,
                section: first.other.table_label.clone(),
                page: first.other.page,
                excerpt: first.other.item.clone(),
                expected: format!("{}{}", first.used.value, unit(&first.used)),
                actual: format!("{}{}", first.other.value, unit(&first.other)),
                message: format!(
                    "本文件与同一报告的另一文件（{}）所列数字不一致，共{}处：{}{}本文件{}为{}{}，另一文件{}为{}{}；跨报告比较采用文件顺序在前的{}。",
                    used.source,
                    figures.len(),
                    first.other.table_label,
                    first.other.item,
                    page_cn(first.other.page),
                    first.other.value,
                    unit(&first.other),
                    page_cn(first.used.page),
                    first.used.value,
                    unit(&first.used),
                    used.source,
                ),
            }
        })
        .collect()
}

fn page_cn(page: Option<u32>) -> String {
    page.map_or(String::new(), |p| format!("第{p}页"))
}

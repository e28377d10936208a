//! The labels of coded rows read by OCR set right against the
//! classification's names (`classification.toml`, the dictionary the
//! review judges names by): where a row's code is vouched for (a class
//! code, or a code whose parent the table holds) and the dictionary gives
//! the code one name in the report's year, a label that is not a name of
//! the code but within half its characters of that name is read as it
//! (机关事业单位其本六饼永屏六只支出 under 2080505 → 机关事业单位基本养老保险
//! 缴费支出). An ordinal before the label (八、) stays as printed; a label
//! that is one of the code's names (of any year) is left for the review to
//! judge. As with the other labels set right ([`super::correct`]), each
//! page's changes are one warning in `issues.csv`, every change quoted.

use super::proofread::key_vouched;
use crate::model::{DocumentRecord, Issue, NARRATIVE};
use crate::patterns::{comparable, Patterns};
use crate::text::{levenshtein, normalise, strip_ordinals};
use std::collections::BTreeMap;

/// Set right the labels of the coded rows of the pages read by OCR
/// (`ocr_pages`); one warning a page that had any.
pub fn set_labels_right(
    record: &mut DocumentRecord,
    ocr_pages: &[u32],
    patterns: &Patterns,
) -> Vec<Issue> {
    let mut changes: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for i in 0..record.facts.len() {
        let fact = &record.facts[i];
        let Some(page) = fact.page.filter(|p| ocr_pages.contains(p)) else {
            continue;
        };
        let Some(kind) = fact.code_kind else { continue };
        if fact.table == NARRATIVE
            || fact.item.is_empty()
            || !key_vouched(fact, &record.facts, patterns)
        {
            continue;
        }
        let Some(right) = official(patterns, kind.as_str(), &fact.code, &fact.item, record.year)
        else {
            continue;
        };
        let change = format!("{} {} → {right}", fact.code, normalise(&fact.item));
        let list = changes.entry(page).or_default();
        if !list.contains(&change) {
            list.push(change);
        }
        record.facts[i].item = right;
    }
    super::correct::page_warnings(
        changes,
        "label(s) of coded rows read by OCR set to their code's name in the classification",
    )
}

/// The label `printed` under `code` set to the code's name, its ordinal
/// kept; `None` when it is a name of the code, or too far from the name.
fn official(
    patterns: &Patterns,
    kind: &str,
    code: &str,
    printed: &str,
    year: Option<u16>,
) -> Option<String> {
    let name = patterns
        .classification
        .name_for(kind, code, printed, year)?;
    let normalised = normalise(printed);
    let label = strip_ordinals(&normalised);
    let ordinal = &normalised[..normalised.len() - label.len()];
    let read: Vec<char> = comparable(label).chars().collect();
    let right: Vec<char> = comparable(name).chars().collect();
    let distance = levenshtein(&read, &right);
    (distance > 0 && distance * 2 <= right.len()).then(|| format!("{ordinal}{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::rules::testing::fact;
    use crate::model::Fact;

    /// The seed's 公开05表 rows 20805 and 2080505 (社会保障和就业支出 …,
    /// page 9 of its rendering), the 项's name misread as a worn 200 dpi
    /// scan read it: set to the classification's name; a name within
    /// reach of none, one the code bears, or under a code whose parent the
    /// table lacks: left as read.
    #[test]
    fn a_coded_rows_misread_label_takes_its_codes_name() {
        let patterns = Patterns::builtin();
        let row = |code: &str, item: &str| Fact {
            item: item.to_string(),
            ..fact("gpb_expenditure", code, "", "total", "33.66")
        };
        let mut record = DocumentRecord {
            year: Some(2023),
            facts: vec![
                row("208", "八、社会保障和就业支出"),
                row("20805", "行政事业单位养老支出"),
                row("2080505", "机关事业单位其本六饼永屏六只支出"),
                row("2080506", "机关事业单位职业年金缴费支出"),
                row("2080502", "事业单位离退休费用"),
                row("2101102", "事业单位医打"),
            ],
            ..DocumentRecord::default()
        };
        let issues = set_labels_right(&mut record, &[1], &patterns);
        let items: Vec<&str> = record.facts.iter().map(|f| f.item.as_str()).collect();
        assert_eq!(
            items,
            [
                "八、社会保障和就业支出",
                "行政事业单位养老支出",
                "机关事业单位基本养老保险缴费支出",
                "机关事业单位职业年金缴费支出",
                "事业单位离退休",
                "事业单位医打",
            ]
        );
        assert_eq!(issues.len(), 1);
        assert!(
            issues[0].message.ends_with(
                "2080505 机关事业单位其本六饼永屏六只支出 → 机关事业单位基本养老保险缴费支出; 2080502 事业单位离退休费用 → 事业单位离退休"
            ),
            "{issues:?}"
        );
    }
}

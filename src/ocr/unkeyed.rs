//! No fact without its keys: a figure of a page read by OCR whose column
//! could not be named (its header misread past what the lexicon sets
//! right), or whose row has neither a code nor a named line, is taken out
//! of the facts and reported — one error per row in `issues.csv`, naming
//! the page, table and row and quoting the figures. A dataset stacked
//! across reports cannot use a figure without its keys, and one under an
//! empty key would be counted with others that are not its kind.
//!
//! The text-layer path keeps such facts (with a warning); only figures
//! read by OCR, where a missing key is a misreading, are taken out.

use crate::model::{DocumentRecord, Fact, Issue, NARRATIVE};
use std::collections::BTreeMap;

/// Take the unkeyed facts of the pages read by OCR (`ocr_pages`) out of
/// `record`, each row's as one error; the facts' counts of the tables
/// found follow.
pub fn take_out_unkeyed(record: &mut DocumentRecord, ocr_pages: &[u32]) -> Vec<Issue> {
    let (unkeyed, kept): (Vec<Fact>, Vec<Fact>) = std::mem::take(&mut record.facts)
        .into_iter()
        .partition(|f| {
            f.page.is_some_and(|p| ocr_pages.contains(&p)) && f.table != NARRATIVE && !keyed(f)
        });
    record.facts = kept;
    for fact in &unkeyed {
        if let Some(table) = record
            .tables
            .iter_mut()
            .find(|t| t.key == fact.table && t.label == fact.table_label && t.facts > 0)
        {
            table.facts -= 1;
        }
    }
    let mut rows: BTreeMap<(Option<u32>, String, u32), Vec<&Fact>> = BTreeMap::new();
    for fact in &unkeyed {
        rows.entry((fact.page, fact.table.clone(), fact.row))
            .or_default()
            .push(fact);
    }
    rows.into_values().map(|facts| row_issue(&facts)).collect()
}

/// Whether a fact can be named: a column key, and a code or a line.
fn keyed(fact: &Fact) -> bool {
    let has_column = !fact.column.is_empty();
    let has_row_key = !fact.code.is_empty() || !fact.line.is_empty();
    has_column && has_row_key
}

/// One row's figures taken out, and why.
fn row_issue(facts: &[&Fact]) -> Issue {
    let first = facts[0];
    let why = if first.code.is_empty() && first.line.is_empty() {
        "its row has no code or named line".to_string()
    } else {
        let headers: Vec<String> = facts
            .iter()
            .filter(|f| f.column.is_empty())
            .map(|f| format!("{:?}", f.column_label))
            .collect();
        format!(
            "no column key for the header(s) read as {}",
            headers.join(", ")
        )
    };
    let figures: Vec<String> = facts.iter().map(|f| f.value.to_string()).collect();
    Issue::error(
        "ocr",
        format!(
            "row {:?}: {} figure(s) read by OCR not taken as facts, {why}: {}",
            first.item.trim().chars().take(60).collect::<String>(),
            facts.len(),
            figures.join(", ")
        ),
    )
    .at(&first.table, first.page, Some(first.row))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::rules::testing::{coded, fact};

    /// A figure under a header no pattern names (its column empty) and a
    /// row with neither code nor line, on a page read by OCR: taken out,
    /// one error a row naming it; the same on a page with a text layer
    /// stays.
    #[test]
    fn a_figure_without_its_column_or_row_key_is_an_issue_not_a_fact() {
        let mut record = DocumentRecord {
            facts: vec![
                coded("2010350", "25.13"),
                fact("expenditure", "2010350", "", "", "10"),
                Fact {
                    row: 2,
                    ..fact("expenditure", "", "", "total", "3.00")
                },
                Fact {
                    page: Some(2),
                    ..fact("expenditure", "2010350", "", "", "11")
                },
            ],
            ..DocumentRecord::default()
        };
        let issues = take_out_unkeyed(&mut record, &[1]);
        let values: Vec<String> = record.facts.iter().map(|f| f.value.to_string()).collect();
        assert_eq!(values, ["25.13", "11"]);
        assert_eq!(issues.len(), 2, "{issues:?}");
        let places: Vec<(Option<u32>, &str, Option<u32>)> = issues
            .iter()
            .map(|i| (i.page, i.table.as_str(), i.row))
            .collect();
        assert_eq!(
            places,
            [
                (Some(1), "expenditure", Some(1)),
                (Some(1), "expenditure", Some(2))
            ]
        );
        assert!(issues[0].message.contains("no column key"), "{issues:?}");
        assert!(
            issues[1].message.contains("no code or named line"),
            "{issues:?}"
        );
    }
}

//! Statements in the text that the checks hold the report to: the years
//! it states and the template placeholders left in it.

use super::items::Item;
use crate::patterns::Patterns;

/// Years stated in paragraphs (2024年度部门决算, 截至2024年12月31日).
pub(super) fn find_year_mentions(
    items: &[Item],
    patterns: &Patterns,
) -> Vec<crate::model::YearMention> {
    let mut found = Vec::new();
    for item in items {
        let Item::Text(text, page) = item else {
            continue;
        };
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for statement in &patterns.report.year_statements {
            for caps in statement.regex.captures_iter(&compact) {
                let Ok(year) = caps["year"].parse() else {
                    continue;
                };
                found.push(crate::model::YearMention {
                    year,
                    offset: statement.offset,
                    kind: statement.kind,
                    text: caps[0].to_string(),
                    page: *page,
                });
            }
        }
    }
    found
}

/// Template placeholders (XX局, XXXX年) left in paragraphs or cells.
pub(super) fn find_placeholders(items: &[Item], patterns: &Patterns) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut note = |text: &str, page: Option<u32>| {
        for regex in &patterns.report.placeholders {
            for m in regex.find_iter(text) {
                let place = page.map(|p| format!("page {p}: ")).unwrap_or_default();
                let entry = format!("{place}{}", m.as_str());
                if found.len() < 10 && !found.contains(&entry) {
                    found.push(entry);
                }
            }
        }
    };
    for item in items {
        match item {
            Item::Text(text, page) => note(text, *page),
            Item::Row(row) => row.cells.iter().for_each(|c| note(c, row.page)),
        }
    }
    found
}

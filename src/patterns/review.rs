//! `review.toml`: the wording a review of a report's text reads — its
//! sections, the item explanations, stated shares and changes, direction
//! words and residue.

use super::{compile_regexes, invalid, PatternError};
use regex::Regex;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReviewFile {
    sections: Vec<String>,
    heading_max_chars: usize,
    item_sections: Vec<String>,
    items: ItemsFile,
    statements: StatementsFile,
    levels: LevelsFile,
    words: WordsFile,
}

/// The words of each level's report.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelsFile {
    pub department: Vec<String>,
    pub unit: Vec<String>,
    pub shared: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemsFile {
    start: String,
    split: String,
    code_part: String,
    amount: String,
    previous: String,
    current: String,
    change: String,
    difference: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementsFile {
    change: String,
    share: String,
    list_total: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WordsFile {
    increase: Vec<String>,
    decrease: Vec<String>,
    comparison: String,
    unclosed: String,
    empty_reason: String,
    doubled: String,
    residue: Vec<String>,
}

/// The compiled review patterns.
#[derive(Debug, Clone)]
pub struct ReviewPatterns {
    pub sections: Vec<String>,
    pub heading_max_chars: usize,
    /// Sections whose numbered paragraphs are item explanations.
    pub item_sections: Vec<String>,
    pub item_start: Regex,
    pub item_split: Regex,
    pub code_part: Regex,
    pub amount: Regex,
    pub previous: Regex,
    pub current: Regex,
    pub change: Regex,
    pub difference: Regex,
    /// A change from last year outside the items (与上年相比，今年收入总计
    /// 减少341.02万元，降低41.92%).
    pub statement_change: Regex,
    /// A share (基本支出332.70万元，占支出总计的70.43%).
    pub share: Regex,
    /// The figure a list of shares hangs on when they name no total
    /// (本年支出预算合计33172.15万元，其中：).
    pub list_total: Regex,
    pub increase: Vec<String>,
    pub decrease: Vec<String>,
    pub comparison: Regex,
    pub unclosed: Regex,
    /// A reason or purpose announced and left empty (主要原因是。).
    pub empty_reason: Regex,
    pub doubled: Regex,
    pub residue: Vec<Regex>,
    /// The words of each level's report (`[levels]`).
    pub levels: LevelsFile,
}

pub(super) fn compile_review(
    file: &str,
    review: ReviewFile,
) -> Result<ReviewPatterns, PatternError> {
    let one = |key: &str, source: &str, groups: &[&str]| -> Result<Regex, PatternError> {
        let regex = compile_regexes(file, key, &[source.to_string()])?.remove(0);
        for group in groups {
            if !regex.capture_names().flatten().any(|n| n == *group) {
                return Err(invalid(
                    file,
                    key,
                    format!("the regex needs a group `{group}`"),
                ));
            }
        }
        Ok(regex)
    };
    let items = &review.items;
    let words = &review.words;
    Ok(ReviewPatterns {
        item_start: one("items.start", &items.start, &["number"])?,
        item_split: one("items.split", &items.split, &["next"])?,
        code_part: one(
            "items.code_part",
            &items.code_part,
            &["name", "digits", "level"],
        )?,
        amount: one("items.amount", &items.amount, &["value"])?,
        previous: one("items.previous", &items.previous, &["year", "value"])?,
        current: one("items.current", &items.current, &["year", "value"])?,
        change: one(
            "items.change",
            &items.change,
            &["year", "direction", "percent"],
        )?,
        difference: one(
            "items.difference",
            &items.difference,
            &["direction", "difference", "percent"],
        )?,
        statement_change: one(
            "statements.change",
            &review.statements.change,
            &["subject", "direction", "difference", "percent"],
        )?,
        share: one(
            "statements.share",
            &review.statements.share,
            &["value", "total", "percent"],
        )?,
        list_total: one(
            "statements.list_total",
            &review.statements.list_total,
            &["value"],
        )?,
        comparison: one("words.comparison", &words.comparison, &["year"])?,
        unclosed: one("words.unclosed", &words.unclosed, &[])?,
        empty_reason: one("words.empty_reason", &words.empty_reason, &[])?,
        doubled: one("words.doubled", &words.doubled, &[])?,
        residue: compile_regexes(file, "words.residue", &words.residue)?,
        levels: review.levels.clone(),
        increase: words.increase.clone(),
        decrease: words.decrease.clone(),
        item_sections: review.item_sections,
        sections: review.sections,
        heading_max_chars: review.heading_max_chars,
    })
}

//! Narrative figures: amounts stated in the text part of a report
//! (收入总计472.39万元, "三公"经费支出0.72万元 …), found with the regexes of
//! `patterns/narrative.toml` on normalised paragraph text (no whitespace or
//! quotes, ASCII punctuation). The first match of each figure in the
//! document is kept, as a fact of table `narrative` whose `item` is the
//! matched wording, whose `line` is the figure's key and whose `row` is the
//! number of the paragraph (1-based, among the document's paragraphs). Facts
//! come in paragraph order.

use crate::model::{Block, Document, Fact, StatedComparison, Unit};
use crate::number::parse_value;
use crate::patterns::Patterns;
use crate::text::normalise;

/// Normalised paragraphs with their 1-based number and page.
fn paragraphs(document: &Document) -> Vec<(usize, String, Option<u32>)> {
    document
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some((normalise(&p.text), p.page)),
            Block::Table(_) => None,
        })
        .enumerate()
        .map(|(i, (text, page))| (i + 1, text, page))
        .collect()
}

/// Every sentence comparing two amounts in words (决算数小于预算数).
pub fn comparisons(document: &Document, patterns: &Patterns) -> Vec<StatedComparison> {
    let mut found = Vec::new();
    for (number, text, page) in paragraphs(document) {
        for comparison in &patterns.comparisons {
            for regex in &comparison.patterns {
                for caps in regex.captures_iter(&text) {
                    let word = &caps["relation"];
                    let relation = if comparison.less.iter().any(|w| w == word) {
                        std::cmp::Ordering::Less
                    } else if comparison.equal.iter().any(|w| w == word) {
                        std::cmp::Ordering::Equal
                    } else if comparison.greater.iter().any(|w| w == word) {
                        std::cmp::Ordering::Greater
                    } else {
                        continue;
                    };
                    let amount = |name: &str| {
                        Some((
                            parse_value(&caps[name])?,
                            Unit::parse(&caps[format!("{name}_unit").as_str()])?,
                        ))
                    };
                    let (Some((a, a_unit)), Some((b, b_unit))) = (amount("a"), amount("b")) else {
                        continue;
                    };
                    found.push(StatedComparison {
                        name: comparison.name.clone(),
                        text: caps[0].to_string(),
                        page,
                        paragraph: number as u32,
                        a,
                        a_unit,
                        b,
                        b_unit,
                        relation,
                    });
                }
            }
        }
    }
    found
}

pub fn extract(document: &Document, patterns: &Patterns) -> Vec<Fact> {
    let paragraphs = paragraphs(document);
    let mut facts = Vec::new();
    for figure in &patterns.figures {
        let found = paragraphs.iter().find_map(|(number, text, page)| {
            figure
                .patterns
                .iter()
                .find_map(|regex| regex.captures(text))
                .map(|caps| (*number, *page, caps))
        });
        let Some((number, page, caps)) = found else {
            continue;
        };
        let (Some(value), Some(unit)) = (parse_value(&caps["value"]), Unit::parse(&caps["unit"]))
        else {
            continue;
        };
        facts.push(Fact {
            table: crate::model::NARRATIVE.to_string(),
            table_label: String::new(),
            table_no: String::new(),
            page,
            row: number as u32,
            code: String::new(),
            code_kind: None,
            line: figure.line.clone(),
            item: caps
                .name("w")
                .map_or_else(|| wording(&caps[0]), |w| w.as_str())
                .to_string(),
            column: "amount".to_string(),
            column_label: String::new(),
            value,
            unit: Some(unit),
            ocr: None,
        });
    }
    facts.sort_by_key(|f| f.row);
    facts
}

/// The matched text without the punctuation or ordinal a pattern needed
/// before the label (`1.基本支出…` → `基本支出…`).
fn wording(matched: &str) -> &str {
    matched.trim_start_matches(|c: char| c.is_ascii_digit() || "、，,：:）).".contains(c))
}

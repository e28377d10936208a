//! Narrative figures: amounts stated in the text part of a report
//! (收入总计472.39万元, "三公"经费支出0.72万元 …), found with the regexes of
//! `patterns/narrative.toml` on normalised paragraph text (no whitespace or
//! quotes, ASCII punctuation). The first match of each figure in the
//! document is kept, as a fact of table `narrative` whose `item` is the
//! matched wording, whose `line` is the figure's key and whose `row` is the
//! number of the paragraph (1-based, among the document's paragraphs). Facts
//! come in paragraph order.

use crate::model::{Block, Document, Fact, Unit};
use crate::number::parse_value;
use crate::patterns::Patterns;
use crate::text::normalise;

pub fn extract(document: &Document, patterns: &Patterns) -> Vec<Fact> {
    let paragraphs: Vec<(usize, String, Option<u32>)> = document
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some((normalise(&p.text), p.page)),
            Block::Table(_) => None,
        })
        .enumerate()
        .map(|(i, (text, page))| (i + 1, text, page))
        .collect();
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
            table: "narrative".to_string(),
            table_label: String::new(),
            table_no: String::new(),
            page,
            row: number as u32,
            code: String::new(),
            code_kind: None,
            line: figure.line.clone(),
            item: wording(&caps[0]).to_string(),
            column: "amount".to_string(),
            column_label: String::new(),
            value,
            unit: Some(unit),
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

//! Figures the text states outside the item explanations, each a promise
//! the checks can hold it to (`review.toml` `[statements]`):
//! - a share of a total: `基本支出332.70万元，占支出总计的70.43%` — the
//!   total's figure is the last one the text gave it before
//!   (`支出总计472.39万元`), or, where no total is named
//!   (`基本支出18570.82万元，占55.98%`), the figure the list hangs on
//!   (`本年支出预算合计33172.15万元，其中：`). Facts `share.value`,
//!   `share.total` (万元) and `share.percent`, checked by `share`.
//! - a change from last year: `与上年相比，今年收入总计减少341.02万元，降低
//!   41.92%` — the subject's figure found before it the same way, or with
//!   no subject the last figure before it in its paragraph; read as an item
//!   without a code (facts `item.amount`, `item.difference`,
//!   `item.change_percent`), checked by `item_change`.
//!
//! A statement whose figures cannot all be found is not read (nothing is
//! guessed).

use super::items::Item;
use super::{captured, captured_signed, excerpt, Paragraph};
use crate::check::rules::items::Printed;
use crate::model::{Fact, Unit, NARRATIVE};
use crate::patterns::ReviewPatterns;
use regex::Regex;
use rust_decimal::Decimal;

/// Any figure in 万元.
static FIGURE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"(?P<value>\d[\d,]*(?:\.\d+)?)万元").expect("a valid regex")
});

/// Paragraphs looked back over for a named figure.
const LOOK_BACK: usize = 40;
/// Paragraphs looked back over for the figure a list hangs on.
const LIST_LOOK_BACK: usize = 3;

/// A share of a total, as stated.
#[derive(Debug)]
pub(crate) struct Share {
    pub row: u32,
    pub text: String,
    pub page: Option<u32>,
    pub section: String,
    pub value: Printed,
    pub total: Printed,
    /// The total as named (or the list's lead-in).
    pub total_name: String,
    pub percent: Printed,
}

/// The text of the paragraphs before `index` (at most `back`, running
/// heads passed over: a list broken by a page end goes on under the head
/// of the next page) and of paragraph `index` up to `at`.
fn text_before(paragraphs: &[Paragraph], index: usize, at: usize, back: usize) -> String {
    let before: Vec<&Paragraph> = paragraphs[..index]
        .iter()
        .rev()
        .filter(|p| !p.running_head)
        .take(back)
        .collect();
    let mut text: String = before
        .iter()
        .rev()
        .map(|p| format!("{}。", p.text))
        .collect();
    text.push_str(&paragraphs[index].text[..at]);
    text
}

/// The last figure the text gave `name` before: `收入总计472.39万元`,
/// `2023年度财政拨款支出472.39万元`, at the start of a clause (or, for a
/// name of four characters or more, after 的: 财政拨款安排的“三公”经费支出
/// 0.72万元).
fn named_figure(before: &str, name: &str) -> Option<Printed> {
    let boundary = if name.chars().count() >= 4 {
        "[，。：；、）)的]"
    } else {
        "[，。：；、）)]"
    };
    let regex = Regex::new(&format!(
        r"(?:^|{boundary})(?:本年|今年|本年度|(?:19|20)\d{{2}}年度?)?{}(?:总计|合计)?(?:为|是)?[：:]?(?P<value>\d[\d,]*(?:\.\d+)?)万元",
        regex::escape(name)
    ))
    .ok()?;
    let caps = regex.captures_iter(before).last()?;
    captured(&caps, "value")
}

/// The shares a report states, in order.
pub(crate) fn shares(paragraphs: &[Paragraph], patterns: &ReviewPatterns) -> Vec<Share> {
    let mut out = Vec::new();
    for (index, paragraph) in paragraphs.iter().enumerate() {
        if paragraph.heading || paragraph.section == "目录" {
            continue;
        }
        for caps in patterns.share.captures_iter(&paragraph.text) {
            let (Some(whole), Some(value), Some(percent)) = (
                caps.get(0),
                captured(&caps, "value"),
                captured(&caps, "percent"),
            ) else {
                continue;
            };
            let named = caps.name("total").map(|m| m.as_str().to_string());
            let total = match &named {
                Some(name) => named_figure(
                    &text_before(paragraphs, index, whole.start(), LOOK_BACK),
                    name,
                ),
                None => patterns
                    .list_total
                    .captures_iter(&text_before(
                        paragraphs,
                        index,
                        whole.start(),
                        LIST_LOOK_BACK,
                    ))
                    .last()
                    .and_then(|c| captured(&c, "value")),
            };
            let Some(total) = total else { continue };
            out.push(Share {
                row: out.len() as u32 + 1,
                text: clause_of(&paragraph.text, whole.start(), whole.end()),
                page: paragraph.page,
                section: paragraph.section.clone(),
                value,
                total,
                total_name: named.unwrap_or_default(),
                percent,
            });
        }
    }
    out
}

/// The sentence around `start..end`.
fn clause_of(text: &str, start: usize, end: usize) -> String {
    let from = text[..start]
        .rfind(['。', '；'])
        .map_or(0, |i| i + '。'.len_utf8());
    let to = text[end..]
        .find(['。', '；'])
        .map_or(text.len(), |i| end + i);
    excerpt(&text[from..to], 100)
}

/// The shares' figures as `narrative` facts.
pub(crate) fn share_facts(shares: &[Share]) -> Vec<Fact> {
    let mut facts = Vec::new();
    for share in shares {
        let fact = |line: &str, column: &str, value: Decimal, unit: Option<Unit>| Fact {
            table: NARRATIVE.to_string(),
            table_label: share.section.clone(),
            table_no: String::new(),
            page: share.page,
            row: share.row,
            code: String::new(),
            code_kind: None,
            line: line.to_string(),
            item: share.text.chars().take(40).collect(),
            column: column.to_string(),
            column_label: String::new(),
            value,
            unit,
            ocr: None,
        };
        let wan = Some(Unit::TenThousandYuan);
        facts.push(fact("share.value", "amount", share.value.value, wan));
        facts.push(fact("share.total", "amount", share.total.value, wan));
        facts.push(fact("share.percent", "percent", share.percent.value, None));
    }
    facts
}

/// The text before a statement without the parenthesised aside it ends
/// with: in `公务用车购置及运行维护费74.1万元（…运行维护费…比上年增加57.2
/// 万元。）比上年增加39.2万元，增长112.3%` the change is the 74.1's, not the
/// aside's last figure.
fn without_closing_aside(before: &str) -> &str {
    let trimmed = before.trim_end();
    if !trimmed.ends_with(['）', ')']) {
        return before;
    }
    let mut depth = 0usize;
    for (at, c) in trimmed.char_indices().rev() {
        match c {
            '）' | ')' => depth += 1,
            '（' | '(' => {
                depth -= 1;
                if depth == 0 {
                    return &trimmed[..at];
                }
            }
            _ => {}
        }
    }
    before
}

/// The text before a statement without the list of parts of the sentence
/// it follows: in `支出预算10344.71万元，其中：基本支出8974.01万元、项目支出
/// 1370.70万元。比上年减少32.61万元` the change is the whole's, not the last
/// part's (a change after a comma, within the list, is the part's).
fn without_parts_list(before: &str) -> &str {
    let trimmed = before.trim_end();
    let Some(sentence) = trimmed.strip_suffix('。') else {
        return before;
    };
    let start = sentence.rfind('。').map_or(0, |at| at + '。'.len_utf8());
    match sentence[start..].find("其中") {
        Some(at) => &sentence[..start + at],
        None => before,
    }
}

/// Changes from last year stated outside the items, as items without a
/// code (`paragraph_is_item` tells the paragraphs the items read).
pub(crate) fn change_statements(
    paragraphs: &[Paragraph],
    patterns: &ReviewPatterns,
    paragraph_is_item: impl Fn(&Paragraph) -> bool,
) -> Vec<Item> {
    let mut out = Vec::new();
    for (index, paragraph) in paragraphs.iter().enumerate() {
        if paragraph.heading || paragraph.section == "目录" || paragraph_is_item(paragraph) {
            continue;
        }
        for caps in patterns.statement_change.captures_iter(&paragraph.text) {
            let Some(whole) = caps.get(0) else { continue };
            let subject = caps.name("subject").map_or("", |m| m.as_str());
            let amount = if subject.is_empty() {
                // the last figure before it in its paragraph, an aside
                // closed just before it set aside
                let before =
                    without_parts_list(without_closing_aside(&paragraph.text[..whole.start()]));
                FIGURE
                    .captures_iter(before)
                    .last()
                    .and_then(|c| captured(&c, "value"))
            } else {
                named_figure(
                    &text_before(paragraphs, index, whole.start(), LOOK_BACK),
                    subject,
                )
            };
            let signed = |name: &str| captured_signed(&caps, name, patterns);
            let (Some(amount), Some(difference), Some(percent)) =
                (amount, signed("difference"), signed("percent"))
            else {
                continue;
            };
            let label = if subject.is_empty() {
                excerpt(&paragraph.text, 12)
            } else {
                subject.to_string()
            };
            out.push(Item::statement(
                clause_of(&paragraph.text, whole.start(), whole.end()),
                paragraph,
                label,
                amount,
                (difference, percent, whole.as_str().to_string()),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{text_before, without_closing_aside, without_parts_list, Paragraph};

    /// Wuxi's 2025 budget (jiangsu_wuxi_02): the list of shares goes on on
    /// the next page, under the report's name printed over every page.
    #[test]
    fn a_running_head_between_a_list_and_its_lead_in_is_passed_over() {
        let paragraph = |text: &str, running_head| Paragraph {
            text: text.to_string(),
            page: None,
            section: String::new(),
            heading: false,
            running_head,
        };
        let paragraphs = [
            paragraph(
                "2025年收入预算合计9,947.88万元，包括本年收入9,947.88万元。其中：",
                false,
            ),
            paragraph("无锡市发展和改革委员会2025年度部门预算公开", true),
            paragraph("本年一般公共预算收入9,947.88万元，占100%；", false),
            paragraph("本年政府性基金预算收入0万元，占0%；", false),
            paragraph("本年国有资本经营预算收入0万元，占0%；", false),
        ];
        let before = text_before(&paragraphs, 4, 0, 3);
        assert!(
            before.starts_with("2025年收入预算合计9,947.88万元"),
            "{before}"
        );
        assert!(!before.contains("部门预算公开"), "{before}");
    }

    #[test]
    fn a_change_after_an_aside_or_a_list_of_parts_is_the_wholes() {
        let before =
            "公务用车购置及运行维护费74.1万元（公务用车运行维护费74.1万元，比上年增加57.2万元。）";
        assert_eq!(
            without_closing_aside(before),
            "公务用车购置及运行维护费74.1万元"
        );
        assert_eq!(without_closing_aside("收入100万元，"), "收入100万元，");
        let before =
            "相应安排支出预算10344.71万元，其中：基本支出8974.01万元、项目支出1370.70万元。";
        assert_eq!(without_parts_list(before), "相应安排支出预算10344.71万元，");
        // within the list, after a comma: the part's
        let before = "支出100万元，其中：基本支出60万元，";
        assert_eq!(without_parts_list(before), before);
    }
}

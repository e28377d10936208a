//! The item explanations of a 预算编制说明 / 决算情况说明:
//! `6、公共安全支出（204类）司法（06款）其他司法支出（99项）3845.49万元。…
//! 2025年当年预算执行数为43269.3万元，2026年预算安排3845.49万元，比2025年
//! 预算执行数增加17.62%。` — the code (204 + 06 + 99 = 2040699), the amount,
//! the previous year's figure, this year's figure and the stated change.
//!
//! Checked, each figure known only to its last printed digit (0.50 is
//! anything from 0.495 to 0.505):
//! - the stated change against every change the two figures allow, with
//!   the percentage's own precision, rounded or truncated (`percentage`;
//!   `direction` when the word says the opposite of the figures);
//! - the amount against this year's figure the item states again
//!   (`item_figures`), and against the code's figure in the tables
//!   (`item_vs_table`: 一般公共预算 expenditure, else expenditure), which
//!   tells which of two figures is right. A base of zero is not checked
//!   (a body new that year writes 增长100% from nothing).

use super::{excerpt, Paragraph};
use crate::model::{CodeKind, DocumentRecord, Fact, Finding, Issue, Severity, Unit, NARRATIVE};
use crate::patterns::Patterns;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Paragraphs an item may run over (a layout breaks lines).
const ITEM_PARAGRAPHS: usize = 4;

/// A figure as printed, with the half unit of its last digit.
#[derive(Debug, Clone, Copy)]
struct Printed {
    value: Decimal,
    half_unit: Decimal,
}

impl Printed {
    fn parse(text: &str) -> Option<Printed> {
        // the decimal keeps the printed scale: 0.50 has two decimals
        let value = Decimal::from_str(&text.replace(',', "")).ok()?;
        Some(Printed {
            value,
            half_unit: Decimal::new(5, value.scale() + 1),
        })
    }

    /// The least and the most the printed figure may stand for.
    fn bounds(self) -> [Decimal; 2] {
        [self.value - self.half_unit, self.value + self.half_unit]
    }
}

/// Whether a stated percentage (`sign` × `percent`), rounded (± half a
/// unit) or truncated (up to a unit more in magnitude), meets the range of
/// changes `low..=high` the printed figures allow.
fn stated_allows(percent: Printed, sign: i8, low: Decimal, high: Decimal) -> bool {
    let stated = percent.value * Decimal::from(sign);
    let unit = percent.half_unit * Decimal::TWO;
    let (s_low, s_high) = if sign > 0 {
        (stated - percent.half_unit, stated + unit)
    } else {
        (stated - unit, stated + percent.half_unit)
    };
    s_high >= low && s_low <= high
}

struct Item<'a> {
    text: String,
    first: &'a Paragraph,
    /// The full code (2040699), or what of it was found.
    code: String,
    /// The code, or the 项's name when no code was found.
    label: String,
    amount: Option<Printed>,
    previous: Option<Printed>,
    current: Option<Printed>,
    /// The stated change, signed, with its printed text.
    change: Option<(Printed, i8, String)>,
    /// The change stated as a difference and a percentage (signed by the
    /// difference's word), with its printed text.
    difference: Option<(Printed, Printed, i8, String)>,
}

/// Check every item explanation, keep its figures as facts, and report
/// the items none of whose figures could be read.
pub(super) fn review_items(
    paragraphs: &[Paragraph],
    record: &DocumentRecord,
    patterns: &Patterns,
    review: &mut super::Review,
) {
    for (number, item) in items(paragraphs, patterns, record).into_iter().enumerate() {
        if item.amount.is_none() && item.previous.is_none() && item.current.is_none() {
            review.issues.push(
                Issue::warning(
                    "review",
                    format!(
                        "item explanation of {} not read: no figure in “{}”",
                        item.label,
                        excerpt(&item.text, 60)
                    ),
                )
                .at(NARRATIVE, item.first.page, None),
            );
            continue;
        }
        percentage(&item, &mut review.findings);
        difference(&item, &mut review.findings);
        figures(&item, record, &mut review.findings);
        review.facts.extend(item_facts(&item, number as u32 + 1));
    }
}

/// The item's figures as `narrative` facts.
fn item_facts(item: &Item, row: u32) -> Vec<Fact> {
    let names: String = item.text.chars().take(40).collect();
    let fact = |line: &str, column: &str, value: Decimal, unit: Option<Unit>| Fact {
        table: NARRATIVE.to_string(),
        table_label: item.first.section.clone(),
        table_no: String::new(),
        page: item.first.page,
        row,
        code: item.code.clone(),
        code_kind: Some(CodeKind::Function),
        line: line.to_string(),
        item: names.clone(),
        column: column.to_string(),
        column_label: String::new(),
        value,
        unit,
    };
    let wan = Some(Unit::TenThousandYuan);
    let mut facts = Vec::new();
    for (line, printed) in [
        ("item.amount", item.amount),
        ("item.previous", item.previous),
        ("item.current", item.current),
    ] {
        if let Some(printed) = printed {
            facts.push(fact(line, "amount", printed.value, wan));
        }
    }
    if let Some((percent, sign, _)) = &item.change {
        let signed = percent.value * Decimal::from(*sign);
        facts.push(fact("item.change_percent", "percent", signed, None));
    }
    facts
}

fn items<'a>(
    paragraphs: &'a [Paragraph],
    all: &Patterns,
    record: &DocumentRecord,
) -> Vec<Item<'a>> {
    let patterns = &all.review;
    let starts = |p: &Paragraph| {
        !p.heading
            && patterns.item_sections.contains(&p.section)
            && patterns.item_start.is_match(&p.text)
            && patterns.code_part.is_match(&p.text)
    };
    let mut out = Vec::new();
    for (i, first) in paragraphs.iter().enumerate() {
        if !starts(first) {
            continue;
        }
        let mut text = first.text.clone();
        for next in paragraphs[i + 1..].iter().take(ITEM_PARAGRAPHS - 1) {
            // the layout broke the item mid-sentence: it goes on; an item
            // that ended its sentence is whole
            if text.ends_with(['。', '！', '？']) {
                break;
            }
            if next.heading
                || next.section != first.section
                || patterns.item_start.is_match(&next.text)
            {
                break;
            }
            text.push_str(&next.text);
        }
        // a paragraph the layout ran several items into
        for piece in split_items(&text, patterns) {
            out.extend(parse_item(piece.to_string(), first, all, record));
        }
    }
    out
}

/// The items a text holds, split where a full stop is followed by the
/// next item's number and names (`items.split`).
fn split_items<'t>(text: &'t str, patterns: &crate::patterns::ReviewPatterns) -> Vec<&'t str> {
    let mut cuts: Vec<usize> = patterns
        .item_split
        .captures_iter(text)
        .filter_map(|caps| caps.name("next").map(|m| m.start()))
        .collect();
    cuts.insert(0, 0);
    cuts.push(text.len());
    cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect()
}

fn parse_item<'a>(
    text: String,
    first: &'a Paragraph,
    patterns: &Patterns,
    record: &DocumentRecord,
) -> Option<Item<'a>> {
    let review = &patterns.review;
    let mut code = String::new();
    let mut names: Vec<(String, String)> = Vec::new();
    for caps in review.code_part.captures_iter(&text) {
        let level = caps.name("level").map_or("", |m| m.as_str()).to_string();
        let name = caps
            .name("name")
            .map_or("", |m| m.as_str())
            .trim_matches(|c: char| c.is_ascii_punctuation() || "“”‘’、．。：".contains(c))
            .to_string();
        let digits = caps.name("digits").map_or("", |d| d.as_str());
        let fits = matches!(
            (level.as_str(), code.len(), digits.len()),
            ("类", 0, 3) | ("款", 3, 2) | ("项", 5, 2)
        );
        if fits {
            code.push_str(digits);
        }
        names.push((level, name));
    }
    if names.is_empty() {
        return None;
    }
    if code.len() < 7 {
        code = code_of_names(&names, patterns, record).unwrap_or(code);
    }
    let value = |regex: &regex::Regex| {
        regex
            .captures(&text)
            .and_then(|caps| Printed::parse(caps.name("value")?.as_str()))
    };
    let change = review.change.captures(&text).and_then(|caps| {
        let percent = Printed::parse(caps.name("percent")?.as_str())?;
        let word = caps.name("direction")?.as_str();
        let sign = if review.decrease.iter().any(|w| w == word) {
            -1
        } else {
            1
        };
        Some((percent, sign, caps.get(0)?.as_str().to_string()))
    });
    let difference = review.difference.captures(&text).and_then(|caps| {
        let difference = Printed::parse(caps.name("difference")?.as_str())?;
        let percent = Printed::parse(caps.name("percent")?.as_str())?;
        let word = caps.name("direction")?.as_str();
        let sign = if review.decrease.iter().any(|w| w == word) {
            -1
        } else {
            1
        };
        Some((difference, percent, sign, caps.get(0)?.as_str().to_string()))
    });
    let label = if code.is_empty() {
        names.last().map(|(_, n)| n.clone()).unwrap_or_default()
    } else {
        code.clone()
    };
    Some(Item {
        amount: value(&review.amount),
        previous: value(&review.previous),
        current: value(&review.current),
        change,
        difference,
        code,
        label,
        first,
        text,
    })
}

/// The full code of an item printed by names only (住房保障支出（类）住房改革
/// 支出（款）住房公积金（项）): the class's code from its name, then the rows
/// of the tables under that class named as the 款 and the 项 — when exactly
/// one code fits.
fn code_of_names(
    names: &[(String, String)],
    patterns: &Patterns,
    record: &DocumentRecord,
) -> Option<String> {
    let named = |level: &str| {
        names
            .iter()
            .find(|(l, _)| l == level)
            .map(|(_, n)| n.as_str())
    };
    let class = patterns.function_class(&crate::text::normalise(named("类")?))?;
    let rows = |length: usize, name: &str| -> Vec<String> {
        let mut codes: Vec<String> = record
            .facts
            .iter()
            .filter(|f| {
                f.code.len() == length && f.code.starts_with(class) && f.item.trim() == name
            })
            .map(|f| f.code.clone())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    };
    let section = named("款").map(|n| rows(5, n));
    let mut items = rows(7, named("项")?);
    if let Some(sections) = section.filter(|s| !s.is_empty()) {
        items.retain(|code| sections.iter().any(|s| code.starts_with(s.as_str())));
    }
    match items.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

fn error(item: &Item, finding: &str, expected: String, actual: String, message: String) -> Finding {
    Finding {
        finding: finding.to_string(),
        severity: Severity::Error,
        section: item.first.section.clone(),
        page: item.first.page,
        excerpt: excerpt(&item.text, 120),
        expected,
        actual,
        message,
    }
}

/// The range of changes (in %) the two printed figures allow, or `None`
/// when the base may be zero.
fn change_range(previous: Printed, current: Printed) -> Option<(Decimal, Decimal)> {
    let [p_low, p_high] = previous.bounds();
    let [c_low, c_high] = current.bounds();
    if p_low <= Decimal::ZERO {
        return None;
    }
    let hundred = Decimal::ONE_HUNDRED;
    let low = (c_low / p_high - Decimal::ONE) * hundred;
    let high = (c_high / p_low - Decimal::ONE) * hundred;
    Some((low, high))
}

/// Whether the stated change (`sign` × `percent`), rounded (± half a unit)
/// or truncated (up to a unit more in magnitude), is one of the changes
/// the two printed figures allow; a base that may be zero is not checked.
fn fits(previous: Printed, current: Printed, percent: Printed, sign: i8) -> bool {
    let Some((low, high)) = change_range(previous, current) else {
        return true;
    };
    stated_allows(percent, sign, low, high)
}

fn percentage(item: &Item, findings: &mut Vec<Finding>) {
    let (Some(previous), Some(current), Some((percent, sign, said))) =
        (item.previous, item.current, &item.change)
    else {
        return;
    };
    if fits(previous, current, *percent, *sign) {
        return;
    }
    // the change may have been computed from the item's amount where the
    // item states this year's figure differently (`item_figures` too)
    let also = match item.amount {
        Some(amount) if fits(previous, amount, *percent, *sign) => {
            format!("（按项目金额{}万元计算则相符）", amount.value)
        }
        _ => String::new(),
    };
    let stated = percent.value * Decimal::from(*sign);
    let actual =
        ((current.value / previous.value - Decimal::ONE) * Decimal::ONE_HUNDRED).round_dp(2);
    let wrong_way = (actual > Decimal::ZERO && *sign < 0) || (actual < Decimal::ZERO && *sign > 0);
    let finding = if wrong_way { "direction" } else { "percentage" };
    findings.push(error(
        item,
        finding,
        format!("{actual}%"),
        format!("{stated}%"),
        format!(
            "{}：{}万元与{}万元之间的变化为{actual}%，文中写作“{said}”{also}",
            item.label, previous.value, current.value
        ),
    ));
}

/// 支出7448.2万元，与上年相比增加1075.88万元，增长16.88%: the previous
/// figure is the amount less the difference; the percentage must be one
/// the printed amount and difference allow (rounded or truncated).
fn difference(item: &Item, findings: &mut Vec<Finding>) {
    let (Some(amount), Some((difference, percent, sign, said))) = (item.amount, &item.difference)
    else {
        return;
    };
    let signed = |d: Decimal| d * Decimal::from(*sign);
    // the change over every pair of values the amount and the difference
    // may stand for
    let mut corners = Vec::with_capacity(4);
    for a in amount.bounds() {
        for d in difference.bounds() {
            let previous = a - signed(d);
            if previous <= Decimal::ZERO {
                return; // a base that may be zero
            }
            corners.push(d / previous * Decimal::ONE_HUNDRED);
        }
    }
    let low = corners.iter().copied().fold(corners[0], Decimal::min);
    let high = corners.iter().copied().fold(corners[0], Decimal::max);
    // the stated percentage is the change's size, whatever its direction
    if stated_allows(*percent, 1, low, high) {
        return;
    }
    let previous = amount.value - signed(difference.value);
    let actual = (difference.value / previous * Decimal::ONE_HUNDRED).round_dp(2);
    findings.push(error(
        item,
        "percentage",
        format!("{actual}%"),
        format!("{}%", percent.value),
        format!(
            "{}：{}万元比上年{}万元的变化为{actual}%，文中写作“{said}”",
            item.label, amount.value, previous
        ),
    ));
}

/// The item's amount against the same year's figure it states again, and
/// against the tables.
fn figures(item: &Item, record: &DocumentRecord, findings: &mut Vec<Finding>) {
    // final accounts state no amount beside the names: this year's figure
    // (支出决算为) is the one the tables hold
    let Some(amount) = item.amount.or(item.current) else {
        return;
    };
    // only a full code finds its row (an empty one would find the 合计)
    let table = (item.code.len() == 7)
        .then(|| table_figure(record, &item.code))
        .flatten();
    let matches = |printed: Printed, yuan: Decimal| {
        (printed.value * Decimal::from(10_000) - yuan).abs()
            <= printed.half_unit * Decimal::from(10_000)
    };
    if let Some(current) = item.current {
        if (amount.value - current.value).abs() > amount.half_unit + current.half_unit {
            let verdict = match table {
                Some((label, yuan)) if matches(amount, yuan) => {
                    format!("，表格（{label}）为{}万元，与前者一致", amount.value)
                }
                Some((label, yuan)) if matches(current, yuan) => {
                    format!("，表格（{label}）为{}万元，与后者一致", current.value)
                }
                _ => String::new(),
            };
            findings.push(error(
                item,
                "item_figures",
                amount.value.to_string(),
                current.value.to_string(),
                format!(
                    "{}同一项目写了两个数：{}万元和{}万元{verdict}",
                    item.label, amount.value, current.value
                ),
            ));
            return;
        }
    }
    if let Some((label, yuan)) = table {
        if !matches(amount, yuan) {
            let in_wan = (yuan / Decimal::from(10_000)).round_dp(2);
            findings.push(error(
                item,
                "item_vs_table",
                in_wan.to_string(),
                amount.value.to_string(),
                format!(
                    "{}：文中为{}万元，表格（{label}）为{in_wan}万元",
                    item.code, amount.value
                ),
            ));
        }
    }
}

/// The code's whole amount (in 元) in the tables, with the table's title:
/// 一般公共预算 expenditure first, then expenditure.
fn table_figure(record: &DocumentRecord, code: &str) -> Option<(String, Decimal)> {
    ["gpb_expenditure", "expenditure", "fiscal_expenditure"]
        .iter()
        .find_map(|table| {
            record
                .facts
                .iter()
                .find(|f| f.table == *table && f.code == code && f.column == "total")
                .and_then(|f| Some((f.table_label.clone(), f.value_yuan()?)))
        })
}

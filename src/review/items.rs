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
use crate::model::{DocumentRecord, Finding, Severity};
use crate::patterns::{Patterns, ReviewPatterns};
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
        let plain = text.replace(',', "");
        let value = Decimal::from_str(&plain).ok()?;
        let decimals = plain.split_once('.').map_or(0, |(_, d)| d.len() as u32);
        Some(Printed {
            value,
            half_unit: Decimal::new(5, decimals + 1),
        })
    }
}

struct Item<'a> {
    text: String,
    first: &'a Paragraph,
    code: String,
    amount: Option<Printed>,
    previous: Option<Printed>,
    current: Option<Printed>,
    /// The stated change, signed, with its printed text.
    change: Option<(Printed, i8, String)>,
}

pub(super) fn review_items(
    paragraphs: &[Paragraph],
    record: &DocumentRecord,
    patterns: &Patterns,
) -> Vec<Finding> {
    let review = &patterns.review;
    let mut findings = Vec::new();
    for item in items(paragraphs, review) {
        percentage(&item, &mut findings);
        figures(&item, record, &mut findings);
    }
    findings
}

fn items<'a>(paragraphs: &'a [Paragraph], patterns: &ReviewPatterns) -> Vec<Item<'a>> {
    let starts = |p: &Paragraph| {
        !p.heading && patterns.item_start.is_match(&p.text) && patterns.code_part.is_match(&p.text)
    };
    let mut out = Vec::new();
    for (i, first) in paragraphs.iter().enumerate() {
        if !starts(first) {
            continue;
        }
        let mut text = first.text.clone();
        for next in paragraphs[i + 1..].iter().take(ITEM_PARAGRAPHS - 1) {
            if next.heading
                || next.section != first.section
                || patterns.item_start.is_match(&next.text)
            {
                break;
            }
            text.push_str(&next.text);
        }
        out.extend(parse_item(text, first, patterns));
    }
    out
}

fn parse_item<'a>(
    text: String,
    first: &'a Paragraph,
    patterns: &ReviewPatterns,
) -> Option<Item<'a>> {
    let mut code = String::new();
    for caps in patterns.code_part.captures_iter(&text) {
        let (digits, level) = (&caps["digits"], &caps["level"]);
        let fits = matches!(
            (level, code.len(), digits.len()),
            ("类", 0, 3) | ("款", 3, 2) | ("项", 5, 2)
        );
        if fits {
            code.push_str(digits);
        }
    }
    if code.len() < 3 {
        return None;
    }
    let value = |regex: &regex::Regex| {
        regex
            .captures(&text)
            .and_then(|caps| Printed::parse(&caps["value"]))
    };
    let change = patterns.change.captures(&text).and_then(|caps| {
        let percent = Printed::parse(&caps["percent"])?;
        let word = &caps["direction"];
        let sign = if patterns.decrease.iter().any(|w| w == word) {
            -1
        } else {
            1
        };
        Some((percent, sign, caps.get(0)?.as_str().to_string()))
    });
    Some(Item {
        amount: value(&patterns.amount),
        previous: value(&patterns.previous),
        current: value(&patterns.current),
        change,
        code,
        first,
        text,
    })
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
    let (p_low, p_high) = (
        previous.value - previous.half_unit,
        previous.value + previous.half_unit,
    );
    let (c_low, c_high) = (
        current.value - current.half_unit,
        current.value + current.half_unit,
    );
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
    let stated = percent.value * Decimal::from(sign);
    let unit = percent.half_unit * Decimal::TWO;
    let (s_low, s_high) = if sign > 0 {
        (stated - percent.half_unit, stated + unit)
    } else {
        (stated - unit, stated + percent.half_unit)
    };
    s_high >= low && s_low <= high
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
    // a change computed from the item's amount where the item states this
    // year's figure differently: `item_figures` says so
    if item
        .amount
        .is_some_and(|amount| fits(previous, amount, *percent, *sign))
    {
        return;
    }
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
            "{}：{}万元与{}万元之间的变化为{actual}%，文中写作“{said}”",
            item.code, previous.value, current.value
        ),
    ));
}

/// The item's amount against the same year's figure it states again, and
/// against the tables.
fn figures(item: &Item, record: &DocumentRecord, findings: &mut Vec<Finding>) {
    let Some(amount) = item.amount else { return };
    let table = table_figure(record, &item.code);
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
                    item.code, amount.value, current.value
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

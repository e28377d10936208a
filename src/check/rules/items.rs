//! `item_change`, `item_figures`, `item_vs_table`: the promises of an item
//! explanation of a 预算编制说明 / 决算情况说明 (read by the review into
//! `narrative` facts, one row per item: `item.amount`, `item.previous`,
//! `item.current`, `item.difference` in 万元 and `item.change_percent`, the
//! stated change, signed by its direction word).
//!
//! Every printed figure is known only to its last digit (0.50 is anything
//! from 0.495 to 0.505):
//! - `item_change`: the stated percentage is one of the changes the two
//!   figures beside it allow, the percentage itself rounded (± half its
//!   last unit) or truncated (up to a unit more in magnitude, with a note);
//!   where the item states the difference instead of the previous figure
//!   (增加1075.88万元，增长16.88%), the previous figure is the amount less
//!   the difference. A base that may be zero is `skipped` (a body new that
//!   year writes 增长100% from nothing).
//! - `item_figures`: the item's amount and this year's figure it states
//!   again are the same.
//! - `item_vs_table`: the item's amount (or, in final accounts, its
//!   支出决算 figure) is the code's whole amount in the tables
//!   (一般公共预算 expenditure, else expenditure, else 财政拨款
//!   expenditure), within the printed rounding.

use crate::check::compare::{skipped, verdict, yuan};
use crate::check::Context;
use crate::model::{Check, CheckName, Fact, Unit, NARRATIVE};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

/// The checks of an item explanation.
pub const ITEM_CHECKS: [CheckName; 3] = [
    CheckName::ItemChange,
    CheckName::ItemFigures,
    CheckName::ItemVsTable,
];

/// The tables an item's code is looked up in, in order.
const TABLES: [&str; 3] = ["gpb_expenditure", "expenditure", "fiscal_expenditure"];

pub fn run(context: &Context, checks: &mut Vec<Check>) {
    for item in items(context.facts.table(NARRATIVE)) {
        if let Some(check) = change(&item) {
            checks.push(check.at(item.page, &item.section));
        }
        if let Some(check) = figures(&item) {
            checks.push(check.at(item.page, &item.section));
        }
        if let Some(check) = against_table(context, &item) {
            checks.push(check.at(item.page, &item.section));
        }
    }
    for share in shares(context.facts.table(NARRATIVE)) {
        checks.push(share_check(&share));
    }
}

/// A share the text states: `share.value` of `share.total` is
/// `share.percent` %.
struct Share {
    row: u32,
    page: Option<u32>,
    section: String,
    value: Option<Printed>,
    total: Option<Printed>,
    percent: Option<Printed>,
}

/// The `checks.csv` key of a share: its number in the report.
pub fn share_key(row: u32) -> String {
    format!("share {row}")
}

fn shares(facts: &[&Fact]) -> Vec<Share> {
    let mut by_row: BTreeMap<u32, Share> = BTreeMap::new();
    for fact in facts.iter().filter(|f| f.line.starts_with("share.")) {
        let share = by_row.entry(fact.row).or_insert_with(|| Share {
            row: fact.row,
            page: fact.page,
            section: fact.table_label.clone(),
            value: None,
            total: None,
            percent: None,
        });
        let printed = Some(Printed::of(fact.value));
        match fact.line.as_str() {
            "share.value" => share.value = printed,
            "share.total" => share.total = printed,
            "share.percent" => share.percent = printed,
            _ => {}
        }
    }
    by_row.into_values().collect()
}

/// The share within what the printed figures allow (the percentage
/// rounded or truncated); a total that may be zero is not checked.
pub fn share_fits(value: Printed, total: Printed, stated: Printed) -> Fit {
    let [v_low, v_high] = value.bounds();
    let [t_low, t_high] = total.bounds();
    if t_low <= Decimal::ZERO {
        return Fit::ZeroBase;
    }
    let hundred = Decimal::ONE_HUNDRED;
    let low = v_low.max(Decimal::ZERO) / t_high * hundred;
    let high = v_high / t_low * hundred;
    match stated_fits(stated, low, high) {
        Fit::No => {
            let unit = stated.half_unit * Decimal::TWO;
            let widened = stated_fits(stated, low - unit, high + unit);
            if widened == Fit::No {
                Fit::No
            } else {
                Fit::Adjusted
            }
        }
        fit => fit,
    }
}

fn share_check(share: &Share) -> Check {
    let name = CheckName::Share;
    let key = share_key(share.row);
    let (Some(value), Some(total), Some(stated)) = (share.value, share.total, share.percent) else {
        return skipped(name, NARRATIVE, &key, "a figure of the share is missing")
            .at(share.page, &share.section);
    };
    let fit = share_fits(value, total, stated);
    if fit == Fit::ZeroBase {
        let note = format!("the total {} may be zero", total.value);
        return skipped(name, NARRATIVE, &key, note).at(share.page, &share.section);
    }
    let exact = value.value / total.value * Decimal::ONE_HUNDRED;
    let computed = round_half_away(exact, 2);
    let what = format!("{} of {}", value.value, total.value);
    let note = match fit {
        Fit::Rounded | Fit::Truncated => how_it_fits(exact, stated, &what),
        Fit::Adjusted => format!(
            "the stated {}% is {} of {} ({computed}%) moved by one unit, as shares adjusted to sum to 100% are",
            stated.value, value.value, total.value
        ),
        _ => format!(
            "{} of {} is {computed}%, the text says {}%",
            value.value, total.value, stated.value
        ),
    };
    let mut check = verdict(name, NARRATIVE, &key, fit != Fit::No, note);
    check.expected = Some(computed);
    check.actual = Some(stated.value);
    check.diff = Some(stated.value - computed);
    check.at(share.page, &share.section)
}

/// A figure as printed, with the half unit of its last digit.
#[derive(Debug, Clone, Copy)]
pub struct Printed {
    pub value: Decimal,
    pub half_unit: Decimal,
}

impl Printed {
    /// The decimal keeps the printed scale: 0.50 has two decimals.
    pub fn of(value: Decimal) -> Printed {
        Printed {
            value,
            half_unit: Decimal::new(5, value.scale() + 1),
        }
    }

    /// A figure as printed (`1,234.50`: separators dropped, scale kept).
    pub fn parse(text: &str) -> Option<Printed> {
        Decimal::from_str(&text.replace(',', ""))
            .ok()
            .map(Printed::of)
    }

    /// The least and the most the printed figure may stand for.
    fn bounds(self) -> [Decimal; 2] {
        [self.value - self.half_unit, self.value + self.half_unit]
    }

    /// Whether two printed figures may stand for the same amount.
    pub fn agrees(self, other: Printed) -> bool {
        (self.value - other.value).abs() <= self.half_unit + other.half_unit
    }
}

/// One item's figures, from its `narrative` facts.
#[derive(Debug, Default)]
struct Item {
    row: u32,
    code: String,
    page: Option<u32>,
    section: String,
    amount: Option<Printed>,
    previous: Option<Printed>,
    current: Option<Printed>,
    difference: Option<Printed>,
    /// Signed by the direction word.
    change_percent: Option<Printed>,
}

impl Item {
    fn key(&self) -> String {
        item_key(self.row, &self.code)
    }
}

/// The `checks.csv` key of an item: its number in the report and its code.
pub fn item_key(row: u32, code: &str) -> String {
    format!("item {row} {code}").trim_end().to_string()
}

fn items(facts: &[&Fact]) -> Vec<Item> {
    let mut by_row: BTreeMap<u32, Item> = BTreeMap::new();
    for fact in facts.iter().filter(|f| f.line.starts_with("item.")) {
        let item = by_row.entry(fact.row).or_insert_with(|| Item {
            row: fact.row,
            code: fact.code.clone(),
            page: fact.page,
            section: fact.table_label.clone(),
            ..Item::default()
        });
        let printed = Some(Printed::of(fact.value));
        match fact.line.as_str() {
            "item.amount" => item.amount = printed,
            "item.previous" => item.previous = printed,
            "item.current" => item.current = printed,
            "item.difference" => item.difference = printed,
            "item.change_percent" => item.change_percent = printed,
            _ => {}
        }
    }
    by_row.into_values().collect()
}

/// How a stated percentage meets the changes the figures allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Rounded,
    Truncated,
    /// A share one unit of its last digit off: shares adjusted so that
    /// they sum to 100 % (49.55 + 39.84 + 10.61, where 10.60 is exact).
    Adjusted,
    No,
    /// The base may be zero: nothing to compare.
    ZeroBase,
}

/// Whether the stated change (signed) is one of the changes `low..=high`
/// (in %) allow: rounded (± half a unit), or truncated (up to a unit more
/// in magnitude).
fn stated_fits(stated: Printed, low: Decimal, high: Decimal) -> Fit {
    let (value, half) = (stated.value, stated.half_unit);
    if value + half >= low && value - half <= high {
        return Fit::Rounded;
    }
    let unit = half * Decimal::TWO;
    let (t_low, t_high) = if value >= Decimal::ZERO {
        (value, value + unit)
    } else {
        (value - unit, value)
    };
    if t_high >= low && t_low <= high {
        Fit::Truncated
    } else {
        Fit::No
    }
}

/// The stated change (signed, in %) against the change from `previous` to
/// `current`, each known to its last printed digit.
pub fn change_fits(previous: Printed, current: Printed, stated: Printed) -> Fit {
    let [p_low, p_high] = previous.bounds();
    let [c_low, c_high] = current.bounds();
    if p_low <= Decimal::ZERO {
        return Fit::ZeroBase;
    }
    let hundred = Decimal::ONE_HUNDRED;
    let low = (c_low / p_high - Decimal::ONE) * hundred;
    let high = (c_high / p_low - Decimal::ONE) * hundred;
    stated_fits(stated, low, high)
}

/// The stated change against a stated difference: the previous figure is
/// `amount` less `difference` (both signed alike), every pair of values
/// the two may stand for considered.
fn difference_fits(amount: Printed, difference: Printed, stated: Printed) -> Fit {
    let mut corners = Vec::with_capacity(4);
    for a in amount.bounds() {
        for d in difference.bounds() {
            let previous = a - d;
            if previous <= Decimal::ZERO {
                return Fit::ZeroBase;
            }
            corners.push(d / previous * Decimal::ONE_HUNDRED);
        }
    }
    let low = corners.iter().copied().fold(corners[0], Decimal::min);
    let high = corners.iter().copied().fold(corners[0], Decimal::max);
    stated_fits(stated, low, high)
}

/// A figure rounded as a report rounds: half away from zero.
fn round_half_away(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// The note of a stated percentage that passes: none when it is the
/// printed figures' value rounded; else how it was reached (truncated, or
/// only within what the figures' last digits allow).
fn how_it_fits(exact: Decimal, stated: Printed, what: &str) -> String {
    let dp = stated.value.scale();
    if round_half_away(exact, dp) == stated.value {
        return String::new();
    }
    let shown = exact.round_dp(4).normalize();
    if exact.trunc_with_scale(dp) == stated.value {
        format!(
            "the stated {}% is {what} ({shown}%) truncated, not rounded",
            stated.value
        )
    } else {
        format!(
            "the stated {}% is {what} ({shown}%) within what the figures' last printed digits allow",
            stated.value
        )
    }
}

fn change(item: &Item) -> Option<Check> {
    let stated = item.change_percent?;
    let (fit, previous, current) = match (item.previous, item.current, item.difference) {
        (Some(previous), Some(current), _) => (
            change_fits(previous, current, stated),
            previous.value,
            current.value,
        ),
        (_, _, Some(difference)) => {
            let amount = item.amount.or(item.current)?;
            (
                difference_fits(amount, difference, stated),
                amount.value - difference.value,
                amount.value,
            )
        }
        _ => return None,
    };
    let name = CheckName::ItemChange;
    let key = item.key();
    if fit == Fit::ZeroBase {
        let note = format!("the base {previous} may be zero: a change from nothing is not checked");
        return Some(skipped(name, NARRATIVE, &key, note));
    }
    let exact = (current / previous - Decimal::ONE) * Decimal::ONE_HUNDRED;
    let computed = round_half_away(exact, 2);
    let what = format!("the change from {previous} to {current}");
    let note = match fit {
        Fit::Rounded | Fit::Truncated => how_it_fits(exact, stated, &what),
        _ => format!(
            "the change from {previous} to {current} is {computed}%, the text says {}%",
            stated.value
        ),
    };
    let mut check = verdict(name, NARRATIVE, &key, fit != Fit::No, note);
    check.expected = Some(computed);
    check.actual = Some(stated.value);
    check.diff = Some(stated.value - computed);
    Some(check)
}

fn figures(item: &Item) -> Option<Check> {
    let (amount, current) = (item.amount?, item.current?);
    let same = amount.agrees(current);
    let note = if same {
        String::new()
    } else {
        format!(
            "the item states {} and then {} for this year",
            amount.value, current.value
        )
    };
    let mut check = verdict(CheckName::ItemFigures, NARRATIVE, &item.key(), same, note);
    check.expected = Some(amount.value);
    check.actual = Some(current.value);
    check.diff = Some(current.value - amount.value);
    check.tolerance = Some(amount.half_unit + current.half_unit);
    check.unit = Some(Unit::TenThousandYuan);
    Some(check)
}

/// The code's whole amount in the tables (the first of [`TABLES`] that
/// prints it).
pub fn table_fact<'f>(facts: &'f [Fact], code: &str) -> Option<&'f Fact> {
    TABLES.iter().find_map(|table| {
        facts
            .iter()
            .find(|f| f.table == *table && f.code == code && f.column == "total")
    })
}

fn against_table(context: &Context, item: &Item) -> Option<Check> {
    // final accounts state no amount beside the names: this year's figure
    // (支出决算为) is the one the tables hold; only a full code finds its row
    let amount = item.amount.or(item.current)?;
    if item.code.len() != 7 {
        return None;
    }
    let fact = table_fact(&context.record.facts, &item.code)?;
    let ten_thousand = Decimal::from(10_000);
    let table_yuan = yuan(fact);
    let stated_yuan = amount.value * ten_thousand;
    let tolerance = amount.half_unit * ten_thousand;
    let same = (stated_yuan - table_yuan).abs() <= tolerance;
    let in_wan = (table_yuan / ten_thousand).round_dp(2);
    let note = if same {
        String::new()
    } else {
        format!(
            "the text says {} 万元, {} ({}) prints {in_wan} 万元",
            amount.value, fact.table_label, fact.table
        )
    };
    let mut check = verdict(CheckName::ItemVsTable, NARRATIVE, &item.key(), same, note);
    check.expected = Some(in_wan);
    check.actual = Some(amount.value);
    check.diff = Some(amount.value - in_wan);
    check.tolerance = Some(amount.half_unit);
    check.unit = Some(Unit::TenThousandYuan);
    Some(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(text: &str) -> Printed {
        Printed::of(Decimal::from_str(text).unwrap())
    }

    #[test]
    fn a_change_is_any_the_printed_digits_allow() {
        // 0.50 → 0.62 may be +21.8 % to +26.3 %: 22.22 % is right
        assert_eq!(
            change_fits(printed("0.50"), printed("0.62"), printed("22.22")),
            Fit::Rounded
        );
        assert_eq!(
            change_fits(printed("0.50"), printed("0.62"), printed("27.00")),
            Fit::No
        );
        // 万里街道 2024: 348.52 → 352.67 is +1.19 %, not +0.53 %
        assert_eq!(
            change_fits(printed("348.52"), printed("352.67"), printed("0.53")),
            Fit::No
        );
        // a wrong direction word fails however near the size
        assert_eq!(
            change_fits(printed("1690.69"), printed("1672.67"), printed("1.07")),
            Fit::No
        );
        assert_eq!(
            change_fits(printed("1690.69"), printed("1672.67"), printed("-1.07")),
            Fit::Rounded
        );
    }

    #[test]
    fn a_truncated_percentage_passes_as_truncated() {
        // 4000.00 → 2322.88 is −41.928 %: 41.92 is it truncated
        assert_eq!(
            change_fits(printed("4000.00"), printed("2322.88"), printed("-41.92")),
            Fit::Truncated
        );
    }

    #[test]
    fn a_share_may_be_adjusted_by_a_unit_to_sum_to_100() {
        // 省人大办公厅 2018: 49.55 + 39.84 + 10.61 = 100, 1685.72 / 15897.44
        // is 10.60 %
        assert_eq!(
            share_fits(printed("1685.72"), printed("15897.44"), printed("10.61")),
            Fit::Adjusted
        );
        // 上海普陀区财政局 2024: 2106.66 / 2940.05 is 71.65 %, printed 71.73 %
        assert_eq!(
            share_fits(printed("2106.66"), printed("2940.05"), printed("71.73")),
            Fit::No
        );
        assert_eq!(
            share_fits(printed("332.70"), printed("472.39"), printed("70.43")),
            Fit::Rounded
        );
    }

    #[test]
    fn a_base_that_may_be_zero_is_not_checked() {
        assert_eq!(
            change_fits(printed("0"), printed("12.5"), printed("100.00")),
            Fit::ZeroBase
        );
    }

    #[test]
    fn a_stated_difference_gives_the_base() {
        // 7448.2 万元, 增加1075.88万元, 增长16.88%: base 6372.32
        assert_eq!(
            difference_fits(printed("7448.2"), printed("1075.88"), printed("16.88")),
            Fit::Rounded
        );
        assert_eq!(
            difference_fits(printed("7448.2"), printed("1075.88"), printed("16.38")),
            Fit::No
        );
    }
}

//! `narrative_comparison`: a sentence that compares two amounts in words
//! (决算数小于预算数, 比上年增加) says what the amounts say. Needs the text:
//! the comparisons are read from the sentences, not from `facts.csv`.

use crate::check::compare::verdict;
use crate::check::Context;
use crate::model::{Check, CheckName, StatedComparison, Unit};
use rust_decimal::Decimal;
use std::cmp::Ordering;

pub fn run(context: &Context, checks: &mut Vec<Check>) {
    for stated in &context.record.comparisons {
        checks.push(comparison(stated));
    }
}

fn word(ordering: Ordering) -> &'static str {
    match ordering {
        Ordering::Less => "less than",
        Ordering::Equal => "equal to",
        Ordering::Greater => "greater than",
    }
}

fn comparison(stated: &StatedComparison) -> Check {
    let a = stated.a * stated.a_unit.factor();
    let b = stated.b * stated.b_unit.factor();
    let actual = b.cmp(&a);
    let agrees = actual == stated.relation;
    let note = if agrees {
        String::new()
    } else {
        let place = stated
            .page
            .map(|p| format!("page {p}, "))
            .unwrap_or_default();
        format!(
            "{place}paragraph {}: {:?} says {} is {} {}, but it is {}",
            stated.paragraph,
            stated.text,
            stated.b,
            word(stated.relation),
            stated.a,
            word(actual)
        )
    };
    let name = CheckName::NarrativeComparison;
    let mut check =
        verdict(name, crate::model::NARRATIVE, &stated.text, agrees, note).at(stated.page, "");
    let unit = if stated.a_unit == stated.b_unit {
        stated.a_unit
    } else {
        Unit::Yuan
    };
    let show = |v: Decimal| {
        if unit == Unit::Yuan {
            v
        } else {
            v / unit.factor()
        }
    };
    check.expected = Some(show(a));
    check.actual = Some(show(b));
    check.diff = Some(show(b - a));
    check.unit = Some(unit);
    check
}

#[cfg(test)]
mod tests {
    use super::comparison;
    use crate::model::{CheckStatus, StatedComparison, Unit};
    use rust_decimal::Decimal;
    use std::cmp::Ordering;

    fn stated(a: i64, b: i64, relation: Ordering) -> StatedComparison {
        StatedComparison {
            name: "budget_vs_final".into(),
            text: "决算数小于预算数".into(),
            page: Some(3),
            paragraph: 7,
            a: Decimal::new(a, 2),
            a_unit: Unit::TenThousandYuan,
            b: Decimal::new(b, 2),
            b_unit: Unit::TenThousandYuan,
            relation,
        }
    }

    #[test]
    fn the_word_must_match_the_amounts() {
        assert_eq!(
            comparison(&stated(500, 400, Ordering::Less)).status,
            CheckStatus::Pass
        );
        let wrong = comparison(&stated(400, 500, Ordering::Less));
        assert_eq!(wrong.status, CheckStatus::Fail);
        assert_eq!(
            wrong.note,
            "page 3, paragraph 7: \"决算数小于预算数\" says 5.00 is less than 4.00, but it is greater than"
        );
    }
}

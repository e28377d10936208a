//! The codes an OCR'd table offers instead of those read, for the
//! proof-reader ([`super::proofread`]) to try against the identities: a
//! 款/项 code without its parent under the parent-level code printed above
//! it, one digit from its own prefix (2210901 → 2210201 below 22102); a
//! coded row whose code was not read, its label a class's name, that
//! class's code (卫生健康支出 → 210); and a functional code its label
//! contradicts, the label's code (224 住房保障支出 → 221, 2013159 事业运行
//! → 2013150: `classification.toml`'s `standard_items`). Each offer is the
//! facts of one row and the code.

use crate::model::{CodeKind, Fact};
use crate::patterns::Patterns;
use crate::text::{normalise, strip_ordinals};

/// Whether a functional code disagrees with its label: a class's code
/// (3 digits) printed with another class's name (224 住房保障支出: 221's
/// 1 read as 4), or a 项's code (7 digits) printed with one of the names
/// every 款 gives the same last two digits (事业运行 → 50) ending otherwise
/// (2013159 事业运行: a 0 read as 9).
pub(super) fn against_its_label(fact: &Fact, patterns: &Patterns) -> bool {
    label_code(fact, patterns).is_some_and(|code| code != fact.code)
}

/// The code a row's label gives it, where it gives one: a functional
/// class's name its class's code; under a 项's code, a standard 项's name
/// the code's first five digits and the name's two, another 项's name the
/// one code the classification gives it, where that is at most two digits
/// from the code read (机关事业单位职业年金缴费支出 read under 2080808 →
/// 2080506: the code's parent misread too); under an economic 款's code
/// likewise (其他对个人和家庭的补助 read under 30369 → 30399).
fn label_code(fact: &Fact, patterns: &Patterns) -> Option<String> {
    let kind = fact.code_kind?;
    let label = strip_ordinals(&normalise(&fact.item)).to_string();
    let classification = &patterns.classification;
    let named = |digits: usize| {
        classification
            .code_named(kind.as_str(), digits, &label, None)
            .filter(|code| digits_apart(code, &fact.code) <= 2)
            .map(str::to_string)
    };
    match (kind, fact.code.len()) {
        (CodeKind::Function, 3) => patterns.function_class(&label).map(str::to_string),
        (CodeKind::Function, 7) => classification
            .standard_suffix(&label)
            .map(|digits| format!("{}{digits}", &fact.code[..5]))
            .or_else(|| named(7)),
        (CodeKind::Economic, 5) => named(5),
        _ => None,
    }
}

/// The codes the labels of an OCR'd table's functional rows give where
/// the code read disagrees ([`against_its_label`]): a class's name its
/// code; a standard 项's name the parent's five digits and the name's two,
/// where the table holds that parent. Where the table does not hold that
/// code already.
pub(super) fn codes_of_labels(
    facts: &[Fact],
    ocr: &[usize],
    patterns: &Patterns,
) -> Vec<(Vec<usize>, String)> {
    let mut out: Vec<(Vec<usize>, String)> = Vec::new();
    for &i in ocr {
        let fact = &facts[i];
        let Some(corrected) = label_code(fact, patterns).filter(|c| *c != fact.code) else {
            continue;
        };
        let table = || same_table(facts, fact);
        // a 项 under its parent as printed
        let parent = &corrected[..corrected.len().saturating_sub(2)];
        let parent_printed = corrected.len() == 3 || table().any(|f| f.code == parent);
        if !parent_printed || table().any(|f| f.code == corrected) {
            continue;
        }
        offer(&mut out, facts, i, corrected);
    }
    out
}

/// The codes an OCR'd table's hierarchy offers instead of one read
/// without its parent: for each such row (its facts' indices), its code
/// under the nearest parent-level code printed above it in the same table,
/// where that parent differs from the code's own prefix in one digit.
/// A row whose label gives its code is left to [`codes_of_labels`].
pub(super) fn codes_under_their_parents(
    facts: &[Fact],
    ocr: &[usize],
    patterns: &Patterns,
) -> Vec<(Vec<usize>, String)> {
    let mut out: Vec<(Vec<usize>, String)> = Vec::new();
    for &i in ocr {
        let fact = &facts[i];
        let code = fact.code.as_str();
        if !matches!(code.len(), 5 | 7) || !code.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let (prefix, rest) = code.split_at(code.len() - 2);
        let table = || same_table(facts, fact);
        if table().any(|f| f.code == prefix) {
            continue;
        }
        let parent = table()
            .filter(|f| f.row < fact.row && f.code.len() == prefix.len())
            .max_by_key(|f| f.row)
            .map(|f| f.code.as_str());
        let Some(parent) = parent.filter(|p| one_digit_apart(p, prefix)) else {
            continue;
        };
        if label_code(fact, patterns).is_some() {
            continue;
        }
        let corrected = format!("{parent}{rest}");
        if table().any(|f| f.code == corrected) {
            continue;
        }
        offer(&mut out, facts, i, corrected);
    }
    out
}

/// A coded table's rows whose code was not read (no code, no line) or
/// read as no code is (2217, 2: digits lost or a speck taken in) but
/// whose label is a functional class's name (卫生健康支出 → 210), or a
/// 款's or 项's name the classification gives one code whose parent the
/// table holds (机关事业单位职业年金缴费支出 → 2080506 under 20805), the
/// table not holding that code already: each row's facts and the code.
pub(super) fn codes_of_class_names(
    facts: &[Fact],
    ocr: &[usize],
    patterns: &Patterns,
) -> Vec<(Vec<usize>, String)> {
    let mut out: Vec<(Vec<usize>, String)> = Vec::new();
    for &i in ocr {
        let fact = &facts[i];
        let unread = fact.code.is_empty() || !matches!(fact.code.len(), 3 | 5 | 7);
        if !unread || !fact.line.is_empty() {
            continue;
        }
        let table = || same_table(facts, fact);
        let label = strip_ordinals(&normalise(&fact.item)).to_string();
        let under_parent = |digits: usize| {
            let code = patterns.classification.code_named(
                CodeKind::Function.as_str(),
                digits,
                &label,
                None,
            )?;
            let parent = &code[..digits - 2];
            table().any(|f| f.code == parent).then_some(code)
        };
        let Some(code) = patterns
            .function_class(&label)
            .or_else(|| under_parent(7))
            .or_else(|| under_parent(5))
        else {
            continue;
        };
        if !table().any(|f| f.code.len() == 7) || table().any(|f| f.code == code) {
            continue;
        }
        match out.iter_mut().find(|(indices, _)| {
            facts[indices[0]].table == fact.table && facts[indices[0]].row == fact.row
        }) {
            Some((indices, _)) => indices.push(i),
            None => out.push((vec![i], code.to_string())),
        }
    }
    out
}

/// The facts of `fact`'s table.
fn same_table<'f>(facts: &'f [Fact], fact: &'f Fact) -> impl Iterator<Item = &'f Fact> {
    facts
        .iter()
        .filter(move |f| f.table == fact.table && f.table_label == fact.table_label)
}

/// Offer `code` for the row of fact `i`: with the facts of its row offered
/// it before, or as a new offer.
fn offer(out: &mut Vec<(Vec<usize>, String)>, facts: &[Fact], i: usize, code: String) {
    let fact = &facts[i];
    match out.iter_mut().find(|(indices, _)| {
        let first = &facts[indices[0]];
        first.table == fact.table && first.row == fact.row && first.code == fact.code
    }) {
        Some((indices, _)) => indices.push(i),
        None => out.push((vec![i], code)),
    }
}

fn one_digit_apart(a: &str, b: &str) -> bool {
    digits_apart(a, b) == 1
}

/// How many digits two codes differ in (codes of two lengths: all).
fn digits_apart(a: &str, b: &str) -> usize {
    if a.len() != b.len() {
        return a.len().max(b.len());
    }
    a.chars().zip(b.chars()).filter(|(x, y)| x != y).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::rules::testing::coded_rows as rows;

    #[test]
    fn a_row_without_its_code_is_offered_its_class_code_by_its_label() {
        let mut facts = rows(&["208", "2080505", "", "21011", "2101101"]);
        facts[2].item = "卫生健康支出".into();
        let all: Vec<usize> = (0..facts.len()).collect();
        let patterns = Patterns::builtin_shared();
        assert_eq!(
            codes_of_class_names(&facts, &all, patterns),
            vec![(vec![2], "210".to_string())]
        );
        // a 项's name: its code, the table holding its parent 21011
        facts[2].item = "事业单位医疗".into();
        assert_eq!(
            codes_of_class_names(&facts, &all, patterns),
            vec![(vec![2], "2101102".to_string())]
        );
        facts[2].item = "事业单位医".into();
        assert!(codes_of_class_names(&facts, &all, patterns).is_empty());
    }

    /// worn-03: 住房保障支出 read under 2217 (a speck taken in) and 机关
    /// 事业单位职业年金缴费支出 under 2 (six digits lost): codes no row has
    /// are unread ones. A 项's name gives its code where the table holds
    /// the code's parent.
    #[test]
    fn a_row_whose_code_was_read_malformed_is_offered_its_labels_code() {
        let mut facts = rows(&["201", "20805", "2080505", "2", "2217"]);
        facts[3].item = "机关事业单位职业年金缴费支出".into();
        facts[4].item = "住房保障支出".into();
        let all: Vec<usize> = (0..facts.len()).collect();
        let patterns = Patterns::builtin_shared();
        assert_eq!(
            codes_of_class_names(&facts, &all, patterns),
            vec![
                (vec![3], "2080506".to_string()),
                (vec![4], "221".to_string())
            ]
        );
        // without 20805 in the table, the 项's name offers nothing
        facts[1].code = "20899".into();
        assert_eq!(
            codes_of_class_names(&facts, &all, patterns),
            vec![(vec![4], "221".to_string())]
        );
    }

    #[test]
    fn a_code_without_its_parent_is_offered_under_the_parent_printed_above() {
        let facts = rows(&["221", "22102", "2210901"]);
        let all: Vec<usize> = (0..facts.len()).collect();
        let patterns = Patterns::builtin_shared();
        assert_eq!(
            codes_under_their_parents(&facts, &all, patterns),
            vec![(vec![2], "2210201".to_string())]
        );
        // two digits from the parent above, or its parent printed: nothing
        for codes in [["221", "22112", "2210901"], ["221", "22109", "2210901"]] {
            let facts = rows(&codes);
            assert!(
                codes_under_their_parents(&facts, &all, patterns).is_empty(),
                "{codes:?}"
            );
        }
    }

    /// worn-09's 公开03表: 机关事业单位职业年金缴费支出 read under 2080808 below
    /// 20805. Under the parent above it is 2080508, a code of no such name
    /// (a check confirmed its figure under it); the name's code in the
    /// classification is 2080506, offered instead, and the code read is
    /// not vouched for.
    #[test]
    fn a_code_whose_label_names_another_is_offered_the_names_code() {
        let mut facts = rows(&["208", "20805", "2080808"]);
        facts[2].item = "机关事业单位职业年金缴费支出".into();
        let all: Vec<usize> = (0..facts.len()).collect();
        let patterns = Patterns::builtin_shared();
        assert!(codes_under_their_parents(&facts, &all, patterns).is_empty());
        assert_eq!(
            codes_of_labels(&facts, &all, patterns),
            vec![(vec![2], "2080506".to_string())]
        );
        assert!(against_its_label(&facts[2], patterns));
        facts[2].code = "2080506".into();
        assert!(!against_its_label(&facts[2], patterns));
        // a name three digits from the code read gives nothing
        facts[2].code = "2081808".into();
        assert!(!against_its_label(&facts[2], patterns));
    }

    /// worn-02's 公开06表: 其他对个人和家庭的补助 read under 30369 (30399's
    /// 9 read as 6); a sum check under 303 confirmed it.
    #[test]
    fn an_economic_code_whose_label_names_another_is_offered_the_names_code() {
        let mut facts = rows(&["303", "30302", "30369"]);
        for fact in &mut facts {
            fact.table = "gpb_basic".into();
            fact.code_kind = Some(CodeKind::Economic);
        }
        facts[2].item = "其他对个人和家庭的补助".into();
        let all: Vec<usize> = (0..facts.len()).collect();
        let patterns = Patterns::builtin_shared();
        assert!(against_its_label(&facts[2], patterns));
        assert_eq!(
            codes_of_labels(&facts, &all, patterns),
            vec![(vec![2], "30399".to_string())]
        );
        facts[2].code = "30399".into();
        assert!(!against_its_label(&facts[2], patterns));
    }
}

//! The item explanations of a 预算编制说明 / 决算情况说明:
//! `6、公共安全支出（204类）司法（06款）其他司法支出（99项）3845.49万元。…
//! 2025年当年预算执行数为43269.3万元，2026年预算安排3845.49万元，比2025年
//! 预算执行数增加17.62%。` — the code (204 + 06 + 99 = 2040699), the amount,
//! the previous year's figure, this year's figure and the stated change.
//!
//! Read here into `narrative` facts (`item.amount`, `item.previous`,
//! `item.current`, `item.difference`, `item.change_percent`, with the
//! item's full code, one row per item) before the checks run; the checks
//! (`check::rules::items`: `item_change`, `item_figures`, `item_vs_table`)
//! judge them, and a failed one becomes a finding in the reviewer's words
//! (`percentage`, `direction`, `item_figures`, `item_vs_table`) quoting the
//! item.

use super::{captured, captured_signed, excerpt, Paragraph};
use crate::check::rules::items::{change_fits, item_key, table_fact, Fit, Printed, ITEM_CHECKS};
use crate::model::{
    Check, CheckName, CheckStatus, CodeKind, DocumentRecord, Fact, Finding, Issue, Severity, Unit,
    NARRATIVE,
};
use crate::patterns::{comparable, Patterns};
use rust_decimal::Decimal;

/// Paragraphs an item may run over (a layout breaks lines).
const ITEM_PARAGRAPHS: usize = 4;

/// One item explanation as read.
#[derive(Debug)]
pub(crate) struct Item {
    text: String,
    page: Option<u32>,
    section: String,
    /// Its number among the items read (the facts' row).
    row: u32,
    /// The full code (2040699), or what of it was found.
    pub(super) code: String,
    /// The code, or the 项's name when no code was found.
    pub(super) label: String,
    amount: Option<Printed>,
    previous: Option<Printed>,
    current: Option<Printed>,
    /// The stated change in %, signed by its word, with its printed text.
    change: Option<(Printed, String)>,
    /// The change stated as a difference and a percentage, both signed by
    /// the difference's word, with its printed text.
    difference: Option<(Printed, Printed, String)>,
}

/// The item explanations of a report that state a figure, then the
/// changes stated outside them (`more`), numbered in order; their facts;
/// and an issue for each item whose figures could not be read.
pub(crate) fn read_items(
    paragraphs: &[Paragraph],
    record: &DocumentRecord,
    patterns: &Patterns,
    more: impl FnOnce(&dyn Fn(&Paragraph) -> bool) -> Vec<Item>,
) -> (Vec<Item>, Vec<Fact>, Vec<Issue>) {
    let mut read = Vec::new();
    let mut issues = Vec::new();
    for item in items(paragraphs, patterns, record) {
        if item.amount.is_none() && item.previous.is_none() && item.current.is_none() {
            issues.push(
                Issue::warning(
                    "review",
                    format!(
                        "item explanation of {} not read: no figure in “{}”",
                        item.label,
                        excerpt(&item.text, 60)
                    ),
                )
                .at(NARRATIVE, item.page, None),
            );
            continue;
        }
        read.push(item);
    }
    read.extend(more(&|p| starts_item(p, &patterns.review)));
    let mut facts = Vec::new();
    for (number, item) in read.iter_mut().enumerate() {
        item.row = number as u32 + 1;
        facts.extend(item_facts(item));
    }
    (read, facts, issues)
}

/// Whether a paragraph starts an item explanation.
fn starts_item(p: &Paragraph, patterns: &crate::patterns::ReviewPatterns) -> bool {
    !p.heading
        && patterns.item_sections.contains(&p.section)
        && patterns.item_start.is_match(&p.text)
        && patterns.code_part.is_match(&p.text)
}

impl Item {
    /// A change stated outside the items: an item without a code.
    pub(crate) fn statement(
        text: String,
        paragraph: &Paragraph,
        label: String,
        amount: Printed,
        difference: (Printed, Printed, String),
    ) -> Item {
        Item {
            text,
            page: paragraph.page,
            section: paragraph.section.clone(),
            row: 0,
            code: String::new(),
            label,
            amount: Some(amount),
            previous: None,
            current: None,
            change: None,
            difference: Some(difference),
        }
    }
}

/// The item's figures as `narrative` facts.
fn item_facts(item: &Item) -> Vec<Fact> {
    let names: String = item.text.chars().take(40).collect();
    let fact = |line: &str, column: &str, printed: Printed, unit: Option<Unit>| Fact {
        table: NARRATIVE.to_string(),
        table_label: item.section.clone(),
        table_no: String::new(),
        page: item.page,
        row: item.row,
        code: item.code.clone(),
        code_kind: Some(CodeKind::Function),
        line: line.to_string(),
        item: names.clone(),
        column: column.to_string(),
        column_label: String::new(),
        value: printed.value,
        unit,
        ocr: None,
    };
    let wan = Some(Unit::TenThousandYuan);
    let mut facts = Vec::new();
    for (line, printed) in [
        ("item.amount", item.amount),
        ("item.previous", item.previous),
        ("item.current", item.current),
        ("item.difference", item.difference.as_ref().map(|d| d.0)),
    ] {
        if let Some(printed) = printed {
            facts.push(fact(line, "amount", printed, wan));
        }
    }
    let percent = (item.change.as_ref().map(|c| c.0)).or(item.difference.as_ref().map(|d| d.1));
    if let Some(percent) = percent {
        facts.push(fact("item.change_percent", "percent", percent, None));
    }
    facts
}

fn items(paragraphs: &[Paragraph], all: &Patterns, record: &DocumentRecord) -> Vec<Item> {
    let patterns = &all.review;
    let starts = |p: &Paragraph| starts_item(p, patterns);
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

fn parse_item(
    text: String,
    first: &Paragraph,
    patterns: &Patterns,
    record: &DocumentRecord,
) -> Option<Item> {
    let review = &patterns.review;
    let (mut code, names) = code_and_names(&text, review);
    if names.is_empty() {
        return None;
    }
    if code.len() < 7 {
        code = code_of_names(&names, patterns, record).unwrap_or(code);
    }
    let value = |regex: &regex::Regex| {
        regex
            .captures(&text)
            .and_then(|caps| captured(&caps, "value"))
    };
    let signed = |caps: &regex::Captures, name: &str| captured_signed(caps, name, review);
    let change = review
        .change
        .captures(&text)
        .and_then(|caps| Some((signed(&caps, "percent")?, caps.get(0)?.as_str().to_string())));
    let difference = review.difference.captures(&text).and_then(|caps| {
        Some((
            signed(&caps, "difference")?,
            signed(&caps, "percent")?,
            caps.get(0)?.as_str().to_string(),
        ))
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
        row: 0,
        page: first.page,
        section: first.section.clone(),
        text,
    })
}

/// The codes printed with an item's class, 款 and 项 (2040699, or what of
/// it was printed) and their names.
fn code_and_names(
    text: &str,
    review: &crate::patterns::ReviewPatterns,
) -> (String, Vec<(String, String)>) {
    let mut code = String::new();
    let mut names: Vec<(String, String)> = Vec::new();
    // where names follow one another, a name runs from the end of the one
    // before (政府办公厅（室）及相关机构事务（款）: the brackets of （室） are
    // part of the name)
    let mut previous_end: Option<usize> = None;
    for caps in review.code_part.captures_iter(text) {
        let level = caps.name("level").map_or("", |m| m.as_str()).to_string();
        let (Some(whole), Some(matched)) = (caps.get(0), caps.name("name")) else {
            continue;
        };
        let joined = previous_end
            .map(|end| &text[end..matched.end()])
            .filter(|between| !between.contains(['，', '。', '；', ',']) && between.len() <= 120);
        previous_end = Some(whole.end());
        let name = joined
            .unwrap_or(matched.as_str())
            .trim_matches(|c: char| c.is_ascii_punctuation() || "“”‘’、．。：《》〈〉".contains(c))
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
    (code, names)
}

/// The full code of an item printed by names only (住房保障支出（类）住房改革
/// 支出（款）住房公积金（项）): the class's code from its name, then the rows
/// of the tables under that class named as the 款 and the 项 — when exactly
/// one code fits (names compared as the classification compares them:
/// 机关事业单位基本养老保险缴费（项） is the row 机关事业单位基本养老保险缴费支出).
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
    // the class's code from its name; a class not named (人大事务（款）…) or
    // not a class (行政事业单位离退休（类）, a 款) leaves any functional code
    let class = named("类")
        .and_then(|n| patterns.function_class(&crate::text::normalise(n)))
        .unwrap_or("2");
    let codes_named = |length: usize, named: &dyn Fn(&str) -> bool| -> Vec<String> {
        let mut codes: Vec<String> = record
            .facts
            .iter()
            .filter(|f| {
                f.code.len() == length
                    && f.code.starts_with(class)
                    && f.table != NARRATIVE
                    && named(&comparable(&f.item))
            })
            .map(|f| f.code.clone())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    };
    let rows = |length: usize, name: &str| -> Vec<String> {
        let name = comparable(name);
        let exact = codes_named(length, &|item| item == name);
        if !exact.is_empty() || record.ocr_pages.is_empty() {
            return exact;
        }
        // read by OCR: a name with one character misread (政府办公打（室）…,
        // …事务支册: then its 支出 was not set aside) is the row it alone
        // is that near
        let printed: Vec<char> = name.chars().collect();
        codes_named(length, &|item| {
            one_misread(&printed, item) || one_misread(&printed, &format!("{item}支出"))
        })
    };
    let section = named("款").map(|n| rows(5, n));
    let mut items = rows(7, named("项")?);
    match section {
        // a 款 named that no table row bears (人大事务 in a report whose
        // tables print 发展与改革事务): its 项 is not found by name alone
        Some(sections) if sections.is_empty() => return None,
        Some(sections) => {
            items.retain(|code| sections.iter().any(|s| code.starts_with(s.as_str())))
        }
        None => {}
    }
    match items.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// Whether `item` is `printed` with one character read as another, of a
/// name of four characters or more.
fn one_misread(printed: &[char], item: &str) -> bool {
    let item: Vec<char> = item.chars().collect();
    item.len() >= 4
        && item.len() == printed.len()
        && item.iter().zip(printed).filter(|(a, b)| a != b).count() == 1
}

/// The items no check could judge (no code found for the tables, no
/// change or second figure stated), each a warning saying why: with the
/// unreadable ones, every item found is checked or reported.
pub(crate) fn unchecked_items(items: &[Item], record: &DocumentRecord) -> Vec<Issue> {
    items
        .iter()
        .filter(|item| {
            let key = item_key(item.row, &item.code);
            !record.checks.iter().any(|c| {
                c.table == NARRATIVE
                    && c.key == key
                    && ITEM_CHECKS.contains(&c.check)
            })
        })
        .map(|item| {
            let why = if item.code.len() == 7 {
                "its code has no figure in the expenditure tables, and it states no change or second figure"
            } else {
                "no functional code found for it in the tables, and it states no change or second figure"
            };
            Issue::warning(
                "review",
                format!(
                    "item explanation of {} read but not checked: {why} (“{}”)",
                    item.label,
                    excerpt(&item.text, 60)
                ),
            )
            .at(NARRATIVE, item.page, Some(item.row))
        })
        .collect()
}

/// The findings of the items whose checks failed, in a reviewer's words.
pub(crate) fn item_findings(items: &[Item], record: &DocumentRecord) -> Vec<Finding> {
    let mut findings = Vec::new();
    for item in items {
        let key = item_key(item.row, &item.code);
        let check = |name: CheckName| {
            record
                .checks
                .iter()
                .find(|c| c.check == name && c.table == NARRATIVE && c.key == key)
        };
        let failed = |name: CheckName| check(name).filter(|c| c.status == CheckStatus::Fail);
        if let Some(change) = failed(CheckName::ItemChange) {
            findings.push(change_finding(item, change));
        }
        if failed(CheckName::ItemFigures).is_some() {
            findings.push(figures_finding(item, record, check(CheckName::ItemVsTable)));
        } else if let Some(table) = failed(CheckName::ItemVsTable) {
            findings.push(table_finding(item, record, table));
        }
    }
    findings
}

fn error(item: &Item, finding: &str, expected: String, actual: String, message: String) -> Finding {
    Finding {
        finding: finding.to_string(),
        severity: Severity::Error,
        section: item.section.clone(),
        page: item.page,
        excerpt: excerpt(&item.text, 120),
        expected,
        actual,
        message,
    }
}

/// `percentage`, or `direction` when the word says the opposite of the
/// figures.
fn change_finding(item: &Item, check: &Check) -> Finding {
    let computed = check.expected.unwrap_or_default();
    let stated = check.actual.unwrap_or_default();
    let wrong_way = (computed > Decimal::ZERO && stated < Decimal::ZERO)
        || (computed < Decimal::ZERO && stated > Decimal::ZERO);
    let finding = if wrong_way { "direction" } else { "percentage" };
    let message = match (item.previous, item.current, &item.change, &item.difference) {
        (Some(previous), Some(current), Some((percent, said)), _) => {
            // the change may have been computed from the item's amount where
            // the item states this year's figure differently
            let also = match item.amount {
                Some(amount) if !matches!(change_fits(previous, amount, *percent), Fit::No) => {
                    format!("（按项目金额{}万元计算则相符）", amount.value)
                }
                _ => String::new(),
            };
            format!(
                "{}：{}万元与{}万元之间的变化为{computed}%，文中写作“{said}”{also}",
                item.label, previous.value, current.value
            )
        }
        (_, _, _, Some((difference, _, said))) => {
            let amount = item
                .amount
                .or(item.current)
                .map(|a| a.value)
                .unwrap_or_default();
            format!(
                "{}：{amount}万元比上年{}万元的变化为{computed}%，文中写作“{said}”",
                item.label,
                amount - difference.value
            )
        }
        _ => check.note.clone(),
    };
    error(
        item,
        finding,
        format!("{computed}%"),
        format!("{stated}%"),
        message,
    )
}

/// Two figures for this year in one item; the table, where it prints the
/// code, says which is right.
fn figures_finding(item: &Item, record: &DocumentRecord, table: Option<&Check>) -> Finding {
    let amount = item.amount.map(|a| a.value).unwrap_or_default();
    let current = item.current.map(|c| c.value).unwrap_or_default();
    let title = table_fact(&record.facts, &item.code)
        .map(|f| f.table_label.clone())
        .unwrap_or_default();
    let verdict = match (table, item.current) {
        (Some(t), _) if t.status == CheckStatus::Pass => {
            format!("，表格（{title}）为{amount}万元，与前者一致")
        }
        (Some(t), Some(printed)) if t.expected.is_some_and(|e| Printed::of(e).agrees(printed)) => {
            format!("，表格（{title}）为{current}万元，与后者一致")
        }
        _ => String::new(),
    };
    error(
        item,
        "item_figures",
        amount.to_string(),
        current.to_string(),
        format!(
            "{}同一项目写了两个数：{amount}万元和{current}万元{verdict}",
            item.label
        ),
    )
}

fn table_finding(item: &Item, record: &DocumentRecord, check: &Check) -> Finding {
    let title = table_fact(&record.facts, &item.code)
        .map(|f| f.table_label.clone())
        .unwrap_or_default();
    let in_table = check.expected.unwrap_or_default();
    let stated = check.actual.unwrap_or_default();
    error(
        item,
        "item_vs_table",
        in_table.to_string(),
        stated.to_string(),
        format!(
            "{}：文中为{stated}万元，表格（{title}）为{in_table}万元",
            item.code
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(parts: &[(&str, &str)]) -> Vec<(String, String)> {
        parts
            .iter()
            .map(|(level, name)| (level.to_string(), name.to_string()))
            .collect()
    }

    /// worn-09's page 2 read 政府办公厅 as 政府办公打 and 其他社会保障 as
    /// 其他杜会保障: on pages read by OCR, the row one character away is the
    /// item's, when it alone is; on text as printed, only the name as
    /// printed is.
    #[test]
    fn a_name_with_one_character_misread_finds_its_row_on_a_scan_only() {
        let patterns = Patterns::builtin_shared();
        let seed = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/liaoning_panjin_dawa_smart_city_2023_final.txt"
        ))
        .unwrap();
        let mut record = crate::pipeline::process_bytes(&seed, "seed.txt", patterns);
        let misread = names(&[
            ("类", "一般公共服务支出"),
            ("款", "政府办公打（室）及相关机构事务"),
            ("项", "事业运行"),
        ]);
        assert_eq!(code_of_names(&misread, patterns, &record), None);
        record.ocr_pages = vec![2];
        assert_eq!(
            code_of_names(&misread, patterns, &record).as_deref(),
            Some("2010350")
        );
        let other = names(&[
            ("类", "社会保障和就业支出"),
            ("项", "其他杜会保障和就业支出"),
        ]);
        assert_eq!(
            code_of_names(&other, patterns, &record).as_deref(),
            Some("2089999")
        );
        // worn-02: the 出 of a trailing 支出 misread (支册)
        let trailing = names(&[
            ("类", "一般公共服务支出"),
            ("款", "政府办公厅（室）及相关机构事务"),
            ("项", "其他政府办公厅（室）及相关机构事务支册"),
        ]);
        assert_eq!(
            code_of_names(&trailing, patterns, &record).as_deref(),
            Some("2010399")
        );
        // two characters off: no row
        let far = names(&[
            ("类", "社会保障和就业支出"),
            ("项", "其他杜会保障和就业支册"),
        ]);
        assert_eq!(code_of_names(&far, patterns, &record), None);
    }
}

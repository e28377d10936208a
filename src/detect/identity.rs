//! Who and where a report is: its department's name cleaned, its level
//! (department or unit), scope, region and `department_key` (SCHEMA
//! "Identity"), from the patterns of `identity.toml` and the division list
//! `divisions.tsv`.
//!
//! - **Name**: a name as found (a 部门： line, the title, a sentence of the
//!   explanation) loses, again and again while one matches, the prefixes
//!   and suffixes `name.strip_prefix` / `name.strip_suffix` list (section
//!   words, list numbers, labels, a year and what follows it, report words,
//!   stray punctuation); what is left is no name when it matches
//!   `name.not_a_name` (a heading, a part number, a verb opening a
//!   sentence). The report's department is a **body's name**: it ends in
//!   one of `name.body_words` (局, 委员会, 中心, 支队 …); a name found that
//!   ends otherwise (部门决算单位构成, a name cut by a line break
//!   …运行管理中) is passed over for the next place, and a report that
//!   prints no body's name has none.
//! - **Level**: the first of the `level` patterns met in the report's text
//!   lines, in order (the title comes first): 单位预算/单位决算/预算单位：
//!   → `unit`; 部门预算/部门决算/预算主管部门： → `department`.
//! - **Region**: the division names in the department's name, in order,
//!   each taken as the division of that name that lies within the one
//!   before (上海市 then 普陀区: 310107, not 舟山's 330903). A name of
//!   several divisions with nothing before it to choose is resolved by the
//!   divisions the report's first text lines name, or left empty with a
//!   warning — never guessed; so is a two-character name (城区, 东区) with
//!   nothing to confirm it. A name that names no division takes its region
//!   from the first text lines the same way. `admin_level` is the level of
//!   the division found, `township` for a 街道/乡镇 body, `central` for a
//!   central body (region code 100000).
//! - **Key**: the region code, a colon and the name with its long forms
//!   written short (`key.short_forms`), the names of its region's divisions
//!   taken off and a leading 中共 dropped: 中国共产党江苏省委员会办公厅,
//!   中共江苏省委办公厅 and 江苏省委办公厅 are all `320000:委办公厅`.

use super::items::Item;
use crate::model::{AdminLevel, EntityLevel, Identity, Issue};
use crate::patterns::{Division, DivisionLevel, IdentityPatterns};

/// Text lines of a report read for its level, scope and region.
const HEAD_LINES: usize = 40;

/// A name as found, cleaned; `None` when nothing of a name is left.
pub fn clean_name(found: &str, patterns: &IdentityPatterns) -> Option<String> {
    let mut name: String = found.chars().filter(|c| !c.is_whitespace()).collect();
    loop {
        let before = name.len();
        for regex in &patterns.strip_prefix {
            if let Some(m) = regex.find(&name) {
                name = name[m.end()..].to_string();
            }
        }
        for regex in &patterns.strip_suffix {
            if let Some(m) = regex.find(&name) {
                name.truncate(m.start());
            }
        }
        for word in &patterns.scope_words {
            for form in [format!("({word})"), format!("（{word}）")] {
                if let Some(stripped) = name.strip_suffix(form.as_str()) {
                    name = stripped.to_string();
                }
            }
        }
        if name.len() == before {
            break;
        }
    }
    let heading = patterns.not_a_name.iter().any(|r| r.is_match(&name));
    (!name.is_empty() && !heading).then_some(name)
}

/// A body's name: it ends in one of the words for a body (局, 委员会,
/// 中心 …), not in a heading's word or mid-word.
pub fn is_body_name(name: &str, patterns: &IdentityPatterns) -> bool {
    patterns
        .body_words
        .iter()
        .any(|word| name.ends_with(word.as_str()) && name.len() > word.len())
}

/// Where the last body's name in `text` ends (`XX局保密审查情况` → after 局).
pub(super) fn last_body_name_end(text: &str, patterns: &IdentityPatterns) -> Option<usize> {
    text.char_indices()
        .map(|(at, c)| at + c.len_utf8())
        .rev()
        .find(|&end| is_body_name(&text[..end], patterns))
}

/// The name that opens the most sentences of the explanation with a year
/// (江苏省政协办公厅2019年度收入、支出预算总计…).
pub(super) fn name_from_sentences(items: &[Item], patterns: &IdentityPatterns) -> Option<String> {
    let names = text_lines(items, usize::MAX).filter_map(|Line { text, .. }| {
        patterns
            .sentence
            .iter()
            .find_map(|r| r.captures(&text))
            .and_then(|caps| clean_name(&caps["name"], patterns))
            .filter(|name| is_body_name(name, patterns))
    });
    most_common(names)
}

/// Of the forms a report prints its body's name in, the longest that is
/// the same body as `chosen` (the same `department_key` from the name
/// alone): 中国共产党江苏省委员会办公厅 over 江苏省委办公厅.
pub(super) fn most_complete_form(
    chosen: &str,
    forms: impl IntoIterator<Item = String>,
    patterns: &IdentityPatterns,
) -> String {
    let key_of = |name: &str| {
        let (chain, _) = region_chain(name, &[], patterns);
        let code = chain.last().map_or("", |d| d.code.as_str());
        department_key(name, code, &chain, patterns)
    };
    let key = key_of(chosen);
    forms
        .into_iter()
        .filter(|form| form.chars().count() > chosen.chars().count() && key_of(form) == key)
        .max_by_key(|form| form.chars().count())
        .unwrap_or_else(|| chosen.to_string())
}

/// Paragraphs and table cells, in order, whitespace removed.
fn text_lines<'a>(items: &'a [Item], limit: usize) -> impl Iterator<Item = Line> + 'a {
    let compact = |text: &str| -> String { text.chars().filter(|c| !c.is_whitespace()).collect() };
    items
        .iter()
        .flat_map(move |item| match item {
            Item::Text(text, _) => vec![Line {
                text: compact(text),
                paragraph: true,
            }],
            Item::Row(row) => row
                .non_empty_cells()
                .map(|(_, c)| Line {
                    text: compact(c),
                    paragraph: false,
                })
                .collect(),
        })
        .filter(|line| !line.text.is_empty())
        .take(limit)
}

/// A paragraph or a table cell, whitespace removed.
struct Line {
    text: String,
    paragraph: bool,
}

/// The identity of a report named `department`, with a warning when its
/// region could not be told.
pub(super) fn identify(
    department: &str,
    items: &[Item],
    patterns: &IdentityPatterns,
) -> (Identity, Option<Issue>) {
    let lines: Vec<Line> = text_lines(items, HEAD_LINES).collect();
    let head: Vec<String> = lines.iter().map(|line| line.text.clone()).collect();
    let mut identity = Identity {
        entity_level: entity_level(&head, patterns),
        scope: scope(&lines, department, patterns),
        ..Identity::default()
    };
    if department.is_empty() {
        return (identity, None);
    }
    let context: Vec<&Division> = head
        .iter()
        .flat_map(|line| names_in(line, patterns))
        .filter_map(|name| unique(name, patterns))
        .collect();
    let (chain, ambiguous) = region_chain(department, &context, patterns);
    let (chain, ambiguous) = match (chain.is_empty(), ambiguous) {
        (true, None) => region_chain(&head.join("。"), &context, patterns),
        found => (chain, found.1),
    };
    let issue = ambiguous.map(|name| {
        Issue::warning(
            "detect",
            format!(
                "{name} names several divisions and the report says no more: region left empty"
            ),
        )
    });
    let chain = if issue.is_some() { Vec::new() } else { chain };
    fill_region(&mut identity, department, &chain, patterns);
    identity.department_key = department_key(department, &identity.region_code, &chain, patterns);
    (identity, issue)
}

fn entity_level(head: &[String], patterns: &IdentityPatterns) -> Option<EntityLevel> {
    head.iter().find_map(|line| {
        let first = |regexes: &[regex::Regex]| {
            regexes
                .iter()
                .filter_map(|r| r.find(line))
                .map(|m| m.start())
                .min()
        };
        match (
            first(&patterns.unit_level),
            first(&patterns.department_level),
        ) {
            (Some(u), Some(d)) => Some(if u < d {
                EntityLevel::Unit
            } else {
                EntityLevel::Department
            }),
            (Some(_), None) => Some(EntityLevel::Unit),
            (None, Some(_)) => Some(EntityLevel::Department),
            (None, None) => None,
        }
    })
}

/// 本级 or 汇总 printed right after the name where the report names
/// itself: a paragraph (a title) that opens with the name and the word, or
/// a 部门： line (XX局本级2023年度部门决算, 部门：XX局（本级）) — not a
/// list of the units a department covers (预算单位包括：XX局（本级）、…,
/// or a table of them).
fn scope(lines: &[Line], department: &str, patterns: &IdentityPatterns) -> String {
    let labels = [
        "部门",
        "单位",
        "预算单位",
        "预算主管部门",
        "主管部门",
        "部门名称",
        "单位名称",
    ];
    let opens_with = |line: &Line, form: &str| {
        line.text.find(form).is_some_and(|at| {
            let before = line.text[..at].trim_end_matches([':', '：']);
            (before.is_empty() && line.paragraph) || labels.contains(&before)
        })
    };
    let printed = |word: &str| {
        !department.is_empty()
            && lines.iter().any(|line| {
                [
                    format!("{department}{word}"),
                    format!("{department}({word})"),
                    format!("{department}（{word}）"),
                ]
                .iter()
                .any(|form| opens_with(line, form))
            })
    };
    patterns
        .scope_words
        .iter()
        .find(|w| printed(w))
        .cloned()
        .unwrap_or_default()
}

fn names_in<'a>(
    text: &'a str,
    patterns: &'a IdentityPatterns,
) -> impl Iterator<Item = &'a str> + 'a {
    patterns.divisions.find(text)
}

/// The division of a name that has only one, of three characters or more.
fn unique<'a>(name: &str, patterns: &'a IdentityPatterns) -> Option<&'a Division> {
    let divisions = &patterns.divisions;
    match divisions.by_name.get(name).map(Vec::as_slice) {
        Some([one]) if name.chars().count() >= 3 => Some(&divisions.list[*one]),
        _ => None,
    }
}

/// The prefix a division's descendants share (21, 2111, 211104).
fn prefix(division: &Division) -> &str {
    match division.level {
        DivisionLevel::Province => &division.code[..2],
        DivisionLevel::Prefecture => &division.code[..4],
        DivisionLevel::County => &division.code,
    }
}

/// The divisions `text` names, each within the one before; and the name
/// that could not be told apart, if one stopped the chain.
fn region_chain<'a>(
    text: &str,
    context: &[&'a Division],
    patterns: &'a IdentityPatterns,
) -> (Vec<&'a Division>, Option<String>) {
    let divisions = &patterns.divisions;
    let mut chain: Vec<&Division> = Vec::new();
    for name in names_in(text, patterns) {
        let within = |d: &&Division| {
            chain
                .last()
                .is_none_or(|last| d.code != last.code && d.code.starts_with(prefix(last)))
        };
        let candidates: Vec<&Division> = divisions.by_name[name]
            .iter()
            .map(|&i| &divisions.list[i])
            .filter(within)
            .collect();
        let confirmed = |d: &&Division| {
            !chain.is_empty()
                || context
                    .iter()
                    .any(|c| c.code != d.code && d.code.starts_with(prefix(c)))
        };
        let chosen: Vec<&Division> = match candidates.len() {
            0 => continue,
            1 if name.chars().count() >= 3 || confirmed(&candidates[0]) => candidates,
            1 => continue,
            _ => candidates.into_iter().filter(confirmed).collect(),
        };
        match chosen[..] {
            [one] => chain.push(one),
            _ if chain.is_empty() => return (Vec::new(), Some(name.to_string())),
            _ => continue,
        }
    }
    (chain, None)
}

fn fill_region(
    identity: &mut Identity,
    department: &str,
    chain: &[&Division],
    patterns: &IdentityPatterns,
) {
    let township = patterns.township.iter().any(|r| r.is_match(department));
    let Some(lowest) = chain.last() else {
        if patterns.central.iter().any(|r| r.is_match(department)) {
            identity.region_code = "100000".to_string();
            identity.admin_level = Some(AdminLevel::Central);
        }
        return;
    };
    let divisions = &patterns.divisions;
    let name_of = |code: String| {
        divisions
            .get(&code)
            .map(|d| d.name.clone())
            .unwrap_or_default()
    };
    identity.province = name_of(format!("{}0000", &lowest.code[..2]));
    if lowest.level != DivisionLevel::Province {
        let prefecture = format!("{}00", &lowest.code[..4]);
        if prefecture != lowest.code || lowest.level == DivisionLevel::Prefecture {
            identity.prefecture = name_of(prefecture);
        }
    }
    if lowest.level == DivisionLevel::County {
        identity.county = lowest.name.clone();
    }
    identity.region_code = lowest.code.clone();
    identity.admin_level = Some(match (township, lowest.level) {
        (true, DivisionLevel::County) => AdminLevel::Township,
        (_, DivisionLevel::Province) => AdminLevel::Province,
        (_, DivisionLevel::Prefecture) => AdminLevel::Prefecture,
        (_, DivisionLevel::County) => AdminLevel::County,
    });
}

/// `region code:normalised name` (see the module doc), with an empty
/// region code when no region is known.
pub fn department_key(
    department: &str,
    region_code: &str,
    chain: &[&Division],
    patterns: &IdentityPatterns,
) -> String {
    let mut name = department.to_string();
    for (long, short) in &patterns.short_forms {
        name = name.replace(long.as_str(), short);
    }
    for division in chain {
        name = name.replacen(division.name.as_str(), "", 1);
    }
    for prefix in &patterns.drop_prefix {
        if let Some(rest) = name.strip_prefix(prefix.as_str()) {
            if !rest.is_empty() {
                name = rest.to_string();
            }
        }
    }
    format!("{region_code}:{name}")
}

/// The most frequent value, ties broken by first appearance.
pub(super) fn most_common<T: Clone + Ord>(values: impl IntoIterator<Item = T>) -> Option<T> {
    let mut counts: std::collections::BTreeMap<T, (usize, usize)> = Default::default();
    for (index, value) in values.into_iter().enumerate() {
        let entry = counts.entry(value).or_insert((0, index));
        entry.0 += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(value, _)| value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::Patterns;

    fn key(name: &str) -> String {
        let patterns = Patterns::builtin_shared();
        let identity = &patterns.identity;
        let items = [Item::Text(name, None)];
        identify(name, &items, identity).0.department_key
    }

    #[test]
    fn names_lose_what_is_not_the_name() {
        let patterns = Patterns::builtin_shared();
        let clean = |found: &str| clean_name(found, &patterns.identity);
        for (found, name) in [
            ("江苏省政协办公厅2019年度部门预算", Some("江苏省政协办公厅")),
            ("上海市普陀区财政局2024年度", Some("上海市普陀区财政局")),
            (
                "8.辽宁省盘锦市大洼区智慧城市运行管理中心",
                Some("辽宁省盘锦市大洼区智慧城市运行管理中心"),
            ),
            (
                "名称:辽宁省盘锦市大洼区智慧城市运行管理中心",
                Some("辽宁省盘锦市大洼区智慧城市运行管理中心"),
            ),
            ("/ 江苏省人民检察院", Some("江苏省人民检察院")),
            ("：江苏省人民检察院部门决算", Some("江苏省人民检察院")),
            ("第二部分", None),
            ("第二部分江苏省政协办公厅", Some("江苏省政协办公厅")),
            ("目 录", None),
            ("部门概况", None),
            ("上海市XX局（本级）", Some("上海市XX局")),
            ("机构设置情况第二部分", None),
            ("纳入辽宁省盘锦市大洼区智慧城市运行管理中心", None),
            // a heading run into the sentence by OCR (worn-02, 04)
            (
                "部门决算单位构成纳入辽宁省盘锦市大洼区智慧城市运行管理中心",
                Some("辽宁省盘锦市大洼区智慧城市运行管理中心"),
            ),
            ("部门决算单位构成", None),
        ] {
            assert_eq!(clean(found).as_deref(), name, "{found}");
        }
    }

    #[test]
    fn a_body_name_ends_in_a_body_word() {
        let patterns = Patterns::builtin_shared();
        let body = |name: &str| is_body_name(name, &patterns.identity);
        for name in [
            "辽宁省盘锦市大洼区智慧城市运行管理中心",
            "福州市公安局治安管理支队",
            "上海市普陀区人民政府万里街道",
            "中共江苏省委办公厅",
        ] {
            assert!(body(name), "{name}");
        }
        for name in [
            "辽宁省盘锦市大洼区智慧城市运行管理中",
            "部门决算单位构成",
            "日和录",
            "局",
        ] {
            assert!(!body(name), "{name}");
        }
        let glued = "福州市商务局保密审查情况";
        let end = last_body_name_end(glued, &patterns.identity);
        assert_eq!(end.map(|e| &glued[..e]), Some("福州市商务局"));
        assert_eq!(last_body_name_end("保密审查情况", &patterns.identity), None);
    }

    /// Every short form of `identity.toml` joins its long form: a name
    /// written either way gets one key.
    #[test]
    fn every_short_form_joins_its_long_form() {
        let patterns = Patterns::builtin_shared();
        for (long, short) in &patterns.identity.short_forms {
            let (a, b) = (
                key(&format!("江苏省{long}办公厅")),
                key(&format!("江苏省{short}办公厅")),
            );
            assert_eq!(a, b, "{long} / {short}");
            assert!(a.starts_with("320000:"), "{a}");
        }
    }

    #[test]
    fn one_body_under_its_name_forms_has_one_key() {
        for forms in [
            &[
                "江苏省委办公厅",
                "中共江苏省委办公厅",
                "中国共产党江苏省委员会办公厅",
            ][..],
            &[
                "江苏省人大常委会办公厅",
                "江苏省人民代表大会常务委员会办公厅",
            ],
            &["上海市普陀区人民政府办公室", "上海市普陀区政府办公室"],
        ] {
            let keys: Vec<String> = forms.iter().map(|f| key(f)).collect();
            assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
        }
        assert_eq!(key("江苏省委办公厅"), "320000:委办公厅");
        assert_eq!(
            key("辽宁省盘锦市大洼区智慧城市运行管理中心"),
            "211104:智慧城市运行管理中心"
        );
        // the same words in two counties stay two bodies
        assert_ne!(key("上海市普陀区财政局"), key("上海市静安区财政局"));
    }

    #[test]
    fn the_most_complete_form_of_one_body_wins() {
        let patterns = Patterns::builtin_shared();
        let forms = [
            "中共江苏省委办公厅",
            "中国共产党江苏省委员会办公厅",
            "江苏省财政厅和江苏省委办公厅",
        ];
        let best = most_complete_form(
            "江苏省委办公厅",
            forms.iter().map(|f| f.to_string()),
            &patterns.identity,
        );
        assert_eq!(best, "中国共产党江苏省委员会办公厅");
        let other = most_complete_form(
            "江苏省财政厅",
            forms.iter().map(|f| f.to_string()),
            &patterns.identity,
        );
        assert_eq!(other, "江苏省财政厅", "another body's name never wins");
    }

    #[test]
    fn levels_of_government() {
        let patterns = Patterns::builtin_shared();
        let level = |name: &str| {
            let items = [Item::Text(name, None)];
            identify(name, &items, &patterns.identity).0
        };
        let township = level("上海市普陀区人民政府万里街道办事处");
        assert_eq!(
            (township.admin_level, township.region_code.as_str()),
            (Some(AdminLevel::Township), "310107")
        );
        let central = level("国家统计局");
        assert_eq!(
            (central.admin_level, central.region_code.as_str()),
            (Some(AdminLevel::Central), "100000")
        );
        let prefecture = level("辽宁省盘锦市财政局");
        assert_eq!(
            (
                prefecture.admin_level,
                prefecture.prefecture.as_str(),
                prefecture.county.as_str()
            ),
            (Some(AdminLevel::Prefecture), "盘锦市", "")
        );
    }
}

//! Meta statements (部门：…, 2023年度, 单位：万元) and what the document is:
//! its report kind, department, year and default unit, from the tables'
//! own statements first, then the text.

use super::identity::{is_body_name, most_common};
use super::items::Item;
use super::title::{match_marker, match_title, title_candidate, Marker};
use super::{Detection, TableHit};
use crate::model::{ReportKind, Row, Unit};
use crate::patterns::{IdentityPatterns, Patterns};
use crate::text::normalise;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Meta {
    Department(String),
    Year(u16),
    Unit(Unit),
    Marker(Marker),
}

/// The report kind: by the titles found, else by the words used.
pub(super) fn report_kind(items: &[Item], patterns: &Patterns) -> Option<ReportKind> {
    let mut final_titles = 0;
    let mut budget_titles = 0;
    for item in items {
        if let Some(text) = title_candidate(item, patterns) {
            match match_title(&text, patterns) {
                Some((_, Some(ReportKind::Final))) => final_titles += 1,
                Some((_, Some(ReportKind::Budget))) => budget_titles += 1,
                _ => {}
            }
        }
    }
    if final_titles != budget_titles {
        return Some(if final_titles > budget_titles {
            ReportKind::Final
        } else {
            ReportKind::Budget
        });
    }
    let (mut final_words, mut budget_words) = (0, 0);
    for item in items.iter().take(400) {
        let Item::Text(text, _) = item else { continue };
        let text = normalise(text);
        final_words += patterns
            .report
            .final_words
            .iter()
            .map(|w| text.matches(w.as_str()).count())
            .sum::<usize>();
        budget_words += patterns
            .report
            .budget_words
            .iter()
            .map(|w| text.matches(w.as_str()).count())
            .sum::<usize>();
    }
    match final_words.cmp(&budget_words) {
        std::cmp::Ordering::Greater => Some(ReportKind::Final),
        std::cmp::Ordering::Less => Some(ReportKind::Budget),
        std::cmp::Ordering::Equal => None,
    }
}

/// Department, year, unit and marker statements in one cell or line
/// (`部门：X 单位：万元` is two). Empty when the text is something else.
pub(super) fn match_metas(text: &str, patterns: &Patterns) -> Vec<Meta> {
    let compact = compact(text);
    if compact.is_empty() {
        return Vec::new();
    }
    if let Some(marker) = match_marker(&compact, patterns) {
        return vec![Meta::Marker(marker)];
    }
    let unit = patterns.report.unit.iter().find_map(|regex| {
        regex
            .captures(&compact)
            .and_then(|caps| Unit::parse(&caps["unit"]))
    });
    let department = department_named(&patterns.report.department, &compact, patterns);
    if let Some(name) = department {
        let mut metas = vec![Meta::Department(name)];
        metas.extend(unit.map(Meta::Unit));
        return metas;
    }
    if let Some(unit) = unit {
        // a unit statement alone, not a sentence that mentions one
        if compact.chars().count() <= 24 {
            return vec![Meta::Unit(unit)];
        }
        return Vec::new();
    }
    patterns
        .report
        .year
        .iter()
        .find_map(|regex| {
            regex
                .captures(&compact)
                .and_then(|caps| caps["year"].parse().ok())
        })
        .map(|year| vec![Meta::Year(year)])
        .unwrap_or_default()
}

/// A department name without what a wrapped header line put after it
/// (`江苏省人民检察院单位:万元金额` → `江苏省人民检察院`) or another statement
/// glued after it (`XX局保密审查情况：不涉密` → `XX局`); `None` when what is
/// left is no name (`单位:万元`, `万元公厅`).
pub(super) fn clean_department(name: &str, identity: &IdentityPatterns) -> Option<String> {
    let cut = ["单位:", "单位：", "金额单位"]
        .iter()
        .filter_map(|m| name.find(m))
        .min()
        .unwrap_or(name.len());
    let name = without_glued_statement(name[..cut].trim_end_matches(':').trim(), identity);
    let is_unit_remnant = ["万元", "千元", "亿元", "元"]
        .iter()
        .any(|u| name.starts_with(u));
    (!name.is_empty() && !is_unit_remnant).then(|| name.to_string())
}

/// A name before another statement (`保密审查情况：不涉密`, `审签情况：…`):
/// the text before the statement's colon, back to the end of the last
/// body's name in it, which leaves the statement's label out. Unchanged
/// when no colon follows the name.
fn without_glued_statement<'a>(name: &'a str, identity: &IdentityPatterns) -> &'a str {
    let Some(colon) = name.find([':', '：']) else {
        return name;
    };
    let before = &name[..colon];
    let end = super::identity::last_body_name_end(before, identity).unwrap_or(before.len());
    &before[..end]
}

/// All cells of a row are meta statements. A cell that names a department
/// without its colon (`department_beside`: 部门辽宁省…中心) is one when the
/// row's other cells state a year or a unit.
pub(super) fn row_metas(row: &Row, patterns: &Patterns) -> Option<Vec<Meta>> {
    let mut metas = Vec::new();
    let mut without_colon = Vec::new();
    for (_, cell) in row.non_empty_cells() {
        let found = match_metas(cell, patterns);
        if !found.is_empty() {
            metas.extend(found);
        } else if let Some(name) = department_without_colon(cell, patterns) {
            without_colon.push(Meta::Department(name));
        } else {
            return None;
        }
    }
    let beside_year_or_unit = metas
        .iter()
        .any(|m| matches!(m, Meta::Year(_) | Meta::Unit(_)));
    if !without_colon.is_empty() && !beside_year_or_unit {
        return None;
    }
    metas.splice(0..0, without_colon);
    (!metas.is_empty()).then_some(metas)
}

/// The body's name of a department cell printed or read without its colon
/// (`department_beside`), when it is a body's name.
fn department_without_colon(cell: &str, patterns: &Patterns) -> Option<String> {
    department_named(&patterns.report.department_beside, &compact(cell), patterns)
        .filter(|name| is_body_name(name, &patterns.identity))
}

/// The name the first of `regexes` to match `compact` captures, cleaned.
fn department_named(
    regexes: &[regex::Regex],
    compact: &str,
    patterns: &Patterns,
) -> Option<String> {
    regexes.iter().find_map(|regex| {
        let caps = regex.captures(compact)?;
        clean_department(&caps["name"], &patterns.identity)
            .and_then(|name| super::identity::clean_name(&name, &patterns.identity))
    })
}

/// A cell or line's text in half-width forms, without whitespace (部 门 ：
/// 中 共 … reads as 部门:中共…).
fn compact(text: &str) -> String {
    crate::number::to_half_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

pub(super) fn apply_metas(hit: &mut TableHit, metas: &[Meta]) {
    for meta in metas {
        match meta {
            Meta::Department(name) => hit.department = Some(name.clone()),
            Meta::Year(year) => hit.year = Some(*year),
            Meta::Unit(unit) => hit.unit = Some(*unit),
            Meta::Marker(marker) if hit.number.is_empty() => hit.number = marker.printed.clone(),
            Meta::Marker(_) => {}
        }
    }
}

pub(super) fn fill_document_meta(
    detection: &mut Detection,
    items: &[Item],
    patterns: &Patterns,
    metas: &[Meta],
) {
    let unit_of = |m: &Meta| match m {
        Meta::Unit(u) => Some(*u),
        _ => None,
    };
    detection.unit = metas.iter().find_map(unit_of);
    detection.department = document_department(detection, items, patterns);
    detection.year = most_common(detection.tables.iter().filter_map(|t| t.year))
        .or_else(|| year_from_text(items, patterns))
        .or_else(|| {
            metas.iter().find_map(|m| match m {
                Meta::Year(y) => Some(*y),
                _ => None,
            })
        });
    for hit in &mut detection.tables {
        if hit.unit.is_none() {
            hit.unit = detection.unit;
        }
    }
}

/// The department's name: the body's name most tables print, else a
/// 部门： line's (a name broken over lines joined), else the title's, else
/// the explanation's sentences'; where the report prints the body in two
/// forms (a cover 江苏省委办公厅, the tables 中共江苏省委办公厅), the most
/// complete form of the same body. Names that are no body's name (a cut
/// 江苏省高级人民法, a heading) are passed over.
fn document_department(
    detection: &Detection,
    items: &[Item],
    patterns: &Patterns,
) -> Option<String> {
    let in_tables: Vec<String> = detection
        .tables
        .iter()
        .filter_map(|t| t.department.clone())
        .filter(|name| is_body_name(name, &patterns.identity))
        .collect();
    let in_lines = department_statements(items, patterns);
    let in_title = department_from_title(items, patterns);
    let chosen = most_common(in_tables.iter().cloned())
        .or_else(|| in_lines.first().cloned())
        .or_else(|| in_title.clone())
        .or_else(|| super::identity::name_from_sentences(items, &patterns.identity))?;
    let forms = in_tables.into_iter().chain(in_lines).chain(in_title);
    Some(super::identity::most_complete_form(
        &chosen,
        forms,
        &patterns.identity,
    ))
}

/// The names the report's 部门：/单位： statements give, in order, each a
/// body's name: one broken over lines (`部门：辽宁省盘锦` / `市大洼区智慧城市`
/// / `运行管理中心`, a narrow cell read line by line) is joined with the
/// lines that finish it.
fn department_statements(items: &[Item], patterns: &Patterns) -> Vec<String> {
    let mut names = Vec::new();
    for (at, item) in items.iter().enumerate() {
        let metas = match item {
            Item::Text(text, _) => match_metas(text, patterns),
            Item::Row(row) => row_metas(row, patterns).unwrap_or_default(),
        };
        for meta in metas {
            let Meta::Department(name) = meta else {
                continue;
            };
            let following = match item {
                Item::Text(..) => &items[at + 1..],
                Item::Row(_) => &[],
            };
            names.extend(finished_name(&name, following, patterns));
        }
    }
    names
}

/// Lines a name broken over lines may take to finish.
const NAME_CONTINUATION_LINES: usize = 3;

/// `name` if it is a body's name, else the body's name it makes with the
/// lines after it that continue it (short lines of words only: no figure,
/// no statement), else `None`.
fn finished_name(name: &str, following: &[Item], patterns: &Patterns) -> Option<String> {
    let identity = &patterns.identity;
    if is_body_name(name, identity) {
        return Some(name.to_string());
    }
    let mut joined = name.to_string();
    for item in following.iter().take(NAME_CONTINUATION_LINES) {
        let Item::Text(text, _) = item else { break };
        let line: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if !is_name_fragment(&line) {
            break;
        }
        joined.push_str(&line);
        let name = super::identity::clean_name(&joined, identity);
        if let Some(name) = name.filter(|n| is_body_name(n, identity)) {
            return Some(name);
        }
    }
    None
}

/// A line that can be the rest of a name: a few words, no figure, no
/// punctuation but brackets.
fn is_name_fragment(line: &str) -> bool {
    let brackets = ['(', ')', '（', '）'];
    (1..=20).contains(&line.chars().count())
        && line
            .chars()
            .all(|c| crate::text::is_han(c) || brackets.contains(&c))
}

/// Text lines a report's cover or title is looked for in.
const COVER_LINES: usize = 12;

/// Lines a title may be printed over (`2026年度` / `福州市公安局治安管理` /
/// `支队` / `单位预算`).
const TITLE_LINES: usize = 4;

/// Characters a title line may have: a longer line is running text or
/// a table's row run together, whatever its punctuation (the longest
/// body's name with its year and report kind is some 50), and a
/// 500,000-character line is not joined and searched four times.
const TITLE_LINE_CHARS: usize = 120;

/// The department named in the report's title (上海市普陀区财政局2024年度部门决算,
/// 2026年度福州市商务局部门预算), also when the title is printed over
/// several lines: one line, else two, … up to [`TITLE_LINES`] running on,
/// none of them a sentence.
pub(super) fn department_from_title(items: &[Item], patterns: &Patterns) -> Option<String> {
    // each cover line, or None where no title is printed (a sentence, a
    // line too long)
    let texts: Vec<Option<String>> = items
        .iter()
        .filter_map(|item| match item {
            Item::Text(text, _) => Some(
                text.chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>(),
            ),
            Item::Row(_) => None,
        })
        .filter(|t| !t.is_empty())
        .take(COVER_LINES)
        .map(|t| (!is_sentence(&t) && t.chars().count() <= TITLE_LINE_CHARS).then_some(t))
        .collect();
    let candidates = (1..=TITLE_LINES).flat_map(|lines| {
        texts
            .windows(lines)
            .filter_map(|window| {
                window
                    .iter()
                    .map(Option::as_deref)
                    .collect::<Option<String>>()
            })
            .collect::<Vec<_>>()
    });
    for text in candidates {
        for regex in &patterns.report.department_title {
            let name = regex
                .captures(&text)
                .and_then(|caps| super::identity::clean_name(&caps["name"], &patterns.identity))
                .filter(|name| is_body_name(name, &patterns.identity));
            if name.is_some() {
                return name;
            }
        }
    }
    None
}

/// A line of running text (it has a sentence's punctuation): no title.
fn is_sentence(line: &str) -> bool {
    line.contains(['，', '。', '；', '：', ',', ';', ':'])
}

/// A year in a line that also says 决算 or 预算 (`2023年度部门决算`).
pub(super) fn year_from_text(items: &[Item], patterns: &Patterns) -> Option<u16> {
    let words: Vec<&str> = patterns
        .report
        .final_words
        .iter()
        .chain(&patterns.report.budget_words)
        .map(String::as_str)
        .collect();
    items.iter().take(200).find_map(|item| {
        let Item::Text(text, _) = item else {
            return None;
        };
        if !words.iter().any(|w| text.contains(w)) {
            return None;
        }
        patterns
            .report
            .title_year
            .iter()
            .find_map(|regex| regex.captures(text).and_then(|c| c["year"].parse().ok()))
    })
}

/// The first year (1990–2099) written in a file's name: what a report that
/// states no year of its own (a tables-only file) is taken to be about.
pub fn year_in_file_name(source: &str) -> Option<u16> {
    let name = source.rsplit('/').next().unwrap_or(source);
    let characters: Vec<char> = name.chars().collect();
    characters.windows(4).find_map(|window| {
        let text: String = window.iter().collect();
        let year: u16 = text.parse().ok()?;
        (1990..=2099).contains(&year).then_some(year)
    })
}

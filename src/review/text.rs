//! Findings in the wording of the text (see the module doc of
//! [`super`]): own-year comparison bases, reasons left without their full
//! stop or left empty, doubled punctuation, unbalanced quotation marks, template residue
//! and class names out of date.

use super::{excerpt, Paragraph};
use crate::model::{DocumentRecord, EntityLevel, Finding, Severity};
use crate::patterns::{NameVerdict, Patterns, ReviewPatterns};

pub(super) fn review_text(
    paragraphs: &[Paragraph],
    record: &DocumentRecord,
    all: &Patterns,
) -> Vec<Finding> {
    let patterns = &all.review;
    let mut findings = Vec::new();
    for (i, paragraph) in paragraphs.iter().enumerate() {
        if paragraph.heading || paragraph.section == "目录" {
            continue;
        }
        let next = paragraphs.get(i + 1);
        let previous = i.checked_sub(1).and_then(|p| paragraphs.get(p));
        own_year_base(paragraph, record, patterns, &mut findings);
        unclosed_sentence(paragraph, next, patterns, &mut findings);
        empty_reason(paragraph, patterns, &mut findings);
        // marks read by OCR are the reader's, not the report's
        let read_by_ocr = paragraph
            .page
            .is_some_and(|page| record.ocr_pages.contains(&page));
        if !read_by_ocr {
            doubled_punctuation(paragraph, patterns, &mut findings);
            unbalanced_quotes(paragraph, previous, next, &mut findings);
            unbalanced_brackets(paragraph, previous, next, &mut findings);
        }
        residue(paragraph, patterns, &mut findings);
        class_names(paragraph, record, all, &mut findings);
        level_words(paragraph, record, patterns, &mut findings);
    }
    findings
}

fn warning(paragraph: &Paragraph, finding: &str, quoted: &str, message: String) -> Finding {
    Finding {
        finding: finding.to_string(),
        severity: Severity::Warning,
        section: paragraph.section.clone(),
        page: paragraph.page,
        excerpt: quoted.to_string(),
        expected: String::new(),
        actual: String::new(),
        message,
    }
}

/// The text around `at..end` of a paragraph: the clause it stands in.
fn clause(text: &str, at: usize, end: usize) -> String {
    let start = text[..at]
        .rfind(['，', '。', '；', '：'])
        .map_or(0, |i| i + '，'.len_utf8());
    let stop = text[end..]
        .find(['，', '。', '；'])
        .map_or(text.len(), |i| end + i + '。'.len_utf8());
    excerpt(&text[start..stop], 80)
}

/// 比2026年预算增加… in a 2026 report: the base of a comparison must be an
/// earlier year.
fn own_year_base(
    paragraph: &Paragraph,
    record: &DocumentRecord,
    patterns: &ReviewPatterns,
    findings: &mut Vec<Finding>,
) {
    let Some(year) = record.year else { return };
    for caps in patterns.comparison.captures_iter(&paragraph.text) {
        let said = caps
            .name("year")
            .and_then(|y| y.as_str().parse::<u16>().ok());
        if said != Some(year) {
            continue;
        }
        let m = caps.get(0).expect("the match");
        let quoted = clause(&paragraph.text, m.start(), m.end());
        findings.push(warning(
            paragraph,
            "own_year_base",
            &quoted,
            format!("比较的基数是本报告年度（{year}年）本身，应与上一年度比较：“{quoted}”"),
        ));
    }
}

/// …的主要原因是工作量增加⏎ followed by a new statement: the sentence has
/// no full stop. (A paragraph the layout broke in mid-sentence continues
/// in the next one, which is then neither a heading, an item nor a lead-in
/// — a short sentence ending in a colon, 财政拨款支出主要内容如下：.)
fn unclosed_sentence(
    paragraph: &Paragraph,
    next: Option<&Paragraph>,
    patterns: &ReviewPatterns,
    findings: &mut Vec<Finding>,
) {
    if !patterns.unclosed.is_match(&paragraph.text) {
        return;
    }
    let new_statement = match next {
        None => true,
        Some(next) => {
            next.heading
                || next.section != paragraph.section
                || patterns.item_start.is_match(&next.text)
                || (next.text.ends_with(['：', ':']) && !next.text.contains('。'))
        }
    };
    if !new_statement {
        return;
    }
    let quoted = excerpt(&paragraph.text, 80);
    findings.push(warning(
        paragraph,
        "unclosed_sentence",
        &quoted,
        format!("句子缺少句号：“{quoted}”"),
    ));
}

/// 与2025年预算数持平，主要原因是。: a reason (purpose, explanation)
/// announced and left empty.
fn empty_reason(paragraph: &Paragraph, patterns: &ReviewPatterns, findings: &mut Vec<Finding>) {
    for m in patterns.empty_reason.find_iter(&paragraph.text) {
        let quoted = clause(&paragraph.text, m.start(), m.start());
        findings.push(warning(
            paragraph,
            "empty_reason",
            &quoted,
            format!("原因或用途未说明：“{quoted}”"),
        ));
    }
}

fn doubled_punctuation(
    paragraph: &Paragraph,
    patterns: &ReviewPatterns,
    findings: &mut Vec<Finding>,
) {
    for m in patterns.doubled.find_iter(&paragraph.text) {
        let text = &paragraph.text;
        let start = text[..m.start()]
            .rfind(['，', '。', '；', '：'])
            .map_or(0, |i| i + '，'.len_utf8());
        let quoted = excerpt(&text[start..m.end()], 80);
        findings.push(warning(
            paragraph,
            "doubled_punctuation",
            &quoted,
            format!("标点重复（“{}”）：“{quoted}”", m.as_str()),
        ));
    }
}

/// Opening and closing quotation marks that do not pair: more closing
/// than opening in a paragraph that does not continue an open quote (or
/// the reverse, not continued in the next).
fn unbalanced_quotes(
    paragraph: &Paragraph,
    previous: Option<&Paragraph>,
    next: Option<&Paragraph>,
    findings: &mut Vec<Finding>,
) {
    let balance = |text: &str| text.matches('“').count() as i64 - text.matches('”').count() as i64;
    let own = balance(&paragraph.text);
    let continues = |other: Option<&Paragraph>, sign: i64| {
        other.is_some_and(|o| o.section == paragraph.section && balance(&o.text) * sign > 0)
    };
    let unbalanced = (own < 0 && !continues(previous, 1)) || (own > 0 && !continues(next, -1));
    if !unbalanced {
        return;
    }
    let at = paragraph.text.find(['“', '”']).unwrap_or(0);
    let quoted = clause(&paragraph.text, at, at);
    findings.push(warning(
        paragraph,
        "unbalanced_quotes",
        &quoted,
        format!(
            "引号不成对（前引号{}个，后引号{}个）：“{quoted}”",
            paragraph.text.matches('“').count(),
            paragraph.text.matches('”').count()
        ),
    ));
}

/// The brackets of a text that do not pair ( （ and ( alike): the byte
/// offsets of closing brackets with nothing open, and of openings left
/// open.
fn unpaired_brackets(text: &str) -> (Vec<usize>, Vec<usize>) {
    let mut open = Vec::new();
    let mut stray = Vec::new();
    for (at, c) in text.char_indices() {
        match c {
            '（' | '(' => open.push(at),
            '）' | ')' if open.pop().is_none() => stray.push(at),
            _ => {}
        }
    }
    (stray, open)
}

/// A bracket closed that was never opened, or opened and never closed —
/// unless the paragraph before left one open (or the one after closes it):
/// a layout breaks lines inside brackets.
fn unbalanced_brackets(
    paragraph: &Paragraph,
    previous: Option<&Paragraph>,
    next: Option<&Paragraph>,
    findings: &mut Vec<Finding>,
) {
    let (stray, open) = unpaired_brackets(&paragraph.text);
    let same = |other: &&Paragraph| other.section == paragraph.section && !other.heading;
    let before_open = previous
        .filter(same)
        .is_some_and(|p| !unpaired_brackets(&p.text).1.is_empty());
    let after_closes = next
        .filter(same)
        .is_some_and(|p| !unpaired_brackets(&p.text).0.is_empty());
    let at = match (stray.first(), open.last()) {
        (Some(&at), _) if !before_open => at,
        (_, Some(&at)) if !after_closes => at,
        _ => return,
    };
    let quoted = clause(&paragraph.text, at, at);
    findings.push(warning(
        paragraph,
        "unbalanced_brackets",
        &quoted,
        format!("括号不成对：“{quoted}”"),
    ));
}

fn residue(paragraph: &Paragraph, patterns: &ReviewPatterns, findings: &mut Vec<Finding>) {
    for regex in &patterns.residue {
        for m in regex.find_iter(&paragraph.text) {
            let quoted = clause(&paragraph.text, m.start(), m.end());
            findings.push(warning(
                paragraph,
                "template_residue",
                &quoted,
                format!("模板残留（“{}”）：“{quoted}”", m.as_str()),
            ));
        }
    }
}

/// 本部门 in a 单位预算 (or 单位预算表 in a 部门预算): the other level's
/// words, left from a template of the other level.
fn level_words(
    paragraph: &Paragraph,
    record: &DocumentRecord,
    patterns: &ReviewPatterns,
    findings: &mut Vec<Finding>,
) {
    let (own, other, words) = match record.identity.entity_level {
        Some(EntityLevel::Unit) => ("单位", "部门", &patterns.levels.department),
        Some(EntityLevel::Department) => ("部门", "单位", &patterns.levels.unit),
        None => return,
    };
    let text = &paragraph.text;
    // the places inside a term both levels use
    let shared: Vec<(usize, usize)> = patterns
        .levels
        .shared
        .iter()
        .flat_map(|term| {
            text.match_indices(term.as_str())
                .map(|(i, t)| (i, i + t.len()))
        })
        .collect();
    for word in words {
        for (at, matched) in text.match_indices(word.as_str()) {
            let end = at + matched.len();
            if shared.iter().any(|&(s, e)| s <= at && end <= e) {
                continue;
            }
            let quoted = clause(text, at, end);
            findings.push(warning(
                paragraph,
                "level_words",
                &quoted,
                format!("{own}报告中出现{other}一级的用语“{word}”：“{quoted}”"),
            ));
        }
    }
}

/// 医疗卫生与计划生育支出（210类） in a report of 2019 or later: a class,
/// 款 or 项 printed with its code (the 款's and 项's codes completed from
/// the class before them in the paragraph) under a name of other years.
fn class_names(
    paragraph: &Paragraph,
    record: &DocumentRecord,
    patterns: &Patterns,
    findings: &mut Vec<Finding>,
) {
    let Some(year) = record.year else { return };
    let mut code = String::new();
    for caps in patterns.review.code_part.captures_iter(&paragraph.text) {
        let name = caps.name("name").map_or("", |m| m.as_str());
        let digits = caps.name("digits").map_or("", |m| m.as_str());
        match (caps.name("level").map_or("", |m| m.as_str()), digits.len()) {
            ("类", 3) => code = digits.to_string(),
            ("款", 2) if code.len() == 3 => code.push_str(digits),
            ("项", 2) if code.len() == 5 => code.push_str(digits),
            _ => continue,
        }
        let verdict = patterns.classification.judge("function", &code, name, year);
        if let Some(finding) = out_of_date(&verdict, &code, year) {
            let m = caps.get(0).expect("the match");
            findings.push(Finding {
                page: paragraph.page,
                section: paragraph.section.clone(),
                excerpt: excerpt(m.as_str(), 80),
                ..finding
            });
        }
    }
}

/// The `class_name` finding of a name out of date (its place left empty).
pub(super) fn out_of_date(verdict: &NameVerdict, code: &str, year: u16) -> Option<Finding> {
    let NameVerdict::OutOfDate { printed, current } = verdict else {
        return None;
    };
    let new: Vec<&str> = current.iter().map(|n| n.name.as_str()).collect();
    let new = new.join("／");
    Some(Finding {
        finding: "class_name".to_string(),
        severity: Severity::Warning,
        section: String::new(),
        page: None,
        excerpt: String::new(),
        expected: new.clone(),
        actual: printed.name.clone(),
        message: format!(
            "{code}的名称“{}”是{}的名称，{year}年为“{new}”",
            printed.name,
            printed.years()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// worn-02's 决算情况说明, read by OCR: 〈类) for (类) is the reader's
    /// misreading, no finding; the same text on a page with a text layer is
    /// one.
    #[test]
    fn marks_on_a_page_read_by_ocr_are_no_finding() {
        let patterns = Patterns::builtin_shared();
        let paragraph = Paragraph {
            text:
                "(1)一般公共服务支出〈类)政府办公厅(室)及相关机构事务(款)事业运行(项)228.45万元。"
                    .to_string(),
            page: Some(2),
            section: "决算情况说明".to_string(),
            heading: false,
            running_head: false,
        };
        let names = |record: &DocumentRecord| -> Vec<String> {
            review_text(std::slice::from_ref(&paragraph), record, patterns)
                .into_iter()
                .map(|f| f.finding)
                .collect()
        };
        let printed = DocumentRecord::default();
        assert_eq!(names(&printed), ["unbalanced_brackets"]);
        let scanned = DocumentRecord {
            ocr_pages: vec![2],
            ..DocumentRecord::default()
        };
        assert!(names(&scanned).is_empty(), "{:?}", names(&scanned));
    }
}

//! Review: what a reviewer of a 公开 report writes down (SCHEMA
//! "Findings"), from the text as well as the tables — one [`Finding`] per
//! problem, with the section, the page and the printed text quoted.
//!
//! The report is read paragraph by paragraph in its sections (a short
//! paragraph holding a heading of `review.toml`'s `sections` opens one).
//! Findings:
//! - every failed check of `checks.csv`, in words (`check_failed`);
//! - the item explanations of the 预算编制说明 / 决算情况说明 ([`items`]):
//!   the stated change recomputed from the two figures beside it within
//!   what their printed digits allow (`percentage`, `direction`), the
//!   item's amount against the same year's figure it states again
//!   (`item_figures`), and against the tables (`item_vs_table`);
//! - the wording ([`text`]): a comparison whose base is the report's own
//!   year (`own_year_base`), a reason left without its full stop
//!   (`unclosed_sentence`), a reason or purpose announced and left empty
//!   (`empty_reason`: 主要原因是。), doubled punctuation (`doubled_punctuation`),
//!   unbalanced quotation marks (`unbalanced_quotes`) or brackets
//!   (`unbalanced_brackets`), template residue (`template_residue`), a
//!   class named by a name out of date in the report's year
//!   (`class_name`) — the marks (full stops, punctuation, quotes,
//!   brackets) not on a page read by OCR, which reads them unreliably
//!   (〈类) for (类), a closing bracket twice, a full stop lost): a finding
//!   there would be the reader's, not the report's;
//! - a PDF page with no text and no table inside the report (`empty_page`).
//!
//! The rules' wording is data (`patterns/review.toml`); a finding never
//! changes a document's status.

mod items;
mod statements;
mod text;

use crate::check::rules::items::Printed;
use crate::model::{
    Block, CheckName, CheckStatus, Document, DocumentRecord, Fact, Finding, Issue, Severity,
};
use crate::patterns::{Patterns, ReviewPatterns};

/// A paragraph of the report, in its section.
#[derive(Debug, Clone)]
pub(crate) struct Paragraph {
    pub text: String,
    pub page: Option<u32>,
    pub section: String,
    /// A heading (opens its section).
    pub heading: bool,
    /// A running head: the same text printed on page after page (the
    /// report's name over each page), not part of what it reads around.
    pub running_head: bool,
}

/// How many times a paragraph repeats to be a running head.
const RUNNING_HEAD_REPEATS: usize = 3;

/// What the review of one report gives.
#[derive(Debug, Default)]
pub struct Review {
    pub findings: Vec<Finding>,
    /// The report's sections, in order.
    pub sections: Vec<String>,
    /// The item explanations read that no check could judge.
    pub issues: Vec<Issue>,
}

/// What the review reads before the checks run: the report's paragraphs
/// in their sections, and its item explanations.
#[derive(Debug, Default)]
pub struct Reading {
    paragraphs: Vec<Paragraph>,
    items: Vec<items::Item>,
    shares: Vec<statements::Share>,
}

/// Read a report's text for the review: its item explanations' figures
/// become `narrative` facts (for the checks), the items none of whose
/// figures could be read become issues.
pub fn read(
    document: &Document,
    record: &DocumentRecord,
    patterns: &Patterns,
) -> (Reading, Vec<Fact>, Vec<Issue>) {
    let paragraphs = paragraphs(document, &patterns.review);
    let (items, mut facts, issues) = items::read_items(&paragraphs, record, patterns, |is_item| {
        statements::change_statements(&paragraphs, &patterns.review, is_item)
    });
    let shares = statements::shares(&paragraphs, &patterns.review);
    facts.extend(statements::share_facts(&shares));
    let mut issues = issues;
    issues.extend(unknown_class_names(record, patterns));
    let reading = Reading {
        paragraphs,
        items,
        shares,
    };
    (reading, facts, issues)
}

impl Reading {
    /// The items keyed by a table row's code that OCR misread and the
    /// proof-reading set right (`read_as`: `code 2013159`) take the code
    /// as set: worn-09's 党委办公厅（室）及相关机构事务（款）事业运行（项） was
    /// keyed 2013159, the row's code as read, and the row became 2013150.
    /// A code some table still holds is left.
    pub fn follow_codes_set_right(&mut self, record: &mut DocumentRecord) {
        let mut set_right: Vec<(String, String)> = record
            .facts
            .iter()
            .filter(|f| f.table != crate::model::NARRATIVE)
            .filter_map(|f| Some((f.ocr.as_ref()?.code_read()?.to_string(), f.code.clone())))
            .collect();
        set_right.sort();
        set_right.dedup();
        let held = |code: &str| {
            record
                .facts
                .iter()
                .any(|f| f.table != crate::model::NARRATIVE && f.code == code)
        };
        let set_right: Vec<(String, String)> = set_right
            .into_iter()
            .filter(|(read, _)| !held(read))
            .collect();
        let now = |code: &str| {
            set_right
                .iter()
                .find(|(read, _)| read == code)
                .map(|(_, right)| right.clone())
        };
        for item in &mut self.items {
            if let Some(right) = now(&item.code) {
                if item.label == item.code {
                    item.label = right.clone();
                }
                item.code = right;
            }
        }
        for fact in &mut record.facts {
            if fact.table == crate::model::NARRATIVE {
                if let Some(right) = now(&fact.code) {
                    fact.code = right;
                }
            }
        }
    }
}

/// Review one report, its checks done.
pub fn review(
    document: &Document,
    record: &DocumentRecord,
    patterns: &Patterns,
    reading: &Reading,
) -> Review {
    let paragraphs = &reading.paragraphs;
    let mut review = Review {
        findings: failed_checks(record),
        ..Review::default()
    };
    review
        .findings
        .extend(items::item_findings(&reading.items, record));
    review.issues = items::unchecked_items(&reading.items, record);
    review
        .findings
        .extend(share_findings(&reading.shares, record));
    review
        .findings
        .extend(text::review_text(paragraphs, record, patterns));
    review.findings.extend(table_class_names(record, patterns));
    review.findings.extend(empty_pages(document, paragraphs));
    review.findings.extend(clipped_text(document, paragraphs));
    for paragraph in paragraphs.iter().filter(|p| p.heading) {
        if !review.sections.contains(&paragraph.section) {
            review.sections.push(paragraph.section.clone());
        }
    }
    review
}

/// The report's paragraphs, whitespace removed, each with its section.
pub(crate) fn paragraphs(document: &Document, patterns: &ReviewPatterns) -> Vec<Paragraph> {
    let mut section = String::new();
    let mut out = Vec::new();
    for block in &document.blocks {
        let Block::Paragraph(paragraph) = block else {
            continue;
        };
        let text: String = paragraph
            .text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if text.is_empty() {
            continue;
        }
        let heading = heading_of(&text, patterns);
        if let Some(name) = &heading {
            section.clone_from(name);
        }
        out.push(Paragraph {
            text,
            page: paragraph.page,
            section: section.clone(),
            heading: heading.is_some(),
            running_head: false,
        });
    }
    mark_running_heads(&mut out);
    out
}

/// Mark the paragraphs whose text repeats `RUNNING_HEAD_REPEATS` times or
/// more as running heads.
fn mark_running_heads(paragraphs: &mut [Paragraph]) {
    let mut repeats: std::collections::BTreeMap<String, usize> = Default::default();
    for paragraph in paragraphs.iter() {
        *repeats.entry(paragraph.text.clone()).or_default() += 1;
    }
    for paragraph in paragraphs {
        paragraph.running_head = repeats[&paragraph.text] >= RUNNING_HEAD_REPEATS;
    }
}

fn heading_of(text: &str, patterns: &ReviewPatterns) -> Option<String> {
    if text.chars().count() > patterns.heading_max_chars || text.contains("……") {
        return None;
    }
    patterns
        .sections
        .iter()
        .find(|s| text.contains(s.as_str()))
        .cloned()
}

/// Pages of a PDF with no text and no table between pages that have them
/// (a blank page left inside a report: `empty_page`). Pages before the
/// first with text (a cover of pictures or outlined type) and after the
/// last are not counted.
fn empty_pages(document: &Document, paragraphs: &[Paragraph]) -> Vec<Finding> {
    let Some(pages) = document.pages else {
        return Vec::new();
    };
    let mut used = vec![false; pages as usize + 1];
    for block in &document.blocks {
        let marked: Vec<Option<u32>> = match block {
            Block::Paragraph(p) => vec![p.page],
            Block::Table(t) => t.rows.iter().map(|r| r.page).collect(),
        };
        for page in marked.into_iter().flatten() {
            if let Some(slot) = used.get_mut(page as usize) {
                *slot = true;
            }
        }
    }
    let first = used.iter().position(|u| *u).unwrap_or(0);
    let last = used.iter().rposition(|u| *u).unwrap_or(0);
    (first + 1..last)
        .filter(|&page| !used[page])
        .map(|page| {
            let section = paragraphs
                .iter()
                .rev()
                .find(|p| p.page.is_some_and(|q| (q as usize) < page))
                .map(|p| p.section.clone())
                .unwrap_or_default();
            Finding {
                finding: "empty_page".to_string(),
                severity: Severity::Warning,
                section,
                page: Some(page as u32),
                excerpt: format!("第{page}页"),
                expected: String::new(),
                actual: String::new(),
                message: format!("第{page}页为空白页：没有文字或表格内容"),
            }
        })
        .collect()
}

/// The section a page's text belongs to: that of the last paragraph
/// that starts on it or before it.
fn section_at(paragraphs: &[Paragraph], page: u32) -> String {
    paragraphs
        .iter()
        .rev()
        .find(|p| p.page.is_some_and(|q| q <= page))
        .map(|p| p.section.clone())
        .unwrap_or_default()
}

/// Text a PDF page holds outside its visible area (`clipped_text`): the
/// text layer goes on where the frame that shows it has ended, so a
/// reader of the page does not see it.
fn clipped_text(document: &Document, paragraphs: &[Paragraph]) -> Vec<Finding> {
    document
        .clipped
        .iter()
        .map(|clipped| {
            let (what, lines) = if clipped.cut.is_empty() {
                ("不在页面可见区域内，未能显示", &clipped.hidden)
            } else {
                ("在显示区域边缘被截断，未能完整显示", &clipped.cut)
            };
            let quoted = excerpt(&lines.join("……"), 80);
            Finding {
                finding: "clipped_text".to_string(),
                severity: Severity::Warning,
                section: section_at(paragraphs, clipped.page),
                page: Some(clipped.page),
                excerpt: quoted.clone(),
                expected: String::new(),
                actual: String::new(),
                message: format!("第{}页有文字{what}：“{quoted}”", clipped.page),
            }
        })
        .collect()
}

/// The classification names the tables print with their codes, out of
/// date in the report's year (`class_name`, once per code and name).
fn table_class_names(record: &DocumentRecord, patterns: &Patterns) -> Vec<Finding> {
    let Some(year) = record.year else {
        return Vec::new();
    };
    class_verdicts(record, patterns, year)
        .into_iter()
        .filter_map(|(fact, verdict)| {
            let finding = text::out_of_date(&verdict, &fact.code, year)?;
            Some(Finding {
                section: fact.table_label.clone(),
                page: fact.page,
                excerpt: format!("{} {}", fact.code, excerpt(fact.item.trim(), 60)),
                ..finding
            })
        })
        .collect()
}

/// Names the classification dictionary does not know for a code it holds
/// (a warning each, once per code and name: reports abbreviate, and the
/// dictionary is not complete).
fn unknown_class_names(record: &DocumentRecord, patterns: &Patterns) -> Vec<Issue> {
    let Some(year) = record.year else {
        return Vec::new();
    };
    class_verdicts(record, patterns, year)
        .into_iter()
        .filter(|(_, verdict)| *verdict == crate::patterns::NameVerdict::Unknown)
        .map(|(fact, _)| {
            Issue::warning(
                "review",
                format!(
                    "{} “{}”: a name the classification dictionary does not hold for this code",
                    fact.code,
                    excerpt(fact.item.trim(), 40)
                ),
            )
            .at(&fact.table, fact.page, Some(fact.row))
        })
        .collect()
}

/// The dictionary's verdict on each distinct code and name the tables
/// print (function and economic codes), in the order first printed.
fn class_verdicts<'a>(
    record: &'a DocumentRecord,
    patterns: &'a Patterns,
    year: u16,
) -> Vec<(&'a Fact, crate::patterns::NameVerdict<'a>)> {
    let mut seen: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    record
        .facts
        .iter()
        .filter(|f| {
            f.table != crate::model::NARRATIVE
                && !f.code.is_empty()
                && !f.item.trim().is_empty()
                && matches!(
                    f.code_kind,
                    Some(crate::model::CodeKind::Function | crate::model::CodeKind::Economic)
                )
        })
        .filter(|f| seen.insert((f.code.as_str(), f.item.as_str())))
        .map(|fact| {
            let kind = fact.code_kind.map_or("", |k| k.as_str());
            let verdict = patterns
                .classification
                .judge(kind, &fact.code, &fact.item, year);
            (fact, verdict)
        })
        .collect()
}

/// The shares whose check failed.
fn share_findings(shares: &[statements::Share], record: &DocumentRecord) -> Vec<Finding> {
    let failed: Vec<&crate::model::Check> = record
        .checks
        .iter()
        .filter(|c| c.check == CheckName::Share && c.status == CheckStatus::Fail)
        .collect();
    shares
        .iter()
        .filter_map(|share| {
            let key = crate::check::rules::items::share_key(share.row);
            let check = failed.iter().find(|c| c.key == key)?;
            let computed = check.expected.unwrap_or_default();
            let of = if share.total_name.is_empty() {
                String::new()
            } else {
                format!("占{}", share.total_name)
            };
            Some(Finding {
                finding: "share".to_string(),
                severity: Severity::Error,
                section: share.section.clone(),
                page: share.page,
                excerpt: share.text.clone(),
                expected: format!("{computed}%"),
                actual: format!("{}%", share.percent.value),
                message: format!(
                    "{}万元{of}（{}万元）的比例为{computed}%，文中写作{}%",
                    share.value.value, share.total.value, share.percent.value
                ),
            })
        })
        .collect()
}

/// The checks whose failures the review says in its own words (the
/// items' and the shares' findings).
fn said_by_the_review(name: CheckName) -> bool {
    crate::check::rules::items::ITEM_CHECKS.contains(&name) || name == CheckName::Share
}

/// Every failed check, in the words of its note.
fn failed_checks(record: &DocumentRecord) -> Vec<Finding> {
    record
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail && !said_by_the_review(c.check))
        .map(|check| Finding {
            finding: format!("check_failed:{}", check.check.as_str()),
            severity: Severity::Error,
            section: if check.table_label.is_empty() {
                check.table.clone()
            } else {
                check.table_label.clone()
            },
            page: check.page,
            excerpt: check.key.clone(),
            expected: check.expected.map(|d| d.to_string()).unwrap_or_default(),
            actual: check.actual.map(|d| d.to_string()).unwrap_or_default(),
            message: format!("核对未通过：{}", check.note),
        })
        .collect()
}

/// The printed figure a regex captured as `name`.
pub(crate) fn captured(caps: &regex::Captures, name: &str) -> Option<Printed> {
    Printed::parse(caps.name(name)?.as_str())
}

/// The figure captured as `name`, signed by the captured `direction` word
/// (a decrease word of `review.toml` makes it negative).
pub(crate) fn captured_signed(
    caps: &regex::Captures,
    name: &str,
    patterns: &ReviewPatterns,
) -> Option<Printed> {
    let word = caps.name("direction")?.as_str();
    let value = captured(caps, name)?.value;
    let down = patterns.decrease.iter().any(|w| w == word);
    Some(Printed::of(if down { -value } else { value }))
}

/// At most `n` characters of `text`, for an excerpt.
pub(crate) fn excerpt(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::rules::items::Printed;
    use crate::check::rules::testing::coded;
    use crate::model::{OcrCheck, OcrMark, NARRATIVE};

    /// worn-09: the item of 事业运行 under 党委办公厅（室）及相关机构事务 was
    /// keyed by its row's code as read (2013159); the proof-reading set the
    /// row right (2013150), and the item follows. An item whose code a
    /// table still holds keeps it.
    #[test]
    fn an_item_keyed_by_a_code_set_right_follows_it() {
        let row = Fact {
            ocr: Some(OcrMark {
                confidence: Some(59),
                check: OcrCheck::Corrected,
                read_as: Some(OcrMark::code_read_as("2013159")),
            }),
            ..coded("2013150", "0.00")
        };
        let item_fact = |code: &str| Fact {
            table: NARRATIVE.to_string(),
            ..coded(code, "0.00")
        };
        let mut record = DocumentRecord {
            facts: vec![
                row,
                coded("2010350", "228.45"),
                item_fact("2013159"),
                item_fact("2010350"),
            ],
            ..DocumentRecord::default()
        };
        let paragraph = Paragraph {
            text: String::new(),
            page: Some(2),
            section: String::new(),
            heading: false,
            running_head: false,
        };
        let amount = Printed::parse("0.00").unwrap();
        let item = |code: &str| {
            let mut item = items::Item::statement(
                String::new(),
                &paragraph,
                code.to_string(),
                amount,
                (amount, amount, String::new()),
            );
            item.code = code.to_string();
            item
        };
        let mut reading = Reading {
            paragraphs: Vec::new(),
            items: vec![item("2013159"), item("2010350")],
            shares: Vec::new(),
        };
        reading.follow_codes_set_right(&mut record);
        let codes: Vec<&str> = record.facts.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["2013150", "2010350", "2013150", "2010350"]);
        let items: Vec<(&str, &str)> = reading
            .items
            .iter()
            .map(|i| (i.code.as_str(), i.label.as_str()))
            .collect();
        assert_eq!(items, [("2013150", "2013150"), ("2010350", "2010350")]);
    }
}

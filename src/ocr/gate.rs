//! The gate before the long read: a scanned document (no page with a text
//! layer) is OCR'd page by page at 300 dpi only when its first pages look
//! like a budget report. A crawl brings notices and letters published as
//! scans; read in full, each costs seconds a page and ends `skipped`.
//!
//! How ([`gate`]):
//! 1. the first pages are rendered at [`GATE_DPI`] (a third of the full
//!    read's resolution in each direction: titles and body text are still
//!    read, at about a ninth of the pixels), straightened (the skew, within
//!    ±2°) and read whole by Tesseract as one block of Chinese text; a
//!    page read with a confidence under `turn::LOW_CONFIDENCE` is read
//!    again turned a quarter either way where its rows of ink run down it
//!    (`turn::lines_run_across`: scanned sideways), else upside down, the
//!    best read kept (a page as it lies is read once: the ink test alone
//!    took a table page at this resolution for a sideways one);
//! 2. the text read, whitespace removed, is searched for the report's own
//!    words, all from the patterns ([`Evidence::find`]): a report title
//!    stating its year and level (`year_statements`: 2023年度部门决算; not
//!    `department_title`, which reads 2024年度预算 at the head of any text
//!    as a title), a money unit statement (`unit`: 单位：万元), a table title of
//!    any table of either kind (收入支出决算总表), a table number on a line
//!    of its own (`marker`: 公开05表), or a section heading of a report
//!    (`review.toml` `sections`: 决算情况说明, 名词解释);
//! 3. the first page with any of them opens the document to the full read;
//! 4. a page of running text (at least [`TEXT_PAGE_CHARS`] characters)
//!    with none of them closes it: a report's first page of text is a
//!    cover, a contents page, a table or its 概况, and each of those names
//!    one of them. A page with less (blank paper, a photograph, a cover
//!    whose title was not read) says nothing either way: the next page is
//!    read, up to [`GATE_PAGES`] pages;
//! 5. a document closed, or with no evidence in the pages read, is
//!    `skipped`: "scanned, not a budget report (pages read: 1)"; one whose
//!    pages read were all blank paper goes on to the full read, which
//!    says so (blank pages are not sent to Tesseract there either).
//!
//! One piece of evidence is enough: a report wrongly skipped loses all its
//! figures, a non-report wrongly let through only costs its read (its
//! tables are looked for and not found, and it is skipped as before). A
//! notice whose text names a report by its year (关于编制2025年部门预算的
//! 通知) goes through.

use super::render::{self, Plan};
use super::{tesseract, Tools};
use crate::patterns::Patterns;
use std::path::Path;

/// Resolution of the gate's read, dots per inch of the printed page.
pub const GATE_DPI: f32 = 100.0;
/// The most pages the gate reads.
pub const GATE_PAGES: usize = 3;
/// A page with at least this many characters read is running text.
pub const TEXT_PAGE_CHARS: usize = 150;

/// What the gate decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Read it: `found` on page `page`.
    Report { page: u32, found: String },
    /// Not a budget report: none of its words in the pages read.
    NotReport { pages_read: Vec<u32> },
}

impl Verdict {
    /// The reason a document not a report is skipped with.
    pub fn reason(pages_read: &[u32]) -> String {
        let pages: Vec<String> = pages_read.iter().map(u32::to_string).collect();
        format!(
            "scanned, not a budget report (pages read: {}): none of a report's titles, unit statements or section headings found",
            pages.join(", ")
        )
    }
}

/// A scanned page as the gate sees it: its number, its size in points,
/// its largest image's resolution.
#[derive(Debug, Clone, Copy)]
pub struct GatePage {
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub image_dpi: Option<f32>,
}

/// The words that make a page a budget report's, from the patterns.
pub struct Evidence<'a> {
    patterns: &'a Patterns,
}

impl<'a> Evidence<'a> {
    pub fn of(patterns: &'a Patterns) -> Evidence<'a> {
        Evidence { patterns }
    }

    /// The first of the report's words found in `read` (normalised: no
    /// whitespace, ASCII forms; a table number on a line of its own), named.
    pub fn find(&self, read: &str) -> Option<String> {
        let text = crate::text::normalise(read);
        let report = &self.patterns.report;
        for regex in report.year_statements.iter().map(|s| &s.regex) {
            if let Some(m) = regex.find(&text) {
                return Some(format!("the report title {}", m.as_str()));
            }
        }
        if let Some(m) = report.unit.iter().find_map(|r| r.find(&text)) {
            return Some(format!("the unit statement {}", m.as_str()));
        }
        let kinds = [
            crate::model::ReportKind::Final,
            crate::model::ReportKind::Budget,
        ];
        for table in &self.patterns.tables {
            for kind in kinds {
                if let Some(title) = table
                    .titles(kind)
                    .iter()
                    .find(|t| text.contains(t.as_str()))
                {
                    return Some(format!("the table title {title}"));
                }
            }
        }
        let marker = text_lines(read).find_map(|line| {
            let line = crate::text::normalise(line);
            report
                .marker
                .iter()
                .any(|r| r.is_match(&line))
                .then_some(line)
        });
        if let Some(line) = marker {
            return Some(format!("the table number {line}"));
        }
        let sections = &self.patterns.review.sections;
        sections
            .iter()
            .find(|s| text.contains(s.as_str()))
            .map(|s| format!("the section heading {s}"))
    }
}

/// The lines of the text read (one a line, as [`read_at_gate_dpi`] gives
/// them).
fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim().is_empty())
}

/// Read the first of `pages` at [`GATE_DPI`] until one decides (see the
/// module doc). A page that cannot be rendered or read is passed over;
/// a document none of whose pages could be read is let through (the full
/// read names its errors).
pub fn gate(
    tools: &Tools,
    pdf: &Path,
    pages: &[GatePage],
    scratch: &Path,
    max_pixels: usize,
    evidence: &Evidence,
) -> Verdict {
    let mut pages_read = Vec::new();
    let mut any_text = false;
    for page in pages.iter().take(GATE_PAGES) {
        crate::budget::check();
        let Ok((text, every_turn)) = read_at_gate_dpi(tools, pdf, page, scratch, max_pixels) else {
            continue;
        };
        pages_read.push(page.number);
        any_text |= !text.trim().is_empty();
        if let Some(found) = evidence.find(&every_turn) {
            return Verdict::Report {
                page: page.number,
                found,
            };
        }
        if text.chars().filter(|c| !c.is_whitespace()).count() >= TEXT_PAGE_CHARS {
            break;
        }
    }
    if pages_read.is_empty() {
        return Verdict::Report {
            page: 0,
            found: "no page could be read by the gate".to_string(),
        };
    }
    if !any_text {
        // blank paper says nothing either way: the full read, which does
        // not send blank pages to Tesseract, says what the pages are
        return Verdict::Report {
            page: 0,
            found: "no text on the pages read (blank paper)".to_string(),
        };
    }
    Verdict::NotReport { pages_read }
}

/// The text Tesseract reads on `page` rendered at [`GATE_DPI`] (blank
/// paper: none, without Tesseract): the reading of the turn read with the
/// best confidence, and the readings of every turn tried, one after the
/// other. A report's words are looked for in all: upside down, a table
/// page of small print scanned sideways read with a better confidence
/// than the right way up (a Jiangsu 2019 预算's 收支预算总表, its title read
/// only upright), and a report's title is not read from print upside down.
fn read_at_gate_dpi(
    tools: &Tools,
    pdf: &Path,
    page: &GatePage,
    scratch: &Path,
    max_pixels: usize,
) -> Result<(String, String), String> {
    let plan: Plan = render::plan_at(
        page.width,
        page.height,
        page.image_dpi,
        GATE_DPI,
        max_pixels,
    )?;
    let prefix = scratch.join(format!("gate{}", page.number));
    let mut grey = render::render(tools, pdf, page.number, &prefix, &plan)?;
    super::clean::clean(&mut grey, GATE_DPI);
    if grey.is_blank() {
        return Ok((String::new(), String::new()));
    }
    // read as it lies; read poorly, turned a quarter either way where its
    // rows of ink run down it (scanned sideways), else upside down
    let sideways = super::turn::lines_run_across(&grey, GATE_DPI) < super::turn::UPRIGHT_RATIO;
    let turns: &[u8] = if sideways { &[0, 1, 3] } else { &[0, 2] };
    let mut best: Option<(f32, String)> = None;
    let mut every_turn = String::new();
    for &quarters in turns {
        let turned = grey.turned(quarters);
        // straightened: a scan turned a degree or two reads far worse
        let skew = super::image::skew(&turned, super::MAX_SKEW);
        let words =
            super::read_running_text(tools, &turned.rotated(skew), &prefix, scratch, GATE_DPI)?;
        let confidence = tesseract::mean_confidence(&words);
        let text = as_lines(&words);
        every_turn.push_str(&text);
        every_turn.push('\n');
        if best.as_ref().is_none_or(|(c, _)| confidence > *c) {
            best = Some((confidence, text));
        }
        if confidence >= super::turn::LOW_CONFIDENCE {
            break;
        }
    }
    Ok((best.map(|(_, text)| text).unwrap_or_default(), every_turn))
}

/// Words as text, a line of it for each line Tesseract read (a new line
/// where a word's line ends lower than the word before's).
fn as_lines(words: &[tesseract::Word]) -> String {
    let mut text = String::new();
    let mut last_bottom = None;
    for word in words {
        match last_bottom {
            Some(bottom) if word.line_bottom == bottom => text.push(' '),
            Some(_) => text.push('\n'),
            None => {}
        }
        text.push_str(&word.text);
        last_bottom = Some(word.line_bottom);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The gate's words on text as Tesseract gives it (spaces between
    /// characters): the seed's first page (2023 年部门决算, checked in
    /// `samples/`), a table page's unit, a contents page's title; none
    /// in a notice that speaks of a budget without naming a report.
    #[test]
    fn a_reports_words_are_found_and_a_notices_are_not() {
        let patterns = Patterns::builtin();
        let evidence = Evidence::of(&patterns);
        let found = |text: &str| evidence.find(text);
        assert_eq!(
            found("纳入 辽宁省盘锦市 大洼区智慧城市运行管理中心 2023 年部门决算 编制范围").unwrap(),
            "the report title 2023年部门决算"
        );
        assert!(found("单位 : 万元")
            .unwrap()
            .starts_with("the unit statement"));
        assert_eq!(
            found("公开 01 表 收入支出决算总表").unwrap(),
            "the table title 收入支出决算总表"
        );
        assert_eq!(found("目 录").unwrap(), "the section heading 目录");
        // the table number on its own line (read on a worn 1-bit scan of
        // the seed's page 9 at 100 dpi, its title garbled: 一彼公共丙财政抽吉支出关算家)
        assert_eq!(
            found("一彼公共丙财政抽吉支出关算家\n公开05表\n前:辽宁省").unwrap(),
            "the table number 公开05表"
        );
        assert_eq!(found("详见公开05表"), None);
        assert_eq!(
            found("关于做好 2024 年度预算执行工作的通知 各单位：为加强资金管理，现将有关事项通知如下。"),
            None
        );
    }
}

//! Detect: find the disclosure tables in a document and what the document is.
//!
//! Walks the document's paragraphs and table rows in order and recognises,
//! with the patterns of `patterns/`:
//! - **table titles** (a paragraph, or a row whose only text is the title,
//!   possibly beside its marker). A title matches the longest pattern title
//!   it ends with, unless the text before it holds a word that belongs to a
//!   longer title (`title_prefix_stopwords`): `财政拨款收入支出决算总表` is
//!   `fiscal_summary`, never `summary`;
//! - **number markers** (公开01表, 表1, 附表3, 表三): attached to the title
//!   they stand beside; a marker without a recognised title opens the table
//!   that has that number in the report kind's numbering;
//! - **meta cells** before a table's header: department (部门：…), year
//!   (2023年度), unit (金额单位：万元);
//! - the **report kind**: the kind whose titles are found most, else the
//!   more frequent of 决算/预算 in the text;
//! - the **performance tables** (绩效目标表 / 绩效自评表: [`performance`]);
//! - the years and template placeholders the text states, for the checks.
//!
//! A table's rows run from its title to the next title, marker or paragraph
//! after its first rows. Titles that match but are followed by no rows (a
//! table of contents) are dropped.

use crate::model::{Document, Issue, ReportKind, Row, Unit};
use crate::patterns::Patterns;

pub mod identity;
mod items;
mod meta;
pub mod performance;
mod statements;
#[cfg(test)]
mod tests;
mod title;
mod walk;

use items::flatten;
use meta::{fill_document_meta, report_kind, year_from_text};
use statements::{find_placeholders, find_year_mentions};
use walk::Walk;

pub use meta::year_in_file_name;
pub use title::match_title;
pub use walk::OTHER_TABLE;

/// A disclosure table found in a document: its identity and its rows after
/// the title, marker and meta lines (header rows, body rows, notes).
#[derive(Debug, Clone, PartialEq)]
pub struct TableHit {
    pub key: String,
    /// The title as printed, whitespace-normalised.
    pub label: String,
    /// The number marker as printed, or empty.
    pub number: String,
    pub page: Option<u32>,
    pub department: Option<String>,
    pub year: Option<u16>,
    pub unit: Option<Unit>,
    pub rows: Vec<Row>,
    /// Note lines printed under the table as paragraphs (注：本表无数据…).
    pub notes: Vec<String>,
}

/// What detection learned about a document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detection {
    pub report: Option<ReportKind>,
    pub department: Option<String>,
    pub year: Option<u16>,
    /// The first unit stated anywhere: the default for tables that state none.
    pub unit: Option<Unit>,
    /// The year in the report's own title lines (2023年度部门决算).
    pub cover_year: Option<u16>,
    /// Template placeholders found in the text, with their place.
    pub placeholders: Vec<String>,
    /// Years stated in the text that must agree with the report's year.
    pub year_mentions: Vec<crate::model::YearMention>,
    pub tables: Vec<TableHit>,
    /// Keys of the titles printed with no table under them, when there are
    /// three or more: the report's table of contents.
    pub listed: Vec<String>,
    /// The performance tables (绩效目标表 / 绩效自评表).
    pub performance: Vec<performance::PerformanceHit>,
    pub issues: Vec<Issue>,
    /// Who and where the report is.
    pub identity: crate::model::Identity,
}

pub fn detect(doc: &Document, patterns: &Patterns) -> Detection {
    let items = flatten(doc);
    let report = report_kind(&items, patterns);
    let mut walk = Walk::new(patterns, report, &doc.ocr_pages);
    walk.furniture = walk::running_heads_and_feet(&items);
    for item in &items {
        walk.step(item);
    }
    walk.finish_table();
    let listed = if walk.listed.len() >= 3 {
        walk.listed
    } else {
        Vec::new()
    };
    let mut detection = Detection {
        report,
        tables: walk.tables,
        listed,
        ..Detection::default()
    };
    fill_document_meta(&mut detection, &items, patterns, &walk.metas);
    let department = detection.department.clone().unwrap_or_default();
    let (identity, issue) = identity::identify(&department, &items, &patterns.identity);
    detection.identity = identity;
    detection.issues.extend(issue);
    detection.cover_year = year_from_text(&items, patterns);
    detection.placeholders = find_placeholders(&items, patterns);
    detection.year_mentions = find_year_mentions(&items, patterns);
    detection.performance = performance::find(doc, patterns);
    detection
}

//! The shared document model and the records that flow between stages.
//!
//! Every reader (`decode` + `layout`) produces a [`Document`]: an ordered list
//! of [`Block`]s, each a paragraph of text or a table of cells, with the page
//! it came from where the format has pages. Everything downstream — `detect`,
//! `parse`, `check`, `write` — works on this model only, so a new input
//! format needs a new reader and nothing else.

mod identity;
mod ocr;

pub use identity::{AdminLevel, EntityLevel, Identity};
pub use ocr::{OcrCheck, OcrMark, OcrReading};

use rust_decimal::Decimal;

/// One input document after layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Number of pages, for paged formats (PDF); `None` for text.
    pub pages: Option<u32>,
    pub blocks: Vec<Block>,
    /// Pages that could not be read as text (no text layer, garbled text,
    /// an unreadable content stream).
    pub page_issues: Vec<Issue>,
    /// Text of the text layer laid outside the visible area of its page
    /// (a PDF's clipping path): read like the rest, shown nowhere.
    pub clipped: Vec<ClippedText>,
    /// Pages read by OCR (scans).
    pub ocr_pages: Vec<u32>,
    /// What OCR read in each table cell of those pages.
    pub ocr_readings: Vec<OcrReading>,
}

/// What one page's clipping path keeps from view (whitespace removed).
#[derive(Debug, Clone, PartialEq)]
pub struct ClippedText {
    pub page: u32,
    /// Lines the edge of the visible area cuts through.
    pub cut: Vec<String>,
    /// Lines wholly outside it, whose text the pages beside do not show.
    pub hidden: Vec<String>,
}

impl Document {
    /// Characters of every paragraph and cell.
    pub fn chars(&self) -> usize {
        self.blocks
            .iter()
            .map(|block| match block {
                Block::Paragraph(paragraph) => paragraph.text.chars().count(),
                Block::Table(table) => table
                    .rows
                    .iter()
                    .flat_map(|row| row.cells.iter())
                    .map(|cell| cell.chars().count())
                    .sum(),
            })
            .sum()
    }

    /// Rewrite every paragraph and cell through `f` (which borrows the text
    /// it leaves unchanged).
    pub fn map_text(&mut self, f: impl Fn(&str) -> std::borrow::Cow<'_, str>) {
        let mut rewrite = |text: &mut String| {
            if let std::borrow::Cow::Owned(changed) = f(text) {
                *text = changed;
            }
        };
        for block in &mut self.blocks {
            match block {
                Block::Paragraph(paragraph) => rewrite(&mut paragraph.text),
                Block::Table(table) => table
                    .rows
                    .iter_mut()
                    .flat_map(|row| row.cells.iter_mut())
                    .for_each(&mut rewrite),
            }
        }
    }
}

/// A paragraph of running text or a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub text: String,
    pub page: Option<u32>,
}

/// A table as laid out: rows of cells. Merged cells are represented by the
/// text in the first cell of the span and empty strings in the rest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub cells: Vec<String>,
    pub page: Option<u32>,
}

impl Row {
    pub fn new(cells: Vec<String>, page: Option<u32>) -> Self {
        Row { cells, page }
    }

    /// The cells that hold something other than whitespace.
    pub fn non_empty_cells(&self) -> impl Iterator<Item = (usize, &str)> {
        self.cells
            .iter()
            .enumerate()
            .map(|(i, c)| (i, c.trim()))
            .filter(|(_, c)| !c.is_empty())
    }

    pub fn is_blank(&self) -> bool {
        self.non_empty_cells().next().is_none()
    }

    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map(|c| c.trim()).unwrap_or("")
    }
}

/// Budget (预算) or final accounts (决算); `final` / `budget` in patterns.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ReportKind {
    Final,
    Budget,
}

impl ReportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Final => "final",
            ReportKind::Budget => "budget",
        }
    }
}

/// The money unit a table states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Unit {
    #[serde(rename = "元")]
    Yuan,
    #[serde(rename = "千元")]
    ThousandYuan,
    #[serde(rename = "万元")]
    TenThousandYuan,
    #[serde(rename = "亿元")]
    HundredMillionYuan,
}

impl Unit {
    pub fn parse(text: &str) -> Option<Unit> {
        match text.trim() {
            "元" => Some(Unit::Yuan),
            "千元" => Some(Unit::ThousandYuan),
            "万元" => Some(Unit::TenThousandYuan),
            "亿元" => Some(Unit::HundredMillionYuan),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::ThousandYuan => "千元",
            Unit::TenThousandYuan => "万元",
            Unit::HundredMillionYuan => "亿元",
        }
    }

    /// How many yuan one unit is.
    pub fn factor(self) -> Decimal {
        match self {
            Unit::Yuan => Decimal::ONE,
            Unit::ThousandYuan => Decimal::from(1_000),
            Unit::TenThousandYuan => Decimal::from(10_000),
            Unit::HundredMillionYuan => Decimal::from(100_000_000),
        }
    }
}

/// Whether a code belongs to the functional (支出功能分类) or the economic
/// (支出经济分类) classification; `function` / `economic` in patterns.
/// The line of a table row that is one of the body's units (its item
/// names it): a row no pattern names.
pub const UNIT_LINE: &str = "unit";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeKind {
    Function,
    Economic,
}

impl CodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeKind::Function => "function",
            CodeKind::Economic => "economic",
        }
    }

    /// Guess from the code itself: functional codes start with 2, economic
    /// ones with 3 or 5.
    pub fn from_code(code: &str) -> Option<CodeKind> {
        match code.as_bytes().first() {
            Some(b'2') => Some(CodeKind::Function),
            Some(b'3') | Some(b'5') => Some(CodeKind::Economic),
            _ => None,
        }
    }
}

/// One non-empty numeric cell of one disclosure table, with everything that
/// identifies it inside its document. Document-level fields (doc id, source,
/// department, year, report kind) live on [`DocumentRecord`].
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub table: String,
    pub table_label: String,
    pub table_no: String,
    pub page: Option<u32>,
    pub row: u32,
    pub code: String,
    pub code_kind: Option<CodeKind>,
    pub line: String,
    pub item: String,
    pub column: String,
    pub column_label: String,
    pub value: Decimal,
    pub unit: Option<Unit>,
    /// For a figure read by OCR: its confidence and how the report's
    /// identities stand with it; `None` for a figure of a text layer.
    pub ocr: Option<OcrMark>,
}

impl Fact {
    /// The value converted to yuan: exact, with at least two decimals.
    pub fn value_yuan(&self) -> Option<Decimal> {
        let unit = self.unit?;
        let mut yuan = self.value.checked_mul(unit.factor())?.normalize();
        if yuan.scale() < 2 {
            yuan.rescale(2);
        }
        Some(yuan)
    }
}

/// How bad an anomaly is for the document it was found in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing was lost.
    Warning,
    /// Part of the document could not be extracted: the document is `partial`.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// An anomaly met by a stage: data, not a panic.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub severity: Severity,
    pub stage: &'static str,
    pub page: Option<u32>,
    /// The table key the issue concerns, if any.
    pub table: String,
    /// 1-based data row within that table, if any.
    pub row: Option<u32>,
    pub message: String,
}

impl Issue {
    pub fn warning(stage: &'static str, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Warning,
            stage,
            page: None,
            table: String::new(),
            row: None,
            message: message.into(),
        }
    }

    pub fn error(stage: &'static str, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Error,
            ..Issue::warning(stage, message)
        }
    }

    pub fn at(mut self, table: &str, page: Option<u32>, row: Option<u32>) -> Issue {
        self.table = table.to_string();
        self.page = page;
        self.row = row;
        self
    }

    /// `file: page 3, table income, row 7: message` style location text.
    pub fn describe(&self) -> String {
        let mut place = Vec::new();
        if let Some(page) = self.page {
            place.push(format!("page {page}"));
        }
        if !self.table.is_empty() {
            place.push(format!("table {}", self.table));
        }
        if let Some(row) = self.row {
            place.push(format!("row {row}"));
        }
        if place.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", place.join(", "), self.message)
        }
    }
}

/// Outcome of one input file, as written to `documents.csv`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Ok,
    Partial,
    Failed,
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

/// A table found in a document, recorded whether or not it held data.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundTable {
    pub key: String,
    pub label: String,
    pub number: String,
    pub page: Option<u32>,
    pub unit: Option<Unit>,
    pub facts: usize,
    /// Year and department the table's own header states.
    pub year: Option<u16>,
    pub department: Option<String>,
    /// Note lines under the table (注：…, 如本表为空…).
    pub notes: Vec<String>,
}

/// Everything the pipeline learned about one input file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentRecord {
    pub doc_id: String,
    pub source: String,
    pub sha256: String,
    pub status: Status,
    pub reason: String,
    pub format: String,
    pub pages: Option<u32>,
    pub department: String,
    pub identity: Identity,
    pub year: Option<u16>,
    pub report: Option<ReportKind>,
    pub tables: Vec<FoundTable>,
    /// The tables the report's table of contents lists (keys, in order):
    /// titles printed without a table under them, three or more.
    pub tables_listed: Vec<String>,
    pub facts: Vec<Fact>,
    pub issues: Vec<Issue>,
    pub checks: Vec<Check>,
    pub checks_failed: usize,
    /// Performance tables (绩效目标表 / 绩效自评表).
    pub indicator_tables: Vec<IndicatorTable>,
    /// The year stated in the report's own title lines (2023年度部门决算).
    pub cover_year: Option<u16>,
    /// Template placeholders left in the text (XX局, XXXX年), with their place.
    pub placeholders: Vec<String>,
    /// Years stated in the text that must agree with the report's year.
    pub year_mentions: Vec<YearMention>,
    /// Sentences comparing two amounts in words (决算数小于预算数).
    pub comparisons: Vec<StatedComparison>,
    /// What a reviewer would write down (`findings.csv`).
    pub findings: Vec<Finding>,
    /// The report's sections, in order (目录, 主要职能 … 预算编制说明 …).
    pub sections: Vec<String>,
    /// The pages read by OCR.
    pub ocr_pages: Vec<u32>,
    pub elapsed_ms: u128,
}

/// One problem a reviewer would write down: a failed check in words, or a
/// problem of the text (SCHEMA "Findings").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's name (`percentage`, `own_year_base`, a check's name …).
    pub finding: String,
    pub severity: Severity,
    /// The part of the report: 预算编制说明, a table's title …
    pub section: String,
    pub page: Option<u32>,
    /// The printed text quoted, enough to find it.
    pub excerpt: String,
    pub expected: String,
    pub actual: String,
    /// One sentence in Chinese a reviewer would accept.
    pub message: String,
}

/// Outcome of one accounting identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Pass,
    Fail,
    Skipped,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "fail",
            CheckStatus::Skipped => "skipped",
        }
    }
}

/// The pseudo-table of the figures stated in a report's text
/// (`facts.csv` rows with `table` = `narrative`, and the checks on them).
pub const NARRATIVE: &str = "narrative";

/// The name of a check, as written in `checks.csv`'s `check` column; each
/// is one rule in `check::rules` (`summary_balance` is a `line_sum` that a
/// pattern names so).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum CheckName {
    CodeHierarchy,
    TotalRow,
    RowIdentity,
    LineSum,
    SummaryBalance,
    CodeSum,
    CrossTable,
    Narrative,
    NarrativeComparison,
    TablePresent,
    EmptyTableStatement,
    Placeholder,
    YearAgreement,
    DepartmentAgreement,
    ItemChange,
    ItemFigures,
    ItemVsTable,
    Share,
}

impl CheckName {
    pub const ALL: [CheckName; 18] = [
        CheckName::CodeHierarchy,
        CheckName::TotalRow,
        CheckName::RowIdentity,
        CheckName::LineSum,
        CheckName::SummaryBalance,
        CheckName::CodeSum,
        CheckName::CrossTable,
        CheckName::Narrative,
        CheckName::NarrativeComparison,
        CheckName::TablePresent,
        CheckName::EmptyTableStatement,
        CheckName::Placeholder,
        CheckName::YearAgreement,
        CheckName::DepartmentAgreement,
        CheckName::ItemChange,
        CheckName::ItemFigures,
        CheckName::ItemVsTable,
        CheckName::Share,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CheckName::CodeHierarchy => "code_hierarchy",
            CheckName::TotalRow => "total_row",
            CheckName::RowIdentity => "row_identity",
            CheckName::LineSum => "line_sum",
            CheckName::SummaryBalance => "summary_balance",
            CheckName::CodeSum => "code_sum",
            CheckName::CrossTable => "cross_table",
            CheckName::Narrative => "narrative",
            CheckName::NarrativeComparison => "narrative_comparison",
            CheckName::TablePresent => "table_present",
            CheckName::EmptyTableStatement => "empty_table_statement",
            CheckName::Placeholder => "placeholder",
            CheckName::YearAgreement => "year_agreement",
            CheckName::DepartmentAgreement => "department_agreement",
            CheckName::ItemChange => "item_change",
            CheckName::ItemFigures => "item_figures",
            CheckName::ItemVsTable => "item_vs_table",
            CheckName::Share => "share",
        }
    }

    /// The name as written in `checks.csv`, back to the enum.
    pub fn parse(text: &str) -> Option<CheckName> {
        CheckName::ALL
            .into_iter()
            .find(|name| name.as_str() == text)
    }
}

impl std::fmt::Display for CheckName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One identity evaluated on one document (a row of `checks.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub check: CheckName,
    pub table: String,
    pub key: String,
    pub expected: Option<Decimal>,
    pub actual: Option<Decimal>,
    pub diff: Option<Decimal>,
    pub tolerance: Option<Decimal>,
    /// The unit the four numbers are in.
    pub unit: Option<Unit>,
    pub status: CheckStatus,
    pub note: String,
    /// Where a reviewer finds it: the page of the row or figure checked
    /// (the figure that must equal the others), and its table's title as
    /// printed.
    pub page: Option<u32>,
    pub table_label: String,
}

impl Check {
    /// The check placed on a page and under a table's printed title.
    pub fn at(mut self, page: Option<u32>, table_label: &str) -> Check {
        self.page = page;
        self.table_label = table_label.to_string();
        self
    }
}

/// One performance table (绩效目标表 / 绩效自评表) of a document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndicatorTable {
    /// `unit_target`, `project_target` or `self_evaluation`.
    pub kind: String,
    /// 1-based number of the performance table within the document.
    pub instance: u32,
    pub title: String,
    pub page: Option<u32>,
    pub fields: Vec<IndicatorField>,
    pub indicators: Vec<Indicator>,
}

impl IndicatorTable {
    /// The project (or, for a unit table, the unit) the table is about.
    pub fn subject(&self) -> &str {
        ["project_name", "unit_name"]
            .iter()
            .find_map(|key| self.fields.iter().find(|f| f.field == *key))
            .map_or("", |f| f.value.as_str())
    }
}

/// A header fact of a performance table: field key, the label or line as
/// printed, and the value as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorField {
    pub field: String,
    pub item: String,
    pub value: String,
}

/// One indicator row: column key (`level1`, `operator`, `value`, `score` …)
/// → text as printed, with merged level cells carried down.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Indicator {
    pub row: u32,
    pub page: Option<u32>,
    pub values: std::collections::BTreeMap<String, String>,
}

impl Indicator {
    pub fn get(&self, key: &str) -> &str {
        self.values.get(key).map_or("", String::as_str)
    }
}

/// A year stated in the text (2023年度部门决算, 截至2023年12月31日) and the
/// year it must be relative to the report's year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearMention {
    pub year: u16,
    pub offset: i32,
    /// Only checked for reports of this kind (`None`: any).
    pub kind: Option<ReportKind>,
    pub text: String,
    pub page: Option<u32>,
}

/// A sentence comparing two amounts in words: `b` is said to be `relation`
/// (less, equal or greater) compared with `a`.
#[derive(Debug, Clone, PartialEq)]
pub struct StatedComparison {
    pub name: String,
    pub text: String,
    pub page: Option<u32>,
    pub paragraph: u32,
    pub a: Decimal,
    pub a_unit: Unit,
    pub b: Decimal,
    pub b_unit: Unit,
    pub relation: std::cmp::Ordering,
}

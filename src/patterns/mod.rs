//! Table definitions as data: loading, checking and compiling `patterns/`.
//!
//! A pattern set is three kinds of TOML file:
//! - `report.toml`: document-level recognisers (department, year, unit,
//!   markers, header words, note lines);
//! - `function_classes.toml`: the functional classes (类) and their names;
//! - `tables/*.toml`: one file per canonical table — titles and number per
//!   report kind, the table's shape, column headers → column keys, named
//!   lines → line keys.
//!
//! The set in the repository's `patterns/` folder is compiled into the
//! binary ([`Patterns::builtin`]). [`Patterns::load_dir`] reads a folder laid
//! out the same way: its `report.toml` and `function_classes.toml` replace the
//! built-in ones when present, and each of its table files replaces the
//! built-in table with the same `key` or adds a new table.
//!
//! Files are checked on load: unknown keys are refused (with the file and the
//! key named), regexes must compile, keys must be unique, a line's `parent`
//! and a table's `lines_from` must exist. Labels are matched after
//! [`normalise`](crate::text::normalise), so patterns may be written with
//! full-width punctuation and quotes.

use crate::model::{CodeKind, ReportKind};
use crate::text::normalise;
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use thiserror::Error;

/// A pattern file could not be used.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum PatternError {
    /// The file is not valid TOML or does not fit the pattern format
    /// (unknown or missing key, wrong type).
    #[error("{file}: {message}")]
    Format { file: String, message: String },
    /// The file parses but says something inconsistent (bad regex, duplicate
    /// key, unknown parent).
    #[error("{file}: {key}: {message}")]
    Invalid {
        file: String,
        key: String,
        message: String,
    },
    /// The file or folder could not be read.
    #[error("{file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

// ---------------------------------------------------------------- file format

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportFile {
    department: Vec<String>,
    department_title: Vec<String>,
    year: Vec<String>,
    title_year: Vec<String>,
    unit: Vec<String>,
    marker: Vec<String>,
    final_words: Vec<String>,
    budget_words: Vec<String>,
    label_headers: Vec<String>,
    row_number_headers: Vec<String>,
    column_number_rows: Vec<String>,
    total_labels: Vec<String>,
    note_prefixes: Vec<String>,
    title_prefix_stopwords: Vec<String>,
    other_titles: Vec<String>,
    empty_statements: Vec<String>,
    placeholders: Vec<String>,
    year_statements: Vec<YearStatementDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearStatementDef {
    kind: String,
    offset: i32,
    regex: String,
}

/// A year stated in the text and the year it must be, relative to the report.
#[derive(Debug, Clone)]
pub struct YearStatement {
    /// `None`: any report kind.
    pub kind: Option<ReportKind>,
    pub offset: i32,
    pub regex: Regex,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecksFile {
    cross: Vec<CrossDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrossDef {
    name: String,
    expected: RefDef,
    actual: Vec<RefDef>,
}

/// A reference to figures of one table (see `patterns/checks.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefDef {
    pub table: String,
    #[serde(default)]
    pub line: Option<String>,
    #[serde(default)]
    pub code_len: Option<usize>,
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub columns_final: Vec<String>,
    #[serde(default)]
    pub columns_budget: Vec<String>,
    #[serde(default)]
    pub by_code: bool,
}

impl RefDef {
    /// The columns to try for a report kind, first present wins.
    pub fn columns_for(&self, kind: Option<ReportKind>) -> &[String] {
        match kind {
            Some(ReportKind::Final) if !self.columns_final.is_empty() => &self.columns_final,
            Some(ReportKind::Budget) if !self.columns_budget.is_empty() => &self.columns_budget,
            _ => &self.columns,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NarrativeFile {
    figures: Vec<FigureDef>,
    #[serde(default)]
    comparisons: Vec<ComparisonDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComparisonDef {
    name: String,
    patterns: Vec<String>,
    less: Vec<String>,
    equal: Vec<String>,
    greater: Vec<String>,
}

/// A sentence comparing two amounts in words; `relation` says how `b`
/// relates to `a`.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub name: String,
    pub patterns: Vec<Regex>,
    pub less: Vec<String>,
    pub equal: Vec<String>,
    pub greater: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FigureDef {
    line: String,
    patterns: Vec<String>,
    #[serde(default)]
    compare: Vec<RefDef>,
}

/// `patterns/performance.toml`: the performance tables.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerformancePatterns {
    pub tables: Vec<KeyedLabels>,
    pub fields: Vec<KeyedLabels>,
    pub fund_header: Vec<String>,
    pub goal_header: Vec<String>,
    pub goal_columns: Vec<KeyedLabels>,
    pub indicator_header: Vec<String>,
    pub columns: Vec<KeyedLabels>,
    pub stop_labels: Vec<String>,
    pub operators: Vec<Operator>,
}

/// A key and the labels (or titles) that name it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyedLabels {
    pub key: String,
    #[serde(alias = "titles")]
    pub labels: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operator {
    pub printed: String,
    pub written: String,
}

impl PerformancePatterns {
    /// Normalise every label once, so matching compares like with like.
    fn normalised(mut self) -> Self {
        let fix = |list: &mut Vec<KeyedLabels>| {
            for entry in list.iter_mut() {
                entry.labels = normalised(&entry.labels);
            }
        };
        fix(&mut self.tables);
        fix(&mut self.fields);
        fix(&mut self.goal_columns);
        fix(&mut self.columns);
        self.fund_header = normalised(&self.fund_header);
        self.goal_header = normalised(&self.goal_header);
        self.indicator_header = normalised(&self.indicator_header);
        self.stop_labels = normalised(&self.stop_labels);
        self
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplatesFile {
    templates: Vec<TemplateDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateDef {
    name: String,
    kind: String,
    #[serde(default)]
    signature: Vec<String>,
    tables: Vec<String>,
}

/// A disclosure template: the tables a report of its kind must hold.
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub kind: ReportKind,
    /// Tables whose presence identifies the template (empty: the default).
    pub signature: Vec<String>,
    pub tables: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassesFile {
    classes: Vec<ClassDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassDef {
    code: String,
    names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    key: String,
    shape: Shape,
    #[serde(default)]
    code_kind: Option<String>,
    #[serde(default)]
    sides: Vec<String>,
    #[serde(default)]
    lines_from: Option<String>,
    #[serde(default, rename = "final")]
    final_kind: Option<KindDef>,
    #[serde(default)]
    budget: Option<KindDef>,
    #[serde(default)]
    columns: Vec<ColumnDef>,
    #[serde(default)]
    lines: Vec<LineDef>,
    #[serde(default)]
    row_identities: Vec<SumDef>,
    #[serde(default)]
    line_sums: Vec<SumDef>,
    #[serde(default)]
    code_sums: Vec<CodeSumDef>,
    #[serde(default)]
    whole_amount_columns: Vec<String>,
}

/// `total` equals the sum of `parts` (columns for row identities, lines for
/// line sums), when every `requires` key is present and no `unless` key is.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SumDef {
    /// The check's name when it is not the rule's own (`summary_balance`).
    #[serde(default)]
    pub name: Option<crate::model::CheckName>,
    pub total: String,
    pub parts: Vec<String>,
    #[serde(default)]
    pub requires: Vec<String>,
    #[serde(default)]
    pub unless: Vec<String>,
}

/// A line equal to the sum of the rows with the listed codes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeSumDef {
    pub line: String,
    pub codes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindDef {
    titles: Vec<String>,
    #[serde(default)]
    number: Option<u32>,
    /// The column figures belong to when the header names none (a 三公
    /// table printed as one row of figures under its line names).
    #[serde(default)]
    implied_column: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnDef {
    key: String,
    labels: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineDef {
    key: String,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    regex: Option<String>,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    function_class: bool,
}

/// How a table's rows are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Rows keyed by a classification code (类/款/项), amounts in columns.
    Coded,
    /// Named lines on two sides (收入 | 支出), each side label + amounts.
    TwoSided,
    /// Named lines in the first column, amounts in columns.
    Lines,
    /// Repeated (code, name, amount) groups side by side.
    Grid,
}

// ---------------------------------------------------------------- compiled

/// Document-level recognisers, compiled.
#[derive(Debug, Clone)]
pub struct ReportPatterns {
    pub department: Vec<Regex>,
    pub department_title: Vec<Regex>,
    pub year: Vec<Regex>,
    pub title_year: Vec<Regex>,
    pub unit: Vec<Regex>,
    pub marker: Vec<Regex>,
    pub final_words: Vec<String>,
    pub budget_words: Vec<String>,
    pub label_headers: Vec<String>,
    pub row_number_headers: Vec<String>,
    pub column_number_rows: Vec<String>,
    pub total_labels: Vec<String>,
    pub note_prefixes: Vec<String>,
    pub title_prefix_stopwords: Vec<String>,
    pub other_titles: Vec<String>,
    pub empty_statements: Vec<String>,
    pub placeholders: Vec<Regex>,
    pub year_statements: Vec<YearStatement>,
}

/// A cross-table identity: `expected` equals the sum of `actual`.
#[derive(Debug, Clone)]
pub struct CrossCheck {
    pub name: String,
    pub expected: RefDef,
    pub actual: Vec<RefDef>,
}

/// A figure stated in the narrative, its regexes (with `{amount}` expanded
/// to the groups `value` and `unit`) and the table figures it must equal.
#[derive(Debug, Clone)]
pub struct Figure {
    pub line: String,
    pub patterns: Vec<Regex>,
    pub compare: Vec<RefDef>,
}

/// A column of a table: its key and the header paths that name it. A label
/// `本年支出/小计` is the path `["本年支出", "小计"]` and matches a column
/// whose header path ends with those parts.
#[derive(Debug, Clone)]
pub struct ColumnPattern {
    pub key: String,
    pub labels: Vec<Vec<String>>,
}

/// A named line (a row identified by its label, not a code).
#[derive(Debug, Clone)]
pub struct LinePattern {
    pub key: String,
    pub labels: Vec<String>,
    pub regex: Option<Regex>,
    pub parent: Option<String>,
    /// Matches only once this line has been read on the same side.
    pub after: Option<String>,
    /// Matches any functional class name; the line gets the class code.
    pub function_class: bool,
}

/// One canonical table, compiled.
#[derive(Debug, Clone)]
pub struct TablePattern {
    pub key: String,
    pub shape: Shape,
    pub code_kind: Option<CodeKind>,
    pub sides: Vec<String>,
    pub final_titles: Vec<String>,
    pub budget_titles: Vec<String>,
    pub final_number: Option<u32>,
    pub budget_number: Option<u32>,
    pub final_implied_column: Option<String>,
    pub budget_implied_column: Option<String>,
    pub columns: Vec<ColumnPattern>,
    pub lines: Vec<LinePattern>,
    pub row_identities: Vec<SumDef>,
    pub line_sums: Vec<SumDef>,
    pub code_sums: Vec<CodeSumDef>,
    /// Columns that each hold a line's whole amount, where layouts differ
    /// (one prints `amount`, another splits the amount into funds beside a
    /// `total`): a line sum whose total stands in one takes a part printed
    /// only in another.
    pub whole_amount_columns: Vec<String>,
}

impl TablePattern {
    pub fn titles(&self, kind: ReportKind) -> &[String] {
        match kind {
            ReportKind::Final => &self.final_titles,
            ReportKind::Budget => &self.budget_titles,
        }
    }

    /// The column figures go to when the header names none, for a report kind.
    pub fn implied_column(&self, kind: Option<ReportKind>) -> Option<&str> {
        match kind? {
            ReportKind::Final => self.final_implied_column.as_deref(),
            ReportKind::Budget => self.budget_implied_column.as_deref(),
        }
    }

    pub fn number(&self, kind: ReportKind) -> Option<u32> {
        match kind {
            ReportKind::Final => self.final_number,
            ReportKind::Budget => self.budget_number,
        }
    }

    /// The column whose one-part label the header text ends with (two
    /// stacked header cells read as one: 支出用途金额 → 金额).
    pub fn column_ending(&self, text: &str) -> Option<&ColumnPattern> {
        self.columns.iter().find(|column| {
            column.labels.iter().any(|label| {
                label.len() == 1
                    && label[0].chars().count() >= 2
                    && text.ends_with(label[0].as_str())
            })
        })
    }

    /// The column key for a header path (normalised parts), if any pattern
    /// label matches its end.
    pub fn column_for(&self, path: &[String]) -> Option<&ColumnPattern> {
        self.columns
            .iter()
            .find(|column| column.labels.iter().any(|label| path.ends_with(label)))
    }
}

/// A complete, checked pattern set.
#[derive(Debug, Clone)]
pub struct Patterns {
    /// SHA-256 of every pattern file's text, in order: two runs with the
    /// same fingerprint read documents the same way (the run cache's key).
    pub fingerprint: String,
    pub report: ReportPatterns,
    /// Normalised class name → class code.
    pub function_classes: HashMap<String, String>,
    pub tables: Vec<TablePattern>,
    pub cross: Vec<CrossCheck>,
    pub figures: Vec<Figure>,
    pub comparisons: Vec<Comparison>,
    pub performance: PerformancePatterns,
    pub templates: Vec<Template>,
}

const BUILTIN_TEMPLATES: &str = include_str!("../../patterns/templates.toml");
const BUILTIN_PERFORMANCE: &str = include_str!("../../patterns/performance.toml");
const BUILTIN_CHECKS: &str = include_str!("../../patterns/checks.toml");
const BUILTIN_NARRATIVE: &str = include_str!("../../patterns/narrative.toml");
const BUILTIN_REPORT: &str = include_str!("../../patterns/report.toml");
const BUILTIN_CLASSES: &str = include_str!("../../patterns/function_classes.toml");
const BUILTIN_TABLES: &[(&str, &str)] = &[
    (
        "tables/01_summary.toml",
        include_str!("../../patterns/tables/01_summary.toml"),
    ),
    (
        "tables/02_income.toml",
        include_str!("../../patterns/tables/02_income.toml"),
    ),
    (
        "tables/03_expenditure.toml",
        include_str!("../../patterns/tables/03_expenditure.toml"),
    ),
    (
        "tables/04_fiscal_summary.toml",
        include_str!("../../patterns/tables/04_fiscal_summary.toml"),
    ),
    (
        "tables/05_gpb_expenditure.toml",
        include_str!("../../patterns/tables/05_gpb_expenditure.toml"),
    ),
    (
        "tables/06_gpb_basic.toml",
        include_str!("../../patterns/tables/06_gpb_basic.toml"),
    ),
    (
        "tables/07_three_public.toml",
        include_str!("../../patterns/tables/07_three_public.toml"),
    ),
    (
        "tables/08_gov_fund.toml",
        include_str!("../../patterns/tables/08_gov_fund.toml"),
    ),
    (
        "tables/09_soe_capital.toml",
        include_str!("../../patterns/tables/09_soe_capital.toml"),
    ),
    (
        "tables/10_fiscal_expenditure.toml",
        include_str!("../../patterns/tables/10_fiscal_expenditure.toml"),
    ),
    (
        "tables/11_fiscal_basic.toml",
        include_str!("../../patterns/tables/11_fiscal_basic.toml"),
    ),
    (
        "tables/12_office_operation.toml",
        include_str!("../../patterns/tables/12_office_operation.toml"),
    ),
    (
        "tables/13_procurement.toml",
        include_str!("../../patterns/tables/13_procurement.toml"),
    ),
];

/// Source text of pattern files, by file name, before compiling.
struct Sources {
    report: (String, String),
    classes: (String, String),
    checks: (String, String),
    narrative: (String, String),
    performance: (String, String),
    templates: (String, String),
    tables: Vec<(String, String)>,
}

impl Sources {
    fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        let fixed = [
            &self.report,
            &self.classes,
            &self.checks,
            &self.narrative,
            &self.performance,
            &self.templates,
        ];
        for (_, text) in fixed.into_iter().chain(&self.tables) {
            hasher.update((text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn builtin() -> Sources {
        Sources {
            report: ("patterns/report.toml".into(), BUILTIN_REPORT.into()),
            classes: (
                "patterns/function_classes.toml".into(),
                BUILTIN_CLASSES.into(),
            ),
            checks: ("patterns/checks.toml".into(), BUILTIN_CHECKS.into()),
            narrative: ("patterns/narrative.toml".into(), BUILTIN_NARRATIVE.into()),
            performance: (
                "patterns/performance.toml".into(),
                BUILTIN_PERFORMANCE.into(),
            ),
            templates: ("patterns/templates.toml".into(), BUILTIN_TEMPLATES.into()),
            tables: BUILTIN_TABLES
                .iter()
                .map(|(name, text)| (format!("patterns/{name}"), text.to_string()))
                .collect(),
        }
    }
}

impl Patterns {
    /// The pattern set compiled into the binary.
    pub fn builtin() -> Patterns {
        compile(Sources::builtin()).expect("built-in patterns are checked by the test suite")
    }

    /// The built-in set with a folder's files replacing or extending it.
    pub fn load_dir(dir: &Path) -> Result<Patterns, PatternError> {
        let mut sources = Sources::builtin();
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|source| PatternError::Io {
                file: path.display().to_string(),
                source,
            })
        };
        if !dir.is_dir() {
            return Err(PatternError::Io {
                file: dir.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder"),
            });
        }
        let report = dir.join("report.toml");
        if report.is_file() {
            sources.report = (report.display().to_string(), read(&report)?);
        }
        let classes = dir.join("function_classes.toml");
        if classes.is_file() {
            sources.classes = (classes.display().to_string(), read(&classes)?);
        }
        let checks = dir.join("checks.toml");
        if checks.is_file() {
            sources.checks = (checks.display().to_string(), read(&checks)?);
        }
        let templates = dir.join("templates.toml");
        if templates.is_file() {
            sources.templates = (templates.display().to_string(), read(&templates)?);
        }
        let performance = dir.join("performance.toml");
        if performance.is_file() {
            sources.performance = (performance.display().to_string(), read(&performance)?);
        }
        let narrative = dir.join("narrative.toml");
        if narrative.is_file() {
            sources.narrative = (narrative.display().to_string(), read(&narrative)?);
        }
        for path in table_files(dir)? {
            let text = read(&path)?;
            sources.tables.push((path.display().to_string(), text));
        }
        compile(sources)
    }

    pub fn table(&self, key: &str) -> Option<&TablePattern> {
        self.tables.iter().find(|t| t.key == key)
    }

    /// The class code of a functional class name, if it is one.
    pub fn function_class(&self, normalised_name: &str) -> Option<&str> {
        self.function_classes
            .get(normalised_name)
            .map(String::as_str)
    }
}

/// `DIR/tables/*.toml`, sorted, or nothing when there is no such folder.
fn table_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, PatternError> {
    let tables = dir.join("tables");
    if !tables.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(&tables).map_err(|source| PatternError::Io {
        file: tables.display().to_string(),
        source,
    })?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

fn parse_toml<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, PatternError> {
    toml::from_str(text).map_err(|e| PatternError::Format {
        file: file.to_string(),
        message: e.to_string().trim().replace('\n', " "),
    })
}

fn compile(sources: Sources) -> Result<Patterns, PatternError> {
    let (report_file, report_text) = &sources.report;
    let report = compile_report(report_file, parse_toml(report_file, report_text)?)?;
    let (classes_file, classes_text) = &sources.classes;
    let function_classes = compile_classes(classes_file, parse_toml(classes_file, classes_text)?)?;

    // Later files replace earlier ones with the same key (a folder's table
    // files come after the built-in ones); order is kept by first appearance.
    let mut by_key: BTreeMap<String, (usize, String, TableFile)> = BTreeMap::new();
    for (index, (file, text)) in sources.tables.iter().enumerate() {
        let table: TableFile = parse_toml(file, text)?;
        if table.key.trim().is_empty() {
            return Err(invalid(file, "key", "a table needs a non-empty key"));
        }
        let order = by_key.get(&table.key).map_or(index, |(order, _, _)| *order);
        by_key.insert(table.key.clone(), (order, file.clone(), table));
    }
    let mut files: Vec<(usize, String, TableFile)> = by_key.into_values().collect();
    files.sort_by_key(|(order, _, _)| *order);
    let line_sources: HashMap<String, Vec<LineDef>> = files
        .iter()
        .map(|(_, _, t)| (t.key.clone(), t.lines.clone()))
        .collect();
    let tables = files
        .into_iter()
        .map(|(_, file, table)| compile_table(&file, table, &line_sources))
        .collect::<Result<Vec<_>, _>>()?;
    let (checks_file, checks_text) = &sources.checks;
    let cross = compile_cross(checks_file, parse_toml(checks_file, checks_text)?, &tables)?;
    let (narrative_file, narrative_text) = &sources.narrative;
    let narrative: NarrativeFile = parse_toml(narrative_file, narrative_text)?;
    let comparisons = compile_comparisons(narrative_file, &narrative.comparisons)?;
    let figures = compile_figures(narrative_file, narrative, &tables)?;
    let (performance_file, performance_text) = &sources.performance;
    let performance =
        parse_toml::<PerformancePatterns>(performance_file, performance_text)?.normalised();
    let (templates_file, templates_text) = &sources.templates;
    let templates = compile_templates(
        templates_file,
        parse_toml(templates_file, templates_text)?,
        &tables,
    )?;
    Ok(Patterns {
        fingerprint: sources.fingerprint(),
        templates,
        report,
        function_classes,
        tables,
        cross,
        figures,
        comparisons,
        performance,
    })
}

fn check_ref(
    file: &str,
    key: &str,
    reference: &RefDef,
    tables: &[TablePattern],
) -> Result<(), PatternError> {
    let Some(table) = tables.iter().find(|t| t.key == reference.table) else {
        return Err(invalid(
            file,
            key,
            format!("no table with key {:?}", reference.table),
        ));
    };
    if let Some(line) = &reference.line {
        let coded_total = line == "total";
        if !coded_total && !table.lines.iter().any(|l| &l.key == line) {
            return Err(invalid(
                file,
                key,
                format!("table {:?} has no line {line:?}", table.key),
            ));
        }
    }
    for column in reference
        .columns
        .iter()
        .chain(&reference.columns_final)
        .chain(&reference.columns_budget)
    {
        if !table.columns.iter().any(|c| &c.key == column) {
            return Err(invalid(
                file,
                key,
                format!("table {:?} has no column {column:?}", table.key),
            ));
        }
    }
    Ok(())
}

fn compile_cross(
    file: &str,
    checks: ChecksFile,
    tables: &[TablePattern],
) -> Result<Vec<CrossCheck>, PatternError> {
    checks
        .cross
        .into_iter()
        .map(|def| {
            check_ref(
                file,
                &format!("cross.{}.expected", def.name),
                &def.expected,
                tables,
            )?;
            for reference in &def.actual {
                check_ref(
                    file,
                    &format!("cross.{}.actual", def.name),
                    reference,
                    tables,
                )?;
            }
            Ok(CrossCheck {
                name: def.name,
                expected: def.expected,
                actual: def.actual,
            })
        })
        .collect()
}

fn compile_templates(
    file: &str,
    defs: TemplatesFile,
    tables: &[TablePattern],
) -> Result<Vec<Template>, PatternError> {
    defs.templates
        .into_iter()
        .map(|def| {
            let key = format!("templates.{}", def.name);
            let kind = match def.kind.as_str() {
                "final" => ReportKind::Final,
                "budget" => ReportKind::Budget,
                other => {
                    return Err(invalid(
                        file,
                        &key,
                        format!("kind {other:?} is not final or budget"),
                    ))
                }
            };
            for table in def.tables.iter().chain(&def.signature) {
                if !tables.iter().any(|t| &t.key == table) {
                    return Err(invalid(file, &key, format!("no table with key {table:?}")));
                }
            }
            Ok(Template {
                name: def.name,
                kind,
                signature: def.signature,
                tables: def.tables,
            })
        })
        .collect()
}

impl Patterns {
    /// The template a report follows: the kind's template whose signature
    /// tables are all found (longest signature first), else its default.
    pub fn template_for(&self, kind: ReportKind, found: &[&str]) -> Option<&Template> {
        self.templates
            .iter()
            .filter(|t| t.kind == kind && t.signature.iter().all(|s| found.contains(&s.as_str())))
            .max_by_key(|t| t.signature.len())
    }
}

fn compile_comparisons(
    file: &str,
    defs: &[ComparisonDef],
) -> Result<Vec<Comparison>, PatternError> {
    defs.iter()
        .map(|def| {
            let key = format!("comparisons.{}", def.name);
            let expanded: Vec<String> = def
                .patterns
                .iter()
                .map(|p| {
                    p.replace("{a}", &amount_group("a"))
                        .replace("{b}", &amount_group("b"))
                })
                .collect();
            let patterns = compile_regexes(file, &key, &expanded)?;
            for group in ["a", "b", "relation"] {
                require_group(file, &key, &patterns, group)?;
            }
            Ok(Comparison {
                name: def.name.clone(),
                patterns,
                less: def.less.clone(),
                equal: def.equal.clone(),
                greater: def.greater.clone(),
            })
        })
        .collect()
}

/// An amount with its unit as the groups `NAME` and `NAME_unit`.
fn amount_group(name: &str) -> String {
    format!(r"(?P<{name}>-?\d[\d,]*(?:\.\d+)?)(?P<{name}_unit>亿元|万元|千元|元)")
}

/// What `{amount}` stands for in narrative patterns.
const AMOUNT: &str = r"(?P<value>-?\d[\d,]*(?:\.\d+)?)(?P<unit>亿元|万元|千元|元)";

fn compile_figures(
    file: &str,
    narrative: NarrativeFile,
    tables: &[TablePattern],
) -> Result<Vec<Figure>, PatternError> {
    narrative
        .figures
        .into_iter()
        .map(|def| {
            let key = format!("figures.{}", def.line);
            if !def.patterns.iter().all(|p| p.contains("{amount}")) {
                return Err(invalid(file, &key, "every pattern needs {amount}"));
            }
            let expanded: Vec<String> = def
                .patterns
                .iter()
                .map(|p| p.replace("{amount}", AMOUNT))
                .collect();
            let patterns = compile_regexes(file, &key, &expanded)?;
            for reference in &def.compare {
                check_ref(file, &key, reference, tables)?;
            }
            Ok(Figure {
                line: def.line,
                patterns,
                compare: def.compare,
            })
        })
        .collect()
}

fn invalid(file: &str, key: &str, message: impl Into<String>) -> PatternError {
    PatternError::Invalid {
        file: file.to_string(),
        key: key.to_string(),
        message: message.into(),
    }
}

fn compile_regexes(file: &str, key: &str, sources: &[String]) -> Result<Vec<Regex>, PatternError> {
    sources
        .iter()
        .map(|source| {
            Regex::new(source).map_err(|e| invalid(file, key, format!("bad regex {source:?}: {e}")))
        })
        .collect()
}

fn require_group(
    file: &str,
    key: &str,
    regexes: &[Regex],
    group: &str,
) -> Result<(), PatternError> {
    for regex in regexes {
        if !regex.capture_names().any(|name| name == Some(group)) {
            return Err(invalid(
                file,
                key,
                format!("regex {:?} needs a group named `{group}`", regex.as_str()),
            ));
        }
    }
    Ok(())
}

fn normalised(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|s| normalise(s))
        .filter(|s| !s.is_empty())
        .collect()
}

fn compile_report(file: &str, report: ReportFile) -> Result<ReportPatterns, PatternError> {
    let department = compile_regexes(file, "department", &report.department)?;
    require_group(file, "department", &department, "name")?;
    let department_title = compile_regexes(file, "department_title", &report.department_title)?;
    require_group(file, "department_title", &department_title, "name")?;
    let year = compile_regexes(file, "year", &report.year)?;
    require_group(file, "year", &year, "year")?;
    let title_year = compile_regexes(file, "title_year", &report.title_year)?;
    require_group(file, "title_year", &title_year, "year")?;
    let unit = compile_regexes(file, "unit", &report.unit)?;
    require_group(file, "unit", &unit, "unit")?;
    let marker = compile_regexes(file, "marker", &report.marker)?;
    require_group(file, "marker", &marker, "number")?;
    Ok(ReportPatterns {
        department,
        department_title,
        year,
        title_year,
        unit,
        marker,
        final_words: normalised(&report.final_words),
        budget_words: normalised(&report.budget_words),
        label_headers: normalised(&report.label_headers),
        row_number_headers: normalised(&report.row_number_headers),
        column_number_rows: normalised(&report.column_number_rows),
        total_labels: normalised(&report.total_labels),
        note_prefixes: normalised(&report.note_prefixes),
        title_prefix_stopwords: normalised(&report.title_prefix_stopwords),
        other_titles: normalised(&report.other_titles),
        empty_statements: normalised(&report.empty_statements),
        placeholders: compile_regexes(file, "placeholders", &report.placeholders)?,
        year_statements: report
            .year_statements
            .iter()
            .map(|def| {
                let kind = match def.kind.as_str() {
                    "any" => None,
                    "final" => Some(ReportKind::Final),
                    "budget" => Some(ReportKind::Budget),
                    other => {
                        return Err(invalid(
                            file,
                            "year_statements.kind",
                            format!("{other:?} is not any, final or budget"),
                        ))
                    }
                };
                let regex = compile_regexes(
                    file,
                    "year_statements.regex",
                    std::slice::from_ref(&def.regex),
                )?
                .remove(0);
                require_group(
                    file,
                    "year_statements.regex",
                    std::slice::from_ref(&regex),
                    "year",
                )?;
                Ok(YearStatement {
                    kind,
                    offset: def.offset,
                    regex,
                })
            })
            .collect::<Result<_, _>>()?,
    })
}

fn compile_classes(
    file: &str,
    classes: ClassesFile,
) -> Result<HashMap<String, String>, PatternError> {
    let mut map = HashMap::new();
    for class in classes.classes {
        if class.code.len() != 3 || !class.code.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid(
                file,
                "classes.code",
                format!("{:?} is not a three-digit class code", class.code),
            ));
        }
        for name in class.names {
            if let Some(previous) = map.insert(normalise(&name), class.code.clone()) {
                if previous != class.code {
                    return Err(invalid(
                        file,
                        "classes.names",
                        format!("{name:?} names both {previous} and {}", class.code),
                    ));
                }
            }
        }
    }
    Ok(map)
}

fn compile_table(
    file: &str,
    table: TableFile,
    line_sources: &HashMap<String, Vec<LineDef>>,
) -> Result<TablePattern, PatternError> {
    if table.final_kind.is_none() && table.budget.is_none() {
        return Err(invalid(
            file,
            "final",
            "a table needs titles for [final], [budget] or both",
        ));
    }
    if table.shape == Shape::TwoSided && table.sides.len() != 2 {
        return Err(invalid(
            file,
            "sides",
            "a two_sided table names its two sides, e.g. [\"income\", \"expenditure\"]",
        ));
    }
    let code_kind = match table.code_kind.as_deref() {
        None => None,
        Some("function") => Some(CodeKind::Function),
        Some("economic") => Some(CodeKind::Economic),
        Some(other) => {
            return Err(invalid(
                file,
                "code_kind",
                format!("{other:?} is not `function` or `economic`"),
            ))
        }
    };
    let columns = compile_columns(file, &table.columns)?;
    let mut line_defs = table.lines.clone();
    if let Some(from) = &table.lines_from {
        let inherited = line_sources
            .get(from)
            .ok_or_else(|| invalid(file, "lines_from", format!("no table with key {from:?}")))?;
        line_defs.extend(inherited.iter().cloned());
    }
    let lines = compile_lines(file, &line_defs)?;
    check_sums(file, &table, &columns, &lines)?;
    if let Some(unknown) = table
        .whole_amount_columns
        .iter()
        .find(|key| !columns.iter().any(|c| &&c.key == key))
    {
        return Err(invalid(
            file,
            "whole_amount_columns",
            format!("{unknown:?} is not a column of this table"),
        ));
    }
    let (final_titles, final_number) = kind_parts(table.final_kind.as_ref());
    let (budget_titles, budget_number) = kind_parts(table.budget.as_ref());
    Ok(TablePattern {
        key: table.key,
        shape: table.shape,
        code_kind,
        sides: table.sides,
        final_titles,
        budget_titles,
        final_number,
        budget_number,
        final_implied_column: table
            .final_kind
            .as_ref()
            .and_then(|k| k.implied_column.clone()),
        budget_implied_column: table.budget.as_ref().and_then(|k| k.implied_column.clone()),
        columns,
        lines,
        row_identities: table.row_identities,
        line_sums: table.line_sums,
        code_sums: table.code_sums,
        whole_amount_columns: table.whole_amount_columns,
    })
}

/// Identities may only name the table's own columns and lines.
fn check_sums(
    file: &str,
    table: &TableFile,
    columns: &[ColumnPattern],
    lines: &[LinePattern],
) -> Result<(), PatternError> {
    let is_column = |k: &String| columns.iter().any(|c| &c.key == k);
    let is_line = |k: &String| lines.iter().any(|l| &l.key == k);
    for sum in &table.row_identities {
        for key in std::iter::once(&sum.total)
            .chain(&sum.parts)
            .chain(&sum.requires)
            .chain(&sum.unless)
        {
            if !is_column(key) {
                return Err(invalid(
                    file,
                    "row_identities",
                    format!("{key:?} is not a column of this table"),
                ));
            }
        }
    }
    for sum in &table.line_sums {
        for key in std::iter::once(&sum.total)
            .chain(&sum.parts)
            .chain(&sum.requires)
            .chain(&sum.unless)
        {
            if !is_line(key) {
                return Err(invalid(
                    file,
                    "line_sums",
                    format!("{key:?} is not a line of this table"),
                ));
            }
        }
    }
    for sum in &table.code_sums {
        if !is_line(&sum.line) {
            return Err(invalid(
                file,
                "code_sums",
                format!("{:?} is not a line of this table", sum.line),
            ));
        }
    }
    Ok(())
}

fn kind_parts(kind: Option<&KindDef>) -> (Vec<String>, Option<u32>) {
    kind.map_or((Vec::new(), None), |k| (normalised(&k.titles), k.number))
}

fn compile_columns(file: &str, defs: &[ColumnDef]) -> Result<Vec<ColumnPattern>, PatternError> {
    let mut seen = Vec::new();
    let mut columns = Vec::new();
    for def in defs {
        if seen.contains(&def.key) {
            return Err(invalid(
                file,
                "columns.key",
                format!("{:?} is defined twice", def.key),
            ));
        }
        if def.labels.is_empty() {
            return Err(invalid(
                file,
                "columns.labels",
                format!("column {:?} has no labels", def.key),
            ));
        }
        seen.push(def.key.clone());
        columns.push(ColumnPattern {
            key: def.key.clone(),
            labels: def
                .labels
                .iter()
                .map(|label| label.split('/').map(normalise).collect())
                .collect(),
        });
    }
    Ok(columns)
}

fn compile_lines(file: &str, defs: &[LineDef]) -> Result<Vec<LinePattern>, PatternError> {
    let keys: Vec<&str> = defs.iter().map(|d| d.key.as_str()).collect();
    let mut lines = Vec::new();
    for (index, def) in defs.iter().enumerate() {
        if keys[..index].contains(&def.key.as_str())
            && def.after.is_none()
            && defs[..index]
                .iter()
                .any(|d| d.key == def.key && d.after.is_none())
        {
            continue; // a table's own line wins over one of the same key from `lines_from`
        }
        if def.labels.is_empty() && def.regex.is_none() && !def.function_class {
            return Err(invalid(
                file,
                "lines.labels",
                format!("line {:?} has no labels, regex or function_class", def.key),
            ));
        }
        if let Some(after) = &def.after {
            if !keys.contains(&after.as_str()) {
                return Err(invalid(
                    file,
                    "lines.after",
                    format!("line {:?} names unknown line {after:?}", def.key),
                ));
            }
        }
        if let Some(parent) = &def.parent {
            if !keys.contains(&parent.as_str()) {
                return Err(invalid(
                    file,
                    "lines.parent",
                    format!("line {:?} names unknown parent {parent:?}", def.key),
                ));
            }
        }
        let regex =
            match &def.regex {
                Some(source) => Some(Regex::new(source).map_err(|e| {
                    invalid(file, "lines.regex", format!("bad regex {source:?}: {e}"))
                })?),
                None => None,
            };
        lines.push(LinePattern {
            key: def.key.clone(),
            labels: normalised(&def.labels),
            regex,
            parent: def.parent.clone(),
            after: def.after.clone(),
            function_class: def.function_class,
        });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_patterns_compile_with_the_nine_tables_first() {
        let patterns = compile(Sources::builtin()).unwrap();
        let keys: Vec<&str> = patterns.tables.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "summary",
                "income",
                "expenditure",
                "fiscal_summary",
                "gpb_expenditure",
                "gpb_basic",
                "three_public",
                "gov_fund",
                "soe_capital",
                "fiscal_expenditure",
                "fiscal_basic",
                "office_operation",
                "procurement"
            ]
        );
        assert_eq!(patterns.function_class("社会保障和就业支出"), Some("208"));
        let fiscal = patterns.table("fiscal_summary").unwrap();
        assert!(fiscal
            .lines
            .iter()
            .any(|l| l.key == "income.carryover_begin.gpb"));
    }

    #[test]
    fn unknown_keys_are_refused_with_file_and_key() {
        let mut sources = Sources::builtin();
        sources.tables.push((
            "extra/bad.toml".into(),
            "key = \"x\"\nshape = \"lines\"\ntitel = 1\n".into(),
        ));
        let error = compile(sources).unwrap_err().to_string();
        assert!(error.starts_with("extra/bad.toml:"), "{error}");
        assert!(error.contains("titel"), "{error}");
    }

    #[test]
    fn bad_regex_and_unknown_parent_are_refused() {
        let mut sources = Sources::builtin();
        sources.tables.push((
            "x.toml".into(),
            "key = \"x\"\nshape = \"lines\"\n[final]\ntitles = [\"某表\"]\n[[lines]]\nkey = \"a\"\nregex = \"(\"\n".into(),
        ));
        let error = compile(sources).unwrap_err().to_string();
        assert!(error.contains("x.toml: lines.regex"), "{error}");

        let mut sources = Sources::builtin();
        sources.tables.push((
            "y.toml".into(),
            "key = \"y\"\nshape = \"lines\"\n[final]\ntitles = [\"某表\"]\n[[lines]]\nkey = \"a\"\nlabels = [\"甲\"]\nparent = \"zz\"\n".into(),
        ));
        let error = compile(sources).unwrap_err().to_string();
        assert!(error.contains("y.toml: lines.parent"), "{error}");
    }

    #[test]
    fn a_table_file_with_a_known_key_replaces_the_builtin_one() {
        let mut sources = Sources::builtin();
        sources.tables.push((
            "mine/three_public.toml".into(),
            concat!(
                "key = \"three_public\"\nshape = \"lines\"\n[final]\ntitles = [\"三公经费表\"]\n",
                "[[columns]]\nkey = \"budget\"\nlabels = [\"预算\"]\n[[columns]]\nkey = \"final\"\nlabels = [\"决算\"]\n",
                "[[lines]]\nkey = \"total\"\nlabels = [\"合计\"]\n",
                "[[lines]]\nkey = \"abroad\"\nlabels = [\"出国\"]\n[[lines]]\nkey = \"reception\"\nlabels = [\"接待\"]\n",
                "[[lines]]\nkey = \"vehicle\"\nlabels = [\"用车\"]\n[[lines]]\nkey = \"vehicle_purchase\"\nlabels = [\"购车\"]\n",
                "[[lines]]\nkey = \"vehicle_operation\"\nlabels = [\"运行\"]\n",
            ).into(),
        ));
        let patterns = compile(sources).unwrap();
        assert_eq!(patterns.tables.len(), 13);
        assert_eq!(
            patterns.table("three_public").unwrap().final_titles,
            ["三公经费表"]
        );
        assert_eq!(patterns.tables[6].key, "three_public");
    }
}

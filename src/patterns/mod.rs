//! Table definitions as data: loading, checking and compiling `patterns/`.
//!
//! A pattern set is eleven kinds of TOML file and one division list, each read by its own module:
//! - `report.toml` (`report.rs`): document-level recognisers (department,
//!   year, unit, markers, header words, note lines, empty-table statements,
//!   placeholders, the years the text must state);
//! - `function_classes.toml` (`classes.rs`): the functional classes (类) and
//!   their names;
//! - `tables/*.toml` (`tables.rs`): one file per canonical table — titles and
//!   number per report kind, the table's shape, column headers → column
//!   keys, named lines → line keys, and its identities (row identities,
//!   line sums, code sums, whole-amount columns);
//! - `checks.toml` (`checks.rs`): cross-table identities;
//! - `narrative.toml` (`narrative.rs`): figures and comparisons read from the
//!   text;
//! - `templates.toml` (`templates.rs`): the tables each kind of report must
//!   hold;
//! - `performance.toml` (`performance.rs`): the performance tables;
//! - `identity.toml` and `divisions.tsv` (`identity.rs`): department names,
//!   levels and keys, and the administrative divisions regions are matched
//!   against;
//! - `review.toml` (`review.rs`): what a review reads in the text;
//! - `classification.toml` (`classification.rs`): the classification's
//!   names by year;
//! - `reconcile.toml` (`reconcile.rs`): which figures of one report
//!   another prints too (across reports: `reconciliation.csv`). It is read
//!   after the documents, never by them, so it is not part of the
//!   fingerprint that keys the run cache.
//!
//! The set in the repository's `patterns/` folder is compiled into the
//! binary ([`Patterns::builtin`]). [`Patterns::load_dir`] reads a folder laid
//! out the same way: each of its one-of-a-kind files replaces the built-in
//! one when present, and each of its table files replaces the built-in
//! table with the same `key` or adds a new table.
//!
//! Files are checked on load: unknown keys are refused (with the file and the
//! key named), kinds are enums (`final`/`budget`, `function`/`economic`),
//! regexes must compile, keys must be unique, a line's `parent`, a table's
//! `lines_from` and every key an identity names must exist. Labels are
//! matched after [`normalise`](crate::text::normalise), so patterns may be
//! written with full-width punctuation and quotes.

use crate::text::normalise;
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use thiserror::Error;

mod checks;
mod classes;
mod classification;
mod identity;
mod narrative;
mod performance;
mod reconcile;
mod report;
mod review;
mod tables;
mod templates;

pub use checks::{CrossCheck, RefDef};
pub use classification::{comparable, Classification, NameVerdict, OfficialName};
pub use identity::{Division, DivisionLevel, Divisions, IdentityPatterns};
pub use narrative::{Comparison, Figure};
pub use performance::{KeyedLabels, Operator, PerformancePatterns};
pub use reconcile::{Derived, MatchBy, ReconcileRule, Relation, Side};
pub use report::{ReportPatterns, TitleGrammar, YearStatement};
pub use review::ReviewPatterns;
pub use tables::{CodeSumDef, ColumnPattern, LinePattern, Shape, SumDef, TablePattern, TitleWords};
pub use templates::Template;

use checks::compile_cross;
use classes::compile_classes;
use classification::compile_classification;
use identity::compile_identity;
use narrative::{compile_comparisons, compile_figures, NarrativeFile};
use reconcile::compile_reconcile;
use report::compile_report;
use review::compile_review;
use tables::{compile_table, LineDef, TableFile};
use templates::compile_templates;

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
    #[error("{file}: {error}")]
    Io { file: String, error: std::io::Error },
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
    /// Department names, levels, keys and regions (`identity.toml`,
    /// `divisions.tsv`).
    pub identity: IdentityPatterns,
    /// What a review reads in the text (`review.toml`).
    pub review: ReviewPatterns,
    /// The classification's names by year (`classification.toml`).
    pub classification: Classification,
    /// Which figures of one report another prints too (`reconcile.toml`).
    pub reconcile: Vec<ReconcileRule>,
}

pub(super) const BUILTIN_TEMPLATES: &str = include_str!("../../patterns/templates.toml");

pub(super) const BUILTIN_PERFORMANCE: &str = include_str!("../../patterns/performance.toml");

pub(super) const BUILTIN_CHECKS: &str = include_str!("../../patterns/checks.toml");

pub(super) const BUILTIN_NARRATIVE: &str = include_str!("../../patterns/narrative.toml");

pub(super) const BUILTIN_REPORT: &str = include_str!("../../patterns/report.toml");
pub(super) const BUILTIN_IDENTITY: &str = include_str!("../../patterns/identity.toml");
pub(super) const BUILTIN_REVIEW: &str = include_str!("../../patterns/review.toml");
pub(super) const BUILTIN_CLASSIFICATION: &str = include_str!("../../patterns/classification.toml");
pub(super) const BUILTIN_RECONCILE: &str = include_str!("../../patterns/reconcile.toml");
pub(super) const BUILTIN_DIVISIONS: &str = include_str!("../../patterns/divisions.tsv");

pub(super) const BUILTIN_CLASSES: &str = include_str!("../../patterns/function_classes.toml");

pub(super) const BUILTIN_TABLES: &[(&str, &str)] = &[
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
    (
        "tables/14_gpb_economic.toml",
        include_str!("../../patterns/tables/14_gpb_economic.toml"),
    ),
    (
        "tables/15_gpb_basic_function.toml",
        include_str!("../../patterns/tables/15_gpb_basic_function.toml"),
    ),
    (
        "tables/16_gpb_project.toml",
        include_str!("../../patterns/tables/16_gpb_project.toml"),
    ),
    (
        "tables/17_special_projects.toml",
        include_str!("../../patterns/tables/17_special_projects.toml"),
    ),
    (
        "tables/18_carryover.toml",
        include_str!("../../patterns/tables/18_carryover.toml"),
    ),
    (
        "tables/19_other.toml",
        include_str!("../../patterns/tables/19_other.toml"),
    ),
];

/// Source text of pattern files, by file name, before compiling.
pub(super) struct Sources {
    pub(super) report: (String, String),
    pub(super) classes: (String, String),
    pub(super) checks: (String, String),
    pub(super) narrative: (String, String),
    pub(super) performance: (String, String),
    pub(super) templates: (String, String),
    pub(super) identity: (String, String),
    pub(super) divisions: (String, String),
    pub(super) review: (String, String),
    pub(super) classification: (String, String),
    pub(super) reconcile: (String, String),
    pub(super) tables: Vec<(String, String)>,
}

impl Sources {
    /// The one-of-a-kind files by their name in a pattern folder.
    fn fixed_mut(&mut self) -> [(&'static str, &mut (String, String)); 11] {
        [
            ("reconcile.toml", &mut self.reconcile),
            ("review.toml", &mut self.review),
            ("classification.toml", &mut self.classification),
            ("identity.toml", &mut self.identity),
            ("divisions.tsv", &mut self.divisions),
            ("report.toml", &mut self.report),
            ("function_classes.toml", &mut self.classes),
            ("checks.toml", &mut self.checks),
            ("templates.toml", &mut self.templates),
            ("performance.toml", &mut self.performance),
            ("narrative.toml", &mut self.narrative),
        ]
    }

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
            &self.identity,
            &self.divisions,
            &self.review,
            &self.classification,
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
            identity: ("patterns/identity.toml".into(), BUILTIN_IDENTITY.into()),
            divisions: ("patterns/divisions.tsv".into(), BUILTIN_DIVISIONS.into()),
            review: ("patterns/review.toml".into(), BUILTIN_REVIEW.into()),
            classification: (
                "patterns/classification.toml".into(),
                BUILTIN_CLASSIFICATION.into(),
            ),
            reconcile: ("patterns/reconcile.toml".into(), BUILTIN_RECONCILE.into()),
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

    /// The built-in set compiled once and shared by the unit tests: a
    /// debug build takes most of a second to compile it, and tests that
    /// ask for it per case took minutes (issue 26).
    #[cfg(test)]
    pub(crate) fn builtin_shared() -> &'static Patterns {
        static SHARED: std::sync::OnceLock<Patterns> = std::sync::OnceLock::new();
        SHARED.get_or_init(Patterns::builtin)
    }

    /// The built-in set with a folder's files replacing or extending it.
    pub fn load_dir(dir: &Path) -> Result<Patterns, PatternError> {
        let mut sources = Sources::builtin();
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|error| PatternError::Io {
                file: path.display().to_string(),
                error,
            })
        };
        if !dir.is_dir() {
            return Err(PatternError::Io {
                file: dir.display().to_string(),
                error: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such pattern folder (give a folder laid out like patterns/)",
                ),
            });
        }
        for (name, source) in sources.fixed_mut() {
            let path = dir.join(name);
            if path.is_file() {
                *source = (path.display().to_string(), read(&path)?);
            }
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
pub(super) fn table_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, PatternError> {
    let tables = dir.join("tables");
    if !tables.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(&tables).map_err(|error| PatternError::Io {
        file: tables.display().to_string(),
        error,
    })?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

pub(super) fn parse_toml<T: for<'de> Deserialize<'de>>(
    file: &str,
    text: &str,
) -> Result<T, PatternError> {
    toml::from_str(text).map_err(|e| PatternError::Format {
        file: file.to_string(),
        message: e.to_string().trim().replace('\n', " "),
    })
}

pub(super) fn compile(sources: Sources) -> Result<Patterns, PatternError> {
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
    let (identity_file, identity_text) = &sources.identity;
    let (divisions_file, divisions_text) = &sources.divisions;
    let identity = compile_identity(
        identity_file,
        parse_toml(identity_file, identity_text)?,
        (divisions_file, divisions_text),
    )?;
    let (review_file, review_text) = &sources.review;
    let review = compile_review(review_file, parse_toml(review_file, review_text)?)?;
    let (classification_file, classification_text) = &sources.classification;
    let classification = compile_classification(
        classification_file,
        parse_toml(classification_file, classification_text)?,
    )?;
    let (reconcile_file, reconcile_text) = &sources.reconcile;
    let reconcile = compile_reconcile(
        reconcile_file,
        parse_toml(reconcile_file, reconcile_text)?,
        &tables,
    )?;
    Ok(Patterns {
        reconcile,
        review,
        classification,
        identity,
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

pub(super) fn invalid(file: &str, key: &str, message: impl Into<String>) -> PatternError {
    PatternError::Invalid {
        file: file.to_string(),
        key: key.to_string(),
        message: message.into(),
    }
}

pub(super) fn compile_regexes(
    file: &str,
    key: &str,
    sources: &[String],
) -> Result<Vec<Regex>, PatternError> {
    sources
        .iter()
        .map(|source| {
            Regex::new(source).map_err(|e| invalid(file, key, format!("bad regex {source:?}: {e}")))
        })
        .collect()
}

pub(super) fn require_group(
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

pub(super) fn normalised(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|s| normalise(s))
        .filter(|s| !s.is_empty())
        .collect()
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
                "procurement",
                "gpb_economic",
                "gpb_basic_function",
                "gpb_project",
                "special_projects",
                "carryover",
                "other"
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
    fn a_look_alike_that_is_not_a_pair_of_characters_is_refused() {
        let mut sources = Sources::builtin();
        sources.report.1 = sources.report.1.replace("\"支文\"", "\"支出文\"");
        let error = compile(sources).unwrap_err().to_string();
        assert!(error.contains("report.toml: look_alikes"), "{error}");
        assert!(error.contains("支出文"), "{error}");
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
        assert_eq!(patterns.tables.len(), 19);
        assert_eq!(
            patterns.table("three_public").unwrap().final_titles,
            ["三公经费表"]
        );
        assert_eq!(patterns.tables[6].key, "three_public");
    }
}

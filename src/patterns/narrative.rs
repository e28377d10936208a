//! `narrative.toml`: the figures read from a report's text (收入总计…万元)
//! with the table figures they must equal, and the sentences that compare
//! two amounts in words.

use super::checks::check_ref;
use super::{compile_regexes, invalid, require_group, PatternError, RefDef, TablePattern};
use regex::Regex;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NarrativeFile {
    pub(super) figures: Vec<FigureDef>,
    #[serde(default)]
    pub(super) comparisons: Vec<ComparisonDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ComparisonDef {
    pub(super) name: String,
    pub(super) patterns: Vec<String>,
    pub(super) less: Vec<String>,
    pub(super) equal: Vec<String>,
    pub(super) greater: Vec<String>,
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
pub(super) struct FigureDef {
    pub(super) line: String,
    pub(super) patterns: Vec<String>,
    #[serde(default)]
    pub(super) compare: Vec<RefDef>,
}

/// A figure stated in the narrative, its regexes (with `{amount}` expanded
/// to the groups `value` and `unit`) and the table figures it must equal.
#[derive(Debug, Clone)]
pub struct Figure {
    pub line: String,
    pub patterns: Vec<Regex>,
    pub compare: Vec<RefDef>,
}

pub(super) fn compile_comparisons(
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
pub(super) fn amount_group(name: &str) -> String {
    format!(r"(?P<{name}>-?\d[\d,]*(?:\.\d+)?)(?P<{name}_unit>亿元|万元|千元|元)")
}

/// What `{amount}` stands for in narrative patterns.
pub(super) const AMOUNT: &str = r"(?P<value>-?\d[\d,]*(?:\.\d+)?)(?P<unit>亿元|万元|千元|元)";

pub(super) fn compile_figures(
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

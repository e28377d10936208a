//! `templates.toml`: the disclosure templates — the set of tables a report
//! of each kind must hold, told apart by the tables that identify them.

use super::{invalid, PatternError, Patterns, TablePattern};
use crate::model::ReportKind;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TemplatesFile {
    pub(super) templates: Vec<TemplateDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TemplateDef {
    pub(super) name: String,
    pub(super) kind: ReportKind,
    #[serde(default)]
    pub(super) signature: Vec<String>,
    pub(super) tables: Vec<String>,
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

pub(super) fn compile_templates(
    file: &str,
    defs: TemplatesFile,
    tables: &[TablePattern],
) -> Result<Vec<Template>, PatternError> {
    defs.templates
        .into_iter()
        .map(|def| {
            let key = format!("templates.{}", def.name);
            for table in def.tables.iter().chain(&def.signature) {
                if !tables.iter().any(|t| &t.key == table) {
                    return Err(invalid(file, &key, format!("no table with key {table:?}")));
                }
            }
            Ok(Template {
                name: def.name,
                kind: def.kind,
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

//! What every rule is handed: the document, the patterns, and its facts
//! indexed by table.

use crate::model::{DocumentRecord, Fact, ReportKind};
use crate::patterns::{Patterns, RefDef};
use std::collections::BTreeMap;

/// The document under check, read-only, with its facts by table.
pub struct Context<'a> {
    pub record: &'a DocumentRecord,
    pub patterns: &'a Patterns,
    pub facts: FactIndex<'a>,
}

impl<'a> Context<'a> {
    pub fn new(record: &'a DocumentRecord, patterns: &'a Patterns) -> Self {
        Context {
            record,
            patterns,
            facts: FactIndex::new(&record.facts),
        }
    }

    /// Whether the report holds the table, with or without figures.
    pub fn has_table(&self, key: &str) -> bool {
        self.record.tables.iter().any(|t| t.key == key)
    }

    /// The facts a reference points at (see [`resolve`]).
    pub fn resolve(&self, reference: &RefDef) -> Vec<&'a Fact> {
        resolve(reference, self.record.report, &self.facts)
    }
}

/// Facts by table key, in document order.
pub struct FactIndex<'a> {
    by_table: BTreeMap<&'a str, Vec<&'a Fact>>,
}

impl<'a> FactIndex<'a> {
    pub fn new(facts: &'a [Fact]) -> Self {
        let mut by_table: BTreeMap<&str, Vec<&Fact>> = BTreeMap::new();
        for fact in facts {
            by_table.entry(fact.table.as_str()).or_default().push(fact);
        }
        FactIndex { by_table }
    }

    pub fn table(&self, key: &str) -> &[&'a Fact] {
        self.by_table.get(key).map_or(&[], Vec::as_slice)
    }
}

/// The facts a reference points at, with the column chosen: the first of
/// the reference's columns that the referenced rows have.
fn resolve<'a>(
    reference: &RefDef,
    kind: Option<ReportKind>,
    facts: &FactIndex<'a>,
) -> Vec<&'a Fact> {
    let rows: Vec<&Fact> = facts
        .table(&reference.table)
        .iter()
        .copied()
        .filter(|f| match (&reference.line, reference.code_len) {
            (Some(line), _) => &f.line == line,
            (None, Some(len)) => f.code.len() == len && f.line.is_empty(),
            (None, None) => false,
        })
        .collect();
    let columns = reference.columns_for(kind);
    let Some(column) = columns
        .iter()
        .find(|c| rows.iter().any(|f| &&f.column == c))
    else {
        return Vec::new();
    };
    rows.into_iter().filter(|f| &f.column == column).collect()
}

//! `performance.toml`: the performance tables (绩效目标表 / 绩效自评表) —
//! titles, header fields, indicator columns and operators.

use super::normalised;
use serde::Deserialize;

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
    pub(super) fn normalised(mut self) -> Self {
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

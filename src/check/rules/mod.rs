//! The rules, one a file, and the one list both `extract` and
//! `gongkai check` run ([`ALL`]), in the order their rows are written.
//!
//! A rule runs at one or more of three places: once per pattern table that
//! has facts ([`Rule::table`]), once per document ([`Rule::document`]), or
//! once per table found in the document ([`Rule::found_table`]). The
//! driver ([`crate::check::steps`]) runs every rule's table part table by
//! table, then every document part, then every found-table part table by
//! table. A rule whose [`Input`] is `Text` needs more than `facts.csv`
//! holds; `gongkai check` on an output folder carries its rows over.

mod code_hierarchy;
mod code_sum;
mod cross_table;
mod department_agreement;
mod empty_table_statement;
pub(crate) mod items;
mod line_sum;
mod narrative;
mod narrative_comparison;
mod placeholder;
mod row_identity;
mod table_present;
mod total_row;
mod year_agreement;

#[cfg(test)]
pub(crate) mod testing;

use super::Context;
use crate::model::{Check, CheckName, Fact, FoundTable};
use crate::patterns::{SumDef, TablePattern};

/// What a rule reads besides the patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The facts, the tables found and the report kind: all in an output
    /// folder, so `gongkai check` re-evaluates the rule.
    Facts,
    /// The document's text (notes, sentences, years, headers): the rule's
    /// rows are carried over by `gongkai check`.
    Text,
}

pub type TableRule = fn(&Context, &TablePattern, &[&Fact], &mut Vec<Check>);
pub type DocumentRule = fn(&Context, &mut Vec<Check>);
pub type FoundTableRule = fn(&Context, &FoundTable, &mut Vec<Check>);

/// One rule: its name (and the other names its rows may carry, as a line
/// sum's `summary_balance`), what it reads, and where it runs.
pub struct Rule {
    pub name: CheckName,
    pub also_named: &'static [CheckName],
    pub input: Input,
    pub table: Option<TableRule>,
    pub document: Option<DocumentRule>,
    pub found_table: Option<FoundTableRule>,
}

const fn rule(name: CheckName, input: Input) -> Rule {
    Rule {
        name,
        also_named: &[],
        input,
        table: None,
        document: None,
        found_table: None,
    }
}

/// Every rule, in the order of `checks.csv`.
pub const ALL: &[Rule] = &[
    Rule {
        table: Some(code_hierarchy::run),
        ..rule(CheckName::CodeHierarchy, Input::Facts)
    },
    Rule {
        table: Some(total_row::run),
        ..rule(CheckName::TotalRow, Input::Facts)
    },
    Rule {
        table: Some(row_identity::run),
        ..rule(CheckName::RowIdentity, Input::Facts)
    },
    Rule {
        table: Some(line_sum::run),
        also_named: &[CheckName::SummaryBalance],
        ..rule(CheckName::LineSum, Input::Facts)
    },
    Rule {
        table: Some(code_sum::run),
        ..rule(CheckName::CodeSum, Input::Facts)
    },
    Rule {
        document: Some(cross_table::run),
        ..rule(CheckName::CrossTable, Input::Facts)
    },
    Rule {
        document: Some(narrative::run),
        ..rule(CheckName::Narrative, Input::Facts)
    },
    Rule {
        document: Some(items::run),
        also_named: &[
            CheckName::ItemFigures,
            CheckName::ItemVsTable,
            CheckName::Share,
        ],
        ..rule(CheckName::ItemChange, Input::Facts)
    },
    Rule {
        document: Some(narrative_comparison::run),
        ..rule(CheckName::NarrativeComparison, Input::Text)
    },
    Rule {
        document: Some(table_present::run),
        ..rule(CheckName::TablePresent, Input::Facts)
    },
    Rule {
        document: Some(empty_table_statement::run),
        ..rule(CheckName::EmptyTableStatement, Input::Text)
    },
    Rule {
        document: Some(placeholder::run),
        ..rule(CheckName::Placeholder, Input::Text)
    },
    Rule {
        document: Some(year_agreement::run),
        found_table: Some(year_agreement::run_on_table),
        ..rule(CheckName::YearAgreement, Input::Text)
    },
    Rule {
        found_table: Some(department_agreement::run_on_table),
        ..rule(CheckName::DepartmentAgreement, Input::Text)
    },
];

impl Rule {
    /// The names of the checks the rule's rows may carry.
    pub fn names(&self) -> impl Iterator<Item = CheckName> + '_ {
        std::iter::once(self.name).chain(self.also_named.iter().copied())
    }
}

/// `requires`: at least one of the keys is present; `unless`: none is.
fn applies(def: &SumDef, present: impl Fn(&str) -> bool) -> bool {
    (def.requires.is_empty() || def.requires.iter().any(|k| present(k)))
        && !def.unless.iter().any(|k| present(k))
}

#[cfg(test)]
mod tests {
    use super::ALL;
    use crate::model::CheckName;

    #[test]
    fn every_check_name_belongs_to_exactly_one_rule() {
        for name in CheckName::ALL {
            let owners = ALL
                .iter()
                .filter(|rule| rule.names().any(|n| n == name))
                .count();
            assert_eq!(owners, 1, "{name} is written by {owners} rules");
            assert_eq!(CheckName::parse(name.as_str()), Some(name));
        }
    }
}

//! Check: the accounting identities a report promises, evaluated on its
//! facts, one [`Check`] row each (written to `checks.csv`).
//!
//! | check | what must hold | defined in |
//! |---|---|---|
//! | `code_hierarchy` | a 类 equals the sum of its 款, a 款 the sum of its 项, per column (only codes the report prints) | code lengths 3/5/7 |
//! | `total_row` | a coded table's 合计 row equals the sum of its 类 rows, per column | |
//! | `row_identity` | in every row, a total column equals the sum of its part columns | `[[row_identities]]` of each table |
//! | `line_sum`, `summary_balance` | a named line equals the sum of other lines (本年收入合计, 总计, 收入总计 = 支出总计) | `[[line_sums]]` |
//! | `code_sum` | a named line equals the sum of class rows (人员经费 = 301 + 303) | `[[code_sums]]` |
//! | `cross_table` | the same figure printed in two tables | `patterns/checks.toml` |
//! | `narrative` | a figure stated in the text equals the table figure | `patterns/narrative.toml` |
//! | `table_present` | every table of the report's template is present | `patterns/templates.toml` |
//! | `empty_table_statement` | a table without data says it is empty | `empty_statements` |
//! | `placeholder` | no template placeholder (XX局, XXXX年) is left | `placeholders` |
//! | `year_agreement`, `department_agreement` | each table states the report's year and department | |
//!
//! Amounts are compared in yuan, so tables in different units compare
//! correctly. The tolerance is the rounding the report admits (尾数误差): one
//! unit of the last printed digit for each summed term (at least one). A
//! difference within it passes, with a note saying so; `expected`,
//! `actual`, `diff` and `tolerance` are written in the unit of the figures
//! when they share one, else in yuan. A check whose figures are missing
//! (a table absent from the report) is `skipped` with the reason.

pub mod rerun;

use crate::model::{Check, CheckStatus, DocumentRecord, Fact, ReportKind, Unit};
use crate::patterns::{Patterns, RefDef, SumDef, TablePattern};
use crate::text::normalise;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Evaluate every identity on a document's facts and tables.
pub fn check(record: &DocumentRecord, patterns: &Patterns) -> Vec<Check> {
    let mut checks = Vec::new();
    let facts = FactIndex::new(&record.facts);
    for table in &patterns.tables {
        let table_facts = facts.table(&table.key);
        if table_facts.is_empty() {
            continue;
        }
        if table.code_kind.is_some() {
            code_hierarchy(table, table_facts, &mut checks);
            total_row(table, table_facts, &mut checks);
        }
        for def in &table.row_identities {
            row_identity(table, table_facts, def, &mut checks);
        }
        for def in &table.line_sums {
            line_sum(table, table_facts, def, &mut checks);
        }
        for def in &table.code_sums {
            let lines: Vec<&Fact> = table_facts
                .iter()
                .copied()
                .filter(|f| f.line == def.line)
                .collect();
            for expected in lines {
                let parts: Vec<&Fact> = table_facts
                    .iter()
                    .copied()
                    .filter(|f| def.codes.contains(&f.code) && f.column == expected.column)
                    .collect();
                let key = format!("{}/{}", def.line, expected.column);
                checks.push(compare("code_sum", &table.key, &key, expected, &parts));
            }
        }
    }
    cross_tables(record, patterns, &facts, &mut checks);
    narrative(record, patterns, &facts, &mut checks);
    stated_comparisons(record, &mut checks);
    completeness(record, patterns, &mut checks);
    checks
}

/// Facts by table key, in document order.
struct FactIndex<'a> {
    by_table: BTreeMap<&'a str, Vec<&'a Fact>>,
}

impl<'a> FactIndex<'a> {
    fn new(facts: &'a [Fact]) -> Self {
        let mut by_table: BTreeMap<&str, Vec<&Fact>> = BTreeMap::new();
        for fact in facts {
            by_table.entry(fact.table.as_str()).or_default().push(fact);
        }
        FactIndex { by_table }
    }

    fn table(&self, key: &str) -> &[&'a Fact] {
        self.by_table.get(key).map_or(&[], Vec::as_slice)
    }
}

fn yuan(fact: &Fact) -> Decimal {
    fact.value * fact.unit.map_or(Decimal::ONE, Unit::factor)
}

/// One unit of the last printed digit, in yuan.
fn last_digit_in_yuan(fact: &Fact) -> Decimal {
    Decimal::new(1, fact.value.scale()) * fact.unit.map_or(Decimal::ONE, Unit::factor)
}

/// `expected` against the sum of `parts`, with the rounding tolerance.
fn compare(check: &str, table: &str, key: &str, expected: &Fact, parts: &[&Fact]) -> Check {
    let all: Vec<&Fact> = std::iter::once(expected)
        .chain(parts.iter().copied())
        .collect();
    let expected_yuan = yuan(expected);
    let actual_yuan: Decimal = parts.iter().map(|f| yuan(f)).sum();
    let step = all
        .iter()
        .map(|f| last_digit_in_yuan(f))
        .max()
        .unwrap_or(Decimal::ONE);
    let tolerance = step * Decimal::from(parts.len().max(1));
    let diff = actual_yuan - expected_yuan;
    let status = if diff.abs() <= tolerance {
        CheckStatus::Pass
    } else {
        CheckStatus::Fail
    };
    let common_unit = expected
        .unit
        .filter(|u| all.iter().all(|f| f.unit == Some(*u)));
    let scale = all.iter().map(|f| f.value.scale()).max().unwrap_or(0);
    let show = |amount: Decimal| {
        let mut value = match common_unit {
            Some(unit) => amount / unit.factor(),
            None => amount,
        };
        value.rescale(if common_unit.is_some() {
            scale
        } else {
            value.normalize().scale().max(2)
        });
        value
    };
    let note = match status {
        CheckStatus::Pass if !diff.is_zero() => {
            "rounding difference within the tolerance the report admits (尾数误差)".to_string()
        }
        CheckStatus::Pass => String::new(),
        _ => format!(
            "{} differs from the sum of {} figure(s)",
            describe(expected),
            parts.len()
        ),
    };
    Check {
        check: check.to_string(),
        table: table.to_string(),
        key: key.to_string(),
        expected: Some(show(expected_yuan)),
        actual: Some(show(actual_yuan)),
        diff: Some(show(diff)),
        tolerance: Some(show(tolerance)),
        unit: Some(common_unit.unwrap_or(Unit::Yuan)),
        status,
        note,
    }
}

fn describe(fact: &Fact) -> String {
    let page = fact
        .page
        .map(|p| format!(" (page {p})"))
        .unwrap_or_default();
    format!("{} row {} {:?}{page}", fact.table, fact.row, fact.item)
}

fn skipped(check: &str, table: &str, key: &str, note: impl Into<String>) -> Check {
    Check {
        check: check.to_string(),
        table: table.to_string(),
        key: key.to_string(),
        expected: None,
        actual: None,
        diff: None,
        tolerance: None,
        unit: None,
        status: CheckStatus::Skipped,
        note: note.into(),
    }
}

fn verdict(check: &str, table: &str, key: &str, pass: bool, note: impl Into<String>) -> Check {
    Check {
        status: if pass {
            CheckStatus::Pass
        } else {
            CheckStatus::Fail
        },
        ..skipped(check, table, key, note)
    }
}

/// Each printed code row's value per column: code → column → fact.
fn by_code<'a>(facts: &[&'a Fact]) -> BTreeMap<&'a str, BTreeMap<&'a str, &'a Fact>> {
    let mut map: BTreeMap<&str, BTreeMap<&str, &Fact>> = BTreeMap::new();
    for fact in facts.iter().filter(|f| !f.code.is_empty()) {
        map.entry(fact.code.as_str())
            .or_default()
            .entry(fact.column.as_str())
            .or_insert(fact);
    }
    map
}

fn code_hierarchy(table: &TablePattern, facts: &[&Fact], checks: &mut Vec<Check>) {
    let codes = by_code(facts);
    for (parent, parent_columns) in &codes {
        let children: Vec<(&&str, &BTreeMap<&str, &Fact>)> = codes
            .iter()
            .filter(|(code, _)| code.len() == parent.len() + 2 && code.starts_with(parent))
            .collect();
        if children.is_empty() || parent.len() > 5 {
            continue;
        }
        for (column, expected) in parent_columns {
            let parts: Vec<&Fact> = children
                .iter()
                .filter_map(|(_, cols)| cols.get(column).copied())
                .collect();
            let key = format!("{parent}/{column}");
            checks.push(compare(
                "code_hierarchy",
                &table.key,
                &key,
                expected,
                &parts,
            ));
        }
    }
}

fn total_row(table: &TablePattern, facts: &[&Fact], checks: &mut Vec<Check>) {
    let classes: Vec<&Fact> = facts
        .iter()
        .copied()
        .filter(|f| f.code.len() == 3)
        .collect();
    if classes.is_empty() {
        return;
    }
    for total in facts
        .iter()
        .filter(|f| f.line == "total" && f.code.is_empty())
    {
        let parts: Vec<&Fact> = classes
            .iter()
            .copied()
            .filter(|f| f.column == total.column)
            .collect();
        let key = format!("total/{}", total.column);
        checks.push(compare("total_row", &table.key, &key, total, &parts));
    }
}

/// `requires`: at least one of the keys is present; `unless`: none is.
fn applies(def: &SumDef, present: impl Fn(&str) -> bool) -> bool {
    (def.requires.is_empty() || def.requires.iter().any(|k| present(k)))
        && !def.unless.iter().any(|k| present(k))
}

fn row_identity(table: &TablePattern, facts: &[&Fact], def: &SumDef, checks: &mut Vec<Check>) {
    if !applies(def, |column| facts.iter().any(|f| f.column == column)) {
        return;
    }
    let mut rows: BTreeMap<(u32, &str, &str), Vec<&Fact>> = BTreeMap::new();
    for fact in facts {
        rows.entry((fact.row, fact.line.as_str(), fact.code.as_str()))
            .or_default()
            .push(fact);
    }
    let name = def.name.as_deref().unwrap_or("row_identity");
    let present_parts: Vec<&str> = def
        .parts
        .iter()
        .map(String::as_str)
        .filter(|part| facts.iter().any(|f| f.column == *part))
        .collect();
    if present_parts.is_empty() {
        return; // the table prints only the total column
    }
    for ((_, line, code), row) in rows {
        let Some(total) = row.iter().find(|f| f.column == def.total) else {
            continue;
        };
        let parts: Vec<&Fact> = row
            .iter()
            .copied()
            .filter(|f| def.parts.contains(&f.column))
            .collect();
        if parts.is_empty() && total.value.is_zero() {
            continue;
        }
        let row_key = if code.is_empty() { line } else { code };
        let key = format!("{row_key}/{}={}", def.total, present_parts.join("+"));
        checks.push(compare(name, &table.key, &key, total, &parts));
    }
}

fn line_sum(table: &TablePattern, facts: &[&Fact], def: &SumDef, checks: &mut Vec<Check>) {
    if !applies(def, |line| facts.iter().any(|f| f.line == line)) {
        return;
    }
    let name = def.name.as_deref().unwrap_or("line_sum");
    for total in facts.iter().filter(|f| f.line == def.total) {
        let mut parts = Vec::new();
        for part in &def.parts {
            let part_facts: Vec<&Fact> =
                facts.iter().copied().filter(|f| &f.line == part).collect();
            let mut in_column: Vec<&Fact> = part_facts
                .iter()
                .copied()
                .filter(|f| f.column == total.column)
                .collect();
            if in_column.is_empty() && matches!(total.column.as_str(), "amount" | "total") {
                // one-amount side against a side split into funds: its total column
                let other = if total.column == "amount" {
                    "total"
                } else {
                    "amount"
                };
                in_column = part_facts
                    .iter()
                    .copied()
                    .filter(|f| f.column == other)
                    .collect();
            }
            parts.extend(in_column);
        }
        let key = format!("{}/{}", def.total, total.column);
        if parts.is_empty() && !total.value.is_zero() {
            checks.push(skipped(
                name,
                &table.key,
                &key,
                "none of the lines it sums is printed",
            ));
            continue;
        }
        checks.push(compare(name, &table.key, &key, total, &parts));
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

fn cross_tables(
    record: &DocumentRecord,
    patterns: &Patterns,
    facts: &FactIndex,
    checks: &mut Vec<Check>,
) {
    let found = |key: &str| record.tables.iter().any(|t| t.key == key);
    for cross in &patterns.cross {
        let missing: Vec<&str> = std::iter::once(&cross.expected)
            .chain(&cross.actual)
            .map(|r| r.table.as_str())
            .filter(|t| !found(t))
            .collect();
        if !missing.is_empty() {
            let note = format!("table {} not in this report", missing.join(", "));
            checks.push(skipped(
                "cross_table",
                &cross.expected.table,
                &cross.name,
                note,
            ));
            continue;
        }
        let expected = resolve(&cross.expected, record.report, facts);
        let actual: Vec<Vec<&Fact>> = cross
            .actual
            .iter()
            .map(|r| resolve(r, record.report, facts))
            .collect();
        if actual.iter().all(Vec::is_empty) {
            let tables: Vec<&str> = cross.actual.iter().map(|r| r.table.as_str()).collect();
            let note = format!("{} prints no such figure", tables.join(", "));
            checks.push(skipped(
                "cross_table",
                &cross.expected.table,
                &cross.name,
                note,
            ));
            continue;
        }
        if cross.expected.by_code {
            for fact in expected {
                let parts: Vec<&Fact> = actual
                    .iter()
                    .flatten()
                    .copied()
                    .filter(|f| f.code == fact.code)
                    .collect();
                let key = format!("{}:{}", cross.name, fact.code);
                checks.push(compare(
                    "cross_table",
                    &cross.expected.table,
                    &key,
                    fact,
                    &parts,
                ));
            }
        } else if let Some(fact) = expected.first() {
            let parts: Vec<&Fact> = actual
                .iter()
                .filter_map(|facts| facts.first().copied())
                .collect();
            checks.push(compare(
                "cross_table",
                &cross.expected.table,
                &cross.name,
                fact,
                &parts,
            ));
        } else {
            checks.push(skipped(
                "cross_table",
                &cross.expected.table,
                &cross.name,
                "figure not printed",
            ));
        }
    }
}

fn narrative(
    record: &DocumentRecord,
    patterns: &Patterns,
    facts: &FactIndex,
    checks: &mut Vec<Check>,
) {
    let stated = facts.table("narrative");
    for figure in patterns.figures.iter().filter(|f| !f.compare.is_empty()) {
        let Some(fact) = stated.iter().find(|f| f.line == figure.line) else {
            continue;
        };
        for reference in &figure.compare {
            let table_figures = resolve(reference, record.report, facts);
            let key = match (figure.compare.len(), &reference.line) {
                (1, _) | (_, None) => figure.line.clone(),
                (_, Some(line)) => format!("{}:{}.{}", figure.line, reference.table, line),
            };
            match table_figures.first() {
                Some(table_figure) => {
                    let mut check = compare("narrative", "narrative", &key, fact, &[table_figure]);
                    if check.status == CheckStatus::Fail {
                        check.note = format!(
                            "the text says {:?}; {} prints {}",
                            fact.item,
                            describe(table_figure),
                            table_figure.value
                        );
                    }
                    checks.push(check);
                }
                None if fact.value.is_zero()
                    && record.tables.iter().any(|t| t.key == reference.table) =>
                {
                    let note = format!(
                        "the text says {:?}; the table leaves the cell empty",
                        fact.item
                    );
                    checks.push(verdict("narrative", "narrative", &key, true, note));
                }
                None => {
                    let note = format!(
                        "the text says {:?}; table {} has no such figure",
                        fact.item, reference.table
                    );
                    checks.push(skipped("narrative", "narrative", &key, note));
                }
            }
        }
    }
}

/// Sentences that compare two amounts in words must say what the amounts say.
fn stated_comparisons(record: &DocumentRecord, checks: &mut Vec<Check>) {
    for stated in &record.comparisons {
        let a = stated.a * stated.a_unit.factor();
        let b = stated.b * stated.b_unit.factor();
        let actual = b.cmp(&a);
        let word = |o: std::cmp::Ordering| match o {
            std::cmp::Ordering::Less => "less than",
            std::cmp::Ordering::Equal => "equal to",
            std::cmp::Ordering::Greater => "greater than",
        };
        let agrees = actual == stated.relation;
        let place = stated
            .page
            .map(|p| format!("page {p}, "))
            .unwrap_or_default();
        let note = if agrees {
            String::new()
        } else {
            format!(
                "{place}paragraph {}: {:?} says {} is {} {}, but it is {}",
                stated.paragraph,
                stated.text,
                stated.b,
                word(stated.relation),
                stated.a,
                word(actual)
            )
        };
        let mut check = verdict(
            "narrative_comparison",
            "narrative",
            &stated.text,
            agrees,
            note,
        );
        let unit = if stated.a_unit == stated.b_unit {
            stated.a_unit
        } else {
            Unit::Yuan
        };
        let show = |v: Decimal| {
            if unit == Unit::Yuan {
                v
            } else {
                v / unit.factor()
            }
        };
        check.expected = Some(show(a));
        check.actual = Some(show(b));
        check.diff = Some(show(b - a));
        check.unit = Some(unit);
        checks.push(check);
    }
}

fn completeness(record: &DocumentRecord, patterns: &Patterns, checks: &mut Vec<Check>) {
    match record.report {
        _ if record.tables.is_empty() => {
            checks.push(skipped(
                "table_present",
                "",
                "",
                "no disclosure tables in this file (narrative only)",
            ));
        }
        Some(kind) => {
            let found: Vec<&str> = record.tables.iter().map(|t| t.key.as_str()).collect();
            match patterns.template_for(kind, &found) {
                Some(template) => {
                    for table in &template.tables {
                        let present = found.contains(&table.as_str());
                        let note = if present {
                            String::new()
                        } else {
                            format!(
                                "required by the {} template, not found in the report",
                                template.name
                            )
                        };
                        checks.push(verdict("table_present", table, table, present, note));
                    }
                }
                None => checks.push(skipped(
                    "table_present",
                    "",
                    "",
                    "no template for this report kind",
                )),
            }
        }
        None => checks.push(skipped(
            "table_present",
            "",
            "",
            "report kind (决算/预算) not recognised",
        )),
    }
    for table in record.tables.iter().filter(|t| t.facts == 0) {
        let notes = normalise(&table.notes.join(" "));
        let stated = patterns
            .report
            .empty_statements
            .iter()
            .any(|s| notes.contains(s.as_str()));
        let note = if stated {
            ""
        } else {
            "table has no figures and no statement that it is empty"
        };
        checks.push(verdict(
            "empty_table_statement",
            &table.key,
            &table.key,
            stated,
            note,
        ));
    }
    let note = if record.placeholders.is_empty() {
        String::new()
    } else {
        format!(
            "template placeholders left: {}",
            record.placeholders.join("; ")
        )
    };
    checks.push(verdict(
        "placeholder",
        "",
        "",
        record.placeholders.is_empty(),
        note,
    ));
    let report_year = record.cover_year.or(record.year);
    if let Some(year) = report_year {
        for mention in record
            .year_mentions
            .iter()
            .filter(|m| m.kind.is_none() || m.kind == record.report)
        {
            let expected = i32::from(year) + mention.offset;
            let agrees = i32::from(mention.year) == expected;
            let place = mention
                .page
                .map(|p| format!("page {p}: "))
                .unwrap_or_default();
            let note = if agrees {
                String::new()
            } else {
                format!(
                    "{place}the text says {:?}, expected {expected}",
                    mention.text
                )
            };
            let mut check = verdict("year_agreement", "narrative", &mention.text, agrees, note);
            check.expected = Some(Decimal::from(expected));
            check.actual = Some(Decimal::from(mention.year));
            checks.push(check);
        }
    }
    for table in &record.tables {
        if let (Some(stated), Some(year)) = (table.year, report_year) {
            let note = if stated == year {
                String::new()
            } else {
                format!("table states {stated}, the report {year}")
            };
            checks.push(verdict(
                "year_agreement",
                &table.key,
                &table.key,
                stated == year,
                note,
            ));
        }
        if let Some(department) = &table.department {
            let (stated, report) = (normalise(department), normalise(&record.department));
            let agrees = stated == report;
            // a name cut short by a line break in the table header
            let abbreviated = !agrees
                && stated.chars().count() >= 4
                && (report.contains(&stated) || stated.contains(&report));
            let note = if agrees {
                String::new()
            } else if abbreviated {
                format!(
                    "table states {department:?}, part of the report's {:?}",
                    record.department
                )
            } else {
                format!(
                    "table states {department:?}, the report {:?}",
                    record.department
                )
            };
            checks.push(verdict(
                "department_agreement",
                &table.key,
                &table.key,
                agrees || abbreviated,
                note,
            ));
        }
    }
}

//! `report.toml`: the recognisers of a whole report — department, year,
//! unit, markers, header words, note lines, empty-table statements,
//! placeholders and the years the text must state.

use super::{compile_regexes, normalised, require_group, PatternError};
use crate::model::ReportKind;
use regex::Regex;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReportFile {
    pub(super) department: Vec<String>,
    pub(super) department_beside: Vec<String>,
    pub(super) department_title: Vec<String>,
    pub(super) year: Vec<String>,
    pub(super) title_year: Vec<String>,
    pub(super) unit: Vec<String>,
    pub(super) marker: Vec<String>,
    pub(super) final_words: Vec<String>,
    pub(super) budget_words: Vec<String>,
    pub(super) label_headers: Vec<String>,
    pub(super) unit_row_words: Vec<String>,
    pub(super) row_number_headers: Vec<String>,
    #[serde(default)]
    pub(super) look_alikes: Vec<String>,
    #[serde(default)]
    pub(super) text_headers: Vec<String>,
    pub(super) column_number_rows: Vec<String>,
    pub(super) total_labels: Vec<String>,
    pub(super) note_prefixes: Vec<String>,
    pub(super) statement_endings: Vec<String>,
    pub(super) text_note_prefixes: Vec<String>,
    pub(super) title_prefix_stopwords: Vec<String>,
    pub(super) other_titles: Vec<String>,
    pub(super) empty_statements: Vec<String>,
    pub(super) placeholders: Vec<String>,
    pub(super) year_statements: Vec<YearStatementDef>,
    pub(super) title_grammar: TitleGrammarDef,
}

/// How a printed title is taken apart (`[title_grammar]`): what may stand
/// before and after the subject that names the table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TitleGrammarDef {
    pub(super) prefixes: Vec<String>,
    pub(super) cut_at: Vec<String>,
    pub(super) endings: Vec<String>,
    pub(super) function_words: Vec<String>,
    pub(super) economic_words: Vec<String>,
    pub(super) fund_names: Vec<String>,
    pub(super) appropriation_words: Vec<String>,
    pub(super) max_prefix_chars: usize,
    pub(super) section_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct YearStatementDef {
    pub(super) kind: KindOrAny,
    pub(super) offset: i32,
    pub(super) regex: String,
}

/// `final`, `budget` or `any` report kind.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum KindOrAny {
    Any,
    Final,
    Budget,
}

impl KindOrAny {
    fn report_kind(self) -> Option<ReportKind> {
        match self {
            KindOrAny::Any => None,
            KindOrAny::Final => Some(ReportKind::Final),
            KindOrAny::Budget => Some(ReportKind::Budget),
        }
    }
}

/// A year stated in the text and the year it must be, relative to the report.
#[derive(Debug, Clone)]
pub struct YearStatement {
    /// `None`: any report kind.
    pub kind: Option<ReportKind>,
    pub offset: i32,
    pub regex: Regex,
}

/// Document-level recognisers, compiled.
#[derive(Debug, Clone)]
pub struct ReportPatterns {
    pub department: Vec<Regex>,
    /// A department cell without its colon, read only beside a year or
    /// unit statement in the same row.
    pub department_beside: Vec<Regex>,
    pub department_title: Vec<Regex>,
    pub year: Vec<Regex>,
    pub title_year: Vec<Regex>,
    pub unit: Vec<Regex>,
    pub marker: Vec<Regex>,
    pub final_words: Vec<String>,
    pub budget_words: Vec<String>,
    pub label_headers: Vec<String>,
    /// Words in the header of a label column whose rows are budget units
    /// (单位名称, 预算单位), not classification codes: such rows get the line
    /// `unit`.
    pub unit_row_words: Vec<String>,
    pub row_number_headers: Vec<String>,
    /// Characters OCR reads as others (支 as 文): a label read equally near
    /// two words is the one its misread characters are look-alikes of.
    /// Each pair: the printed character, then its reading.
    pub look_alikes: Vec<(char, char)>,
    /// Headers of columns of words, not money (绩效目标 beside a project's
    /// amounts): their cells are neither figures nor the row's name.
    pub text_headers: Vec<String>,
    pub column_number_rows: Vec<String>,
    pub total_labels: Vec<String>,
    pub note_prefixes: Vec<String>,
    /// Endings that complete a `：` statement in a header (单位：万元,
    /// 部门：…局).
    pub statement_endings: Vec<String>,
    /// Lines that begin a table's notes in text laid out with spaces.
    pub text_note_prefixes: Vec<String>,
    pub title_prefix_stopwords: Vec<String>,
    pub other_titles: Vec<String>,
    /// Regexes, on the normalised notes, that say a table is empty.
    pub empty_statements: Vec<Regex>,
    pub placeholders: Vec<Regex>,
    pub year_statements: Vec<YearStatement>,
    pub title_grammar: TitleGrammar,
}

/// The title grammar, compiled: [marker or ordinal] [year] [body] subject
/// [endings] [qualifiers in brackets] [a statement such as 单位：万元].
#[derive(Debug, Clone)]
pub struct TitleGrammar {
    /// Regexes removed from the title's start, repeatedly (一、, 表1：,
    /// 公开表3, 预算01表).
    pub prefixes: Vec<Regex>,
    /// Regexes at which a statement printed after the title begins: the
    /// title ends there.
    pub cut_at: Vec<Regex>,
    /// Words removed from the end, repeatedly, longest first (表, 总体情况,
    /// 明细, 预算, 功能分类 …): what is left ends with the subject.
    pub endings: Vec<String>,
    /// Words of a qualifier (in brackets or among the endings) that say the
    /// rows are function classes, or economic classes.
    pub function_words: Vec<String>,
    pub economic_words: Vec<String>,
    /// Fund names that contain 预算 without making a title a budget's
    /// (一般公共预算, 政府性基金预算 …).
    pub fund_names: Vec<String>,
    /// Words that may follow a fund's name without changing what the
    /// title is about (一般公共预算财政拨款支出 = 一般公共预算支出).
    pub appropriation_words: Vec<String>,
    /// The longest [year][body] text allowed before the subject.
    pub max_prefix_chars: usize,
    /// Words a heading over a whole set of tables ends with once its
    /// endings are off (2026年部门预算公开表 → …公开), not one table's.
    pub section_words: Vec<String>,
}

/// Words in the order they are to be tried: the longest first.
fn longest_first(mut words: Vec<String>) -> Vec<String> {
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words
}

pub(super) fn compile_report(
    file: &str,
    report: ReportFile,
) -> Result<ReportPatterns, PatternError> {
    // regexes, each required to capture the named group the detector reads
    let with_group = |key: &str, sources: &[String], group: &str| {
        let regexes = compile_regexes(file, key, sources)?;
        require_group(file, key, &regexes, group)?;
        Ok::<_, PatternError>(regexes)
    };
    let department = with_group("department", &report.department, "name")?;
    let department_beside = with_group("department_beside", &report.department_beside, "name")?;
    let department_title = with_group("department_title", &report.department_title, "name")?;
    let year = with_group("year", &report.year, "year")?;
    let title_year = with_group("title_year", &report.title_year, "year")?;
    let unit = with_group("unit", &report.unit, "unit")?;
    let marker = with_group("marker", &report.marker, "number")?;
    let grammar = &report.title_grammar;
    let title_grammar = TitleGrammar {
        prefixes: compile_regexes(file, "title_grammar.prefixes", &grammar.prefixes)?,
        cut_at: compile_regexes(file, "title_grammar.cut_at", &grammar.cut_at)?,
        endings: longest_first(normalised(&grammar.endings)),
        function_words: normalised(&grammar.function_words),
        economic_words: normalised(&grammar.economic_words),
        fund_names: normalised(&grammar.fund_names),
        max_prefix_chars: grammar.max_prefix_chars,
        appropriation_words: longest_first(normalised(&grammar.appropriation_words)),
        section_words: normalised(&grammar.section_words),
    };
    Ok(ReportPatterns {
        title_grammar,
        department,
        department_beside,
        department_title,
        year,
        title_year,
        unit,
        marker,
        final_words: normalised(&report.final_words),
        budget_words: normalised(&report.budget_words),
        label_headers: normalised(&report.label_headers),
        unit_row_words: normalised(&report.unit_row_words),
        row_number_headers: normalised(&report.row_number_headers),
        look_alikes: look_alikes(file, &report.look_alikes)?,
        text_headers: normalised(&report.text_headers),
        column_number_rows: normalised(&report.column_number_rows),
        total_labels: normalised(&report.total_labels),
        note_prefixes: normalised(&report.note_prefixes),
        statement_endings: normalised(&report.statement_endings),
        text_note_prefixes: normalised(&report.text_note_prefixes),
        title_prefix_stopwords: normalised(&report.title_prefix_stopwords),
        other_titles: normalised(&report.other_titles),
        empty_statements: compile_regexes(file, "empty_statements", &report.empty_statements)?,
        placeholders: compile_regexes(file, "placeholders", &report.placeholders)?,
        year_statements: report
            .year_statements
            .iter()
            .map(|def| {
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
                    kind: def.kind.report_kind(),
                    offset: def.offset,
                    regex,
                })
            })
            .collect::<Result<_, _>>()?,
    })
}

/// `look_alikes`' pairs: each entry two characters, printed and read.
fn look_alikes(file: &str, entries: &[String]) -> Result<Vec<(char, char)>, PatternError> {
    entries
        .iter()
        .map(|entry| match entry.chars().collect::<Vec<char>>()[..] {
            [printed, read] if printed != read => Ok((printed, read)),
            _ => Err(super::invalid(
                file,
                "look_alikes",
                format!("{entry:?} is not two different characters (printed, then read)"),
            )),
        })
        .collect()
}

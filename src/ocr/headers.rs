//! The column headers of a table read by OCR set right against the
//! table's own words, once detection knows which table it is.
//!
//! The lexicon ([`super::lexicon`]) sets a label right only when one word
//! of all the patterns is that near: 本年支出台计 is one character from
//! 支出决算表's 本年支出合计 and from 收入支出决算总表's 本年支出小计, and is
//! left. Within its table only one of them is a header, and a column
//! whose header no pattern names loses its key (its figures are read
//! under the header as printed, with an empty column key).
//!
//! A header cell — a cell above the first figure of its page, all Han
//! but for stray marks (项目支-出: a speck read as a hyphen), three
//! characters or more, not a word of the table — is read as the
//! one column header of the table it is nearest: one character misread
//! inside it (first and last as printed) for three or four characters,
//! or one too many at either end for four (基本支出站: a speck beside it),
//! one character misread, missing or too many for five and more; and no
//! other word of the table (its headers, lines, the report's label and
//! total words) that near. A header of two characters is read as one of
//! the table's with its second misread, its first as printed, when no
//! other word of the table of two characters begins with it (金宽 for a
//! one-column table's 金额: its figures were otherwise under no column,
//! and the table's rows not read). Each page's changes are one warning in
//! `issues.csv`, every change quoted.

use crate::model::{Issue, Row};
use crate::patterns::{Patterns, TablePattern};
use crate::text::{is_han, levenshtein, normalise};
use std::collections::BTreeMap;

/// The shortest header set right with a character inside it misread.
const MIN_CHARS: usize = 3;
/// A header this short is set right only with its last character misread.
const SHORT_CHARS: usize = 2;

/// From this length on, a character may be missing or one too many.
const INDEL_CHARS: usize = 5;

/// Set right the header cells of the tables (each its pattern's key and
/// its rows, as detection found them) on the pages read by OCR
/// (`ocr_pages`); one warning a page that had any.
pub fn set_headers_right<'t>(
    tables: impl IntoIterator<Item = (&'t str, &'t mut [Row])>,
    ocr_pages: &[u32],
    patterns: &Patterns,
) -> Vec<Issue> {
    let mut changes: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (key, rows) in tables {
        let on_ocr_page = |row: &Row| row.page.is_some_and(|p| ocr_pages.contains(&p));
        if !rows.iter().any(on_ocr_page) {
            continue;
        }
        let Some(table) = patterns.table(key) else {
            continue;
        };
        let words = TableWords::of(table, patterns);
        let mut figures_seen: Vec<Option<u32>> = Vec::new();
        for row in rows.iter_mut() {
            let Some(page) = row.page.filter(|p| ocr_pages.contains(p)) else {
                continue;
            };
            if figures_seen.contains(&row.page) {
                continue;
            }
            if row.cells.iter().any(|c| crate::number::has_decimals(c)) {
                figures_seen.push(row.page);
                continue;
            }
            for cell in &mut row.cells {
                let printed = normalise(cell);
                if let Some(right) = words.header_near(&printed) {
                    changes
                        .entry(page)
                        .or_default()
                        .push(format!("{printed} → {right}"));
                    *cell = right;
                }
            }
        }
    }
    super::correct::page_warnings(
        changes,
        "column header(s) read by OCR set to the header of their table they nearly are",
    )
}

/// A table's words, normalised, as characters.
struct TableWords {
    /// Its column headers (each part of a header path, the groups').
    headers: Vec<Vec<char>>,
    /// Every word of the table: headers, line labels, the report's label,
    /// row-number, text and total words.
    all: Vec<Vec<char>>,
}

impl TableWords {
    fn of(table: &TablePattern, patterns: &Patterns) -> TableWords {
        let chars = |w: &String| normalise(w).chars().collect::<Vec<char>>();
        let mut headers: Vec<Vec<char>> = table
            .columns
            .iter()
            .flat_map(|c| c.labels.iter().flatten())
            .chain(
                table
                    .column_groups
                    .iter()
                    .flat_map(|g| g.labels.iter().chain(&g.subtotals)),
            )
            .map(chars)
            .collect();
        headers.sort();
        headers.dedup();
        let report = &patterns.report;
        let mut all: Vec<Vec<char>> = table
            .lines
            .iter()
            .flat_map(|l| &l.labels)
            .chain(&report.label_headers)
            .chain(&report.row_number_headers)
            .chain(&report.text_headers)
            .chain(&report.total_labels)
            .map(chars)
            .chain(headers.iter().cloned())
            .collect();
        all.sort();
        all.dedup();
        TableWords { headers, all }
    }

    /// The one header of the table `printed` is a misreading of, when no
    /// other word of the table is that near.
    fn header_near(&self, printed: &str) -> Option<String> {
        let as_printed: Vec<char> = printed.chars().collect();
        if self.all.contains(&as_printed) {
            return None;
        }
        let chars: Vec<char> = as_printed
            .iter()
            .copied()
            .filter(|c| !is_stray(*c))
            .collect();
        if chars.len() < SHORT_CHARS || !chars.iter().all(|c| is_han(*c)) {
            return None;
        }
        if self.all.contains(&chars) {
            // the header with a stray mark among its characters
            return self
                .headers
                .contains(&chars)
                .then(|| chars.iter().collect());
        }
        let mut near = self.all.iter().filter(|word| misread_as(&chars, word));
        let word = near.next()?;
        (near.next().is_none() && self.headers.contains(word)).then(|| word.iter().collect())
    }
}

/// A mark a scan's reader puts among a header's characters, from a speck
/// or what an erased rule left (项目支-出).
fn is_stray(c: char) -> bool {
    "-_|.,'\"`~!:;·丨“”‘’、，。：".contains(c)
}

/// Whether `printed` is `word` with one character misread: inside it
/// (first and last as printed) under [`INDEL_CHARS`], anywhere and also
/// missing or one too many from there on.
fn misread_as(printed: &[char], word: &[char]) -> bool {
    if word.len() == SHORT_CHARS {
        // 金宽 for 金额: the first as printed (合计 and 小计 are then apart)
        return printed.len() == SHORT_CHARS && printed[0] == word[0] && printed[1] != word[1];
    }
    if word.len() < MIN_CHARS {
        return false;
    }
    // a speck beside a header of four characters or more read as one more
    // (基本支出站)
    if word.len() >= 4
        && printed.len() == word.len() + 1
        && (printed[..word.len()] == *word || printed[1..] == *word)
    {
        return true;
    }
    if printed.len() < INDEL_CHARS || word.len() < INDEL_CHARS {
        return super::lexicon::one_misread_inside(printed, word);
    }
    printed.len().abs_diff(word.len()) <= 1 && levenshtein(printed, word) == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Row;

    fn rows(cells: &[&[&str]]) -> Vec<Row> {
        cells
            .iter()
            .map(|row| Row::new(row.iter().map(|c| c.to_string()).collect(), Some(6)))
            .collect()
    }

    fn texts(rows: &[Row]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.cells.clone()).collect()
    }

    #[test]
    fn a_header_near_one_of_its_tables_headers_is_set_right() {
        let patterns = Patterns::builtin_shared();
        let mut table = rows(&[
            &["项目", "", "本年支出台计", "基本支出", "项目支出"],
            &["科目编码", "科目名称", "", "", ""],
            &["合计", "", "472.39", "332.70", "139.69"],
            // below the first figure: a body row, left as printed
            &["201", "本年支出台计", "368.14", "228.45", "139.69"],
        ]);
        table[0].cells[4] = "项目支-出".to_string();
        table[0].cells[3] = "基本支出站".to_string();
        let issues = set_headers_right([("expenditure", &mut table[..])], &[6], patterns);
        assert_eq!(texts(&table)[0][2], "本年支出合计");
        assert_eq!(texts(&table)[0][3], "基本支出");
        assert_eq!(texts(&table)[0][4], "项目支出");
        assert_eq!(texts(&table)[3][1], "本年支出台计");
        assert_eq!(issues.len(), 1);
        assert!(issues[0].message.contains("本年支出台计 → 本年支出合计"));
    }

    /// The Jiangsu scan's 财政拨款基本支出预算表: one amount column, its
    /// header 金额 read 金宽, and the table's rows not read.
    #[test]
    fn a_two_character_header_with_its_second_misread_is_set_right() {
        let patterns = Patterns::builtin_shared();
        let mut table = rows(&[
            &["科目编码", "科目名称", "金宽"],
            &["合计", "", "11,700.63"],
        ]);
        set_headers_right([("fiscal_basic", &mut table[..])], &[6], patterns);
        assert_eq!(texts(&table)[0][2], "金额");
        // its first misread: left (台汁 begins no word of the table)
        let mut table = rows(&[&["科目编码", "全额", "台汁", "小汁"]]);
        set_headers_right([("fiscal_basic", &mut table[..])], &[6], patterns);
        assert_eq!(texts(&table)[0][1..], ["全额", "台汁", "小计"]);
    }

    #[test]
    fn a_header_is_left_on_a_page_not_read_by_ocr_or_when_two_words_are_that_near() {
        let patterns = Patterns::builtin_shared();
        let header: &[&[&str]] = &[&["项目", "本年支出台计", "基本支出"]];
        let mut table = rows(header);
        assert!(set_headers_right([("expenditure", &mut table[..])], &[5], patterns).is_empty());
        assert_eq!(texts(&table)[0][1], "本年支出台计");
        // 收入支出决算总表 names both 本年支出合计 and 本年支出小计
        assert!(set_headers_right([("summary", &mut table[..])], &[6], patterns).is_empty());
        assert_eq!(texts(&table)[0][1], "本年支出台计");
    }
}

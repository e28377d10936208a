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
//!
//! The line labels of a table of named lines ([`set_lines_right`]) are
//! set right the same way, within their table: a label cell of a body row
//! (at or below the first figure of its page) of four characters or
//! more, all Han but for stray marks, not a word of the table, is read as
//! the one line label of its table it differs from by one character —
//! a character read as its look-alike (`look_alikes` in `report.toml`: 支
//! read 文) not counted — when no other word of the table is as near
//! (文出合计 → 支出合计, 财政拨砍 → 财政拨款, 一、此本文出 → 一、基本支出: the
//! lexicon leaves labels under five characters, and such a row's figures
//! were under no line). Its ordinal stays as printed.

use crate::model::{Issue, Row};
use crate::patterns::{Patterns, Shape, TablePattern};
use crate::text::{is_han, levenshtein, levenshtein_by, normalise, strip_ordinals};
use std::collections::BTreeMap;

/// The shortest header set right with a character inside it misread.
const MIN_CHARS: usize = 3;
/// A header this short is set right only with its last character misread.
const SHORT_CHARS: usize = 2;

/// From this length on, a character may be missing or one too many.
const INDEL_CHARS: usize = 5;

/// Set right the header cells, then the line labels, of the tables (each
/// its pattern's key and its rows, as detection found them) on the pages
/// read by OCR (`ocr_pages`): [`set_headers_right`], [`set_lines_right`].
pub fn set_right<'t>(
    tables: impl IntoIterator<Item = (&'t str, &'t mut [Row])>,
    ocr_pages: &[u32],
    patterns: &Patterns,
) -> Vec<Issue> {
    let mut tables: Vec<(&str, &mut [Row])> = tables.into_iter().collect();
    let headers = tables.iter_mut().map(|(key, rows)| (*key, &mut **rows));
    let mut issues = set_headers_right(headers, ocr_pages, patterns);
    let lines = tables.iter_mut().map(|(key, rows)| (*key, &mut **rows));
    issues.extend(set_lines_right(lines, ocr_pages, patterns));
    issues
}

/// Set right the header cells of the tables (each its pattern's key and
/// its rows, as detection found them) on the pages read by OCR
/// (`ocr_pages`); one warning a page that had any.
pub fn set_headers_right<'t>(
    tables: impl IntoIterator<Item = (&'t str, &'t mut [Row])>,
    ocr_pages: &[u32],
    patterns: &Patterns,
) -> Vec<Issue> {
    let mut changes = Changes::new();
    for (key, rows) in tables {
        let Some(table) = patterns.table(key) else {
            continue;
        };
        let words = TableWords::of(table, patterns);
        for_cells(rows, ocr_pages, Part::Header, &mut changes, |cell| {
            words.header_near(&normalise(cell), &patterns.report.look_alikes)
        });
    }
    super::correct::page_warnings(
        changes,
        "column header(s) read by OCR set to the header of their table they nearly are",
    )
}

/// The shortest line label set right within its table.
const MIN_LINE_CHARS: usize = 4;

/// Set right the line labels of the tables of named lines (each its
/// pattern's key and its rows) on the pages read by OCR (`ocr_pages`),
/// see the module doc; one warning a page that had any.
pub fn set_lines_right<'t>(
    tables: impl IntoIterator<Item = (&'t str, &'t mut [Row])>,
    ocr_pages: &[u32],
    patterns: &Patterns,
) -> Vec<Issue> {
    let mut changes = Changes::new();
    let look_alike = |read: char, printed: char| {
        read == printed || patterns.report.look_alikes.contains(&(printed, read))
    };
    for (key, rows) in tables {
        let Some(table) = patterns
            .table(key)
            .filter(|t| matches!(t.shape, Shape::TwoSided | Shape::Lines))
        else {
            continue;
        };
        let words = TableWords::of(table, patterns);
        for_cells(rows, ocr_pages, Part::Body, &mut changes, |cell| {
            let printed = normalise(cell);
            let label = strip_ordinals(&printed);
            let ordinal = &printed[..printed.len() - label.len()];
            if let Some((number, line)) = point_lost(label) {
                // 1一般公共预算: 1. printed, its point not read
                let right = words.line_of(line, &look_alike)?;
                return Some(format!("{ordinal}{number}.{right}"));
            }
            let right = words.line_near(label, &look_alike)?;
            Some(format!("{ordinal}{right}"))
        });
    }
    super::correct::page_warnings(
        changes,
        "line label(s) read by OCR set to the line of their table they nearly are",
    )
}

/// Each page's changes, quoted.
type Changes = BTreeMap<u32, Vec<String>>;

/// The rows of a table's page a pass looks at: above its first figure, or
/// from it on.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Header,
    Body,
}

/// Each cell of `part` of the rows on pages read by OCR set to what
/// `right` makes of it, each change quoted under its page.
fn for_cells(
    rows: &mut [Row],
    ocr_pages: &[u32],
    part: Part,
    changes: &mut Changes,
    right: impl Fn(&str) -> Option<String>,
) {
    let mut figures_seen: Vec<Option<u32>> = Vec::new();
    for row in rows.iter_mut() {
        let Some(page) = row.page.filter(|p| ocr_pages.contains(p)) else {
            continue;
        };
        if !figures_seen.contains(&row.page)
            && row.cells.iter().any(|c| crate::number::has_decimals(c))
        {
            figures_seen.push(row.page);
        }
        let in_body = figures_seen.contains(&row.page);
        if in_body != (part == Part::Body) {
            continue;
        }
        for cell in &mut row.cells {
            if let Some(set) = right(cell) {
                changes
                    .entry(page)
                    .or_default()
                    .push(format!("{} → {set}", normalise(cell)));
                *cell = set;
            }
        }
    }
}

/// A table's words, normalised, as characters.
struct TableWords {
    /// Its column headers (each part of a header path, the groups'), and
    /// the report's label, row-number and text headers.
    headers: Vec<Vec<char>>,
    /// Its line labels and the report's total words.
    lines: Vec<Vec<char>>,
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
        // a table of named lines may print its lines as columns (the 三公
        // table's 会议费 | 培训费): their labels are headers there
        if table.shape == Shape::Lines {
            headers.extend(table.lines.iter().flat_map(|l| &l.labels).map(chars));
        }
        // and the report's words that head a label, row-number or text
        // column (项日名称 is 项目名称: the label column, not a column of
        // figures under an unknown header)
        let report = &patterns.report;
        headers.extend(
            report
                .label_headers
                .iter()
                .chain(&report.row_number_headers)
                .chain(&report.text_headers)
                .map(chars),
        );
        headers.sort();
        headers.dedup();
        let mut lines: Vec<Vec<char>> = table
            .lines
            .iter()
            .flat_map(|l| &l.labels)
            .chain(&report.total_labels)
            .map(chars)
            .collect();
        lines.sort();
        lines.dedup();
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
        TableWords {
            headers,
            lines,
            all,
        }
    }

    /// The one line label of the table `label` (normalised, no ordinal) is
    /// with one character misread, a look-alike not counted, when no other
    /// word of the table is as near.
    fn line_near(&self, label: &str, look_alike: &impl Fn(char, char) -> bool) -> Option<String> {
        let chars: Vec<char> = label.chars().filter(|c| !is_stray(*c)).collect();
        if chars.len() < MIN_LINE_CHARS
            || !chars.iter().all(|c| is_han(*c))
            || self.all.contains(&chars)
        {
            return None;
        }
        // the nearest (a word read only as look-alikes before one a
        // character off: 文出合计 is 支出合计, not 支出总计), and alone so near
        let near: Vec<(usize, &Vec<char>)> = self
            .all
            .iter()
            .filter(|word| word.len() == chars.len())
            .map(|word| (levenshtein_by(&chars, word, look_alike), word))
            .filter(|(distance, _)| *distance <= 1)
            .collect();
        let nearest = near.iter().map(|(d, _)| *d).min()?;
        let mut at_nearest = near.iter().filter(|(d, _)| *d == nearest);
        let (_, word) = at_nearest.next()?;
        (at_nearest.next().is_none() && self.lines.contains(word)).then(|| word.iter().collect())
    }

    /// The line label of the table `label` is, or the one it nearly is
    /// ([`Self::line_near`]).
    fn line_of(&self, label: &str, look_alike: &impl Fn(char, char) -> bool) -> Option<String> {
        let chars: Vec<char> = label.chars().collect();
        if self.lines.contains(&chars) {
            return Some(label.to_string());
        }
        self.line_near(label, look_alike)
    }

    /// The one header of the table `printed` is a misreading of, when no
    /// other word of the table is that near.
    fn header_near(&self, printed: &str, look_alikes: &[(char, char)]) -> Option<String> {
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
        let mut near = self
            .all
            .iter()
            .filter(|word| misread_as(&chars, word, look_alikes));
        let word = near.next()?;
        (near.next().is_none() && self.headers.contains(word)).then(|| word.iter().collect())
    }
}

/// A label led by a number glued to its first character (1一般公共预算: the
/// point of 1. not read), as the number and the rest; none when the rest
/// is not led by a Han character (a figure, 2019年 …: the caller matches
/// the rest against its table's lines).
fn point_lost(label: &str) -> Option<(&str, &str)> {
    let digits = label.find(|c: char| !c.is_ascii_digit())?;
    let rest = &label[digits..];
    (1..=2).contains(&digits).then_some(())?;
    rest.starts_with(is_han).then_some((&label[..digits], rest))
}

/// A mark a scan's reader puts among a header's characters, from a speck
/// or what an erased rule left (项目支-出).
fn is_stray(c: char) -> bool {
    "-_|.,'\"`~!:;·丨“”‘’、，。：".contains(c)
}

/// Whether `printed` is `word` with one character misread: inside it
/// (first and last as printed) under [`INDEL_CHARS`], anywhere and also
/// missing or one too many from there on; of two characters, the second,
/// or the first read as its look-alike (`look_alikes`, printed and read).
fn misread_as(printed: &[char], word: &[char], look_alikes: &[(char, char)]) -> bool {
    if word.len() == SHORT_CHARS {
        // 金宽 for 金额: the first as printed (合计 and 小计 are then apart),
        // or read as its look-alike (总计 read 恕计) with the second as printed
        return printed.len() == SHORT_CHARS
            && ((printed[0] == word[0] && printed[1] != word[1])
                || (printed[1] == word[1] && look_alikes.contains(&(word[0], printed[0]))));
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

    /// The Jiangsu scan's 收支预算总表: its third label column's 项目名称
    /// read 项日名称, and that column's labels lost (一、基本支出's figure was
    /// read as the function line's beside it).
    #[test]
    fn a_label_columns_header_is_set_right_as_the_reports_label_header() {
        let patterns = Patterns::builtin_shared();
        let mut table = rows(&[
            &[
                "项目名称",
                "金额",
                "功能科目名称",
                "金额",
                "项日名称",
                "金额",
            ],
            &[
                "一、财政拨款",
                "27,664.22",
                "一、一般公共服务支出",
                "22,395.50",
                "一、基本支出",
                "11,700.63",
            ],
        ]);
        set_headers_right([("summary", &mut table[..])], &[6], patterns);
        assert_eq!(texts(&table)[0][4], "项目名称");
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
        // the first read as its look-alike (worn-03's 政府采购预算表: 总计
        // read 恕计, its 39 figures under no column); another first is not
        let mut table = rows(&[
            &["采购品目大类", "采购物品名称", "恕计"],
            &["合计", "", "422.50"],
        ]);
        set_headers_right([("procurement", &mut table[..])], &[6], patterns);
        assert_eq!(texts(&table)[0][2], "总计");
        let mut table = rows(&[
            &["采购品目大类", "采购物品名称", "怒计"],
            &["合计", "", "422.50"],
        ]);
        set_headers_right([("procurement", &mut table[..])], &[6], patterns);
        assert_eq!(texts(&table)[0][2], "怒计");
        // its first misread: left (台汁 begins no word of the table)
        let mut table = rows(&[&["科目编码", "全额", "台汁", "小汁"]]);
        set_headers_right([("fiscal_basic", &mut table[..])], &[6], patterns);
        assert_eq!(texts(&table)[0][1..], ["全额", "台汁", "小计"]);
    }

    /// Labels of the Jiangsu report's worn scans (收支预算总表, 财政拨款收支
    /// 预算总表), as read.
    #[test]
    fn a_line_label_one_character_off_is_its_tables_line() {
        let patterns = Patterns::builtin_shared();
        let mut table = rows(&[
            &["收入", "", "支出", ""],
            &["项目", "预算数", "项目", "预算数"],
            &["一、财政拨砍", "27,664.22", "一、此本文出", "11,700.63"],
            &["", "", "-基本文山", "11,700.63"],
            &["收入合计", "27,664.22", "文出合计", "27,664.22"],
        ]);
        let issues = set_lines_right([("fiscal_summary", &mut table[..])], &[6], patterns);
        assert_eq!(
            texts(&table)[2],
            ["一、财政拨款", "27,664.22", "一、基本支出", "11,700.63"]
        );
        assert_eq!(texts(&table)[3][2], "基本支出");
        assert_eq!(texts(&table)[4][2], "支出合计");
        assert_eq!(issues.len(), 1);
        assert!(issues[0].message.contains("文出合计 → 支出合计"));
        // above the first figure, off a page read by OCR, of a coded table,
        // or as near to two words of the table: as read
        for (key, page, cells) in [
            ("fiscal_summary", 6, ["财政拨砍", "", "", ""]),
            ("fiscal_summary", 5, ["一、财政拨砍", "27,664.22", "", ""]),
            ("fiscal_expenditure", 6, ["财政拨砍", "27,664.22", "", ""]),
            ("fiscal_summary", 6, ["本年收出", "27,664.22", "", ""]),
        ] {
            let mut table = rows(&[&cells]);
            set_lines_right([(key, &mut table[..])], &[page], patterns);
            assert_eq!(texts(&table)[0], cells, "{key} {cells:?}");
        }
    }

    /// The Jiangsu scan's 收支预算总表 read 1.一般公共预算 as 1一般公共预算
    /// (worn-03): its figure was under no line.
    #[test]
    fn a_line_whose_numbers_point_was_not_read_is_its_tables_line() {
        let patterns = Patterns::builtin_shared();
        let mut table = rows(&[
            &["项目名称", "金额"],
            &["一、财政拨款", "27,664.22"],
            &["1一般公共预算", "27,664.22"],
            &["2政府性基金预算", ""],
            &["2019年结转", "1.00"],
            &["3号楼维修", "1.00"],
        ]);
        set_lines_right([("summary", &mut table[..])], &[6], patterns);
        let labels: Vec<String> = texts(&table).iter().map(|r| r[0].clone()).collect();
        assert_eq!(
            labels,
            [
                "项目名称",
                "一、财政拨款",
                "1.一般公共预算",
                "2.政府性基金预算",
                "2019年结转",
                "3号楼维修"
            ]
        );
    }

    /// The Jiangsu scan's 三公 table prints its lines as columns: 培训费
    /// read 培圳费 is its line's header (worn-05, worn-07: 30.00 under none).
    #[test]
    fn a_line_printed_as_a_column_is_a_header_of_its_table() {
        let patterns = Patterns::builtin_shared();
        let mut table = rows(&[
            &["合计", "会议费", "培圳费"],
            &["1,471.70", "933.50", "30.00"],
        ]);
        set_headers_right([("three_public", &mut table[..])], &[6], patterns);
        assert_eq!(texts(&table)[0], ["合计", "会议费", "培训费"]);
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

//! Detect: find the disclosure tables in a document and what the document is.
//!
//! Walks the document's paragraphs and table rows in order and recognises,
//! with the patterns of `patterns/`:
//! - **table titles** (a paragraph, or a row whose only text is the title,
//!   possibly beside its marker). A title matches the longest pattern title
//!   it ends with, unless the text before it holds a word that belongs to a
//!   longer title (`title_prefix_stopwords`): `财政拨款收入支出决算总表` is
//!   `fiscal_summary`, never `summary`;
//! - **number markers** (公开01表, 表1, 附表3, 表三): attached to the title
//!   they stand beside; a marker without a recognised title opens the table
//!   that has that number in the report kind's numbering;
//! - **meta cells** before a table's header: department (部门：…), year
//!   (2023年度), unit (金额单位：万元);
//! - the **report kind**: the kind whose titles are found most, else the
//!   more frequent of 决算/预算 in the text.
//!
//! A table's rows run from its title to the next title, marker or paragraph
//! after its first rows. Titles that match but are followed by no rows (a
//! table of contents) are dropped.

use crate::model::{Block, Document, Issue, ReportKind, Row, Unit};
use crate::patterns::Patterns;
use crate::text::{clean_label, normalise};
use std::collections::BTreeMap;

/// A disclosure table found in a document: its identity and its rows after
/// the title, marker and meta lines (header rows, body rows, notes).
#[derive(Debug, Clone, PartialEq)]
pub struct TableHit {
    pub key: String,
    /// The title as printed, whitespace-normalised.
    pub label: String,
    /// The number marker as printed, or empty.
    pub number: String,
    pub page: Option<u32>,
    pub department: Option<String>,
    pub year: Option<u16>,
    pub unit: Option<Unit>,
    pub rows: Vec<Row>,
    /// Note lines printed under the table as paragraphs (注：本表无数据…).
    pub notes: Vec<String>,
}

/// What detection learned about a document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detection {
    pub report: Option<ReportKind>,
    pub department: Option<String>,
    pub year: Option<u16>,
    /// The first unit stated anywhere: the default for tables that state none.
    pub unit: Option<Unit>,
    /// The year in the report's own title lines (2023年度部门决算).
    pub cover_year: Option<u16>,
    /// Template placeholders found in the text, with their place.
    pub placeholders: Vec<String>,
    /// Years stated in the text that must agree with the report's year.
    pub year_mentions: Vec<crate::model::YearMention>,
    pub tables: Vec<TableHit>,
    pub issues: Vec<Issue>,
}

/// One thing in reading order: a paragraph's text or a table row.
#[derive(Debug, Clone, Copy)]
enum Item<'a> {
    Text(&'a str, Option<u32>),
    Row(&'a Row),
}

impl Item<'_> {
    fn page(&self) -> Option<u32> {
        match self {
            Item::Text(_, page) => *page,
            Item::Row(row) => row.page,
        }
    }
}

/// A marker as printed and the table number it stands for.
#[derive(Debug, Clone, PartialEq)]
struct Marker {
    printed: String,
    number: u32,
}

#[derive(Debug, Clone, PartialEq)]
enum Meta {
    Department(String),
    Year(u16),
    Unit(Unit),
    Marker(Marker),
}

/// What one item is, for the walk.
#[derive(Debug)]
enum Class {
    Title {
        key: String,
        label: String,
        marker: Option<Marker>,
    },
    OtherTitle,
    Marker(Marker),
    Meta(Vec<Meta>),
    Row,
    Paragraph,
    Blank,
}

pub fn detect(doc: &Document, patterns: &Patterns) -> Detection {
    let items = flatten(doc);
    let report = report_kind(&items, patterns);
    let mut walk = Walk::new(patterns, report);
    for item in &items {
        walk.step(item);
    }
    walk.finish_table();
    let mut detection = Detection {
        report,
        tables: walk.tables,
        ..Detection::default()
    };
    fill_document_meta(&mut detection, &items, patterns, &walk.metas);
    detection.cover_year = year_from_text(&items, patterns);
    detection.placeholders = find_placeholders(&items, patterns);
    detection.year_mentions = find_year_mentions(&items, patterns);
    detection
}

/// Years stated in paragraphs (2024年度部门决算, 截至2024年12月31日).
fn find_year_mentions(items: &[Item], patterns: &Patterns) -> Vec<crate::model::YearMention> {
    let mut found = Vec::new();
    for item in items {
        let Item::Text(text, page) = item else {
            continue;
        };
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for statement in &patterns.report.year_statements {
            for caps in statement.regex.captures_iter(&compact) {
                let Ok(year) = caps["year"].parse() else {
                    continue;
                };
                found.push(crate::model::YearMention {
                    year,
                    offset: statement.offset,
                    kind: statement.kind,
                    text: caps[0].to_string(),
                    page: *page,
                });
            }
        }
    }
    found
}

/// Template placeholders (XX局, XXXX年) left in paragraphs or cells.
fn find_placeholders(items: &[Item], patterns: &Patterns) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut note = |text: &str, page: Option<u32>| {
        for regex in &patterns.report.placeholders {
            for m in regex.find_iter(text) {
                let place = page.map(|p| format!("page {p}: ")).unwrap_or_default();
                let entry = format!("{place}{}", m.as_str());
                if found.len() < 10 && !found.contains(&entry) {
                    found.push(entry);
                }
            }
        }
    };
    for item in items {
        match item {
            Item::Text(text, page) => note(text, *page),
            Item::Row(row) => row.cells.iter().for_each(|c| note(c, row.page)),
        }
    }
    found
}

fn flatten(doc: &Document) -> Vec<Item<'_>> {
    let mut items = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) => items.push(Item::Text(&p.text, p.page)),
            Block::Table(t) => items.extend(t.rows.iter().map(Item::Row)),
        }
    }
    items
}

/// The report kind: by the titles found, else by the words used.
fn report_kind(items: &[Item], patterns: &Patterns) -> Option<ReportKind> {
    let mut final_titles = 0;
    let mut budget_titles = 0;
    for item in items {
        if let Some(text) = title_candidate(item, patterns) {
            match match_title(&text, patterns) {
                Some((_, ReportKind::Final)) => final_titles += 1,
                Some((_, ReportKind::Budget)) => budget_titles += 1,
                None => {}
            }
        }
    }
    if final_titles != budget_titles {
        return Some(if final_titles > budget_titles {
            ReportKind::Final
        } else {
            ReportKind::Budget
        });
    }
    let (mut final_words, mut budget_words) = (0, 0);
    for item in items.iter().take(400) {
        let Item::Text(text, _) = item else { continue };
        let text = normalise(text);
        final_words += patterns
            .report
            .final_words
            .iter()
            .map(|w| text.matches(w.as_str()).count())
            .sum::<usize>();
        budget_words += patterns
            .report
            .budget_words
            .iter()
            .map(|w| text.matches(w.as_str()).count())
            .sum::<usize>();
    }
    match final_words.cmp(&budget_words) {
        std::cmp::Ordering::Greater => Some(ReportKind::Final),
        std::cmp::Ordering::Less => Some(ReportKind::Budget),
        std::cmp::Ordering::Equal => None,
    }
}

/// The text of an item that could be a title: a paragraph, or a row with one
/// text cell (and perhaps a marker cell).
fn title_candidate(item: &Item, patterns: &Patterns) -> Option<String> {
    match item {
        Item::Text(text, _) => Some(text.to_string()),
        Item::Row(row) => {
            let cells: Vec<&str> = row.non_empty_cells().map(|(_, c)| c).collect();
            match cells.as_slice() {
                [one] => Some(one.to_string()),
                [a, b] if match_marker(b, patterns).is_some() => Some(a.to_string()),
                [a, b] if match_marker(a, patterns).is_some() => Some(b.to_string()),
                _ => None,
            }
        }
    }
}

/// Match a title: the longest pattern title the text ends with.
pub fn match_title(text: &str, patterns: &Patterns) -> Option<(String, ReportKind)> {
    let normalised = strip_title_decorations(&normalise(text));
    if normalised.chars().count() > 60 || normalised.contains(['。', ',', '，', ';', '；']) {
        return None;
    }
    let mut best: Option<(usize, String, ReportKind)> = None;
    for table in &patterns.tables {
        for kind in [ReportKind::Final, ReportKind::Budget] {
            for title in table.titles(kind) {
                let Some(prefix) = normalised.strip_suffix(title.as_str()) else {
                    continue;
                };
                if patterns
                    .report
                    .title_prefix_stopwords
                    .iter()
                    .any(|w| prefix.contains(w.as_str()))
                {
                    continue;
                }
                if best.as_ref().is_none_or(|(len, _, _)| title.len() > *len) {
                    best = Some((title.len(), table.key.clone(), kind));
                }
            }
        }
    }
    best.map(|(_, key, kind)| (key, kind))
}

/// Drop a trailing `(续)`, `(2023年度)` or `(单位：万元)` from a title.
fn strip_title_decorations(normalised: &str) -> String {
    let mut text = normalised.to_string();
    while text.ends_with(')') {
        match text.rfind('(') {
            Some(open) if open > 0 => text.truncate(open),
            _ => break,
        }
    }
    text
}

fn is_other_title(text: &str, patterns: &Patterns) -> bool {
    let normalised = normalise(text);
    normalised.chars().count() <= 40
        && !normalised.contains('。')
        && patterns
            .report
            .other_titles
            .iter()
            .any(|t| normalised.contains(t.as_str()))
}

fn match_marker(text: &str, patterns: &Patterns) -> Option<Marker> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for regex in &patterns.report.marker {
        if let Some(caps) = regex.captures(&compact) {
            let number = parse_small_number(&caps["number"])?;
            return Some(Marker {
                printed: compact.clone(),
                number,
            });
        }
    }
    None
}

/// `07` → 7, `三` → 3, `十二` → 12.
fn parse_small_number(text: &str) -> Option<u32> {
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// Department, year, unit and marker statements in one cell or line
/// (`部门：X 单位：万元` is two). Empty when the text is something else.
fn match_metas(text: &str, patterns: &Patterns) -> Vec<Meta> {
    let compact: String = crate::number::to_half_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if compact.is_empty() {
        return Vec::new();
    }
    if let Some(marker) = match_marker(&compact, patterns) {
        return vec![Meta::Marker(marker)];
    }
    let unit = patterns.report.unit.iter().find_map(|regex| {
        regex
            .captures(&compact)
            .and_then(|caps| Unit::parse(&caps["unit"]))
    });
    let department = patterns.report.department.iter().find_map(|regex| {
        let caps = regex.captures(&compact)?;
        clean_department(&caps["name"])
    });
    if let Some(name) = department {
        let mut metas = vec![Meta::Department(name)];
        metas.extend(unit.map(Meta::Unit));
        return metas;
    }
    if let Some(unit) = unit {
        // a unit statement alone, not a sentence that mentions one
        if compact.chars().count() <= 24 {
            return vec![Meta::Unit(unit)];
        }
        return Vec::new();
    }
    patterns
        .report
        .year
        .iter()
        .find_map(|regex| {
            regex
                .captures(&compact)
                .and_then(|caps| caps["year"].parse().ok())
        })
        .map(|year| vec![Meta::Year(year)])
        .unwrap_or_default()
}

/// A department name without what a wrapped header line put after it
/// (`江苏省人民检察院单位:万元金额` → `江苏省人民检察院`); `None` when what is
/// left is no name (`单位:万元`, `万元公厅`).
fn clean_department(name: &str) -> Option<String> {
    let cut = ["单位:", "单位：", "金额单位"]
        .iter()
        .filter_map(|m| name.find(m))
        .min()
        .unwrap_or(name.len());
    let name = name[..cut].trim_end_matches(':').trim();
    let is_unit_remnant = ["万元", "千元", "亿元", "元"]
        .iter()
        .any(|u| name.starts_with(u));
    (!name.is_empty() && !is_unit_remnant).then(|| name.to_string())
}

/// All cells of a row are meta statements.
fn row_metas(row: &Row, patterns: &Patterns) -> Option<Vec<Meta>> {
    let mut metas = Vec::new();
    for (_, cell) in row.non_empty_cells() {
        let found = match_metas(cell, patterns);
        if found.is_empty() {
            return None;
        }
        metas.extend(found);
    }
    (!metas.is_empty()).then_some(metas)
}

struct Walk<'p> {
    patterns: &'p Patterns,
    report: Option<ReportKind>,
    current: Option<TableHit>,
    pending_marker: Option<Marker>,
    tables: Vec<TableHit>,
    /// Every meta statement seen, for the document-level fallbacks.
    metas: Vec<Meta>,
    /// Short paragraphs still taken as notes of the table just read: a note
    /// block below a table (注：… then 本表金额… 如本表为空…) is several
    /// paragraphs when the table's notes are not cells of the table.
    note_lines_left: usize,
}

/// Paragraphs after a 注 paragraph that continue the notes, and their length.
const NOTE_CONTINUATION_LINES: usize = 3;
const NOTE_CONTINUATION_CHARS: usize = 60;

impl<'p> Walk<'p> {
    fn new(patterns: &'p Patterns, report: Option<ReportKind>) -> Self {
        Walk {
            patterns,
            report,
            current: None,
            pending_marker: None,
            tables: Vec::new(),
            metas: Vec::new(),
            note_lines_left: 0,
        }
    }

    fn classify(&self, item: &Item) -> Class {
        if let Some(text) = title_candidate(item, self.patterns) {
            if let Some((key, _)) = match_title(&text, self.patterns) {
                let marker = match item {
                    Item::Row(row) => row
                        .non_empty_cells()
                        .find_map(|(_, c)| match_marker(c, self.patterns)),
                    Item::Text(..) => None,
                };
                return Class::Title {
                    key,
                    label: clean_label(&text.replace('\n', " ")),
                    marker,
                };
            }
            if is_other_title(&text, self.patterns) {
                return Class::OtherTitle;
            }
        }
        match item {
            Item::Text(text, _) if text.trim().is_empty() => Class::Blank,
            Item::Text(text, _) => {
                let mut metas = match_metas(text, self.patterns);
                match metas.pop() {
                    Some(Meta::Marker(marker)) if metas.is_empty() => Class::Marker(marker),
                    Some(meta) => {
                        metas.push(meta);
                        Class::Meta(metas)
                    }
                    None => Class::Paragraph,
                }
            }
            Item::Row(row) if row.is_blank() => Class::Blank,
            Item::Row(row) => match row_metas(row, self.patterns) {
                Some(metas) if metas.len() == 1 && matches!(metas[0], Meta::Marker(_)) => {
                    let Some(Meta::Marker(marker)) = metas.into_iter().next() else {
                        unreachable!()
                    };
                    Class::Marker(marker)
                }
                Some(metas) => Class::Meta(metas),
                None => Class::Row,
            },
        }
    }

    fn step(&mut self, item: &Item) {
        let class = self.classify(item);
        if self.note_lines_left > 0 && !matches!(class, Class::Paragraph | Class::Blank) {
            // the notes ended the table: what follows is not part of it
            self.note_lines_left = 0;
            self.finish_table();
        }
        match class {
            Class::Title { key, .. }
                if self
                    .current
                    .as_ref()
                    .is_some_and(|h| h.key == key && !h.rows.is_empty()) =>
            {
                // the title repeated over the continuation of the same table (…（续）)
            }
            Class::Title { key, label, marker } => {
                self.finish_table();
                let marker = marker.or_else(|| self.pending_marker.take());
                self.open(key, label, marker, item.page());
            }
            Class::OtherTitle => {
                self.finish_table();
                self.pending_marker = None;
            }
            Class::Marker(marker) => match self.current.as_mut() {
                Some(hit) if hit.rows.is_empty() && hit.number.is_empty() => {
                    hit.number = marker.printed
                }
                _ => {
                    self.finish_table();
                    self.pending_marker = Some(marker);
                }
            },
            Class::Meta(metas) => {
                if let Some(hit) = self.current.as_mut().filter(|h| h.rows.is_empty()) {
                    apply_metas(hit, &metas);
                }
                self.metas.extend(metas);
            }
            Class::Row => {
                if self.current.is_none() {
                    self.open_by_pending_marker(item.page());
                }
                if let (Some(hit), Item::Row(row)) = (self.current.as_mut(), item) {
                    hit.rows.push((*row).clone());
                }
            }
            Class::Paragraph => {
                if let (Some(hit), Item::Text(text, _)) = (self.current.as_mut(), item) {
                    let normalised = normalise(text);
                    let is_note = self
                        .patterns
                        .report
                        .note_prefixes
                        .iter()
                        .any(|p| normalised.starts_with(p.as_str()));
                    let continues = self.note_lines_left > 0
                        && normalised.chars().count() <= NOTE_CONTINUATION_CHARS;
                    if (is_note || continues) && !hit.rows.is_empty() {
                        hit.notes.push(text.trim().to_string());
                        self.note_lines_left = if is_note {
                            NOTE_CONTINUATION_LINES
                        } else {
                            self.note_lines_left - 1
                        };
                        self.pending_marker = None;
                        return;
                    }
                }
                self.note_lines_left = 0;
                if self.current.as_ref().is_some_and(|h| !h.rows.is_empty()) {
                    self.finish_table();
                }
                self.pending_marker = None;
            }
            Class::Blank => {}
        }
    }

    fn open(&mut self, key: String, label: String, marker: Option<Marker>, page: Option<u32>) {
        self.current = Some(TableHit {
            key,
            label,
            number: marker.map(|m| m.printed).unwrap_or_default(),
            page,
            department: None,
            year: None,
            unit: None,
            rows: Vec::new(),
            notes: Vec::new(),
        });
    }

    /// A marker with no title before rows: the table with that number.
    fn open_by_pending_marker(&mut self, page: Option<u32>) {
        let (Some(marker), Some(kind)) = (self.pending_marker.take(), self.report) else {
            return;
        };
        let Some(table) = self
            .patterns
            .tables
            .iter()
            .find(|t| t.number(kind) == Some(marker.number))
        else {
            return;
        };
        let key = table.key.clone();
        self.open(key, String::new(), Some(marker), page);
    }

    fn finish_table(&mut self) {
        if let Some(hit) = self.current.take() {
            if hit.rows.iter().any(|r| !r.is_blank()) {
                self.tables.push(hit);
            }
        }
    }
}

fn apply_metas(hit: &mut TableHit, metas: &[Meta]) {
    for meta in metas {
        match meta {
            Meta::Department(name) => hit.department = Some(name.clone()),
            Meta::Year(year) => hit.year = Some(*year),
            Meta::Unit(unit) => hit.unit = Some(*unit),
            Meta::Marker(marker) if hit.number.is_empty() => hit.number = marker.printed.clone(),
            Meta::Marker(_) => {}
        }
    }
}

/// The most frequent value, ties broken by first appearance.
fn most_common<T: Clone + Ord>(values: impl IntoIterator<Item = T>) -> Option<T> {
    let mut counts: BTreeMap<T, (usize, usize)> = BTreeMap::new();
    for (index, value) in values.into_iter().enumerate() {
        let entry = counts.entry(value).or_insert((0, index));
        entry.0 += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(value, _)| value)
}

fn fill_document_meta(
    detection: &mut Detection,
    items: &[Item],
    patterns: &Patterns,
    metas: &[Meta],
) {
    let unit_of = |m: &Meta| match m {
        Meta::Unit(u) => Some(*u),
        _ => None,
    };
    detection.unit = metas.iter().find_map(unit_of);
    detection.department =
        most_common(detection.tables.iter().filter_map(|t| t.department.clone()))
            .or_else(|| {
                metas.iter().find_map(|m| match m {
                    Meta::Department(d) => Some(d.clone()),
                    _ => None,
                })
            })
            .or_else(|| department_from_title(items, patterns));
    detection.year = most_common(detection.tables.iter().filter_map(|t| t.year))
        .or_else(|| year_from_text(items, patterns))
        .or_else(|| {
            metas.iter().find_map(|m| match m {
                Meta::Year(y) => Some(*y),
                _ => None,
            })
        });
    for hit in &mut detection.tables {
        if hit.unit.is_none() {
            hit.unit = detection.unit;
        }
    }
}

/// The department named in the report's title (上海市普陀区财政局2024年度部门决算),
/// also when the title is split over two lines.
fn department_from_title(items: &[Item], patterns: &Patterns) -> Option<String> {
    let texts: Vec<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Text(text, _) => Some(
                text.chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>(),
            ),
            Item::Row(_) => None,
        })
        .filter(|t| !t.is_empty())
        .take(12)
        .collect();
    let candidates = texts.iter().cloned().chain(
        texts
            .windows(2)
            .map(|pair| format!("{}{}", pair[0], pair[1])),
    );
    for text in candidates {
        for regex in &patterns.report.department_title {
            if let Some(caps) = regex.captures(&text) {
                return Some(caps["name"].to_string());
            }
        }
    }
    None
}

/// A year in a line that also says 决算 or 预算 (`2023年度部门决算`).
fn year_from_text(items: &[Item], patterns: &Patterns) -> Option<u16> {
    let words: Vec<&str> = patterns
        .report
        .final_words
        .iter()
        .chain(&patterns.report.budget_words)
        .map(String::as_str)
        .collect();
    items.iter().take(200).find_map(|item| {
        let Item::Text(text, _) = item else {
            return None;
        };
        if !words.iter().any(|w| text.contains(w)) {
            return None;
        }
        patterns
            .report
            .title_year
            .iter()
            .find_map(|regex| regex.captures(text).and_then(|c| c["year"].parse().ok()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(text: &str) -> Option<String> {
        match_title(text, &Patterns::builtin()).map(|(key, _)| key)
    }

    #[test]
    fn longest_title_wins_and_stopwords_guard_shorter_ones() {
        assert_eq!(title("收入支出决算总表").as_deref(), Some("summary"));
        assert_eq!(
            title("财政拨款收入支出决算总表").as_deref(),
            Some("fiscal_summary")
        );
        assert_eq!(title("支出决算表").as_deref(), Some("expenditure"));
        assert_eq!(
            title("一般公共预算财政拨款支出决算表").as_deref(),
            Some("gpb_expenditure")
        );
        assert_eq!(
            title("财政拨款“三公经费”支出决算明细表").as_deref(),
            Some("three_public")
        );
        assert_eq!(
            title("政府性基金预算财政拨款支出表(续)").as_deref(),
            Some("gov_fund")
        );
        assert_eq!(
            title("江苏省政协办公厅2019年部门收支总表").as_deref(),
            Some("summary")
        );
        assert_eq!(
            title("2019年财政拨款收支总表").as_deref(),
            Some("fiscal_summary")
        );
        // a longer title of another table must not fall back to a shorter one
        assert_eq!(
            title("某某财政拨款支出决算表").as_deref(),
            Some("fiscal_expenditure")
        );
        assert_eq!(title("某某财政专户支出决算表"), None);
        // narrative sentences are not titles
        assert_eq!(title("本表反映部门本年度各项支出情况。支出决算表"), None);
    }

    #[test]
    fn markers_in_their_printed_forms() {
        let patterns = Patterns::builtin();
        let number = |t: &str| match_marker(t, &patterns).map(|m| m.number);
        assert_eq!(number("公开01表"), Some(1));
        assert_eq!(number("表3"), Some(3));
        assert_eq!(number("附表 9"), Some(9));
        assert_eq!(number("表三"), Some(3));
        assert_eq!(number("表十二"), Some(12));
        assert_eq!(number("表格"), None);
    }

    #[test]
    fn meta_cells() {
        let patterns = Patterns::builtin();
        assert_eq!(
            match_metas("金额单位：万元", &patterns),
            [Meta::Unit(Unit::TenThousandYuan)]
        );
        assert_eq!(match_metas("单位：元", &patterns), [Meta::Unit(Unit::Yuan)]);
        assert_eq!(match_metas("2023年度", &patterns), [Meta::Year(2023)]);
        assert_eq!(
            match_metas("部门：辽宁省 盘锦市", &patterns),
            [Meta::Department("辽宁省盘锦市".into())]
        );
        assert_eq!(
            match_metas(
                "部 门 ： 中 共 江 苏 省 委 办 公 厅 单 位 ： 万 元",
                &patterns
            ),
            [
                Meta::Department("中共江苏省委办公厅".into()),
                Meta::Unit(Unit::TenThousandYuan)
            ]
        );
        assert_eq!(
            match_metas("单位：万元部门：江苏省政协办公厅", &patterns),
            [
                Meta::Department("江苏省政协办公厅".into()),
                Meta::Unit(Unit::TenThousandYuan)
            ]
        );
        assert_eq!(
            match_metas("预算主管部门：上海市普陀区司法局", &patterns),
            [Meta::Department("上海市普陀区司法局".into())]
        );
        assert_eq!(match_metas("项目", &patterns), []);
        let sentence = "本表金额单位：万元，因四舍五入可能存在尾差，合计数与分项之和可能不等。";
        assert_eq!(match_metas(sentence, &patterns), []);
    }
}

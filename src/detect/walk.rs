//! The walk over a document's items that cuts it into tables: a title or
//! marker opens a table, its meta lines and rows follow, and the next
//! title, marker or paragraph after its first rows ends it.

use super::items::Item;
use super::meta::{apply_metas, match_metas, row_metas, Meta};
use super::title::{
    is_other_title, is_unknown_table_title, match_marker, match_title, match_title_read,
    title_candidate, Marker,
};
use super::TableHit;
use crate::model::ReportKind;
use crate::patterns::Patterns;
use crate::text::{clean_label, normalise};

/// What one item is, for the walk.
pub(super) enum Class {
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

pub(super) struct Walk<'p> {
    pub(super) patterns: &'p Patterns,
    pub(super) report: Option<ReportKind>,
    pub(super) current: Option<TableHit>,
    pub(super) pending_marker: Option<Marker>,
    pub(super) tables: Vec<TableHit>,
    /// Every meta statement seen, for the document-level fallbacks.
    pub(super) metas: Vec<Meta>,
    /// Short paragraphs still taken as notes of the table just read: a note
    /// block below a table (注：… then 本表金额… 如本表为空…) is several
    /// paragraphs when the table's notes are not cells of the table.
    pub(super) note_lines_left: usize,
    /// Pages read by OCR: their titles may have a misread character.
    pub(super) ocr_pages: &'p [u32],
    /// Running heads and feet (normalised): text printed at the top or the
    /// bottom of most pages, which is no paragraph of the report.
    pub(super) furniture: std::collections::HashSet<String>,
    /// Keys of known tables whose title was printed with nothing under it
    /// (a table of contents), each once, in order.
    pub(super) listed: Vec<String>,
    /// On a page read by OCR, rows under no table yet (its title misread
    /// past knowing) and the text last read above them on their page: kept
    /// under `other` once a figure comes, not dropped unseen.
    pub(super) orphans: Orphans,
}

/// Rows of a page read by OCR met with no table open, and the paragraph
/// above them on that page (the title as read).
#[derive(Default)]
pub(super) struct Orphans {
    above: Option<(Option<u32>, String)>,
    rows: Vec<crate::model::Row>,
}

/// The key of a table with figures whose title names no known table.
pub const OTHER_TABLE: &str = "other";

/// Paragraphs after a 注 paragraph that continue the notes, and their length.
pub(super) const NOTE_CONTINUATION_LINES: usize = 3;

pub(super) const NOTE_CONTINUATION_CHARS: usize = 60;

impl<'p> Walk<'p> {
    pub(super) fn new(
        patterns: &'p Patterns,
        report: Option<ReportKind>,
        ocr_pages: &'p [u32],
    ) -> Self {
        Walk {
            patterns,
            report,
            current: None,
            pending_marker: None,
            tables: Vec::new(),
            metas: Vec::new(),
            note_lines_left: 0,
            ocr_pages,
            furniture: std::collections::HashSet::new(),
            listed: Vec::new(),
            orphans: Orphans::default(),
        }
    }

    pub(super) fn classify(&self, item: &Item) -> Class {
        if let Some(text) = title_candidate(item, self.patterns) {
            let read_by_ocr = item.page().is_some_and(|p| self.ocr_pages.contains(&p));
            let title = if read_by_ocr {
                match_title_read(&text, self.patterns)
            } else {
                match_title(&text, self.patterns)
            };
            let unknown = || {
                self.patterns.table(OTHER_TABLE).is_some()
                    && is_unknown_table_title(&text, self.patterns)
            };
            let key = match title {
                Some((key, _)) => key,
                None if is_other_title(&text, self.patterns) => return Class::OtherTitle,
                // a table of no known kind: kept under `other`
                None if unknown() => OTHER_TABLE.to_string(),
                None => return self.classify_body(item),
            };
            return Class::Title {
                key,
                label: clean_label(&text.replace('\n', " ")),
                marker: title_marker(item, &text, self.patterns),
            };
        }
        self.classify_body(item)
    }

    /// What an item that is no title is: blank, a marker, meta lines, a
    /// row or a paragraph.
    fn classify_body(&self, item: &Item) -> Class {
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

    pub(super) fn step(&mut self, item: &Item) {
        let class = match (self.classify(item), item) {
            // a running head between a table's pages does not end it
            (Class::Paragraph, Item::Text(text, _))
                if self.furniture.contains(&normalise(text)) =>
            {
                Class::Blank
            }
            (class, _) => class,
        };
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
                // the table's own marker repeated at the top of a later
                // page: the table continues there (its title and header
                // repeated after it are not a new table)
                Some(hit) if continues_on_new_page(hit, &marker.printed, item.page()) => {}
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
                if let (None, Item::Row(row)) = (&self.current, item) {
                    self.orphan(row);
                }
                if let (Some(hit), Item::Row(row)) = (self.current.as_mut(), item) {
                    hit.rows.push((*row).clone());
                }
            }
            Class::Paragraph => {
                self.paragraph(item);
                let above = match item {
                    Item::Text(text, page) => Some((*page, text.replace('\n', " "))),
                    Item::Row(_) => None,
                };
                self.orphans = Orphans {
                    above,
                    rows: Vec::new(),
                };
            }
            Class::Blank => {}
        }
    }

    /// A paragraph after a table's rows: one of its notes (注：…, the
    /// short lines that continue them, a statement that an empty table is
    /// empty), or the end of the table.
    fn paragraph(&mut self, item: &Item) {
        if let (Some(hit), Item::Text(text, _)) = (self.current.as_mut(), item) {
            let normalised = normalise(text);
            let report = &self.patterns.report;
            let is_note = report
                .note_prefixes
                .iter()
                .any(|p| normalised.starts_with(p.as_str()));
            let short = normalised.chars().count() <= NOTE_CONTINUATION_CHARS;
            let continues = self.note_lines_left > 0 && short;
            // (无政府性基金支出) set under a table printed empty
            let says_empty = short
                && !has_figures(hit)
                && report
                    .empty_statements
                    .iter()
                    .any(|s| s.is_match(&normalised));
            if (is_note || continues || says_empty) && !hit.rows.is_empty() {
                hit.notes.push(text.trim().to_string());
                self.note_lines_left = if is_note {
                    NOTE_CONTINUATION_LINES
                } else {
                    self.note_lines_left.saturating_sub(1)
                };
                self.pending_marker = None;
                return;
            }
        }
        self.note_lines_left = 0;
        // a title with no rows under it, and text on a later page: a line of
        // the table of contents, not a table (the last line of 深圳's
        // contents took the next table it met)
        let title_left_behind = self.current.as_ref().is_some_and(|h| {
            h.rows.is_empty() && matches!((h.page, item.page()), (Some(at), Some(now)) if now > at)
        });
        if title_left_behind || self.current.as_ref().is_some_and(|h| !h.rows.is_empty()) {
            self.finish_table();
        }
        self.pending_marker = None;
    }

    /// A row under no table: on a page read by OCR, kept with the rows
    /// before it on its page, and once one of them has a figure, all opened
    /// as a table of no known kind (`other`) under the text above them —
    /// its title as read, which the parse stage names in an issue.
    fn orphan(&mut self, row: &crate::model::Row) {
        if !row.page.is_some_and(|p| self.ocr_pages.contains(&p)) {
            return;
        }
        if self.orphans.rows.last().is_some_and(|r| r.page != row.page) {
            self.orphans = Orphans::default();
        }
        self.orphans.rows.push(row.clone());
        if !row
            .cells
            .iter()
            .any(|c| crate::number::parse_value(c).is_some())
        {
            return;
        }
        let orphans = std::mem::take(&mut self.orphans);
        let label = orphans
            .above
            .filter(|(page, _)| *page == row.page)
            .map(|(_, text)| text)
            .unwrap_or_default();
        let mut rows = orphans.rows;
        rows.pop();
        self.open(OTHER_TABLE.to_string(), clean_label(&label), None, row.page);
        if let Some(hit) = self.current.as_mut() {
            hit.rows = rows;
        }
    }

    pub(super) fn open(
        &mut self,
        key: String,
        label: String,
        marker: Option<Marker>,
        page: Option<u32>,
    ) {
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
    pub(super) fn open_by_pending_marker(&mut self, page: Option<u32>) {
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

    pub(super) fn finish_table(&mut self) {
        if let Some(hit) = self.current.take() {
            if hit.rows.iter().any(|r| !r.is_blank()) {
                self.tables.push(hit);
            } else if hit.key != OTHER_TABLE && !self.listed.contains(&hit.key) {
                self.listed.push(hit.key);
            }
        }
    }
}

/// The number marker printed with a title: in a cell of its row (表1 |
/// 收支总表), or glued before it (预算11表财政拨款政府购买服务明细表).
fn title_marker(item: &Item, title: &str, patterns: &Patterns) -> Option<Marker> {
    let in_row = match item {
        Item::Row(row) => row
            .non_empty_cells()
            .find_map(|(_, c)| match_marker(c, patterns)),
        Item::Text(..) => None,
    };
    in_row.or_else(|| glued_marker(title, patterns))
}

/// The longest start of a title (at most eight characters, a marker's
/// length) that is a marker, when a title follows it.
fn glued_marker(title: &str, patterns: &Patterns) -> Option<Marker> {
    let chars: Vec<char> = title.trim().chars().collect();
    (2..chars.len().min(9))
        .rev()
        .map(|n| chars[..n].iter().collect::<String>())
        .find_map(|start| match_marker(&start, patterns))
}

/// Whether a table's rows print any figure.
fn has_figures(hit: &TableHit) -> bool {
    hit.rows.iter().any(|r| {
        r.cells
            .iter()
            .any(|c| crate::number::parse_value(c).is_some())
    })
}

/// A marker printed again on a later page than the open table's last row,
/// the same marker as the table's own: the table goes on over that page.
fn continues_on_new_page(hit: &TableHit, printed: &str, page: Option<u32>) -> bool {
    let last_page = hit.rows.last().and_then(|row| row.page);
    !hit.rows.is_empty()
        && !printed.is_empty()
        && normalise(printed) == normalise(&hit.number)
        && matches!((last_page, page), (Some(last), Some(now)) if now > last)
}

/// Texts printed first or last on at least three pages and on at least
/// half the pages that print text (无锡市统计局2026年度部门预算公开 over
/// every page): page furniture, not paragraphs. A table's marker or title
/// repeated over its own pages is far from half the report.
pub(super) fn running_heads_and_feet(items: &[Item]) -> std::collections::HashSet<String> {
    use std::collections::{BTreeMap, HashMap, HashSet};
    let mut ends: BTreeMap<u32, (String, String)> = BTreeMap::new();
    for item in items {
        let (Item::Text(text, Some(page)), false) = (item, item_is_blank(item)) else {
            continue;
        };
        let text = normalise(text);
        ends.entry(*page)
            .and_modify(|(_, last)| *last = text.clone())
            .or_insert_with(|| (text.clone(), text));
    }
    let mut pages_of: HashMap<&str, HashSet<u32>> = HashMap::new();
    for (page, (first, last)) in &ends {
        pages_of.entry(first).or_default().insert(*page);
        pages_of.entry(last).or_default().insert(*page);
    }
    pages_of
        .into_iter()
        .filter(|(_, pages)| pages.len() >= 3 && pages.len() * 2 >= ends.len())
        .map(|(text, _)| text.to_string())
        .collect()
}

fn item_is_blank(item: &Item) -> bool {
    match item {
        Item::Text(text, _) => text.trim().is_empty(),
        Item::Row(row) => row.is_blank(),
    }
}

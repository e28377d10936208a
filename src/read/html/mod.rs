//! The HTML reader: a web page → paragraphs and tables, in page order.
//!
//! - Encoding: a byte-order mark, else the `charset` of a `<meta charset>`
//!   or `<meta http-equiv="Content-Type" content="…; charset=…">` in the
//!   first 4 KiB, else UTF-8 when the bytes are valid UTF-8, else GB18030
//!   (GBK and GB2312 pages are common; GB18030 is their superset). A
//!   declared charset the bytes are not written in is overruled — UTF-8
//!   declared over GBK bytes, GBK declared over UTF-8 — with a warning.
//! - A tolerant tokenizer, not an XML parser: unclosed `<p>`, `<td>`, `<tr>`
//!   and `<br>` are fine; `<script>`, `<style>`, `<head>` content and comments are
//!   skipped; entities (`&nbsp;` → space, `&amp;`, `&#12288;`, `&#x3000;` …)
//!   are decoded; whitespace collapses as a browser shows it.
//! - Tables: `<tr>` rows of `<td>`/`<th>` cells placed on a grid —
//!   `colspan` leaves empty cells after its text, `rowspan` leaves empty
//!   cells below (the text is in the first cell, as the document model
//!   wants); `<br>` and `<p>` inside a cell are lines of the cell. A table
//!   inside a cell becomes lines of that cell (layout tables around data
//!   tables are common).
//! - Text outside tables: block elements (`p`, `div`, `h1`…`h6`, `li`,
//!   `br`, `tr` …) end a paragraph.

mod tokens;

use crate::model::{Block, Document, Paragraph, Row, Table};
pub use tokens::decode_entities;
use tokens::{tokenize, Token};

/// Read an HTML page into the document model; a table whose grid would
/// have more than `max_cells` cells is left out, with an error.
pub fn read(bytes: &[u8], max_cells: usize) -> Document {
    let (text, warning) = decode_checked(bytes);
    let mut builder = Builder {
        max_cells,
        ..Builder::default()
    };
    for token in tokenize(&text) {
        builder.token(token);
    }
    let mut document = builder.finish();
    document.page_issues.extend(warning);
    document
}

/// The page's text in the encoding it declares (see the module doc).
pub fn decode(bytes: &[u8]) -> String {
    decode_checked(bytes).0
}

/// The page's text, and a warning when the declared charset was wrong: a
/// page declared UTF-8 that is not valid UTF-8 is read as GB18030 when that
/// reads it cleanly; a page declared GBK (or another legacy charset) whose
/// bytes are valid UTF-8 with non-ASCII text is read as UTF-8 (such bytes
/// are, in practice, never meant as GBK).
fn decode_checked(bytes: &[u8]) -> (String, Option<crate::model::Issue>) {
    use encoding_rs::{Encoding, GB18030, GBK, UTF_8};
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let text = encoding.decode_without_bom_handling(&bytes[bom..]).0;
        return (text.into_owned(), None);
    }
    let label = declared_charset(&bytes[..bytes.len().min(4096)]);
    let declared = label
        .as_deref()
        .and_then(|l| Encoding::for_label(l.as_bytes()));
    // GBK/GB2312 labels decode as GB18030, their superset
    let declared = declared.map(|e| if e == GBK { GB18030 } else { e });
    let valid_utf8 = std::str::from_utf8(bytes).ok();
    let chosen = match (declared, valid_utf8) {
        (None, Some(_)) => UTF_8,
        (None, None) => GB18030,
        (Some(e), Some(text)) if e != UTF_8 && !text.is_ascii() => UTF_8,
        (Some(e), None) if e == UTF_8 && !GB18030.decode_without_bom_handling(bytes).1 => GB18030,
        (Some(e), _) => e,
    };
    let (text, _) = chosen.decode_without_bom_handling(bytes);
    let warning = match (declared, label) {
        (Some(e), Some(label)) if e != chosen => Some(crate::model::Issue::warning(
            "decode",
            format!(
                "the page declares charset {label:?} but is not written in it: read as {}",
                chosen.name()
            ),
        )),
        _ => None,
    };
    (text.into_owned(), warning)
}

fn declared_charset(head: &[u8]) -> Option<String> {
    let lower: String = head
        .iter()
        .map(|&b| (b as char).to_ascii_lowercase())
        .collect();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<meta") {
        let start = from + at;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = tag.find("charset") {
            let value = tag[c + "charset".len()..].trim_start_matches(|ch: char| {
                ch == '=' || ch.is_whitespace() || ch == '"' || ch == '\''
            });
            let label: String = value
                .chars()
                .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '-' || *ch == '_')
                .collect();
            if !label.is_empty() {
                return Some(label);
            }
        }
        from = end;
    }
    None
}

const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "br",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "center",
    "dd",
    "dt",
    "caption",
];

#[derive(Debug, Default)]
struct Cell {
    text: String,
    colspan: usize,
    rowspan: usize,
}

#[derive(Debug, Default)]
struct TableBuilder {
    rows: Vec<Vec<Cell>>,
    row: Option<Vec<Cell>>,
    cell: Option<Cell>,
}

impl TableBuilder {
    fn end_cell(&mut self) {
        if let Some(mut cell) = self.cell.take() {
            cell.text = cell.text.trim().to_string();
            self.row.get_or_insert_with(Vec::new).push(cell);
        }
    }

    fn end_row(&mut self) {
        self.end_cell();
        if let Some(row) = self.row.take() {
            self.rows.push(row);
        }
    }

    /// Rows on the grid: colspan and rowspan leave empty cells. A grid the
    /// spans would make larger than `max_cells` (the `table-cells` limit)
    /// is refused before it is allocated (a 49 KB page of `colspan=1000
    /// rowspan=1000` cells would otherwise take all memory).
    fn finish(mut self, max_cells: usize) -> Result<Vec<Row>, String> {
        self.end_row();
        let mut budget = TableBudget::new(max_cells);
        let mut grid: Vec<Vec<Option<String>>> = Vec::new();
        for (r, row) in self.rows.into_iter().enumerate() {
            if grid.len() <= r {
                grid.resize_with(r + 1, Vec::new);
            }
            let mut column = 0;
            for cell in row {
                while grid[r].get(column).is_some_and(Option::is_some) {
                    column += 1;
                }
                let (rows, columns) = (cell.rowspan.clamp(1, 1000), cell.colspan.clamp(1, 1000));
                for dr in 0..rows {
                    if grid.len() <= r + dr {
                        grid.resize_with(r + dr + 1, Vec::new);
                    }
                    let line = &mut grid[r + dr];
                    if line.len() < column + columns {
                        budget.grow(column + columns - line.len())?;
                        line.resize(column + columns, None);
                    }
                    for dc in 0..columns {
                        line[column + dc] = Some(String::new());
                    }
                }
                grid[r][column] = Some(cell.text);
                column += columns;
            }
        }
        let width = grid.iter().map(Vec::len).max().unwrap_or(0);
        TableBudget::new(max_cells).grow(width.saturating_mul(grid.len()))?;
        Ok(grid
            .into_iter()
            .map(|line| {
                let mut cells: Vec<String> =
                    line.into_iter().map(Option::unwrap_or_default).collect();
                cells.resize(width, String::new());
                Row::new(cells, None)
            })
            .filter(|row| !row.is_blank())
            .collect())
    }
}

/// Cells a grid has taken so far, checked before each allocation.
struct TableBudget {
    cells: usize,
    max_cells: usize,
}

impl TableBudget {
    fn new(max_cells: usize) -> TableBudget {
        TableBudget {
            cells: 0,
            max_cells,
        }
    }

    fn grow(&mut self, more: usize) -> Result<(), String> {
        self.cells = self.cells.saturating_add(more);
        if self.cells > self.max_cells {
            return Err(format!(
                "a table whose spans (colspan/rowspan) make more than {} cells was not read (limit table-cells)",
                self.max_cells
            ));
        }
        Ok(())
    }
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    paragraph: String,
    tables: Vec<TableBuilder>,
    /// Why tables were refused (over the cell limit).
    refused: Vec<String>,
    /// The `table-cells` limit.
    max_cells: usize,
}

fn span(attributes: &[(String, String)], name: &str) -> usize {
    attributes
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(1)
}

impl Builder {
    fn token(&mut self, token: Token) {
        match token {
            Token::Text(text) => self.text(&text),
            Token::Open {
                name,
                attributes,
                closed,
            } => self.open(&name, &attributes, closed),
            Token::Close(name) => self.close(&name),
        }
    }

    fn text(&mut self, text: &str) {
        let collapsed = collapse_whitespace(text);
        if collapsed.is_empty() {
            return;
        }
        let target = match self.tables.last_mut() {
            Some(table) => match table.cell.as_mut() {
                Some(cell) => &mut cell.text,
                None => return, // text between cells is not shown
            },
            None => &mut self.paragraph,
        };
        if collapsed == " " {
            if !target.is_empty() && !target.ends_with([' ', '\n']) {
                target.push(' ');
            }
            return;
        }
        if target.ends_with('\n') || target.is_empty() {
            target.push_str(collapsed.trim_start());
        } else {
            target.push_str(&collapsed);
        }
    }

    fn line_break(&mut self) {
        let outside = self.tables.is_empty();
        match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            Some(cell) => {
                // trimmed in place: a copy at each of 400,000 `<br>`s was
                // quadratic
                cell.text.truncate(cell.text.trim_end().len());
                if !cell.text.is_empty() {
                    cell.text.push('\n');
                }
            }
            None if outside => self.end_paragraph(),
            None => {}
        }
    }

    fn open(&mut self, name: &str, attributes: &[(String, String)], closed: bool) {
        match name {
            "table" if !closed => {
                if self.tables.is_empty() {
                    self.end_paragraph();
                }
                self.tables.push(TableBuilder::default());
            }
            "tr" => {
                if let Some(table) = self.tables.last_mut() {
                    table.end_row();
                    table.row = Some(Vec::new());
                }
            }
            "td" | "th" => {
                if let Some(table) = self.tables.last_mut() {
                    table.end_cell();
                    table.cell = Some(Cell {
                        text: String::new(),
                        colspan: span(attributes, "colspan"),
                        rowspan: span(attributes, "rowspan"),
                    });
                }
            }
            name if BLOCK_ELEMENTS.contains(&name) => self.line_break(),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "table" => self.end_table(),
            "tr" => {
                if let Some(table) = self.tables.last_mut() {
                    table.end_row();
                }
            }
            "td" | "th" => {
                if let Some(table) = self.tables.last_mut() {
                    table.end_cell();
                }
            }
            name if BLOCK_ELEMENTS.contains(&name) => self.line_break(),
            _ => {}
        }
    }

    fn end_paragraph(&mut self) {
        let text = self.paragraph.trim().to_string();
        self.paragraph.clear();
        if !text.is_empty() {
            self.blocks
                .push(Block::Paragraph(Paragraph { text, page: None }));
        }
    }

    fn end_table(&mut self) {
        let Some(table) = self.tables.pop() else {
            return;
        };
        let rows = match table.finish(self.max_cells) {
            Ok(rows) => rows,
            Err(message) => {
                self.refused.push(message);
                Vec::new()
            }
        };
        let outermost = self.tables.is_empty();
        match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            Some(cell) => {
                for row in rows {
                    let line: Vec<&str> = row.non_empty_cells().map(|(_, c)| c).collect();
                    if !cell.text.is_empty() && !cell.text.ends_with('\n') {
                        cell.text.push('\n');
                    }
                    cell.text.push_str(&line.join(" "));
                }
            }
            None if outermost && !rows.is_empty() => {
                self.blocks.push(Block::Table(Table { rows }));
            }
            None => {}
        }
    }

    fn finish(mut self) -> Document {
        while !self.tables.is_empty() {
            self.end_table();
        }
        self.end_paragraph();
        let refused = self.refused.into_iter();
        Document {
            pages: None,
            blocks: self.blocks,
            page_issues: refused
                .map(|m| crate::model::Issue::error("decode", m))
                .collect(),
            clipped: Vec::new(),
            ocr_pages: Vec::new(),
            ocr_readings: Vec::new(),
        }
    }
}

/// Runs of whitespace (spaces, tabs, newlines) become one space.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{3000}' {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(document: &Document) -> Vec<Vec<Vec<String>>> {
        document
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t.rows.iter().map(|r| r.cells.clone()).collect()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn spans_are_placed_on_the_grid() {
        let page = r#"<html><head><title>x</title><style>td{}</style></head><body>
            <p>收入决算表</p><p>单位：万元
            <table border=1>
            <tr><th rowspan="2">项目<th colspan=2>本年收入</tr>
            <tr><td>财政<br>拨款</td><td>其他&nbsp;</td></tr>
            <tr><td>合计<td>1,234.50<td>&#50;.00</td></tr>
            </table><!-- <p>注释</p> --><div>注：本表无数据&amp;说明</div></body></html>"#;
        let document = read(page.as_bytes(), 1_000_000);
        assert_eq!(
            rows(&document),
            vec![vec![
                vec!["项目", "本年收入", ""],
                vec!["", "财政\n拨款", "其他"],
                vec!["合计", "1,234.50", "2.00"],
            ]
            .into_iter()
            .map(|r| r.into_iter().map(String::from).collect::<Vec<_>>())
            .collect::<Vec<_>>()]
        );
        let paragraphs: Vec<&str> = document
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            paragraphs,
            ["收入决算表", "单位：万元", "注：本表无数据&说明"]
        );
    }

    /// A cell of 400,000 lines (2 MB) is read whole, line by line.
    /// (Copying the cell at each `<br>` took 9 s; that would show here
    /// as a test that runs for minutes — time is not asserted in tests.)
    #[test]
    fn a_cell_of_many_lines_is_read_in_one_pass() {
        let page = format!(
            "<table><tr><td>{}</td></tr></table>",
            "x <br>".repeat(400_000)
        );
        let document = read(page.as_bytes(), 1_000_000);
        let cell = &rows(&document)[0][0][0];
        assert_eq!(cell.lines().count(), 400_000);
        assert!(cell.lines().all(|line| line == "x"));
    }

    #[test]
    fn the_declared_charset_decides() {
        let (gbk, _, _) = encoding_rs::GBK.encode("<meta charset=gb2312><p>部门：财政局</p>");
        let document = read(&gbk, 1_000_000);
        assert!(matches!(&document.blocks[0], Block::Paragraph(p) if p.text == "部门：财政局"));
        let (gbk, _, _) = encoding_rs::GBK.encode(
            r#"<meta http-equiv="Content-Type" content="text/html; charset=GBK"><p>单位：万元</p>"#,
        );
        assert!(
            matches!(&read(&gbk, 1_000_000).blocks[0], Block::Paragraph(p) if p.text == "单位：万元")
        );
    }
}

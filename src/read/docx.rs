//! The Word (DOCX) reader: `word/document.xml` → paragraphs and tables, in
//! document order.
//!
//! - Text is what `w:t` elements hold; `w:tab` is a space, `w:br`/`w:cr` a
//!   line break (inside a cell: a new line of the cell, as in tab layout).
//!   Deleted text (`w:delText`) and field codes (`w:instrText`) are not text.
//! - A table is rows (`w:tr`) of cells (`w:tc`) placed on the table grid:
//!   `w:gridBefore` leaves empty cells before the first; a cell spanning
//!   `w:gridSpan` columns is its text followed by empty cells; a cell that
//!   continues a vertical merge (`w:vMerge` without `restart`) is empty —
//!   the merged text is in the first cell, as the document model wants.
//!   Header rows (`w:tblHeader`) are ordinary first rows: a Word document
//!   holds them once, however many pages the table runs over. A table
//!   nested in a cell becomes lines of that cell.
//! - Text boxes (`w:txbxContent`) are paragraphs of their own, placed before
//!   the paragraph that anchors them; the `mc:Fallback` copy Word writes
//!   for old readers is skipped, so nothing is read twice.
//! - Footnotes and endnotes (`word/footnotes.xml`, `word/endnotes.xml`)
//!   follow the body as paragraphs.
//!
//! A package without `word/document.xml` is refused with a reason naming the
//! missing part; XML errors name the part and the byte offset.

use crate::decode::container;
use crate::decode::DecodeError;
use crate::model::{Block, Document, Paragraph, Row, Table};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Read a DOCX package into the document model.
pub fn read(bytes: &[u8], limits: &crate::limits::Limits) -> Result<Document, DecodeError> {
    let max_cells = limits.table_cells;
    let limits = &limits.container();
    let mut archive = container::open_zip(bytes, limits)?;
    let body =
        container::read_part(&mut archive, "word/document.xml", limits)?.ok_or_else(|| {
            DecodeError::Package {
                message: "Word package without its main part word/document.xml".to_string(),
            }
        })?;
    // a main part without a document body (zeroed, truncated, not XML) is
    // a damaged file, not a report without tables
    if !body.windows(6).any(|w| w == b":body>" || w == b":body ")
        && !body.windows(6).any(|w| w == b"<body>")
    {
        return Err(DecodeError::Package {
            message: format!(
                "word/document.xml ({} bytes) holds no document body: the file is damaged",
                body.len()
            ),
        });
    }
    let mut blocks = parse_part(&body, "word/document.xml", max_cells)?;
    for part in ["word/footnotes.xml", "word/endnotes.xml"] {
        if let Some(xml) = container::read_part(&mut archive, part, limits)? {
            blocks.extend(parse_part(&xml, part, max_cells)?);
        }
    }
    Ok(Document {
        pages: None,
        blocks,
        page_issues: Vec::new(),
        clipped: Vec::new(),
        ocr_pages: Vec::new(),
        ocr_readings: Vec::new(),
    })
}

#[derive(Debug, Default)]
struct Cell {
    text: String,
    span: usize,
    continues_merge: bool,
}

#[derive(Debug, Default)]
struct TableBuilder {
    rows: Vec<Row>,
    row: Vec<Cell>,
    grid_before: usize,
    cell: Option<Cell>,
    /// Cells of the grid so far, spans included.
    cells: usize,
}

#[derive(Default)]
struct State {
    /// The most cells a table's grid may have, spans included (the
    /// `table-cells` limit): over it the file is refused before the grid
    /// is allocated.
    max_cells: usize,
    /// A table's grid went over `max_cells`.
    over_limit: bool,
    blocks: Vec<Block>,
    /// Open paragraphs: more than one inside a text box.
    paragraphs: Vec<String>,
    /// Open tables; a table inside a cell is flattened into the cell.
    tables: Vec<TableBuilder>,
    in_text: bool,
    /// Depth inside elements whose content is not text (`mc:Fallback`,
    /// `w:delText`, `w:instrText`).
    skipping: usize,
    /// Footnote separators are not text.
    in_separator_note: bool,
}

fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| {
            let raw = a.value.to_string();
            quick_xml::escape::unescape(&raw).map_or(raw.clone(), |v| v.into_owned())
        })
}

fn xml_error(part: &str, offset: u64, error: impl std::fmt::Display) -> DecodeError {
    DecodeError::Package {
        message: format!("{part}: malformed XML at byte {offset}: {error}"),
    }
}

/// Paragraphs and tables of one part (the body, footnotes or endnotes).
pub(crate) fn parse_part(
    xml: &[u8],
    part: &str,
    max_cells: usize,
) -> Result<Vec<Block>, DecodeError> {
    let mut reader = Reader::from_reader(xml);
    let mut state = State {
        max_cells,
        ..State::default()
    };
    let mut buffer = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|e| xml_error(part, reader.buffer_position(), e))?;
        match event {
            Event::Eof => break,
            Event::Start(e) => state.start(&e, false),
            Event::Empty(e) => state.start(&e, true),
            Event::End(e) => state.end(e.local_name().as_ref()),
            Event::Text(t) if state.in_text && state.skipping == 0 => {
                state.text(&t.xml10_content());
            }
            Event::GeneralRef(r) if state.in_text && state.skipping == 0 => {
                let text = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => predefined_entity(&r).to_string(),
                };
                state.text(&text);
            }
            _ => {}
        }
        buffer.clear();
        if state.over_limit {
            return Err(DecodeError::OverLimit {
                message: format!(
                    "{part}: a table whose spans (gridSpan) make more than {max_cells} cells: refused before its grid is built (limit table-cells)"
                ),
            });
        }
    }
    Ok(state.blocks)
}

/// The five entities XML predefines (others do not occur in WordprocessingML).
pub(crate) fn predefined_entity(name: &str) -> &'static str {
    match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    }
}

impl State {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let name = e.local_name();
        let name = name.as_ref();
        if self.skipping > 0 {
            if !empty {
                self.skipping += 1;
            }
            return;
        }
        match name {
            "Fallback" | "delText" | "instrText" if !empty => self.skipping = 1,
            "footnote" | "endnote" => {
                self.in_separator_note = attribute(e, "type")
                    .is_some_and(|t| t == "separator" || t == "continuationSeparator");
            }
            "p" if !empty => self.paragraphs.push(String::new()),
            "t" if !empty => self.in_text = true,
            "tab" if self.in_run_context() => self.text(" "),
            "br" | "cr" if self.in_run_context() => self.text("\n"),
            "tbl" if !empty => self.tables.push(TableBuilder::default()),
            "tr" if !empty => {
                if let Some(table) = self.tables.last_mut() {
                    table.row.clear();
                    table.grid_before = 0;
                }
            }
            "gridBefore" => {
                if let Some(table) = self.tables.last_mut() {
                    table.grid_before = span_value(e);
                }
            }
            "tc" if !empty => {
                if let Some(table) = self.tables.last_mut() {
                    table.cell = Some(Cell {
                        span: 1,
                        ..Cell::default()
                    });
                }
            }
            "gridSpan" => {
                if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    cell.span = span_value(e);
                }
            }
            "vMerge" => {
                if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    cell.continues_merge = attribute(e, "val").is_none_or(|v| v != "restart");
                }
            }
            _ => {}
        }
    }

    fn in_run_context(&self) -> bool {
        !self.paragraphs.is_empty()
    }

    fn end(&mut self, name: &str) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        match name {
            "t" => self.in_text = false,
            "p" => self.end_paragraph(),
            "tc" => {
                if let Some(table) = self.tables.last_mut() {
                    if let Some(mut cell) = table.cell.take() {
                        cell.text = cell.text.trim_end_matches('\n').to_string();
                        table.row.push(cell);
                    }
                }
            }
            "tr" => {
                if let Some(table) = self.tables.last_mut() {
                    let width = table.row.iter().fold(table.grid_before, |width, cell| {
                        width.saturating_add(cell.span.max(1))
                    });
                    table.cells = table.cells.saturating_add(width);
                    let widest = table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
                    let grid = widest.max(width).saturating_mul(table.rows.len() + 1);
                    if table.cells > self.max_cells || grid > self.max_cells {
                        self.over_limit = true;
                        table.row.clear();
                        return;
                    }
                    let mut cells = vec![String::new(); table.grid_before];
                    for cell in table.row.drain(..) {
                        let text = if cell.continues_merge {
                            String::new()
                        } else {
                            cell.text
                        };
                        cells.push(text);
                        cells.extend(std::iter::repeat_n(String::new(), cell.span.max(1) - 1));
                    }
                    table.rows.push(Row::new(cells, None));
                }
            }
            "tbl" => self.end_table(),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_separator_note {
            return;
        }
        if let Some(paragraph) = self.paragraphs.last_mut() {
            paragraph.push_str(text);
        }
    }

    fn end_paragraph(&mut self) {
        let Some(text) = self.paragraphs.pop() else {
            return;
        };
        let cell = self.tables.last_mut().and_then(|t| t.cell.as_mut());
        match cell {
            // a paragraph of a cell (not a text box inside one): a line of the cell
            Some(cell) if self.paragraphs.is_empty() => {
                let line = text.trim();
                if !line.is_empty() {
                    if !cell.text.is_empty() {
                        cell.text.push('\n');
                    }
                    cell.text.push_str(line);
                }
            }
            _ => {
                let text = text.trim();
                if !text.is_empty() {
                    for line in text.split('\n').filter(|l| !l.trim().is_empty()) {
                        self.blocks.push(Block::Paragraph(Paragraph {
                            text: line.trim().to_string(),
                            page: None,
                        }));
                    }
                }
            }
        }
    }

    fn end_table(&mut self) {
        let Some(table) = self.tables.pop() else {
            return;
        };
        let width = table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        let mut rows = table.rows;
        for row in &mut rows {
            row.cells.resize(width, String::new());
        }
        match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            // nested: its rows become lines of the enclosing cell
            Some(cell) => {
                for row in rows {
                    let line = row
                        .cells
                        .iter()
                        .map(|c| c.trim())
                        .filter(|c| !c.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ");
                    if !line.is_empty() {
                        if !cell.text.is_empty() {
                            cell.text.push('\n');
                        }
                        cell.text.push_str(&line);
                    }
                }
            }
            None if !rows.is_empty() => self.blocks.push(Block::Table(Table { rows })),
            None => {}
        }
    }
}

fn span_value(e: &BytesStart<'_>) -> usize {
    attribute(e, "val")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .clamp(1, 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(body: &str) -> Vec<Block> {
        let xml = format!(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>"#
        );
        parse_part(xml.as_bytes(), "word/document.xml", 1_000_000).unwrap()
    }

    fn table(block: &Block) -> Vec<Vec<&str>> {
        match block {
            Block::Table(t) => t
                .rows
                .iter()
                .map(|r| r.cells.iter().map(String::as_str).collect())
                .collect(),
            other => panic!("not a table: {other:?}"),
        }
    }

    #[test]
    fn spans_and_vertical_merges_are_placed_on_the_grid() {
        let b = blocks(concat!(
            "<w:p><w:r><w:t>收入决算表</w:t></w:r></w:p>",
            "<w:tbl>",
            "<w:tr><w:trPr><w:tblHeader/></w:trPr>",
            r#"<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc>"#,
            r#"<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>本年收入</w:t></w:r></w:p></w:tc></w:tr>"#,
            "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>",
            "<w:tc><w:p><w:r><w:t>合计</w:t></w:r></w:p></w:tc>",
            "<w:tc><w:p><w:r><w:t>财政</w:t></w:r></w:p><w:p><w:r><w:t>拨款</w:t></w:r></w:p></w:tc></w:tr>",
            r#"<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t xml:space="preserve">1,234.50</w:t></w:r></w:p></w:tc>"#,
            "<w:tc><w:p><w:r><w:t>&lt;5&gt;</w:t></w:r></w:p></w:tc></w:tr>",
            "</w:tbl>",
        ));
        assert_eq!(b.len(), 2);
        assert!(matches!(&b[0], Block::Paragraph(p) if p.text == "收入决算表"));
        assert_eq!(
            table(&b[1]),
            vec![
                vec!["项目", "本年收入", ""],
                vec!["", "合计", "财政\n拨款"],
                vec!["", "1,234.50", "<5>"],
            ]
        );
    }

    #[test]
    fn text_boxes_are_read_once_and_deleted_text_not_at_all() {
        let b = blocks(concat!(
            "<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice>",
            "<w:drawing><w:txbxContent><w:p><w:r><w:t>单位：万元</w:t></w:r></w:p></w:txbxContent></w:drawing>",
            "</mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>单位：万元</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
            "<w:del><w:r><w:delText>旧数</w:delText></w:r></w:del>",
            "<w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>。</w:t></w:r></w:p>",
        ));
        let texts: Vec<&str> = b
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => p.text.as_str(),
                _ => "",
            })
            .collect();
        assert_eq!(texts, ["单位：万元", "正文。"]);
    }
}

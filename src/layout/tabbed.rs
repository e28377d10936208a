//! The tab layout reader.
//!
//! The format, as written when a report with tables is saved as text:
//! - a table cell is a line starting with TAB; the text after the TAB is the
//!   cell's first paragraph;
//! - a line without a TAB that follows a cell line continues that cell (a
//!   multi-paragraph cell: `运算` / `符号` is the one cell `运算\n符号`);
//! - a blank line ends a row; consecutive rows form one table;
//! - outside a row, a line without a TAB is a paragraph, and a paragraph
//!   ends the current table.
//!
//! Lines holding only spaces count as blank. Example (→ is TAB):
//! ```text
//! 收入决算表
//! →公开02表
//!
//! →合计
//! →472.39
//! ```
//! is a paragraph `收入决算表` and a table of two rows, `[公开02表]` and
//! `[合计, 472.39]`.

use crate::model::{Block, Document, Paragraph, Row, Table};

/// Lay out tab-layout text. Plain text without tabs comes out as paragraphs.
pub fn layout(text: &str) -> Document {
    let mut builder = Builder::default();
    for line in text.split('\n') {
        builder.push_line(line);
    }
    builder.finish()
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    table: Table,
    row: Option<Vec<String>>,
}

impl Builder {
    fn push_line(&mut self, line: &str) {
        if let Some(cell) = line.strip_prefix('\t') {
            self.row
                .get_or_insert_with(Vec::new)
                .push(cell.trim_end().to_string());
        } else if line.trim().is_empty() {
            self.end_row();
        } else if let Some(cells) = self.row.as_mut() {
            let last = cells.last_mut().expect("a row always has a cell");
            last.push('\n');
            last.push_str(line.trim());
        } else {
            self.end_table();
            self.blocks.push(Block::Paragraph(Paragraph {
                text: line.trim().to_string(),
                page: None,
            }));
        }
    }

    fn end_row(&mut self) {
        if let Some(cells) = self.row.take() {
            self.table.rows.push(Row::new(cells, None));
        }
    }

    fn end_table(&mut self) {
        self.end_row();
        if !self.table.rows.is_empty() {
            self.blocks
                .push(Block::Table(std::mem::take(&mut self.table)));
        }
    }

    fn finish(mut self) -> Document {
        self.end_table();
        Document {
            pages: None,
            blocks: self.blocks,
            page_issues: Vec::new(),
            clipped: Vec::new(),
            ocr_pages: Vec::new(),
            ocr_readings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(block: &Block) -> Vec<Vec<String>> {
        match block {
            Block::Table(t) => t.rows.iter().map(|r| r.cells.clone()).collect(),
            Block::Paragraph(p) => vec![vec![format!("P:{}", p.text)]],
        }
    }

    #[test]
    fn paragraphs_rows_and_continued_cells() {
        let doc = layout("收入决算表\n\t公开02表\n\t\n\n \n\t运算\n符号\n\t=\n\n尾\n");
        assert_eq!(doc.blocks.len(), 3);
        assert_eq!(
            cells(&doc.blocks[0]),
            vec![vec!["P:收入决算表".to_string()]]
        );
        assert_eq!(
            cells(&doc.blocks[1]),
            vec![
                vec!["公开02表".to_string(), String::new()],
                vec!["运算\n符号".to_string(), "=".to_string()]
            ]
        );
        assert_eq!(cells(&doc.blocks[2]), vec![vec!["P:尾".to_string()]]);
    }

    #[test]
    fn a_paragraph_line_inside_a_row_group_continues_the_cell_not_the_table() {
        let doc = layout("\t预算项目(政策)绩效自评表\n(2023年度)\n\t\n");
        assert_eq!(
            cells(&doc.blocks[0]),
            vec![vec![
                "预算项目(政策)绩效自评表\n(2023年度)".to_string(),
                String::new()
            ]]
        );
    }
}

//! Layout: text or geometry → the [`Document`](crate::model::Document)
//! model of paragraphs and tables of cells.
//!
//! [`tabbed`] reads the tab layout that word processors and many export
//! tools write for tables (a cell per line starting with TAB, rows
//! separated by blank lines); [`aligned`] text laid out with spaces
//! (`pdftotext -layout`); [`pdf`] positioned glyphs and ruling lines. The
//! structured formats, whose tables are explicit, are read in
//! [`crate::read`].

pub mod aligned;
mod clip;
pub mod pdf;
pub mod tabbed;
mod wrap;

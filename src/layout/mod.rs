//! Layout: decoded content → the [`Document`](crate::model::Document) model of
//! paragraphs and tables of cells.
//!
//! One submodule per kind of layout. [`tabbed`] reads the tab layout that
//! word processors and many export tools write for tables (a cell per line
//! starting with TAB, rows separated by blank lines).

pub mod pdf;
pub mod tabbed;

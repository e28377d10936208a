//! Layout: decoded content → the [`Document`](crate::model::Document) model of
//! paragraphs and tables of cells.
//!
//! One submodule per kind of input: [`tabbed`] reads the tab layout that
//! word processors and many export tools write for tables (a cell per line
//! starting with TAB, rows separated by blank lines); [`aligned`] text laid
//! out with spaces (`pdftotext -layout`); [`pdf`] positioned glyphs;
//! [`docx`] Word documents ([`legacy`] `.doc` through LibreOffice);
//! [`sheet`] Excel workbooks; [`html`] web pages.

pub mod aligned;
pub mod docx;
pub mod html;
pub mod legacy;
pub mod pdf;
pub mod sheet;
pub mod tabbed;

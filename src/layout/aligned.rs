//! Text laid out with spaces (as `pdftotext -layout` writes it).

use crate::model::Document;

/// Lay out decoded text: tab layout when lines start with TAB, else
/// paragraphs.
pub fn layout_text(text: &str) -> Document {
    super::tabbed::layout(text)
}

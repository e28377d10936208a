//! Read: one reader per input format, each from a file's bytes to the one
//! [`Document`] model — the only place a format becomes a document.
//!
//! The format is recognised from content ([`decode::sniff`]), never from the
//! file name. Then:
//!
//! | format | reader |
//! |---|---|
//! | text | [`decode::text`] (encodings) → [`layout::aligned::layout_text`] (tab layout, space-aligned columns or paragraphs) |
//! | PDF | [`decode::pdf`] (positioned glyphs and ruling lines) → [`layout::pdf`] (grids, rows, paragraphs) |
//! | DOCX | [`docx`]: paragraphs and tables of the Word package |
//! | XLSX, XLS | [`sheet`]: a table per sheet |
//! | HTML | [`html`]: paragraphs and tables of the page |
//! | DOC | [`legacy`]: converted to DOCX by LibreOffice, then [`docx`] |
//! | other ZIP and OLE files | refused as unsupported (`skipped`) |
//!
//! `decode` turns bytes into text or glyphs and `layout` turns text or
//! geometry into a document; the structured formats (DOCX, sheets, HTML)
//! carry their tables explicitly and are read into the model here.

pub mod docx;
pub mod html;
pub mod legacy;
pub mod sheet;
mod sheet_cells;
mod sheet_merged;
mod sheet_parts;
mod xls_guard;
mod xls_records;

use crate::decode::{self, DecodeError, Format};
use crate::layout;
use crate::layout::aligned::Words;
use crate::limits::Limits;
use crate::model::Document;
use crate::patterns::Patterns;

/// Decode and lay out a file's bytes into the document model, with every
/// CJK radical or compatibility form as the unified ideograph it stands
/// for (部⻔ → 部门: [`crate::text::unify_ideographs`]), whatever the
/// format.
pub fn read_document(bytes: &[u8], patterns: &Patterns) -> Result<(Format, Document), DecodeError> {
    read_document_within(bytes, patterns, &Limits::default())
}

/// [`read_document`] within the given [`Limits`]: a document whose text
/// has more characters than `limits.chars` is refused.
pub fn read_document_within(
    bytes: &[u8],
    patterns: &Patterns,
    limits: &Limits,
) -> Result<(Format, Document), DecodeError> {
    let (format, mut document) = read_format(bytes, patterns, limits)?;
    check_chars(document.chars(), limits)?;
    document.map_text(crate::text::unify_ideographs);
    Ok((format, document))
}

fn check_chars(chars: usize, limits: &Limits) -> Result<(), DecodeError> {
    if chars > limits.chars {
        return Err(DecodeError::OverLimit {
            message: format!(
                "the document's text has {chars} characters, over the limit of {} (--limit chars=…)",
                limits.chars
            ),
        });
    }
    Ok(())
}

fn read_format(
    bytes: &[u8],
    patterns: &Patterns,
    limits: &Limits,
) -> Result<(Format, Document), DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let format = decode::sniff(bytes);
    match format {
        Format::Text => {
            let text = decode::text::decode_text(bytes)?;
            check_chars(text.text.chars().count(), limits)?;
            Ok((
                format,
                layout::aligned::layout_text(&text.text, &Words::of(&patterns.report)),
            ))
        }
        Format::Html => Ok((format, html::read(bytes, limits.table_cells))),
        Format::Docx => Ok((format, docx::read(bytes, limits)?)),
        Format::Xlsx | Format::Xls => Ok((format, sheet::read(bytes, format, limits)?)),
        Format::Doc => {
            let docx = legacy::convert_doc(bytes)?;
            Ok((format, docx::read(&docx, limits)?))
        }
        Format::Pdf => {
            let mut pdf = decode::pdf::decode(bytes, &limits.pdf())?;
            let ocr = crate::ocr::read_scanned_pages(bytes, &mut pdf, limits.ocr_pixels, patterns);
            if let Some(message) = ocr.not_a_report {
                return Err(DecodeError::NotAReport { message });
            }
            let mut document = layout::pdf::layout(&pdf);
            document.page_issues = decode::pdf::page_issues(&pdf, &|| {
                crate::ocr::tools()
                    .err()
                    .unwrap_or_else(|| "OCR could not read it".to_string())
            });
            document.page_issues.extend(ocr.issues);
            document.ocr_pages = ocr.pages;
            document.ocr_readings = ocr.readings;
            if !document.ocr_pages.is_empty() {
                let lexicon = crate::ocr::lexicon::Lexicon::of(patterns);
                let phrases = crate::ocr::phrases::Phrases::of(patterns, &lexicon);
                let corrected = crate::ocr::correct::correct(&mut document, &lexicon, &phrases);
                document.page_issues.extend(corrected);
            }
            Ok((format, document))
        }
        Format::Ole if !decode::container::ole_directory_present(bytes) => {
            Err(DecodeError::Package {
                message: format!(
                    "damaged Office 97–2003 file ({} bytes): its directory lies beyond the end of the file (truncated?)",
                    bytes.len()
                ),
            })
        }
        other => Err(DecodeError::Unsupported {
            format: other.as_str(),
        }),
    }
}

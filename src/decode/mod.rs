//! Decode: bytes of an input file → text (or, for paged formats, positioned
//! glyphs).
//!
//! The input format is recognised from content, never from the file name:
//! magic bytes for PDF, ZIP and OLE containers (told apart as DOCX/XLSX and
//! DOC/XLS by the parts and streams they hold: [`container`]), markup for
//! HTML, and otherwise text in one of the encodings [`text`] detects.
//! Formats whose reader is not part of this build are reported as such, so a
//! file is never dropped silently.

pub mod container;
pub mod ole;
pub mod pdf;
pub mod text;

use thiserror::Error;

/// What a file is, judged from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Pdf,
    /// A Word document (OOXML package).
    Docx,
    /// An Excel workbook (OOXML package).
    Xlsx,
    /// A Word 97–2003 document (OLE2).
    Doc,
    /// An Excel 97–2003 workbook (OLE2).
    Xls,
    /// Another ZIP archive.
    Zip,
    /// Another OLE2 compound file.
    Ole,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Doc => "doc",
            Format::Xls => "xls",
            Format::Zip => "zip",
            Format::Ole => "ole",
        }
    }
}

/// Why a file could not be decoded at all.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The file has no bytes.
    #[error("empty file (0 bytes)")]
    Empty,
    /// The file holds binary data, not text in any supported encoding.
    #[error("not a text file: binary content at byte {offset}")]
    Binary { offset: usize },
    /// The bytes are text-like but not valid in any supported encoding.
    #[error("undecodable text: not valid UTF-8, UTF-16 or GB18030 (first bad byte at {offset})")]
    Undecodable { offset: usize },
    /// The PDF could not be opened (broken structure, encryption, limits).
    #[error("unreadable PDF: {message}")]
    Pdf { message: String },
    /// The format was recognised but this build has no reader for it.
    #[error("{format} input is recognised but not supported by this build yet")]
    Unsupported { format: &'static str },
    /// A Word or Excel package that cannot be read (broken, a part
    /// missing, refused by the limits).
    #[error("{message}")]
    Package { message: String },
    /// The document is over one of the [`crate::limits::Limits`].
    #[error("{message}")]
    OverLimit { message: String },
    /// A scanned document whose first pages, read by OCR, are not a
    /// budget report's (`crate::ocr::gate`): not read further.
    #[error("{message}")]
    NotAReport { message: String },
    /// A format read only through an external converter, which is missing.
    #[error("{what}: {reason}; convert it with `{command}` and run again")]
    NeedsConverter {
        what: &'static str,
        reason: String,
        command: String,
    },
}

/// Recognise the format of a file from its first bytes.
pub fn sniff(bytes: &[u8]) -> Format {
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_some() {
        return Format::Pdf;
    }
    if head.starts_with(b"PK\x03\x04") {
        return container::zip_kind(bytes);
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return container::ole_kind(bytes);
    }
    if looks_like_html(head) {
        return Format::Html;
    }
    Format::Text
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn looks_like_html(head: &[u8]) -> bool {
    let lower: Vec<u8> = head
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
        .take(256)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || find(&lower, b"<html").is_some()
}

//! Limits: what one document may cost, in one place.
//!
//! Every reader checks these **before** it allocates: a file's bytes before
//! they are read, a package's inflated size before it is inflated, a table's
//! grid (rows × columns after spans) before it is built, a sheet's grid
//! from the cells it holds (never from its declared dimension, nor once for
//! every entry naming it), a sheet's text from what its cells expand to
//! (a shared string once for every cell naming it) before it is copied. A
//! document
//! over a limit is `failed` (nothing could be read) or `partial` (the part
//! over the limit was left out), with the limit named in its `reason`, and
//! the batch goes on.
//!
//! The defaults are far above any real disclosure (a report has a few
//! thousand cells, a few hundred thousand characters and a few thousand
//! facts) and far below what would exhaust a laptop. The rare real giant
//! is let through with `--limit NAME=VALUE` (repeatable); the names are
//! those of [`LIMITS`], which is also the README's table. The limits are
//! part of the run cache's key: a document is read again when they change.

use std::fmt;

/// The limits of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of an input file.
    pub file_bytes: u64,
    /// Bytes a ZIP package (DOCX, XLSX) inflates to, all parts together.
    pub inflated_bytes: u64,
    /// Bytes one part of a ZIP package inflates to.
    pub part_bytes: u64,
    /// Entries of a ZIP package.
    pub zip_entries: usize,
    /// Cells of one table's grid, spans included (HTML, DOCX, a sheet's
    /// cells after blank rows and columns are closed up), and of all a
    /// workbook's sheets together.
    pub table_cells: usize,
    /// Characters of a document's text.
    pub chars: usize,
    /// Facts of one document.
    pub facts: usize,
    /// Pages of a PDF.
    pub pdf_pages: usize,
    /// Bytes of one decoded PDF stream.
    pub pdf_stream_bytes: usize,
    /// Bytes of PDF content interpreted in one document, a Form XObject's
    /// each time it is drawn.
    pub pdf_content_bytes: usize,
    /// Characters placed on the pages of one PDF.
    pub pdf_chars: usize,
    /// Pixels of one scanned page rendered for OCR.
    pub ocr_pixels: usize,
    /// Seconds of wall time one document may take, external programs
    /// included ([`crate::budget`]); 0: no limit.
    pub doc_seconds: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: 256 * 1024 * 1024,
            inflated_bytes: 512 * 1024 * 1024,
            part_bytes: 128 * 1024 * 1024,
            zip_entries: 10_000,
            table_cells: 1_000_000,
            chars: 50_000_000,
            facts: 1_000_000,
            pdf_pages: 5_000,
            pdf_stream_bytes: 64 * 1024 * 1024,
            // the largest report seen interprets 3 MB; whitespace is read
            // at about 800 MB/s, real content at 60
            pdf_content_bytes: 64 * 1024 * 1024,
            // the largest report seen places 93,000; each takes about 75
            // bytes until the document is laid out
            pdf_chars: 4_000_000,
            // an A3 page at 300 dpi is 17 M, a page of 1 m² 140 M
            ocr_pixels: 60_000_000,
            doc_seconds: 600,
        }
    }
}

/// A limit's name (as `--limit` takes it), what it bounds and where it is.
pub struct LimitSpec {
    pub name: &'static str,
    pub bounds: &'static str,
    get: fn(&Limits) -> u64,
    set: fn(&mut Limits, u64),
}

/// Every limit, in the order the README lists them.
pub const LIMITS: &[LimitSpec] = &[
    LimitSpec {
        name: "file-bytes",
        bounds: "bytes of an input file (read no further)",
        get: |l| l.file_bytes,
        set: |l, v| l.file_bytes = v,
    },
    LimitSpec {
        name: "inflated-bytes",
        bounds: "bytes a DOCX/XLSX package inflates to, all parts together",
        get: |l| l.inflated_bytes,
        set: |l, v| l.inflated_bytes = v,
    },
    LimitSpec {
        name: "part-bytes",
        bounds: "bytes one part of a DOCX/XLSX package inflates to",
        get: |l| l.part_bytes,
        set: |l, v| l.part_bytes = v,
    },
    LimitSpec {
        name: "zip-entries",
        bounds: "entries of a DOCX/XLSX package",
        get: |l| l.zip_entries as u64,
        set: |l, v| l.zip_entries = saturating_usize(v),
    },
    LimitSpec {
        name: "table-cells",
        bounds: "cells of one table's grid, spans included (HTML, DOCX, a sheet's cells with blank rows and columns closed up; a workbook's sheets together)",
        get: |l| l.table_cells as u64,
        set: |l, v| l.table_cells = saturating_usize(v),
    },
    LimitSpec {
        name: "chars",
        bounds: "characters of a document's text",
        get: |l| l.chars as u64,
        set: |l, v| l.chars = saturating_usize(v),
    },
    LimitSpec {
        name: "facts",
        bounds: "facts of one document (the rest are left out, the document partial)",
        get: |l| l.facts as u64,
        set: |l, v| l.facts = saturating_usize(v),
    },
    LimitSpec {
        name: "pdf-pages",
        bounds: "pages of a PDF (a PDF of more pages is failed, none read)",
        get: |l| l.pdf_pages as u64,
        set: |l, v| l.pdf_pages = saturating_usize(v),
    },
    LimitSpec {
        name: "pdf-stream-bytes",
        bounds: "bytes of one decoded PDF stream",
        get: |l| l.pdf_stream_bytes as u64,
        set: |l, v| l.pdf_stream_bytes = saturating_usize(v),
    },
    LimitSpec {
        name: "pdf-content-bytes",
        bounds: "bytes of PDF content interpreted in one document, a Form XObject's each time it is drawn (later pages are left out)",
        get: |l| l.pdf_content_bytes as u64,
        set: |l, v| l.pdf_content_bytes = saturating_usize(v),
    },
    LimitSpec {
        name: "pdf-chars",
        bounds: "characters placed on the pages of one PDF (later pages are left out)",
        get: |l| l.pdf_chars as u64,
        set: |l, v| l.pdf_chars = saturating_usize(v),
    },
    LimitSpec {
        name: "ocr-pixels",
        bounds: "pixels of one scanned page rendered for OCR (a larger page is not read)",
        get: |l| l.ocr_pixels as u64,
        set: |l, v| l.ocr_pixels = saturating_usize(v),
    },
    LimitSpec {
        name: TIME_BUDGET,
        bounds: "seconds of wall time one document may take, OCR and conversion included (the document is failed, the batch goes on; 0: none)",
        get: |l| l.doc_seconds,
        set: |l, v| l.doc_seconds = v,
    },
];

/// The limit on time: a document's result does not depend on it when it
/// ends within it, so it is left out of the cache key.
const TIME_BUDGET: &str = "doc-seconds";

fn saturating_usize(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

impl LimitSpec {
    pub fn value(&self, limits: &Limits) -> u64 {
        (self.get)(limits)
    }
}

impl Limits {
    /// Apply one `NAME=VALUE` (a `--limit` argument); the value may use `_`
    /// separators and a `K`, `M` or `G` suffix (powers of 1024 for the byte
    /// limits, of 1000 for counts).
    pub fn set(&mut self, assignment: &str) -> Result<(), String> {
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| format!("--limit {assignment:?}: expected NAME=VALUE"))?;
        let spec = LIMITS
            .iter()
            .find(|s| s.name == name.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = LIMITS.iter().map(|s| s.name).collect();
                format!(
                    "--limit {name:?}: no such limit (limits: {})",
                    names.join(", ")
                )
            })?;
        let bytes = spec.name.ends_with("bytes");
        let value = parse_amount(value.trim(), bytes)
            .ok_or_else(|| format!("--limit {assignment:?}: {value:?} is not a count"))?;
        (spec.set)(self, value);
        Ok(())
    }

    /// The container reader's share of the limits.
    pub fn container(&self) -> crate::decode::container::Limits {
        crate::decode::container::Limits {
            max_entries: self.zip_entries,
            max_entry_bytes: self.part_bytes,
            max_total_bytes: self.inflated_bytes,
        }
    }

    /// The PDF decoder's share of the limits.
    pub fn pdf(&self) -> crate::decode::pdf::Limits {
        crate::decode::pdf::Limits {
            max_stream_bytes: self.pdf_stream_bytes,
            max_pages: self.pdf_pages,
            max_content_bytes: self.pdf_content_bytes,
            max_chars: self.pdf_chars,
            ..Default::default()
        }
    }
}

/// `1_000_000`, `64M`, `2G`: a count, or bytes with a binary suffix.
fn parse_amount(text: &str, bytes: bool) -> Option<u64> {
    let text = text.replace('_', "");
    let (digits, unit) = match text.char_indices().last()? {
        (i, c) if c.is_ascii_alphabetic() => (&text[..i], c.to_ascii_uppercase()),
        _ => (text.as_str(), ' '),
    };
    let base: u64 = if bytes { 1024 } else { 1000 };
    let factor = match unit {
        ' ' => 1,
        'K' => base,
        'M' => base.pow(2),
        'G' => base.pow(3),
        _ => return None,
    };
    digits.parse::<u64>().ok()?.checked_mul(factor)
}

/// `file-bytes=268435456,…`: every limit but the time budget, for the run
/// cache's key.
impl fmt::Display for Limits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = LIMITS
            .iter()
            .filter(|s| s.name != TIME_BUDGET)
            .map(|s| format!("{}={}", s.name, s.value(self)))
            .collect();
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_is_set_by_name_with_a_suffix() {
        let mut limits = Limits::default();
        limits.set("table-cells=5M").unwrap();
        assert_eq!(limits.table_cells, 5_000_000);
        limits.set("file-bytes=1G").unwrap();
        assert_eq!(limits.file_bytes, 1 << 30);
        limits.set("facts=2_000").unwrap();
        assert_eq!(limits.facts, 2000);
        assert!(limits.set("cells=5").unwrap_err().contains("table-cells"));
        assert!(limits.set("facts=many").is_err());
        assert!(limits.set("facts").is_err());
    }

    /// The README's table lists every limit with its default.
    #[test]
    fn the_readme_lists_every_limit_with_its_default() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
        let defaults = Limits::default();
        for spec in LIMITS {
            let row = format!("| `{}` | {}", spec.name, spec.value(&defaults));
            assert!(readme.contains(&row), "README lacks {row:?}");
        }
    }

    #[test]
    fn every_limit_but_time_has_a_distinct_name_and_shows_in_the_key() {
        let key = Limits::default().to_string();
        for spec in LIMITS {
            assert_eq!(LIMITS.iter().filter(|s| s.name == spec.name).count(), 1);
            let shown = key.contains(&format!("{}=", spec.name));
            assert_eq!(shown, spec.name != TIME_BUDGET, "{key}");
        }
    }
}

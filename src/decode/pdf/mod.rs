//! PDF decoding: pages of positioned characters and ruling lines.
//!
//! Built on lopdf for the file structure; the content streams are read
//! ([`lexer`]) and interpreted ([`content`]) here, with the fonts of
//! [`font`]. Coordinates are
//! returned in the page's display orientation (its /Rotate applied), in
//! points, with `top` measured down from the top edge, so rows read left to
//! right whatever the page's rotation.
//!
//! Guards: a limit on each decompressed stream, on the number of objects, on
//! operators and characters per page, on Form XObject nesting, and on the
//! bytes of content the whole document may have interpreted (a form's each
//! time it is drawn) and the characters it may place ([`budget`]); each
//! stream is decoded once ([`streams`]). A page that cannot be read is
//! reported with its number; the other pages go on, except after the
//! document's budget is spent: those are left out, and named
//! ([`PdfDocument::left_out`]).

pub mod budget;
pub mod cmap;
pub mod content;
pub mod font;
pub mod lexer;
mod page;
pub mod streams;

use super::DecodeError;
use lopdf::{Document, LoadOptions, Object};

/// Limits that keep a hostile or broken file from exhausting the machine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_stream_bytes: usize,
    pub max_objects: usize,
    pub max_pages: usize,
    pub max_operations_per_page: usize,
    pub max_chars_per_page: usize,
    pub max_form_depth: usize,
    /// Bytes of content interpreted in the whole document, a Form
    /// XObject's each time it is drawn.
    pub max_content_bytes: usize,
    /// Characters placed on the pages of the whole document.
    pub max_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_stream_bytes: 64 * 1024 * 1024,
            max_objects: 2_000_000,
            max_pages: 5_000,
            max_operations_per_page: 5_000_000,
            max_chars_per_page: 500_000,
            max_form_depth: 8,
            max_content_bytes: 64 * 1024 * 1024,
            max_chars: 4_000_000,
        }
    }
}

/// A character as placed on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct TextChar {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Baseline, measured down from the top of the page.
    pub baseline: f32,
    /// Font size in page units.
    pub size: f32,
    /// How much of it the page's clipping path shows.
    pub shown: Shown,
}

/// How much of a glyph its page's clipping path shows: a text layer may
/// go on where the frame that shows it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Whole,
    /// Partly: the clip's edge runs through it.
    Cut,
    /// Not at all: in the text layer only.
    Hidden,
}

/// A straight ruling line (an edge of a table cell).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub x0: f32,
    pub top0: f32,
    pub x1: f32,
    pub top1: f32,
}

impl Segment {
    pub fn is_horizontal(&self) -> bool {
        (self.top0 - self.top1).abs() < 1.0 && (self.x1 - self.x0).abs() >= 1.0
    }

    pub fn is_vertical(&self) -> bool {
        (self.x0 - self.x1).abs() < 1.0 && (self.top1 - self.top0).abs() >= 1.0
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfPage {
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub chars: Vec<TextChar>,
    pub lines: Vec<Segment>,
    /// Images drawn on the page (a page of images and no text is a scan).
    pub images: usize,
    /// The resolution of the largest image drawn on the page, in its
    /// pixels per inch of the page as drawn (a scan's, as the file has it).
    pub image_dpi: Option<f32>,
    /// Why the page could not be read, if it could not.
    pub error: Option<String>,
    /// Bytes of the content streams that start no token and were passed
    /// over (a stray `}`); what follows them is read.
    pub skipped_bytes: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfDocument {
    /// The pages read, in order.
    pub pages: Vec<PdfPage>,
    /// The pages after them that were not read, and why.
    pub left_out: Option<LeftOut>,
    /// Bytes of content interpreted, a form's each time it was drawn.
    pub content_bytes: usize,
}

/// Pages `first..=last` left out: the document's content ran over a limit
/// on the page before them.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    pub first: u32,
    pub last: u32,
    pub why: String,
}

impl LeftOut {
    /// `page 7`, `pages 3–5000`.
    pub fn pages(&self) -> String {
        if self.first == self.last {
            format!("page {}", self.first)
        } else {
            format!("pages {}–{}", self.first, self.last)
        }
    }
}

impl PdfDocument {
    /// Pages in the file, read or not.
    pub fn page_count(&self) -> usize {
        let left_out = self
            .left_out
            .as_ref()
            .map_or(0, |l| (l.last + 1).saturating_sub(l.first) as usize);
        self.pages.len() + left_out
    }
}

fn pdf_error(message: impl std::fmt::Display) -> DecodeError {
    DecodeError::Pdf {
        message: message.to_string(),
    }
}

/// Read a PDF into pages of characters and lines.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<PdfDocument, DecodeError> {
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        ..LoadOptions::default()
    };
    let mut doc = Document::load_mem_with_options(bytes, options).map_err(pdf_error)?;
    if doc.is_encrypted() {
        doc.decrypt("")
            .map_err(|_| pdf_error("the file is encrypted with a password"))?;
    }
    if doc.objects.len() > limits.max_objects {
        return Err(pdf_error(format!(
            "{} objects, more than the limit of {}",
            doc.objects.len(),
            limits.max_objects
        )));
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(pdf_error("the file has no pages"));
    }
    if pages.len() > limits.max_pages {
        return Err(pdf_error(format!(
            "{} pages, more than the limit of {}",
            pages.len(),
            limits.max_pages
        )));
    }
    let mut shared = content::Shared {
        fonts: content::FontCache::default(),
        streams: streams::Streams::new(limits.max_stream_bytes),
        budget: budget::Budget::new(limits),
    };
    let mut read = Vec::with_capacity(pages.len());
    let mut left_out = None;
    for (&number, &page_id) in &pages {
        crate::budget::check();
        if let Some(why) = shared.budget.over() {
            left_out = Some(LeftOut {
                first: number,
                last: pages.keys().next_back().copied().unwrap_or(number),
                why: why.to_string(),
            });
            break;
        }
        let mut page = content::read_page(&doc, page_id, limits, &mut shared);
        page.number = number;
        shared.budget.count_chars(page.chars.len());
        read.push(page);
    }
    Ok(PdfDocument {
        pages: read,
        left_out,
        content_bytes: shared.budget.content_bytes(),
    })
}

/// The page box, its rotation, as `(llx, lly, urx, ury, rotate)`.
pub(crate) fn page_box(doc: &Document, page_id: lopdf::ObjectId) -> (f32, f32, f32, f32, i64) {
    let mut rotate = 0;
    let mut media = None;
    let mut crop = None;
    let mut current = Some(page_id);
    let mut depth = 0;
    while let (Some(id), true) = (current, depth < 32) {
        depth += 1;
        let Ok(dict) = doc.get_dictionary(id) else {
            break;
        };
        if rotate == 0 {
            if let Ok(Object::Integer(r)) = dict
                .get(b"Rotate")
                .and_then(|o| doc.dereference(o).map(|(_, o)| o))
            {
                rotate = *r;
            }
        }
        let rect = |key: &[u8]| -> Option<[f32; 4]> {
            let object = dict.get(key).ok()?;
            let (_, object) = doc.dereference(object).ok()?;
            let Object::Array(items) = object else {
                return None;
            };
            let values: Vec<f32> = items
                .iter()
                .filter_map(|o| doc.dereference(o).ok()?.1.as_float().ok())
                .collect();
            (values.len() == 4).then(|| [values[0], values[1], values[2], values[3]])
        };
        if media.is_none() {
            media = rect(b"MediaBox");
        }
        if crop.is_none() {
            crop = rect(b"CropBox");
        }
        current = match dict.get(b"Parent") {
            Ok(Object::Reference(parent)) => Some(*parent),
            _ => None,
        };
    }
    let [a, b, c, d] = crop.or(media).unwrap_or([0.0, 0.0, 595.0, 842.0]);
    (
        a.min(c),
        b.min(d),
        a.max(c),
        b.max(d),
        rotate.rem_euclid(360),
    )
}

/// Share of a page's characters that may be unreadable before the page
/// counts as garbled.
const GARBLED_SHARE: f32 = 0.10;

/// A character no font mapping produced: the replacement character, private
/// use code points, or C0 controls.
fn is_unreadable(c: char) -> bool {
    c == '\u{FFFD}'
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
        || (c.is_control() && !c.is_whitespace())
}

/// Per-page diagnostics: pages without a text layer (scans: need OCR),
/// pages whose text is garbled, pages that could not be read. Each is an
/// error-level issue naming the page, so the document is `partial`.
///
/// `why_scans_unread` says why a scan was not read (OCR is above this
/// floor: the caller asks it), and is called once, at the first scan.
pub fn page_issues(
    pdf: &PdfDocument,
    why_scans_unread: &dyn Fn() -> String,
) -> Vec<crate::model::Issue> {
    use crate::model::Issue;
    let mut issues = Vec::new();
    // why OCR did not read the scans: asked once (it looks for programs)
    let why_not_read = std::cell::OnceCell::new();
    for page in &pdf.pages {
        let place = |issue: Issue| Issue {
            page: Some(page.number),
            ..issue
        };
        if let Some(error) = &page.error {
            issues.push(place(Issue::error(
                "decode",
                format!("page not fully read: {error}"),
            )));
        }
        if page.skipped_bytes > 0 {
            issues.push(place(Issue::warning(
                "decode",
                format!(
                    "{} bytes of the page's content could not be read and were passed over",
                    page.skipped_bytes
                ),
            )));
        }
        let chars: Vec<char> = page
            .chars
            .iter()
            .flat_map(|c| c.text.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        if chars.is_empty() {
            // a blank page is not an anomaly; a page of images without text is a scan
            if page.error.is_none() && page.images > 0 {
                issues.push(place(Issue::error(
                    "decode",
                    format!(
                        "no text layer on this page: a scanned image, it needs OCR ({})",
                        why_not_read.get_or_init(why_scans_unread)
                    ),
                )));
            }
            continue;
        }
        let unreadable = chars.iter().filter(|c| is_unreadable(**c)).count();
        if unreadable as f32 > chars.len() as f32 * GARBLED_SHARE {
            let message = format!(
                "garbled text: {unreadable} of {} characters have no Unicode mapping",
                chars.len()
            );
            issues.push(place(Issue::error("decode", message)));
        }
    }
    if let Some(left_out) = &pdf.left_out {
        issues.push(Issue {
            page: Some(left_out.first),
            ..Issue::error(
                "decode",
                format!("{} not read: {}", left_out.pages(), left_out.why),
            )
        });
    }
    issues
}

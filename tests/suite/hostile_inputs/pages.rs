//! Hostile pages (issue 25): PDFs and HTML of at most 1 MB that cost
//! hours or gigabytes to read naively, each made here in at most a tenth
//! of a second.
//!
//! - `huge_mediabox.pdf`: one scanned page whose CropBox is A4 and whose
//!   MediaBox is 6000 pt square — `pdftoppm` renders the MediaBox, a
//!   1.9 GB image at 300 dpi, unless told to render the CropBox.
//! - `form_redrawn.pdf`: one page drawing a 16 MB Form XObject (of
//!   spaces, 16 KB deflated) 100,000 times: 1.6 TB of content.
//! - `shared_content.pdf`: 5,000 pages sharing one content stream of
//!   5 million operators (35 MB).
//! - `shared_text.pdf`: 200 pages sharing one content stream that shows a
//!   string of 499,000 characters: 100 million characters placed, 7.5 GB.
//! - `long_string.pdf`: one page showing one string of 30 million
//!   characters, each once decoded before the page's were counted.
//! - `title_pairs.html`: 60,000 `<title></title>` pairs, each of which
//!   once copied the rest of the page.
//! - `blank_scans.pdf`: scanned pages of nothing but white paper (a few
//!   here; an adversary's had 5,000), each once given to Tesseract.
//!
//! What gongkai makes of the scans depends on whether OCR's programs are
//! installed; [`expectations`] says which.

use super::Expected;
use lopdf::{dictionary, Document, Object, ObjectId, Stream};
use std::path::Path;

/// Blank scanned pages in the batch (each is rendered: a few keep the
/// batch quick).
const BLANK_PAGES: usize = 3;

/// Write every hostile page into `dir`.
pub fn write_all(dir: &Path) {
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    write("huge_mediabox.pdf", &huge_mediabox_pdf());
    write("form_redrawn.pdf", &form_redrawn_pdf(16 << 20, 100_000));
    write("shared_content.pdf", &shared_content_pdf(5_000));
    write("shared_text.pdf", &shown_string_pdf(499_000, 200));
    write("long_string.pdf", &shown_string_pdf(30_000_000, 1));
    write("title_pairs.html", title_pairs_html(60_000).as_bytes());
    write("blank_scans.pdf", &blank_scans_pdf(BLANK_PAGES));
}

/// What gongkai must make of each: the scans are read by OCR where its
/// programs are installed (a blank page is recognised as such without
/// Tesseract), and said to need it where they are not.
pub fn expectations() -> Vec<Expected> {
    let ocr =
        gongkai::ocr::tools().is_ok() && std::env::var("GONGKAI_OCR").map_or(true, |v| v != "off");
    let scan = |name| Expected {
        name,
        status: if ocr { "skipped" } else { "partial" },
        says: if ocr { "blank" } else { "needs OCR" },
        facts: Some(0),
    };
    vec![
        scan("huge_mediabox.pdf"),
        Expected {
            name: "form_redrawn.pdf",
            status: "partial",
            says: "--limit pdf-content-bytes=",
            facts: Some(0),
        },
        Expected {
            name: "shared_content.pdf",
            status: "partial",
            says: "--limit pdf-content-bytes=",
            facts: Some(0),
        },
        Expected {
            name: "shared_text.pdf",
            status: "partial",
            says: "--limit pdf-chars=",
            facts: Some(0),
        },
        Expected {
            name: "long_string.pdf",
            status: "partial",
            says: "page content exceeds the operation limit",
            facts: Some(0),
        },
        Expected {
            name: "title_pairs.html",
            status: "skipped",
            says: "no disclosure table found",
            facts: Some(0),
        },
        scan("blank_scans.pdf"),
    ]
}

/// A PDF being put together: its pages, each given its `/Parent`.
struct Pdf {
    doc: Document,
    pages_id: ObjectId,
    kids: Vec<Object>,
}

impl Pdf {
    fn new() -> Pdf {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        Pdf {
            doc,
            pages_id,
            kids: Vec::new(),
        }
    }

    /// Add a compressed stream; its id.
    fn stream(&mut self, dict: lopdf::Dictionary, content: Vec<u8>) -> ObjectId {
        let mut stream = Stream::new(dict, content);
        stream.compress().unwrap();
        self.doc.add_object(stream)
    }

    /// A 1×1 white image, scaled to fill a page: a scan of blank paper.
    fn white_image(&mut self) -> ObjectId {
        let image = dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        };
        self.doc.add_object(Stream::new(image, vec![255]))
    }

    fn page(&mut self, mut page: lopdf::Dictionary) {
        page.set("Type", "Page");
        page.set("Parent", self.pages_id);
        let id = self.doc.add_object(page);
        self.kids.push(id.into());
    }

    fn finish(mut self) -> Vec<u8> {
        let count = self.kids.len() as i64;
        let pages = dictionary! { "Type" => "Pages", "Kids" => self.kids, "Count" => count };
        self.doc.objects.insert(self.pages_id, pages.into());
        let catalog = self
            .doc
            .add_object(dictionary! { "Type" => "Catalog", "Pages" => self.pages_id });
        self.doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        self.doc.save_to(&mut bytes).unwrap();
        bytes
    }
}

fn a4() -> Object {
    vec![0.into(), 0.into(), 595.into(), 842.into()].into()
}

/// A page showing `image` over the whole of an A4 page.
fn scanned_page(image: ObjectId, content: ObjectId) -> lopdf::Dictionary {
    dictionary! {
        "MediaBox" => a4(),
        "Resources" => dictionary! { "XObject" => dictionary! { "Im" => image } },
        "Contents" => content,
    }
}

const SCAN_CONTENT: &[u8] = b"q 595 0 0 842 0 0 cm /Im Do Q\n";

/// One scanned A4 page (its CropBox) on a MediaBox 6000 pt square.
fn huge_mediabox_pdf() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let image = pdf.white_image();
    let content = pdf.stream(lopdf::Dictionary::new(), SCAN_CONTENT.to_vec());
    let mut page = scanned_page(image, content);
    page.set("CropBox", a4());
    page.set(
        "MediaBox",
        vec![0.into(), 0.into(), 6000.into(), 6000.into()],
    );
    pdf.page(page);
    pdf.finish()
}

/// One page drawing a Form XObject of `form_bytes` spaces `draws` times.
fn form_redrawn_pdf(form_bytes: usize, draws: usize) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let form = dictionary! {
        "Type" => "XObject", "Subtype" => "Form",
        "BBox" => a4(),
    };
    let form = pdf.stream(form, vec![b' '; form_bytes]);
    let content = pdf.stream(lopdf::Dictionary::new(), b"/F Do\n".repeat(draws));
    pdf.page(dictionary! {
        "MediaBox" => a4(),
        "Resources" => dictionary! { "XObject" => dictionary! { "F" => form } },
        "Contents" => content,
    });
    pdf.finish()
}

/// `pages` pages sharing one content stream of 5 million operators (a
/// `Td` each: 35 MB).
fn shared_content_pdf(pages: usize) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let content = pdf.stream(lopdf::Dictionary::new(), b"0 0 Td\n".repeat(5_000_000));
    for _ in 0..pages {
        pdf.page(dictionary! { "MediaBox" => a4(), "Contents" => content });
    }
    pdf.finish()
}

/// `pages` pages sharing one content stream that shows a string of
/// `chars` characters.
fn shown_string_pdf(chars: usize, pages: usize) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let font = pdf.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let mut text = b"BT /F1 1 Tf 0 0 Td (".to_vec();
    text.resize(text.len() + chars, b'a');
    text.extend_from_slice(b") Tj ET\n");
    let content = pdf.stream(lopdf::Dictionary::new(), text);
    for _ in 0..pages {
        pdf.page(dictionary! {
            "MediaBox" => a4(),
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            "Contents" => content,
        });
    }
    pdf.finish()
}

/// `pairs` empty titles, then a paragraph.
fn title_pairs_html(pairs: usize) -> String {
    format!(
        "<html><body>{}<p>单位：万元</p></body></html>",
        "<title></title>".repeat(pairs)
    )
}

/// `pages` scanned pages of blank paper, sharing their image and content.
fn blank_scans_pdf(pages: usize) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let image = pdf.white_image();
    let content = pdf.stream(lopdf::Dictionary::new(), SCAN_CONTENT.to_vec());
    for _ in 0..pages {
        let page = scanned_page(image, content);
        pdf.page(page);
    }
    pdf.finish()
}

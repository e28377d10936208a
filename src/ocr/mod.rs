//! OCR of scanned PDF pages: a page with images and no text layer is
//! rendered to an image, straightened, its ruling lines found in the
//! pixels, and its text recognised by Tesseract — then handed to the PDF
//! layout as the same characters and ruling lines a born-digital page
//! gives, so nothing downstream of layout changes.
//!
//! The steps of one page ([`read_page`]):
//! 1. render with poppler's `pdftoppm` at [`DPI`] (colour PPM);
//! 2. a red seal's strokes are set white (`image::read_netpbm`), the skew
//!    (within ±2°) found from the sharpest row profile of ink and turned
//!    back (`image::skew`, `Grey::rotated`);
//! 3. ruling lines: runs of ink at least [`MIN_RULE_INCHES`] long, gaps of a
//!    few pixels bridged (`lines::rules`), then erased from the image the
//!    recogniser sees;
//! 4. Tesseract (`tesseract IMAGE stdout -l chi_sim --psm 6 tsv`, one
//!    thread) gives words with their boxes and confidences; each word's
//!    characters share its box, in points from the page's top left;
//! 5. a `PdfPage` of those characters and lines.
//!
//! The programs are found on the `PATH` or named by `GONGKAI_PDFTOPPM` and
//! `GONGKAI_TESSERACT`; Tesseract must have the `chi_sim` language. Without
//! them, a scanned page is reported as before, with the install command in
//! the reason. A page that fails is an error naming the page; the others
//! are read.

pub mod image;
pub mod lines;
mod tesseract;

use crate::decode::pdf::{PdfPage, Segment, Shown, TextChar};
use crate::external::{find_program, run, Scratch};
use std::path::{Path, PathBuf};

/// Rendering resolution, dots per inch.
pub const DPI: u32 = 300;
/// The shortest ruling line looked for, in inches (text strokes are far
/// shorter).
pub const MIN_RULE_INCHES: f32 = 0.4;
/// The most a page may be turned off straight, in degrees.
pub const MAX_SKEW: f32 = 2.0;
/// The install command named when the programs are missing.
pub const INSTALL: &str = "apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils";

/// The most pixels a rendered page may have (a page of 1 m² at 300 dpi
/// is 140 M; an A3 page 17 M): a larger page is refused before it is
/// rendered.
pub const MAX_PIXELS: usize = 60_000_000;

/// The external programs OCR needs.
#[derive(Debug, Clone)]
pub struct Tools {
    pub pdftoppm: PathBuf,
    pub tesseract: PathBuf,
}

/// The programs, or why OCR cannot run (with the install command).
pub fn tools() -> Result<Tools, String> {
    let pdftoppm = find_program("GONGKAI_PDFTOPPM", &["pdftoppm"]);
    let tesseract = find_program("GONGKAI_TESSERACT", &["tesseract"]);
    match (pdftoppm, tesseract) {
        (Some(pdftoppm), Some(tesseract)) => {
            if tesseract::has_language(&tesseract, "chi_sim") {
                Ok(Tools {
                    pdftoppm,
                    tesseract,
                })
            } else {
                Err(format!(
                    "Tesseract has no chi_sim language: install it ({INSTALL})"
                ))
            }
        }
        (pdftoppm, tesseract) => {
            let missing: Vec<&str> = [
                ("pdftoppm", pdftoppm.is_none()),
                ("tesseract", tesseract.is_none()),
            ]
            .into_iter()
            .filter(|(_, absent)| *absent)
            .map(|(name, _)| name)
            .collect();
            Err(format!(
                "OCR needs {} (install: {INSTALL})",
                missing.join(" and ")
            ))
        }
    }
}

/// One page read by OCR.
#[derive(Debug, Clone)]
pub struct OcrPage {
    pub page: PdfPage,
    pub words: usize,
    /// The words' mean confidence, 0–100.
    pub confidence: f32,
    /// The angle the scan was turned back by, in degrees.
    pub skew: f32,
}

/// Read page `number` (1-based) of the PDF at `pdf` by OCR, in the
/// scratch folder `scratch`, at most `max_pixels` pixels.
pub fn read_page(
    tools: &Tools,
    pdf: &Path,
    number: u32,
    scratch: &Path,
    max_pixels: usize,
) -> Result<OcrPage, String> {
    let prefix = scratch.join(format!("page{number}"));
    let image = render(tools, pdf, number, &prefix, max_pixels)?;
    // a tenth of a degree is the search's own step: not turned
    let skew = Some(image::skew(&image, MAX_SKEW))
        .filter(|s| s.abs() > 0.15)
        .unwrap_or(0.0);
    let mut image = image.rotated(skew);
    let min_rule = (MIN_RULE_INCHES * DPI as f32) as usize;
    let (horizontal, vertical) = lines::rules(&image, min_rule, 6);
    lines::erase(&mut image, &horizontal, &vertical, 3);
    let pgm = prefix.with_extension("pgm");
    std::fs::write(&pgm, image.to_pgm()).map_err(|e| format!("writing the page image: {e}"))?;
    let words = tesseract::words(&tools.tesseract, &pgm);
    let _ = std::fs::remove_file(&pgm);
    let words = words?;
    let points = 72.0 / DPI as f32;
    let mut chars = Vec::new();
    for word in &words {
        chars.extend(word_chars(word, points));
    }
    let lines = segments(&horizontal, &vertical, points);
    let confidence = if words.is_empty() {
        0.0
    } else {
        words.iter().map(|w| w.confidence).sum::<f32>() / words.len() as f32
    };
    Ok(OcrPage {
        page: PdfPage {
            number,
            width: image.width as f32 * points,
            height: image.height as f32 * points,
            chars,
            lines,
            images: 1,
            error: None,
            skipped_bytes: 0,
        },
        words: words.len(),
        confidence,
        skew,
    })
}

/// A figure's stray marks: what is left of an erased rule beside it is
/// read as a quote or a bar.
fn figure_text(text: &str) -> &str {
    let stray = |c: char| "“”\"'‘’|!丨".contains(c);
    let trimmed = text.trim_matches(stray);
    let numeric = !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '%'));
    if numeric {
        trimmed
    } else {
        text
    }
}

/// Render page `number` with `pdftoppm` and read it back (a red seal
/// dropped).
fn render(
    tools: &Tools,
    pdf: &Path,
    number: u32,
    prefix: &Path,
    max_pixels: usize,
) -> Result<image::Grey, String> {
    run(
        std::process::Command::new(&tools.pdftoppm)
            .args(["-r", &DPI.to_string(), "-f", &number.to_string()])
            .args(["-l", &number.to_string(), "-singlefile"])
            .arg(pdf)
            .arg(prefix),
        tesseract::TIMEOUT,
    )
    .map_err(|e| format!("pdftoppm: {e}"))?;
    let ppm = prefix.with_extension("ppm");
    let bytes = std::fs::read(&ppm).map_err(|e| format!("reading the rendered page: {e}"))?;
    let _ = std::fs::remove_file(&ppm);
    image::read_netpbm(&bytes, max_pixels).map_err(|e| e.0)
}

/// The rules as ruling-line segments in points from the top left.
fn segments(horizontal: &[lines::Rule], vertical: &[lines::Rule], points: f32) -> Vec<Segment> {
    let segment = |rule: &lines::Rule, horizontal: bool| {
        let (a, b) = (rule.start as f32 * points, rule.end as f32 * points);
        let at = rule.at * points;
        if horizontal {
            Segment {
                x0: a,
                top0: at,
                x1: b,
                top1: at,
            }
        } else {
            Segment {
                x0: at,
                top0: a,
                x1: at,
                top1: b,
            }
        }
    };
    horizontal
        .iter()
        .map(|r| segment(r, true))
        .chain(vertical.iter().map(|r| segment(r, false)))
        .collect()
}

/// A word's characters, sharing its box evenly, in points.
fn word_chars(word: &tesseract::Word, points: f32) -> Vec<TextChar> {
    let text = figure_text(&word.text);
    let n = text.chars().count().max(1) as f32;
    let step = word.width / n;
    text.chars()
        .enumerate()
        .map(|(i, c)| TextChar {
            text: c.to_string(),
            x0: (word.left + step * i as f32) * points,
            x1: (word.left + step * (i as f32 + 1.0)) * points,
            baseline: word.line_bottom * points,
            size: (word.line_height * points).max(4.0),
            shown: Shown::Whole,
        })
        .collect()
}

/// Whether a decoded page is a scan: images and no text.
pub fn is_scan(page: &PdfPage) -> bool {
    page.error.is_none() && page.images > 0 && page.chars.iter().all(|c| c.text.trim().is_empty())
}

/// What OCR did to a document's pages.
#[derive(Debug, Default)]
pub struct OcrOutcome {
    /// The pages read by OCR.
    pub pages: Vec<u32>,
    pub issues: Vec<crate::model::Issue>,
}

/// Read every scanned page of a decoded PDF by OCR, in place, when the
/// programs are installed (`GONGKAI_OCR=off` turns it off). Each page read
/// is a warning with its word count, confidence and skew; each that fails
/// an error naming the page.
pub fn read_scanned_pages(bytes: &[u8], pdf: &mut crate::decode::pdf::PdfDocument) -> OcrOutcome {
    use crate::model::Issue;
    let mut outcome = OcrOutcome::default();
    let scanned: Vec<usize> = (0..pdf.pages.len())
        .filter(|&i| is_scan(&pdf.pages[i]))
        .collect();
    if scanned.is_empty() || std::env::var("GONGKAI_OCR").is_ok_and(|v| v == "off") {
        return outcome;
    }
    let Ok(tools) = tools() else {
        return outcome;
    };
    let Ok(scratch) = Scratch::new("ocr") else {
        return outcome;
    };
    let pdf_path = scratch.0.join("report.pdf");
    if std::fs::write(&pdf_path, bytes).is_err() {
        return outcome;
    }
    for index in scanned {
        let page = &pdf.pages[index];
        let number = page.number;
        let pixels = (page.width * DPI as f32 / 72.0) * (page.height * DPI as f32 / 72.0);
        let read = if pixels > MAX_PIXELS as f32 {
            Err(format!(
                "the page is too large to render ({pixels:.0} pixels at {DPI} dpi)"
            ))
        } else {
            read_page(&tools, &pdf_path, number, &scratch.0, MAX_PIXELS)
        };
        match read {
            Ok(ocr) => {
                outcome.issues.push(Issue {
                    page: Some(number),
                    ..Issue::warning(
                        "ocr",
                        format!(
                            "page read by OCR: {} words, mean confidence {:.0}, turned {:.1}°",
                            ocr.words, ocr.confidence, ocr.skew
                        ),
                    )
                });
                pdf.pages[index] = ocr.page;
                outcome.pages.push(number);
            }
            Err(why) => outcome.issues.push(Issue {
                page: Some(number),
                ..Issue::error("ocr", format!("OCR of the scanned page failed: {why}"))
            }),
        }
    }
    outcome
}

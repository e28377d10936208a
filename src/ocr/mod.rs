//! OCR of scanned PDF pages: a page with images and no text layer is
//! rendered to an image, straightened, its ruling lines found in the
//! pixels, and its text recognised by Tesseract — then handed to the PDF
//! layout as the same characters and ruling lines a born-digital page
//! gives, so nothing downstream of layout changes.
//!
//! The steps of one page ([`read_page`]):
//! 1. render its CropBox with poppler's `pdftoppm` (colour PPM) at [`DPI`]
//!    of a paper-sized page, or at its image's own pixels where the page's
//!    declared size is absurd ([`render::plan`]), within the `ocr-pixels`
//!    limit, counted before it is rendered;
//! 2. the paper made white, faint ink dark, dotted rules joined
//!    ([`dotted`]: a thin rule a skewed 1-bit scan left as dots) and lone
//!    specks taken out ([`clean`]: before the page's turn is judged,
//!    which specks confuse);
//!    a page of blank paper (no pixel darker than [`image::BLANK`]) ends
//!    here, read as blank without Tesseract;
//! 3. a red seal's strokes are set white (`image::read_netpbm`), the skew
//!    (within ±2°) found from the sharpest row profile of ink and turned
//!    back (`image::skew`, `Grey::rotated`);
//! 4. ruling lines: runs of ink at least [`MIN_RULE_INCHES`] long, gaps of a
//!    few pixels bridged (`lines::rules`), those shorter than
//!    [`LONE_RULE_INCHES`] kept only where they meet a rule the other way
//!    (`lines::of_tables`: a row of text's strokes is not a rule), and
//!    dashed horizontal rules from border to border (`dashes::dashed`: a
//!    thin rule of a skewed page scanned in 1 bit), then erased from the
//!    image the recogniser sees; bands of ink many rules thick (a shadow)
//!    erased with them but rules of a table only between its rules
//!    (`lines::keep_bands_within`); rules that stop short of each other
//!    made to meet ([`borders`]);
//! 5. Tesseract (`tesseract IMAGE stdout -l chi_sim --psm 6 tsv`, one
//!    thread) gives words with their boxes and confidences; each word's
//!    characters share its box, in points from the page's top left; the
//!    words read from specks around the tables, or from paper with no
//!    ink, are dropped ([`specks`]);
//! 6. a `PdfPage` of those characters and lines.
//!
//! The programs are found on the `PATH` or named by `GONGKAI_PDFTOPPM` and
//! `GONGKAI_TESSERACT`; Tesseract must have the `chi_sim` language. Without
//! them, a scanned page is reported as before, with the install command in
//! the reason. A page that fails is an error naming the page; the others
//! are read.

pub mod borders;
pub mod cell_text;
pub mod cells;
mod chars;
pub mod clean;
pub mod correct;
pub mod dashes;
pub mod dotted;
mod figure_marks;
pub mod gate;
pub mod headers;
pub mod image;
pub mod labels;
pub mod lexicon;
pub mod lines;
mod lost_points;
mod missed;
pub mod offers;
mod outcomes;
pub mod phrases;
pub mod points;
pub mod proofread;
pub mod render;
mod reread;
pub mod specks;
mod tesseract;
pub mod turn;
pub mod unkeyed;

use crate::decode::pdf::{PdfPage, Segment};
use crate::external::{find_program, Scratch};
use crate::model::OcrReading;
use std::path::{Path, PathBuf};

/// Rendering resolution, dots per inch.
pub const DPI: u32 = 300;
/// The shortest ruling line looked for, in inches (text strokes are far
/// shorter).
pub const MIN_RULE_INCHES: f32 = 0.4;
/// The shortest rule kept that meets no rule the other way, in inches
/// (`lines::of_tables`): shorter, it is a row of text's strokes.
pub const LONE_RULE_INCHES: f32 = 1.2;
/// The widest gap between two pieces of one rule, in inches (a seal's
/// white-out; text in two cells of a row is further apart).
pub const RULE_GAP_INCHES: f32 = 0.3;
/// The widest gap between two pieces of one rule stopping in the middle
/// of a cell, in inches (`borders::bridged`: a seal's star over a table's
/// corner; 38 mm across, its star is a third of that).
pub const SEAL_GAP_INCHES: f32 = 1.0;
/// How near a rule must come to one the other way to meet it, in inches.
pub const RULE_REACH_INCHES: f32 = 0.03;
/// How far short of a rule the other way a rule's faded end may stop and
/// be carried to it (`borders::meet`), in inches.
pub const CORNER_INCHES: f32 = 0.08;
/// A dashed rule's shortest dash and widest gap, in inches
/// (`dashes::dashed`: a thin rule of a skewed page scanned in 1 bit).
pub const DASH_INCHES: f32 = 0.03;
pub const DASH_GAP_INCHES: f32 = 0.15;
/// The most a page may be turned off straight, in degrees.
pub const MAX_SKEW: f32 = 2.0;
/// The install command named when the programs are missing.
pub const INSTALL: &str = "apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils";

/// The external programs OCR needs.
#[derive(Debug, Clone)]
pub struct Tools {
    pub pdftoppm: PathBuf,
    pub tesseract: PathBuf,
    /// The language the figures-only pass reads with: `eng` where
    /// installed (its digits are better trained), else `chi_sim`.
    pub digits: String,
    /// Whether Tesseract has the `osd` language: its orientation check.
    pub osd: bool,
}

/// The programs, or why OCR cannot run (with the install command).
pub fn tools() -> Result<Tools, String> {
    let pdftoppm = find_program("GONGKAI_PDFTOPPM", &["pdftoppm"]);
    let tesseract = find_program("GONGKAI_TESSERACT", &["tesseract"]);
    match (pdftoppm, tesseract) {
        (Some(pdftoppm), Some(tesseract)) => {
            let languages = tesseract::languages(&tesseract);
            if languages.iter().any(|l| l == "chi_sim") {
                let digits = if languages.iter().any(|l| l == "eng") {
                    "eng"
                } else {
                    "chi_sim"
                };
                Ok(Tools {
                    pdftoppm,
                    tesseract,
                    digits: digits.to_string(),
                    osd: languages.iter().any(|l| l == "osd"),
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
    /// The words Tesseract read, those taken for specks among them.
    pub words: usize,
    /// Their mean confidence, 0–100.
    pub confidence: f32,
    /// The angle the scan was turned back by, in degrees.
    pub skew: f32,
    /// The quarter turns clockwise it was turned by first ([`turn`]).
    pub quarters: u8,
    /// What was read in each table cell with text.
    pub readings: Vec<OcrReading>,
    /// Blank paper: not given to Tesseract.
    pub blank: bool,
}

impl OcrPage {
    /// Page `number`, blank paper the size of `image` (`points` a pixel):
    /// no text, no lines, and no image left to read.
    fn blank(number: u32, image: &image::Grey, points: f32) -> OcrPage {
        OcrPage {
            page: PdfPage {
                number,
                width: image.width as f32 * points,
                height: image.height as f32 * points,
                ..PdfPage::default()
            },
            words: 0,
            confidence: 0.0,
            skew: 0.0,
            quarters: 0,
            readings: Vec::new(),
            blank: true,
        }
    }
}

/// Read page `number` (1-based) of the PDF at `pdf` by OCR, in the
/// scratch folder `scratch`, rendered as `plan` says, turned upright
/// ([`turn`]; `expected`: the quarter turns the page before needed).
pub fn read_page(
    tools: &Tools,
    pdf: &Path,
    number: u32,
    scratch: &Path,
    plan: &render::Plan,
    expected: u8,
) -> Result<OcrPage, String> {
    let prefix = scratch.join(format!("page{number}"));
    let mut image = render::render(tools, pdf, number, &prefix, plan)?;
    clean::clean(&mut image, plan.printed_dpi);
    let points = plan.points_per_pixel();
    if image.is_blank() {
        return Ok(OcrPage::blank(number, &image, points));
    }
    let sideways = turn::lines_run_across(&image, plan.printed_dpi) < turn::UPRIGHT_RATIO;
    let asked = sideways && tools.osd;
    let first = match (sideways, asked) {
        (true, true) => turn::osd(&tools.tesseract, &image, scratch).unwrap_or(1),
        (true, false) => 1,
        (false, _) => {
            if expected == 2 {
                2
            } else {
                0
            }
        }
    };
    let mut best = OcrPage {
        quarters: first,
        ..read_upright(tools, image.turned(first), number, scratch, plan)?
    };
    if best.confidence >= turn::LOW_CONFIDENCE || best.words < 20 {
        return Ok(best);
    }
    // trial reads: the page may be turned after all (or, where the check
    // turned it, not); the check's answer first, then the turn the page
    // before needed, then the quarters left, until one reads as print
    let checked = if asked {
        if first == 0 {
            2
        } else {
            0
        }
    } else if tools.osd {
        turn::osd(&tools.tesseract, &image, scratch).unwrap_or((first + 2) % 4)
    } else {
        (first + 2) % 4
    };
    for quarters in turn::trial_order(first, checked, expected) {
        let again = read_upright(tools, image.turned(quarters), number, scratch, plan)?;
        if again.confidence > best.confidence {
            best = OcrPage { quarters, ..again };
        }
        if best.confidence >= turn::LOW_CONFIDENCE {
            break;
        }
    }
    Ok(best)
}

/// Read page `number`, its image upright (within [`MAX_SKEW`]).
fn read_upright(
    tools: &Tools,
    image: image::Grey,
    number: u32,
    scratch: &Path,
    plan: &render::Plan,
) -> Result<OcrPage, String> {
    let prefix = scratch.join(format!("page{number}"));
    let points = plan.points_per_pixel();
    // a tenth of a degree is the search's own step: not turned
    let skew = Some(image::skew(&image, MAX_SKEW))
        .filter(|s| s.abs() > 0.15)
        .unwrap_or(0.0);
    let mut image = image.rotated(skew);
    if let Some(dir) = keep_dir() {
        let _ = std::fs::write(
            Path::new(&dir).join(format!("page{number}.pgm")),
            image.to_pgm(),
        );
    }
    let min_rule = (MIN_RULE_INCHES * plan.printed_dpi) as usize;
    let ((horizontal, vertical), (horizontal_bands, vertical_bands)) =
        lines::rules_and_bands(&image, min_rule, 6);
    let inches = |i: f32| (i * plan.printed_dpi) as usize;
    // bands of grey are erased as rules are; one outside the tables is no
    // rule of theirs
    let (mut horizontal, vertical) = lines::of_tables(
        [horizontal, horizontal_bands.clone()].concat(),
        [vertical, vertical_bands.clone()].concat(),
        inches(LONE_RULE_INCHES),
        inches(RULE_REACH_INCHES),
        inches(RULE_GAP_INCHES),
    );
    let shape = dashes::Dashes {
        dash: inches(DASH_INCHES),
        gap: inches(DASH_GAP_INCHES),
        length: inches(LONE_RULE_INCHES),
        reach: inches(RULE_REACH_INCHES),
    };
    // rows only: a column of characters (十 heading line after line) makes
    // vertical dashes that pass every test a dashed rule must
    let (dashed_rows, _) = dashes::dashed(&image, &horizontal, &vertical, shape);
    horizontal.extend(dashed_rows);
    let (gap, reach) = (inches(SEAL_GAP_INCHES), inches(RULE_REACH_INCHES));
    let mut horizontal = borders::bridged(&horizontal, &vertical, gap, reach);
    let mut vertical = borders::bridged(&vertical, &horizontal, gap, reach);
    // a band outside the tables is lifted to paper whole, print in it kept
    for band in lines::bands_outside(&horizontal, &horizontal_bands) {
        lines::lift(&mut image, &band, false);
    }
    for band in lines::bands_outside(&vertical, &vertical_bands) {
        lines::lift(&mut image, &band, true);
    }
    lines::erase(&mut image, &horizontal, &vertical, 3);
    lines::keep_bands_within(&mut horizontal, &horizontal_bands);
    lines::keep_bands_within(&mut vertical, &vertical_bands);
    // rules that stop short of each other meet
    let (horizontal, vertical) = borders::meet(&horizontal, &vertical, inches(CORNER_INCHES));
    let table_cells = cells::cells(image.width, image.height, &horizontal, &vertical);
    clean::despeckle_remnants(&mut image, plan.printed_dpi, |p| table_cells.covers(p));
    if let Some(dir) = keep_dir() {
        let listing = format!("{horizontal:?}\n{vertical:?}\n{:?}\n", table_cells.rects);
        let _ = std::fs::write(Path::new(&dir).join(format!("page{number}.txt")), listing);
    }
    let mut read = cell_text::recognise_cells(tools, &image, &table_cells, &prefix, scratch)?;
    // the running text: the page without its table cells
    cells::blank(&mut image, &table_cells);
    let running = read_running_text(tools, &image, &prefix, scratch, plan.printed_dpi)?;
    // the page's read as Tesseract gave it, specks and all: a page turned
    // wrong reads as specks, and is judged by them (`read_page`)
    let read_count = read.words.len() + running.len();
    let confidences = read.words.iter().chain(&running).map(|w| w.confidence);
    let confidence = confidences.sum::<f32>() / read_count.max(1) as f32;
    let dpi = plan.printed_dpi;
    let missed = missed::read_missed_lines(tools, &image, &running, &prefix, scratch, dpi)?;
    let running = [running, words_of_print(missed, &image, dpi)].concat();
    let mut chars = chars::cell_chars(&read.words, &read.cells, points);
    read.words.extend(specks::without_specks(running, &image));
    for word in &read.words[read.cells.len()..] {
        chars.extend(chars::word_chars(word, points));
    }
    for reading in &mut read.readings {
        reading.page = number;
        for v in [
            &mut reading.left,
            &mut reading.top,
            &mut reading.right,
            &mut reading.bottom,
        ] {
            *v *= points;
        }
    }
    Ok(OcrPage {
        page: PdfPage {
            number,
            width: image.width as f32 * points,
            height: image.height as f32 * points,
            chars,
            lines: segments(&horizontal, &vertical, points),
            images: 1,
            image_dpi: None,
            error: None,
            skipped_bytes: 0,
        },
        words: read_count,
        confidence,
        skew,
        quarters: 0,
        readings: read.readings,
        blank: false,
    })
}

/// Where `GONGKAI_OCR_KEEP=DIR` asks for each page's image as cleaned and
/// straightened, its cell images, the page without its tables as its
/// running text was read (`pageN-text.pgm`) and the rules and cells found
/// to be kept, to look at.
fn keep_dir() -> Option<PathBuf> {
    std::env::var_os("GONGKAI_OCR_KEEP").map(PathBuf::from)
}

/// The words of a page's table cells (in page pixels) and each cell's
/// reading (in pixels, page 0: the caller places them).
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

/// The words Tesseract reads in `image` as running text (one block, the
/// page's layout kept), through a page image beside `prefix` removed
/// afterwards: the full read's text outside tables and the gate's page.
fn read_running_text(
    tools: &Tools,
    image: &image::Grey,
    prefix: &Path,
    scratch: &Path,
    dpi: f32,
) -> Result<Vec<tesseract::Word>, String> {
    let pgm = prefix.with_extension("pgm");
    std::fs::write(&pgm, image.to_pgm()).map_err(|e| format!("writing the page image: {e}"))?;
    let words = tesseract::words(
        &tools.tesseract,
        std::slice::from_ref(&pgm),
        tesseract::Mode::Text,
        &tools.digits,
        scratch,
    );
    match keep_dir() {
        Some(dir) => {
            let kept = pgm.file_stem().map(|s| s.to_string_lossy().into_owned());
            let name = format!("{}-text.pgm", kept.unwrap_or_default());
            let _ = std::fs::rename(&pgm, Path::new(&dir).join(name));
        }
        None => {
            let _ = std::fs::remove_file(&pgm);
        }
    }
    words.map(|words| words_of_print(words, image, dpi))
}

/// The words Tesseract read that could be print: by their own boxes
/// ([`tesseract::could_be_print`]) or by the ink under their line
/// ([`specks::ink_as_tall_as_print`]).
fn words_of_print(
    words: Vec<tesseract::Word>,
    image: &image::Grey,
    dpi: f32,
) -> Vec<tesseract::Word> {
    let least = tesseract::MIN_CHARACTER_INCHES * dpi;
    words
        .into_iter()
        .filter(|w| {
            tesseract::could_be_print(w, dpi) || specks::ink_as_tall_as_print(w, image, least)
        })
        .collect()
}

/// Whether a decoded page is a scan: images and no text.
pub fn is_scan(page: &PdfPage) -> bool {
    page.error.is_none() && page.images > 0 && page.chars.iter().all(|c| c.text.trim().is_empty())
}

/// Whether no page of the document has a text layer: a scan throughout.
fn scanned_throughout(pdf: &crate::decode::pdf::PdfDocument) -> bool {
    pdf.pages
        .iter()
        .all(|p| p.chars.iter().all(|c| c.text.trim().is_empty()))
}

/// What a page read by OCR is said to have given.
fn read_message(ocr: &OcrPage) -> String {
    if ocr.blank {
        return format!(
            "page read by OCR: blank paper (no pixel darker than {} of 255), not given to Tesseract",
            image::BLANK
        );
    }
    let quarter = match ocr.quarters {
        0 => String::new(),
        q => format!("turned {}° clockwise, then ", 90 * u32::from(q)),
    };
    format!(
        "page read by OCR: {} words, mean confidence {:.0}, {quarter}turned {:.1}°",
        ocr.words, ocr.confidence, ocr.skew
    )
}

/// What OCR did to a document's pages.
#[derive(Debug, Default)]
pub struct OcrOutcome {
    /// The pages read by OCR.
    pub pages: Vec<u32>,
    pub issues: Vec<crate::model::Issue>,
    /// What was read in the pages' table cells.
    pub readings: Vec<OcrReading>,
    /// Why the document is not read: a scan whose first pages are not a
    /// budget report's ([`gate`]).
    pub not_a_report: Option<String>,
}

/// Read every scanned page of a decoded PDF by OCR, in place, when the
/// programs are installed (`GONGKAI_OCR=off` turns it off), each page at
/// most `max_pixels` (the `ocr-pixels` limit). Each page read is a warning
/// with its word count, confidence and skew (or that it is blank); each
/// that fails an error naming the page. A document with no text layer at
/// all is first passed through the [`gate`]: when its first pages are not
/// a budget report's, none is read and `not_a_report` says why.
pub fn read_scanned_pages(
    bytes: &[u8],
    pdf: &mut crate::decode::pdf::PdfDocument,
    max_pixels: usize,
    patterns: &crate::patterns::Patterns,
) -> OcrOutcome {
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
    if scanned_throughout(pdf) {
        let pages: Vec<gate::GatePage> = scanned
            .iter()
            .map(|&i| {
                let page = &pdf.pages[i];
                gate::GatePage {
                    number: page.number,
                    width: page.width,
                    height: page.height,
                    image_dpi: page.image_dpi,
                }
            })
            .collect();
        let evidence = gate::Evidence::of(patterns);
        let verdict = gate::gate(&tools, &pdf_path, &pages, &scratch.0, max_pixels, &evidence);
        if let gate::Verdict::NotReport { pages_read } = verdict {
            outcome.not_a_report = Some(gate::Verdict::reason(&pages_read));
            return outcome;
        }
    }
    let read_one = |index: usize, expected: u8| -> Result<OcrPage, String> {
        crate::budget::check();
        let page = &pdf.pages[index];
        // a folder of its own: pages may be read side by side
        let dir = scratch.0.join(format!("page-{}", page.number));
        let read = std::fs::create_dir_all(&dir)
            .map_err(|e| format!("making a scratch folder: {e}"))
            .and_then(|()| render::plan(page.width, page.height, page.image_dpi, max_pixels))
            .and_then(|plan| read_page(&tools, &pdf_path, page.number, &dir, &plan, expected));
        let _ = std::fs::remove_dir_all(&dir);
        read
    };
    // the first pages one by one, until one not blank: its turn is the
    // others' first guess (a document scanned upside down)
    let mut reads = Vec::with_capacity(scanned.len());
    let mut expected = 0;
    let mut rest = scanned.as_slice();
    while let Some((&index, more)) = rest.split_first() {
        rest = more;
        let read = read_one(index, 0);
        let inked = read
            .as_ref()
            .ok()
            .filter(|ocr| !ocr.blank)
            .map(|ocr| ocr.quarters);
        reads.push((index, read));
        if let Some(quarters) = inked {
            expected = quarters;
            break;
        }
    }
    reads.extend(read_in_parallel(rest, |index| read_one(index, expected)));
    for (index, read) in reads {
        let number = pdf.pages[index].number;
        match read {
            Ok(ocr) => {
                outcome.issues.push(Issue {
                    page: Some(number),
                    ..Issue::warning("ocr", read_message(&ocr))
                });
                pdf.pages[index] = ocr.page;
                outcome.pages.push(number);
                outcome.readings.extend(ocr.readings);
            }
            Err(why) => outcome.issues.push(Issue {
                page: Some(number),
                ..Issue::error("ocr", format!("OCR of the scanned page failed: {why}"))
            }),
        }
    }
    outcome
}

/// Each page of `pages` read by `read`, in order: side by side on the
/// thread pool the document is processed in (its idle threads take pages
/// when the batch has fewer documents than threads), one by one outside a
/// pool (`-j 1`, the library called directly). The document's deadline
/// holds on every thread.
fn read_in_parallel<T: Send>(pages: &[usize], read: impl Fn(usize) -> T + Sync) -> Vec<(usize, T)> {
    use rayon::prelude::*;
    if rayon::current_thread_index().is_none() {
        return pages.iter().map(|&i| (i, read(i))).collect();
    }
    let deadline = crate::budget::deadline();
    pages
        .par_iter()
        .map(|&i| (i, crate::budget::under(deadline, || read(i))))
        .collect()
}

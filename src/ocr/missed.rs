//! Lines of running text the page's reading missed, read on their own.
//!
//! Tesseract reads the page outside its tables as one block (`--psm 6`)
//! and may pass over a line of it whole: the title 收支预算总表 of a 1-bit
//! scan, printed large above the 部门 line, was not one word of the page's
//! reading, and the table under it went without a title (its twelve facts
//! lost). Cut out alone, the line is read.
//!
//! A line is a band of rows with ink ([`image::INK`]) on the page without
//! its cells, between blank rows, at least [`tesseract::MIN_CHARACTER_INCHES`]
//! high (lower is specks) and at most [`MAX_LINE_INCHES`] (taller is no
//! one line), its ink at least twice as wide as high (a character or two
//! alone is left to the page's reading). A band that no word read on the
//! page lies across (its box or its line's box over half the band's
//! height) is cut out with a margin and read, all such bands of a page in
//! one run of Tesseract; their words join the page's, specks and all, to
//! be judged as the page's are ([`super::specks`]).

use super::cells::MARGIN;
use super::image::{self, Grey};
use super::tesseract::{self, Mode, Word};
use super::Tools;
use std::path::{Path, PathBuf};

/// The tallest band read as one line, in inches.
pub const MAX_LINE_INCHES: f32 = 0.6;

/// A band of rows with ink, and the columns its ink spans (ends excluded).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Band {
    top: usize,
    bottom: usize,
    left: usize,
    right: usize,
}

/// The bands of `image` no word of `words` lies across (module doc).
fn missed_bands(image: &Grey, words: &[Word], dpi: f32) -> Vec<Band> {
    let least = (tesseract::MIN_CHARACTER_INCHES * dpi).ceil() as usize;
    let most = (MAX_LINE_INCHES * dpi) as usize;
    let inked = |y: usize| {
        image.pixels[y * image.width..(y + 1) * image.width]
            .iter()
            .filter(|&&p| p <= image::INK)
            .count()
            >= 2
    };
    let mut bands = Vec::new();
    let mut y = 0;
    while y < image.height {
        if !inked(y) {
            y += 1;
            continue;
        }
        let top = y;
        while y < image.height && inked(y) {
            y += 1;
        }
        let (bottom, height) = (y, y - top);
        if height < least || height > most {
            continue;
        }
        let columns: Vec<usize> = (0..image.width)
            .filter(|&x| (top..bottom).any(|row| image.at(x, row) <= image::INK))
            .collect();
        let (Some(&left), Some(&right)) = (columns.first(), columns.last()) else {
            continue;
        };
        let band = Band {
            top,
            bottom,
            left,
            right: right + 1,
        };
        if band.right - band.left >= 2 * height && !read_across(&band, words) {
            bands.push(band);
        }
    }
    bands
}

/// Whether a word's box, or its line's, lies over half the band's height.
fn read_across(band: &Band, words: &[Word]) -> bool {
    let half = (band.bottom - band.top) as f32 / 2.0;
    let overlap = |from: f32, to: f32| to.min(band.bottom as f32) - from.max(band.top as f32);
    words.iter().any(|w| {
        let beside = w.left < band.right as f32 && w.left + w.width > band.left as f32;
        let own = overlap(w.top, w.top + w.height);
        let line = overlap(w.line_bottom - w.line_height, w.line_bottom);
        beside && own.max(line) > half
    })
}

/// The band cut out of the page with a white margin.
fn cut(image: &Grey, band: &Band) -> Grey {
    image.framed((band.left, band.top), (band.right, band.bottom), MARGIN)
}

/// Read the lines of `image` (the page without its cells) that `words`
/// (the page's reading) missed: their words, in page pixels.
pub(super) fn read_missed_lines(
    tools: &Tools,
    image: &Grey,
    words: &[Word],
    prefix: &Path,
    scratch: &Path,
    dpi: f32,
) -> Result<Vec<Word>, String> {
    let bands = missed_bands(image, words, dpi);
    if bands.is_empty() {
        return Ok(Vec::new());
    }
    let mut paths: Vec<PathBuf> = Vec::with_capacity(bands.len());
    for (k, band) in bands.iter().enumerate() {
        let path = PathBuf::from(format!("{}-line{k}.pgm", prefix.display()));
        std::fs::write(&path, cut(image, band).to_pgm())
            .map_err(|e| format!("writing a line image: {e}"))?;
        paths.push(path);
    }
    let read = tesseract::words(&tools.tesseract, &paths, Mode::Text, &tools.digits, scratch);
    for path in &paths {
        let _ = std::fs::remove_file(path);
    }
    let mut found = Vec::new();
    for mut word in read? {
        let Some(band) = bands.get(word.image) else {
            continue;
        };
        let (dx, dy) = (
            band.left as f32 - MARGIN as f32,
            band.top as f32 - MARGIN as f32,
        );
        word.image = 0;
        word.left += dx;
        word.top += dy;
        word.line_bottom += dy;
        found.push(word);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Grey {
        Grey {
            width: 1000,
            height: 600,
            pixels: vec![255; 1000 * 600],
        }
    }

    fn ink(image: &mut Grey, x0: usize, y0: usize, x1: usize, y1: usize) {
        for y in y0..y1 {
            for x in x0..x1 {
                image.pixels[y * image.width + x] = 0;
            }
        }
    }

    fn word(left: f32, top: f32, width: f32, height: f32) -> Word {
        Word {
            image: 0,
            text: "部门".to_string(),
            left,
            top,
            width,
            height,
            confidence: 90.0,
            line_bottom: top + height,
            line_height: height,
        }
    }

    /// At 300 dpi: a title line 90 pixels high no word was read across is
    /// missed; the line under it, read, is not; a speck 6 pixels high and
    /// a lone character (as wide as high) are no lines to read again.
    #[test]
    fn a_line_no_word_lies_across_is_missed() {
        let mut image = page();
        ink(&mut image, 300, 100, 700, 190); // the title
        ink(&mut image, 50, 250, 400, 290); // 部门: …, read
        ink(&mut image, 500, 350, 503, 356); // a speck
        ink(&mut image, 100, 450, 140, 490); // one character
        let read = [word(50.0, 250.0, 350.0, 40.0)];
        let bands = missed_bands(&image, &read, 300.0);
        assert_eq!(
            bands,
            [Band {
                top: 100,
                bottom: 190,
                left: 300,
                right: 700
            }]
        );
        // read, with its own box broken flat but its line's right
        let mut broken = word(300.0, 160.0, 400.0, 3.0);
        broken.line_bottom = 190.0;
        broken.line_height = 90.0;
        assert!(missed_bands(&image, &[read[0].clone(), broken], 300.0).is_empty());
    }

    /// The cut-out holds the band's pixels inside a white margin.
    #[test]
    fn a_band_is_cut_out_with_a_margin() {
        let mut image = page();
        ink(&mut image, 300, 100, 700, 190);
        let band = Band {
            top: 100,
            bottom: 190,
            left: 300,
            right: 700,
        };
        let line = cut(&image, &band);
        assert_eq!(
            (line.width, line.height),
            (400 + 2 * MARGIN, 90 + 2 * MARGIN)
        );
        assert_eq!(line.at(MARGIN, MARGIN), 0);
        assert_eq!(line.at(MARGIN - 1, MARGIN), 255);
        assert_eq!(line.at(MARGIN + 399, MARGIN + 89), 0);
    }
}

//! A cell read in doubt read again, from two other images of it.
//!
//! Tesseract's reading of a cell turns on little: 合计 cut out with the
//! cell's margin of [`MARGIN`] pixels was read 徊计 (徊 at confidence 0),
//! with twice that margin 合计 at 96; the header 金额 of a blurred scan,
//! its strokes grey at their edges, was read 。鲁 (both at 0), and from
//! the same pixels made black and white at [`BLACK_BELOW`], 金额 at 96 —
//! and a table whose one amount column's header is not read has none of
//! its rows read. 合计 read 香讨 (香 at 51) was 合计 at 97 in black and
//! white.
//!
//! A cell is in doubt when its first reading is no well-formed figure
//! (the figures pass reads those again its own way) and a word of it was
//! read under [`DOUBTFUL`], or nothing was read from its ink. It is read
//! again with a wider margin and in black and white, all such cells of a
//! page in one run of Tesseract, and another reading is taken when its
//! least sure word was read with a confidence better than the first's
//! least sure by [`BETTER_BY`] (the second other reading must be as much
//! better than the first taken): a
//! misreading has a word read at a confidence near 0, print reads at 90
//! and more, and a mean would count 金 at 91 and 全 at 95 for 金额 read
//! at 34.

use super::cells::{Crop, MARGIN};
use super::image::Grey;
use super::tesseract::{self, Mode, Word};
use super::Tools;
use std::path::{Path, PathBuf};

/// A word read with less confidence than this puts its cell in doubt.
pub const DOUBTFUL: f32 = 70.0;
/// How much better another reading's mean confidence must be.
pub const BETTER_BY: f32 = 15.0;
/// The black-and-white image: a pixel this dark or darker is ink.
pub const BLACK_BELOW: u8 = 128;

/// Whether `other` is a better reading than `first` (module doc).
fn better(other: &[Word], first: &[Word]) -> bool {
    !other.is_empty() && least_confidence(other) >= least_confidence(first) + BETTER_BY
}

/// The confidence of a reading's least sure word (a reading is as much in
/// doubt as its worst word: 金 at 91, 全 at 95 and 答 at 0 is no better a
/// reading of 金额 than 金额 at 34); 0 for none.
fn least_confidence(words: &[Word]) -> f32 {
    words
        .iter()
        .map(|w| w.confidence)
        .reduce(f32::min)
        .unwrap_or(0.0)
}

/// Whether a cell read as digits among Chinese characters may be a
/// figure misread: every word with a character in it was read in doubt
/// (和370x了2 for 9,370.12, 和 at 46 and 了 at 0). Its first reading is
/// not one ([`super::cell_text::may_be_figure`]: two characters), and
/// the figures pass reads it too; a code before its label (2010350 事业运行)
/// is read at 90 and more.
pub(super) fn may_be_misread_figure(words: &[Word]) -> bool {
    let has_char = |w: &&Word| w.text.chars().any(|c| !c.is_ascii() && c.is_alphabetic());
    words
        .iter()
        .any(|w| w.text.chars().any(|c| c.is_ascii_digit()))
        && words
            .iter()
            .filter(has_char)
            .all(|w| w.confidence < DOUBTFUL)
}

/// The other images of a cell: with twice its margin, and in black and
/// white; with how far the first is shifted from the crop.
fn variants(crop: &Grey) -> [(Grey, f32); 2] {
    [
        (
            crop.framed((0, 0), (crop.width, crop.height), MARGIN),
            MARGIN as f32,
        ),
        (black_and_white(crop), 0.0),
    ]
}

fn black_and_white(crop: &Grey) -> Grey {
    Grey {
        width: crop.width,
        height: crop.height,
        pixels: crop
            .pixels
            .iter()
            .map(|&p| if p <= BLACK_BELOW { 0 } else { 255 })
            .collect(),
    }
}

/// Read the cells `doubtful` of `by_cell` (each cell's words, in its
/// crop's pixels) again, and take the better readings (module doc; which
/// are in doubt is `cell_text::in_doubt`).
pub(super) fn read_again(
    tools: &Tools,
    crops: &[Crop],
    by_cell: &mut [Vec<Word>],
    doubtful: &[usize],
    prefix: &Path,
    scratch: &Path,
) -> Result<(), String> {
    if doubtful.is_empty() {
        return Ok(());
    }
    // per image read: its cell and how far it is shifted
    let mut images: Vec<(usize, f32)> = Vec::new();
    let mut paths: Vec<PathBuf> = Vec::new();
    for &cell in doubtful {
        for (k, (image, shift)) in variants(&crops[cell].image).into_iter().enumerate() {
            let path = PathBuf::from(format!("{}-cell{cell}-again{k}.pgm", prefix.display()));
            std::fs::write(&path, image.to_pgm())
                .map_err(|e| format!("writing a cell image: {e}"))?;
            paths.push(path);
            images.push((cell, shift));
        }
    }
    let read = tesseract::words(&tools.tesseract, &paths, Mode::Text, &tools.digits, scratch);
    for path in &paths {
        let _ = std::fs::remove_file(path);
    }
    let mut again: Vec<Vec<Word>> = vec![Vec::new(); images.len()];
    for word in read? {
        if let Some(words) = again.get_mut(word.image) {
            words.push(word);
        }
    }
    for (i, mut words) in again.into_iter().enumerate() {
        let (cell, shift) = images[i];
        if !better(&words, &by_cell[cell]) {
            continue;
        }
        for word in &mut words {
            word.image = cell;
            word.left -= shift;
            word.top -= shift;
            word.line_bottom -= shift;
        }
        by_cell[cell] = words;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, confidence: f32) -> Word {
        Word {
            image: 0,
            text: text.to_string(),
            left: 0.0,
            top: 0.0,
            width: 10.0,
            height: 10.0,
            confidence,
            line_bottom: 10.0,
            line_height: 10.0,
        }
    }

    /// Digits among characters all read in doubt may be a figure; a code
    /// before a label read well is not, nor a label without digits.
    #[test]
    fn digits_among_doubtful_characters_may_be_a_figure() {
        let garbled = [
            word("和", 46.0),
            word("370x", 38.0),
            word("了", 0.0),
            word("2", 88.0),
        ];
        assert!(may_be_misread_figure(&garbled));
        assert!(!may_be_misread_figure(&[
            word("2010350", 91.0),
            word("事业运行", 95.0)
        ]));
        assert!(!may_be_misread_figure(&[word("。", 0.0), word("鲁", 0.0)]));
    }

    /// 合计 read 徊计 (徊 at 0) is bettered by 合计 at 96; 金额 at 34 is
    /// not by 金 at 91, 答 at 0, 全 at 95 and 办 at 13, nor by nothing.
    #[test]
    fn a_reading_is_better_when_its_least_sure_word_is() {
        assert!(better(
            &[word("合计", 96.0)],
            &[word("徊", 0.0), word("计", 83.0)]
        ));
        let split = [
            word("金", 91.0),
            word("答", 0.0),
            word("全", 95.0),
            word("办", 13.0),
        ];
        assert!(!better(&split, &[word("金额", 34.0)]));
        assert!(!better(&[], &[word("。", 0.0)]));
        assert!(!better(&[word("金额", 40.0)], &[word("金额", 34.0)]));
    }

    /// The widened image holds the crop's pixels shifted by the margin
    /// both ways, paper around them; black and white keeps the crop's
    /// size.
    #[test]
    fn the_other_images_keep_the_cells_pixels() {
        let crop = Grey {
            width: 2,
            height: 2,
            pixels: vec![0, 127, 128, 255],
        };
        let [(wide, shift), (binary, none)] = variants(&crop);
        assert_eq!(shift, MARGIN as f32);
        assert_eq!(none, 0.0);
        assert_eq!((wide.width, wide.height), (2 + 2 * MARGIN, 2 + 2 * MARGIN));
        assert_eq!(wide.at(MARGIN, MARGIN), 0);
        assert_eq!(wide.at(MARGIN + 1, MARGIN), 127);
        assert_eq!(wide.at(MARGIN, MARGIN + 1), 128);
        assert_eq!(wide.at(0, 0), 255);
        assert_eq!(binary.pixels, vec![0, 0, 0, 255]);
    }
}

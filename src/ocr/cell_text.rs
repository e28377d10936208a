//! Reading a scanned table's cells: each cell with ink cut out and read on
//! its own, first as Chinese text, then — where that reading is, or may
//! be, a figure — again with figures only, the figures' reading taken
//! when it is a well-formed figure and the first kept as the alternative.
//!
//! A cell of several lines where any line may be a figure is read again
//! line by line ([`lines_of`]): the figures-only pass reads one line, and
//! a column whose row rules faded is one cell of many figures (worn-09's
//! 项目支出: 139.69 0.00 0.00 … read as one block, `0O.00`, `Q.D0`). Its
//! lines' readings and the cell's whole (a figure wrapped over two lines,
//! 472.3 / 9, is the cell's) are kept for the identities to find.
//!
//! A word of one character read barely (under [`specks::RUN_CONFIDENCE`])
//! and less than half as tall as a word beside it in its cell is a speck
//! or a seal's stroke, not print ([`without_cell_specks`]): worn-05's
//! seal over 金额 and the 合计 below it read 人 above 金额, and the cell,
//! its lines no longer apart, was read whole — 11,700 63 was never read as
//! a figure and 人金额 headed no column.
//!
//! A figures' reading is set right where its marks were misread: stray
//! marks, a comma for its point, its point lost after the thousands or
//! doubled, its thousands read with points ([`super::figure_marks`]), or
//! its point lost with only its gap left in the cell's pixels
//! ([`points`]).

use super::cells::{Crop, MARGIN};
use super::figure_marks::{figure_text, is_figure, point_for_comma, point_restored};
use super::{cells, image, keep_dir, points, reread, specks, tesseract, Tools};
use crate::model::OcrReading;
use std::path::{Path, PathBuf};

/// A cell's words as one text, without spaces.
pub(super) fn joined(words: &[tesseract::Word]) -> String {
    words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<String>()
        .split_whitespace()
        .collect()
}

/// Whether a cell's first reading may be a misread figure or code, to
/// be read again as figures only: it has a digit or no Chinese, and at
/// most one Chinese character (25.13 read as 25于3; 0.17 as @HZ) — a label
/// with a code in it (2010350 事业运行) keeps its first reading.
pub(super) fn may_be_figure(text: &str) -> bool {
    let text = figure_text(text);
    let chinese = text
        .chars()
        .filter(|c| !c.is_ascii() && c.is_alphabetic())
        .count();
    let digits = text.chars().filter(|c| c.is_ascii_digit()).count();
    !text.is_empty() && chinese <= 1 && (digits > 0 || chinese == 0) && digits >= chinese
}

/// Whether a cell's first reading is in doubt, to be read again
/// ([`reread`]): no well-formed figure (the figures pass reads those
/// again its own way) with a word read under [`reread::DOUBTFUL`], or
/// nothing read from its ink.
pub(super) fn in_doubt(words: &[tesseract::Word]) -> bool {
    if words.is_empty() {
        return true;
    }
    let text = joined(words);
    !is_figure(figure_text(&text)) && words.iter().any(|w| w.confidence < reread::DOUBTFUL)
}

/// What a page's table cells were read as: their words (in page pixels)
/// and one reading a cell, or a line of one.
#[derive(Debug, Default)]
pub(super) struct CellsRead {
    pub(super) words: Vec<tesseract::Word>,
    /// The cell each of `words` was read in (an index of the page's cells).
    pub(super) cells: Vec<usize>,
    pub(super) readings: Vec<OcrReading>,
}

/// Recognise each table cell with ink on its own (see the module doc).
pub(super) fn recognise_cells(
    tools: &Tools,
    image: &image::Grey,
    table_cells: &cells::Cells,
    prefix: &Path,
    scratch: &Path,
) -> Result<CellsRead, String> {
    let crops: Vec<Crop> = (0..table_cells.rects.len())
        .filter_map(|i| cells::crop(image, table_cells, i, image::INK))
        .collect();
    let mut paths = Vec::with_capacity(crops.len());
    let written = crops.iter().enumerate().try_for_each(|(i, crop)| {
        let path = PathBuf::from(format!("{}-cell{i}.pgm", prefix.display()));
        paths.push(path.clone());
        write(&path, crop)
    });
    let result = written.and_then(|()| read_crops(tools, &crops, &paths, prefix, scratch));
    let keep = keep_dir();
    for path in &paths {
        if let (Some(dir), Some(name)) = (&keep, path.file_name()) {
            let _ = std::fs::copy(path, dir.join(name));
        }
        let _ = std::fs::remove_file(path);
    }
    result
}

fn write(path: &Path, crop: &Crop) -> Result<(), String> {
    std::fs::write(path, crop.image.to_pgm()).map_err(|e| format!("writing a cell image: {e}"))
}

/// A piece of a cell read on its own: the whole cell, or one of its lines
/// (`line`: its own image, written to `path`).
struct Unit {
    cell: usize,
    line: Option<Crop>,
    path: PathBuf,
    words: Vec<tesseract::Word>,
}

/// Run the two passes over the written cell images.
fn read_crops(
    tools: &Tools,
    crops: &[Crop],
    paths: &[PathBuf],
    prefix: &Path,
    scratch: &Path,
) -> Result<CellsRead, String> {
    use tesseract::{words, Mode};
    let text = words(&tools.tesseract, paths, Mode::Text, &tools.digits, scratch)?;
    let mut by_cell: Vec<Vec<tesseract::Word>> = vec![Vec::new(); crops.len()];
    for word in text {
        if let Some(cell) = by_cell.get_mut(word.image) {
            cell.push(word);
        }
    }
    let doubtful: Vec<usize> = (0..by_cell.len())
        .filter(|&c| in_doubt(&by_cell[c]))
        .collect();
    reread::read_again(tools, crops, &mut by_cell, &doubtful, prefix, scratch)?;
    let mut units = Vec::with_capacity(crops.len());
    for (cell, words) in by_cell.into_iter().enumerate() {
        let words = without_cell_specks(words);
        match lines_of(&crops[cell], &words) {
            Some(lines) => {
                for (k, (line, words)) in lines.into_iter().enumerate() {
                    let path =
                        PathBuf::from(format!("{}-cell{cell}-line{k}.pgm", prefix.display()));
                    units.push(Unit {
                        cell,
                        line: Some(line),
                        path,
                        words,
                    });
                }
            }
            None => units.push(Unit {
                cell,
                line: None,
                path: paths[cell].clone(),
                words,
            }),
        }
    }
    let result = read_units(tools, crops, &mut units, scratch);
    for unit in units.iter().filter(|u| u.line.is_some()) {
        let _ = std::fs::remove_file(&unit.path);
    }
    result
}

/// A cell's words without the specks read as characters: a word of one
/// letter or character (not a digit, point or other mark: a figure's
/// parts stay), read under [`specks::RUN_CONFIDENCE`], less than half as
/// tall as the cell's tallest word.
fn without_cell_specks(words: Vec<tesseract::Word>) -> Vec<tesseract::Word> {
    let tallest = words.iter().map(|w| w.height).fold(0.0f32, f32::max);
    let speck = |w: &tesseract::Word| {
        let mut chars = w.text.chars();
        let one_letter =
            matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic());
        one_letter && w.confidence < specks::RUN_CONFIDENCE && w.height * 2.0 < tallest
    };
    words.into_iter().filter(|w| !speck(w)).collect()
}

/// The figures-only pass over the units that may be figures, and each
/// unit's reading chosen.
fn read_units(
    tools: &Tools,
    crops: &[Crop],
    units: &mut [Unit],
    scratch: &Path,
) -> Result<CellsRead, String> {
    use tesseract::{words, Mode};
    for unit in units.iter() {
        if let Some(line) = &unit.line {
            write(&unit.path, line)?;
        }
    }
    let figures: Vec<usize> = (0..units.len())
        .filter(|&u| {
            let words = &units[u].words;
            may_be_figure(&joined(words)) || reread::may_be_misread_figure(words)
        })
        .collect();
    let figure_paths: Vec<PathBuf> = figures.iter().map(|&u| units[u].path.clone()).collect();
    let mut as_figures: Vec<Vec<tesseract::Word>> = vec![Vec::new(); units.len()];
    for word in words(
        &tools.tesseract,
        &figure_paths,
        Mode::Figures,
        &tools.digits,
        scratch,
    )? {
        if let Some(&unit) = figures.get(word.image) {
            as_figures[unit].push(word);
        }
    }
    let mut read = CellsRead::default();
    // each line of a cell read line by line: its cell, text and confidences
    let mut lines: Vec<(usize, String, Vec<f32>)> = Vec::new();
    for (u, unit) in units.iter_mut().enumerate() {
        let crop = unit.line.as_ref().unwrap_or(&crops[unit.cell]);
        let first = joined(&unit.words);
        let figure = figure_reading(&first, &joined(&as_figures[u]), &crop.image);
        let (chosen, alternative) = if let Some(second) = figure {
            let alternative = Some(figure_text(&first).to_string()).filter(|a| *a != second);
            let mut chosen = std::mem::take(&mut as_figures[u]);
            if chosen.is_empty() {
                // the first reading set right: its words' boxes
                chosen = std::mem::take(&mut unit.words);
            }
            if joined(&chosen) != second {
                chosen = one_word(chosen, &second);
            }
            (chosen, alternative)
        } else {
            (std::mem::take(&mut unit.words), None)
        };
        let text = joined(&chosen);
        if unit.line.is_some() {
            let confidences = chosen.iter().map(|w| w.confidence).collect();
            lines.push((unit.cell, text.clone(), confidences));
        }
        if chosen.is_empty() {
            continue;
        }
        read.readings.push(reading(
            crop,
            text,
            tesseract::mean_confidence(&chosen),
            alternative,
        ));
        read.cells
            .extend(std::iter::repeat_n(unit.cell, chosen.len()));
        read.words.extend(chosen.into_iter().map(|mut w| {
            w.left += crop.left as f32;
            w.top += crop.top as f32;
            w.line_bottom += crop.top as f32;
            w
        }));
    }
    // the reading of a cell read line by line: its lines' readings joined
    for cell_lines in lines.chunk_by(|a, b| a.0 == b.0) {
        let text: String = cell_lines
            .iter()
            .map(|(_, text, _)| text.as_str())
            .collect();
        let confidences: Vec<f32> = cell_lines.iter().flat_map(|(_, _, c)| c).copied().collect();
        if !text.is_empty() {
            let confidence = confidences.iter().sum::<f32>() / confidences.len().max(1) as f32;
            read.readings
                .push(reading(&crops[cell_lines[0].0], text, confidence, None));
        }
    }
    Ok(read)
}

/// Words as one word reading `text`, over their boxes together.
fn one_word(words: Vec<tesseract::Word>, text: &str) -> Vec<tesseract::Word> {
    let Some(first) = words.first().cloned() else {
        return words;
    };
    let right = words
        .iter()
        .map(|w| w.left + w.width)
        .fold(first.left, f32::max);
    let bottom = words
        .iter()
        .map(|w| w.top + w.height)
        .fold(first.top, f32::max);
    let left = words.iter().map(|w| w.left).fold(first.left, f32::min);
    let top = words.iter().map(|w| w.top).fold(first.top, f32::min);
    let confidence = tesseract::mean_confidence(&words);
    vec![tesseract::Word {
        text: text.to_string(),
        left,
        top,
        width: right - left,
        height: bottom - top,
        confidence,
        ..first
    }]
}

fn reading(crop: &Crop, text: String, confidence: f32, alternative: Option<String>) -> OcrReading {
    OcrReading {
        page: 0,
        text,
        confidence,
        alternative,
        left: crop.left as f32,
        top: crop.top as f32,
        right: (crop.left + crop.image.width as i64) as f32,
        bottom: (crop.top + crop.image.height as i64) as f32,
    }
}

/// The figure a cell reads as: its figures-only reading with its marks set
/// right ([`figure_set_right`]) when that is a figure, else its first
/// reading's when setting them right makes one (3,89409: the figures-only
/// pass read nothing); `None` when neither is.
fn figure_reading(first: &str, figures: &str, image: &image::Grey) -> Option<String> {
    let second = figure_set_right(figures, image);
    if is_figure(&second) {
        return Some(second);
    }
    Some(figure_set_right(first, image)).filter(|f| is_figure(f) && f != figure_text(first))
}

/// A reading of a figure with its marks set right: stray marks at its
/// ends dropped ([`figure_text`]), a comma read for its point
/// ([`point_for_comma`]), its point lost or doubled ([`point_restored`],
/// [`points::point_from_gap`] in the cell's `image`).
fn figure_set_right(read: &str, image: &image::Grey) -> String {
    let text = point_restored(&point_for_comma(figure_text(read)));
    points::point_from_gap(&text, image).unwrap_or(text)
}

/// The lines of a cell read as several, each cut out on its own with the
/// words read in it (their boxes in its image), where the cell has more
/// than one line and any of them may be a figure; `None` to read the cell
/// whole. Each line is cut halfway to the lines beside it.
pub(super) fn lines_of(
    crop: &Crop,
    words: &[tesseract::Word],
) -> Option<Vec<(Crop, Vec<tesseract::Word>)>> {
    let mut lines: Vec<Vec<tesseract::Word>> = Vec::new();
    for word in words {
        match lines.last_mut() {
            Some(line)
                if line[0].line_bottom == word.line_bottom
                    && line[0].line_height == word.line_height =>
            {
                line.push(word.clone())
            }
            _ => lines.push(vec![word.clone()]),
        }
    }
    if lines.len() < 2 || !lines.iter().any(|l| may_be_figure(&joined(l))) {
        return None;
    }
    lines.sort_by(|a, b| a[0].line_bottom.total_cmp(&b[0].line_bottom));
    let top = |l: &[tesseract::Word]| l[0].line_bottom - l[0].line_height;
    let bottom = |l: &[tesseract::Word]| l[0].line_bottom;
    // lines side by side, or one over another by more than half: not lines
    // of one column
    let apart = lines.windows(2).all(|w| {
        let overlap = bottom(&w[0]) - top(&w[1]);
        overlap < 0.5 * w[0][0].line_height.min(w[1][0].line_height)
    });
    if !apart {
        return None;
    }
    let height = crop.image.height;
    let cuts: Vec<usize> = std::iter::once(0)
        .chain(
            lines
                .windows(2)
                .map(|w| (((bottom(&w[0]) + top(&w[1])) / 2.0).max(0.0) as usize).min(height)),
        )
        .chain(std::iter::once(height))
        .collect();
    let mut out = Vec::with_capacity(lines.len());
    for (k, line) in lines.into_iter().enumerate() {
        let (from, to) = (cuts[k], cuts[k + 1]);
        if from >= to {
            return None;
        }
        let strip = strip(crop, from, to);
        let shift = from as f32 - MARGIN as f32;
        let words = line
            .into_iter()
            .map(|mut w| {
                w.top -= shift;
                w.line_bottom -= shift;
                w
            })
            .collect();
        out.push((strip, words));
    }
    Some(out)
}

/// Rows `from..to` of a crop, with a white margin above and below.
fn strip(crop: &Crop, from: usize, to: usize) -> Crop {
    let width = crop.image.width;
    let mut pixels = vec![255u8; width * (to - from + 2 * MARGIN)];
    pixels[MARGIN * width..(MARGIN + to - from) * width]
        .copy_from_slice(&crop.image.pixels[from * width..to * width]);
    Crop {
        image: image::Grey {
            width,
            height: to - from + 2 * MARGIN,
            pixels,
        },
        left: crop.left,
        top: crop.top + from as i64 - MARGIN as i64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, top: f32, height: f32) -> tesseract::Word {
        tesseract::Word {
            image: 0,
            text: text.to_string(),
            left: 30.0,
            top,
            width: 80.0,
            height,
            confidence: 40.0,
            line_bottom: top + height,
            line_height: height,
        }
    }

    fn crop(height: usize) -> Crop {
        Crop {
            image: image::Grey {
                width: 140,
                height,
                pixels: (0..140 * height).map(|i| (i / 140) as u8).collect(),
            },
            left: 1000,
            top: 2000,
        }
    }

    /// worn-09's 项目支出 column, its row rules faded: one cell whose
    /// lines Tesseract read as 139.69, 0.00, 0O.00 (its rows 45 pixels
    /// apart at 164 dpi).
    #[test]
    fn a_cell_of_figures_on_several_lines_is_read_line_by_line() {
        let words = [
            word("139.69", 24.0, 20.0),
            word("0.00", 69.0, 20.0),
            word("0O.00", 114.0, 20.0),
        ];
        let lines = lines_of(&crop(158), &words).expect("three lines");
        assert_eq!(lines.len(), 3);
        // cut halfway between the lines (44 and 69, 89 and 114): 0..56,
        // 56..101, 101..158, each with its white margin above and below
        let rows: Vec<(i64, usize)> = lines.iter().map(|(c, _)| (c.top, c.image.height)).collect();
        assert_eq!(
            rows,
            [
                (2000 - 24, 56 + 48),
                (2056 - 24, 45 + 48),
                (2101 - 24, 57 + 48)
            ]
        );
        // the second line's first row is the crop's row 56
        let (second, second_words) = &lines[1];
        assert_eq!(second.image.at(0, MARGIN), 56);
        assert_eq!(second.image.at(0, 0), 255);
        // each word where it is in its line's image, the same on the page
        assert_eq!(second_words[0].text, "0.00");
        assert_eq!(second.top as f32 + second_words[0].top, 2000.0 + 69.0);
    }

    /// worn-05's 财政拨款基本支出预算表: a seal over 金额 and the 合计 row's
    /// 11,700.63 (the rule between them lost under it), 人 read from its
    /// stroke above 金额 at 21.
    #[test]
    fn a_barely_read_character_far_smaller_than_its_cells_words_is_a_speck() {
        let mut speck = word("人", 24.0, 18.0);
        speck.confidence = 21.0;
        let words = vec![
            speck.clone(),
            word("金额", 24.0, 65.0),
            word("11,700", 163.0, 37.0),
            word("63", 163.0, 32.0),
        ];
        let kept: Vec<String> = without_cell_specks(words)
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(kept, ["金额", "11,700", "63"]);
        // read surely, as tall as print, a point, or alone: kept
        let mut sure = speck.clone();
        sure.confidence = 80.0;
        let point = tesseract::Word {
            text: ".".to_string(),
            ..speck.clone()
        };
        for kept_word in [sure, point, word("人", 24.0, 40.0)] {
            let words = vec![kept_word.clone(), word("金额", 24.0, 65.0)];
            assert_eq!(without_cell_specks(words).len(), 2, "{}", kept_word.text);
        }
        assert_eq!(without_cell_specks(vec![speck]).len(), 1);
    }

    #[test]
    fn a_label_of_two_lines_and_a_figure_of_one_are_read_whole() {
        let label = [
            word("八、社会保障", 24.0, 30.0),
            word("和就业支出", 60.0, 30.0),
        ];
        assert!(lines_of(&crop(120), &label).is_none());
        assert!(lines_of(&crop(70), &[word("65.27", 24.0, 20.0)]).is_none());
    }

    /// The figures-only pass read nothing, or no figure: the first
    /// reading is taken where setting its marks right makes it one.
    #[test]
    fn a_first_reading_set_right_is_the_figure_when_the_second_is_none() {
        let blank = image::Grey {
            width: 40,
            height: 20,
            pixels: vec![255; 800],
        };
        assert_eq!(
            figure_reading("3,89409", "", &blank).as_deref(),
            Some("3,894.09")
        );
        assert_eq!(
            figure_reading("3,89409", "13,69", &blank).as_deref(),
            Some("13.69")
        );
        // a first reading already a figure is the parse's to read; text none
        assert_eq!(figure_reading("3,894.09", "", &blank), None);
        assert_eq!(figure_reading("津贴补贴", "", &blank), None);
    }

    /// A garbled header (both words at 0) and a half-read label are in
    /// doubt, and so is ink read as nothing; a figure read in doubt is
    /// the figures pass's, and a label read well is left.
    #[test]
    fn a_cell_is_in_doubt_when_a_word_of_it_was_barely_read() {
        let word = |text: &str, confidence: f32| tesseract::Word {
            confidence,
            ..word(text, 0.0, 10.0)
        };
        assert!(in_doubt(&[word("。", 0.0), word("鲁", 0.0)]));
        assert!(in_doubt(&[word("徊", 0.0), word("计", 83.0)]));
        assert!(in_doubt(&[]));
        assert!(!in_doubt(&[word("9,370.12", 30.0)]));
        assert!(!in_doubt(&[word("合计", 96.0)]));
    }
}

//! The words Tesseract read as the characters the layout places
//! ([`crate::layout`]): each word's characters share its box evenly, in
//! points; in a table cell of words, each line's words are closed up and
//! centred ([`cell_chars`]), so a cell spanning columns is one run of
//! text and the span's.

use super::figure_marks::figure_text;
use super::tesseract;
use crate::decode::pdf::{Shown, TextChar};

/// The characters of the words read in the table cells, in points: each
/// word's as [`word_chars`], but in a cell of words (none of two digits or
/// more: no code, no figure) each line's words side by side, the gaps
/// between them closed, centred on the middle of the cell's words. A cell
/// spanning columns (“三公”经费 over five, 公务用车购置及运行维护费 over
/// three) is read in words spread across it, its quotes a line of their
/// own; the layout took each word for the text of the column under it,
/// and the header's words named no column (1 | 公”经费, the 1 a figure
/// and the header row so the body's first). Centred, they are the span's.
pub(super) fn cell_chars(words: &[tesseract::Word], cells: &[usize], points: f32) -> Vec<TextChar> {
    let mut chars = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let end = (i..words.len())
            .find(|&j| cells.get(j) != cells.get(i))
            .unwrap_or(words.len());
        let cell = &words[i..end];
        let no_number = cell
            .iter()
            .all(|w| w.text.chars().filter(|c| c.is_ascii_digit()).count() < 2);
        if cell.len() > 1 && no_number {
            let left = cell.iter().map(|w| w.left).fold(f32::INFINITY, f32::min);
            let right = cell
                .iter()
                .map(|w| w.left + w.width)
                .fold(f32::NEG_INFINITY, f32::max);
            for line in visual_lines(cell) {
                chars.extend(closed_up(&line, (left + right) / 2.0, points));
            }
        } else {
            cell.iter()
                .for_each(|w| chars.extend(word_chars(w, points)));
        }
        i = end;
    }
    chars
}

/// A cell's words by the lines they are printed on: Tesseract's lines,
/// those whose bottoms are less than half a line apart one (the quotes of
/// “三公”经费 stand higher than its characters and were read as a line of
/// their own).
fn visual_lines(cell: &[tesseract::Word]) -> Vec<Vec<tesseract::Word>> {
    let mut lines: Vec<Vec<tesseract::Word>> = Vec::new();
    for read in cell.chunk_by(|a, b| a.line_bottom == b.line_bottom) {
        match lines.last_mut() {
            Some(last)
                if (last[0].line_bottom - read[0].line_bottom).abs()
                    < read[0].line_height.max(last[0].line_height) / 2.0 =>
            {
                last.extend_from_slice(read)
            }
            _ => lines.push(read.to_vec()),
        }
    }
    lines
}

/// The characters of a line's words, left to right, with the gaps between
/// the words closed, centred on `middle` (in pixels), on one baseline (the
/// lowest of its words').
fn closed_up(line: &[tesseract::Word], middle: f32, points: f32) -> Vec<TextChar> {
    let mut sorted: Vec<&tesseract::Word> = line.iter().collect();
    sorted.sort_by(|a, b| a.left.total_cmp(&b.left));
    let inked: f32 = sorted.iter().map(|w| w.width).sum();
    let bottom = sorted.iter().map(|w| w.line_bottom).fold(0.0, f32::max);
    let mut at = middle - inked / 2.0;
    let mut chars = Vec::new();
    for word in sorted {
        let moved = tesseract::Word {
            left: at,
            line_bottom: bottom,
            ..word.clone()
        };
        chars.extend(word_chars(&moved, points));
        at += word.width;
    }
    chars
}

/// A word's characters, sharing its box evenly, in points.
pub(super) fn word_chars(word: &tesseract::Word, points: f32) -> Vec<TextChar> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, left: f32, width: f32, bottom: f32) -> tesseract::Word {
        tesseract::Word {
            image: 0,
            text: text.to_string(),
            left,
            top: bottom - 40.0,
            width,
            height: 40.0,
            confidence: 90.0,
            line_bottom: bottom,
            line_height: 40.0,
        }
    }

    fn text_and_span(chars: &[TextChar]) -> (String, f32, f32) {
        let text = chars.iter().map(|c| c.text.as_str()).collect();
        let left = chars.iter().map(|c| c.x0).fold(f32::INFINITY, f32::min);
        let right = chars.iter().map(|c| c.x1).fold(f32::NEG_INFINITY, f32::max);
        (text, left, right)
    }

    /// Worn-05's “三公”经费 over five columns (cell 1146–3622 px): read as
    /// 6一 on a line of its own (the quotes stand high) and 公 经费 spread
    /// across; the layout put 6一 over one column and 公经费 over another.
    /// Closed up and centred, they are one run in the middle of the cell,
    /// on one baseline.
    #[test]
    fn a_cells_words_are_closed_up_and_centred() {
        let words = [
            word("6", 2100.0, 30.0, 770.0),
            word("一", 2140.0, 40.0, 770.0),
            word("公", 2300.0, 40.0, 780.0),
            word("经费", 2600.0, 80.0, 780.0),
        ];
        let chars = cell_chars(&words, &[1, 1, 1, 1], 1.0);
        let (text, left, right) = text_and_span(&chars);
        assert_eq!(text, "6一公经费");
        let middle = (2100.0 + 2680.0) / 2.0;
        assert!((left + right - 2.0 * middle).abs() < 0.01, "{left} {right}");
        assert_eq!(right - left, 190.0);
        assert!(chars.iter().all(|c| c.baseline == 780.0));
    }

    /// A cell with a code or a figure, or of one word, keeps its words
    /// where they were read; so do the words of two cells.
    #[test]
    fn codes_figures_and_single_words_stay_where_read() {
        let words = [
            word("2010350", 100.0, 140.0, 500.0),
            word("事业运行", 400.0, 160.0, 500.0),
            word("合计", 900.0, 80.0, 600.0),
            word("基本", 1200.0, 80.0, 700.0),
            word("支出", 1500.0, 80.0, 700.0),
        ];
        let chars = cell_chars(&words, &[0, 0, 1, 2, 3], 1.0);
        let lefts: Vec<f32> = chars.iter().map(|c| c.x0).collect();
        assert_eq!(lefts[0], 100.0);
        assert_eq!(lefts[7], 400.0);
        assert_eq!(lefts[11], 900.0);
        assert_eq!(lefts[13], 1200.0);
        assert_eq!(lefts[15], 1500.0);
    }
}

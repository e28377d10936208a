//! Words read from the paper around tables that are no print: specks, the
//! stub of a rule, the shadow at a page's edge.
//!
//! Tesseract reads a page outside its tables as one block of text and
//! makes a word of every speck it meets there ([`super::tesseract::
//! could_be_print`] leaves out those too small to be a character). Those
//! left became lines of their own, and a line of text between a table's
//! rows on one page and on the next ends the table: worn-01's
//! 财政拨款收入支出决算总表 lost its second page (十九、住房保障支出 to 总计)
//! to `wa`, `>`, `||人|` and `,的,上` read from the specks above it.
//!
//! The words of each line Tesseract found are taken in runs: a word
//! follows the one before it when the gap between them is under
//! [`RUN_GAP`] times the taller one's height (print's words stand closer
//! than a character apart; specks stand anywhere). A run is print when it
//! has a letter, digit or character and
//! - of one or two of them, its best word was read with at least
//!   [`SHORT_RUN_CONFIDENCE`] (上 read at 60 from a smear, 中 at 69 from
//!   the shadow at the edge; a word of print alone on its line, 注 or
//!   公开04表, reads at 85 and more);
//! - of more, its words' mean confidence is at least
//!   [`RUN_CONFIDENCE`] (a line of print on a worn scan has words read at
//!   0 — 数字, 智慧 on worn-01's first page — among many read at 90).
//!
//! And a run none of whose words' boxes holds ink is no print, however
//! well it was read: Tesseract's own thresholding makes characters of the
//! faint grey smudges of a worn copy (worn-03's 发 read at 83 and 级一多
//! above its page 8, not one pixel of them darker than 243 on paper of
//! 255). Ink is what a rule's pixels are at least ([`Grey::rule_ink`]: 30
//! below the paper's grey); light grey print, 200, is ink. A word without
//! ink in a run of print stays: Tesseract's box of a bracket may miss its
//! stroke (the ) of 事业运行(项)228.45万元 on the worn 300 dpi scan).

use super::image::Grey;
use super::tesseract::Word;

/// A word follows the one before it on its line when the gap between
/// them is under this many times the taller one's height.
pub const RUN_GAP: f32 = 1.5;
/// The least confidence of the best word of a run of one or two
/// letters, digits or characters.
pub const SHORT_RUN_CONFIDENCE: f32 = 75.0;
/// The least mean confidence of a run of more.
pub const RUN_CONFIDENCE: f32 = 30.0;

/// `words` (in Tesseract's order: line by line, left to right) without
/// the runs that are no print.
pub fn without_specks(words: Vec<Word>, image: &Grey) -> Vec<Word> {
    let ink = image.rule_ink();
    let mut kept = Vec::with_capacity(words.len());
    for run in runs(&words) {
        if is_print(run) && run.iter().any(|w| has_ink(w, image, ink)) {
            kept.extend(run.iter().cloned());
        }
    }
    kept
}

/// The runs of words: consecutive words of one line standing close.
fn runs(words: &[Word]) -> Vec<&[Word]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=words.len() {
        let ends = i == words.len() || !follows(&words[i - 1], &words[i]);
        if ends {
            runs.push(&words[start..i]);
            start = i;
        }
    }
    runs
}

/// Whether the box of `word` in `image` holds a pixel at least as dark
/// as `ink`.
fn has_ink(word: &Word, image: &Grey, ink: u8) -> bool {
    let span = |start: f32, length: f32, limit: usize| {
        let from = (start.max(0.0) as usize).min(limit);
        let to = ((start + length).ceil().max(0.0) as usize).min(limit);
        from..to
    };
    let columns = span(word.left, word.width, image.width);
    span(word.top, word.height, image.height).any(|y| {
        let row = &image.pixels[y * image.width..(y + 1) * image.width];
        row[columns.clone()].iter().any(|&p| p <= ink)
    })
}

/// Whether the ink under a word, over its line's height, stands at least
/// `least` pixels high: Tesseract's own box of a word may be broken
/// (收支 of a title, read with a speck before it, boxed 380 × 3 pixels)
/// where its line's box is right; a speck or a rule's stub read as a
/// word is no taller under its line than its own box.
pub fn ink_as_tall_as_print(word: &Word, image: &Grey, least: f32) -> bool {
    let columns = (word.left.max(0.0) as usize).min(image.width)
        ..((word.left + word.width).ceil().max(0.0) as usize).min(image.width);
    let top = ((word.line_bottom - word.line_height).max(0.0) as usize).min(image.height);
    let bottom = (word.line_bottom.ceil().max(0.0) as usize).min(image.height);
    let inked = |y: &usize| {
        let row = &image.pixels[y * image.width..(y + 1) * image.width];
        row[columns.clone()].iter().any(|&p| p <= super::image::INK)
    };
    let first = (top..bottom).find(inked);
    let last = (top..bottom).rev().find(inked);
    match (first, last) {
        (Some(first), Some(last)) => (last + 1 - first) as f32 >= least,
        _ => false,
    }
}

/// Whether `word` goes on the run of `before`: the same line of the same
/// image, close after it.
fn follows(before: &Word, word: &Word) -> bool {
    let same_line = before.image == word.image
        && before.line_bottom == word.line_bottom
        && before.line_height == word.line_height;
    let gap = word.left - (before.left + before.width);
    same_line && gap < RUN_GAP * before.height.max(word.height)
}

fn is_print(run: &[Word]) -> bool {
    let letters = run
        .iter()
        .flat_map(|w| w.text.chars())
        .filter(|c| c.is_alphanumeric())
        .count();
    if letters == 0 {
        return false;
    }
    if letters <= 2 {
        let best = run.iter().map(|w| w.confidence).fold(0.0, f32::max);
        return best >= SHORT_RUN_CONFIDENCE;
    }
    let mean = run.iter().map(|w| w.confidence).sum::<f32>() / run.len() as f32;
    mean >= RUN_CONFIDENCE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, left: f32, width: f32, height: f32, confidence: f32, line: f32) -> Word {
        Word {
            image: 0,
            text: text.to_string(),
            left,
            top: line - height,
            width,
            height,
            confidence,
            line_bottom: line,
            line_height: 40.0,
        }
    }

    /// A word boxed 380 × 3 over characters 90 pixels high on a line 103
    /// high is as tall as print; a stub of 3 pixels alone under its line
    /// is not.
    #[test]
    fn a_words_ink_is_measured_over_its_lines_height() {
        let mut image = Grey {
            width: 600,
            height: 300,
            pixels: vec![255; 600 * 300],
        };
        for y in 140..230 {
            for x in 200..210 {
                image.pixels[y * 600 + x] = 0;
            }
        }
        for x in 400..500 {
            image.pixels[210 * 600 + x] = 0;
            image.pixels[211 * 600 + x] = 0;
        }
        let mut title = word("收支", 150.0, 100.0, 3.0, 70.0, 233.0);
        title.top = 208.0;
        title.line_height = 103.0;
        assert!(ink_as_tall_as_print(&title, &image, 13.0));
        let mut stub = word("收文", 400.0, 100.0, 3.0, 70.0, 233.0);
        stub.top = 209.0;
        stub.line_height = 103.0;
        assert!(!ink_as_tall_as_print(&stub, &image, 13.0));
    }

    /// A page all ink: every word's box holds some.
    fn ink_everywhere() -> Grey {
        Grey {
            width: 2600,
            height: 600,
            pixels: vec![0; 2600 * 600],
        }
    }

    fn texts(words: &[Word]) -> Vec<&str> {
        words.iter().map(|w| w.text.as_str()).collect()
    }

    /// The words Tesseract read above worn-01's page 8 (the second page of
    /// 财政拨款收入支出决算总表, 300 dpi): its first lines, as read.
    #[test]
    fn specks_above_a_table_are_no_line_of_text() {
        let words = vec![
            word("wa", 351.0, 6.0, 19.0, 0.0, 19.0),
            word(">", 2039.0, 9.0, 7.0, 18.0, 19.0),
            word("|", 484.0, 2.0, 2.0, 5.0, 60.0),
            word("人", 2209.0, 14.0, 15.0, 0.0, 60.0),
            word("的", 704.0, 11.0, 17.0, 11.0, 70.0),
            word("上", 2393.0, 44.0, 19.0, 60.0, 70.0),
        ];
        assert!(without_specks(words, &ink_everywhere()).is_empty());
    }

    /// worn-01's first page: a line of print with two words read at 0.
    #[test]
    fn a_line_of_print_keeps_its_words_read_badly() {
        let words = vec![
            word("(一)为建设", 225.0, 200.0, 36.0, 93.0, 360.0),
            word("数字", 438.0, 60.0, 36.0, 0.0, 360.0),
            word("大洼", 505.0, 70.0, 36.0, 91.0, 360.0),
            word("提供", 580.0, 60.0, 36.0, 96.0, 360.0),
            word("公开04表", 2000.0, 160.0, 36.0, 91.0, 460.0),
            word("注：", 180.0, 50.0, 36.0, 88.0, 560.0),
        ];
        assert_eq!(
            texts(&without_specks(words, &ink_everywhere())),
            ["(一)为建设", "数字", "大洼", "提供", "公开04表", "注："]
        );
    }

    /// worn-03's page 8: Tesseract read 发 at 83 and 级一多 (mean 32)
    /// from grey smudges above the table, nothing in them darker than
    /// 243; a word of print beside them keeps its place.
    #[test]
    fn words_read_from_smudges_without_ink_are_no_print() {
        let mut page = Grey {
            width: 1300,
            height: 200,
            pixels: vec![255; 1300 * 200],
        };
        let mut paint = |left: usize, top: usize, size: usize, level: u8| {
            for y in top..top + size {
                for x in left..left + size {
                    page.pixels[y * 1300 + x] = level;
                }
            }
        };
        paint(879, 69, 18, 243);
        paint(1029, 65, 18, 246);
        paint(1057, 59, 21, 250);
        paint(1074, 63, 18, 245);
        // light grey print is ink
        paint(180, 60, 36, 190);
        let words = vec![
            word("注", 180.0, 36.0, 36.0, 88.0, 96.0),
            word("发", 879.0, 18.0, 17.0, 83.0, 86.0),
            word("级", 1029.0, 18.0, 17.0, 29.9, 86.0),
            word("一", 1057.0, 21.0, 40.0, 47.4, 86.0),
            word("多", 1074.0, 18.0, 18.0, 18.4, 86.0),
        ];
        assert_eq!(texts(&without_specks(words, &page)), ["注"]);
        // a word whose box missed its ink, in a run of print, stays
        let words = vec![
            word("注", 180.0, 36.0, 36.0, 88.0, 96.0),
            word(")", 220.0, 4.0, 4.0, 80.0, 96.0),
        ];
        assert_eq!(texts(&without_specks(words, &page)), ["注", ")"]);
    }

    #[test]
    fn a_word_far_along_its_line_is_a_run_of_its_own() {
        let words = vec![
            word("金额单位：万元", 1800.0, 300.0, 36.0, 92.0, 300.0),
            word("中", 2450.0, 19.0, 38.0, 69.0, 300.0),
        ];
        assert_eq!(
            texts(&without_specks(words, &ink_everywhere())),
            ["金额单位：万元"]
        );
    }
}

//! Running Tesseract (under a time limit, `crate::external::run`) and
//! reading its TSV: one row per recognised word, with its box and
//! confidence.

use crate::external::run;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Longest one program may run on one page.
pub const TIMEOUT: Duration = Duration::from_secs(180);

/// A recognised word, its box in pixels, with the box of its line (whose
/// bottom is the line's baseline: a word's own box is as tall as its
/// glyphs, 一 three pixels).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Which image of the run (0 for the first), when several are read
    /// in one run.
    pub image: usize,
    pub text: String,
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
    pub confidence: f32,
    pub line_bottom: f32,
    pub line_height: f32,
}

/// Tesseract's boxes of a word of several Chinese characters may reach
/// over the words after it (政府 drawn 186 pixels wide over 办公厅): a
/// word's box is cut where the next word of its line starts, so its
/// characters stay in reading order.
fn keep_reading_order(words: &mut [Word], lines: &[LineKey]) {
    for i in 1..words.len() {
        if lines[i] != lines[i - 1] {
            continue;
        }
        let next_left = words[i].left;
        let word = &mut words[i - 1];
        if word.left + word.width > next_left {
            word.width = (next_left - word.left).max(1.0);
        }
    }
}

/// The languages Tesseract lists (none when it cannot be run).
pub fn languages(tesseract: &Path) -> Vec<String> {
    run(Command::new(tesseract).arg("--list-langs"), TIMEOUT)
        .map(|out| {
            String::from_utf8_lossy(&out)
                .lines()
                .skip(1)
                .map(|line| line.trim().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// How Tesseract is asked to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A block of Chinese text (a page, or a cell of one or more lines).
    Text,
    /// One line of figures: digits, point, comma, minus and per cent only
    /// (with the `digits_language`: `eng` where installed).
    Figures,
}

/// The words Tesseract reads in `images` (one run, the model loaded
/// once; a list file in `scratch` names them), each word with the index
/// of its image.
pub fn words(
    tesseract: &Path,
    images: &[std::path::PathBuf],
    mode: Mode,
    digits_language: &str,
    scratch: &Path,
) -> Result<Vec<Word>, String> {
    if images.is_empty() {
        return Ok(Vec::new());
    }
    let input = if images.len() == 1 {
        images[0].clone()
    } else {
        let list = scratch.join(format!("images-{mode:?}.txt"));
        let names: String = images
            .iter()
            .map(|p| format!("{}\n", p.display()))
            .collect();
        std::fs::write(&list, names).map_err(|e| format!("writing the image list: {e}"))?;
        list
    };
    let mut command = Command::new(tesseract);
    command.arg(&input).arg("stdout");
    match mode {
        Mode::Text => command.args(["-l", "chi_sim", "--psm", "6"]),
        Mode::Figures => command
            .args(["-l", digits_language, "--psm", "7", "-c"])
            .arg(
                // 0–9 . , - % (a minus is read as a hyphen)
                "tessedit_char_whitelist=0123456789.,-%",
            ),
    };
    let timeout = TIMEOUT * (1 + images.len() as u32 / 100);
    // one thread a run: pages are what runs in parallel
    let out = run(command.arg("tsv").env("OMP_THREAD_LIMIT", "1"), timeout)
        .map_err(|e| format!("tesseract: {e}"))?;
    Ok(parse_tsv(&String::from_utf8_lossy(&out)))
}

/// Tesseract's key of a line: image, block, paragraph, line.
type LineKey = (String, String, String, String);

/// The mean confidence of words (0 for none).
pub fn mean_confidence(words: &[Word]) -> f32 {
    if words.is_empty() {
        return 0.0;
    }
    words.iter().map(|w| w.confidence).sum::<f32>() / words.len() as f32
}

/// Level-5 rows (words) with text and a confidence, each with its line's
/// box (the level-4 row of the same block, paragraph and line).
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut lines: std::collections::HashMap<LineKey, (f32, f32)> =
        std::collections::HashMap::new();
    let mut words = Vec::new();
    let mut keys = Vec::new();
    for line in tsv.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 12 {
            continue;
        }
        let number = |i: usize| fields[i].trim().parse::<f32>().ok();
        let key = (
            fields[1].to_string(),
            fields[2].to_string(),
            fields[3].to_string(),
            fields[4].to_string(),
        );
        match fields[0] {
            "4" => {
                if let (Some(top), Some(height)) = (number(7), number(9)) {
                    lines.insert(key, (top + height, height));
                }
            }
            "5" => {
                let text = fields[11].trim();
                let (Some(confidence), Some(left), Some(top), Some(width), Some(height)) =
                    (number(10), number(6), number(7), number(8), number(9))
                else {
                    continue;
                };
                if text.is_empty() || confidence < 0.0 {
                    continue;
                }
                let (line_bottom, line_height) =
                    lines.get(&key).copied().unwrap_or((top + height, height));
                let image = fields[1].trim().parse::<usize>().unwrap_or(1).max(1) - 1;
                keys.push(key);
                words.push(Word {
                    image,
                    text: text.to_string(),
                    left,
                    top,
                    width,
                    height,
                    confidence,
                    line_bottom,
                    line_height,
                });
            }
            _ => {}
        }
    }
    keep_reading_order(&mut words, &keys);
    words
}

/// The least height of a printed letter, digit or Chinese character, in
/// inches: a digit at 5 pt is 0.05 in high, a Chinese character 0.06 in.
/// A lower "word" read from the paper around the tables is specks (四
/// read from a speck of 8 × 5 pixels, 区 from a streak of 32 × 12, at the
/// top of a page: a line of running text there ended the table that went
/// on from the page before).
pub const MIN_CHARACTER_INCHES: f32 = 0.045;

/// Below this confidence a word too small to be print is not read
/// (Tesseract's own box of a character read well may be a few pixels: 中
/// 7 × 13 at 92; the specks' words scored 62 and less).
pub const SMALL_WORD_CONFIDENCE: f32 = 75.0;

/// Whether a word Tesseract read could be print: a word of letters,
/// digits or characters at least [`MIN_CHARACTER_INCHES`] high — as wide,
/// if it is flat strokes alone (一, —: three pixels high) — or read with
/// [`SMALL_WORD_CONFIDENCE`]; punctuation (、。) may be smaller.
pub fn could_be_print(word: &Word, dpi: f32) -> bool {
    let least = MIN_CHARACTER_INCHES * dpi;
    let flat = word
        .text
        .chars()
        .all(|c| matches!(c, '一' | '-' | '—' | '_'));
    let size = if flat { word.width } else { word.height };
    size >= least
        || word.confidence >= SMALL_WORD_CONFIDENCE
        || !word.text.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_read_from_tesseracts_tsv() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t2481\t3508\t-1\t\n\
                   4\t1\t1\t1\t1\t0\t600\t180\t300\t45\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t612\t186\t60\t35\t95.919350\t拨款\n\
                   5\t1\t1\t1\t1\t2\t700\t186\t60\t35\t-1\t \n";
        assert_eq!(
            parse_tsv(tsv),
            [Word {
                image: 0,
                text: "拨款".to_string(),
                left: 612.0,
                top: 186.0,
                width: 60.0,
                height: 35.0,
                confidence: 95.91935,
                line_bottom: 225.0,
                line_height: 45.0,
            }]
        );
    }

    /// Words read at 300 dpi from the top of a worn scan's page (its
    /// specks) and from its text: the specks' (四 8 × 5 at 62, 区 32 × 12
    /// at 0) are not print; 中 read 7 × 13 at 92, 一 three pixels high,
    /// a comma and a word of full height are.
    #[test]
    fn a_word_too_small_to_be_print_and_read_poorly_is_specks() {
        let word = |text: &str, width: f32, height: f32, confidence: f32| Word {
            image: 0,
            text: text.to_string(),
            left: 0.0,
            top: 0.0,
            width,
            height,
            confidence,
            line_bottom: 0.0,
            line_height: 0.0,
        };
        assert!(!could_be_print(&word("四", 8.0, 5.0, 61.7), 300.0));
        assert!(!could_be_print(&word("区", 32.0, 12.0, 0.0), 300.0));
        assert!(!could_be_print(&word("3", 9.0, 7.0, 0.0), 300.0));
        assert!(could_be_print(&word("中", 7.0, 13.0, 92.2), 300.0));
        assert!(could_be_print(&word("一", 30.0, 3.0, 40.0), 300.0));
        assert!(could_be_print(&word("，", 5.0, 10.0, 58.0), 300.0));
        assert!(could_be_print(&word("卫生", 60.0, 35.0, 30.0), 300.0));
        // at the gate's 100 dpi the least is a third
        assert!(could_be_print(&word("卫", 12.0, 12.0, 30.0), 100.0));
    }
}

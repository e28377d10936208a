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
fn keep_reading_order(words: &mut [Word], lines: &[(String, String, String)]) {
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

/// Whether Tesseract lists the language.
pub fn has_language(tesseract: &Path, language: &str) -> bool {
    run(Command::new(tesseract).arg("--list-langs"), TIMEOUT)
        .map(|out| {
            String::from_utf8_lossy(&out)
                .lines()
                .any(|line| line.trim() == language)
        })
        .unwrap_or(false)
}

/// The words Tesseract reads in an image.
pub fn words(tesseract: &Path, image: &Path) -> Result<Vec<Word>, String> {
    let out = run(
        Command::new(tesseract)
            .arg(image)
            .args(["stdout", "-l", "chi_sim", "--psm", "6", "tsv"])
            // one thread a page: pages are what runs in parallel
            .env("OMP_THREAD_LIMIT", "1"),
        TIMEOUT,
    )
    .map_err(|e| format!("tesseract: {e}"))?;
    Ok(parse_tsv(&String::from_utf8_lossy(&out)))
}

/// Level-5 rows (words) with text and a confidence, each with its line's
/// box (the level-4 row of the same block, paragraph and line).
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut lines: std::collections::HashMap<(String, String, String), (f32, f32)> =
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
                keys.push(key);
                words.push(Word {
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
}

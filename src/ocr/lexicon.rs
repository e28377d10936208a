//! Labels read by OCR set right against the words the patterns know: a
//! cell or a short line of a scanned page whose text is one character (two
//! in a long label) away from a table title, a line label, a column header
//! or a class name — and nearer to it than to any other — is read as that
//! word (也生健康支出 → 卫生健康支出, 财政拨。款收入 → 财政拨款收入).
//!
//! A short header (行次, under [`MIN_CHARS`]) is set right only when read
//! with one character too many inside it (行光次): its column's row numbers
//! would otherwise be taken for amounts.
//!
//! A short column header (决算数, 项目支出: three or four characters) is set
//! right only when read with one character inside it misread (决筑数),
//! first and last as printed, and no other header that near: the
//! column's figures would otherwise be read under no column, or the
//! table's groups run together.
//!
//! A character read as its look-alike (`look_alikes` in `report.toml`:
//! 支 read 文) is not counted as one off: 收文预咎总表 is 收支预算总表 with
//! one character misread.
//!
//! Only labels: text with a digit (a figure, a code) is never touched, nor
//! text shorter than [`MIN_CHARS`], nor text the patterns already know. An
//! ordinal before the label (九、) stays as printed. Each page's changes
//! are one warning in `issues.csv`, every change quoted.

use crate::patterns::Patterns;
use crate::text::{is_han, levenshtein_by, normalise, strip_ordinals};
use std::collections::HashSet;

/// The shortest label set right (shorter ones differ by one character
/// from too many others: 收入总计, 支出总计).
pub const MIN_CHARS: usize = 5;
/// From this length on, two characters may be misread.
pub const TWO_OFF_CHARS: usize = 10;
/// Paragraphs longer than this are running text, not labels.
pub const MAX_CHARS: usize = 40;

/// The words of the patterns, normalised.
#[derive(Debug, Default)]
pub struct Lexicon {
    known: HashSet<String>,
    words: Vec<Vec<char>>,
    /// Short headers (行次) set right only when read with one character
    /// too many inside them (行光次).
    short: Vec<Vec<char>>,
    /// Column headers of [`SHORT_HEADER_CHARS`], set right only when read
    /// with one character inside them misread (决筑数).
    short_columns: Vec<Vec<char>>,
    /// Every word of the patterns of that length (line labels too: 支出总计
    /// is one character from the header 支出合计 and is no misreading).
    short_known: Vec<Vec<char>>,
    /// Characters OCR reads as others (printed, read): one read as its
    /// look-alike counts as no character off, and of two words equally
    /// near, the one misread as look-alikes wins.
    look_alikes: Vec<(char, char)>,
}

/// The lengths of the column headers set right when one character inside
/// them is misread (shorter: 合计, 小计 are too near too much).
const SHORT_HEADER_CHARS: std::ops::RangeInclusive<usize> = 3..=4;

impl Lexicon {
    /// Titles, line labels, column headers and class names of `patterns`.
    pub fn of(patterns: &Patterns) -> Lexicon {
        let mut known = HashSet::new();
        for table in &patterns.tables {
            known.extend(table.final_titles.iter().cloned());
            known.extend(table.budget_titles.iter().cloned());
            for line in &table.lines {
                known.extend(line.labels.iter().cloned());
            }
            for column in &table.columns {
                known.extend(column.labels.iter().flatten().cloned());
            }
        }
        known.extend(patterns.function_classes.keys().cloned());
        let mut short_columns: Vec<Vec<char>> = patterns
            .tables
            .iter()
            .flat_map(|table| &table.columns)
            .flat_map(|column| column.labels.iter().flatten())
            .map(|w| normalise(w).chars().collect::<Vec<char>>())
            .filter(|w| SHORT_HEADER_CHARS.contains(&w.len()) && w.iter().all(|c| is_han(*c)))
            .collect();
        short_columns.sort();
        short_columns.dedup();
        let mut short_known: Vec<Vec<char>> = known
            .iter()
            .map(|w| normalise(w).chars().collect::<Vec<char>>())
            .filter(|w| SHORT_HEADER_CHARS.contains(&w.len()))
            .collect();
        short_known.sort();
        short_known.dedup();
        let known: HashSet<String> = known
            .into_iter()
            .map(|w| normalise(&w))
            .filter(|w| w.chars().count() >= MIN_CHARS)
            .collect();
        let mut words: Vec<Vec<char>> = known.iter().map(|w| w.chars().collect()).collect();
        words.sort();
        let short = patterns
            .report
            .row_number_headers
            .iter()
            .map(|w| w.chars().collect())
            .collect();
        Lexicon {
            known,
            words,
            short,
            short_columns,
            short_known,
            look_alikes: patterns.report.look_alikes.clone(),
        }
    }

    /// The one short column header `label` is with one character inside it
    /// misread (决筑数 → 决算数); `None` when it is one, or when two are
    /// that near.
    pub fn short_column(&self, label: &str) -> Option<String> {
        let chars: Vec<char> = label.chars().collect();
        if !SHORT_HEADER_CHARS.contains(&chars.len()) || !chars.iter().all(|c| is_han(*c)) {
            return None;
        }
        if self.short_known.contains(&chars) {
            return None;
        }
        // the one word of the patterns that near, and it a header
        let mut near = self
            .short_known
            .iter()
            .filter(|word| one_misread_inside(&chars, word));
        let word = near.next()?;
        (near.next().is_none() && self.short_columns.contains(word)).then(|| word.iter().collect())
    }

    /// The short header `label` is with one character too many inside it
    /// (行光次 → 行次: a row-number column misread would give its numbers
    /// as amounts).
    pub fn short_header(&self, label: &str) -> Option<String> {
        let chars: Vec<char> = label.chars().collect();
        self.short
            .iter()
            .find(|word| {
                chars.len() == word.len() + 1
                    && word.len() >= 2
                    && chars.first() == word.first()
                    && chars.last() == word.last()
                    && (1..chars.len() - 1).any(|skip| {
                        chars
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| *i != skip)
                            .map(|(_, c)| c)
                            .eq(word.iter())
                    })
            })
            .map(|word| word.iter().collect())
    }

    /// The one known word `label` (normalised, no ordinal) is a misreading
    /// of; `None` when it is known already, has a digit, or no word or two
    /// words are equally near.
    pub fn nearest(&self, label: &str) -> Option<String> {
        let chars: Vec<char> = label.chars().collect();
        if chars.len() < MIN_CHARS
            || self.known.contains(label)
            || chars.iter().any(|c| c.is_ascii_digit())
            || !chars.iter().any(|c| !c.is_ascii())
        {
            return None;
        }
        let reach = if chars.len() >= TWO_OFF_CHARS { 2 } else { 1 };
        // nearer first; of equally near, one misread as look-alikes first
        let mut best: Option<((usize, bool), &Vec<char>)> = None;
        let mut tied = false;
        for word in &self.words {
            if word.len().abs_diff(chars.len()) > reach {
                continue;
            }
            let distance = self.distance(&chars, word);
            if distance > reach {
                continue;
            }
            let distance = (distance, !self.misread_as_look_alikes(&chars, word));
            match best {
                Some((d, _)) if distance == d => tied = true,
                Some((d, _)) if distance > d => {}
                _ => {
                    best = Some((distance, word));
                    tied = false;
                }
            }
        }
        let word: String = best.filter(|_| !tied)?.1.iter().collect();
        (!printed_inside_a_longer_name(label, &word)).then_some(word)
    }

    /// How far `read` is from `word` in characters, a character read as
    /// its look-alike not counted (收文预咎总表 is one from 收支预算总表, two
    /// from 收入预算总表).
    fn distance(&self, read: &[char], word: &[char]) -> usize {
        levenshtein_by(read, word, |r, w| {
            r == w || self.look_alikes.contains(&(w, r))
        })
    }

    /// Whether `read` is `word` with each character it differs in read as
    /// its look-alike (收文预算总表: 收支预算总表, not 收入预算总表).
    fn misread_as_look_alikes(&self, read: &[char], word: &[char]) -> bool {
        read.len() == word.len()
            && read
                .iter()
                .zip(word)
                .filter(|(r, w)| r != w)
                .all(|(r, w)| self.look_alikes.contains(&(*w, *r)))
    }

    /// Every known word.
    pub fn words(&self) -> impl Iterator<Item = String> + '_ {
        self.known.iter().cloned()
    }
}

/// Whether `printed` is `word` with one character inside it misread, its
/// first and last as printed (决筑数 for 决算数).
pub(super) fn one_misread_inside(printed: &[char], word: &[char]) -> bool {
    printed.len() == word.len()
        && printed.first() == word.first()
        && printed.last() == word.last()
        && printed.iter().zip(word).filter(|(a, b)| a != b).count() == 1
}

/// Whether `word` is printed whole inside `label`, a longer name
/// (其他社会保障和就业支出 holds 社会保障和就业支出): characters around it
/// other than an ordinal's numerals and marks (一。一般公共服务支出) are not
/// a misreading.
fn printed_inside_a_longer_name(label: &str, word: &str) -> bool {
    label.contains(word)
        && label
            .replacen(word, "", 1)
            .chars()
            .any(|c| is_han(c) && !"一二三四五六七八九十".contains(c))
}

/// The text set right, or `None`: the ordinal kept as printed.
pub(super) fn corrected(text: &str, lexicon: &Lexicon) -> Option<String> {
    let normalised = normalise(text);
    if normalised.chars().count() > MAX_CHARS {
        return None;
    }
    if let Some(header) = lexicon.short_header(&normalised) {
        return Some(header);
    }
    if let Some(header) = lexicon.short_column(&normalised) {
        return Some(header);
    }
    let label = strip_ordinals(&normalised);
    let ordinal = &normalised[..normalised.len() - label.len()];
    lexicon
        .nearest(label)
        .map(|word| format!("{ordinal}{word}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misread_label_is_set_to_the_one_word_it_nearly_is() {
        let lexicon = Lexicon::of(Patterns::builtin_shared());
        let near = |t: &str| corrected(t, &lexicon);
        assert_eq!(
            near("九、也生健康支出").as_deref(),
            Some("九、卫生健康支出")
        );
        assert_eq!(
            near("一般公共预算财政拔款").as_deref(),
            Some("一般公共预算财政拨款")
        );
        // known, a figure, too short, too far, running text: left
        assert_eq!(near("九、卫生健康支出"), None);
        assert_eq!(near("13.86"), None);
        assert_eq!(near("2101199"), None);
        assert_eq!(near("收入总汁"), None);
        assert_eq!(near("其他社会保障和就业支出"), None);
        assert_eq!(near("行光次").as_deref(), Some("行次"));
        assert_eq!(near("行次"), None);
        assert_eq!(near("光行次"), None);
        assert_eq!(
            near("一。一般公共服务支出").as_deref(),
            Some("一般公共服务支出")
        );
        assert_eq!(near("也生健康攴岀"), None);
        // worn-01's 公开06表: the first 决算数 read as 决筑数 ran the 人员经费
        // group into the 公用经费 group
        assert_eq!(near("决筑数").as_deref(), Some("决算数"));
        assert_eq!(near("决算数"), None);
        assert_eq!(near("筑算数"), None);
        assert_eq!(near("合汁"), None);
        // a line label one character from a header is no misreading of it
        assert_eq!(near("支出总计"), None);
        assert_eq!(near("收入台计"), None);
        assert_eq!(
            near("本表反映部门本年度一般公共预算财政拨款支出情况。"),
            None
        );
    }

    /// A worn scan of a Jiangsu 2019 部门预算: its 支 read as 文 everywhere.
    /// 收文预算总表 is one character from 收支预算总表 and from 收入预算总表;
    /// 支 read as 文 is a look-alike (`report.toml`), 入 as 文 none.
    #[test]
    fn a_label_equally_near_two_words_is_the_one_its_look_alikes_say() {
        let lexicon = Lexicon::of(Patterns::builtin_shared());
        let near = |t: &str| corrected(t, &lexicon);
        assert_eq!(near("收文预算总表").as_deref(), Some("收支预算总表"));
        // equally near, no look-alike between them: left as read
        assert_eq!(near("收丈预算总表"), None);
        let mut plain = Lexicon::of(Patterns::builtin_shared());
        plain.look_alikes.clear();
        assert_eq!(corrected("收文预算总表", &plain), None);
        // a look-alike is no character off: one more misread is in reach
        assert_eq!(near("收文预咎总表").as_deref(), Some("收支预算总表"));
        assert_eq!(corrected("收文预咎总表", &plain), None);
    }
}

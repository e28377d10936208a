//! Running text read by OCR set right phrase by phrase: inside a paragraph
//! of a scanned page, a stretch with a phrase's Chinese characters, one of
//! them (two in a phrase of [`lexicon::TWO_OFF_CHARS`] or more) read as
//! another, or stray marks among them, is read as that phrase when it is
//! nearer to it than to any other (公务接舍费 → 公务接待费, 公务 用车购置及评行
//! 维护费 → 公务用车购置及运行维护费, 三公?经费 → 三公经费). The labels of
//! [`lexicon`] correct whole cells and short lines; a narrative figure is
//! found by a phrase in the middle of a sentence, so a misread character
//! there loses the figure. Table cells are left to the label lexicon.
//!
//! The phrases: the words of the [`Lexicon`] and the runs of Chinese
//! characters, [`MIN_NOISY_CHARS`] or more, in the narrative figures'
//! patterns. A phrase under [`MIN_CHARS`] (三公经费) is too near to too many
//! others: only stray marks are dropped from it.
//!
//! The stretch has as many Chinese characters as the phrase and begins and
//! ends with its first and last: a character lost or added, text that goes
//! on differently (年初预算的 next to 年初预算数), a phrase cut short
//! (三公经费支出 next to 三公经费支出表) or one with a character before it
//! (度财政拨款支出), and a longer word holding a phrase (非财政性补助收入
//! next to 财政补助收入) are left as printed.
//!
//! Never touched: a stretch with a digit (a figure or a code), one that
//! starts or ends on anything but a Chinese character, one overlapping a
//! phrase printed right that it does not wholly contain. Of overlapping
//! candidates the longer phrase wins, then the nearer. Each page's changes
//! are one warning (by [`correct`](super::correct::correct)'s caller), every change quoted.
//!
//! [`lexicon`]: super::lexicon
//! [`lexicon::TWO_OFF_CHARS`]: super::lexicon::TWO_OFF_CHARS
//! [`Lexicon`]: super::lexicon::Lexicon

use super::lexicon::{Lexicon, TWO_OFF_CHARS};
use crate::patterns::Patterns;
use crate::text::{is_han, normalise};
use std::collections::BTreeSet;

/// The shortest phrase reached by a changed character.
pub const MIN_CHARS: usize = 5;
/// The shortest phrase set right at all (only by dropping stray marks).
pub const MIN_NOISY_CHARS: usize = 4;

/// The phrases running text is set right to, normalised.
#[derive(Debug, Default)]
pub struct Phrases {
    list: Vec<Vec<char>>,
    /// Each phrase's Chinese characters and its marks.
    split: Vec<Split>,
    /// The phrases by their number of Chinese characters.
    by_han: std::collections::HashMap<usize, Vec<usize>>,
}

/// Text as its Chinese characters and its other characters (marks).
#[derive(Debug, Default, PartialEq)]
struct Split {
    han: Vec<char>,
    marks: Vec<char>,
}

impl Split {
    fn of(chars: &[char]) -> Split {
        let (han, marks) = chars.iter().partition(|c| is_han(**c));
        Split { han, marks }
    }
}

/// Runs of Chinese characters in a regex's source, quotes left out.
fn literal_runs(source: &str) -> Vec<String> {
    normalise(source)
        .split(|c: char| !is_han(c))
        .filter(|run| run.chars().count() >= MIN_NOISY_CHARS)
        .map(str::to_string)
        .collect()
}

impl Phrases {
    /// The lexicon's words and the narrative patterns' literal runs.
    pub fn of(patterns: &Patterns, lexicon: &Lexicon) -> Phrases {
        let mut set: BTreeSet<String> = lexicon.words().collect();
        for figure in &patterns.figures {
            for regex in &figure.patterns {
                set.extend(literal_runs(regex.as_str()));
            }
        }
        let list: Vec<Vec<char>> = set.into_iter().map(|p| p.chars().collect()).collect();
        let split: Vec<Split> = list.iter().map(|p| Split::of(p)).collect();
        let mut by_han: std::collections::HashMap<usize, Vec<usize>> = Default::default();
        for (index, phrase) in split.iter().enumerate() {
            by_han.entry(phrase.han.len()).or_default().push(index);
        }
        Phrases {
            list,
            split,
            by_han,
        }
    }
}

/// A stretch of the text (normalised positions) read as a phrase.
#[derive(Debug, Clone, PartialEq)]
struct Candidate {
    start: usize,
    end: usize,
    phrase: usize,
    distance: usize,
}

fn reach(len: usize) -> usize {
    match len {
        l if l >= TWO_OFF_CHARS => 2,
        l if l >= MIN_CHARS => 1,
        _ => 0,
    }
}

/// How near `window` is to `phrase`, when within its reach: the same
/// number of Chinese characters, the first and the last as printed, at most
/// [`reach`] of the others read as another; marks (`?`, `)`, `"`) may be
/// stray or missing. The distance: characters changed, plus one where the
/// marks differ.
fn nearness(window: &Split, phrase: &Split) -> Option<usize> {
    let (read, known) = (&window.han, &phrase.han);
    if read.len() != known.len() || read.first() != known.first() || read.last() != known.last() {
        return None;
    }
    let changed = read.iter().zip(known).filter(|(a, b)| a != b).count();
    let reach = if known.len() < MIN_CHARS {
        0
    } else {
        reach(known.len())
    };
    let distance = changed + usize::from(window.marks != phrase.marks);
    (changed <= reach && distance > 0).then_some(distance)
}

/// Every stretch of `chars` printed as a phrase, and every one nearly so
/// (uniquely nearest to one phrase).
fn candidates(chars: &[char], phrases: &Phrases) -> (Vec<(usize, usize)>, Vec<Candidate>) {
    let longest = phrases.list.iter().map(Vec::len).max().unwrap_or(0) + 2;
    let mut exact = Vec::new();
    let mut near = Vec::new();
    for start in 0..chars.len() {
        if !is_han(chars[start]) {
            continue;
        }
        for end in start + 1..=chars.len().min(start + longest) {
            let window = &chars[start..end];
            if window.last().is_some_and(|c| c.is_ascii_digit()) {
                break;
            }
            if !is_han(chars[end - 1]) {
                continue;
            }
            let split = Split::of(window);
            let Some(same_length) = phrases.by_han.get(&split.han.len()) else {
                continue;
            };
            let mut best: Option<(usize, usize)> = None;
            let mut tied = false;
            for &index in same_length {
                if window == phrases.list[index].as_slice() {
                    exact.push((start, end));
                    best = None;
                    break;
                }
                let Some(distance) = nearness(&split, &phrases.split[index]) else {
                    continue;
                };
                match best {
                    Some((_, d)) if d == distance => tied = true,
                    Some((_, d)) if d < distance => {}
                    _ => {
                        best = Some((index, distance));
                        tied = false;
                    }
                }
            }
            if let Some((phrase, distance)) = best.filter(|_| !tied) {
                near.push(Candidate {
                    start,
                    end,
                    phrase,
                    distance,
                });
            }
        }
    }
    (exact, near)
}

/// The candidates taken: longer phrases first, then nearer, none
/// overlapping another taken or cutting into a phrase printed right.
fn chosen(mut near: Vec<Candidate>, exact: &[(usize, usize)], phrases: &Phrases) -> Vec<Candidate> {
    near.sort_by_key(|c| {
        (
            std::cmp::Reverse(phrases.list[c.phrase].len()),
            c.distance,
            c.start,
        )
    });
    let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    let mut taken: Vec<Candidate> = Vec::new();
    for candidate in near {
        let span = (candidate.start, candidate.end);
        let cuts_exact = exact
            .iter()
            .any(|&e| overlaps(span, e) && !(span.0 <= e.0 && e.1 <= span.1));
        let clashes = taken.iter().any(|t| overlaps(span, (t.start, t.end)));
        if !cuts_exact && !clashes {
            taken.push(candidate);
        }
    }
    taken.sort_by_key(|c| c.start);
    taken
}

/// `text` with its misread phrases set right, and each change as
/// `misread → phrase`; `None` when nothing changed. The text comes back
/// normalised (no whitespace or quotation marks) where it changed.
pub fn correct_text(text: &str, phrases: &Phrases) -> Option<(String, Vec<String>)> {
    let chars: Vec<char> = normalise(text).chars().collect();
    let (exact, near) = candidates(&chars, phrases);
    let taken = chosen(near, &exact, phrases);
    if taken.is_empty() {
        return None;
    }
    let mut out = String::new();
    let mut changes = Vec::new();
    let mut at = 0;
    for candidate in taken {
        out.extend(&chars[at..candidate.start]);
        let misread: String = chars[candidate.start..candidate.end].iter().collect();
        let phrase: String = phrases.list[candidate.phrase].iter().collect();
        changes.push(format!("{misread} → {phrase}"));
        out.push_str(&phrase);
        at = candidate.end;
    }
    out.extend(&chars[at..]);
    Some((out, changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases() -> Phrases {
        let patterns = Patterns::builtin_shared();
        Phrases::of(patterns, &Lexicon::of(patterns))
    }

    #[test]
    fn misread_phrases_in_a_sentence_are_set_right_and_figures_left() {
        let phrases = phrases();
        let (text, changes) = correct_text(
            "其中:因公出国(境)费0.00万元,公务接舍费0.00万元,公务 用车购置及评行维护费0.72万元。",
            &phrases,
        )
        .expect("two phrases misread");
        assert_eq!(
            text,
            "其中:因公出国(境)费0.00万元,公务接待费0.00万元,公务用车购置及运行维护费0.72万元。"
        );
        assert_eq!(changes.len(), 2, "{changes:?}");
        let (text, _) = correct_text("2023年及虽政议蒜安排的三公?经费支出0.72万元", &phrases)
            .expect("a mark inside 三公经费");
        assert!(text.contains("三公经费支出0.72万元"), "{text}");
    }

    #[test]
    fn text_printed_right_or_too_far_is_left_alone() {
        let phrases = phrases();
        for text in [
            "其中:因公出国(境)费0.00万元,公务接待费0.00万元。",
            "“三公”经费支出0.72万元",
            // four characters, one changed: too near to too many phrases
            "三公往费支出0.72万元",
            "主要原因是项目支出减少。",
            // goes on differently, a character before the phrase, a
            // longer name holding it
            "完成年初预算的66.70%",
            "2023年度财政拨款支出472.39万元",
            "其他社会保障和就业支出65.28万元",
            "指单位从主管部门和上级单位取得的非财政性补助收入。",
        ] {
            assert_eq!(correct_text(text, &phrases), None, "{text}");
        }
    }
}

//! Table titles and number markers: which canonical table a title names
//! (the longest pattern title it ends with, unless a stopword before it
//! belongs to a longer title), and which number a marker stands for.

use super::items::Item;
use crate::model::ReportKind;
use crate::patterns::Patterns;
use crate::text::{levenshtein, normalise};

/// A marker as printed and the table number it stands for.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Marker {
    pub(super) printed: String,
    pub(super) number: u32,
}

/// The text of an item that could be a title: a paragraph, or a row with one
/// text cell (and perhaps a marker cell).
pub(super) fn title_candidate(item: &Item, patterns: &Patterns) -> Option<String> {
    match item {
        Item::Text(text, _) => Some(text.to_string()),
        Item::Row(row) => {
            let cells: Vec<&str> = row.non_empty_cells().map(|(_, c)| c).collect();
            match cells.as_slice() {
                [one] => Some(one.to_string()),
                [a, b] if match_marker(b, patterns).is_some() => Some(a.to_string()),
                [a, b] if match_marker(a, patterns).is_some() => Some(b.to_string()),
                _ => None,
            }
        }
    }
}

/// Match a title: the longest pattern title the text ends with.
pub fn match_title(text: &str, patterns: &Patterns) -> Option<(String, ReportKind)> {
    let normalised = strip_title_decorations(&normalise(text));
    if normalised.chars().count() > 60 || normalised.contains(['。', ',', '，', ';', '；']) {
        return None;
    }
    let mut best: Option<(usize, String, ReportKind)> = None;
    for table in &patterns.tables {
        for kind in [ReportKind::Final, ReportKind::Budget] {
            for title in table.titles(kind) {
                let Some(prefix) = normalised.strip_suffix(title.as_str()) else {
                    continue;
                };
                if patterns
                    .report
                    .title_prefix_stopwords
                    .iter()
                    .any(|w| prefix.contains(w.as_str()))
                {
                    continue;
                }
                if best.as_ref().is_none_or(|(len, _, _)| title.len() > *len) {
                    best = Some((title.len(), table.key.clone(), kind));
                }
            }
        }
    }
    best.map(|(_, key, kind)| (key, kind))
}

/// Match a title read by OCR: as [`match_title`], or a longer pattern
/// title the text's end differs from by a character or two (one in five
/// at most) — a misread character must not turn 财政拨款收入支出决算总表
/// into the 收入支出决算总表 it ends with. A near title counts when its
/// length less its differences beats the exact match's length; of those,
/// the one with the fewest differences, then the longest, is taken (a tie
/// between two tables takes none).
pub fn match_title_read(text: &str, patterns: &Patterns) -> Option<(String, ReportKind)> {
    let exact = match_title(text, patterns);
    let normalised: Vec<char> = strip_title_decorations(&normalise(text)).chars().collect();
    if normalised.len() > 60 || normalised.iter().any(|c| "。,，;；".contains(*c)) {
        return exact;
    }
    let exact_score = exact.as_ref().map_or(0, |(key, kind)| {
        longest_title_in(&normalised, patterns, key, *kind)
    });
    // the fewest differences, then the longest title
    let mut best: Option<(usize, usize, String, ReportKind)> = None;
    let mut tied = false;
    for table in &patterns.tables {
        for kind in [ReportKind::Final, ReportKind::Budget] {
            for title in table.titles(kind) {
                let title: Vec<char> = title.chars().collect();
                let Some(distance) = suffix_distance(&normalised, &title) else {
                    continue;
                };
                // near enough, and able to beat the exact match
                if distance == 0
                    || distance > (title.len() / 5).max(1)
                    || title.len() - distance <= exact_score
                {
                    continue;
                }
                let rank = (distance, usize::MAX - title.len());
                match &best {
                    Some((d, l, key, _)) if rank == (*d, *l) && *key != table.key => tied = true,
                    Some((d, l, _, _)) if rank >= (*d, *l) => {}
                    _ => {
                        best = Some((distance, rank.1, table.key.clone(), kind));
                        tied = false;
                    }
                }
            }
        }
    }
    match best {
        Some((_, _, key, kind)) if !tied => Some((key, kind)),
        _ => exact,
    }
}

/// The length in characters of the longest title of table `key` the text
/// ends with.
fn longest_title_in(text: &[char], patterns: &Patterns, key: &str, kind: ReportKind) -> usize {
    let text: String = text.iter().collect();
    patterns
        .tables
        .iter()
        .filter(|t| t.key == key)
        .flat_map(|t| t.titles(kind))
        .filter(|title| text.ends_with(title.as_str()))
        .map(|title| title.chars().count())
        .max()
        .unwrap_or(0)
}

/// The fewest edits (Levenshtein) that turn some end of `text` (as long as
/// `title`, give or take two characters) into `title`; `None` when the text
/// is too short.
fn suffix_distance(text: &[char], title: &[char]) -> Option<usize> {
    if text.len() + 2 < title.len() || title.len() < 6 {
        return None;
    }
    let shortest = title.len().saturating_sub(2);
    (shortest..=title.len() + 2)
        .filter(|&n| n <= text.len())
        .map(|n| levenshtein(&text[text.len() - n..], title))
        .min()
}

/// Drop a trailing `(续)`, `(2023年度)` or `(单位：万元)` from a title.
pub(super) fn strip_title_decorations(normalised: &str) -> String {
    let mut text = normalised.to_string();
    while text.ends_with(')') {
        match text.rfind('(') {
            Some(open) if open > 0 => text.truncate(open),
            _ => break,
        }
    }
    text
}

pub(super) fn is_other_title(text: &str, patterns: &Patterns) -> bool {
    let normalised = normalise(text);
    normalised.chars().count() <= 40
        && !normalised.contains('。')
        && patterns
            .report
            .other_titles
            .iter()
            .any(|t| normalised.contains(t.as_str()))
}

pub(super) fn match_marker(text: &str, patterns: &Patterns) -> Option<Marker> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for regex in &patterns.report.marker {
        if let Some(caps) = regex.captures(&compact) {
            let number = parse_small_number(&caps["number"])?;
            return Some(Marker {
                printed: compact.clone(),
                number,
            });
        }
    }
    None
}

/// `07` → 7, `三` → 3, `十二` → 12.
pub(super) fn parse_small_number(text: &str) -> Option<u32> {
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

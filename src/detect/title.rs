//! Table titles and number markers: which canonical table a title names
//! (the longest pattern title it ends with, unless a stopword before it
//! belongs to a longer title), and which number a marker stands for.

use super::items::Item;
use crate::model::ReportKind;
use crate::patterns::Patterns;
use crate::text::normalise;

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

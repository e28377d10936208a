//! A cell's reading as text: its words joined, and whether it is, or may
//! be, a figure (the cells read again with figures only, and the reading
//! taken).

use super::tesseract;

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

/// Whether a reading is a well-formed figure: what the parse stage reads
/// as an amount (`number::parse_value`: sign, digits with commas between
/// groups, a decimal part), a per cent sign allowed, led by a digit (not
/// `.7`, a clipped `0.17`) and not signed at its end.
pub(super) fn is_figure(text: &str) -> bool {
    let body = text.strip_suffix('%').unwrap_or(text);
    body.trim_start_matches('-')
        .starts_with(|c: char| c.is_ascii_digit())
        && !body.ends_with('-')
        && crate::number::parse_value(body).is_some()
}

/// A figure's stray marks: what is left of an erased rule beside it is
/// read as a quote or a bar.
pub(super) fn figure_text(text: &str) -> &str {
    let stray = |c: char| "“”\"'‘’|!丨".contains(c);
    let trimmed = text.trim_matches(stray);
    let numeric = !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '%'));
    if numeric {
        trimmed
    } else {
        text
    }
}

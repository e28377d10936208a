//! Number normalisation: printed amounts to exact decimals.
//!
//! Accepts what disclosure tables print: ASCII or full-width digits and
//! punctuation, thousands separators (`1,234.50`, `1，234.50`, `1 234.50`),
//! a leading minus sign in any of its typographic forms, an accounting-style
//! negative in parentheses `(12.00)`, `△`/`▲` before a figure (a decrease:
//! negative, as Chinese finance tables print it), a trailing minus
//! (`1,234.00-`), and a leading `+`. The value keeps the scale it was
//! printed with (`0.00` stays `0.00`). A figure of more than
//! [`MAX_INTEGER_DIGITS`] integer digits is [`Amount::TooLarge`]: no report
//! prints one, and converted to yuan it would not fit an exact decimal.
//!
//! Returns `None` for cells that say "no value": empty, `-`, `—`, `--`, `/`,
//! `无`. Anything else that is not a plain number (percentages, words, codes
//! with letters) is [`Amount::NotANumber`], so callers can tell "empty" from
//! "unreadable".

use rust_decimal::Decimal;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Amount {
    /// The cell holds no value.
    Empty,
    /// An exact decimal as printed.
    Value(Decimal),
    /// The cell holds text that is not an amount.
    NotANumber,
    /// A number with more integer digits than an amount can have.
    TooLarge,
}

/// The most integer digits an amount may have: 10^20 亿元 is still an
/// exact decimal in yuan (28 digits), sums of such figures are checked.
pub const MAX_INTEGER_DIGITS: usize = 20;

/// Map full-width ASCII variants (U+FF01..U+FF5E) and the ideographic space to
/// their ASCII forms, and the various dashes and minus signs to `-`.
pub fn to_half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{2212}' | '\u{2013}' | '\u{FE63}' => '-',
            _ => c,
        })
        .collect()
}

/// Cells that mean "nothing here".
fn is_empty_marker(text: &str) -> bool {
    text.is_empty()
        || text
            .chars()
            .all(|c| matches!(c, '-' | '—' | '─' | '－' | '/' | '／'))
        || text == "无"
        || text == "*"
}

/// Parse one printed amount.
pub fn parse_amount(raw: &str) -> Amount {
    let half = to_half_width(raw);
    let text = half.trim();
    if is_empty_marker(text) {
        return Amount::Empty;
    }
    let (negative, body) = strip_sign(text);
    let Some(digits) = strip_thousands_separators(body) else {
        return Amount::NotANumber;
    };
    if !is_plain_decimal(&digits) {
        return Amount::NotANumber;
    }
    let integer_digits = digits
        .split('.')
        .next()
        .unwrap_or("")
        .trim_start_matches('0')
        .len();
    if integer_digits > MAX_INTEGER_DIGITS {
        return Amount::TooLarge;
    }
    match Decimal::from_str(&digits) {
        // (a zero stays 0.00, whatever sign it was printed with)
        Ok(value) if negative && !value.is_zero() => Amount::Value(-value),
        Ok(value) => Amount::Value(value),
        Err(_) => Amount::NotANumber,
    }
}

/// Parse and return only a value (no value and non-numbers give `None`).
pub fn parse_value(raw: &str) -> Option<Decimal> {
    match parse_amount(raw) {
        Amount::Value(value) => Some(value),
        _ => None,
    }
}

/// An amount printed with its decimals (368.14, 0.00): a figure, never a
/// code or a row number.
pub fn has_decimals(raw: &str) -> bool {
    parse_value(raw).is_some_and(|value| value.scale() > 0)
}

fn strip_sign(text: &str) -> (bool, &str) {
    if let Some(rest) = text.strip_prefix(['△', '▲']) {
        return (true, rest.trim_start());
    }
    if let Some(rest) = text
        .strip_suffix('-')
        .filter(|r| r.ends_with(|c: char| c.is_ascii_digit()))
    {
        return (true, rest.trim_end());
    }
    if let Some(rest) = text.strip_prefix('-') {
        return (true, rest.trim_start());
    }
    if let Some(rest) = text.strip_prefix('+') {
        return (false, rest.trim_start());
    }
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        return (true, inner.trim());
    }
    (false, text)
}

/// Remove thousands separators (`,`, a space or a no-break space) from the
/// integer part. Groups must be well formed (`1,234,567`): `1,2` is not a
/// number, so `None`.
fn strip_thousands_separators(text: &str) -> Option<String> {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let groups: Vec<&str> = int.split([',', ' ', '\u{A0}']).collect();
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !first_ok || !rest_ok {
            return None;
        }
    }
    let mut out: String = groups.concat();
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    Some(out)
}

/// `123`, `123.45`, `.5` — at most 28 significant digits (what an exact
/// 96-bit decimal holds).
fn is_plain_decimal(text: &str) -> bool {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let int_ok = int.chars().all(|c| c.is_ascii_digit());
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()));
    let digit_count = int.len() + frac.map_or(0, str::len);
    int_ok && frac_ok && digit_count > 0 && digit_count <= 28 && !(int.is_empty() && frac.is_none())
}

/// Format a decimal as the schema wants it: plain digits, `-` for negatives,
/// the scale it carries.
pub fn format_decimal(value: &Decimal) -> String {
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> String {
        match parse_amount(text) {
            Amount::Value(v) => v.to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn figures_too_large_for_an_amount_are_told_apart() {
        assert_eq!(value("1234567890123456789012345.00"), "TooLarge");
        assert_eq!(value("12345678901234567890.12"), "12345678901234567890.12");
        assert_eq!(value("00000000000000000000001.5"), "1.5");
    }

    #[test]
    fn plain_amounts_keep_their_printed_scale() {
        assert_eq!(value("228.45"), "228.45");
        assert_eq!(value("0.00"), "0.00");
        assert_eq!(value("130"), "130");
        assert_eq!(value("3.8414"), "3.8414");
    }

    #[test]
    fn thousands_separators_and_full_width_forms() {
        assert_eq!(value("1,234,567.80"), "1234567.80");
        assert_eq!(value("１，２３４．５０"), "1234.50");
        assert_eq!(value("1 234.50"), "1234.50");
        assert_eq!(value(" 12.00 "), "12.00");
    }

    #[test]
    fn negatives_in_every_printed_form() {
        assert_eq!(value("△1,234.00"), "-1234.00");
        assert_eq!(value("▲ 12.50"), "-12.50");
        assert_eq!(value("1,234.00-"), "-1234.00");
        assert_eq!(value("△0.00"), "0.00");
        assert_eq!(value("-"), "Empty");
        assert_eq!(value("-12.5"), "-12.5");
        assert_eq!(value("－12.5"), "-12.5");
        assert_eq!(value("−12.5"), "-12.5");
        assert_eq!(value("(12.50)"), "-12.50");
        assert_eq!(value("（12.50）"), "-12.50");
    }

    #[test]
    fn empty_markers_mean_no_value() {
        for text in ["", "  ", "-", "—", "--", "——", "/", "无", "－"] {
            assert_eq!(parse_amount(text), Amount::Empty, "{text:?}");
        }
    }

    #[test]
    fn words_and_percentages_are_not_amounts() {
        for text in ["管理规范", "12.5%", "1,2", "1.2.3", "2023年", "1e5", "."] {
            assert_eq!(parse_amount(text), Amount::NotANumber, "{text:?}");
        }
    }
}

//! Text helpers shared by the stages: label normalisation for matching, and
//! whitespace normalisation for printed labels.

use crate::number::to_half_width;
use regex::Regex;
use std::sync::LazyLock;

/// Canonical form of a label for matching: ASCII forms of full-width
/// characters, ASCII parentheses, no whitespace, no quotation marks.
/// `财政拨款“三公”经费支出决算表` and `财政拨款"三公"经费支出决算表` agree.
pub fn normalise(text: &str) -> String {
    to_half_width(text)
        .chars()
        .filter(|c| !c.is_whitespace() && !is_quote(*c))
        .map(|c| match c {
            '〔' | '【' => '(',
            '〕' | '】' => ')',
            _ => c,
        })
        .collect()
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' | '`'
    )
}

static ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[一二三四五六七八九十百]+[、.]|\d{1,3}[、.](?:\D|$)|\(\d{1,3}\)|\([一二三四五六七八九十]+\)|[①-⑳]|其中[:：]?|加[:：]|减[:：])",
    )
    .expect("ordinal regex")
});

/// Strip leading ordinals and 其中 from a normalised label:
/// `一、一般公共预算财政拨款收入` → `一般公共预算财政拨款收入`,
/// `其中:(1)公务用车运行维护费` → `公务用车运行维护费`.
pub fn strip_ordinals(normalised: &str) -> &str {
    let mut rest = normalised;
    loop {
        let Some(found) = ORDINAL.find(rest) else {
            return rest;
        };
        // `\d[、.]\D` consumed one character of the label itself: keep it.
        let mut end = found.end();
        let matched = found.as_str();
        if matched.starts_with(|c: char| c.is_ascii_digit()) {
            if let Some(last) = matched.chars().last() {
                if !matches!(last, '、' | '.') {
                    end -= last.len_utf8();
                }
            }
        }
        if end == 0 {
            return rest;
        }
        rest = &rest[end..];
    }
}

/// A printed label with whitespace normalised: runs of whitespace next to a
/// CJK character disappear (`合    计` → `合计`), other runs become one space.
pub fn clean_label(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let before = out.chars().last();
            let after = chars.get(i).copied();
            let cjk_side = before.is_some_and(is_wide) || after.is_some_and(is_wide);
            if !cjk_side && start > 0 && i < chars.len() {
                out.push(' ');
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_ignores_quotes_width_and_spaces() {
        assert_eq!(
            normalise("财政拨款“三公经费”支出决算明细表"),
            "财政拨款三公经费支出决算明细表"
        );
        assert_eq!(
            normalise("使用非财政拨款结余(含专用结余）"),
            "使用非财政拨款结余(含专用结余)"
        );
        assert_eq!(normalise("收     入"), "收入");
    }

    #[test]
    fn ordinals_are_stripped() {
        assert_eq!(
            strip_ordinals(&normalise("一、一般公共预算财政拨款收入")),
            "一般公共预算财政拨款收入"
        );
        assert_eq!(
            strip_ordinals(&normalise("二十六、抗疫特别国债安排的支出")),
            "抗疫特别国债安排的支出"
        );
        assert_eq!(
            strip_ordinals(&normalise("其中:（1）公务用车运行维护费")),
            "公务用车运行维护费"
        );
        assert_eq!(
            strip_ordinals(&normalise("1、因公出国（境）费")),
            "因公出国(境)费"
        );
        assert_eq!(
            strip_ordinals(&normalise("3.公务用车购置及运行费")),
            "公务用车购置及运行费"
        );
        assert_eq!(strip_ordinals("2010350"), "2010350");
    }

    #[test]
    fn clean_label_collapses_whitespace() {
        assert_eq!(clean_label("合    计"), "合计");
        assert_eq!(clean_label("  基本工资"), "基本工资");
        assert_eq!(
            clean_label("其中:（1）公务用车运行维护费"),
            "其中:（1）公务用车运行维护费"
        );
        assert_eq!(clean_label("IT  services"), "IT services");
    }
}

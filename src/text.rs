//! Text helpers shared by the stages: label normalisation for matching, and
//! whitespace normalisation for printed labels.

use crate::number::to_half_width;
use regex::Regex;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

/// CJK Radicals Supplement → unified ideograph, from the Unicode data in
/// `data/cjk_radicals_supplement.txt`.
static RADICALS_SUPPLEMENT: LazyLock<HashMap<char, char>> =
    LazyLock::new(|| parse_equivalents(include_str!("../data/cjk_radicals_supplement.txt")));

/// Lines `2E81 ; 5382` or `2E8C..2E8D ; 5C0F` (UCD format, `#` comments).
fn parse_equivalents(text: &str) -> HashMap<char, char> {
    let hex = |h: &str| u32::from_str_radix(h.trim(), 16).ok();
    let mut map = HashMap::new();
    for line in text.lines().map(|l| l.split('#').next().unwrap_or("")) {
        let Some((from, to)) = line.split_once(';') else {
            continue;
        };
        let (first, last) = from.split_once("..").unwrap_or((from, from));
        let (Some(first), Some(last), Some(to)) = (hex(first), hex(last), hex(to)) else {
            continue;
        };
        let Some(to) = char::from_u32(to) else {
            continue;
        };
        for code in first..=last {
            map.extend(char::from_u32(code).map(|from| (from, to)));
        }
    }
    map
}

/// The unified ideograph a radical or compatibility form stands for: the
/// CJK Radicals Supplement (⻔ → 门, from the Unicode table), Kangxi
/// Radicals (⾦ → 金, their compatibility decomposition) and CJK
/// Compatibility Ideographs (車 → 車, their canonical decomposition).
/// Fonts whose ToUnicode maps glyphs to these forms otherwise make 部⻔
/// miss 部门. `None` for every other character.
pub fn unified_ideograph(c: char) -> Option<char> {
    let single = |decompose: fn(char, &mut dyn FnMut(char))| {
        let mut parts = Vec::new();
        decompose(c, &mut |d| parts.push(d));
        (parts.len() == 1 && parts[0] != c).then(|| parts[0])
    };
    match c {
        '\u{2E80}'..='\u{2EFF}' => RADICALS_SUPPLEMENT.get(&c).copied(),
        '\u{2F00}'..='\u{2FDF}' => {
            single(|c, f| unicode_normalization::char::decompose_compatible(c, f))
        }
        '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}' => {
            single(|c, f| unicode_normalization::char::decompose_canonical(c, f))
        }
        _ => None,
    }
}

/// Text with every radical and compatibility form as its unified
/// ideograph ([`unified_ideograph`]); borrowed when there is none.
pub fn unify_ideographs(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| unified_ideograph(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| unified_ideograph(c).unwrap_or(c))
            .collect(),
    )
}

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

/// A unified Han ideograph (not CJK punctuation, not a full-width form).
pub fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' | '`'
    )
}

/// An ordinal's marks as OCR reads them (一、 as -、, =、 or 、 alone; 二、
/// as =二、): marks before a numeral, or in its place, ahead of its 、; and
/// 十 read as a look-alike (十八、 as 士八、, 上八、, F八、, 上+八、; 十、 as 上、),
/// before a 、 only.
static ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[-~=_·]{0,3}[一二三四五六七八九十百]+[、.]|[-~=_·]{0,3}、|[士上干土F+]{1,2}[一二三四五六七八九]?、|\d{1,3}[、.](?:\D|$)|\(\d{1,3}\)|\([一二三四五六七八九十]+\)|[①-⑳]|其中[:：]?|加[:：]|减[:：])",
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

/// Characters to change to turn `a` into `b` (Levenshtein).
pub fn levenshtein(a: &[char], b: &[char]) -> usize {
    levenshtein_by(a, b, |x, y| x == y)
}

/// [`levenshtein`] with two characters `same` when it says so (a
/// character read as its look-alike: no substitution).
pub fn levenshtein_by(a: &[char], b: &[char], same: impl Fn(char, char) -> bool) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(!same(*ca, *cb));
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{unified_ideograph, unify_ideographs, RADICALS_SUPPLEMENT};

    #[test]
    fn radicals_supplement_forms_are_the_unified_ideographs() {
        assert_eq!(unify_ideographs("部⻔"), "部门");
        assert_eq!(
            unify_ideographs("公务用⻋购置及运⾏费"),
            "公务用车购置及运行费"
        );
        assert_eq!(unified_ideograph('⻅'), Some('见'));
        assert_eq!(unified_ideograph('⺠'), Some('民'));
        // no equivalent in the Unicode table: left alone
        assert_eq!(unified_ideograph('\u{2E80}'), None);
        // every code point of the table's ranges, each to a unified ideograph
        assert_eq!(RADICALS_SUPPLEMENT.len(), 114);
        assert!(RADICALS_SUPPLEMENT.values().all(|c| {
            let c = *c as u32;
            (0x3400..=0x9FFF).contains(&c) || (0x20000..=0x2FFFF).contains(&c)
        }));
    }

    #[test]
    fn kangxi_radicals_are_the_unified_ideographs() {
        assert_eq!(unified_ideograph('⼀'), Some('一'));
        assert_eq!(unified_ideograph('⾦'), Some('金'));
        assert_eq!(unify_ideographs("⽀出"), "支出");
        let all = ('\u{2F00}'..='\u{2FD5}').filter(|c| unified_ideograph(*c).is_some());
        assert_eq!(all.count(), 214, "every Kangxi radical");
    }

    #[test]
    fn compatibility_ideographs_are_the_unified_ideographs() {
        assert_eq!(unified_ideograph('\u{F902}'), Some('車'));
        assert_eq!(unified_ideograph('\u{2F800}'), Some('丽'));
        assert_eq!(unified_ideograph('车'), None);
        assert!(matches!(
            unify_ideographs("部门预算"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

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
        // as OCR reads them: the numeral a mark, lost, or a mark before it
        for read in [
            "-、基本支出",
            "-~、基本支出",
            "=、基本支出",
            "、基本支出",
            "=一、基本支出",
            "士八、基本支出",
            "F八、基本支出",
            "上+八、基本支出",
            "上、基本支出",
        ] {
            assert_eq!(strip_ordinals(&normalise(read)), "基本支出", "{read}");
        }
        assert_eq!(strip_ordinals("-1.50"), "-1.50");
        // a label beginning with 上 is no ordinal
        assert_eq!(strip_ordinals("上年结转"), "上年结转");
        assert_eq!(strip_ordinals("上级补助收入"), "上级补助收入");
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

//! Where a typesetter may break a line of Chinese text, and what a line
//! ending short of the margin says about the paragraph it is in.
//!
//! A line may break (UAX #14, line breaking, simplified for the text of
//! these reports):
//! - between two characters of which one is CJK (an ideograph, a kana,
//!   full-width punctuation), unless the second is punctuation that must
//!   not start a line (，。、；：？！）》」』】〕”’%…) or the first is
//!   punctuation that must not end one (（《「『【〔“‘);
//! - after a space;
//! - nowhere else: a run of Latin letters, digits and their punctuation
//!   (`341.02`, `41.92%,`, `GB/T`) is one word.
//!
//! A typesetter fills a line with words and breaks it where the next word
//! does not fit. A line that ends mid-sentence short of the margin by less
//! than the width of the next line's first word was broken there by that
//! word's width, not by the end of its paragraph: the two lines are one
//! paragraph, however far from the margin the first one ends (a figure of
//! six digits leaves three ems; on a narrow page, or in a font with wide
//! digits, the same sentence breaks before another figure). The width is
//! not evidence enough where the text says a paragraph may end there: when
//! the line ends a sentence (。！？；：), which a paragraph's last line
//! does; when the next line is indented, as a paragraph's first line is;
//! or when it opens with the number of a list or a heading (一、 2、 （三）
//! (4) ⑤ 第一部分), which a numbered paragraph does — an ordinal in
//! brackets is as wide as three characters.

/// Punctuation that must not start a line: the typesetter keeps it with
/// the character before.
const NO_LINE_START: &str = "，。、；：？！）》」』】〕〉”’％…·,.;:?!)]}%";
/// Punctuation that must not end a line: the typesetter keeps it with the
/// character after.
const NO_LINE_END: &str = "（《「『【〔〈“‘([{";
/// Punctuation that ends a sentence or announces what follows.
const SENTENCE_END: &str = "。！？；：!?;:";

/// The number a paragraph of a list or a heading opens with: 一、 2、 3.
/// （三） (4) ⑤ 第二部分 — not the integer part of a figure (30.98万元).
static LIST_NUMBER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^(?:[一二三四五六七八九十百]+[、.．]|\d{1,3}(?:、|[.．](?:\D|$))|[（(][\d一二三四五六七八九十]{1,3}[)）]|[①-⑳]|第[\d一二三四五六七八九十百]{1,3}(?:部分|章|节|篇))",
    )
    .expect("a valid regex")
});

/// Whether a character is CJK: ideographs, kana, CJK symbols and
/// punctuation, full-width forms.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Whether a line may break between `before` and `after` (two characters
/// printed next to each other without a space).
pub(super) fn may_break_between(before: char, after: char) -> bool {
    if NO_LINE_START.contains(after) || NO_LINE_END.contains(before) {
        return false;
    }
    is_cjk(before) || is_cjk(after)
}

/// Whether a line's text ends a sentence (or a clause announcing a list).
pub(super) fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(|c| SENTENCE_END.contains(c))
}

/// Whether a line opens with the number of a list's paragraph.
pub(super) fn opens_with_list_number(text: &str) -> bool {
    LIST_NUMBER.is_match(text.trim_start())
}

/// Whether a line ending `shortfall` short of the margin was broken by the
/// width of the next line's first word (`next_word` wide), in text of
/// font size `size`: the word did not fit, allowing the quarter em some
/// typesetters put between Chinese and Latin text.
pub(super) fn next_word_did_not_fit(shortfall: f32, next_word: f32, size: f32) -> bool {
    shortfall < next_word + size * 0.25
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_and_the_punctuation_around_it_are_one_word() {
        assert!(!may_break_between('3', '4'));
        assert!(!may_break_between('1', '.'));
        assert!(!may_break_between('.', '0'));
        assert!(!may_break_between('2', '%'));
        assert!(!may_break_between('%', '，'));
        assert!(!may_break_between('元', ','));
        assert!(!may_break_between('（', '2'));
        assert!(!may_break_between('3', '）'));
    }

    #[test]
    fn chinese_text_breaks_between_characters_and_beside_latin() {
        assert!(may_break_between('减', '少'));
        assert!(may_break_between('少', '3'));
        assert!(may_break_between('2', '万'));
        assert!(may_break_between('）', '一'));
        assert!(may_break_between('，', '降'));
    }

    #[test]
    fn a_sentence_end_is_punctuation_that_closes_a_sentence_or_a_lead_in() {
        assert!(ends_sentence("主要原因：项目支出减少。"));
        assert!(ends_sentence("具体包括："));
        assert!(!ends_sentence("与上年相比，财政拨款支出减少"));
        assert!(!ends_sentence("降低41.92%，"));
    }

    #[test]
    fn a_list_number_is_an_ordinal_not_a_figure() {
        assert!(opens_with_list_number("（一）收支预算情况的总体说明"));
        assert!(opens_with_list_number("(3)社会保障和就业支出"));
        assert!(opens_with_list_number("10、民事审判第二庭"));
        assert!(opens_with_list_number("二、财政拨款支出决算情况说明"));
        assert!(opens_with_list_number("2.项目支出139.69万元"));
        assert!(opens_with_list_number("第一部分部门概况"));
        assert!(!opens_with_list_number(
            "30.98万元,主要是职业年金单位缴费等支出"
        ));
        assert!(!opens_with_list_number("2023年度财政拨款支出472.39万元"));
        assert!(!opens_with_list_number("341.02万元，降低41.92%"));
    }

    #[test]
    fn a_line_short_of_the_margin_by_less_than_the_next_word_was_broken_by_width() {
        // LibreOffice, Noto Serif CJK at 9 pt: …支出减少 ends 20.1 pt short,
        // the next line opens with 341.02 (27.2 pt)
        assert!(next_word_did_not_fit(20.1, 27.2, 9.0));
        // a paragraph's end three ems short, the next opening with one character
        assert!(!next_word_did_not_fit(27.0, 9.0, 9.0));
    }
}

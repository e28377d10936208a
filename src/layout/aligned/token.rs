//! Lines and their tokens: a line cut at runs of spaces into amounts,
//! codes and text, with the character columns each stands in.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Amount,
    Code,
    Text,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) text: String,
    pub(super) kind: Kind,
}

impl Token {
    pub(super) fn center(&self) -> f64 {
        (self.start + self.end) as f64 / 2.0
    }
}

#[derive(Debug, Clone)]
pub(super) struct Line {
    pub(super) page: u32,
    pub(super) indent: usize,
    pub(super) width: usize,
    /// Pieces separated by runs of two or more spaces.
    pub(super) pieces: usize,
    pub(super) text: String,
    pub(super) tokens: Vec<Token>,
}

impl Line {
    /// An empty line on a page (what a page break counts as).
    pub(super) fn blank(page: u32) -> Line {
        Line {
            page,
            indent: 0,
            width: 0,
            pieces: 0,
            text: String::new(),
            tokens: Vec::new(),
        }
    }

    pub(super) fn is_blank(&self) -> bool {
        self.tokens.is_empty()
    }
    pub(super) fn has_figures(&self) -> bool {
        self.tokens.iter().any(|t| t.kind == Kind::Amount)
    }
    pub(super) fn has_code(&self) -> bool {
        self.tokens.iter().any(|t| t.kind == Kind::Code)
    }
    /// The first line of a table's body: amounts with decimals or
    /// separators, several amounts (栏次 1 2 3), or a code and more. A lone
    /// `2023` in a header is a year, not a figure.
    pub(super) fn starts_body(&self) -> bool {
        let amounts: Vec<&Token> = self
            .tokens
            .iter()
            .filter(|t| t.kind == Kind::Amount)
            .collect();
        amounts.len() >= 2
            || amounts.iter().any(|t| t.text.contains(['.', ',']))
            || (self.has_code() && self.tokens.len() >= 2)
    }

    pub(super) fn has_text(&self) -> bool {
        self.tokens.iter().any(|t| t.kind == Kind::Text)
    }
}

pub(super) fn is_amount(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    let body = body.strip_suffix('%').unwrap_or(body);
    !body.is_empty()
        && body.chars().next().is_some_and(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        && body.matches('.').count() <= 1
}

/// Tokens of one line (see the module doc).
pub(super) fn tokenize(line: &str) -> Vec<Token> {
    let chars: Vec<char> = line.chars().collect();
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < chars.len() {
            if chars[end] == ' ' {
                let run = chars[end..].iter().take_while(|c| **c == ' ').count();
                if run >= 2 || end + run >= chars.len() {
                    break;
                }
                end += run;
            } else {
                end += 1;
            }
        }
        pieces.push((start, end));
        i = end;
    }
    let mut tokens = Vec::new();
    for (start, end) in pieces {
        let text: String = chars[start..end].iter().collect();
        tokens.extend(split_single_spaces(&text, start));
    }
    // a statement's key and its value set apart (部门：   某某局) are one token
    let mut joined: Vec<Token> = Vec::new();
    for token in tokens {
        match joined.last_mut() {
            Some(key) if key.text.ends_with('：') && key.text.chars().count() <= 6 => {
                key.text.push_str(&token.text);
                key.end = token.end;
            }
            _ => joined.push(token),
        }
    }
    let mut tokens = joined;
    // a code starts the line (201, 2010350); its 款/项 parts follow it (06)
    let mut after_code = false;
    for (index, token) in tokens.iter_mut().enumerate() {
        let digits = token.text.chars().all(|c| c.is_ascii_digit());
        let len = token.text.len();
        let starts_line = index == 0 && token.start <= 2 && matches!(len, 3 | 5 | 7);
        let part = after_code && len == 2;
        token.kind = if digits && (starts_line || part) {
            Kind::Code
        } else if is_amount(&token.text) {
            Kind::Amount
        } else {
            Kind::Text
        };
        after_code = token.kind == Kind::Code;
    }
    tokens
}

/// `1 2 3` and `label 12.50` printed with single spaces are several tokens.
pub(super) fn split_single_spaces(text: &str, start: usize) -> Vec<Token> {
    let token = |s: usize, t: &str| Token {
        start: s,
        end: s + t.chars().count(),
        text: t.to_string(),
        kind: Kind::Text,
    };
    let words: Vec<&str> = text.split(' ').collect();
    if words.len() > 1 && words.iter().all(|w| is_amount(w)) {
        return one_space_apart(&words, start, token);
    }
    // a single space between two CJK words separates two cells (but
    // letter-spaced text, 因 公 出 国, stays one token)
    let letters = words.iter().filter(|w| w.chars().count() == 1).count();
    if words.len() > 1
        && letters * 2 <= words.len()
        && words
            .windows(2)
            .all(|w| ends_cjk(w[0]) && starts_cjk_or_digit(w[1]))
    {
        return one_space_apart(&words, start, token);
    }
    if let Some((label, last)) = text.rsplit_once(' ') {
        if is_amount(last) && !label.trim().is_empty() && !is_amount(label.trim()) {
            let label = label.trim_end();
            return vec![
                token(start, label),
                token(start + text.chars().count() - last.chars().count(), last),
            ];
        }
    }
    // a figure set one space before the next cell's words (156,211,123 一、…)
    if let Some((first, rest)) = text.split_once(' ') {
        if is_amount(first) && first.contains([',', '.']) && rest.starts_with(|c: char| is_cjk(c)) {
            let mut out = vec![token(start, first)];
            out.extend(split_single_spaces(rest, start + first.chars().count() + 1));
            return out;
        }
    }
    vec![token(start, text)]
}

/// `1、` `二十、` `（1）` `(2)` `其中`: the start of an enumerated label.
pub(super) fn starts_item(text: &str) -> bool {
    if text.starts_with("其中") {
        return true;
    }
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let rest = text.trim_start_matches(['（', '(']);
    let digits: String = rest.chars().take_while(|c| numeral(*c)).collect();
    if digits.is_empty() {
        return false;
    }
    let after = rest[digits.len()..].chars().next();
    matches!(after, Some('、' | '）' | ')' | '．'))
        || (after == Some('.')
            && digits.chars().all(|c| c.is_ascii_digit())
            && rest.len() > digits.len() + 1
            && !rest[digits.len() + 1..].starts_with(|c: char| c.is_ascii_digit()))
}

pub(super) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

pub(super) fn ends_cjk(word: &str) -> bool {
    word.chars().last().is_some_and(is_cjk)
}

pub(super) fn starts_cjk_or_digit(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| is_cjk(c) || c.is_ascii_digit())
}

pub(super) fn is_page_number(line: &str) -> bool {
    let core = line
        .trim()
        .trim_matches(|c| c == '-' || c == '—' || c == ' ');
    !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit())
}

/// Words set one space apart from `start`, each a token where it stands.
fn one_space_apart(
    words: &[&str],
    start: usize,
    token: impl Fn(usize, &str) -> Token,
) -> Vec<Token> {
    let mut out = Vec::new();
    let mut at = start;
    for word in words {
        out.push(token(at, word));
        at += word.chars().count() + 1;
    }
    out
}

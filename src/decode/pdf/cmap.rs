//! CMap streams: the ToUnicode map of a font (codes → Unicode text) and the
//! code space that says how many bytes each code takes.
//!
//! Reads `begincodespacerange`, `beginbfchar` and `beginbfrange` sections
//! (ranges with an incrementing destination or an array of destinations);
//! other sections are skipped. Destinations are UTF-16BE; names (`/space`)
//! are ignored. Malformed input yields what could be read, never an error.

use std::collections::HashMap;

/// A code space range: codes of `len` bytes between `low` and `high`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeRange {
    pub len: usize,
    pub low: u32,
    pub high: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CMap {
    pub code_space: Vec<CodeRange>,
    pub unicode: HashMap<u32, String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    Word(String),
    ArrayStart,
    ArrayEnd,
}

fn tokenize(data: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let byte = data[i];
        match byte {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let start = i + 1;
                let end = data[start..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(data.len(), |p| start + p);
                tokens.push(Token::Hex(hex_bytes(&data[start..end])));
                i = end + 1;
            }
            b'[' => {
                tokens.push(Token::ArrayStart);
                i += 1;
            }
            b']' => {
                tokens.push(Token::ArrayEnd);
                i += 1;
            }
            b'(' => {
                // literal strings hold names and registry text we do not need
                let mut depth = 0;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            _ if byte.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < data.len()
                    && !data[i].is_ascii_whitespace()
                    && !b"<>[]()%".contains(&data[i])
                {
                    i += 1;
                }
                if i == start {
                    i += 1;
                    continue;
                }
                tokens.push(Token::Word(
                    String::from_utf8_lossy(&data[start..i]).into_owned(),
                ));
            }
        }
    }
    tokens
}

fn hex_bytes(text: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = text
        .iter()
        .filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8))
        .collect();
    digits
        .chunks(2)
        .map(|pair| pair[0] << 4 | pair.get(1).copied().unwrap_or(0))
        .collect()
}

fn code_value(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| acc << 8 | u32::from(b))
}

/// UTF-16BE bytes → text (unpaired surrogates dropped).
pub fn utf16be(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|p| u16::from(p[0]) << 8 | u16::from(*p.get(1).unwrap_or(&0)))
        .collect();
    char::decode_utf16(units).filter_map(Result::ok).collect()
}

/// The destination `base` with its last UTF-16 unit incremented by `offset`.
fn incremented(base: &[u8], offset: u32) -> String {
    let mut bytes = base.to_vec();
    if bytes.len() >= 2 {
        let n = bytes.len();
        let last = (u32::from(bytes[n - 2]) << 8 | u32::from(bytes[n - 1])).wrapping_add(offset);
        bytes[n - 2] = (last >> 8) as u8;
        bytes[n - 1] = last as u8;
        return utf16be(&bytes);
    }
    char::from_u32(code_value(&bytes) + offset)
        .map(String::from)
        .unwrap_or_default()
}

/// Parse a CMap stream. Ranges are capped so a hostile file cannot make us
/// build a map of billions of entries.
pub fn parse(data: &[u8]) -> CMap {
    const MAX_RANGE: u32 = 65_536;
    let tokens = tokenize(data);
    let mut cmap = CMap::default();
    let mut i = 0;
    let mut section = "";
    while i < tokens.len() {
        match &tokens[i] {
            Token::Word(word) if word.starts_with("begin") => {
                section = match word.as_str() {
                    "begincodespacerange" => "codespace",
                    "beginbfchar" => "bfchar",
                    "beginbfrange" => "bfrange",
                    _ => "",
                };
                i += 1;
            }
            Token::Word(word) if word.starts_with("end") => {
                section = "";
                i += 1;
            }
            Token::Hex(low) if section == "codespace" => {
                if let Some(Token::Hex(high)) = tokens.get(i + 1) {
                    cmap.code_space.push(CodeRange {
                        len: low.len().max(1),
                        low: code_value(low),
                        high: code_value(high),
                    });
                }
                i += 2;
            }
            Token::Hex(source) if section == "bfchar" => {
                if let Some(Token::Hex(destination)) = tokens.get(i + 1) {
                    cmap.unicode
                        .insert(code_value(source), utf16be(destination));
                }
                i += 2;
            }
            Token::Hex(low) if section == "bfrange" => {
                let (Some(Token::Hex(high)), Some(destination)) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                else {
                    i += 1;
                    continue;
                };
                let (low, high) = (code_value(low), code_value(high));
                let count = high.saturating_sub(low).min(MAX_RANGE);
                match destination {
                    Token::Hex(base) => {
                        for offset in 0..=count {
                            cmap.unicode.insert(low + offset, incremented(base, offset));
                        }
                        i += 3;
                    }
                    Token::ArrayStart => {
                        let mut j = i + 3;
                        let mut offset = 0;
                        while let Some(Token::Hex(item)) = tokens.get(j) {
                            if offset <= count {
                                cmap.unicode.insert(low + offset, utf16be(item));
                            }
                            offset += 1;
                            j += 1;
                        }
                        i = j + 1;
                    }
                    _ => i += 3,
                }
            }
            _ => i += 1,
        }
    }
    cmap
}

impl CMap {
    /// Split a string into codes using the code space (longest match first
    /// for each position); without a code space, `default_len` bytes a code.
    pub fn split(&self, bytes: &[u8], default_len: usize) -> Vec<(u32, usize)> {
        split_codes(&self.code_space, bytes, default_len)
    }
}

/// The code space of GBK: one byte up to 0x80, two bytes 0x8140–0xFEFE
/// (GBK-EUC-H and GBK bytes in simple fonts).
pub fn gbk_code_space() -> Vec<CodeRange> {
    vec![
        CodeRange {
            len: 1,
            low: 0,
            high: 0x80,
        },
        CodeRange {
            len: 2,
            low: 0x8140,
            high: 0xFEFE,
        },
    ]
}

/// Codes and their byte lengths.
pub fn split_codes(
    code_space: &[CodeRange],
    bytes: &[u8],
    default_len: usize,
) -> Vec<(u32, usize)> {
    let mut codes = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let mut taken = None;
        for len in 1..=4 {
            if i + len > bytes.len() {
                break;
            }
            let value = code_value(&bytes[i..i + len]);
            if code_space
                .iter()
                .any(|r| r.len == len && (r.low..=r.high).contains(&value))
            {
                taken = Some((value, len));
                break;
            }
        }
        let (value, len) = taken.unwrap_or_else(|| {
            let len = default_len.min(bytes.len() - i).max(1);
            (code_value(&bytes[i..i + len]), len)
        });
        codes.push((value, len));
        i += len;
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_bfrange_and_codespace() {
        let cmap = parse(
            b"/CIDInit /ProcSet findresource begin\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              2 beginbfchar <0003> <0020> <0010> <6536> endbfchar\n\
              2 beginbfrange <0011> <0013> <5165> <0020> <0021> [<0031> <0032>] endbfrange\nend",
        );
        assert_eq!(
            cmap.code_space,
            [CodeRange {
                len: 2,
                low: 0,
                high: 0xFFFF
            }]
        );
        assert_eq!(cmap.unicode[&3], " ");
        assert_eq!(cmap.unicode[&0x10], "收");
        assert_eq!(cmap.unicode[&0x11], "入");
        assert_eq!(cmap.unicode[&0x13], "\u{5167}"); // 入 (U+5165) + 2
        assert_eq!(cmap.unicode[&0x21], "2");
        assert_eq!(cmap.split(&[0, 0x10, 0, 0x11], 1), [(0x10, 2), (0x11, 2)]);
    }

    #[test]
    fn mixed_width_code_space() {
        let space = gbk_code_space();
        assert_eq!(
            split_codes(&space, &[0x41, 0xCA, 0xD5, 0x31], 1),
            [(0x41, 1), (0xCAD5, 2), (0x31, 1)]
        );
    }

    #[test]
    fn garbage_does_not_panic() {
        let _ = parse(b"beginbfrange <00> [ <zz> endbfrange <<<< ((( begincodespacerange <0");
        let _ = parse(&[0xFF, b'<', 0x00, b'[']);
    }
}

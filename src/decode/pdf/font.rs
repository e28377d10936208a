//! Fonts: each glyph's Unicode text and advance width.
//!
//! Text, in order of preference:
//! 1. the font's ToUnicode CMap;
//! 2. for Type0 fonts, the predefined Chinese CMaps: GBK-EUC-H and
//!    GB-EUC-H codes are GBK bytes, UniGB-UCS2-H and UniGB-UTF16-H codes are
//!    UTF-16; with Identity-H, the embedded TrueType font's own cmap read
//!    backwards (glyph → character) through the CIDToGIDMap;
//! 3. for simple fonts, the font's encoding (WinAnsi, MacRoman, Standard,
//!    with Differences); a simple font whose base font is a Chinese face and
//!    that has no ToUnicode holds GBK bytes (two per character).
//!
//! Widths come from /Widths (simple fonts) or /W and /DW by CID (Type0).
//! CJK radicals (U+2E80–U+2FDF) are mapped to the unified ideographs they
//! look like, as text extractors get them from some fonts.

use super::cmap::{self, gbk_code_space, CodeRange};
use lopdf::{Dictionary, Document, Object};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// How the codes of a Type0 font with a predefined CMap become text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Predefined {
    /// GBK-EUC-H, GB-EUC-H, GBKp-EUC-H, GBK2K-H: GBK bytes.
    Gbk,
    /// UniGB-UCS2-H, UniGB-UTF16-H: UTF-16BE.
    Utf16,
    /// Identity-H: codes are CIDs.
    Identity,
}

#[derive(Debug, Clone)]
enum Kind {
    Simple {
        encoding: Box<[Option<char>; 256]>,
        gbk: bool,
    },
    Type0 {
        predefined: Predefined,
        cid_to_unicode: HashMap<u32, char>,
    },
}

/// A font ready to decode strings.
#[derive(Debug, Clone)]
pub struct Font {
    kind: Kind,
    code_space: Vec<CodeRange>,
    to_unicode: HashMap<u32, String>,
    widths: HashMap<u32, f32>,
    default_width: f32,
    /// Simple fonts: /FirstChar and /Widths.
    first_char: u32,
    simple_widths: Vec<f32>,
}

/// One decoded code: its text (possibly empty), advance in text space units
/// (1/1000 of the font size) and whether it is the single-byte space (word
/// spacing applies).
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub text: String,
    pub width: f32,
    pub is_space: bool,
}

fn name(object: Option<&Object>) -> Vec<u8> {
    match object {
        Some(Object::Name(name)) => name.clone(),
        _ => Vec::new(),
    }
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map(|(_, o)| o).unwrap_or(object)
}

fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).ok().map(|o| resolve(doc, o))
}

fn number(object: &Object) -> Option<f32> {
    object.as_float().ok()
}

/// A stream's content, decompressed within the limit.
fn stream_bytes(doc: &Document, object: &Object, limit: usize) -> Option<Vec<u8>> {
    match resolve(doc, object) {
        Object::Stream(stream) => stream
            .decompressed_content_with_limit(limit)
            .ok()
            .or_else(|| (!stream.is_compressed()).then(|| stream.content.clone())),
        _ => None,
    }
}

/// Chinese faces whose simple-font strings are GBK bytes.
fn is_chinese_face(base_font: &[u8]) -> bool {
    let name = String::from_utf8_lossy(base_font).to_lowercase();
    let gbk_name = encoding_rs::GBK.decode_without_bom_handling(base_font).0;
    let chinese = [
        "simsun",
        "simhei",
        "fangsong",
        "kaiti",
        "nsimsun",
        "stsong",
        "stkaiti",
        "stfangsong",
        "stzhongsong",
        "dengxian",
        "microsoftyahei",
        "yahei",
        "gb2312",
        "gbk",
        "fz",
        "songti",
    ];
    chinese
        .iter()
        .any(|c| name.replace([' ', '-', '_'], "").contains(c))
        || gbk_name
            .chars()
            .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

impl Font {
    /// Build a font from its dictionary; never fails (an unreadable font
    /// decodes to replacement characters, which the garbled-page check sees).
    pub fn load(doc: &Document, dict: &Dictionary, limit: usize) -> Font {
        let subtype = name(get(doc, dict, b"Subtype"));
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| stream_bytes(doc, o, limit))
            .map(|bytes| cmap::parse(&bytes))
            .unwrap_or_default();
        if subtype == b"Type0" {
            Self::load_type0(doc, dict, to_unicode, limit)
        } else {
            Self::load_simple(doc, dict, to_unicode)
        }
    }

    fn load_type0(doc: &Document, dict: &Dictionary, to_unicode: cmap::CMap, limit: usize) -> Font {
        let encoding = get(doc, dict, b"Encoding");
        let encoding_name = name(encoding);
        let (predefined, mut code_space) = match encoding_name.as_slice() {
            b"GBK-EUC-H" | b"GB-EUC-H" | b"GBKp-EUC-H" | b"GBK2K-H" | b"GBK-EUC-V"
            | b"GB-EUC-V" => (Predefined::Gbk, gbk_code_space()),
            b"UniGB-UCS2-H" | b"UniGB-UTF16-H" | b"UniGB-UCS2-V" | b"UniGB-UTF16-V" => (
                Predefined::Utf16,
                vec![CodeRange {
                    len: 2,
                    low: 0,
                    high: 0xFFFF,
                }],
            ),
            _ => (
                Predefined::Identity,
                vec![CodeRange {
                    len: 2,
                    low: 0,
                    high: 0xFFFF,
                }],
            ),
        };
        if let Some(Object::Stream(stream)) = encoding {
            // an embedded CMap: use its code space
            if let Ok(bytes) = stream.decompressed_content_with_limit(limit) {
                let embedded = cmap::parse(&bytes);
                if !embedded.code_space.is_empty() {
                    code_space = embedded.code_space;
                }
            }
        }
        if !to_unicode.code_space.is_empty() && predefined == Predefined::Identity {
            code_space = to_unicode.code_space.clone();
        }
        let descendant = get(doc, dict, b"DescendantFonts").and_then(|o| match o {
            Object::Array(items) => items.first().map(|first| resolve(doc, first)),
            _ => None,
        });
        let descendant = match descendant {
            Some(Object::Dictionary(d)) => Some(d),
            _ => None,
        };
        let mut widths = HashMap::new();
        let mut default_width = 1000.0;
        let mut cid_to_unicode = HashMap::new();
        if let Some(descendant) = descendant {
            default_width = get(doc, descendant, b"DW")
                .and_then(number)
                .unwrap_or(1000.0);
            if let Some(Object::Array(w)) = get(doc, descendant, b"W") {
                read_cid_widths(doc, w, &mut widths);
            }
            if predefined == Predefined::Identity && to_unicode.unicode.is_empty() {
                cid_to_unicode = embedded_truetype_unicode(doc, descendant, limit);
            }
        }
        Font {
            kind: Kind::Type0 {
                predefined,
                cid_to_unicode,
            },
            code_space,
            to_unicode: to_unicode.unicode,
            widths,
            default_width,
            first_char: 0,
            simple_widths: Vec::new(),
        }
    }

    fn load_simple(doc: &Document, dict: &Dictionary, to_unicode: cmap::CMap) -> Font {
        let base_font = name(get(doc, dict, b"BaseFont"));
        let encoding = simple_encoding(doc, get(doc, dict, b"Encoding"));
        let gbk = to_unicode.unicode.is_empty() && is_chinese_face(&base_font);
        let first_char = get(doc, dict, b"FirstChar").and_then(number).unwrap_or(0.0) as u32;
        let simple_widths = match get(doc, dict, b"Widths") {
            Some(Object::Array(items)) => items
                .iter()
                .map(|o| number(resolve(doc, o)).unwrap_or(0.0))
                .collect(),
            _ => Vec::new(),
        };
        let missing = get(doc, dict, b"FontDescriptor")
            .and_then(|d| match d {
                Object::Dictionary(d) => get(doc, d, b"MissingWidth").and_then(number),
                _ => None,
            })
            .unwrap_or(500.0);
        let code_space = if gbk {
            gbk_code_space()
        } else {
            vec![CodeRange {
                len: 1,
                low: 0,
                high: 0xFF,
            }]
        };
        Font {
            kind: Kind::Simple { encoding, gbk },
            code_space,
            to_unicode: to_unicode.unicode,
            widths: HashMap::new(),
            default_width: missing,
            first_char,
            simple_widths,
        }
    }

    /// Width of a one-byte code of a simple font.
    fn simple_width(&self, code: u32) -> f32 {
        code.checked_sub(self.first_char)
            .and_then(|i| self.simple_widths.get(i as usize).copied())
            .filter(|w| *w > 0.0)
            .unwrap_or(self.default_width)
    }

    /// Decode a string into glyphs.
    pub fn decode(&self, bytes: &[u8]) -> Vec<Glyph> {
        let default_len = match self.kind {
            Kind::Simple { .. } => 1,
            Kind::Type0 { .. } => 2,
        };
        cmap::split_codes(&self.code_space, bytes, default_len)
            .into_iter()
            .map(|(code, len)| {
                let text = self.text_of(code, len);
                let width = self.width_of(code, len);
                Glyph {
                    text,
                    width,
                    is_space: len == 1 && code == 32,
                }
            })
            .collect()
    }

    fn text_of(&self, code: u32, len: usize) -> String {
        if let Some(text) = self.to_unicode.get(&code) {
            return unify_radicals(text);
        }
        let text = match &self.kind {
            Kind::Simple { encoding, gbk } => {
                if *gbk && len == 2 {
                    gbk_text(code, len)
                } else {
                    encoding[(code & 0xFF) as usize]
                        .map(String::from)
                        .unwrap_or_default()
                }
            }
            Kind::Type0 {
                predefined,
                cid_to_unicode,
            } => match predefined {
                Predefined::Gbk => gbk_text(code, len),
                Predefined::Utf16 => cmap::utf16be(&code.to_be_bytes()[4 - len..]),
                Predefined::Identity => cid_to_unicode
                    .get(&code)
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "\u{FFFD}".into()),
            },
        };
        unify_radicals(&text)
    }

    fn width_of(&self, code: u32, len: usize) -> f32 {
        match &self.kind {
            Kind::Simple { gbk, .. } => {
                if *gbk && len == 2 {
                    self.simple_width(code >> 8) + self.simple_width(code & 0xFF)
                } else {
                    self.simple_width(code)
                }
            }
            Kind::Type0 { predefined, .. } => {
                let cid = match predefined {
                    Predefined::Identity => Some(code),
                    // Adobe-GB1 CIDs 1–95 are the printable ASCII characters
                    Predefined::Gbk if len == 1 && (0x20..0x7F).contains(&code) => Some(code - 31),
                    _ => None,
                };
                match cid.and_then(|cid| self.widths.get(&cid)) {
                    Some(width) => *width,
                    None if len == 1 || (*predefined == Predefined::Utf16 && code < 0x80) => {
                        self.default_width.min(500.0)
                    }
                    None => self.default_width,
                }
            }
        }
    }
}

fn gbk_text(code: u32, len: usize) -> String {
    let bytes = &code.to_be_bytes()[4 - len..];
    let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(bytes);
    if had_errors {
        "\u{FFFD}".into()
    } else {
        text.into_owned()
    }
}

/// Kangxi radicals and CJK radical supplements → the unified ideograph.
fn unify_radicals(text: &str) -> String {
    if !text.chars().any(|c| ('\u{2E80}'..='\u{2FDF}').contains(&c)) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if ('\u{2E80}'..='\u{2FDF}').contains(&c) {
                c.to_string().nfkc().next().unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// /W: `c [w1 w2 …]` or `c_first c_last w`.
fn read_cid_widths(doc: &Document, w: &[Object], widths: &mut HashMap<u32, f32>) {
    let mut i = 0;
    while i < w.len() {
        let Some(first) = number(resolve(doc, &w[i])) else {
            break;
        };
        match w.get(i + 1).map(|o| resolve(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, item) in list.iter().enumerate().take(65_536) {
                    if let Some(width) = number(resolve(doc, item)) {
                        widths.insert(first as u32 + k as u32, width);
                    }
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) = (
                    number(last),
                    w.get(i + 2).and_then(|o| number(resolve(doc, o))),
                ) else {
                    break;
                };
                for cid in (first as u32)..=(last as u32).min(first as u32 + 65_536) {
                    widths.insert(cid, width);
                }
                i += 3;
            }
            None => break,
        }
    }
}

/// CID → character from an embedded TrueType font: CID → glyph through the
/// CIDToGIDMap, glyph → character through the font's cmap read backwards.
fn embedded_truetype_unicode(
    doc: &Document,
    descendant: &Dictionary,
    limit: usize,
) -> HashMap<u32, char> {
    let mut map = HashMap::new();
    let Some(Object::Dictionary(descriptor)) = get(doc, descendant, b"FontDescriptor") else {
        return map;
    };
    let Some(file) = descriptor
        .get(b"FontFile2")
        .ok()
        .and_then(|o| stream_bytes(doc, o, limit))
    else {
        return map;
    };
    let Ok(face) = ttf_parser::Face::parse(&file, 0) else {
        return map;
    };
    let mut glyph_to_char: HashMap<u16, char> = HashMap::new();
    if let Some(cmap) = face.tables().cmap {
        for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
            subtable.codepoints(|cp| {
                if let (Some(c), Some(glyph)) = (char::from_u32(cp), subtable.glyph_index(cp)) {
                    glyph_to_char.entry(glyph.0).or_insert(c);
                }
            });
        }
    }
    let cid_to_gid: Option<Vec<u8>> = descendant
        .get(b"CIDToGIDMap")
        .ok()
        .and_then(|o| stream_bytes(doc, o, limit));
    match cid_to_gid {
        Some(table) => {
            for (cid, pair) in table.chunks(2).enumerate() {
                let gid = u16::from(pair[0]) << 8 | u16::from(*pair.get(1).unwrap_or(&0));
                if let Some(c) = glyph_to_char.get(&gid) {
                    map.insert(cid as u32, *c);
                }
            }
        }
        None => {
            for (gid, c) in glyph_to_char {
                map.insert(u32::from(gid), c);
            }
        }
    }
    map
}

/// A simple font's code → character table.
fn simple_encoding(doc: &Document, encoding: Option<&Object>) -> Box<[Option<char>; 256]> {
    let mut table: Box<[Option<char>; 256]> = Box::new([None; 256]);
    let base = match encoding {
        Some(Object::Name(n)) => n.clone(),
        Some(Object::Dictionary(d)) => name(get(doc, d, b"BaseEncoding")),
        _ => Vec::new(),
    };
    let decoder = match base.as_slice() {
        b"MacRomanEncoding" => encoding_rs::MACINTOSH,
        _ => encoding_rs::WINDOWS_1252,
    };
    for (code, slot) in table.iter_mut().enumerate() {
        if code >= 0x20 {
            let byte = [code as u8];
            *slot = decoder.decode_without_bom_handling(&byte).0.chars().next();
        }
    }
    if let Some(Object::Dictionary(d)) = encoding {
        if let Some(Object::Array(differences)) = get(doc, d, b"Differences") {
            let mut code = 0usize;
            for item in differences {
                match resolve(doc, item) {
                    Object::Integer(n) => code = (*n).clamp(0, 255) as usize,
                    Object::Name(glyph) => {
                        if code < 256 {
                            table[code] = glyph_name_to_char(glyph);
                        }
                        code += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    table
}

/// Glyph names of the Adobe Glyph List that reports use, and `uniXXXX`.
fn glyph_name_to_char(name: &[u8]) -> Option<char> {
    let name = std::str::from_utf8(name).ok()?;
    if let Some(hex) = name.strip_prefix("uni").or_else(|| name.strip_prefix('u')) {
        if let Ok(value) = u32::from_str_radix(&hex[..hex.len().min(6)], 16) {
            return char::from_u32(value);
        }
    }
    if name.len() == 1 {
        return name.chars().next();
    }
    let named = [
        ("space", ' '),
        ("zero", '0'),
        ("one", '1'),
        ("two", '2'),
        ("three", '3'),
        ("four", '4'),
        ("five", '5'),
        ("six", '6'),
        ("seven", '7'),
        ("eight", '8'),
        ("nine", '9'),
        ("period", '.'),
        ("comma", ','),
        ("hyphen", '-'),
        ("minus", '-'),
        ("parenleft", '('),
        ("parenright", ')'),
        ("percent", '%'),
        ("colon", ':'),
        ("semicolon", ';'),
        ("slash", '/'),
        ("plus", '+'),
        ("equal", '='),
        ("less", '<'),
        ("greater", '>'),
        ("underscore", '_'),
        ("quotedbl", '"'),
        ("quotesingle", '\''),
        ("bracketleft", '['),
        ("bracketright", ']'),
        ("asterisk", '*'),
        ("numbersign", '#'),
        ("ampersand", '&'),
        ("at", '@'),
        ("endash", '–'),
        ("emdash", '—'),
        ("bullet", '•'),
        ("quoteleft", '‘'),
        ("quoteright", '’'),
        ("quotedblleft", '“'),
        ("quotedblright", '”'),
        ("exclam", '!'),
        ("question", '?'),
    ];
    named.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radicals_become_ideographs() {
        assert_eq!(unify_radicals("\u{2F00}\u{2F08}"), "一人");
        assert_eq!(unify_radicals("收入"), "收入");
    }

    #[test]
    fn gbk_codes() {
        assert_eq!(gbk_text(0xCAD5, 2), "收");
        assert_eq!(gbk_text(0x41, 1), "A");
    }

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_to_char(b"uni6536"), Some('收'));
        assert_eq!(glyph_name_to_char(b"zero"), Some('0'));
        assert_eq!(glyph_name_to_char(b"A"), Some('A'));
    }
}

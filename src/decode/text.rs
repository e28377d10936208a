//! Text decoding with encoding detection.
//!
//! Order of decisions, first match wins:
//! 1. a byte-order mark: UTF-8, UTF-16 LE or UTF-16 BE;
//! 2. NUL or other control bytes that text never holds → binary;
//! 3. valid UTF-8 → UTF-8;
//! 4. valid GB18030 (a superset of GBK and GB2312) → GB18030.
//!
//! Line ends are normalised to `\n` (CRLF and lone CR both occur in the wild).

use super::DecodeError;
use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

/// Decoded text and the encoding it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedText {
    pub text: String,
    pub encoding: &'static str,
}

pub fn decode_text(bytes: &[u8]) -> Result<DecodedText, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_strict(encoding, &bytes[bom_len..]);
    }
    if let Some(offset) = first_binary_byte(bytes) {
        return Err(DecodeError::Binary { offset });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(DecodedText {
            text: normalise_line_ends(text),
            encoding: "UTF-8",
        });
    }
    decode_strict(GB18030, bytes)
}

fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<DecodedText, DecodeError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        let offset = first_error_offset(encoding, bytes);
        return Err(DecodeError::Undecodable { offset });
    }
    if text.chars().any(|c| c == '\0') {
        return Err(DecodeError::Binary { offset: 0 });
    }
    Ok(DecodedText {
        text: normalise_line_ends(&text),
        encoding: encoding_label(encoding),
    })
}

fn encoding_label(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_8 {
        "UTF-8"
    } else if encoding == UTF_16LE {
        "UTF-16LE"
    } else if encoding == UTF_16BE {
        "UTF-16BE"
    } else {
        "GB18030"
    }
}

/// Position of the first malformed sequence, found by decoding a growing
/// prefix (only on the error path, so the cost does not matter).
fn first_error_offset(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(16);
    for (i, byte) in bytes.iter().enumerate() {
        out.clear();
        out.reserve(16);
        let (result, _, had_errors) =
            decoder.decode_to_string(std::slice::from_ref(byte), &mut out, false);
        let _ = result;
        if had_errors {
            return i;
        }
    }
    bytes.len()
}

/// Text holds no NUL and no C0 control bytes except tab, line feed, form
/// feed, carriage return and escape; anything else is binary.
fn first_binary_byte(bytes: &[u8]) -> Option<usize> {
    bytes
        .iter()
        .position(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
}

fn normalise_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "收入决算表\r\n\t公开02表\r\n";

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode_text(SAMPLE.as_bytes()).unwrap();
        assert_eq!(plain.text, "收入决算表\n\t公开02表\n");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(SAMPLE.as_bytes());
        assert_eq!(decode_text(&bom).unwrap().text, plain.text);
    }

    #[test]
    fn utf16_both_byte_orders() {
        // encoding_rs only decodes UTF-16, so build the bytes by hand.
        let units: Vec<u16> = SAMPLE.encode_utf16().collect();
        let mut little = vec![0xFF, 0xFE];
        let mut big = vec![0xFE, 0xFF];
        for unit in units {
            little.extend_from_slice(&unit.to_le_bytes());
            big.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode_text(&little).unwrap().encoding, "UTF-16LE");
        assert_eq!(
            decode_text(&little).unwrap().text,
            "收入决算表\n\t公开02表\n"
        );
        assert_eq!(decode_text(&big).unwrap().text, "收入决算表\n\t公开02表\n");
    }

    #[test]
    fn gb18030_without_bom_is_detected() {
        let (bytes, _, _) = GB18030.encode(SAMPLE);
        let decoded = decode_text(&bytes).unwrap();
        assert_eq!(decoded.encoding, "GB18030");
        assert_eq!(decoded.text, "收入决算表\n\t公开02表\n");
    }

    #[test]
    fn lone_carriage_returns_become_line_feeds() {
        assert_eq!(decode_text(b"a\rb\r").unwrap().text, "a\nb\n");
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert_eq!(decode_text(b""), Err(DecodeError::Empty));
        assert_eq!(
            decode_text(b"ab\x00\x01cd"),
            Err(DecodeError::Binary { offset: 2 })
        );
        assert!(matches!(
            decode_text(&[0x80, 0x80, 0xFF]),
            Err(DecodeError::Undecodable { .. })
        ));
    }
}

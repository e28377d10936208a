//! A content stream's operations, read one at a time.
//!
//! The grammar is ISO 32000's for content streams: operands (numbers,
//! names, literal and hexadecimal strings, arrays, dictionaries, `true`,
//! `false`, `null`) followed by an operator (a word of letters, digits and
//! `*`, `'`, `"`, not starting with a digit); `%` comments to the end of the
//! line; inline images `BI … ID data EI`.
//!
//! Written by hand rather than with lopdf's parser combinators, which took a
//! third of a run's time, and more forgiving than they are: where lopdf stops
//! at the first byte it cannot read and drops the rest of the page silently,
//! this reader skips that byte and counts it ([`Operations::skipped`]), so a
//! stray `}` or a lone `-` costs nothing that follows it.
//!
//! Values are lopdf's [`Object`]s, so the interpreter reads operands as it
//! did. Numbers follow lopdf (and pdf.js, poppler): a real is digits with a
//! `.`; a `-` inside a real's fraction (`0.00-4142502`) is ignored; an
//! integer too large for `i64` is read as a real. An inline image is one
//! operation, `EI`, without operands: its data is passed over (the data's
//! length from `/W /H /BPC /CS` when it is unfiltered, else up to the first
//! `EI` between white space).

use lopdf::{Dictionary, Object, StringFormat};

/// Arrays and dictionaries nested deeper than this end the stream.
const MAX_DEPTH: usize = 64;

/// The operations of one content stream.
pub struct Operations<'a> {
    input: &'a [u8],
    position: usize,
    operands: Vec<Object>,
    skipped: usize,
}

impl<'a> Operations<'a> {
    pub fn new(input: &'a [u8]) -> Self {
        Operations {
            input,
            position: 0,
            operands: Vec::new(),
            skipped: 0,
        }
    }

    /// Bytes passed over because no token starts with them.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// The next operator and its operands; `None` at the end of the stream
    /// (operands left without an operator there are dropped).
    pub fn next_operation(&mut self) -> Option<(&'a str, &[Object])> {
        self.operands.clear();
        loop {
            self.skip_space();
            let &byte = self.input.get(self.position)?;
            if is_operator_start(byte) {
                let word = self.word();
                match word {
                    "true" => self.operands.push(Object::Boolean(true)),
                    "false" => self.operands.push(Object::Boolean(false)),
                    "null" => self.operands.push(Object::Null),
                    "BI" => {
                        self.inline_image();
                        self.operands.clear();
                        return Some(("EI", &self.operands));
                    }
                    _ => return Some((word, &self.operands)),
                }
                continue;
            }
            match self.object(0) {
                Some(object) => self.operands.push(object),
                None if self.position >= self.input.len() => return None,
                None => {
                    self.position += 1;
                    self.skipped += 1;
                }
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.position).copied()
    }

    /// White space and comments.
    fn skip_space(&mut self) {
        while let Some(byte) = self.peek() {
            if is_whitespace(byte) {
                self.position += 1;
            } else if byte == b'%' {
                while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.position += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A word of operator characters (ASCII, so always a `str`).
    fn word(&mut self) -> &'a str {
        let start = self.position;
        while self.peek().is_some_and(is_operator_char) {
            self.position += 1;
        }
        std::str::from_utf8(&self.input[start..self.position]).unwrap_or("")
    }

    /// An operand at the current position, or `None` (nothing consumed)
    /// when no operand starts here.
    fn object(&mut self, depth: usize) -> Option<Object> {
        let byte = self.peek()?;
        match byte {
            b'/' => Some(Object::Name(self.name())),
            b'(' => Some(Object::String(self.literal_string(), StringFormat::Literal)),
            b'<' if self.input.get(self.position + 1) == Some(&b'<') => {
                (depth < MAX_DEPTH).then(|| Object::Dictionary(self.dictionary(depth + 1)))
            }
            b'<' => Some(Object::String(self.hex_string(), StringFormat::Hexadecimal)),
            b'[' => (depth < MAX_DEPTH).then(|| Object::Array(self.array(depth + 1))),
            b'+' | b'-' | b'.' | b'0'..=b'9' => self.number(),
            _ if depth > 0 && is_operator_start(byte) => match self.word() {
                "true" => Some(Object::Boolean(true)),
                "false" => Some(Object::Boolean(false)),
                // (`null`, and any other word inside an array or a
                // dictionary, which holds no operators)
                _ => Some(Object::Null),
            },
            _ => None,
        }
    }

    fn name(&mut self) -> Vec<u8> {
        self.position += 1; // '/'
        let mut name = Vec::new();
        while let Some(byte) = self.peek() {
            if !is_regular(byte) {
                break;
            }
            if byte == b'#' {
                let digits = self.input.get(self.position + 1..self.position + 3);
                if let Some(&[high, low]) = digits {
                    if let (Some(high), Some(low)) = (hex_value(high), hex_value(low)) {
                        name.push(high << 4 | low);
                        self.position += 3;
                        continue;
                    }
                }
                break;
            }
            name.push(byte);
            self.position += 1;
        }
        name
    }

    /// `( … )` with balanced parentheses, escapes and line ends read as
    /// the standard says (an end of line in the string is `\n`).
    fn literal_string(&mut self) -> Vec<u8> {
        self.position += 1; // '('
        let mut text = Vec::new();
        let mut open = 0usize;
        while let Some(byte) = self.peek() {
            self.position += 1;
            match byte {
                b'(' => {
                    open += 1;
                    text.push(byte);
                }
                b')' if open == 0 => return text,
                b')' => {
                    open -= 1;
                    text.push(byte);
                }
                b'\\' => self.escape(&mut text),
                b'\r' => {
                    if self.peek() == Some(b'\n') {
                        self.position += 1;
                    }
                    text.push(b'\n');
                }
                _ => text.push(byte),
            }
        }
        text
    }

    fn escape(&mut self, text: &mut Vec<u8>) {
        let Some(byte) = self.peek() else {
            return;
        };
        self.position += 1;
        match byte {
            b'n' => text.push(b'\n'),
            b'r' => text.push(b'\r'),
            b't' => text.push(b'\t'),
            b'b' => text.push(0x08),
            b'f' => text.push(0x0C),
            b'0'..=b'7' => {
                let mut value = u16::from(byte - b'0');
                for _ in 0..2 {
                    match self.peek() {
                        Some(digit @ b'0'..=b'7') => {
                            value = value * 8 + u16::from(digit - b'0');
                            self.position += 1;
                        }
                        _ => break,
                    }
                }
                text.push(value as u8); // (overflow ignored, as the standard says)
            }
            // a backslash at the end of a line continues the string
            b'\r' => {
                if self.peek() == Some(b'\n') {
                    self.position += 1;
                }
            }
            b'\n' => {}
            other => text.push(other),
        }
    }

    /// `< … >`: hexadecimal digits, white space ignored, an odd last digit
    /// followed by 0; any other byte ends the string.
    fn hex_string(&mut self) -> Vec<u8> {
        self.position += 1; // '<'
        let mut bytes = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(byte) = self.peek() {
            self.position += 1;
            if byte == b'>' {
                break;
            }
            if is_whitespace(byte) {
                continue;
            }
            let Some(value) = hex_value(byte) else {
                self.skipped += 1;
                continue;
            };
            match high.take() {
                Some(h) => bytes.push(h << 4 | value),
                None => high = Some(value),
            }
        }
        if let Some(h) = high {
            bytes.push(h << 4);
        }
        bytes
    }

    fn array(&mut self, depth: usize) -> Vec<Object> {
        self.position += 1; // '['
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => return items,
                Some(b']') => {
                    self.position += 1;
                    return items;
                }
                Some(_) => match self.object(depth) {
                    Some(object) => items.push(object),
                    None => {
                        self.position += 1;
                        self.skipped += 1;
                    }
                },
            }
        }
    }

    fn dictionary(&mut self, depth: usize) -> Dictionary {
        self.position += 2; // '<<'
        let mut dictionary = Dictionary::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => return dictionary,
                Some(b'>') => {
                    self.position += 1;
                    if self.peek() == Some(b'>') {
                        self.position += 1;
                    }
                    return dictionary;
                }
                Some(b'/') => self.entry(&mut dictionary, depth),
                Some(_) => {
                    self.position += 1;
                    self.skipped += 1;
                }
            }
        }
    }

    /// `/Key value` into `dictionary` (a key without a value is null).
    fn entry(&mut self, dictionary: &mut Dictionary, depth: usize) {
        let key = self.name();
        self.skip_space();
        let value = match self.peek() {
            Some(b'>') | None => Object::Null,
            Some(_) => self.object(depth).unwrap_or(Object::Null),
        };
        dictionary.set(key, value);
    }

    /// `[+-] digits [. digits]` or `[+-] . digits`; `None` (nothing
    /// consumed) for a sign or point without digits.
    fn number(&mut self) -> Option<Object> {
        let start = self.position;
        let mut at = start;
        let byte = |i: usize| self.input.get(i).copied();
        if matches!(byte(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let digits_start = at;
        while byte(at).is_some_and(|b| b.is_ascii_digit()) {
            at += 1;
        }
        let whole_digits = at - digits_start;
        if byte(at) != Some(b'.') {
            if whole_digits == 0 {
                return None;
            }
            self.position = at;
            let text = std::str::from_utf8(&self.input[start..at]).unwrap_or("0");
            return Some(match text.parse::<i64>() {
                Ok(value) => Object::Integer(value),
                Err(_) => Object::Real(text.parse::<f32>().unwrap_or(0.0)),
            });
        }
        at += 1; // '.'
        let fraction_start = at;
        while byte(at).is_some_and(|b| b.is_ascii_digit() || b == b'-') {
            at += 1;
        }
        let fraction = &self.input[fraction_start..at];
        if whole_digits == 0 && !fraction.first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        self.position = at;
        if !fraction.contains(&b'-') {
            let text = std::str::from_utf8(&self.input[start..at]).unwrap_or("0");
            return Some(Object::Real(text.parse::<f32>().unwrap_or(0.0)));
        }
        let mut text: String = String::with_capacity(at - start);
        text.extend(self.input[start..fraction_start].iter().map(|&b| b as char));
        text.extend(fraction.iter().filter(|&&b| b != b'-').map(|&b| b as char));
        Some(Object::Real(text.parse::<f32>().unwrap_or(0.0)))
    }

    /// Past an inline image: its dictionary, `ID`, the data and `EI`.
    fn inline_image(&mut self) {
        let mut dictionary = Dictionary::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => return,
                Some(b'/') => self.entry(&mut dictionary, 1),
                Some(_) => {
                    if self.input[self.position..].starts_with(b"ID")
                        && self
                            .input
                            .get(self.position + 2)
                            .is_none_or(|&b| !is_operator_char(b))
                    {
                        self.position += 2;
                        break;
                    }
                    self.position += 1;
                    self.skipped += 1;
                }
            }
        }
        // one white-space byte (CR LF as one) separates ID from the data
        match self.peek() {
            Some(b'\r') if self.input.get(self.position + 1) == Some(&b'\n') => self.position += 2,
            Some(byte) if is_whitespace(byte) => self.position += 1,
            _ => {}
        }
        let data = &self.input[self.position..];
        let ends_at = |i: usize| {
            data.get(i..i + 2) == Some(b"EI") && data.get(i + 2).is_none_or(|&b| is_whitespace(b))
        };
        // the data's length when it can be known: unfiltered samples
        if let Some(length) = inline_image_length(&dictionary) {
            let mut after = length;
            while data.get(after).is_some_and(|&b| is_whitespace(b)) {
                after += 1;
            }
            if ends_at(after) {
                self.position += after + 2;
                return;
            }
        }
        let end = (0..data.len())
            .find(|&i| i > 0 && is_whitespace(data[i - 1]) && ends_at(i))
            .map_or(data.len(), |i| i + 2);
        self.position += end;
    }
}

/// Bytes of an unfiltered inline image's samples (`None` when filtered or
/// not stated).
fn inline_image_length(dictionary: &Dictionary) -> Option<usize> {
    let get =
        |short: &[u8], long: &[u8]| dictionary.get(short).or_else(|_| dictionary.get(long)).ok();
    if get(b"F", b"Filter").is_some() {
        return None;
    }
    let size = |short: &[u8], long: &[u8]| {
        get(short, long)
            .and_then(|o| o.as_i64().ok())
            .and_then(|v| usize::try_from(v).ok())
    };
    let (width, height) = (size(b"W", b"Width")?, size(b"H", b"Height")?);
    let mask = get(b"IM", b"ImageMask").and_then(|o| o.as_bool().ok()) == Some(true);
    let bits = if mask {
        size(b"BPC", b"BitsPerComponent").unwrap_or(1)
    } else {
        size(b"BPC", b"BitsPerComponent")?
    };
    let colours = if mask {
        1
    } else {
        match get(b"CS", b"ColorSpace")? {
            Object::Array(_) => 1, // Indexed
            Object::Name(name) => match name.as_slice() {
                b"DeviceGray" | b"G" | b"Gray" | b"I" | b"Indexed" => 1,
                b"DeviceRGB" | b"RGB" => 3,
                b"DeviceCMYK" | b"CMYK" => 4,
                _ => return None,
            },
            _ => return None,
        }
    };
    width
        .checked_mul(bits)?
        .checked_mul(colours)?
        .div_ceil(8)
        .checked_mul(height)
}

fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | 0x0C)
}

fn is_delimiter(byte: u8) -> bool {
    matches!(
        byte,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(byte: u8) -> bool {
    !is_whitespace(byte) && !is_delimiter(byte)
}

fn is_operator_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'*' | b'\'' | b'"')
}

fn is_operator_start(byte: u8) -> bool {
    is_operator_char(byte) && !byte.is_ascii_digit()
}

fn hex_value(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|v| v as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operations(input: &[u8]) -> Vec<(String, Vec<Object>)> {
        let mut reader = Operations::new(input);
        let mut all = Vec::new();
        while let Some((operator, operands)) = reader.next_operation() {
            all.push((operator.to_string(), operands.to_vec()));
        }
        all
    }

    #[test]
    fn operands_of_every_kind_are_read() {
        let ops = operations(
            b"q 1 0 0 -1.5 .5 -.25 cm BT /F1#20a 12 Tf [(A\\(b\\)) -250 <4E2d 7>] TJ \
              /Span <</MCID 3 /Alt (x)>> BDC true false null d0 0.00-4142502 Tz ET Q",
        );
        let names: Vec<&str> = ops.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(
            names,
            ["q", "cm", "BT", "Tf", "TJ", "BDC", "d0", "Tz", "ET", "Q"]
        );
        assert_eq!(
            ops[1].1,
            vec![
                Object::Integer(1),
                Object::Integer(0),
                Object::Integer(0),
                Object::Real(-1.5),
                Object::Real(0.5),
                Object::Real(-0.25),
            ]
        );
        assert_eq!(
            ops[3].1,
            vec![Object::Name(b"F1 a".to_vec()), Object::Integer(12)]
        );
        assert_eq!(
            ops[4].1,
            vec![Object::Array(vec![
                Object::String(b"A(b)".to_vec(), StringFormat::Literal),
                Object::Integer(-250),
                Object::String(vec![0x4E, 0x2D, 0x70], StringFormat::Hexadecimal),
            ])]
        );
        let Object::Dictionary(properties) = &ops[5].1[1] else {
            panic!("{:?}", ops[5]);
        };
        assert_eq!(properties.get(b"MCID").ok(), Some(&Object::Integer(3)));
        assert_eq!(
            ops[6].1,
            vec![Object::Boolean(true), Object::Boolean(false), Object::Null]
        );
        assert_eq!(ops[7].1, vec![Object::Real(0.004_142_502)]);
    }

    #[test]
    fn strings_keep_their_escapes_nesting_and_line_ends() {
        let ops = operations(b"(a(b)c\\101\\7\\\r\nd\re\\n) Tj");
        assert_eq!(
            ops[0].1,
            vec![Object::String(
                b"a(b)cA\x07d\ne\n".to_vec(),
                StringFormat::Literal
            )]
        );
    }

    #[test]
    fn comments_and_stray_bytes_are_passed_over() {
        let mut reader = Operations::new(b"% a comment\n1 2 m } - 3 4 l\n%%end");
        let mut all = Vec::new();
        while let Some((operator, operands)) = reader.next_operation() {
            all.push((operator.to_string(), operands.len()));
        }
        assert_eq!(all, [("m".to_string(), 2), ("l".to_string(), 2)]);
        assert_eq!(reader.skipped(), 2);
    }

    #[test]
    fn an_inline_image_is_one_operation_whatever_its_data() {
        // 2×2 grey samples that read "\nEI " (an end marker to a scan),
        // then the real end
        let ops = operations(b"q BI /W 2 /H 2 /CS /G /BPC 8 ID \nEI \nEI Q (after) Tj");
        let names: Vec<&str> = ops.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, ["q", "EI", "Q", "Tj"]);
        // filtered data: up to the first EI between white space
        let ops = operations(b"BI /W 9 /H 9 /F /AHx ID 00EI00 \nEI\nET");
        let names: Vec<&str> = ops.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, ["EI", "ET"]);
    }

    #[test]
    fn deep_nesting_ends_without_overflowing_the_stack() {
        let mut input = vec![b'['; 100_000];
        input.extend_from_slice(b" Tj");
        let _ = operations(&input);
        let mut input = b"<<".repeat(50_000);
        input.extend_from_slice(b" Tj");
        let _ = operations(&input);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_are_read_to_the_end(input in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let mut reader = Operations::new(&input);
            let mut count = 0;
            while reader.next_operation().is_some() {
                count += 1;
                proptest::prop_assert!(count <= input.len());
            }
        }
    }
}

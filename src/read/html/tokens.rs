//! The tokenizer of the HTML reader: a page's text → tags and text, in
//! order; comments, doctype and the content of `script`, `style`, `head`,
//! `title` and `noscript` dropped, entities decoded in text and attribute
//! values.
//!
//! Linear in the page: each element whose content is dropped looks for its
//! closing tag from where it opens, without copying the rest of the page,
//! and the place found (or that there is none) is remembered, so that
//! 60,000 `<title></title>` pairs, or 120,000 unclosed `<title>`s, cost one
//! pass over the page, not one each.

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Open {
        name: String,
        attributes: Vec<(String, String)>,
        closed: bool,
    },
    Close(String),
    Text(String),
}

/// Tags, text and nothing else; comments, doctype and the content of
/// script/style dropped.
pub(super) fn tokenize(html: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut closing = ClosingTags::new(html);
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            tokens.push(Token::Text(decode_entities(rest)));
            break;
        };
        if lt > 0 {
            tokens.push(Token::Text(decode_entities(&rest[..lt])));
        }
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            continue;
        }
        let Some(gt) = tag_end(rest) else {
            tokens.push(Token::Text(decode_entities(rest)));
            break;
        };
        let inner = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = inner.strip_prefix('/') {
            tokens.push(Token::Close(name.trim().to_ascii_lowercase()));
            continue;
        }
        let name: String = inner
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            tokens.push(Token::Text(decode_entities(&format!("<{inner}>"))));
            continue;
        }
        let closed = inner.trim_end().ends_with('/');
        let attributes = parse_attributes(&inner[name.len()..]);
        if matches!(
            name.as_str(),
            "script" | "style" | "head" | "title" | "noscript"
        ) && !closed
        {
            match closing.next(&name, html.len() - rest.len()) {
                Some(at) => {
                    let after = &html[at..];
                    rest = after.find('>').map_or("", |g| &after[g + 1..]);
                    continue;
                }
                // an unclosed script or style hides the rest; an unclosed
                // head or title does not
                None if matches!(name.as_str(), "script" | "style") => break,
                None => continue,
            }
        }
        tokens.push(Token::Open {
            name,
            attributes,
            closed,
        });
    }
    tokens
}

/// Where the next closing tag of an element is, searched for from a place
/// in the page only when the last search for it found nothing that lies
/// ahead: the tokenizer moves forward, so each name's searches cover the
/// page once.
struct ClosingTags<'a> {
    html: &'a str,
    /// By element name: where its last search started, and what it found.
    found: Vec<(String, usize, Option<usize>)>,
}

impl<'a> ClosingTags<'a> {
    fn new(html: &'a str) -> Self {
        ClosingTags {
            html,
            found: Vec::new(),
        }
    }

    /// The offset of the first `</name` (any case) at or after `from`.
    fn next(&mut self, name: &str, from: usize) -> Option<usize> {
        let index = match self.found.iter().position(|(n, ..)| n == name) {
            Some(index) => index,
            None => {
                self.found.push((name.to_string(), usize::MAX, None));
                self.found.len() - 1
            }
        };
        let (_, start, result) = &mut self.found[index];
        let still_valid = *start <= from && result.is_none_or(|at| at >= from);
        if !still_valid {
            let close = format!("</{name}");
            *start = from;
            *result = find_ignoring_case(&self.html[from..], &close).map(|at| from + at);
        }
        *result
    }
}

/// The offset of `needle` (ASCII, starting with `<`) in `haystack`, ASCII
/// case ignored.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    let mut from = 0;
    while let Some(offset) = haystack[from..].iter().position(|&b| b == needle[0]) {
        let at = from + offset;
        let candidate = haystack.get(at..at + needle.len())?;
        if candidate.eq_ignore_ascii_case(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The `>` ending a tag, skipping `>` inside quoted attribute values.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            (None, '<') => return None, // a stray '<' in text
            _ => {}
        }
    }
    None
}

fn parse_attributes(text: &str) -> Vec<(String, String)> {
    let mut attributes = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace() || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            if let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let body = &after[1..];
                let end = body.find(quote).unwrap_or(body.len());
                value = decode_entities(&body[..end]);
                rest = body.get(end + 1..).unwrap_or("");
            } else {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                value = decode_entities(&after[..end]);
                rest = &after[end..];
            }
        } else if name.is_empty() {
            rest = rest.get(1..).unwrap_or("");
        }
        if !name.is_empty() {
            attributes.push((name, value));
        }
        rest = rest.trim_start();
    }
    attributes
}

/// Decode character references; `&nbsp;` (and U+00A0) become spaces.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1)
            .unwrap_or(rest.len());
        let name = &rest[1..end];
        let decoded = entity(name);
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.replace('\u{a0}', " ")
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "mdash" => '—',
        "ndash" => '–',
        "middot" => '·',
        "hellip" => '…',
        "times" => '×',
        "yen" => '¥',
        "permil" => '‰',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 120,000 elements whose content is dropped, closed or not, are read
    /// and the text after them kept. (The quadratic tokenizer took 7 to 9 s
    /// over each page; its time is watched by the hostile batch's wall
    /// ceiling, `tests/suite/limits.rs`, not by a clock here.)
    #[test]
    fn titles_by_the_thousand_are_read_in_one_pass() {
        for title in ["<title></title>", "<TITLE>", "<head><title>x</TITLE>"] {
            let page = format!("{}<p>单位：万元</p>", title.repeat(120_000));
            let tokens = tokenize(&page);
            assert!(
                tokens.contains(&Token::Text("单位：万元".to_string())),
                "{title}"
            );
        }
    }

    #[test]
    fn the_content_of_a_title_or_script_is_dropped_whatever_its_case() {
        let tokens = tokenize("<Title>T</tiTLE><p>a<script>x<p>y</SCRIPT >b<title>unclosed<p>c");
        let texts: Vec<&str> = tokens
            .iter()
            .filter_map(|t| match t {
                Token::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["a", "b", "unclosed", "c"]);
    }
}

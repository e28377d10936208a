//! Text laid out with spaces, as `pdftotext -layout` and similar tools
//! write it: tables recovered from where the words stand.
//!
//! [`layout_text`] decides between the readers of plain text: tab layout
//! when lines start with TAB ([`super::tabbed`]), this reader when the text
//! has lines of words and figures separated by runs of spaces, else plain
//! paragraphs.
//!
//! How a page is read:
//! - A form feed starts a new page; a page's last line when it is only a
//!   page number (`12`, `- 12 -`) is dropped.
//! - A line is cut into **tokens** at runs of two or more spaces (figures
//!   separated by single spaces are cut too). A token is an amount
//!   (`1,234.50`, `0.00`, `-3`), a code (digits at the start of a line:
//!   `201`, `06`, `2010350`) or text. Positions are character columns.
//! - **Regions**: the lines between blank lines form blocks; a block with a
//!   line of several tokens that holds an amount or a code, or with two lines
//!   of several tokens, is tabular. Consecutive tabular blocks — across a
//!   page break too — are one table; other blocks are paragraphs (their
//!   lines joined; an indented or short line starts a new paragraph).
//!   Lines of one token before a table's first line of several (title,
//!   marker) stay one-cell rows; lines of text at the left margin after a
//!   table's last figures (long ones, or 注：…, 说明：…) are paragraphs.
//! - **Columns**: positions are only roughly kept by such tools (a line
//!   whose left part is empty is often shifted left), so a token is never
//!   placed by its position alone. The lines with figures are matched to a
//!   growing list of columns, left to right, by a small dynamic programme:
//!   a token goes to the nearest column of its kind (amount or text) that
//!   keeps the order of the line, or opens a new column when none is near.
//!   The header lines (above the first figures) are matched the same way,
//!   any kind; the header text of a column is its header fragments joined
//!   top to bottom (wrapped headers such as `本年收入合` / `计`), a line
//!   holding a `：` statement (部门：… 单位：…) being a row of its own.
//! - **Rows**: a line with a code, a label or figures is a row; a line of
//!   figures alone is joined to the labelled line that follows (a cell of
//!   several lines is centred on its row, so its figures can sit on the
//!   line above), when they do not fill the same columns; a line of text
//!   alone continues a row's label — the lines between two rows are shared
//!   as the rows' labels are centred: as many lines below a row as above
//!   it, a blank line always ending the row above.
//!
//! What it cannot know: a cell whose figures moved further than half the
//! distance to the next column lands in the wrong column; headers that are
//! not wrapped in place are joined with their neighbours. Such tables read
//! better from the PDF itself.

use super::tabbed;
use crate::model::{Block, Document, Paragraph, Row, Table};

/// Lay out decoded text with the reader that suits it.
pub fn layout_text(text: &str) -> Document {
    if text.lines().any(|line| line.starts_with('\t')) || !looks_aligned(text) {
        return tabbed::layout(text);
    }
    layout(text)
}

/// Several lines of words and figures separated by runs of spaces.
fn looks_aligned(text: &str) -> bool {
    text.lines()
        .filter(|line| {
            let tokens = tokenize(line);
            tokens.len() >= 2 && tokens.iter().any(|t| t.kind != Kind::Text)
        })
        .take(3)
        .count()
        >= 3
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Amount,
    Code,
    Text,
}

#[derive(Debug, Clone)]
struct Token {
    start: usize,
    end: usize,
    text: String,
    kind: Kind,
}

impl Token {
    fn center(&self) -> f64 {
        (self.start + self.end) as f64 / 2.0
    }
}

#[derive(Debug, Clone)]
struct Line {
    page: u32,
    indent: usize,
    width: usize,
    /// Pieces separated by runs of two or more spaces.
    pieces: usize,
    text: String,
    tokens: Vec<Token>,
}

impl Line {
    fn is_blank(&self) -> bool {
        self.tokens.is_empty()
    }
    fn has_figures(&self) -> bool {
        self.tokens.iter().any(|t| t.kind == Kind::Amount)
    }
    fn has_code(&self) -> bool {
        self.tokens.iter().any(|t| t.kind == Kind::Code)
    }
    /// The first line of a table's body: amounts with decimals or
    /// separators, several amounts (栏次 1 2 3), or a code and more. A lone
    /// `2023` in a header is a year, not a figure.
    fn starts_body(&self) -> bool {
        let amounts: Vec<&Token> = self
            .tokens
            .iter()
            .filter(|t| t.kind == Kind::Amount)
            .collect();
        amounts.len() >= 2
            || amounts.iter().any(|t| t.text.contains(['.', ',']))
            || (self.has_code() && self.tokens.len() >= 2)
    }

    fn has_text(&self) -> bool {
        self.tokens.iter().any(|t| t.kind == Kind::Text)
    }
}

fn is_amount(text: &str) -> bool {
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
fn tokenize(line: &str) -> Vec<Token> {
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
fn split_single_spaces(text: &str, start: usize) -> Vec<Token> {
    let token = |s: usize, t: &str| Token {
        start: s,
        end: s + t.chars().count(),
        text: t.to_string(),
        kind: Kind::Text,
    };
    let words: Vec<&str> = text.split(' ').collect();
    if words.len() > 1 && words.iter().all(|w| is_amount(w)) {
        let mut out = Vec::new();
        let mut at = start;
        for word in words {
            out.push(token(at, word));
            at += word.chars().count() + 1;
        }
        return out;
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
        let mut out = Vec::new();
        let mut at = start;
        for word in words {
            out.push(token(at, word));
            at += word.chars().count() + 1;
        }
        return out;
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
fn starts_item(text: &str) -> bool {
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

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

fn ends_cjk(word: &str) -> bool {
    word.chars().last().is_some_and(is_cjk)
}

fn starts_cjk_or_digit(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| is_cjk(c) || c.is_ascii_digit())
}

fn is_page_number(line: &str) -> bool {
    let core = line
        .trim()
        .trim_matches(|c| c == '-' || c == '—' || c == ' ');
    !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit())
}

/// Read a whole text.
pub fn layout(text: &str) -> Document {
    let mut lines = Vec::new();
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let page_count = pages.len() - usize::from(pages.last().is_some_and(|p| p.trim().is_empty()));
    for (index, page) in pages.iter().take(page_count.max(1)).enumerate() {
        let mut page_lines: Vec<&str> = page.lines().collect();
        while page_lines.last().is_some_and(|l| l.trim().is_empty()) {
            page_lines.pop();
        }
        if page_lines.last().is_some_and(|l| is_page_number(l)) {
            page_lines.pop();
        }
        for raw in page_lines {
            let tokens = tokenize(raw);
            lines.push(Line {
                page: index as u32 + 1,
                indent: raw.chars().take_while(|c| *c == ' ').count(),
                width: raw.trim_end().chars().count(),
                pieces: raw.split("  ").filter(|p| !p.trim().is_empty()).count(),
                text: raw.trim().to_string(),
                tokens,
            });
        }
        // a page break separates blocks like a blank line
        lines.push(Line {
            page: index as u32 + 1,
            indent: 0,
            width: 0,
            pieces: 0,
            text: String::new(),
            tokens: Vec::new(),
        });
    }
    let mut blocks = Vec::new();
    let mut region: Vec<Line> = Vec::new();
    let mut held_header: Vec<Vec<Line>> = Vec::new();
    for block in split_blocks(lines).into_iter().flat_map(split_at_notes) {
        // inside a table, a block of lone figures and codes (a row whose
        // cells stand on lines of their own), or of short indented labels
        // (rows without figures: 专项收入), is part of it
        let same_page = region
            .last()
            .is_some_and(|l: &Line| l.page == block[0].page);
        let lone_cells = block
            .iter()
            .any(|l| l.has_figures() || l.has_code() || is_code_like(l))
            && block
                .iter()
                .all(|l| l.width - l.indent <= 40 || l.pieces >= 2);
        let short_labels = block
            .iter()
            .all(|l| l.pieces <= 2 && l.width - l.indent <= 24 && l.indent >= 1);
        let continues = same_page && (lone_cells || short_labels);
        // a page that starts with a table's title (…表, or a line set in
        // above 单位：万元) starts a new table…
        let title_line = block[0].tokens.len() == 1;
        let titled_page = !same_page
            && title_line
            && block[0].indent > 4
            && (block[0].text.ends_with('表')
                || block.get(1).is_some_and(|l| is_statement(&l.text)));
        // …as does a table title over its 单位 line anywhere
        let titled_block = title_line
            && block[0].text.ends_with('表')
            && block
                .get(1)
                .is_some_and(|l| l.tokens.iter().any(|t| is_statement(&t.text)));
        if titled_page || titled_block {
            flush_region(&mut region, &mut blocks);
        }
        if continues || is_tabular(&block) {
            // header lines set apart by blank lines (部门：… 单位：万元 /
            // 项目名称 金额) head the table that follows them
            if region.is_empty() {
                for held in held_header.drain(..) {
                    region.extend(held);
                    region.push(blank_like(&block[0]));
                }
            }
            flush_held(&mut held_header, &mut blocks);
            if !region.is_empty() && region.last().is_some_and(|l| !l.is_blank()) {
                region.push(blank_like(&block[0]));
            }
            region.extend(block);
        } else if region.is_empty() && block.len() == 1 && block[0].pieces >= 2 {
            held_header.push(block);
        } else {
            flush_region(&mut region, &mut blocks);
            flush_held(&mut held_header, &mut blocks);
            blocks.extend(paragraphs(&block));
        }
    }
    flush_region(&mut region, &mut blocks);
    flush_held(&mut held_header, &mut blocks);
    Document {
        pages: Some(page_count.max(1) as u32),
        blocks,
        page_issues: Vec::new(),
    }
}

/// Lines held as a possible header that no table followed: paragraphs.
fn flush_held(held: &mut Vec<Vec<Line>>, blocks: &mut Vec<Block>) {
    for block in held.drain(..) {
        blocks.extend(paragraphs(&block));
    }
}

fn blank_like(line: &Line) -> Line {
    Line {
        page: line.page,
        indent: 0,
        width: 0,
        pieces: 0,
        text: String::new(),
        tokens: Vec::new(),
    }
}

fn split_blocks(lines: Vec<Line>) -> Vec<Vec<Line>> {
    let mut blocks = Vec::new();
    let mut block = Vec::new();
    for line in lines {
        if line.is_blank() {
            if !block.is_empty() {
                blocks.push(std::mem::take(&mut block));
            }
        } else {
            block.push(line);
        }
    }
    if !block.is_empty() {
        blocks.push(block);
    }
    blocks
}

fn is_note_start(line: &Line) -> bool {
    line.pieces == 1
        && line.indent <= 2
        && (line.text.starts_with('注') || line.text.starts_with("说明"))
}

/// A block whose table ends in notes (注：…) without a blank line is two
/// blocks: the table, and the notes with whatever follows them (the next
/// table's title).
fn split_at_notes(mut block: Vec<Line>) -> Vec<Vec<Line>> {
    let figures = block.iter().position(|l| l.has_figures());
    let notes = figures.and_then(|f| block.iter().skip(f).position(is_note_start).map(|p| f + p));
    match notes {
        Some(at) if at > 0 => {
            let rest = block.split_off(at);
            vec![block, rest]
        }
        _ => vec![block],
    }
}

/// A line that is a code alone (310), printed away from its row.
fn is_code_like(line: &Line) -> bool {
    line.tokens.len() == 1
        && line.tokens[0].text.chars().all(|c| c.is_ascii_digit())
        && matches!(line.tokens[0].text.len(), 2 | 3 | 5 | 7)
}

fn is_tabular(block: &[Line]) -> bool {
    let several = block.iter().filter(|l| l.pieces >= 2).count();
    let figures = block
        .iter()
        .any(|l| l.pieces >= 2 && (l.has_figures() || l.has_code()));
    // (one line of many words is a header row: 预算数 决算数 预算数 …)
    let header_row = block.iter().any(|l| l.pieces >= 4);
    figures || several >= 2 || header_row
}

/// Paragraphs of a block of running text.
fn paragraphs(block: &[Line]) -> Vec<Block> {
    let measure = block.iter().map(|l| l.width).max().unwrap_or(0);
    let mut out = Vec::new();
    let mut text = String::new();
    let mut page = None;
    let mut previous_short = false;
    for line in block {
        let content = line.text.as_str();
        let starts_new = line.indent >= 2 || previous_short;
        if starts_new && !text.is_empty() {
            out.push(paragraph(std::mem::take(&mut text), page));
        }
        if text.is_empty() {
            page = Some(line.page);
        }
        let ascii_join = text.ends_with(|c: char| c.is_ascii_alphanumeric())
            && content.starts_with(|c: char| c.is_ascii_alphanumeric());
        if ascii_join {
            text.push(' ');
        }
        text.push_str(content);
        // a short line ends its paragraph; so does a centred one (a title)
        previous_short = line.width * 5 < measure * 4 || line.indent >= 8;
    }
    if !text.is_empty() {
        out.push(paragraph(text, page));
    }
    out
}

fn paragraph(text: String, page: Option<u32>) -> Block {
    Block::Paragraph(Paragraph { text, page })
}

/// A column: where its tokens stand and what they are.
#[derive(Debug, Clone)]
struct Column {
    /// Stays the same when columns are inserted before it.
    id: usize,
    /// Mean centre, left and right edge of its tokens.
    center: f64,
    start: f64,
    end: f64,
    amounts: usize,
    texts: usize,
    codes: usize,
}

impl Column {
    fn new(id: usize, token: &Token) -> Column {
        Column {
            id,
            center: token.center(),
            start: token.start as f64,
            end: token.end as f64,
            amounts: 0,
            texts: 0,
            codes: 0,
        }
    }

    /// How far a token stands from the column: figures are right-aligned,
    /// words left-aligned or centred (合计), so the nearer of edge and centre.
    fn distance(&self, token: &Token) -> f64 {
        let edge = match token.kind {
            Kind::Amount => (token.end as f64 - self.end).abs(),
            _ => (token.start as f64 - self.start).abs(),
        };
        edge.min((token.center() - self.center).abs())
    }

    fn take(&mut self, token: &Token) {
        match token.kind {
            Kind::Amount => self.amounts += 1,
            Kind::Code => self.codes += 1,
            Kind::Text => self.texts += 1,
        }
        let n = (self.amounts + self.texts + self.codes) as f64;
        self.center += (token.center() - self.center) / n;
        self.start += (token.start as f64 - self.start) / n;
        self.end += (token.end as f64 - self.end) / n;
    }

    /// A column holds figures, codes or words, whichever most of its tokens
    /// are (a 款 code stands a few characters from the names: two columns).
    fn accepts(&self, token: &Token) -> bool {
        // a lone glyph (类 款 项 over a code column) goes anywhere but figures
        if token.kind == Kind::Text && token.text.chars().count() == 1 {
            return self.amounts <= self.texts.max(self.codes);
        }
        let (own, others) = match token.kind {
            Kind::Amount => (self.amounts, self.texts.max(self.codes)),
            Kind::Code => (self.codes, self.texts.max(self.amounts)),
            Kind::Text => (self.texts, self.codes.max(self.amounts)),
        };
        own >= others
    }

    fn kind(&self) -> Kind {
        if self.amounts > self.texts.max(self.codes) {
            Kind::Amount
        } else if self.codes > self.texts {
            Kind::Code
        } else {
            Kind::Text
        }
    }
}

/// Cost of a token opening a column of its own rather than joining one.
const NEW_COLUMN: f64 = 8.0;
/// The same for a number of a code's length without separators (a code,
/// a row number): such columns stand closer together.
const CODE_COLUMN: f64 = 5.0;
/// Cost of a later page's column not matching one of the first page's: a
/// page laid out tighter than the one before moves whole columns, but a
/// table keeps its columns from page to page.
const NEW_PAGE_COLUMN: f64 = 40.0;

/// Match a line's tokens to the columns, keeping their order; `None` in
/// the result means "a new column just before column i" (`Err(i)`).
fn assign(
    tokens: &[Token],
    columns: &[Column],
    any_kind: bool,
    new_column: f64,
) -> Vec<Result<usize, usize>> {
    let (n, m) = (tokens.len(), columns.len());
    // best[i][j]: cost of placing tokens[..i] within columns[..j]
    let inf = f64::INFINITY;
    let mut best = vec![vec![inf; m + 1]; n + 1];
    let mut choice = vec![vec![0u8; m + 1]; n + 1];
    best[0].fill(0.0);
    for i in 1..=n {
        for j in 0..=m {
            // token i-1 opens a new column after columns[..j], where it stands
            let center = tokens[i - 1].center();
            let fits = (j == 0 || columns[j - 1].center <= center)
                && (j == m || center <= columns[j].center);
            // (codes stand close together: 302 and its 款 25 a few
            // characters apart are two columns)
            let text = &tokens[i - 1].text;
            let code_like =
                matches!(text.len(), 2 | 3 | 5 | 7) && text.chars().all(|c| c.is_ascii_digit());
            let opening = if code_like {
                new_column.min(CODE_COLUMN)
            } else {
                new_column
            };
            let mut value = if fits { best[i - 1][j] + opening } else { inf };
            let mut how = 1u8;
            if j > 0 {
                // column j-1 left empty by this line
                if best[i][j - 1] < value {
                    value = best[i][j - 1];
                    how = 2;
                }
                let column = &columns[j - 1];
                let token = &tokens[i - 1];
                if any_kind || column.accepts(token) {
                    let cost = best[i - 1][j - 1] + column.distance(token);
                    if cost < value {
                        value = cost;
                        how = 3;
                    }
                }
            }
            best[i][j] = value;
            choice[i][j] = how;
        }
    }
    let mut result = vec![Err(0); n];
    let (mut i, mut j) = (n, m);
    while i > 0 {
        match choice[i][j] {
            1 => {
                result[i - 1] = Err(j);
                i -= 1;
            }
            2 => j -= 1,
            _ => {
                result[i - 1] = Ok(j - 1);
                i -= 1;
                j -= 1;
            }
        }
    }
    result
}

/// The columns of some lines: those with figures or codes first (the
/// fullest first), then the other lines of several tokens; a lone fragment
/// of text opens no column (it goes where it is nearest).
fn columns_of(lines: &[Line]) -> Vec<Column> {
    let mut columns = Vec::new();
    let mut order: Vec<&Line> = lines
        .iter()
        .filter(|l| l.tokens.len() >= 2 || l.has_figures() || l.has_code())
        .collect();
    order.sort_by_key(|l| {
        (
            !(l.has_figures() || l.has_code()),
            std::cmp::Reverse(l.tokens.len()),
        )
    });
    for line in order {
        place(&line.tokens, &mut columns, false, NEW_COLUMN);
    }
    // a page of one-word lines still needs columns to stand in
    if columns.is_empty() {
        for line in lines {
            place(&line.tokens, &mut columns, false, NEW_COLUMN);
        }
    }
    columns
}

/// A line's tokens on fixed columns (a token no column takes goes to the
/// nearest).
fn settle(line: &Line, columns: &[Column]) -> Vec<usize> {
    assign(&line.tokens, columns, false, NEW_COLUMN)
        .into_iter()
        .zip(&line.tokens)
        .map(|(a, token)| a.unwrap_or_else(|_| nearest_of(columns, token)))
        .collect()
}

/// Grow the columns with one line's tokens (new columns inserted in
/// order); returns each token's column.
fn place(
    tokens: &[Token],
    columns: &mut Vec<Column>,
    any_kind: bool,
    new_column: f64,
) -> Vec<usize> {
    place_learning(tokens, columns, any_kind, new_column, true)
}

/// [`place`]; with `learn` false the columns' positions and kinds are not
/// moved by these tokens (headers, pages matched as a whole).
fn place_learning(
    tokens: &[Token],
    columns: &mut Vec<Column>,
    any_kind: bool,
    new_column: f64,
    learn: bool,
) -> Vec<usize> {
    let assignment = assign(tokens, columns, any_kind, new_column);
    let old = std::mem::take(columns);
    let mut old_to_new = vec![0; old.len()];
    let mut placed = vec![0; tokens.len()];
    for j in 0..=old.len() {
        for (t, a) in assignment.iter().enumerate() {
            if *a == Err(j) {
                placed[t] = columns.len();
                // (a column opened by a header takes figures and words alike)
                let id = old.len() + t + old.iter().map(|c| c.id + 1).max().unwrap_or(0);
                columns.push(Column::new(id, &tokens[t]));
            }
        }
        if let Some(column) = old.get(j) {
            old_to_new[j] = columns.len();
            columns.push(column.clone());
        }
    }
    for (t, a) in assignment.iter().enumerate() {
        if let Ok(j) = a {
            placed[t] = old_to_new[*j];
        }
    }
    for (t, &column) in placed.iter().enumerate() {
        if learn {
            columns[column].take(&tokens[t]);
        }
    }
    placed
}

/// The nearest column taking tokens of this kind (any column when none does).
fn nearest_of(columns: &[Column], token: &Token) -> usize {
    let best = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.accepts(token))
        .min_by(|a, b| a.1.distance(token).total_cmp(&b.1.distance(token)))
        .map(|(i, _)| i);
    best.unwrap_or_else(|| nearest(columns, token.center()))
}

fn nearest(columns: &[Column], center: f64) -> usize {
    columns
        .iter()
        .enumerate()
        .min_by(|a, b| {
            let da = (a.1.center - center).abs();
            let db = (b.1.center - center).abs();
            da.total_cmp(&db)
        })
        .map_or(0, |(i, _)| i)
}

/// A row being built: cells by column, and what it holds.
#[derive(Debug, Default, Clone)]
struct PendingRow {
    cells: Vec<(usize, String)>,
    page: Option<u32>,
    above: usize,
    below: usize,
    labelled: bool,
    /// Holds words (not only a code and figures).
    worded: bool,
    /// Starts with an enumeration (1、 二、 （1） 其中): a row's label, not the
    /// continuation of one.
    item: bool,
    /// Where each column's text starts, from the row's own line.
    starts: Vec<(usize, usize)>,
}

impl PendingRow {
    fn add(&mut self, column: usize, text: &str, before: bool) {
        match self.cells.iter_mut().find(|(c, _)| *c == column) {
            Some((_, cell)) if before => *cell = format!("{text}\n{cell}"),
            Some((_, cell)) => {
                cell.push('\n');
                cell.push_str(text);
            }
            None => self.cells.push((column, text.to_string())),
        }
    }

    /// Another line's cells above this row's (a label's first lines).
    fn merge_before(&mut self, other: PendingRow) {
        for (column, text) in other.cells {
            self.add(column, &text, true);
        }
        self.labelled |= other.labelled;
        self.worded |= other.worded;
    }

    /// Another line's cells below this row's.
    fn merge_after(&mut self, other: PendingRow) {
        for (column, text) in other.cells {
            self.add(column, &text, false);
        }
        self.labelled |= other.labelled;
        self.worded |= other.worded;
    }

    fn columns(&self) -> Vec<usize> {
        self.cells.iter().map(|(c, _)| *c).collect()
    }
}

fn flush_region(region: &mut Vec<Line>, blocks: &mut Vec<Block>) {
    let lines = std::mem::take(region);
    if lines.is_empty() {
        return;
    }
    // leading one-token lines: at the margin (a marker) rows of one cell,
    // set in (a centred title, 单位：万元 on the right) paragraphs
    // (a short word set in, 项目, is already the header)
    let lead = lines
        .iter()
        .take_while(|l| {
            let titled = l.indent <= 4 || l.text.chars().count() >= 5 || is_statement(&l.text);
            l.tokens.len() <= 1 && !l.has_figures() && !l.has_code() && titled
        })
        .count();
    let first_figures = lines
        .iter()
        .position(|l| l.starts_body())
        .unwrap_or(lines.len());
    // notes after the last figures: lines of text at the left margin
    let last_figures = lines.iter().rposition(|l| l.has_figures()).unwrap_or(0);
    let tail = lines
        .iter()
        .skip(last_figures + 1)
        .position(|l| {
            let note = l.text.starts_with('注') || l.text.starts_with("说明");
            l.pieces == 1 && l.indent <= 2 && (l.width >= 12 || note)
        })
        .map_or(lines.len(), |p| last_figures + 1 + p)
        .max(first_figures);

    let mut rows: Vec<Row> = Vec::new();
    for line in &lines[..lead.min(first_figures)] {
        if line.is_blank() {
            continue;
        }
        if line.indent <= 4 {
            rows.push(Row::new(vec![line.text.clone()], Some(line.page)));
        } else {
            blocks.push(paragraph(line.text.clone(), Some(line.page)));
        }
    }
    // text just above the first figures, after a blank line that ends the
    // header, is the first rows' labels (a label centred on its row)
    let header_start = lead.min(first_figures);
    let last_blank = lines[header_start..first_figures]
        .iter()
        .rposition(Line::is_blank)
        .map(|p| header_start + p);
    let label_like = |l: &Line| l.tokens.len() <= 3;
    let body_start = match last_blank {
        Some(blank)
            if blank + 1 < first_figures
                && lines[header_start..blank].iter().any(|l| !l.is_blank())
                && lines[blank + 1..first_figures].iter().all(label_like) =>
        {
            blank + 1
        }
        _ => first_figures,
    };
    let header = &lines[header_start..body_start];
    let body = &lines[body_start..tail];

    // columns from the body: lines with figures first (the fullest first),
    // then the other lines; then the header's cells; then every body line
    // is placed on the result
    // a table running over pages: each page's columns are found on its own
    // lines (a tool lays out each page on its own, some tighter), and a
    // later page's columns are matched to the first page's, in order
    let mut pages: Vec<&[Line]> = Vec::new();
    let mut start = 0;
    for i in 1..=body.len() {
        if i == body.len() || body[i].page != body[start].page {
            pages.push(&body[start..i]);
            start = i;
        }
    }
    let mut columns = columns_of(pages.first().copied().unwrap_or(&[]));
    let cells = header_cells(header);
    // (with no columns at all, a region of statements only, every place
    // falls to the first position)
    let ids = |places: Vec<usize>, columns: &[Column]| -> Vec<usize> {
        places
            .into_iter()
            .map(|c| columns.get(c).map_or(usize::MAX, |c| c.id))
            .collect()
    };
    let header_places = ids(place_header(&cells, &mut columns), &columns);
    let mut body_places: Vec<Vec<usize>> = pages
        .first()
        .map(|lines| {
            lines
                .iter()
                .map(|l| ids(settle(l, &columns), &columns))
                .collect()
        })
        .unwrap_or_default();
    for lines in pages.iter().skip(1) {
        let local = columns_of(lines);
        let as_tokens: Vec<Token> = local
            .iter()
            .map(|c| Token {
                start: c.start.round().max(0.0) as usize,
                end: c.end.round().max(0.0) as usize,
                text: String::new(),
                kind: c.kind(),
            })
            .collect();
        let onto = ids(
            place_learning(&as_tokens, &mut columns, false, NEW_PAGE_COLUMN, false),
            &columns,
        );
        for line in lines.iter() {
            let places: Vec<usize> = settle(line, &local)
                .into_iter()
                .map(|c| onto.get(c).copied().unwrap_or(usize::MAX))
                .collect();
            body_places.push(places);
        }
    }
    // column ids → final positions
    let position = |id: usize| columns.iter().position(|c| c.id == id).unwrap_or(0);
    let header_places: Vec<usize> = header_places.into_iter().map(position).collect();
    let body_places: Vec<Vec<usize>> = body_places
        .into_iter()
        .map(|line| line.into_iter().map(position).collect())
        .collect();
    let width = columns.len();
    header_rows(&cells, &header_places, width, &mut rows);
    body_rows(body, &body_places, width, &mut rows);
    if !rows.is_empty() {
        blocks.push(Block::Table(Table { rows }));
    }
    if tail < lines.len() {
        let rest: Vec<Line> = lines[tail..]
            .iter()
            .filter(|l| !l.is_blank())
            .cloned()
            .collect();
        blocks.extend(paragraphs(&rest));
    }
}

fn to_row(cells: &[(usize, String)], width: usize, page: Option<u32>) -> Row {
    let mut row = vec![String::new(); width];
    for (column, text) in cells {
        if *column < width {
            row[*column] = text.clone();
        }
    }
    Row::new(row, page)
}

/// A cell of the header: fragments on successive lines, one below the
/// other, joined while the text wraps.
#[derive(Debug, Clone)]
struct HeaderCell {
    start: usize,
    end: usize,
    first_line: usize,
    last_line: usize,
    text: String,
    widest: usize,
    last_width: usize,
    /// The last fragment filled the cell's width: the text may go on.
    open: bool,
    page: u32,
}

impl HeaderCell {
    fn center(&self) -> f64 {
        (self.start + self.end) as f64 / 2.0
    }
    /// Overlapping or touching: wrapped CJK text may move by a character.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        self.start <= end && start <= self.end
    }
}

/// The header's cells: a fragment continues the nearest cell above it that
/// it overlaps when that cell is still open (its last line was as wide as
/// its widest: the text wrapped); a narrower line closes a cell, so the
/// next fragment below starts a new one (a lower header level).
fn header_cells(header: &[Line]) -> Vec<HeaderCell> {
    let mut cells: Vec<HeaderCell> = Vec::new();
    for (index, line) in header.iter().enumerate() {
        for token in &line.tokens {
            let width = token.text.chars().count();
            let above = cells
                .iter()
                .enumerate()
                .filter(|(_, c)| c.last_line < index && c.overlaps(token.start, token.end))
                .max_by_key(|(_, c)| c.last_line)
                .map(|(i, _)| i)
                // (a blank line between two header lines parts their cells)
                .filter(|&i| !header[cells[i].last_line..index].iter().any(Line::is_blank));
            // the lines of a wrapped cell do not grow (more than a glyph)
            let grows = |cell: &HeaderCell| width > cell.last_width + 1;
            match above {
                Some(i) if cells[i].open && !grows(&cells[i]) => {
                    let cell = &mut cells[i];
                    cell.text.push_str(&token.text);
                    cell.start = cell.start.min(token.start);
                    cell.end = cell.end.max(token.end);
                    cell.last_line = index;
                    cell.widest = cell.widest.max(width);
                    cell.last_width = width;
                    cell.open = width + 1 >= cell.widest && !statement_complete(&cell.text);
                }
                _ => cells.push(HeaderCell {
                    start: token.start,
                    end: token.end,
                    first_line: index,
                    last_line: index,
                    text: token.text.clone(),
                    widest: width,
                    last_width: width,
                    open: !statement_complete(&token.text),
                    page: line.page,
                }),
            }
        }
    }
    cells
}

/// How far the cells below a header may stand for it to span them.
const SPAN_REACH: f64 = 14.0;

/// Cost of a header cell opening a column no figure stands in.
const NEW_HEADER_COLUMN: f64 = 12.0;

/// The column of each header cell. The lowest cells (no other cell below
/// them) are matched to the columns left to right (a header may stand a few
/// characters off its figures, but its order is kept), opening columns for
/// headers without figures; a cell above others goes with the leftmost
/// cell it spans; a `：` statement with the nearest column.
fn place_header(cells: &[HeaderCell], columns: &mut Vec<Column>) -> Vec<usize> {
    let below = |i: usize| {
        cells
            .iter()
            .filter(move |c| c.first_line > cells[i].last_line && !is_statement(&c.text))
    };
    let lowest: Vec<usize> = (0..cells.len())
        .filter(|&i| {
            let center = cells[i].center();
            // a cell centred between two cells below it spans them
            let near = |c: &&HeaderCell| (c.center() - center).abs() <= SPAN_REACH;
            let spans = below(i).filter(near).any(|c| c.center() < center)
                && below(i).filter(near).any(|c| c.center() > center);
            !is_statement(&cells[i].text)
                && !spans
                && !below(i).any(|c| c.overlaps(cells[i].start, cells[i].end))
        })
        .collect();
    let mut ordered = lowest.clone();
    ordered.sort_by(|a, b| cells[*a].center().total_cmp(&cells[*b].center()));
    let tokens: Vec<Token> = ordered
        .iter()
        .map(|&i| Token {
            start: cells[i].start,
            end: cells[i].end,
            text: cells[i].text.clone(),
            kind: Kind::Text,
        })
        .collect();
    let placed = place_learning(&tokens, columns, true, NEW_HEADER_COLUMN, false);
    let mut result = vec![usize::MAX; cells.len()];
    for (k, &i) in ordered.iter().enumerate() {
        result[i] = placed[k];
    }
    // a spanning cell goes with the leftmost of the lowest cells it spans:
    // those below it nearer to it than to any other cell of its level
    let upper: Vec<usize> = (0..cells.len())
        .filter(|&i| result[i] == usize::MAX)
        .collect();
    let same_level =
        |a: &HeaderCell, b: &HeaderCell| a.first_line <= b.last_line && b.first_line <= a.last_line;
    for &i in &upper {
        let spanned = ordered.iter().copied().filter(|&j| {
            let lowest = &cells[j];
            let distance = |u: &HeaderCell| (u.center() - lowest.center()).abs();
            lowest.first_line > cells[i].last_line
                && (cells[i].overlaps(lowest.start, lowest.end)
                    || distance(&cells[i]) <= SPAN_REACH)
                && upper
                    .iter()
                    .filter(|&&k| k != i && same_level(&cells[k], &cells[i]))
                    .filter(|&&k| lowest.first_line > cells[k].last_line)
                    .all(|&k| distance(&cells[k]) >= distance(&cells[i]))
        });
        let leftmost = spanned.min_by(|a, b| cells[*a].center().total_cmp(&cells[*b].center()));
        result[i] = match leftmost {
            Some(j) => result[j],
            None => nearest(columns, cells[i].center()),
        };
    }
    result
}

/// Header cells → rows: the `：` statements first, in a row of their own;
/// then the header levels aligned at the bottom, so each column's own label
/// is in the last header row and the cells spanning it above.
fn header_rows(cells: &[HeaderCell], places: &[usize], width: usize, rows: &mut Vec<Row>) {
    let page = cells.iter().map(|c| c.page).min();
    // statements left to right, a cell each (their row is not aligned
    // with the columns)
    let mut statements: Vec<&HeaderCell> = cells.iter().filter(|c| is_statement(&c.text)).collect();
    statements.sort_by(|a, b| a.center().total_cmp(&b.center()));
    if !statements.is_empty() {
        let cells: Vec<(usize, String)> = statements
            .iter()
            .enumerate()
            .map(|(i, c)| (i, c.text.clone()))
            .collect();
        rows.push(to_row(&cells, width.max(cells.len()), page));
    }
    let mut levels: Vec<Vec<&HeaderCell>> = vec![Vec::new(); width];
    for (cell, &column) in cells.iter().zip(places) {
        if column < width && !is_statement(&cell.text) {
            levels[column].push(cell);
        }
    }
    for column in &mut levels {
        column.sort_by_key(|c| c.first_line);
    }
    let depth = levels.iter().map(Vec::len).max().unwrap_or(0);
    for level in 0..depth {
        let cells: Vec<(usize, String)> = levels
            .iter()
            .enumerate()
            .filter_map(|(column, cells)| {
                let offset = depth - cells.len();
                (level >= offset).then(|| (column, cells[level - offset].text.clone()))
            })
            .collect();
        rows.push(to_row(&cells, width, page));
    }
}

/// Endings that complete a `：` statement in a header: the unit (…万元) or
/// the kind of body a department is (…中心, …局, …委员会 …).
const STATEMENT_ENDINGS: &[&str] = &[
    "元",
    "中心",
    "局",
    "委员会",
    "办公室",
    "办公厅",
    "厅",
    "院",
    "所",
    "队",
    "站",
    "处",
    "会",
    "部",
    "委",
    "社",
    "馆",
    "校",
    "园",
    "场",
    "公司",
    "室",
    "政府",
    "署",
    "办",
];

fn statement_complete(text: &str) -> bool {
    is_statement(text) && STATEMENT_ENDINGS.iter().any(|e| text.ends_with(e))
}

/// A statement about the table rather than a column header: `部门：…`,
/// `单位：万元`, or the year alone (`2023年度`).
fn is_statement(text: &str) -> bool {
    let year = text
        .get(..4)
        .is_some_and(|y| y.chars().all(|c| c.is_ascii_digit()))
        && matches!(text.get(4..), Some("年" | "年度"));
    year || text
        .find('：')
        .is_some_and(|at| text[..at].chars().count() <= 6)
}

/// A body whose rows are set apart by blank lines, each a few lines (a
/// row's figures, codes and names on lines of their own): every block is
/// one row.
fn rows_are_blocks(body: &[Line]) -> bool {
    let blocks: Vec<&[Line]> = body
        .split(Line::is_blank)
        .filter(|b| !b.is_empty())
        .collect();
    let starts_with_code = |l: &&Line| {
        l.tokens
            .first()
            .is_some_and(|t| t.kind == Kind::Code && t.start <= 2)
    };
    blocks.len() >= 4
        && blocks.iter().filter(|b| b.len() <= 4).count() * 10 >= blocks.len() * 9
        && blocks.iter().filter(|b| b.len() >= 2).count() * 2 >= blocks.len()
        && blocks
            .iter()
            .all(|b| b.iter().filter(starts_with_code).count() <= 1)
}

/// Body lines → rows (see the module doc).
fn body_rows(body: &[Line], places: &[Vec<usize>], width: usize, rows: &mut Vec<Row>) {
    if rows_are_blocks(body) {
        let mut row = PendingRow::default();
        for (line, place) in body.iter().zip(places) {
            if line.is_blank() {
                if !row.cells.is_empty() {
                    rows.push(to_row(&row.cells, width, row.page));
                }
                row = PendingRow::default();
                continue;
            }
            // figures after a block's names start the next row (a row's
            // figures stand above its codes and names)
            let money = line
                .tokens
                .iter()
                .any(|t| t.kind == Kind::Amount && t.text.contains(['.', ',']));
            let figures_only = money && !line.has_text() && !line.has_code();
            if figures_only && row.worded {
                rows.push(to_row(&row.cells, width, row.page));
                row = PendingRow::default();
            }
            row.page.get_or_insert(line.page);
            row.worded |= line.has_text();
            for (token, column) in line.tokens.iter().zip(place) {
                row.add(*column, &token.text, false);
            }
        }
        if !row.cells.is_empty() {
            rows.push(to_row(&row.cells, width, row.page));
        }
        return;
    }
    let mut rows_out = RowBuilder::default();
    let mut floating: Option<PendingRow> = None;
    for (index, (line, place)) in body.iter().zip(places).enumerate() {
        if line.is_blank() {
            rows_out.blank();
            continue;
        }
        let mut row = PendingRow {
            page: Some(line.page),
            labelled: line.has_text() || line.has_code(),
            worded: line.has_text(),
            item: line.tokens.first().is_some_and(|t| starts_item(&t.text)),
            ..PendingRow::default()
        };
        for (token, column) in line.tokens.iter().zip(place) {
            row.add(*column, &token.text, false);
            row.starts.push((*column, token.start));
        }
        let figures_only = line.has_figures() && !row.labelled;
        if !line.has_figures() && !line.has_code() && floating.is_none() {
            rows_out.fragment(row);
            continue;
        }
        // figures printed on the line above their label (a taller cell
        // centred on the row) join the next line when it has figures too and
        // they fill different columns
        if let Some(earlier) = floating.take() {
            if collides(&earlier, &row) {
                rows_out.start(earlier);
            } else {
                row.merge_before(earlier);
            }
        }
        if figures_only {
            let next = body.get(index + 1).filter(|n| !n.is_blank());
            let joins = next.is_some_and(|n| {
                n.has_figures() && {
                    let columns = &places[index + 1];
                    !row.columns().iter().any(|c| columns.contains(c))
                }
            });
            if joins {
                floating = Some(row);
                continue;
            }
        }
        rows_out.start(row);
    }
    if let Some(earlier) = floating.take() {
        rows_out.start(earlier);
    }
    for row in rows_out.finish() {
        rows.push(to_row(&row.cells, width, row.page));
    }
}

/// Rows in order, with the lines of text waiting between two rows.
#[derive(Default)]
struct RowBuilder {
    done: Vec<PendingRow>,
    current: Option<PendingRow>,
    /// Lines of text alone since the current row, and whether a blank line
    /// came before each.
    waiting: Vec<(PendingRow, bool)>,
    blank_since: bool,
}

impl RowBuilder {
    fn blank(&mut self) {
        // a blank line ends the row above: the lines waiting are its own,
        // but for items, which are rows of their own
        if self.current.is_some() {
            for (line, _) in std::mem::take(&mut self.waiting) {
                let current = self.current.as_mut().expect("checked above");
                if line.item {
                    let done = self.current.replace(line).expect("checked above");
                    self.done.push(done);
                } else {
                    current.merge_after(line);
                    current.below += 1;
                }
            }
        }
        self.blank_since = true;
    }

    fn fragment(&mut self, line: PendingRow) {
        self.waiting.push((line, self.blank_since));
        self.blank_since = false;
    }

    /// A new row: the lines waiting are shared — the row above takes as
    /// many lines below it as it had above (its label is centred), or
    /// those before a blank line; the new row the rest, above it.
    fn start(&mut self, mut row: PendingRow) {
        let split = self
            .waiting
            .iter()
            .position(|(_, after_blank)| *after_blank);
        let below = match (&self.current, split) {
            (_, Some(at)) => at,
            // a row of code and figures with nothing above: its label hangs
            // below it, up to the next item
            (Some(current), None) if !current.worded && current.above == 0 => self
                .waiting
                .iter()
                .position(|(line, _)| line.item)
                .unwrap_or(self.waiting.len()),
            (Some(current), None) if current.above > 0 || current.labelled => {
                current.above.min(self.waiting.len())
            }
            (Some(_), None) => self.waiting.len().div_ceil(2),
            (None, None) => 0,
        };
        let mut waiting = std::mem::take(&mut self.waiting).into_iter();
        if let Some(current) = self.current.as_mut() {
            for (line, _) in waiting.by_ref().take(below) {
                current.merge_after(line);
                current.below += 1;
            }
        }
        // the rest goes above the new row, except items of their own: an
        // enumerated label (1、… 二、… （1）… 其中…) starts a row without
        // figures unless the new row still lacks its label there
        // a line shorter than the new row's label below it is not that
        // label's first line (a wrapped label fills its first line): a row
        // of its own
        let too_short = |line: &PendingRow| {
            line.cells.iter().any(|(column, text)| {
                row.cells.iter().any(|(c, own)| {
                    c == column && !is_amount(own) && own.chars().count() > text.chars().count() + 2
                })
            })
        };
        let above: Vec<PendingRow> = waiting.map(|(line, _)| line).collect();
        // (only the lines after the last item can be the new row's label)
        let last_item = above.iter().rposition(|l| l.item).unwrap_or(0);
        let above: Vec<(PendingRow, bool)> = above
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let alone = i >= last_item && too_short(&line);
                (line, alone)
            })
            .collect();
        let mut groups: Vec<Vec<PendingRow>> = Vec::new();
        let mut alone_groups = Vec::new();
        for (line, alone) in above {
            if alone {
                alone_groups.push(groups.len());
            }
            if line.item || alone || groups.is_empty() {
                groups.push(vec![line]);
            } else {
                groups.last_mut().expect("pushed above").push(line);
            }
        }
        let last = groups.len();
        let mut own_rows = Vec::new();
        for (index, group) in groups.into_iter().enumerate() {
            // the new row has its own label there, starting an item too or
            // standing elsewhere: this one is not its beginning
            let own_label = group[0].starts.iter().any(|(column, start)| {
                row.cells
                    .iter()
                    .any(|(c, text)| c == column && starts_item(text))
                    || row
                        .starts
                        .iter()
                        .any(|(c, s)| c == column && s.abs_diff(*start) > 1)
            });
            let stands_alone =
                (group[0].item && (index + 1 < last || own_label)) || alone_groups.contains(&index);
            if stands_alone {
                let mut lines = group.into_iter();
                let mut own = lines.next().expect("a group has a line");
                for line in lines {
                    own.merge_after(line);
                }
                own_rows.push(own);
            } else {
                for line in group.into_iter().rev() {
                    row.merge_before(line);
                    row.above += 1;
                }
            }
        }
        if let Some(done) = self.current.take() {
            self.done.push(done);
        }
        self.done.extend(own_rows);
        self.current = Some(row);
        self.blank_since = false;
    }

    /// The last row takes as many lines below as it had above; lines left
    /// over are rows of their own (labels without figures).
    fn finish(mut self) -> Vec<PendingRow> {
        let mut waiting = std::mem::take(&mut self.waiting)
            .into_iter()
            .map(|(l, _)| l);
        if let Some(mut current) = self.current.take() {
            let below = if current.labelled {
                current.above
            } else {
                usize::MAX
            };
            for line in waiting.by_ref().take(below) {
                if line.item {
                    self.done.push(current);
                    current = line;
                    continue;
                }
                current.merge_after(line);
            }
            self.done.push(current);
        }
        self.done.extend(waiting);
        self.done
    }
}

fn collides(a: &PendingRow, b: &PendingRow) -> bool {
    let taken = a.columns();
    b.columns().iter().any(|c| taken.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[Token]) -> Vec<(&str, Kind)> {
        tokens.iter().map(|t| (t.text.as_str(), t.kind)).collect()
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_laid_out_without_panicking(text in "(( {1,4}|[0-9.,]{1,6}|[收入支出合计：年度元一、（）注]{1,5}|\n|\u{c})){0,80}") {
            let _ = layout(&text);
            let _ = layout_text(&text);
        }
    }

    /// Found by the property above: a header of statements only over lines
    /// that give no column.
    #[test]
    fn regions_without_columns_are_laid_out() {
        let document = layout("：年注   ：注\n0000  .\n");
        let text: String = document
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => {
                    Some(t.rows.iter().map(|r| r.cells.concat()).collect::<String>())
                }
                _ => None,
            })
            .collect();
        // nothing lost, though such a region has no columns to stand in
        for piece in ["：年注", "：注", "0000", "."] {
            assert!(text.contains(piece), "{piece} missing from {text}");
        }
    }

    #[test]
    fn lines_are_cut_into_tokens() {
        assert_eq!(
            texts(&tokenize(
                "201   06   01   行政运行           1,511.90     1,511.89"
            )),
            vec![
                ("201", Kind::Code),
                ("06", Kind::Code),
                ("01", Kind::Code),
                ("行政运行", Kind::Text),
                ("1,511.90", Kind::Amount),
                ("1,511.89", Kind::Amount),
            ]
        );
        assert_eq!(
            texts(&tokenize("栏次      1 2 3")),
            vec![
                ("栏次", Kind::Text),
                ("1", Kind::Amount),
                ("2", Kind::Amount),
                ("3", Kind::Amount)
            ]
        );
        assert_eq!(
            texts(&tokenize("  一般公共服务 支出 12.50")),
            vec![
                ("一般公共服务", Kind::Text),
                ("支出", Kind::Text),
                ("12.50", Kind::Amount)
            ]
        );
        assert_eq!(
            texts(&tokenize("  other income 12.50")),
            vec![("other income", Kind::Text), ("12.50", Kind::Amount)]
        );
    }

    #[test]
    fn a_wrapped_header_and_a_floating_line_of_figures() {
        let text = "\
收入决算表

                 本年收入合     财政拨款
  科目名称           计             收入

                 2,946.25      2,940.05
  合计
  一般公共服务支出   2,112.86      2,106.66
  社会保障和就业支出   326.72        326.72
";
        let document = layout(text);
        let Block::Table(table) = &document.blocks[1] else {
            panic!("{:?}", document.blocks)
        };
        let rows: Vec<Vec<&str>> = table
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.as_str()).collect())
            .collect();
        assert_eq!(
            rows,
            vec![
                vec!["科目名称", "本年收入合计", "财政拨款收入"],
                vec!["合计", "2,946.25", "2,940.05"],
                vec!["一般公共服务支出", "2,112.86", "2,106.66"],
                vec!["社会保障和就业支出", "326.72", "326.72"],
            ]
        );
    }
}

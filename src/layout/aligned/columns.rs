//! Columns: a growing list of where tokens stand and what they are, and
//! the small dynamic programme that matches a line's tokens to them in
//! order, opening a column where none is near.

use super::token::{Kind, Line, Token};

/// A column: where its tokens stand and what they are.
#[derive(Debug, Clone)]
pub(super) struct Column {
    /// Stays the same when columns are inserted before it.
    pub(super) id: usize,
    /// Mean centre, left and right edge of its tokens.
    pub(super) center: f64,
    pub(super) start: f64,
    pub(super) end: f64,
    pub(super) amounts: usize,
    pub(super) texts: usize,
    pub(super) codes: usize,
}

impl Column {
    pub(super) fn new(id: usize, token: &Token) -> Column {
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
    pub(super) fn distance(&self, token: &Token) -> f64 {
        let edge = match token.kind {
            Kind::Amount => (token.end as f64 - self.end).abs(),
            _ => (token.start as f64 - self.start).abs(),
        };
        edge.min((token.center() - self.center).abs())
    }

    pub(super) fn take(&mut self, token: &Token) {
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
    pub(super) fn accepts(&self, token: &Token) -> bool {
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

    pub(super) fn kind(&self) -> Kind {
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
pub(super) const NEW_COLUMN: f64 = 8.0;

/// The same for a number of a code's length without separators (a code,
/// a row number): such columns stand closer together.
pub(super) const CODE_COLUMN: f64 = 5.0;

/// Cost of a later page's column not matching one of the first page's: a
/// page laid out tighter than the one before moves whole columns, but a
/// table keeps its columns from page to page.
pub(super) const NEW_PAGE_COLUMN: f64 = 40.0;

/// Match a line's tokens to the columns, keeping their order; `None` in
/// the result means "a new column just before column i" (`Err(i)`).
pub(super) fn assign(
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
pub(super) fn columns_of(lines: &[Line]) -> Vec<Column> {
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
pub(super) fn settle(line: &Line, columns: &[Column]) -> Vec<usize> {
    assign(&line.tokens, columns, false, NEW_COLUMN)
        .into_iter()
        .zip(&line.tokens)
        .map(|(a, token)| a.unwrap_or_else(|_| nearest_of(columns, token)))
        .collect()
}

/// Grow the columns with one line's tokens (new columns inserted in
/// order); returns each token's column.
pub(super) fn place(
    tokens: &[Token],
    columns: &mut Vec<Column>,
    any_kind: bool,
    new_column: f64,
) -> Vec<usize> {
    place_learning(tokens, columns, any_kind, new_column, true)
}

/// [`place`]; with `learn` false the columns' positions and kinds are not
/// moved by these tokens (headers, pages matched as a whole).
pub(super) fn place_learning(
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
pub(super) fn nearest_of(columns: &[Column], token: &Token) -> usize {
    let best = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.accepts(token))
        .min_by(|a, b| a.1.distance(token).total_cmp(&b.1.distance(token)))
        .map(|(i, _)| i);
    best.unwrap_or_else(|| nearest(columns, token.center()))
}

pub(super) fn nearest(columns: &[Column], center: f64) -> usize {
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

//! Columns: a growing list of where tokens stand and what they are, and
//! the small dynamic programme that matches a line's tokens to them in
//! order, opening a column where none is near.

use super::token::{Kind, Line, Token};
use crate::model::Row;

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
const CODE_COLUMN: f64 = 5.0;

/// How a line's tokens are matched to the columns.
#[derive(Debug, Clone, Copy)]
pub(super) struct Matching {
    /// Any token may join any column (header cells), rather than only a
    /// column of its own kind.
    any_kind: bool,
    /// Cost of a token opening a column of its own rather than joining one.
    new_column: f64,
    /// The tokens move the columns' positions and kinds.
    learn: bool,
}

/// Body lines: a token joins a column of its kind, and the columns learn
/// where the figures stand.
pub(super) const BODY: Matching = Matching {
    any_kind: false,
    new_column: NEW_COLUMN,
    learn: true,
};

/// Header cells: any kind of column, a higher cost for opening a column no
/// figure stands in, and the columns stay where the figures put them.
pub(super) const HEADER: Matching = Matching {
    any_kind: true,
    new_column: 12.0,
    learn: false,
};

/// A later page's columns matched onto the first page's: a page laid out
/// tighter than the one before moves whole columns, but a table keeps its
/// columns from page to page, so a new column costs much.
pub(super) const LATER_PAGE: Matching = Matching {
    any_kind: false,
    new_column: 40.0,
    learn: false,
};

/// Where one token goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// Into the existing column at this index.
    Existing(usize),
    /// Into a new column opened just before the existing column at this
    /// index (at the end when it is the number of columns).
    NewBefore(usize),
}

/// Match a line's tokens to the columns, keeping their order: the
/// cheapest placement by a small dynamic programme over (tokens placed,
/// columns passed).
pub(super) fn assign(tokens: &[Token], columns: &[Column], matching: Matching) -> Vec<Slot> {
    let (n, m) = (tokens.len(), columns.len());
    // best[i][j]: cost of placing tokens[..i] within columns[..j]
    let inf = f64::INFINITY;
    let mut best = vec![vec![inf; m + 1]; n + 1];
    let mut choice = vec![vec![Step::Open; m + 1]; n + 1];
    best[0].fill(0.0);
    for i in 1..=n {
        let token = &tokens[i - 1];
        for j in 0..=m {
            // token i-1 opens a new column after columns[..j], where it stands
            let center = token.center();
            let fits = (j == 0 || columns[j - 1].center <= center)
                && (j == m || center <= columns[j].center);
            let mut value = if fits {
                best[i - 1][j] + opening_cost(token, matching)
            } else {
                inf
            };
            let mut how = Step::Open;
            if j > 0 {
                // column j-1 left empty by this line
                if best[i][j - 1] < value {
                    value = best[i][j - 1];
                    how = Step::SkipColumn;
                }
                let column = &columns[j - 1];
                if matching.any_kind || column.accepts(token) {
                    let cost = best[i - 1][j - 1] + column.distance(token);
                    if cost < value {
                        value = cost;
                        how = Step::Join;
                    }
                }
            }
            best[i][j] = value;
            choice[i][j] = how;
        }
    }
    trace_back(&choice, n, m)
}

/// A decision of [`assign`]'s programme at one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The token opens a new column here.
    Open,
    /// This line leaves the column empty.
    SkipColumn,
    /// The token joins the column.
    Join,
}

fn trace_back(choice: &[Vec<Step>], n: usize, m: usize) -> Vec<Slot> {
    let mut result = vec![Slot::NewBefore(0); n];
    let (mut i, mut j) = (n, m);
    while i > 0 {
        match choice[i][j] {
            Step::Open => {
                result[i - 1] = Slot::NewBefore(j);
                i -= 1;
            }
            Step::SkipColumn => j -= 1,
            Step::Join => {
                result[i - 1] = Slot::Existing(j - 1);
                i -= 1;
                j -= 1;
            }
        }
    }
    result
}

/// Cost of a token opening a column: codes stand close together (302 and
/// its 款 25 a few characters apart are two columns), so less for them.
fn opening_cost(token: &Token, matching: Matching) -> f64 {
    let text = &token.text;
    let code_like = matches!(text.len(), 2 | 3 | 5 | 7) && text.chars().all(|c| c.is_ascii_digit());
    if code_like {
        matching.new_column.min(CODE_COLUMN)
    } else {
        matching.new_column
    }
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
        place(&line.tokens, &mut columns, BODY);
    }
    // a page of one-word lines still needs columns to stand in
    if columns.is_empty() {
        for line in lines {
            place(&line.tokens, &mut columns, BODY);
        }
    }
    columns
}

/// A line's tokens on fixed columns (a token no column takes goes to the
/// nearest).
pub(super) fn settle(line: &Line, columns: &[Column]) -> Vec<usize> {
    assign(&line.tokens, columns, BODY)
        .into_iter()
        .zip(&line.tokens)
        .map(|(slot, token)| match slot {
            Slot::Existing(column) => column,
            Slot::NewBefore(_) => nearest_of(columns, token),
        })
        .collect()
}

/// Grow the columns with one line's tokens (new columns inserted in
/// order); returns each token's column. Unless the matching learns, the
/// columns' positions and kinds are not moved by these tokens.
pub(super) fn place(tokens: &[Token], columns: &mut Vec<Column>, matching: Matching) -> Vec<usize> {
    let slots = assign(tokens, columns, matching);
    let old = std::mem::take(columns);
    let mut old_to_new = vec![0; old.len()];
    let mut placed = vec![0; tokens.len()];
    let next_id = old.len() + old.iter().map(|c| c.id + 1).max().unwrap_or(0);
    for j in 0..=old.len() {
        for (t, slot) in slots.iter().enumerate() {
            if *slot == Slot::NewBefore(j) {
                placed[t] = columns.len();
                // (a column opened by a header takes figures and words alike)
                columns.push(Column::new(next_id + t, &tokens[t]));
            }
        }
        if let Some(column) = old.get(j) {
            old_to_new[j] = columns.len();
            columns.push(column.clone());
        }
    }
    for (t, slot) in slots.iter().enumerate() {
        if let Slot::Existing(j) = slot {
            placed[t] = old_to_new[*j];
        }
    }
    if matching.learn {
        for (t, &column) in placed.iter().enumerate() {
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

/// A row of `width` cells, each text in its column (one beyond the width
/// dropped).
pub(super) fn to_row(cells: &[(usize, String)], width: usize, page: Option<u32>) -> Row {
    let mut row = vec![String::new(); width];
    for (column, text) in cells {
        if *column < width {
            row[*column] = text.clone();
        }
    }
    Row::new(row, page)
}

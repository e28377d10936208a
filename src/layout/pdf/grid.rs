//! Ruled tables: horizontal and vertical ruling lines that touch form a
//! grid; their x and y positions are the column and row boundaries, a
//! missing boundary merges two cells, and each chunk of text goes to the
//! cell its centre falls in (step 2 of [`super`]). Also the edges of each
//! table's first and last rows, which tell a row a page end broke
//! ([`super::page_end`]).

use super::page_end::TableEdges;
use super::{join, Chunk, TOLERANCE};
use crate::decode::pdf::{PdfPage, Segment};
use crate::model::{Row, Table};

/// Merge collinear, touching segments so a border drawn cell by cell
/// becomes one line.
fn merge_segments(segments: Vec<Segment>, horizontal: bool) -> Vec<Segment> {
    // (position, start, end) of a segment along its own direction
    let key = |s: &Segment| {
        if horizontal {
            (s.top0, s.x0, s.x1)
        } else {
            (s.x0, s.top0, s.top1)
        }
    };
    let make = |position: f32, start: f32, end: f32| {
        if horizontal {
            Segment {
                x0: start,
                top0: position,
                x1: end,
                top1: position,
            }
        } else {
            Segment {
                x0: position,
                top0: start,
                x1: position,
                top1: end,
            }
        }
    };
    // group by position first (lines a fraction of a point apart are one
    // line), then join the intervals of each group that touch or overlap
    let mut keyed: Vec<(f32, f32, f32)> = segments.iter().map(key).collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut groups: Vec<Vec<(f32, f32, f32)>> = Vec::new();
    for segment in keyed {
        match groups.last_mut() {
            Some(group) if segment.0 - group[0].0 <= TOLERANCE / 2.0 => group.push(segment),
            _ => groups.push(vec![segment]),
        }
    }
    let mut merged = Vec::new();
    for mut group in groups {
        let position = group[0].0;
        group.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut current: Option<(f32, f32)> = None;
        for (_, start, end) in group {
            current = match current {
                Some((s, e)) if start <= e + TOLERANCE => Some((s, e.max(end))),
                Some((s, e)) => {
                    merged.push(make(position, s, e));
                    Some((start, end))
                }
                None => Some((start, end)),
            };
        }
        if let Some((s, e)) = current {
            merged.push(make(position, s, e));
        }
    }
    merged
}

/// Values within the tolerance of each other become one.
fn cluster(mut values: Vec<f32>) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for v in values {
        match out.last() {
            Some(last) if v - last <= TOLERANCE => {}
            _ => out.push(v),
        }
    }
    out
}

/// A ruled table on a page.
pub(super) struct Grid {
    xs: Vec<f32>,
    ys: Vec<f32>,
    horizontal: Vec<Segment>,
    vertical: Vec<Segment>,
    /// The cell borders run on above the first rule: the table's first row
    /// began on the previous page.
    open_top: bool,
    /// The cell borders run on below the last rule: the last row goes on
    /// on the next page.
    open_bottom: bool,
}

impl Grid {
    fn contains(&self, (x, y): (f32, f32)) -> bool {
        x >= self.xs[0] - TOLERANCE
            && x <= *self.xs.last().unwrap() + TOLERANCE
            && y >= self.ys[0] - TOLERANCE
            && y <= *self.ys.last().unwrap() + TOLERANCE
    }

    fn column_of(&self, x: f32) -> usize {
        self.xs[1..]
            .iter()
            .position(|&b| x < b)
            .unwrap_or(self.xs.len() - 2)
    }

    fn row_of(&self, y: f32) -> usize {
        self.ys[1..]
            .iter()
            .position(|&b| y < b)
            .unwrap_or(self.ys.len() - 2)
    }

    /// Is there a vertical line at boundary `col` through row band `row`?
    fn vertical_separator(&self, col: usize, row: usize) -> bool {
        let (x, top, bottom) = (self.xs[col], self.ys[row], self.ys[row + 1]);
        let needed = (bottom - top) * 0.5;
        self.vertical.iter().any(|s| {
            (s.x0 - x).abs() <= TOLERANCE && s.top1.min(bottom) - s.top0.max(top) >= needed
        })
    }

    /// Is there a horizontal line at boundary `row` through column band `col`?
    fn horizontal_separator(&self, row: usize, col: usize) -> bool {
        let (y, left, right) = (self.ys[row], self.xs[col], self.xs[col + 1]);
        let needed = (right - left) * 0.5;
        self.horizontal
            .iter()
            .any(|s| (s.top0 - y).abs() <= TOLERANCE && s.x1.min(right) - s.x0.max(left) >= needed)
    }
}

/// Group ruling lines that touch into grids.
pub(super) fn grids(page: &PdfPage) -> Vec<Grid> {
    let of_direction =
        |keep: fn(&Segment) -> bool| page.lines.iter().copied().filter(keep).collect();
    let horizontal = merge_segments(of_direction(Segment::is_horizontal), true);
    let vertical = merge_segments(of_direction(Segment::is_vertical), false);
    // pairing every horizontal with every vertical line is quadratic: a page
    // of tens of thousands of strokes (a drawing, a hostile file) gets no grid
    if horizontal.len().saturating_mul(vertical.len()) > 4_000_000 {
        return Vec::new();
    }
    connected_rulings(&horizontal, &vertical)
        .into_iter()
        .filter(|(h, v)| h.len() >= 2 && v.len() >= 2)
        .filter_map(|(horizontal, vertical)| grid_of(horizontal, vertical))
        .collect()
}

/// The rulings in groups that touch one another (union–find over every
/// horizontal–vertical pair that meets): each group's horizontal and
/// vertical lines.
fn connected_rulings(
    horizontal: &[Segment],
    vertical: &[Segment],
) -> Vec<(Vec<Segment>, Vec<Segment>)> {
    let mut parent: Vec<usize> = (0..horizontal.len() + vertical.len()).collect();
    fn find(parent: &mut [usize], i: usize) -> usize {
        let mut root = i;
        while parent[root] != root {
            root = parent[root];
        }
        parent[i] = root;
        root
    }
    for (i, h) in horizontal.iter().enumerate() {
        for (k, v) in vertical.iter().enumerate() {
            let j = horizontal.len() + k;
            let touches = v.x0 >= h.x0 - TOLERANCE
                && v.x0 <= h.x1 + TOLERANCE
                && h.top0 >= v.top0 - TOLERANCE
                && h.top0 <= v.top1 + TOLERANCE;
            if touches {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Segment>, Vec<Segment>)> =
        Default::default();
    for (i, h) in horizontal.iter().enumerate() {
        groups.entry(find(&mut parent, i)).or_default().0.push(*h);
    }
    for (k, v) in vertical.iter().enumerate() {
        let root = find(&mut parent, horizontal.len() + k);
        groups.entry(root).or_default().1.push(*v);
    }
    groups.into_values().collect()
}

/// A group of rulings as a grid: column edges from the verticals, row
/// edges from the horizontals, and a row broken by the page end (side
/// borders but no closing rule) closed where its borders end.
fn grid_of(horizontal: Vec<Segment>, vertical: Vec<Segment>) -> Option<Grid> {
    let xs = cluster(vertical.iter().map(|s| s.x0).collect());
    let mut ys = cluster(horizontal.iter().map(|s| s.top0).collect());
    let top = vertical.iter().map(|s| s.top0).fold(f32::MAX, f32::min);
    let bottom = vertical.iter().map(|s| s.top1).fold(f32::MIN, f32::max);
    let open_top = ys
        .first()
        .is_some_and(|&first| top < first - 3.0 * TOLERANCE);
    let open_bottom = ys
        .last()
        .is_some_and(|&last| bottom > last + 3.0 * TOLERANCE);
    if open_top {
        ys.insert(0, top);
    }
    if open_bottom {
        ys.push(bottom);
    }
    (xs.len() >= 2 && ys.len() >= 2).then_some(Grid {
        xs,
        ys,
        horizontal,
        vertical,
        open_top,
        open_bottom,
    })
}

/// Fill a grid with the chunks that fall in it; returns its top, the table
/// (marking the chunks it took), and the edges of its first and last rows., and the edges of its first and last rows.
pub(super) fn fill_grid(
    grid: &Grid,
    chunks: &[Chunk],
    page: &PdfPage,
    taken: &mut [bool],
) -> (f32, Table, TableEdges) {
    let rows = grid.ys.len() - 1;
    let cols = grid.xs.len() - 1;
    // grid cells holding text of their own: a missing line between two of
    // them is a gap in the drawing, not a merged cell
    let mut occupied = vec![vec![false; cols]; rows];
    for (i, chunk) in chunks.iter().enumerate() {
        if !taken[i] && grid.contains(chunk.centre()) {
            let (x, y) = chunk.centre();
            occupied[grid.row_of(y)][grid.column_of(x)] = true;
        }
    }
    // merged regions: each cell's anchor (top-left cell of its region)
    let mut anchor: Vec<Vec<(usize, usize)>> = (0..rows)
        .map(|r| (0..cols).map(|c| (r, c)).collect())
        .collect();
    for r in 0..rows {
        for c in 0..cols {
            let mut a = (r, c);
            if c > 0 && !grid.vertical_separator(c, r) && !(occupied[r][c] && occupied[r][c - 1]) {
                a = anchor[r][c - 1];
            }
            // (text wrapped over two lines of one cell is common, so a
            // missing horizontal line always merges)
            if r > 0 && !grid.horizontal_separator(r, c) {
                let above = anchor[r - 1][c];
                // a vertical merge wins when the cell above spans this column too
                if a == (r, c) || above.1 <= a.1 {
                    a = above;
                }
            }
            anchor[r][c] = a;
        }
    }
    let mut texts: Vec<Vec<Vec<&Chunk>>> = vec![vec![Vec::new(); cols]; rows];
    for (i, chunk) in chunks.iter().enumerate() {
        if taken[i] || !grid.contains(chunk.centre()) {
            continue;
        }
        taken[i] = true;
        let (x, y) = chunk.centre();
        let (r, c) = anchor[grid.row_of(y)][grid.column_of(x)];
        texts[r][c].push(chunk);
    }
    let edges = table_edges(grid, &anchor, &texts, page.height);
    let table_rows = texts
        .into_iter()
        .map(|cells| {
            let cells = cells.into_iter().map(|mut parts| {
                parts.sort_by(|a, b| {
                    a.baseline
                        .total_cmp(&b.baseline)
                        .then(a.x0.total_cmp(&b.x0))
                });
                let mut text = String::new();
                for part in parts {
                    join(&mut text, &part.text);
                }
                text
            });
            Row::new(cells.collect(), Some(page.number))
        })
        .collect();
    (grid.ys[0], Table { rows: table_rows }, edges)
}

/// The edges of a grid's first and last rows, its cells' text placed
/// (`texts`, by the anchor of each merged region): what tells a row a
/// page end broke (see [`page_end`]).
fn table_edges(
    grid: &Grid,
    anchor: &[Vec<(usize, usize)>],
    texts: &[Vec<Vec<&Chunk>>],
    page_height: f32,
) -> TableEdges {
    let last = texts.len() - 1;
    // the cells' padding: the least space between a cell's left edge and its text
    let padding = (texts.iter().flat_map(|row| row.iter().enumerate()))
        .flat_map(|(c, parts)| parts.iter().map(move |part| part.x0 - grid.xs[c]))
        .fold(f32::MAX, f32::min)
        .max(0.0);
    // the right edge of the region anchored at (r, c)
    let right_of = |r: usize, c: usize| {
        let span = anchor[r][c..].iter().take_while(|&&a| a == (r, c)).count();
        grid.xs[c + span.max(1)]
    };
    let bottom_line = texts[last]
        .iter()
        .flatten()
        .map(|part| part.baseline)
        .fold(f32::MIN, f32::max);
    let last_room = (0..texts[last].len())
        .map(|c| {
            let parts = &texts[last][c];
            let (baseline, x1) = last_line_end(parts)?;
            let size = parts[0].size;
            (baseline >= bottom_line - size * 0.3).then(|| right_of(last, c) - padding - x1)
        })
        .collect();
    TableEdges {
        open_top: grid.open_top,
        open_bottom: grid.open_bottom,
        columns: grid.xs.clone(),
        bottom: *grid.ys.last().unwrap_or(&0.0),
        page_height,
        last_filled: texts[last].iter().map(|parts| !parts.is_empty()).collect(),
        last_room,
        first_word: texts[0].iter().map(|parts| first_word(parts)).collect(),
    }
}

/// The baseline of a cell's last line of text and where that line ends.
fn last_line_end(parts: &[&Chunk]) -> Option<(f32, f32)> {
    let baseline = parts.iter().map(|p| p.baseline).reduce(f32::max)?;
    let on_line = parts
        .iter()
        .filter(|p| (p.baseline - baseline).abs() <= p.size * 0.3);
    Some((baseline, on_line.map(|p| p.x1).fold(f32::MIN, f32::max)))
}

/// The width of a cell's first word (on its first line, leftmost) and its
/// font size.
fn first_word(parts: &[&Chunk]) -> Option<(f32, f32)> {
    let top = parts.iter().map(|p| p.baseline).reduce(f32::min)?;
    let first = parts
        .iter()
        .filter(|p| (p.baseline - top).abs() <= p.size * 0.3)
        .min_by(|a, b| a.x0.total_cmp(&b.x0))?;
    Some((first.first_word_x1 - first.x0, first.size))
}

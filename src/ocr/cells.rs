//! The cells of a scanned table: the regions the ruling lines enclose.
//!
//! The rules are drawn on a coarse grid ([`SCALE`] pixels a square), each
//! lengthened by [`REACH`] pixels at both ends so that a rule stopping just
//! short of the one it meets still closes its cell; the regions of the
//! grid the rules do not cover are labelled (4-connected). A region that
//! touches the edge of the page is outside every table (read with the
//! page's running text); every other region is a cell, with its box.
//! Spans need no special case: where a rule is missing, the two cells are
//! one region.
//!
//! Each cell with ink is cut out of the page ([`crop`]) for the recogniser,
//! with a white margin, so that its text is read alone: Tesseract reading
//! a whole table page mixes neighbouring cells and misreads headers. Only
//! the cell's own squares are cut out, not all its box holds: where a
//! worn scan lost a column's rules, the column is one region whose box
//! takes in the cells beside it, and their text was read twice
//! (工工资资福福利利 from 工资福利 and 工资福利, 33.6633.66).

use super::image::Grey;
use super::lines::Rule;

/// Pixels of the page a square of the coarse grid covers.
pub const SCALE: usize = 4;
/// How far each rule is lengthened at both ends, in pixels.
pub const REACH: usize = 12;
/// The smallest cell, in pixels each way (smaller regions are the gaps of
/// double rules).
pub const MIN_CELL: usize = 16;

/// A rectangle of the page image, in pixels: `x0..x1`, `y0..y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

impl Rect {
    pub fn width(&self) -> usize {
        self.x1 - self.x0
    }

    pub fn height(&self) -> usize {
        self.y1 - self.y0
    }
}

/// The cells of a page: each one's box, and the squares of the coarse
/// grid that are its own.
#[derive(Debug, Clone, Default)]
pub struct Cells {
    /// Top to bottom, then left to right.
    pub rects: Vec<Rect>,
    /// The region of each cell, in `squares`.
    regions: Vec<u32>,
    /// The region of each square of the coarse grid (row by row), or
    /// [`WALL`].
    squares: Vec<u32>,
    /// The coarse grid's width.
    w: usize,
}

/// A square a rule covers, in [`Cells::squares`].
const WALL: u32 = u32::MAX;

impl Cells {
    /// Whether pixel (`x`, `y`) is cell `i`'s: in one of its squares, or
    /// in a rule's square beside one (its box reaches halfway into the
    /// rules around it).
    fn holds(&self, i: usize, x: usize, y: usize) -> bool {
        let (sx, sy) = (x / SCALE, y / SCALE);
        let at = |sx: usize, sy: usize| {
            (sx < self.w)
                .then(|| self.squares.get(sy * self.w + sx))
                .flatten()
                .copied()
        };
        let region = self.regions[i];
        match at(sx, sy) {
            Some(r) if r == region => true,
            Some(WALL) => [
                sx.checked_sub(1).and_then(|l| at(l, sy)),
                at(sx + 1, sy),
                sy.checked_sub(1).and_then(|u| at(sx, u)),
                at(sx, sy + 1),
            ]
            .contains(&Some(region)),
            _ => false,
        }
    }
}

/// The cells the rules enclose in an image `width` × `height`, top to
/// bottom, then left to right.
pub fn cells(width: usize, height: usize, horizontal: &[Rule], vertical: &[Rule]) -> Cells {
    let (w, h) = (width.div_ceil(SCALE), height.div_ceil(SCALE));
    if w == 0 || h == 0 || horizontal.is_empty() || vertical.is_empty() {
        return Cells::default();
    }
    let mut wall = vec![false; w * h];
    let coarse = |v: f32| (v.max(0.0) as usize / SCALE).min(usize::MAX / 2);
    for rule in horizontal {
        let y = coarse(rule.at).min(h - 1);
        let (a, b) = reach(rule, w);
        wall[y * w + a..=y * w + b]
            .iter_mut()
            .for_each(|c| *c = true);
    }
    for rule in vertical {
        let x = coarse(rule.at).min(w - 1);
        let (a, b) = reach(rule, h);
        (a..=b).for_each(|y| wall[y * w + x] = true);
    }
    let (boxes, squares) = regions(&wall, w, h);
    let mut cells: Vec<(Rect, u32)> = boxes
        .into_iter()
        .zip(0u32..)
        .filter(|(r, _)| r.x0 > 0 && r.y0 > 0 && r.x1 < w && r.y1 < h)
        // out to the middle of the wall squares: a rule lies somewhere in
        // its square, and text may come within a few pixels of it
        .map(|(r, region)| {
            let rect = Rect {
                x0: r.x0 * SCALE - SCALE / 2,
                y0: r.y0 * SCALE - SCALE / 2,
                x1: (r.x1 * SCALE + SCALE / 2).min(width),
                y1: (r.y1 * SCALE + SCALE / 2).min(height),
            };
            (rect, region)
        })
        .filter(|(r, _)| r.width() >= MIN_CELL && r.height() >= MIN_CELL)
        .collect();
    cells.sort_by_key(|(r, _)| (r.y0, r.x0));
    Cells {
        rects: cells.iter().map(|(r, _)| *r).collect(),
        regions: cells.iter().map(|(_, region)| *region).collect(),
        squares,
        w,
    }
}

/// A rule's extent on the coarse grid, lengthened by [`REACH`], within
/// `0..limit`.
fn reach(rule: &Rule, limit: usize) -> (usize, usize) {
    let a = rule.start.saturating_sub(REACH) / SCALE;
    let b = ((rule.end + REACH) / SCALE).min(limit - 1);
    (a.min(b), b)
}

/// The boxes (on the grid, `x1`/`y1` exclusive) of the 4-connected regions
/// of squares that are not wall, and the region of each square ([`WALL`]
/// for a wall's).
fn regions(wall: &[bool], w: usize, h: usize) -> (Vec<Rect>, Vec<u32>) {
    let mut seen = wall.to_vec();
    let mut squares = vec![WALL; w * h];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for start in 0..w * h {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let mut rect = Rect {
            x0: start % w,
            y0: start / w,
            x1: start % w + 1,
            y1: start / w + 1,
        };
        let region = u32::try_from(out.len()).unwrap_or(WALL - 1);
        while let Some(at) = stack.pop() {
            squares[at] = region;
            let (x, y) = (at % w, at / w);
            rect.x0 = rect.x0.min(x);
            rect.x1 = rect.x1.max(x + 1);
            rect.y0 = rect.y0.min(y);
            rect.y1 = rect.y1.max(y + 1);
            let neighbours = [
                (x > 0).then(|| at - 1),
                (x + 1 < w).then(|| at + 1),
                (y > 0).then(|| at - w),
                (y + 1 < h).then(|| at + w),
            ];
            for next in neighbours.into_iter().flatten() {
                if !seen[next] {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
        out.push(rect);
    }
    (out, squares)
}

/// A cell's text cut out of the page: its image (with a white margin) and
/// where the image's top-left corner lies on the page, in pixels (it may
/// lie off the page by the margin: signed).
#[derive(Debug, Clone)]
pub struct Crop {
    pub image: Grey,
    pub left: i64,
    pub top: i64,
}

/// The white margin put around a cell's text, in pixels.
pub const MARGIN: usize = 24;

impl Cells {
    /// Whether a patch of ink lies wholly within one of the cells.
    pub fn covers(&self, p: &super::dotted::Patch) -> bool {
        self.rects
            .iter()
            .any(|r| r.x0 <= p.x0 && p.x1 < r.x1 && r.y0 <= p.y0 && p.y1 < r.y1)
    }
}

/// The ink of cell `i` (its own pixels at most `ink`), cut out with a
/// white margin; `None` for an empty cell. A pixel along each edge is
/// left out: what the erased rule left there is not the cell's text.
pub fn crop(image: &Grey, cells: &Cells, i: usize, ink: u8) -> Option<Crop> {
    const EDGE: usize = 1;
    let cell = &cells.rects[i];
    let (x0, y0) = (cell.x0 + EDGE, cell.y0 + EDGE);
    let (x1, y1) = (
        cell.x1.saturating_sub(EDGE).min(image.width),
        cell.y1.saturating_sub(EDGE).min(image.height),
    );
    if x0 >= x1 || y0 >= y1 {
        return None;
    }
    let mut found: Option<Rect> = None;
    let own = |x: usize, y: usize| image.at(x, y) <= ink && cells.holds(i, x, y);
    for y in y0..y1 {
        for x in x0..x1 {
            if own(x, y) {
                let r = found.get_or_insert(Rect {
                    x0: x,
                    y0: y,
                    x1: x + 1,
                    y1: y + 1,
                });
                r.x0 = r.x0.min(x);
                r.x1 = r.x1.max(x + 1);
                r.y0 = r.y0.min(y);
                r.y1 = r.y1.max(y + 1);
            }
        }
    }
    let ink_box = found?;
    // a speck is not text
    if ink_box.width() < 3 && ink_box.height() < 3 {
        return None;
    }
    let (width, height) = (ink_box.width() + 2 * MARGIN, ink_box.height() + 2 * MARGIN);
    let mut pixels = vec![255u8; width * height];
    for y in ink_box.y0..ink_box.y1 {
        let at = (y - ink_box.y0 + MARGIN) * width + MARGIN;
        for x in ink_box.x0..ink_box.x1 {
            if cells.holds(i, x, y) {
                pixels[at + x - ink_box.x0] = image.at(x, y);
            }
        }
    }
    Some(Crop {
        image: Grey {
            width,
            height,
            pixels,
        },
        left: ink_box.x0 as i64 - MARGIN as i64,
        top: ink_box.y0 as i64 - MARGIN as i64,
    })
}

/// Paint the cells white (the page's running text is read without them).
pub fn blank(image: &mut Grey, cells: &Cells) {
    for cell in &cells.rects {
        for y in cell.y0..cell.y1.min(image.height) {
            let row = y * image.width;
            image.pixels[row + cell.x0.min(image.width)..row + cell.x1.min(image.width)].fill(255);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(at: f32, start: usize, end: usize) -> Rule {
        Rule { at, start, end }
    }

    /// A table of two rows: the first of two cells, the second one cell
    /// spanning both (its middle rule is missing); the rules stop a few
    /// pixels short of each other, as a scan's do.
    #[test]
    fn the_rules_enclose_cells_and_spans() {
        let horizontal = [
            rule(100.0, 104, 596),
            rule(200.0, 100, 600),
            rule(300.0, 95, 600),
        ];
        let vertical = [
            rule(100.0, 100, 300),
            rule(350.0, 104, 196),
            rule(600.0, 100, 300),
        ];
        let found = cells(800, 400, &horizontal, &vertical).rects;
        assert_eq!(found.len(), 3, "{found:?}");
        let spans: Vec<(usize, usize, usize, usize)> =
            found.iter().map(|r| (r.x0, r.y0, r.x1, r.y1)).collect();
        assert_eq!(
            spans,
            [
                (102, 102, 350, 202),
                (350, 102, 602, 202),
                (102, 202, 602, 302)
            ]
        );
    }

    #[test]
    fn a_cells_ink_is_cut_out_with_a_margin() {
        let mut image = Grey {
            width: 100,
            height: 50,
            pixels: vec![255; 5000],
        };
        for x in 40..50 {
            image.pixels[20 * 100 + x] = 0;
            image.pixels[24 * 100 + x] = 0;
        }
        // two cells side by side, each one region of the grid
        let (w, h) = (100 / SCALE, 50 / SCALE);
        let cells = Cells {
            rects: vec![
                Rect {
                    x0: 10,
                    y0: 10,
                    x1: 90,
                    y1: 40,
                },
                Rect {
                    x0: 60,
                    y0: 10,
                    x1: 90,
                    y1: 40,
                },
            ],
            regions: vec![0, 1],
            squares: (0..w * h)
                .map(|at| if at % w < 60 / SCALE { 0 } else { 1 })
                .collect(),
            w,
        };
        let crop = crop(&image, &cells, 0, 128).unwrap();
        assert_eq!((crop.left, crop.top), (40 - 24, 20 - 24));
        assert_eq!((crop.image.width, crop.image.height), (10 + 48, 5 + 48));
        assert_eq!(crop.image.at(24, 24), 0);
        assert!(super::crop(&image, &cells, 1, 128).is_none());
    }

    /// A worn scan lost the rule under a column's first cell and the rule
    /// beside its second: the column and the cell beside it are one
    /// region, whose box takes in the cell above that one. Its text is
    /// read with that cell's, not with this one's again.
    #[test]
    fn a_cell_is_cut_out_of_its_own_squares_not_its_whole_box() {
        let horizontal = [
            rule(100.0, 100, 600),
            rule(200.0, 350, 600),
            rule(300.0, 100, 600),
        ];
        let vertical = [
            rule(100.0, 100, 300),
            rule(350.0, 100, 200),
            rule(600.0, 100, 300),
        ];
        let cells = cells(800, 400, &horizontal, &vertical);
        let spans: Vec<(usize, usize, usize, usize)> = cells
            .rects
            .iter()
            .map(|r| (r.x0, r.y0, r.x1, r.y1))
            .collect();
        assert_eq!(spans, [(102, 102, 602, 302), (350, 102, 602, 202)]);
        let mut image = Grey {
            width: 800,
            height: 400,
            pixels: vec![255; 800 * 400],
        };
        // a stroke in the column, one in the cell above the right-hand one
        for x in 200..220 {
            image.pixels[150 * 800 + x] = 0;
        }
        for x in 450..470 {
            image.pixels[150 * 800 + x] = 0;
        }
        let column = crop(&image, &cells, 0, 128).unwrap();
        assert_eq!(column.left, 200 - MARGIN as i64);
        assert_eq!(column.image.width, 20 + 2 * MARGIN);
        let above = crop(&image, &cells, 1, 128).unwrap();
        assert_eq!(above.left, 450 - MARGIN as i64);
    }
}

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
//! a whole table page mixes neighbouring cells and misreads headers.

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

/// The cells the rules enclose in an image `width` × `height`, top to
/// bottom, then left to right.
pub fn cells(width: usize, height: usize, horizontal: &[Rule], vertical: &[Rule]) -> Vec<Rect> {
    let (w, h) = (width.div_ceil(SCALE), height.div_ceil(SCALE));
    if w == 0 || h == 0 || horizontal.is_empty() || vertical.is_empty() {
        return Vec::new();
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
    let mut cells = regions(&wall, w, h)
        .into_iter()
        .filter(|r| r.x0 > 0 && r.y0 > 0 && r.x1 < w && r.y1 < h)
        // out to the middle of the wall squares: a rule lies somewhere in
        // its square, and text may come within a few pixels of it
        .map(|r| Rect {
            x0: r.x0 * SCALE - SCALE / 2,
            y0: r.y0 * SCALE - SCALE / 2,
            x1: (r.x1 * SCALE + SCALE / 2).min(width),
            y1: (r.y1 * SCALE + SCALE / 2).min(height),
        })
        .filter(|r| r.width() >= MIN_CELL && r.height() >= MIN_CELL)
        .collect::<Vec<_>>();
    cells.sort_by_key(|r| (r.y0, r.x0));
    cells
}

/// A rule's extent on the coarse grid, lengthened by [`REACH`], within
/// `0..limit`.
fn reach(rule: &Rule, limit: usize) -> (usize, usize) {
    let a = rule.start.saturating_sub(REACH) / SCALE;
    let b = ((rule.end + REACH) / SCALE).min(limit - 1);
    (a.min(b), b)
}

/// The boxes (on the grid, `x1`/`y1` exclusive) of the 4-connected regions
/// of squares that are not wall.
fn regions(wall: &[bool], w: usize, h: usize) -> Vec<Rect> {
    let mut seen = wall.to_vec();
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
        while let Some(at) = stack.pop() {
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
    out
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

/// The ink of `cell` (pixels at most `ink`), cut out with a white margin;
/// `None` for an empty cell. A pixel along each edge is left out: what
/// the erased rule left there is not the cell's text.
pub fn crop(image: &Grey, cell: &Rect, ink: u8) -> Option<Crop> {
    const EDGE: usize = 1;
    let (x0, y0) = (cell.x0 + EDGE, cell.y0 + EDGE);
    let (x1, y1) = (
        cell.x1.saturating_sub(EDGE).min(image.width),
        cell.y1.saturating_sub(EDGE).min(image.height),
    );
    if x0 >= x1 || y0 >= y1 {
        return None;
    }
    let mut found: Option<Rect> = None;
    for y in y0..y1 {
        for x in x0..x1 {
            if image.at(x, y) <= ink {
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
        let row = &image.pixels[y * image.width + ink_box.x0..y * image.width + ink_box.x1];
        let at = (y - ink_box.y0 + MARGIN) * width + MARGIN;
        pixels[at..at + row.len()].copy_from_slice(row);
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
pub fn blank(image: &mut Grey, cells: &[Rect]) {
    for cell in cells {
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
        let found = cells(800, 400, &horizontal, &vertical);
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
        let cell = Rect {
            x0: 10,
            y0: 10,
            x1: 90,
            y1: 40,
        };
        let crop = crop(&image, &cell, 128).unwrap();
        assert_eq!((crop.left, crop.top), (40 - 24, 20 - 24));
        assert_eq!((crop.image.width, crop.image.height), (10 + 48, 5 + 48));
        assert_eq!(crop.image.at(24, 24), 0);
        let empty = Rect {
            x0: 60,
            y0: 10,
            x1: 90,
            y1: 40,
        };
        assert!(super::crop(&image, &empty, 128).is_none());
    }
}

//! Cleaning a worn scan before its rules are looked for and its text read:
//! the paper made white however unevenly it darkens, faint ink made dark,
//! and specks of dust or noise taken out where they touch nothing.
//!
//! 1. **Paper** ([`flatten`]): the page is cut into tiles about
//!    [`TILE_INCHES`] square; a tile's paper is its [`PAPER_SHARE`]
//!    quantile (text covers far less of a tile than that), or the median
//!    of it and its eight neighbours where it is darker than that by more
//!    than [`DARK_TILE`] (a tile of a bold title is not taken for dark
//!    paper), and the paper at each pixel is the tiles' paper
//!    interpolated between their centres. Each pixel is divided by its
//!    paper: paper becomes white wherever it darkens, ink keeps its
//!    contrast. A page on white paper is unchanged.
//! 2. **Ink** (also [`flatten`]): where the darkest ink (the
//!    [`INK_SHARE`] quantile of the pixels darker than [`image::INK`]) is
//!    faint (between [`MIN_INK_LIFT`] and [`MAX_INK_LIFT`]), the levels are stretched so that it is black
//!    and white stays white: faint or uneven ink reads as ink.
//! 3. **Dotted rules** ([`super::dotted`]): a thin rule a skewed 1-bit
//!    scan left as a row of dots or dashes is joined back into a line
//!    before its dots could be taken for specks. Its pieces are the
//!    specks below that are neither part of a character nor a point, and
//!    the thin short dashes that touch no ink (a dash beside a character
//!    is not a point).
//! 4. **Specks** ([`despeckle`]): a patch of ink no larger than a decimal
//!    point is taken out unless it touches other ink (the dot of a
//!    character: within [`TOUCH_INCHES`]) or has ink on both its left and
//!    its right within [`BETWEEN_INCHES`] on its own rows or just beside
//!    them (a decimal point at the foot of the digits beside it), or
//!    above and below likewise (a page not yet turned upright). A speck after a figure, before it or in an empty
//!    cell is gone; a decimal point never is.
//! 5. **Remnants** ([`despeckle_remnants`], once the rules are erased):
//!    the specks an erased rule left inside the tables' cells, taken out
//!    as in step 4, in rounds (a speck beside another is between ink until
//!    that one goes), two dots touching each other as one where together
//!    they are under a speck's size across and twice it along. Left in a
//!    cell, they widen its cut-out and are read as digits (2210202 read
//!    22102023) or make Tesseract read its text as marks.

use super::dotted::{self, Patch};
use super::image::{self, Grey};

/// The side of a tile the paper is measured in, in inches.
pub const TILE_INCHES: f32 = 0.4;
/// The quantile of a tile's levels taken as its paper.
pub const PAPER_SHARE: f32 = 0.9;
/// How much darker than its neighbours' median a tile's paper may be
/// (paper darkens gradually; a tile far darker is ink, not paper).
pub const DARK_TILE: u8 = 24;
/// The quantile of the ink's levels taken as the darkest ink.
pub const INK_SHARE: f32 = 0.05;
/// The darkest ink left as it is: ink this dark reads (stretched, the
/// strokes of a clean scan thicken, and a point beside a 1 reads as a 4).
pub const MIN_INK_LIFT: u8 = 48;
/// The lightest darkest ink stretched to black (a page of grey drawings
/// alone is not made into black ones).
pub const MAX_INK_LIFT: u8 = 110;
/// A patch of ink at most this wide and high is a speck or a point.
pub const SPECK_INCHES: f32 = 0.015;
/// Other ink this near (every way) makes a patch part of a character.
pub const TOUCH_INCHES: f32 = 0.01;
/// Ink this near on its left and its right makes a patch a decimal point.
pub const BETWEEN_INCHES: f32 = 0.05;

/// All the steps of the module doc on a page rendered at `dpi`.
pub fn clean(image: &mut Grey, dpi: f32) {
    flatten(image, dpi);
    despeckle(image, dpi);
}

/// Make the paper white and the darkest ink black (module doc, steps 1–2).
pub fn flatten(image: &mut Grey, dpi: f32) {
    if image.width == 0 || image.height == 0 {
        return;
    }
    let tile = ((TILE_INCHES * dpi) as usize).max(8);
    let paper = tile_paper(image, tile);
    divide_by_paper(image, &paper, tile);
    stretch_ink(image);
}

/// The paper of each tile (columns × rows, row by row): its quantile, or
/// its neighbours' median where it is far darker.
fn tile_paper(image: &Grey, tile: usize) -> TileGrid {
    let columns = image.width.div_ceil(tile);
    let rows = image.height.div_ceil(tile);
    let mut own = vec![255u8; columns * rows];
    for row in 0..rows {
        for column in 0..columns {
            let mut counts = [0u32; 256];
            let (x0, y0) = (column * tile, row * tile);
            let (x1, y1) = ((x0 + tile).min(image.width), (y0 + tile).min(image.height));
            for y in y0..y1 {
                for &p in &image.pixels[y * image.width + x0..y * image.width + x1] {
                    counts[p as usize] += 1;
                }
            }
            own[row * columns + column] = quantile(&counts, PAPER_SHARE);
        }
    }
    let mut paper = vec![255u8; columns * rows];
    for row in 0..rows {
        for column in 0..columns {
            let mut around = Vec::with_capacity(9);
            for r in row.saturating_sub(1)..(row + 2).min(rows) {
                for c in column.saturating_sub(1)..(column + 2).min(columns) {
                    around.push(own[r * columns + c]);
                }
            }
            around.sort_unstable();
            let (mine, median) = (own[row * columns + column], around[around.len() / 2]);
            paper[row * columns + column] = if mine.saturating_add(DARK_TILE) < median {
                median
            } else {
                mine
            };
        }
    }
    TileGrid {
        columns,
        rows,
        paper,
    }
}

struct TileGrid {
    columns: usize,
    rows: usize,
    paper: Vec<u8>,
}

impl TileGrid {
    fn at(&self, column: usize, row: usize) -> f32 {
        f32::from(self.paper[row.min(self.rows - 1) * self.columns + column.min(self.columns - 1)])
    }

    /// The paper at a pixel, interpolated between the tiles' centres.
    fn paper_at(&self, x: usize, y: usize, tile: usize) -> f32 {
        let half = tile as f32 / 2.0;
        let fx = ((x as f32 - half) / tile as f32).max(0.0);
        let fy = ((y as f32 - half) / tile as f32).max(0.0);
        let (c, r) = (fx as usize, fy as usize);
        let (dx, dy) = (fx - c as f32, fy - r as f32);
        let top = self.at(c, r) * (1.0 - dx) + self.at(c + 1, r) * dx;
        let bottom = self.at(c, r + 1) * (1.0 - dx) + self.at(c + 1, r + 1) * dx;
        top * (1.0 - dy) + bottom * dy
    }
}

/// The level below which `share` of the counted pixels lie.
fn quantile(counts: &[u32; 256], share: f32) -> u8 {
    let total: u32 = counts.iter().sum();
    let wanted = (total as f32 * share) as u32;
    let mut seen = 0;
    for (level, &n) in counts.iter().enumerate() {
        seen += n;
        if seen > wanted {
            return level as u8;
        }
    }
    255
}

fn divide_by_paper(image: &mut Grey, paper: &TileGrid, tile: usize) {
    if paper.paper.iter().all(|&p| p == 255) {
        return;
    }
    for y in 0..image.height {
        for x in 0..image.width {
            let at = y * image.width + x;
            let level = paper.paper_at(x, y, tile).max(1.0);
            let divided = f32::from(image.pixels[at]) * 255.0 / level;
            image.pixels[at] = divided.min(255.0) as u8;
        }
    }
}

/// Stretch the levels so that the darkest ink is black.
fn stretch_ink(image: &mut Grey) {
    let mut counts = [0u32; 256];
    for &p in &image.pixels {
        if p <= image::INK {
            counts[p as usize] += 1;
        }
    }
    if counts.iter().sum::<u32>() == 0 {
        return;
    }
    let darkest = quantile(&counts, INK_SHARE);
    if !(MIN_INK_LIFT..=MAX_INK_LIFT).contains(&darkest) {
        return;
    }
    let span = 255.0 - f32::from(darkest);
    let mut table = [0u8; 256];
    for (level, out) in table.iter_mut().enumerate() {
        let lifted = (level as f32 - f32::from(darkest)).max(0.0) * 255.0 / span;
        *out = lifted.min(255.0) as u8;
    }
    for p in &mut image.pixels {
        *p = table[*p as usize];
    }
}

/// Join the dotted rules and take out the specks (module doc, steps 3–4);
/// the number of specks taken out.
pub fn despeckle(image: &mut Grey, dpi: f32) -> usize {
    let sizes = Sizes::at(dpi);
    let (specks, dashes) = small_patches(image, &sizes);
    // a dotted rule's dots and dashes (not a decimal point's) joined first:
    // joined, its dots touch ink and stay
    let pieces: Vec<Patch> = specks
        .iter()
        .filter(|p| is_lone(image, p, &sizes))
        .chain(&dashes)
        .copied()
        .collect();
    dotted::join(image, &pieces, dpi, sizes.speck);
    let mut specks = specks;
    take_out_lone(image, &mut specks, &sizes)
}

/// Take out the specks the rules left when they were erased, those
/// `within` the tables' cells (module doc, step 5): the number taken out.
pub fn despeckle_remnants(image: &mut Grey, dpi: f32, within: impl Fn(&Patch) -> bool) -> usize {
    let sizes = Sizes::at(dpi);
    let (specks, _) = small_patches(image, &sizes);
    let mut specks = merged_when_near(specks, &sizes);
    specks.retain(within);
    let mut taken = 0;
    // a speck beside another is between ink until that one is taken out:
    // again while any was, a few times at most
    for _ in 0..REMNANT_ROUNDS {
        let lone = take_out_lone(image, &mut specks, &sizes);
        taken += lone;
        if lone == 0 {
            break;
        }
    }
    taken
}

/// Specks within touching distance of each other as one, where together
/// they are under a speck's size across and twice it along (a rule's
/// remnant broken in two dots, each touching the other, is no character's
/// dot: a code read 22102023 for 2210202 from two such dots after it).
fn merged_when_near(mut specks: Vec<Patch>, sizes: &Sizes) -> Vec<Patch> {
    specks.sort_by_key(|p| (p.x0, p.y0));
    let mut merged: Vec<Patch> = Vec::with_capacity(specks.len());
    'next: for p in specks {
        // the specks merged so far that start close enough before this one
        for m in merged.iter_mut().rev() {
            if m.x0 + sizes.speck < p.x0 {
                break;
            }
            let near = p.x0 <= m.x1 + sizes.touch
                && p.y0 <= m.y1 + sizes.touch
                && m.y0 <= p.y1 + sizes.touch;
            let union = Patch {
                x0: m.x0.min(p.x0),
                y0: m.y0.min(p.y0),
                x1: m.x1.max(p.x1),
                y1: m.y1.max(p.y1),
            };
            let (long, short) = (
                (union.x1 - union.x0).max(union.y1 - union.y0),
                (union.x1 - union.x0).min(union.y1 - union.y0),
            );
            if near && long < 2 * sizes.speck && short < sizes.speck {
                *m = union;
                continue 'next;
            }
        }
        merged.push(p);
    }
    merged
}

/// How many times the specks a rule left are looked over.
pub const REMNANT_ROUNDS: usize = 3;

/// The sizes of specks at a resolution, in pixels.
struct Sizes {
    speck: usize,
    touch: usize,
    between: usize,
}

impl Sizes {
    fn at(dpi: f32) -> Sizes {
        Sizes {
            speck: ((SPECK_INCHES * dpi).round() as usize).max(1),
            touch: ((TOUCH_INCHES * dpi).round() as usize).max(1),
            between: ((BETWEEN_INCHES * dpi).round() as usize).max(2),
        }
    }
}

/// Whether a speck is no part of a character and no point: it touches no
/// ink and has none on both its sides.
fn is_lone(image: &Grey, p: &Patch, sizes: &Sizes) -> bool {
    !touches_ink(image, p, sizes.touch) && !between_ink(image, p, sizes.between)
}

/// Paint the lone specks of `specks` white and drop them from it; how
/// many there were.
fn take_out_lone(image: &mut Grey, specks: &mut Vec<Patch>, sizes: &Sizes) -> usize {
    let (width, height) = (image.width, image.height);
    let (lone, kept): (Vec<Patch>, Vec<Patch>) =
        specks.iter().partition(|p| is_lone(image, p, sizes));
    *specks = kept;
    for patch in &lone {
        for y in patch.y0.saturating_sub(1)..(patch.y1 + 2).min(height) {
            let row = y * width;
            let (from, to) = (patch.x0.saturating_sub(1), (patch.x1 + 2).min(width));
            image.pixels[row + from..row + to].fill(255);
        }
    }
    lone.len()
}

/// The patches of ink (8-connected) under a speck's size both ways, and
/// the thin ones (a dash) that touch no ink.
fn small_patches(image: &Grey, sizes: &Sizes) -> (Vec<Patch>, Vec<Patch>) {
    let (width, height) = (image.width, image.height);
    let mut seen = vec![false; width * height];
    let mut specks = Vec::new();
    let mut dashes = Vec::new();
    let mut stack = Vec::new();
    for start in 0..width * height {
        if seen[start] || image.pixels[start] > image::INK {
            continue;
        }
        // one patch of ink, 8-connected: its box
        let (mut x0, mut y0) = (start % width, start / width);
        let (mut x1, mut y1) = (x0, y0);
        seen[start] = true;
        stack.push(start);
        while let Some(at) = stack.pop() {
            let (x, y) = (at % width, at / width);
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
            for ny in y.saturating_sub(1)..(y + 2).min(height) {
                for nx in x.saturating_sub(1)..(x + 2).min(width) {
                    let next = ny * width + nx;
                    if !seen[next] && image.pixels[next] <= image::INK {
                        seen[next] = true;
                        stack.push(next);
                    }
                }
            }
        }
        let patch = Patch { x0, y0, x1, y1 };
        let speck = sizes.speck;
        if x1 - x0 < speck && y1 - y0 < speck {
            specks.push(patch);
        } else if (x1 - x0 < speck || y1 - y0 < speck) && !touches_ink(image, &patch, sizes.touch) {
            dashes.push(patch);
        }
    }
    (specks, dashes)
}

/// Whether ink outside the patch lies within `reach` pixels of it.
fn touches_ink(image: &Grey, p: &Patch, reach: usize) -> bool {
    let (xa, xb) = (
        p.x0.saturating_sub(reach),
        (p.x1 + reach).min(image.width - 1),
    );
    let (ya, yb) = (
        p.y0.saturating_sub(reach),
        (p.y1 + reach).min(image.height - 1),
    );
    (ya..=yb).any(|y| {
        (xa..=xb).any(|x| {
            let inside = (p.x0..=p.x1).contains(&x) && (p.y0..=p.y1).contains(&y);
            !inside && image.is_ink(x, y)
        })
    })
}

/// Whether ink lies within `reach` pixels on both sides of the patch,
/// left and right on its rows or the rows beside them (a point sits at
/// the foot of the digits beside it, whose strokes may curve up from
/// there: a 3), or above and below likewise (a page scanned sideways,
/// not yet turned).
fn between_ink(image: &Grey, p: &Patch, reach: usize) -> bool {
    let across = |from: usize, to: usize, beside: usize, limit: usize| {
        from.saturating_sub(beside)..(to + 1 + beside).min(limit)
    };
    let before = |from: usize| from.saturating_sub(reach)..from;
    let after = |to: usize, limit: usize| (to + 1)..(to + 1 + reach).min(limit);
    let ink_in = |xs: std::ops::Range<usize>, ys: std::ops::Range<usize>| {
        ys.clone().any(|y| xs.clone().any(|x| image.is_ink(x, y)))
    };
    let rows = across(p.y0, p.y1, 2 * (p.y1 - p.y0 + 1) + 1, image.height);
    let columns = across(p.x0, p.x1, 2 * (p.x1 - p.x0 + 1) + 1, image.width);
    let left_right = ink_in(before(p.x0), rows.clone()) && ink_in(after(p.x1, image.width), rows);
    let above_below =
        ink_in(columns.clone(), before(p.y0)) && ink_in(columns, after(p.y1, image.height));
    left_right || above_below
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(width: usize, height: usize, level: u8) -> Grey {
        Grey {
            width,
            height,
            pixels: vec![level; width * height],
        }
    }

    fn fill(image: &mut Grey, x0: usize, y0: usize, x1: usize, y1: usize, level: u8) {
        for y in y0..y1 {
            for x in x0..x1 {
                image.pixels[y * image.width + x] = level;
            }
        }
    }

    /// Ink lightened to 60 on paper darkening from 255 on the left to 205
    /// on the right (as `scripts/make_worn_scans.py` wears a page: the
    /// levels times the paper's shade): the paper is white throughout, the
    /// ink black.
    #[test]
    fn uneven_paper_becomes_white_and_faint_ink_black() {
        let mut image = page(600, 300, 255);
        for x0 in (20..560).step_by(60) {
            fill(&mut image, x0, 100, x0 + 6, 160, 60);
        }
        for y in 0..300 {
            for x in 0..600 {
                let shade = 255 - x * 50 / 600;
                let at = y * 600 + x;
                image.pixels[at] = (image.pixels[at] as usize * shade / 255) as u8;
            }
        }
        flatten(&mut image, 100.0);
        for x in [5, 300, 595] {
            assert!(image.at(x, 20) >= 245, "paper at {x}: {}", image.at(x, 20));
        }
        for x0 in (20..560).step_by(60) {
            assert!(
                image.at(x0 + 3, 130) <= 10,
                "ink at {x0}: {}",
                image.at(x0 + 3, 130)
            );
        }
    }

    #[test]
    fn a_page_on_white_paper_with_black_ink_is_unchanged() {
        let mut image = page(300, 300, 255);
        fill(&mut image, 100, 100, 110, 200, 0);
        fill(&mut image, 150, 100, 160, 200, 128);
        // a block of ink a tile wide: ink, not dark paper
        fill(&mut image, 200, 200, 250, 250, 0);
        let before = image.clone();
        flatten(&mut image, 100.0);
        assert_eq!(image, before);
    }

    /// At 300 dpi: a decimal point (4 × 4 between two digits' strokes) and
    /// a character's dot (4 × 4, two pixels above its stroke) stay; a speck
    /// after the figure, one in an empty stretch, are taken out.
    #[test]
    fn specks_go_and_points_and_dots_stay() {
        let mut image = page(400, 200, 255);
        // digits: strokes 30 high, the point at their foot between them
        fill(&mut image, 100, 50, 104, 80, 0);
        fill(&mut image, 110, 76, 114, 80, 0); // the point
        fill(&mut image, 120, 50, 124, 80, 0);
        // 472.39 as scanned: the 3's foot curves up from the baseline, its
        // ink at the point's rows 18 pixels away, just above them 6 away
        fill(&mut image, 150, 50, 154, 80, 0);
        fill(&mut image, 160, 76, 164, 80, 0); // the point
        fill(&mut image, 170, 60, 176, 74, 0); // the 3's tail
        fill(&mut image, 182, 76, 195, 80, 0); // its foot
                                               // a character: a stroke and a dot above it
        fill(&mut image, 200, 60, 230, 64, 0);
        fill(&mut image, 212, 54, 216, 58, 0);
        // specks: 3 after the figure's end, one alone
        fill(&mut image, 130, 78, 132, 80, 0);
        fill(&mut image, 300, 150, 302, 151, 0);
        let before = image.clone();
        let taken = despeckle(&mut image, 300.0);
        assert_eq!(taken, 2);
        assert_eq!(image.at(111, 77), 0, "the decimal point");
        assert_eq!(image.at(161, 77), 0, "the point before a 3");
        assert_eq!(image.at(213, 55), 0, "the dot");
        assert_eq!(image.at(130, 78), 255);
        assert_eq!(image.at(300, 150), 255);
        assert_eq!(image.at(100, 60), 0);
        // the same page scanned sideways: the points stay, the specks go
        let mut sideways = transposed(&before);
        assert_eq!(despeckle(&mut sideways, 300.0), 2);
        assert_eq!(sideways, transposed(&image));
    }

    /// At 300 dpi (a speck under 5 pixels): what an erased rule left in a
    /// cell — two 2 × 2 dots 4 pixels apart, each touching the other —
    /// goes, as one; a decimal point between its digits stays, and a
    /// speck outside the cells is left to the page's own cleaning.
    #[test]
    fn a_rules_remnant_in_a_cell_goes_and_a_point_stays() {
        let mut image = page(400, 200, 255);
        fill(&mut image, 100, 50, 104, 80, 0);
        fill(&mut image, 110, 76, 114, 80, 0); // the point
        fill(&mut image, 120, 50, 124, 80, 0);
        fill(&mut image, 300, 42, 302, 44, 0); // the remnant's two dots
        fill(&mut image, 304, 42, 306, 44, 0);
        fill(&mut image, 380, 150, 382, 152, 0); // outside the cells
        let in_cells = |p: &Patch| p.x1 < 350;
        assert_eq!(despeckle_remnants(&mut image, 300.0, in_cells), 1);
        assert_eq!(image.at(300, 42), 255);
        assert_eq!(image.at(305, 43), 255);
        assert_eq!(image.at(111, 77), 0, "the decimal point");
        assert_eq!(image.at(380, 150), 0, "the speck outside");
    }

    /// At 300 dpi: a rule left as 2 × 2 dots every 45 pixels (a skewed
    /// 1-bit scan's) is joined into a line and stays; a column of eleven
    /// decimal points down a table's figures, each between its digits, is
    /// not joined (the points stay, nothing between them is inked).
    #[test]
    fn a_dotted_rule_is_joined_and_a_column_of_points_is_not() {
        let mut image = page(1000, 1200, 255);
        for x in (50..950).step_by(45) {
            let y = 100 + x / 60;
            fill(&mut image, x, y, x + 2, y + 2, 0);
        }
        for y in (300..1100).step_by(80) {
            fill(&mut image, 580, y - 26, 584, y + 4, 0);
            fill(&mut image, 590, y, 594, y + 4, 0); // the point
            fill(&mut image, 600, y - 26, 604, y + 4, 0);
        }
        despeckle(&mut image, 300.0);
        for x in 52..905 {
            let y: usize = 100 + x / 60;
            assert!(
                (y.saturating_sub(2)..y + 4).any(|y| image.is_ink(x, y)),
                "the rule at {x}"
            );
        }
        for y in (300..1100).step_by(80) {
            assert!(image.is_ink(591, y + 1), "the point at {y}");
            assert!(!image.is_ink(591, y + 40), "ink between points at {y}");
        }
    }

    fn transposed(image: &Grey) -> Grey {
        let mut pixels = vec![255; image.pixels.len()];
        for y in 0..image.height {
            for x in 0..image.width {
                pixels[x * image.height + y] = image.at(x, y);
            }
        }
        Grey {
            width: image.height,
            height: image.width,
            pixels,
        }
    }
}

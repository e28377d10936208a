//! Dotted rules joined back into lines. A thin ruling line on a page
//! scanned a degree or two off straight and made 1-bit (or thresholded by
//! a copier) keeps only the pixels where the line lies within one row of
//! pixels: where it straddles two, both are too light for the threshold.
//! At 150–250 dpi and 1–2° what is left is a row of dots or short dashes
//! a tenth of an inch or two apart — far wider gaps than a rule's dropouts
//! ([`super::lines::rules`] bridges a few pixels), and dots small enough
//! to be taken out as specks ([`super::clean::despeckle`]). Without them
//! a table has columns and no rows, and nothing in it is read.
//!
//! A dotted rule is a chain of pieces — patches of ink thin across the
//! rule (under [`super::clean::SPECK_INCHES`]) and short along it (at
//! most [`PIECE_INCHES`]) that touch no other ink — each at most
//! [`GAP_INCHES`] after the one before and within the drift a skew of
//! [`MAX_SLOPE`] allows of it. Once a chain has three pieces, the next
//! must lie on the line it draws (within [`STRAIGHT_PIXELS`]); once it
//! has five, it bridges up to three of its steps (at most twice
//! [`GAP_INCHES`]): the dots lost where a rule crosses it, or where a
//! character comes near. A chain is a rule when it has at least
//! [`MIN_PIECES`] pieces, is at least [`MIN_LENGTH_INCHES`] long, falls or
//! rises steadily, keeps its pace ([`EVEN_SHARE`] of its steps once,
//! twice or three times the median) and is straight (every piece within
//! [`STRAIGHT_PIXELS`] of the line from its first piece to its last); one
//! that ran on past its rule's end into specks is cut back to the rule,
//! and a rule found is extended back along its line over the pieces
//! before it (too few, before a gap, to begin a chain).
//! On a grey scan the line still shows faint between its dashes; a step
//! over more paper where nothing shows than the chain's steps cross ends
//! it ([`PAPER_INCHES`]: two tables' borders in line, one table above the
//! other, are two rules).
//! Each rule is joined: the gaps between its pieces are inked along its
//! line, so the rule is found, straightened and erased like any other.
//! Rules are looked for both ways (a page scanned sideways is turned only
//! after it is cleaned).
//!
//! What is not a dotted rule: a decimal point touches no ink but has
//! digits on both sides, and is not a piece (the column of points down a
//! table's figures would otherwise be one); speckle is random — strewn
//! at 1 dot in 3,000 pixels (twice what worn-09 of
//! `make_worn_scans.py` has), no rule was joined in 300 pages of it; at 1
//! in 1,000, 23 were (the unit test's page holds none); a row of text's
//! strokes touches the rest of its characters.

use super::image::Grey;
use std::collections::BTreeMap;

/// The longest piece of a dotted rule along it, in inches (the dashes of
/// a thin rule left dashed by a 1-bit scan are about 0.03–0.1 in).
pub const PIECE_INCHES: f32 = 0.15;
/// The widest gap between two pieces of one dotted rule, in inches.
pub const GAP_INCHES: f32 = 0.25;
/// The fewest pieces of a dotted rule.
pub const MIN_PIECES: usize = 8;
/// The shortest dotted rule, in inches (a table's shortest row rule is
/// longer; [`super::LONE_RULE_INCHES`]).
pub const MIN_LENGTH_INCHES: f32 = 1.2;
/// The steepest a dotted rule may run, across per along (a little over
/// the 2° of skew a page is straightened from).
pub const MAX_SLOPE: f32 = 0.04;
/// How far off the line through its ends a piece of a dotted rule may lie,
/// in pixels.
pub const STRAIGHT_PIXELS: f32 = 1.5;

/// The share of a dotted rule's steps that keep its pace, and how far
/// (a share of the median step) they may stray from it.
pub const EVEN_SHARE: f32 = 0.8;
pub const EVEN_SPREAD: f32 = 0.3;

/// A patch of ink's box, inclusive, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Patch {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

/// A piece as seen along a rule: `along` from `a0` to `a1`, `across` its
/// middle and `thick` pixels thick.
#[derive(Debug, Clone, Copy)]
struct Piece {
    a0: usize,
    a1: usize,
    across: usize,
    thick: usize,
}

/// Join the dotted rules among `pieces` (patches that touch no other ink,
/// decimal points left out) on an image at `dpi`, both ways: pieces
/// thinner than `thin` pixels across (a speck's size,
/// [`super::clean::SPECK_INCHES`]). The number of rules joined.
pub fn join(image: &mut Grey, pieces: &[Patch], dpi: f32, thin: usize) -> usize {
    let short = ((PIECE_INCHES * dpi).round() as usize).max(1);
    // a patch seen along a rule: (along, across) of its box's corners
    let along = |(a0, c0, a1, c1): (usize, usize, usize, usize)| {
        (c1 - c0 < thin && a1 - a0 <= short).then_some(Piece {
            a0,
            a1,
            across: (c0 + c1) / 2,
            thick: c1 - c0 + 1,
        })
    };
    let rows: Vec<Piece> = pieces
        .iter()
        .filter_map(|p| along((p.x0, p.y0, p.x1, p.y1)))
        .collect();
    let columns: Vec<Piece> = pieces
        .iter()
        .filter_map(|p| along((p.y0, p.x0, p.y1, p.x1)))
        .collect();
    let gap = ((GAP_INCHES * dpi) as usize).max(2);
    let length = (MIN_LENGTH_INCHES * dpi) as usize;
    let level = image.rule_ink();
    let (width, height) = (image.width, image.height);
    let shows = |x: usize, y: usize| x < width && y < height && image.at(x, y) <= level;
    let paper = ((PAPER_INCHES * dpi) as usize).max(2);
    let row_chains = chains(&rows, (gap, length, paper), &|along, across| {
        shows(along, across)
    });
    let column_chains = chains(&columns, (gap, length, paper), &|along, across| {
        shows(across, along)
    });
    let mut joined = 0;
    for chain in row_chains {
        ink_chain(&chain, |along, across| {
            if along < image.width && across < image.height {
                image.pixels[across * image.width + along] = 0;
            }
        });
        joined += 1;
    }
    for chain in column_chains {
        ink_chain(&chain, |along, across| {
            if across < image.width && along < image.height {
                image.pixels[along * image.width + across] = 0;
            }
        });
        joined += 1;
    }
    joined
}

/// Whether the pixel at (along, across) shows ink, faint or dark.
type Shows<'a> = &'a dyn Fn(usize, usize) -> bool;

/// The dotted rules among `pieces` (module doc), each its pieces in order.
/// `gap`, `length` and `paper` in pixels: see [`GAP_INCHES`],
/// [`MIN_LENGTH_INCHES`], [`PAPER_INCHES`].
fn chains(
    pieces: &[Piece],
    (gap, length, paper): (usize, usize, usize),
    shows: Shows,
) -> Vec<Vec<Piece>> {
    // by (across, start along): the pieces near a line, in order along it
    let index: BTreeMap<(usize, usize), usize> = pieces
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.across, p.a0), i))
        .collect();
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by_key(|&i| (pieces[i].a0, pieces[i].across));
    let mut taken = vec![false; pieces.len()];
    let mut found = Vec::new();
    for start in order {
        if taken[start] {
            continue;
        }
        let mut chain = follow(pieces, &index, start, (gap, paper), shows);
        // a chain that ran on past its rule's end into specks is the rule
        // without them
        while chain.len() > MIN_PIECES && !is_rule(pieces, &chain, length) {
            chain.pop();
        }
        if chain.len() >= MIN_PIECES && is_rule(pieces, &chain, length) {
            let chain = extend_back(pieces, &index, chain, (gap, paper), &taken, shows);
            for &i in &chain {
                taken[i] = true;
            }
            found.push(chain.iter().map(|&i| pieces[i]).collect());
        }
    }
    found
}

/// The chain from `start`: each next piece the nearest along that begins
/// after the last ends, at most `gap` on, within the skew's drift across.
fn follow(
    pieces: &[Piece],
    index: &BTreeMap<(usize, usize), usize>,
    start: usize,
    (gap, paper): (usize, usize),
    shows: Shows,
) -> Vec<usize> {
    let mut chain = vec![start];
    let mut last = pieces[start];
    let mut stretches = Stretches::of(pieces, &chain, shows, paper);
    loop {
        let line = (chain.len() >= 3).then(|| through(pieces[chain[0]], last));
        let reach = bridge(pieces, &chain, gap);
        let drift = 2 + (reach as f32 * MAX_SLOPE).ceil() as usize;
        let from = last.a1 + 1;
        let to = last.a1 + reach;
        let next = (last.across.saturating_sub(drift)..=last.across + drift)
            .filter_map(|across| index.range((across, from)..=(across, to)).next())
            .filter(|&(&(across, a0), &i)| match line {
                // on the line the chain has drawn so far
                Some(line) => (across as f32 - line.at(pieces[i])).abs() <= STRAIGHT_PIXELS,
                None => {
                    across.abs_diff(last.across) as f32 <= 1.0 + (a0 - last.a1) as f32 * MAX_SLOPE
                }
            })
            .map(|(&(across, a0), &i)| (a0, across.abs_diff(last.across), i))
            .min();
        let Some((i, stretch)) = next.and_then(|(_, _, i)| {
            stretches
                .goes_on(last, pieces[i], shows)
                .map(|stretch| (i, stretch))
        }) else {
            return chain;
        };
        stretches.seen.push(stretch);
        chain.push(i);
        last = pieces[i];
    }
}

/// A rule's chain extended back from its first piece along its line: a
/// chain is followed from the first piece that begins one, and the pieces
/// before a gap too wide for a chain not yet drawn (a dot lost by a
/// character's side) were too few to begin one.
fn extend_back(
    pieces: &[Piece],
    index: &BTreeMap<(usize, usize), usize>,
    chain: Vec<usize>,
    (gap, paper): (usize, usize),
    taken: &[bool],
    shows: Shows,
) -> Vec<usize> {
    let line = through(pieces[chain[0]], pieces[chain[chain.len() - 1]]);
    let reach = bridge(pieces, &chain, gap);
    let drift = 2 + (reach as f32 * MAX_SLOPE).ceil() as usize;
    let mut before = Vec::new();
    let mut first = pieces[chain[0]];
    let stretches = Stretches::of(pieces, &chain, shows, paper);
    loop {
        let from = first.a0.saturating_sub(reach + reach);
        let next = (first.across.saturating_sub(drift)..=first.across + drift)
            .flat_map(|across| index.range((across, from)..(across, first.a0)))
            .map(|(_, &i)| i)
            .filter(|&i| {
                let p = pieces[i];
                !taken[i]
                    && p.a1 < first.a0
                    && first.a0 - p.a1 <= reach
                    && (p.across as f32 - line.at(p)).abs() <= STRAIGHT_PIXELS
            })
            .max_by_key(|&i| pieces[i].a1)
            .filter(|&i| stretches.goes_on(pieces[i], first, shows).is_some());
        match next {
            Some(i) => {
                before.push(i);
                first = pieces[i];
            }
            None => break,
        }
    }
    before.reverse();
    before.extend(chain);
    before
}

/// The longest stretch of paper, in inches, a step of a chain may cross
/// beyond twice the chain's usual one (see [`Stretches`]).
pub const PAPER_INCHES: f32 = 0.05;

/// The stretches of paper a chain's steps cross (see [`paper_between`]):
/// on a grey scan a thin rule turned a little is left as dashes at the
/// ink's level, and between them it still shows faint; where nothing
/// shows for longer than twice the chain's usual stretch and `paper`
/// pixels, the rule ended. Two tables one above the other, their borders
/// in line (worn-03's 支出决算表 and 财政拨款收入支出决算总表, the title between
/// them unruled), were joined into one table over 70 pixels of paper. On
/// a 1-bit scan nothing shows between dashes either, and a lost dash's
/// stretch is twice the usual.
struct Stretches {
    seen: Vec<usize>,
    paper: usize,
}

impl Stretches {
    fn of(pieces: &[Piece], chain: &[usize], shows: Shows, paper: usize) -> Stretches {
        let seen = chain
            .windows(2)
            .map(|w| paper_between(pieces[w[0]], pieces[w[1]], shows))
            .collect();
        Stretches { seen, paper }
    }

    /// The stretch of the step from piece `a` to piece `b` (along, `a`
    /// first), where the chain (of four steps or more) goes on over it.
    fn goes_on(&self, a: Piece, b: Piece, shows: Shows) -> Option<usize> {
        let stretch = paper_between(a, b, shows);
        if self.seen.len() >= 4 {
            let mut sorted = self.seen.clone();
            sorted.sort_unstable();
            if stretch > 2 * sorted[sorted.len() / 2] + self.paper {
                return None;
            }
        }
        Some(stretch)
    }
}

/// The longest stretch between two pieces along which the line between
/// them (and the pixel either side of it) shows no ink.
fn paper_between(a: Piece, b: Piece, shows: Shows) -> usize {
    if b.a0 <= a.a1 + 1 {
        return 0;
    }
    let span = (b.a0 - a.a1) as f32;
    let (mut longest, mut run) = (0, 0);
    for along in a.a1 + 1..b.a0 {
        let t = (along - a.a1) as f32 / span;
        let middle = (a.across as f32 + t * (b.across as f32 - a.across as f32)).round() as usize;
        if (middle.saturating_sub(1)..=middle + 1).any(|across| shows(along, across)) {
            run = 0;
        } else {
            run += 1;
            longest = longest.max(run);
        }
    }
    longest
}

/// How far a chain at its pace bridges: a dot lost where a rule crosses
/// or a character comes near, once the chain has a pace.
fn bridge(pieces: &[Piece], chain: &[usize], gap: usize) -> usize {
    match median_step(pieces, chain) {
        Some(step) if chain.len() >= 5 => {
            gap.max(((3.0 + EVEN_SPREAD) * step) as usize).min(2 * gap)
        }
        _ => gap,
    }
}

/// The line through the middles of two pieces.
#[derive(Debug, Clone, Copy)]
struct Line {
    along: f32,
    across: f32,
    slope: f32,
}

impl Line {
    /// Where the line is across at a piece's middle along.
    fn at(&self, piece: Piece) -> f32 {
        self.across + self.slope * (piece.middle() - self.along)
    }
}

impl Piece {
    fn middle(&self) -> f32 {
        (self.a0 + self.a1) as f32 / 2.0
    }
}

fn through(first: Piece, last: Piece) -> Line {
    let run = last.middle() - first.middle();
    Line {
        along: first.middle(),
        across: first.across as f32,
        slope: (last.across as f32 - first.across as f32) / run.max(1.0),
    }
}

/// Whether a chain is long, gently sloped and straight enough to be a rule.
fn is_rule(pieces: &[Piece], chain: &[usize], length: usize) -> bool {
    let (first, last) = (pieces[chain[0]], pieces[chain[chain.len() - 1]]);
    if last.a1 - first.a0 < length {
        return false;
    }
    let line = through(first, last);
    let slope = line.slope;
    if slope.abs() > MAX_SLOPE {
        return false;
    }
    // the line falls (or rises) steadily: a step back across of more
    // than a pixel is a random speck's
    let steps = chain
        .windows(2)
        .map(|w| pieces[w[1]].across as i64 - pieces[w[0]].across as i64);
    let steady = if slope >= 0.0 {
        steps.clone().all(|d| d >= -1)
    } else {
        steps.clone().all(|d| d <= 1)
    };
    steady
        && evenly_spaced(pieces, chain)
        && chain
            .iter()
            .all(|&i| (pieces[i].across as f32 - line.at(pieces[i])).abs() <= STRAIGHT_PIXELS)
}

/// The median step from a piece's middle to the next one's.
fn median_step(pieces: &[Piece], chain: &[usize]) -> Option<f32> {
    let mut steps: Vec<f32> = chain
        .windows(2)
        .map(|w| pieces[w[1]].middle() - pieces[w[0]].middle())
        .collect();
    steps.sort_by(f32::total_cmp);
    steps.get(steps.len() / 2).copied()
}

/// Whether a chain's pieces come at an even pace, as the places where a
/// skewed line lies within one row of pixels do: at least
/// [`EVEN_SHARE`] of the steps from middle to middle within
/// [`EVEN_SPREAD`] of the median step or of twice it (a dot left out).
/// Random specks are spaced at random.
fn evenly_spaced(pieces: &[Piece], chain: &[usize]) -> bool {
    let Some(median) = median_step(pieces, chain) else {
        return false;
    };
    let even = |step: f32| {
        [median, 2.0 * median, 3.0 * median]
            .iter()
            .any(|m| (step - m).abs() <= EVEN_SPREAD * median)
    };
    let steps = chain
        .windows(2)
        .map(|w| pieces[w[1]].middle() - pieces[w[0]].middle());
    let evens = steps.clone().filter(|&s| even(s)).count();
    evens as f32 >= EVEN_SHARE * steps.count() as f32
}

/// Ink the gaps of a chain: from each piece's end to the next one's start
/// along the line between their middles, as thick as its pieces mostly
/// are (`ink(along, across)`).
fn ink_chain(chain: &[Piece], mut ink: impl FnMut(usize, usize)) {
    let mut thicks: Vec<usize> = chain.iter().map(|p| p.thick).collect();
    thicks.sort_unstable();
    let thick = thicks[thicks.len() / 2].max(2);
    for pair in chain.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let span = (b.a0 - a.a1).max(1) as f32;
        for along in a.a1..=b.a0 {
            let t = (along - a.a1) as f32 / span;
            let middle = a.across as f32 + t * (b.across as f32 - a.across as f32);
            let top = (middle - (thick as f32 - 1.0) / 2.0).round().max(0.0) as usize;
            for across in top..top + thick {
                ink(along, across);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(width: usize, height: usize) -> Grey {
        Grey {
            width,
            height,
            pixels: vec![255; width * height],
        }
    }

    fn dot(image: &mut Grey, x: usize, y: usize, w: usize, h: usize) -> Patch {
        for yy in y..y + h {
            for xx in x..x + w {
                image.pixels[yy * image.width + xx] = 0;
            }
        }
        Patch {
            x0: x,
            y0: y,
            x1: x + w - 1,
            y1: y + h - 1,
        }
    }

    /// A rule of 2 × 2 dots every 40 pixels (0.13 in at 300 dpi) over
    /// 2.7 in, falling 1.5°: joined into one line, ink all along it.
    #[test]
    fn a_row_of_dots_on_a_skewed_page_is_joined_into_a_rule() {
        let mut image = page(1000, 300);
        let slope = 1.5f32.to_radians().tan();
        let mut pieces = Vec::new();
        for x in (50..870).step_by(40) {
            let y = 100 + (x as f32 * slope).round() as usize;
            pieces.push(dot(&mut image, x, y, 2, 2));
        }
        assert_eq!(join(&mut image, &pieces, 300.0, 5), 1);
        for x in 51..851 {
            let y = 100 + (x as f32 * slope).round() as usize;
            assert!(
                (y - 2..=y + 3).any(|y| image.is_ink(x, y)),
                "no ink at {x} near {y}"
            );
        }
        // the same turned a quarter: a column of dots
        let mut sideways = page(300, 1000);
        let turned: Vec<Patch> = pieces
            .iter()
            .map(|p| {
                dot(&mut sideways, p.y0, p.x0, 2, 2);
                Patch {
                    x0: p.y0,
                    y0: p.x0,
                    x1: p.y1,
                    y1: p.x1,
                }
            })
            .collect();
        assert_eq!(join(&mut sideways, &turned, 300.0, 5), 1);
        assert!(sideways.is_ink(100 + (450.0 * slope).round() as usize, 450));
    }

    /// worn-03's two tables one above the other, their left borders in
    /// line: a thin grey rule left as dashes at the ink's level, faint
    /// grey between them, and 99 pixels of paper where one table ends
    /// and the next begins. Each border is joined; the paper is not.
    #[test]
    fn dashes_of_a_grey_rule_are_not_joined_over_paper_where_nothing_shows() {
        let mut image = page(300, 1400);
        let mut pieces = Vec::new();
        let mut border = |image: &mut Grey, from: usize, to: usize| {
            for y in from..to {
                image.pixels[y * 300 + 100] = 200;
            }
            for y in (from..to - 30).step_by(60) {
                pieces.push(dot(image, 100, y, 1, 30));
            }
        };
        border(&mut image, 20, 640);
        border(&mut image, 739, 1380);
        assert_eq!(join(&mut image, &pieces, 300.0, 5), 2);
        // between dashes (20–49 and 80–109; 739–768 and 799–828)
        assert!(image.is_ink(100, 60), "the first border is joined");
        assert!(image.is_ink(100, 790), "the second border is joined");
        assert!(
            !(590..739).any(|y| image.is_ink(100, y)),
            "the paper is left"
        );
    }

    /// Specks strewn at random (0.1 % of the pixels, the generator's
    /// densest), dots too few, too far apart or not in line: none joined.
    #[test]
    fn specks_and_short_or_scattered_rows_of_dots_are_not_rules() {
        let mut image = page(1500, 1500);
        let mut state = 27u64;
        let mut next = |limit: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % limit
        };
        let mut pieces = Vec::new();
        for _ in 0..1500 * 1500 / 1000 {
            let (x, y) = (next(1497), next(1497));
            pieces.push(dot(&mut image, x, y, 2, 2));
        }
        // seven dots: too few
        for x in (100..380).step_by(40) {
            pieces.push(dot(&mut image, x, 50, 2, 2));
        }
        // dots 100 pixels apart: gaps too wide
        for x in (100..1400).step_by(100) {
            pieces.push(dot(&mut image, x, 20, 2, 2));
        }
        // in zigzag
        for (n, x) in (100..1000).step_by(40).enumerate() {
            pieces.push(dot(&mut image, x, 1480 + (n % 2) * 6, 2, 2));
        }
        assert_eq!(join(&mut image, &pieces, 300.0, 5), 0);
    }
}

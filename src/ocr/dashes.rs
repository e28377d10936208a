//! Dashed rules: the rules a thin line becomes when a skewed scan is made
//! 1-bit, too gappy for [`super::lines::rules`] to bridge, found from
//! border to border of the rules already found.

use super::image::Grey;
use super::lines::{already, merge, thin, Rule};

/// How a dashed rule is looked for ([`dashed`]), in pixels.
#[derive(Debug, Clone, Copy)]
pub struct Dashes {
    /// The shortest dash.
    pub dash: usize,
    /// The widest gap between two dashes of one rule.
    pub gap: usize,
    /// The shortest rule.
    pub length: usize,
    /// How near its ends must come to the rules the other way.
    pub reach: usize,
}

/// The least share of a dashed rule's length its dashes cover.
pub const MIN_DASHED_DENSITY: f32 = 0.25;

/// The rules a thin line becomes when a skewed scan is made 1-bit: where
/// the line straddles two rows of pixels both are too light for the
/// threshold, and the rule is left as dashes, its gaps far wider than
/// [`super::lines::rules`] bridges. Dashes at least `dash` long, gaps at most `gap`,
/// on a row or the rows beside it (the page straightened, a rule may still
/// drift a pixel), `length` long at least, each end meeting a rule the
/// other way (`horizontal`, `vertical`: those [`super::lines::rules`] found) within
/// `reach` and a gap — a table's rule runs from border to border, a line
/// of text never does — and clear of ink a few pixels to either side
/// ([`super::lines::thin`]: a line of text is not). Those not already among the rules
/// given, end to end (a dotted rule joined in part, [`super::dotted`], is
/// not the whole rule).
pub fn dashed(
    image: &Grey,
    horizontal: &[Rule],
    vertical: &[Rule],
    d: Dashes,
) -> (Vec<Rule>, Vec<Rule>) {
    let level = image.rule_ink();
    let ink = |x: usize, y: usize| image.at(x, y) <= level;
    let rows = dash_runs(image.height, image.width, d, |along, across| {
        (across.saturating_sub(1)..(across + 2).min(image.height)).any(|y| ink(along, y))
    });
    let columns = dash_runs(image.width, image.height, d, |along, across| {
        (across.saturating_sub(1)..(across + 2).min(image.width)).any(|x| ink(x, along))
    });
    // a rule may end in one of its gaps
    let end_reach = d.reach + d.gap;
    let rows: Vec<Rule> = merge(rows, usize::MAX)
        .0
        .into_iter()
        .filter(|r| ends_meet(r, vertical, end_reach) && !already(r, horizontal, end_reach))
        .filter(|r| thin(r, ink, image.height))
        .collect();
    let columns: Vec<Rule> = merge(columns, usize::MAX)
        .0
        .into_iter()
        .filter(|r| ends_meet(r, horizontal, end_reach) && !already(r, vertical, end_reach))
        .filter(|r| thin(r, |y, x| ink(x, y), image.width))
        .collect();
    (rows, columns)
}

/// Whether both ends of `rule` meet a rule of `others` (within `reach`).
fn ends_meet(rule: &Rule, others: &[Rule], reach: usize) -> bool {
    let at = rule.at as usize;
    let meets_at = |end: usize| {
        others.iter().any(|o| {
            (o.at as usize).abs_diff(end) <= reach && o.start <= at + reach && at <= o.end + reach
        })
    };
    meets_at(rule.start) && meets_at(rule.end)
}

/// The dashed runs of each line across: dashes (ink runs, gaps of two
/// pixels bridged) at least `dash` long, chained across gaps of at most
/// `gap`, the chain `length` long and dense enough.
fn dash_runs(
    lines: usize,
    length: usize,
    d: Dashes,
    ink: impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for across in 0..lines {
        let mut chain: Option<(usize, usize, usize)> = None; // start, end, inked
        let mut close = |chain: &mut Option<(usize, usize, usize)>| {
            if let Some((start, end, inked)) = chain.take() {
                let long = end - start >= d.length;
                if long && inked as f32 >= MIN_DASHED_DENSITY * (end - start) as f32 {
                    out.push((across, start, end));
                }
            }
        };
        let mut along = 0;
        while along < length {
            if !ink(along, across) {
                along += 1;
                continue;
            }
            // one dash
            let start = along;
            let (mut end, mut inked) = (along, 0);
            while along < length && along <= end + 2 {
                if ink(along, across) {
                    end = along;
                    inked += 1;
                }
                along += 1;
            }
            if end + 1 - start < d.dash {
                continue;
            }
            match &mut chain {
                Some(c) if start - c.1 <= d.gap => {
                    c.1 = end + 1;
                    c.2 += inked;
                }
                _ => {
                    close(&mut chain);
                    chain = Some((start, end + 1, inked));
                }
            }
        }
        close(&mut chain);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::lines::rules;

    /// A cell's box whose bottom rule is dashes of 30 pixels, gaps of 20,
    /// a pixel lower halfway (as a 1-bit scan of a skewed thin rule is):
    /// one rule; the same dashes stopping short of the right border, or a
    /// row of strokes (a line of text) inside the cell, none.
    #[test]
    fn a_dashed_rule_from_border_to_border_is_found() {
        let (width, height) = (700, 300);
        let mut image = Grey {
            width,
            height,
            pixels: vec![255; width * height],
        };
        let mut set = |x: usize, y: usize| image.pixels[y * width + x] = 0;
        for y in 50..250 {
            set(100, y);
            set(101, y);
            set(600, y);
            set(601, y);
        }
        for x in 100..602 {
            set(x, 50);
        }
        for x in 102..600 {
            if (x - 102) % 50 < 30 {
                set(x, if x < 350 { 200 } else { 201 });
            }
            if (x - 102) % 50 < 30 && x < 540 {
                set(x, 230);
            }
        }
        for x in 130..520 {
            if (x - 130) % 40 < 25 {
                set(x, 120);
            }
        }
        let (horizontal, vertical) = rules(&image, 120, 6);
        assert_eq!(horizontal.len(), 1);
        assert_eq!(vertical.len(), 2);
        let d = Dashes {
            dash: 12,
            gap: 45,
            length: 360,
            reach: 9,
        };
        let (more, none) = dashed(&image, &horizontal, &vertical, d);
        assert!(none.is_empty());
        assert_eq!(more.len(), 1, "{more:?}");
        assert!((199.0..=202.0).contains(&more[0].at), "{more:?}");
    }
}

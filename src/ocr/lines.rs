//! Ruling lines from pixels: long runs of ink along a row (horizontal) or a
//! column (vertical), gaps of a few pixels bridged (a scan's dropouts, a
//! seal's white-out), neighbouring rows of one line merged. Text strokes
//! are far shorter than the shortest rule looked for.

use super::image::Grey;

/// A rule found in the image, in pixels: `along` from `start` to `end`, at
/// `at` across (the middle of its thickness).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub at: f32,
    pub start: usize,
    pub end: usize,
}

/// The horizontal and vertical rules of an image, each at least
/// `min_length` pixels long. A line one pixel thick, turned straight by a
/// fraction of a degree, falls on one row and the next by turns, each row
/// alone too gappy for a rule: such a rule is found on the two rows
/// together, where it is clear of ink a few pixels to either side
/// ([`thin`]: two rows of a line of text's strokes together are not).
pub fn rules(image: &Grey, min_length: usize, max_gap: usize) -> (Vec<Rule>, Vec<Rule>) {
    rules_and_bands(image, min_length, max_gap).0
}

/// The horizontal and vertical rules ([`rules`]), and the horizontal and
/// vertical bands of ink too thick to be rules ([`MAX_THICKNESS`]): no
/// rules of a table, yet erased with them (Tesseract reading a page as one
/// block of text loses lines of print beside a band of grey: worn-06's
/// title 支出决算表 beside the shadow at its page's right edge).
pub type RulesAndBands = ((Vec<Rule>, Vec<Rule>), (Vec<Rule>, Vec<Rule>));

/// `rules` without the `bands` among them that stand outside a table:
/// with no rule (not itself a band) on one side of them along their
/// length. A shadow down the page's margin beside a table (worn-08: two
/// vertical bands left of every table, two columns more on one page than
/// on the next) is no table's rule; a band between a table's rules is
/// where a row ends, its rule lost in it (worn-06: the shadow over the
/// row under 其他行政事业单位医疗支出).
pub fn keep_bands_within(rules: &mut Vec<Rule>, bands: &[Rule]) {
    let outside = bands_outside(rules, bands);
    rules.retain(|r| !outside.contains(r));
}

/// The `bands` that stand outside a table ([`keep_bands_within`]): with no
/// rule of `rules` (not itself a band) on one side of them along their
/// length.
pub fn bands_outside(rules: &[Rule], bands: &[Rule]) -> Vec<Rule> {
    let thin: Vec<&Rule> = rules.iter().filter(|r| !bands.contains(r)).collect();
    let within = |band: &Rule| {
        let alongside = |r: &&&Rule| r.start < band.end && band.start < r.end;
        let before = thin.iter().filter(alongside).any(|r| r.at < band.at);
        let after = thin.iter().filter(alongside).any(|r| r.at > band.at);
        before && after
    };
    bands.iter().filter(|b| !within(b)).copied().collect()
}

/// How much darker than the grey of a band outside the tables a pixel
/// must be to be print in it: lighter, it is the band's grey.
pub const LIFT_CONTRAST: u8 = 40;

/// A page's pixels seen along a rule or band and across it (`vertical`:
/// it runs down the page).
#[derive(Debug, Clone, Copy)]
struct Axes {
    width: usize,
    height: usize,
    vertical: bool,
}

impl Axes {
    fn of(image: &Grey, vertical: bool) -> Axes {
        Axes {
            width: image.width,
            height: image.height,
            vertical,
        }
    }

    /// A pixel's index by its place along and across.
    fn index(self, along: usize, across: usize) -> usize {
        if self.vertical {
            along * self.width + across
        } else {
            across * self.width + along
        }
    }

    /// How many lines there are along and across.
    fn lines(self) -> (usize, usize) {
        if self.vertical {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

/// Lift a band of grey outside the tables ([`bands_outside`]) to paper,
/// across the whole of its thickness, print darker than its grey by
/// [`LIFT_CONTRAST`] kept. Erased like a rule, a stripe through its
/// middle, the band's edges beside the stripe read as a line of text
/// (worn-08: 三一一 from the shadow down the left margin, between
/// 收入决算表's two pages, ended the table there). `vertical`: the band
/// runs down the page.
pub fn lift(image: &mut Grey, band: &Rule, vertical: bool) {
    let level = image.rule_ink();
    let axes = Axes::of(image, vertical);
    let index = |along: usize, across: usize| axes.index(along, across);
    let (along_lines, across_lines) = axes.lines();
    let end = band.end.min(along_lines);
    if band.start >= end || band.at as usize >= across_lines {
        return;
    }
    // the band's thickness: the lines across where most of its length is ink
    let banded = |across: usize| {
        let inked = (band.start..end)
            .filter(|&along| image.pixels[index(along, across)] <= level)
            .count();
        2 * inked >= end - band.start
    };
    let (mut first, mut last) = (band.at as usize, band.at as usize);
    while first > 0 && banded(first - 1) {
        first -= 1;
    }
    while last + 1 < across_lines && banded(last + 1) {
        last += 1;
    }
    // its fading edges with it
    let (first, last) = (first.saturating_sub(2), (last + 2).min(across_lines - 1));
    for along in band.start..end {
        let mut line: Vec<u8> = (first..=last)
            .map(|across| image.pixels[index(along, across)])
            .collect();
        line.sort_unstable();
        let grey = line[line.len() / 2].saturating_sub(LIFT_CONTRAST);
        for across in first..=last {
            let pixel = &mut image.pixels[index(along, across)];
            if *pixel >= grey {
                *pixel = 255;
            }
        }
    }
}

/// [`rules`], and the bands apart ([`RulesAndBands`]).
pub fn rules_and_bands(image: &Grey, min_length: usize, max_gap: usize) -> RulesAndBands {
    let level = image.rule_ink();
    let (width, height) = (image.width, image.height);
    let ink = |x: usize, y: usize| image.at(x, y) <= level;
    // the thickest a rule is: a fifteenth of the shortest (8 pixels at 300
    // dpi, a 1.5 pt border blurred)
    let thickest = (min_length / 15).max(3);
    let (rows, row_bands) = merge(
        runs(height, width, min_length, max_gap, |along, across| {
            ink(along, across)
        }),
        thickest,
    );
    let (columns, column_bands) = merge(
        runs(width, height, min_length, max_gap, |along, across| {
            ink(across, along)
        }),
        thickest,
    );
    // a pair's band is a band already found
    let (row_pairs, _) = merge(
        runs(height, width, min_length, max_gap, |along, across| {
            ink(along, across) || (across + 1 < height && ink(along, across + 1))
        }),
        thickest,
    );
    let (column_pairs, _) = merge(
        runs(width, height, min_length, max_gap, |along, across| {
            ink(across, along) || (across + 1 < width && ink(across + 1, along))
        }),
        thickest,
    );
    // a pair's run is a line's ink or the next one's: its middle is half a
    // line lower than its runs'
    let dithered = |pairs: Vec<Rule>, found: &[Rule], ink: &dyn Fn(usize, usize) -> bool, lines| {
        pairs
            .into_iter()
            .map(|r| Rule {
                at: r.at + 0.5,
                ..r
            })
            .filter(|r| !already(r, found, 0) && thin(r, ink, lines))
            .collect::<Vec<Rule>>()
    };
    let more_rows = dithered(
        row_pairs,
        &[rows.as_slice(), &row_bands].concat(),
        &|along, across| ink(along, across),
        height,
    );
    let more_columns = dithered(
        column_pairs,
        &[columns.as_slice(), &column_bands].concat(),
        &|along, across| ink(across, along),
        width,
    );
    (
        (
            rows.into_iter().chain(more_rows).collect(),
            columns.into_iter().chain(more_columns).collect(),
        ),
        (row_bands, column_bands),
    )
}

/// The most of a rule's run its bridged gaps may be: the tops of a row of
/// digits (2210201) make a long run too, but a gappy one.
pub const MIN_DENSITY: f32 = 0.85;

/// The long runs of each line across (`lines` of them, `length` long),
/// dense enough to be a rule.
fn runs(
    lines: usize,
    length: usize,
    min_length: usize,
    max_gap: usize,
    ink: impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let keep = |out: &mut Vec<(usize, usize, usize)>, across, start, end, inked: usize| {
        let long = end - start >= min_length;
        if long && inked as f32 >= MIN_DENSITY * (end - start) as f32 {
            out.push((across, start, end));
        }
    };
    for across in 0..lines {
        let mut start: Option<usize> = None;
        let mut last_ink = 0;
        let mut inked = 0;
        for along in 0..length {
            if ink(along, across) {
                if start.is_none() {
                    start = Some(along);
                    inked = 0;
                }
                last_ink = along;
                inked += 1;
            } else if let Some(s) = start {
                if along - last_ink > max_gap {
                    keep(&mut out, across, s, last_ink + 1, inked);
                    start = None;
                }
            }
        }
        if let Some(s) = start {
            keep(&mut out, across, s, last_ink + 1, inked);
        }
    }
    out
}

/// How many times longer than a thick run of ink a run on the line beside
/// it may be, or shorter, and still be part of it.
pub const MAX_JOIN_RATIO: usize = 4;

/// How many times the thickness of a thick rule a band of ink may be and
/// still be a rule: thicker, it is an area — the grey of a shadow down the
/// page's edge (worn-08's, 212 on paper of 252, 64 pixels wide), which
/// stood as two vertical rules left of the table on one page and gave it
/// two columns more than its continuation on the next.
pub const MAX_THICKNESS: usize = 3;

/// Runs on neighbouring lines that overlap are one rule (its thickness);
/// a band of them thicker than [`MAX_THICKNESS`] times `thin` is none:
/// the rules, and the bands apart.
/// Once the rule is thicker than `thin` — no rule, a shadow down the
/// page's edge (worn-08's, ink for 178 pixels of every row) — only runs of
/// a like length join it: a thin rule crossing the shadow joined it, lay
/// in its middle, 50 pixels below where it was printed, and the row above
/// it was one cell with it.
pub(super) fn merge(mut runs: Vec<(usize, usize, usize)>, thin: usize) -> (Vec<Rule>, Vec<Rule>) {
    runs.sort();
    let like = |a: usize, b: usize| a <= b * MAX_JOIN_RATIO && b <= a * MAX_JOIN_RATIO;
    let mut rules: Vec<(usize, usize, usize, usize)> = Vec::new(); // first, last, start, end
    for (across, start, end) in runs {
        let joined = rules.iter_mut().rev().take(8).find(|r| {
            across <= r.1 + 2
                && start < r.3
                && end > r.2
                && (r.1 - r.0 < thin || like(end - start, r.3 - r.2))
        });
        match joined {
            Some(rule) => {
                rule.1 = across;
                rule.2 = rule.2.min(start);
                rule.3 = rule.3.max(end);
            }
            None => rules.push((across, across, start, end)),
        }
    }
    let rule = |(first, last, start, end): (usize, usize, usize, usize)| Rule {
        at: (first + last) as f32 / 2.0,
        start,
        end,
    };
    let (rules, bands): (Vec<_>, Vec<_>) = rules
        .into_iter()
        .partition(|&(first, last, _, _)| last - first < MAX_THICKNESS.saturating_mul(thin));
    (
        rules.into_iter().map(rule).collect(),
        bands.into_iter().map(rule).collect(),
    )
}

/// The rules that are a table's: each at least `long` pixels, or meeting a
/// rule the other way (within `reach` pixels of it: a table's rules meet
/// at its cells' corners), or one of the pieces, in line and each within
/// `gap` of the next, of a rule that long (a row too short for its
/// verticals to be found, a seal's white-out). Pieces far apart in line
/// are not one rule: the same strokes of text in the cells of one row are. A shorter run that meets nothing is a row of
/// strokes in a line of text (财政拨款's strokes, their gaps bridged),
/// which erased would cut the characters in two.
pub fn of_tables(
    horizontal: Vec<Rule>,
    vertical: Vec<Rule>,
    long: usize,
    reach: usize,
    gap: usize,
) -> (Vec<Rule>, Vec<Rule>) {
    let meets = |rule: &Rule, others: &[Rule]| {
        others.iter().any(|o| {
            let along = o.at as usize + reach >= rule.start && (o.at as usize) <= rule.end + reach;
            let across = o.start <= rule.at as usize + reach && rule.at as usize <= o.end + reach;
            along && across
        })
    };
    // pieces of one rule broken (a short row's verticals too short to be
    // found, a seal's white-out): together as long as a rule
    let broken = |rule: &Rule, rules: &[Rule]| {
        let mut pieces: Vec<&Rule> = rules
            .iter()
            .filter(|o| (o.at - rule.at).abs() <= 2.0)
            .collect();
        pieces.sort_by_key(|o| o.start);
        // the chain of pieces, each a small gap from the last, that holds it
        let (mut start, mut end) = (usize::MAX, 0);
        for piece in pieces {
            if start == usize::MAX || piece.start > end + gap {
                if (start..end).contains(&rule.start) {
                    break;
                }
                (start, end) = (piece.start, piece.end);
            }
            end = end.max(piece.end);
        }
        (start..end).contains(&rule.start)
            && end - start >= long
            && end - start > rule.end - rule.start
    };
    let keep = |rules: &[Rule], others: &[Rule]| -> Vec<Rule> {
        rules
            .iter()
            .filter(|r| r.end - r.start >= long || meets(r, others) || broken(r, rules))
            .copied()
            .collect()
    };
    (keep(&horizontal, &vertical), keep(&vertical, &horizontal))
}

/// The most of a dashed rule's length that may have ink a few pixels to
/// either side of it (rules crossing it): a line of text has its
/// characters' other strokes there.
pub const MAX_BESIDE_SHARE: f32 = 0.15;

/// Whether the lines 3 to 5 pixels either side of `rule` are clear of ink
/// along it (`ink(along, across)`; `lines` across in all).
pub(super) fn thin(rule: &Rule, ink: impl Fn(usize, usize) -> bool, lines: usize) -> bool {
    let at = rule.at as usize;
    let beside: Vec<usize> = (3..=5)
        .flat_map(|d| [at.checked_sub(d), Some(at + d).filter(|&a| a < lines)])
        .flatten()
        .collect();
    let inked = (rule.start..rule.end)
        .filter(|&along| beside.iter().any(|&across| ink(along, across)))
        .count();
    (inked as f32) <= MAX_BESIDE_SHARE * (rule.end - rule.start) as f32
}

/// Whether a rule already found lies along the whole of `rule` (to within
/// `slack` at either end).
pub(super) fn already(rule: &Rule, found: &[Rule], slack: usize) -> bool {
    found.iter().any(|f| {
        (f.at - rule.at).abs() <= 3.0 && f.start <= rule.start + slack && rule.end <= f.end + slack
    })
}

/// Paint the rules white (what Tesseract should not read as strokes):
/// `half_width` lines either side of each, and at each point along it the
/// whole run of ink across it that reaches that band, when the run is no
/// thicker than [`MAX_RULE_RUN`] times `half_width` — a rule left a
/// little sloped by the turn, or thicker than the band, leaves no dashes
/// beside the band (read as 1 over 7.44, 59.9 for 50.00), while a stroke
/// of a character touching the rule, a longer run, keeps all but the band.
pub fn erase(image: &mut Grey, horizontal: &[Rule], vertical: &[Rule], half_width: usize) {
    for rule in horizontal {
        erase_one(image, rule, half_width, false);
    }
    for rule in vertical {
        erase_one(image, rule, half_width, true);
    }
}

/// How many times the erased band's half width a run of ink across a
/// rule may be, to be erased whole as the rule's.
pub const MAX_RULE_RUN: usize = 4;

fn erase_one(image: &mut Grey, rule: &Rule, half_width: usize, vertical: bool) {
    let level = image.rule_ink();
    let axes = Axes::of(image, vertical);
    let index = |along: usize, across: usize| axes.index(along, across);
    let (along_lines, across_lines) = axes.lines();
    let at = rule.at as usize;
    if at >= across_lines {
        return;
    }
    let band = (
        at.saturating_sub(half_width),
        (at + half_width).min(across_lines - 1),
    );
    for along in rule.start..rule.end.min(along_lines) {
        let ink = |across: usize| image.pixels[index(along, across)] <= level;
        let (mut first, mut last) = band;
        if let Some(inked) = (band.0..=band.1).find(|&a| ink(a)) {
            let mut top = inked;
            while top > 0 && ink(top - 1) {
                top -= 1;
            }
            let mut bottom = (band.0..=band.1).rev().find(|&a| ink(a)).unwrap_or(inked);
            while bottom + 1 < across_lines && ink(bottom + 1) {
                bottom += 1;
            }
            if bottom - top < MAX_RULE_RUN * half_width {
                first = first.min(top);
                last = last.max(bottom);
            }
        }
        for across in first..=last {
            image.pixels[index(along, across)] = 255;
        }
    }
}

#[cfg(test)]
mod tests;

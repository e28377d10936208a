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
/// `min_length` pixels long.
pub fn rules(image: &Grey, min_length: usize, max_gap: usize) -> (Vec<Rule>, Vec<Rule>) {
    let level = image.rule_ink();
    let rows = runs(
        image.height,
        image.width,
        min_length,
        max_gap,
        |along, across| image.at(along, across) <= level,
    );
    let columns = runs(
        image.width,
        image.height,
        min_length,
        max_gap,
        |along, across| image.at(across, along) <= level,
    );
    (merge(rows), merge(columns))
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

/// Runs on neighbouring lines that overlap are one rule (its thickness).
fn merge(mut runs: Vec<(usize, usize, usize)>) -> Vec<Rule> {
    runs.sort();
    let mut rules: Vec<(usize, usize, usize, usize)> = Vec::new(); // first, last, start, end
    for (across, start, end) in runs {
        let joined = rules
            .iter_mut()
            .rev()
            .take(8)
            .find(|r| across <= r.1 + 2 && start < r.3 && end > r.2);
        match joined {
            Some(rule) => {
                rule.1 = across;
                rule.2 = rule.2.min(start);
                rule.3 = rule.3.max(end);
            }
            None => rules.push((across, across, start, end)),
        }
    }
    rules
        .into_iter()
        .map(|(first, last, start, end)| Rule {
            at: (first + last) as f32 / 2.0,
            start,
            end,
        })
        .collect()
}

/// Paint the rules white (what Tesseract should not read as strokes).
pub fn erase(image: &mut Grey, horizontal: &[Rule], vertical: &[Rule], half_width: usize) {
    let width = image.width;
    for rule in horizontal {
        let y0 = (rule.at as usize).saturating_sub(half_width);
        for y in y0..(rule.at as usize + half_width + 1).min(image.height) {
            for x in rule.start..rule.end.min(width) {
                image.pixels[y * width + x] = 255;
            }
        }
    }
    for rule in vertical {
        let x0 = (rule.at as usize).saturating_sub(half_width);
        for x in x0..(rule.at as usize + half_width + 1).min(width) {
            for y in rule.start..rule.end.min(image.height) {
                image.pixels[y * width + x] = 255;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_rule_is_one_and_text_is_none() {
        let (width, height) = (400, 100);
        let mut image = Grey {
            width,
            height,
            pixels: vec![255; width * height],
        };
        // a rule two pixels thick at y = 50, broken for 3 pixels at x = 200
        for y in 50..52 {
            for x in 20..380 {
                if !(200..203).contains(&x) {
                    image.pixels[y * width + x] = 0;
                }
            }
        }
        // a short stroke (a character's)
        for x in 100..120 {
            image.pixels[20 * width + x] = 0;
        }
        // the tops of a row of digits: ink 14 pixels of every 19, 190 long
        for x in 20..210 {
            if x % 19 < 14 {
                image.pixels[80 * width + x] = 0;
            }
        }
        let (horizontal, vertical) = rules(&image, 100, 5);
        assert_eq!(
            horizontal,
            [Rule {
                at: 50.5,
                start: 20,
                end: 380
            }]
        );
        assert!(vertical.is_empty());
    }
}

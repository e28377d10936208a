//! Pages scanned turned a quarter or a half: found and turned back.
//!
//! A page fed sideways (a landscape table scanned on portrait glass) or
//! upside down is read by Tesseract as noise. The turn is found in three
//! steps, the dearer only when the cheaper cannot tell:
//!
//! 1. **the ink's runs** ([`lines_run_across`]): lines of Chinese text and
//!    of figures run along the page's rows. Along each row (and, apart,
//!    each column) the runs of ink are joined across gaps up to
//!    [`JOIN_INCHES`] (the space between characters of a line, less than
//!    the space between lines) — after ruling lines, runs longer than
//!    [`RULE_INCHES`] unbroken, are left out — and the mean length of the
//!    joined runs compared: along the rows of an upright page (or one
//!    upside down) they are several times those along the columns (2.4
//!    to 3 times on three of the seed's pages, measured at 100 dpi: text,
//!    a table, a landscape table; 1.3 on a table whose narrow columns wrap
//!    a character a line); a page whose rows are not clearly the
//!    longer, by [`UPRIGHT_RATIO`], may be sideways;
//! 2. **Tesseract's orientation check** (`--psm 0`, the `osd` language),
//!    asked only then: it says which quarter turn sets the page upright
//!    ([`osd`]). Without `osd` installed, a page found sideways is turned
//!    a quarter clockwise and left to step 3;
//! 3. **a trial read**: a page read with a mean confidence under
//!    [`LOW_CONFIDENCE`] (an upright page reads at 75–95, one upside down
//!    at about 20) is checked with the orientation check (or, without it,
//!    turned a half) and read again; the reading with the higher
//!    confidence is kept; while it is still under, the turn the
//!    document's first page needed and the quarters left are tried, each
//!    once ([`trial_order`]: on a scan turned 270° throughout, a page of
//!    narrow wrapped columns passed the ink test as upright and the check
//!    left it; it read at 19). A document scanned upside down turns each
//!    next page as the one before it was turned, so its pages are read once.

use super::image::Grey;
use crate::external::run;
use std::path::Path;
use std::process::Command;

/// Gaps between runs of ink along a line joined, in inches (a character's
/// spacing is well under it, a line's spacing over it).
pub const JOIN_INCHES: f32 = 0.06;
/// An unbroken run of ink longer than this is a ruling line, in inches.
pub const RULE_INCHES: f32 = 0.4;
/// Rows' joined runs at least this many times the columns': upright (or
/// upside down).
pub const UPRIGHT_RATIO: f32 = 1.3;
/// A page read with a mean confidence under this is tried turned.
pub const LOW_CONFIDENCE: f32 = 50.0;

/// The quarter turns a page read at a low confidence turned `first` is
/// tried at next: `checked` (the orientation check's answer, or a half
/// turn), `expected` (the turn the document's first page needed), then
/// the others; each once, `first` not again.
pub fn trial_order(first: u8, checked: u8, expected: u8) -> Vec<u8> {
    let mut order = Vec::with_capacity(3);
    for quarters in [
        checked,
        expected,
        (first + 1) % 4,
        (first + 3) % 4,
        (first + 2) % 4,
    ] {
        if quarters != first && !order.contains(&quarters) {
            order.push(quarters);
        }
    }
    order
}

/// The mean length of the joined runs of ink along the rows over that
/// along the columns (see the module doc), of an image `dpi` pixels an
/// inch; 1 where there is no ink.
pub fn lines_run_across(image: &Grey, dpi: f32) -> f32 {
    let join = (JOIN_INCHES * dpi).round().max(1.0) as usize;
    let rule = (RULE_INCHES * dpi) as usize;
    let along_rows = mean_joined_run(
        (0..image.height)
            .step_by(2)
            .map(|y| (0..image.width).map(move |x| image.is_ink(x, y))),
        join,
        rule,
    );
    let along_columns = mean_joined_run(
        (0..image.width)
            .step_by(2)
            .map(|x| (0..image.height).map(move |y| image.is_ink(x, y))),
        join,
        rule,
    );
    match (along_rows, along_columns) {
        (Some(rows), Some(columns)) if columns > 0.0 => rows / columns,
        _ => 1.0,
    }
}

/// The mean length of runs of ink along `lines`, runs longer than `rule`
/// left out and the rest joined across gaps up to `join`.
fn mean_joined_run(
    lines: impl Iterator<Item = impl Iterator<Item = bool>>,
    join: usize,
    rule: usize,
) -> Option<f32> {
    let (mut total, mut count) = (0usize, 0usize);
    for line in lines {
        // (start, end) of the current joined run; the unbroken run's start
        let mut joined: Option<(usize, usize)> = None;
        let mut run_start: Option<usize> = None;
        let mut close = |joined: &mut Option<(usize, usize)>| {
            if let Some((a, b)) = joined.take() {
                total += b - a;
                count += 1;
            }
        };
        for (i, ink) in line.chain(std::iter::once(false)).enumerate() {
            match (ink, run_start) {
                (true, None) => run_start = Some(i),
                (false, Some(start)) => {
                    run_start = None;
                    if i - start > rule {
                        continue;
                    }
                    match joined {
                        Some((a, b)) if start - b <= join => joined = Some((a, i)),
                        _ => {
                            close(&mut joined);
                            joined = Some((start, i));
                        }
                    }
                }
                _ => {}
            }
        }
        close(&mut joined);
    }
    (count > 0).then(|| total as f32 / count as f32)
}

/// The quarter turns clockwise that Tesseract's orientation check says
/// set `image` upright (its `Rotate:` line over 90), or `None` when it
/// cannot say (no `osd` language, no text found, a failure).
pub fn osd(tesseract: &Path, image: &Grey, scratch: &Path) -> Option<u8> {
    let half = image.halved();
    let pgm = scratch.join("orientation.pgm");
    std::fs::write(&pgm, half.to_pgm()).ok()?;
    let out = run(
        Command::new(tesseract)
            .arg(&pgm)
            .arg("stdout")
            .args(["--psm", "0"])
            .env("OMP_THREAD_LIMIT", "1"),
        super::tesseract::TIMEOUT,
    );
    let _ = std::fs::remove_file(&pgm);
    rotate_of(&String::from_utf8_lossy(&out.ok()?))
}

/// The `Rotate: N` of Tesseract's orientation report, in quarter turns.
fn rotate_of(report: &str) -> Option<u8> {
    report
        .lines()
        .find_map(|l| l.strip_prefix("Rotate:"))
        .and_then(|n| n.trim().parse::<u16>().ok())
        .filter(|n| n % 90 == 0)
        .map(|n| ((n / 90) % 4) as u8)
}

impl Grey {
    /// The image turned `quarters` quarter turns clockwise, exactly.
    pub fn turned(&self, quarters: u8) -> Grey {
        let (w, h) = (self.width, self.height);
        match quarters % 4 {
            0 => self.clone(),
            2 => Grey {
                width: w,
                height: h,
                pixels: self.pixels.iter().rev().copied().collect(),
            },
            q => {
                let mut pixels = vec![255u8; w * h];
                for y in 0..h {
                    for x in 0..w {
                        // clockwise: (x, y) goes to (h-1-y, x); counter: (y, w-1-x)
                        let (nx, ny) = if q == 1 {
                            (h - 1 - y, x)
                        } else {
                            (y, w - 1 - x)
                        };
                        pixels[ny * h + nx] = self.pixels[y * w + x];
                    }
                }
                Grey {
                    width: h,
                    height: w,
                    pixels,
                }
            }
        }
    }

    /// Half the width and height, each pixel the darkest of its four.
    pub fn halved(&self) -> Grey {
        let (w, h) = (self.width / 2, self.height / 2);
        let mut pixels = Vec::with_capacity(w * h);
        for y in 0..h {
            for x in 0..w {
                let (sx, sy) = (2 * x, 2 * y);
                let darkest = [(0, 0), (1, 0), (0, 1), (1, 1)]
                    .iter()
                    .map(|(dx, dy)| self.at(sx + dx, sy + dy))
                    .min()
                    .unwrap_or(255);
                pixels.push(darkest);
            }
        }
        Grey {
            width: w,
            height: h,
            pixels,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of "text": dashes 20 pixels long, 6 apart, in lines 20
    /// pixels tall with 30 between them (at 100 dpi: join 6, rule 40).
    fn text_page() -> Grey {
        let (width, height) = (400, 300);
        let mut pixels = vec![255u8; width * height];
        for line in 0..6 {
            for y in (20 + line * 50)..(40 + line * 50) {
                for x in 10..390 {
                    if x % 26 < 20 && y % 4 != 0 {
                        pixels[y * width + x] = 0;
                    }
                }
            }
        }
        Grey {
            width,
            height,
            pixels,
        }
    }

    #[test]
    fn rows_of_text_run_across_and_turned_they_run_down() {
        let page = text_page();
        let upright = lines_run_across(&page, 100.0);
        assert!(upright > 3.0, "{upright}");
        let sideways = lines_run_across(&page.turned(1), 100.0);
        assert!(sideways < 1.0 / 3.0, "{sideways}");
        assert!(lines_run_across(&page.turned(2), 100.0) > 3.0);
    }

    #[test]
    fn a_page_that_reads_badly_is_tried_at_every_other_turn_once() {
        // worn-07, scanned a quarter turn back: a page the ink test called
        // upright and the orientation check left as it was (0), read at a
        // confidence of 19, is tried at the document's turn next
        assert_eq!(trial_order(0, 0, 3), [3, 1, 2]);
        assert_eq!(trial_order(0, 2, 0), [2, 1, 3]);
        assert_eq!(trial_order(1, 3, 1), [3, 2, 0]);
    }

    #[test]
    fn quarter_turns_are_exact_and_four_are_none() {
        let image = Grey {
            width: 3,
            height: 2,
            pixels: vec![1, 2, 3, 4, 5, 6],
        };
        // 1 2 3 / 4 5 6 turned clockwise: 4 1 / 5 2 / 6 3
        let once = image.turned(1);
        assert_eq!((once.width, once.height), (2, 3));
        assert_eq!(once.pixels, [4, 1, 5, 2, 6, 3]);
        assert_eq!(image.turned(3).pixels, [3, 6, 2, 5, 1, 4]);
        assert_eq!(image.turned(2).pixels, [6, 5, 4, 3, 2, 1]);
        assert_eq!(once.turned(1).turned(1).turned(1), image);
    }

    /// Tesseract 5's `--psm 0` report (the seed's page 9 turned a quarter
    /// counter-clockwise, read here: Rotate 90).
    #[test]
    fn the_orientation_report_is_read() {
        let report = "Page number: 0\nOrientation in degrees: 270\nRotate: 90\nOrientation confidence: 12.50\nScript: Han\n";
        assert_eq!(rotate_of(report), Some(1));
        assert_eq!(rotate_of("Rotate: 180\n"), Some(2));
        assert_eq!(rotate_of("Too few characters. Skipping this page\n"), None);
    }
}

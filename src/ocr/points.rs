//! A decimal point the scan lost, found by the gap it left. An amount is
//! printed with its decimals (450.00); a point is a few pixels of ink, and
//! blur, a JPEG's quality or a 1-bit threshold takes it (a Jiangsu 2019
//! 部门预算's small Song figures scanned at 223 dpi: 450 00, 309 71, 11,700 63),
//! and the figure is read 45000. The point's place is still there: the gap
//! before the last two digits is wider than the gaps between the others
//! by the point's width.
//!
//! Read from the cell's pixels: the columns with ink ([`INK`] or darker)
//! make the glyphs; specks (a glyph with far less ink than the digits) and
//! commas are left out. The point is set back only when every digit read
//! is one glyph (none touching, none lost), the gap before the last two
//! is at least [`MIN_GAP_RATIO`] times every other gap between digits and
//! wider than them by [`MIN_POINT_SHARE`] of a digit's width. A figure
//! printed whole (30101, 2,500) has no such gap and is left as read.

use super::image::{Grey, INK};

/// How many times wider than the gaps between the other digits the gap
/// of a lost point is.
pub const MIN_GAP_RATIO: f32 = 2.0;
/// How much wider than the gaps between the other digits the gap of a
/// lost point is, as a share of a digit's width (a point's advance is
/// about half a digit's).
pub const MIN_POINT_SHARE: f32 = 0.3;
/// A glyph with less ink than this share of the digits' median is a
/// speck or a comma, not a digit.
const MIN_DIGIT_INK: f32 = 0.25;

/// `text` (a figure read without its point) with the point set back before
/// its last two digits, where `image` (the cell's crop) shows the gap it
/// left; `None` otherwise.
pub(super) fn point_from_gap(text: &str, image: &Grey) -> Option<String> {
    let digits = text.chars().filter(|c| c.is_ascii_digit()).count();
    let shape = text.chars().all(|c| c.is_ascii_digit() || c == ',')
        && digits >= 3
        && text.ends_with(|c: char| c.is_ascii_digit())
        && text[..text.len() - 1].ends_with(|c: char| c.is_ascii_digit());
    if !shape {
        return None;
    }
    let glyphs = digit_glyphs(image);
    if glyphs.len() != digits {
        return None;
    }
    // the gaps between digits, each after a mark (a comma) or not
    let gaps: Vec<(f32, bool)> = glyphs
        .windows(2)
        .map(|w| ((w[1].0 - w[0].1) as f32, w[1].3))
        .collect();
    let point = gaps[gaps.len() - 2].0;
    let others = gaps[..gaps.len() - 2]
        .iter()
        .chain(&gaps[gaps.len() - 1..])
        .filter(|(_, marked)| !marked)
        .map(|(gap, _)| *gap)
        .fold(0.0f32, f32::max);
    let mut widths: Vec<usize> = glyphs.iter().map(|g| g.1 - g.0).collect();
    widths.sort_unstable();
    let width = widths[widths.len() / 2] as f32;
    let wide =
        point >= MIN_GAP_RATIO * others.max(1.0) && point - others >= MIN_POINT_SHARE * width;
    wide.then(|| {
        let (whole, cents) = text.split_at(text.len() - 2);
        format!("{whole}.{cents}")
    })
}

/// The glyphs of the image left to right, each its first and last column
/// (exclusive), its ink, and whether a speck or a comma (a glyph of little
/// ink, left out) stood between it and the one before.
fn digit_glyphs(image: &Grey) -> Vec<(usize, usize, usize, bool)> {
    let ink_in = |x: usize| (0..image.height).filter(|&y| image.at(x, y) <= INK).count();
    let mut glyphs: Vec<(usize, usize, usize)> = Vec::new(); // start, end, ink
    let mut current: Option<(usize, usize)> = None;
    for x in 0..=image.width {
        let ink = if x < image.width { ink_in(x) } else { 0 };
        match (&mut current, ink > 0) {
            (Some((_, sum)), true) => *sum += ink,
            (None, true) => current = Some((x, ink)),
            (Some((start, sum)), false) => {
                glyphs.push((*start, x, *sum));
                current = None;
            }
            (None, false) => {}
        }
    }
    let mut inks: Vec<usize> = glyphs.iter().map(|g| g.2).collect();
    inks.sort_unstable();
    let median = inks.get(inks.len() / 2).copied().unwrap_or(0);
    let mut kept = Vec::new();
    let mut marked = false;
    for (start, end, ink) in glyphs {
        if (ink as f32) < MIN_DIGIT_INK * median as f32 {
            marked = true;
        } else {
            kept.push((start, end, ink, marked));
            marked = false;
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Digits as blocks of ink 12 pixels wide, 4 apart; `.` a 3-pixel
    /// square (or nothing where `lost`), `,` a small tail; ` ` a point's
    /// place with no ink.
    fn printed(text: &str) -> Grey {
        let (width, height) = (20 + 16 * text.len(), 40);
        let mut image = Grey {
            width,
            height,
            pixels: vec![255; width * height],
        };
        let mut x = 10;
        for c in text.chars() {
            let (w, rows) = match c {
                '0'..='9' => (12, 10..30),
                '.' | ',' => (3, 27..30),
                _ => (6, 0..0),
            };
            for y in rows {
                for dx in 0..w {
                    image.pixels[y * width + x + dx] = 40;
                }
            }
            x += w + 4;
        }
        image
    }

    #[test]
    fn a_lost_points_gap_sets_it_back() {
        // the point's place without its ink: 450 00 read 45000
        assert_eq!(
            point_from_gap("45000", &printed("450 00")).as_deref(),
            Some("450.00")
        );
        // a comma kept, the point lost: 11,700 63
        assert_eq!(
            point_from_gap("11,70063", &printed("11,700 63")).as_deref(),
            Some("11,700.63")
        );
    }

    #[test]
    fn a_figure_printed_whole_is_left_as_read() {
        // a code, a whole number with its comma: no gap before the last two
        assert_eq!(point_from_gap("30101", &printed("30101")), None);
        assert_eq!(point_from_gap("2,500", &printed("2,500")), None);
        // a digit read that the pixels do not hold (a glyph lost): left
        assert_eq!(point_from_gap("450000", &printed("450 00")), None);
        // not a figure without its point
        assert_eq!(point_from_gap("450.00", &printed("450.00")), None);
        assert_eq!(point_from_gap("5", &printed("5")), None);
    }
}

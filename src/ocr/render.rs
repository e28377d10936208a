//! Rendering a scanned page within a bound: its pixels counted before
//! `pdftoppm` runs, the image file's size checked before it is read.
//!
//! `pdftoppm` renders a page's MediaBox unless told otherwise, while the
//! decoder measures the CropBox (the page as shown), and the two may
//! differ by any amount: an A4 CropBox on a MediaBox 6000 pt square is an
//! image 25,000 pixels square at 300 dpi, 1.9 GB. So:
//!
//! 1. the page's pixels are counted from the box the decoder measured, at
//!    the resolution [`plan`] chooses; a page over the `ocr-pixels` limit
//!    is not rendered;
//! 2. `pdftoppm` is told to render that box (`-cropbox`) and at most those
//!    pixels (`-x 0 -y 0 -W … -H …`, one more each way for rounding):
//!    whatever it makes of the page's boxes (inherited, malformed, a
//!    /UserUnit), it draws no more, and allocates no more;
//! 3. the image file is read only when its size (from its metadata) is at
//!    most what those pixels take, and never further.
//!
//! The resolution ([`plan`]): a page of a plausible paper size (its
//! shorter side at least [`PAPER_POINTS`]`.0`, its longer at most
//! [`PAPER_POINTS`]`.1`: two to twenty-four inches) is rendered at [`DPI`]
//! of that size, what OCR needs, whatever its image's own resolution (a
//! 200 dpi scan is read at 300, a 600 dpi one at 300). A page whose
//! declared size is absurd — an image saved without its resolution, so
//! that each pixel is a point and an A4 scan at 300 dpi is a page
//! 2,480 × 3,508 pt — says nothing of its printed size: it is rendered at
//! its largest image's own resolution, which gives that image's pixels,
//! and those pixels are taken as a scan at [`DPI`] (the resolution scans
//! are made at; where it is not, text is larger or smaller than usual and
//! still read). The page's points are then 72 / [`DPI`] of a pixel, as
//! for any other scanned page.

use super::image::{self, Grey};
use super::{tesseract, Tools, DPI};
use crate::external::run;
use std::io::Read;
use std::path::Path;

/// A page's size in pixels, as `pdftoppm` is asked to render it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pixels {
    pub width: usize,
    pub height: usize,
}

/// Bytes of a binary netpbm header `pdftoppm` writes, at most (`P6`, the
/// size, the levels: a few dozen).
const HEADER_BYTES: u64 = 64;

/// The shortest and longest side, in points, of a page whose declared
/// size is taken as its printed size (2 and 24 inches: A2 is 23.4).
pub const PAPER_POINTS: (f32, f32) = (144.0, 1728.0);

/// How a scanned page is rendered: at `dpi` of its declared size, into
/// at most `size` pixels, which stand for `printed_dpi` pixels an inch of
/// the printed page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    pub dpi: f32,
    pub printed_dpi: f32,
    pub size: Pixels,
}

impl Plan {
    /// Points of the printed page per pixel of the rendered image.
    pub fn points_per_pixel(&self) -> f32 {
        72.0 / self.printed_dpi
    }
}

/// The plan of a page `width` × `height` points whose largest image has
/// `image_dpi` pixels an inch as drawn (see the module doc), or why it is
/// too large to render (over `max_pixels`, the `ocr-pixels` limit).
pub fn plan(
    width: f32,
    height: f32,
    image_dpi: Option<f32>,
    max_pixels: usize,
) -> Result<Plan, String> {
    plan_at(width, height, image_dpi, DPI as f32, max_pixels)
}

/// [`plan`] at `printed_dpi` instead of [`DPI`] (a page of absurd size:
/// its image's pixels scaled by `printed_dpi` / [`DPI`]).
pub fn plan_at(
    width: f32,
    height: f32,
    image_dpi: Option<f32>,
    printed_dpi: f32,
    max_pixels: usize,
) -> Result<Plan, String> {
    let (short, long) = (width.min(height), width.max(height));
    let paper = short >= PAPER_POINTS.0 && long <= PAPER_POINTS.1;
    let dpi = match image_dpi {
        Some(dpi) if !paper && dpi.is_finite() && dpi > 0.0 => dpi * printed_dpi / DPI as f32,
        _ => printed_dpi,
    };
    Ok(Plan {
        dpi,
        printed_dpi,
        size: pixels(width, height, dpi, max_pixels)?,
    })
}

/// The pixels of a page `width` × `height` points at `dpi`, or why it is
/// too large to render (over `max_pixels`, the `ocr-pixels` limit).
pub fn pixels(width: f32, height: f32, dpi: f32, max_pixels: usize) -> Result<Pixels, String> {
    let at_dpi = |points: f32| (f64::from(points) * f64::from(dpi) / 72.0).ceil();
    let (w, h) = (at_dpi(width), at_dpi(height));
    // NaN is refused too
    if !(w * h <= max_pixels as f64 && w >= 0.0 && h >= 0.0) {
        return Err(format!(
            "the page is too large to render: {w:.0} × {h:.0} pixels at {dpi:.0} dpi, over the limit of {max_pixels} (--limit ocr-pixels=…)"
        ));
    }
    Ok(Pixels {
        width: w as usize + 1,
        height: h as usize + 1,
    })
}

/// Render page `number` with `pdftoppm`, its CropBox at the plan's
/// resolution and at most its pixels, and read it back (a red seal
/// dropped).
pub fn render(
    tools: &Tools,
    pdf: &Path,
    number: u32,
    prefix: &Path,
    plan: &Plan,
) -> Result<Grey, String> {
    let page = number.to_string();
    let size = plan.size;
    run(
        std::process::Command::new(&tools.pdftoppm)
            .args(["-r", &format!("{:.3}", plan.dpi), "-f", &page, "-l", &page])
            .args(["-singlefile", "-cropbox", "-x", "0", "-y", "0"])
            .args([
                "-W",
                &size.width.to_string(),
                "-H",
                &size.height.to_string(),
            ])
            .arg(pdf)
            .arg(prefix),
        tesseract::TIMEOUT,
    )
    .map_err(|e| format!("pdftoppm: {e}"))?;
    let ppm = prefix.with_extension("ppm");
    let image = read_within(&ppm, size);
    let _ = std::fs::remove_file(&ppm);
    image
}

/// The image at `path`, read only when its file is no larger than `size`
/// pixels of colour take.
fn read_within(path: &Path, size: Pixels) -> Result<Grey, String> {
    let pixels = size.width.saturating_mul(size.height);
    let max_bytes = (pixels as u64).saturating_mul(3) + HEADER_BYTES;
    let reading = |e: std::io::Error| format!("reading the rendered page: {e}");
    let file = std::fs::File::open(path).map_err(reading)?;
    let file_bytes = file.metadata().map_err(reading)?.len();
    if file_bytes > max_bytes {
        return Err(format!(
            "the rendered page is {file_bytes} bytes, more than {} × {} pixels take: not read",
            size.width, size.height
        ));
    }
    let mut bytes = Vec::with_capacity(file_bytes as usize);
    file.take(max_bytes)
        .read_to_end(&mut bytes)
        .map_err(reading)?;
    image::read_netpbm(&bytes, pixels).map_err(|e| e.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_measured_in_pixels_and_refused_over_the_limit() {
        let a4 = pixels(595.0, 842.0, 300.0, 60_000_000).unwrap();
        assert_eq!((a4.width, a4.height), (2480 + 1, 3509 + 1));
        let why = pixels(6000.0, 6000.0, 300.0, 60_000_000).unwrap_err();
        assert!(why.contains("25000 × 25000"), "{why}");
        assert!(why.contains("--limit ocr-pixels="), "{why}");
        assert!(pixels(f32::NAN, 842.0, 300.0, 60_000_000).is_err());
        assert!(pixels(f32::INFINITY, 842.0, 300.0, 60_000_000).is_err());
    }

    /// A paper page is read at 300 dpi whatever its image's resolution; a
    /// page as many points as its image has pixels (an A4 landscape scan
    /// at 300 dpi saved at 72: 3,508 × 2,479 pt, its image 72 dpi as
    /// drawn, measured with `pdfimages -list`) at its image's pixels.
    #[test]
    fn the_resolution_is_the_papers_or_the_images() {
        let grey200 = plan(595.3, 841.9, Some(200.0), 60_000_000).unwrap();
        assert_eq!((grey200.dpi, grey200.printed_dpi), (300.0, 300.0));
        let no_dpi = plan(3508.0, 2479.0, Some(72.0), 60_000_000).unwrap();
        assert_eq!(no_dpi.dpi, 72.0);
        assert_eq!(
            (no_dpi.size.width, no_dpi.size.height),
            (3508 + 1, 2479 + 1)
        );
        assert_eq!(no_dpi.points_per_pixel(), 72.0 / 300.0);
        // without an image's resolution the limit still refuses it
        assert!(plan(3508.0, 2479.0, None, 60_000_000).is_err());
        // nor is the limit lifted for an image of too many pixels
        assert!(plan(20_000.0, 20_000.0, Some(72.0), 60_000_000).is_err());
    }

    #[test]
    fn an_image_file_larger_than_its_pixels_take_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.ppm");
        let mut ppm = b"P6\n2 1\n255\n".to_vec();
        ppm.extend([0, 0, 0, 255, 255, 255]);
        std::fs::write(&path, &ppm).unwrap();
        let size = Pixels {
            width: 2,
            height: 1,
        };
        assert_eq!(read_within(&path, size).unwrap().pixels, [0, 255]);
        ppm.extend(vec![0; 100]);
        std::fs::write(&path, &ppm).unwrap();
        let why = read_within(&path, size).unwrap_err();
        assert!(why.contains("not read"), "{why}");
    }
}

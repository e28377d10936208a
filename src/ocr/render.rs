//! Rendering a scanned page within a bound: its pixels counted before
//! `pdftoppm` runs, the image file's size checked before it is read.
//!
//! `pdftoppm` renders a page's MediaBox unless told otherwise, while the
//! decoder measures the CropBox (the page as shown), and the two may
//! differ by any amount: an A4 CropBox on a MediaBox 6000 pt square is an
//! image 25,000 pixels square at 300 dpi, 1.9 GB. So:
//!
//! 1. the page's pixels at [`DPI`] are counted from the box the decoder
//!    measured; a page over the `ocr-pixels` limit is not rendered;
//! 2. `pdftoppm` is told to render that box (`-cropbox`) and at most those
//!    pixels (`-x 0 -y 0 -W … -H …`, one more each way for rounding):
//!    whatever it makes of the page's boxes (inherited, malformed, a
//!    /UserUnit), it draws no more, and allocates no more;
//! 3. the image file is read only when its size (from its metadata) is at
//!    most what those pixels take, and never further.

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

/// The pixels of a page `width` × `height` points at [`DPI`], or why it is
/// too large to render (over `max_pixels`, the `ocr-pixels` limit).
pub fn pixels(width: f32, height: f32, max_pixels: usize) -> Result<Pixels, String> {
    let at_dpi = |points: f32| (f64::from(points) * f64::from(DPI) / 72.0).ceil();
    let (w, h) = (at_dpi(width), at_dpi(height));
    // NaN is refused too
    if !(w * h <= max_pixels as f64 && w >= 0.0 && h >= 0.0) {
        return Err(format!(
            "the page is too large to render: {w:.0} × {h:.0} pixels at {DPI} dpi, over the limit of {max_pixels} (--limit ocr-pixels=…)"
        ));
    }
    Ok(Pixels {
        width: w as usize + 1,
        height: h as usize + 1,
    })
}

/// Render page `number` with `pdftoppm`, its CropBox and at most `size`
/// pixels, and read it back (a red seal dropped).
pub fn render(
    tools: &Tools,
    pdf: &Path,
    number: u32,
    prefix: &Path,
    size: Pixels,
) -> Result<Grey, String> {
    let page = number.to_string();
    run(
        std::process::Command::new(&tools.pdftoppm)
            .args(["-r", &DPI.to_string(), "-f", &page, "-l", &page])
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
        let a4 = pixels(595.0, 842.0, 60_000_000).unwrap();
        assert_eq!((a4.width, a4.height), (2480 + 1, 3509 + 1));
        let why = pixels(6000.0, 6000.0, 60_000_000).unwrap_err();
        assert!(why.contains("25000 × 25000"), "{why}");
        assert!(why.contains("--limit ocr-pixels="), "{why}");
        assert!(pixels(f32::NAN, 842.0, 60_000_000).is_err());
        assert!(pixels(f32::INFINITY, 842.0, 60_000_000).is_err());
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

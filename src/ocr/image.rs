//! A page image in memory: decoded from the netpbm files `pdftoppm`
//! writes (PPM, colour), cleaned (a red seal dropped to white), turned
//! straight (a scan a degree or two off) and written back for Tesseract.

/// A grey image, one byte a pixel (0 black, 255 white), row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Grey {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// Pixels at most this light are ink.
pub const INK: u8 = 150;
/// A page with no pixel darker than this is blank paper: there is nothing
/// for Tesseract to read (light grey print, 200 and darker, is still read).
pub const BLANK: u8 = 200;
/// How much darker than the paper a pixel of a ruling line is at least:
/// a thin rule is rendered light grey, and lighter still when the scan is
/// blurred (a 1-pixel rule of 0 becomes two of 200).
pub const RULE_CONTRAST: u8 = 30;

impl Grey {
    pub fn at(&self, x: usize, y: usize) -> u8 {
        self.pixels[y * self.width + x]
    }

    pub fn is_ink(&self, x: usize, y: usize) -> bool {
        self.at(x, y) <= INK
    }

    /// Whether the image is blank paper: no pixel darker than [`BLANK`].
    pub fn is_blank(&self) -> bool {
        self.pixels.iter().all(|&p| p > BLANK)
    }

    /// The paper's grey: the commonest level among the light pixels (a
    /// sample of them).
    pub fn paper(&self) -> u8 {
        let mut counts = [0usize; 256];
        for &p in self.pixels.iter().step_by(7) {
            counts[p as usize] += 1;
        }
        (128..=255u8)
            .max_by_key(|&v| counts[v as usize])
            .unwrap_or(255)
    }

    /// The level at most which a pixel may be part of a ruling line.
    pub fn rule_ink(&self) -> u8 {
        self.paper().saturating_sub(RULE_CONTRAST).max(INK)
    }

    /// The part of the image from (`x0`, `y0`) to (`x1`, `y1`) (ends
    /// excluded, within the image) inside a white frame `margin` pixels
    /// wide.
    pub fn framed(
        &self,
        (x0, y0): (usize, usize),
        (x1, y1): (usize, usize),
        margin: usize,
    ) -> Grey {
        let (inner, tall) = (x1 - x0, y1 - y0);
        let width = inner + 2 * margin;
        let height = tall + 2 * margin;
        let mut pixels = vec![255u8; width * height];
        for y in y0..y1 {
            let from = y * self.width + x0;
            let to = (y - y0 + margin) * width + margin;
            pixels[to..to + inner].copy_from_slice(&self.pixels[from..from + inner]);
        }
        Grey {
            width,
            height,
            pixels,
        }
    }

    /// The image as binary PGM (P5), for Tesseract.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }

    /// The image turned by `degrees` (counter-clockwise positive) about its
    /// centre, nearest neighbour, white where nothing was.
    pub fn rotated(&self, degrees: f32) -> Grey {
        if degrees.abs() < 0.01 {
            return self.clone();
        }
        let (sin, cos) = degrees.to_radians().sin_cos();
        let (cx, cy) = (self.width as f32 / 2.0, self.height as f32 / 2.0);
        let mut pixels = vec![255u8; self.pixels.len()];
        for y in 0..self.height {
            for x in 0..self.width {
                // the source of output (x, y): turned back by the angle
                let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                let sx = cos * dx - sin * dy + cx;
                let sy = sin * dx + cos * dy + cy;
                if sx >= 0.0 && sy >= 0.0 {
                    let (sx, sy) = (sx as usize, sy as usize);
                    if sx < self.width && sy < self.height {
                        pixels[y * self.width + x] = self.at(sx, sy);
                    }
                }
            }
        }
        Grey {
            width: self.width,
            height: self.height,
            pixels,
        }
    }
}

/// Why an image could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageError(pub String);

/// Read a binary netpbm image (P5 grey or P6 colour, 8 bits), at most
/// `max_pixels` pixels; colour becomes grey, and a red seal's strokes
/// (red well above green and blue) become white so that neither the ruling
/// lines nor the recogniser see them.
pub fn read_netpbm(bytes: &[u8], max_pixels: usize) -> Result<Grey, ImageError> {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if bytes.get(at) == Some(&b'#') {
            while at < bytes.len() && bytes[at] != b'\n' {
                at += 1;
            }
            continue;
        }
        let start = at;
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if start == at {
            return Err(ImageError("a truncated netpbm header".into()));
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).to_string());
    }
    at += 1; // the one whitespace byte before the raster
    let number = |i: usize| -> Result<usize, ImageError> {
        fields[i]
            .parse()
            .map_err(|_| ImageError(format!("a bad netpbm header field {:?}", fields[i])))
    };
    let (width, height, max) = (number(1)?, number(2)?, number(3)?);
    if max != 255 {
        return Err(ImageError(format!(
            "{max} levels: only 8-bit images are read"
        )));
    }
    let pixels = width
        .checked_mul(height)
        .filter(|&n| n <= max_pixels)
        .ok_or_else(|| ImageError(format!("a {width} × {height} image exceeds the limit")))?;
    let channels = match fields[0].as_str() {
        "P5" => 1,
        "P6" => 3,
        other => return Err(ImageError(format!("netpbm type {other} is not read"))),
    };
    let raster = bytes
        .get(at..at + pixels * channels)
        .ok_or_else(|| ImageError("the raster is shorter than its header says".into()))?;
    let grey = if channels == 1 {
        raster.to_vec()
    } else {
        raster
            .chunks_exact(3)
            .map(|p| grey_of(p[0], p[1], p[2]))
            .collect()
    };
    Ok(Grey {
        width,
        height,
        pixels: grey,
    })
}

/// A colour pixel as grey, a seal's red as white.
fn grey_of(r: u8, g: u8, b: u8) -> u8 {
    let (r, g, b) = (r as u32, g as u32, b as u32);
    if r > 120 && r > g + 50 && r > b + 50 {
        return 255;
    }
    ((r * 299 + g * 587 + b * 114) / 1000) as u8
}

/// The angle (degrees, within ±`range`) that turns the page's lines of
/// ink level: the one whose row profile of ink is sharpest (rows of text
/// and ruling lines line up), searched in tenths of a degree on a sample
/// of the image.
pub fn skew(image: &Grey, range: f32) -> f32 {
    const STEP: usize = 4;
    // every row (a rule is two pixels thick), every fourth column
    let ink: Vec<(f32, f32)> = (0..image.height)
        .flat_map(|y| {
            (0..image.width)
                .step_by(STEP)
                .filter(move |&x| image.is_ink(x, y))
                .map(move |x| (x as f32, y as f32))
        })
        .collect();
    if ink.is_empty() {
        return 0.0;
    }
    let steps = (range * 10.0).round() as i32;
    let mut best = (0.0f32, f64::MIN);
    for step in -steps..=steps {
        let degrees = step as f32 / 10.0;
        let slope = degrees.to_radians().tan();
        let mut rows = vec![0u32; image.height + image.width / 10 + 2];
        let offset = (image.width as f32 * slope.abs()) as i64 + 1;
        for &(x, y) in &ink {
            let row = (y - x * slope) as i64 + offset;
            if let Some(slot) = usize::try_from(row).ok().and_then(|r| rows.get_mut(r)) {
                *slot += 1;
            }
        }
        let score: f64 = rows.iter().map(|&n| (n as f64) * (n as f64)).sum();
        if score > best.1 {
            best = (degrees, score);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(width: usize, height: usize) -> Grey {
        Grey {
            width,
            height,
            pixels: vec![255; width * height],
        }
    }

    #[test]
    fn blank_paper_is_told_from_a_page_with_one_mark() {
        let mut page = blank(100, 100);
        page.pixels[5000] = 240;
        assert!(page.is_blank());
        page.pixels[5001] = BLANK;
        assert!(!page.is_blank());
    }

    #[test]
    fn a_seal_is_white_and_ink_is_dark() {
        assert_eq!(grey_of(220, 30, 40), 255);
        assert!(grey_of(20, 20, 20) <= INK);
        assert!(grey_of(250, 250, 250) > INK);
        assert_eq!(grey_of(255, 255, 255), 255);
    }

    #[test]
    fn netpbm_reads_and_refuses_what_it_must() {
        let mut ppm = b"P6\n2 1\n255\n".to_vec();
        ppm.extend([0, 0, 0, 255, 255, 255]);
        let image = read_netpbm(&ppm, 100).unwrap();
        assert_eq!(image.pixels, [0, 255]);
        assert!(read_netpbm(&ppm, 1).is_err());
        assert!(read_netpbm(b"P6\n2 1\n255\n\x00", 100).is_err());
        assert!(read_netpbm(b"P6\n2", 100).is_err());
    }

    #[test]
    fn the_skew_of_a_tilted_rule_is_found() {
        // a long rule rising 1 pixel in 100 (0.57°)
        let mut image = blank(800, 200);
        for x in 0..800 {
            let y = 150 - x / 100;
            image.pixels[y * 800 + x] = 0;
            image.pixels[(y - 1) * 800 + x] = 0;
        }
        let angle = skew(&image, 1.5);
        assert!((angle + 0.6).abs() <= 0.15, "{angle}");
        let straight = image.rotated(angle);
        let left = skew(&straight, 1.5);
        assert!(left.abs() <= 0.15, "{left}");
    }
}

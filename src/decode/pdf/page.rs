//! A page's frame and content before layout: its box and /Rotate (where
//! user space lands on the displayed page), the turn that makes its text
//! run left to right, and its content streams decoded, with what could not
//! be read.

use super::streams::Streams;
use super::{Segment, TextChar};
use lopdf::{Document, ObjectId};

/// `[a b c d e f]`, points transformed as row vectors (`p × M`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Matrix(pub(super) [f32; 6]);

impl Matrix {
    pub(super) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    pub(super) fn then(&self, other: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    pub(super) fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    pub(super) fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }
}

/// A page's content streams, decoded and joined by newlines, with what
/// could not be read: a stream missing, one that does not decode (its raw
/// bytes are not content, so it is left out, not passed on as lopdf
/// would), or the page's content over the size limit.
pub(super) fn page_content(
    doc: &Document,
    page_id: ObjectId,
    limit: usize,
    streams: &mut Streams,
) -> (Vec<u8>, Vec<String>) {
    let mut content = Vec::new();
    let mut problems = Vec::new();
    for id in doc.get_page_contents(page_id) {
        let remaining = limit.saturating_sub(content.len());
        let decoded = streams.decoded(doc, id, limit).and_then(|data| {
            if data.len() > remaining {
                Err(format!(
                    "could not be decoded (over the limit of {remaining} bytes); its content is lost"
                ))
            } else {
                Ok(data)
            }
        });
        match decoded {
            Ok(data) => {
                content.extend_from_slice(&data);
                content.push(b'\n');
            }
            Err(why) => problems.push(format!("content stream {} {} R {why}", id.0, id.1)),
        }
    }
    (content, problems)
}

/// A glyph as shown on the displayed page: where its advance starts and
/// ends (the direction its text runs) and its size.
pub(super) struct Glyph {
    pub(super) text: String,
    pub(super) origin: (f32, f32),
    pub(super) end: (f32, f32),
    pub(super) size: f32,
    /// How much of it the clipping path shows.
    pub(super) shown: super::Shown,
}

/// A quarter turn of the displayed page that makes its text run left to
/// right: a portrait table given /Rotate 90 by a later tool runs down the
/// displayed page, and is read along its text, whatever /Rotate and the
/// content matrices say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Turn {
    /// The text already runs left to right.
    None,
    /// The text runs down the page: turned back a quarter anticlockwise.
    Down,
    /// The text runs right to left, upside down: turned half round.
    Left,
    /// The text runs up the page: turned back a quarter clockwise.
    Up,
}

impl Turn {
    /// The direction most of the glyphs run in (each glyph one vote; a tie
    /// leaves the page as it is displayed).
    pub(super) fn of(glyphs: &[Glyph]) -> Turn {
        let mut votes = [0usize; 4];
        for glyph in glyphs {
            let (dx, dy) = (glyph.end.0 - glyph.origin.0, glyph.end.1 - glyph.origin.1);
            if dx == 0.0 && dy == 0.0 {
                continue;
            }
            let index = match (dx.abs() >= dy.abs(), dx > 0.0, dy > 0.0) {
                (true, true, _) => 0,
                (false, _, true) => 1,
                (true, false, _) => 2,
                (false, _, false) => 3,
            };
            votes[index] += 1;
        }
        let best = (0..4).max_by_key(|&i| (votes[i], i == 0)).unwrap_or(0);
        [Turn::None, Turn::Down, Turn::Left, Turn::Up][best]
    }

    /// The turned page's width and height.
    pub(super) fn size(self, width: f32, height: f32) -> (f32, f32) {
        match self {
            Turn::Down | Turn::Up => (height, width),
            Turn::None | Turn::Left => (width, height),
        }
    }

    /// A point of the displayed page (of this size) on the turned page.
    pub(super) fn point(self, (x, y): (f32, f32), (width, height): (f32, f32)) -> (f32, f32) {
        match self {
            Turn::None => (x, y),
            Turn::Down => (y, width - x),
            Turn::Left => (width - x, height - y),
            Turn::Up => (height - y, x),
        }
    }

    pub(super) fn char(self, glyph: Glyph, page: (f32, f32)) -> TextChar {
        let (origin_x, baseline) = self.point(glyph.origin, page);
        let (end_x, _) = self.point(glyph.end, page);
        TextChar {
            text: glyph.text,
            x0: origin_x.min(end_x),
            x1: origin_x.max(end_x),
            baseline,
            size: glyph.size,
            shown: glyph.shown,
        }
    }

    pub(super) fn segment(self, s: Segment, page: (f32, f32)) -> Segment {
        let (x0, top0) = self.point((s.x0, s.top0), page);
        let (x1, top1) = self.point((s.x1, s.top1), page);
        Segment {
            x0: x0.min(x1),
            top0: top0.min(top1),
            x1: x0.max(x1),
            top1: top0.max(top1),
        }
    }
}

/// A page's box (`llx, lly, urx, ury`) and `/Rotate`: where user space
/// lands on the displayed page, measured from its top left.
#[derive(Clone, Copy)]
pub(super) struct PageFrame {
    pub(super) llx: f32,
    pub(super) lly: f32,
    pub(super) urx: f32,
    pub(super) ury: f32,
    pub(super) rotate: i64,
}

impl PageFrame {
    /// User space → display space as a matrix (for the interpreter).
    pub(super) fn display(self) -> Matrix {
        let PageFrame {
            llx, lly, urx, ury, ..
        } = self;
        match self.rotate {
            90 => Matrix([0.0, 1.0, 1.0, 0.0, -lly, -llx]),
            180 => Matrix([-1.0, 0.0, 0.0, 1.0, urx, -lly]),
            270 => Matrix([0.0, -1.0, -1.0, 0.0, ury, urx]),
            _ => Matrix([1.0, 0.0, 0.0, -1.0, -llx, ury]),
        }
    }

    /// The displayed page's width and height.
    pub(super) fn size(self) -> (f32, f32) {
        let PageFrame {
            llx, lly, urx, ury, ..
        } = self;
        if self.rotate == 90 || self.rotate == 270 {
            (ury - lly, urx - llx)
        } else {
            (urx - llx, ury - lly)
        }
    }

    /// A point of user space on the displayed page.
    pub(super) fn to_display(self, x: f32, y: f32) -> (f32, f32) {
        let PageFrame {
            llx, lly, urx, ury, ..
        } = self;
        match self.rotate {
            90 => (y - lly, x - llx),
            180 => (urx - x, y - lly),
            270 => (ury - y, urx - x),
            _ => (x - llx, ury - y),
        }
    }

    /// A ruling segment on the displayed page, its ends ordered.
    pub(super) fn segment(self, s: Segment) -> Segment {
        let (x0, top0) = self.to_display(s.x0, s.top0);
        let (x1, top1) = self.to_display(s.x1, s.top1);
        Segment {
            x0: x0.min(x1),
            top0: top0.min(top1),
            x1: x0.max(x1),
            top1: top0.max(top1),
        }
    }
}

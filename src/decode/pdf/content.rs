//! The content stream interpreter: graphics state (q/Q, cm), text state
//! (Tc, Tw, Tz, TL, Ts, Tf), text positioning and showing (Tm, Td, TD, T*,
//! Tj, TJ, ', "), Form XObjects (Do with /Matrix and /Resources), and the
//! path operators that draw ruling lines (re, m, l, h, S, s, f, F, f*, B,
//! B*, b, b*, n).

use super::budget::Budget;
use super::font::Font;
use super::lexer::Operations;
use super::page::{page_content, Glyph, Matrix, PageFrame, Turn};
use super::streams::{decode_stream, Streams};
use super::Shown;
use super::{page_box, Limits, PdfPage, Segment};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::rc::Rc;

/// Fonts already built, by object id (or by resource name for direct ones).
#[derive(Default)]
pub struct FontCache {
    by_id: HashMap<ObjectId, Rc<Font>>,
}

/// What the pages of one document share: the fonts built, the streams
/// decoded, and the budget their content is paid from.
pub struct Shared {
    pub fonts: FontCache,
    pub streams: Streams,
    pub budget: Budget,
}

#[derive(Clone)]
struct GraphicsState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    font_size: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal_scale: f32,
    leading: f32,
    rise: f32,
    /// The clipping path's bounding box in user space (`x0, y0, x1, y1`),
    /// when a `W`/`W*` narrowed the page.
    clip: Option<[f32; 4]>,
}

impl GraphicsState {
    /// The state a page's content starts in.
    fn initial() -> GraphicsState {
        GraphicsState {
            ctm: Matrix::IDENTITY,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            clip: None,
        }
    }
}

struct Interpreter<'a> {
    doc: &'a Document,
    limits: &'a Limits,
    shared: &'a mut Shared,
    state: GraphicsState,
    stack: Vec<GraphicsState>,
    text_matrix: Matrix,
    line_matrix: Matrix,
    path: Vec<Vec<(f32, f32)>>,
    rects: Vec<[(f32, f32); 4]>,
    /// A `W`/`W*` seen: the path, when it ends, narrows the clip.
    clip_pending: bool,
    /// The glyphs shown, in display space (the page as /Rotate shows it).
    glyphs: Vec<Glyph>,
    lines: Vec<Segment>,
    images: usize,
    /// The largest image XObject drawn: its area on the page (square
    /// points) and its resolution there (pixels per inch).
    largest_image: Option<(f32, f32)>,
    /// User space → display space (the page's /Rotate applied, `top`
    /// measured down from the top edge).
    display: Matrix,
    operations: usize,
    error: Option<String>,
    skipped: usize,
}

fn operand(operands: &[Object], i: usize) -> f32 {
    operands
        .get(i)
        .and_then(|o| o.as_float().ok())
        .unwrap_or(0.0)
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map(|(_, o)| o).unwrap_or(object)
}

/// Read one page: its characters and lines in display coordinates, its
/// content (and forms) paid for from the document's budget.
pub fn read_page(
    doc: &Document,
    page_id: ObjectId,
    limits: &Limits,
    shared: &mut Shared,
) -> PdfPage {
    let (llx, lly, urx, ury, rotate) = page_box(doc, page_id);
    let frame = PageFrame {
        llx,
        lly,
        urx,
        ury,
        rotate,
    };
    let resources = page_resources(doc, page_id);
    let mut interpreter = Interpreter {
        doc,
        limits,
        shared,
        state: GraphicsState::initial(),
        stack: Vec::new(),
        text_matrix: Matrix::IDENTITY,
        line_matrix: Matrix::IDENTITY,
        path: Vec::new(),
        rects: Vec::new(),
        clip_pending: false,
        glyphs: Vec::new(),
        lines: Vec::new(),
        images: 0,
        largest_image: None,
        operations: 0,
        error: None,
        skipped: 0,
        display: frame.display(),
    };
    let (bytes, problems) = page_content(
        doc,
        page_id,
        limits.max_stream_bytes,
        &mut interpreter.shared.streams,
    );
    interpreter.run(&bytes, &resources, 0);
    if !problems.is_empty() {
        interpreter.error = Some(problems.join("; "));
    }
    // display orientation: apply /Rotate, measure from the top
    // display orientation (/Rotate applied, measured from the top), then
    // turned so that most of the page's text runs left to right
    let turn = Turn::of(&interpreter.glyphs);
    let (width, height) = turn.size(frame.size().0, frame.size().1);
    let chars = interpreter
        .glyphs
        .into_iter()
        .map(|g| turn.char(g, frame.size()))
        .collect();
    let lines = interpreter
        .lines
        .into_iter()
        .map(|s| turn.segment(frame.segment(s), frame.size()))
        .collect();
    PdfPage {
        number: 0,
        images: interpreter.images,
        image_dpi: interpreter.largest_image.map(|(_, dpi)| dpi),
        width,
        height,
        lines,
        chars,
        error: interpreter.error,
        skipped_bytes: interpreter.skipped,
    }
}

/// Copy a dictionary's entries over another's: the later (more specific)
/// one wins. (lopdf's `Dictionary::extend` keeps both values of a repeated
/// key in an array, which is not how resources inherit.)
fn override_keys(target: &mut Dictionary, source: &Dictionary) {
    for (key, value) in source.iter() {
        target.set(key.clone(), value.clone());
    }
}

/// The page's resource dictionary, merged with inherited ones.
fn page_resources(doc: &Document, page_id: ObjectId) -> Dictionary {
    let mut merged = Dictionary::new();
    if let Ok((own, inherited)) = doc.get_page_resources(page_id) {
        for id in inherited.iter().rev() {
            if let Ok(dict) = doc.get_dictionary(*id) {
                override_keys(&mut merged, dict);
            }
        }
        if let Some(own) = own {
            override_keys(&mut merged, own);
        }
    }
    merged
}

impl Interpreter<'_> {
    fn run(&mut self, bytes: &[u8], resources: &Dictionary, depth: usize) {
        if !self.shared.budget.charge_content(bytes.len()) {
            self.stop_for_budget();
            return;
        }
        let mut operations = Operations::new(bytes);
        while let Some((operator, operands)) = operations.next_operation() {
            self.operations += 1;
            if self.operations.is_multiple_of(4096) {
                crate::budget::check();
            }
            if !self.within_limits() {
                return;
            }
            self.operate(operator, operands, resources, depth);
        }
        self.skipped += operations.skipped();
    }

    /// Whether the page may go on: within the operators and characters a
    /// page may have and the characters left to the document; if not, the
    /// page's error says which.
    fn within_limits(&mut self) -> bool {
        if self.operations > self.limits.max_operations_per_page
            || self.glyphs.len() > self.limits.max_chars_per_page
        {
            self.error
                .get_or_insert_with(|| "page content exceeds the operation limit".to_string());
            return false;
        }
        if !self.shared.budget.allows_chars(self.glyphs.len()) {
            self.stop_for_budget();
            return false;
        }
        true
    }

    /// The document's budget is spent: the page says so.
    fn stop_for_budget(&mut self) {
        let why = self.shared.budget.over().unwrap_or("over a limit");
        let error = format!("{why}: the rest of the page was not read");
        self.error.get_or_insert(error);
    }

    fn operate(
        &mut self,
        operator: &str,
        operands: &[Object],
        resources: &Dictionary,
        depth: usize,
    ) {
        if self.text_operator(operator, operands, resources)
            || self.path_operator(operator, operands)
        {
            return;
        }
        let n = |i| operand(operands, i);
        match operator {
            "q" => self.stack.push(self.state.clone()),
            "Q" => {
                if let Some(state) = self.stack.pop() {
                    self.state = state;
                }
            }
            "cm" => {
                self.state.ctm = Matrix([n(0), n(1), n(2), n(3), n(4), n(5)]).then(&self.state.ctm)
            }
            "Do" => self.form(operands.first(), resources, depth),
            "BI" | "EI" => self.images += usize::from(operator == "EI"),
            _ => {}
        }
    }

    /// The text operators (state, positioning, showing); whether it was one.
    fn text_operator(
        &mut self,
        operator: &str,
        operands: &[Object],
        resources: &Dictionary,
    ) -> bool {
        let n = |i| operand(operands, i);
        match operator {
            "BT" => {
                self.text_matrix = Matrix::IDENTITY;
                self.line_matrix = Matrix::IDENTITY;
            }
            "Tf" => {
                self.state.font = operands.first().and_then(|o| self.font(o, resources));
                self.state.font_size = n(1);
            }
            "Tc" => self.state.char_spacing = n(0),
            "Tw" => self.state.word_spacing = n(0),
            "Tz" => self.state.horizontal_scale = n(0) / 100.0,
            "TL" => self.state.leading = n(0),
            "Ts" => self.state.rise = n(0),
            "Td" => self.next_line(n(0), n(1)),
            "TD" => {
                self.state.leading = -n(1);
                self.next_line(n(0), n(1));
            }
            "Tm" => {
                self.text_matrix = Matrix([n(0), n(1), n(2), n(3), n(4), n(5)]);
                self.line_matrix = self.text_matrix;
            }
            "T*" => self.next_line(0.0, -self.state.leading),
            "Tj" => self.show(operands.first()),
            "'" => {
                self.next_line(0.0, -self.state.leading);
                self.show(operands.first());
            }
            "\"" => {
                self.state.word_spacing = n(0);
                self.state.char_spacing = n(1);
                self.next_line(0.0, -self.state.leading);
                self.show(operands.get(2));
            }
            "TJ" => self.show_array(operands.first()),
            _ => return false,
        }
        true
    }

    /// `TJ`: strings shown, numbers moving the text position back by
    /// thousandths of the font size.
    fn show_array(&mut self, operand: Option<&Object>) {
        let Some(Object::Array(items)) = operand else {
            return;
        };
        for item in items {
            match item {
                Object::String(..) => self.show(Some(item)),
                other => {
                    let adjust = other.as_float().unwrap_or(0.0);
                    let tx = -adjust / 1000.0 * self.state.font_size * self.state.horizontal_scale;
                    self.text_matrix = Matrix::translate(tx, 0.0).then(&self.text_matrix);
                }
            }
        }
    }

    /// The path operators (construction and painting), which give the
    /// ruling lines; whether it was one.
    fn path_operator(&mut self, operator: &str, operands: &[Object]) -> bool {
        let n = |i| operand(operands, i);
        match operator {
            "re" => {
                let (x, y, w, h) = (n(0), n(1), n(2), n(3));
                let ctm = self.state.ctm;
                let corners = [
                    ctm.apply(x, y),
                    ctm.apply(x + w, y),
                    ctm.apply(x + w, y + h),
                    ctm.apply(x, y + h),
                ];
                self.rects.push(corners);
            }
            "m" => {
                let point = self.state.ctm.apply(n(0), n(1));
                self.path.push(vec![point]);
            }
            "l" => {
                let point = self.state.ctm.apply(n(0), n(1));
                match self.path.last_mut() {
                    Some(subpath) => subpath.push(point),
                    None => self.path.push(vec![point]),
                }
            }
            "h" => {
                if let Some(subpath) = self.path.last_mut() {
                    if let Some(&first) = subpath.first() {
                        subpath.push(first);
                    }
                }
            }
            "W" | "W*" => self.clip_pending = true,
            "S" | "s" => {
                self.narrow_clip();
                self.paint(true)
            }
            "f" | "F" | "f*" => {
                self.narrow_clip();
                self.paint(false)
            }
            "B" | "B*" | "b" | "b*" => {
                self.narrow_clip();
                self.paint(true)
            }
            "n" => {
                self.narrow_clip();
                self.path.clear();
                self.rects.clear();
            }
            _ => return false,
        }
        true
    }

    /// After `W`/`W*`, the path that ends narrows the clip to the box it
    /// bounds (a rectangle in every report seen; the box of any other shape
    /// is a loose approximation, which only keeps more text visible).
    fn narrow_clip(&mut self) {
        if !std::mem::take(&mut self.clip_pending) {
            return;
        }
        let points = self
            .path
            .iter()
            .flatten()
            .copied()
            .chain(self.rects.iter().flatten().copied());
        let mut bounds: Option<[f32; 4]> = None;
        for (x, y) in points {
            let b = bounds.get_or_insert([x, y, x, y]);
            *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
        let Some(new) = bounds else { return };
        self.state.clip = Some(match self.state.clip {
            Some(old) => [
                old[0].max(new[0]),
                old[1].max(new[1]),
                old[2].min(new[2]),
                old[3].min(new[3]),
            ],
            None => new,
        });
    }

    /// How much of a glyph of this advance (`glyph`: glyph space → user
    /// space) the clip shows: the inked part of its em square (a fifth in
    /// from each side, from just above the baseline to three quarters up)
    /// all inside, all outside, or cut by the clip's edge.
    fn shown(&self, glyph: &Matrix, width: f32) -> Shown {
        let Some([x0, y0, x1, y1]) = self.state.clip else {
            return Shown::Whole;
        };
        let w = (width / 1000.0).max(0.1);
        let inside = [(0.2, 0.05), (0.8, 0.05), (0.2, 0.75), (0.8, 0.75)]
            .map(|(u, v)| glyph.apply(w * u, v))
            .map(|(x, y)| x >= x0 && x <= x1 && y >= y0 && y <= y1);
        match inside.iter().filter(|i| **i).count() {
            4 => Shown::Whole,
            0 => Shown::Hidden,
            _ => Shown::Cut,
        }
    }

    fn next_line(&mut self, tx: f32, ty: f32) {
        self.line_matrix = Matrix::translate(tx, ty).then(&self.line_matrix);
        self.text_matrix = self.line_matrix;
    }

    fn font(&mut self, name: &Object, resources: &Dictionary) -> Option<Rc<Font>> {
        let Object::Name(name) = name else {
            return None;
        };
        let fonts = resources.get(b"Font").ok().map(|o| resolve(self.doc, o))?;
        let Object::Dictionary(fonts) = fonts else {
            return None;
        };
        let entry = fonts.get(name).ok()?;
        let id = match entry {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        if let Some(font) = id.and_then(|id| self.shared.fonts.by_id.get(&id)) {
            return Some(font.clone());
        }
        let Object::Dictionary(dict) = resolve(self.doc, entry) else {
            return None;
        };
        let font = Rc::new(Font::load(self.doc, dict, self.limits.max_stream_bytes));
        if let Some(id) = id {
            self.shared.fonts.by_id.insert(id, font.clone());
        }
        Some(font)
    }

    fn show(&mut self, string: Option<&Object>) {
        let (Some(Object::String(bytes, _)), Some(font)) = (string, self.state.font.clone()) else {
            return;
        };
        // a code is at most 4 bytes: a 60 MB string is not decoded whole
        let left = self
            .limits
            .max_chars_per_page
            .saturating_sub(self.glyphs.len())
            + 1;
        let bytes = &bytes[..bytes.len().min(left.saturating_mul(4))];
        for glyph in font.decode(bytes) {
            if !self.within_limits() {
                return;
            }
            let state = &self.state;
            let size = state.font_size;
            let scale = state.horizontal_scale;
            // glyph space → user space (where the clip is), → display space:
            // origin, end of the advance, and the top of the em square (its
            // distance from the origin is the size)
            let user = Matrix([size * scale, 0.0, 0.0, size, 0.0, state.rise])
                .then(&self.text_matrix)
                .then(&state.ctm);
            let render = user.then(&self.display);
            let (origin_x, baseline) = render.apply(0.0, 0.0);
            let (up_x, up_y) = render.apply(0.0, 1.0);
            let device_size = ((up_x - origin_x).powi(2) + (up_y - baseline).powi(2))
                .sqrt()
                .max(0.1);
            let (end_x, end_y) = render.apply(glyph.width / 1000.0, 0.0);
            let shown = self.shown(&user, glyph.width);
            let mut advance = glyph.width / 1000.0 * size + state.char_spacing;
            if glyph.is_space {
                advance += state.word_spacing;
            }
            self.text_matrix = Matrix::translate(advance * scale, 0.0).then(&self.text_matrix);
            if glyph.text.is_empty() || glyph.text.chars().all(char::is_control) {
                continue;
            }
            self.glyphs.push(Glyph {
                text: glyph.text,
                origin: (origin_x, baseline),
                end: (end_x, end_y),
                size: device_size,
                shown,
            });
        }
    }

    /// Keep the resolution of an image drawn now, when it is the largest
    /// so far: its pixels (`/Width` × `/Height`) over the area the current
    /// matrix gives its unit square on the page.
    fn measure_image(&mut self, dict: &Dictionary) {
        let size = |key: &[u8]| {
            dict.get(key)
                .ok()
                .and_then(|o| resolve(self.doc, o).as_i64().ok())
                .filter(|&v| v > 0)
                .map(|v| v as f64)
        };
        let (Some(width), Some(height)) = (size(b"Width"), size(b"Height")) else {
            return;
        };
        let [a, b, c, d, _, _] = self.state.ctm.0;
        let area = f64::from(a * d - b * c).abs();
        if !(area.is_finite() && area >= 1.0) {
            return;
        }
        let dpi = (72.0 * (width * height / area).sqrt()) as f32;
        if self
            .largest_image
            .is_none_or(|(largest, _)| area as f32 > largest)
        {
            self.largest_image = Some((area as f32, dpi));
        }
    }

    fn form(&mut self, name: Option<&Object>, resources: &Dictionary, depth: usize) {
        if depth >= self.limits.max_form_depth {
            self.error
                .get_or_insert_with(|| "Form XObjects nested deeper than the limit".to_string());
            return;
        }
        let Some(Object::Name(name)) = name else {
            return;
        };
        let Some(Object::Dictionary(xobjects)) =
            resources.get(b"XObject").ok().map(|o| resolve(self.doc, o))
        else {
            return;
        };
        let Ok(entry) = xobjects.get(name) else {
            return;
        };
        let Object::Stream(stream) = resolve(self.doc, entry) else {
            return;
        };
        match stream
            .dict
            .get(b"Subtype")
            .ok()
            .and_then(|o| o.as_name().ok())
        {
            Some(b"Form") => {}
            Some(b"Image") => {
                self.images += 1;
                self.measure_image(&stream.dict);
                return;
            }
            _ => return,
        }
        let max_bytes = self.limits.max_stream_bytes;
        let decoded = match entry {
            Object::Reference(id) => self.shared.streams.decoded(self.doc, *id, max_bytes),
            _ => decode_stream(stream, max_bytes),
        };
        let Ok(bytes) = decoded else {
            return;
        };
        let matrix = match stream
            .dict
            .get(b"Matrix")
            .ok()
            .map(|o| resolve(self.doc, o))
        {
            Some(Object::Array(items)) if items.len() == 6 => {
                let v: Vec<f32> = items.iter().map(|o| o.as_float().unwrap_or(0.0)).collect();
                Matrix([v[0], v[1], v[2], v[3], v[4], v[5]])
            }
            _ => Matrix::IDENTITY,
        };
        let form_resources = match stream
            .dict
            .get(b"Resources")
            .ok()
            .map(|o| resolve(self.doc, o))
        {
            Some(Object::Dictionary(d)) => d.clone(),
            _ => resources.clone(),
        };
        let saved = (self.state.clone(), self.text_matrix, self.line_matrix);
        self.state.ctm = matrix.then(&self.state.ctm);
        self.run(&bytes, &form_resources, depth + 1);
        (self.state, self.text_matrix, self.line_matrix) = saved;
    }

    /// Turn the current path into ruling lines: axis-parallel segments of
    /// stroked paths, edges of stroked rectangles, and thin filled
    /// rectangles (how word processors draw borders).
    fn paint(&mut self, stroke: bool) {
        const THIN: f32 = 2.5;
        for subpath in std::mem::take(&mut self.path) {
            if !stroke && subpath.len() == 5 {
                // a filled closed quadrilateral: treat like a rectangle
                self.rects
                    .push([subpath[0], subpath[1], subpath[2], subpath[3]]);
                continue;
            }
            if !stroke {
                continue;
            }
            for pair in subpath.windows(2) {
                self.push_segment(pair[0], pair[1]);
            }
        }
        for corners in std::mem::take(&mut self.rects) {
            let xs = corners.map(|c| c.0);
            let ys = corners.map(|c| c.1);
            let (x0, x1) = (
                xs.iter().cloned().fold(f32::MAX, f32::min),
                xs.iter().cloned().fold(f32::MIN, f32::max),
            );
            let (y0, y1) = (
                ys.iter().cloned().fold(f32::MAX, f32::min),
                ys.iter().cloned().fold(f32::MIN, f32::max),
            );
            let (w, h) = (x1 - x0, y1 - y0);
            if w <= THIN && h > THIN {
                let x = (x0 + x1) / 2.0;
                self.push_segment((x, y0), (x, y1));
            } else if h <= THIN && w > THIN {
                let y = (y0 + y1) / 2.0;
                self.push_segment((x0, y), (x1, y));
            } else if stroke && w > THIN && h > THIN {
                self.push_segment((x0, y0), (x1, y0));
                self.push_segment((x0, y1), (x1, y1));
                self.push_segment((x0, y0), (x0, y1));
                self.push_segment((x1, y0), (x1, y1));
            }
        }
    }

    fn push_segment(&mut self, a: (f32, f32), b: (f32, f32)) {
        let horizontal = (a.1 - b.1).abs() < 1.0 && (a.0 - b.0).abs() >= 1.0;
        let vertical = (a.0 - b.0).abs() < 1.0 && (a.1 - b.1).abs() >= 1.0;
        if horizontal || vertical {
            // stored in user space; read_page converts to display space
            self.lines.push(Segment {
                x0: a.0,
                top0: a.1,
                x1: b.0,
                top1: b.1,
            });
        }
    }
}

//! Text a PDF page's clipping path keeps from view (`Document::clipped`):
//! the lines the edge of the visible area cuts through, and lines wholly
//! outside it whose text is shown nowhere else in the document. The text
//! stays in the layout (it is in the text layer); the review reports it
//! (`clipped_text`).

use crate::decode::pdf::{PdfPage, Shown, TextChar};
use crate::model::ClippedText;

/// The clipped text of every page that has some a reader would miss.
pub(super) fn clipped_text(pages: &[PdfPage]) -> Vec<ClippedText> {
    // most documents clip nothing: no text of theirs is gathered
    let clips = |page: &PdfPage| page.chars.iter().any(|c| c.shown != Shown::Whole);
    if !pages.iter().any(clips) {
        return Vec::new();
    }
    let shown: String = pages.iter().map(shown_text).collect();
    pages
        .iter()
        .filter_map(|page| page_clipped_text(page, &shown))
        .collect()
}

/// What a page's clipping path keeps from view, as a reader would report
/// it: lines its edge cuts through, and lines wholly hidden whose text the
/// reader sees nowhere in the document (a frame that goes on over the next
/// page repeats its text there; a hidden layer may repeat a later table).
fn page_clipped_text(page: &PdfPage, shown: &str) -> Option<ClippedText> {
    /// Hidden runs looked up in the shown text, at most (a bound on work).
    const LOOKUPS: usize = 500;
    let mut chars: Vec<&TextChar> = page
        .chars
        .iter()
        .filter(|c| c.shown != Shown::Whole && !c.text.trim().is_empty())
        .collect();
    if chars.is_empty() {
        return None;
    }
    chars.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
    let mut lines: Vec<Vec<&TextChar>> = Vec::new();
    for c in chars {
        match lines.last_mut() {
            Some(line) if (c.baseline - line[0].baseline).abs() < c.size * 0.5 => line.push(c),
            _ => lines.push(vec![c]),
        }
    }
    let mut out = ClippedText {
        page: page.number,
        cut: Vec::new(),
        hidden: Vec::new(),
    };
    let mut lookups = 0;
    for mut line in lines {
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let runs = runs_of(&line);
        if line.iter().any(|c| c.shown == Shown::Cut) {
            for run in &runs {
                out.cut
                    .push(format!("{}{}", line_above(page, run), run.text));
            }
            continue;
        }
        let unseen = runs.iter().any(|run| {
            lookups += 1;
            run.text.chars().count() >= 2
                && lookups <= LOOKUPS
                && !shown.contains(run.text.as_str())
        });
        if unseen {
            out.hidden
                .push(runs.iter().map(|r| r.text.as_str()).collect());
        }
    }
    (!out.cut.is_empty() || !out.hidden.is_empty()).then_some(out)
}

/// Characters set close together on one line.
struct Run {
    text: String,
    x0: f32,
    x1: f32,
    baseline: f32,
    size: f32,
}

/// A line's characters as runs of text set close together (a gap wider
/// than half the type size, a cell's border, parts them), whitespace
/// removed.
fn runs_of(line: &[&TextChar]) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for c in line {
        match runs.last_mut() {
            Some(run) if c.x0 - run.x1 <= c.size * 0.5 => run.x1 = c.x1,
            _ => runs.push(Run {
                text: String::new(),
                x0: c.x0,
                x1: c.x1,
                baseline: c.baseline,
                size: c.size,
            }),
        }
        if let Some(run) = runs.last_mut() {
            run.text
                .extend(c.text.chars().filter(|c| !c.is_whitespace()));
        }
    }
    runs.retain(|r| !r.text.is_empty());
    runs
}

/// The shown text of the line just above a run, where it overlaps the
/// run: the start of the cell or paragraph a cut line ends.
fn line_above(page: &PdfPage, run: &Run) -> String {
    let above = |c: &&TextChar| {
        c.shown == Shown::Whole
            && c.baseline < run.baseline - run.size * 0.5
            && c.baseline > run.baseline - run.size * 1.8
            && c.x0 <= run.x1
            && c.x1 >= run.x0
    };
    let Some(nearest) = page
        .chars
        .iter()
        .filter(above)
        .map(|c| c.baseline)
        .max_by(f32::total_cmp)
    else {
        return String::new();
    };
    let mut line: Vec<&TextChar> = page
        .chars
        .iter()
        .filter(|c| c.shown == Shown::Whole && (c.baseline - nearest).abs() < c.size * 0.3)
        .collect();
    line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    runs_of(&line)
        .into_iter()
        .filter(|r| r.x0 <= run.x1 + run.size && r.x1 >= run.x0 - run.size)
        .map(|r| r.text)
        .collect()
}

/// The text a page shows, whitespace removed.
fn shown_text(page: &PdfPage) -> String {
    page.chars
        .iter()
        .filter(|c| c.shown == Shown::Whole)
        .flat_map(|c| c.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect()
}

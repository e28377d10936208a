//! Truncated and corrupted PDFs: no panic escapes, each file gets a status.
//! Built from a small PDF made here (so the test runs on a fresh clone) and,
//! when `../shared/corpus` is present, from a real report.

use crate::common::*;
use gongkai::model::Status;
use gongkai::patterns::Patterns;
use gongkai::pipeline::process_bytes;

/// A one-page PDF with a title and a ruled two-cell table, with a correct
/// cross-reference table.
fn small_pdf() -> Vec<u8> {
    let content = b"BT /F1 12 Tf 72 720 Td (Budget 2024) Tj ET\n\
                    0.5 w 72 600 m 300 600 l S 72 580 m 300 580 l S 72 600 m 72 580 l S 300 600 m 300 580 l S\n\
                    BT /F1 10 Tf 80 585 Td (Total) Tj 120 0 Td (1,234.50) Tj ET\n";
    pdf_with_page(content, "")
}

/// A page shown turned a quarter clockwise (/Rotate 90) whose text is drawn
/// turned back, so that it reads left to right on screen.
fn rotated_pdf() -> Vec<u8> {
    let content =
        b"BT /F1 10 Tf 0 1 -1 0 300 100 Tm (Total) Tj 0 1 -1 0 300 200 Tm (1,234.50) Tj ET\n";
    pdf_with_page(content, "/Rotate 90")
}

fn pdf_with_page(content: &[u8], page_extra: &str) -> Vec<u8> {
    let helvetica =
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
    one_page_pdf(content, page_extra, helvetica, &[])
}

fn assert_survives(name: &str, bytes: &[u8]) {
    let patterns = Patterns::builtin();
    for (what, variant) in corruptions(bytes) {
        let record = process_bytes(&variant, name, &patterns);
        // reaching here is the no-panic half; the other half is that a file
        // not read whole says why
        if record.status != Status::Ok {
            assert!(
                !record.reason.is_empty(),
                "{name}, {what}: status {:?} without a reason",
                record.status
            );
        }
    }
}

#[test]
fn the_small_pdf_reads() {
    let pdf = small_pdf();
    let (_, document) = gongkai::read::read_document(&pdf, &Patterns::builtin())
        .expect("the generated PDF is valid");
    let text = gongkai::layout::pdf::to_tab_layout(&document);
    assert!(text.contains("Budget 2024"), "{text}");
    assert!(text.contains("1,234.50"), "{text}");
}

#[test]
fn a_rotated_page_reads_left_to_right() {
    let (_, document) =
        gongkai::read::read_document(&rotated_pdf(), &Patterns::builtin()).expect("valid PDF");
    let text = gongkai::layout::pdf::to_tab_layout(&document);
    assert!(text.contains("Total 1,234.50"), "{text}");
}

#[test]
fn corrupted_small_pdfs_get_a_status_and_never_panic() {
    assert_survives("small.pdf", &small_pdf());
}

#[test]
fn corrupted_real_reports_get_a_status_and_never_panic() {
    let Some(dir) = shared_corpus("shanghai") else {
        return;
    };
    for name in [
        "shanghai_putuo_zhengfubangongshi_2025_dwys.pdf",
        "shanghai_putuo_caizhengju_2024_bmjs_TESTERRORS.pdf",
    ] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert_survives(name, &bytes);
    }
}

#[test]
fn a_batch_of_broken_pdfs_lists_every_file() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let variants = corruptions(&small_pdf());
    for (i, (_, bytes)) in variants.iter().enumerate() {
        std::fs::write(input.path().join(format!("broken_{i:02}.pdf")), bytes).unwrap();
    }
    gongkai(&[
        "extract",
        input.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    assert_eq!(documents.len(), variants.len());
    assert!(documents.iter().all(|d| !d["status"].is_empty()));
}

/// A text frame clipped at y = 600 (`re W n`): a line its edge cuts
/// through, a line wholly below it whose text is shown nowhere, and one
/// below it that the page shows again in full (a frame going on) — the
/// first two are reported, the third is not; every line stays in the text.
#[test]
fn text_outside_the_clip_is_reported_where_a_reader_misses_it() {
    let content = b"q 0 600 612 192 re W n\n\
        BT /F1 12 Tf 72 700 Td (Shown line) Tj ET\n\
        BT /F1 12 Tf 72 596 Td (Cut line) Tj ET\n\
        BT /F1 12 Tf 72 560 Td (Hidden words) Tj ET\n\
        BT /F1 12 Tf 72 540 Td (Shown line) Tj ET\n\
        Q\n";
    let (_, document) =
        gongkai::read::read_document(&pdf_with_page(content, ""), &Patterns::builtin())
            .expect("valid PDF");
    let text = gongkai::layout::pdf::to_tab_layout(&document);
    assert!(text.contains("Hidden words"), "{text}");
    assert_eq!(
        document.clipped,
        [gongkai::model::ClippedText {
            page: 1,
            cut: vec!["Cutline".to_string()],
            hidden: vec!["Hiddenwords".to_string()],
        }]
    );
}

/// A report over a lowered `pdf-content-bytes` keeps the pages read within
/// it, says which page it ran out on and names the pages left out, with
/// the limit's flag; the whole report is read within the default.
#[test]
fn pages_past_the_content_limit_are_left_out_and_named() {
    let pdf = std::fs::read(repo_root().join("tests/fixtures/seed_libreoffice.pdf")).unwrap();
    let read = |limit: &str| {
        let mut limits = gongkai::limits::Limits::default();
        limits.set(limit).unwrap();
        let (_, document) =
            gongkai::read::read_document_within(&pdf, &Patterns::builtin(), &limits).unwrap();
        document
    };
    let whole = read("pdf-content-bytes=64M");
    assert!(whole.page_issues.is_empty(), "{:?}", whole.page_issues);
    let cut = read("pdf-content-bytes=100K");
    assert_eq!(cut.pages, Some(28), "pages left out are still counted");
    let messages: Vec<(Option<u32>, &str)> = cut
        .page_issues
        .iter()
        .map(|i| (i.page, i.message.as_str()))
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    let (ran_out, left_out) = (messages[0], messages[1]);
    assert!(
        ran_out.1.contains("the rest of the page was not read"),
        "{messages:?}"
    );
    assert_eq!(left_out.0, ran_out.0.map(|p| p + 1));
    let first = ran_out.0.unwrap() + 1;
    assert!(
        left_out
            .1
            .starts_with(&format!("pages {first}–28 not read")),
        "{messages:?}"
    );
    assert!(
        left_out.1.contains("--limit pdf-content-bytes="),
        "{messages:?}"
    );
}

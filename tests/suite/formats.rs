//! Every form a report is published in gives the facts of the report.
//!
//! The seed report rendered by `scripts/render_seed_formats.py` as a web
//! page (UTF-8 and GBK), a Word document, an Excel workbook (a sheet per
//! table, amounts stored as numbers with their number format; XLSX and
//! Excel 97-2003 XLS) and as the
//! layout text `pdftotext -layout` makes of its Chromium PDF gives exactly
//! the seed's facts. Broken and disguised files get a status of their own.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Facts as comparable rows: everything but the file's identity
/// (`doc_id`, `source`) and the page (texts have none, PDFs and layout text
/// have pages). With `paragraph_rows` false, the `row` of narrative figures
/// (the paragraph they are in, which depends on how a format breaks its
/// text into paragraphs) is left out too.
fn facts(dir: &Path, paragraph_rows: bool) -> Vec<BTreeMap<String, String>> {
    read_csv_maps(&dir.join("facts.csv"))
        .into_iter()
        .map(|mut fact| {
            fact.remove("doc_id");
            fact.remove("source");
            fact.remove("page");
            if !paragraph_rows && fact["table"] == "narrative" {
                fact.remove("row");
            }
            fact
        })
        .collect()
}

fn checks(dir: &Path) -> Vec<Vec<String>> {
    read_csv(&dir.join("checks.csv"))
        .into_iter()
        .map(|row| row[2..].to_vec())
        .collect()
}

fn fixture(name: &str) -> std::path::PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

fn document(dir: &Path) -> BTreeMap<String, String> {
    read_csv_maps(&dir.join("documents.csv")).remove(0)
}

#[test]
fn the_seed_as_web_page_word_and_excel_gives_the_seeds_facts_and_checks_exactly() {
    let seed = extract_ok(&seed_path(), &["--no-parquet"]);
    let expected = facts(seed.path(), true);
    assert_eq!(expected.len(), 280);
    for (name, format) in [
        ("seed.html", "html"),
        ("seed_gbk.html", "html"),
        ("seed.docx", "docx"),
        ("seed.xlsx", "xlsx"),
        ("seed.xls", "xls"),
    ] {
        let out = extract_ok(&fixture(name), &["--no-parquet"]);
        assert_eq!(document(out.path())["format"], format, "{name}");
        assert_eq!(document(out.path())["status"], "ok", "{name}");
        assert_eq!(facts(out.path(), true), expected, "{name}: facts differ");
        assert_eq!(
            checks(out.path()),
            checks(seed.path()),
            "{name}: checks differ"
        );
    }
}

#[test]
fn the_seed_as_layout_text_gives_the_seeds_facts() {
    let seed = extract_ok(&seed_path(), &["--no-parquet"]);
    let out = extract_ok(&fixture("seed_layout.txt"), &["--no-parquet"]);
    assert_eq!(document(out.path())["status"], "ok");
    assert_eq!(document(out.path())["pages"], "32"); // as pdfinfo counts the PDF
    assert_eq!(facts(out.path(), false), facts(seed.path(), false));
    // every fact on the page pdftotext put it on: the 收入决算表 on page 5
    let income = read_csv_maps(&out.path().join("facts.csv"))
        .into_iter()
        .find(|f| f["table"] == "income" && f["code"] == "2010350")
        .unwrap();
    assert_eq!(income["page"], "5");
    assert_eq!(income["value"], "228.45");
}

/// The Shanghai 2024 final accounts as `pdftotext -layout` writes them give
/// the PDF's own facts. Needs ../shared and poppler's pdftotext.
#[test]
fn a_real_report_as_pdftotext_layout_gives_the_facts_of_its_pdf() {
    let Some(pdf) = shared_corpus("shanghai/shanghai_putuo_caizhengju_2024_bmjs.pdf") else {
        return;
    };
    let text_dir = tempfile::tempdir().unwrap();
    let text = text_dir.path().join("putuo_2024_final.txt");
    if !pdftotext_layout(&pdf, &text) {
        return;
    }
    let from_pdf = extract_ok(&pdf, &["--no-parquet"]);
    let from_text = extract_ok(&text, &["--no-parquet"]);
    let by_table = |dir: &Path, rows: bool| {
        let mut tables: BTreeMap<String, Vec<BTreeMap<String, String>>> = BTreeMap::new();
        // the review's item-explanation and share figures (`item.*`,
        // `share.*`) are read from paragraphs, which layout text breaks at
        // every printed line: not compared here (tests/suite/review.rs)
        for mut fact in facts(dir, rows)
            .into_iter()
            .filter(|f| !f["line"].starts_with("item.") && !f["line"].starts_with("share."))
        {
            if !rows {
                fact.remove("row");
            }
            tables.entry(fact["table"].clone()).or_default().push(fact);
        }
        tables
    };
    let (pdf_rows, text_rows) = (
        by_table(from_pdf.path(), true),
        by_table(from_text.path(), true),
    );
    // identical, row numbers included
    for table in [
        "summary",
        "income",
        "expenditure",
        "gpb_expenditure",
        "three_public",
    ] {
        assert_eq!(text_rows[table], pdf_rows[table], "{table}");
    }
    assert_eq!(pdf_rows["income"].len(), 45);
    // identical figures, codes, labels and columns everywhere; where a row
    // without figures is split differently (a label wrapped over two lines
    // in 财政拨款收入支出决算总表, the two-line rows of the 基本支出 table) the
    // row numbers move, and narrative figures are numbered by paragraph
    let (pdf_any, text_any) = (
        by_table(from_pdf.path(), false),
        by_table(from_text.path(), false),
    );
    assert_eq!(text_any, pdf_any);
    let total: usize = pdf_any.values().map(Vec::len).sum();
    assert_eq!(total, 202);
}

#[test]
fn broken_and_disguised_files_get_a_status_and_the_run_goes_on() {
    let input = tempfile::tempdir().unwrap();
    let dir = input.path();
    // a zip bomb: one entry inflating far beyond the limit
    std::fs::write(
        dir.join("bomb.docx"),
        zip_with(&[("word/document.xml", &vec![b' '; 200 << 20])]),
    )
    .unwrap();
    // a Word package without its main part
    std::fs::write(
        dir.join("missing_part.docx"),
        zip_with(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/styles.xml", b"<w:styles/>"),
        ]),
    )
    .unwrap();
    // a web page without any table
    std::fs::write(
        dir.join("no_tables.html"),
        "<!doctype html><html><head><meta charset=utf-8></head><body><p>部门简介</p></body></html>",
    )
    .unwrap();
    // a PDF named .docx, and the seed renamed to .xls
    std::fs::copy(
        fixture("seed_chromium_portrait.pdf"),
        dir.join("renamed.docx"),
    )
    .unwrap();
    std::fs::copy(seed_path(), dir.join("seed.xls")).unwrap();
    // a legacy .doc, read only through LibreOffice
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
    doc.resize(4096, 0);
    std::fs::write(dir.join("legacy.doc"), doc).unwrap();

    let (out, output) = extract(dir, &["--no-parquet"]);
    assert_eq!(output.status.code(), Some(1), "some files failed: exit 1");
    let documents: BTreeMap<String, BTreeMap<String, String>> =
        read_csv_maps(&out.path().join("documents.csv"))
            .into_iter()
            .map(|d| (d["source"].clone(), d))
            .collect();
    let status = |name: &str| {
        (
            documents[name]["status"].as_str(),
            documents[name]["reason"].as_str(),
        )
    };

    let (bomb, reason) = status("bomb.docx");
    assert_eq!(bomb, "failed");
    assert!(
        reason.contains("word/document.xml declares 200 MiB inflated, beyond the 128 MiB limit"),
        "{reason}"
    );
    assert!(reason.contains("zip bomb"), "{reason}");

    assert_eq!(
        status("missing_part.docx"),
        (
            "failed",
            "Word package without its main part word/document.xml"
        )
    );
    assert_eq!(
        status("no_tables.html"),
        ("skipped", "no disclosure table found")
    );
    assert_eq!(documents["no_tables.html"]["format"], "html");

    // content decides, not the name
    assert_eq!(documents["renamed.docx"]["format"], "pdf");
    assert_eq!(documents["renamed.docx"]["status"], "ok");
    assert_eq!(documents["renamed.docx"]["facts"], "280");
    assert_eq!(documents["seed.xls"]["format"], "text");
    assert_eq!(documents["seed.xls"]["facts"], "280");

    let (legacy, reason) = status("legacy.doc");
    assert_eq!(documents["legacy.doc"]["format"], "doc");
    if gongkai::read::legacy::converter().is_none() {
        assert_eq!(legacy, "skipped");
        assert!(
            reason.contains("soffice --headless --convert-to docx"),
            "{reason}"
        );
    } else {
        // LibreOffice is here but this is no real document: it says so
        assert!(matches!(legacy, "skipped" | "failed"), "{legacy}: {reason}");
    }
}

/// A ZIP archive of (name, content) entries, deflated.
fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buffer);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, content) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap();
    buffer.into_inner()
}

/// A Word 97–2003 file is read through LibreOffice when it is installed:
/// the seed's DOCX saved as .doc by LibreOffice gives the seed's facts.
#[test]
fn a_legacy_doc_is_read_through_libreoffice_when_installed() {
    let Some(soffice) = gongkai::read::legacy::converter() else {
        skip("LibreOffice (soffice) is not installed (apt-get install libreoffice-writer, or set GONGKAI_SOFFICE)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let made = std::process::Command::new(&soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            dir.path().display()
        ))
        .args(["--headless", "--convert-to", "doc", "--outdir"])
        .arg(dir.path())
        .arg(fixture("seed.docx"))
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let doc = dir.path().join("seed.doc");
    let input = tempfile::tempdir().unwrap();
    std::fs::copy(&doc, input.path().join("seed.doc")).unwrap();
    let out = extract_ok(input.path(), &["--no-parquet"]);
    assert_eq!(document(out.path())["format"], "doc");
    let seed = extract_ok(&seed_path(), &["--no-parquet"]);
    assert_eq!(facts(out.path(), true), facts(seed.path(), true));
}

/// Truncated, bit-flipped and zeroed copies of every new format never make
/// gongkai panic, and each gets a status (a failure says why).
#[test]
fn damaged_packages_and_pages_never_panic() {
    let patterns = gongkai::patterns::Patterns::builtin();
    for name in [
        "seed.docx",
        "seed.xlsx",
        "seed.html",
        "seed_gbk.html",
        "seed_layout.txt",
    ] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        for (what, variant) in corruptions(&bytes) {
            let record = gongkai::pipeline::process_bytes(&variant, name, &patterns);
            if record.status == gongkai::model::Status::Failed {
                assert!(
                    !record.reason.is_empty(),
                    "{name}, {what}: a failure says why"
                );
            }
        }
    }
}

/// How much of the whole corpus the layout-text reader recovers from
/// `pdftotext -layout` dumps, against what the PDF path reads from the PDFs
/// themselves (a fact = table, code, line, column and value). Not every
/// layout is recovered (headers scattered over many lines in some Jiangsu
/// tables); this guards what is (4,271 of 5,210 when written). Needs
/// ../shared and pdftotext.
#[test]
fn the_corpus_as_layout_text_keeps_most_of_its_facts() {
    let Some(corpus) = shared_corpus("") else {
        return;
    };
    let texts = tempfile::tempdir().unwrap();
    let mut pdfs = Vec::new();
    for group in std::fs::read_dir(&corpus).unwrap().flatten() {
        for pdf in std::fs::read_dir(group.path()).unwrap().flatten() {
            pdfs.push(pdf.path());
        }
    }
    for pdf in &pdfs {
        let name = pdf.file_stem().unwrap().to_string_lossy().into_owned();
        if !pdftotext_layout(pdf, &texts.path().join(format!("{name}.txt"))) {
            return;
        }
    }
    let facts_by_stem = |dir: &Path| {
        let mut facts: BTreeMap<(String, [String; 5]), usize> = BTreeMap::new();
        for fact in read_csv_maps(&dir.join("facts.csv")) {
            let stem = Path::new(&fact["source"])
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let key = ["table", "code", "line", "column", "value"].map(|k| fact[k].clone());
            *facts.entry((stem, key)).or_default() += 1;
        }
        facts
    };
    let (from_pdf, _) = extract(&corpus, &["--no-parquet"]);
    let (from_text, _) = extract(texts.path(), &["--no-parquet"]);
    let (pdf, text) = (
        facts_by_stem(from_pdf.path()),
        facts_by_stem(from_text.path()),
    );
    let total: usize = pdf.values().sum();
    let kept: usize = pdf
        .iter()
        .map(|(key, n)| (*n).min(text.get(key).copied().unwrap_or(0)))
        .sum();
    eprintln!(
        "layout text keeps {kept} of the {total} facts of {} PDFs",
        pdfs.len()
    );
    assert!(kept * 100 >= total * 80, "{kept} of {total}");
}

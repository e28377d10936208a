//! Helpers shared by the integration tests: the sample, temporary folders and
//! running the `gongkai` binary (in the manner of ripgrep's `tests/util.rs`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod scans;

pub const SEED_NAME: &str = "liaoning_panjin_dawa_smart_city_2023_final.txt";

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seed_path() -> PathBuf {
    repo_root().join("samples").join(SEED_NAME)
}

pub fn seed_text() -> String {
    std::fs::read_to_string(seed_path()).expect("the seed sample is in samples/")
}

pub fn golden(name: &str) -> PathBuf {
    repo_root().join("tests").join("golden").join(name)
}

/// Compare a produced file with its golden copy; `UPDATE_GOLDEN=1` rewrites
/// the golden copy instead (review the diff by eye before committing it).
pub fn assert_golden(produced: &Path, name: &str) {
    let actual = std::fs::read_to_string(produced).expect("produced file");
    let path = golden(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path).expect("golden file");
    if actual != expected {
        let first_difference = actual
            .lines()
            .zip(expected.lines())
            .enumerate()
            .find(|(_, (a, e))| a != e)
            .map(|(i, (a, e))| format!("line {}:\n  produced: {a}\n  golden:   {e}", i + 1))
            .unwrap_or_else(|| {
                format!(
                    "lengths differ: {} vs {} lines",
                    actual.lines().count(),
                    expected.lines().count()
                )
            });
        panic!(
            "{} differs from tests/golden/{name}: {first_difference}",
            produced.display()
        );
    }
}

pub fn gongkai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .expect("run gongkai")
}

/// `gongkai extract INPUT -o TMP EXTRA…` into a fresh temporary folder.
pub fn extract(input: &Path, extra: &[&str]) -> (tempfile::TempDir, Output) {
    let out = tempfile::tempdir().expect("temporary folder");
    let mut args = vec![
        "extract",
        input.to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = gongkai(&args);
    (out, output)
}

/// As [`extract`], asserting that the run succeeded.
pub fn extract_ok(input: &Path, extra: &[&str]) -> tempfile::TempDir {
    let (out, output) = extract(input, extra);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// Read a CSV file into rows of fields (header included).
pub fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader
        .records()
        .map(|r| r.expect("csv record").iter().map(str::to_string).collect())
        .collect()
}

/// Rows of a CSV as maps from column name to value.
pub fn read_csv_maps(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let rows = read_csv(path);
    let header = rows[0].clone();
    rows[1..]
        .iter()
        .map(|row| header.iter().cloned().zip(row.iter().cloned()).collect())
        .collect()
}

/// Deterministic corruptions of a file: truncations, flipped bytes, zeroed
/// runs, a duplicated middle.
pub fn corruptions(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut variants = Vec::new();
    for percent in [1, 5, 10, 25, 50, 75, 90, 99] {
        let cut = bytes.len() * percent / 100;
        variants.push((format!("truncated at {percent}%"), bytes[..cut].to_vec()));
    }
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..24 {
        let mut copy = bytes.to_vec();
        for _ in 0..(1 + round % 8) {
            let at = (next() as usize) % copy.len();
            copy[at] ^= (next() as u8) | 1;
        }
        variants.push((format!("bytes flipped, round {round}"), copy));
    }
    for start in [bytes.len() / 3, bytes.len() / 2, bytes.len() * 9 / 10] {
        let mut copy = bytes.to_vec();
        let end = (start + 64).min(copy.len());
        copy[start..end].fill(0);
        variants.push((format!("zeroed at {start}"), copy));
    }
    let middle = bytes.len() / 2;
    variants.push((
        "middle duplicated".into(),
        [&bytes[..middle], &bytes[middle / 2..]].concat(),
    ));
    variants
}

/// Say that the running test could not do its work here, and why, where
/// `cargo test` shows it: libtest captures `print!`/`eprint!` of passing
/// tests, not writes to the stderr handle itself. Every test that needs
/// something a machine may lack (the shared corpus beside the repository,
/// poppler's `pdftotext`, LibreOffice) skips through here, so a skipped
/// test is never a silent pass.
pub fn skip(why: &str) {
    use std::io::Write;
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// `../shared/corpus/pdf/<part>`, the published reports read in place; or
/// `None`, with the skip said, when the shared folder is not beside the
/// repository.
pub fn shared_corpus(part: &str) -> Option<PathBuf> {
    shared("corpus/pdf", part)
}

/// `../shared/FOLDER/PART`, or `None`, with the skip said, when absent.
pub fn shared(folder: &str, part: &str) -> Option<PathBuf> {
    let path = repo_root().join("../shared").join(folder).join(part);
    if path.exists() {
        Some(path)
    } else {
        skip(&format!(
            "{} is absent (the shared corpus sits beside the repository)",
            path.display()
        ));
        None
    }
}

/// `pdftotext -layout PDF TEXT`, or `false`, with the skip said, when
/// poppler's pdftotext is not installed (`apt-get install poppler-utils`).
pub fn pdftotext_layout(pdf: &Path, text: &Path) -> bool {
    let made = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg(text)
        .output();
    match made {
        Ok(output) if output.status.success() => true,
        Ok(output) => panic!(
            "pdftotext failed on {}: {}",
            pdf.display(),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(_) => {
            skip("pdftotext is not installed (apt-get install poppler-utils)");
            false
        }
    }
}

/// A one-page PDF with a correct cross-reference table: `content` drawn
/// with `font` as `/F1`; `extra` objects follow as objects 6, 7 … (a
/// ToUnicode CMap the font refers to as `6 0 R`).
pub fn one_page_pdf(content: &[u8], page_extra: &str, font: &str, extra: &[Vec<u8>]) -> Vec<u8> {
    let page = format!(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] {page_extra} /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
    );
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        page.into_bytes(),
        stream_object(content),
        font.as_bytes().to_vec(),
    ];
    objects.extend(extra.iter().cloned());
    pdf_of(&objects)
}

/// A PDF of these objects (numbered from 1, the first the catalog) with a
/// correct cross-reference table.
pub fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        pdf.extend(body);
        pdf.extend(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").into_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    pdf
}

/// A stream object holding `data` unfiltered.
pub fn stream_object(data: &[u8]) -> Vec<u8> {
    [
        format!("<< /Length {} >>\nstream\n", data.len()).into_bytes(),
        data.to_vec(),
        b"\nendstream".to_vec(),
    ]
    .concat()
}

/// A small tab-layout report of one table: title, marker, meta rows
/// (部门：测试局, the year as given, 金额单位：万元), header rows, body rows.
pub fn tab_table(
    title: &str,
    marker: &str,
    year: &str,
    header: &[&[&str]],
    body: &[&[&str]],
) -> String {
    let mut text = format!("{title}\n\t{marker}\n\n\t部门：测试局\n\t{year}\n\t金额单位：万元\n\n");
    for row in header.iter().chain(body) {
        for cell in *row {
            text.push('\t');
            text.push_str(cell);
            text.push('\n');
        }
        text.push('\n');
    }
    text.push_str("说明\n");
    text
}

/// The machine, as the long tests share it. The hostile batch asserts a
/// wall ceiling on itself (issue 25), which measures the batch only when
/// no OCR or browser test runs beside it on the same cores: it takes the
/// machine alone ([`machine_alone`]), every other long test takes a
/// share ([`machine_shared`]) and they run beside one another as before.
static MACHINE: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// Hold the machine alone until the guard is dropped.
pub fn machine_alone() -> std::sync::RwLockWriteGuard<'static, ()> {
    // a test that panicked holding its share leaves the lock poisoned;
    // the machine is free all the same
    MACHINE
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Hold a share of the machine until the guard is dropped.
pub fn machine_shared() -> std::sync::RwLockReadGuard<'static, ()> {
    MACHINE
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

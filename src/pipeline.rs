//! Pipeline: run the stages over many files.
//!
//! Inputs are files and folders; folders are walked recursively (hidden
//! entries skipped) and every file found is an input, sorted by its path
//! relative to the folder given. Each file is processed on its own — decode,
//! layout, detect, parse — in parallel with rayon, and the records are
//! written in input order, so the output does not depend on the number of
//! threads. A file that cannot be read, or whose processing panics, gets a
//! `failed` record; the rest of the batch goes on. Records are written in
//! batches of a few documents per worker, so memory is bounded by the batch,
//! not by the number of inputs.

use crate::check::check;
use crate::decode::{self, DecodeError, Format};
use crate::detect::detect;
use crate::layout;
use crate::model::{CheckStatus, Document, DocumentRecord, FoundTable, Issue, Severity, Status};
use crate::parse::{narrative, parse, performance};
use crate::patterns::Patterns;
use crate::write::Sink;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Files larger than this are refused (runaway or hostile input).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One input file and its name in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// Path relative to the input root, `/` separators.
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub max_file_bytes: u64,
    /// Worker threads; `None` uses every core.
    pub jobs: Option<usize>,
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            jobs: None,
            progress: false,
        }
    }
}

/// Counts for the end-of-run summary and the exit code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub ok: usize,
    pub partial: usize,
    pub failed: usize,
    pub skipped: usize,
    pub facts: usize,
    pub tables: usize,
    pub checks: usize,
    pub checks_failed: usize,
    /// Documents with at least one failed check.
    pub documents_with_failures: usize,
}

impl Summary {
    fn add(&mut self, record: &DocumentRecord) {
        self.files += 1;
        self.facts += record.facts.len();
        self.tables += record.tables.len();
        self.checks += record.checks.len();
        self.checks_failed += record.checks_failed;
        if record.checks_failed > 0 {
            self.documents_with_failures += 1;
        }
        match record.status {
            Status::Ok => self.ok += 1,
            Status::Partial => self.partial += 1,
            Status::Failed => self.failed += 1,
            Status::Skipped => self.skipped += 1,
        }
    }
}

/// Expand files and folders into the sorted list of input files.
pub fn collect_inputs(paths: &[PathBuf]) -> std::io::Result<Vec<InputFile>> {
    let mut inputs = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        if metadata.is_dir() {
            let mut found = Vec::new();
            walk(path, path, &mut found)?;
            found.sort_by(|a: &InputFile, b| a.source.cmp(&b.source));
            inputs.extend(found);
        } else {
            let source = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            inputs.push(InputFile {
                path: path.clone(),
                source,
            });
        }
    }
    Ok(inputs)
}

fn walk(root: &Path, dir: &Path, found: &mut Vec<InputFile>) -> std::io::Result<()> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(root, &path, found)?;
        } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let source = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            found.push(InputFile { path, source });
        }
    }
    Ok(())
}

/// Process every input and push the records into the sink, in input order.
pub fn run(
    inputs: &[InputFile],
    patterns: &Patterns,
    options: &Options,
    sink: &mut dyn Sink,
) -> std::io::Result<Summary> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(std::io::Error::other)?;
    let progress = progress_bar(inputs.len() as u64, options.progress);
    // Documents go through in batches of a few per worker: each batch is
    // processed in parallel and written in input order before the next one
    // starts, so memory holds one batch of records, not the whole run.
    let batch = pool.current_num_threads().max(1) * 4;
    let mut summary = Summary::default();
    for chunk in inputs.chunks(batch) {
        let records: Vec<DocumentRecord> = pool.install(|| {
            chunk
                .par_iter()
                .map(|input| {
                    let record = process_file(input, patterns, options);
                    progress.inc(1);
                    record
                })
                .collect()
        });
        for record in &records {
            summary.add(record);
            sink.document(record)?;
        }
    }
    progress.finish_and_clear();
    Ok(summary)
}

fn progress_bar(len: u64, enabled: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !enabled || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    let style =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// Read and process one file. Never panics: a panic inside the stages
/// becomes a `failed` record naming the file.
pub fn process_file(input: &InputFile, patterns: &Patterns, options: &Options) -> DocumentRecord {
    let started = Instant::now();
    let mut record = match read_limited(&input.path, options.max_file_bytes) {
        Ok(bytes) => {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                process_bytes(&bytes, &input.source, patterns)
            }));
            outcome.unwrap_or_else(|panic| {
                let message = panic_message(&panic);
                let mut record = empty_record(&input.source, &bytes);
                record.status = Status::Failed;
                record.reason = format!("internal error while processing this file: {message}");
                record
            })
        }
        Err(error) => {
            let mut record = empty_record(&input.source, &[]);
            record.sha256.clear();
            record.doc_id.clear();
            record.status = Status::Failed;
            record.reason = error;
            record
        }
    };
    record.elapsed_ms = started.elapsed().as_millis();
    record
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read file: {e}"))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read file: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!("file larger than the {max}-byte limit"));
    }
    Ok(bytes)
}

fn empty_record(source: &str, bytes: &[u8]) -> DocumentRecord {
    let sha256 = hex(&Sha256::digest(bytes));
    DocumentRecord {
        doc_id: sha256[..16].to_string(),
        source: source.to_string(),
        sha256,
        ..DocumentRecord::default()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decode and lay out a file's bytes into the document model.
pub fn read_document(bytes: &[u8]) -> Result<(Format, Document), DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let format = decode::sniff(bytes);
    match format {
        Format::Text => {
            let text = decode::text::decode_text(bytes)?;
            Ok((format, layout::tabbed::layout(&text.text)))
        }
        Format::Pdf => {
            let pdf = decode::pdf::decode(bytes, &decode::pdf::Limits::default())?;
            let mut document = layout::pdf::layout(&pdf);
            document.page_issues = decode::pdf::page_issues(&pdf);
            Ok((format, document))
        }
        other => Err(DecodeError::Unsupported {
            format: other.as_str(),
        }),
    }
}

/// The whole per-document pipeline on bytes already read.
pub fn process_bytes(bytes: &[u8], source: &str, patterns: &Patterns) -> DocumentRecord {
    let mut record = empty_record(source, bytes);
    let document = match read_document(bytes) {
        Ok((format, document)) => {
            record.format = format.as_str().to_string();
            document
        }
        Err(error) => {
            record.format = if bytes.is_empty() {
                String::new()
            } else {
                decode::sniff(bytes).as_str().to_string()
            };
            record.status = match error {
                DecodeError::Unsupported { .. } => Status::Skipped,
                _ => Status::Failed,
            };
            record.reason = error.to_string();
            return record;
        }
    };
    record.pages = document.pages;
    extract(&document, patterns, &mut record);
    record
}

/// Detect and parse the tables of a laid-out document into the record.
pub fn extract(document: &Document, patterns: &Patterns, record: &mut DocumentRecord) {
    let detection = detect(document, patterns);
    record.department = detection.department.clone().unwrap_or_default();
    record.year = detection.year;
    record.report = detection.report;
    record.cover_year = detection.cover_year;
    record.placeholders = detection.placeholders.clone();
    record.year_mentions = detection.year_mentions.clone();
    record.comparisons = narrative::comparisons(document, patterns);
    record.issues.extend(detection.issues.iter().cloned());
    record.issues.extend(document.page_issues.iter().cloned());
    record.facts.extend(narrative::extract(document, patterns));
    record.indicator_tables = performance::extract(document, patterns);
    for hit in &detection.tables {
        let Some(table) = patterns.table(&hit.key) else {
            continue;
        };
        let parsed = parse(hit, table, patterns, detection.report);
        record.tables.push(FoundTable {
            key: hit.key.clone(),
            label: hit.label.clone(),
            number: hit.number.clone(),
            page: hit.page,
            unit: hit.unit,
            facts: parsed.facts.len(),
            year: hit.year,
            department: hit.department.clone(),
            notes: parsed.notes.clone(),
        });
        record.facts.extend(parsed.facts);
        record.issues.extend(parsed.issues);
    }
    year_from_file_name(record);
    settle_status(record);
    if record.status != Status::Skipped {
        record.checks = check(record, patterns);
        record.checks_failed = record
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .count();
    }
}

/// A report whose content states no year (a tables-only file) takes the
/// year from its file name, with a warning saying so.
fn year_from_file_name(record: &mut DocumentRecord) {
    if record.year.is_some() || (record.tables.is_empty() && record.facts.is_empty()) {
        return;
    }
    let name = record.source.rsplit('/').next().unwrap_or(&record.source);
    let digits: Vec<char> = name.chars().collect();
    let year = digits.windows(4).find_map(|w| {
        let text: String = w.iter().collect();
        let year: u16 = text.parse().ok()?;
        (1990..=2099).contains(&year).then_some(year)
    });
    if let Some(year) = year {
        record.year = Some(year);
        record.issues.push(Issue::warning(
            "detect",
            format!("the report states no year: {year} taken from the file name"),
        ));
    }
}

/// Status and reason from what was found and the issues met.
fn settle_status(record: &mut DocumentRecord) {
    let narrative = record.facts.iter().any(|f| f.table == "narrative");
    if record.tables.is_empty() && record.indicator_tables.is_empty() && !narrative {
        record.status = Status::Skipped;
        record.reason = "no disclosure table found".to_string();
        return;
    }
    let errors: Vec<&Issue> = record
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .collect();
    let warnings = record.issues.len() - errors.len();
    record.status = if errors.is_empty() {
        Status::Ok
    } else {
        Status::Partial
    };
    let mut reasons: Vec<String> = errors.iter().take(3).map(|i| i.describe()).collect();
    if errors.len() > 3 {
        reasons.push(format!("and {} more errors", errors.len() - 3));
    }
    if record.tables.is_empty() {
        reasons.push("no disclosure tables in this file: narrative figures only (tables published separately?)".to_string());
    }
    if warnings > 0 {
        reasons.push(format!("{warnings} warnings (see issues.csv)"));
    }
    record.reason = reasons.join("; ");
}

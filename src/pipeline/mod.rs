//! Pipeline: run the stages over many files.
//!
//! Inputs are files and folders; folders are walked recursively (hidden
//! entries skipped) and every file found is an input, sorted by its path
//! relative to the folder given; a library caller may give an input's
//! bytes instead ([`InputFile::from_bytes`]). Each file is processed on its own — decode,
//! layout, detect, parse — in parallel with rayon, and the records are
//! written in input order, so the output does not depend on the number of
//! threads. A file that cannot be read, or whose processing panics, gets a
//! `failed` record; the rest of the batch goes on. Documents are written as
//! soon as those before them are, while the workers go on; a worker never
//! runs more than a small window ahead of the writer, so memory is bounded
//! by that window, not by the number of inputs.

use crate::check::check;
use crate::decode::{self, DecodeError};
use crate::detect::detect;
use crate::limits::Limits;
use crate::model::{CheckStatus, Document, DocumentRecord, FoundTable, Issue, Severity, Status};
use crate::parse::{narrative, parse, performance};
use crate::patterns::Patterns;
use crate::write::{render, DocumentRows, Sink, TableColumns};
use cache::Cache;

pub mod across;
pub mod cache;
mod duplicates;
mod inputs;
pub use inputs::{collect_inputs, collect_inputs_with_list, InputFile};
pub mod lock;
mod merge;
mod ordered;
pub mod publish;
pub mod rerun;
mod shards;
pub use merge::merge;
use sha2::{Digest, Sha256};
pub use shards::{record_run, shard, RunRecord};
use std::borrow::Cow;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::Instant;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// What one document may cost ([`crate::limits`]).
    pub limits: Limits,
    /// Worker threads; `None` uses every core.
    pub jobs: Option<usize>,
    pub progress: bool,
    /// Process every document even when the run cache has its rows.
    pub force: bool,
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
    /// Documents whose rows came from the run cache (not processed again).
    pub cached: usize,
    /// Documents that repeat an earlier report of the batch (`duplicate_of`).
    pub duplicates: usize,
    /// `(input position, source)` of every document, in output order.
    pub manifest: Vec<(usize, String)>,
}

impl Summary {
    /// Count a document from its rows (the same whether it was processed
    /// now or read from the cache).
    pub fn add(&mut self, index: usize, rows: &DocumentRows) {
        use crate::write::rows::{CHECKS, FACTS};
        self.files += 1;
        self.manifest.push((index, rows.source.clone()));
        self.facts += rows.of(FACTS).count();
        self.checks += rows.of(CHECKS).count();
        let Some(document) = rows.document_row() else {
            return;
        };
        self.tables += document.tables().count();
        self.checks_failed += document.checks_failed;
        if document.checks_failed > 0 {
            self.documents_with_failures += 1;
        }
        match document.status {
            Status::Ok => self.ok += 1,
            Status::Partial => self.partial += 1,
            Status::Failed => self.failed += 1,
            Status::Skipped => self.skipped += 1,
        }
    }
}

/// Process every input and push its rows into the sink, in input order.
/// With a cache, documents it holds under the same key are not processed
/// again, and every document processed is stored in it as soon as it is
/// done.
///
/// The workers of a rayon pool take documents in input order and hand
/// their rows to this thread, which writes them in order while the workers
/// go on. A worker does not start a document more than a window of a few
/// documents per worker ahead of the last one written, so memory holds at
/// most that window of documents, not the whole run.
///
/// With one job (`-j 1`, or a machine of one core) there is no pool: this
/// thread reads, checks and writes each document in turn.
pub fn run(
    inputs: &[InputFile],
    patterns: &Patterns,
    options: &Options,
    cache: Option<&Cache>,
    sink: &mut dyn Sink,
) -> std::io::Result<Summary> {
    let tables = crate::write::table_columns(patterns);
    let jobs = options
        .jobs
        .filter(|&n| n > 0)
        .unwrap_or_else(rayon::current_num_threads);
    let progress = progress_bar(inputs.len() as u64, options.progress);
    let mut summary = Summary::default();
    let mut duplicates = duplicates::Duplicates::default();
    if jobs == 1 {
        for input in inputs {
            let (rows, cached) = process_input(input, patterns, options, &tables, cache)?;
            progress.inc(1);
            write_document(
                &mut summary,
                &mut duplicates,
                sink,
                input.index,
                rows,
                cached,
            )?;
        }
        progress.finish_and_clear();
        return Ok(summary);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(std::io::Error::other)?;
    // a few documents per worker ahead of the writer: enough to keep the
    // workers busy, few enough to bound memory
    let window = pool.current_num_threads().max(1) * 4;
    let work = |i: usize| {
        let result = process_input(&inputs[i], patterns, options, &tables, cache);
        progress.inc(1);
        result
    };
    let written = ordered::ordered_map(&pool, inputs.len(), window, work, |i, result| {
        let (rows, cached) = result?;
        write_document(
            &mut summary,
            &mut duplicates,
            sink,
            inputs[i].index,
            rows,
            cached,
        )
    });
    progress.finish_and_clear();
    written.map(|()| summary)
}

/// A document's rows marked when they repeat an earlier report, counted in
/// the summary and handed to the sink.
fn write_document(
    summary: &mut Summary,
    duplicates: &mut duplicates::Duplicates,
    sink: &mut dyn Sink,
    index: usize,
    mut rows: DocumentRows,
    cached: bool,
) -> std::io::Result<()> {
    summary.cached += usize::from(cached);
    summary.duplicates += usize::from(duplicates.mark(&mut rows));
    summary.add(index, &rows);
    sink.document(&rows)
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

/// One input's rows: from the cache when it holds them under this
/// document's key, else processed now (and stored). `true` when cached.
/// Errors are the cache's (an unwritable output folder), never the file's.
fn process_input(
    input: &InputFile,
    patterns: &Patterns,
    options: &Options,
    tables: &TableColumns,
    cache: Option<&Cache>,
) -> std::io::Result<(DocumentRows, bool)> {
    let started = Instant::now();
    let limits = &options.limits;
    let read = match (&input.refused, &input.content) {
        (Some(why), _) => Err(why.clone()),
        (None, Some(bytes)) => within_limit(bytes, limits.file_bytes).map(Cow::Borrowed),
        (None, None) => read_limited(&input.path, limits.file_bytes).map(Cow::Owned),
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(error) => {
            let status = if error.starts_with(NOT_A_FILE) || input.refused.is_some() {
                Status::Skipped
            } else {
                Status::Failed
            };
            let mut record = DocumentRecord {
                source: input.source.clone(),
                status,
                reason: error,
                ..DocumentRecord::default()
            };
            record.elapsed_ms = started.elapsed().as_millis();
            return Ok((render(&record, tables), false));
        }
    };
    let sha256 = hex(&Sha256::digest(&bytes));
    let key = cache::key(&sha256, &patterns.fingerprint, limits);
    if let Some(rows) = cache
        .filter(|_| !options.force)
        .and_then(|c| c.load(&input.source, &key))
    {
        return Ok((rows, true));
    }
    let (mut record, in_time) = process_hashed(&bytes, sha256, &input.source, patterns, limits);
    record.elapsed_ms = started.elapsed().as_millis();
    let rows = render(&record, tables);
    if let Some(cache) = cache.filter(|_| in_time) {
        cache.store(&key, &rows)?;
    }
    Ok((rows, false))
}

/// [`process_bytes`] with the content hash already computed, within the
/// document's time budget, panics caught; `false` when the budget ran out
/// (a result not to be cached: it depends on the machine's load).
fn process_hashed(
    bytes: &[u8],
    sha256: String,
    source: &str,
    patterns: &Patterns,
    limits: &Limits,
) -> (DocumentRecord, bool) {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        crate::budget::within(limits.doc_seconds, || {
            process_with_hash(bytes, sha256.clone(), source, patterns, limits)
        })
    }));
    let failed = |reason: String| {
        let mut record = empty_record(source, sha256.clone());
        record.status = Status::Failed;
        record.reason = reason;
        record
    };
    match outcome {
        Ok(Ok(record)) => (record, true),
        Ok(Err(time_up)) => (failed(time_up.to_string()), false),
        Err(panic) => {
            let message = panic_message(&panic);
            let reason = format!("internal error while processing this file: {message}");
            (failed(reason), true)
        }
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

/// The reason given for an input that is no regular file.
const NOT_A_FILE: &str = "not a regular file";

/// An input's bytes, at most `max`: its size taken from its metadata
/// before anything is read, and a FIFO, device or socket never opened (a
/// FIFO among the inputs would wait forever, holding the folder's lock).
fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot read file: {e}"))?;
    if !metadata.is_file() {
        return Err(format!(
            "{NOT_A_FILE} (a FIFO, device, socket or folder): not opened"
        ));
    }
    if metadata.len() > max {
        return Err(format!(
            "file larger than the {max}-byte limit (--limit file-bytes=…)"
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read file: {e}"))?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read file: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "file larger than the {max}-byte limit (--limit file-bytes=…)"
        ));
    }
    Ok(bytes)
}

/// Bytes given in memory, when within the `file-bytes` limit (refused as
/// a file of them would be).
fn within_limit(bytes: &[u8], max: u64) -> Result<&[u8], String> {
    if bytes.len() as u64 > max {
        return Err(format!(
            "file larger than the {max}-byte limit (--limit file-bytes=…)"
        ));
    }
    Ok(bytes)
}

fn empty_record(source: &str, sha256: String) -> DocumentRecord {
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

/// The whole per-document pipeline on bytes already read.
pub fn process_bytes(bytes: &[u8], source: &str, patterns: &Patterns) -> DocumentRecord {
    let limits = Limits::default();
    process_with_hash(
        bytes,
        hex(&Sha256::digest(bytes)),
        source,
        patterns,
        &limits,
    )
}

fn process_with_hash(
    bytes: &[u8],
    sha256: String,
    source: &str,
    patterns: &Patterns,
    limits: &Limits,
) -> DocumentRecord {
    let mut record = empty_record(source, sha256);
    let document = match crate::read::read_document_within(bytes, patterns, limits) {
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
                DecodeError::Unsupported { .. }
                | DecodeError::NeedsConverter { .. }
                | DecodeError::NotAReport { .. } => Status::Skipped,
                _ => Status::Failed,
            };
            record.reason = error.to_string();
            return record;
        }
    };
    record.pages = document.pages;
    record.ocr_pages = document.ocr_pages.clone();
    crate::budget::check();
    extract(&document, patterns, &mut record);
    if record.facts.len() > limits.facts {
        leave_out_facts_over(limits.facts, &mut record);
    }
    record
}

/// A document with more facts than the `facts` limit keeps the first ones
/// (in document order) and is `partial`, the limit named.
fn leave_out_facts_over(max: usize, record: &mut DocumentRecord) {
    let found = record.facts.len();
    record.facts.truncate(max);
    record.issues.push(Issue::error(
        "parse",
        format!("{found} facts, over the limit of {max}: the facts after the first {max} were left out (--limit facts=…)"),
    ));
    settle_status(record);
}

/// Detect and parse the tables of a laid-out document into the record.
pub fn extract(document: &Document, patterns: &Patterns, record: &mut DocumentRecord) {
    let mut detection = detect(document, patterns);
    if !document.ocr_pages.is_empty() {
        let tables = detection
            .tables
            .iter_mut()
            .map(|hit| (hit.key.as_str(), &mut hit.rows[..]));
        let set_right = crate::ocr::headers::set_right(tables, &document.ocr_pages, patterns);
        record.issues.extend(set_right);
    }
    record.department = detection.department.clone().unwrap_or_default();
    record.identity = detection.identity.clone();
    record.year = detection.year;
    record.report = detection.report;
    record.tables_listed = detection.listed.clone();
    record.cover_year = detection.cover_year;
    record.placeholders = detection.placeholders.clone();
    record.year_mentions = detection.year_mentions.clone();
    record.comparisons = narrative::comparisons(document, patterns);
    record.issues.extend(detection.issues.iter().cloned());
    record.issues.extend(document.page_issues.iter().cloned());
    record.facts.extend(narrative::extract(document, patterns));
    record.indicator_tables = performance::extract(&detection.performance, patterns);
    for hit in &detection.tables {
        crate::budget::check();
        let Some(table) = patterns.table(&hit.key) else {
            continue;
        };
        let parsed = parse(
            hit,
            table,
            patterns,
            detection.report,
            hit.year.or(detection.year),
        );
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
        crate::budget::check();
        let (mut reading, item_facts, item_issues) =
            crate::review::read(document, record, patterns);
        record.facts.extend(item_facts);
        record.issues.extend(item_issues);
        let proofread =
            crate::ocr::proofread::proofread(record, document, patterns, |r| check(r, patterns));
        // figures read by OCR without their keys are taken out: lost
        let lost = proofread.iter().any(|i| i.severity == Severity::Error);
        record.issues.extend(proofread);
        reading.follow_codes_set_right(record);
        if lost {
            settle_status(record);
        }
        let labels = crate::ocr::labels::set_labels_right(record, &document.ocr_pages, patterns);
        record.issues.extend(labels);
        crate::budget::check();
        record.checks = check(record, patterns);
        record.checks_failed = record
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .count();
        let review = crate::review::review(document, record, patterns, &reading);
        record.findings = review.findings;
        record.sections = review.sections;
        record.issues.extend(review.issues);
    }
}

/// A report whose content states no year (a tables-only file) takes the
/// year from its file name, with a warning saying so.
fn year_from_file_name(record: &mut DocumentRecord) {
    if record.year.is_some() || (record.tables.is_empty() && record.facts.is_empty()) {
        return;
    }
    if let Some(year) = crate::detect::year_in_file_name(&record.source) {
        record.year = Some(year);
        record.issues.push(Issue::warning(
            "detect",
            format!("the report states no year: {year} taken from the file name"),
        ));
    }
}

/// Status and reason from what was found and the issues met.
fn settle_status(record: &mut DocumentRecord) {
    let errors: Vec<&Issue> = record
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .collect();
    let narrative = record
        .facts
        .iter()
        .any(|f| f.table == crate::model::NARRATIVE);
    if record.tables.is_empty() && record.indicator_tables.is_empty() && !narrative {
        // with parts that could not be read, the tables may be what was lost
        let unread: Vec<String> = errors
            .iter()
            .filter_map(|i| i.page)
            .map(|p| p.to_string())
            .collect();
        let first: Vec<String> = errors.iter().take(3).map(|i| i.describe()).collect();
        (record.status, record.reason) = match (errors.is_empty(), unread.is_empty()) {
            (true, _) => (Status::Skipped, "no disclosure table found".to_string()),
            (false, true) => (
                Status::Partial,
                format!(
                    "no disclosure table found in what could be read: {}",
                    first.join("; ")
                ),
            ),
            (false, false) => (
                Status::Partial,
                format!(
                    "no disclosure table found in the pages that could be read; page(s) {} could not be: {}",
                    unread.join(", "),
                    first.join("; ")
                ),
            ),
        };
        return;
    }
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

/// What to write into an output folder besides the CSV files.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    pub csv: crate::write::CsvOptions,
    /// Write `facts.parquet` and `tables/*.parquet`.
    pub parquet: bool,
    /// Hive-style partition columns of the Parquet files.
    pub partition: Vec<String>,
}

fn open_sink(
    dir: &Path,
    patterns: &Patterns,
    output: &OutputOptions,
) -> std::io::Result<Box<dyn Sink>> {
    let mut sinks: Vec<Box<dyn Sink>> = vec![
        Box::new(crate::write::CsvSink::create(dir, patterns, output.csv)?),
        Box::new(crate::write::review::ReviewSink::create(dir)),
    ];
    if output.parquet {
        sinks.push(Box::new(crate::write::parquet::ParquetSink::create(
            dir,
            crate::write::table_columns(patterns),
            output.partition.clone(),
        )?));
    }
    Ok(Box::new(crate::write::Tee(sinks)))
}

/// The staged set finished — files, then `datapackage.json`, then the
/// cache's manifest — and published into `dir`; the cache keeps only the
/// entries of the documents published.
fn finish_output(
    staging: publish::Staging,
    sink: Box<dyn Sink>,
    patterns: &Patterns,
    output: &OutputOptions,
    cache: &Cache,
    manifest: &[(usize, String)],
) -> std::io::Result<()> {
    publish::failpoint("written");
    let mut written = sink.finish()?;
    // across reports, once every document is written (and before the
    // package that describes the files)
    written.push(crate::reconcile::into_staged(
        staging.dir(),
        patterns,
        output.csv,
    )?);
    crate::write::datapackage::write(
        staging.dir(),
        &written,
        &crate::write::table_columns(patterns),
        &output.partition,
    )?;
    cache::write_manifest(&staging.dir().join(publish::STAGED_MANIFEST), manifest)?;
    staging.publish()?;
    cache.prune(manifest)
}

/// An output folder is new, empty, or one gongkai wrote (it has
/// `.gongkai/`): a folder of the user's own files is never written into,
/// and so none of them is ever replaced or removed by publishing.
pub(crate) fn refuse_foreign_folder(dir: &Path) -> std::io::Result<()> {
    let Ok(mut entries) = std::fs::read_dir(dir) else {
        return Ok(()); // new (or not a folder: creating it says why)
    };
    if entries.next().is_none() || dir.join(".gongkai").exists() {
        return Ok(());
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!(
            "{}: not empty and not an output folder gongkai wrote (no .gongkai/): refusing to write there; choose a new or empty folder",
            dir.display()
        ),
    ))
}

/// A finished output folder (`datapackage.json` present: one whole run's
/// output, not one mid-publish or not gongkai's), refused otherwise.
pub(crate) fn require_finished(dir: &Path) -> std::io::Result<()> {
    if dir.join("datapackage.json").is_file() && dir.join("documents.csv").is_file() {
        return Ok(());
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!(
            "{}: no datapackage.json: not a finished gongkai output (a run writing it, or killed while publishing: run gongkai check on it to finish)",
            dir.display()
        ),
    ))
}

/// Hold a finished output folder still while it is read, as `site` does:
/// its lock taken (where the folder is writable), refused when it is not
/// a finished output or another run holds it.
pub(crate) fn hold_finished(dir: &Path) -> std::io::Result<Option<lock::OutputLock>> {
    require_finished(dir)?;
    match lock::OutputLock::take(dir) {
        Ok(lock) => Ok(Some(lock)),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => Ok(None),
        Err(e) => Err(e),
    }
}

/// The whole job: process `inputs` into the folder `dir` (CSV, Parquet,
/// `datapackage.json`), reusing and updating the folder's run cache. The
/// files are written into a staging folder and published whole at the end
/// ([`publish`]): `dir` holds the previous output until then.
pub fn extract_into(
    dir: &Path,
    inputs: &[InputFile],
    patterns: &Patterns,
    options: &Options,
    output: &OutputOptions,
) -> std::io::Result<Summary> {
    refuse_foreign_folder(dir)?;
    let _lock = lock::OutputLock::take(dir)?;
    let staging = publish::Staging::begin(dir)?;
    let cache = Cache::open(dir)?;
    let mut sink = open_sink(staging.dir(), patterns, output)?;
    let summary = run(inputs, patterns, options, Some(&cache), sink.as_mut())?;
    finish_output(staging, sink, patterns, output, &cache, &summary.manifest)?;
    Ok(summary)
}

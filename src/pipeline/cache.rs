//! The run cache: what makes runs incremental, restartable and mergeable.
//!
//! Next to its output files, a run keeps in `OUT/.gongkai/`:
//! - `docs/<xx>/<hash of source>.rows.zst`: for every document, the rows it
//!   writes to each output file ([`DocumentRows`]), headed by its key — the
//!   SHA-256 of the file's content, the gongkai version and build (a hash
//!   of its sources), the patterns' fingerprint and the options that change results. Each entry is written
//!   under a temporary name and renamed, as soon as its document is done.
//! - `manifest.csv`: the documents of the last complete run, with their
//!   position in the (unsharded) input list — what `gongkai merge` orders by.
//!
//! A document whose entry has the same key is not read again: its rows are
//! written from the entry. So a second run over the same inputs processes
//! nothing and writes the same bytes, and a run killed at any point (every
//! output file is also written under a temporary name) is finished by the
//! next run, which redoes only the documents whose entries were not yet
//! written. `--force` ignores the entries (and rewrites them). Entries of
//! documents that are no longer inputs are removed at the end of a run.
//!
//! Entry format: zstd-compressed CSV (a document's rows repeat its
//! identity in every row and shrink about tenfold) with records of varying
//! length; the first is `gongkai-rows,<format version>,<key>,<source>`, each
//! further record is `<output name>,<fields…>`, the last `#digest,<SHA-256
//! of the rows>`. An entry is used only when it is whole and its own: the
//! digest matches and every row's `doc_id` and `source` are the entry's
//! (a row edited, cut or added for another document makes it a miss, and
//! the document is read again). Entries of another format version (format 1
//! was uncompressed `.rows`, 2 had no digest) are not read, and removed at
//! the end of the run.

use crate::write::DocumentRows;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

const MAGIC: &str = "gongkai-rows";
const FORMAT_VERSION: &str = "3";
/// The last record of an entry: the digest of the rows before it.
const DIGEST: &str = "#digest";
/// zstd level of the entries: fast, and most of the gain.
const COMPRESSION_LEVEL: i32 = 3;
const MANIFEST_HEADER: [&str; 2] = ["index", "source"];

/// The cache folder of an output folder.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Cache {
    /// The cache of the output folder `output` (created when missing).
    pub fn open(output: &Path) -> io::Result<Cache> {
        let dir = output.join(".gongkai");
        // entries are written and pruned in the folder, never through a link
        super::lock::refuse_link(&dir)?;
        super::lock::refuse_link(&dir.join("docs"))?;
        std::fs::create_dir_all(dir.join("docs"))?;
        Ok(Cache { dir })
    }

    /// The cache of an existing output folder, for reading.
    pub fn existing(output: &Path) -> io::Result<Cache> {
        let dir = output.join(".gongkai");
        if !dir.join("manifest.csv").is_file() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "{}: not a finished gongkai output (no .gongkai/manifest.csv)",
                    output.display()
                ),
            ));
        }
        Ok(Cache { dir })
    }

    pub fn entry_path(&self, source: &str) -> PathBuf {
        let name = hex(&Sha256::digest(source.as_bytes()));
        self.dir
            .join("docs")
            .join(&name[..2])
            .join(format!("{}.rows.zst", &name[..32]))
    }

    /// The rows kept for `source` under `key`, if there are any. A missing,
    /// stale or damaged entry is simply not used.
    pub fn load(&self, source: &str, key: &str) -> Option<DocumentRows> {
        self.read(source, Some(key)).map(|(_, rows)| rows)
    }

    /// The entry of `source`, with its key: read when it is of this format
    /// and this source, and (given `key`) under that key — a stale entry is
    /// not read past its first record.
    fn read(&self, source: &str, key: Option<&str>) -> Option<(String, DocumentRows)> {
        let file = std::fs::File::open(self.entry_path(source)).ok()?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(zstd::Decoder::new(file).ok()?);
        let mut records = reader.records();
        let head = records.next()?.ok()?;
        let found = head.get(2)?.to_string();
        let expected = [MAGIC, FORMAT_VERSION, key.unwrap_or(&found), source];
        if head.len() != 4 || head.iter().zip(expected).any(|(a, b)| a != b) {
            return None;
        }
        let mut rows: Vec<(String, Vec<String>)> = Vec::new();
        let mut digest = None;
        for record in records {
            let record = record.ok()?;
            if digest.is_some() {
                return None; // nothing after the digest
            }
            let mut fields = record.iter().map(str::to_string);
            let output = fields.next()?;
            if output == DIGEST {
                digest = fields.next();
                continue;
            }
            rows.push((output, fields.collect()));
        }
        // the entry's rows are its own document's, as written
        let doc_id = found.get(..16)?;
        let own = rows.iter().all(|(_, fields)| {
            fields.first().map(String::as_str) == Some(doc_id)
                && fields.get(1).map(String::as_str) == Some(source)
        });
        if !own || digest? != rows_digest(&rows) {
            return None;
        }
        let rows = DocumentRows {
            source: source.to_string(),
            rows,
        };
        Some((found, rows))
    }

    /// Keep a document's rows under `key` (temporary file, then rename).
    pub fn store(&self, key: &str, rows: &DocumentRows) -> io::Result<()> {
        let path = self.entry_path(&rows.source);
        let parent = path.parent().expect("entries live in a folder");
        // a link planted in the cache is removed, never written through
        if std::fs::symlink_metadata(parent).is_ok_and(|m| m.file_type().is_symlink()) {
            std::fs::remove_file(parent)?;
        }
        std::fs::create_dir_all(parent)?;
        let temporary = path.with_extension("zst.partial");
        let _ = std::fs::remove_file(&temporary);
        let file = io::BufWriter::new(
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temporary)?,
        );
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(zstd::Encoder::new(file, COMPRESSION_LEVEL)?);
        writer.write_record([MAGIC, FORMAT_VERSION, key, &rows.source])?;
        for (output, fields) in &rows.rows {
            writer.write_record(std::iter::once(output).chain(fields))?;
        }
        writer.write_record([DIGEST, &rows_digest(&rows.rows)])?;
        let encoder = writer.into_inner().map_err(|e| e.into_error())?;
        let mut file = encoder.finish()?;
        io::Write::flush(&mut file)?;
        drop(file);
        std::fs::rename(&temporary, &path)
    }

    /// Remove every entry but those of `documents` (the run just
    /// published).
    pub fn prune(&self, documents: &[(usize, String)]) -> io::Result<()> {
        let keep: HashSet<PathBuf> = documents
            .iter()
            .map(|(_, source)| self.entry_path(source))
            .collect();
        prune(&self.dir.join("docs"), &keep)
    }

    /// The documents of the last finished run: (input position, source).
    pub fn manifest(&self) -> io::Result<Vec<(usize, String)>> {
        let path = self.dir.join("manifest.csv");
        let mut reader = csv::Reader::from_path(&path)
            .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
        let mut documents = Vec::new();
        for record in reader.records() {
            let record =
                record.map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
            let index = record
                .get(0)
                .and_then(|i| i.parse().ok())
                .ok_or_else(|| io::Error::other(format!("{}: bad index", path.display())))?;
            documents.push((index, record.get(1).unwrap_or_default().to_string()));
        }
        Ok(documents)
    }

    /// The entry of `source` whatever its key (for merging finished runs).
    pub fn load_any(&self, source: &str) -> io::Result<(String, DocumentRows)> {
        let path = self.entry_path(source);
        if !path.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{}: no entry for {source}", path.display()),
            ));
        }
        self.read(source, None)
            .ok_or_else(|| io::Error::other(format!("{}: damaged entry", path.display())))
    }
}

/// Write the manifest of a finished run (its documents, with their input
/// positions) to `path`, which [`super::publish`] moves to
/// `.gongkai/manifest.csv` with the rest of the run's output.
pub fn write_manifest(path: &Path, documents: &[(usize, String)]) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_path(path)?;
    writer.write_record(MANIFEST_HEADER)?;
    for (index, source) in documents {
        writer.write_record([index.to_string().as_str(), source])?;
    }
    writer.flush()
}

/// The SHA-256 of an entry's rows, each field and row delimited.
fn rows_digest(rows: &[(String, Vec<String>)]) -> String {
    let mut hasher = Sha256::new();
    for (output, fields) in rows {
        for field in std::iter::once(output).chain(fields) {
            hasher.update(field.as_bytes());
            hasher.update([0x1f]);
        }
        hasher.update([0x1e]);
    }
    hex(&hasher.finalize())
}

/// Remove entries (and leftover temporary files) not in `keep`.
fn prune(dir: &Path, keep: &HashSet<PathBuf>) -> io::Result<()> {
    crate::write::prune_tree(dir, &|path| !keep.contains(path))
}

/// The cache key of a document: content, program and patterns.
pub fn key(sha256: &str, patterns_fingerprint: &str, limits: &crate::limits::Limits) -> String {
    format!(
        "{sha256}:{}:{}:{limits}",
        build_id(),
        &patterns_fingerprint[..16.min(patterns_fingerprint.len())]
    )
}

/// The gongkai version and a hash of the sources it was built from
/// (`build.rs`): a rebuilt gongkai, even with the same version number,
/// never reuses results of another build.
pub fn build_id() -> String {
    format!(
        "{}+{}",
        env!("CARGO_PKG_VERSION"),
        env!("GONGKAI_SOURCE_HASH")
    )
}

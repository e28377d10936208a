//! `gongkai merge`: the output folders of the shares of one run combined
//! into one, as an unsharded run would have written it. The folders are
//! input: their run records must agree ([`super::shards`]), and no
//! document may be in two of them.

use super::cache::Cache;
use super::shards::{complete_shards, one_run, record_run, RunRecord};
use super::{duplicates, finish_output, lock, open_sink, publish, refuse_foreign_folder};
use super::{write_document, OutputOptions, Summary};
use crate::patterns::Patterns;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// `gongkai merge`: combine finished output folders (the shards of one
/// input list) into `dir`, ordered by input position as an unsharded run
/// would be. A document found in two folders is an error: the folders do
/// not come from disjoint shards.
pub fn merge(
    parts: &[PathBuf],
    dir: &Path,
    patterns: &Patterns,
    output: &OutputOptions,
    allow_partial: bool,
) -> std::io::Result<Summary> {
    let records = one_run(parts, &patterns.fingerprint)?;
    let mut documents = Vec::new();
    let mut by_index = HashMap::new();
    let mut by_source = HashMap::new();
    for (part, path) in parts.iter().enumerate() {
        let cache = Cache::existing(path)?;
        for (index, source) in cache.manifest()? {
            let first = [
                by_index.insert(index, part),
                by_source.insert(source.clone(), part),
            ];
            if let Some(other) = first.into_iter().flatten().next() {
                return Err(std::io::Error::other(format!(
                    "{source} (input {index}) is in both {} and {}: merge the outputs of disjoint shards",
                    parts[other].display(),
                    path.display()
                )));
            }
            documents.push((index, source, part));
        }
    }
    documents.sort();
    if !allow_partial {
        complete_shards(&records)?;
    }
    refuse_foreign_folder(dir)?;
    let _lock = lock::OutputLock::take(dir)?;
    let staging = publish::Staging::begin(dir)?;
    let caches: Vec<Cache> = parts
        .iter()
        .map(|p| Cache::existing(p))
        .collect::<std::io::Result<_>>()?;
    let target = Cache::open(dir)?;
    let mut sink = open_sink(staging.dir(), patterns, output)?;
    let mut summary = Summary::default();
    let mut duplicates = duplicates::Duplicates::default();
    for (index, source, part) in &documents {
        let (key, rows) = caches[*part].load_any(source)?;
        target.store(&key, &rows)?;
        write_document(
            &mut summary,
            &mut duplicates,
            sink.as_mut(),
            *index,
            rows,
            false,
        )?;
    }
    finish_output(staging, sink, patterns, output, &target, &summary.manifest)?;
    record_merged_run(dir, &records)?;
    Ok(summary)
}

/// A merge of every share is a run of its own (it may be merged again); a
/// merge of some shares (`--allow-partial`) records none.
fn record_merged_run(dir: &Path, records: &[RunRecord]) -> std::io::Result<()> {
    match records.first() {
        Some(first) if complete_shards(records).is_ok() => record_run(
            dir,
            &RunRecord {
                shard: None,
                ..first.clone()
            },
        ),
        _ => match std::fs::remove_file(dir.join(".gongkai").join("run")) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        },
    }
}

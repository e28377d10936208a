//! Sharding a run over machines: each input's share (a stable hash of its
//! path), the record an output folder keeps of the run that wrote it, and
//! the checks that `merge` is given every share of one run.

use super::InputFile;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The share `k` (1-based) of `n` of the inputs: a file belongs to the
/// share given by a hash of its `source`, so the split is the same on every
/// machine and does not move files between shares when others are added.
pub fn shard(inputs: Vec<InputFile>, k: usize, n: usize) -> Vec<InputFile> {
    inputs
        .into_iter()
        .filter(|input| shard_of(&input.source, n) + 1 == k)
        .collect()
}

fn shard_of(source: &str, n: usize) -> usize {
    let digest = Sha256::digest(source.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    (u64::from_be_bytes(first) % n.max(1) as u64) as usize
}

/// What an output folder records of the run that wrote it
/// (`OUT/.gongkai/run`, `key=value` lines): `merge` takes only folders of
/// one run — one build, one set of patterns, one set of limits, one input
/// list — each a share of one split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    /// `K/N` of `--shard`, or none: the folder holds every input.
    pub shard: Option<(usize, usize)>,
    /// The build that wrote it ([`super::cache::build_id`]).
    pub build: String,
    /// The fingerprint of the patterns.
    pub patterns: String,
    /// The limits (all but the time budget, as in the cache key).
    pub limits: String,
    /// A digest of the whole input list, before the split: every input's
    /// number and source.
    pub inputs: String,
}

impl RunRecord {
    /// The record of a run over `inputs` (the whole list, before `--shard`).
    pub fn new(
        shard: Option<(usize, usize)>,
        patterns: &crate::patterns::Patterns,
        limits: &crate::limits::Limits,
        inputs: &[InputFile],
    ) -> RunRecord {
        let mut digest = Sha256::new();
        for input in inputs {
            digest.update(format!("{}\t{}\n", input.index, input.source).as_bytes());
        }
        RunRecord {
            shard,
            build: super::cache::build_id(),
            patterns: patterns.fingerprint.clone(),
            limits: limits.to_string(),
            inputs: digest
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        }
    }

    fn to_text(&self) -> String {
        let shard = self
            .shard
            .map_or_else(|| "all".to_string(), |(k, n)| format!("{k}/{n}"));
        format!(
            "shard={shard}\nbuild={}\npatterns={}\nlimits={}\ninputs={}\n",
            self.build, self.patterns, self.limits, self.inputs
        )
    }

    /// Parse a record; `None` for anything but the five keys, once each,
    /// with values of one line.
    fn parse(text: &str) -> Option<RunRecord> {
        let mut values = std::collections::BTreeMap::new();
        for line in text.lines() {
            let (key, value) = line.split_once('=')?;
            if values.insert(key, value).is_some() {
                return None;
            }
        }
        let shard = match *values.get("shard")? {
            "all" => None,
            share => {
                let (k, n) = share.split_once('/')?;
                let (k, n) = (k.parse().ok()?, n.parse().ok()?);
                (1..=n).contains(&k).then_some(())?;
                Some((k, n))
            }
        };
        let record = RunRecord {
            shard,
            build: values.get("build")?.to_string(),
            patterns: values.get("patterns")?.to_string(),
            limits: values.get("limits")?.to_string(),
            inputs: values.get("inputs")?.to_string(),
        };
        (values.len() == 5).then_some(record)
    }
}

fn run_file(dir: &Path) -> PathBuf {
    dir.join(".gongkai").join("run")
}

/// Record the run that wrote an output folder.
pub fn record_run(dir: &Path, record: &RunRecord) -> std::io::Result<()> {
    std::fs::write(run_file(dir), record.to_text())
}

/// The record of the run that wrote `dir`: an error naming the file when
/// there is none (an older gongkai's folder) or it does not parse.
fn read_run(dir: &Path) -> std::io::Result<RunRecord> {
    let file = run_file(dir);
    let refused = |why: &str| {
        std::io::Error::other(format!(
            "{}: {why}; merge takes only folders written by extract of this gongkai",
            file.display()
        ))
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refused("no record of the run that wrote the folder"))
        }
        Err(e) => return Err(refused(&e.to_string())),
    };
    RunRecord::parse(&text).ok_or_else(|| refused("not a record of a run"))
}

/// One field of a record, to compare.
type Field = fn(&RunRecord) -> &str;

/// The folders given to `merge` must be shares of one run, made with the
/// patterns `merge` is given: the first record that differs is named,
/// with what differs.
pub(super) fn one_run(parts: &[PathBuf], patterns: &str) -> std::io::Result<Vec<RunRecord>> {
    let records: Vec<RunRecord> = parts
        .iter()
        .map(|p| read_run(p))
        .collect::<std::io::Result<_>>()?;
    let Some(first) = records.first() else {
        return Ok(records);
    };
    if first.patterns != patterns {
        return Err(std::io::Error::other(format!(
            "{} was extracted with other patterns than merge is given (pass the same --patterns)",
            parts[0].display()
        )));
    }
    let fields: [(&str, Field); 4] = [
        ("a different build of gongkai", |r| &r.build),
        ("different patterns", |r| &r.patterns),
        ("different limits", |r| &r.limits),
        ("a different input list", |r| &r.inputs),
    ];
    for (part, record) in parts.iter().zip(&records).skip(1) {
        if let Some((what, _)) = fields.iter().find(|(_, f)| f(record) != f(first)) {
            return Err(std::io::Error::other(format!(
                "{} and {} were written by two runs ({what}): merge takes the shares of one run",
                parts[0].display(),
                part.display()
            )));
        }
    }
    Ok(records)
}

/// The folders of a sharded run must be all N shares of one split.
pub(super) fn complete_shards(records: &[RunRecord]) -> std::io::Result<()> {
    let shards: Vec<Option<(usize, usize)>> = records.iter().map(|r| r.shard).collect();
    let Some(n) = shards.iter().flatten().map(|(_, n)| *n).next() else {
        return Ok(()); // no folder was written by a sharded run
    };
    if shards.iter().any(|s| s.is_none_or(|(_, m)| m != n)) {
        return Err(std::io::Error::other(format!(
            "the folders are not shares of one split into {n}: each must be written by extract --shard K/{n}"
        )));
    }
    let missing: Vec<String> = (1..=n)
        .filter(|k| !shards.iter().flatten().any(|(j, _)| j == k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(std::io::Error::other(format!(
        "shard {} missing: merge all {n} shares, or pass --allow-partial",
        missing.join(", ")
    )))
}

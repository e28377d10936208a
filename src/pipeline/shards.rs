//! Sharding a run over machines: each input's share (a stable hash of its
//! path), the share an output folder records, and the check that `merge`
//! is given every share of one split.

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

/// Where a sharded run records its share: `OUT/.gongkai/shard`, `K/N`.
fn shard_file(dir: &Path) -> PathBuf {
    dir.join(".gongkai").join("shard")
}

/// Record which share of the inputs an output folder holds (`--shard
/// K/N`), or that it holds them all.
pub fn record_shard(dir: &Path, shard: Option<(usize, usize)>) -> std::io::Result<()> {
    match shard {
        Some((k, n)) => std::fs::write(shard_file(dir), format!("{k}/{n}\n")),
        None => match std::fs::remove_file(shard_file(dir)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        },
    }
}

/// The share an output folder holds, if a sharded run wrote it.
fn read_shard(dir: &Path) -> std::io::Result<Option<(usize, usize)>> {
    let text = match std::fs::read_to_string(shard_file(dir)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let parsed = text
        .trim()
        .split_once('/')
        .and_then(|(k, n)| Some((k.parse().ok()?, n.parse().ok()?)));
    parsed
        .map(Some)
        .ok_or_else(|| std::io::Error::other(format!("{}: not K/N", shard_file(dir).display())))
}

/// The folders of a sharded run must be all N shares of one split.
pub(super) fn complete_shards(parts: &[PathBuf]) -> std::io::Result<()> {
    let shards: Vec<Option<(usize, usize)>> = parts
        .iter()
        .map(|p| read_shard(p))
        .collect::<std::io::Result<_>>()?;
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

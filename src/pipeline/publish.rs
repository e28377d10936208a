//! Publishing: an output folder always holds one run's output.
//!
//! A run writes every output file — CSV, Parquet, `tables/`,
//! `datapackage.json` and the cache's manifest — into
//! `OUT/.gongkai/staging/`, where no reader looks. When the set is
//! finished it is published in three steps:
//!
//! 1. **commit**: `staging/` is renamed to `OUT/.gongkai/ready/` (one
//!    atomic rename), holding the list of its entries in `.entries`. From
//!    here on the new output is decided: a run killed later is finished
//!    forward, never rolled back.
//! 2. **move**: `OUT/datapackage.json` is removed first, then the previous
//!    run's entries that the new set does not have (listed in
//!    `OUT/.gongkai/published`), then each entry of the set is renamed into
//!    `OUT/` (a folder such as `tables/` replacing the old one whole), and
//!    the manifest into `OUT/.gongkai/`.
//! 3. **seal**: the list of the new entries is written to
//!    `.gongkai/published`, `datapackage.json` is renamed into place last,
//!    and `ready/` removed.
//!
//! So `datapackage.json` is present exactly when the folder's files are one
//! complete run's output: before the commit it describes the previous
//! output, untouched; during the move (milliseconds) it is absent; after
//! the seal it describes the new one. A POSIX file system cannot rename
//! several files as one, so this is the one moment a reader could see a
//! mix, and the package file says so by its absence.
//!
//! Whatever a killed run left is dealt with by the next command that takes
//! the folder's lock ([`recover`]): a `ready/` set is moved in (the killed
//! run's move finished), a `staging/` folder is removed (that run never
//! finished its output, which stays the previous one), and so are the
//! temporary `*.partial` files of older versions.
//!
//! For tests, `GONGKAI_FAILPOINT=NAME` aborts the process at a named point
//! of this sequence, as `kill -9` would there: `written` (the documents are
//! in staging, its files not finished), `staged` (the set finished, not
//! committed) and `moving` (the first entry of the set moved in).

use std::io;
use std::path::{Path, PathBuf};

const STAGING: &str = "staging";
const READY: &str = "ready";
const ENTRIES: &str = ".entries";
const PUBLISHED: &str = "published";
/// The cache's manifest inside a staged set.
pub const STAGED_MANIFEST: &str = ".manifest.csv";
const PACKAGE: &str = "datapackage.json";

/// Every entry gongkai ever publishes: a name read from a folder's state
/// (`ready/.entries`, `published`) must be one of them, or the folder is
/// refused — a line `../elsewhere` must never name what is moved or removed.
const WRITTEN_ENTRIES: &[&str] = &[
    "facts.csv",
    "documents.csv",
    "checks.csv",
    "issues.csv",
    "indicators.csv",
    "indicator_fields.csv",
    "findings.csv",
    "reconciliation.csv",
    "review.xlsx",
    "facts.parquet",
    "facts",
    "tables",
    PACKAGE,
];

/// The entry names of a state file, each one gongkai writes.
fn checked_names(text: &str, file: &Path) -> io::Result<Vec<String>> {
    text.lines()
        .map(|name| {
            if WRITTEN_ENTRIES.contains(&name) {
                Ok(name.to_string())
            } else {
                Err(super::lock::not_gongkais(
                    file,
                    &format!("a list naming {:?}", crate::parse::quoted(name)),
                ))
            }
        })
        .collect()
}

/// Abort the process here when `GONGKAI_FAILPOINT` names this point.
pub fn failpoint(name: &str) {
    if std::env::var("GONGKAI_FAILPOINT").is_ok_and(|v| v == name) {
        eprintln!("gongkai: failpoint {name}: aborting");
        std::process::abort();
    }
}

/// The staging folder of a run that is writing `out`.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
}

impl Staging {
    /// Finish or clear what an earlier run left (see [`recover`]) and start
    /// an empty staging folder. Call it holding the folder's lock.
    pub fn begin(out: &Path) -> io::Result<Staging> {
        recover(out)?;
        let dir = internal(out).join(STAGING);
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
        })
    }

    /// Where the run writes its files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Commit the finished set and move it into place.
    pub fn publish(self) -> io::Result<()> {
        let entries = self.staged()?;
        self.commit(entries)
    }

    /// Commit a set that replaces some entries of the output (`gongkai
    /// check`: `checks.csv`, `documents.csv`) and keeps the others as they
    /// are: the set's list names them too, so they are neither moved nor
    /// removed. The set holds `datapackage.json`, copied when the run does
    /// not rewrite it, since the move takes the package out first.
    pub fn publish_keeping_the_rest(self) -> io::Result<()> {
        let mut entries = self.staged()?;
        if !entries.iter().any(|e| e == PACKAGE) && self.out.join(PACKAGE).is_file() {
            std::fs::copy(self.out.join(PACKAGE), self.dir.join(PACKAGE))?;
            entries.push(PACKAGE.to_string());
        }
        for kept in published(&self.out)? {
            if !entries.contains(&kept) && std::fs::symlink_metadata(self.out.join(&kept)).is_ok() {
                entries.push(kept);
            }
        }
        entries.sort();
        self.commit(entries)
    }

    /// The entries written into the staging folder, sorted.
    fn staged(&self) -> io::Result<Vec<String>> {
        let mut entries: Vec<String> = std::fs::read_dir(&self.dir)?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with('.'))
            .collect();
        entries.sort();
        Ok(entries)
    }

    fn commit(self, entries: Vec<String>) -> io::Result<()> {
        failpoint("staged");
        write_atomically(&self.dir.join(ENTRIES), &lines(&entries))?;
        std::fs::rename(&self.dir, internal(&self.out).join(READY))?;
        move_in(&self.out)
    }
}

/// Finish the move of a committed set, and remove an uncommitted one and
/// temporary files left by a killed run.
pub fn recover(out: &Path) -> io::Result<()> {
    super::lock::refuse_link(&internal(out).join(STAGING))?;
    if internal(out).join(READY).is_dir() {
        move_in(out)?;
    }
    let staging = internal(out).join(STAGING);
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    remove_partial_files(out)
}

fn internal(out: &Path) -> PathBuf {
    out.join(".gongkai")
}

fn lines(names: &[String]) -> String {
    names.iter().map(|n| format!("{n}\n")).collect()
}

/// Steps 2 and 3 of the module doc; safe to run again after a kill.
fn move_in(out: &Path) -> io::Result<()> {
    let ready = internal(out).join(READY);
    super::lock::refuse_link(&ready)?;
    let list = ready.join(ENTRIES);
    let entries = checked_names(&std::fs::read_to_string(&list)?, &list)?;
    let previous = published(out)?;
    remove_entry(&out.join(PACKAGE))?;
    for old in previous {
        if !entries.contains(&old) {
            remove_entry(&out.join(&old))?;
        }
    }
    let mut moved = 0;
    for entry in entries.iter().filter(|e| *e != PACKAGE) {
        let from = ready.join(entry);
        if !from.exists() {
            continue; // moved before a kill
        }
        remove_entry(&out.join(entry))?;
        std::fs::rename(&from, out.join(entry))?;
        moved += 1;
        if moved == 1 {
            failpoint("moving");
        }
    }
    let manifest = ready.join(STAGED_MANIFEST);
    if manifest.exists() {
        std::fs::rename(&manifest, internal(out).join("manifest.csv"))?;
    }
    write_atomically(&internal(out).join(PUBLISHED), &lines(&entries))?;
    if ready.join(PACKAGE).exists() {
        std::fs::rename(ready.join(PACKAGE), out.join(PACKAGE))?;
    }
    std::fs::remove_dir_all(&ready)
}

/// The entries of the output now in place.
fn published(out: &Path) -> io::Result<Vec<String>> {
    let path = internal(out).join(PUBLISHED);
    match std::fs::read_to_string(&path) {
        Ok(list) => checked_names(&list, &path),
        // a folder of an older version, which kept no list: what it wrote
        Err(_) => Ok(WRITTEN_ENTRIES.iter().map(|s| s.to_string()).collect()),
    }
}

fn remove_entry(path: &Path) -> io::Result<()> {
    let result = match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(_) => return Ok(()),
    };
    result.or_else(|e| match e.kind() {
        io::ErrorKind::NotFound => Ok(()),
        _ => Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
    })
}

/// `*.partial` files of older versions, which wrote in place.
fn remove_partial_files(out: &Path) -> io::Result<()> {
    for dir in [out.to_path_buf(), out.join("tables")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().ends_with(".partial") && entry.path().is_file() {
                std::fs::remove_file(entry.path())?;
            }
        }
    }
    Ok(())
}

fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_default()
    }

    #[test]
    fn a_staged_set_replaces_the_previous_one_whole() {
        let out = tempfile::tempdir().unwrap();
        let out = out.path();
        write(&out.join("facts.csv"), "old");
        write(&out.join("tables/old_table.csv"), "old");
        write(&out.join("facts.parquet"), "old");
        write(&out.join("notes.txt"), "the user's own file");
        let staging = Staging::begin(out).unwrap();
        write(&staging.dir().join("facts.csv"), "new");
        write(&staging.dir().join("tables/new_table.csv"), "new");
        write(&staging.dir().join(PACKAGE), "{}");
        write(&staging.dir().join(STAGED_MANIFEST), "index,source\n");
        staging.publish().unwrap();
        assert_eq!(read(&out.join("facts.csv")), "new");
        assert!(!out.join("tables/old_table.csv").exists());
        assert_eq!(read(&out.join("tables/new_table.csv")), "new");
        assert!(!out.join("facts.parquet").exists(), "a stale entry stays");
        assert_eq!(read(&out.join("notes.txt")), "the user's own file");
        assert_eq!(read(&out.join(PACKAGE)), "{}");
        assert_eq!(read(&out.join(".gongkai/manifest.csv")), "index,source\n");
        assert_eq!(
            read(&out.join(".gongkai/published")),
            "datapackage.json\nfacts.csv\ntables\n"
        );
        assert!(!out.join(".gongkai/ready").exists());
        assert!(!out.join(".gongkai/staging").exists());
    }

    #[test]
    fn a_move_cut_short_is_finished_by_recovery() {
        let out = tempfile::tempdir().unwrap();
        let out = out.path();
        write(&out.join("facts.csv"), "old");
        write(&out.join("checks.csv"), "old");
        write(&out.join(PACKAGE), "old");
        // committed: two entries, one already moved in before a kill
        let ready = out.join(".gongkai/ready");
        write(
            &ready.join(ENTRIES),
            "checks.csv\ndatapackage.json\nfacts.csv\n",
        );
        write(&ready.join("checks.csv"), "new");
        write(&ready.join(PACKAGE), "new");
        write(&out.join("facts.csv"), "new");
        std::fs::remove_file(out.join(PACKAGE)).unwrap();
        // and an unfinished staging folder of a later run
        write(&out.join(".gongkai/staging/facts.csv"), "half");
        recover(out).unwrap();
        assert_eq!(read(&out.join("facts.csv")), "new");
        assert_eq!(read(&out.join("checks.csv")), "new");
        assert_eq!(read(&out.join(PACKAGE)), "new");
        assert!(!out.join(".gongkai/ready").exists());
        assert!(!out.join(".gongkai/staging").exists());
    }
}

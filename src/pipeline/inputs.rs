//! Inputs: the files and folders given, expanded into the numbered list a
//! run processes.
//!
//! - Folders are walked recursively (hidden entries skipped) and every file
//!   found is an input, sorted by its path relative to the folder given;
//!   `--files-from` adds the files a list names.
//! - What is no regular file (a FIFO, a device, a link to nothing) is an
//!   input too, so that documents.csv says why it was not read (it is
//!   never opened).
//! - A link to a folder is followed once: a folder reached a second time
//!   (a loop, or two links to one folder) is listed as `skipped`, saying
//!   so, and not walked again.
//! - A gongkai output folder (one holding `.gongkai/`, the run's own `-o`
//!   included) inside an input folder is not read: its CSV and workbooks
//!   are gongkai's, not reports. It is named on standard error.
//! - A path given twice (a repeated list line, a folder given twice) is one
//!   input.
//! - Every input has its own `source`: where two would share one
//!   (`extract a b`, both holding `report.txt`), each of them takes its path
//!   as given (`a/report.txt`, `b/report.txt`), so a fact, a check and a
//!   cache entry belong to one file.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// One input file and its name in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// Path relative to the input root, `/` separators.
    pub source: String,
    /// Position in the whole input list (before `--shard`): the output
    /// order, and what `gongkai merge` orders shard outputs by.
    pub index: usize,
    /// Why it is listed but not read (a folder reached twice), if so.
    pub refused: Option<String>,
    /// The file's bytes, when the caller holds them already (a library
    /// user's upload, a Spark partition): `path` is then not read.
    pub content: Option<Arc<[u8]>>,
}

impl InputFile {
    fn new(path: PathBuf, source: String) -> InputFile {
        InputFile {
            path,
            source,
            index: 0,
            refused: None,
            content: None,
        }
    }

    /// An input given as bytes, named `source` in the output; processed
    /// exactly as a file of these bytes would be (the `file-bytes` limit
    /// included).
    pub fn from_bytes(source: &str, bytes: impl Into<Arc<[u8]>>) -> InputFile {
        InputFile {
            content: Some(bytes.into()),
            ..InputFile::new(PathBuf::from(source), source.to_string())
        }
    }
}

/// Expand files and folders into the sorted list of input files, numbered.
pub fn collect_inputs(paths: &[PathBuf]) -> std::io::Result<Vec<InputFile>> {
    collect_inputs_with_list(paths, None, None)
}

/// Files and folders given as arguments, then the files listed one per
/// line in `list` (`--files-from`: blank lines and lines starting with `#`
/// skipped; a listed file's `source` is its path as listed). `output`, the
/// run's output folder, is never read as input.
pub fn collect_inputs_with_list(
    paths: &[PathBuf],
    list: Option<&str>,
    output: Option<&Path>,
) -> std::io::Result<Vec<InputFile>> {
    let mut walker = Walker {
        output: output.and_then(|o| std::fs::canonicalize(o).ok()),
        ..Walker::default()
    };
    let mut inputs = Vec::new();
    for path in paths {
        inputs.extend(walker.argument(path)?);
    }
    for line in list.unwrap_or_default().lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let source = line.replace('\\', "/").trim_start_matches("./").to_string();
        inputs.push(InputFile::new(PathBuf::from(line), source));
    }
    let mut inputs = once_each(inputs);
    sources_of_their_own(&mut inputs);
    for (index, input) in inputs.iter_mut().enumerate() {
        input.index = index;
    }
    Ok(inputs)
}

/// The inputs with a path given twice kept once, at its first place.
fn once_each(inputs: Vec<InputFile>) -> Vec<InputFile> {
    let mut seen = HashSet::new();
    inputs
        .into_iter()
        .filter(|input| seen.insert(normal(&input.path)))
        .collect()
}

/// A path with its `.` components and repeated separators dropped.
fn normal(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// Inputs that share a `source` each take their path as given.
fn sources_of_their_own(inputs: &mut [InputFile]) {
    let mut count: HashMap<String, usize> = HashMap::new();
    for input in inputs.iter() {
        *count.entry(input.source.clone()).or_default() += 1;
    }
    for input in inputs.iter_mut() {
        if count[&input.source] > 1 {
            input.source = slash_path(&normal(&input.path));
        }
    }
}

fn slash_path(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| match c {
            Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    parts.join("/")
}

/// A walk over the arguments, remembering the folders it has been in.
#[derive(Default)]
struct Walker {
    output: Option<PathBuf>,
    walked: HashSet<PathBuf>,
}

impl Walker {
    /// One argument: a folder's files, or the file itself.
    fn argument(&mut self, path: &Path) -> std::io::Result<Vec<InputFile>> {
        let metadata = std::fs::metadata(path)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        if !metadata.is_dir() {
            let source = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            return Ok(vec![InputFile::new(path.to_path_buf(), source)]);
        }
        let mut found = Vec::new();
        let given_before =
            std::fs::canonicalize(path).is_ok_and(|real| self.walked.contains(&real));
        if !given_before && self.enter(path, path, &mut found) {
            self.walk(path, path, &mut found)?;
        }
        found.sort_by(|a, b| a.source.cmp(&b.source));
        Ok(found)
    }

    /// Whether to walk the folder `dir`: not when it was walked before
    /// (listed as refused instead) or is a gongkai output (named on
    /// standard error).
    fn enter(&mut self, root: &Path, dir: &Path, found: &mut Vec<InputFile>) -> bool {
        let Ok(real) = std::fs::canonicalize(dir) else {
            return true;
        };
        if self.output.as_ref() == Some(&real) || dir.join(".gongkai").is_dir() {
            eprintln!(
                "gongkai: {} is a gongkai output folder: not read as input",
                dir.display()
            );
            return false;
        }
        if self.walked.insert(real.clone()) {
            return true;
        }
        let mut refused = InputFile::new(dir.to_path_buf(), relative_source(root, dir));
        refused.refused = Some(format!(
            "a link to a folder read already ({}): not read twice",
            real.display()
        ));
        found.push(refused);
        false
    }

    fn walk(&mut self, root: &Path, dir: &Path, found: &mut Vec<InputFile>) -> std::io::Result<()> {
        for path in entries_links_last(dir)? {
            // a link is followed to what it names: a folder is walked
            // (once), anything else listed
            if path.is_dir() {
                if self.enter(root, &path, found) {
                    self.walk(root, &path, found)?;
                }
            } else {
                // a file, or what is listed to say why it is not read (a
                // FIFO, a device, a link to nothing): never left out
                // without a word
                found.push(InputFile::new(path.clone(), relative_source(root, &path)));
            }
        }
        Ok(())
    }
}

/// The entries of `dir` but hidden ones, by name, the links after the
/// rest: a folder is walked under its own name before under a link's.
fn entries_links_last(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let listed = std::fs::read_dir(dir)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
    let mut entries = Vec::new();
    for entry in listed {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let link = entry.file_type()?.is_symlink();
        entries.push((link, entry.path()));
    }
    entries.sort();
    Ok(entries.into_iter().map(|(_, path)| path).collect())
}

/// `path` relative to the folder given, `/` separators.
fn relative_source(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(inputs: &[InputFile]) -> Vec<&str> {
        inputs.iter().map(|i| i.source.as_str()).collect()
    }

    /// `extract a b`, both holding `report.txt`: two inputs, two sources.
    #[test]
    fn two_files_of_one_name_keep_their_folders() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["a", "b"] {
            std::fs::create_dir(dir.path().join(folder)).unwrap();
            std::fs::write(dir.path().join(folder).join("report.txt"), folder).unwrap();
        }
        std::fs::write(dir.path().join("a/only.txt"), "x").unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        let inputs = collect_inputs(&[a.clone(), b.clone()]).unwrap();
        let expected = [
            "only.txt".to_string(),
            slash_path(&a.join("report.txt")),
            slash_path(&b.join("report.txt")),
        ];
        assert_eq!(
            sources(&inputs),
            expected.iter().map(String::as_str).collect::<Vec<_>>()
        );
        assert_eq!(
            inputs.iter().map(|i| i.index).collect::<Vec<_>>(),
            [0, 1, 2]
        );
    }

    #[test]
    fn a_path_given_twice_is_one_input() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.txt");
        std::fs::write(&file, "x").unwrap();
        let list = format!("{0}\n{0}\n", file.display());
        let inputs =
            collect_inputs_with_list(&[dir.path().to_path_buf()], Some(&list), None).unwrap();
        assert_eq!(sources(&inputs), ["report.txt"]);
        let inputs = collect_inputs(&[dir.path().to_path_buf(), dir.path().join(".")]).unwrap();
        assert_eq!(inputs.len(), 1);
    }

    /// A link back up (a loop) and a second link to one folder are listed,
    /// refused, not walked again; the folder's file is read once.
    #[cfg(unix)]
    #[test]
    fn a_linked_folder_is_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        let reports = dir.path().join("reports");
        std::fs::create_dir_all(reports.join("2024")).unwrap();
        std::fs::write(reports.join("2024/a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(&reports, reports.join("2024/loop")).unwrap();
        std::os::unix::fs::symlink(reports.join("2024"), reports.join("latest")).unwrap();
        let inputs = collect_inputs(std::slice::from_ref(&reports)).unwrap();
        assert_eq!(sources(&inputs), ["2024/a.txt", "2024/loop", "latest"]);
        assert!(inputs[0].refused.is_none());
        for refused in &inputs[1..] {
            assert!(refused.refused.as_deref().unwrap().contains("read already"));
        }
    }

    /// A folder linked from outside the input is followed.
    #[cfg(unix)]
    #[test]
    fn a_link_to_a_folder_elsewhere_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("b.txt"), "x").unwrap();
        let input = dir.path().join("input");
        std::fs::create_dir(&input).unwrap();
        std::os::unix::fs::symlink(&elsewhere, input.join("linked")).unwrap();
        let inputs = collect_inputs(&[input]).unwrap();
        assert_eq!(sources(&inputs), ["linked/b.txt"]);
    }

    /// An output folder inside the input (this run's, or any gongkai
    /// wrote) is not read.
    #[test]
    fn an_output_folder_inside_the_input_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("report.txt"), "x").unwrap();
        for output in ["out", "old_run"] {
            std::fs::create_dir_all(dir.path().join(output).join("tables")).unwrap();
            std::fs::write(dir.path().join(output).join("facts.csv"), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("old_run/.gongkai")).unwrap();
        let out = dir.path().join("out");
        let inputs = collect_inputs_with_list(
            std::slice::from_ref(&dir.path().to_path_buf()),
            None,
            Some(&out),
        )
        .unwrap();
        assert_eq!(sources(&inputs), ["report.txt"]);
    }
}

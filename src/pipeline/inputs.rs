//! Inputs: the files and folders given, expanded into the numbered list a
//! run processes. Folders are walked recursively (hidden entries skipped)
//! and every file found is an input, sorted by its path relative to the
//! folder given; `--files-from` adds the files a list names. What is no
//! regular file (a FIFO, a device, a link to nothing) is an input too, so
//! that documents.csv says why it was not read (it is never opened); a link
//! to a folder is not followed yet.

use std::path::{Path, PathBuf};

/// One input file and its name in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// Path relative to the input root, `/` separators.
    pub source: String,
    /// Position in the whole input list (before `--shard`): the output
    /// order, and what `gongkai merge` orders shard outputs by.
    pub index: usize,
}

/// Expand files and folders into the sorted list of input files, numbered.
pub fn collect_inputs(paths: &[PathBuf]) -> std::io::Result<Vec<InputFile>> {
    let mut inputs = collect_unnumbered(paths)?;
    number(&mut inputs);
    Ok(inputs)
}

fn number(inputs: &mut [InputFile]) {
    for (index, input) in inputs.iter_mut().enumerate() {
        input.index = index;
    }
}

/// Files and folders given as arguments, then the files listed one per
/// line in `list` (`--files-from`: blank lines and lines starting with `#`
/// skipped; a listed file's `source` is its path as listed).
pub fn collect_inputs_with_list(
    paths: &[PathBuf],
    list: Option<&str>,
) -> std::io::Result<Vec<InputFile>> {
    let mut inputs = collect_unnumbered(paths)?;
    for line in list.unwrap_or_default().lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        inputs.push(InputFile {
            path: PathBuf::from(line),
            source: line.replace('\\', "/").trim_start_matches("./").to_string(),
            index: 0,
        });
    }
    number(&mut inputs);
    Ok(inputs)
}

fn collect_unnumbered(paths: &[PathBuf]) -> std::io::Result<Vec<InputFile>> {
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
                index: 0,
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
        } else if !(kind.is_symlink() && path.is_dir()) {
            // a file, or what is listed to say why it is not read (a FIFO,
            // a device, a link to nothing): never left out without a word
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let source = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            found.push(InputFile {
                path,
                source,
                index: 0,
            });
        }
    }
    Ok(())
}

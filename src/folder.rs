//! An output folder's state is input (issue 25): what gongkai refuses to
//! find in it. Below every stage, so that the writers and the pipeline
//! guard the folder alike.

use std::io;
use std::path::Path;

/// A folder's state that gongkai did not write: refused, never repaired.
pub(crate) fn not_gongkais(path: &Path, what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "{}: {what}, which gongkai never writes there: not an output folder gongkai wrote; refused",
            path.display()
        ),
    )
}

/// Refuse a path of the folder's state that is a symbolic link (it would
/// lead gongkai's writes and removals out of the folder).
pub(crate) fn refuse_link(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(not_gongkais(path, "a symbolic link")),
        _ => Ok(()),
    }
}

//! One writer per output folder: a run takes an OS file lock on
//! `OUT/.gongkai/lock` before it writes anything, and holds it until it
//! ends — the lock goes with the process, also when it is killed. A second
//! run on the folder is refused at once, naming the holder's pid and start
//! time (written into the lock file), instead of interleaving two runs'
//! bytes in one folder. The lock file and `.gongkai/` are never followed
//! through a symbolic link: a folder whose state is a link is refused.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// The lock on an output folder, released when dropped.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
}

impl OutputLock {
    /// Take the folder's lock, or say who holds it.
    pub fn take(output: &Path) -> io::Result<OutputLock> {
        let dir = output.join(".gongkai");
        refuse_link(&dir)?;
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("lock");
        // created or opened where it is, never followed to another file
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)
            .map_err(|e| match e.raw_os_error() {
                Some(libc::ELOOP) => not_gongkais(&path, "a symbolic link"),
                _ => e,
            })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim().replace('\n', ", ");
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "another gongkai run is writing {} ({holder}): wait for it to end, or write elsewhere",
                        output.display()
                    ),
                ));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        file.set_len(0)?;
        file.rewind()?;
        write!(
            file,
            "pid {}\nstarted {started} (seconds since 1970)\n",
            std::process::id()
        )?;
        file.flush()?;
        Ok(OutputLock { _file: file })
    }
}

pub(crate) use crate::folder::{not_gongkais, refuse_link};

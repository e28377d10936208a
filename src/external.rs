//! External programs a reader may use when they are installed (LibreOffice
//! for `.doc`, poppler's `pdftoppm` and Tesseract for scans): finding one,
//! a scratch folder for its files, and running it under a time limit.

use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The program named by the environment variable `variable` (when it names
/// a file), else the first of `names` on the `PATH`.
pub fn find_program(variable: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(program) = std::env::var_os(variable) {
        let program = PathBuf::from(program);
        return program.is_file().then_some(program);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// A scratch folder of its own (parallel runs do not collide), removed
/// when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A new folder under the system's temporary folder, named for `kind`.
    pub fn new(kind: &str) -> std::io::Result<Scratch> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "gongkai-{kind}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Why a program gave no result.
#[derive(Debug)]
pub enum RunError {
    /// It could not be started.
    Spawn(std::io::Error),
    /// It ended unsuccessfully.
    Failed(ExitStatus),
    /// It ran past the time limit and was stopped.
    TimedOut(Duration),
    /// Waiting for it, or reading its output, failed.
    Wait(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Spawn(e) => write!(f, "could not be started: {e}"),
            RunError::Failed(status) => write!(f, "exited with {status}"),
            RunError::TimedOut(limit) => write!(f, "no result within {} s", limit.as_secs()),
            RunError::Wait(e) => f.write_str(e),
        }
    }
}

/// Run `command` to its end within `timeout` (stopped when it runs over),
/// standard input and error closed; its standard output.
pub fn run(command: &mut Command, timeout: Duration) -> Result<Vec<u8>, RunError> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(RunError::Spawn)?;
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut out).map(|_| out)
    });
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(Some(status)) => return Err(RunError::Failed(status)),
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::TimedOut(timeout));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(RunError::Wait(e.to_string())),
        }
    }
    reader
        .join()
        .map_err(|_| RunError::Wait("its output could not be read".to_string()))?
        .map_err(|e| RunError::Wait(e.to_string()))
}

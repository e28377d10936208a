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
        static SWEPT: std::sync::Once = std::sync::Once::new();
        SWEPT.call_once(|| remove_scratch_of_ended_runs(&std::env::temp_dir()));
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

/// Remove the scratch folders (`gongkai-KIND-PID-…`) of gongkai runs that
/// ended without removing them (killed): those whose process is gone.
/// A link is never followed; what cannot be removed is left.
fn remove_scratch_of_ended_runs(temp: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(scratch_pid) else {
            continue;
        };
        let is_folder = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_folder && !process_alive(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The process id in a scratch folder's name `gongkai-KIND-PID-N-NANOS`.
fn scratch_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix("gongkai-")?;
    let parts: Vec<&str> = rest.split('-').collect();
    let [kind, pid, n, nanos] = parts[..] else {
        return None;
    };
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (!kind.is_empty() && numeric(n) && numeric(nanos))
        .then(|| pid.parse().ok())
        .flatten()
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    // SAFETY: signal 0 only asks whether the process exists
    let sent = unsafe { libc::kill(pid, 0) };
    sent == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
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
///
/// The document's time budget ([`crate::budget`]) shortens `timeout` to
/// what is left of it; when the program is stopped because the budget ran
/// out, the document's work is ended there ([`crate::budget::check`]).
/// On Linux the program is killed with gongkai: it is asked to receive
/// SIGKILL when the thread that started it ends, so a gongkai killed
/// mid-run leaves no pdftoppm or Tesseract running.
pub fn run(command: &mut Command, timeout: Duration) -> Result<Vec<u8>, RunError> {
    let budget = crate::budget::remaining();
    let timeout = budget.map_or(timeout, |left| timeout.min(left));
    die_with_parent(command);
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
                let _ = reader.join();
                crate::budget::check();
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

/// Ask the kernel to kill the program when the thread that started it
/// ends (Linux `PR_SET_PDEATHSIG`): gongkai killed, its programs die too.
#[cfg(target_os = "linux")]
fn die_with_parent(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe and touches no memory of the parent
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent(_command: &mut Command) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scratch_folder_names_its_process() {
        assert_eq!(scratch_pid("gongkai-ocr-4242-3-123456"), Some(4242));
        assert_eq!(scratch_pid("gongkai-doc-1-0-9"), Some(1));
        assert_eq!(scratch_pid("gongkai-ocr-4242"), None);
        assert_eq!(scratch_pid("gongkai-ocr-x-3-1"), None);
        assert_eq!(scratch_pid("other-ocr-4242-3-1"), None);
    }

    /// A killed run's scratch is removed by the next run; a live run's,
    /// and anything else in the temporary folder, is left.
    #[cfg(unix)]
    #[test]
    fn the_scratch_of_an_ended_run_is_removed() {
        let temp = tempfile::tempdir().unwrap();
        let ended = temp
            .path()
            .join(format!("gongkai-ocr-{}-0-1", i32::MAX - 1));
        let live = temp
            .path()
            .join(format!("gongkai-ocr-{}-0-1", std::process::id()));
        let other = temp.path().join("gongkai-notes");
        for dir in [&ended, &live, &other] {
            std::fs::create_dir(dir).unwrap();
            std::fs::write(dir.join("page.ppm"), b"P5").unwrap();
        }
        remove_scratch_of_ended_runs(temp.path());
        assert!(!ended.exists());
        assert!(live.join("page.ppm").exists());
        assert!(other.join("page.ppm").exists());
    }

    /// A program that would outlive the document's budget is stopped
    /// with it, and the document's work ends there.
    #[cfg(unix)]
    #[test]
    fn a_program_gets_only_the_time_left_to_its_document() {
        let started = Instant::now();
        let ran = crate::budget::within(1, || {
            run(Command::new("sleep").arg("30"), Duration::from_secs(60))
        });
        assert_eq!(ran.unwrap_err(), crate::budget::TimeUp { seconds: 1 });
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

//! Legacy Word 97–2003 documents (`.doc`): converted to DOCX by LibreOffice
//! when it is installed, then read by [`super::docx`].
//!
//! The converter is `soffice` (or `libreoffice`) on the `PATH`, or the
//! program named by `GONGKAI_SOFFICE`. Each conversion runs headless with
//! its own temporary profile (parallel conversions do not collide), under a
//! time limit. Without a converter the file is `skipped`, and the reason
//! names the command that converts it — never dropped silently.

use crate::decode::DecodeError;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a conversion may take.
pub const CONVERSION_TIMEOUT: Duration = Duration::from_secs(120);

const MANUAL_COMMAND: &str = "soffice --headless --convert-to docx FILE.doc";

/// The converter program, if one is installed.
pub fn converter() -> Option<PathBuf> {
    if let Some(program) = std::env::var_os("GONGKAI_SOFFICE") {
        let program = PathBuf::from(program);
        return program.is_file().then_some(program);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["soffice", "libreoffice"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

fn missing(reason: impl Into<String>) -> DecodeError {
    DecodeError::NeedsConverter {
        what: "legacy Word 97-2003 document (.doc)",
        reason: reason.into(),
        command: MANUAL_COMMAND.to_string(),
    }
}

/// A scratch folder removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch() -> std::io::Result<Scratch> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!(
        "gongkai-doc-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(Scratch(dir))
}

/// The DOCX bytes LibreOffice makes of a `.doc`.
pub fn convert_doc(bytes: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let Some(program) = converter() else {
        return Err(missing("no converter found (LibreOffice is not installed)"));
    };
    let dir = scratch().map_err(|e| missing(format!("cannot make a scratch folder: {e}")))?;
    let input = dir.0.join("input.doc");
    std::fs::write(&input, bytes)
        .map_err(|e| missing(format!("cannot write a scratch file: {e}")))?;
    run_converter(&program, &dir.0, &input)?;
    std::fs::read(dir.0.join("input.docx"))
        .map_err(|_| missing(format!("{} produced no DOCX", program.display())))
}

fn run_converter(program: &Path, dir: &Path, input: &Path) -> Result<(), DecodeError> {
    let profile = format!("file://{}", dir.join("profile").display());
    let mut child = Command::new(program)
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
        ])
        .arg(dir)
        .arg(input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| missing(format!("cannot run {}: {e}", program.display())))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => {
                return Err(missing(format!("{} failed ({status})", program.display())))
            }
            Ok(None) if started.elapsed() > CONVERSION_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(missing(format!(
                    "{} took longer than {} s",
                    program.display(),
                    CONVERSION_TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(missing(format!("{}: {e}", program.display()))),
        }
    }
}

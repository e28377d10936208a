//! Legacy Word 97–2003 documents (`.doc`): converted to DOCX by LibreOffice
//! when it is installed, then read by [`super::docx`].
//!
//! The converter is `soffice` (or `libreoffice`) on the `PATH`, or the
//! program named by `GONGKAI_SOFFICE`. Each conversion runs headless with
//! its own temporary profile (parallel conversions do not collide), under a
//! time limit. Without a converter the file is `skipped`, and the reason
//! names the command that converts it — never dropped silently.

use crate::decode::DecodeError;
use crate::external::{run, RunError, Scratch};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Longest a conversion may take.
pub const CONVERSION_TIMEOUT: Duration = Duration::from_secs(120);

const MANUAL_COMMAND: &str = "soffice --headless --convert-to docx FILE.doc";

/// The converter program, if one is installed.
pub fn converter() -> Option<PathBuf> {
    crate::external::find_program("GONGKAI_SOFFICE", &["soffice", "libreoffice"])
}

fn missing(reason: impl Into<String>) -> DecodeError {
    DecodeError::NeedsConverter {
        what: "legacy Word 97-2003 document (.doc)",
        reason: reason.into(),
        command: MANUAL_COMMAND.to_string(),
    }
}

/// The DOCX bytes LibreOffice makes of a `.doc`.
pub fn convert_doc(bytes: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let Some(program) = converter() else {
        return Err(missing("no converter found (LibreOffice is not installed)"));
    };
    let dir =
        Scratch::new("doc").map_err(|e| missing(format!("cannot make a scratch folder: {e}")))?;
    let input = dir.0.join("input.doc");
    std::fs::write(&input, bytes)
        .map_err(|e| missing(format!("cannot write a scratch file: {e}")))?;
    run_converter(&program, &dir.0, &input)?;
    std::fs::read(dir.0.join("input.docx"))
        .map_err(|_| missing(format!("{} produced no DOCX", program.display())))
}

fn run_converter(program: &Path, dir: &Path, input: &Path) -> Result<(), DecodeError> {
    let profile = format!("file://{}", dir.join("profile").display());
    let ran = run(
        Command::new(program)
            .arg(format!("-env:UserInstallation={profile}"))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                "docx",
                "--outdir",
            ])
            .arg(dir)
            .arg(input),
        CONVERSION_TIMEOUT,
    );
    let program = program.display();
    match ran {
        Ok(_) => Ok(()),
        Err(RunError::Spawn(e)) => Err(missing(format!("cannot run {program}: {e}"))),
        Err(RunError::Failed(status)) => Err(missing(format!("{program} failed ({status})"))),
        Err(RunError::TimedOut(limit)) => Err(missing(format!(
            "{program} took longer than {} s",
            limit.as_secs()
        ))),
        Err(RunError::Wait(e)) => Err(missing(format!("{program}: {e}"))),
    }
}

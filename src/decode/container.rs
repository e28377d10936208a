//! Containers: ZIP packages (DOCX, XLSX) and OLE2 compound files (DOC,
//! XLS), recognised from what they hold, read within limits.
//!
//! A ZIP is a Word document when it holds `word/document.xml`, a workbook
//! when it holds `xl/workbook.xml` (the content types name the same parts);
//! anything else is an archive this build does not read. An OLE2 file is a
//! Word 97–2003 document when its directory names a `WordDocument` stream,
//! a workbook when it names `Workbook` or `Book`.
//!
//! Limits guard against decompression bombs: at most [`Limits::max_entries`]
//! entries, no entry expanding beyond [`Limits::max_entry_bytes`] and all of
//! them together beyond [`Limits::max_total_bytes`]. Sizes are measured while
//! inflating, not taken from the (forgeable) headers.

use super::{DecodeError, Format};
use std::io::{Cursor, Read};

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_entries: usize,
    pub max_entry_bytes: u64,
    pub max_total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 10_000,
            max_entry_bytes: 128 * 1024 * 1024,
            max_total_bytes: 512 * 1024 * 1024,
        }
    }
}

pub type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn package_error(message: impl std::fmt::Display) -> DecodeError {
    DecodeError::Package {
        message: message.to_string(),
    }
}

/// Open a ZIP package, refusing one with too many entries.
pub fn open_zip<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Archive<'a>, DecodeError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| package_error(format!("broken ZIP container: {e}")))?;
    if archive.len() > limits.max_entries {
        return Err(package_error(format!(
            "ZIP container with {} entries (limit {}): refused as a possible zip bomb",
            archive.len(),
            limits.max_entries
        )));
    }
    Ok(archive)
}

/// Inflate every entry once, within the limits, discarding the bytes: a
/// package that passes can be handed to a reader without limits of its own.
pub fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), DecodeError> {
    let mut archive = open_zip(bytes, limits)?;
    let mut total = 0u64;
    for index in 0..archive.len() {
        let entry = archive
            .by_index(index)
            .map_err(|e| package_error(format!("broken ZIP entry {index}: {e}")))?;
        let name = entry
            .name()
            .map_or_else(|_| format!("entry {index}"), |n| n.into_owned());
        let declared = entry.size();
        total += inflate_within(entry, &name, declared, limits, total, &mut std::io::sink())?;
    }
    Ok(())
}

/// Copy an entry into `out`, at most `max_entry_bytes` and no more than the
/// total allowance left; returns the bytes written. An entry whose header
/// declares more is refused before anything is inflated (one that declares
/// less and inflates to more is stopped by the ZIP reader at its declared
/// size, or by the allowance).
fn inflate_within(
    entry: impl Read,
    name: &str,
    declared: u64,
    limits: &Limits,
    used: u64,
    out: &mut impl std::io::Write,
) -> Result<u64, DecodeError> {
    let allowance = limits
        .max_entry_bytes
        .min(limits.max_total_bytes.saturating_sub(used));
    if declared > allowance {
        return Err(package_error(format!(
            "{name} declares {} MiB inflated, beyond the {} MiB limit (part-bytes, inflated-bytes): refused as a possible zip bomb",
            declared / (1024 * 1024),
            allowance / (1024 * 1024)
        )));
    }
    let copied = std::io::copy(&mut entry.take(allowance + 1), out)
        .map_err(|e| package_error(format!("{name}: cannot inflate: {e}")))?;
    if copied > allowance {
        return Err(package_error(format!(
            "{name} expands beyond the {} MiB limit (part-bytes, inflated-bytes): refused as a possible zip bomb",
            allowance / (1024 * 1024)
        )));
    }
    Ok(copied)
}

/// One part of a package, inflated within the limits; `None` when absent.
pub fn read_part(
    archive: &mut Archive<'_>,
    name: &str,
    limits: &Limits,
) -> Result<Option<Vec<u8>>, DecodeError> {
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(package_error(format!("{name}: {e}"))),
    };
    let declared = entry.size();
    // the declared size is checked against the limit before it is reserved
    let mut bytes = Vec::new();
    if declared <= limits.max_entry_bytes {
        bytes.reserve(declared as usize);
    }
    inflate_within(entry, name, declared, limits, 0, &mut bytes)?;
    Ok(Some(bytes))
}

/// What a ZIP package holds.
pub fn zip_kind(bytes: &[u8]) -> Format {
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Format::Zip;
    };
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let has = |part: &str| names.iter().any(|n| n.eq_ignore_ascii_case(part));
    if has("word/document.xml") {
        Format::Docx
    } else if has("xl/workbook.xml") {
        Format::Xlsx
    } else if names.iter().any(|n| n.starts_with("word/")) {
        // a Word package whose main part is missing: still a Word document
        Format::Docx
    } else if names.iter().any(|n| n.starts_with("xl/")) {
        Format::Xlsx
    } else {
        Format::Zip
    }
}

/// What an OLE2 compound file holds, from the stream names in its
/// directory (UTF-16LE).
/// Whether an OLE file's directory, where its streams are named, lies
/// within the file (a truncated file loses it: the file is damaged, not of
/// an unknown kind).
pub fn ole_directory_present(bytes: &[u8]) -> bool {
    let u16_at = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (Some(shift), Some(first)) = (u16_at(0x1E), u32_at(0x30)) else {
        return false;
    };
    let sector = 1u64.checked_shl(u32::from(shift)).unwrap_or(u64::MAX);
    let start = (u64::from(first) + 1).saturating_mul(sector);
    start.saturating_add(128) <= bytes.len() as u64
}

pub fn ole_kind(bytes: &[u8]) -> Format {
    let utf16 =
        |name: &str| -> Vec<u8> { name.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if contains(&utf16("WordDocument")) {
        Format::Doc
    } else if contains(&utf16("Workbook")) || contains(&utf16("Book\0")) {
        Format::Xls
    } else {
        Format::Ole
    }
}

//! An XLSX workbook's sheet entries and the parts they name, read from the
//! package before calamine reads a sheet.
//!
//! - Each `<sheet>` entry of the workbook names a worksheet part through a
//!   relationship, and several entries may name one part: 900 entries
//!   naming one part of 100,000 cells had it read 900 times (3 GB). A part
//!   is read once, for the first entry naming it; the entries naming it
//!   again are left out with a warning (one for the part). Parts are found
//!   as calamine finds them: the workbook is the package's
//!   `officeDocument`, a relationship's target is taken from the
//!   workbook's folder (from the package root when it starts with `/`),
//!   and part names are compared without case.
//! - The shared strings' declared count (`uniqueCount`), for which calamine
//!   reserves room before it reads a string, may not exceed the strings the
//!   part holds (beyond a slack of 65,536): a count of 10¹² is refused,
//!   not reserved (24 TB).

use crate::decode::container::{self, Archive};
use crate::decode::DecodeError;
use crate::limits::Limits;
use crate::model::Issue;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;

/// A declared count of shared strings is believed up to this many more
/// than the part holds (a writer's slip costs a little room, no more).
const STRING_COUNT_SLACK: usize = 65_536;

/// The part each sheet name stands for (the part calamine reads for it:
/// that of the first entry with the name), lower-cased.
pub(super) fn sheet_parts(
    bytes: &[u8],
    limits: &Limits,
) -> Result<HashMap<String, String>, DecodeError> {
    let mut package = Package::open(bytes, limits)?;
    let office_document = package
        .elements("_rels/.rels", "Relationship")?
        .into_iter()
        .filter(|r| {
            attribute(r, "Type").is_some_and(|t| t.ends_with("/relationships/officeDocument"))
        })
        .filter_map(|r| attribute(&r, "Target").map(str::to_string))
        .next_back();
    let (folder, workbook) = match office_document.as_deref() {
        Some(target) => {
            let (folder, name) = target.split_at(target.rfind('/').map_or(0, |i| i + 1));
            let name = if name.is_empty() {
                "workbook.xml"
            } else {
                name
            };
            (
                folder.strip_prefix('/').unwrap_or(folder).to_string(),
                name.to_string(),
            )
        }
        None => ("xl/".to_string(), "workbook.xml".to_string()),
    };
    let targets: HashMap<String, String> = package
        .elements(&format!("{folder}_rels/{workbook}.rels"), "Relationship")?
        .into_iter()
        .filter_map(|r| {
            Some((
                attribute(&r, "Id")?.to_string(),
                attribute(&r, "Target")?.to_string(),
            ))
        })
        .collect();
    let mut parts = HashMap::new();
    for sheet in package.elements(&format!("{folder}{workbook}"), "sheet")? {
        let (Some(name), Some(id)) = (attribute(&sheet, "name"), relationship_id(&sheet)) else {
            continue;
        };
        if let Some(target) = targets.get(id) {
            let part = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("{folder}{target}"),
            };
            parts
                .entry(name.to_string())
                .or_insert(part.to_ascii_lowercase());
        }
    }
    Ok(parts)
}

/// Refuse a shared string part declaring more strings than it holds (see
/// the module doc).
pub(super) fn check_shared_strings(bytes: &[u8], limits: &Limits) -> Result<(), DecodeError> {
    let mut package = Package::open(bytes, limits)?;
    let names: Vec<String> = package
        .names
        .values()
        .filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
        .cloned()
        .collect();
    for name in names {
        let Some(xml) = container::read_part(&mut package.archive, &name, &limits.container())?
        else {
            continue;
        };
        let Some(declared) = declared_string_count(&xml) else {
            continue;
        };
        let held = elements_named(&xml, b"si");
        if declared > held.saturating_add(STRING_COUNT_SLACK) {
            return Err(DecodeError::Package {
                message: format!(
                    "{name} declares {declared} shared strings and holds {held}: refused (room would be reserved for every string declared)"
                ),
            });
        }
    }
    Ok(())
}

/// The warning on the sheet entries left out because they name what an
/// entry before them named (`what`: its part, its cells).
pub(super) fn read_once(first: &str, again: &[String], what: &str) -> Issue {
    let mut named: Vec<String> = again.iter().take(3).map(|n| format!("{n:?}")).collect();
    if again.len() > 3 {
        named.push(format!("{} more", again.len() - 3));
    }
    Issue::warning(
        "decode",
        format!(
            "sheet {first:?} ({what}) is named again by {} more sheet entries ({}): read once",
            again.len(),
            named.join(", ")
        ),
    )
}

/// The `uniqueCount` of the `<sst>` element.
fn declared_string_count(xml: &[u8]) -> Option<usize> {
    let sst = elements(xml, "sst").into_iter().next()?;
    attribute(&sst, "uniqueCount")?.trim().parse().ok()
}

/// How many elements of local name `local` open in `xml` (at least as
/// many as there are).
fn elements_named(xml: &[u8], local: &[u8]) -> usize {
    let mut count = 0;
    for (at, _) in xml.iter().enumerate().filter(|(_, b)| **b == b'<') {
        let name_end = xml[at + 1..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
            .map_or(xml.len(), |end| at + 1 + end);
        let name = &xml[at + 1..name_end];
        let local_name = name.rsplit(|b| *b == b':').next().unwrap_or(name);
        if local_name == local {
            count += 1;
        }
    }
    count
}

/// The package's parts, looked up by name without case as calamine does.
struct Package<'a> {
    archive: Archive<'a>,
    /// Lower-cased name → the entry's name.
    names: HashMap<String, String>,
    limits: container::Limits,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self, DecodeError> {
        let archive = container::open_zip(bytes, &limits.container())?;
        let names = archive
            .file_names()
            .filter_map(|n| n.ok())
            .map(|n| (n.replace('\\', "/").to_ascii_lowercase(), n.to_string()))
            .collect();
        Ok(Package {
            archive,
            names,
            limits: limits.container(),
        })
    }

    /// The attributes of every element `local` of the part `name` (none
    /// when the part is missing).
    fn elements(&mut self, name: &str, local: &str) -> Result<Vec<Attributes>, DecodeError> {
        let entry = self
            .names
            .get(&name.to_ascii_lowercase())
            .cloned()
            .unwrap_or(name.to_string());
        let xml = container::read_part(&mut self.archive, &entry, &self.limits)?;
        Ok(xml.map_or_else(Vec::new, |xml| elements(&xml, local)))
    }
}

/// An element's attributes: the name as written (`r:id`) and the value.
type Attributes = Vec<(String, String)>;

/// The attributes of every element of local name `local`, up to the first
/// malformed XML (where calamine stops too).
fn elements(xml: &[u8], local: &str) -> Vec<Attributes> {
    let mut reader = Reader::from_reader(xml);
    let mut buffer = Vec::new();
    let mut found = Vec::new();
    loop {
        buffer.clear();
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == local => {
                let attributes = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        let key = a.key.as_ref().to_string();
                        let raw = a.value.to_string();
                        let value = quick_xml::escape::unescape(&raw)
                            .map_or(raw.clone(), |v| v.into_owned());
                        (key, value)
                    })
                    .collect();
                found.push(attributes);
            }
            Ok(Event::Eof) | Err(_) => return found,
            _ => {}
        }
    }
}

fn attribute<'x>(attributes: &'x Attributes, key: &str) -> Option<&'x str> {
    attributes
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// A sheet entry's relationship: its `id` attribute, in any namespace.
fn relationship_id(attributes: &Attributes) -> Option<&str> {
    attributes
        .iter()
        .find(|(k, _)| k == "id" || k.ends_with(":id"))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const SEED: &[u8] = include_bytes!("../../tests/fixtures/seed.xlsx");

    /// The seed with `change` made to the named entries.
    fn changed(change: &dyn Fn(&str, String) -> String, added: &[(&str, &str)]) -> Vec<u8> {
        let mut source = zip::ZipArchive::new(std::io::Cursor::new(SEED)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for i in 0..source.len() {
            let mut entry = source.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
            out.start_file(name.as_str(), options).unwrap();
            out.write_all(change(&name, text).as_bytes()).unwrap();
        }
        for (name, text) in added {
            out.start_file(*name, options).unwrap();
            out.write_all(text.as_bytes()).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn each_sheet_stands_for_its_part_and_entries_naming_one_part_are_seen() {
        let parts = sheet_parts(SEED, &Limits::default()).unwrap();
        assert_eq!(parts.len(), 10);
        assert_eq!(parts["表1"], "xl/worksheets/sheet1.xml");
        // a second entry naming sheet1 by a relative target in other case
        let again = changed(
            &|name, text| {
                match name {
                "xl/workbook.xml" => text.replace(
                    "</sheets>",
                    r#"<sheet name="又" sheetId="11" r:id="rId99"/></sheets>"#,
                ),
                "xl/_rels/workbook.xml.rels" => text.replace(
                    "</Relationships>",
                    r#"<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="Worksheets/Sheet1.xml" Id="rId99"/></Relationships>"#,
                ),
                _ => text,
            }
            },
            &[],
        );
        let parts = sheet_parts(&again, &Limits::default()).unwrap();
        assert_eq!(parts["又"], parts["表1"]);
    }

    #[test]
    fn a_shared_string_count_beyond_the_strings_held_is_refused() {
        let strings = |count: &str| {
            format!(
                r#"<sst xmlns="x" uniqueCount="{count}"><si><t>a</t></si><x:si><t>b</t></x:si><sig/></sst>"#
            )
        };
        let unchanged = |_: &str, text: String| text;
        for (count, refused) in [("2", false), ("60000", false), ("1000000000000", true)] {
            let xlsx = changed(&unchanged, &[("xl/sharedStrings.xml", &strings(count))]);
            let checked = check_shared_strings(&xlsx, &Limits::default());
            assert_eq!(checked.is_err(), refused, "{count}");
        }
        assert!(check_shared_strings(SEED, &Limits::default()).is_ok());
    }

    #[test]
    fn parts_named_again_are_said_once() {
        let again: Vec<String> = (1..900).map(|i| format!("附{i}")).collect();
        let issue = read_once("附0", &again, "its part xl/worksheets/extra.xml");
        assert!(
            issue.message.contains("899 more sheet entries"),
            "{}",
            issue.message
        );
        assert!(
            issue.message.contains("\"附3\", 896 more"),
            "{}",
            issue.message
        );
    }
}

//! Hostile spreadsheets (issue 25): workbooks whose cost to read follows
//! what they claim or repeat, not what they hold. Each is the committed
//! seed workbook (`tests/fixtures/seed.xlsx`, `seed.xls`) with one thing
//! changed, a few hundred KB at most, made in a few milliseconds.
//!
//! | file | the attack | read naively |
//! |---|---|---|
//! | `dimensions.xls` | every DIMENSIONS record claims 4 billion rows × 256 columns | 43 TB reserved: abort |
//! | `looping_chain.xls` | the directory's sector chained to itself | a directory growing without end: abort |
//! | `far_cell.xls` | one cell record at row 65,535, column 65,535 | a 4-billion-cell range: abort |
//! | `shared_part.xlsx` | 900 sheet entries all naming one 100,000-cell part | the part read 900 times: 3 GB |
//! | `shared_string.xlsx` | 20,000 cells naming one 32,000-character shared string | 640 million characters: 4 GB |
//! | `string_count.xlsx` | shared strings declaring a count of 10¹² | 24 TB reserved: abort |
//! | `merged_cells.xlsx` | a sheet of 100,000 cells and 50,000 merged ranges | every cell against every range |
//! | `wide_sheet.xlsx` | a sheet of 10 rows × 16,384 columns of decimals | every column against every cell |

use super::{column_name, Expected};
use std::io::Write;
use std::path::Path;

/// Write every hostile spreadsheet into `dir`.
pub fn write_all(dir: &Path, repo: &Path) {
    let fixture = |name: &str| std::fs::read(repo.join("tests/fixtures").join(name)).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    let (xls, xlsx) = (fixture("seed.xls"), fixture("seed.xlsx"));
    write("dimensions.xls", &dimensions_xls(&xls));
    write("far_cell.xls", &far_cell_xls(&xls));
    write("looping_chain.xls", &looping_chain_xls(&xls));
    write("shared_part.xlsx", &shared_part_xlsx(&xlsx));
    write("shared_string.xlsx", &shared_string_xlsx(&xlsx));
    write("string_count.xlsx", &string_count_xlsx(&xlsx));
    write("merged_cells.xlsx", &merged_cells_xlsx(&xlsx));
    write("wide_sheet.xlsx", &wide_sheet_xlsx(&xlsx));
}

/// What gongkai must make of each: the sheets that claim or repeat are
/// read from what they hold (`ok`, the seed's 280 facts, with a note); the
/// shared string expands beyond the `chars` limit, the declared count is a
/// lie and the chain loops (`failed`).
pub fn expectations() -> Vec<Expected> {
    let e = |name, status, says, facts| Expected {
        name,
        status,
        says,
        facts,
    };
    vec![
        e(
            "dimensions.xls",
            "ok",
            "read from the cells it holds",
            Some(280),
        ),
        e("far_cell.xls", "ok", "closed up", Some(280)),
        e(
            "looping_chain.xls",
            "failed",
            "directory chain loops",
            Some(0),
        ),
        e("merged_cells.xlsx", "ok", "", Some(280)),
        e("shared_part.xlsx", "ok", "read once", Some(280)),
        e("shared_string.xlsx", "failed", "--limit chars=", Some(0)),
        e(
            "string_count.xlsx",
            "failed",
            "declares 1000000000000 shared strings",
            Some(0),
        ),
        e("wide_sheet.xlsx", "ok", "", Some(280)),
    ]
}

/// The offsets in `file` of every record of `typ` whose data is `len`
/// bytes, found by its header: the seed's Workbook stream lies in order in
/// its file, so a record's bytes are contiguous there.
fn records(file: &[u8], typ: u16, len: u16) -> Vec<usize> {
    let header = [typ.to_le_bytes(), len.to_le_bytes()].concat();
    file.windows(4)
        .enumerate()
        .filter(|(_, w)| *w == header.as_slice())
        .map(|(at, _)| at)
        .collect()
}

/// The seed's XLS with every DIMENSIONS record (0x0200) claiming rows
/// 0..4,294,967,295 and columns 0..256.
fn dimensions_xls(xls: &[u8]) -> Vec<u8> {
    let mut file = xls.to_vec();
    let found = records(xls, 0x0200, 14);
    assert_eq!(found.len(), 10, "one DIMENSIONS record a sheet");
    for at in found {
        file[at + 8..at + 12].copy_from_slice(&u32::MAX.to_le_bytes());
        file[at + 14..at + 16].copy_from_slice(&256u16.to_le_bytes());
    }
    file
}

/// The seed's XLS with the first ROW record (0x0208, which calamine does
/// not read) made a NUMBER cell (0x0203) at row 65,535, column 65,535.
fn far_cell_xls(xls: &[u8]) -> Vec<u8> {
    let mut file = xls.to_vec();
    let at = records(xls, 0x0208, 16)[0];
    let mut number = Vec::new();
    number.extend_from_slice(&0x0203u16.to_le_bytes());
    number.extend_from_slice(&16u16.to_le_bytes());
    number.extend_from_slice(&u16::MAX.to_le_bytes()); // row
    number.extend_from_slice(&u16::MAX.to_le_bytes()); // column
    number.extend_from_slice(&0u16.to_le_bytes()); // format
    number.extend_from_slice(&1.0f64.to_le_bytes());
    number.extend_from_slice(&[0, 0]);
    file[at..at + 20].copy_from_slice(&number);
    file
}

/// The seed's XLS whose directory sector is chained (in the FAT) to
/// itself.
fn looping_chain_xls(xls: &[u8]) -> Vec<u8> {
    let word = |at: usize| u32::from_le_bytes(xls[at..at + 4].try_into().unwrap()) as usize;
    let (fat, directory) = (word(76), word(48));
    let entry = (fat + 1) * 512 + directory * 4;
    let mut file = xls.to_vec();
    file[entry..entry + 4].copy_from_slice(&(directory as u32).to_le_bytes());
    file
}

/// A worksheet part of `rows` rows of `columns` cells, each `value`.
fn sheet_part(rows: u32, columns: u32, value: &str, extra: &str) -> Vec<u8> {
    let mut xml = String::from(
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    let names: Vec<String> = (0..columns).map(column_name).collect();
    for row in 1..=rows {
        xml.push_str(&format!(r#"<row r="{row}">"#));
        for name in &names {
            xml.push_str(&format!(r#"<c r="{name}{row}"{value}</c>"#));
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData>");
    xml.push_str(extra);
    xml.push_str("</worksheet>");
    xml.into_bytes()
}

/// The seed's workbook with `part` added as `xl/worksheets/extra.xml`,
/// named by `entries` more sheet entries (each with a relationship of its
/// own), and `more` parts added as they are.
fn with_extra_sheet(
    xlsx: &[u8],
    part: Vec<u8>,
    entries: usize,
    more: &[(&str, Vec<u8>)],
) -> Vec<u8> {
    let sheets: String = (0..entries)
        .map(|i| {
            format!(
                r#"<sheet name="附{i}" sheetId="{}" r:id="rIdX{i}" />"#,
                100 + i
            )
        })
        .collect();
    let relationships: String = (0..entries)
        .map(|i| format!(
            r#"<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/extra.xml" Id="rIdX{i}" />"#
        ))
        .collect();
    let mut added: Vec<(&str, Vec<u8>)> = vec![("xl/worksheets/extra.xml", part)];
    added.extend(more.iter().cloned());
    package(xlsx, &added, &|name, data| {
        let text = || String::from_utf8(data.clone()).unwrap();
        match name {
            "xl/workbook.xml" => text()
                .replace("</sheets>", &format!("{sheets}</sheets>"))
                .into_bytes(),
            "xl/_rels/workbook.xml.rels" => text()
                .replace(
                    "</Relationships>",
                    &format!("{relationships}</Relationships>"),
                )
                .into_bytes(),
            _ => data,
        }
    })
}

/// A ZIP package with the entries of `package`, `change`d by name, and
/// `added` after them.
fn package(
    package: &[u8],
    added: &[(&str, Vec<u8>)],
    change: &dyn Fn(&str, Vec<u8>) -> Vec<u8>,
) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(&change(&name, data)).unwrap();
    }
    for (name, data) in added {
        out.start_file(*name, options).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The seed's workbook with 900 more sheet entries, all naming one part of
/// 100,000 numbers.
fn shared_part_xlsx(xlsx: &[u8]) -> Vec<u8> {
    with_extra_sheet(xlsx, sheet_part(1000, 100, "><v>1</v>", ""), 900, &[])
}

/// The seed's workbook with a sheet of 20,000 cells all naming one shared
/// string of 32,000 characters.
fn shared_string_xlsx(xlsx: &[u8]) -> Vec<u8> {
    let strings = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="20000" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "预算".repeat(16_000)
    );
    let part = sheet_part(2000, 10, r#" t="s"><v>0</v>"#, "");
    with_extra_sheet(
        xlsx,
        part,
        1,
        &[("xl/sharedStrings.xml", strings.into_bytes())],
    )
}

/// The seed's workbook with a shared string part of one string declaring
/// 10¹² of them.
fn string_count_xlsx(xlsx: &[u8]) -> Vec<u8> {
    let strings = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="1000000000000"><si><t>预算</t></si></sst>"#;
    let part = sheet_part(1, 1, r#" t="s"><v>0</v>"#, "");
    with_extra_sheet(
        xlsx,
        part,
        1,
        &[("xl/sharedStrings.xml", strings.as_bytes().to_vec())],
    )
}

/// The seed's workbook with a sheet of 100,000 numbers and 50,000 merged
/// ranges (below them, covering none).
fn merged_cells_xlsx(xlsx: &[u8]) -> Vec<u8> {
    let ranges: String = (0..50_000)
        .map(|i| format!(r#"<mergeCell ref="A{0}:B{0}"/>"#, 2001 + i))
        .collect();
    let merged = format!(r#"<mergeCells count="50000">{ranges}</mergeCells>"#);
    with_extra_sheet(xlsx, sheet_part(1000, 100, "><v>1</v>", &merged), 1, &[])
}

/// The seed's workbook with a sheet of 10 rows × 16,384 columns of
/// numbers with decimals.
fn wide_sheet_xlsx(xlsx: &[u8]) -> Vec<u8> {
    with_extra_sheet(xlsx, sheet_part(10, 16_384, "><v>1.5</v>", ""), 1, &[])
}

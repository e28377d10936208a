//! Hostile inputs, generated: the files a bulk user's corpus attacked
//! gongkai with (issue 13), each beside the good sample in one batch, with
//! what gongkai must make of each.
//!
//! Used by `tests/suite/limits.rs` and by `cargo run --example hostile_inputs --
//! DIR`, which writes the same files into DIR to try by hand. Every file is
//! made from the committed sample and fixtures; none is larger than a few
//! MB, however much it would take to read naively.

mod pages;
mod sheets;

use std::io::Write;
use std::path::Path;

/// What gongkai must make of one generated file.
pub struct Expected {
    pub name: &'static str,
    /// `documents.csv` status.
    pub status: &'static str,
    /// Words its `reason`, or one of its `issues.csv` messages, must hold.
    pub says: &'static str,
    /// Facts it must yield, where that is known.
    pub facts: Option<usize>,
}

/// Write every hostile file, and the good sample, into `dir`; `repo` is the
/// repository root (for the sample and fixtures).
pub fn write_all(dir: &Path, repo: &Path) -> Vec<Expected> {
    let seed = std::fs::read_to_string(
        repo.join("samples/liaoning_panjin_dawa_smart_city_2023_final.txt"),
    )
    .expect("the sample");
    let fixture = |name: &str| std::fs::read(repo.join("tests/fixtures").join(name)).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();

    write("seed.txt", seed.as_bytes());
    write("far_cell.xlsx", &far_cell_xlsx(&fixture("seed.xlsx")));
    write("diagonal.xlsx", &diagonal_xlsx(&fixture("seed.xlsx")));
    write("span_bomb.html", span_bomb_html().as_bytes());
    write(
        "grid_span_bomb.docx",
        &docx_with_body(&fixture("seed.docx"), &grid_span_body()),
    );
    write("zip_bomb.docx", &zip_bomb_docx());
    write(
        "entities.docx",
        &docx_with_body(&fixture("seed.docx"), ENTITY_BODY.as_bytes()),
    );
    write("deep_nesting.html", deep_nesting_html().as_bytes());
    write(
        "zeroed.docx",
        &docx_with_body(&fixture("seed.docx"), &[0u8; 4096]),
    );
    write("truncated.xls", &fixture("seed.xls")[..5000]);
    write("huge_amount.txt", huge_amount(&seed).as_bytes());
    write("triangles.txt", triangles(&seed).as_bytes());
    write("huge_cell.txt", huge_cell(&seed).as_bytes());
    // 300 MiB that take no disk (a sparse file): refused from its size,
    // never read up to the limit
    std::fs::File::create(dir.join("sparse.pdf"))
        .and_then(|f| f.set_len(300 << 20))
        .unwrap();
    sheets::write_all(dir, repo);
    pages::write_all(dir);
    let mut expected = expectations();
    expected.extend(pages::expectations());
    expected
}

fn expectations() -> Vec<Expected> {
    let e = |name, status, says, facts| Expected {
        name,
        status,
        says,
        facts,
    };
    vec![
        e(
            "deep_nesting.html",
            "skipped",
            "no disclosure table found",
            Some(0),
        ),
        e("diagonal.xlsx", "partial", "limit table-cells", None),
        e(
            "sparse.pdf",
            "failed",
            "larger than the 268435456-byte limit (--limit file-bytes=",
            Some(0),
        ),
        e(
            "entities.docx",
            "skipped",
            "no disclosure table found",
            Some(0),
        ),
        e("far_cell.xlsx", "ok", "closed up", Some(280)),
        e(
            "grid_span_bomb.docx",
            "failed",
            "more than 1000000 cells",
            Some(0),
        ),
        e(
            "huge_amount.txt",
            "partial",
            "too many for an amount",
            Some(279),
        ),
        e("huge_cell.txt", "ok", "超长标签", Some(280)),
        e("seed.txt", "ok", "", Some(280)),
        e(
            "span_bomb.html",
            "partial",
            "more than 1000000 cells",
            Some(0),
        ),
        e("triangles.txt", "ok", "", Some(280)),
        e("truncated.xls", "failed", "truncated", Some(0)),
        e("zeroed.docx", "failed", "no document body", Some(0)),
        e("zip_bomb.docx", "failed", "zip bomb", Some(0)),
    ]
    .into_iter()
    .chain(sheets::expectations())
    .collect()
}

/// A ZIP package with the entries of `package`, `replace`d by name.
fn repackage(package: &[u8], replace: &dyn Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(&replace(&name, data)).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The seed's DOCX with its `word/document.xml` replaced by `body`.
pub fn docx_with_body(docx: &[u8], body: &[u8]) -> Vec<u8> {
    repackage(docx, &|name, data| {
        if name == "word/document.xml" {
            body.to_vec()
        } else {
            data
        }
    })
}

/// The seed's workbook with one more cell in its first sheet, at
/// XFD1048576, the sheet's last: a rectangle of 17 billion cells.
fn far_cell_xlsx(xlsx: &[u8]) -> Vec<u8> {
    with_first_sheet(xlsx, &|sheet| {
        sheet.replace(
            "</sheetData>",
            r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row></sheetData>"#,
        )
    })
}

/// The seed's workbook whose first sheet holds 2,000 numbers on a
/// diagonal: 2,000 cells, 4 million even with the blank rows and columns
/// closed up.
fn diagonal_xlsx(xlsx: &[u8]) -> Vec<u8> {
    with_first_sheet(xlsx, &|sheet| {
        let start = sheet.find("<sheetData>").unwrap();
        let end = sheet.find("</sheetData>").unwrap() + "</sheetData>".len();
        let mut data = String::from("<sheetData>");
        for i in 0..2000u32 {
            let row = i * 2 + 1;
            data.push_str(&format!(
                r#"<row r="{row}"><c r="{}{row}"><v>{i}</v></c></row>"#,
                column_name(i)
            ));
        }
        data.push_str("</sheetData>");
        format!("{}{}{}", &sheet[..start], data, &sheet[end..])
    })
}

fn column_name(mut index: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap()
}

fn with_first_sheet(xlsx: &[u8], change: &dyn Fn(&str) -> String) -> Vec<u8> {
    repackage(xlsx, &|name, data| {
        if name == "xl/worksheets/sheet1.xml" {
            change(&String::from_utf8(data).unwrap()).into_bytes()
        } else {
            data
        }
    })
}

/// 49 KB: 1,000 rows of a cell spanning 1,000 rows and 1,000 columns.
fn span_bomb_html() -> String {
    let mut page = String::from("<html><body><table>");
    for _ in 0..1000 {
        page.push_str("<tr><td colspan=1000 rowspan=1000>x</td></tr>");
    }
    page.push_str("</table></body></html>");
    page
}

/// 10 rows of 2,000 cells spanning 1,000 grid columns each.
fn grid_span_body() -> Vec<u8> {
    let cell = r#"<w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr><w:p/></w:tc>"#;
    let row = format!("<w:tr>{}</w:tr>", cell.repeat(2000));
    format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>{}</w:tbl></w:body></w:document>"#,
        row.repeat(10)
    )
    .into_bytes()
}

/// "Billion laughs": entities defined in terms of each other, 10⁹ `lol`s
/// if expanded.
const ENTITY_BODY: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"#;

/// 100,000 tables, each inside a cell of the one before.
fn deep_nesting_html() -> String {
    let depth = 100_000;
    format!(
        "<html><body>{}x{}</body></html>",
        "<table><tr><td>".repeat(depth),
        "</td></tr></table>".repeat(depth)
    )
}

/// A DOCX whose `word/document.xml` inflates to 160 MiB of spaces from
/// about 1 MB (beyond the 128 MiB a part may inflate to), as its headers
/// say.
fn zip_bomb_docx() -> Vec<u8> {
    let inflated: u64 = 160 * 1024 * 1024;
    let deflated = deflate_run_of(b' ', inflated);
    let name = b"word/document.xml";
    let mut zip = Vec::new();
    // local file header: deflated, CRC left 0 (never reached: the reader
    // stops at its limit)
    zip.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0]);
    zip.extend_from_slice(&0u32.to_le_bytes());
    zip.extend_from_slice(&(deflated.len() as u32).to_le_bytes());
    zip.extend_from_slice(&(inflated as u32).to_le_bytes());
    zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip.extend_from_slice(name);
    zip.extend_from_slice(&deflated);
    let directory = zip.len() as u32;
    zip.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0]);
    zip.extend_from_slice(&0u32.to_le_bytes());
    zip.extend_from_slice(&(deflated.len() as u32).to_le_bytes());
    zip.extend_from_slice(&(inflated as u32).to_le_bytes());
    zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
    zip.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
    zip.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    zip.extend_from_slice(name);
    let directory_size = zip.len() as u32 - directory;
    zip.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]);
    zip.extend_from_slice(&directory_size.to_le_bytes());
    zip.extend_from_slice(&directory.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip
}

/// A raw DEFLATE stream (RFC 1951, one block of fixed Huffman codes) of
/// `length` copies of `byte`: the byte once, then matches of 258 bytes at
/// distance 1, 13 bits each.
fn deflate_run_of(byte: u8, length: u64) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.put(1, 1); // final block
    bits.put(1, 2); // fixed Huffman codes
                    // literals 0–143: 8-bit codes from 0b00110000
    bits.put_code(0b0011_0000 + u32::from(byte), 8);
    let mut left = length - 1;
    while left >= 258 {
        bits.put_code(0b1100_0101, 8); // length code 285: 258 bytes
        bits.put_code(0, 5); // distance code 0: distance 1
        left -= 258;
    }
    for _ in 0..left {
        bits.put_code(0b0011_0000 + u32::from(byte), 8);
    }
    bits.put_code(0, 7); // end of block (256)
    bits.finish()
}

#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    current: u32,
    count: u32,
}

impl Bits {
    /// `n` bits of `value`, least significant first (header fields).
    fn put(&mut self, value: u32, n: u32) {
        for i in 0..n {
            self.current |= ((value >> i) & 1) << self.count;
            self.count += 1;
            if self.count == 8 {
                self.bytes.push(self.current as u8);
                self.current = 0;
                self.count = 0;
            }
        }
    }

    /// A Huffman code of `n` bits, most significant first.
    fn put_code(&mut self, code: u32, n: u32) {
        for i in (0..n).rev() {
            self.put((code >> i) & 1, 1);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.bytes.push(self.current as u8);
        }
        self.bytes
    }
}

/// The seed (one cell a line) with every amount cell rewritten by `form`.
fn with_amounts(seed: &str, mut form: impl FnMut(&str) -> String) -> String {
    let amount = regex::Regex::new(r"^\t(\d[\d,]*\.\d+)$").unwrap();
    seed.lines()
        .map(|line| match amount.captures(line) {
            Some(caps) => format!("\t{}", form(&caps[1])),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The seed with its first amount printed with 25 digits.
fn huge_amount(seed: &str) -> String {
    let mut first = true;
    with_amounts(seed, |amount| {
        if std::mem::take(&mut first) {
            "1234567890123456789012345.00".to_string()
        } else {
            amount.to_string()
        }
    })
}

/// The seed with `△` before every amount.
fn triangles(seed: &str) -> String {
    with_amounts(seed, |amount| format!("△{amount}"))
}

/// The seed with the label of a table row 20 MB long.
fn huge_cell(seed: &str) -> String {
    let label = format!("\t一、{}", "超长标签".repeat(1_750_000));
    seed.replacen("\t一、一般公共服务支出\n", &format!("{label}\n"), 1)
}

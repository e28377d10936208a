//! Status by cause: content that cannot be read is `failed` with the reason,
//! readable content without a table is `skipped`, and a page whose declared
//! charset is wrong is read in the charset it is written in, with a warning.

// the generator of tests/suite/limits.rs, for its DOCX repackaging
#[allow(dead_code)]
use crate::hostile_inputs;

use crate::common::*;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo_root().join("tests/fixtures").join(name)).unwrap()
}

/// The seed's DOCX with its `word/document.xml` replaced by `body`.
fn docx_with_body(body: &[u8]) -> Vec<u8> {
    hostile_inputs::docx_with_body(&fixture("seed.docx"), body)
}

#[test]
fn damaged_files_are_failed_with_the_reason() {
    let input = tempfile::tempdir().unwrap();
    let xls = fixture("seed.xls");
    std::fs::write(input.path().join("truncated.xls"), &xls[..5000]).unwrap();
    std::fs::write(
        input.path().join("zeroed.docx"),
        docx_with_body(&[0u8; 4096]),
    )
    .unwrap();
    let (out, output) = extract(input.path(), &["--no-parquet"]);
    assert_eq!(output.status.code(), Some(1));
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    let status: Vec<(&str, &str)> = documents
        .iter()
        .map(|d| (d["source"].as_str(), d["status"].as_str()))
        .collect();
    assert_eq!(
        status,
        [("truncated.xls", "failed"), ("zeroed.docx", "failed")]
    );
    assert!(
        documents[0]["reason"].contains("truncated"),
        "{}",
        documents[0]["reason"]
    );
    assert!(
        documents[1]["reason"].contains("no document body"),
        "{}",
        documents[1]["reason"]
    );
}

#[test]
fn a_wrongly_declared_charset_is_overruled_with_a_warning() {
    let input = tempfile::tempdir().unwrap();
    let gbk = String::from_utf8_lossy(&fixture("seed_gbk.html")).to_string();
    assert!(
        gbk.to_lowercase().contains("charset=gbk"),
        "the fixture declares GBK"
    );
    let relabel = |bytes: Vec<u8>, from: &str, to: &str| {
        let mut text = bytes;
        let at = text
            .windows(from.len())
            .position(|w| w.eq_ignore_ascii_case(from.as_bytes()))
            .expect("a charset label");
        text.splice(at..at + from.len(), to.bytes());
        text
    };
    // GBK bytes declared UTF-8, and UTF-8 bytes declared GBK
    let gbk_as_utf8 = relabel(fixture("seed_gbk.html"), "charset=gbk", "charset=utf-8");
    let utf8_as_gbk = relabel(fixture("seed.html"), "charset='utf-8'", "charset='gbk'");
    std::fs::write(input.path().join("gbk_declared_utf8.html"), gbk_as_utf8).unwrap();
    std::fs::write(input.path().join("utf8_declared_gbk.html"), utf8_as_gbk).unwrap();
    let out = extract_ok(input.path(), &["--no-parquet"]);
    for document in read_csv_maps(&out.path().join("documents.csv")) {
        assert_eq!(
            document["status"], "ok",
            "{}: {}",
            document["source"], document["reason"]
        );
        assert_eq!(document["facts"], "280", "{}", document["source"]);
        assert_eq!(
            document["department"],
            "辽宁省盘锦市大洼区智慧城市运行管理中心"
        );
    }
    let issues = read_csv_maps(&out.path().join("issues.csv"));
    let warnings: Vec<&str> = issues
        .iter()
        .filter(|i| i["message"].contains("declares charset"))
        .map(|i| i["source"].as_str())
        .collect();
    assert_eq!(
        warnings,
        ["gbk_declared_utf8.html", "utf8_declared_gbk.html"]
    );
}

/// A 20,000-character label is quoted in issues.csv in at most a few
/// hundred characters.
#[test]
fn issue_messages_quote_a_cell_in_a_few_hundred_characters() {
    let huge = "超长标签".repeat(5_000);
    let input = tempfile::tempdir().unwrap();
    let text = seed_text().replace("一般公共服务支出", &huge);
    std::fs::write(input.path().join("huge_label.txt"), text).unwrap();
    let (out, _) = extract(input.path(), &["--no-parquet"]);
    let issues = read_csv_maps(&out.path().join("issues.csv"));
    assert!(
        issues.iter().any(|i| i["message"].contains("超长标签")),
        "{issues:?}"
    );
    for issue in &issues {
        let length = issue["message"].chars().count();
        assert!(
            length <= 400,
            "{length} characters: {}",
            issue["message"].chars().take(200).collect::<String>()
        );
    }
}

/// A 49 KB page of 1,000 rows of `<td colspan=1000 rowspan=1000>` would
/// make a grid of a billion cells: refused before it is allocated, the file
/// `partial` with the limit named, and the good report beside it in the
/// batch whole.
#[test]
fn a_span_bomb_page_is_refused_and_the_batch_goes_on() {
    let mut page = String::from("<html><body><table>");
    for _ in 0..1000 {
        page.push_str("<tr><td colspan=1000 rowspan=1000>x</td></tr>");
    }
    page.push_str("</table></body></html>");
    assert_bomb_refused_beside_the_seed("bomb.html", page.as_bytes(), "partial");
}

/// A DOCX whose rows of `gridSpan=1000` cells would make a grid of
/// billions of cells: refused before the grid is built, `failed` with the
/// limit named, the batch going on.
#[test]
fn a_grid_span_bomb_docx_is_refused() {
    let cell = r#"<w:tc><w:tcPr><w:gridSpan w:val="1000"/></w:tcPr><w:p/></w:tc>"#;
    let row = format!("<w:tr>{}</w:tr>", cell.repeat(2000));
    let body = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>{}</w:tbl></w:body></w:document>"#,
        row.repeat(10)
    );
    assert_bomb_refused_beside_the_seed("bomb.docx", &docx_with_body(body.as_bytes()), "failed");
}

/// A hostile file beside the seed in one batch: it gets `status`, its
/// reason names the cell limit, and the seed's 280 facts are all there.
fn assert_bomb_refused_beside_the_seed(name: &str, bytes: &[u8], status: &str) {
    let input = tempfile::tempdir().unwrap();
    std::fs::write(input.path().join(name), bytes).unwrap();
    std::fs::copy(seed_path(), input.path().join("seed.txt")).unwrap();
    let (out, output) = extract(input.path(), &["--no-parquet"]);
    assert_eq!(output.status.code(), Some(1));
    let documents = read_csv_maps(&out.path().join("documents.csv"));
    let (bomb, seed) = (&documents[0], &documents[1]);
    assert_eq!(bomb["source"], name);
    assert_eq!(bomb["status"], status, "{}", bomb["reason"]);
    assert!(
        bomb["reason"].contains("more than 1000000 cells"),
        "{}",
        bomb["reason"]
    );
    assert_eq!(seed["facts"], "280");
}

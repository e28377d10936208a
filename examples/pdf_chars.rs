//! Print the first characters the PDF decoder finds on each page, with
//! their positions: a debugging aid for font and layout problems.
//! `cargo run --release --example pdf_chars -- FILE.pdf [PAGES]`
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: pdf_chars FILE.pdf [PAGES]");
    let pages: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let bytes = std::fs::read(&path).expect("readable file");
    if std::env::var_os("PDF_CHARS_RAW").is_some() {
        let doc = lopdf::Document::load_mem(&bytes).expect("pdf");
        for (n, id) in doc.get_pages().into_iter().take(pages) {
            let content = doc.get_page_content_with_limit(id, 1 << 26);
            println!(
                "page {n} {id:?}: content {:?}",
                content.as_ref().map(|c| c.len())
            );
            println!(
                "  resources {:?}",
                doc.get_page_resources(id)
                    .map(|(own, ids)| (own.map(|d| d.len()), ids))
            );
            if let Ok(c) = content {
                let ops = lopdf::content::Content::decode(&c).map(|c| {
                    for op in c.operations.iter().take(12) {
                        println!("    {} {:?}", op.operator, op.operands);
                    }
                    c.operations.len()
                });
                println!("  operations {ops:?}");
                if let Ok(dict) = doc.get_dictionary((84, 0)) {
                    let font = gongkai::decode::pdf::font::Font::load(&doc, dict, 1 << 26);
                    println!(
                        "  font 84 decodes 01 02 03 as {:?}",
                        font.decode(&[1, 2, 3])
                    );
                }
            }
        }
    }
    match gongkai::decode::pdf::decode(&bytes, &gongkai::decode::pdf::Limits::default()) {
        Ok(pdf) => {
            for page in pdf.pages.iter().take(pages) {
                println!(
                    "page {}: {} chars, {} lines, error {:?}",
                    page.number,
                    page.chars.len(),
                    page.lines.len(),
                    page.error
                );
                for c in page.chars.iter().take(12) {
                    println!(
                        "  {:?} x {:.1}-{:.1} baseline {:.1} size {:.1}",
                        c.text, c.x0, c.x1, c.baseline, c.size
                    );
                }
            }
        }
        Err(e) => println!("{path}: {e}"),
    }
}

//! Arbitrary bytes as a web page: charset detection, the tolerant
//! tokenizer, tables with spans, then the rest of the pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static PATTERNS: OnceLock<gongkai::patterns::Patterns> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let patterns = PATTERNS.get_or_init(gongkai::patterns::Patterns::builtin);
    let mut bytes = b"<html>".to_vec();
    bytes.extend_from_slice(data);
    let _ = gongkai::pipeline::process_bytes(&bytes, "fuzz.html", patterns);
});

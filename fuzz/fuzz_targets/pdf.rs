//! The whole per-document pipeline on arbitrary bytes that start like a PDF:
//! decode (lopdf + the content interpreter and fonts), layout, detect,
//! parse, check. Any panic is a bug: the tool must report bad input, never
//! crash on it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static PATTERNS: OnceLock<gongkai::patterns::Patterns> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let patterns = PATTERNS.get_or_init(gongkai::patterns::Patterns::builtin);
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend_from_slice(data);
    let _ = gongkai::pipeline::process_bytes(&bytes, "fuzz.pdf", patterns);
});

//! The pipeline on arbitrary bytes read as text (encoding detection, the tab
//! layout reader, detection and parsing).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static PATTERNS: OnceLock<gongkai::patterns::Patterns> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let patterns = PATTERNS.get_or_init(gongkai::patterns::Patterns::builtin);
    let _ = gongkai::pipeline::process_bytes(data, "fuzz.txt", patterns);
});

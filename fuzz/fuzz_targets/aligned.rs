//! Arbitrary text through the layout-text reader (tokens, columns, header
//! cells, rows), which has the most index arithmetic of the readers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static PATTERNS: OnceLock<gongkai::patterns::Patterns> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let patterns = PATTERNS.get_or_init(gongkai::patterns::Patterns::builtin);
        let words = gongkai::layout::aligned::Words::of(&patterns.report);
        let _ = gongkai::layout::aligned::layout(text, &words);
    }
});

//! Arbitrary text through the layout-text reader (tokens, columns, header
//! cells, rows), which has the most index arithmetic of the readers.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let patterns = gongkai::patterns::Patterns::builtin();
        let words = gongkai::layout::aligned::Words::of(&patterns.report);
        let _ = gongkai::layout::aligned::layout(text, &words);
    }
});

//! Arbitrary bytes through the content-stream lexer: every stream is read
//! to its end, each operation consuming input.
#![no_main]

use gongkai::decode::pdf::lexer::Operations;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut operations = Operations::new(data);
    let mut count = 0usize;
    while operations.next_operation().is_some() {
        count += 1;
        assert!(count <= data.len(), "more operations than bytes");
    }
});

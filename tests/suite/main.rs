//! gongkai's integration tests, one test binary.
//!
//! Each file here was once a test binary of its own; they are modules of
//! one now because every binary links the whole library and its
//! dependencies again (27 links were a minute of a fresh clone's build),
//! and because one binary lets `cargo test` run the tests of all files
//! side by side instead of one file after another (issue 26). Run one
//! file's tests with `cargo test --test suite ocr::` (its module path).
//!
//! `common` holds the helpers (running the binary, the seed, the shared
//! corpus); `hostile_inputs` makes the hostile files of `limits` and
//! `status` (and of `cargo run --example hostile_inputs`).

mod common;
mod hostile_inputs;

mod architecture;
mod checks;
mod cli;
mod columns;
mod corpus;
mod faults;
mod folder_attacks;
mod formats;
mod identity;
mod limits;
mod national;
mod number_props;
mod numbers;
mod ocr;
mod ocr_scans;
mod ocr_worn;
mod parquet;
mod pdf_robustness;
mod performance;
mod reconcile;
mod rendered;
mod review;
mod scale;
mod seed;
mod site;
mod status;
mod variants;

//! gongkai (公开): Chinese government department budget and final-accounts
//! disclosures (部门预算 / 部门决算公开) → one clean, checked dataset.
//!
//! The stages, each a plain function over owned data:
//! [`read`] (bytes → [`model::Document`], through [`decode`] and
//! [`layout`]) → [`detect`] (tables, department, year, unit, report kind)
//! → [`parse`] (rows → [`model::Fact`]s) → [`check`] (accounting
//! identities) → [`write`] (CSV, Parquet, data package). [`pipeline`] runs
//! them over many files; [`patterns`] holds the table definitions as
//! checked data.
//!
//! ```no_run
//! let patterns = gongkai::patterns::Patterns::builtin();
//! let bytes = std::fs::read("samples/report.txt").unwrap();
//! let record = gongkai::pipeline::process_bytes(&bytes, "report.txt", &patterns);
//! for fact in &record.facts {
//!     println!("{} {} {} {}", fact.table, fact.code, fact.column, fact.value);
//! }
//! ```

pub mod budget;
pub mod check;
pub mod decode;
pub mod detect;
pub mod external;
mod folder;
pub mod layout;
pub mod limits;
pub mod model;
pub mod number;
pub mod ocr;
pub mod parse;
pub mod patterns;
pub mod pipeline;
pub mod read;
pub mod reconcile;
pub mod review;
pub mod site;
pub mod text;
pub mod write;

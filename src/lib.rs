//! nblint: a linter for Chinese government information disclosure annual reports
//! (政府信息公开工作年度报告).
//!
//! ```text
//! bytes ──read──▶ Document ──parse──▶ Report ──check──▶ Diagnostics ──emit──▶ human | short | json | jsonl
//!        (input/)          (report/)        (checks/ + rules/*.toml)     (emit/)
//! ```
//!
//! The library never prints; [`cli`] is a thin adapter over [`engine`].

#![forbid(unsafe_code)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub(crate) mod baseline;
pub mod checks;
pub mod cli;
pub(crate) mod config;
pub(crate) mod cross;
pub(crate) mod dates;
pub mod diagnostic;
pub mod docs;
pub mod emit;
pub mod engine;
pub(crate) mod exclude;
pub(crate) mod hash;
pub mod input;
// The language server needs threads and standard input; the WebAssembly page has neither.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod lsp;
pub(crate) mod outfile;
pub(crate) mod position;
pub mod report;
pub mod rule;
pub(crate) mod template;

pub use diagnostic::{Diagnostic, Lang, Severity};
pub use engine::{FileReport, Options, lint_source};
pub use rule::RuleSet;

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

pub mod baseline;
pub mod checks;
pub mod cli;
pub mod config;
pub mod cross;
pub mod dates;
pub mod diagnostic;
pub mod docs;
pub mod emit;
pub mod engine;
pub mod exclude;
pub mod hash;
pub mod input;
// The language server needs threads and standard input; the WebAssembly page has neither.
#[cfg(not(target_arch = "wasm32"))]
pub mod lsp;
pub mod outfile;
pub mod paths;
pub mod position;
pub mod report;
pub mod rule;
pub mod template;
pub mod text;

pub use diagnostic::{Diagnostic, Lang, Severity};
pub use engine::{FileReport, Options, lint_source};
pub use rule::RuleSet;

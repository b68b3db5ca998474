//! What the engine hands the outputs for one file: its findings, its text (for snippets)
//! and what was learned about it. Defined here, in emit/, so that the outputs need nothing
//! from the engine; the engine builds these (`engine::FileReport` is this type).

use crate::cross::Digest;
use crate::diagnostic::{Diagnostic, Severity};

/// What was learned about a file, for JSON output and cross-report checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FileMeta {
    pub(crate) encoding: String,
    pub(crate) format: String,
    pub(crate) template: Option<String>,
    /// `year`, `override` or `unknown`.
    pub(crate) template_source: &'static str,
    pub(crate) report_year: Option<i32>,
    pub(crate) agency: Option<String>,
    pub(crate) body_type: Option<&'static str>,
    pub(crate) publication_date: Option<String>,
    pub(crate) is_annual_report: bool,
    /// The text as paragraphs and tables, for the HTML view (only with `Options::layout`).
    pub(crate) layout: Option<Box<super::view::Layout>>,
}

/// The result for one file.
#[derive(Clone, Debug, Default)]
pub struct FileReport {
    pub(crate) path: String,
    /// The document's text, for rendering snippets. Empty when the file could not be read.
    pub text: String,
    pub(crate) meta: Option<FileMeta>,
    pub diagnostics: Vec<Diagnostic>,
    /// True when the file could not be read (exit code 2).
    pub unreadable: bool,
    /// The level from which a finding fails the run (`None`: errors only).
    pub(crate) fail_on: Option<Severity>,
    /// What the checks across reports need; taken by the engine before the sink sees it.
    pub(crate) digest: Option<Digest>,
}

impl FileReport {
    /// Whether a finding reaches the fail-on level (exit code 1).
    pub(crate) fn fails(&self) -> bool {
        let level = self.fail_on.unwrap_or(Severity::Error);
        self.diagnostics.iter().any(|d| d.severity >= level)
    }
}

//! Emitters: the only code that knows codespan-reporting, JSON or other output formats.
//! Every emitter writes to a `&mut dyn Write` and receives files one at a time, in order, so
//! output streams and is identical whatever the thread count.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod short;
pub mod snippet;

use crate::diagnostic::{Counts, Lang, Severity};
use crate::engine::FileReport;
use crate::position::{LineIndex, Position};
use std::io::{self, Write};
use std::ops::Range;

/// Totals over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub files_with_findings: usize,
    pub unreadable: usize,
    pub counts: Counts,
    /// Results (per file, and across reports) with a finding at their fail-on level.
    pub failed: usize,
}

impl Summary {
    pub fn add(&mut self, f: &FileReport) {
        self.files += 1;
        if !f.diagnostics.is_empty() {
            self.files_with_findings += 1;
        }
        if f.unreadable {
            self.unreadable += 1;
        }
        for d in &f.diagnostics {
            self.counts.add(d.severity);
        }
        if f.fails() {
            self.failed += 1;
        }
    }

    /// Counts the findings across reports for a file (already counted in `files`).
    pub fn add_cross(&mut self, f: &FileReport) {
        for d in &f.diagnostics {
            self.counts.add(d.severity);
        }
        if f.fails() {
            self.failed += 1;
        }
    }

    pub fn max_severity(&self) -> Option<Severity> {
        if self.counts.errors > 0 {
            Some(Severity::Error)
        } else if self.counts.warnings > 0 {
            Some(Severity::Warning)
        } else if self.counts.notes > 0 {
            Some(Severity::Note)
        } else {
            None
        }
    }
}

/// An output format.
pub trait Emitter {
    fn begin(&mut self, _w: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    fn file(&mut self, w: &mut dyn Write, f: &FileReport) -> io::Result<()>;
    /// Findings across reports for one file, after every `file` call. By default they are
    /// shown like a file's own findings.
    fn cross(&mut self, w: &mut dyn Write, f: &FileReport) -> io::Result<()> {
        self.file(w, f)
    }
    fn end(&mut self, _w: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// Settings shared by emitters.
#[derive(Clone, Copy, Debug, Default)]
pub struct EmitOptions {
    pub lang: Lang,
    pub color: bool,
}

/// Whether the lines and columns of a file's findings are the file's own (plain text and
/// Markdown). For .docx, .html and .pdf they count in the extracted text, so formats that
/// point into the file (SARIF, GitHub annotations) give the location in words instead.
pub fn positions_are_the_files(f: &FileReport) -> bool {
    match &f.meta {
        Some(m) => matches!(m.format.as_str(), "txt" | "md"),
        None => {
            let ext = crate::input::extension(&f.path);
            f.path == "<stdin>" || matches!(ext.as_str(), "txt" | "md" | "markdown" | "")
        }
    }
}

/// A span resolved to lines and columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub start: Position,
    pub end: Position,
    pub byte_start: usize,
    pub byte_end: usize,
}

/// Resolves spans of one file, lazily building its line index.
pub struct Resolver<'a> {
    text: &'a str,
    index: Option<LineIndex>,
}

impl<'a> Resolver<'a> {
    pub fn new(text: &'a str) -> Self {
        Resolver { text, index: None }
    }

    pub fn resolve(&mut self, span: &Range<usize>) -> Resolved {
        let text = self.text;
        let index = self.index.get_or_insert_with(|| LineIndex::new(text));
        let start = span.start.min(text.len());
        let end = span.end.clamp(start, text.len());
        Resolved {
            start: index.position(text, start),
            end: index.position(text, end),
            byte_start: start,
            byte_end: end,
        }
    }
}

//! Emitters: the only code that knows codespan-reporting, JSON or other output formats.
//! Every emitter writes to a `&mut dyn Write` and receives files one at a time, in order, so
//! output streams and is identical whatever the thread count.

pub mod human;
pub mod json;
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

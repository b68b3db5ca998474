//! Emitters: the only code that knows codespan-reporting, JSON or other output formats.
//!
//! An output is made in two steps, so that the costly one can run on the threads that check
//! files while the output itself stays in input order:
//!
//! 1. [`Emitter::render`] turns one file's findings into bytes ([`Rendered`]). It is pure
//!    (`&self`, no shared state), so the engine's worker threads call it as soon as a file is
//!    checked, in any order: JSON serialization, codespan snippets, SARIF results.
//! 2. [`Emitter::write`] copies rendered bytes to the output, in input order, on one thread.
//!    The only state of a run's output, the separators of JSON and SARIF lists, lives in a
//!    [`Stream`] owned by the caller, so the emitter itself is never mutated and can be
//!    shared with the rendering threads.
//!
//! Every emitter writes to a `&mut dyn Write`; the output is identical whatever the thread
//! count, and identical to rendering and writing each file straight away.

pub(crate) mod file_report;
pub(crate) mod github;
pub mod html;
pub mod human;
pub mod json;
pub(crate) mod junit;
pub(crate) mod load_error;
pub(crate) mod rules;
pub(crate) mod sarif;
pub(crate) mod short;
pub(crate) mod snippet;
pub(crate) mod statistics;
pub mod view;

use crate::diagnostic::{Counts, Lang};
use crate::position::{LineIndex, Position};
pub(crate) use file_report::FileMeta;
pub use file_report::FileReport;
use std::io::{self, Write};
use std::ops::Range;

/// Totals over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub(crate) files: usize,
    pub(crate) files_with_findings: usize,
    pub(crate) unreadable: usize,
    pub(crate) counts: Counts,
    /// Results (per file, and across reports) with a finding at their fail-on level.
    pub(crate) failed: usize,
    /// Files found by walking that `exclude` patterns left out (not checked).
    pub(crate) excluded: usize,
}

impl Summary {
    pub(crate) fn add(&mut self, f: &FileReport) {
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
    pub(crate) fn add_cross(&mut self, f: &FileReport) {
        for d in &f.diagnostics {
            self.counts.add(d.severity);
        }
        if f.fails() {
            self.failed += 1;
        }
    }

    /// Adds the totals of another part of the run.
    pub(crate) fn merge(&mut self, o: &Summary) {
        self.files += o.files;
        self.files_with_findings += o.files_with_findings;
        self.unreadable += o.unreadable;
        self.counts.merge(o.counts);
        self.failed += o.failed;
        self.excluded += o.excluded;
    }
}

/// One file's findings rendered by [`Emitter::render`], to be written by [`Emitter::write`].
#[derive(Debug, Default)]
pub struct Rendered {
    pub(crate) bytes: Vec<u8>,
    /// Elements of the run's list (a JSON file object, SARIF results, JSON `cross_report`
    /// diagnostics) in `bytes`, already joined by `,\n`; the writer puts the separator before
    /// the first one.
    pub(crate) items: usize,
    /// Findings across reports (`Emitter::render_cross`), not a file's own.
    pub(crate) cross: bool,
    /// Rendering failed after `bytes`: the writer writes them, then returns the error, as if
    /// the file had been rendered straight into the output.
    pub(crate) error: Option<io::Error>,
}

impl Rendered {
    /// Starts a new list element: the separator from the previous one, if any.
    pub(crate) fn item(&mut self) {
        if self.items > 0 {
            self.bytes.extend_from_slice(b",\n");
        }
        self.items += 1;
    }
}

/// What has been written so far in a run: the state the separators of lists depend on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stream {
    /// Elements written to the main list (JSON `files`, SARIF `results`).
    pub(crate) items: usize,
    /// The JSON `cross_report` array has been opened.
    pub(crate) cross_open: bool,
    /// Elements written to the `cross_report` list.
    pub(crate) cross_items: usize,
}

impl Stream {
    /// Writes `r` as the next elements of a list that has had `*count` elements.
    pub(crate) fn join(count: &mut usize, w: &mut dyn Write, r: &Rendered) -> io::Result<()> {
        if r.items > 0 {
            if *count > 0 {
                w.write_all(b",")?;
            }
            w.write_all(b"\n")?;
            *count += r.items;
        }
        w.write_all(&r.bytes)
    }
}

/// An output format. Immutable once made: see the module documentation for how rendering
/// (any thread) and writing (in order, with a [`Stream`]) divide the work.
pub trait Emitter: Sync {
    fn begin(&self, _w: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// Renders one file's findings into `out` (pure; any thread).
    fn render_file(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()>;

    /// Renders findings across reports for one file. By default they are shown like a file's
    /// own findings.
    fn render_cross(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        self.render_file(out, f)
    }

    /// Writes rendered bytes, in order. By default they are copied as they are.
    fn write(&self, _s: &mut Stream, w: &mut dyn Write, r: &Rendered) -> io::Result<()> {
        w.write_all(&r.bytes)
    }

    fn end(&self, _s: &mut Stream, _w: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }

    /// Renders a file's own findings (`cross == false`) or its findings across reports.
    fn render(&self, f: &FileReport, cross: bool) -> Rendered {
        let mut out = Rendered {
            cross,
            ..Rendered::default()
        };
        let res = if cross {
            self.render_cross(&mut out, f)
        } else {
            self.render_file(&mut out, f)
        };
        out.error = res.err();
        out
    }

    /// Writes `r`, then reports the error its rendering met, if any.
    fn emit(&self, s: &mut Stream, w: &mut dyn Write, r: Rendered) -> io::Result<()> {
        self.write(s, w, &r)?;
        r.error.map_or(Ok(()), Err)
    }

    /// Renders and writes one file as an output of its own (tests, one-off rendering).
    fn file(&self, w: &mut dyn Write, f: &FileReport) -> io::Result<()> {
        self.emit(&mut Stream::default(), w, self.render(f, false))
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
pub(crate) fn positions_are_the_files(f: &FileReport) -> bool {
    match &f.meta {
        Some(m) => matches!(m.format.as_str(), "txt" | "md"),
        None => {
            let ext = crate::input::extension(&f.path);
            f.path == "<stdin>" || matches!(ext.as_str(), "txt" | "md" | "markdown" | "")
        }
    }
}

/// Where a finding is, as the text formats print it after the file name: `line:col` of the
/// file, or, for .docx, .html and .pdf (whose lines are those of the extracted text), the
/// place in words a Word or PDF user can find (`第6段`, `表三 “（一）予以公开” 行 “总计” 列`,
/// `第3页`). Falls back to `line:col` when the reader gave no words.
pub(crate) fn place(f: &FileReport, d: &crate::diagnostic::Diagnostic, r: &mut Resolver) -> String {
    match word_location(f, d) {
        Some(words) => words.to_owned(),
        None => {
            let p = r.resolve(&d.span);
            format!("{}:{}", p.start.line, p.start.column)
        }
    }
}

/// The place in words of a finding in a file whose lines are not its own (see [`place`]).
pub(crate) fn word_location<'d>(
    f: &FileReport,
    d: &'d crate::diagnostic::Diagnostic,
) -> Option<&'d str> {
    if positions_are_the_files(f) {
        return None;
    }
    d.location.as_deref().filter(|l| !l.is_empty())
}

/// A span resolved to lines and columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub(crate) start: Position,
    pub(crate) end: Position,
    pub(crate) byte_start: usize,
    pub(crate) byte_end: usize,
}

/// Resolves spans of one file, lazily building its line index.
pub(crate) struct Resolver<'a> {
    text: &'a str,
    index: Option<LineIndex>,
}

impl<'a> Resolver<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Resolver { text, index: None }
    }

    pub(crate) fn resolve(&mut self, span: &Range<usize>) -> Resolved {
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

/// Bytes of a file's beginning read to recognise an nblint output ([`looks_like_output`]).
pub(crate) const OUTPUT_HEAD: usize = 512;

/// True when `head` (the first [`OUTPUT_HEAD`] bytes of a file) is the beginning of an output
/// nblint writes (any `--format`, or a baseline): such a file found in a checked directory
/// (`-o` inside the tree) is not a report, and checking it would change the next run.
pub(crate) fn looks_like_output(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let has = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let severity = [&b"error[NB"[..], b"warning[NB", b"note[NB"];
    if head.starts_with(b"{") {
        // json, sarif, a baseline: the tool's name; jsonl: a finding's code.
        return has(b"\"nblint\"") || has(b"\"code\":\"NB");
    }
    if head.starts_with(b"<?xml") {
        return has(b"<testsuites name=\"nblint\"");
    }
    if [&b"::error "[..], b"::warning ", b"::notice "]
        .iter()
        .any(|p| head.starts_with(p))
    {
        return true;
    }
    // human: a finding, or only the summary line of a clean run.
    if severity.iter().any(|p| head.starts_with(p)) {
        return true;
    }
    let summary = |prefix: &str, unit: &str| {
        std::str::from_utf8(first_line).is_ok_and(|l| {
            l.strip_prefix(prefix).is_some_and(|rest| {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                digits > 0 && rest[digits..].starts_with(unit)
            })
        })
    };
    if summary("检查了 ", " 个文件：") || summary("checked ", " file") {
        return true;
    }
    // short: `path:line:col: severity[CODE name]: message`, or `path:第6段: …` for a
    // Word, HTML or PDF file (the place in words).
    severity.iter().any(|s| {
        memchr::memmem::find(first_line, s).is_some_and(|at| {
            let before = &first_line[..at];
            let after = &first_line[at + s.len()..];
            let code = after.iter().take_while(|b| b.is_ascii_digit()).count();
            before.ends_with(b": ")
                && before[..before.len() - 2].contains(&b':')
                && code > 0
                && after[code..].starts_with(b" ")
                && memchr::memmem::find(after, b"]: ").is_some()
        })
    })
}

/// A path as shown in the human and short formats: control characters (an escape sequence
/// in a file name would drive the terminal; a newline would forge a line of output) are
/// written as `\u{1b}`, `\n`, … so that what is printed is only the name.
pub(crate) fn escape_path(path: &str) -> std::borrow::Cow<'_, str> {
    if !path.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(path);
    }
    let mut s = String::with_capacity(path.len() + 8);
    for c in path.chars() {
        if c.is_control() {
            s.extend(c.escape_default());
        } else {
            s.push(c);
        }
    }
    std::borrow::Cow::Owned(s)
}

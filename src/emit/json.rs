//! `--format json` (one document) and `--format jsonl` (one diagnostic per line).
//! The contract is written down in docs/json-output.md; change it only with a version bump.

use super::FileReport;
use super::{Emitter, Rendered, Resolved, Resolver, Stream, Summary};
use crate::diagnostic::Diagnostic;
use serde::Serialize;
use std::io::{self, Write};

/// Version of the JSON output contract.
pub(crate) const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
pub(crate) struct JsonSpan {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) end_line: usize,
    pub(crate) end_column: usize,
    pub(crate) byte_start: usize,
    pub(crate) byte_end: usize,
    pub(crate) utf16_column: usize,
    pub(crate) utf16_end_column: usize,
}

impl From<Resolved> for JsonSpan {
    fn from(r: Resolved) -> Self {
        JsonSpan {
            line: r.start.line,
            column: r.start.column,
            end_line: r.end.line,
            end_column: r.end.column,
            byte_start: r.byte_start,
            byte_end: r.byte_end,
            utf16_column: r.start.utf16_column,
            utf16_end_column: r.end.utf16_column,
        }
    }
}

#[derive(Serialize)]
pub(crate) struct JsonLabel<'a> {
    pub(crate) message: &'a str,
    #[serde(flatten)]
    pub(crate) span: JsonSpan,
}

#[derive(Serialize)]
pub(crate) struct JsonSuggestion<'a> {
    pub(crate) replacement: &'a str,
    #[serde(flatten)]
    pub(crate) span: JsonSpan,
}

#[derive(Serialize)]
pub(crate) struct JsonDiagnostic<'a> {
    pub(crate) path: &'a str,
    pub(crate) code: &'a str,
    pub(crate) name: &'a str,
    pub(crate) severity: &'a str,
    pub(crate) message: &'a str,
    #[serde(flatten)]
    pub(crate) span: JsonSpan,
    pub(crate) label: Option<&'a str>,
    pub(crate) labels: Vec<JsonLabel<'a>>,
    pub(crate) notes: &'a [String],
    pub(crate) help: Option<&'a str>,
    pub(crate) suggestion: Option<JsonSuggestion<'a>>,
    pub(crate) location: Option<&'a str>,
    pub(crate) fingerprint: &'a str,
    /// How an arithmetic finding's numbers were bound: `explicit` or `inferred`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) confidence: Option<&'static str>,
}

pub(crate) fn json_diagnostic<'a>(
    path: &'a str,
    d: &'a Diagnostic,
    r: &mut Resolver,
) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        path,
        code: &d.code,
        name: &d.name,
        severity: d.severity.as_str(),
        message: &d.message,
        span: r.resolve(&d.span).into(),
        label: d.label.as_deref(),
        labels: d
            .labels
            .iter()
            .map(|l| JsonLabel {
                message: &l.message,
                span: r.resolve(&l.span).into(),
            })
            .collect(),
        notes: &d.notes,
        help: d.help.as_deref(),
        suggestion: d.suggestion.as_ref().map(|s| JsonSuggestion {
            replacement: &s.replacement,
            span: r.resolve(&s.span).into(),
        }),
        location: d.location.as_deref(),
        fingerprint: &d.fingerprint,
        confidence: d.confidence.map(|c| c.as_str()),
    }
}

/// What a file object says about the file itself (everything but its diagnostics).
#[derive(Serialize)]
pub(crate) struct JsonFileMeta<'a> {
    path: &'a str,
    readable: bool,
    encoding: Option<&'a str>,
    format: Option<&'a str>,
    template: Option<&'a str>,
    template_source: Option<&'a str>,
    report_year: Option<i32>,
    agency: Option<&'a str>,
    body_type: Option<&'a str>,
    publication_date: Option<&'a str>,
    is_annual_report: Option<bool>,
}

impl<'a> JsonFileMeta<'a> {
    pub(crate) fn new(f: &'a FileReport) -> Self {
        let m = f.meta.as_ref();
        JsonFileMeta {
            path: &f.path,
            readable: !f.unreadable,
            encoding: m.map(|m| m.encoding.as_str()),
            format: m.map(|m| m.format.as_str()),
            template: m.and_then(|m| m.template.as_deref()),
            template_source: m.map(|m| m.template_source),
            report_year: m.and_then(|m| m.report_year),
            agency: m.and_then(|m| m.agency.as_deref()),
            body_type: m.and_then(|m| m.body_type),
            publication_date: m.and_then(|m| m.publication_date.as_deref()),
            is_annual_report: m.map(|m| m.is_annual_report),
        }
    }
}

#[derive(Serialize)]
struct JsonFile<'a> {
    #[serde(flatten)]
    meta: JsonFileMeta<'a>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    files_with_findings: usize,
    unreadable: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    excluded: usize,
}

fn io_err(e: serde_json::Error) -> io::Error {
    io::Error::other(e)
}

/// One JSON document for the whole run.
#[derive(Default)]
pub(crate) struct Json;

impl Json {
    pub(crate) fn new() -> Self {
        Json
    }
}

fn open_cross(s: &mut Stream, w: &mut dyn Write) -> io::Result<()> {
    if !s.cross_open {
        s.cross_open = true;
        w.write_all(b"\n],\"cross_report\":[")?;
    }
    Ok(())
}

impl Emitter for Json {
    fn begin(&self, w: &mut dyn Write) -> io::Result<()> {
        write!(
            w,
            "{{\"version\":{JSON_VERSION},\"tool\":{{\"name\":\"nblint\",\"version\":\"{}\"}},\"files\":[",
            env!("CARGO_PKG_VERSION")
        )
    }

    fn render_file(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        let mut r = Resolver::new(&f.text);
        let file = JsonFile {
            meta: JsonFileMeta::new(f),
            diagnostics: f
                .diagnostics
                .iter()
                .map(|d| json_diagnostic(&f.path, d, &mut r))
                .collect(),
        };
        out.item();
        serde_json::to_writer(&mut out.bytes, &file).map_err(io_err)
    }

    /// Findings across reports go into the top-level `cross_report` array, one diagnostic
    /// object each (the object names its path).
    fn render_cross(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        let mut r = Resolver::new(&f.text);
        for d in &f.diagnostics {
            out.item();
            serde_json::to_writer(&mut out.bytes, &json_diagnostic(&f.path, d, &mut r))
                .map_err(io_err)?;
        }
        Ok(())
    }

    fn write(&self, s: &mut Stream, w: &mut dyn Write, r: &Rendered) -> io::Result<()> {
        if r.cross {
            open_cross(s, w)?;
            Stream::join(&mut s.cross_items, w, r)
        } else {
            Stream::join(&mut s.items, w, r)
        }
    }

    fn end(&self, st: &mut Stream, w: &mut dyn Write, s: &Summary) -> io::Result<()> {
        open_cross(st, w)?;
        w.write_all(b"\n],\"summary\":")?;
        serde_json::to_writer(
            &mut *w,
            &JsonSummary {
                files: s.files,
                files_with_findings: s.files_with_findings,
                unreadable: s.unreadable,
                errors: s.counts.errors,
                warnings: s.counts.warnings,
                notes: s.counts.notes,
                excluded: s.excluded,
            },
        )
        .map_err(io_err)?;
        w.write_all(b"}\n")
    }
}

/// One diagnostic object per line.
pub struct Jsonl;

impl Emitter for Jsonl {
    fn render_file(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        let mut r = Resolver::new(&f.text);
        for d in &f.diagnostics {
            serde_json::to_writer(&mut out.bytes, &json_diagnostic(&f.path, d, &mut r))
                .map_err(io_err)?;
            out.bytes.push(b'\n');
        }
        Ok(())
    }
}

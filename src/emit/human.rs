//! The default, rustc-style output (codespan-reporting), in Chinese or English: the header
//! `error[NB101 missing-section]: …`, the `-->` location, the source line with the span
//! underlined, secondary labels, notes (location in words, arithmetic, basis) and help.

use super::FileReport;
use super::snippet::Windowed;
use super::{EmitOptions, Emitter, Rendered, Stream, Summary};
use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::position::LineIndex;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor::Ansi};
use std::io::{self, Write};

pub struct Human {
    pub(crate) opts: EmitOptions,
    config: Config,
}

impl Human {
    pub fn new(opts: EmitOptions) -> Self {
        Human {
            opts,
            config: Config::default(),
        }
    }
}

/// Converts our diagnostic to codespan's, in one place. `map` turns a span of the document
/// into a span of the source codespan is given.
pub(crate) fn to_codespan(
    d: &Diagnostic,
    lang: Lang,
    map: &dyn Fn(usize) -> usize,
) -> CsDiagnostic<()> {
    let sev = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Note => CsSeverity::Note,
    };
    let m = |r: &std::ops::Range<usize>| {
        let a = map(r.start);
        a..map(r.end).max(a)
    };
    let mut labels =
        vec![Label::primary((), m(&d.span)).with_message(d.label.clone().unwrap_or_default())];
    for l in &d.labels {
        labels.push(Label::secondary((), m(&l.span)).with_message(l.message.clone()));
    }
    let mut notes = Vec::new();
    if let Some(loc) = &d.location {
        notes.push(match lang {
            Lang::Zh => format!("位置：{loc}"),
            Lang::En => format!("location: {loc}"),
        });
    }
    notes.extend(d.notes.iter().cloned());
    if let Some(h) = &d.help {
        notes.push(match lang {
            Lang::Zh => format!("建议：{h}"),
            Lang::En => format!("help: {h}"),
        });
    }
    CsDiagnostic::new(sev)
        .with_code(format!("{} {}", d.code, d.name))
        .with_message(d.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

/// Renders one diagnostic of a file to `w`. With `words` (the place in words of a finding in
/// a .docx, .html or .pdf file, see [`super::place`]) the `┌─` header names that place
/// instead of a line of the extracted text, and the location note is not repeated.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render(
    w: &mut dyn Write,
    path: &str,
    text: &str,
    index: &LineIndex,
    d: &Diagnostic,
    words: Option<&str>,
    opts: EmitOptions,
    config: &Config,
) -> io::Result<()> {
    let Some(words) = words else {
        return render_snippet(w, path, text, index, d, opts, config);
    };
    let mut d = d.clone();
    d.location = None;
    let mut buf = Vec::new();
    render_snippet(&mut buf, path, text, index, &d, opts, config)?;
    w.write_all(&with_header_place(&buf, path, words))
}

/// Replaces `path:line:col` on the first `┌─` line of a rendered diagnostic by `path:words`.
fn with_header_place(rendered: &[u8], path: &str, words: &str) -> Vec<u8> {
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        memchr::memmem::find(&hay[from..], needle).map(|i| i + from)
    };
    let Some(arrow) = find(rendered, "┌─".as_bytes(), 0) else {
        return rendered.to_vec();
    };
    let eol = find(rendered, b"\n", arrow).unwrap_or(rendered.len());
    let needle = format!(" {path}:");
    let Some(at) = find(&rendered[..eol], needle.as_bytes(), arrow) else {
        return rendered.to_vec();
    };
    let mut out = Vec::with_capacity(rendered.len() + words.len());
    out.extend_from_slice(&rendered[..at + needle.len()]);
    out.extend_from_slice(words.as_bytes());
    out.extend_from_slice(&rendered[eol..]);
    out
}

fn render_snippet(
    w: &mut dyn Write,
    path: &str,
    text: &str,
    index: &LineIndex,
    d: &Diagnostic,
    opts: EmitOptions,
    config: &Config,
) -> io::Result<()> {
    let (lang, color) = (opts.lang, opts.color);
    let spans: Vec<std::ops::Range<usize>> = std::iter::once(d.span.clone())
        .chain(d.labels.iter().map(|l| l.span.clone()))
        .collect();
    let res = if Windowed::needed(text, index, &spans) {
        let file = Windowed::new(path, text, index, &spans);
        let cs = to_codespan(d, lang, &|o| file.map(o));
        emit_one(w, config, &file, &cs, color)
    } else {
        let file = SimpleFile::new(path, text);
        let cs = to_codespan(d, lang, &|o| o);
        emit_one(w, config, &file, &cs, color)
    };
    res.map_err(|e| match e {
        codespan_reporting::files::Error::Io(e) => e,
        other => io::Error::other(other.to_string()),
    })
}

fn emit_one<'f, F: codespan_reporting::files::Files<'f, FileId = ()>>(
    w: &mut dyn Write,
    config: &Config,
    file: &'f F,
    cs: &CsDiagnostic<()>,
    color: bool,
) -> Result<(), codespan_reporting::files::Error> {
    if color {
        let mut ansi = Ansi::new(&mut *w);
        term::emit_to_write_style(&mut ansi, config, file, cs)
    } else {
        term::emit_to_io_write(&mut *w, config, file, cs)
    }
}

impl Emitter for Human {
    fn render_file(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        let w = &mut out.bytes;
        if f.diagnostics.is_empty() {
            return Ok(());
        }
        if f.unreadable {
            return render_unreadable(w, f, self.opts);
        }
        let index = LineIndex::new(&f.text);
        for d in &f.diagnostics {
            render(
                w,
                &super::escape_path(&f.path),
                &f.text,
                &index,
                d,
                super::word_location(f, d),
                self.opts,
                &self.config,
            )?;
        }
        Ok(())
    }

    fn end(&self, _: &mut Stream, w: &mut dyn Write, s: &Summary) -> io::Result<()> {
        summary_line(w, s, self.opts.lang)
    }
}

/// The last line of the human and short formats: what was checked and found.
pub(crate) fn summary_line(w: &mut dyn Write, s: &Summary, lang: Lang) -> io::Result<()> {
    let c = s.counts;
    match lang {
        Lang::Zh => {
            write!(
                w,
                "检查了 {} 个文件：{} 个错误，{} 个警告，{} 个提示",
                s.files, c.errors, c.warnings, c.notes
            )?;
            if s.unreadable > 0 {
                write!(w, "；{} 个文件无法读取", s.unreadable)?;
            }
            if s.excluded > 0 {
                write!(w, "；{} 个文件按 exclude 排除，没有检查", s.excluded)?;
            }
            writeln!(w, "。")
        }
        Lang::En => {
            write!(
                w,
                "checked {} file{}: {} error{}, {} warning{}, {} note{}",
                s.files,
                plural(s.files),
                c.errors,
                plural(c.errors),
                c.warnings,
                plural(c.warnings),
                c.notes,
                plural(c.notes)
            )?;
            if s.unreadable > 0 {
                write!(w, "; {} could not be read", s.unreadable)?;
            }
            if s.excluded > 0 {
                write!(w, "; {} excluded (not checked)", s.excluded)?;
            }
            writeln!(w, ".")
        }
    }
}

/// A file without text has no snippet: header, the path and the help.
fn render_unreadable(w: &mut dyn Write, f: &FileReport, opts: EmitOptions) -> io::Result<()> {
    use codespan_reporting::term::termcolor::{Color, ColorSpec, NoColor, WriteColor};
    let mut plain;
    let mut ansi;
    let out: &mut dyn WriteColor = if opts.color {
        ansi = Ansi::new(&mut *w);
        &mut ansi
    } else {
        plain = NoColor::new(&mut *w);
        &mut plain
    };
    for d in &f.diagnostics {
        let color = match d.severity {
            Severity::Error => Color::Red,
            Severity::Warning => Color::Yellow,
            Severity::Note => Color::Green,
        };
        out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
        write!(out, "{}[{} {}]", d.severity.as_str(), d.code, d.name)?;
        out.set_color(ColorSpec::new().set_bold(true))?;
        writeln!(out, ": {}", d.message)?;
        out.reset()?;
        writeln!(out, "  ┌─ {}", super::escape_path(&f.path))?;
        writeln!(out, "  │")?;
        if let Some(h) = &d.help {
            match opts.lang {
                Lang::Zh => writeln!(out, "  = 建议：{h}")?,
                Lang::En => writeln!(out, "  = help: {h}")?,
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

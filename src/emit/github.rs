//! `--format github`: GitHub Actions workflow commands, one annotation per finding:
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=NB101 missing-section::message`.
//! Levels map to `error`, `warning` and `notice`. Notes and help follow the message on
//! their own lines. For .docx, .html and .pdf the annotation names the file only and the
//! message starts with the location in words (the lines are those of the extracted text).
//!
//! GitHub shows at most 10 annotations of each level per step on a pull request (50 per
//! job); for more, upload `--format sarif` to code scanning (docs/ci.md).

use super::FileReport;
use super::{Emitter, Rendered, Resolver, Stream, Summary, positions_are_the_files};
use crate::diagnostic::{Lang, Severity};
use std::io::{self, Write};

pub(crate) struct Github {
    pub(crate) lang: Lang,
}

/// Escapes the message part of a workflow command.
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Emitter for Github {
    fn render_file(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        let w = &mut out.bytes;
        let mut r = Resolver::new(&f.text);
        let positions = positions_are_the_files(f) && !f.unreadable;
        for d in &f.diagnostics {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            let mut props = format!("file={}", escape_property(&f.path));
            let mut message = String::new();
            if positions {
                let p = r.resolve(&d.span);
                props.push_str(&format!(
                    ",line={},col={},endLine={},endColumn={}",
                    p.start.line, p.start.column, p.end.line, p.end.column
                ));
            } else if let Some(l) = &d.location {
                message.push_str(&format!("{}{l}\n", self.lang.pick("位置：", "location: ")));
            }
            props.push_str(&format!(
                ",title={}",
                escape_property(&format!("{} {}", d.code, d.name))
            ));
            message.push_str(&d.message);
            for n in &d.notes {
                message.push('\n');
                message.push_str(n);
            }
            if let Some(h) = &d.help {
                message.push('\n');
                message.push_str(self.lang.pick("建议：", "help: "));
                message.push_str(h);
            }
            writeln!(w, "::{level} {props}::{}", escape_data(&message))?;
        }
        Ok(())
    }

    fn end(&self, _: &mut Stream, w: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let c = s.counts;
        match self.lang {
            Lang::Zh => writeln!(
                w,
                "nblint：检查了 {} 个文件：{} 个错误，{} 个警告，{} 个提示；{} 个文件无法读取",
                s.files, c.errors, c.warnings, c.notes, s.unreadable
            ),
            Lang::En => writeln!(
                w,
                "nblint: checked {} files: {} errors, {} warnings, {} notes; {} unreadable",
                s.files, c.errors, c.warnings, c.notes, s.unreadable
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}

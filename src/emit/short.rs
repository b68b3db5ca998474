//! `--format short`: one line per finding, `path:line:col: severity[CODE name]: message`,
//! for grep, editors' quickfix lists and CI logs. For .docx, .html and .pdf the place is
//! given in words instead of lines of the extracted text (`石桥镇.docx:第6段: error[…]`, see
//! [`super::place`]). The last line counts the findings, like the human format's.

use super::FileReport;
use super::{Emitter, Rendered, Resolver, Stream, Summary};
use crate::diagnostic::Lang;
use std::io::{self, Write};

pub(crate) struct Short {
    pub(crate) lang: Lang,
}

impl Emitter for Short {
    fn render_file(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        let w = &mut out.bytes;
        let mut r = Resolver::new(&f.text);
        let path = super::escape_path(&f.path);
        for d in &f.diagnostics {
            writeln!(
                w,
                "{}:{}: {}[{} {}]: {}",
                path,
                super::place(f, d, &mut r),
                d.severity.as_str(),
                d.code,
                d.name,
                d.message.replace('\n', " ")
            )?;
        }
        Ok(())
    }

    fn end(&self, _: &mut Stream, w: &mut dyn Write, s: &Summary) -> io::Result<()> {
        super::human::summary_line(w, s, self.lang)
    }
}

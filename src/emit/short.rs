//! `--format short`: one line per finding, `path:line:col: severity[CODE name]: message`,
//! for grep, editors' quickfix lists and CI logs.

use super::{Emitter, Rendered, Resolver};
use crate::engine::FileReport;
use std::io::{self, Write};

pub struct Short;

impl Emitter for Short {
    fn render_file(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        let w = &mut out.bytes;
        let mut r = Resolver::new(&f.text);
        let path = super::escape_path(&f.path);
        for d in &f.diagnostics {
            let p = r.resolve(&d.span);
            writeln!(
                w,
                "{}:{}:{}: {}[{} {}]: {}",
                path,
                p.start.line,
                p.start.column,
                d.severity.as_str(),
                d.code,
                d.name,
                d.message.replace('\n', " ")
            )?;
        }
        Ok(())
    }
}

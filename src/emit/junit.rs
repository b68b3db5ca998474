//! `--format junit`: JUnit XML for CI systems that show test reports (GitLab, Jenkins,
//! Azure). One `<testsuite>` per checked file; each finding is a `<testcase>` named
//! `CODE name [fingerprint]`: the rule and a hash of what was found (the SARIF partial
//! fingerprint), not its line, so that a case keeps its name when lines move and CI history
//! follows it; a second finding with the same fingerprint in a file gets ` #2`, and so on.
//! The body starts with `path:line:col` (or the place in words for .docx/.html/.pdf). Findings at the file's fail-on level are `<failure>`s, lower
//! ones pass and carry their text in `<system-out>`, so the report agrees with the exit code;
//! an unreadable file is an `<error>`; a file without findings is one passing test case.
//! Findings across reports come after all files, in suites named `path (跨报告)`.

use super::FileReport;
use super::{Emitter, Rendered, Resolver, Stream};
use crate::diagnostic::{Lang, Severity};
use std::io::{self, Write};

pub(crate) struct Junit {
    pub(crate) lang: Lang,
}

/// Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

impl Junit {
    fn suite(&self, w: &mut Vec<u8>, f: &FileReport, name: &str) -> io::Result<()> {
        let level = f.fail_on.unwrap_or(Severity::Error);
        let failures = f
            .diagnostics
            .iter()
            .filter(|d| d.severity >= level && !f.unreadable)
            .count();
        let errors = if f.unreadable { f.diagnostics.len() } else { 0 };
        let tests = f.diagnostics.len().max(1);
        let path = xml_escape(&f.path);
        writeln!(
            w,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">",
            xml_escape(name)
        )?;
        if f.diagnostics.is_empty() {
            writeln!(w, "    <testcase classname=\"{path}\" name=\"nblint\"/>")?;
        }
        let mut r = Resolver::new(&f.text);
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for d in &f.diagnostics {
            let mut body = format!("{}:{}: {}", f.path, super::place(f, d, &mut r), d.message);
            if let Some(l) = &d.location
                && super::word_location(f, d).is_none()
            {
                body.push_str(&format!("\n{}{l}", self.lang.pick("位置：", "location: ")));
            }
            for n in &d.notes {
                body.push('\n');
                body.push_str(n);
            }
            if let Some(h) = &d.help {
                body.push('\n');
                body.push_str(self.lang.pick("建议：", "help: "));
                body.push_str(h);
            }
            let print = super::sarif::fingerprint(d);
            let n = seen.entry(print.clone()).or_insert(0);
            *n += 1;
            let mut name = format!("{} {} [{}]", d.code, d.name, &print[..8]);
            if *n > 1 {
                name.push_str(&format!(" #{n}"));
            }
            writeln!(
                w,
                "    <testcase classname=\"{path}\" name=\"{}\">",
                xml_escape(&name)
            )?;
            let tag = if f.unreadable {
                Some("error")
            } else if d.severity >= level {
                Some("failure")
            } else {
                None
            };
            match tag {
                Some(t) => writeln!(
                    w,
                    "      <{t} message=\"{}\" type=\"{}\">{}</{t}>",
                    xml_escape(&d.message),
                    d.severity.as_str(),
                    xml_escape(&body)
                )?,
                None => writeln!(w, "      <system-out>{}</system-out>", xml_escape(&body))?,
            }
            writeln!(w, "    </testcase>")?;
        }
        writeln!(w, "  </testsuite>")
    }
}

impl Emitter for Junit {
    fn begin(&self, w: &mut dyn Write) -> io::Result<()> {
        writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(w, "<testsuites name=\"nblint\">")
    }

    fn render_file(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        self.suite(&mut out.bytes, f, &f.path)
    }

    fn render_cross(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        let name = format!(
            "{} ({})",
            f.path,
            self.lang.pick("跨报告", "across reports")
        );
        self.suite(&mut out.bytes, f, &name)
    }

    fn end(&self, _: &mut Stream, w: &mut dyn Write, _s: &super::Summary) -> io::Result<()> {
        writeln!(w, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}

//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and editors' SARIF viewers.
//!
//! One run; `tool.driver.rules` carries every rule in effect with its summary, description,
//! basis and default level; results stream in input order (per-file results, then the
//! findings across reports). `columnKind` is `utf16CodeUnits` (SARIF's default, what
//! editors and GitHub count) and columns are given in UTF-16 code units. Paths relative to
//! the working directory use the `%SRCROOT%` base; absolute paths become `file://` URIs.
//! For .docx, .html and .pdf the lines of the extracted text are not lines of the file, so
//! those results name the file without a region and give the location in words.
//! A test validates the output against the official schema (fixtures/sarif/).

use super::{Emitter, Rendered, Resolved, Resolver, Stream, Summary, positions_are_the_files};
use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::engine::FileReport;
use crate::rule::RuleSet;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{self, Write};

/// The schema URI written into the log.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub struct Sarif {
    lang: Lang,
    rules: Vec<Value>,
    index: HashMap<String, usize>,
    root: Option<String>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// Percent-encodes a path for a URI reference (RFC 3986 unreserved characters and `/` kept).
pub fn uri_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn artifact(path: &str) -> Value {
    let p = path.replace('\\', "/");
    if p.starts_with('/') {
        json!({"uri": format!("file://{}", uri_path(&p))})
    } else {
        let rel = p.trim_start_matches("./");
        json!({"uri": uri_path(rel), "uriBaseId": "%SRCROOT%"})
    }
}

fn region(r: Resolved, text: &str) -> Value {
    let mut v = json!({
        "startLine": r.start.line,
        "startColumn": r.start.utf16_column,
        "endLine": r.end.line,
        "endColumn": r.end.utf16_column,
    });
    if let Some(s) = text.get(r.byte_start..r.byte_end).filter(|s| !s.is_empty()) {
        v["snippet"] = json!({"text": s});
    }
    v
}

/// FNV-1a, for a stable partial fingerprint.
fn fnv(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

impl Sarif {
    /// `rule_sets`: every rule set in use (configurations may add rules); rules are listed
    /// once per code, in code order.
    pub fn new(rule_sets: &[&RuleSet], lang: Lang) -> Sarif {
        let mut by_code: std::collections::BTreeMap<&str, &crate::rule::Rule> =
            std::collections::BTreeMap::new();
        for rs in rule_sets {
            for r in &rs.rules {
                by_code.entry(r.code.as_str()).or_insert(r);
            }
        }
        let mut rules = Vec::new();
        let mut index = HashMap::new();
        for (i, r) in by_code.values().enumerate() {
            index.insert(r.code.clone(), i);
            let mut help = r.description.trim().to_owned();
            if let Some(b) = r.basis_text(lang) {
                help.push_str(&format!("\n\n{}{b}", lang.pick("依据：", "Basis: ")));
            }
            rules.push(json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary(lang)},
                "fullDescription": {"text": r.description.trim()},
                "help": {"text": help},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"kind": r.check.kind_name(), "applies_to": r.applies_to},
            }));
        }
        let root = std::env::current_dir().ok().map(|d| {
            format!(
                "file://{}/",
                uri_path(&d.to_string_lossy()).trim_end_matches('/')
            )
        });
        Sarif {
            lang,
            rules,
            index,
            root,
        }
    }

    fn result(&self, f: &FileReport, d: &Diagnostic, r: &mut Resolver, positions: bool) -> Value {
        let lang = self.lang;
        let mut text = d.message.clone();
        for n in &d.notes {
            text.push('\n');
            text.push_str(n);
        }
        if let Some(h) = &d.help {
            text.push('\n');
            text.push_str(lang.pick("建议：", "help: "));
            text.push_str(h);
        }
        let mut phys = json!({"artifactLocation": artifact(&f.path)});
        if positions && !f.unreadable {
            phys["region"] = region(r.resolve(&d.span), &f.text);
        }
        let mut loc = json!({"physicalLocation": phys});
        let words = d.location.clone().or_else(|| {
            d.label
                .clone()
                .filter(|l| !l.is_empty() && !positions && !f.unreadable)
        });
        if let Some(w) = words {
            loc["message"] = json!({"text": w});
        }
        let mut v = json!({
            "ruleId": d.code,
            "level": level(d.severity),
            "message": {"text": text},
            "locations": [loc],
            "partialFingerprints": {"nblint/v1": fnv(&format!("{}\u{0}{}", d.code, d.fingerprint))},
            "properties": {"name": d.name},
        });
        if let Some(&i) = self.index.get(&d.code) {
            v["ruleIndex"] = json!(i);
        }
        if positions && !f.unreadable {
            let related: Vec<Value> = d
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    json!({
                        "id": i + 1,
                        "physicalLocation": {
                            "artifactLocation": artifact(&f.path),
                            "region": region(r.resolve(&l.span), &f.text),
                        },
                        "message": {"text": l.message},
                    })
                })
                .collect();
            if !related.is_empty() {
                v["relatedLocations"] = json!(related);
            }
            if let Some(s) = &d.suggestion {
                let mut deleted = region(r.resolve(&s.span), &f.text);
                if let Some(o) = deleted.as_object_mut() {
                    o.remove("snippet");
                }
                v["fixes"] = json!([{
                    "description": {"text": d.help.clone().unwrap_or_else(|| d.message.clone())},
                    "artifactChanges": [{
                        "artifactLocation": artifact(&f.path),
                        "replacements": [{
                            "deletedRegion": deleted,
                            "insertedContent": {"text": s.replacement},
                        }],
                    }],
                }]);
            }
        }
        v
    }

    fn results(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        let mut r = Resolver::new(&f.text);
        let positions = positions_are_the_files(f);
        for d in &f.diagnostics {
            let v = self.result(f, d, &mut r, positions);
            out.item();
            serde_json::to_writer(&mut out.bytes, &v).map_err(io::Error::other)?;
        }
        Ok(())
    }
}

impl Emitter for Sarif {
    fn begin(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut run = json!({
            "tool": {"driver": {
                "name": "nblint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": self.rules,
            }},
            "language": self.lang.pick("zh-CN", "en-US"),
            "columnKind": "utf16CodeUnits",
        });
        if let Some(root) = &self.root {
            run["originalUriBaseIds"] = json!({"%SRCROOT%": {"uri": root}});
        }
        let head = serde_json::to_string(&run).map_err(io::Error::other)?;
        // Leave the run object open and stream its results.
        let head = head.strip_suffix('}').unwrap_or(&head);
        write!(
            w,
            "{{\"$schema\":\"{SCHEMA}\",\"version\":\"2.1.0\",\"runs\":[{head},\"results\":["
        )
    }

    fn render_file(&self, out: &mut Rendered, f: &FileReport) -> io::Result<()> {
        self.results(out, f)
    }

    /// Results across reports continue the same list.
    fn write(&self, s: &mut Stream, w: &mut dyn Write, r: &Rendered) -> io::Result<()> {
        Stream::join(&mut s.items, w, r)
    }

    fn end(&self, _: &mut Stream, w: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let inv = json!([{"executionSuccessful": s.unreadable == 0}]);
        write!(w, "\n],\"invocations\":{inv}}}]}}\n")
    }
}

//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and editors' SARIF viewers.
//!
//! One run; `tool.driver.rules` carries every rule in effect with its summary, description,
//! basis and default level; results stream in input order (per-file results, then the
//! findings across reports). `columnKind` is `utf16CodeUnits` (SARIF's default, what
//! editors and GitHub count) and columns are given in UTF-16 code units.
//!
//! Artifact URIs are relative: a file under the working directory is relative to the base
//! `%SRCROOT%`; a file outside it (`nblint check ../reports`) is relative to the checked
//! path it was found under, a base `ROOT1`, `ROOT2`, … in `originalUriBaseIds` whose URI is
//! that path's absolute `file://` URI. Only a file under neither gets an absolute URI.
//!
//! For .docx, .html and .pdf the lines of the extracted text are not lines of the file: their
//! results carry a region in the extracted text (so that code scanning, which needs a line,
//! shows them) without a snippet, the place in words as the location's message and as a
//! `logicalLocation` (`第6段`, `表三 “（一）予以公开” 行 “总计” 列`), and no fixes.
//! A test validates the output against the official schema (fixtures/sarif/).

use super::FileReport;
use super::{Emitter, Rendered, Resolved, Resolver, Stream, Summary, positions_are_the_files};
use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::rule::RuleSet;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The schema URI written into the log.
pub(crate) const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub(crate) struct Sarif {
    lang: Lang,
    rules: Vec<Value>,
    index: HashMap<String, usize>,
    /// Base URIs: (id, absolute directory, its `file://` URI); `%SRCROOT%` first.
    roots: Vec<(String, PathBuf, String)>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// Percent-encodes a path for a URI reference (RFC 3986 unreserved characters and `/` kept).
pub(crate) fn uri_path(path: &str) -> String {
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

/// The `file://` URI of an absolute directory, ending in `/`.
fn dir_uri(dir: &Path) -> String {
    let s = uri_path(&dir.to_string_lossy());
    let s = s.trim_end_matches('/');
    if s.starts_with('/') {
        format!("file://{s}/")
    } else {
        // A Windows path (C:/…).
        format!("file:///{s}/")
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

/// FNV-1a, for a stable partial fingerprint (also names JUnit test cases).
pub(crate) fn fnv(s: &str) -> String {
    format!("{:016x}", crate::hash::fnv64(s.as_bytes()))
}

/// The stable fingerprint of a finding: its rule and what was found, not where.
pub(crate) fn fingerprint(d: &Diagnostic) -> String {
    fnv(&format!("{}\u{0}{}", d.code, d.fingerprint))
}

impl Sarif {
    /// `rule_sets`: every rule set in use (configurations may add rules); rules are listed
    /// once per code, in code order.
    /// `inputs`: the paths named on the command line, whose directories outside the working
    /// directory become base URIs.
    pub(crate) fn new(rule_sets: &[&RuleSet], lang: Lang, inputs: &[PathBuf]) -> Sarif {
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
            let mut help = r.description(lang).trim().to_owned();
            if let Some(b) = r.basis_text(lang) {
                help.push_str(&format!("\n\n{}{b}", lang.pick("依据：", "Basis: ")));
            }
            rules.push(json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary(lang)},
                "fullDescription": {"text": r.description(lang).trim()},
                "help": {"text": help},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"kind": r.check.kind_name(), "applies_to": r.applies_to},
            }));
        }
        let mut roots = Vec::new();
        if let Ok(cwd) = std::env::current_dir() {
            let cwd = crate::paths::lexical_absolute(&cwd);
            roots.push(("%SRCROOT%".to_owned(), cwd.clone(), dir_uri(&cwd)));
            for p in inputs.iter().filter(|p| p.as_os_str() != "-") {
                let abs = crate::paths::lexical_absolute(p);
                let dir = if p.is_dir() {
                    abs
                } else {
                    match abs.parent() {
                        Some(d) => d.to_path_buf(),
                        None => continue,
                    }
                };
                if roots.iter().any(|(_, r, _)| dir.starts_with(r)) {
                    continue;
                }
                // A later path may contain an earlier root: keep the outer one.
                roots.retain(|(id, r, _)| id == "%SRCROOT%" || !r.starts_with(&dir));
                let uri = dir_uri(&dir);
                roots.push((String::new(), dir, uri));
            }
            for (i, r) in roots.iter_mut().skip(1).enumerate() {
                r.0 = format!("ROOT{}", i + 1);
            }
        }
        Sarif {
            lang,
            rules,
            index,
            roots,
        }
    }

    /// The artifact location of a checked file (see the module documentation).
    fn artifact(&self, path: &str) -> Value {
        let abs = crate::paths::lexical_absolute(Path::new(path));
        for (id, root, _) in &self.roots {
            if let Ok(rel) = abs.strip_prefix(root) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                return json!({"uri": uri_path(&rel), "uriBaseId": id});
            }
        }
        let p = abs.to_string_lossy().replace('\\', "/");
        let p = p.trim_start_matches('/');
        json!({"uri": format!("file:///{}", uri_path(p))})
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
        let mut phys = json!({"artifactLocation": self.artifact(&f.path)});
        if !f.unreadable {
            let mut reg = region(r.resolve(&d.span), &f.text);
            if !positions && let Some(o) = reg.as_object_mut() {
                // The extracted text is not the file's content.
                o.remove("snippet");
            }
            phys["region"] = reg;
        }
        let mut loc = json!({"physicalLocation": phys});
        let words = d.location.clone().or_else(|| {
            d.label
                .clone()
                .filter(|l| !l.is_empty() && !positions && !f.unreadable)
        });
        if let Some(w) = &words {
            loc["message"] = json!({"text": w});
        }
        if !positions && let Some(w) = d.location.as_ref().filter(|w| !w.is_empty()) {
            loc["logicalLocations"] =
                json!([{"name": w, "fullyQualifiedName": format!("{} {w}", f.path)}]);
        }
        let mut v = json!({
            "ruleId": d.code,
            "level": level(d.severity),
            "message": {"text": text},
            "locations": [loc],
            "partialFingerprints": {"nblint/v1": fingerprint(d)},
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
                            "artifactLocation": self.artifact(&f.path),
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
                        "artifactLocation": self.artifact(&f.path),
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
        if !self.roots.is_empty() {
            let bases: serde_json::Map<String, Value> = self
                .roots
                .iter()
                .map(|(id, _, uri)| (id.clone(), json!({"uri": uri})))
                .collect();
            run["originalUriBaseIds"] = Value::Object(bases);
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

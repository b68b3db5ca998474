//! The engine: `lint_source` is a pure function from a file's name and bytes to findings;
//! `lint_inputs` runs it over many files with rayon and hands the results to a sink in input
//! order, a chunk at a time, so memory stays flat however many files are checked and the
//! output is the same whatever the thread count.
//!
//! The engine never prints; adapters (the CLI, tests, a future language server) decide what
//! to do with the results.

use crate::checks::{Ctx, Phase, read_failure::Cause};
use crate::diagnostic::{Diagnostic, Lang};
use crate::input::{self, Document, Limits, ReadError};
use crate::report::{ReadOptions, Report, TemplateSource};
use crate::rule::RuleSet;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Everything that changes how files are checked.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub lang: Lang,
    pub read: ReadOptions,
    pub limits: Limits,
    /// Rules switched off (by code or name).
    pub disabled: HashSet<String>,
    /// Severity overrides by code or name.
    pub severity: HashMap<String, crate::diagnostic::Severity>,
}

impl Options {
    fn rule_enabled(&self, code: &str, name: &str) -> bool {
        !self.disabled.contains(code) && !self.disabled.contains(name)
    }
}

/// What was learned about a file, for JSON output and cross-report checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileMeta {
    pub encoding: String,
    pub format: String,
    pub template: Option<String>,
    /// `year`, `override` or `unknown`.
    pub template_source: &'static str,
    pub report_year: Option<i32>,
    pub agency: Option<String>,
    pub body_type: Option<&'static str>,
    pub publication_date: Option<String>,
    pub is_annual_report: bool,
}

/// The result for one file.
#[derive(Clone, Debug, Default)]
pub struct FileReport {
    pub path: String,
    /// The document's text, for rendering snippets. Empty when the file could not be read.
    pub text: String,
    pub meta: Option<FileMeta>,
    pub diagnostics: Vec<Diagnostic>,
    /// True when the file could not be read (exit code 2).
    pub unreadable: bool,
}

/// Checks one file given its bytes.
pub fn lint_source(path: &str, bytes: &[u8], rules: &RuleSet, opts: &Options) -> FileReport {
    match input::read(path, bytes, &opts.limits) {
        Ok(doc) => lint_document(path, doc, rules, opts),
        Err(e) => read_failure(path, &e, rules, opts),
    }
}

/// Checks one decoded document.
pub fn lint_document(path: &str, doc: Document, rules: &RuleSet, opts: &Options) -> FileReport {
    let report = Report::build(&doc, &rules.templates, &opts.read);
    let template = report.template.map(|t| t.name.as_str());
    let mut diagnostics = Vec::new();
    let mut annual = true;
    for phase in [Phase::Gate, Phase::Report] {
        for rule in &rules.rules {
            if rule.check.phase() != phase
                || !rule.applies(template)
                || !opts.rule_enabled(&rule.code, &rule.name)
                || (!annual && rule.check.needs_annual_report())
            {
                continue;
            }
            let mut ctx = Ctx::new(&report, rule, opts.lang);
            rule.check.run(&mut ctx);
            if phase == Phase::Gate && !ctx.out.is_empty() {
                annual = false;
            }
            let over = opts
                .severity
                .get(&rule.code)
                .or_else(|| opts.severity.get(&rule.name));
            for mut d in ctx.out {
                if let Some(&s) = over {
                    d.severity = s;
                }
                diagnostics.push(d);
            }
        }
    }
    sort(&mut diagnostics);
    let m = &report.meta;
    let meta = FileMeta {
        encoding: doc.encoding.clone(),
        format: doc.format.as_str().to_owned(),
        template: template.map(str::to_owned),
        template_source: match report.template_source {
            TemplateSource::Year => "year",
            TemplateSource::Override => "override",
            TemplateSource::Unknown => "unknown",
        },
        report_year: m.year,
        agency: m.agency.clone(),
        body_type: report.body_type.map(|b| b.as_str()),
        publication_date: m.publication_date().map(|d| d.iso()),
        is_annual_report: annual,
    };
    drop(report);
    FileReport {
        path: path.to_owned(),
        text: doc.text,
        meta: Some(meta),
        diagnostics,
        unreadable: false,
    }
}

/// Sorts findings by position, then code; removes exact duplicates.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}

/// The finding for a file that could not be read.
pub fn read_failure(path: &str, err: &ReadError, rules: &RuleSet, opts: &Options) -> FileReport {
    let cause = if err.is_no_text() {
        Cause::NoText
    } else {
        Cause::Unreadable
    };
    let lang = opts.lang;
    let reason = err.reason(lang);
    let advice = err.advice(lang);
    let rule = rules
        .rules
        .iter()
        .find(|r| matches!(&r.check, crate::checks::Check::ReadFailure(p) if p.cause == cause));
    let d = match rule {
        Some(rule) => {
            let vars = |n: &str| -> Option<String> {
                Some(match n {
                    "reason" => reason.clone(),
                    "advice" => advice.clone(),
                    "path" => path.to_owned(),
                    "code" => rule.code.clone(),
                    "name" => rule.name.clone(),
                    "basis" => rule.basis_text(lang).unwrap_or_default(),
                    _ => String::new(),
                })
            };
            Diagnostic {
                code: rule.code.clone(),
                name: rule.name.clone(),
                severity: opts
                    .severity
                    .get(&rule.code)
                    .copied()
                    .unwrap_or(rule.severity),
                message: rule.message(lang).render(&vars),
                span: 0..0,
                label: None,
                labels: Vec::new(),
                notes: Vec::new(),
                help: rule.help(lang).map(|h| h.render(&vars)),
                suggestion: None,
                location: None,
                fingerprint: reason.clone(),
            }
        }
        // The built-in rule files define these; a user set without them still gets a finding.
        None => Diagnostic {
            code: if cause == Cause::NoText {
                "NB002"
            } else {
                "NB001"
            }
            .into(),
            name: if cause == Cause::NoText {
                "no-text-layer"
            } else {
                "unreadable-file"
            }
            .into(),
            severity: crate::diagnostic::Severity::Error,
            message: reason.clone(),
            span: 0..0,
            label: None,
            labels: Vec::new(),
            notes: Vec::new(),
            help: Some(advice.clone()),
            suggestion: None,
            location: None,
            fingerprint: reason.clone(),
        },
    };
    FileReport {
        path: path.to_owned(),
        text: String::new(),
        meta: None,
        diagnostics: vec![d],
        unreadable: true,
    }
}

/// One thing to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
    /// A named path that does not exist or cannot be walked.
    Missing(PathBuf, ReadError),
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::File(p) | Input::Missing(p, _) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_owned(),
        }
    }
}

/// Expands the command-line paths: files are taken as named (whatever their extension),
/// directories are walked recursively in sorted order, honouring .gitignore and skipping
/// hidden files and files of other types. Each file appears once. The CLI walks
/// [`input::WALKED_EXTENSIONS`]: the formats nblint reads, and the report formats it cannot
/// read (.doc, .wps, .ofd, .rtf), which then get a finding saying what to save them as.
pub fn collect_inputs(paths: &[PathBuf], extensions: &[&str]) -> Vec<Input> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                out.push(Input::Missing(p.clone(), e.into()));
                continue;
            }
        };
        if !meta.is_dir() {
            if seen.insert(p.clone()) {
                out.push(Input::File(p.clone()));
            }
            continue;
        }
        let walker = ignore::WalkBuilder::new(p)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for entry in walker {
            match entry {
                Ok(e) => {
                    if !e.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    let path = e.into_path();
                    let ext = input::extension(&path.to_string_lossy());
                    if extensions.contains(&ext.as_str()) && seen.insert(path.clone()) {
                        out.push(Input::File(path));
                    }
                }
                Err(e) => out.push(Input::Missing(p.clone(), ReadError::Io(e.to_string()))),
            }
        }
    }
    out
}

/// Reads a file within the size limit.
fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path)?;
    if meta.len() > limits.max_file_bytes {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit: limits.max_file_bytes,
        });
    }
    Ok(std::fs::read(path)?)
}

/// Checks one input.
pub fn lint_input(
    input: &Input,
    stdin: Option<&[u8]>,
    rules: &RuleSet,
    opts: &Options,
) -> FileReport {
    let name = input.display();
    match input {
        Input::Stdin => lint_source(&name, stdin.unwrap_or_default(), rules, opts),
        Input::Missing(_, e) => read_failure(&name, e, rules, opts),
        Input::File(p) => match read_file(p, &opts.limits) {
            Ok(bytes) => lint_source(&name, &bytes, rules, opts),
            Err(e) => read_failure(&name, &e, rules, opts),
        },
    }
}

/// Files checked per parallel batch; results of a batch are handed to the sink in order
/// before the next batch starts.
pub const BATCH: usize = 256;

/// Checks `inputs` on `pool`, calling `sink` for each result in input order.
pub fn lint_inputs<E>(
    inputs: &[Input],
    stdin: Option<&[u8]>,
    rules: &RuleSet,
    opts: &Options,
    pool: &rayon::ThreadPool,
    mut sink: impl FnMut(FileReport) -> Result<(), E>,
) -> Result<(), E> {
    for chunk in inputs.chunks(BATCH) {
        let results: Vec<FileReport> = pool.install(|| {
            chunk
                .par_iter()
                .map(|i| lint_input(i, stdin, rules, opts))
                .collect()
        });
        for r in results {
            sink(r)?;
        }
    }
    Ok(())
}

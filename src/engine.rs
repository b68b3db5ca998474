//! The engine: `lint_source` is a pure function from a file's name and bytes to findings;
//! `lint_inputs` runs it over many files with rayon and hands the results to a sink in input
//! order, so the output is the same whatever the thread count.
//!
//! How the threads are used ([`ordered_iter`]): every thread of the pool takes the next file
//! from a shared source (for the CLI, the directory walk itself, [`Walk`]: checking starts
//! with the first file found and no list of files is made), checks it, runs the caller's
//! `prepare` step on the result (the CLI renders the file's output there) and puts it into
//! a reorder window; the calling thread
//! takes results out of the window strictly in input order and hands them to the sink. The
//! workers never wait for the sink or for each other, except when they are a whole window
//! ahead of it, which bounds memory however many files are checked. What the checks across
//! reports need is kept in a [`cross::Store`], which spills to a temporary file.
//!
//! The engine never prints; adapters (the CLI, tests, the language server) decide what
//! to do with the results.
//!
//! Findings are filtered here, in one place: rules switched off, inline `nblint-disable`
//! comments (recognised by `report::suppress`) and `[[ignore]]` entries of nblint.toml.
//! After the last file, the checks across reports run (`crate::cross`) and their findings
//! are handed to the sink as [`Output::Cross`], after every per-file result.

use crate::checks::{Ctx, Phase, read_failure::Cause};
use crate::config::{Config, Switch};
use crate::cross::{self, Digest};
use crate::dates::Deadlines;
use crate::diagnostic::{Diagnostic, Lang, Severity};
use crate::emit;
use crate::input::{self, Document, Limits, ReadError};
use crate::report::suppress::Suppressions;
use crate::report::{ReadOptions, Report, TemplateSource};
use crate::rule::{Rule, RuleSet};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

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
    /// The body the reports belong to, for checks across years (nblint.toml `agency`);
    /// otherwise the agency in the title.
    pub agency: Option<String>,
    /// Local publication deadlines (nblint.toml `[deadlines]`).
    pub deadlines: Deadlines,
    /// The level from which a finding fails the run (exit 1); `None` means errors only.
    pub fail_on: Option<Severity>,
    /// The configuration in force, whose `[[ignore]]` entries drop findings.
    pub config: Option<Arc<Config>>,
    /// Keep what the HTML view shows of each file (`FileMeta::layout`).
    pub layout: bool,
}

impl Options {
    fn rule_enabled(&self, code: &str, name: &str) -> bool {
        !self.disabled.contains(code) && !self.disabled.contains(name)
    }

    /// Applies `[rules]` settings: `off` disables, `on` enables, a level enables and sets it.
    pub fn apply(&mut self, switches: &[(String, Switch)]) {
        for (key, s) in switches {
            match s {
                Switch::Off => {
                    self.disabled.insert(key.clone());
                }
                Switch::On => {
                    self.disabled.remove(key);
                }
                Switch::Level(l) => {
                    self.disabled.remove(key);
                    self.severity.insert(key.clone(), *l);
                }
            }
        }
    }

    /// The severity override for a rule, if any.
    fn level_for(&self, rule: &Rule) -> Option<Severity> {
        self.severity
            .get(&rule.code)
            .or_else(|| self.severity.get(&rule.name))
            .copied()
    }

    /// Drops findings switched off by inline comments or `[[ignore]]`, then sorts.
    fn filter(&self, path: &str, text: &str, sup: Option<&Suppressions>, d: &mut Vec<Diagnostic>) {
        if let Some(s) = sup.filter(|s| !s.is_empty()) {
            d.retain(|x| !s.covers(x.span.start, &x.code, &x.name));
        }
        if let Some(c) = self.config.as_ref().filter(|c| !c.ignores.is_empty()) {
            let rel = c.relative(path);
            d.retain(|x| !c.ignores(&rel, x, text));
        }
        sort(d);
    }
}

/// The rules and options for the files under one configuration.
#[derive(Clone, Debug)]
pub struct Profile<'r> {
    pub rules: &'r RuleSet,
    pub opts: Options,
    /// Set on the command line, so `[[override]]` tables leave them alone.
    pub pinned_template: bool,
    pub pinned_body_type: bool,
}

impl<'r> Profile<'r> {
    pub fn new(rules: &'r RuleSet, opts: Options) -> Self {
        Profile {
            rules,
            opts,
            pinned_template: false,
            pinned_body_type: false,
        }
    }

    /// The options for one file: the profile's, changed by the `[[override]]` tables whose
    /// globs match the file.
    pub fn options_for(&self, path: &str) -> Cow<'_, Options> {
        let Some(c) = self
            .opts
            .config
            .as_ref()
            .filter(|c| !c.overrides.is_empty())
        else {
            return Cow::Borrowed(&self.opts);
        };
        let rel = c.relative(path);
        let mut matching = c.overrides_for(&rel).peekable();
        if matching.peek().is_none() {
            return Cow::Borrowed(&self.opts);
        }
        let mut o = self.opts.clone();
        for ov in matching {
            if !self.pinned_body_type && ov.report.body_type.is_some() {
                o.read.body_type = ov.report.body_type;
            }
            if !self.pinned_template && ov.report.template.is_some() {
                o.read.template = ov.report.template.clone();
            }
            if ov.report.agency.is_some() {
                o.agency = ov.report.agency.clone();
            }
            o.apply(&ov.rules);
        }
        Cow::Owned(o)
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
    /// The text as paragraphs and tables, for the HTML view (only with `Options::layout`).
    pub layout: Option<Box<crate::emit::view::Layout>>,
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
    /// The level from which a finding fails the run (`None`: errors only).
    pub fail_on: Option<Severity>,
    /// What the checks across reports need; taken by the engine before the sink sees it.
    pub digest: Option<Digest>,
}

impl FileReport {
    /// Whether a finding reaches the fail-on level (exit code 1).
    pub fn fails(&self) -> bool {
        let level = self.fail_on.unwrap_or(Severity::Error);
        self.diagnostics.iter().any(|d| d.severity >= level)
    }
}

/// Checks one file given its bytes.
pub fn lint_source(path: &str, bytes: &[u8], rules: &RuleSet, opts: &Options) -> FileReport {
    match input::read(path, bytes, &opts.limits) {
        Ok(doc) => lint_document(path, doc, rules, opts),
        Err(e) => read_failure(path, &e, rules, opts),
    }
}

/// An arithmetic finding whose numbers were only inferred is at most a warning, even where
/// the configuration raises the rule to an error: precision first.
fn cap_inferred(d: &mut Diagnostic) {
    if d.confidence == Some(crate::diagnostic::Confidence::Inferred) {
        d.severity = d.severity.min(crate::diagnostic::Severity::Warning);
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
            ctx.deadlines = opts.deadlines;
            ctx.peers = &rules.rules;
            rule.check.run(&mut ctx);
            if phase == Phase::Gate && !ctx.out.is_empty() {
                annual = false;
            }
            let over = opts.level_for(rule);
            for mut d in ctx.finish() {
                if let Some(s) = over {
                    d.severity = s;
                }
                cap_inferred(&mut d);
                diagnostics.push(d);
            }
        }
    }
    opts.filter(
        path,
        &doc.text,
        Some(&report.suppressions),
        &mut diagnostics,
    );
    let digest = if annual {
        cross::digest(&report, opts.agency.as_deref())
    } else {
        None
    };
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
        layout: opts
            .layout
            .then(|| Box::new(crate::emit::view::layout(&report, opts.lang))),
    };
    drop(report);
    FileReport {
        path: path.to_owned(),
        text: doc.text,
        meta: Some(meta),
        diagnostics,
        unreadable: false,
        fail_on: opts.fail_on,
        digest,
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
    let rule = rules.rules.iter().find(|r| {
        r.check
            .params::<crate::checks::read_failure::Params>()
            .is_some_and(|p| p.cause == cause)
    });
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
                confidence: None,
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
            confidence: None,
        },
    };
    let mut diagnostics = vec![d];
    opts.filter(path, "", None, &mut diagnostics);
    FileReport {
        path: path.to_owned(),
        text: String::new(),
        meta: None,
        fail_on: opts.fail_on,
        diagnostics,
        unreadable: true,
        digest: None,
    }
}

/// One thing to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
    /// A named path that does not exist or cannot be walked. (Boxed: every input of a run is
    /// kept until the end, and few are missing.)
    Missing(PathBuf, Box<ReadError>),
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
///
/// Collects [`Walk`] into a list; the CLI streams it instead.
pub fn collect_inputs(paths: &[PathBuf], extensions: &[&str]) -> Vec<Input> {
    Walk::new(paths, extensions).collect()
}

/// The inputs named by the command-line paths, one at a time, in the order of
/// [`collect_inputs`]: paths in the order named, each directory walked in sorted order.
/// Nothing is read ahead: a directory's entries are listed when the walk gets to it (the
/// `ignore` walker keeps one sorted listing per open directory), so memory does not grow
/// with the number of files.
///
/// Symbolic links are followed (a linked report is checked like any other); a link back to
/// a directory being walked is a loop and is not entered again. A directory or link the
/// walk cannot enter is reported against its own path. nblint's own outputs found in a
/// walked directory (`-o` written inside the tree, [`emit::looks_like_output`]) are not
/// reports and are left out.
///
/// A file comes twice only from two named paths (`nblint check dir dir/a.md`), so only files
/// under a path named later are remembered, to leave out their second coming.
pub struct Walk<'a> {
    paths: &'a [PathBuf],
    extensions: &'a [&'a str],
    /// The next named path to start.
    next: usize,
    /// The walk of a named directory, with the path's index.
    current: Option<(usize, ignore::Walk)>,
    own_outputs: bool,
    /// The last index at which each path is named (only with several paths).
    named: HashMap<&'a Path, usize>,
    /// Files seen that a later named path also yields.
    seen: HashSet<PathBuf>,
}

impl<'a> Walk<'a> {
    pub fn new(paths: &'a [PathBuf], extensions: &'a [&'a str]) -> Walk<'a> {
        let mut named = HashMap::new();
        if paths.len() > 1 {
            for (i, p) in paths.iter().enumerate() {
                named.insert(p.as_path(), i);
            }
        }
        Walk {
            paths,
            extensions,
            next: 0,
            current: None,
            own_outputs: true,
            named,
            seen: HashSet::new(),
        }
    }

    /// Keeps nblint's own outputs (does not open files to look for them): for a quick count
    /// of what a walk will yield.
    pub fn keep_own_outputs(mut self) -> Walk<'a> {
        self.own_outputs = false;
        self
    }

    /// Whether the file `path`, found from the path named at `index`, is new.
    fn first_time(&mut self, index: usize, path: &Path) -> bool {
        if self.named.is_empty() {
            return true;
        }
        if self.seen.contains(path) {
            return false;
        }
        if path
            .ancestors()
            .any(|a| self.named.get(a).is_some_and(|&k| k > index))
        {
            self.seen.insert(path.to_path_buf());
        }
        true
    }

    /// Files remembered to leave out their second coming (for tests).
    pub fn remembered(&self) -> usize {
        self.seen.len()
    }
}

impl Iterator for Walk<'_> {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if let Some((j, w)) = &mut self.current {
                let j = *j;
                match w.next() {
                    Some(Ok(e)) => {
                        if !e.file_type().is_some_and(|t| t.is_file()) {
                            continue;
                        }
                        let path = e.into_path();
                        let ext = input::extension(&path.to_string_lossy());
                        if self.extensions.contains(&ext.as_str())
                            && !(self.own_outputs && is_own_output(&path, &ext))
                            && self.first_time(j, &path)
                        {
                            return Some(Input::File(path));
                        }
                    }
                    Some(Err(e)) => {
                        if let Some(m) = walk_error(e, &self.paths[j], self.extensions) {
                            return Some(m);
                        }
                    }
                    None => self.current = None,
                }
                continue;
            }
            let j = self.next;
            let p = self.paths.get(j)?;
            self.next += 1;
            if p.as_os_str() == "-" {
                return Some(Input::Stdin);
            }
            let meta = match std::fs::metadata(p) {
                Ok(m) => m,
                Err(e) => return Some(Input::Missing(p.clone(), Box::new(e.into()))),
            };
            if !meta.is_dir() {
                if self.first_time(j, p) {
                    return Some(Input::File(p.clone()));
                }
                continue;
            }
            let walker = ignore::WalkBuilder::new(p)
                .require_git(false)
                .follow_links(true)
                .sort_by_file_name(|a, b| a.cmp(b))
                .build();
            self.current = Some((j, walker));
        }
    }
}

/// Extensions under which the text formats of nblint's output (human, short, github) are
/// usually saved; only these are opened during the walk to look for an nblint output.
const OUTPUT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "log"];

/// True when the walked file at `path` is an output of nblint (see
/// [`emit::looks_like_output`]); reads at most [`emit::OUTPUT_HEAD`] bytes.
pub(crate) fn is_own_output(path: &Path, ext: &str) -> bool {
    use std::io::Read;
    if !OUTPUT_EXTENSIONS.contains(&ext) {
        return false;
    }
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(emit::OUTPUT_HEAD);
    if f.take(emit::OUTPUT_HEAD as u64)
        .read_to_end(&mut head)
        .is_err()
    {
        return false;
    }
    emit::looks_like_output(&head)
}

/// What the walk could not do, as an input reported against the path that failed (the
/// subdirectory, the dangling link), or `None` for what is not worth a finding: a symbolic
/// link loop (its target is walked already) and a path of a type the walk does not check.
fn walk_error(e: ignore::Error, root: &Path, extensions: &[&str]) -> Option<Input> {
    fn parts(e: &ignore::Error) -> (Option<&Path>, bool) {
        match e {
            ignore::Error::WithPath { path, err } => (Some(path), parts(err).1),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                parts(err)
            }
            ignore::Error::Loop { .. } => (None, true),
            _ => (None, false),
        }
    }
    let (path, is_loop) = parts(&e);
    if is_loop {
        return None;
    }
    let path = path.unwrap_or(root).to_path_buf();
    let ext = input::extension(&path.to_string_lossy());
    if !ext.is_empty() && !extensions.contains(&ext.as_str()) && !path.is_dir() {
        return None;
    }
    let err = match e.into_io_error() {
        Some(io) => ReadError::from(io),
        None => ReadError::Io("无法遍历这个目录".into()),
    };
    Some(Input::Missing(path, Box::new(err)))
}

/// Reads a file within the size limit (regular files only: see [`input::file`]).
fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    input::file::read_limited(path, limits.max_file_bytes)
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

/// Results at most held in the reorder window (checked, not yet handed to the sink).
pub const WINDOW: usize = 256;

/// Checks `inputs` on `pool` with one set of rules and options, calling `sink` for each
/// result in input order, then for the findings across reports.
pub fn lint_inputs<E>(
    inputs: &[Input],
    stdin: Option<&[u8]>,
    rules: &RuleSet,
    opts: &Options,
    pool: &rayon::ThreadPool,
    mut sink: impl FnMut(FileReport) -> Result<(), E>,
) -> Result<(), E> {
    let profiles = [Profile::new(rules, opts.clone())];
    let jobs: Vec<Job> = inputs
        .iter()
        .map(|i| Job {
            input: i.clone(),
            profile: 0,
        })
        .collect();
    lint_jobs(&jobs, &profiles, stdin, pool, |o| match o {
        Output::File(f) | Output::Cross(f) => sink(f),
    })
}

/// One file to check and the profile (configuration) it is checked with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub input: Input,
    /// Index into the profiles.
    pub profile: usize,
}

/// What the engine hands to the sink.
#[derive(Debug)]
pub enum Output {
    /// The result for one file, in input order.
    File(FileReport),
    /// Findings across reports for one file (only files that have some), after every
    /// `File`. The text is the file's; `meta` has only the encoding, format and year.
    Cross(FileReport),
}

/// Checks `jobs` on `pool`: per-file results in input order, then the checks across reports
/// (see `crate::cross`).
pub fn lint_jobs<E>(
    jobs: &[Job],
    profiles: &[Profile],
    stdin: Option<&[u8]>,
    pool: &rayon::ThreadPool,
    sink: impl FnMut(Output) -> Result<(), E>,
) -> Result<(), E> {
    lint_jobs_with(jobs, profiles, stdin, pool, WINDOW, |o| o, sink)
}

/// Like [`lint_jobs`], with a `prepare` step that runs on the worker thread right after a
/// file is checked (the CLI renders the file's output there), and at most `window` results
/// waiting for the sink. `sink` runs on the calling thread, in input order.
pub fn lint_jobs_with<T: Send, E>(
    jobs: &[Job],
    profiles: &[Profile],
    stdin: Option<&[u8]>,
    pool: &rayon::ThreadPool,
    window: usize,
    prepare: impl Fn(Output) -> T + Sync,
    sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    lint_stream(
        &mut jobs.iter().cloned(),
        profiles,
        stdin,
        pool,
        window,
        cross::MEMORY_RECORDS,
        prepare,
        sink,
    )
}

/// Like [`lint_jobs_with`], with the jobs taken one at a time from an iterator as workers
/// become free (the CLI's walk of the directories, [`Walk`]): checking starts with the first
/// file found, and no list of the run's files is ever made. The iterator runs on the worker
/// threads, one call at a time, in order; the index of a job is the number of jobs it
/// yielded before. The reports the checks across reports need are kept in a
/// [`cross::Store`] holding at most `cross_memory` of them in memory.
#[allow(clippy::too_many_arguments)]
pub fn lint_stream<J, T: Send, E>(
    jobs: &mut J,
    profiles: &[Profile],
    stdin: Option<&[u8]>,
    pool: &rayon::ThreadPool,
    window: usize,
    cross_memory: usize,
    prepare: impl Fn(Output) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E>
where
    J: Iterator<Item = Job> + Send,
{
    let any_cross = profiles.iter().any(|p| {
        p.rules
            .rules
            .iter()
            .any(|r| r.check.phase() == Phase::Cross)
    });
    let mut store = cross::Store::new(cross_memory);
    ordered_iter(
        pool,
        jobs,
        window,
        |_, j: Job| {
            let p = &profiles[j.profile];
            let name = j.input.display();
            let mut r = lint_input(&j.input, stdin, p.rules, &p.options_for(&name));
            let record = r.digest.take().filter(|_| any_cross).and_then(|d| {
                let source = match j.input {
                    Input::File(p) => cross::Source::File(p),
                    Input::Stdin => cross::Source::Stdin,
                    Input::Missing(..) => return None,
                };
                Some((d, j.profile, source))
            });
            (record, prepare(Output::File(r)))
        },
        |i, (record, t)| {
            if let Some((d, profile, source)) = record
                && let (Ok(input), Ok(profile)) = (u32::try_from(i), u32::try_from(profile))
            {
                store.push(cross::Record {
                    input,
                    profile,
                    year: d.year,
                    body: d.body.into(),
                    source,
                });
            }
            sink(t)
        },
    )?;
    let mut groups = store.groups();
    ordered_iter(
        pool,
        &mut groups,
        window.div_ceil(8),
        |_, g| {
            cross_group(&g, profiles, stdin)
                .into_iter()
                .map(|r| prepare(Output::Cross(r)))
                .collect::<Vec<T>>()
        },
        |_, ts| ts.into_iter().try_for_each(&mut sink),
    )
}

/// Runs `work(i)` for every `i` in `0..n`: [`ordered_iter`] over a range.
pub fn ordered<T: Send, E>(
    pool: &rayon::ThreadPool,
    n: usize,
    window: usize,
    work: impl Fn(usize) -> T + Sync,
    sink: impl FnMut(usize, T) -> Result<(), E>,
) -> Result<(), E> {
    ordered_iter(
        pool,
        &mut (0..n),
        window.clamp(1, n.max(1)),
        |i, _| work(i),
        sink,
    )
}

/// Runs `work(i, item)` for every item of `source` (the `i`-th) on the threads of `pool` and
/// hands the results to `sink` on the calling thread, in order of `i`, while the workers go
/// on.
///
/// A free worker takes the next item from `source` (under a lock, so items are numbered in
/// the source's order), so a slow item holds up no other thread, and the source is read only
/// as fast as the workers take from it: nothing is collected ahead. A result waits in a ring
/// of `window` slots until the sink has taken every earlier one; a worker that is a whole
/// window ahead of the sink waits (holding its item) before working on it, so at most
/// `window` results wait in the ring and one item per thread waits outside, plus the results
/// the sink is working through. When the sink fails, the workers stop after their current
/// item and the error is returned; when a worker (or the source) panics, the others stop and
/// the panic goes on at the end.
pub fn ordered_iter<I, T: Send, E>(
    pool: &rayon::ThreadPool,
    source: &mut I,
    window: usize,
    work: impl Fn(usize, I::Item) -> T + Sync,
    mut sink: impl FnMut(usize, T) -> Result<(), E>,
) -> Result<(), E>
where
    I: Iterator + Send,
    I::Item: Send,
{
    if pool.current_thread_index().is_some() {
        // Called from a thread of the pool itself: blocking it while waiting for the
        // others could leave nobody to work, so this caller works alone.
        for (i, item) in source.enumerate() {
            sink(i, work(i, item))?;
        }
        return Ok(());
    }
    let window = window.max(1);
    let shared = Ring {
        base: AtomicUsize::new(0),
        stopped: AtomicBool::new(false),
        state: Mutex::new(RingState {
            slots: (0..window).map(|_| None).collect(),
            filled: 0,
            done: 0,
            total: None,
            stop: false,
            sink_waiting: false,
            workers_waiting: 0,
        }),
        room: Condvar::new(),
        ready: Condvar::new(),
        window,
        batch: window.div_ceil(2),
    };
    let source = Mutex::new(Source {
        items: source,
        taken: 0,
        ended: false,
    });
    let (shared, source, work) = (&shared, &source, &work);
    pool.in_place_scope(|scope| {
        for _ in 0..pool.current_num_threads() {
            scope.spawn(move |_| shared.worker(source, work));
        }
        // Whatever way the sink ends (done, error, panic), the workers must not wait on.
        let _stop = StopOnDrop(shared);
        let mut batch = Vec::new();
        let mut base = 0;
        loop {
            {
                let mut st = shared.lock();
                while !shared.sink_can_go(&st, base) {
                    if st.total == Some(base) {
                        return Ok(());
                    }
                    if st.stop {
                        // A worker panicked; the scope re-raises its panic.
                        return Ok(());
                    }
                    st.sink_waiting = true;
                    st = shared
                        .ready
                        .wait(st)
                        .unwrap_or_else(PoisonError::into_inner);
                    st.sink_waiting = false;
                }
                while let Some(t) = st.slots[base % window].take() {
                    batch.push((base, t));
                    base += 1;
                }
                st.filled -= batch.len();
                shared.base.store(base, Ordering::Release);
                if st.workers_waiting > 0 {
                    shared.room.notify_all();
                }
            }
            for (i, t) in batch.drain(..) {
                sink(i, t)?;
            }
        }
    })
}

/// The items of [`ordered_iter`], taken under a lock.
struct Source<'s, I> {
    items: &'s mut I,
    /// Items taken so far.
    taken: usize,
    ended: bool,
}

/// The shared state of [`ordered_iter`].
struct Ring<T> {
    /// The next index the sink takes (a copy of what the lock guards, read without it).
    base: AtomicUsize,
    /// A copy of `RingState::stop`, read before taking an item.
    stopped: AtomicBool,
    state: Mutex<RingState<T>>,
    /// Signalled when the sink has made room.
    room: Condvar,
    /// Signalled when the result the sink waits for is in, or the last one is.
    ready: Condvar,
    window: usize,
    /// Results the sink is woken for at once (fewer at the end): waking it for every file
    /// costs more system time than writing the file.
    batch: usize,
}

struct RingState<T> {
    /// The result for index `i` waits in `slots[i % window]`.
    slots: Vec<Option<T>>,
    /// Results in `slots`.
    filled: usize,
    /// Results made so far.
    done: usize,
    /// The number of items, once the source has ended.
    total: Option<usize>,
    /// Set when the run ends early (the sink failed, or a thread panicked).
    stop: bool,
    sink_waiting: bool,
    workers_waiting: usize,
}

impl<T> Ring<T> {
    fn lock(&self) -> MutexGuard<'_, RingState<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the sink has enough to do: the result it waits for, and a batch of results
    /// or the last ones. The workers wake it exactly when this becomes true.
    fn sink_can_go(&self, st: &RingState<T>, base: usize) -> bool {
        st.slots[base % self.window].is_some()
            && (st.filled >= self.batch || st.total == Some(st.done))
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
        self.lock().stop = true;
        self.room.notify_all();
        self.ready.notify_all();
    }

    fn worker<I: Iterator>(
        &self,
        source: &Mutex<Source<'_, I>>,
        work: &(impl Fn(usize, I::Item) -> T + Sync),
    ) {
        let _guard = StopOnPanic(self);
        loop {
            let (i, item) = {
                let mut src = source.lock().unwrap_or_else(PoisonError::into_inner);
                if src.ended || self.stopped.load(Ordering::Acquire) {
                    return;
                }
                match src.items.next() {
                    Some(item) => {
                        src.taken += 1;
                        (src.taken - 1, item)
                    }
                    None => {
                        src.ended = true;
                        let total = src.taken;
                        drop(src);
                        self.lock().total = Some(total);
                        // The sink may be waiting for the last results, which are all in.
                        self.ready.notify_all();
                        return;
                    }
                }
            };
            // `base` only grows, so a stale value errs on the side of waiting.
            if i >= self.base.load(Ordering::Acquire) + self.window {
                let mut st = self.lock();
                while i >= self.base.load(Ordering::Acquire) + self.window && !st.stop {
                    st.workers_waiting += 1;
                    st = self.room.wait(st).unwrap_or_else(PoisonError::into_inner);
                    st.workers_waiting -= 1;
                }
                if st.stop {
                    return;
                }
            }
            let t = work(i, item);
            let mut st = self.lock();
            if st.stop {
                return;
            }
            st.slots[i % self.window] = Some(t);
            st.filled += 1;
            st.done += 1;
            if st.sink_waiting && self.sink_can_go(&st, self.base.load(Ordering::Acquire)) {
                self.ready.notify_one();
            }
        }
    }
}

/// Stops the ring when dropped (the sink's side: however it ends).
struct StopOnDrop<'a, T>(&'a Ring<T>);

impl<T> Drop for StopOnDrop<'_, T> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Stops the ring when a worker panics, so that nobody waits for its result.
struct StopOnPanic<'a, T>(&'a Ring<T>);

impl<T> Drop for StopOnPanic<'_, T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

/// Re-reads the members of one body's group and runs the cross-report rules on each pair of
/// consecutive years. Returns the files with findings, in input order.
fn cross_group(
    group: &[cross::Record],
    profiles: &[Profile],
    stdin: Option<&[u8]>,
) -> Vec<FileReport> {
    struct Member<'p> {
        input: usize,
        year: i32,
        path: String,
        doc: Document,
        opts: Cow<'p, Options>,
        profile: &'p Profile<'p>,
    }
    let members: Vec<Option<Member>> = group
        .iter()
        .map(|r| {
            let input = usize::try_from(r.input).ok()?;
            let profile = profiles.get(usize::try_from(r.profile).ok()?)?;
            let (path, bytes) = match &r.source {
                cross::Source::Stdin => (Input::Stdin.display(), stdin?.to_vec()),
                cross::Source::File(p) => (
                    p.display().to_string(),
                    read_file(p, &profile.opts.limits).ok()?,
                ),
            };
            let doc = input::read(&path, &bytes, &profile.opts.limits).ok()?;
            let opts = profile.options_for(&path);
            Some(Member {
                input,
                year: r.year,
                path,
                doc,
                opts,
                profile,
            })
        })
        .collect();
    let reports: Vec<Option<Report>> = members
        .iter()
        .map(|m| {
            m.as_ref()
                .map(|m| Report::build(&m.doc, &m.profile.rules.templates, &m.opts.read))
        })
        .collect();
    // The digests again, with what the first pass did not keep: the carry-over rows. A file
    // that no longer has the year it had in the first pass (changed while nblint ran) is
    // left out.
    let full: Vec<Option<Digest>> = members
        .iter()
        .zip(&reports)
        .map(|(m, r)| {
            let (m, r) = (m.as_ref()?, r.as_ref()?);
            let d = cross::digest(r, m.opts.agency.as_deref()).filter(|d| d.year == m.year)?;
            let (carried_in, carry_over) = cross::carry_rows(r);
            Some(Digest {
                carried_in: carried_in.map(Box::new),
                carry_over: carry_over.map(Box::new),
                ..d
            })
        })
        .collect();
    let mut found: Vec<Vec<Diagnostic>> = vec![Vec::new(); members.len()];
    for w in 1..members.len() {
        let (Some(cur), Some(prev), Some(cr), Some(pr), Some(cd), Some(pd)) = (
            &members[w],
            &members[w - 1],
            &reports[w],
            &reports[w - 1],
            &full[w],
            &full[w - 1],
        ) else {
            continue;
        };
        if pd.year + 1 != cd.year {
            continue;
        }
        let pair = cross::Pair {
            current: cd,
            previous: pd,
            current_path: &cur.path,
            previous_path: &prev.path,
        };
        let template = cr.template.map(|t| t.name.as_str());
        for rule in &cur.profile.rules.rules {
            if rule.check.phase() != Phase::Cross || !rule.applies(template) {
                continue;
            }
            let on_cur = cur.opts.rule_enabled(&rule.code, &rule.name);
            let on_prev = prev.opts.rule_enabled(&rule.code, &rule.name);
            if !on_cur && !on_prev {
                continue;
            }
            let mut cc = Ctx::new(cr, rule, cur.opts.lang);
            let mut pc = Ctx::new(pr, rule, cur.opts.lang);
            rule.check.run_pair(&mut cc, &mut pc, &pair);
            for (on, out, opts, k) in [
                (on_cur, cc.finish(), &cur.opts, w),
                (on_prev, pc.finish(), &prev.opts, w - 1),
            ] {
                if !on {
                    continue;
                }
                let over = opts.level_for(rule);
                found[k].extend(out.into_iter().map(|mut d| {
                    if let Some(s) = over {
                        d.severity = s;
                    }
                    cap_inferred(&mut d);
                    d
                }));
            }
        }
    }
    let mut out: Vec<(usize, FileReport)> = Vec::new();
    for ((m, r), mut diagnostics) in members.iter().zip(&reports).zip(found) {
        let (Some(m), Some(r)) = (m, r) else { continue };
        if diagnostics.is_empty() {
            continue;
        }
        m.opts.filter(
            &m.path,
            &m.doc.text,
            Some(&r.suppressions),
            &mut diagnostics,
        );
        if diagnostics.is_empty() {
            continue;
        }
        out.push((
            m.input,
            FileReport {
                path: m.path.clone(),
                text: m.doc.text.clone(),
                meta: Some(FileMeta {
                    encoding: m.doc.encoding.clone(),
                    format: m.doc.format.as_str().to_owned(),
                    report_year: Some(m.year),
                    is_annual_report: true,
                    ..FileMeta::default()
                }),
                fail_on: m.opts.fail_on,
                diagnostics,
                unreadable: false,
                digest: None,
            },
        ));
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, f)| f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn pool(n: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("pool")
    }

    /// Uneven work, so that workers finish out of order.
    fn busy(i: usize) -> usize {
        let mut x = i;
        for k in 0..(i * 7919 % 13) * 2000 {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(k));
        }
        std::hint::black_box(x);
        i * 2
    }

    #[test]
    fn results_come_in_order_whatever_the_window() {
        for (threads, window) in [(4, 1), (4, 2), (3, 7), (2, 256), (1, 3)] {
            let mut got = Vec::new();
            ordered(&pool(threads), 500, window, busy, |i, t| {
                got.push((i, t));
                Ok::<(), ()>(())
            })
            .expect("no error");
            let want: Vec<(usize, usize)> = (0..500).map(|i| (i, i * 2)).collect();
            assert_eq!(got, want, "{threads} threads, window {window}");
        }
    }

    #[test]
    fn workers_stay_within_the_window() {
        // Each result records how far ahead of the sink its worker was when it started.
        let taken = AtomicUsize::new(0);
        let mut ahead = 0;
        ordered(
            &pool(4),
            300,
            5,
            |i| i.saturating_sub(taken.load(Ordering::SeqCst)),
            |i, lead| {
                ahead = ahead.max(lead);
                taken.store(i + 1, Ordering::SeqCst);
                Ok::<(), ()>(())
            },
        )
        .expect("no error");
        // The sink takes batches of up to a window before it says so: two windows at most.
        assert!(ahead < 10, "a worker was {ahead} results ahead");
    }

    #[test]
    fn a_failing_sink_stops_the_workers() {
        let started = AtomicUsize::new(0);
        let r = ordered(
            &pool(4),
            100_000,
            8,
            |i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i, _| if i == 20 { Err(i) } else { Ok(()) },
        );
        assert_eq!(r, Err(20));
        assert!(started.load(Ordering::SeqCst) < 100, "the workers went on");
    }

    #[test]
    fn a_panicking_worker_does_not_hang_the_run() {
        let r = std::panic::catch_unwind(|| {
            ordered(
                &pool(3),
                1000,
                4,
                |i| {
                    assert!(i != 30, "boom");
                    i
                },
                |_, _| Ok::<(), ()>(()),
            )
        });
        assert!(r.is_err(), "the panic goes on");
    }

    #[test]
    fn called_from_the_pool_it_works_alone() {
        let p = pool(1);
        let got = p.install(|| {
            let mut got = Vec::new();
            ordered(
                &p,
                50,
                2,
                |i| i,
                |_, t| {
                    got.push(t);
                    Ok::<(), ()>(())
                },
            )
            .map(|()| got)
        });
        assert_eq!(got, Ok((0..50).collect::<Vec<_>>()));
    }

    #[test]
    fn a_walk_error_is_reported_against_the_path_that_failed() {
        let denied = ignore::Error::WithDepth {
            depth: 1,
            err: Box::new(ignore::Error::WithPath {
                path: PathBuf::from("root/locked"),
                err: Box::new(ignore::Error::Io(std::io::Error::from(
                    std::io::ErrorKind::PermissionDenied,
                ))),
            }),
        };
        assert_eq!(
            walk_error(denied, Path::new("root"), &["txt"]),
            Some(Input::Missing(
                PathBuf::from("root/locked"),
                Box::new(ReadError::PermissionDenied)
            ))
        );
        let looped = ignore::Error::Loop {
            ancestor: PathBuf::from("root"),
            child: PathBuf::from("root/loop"),
        };
        assert_eq!(walk_error(looped, Path::new("root"), &["txt"]), None);
    }

    #[test]
    fn the_source_is_read_as_the_workers_go() {
        // Each time the sink gets a result, how many items the workers have taken: with a
        // source read as needed, never more than the window (twice, the sink taking batches)
        // and one per thread ahead of the sink; collecting the source first would take all
        // 10,000 before the first result.
        struct Counted<'a>(std::ops::Range<usize>, &'a AtomicUsize);
        impl Iterator for Counted<'_> {
            type Item = usize;
            fn next(&mut self) -> Option<usize> {
                let i = self.0.next()?;
                self.1.fetch_add(1, Ordering::SeqCst);
                Some(i)
            }
        }
        let taken = AtomicUsize::new(0);
        let mut ahead = 0;
        let mut first = None;
        let mut got = 0;
        ordered_iter(
            &pool(4),
            &mut Counted(0..10_000, &taken),
            5,
            |_, x| busy(x),
            |i, _| {
                let t = taken.load(Ordering::SeqCst);
                first.get_or_insert(t);
                ahead = ahead.max(t - i);
                got += 1;
                Ok::<(), ()>(())
            },
        )
        .expect("no error");
        assert_eq!(got, 10_000);
        assert!(
            first < Some(20),
            "{first:?} items taken before the first result"
        );
        assert!(
            ahead <= 2 * 5 + 4,
            "the workers took {ahead} items ahead of the sink"
        );
    }

    #[test]
    fn an_empty_source_ends_the_run() {
        let r = ordered_iter(
            &pool(3),
            &mut std::iter::empty::<usize>(),
            4,
            |_, x| x,
            |_, _| Err(()),
        );
        assert_eq!(r, Ok(()));
    }

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("nblint-engine-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("sub")).expect("mkdir");
        d
    }

    #[test]
    fn a_file_named_twice_comes_once_and_only_overlaps_are_remembered() {
        let d = tmp("walk");
        for f in ["a.md", "b.md", "sub/c.md", "sub/d.md"] {
            std::fs::write(d.join(f), "x").expect("write");
        }
        let f = |p: &str| Input::File(d.join(p));
        let paths = vec![
            d.join("sub/c.md"),
            d.clone(),
            d.join("sub"),
            d.join("a.md"),
            PathBuf::from("-"),
        ];
        let mut walk = Walk::new(&paths, &["md"]);
        let got: Vec<Input> = walk.by_ref().collect();
        assert_eq!(
            got,
            vec![
                f("sub/c.md"),
                f("a.md"),
                f("b.md"),
                f("sub/d.md"),
                Input::Stdin
            ]
        );
        // Under `sub` and `a.md`, named after the directory: a.md, sub/c.md, sub/d.md; b.md
        // is not remembered.
        assert_eq!(walk.remembered(), 3);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn findings_across_reports_are_the_same_when_the_reports_go_to_disk() {
        let rules = RuleSet::builtin().expect("built-in rules");
        let profiles = [Profile::new(&rules, Options::default())];
        let jobs: Vec<Job> = collect_inputs(&[PathBuf::from("fixtures/ci-repo")], &["md"])
            .into_iter()
            .map(|input| Job { input, profile: 0 })
            .collect();
        let run = |memory: usize, threads: usize| {
            let mut out = Vec::new();
            lint_stream(
                &mut jobs.iter().cloned(),
                &profiles,
                None,
                &pool(threads),
                3,
                memory,
                |o| o,
                |o| {
                    if let Output::Cross(f) = o {
                        let codes: Vec<String> = f
                            .diagnostics
                            .iter()
                            .map(|d| format!("{}:{}", d.code, d.span.start))
                            .collect();
                        out.push(format!("{} {}", f.path, codes.join(" ")));
                    }
                    Ok::<(), ()>(())
                },
            )
            .expect("no error");
            out
        };
        let kept = run(cross::MEMORY_RECORDS, 2);
        assert!(kept.iter().any(|l| l.contains("NB501")), "{kept:?}");
        assert!(kept.iter().any(|l| l.contains("NB502")), "{kept:?}");
        for (memory, threads) in [(1, 2), (2, 1), (3, 3)] {
            assert_eq!(
                run(memory, threads),
                kept,
                "{memory} in memory, {threads} threads"
            );
        }
    }
}

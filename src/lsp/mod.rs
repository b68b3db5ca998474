//! `nblint lsp`: a language server over standard input and output, a thin adapter over
//! [`engine::lint_source`] like the command line.
//!
//! What it does: plain text, Markdown and web pages (.txt, .md, .html, and untitled buffers
//! of those languages) are checked from the editor's buffer, never from disk, when they are
//! opened, changed (full-text sync), or saved (nblint.toml may have changed), and their
//! diagnostics cleared when they are closed. The rules and settings are those of `nblint
//! check` for the same path: built-in rules plus `--rules`, the nearest nblint.toml above the
//! document (read again when it changes on disk), inline `nblint-disable` comments,
//! `[[ignore]]` and `[[override]]`. A broken nblint.toml is one diagnostic on the document
//! pointing at the configuration, not a silent fallback.
//!
//! Word and PDF files are not checked: an editor shows their bytes, not the text nblint
//! extracts, so no position would mean anything there (docs/editors.md).
//!
//! Positions are UTF-16 unless the client offers `utf-8` (`general.positionEncodings`).
//! Hover over a finding shows `nblint explain` for its rule (offline); `codeDescription.href`
//! is sent when the client gives a URL template (`initializationOptions.ruleUrl`). Quick fixes
//! come only from explicit suggestions (`convert::finding`).
//!
//! Edits are coalesced: the loop checks the documents changed so far only when no message
//! is waiting, so a burst of keystrokes is checked once. A request about a document
//! (hover, code action) checks it first if it changed. A panic while checking a document
//! is caught and becomes one diagnostic; the server goes on.
//!
//! The transport is ours, not `lsp_server::Connection::stdio`: standard output is written
//! by the calling thread through the `out` the command line hands down (the binary holds
//! its lock), and one thread reads standard input. `serve` takes any channel and writer, so
//! tests can run it in process as well as through the binary (tests/lsp.rs).

pub(crate) mod convert;

use crate::config::{self, Config};
use crate::diagnostic::Lang;
use crate::engine::{self, Options, Profile};
use crate::rule::{LoadError, RuleSet};
use convert::{Encoding, Finding, Style, Text};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, DiagnosticRelatedInformation, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, Hover,
    HoverContents, HoverParams, HoverProviderCapability, InitializeParams, Location, MarkupContent,
    MarkupKind, NumberOrString, Position, PositionEncodingKind, PublishDiagnosticsParams, Range,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::SystemTime;

/// What the command line passes in.
#[derive(Clone, Debug, Default)]
pub(crate) struct Settings {
    pub(crate) lang: Lang,
    /// `--rules` directories, added to the built-in rules.
    pub(crate) rule_dirs: Vec<PathBuf>,
}

/// Extensions checked; other files (Word, PDF, source code) are left alone.
const CHECKED: &[&str] = &["txt", "md", "markdown", "html", "htm", "shtml"];

/// Runs the server on standard input and output until `exit`. Returns the exit code: 0
/// after `shutdown` and `exit`, 1 when the client went away without `shutdown`, 2 when the
/// rules could not be loaded (written to `err` like `nblint check` does).
pub(crate) fn run(
    settings: Settings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let rules = match RuleSet::load(&settings.rule_dirs) {
        Ok(r) => r,
        Err(errors) => {
            crate::emit::load_error::report_load_errors(&errors, err)?;
            return Ok(2);
        }
    };
    let (tx, rx) = std::sync::mpsc::channel();
    // Standard input is read on its own thread; nothing there prints (the binary holds the
    // standard error lock): a broken message is sent on as an error.
    std::thread::Builder::new()
        .name("nblint-lsp-stdin".to_owned())
        .spawn(move || {
            let mut input = std::io::stdin().lock();
            loop {
                match Message::read(&mut input) {
                    Ok(Some(msg)) => {
                        let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                        if tx.send(Ok(msg)).is_err() || exit {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        let _ = tx.send(Err(e.to_string()));
                        break;
                    }
                }
            }
        })?;
    Ok(serve(settings, rules, &rx, out, err))
}

/// Serves one client: messages from `rx`, responses and notifications to `out`, a log of
/// problems to `err`. Returns the exit code (see [`run`]).
pub(crate) fn serve(
    settings: Settings,
    rules: RuleSet,
    rx: &Receiver<Result<Message, String>>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut server = Server {
        out,
        err,
        lang: settings.lang,
        rule_dirs: settings.rule_dirs,
        rules: Arc::new(rules),
        enc: Encoding::Utf16,
        rule_url: None,
        configs: HashMap::new(),
        docs: HashMap::new(),
        initialized: false,
        shutdown: false,
    };
    loop {
        // Documents changed so far are checked when nothing else is waiting.
        let next = if !server.shutdown && server.docs.values().any(|d| d.dirty) {
            match rx.try_recv() {
                Ok(m) => Some(m),
                Err(TryRecvError::Empty) => {
                    server.check_dirty();
                    continue;
                }
                Err(TryRecvError::Disconnected) => None,
            }
        } else {
            rx.recv().ok()
        };
        let msg = match next {
            Some(Ok(m)) => m,
            Some(Err(e)) => {
                server.log(&format!("nblint lsp: cannot read a message: {e}"));
                return 1;
            }
            None => return 1,
        };
        match msg {
            Message::Request(req) => server.request(req),
            Message::Notification(n) if n.method == "exit" => {
                return if server.shutdown { 0 } else { 1 };
            }
            Message::Notification(n) => server.notification(n),
            Message::Response(_) => {}
        }
    }
}

struct Server<'w> {
    out: &'w mut dyn Write,
    err: &'w mut dyn Write,
    lang: Lang,
    rule_dirs: Vec<PathBuf>,
    /// Built-in rules plus `--rules`.
    rules: Arc<RuleSet>,
    enc: Encoding,
    rule_url: Option<String>,
    /// By nblint.toml path.
    configs: HashMap<PathBuf, CachedConfig>,
    /// By URI.
    docs: HashMap<String, Doc>,
    initialized: bool,
    shutdown: bool,
}

/// A loaded nblint.toml, kept while the file's modification time and size stay the same.
struct CachedConfig {
    stamp: Option<(SystemTime, u64)>,
    loaded: Result<Loaded, Arc<[LoadError]>>,
}

#[derive(Clone)]
struct Loaded {
    config: Arc<Config>,
    rules: Arc<RuleSet>,
}

/// An open document.
struct Doc {
    uri: Uri,
    version: i32,
    text: String,
    /// The name given to the engine: the file's path, or `untitled.<ext>` by language.
    name: String,
    path: Option<PathBuf>,
    dirty: bool,
    findings: Vec<Finding>,
    /// The rules the findings came from (for hover).
    rules: Arc<RuleSet>,
}

impl Server<'_> {
    fn log(&mut self, s: &str) {
        let _ = writeln!(self.err, "{s}");
    }

    fn send(&mut self, m: Message) {
        let _ = m.write(&mut self.out).and_then(|()| self.out.flush());
    }

    fn reply(&mut self, id: RequestId, result: serde_json::Value) {
        self.send(Response::new_ok(id, result).into());
    }

    fn reply_err(&mut self, id: RequestId, code: ErrorCode, message: String) {
        self.send(Response::new_err(id, code as i32, message).into());
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        if !self.initialized && req.method != "initialize" {
            return self.reply_err(
                id,
                ErrorCode::ServerNotInitialized,
                "not initialized".into(),
            );
        }
        if self.shutdown {
            return self.reply_err(id, ErrorCode::InvalidRequest, "shutting down".into());
        }
        // A bug in a handler answers this request with an error; the server goes on.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.handle(&req.method, req.params)
        }));
        match result {
            Ok(Ok(v)) => self.reply(id, v),
            Ok(Err((code, m))) => self.reply_err(id, code, m),
            Err(_) => self.reply_err(
                id,
                ErrorCode::InternalError,
                "nblint: internal error".into(),
            ),
        }
    }

    fn handle(
        &mut self,
        method: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, (ErrorCode, String)> {
        fn parse<T: serde::de::DeserializeOwned>(
            p: serde_json::Value,
        ) -> Result<T, (ErrorCode, String)> {
            serde_json::from_value(p).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
        }
        let json = |v: Result<serde_json::Value, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match method {
            "initialize" => {
                let p: InitializeParams = parse(params)?;
                json(serde_json::to_value(self.initialize(p)))
            }
            "shutdown" => {
                self.shutdown = true;
                Ok(serde_json::Value::Null)
            }
            "textDocument/hover" => {
                let p: HoverParams = parse(params)?;
                json(serde_json::to_value(self.hover(p)))
            }
            "textDocument/codeAction" => {
                let p: CodeActionParams = parse(params)?;
                json(serde_json::to_value(self.code_actions(p)))
            }
            _ => Err((ErrorCode::MethodNotFound, format!("unsupported: {method}"))),
        }
    }

    fn initialize(&mut self, p: InitializeParams) -> serde_json::Value {
        self.initialized = true;
        let offered = p
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref())
            .unwrap_or_default();
        self.enc = if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        if let Some(o) = &p.initialization_options {
            if let Some(u) = o.get("ruleUrl").and_then(|v| v.as_str()) {
                self.rule_url = Some(u.to_owned());
            }
            match o.get("lang").and_then(|v| v.as_str()) {
                Some("en") => self.lang = Lang::En,
                Some("zh") => self.lang = Lang::Zh,
                _ => {}
            }
        }
        let caps = ServerCapabilities {
            position_encoding: Some(match self.enc {
                Encoding::Utf8 => PositionEncodingKind::UTF8,
                Encoding::Utf16 => PositionEncodingKind::UTF16,
            }),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::FULL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(
                lsp_types::CodeActionOptions {
                    code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                    ..Default::default()
                },
            )),
            ..Default::default()
        };
        serde_json::json!({
            "capabilities": caps,
            "serverInfo": ServerInfo {
                name: "nblint".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            },
        })
    }

    fn notification(&mut self, n: Notification) {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.notify(&n.method, n.params)
        }));
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => self.log(&format!("nblint lsp: {}: {e}", n.method)),
            Err(_) => self.log(&format!("nblint lsp: internal error in {}", n.method)),
        }
    }

    fn notify(&mut self, method: &str, params: serde_json::Value) -> Result<(), serde_json::Error> {
        match method {
            "textDocument/didOpen" => {
                let p: DidOpenTextDocumentParams = serde_json::from_value(params)?;
                let d = p.text_document;
                let path = convert::file_path(d.uri.as_str());
                let Some(name) = checked_name(path.as_deref(), &d.language_id) else {
                    return Ok(());
                };
                self.docs.insert(
                    d.uri.as_str().to_owned(),
                    Doc {
                        uri: d.uri,
                        version: d.version,
                        text: d.text,
                        name,
                        path,
                        dirty: true,
                        findings: Vec::new(),
                        rules: self.rules.clone(),
                    },
                );
            }
            "textDocument/didChange" => {
                let p: DidChangeTextDocumentParams = serde_json::from_value(params)?;
                let enc = self.enc;
                if let Some(doc) = self.docs.get_mut(p.text_document.uri.as_str()) {
                    for c in p.content_changes {
                        match c.range {
                            None => doc.text = c.text,
                            Some(r) => {
                                let t = Text::new(&doc.text, enc);
                                let (a, b) = (t.offset(r.start), t.offset(r.end));
                                if a <= b {
                                    doc.text.replace_range(a..b, &c.text);
                                }
                            }
                        }
                    }
                    doc.version = p.text_document.version;
                    doc.dirty = true;
                }
            }
            "textDocument/didSave" => {
                let p: DidSaveTextDocumentParams = serde_json::from_value(params)?;
                let saved = convert::file_path(p.text_document.uri.as_str());
                if saved
                    .as_deref()
                    .and_then(Path::file_name)
                    .is_some_and(|n| n == config::FILE_NAME)
                {
                    // The configuration changed: every document may be affected.
                    self.docs.values_mut().for_each(|d| d.dirty = true);
                } else if let Some(doc) = self.docs.get_mut(p.text_document.uri.as_str()) {
                    doc.dirty = true;
                }
            }
            "textDocument/didClose" => {
                let p: DidCloseTextDocumentParams = serde_json::from_value(params)?;
                if let Some(doc) = self.docs.remove(p.text_document.uri.as_str()) {
                    self.publish(doc.uri, Vec::new(), None);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn publish(&mut self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new("textDocument/publishDiagnostics".to_owned(), params).into());
    }

    fn check_dirty(&mut self) {
        let dirty: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| d.dirty)
            .map(|(k, _)| k.clone())
            .collect();
        for key in dirty {
            self.check(&key);
        }
    }

    /// Checks a document if it changed, and publishes its diagnostics.
    fn check(&mut self, key: &str) {
        let Some(mut doc) = self.docs.remove(key) else {
            return;
        };
        if doc.dirty {
            let (findings, rules) = self.lint(&doc);
            let diagnostics = findings.iter().map(|f| f.diagnostic.clone()).collect();
            doc.findings = findings;
            doc.rules = rules;
            doc.dirty = false;
            self.publish(doc.uri.clone(), diagnostics, Some(doc.version));
        }
        self.docs.insert(key.to_owned(), doc);
    }

    fn lint(&mut self, doc: &Doc) -> (Vec<Finding>, Arc<RuleSet>) {
        let loaded = match self.config_for(doc.path.as_deref()) {
            Ok(l) => l,
            Err(errors) => return (config_errors(&errors, self.lang), self.rules.clone()),
        };
        let rules = loaded
            .as_ref()
            .map_or_else(|| self.rules.clone(), |l| l.rules.clone());
        let mut opts = Options {
            lang: self.lang,
            ..Options::default()
        };
        if let Some(l) = &loaded {
            let c = &l.config;
            opts.read.template = c.report.template.clone();
            opts.read.body_type = c.report.body_type;
            opts.agency = c.report.agency.clone();
            opts.deadlines = c.deadlines;
            opts.fail_on = c.fail_on;
            opts.apply(&c.rules);
            opts.config = Some(c.clone());
        }
        let profile = Profile::new(&rules, opts);
        let opts = profile.options_for(&doc.name);
        let style = Style {
            lang: self.lang,
            rule_url: self.rule_url.as_deref(),
        };
        let enc = self.enc;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let report = engine::lint_source(&doc.name, doc.text.as_bytes(), &rules, &opts);
            convert::findings(&report, &doc.text, &doc.uri, enc, &style)
        }));
        let findings = result.unwrap_or_else(|_| {
            vec![Finding {
                diagnostic: lsp_types::Diagnostic {
                    range: Range::default(),
                    severity: Some(lsp_types::DiagnosticSeverity::ERROR),
                    code: Some(NumberOrString::String("internal".to_owned())),
                    source: Some("nblint".to_owned()),
                    message: self
                        .lang
                        .pick(
                            "nblint 检查这个文件时出错（程序缺陷），请报告这个问题并附上文件",
                            "nblint failed on this file (a bug); please report it with the file",
                        )
                        .to_owned(),
                    ..Default::default()
                },
                code: "internal".to_owned(),
                fix: None,
            }]
        });
        (findings, rules)
    }

    /// The nblint.toml in force for a document, loaded again when it changed on disk.
    /// `Ok(None)`: there is none (or the document is not a file).
    fn config_for(&mut self, path: Option<&Path>) -> Result<Option<Loaded>, Arc<[LoadError]>> {
        let Some(dir) = path.and_then(Path::parent) else {
            return Ok(None);
        };
        let Some(file) = config::discover(dir) else {
            return Ok(None);
        };
        let stamp = std::fs::metadata(&file)
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        if let Some(c) = self.configs.get(&file)
            && c.stamp == stamp
            && stamp.is_some()
        {
            return c.loaded.clone().map(Some);
        }
        let loaded = load_config(&file, &self.rule_dirs, &self.rules);
        self.configs.insert(
            file,
            CachedConfig {
                stamp,
                loaded: loaded.clone(),
            },
        );
        loaded.map(Some)
    }

    fn doc_checked(&mut self, uri: &Uri) -> Option<&Doc> {
        let key = uri.as_str();
        self.check(key);
        self.docs.get(key)
    }

    fn hover(&mut self, p: HoverParams) -> Option<Hover> {
        let pos = p.text_document_position_params.position;
        let lang = self.lang;
        let doc = self.doc_checked(&p.text_document_position_params.text_document.uri)?;
        let mut codes: Vec<&str> = Vec::new();
        let mut range: Option<Range> = None;
        for f in doc
            .findings
            .iter()
            .filter(|f| covers(&f.diagnostic.range, pos))
        {
            if !codes.contains(&f.code.as_str()) {
                codes.push(&f.code);
            }
            range.get_or_insert(f.diagnostic.range);
        }
        let texts: Vec<String> = codes
            .iter()
            .filter_map(|c| doc.rules.find(c))
            .map(|r| explain_markdown(&crate::emit::rules::explain_text(r, lang)))
            .collect();
        (!texts.is_empty()).then(|| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: texts.join("\n\n---\n\n"),
            }),
            range,
        })
    }

    fn code_actions(&mut self, p: CodeActionParams) -> Vec<CodeActionOrCommand> {
        if let Some(only) = &p.context.only
            && !only
                .iter()
                .any(|k| k.as_str() == "quickfix" || k.as_str().is_empty())
        {
            return Vec::new();
        }
        let want = p.range;
        let uri = p.text_document.uri;
        let Some(doc) = self.doc_checked(&uri) else {
            return Vec::new();
        };
        // One action per distinct edit, with every finding it fixes (two table findings
        // blaming the same cell give the same value).
        let mut actions: Vec<(convert::Fix, Vec<lsp_types::Diagnostic>)> = Vec::new();
        for f in &doc.findings {
            let Some(fix) = &f.fix else { continue };
            if !overlaps(&f.diagnostic.range, &want) && !overlaps(&fix.range, &want) {
                continue;
            }
            match actions
                .iter_mut()
                .find(|(x, _)| x.range == fix.range && x.new_text == fix.new_text)
            {
                Some((_, ds)) => ds.push(f.diagnostic.clone()),
                None => actions.push((fix.clone(), vec![f.diagnostic.clone()])),
            }
        }
        let conflicts = |i: usize, fix: &convert::Fix| {
            actions
                .iter()
                .enumerate()
                .any(|(j, (o, _))| j != i && overlaps(&o.range, &fix.range))
        };
        let preferred: Vec<bool> = actions
            .iter()
            .enumerate()
            .map(|(i, (f, _))| !conflicts(i, f))
            .collect();
        actions
            .into_iter()
            .zip(preferred)
            .map(|((fix, diagnostics), preferred)| {
                let edit = TextEdit::new(fix.range, fix.new_text);
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(diagnostics),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                        ..Default::default()
                    }),
                    is_preferred: Some(preferred),
                    ..Default::default()
                })
            })
            .collect()
    }
}

/// The name the engine sees for a document, or `None` when it is not checked.
fn checked_name(path: Option<&Path>, language_id: &str) -> Option<String> {
    if let Some(p) = path
        && let Some(ext) = p.extension()
    {
        let ext = ext.to_string_lossy().to_ascii_lowercase();
        return CHECKED
            .contains(&ext.as_str())
            .then(|| p.display().to_string());
    }
    let ext = match language_id {
        "plaintext" | "text" => "txt",
        "markdown" => "md",
        "html" => "html",
        _ => return None,
    };
    Some(match path {
        Some(p) => format!("{}.{ext}", p.display()),
        None => format!("untitled.{ext}"),
    })
}

fn load_config(
    file: &Path,
    dirs: &[PathBuf],
    base: &Arc<RuleSet>,
) -> Result<Loaded, Arc<[LoadError]>> {
    let parsed = config::load(file)?;
    let rules = if parsed.rule_dirs().is_empty() {
        base.clone()
    } else {
        let mut all = dirs.to_vec();
        all.extend(parsed.rule_dirs().iter().cloned());
        Arc::new(RuleSet::load(&all)?)
    };
    let config = Arc::new(parsed.finish(&rules)?);
    Ok(Loaded { config, rules })
}

/// A broken nblint.toml: one diagnostic at the start of the document, pointing at the
/// configuration; the document is not checked (as `nblint check` stops with exit code 2).
fn config_errors(errors: &[LoadError], lang: Lang) -> Vec<Finding> {
    let Some(first) = errors.first() else {
        return Vec::new();
    };
    let related: Vec<DiagnosticRelatedInformation> = errors
        .iter()
        .filter_map(|e| {
            let uri = convert::file_uri(Path::new(&e.file))?;
            let range = e.span.as_ref().map_or_else(Range::default, |s| {
                Text::new(&e.source, Encoding::Utf16).range(s)
            });
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri, range),
                message: e.message.clone(),
            })
        })
        .collect();
    let summary = first.message.lines().next().unwrap_or_default();
    let message = match lang {
        Lang::Zh => format!("配置文件 {} 有误，本文件未检查：{summary}", first.file),
        Lang::En => format!(
            "{} is broken; this file was not checked: {summary}",
            first.file
        ),
    };
    vec![Finding {
        diagnostic: lsp_types::Diagnostic {
            range: Range::default(),
            severity: Some(lsp_types::DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String("config".to_owned())),
            source: Some("nblint".to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Default::default()
        },
        code: "config".to_owned(),
        fix: None,
    }]
}

/// `nblint explain` text as Markdown: the first line is the heading.
fn explain_markdown(text: &str) -> String {
    let (head, rest) = text.split_once('\n').unwrap_or((text, ""));
    format!("**{}**\n\n{}", head.trim(), rest.trim())
}

/// Whether a position is on a range (its end included; an empty range covers its whole
/// line, so that a point finding such as a missing section can be hovered).
fn covers(r: &Range, p: Position) -> bool {
    if r.start == r.end {
        return p.line == r.start.line;
    }
    r.start <= p && p <= r.end
}

fn overlaps(a: &Range, b: &Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

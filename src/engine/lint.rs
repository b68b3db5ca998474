//! One file: bytes or a read [`Document`] to a [`FileReport`] (findings filtered, sorted,
//! inferred errors capped), and the report for a file that could not be read.

use super::*;

/// Checks one file for the view: the same findings as `nblint check` with `opts`, plus
/// what the view shows. The browser page's WebAssembly calls this.
///
/// `today` (`YYYYMMDD`) is the date the check is made on. No shipped rule reads the clock
/// (the deadline rule compares the publication date with the year's deadline), so it is only
/// recorded; it is an argument so that the page never asks the browser's clock inside the
/// library.
pub fn lint_view(name: &str, bytes: &[u8], rules: &RuleSet, opts: &Options, _today: u32) -> String {
    let mut opts = opts.clone();
    opts.layout = true;
    let f = lint_source(name, bytes, rules, &opts);
    crate::emit::view::file_json(&f)
}

/// Checks one file given its bytes.
pub fn lint_source(path: &str, bytes: &[u8], rules: &RuleSet, opts: &Options) -> FileReport {
    match input::read(path, bytes, &opts.limits) {
        Ok(doc) => lint_document(path, doc, rules, opts),
        Err(e) => read_failure(path, &e, rules, opts),
    }
}

/// [`lint_source`] for bytes read from a file that are not needed afterwards: a large text
/// file is not held twice, as bytes and as text, while it is checked ([`input::read_owned`]).
pub(crate) fn lint_owned(
    path: &str,
    bytes: Vec<u8>,
    rules: &RuleSet,
    opts: &Options,
) -> FileReport {
    match input::read_owned(path, bytes, &opts.limits) {
        Ok(doc) => lint_document(path, doc, rules, opts),
        Err(e) => read_failure(path, &e, rules, opts),
    }
}

/// An arithmetic finding whose numbers were only inferred is at most a warning, even where
/// the configuration raises the rule to an error: precision first.
pub(super) fn cap_inferred(d: &mut Diagnostic) {
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
pub(crate) fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}

/// The finding for a file that could not be read.
pub(crate) fn read_failure(
    path: &str,
    err: &ReadError,
    rules: &RuleSet,
    opts: &Options,
) -> FileReport {
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

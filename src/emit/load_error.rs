//! Broken rule, template and configuration files, shown rustc-style like findings
//! (file:line:col, the key underlined), so that a CI log shows what to fix.

use crate::rule::LoadError;
use std::io::Write;

/// Shows broken rule or template files rustc-style.
pub(crate) fn report_load_errors(errors: &[LoadError], w: &mut dyn Write) -> std::io::Result<()> {
    report_errors(
        errors,
        w,
        "rule-file",
        "规则或模板文件有误 (broken rule file)",
        "规则或模板文件",
    )
}

/// Shows a broken nblint.toml rustc-style.
pub(crate) fn report_config_errors(errors: &[LoadError], w: &mut dyn Write) -> std::io::Result<()> {
    report_errors(
        errors,
        w,
        "config",
        "配置文件有误 (broken configuration)",
        "配置文件",
    )
}

/// Shows old spellings in rule files rustc-style, as warnings (`RuleSet::warnings`); the
/// run goes on and the exit code does not change.
pub(crate) fn report_load_warnings(
    warnings: &[LoadError],
    w: &mut dyn Write,
) -> std::io::Result<()> {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::files::SimpleFile;
    let config = codespan_reporting::term::Config::default();
    for e in warnings {
        let file = SimpleFile::new(e.file.as_str(), e.source.as_str());
        let mut d = Diagnostic::warning()
            .with_code("rule-file")
            .with_message(format!(
                "规则文件的旧写法 (deprecated spelling): {}",
                e.message
            ));
        if let Some(s) = &e.span {
            d = d.with_labels(vec![Label::primary((), s.clone())]);
        }
        codespan_reporting::term::emit_to_io_write(&mut *w, &config, &file, &d)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    Ok(())
}

fn report_errors(
    errors: &[LoadError],
    w: &mut dyn Write,
    code: &str,
    header: &str,
    what: &str,
) -> std::io::Result<()> {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::files::SimpleFile;
    let config = codespan_reporting::term::Config::default();
    for e in errors {
        let file = SimpleFile::new(e.file.as_str(), e.source.as_str());
        let mut lines = e.message.lines();
        let first = lines
            .next()
            .unwrap_or_default()
            .trim_end_matches(':')
            .to_owned();
        let rest: Vec<String> = lines.map(str::to_owned).collect();
        let mut d = Diagnostic::error()
            .with_code(code)
            .with_message(format!("{header}: {first}"));
        match &e.span {
            Some(s) if !e.source.is_empty() => {
                d = d.with_labels(vec![
                    Label::primary((), s.clone()).with_message(first.clone()),
                ]);
            }
            _ => d = d.with_notes(vec![format!("file: {}", e.file)]),
        }
        if !rest.is_empty() {
            d = d.with_notes(vec![rest.join("\n")]);
        }
        codespan_reporting::term::emit_to_io_write(&mut *w, &config, &file, &d)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    writeln!(
        w,
        "nblint: {what}中有 {} 处错误，请改正后重新运行 ({} problem(s); fix them and run again)",
        errors.len(),
        errors.len()
    )
}

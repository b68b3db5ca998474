//! `nblint rules`: the rule list as a table (code, name, severity, summary, templates) or as
//! JSON (`--format json`). The Markdown reference is `crate::docs::rules_markdown`.

use crate::diagnostic::Lang;
use crate::rule::RuleSet;
use std::io::{self, Write};

/// The rules as a pretty-printed JSON array, one object per rule.
pub(crate) fn write_json(rules: &RuleSet, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let list: Vec<serde_json::Value> = rules
        .rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "code": r.code,
                "name": r.name,
                "severity": r.severity.as_str(),
                "kind": r.check.kind_name(),
                "summary": r.summary(lang),
                "applies_to": r.applies_to,
                "basis": r.basis_text(lang),
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &list).map_err(io::Error::other)?;
    writeln!(out)
}

/// The rules as a table, one line each.
pub(crate) fn write_table(rules: &RuleSet, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let width = rules.rules.iter().map(|r| r.name.len()).max().unwrap_or(10);
    for r in &rules.rules {
        let applies = if r.applies_to.is_empty() {
            lang.pick("全部", "all").to_owned()
        } else {
            r.applies_to.join(",")
        };
        writeln!(
            out,
            "{:<6} {:<width$} {:<7} {}  [{}]",
            r.code,
            r.name,
            r.severity.as_str(),
            r.summary(lang),
            applies
        )?;
    }
    Ok(())
}

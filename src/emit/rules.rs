//! `nblint rules`: the rule list as a table (code, name, severity, summary, templates) or as
//! JSON (`--format json`), and the text of `nblint explain` (also the language server's
//! hover). The Markdown reference is `crate::docs::rules_markdown`.

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
    // `From` keeps an io error's kind, so `nblint rules --format json | head` ends quietly.
    serde_json::to_writer_pretty(&mut *out, &list).map_err(io::Error::from)?;
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

/// The text of `nblint explain`.
pub(crate) fn explain_text(r: &crate::rule::Rule, lang: Lang) -> String {
    let mut s = String::new();
    let sev = r.severity.word(lang);
    match lang {
        Lang::Zh => s.push_str(&format!("{} {}（{}）\n", r.code, r.name, sev)),
        Lang::En => s.push_str(&format!("{} {} ({})\n", r.code, r.name, sev)),
    }
    s.push_str(r.summary(lang));
    s.push_str("\n\n");
    s.push_str(r.description(lang).trim());
    s.push_str("\n\n");
    if let Some(b) = r.basis_text(lang) {
        s.push_str(&format!("{}{b}\n", lang.pick("依据：", "Basis: ")));
    }
    let applies = if r.applies_to.is_empty() {
        lang.pick("全部报告", "every report").to_owned()
    } else {
        r.applies_to.join("、")
    };
    s.push_str(&format!(
        "{}{applies}\n",
        lang.pick("适用模板：", "Templates: ")
    ));
    s.push_str(&format!(
        "{}{}\n",
        lang.pick("规则类型：", "Kind: "),
        r.check.kind_name()
    ));
    s
}

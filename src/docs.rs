//! Generated documentation: `docs/rules.md` is written from the rule files, so that it can
//! never drift from them (a test regenerates it and compares).

use crate::diagnostic::Lang;
use crate::rule::RuleSet;
use std::fmt::Write as _;

/// The rule reference in Markdown, Chinese first.
pub fn rules_markdown(rules: &RuleSet) -> String {
    let mut s = String::new();
    s.push_str("# 规则参考 (rule reference)\n\n");
    s.push_str("<!-- 本文件由 `nblint rules --format markdown` 生成，请勿手工修改；改规则文件 rules/*.toml 后重新生成。 -->\n\n");
    s.push_str("代码和名称是稳定的契约：代码不会改变含义，也不会被重复使用。\n");
    s.push_str("Codes and names are stable contracts.\n\n");
    s.push_str("| 代码 code | 名称 name | 默认级别 | 适用模板 | 说明 |\n|---|---|---|---|---|\n");
    for r in &rules.rules {
        let applies = if r.applies_to.is_empty() {
            "全部".to_owned()
        } else {
            r.applies_to.join("、")
        };
        let _ = writeln!(
            s,
            "| {} | [`{}`](#{}) | {} | {} | {} |",
            r.code,
            r.name,
            r.code.to_ascii_lowercase(),
            r.severity.as_str(),
            applies,
            r.summary
        );
    }
    s.push('\n');
    s.push_str("## 模板 (templates)\n\n");
    for t in &rules.templates {
        let years = match (t.years.from, t.years.to) {
            (Some(f), Some(to)) => format!("{f}–{to} 年度"),
            (Some(f), None) => format!("{f} 年度起"),
            (None, Some(to)) => format!("{to} 年度及以前"),
            (None, None) => "所有年度".to_owned(),
        };
        let _ = writeln!(
            s,
            "- `{}`：{}（{}；依据 {}）",
            t.name, t.title, years, t.basis
        );
        for sec in &t.sections {
            let _ = writeln!(
                s,
                "  - {}{}",
                sec.full_title(),
                if sec.required { "" } else { "（可选）" }
            );
        }
    }
    s.push('\n');
    for r in &rules.rules {
        let _ = writeln!(s, "## {}\n", r.code);
        let _ = writeln!(
            s,
            "`{}` · {} · kind `{}`\n",
            r.name,
            r.severity.as_str(),
            r.check.kind_name()
        );
        let _ = writeln!(s, "**{}**  \n{}\n", r.summary, r.summary_en);
        let _ = writeln!(s, "{}\n", r.description.trim());
        if let Some(b) = r.basis_text(Lang::Zh) {
            let _ = writeln!(s, "依据：{b}\n");
        }
        let _ = writeln!(s, "规则文件：`{}`\n", r.origin);
    }
    s
}

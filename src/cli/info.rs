//! `nblint rules`, `nblint explain` and `nblint init`.

use super::*;

/// `nblint init`: writes the commented starter configuration.
pub(super) fn init(a: InitArgs, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    let lang = a.common.lang();
    let path = a.dir.join(config::FILE_NAME);
    if path.exists() && !a.force {
        let p = path.display();
        writeln!(
            err,
            "nblint: {}",
            match lang {
                Lang::Zh => format!("{p} 已经存在；要覆盖它请加 --force"),
                Lang::En => format!("{p} already exists; use --force to overwrite it"),
            }
        )?;
        return Ok(2);
    }
    if let Err(e) = crate::outfile::write_atomic(&path, config::STARTER.as_bytes()) {
        writeln!(
            err,
            "nblint: {}",
            super::check::cannot_write(lang, &path, &e)
        )?;
        return Ok(2);
    }
    let p = path.display();
    writeln!(
        out,
        "nblint: {}",
        match lang {
            Lang::Zh => format!("已写入 {p}"),
            Lang::En => format!("wrote {p}"),
        }
    )?;
    Ok(0)
}

pub(super) fn rules(a: RulesArgs, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    let Some(rules) = load_rules(&a.common, err) else {
        return Ok(2);
    };
    let lang: Lang = a.common.lang();
    if a.format == RulesFormat::Markdown {
        write!(out, "{}", crate::docs::rules_markdown(&rules))?;
        return Ok(0);
    }
    if a.format == RulesFormat::Json {
        emit::rules::write_json(&rules, lang, out)?;
        return Ok(0);
    }
    emit::rules::write_table(&rules, lang, out)?;
    Ok(0)
}

pub(super) fn explain(
    a: ExplainArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let Some(rules) = load_rules(&a.common, err) else {
        return Ok(2);
    };
    let lang: Lang = a.common.lang();
    let Some(r) = rules.find(&a.rule) else {
        let r = &a.rule;
        writeln!(
            err,
            "nblint: {}",
            match lang {
                Lang::Zh => format!("没有规则“{r}”；运行 nblint rules 查看全部规则"),
                Lang::En => format!("no rule `{r}`; run `nblint rules` for the list"),
            }
        )?;
        return Ok(2);
    };
    write!(out, "{}", explain_text(r, lang))?;
    Ok(0)
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

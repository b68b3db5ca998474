//! Rules and templates as data: loading `rules/*.toml` and `rules/templates/*.toml` (built in,
//! and from `--rules DIR`), validating them strictly, and reporting every problem at the exact
//! key with its span, so that a broken rule file is shown rustc-style like a finding.
//!
//! A rule is one file: common keys (code, severity, messages, basis, description) and one
//! `[check.<kind>]` table with the kind's parameters. The rule's name is its file stem.

use crate::checks::Check;
use crate::diagnostic::Severity;
use crate::template::Template;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// A problem in a rule or template file, with the file's text so it can be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// Path as shown to the user (`rules/missing-section.toml`, `<built-in>/…`).
    pub file: String,
    pub(crate) source: String,
    pub(crate) span: Option<Range<usize>>,
    pub message: String,
}

pub use crate::checks::rule_model::Rule;
pub(crate) use crate::checks::rule_model::{COMMON_PLACEHOLDERS, MessageTemplate};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    code: Spanned<String>,
    severity: Severity,
    summary: String,
    summary_en: String,
    message: Spanned<String>,
    message_en: Spanned<String>,
    #[serde(default)]
    help: Option<Spanned<String>>,
    #[serde(default)]
    help_en: Option<Spanned<String>>,
    #[serde(default)]
    basis: Option<Spanned<String>>,
    #[serde(default)]
    basis_en: Option<Spanned<String>>,
    description: String,
    #[serde(default)]
    description_en: Option<String>,
    #[serde(default)]
    applies_to: Vec<Spanned<String>>,
    check: Spanned<Check>,
}

/// All rules and templates in effect.
#[derive(Debug)]
pub struct RuleSet {
    /// Sorted by code.
    pub rules: Vec<Rule>,
    /// In order of their first year, with their compiled table index.
    pub templates: crate::report::TemplateSet,
    /// Old spellings that were read but should be rewritten ([`DEPRECATED_VALUES`]),
    /// shown as warnings; they do not change the exit code.
    pub warnings: Vec<LoadError>,
}

/// Word values in rule files are kebab-case (`blank-total`, `out-of-range`), like rule
/// names; keys and ids are snake_case, like TOML keys. Values once spelt otherwise are still
/// read, with a warning at the value: `(kind, key, old spelling, new spelling)`.
pub const DEPRECATED_VALUES: &[(&str, &str, &str, &str)] =
    &[("table_equation", "report", "blank_total", "blank-total")];

/// One rule or template file to load.
struct Source {
    /// Shown in messages.
    display: String,
    /// File stem: the rule or template name.
    stem: String,
    text: String,
    is_template: bool,
}

impl RuleSet {
    /// The built-in rules and templates only.
    pub fn builtin() -> Result<RuleSet, Vec<LoadError>> {
        RuleSet::load(&[])
    }

    /// Built-in rules and templates plus those in `dirs` (`DIR/*.toml` rules,
    /// `DIR/templates/*.toml` templates). A user file with a built-in's name replaces it.
    pub fn load(dirs: &[PathBuf]) -> Result<RuleSet, Vec<LoadError>> {
        let mut sources: BTreeMap<(bool, String), Source> = BTreeMap::new();
        for (rel, text) in BUILTIN_RULES {
            let is_template = rel.starts_with("templates/");
            let stem = stem_of(rel);
            sources.insert(
                (is_template, stem.clone()),
                Source {
                    display: format!("rules/{rel}"),
                    stem,
                    text: (*text).to_owned(),
                    is_template,
                },
            );
        }
        let mut errors = Vec::new();
        for dir in dirs {
            for (sub, is_template) in [(dir.clone(), false), (dir.join("templates"), true)] {
                match read_dir_sorted(&sub) {
                    Ok(files) => {
                        for path in files {
                            let display = path.display().to_string();
                            match crate::input::file::read_text_limited(
                                &path,
                                crate::input::file::MAX_CONFIG_BYTES,
                            ) {
                                Ok(text) => {
                                    let stem = stem_of(&display);
                                    sources.insert(
                                        (is_template, stem.clone()),
                                        Source {
                                            display,
                                            stem,
                                            text,
                                            is_template,
                                        },
                                    );
                                }
                                Err(e) => errors.push(LoadError {
                                    file: display,
                                    source: String::new(),
                                    span: None,
                                    message: format!("cannot read rule file: {e}"),
                                }),
                            }
                        }
                    }
                    Err(e) if !is_template => errors.push(LoadError {
                        file: sub.display().to_string(),
                        source: String::new(),
                        span: None,
                        message: format!("cannot read rule directory: {e}"),
                    }),
                    Err(_) => {}
                }
            }
        }
        let mut templates = Vec::new();
        for src in sources.values().filter(|s| s.is_template) {
            match load_template(src) {
                Ok(t) => templates.push(t),
                Err(mut e) => errors.append(&mut e),
            }
        }
        // Templates are tried in order of their first year.
        templates.sort_by_key(|t: &Template| (t.years.from.unwrap_or(i32::MIN), t.name.clone()));
        let template_names: Vec<&str> = templates.iter().map(|t| t.name.as_str()).collect();
        let mut rules = Vec::new();
        let mut warnings = Vec::new();
        // Loading a rule is mostly compiling its expressions (about half of a one-file run's
        // start-up) and rules do not depend on each other, so they load on rayon's threads;
        // `collect` keeps the order of the files, and so of every message.
        let rule_sources: Vec<&Source> = sources.values().filter(|s| !s.is_template).collect();
        let loaded: Vec<_> = rule_sources
            .par_iter()
            .map(|src| load_rule(src, &template_names, &templates))
            .collect();
        for (src, loaded) in rule_sources.into_iter().zip(loaded) {
            match loaded {
                Ok(r) => {
                    warnings.extend(deprecated_spellings(src, r.check.kind_name()));
                    rules.push((r, src))
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        // Codes are unique.
        let mut by_code: HashMap<String, &str> = HashMap::new();
        for (r, src) in &rules {
            if let Some(other) = by_code.insert(r.code.clone(), &r.name) {
                let span = find_key_value_span(&src.text, "code");
                errors.push(LoadError {
                    file: src.display.clone(),
                    source: src.text.clone(),
                    span,
                    message: format!("code {} is already used by rule `{other}`", r.code),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut rules: Vec<Rule> = rules.into_iter().map(|(r, _)| r).collect();
        rules.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(RuleSet {
            rules,
            templates: crate::report::TemplateSet::new(templates),
            warnings,
        })
    }

    /// Finds a rule by code (`NB101`, case-insensitive) or name (`missing-section`).
    pub fn find(&self, key: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
    }

    pub(crate) fn template(&self, name: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.name == name)
    }
}

fn stem_of(path: &str) -> String {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    base.strip_suffix(".toml").unwrap_or(base).to_owned()
}

fn read_dir_sorted(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

fn err(src: &Source, span: Option<Range<usize>>, message: impl Into<String>) -> LoadError {
    LoadError {
        file: src.display.clone(),
        source: src.text.clone(),
        span,
        message: message.into(),
    }
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_code(s: &str) -> bool {
    let letters = s.chars().take_while(|c| c.is_ascii_uppercase()).count();
    let digits = s.len() - letters;
    (1..=4).contains(&letters)
        && (3..=4).contains(&digits)
        && s[letters..].chars().all(|c| c.is_ascii_digit())
}

fn load_rule(
    src: &Source,
    templates: &[&str],
    loaded: &[Template],
) -> Result<Rule, Vec<LoadError>> {
    let file: RuleFile =
        toml::from_str(&src.text).map_err(|e| vec![err(src, e.span(), e.message().to_owned())])?;
    let mut errors = Vec::new();
    if !is_kebab(&src.stem) {
        errors.push(err(
            src,
            None,
            format!(
                "rule file name `{}` is not a kebab-case rule name (e.g. `missing-section.toml`)",
                src.stem
            ),
        ));
    }
    if !is_code(file.code.get_ref()) {
        errors.push(err(
            src,
            Some(file.code.span()),
            format!(
                "`{}` is not a rule code: write 1–4 capital letters and 3–4 digits, e.g. NB101",
                file.code.get_ref()
            ),
        ));
    }
    for a in &file.applies_to {
        if !templates.contains(&a.get_ref().as_str()) {
            errors.push(err(
                src,
                Some(a.span()),
                format!(
                    "unknown template `{}`; known templates: {}",
                    a.get_ref(),
                    templates.join(", ")
                ),
            ));
        }
    }
    let check_span = file.check.span();
    let mut check = file.check.into_inner();
    if let Err(problems) = check.prepare() {
        for (span, msg) in problems {
            errors.push(err(
                src,
                Some(span.unwrap_or_else(|| check_span.clone())),
                msg,
            ));
        }
    } else if let Err(problems) = check.validate(loaded) {
        // Names that must exist in the templates (table, row and column ids).
        for (span, msg) in problems {
            errors.push(err(
                src,
                Some(span.unwrap_or_else(|| check_span.clone())),
                msg,
            ));
        }
    }
    let allowed: Vec<&str> = COMMON_PLACEHOLDERS
        .iter()
        .chain(check.placeholders())
        .copied()
        .collect();
    let mut parse_msg = |m: &Spanned<String>| -> Option<MessageTemplate> {
        match MessageTemplate::parse(m.get_ref()) {
            Ok(t) => {
                for p in t.placeholders() {
                    if !allowed.contains(&p) {
                        let span = placeholder_span(&src.text, m, p).unwrap_or(m.span());
                        errors.push(err(
                            src,
                            Some(span),
                            format!(
                                "unknown placeholder `{{{p}}}` for a `{}` rule; available: {}",
                                check.kind_name(),
                                allowed
                                    .iter()
                                    .map(|a| format!("{{{a}}}"))
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            ),
                        ));
                    }
                }
                Some(t)
            }
            Err((r, msg)) => {
                let span = inner_span(&src.text, m, r).unwrap_or(m.span());
                errors.push(err(src, Some(span), msg));
                None
            }
        }
    };
    let message = parse_msg(&file.message);
    let message_en = parse_msg(&file.message_en);
    let help = file.help.as_ref().map(&mut parse_msg);
    let help_en = file.help_en.as_ref().map(&mut parse_msg);
    let basis = file.basis.as_ref().map(&mut parse_msg);
    let basis_en = file.basis_en.as_ref().map(&mut parse_msg);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Rule {
        name: src.stem.clone(),
        code: file.code.into_inner(),
        severity: file.severity,
        summary: file.summary,
        summary_en: file.summary_en,
        message: message.expect("no errors"),
        message_en: message_en.expect("no errors"),
        help: help.flatten(),
        help_en: help_en.flatten(),
        basis: basis.flatten(),
        basis_en: basis_en.flatten(),
        description: file.description,
        description_en: file.description_en.filter(|d| !d.trim().is_empty()),
        applies_to: file
            .applies_to
            .into_iter()
            .map(Spanned::into_inner)
            .collect(),
        check,
        origin: src.display.clone(),
    })
}

fn load_template(src: &Source) -> Result<Template, Vec<LoadError>> {
    let mut t: Template =
        toml::from_str(&src.text).map_err(|e| vec![err(src, e.span(), e.message().to_owned())])?;
    t.name = src.stem.clone();
    t.prepare();
    let mut errors = Vec::new();
    if !is_kebab(&t.name) {
        errors.push(err(
            src,
            None,
            format!("template file name `{}` is not kebab-case", t.name),
        ));
    }
    let mut seen = Vec::new();
    for s in &t.sections {
        if seen.contains(&s.id.as_str()) {
            errors.push(err(
                src,
                find_key_value_span_of(&src.text, "id", &s.id),
                format!("section id `{}` is used twice", s.id),
            ));
        }
        seen.push(&s.id);
    }
    let mut tables_seen: Vec<&str> = Vec::new();
    for tb in &t.tables {
        let at = find_key_value_span_of(&src.text, "id", &tb.id);
        if tables_seen.contains(&tb.id.as_str()) {
            errors.push(err(
                src,
                at.clone(),
                format!("table id `{}` is used twice", tb.id),
            ));
        }
        tables_seen.push(&tb.id);
        if let Some(sec) = &tb.section
            && !t.sections.iter().any(|s| &s.id == sec)
        {
            errors.push(err(
                src,
                find_key_value_span_of(&src.text, "section", sec).or(at.clone()),
                format!(
                    "table `{}` names section `{sec}`, which this template does not have",
                    tb.id
                ),
            ));
        }
        if tb.columns.is_empty() || tb.rows.is_empty() {
            errors.push(err(
                src,
                at.clone(),
                format!("table `{}` needs at least one column and one row", tb.id),
            ));
        }
        // Row ids are unique among rows, column ids among columns (表三 has a `total` of each).
        for (what, list) in [
            (
                "column",
                tb.columns.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ),
            ("row", tb.rows.iter().map(|r| r.id.as_str()).collect()),
        ] {
            for (i, id) in list.iter().enumerate() {
                if list[..i].contains(id) {
                    errors.push(err(
                        src,
                        at.clone(),
                        format!("{what} id `{id}` is used twice in table `{}`", tb.id),
                    ));
                }
            }
        }
        if let Some(total) = &tb.row_total
            && !tb.columns.iter().any(|c| &c.id == total)
        {
            errors.push(err(
                src,
                at.clone(),
                format!("row_total `{total}` is not a column of table `{}`", tb.id),
            ));
        }
    }
    if errors.is_empty() {
        Ok(t)
    } else {
        Err(errors)
    }
}

/// The span of a placeholder inside a string value, when the value is written without escapes.
fn placeholder_span(text: &str, m: &Spanned<String>, name: &str) -> Option<Range<usize>> {
    let needle = format!("{{{name}}}");
    let r = m.get_ref().find(&needle)?;
    inner_span(text, m, r..r + needle.len())
}

/// Maps a range within a string value to the file, if the raw text matches the value there.
fn inner_span(text: &str, m: &Spanned<String>, r: Range<usize>) -> Option<Range<usize>> {
    let span = m.span();
    let raw = text.get(span.clone())?;
    let mut off = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        1
    };
    if off == 3 && raw[3..].starts_with('\n') {
        off += 1;
    }
    let start = span.start + off + r.start;
    let end = span.start + off + r.end;
    (text.get(start..end)? == m.get_ref().get(r)?).then_some(start..end)
}

/// The span of `key = value` for a top-level key (used for duplicate-code errors).
/// A warning for each old spelling of [`DEPRECATED_VALUES`] in a rule of this kind, at
/// the quoted value.
fn deprecated_spellings(src: &Source, kind: &str) -> Vec<LoadError> {
    let mut out = Vec::new();
    for &(k, key, old, new) in DEPRECATED_VALUES {
        if k != kind {
            continue;
        }
        let mut off = 0;
        for line in src.text.split_inclusive('\n') {
            let t = line.trim_start();
            if let Some(rest) = t.strip_prefix(key)
                && let Some(value) = rest.trim_start().strip_prefix('=')
                && value.trim_start().starts_with(&format!("\"{old}\""))
            {
                let start = off + line.len() - value.trim_start().len();
                out.push(err(
                    src,
                    Some(start..start + old.len() + 2),
                    format!(
                        "`{key} = \"{old}\"` 是旧写法，请改成 `{key} = \"{new}\"`（规则文件中的取值用连字符） \
                         (old spelling: write `{key} = \"{new}\"`; values in rule files are kebab-case)"
                    ),
                ));
            }
            off += line.len();
        }
    }
    out
}

fn find_key_value_span(text: &str, key: &str) -> Option<Range<usize>> {
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let start = off + (line.len() - t.len());
            return Some(start..off + line.trim_end().len());
        }
        off += line.len();
    }
    None
}

fn find_key_value_span_of(text: &str, key: &str, value: &str) -> Option<Range<usize>> {
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with(key) && t.contains(&format!("\"{value}\"")) {
            let start = off + (line.len() - t.len());
            return Some(start..off + line.trim_end().len());
        }
        off += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_loaded_on_threads_come_back_in_file_order() {
        // Rules load on several threads; the errors still come in the order of the files.
        let dir = std::env::temp_dir().join(format!("nblint-rule-order-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let names: Vec<String> = (0..24).map(|i| format!("broken-{i:02}")).collect();
        for n in &names {
            std::fs::write(dir.join(format!("{n}.toml")), "code = \"NB9\"\n").unwrap();
        }
        for _ in 0..3 {
            let errors = RuleSet::load(std::slice::from_ref(&dir)).expect_err("broken rules");
            let files: Vec<String> = errors
                .iter()
                .map(|e| stem_of(&e.file))
                .filter(|f| f.starts_with("broken-"))
                .collect();
            assert_eq!(files.len(), names.len(), "{errors:?}");
            let mut sorted = files.clone();
            sorted.sort();
            assert_eq!(files, sorted);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn builtin_rules_use_current_spellings() {
        let set = RuleSet::builtin().unwrap();
        assert!(set.warnings.is_empty(), "{:?}", set.warnings);
        // Every old spelling is one the kind still reads.
        for &(kind, key, old, new) in DEPRECATED_VALUES {
            assert!(is_kebab(new) && !is_kebab(old), "{kind}.{key}");
        }
    }

    #[test]
    fn message_templates() {
        let t = MessageTemplate::parse("缺少“{title}”{{x}}").unwrap();
        assert_eq!(t.placeholders().collect::<Vec<_>>(), vec!["title"]);
        let s = t.render(&|n| (n == "title").then(|| "总体情况".to_owned()));
        assert_eq!(s, "缺少“总体情况”{x}");
        assert!(MessageTemplate::parse("a {b").is_err());
        assert!(MessageTemplate::parse("a }").is_err());
        assert!(MessageTemplate::parse("a {b c}").is_err());
    }

    #[test]
    fn builtin_rules_load() {
        let rs = RuleSet::builtin().unwrap_or_else(|e| panic!("{e:#?}"));
        assert!(rs.find("NB101").is_some());
        assert!(rs.find("missing-section").is_some());
        assert!(rs.template("format-2021").is_some());
    }

    #[test]
    fn names_and_codes() {
        assert!(is_kebab("missing-section"));
        assert!(!is_kebab("Missing"));
        assert!(!is_kebab("a--b"));
        assert!(is_code("NB101"));
        assert!(is_code("GD1001"));
        assert!(!is_code("nb101"));
        assert!(!is_code("NB1"));
    }
}

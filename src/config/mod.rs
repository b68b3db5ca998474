//! `nblint.toml`: the configuration a repository of reports keeps beside them.
//!
//! A file's configuration is the nearest `nblint.toml` found from the file's directory
//! upwards (or the one named by `--config`). The nearest file wins whole, as in ruff: files
//! are not merged. Per-directory differences go into `[[override]]` tables of one file.
//!
//! Everything is checked strictly when the file is loaded: unknown keys, wrong types, bad
//! globs, unknown rules and templates, malformed dates are [`LoadError`]s pointing at the key
//! or value, shown rustc-style by the CLI (exit 2). Paths and globs are relative to the
//! directory of the `nblint.toml` that names them.
//!
//! This module only reads and answers questions ("which settings apply to this path?", "is
//! this finding ignored?"); the engine applies the answers.

use crate::dates::{Deadlines, MonthDay};
use crate::diagnostic::{Diagnostic, Severity};
use crate::exclude::Excludes;
pub(crate) use crate::paths::lexical_absolute;
use crate::report::BodyType;
use crate::rule::{LoadError, RuleSet};
use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The configuration file's name.
pub(crate) const FILE_NAME: &str = "nblint.toml";

/// A commented starter configuration, written by `nblint init`.
mod schema;

pub(crate) const STARTER: &str = include_str!("starter.toml");

/// What `[rules]` says about one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Switch {
    Off,
    On,
    Level(Severity),
}

impl Switch {
    fn parse(s: &str) -> Option<Switch> {
        match s {
            "off" | "disable" | "disabled" => Some(Switch::Off),
            "on" | "enable" | "enabled" => Some(Switch::On),
            other => Severity::parse(other).map(Switch::Level),
        }
    }
}

/// Settings that change how reports under a path are read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ReportSettings {
    pub(crate) body_type: Option<BodyType>,
    pub(crate) template: Option<String>,
    /// The body the reports belong to, for checks across years (instead of the title's).
    pub(crate) agency: Option<String>,
}

/// One `[[ignore]]` entry: findings of `rule` in files matching `path`, optionally only
/// those about `text` or a table `cell`.
#[derive(Clone, Debug)]
pub(crate) struct Ignore {
    pub(crate) glob: GlobMatcher,
    pub(crate) rule: String,
    pub(crate) text: Option<String>,
    pub(crate) cell: Vec<String>,
}

/// One `[[override]]` table: settings for the files matching any of `files`.
#[derive(Clone, Debug)]
pub(crate) struct Override {
    pub(crate) globs: Vec<GlobMatcher>,
    pub(crate) report: ReportSettings,
    pub(crate) rules: Vec<(String, Switch)>,
}

/// A loaded, validated `nblint.toml`.
#[derive(Clone, Debug)]
pub struct Config {
    /// As shown to the user.
    pub(crate) file: String,
    /// Absolute directory of the file; paths and globs are relative to it.
    pub(crate) dir: PathBuf,
    pub(crate) fail_on: Option<Severity>,
    pub(crate) rule_dirs: Vec<PathBuf>,
    pub(crate) report: ReportSettings,
    pub(crate) deadlines: Deadlines,
    /// `[rules]`, by code or name, in file order.
    pub(crate) rules: Vec<(String, Switch)>,
    pub(crate) ignores: Vec<Ignore>,
    pub(crate) overrides: Vec<Override>,
    /// `exclude`: replaces the default list of files that are not reports.
    pub(crate) exclude: Option<Excludes>,
    /// `extend-exclude`: added to `exclude` or the default list.
    pub(crate) extend_exclude: Excludes,
    /// `force-exclude`: exclude files named on the command line too.
    pub(crate) force_exclude: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    rule_dirs: Vec<Spanned<String>>,
    #[serde(default)]
    report: Option<RawReport>,
    #[serde(default)]
    deadlines: Option<RawDeadlines>,
    #[serde(default)]
    rules: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    ignore: Vec<RawIgnore>,
    #[serde(default, rename = "override")]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    exclude: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    extend_exclude: Vec<Spanned<String>>,
    #[serde(default)]
    force_exclude: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawReport {
    #[serde(default)]
    body_type: Option<Spanned<String>>,
    #[serde(default)]
    template: Option<Spanned<String>>,
    #[serde(default)]
    agency: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawDeadlines {
    #[serde(default)]
    township: Option<Spanned<String>>,
    #[serde(default)]
    department: Option<Spanned<String>>,
    #[serde(default)]
    government: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawIgnore {
    path: Spanned<String>,
    rule: Spanned<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    cell: Option<String>,
    /// Why the finding is accepted; for people reading the file.
    #[serde(default)]
    #[allow(dead_code)]
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    files: Vec<Spanned<String>>,
    #[serde(default)]
    body_type: Option<Spanned<String>>,
    #[serde(default)]
    template: Option<Spanned<String>>,
    #[serde(default)]
    agency: Option<String>,
    #[serde(default)]
    rules: BTreeMap<String, Spanned<String>>,
}

/// A parsed file whose rule and template references still need the rule set.
pub(crate) struct Parsed {
    config: Config,
    raw_rules: Vec<(String, Range<usize>, Switch)>,
    raw_templates: Vec<(String, Range<usize>)>,
    source: String,
}

impl Parsed {
    /// Extra rule directories named by the file (absolute).
    pub(crate) fn rule_dirs(&self) -> &[PathBuf] {
        &self.config.rule_dirs
    }

    /// Checks rule and template names against the rules in effect.
    pub(crate) fn finish(self, rules: &RuleSet) -> Result<Config, Vec<LoadError>> {
        let mut errors = Vec::new();
        for (key, span, _) in &self.raw_rules {
            if rules.find(key).is_none() {
                errors.push(self.err(
                    Some(span.clone()),
                    format!("没有规则“{key}”，运行 nblint rules 查看代码和名称 (unknown rule `{key}`; run `nblint rules` for the codes and names)"),
                ));
            }
        }
        for (name, span) in &self.raw_templates {
            if rules.template(name).is_none() {
                let names: Vec<&str> = rules.templates.iter().map(|t| t.name.as_str()).collect();
                errors.push(self.err(
                    Some(span.clone()),
                    format!(
                        "没有模板“{name}”；可用的模板：{} (unknown template `{name}`)",
                        names.join("、")
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(self.config)
        } else {
            Err(errors)
        }
    }

    fn err(&self, span: Option<Range<usize>>, message: String) -> LoadError {
        LoadError {
            file: self.config.file.clone(),
            source: self.source.clone(),
            span,
            message,
        }
    }
}

/// Reads and parses a configuration file (rule references are checked by [`Parsed::finish`]).
pub(crate) fn load(path: &Path) -> Result<Parsed, Vec<LoadError>> {
    // Shown relative to the working directory when it is under it, as checked files are.
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let file = shown.display().to_string();
    let source = crate::input::file::read_text_limited(path, crate::input::file::MAX_CONFIG_BYTES)
        .map_err(|e| {
            vec![LoadError {
                file: file.clone(),
                source: String::new(),
                span: None,
                message: format!("无法读取配置文件：{e} (cannot read configuration file)"),
            }]
        })?;
    let abs = lexical_absolute(path);
    let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(&file, &dir, source)
}

/// Parses configuration text; `dir` is the directory paths are relative to.
pub(crate) fn parse(file: &str, dir: &Path, source: String) -> Result<Parsed, Vec<LoadError>> {
    let e = |span: Option<Range<usize>>, message: String| LoadError {
        file: file.to_owned(),
        source: source.clone(),
        span,
        message,
    };
    // Every unknown key, wrong type and syntax error at once; then serde (whose first error
    // is the only one left to find).
    let shape = schema::check(&source);
    if !shape.is_empty() {
        return Err(shape.into_iter().map(|(span, m)| e(span, m)).collect());
    }
    let raw: RawConfig =
        toml::from_str(&source).map_err(|x| vec![e(x.span(), x.message().to_owned())])?;
    let mut errors = Vec::new();
    let mut raw_rules = Vec::new();
    let mut raw_templates = Vec::new();

    let fail_on = raw.fail_on.as_ref().and_then(|f| {
        let s = Severity::parse(f.get_ref());
        if s.is_none() {
            errors.push(e(
                Some(f.span()),
                format!(
                    "“{}”不是级别，请写 \"error\"、\"warning\" 或 \"note\" (`{}` is not a level)",
                    f.get_ref(),
                    f.get_ref()
                ),
            ));
        }
        s
    });
    let rule_dirs = raw
        .rule_dirs
        .iter()
        .map(|d| dir.join(d.get_ref()))
        .collect();

    let body_type = |v: &Option<Spanned<String>>, errors: &mut Vec<LoadError>| {
        v.as_ref().and_then(|b| {
            let t = BodyType::parse(b.get_ref());
            if t.is_none() {
                errors.push(e(
                    Some(b.span()),
                    format!(
                        "没有单位类型“{}”，请写 \"township\"、\"government\" 或 \"department\" (unknown body type `{}`)",
                        b.get_ref(),
                        b.get_ref()
                    ),
                ));
            }
            t
        })
    };
    let raw_report = raw.report.unwrap_or_default();
    let report = ReportSettings {
        body_type: body_type(&raw_report.body_type, &mut errors),
        template: raw_report.template.as_ref().map(|t| {
            raw_templates.push((t.get_ref().clone(), t.span()));
            t.get_ref().clone()
        }),
        agency: raw_report.agency.filter(|a| !a.trim().is_empty()),
    };

    let mut deadlines = Deadlines::default();
    if let Some(d) = &raw.deadlines {
        let mut one = |v: &Option<Spanned<String>>| -> Option<Option<MonthDay>> {
            let v = v.as_ref()?;
            if v.get_ref().trim() == "none" {
                return Some(None);
            }
            match MonthDay::parse(v.get_ref()) {
                Some(md) => Some(Some(md)),
                None => {
                    errors.push(e(
                        Some(v.span()),
                        format!(
                            "“{}”不是时限，请写报告年度次年的月-日（如 \"03-31\"）或 \"none\" (`{}` is not a deadline)",
                            v.get_ref(),
                            v.get_ref()
                        ),
                    ));
                    None
                }
            }
        };
        deadlines.township = one(&d.township);
        deadlines.department = one(&d.department);
        deadlines.government = one(&d.government);
    }

    let switches = |map: &BTreeMap<String, Spanned<String>>,
                    errors: &mut Vec<LoadError>,
                    raw_rules: &mut Vec<(String, Range<usize>, Switch)>|
     -> Vec<(String, Switch)> {
        let mut out = Vec::new();
        for (k, v) in map {
            match Switch::parse(v.get_ref()) {
                    Some(s) => {
                        // The key's own span is not kept by the parser; point at the value.
                        raw_rules.push((k.clone(), key_span(&source, k, v.span()), s));
                        out.push((k.clone(), s));
                    }
                    None => errors.push(e(
                        Some(v.span()),
                        format!(
                            "“{}”不是规则设置，请写 \"off\"、\"on\"、\"error\"、\"warning\" 或 \"note\" (`{}` is not a rule setting)",
                            v.get_ref(),
                            v.get_ref()
                        ),
                    )),
                }
        }
        out
    };
    let rules = switches(&raw.rules, &mut errors, &mut raw_rules);

    let glob = |g: &Spanned<String>, errors: &mut Vec<LoadError>| -> Option<GlobMatcher> {
        match compile_glob(g.get_ref()) {
            Ok(m) => Some(m),
            Err(msg) => {
                errors.push(e(Some(g.span()), msg));
                None
            }
        }
    };
    let mut ignores = Vec::new();
    for i in &raw.ignore {
        raw_rules.push((
            i.rule.get_ref().clone(),
            i.rule.span(),
            Switch::Off, // unused; only the name is checked
        ));
        if let Some(g) = glob(&i.path, &mut errors) {
            ignores.push(Ignore {
                glob: g,
                rule: i.rule.get_ref().clone(),
                text: i.text.clone().filter(|t| !t.is_empty()),
                cell: i
                    .cell
                    .as_deref()
                    .map(|c| c.split_whitespace().map(normalize).collect())
                    .unwrap_or_default(),
            });
        }
    }
    let mut overrides = Vec::new();
    for o in &raw.overrides {
        if o.files.is_empty() {
            errors.push(e(
                None,
                "[[override]] 的 files 至少要有一个通配符 (an [[override]] needs at least one glob in `files`)".to_owned(),
            ));
        }
        let globs = o
            .files
            .iter()
            .filter_map(|g| glob(g, &mut errors))
            .collect();
        if let Some(t) = &o.template {
            raw_templates.push((t.get_ref().clone(), t.span()));
        }
        overrides.push(Override {
            globs,
            report: ReportSettings {
                body_type: body_type(&o.body_type, &mut errors),
                template: o.template.as_ref().map(|t| t.get_ref().clone()),
                agency: o.agency.clone().filter(|a| !a.trim().is_empty()),
            },
            rules: switches(&o.rules, &mut errors, &mut raw_rules),
        });
    }
    let excludes = |list: &[Spanned<String>], errors: &mut Vec<LoadError>| {
        let pats: Vec<&str> = list.iter().map(|p| p.get_ref().as_str()).collect();
        match Excludes::new(&pats, dir, false) {
            Ok(x) => x,
            Err((i, msg)) => {
                errors.push(e(list.get(i).map(Spanned::span), msg));
                Excludes::new::<&str>(&[], dir, false).expect("an empty list compiles")
            }
        }
    };
    let exclude = raw.exclude.as_ref().map(|l| excludes(l, &mut errors));
    let extend_exclude = excludes(&raw.extend_exclude, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Parsed {
        config: Config {
            file: file.to_owned(),
            dir: dir.to_path_buf(),
            fail_on,
            rule_dirs,
            report,
            deadlines,
            rules,
            ignores,
            overrides,
            exclude,
            extend_exclude,
            force_exclude: raw.force_exclude,
        },
        raw_rules,
        raw_templates,
        source,
    })
}

/// The span of `key = …` on the line of a value, so that an unknown rule is pointed at by
/// its name (the parser keeps spans of values, not of keys).
fn key_span(source: &str, key: &str, value: Range<usize>) -> Range<usize> {
    let line_start = source[..value.start.min(source.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = &source[line_start..value.start.min(source.len())];
    match line.find(key) {
        Some(i) => line_start + i..line_start + i + key.len(),
        None => value,
    }
}

/// Compiles a path glob as in .gitignore: `*` stays within a directory, `**` crosses them,
/// and a pattern without `/` matches a file name at any depth.
fn compile_glob(pattern: &str) -> Result<GlobMatcher, String> {
    let p = pattern.trim().trim_start_matches("./");
    if p.is_empty() {
        return Err("通配符是空的，请写如 \"2021/*.docx\" 或 \"**\" (empty glob)".to_owned());
    }
    let full = if p.contains('/') {
        p.trim_start_matches('/').to_owned()
    } else {
        format!("**/{p}")
    };
    globset::GlobBuilder::new(&full)
        .literal_separator(true)
        .build()
        .map(|g: Glob| g.compile_matcher())
        .map_err(|e| {
            format!(
                "通配符“{pattern}”写错了：{} (bad glob `{pattern}`)",
                e.kind()
            )
        })
}

/// Folds width and quote variants and drops white space, for matching cell words.
fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '「' | '」'))
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

impl Config {
    /// The path of a checked file relative to this file's directory, with `/` separators;
    /// the path as given when it lies elsewhere.
    pub(crate) fn relative(&self, path: &str) -> String {
        let p = Path::new(path);
        let abs = lexical_absolute(p);
        let rel = abs.strip_prefix(&self.dir).map_or(p, |r| r);
        rel.to_string_lossy()
            .replace('\\', "/")
            .trim_start_matches("./")
            .to_owned()
    }

    /// The overrides that apply to a path (relative to the configuration).
    pub(crate) fn overrides_for<'a>(&'a self, rel: &'a str) -> impl Iterator<Item = &'a Override> {
        self.overrides
            .iter()
            .filter(move |o| o.globs.iter().any(|g| g.is_match(rel)))
    }

    /// Whether an `[[ignore]]` entry covers a finding. `text` is the file's text.
    pub(crate) fn ignores(&self, rel: &str, d: &Diagnostic, text: &str) -> bool {
        self.ignores.iter().any(|i| {
            (i.rule == d.code || i.rule == d.name || i.rule.eq_ignore_ascii_case(&d.code))
                && i.glob.is_match(rel)
                && i.text.as_ref().is_none_or(|t| {
                    text.get(d.span.clone())
                        .is_some_and(|s| s.contains(t.as_str()))
                        || d.fingerprint.contains(t.as_str())
                })
                && (i.cell.is_empty() || {
                    let hay = normalize(&format!(
                        "{} {} {}",
                        d.location.as_deref().unwrap_or_default(),
                        d.message,
                        d.fingerprint
                    ));
                    i.cell.iter().all(|w| hay.contains(w.as_str()))
                })
        })
    }
}

/// Finds the nearest configuration file from `dir` upwards.
pub(crate) fn discover(dir: &Path) -> Option<PathBuf> {
    let abs = lexical_absolute(dir);
    abs.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(s: &str) -> Config {
        let p = parse("nblint.toml", Path::new("/repo"), s.to_owned())
            .unwrap_or_else(|e| panic!("{e:#?}"));
        p.finish(&RuleSet::builtin().unwrap())
            .unwrap_or_else(|e| panic!("{e:#?}"))
    }

    fn parse_err(s: &str) -> Vec<LoadError> {
        match parse("nblint.toml", Path::new("/repo"), s.to_owned()) {
            Err(e) => e,
            Ok(p) => p.finish(&RuleSet::builtin().unwrap()).unwrap_err(),
        }
    }

    #[test]
    fn the_starter_file_is_valid() {
        let c = parse_ok(STARTER);
        assert_eq!(c.fail_on, None);
    }

    #[test]
    fn a_full_file() {
        let c = parse_ok(
            r#"
fail-on = "warning"
[report]
body-type = "township"
[deadlines]
township = "02-20"
department = "none"
[rules]
NB404 = "off"
placeholder-text = "error"
[[ignore]]
path = "2021/*.md"
rule = "NB101"
text = "四、"
[[override]]
files = ["depts/**"]
body-type = "department"
rules = { NB404 = "on" }
"#,
        );
        assert_eq!(c.fail_on, Some(Severity::Warning));
        assert_eq!(c.report.body_type, Some(BodyType::Township));
        assert_eq!(
            c.deadlines.township,
            Some(Some(MonthDay { month: 2, day: 20 }))
        );
        assert_eq!(c.deadlines.department, Some(None));
        assert_eq!(c.rules[0], ("NB404".to_owned(), Switch::Off));
        assert!(c.ignores[0].glob.is_match("2021/a.md"));
        assert!(!c.ignores[0].glob.is_match("2021/sub/a.md"));
        assert_eq!(c.overrides_for("depts/x/a.md").count(), 1);
        assert_eq!(c.overrides_for("towns/a.md").count(), 0);
    }

    #[test]
    fn ignore_entries_match_rule_path_text_and_cell() {
        let c = parse_ok(
            r#"
[[ignore]]
path = "2021/*.md"
rule = "web-page-residue"
text = "扫一扫"
[[ignore]]
path = "**"
rule = "NB404"
cell = "表三 (二)部分公开 总计"
"#,
        );
        let text = "正文\n扫一扫在手机打开当前页\n";
        let mut d = Diagnostic {
            code: "NB108".into(),
            name: "web-page-residue".into(),
            severity: Severity::Warning,
            message: String::new(),
            span: 7..text.len() - 1,
            label: None,
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
            suggestion: None,
            location: None,
            fingerprint: String::new(),
            confidence: None,
        };
        assert!(c.ignores("2021/a.md", &d, text));
        assert!(!c.ignores("2022/a.md", &d, text));
        d.span = 0..6;
        assert!(!c.ignores("2021/a.md", &d, text), "other text");
        d.code = "NB404".into();
        d.name = "late-publication".into();
        assert!(!c.ignores("x.md", &d, text));
        d.location = Some("表三 “（二）部分公开” 行 “总计” 列".into());
        assert!(c.ignores("x.md", &d, text));
    }

    #[test]
    fn a_glob_without_a_slash_matches_at_any_depth() {
        let g = compile_glob("*.docx").unwrap();
        assert!(g.is_match("a/b/c.docx"));
        assert!(g.is_match("c.docx"));
    }

    #[test]
    fn errors_point_at_the_key_or_value() {
        let src = "fail-on = \"sometimes\"\n";
        let e = parse_err(src);
        assert_eq!(e.len(), 1);
        assert_eq!(&src[e[0].span.clone().unwrap()], "\"sometimes\"");

        let src = "[report]\ncolour = \"red\"\n";
        let e = parse_err(src);
        assert!(e[0].message.contains("unknown field `colour`"), "{e:?}");
        assert_eq!(&src[e[0].span.clone().unwrap()], "colour");

        let src = "[[ignore]]\npath = \"a/[b\"\nrule = \"NB101\"\n";
        let e = parse_err(src);
        assert!(e[0].message.contains("bad glob"), "{e:?}");

        let src = "[rules]\nNB999 = \"off\"\n";
        let e = parse_err(src);
        assert!(e[0].message.contains("unknown rule `NB999`"), "{e:?}");
        assert_eq!(&src[e[0].span.clone().unwrap()], "NB999");

        let src = "rule-dirs = \"x\"\n";
        let e = parse_err(src);
        assert!(
            e[0].message.contains("should be a list of strings"),
            "{e:?}"
        );

        // Every problem of a file at once.
        let src = "colour = 1\n[report]\nbody_type = \"township\"\n[deadlines]\ntownship = 2\n";
        let e = parse_err(src);
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[1].message.contains("did you mean `body-type`"), "{e:?}");

        let src = "[deadlines]\ntownship = \"Feb 20\"\n";
        let e = parse_err(src);
        assert!(e[0].message.contains("not a deadline"), "{e:?}");
    }
}

//! Rule kinds. A kind is Rust (one file each, or for a large kind a directory `<kind>/` whose
//! `mod.rs` holds `Params` and its `Kind`); a rule is data (`rules/<name>.toml`) that names a
//! kind in its `[check.<kind>]` table and gives its parameters.
//!
//! To add a kind: a new file here with a module doc (what it checks, parameters, placeholders,
//! an example rule), a `deny_unknown_fields` parameter struct `Params` that implements [`Kind`],
//! and one line in the `registry!` list below.
//!
//! Kinds ask the [`Report`]; they never parse the text themselves.

pub(crate) mod contact_info;
pub(crate) mod contact_validity;
pub(crate) mod cross_year_carryover;
pub(crate) mod cross_year_text;
pub(crate) mod deadline;
pub(crate) mod document_kind;
pub(crate) mod heading_numbering;
pub(crate) mod inline_total;
pub(crate) mod narrative_table;
pub(crate) mod pattern;
pub(crate) mod pattern_groups;
pub(crate) mod publication_date;
pub(crate) mod rate;
pub(crate) mod read_failure;
pub(crate) mod required_sections;
pub(crate) mod required_tables;
pub(crate) mod required_topics;
pub(crate) mod rule_model;
pub(crate) mod section_order;
pub(crate) mod section_title;
pub(crate) mod table_equation;
pub(crate) mod table_readable;
pub(crate) mod table_values;
pub(crate) mod table_version;
pub(crate) mod year_consistency;

use crate::diagnostic::{Confidence, Diagnostic, Label, Lang, Severity, Suggestion};
use crate::report::Report;
pub use rule_model::Rule;
use serde::{Deserialize, de};
use std::any::Any;
use std::fmt;
use std::ops::Range;

/// When a kind runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Reported by the engine when a file cannot be read; never run on a report.
    Input,
    /// Decides whether the document is an annual report at all.
    Gate,
    /// Everything else.
    Report,
    /// Across reports: run by `crate::cross` on pairs of reports after every file is done.
    Cross,
}

/// A problem found while preparing a rule: (span in the rule file, message).
pub type Problem = (Option<Range<usize>>, String);

/// What a kind is: the questions the loader and the engine ask of every rule's `[check.<kind>]`
/// parameters. Each kind implements it once, in its own file (or `mod.rs`), for its `Params`.
///
/// The first four are required, so a new kind cannot compile without deciding them. The last
/// four do nothing unless a kind needs them; a kind whose `run` (or `run_pair`) is missing
/// finds nothing, which the rule's fixture test (`fixtures/rules/<name>/`) catches.
pub trait Kind: Any + Send + Sync + fmt::Debug {
    /// Placeholders the kind fills in messages, besides the common ones.
    fn placeholders(&self) -> &'static [&'static str];

    /// When the kind runs.
    fn phase(&self) -> Phase;

    /// Whether the kind only makes sense for an annual report: such kinds are skipped when the
    /// gate decided the document is something else (a 工作总结), so that it gets one clear
    /// finding, not a flood.
    fn needs_annual_report(&self) -> bool;

    /// Whether the kind's findings depend on the chosen template (so the template is named in
    /// a note).
    fn uses_template(&self) -> bool;

    /// Compiles and validates parameters at load time.
    fn prepare(&mut self) -> Result<(), Vec<Problem>> {
        Ok(())
    }

    /// Checks parameters against the loaded templates (table, row and column ids).
    fn validate(&self, _templates: &[crate::template::Template]) -> Result<(), Vec<Problem>> {
        Ok(())
    }

    /// Checks one report ([`Phase::Gate`] and [`Phase::Report`] kinds).
    fn run(&self, _ctx: &mut Ctx) {}

    /// Checks two reports of one body ([`Phase::Cross`] kinds), `cur` for the later year and
    /// `prev` for the year before; each context collects the findings for its own report.
    fn run_pair(&self, _cur: &mut Ctx, _prev: &mut Ctx, _pair: &crate::cross::Pair) {}
}

/// The registry: one line per kind, naming its module. The module's name is the kind's name
/// in rule files (`[check.table_equation]`), and the module's `Params` its parameters.
macro_rules! registry {
    ($($kind:ident),* $(,)?) => {
        /// Every kind's name, as rule files spell it.
        pub(crate) const KIND_NAMES: &[&str] = &[$(stringify!($kind)),*];

        /// Reads the parameters of the kind at `index` in [`KIND_NAMES`].
        fn read_params<'de, V: de::VariantAccess<'de>>(
            index: usize,
            v: V,
        ) -> Result<Box<dyn Kind>, V::Error> {
            let mut i = 0;
            $(
                if i == index {
                    return Ok(Box::new(v.newtype_variant::<$kind::Params>()?));
                }
                i += 1;
            )*
            let _ = i;
            unreachable!("an index found in KIND_NAMES")
        }
    };
}

registry![
    read_failure,
    document_kind,
    required_sections,
    section_order,
    section_title,
    heading_numbering,
    pattern,
    contact_info,
    contact_validity,
    year_consistency,
    publication_date,
    required_topics,
    deadline,
    cross_year_text,
    cross_year_carryover,
    rate,
    inline_total,
    narrative_table,
    table_equation,
    required_tables,
    table_readable,
    table_values,
    table_version,
];

/// The `[check.<kind>]` table of a rule file: the kind's name and its parameters.
pub struct Check {
    name: &'static str,
    kind: Box<dyn Kind>,
}

impl Check {
    /// The kind's name as rule files spell it (`table_equation`).
    pub fn kind_name(&self) -> &'static str {
        self.name
    }

    /// The parameters, when the kind's are `P` (`check.params::<table_equation::Params>()`).
    pub(crate) fn params<P: Kind>(&self) -> Option<&P> {
        let any: &dyn Any = &*self.kind;
        any.downcast_ref::<P>()
    }
}

impl std::ops::Deref for Check {
    type Target = dyn Kind;
    fn deref(&self) -> &dyn Kind {
        &*self.kind
    }
}

impl std::ops::DerefMut for Check {
    fn deref_mut(&mut self) -> &mut dyn Kind {
        &mut *self.kind
    }
}

impl fmt::Debug for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple(self.name).field(&self.kind).finish()
    }
}

/// Read as an externally tagged enum, as a derived `enum` would be: a table with one key, the
/// kind's name; the same errors, at the same places, for an unknown kind or a second key.
impl<'de> Deserialize<'de> for Check {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Check, D::Error> {
        struct Name;
        impl<'de> de::DeserializeSeed<'de> for Name {
            type Value = usize;
            fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
                d.deserialize_identifier(self)
            }
        }
        impl de::Visitor<'_> for Name {
            type Value = usize;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("variant identifier")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<usize, E> {
                KIND_NAMES
                    .iter()
                    .position(|k| *k == s)
                    .ok_or_else(|| E::unknown_variant(s, KIND_NAMES))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<usize, E> {
                usize::try_from(n)
                    .ok()
                    .filter(|&i| i < KIND_NAMES.len())
                    .ok_or_else(|| {
                        E::invalid_value(
                            de::Unexpected::Unsigned(n),
                            &format!("variant index 0 <= i < {}", KIND_NAMES.len()).as_str(),
                        )
                    })
            }
        }
        struct Tagged;
        impl<'de> de::Visitor<'de> for Tagged {
            type Value = Check;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("enum Check")
            }
            fn visit_enum<A: de::EnumAccess<'de>>(self, a: A) -> Result<Check, A::Error> {
                let (index, v) = a.variant_seed(Name)?;
                Ok(Check {
                    name: KIND_NAMES[index],
                    kind: read_params(index, v)?,
                })
            }
        }
        d.deserialize_enum("Check", KIND_NAMES, Tagged)
    }
}

/// What a kind sees while it runs, and where its findings go.
pub struct Ctx<'r, 'a> {
    pub(crate) report: &'r Report<'a>,
    pub(crate) rule: &'r Rule,
    pub(crate) lang: Lang,
    pub(crate) out: Vec<Diagnostic>,
    /// Findings past [`MAX_FINDINGS_PER_RULE`], counted and not kept.
    pub(crate) dropped: usize,
    /// Local publication deadlines from nblint.toml (`deadline` kind).
    pub(crate) deadlines: crate::dates::Deadlines,
    /// Every rule in effect, for kinds that weigh their finding against other rules' facts
    /// (`table_equation` blames the cell where a failing row and a failing column cross).
    pub(crate) peers: &'r [Rule],
}

/// Most findings one rule keeps for one file. A report where a rule fires more often is
/// broken in one way throughout (a file of repeated lines, a generated list); listing every
/// place would cost memory and time in proportion (a 49 MB file of headings gave millions
/// of findings) and help nobody. The rest are counted in a note on the last one kept.
pub const MAX_FINDINGS_PER_RULE: usize = 200;

impl<'r, 'a> Ctx<'r, 'a> {
    pub(crate) fn new(report: &'r Report<'a>, rule: &'r Rule, lang: Lang) -> Self {
        Ctx {
            report,
            rule,
            lang,
            out: Vec::new(),
            dropped: 0,
            deadlines: crate::dates::Deadlines::default(),
            peers: &[],
        }
    }

    /// Text in the chosen language.
    pub(crate) fn tr(&self, zh: &str, en: &str) -> String {
        self.lang.pick(zh, en).to_owned()
    }

    /// Starts a diagnostic for this rule at `span`, with the rule's message and help filled
    /// from `vars` and the common placeholders, and the rule's basis as a note.
    pub(crate) fn diag(&self, span: Range<usize>, vars: &[(&str, String)]) -> Diagnostic {
        let rule = self.rule;
        let lang = self.lang;
        let report = self.report;
        let lookup = |name: &str| -> Option<String> {
            if let Some((_, v)) = vars.iter().find(|(k, _)| *k == name) {
                return Some(v.clone());
            }
            Some(match name {
                "code" => rule.code.clone(),
                "name" => rule.name.clone(),
                "template" => report
                    .template
                    .map(|t| lang.pick(&t.title, &t.title_en).to_owned())
                    .unwrap_or_default(),
                "year" => report.meta.year.map(|y| y.to_string()).unwrap_or_default(),
                "agency" => report.meta.agency.clone().unwrap_or_default(),
                "template_basis" => report
                    .template
                    .map(|t| match lang {
                        Lang::Zh => t.basis.clone(),
                        Lang::En => t.basis_en.clone().unwrap_or_else(|| t.basis.clone()),
                    })
                    .unwrap_or_default(),
                _ => return None,
            })
        };
        let basis = rule.basis(lang).map(|b| b.render(&lookup));
        let lookup2 = |name: &str| -> Option<String> {
            if name == "basis" {
                return basis.clone();
            }
            lookup(name)
        };
        let message = rule.message(lang).render(&lookup2);
        let help = rule.help(lang).map(|h| h.render(&lookup2));
        let mut notes = Vec::new();
        if let Some(b) = basis.as_ref().filter(|b| !b.is_empty()) {
            notes.push(match lang {
                Lang::Zh => format!("依据：{b}"),
                Lang::En => format!("basis: {b}"),
            });
        }
        let fingerprint = report
            .text
            .get(span.clone())
            .map(|s| s.chars().take(80).collect())
            .unwrap_or_default();
        Diagnostic {
            code: rule.code.clone(),
            name: rule.name.clone(),
            severity: rule.severity,
            message,
            span,
            label: None,
            labels: Vec::new(),
            notes,
            help,
            suggestion: None,
            location: None,
            fingerprint,
            confidence: None,
        }
    }

    /// How many more findings this rule keeps for this file ([`MAX_FINDINGS_PER_RULE`]). A
    /// kind that can find millions (a file of short lines) keeps only its first `room()` and
    /// counts the rest with [`Ctx::count_dropped`], instead of building every diagnostic.
    pub(crate) fn room(&self) -> usize {
        MAX_FINDINGS_PER_RULE.saturating_sub(self.out.len())
    }

    /// Counts findings that were not built because there was no [`Ctx::room`] left; they
    /// appear in the note on the last finding kept, like those [`Ctx::push`] drops.
    pub(crate) fn count_dropped(&mut self, n: usize) {
        self.dropped += n;
    }

    /// Finishes a diagnostic: adds the template and basis notes and the location in words.
    pub(crate) fn push(&mut self, mut d: Diagnostic) {
        if self.out.len() >= MAX_FINDINGS_PER_RULE {
            self.dropped += 1;
            return;
        }
        if self.rule.check.uses_template()
            && let Some(t) = self.report.template
        {
            let how = match self.report.template_source {
                crate::report::TemplateSource::Year => self
                    .lang
                    .pick(
                        &format!(
                            "按报告年度 {} 选择",
                            self.report.meta.year.unwrap_or_default()
                        ),
                        &format!(
                            "chosen by report year {}",
                            self.report.meta.year.unwrap_or_default()
                        ),
                    )
                    .to_owned(),
                _ => self.tr("由 --template 指定", "set by --template"),
            };
            d.notes.push(match self.lang {
                Lang::Zh => format!("模板：{}（{}，{}）", t.title, t.name, how),
                Lang::En => format!("template: {} ({}, {})", t.title_en, t.name, how),
            });
        }
        // The basis note was added first by `diag`; keep it last, after the kind's notes.
        let prefix = match self.lang {
            Lang::Zh => "依据：",
            Lang::En => "basis: ",
        };
        if let Some(i) = d.notes.iter().position(|n| n.starts_with(prefix)) {
            let b = d.notes.remove(i);
            d.notes.push(b);
        }
        if let Some(l) = self.report.locus_at(d.span.start) {
            d.location = Some(match (d.location.take(), l.page) {
                (None, _) => self.lang.pick(&l.zh, &l.en).to_owned(),
                // A place the check named itself (a table cell by its labels): add the page.
                (Some(words), Some(p)) => match self.lang {
                    Lang::Zh => format!("第{p}页 {words}"),
                    Lang::En => format!("page {p}, {words}"),
                },
                (Some(words), None) => words,
            });
        }
        self.out.push(d);
    }
}

impl Ctx<'_, '_> {
    /// The findings, with a note on the last one saying how many more were not kept.
    pub(crate) fn finish(mut self) -> Vec<Diagnostic> {
        if self.dropped > 0
            && let Some(last) = self.out.last_mut()
        {
            last.notes.push(match self.lang {
                Lang::Zh => format!(
                    "同一规则在本文件另有 {} 处问题未列出（每条规则每个文件最多列出 {} 处）",
                    self.dropped, MAX_FINDINGS_PER_RULE
                ),
                Lang::En => format!(
                    "{} more finding(s) of this rule in this file are not listed (at most {} per rule and file)",
                    self.dropped, MAX_FINDINGS_PER_RULE
                ),
            });
        }
        self.out
    }
}

/// Builder-style helpers on a diagnostic under construction.
impl Diagnostic {
    pub(crate) fn with_label(mut self, msg: impl Into<String>) -> Self {
        self.label = Some(msg.into());
        self
    }

    pub(crate) fn with_secondary(mut self, span: Range<usize>, msg: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: msg.into(),
        });
        self
    }

    pub(crate) fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub(crate) fn with_severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }

    pub(crate) fn with_suggestion(
        mut self,
        span: Range<usize>,
        replacement: impl Into<String>,
    ) -> Self {
        self.suggestion = Some(Suggestion {
            span,
            replacement: replacement.into(),
        });
        self
    }

    pub(crate) fn with_fingerprint(mut self, f: impl Into<String>) -> Self {
        self.fingerprint = f.into();
        self
    }

    /// Records how the numbers were bound; an inferred binding says so in a note (the engine
    /// makes it at most a warning, after the configuration's severity).
    pub(crate) fn with_confidence(mut self, c: Confidence, lang: Lang) -> Self {
        self.confidence = Some(c);
        if c == Confidence::Inferred {
            self.notes.push(
                lang.pick(
                    "这些数字是按位置推断出来的对应关系（不是同一句话里明确写出的），只作警告",
                    "the numbers were paired by their position, not named together in one clause: a warning only",
                )
                .to_owned(),
            );
        }
        self
    }
}

/// Joins names for a message: `地址、电子邮箱` / `address, e-mail`.
pub(crate) fn join(lang: Lang, items: &[String]) -> String {
    items.join(lang.pick("、", ", "))
}

#[cfg(test)]
mod tests {
    use super::KIND_NAMES;

    /// Modules of `src/checks/` that are not kinds.
    const HELPERS: &[&str] = &["mod", "pattern_groups", "rule_model"];

    /// The modules of a directory like `src/checks/`: `<name>.rs` files and `<name>/`
    /// directories with a `mod.rs`, by name, sorted, helpers left out.
    fn kind_files(dir: &std::path::Path) -> Vec<String> {
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("src/checks")
            .filter_map(|e| {
                let p = e.ok()?.path();
                if p.is_dir() {
                    return p
                        .join("mod.rs")
                        .is_file()
                        .then(|| p.file_name()?.to_str().map(str::to_owned))?;
                }
                (p.extension()? == "rs").then(|| p.file_stem()?.to_str().map(str::to_owned))?
            })
            .filter(|s| !HELPERS.contains(&s.as_str()))
            .collect();
        files.sort();
        files
    }

    #[test]
    fn every_kind_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checks");
        let files = kind_files(&dir);
        let mut names: Vec<String> = KIND_NAMES.iter().map(|s| (*s).to_owned()).collect();
        names.sort();
        assert_eq!(
            files, names,
            "every src/checks/<kind>.rs or src/checks/<kind>/mod.rs needs one line in registry! (and HELPERS lists the rest)"
        );
    }

    /// Both shapes of a kind are found, so an unregistered one of either shape is caught; a
    /// directory without `mod.rs` (a kind's submodules beside `<kind>.rs`) is not a kind.
    #[test]
    fn kind_files_of_both_shapes_are_found() {
        let dir = std::env::temp_dir().join(format!("nblint-kind-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for f in [
            "mod.rs",
            "one.rs",
            "two/mod.rs",
            "two/part.rs",
            "one/part.rs",
            "notes.txt",
        ] {
            let p = dir.join(f);
            std::fs::create_dir_all(p.parent().expect("a parent")).expect("temp dir");
            std::fs::write(&p, "").expect("temp file");
        }
        let found = kind_files(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(found, ["one", "two"]);
    }

    #[test]
    fn every_kind_is_used_by_a_built_in_rule() {
        let rules = crate::RuleSet::builtin().expect("built-in rules load");
        for k in KIND_NAMES {
            assert!(
                rules.rules.iter().any(|r| r.check.kind_name() == *k),
                "no built-in rule uses the kind `{k}`"
            );
        }
    }
}

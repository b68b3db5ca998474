//! Rule kinds. A kind is Rust (one file each); a rule is data (`rules/<name>.toml`) that names
//! a kind in its `[check.<kind>]` table and gives its parameters.
//!
//! To add a kind: a new file here with a module doc (what it checks, parameters, placeholders,
//! an example rule), a `deny_unknown_fields` parameter struct and its `run`; one variant in
//! [`Check`] and one arm in each `match` below (the compiler lists them).
//!
//! Kinds ask the [`Report`]; they never parse the text themselves.

pub mod contact_info;
pub mod contact_validity;
pub mod cross_year_carryover;
pub mod cross_year_text;
pub mod deadline;
pub mod document_kind;
pub mod heading_numbering;
pub mod inline_total;
pub mod narrative_table;
pub mod pattern;
pub mod pattern_groups;
pub mod publication_date;
pub mod rate;
pub mod read_failure;
pub mod required_sections;
pub mod required_tables;
pub mod required_topics;
pub mod section_order;
pub mod section_title;
pub mod table_equation;
pub mod table_readable;
pub mod table_values;
pub mod table_version;
pub mod year_consistency;

use crate::diagnostic::{Confidence, Diagnostic, Label, Lang, Severity, Suggestion};
use crate::report::Report;
use crate::rule::Rule;
use serde::Deserialize;
use std::ops::Range;

/// The `[check.<kind>]` table of a rule file.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    ReadFailure(read_failure::Params),
    DocumentKind(document_kind::Params),
    RequiredSections(required_sections::Params),
    SectionOrder(section_order::Params),
    SectionTitle(section_title::Params),
    HeadingNumbering(heading_numbering::Params),
    Pattern(pattern::Params),
    ContactInfo(contact_info::Params),
    ContactValidity(contact_validity::Params),
    YearConsistency(year_consistency::Params),
    PublicationDate(publication_date::Params),
    RequiredTopics(required_topics::Params),
    Deadline(deadline::Params),
    CrossYearText(cross_year_text::Params),
    CrossYearCarryover(cross_year_carryover::Params),
    Rate(rate::Params),
    InlineTotal(inline_total::Params),
    NarrativeTable(narrative_table::Params),
    TableEquation(table_equation::Params),
    RequiredTables(required_tables::Params),
    TableReadable(table_readable::Params),
    TableValues(table_values::Params),
    TableVersion(table_version::Params),
}

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

impl Check {
    pub fn kind_name(&self) -> &'static str {
        match self {
            Check::ReadFailure(_) => "read_failure",
            Check::DocumentKind(_) => "document_kind",
            Check::RequiredSections(_) => "required_sections",
            Check::SectionOrder(_) => "section_order",
            Check::SectionTitle(_) => "section_title",
            Check::HeadingNumbering(_) => "heading_numbering",
            Check::Pattern(_) => "pattern",
            Check::ContactInfo(_) => "contact_info",
            Check::ContactValidity(_) => "contact_validity",
            Check::YearConsistency(_) => "year_consistency",
            Check::PublicationDate(_) => "publication_date",
            Check::RequiredTopics(_) => "required_topics",
            Check::Deadline(_) => "deadline",
            Check::CrossYearText(_) => "cross_year_text",
            Check::CrossYearCarryover(_) => "cross_year_carryover",
            Check::Rate(_) => "rate",
            Check::InlineTotal(_) => "inline_total",
            Check::NarrativeTable(_) => "narrative_table",
            Check::TableEquation(_) => "table_equation",
            Check::RequiredTables(_) => "required_tables",
            Check::TableReadable(_) => "table_readable",
            Check::TableValues(_) => "table_values",
            Check::TableVersion(_) => "table_version",
        }
    }

    /// Placeholders the kind fills in messages, besides the common ones.
    pub fn placeholders(&self) -> &'static [&'static str] {
        match self {
            Check::ReadFailure(_) => read_failure::PLACEHOLDERS,
            Check::DocumentKind(_) => document_kind::PLACEHOLDERS,
            Check::RequiredSections(_) => required_sections::PLACEHOLDERS,
            Check::SectionOrder(_) => section_order::PLACEHOLDERS,
            Check::SectionTitle(_) => section_title::PLACEHOLDERS,
            Check::HeadingNumbering(_) => heading_numbering::PLACEHOLDERS,
            Check::Pattern(_) => pattern::PLACEHOLDERS,
            Check::ContactInfo(_) => contact_info::PLACEHOLDERS,
            Check::ContactValidity(_) => contact_validity::PLACEHOLDERS,
            Check::YearConsistency(_) => year_consistency::PLACEHOLDERS,
            Check::PublicationDate(_) => publication_date::PLACEHOLDERS,
            Check::RequiredTopics(_) => required_topics::PLACEHOLDERS,
            Check::Deadline(_) => deadline::PLACEHOLDERS,
            Check::CrossYearText(_) => cross_year_text::PLACEHOLDERS,
            Check::CrossYearCarryover(_) => cross_year_carryover::PLACEHOLDERS,
            Check::Rate(_) => rate::PLACEHOLDERS,
            Check::InlineTotal(_) => inline_total::PLACEHOLDERS,
            Check::NarrativeTable(_) => narrative_table::PLACEHOLDERS,
            Check::TableEquation(_) => table_equation::PLACEHOLDERS,
            Check::RequiredTables(_) => required_tables::PLACEHOLDERS,
            Check::TableReadable(_) => table_readable::PLACEHOLDERS,
            Check::TableValues(_) => table_values::PLACEHOLDERS,
            Check::TableVersion(_) => table_version::PLACEHOLDERS,
        }
    }

    /// Checks parameters against the loaded templates (table, row and column ids).
    pub fn validate(&self, templates: &[crate::template::Template]) -> Result<(), Vec<Problem>> {
        match self {
            Check::TableEquation(p) => p.validate(templates),
            Check::TableValues(p) => p.validate(templates),
            Check::NarrativeTable(p) => p.validate(templates),
            _ => Ok(()),
        }
    }

    /// Compiles and validates parameters at load time.
    pub fn prepare(&mut self) -> Result<(), Vec<Problem>> {
        match self {
            Check::Pattern(p) => p.prepare(),
            Check::DocumentKind(p) => p.prepare(),
            Check::RequiredTopics(p) => p.prepare(),
            Check::ContactInfo(p) => p.prepare(),
            Check::Deadline(p) => p.prepare(),
            Check::CrossYearText(p) => p.prepare(),
            Check::Rate(p) => p.prepare(),
            Check::InlineTotal(p) => p.prepare(),
            Check::NarrativeTable(p) => p.prepare(),
            Check::TableEquation(p) => p.prepare(),
            _ => Ok(()),
        }
    }

    pub fn phase(&self) -> Phase {
        match self {
            Check::ReadFailure(_) => Phase::Input,
            Check::DocumentKind(_) => Phase::Gate,
            Check::CrossYearText(_) | Check::CrossYearCarryover(_) => Phase::Cross,
            _ => Phase::Report,
        }
    }

    /// Kinds that only make sense for an annual report; skipped when the gate decided the
    /// document is something else (a 工作总结), so that it gets one clear finding, not a flood.
    pub fn needs_annual_report(&self) -> bool {
        match self {
            Check::ReadFailure(_)
            | Check::DocumentKind(_)
            | Check::HeadingNumbering(_)
            | Check::Pattern(_)
            | Check::ContactValidity(_)
            | Check::TableEquation(_)
            | Check::TableReadable(_)
            | Check::TableValues(_)
            // Prose arithmetic is checked in any document: a 工作总结 (seed 003) that gets
            // its 其中 totals wrong should hear about it too.
            | Check::Rate(_)
            | Check::InlineTotal(_)
            | Check::NarrativeTable(_) => false,
            Check::RequiredSections(_)
            | Check::SectionOrder(_)
            | Check::SectionTitle(_)
            | Check::ContactInfo(_)
            | Check::YearConsistency(_)
            | Check::PublicationDate(_)
            | Check::RequiredTopics(_)
            | Check::RequiredTables(_)
            | Check::TableVersion(_)
            | Check::Deadline(_)
            | Check::CrossYearText(_)
            | Check::CrossYearCarryover(_) => true,
        }
    }

    /// Whether the kind's findings depend on the chosen template (so the template is named in
    /// a note).
    pub fn uses_template(&self) -> bool {
        matches!(
            self,
            Check::RequiredSections(_)
                | Check::SectionOrder(_)
                | Check::SectionTitle(_)
                | Check::RequiredTables(_)
        )
    }

    pub fn run(&self, ctx: &mut Ctx) {
        match self {
            Check::ReadFailure(_) => {}
            Check::DocumentKind(p) => p.run(ctx),
            Check::RequiredSections(p) => p.run(ctx),
            Check::SectionOrder(p) => p.run(ctx),
            Check::SectionTitle(p) => p.run(ctx),
            Check::HeadingNumbering(p) => p.run(ctx),
            Check::Pattern(p) => p.run(ctx),
            Check::ContactInfo(p) => p.run(ctx),
            Check::ContactValidity(p) => p.run(ctx),
            Check::YearConsistency(p) => p.run(ctx),
            Check::PublicationDate(p) => p.run(ctx),
            Check::RequiredTopics(p) => p.run(ctx),
            Check::TableEquation(p) => p.run(ctx),
            Check::RequiredTables(p) => p.run(ctx),
            Check::TableReadable(p) => p.run(ctx),
            Check::TableValues(p) => p.run(ctx),
            Check::TableVersion(p) => p.run(ctx),
            Check::Deadline(p) => p.run(ctx),
            Check::Rate(p) => p.run(ctx),
            Check::InlineTotal(p) => p.run(ctx),
            Check::NarrativeTable(p) => p.run(ctx),
            // Run on pairs by `run_pair`.
            Check::CrossYearText(_) | Check::CrossYearCarryover(_) => {}
        }
    }

    /// Runs a cross-report kind on two reports of one body, `cur` for the later year and
    /// `prev` for the year before; each context collects the findings for its own report.
    pub fn run_pair(&self, cur: &mut Ctx, prev: &mut Ctx, pair: &crate::cross::Pair) {
        match self {
            Check::CrossYearText(p) => p.run_pair(cur, prev, pair),
            Check::CrossYearCarryover(p) => p.run_pair(cur, prev, pair),
            _ => {}
        }
    }
}

/// What a kind sees while it runs, and where its findings go.
pub struct Ctx<'r, 'a> {
    pub report: &'r Report<'a>,
    pub rule: &'r Rule,
    pub lang: Lang,
    pub out: Vec<Diagnostic>,
    /// Findings past [`MAX_FINDINGS_PER_RULE`], counted and not kept.
    pub dropped: usize,
    /// Local publication deadlines from nblint.toml (`deadline` kind).
    pub deadlines: crate::config::Deadlines,
    /// Every rule in effect, for kinds that weigh their finding against other rules' facts
    /// (`table_equation` blames the cell where a failing row and a failing column cross).
    pub peers: &'r [Rule],
}

/// Most findings one rule keeps for one file. A report where a rule fires more often is
/// broken in one way throughout (a file of repeated lines, a generated list); listing every
/// place would cost memory and time in proportion (a 49 MB file of headings gave millions
/// of findings) and help nobody. The rest are counted in a note on the last one kept.
pub const MAX_FINDINGS_PER_RULE: usize = 200;

impl<'r, 'a> Ctx<'r, 'a> {
    pub fn new(report: &'r Report<'a>, rule: &'r Rule, lang: Lang) -> Self {
        Ctx {
            report,
            rule,
            lang,
            out: Vec::new(),
            dropped: 0,
            deadlines: crate::config::Deadlines::default(),
            peers: &[],
        }
    }

    /// Text in the chosen language.
    pub fn tr(&self, zh: &str, en: &str) -> String {
        self.lang.pick(zh, en).to_owned()
    }

    /// Starts a diagnostic for this rule at `span`, with the rule's message and help filled
    /// from `vars` and the common placeholders, and the rule's basis as a note.
    pub fn diag(&self, span: Range<usize>, vars: &[(&str, String)]) -> Diagnostic {
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

    /// Finishes a diagnostic: adds the template and basis notes and the location in words.
    pub fn push(&mut self, mut d: Diagnostic) {
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
        if let Some(l) = self.report.doc.locus_at(d.span.start) {
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
    pub fn finish(mut self) -> Vec<Diagnostic> {
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
    pub fn with_label(mut self, msg: impl Into<String>) -> Self {
        self.label = Some(msg.into());
        self
    }

    pub fn with_secondary(mut self, span: Range<usize>, msg: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: msg.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }

    pub fn with_suggestion(mut self, span: Range<usize>, replacement: impl Into<String>) -> Self {
        self.suggestion = Some(Suggestion {
            span,
            replacement: replacement.into(),
        });
        self
    }

    pub fn with_fingerprint(mut self, f: impl Into<String>) -> Self {
        self.fingerprint = f.into();
        self
    }

    /// Records how the numbers were bound; an inferred binding says so in a note (the engine
    /// makes it at most a warning, after the configuration's severity).
    pub fn with_confidence(mut self, c: Confidence, lang: Lang) -> Self {
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
pub fn join(lang: Lang, items: &[String]) -> String {
    items.join(lang.pick("、", ", "))
}

//! `document_kind`: is this an annual report at all, and could its structure be read? A
//! 工作总结 or 工作计划 published in the annual-report column (seeds 002, 003), a 政府信息公开
//! 指南, the State Council's notice that publishes the report format, a blank template: each
//! gets one clear finding instead of a flood of missing sections; while it fires, kinds that
//! only make sense for an annual report are skipped.
//!
//! `mode = "kind"` (default): the document is not an annual report when
//! - its title names another kind of document (`title_rejects`: 指南, 工作总结, 工作要点…) and
//!   none of `title_requires_any` (年度报告, 年报);
//! - its title names one of `title_always_rejects` even with 年度报告 in it (`年度报告格式`: the
//!   notice that publishes the format);
//! - it holds `min_blank_markers` or more of `blank_markers` (`（文字描述）`): a blank template;
//! - or, without a report title, fewer than `min_section_ratio` of the template's required
//!   sections are found.
//!
//! `mode = "structure"`: a document titled as an annual report whose sections cannot be found
//! (fewer than `min_section_ratio`) is not called "not a report": the finding says that its
//! structure could not be read and names what was found (corpus 019–025 arrive as one line).
//!
//! Parameters: `mode`, `title_requires_any`, `title_rejects`, `title_always_rejects`,
//! `blank_markers`, `min_blank_markers` (default 3), `min_section_ratio` (0–1, default 0.5).
//! Placeholders: `{title}`, `{reason}`, `{found}`, `{required}`.
//!
//! ```toml
//! [check.document_kind]
//! title_requires_any = ["年度报告", "年报"]
//! title_rejects = ["工作总结", "工作计划", "指南"]
//! title_always_rejects = ["年度报告格式"]
//! blank_markers = ["（文字描述）"]
//! min_section_ratio = 0.5
//! ```

use super::{Ctx, Problem};
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &["title", "reason", "found", "required"];

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Mode {
    /// Not an annual report at all.
    #[default]
    Kind,
    /// Titled as a report, but its structure could not be read.
    Structure,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    #[serde(default)]
    pub(crate) mode: Mode,
    #[serde(default)]
    pub(crate) title_requires_any: Vec<String>,
    #[serde(default)]
    pub(crate) title_rejects: Vec<String>,
    #[serde(default)]
    pub(crate) title_always_rejects: Vec<String>,
    #[serde(default)]
    pub(crate) blank_markers: Vec<String>,
    #[serde(default = "three")]
    pub(crate) min_blank_markers: usize,
    #[serde(default = "half")]
    pub(crate) min_section_ratio: f64,
}

fn half() -> f64 {
    0.5
}

fn three() -> usize {
    3
}

impl Params {
    /// How many of the template's required sections were found, and of how many.
    fn sections_found(&self, ctx: &Ctx) -> (usize, usize) {
        let mut found = 0;
        let mut required = 0;
        for (_, was_found) in required_sections(ctx) {
            required += 1;
            found += usize::from(was_found);
        }
        (found, required)
    }

    /// The titles of the required sections that were found (only for a message).
    fn found_names(&self, ctx: &Ctx) -> Vec<String> {
        required_sections(ctx)
            .filter(|&(_, found)| found)
            .map(|(s, _)| s.full_title())
            .collect()
    }

    /// How many places still read like a blank template (`（文字描述）`), when they are
    /// enough ([`Params::min_blank_markers`]) to call the document a blank template.
    fn blanks(&self, text: &str) -> Option<usize> {
        if self.blank_markers.is_empty() {
            return None;
        }
        let n: usize = self
            .blank_markers
            .iter()
            .filter(|w| !w.is_empty())
            .map(|w| crate::text::find_all(text, w).count())
            .sum();
        (n >= self.min_blank_markers.max(1)).then_some(n)
    }
}

/// The template's required sections, each with whether the report has it.
fn required_sections<'c>(
    ctx: &'c Ctx,
) -> impl Iterator<Item = (&'c crate::template::SectionSpec, bool)> + 'c {
    let r = ctx.report;
    r.template
        .into_iter()
        .flat_map(|t| t.sections.iter().enumerate())
        .filter(|(_, s)| s.required)
        .map(move |(i, s)| (s, r.sections.iter().any(|h| h.section == i && h.found())))
}

impl super::Kind for Params {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn phase(&self) -> super::Phase {
        super::Phase::Gate
    }

    fn needs_annual_report(&self) -> bool {
        false
    }

    fn uses_template(&self) -> bool {
        false
    }

    fn prepare(&mut self) -> Result<(), Vec<Problem>> {
        if !(0.0..=1.0).contains(&self.min_section_ratio) {
            return Err(vec![(
                None,
                format!(
                    "min_section_ratio must be between 0 and 1, not {}",
                    self.min_section_ratio
                ),
            )]);
        }
        Ok(())
    }

    fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        let lang = ctx.lang;
        let title = r
            .meta
            .title
            .as_ref()
            .map(|s| crate::text::normalize(&r.text[s.clone()]))
            .unwrap_or_default();
        let has_required = self
            .title_requires_any
            .iter()
            .any(|w| !w.is_empty() && title.contains(w.as_str()));
        let always = self
            .title_always_rejects
            .iter()
            .find(|w| !w.is_empty() && title.contains(w.as_str()));
        let rejected = always.or_else(|| {
            self.title_rejects
                .iter()
                .find(|w| !w.is_empty() && title.contains(w.as_str()))
                .filter(|_| !has_required)
        });
        let (found, required) = self.sections_found(ctx);
        let too_few = required > 0 && (found as f64) < self.min_section_ratio * required as f64;
        let reason = match self.mode {
            Mode::Kind => {
                // Blanks are counted only when the title did not decide already.
                let blanks = if rejected.is_none() {
                    self.blanks(r.text)
                } else {
                    None
                };
                if let Some(w) = rejected {
                    lang.pick(
                        &format!("标题表明这是“{w}”，不是政府信息公开工作年度报告"),
                        &format!("the title says this is a “{w}”, not an annual report on government information disclosure"),
                    )
                    .to_owned()
                } else if let Some(blanks) = blanks {
                    lang.pick(
                        &format!(
                            "这是没有填写的报告模板：有 {blanks} 处“{}”之类的待填内容",
                            self.blank_markers[0]
                        ),
                        &format!(
                            "this is a blank report template: {blanks} places still read “{}”",
                            self.blank_markers[0]
                        ),
                    )
                    .to_owned()
                } else if too_few && !has_required {
                    lang.pick(
                        &format!("只找到模板要求的 {required} 个部分中的 {found} 个"),
                        &format!(
                            "only {found} of the {required} parts the template requires were found"
                        ),
                    )
                    .to_owned()
                } else {
                    return;
                }
            }
            Mode::Structure => {
                if rejected.is_some() || !has_required || !too_few {
                    return;
                }
                if self.blanks(r.text).is_some() {
                    return;
                }
                let names = self.found_names(ctx);
                let list = if names.is_empty() {
                    lang.pick("一个也没有找到", "none was found").to_owned()
                } else {
                    format!(
                        "{}{}",
                        lang.pick("找到的是：", "found: "),
                        super::join(lang, &names)
                    )
                };
                lang.pick(
                    &format!("只读出模板要求的 {required} 个部分中的 {found} 个（{list}）"),
                    &format!(
                        "only {found} of the {required} required parts could be read ({list})"
                    ),
                )
                .to_owned()
            }
        };
        let span = r.title_span();
        let vars = [
            ("title", r.text[span.clone()].to_owned()),
            ("reason", reason.clone()),
            ("found", found.to_string()),
            ("required", required.to_string()),
        ];
        let mut d = ctx.diag(span, &vars).with_label(reason);
        if required > 0 {
            d = d.with_note(lang.pick(
                &format!("按模板应有 {required} 个部分，找到 {found} 个；其余结构检查已跳过"),
                &format!("{found} of {required} required parts found; the other structure checks were skipped"),
            ));
        }
        ctx.push(d);
    }
}

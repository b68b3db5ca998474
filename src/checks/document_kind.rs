//! `document_kind`: is this an annual report at all? A 工作总结 or 工作计划 published in the
//! annual-report column (seeds 002, 003) gets one clear finding instead of a flood of missing
//! sections; while it fires, kinds that only make sense for an annual report are skipped.
//!
//! The document is not an annual report when its title names another kind of document
//! (`title_rejects`) and none of `title_requires_any`, or when fewer than `min_section_ratio`
//! of the template's required sections are found.
//!
//! Parameters: `title_requires_any` (list), `title_rejects` (list), `min_section_ratio`
//! (0–1, default 0.5).
//! Placeholders: `{title}`, `{reason}`, `{found}`, `{required}`.
//!
//! ```toml
//! [check.document_kind]
//! title_requires_any = ["年度报告", "年报"]
//! title_rejects = ["工作总结", "工作计划"]
//! min_section_ratio = 0.5
//! ```

use super::{Ctx, Problem};
use serde::Deserialize;

pub const PLACEHOLDERS: &[&str] = &["title", "reason", "found", "required"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(default)]
    pub title_requires_any: Vec<String>,
    #[serde(default)]
    pub title_rejects: Vec<String>,
    #[serde(default = "half")]
    pub min_section_ratio: f64,
}

fn half() -> f64 {
    0.5
}

impl Params {
    pub fn prepare(&mut self) -> Result<(), Vec<Problem>> {
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

    pub fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        let title = r
            .meta
            .title
            .as_ref()
            .map(|s| crate::report::cn::normalize(&r.text[s.clone()]))
            .unwrap_or_default();
        let has_required = self
            .title_requires_any
            .iter()
            .any(|w| title.contains(w.as_str()));
        let rejected = self
            .title_rejects
            .iter()
            .find(|w| title.contains(w.as_str()));
        let (found, required) = match r.template {
            Some(t) => {
                let req: Vec<usize> = t
                    .sections
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.required)
                    .map(|(i, _)| i)
                    .collect();
                let found = r
                    .sections
                    .iter()
                    .filter(|h| req.contains(&h.section) && h.found())
                    .count();
                (found, req.len())
            }
            None => (0, 0),
        };
        let too_few = required > 0 && (found as f64) < self.min_section_ratio * required as f64;
        let reason = match (rejected, has_required, too_few) {
            (Some(w), false, _) => ctx.lang.pick(
                &format!("标题表明这是“{w}”，不是政府信息公开工作年度报告"),
                &format!("the title says this is a “{w}”, not an annual report on government information disclosure"),
            ).to_owned(),
            (_, _, true) => ctx.lang.pick(
                &format!("只找到模板要求的 {required} 个部分中的 {found} 个"),
                &format!("only {found} of the {required} parts the template requires were found"),
            ).to_owned(),
            _ => return,
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
            d = d.with_note(ctx.lang.pick(
                &format!("按模板应有 {required} 个部分，找到 {found} 个；其余结构检查已跳过"),
                &format!("{found} of {required} required parts found; the other structure checks were skipped"),
            ));
        }
        ctx.push(d);
    }
}

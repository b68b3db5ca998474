//! `section_order`: the required sections appear in the template's order.
//!
//! Parameters: none.
//! Placeholders: `{full_title}` (the section out of place), `{after}` (the section it should
//! follow).
//!
//! ```toml
//! [check.section_order]
//! ```

use super::Ctx;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &["full_title", "after"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {}

impl super::Kind for Params {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn phase(&self) -> super::Phase {
        super::Phase::Report
    }

    fn needs_annual_report(&self) -> bool {
        true
    }

    fn uses_template(&self) -> bool {
        true
    }

    fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        let Some(t) = r.template else { return };
        for (i, hit) in r.sections.iter().enumerate() {
            let Some(hi) = hit.heading else { continue };
            if !hit.out_of_order {
                continue;
            }
            let h = &r.outline.headings[hi];
            // The last section before it in the template that was found in order.
            let after = r.sections[..i]
                .iter()
                .rev()
                .find(|p| p.heading.is_some() && !p.out_of_order);
            let after_title = after
                .map(|p| t.sections[p.section].full_title())
                .unwrap_or_default();
            let full = t.sections[hit.section].full_title();
            let vars = [("full_title", full.clone()), ("after", after_title.clone())];
            let mut d = ctx.diag(h.span(), &vars).with_label(ctx.lang.pick(
                &format!("按模板，这一部分应在“{after_title}”之后"),
                &format!("by the template this part belongs after “{after_title}”"),
            ));
            if let Some(p) = after.and_then(|p| p.heading) {
                d = d.with_secondary(
                    r.outline.headings[p].span(),
                    ctx.lang.pick(
                        &format!("“{after_title}”在这里"),
                        &format!("“{after_title}” is here"),
                    ),
                );
            }
            let order: Vec<String> = t
                .sections
                .iter()
                .filter(|s| s.required)
                .map(|s| s.full_title())
                .collect();
            d = d.with_note(ctx.lang.pick(
                &format!("模板顺序：{}", order.join(" → ")),
                &format!("template order: {}", order.join(" → ")),
            ));
            ctx.push(d.with_fingerprint(full));
        }
    }
}

//! `section_title`: a section was recognised, but its title differs from the official wording.
//! Only for templates whose titles are official (`official_titles = true`).
//!
//! Parameters: none.
//! Placeholders: `{found}` (the title as written), `{official}` (`三、…`).
//!
//! ```toml
//! [check.section_title]
//! ```

use super::Ctx;
use crate::report::MatchQuality;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &["found", "official"];

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
        if !t.official_titles {
            return;
        }
        for hit in &r.sections {
            let (Some(hi), Some(q)) = (hit.heading, hit.quality) else {
                continue;
            };
            if q == MatchQuality::Exact {
                continue;
            }
            let h = &r.outline.headings[hi];
            let spec = &t.sections[hit.section];
            let official = spec.full_title();
            let found = r.text[h.title()].to_owned();
            let vars = [("found", found.clone()), ("official", official.clone())];
            let d = ctx
                .diag(h.title(), &vars)
                .with_label(ctx.lang.pick(
                    &format!("官方标题为“{official}”"),
                    &format!("the official title is “{official}”"),
                ))
                .with_suggestion(h.title(), spec.title.clone())
                .with_fingerprint(found);
            ctx.push(d);
        }
    }
}

//! `publication_date`: the report carries a date (落款 or publication metadata), without
//! which its timeliness cannot be judged.
//!
//! Parameters: none.
//! Placeholders: none besides the common ones.
//!
//! ```toml
//! [check.publication_date]
//! ```

use super::Ctx;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &[];

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
        false
    }

    fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        if r.meta.publication_date().is_some() {
            return;
        }
        let end = r.body_end_span();
        let d = ctx
            .diag(end.end..end.end, &[])
            .with_label(ctx.tr(
                "正文到此结束，没有落款日期",
                "the body ends here without a date",
            ))
            .with_fingerprint("no-date");
        ctx.push(d);
    }
}

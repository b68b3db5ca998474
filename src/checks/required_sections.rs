//! `required_sections`: every section the template requires is present.
//!
//! A section counts as present when a heading carries its official title, a known variant or
//! its keywords (see `report/sections.rs`), or, for templates of eras that required content
//! rather than headings, when a paragraph mentions it. The finding points where the section
//! was expected: at the next section found, or at the end of the body.
//!
//! Parameters: none.
//! Placeholders: `{ordinal}`, `{title}` (official title), `{full_title}` (`四、…`),
//! `{previous}` (the section before it that was found, or empty).
//!
//! ```toml
//! [check.required_sections]
//! ```

use super::Ctx;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &["ordinal", "title", "full_title", "previous"];

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
            let spec = &t.sections[hit.section];
            if !spec.required || hit.found() {
                continue;
            }
            let prev = r.sections[..i].iter().rev().find_map(|h| {
                h.heading
                    .map(|hi| (&t.sections[h.section], &r.outline.headings[hi]))
            });
            let next = r.sections[i + 1..].iter().find_map(|h| {
                h.heading
                    .filter(|_| !h.out_of_order)
                    .map(|hi| &r.outline.headings[hi])
            });
            let full = spec.full_title();
            let (span, label) = match next {
                Some(h) => (
                    h.span(),
                    ctx.lang
                        .pick(
                            &format!("“{full}”应在这一部分之前"),
                            &format!("“{full}” was expected before this part"),
                        )
                        .to_owned(),
                ),
                None => {
                    let end = r.body_end_span();
                    (
                        end.end..end.end,
                        ctx.lang
                            .pick(
                                &format!("“{full}”应在正文中出现，但到这里都没有找到"),
                                &format!(
                                    "“{full}” was expected in the body but not found up to here"
                                ),
                            )
                            .to_owned(),
                    )
                }
            };
            let vars = [
                ("ordinal", spec.ordinal.clone()),
                ("title", spec.title.clone()),
                ("full_title", full.clone()),
                (
                    "previous",
                    prev.map(|(s, _)| s.full_title()).unwrap_or_default(),
                ),
            ];
            let mut d = ctx.diag(span.clone(), &vars).with_label(label);
            if let Some((ps, ph)) = prev {
                d = d.with_secondary(
                    ph.span(),
                    ctx.lang.pick(
                        &format!("前一部分“{}”在这里", ps.full_title()),
                        &format!("the previous part “{}” is here", ps.full_title()),
                    ),
                );
            }
            if let Some(s) = spec.missing_severity {
                d = d.with_severity(s);
            }
            if next.is_some() {
                d = d.with_suggestion(span.start..span.start, format!("{full}\n\n"));
            }
            d = d.with_fingerprint(full);
            ctx.push(d);
        }
    }
}

//! `required_tables`: every section of the template that must carry a statistical table has
//! it (`[[tables]]` with `required = true` in the template, by its `section`).
//!
//! A section that is missing altogether is `missing-section`'s finding, not this one. A table
//! counts as present wherever it is in the report and whatever format its labels follow;
//! when the tables found in a section follow another format (a 2020 report with 2021 tables),
//! that format's list of tables is required instead (the format mismatch is
//! `outdated-format`'s finding). A section whose table lines could not be matched to any
//! table gets `table-unreadable`, not this.
//!
//! Parameters: none.
//! Placeholders: `{section}` (the section's official heading), `{tables}` (the names of the
//! missing tables), `{count}`.
//!
//! ```toml
//! [check.required_tables]
//! ```

use super::Ctx;
use crate::template::TableSpec;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &["section", "tables", "count"];

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
        for sec in &t.sections {
            let Some(h) = r.section_heading(&sec.id) else {
                continue;
            };
            let mut specs: Vec<&TableSpec> = t
                .tables
                .iter()
                .filter(|s| s.required && s.section.as_deref() == Some(sec.id.as_str()))
                .collect();
            if specs.is_empty() {
                continue;
            }
            let present = |id: &str| r.tables.iter().any(|tb| tb.id == id);
            if r.tables
                .iter()
                .any(|tb| tb.is_placeholder() && specs.iter().any(|s| s.id == tb.id))
            {
                continue;
            }
            // Tables of this section found in another format: require that format's list.
            let other = r
                .tables
                .iter()
                .filter(|tb| specs.iter().any(|s| s.id == tb.id))
                .find_map(|tb| {
                    tb.version
                        .as_deref()
                        .filter(|v| Some(*v) != t.table_version())
                });
            if let Some(v) = other
                && let Some(ot) = r.templates.iter().find(|x| x.table_version() == Some(v))
            {
                specs = ot
                    .tables
                    .iter()
                    .filter(|s| s.required && s.section.as_deref() == Some(sec.id.as_str()))
                    .collect();
            }
            let missing: Vec<&TableSpec> =
                specs.iter().copied().filter(|s| !present(&s.id)).collect();
            if missing.is_empty() {
                continue;
            }
            let names: Vec<String> = missing
                .iter()
                .map(|s| ctx.lang.pick(&s.name, &s.name_en).to_owned())
                .collect();
            let all = missing.len() == specs.len();
            let vars = [
                ("section", sec.full_title()),
                ("tables", super::join(ctx.lang, &names)),
                ("count", missing.len().to_string()),
            ];
            let label = if all {
                ctx.tr(
                    "这一部分应有统计表格，但没有找到",
                    "this part should carry a table; none was found",
                )
            } else {
                ctx.lang
                    .pick(
                        &format!("这一部分缺少{}", super::join(ctx.lang, &names)),
                        &format!("this part lacks {}", super::join(ctx.lang, &names)),
                    )
                    .to_owned()
            };
            let mut d = ctx
                .diag(h.span(), &vars)
                .with_label(label)
                .with_fingerprint(format!("{} {}", sec.id, names.join(",")));
            if all {
                d = d.with_note(ctx.tr(
                    "没有发生的事项也要列出表格并填 0；如果表格是图片，nblint 无法核对其中的数字",
                    "list the table even when every count is 0; a table pasted as an image cannot be checked",
                ));
            }
            ctx.push(d);
        }
    }
}

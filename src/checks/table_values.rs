//! `table_values`: a cell that must hold a count of 件, 条 or 人 holds a negative number or a
//! fraction. Which cells are counts comes from the template's schema (`value = "count"`, the
//! default; `"signed"` for 2019's 本年增/减, which may be negative but not a fraction;
//! `"amount"` for 万元 and 元, which may have decimals).
//!
//! Tables that could not be read are not checked (their cells may be misplaced).
//!
//! Parameters: `tables` (ids to check; default every table).
//! Placeholders: `{table}`, `{row}`, `{column}`, `{found}`, `{problem}`.
//!
//! ```toml
//! [check.table_values]
//! tables = ["requests", "appeals"]
//! ```

use super::{Ctx, Problem};
use crate::diagnostic::Lang;
use crate::report::table::CellValue;
use crate::template::{Template, ValueKind};
use serde::Deserialize;
use toml::Spanned;

pub(crate) const PLACEHOLDERS: &[&str] = &["table", "row", "column", "found", "problem"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    #[serde(default)]
    pub(crate) tables: Vec<Spanned<String>>,
}

impl super::Kind for Params {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn phase(&self) -> super::Phase {
        super::Phase::Report
    }

    fn needs_annual_report(&self) -> bool {
        false
    }

    fn uses_template(&self) -> bool {
        false
    }

    fn validate(&self, templates: &[Template]) -> Result<(), Vec<Problem>> {
        let problems: Vec<Problem> = self
            .tables
            .iter()
            .filter(|id| {
                !templates
                    .iter()
                    .any(|t| t.tables.iter().any(|s| &s.id == id.get_ref()))
            })
            .map(|id| {
                (
                    Some(id.span()),
                    format!("no template has a table `{}`", id.get_ref()),
                )
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    fn run(&self, ctx: &mut Ctx) {
        let lang = ctx.lang;
        for t in ctx.report.tables.iter().filter(|t| {
            t.readable
                && (self.tables.is_empty() || self.tables.iter().any(|id| id.get_ref() == &t.id))
        }) {
            for r in 0..t.rows().len() {
                for c in 0..t.columns().len() {
                    let Some(cell) = t.cell_at(r, c) else {
                        continue;
                    };
                    let kind = t.value_kind(r, c);
                    let problem = match (&cell.value, kind) {
                        (CellValue::Int(v), ValueKind::Count) if *v < 0 => {
                            Some(lang.pick("件数不能是负数", "a count cannot be negative"))
                        }
                        (CellValue::Decimal(v), ValueKind::Count) if *v < 0.0 => {
                            Some(lang.pick("件数不能是负数", "a count cannot be negative"))
                        }
                        (CellValue::Decimal(v), ValueKind::Count | ValueKind::Signed)
                            if v.fract() != 0.0 =>
                        {
                            Some(lang.pick("件数应为整数", "a count must be a whole number"))
                        }
                        _ => None,
                    };
                    let Some(problem) = problem else { continue };
                    let row = t.rows()[r].label.clone();
                    let column = t.columns()[c].label.clone();
                    let vars = [
                        ("table", t.name(lang).to_owned()),
                        ("row", row.clone()),
                        ("column", column.clone()),
                        ("found", cell.text(ctx.report.text).to_owned()),
                        ("problem", problem.to_owned()),
                    ];
                    let mut d = ctx
                        .diag(cell.span.clone(), &vars)
                        .with_label(problem.to_owned())
                        .with_fingerprint(format!(
                            "{} {} {} {}",
                            t.id,
                            t.rows()[r].id,
                            t.columns()[c].id,
                            cell.text(ctx.report.text)
                        ));
                    if let Some(ls) = t.row_span(r)
                        && ls.end <= cell.span.start
                    {
                        d = d
                            .with_secondary(ls.clone(), lang.pick("这一行", "this row").to_owned());
                    }
                    if ctx.report.is_extracted() {
                        d.location = Some(match lang {
                            Lang::Zh => format!("{} “{row}” 行 “{column}” 列", t.name(lang)),
                            Lang::En => format!("{}, row “{row}”, column “{column}”", t.name(lang)),
                        });
                    }
                    ctx.push(d);
                }
            }
        }
    }
}

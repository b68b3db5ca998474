//! `cross_year_carryover`: a row of a table in one year's report differs from another row of
//! the same table in the same body's report for the previous year, column by column; built
//! in: 表三's 二、上年结转政府信息公开申请数量 (`carried_in`) of a year against
//! 四、结转下年度继续办理 (`carry_over`) of the year before, in its seven columns (自然人 …
//! 总计). Both reports get a finding, each on its own row, naming the other. Runs after all
//! files are checked, on pairs of consecutive years (see `crate::cross`).
//!
//! The table, rows and columns are the rule's (ids of the template's `[[tables]]`); the
//! column names in messages are the template's labels, in English `columns_en`. Only a
//! readable table is compared (lost cells must not become a carry-over break); a column
//! that is blank or unreadable in either report is not compared; nothing is reported when a
//! row is missing. Years before `from_year` are skipped (before 2019 there was no carry-over
//! row, so the first pair is 2019 → 2020).
//!
//! Parameters: `table`, `carried_in` (the row of the later report), `carry_over` (the row of
//! the earlier one), `columns` (column ids compared, in order), `columns_en` (their English
//! names, one per column), `from_year` (the later report's year; default 2020).
//! Placeholders: `{columns}` (the differing columns with both values), `{current_year}`,
//! `{previous_year}`, `{other_path}`.
//!
//! ```toml
//! [check.cross_year_carryover]
//! from_year = 2020
//! table = "requests"
//! carried_in = "carried_in"
//! carry_over = "carry_over"
//! columns = ["natural", "business", "research", "nonprofit", "legal", "other_org", "total"]
//! columns_en = ["natural persons", "businesses", "research institutions", "non-profits",
//!     "legal services", "other organisations", "total"]
//! ```

use super::{Ctx, Problem};
use crate::cross::Pair;
use crate::diagnostic::Lang;
use crate::report::Report;
use crate::template::Template;
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

pub(crate) const PLACEHOLDERS: &[&str] =
    &["columns", "current_year", "previous_year", "other_path"];

fn default_from_year() -> i32 {
    2020
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    #[serde(default = "default_from_year")]
    pub from_year: i32,
    pub table: Spanned<String>,
    pub carried_in: Spanned<String>,
    pub carry_over: Spanned<String>,
    pub columns: Spanned<Vec<String>>,
    pub columns_en: Spanned<Vec<String>>,
}

/// One row of the table as numbers: a value per compared column (None when blank or
/// unreadable), the span of each cell (for labels) and the column's label.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct CarryRow {
    values: Vec<Option<i64>>,
    spans: Vec<Option<Range<usize>>>,
    labels: Vec<String>,
}

impl CarryRow {
    /// The span covering the row's cells, for the primary label.
    fn span(&self) -> Option<Range<usize>> {
        let starts = self.spans.iter().flatten().map(|s| s.start).min()?;
        let ends = self.spans.iter().flatten().map(|s| s.end).max()?;
        Some(starts..ends)
    }
}

impl Params {
    /// The row `id` over the compared columns, from the report's first readable table.
    fn row(&self, report: &Report, id: &str) -> Option<CarryRow> {
        let t = report.table(self.table.get_ref()).filter(|t| t.readable)?;
        let mut r = CarryRow::default();
        for col in self.columns.get_ref() {
            r.values.push(t.int(id, col));
            r.spans.push(t.cell(id, col).map(|c| c.span.clone()));
            let label = t
                .col_index(col)
                .and_then(|i| t.columns().get(i))
                .map_or(col.as_str(), |c| c.label.as_str());
            r.labels.push(label.to_owned());
        }
        r.spans.iter().any(Option::is_some).then_some(r)
    }
}

impl super::Kind for Params {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn phase(&self) -> super::Phase {
        super::Phase::Cross
    }

    fn needs_annual_report(&self) -> bool {
        true
    }

    fn uses_template(&self) -> bool {
        false
    }

    /// The table must exist with both rows and every column; one English name per column.
    fn validate(&self, templates: &[Template]) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        let specs: Vec<_> = templates
            .iter()
            .flat_map(|t| &t.tables)
            .filter(|s| &s.id == self.table.get_ref())
            .collect();
        if specs.is_empty() {
            problems.push((
                Some(self.table.span()),
                format!("no template has a table `{}`", self.table.get_ref()),
            ));
        }
        for row in [&self.carried_in, &self.carry_over] {
            if !specs.is_empty()
                && !specs
                    .iter()
                    .any(|s| s.rows.iter().any(|r| &r.id == row.get_ref()))
            {
                problems.push((
                    Some(row.span()),
                    format!(
                        "table `{}` has no row `{}`",
                        self.table.get_ref(),
                        row.get_ref()
                    ),
                ));
            }
        }
        for col in self.columns.get_ref() {
            if !specs.is_empty() && !specs.iter().any(|s| s.columns.iter().any(|c| &c.id == col)) {
                problems.push((
                    Some(self.columns.span()),
                    format!("table `{}` has no column `{col}`", self.table.get_ref()),
                ));
            }
        }
        if self.columns_en.get_ref().len() != self.columns.get_ref().len() {
            problems.push((
                Some(self.columns_en.span()),
                format!(
                    "`columns_en` has {} name(s) for {} column(s): give one English name per column",
                    self.columns_en.get_ref().len(),
                    self.columns.get_ref().len()
                ),
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    fn run_pair(&self, cur: &mut Ctx, prev: &mut Ctx, pair: &Pair) {
        if pair.current.year < self.from_year {
            return;
        }
        let (Some(carried_in), Some(carry_over)) = (
            self.row(cur.report, self.carried_in.get_ref()),
            self.row(prev.report, self.carry_over.get_ref()),
        ) else {
            return;
        };
        let (carried_in, carry_over) = (&carried_in, &carry_over);
        let lang = cur.lang;
        let diffs: Vec<usize> = (0..self.columns.get_ref().len())
            .filter(|&i| {
                matches!((carried_in.values[i], carry_over.values[i]), (Some(a), Some(b)) if a != b)
            })
            .collect();
        if diffs.is_empty() {
            return;
        }
        let col = |i: usize| match lang {
            Lang::Zh => carried_in.labels[i].as_str(),
            Lang::En => self.columns_en.get_ref()[i].as_str(),
        };
        let columns = diffs
            .iter()
            .map(|&i| {
                let (a, b) = (
                    carried_in.values[i].unwrap_or_default(),
                    carry_over.values[i].unwrap_or_default(),
                );
                match lang {
                    Lang::Zh => format!(
                        "{}：{}年上年结转 {a}，{}年结转下年度 {b}",
                        col(i),
                        pair.current.year,
                        pair.previous.year
                    ),
                    Lang::En => format!(
                        "{}: {} carried in {a}, {} carried over {b}",
                        col(i),
                        pair.current.year,
                        pair.previous.year
                    ),
                }
            })
            .collect::<Vec<_>>()
            .join(lang.pick("；", "; "));
        let fingerprint = diffs
            .iter()
            .map(|&i| {
                format!(
                    "{}:{}≠{}",
                    carried_in.labels[i],
                    carried_in.values[i].unwrap_or_default(),
                    carry_over.values[i].unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join(",");
        let vars = |other: &str| {
            [
                ("columns", columns.clone()),
                ("current_year", pair.current.year.to_string()),
                ("previous_year", pair.previous.year.to_string()),
                ("other_path", other.to_owned()),
            ]
        };
        let side = |ctx: &mut Ctx, row: &CarryRow, other: &str, here: &str, there: &str| {
            let Some(span) = row.span() else { return };
            let mut d = ctx
                .diag(span, &vars(other))
                .with_label(here.to_owned())
                .with_note(there.to_owned())
                .with_fingerprint(fingerprint.clone());
            for &i in &diffs {
                if let Some(s) = &row.spans[i] {
                    d = d.with_secondary(s.clone(), col(i).to_owned());
                }
            }
            ctx.push(d);
        };
        let (cur_label, prev_label) = match lang {
            Lang::Zh => ("本报告的“二、上年结转”", "本报告的“四、结转下年度继续办理”"),
            Lang::En => (
                "carried in (二、上年结转)",
                "carried over (四、结转下年度继续办理)",
            ),
        };
        side(
            cur,
            carried_in,
            pair.previous_path,
            cur_label,
            &match lang {
                Lang::Zh => format!("对照：{} 的“四、结转下年度继续办理”", pair.previous_path),
                Lang::En => format!("compare: carried over in {}", pair.previous_path),
            },
        );
        side(
            prev,
            carry_over,
            pair.current_path,
            prev_label,
            &match lang {
                Lang::Zh => format!("对照：{} 的“二、上年结转”", pair.current_path),
                Lang::En => format!("compare: carried in in {}", pair.current_path),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Kind;

    fn params(extra: &str) -> Params {
        toml::from_str(&format!(
            "table = \"requests\"\ncarried_in = \"carried_in\"\n{extra}"
        ))
        .expect("parameters parse")
    }

    /// The table, rows and columns are data: the built-in rule names them, and a wrong id or
    /// a missing English name is a load error at the value, not a silent nothing.
    #[test]
    fn ids_are_checked_against_the_templates() {
        let set = crate::RuleSet::builtin().expect("built-in rules load");
        let templates: Vec<Template> = set.templates.iter().cloned().collect();
        let ok = params(
            "carry_over = \"carry_over\"\ncolumns = [\"natural\", \"total\"]\ncolumns_en = [\"people\", \"total\"]",
        );
        assert!(ok.validate(&templates).is_ok());
        let bad = params(
            "carry_over = \"carried_out\"\ncolumns = [\"natural\", \"everyone\"]\ncolumns_en = [\"people\"]",
        );
        let problems: Vec<String> = bad
            .validate(&templates)
            .unwrap_err()
            .into_iter()
            .map(|p| p.1)
            .collect();
        assert_eq!(
            problems,
            [
                "table `requests` has no row `carried_out`",
                "table `requests` has no column `everyone`",
                "`columns_en` has 1 name(s) for 2 column(s): give one English name per column",
            ]
        );
        let nowhere = toml::from_str::<Params>(
            "table = \"request\"\ncarried_in = \"a\"\ncarry_over = \"b\"\ncolumns = []\ncolumns_en = []",
        )
        .unwrap();
        assert_eq!(
            nowhere.validate(&templates).unwrap_err()[0].1,
            "no template has a table `request`"
        );
    }
}

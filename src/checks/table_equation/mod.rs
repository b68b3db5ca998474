//! `table_equation`: a linear equation over named cells of a statistical table, checked in
//! every column or every row. This is how the 勾稽关系 of the official tables are written, so
//! that a provincial variant or a new format needs a rule file, not Rust.
//!
//! Each entry of `checks` names a table (`requests`, `appeals`, `legacy_stats`, … — the ids of
//! `[[tables]]` in the templates), whether the equation holds in each column (`per = "column"`,
//! the terms are row ids) or in each row (`per = "row"`, the terms are column ids), and the
//! equation: terms joined by `+` or `-`, one of `=`, `<=`, `>=`; a term ending in `*` is the
//! sum of every row (or column) whose id starts with it (`refused_*`, `other*`).
//!
//! Blank cells (nothing written, or `/` `-` `—` `无`) are "not filled": when every cell of one
//! side is blank the equation is not checked (`report = "blank-total"` reports the blank
//! total instead); otherwise blanks count as 0 and a note says so. Tables that could not be
//! read (`table-unreadable`) are never checked.
//!
//! The finding points at the `primary` cell (default: the single term of one side, or the
//! first term), with a label on the other terms that matter (those that are not 0 or blank,
//! and a side's only term: the total), a note with the whole arithmetic on one line (every
//! term, zeros included), and the value that would balance it as help and as a
//! machine-applicable suggestion. A column of 表三 has 24 terms, mostly 0: labelling every
//! one drew a 50-line block for one wrong cell.
//!
//! Parameters:
//! - `checks`: list of `{ table, per = "column" | "row", equation, columns = [..], rows = [..],
//!   primary, tolerance }`; `columns` / `rows` restrict where it is checked (default: all).
//! - `report = "mismatch"` (default): the equation does not hold; `"blank-total"`: the
//!   `primary` cell is blank while the other side is filled.
//!
//! Placeholders: `{table}` (表三), `{along}` (the column or row checked), `{row}` and
//! `{column}` (of the primary cell), `{found}` (its value), `{expected}` (the value that
//! balances), `{left}`, `{right}` (the sums), `{difference}`, `{arithmetic}` (`12 + 0 ≠ 11 + 0`).
//!
//! ```toml
//! [check.table_equation]
//! [[check.table_equation.checks]]
//! table = "requests"
//! per = "column"
//! equation = "new + carried_in = total + carry_over"
//! primary = "carry_over"
//! ```
//!
//! The kind's parameters, the equation applied to one line (`Item`, `Instance`) and `Kind`
//! are here; the rest is in
//! - `equation`: the equation language (`a + b = c + d*`) and its parser;
//! - `eval`: the equation over a table: terms expanded, lines settled quickly, and the
//!   identities of a table weighed to find the cell where a failing row and column cross;
//! - `render`: the findings, with their labels, arithmetic note and balancing value.

mod equation;
mod eval;
mod render;
#[cfg(test)]
mod tests;

pub(crate) use equation::{Equation, Relation, parse_equation};

use super::{Ctx, Problem};
use crate::report::table::Cell;
use crate::template::Template;
use eval::{expand, instance, quick};
use render::{blank_total, mismatch};
use serde::Deserialize;
use toml::Spanned;

pub(crate) const PLACEHOLDERS: &[&str] = &[
    "table",
    "along",
    "row",
    "column",
    "found",
    "expected",
    "left",
    "right",
    "difference",
    "arithmetic",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    pub(crate) checks: Vec<EquationSpec>,
    #[serde(default)]
    pub(crate) report: Mode,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Mode {
    /// The equation does not hold.
    #[default]
    Mismatch,
    /// The primary cell (a total) is blank while the other side is filled. The old spelling
    /// `blank_total` is still read, with a warning (`rule::DEPRECATED_VALUES`).
    #[serde(alias = "blank_total")]
    BlankTotal,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Per {
    /// Checked in every column; the terms are row ids.
    #[default]
    Column,
    /// Checked in every row; the terms are column ids.
    Row,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EquationSpec {
    pub(crate) table: Spanned<String>,
    #[serde(default)]
    pub(crate) per: Per,
    pub(crate) equation: Spanned<String>,
    /// Only these columns (`per = "column"`).
    #[serde(default)]
    pub(crate) columns: Vec<Spanned<String>>,
    /// Only these rows (`per = "row"`).
    #[serde(default)]
    pub(crate) rows: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) primary: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) tolerance: f64,
    #[serde(skip)]
    parsed: Option<Equation>,
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

    fn prepare(&mut self) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        if self.checks.is_empty() {
            problems.push((
                None,
                "`checks` is empty: give at least one equation".to_owned(),
            ));
        }
        for c in &mut self.checks {
            match parse_equation(c.equation.get_ref()) {
                Ok(mut eq) => {
                    if let Some(p) = &c.primary {
                        match eq
                            .terms
                            .iter()
                            .position(|t| !t.glob && &t.name == p.get_ref())
                        {
                            Some(i) => eq.primary = i,
                            None => problems.push((
                                Some(p.span()),
                                format!("primary `{}` is not a term of the equation", p.get_ref()),
                            )),
                        }
                    }
                    c.parsed = Some(eq);
                }
                Err(e) => problems.push((Some(c.equation.span()), format!("bad equation: {e}"))),
            }
            if !(c.tolerance >= 0.0 && c.tolerance.is_finite()) {
                problems.push((None, "`tolerance` must be a number ≥ 0".to_owned()));
            }
            if c.per == Per::Column && !c.rows.is_empty() {
                problems.push((
                    Some(c.rows[0].span()),
                    "`rows` restricts a `per = \"row\"` check; use `columns` here".to_owned(),
                ));
            }
            if c.per == Per::Row && !c.columns.is_empty() {
                problems.push((
                    Some(c.columns[0].span()),
                    "`columns` restricts a `per = \"column\"` check; use `rows` here".to_owned(),
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Every table, row and column id must exist in some template's schema of that table.
    fn validate(&self, templates: &[Template]) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        for c in &self.checks {
            let id = c.table.get_ref();
            let specs: Vec<_> = templates
                .iter()
                .flat_map(|t| t.tables.iter())
                .filter(|t| &t.id == id)
                .collect();
            if specs.is_empty() {
                let mut known: Vec<&str> = templates
                    .iter()
                    .flat_map(|t| t.tables.iter().map(|t| t.id.as_str()))
                    .collect();
                known.sort_unstable();
                known.dedup();
                problems.push((
                    Some(c.table.span()),
                    format!(
                        "no template has a table `{id}`; known tables: {}",
                        known.join(", ")
                    ),
                ));
                continue;
            }
            let (term_ids, other_ids): (Vec<&str>, Vec<&str>) = match c.per {
                Per::Column => (
                    specs
                        .iter()
                        .flat_map(|s| s.rows.iter().map(|r| r.id.as_str()))
                        .collect(),
                    specs
                        .iter()
                        .flat_map(|s| s.columns.iter().map(|r| r.id.as_str()))
                        .collect(),
                ),
                Per::Row => (
                    specs
                        .iter()
                        .flat_map(|s| s.columns.iter().map(|r| r.id.as_str()))
                        .collect(),
                    specs
                        .iter()
                        .flat_map(|s| s.rows.iter().map(|r| r.id.as_str()))
                        .collect(),
                ),
            };
            let what = match c.per {
                Per::Column => "row",
                Per::Row => "column",
            };
            if let Some(eq) = &c.parsed {
                for t in &eq.terms {
                    let ok = if t.glob {
                        term_ids.iter().any(|i| i.starts_with(t.name.as_str()))
                    } else {
                        term_ids.contains(&t.name.as_str())
                    };
                    if !ok {
                        problems.push((
                            Some(c.equation.span()),
                            format!(
                                "`{}{}` is not a {what} id of table `{id}`",
                                t.name,
                                if t.glob { "*" } else { "" }
                            ),
                        ));
                    }
                }
            }
            for f in c.columns.iter().chain(c.rows.iter()) {
                if !other_ids.contains(&f.get_ref().as_str()) {
                    problems.push((
                        Some(f.span()),
                        format!("`{}` is not an id of table `{id}`", f.get_ref()),
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    fn run(&self, ctx: &mut Ctx) {
        let report = ctx.report;
        for spec in &self.checks {
            let Some(eq) = &spec.parsed else { continue };
            for table in report
                .tables
                .iter()
                .filter(|t| t.readable && t.id == *spec.table.get_ref())
            {
                let mut blanks: Vec<Instance> = Vec::new();
                let lines: Vec<usize> = match spec.per {
                    Per::Column => filtered(table.columns().iter().map(|c| &c.id), &spec.columns),
                    Per::Row => filtered(table.rows().iter().map(|r| &r.id), &spec.rows)
                        .into_iter()
                        .filter(|&r| table.row_span(r).is_some())
                        .collect(),
                };
                let Some(terms) = expand(table, spec.per, eq) else {
                    continue;
                };
                for line in lines {
                    // Most lines hold (or have a blank total): settle them without building
                    // the labelled instance.
                    if quick(
                        table,
                        spec.per,
                        line,
                        eq,
                        &terms,
                        spec.tolerance,
                        self.report,
                    ) {
                        continue;
                    }
                    let Some(inst) = instance(table, spec.per, line, eq, &terms) else {
                        continue;
                    };
                    match self.report {
                        Mode::Mismatch => {
                            if let Some(d) = mismatch(ctx, table, spec, eq, &inst) {
                                ctx.push(d);
                            }
                        }
                        Mode::BlankTotal => {
                            if inst.items[inst.primary]
                                .cell
                                .is_none_or(|c| c.value.is_blank())
                                && inst.items.iter().any(|it| {
                                    it.left != inst.items[inst.primary].left && it.filled()
                                })
                            {
                                blanks.push(inst);
                            }
                        }
                    }
                }
                if !blanks.is_empty() {
                    let d = blank_total(ctx, table, spec, &blanks);
                    ctx.push(d);
                }
            }
        }
    }
}

/// Indexes of `ids` kept by the filter (all when the filter is empty).
fn filtered<'a>(ids: impl Iterator<Item = &'a String>, only: &[Spanned<String>]) -> Vec<usize> {
    ids.enumerate()
        .filter(|(_, id)| only.is_empty() || only.iter().any(|o| o.get_ref() == *id))
        .map(|(i, _)| i)
        .collect()
}

/// One cell taking part in one check of an equation.
struct Item<'t> {
    left: bool,
    sign: i64,
    cell: Option<&'t Cell>,
    /// The label of the term (the row's label when checked per column, and vice versa).
    label: &'t str,
    row: usize,
    col: usize,
}

impl Item<'_> {
    fn filled(&self) -> bool {
        self.cell.is_some_and(|c| c.value.is_filled())
    }

    fn value(&self) -> f64 {
        self.cell.and_then(|c| c.value.as_f64()).unwrap_or(0.0)
    }
}

/// The equation applied to one column (or row) of one table.
struct Instance<'t> {
    /// Label of the column (or row) checked.
    along: &'t str,
    /// Items in term order; a glob term expands into several.
    items: Vec<Item<'t>>,
    /// Index into `items` of the primary cell.
    primary: usize,
}

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
//! side is blank the equation is not checked (`report = "blank_total"` reports the blank
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
//! - `report = "mismatch"` (default): the equation does not hold; `"blank_total"`: the
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

use super::{Ctx, Problem};
use crate::diagnostic::{Diagnostic, Lang};
use crate::report::table::{Cell, CellValue, Table};
use crate::template::Template;
use serde::Deserialize;
use toml::Spanned;

pub const PLACEHOLDERS: &[&str] = &[
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
pub struct Params {
    pub checks: Vec<EquationSpec>,
    #[serde(default)]
    pub report: Mode,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The equation does not hold.
    #[default]
    Mismatch,
    /// The primary cell (a total) is blank while the other side is filled.
    BlankTotal,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    /// Checked in every column; the terms are row ids.
    #[default]
    Column,
    /// Checked in every row; the terms are column ids.
    Row,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EquationSpec {
    pub table: Spanned<String>,
    #[serde(default)]
    pub per: Per,
    pub equation: Spanned<String>,
    /// Only these columns (`per = "column"`).
    #[serde(default)]
    pub columns: Vec<Spanned<String>>,
    /// Only these rows (`per = "row"`).
    #[serde(default)]
    pub rows: Vec<Spanned<String>>,
    #[serde(default)]
    pub primary: Option<Spanned<String>>,
    #[serde(default)]
    pub tolerance: f64,
    #[serde(skip)]
    parsed: Option<Equation>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    Eq,
    Le,
    Ge,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub sign: i64,
    pub name: String,
    /// `refused_*`: every id starting with `name`.
    pub glob: bool,
    pub left: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Equation {
    pub terms: Vec<Term>,
    pub relation: Relation,
    /// Index into `terms` of the cell that most likely holds the error.
    pub primary: usize,
}

/// Parses `a + b - c = d + e*`.
pub fn parse_equation(s: &str) -> Result<Equation, String> {
    let mut terms = Vec::new();
    let mut relation = None;
    let mut left = true;
    let mut sign = 1i64;
    let mut expect_term = true;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '+' | '-' | '−' if expect_term && c != '+' => sign = -sign,
            '+' | '-' | '−' => {
                if expect_term {
                    return Err(format!("`{c}` where a term was expected (at byte {i})"));
                }
                sign = if c == '+' { 1 } else { -1 };
                expect_term = true;
            }
            '=' | '<' | '>' | '≤' | '≥' => {
                if relation.is_some() {
                    return Err("more than one `=`, `<=` or `>=`".into());
                }
                if expect_term {
                    return Err(format!("`{c}` where a term was expected (at byte {i})"));
                }
                let rel = match c {
                    '=' => Relation::Eq,
                    '≤' => Relation::Le,
                    '≥' => Relation::Ge,
                    '<' | '>' => {
                        if chars.next_if(|(_, n)| *n == '=').is_none() {
                            return Err(format!(
                                "write `{c}=`: strict inequalities are not supported"
                            ));
                        }
                        if c == '<' { Relation::Le } else { Relation::Ge }
                    }
                    _ => Relation::Eq,
                };
                relation = Some(rel);
                left = false;
                sign = 1;
                expect_term = true;
            }
            c if c.is_ascii_alphanumeric() || c == '_' => {
                if !expect_term {
                    return Err(format!("missing `+` or `-` before byte {i}"));
                }
                let mut name = String::from(c);
                while let Some((_, n)) =
                    chars.next_if(|(_, n)| n.is_ascii_alphanumeric() || *n == '_')
                {
                    name.push(n);
                }
                let glob = chars.next_if(|(_, n)| *n == '*').is_some();
                terms.push(Term {
                    sign,
                    name,
                    glob,
                    left,
                });
                sign = 1;
                expect_term = false;
            }
            c => {
                return Err(format!(
                    "unexpected `{c}` at byte {i}; write ids joined by + and -"
                ));
            }
        }
    }
    let Some(relation) = relation else {
        return Err("no `=`, `<=` or `>=` in the equation".into());
    };
    if expect_term {
        return Err("the equation ends where a term was expected".into());
    }
    let nl = terms.iter().filter(|t| t.left).count();
    let nr = terms.len() - nl;
    if nl == 0 || nr == 0 {
        return Err("both sides need at least one term".into());
    }
    // The cell that most likely holds the error: the single term of one side (a total).
    let primary = if nl == 1 && !terms[0].glob {
        0
    } else if nr == 1 && !terms[nl].glob {
        nl
    } else {
        terms.iter().position(|t| !t.glob).unwrap_or(0)
    };
    Ok(Equation {
        terms,
        relation,
        primary,
    })
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

/// The terms expanded over a table: (term index, row or column index) in term order. The
/// same for every column (or row) checked. `None` when a term names an id this table does not
/// have (an equation written for another format's shape).
fn expand(table: &Table, per: Per, eq: &Equation) -> Option<Vec<(usize, usize)>> {
    let ids: Vec<&str> = match per {
        Per::Column => table.rows().iter().map(|r| r.id.as_str()).collect(),
        Per::Row => table.columns().iter().map(|c| c.id.as_str()).collect(),
    };
    let found = |i: usize| per == Per::Row || table.row_span(i).is_some();
    let mut out = Vec::new();
    for (ti, t) in eq.terms.iter().enumerate() {
        if t.glob {
            out.extend(
                (0..ids.len())
                    .filter(|&i| ids[i].starts_with(t.name.as_str()) && found(i))
                    .map(|i| (ti, i)),
            );
        } else {
            out.push((ti, ids.iter().position(|id| *id == t.name)?));
        }
    }
    Some(out)
}

/// True when nothing is to be reported for this line: the equation holds or is not checked
/// (`Mismatch`), or the primary cell is filled (`BlankTotal`).
fn quick(
    table: &Table,
    per: Per,
    line: usize,
    eq: &Equation,
    terms: &[(usize, usize)],
    tolerance: f64,
    mode: Mode,
) -> bool {
    let (mut l, mut r) = (0.0f64, 0.0f64);
    let (mut lf, mut rf) = (false, false);
    for &(ti, i) in terms {
        let t = &eq.terms[ti];
        let (row, col) = match per {
            Per::Column => (i, line),
            Per::Row => (line, i),
        };
        let v = table.cell_at(row, col).map(|c| &c.value);
        if mode == Mode::BlankTotal {
            if ti == eq.primary && v.is_some_and(CellValue::is_filled) {
                return true;
            }
            continue;
        }
        match v {
            Some(CellValue::Unreadable) => return true,
            Some(v) if v.is_filled() => {
                let x = t.sign as f64 * v.as_f64().unwrap_or(0.0);
                if t.left {
                    l += x;
                    lf = true;
                } else {
                    r += x;
                    rf = true;
                }
            }
            _ => {}
        }
    }
    if mode == Mode::BlankTotal {
        return false;
    }
    if !lf || !rf {
        return true;
    }
    let tol = tolerance + 1e-9;
    match eq.relation {
        Relation::Eq => (l - r).abs() <= tol,
        Relation::Le => l <= r + tol,
        Relation::Ge => l + tol >= r,
    }
}

/// The equation applied to one column (or row). `None` when a cell is unreadable.
fn instance<'t>(
    table: &'t Table,
    per: Per,
    line: usize,
    eq: &Equation,
    terms: &[(usize, usize)],
) -> Option<Instance<'t>> {
    let along = match per {
        Per::Column => table.columns().get(line)?.label.as_str(),
        Per::Row => table.rows().get(line)?.label.as_str(),
    };
    let mut items: Vec<Item> = Vec::with_capacity(terms.len());
    let mut primary = None;
    for &(ti, i) in terms {
        let t = &eq.terms[ti];
        let (row, col, label) = match per {
            Per::Column => (i, line, table.rows()[i].label.as_str()),
            Per::Row => (line, i, table.columns()[i].label.as_str()),
        };
        let cell = table.cell_at(row, col);
        if cell.is_some_and(|c| c.value == CellValue::Unreadable) {
            return None;
        }
        if ti == eq.primary {
            primary = Some(items.len());
        }
        items.push(Item {
            left: t.left,
            sign: t.sign,
            cell,
            label,
            row,
            col,
        });
    }
    Some(Instance {
        along,
        items,
        primary: primary?,
    })
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

fn shown(it: &Item, lang: Lang, doc: &str) -> String {
    match it.cell.map(|c| &c.value) {
        Some(v) if v.is_filled() => num(v.as_f64().unwrap_or(0.0)),
        Some(CellValue::Dash) => it.cell.map_or_else(String::new, |c| c.text(doc).to_owned()),
        _ => lang.pick("空", "blank").to_owned(),
    }
}

/// `8 + 1 + 0`: every term, so that the note shows the whole sum on one line.
fn side_expr(items: &[&Item], lang: Lang, doc: &str) -> String {
    let mut out = String::new();
    for it in items {
        if out.is_empty() {
            if it.sign < 0 {
                out.push('−');
            }
        } else {
            out.push_str(if it.sign < 0 { " − " } else { " + " });
        }
        out.push_str(&shown(it, lang, doc));
    }
    if out.is_empty() {
        out.push('0');
    }
    out
}

fn sum(items: &[&Item]) -> f64 {
    items.iter().map(|it| it.sign as f64 * it.value()).sum()
}

fn location(table: &Table, it: &Item, lang: Lang) -> String {
    let row = table.rows().get(it.row).map_or("", |r| r.label.as_str());
    let col = table.columns().get(it.col).map_or("", |c| c.label.as_str());
    match lang {
        Lang::Zh => format!("{} “{row}” 行 “{col}” 列", table.name(lang)),
        Lang::En => format!("{}, row “{row}”, column “{col}”", table.name(lang)),
    }
}

fn mismatch(
    ctx: &Ctx,
    table: &Table,
    spec: &EquationSpec,
    eq: &Equation,
    inst: &Instance,
) -> Option<Diagnostic> {
    let lang = ctx.lang;
    let left: Vec<&Item> = inst.items.iter().filter(|i| i.left).collect();
    let right: Vec<&Item> = inst.items.iter().filter(|i| !i.left).collect();
    // A side with nothing filled is not checked: "not filled" is reported by blank-total.
    if !left.iter().any(|i| i.filled()) || !right.iter().any(|i| i.filled()) {
        return None;
    }
    let (l, r) = (sum(&left), sum(&right));
    let tol = spec.tolerance + 1e-9;
    let holds = match eq.relation {
        Relation::Eq => (l - r).abs() <= tol,
        Relation::Le => l <= r + tol,
        Relation::Ge => l + tol >= r,
    };
    if holds {
        return None;
    }
    // The value a cell would need for the equation to hold.
    let needed = |it: &Item| {
        let v = it.value();
        if it.left {
            it.sign as f64 * (r - (l - it.sign as f64 * v))
        } else {
            it.sign as f64 * (l - (r - it.sign as f64 * v))
        }
    };
    // The cell where this failure crosses another (one mistyped cell breaks its row and its
    // column by the same amount: blame it, not the two totals); else the primary cell, unless
    // it would have to be negative (then the total on the other side, or the first cell that
    // can take the difference, is the likelier error).
    let ids = identities(ctx, table);
    let crossed = crossing(table, &ids, inst, &needed);
    let pick = crossed.unwrap_or_else(|| {
        std::iter::once(inst.primary)
            .chain((0..inst.items.len()).filter(|&i| i != inst.primary))
            .find(|&i| inst.items[i].cell.is_some() && needed(&inst.items[i]) >= 0.0)
            .unwrap_or(inst.primary)
    });
    let prim = &inst.items[pick];
    let expected = needed(prim);
    // A suggestion only when applying it breaks nothing that holds now.
    let balances = !breaks(table, &ids, prim.row, prim.col, expected);
    let rel = match eq.relation {
        Relation::Eq => "≠",
        Relation::Le => ">",
        Relation::Ge => "<",
    };
    let arithmetic = format!(
        "{} {rel} {}",
        side_expr(&left, lang, ctx.report.text),
        side_expr(&right, lang, ctx.report.text)
    );
    let diff = (l - r).abs();
    let row_label = table.rows().get(prim.row).map_or("", |r| r.label.as_str());
    let col_label = table
        .columns()
        .get(prim.col)
        .map_or("", |c| c.label.as_str());
    let found = shown(prim, lang, ctx.report.text);
    let vars = [
        ("table", table.name(lang).to_owned()),
        ("along", inst.along.to_owned()),
        ("row", row_label.to_owned()),
        ("column", col_label.to_owned()),
        ("found", found.clone()),
        ("expected", num(expected)),
        ("left", num(l)),
        ("right", num(r)),
        ("difference", num(diff)),
        ("arithmetic", arithmetic.clone()),
    ];
    let prim_cell = prim.cell?;
    let label = match (eq.relation, lang) {
        (Relation::Eq, Lang::Zh) => format!("按其他各项应为 {}（现为 {found}）", num(expected)),
        (Relation::Eq, Lang::En) => format!(
            "the other cells make this {} (it is {found})",
            num(expected)
        ),
        (_, Lang::Zh) => format!("“{}”为 {found}，与其他各项不符", prim.label),
        (_, Lang::En) => format!("“{}” is {found}, which does not fit the others", prim.label),
    };
    let mut d = ctx
        .diag(prim_cell.span.clone(), &vars)
        .with_label(label)
        .with_fingerprint(format!(
            "{} {} {} {}",
            table.id,
            table.rows().get(prim.row).map_or("", |r| r.id.as_str()),
            table.columns().get(prim.col).map_or("", |c| c.id.as_str()),
            spec.equation.get_ref()
        ));
    let alone = |left: bool| inst.items.iter().filter(|i| i.left == left).count() == 1;
    for (i, it) in inst.items.iter().enumerate() {
        // Terms that are 0 or blank are in the arithmetic note, not labelled.
        if i == pick || (it.value() == 0.0 && !alone(it.left)) {
            continue;
        }
        if let Some(c) = it.cell {
            d = d.with_secondary(
                c.span.clone(),
                format!("{}：{}", it.label, shown(it, lang, ctx.report.text)),
            );
        }
    }
    let along_word = match (spec.per, lang) {
        (Per::Column, Lang::Zh) => format!("“{}”列", inst.along),
        (Per::Row, Lang::Zh) => format!("“{}”行", inst.along),
        (Per::Column, Lang::En) => format!("column “{}”", inst.along),
        (Per::Row, Lang::En) => format!("row “{}”", inst.along),
    };
    d = d.with_note(match lang {
        Lang::Zh => format!(
            "算式（{along_word}）：{arithmetic}；左边 {}，右边 {}，相差 {}",
            num(l),
            num(r),
            num(diff)
        ),
        Lang::En => format!(
            "arithmetic ({along_word}): {arithmetic}; left {}, right {}, difference {}",
            num(l),
            num(r),
            num(diff)
        ),
    });
    let nblank = inst.items.iter().filter(|i| !i.filled()).count();
    if nblank > 0 {
        d = d.with_note(match lang {
            Lang::Zh => format!("有 {nblank} 格没有填写，按 0 计算；没有发生的请填 0"),
            Lang::En => {
                format!("{nblank} cell(s) are blank and were counted as 0; write 0 instead")
            }
        });
    }
    if eq.relation == Relation::Eq && expected >= 0.0 && prim.cell.is_some() && balances {
        d = d.with_suggestion(prim_cell.span.clone(), num(expected));
    }
    if crossed.is_some() {
        // The rule's help speaks of its primary cell (a total); here the blame is elsewhere.
        d.help = Some(match lang {
            Lang::Zh => format!(
                "“{row_label}”行“{col_label}”列的 {found} 使它所在的行和列都对不上，按其他各项应为 {}；改正这一格，行和列就都平衡了",
                num(expected)
            ),
            Lang::En => format!(
                "{found} in row “{row_label}”, column “{col_label}” breaks both its row and its column; the other cells make it {}, which balances both",
                num(expected)
            ),
        });
    }
    d.confidence = Some(crate::diagnostic::Confidence::Explicit);
    if ctx.report.doc.format.is_extracted() {
        d.location = Some(location(table, prim, lang));
    }
    Some(d)
}

/// One identity of a table: an equation checked per column or per row, with its tolerance.
struct Identity<'e> {
    per: Per,
    eq: &'e Equation,
    tolerance: f64,
    terms: Vec<(usize, usize)>,
}

/// Every `mismatch` equation on `table` among the rules in effect (this rule's peers).
fn identities<'e>(ctx: &Ctx<'e, '_>, table: &Table) -> Vec<Identity<'e>> {
    let id = table.id.as_str();
    let mut out = Vec::new();
    for rule in ctx.peers {
        let Some(p) = rule.check.params::<Params>() else {
            continue;
        };
        if p.report != Mode::Mismatch {
            continue;
        }
        for spec in p.checks.iter().filter(|c| c.table.get_ref() == id) {
            let Some(eq) = &spec.parsed else { continue };
            let Some(terms) = expand(table, spec.per, eq) else {
                continue;
            };
            out.push(Identity {
                per: spec.per,
                eq,
                tolerance: spec.tolerance,
                terms,
            });
        }
    }
    out
}

/// Whether identity `id` holds at `line` with cell (`row`, `col`) set to `value` (`None`:
/// as written). `None` when it is not checked there (a side blank, a cell unreadable).
fn holds_at(
    table: &Table,
    id: &Identity,
    line: usize,
    subst: Option<(usize, usize, f64)>,
) -> Option<bool> {
    let (mut l, mut r, mut lf, mut rf) = (0.0f64, 0.0f64, false, false);
    for &(ti, i) in &id.terms {
        let t = &id.eq.terms[ti];
        let (row, col) = match id.per {
            Per::Column => (i, line),
            Per::Row => (line, i),
        };
        let v = match subst {
            Some((sr, sc, x)) if sr == row && sc == col => Some(x),
            _ => match table.cell_at(row, col).map(|c| &c.value) {
                Some(CellValue::Unreadable) => return None,
                Some(v) if v.is_filled() => v.as_f64(),
                _ => None,
            },
        };
        if let Some(x) = v {
            if t.left {
                l += t.sign as f64 * x;
                lf = true;
            } else {
                r += t.sign as f64 * x;
                rf = true;
            }
        }
    }
    if !lf || !rf {
        return None;
    }
    let tol = id.tolerance + 1e-9;
    Some(match id.eq.relation {
        Relation::Eq => (l - r).abs() <= tol,
        Relation::Le => l <= r + tol,
        Relation::Ge => l + tol >= r,
    })
}

/// The lines of every identity that cell (`row`, `col`) takes part in.
fn lines_through(ids: &[Identity], row: usize, col: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (k, id) in ids.iter().enumerate() {
        let (line, along) = match id.per {
            Per::Column => (col, row),
            Per::Row => (row, col),
        };
        if id.terms.iter().any(|&(_, i)| i == along) {
            out.push((k, line));
        }
    }
    out
}

/// (failures that setting the cell to `value` repairs, identities that hold now and it
/// breaks).
fn effect(table: &Table, ids: &[Identity], row: usize, col: usize, value: f64) -> (usize, usize) {
    let (mut fixed, mut broken) = (0, 0);
    for (k, line) in lines_through(ids, row, col) {
        let before = holds_at(table, &ids[k], line, None);
        let after = holds_at(table, &ids[k], line, Some((row, col, value)));
        match (before, after) {
            (Some(false), Some(true)) => fixed += 1,
            (Some(true), Some(false)) | (None, Some(false)) => broken += 1,
            _ => {}
        }
    }
    (fixed, broken)
}

/// Whether setting the cell to `value` breaks an identity that holds now.
fn breaks(table: &Table, ids: &[Identity], row: usize, col: usize, value: f64) -> bool {
    !ids.is_empty() && effect(table, ids, row, col, value).1 > 0
}

/// The item of `inst` whose correction repairs this failure and at least one other, breaking
/// nothing: the cell where a failing row and a failing column cross. Ties go to the primary
/// cell, then to the earlier item.
fn crossing(
    table: &Table,
    ids: &[Identity],
    inst: &Instance,
    needed: &dyn Fn(&Item) -> f64,
) -> Option<usize> {
    if ids.len() < 2 {
        return None;
    }
    let mut best: Option<(usize, usize)> = None;
    for (i, it) in inst.items.iter().enumerate() {
        if it.cell.is_none_or(|c| !c.value.is_filled()) {
            continue;
        }
        let v = needed(it);
        if v < 0.0 || v.fract().abs() > 1e-9 && it.value().fract() == 0.0 {
            continue;
        }
        let (fixed, broken) = effect(table, ids, it.row, it.col, v);
        // `fixed` counts this failure too: another one is needed.
        if broken > 0 || fixed < 2 {
            continue;
        }
        let better = match best {
            None => true,
            Some((b, bf)) => fixed > bf || (fixed == bf && i == inst.primary && b != i),
        };
        if better {
            best = Some((i, fixed));
        }
    }
    best.map(|(i, _)| i)
}

fn blank_total(ctx: &Ctx, table: &Table, spec: &EquationSpec, blanks: &[Instance]) -> Diagnostic {
    let lang = ctx.lang;
    let first = &blanks[0];
    let prim = &first.items[first.primary];
    let parts = |inst: &Instance| -> f64 {
        let p = &inst.items[inst.primary];
        let other: Vec<&Item> = inst.items.iter().filter(|i| i.left != p.left).collect();
        let same: Vec<&Item> = inst
            .items
            .iter()
            .enumerate()
            .filter(|(j, i)| i.left == p.left && *j != inst.primary)
            .map(|(_, i)| i)
            .collect();
        p.sign as f64 * (sum(&other) - sum(&same))
    };
    let expected = parts(first);
    let row_label = table.rows().get(prim.row).map_or("", |r| r.label.as_str());
    let col_label = table
        .columns()
        .get(prim.col)
        .map_or("", |c| c.label.as_str());
    let others: Vec<&Item> = first.items.iter().filter(|i| i.left != prim.left).collect();
    let arithmetic = format!(
        "{} = {}",
        side_expr(&others, lang, ctx.report.text),
        num(expected)
    );
    let vars = [
        ("table", table.name(lang).to_owned()),
        ("along", first.along.to_owned()),
        ("row", row_label.to_owned()),
        ("column", col_label.to_owned()),
        ("found", shown(prim, lang, ctx.report.text)),
        ("expected", num(expected)),
        ("left", String::new()),
        ("right", num(expected)),
        ("difference", String::new()),
        ("arithmetic", arithmetic.clone()),
    ];
    let span = prim
        .cell
        .map_or(table.span.start..table.span.start, |c| c.span.clone());
    let mut d = ctx
        .diag(span.clone(), &vars)
        .with_label(match lang {
            Lang::Zh => format!("这一格是空的，按各项之和应为 {}", num(expected)),
            Lang::En => format!("blank; its parts add up to {}", num(expected)),
        })
        .with_fingerprint(format!(
            "{} blank {} {} {}",
            table.id,
            table.rows().get(prim.row).map_or("", |r| r.id.as_str()),
            table.columns().get(prim.col).map_or("", |c| c.id.as_str()),
            spec.equation.get_ref()
        ));
    for inst in &blanks[1..] {
        let p = &inst.items[inst.primary];
        if let Some(c) = p.cell {
            d = d.with_secondary(
                c.span.clone(),
                match lang {
                    Lang::Zh => format!("也是空的，应为 {}", num(parts(inst))),
                    Lang::En => format!("also blank; should be {}", num(parts(inst))),
                },
            );
        }
    }
    d = d.with_note(match lang {
        Lang::Zh => format!("算式：{arithmetic}"),
        Lang::En => format!("arithmetic: {arithmetic}"),
    });
    if blanks.len() > 1 {
        d = d.with_note(match lang {
            Lang::Zh => format!("同样的空格共 {} 处", blanks.len()),
            Lang::En => format!("{} such blank cells in all", blanks.len()),
        });
    }
    if expected >= 0.0 {
        d = d.with_suggestion(span, num(expected));
    }
    if ctx.report.doc.format.is_extracted() {
        d.location = Some(location(table, prim, lang));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equations_parse() {
        let e = parse_equation("new + carried_in = total + carry_over").unwrap();
        assert_eq!(e.terms.len(), 4);
        assert_eq!(e.relation, Relation::Eq);
        assert_eq!(e.primary, 0);
        let e = parse_equation("total = granted + partial + refused_* + other*").unwrap();
        assert_eq!(e.primary, 0);
        assert!(e.terms[3].glob && e.terms[3].name == "refused_");
        let e = parse_equation("a + b <= c").unwrap();
        assert_eq!((e.relation, e.primary), (Relation::Le, 2));
        let e = parse_equation("a - b = c").unwrap();
        assert_eq!(e.terms[1].sign, -1);
        for bad in [
            "a + = b",
            "a b = c",
            "a = ",
            "= a",
            "a",
            "a < b",
            "a = b = c",
            "a ÷ b = c",
        ] {
            assert!(parse_equation(bad).is_err(), "{bad}");
        }
    }
}

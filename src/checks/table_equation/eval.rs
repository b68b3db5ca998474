//! The equation over a table: its terms expanded to rows or columns, a line settled without
//! building its labelled instance, the instance built, and every `mismatch` identity of the
//! table weighed to find the one cell whose correction repairs a failing row and column.

use super::{Equation, Instance, Item, Mode, Params, Per, Relation};
use crate::checks::Ctx;
use crate::report::table::{CellValue, Table};

/// The terms expanded over a table: (term index, row or column index) in term order. The
/// same for every column (or row) checked. `None` when a term names an id this table does not
/// have (an equation written for another format's shape).
pub(super) fn expand(table: &Table, per: Per, eq: &Equation) -> Option<Vec<(usize, usize)>> {
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
pub(super) fn quick(
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
pub(super) fn instance<'t>(
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

/// One identity of a table: an equation checked per column or per row, with its tolerance.
pub(super) struct Identity<'e> {
    per: Per,
    eq: &'e Equation,
    tolerance: f64,
    terms: Vec<(usize, usize)>,
}

/// Every `mismatch` equation on `table` among the rules in effect (this rule's peers).
pub(super) fn identities<'e>(ctx: &Ctx<'e, '_>, table: &Table) -> Vec<Identity<'e>> {
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
pub(super) fn breaks(table: &Table, ids: &[Identity], row: usize, col: usize, value: f64) -> bool {
    !ids.is_empty() && effect(table, ids, row, col, value).1 > 0
}

/// The item of `inst` whose correction repairs this failure and at least one other, breaking
/// nothing: the cell where a failing row and a failing column cross. Ties go to the primary
/// cell, then to the earlier item.
pub(super) fn crossing(
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

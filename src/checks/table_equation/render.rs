//! The findings of `table_equation`: a mismatch at the cell most likely wrong, or the blank
//! totals of a table, with the labels on the other terms, the arithmetic note and the value
//! that balances as help and suggestion.

use super::eval::{breaks, crossing, identities};
use super::{Equation, EquationSpec, Instance, Item, Per, Relation};
use crate::checks::Ctx;
use crate::diagnostic::{Diagnostic, Lang};
use crate::report::table::{CellValue, Table};

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

pub(super) fn mismatch(
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
    if ctx.report.is_extracted() {
        d.location = Some(location(table, prim, lang));
    }
    Some(d)
}

pub(super) fn blank_total(
    ctx: &Ctx,
    table: &Table,
    spec: &EquationSpec,
    blanks: &[Instance],
) -> Diagnostic {
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
    if ctx.report.is_extracted() {
        d.location = Some(location(table, prim, lang));
    }
    d
}

//! Comparing what `narrative_table` found with the table: a linked count against the sum of
//! its cells (or of an `also` alternative), a claim against the cells of its rows, and the
//! findings.

use super::find::{SectionRanges, subject_ok};
use super::{Claim, Link};
use crate::checks::Ctx;
use crate::diagnostic::Lang;
use crate::report::number::Number;
use crate::report::table::Table;
use crate::text as cn;

/// The cells of `rows` (ids or `prefix*`) in `column`: their sum and the cells to label.
/// `None` when a cell cannot be read or none is filled.
fn sum_cells<'t>(
    t: &'t Table,
    rows: &[String],
    column: &str,
) -> Option<(i64, Vec<(usize, &'t crate::report::table::Cell)>)> {
    t.sum_where(
        |id| {
            rows.iter().any(|r| match r.strip_suffix('*') {
                Some(p) => id.starts_with(p),
                None => id == r,
            })
        },
        column,
    )
}

/// The number's interval holds `v`.
fn holds(n: &Number, v: i64) -> bool {
    let v = v as f64;
    let eps = 1e-9;
    if n.lo > v + eps {
        return false;
    }
    if n.hi_open() {
        v < n.hi - eps
    } else {
        v <= n.hi + eps
    }
}

/// `also` tells whether the number's sentence contains one of the link's `also_if`.
pub(super) fn check_link(ctx: &mut Ctx, n: &Number, link: &Link, t: &Table, also: bool) {
    let r = ctx.report;
    let lang = ctx.lang;
    let column = link.column.get_ref().as_str();
    let Some((value, cells)) = sum_cells(t, link.rows.get_ref(), column) else {
        return;
    };
    if holds(n, value) {
        return;
    }
    let mut alternatives = Vec::new();
    if also {
        for alt in link.also.iter().flat_map(|a| a.get_ref()) {
            if let Some((v, _)) = sum_cells(t, alt, column) {
                if holds(n, v) {
                    return;
                }
                alternatives.push(v);
            }
        }
    }
    let before = r.text.get(n.before()).unwrap_or("");
    let from = link
        .words
        .iter()
        .filter_map(|w| cn::find_all(before, w).last())
        .min()
        .unwrap_or(before.len());
    let lead: String = before[from..].chars().take(24).collect();
    let number = r.text[n.span()].to_owned();
    let stated = format!("{lead}{number}");
    let what = match lang {
        Lang::Zh => link.label.clone(),
        Lang::En => link.label_en.clone().unwrap_or_else(|| link.label.clone()),
    };
    let col_label = t
        .columns()
        .get(t.col_index(column).unwrap_or(usize::MAX))
        .map_or(String::new(), |c| c.label.clone());
    let difference = if n.is_exact() {
        (n.value - value as f64).abs().to_string()
    } else {
        String::new()
    };
    let detail = match lang {
        Lang::Zh => format!(
            "正文“{stated}”，{}“{what}”{col_label}列为 {value}",
            t.name(lang)
        ),
        Lang::En => format!(
            "the text says “{stated}”, {} “{what}”, column {col_label}, is {value}",
            t.name(lang)
        ),
    };
    let alts: Vec<String> = alternatives.iter().map(i64::to_string).collect();
    let advice = match (lang, alts.is_empty()) {
        (Lang::Zh, true) => format!("按表格，正文应为 {value}"),
        (Lang::Zh, false) => format!(
            "按表格，正文应为 {value}，含上年结转时为 {}",
            alts.join("、")
        ),
        (Lang::En, true) => format!("by the table the text should say {value}"),
        (Lang::En, false) => format!(
            "by the table the text should say {value}, or {} with the carried-in requests",
            alts.join(", ")
        ),
    };
    let vars = [
        ("stated", stated.clone()),
        ("what", what.clone()),
        ("table", t.name(lang).to_owned()),
        ("table_value", value.to_string()),
        ("difference", difference),
        ("detail", detail),
        ("advice", advice),
    ];
    let mut d = ctx
        .diag(n.span(), &vars)
        .with_label(match lang {
            Lang::Zh => format!("正文：{number}"),
            Lang::En => format!("text: {number}"),
        })
        .with_fingerprint(format!(
            "{}/{}/{stated}",
            t.id,
            link.rows.get_ref().join("+")
        ));
    let shown: Vec<_> = if cells.iter().any(|(_, c)| c.value.as_int() != Some(0)) {
        cells
            .iter()
            .filter(|(_, c)| c.value.as_int() != Some(0))
            .collect()
    } else {
        cells.iter().take(1).collect()
    };
    for (ri, cell) in shown {
        let row = t.rows().get(*ri).map_or("", |x| x.label.as_str());
        d = d.with_secondary(
            cell.span.clone(),
            match lang {
                Lang::Zh => format!(
                    "{} “{row}” “{col_label}”：{}",
                    t.name(lang),
                    cell.text(ctx.report.text)
                ),
                Lang::En => format!(
                    "{} “{row}” “{col_label}”: {}",
                    t.name(lang),
                    cell.text(ctx.report.text)
                ),
            },
        );
    }
    let arithmetic = if cells.len() > 1 {
        let parts: Vec<String> = cells
            .iter()
            .map(|(_, c)| c.text(ctx.report.text).to_owned())
            .collect();
        format!("{} = {value}", parts.join(" + "))
    } else {
        value.to_string()
    };
    d = d.with_note(match lang {
        Lang::Zh => format!(
            "{}“{what}”{col_label}：{arithmetic}；正文：{number}",
            t.name(lang)
        ),
        Lang::En => format!(
            "{} “{what}” {col_label}: {arithmetic}; text: {number}",
            t.name(lang)
        ),
    });
    if !alternatives.is_empty() {
        d = d.with_note(match lang {
            Lang::Zh => format!("含上年结转时为 {}，也对不上", alts.join("、")),
            Lang::En => format!(
                "including carried-in requests: {}, no match either",
                alts.join(", ")
            ),
        });
    }
    if n.is_exact() && n.script != crate::report::number::Script::Chinese && n.unit_scale() == 1.0 {
        d = d.with_suggestion(n.digits(), value.to_string());
    }
    ctx.push(d);
}

pub(super) fn check_claim(ctx: &mut Ctx, claim: &Claim) {
    let r = ctx.report;
    let lang = ctx.lang;
    let Some(t) = r.table(claim.table.get_ref()).filter(|t| t.readable) else {
        return;
    };
    // Each phrase's places in the text, in order, at most one per sentence.
    let mut places: Vec<(usize, &String)> = claim
        .phrases
        .iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| cn::find_all(r.text, p).map(move |i| (i, p)))
        .collect();
    places.sort_by_key(|(i, _)| *i);
    let mut sections = SectionRanges::default();
    let mut last_sentence = None;
    for (pos, phrase) in places {
        let Some(si) = r.numbers.sentence_at(pos) else {
            continue;
        };
        if last_sentence == Some(si) {
            continue;
        }
        last_sentence = Some(si);
        let Some(s) = r.numbers.sentences.get(si) else {
            continue;
        };
        let Some(text) = r.text.get(s.span()) else {
            continue;
        };
        let at = pos - s.span().start;
        if !subject_ok(r, pos, si, &claim.context, &claim.section, &mut sections) {
            continue;
        }
        // The rows the sentence speaks of, in the claim's table order.
        let mut rows: Vec<&str> = Vec::new();
        for (word, ids) in claim.rows.get_ref() {
            if text[..at].contains(word.as_str()) {
                rows.extend(ids.iter().map(String::as_str));
            }
        }
        if rows.is_empty() {
            continue;
        }
        let mut bad = Vec::new();
        for (ri, info) in t.rows().iter().enumerate() {
            if !rows.contains(&info.id.as_str()) {
                continue;
            }
            for col in claim.columns.get_ref() {
                let Some(ci) = t.col_index(col) else { continue };
                if let Some(cell) = t.cell_at(ri, ci)
                    && cell.value.as_int().is_some_and(|v| v != 0)
                {
                    bad.push((ri, ci, cell));
                }
            }
        }
        if bad.is_empty() {
            continue;
        }
        let span = pos..pos + phrase.len();
        let listed: Vec<String> = bad
            .iter()
            .map(|(ri, ci, c)| {
                let row = t.rows().get(*ri).map_or("", |x| x.label.as_str());
                let col = t.columns().get(*ci).map_or("", |x| x.label.as_str());
                match lang {
                    Lang::Zh => format!("“{row}”“{col}” {}", c.text(r.text)),
                    Lang::En => format!("“{row}” “{col}” {}", c.text(r.text)),
                }
            })
            .collect();
        let listed = listed.join(lang.pick("，", ", "));
        let detail = match lang {
            Lang::Zh => format!("正文说“{phrase}”，{}中还有 {listed}", t.name(lang)),
            Lang::En => format!(
                "the text says “{phrase}”, {} still has {listed}",
                t.name(lang)
            ),
        };
        let advice = match lang {
            Lang::Zh => format!("把“{phrase}”改为如实的表述，写明几件维持、几件纠正、几件尚未审结"),
            Lang::En => format!(
                "replace “{phrase}” with what happened (how many upheld, corrected, pending)"
            ),
        };
        let vars = [
            ("stated", phrase.clone()),
            ("what", listed.clone()),
            ("table", t.name(lang).to_owned()),
            ("table_value", String::new()),
            ("difference", String::new()),
            ("detail", detail),
            ("advice", advice),
        ];
        let mut d = ctx
            .diag(span, &vars)
            .with_label(match lang {
                Lang::Zh => format!("正文：{phrase}"),
                Lang::En => format!("text: {phrase}"),
            })
            .with_fingerprint(format!("{}/{phrase}", t.id));
        for (ri, ci, c) in &bad {
            let row = t.rows().get(*ri).map_or("", |x| x.label.as_str());
            let col = t.columns().get(*ci).map_or("", |x| x.label.as_str());
            d = d.with_secondary(
                c.span.clone(),
                match lang {
                    Lang::Zh => format!("“{row}”“{col}”：{}", c.text(r.text)),
                    Lang::En => format!("“{row}” “{col}”: {}", c.text(r.text)),
                },
            );
        }
        ctx.push(d);
    }
}

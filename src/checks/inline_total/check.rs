//! Checking what `inline_total` found: the parts against their total (intervals for
//! approximate numbers, a note when the parts may overlap or the list is open), subtotals
//! named elsewhere against the categories of an earlier list, and the findings.

use super::{Breakdown, Doubt, EPS, Params, Subtotals};
use crate::checks::Ctx;
use crate::diagnostic::{Lang, Severity};
use crate::report::number::{Approx, Kind, Number, format_decimal};
use crate::text as cn;
use std::collections::HashSet;
use std::ops::Range;

/// Two-character words too common to identify a category by half of its name.
const GENERIC: &[&str] = &[
    "信息", "公开", "工作", "政府", "建设", "管理", "服务", "制度", "情况",
];

/// Whether `head` is followed by `tail` within six characters in `c` (社会…救助 in
/// 社会保障及扶贫救助).
fn near(c: &str, head: &str, tail: &str) -> bool {
    c.match_indices(head).any(|(i, _)| {
        let rest = &c[i + head.len()..];
        rest.find(tail)
            .is_some_and(|j| rest[..j].chars().count() <= 6)
    })
}

impl Params {
    /// Category name of a list item: the text before its count, without list punctuation,
    /// the opener and generic endings (`扶贫工作89条` → `扶贫`).
    fn category(&self, st: &Subtotals, text: &str, item: &Range<usize>, n: &Number) -> String {
        let mut name = text
            .get(item.start..n.span().start.max(item.start))
            .unwrap_or("")
            .trim_matches(|c: char| c.is_whitespace() || "，,、；;：:（(".contains(c))
            .to_owned();
        for w in &self.parts {
            if let Some(rest) = name.strip_prefix(w.as_str()) {
                name = rest.trim_start_matches(['：', ':']).to_owned();
            }
        }
        for suf in &st.suffixes {
            if name.chars().count() > suf.chars().count() + 1
                && let Some(rest) = name.strip_suffix(suf.as_str())
            {
                name = rest.to_owned();
            }
        }
        name
    }

    pub(super) fn subtotal(
        &self,
        ctx: &mut Ctx,
        st: &Subtotals,
        b: &Breakdown,
        used: &HashSet<usize>,
    ) {
        let r = ctx.report;
        let text = r.text;
        let ns = &r.numbers;
        if b.doubt.is_some() || b.items.len() < 3 || b.items.len() != b.parts.len() {
            return;
        }
        let parts: Vec<&Number> = b.parts.iter().map(|&p| &ns.items[p]).collect();
        if parts.iter().any(|p| !p.is_exact()) {
            return;
        }
        let names: Vec<String> = b
            .items
            .iter()
            .zip(&parts)
            .map(|(it, n)| self.category(st, text, it, n))
            .collect();
        let list_end = parts.iter().map(|p| p.span().end).max().unwrap_or(0);
        let list_sentence = ns.sentence_at(parts[0].span().start);
        for (ni, n) in ns.items.iter().enumerate() {
            if n.span().start <= list_end
                || used.contains(&ni)
                || !n.is_quantity()
                || !n.is_exact()
                || !n.compatible(parts[0])
                || ns.sentence_at(n.span().start) == list_sentence
            {
                continue;
            }
            let before = text.get(n.before()).unwrap_or("");
            if !st.verbs.iter().any(|v| cn::contains(before, v)) {
                continue;
            }
            // Context: the count's sentence and the heading it stands under.
            let sentence = ns
                .sentence_at(n.span().start)
                .and_then(|si| text.get(ns.sentences[si].span()))
                .unwrap_or("");
            let heading = r
                .outline
                .headings
                .iter()
                .rev()
                .find(|h| h.span().start < n.span().start)
                .and_then(|h| text.get(h.title()))
                .unwrap_or("");
            // (part index, named exactly)
            let mut matched: Vec<(usize, bool)> = Vec::new();
            for (k, name) in names.iter().enumerate() {
                if name.chars().count() < 2 {
                    continue;
                }
                let exact = sentence.contains(name.as_str()) || heading.contains(name.as_str());
                let halves = name.chars().count() >= 4 && {
                    let cs: Vec<char> = name.chars().collect();
                    let head: String = cs[..2].iter().collect();
                    let tail: String = cs[cs.len() - 2..].iter().collect();
                    !GENERIC.contains(&head.as_str())
                        && !GENERIC.contains(&tail.as_str())
                        && [sentence, heading].iter().any(|c| near(c, &head, &tail))
                };
                if exact || halves {
                    matched.push((k, exact));
                }
            }
            if matched.len() < 2 || matched.len() == parts.len() {
                continue;
            }
            let sum: f64 = matched.iter().map(|&(k, _)| parts[k].value).sum();
            if (sum - n.value).abs() < EPS * n.value.abs().max(1.0) {
                continue;
            }
            let lang = ctx.lang;
            let written = n.written(text);
            let named: Vec<String> = matched.iter().map(|&(k, _)| names[k].clone()).collect();
            let sum_s = trimmed(sum);
            let problem = lang
                .pick(
                    &format!("前面“其中”所列的{}之和为 {sum_s}", named.join("、")),
                    &format!(
                        "the parts {} listed earlier add up to {sum_s}",
                        named.join(", ")
                    ),
                )
                .to_owned();
            let advice = lang
                .pick(
                    &format!("这里的数字应与前面所列分项一致（{sum_s}），或者改正前面的分项"),
                    &format!("this count should match the parts listed earlier ({sum_s}), or correct those parts"),
                )
                .to_owned();
            let vars = [
                ("total", written.clone()),
                ("sum", sum_s.clone()),
                ("difference", trimmed((n.value - sum).abs())),
                ("count", matched.len().to_string()),
                ("problem", problem),
                ("advice", advice),
            ];
            let terms: Vec<String> = matched
                .iter()
                .map(|&(k, _)| parts[k].written(text))
                .collect();
            let mut d = ctx
                .diag(n.span(), &vars)
                .with_label(lang.pick("这一领域的数字", "this count").to_owned())
                .with_note(format!("{} = {sum_s} ≠ {written}", terms.join(" + ")))
                .with_fingerprint(format!("{written}≠{sum_s}"));
            for &(k, _) in &matched {
                d = d.with_secondary(
                    parts[k].span(),
                    format!("{} {}", names[k], parts[k].written(text)),
                );
            }
            // Names matched only by their halves (社会救助 ~ 社会保障及扶贫救助) are a guess.
            if matched.iter().any(|&(_, exact)| !exact) {
                d = d.with_severity(Severity::Note).with_note(lang.pick(
                    "分项名称与这里的说法不完全相同，是按相近的名称对应的，所以只作提示",
                    "the category names only resemble the wording here, so this is only a note",
                ));
            }
            ctx.push(d);
        }
    }

    pub(super) fn check(&self, ctx: &mut Ctx, b: &Breakdown) {
        let r = ctx.report;
        let text = r.text;
        let ns = &r.numbers;
        let total = &ns.items[b.total];
        let parts: Vec<&Number> = b.parts.iter().map(|&p| &ns.items[p]).collect();
        let sum_lo: f64 = parts.iter().map(|p| p.lo).sum();
        let sum_hi: f64 = parts.iter().map(|p| p.hi).sum();
        let sum_val: f64 = parts.iter().map(|p| p.value).sum();
        // Rounded numbers (`300万元`, `1.2万`) are shown as written; only 余/约/近 make a range.
        let ranged = parts
            .iter()
            .chain([&total])
            .any(|p| matches!(p.approx, Approx::AtLeast | Approx::About | Approx::AtMost));
        let tol = EPS * total.value.abs().max(1.0);
        let single = parts.len() == 1;
        // Above the total: beyond its upper end (or at it, when the end is excluded).
        let above = if total.hi_open() {
            sum_lo >= total.hi - tol
        } else {
            sum_lo > total.hi + tol
        };
        let below = if parts.iter().any(|p| p.hi_open()) {
            sum_hi <= total.lo + tol
        } else {
            sum_hi + tol < total.lo
        };
        let bad = above || (!single && below);
        if !bad {
            return;
        }
        let lang = ctx.lang;
        let scale = total.unit_scale();
        let exact = total.is_exact() && parts.iter().all(|p| p.is_exact());
        let money_unit = if total.kind == Kind::Money {
            total.unit().unwrap_or("")
        } else {
            ""
        };
        let fmt = |v: f64| format!("{}{money_unit}", trimmed(v / scale));
        let sum = if !ranged {
            fmt(sum_val)
        } else if sum_hi.is_infinite() {
            lang.pick(
                &format!("{} 以上", fmt(sum_lo)),
                &format!("{} or more", fmt(sum_lo)),
            )
            .to_owned()
        } else {
            format!("{}～{}", fmt(sum_lo), fmt(sum_hi))
        };
        let total_w = total.written(text);
        let difference = if !ranged {
            trimmed((total.value - sum_val).abs() / scale)
        } else {
            String::new()
        };
        let problem = if single {
            lang.pick(
                &format!("其中一项 {} 比总数还大", parts[0].written(text)),
                &format!(
                    "the part {} is larger than the total",
                    parts[0].written(text)
                ),
            )
            .to_owned()
        } else {
            lang.pick(
                &format!("{} 项之和为 {sum}", parts.len()),
                &format!("the {} parts add up to {sum}", parts.len()),
            )
            .to_owned()
        };
        let advice = if single {
            lang.pick(
                "其中的一项不能比总数还大",
                "a part cannot be larger than the total",
            )
            .to_owned()
        } else if ranged {
            lang.pick(
                &format!("所列各项加起来在 {sum} 之间"),
                &format!("the listed parts add up to {sum}"),
            )
            .to_owned()
        } else {
            lang.pick(
                &format!("如果各项已经列全，总数应为 {sum}"),
                &format!("if the list is complete, the total is {sum}"),
            )
            .to_owned()
        };
        let vars = [
            ("total", total_w.clone()),
            ("sum", sum.clone()),
            ("difference", difference.clone()),
            ("count", parts.len().to_string()),
            ("problem", problem),
            ("advice", advice),
        ];
        let mut d = ctx
            .diag(total.span(), &vars)
            .with_label(
                lang.pick(&format!("总数 {total_w}"), &format!("total {total_w}"))
                    .to_owned(),
            )
            .with_fingerprint(format!("{total_w}≠{sum}"));
        for p in &parts {
            d = d.with_secondary(p.span(), p.written(text));
        }
        // The arithmetic; long lists keep their first three and last two terms.
        let terms: Vec<String> = parts.iter().map(|p| p.written(text)).collect();
        let shown = if terms.len() > 8 {
            let mut t = terms[..3].to_vec();
            t.push("…".to_owned());
            t.extend_from_slice(&terms[terms.len() - 2..]);
            t
        } else {
            terms
        };
        let relation = if single { ">" } else { "≠" };
        let arithmetic = if single {
            format!("{} > {total_w}", shown.join(" + "))
        } else {
            format!("{} = {sum} {relation} {total_w}", shown.join(" + "))
        };
        d = d.with_note(arithmetic);
        if exact && !single {
            d = d.with_note(lang.pick(
                &format!("相差 {difference}"),
                &format!("off by {difference}"),
            ));
        }
        if !exact && !ranged {
            d = d.with_note(lang.pick(
                "用“万”“亿”写的数按写出的精度计算（1.2万 即 11500～12500）",
                "numbers written with 万 or 亿 are compared at the precision written (1.2万 is 11,500–12,500)",
            ));
        }
        if ranged {
            d = d.with_note(lang.pick(
                "“余”“约”“近”等约数按其可能的范围计算",
                "approximate numbers (余, 约, 近) are compared as ranges",
            ));
        }
        let coverage = if total.lo > 0.0 {
            sum_hi / total.lo
        } else {
            1.0
        };
        let doubt = b.doubt.or_else(|| {
            (!above && !single && coverage < self.min_coverage).then_some(Doubt::Incomplete)
        });
        if let Some(doubt) = doubt {
            d = d
                .with_severity(Severity::Note)
                .with_note(doubt_note(lang, doubt));
        }
        if exact && !single && doubt.is_none() && total.decimals == 0 && scale == 1.0 {
            d = d.with_suggestion(total.digits(), format_decimal(sum_lo, 0));
        }
        ctx.push(d);
    }
}

/// A value with at most four decimals and no trailing zeros (`13000`, `1199.5`).
fn trimmed(v: f64) -> String {
    let s = format_decimal(v, 4);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

fn doubt_note(lang: Lang, d: Doubt) -> String {
    let (zh, en) = match d {
        Doubt::Overlap => (
            "各项可能互相包含（如解读类信息也计入了政务信息），所以只作提示",
            "the parts may overlap (e.g. interpretations also counted as news), so this is only a note",
        ),
        Doubt::OpenEnd => (
            "所列各项以“等”结尾或有省略，可能不全，所以只作提示",
            "the list ends with 等 or leaves items out, so it may be incomplete; only a note",
        ),
        Doubt::Partial => (
            "“主要”“重点”等说法表明只列了部分项目，所以只作提示",
            "the list says it names only the main items, so this is only a note",
        ),
        Doubt::Incomplete => (
            "所列各项只占总数的一小部分，很可能只是举例而不是全部分项，所以只作提示；如果确实是全部分项，请核对数字",
            "the parts cover only a small share of the total, so they are probably examples rather than a full breakdown; only a note",
        ),
        Doubt::Channels => (
            "这是按发布渠道分列的数字：同一条信息可能在几个渠道发布，也可能有渠道没有列出，所以只作提示",
            "these are counts per channel: one item may be published on several channels, or a channel may be missing, so this is only a note",
        ),
    };
    lang.pick(zh, en).to_owned()
}

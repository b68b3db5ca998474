//! `inline_total`: a total stated in the text whose parts, listed right after it, do not add
//! up: `共公布政府信息2599条（其中机构职能类25，……其他856）`, `共有…216989人。其中：…203960人，
//! …1329人`.
//!
//! Three shapes are read, all within one sentence (a `其中` that opens a sentence may take its
//! total from the previous sentence of the same paragraph):
//! - a list opened by one of `parts` (`其中`, also `（其中…）`) at the start of a clause: the
//!   total is the nearest count before it with the parts' unit;
//! - a numbered list (`1、…2、…`) right after a count whose words contain one of `totals`
//!   (`共`, `累计`, `合计`, `总计`), when `numbered = true`;
//! - a breakdown by channel without any marker (seed 000: `主动公开政府信息11280余条，…服务网
//!   公开1880余条；…公开栏公开1000余条`), when `[check.inline_total.channels]` is given: a
//!   count whose words hold one of `verbs` but none of `words`, followed by at least two
//!   clauses each holding the same verb, a channel word and one count. Channels may overlap
//!   (the same item published on two of them) or be left out, so this is at most a note.
//!
//! Items are separated by `，；、`; a clause without numbers ends the list, and so does a
//! clause whose words contain one of `stops` that the first item's words do not (`办结48件`
//! after `其中网上申请30件、当面申请20件`). A list whose items have different units (`57条`,
//! `21篇`), or an item with two counts, is not a partition and is not checked.
//!
//! One part larger than the total, or two or more parts whose sum is not the total, are
//! reported. Approximate numbers (`1880余`, `约500`) are compared as intervals. The finding is
//! at most a note when parts may overlap (a part's words contain one of `overlap`, such as
//! `解读`), when the list is open (its text after the last count starts with one of
//! `open_end`, such as `等`, or it contains `……`), when the opener is followed by one of
//! `partial` (`其中主要有`), or when every item names a channel (`channels.words`:
//! `其中网站公开…、微信公开…`).
//!
//! A count whose words contain one of `not_totals` (`上年结转1件`) is never taken as the total
//! of a `其中` list.
//!
//! Parameters: `parts`, `totals`, `numbered` (default true), `stops`, `overlap`, `open_end`,
//! `partial`, `not_totals`, `[check.inline_total.channels]` with `verbs` and `words`.
//! Placeholders: `{total}` (`2599`), `{sum}` (`2533`, or a range such as `11380～12590`),
//! `{difference}` (empty for ranges), `{count}` (parts), `{problem}` (what does not add up),
//! `{advice}` (what the total should be, or that a part cannot exceed it).
//!
//! Cost (issue 13: one very long sentence). Lists are read only in sentences of at most
//! `MAX_NUMBERS` (200) numbers. In such a sentence of `L` bytes with `m` openers: the openers
//! are found in one pass and each clause's first word once (O(L)); the nearest total before an
//! opener is found by binary search and a walk back over at most the sentence's numbers; a list
//! opened by `其中` reads only its own text, up to the next opener, and the bracket depth where
//! it starts is counted on from the previous list (`DepthCursor`), so all of them read the
//! sentence about once: O(L + m·log n). Numbered and channel lists start at a total (at most
//! one per number) and read until their list ends, clause by clause (a clause without numbers
//! ends it); whether two more verbs and a channel word follow a total is answered from their
//! positions, found once per sentence. Only lists that really run on through empty clauses
//! (`，，，`) can read the same text again, at most once per number: O(L·min(n, 200)).
//! `tests::one_long_sentence_of_lists_is_read_a_bounded_number_of_times` counts the bytes read.
//!
//! ```toml
//! [check.inline_total]
//! parts = ["其中"]
//! totals = ["共", "累计", "合计", "总计"]
//! stops = ["办结", "答复", "同比", "另"]
//! overlap = ["解读"]
//! open_end = ["等"]
//! ```

use super::{Ctx, Problem};
use crate::diagnostic::{Lang, Severity};
use crate::report::cn;
use crate::report::number::{Approx, DepthCursor, Kind, ListItem, Number, Numbers, format_decimal};
use serde::Deserialize;
use std::collections::HashSet;
use std::ops::Range;

pub const PLACEHOLDERS: &[&str] = &["total", "sum", "difference", "count", "problem", "advice"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channels {
    pub verbs: Vec<String>,
    pub words: Vec<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub parts: Vec<String>,
    #[serde(default)]
    pub totals: Vec<String>,
    #[serde(default = "yes")]
    pub numbered: bool,
    #[serde(default)]
    pub stops: Vec<String>,
    #[serde(default)]
    pub overlap: Vec<String>,
    #[serde(default)]
    pub open_end: Vec<String>,
    #[serde(default)]
    pub partial: Vec<String>,
    /// When the parts add up to less than this share of the total, the list is taken for
    /// examples, not a breakdown, and the finding is only a note (`共306条，其中行政许可41条、
    /// 行政处罚9条` is normal Chinese). Default 0.5.
    #[serde(default = "half")]
    pub min_coverage: f64,
    #[serde(default)]
    pub not_totals: Vec<String>,
    #[serde(default)]
    pub channels: Option<Channels>,
    #[serde(default)]
    pub subtotals: Option<Subtotals>,
}

/// Subtotals named elsewhere (seed 003: `共发布信息389条，其中…征地补偿1条…拆迁安置11条…`,
/// and later under the heading `征地补偿、拆迁安置信息公开…`: `该领域主动公开信息12条`): a
/// publication count whose sentence or heading names two or more categories of an earlier
/// 其中 list must equal the sum of those categories.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subtotals {
    /// Words that make a count a publication count (`公开`, `发布`).
    pub verbs: Vec<String>,
    /// Generic endings dropped from category names before matching (`工作`, `类`, `信息`).
    #[serde(default)]
    pub suffixes: Vec<String>,
}

/// Why a mismatch is only a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Doubt {
    Overlap,
    OpenEnd,
    Partial,
    Channels,
    /// The parts cover only a small share of the total: most likely a list of examples.
    Incomplete,
}

/// A total and the parts found for it.
struct Breakdown {
    total: usize,
    parts: Vec<usize>,
    doubt: Option<Doubt>,
    /// The text of each part (`征地补偿1条`), for subtotals named elsewhere; empty for lists
    /// whose items are not categories (numbered and channel lists).
    items: Vec<Range<usize>>,
}

const EPS: f64 = 1e-6;

fn half() -> f64 {
    0.5
}

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

/// Sentences with more numbers than this are not read as lists (resource limit).
const MAX_NUMBERS: usize = 200;

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

    fn subtotal(&self, ctx: &mut Ctx, st: &Subtotals, b: &Breakdown, used: &HashSet<usize>) {
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

    /// Lists opened by a `parts` word (其中) at the start of a clause or after `（`.
    fn marked_lists(&self, text: &str, ns: &Numbers, si: usize) -> Vec<Breakdown> {
        let s = &ns.sentences[si];
        let Some(stext) = text.get(s.span()) else {
            return Vec::new();
        };
        // (marker start, list start)
        let mut markers: Vec<(usize, usize)> = Vec::new();
        // Per clause, where its first character that is not an ordinal or emphasis stands:
        // found once per clause, not once per opener in it.
        let mut first_word: std::collections::HashMap<usize, usize> =
            std::collections::HashMap::new();
        for w in self.parts.iter().filter(|w| !w.is_empty()) {
            for (i, _) in stext.match_indices(w.as_str()) {
                let pos = s.span().start + i;
                let Some(ci) = ns.clause_at(pos) else {
                    continue;
                };
                let clause = ns.clause(ci).unwrap_or(pos..pos);
                let cstart = clause.start.min(pos);
                let pre = text.get(cstart..pos).unwrap_or("");
                let pre = pre.trim_end_matches([' ', '\u{3000}', '*']);
                let bracketed = pre.ends_with('（') || pre.ends_with('(');
                // Only ordinals and emphasis may stand before the opener in its clause
                // (`1、其中…`, seed 001).
                let word = *first_word.entry(ci).or_insert_with(|| {
                    let clause = text.get(cstart..clause.end).unwrap_or("");
                    clause
                        .char_indices()
                        .find(|&(_, c)| {
                            !(c.is_whitespace()
                                || c.is_ascii_digit()
                                || matches!(c, '、' | '.' | '．' | '*' | '（' | '(' | '）' | ')')
                                || crate::report::cn::digit(c).is_some())
                        })
                        .map_or(usize::MAX, |(k, _)| cstart + k)
                });
                let opens_clause = word >= pos;
                if !bracketed && !opens_clause {
                    continue;
                }
                let mut from = pos + w.len();
                let rest = text.get(from..s.span().end).unwrap_or("");
                let trimmed = rest.trim_start_matches([' ', '\u{3000}', '：', ':']);
                from += rest.len() - trimmed.len();
                // `参与其中，` `其中之一` `其中的`: not a list.
                if trimmed.is_empty()
                    || trimmed.starts_with(['，', ',', '；', ';', '。', '的', '之'])
                {
                    continue;
                }
                markers.push((pos, from));
            }
        }
        markers.sort_unstable();
        markers.dedup_by_key(|m| m.0);
        let stop = |label: &str| cn::contains_any(label, &self.stops);
        let mut out = Vec::new();
        let mut cursor = DepthCursor::default();
        // Where the sentence's first number that is not an ordinal starts.
        let first_count = ns
            .in_sentence(si)
            .iter()
            .find(|n| n.kind != Kind::Ordinal)
            .map_or(usize::MAX, |n| n.span().start);
        for (mi, &(pos, from)) in markers.iter().enumerate() {
            // The list ends before the next opener's total.
            let mut to = s.span().end;
            if let Some(&(next, _)) = markers.get(mi + 1) {
                to = next;
                if let Some(t) = nearest_quantity_before(ns, si, next, None) {
                    to = to.min(ns.items[t].span().start);
                }
            }
            if from >= to {
                continue;
            }
            let e = ns.enumerate_at(text, si, from, to, &stop, &mut cursor);
            if e.items.is_empty() || e.ambiguous || e.mixed_units {
                continue;
            }
            let parts: Vec<usize> = e.items.iter().map(|i| i.number).collect();
            let unit_ref = parts
                .iter()
                .map(|&p| &ns.items[p])
                .find(|n| n.unit().is_some())
                .unwrap_or(&ns.items[parts[0]]);
            let skip = |n: &Number| {
                let label = text.get(n.before()).unwrap_or("");
                self.not_totals.iter().any(|w| cn::contains(label, w))
            };
            let mut total = nearest_total_before(ns, si, pos, unit_ref, &skip);
            let at_sentence_start = first_count >= pos;
            if total.is_none()
                && at_sentence_start
                && si > 0
                && ns.sentences[si - 1].paragraph() == s.paragraph()
            {
                total = nearest_total_before(ns, si - 1, s.span().start, unit_ref, &skip);
            }
            let Some(total) = total else {
                continue;
            };
            if parts
                .iter()
                .any(|&p| !ns.items[p].compatible(&ns.items[total]))
            {
                continue;
            }
            let opener_rest = text.get(from..e.end).unwrap_or("");
            let doubt = if e.elided || self.open_end_after(text, ns, &parts, e.end) {
                Some(Doubt::OpenEnd)
            } else if self
                .partial
                .iter()
                .any(|w| !w.is_empty() && opener_rest.starts_with(w.as_str()))
            {
                Some(Doubt::Partial)
            } else if self.overlaps(text, &e.items) {
                Some(Doubt::Overlap)
            } else if self.by_channel(text, &e.items) {
                // `其中通过门户网站公开1200条，通过微信公众号公开800条`: one item may be
                // published on several channels.
                Some(Doubt::Channels)
            } else {
                None
            };
            out.push(Breakdown {
                total,
                parts,
                doubt,
                items: e.items.iter().map(|i| i.span.clone()).collect(),
            });
        }
        out
    }

    /// Whether every item names a publication channel (`channels.words`).
    fn by_channel(&self, text: &str, items: &[ListItem]) -> bool {
        let Some(ch) = &self.channels else {
            return false;
        };
        items.len() >= 2
            && items.iter().all(|i| {
                let t = text.get(i.span.clone()).unwrap_or("");
                cn::contains_any(t, &ch.words)
            })
    }

    /// `共办理5件：1、…3件；2、…2件`: a numbered list right after a total.
    fn numbered_lists(&self, text: &str, ns: &Numbers, si: usize) -> Vec<Breakdown> {
        let s = &ns.sentences[si];
        let mut out = Vec::new();
        let nums = &ns.items[s.numbers()];
        let mut cursor = DepthCursor::default();
        for (k, t) in nums.iter().enumerate() {
            if !t.is_quantity() {
                continue;
            }
            let label = text.get(t.before()).unwrap_or("");
            if !self.totals.iter().any(|w| cn::contains(label, w)) {
                continue;
            }
            // The next number must be an ordinal, with only a colon or comma between.
            let Some(o) = nums.get(k + 1).filter(|o| o.kind == Kind::Ordinal) else {
                continue;
            };
            let between = text.get(t.span().end..o.span().start).unwrap_or("");
            if between.chars().count() > 8 || !between.contains(['：', ':', '，', ',']) {
                continue;
            }
            let stop = |label: &str| cn::contains_any(label, &self.stops);
            let e = ns.enumerate_at(text, si, o.span().start, s.span().end, &stop, &mut cursor);
            if e.items.len() < 2 || e.ambiguous || e.mixed_units {
                continue;
            }
            let parts: Vec<usize> = e.items.iter().map(|i| i.number).collect();
            if parts.iter().any(|&p| !ns.items[p].compatible(t)) {
                continue;
            }
            let doubt = if e.elided || self.open_end_after(text, ns, &parts, e.end) {
                Some(Doubt::OpenEnd)
            } else if self.overlaps(text, &e.items) {
                Some(Doubt::Overlap)
            } else {
                None
            };
            out.push(Breakdown {
                total: s.numbers().start + k,
                parts,
                doubt,
                items: Vec::new(),
            });
        }
        out
    }

    /// Whether the list's text after its last count starts with an `open_end` word (`等`).
    fn open_end_after(&self, text: &str, ns: &Numbers, parts: &[usize], end: usize) -> bool {
        let Some(&last) = parts.last() else {
            return false;
        };
        let after = text
            .get(ns.items[last].span().end..end.max(ns.items[last].span().end))
            .unwrap_or("")
            .trim_start();
        self.open_end
            .iter()
            .any(|w| !w.is_empty() && after.starts_with(w.as_str()))
    }

    /// Whether some item's words contain an `overlap` word (解读 inside 政务信息).
    fn overlaps(&self, text: &str, items: &[ListItem]) -> bool {
        items.iter().any(|i| {
            let t = text.get(i.span.clone()).unwrap_or("");
            self.overlap.iter().any(|w| cn::contains(t, w))
        })
    }

    fn check(&self, ctx: &mut Ctx, b: &Breakdown) {
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

impl super::Kind for Params {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn phase(&self) -> super::Phase {
        super::Phase::Report
    }

    // Prose arithmetic is checked in any document: a 工作总结 that gets its 其中 totals
    // wrong should hear about it too.
    fn needs_annual_report(&self) -> bool {
        false
    }

    fn uses_template(&self) -> bool {
        false
    }

    fn prepare(&mut self) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        if self.parts.iter().all(|p| p.trim().is_empty()) {
            problems.push((
                None,
                "`parts` must list at least one word such as 其中".to_owned(),
            ));
        }
        if !(0.0..=1.0).contains(&self.min_coverage) {
            problems.push((
                None,
                format!(
                    "min_coverage must be between 0 and 1, not {}",
                    self.min_coverage
                ),
            ));
        }
        if self.numbered && self.totals.is_empty() {
            problems.push((
                None,
                "`numbered = true` needs `totals` (words such as 共, 合计)".to_owned(),
            ));
        }
        if let Some(c) = &self.channels
            && (c.verbs.is_empty() || c.words.is_empty())
        {
            problems.push((None, "`channels` needs both `verbs` and `words`".to_owned()));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    fn run(&self, ctx: &mut Ctx) {
        let r = ctx.report;
        let text = r.text;
        let ns = &r.numbers;
        let mut used: HashSet<usize> = HashSet::new();
        let mut found = Vec::new();
        for (si, s) in ns.sentences.iter().enumerate() {
            // A "sentence" with hundreds of numbers is a table or text run together without
            // punctuation; lists there cannot be read, and reading them would be quadratic.
            if s.numbers().is_empty() || s.numbers().len() > MAX_NUMBERS {
                continue;
            }
            // Cheap tests first: a list needs a part (its total may be in the sentence before),
            // two parts and a total for numbered and channel lists, and its opener.
            let nums = &ns.items[s.numbers()];
            let quantities = nums.iter().filter(|n| n.is_quantity()).count();
            let stext = text.get(s.span()).unwrap_or("");
            let mut lists = Vec::new();
            if quantities >= 1 && self.parts.iter().any(|w| cn::contains(stext, w)) {
                lists.extend(self.marked_lists(text, ns, si));
            }
            if self.numbered && quantities >= 3 && nums.iter().any(|n| n.kind == Kind::Ordinal) {
                lists.extend(self.numbered_lists(text, ns, si));
            }
            if let Some(ch) = &self.channels
                && quantities >= 3
                && ch
                    .verbs
                    .iter()
                    .any(|v| cn::find_all(stext, v).nth(2).is_some())
            {
                lists.extend(channel_lists(text, ns, ch, si));
            }
            for b in lists {
                // A count is the total of one list only (the first shape that found it), and
                // a part of some list is not also the total of a channel breakdown.
                if used.insert(b.total) {
                    used.extend(b.parts.iter().copied());
                    found.push(b);
                }
            }
        }
        if let Some(st) = &self.subtotals {
            for b in &found {
                self.subtotal(ctx, st, b, &used);
            }
        }
        for b in found {
            self.check(ctx, &b);
        }
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

/// The numbers of sentence `si` that end at or before `pos`, nearest first: found by binary
/// search (numbers are in text order and do not overlap), so a question costs the numbers it
/// passes over, not the sentence's.
fn before(ns: &Numbers, si: usize, pos: usize) -> impl Iterator<Item = usize> + '_ {
    let r = ns.sentences.get(si).map_or(0..0, |s| s.numbers());
    let nums = ns.items.get(r.clone()).unwrap_or(&[]);
    // Past the last number starting before `pos`; those ending after `pos` are skipped.
    let k = nums.partition_point(|n| n.span().start < pos);
    (r.start..r.start + k)
        .rev()
        .filter(move |&i| ns.items[i].span().end <= pos)
}

/// The nearest quantity before `pos` in sentence `si` (compatible with `unit` when given).
fn nearest_quantity_before(
    ns: &Numbers,
    si: usize,
    pos: usize,
    unit: Option<&Number>,
) -> Option<usize> {
    before(ns, si, pos).find(|&i| {
        let n = &ns.items[i];
        n.is_quantity() && unit.is_none_or(|u| u.compatible(n))
    })
}

/// The nearest quantity before `pos` in sentence `si` that can be the total of parts like
/// `unit`: compatible, and not one of the counts `skip` rules out (`上年结转1件`).
fn nearest_total_before(
    ns: &Numbers,
    si: usize,
    pos: usize,
    unit: &Number,
    skip: &dyn Fn(&Number) -> bool,
) -> Option<usize> {
    before(ns, si, pos).find(|&i| {
        let n = &ns.items[i];
        n.is_quantity() && unit.compatible(n) && !skip(n)
    })
}

/// Seed 000: `主动公开政府信息11280余条，…服务网公开1880余条；…平台公开6200余条；…`.
fn channel_lists(text: &str, ns: &Numbers, ch: &Channels, si: usize) -> Vec<Breakdown> {
    let s = &ns.sentences[si];
    let mut out = Vec::new();
    let has_channel = |t: &str| ch.words.iter().any(|w| cn::contains(t, w));
    let stext = text.get(s.span()).unwrap_or("");
    // Where each verb stands in the sentence, and where the last channel word starts: read
    // once, so that each count asks "two more verbs and a channel word follow?" by binary
    // search instead of reading the rest of the sentence.
    let verb_at: Vec<Vec<usize>> = ch
        .verbs
        .iter()
        .map(|v| {
            if v.is_empty() {
                Vec::new()
            } else {
                cn::find_all(stext, v).map(|i| s.span().start + i).collect()
            }
        })
        .collect();
    let last_channel = ch
        .words
        .iter()
        .filter(|w| !w.is_empty())
        .filter_map(|w| cn::find_all(stext, w).last())
        .max()
        .map(|i| s.span().start + i);
    let mut cursor = DepthCursor::default();
    for ti in s.numbers() {
        let t = &ns.items[ti];
        if !t.is_quantity() {
            continue;
        }
        let label = text.get(t.before()).unwrap_or("");
        let Some((vi, verb)) = ch
            .verbs
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_empty())
            .find(|(_, v)| cn::contains(label, v))
        else {
            continue;
        };
        if has_channel(label) || !text.get(t.after()).unwrap_or("").trim().is_empty() {
            continue;
        }
        // The list starts after the separator that ends the total's clause.
        let Some(clause) = ns.clause(t.clause()) else {
            continue;
        };
        let from = clause.end
            + text
                .get(clause.end..)
                .and_then(|r| r.chars().next())
                .map_or(0, char::len_utf8);
        // At least two more uses of the verb and a channel word must follow, or there is no
        // list to read.
        let from = from.min(s.span().end);
        let verbs = &verb_at[vi];
        let verbs_after = verbs.len() - verbs.partition_point(|&p| p < from);
        if verbs_after < 2 || last_channel.is_none_or(|c| c < from) {
            continue;
        }
        let e = ns.enumerate_at(text, si, from, s.span().end, &|_| false, &mut cursor);
        if e.ambiguous || e.mixed_units {
            continue;
        }
        let mut parts = Vec::new();
        for item in &e.items {
            let n = &ns.items[item.number];
            let words = text.get(item.span.start..n.span().start).unwrap_or("");
            if !cn::contains(words, verb) || !has_channel(words) || !n.compatible(t) {
                break;
            }
            parts.push(item.number);
        }
        if parts.len() >= 2 {
            out.push(Breakdown {
                total: ti,
                parts,
                doubt: Some(Doubt::Channels),
                items: Vec::new(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::report::number::LIST_BYTES_READ;

    /// One sentence of about a megabyte with 60 channel breakdowns and 40,000 `其中` openers
    /// (issue 13). Each list used to be read from the sentence start (the bracket depth) and
    /// split to the sentence end: about 60 times the sentence. Now the lists of a sentence
    /// read it a bounded number of times, and the wrong list is still found.
    #[test]
    fn one_long_sentence_of_lists_is_read_a_bounded_number_of_times() {
        let mut s = String::from("受理申请30件，其中网上申请10件、当面申请21件，办理情况良好，");
        for _ in 0..60 {
            s.push_str("主动公开信息12条，网站公开5条、微信公开7条，");
        }
        for _ in 0..20_000 {
            s.push_str("其中包括相关工作人员，分别组织培训，其中有关情况，");
        }
        let file = format!("某镇2021年政府信息公开工作年度报告\n\n{s}。\n");
        let rules = crate::RuleSet::builtin().expect("built-in rules load");
        LIST_BYTES_READ.with(|r| r.set(0));
        let r = crate::engine::lint_source(
            "long.txt",
            file.as_bytes(),
            &rules,
            &crate::engine::Options::default(),
        );
        let read = LIST_BYTES_READ.with(|r| r.get());
        assert!(
            read <= 4 * s.len(),
            "lists read {read} bytes of a sentence of {} bytes",
            s.len()
        );
        let nb303: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "NB303").collect();
        assert_eq!(nb303.len(), 1, "{:?}", r.diagnostics);
        assert!(
            nb303[0]
                .notes
                .first()
                .is_some_and(|n| n.contains("10 + 21 = 31 ≠ 30")),
            "{:?}",
            nb303[0]
        );
    }
}

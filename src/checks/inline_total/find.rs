//! Finding what `inline_total` checks: in one sentence, the lists opened by `其中`, the
//! numbered lists after a total and the breakdowns by channel, each with its total and parts.

use super::{Breakdown, Channels, Doubt, Params};
use crate::report::number::{DepthCursor, Kind, ListItem, Number, Numbers};
use crate::text as cn;

impl Params {
    /// Lists opened by a `parts` word (其中) at the start of a clause or after `（`.
    pub(super) fn marked_lists(&self, text: &str, ns: &Numbers, si: usize) -> Vec<Breakdown> {
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
                                || crate::text::digit(c).is_some())
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
    pub(super) fn numbered_lists(&self, text: &str, ns: &Numbers, si: usize) -> Vec<Breakdown> {
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
pub(super) fn channel_lists(text: &str, ns: &Numbers, ch: &Channels, si: usize) -> Vec<Breakdown> {
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

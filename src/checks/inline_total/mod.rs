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
//!
//! The parameters, the shapes of what is found (`Breakdown`, `Doubt`) and `Kind` are here;
//! the rest is in
//! - `find`: finding the totals and their lists of parts (the three shapes above);
//! - `check`: checking them: the parts against their total, subtotals named elsewhere, and
//!   the findings.

mod check;
mod find;
#[cfg(test)]
mod tests;

use super::{Ctx, Problem};
use crate::report::number::Kind;
use crate::text as cn;
use find::channel_lists;
use serde::Deserialize;
use std::collections::HashSet;
use std::ops::Range;

pub(crate) const PLACEHOLDERS: &[&str] =
    &["total", "sum", "difference", "count", "problem", "advice"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Channels {
    pub(crate) verbs: Vec<String>,
    pub(crate) words: Vec<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    pub(crate) parts: Vec<String>,
    #[serde(default)]
    pub(crate) totals: Vec<String>,
    #[serde(default = "yes")]
    pub(crate) numbered: bool,
    #[serde(default)]
    pub(crate) stops: Vec<String>,
    #[serde(default)]
    pub(crate) overlap: Vec<String>,
    #[serde(default)]
    pub(crate) open_end: Vec<String>,
    #[serde(default)]
    pub(crate) partial: Vec<String>,
    /// When the parts add up to less than this share of the total, the list is taken for
    /// examples, not a breakdown, and the finding is only a note (`共306条，其中行政许可41条、
    /// 行政处罚9条` is normal Chinese). Default 0.5.
    #[serde(default = "half")]
    pub(crate) min_coverage: f64,
    #[serde(default)]
    pub(crate) not_totals: Vec<String>,
    #[serde(default)]
    pub(crate) channels: Option<Channels>,
    #[serde(default)]
    pub(crate) subtotals: Option<Subtotals>,
}

/// Subtotals named elsewhere (seed 003: `共发布信息389条，其中…征地补偿1条…拆迁安置11条…`,
/// and later under the heading `征地补偿、拆迁安置信息公开…`: `该领域主动公开信息12条`): a
/// publication count whose sentence or heading names two or more categories of an earlier
/// 其中 list must equal the sum of those categories.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Subtotals {
    /// Words that make a count a publication count (`公开`, `发布`).
    pub(crate) verbs: Vec<String>,
    /// Generic endings dropped from category names before matching (`工作`, `类`, `信息`).
    #[serde(default)]
    pub(crate) suffixes: Vec<String>,
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

/// Sentences with more numbers than this are not read as lists (resource limit).
const MAX_NUMBERS: usize = 200;

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

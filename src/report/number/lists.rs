//! Lists in the numbers already read: the items of an enumeration (`其中A 10件、B 20件`), the
//! stated parent total of a list, runs of `count, 占 share` pairs, and the bracket depth
//! ([`DepthCursor`]) these are read at.

use super::{Number, Numbers};
use std::ops::Range;

/// How many numbers back [`Numbers::list_parent`] looks for a list's parent total.
const LIST_BACK: usize = 32;

/// How far (bytes) before a count its list's opener (`其中`, `在…中`) is looked for.
const MAX_HEAD: usize = 600;

/// How many `count, share` pairs on each side make a run of sibling shares.
const MAX_SIBLINGS: usize = 64;

/// One item of an enumeration (`其中A 10件、B 20件`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ListItem {
    /// Index into [`Numbers::items`] of the item's quantity.
    pub(crate) number: usize,
    /// The item's text, from the previous separator to the next.
    pub(crate) span: Range<usize>,
}

/// The items of a list read by [`Numbers::enumerate`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Enumeration {
    pub(crate) items: Vec<ListItem>,
    /// Where the list ended (exclusive).
    pub(crate) end: usize,
    /// An item held two quantities not separated by `、`: the list cannot be read as parts.
    pub(crate) ambiguous: bool,
    /// Quantities whose units differ from the first item's: the list is not a partition.
    pub(crate) mixed_units: bool,
    /// The list contains `……` or `...`: items were left out.
    pub(crate) elided: bool,
}

impl Numbers {
    /// The stated parent total of the list that count `ni` belongs to: `主动公开信息620条，其中
    /// 部门公开410条，占66.1%` (the nearest count of the same kind before `其中`, in the sentence or,
    /// when `其中` opens the sentence, in the previous sentence of the paragraph), or `在主动公开的
    /// 620条信息中，A类150条，占24.2%` (a count in a clause `在…中` before it).
    pub(crate) fn list_parent(&self, text: &str, ni: usize) -> Option<usize> {
        let ns = self;
        let n = &ns.items[ni];
        let s = ns.sentences.get(n.sentence())?;
        // The opener stands near its items: look back a bounded stretch (linear time on a run-on
        // paragraph of thousands of shares).
        let mut from = s.span().start.max(n.span().start.saturating_sub(MAX_HEAD));
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let head = text.get(from..n.span().start)?;
        let first = s.numbers().start.max(ni.saturating_sub(LIST_BACK));
        let same_kind = |i: usize| {
            let c = &ns.items[i];
            i != ni && c.is_quantity() && c.compatible(n) && c.hi >= n.lo
        };
        if let Some(p) = head.rfind("其中") {
            let pos = from + p;
            if let Some(i) = (first..ni)
                .rev()
                .find(|&i| ns.items[i].span().end <= pos && same_kind(i))
            {
                return Some(i);
            }
            let opens = !(first..ni).any(|i| ns.items[i].span().end <= pos);
            if opens && n.sentence > 0 {
                let prev = &ns.sentences[n.sentence() - 1];
                if prev.paragraph == s.paragraph {
                    return prev.numbers().rev().find(|&i| same_kind(i));
                }
            }
            return None;
        }
        // `在…N条…中，`: the frame clause ends with 中 before the count.
        let frame_end = head.rfind("中，").or_else(|| head.rfind("中,"))?;
        let frame_start = head[..frame_end].rfind('在')?;
        let (a, b) = (from + frame_start, from + frame_end);
        if text
            .get(a..b)
            .is_some_and(|t| t.contains(['。', '；', ';']))
        {
            return None;
        }
        (first..ni)
            .rev()
            .find(|&i| ns.items[i].span().start >= a && ns.items[i].span().end <= b && same_kind(i))
    }

    /// The run of `count, 占 share` pairs around count `ni`, itself followed by a share (`A 303条，
    /// 占71.3%。B 122条，占28.7%`), as the item indices of its first and last count, step 2;
    /// `None` when the count stands alone. At most [`MAX_SIBLINGS`] pairs each way (linear on a paragraph of thousands of
    /// shares).
    pub(crate) fn share_run(
        &self,
        text: &str,
        ni: usize,
    ) -> Option<std::ops::RangeInclusive<usize>> {
        let ns = self;
        let n = ns.items.get(ni)?;
        let pair_at = |c: usize| -> bool {
            let (Some(a), Some(b)) = (ns.items.get(c), ns.items.get(c + 1)) else {
                return false;
            };
            a.is_quantity()
                && a.compatible(n)
                && b.is_rate()
                && text
                    .get(b.before())
                    .is_some_and(|w| w.trim_end().ends_with('占') || w.contains("占比"))
        };
        let para = ns.sentences[n.sentence()].paragraph();
        let in_para = |c: usize| {
            ns.items
                .get(c)
                .is_some_and(|x| ns.sentences[x.sentence()].paragraph() == para)
        };
        let mut lo = ni;
        while lo >= 2 && ni - lo < 2 * MAX_SIBLINGS && in_para(lo - 2) && pair_at(lo - 2) {
            lo -= 2;
        }
        let mut hi = ni;
        while hi - ni < 2 * MAX_SIBLINGS && in_para(hi + 2) && pair_at(hi + 2) {
            hi += 2;
        }
        (lo != hi).then_some(lo..=hi)
    }

    /// The bracket depth at `pos` in sentence `sentence`, counted on from `cursor` when it
    /// stands in the same sentence at or before `pos` (asking in text order costs the
    /// sentence's length once, not once per question).
    pub(crate) fn depth_at(
        &self,
        text: &str,
        sentence: usize,
        pos: usize,
        cursor: &mut DepthCursor,
    ) -> i32 {
        let Some(s) = self.sentences.get(sentence) else {
            return 0;
        };
        if cursor.sentence != Some(sentence) || cursor.pos > pos || cursor.pos < s.span().start {
            *cursor = DepthCursor {
                sentence: Some(sentence),
                pos: s.span().start,
                depth: i32::from(s.depth),
            };
        }
        if let Some(head) = text.get(cursor.pos..pos) {
            #[cfg(test)]
            LIST_BYTES_READ.with(|r| r.set(r.get() + head.len()));
            for c in head.chars() {
                match c {
                    '（' | '(' => cursor.depth += 1,
                    '）' | ')' => cursor.depth = (cursor.depth - 1).max(0),
                    _ => {}
                }
            }
            cursor.pos = pos;
        }
        cursor.depth
    }

    /// Reads a list of parts starting at `from` (just after `其中：` or `（其中`) in sentence
    /// `sentence`, up to `to` at most: items are separated by `，；` and by `、`; a closing
    /// bracket of the list's own level ends it, and so does a clause without any number, or
    /// one whose text before its first number makes `stop` true (a new statement such as
    /// `办结48件`). Clauses holding only a percentage (`占60%`) are comments on the previous
    /// item and are skipped. Items are the quantities at the list's bracket level.
    ///
    /// Costs the text from the sentence start to where the list ends; see
    /// [`Numbers::enumerate_at`] to read several lists of one sentence in text order.
    #[cfg(test)]
    pub(crate) fn enumerate(
        &self,
        text: &str,
        sentence: usize,
        from: usize,
        to: usize,
        stop: &dyn Fn(&str) -> bool,
    ) -> Enumeration {
        self.enumerate_at(text, sentence, from, to, stop, &mut DepthCursor::default())
    }

    /// [`Numbers::enumerate`], with the bracket depth at `from` counted on from `cursor`.
    /// Reads the text only up to where the list ends (clauses are split as they are read),
    /// and finds each clause's numbers by binary search: the cost is the list's text plus
    /// the depth cursor's advance.
    pub(crate) fn enumerate_at(
        &self,
        text: &str,
        sentence: usize,
        from: usize,
        to: usize,
        stop: &dyn Fn(&str) -> bool,
        cursor: &mut DepthCursor,
    ) -> Enumeration {
        let mut out = Enumeration::default();
        let Some(s) = self.sentences.get(sentence) else {
            return out;
        };
        let to = to.min(s.span().end);
        if from >= to || !text.is_char_boundary(from) || !text.is_char_boundary(to) {
            out.end = from;
            return out;
        }
        // The bracket depth at `from`.
        let base = self.depth_at(text, sentence, from, cursor);
        let nums = self.in_sentence(sentence);
        let first_index = s.numbers().start;
        // Each clause of the list with the strength of the separator that ends it
        // (，: 1, ；: 2, end: 3), split as the list is read.
        let mut clauses = ClauseSplit {
            at: from,
            seg_start: from,
            depth: base,
            base,
            to,
            end: None,
        };
        let mut prev_strength: Option<u8> = None;
        out.end = to;
        let mut broke = false;
        // Items separated by `，` end at a `；` (`其中维持1件，尚未审结1件；行政诉讼1件…`): the
        // list is over once a separator stronger than its own has closed an item.
        let mut own: Option<u8> = None;
        let at_base = |n: &Number| i32::from(n.depth) == base;
        let mut first_label: Option<String> = None;
        let mut si = 0usize;
        while let Some((seg, strength)) = clauses.next(text) {
            let seg = &seg;
            let strength = &strength;
            let prev = prev_strength.replace(*strength);
            if let Some(o) = own
                && prev.is_some_and(|prev| prev > o && prev < 3)
            {
                out.end = seg.start;
                broke = true;
                break;
            }
            let seg_text = &text[seg.clone()];
            if seg_text.contains("……") || seg_text.contains("...") || seg_text.contains('…') {
                out.elided = true;
            }
            // Numbers are in text order: the clause's are found by binary search.
            let lo = nums.partition_point(|n| n.span().start < seg.start);
            let hi = lo + nums[lo..].partition_point(|n| n.span().start < seg.end);
            let q: Vec<usize> = (lo..hi)
                .filter(|&i| at_base(&nums[i]) && nums[i].is_quantity())
                .collect();
            if q.is_empty() {
                let has_rate = nums[lo..hi].iter().any(|n| n.is_rate());
                if has_rate || seg_text.trim().is_empty() {
                    si += 1;
                    continue;
                }
                // Text without numbers: the list is over (`…，并顺利有序推进`).
                out.end = seg.start;
                broke = true;
                break;
            }
            let label = &text[seg.start..nums[q[0]].span().start];
            if si > 0 || !out.items.is_empty() {
                let first = first_label.as_deref().unwrap_or("");
                if stop(label) && !stop(first) {
                    out.end = seg.start;
                    broke = true;
                    break;
                }
            }
            if first_label.is_none() {
                first_label = Some(label.to_owned());
            }
            // Items inside the clause are separated by 、 at the list's level.
            let mut item_start = seg.start;
            for (k, &qi) in q.iter().enumerate() {
                let n = &nums[qi];
                if k > 0 {
                    let prev = &nums[q[k - 1]];
                    let between = &text[prev.span().end..n.span().start];
                    match between.find('、') {
                        Some(p) => item_start = prev.span().end + p + '、'.len_utf8(),
                        None => out.ambiguous = true,
                    }
                }
                let item_end = q.get(k + 1).map_or(seg.end, |&next| {
                    let nn = &nums[next];
                    text[n.span().end..nn.span().start]
                        .find('、')
                        .map_or(nn.span().start, |p| n.span().end + p)
                });
                out.items.push(ListItem {
                    number: first_index + qi,
                    span: item_start..item_end.max(item_start),
                });
            }
            own.get_or_insert(*strength);
            si += 1;
        }
        if !broke {
            out.end = clauses.end.unwrap_or(to);
        }
        // Parts written with different units (`57条`, `21篇`) are not a partition.
        let mut unit: Option<&Number> = None;
        for it in &out.items {
            let Some(n) = self.items.get(it.number) else {
                continue;
            };
            if n.unit().is_none() {
                continue;
            }
            match unit {
                None => unit = Some(n),
                Some(u) if u.base_unit() != n.base_unit() || u.kind != n.kind => {
                    out.mixed_units = true;
                }
                Some(_) => {}
            }
        }
        out
    }
}

#[cfg(test)]
thread_local! {
    /// Bytes of text read by [`Numbers::depth_at`] and the clause splitter: the work of reading
    /// lists, counted so that tests can bound it.
    pub(crate) static LIST_BYTES_READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Where [`Numbers::depth_at`] last counted the bracket depth.
#[derive(Clone, Debug, Default)]
pub(crate) struct DepthCursor {
    sentence: Option<usize>,
    pos: usize,
    depth: i32,
}

/// The clauses of a list, split at `，；：` of the list's bracket level as they are asked for:
/// a list that ends early leaves the rest of the sentence unread.
struct ClauseSplit {
    /// Where the next character to read stands.
    at: usize,
    seg_start: usize,
    depth: i32,
    base: i32,
    to: usize,
    /// Where the list ended (a closing bracket of its level, or `to`), once read that far.
    end: Option<usize>,
}

impl ClauseSplit {
    fn next(&mut self, text: &str) -> Option<(Range<usize>, u8)> {
        if self.end.is_some() {
            return None;
        }
        let region = text.get(self.at..self.to).unwrap_or("");
        for (i, c) in region.char_indices() {
            let pos = self.at + i;
            #[cfg(test)]
            LIST_BYTES_READ.with(|r| r.set(r.get() + c.len_utf8()));
            match c {
                '（' | '(' => self.depth += 1,
                '）' | ')' => {
                    if self.depth == self.base {
                        self.end = Some(pos);
                        return (self.seg_start < pos).then_some((self.seg_start..pos, 3));
                    }
                    self.depth -= 1;
                }
                '，' | ',' | '；' | ';' | '：' | ':' if self.depth == self.base => {
                    let strength = if matches!(c, '；' | ';') { 2 } else { 1 };
                    let seg = self.seg_start..pos;
                    self.seg_start = pos + c.len_utf8();
                    self.at = self.seg_start;
                    return Some((seg, strength));
                }
                _ => {}
            }
        }
        self.end = Some(self.to);
        (self.seg_start < self.to).then_some((self.seg_start..self.to, 3))
    }
}

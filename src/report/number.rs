//! Numbers in the text: every number with its span, its value and how it was written, and the
//! sentence and clause it stands in. This is the one place that reads numbers; the prose
//! arithmetic kinds (`rate`, `inline_total`) and the text-against-table checks ask it.
//!
//! What is read:
//! - Arabic and full-width digits, thousands separators (`1,234`), decimals (`97.06`);
//!   Chinese numerals (`一百二十`, `两千三`, `十二万三千`, via [`cn::parse_int`]) — a Chinese
//!   numeral is only a number when a unit, `%`-word or `成` follows it, so `十九大`, `三公经费`
//!   and `一级抓一级` are words, not numbers;
//! - `万`/`亿` multipliers (`1.2万`, `3.18亿元`);
//! - approximations, each with the interval of true values it allows: `余`/`多`/`以上`/`超`
//!   (at least), `约`/`左右` (about), `近`/`不足` (at most), `数`/`几` (vague); a number with a
//!   multiplier and decimals is rounded (`1.2万` allows 11,500–12,500);
//! - percentages (`97%`, `97.06％`, `百分之九十七点六`) with the precision they were written at;
//!   shares (`八成`, `超八成`); percentage points (`3个百分点`);
//! - units (`件`, `条`, `次`, `篇`, `人`, `个`, `家`, `万元`, `元`, …).
//!
//! Recognised as such and never taken for counts: years (`2018年`, `二〇一八年`), dates (the
//! spans [`meta::find_dates`] found), month and day parts (`12月6日`), phone numbers, postcodes,
//! e-mail addresses and websites (the spans [`contact`] found), document numbers
//! (`〔2021〕30号`, `第711号`), article numbers (`第五十条`), ordinals (`一、`, `（一）`, `1.`,
//! `一是`, `第一`), codes (`640122-150/2018-93016`) and numbers used as names (`“51890”`,
//! `12345热线`, numbers inside `《》`).
//!
//! Text lines broken by PDF extraction in the middle of a sentence (seed 000: `…公开2200` /
//! blank lines / `余条。`) are joined into one paragraph, so a number keeps its unit and a
//! sentence its numbers. Table rows (tab-separated or Markdown, [`LineKind::Table`]) are not
//! read here: their cells belong to the statistical tables reader; these are the numbers of
//! the prose, which the tables are compared with.
//!
//! One linear pass over each paragraph; no regular expressions.
//!
//! [`contact`]: super::contact
//! [`meta::find_dates`]: super::meta::find_dates

use super::cn;
use super::contact::Contacts;
use super::meta;
use super::span::{ByteSpan, narrow};
use super::{LineKind, Lines};
use std::ops::Range;

/// What a number is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A count: with a counting unit (`68件`, `11个`) or none (`其他856`).
    Count,
    /// An amount of money (`元`, `万元`, `亿元`); the value is in 元.
    Money,
    /// Area, length, weight, score (`5.2万亩`, `3.2公里`, `5分`).
    Measure,
    /// A length of time (`24小时`, `3个月`, `15个工作日`).
    Duration,
    /// A percentage (`97%`, `百分之九十七点六`); the value is in percent.
    Percent,
    /// A share in tenths (`八成`); the value is in percent (80).
    Share,
    /// Percentage points (`提高3个百分点`).
    PercentPoint,
    /// A multiple (`2倍`).
    Multiple,
    /// A year (`2018年`, `二〇一八年`).
    Year,
    /// A calendar date or part of one (`2018年3月1日`, `12月6日`).
    Date,
    Phone,
    Postcode,
    /// A document number, house number, index number, URL or e-mail part.
    Code,
    /// An article, clause or item of a law (`第五十条`, `第（一）项` is an [`Kind::Ordinal`]).
    Article,
    /// A heading or list ordinal (`一、`, `（一）`, `1.`, `一是`, `第一`).
    Ordinal,
    /// A number used as a name (`“51890”来访件`, `12345热线`, in `《》`).
    Name,
}

/// How exactly a number was meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Approx {
    Exact,
    /// Rounded to the digits written (`1.2万`).
    Rounded,
    /// `余`, `多`, `以上`, `超`, `逾`, `至少`.
    AtLeast,
    /// `约`, `左右`, `上下`, `大约`.
    About,
    /// `近`, `将近`, `接近`, `不足`, `不到`.
    AtMost,
    /// `数十`, `几百`, `上百`: no usable value.
    Vague,
}

/// The script the digits were written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Script {
    Arabic,
    FullWidth,
    Chinese,
}

/// One number in the text, in 64 bytes: a file of numbers has millions (issue 13), so the
/// byte ranges are `u32` offsets ([`super::span`]), the unit an index into the unit table, and
/// `before`/`after` are stored by the end they do not share with `span`.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    span: ByteSpan,
    digits: ByteSpan,
    /// The value in the base unit (万 applied; money in 元; percent and shares in percent).
    pub value: f64,
    /// The interval of true values the writing allows (`lo == hi == value` when exact; `hi` may
    /// be infinite for `以上`). Half-open (`hi` excluded) for `余`/`多` (`500余` is below 600)
    /// and for percentages (the rounding interval); see [`Number::hi_open`].
    pub lo: f64,
    pub hi: f64,
    sentence: u32,
    clause: u32,
    /// Where [`Number::before`] starts and [`Number::after`] ends (`context` false: not read).
    before_start: u32,
    after_end: u32,
    /// Digits written after the decimal point.
    pub decimals: u8,
    pub kind: Kind,
    pub approx: Approx,
    pub script: Script,
    /// Bracket depth at the number (`（其中…25…）` → 1).
    pub depth: u8,
    /// 0 for none, else 1 + the index in [`UNITS`].
    unit: u8,
    /// Whether `before` and `after` were read (the number's clause was found).
    context: bool,
}

/// The unit index of [`Number`] is a `u8`.
const _: () = assert!(UNITS.len() < u8::MAX as usize);

impl Number {
    /// An exact number over `span` with no unit, sentence, clause or context yet (the scanner
    /// fills those in).
    fn plain(
        span: Range<usize>,
        digits: Range<usize>,
        value: f64,
        decimals: u8,
        kind: Kind,
        script: Script,
    ) -> Number {
        Number {
            span: ByteSpan::new(span),
            digits: ByteSpan::new(digits),
            value,
            lo: value,
            hi: value,
            sentence: 0,
            clause: 0,
            before_start: 0,
            after_end: 0,
            decimals,
            kind,
            approx: Approx::Exact,
            script,
            depth: 0,
            unit: 0,
            context: false,
        }
    }

    /// As written: approximation words, digits, multiplier, `%`, unit (`约1.2万条`). Never
    /// crosses a line: a unit on the next line after a page break is read but not spanned.
    #[inline]
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// The digits (or Chinese numeral) only.
    #[inline]
    pub fn digits(&self) -> Range<usize> {
        self.digits.range()
    }

    /// Index into [`Numbers::sentences`].
    #[inline]
    pub fn sentence(&self) -> usize {
        self.sentence as usize
    }

    /// Index into the clauses ([`Numbers::clause`]).
    #[inline]
    pub fn clause(&self) -> usize {
        self.clause as usize
    }

    /// The text before the number in its clause, back to the previous number (names such as
    /// `“51890”` do not cut it): what is counted (`办结`, `共收到来访件`).
    #[inline]
    pub fn before(&self) -> Range<usize> {
        if self.context {
            self.before_start as usize..self.span.start()
        } else {
            0..0
        }
    }

    /// The text after the number in its clause, up to the next number (`件已办结`).
    #[inline]
    pub fn after(&self) -> Range<usize> {
        if self.context {
            self.span.end()..self.after_end as usize
        } else {
            0..0
        }
    }

    /// The unit as written (`件`, `万元`); `None` for bare numbers, percentages, years…
    #[inline]
    pub fn unit(&self) -> Option<&'static str> {
        self.unit
            .checked_sub(1)
            .and_then(|i| UNITS.get(usize::from(i)))
            .map(|u| u.text)
    }

    /// A quantity that can be added or divided: counts, money, measures.
    pub fn is_quantity(&self) -> bool {
        matches!(self.kind, Kind::Count | Kind::Money | Kind::Measure)
            && self.approx != Approx::Vague
    }

    /// A percentage or a share (`97%`, `八成`).
    pub fn is_rate(&self) -> bool {
        matches!(self.kind, Kind::Percent | Kind::Share)
    }

    /// The unit quantities are compared in: `元` for all money, else the unit as written.
    pub fn base_unit(&self) -> Option<&'static str> {
        match self.kind {
            Kind::Money => Some("元"),
            _ => self.unit(),
        }
    }

    /// Whether two quantities can be added or compared: the same base unit (`万元` and `元`
    /// are both money), or one of them written without a unit (`其他856` in a list of `条`).
    pub fn compatible(&self, other: &Number) -> bool {
        match (self.base_unit(), other.base_unit()) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }

    /// Whether `hi` itself is excluded (`500余` < 600, `97%` < 97.5).
    pub fn hi_open(&self) -> bool {
        self.hi.is_finite()
            && (self.is_rate() || self.approx == Approx::AtLeast)
            && self.hi > self.lo
    }

    pub fn is_exact(&self) -> bool {
        self.approx == Approx::Exact
    }

    /// The number as written, without white space and without a trailing counting unit:
    /// `68`, `11280余`, `约1.2万`, `97.06%`, `300万元` (money keeps its unit).
    pub fn written(&self, text: &str) -> String {
        let mut s: String = text
            .get(self.span())
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if let Some(u) = self.unit()
            && self.kind != Kind::Money
            && s.ends_with(u)
        {
            s.truncate(s.len() - u.len());
        }
        // `2200` / page break / `余条` (seed 000): the span stops at the line, the reading
        // does not.
        if self.approx == Approx::AtLeast && !s.contains(['余', '多', '以', '超', '逾', '至', '之'])
        {
            s.push('余');
        }
        if s.is_empty() { self.display() } else { s }
    }

    /// The factor from the written unit to the base unit (`万元` → 10,000).
    pub fn unit_scale(&self) -> f64 {
        match self.unit() {
            Some("亿元") => 100_000_000.0,
            Some("万元") => 10_000.0,
            Some("千元") => 1_000.0,
            _ => 1.0,
        }
    }

    /// The number as a reader would repeat it: `68`, `11280余`, `约1.2万`, `97.06%`.
    pub fn display(&self) -> String {
        let v = match self.kind {
            Kind::Percent | Kind::Share => format_decimal(self.value, self.decimals),
            _ => format_decimal(self.value, self.decimals.min(4)),
        };
        let v = if self.kind == Kind::Percent || self.kind == Kind::Share {
            format!("{v}%")
        } else {
            v
        };
        match self.approx {
            Approx::Exact | Approx::Rounded | Approx::Vague => v,
            Approx::AtLeast => format!("{v}余"),
            Approx::About => format!("约{v}"),
            Approx::AtMost => format!("近{v}"),
        }
    }
}

/// Formats a value with exactly `decimals` decimals (`97.06`, `66`).
pub fn format_decimal(v: f64, decimals: u8) -> String {
    format!("{:.*}", usize::from(decimals), v)
}

/// A sentence (or a table row), ended by `。！？` or the end of its paragraph; 32 bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    span: ByteSpan,
    paragraph: u32,
    numbers: (u32, u32),
    clauses: (u32, u32),
    /// Bracket depth where the sentence starts.
    pub depth: u8,
}

impl Sentence {
    #[inline]
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// Paragraphs are numbered in order; sentences of one paragraph share the number.
    #[inline]
    pub fn paragraph(&self) -> usize {
        self.paragraph as usize
    }

    /// Indices into [`Numbers::items`].
    #[inline]
    pub fn numbers(&self) -> Range<usize> {
        self.numbers.0 as usize..self.numbers.1 as usize
    }

    /// Indices of the clauses ([`Numbers::clause`]).
    #[inline]
    pub fn clauses(&self) -> Range<usize> {
        self.clauses.0 as usize..self.clauses.1 as usize
    }
}

/// Every number in a report, in text order, with the sentences and clauses around them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Numbers {
    pub items: Vec<Number>,
    pub sentences: Vec<Sentence>,
    /// Clauses: parts of a sentence between `，；：` (cells of a table row).
    clauses: Vec<ByteSpan>,
}

/// How many numbers back [`Numbers::list_parent`] looks for a list's parent total.
const LIST_BACK: usize = 32;

/// How far (bytes) before a count its list's opener (`其中`, `在…中`) is looked for.
const MAX_HEAD: usize = 600;

/// How many `count, share` pairs on each side make a run of sibling shares.
const MAX_SIBLINGS: usize = 64;

/// One item of an enumeration (`其中A 10件、B 20件`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    /// Index into [`Numbers::items`] of the item's quantity.
    pub number: usize,
    /// The item's text, from the previous separator to the next.
    pub span: Range<usize>,
}

/// The items of a list read by [`Numbers::enumerate`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Enumeration {
    pub items: Vec<ListItem>,
    /// Where the list ended (exclusive).
    pub end: usize,
    /// An item held two quantities not separated by `、`: the list cannot be read as parts.
    pub ambiguous: bool,
    /// Quantities whose units differ from the first item's: the list is not a partition.
    pub mixed_units: bool,
    /// The list contains `……` or `...`: items were left out.
    pub elided: bool,
}

impl Numbers {
    /// Clause `i`: a part of a sentence between `，；：` (a cell of a table row).
    #[inline]
    pub fn clause(&self, i: usize) -> Option<Range<usize>> {
        self.clauses.get(i).map(|c| c.range())
    }

    /// The numbers of a sentence.
    pub fn in_sentence(&self, s: usize) -> &[Number] {
        self.sentences
            .get(s)
            .and_then(|s| self.items.get(s.numbers()))
            .unwrap_or(&[])
    }

    /// The sentence containing a byte offset, if any.
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span().end <= pos);
        self.sentences
            .get(i)
            .filter(|s| s.span().start <= pos)
            .map(|_| i)
    }

    /// The clause containing a byte offset, if any.
    pub fn clause_at(&self, pos: usize) -> Option<usize> {
        let i = self.clauses.partition_point(|c| c.end() < pos);
        self.clauses.get(i).filter(|c| c.start() <= pos).map(|_| i)
    }

    /// The stated parent total of the list that count `ni` belongs to: `主动公开信息620条，其中
    /// 部门公开410条，占66.1%` (the nearest count of the same kind before `其中`, in the sentence or,
    /// when `其中` opens the sentence, in the previous sentence of the paragraph), or `在主动公开的
    /// 620条信息中，A类150条，占24.2%` (a count in a clause `在…中` before it).
    pub fn list_parent(&self, text: &str, ni: usize) -> Option<usize> {
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
    pub fn share_run(&self, text: &str, ni: usize) -> Option<std::ops::RangeInclusive<usize>> {
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
    pub fn depth_at(
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
    pub fn enumerate(
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
    pub fn enumerate_at(
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
pub struct DepthCursor {
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

/// A unit of measure after a number: how it is written, the kind of number it makes, and the
/// factor to the base unit.
struct UnitDef {
    text: &'static str,
    /// The first character of `text`, compared before the rest.
    first: char,
    kind: Kind,
    scale: f64,
    /// Also after a Chinese numeral (`十分` is an adverb, not 10 points).
    chinese: bool,
}

const fn u(text: &'static str, kind: Kind, scale: f64, chinese: bool) -> UnitDef {
    UnitDef {
        text,
        first: first_char(text),
        kind,
        scale,
        chinese,
    }
}

/// The first character of a non-empty string, in a `const` context.
const fn first_char(s: &str) -> char {
    let b = s.as_bytes();
    // Units are CJK characters (3 bytes in UTF-8) or ASCII.
    let c = if b[0] < 0x80 {
        b[0] as u32
    } else {
        ((b[0] as u32 & 0x0f) << 12) | ((b[1] as u32 & 0x3f) << 6) | (b[2] as u32 & 0x3f)
    };
    match char::from_u32(c) {
        Some(c) => c,
        None => '\0',
    }
}

/// Longest first where one unit is a prefix of another (`人次` before `人`).
const UNITS: &[UnitDef] = &[
    u("个工作日", Kind::Duration, 1.0, true),
    u("平方公里", Kind::Measure, 1.0, true),
    u("平方米", Kind::Measure, 1.0, true),
    u("立方米", Kind::Measure, 1.0, true),
    u("个月", Kind::Duration, 1.0, true),
    u("工作日", Kind::Duration, 1.0, true),
    u("亿元", Kind::Money, 100_000_000.0, true),
    u("万元", Kind::Money, 10_000.0, true),
    u("千元", Kind::Money, 1_000.0, true),
    u("人次", Kind::Count, 1.0, true),
    u("件次", Kind::Count, 1.0, true),
    u("户次", Kind::Count, 1.0, true),
    u("台次", Kind::Count, 1.0, true),
    u("条次", Kind::Count, 1.0, true),
    u("场次", Kind::Count, 1.0, true),
    u("篇次", Kind::Count, 1.0, true),
    u("期次", Kind::Count, 1.0, true),
    u("小时", Kind::Duration, 1.0, true),
    u("分钟", Kind::Duration, 1.0, true),
    u("公里", Kind::Measure, 1.0, true),
    u("千米", Kind::Measure, 1.0, true),
    u("公顷", Kind::Measure, 1.0, true),
    u("公斤", Kind::Measure, 1.0, true),
    u("千克", Kind::Measure, 1.0, true),
    u("元", Kind::Money, 1.0, true),
    u("件", Kind::Count, 1.0, true),
    u("条", Kind::Count, 1.0, true),
    u("次", Kind::Count, 1.0, true),
    u("篇", Kind::Count, 1.0, true),
    u("人", Kind::Count, 1.0, true),
    u("个", Kind::Count, 1.0, true),
    u("家", Kind::Count, 1.0, true),
    u("项", Kind::Count, 1.0, true),
    u("份", Kind::Count, 1.0, true),
    u("期", Kind::Count, 1.0, true),
    u("场", Kind::Count, 1.0, true),
    u("名", Kind::Count, 1.0, true),
    u("户", Kind::Count, 1.0, true),
    u("处", Kind::Count, 1.0, true),
    u("栋", Kind::Count, 1.0, true),
    u("所", Kind::Count, 1.0, true),
    u("位", Kind::Count, 1.0, true),
    u("封", Kind::Count, 1.0, true),
    u("批", Kind::Count, 1.0, true),
    u("起", Kind::Count, 1.0, true),
    u("宗", Kind::Count, 1.0, true),
    u("例", Kind::Count, 1.0, true),
    u("类", Kind::Count, 1.0, true),
    u("种", Kind::Count, 1.0, true),
    u("套", Kind::Count, 1.0, true),
    u("本", Kind::Count, 1.0, true),
    u("册", Kind::Count, 1.0, true),
    u("张", Kind::Count, 1.0, true),
    u("块", Kind::Count, 1.0, true),
    u("幅", Kind::Count, 1.0, true),
    u("部", Kind::Count, 1.0, true),
    u("辆", Kind::Count, 1.0, true),
    u("台", Kind::Count, 1.0, true),
    u("亩", Kind::Measure, 1.0, true),
    u("米", Kind::Measure, 1.0, true),
    u("吨", Kind::Measure, 1.0, true),
    u("分", Kind::Measure, 1.0, false),
    u("天", Kind::Duration, 1.0, true),
    u("周", Kind::Duration, 1.0, false),
    u("日", Kind::Duration, 1.0, false),
    u("年", Kind::Duration, 1.0, true),
    u("倍", Kind::Multiple, 1.0, true),
];

/// Chinese idioms that start with a numeral and a unit but are not counts.
const IDIOMS: &[&str] = &["一次性", "一条龙", "一件事", "一站式", "一成不变"];

/// Spans found by other readers (dates, contact details) that are numbers of a known kind.
struct Known {
    span: Range<usize>,
    kind: Kind,
}

/// Reads every number of the text.
///
/// `breaks_before[i]` is true when line `i` starts a new paragraph even if the previous line
/// ran on (a heading or a numbered paragraph); `no_join[i]` when line `i` never runs on into
/// the next (the title, a short heading).
pub fn build(
    text: &str,
    lines: &Lines,
    starts_block: &[bool],
    no_join: &[bool],
    contacts: &Contacts,
) -> Numbers {
    let mut known: Vec<Known> = Vec::new();
    known.extend(contacts.phones.iter().map(|p| Known {
        span: p.span.clone(),
        kind: Kind::Phone,
    }));
    known.extend(contacts.postcodes.iter().map(|p| Known {
        span: p.span.clone(),
        kind: Kind::Postcode,
    }));
    known.extend(contacts.emails.iter().map(|e| Known {
        span: e.span.clone(),
        kind: Kind::Code,
    }));
    known.extend(contacts.websites.iter().map(|w| Known {
        span: w.clone(),
        kind: Kind::Code,
    }));
    known.sort_by_key(|k| (k.span.start, std::cmp::Reverse(k.span.end)));

    let mut out = Numbers::default();
    // Prose has a number every 50–100 bytes and a clause every 20–40.
    out.items.reserve(text.len() / 64);
    out.clauses.reserve(text.len() / 32);
    let mut scanner = Scanner {
        text,
        known: &known,
        known_at: 0,
        out: &mut out,
        paragraph: 0,
    };
    let mut i = 0;
    // Each character of a paragraph with its byte offset: 8 bytes a character (a paragraph
    // can be the whole file, `sentence-3mb.txt`), reserved at the paragraph's character count.
    let mut buf: Vec<(u32, char)> = Vec::new();
    while i < lines.len() {
        let l = &lines[i];
        match l.kind() {
            LineKind::Blank => {
                i += 1;
                continue;
            }
            LineKind::Table => {
                i += 1;
                continue;
            }
            LineKind::Text => {}
        }
        buf.clear();
        let mut cur = i;
        loop {
            let lc = &lines[cur];
            let line = &text[lc.content()];
            buf.reserve(line.chars().count());
            let base = lc.content().start;
            buf.extend(line.char_indices().map(|(o, c)| (narrow(base + o), c)));
            match next_run_on(text, lines, cur, starts_block, no_join) {
                Some(j) => cur = j,
                None => break,
            }
        }
        scanner.paragraph(&buf);
        i = cur + 1;
    }
    // Kept for the whole check of the file: no spare capacity.
    out.items.shrink_to_fit();
    out.sentences.shrink_to_fit();
    out.clauses.shrink_to_fit();
    out
}

/// The line the paragraph on line `cur` continues on, if it was broken mid-sentence by a page
/// break (seed 000): `cur` is long prose without closing punctuation, and after at most a few
/// blank lines comes a text line that does not start a new block.
fn next_run_on(
    text: &str,
    lines: &Lines,
    cur: usize,
    starts_block: &[bool],
    no_join: &[bool],
) -> Option<usize> {
    if no_join.get(cur).copied().unwrap_or(false) {
        return None;
    }
    let content = &text[lines[cur].content()];
    // Short lines (titles, signatures) never run on.
    content.chars().nth(19)?;
    let last = content.chars().last()?;
    if matches!(
        last,
        '。' | '！' | '？' | '!' | '?' | '；' | ';' | '：' | ':' | '）' | ')' | '”' | '】'
    ) {
        return None;
    }
    let mut j = cur + 1;
    while j < lines.len() && j <= cur + 6 {
        match lines[j].kind() {
            LineKind::Blank => j += 1,
            LineKind::Text if !starts_block.get(j).copied().unwrap_or(false) => return Some(j),
            _ => return None,
        }
    }
    None
}

struct Scanner<'t, 'o> {
    text: &'t str,
    known: &'t [Known],
    known_at: usize,
    out: &'o mut Numbers,
    paragraph: usize,
}

/// Characters the scanner acts on: digits, Chinese numerals, `第`, sentence and clause
/// punctuation, brackets. A bit per character of the Basic Multilingual Plane.
static INTERESTING: [u64; 1024] = {
    const CHARS: &str = "0123456789０１２３４５６７８９〇零○Ｏ一壹二两贰三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿第\
        。！？!?，,；;：:\t|（(）)《》";
    let mut t = [0u64; 1024];
    let b = CHARS.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Decode UTF-8 by hand (const context): 1- or 3-byte characters only.
        let (c, len) = if b[i] < 0x80 {
            (b[i] as usize, 1)
        } else {
            (
                ((b[i] as usize & 0x0f) << 12)
                    | ((b[i + 1] as usize & 0x3f) << 6)
                    | (b[i + 2] as usize & 0x3f),
                3,
            )
        };
        t[c >> 6] |= 1 << (c & 63);
        i += len;
    }
    t
};

fn interesting(c: char) -> bool {
    let u = c as usize;
    u < 0x10000 && INTERESTING[u >> 6] & (1 << (u & 63)) != 0
}

fn is_digit(c: char) -> bool {
    cn::ascii_digit(c).is_some()
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || c == '\u{a0}'
}

fn is_clause_sep(c: char) -> bool {
    matches!(c, '，' | ',' | '；' | ';' | '：' | ':' | '\t' | '|')
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?')
}

impl Scanner<'_, '_> {
    /// Scans one paragraph given as (byte offset, char) pairs.
    fn paragraph(&mut self, cs: &[(u32, char)]) {
        if cs.is_empty() {
            return;
        }

        let end_of = |k: usize| -> usize {
            match cs.get(k) {
                Some(&(o, _)) => o as usize,
                None => cs.last().map_or(0, |&(o, c)| o as usize + c.len_utf8()),
            }
        };
        let first_number = self.out.items.len();
        let mut sent_start = cs[0].0 as usize;
        let mut sent_numbers = first_number;
        let mut sent_clauses = self.out.clauses.len();
        let mut sent_depth = 0u8;
        let mut clause_start = cs[0].0 as usize;
        let mut clause_k = 0usize;
        let mut depth = 0u8;
        let mut book = 0u8;
        let mut k = 0usize;
        while k < cs.len() {
            let (off, c) = (cs[k].0 as usize, cs[k].1);
            // Most characters neither start a number nor end a clause or bracket: skip them at
            // once (this loop runs over every character of every report).
            if !interesting(c) {
                k += 1 + cs[k + 1..]
                    .iter()
                    .take_while(|&&(_, c)| !interesting(c))
                    .count();
                continue;
            }
            // Spans other readers recognised.
            while self.known_at < self.known.len() && self.known[self.known_at].span.end <= off {
                self.known_at += 1;
            }
            if let Some(kn) = self.known.get(self.known_at)
                && kn.span.start <= off
                && (is_digit(c) || cn::digit(c).is_some())
            {
                let start_k = k;
                while k < cs.len() && (cs[k].0 as usize) < kn.span.end {
                    k += 1;
                }
                let span = kn.span.start.max(cs[start_k].0 as usize)..end_of(k).min(kn.span.end);
                let mut n = Number::plain(span.clone(), span, 0.0, 0, kn.kind, Script::Arabic);
                n.depth = depth;
                n.sentence = narrow(self.out.sentences.len());
                self.push_raw(n);
                continue;
            }
            if is_sentence_end(c) {
                let end = off + c.len_utf8();
                self.out.clauses.push(ByteSpan::new(clause_start..off));
                self.close_sentence(sent_start..end, sent_numbers, sent_clauses, sent_depth);
                k += 1;
                sent_start = end_of(k);
                clause_start = sent_start;
                clause_k = k;
                sent_numbers = self.out.items.len();
                sent_clauses = self.out.clauses.len();
                sent_depth = depth;
                continue;
            }
            if is_clause_sep(c) {
                self.out.clauses.push(ByteSpan::new(clause_start..off));
                k += 1;
                clause_start = end_of(k);
                clause_k = k;
                continue;
            }
            match c {
                '（' | '(' | '〔' | '[' | '［' | '【' => {
                    if matches!(c, '（' | '(') {
                        depth = depth.saturating_add(1);
                    }
                    k += 1;
                    continue;
                }
                '）' | ')' => {
                    depth = depth.saturating_sub(1);
                    k += 1;
                    continue;
                }
                '《' => {
                    book = book.saturating_add(1);
                    k += 1;
                    continue;
                }
                '》' => {
                    book = book.saturating_sub(1);
                    k += 1;
                    continue;
                }
                _ => {}
            }
            let ctx = Ctx {
                cs,
                clause_k,
                depth,
                book,
            };
            if let Some((n, next)) = self.read_date(&ctx, k) {
                self.push_raw(n);
                k = next;
                continue;
            }
            if let Some((n, next)) = self.read_number(&ctx, k) {
                if let Some(n) = n {
                    self.push_raw(n);
                }
                let next = next.max(k + 1);
                // An ordinal read with its brackets (`（一）`) closes what it opened: keep the
                // depth of the rest of the paragraph right (corpus 010).
                for &(_, c) in &cs[k..next.min(cs.len())] {
                    match c {
                        '（' | '(' => depth = depth.saturating_add(1),
                        '）' | ')' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
                k = next;
                continue;
            }
            k += 1;
        }
        let end = end_of(cs.len());
        if clause_start < end {
            self.out.clauses.push(ByteSpan::new(clause_start..end));
        }
        if sent_start < end {
            self.close_sentence(sent_start..end, sent_numbers, sent_clauses, sent_depth);
        }
        self.fill_context(self.text, first_number);
        self.paragraph += 1;
    }

    fn close_sentence(&mut self, span: Range<usize>, numbers: usize, clauses: usize, depth: u8) {
        let idx = narrow(self.out.sentences.len());
        for n in &mut self.out.items[numbers..] {
            n.sentence = idx;
        }
        self.out.sentences.push(Sentence {
            span: ByteSpan::new(span),
            paragraph: narrow(self.paragraph),
            numbers: (narrow(numbers), narrow(self.out.items.len())),
            clauses: (narrow(clauses), narrow(self.out.clauses.len())),
            depth,
        });
    }

    fn push_raw(&mut self, mut n: Number) {
        n.clause = narrow(self.out.clauses.len());
        self.out.items.push(n);
    }

    /// Fills `before` and `after` of the paragraph's numbers from their clauses.
    fn fill_context(&mut self, text: &str, first: usize) {
        let clauses = &self.out.clauses;
        let items = &mut self.out.items;
        let len = items.len();
        for i in first..len {
            let Some(cl) = clauses.get(items[i].clause()).map(|c| c.range()) else {
                continue;
            };
            let mut b = cl.start;
            for j in (first..i).rev() {
                if items[j].clause != items[i].clause {
                    break;
                }
                if items[j].kind != Kind::Name {
                    b = b.max(items[j].span.end());
                    break;
                }
            }
            let mut a = cl.end;
            for j in i + 1..len {
                if items[j].clause != items[i].clause {
                    break;
                }
                if items[j].kind != Kind::Name {
                    a = a.min(items[j].span.start());
                    break;
                }
            }
            let s = items[i].span();
            // `68件、办结66件`: what follows 、 is the next item's, not this number's.
            if let Some(p) = text.get(s.end..a.max(s.end)).and_then(|t| t.find('、')) {
                a = s.end + p;
            }
            items[i].before_start = narrow(b.min(s.start));
            items[i].after_end = narrow(a.max(s.end));
            items[i].context = true;
        }
    }

    /// A calendar date starting at `k`, as [`meta::find_dates`] reads it. The date reader
    /// runs only where a year starts (four digits before `年`, `-`, `/` or `.`), so that the
    /// text is not scanned twice.
    fn read_date(&self, ctx: &Ctx, k: usize) -> Option<(Number, usize)> {
        let arabic = (0..4).all(|i| ctx.at(k + i).is_some_and(is_digit));
        let chinese = (0..4).all(|i| ctx.at(k + i).and_then(cn::digit).is_some());
        if !(arabic || chinese)
            || ctx
                .at(k + 4)
                .is_some_and(|c| is_digit(c) || cn::digit(c).is_some())
        {
            return None;
        }
        if k > 0
            && ctx
                .at(k - 1)
                .is_some_and(|c| is_digit(c) || c.is_ascii_alphabetic())
        {
            return None;
        }
        // A month must follow: `2018年3月`, `2018-12-10` (a year alone is left to the number
        // reader, and the date reader's regular expressions are not run for it).
        let next = ctx.next_nonspace(k + 4);
        let month_follows = |j: usize| {
            ctx.next_nonspace(j + 1)
                .is_some_and(|(_, c)| is_digit(c) || cn::digit(c).is_some() || c == '十')
        };
        let plausible = match next {
            Some((j, '年')) => month_follows(j),
            Some((j, '-' | '/' | '.' | '．' | '－')) => arabic && month_follows(j),
            _ => false,
        };
        if !plausible {
            return None;
        }
        let start = ctx.off(k);
        let end = ctx.off((k + 24).min(ctx.cs.len()));
        let window = self.text.get(start..end)?;
        let d = meta::find_dates(window, start).into_iter().next()?;
        if d.span.start != start {
            return None;
        }
        let mut j = k;
        while j < ctx.cs.len() && (ctx.cs[j].0 as usize) < d.span.end {
            j += 1;
        }
        let mut n = self.make(
            ctx,
            k,
            j,
            k,
            k + 4,
            f64::from(d.year),
            0,
            Kind::Date,
            if arabic {
                Script::Arabic
            } else {
                Script::Chinese
            },
        );
        n.span = ByteSpan::new(d.span.clone());
        Some((n, j))
    }

    /// Tries to read a number starting at `k`; returns it (or `None` for a numeral that
    /// turned out to be part of a word) and the index after what was read.
    fn read_number(&self, ctx: &Ctx, k: usize) -> Option<(Option<Number>, usize)> {
        let cs = ctx.cs;
        let c = cs[k].1;
        if c == '第' {
            return self.read_ordinal_di(ctx, k).map(|(n, e)| (Some(n), e));
        }
        if c == '百' && ctx.at(k + 1) == Some('分') && ctx.at(k + 2) == Some('之') {
            return self.read_percent_words(ctx, k).map(|(n, e)| (Some(n), e));
        }
        if is_digit(c) {
            // Digits glued to letters or other digits belong to a code (URL, e-mail, index
            // number), not a count.
            if let Some(p) = k.checked_sub(1).map(|p| cs[p].1)
                && (p.is_ascii_alphanumeric()
                    || matches!(p, '@' | '/' | '_' | '-' | '.' | '\\' | '#' | '='))
            {
                let end = ctx.skip_code(k);
                return Some((Some(self.simple(ctx, k, end, Kind::Code)), end));
            }
            return self.read_arabic(ctx, k).map(|(n, e)| (Some(n), e));
        }
        if cn::is_numeral_char(c) {
            return self.read_chinese(ctx, k);
        }
        None
    }

    fn simple(&self, ctx: &Ctx, from: usize, to: usize, kind: Kind) -> Number {
        let span = ctx.off(from)..ctx.end(to);
        let mut n = Number::plain(span.clone(), span, 0.0, 0, kind, Script::Arabic);
        n.depth = ctx.depth;
        n
    }

    fn read_arabic(&self, ctx: &Ctx, k: usize) -> Option<(Number, usize)> {
        let mut j = k;
        // All digits read, integer and decimal, as one integer (`97.06` → 9706, 2 decimals);
        // `None` once it no longer fits (a run of 39 digits is no count).
        let mut mant: Option<u128> = Some(0);
        let mut full_width = false;
        let mut int_len = 0usize;
        let mut since_sep = 0usize;
        let mut grouped = false;
        while let Some(c) = ctx.at(j) {
            if let Some(d) = cn::ascii_digit(c) {
                full_width |= !c.is_ascii_digit();
                mant = mant.and_then(|m| m.checked_mul(10)?.checked_add(u128::from(d)));
                int_len += 1;
                since_sep += 1;
                j += 1;
            } else if c == ','
                && (if grouped {
                    since_sep == 3
                } else {
                    (1..=3).contains(&since_sep)
                })
                && (1..=3).all(|d| ctx.at(j + d).is_some_and(is_digit))
                && !ctx.at(j + 4).is_some_and(is_digit)
            {
                // Thousands separator: `1,234`, `12,345,678`.
                grouped = true;
                since_sep = 0;
                j += 1;
            } else {
                break;
            }
        }
        let mut decimals = 0u8;
        if matches!(ctx.at(j), Some('.' | '．')) && ctx.at(j + 1).is_some_and(is_digit) {
            j += 1;
            while let Some(d) = ctx.at(j).and_then(cn::ascii_digit) {
                mant = mant.and_then(|m| m.checked_mul(10)?.checked_add(u128::from(d)));
                decimals = decimals.saturating_add(1);
                j += 1;
            }
        }
        let digits_end = j;
        // A code: more digits glued on with `-`, `/`, `.`, `:`, or letters (`2018-93016`,
        // `10:30`, `1tq`).
        match ctx.at(j) {
            Some(c) if c.is_ascii_alphabetic() || matches!(c, '@' | '/' | '_' | '\\') => {
                let end = ctx.skip_code(k);
                return Some((self.simple(ctx, k, end, Kind::Code), end));
            }
            Some('-' | '.' | ':' | '：' | '－' | '—' | '~' | '～')
                if ctx.at(j + 1).is_some_and(is_digit) && !matches!(ctx.at(j), Some('：')) =>
            {
                let end = ctx.skip_code(k);
                return Some((self.simple(ctx, k, end, Kind::Code), end));
            }
            _ => {}
        }
        let Some(mant) = mant.filter(|_| decimals <= 30) else {
            let end = ctx.skip_code(k);
            return Some((self.simple(ctx, k, end, Kind::Code), end));
        };
        let value = mant as f64 / 10f64.powi(i32::from(decimals));
        let script = if full_width {
            Script::FullWidth
        } else {
            Script::Arabic
        };
        let prev = ctx.prev_nonspace(k);
        let next = ctx.next_nonspace(digits_end);
        // Ordinals: `1、` `1.` at the start of a clause, `(1)` anywhere.
        if ctx.at_clause_start(k)
            && decimals == 0
            && matches!(ctx.at(digits_end), Some('、' | '.' | '．'))
        {
            return Some((
                self.make(
                    ctx,
                    k,
                    digits_end + 1,
                    k,
                    digits_end,
                    value,
                    0,
                    Kind::Ordinal,
                    script,
                ),
                digits_end + 1,
            ));
        }
        if let (Some((pk, pc)), Some((nk, nc))) = (prev, next)
            && matches!(pc, '（' | '(' | '〔' | '[' | '［' | '【')
            && matches!(nc, '）' | ')' | '〕' | ']' | '］' | '】')
        {
            let year_like = int_len == 4 && (1900.0..=2100.0).contains(&value);
            let kind = if year_like || !matches!(pc, '（' | '(') {
                Kind::Code
            } else {
                Kind::Ordinal
            };
            return Some((
                self.make(
                    ctx,
                    pk,
                    nk + 1,
                    k,
                    digits_end,
                    value,
                    decimals,
                    kind,
                    script,
                ),
                nk + 1,
            ));
        }
        // Quoted numbers are names: `“51890”来访件`.
        if let (Some((pk, pc)), Some((nk, nc))) = (prev, next)
            && matches!(pc, '“' | '"' | '‘' | '「' | '\'')
            && matches!(nc, '”' | '"' | '’' | '」' | '\'')
        {
            return Some((
                self.make(
                    ctx,
                    pk,
                    nk + 1,
                    k,
                    digits_end,
                    value,
                    decimals,
                    Kind::Name,
                    script,
                ),
                nk + 1,
            ));
        }
        let n = self.suffix(ctx, k, k, digits_end, value, decimals, int_len, script);
        Some(n)
    }

    fn read_chinese(&self, ctx: &Ctx, k: usize) -> Option<(Option<Number>, usize)> {
        let mut j = k;
        while ctx.at(j).is_some_and(cn::is_numeral_char) {
            j += 1;
        }
        let run_end = j;
        // The run as text: a slice of the document unless a page break splits it.
        let owned: String;
        let s: &str = match self.text.get(ctx.off(k)..ctx.end(run_end)) {
            Some(t) if t.chars().count() == run_end - k => t,
            _ => {
                owned = (k..run_end).filter_map(|i| ctx.at(i)).collect();
                &owned
            }
        };
        // `百余件`, `千余人`, `万余元`.
        let value = match s {
            "百" | "千" | "万" if matches!(ctx.at(run_end), Some('余' | '多')) => match s {
                "百" => 100,
                "千" => 1000,
                _ => 10_000,
            },
            _ => match cn::parse_int(s) {
                Some(v) => v,
                None => return Some((None, run_end)),
            },
        };
        let value = value as f64;
        if value == 0.0 {
            return Some((None, run_end));
        }
        // Years written in characters: 二〇一八年.
        if s.chars().count() == 4
            && s.chars().all(|c| cn::digit(c).is_some())
            && ctx.at(run_end) == Some('年')
            && (1900.0..=2100.0).contains(&value)
        {
            let mut e = run_end + 1;
            if ctx.at(e) == Some('度') {
                e += 1;
            }
            return Some((
                Some(self.make(ctx, k, e, k, run_end, value, 0, Kind::Year, Script::Chinese)),
                e,
            ));
        }
        if ctx.at(run_end) == Some('是') {
            return Some((
                Some(self.make(
                    ctx,
                    k,
                    run_end + 1,
                    k,
                    run_end,
                    value,
                    0,
                    Kind::Ordinal,
                    Script::Chinese,
                )),
                run_end + 1,
            ));
        }
        if ctx.at_clause_start(k) && ctx.at(run_end) == Some('、') {
            return Some((
                Some(self.make(
                    ctx,
                    k,
                    run_end + 1,
                    k,
                    run_end,
                    value,
                    0,
                    Kind::Ordinal,
                    Script::Chinese,
                )),
                run_end + 1,
            ));
        }
        if let (Some((pk, pc)), Some(nc)) = (ctx.prev_nonspace(k), ctx.at(run_end))
            && matches!(pc, '（' | '(')
            && matches!(nc, '）' | ')')
        {
            return Some((
                Some(self.make(
                    ctx,
                    pk,
                    run_end + 1,
                    k,
                    run_end,
                    value,
                    0,
                    Kind::Ordinal,
                    Script::Chinese,
                )),
                run_end + 1,
            ));
        }
        for idiom in IDIOMS {
            if ctx.starts_with(k, idiom) {
                return Some((None, k + idiom.chars().count()));
            }
        }
        let int_len = 0;
        let (n, next) = self.suffix(ctx, k, k, run_end, value, 0, int_len, Script::Chinese);
        if n.kind == Kind::Count && n.unit().is_none() {
            // A Chinese numeral without a unit is a word (十九大, 三公经费).
            return Some((None, run_end));
        }
        Some((Some(n), next))
    }

    /// `第` + numeral: an article (`第五十条`), a document number (`第711号`) or an ordinal.
    fn read_ordinal_di(&self, ctx: &Ctx, k: usize) -> Option<(Number, usize)> {
        let mut j = k + 1;
        let mut s = String::new();
        let mut arabic = false;
        while let Some(c) = ctx.at(j) {
            if let Some(d) = cn::ascii_digit(c) {
                if !arabic && !s.is_empty() {
                    break;
                }
                arabic = true;
                s.push(char::from(b'0' + d as u8));
            } else if !arabic && cn::is_numeral_char(c) {
                s.push(c);
            } else {
                break;
            }
            j += 1;
        }
        if s.is_empty() {
            return None;
        }
        let value = if arabic {
            s.parse::<f64>().ok()?
        } else {
            cn::parse_int(&s)? as f64
        };
        let script = if arabic {
            Script::Arabic
        } else {
            Script::Chinese
        };
        let (kind, end) = match ctx.at(j) {
            Some('条' | '款' | '项' | '章' | '节') => (Kind::Article, j + 1),
            Some('号') => (Kind::Code, j + 1),
            _ => (Kind::Ordinal, j),
        };
        Some((
            self.make(ctx, k, end, k + 1, j, value, 0, kind, script),
            end,
        ))
    }

    /// `百分之九十七点六`, `百分之百`, `百分之97`.
    fn read_percent_words(&self, ctx: &Ctx, k: usize) -> Option<(Number, usize)> {
        let start = k + 3;
        let mut j = start;
        let mut s = String::new();
        while let Some(c) = ctx.at(j) {
            if let Some(d) = cn::ascii_digit(c) {
                s.push(char::from(b'0' + d as u8));
            } else if cn::is_numeral_char(c) || (c == '点' && !s.is_empty()) {
                s.push(c);
            } else if matches!(c, '.' | '．')
                && s.chars().last().is_some_and(|c| c.is_ascii_digit())
            {
                s.push('.');
            } else {
                break;
            }
            j += 1;
        }
        while s.ends_with('点') || s.ends_with('.') {
            s.pop();
            j -= 1;
        }
        if s.is_empty() {
            return None;
        }
        let (value, decimals, script) = if s.chars().all(|c| c.is_ascii_digit() || c == '.') {
            let d = s.split_once('.').map_or(0, |(_, f)| f.len()) as u8;
            (s.parse::<f64>().ok()?, d, Script::Arabic)
        } else {
            let (v, d) = cn::parse_decimal(&s)?;
            (v, d, Script::Chinese)
        };
        let mut n = self.make(ctx, k, j, start, j, value, decimals, Kind::Percent, script);
        set_percent_bounds(&mut n);
        Some((n, j))
    }

    /// Builds a number with an exact value and `span` from `from` to `to` (indices).
    #[allow(clippy::too_many_arguments)]
    fn make(
        &self,
        ctx: &Ctx,
        from: usize,
        to: usize,
        dfrom: usize,
        dto: usize,
        value: f64,
        decimals: u8,
        kind: Kind,
        script: Script,
    ) -> Number {
        let span = ctx.off(from)..ctx.line_end(from, to);
        let digits = ctx.off(dfrom)..ctx.end(dto);
        let mut n = Number::plain(span, digits, value, decimals, kind, script);
        n.depth = ctx.depth;
        n
    }

    /// Reads what follows a numeral (`万`, `余`, `%`, `成`, a unit, `以上`) and what precedes
    /// it (`约`, `近`, `超`), and classifies the number.
    #[allow(clippy::too_many_arguments)]
    fn suffix(
        &self,
        ctx: &Ctx,
        k: usize,
        dfrom: usize,
        dto: usize,
        raw: f64,
        decimals: u8,
        int_len: usize,
        script: Script,
    ) -> (Number, usize) {
        let chinese = script == Script::Chinese;
        let mut j = ctx.skip_spaces(dto);
        let mut mult = 1.0f64;
        let mut approx = Approx::Exact;
        let mut step_mult = 1.0f64;
        if !chinese
            && let Some(m @ ('万' | '亿')) = ctx.at(j)
            && ctx.at(j + 1) != Some('元')
        {
            mult = if m == '万' { 10_000.0 } else { 100_000_000.0 };
            j += 1;
        }
        if matches!(ctx.at(j), Some('余' | '多')) {
            approx = Approx::AtLeast;
            j += 1;
        }
        if mult == 1.0
            && !chinese
            && let Some(m @ ('万' | '亿')) = ctx.at(j)
            && ctx.at(j + 1) != Some('元')
        {
            mult = if m == '万' { 10_000.0 } else { 100_000_000.0 };
            step_mult = mult;
            j += 1;
        }
        let after_mult = j;
        j = ctx.skip_spaces(j);
        let mut kind = Kind::Count;
        // An index into `UNITS`.
        let mut unit: Option<usize> = None;
        let mut scale = 1.0f64;
        let mut percent = false;
        let prev_char = k.checked_sub(1).and_then(|p| ctx.at(p));
        if matches!(ctx.at(j), Some('%' | '％')) {
            kind = Kind::Percent;
            percent = true;
            j += 1;
        } else if ctx.starts_with(j, "个百分点") {
            kind = Kind::PercentPoint;
            j += 4;
        } else if ctx.at(j) == Some('成')
            && mult == 1.0
            && decimals == 0
            && (1.0..=10.0).contains(&raw)
            && !ctx.starts_with(j, "成不变")
            && !ctx.starts_with(j, "成员")
        {
            kind = Kind::Share;
            percent = true;
            j += 1;
        } else if !chinese
            && mult == 1.0
            && approx == Approx::Exact
            && int_len == 4
            && decimals == 0
            && (1900.0..=2100.0).contains(&raw)
            && ctx.at(j) == Some('年')
        {
            kind = Kind::Year;
            j += 1;
            if ctx.at(j) == Some('度') {
                j += 1;
            }
        } else if mult == 1.0
            && approx == Approx::Exact
            && ((ctx.at(j) == Some('月') && (1.0..=12.0).contains(&raw) && decimals == 0)
                || (matches!(ctx.at(j), Some('日' | '号')) && matches!(prev_char, Some('月'))))
        {
            // A month (`12月`) or a day after one (`6日`).
            kind = Kind::Date;
            j += 1;
        } else if !chinese && mult == 1.0 && ctx.at(j) == Some('号') {
            kind = Kind::Code;
            j += 1;
        } else if let Some((ui, ud)) = ctx.at(j).and_then(|c| {
            UNITS.iter().enumerate().find(|(_, ud)| {
                ud.first == c && (!chinese || ud.chinese) && ctx.starts_with(j, ud.text)
            })
        }) {
            kind = ud.kind;
            unit = Some(ui);
            scale = ud.scale;
            j += ud.text.chars().count();
        } else if chinese {
            // No unit: not a number (the caller drops it).
        } else if j > after_mult {
            // Only spaces followed: do not take them into the span.
            j = after_mult;
        }
        if kind == Kind::Code || kind == Kind::Date || kind == Kind::Year {
            let n = self.make(ctx, k, j, dfrom, dto, raw, decimals, kind, script);
            return (n, j);
        }
        // Approximation words after the unit.
        let mut end = j;
        if approx == Approx::Exact && matches!(ctx.at(end), Some('余' | '多')) && unit.is_some() {
            approx = Approx::AtLeast;
            end += 1;
        }
        for (w, a) in [
            ("以上", Approx::AtLeast),
            ("之多", Approx::AtLeast),
            ("左右", Approx::About),
            ("上下", Approx::About),
            ("以下", Approx::AtMost),
            ("以内", Approx::AtMost),
        ] {
            if ctx.starts_with(end, w) {
                approx = if approx == Approx::Exact { a } else { approx };
                end += w.chars().count();
                break;
            }
        }
        // …and before the number.
        let mut start = k;
        // Every approximation word ends in one of these: most numbers skip the list.
        let maybe_prefix = matches!(
            prev_char,
            Some('约' | '近' | '过' | '超' | '足' | '到' | '少' | '逾')
        );
        for (w, a) in [
            ("大约", Approx::About),
            ("将近", Approx::AtMost),
            ("接近", Approx::AtMost),
            ("超过", Approx::AtLeast),
            ("不足", Approx::AtMost),
            ("不到", Approx::AtMost),
            ("至少", Approx::AtLeast),
            ("约", Approx::About),
            ("近", Approx::AtMost),
            ("超", Approx::AtLeast),
            ("逾", Approx::AtLeast),
        ] {
            if maybe_prefix && ctx.ends_with(k, w) {
                if approx == Approx::Exact {
                    approx = a;
                }
                start = k - w.chars().count();
                break;
            }
        }
        if chinese
            && let Some(p) = prev_char
            && matches!(p, '数' | '几' | '上' | '成')
        {
            approx = Approx::Vague;
        }
        // Numbers in 《》 titles and before 热线 are names.
        if (ctx.book > 0 || ctx.starts_with(ctx.skip_spaces(dto), "热线"))
            && !(chinese && unit.is_none())
        {
            kind = Kind::Name;
            unit = None;
        }
        let value = if percent && kind == Kind::Share {
            raw * 10.0
        } else {
            raw * mult * scale
        };
        let mut n = self.make(ctx, start, end, dfrom, dto, value, decimals, kind, script);
        n.unit = unit.map_or(0, |i| i as u8 + 1);
        n.approx = approx;
        if percent {
            set_percent_bounds(&mut n);
            return (n, end);
        }
        if approx == Approx::Exact && (mult > 1.0 || scale > 1.0) {
            n.approx = Approx::Rounded;
        }
        // One unit of the last digit written, in the base unit.
        // For `余`/`约`/`近` the remainder is below the last non-zero digit (`6200余` is
        // 6200–6299); a number rounded by its multiplier (`300万元`, `1.2万`) is good to its
        // last written digit.
        let last = if decimals > 0 {
            10f64.powi(-i32::from(decimals))
        } else if n.approx == Approx::Rounded {
            1.0
        } else {
            10f64.powi(trailing_zeros(raw) as i32)
        };
        let step = last * mult.max(step_mult) * scale;
        let (lo, hi) = match n.approx {
            Approx::Exact => (value, value),
            Approx::Rounded => (value - step / 2.0, value + step / 2.0),
            Approx::AtLeast => {
                if ctx.ends_with(k, "超过")
                    || ctx.ends_with(k, "超")
                    || ctx.ends_with(k, "逾")
                    || ctx.ends_with(k, "至少")
                    || ctx.starts_with(j, "以上")
                    || ctx.starts_with(j, "之多")
                {
                    (value, f64::INFINITY)
                } else {
                    // Half-open: `500余` is at least 500 and below 600.
                    (value, value + step)
                }
            }
            Approx::About => {
                let t = (step / 2.0).max(value * 0.05);
                (value - t, value + t)
            }
            Approx::AtMost => {
                if ctx.ends_with(k, "不足")
                    || ctx.ends_with(k, "不到")
                    || ctx.starts_with(j, "以下")
                    || ctx.starts_with(j, "以内")
                {
                    (0.0, value)
                } else {
                    (value - (step / 2.0).max(value * 0.1), value)
                }
            }
            Approx::Vague => (value, f64::INFINITY),
        };
        n.lo = lo;
        n.hi = hi;
        (n, end)
    }
}

/// Number of trailing zeros of an integer value (`6200` → 2); 0 for other values.
fn trailing_zeros(v: f64) -> u32 {
    if v <= 0.0 || v.fract() != 0.0 || v > 1e15 {
        return 0;
    }
    let mut n = v as u64;
    let mut z = 0;
    while n > 0 && n.is_multiple_of(10) {
        n /= 10;
        z += 1;
    }
    z
}

/// The interval of true values a written percentage allows: `97%` → [96.5, 97.5),
/// `97.1%` → [97.05, 97.15); `约97%` ±1; `97%以上`, `超97%` → [97, 100]; `近97%` → [96, 97].
/// Shares (`八成`) are read to the nearest ten: [75, 85).
fn set_percent_bounds(n: &mut Number) {
    let unit = if n.kind == Kind::Share {
        10.0
    } else {
        10f64.powi(-i32::from(n.decimals))
    };
    let v = n.value;
    let (lo, hi) = match n.approx {
        Approx::Exact | Approx::Rounded => (v - unit / 2.0, v + unit / 2.0),
        Approx::AtLeast => (v, f64::INFINITY),
        Approx::About => (v - unit, v + unit),
        Approx::AtMost => (v - unit, v),
        Approx::Vague => (0.0, f64::INFINITY),
    };
    n.lo = lo;
    n.hi = hi;
}

/// What the scanner knows at a position.
struct Ctx<'c> {
    cs: &'c [(u32, char)],
    clause_k: usize,
    depth: u8,
    book: u8,
}

impl Ctx<'_> {
    fn at(&self, k: usize) -> Option<char> {
        self.cs.get(k).map(|&(_, c)| c)
    }

    fn off(&self, k: usize) -> usize {
        match self.cs.get(k) {
            Some(&(o, _)) => o as usize,
            None => self
                .cs
                .last()
                .map_or(0, |&(o, c)| o as usize + c.len_utf8()),
        }
    }

    /// Byte offset just after index `k - 1` (the end of a range ending before `k`).
    fn end(&self, k: usize) -> usize {
        match k.checked_sub(1).and_then(|p| self.cs.get(p)) {
            Some(&(o, c)) => o as usize + c.len_utf8(),
            None => self.off(0),
        }
    }

    /// The end of a span from `from` to `to`, cut at the first line break inside it: a unit
    /// found on the next line after a page break is read, but the span stays on one line.
    fn line_end(&self, from: usize, to: usize) -> usize {
        let mut last = from;
        for k in from + 1..to.min(self.cs.len()) {
            let (po, pc) = self.cs[k - 1];
            if self.cs[k].0 != po + pc.len_utf8() as u32 {
                return po as usize + pc.len_utf8();
            }
            last = k;
        }
        if to > from {
            self.end(to).max(self.off(last))
        } else {
            self.off(from)
        }
    }

    fn starts_with(&self, k: usize, w: &str) -> bool {
        (k..).zip(w.chars()).all(|(i, c)| self.at(i) == Some(c))
    }

    fn ends_with(&self, k: usize, w: &str) -> bool {
        let n = w.chars().count();
        k >= n && self.starts_with(k - n, w)
    }

    fn skip_spaces(&self, mut k: usize) -> usize {
        while self.at(k).is_some_and(is_space) {
            k += 1;
        }
        k
    }

    fn prev_nonspace(&self, k: usize) -> Option<(usize, char)> {
        let mut p = k.checked_sub(1)?;
        loop {
            let c = self.at(p)?;
            if !is_space(c) {
                return Some((p, c));
            }
            p = p.checked_sub(1)?;
        }
    }

    fn next_nonspace(&self, k: usize) -> Option<(usize, char)> {
        let k = self.skip_spaces(k);
        self.at(k).map(|c| (k, c))
    }

    /// Whether only white space and Markdown emphasis stand between the clause start and `k`.
    fn at_clause_start(&self, k: usize) -> bool {
        (self.clause_k..k).all(|i| {
            self.at(i)
                .is_some_and(|c| is_space(c) || matches!(c, '*' | '#' | '>' | '-' | '_'))
        })
    }

    /// The end of a run of code characters (digits, letters, `-/._:@`) from `k`.
    fn skip_code(&self, mut k: usize) -> usize {
        while let Some(c) = self.at(k) {
            if is_digit(c)
                || c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '-' | '/'
                        | '.'
                        | '_'
                        | ':'
                        | '@'
                        | '－'
                        | '—'
                        | '~'
                        | '～'
                        | '\\'
                        | '#'
                        | '='
                        | '?'
                        | '&'
                        | '%'
                )
            {
                k += 1;
            } else {
                break;
            }
        }
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Document, Format};
    use crate::report::{ReadOptions, Report};

    fn report(text: &str) -> Numbers {
        let doc = Document::from_text(text.to_owned(), "utf-8", Format::Text);
        Report::build(&doc, &Default::default(), &ReadOptions::default()).numbers
    }

    /// `text` → the numbers as `written:kind:value[:approx][:unit]`.
    fn read(text: &str) -> Vec<String> {
        report(text)
            .items
            .iter()
            .map(|n| {
                let mut s = format!("{}:{:?}:{}", &text[n.span()], n.kind, n.value);
                if n.approx != Approx::Exact {
                    s.push_str(&format!(":{:?}", n.approx));
                }
                if let Some(u) = n.unit() {
                    s.push(':');
                    s.push_str(u);
                }
                s
            })
            .collect()
    }

    /// The quantities (counts, money, measures) of `text` as `value unit`.
    fn quantities(text: &str) -> Vec<String> {
        report(text)
            .items
            .iter()
            .filter(|n| n.is_quantity())
            .map(|n| format!("{}{}", n.value, n.unit().unwrap_or("")))
            .collect()
    }

    #[test]
    fn arabic_and_full_width() {
        assert_eq!(read("办结66件"), ["66件:Count:66:件"]);
        assert_eq!(read("办结１２３件"), ["１２３件:Count:123:件"]);
        assert_eq!(read("共1,234条"), ["1,234条:Count:1234:条"]);
        assert_eq!(
            read("共12,345,678人次"),
            ["12,345,678人次:Count:12345678:人次"]
        );
        assert_eq!(read("其他856）"), ["856:Count:856"]);
        assert_eq!(read("政务公开栏 11 个"), ["11 个:Count:11:个"]);
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(quantities("收到一百二十件"), ["120件"]);
        assert_eq!(quantities("发放两千三百份"), ["2300份"]);
        assert_eq!(quantities("惠及十二万三千人"), ["123000人"]);
        assert_eq!(quantities("百余件"), ["100件"]);
        // Words, not numbers.
        for w in [
            "十九大",
            "三公经费",
            "一级抓一级",
            "两微一端",
            "一周一更新",
            "十分重视",
            "一次性告知",
            "一成不变",
            "千方百计",
        ] {
            assert_eq!(quantities(w), Vec::<String>::new(), "{w}");
        }
    }

    #[test]
    fn multipliers_and_money() {
        let n = &report("1.2万条").items[0];
        assert_eq!(
            (n.value, n.approx, n.lo, n.hi),
            (12_000.0, Approx::Rounded, 11_500.0, 12_500.0)
        );
        let n = &report("概算总投资3.18亿元").items[0];
        assert_eq!(
            (n.kind, n.value.round(), n.base_unit()),
            (Kind::Money, 318_000_000.0, Some("元"))
        );
        let n = &report("共计1241万元").items[0];
        assert_eq!(
            (n.kind, n.value, n.unit()),
            (Kind::Money, 12_410_000.0, Some("万元"))
        );
        assert_eq!(quantities("5.2万亩"), ["52000亩"]);
        assert_eq!(quantities("投入500余万元"), ["5000000万元"]);
    }

    #[test]
    fn approximations() {
        let n = &report("主动公开政府信息11280余条").items[0];
        assert_eq!(
            (n.value, n.approx, n.lo, n.hi),
            (11_280.0, Approx::AtLeast, 11_280.0, 11_290.0)
        );
        let n = &report("6200余条").items[0];
        assert_eq!((n.lo, n.hi), (6_200.0, 6_300.0));
        let n = &report("约500条").items[0];
        assert_eq!((n.approx, n.lo, n.hi), (Approx::About, 450.0, 550.0));
        let n = &report("近500条").items[0];
        assert_eq!((n.approx, n.lo, n.hi), (Approx::AtMost, 450.0, 500.0));
        let n = &report("500人以上").items[0];
        assert_eq!(
            (n.approx, n.lo, n.hi),
            (Approx::AtLeast, 500.0, f64::INFINITY)
        );
        let n = &report("一百多件").items[0];
        assert_eq!((n.value, n.approx), (100.0, Approx::AtLeast));
        let n = &report("数十件").items[0];
        assert_eq!(n.approx, Approx::Vague);
        assert!(!n.is_quantity());
    }

    #[test]
    fn percentages_and_shares() {
        let n = &report("办结率97%").items[0];
        assert_eq!(
            (n.kind, n.value, n.decimals, n.lo, n.hi),
            (Kind::Percent, 97.0, 0, 96.5, 97.5)
        );
        let n = &report("办结率97.06％").items[0];
        assert_eq!((n.kind, n.value, n.decimals), (Kind::Percent, 97.06, 2));
        let n = &report("满意率达百分之九十七点六").items[0];
        assert_eq!((n.kind, n.value, n.decimals), (Kind::Percent, 97.6, 1));
        assert_eq!(&"满意率达百分之九十七点六"[n.span()], "百分之九十七点六");
        let n = &report("百分之百").items[0];
        assert_eq!(n.value, 100.0);
        let n = &report("超八成").items[0];
        assert_eq!(
            (n.kind, n.value, n.approx, n.lo),
            (Kind::Share, 80.0, Approx::AtLeast, 80.0)
        );
        let n = &report("提高3个百分点").items[0];
        assert_eq!(n.kind, Kind::PercentPoint);
    }

    #[test]
    fn not_counts() {
        let kinds = |t: &str| -> Vec<Kind> { report(t).items.iter().map(|n| n.kind).collect() };
        assert_eq!(kinds("2018年"), [Kind::Year]);
        assert_eq!(kinds("二〇一八年度"), [Kind::Year]);
        assert_eq!(kinds("2018年3月1日"), [Kind::Date]);
        assert_eq!(kinds("截止12月6日"), [Kind::Date, Kind::Date]);
        assert_eq!(kinds("发布日期 2018-12-10"), [Kind::Date]);
        assert_eq!(kinds("电话：0953—2120610"), [Kind::Phone]);
        assert_eq!(kinds("联系电话：8061253"), [Kind::Phone]);
        assert_eq!(kinds("邮编：751100"), [Kind::Postcode]);
        assert_eq!(kinds("吴利政办发〔2017〕54 号"), [Kind::Code, Kind::Code]);
        assert_eq!(kinds("国务院令第711号"), [Kind::Code]);
        assert_eq!(kinds("根据第五十条规定"), [Kind::Article]);
        assert_eq!(kinds("第二十条第（一）项"), [Kind::Article, Kind::Ordinal]);
        assert_eq!(kinds("一、总体情况"), [Kind::Ordinal]);
        assert_eq!(kinds("（一）主动公开"), [Kind::Ordinal]);
        assert_eq!(kinds("(2)依申请公开"), [Kind::Ordinal]);
        assert_eq!(kinds("1. 领导重视"), [Kind::Ordinal]);
        assert_eq!(kinds("3．推进"), [Kind::Ordinal]);
        assert_eq!(kinds("主要类别：1、活动信息"), [Kind::Ordinal]);
        assert_eq!(kinds("一是加强领导"), [Kind::Ordinal]);
        assert_eq!(kinds("第三方"), [Kind::Ordinal]);
        assert_eq!(kinds("共收到“51890”来访件"), [Kind::Name]);
        assert_eq!(kinds("拨打12345热线"), [Kind::Name]);
        assert_eq!(kinds("《2017年政务公开工作要点》"), [Kind::Year]);
        assert_eq!(kinds("索引号 640122-150/2018-93016"), [Kind::Code]);
        assert_eq!(kinds("电子邮箱：1tqjxz2007@163.com"), [Kind::Code]);
        assert_eq!(kinds("坚持全年24小时值班"), [Kind::Duration]);
        assert_eq!(kinds("15个工作日内"), [Kind::Duration]);
        assert_eq!(
            kinds("所占比例为4%，分值为5分"),
            [Kind::Percent, Kind::Measure]
        );
    }

    #[test]
    fn sentences_clauses_and_context() {
        let t = "今年，我镇共收到“51890”来访件68件，办结66件，办结率97%。下一句3条。";
        let ns = report(t);
        let q: Vec<&Number> = ns.items.iter().filter(|n| n.is_quantity()).collect();
        assert_eq!(&t[q[0].before()], "我镇共收到“51890”来访件");
        assert_eq!(&t[q[1].before()], "办结");
        assert_eq!(q[0].sentence, q[1].sentence);
        assert_ne!(q[1].sentence, q[2].sentence);
        assert_eq!(ns.sentences.len(), 2);
        let t = "受理8件已办结";
        let ns = report(t);
        assert_eq!(&t[ns.items[0].after()], "已办结");
    }

    #[test]
    fn page_breaks_do_not_end_a_sentence() {
        // Seed 000: a page break between a number and its 余条.
        let t = "某镇年度报告\n\n三务公开栏公开1000余条；电视、报纸、手机报等媒体公开2200\n\n\n\n余条。下一段\n";
        let ns = report(t);
        let n = ns.items.iter().find(|n| n.value == 2200.0).expect("2200");
        assert_eq!((n.approx, n.unit()), (Approx::AtLeast, Some("条")));
        assert_eq!(&t[n.span()], "2200");
        assert_eq!(ns.items[0].sentence, n.sentence);
        // …but the title does not run on.
        let ns = report("某镇2017年政府信息公开工作年度报告\n\n共3件\n");
        assert_ne!(ns.items[0].sentence, ns.items[1].sentence);
        // A heading does not run on into the next paragraph.
        let ns = report("一、概述\n\n共3件\n");
        assert_ne!(ns.items[0].sentence, ns.items[1].sentence);
    }

    #[test]
    fn lists() {
        let t = "发布信息389条,其中:乡镇动态41条,双随机、-公开4条,村务公开96条。政务公开工作全面。";
        let ns = report(t);
        let from = t.find("其中:").unwrap() + "其中:".len();
        let e = ns.enumerate(t, 0, from, t.len(), &|_| false);
        let vals: Vec<f64> = e.items.iter().map(|i| ns.items[i.number].value).collect();
        assert_eq!(vals, [41.0, 4.0, 96.0]);
        assert!(!e.ambiguous && !e.mixed_units);
        // A bracketed list ends at its bracket.
        let t = "共公布信息2599条（其中机构职能类25，其他856），办结3件。";
        let ns = report(t);
        let from = t.find("其中").unwrap() + "其中".len();
        let e = ns.enumerate(t, 0, from, t.len(), &|_| false);
        let vals: Vec<f64> = e.items.iter().map(|i| ns.items[i.number].value).collect();
        assert_eq!(vals, [25.0, 856.0]);
        // A clause without numbers ends the list; a percentage is a comment.
        let t = "共12个，其中网上8个，占60%，当面4个，并顺利推进，另3个。";
        let ns = report(t);
        let from = t.find("其中").unwrap() + "其中".len();
        let e = ns.enumerate(t, 0, from, t.len(), &|_| false);
        let vals: Vec<f64> = e.items.iter().map(|i| ns.items[i.number].value).collect();
        assert_eq!(vals, [8.0, 4.0]);
        // Different units.
        let t = "共412条，其中许可信息128条、政策解读21篇。";
        let ns = report(t);
        let from = t.find("其中").unwrap() + "其中".len();
        assert!(ns.enumerate(t, 0, from, t.len(), &|_| false).mixed_units);
    }
}

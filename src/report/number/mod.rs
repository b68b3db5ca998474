//! Numbers in the text: every number with its span, its value and how it was written, and the
//! sentence and clause it stands in. This is the one place that reads numbers; the prose
//! arithmetic kinds (`rate`, `inline_total`) and the text-against-table checks ask it.
//!
//! What is read:
//! - Arabic and full-width digits, thousands separators (`1,234`), decimals (`97.06`);
//!   Chinese numerals (`一百二十`, `两千三`, `十二万三千`, via `cn::parse_int`) — a Chinese
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
//! spans `meta::find_dates` found), month and day parts (`12月6日`), phone numbers, postcodes,
//! e-mail addresses and websites (the spans `contact` found), document numbers
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
//! Submodules:
//! - `lists`: lists among the numbers read (items, parent totals, share runs, bracket depth);
//! - `units`: the table of units of measure, and the idioms that look like counts;
//! - `scan`: `build` and the one pass over each paragraph (sentences, clauses, context);
//! - `readers`: reading one number at a position (dates, numerals, codes, `第…`, `百分之…`);
//! - `suffix`: what follows and precedes a numeral (multiplier, unit, `%`, approximation);
//! - `ctx`: a paragraph's characters as the readers see them at a position;
//! - `tests`: the unit tests.
//!
//! [`LineKind::Table`]: super::LineKind::Table

mod ctx;
mod lists;
mod readers;
mod scan;
mod suffix;
#[cfg(test)]
mod tests;
mod units;

#[cfg(test)]
pub(crate) use self::lists::LIST_BYTES_READ;
pub(crate) use self::lists::{DepthCursor, ListItem};
pub(crate) use self::scan::build;
use self::units::UNITS;
use super::span::ByteSpan;
use std::ops::Range;

/// What a number is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
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
pub(crate) enum Approx {
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
pub(crate) enum Script {
    Arabic,
    FullWidth,
    Chinese,
}

/// One number in the text, in 64 bytes: a file of numbers has millions (issue 13), so the
/// byte ranges are `u32` offsets (`super::span`), the unit an index into the unit table, and
/// `before`/`after` are stored by the end they do not share with `span`.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    span: ByteSpan,
    digits: ByteSpan,
    /// The value in the base unit (万 applied; money in 元; percent and shares in percent).
    pub(crate) value: f64,
    /// The interval of true values the writing allows (`lo == hi == value` when exact; `hi` may
    /// be infinite for `以上`). Half-open (`hi` excluded) for `余`/`多` (`500余` is below 600)
    /// and for percentages (the rounding interval); see [`Number::hi_open`].
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    sentence: u32,
    clause: u32,
    /// Where [`Number::before`] starts and [`Number::after`] ends (`context` false: not read).
    before_start: u32,
    after_end: u32,
    /// Digits written after the decimal point.
    pub(crate) decimals: u8,
    pub(crate) kind: Kind,
    pub(crate) approx: Approx,
    pub(crate) script: Script,
    /// Bracket depth at the number (`（其中…25…）` → 1).
    pub(crate) depth: u8,
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
    pub(crate) fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// The digits (or Chinese numeral) only.
    #[inline]
    pub(crate) fn digits(&self) -> Range<usize> {
        self.digits.range()
    }

    /// Index into [`Numbers::sentences`].
    #[inline]
    pub(crate) fn sentence(&self) -> usize {
        self.sentence as usize
    }

    /// Index into the clauses ([`Numbers::clause`]).
    #[inline]
    pub(crate) fn clause(&self) -> usize {
        self.clause as usize
    }

    /// The text before the number in its clause, back to the previous number (names such as
    /// `“51890”` do not cut it): what is counted (`办结`, `共收到来访件`).
    #[inline]
    pub(crate) fn before(&self) -> Range<usize> {
        if self.context {
            self.before_start as usize..self.span.start()
        } else {
            0..0
        }
    }

    /// The text after the number in its clause, up to the next number (`件已办结`).
    #[inline]
    pub(crate) fn after(&self) -> Range<usize> {
        if self.context {
            self.span.end()..self.after_end as usize
        } else {
            0..0
        }
    }

    /// The unit as written (`件`, `万元`); `None` for bare numbers, percentages, years…
    #[inline]
    pub(crate) fn unit(&self) -> Option<&'static str> {
        self.unit
            .checked_sub(1)
            .and_then(|i| UNITS.get(usize::from(i)))
            .map(|u| u.text)
    }

    /// A quantity that can be added or divided: counts, money, measures.
    pub(crate) fn is_quantity(&self) -> bool {
        matches!(self.kind, Kind::Count | Kind::Money | Kind::Measure)
            && self.approx != Approx::Vague
    }

    /// A percentage or a share (`97%`, `八成`).
    pub(crate) fn is_rate(&self) -> bool {
        matches!(self.kind, Kind::Percent | Kind::Share)
    }

    /// The unit quantities are compared in: `元` for all money, else the unit as written.
    pub(crate) fn base_unit(&self) -> Option<&'static str> {
        match self.kind {
            Kind::Money => Some("元"),
            _ => self.unit(),
        }
    }

    /// Whether two quantities can be added or compared: the same base unit (`万元` and `元`
    /// are both money), or one of them written without a unit (`其他856` in a list of `条`).
    pub(crate) fn compatible(&self, other: &Number) -> bool {
        match (self.base_unit(), other.base_unit()) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }

    /// Whether `hi` itself is excluded (`500余` < 600, `97%` < 97.5).
    pub(crate) fn hi_open(&self) -> bool {
        self.hi.is_finite()
            && (self.is_rate() || self.approx == Approx::AtLeast)
            && self.hi > self.lo
    }

    pub(crate) fn is_exact(&self) -> bool {
        self.approx == Approx::Exact
    }

    /// The number as written, without white space and without a trailing counting unit:
    /// `68`, `11280余`, `约1.2万`, `97.06%`, `300万元` (money keeps its unit).
    pub(crate) fn written(&self, text: &str) -> String {
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
    pub(crate) fn unit_scale(&self) -> f64 {
        match self.unit() {
            Some("亿元") => 100_000_000.0,
            Some("万元") => 10_000.0,
            Some("千元") => 1_000.0,
            _ => 1.0,
        }
    }

    /// The number as a reader would repeat it: `68`, `11280余`, `约1.2万`, `97.06%`.
    pub(crate) fn display(&self) -> String {
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
pub(crate) fn format_decimal(v: f64, decimals: u8) -> String {
    format!("{:.*}", usize::from(decimals), v)
}

/// A sentence, ended by `。！？` or the end of its paragraph; 24 bytes (a file of short lines
/// has one for every line, issue 13).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    span: ByteSpan,
    paragraph: u32,
    numbers: (u32, u32),
    /// Bracket depth where the sentence starts.
    pub(crate) depth: u8,
}

const _: () = assert!(std::mem::size_of::<Sentence>() == 24);

impl Sentence {
    #[inline]
    pub(crate) fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// Paragraphs are numbered in order; sentences of one paragraph share the number.
    #[inline]
    pub(crate) fn paragraph(&self) -> usize {
        self.paragraph as usize
    }

    /// Indices into [`Numbers::items`].
    #[inline]
    pub(crate) fn numbers(&self) -> Range<usize> {
        self.numbers.0 as usize..self.numbers.1 as usize
    }
}

/// Every number in a report, in text order, with the sentences and clauses around them.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Numbers {
    pub(crate) items: Vec<Number>,
    pub(crate) sentences: Vec<Sentence>,
    /// Clauses: parts of a sentence between `，；：` (cells of a table row).
    clauses: Vec<ByteSpan>,
}

impl Numbers {
    /// Clause `i`: a part of a sentence between `，；：` (a cell of a table row).
    #[inline]
    pub(crate) fn clause(&self, i: usize) -> Option<Range<usize>> {
        self.clauses.get(i).map(|c| c.range())
    }

    /// The numbers of a sentence.
    pub(crate) fn in_sentence(&self, s: usize) -> &[Number] {
        self.sentences
            .get(s)
            .and_then(|s| self.items.get(s.numbers()))
            .unwrap_or(&[])
    }

    /// The sentence containing a byte offset, if any.
    pub(crate) fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span().end <= pos);
        self.sentences
            .get(i)
            .filter(|s| s.span().start <= pos)
            .map(|_| i)
    }

    /// The clause containing a byte offset, if any.
    pub(crate) fn clause_at(&self, pos: usize) -> Option<usize> {
        let i = self.clauses.partition_point(|c| c.end() < pos);
        self.clauses.get(i).filter(|c| c.start() <= pos).map(|_| i)
    }
}

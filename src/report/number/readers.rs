//! The scanner's readers of one number at a position: calendar dates, Arabic and Chinese
//! numerals, codes, ordinals and names, `第…` and `百分之…`.

use super::ctx::Ctx;
use super::scan::{Scanner, is_digit};
use super::suffix::set_percent_bounds;
use super::units::IDIOMS;
use super::{Kind, Number, Script};
use crate::report::span::ByteSpan;
use crate::report::{cn, meta};

impl Scanner<'_, '_> {
    /// A calendar date starting at `k`, as [`meta::find_dates`] reads it. The date reader
    /// runs only where a year starts (four digits before `年`, `-`, `/` or `.`), so that the
    /// text is not scanned twice.
    pub(super) fn read_date(&self, ctx: &Ctx, k: usize) -> Option<(Number, usize)> {
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
    pub(super) fn read_number(&self, ctx: &Ctx, k: usize) -> Option<(Option<Number>, usize)> {
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
    pub(super) fn make(
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
}

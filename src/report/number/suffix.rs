//! What follows and precedes a numeral: multipliers (`万`, `亿`), units, `%`, `成`, years,
//! dates and approximation words; and the interval of true values the writing allows.

use super::ctx::Ctx;
use super::scan::Scanner;
use super::units::UNITS;
use super::{Approx, Kind, Number, Script};

impl Scanner<'_, '_> {
    /// Reads what follows a numeral (`万`, `余`, `%`, `成`, a unit, `以上`) and what precedes
    /// it (`约`, `近`, `超`), and classifies the number.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn suffix(
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
pub(super) fn set_percent_bounds(n: &mut Number) {
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

//! Cell values: what a table cell's text means (a count, a decimal, blank, a dash, unreadable).

use super::*;

/// What a cell holds.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    Int(i64),
    /// A number with decimals (万元).
    Decimal(f64),
    /// Nothing written: not filled, which is not the same as 0.
    Blank,
    /// `/` `-` `—` `无`: explicitly not filled.
    Dash,
    /// Something that is not a number (or a number too large to be a count).
    Unreadable,
}

impl CellValue {
    /// A number was written.
    pub(crate) fn is_filled(&self) -> bool {
        matches!(self, CellValue::Int(_) | CellValue::Decimal(_))
    }

    /// Blank or a dash: not filled.
    pub(crate) fn is_blank(&self) -> bool {
        matches!(self, CellValue::Blank | CellValue::Dash)
    }

    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            CellValue::Int(i) => Some(*i as f64),
            CellValue::Decimal(d) => Some(*d),
            _ => None,
        }
    }

    /// The integer value; a decimal only when it has no fractional part (`2.0`).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            CellValue::Int(i) => Some(*i),
            CellValue::Decimal(d) if d.fract() == 0.0 && d.abs() < 1e15 => Some(*d as i64),
            _ => None,
        }
    }
}

/// Parses a cell's text. `None` when the text is not a value at all (a label); blank text is
/// `Some(Blank)`. Accepts full-width digits, thousands separators (`1,234`, `1，234`), a sign
/// (`+1036`, `－3`), decimals (`0.25`) and a unit after the number (`251000元`, `3件`).
pub(crate) fn parse_value(s: &str) -> Option<CellValue> {
    // Fast path: plain ASCII digits, by far the most common cell (tokenised cells are trimmed).
    if !s.is_empty() && s.len() <= 15 {
        let mut v = 0i64;
        let mut digits = true;
        for b in s.bytes() {
            if b.is_ascii_digit() {
                v = v * 10 + i64::from(b - b'0');
            } else {
                digits = false;
                break;
            }
        }
        if digits {
            return Some(CellValue::Int(v));
        }
    }
    // A label (most other cells): its first character is not white space, and neither a
    // value's first character nor a dash's. The checks below would all fail on it.
    if let Some(c) = s.chars().next()
        && !c.is_whitespace()
        && !matches!(
            c,
            '/' | '／' | '-' | '－' | '—' | '–' | '−' | '无' | '\\' | '、'
        )
        && !matches!(cn::fold_width(c), '0'..='9' | '+' | '-' | '−' | '–')
    {
        return None;
    }
    let t = s.trim();
    if t.is_empty() {
        return Some(CellValue::Blank);
    }
    if matches!(
        t,
        "/" | "／" | "-" | "－" | "—" | "——" | "–" | "−" | "--" | "无" | "\\" | "、"
    ) {
        return Some(CellValue::Dash);
    }
    if t.len() > 64 {
        return None;
    }
    if t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<i64>().ok().map(CellValue::Int);
    }
    // A value starts with a digit or a sign: labels are rejected without any work.
    let first = t.chars().next().map(cn::fold_width);
    if !first.is_some_and(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '−' | '–')) {
        return None;
    }
    let mut buf = String::with_capacity(t.len());
    for c in t.chars() {
        match cn::fold_width(c) {
            '−' | '–' => buf.push('-'),
            c if c.is_whitespace() => return None,
            c => buf.push(c),
        }
    }
    let mut body = buf.as_str();
    for unit in ["万元", "人次", "元", "件", "条", "个", "人", "次", "篇"] {
        if let Some(b) = body.strip_suffix(unit) {
            body = b;
            break;
        }
    }
    let (neg, body) = if let Some(b) = body.strip_prefix('-') {
        (true, b)
    } else if let Some(b) = body.strip_prefix('+') {
        (false, b)
    } else {
        (false, body)
    };
    let (int_part, frac) = match body.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (body, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let joined;
    let digits = if int_part.contains(',') {
        let mut groups = int_part.split(',');
        let first = groups.next().unwrap_or_default();
        if first.len() > 3 || !all_digits(first) {
            return None;
        }
        let mut d = first.to_owned();
        for g in groups {
            if g.len() != 3 || !all_digits(g) {
                return None;
            }
            d.push_str(g);
        }
        joined = d;
        joined.as_str()
    } else {
        int_part
    };
    if !all_digits(digits) {
        return None;
    }
    if let Some(f) = frac
        && !all_digits(f)
    {
        return None;
    }
    if digits.len() > 15 {
        return Some(CellValue::Unreadable);
    }
    let sign = if neg { -1 } else { 1 };
    match frac {
        None => digits
            .parse::<i64>()
            .ok()
            .map(|v| CellValue::Int(sign * v))
            .or(Some(CellValue::Unreadable)),
        Some(f) => format!("{digits}.{f}")
            .parse::<f64>()
            .ok()
            .map(|v| CellValue::Decimal(sign as f64 * v))
            .or(Some(CellValue::Unreadable)),
    }
}

/// A value that counts as a value cell (not blank).
pub(super) fn value_like(s: &str) -> Option<CellValue> {
    parse_value(s).filter(|v| !matches!(v, CellValue::Blank))
}

pub(super) fn is_unit(s: &str) -> bool {
    // Units are one or two CJK characters.
    if s.len() > 6 {
        return false;
    }
    matches!(
        s.trim(),
        "条" | "件" | "个" | "人" | "次" | "篇" | "人次" | "万元" | "元" | "项"
    )
}

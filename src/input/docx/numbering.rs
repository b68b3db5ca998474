//! Styles (styles.xml: heading level and list of each paragraph style) and numbering
//! (numbering.xml: list definitions), the counters that number list paragraphs as Word
//! does, and the Word number formats (`chineseCounting`, `decimalEnclosedCircle`, …).

use super::{attr, corrupt, local};
use crate::input::doc_builder::check_depth;
use crate::input::{Limits, ReadError};
use quick_xml::events::Event;
use std::collections::HashMap;

#[derive(Debug, Default, Clone)]
pub(super) struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num: Option<(String, usize)>,
}

pub(super) type Styles = HashMap<String, Style>;

pub(super) fn parse_styles(xml: &str, limits: &Limits) -> Result<Styles, ReadError> {
    let mut out = Styles::new();
    let mut cur: Option<(String, Style)> = None;
    let mut depth = 0usize;
    let mut r = quick_xml::Reader::from_str(xml);
    loop {
        let ev = r
            .read_event()
            .map_err(|e| corrupt(format!("styles.xml: {e}")))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if matches!(ev, Event::Start(_)) {
                    depth += 1;
                    check_depth(depth, limits, "XML ")?;
                }
                match (local(e).as_str(), cur.as_mut()) {
                    ("style", _) => {
                        if let Some((id, s)) = cur.take() {
                            out.insert(id, s);
                        }
                        cur = attr(e, "styleId").map(|id| (id, Style::default()));
                    }
                    ("name", Some((_, s))) => s.name = attr(e, "val").unwrap_or_default(),
                    ("basedOn", Some((_, s))) => s.based_on = attr(e, "val"),
                    ("outlineLvl", Some((_, s))) => {
                        s.outline = attr(e, "val").and_then(|v| v.parse().ok());
                    }
                    ("numId", Some((_, s))) => {
                        let id = attr(e, "val").unwrap_or_default();
                        let lvl = s.num.as_ref().map_or(0, |n| n.1);
                        s.num = Some((id, lvl));
                    }
                    ("ilvl", Some((_, s))) => {
                        let lvl = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                        let id = s.num.take().map(|n| n.0).unwrap_or_default();
                        s.num = Some((id, lvl));
                    }
                    _ => {}
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some((id, s)) = cur.take() {
        out.insert(id, s);
    }
    Ok(out)
}

/// Heading level of a style: its outline level, or a name like `heading 2`, following
/// `basedOn` a few steps.
pub(super) fn style_heading(styles: &Styles, id: &str) -> Option<u8> {
    let mut cur = styles.get(id)?;
    for _ in 0..10 {
        if let Some(l) = cur.outline
            && l < 9
        {
            return Some(l + 1);
        }
        let n = cur.name.to_ascii_lowercase();
        if n == "title" {
            return Some(0);
        }
        if let Some(d) = n
            .strip_prefix("heading ")
            .and_then(|d| d.trim().parse::<u8>().ok())
        {
            return Some(d.clamp(1, 9));
        }
        cur = styles.get(cur.based_on.as_deref()?)?;
    }
    None
}

pub(super) fn style_num(styles: &Styles, id: &str) -> Option<(String, usize)> {
    let mut cur = styles.get(id)?;
    for _ in 0..10 {
        if let Some(n) = &cur.num {
            return Some(n.clone());
        }
        cur = styles.get(cur.based_on.as_deref()?)?;
    }
    None
}

#[derive(Debug, Clone, Default)]
struct Level {
    start: i64,
    fmt: String,
    text: String,
    suff: String,
}

/// A `w:num` being read: numId, abstractNumId, start overrides (level, start).
type NumDef = (String, String, Vec<(usize, i64)>);

#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    /// numId → (abstractNumId, level overrides: ilvl → startOverride)
    nums: HashMap<String, (String, Vec<(usize, i64)>)>,
}

pub(super) fn parse_numbering(xml: &str, limits: &Limits) -> Result<Numbering, ReadError> {
    let mut out = Numbering::default();
    let mut r = quick_xml::Reader::from_str(xml);
    let mut abs: Option<(String, Vec<Level>)> = None;
    let mut lvl: Option<(usize, Level)> = None;
    let mut num: Option<NumDef> = None;
    let mut override_lvl: Option<usize> = None;
    let mut depth = 0usize;
    loop {
        let ev = r
            .read_event()
            .map_err(|e| corrupt(format!("numbering.xml: {e}")))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if matches!(ev, Event::Start(_)) {
                    depth += 1;
                    check_depth(depth, limits, "XML ")?;
                }
                let name = local(e);
                let val = || attr(e, "val").unwrap_or_default();
                match name.as_str() {
                    "abstractNum" => {
                        abs = Some((attr(e, "abstractNumId").unwrap_or_default(), Vec::new()))
                    }
                    "lvl" if abs.is_some() => {
                        let i = attr(e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                        lvl = Some((
                            i,
                            Level {
                                start: 1,
                                suff: "tab".into(),
                                ..Level::default()
                            },
                        ));
                    }
                    "start" => {
                        if let Some((_, l)) = lvl.as_mut() {
                            l.start = val().parse().unwrap_or(1);
                        }
                    }
                    "numFmt" => {
                        if let Some((_, l)) = lvl.as_mut() {
                            l.fmt = val();
                        }
                    }
                    "lvlText" => {
                        if let Some((_, l)) = lvl.as_mut() {
                            l.text = val();
                        }
                    }
                    "suff" => {
                        if let Some((_, l)) = lvl.as_mut() {
                            l.suff = val();
                        }
                    }
                    "num" => {
                        num = Some((attr(e, "numId").unwrap_or_default(), String::new(), vec![]))
                    }
                    "abstractNumId" => {
                        if let Some(n) = num.as_mut() {
                            n.1 = val();
                        }
                    }
                    "lvlOverride" => {
                        override_lvl = attr(e, "ilvl").and_then(|v| v.parse().ok());
                    }
                    "startOverride" => {
                        if let (Some(n), Some(i)) = (num.as_mut(), override_lvl) {
                            n.2.push((i, val().parse().unwrap_or(1)));
                        }
                    }
                    _ => {}
                }
                if matches!(ev, Event::Empty(_)) {
                    close_numbering(&name, &mut abs, &mut lvl, &mut num, &mut out);
                }
            }
            Event::End(ref e) => {
                depth = depth.saturating_sub(1);
                let name = e.local_name().as_ref().to_owned();
                close_numbering(&name, &mut abs, &mut lvl, &mut num, &mut out);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn close_numbering(
    name: &str,
    abs: &mut Option<(String, Vec<Level>)>,
    lvl: &mut Option<(usize, Level)>,
    num: &mut Option<NumDef>,
    out: &mut Numbering,
) {
    match name {
        "lvl" => {
            if let (Some((i, l)), Some((_, levels))) = (lvl.take(), abs.as_mut())
                && i < 9
            {
                if levels.len() <= i {
                    levels.resize(i + 1, Level::default());
                }
                levels[i] = l;
            }
        }
        "abstractNum" => {
            if let Some((id, levels)) = abs.take() {
                out.abstracts.insert(id, levels);
            }
        }
        "num" => {
            if let Some((id, a, o)) = num.take() {
                out.nums.insert(id, (a, o));
            }
        }
        _ => {}
    }
}

/// List counters, per abstract numbering (lists that share one continue each other, as in
/// Word), with the `startOverride` of a `w:num` applied when that list is first used.
#[derive(Debug, Default)]
pub(super) struct Counters {
    values: HashMap<String, [Option<i64>; 9]>,
    used_nums: Vec<String>,
}

impl Counters {
    /// The number text Word shows for the next paragraph of list `num_id` at level `ilvl`.
    pub(super) fn next(
        &mut self,
        numbering: &Numbering,
        num_id: &str,
        ilvl: usize,
    ) -> Option<String> {
        if num_id == "0" {
            return None;
        }
        let (abs_id, overrides) = numbering.nums.get(num_id)?;
        let levels = numbering.abstracts.get(abs_id)?;
        let ilvl = ilvl.min(8);
        let level = levels.get(ilvl)?;
        let values = self.values.entry(abs_id.clone()).or_default();
        if !self.used_nums.iter().any(|n| n == num_id) {
            self.used_nums.push(num_id.to_owned());
            for &(i, start) in overrides {
                if let Some(v) = values.get_mut(i) {
                    *v = Some(start.saturating_sub(1));
                }
            }
        }
        let cur = match values[ilvl] {
            Some(v) => v.saturating_add(1),
            None => level.start,
        };
        values[ilvl] = Some(cur);
        for v in values.iter_mut().skip(ilvl + 1) {
            *v = None;
        }
        if level.fmt == "bullet" {
            return None;
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
                && (1..=9).contains(&d)
            {
                chars.next();
                let i = d as usize - 1;
                let fmt = levels.get(i).map_or("decimal", |l| l.fmt.as_str());
                let v = values[i].unwrap_or_else(|| levels.get(i).map_or(1, |l| l.start));
                out.push_str(&format_number(v, fmt)?);
            } else {
                out.push(c);
            }
        }
        let ends_cjk = out
            .chars()
            .last()
            .is_some_and(|c| matches!(c, '、' | '）' | '．' | '：' | '。' | '】' | '〕'));
        match level.suff.as_str() {
            "nothing" => {}
            _ if ends_cjk || out.is_empty() => {}
            // A tab or space after `1.`: one space keeps the number apart from the text
            // without making the line look like a table row.
            _ => out.push(' '),
        }
        Some(out)
    }
}

/// A list number in a Word number format. `None` for formats we cannot render (the
/// paragraph keeps its text without the number).
pub(super) fn format_number(v: i64, fmt: &str) -> Option<String> {
    let n = u64::try_from(v).ok()?;
    Some(match fmt {
        "decimal" | "" => n.to_string(),
        "decimalZero" => format!("{n:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .filter_map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n as u32 - 1)?.to_string()
        }
        "decimalEnclosedParen" => format!("({n})"),
        "decimalEnclosedFullstop" => format!("{n}."),
        "chineseCounting"
        | "chineseCountingThousand"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "ideographDigital" => chinese(n)?,
        "chineseLegalSimplified" => chinese(n)?
            .chars()
            .map(|c| match c {
                '一' => '壹',
                '二' => '贰',
                '三' => '叁',
                '四' => '肆',
                '五' => '伍',
                '六' => '陆',
                '七' => '柒',
                '八' => '捌',
                '九' => '玖',
                '十' => '拾',
                '百' => '佰',
                '千' => '仟',
                c => c,
            })
            .collect(),
        "ideographTraditional" => "甲乙丙丁戊己庚辛壬癸"
            .chars()
            .nth(usize::try_from(n).ok()?.checked_sub(1)?)?
            .to_string(),
        "ideographZodiac" => "子丑寅卯辰巳午未申酉戌亥"
            .chars()
            .nth(usize::try_from(n).ok()?.checked_sub(1)?)?
            .to_string(),
        // Word repeats the letter past z (aa, bbb); past a few rounds it is not a real list.
        "lowerLetter" | "upperLetter" if (1..=26 * 8).contains(&n) => {
            let base = if fmt == "lowerLetter" { b'a' } else { b'A' };
            let letter = (base + ((n - 1) % 26) as u8) as char;
            letter.to_string().repeat(((n - 1) / 26 + 1) as usize)
        }
        "lowerRoman" => roman(n)?.to_ascii_lowercase(),
        "upperRoman" => roman(n)?,
        "none" => String::new(),
        _ => return None,
    })
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (up to 9999).
pub(super) fn chinese(n: u64) -> Option<String> {
    const D: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n == 0 || n > 9999 {
        return None;
    }
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ['千', '百', '十', '\0'];
    let mut out = String::new();
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        // 十二, not 一十二, when the number starts with the tens.
        if !(i == 2 && d == 1 && out.is_empty()) {
            out.push(D[d as usize]);
        }
        if units[i] != '\0' {
            out.push(units[i]);
        }
    }
    Some(out)
}

fn roman(mut n: u64) -> Option<String> {
    if n == 0 || n > 3999 {
        return None;
    }
    const T: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in T {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    Some(out)
}

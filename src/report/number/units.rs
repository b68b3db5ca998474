//! The units of measure a number can carry ([`UNITS`]) and the idioms that start like a count
//! but are words ([`IDIOMS`]).

use super::Kind;

/// A unit of measure after a number: how it is written, the kind of number it makes, and the
/// factor to the base unit.
pub(super) struct UnitDef {
    pub(super) text: &'static str,
    /// The first character of `text`, compared before the rest.
    pub(super) first: char,
    pub(super) kind: Kind,
    pub(super) scale: f64,
    /// Also after a Chinese numeral (`十分` is an adverb, not 10 points).
    pub(super) chinese: bool,
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
pub(super) const UNITS: &[UnitDef] = &[
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
pub(super) const IDIOMS: &[&str] = &["一次性", "一条龙", "一件事", "一站式", "一成不变"];

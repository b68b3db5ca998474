//! The outline: numbered headings with their Chinese ordinal, style and nesting, and the
//! `一是…二是…` enumerations inside paragraphs.
//!
//! Nesting is inferred the way a reader does it: a heading whose numbering style is already
//! open on the stack closes everything opened after it and becomes that style's next sibling;
//! a new style opens a child level. This follows the document's own habits (seed 001 nests
//! `（一）` under `1、`), and only falls back on the conventional rank
//! (第一部分 > 一、 > （一） > 1. > （1） > ①) when a higher style appears below lower ones only.
//!
//! Numbering restarts legitimately in attachments (附件, 附表, a 统计表 title); each
//! attachment opens a new `scope` whose headings are never siblings of the body's.

use super::cn;
use super::span::{ByteSpan, narrow};
use super::{LineKind, Lines};
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum OrdinalStyle {
    /// 第一部分, 第一章
    Part,
    /// 一、
    CnComma,
    /// （一） or (一)
    CnParen,
    /// 1. 1． 1、
    ArabicDot,
    /// （1） or (1)
    ArabicParen,
    /// ① ②
    Circled,
    /// Markdown heading without an ordinal (`## 总体情况`), by level.
    Markdown(u8),
}

impl OrdinalStyle {
    fn rank(self) -> u8 {
        match self {
            OrdinalStyle::Markdown(l) => l.saturating_sub(1),
            OrdinalStyle::Part => 1,
            OrdinalStyle::CnComma => 2,
            OrdinalStyle::CnParen => 3,
            OrdinalStyle::ArabicDot => 4,
            OrdinalStyle::ArabicParen => 5,
            OrdinalStyle::Circled => 6,
        }
    }

    /// How the n-th marker of this style is written canonically.
    pub(crate) fn marker(self, n: u32) -> String {
        match self {
            OrdinalStyle::Part => format!("第{}部分", cn::ordinal_zh(n)),
            OrdinalStyle::CnComma => format!("{}、", cn::ordinal_zh(n)),
            OrdinalStyle::CnParen => format!("（{}）", cn::ordinal_zh(n)),
            OrdinalStyle::ArabicDot => format!("{n}."),
            OrdinalStyle::ArabicParen => format!("（{n}）"),
            OrdinalStyle::Circled => char::from_u32(0x2460 + n.saturating_sub(1))
                .map_or_else(|| n.to_string(), |c| c.to_string()),
            OrdinalStyle::Markdown(_) => String::new(),
        }
    }

    /// Styles that can be the six main sections of a report.
    pub(crate) fn is_top_level(self) -> bool {
        matches!(
            self,
            OrdinalStyle::Part | OrdinalStyle::CnComma | OrdinalStyle::Markdown(_)
        )
    }
}

/// A numbered (or Markdown) heading or numbered paragraph at the start of a line, in 72 bytes:
/// a file of short lines can have millions (issue 13), so ranges and indices are `u32`
/// (`super::span`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    span: ByteSpan,
    marker: ByteSpan,
    title: ByteSpan,
    /// [`cn::normalize_title`] of the title.
    pub(crate) title_norm: Box<str>,
    line: u32,
    /// [`NO_PARENT`] or the parent's index.
    parent: u32,
    depth: u32,
    scope: u32,
    pub(crate) ordinal: Option<u32>,
    pub(crate) style: OrdinalStyle,
    /// True when the title is short and heading-like rather than the start of a numbered
    /// paragraph of prose.
    pub title_like: bool,
}

/// [`Heading::parent`] of a heading without one.
const NO_PARENT: u32 = u32::MAX;

impl Heading {
    /// 0-based line.
    #[inline]
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// The line's content without surrounding white space.
    #[inline]
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// The ordinal marker as written, e.g. `一、` or `(二)`; empty for Markdown headings
    /// without an ordinal.
    #[inline]
    pub(crate) fn marker(&self) -> Range<usize> {
        self.marker.range()
    }

    /// The title: the text after the marker up to the first sentence break.
    #[inline]
    pub(crate) fn title(&self) -> Range<usize> {
        self.title.range()
    }

    /// The index of the heading this one stands under, if any.
    #[inline]
    pub(crate) fn parent(&self) -> Option<usize> {
        (self.parent != NO_PARENT).then_some(self.parent as usize)
    }

    #[inline]
    pub fn depth(&self) -> usize {
        self.depth as usize
    }

    /// 0 for the body, n for the n-th attachment.
    #[inline]
    pub(crate) fn scope(&self) -> usize {
        self.scope as usize
    }
}

/// One `X是` marker of an enumeration inside prose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RunMarker {
    pub(crate) span: Range<usize>,
    pub(crate) ordinal: u32,
}

/// A `一是…二是…` enumeration, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Run {
    pub(crate) markers: Vec<RunMarker>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub(crate) runs: Vec<Run>,
    /// Lines where an attachment (附件, 附表, 统计表) begins.
    pub(crate) attachment_lines: Vec<usize>,
}

impl Outline {
    /// Headings of the body (not attachments).
    pub(crate) fn body_headings(&self) -> impl Iterator<Item = (usize, &Heading)> {
        self.headings
            .iter()
            .enumerate()
            .filter(|(_, h)| h.scope() == 0)
    }

    /// The first line of the first attachment, if any.
    pub(crate) fn body_end_line(&self) -> Option<usize> {
        self.attachment_lines.first().copied()
    }
}

/// What a line starts with, after list bullets, Markdown `#` and bold marks.
struct Marker {
    style: OrdinalStyle,
    ordinal: Option<u32>,
    /// Byte range of the marker relative to the line content.
    range: Range<usize>,
}

pub(crate) fn build(text: &str, lines: &Lines) -> Outline {
    let mut out = Outline::default();
    let mut stack: Vec<(OrdinalStyle, usize)> = Vec::new();
    let mut scope = 0usize;
    let mut runs = RunTracker::default();

    for (ln, info) in lines.iter().enumerate() {
        if info.kind() != LineKind::Text {
            continue;
        }
        let content = &text[info.content()];
        if is_attachment_start(content) {
            scope += 1;
            stack.clear();
            runs.close(&mut out.runs);
            out.attachment_lines.push(ln);
        }
        if let Some(h) = heading(content, info.content().start) {
            runs.close(&mut out.runs);
            let Marker {
                style,
                ordinal,
                range,
            } = h.0;
            // Find this style on the stack.
            let parent;
            if let Some(p) = stack.iter().rposition(|(s, _)| *s == style) {
                stack.truncate(p);
                parent = stack.last().map(|&(_, i)| i);
            } else {
                if !stack.is_empty() && stack.iter().all(|(s, _)| s.rank() > style.rank()) {
                    stack.clear();
                }
                parent = stack.last().map(|&(_, i)| i);
            }
            let idx = out.headings.len();
            let base = info.content().start;
            let title = h.1.clone();
            out.headings.push(Heading {
                line: narrow(ln),
                span: ByteSpan::new(info.content()),
                marker: ByteSpan::new(base + range.start..base + range.end),
                title_norm: cn::normalize_title(&text[title.clone()]).into_boxed_str(),
                title: ByteSpan::new(title),
                style,
                ordinal,
                title_like: h.2,
                // Fewer headings than bytes of text: an index is below `NO_PARENT`.
                parent: parent.map_or(NO_PARENT, narrow),
                depth: narrow(stack.len()),
                scope: narrow(scope),
            });
            stack.push((style, idx));
        }
        runs.scan(content, info.content().start);
    }
    runs.close(&mut out.runs);
    // Kept for the whole check of the file: no spare capacity.
    out.headings.shrink_to_fit();
    out
}

/// 附件 / 附表 lines and statistics-table titles open an attachment.
fn is_attachment_start(content: &str) -> bool {
    let c = content.trim_start_matches(['#', ' ', '*']);
    if c.starts_with("附件") || c.starts_with("附表") {
        // "附件下载" is web furniture, not an attachment of the report.
        return !c.starts_with("附件下载");
    }
    // Cheap test first: this runs on every line.
    if c.len() > 120 || !c.contains("统计表") {
        return false;
    }
    let n = cn::normalize_title(c);
    n.chars().count() <= 30 && n.ends_with("统计表")
}

/// Recognises a heading at the start of `content`. Returns the marker, the absolute title
/// span and whether the title is heading-like.
fn heading(content: &str, base: usize) -> Option<(Marker, Range<usize>, bool)> {
    let mut pos = 0usize;
    let mut md_level = None;
    // Markdown heading.
    let hashes = content.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && content[hashes..].starts_with([' ', '\t']) {
        md_level = Some(hashes as u8);
        pos = hashes;
        pos += ws_len(&content[pos..]);
    } else if let Some(rest) = content
        .strip_prefix("- ")
        .or_else(|| content.strip_prefix("* "))
        .or_else(|| content.strip_prefix("+ "))
    {
        // Markdown list item: the bullet is not part of the numbering.
        pos = content.len() - rest.len();
        pos += ws_len(&content[pos..]);
    }
    let mut bold = false;
    if content[pos..].starts_with("**") {
        bold = true;
        pos += 2;
    }
    let rest = &content[pos..];
    let marker = match parse_marker(rest) {
        Some((style, ordinal, len)) => Marker {
            style,
            ordinal: Some(ordinal),
            range: pos..pos + len,
        },
        None => {
            let level = md_level?;
            Marker {
                style: OrdinalStyle::Markdown(level),
                ordinal: None,
                range: pos..pos,
            }
        }
    };
    // Title: after the marker, up to the first sentence break.
    let mut t = marker.range.end;
    t += ws_len(&content[t..]);
    if !bold && content[t..].starts_with("**") {
        bold = true;
        t += 2;
    }
    let after = &content[t..];
    let (title_len, whole_line) = if bold {
        match after.find("**") {
            Some(e) => (e, after[e + 2..].trim().is_empty()),
            None => title_end(after),
        }
    } else {
        title_end(after)
    };
    let title_text = after[..title_len].trim_end();
    let chars = title_text.chars().count();
    let title_like = if md_level.is_some() {
        chars <= 60
    } else if whole_line {
        chars <= 50
    } else {
        chars <= 25
    };
    let start = base + t;
    Some((marker, start..start + title_text.len(), title_like))
}

/// Length of the title part of `s` and whether it is the whole line.
fn title_end(s: &str) -> (usize, bool) {
    for (i, c) in s.char_indices() {
        if matches!(c, '。' | '；' | ';' | '！' | '？' | '：' | ':' | '!' | '?') {
            let rest = s[i + c.len_utf8()..].trim().trim_matches('*');
            return (i, rest.is_empty());
        }
    }
    (s.trim_end_matches('*').len(), true)
}

fn ws_len(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t', '\u{3000}']).len()
}

/// Parses an ordinal marker at the start of `s`: (style, ordinal, byte length).
pub(crate) fn parse_marker(s: &str) -> Option<(OrdinalStyle, u32, usize)> {
    let mut it = s.char_indices().peekable();
    let (_, first) = *it.peek()?;
    // 第一部分 / 第一章
    if first == '第' {
        let body = &s['第'.len_utf8()..];
        let n = cn_prefix(body);
        if n == 0 {
            return None;
        }
        let val = cn::parse_int(&body[..n])? as u32;
        let after = &body[n..];
        for unit in ["部分", "章"] {
            if let Some(rest) = after.strip_prefix(unit) {
                let mut len = s.len() - rest.len();
                len += sep_len(rest);
                return Some((OrdinalStyle::Part, val, len));
            }
        }
        return None;
    }
    // （一） (一) （1） (1)
    if first == '（' || first == '(' {
        let inner = &s[first.len_utf8()..];
        let lead = ws_len(inner);
        let inner2 = &inner[lead..];
        let (style, n, val) = if let Some(d) = ascii_prefix(inner2) {
            (OrdinalStyle::ArabicParen, d.0, d.1)
        } else {
            let n = cn_prefix(inner2);
            if n == 0 {
                return None;
            }
            (
                OrdinalStyle::CnParen,
                n,
                cn::parse_int(&inner2[..n])? as u32,
            )
        };
        let after = &inner2[n..];
        let after = &after[ws_len(after)..];
        let close = after.chars().next()?;
        if close != '）' && close != ')' {
            return None;
        }
        let rest = &after[close.len_utf8()..];
        let mut len = s.len() - rest.len();
        // (一)、 occasionally carries a stray separator.
        if rest.starts_with('、') {
            len += '、'.len_utf8();
        }
        return Some((style, val, len));
    }
    // ① …
    if ('\u{2460}'..='\u{2473}').contains(&first) {
        let val = first as u32 - 0x2460 + 1;
        return Some((OrdinalStyle::Circled, val, first.len_utf8()));
    }
    // 1. 1． 1、
    if let Some((n, val)) = ascii_prefix(s) {
        let after = &s[n..];
        let after_ws = &after[ws_len(after)..];
        let sep = after_ws.chars().next()?;
        let rest = &after_ws[sep.len_utf8()..];
        let ok = match sep {
            '、' => true,
            '.' | '．' => !rest.starts_with(|c: char| cn::ascii_digit(c).is_some()),
            _ => false,
        };
        if !ok || val == 0 {
            return None;
        }
        return Some((OrdinalStyle::ArabicDot, val, s.len() - rest.len()));
    }
    // 一、
    let n = cn_prefix(s);
    if n > 0 && n <= 3 * '十'.len_utf8() {
        let after = &s[n..];
        let sep = after.chars().next()?;
        if matches!(sep, '、' | '．') {
            let val = cn::parse_int(&s[..n])? as u32;
            if val == 0 {
                return None;
            }
            return Some((OrdinalStyle::CnComma, val, n + sep.len_utf8()));
        }
    }
    None
}

fn sep_len(rest: &str) -> usize {
    let mut len = ws_len(rest);
    if let Some(c) = rest[len..].chars().next()
        && matches!(c, '、' | '，' | ',' | '：' | ':' | '.' | '．')
    {
        len += c.len_utf8();
    }
    len
}

/// Length of a leading run of Chinese ordinal characters (一…十, 〇).
fn cn_prefix(s: &str) -> usize {
    s.char_indices()
        .take_while(|&(_, c)| {
            matches!(
                c,
                '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
            )
        })
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0)
}

/// A leading run of 1–2 ASCII or full-width digits: (byte length, value).
fn ascii_prefix(s: &str) -> Option<(usize, u32)> {
    let mut len = 0;
    let mut val = 0u32;
    let mut count = 0;
    for c in s.chars() {
        match cn::ascii_digit(c) {
            Some(d) => {
                val = val * 10 + d;
                len += c.len_utf8();
                count += 1;
                if count > 2 {
                    return None;
                }
            }
            None => break,
        }
    }
    (count > 0).then_some((len, val))
}

/// Tracks `X是` enumerations within the text between two headings.
#[derive(Default)]
struct RunTracker {
    /// Open runs, innermost last.
    stack: Vec<Run>,
    done: Vec<Run>,
}

impl RunTracker {
    fn scan(&mut self, content: &str, base: usize) {
        // Every marker ends in 是: most lines have none and need no walk.
        if !content.contains('是') {
            return;
        }
        let mut prev: Option<char> = None;
        let mut iter = content.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            let boundary = match prev {
                None => true,
                Some(p) => {
                    p.is_whitespace()
                        || matches!(
                            p,
                            '。' | '；'
                                | ';'
                                | '，'
                                | ','
                                | '：'
                                | ':'
                                | '！'
                                | '!'
                                | '？'
                                | '?'
                                | '、'
                                | '（'
                                | '('
                                | '*'
                                | '“'
                                | '"'
                        )
                }
            };
            let before = prev;
            prev = Some(c);
            if cn::digit(c).is_none() && c != '十' {
                continue;
            }
            if before.is_some_and(cn::is_numeral_char) {
                continue; // inside a longer numeral
            }
            let n = cn_prefix(&content[i..]);
            if n == 0 || n > 3 * '十'.len_utf8() {
                continue;
            }
            if !content[i + n..].starts_with('是') {
                continue;
            }
            let Some(val) = cn::parse_int(&content[i..i + n]) else {
                continue;
            };
            // Garbled text drops the punctuation before a marker (seed 003: “推向深入九是扶贫”).
            // Accept that only inside an open enumeration and for ordinals above 一, where
            // words such as 统一是 cannot be meant.
            if !boundary {
                let glued = val >= 2
                    && !self.stack.is_empty()
                    && before.is_some_and(|p| {
                        !matches!(
                            p,
                            '第' | '之'
                                | '唯'
                                | '不'
                                | '说'
                                | '即'
                                | '或'
                                | '合'
                                | '统'
                                | '专'
                                | '同'
                                | '逐'
                        )
                    });
                if !glued {
                    continue;
                }
            }
            let span = base + i..base + i + n + '是'.len_utf8();
            self.push(RunMarker {
                span,
                ordinal: val as u32,
            });
            // Skip past the marker.
            while let Some(&(j, c2)) = iter.peek() {
                if j >= i + n + '是'.len_utf8() {
                    break;
                }
                prev = Some(c2);
                iter.next();
            }
        }
    }

    fn push(&mut self, m: RunMarker) {
        if m.ordinal == 1 {
            self.stack.push(Run { markers: vec![m] });
            return;
        }
        let expects = |r: &Run| r.markers.last().map_or(1, |l| l.ordinal + 1);
        if let Some(p) = self.stack.iter().rposition(|r| expects(r) == m.ordinal) {
            // Close inner runs that ended.
            while self.stack.len() > p + 1 {
                let r = self.stack.pop().expect("len checked");
                self.done.push(r);
            }
            self.stack[p].markers.push(m);
            return;
        }
        match self.stack.last_mut() {
            Some(r) => r.markers.push(m),
            None => self.stack.push(Run { markers: vec![m] }),
        }
    }

    fn close(&mut self, out: &mut Vec<Run>) {
        self.done.append(&mut self.stack);
        self.done
            .sort_by_key(|r| r.markers.first().map_or(0, |m| m.span.start));
        out.append(&mut self.done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::classify_lines;

    fn outline(t: &str) -> Outline {
        build(t, &classify_lines(t))
    }

    #[test]
    fn markers() {
        let cases: &[(&str, Option<(OrdinalStyle, u32)>)] = &[
            ("一、总体情况", Some((OrdinalStyle::CnComma, 1))),
            ("十二、其他", Some((OrdinalStyle::CnComma, 12))),
            ("（三）不予公开", Some((OrdinalStyle::CnParen, 3))),
            ("(三) 不予公开", Some((OrdinalStyle::CnParen, 3))),
            ("1.属于国家秘密", Some((OrdinalStyle::ArabicDot, 1))),
            ("2．其他", Some((OrdinalStyle::ArabicDot, 2))),
            ("3、制定方案", Some((OrdinalStyle::ArabicDot, 3))),
            ("（1）明确", Some((OrdinalStyle::ArabicParen, 1))),
            ("第二部分 主动公开", Some((OrdinalStyle::Part, 2))),
            ("②其他", Some((OrdinalStyle::Circled, 2))),
            ("11.46 本年新", None),
            ("2016 年", None),
            ("一是加强", None),
            ("统一规范", None),
            ("（本列数据）", None),
        ];
        for (s, want) in cases {
            let got = parse_marker(s).map(|(st, v, _)| (st, v));
            assert_eq!(got, *want, "{s}");
        }
    }

    #[test]
    fn nesting_follows_the_document() {
        let t = "一、加强领导\n1、高度重视\n（一）内容\n（二）类别\n2、健全制度\n二、存在问题\n";
        let o = outline(t);
        let d: Vec<_> = o.headings.iter().map(|h| (h.depth(), h.ordinal)).collect();
        assert_eq!(
            d,
            vec![
                (0, Some(1)),
                (1, Some(1)),
                (2, Some(1)),
                (2, Some(2)),
                (1, Some(2)),
                (0, Some(2))
            ]
        );
        assert_eq!(o.headings[4].parent(), Some(0));
    }

    #[test]
    fn titles() {
        let t = "1. 领导重视，机构健全。政务公开工作关系群众\n- (二)**健全工作机制。**建立健全\n## 三、收到和处理政府信息公开申请情况\n";
        let o = outline(t);
        assert_eq!(o.headings[0].title_norm.as_ref(), "领导重视,机构健全");
        assert!(o.headings[0].title_like);
        assert_eq!(o.headings[1].title_norm.as_ref(), "健全工作机制");
        assert_eq!(o.headings[1].ordinal, Some(2));
        assert_eq!(
            o.headings[2].title_norm.as_ref(),
            "收到和处理政府信息公开申请情况"
        );
    }

    #[test]
    fn attachments_open_a_scope() {
        let t = "一、a\n二、b\n附件：统计表\n一、主动公开情况\n";
        let o = outline(t);
        assert_eq!(o.headings[2].scope(), 1);
        assert_eq!(o.attachment_lines, vec![2]);
    }

    #[test]
    fn runs() {
        let t = "一、x\n一是甲，统一是乙；二是丙。\n三是丁。\n二、y\n一是A，四是B，九是C。\n";
        let o = outline(t);
        let r: Vec<Vec<u32>> = o
            .runs
            .iter()
            .map(|r| r.markers.iter().map(|m| m.ordinal).collect())
            .collect();
        assert_eq!(r, vec![vec![1, 2, 3], vec![1, 4, 9]]);
    }

    #[test]
    fn nested_runs() {
        let t = "一是强化，一是完善，二是强化，三是贯彻。\n二是拓宽。\n三是健全：一是保密，二是责任。\n";
        let o = outline(t);
        let r: Vec<Vec<u32>> = o
            .runs
            .iter()
            .map(|r| r.markers.iter().map(|m| m.ordinal).collect())
            .collect();
        assert_eq!(r, vec![vec![1, 2, 3], vec![1, 2, 3], vec![1, 2]]);
    }
}

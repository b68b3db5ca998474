//! Reading text without line breaks: the section headings of a report that arrives as one long
//! line (a crawled page's text, a copy from a PDF viewer: `…现将有关情况报告如下。一、总体情况
//! 2019年，我局…二、主动公开政府信息情况第二十条第（一）项…`).
//!
//! A long text line is split into logical lines where an ordinal marker (`一、`) is followed by
//! the official title (or a known variant) of a section of any template, but only when at least
//! two such headings stand in the line with rising ordinals. The heading becomes a logical line
//! of its own (marker and title), so the outline and the section matching see it as they see a
//! heading on its own line. Nothing else is guessed: a marker followed by other words (a table
//! row label `四、结转下年度继续办理`) is not split.
//!
//! Only [`LineInfo`] ranges change; the text and every byte offset stay as they were, so
//! diagnostics still point at the original line and column. Linear in the line's length times
//! the number of distinct titles (a few dozen).

use super::cn;
use super::{LineKind, Lines};
use crate::template::Template;

/// Lines shorter than this (bytes) are left alone: a heading line with a short sentence after
/// it is read by the outline as it is.
const MIN_LINE: usize = 200;

/// An inline heading: where its marker starts, where its title ends, its ordinal.
#[derive(Clone, Copy, Debug)]
struct Inline {
    start: usize,
    end: usize,
    ordinal: u32,
}

/// Every section title and variant of the templates, longest first.
fn titles(templates: &[Template]) -> Vec<String> {
    let mut out: Vec<String> = templates
        .iter()
        .flat_map(|t| t.sections.iter())
        .flat_map(|s| std::iter::once(&s.title).chain(s.variants.iter()))
        .filter(|t| t.chars().count() >= 4)
        .cloned()
        .collect();
    out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

/// Splits long text lines at inline section headings (see the module doc).
pub(crate) fn split(text: &str, lines: &mut Lines, templates: &[Template]) {
    if !lines
        .iter()
        .any(|l| l.kind() == LineKind::Text && l.content().len() >= MIN_LINE)
    {
        return;
    }
    split_with(text, lines, &titles(templates));
}

fn split_with(text: &str, lines: &mut Lines, titles: &[String]) {
    if titles.is_empty() {
        return;
    }
    let mut out: Lines = Vec::with_capacity(lines.len() + 8);
    let mut changed = false;
    for l in lines.iter() {
        if l.kind() != LineKind::Text || l.content().len() < MIN_LINE {
            out.push(l.clone());
            continue;
        }
        let found = chain(text, l.content(), titles);
        if found.len() < 2 {
            out.push(l.clone());
            continue;
        }
        changed = true;
        let mut cuts: Vec<usize> = Vec::with_capacity(found.len() * 2);
        for h in &found {
            cuts.push(h.start);
            cuts.push(h.end);
        }
        let mut start = l.range().start;
        for cut in cuts.into_iter().chain(std::iter::once(l.range().end)) {
            if cut > start {
                out.push(super::line_info(text, start..cut));
            }
            start = start.max(cut);
        }
    }
    if changed {
        *lines = out;
    }
}

/// The inline headings of one line: the longest run with rising ordinals.
fn chain(text: &str, content: std::ops::Range<usize>, titles: &[String]) -> Vec<Inline> {
    let line = &text[content.clone()];
    let mut cands: Vec<Inline> = Vec::new();
    for (i, _) in line.match_indices('、') {
        let Some(c) = line[..i].chars().next_back() else {
            continue;
        };
        let Some(ordinal) = cn::digit(c).filter(|&d| (1..=10).contains(&d)) else {
            continue;
        };
        if c.is_ascii_digit() {
            continue;
        }
        let after = i + '、'.len_utf8();
        let rest = &line[after..];
        let ws = rest.len() - rest.trim_start_matches([' ', '\u{3000}']).len();
        let rest = &rest[ws..];
        let Some(len) = titles
            .iter()
            .find(|t| rest.starts_with(t.as_str()))
            .map(String::len)
            .or_else(|| titles.iter().find_map(|t| near_prefix(rest, t)))
        else {
            continue;
        };
        if cands.len() == MAX_CANDIDATES {
            // Not a report's headings (a list of ordinals run together): leave the line alone.
            return Vec::new();
        }
        let start = content.start + i - c.len_utf8();
        cands.push(Inline {
            start,
            end: content.start + after + ws + len,
            ordinal: ordinal as u32,
        });
    }
    longest_rising(&cands)
}

/// Titles this long may carry one typo (corpus 022: `政府信息公开行政法复议、行政诉讼情况`).
const MIN_FUZZY_TITLE: usize = 8;

/// The byte length of the prefix of `rest` that is `title` with one character inserted,
/// changed or left out, for titles of at least [`MIN_FUZZY_TITLE`] characters.
fn near_prefix(rest: &str, title: &str) -> Option<usize> {
    // The first two characters must agree (checked without allocating: this runs for every
    // `X、` of a long line).
    let two = title.char_indices().nth(2).map_or(title.len(), |(i, _)| i);
    if !rest.starts_with(&title[..two]) {
        return None;
    }
    let t: Vec<char> = title.chars().collect();
    if t.len() < MIN_FUZZY_TITLE {
        return None;
    }
    let r: Vec<(usize, char)> = rest.char_indices().take(t.len() + 1).collect();
    let common = r.iter().zip(&t).take_while(|((_, a), b)| a == *b).count();
    if common < 2 || common >= t.len() {
        return None;
    }
    let end_of = |n: usize| {
        r.get(n).map_or(
            rest.len().min(r.last().map_or(0, |l| l.0 + l.1.len_utf8())),
            |x| x.0,
        )
    };
    let rc: Vec<char> = r.iter().map(|x| x.1).collect();
    // One character inserted in the text.
    if rc.len() > t.len() && rc[common + 1..=t.len()] == t[common..] {
        return Some(end_of(t.len() + 1));
    }
    // One character changed.
    if rc.len() >= t.len() && rc[common + 1..t.len()] == t[common + 1..] {
        return Some(end_of(t.len()));
    }
    // One character left out.
    if rc.len() + 1 >= t.len() && rc.get(common..t.len() - 1) == Some(&t[common + 1..]) {
        return Some(end_of(t.len() - 1));
    }
    None
}

/// At most this many inline headings are looked at in one line (a report has six sections;
/// a line with more candidates is something else).
const MAX_CANDIDATES: usize = 64;

/// The longest subsequence with strictly rising ordinals (quadratic in the candidates, at most
/// [`MAX_CANDIDATES`]).
fn longest_rising(c: &[Inline]) -> Vec<Inline> {
    let mut best = vec![1usize; c.len()];
    let mut prev = vec![usize::MAX; c.len()];
    for i in 0..c.len() {
        for j in 0..i {
            if c[j].ordinal < c[i].ordinal && c[j].end <= c[i].start && best[j] + 1 > best[i] {
                best[i] = best[j] + 1;
                prev[i] = j;
            }
        }
    }
    let Some((mut i, _)) = best
        .iter()
        .enumerate()
        .max_by_key(|&(i, b)| (*b, usize::MAX - i))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    loop {
        out.push(c[i]);
        if prev[i] == usize::MAX {
            break;
        }
        i = prev[i];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<String> {
        let titles = vec![
            "主动公开政府信息情况".to_owned(),
            "收到和处理政府信息公开申请情况".to_owned(),
            "总体情况".to_owned(),
        ];
        let mut lines = super::super::classify_lines(text);
        split_with(text, &mut lines, &titles);
        lines
            .iter()
            .filter(|l| l.kind() != LineKind::Blank)
            .map(|l| text[l.content()].to_owned())
            .collect()
    }

    #[test]
    fn splits_a_run_on_report_at_its_headings() {
        let body = "本报告根据条例编制，现将有关情况报告如下。".repeat(4);
        let t = format!(
            "{body}一、总体情况2019年，我局认真落实。二、主动公开政府信息情况第二十条第（一）项。三、收到和处理政府信息公开申请情况本年新收12件。\n"
        );
        let got = run(&t);
        assert_eq!(
            got,
            vec![
                body.as_str(),
                "一、总体情况",
                "2019年，我局认真落实。",
                "二、主动公开政府信息情况",
                "第二十条第（一）项。",
                "三、收到和处理政府信息公开申请情况",
                "本年新收12件。",
            ]
        );
    }

    #[test]
    fn a_title_with_one_typo_still_splits() {
        let body = "本报告根据条例编制，现将有关情况报告如下。".repeat(4);
        let t = format!(
            "{body}二、主动公开政府信息情况第二十条。三、收到和处理政府信息公开申情况本年新收12件。\n"
        );
        let got = run(&t);
        assert!(
            got.contains(&"三、收到和处理政府信息公开申情况".to_owned()),
            "{got:?}"
        );
        assert_eq!(
            near_prefix(
                "政府信息公开行政法复议、行政诉讼情况其他",
                "政府信息公开行政复议、行政诉讼情况"
            ),
            Some("政府信息公开行政法复议、行政诉讼情况".len())
        );
        assert_eq!(
            near_prefix("政府信息公开行政复议", "政府信息公开行政复议、行政诉讼情况"),
            None
        );
    }

    #[test]
    fn one_heading_or_short_lines_stay() {
        let body = "本报告根据条例编制，现将有关情况报告如下。".repeat(6);
        let one = format!("{body}二、主动公开政府信息情况第二十条第（一）项。\n");
        assert_eq!(run(&one).len(), 1);
        let short = "一、总体情况 二、主动公开政府信息情况\n";
        assert_eq!(run(short).len(), 1);
        // Falling ordinals: the longest rising run is one heading.
        let falling =
            format!("{body}三、收到和处理政府信息公开申请情况。二、主动公开政府信息情况。\n");
        assert_eq!(run(&falling).len(), 1);
    }
}

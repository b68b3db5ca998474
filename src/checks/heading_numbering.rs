//! `heading_numbering`: ordinals among sibling headings, and in `一是…二是…` enumerations,
//! go 1, 2, 3 without duplicates, gaps or reversals.
//!
//! Siblings are headings of the same numbering style under the same parent in the same
//! scope (attachments restart legitimately, seed 001). A lower-level list (1. or （1）) that
//! restarts at 1 under the same parent is taken for a new list, not an error. Seed 004 numbers
//! its sub-headings 一、二、 like the main sections: `一、总体情况 … 一、强化领导 … 二、注重实效
//! … 二、主动公开…`, reported as two duplicates. Seed 003's `一是…四是…九是` is one finding.
//!
//! Parameters: `headings` (default true), `runs` (default true).
//! Placeholders: `{what}` (the problem in words), `{found}`, `{expected}`.
//!
//! ```toml
//! [check.heading_numbering]
//! headings = true
//! runs = true
//! ```

use super::Ctx;
use crate::report::outline::{Heading, Run};
use crate::report::span::narrow;
use crate::text as cn;
use serde::Deserialize;

pub(crate) const PLACEHOLDERS: &[&str] = &["what", "found", "expected"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    #[serde(default = "yes")]
    pub(crate) headings: bool,
    #[serde(default = "yes")]
    pub(crate) runs: bool,
}

fn yes() -> bool {
    true
}

impl super::Kind for Params {
    fn placeholders(&self) -> &'static [&'static str] {
        PLACEHOLDERS
    }

    fn phase(&self) -> super::Phase {
        super::Phase::Report
    }

    fn needs_annual_report(&self) -> bool {
        false
    }

    fn uses_template(&self) -> bool {
        false
    }

    fn run(&self, ctx: &mut Ctx) {
        if self.headings {
            headings(ctx);
        }
        if self.runs {
            for run in &ctx.report.outline.runs {
                check_run(ctx, run);
            }
        }
    }
}

fn marker_text(ctx: &Ctx, h: &Heading) -> String {
    ctx.report.text[h.marker()].trim().to_owned()
}

fn heading_text(ctx: &Ctx, h: &Heading) -> String {
    let s = &ctx.report.text[h.marker().start..h.title().end.max(h.marker().end)];
    let s: String = s.chars().take(30).collect();
    s.replace("**", "")
}

/// A numbering problem found at heading `at` (index into the outline), with the sibling it is
/// compared with; 16 bytes, as a file of short lines can have millions.
struct Found {
    at: u32,
    /// [`NONE`] or the sibling's index.
    prev: u32,
    want: u32,
    problem: Problem,
}

/// [`Found::prev`] when there is no sibling.
const NONE: u32 = u32::MAX;

/// The findings that come first in text order, at most `keep` of them, and how many others
/// there were: a file of short lines has hundreds of thousands of misnumbered headings, of
/// which the rule lists [`super::MAX_FINDINGS_PER_RULE`] (issue 13). Memory stays at `keep`
/// plus a batch, and time O(n log(keep + BATCH)) (a sort of `keep + BATCH` entries every
/// `BATCH` findings).
struct FirstInText {
    keep: usize,
    found: Vec<Found>,
    beyond: usize,
}

impl FirstInText {
    const BATCH: usize = 4096;

    fn new(keep: usize) -> Self {
        FirstInText {
            keep,
            found: Vec::new(),
            beyond: 0,
        }
    }

    fn push(&mut self, hs: &[Heading], f: Found) {
        self.found.push(f);
        if self.found.len() >= self.keep + Self::BATCH {
            self.cut(hs);
        }
    }

    /// In text order; a heading found twice (a duplicate of the heading before it and of the
    /// one after it) keeps the order it was found in: the sort is stable, and what is pushed
    /// after a cut was found after everything kept.
    fn cut(&mut self, hs: &[Heading]) {
        self.found.sort_by_key(|f| hs[f.at as usize].span().start);
        self.beyond += self.found.len().saturating_sub(self.keep);
        self.found.truncate(self.keep);
    }

    /// The findings kept, in text order, and how many were not.
    fn finish(mut self, hs: &[Heading]) -> (Vec<Found>, usize) {
        self.cut(hs);
        (self.found, self.beyond)
    }
}

fn headings(ctx: &mut Ctx) {
    let r = ctx.report;
    let hs = &r.outline.headings;
    // A main section that carries its official ordinal is numbered right even when a section
    // is missing or out of order; that is `missing-section`'s or `section-out-of-order`'s
    // finding, not a numbering one.
    let official = |hi: usize| -> bool {
        r.section_for_heading(hi)
            .and_then(|s| cn::parse_int(&s.ordinal))
            .is_some_and(|o| Some(o as u32) == hs[hi].ordinal)
    };
    // Siblings (same scope, parent and style) side by side, each list in document order: the
    // indices of the numbered headings sorted by (scope, parent, style, index). Four bytes a
    // heading and no table per group (a file of short lines has millions of headings, most
    // of them in groups of one or two). Fewer headings than bytes of text: indices fit `u32`.
    let mut order: Vec<u32> = (0..hs.len())
        .filter(|&i| hs[i].ordinal.is_some())
        .map(narrow)
        .collect();
    order.sort_unstable_by_key(|&i| {
        let h = &hs[i as usize];
        (h.scope(), h.parent(), h.style, i)
    });
    let mut found = FirstInText::new(ctx.room());
    let found_at = |at: usize, prev: Option<usize>, want: u32, problem: Problem| Found {
        at: narrow(at),
        prev: prev.map_or(NONE, narrow),
        want,
        problem,
    };
    for list in order.chunk_by(|&a, &b| {
        let (a, b) = (&hs[a as usize], &hs[b as usize]);
        (a.scope(), a.parent(), a.style) == (b.scope(), b.parent(), b.style)
    }) {
        let i0 = list[0] as usize;
        let first = &hs[i0];
        let top = first.style.is_top_level();
        let n0 = first.ordinal.unwrap_or(1);
        if n0 != 1 && (top || first.parent().is_some()) && !official(i0) {
            found.push(hs, found_at(i0, None, 1, Problem::Start));
        }
        for w in list.windows(2) {
            let (ia, ib) = (w[0] as usize, w[1] as usize);
            let (a, b) = (&hs[ia], &hs[ib]);
            let (pa, pb) = (a.ordinal.unwrap_or(0), b.ordinal.unwrap_or(0));
            if pb == pa + 1 {
                continue;
            }
            if pb == 1 && !top {
                continue; // a new list under the same parent
            }
            if official(ib) && pb != pa {
                continue;
            }
            if pb == pa {
                // Seed 004: `二、注重实效` is a sub-heading numbered like the main section
                // `二、主动公开…` after it; the sub-heading is the one to fix.
                if official(ib) && !official(ia) {
                    found.push(hs, found_at(ia, Some(ib), pa, Problem::DuplicateOfNext));
                } else {
                    found.push(hs, found_at(ib, Some(ia), pa + 1, Problem::Duplicate));
                }
                continue;
            }
            let p = if pb > pa {
                Problem::Gap
            } else {
                Problem::Backward
            };
            found.push(hs, found_at(ib, Some(ia), pa + 1, p));
        }
    }
    drop(order);
    let (found, beyond) = found.finish(hs);
    ctx.count_dropped(beyond);
    for f in found {
        let (ih, iprev, want, problem) = (
            f.at as usize,
            (f.prev != NONE).then_some(f.prev as usize),
            f.want,
            f.problem,
        );
        let (h, prev) = (&hs[ih], iprev.map(|p| &hs[p]));
        let style = h.style;
        let got_m = marker_text(ctx, h);
        let want_m = style.marker(want);
        // Where the other heading is: its line, or in .docx/.html/.pdf its paragraph or page
        // (the lines of the extracted text are not the file's).
        let prev_desc = prev.map(|p| {
            let report = &ctx.report;
            let place = match report.locus_at(p.span().start) {
                Some(l) if report.is_extracted() => ctx.lang.pick(&l.zh, &l.en).to_owned(),
                _ => {
                    let line = ctx.report.index.line_of(p.span().start) + 1;
                    ctx.lang
                        .pick(&format!("第{line}行"), &format!("line {line}"))
                        .to_owned()
                }
            };
            (heading_text(ctx, p), place)
        });
        let what = match (problem, ctx.lang) {
            (Problem::Duplicate | Problem::DuplicateOfNext, crate::diagnostic::Lang::Zh) => {
                format!("重复的序号“{got_m}”")
            }
            (Problem::Duplicate | Problem::DuplicateOfNext, _) => {
                format!("duplicate ordinal “{got_m}”")
            }
            (Problem::Gap, crate::diagnostic::Lang::Zh) => {
                format!(
                    "序号从“{}”跳到了“{got_m}”",
                    prev.map(|p| marker_text(ctx, p)).unwrap_or_default()
                )
            }
            (Problem::Gap, _) => format!(
                "ordinal jumps from “{}” to “{got_m}”",
                prev.map(|p| marker_text(ctx, p)).unwrap_or_default()
            ),
            (Problem::Backward, crate::diagnostic::Lang::Zh) => format!(
                "序号“{got_m}”出现在“{}”之后",
                prev.map(|p| marker_text(ctx, p)).unwrap_or_default()
            ),
            (Problem::Backward, _) => format!(
                "ordinal “{got_m}” comes after “{}”",
                prev.map(|p| marker_text(ctx, p)).unwrap_or_default()
            ),
            (Problem::Start, crate::diagnostic::Lang::Zh) => {
                format!("这一级序号从“{got_m}”开始，缺少“{want_m}”")
            }
            (Problem::Start, _) => format!("this level starts at “{got_m}”; “{want_m}” is missing"),
        };
        let label = if problem == Problem::DuplicateOfNext {
            ctx.tr(
                "与后面正式部分的标题序号相同；这里应是下一级小标题",
                "same ordinal as the main section that follows; this should be a sub-heading",
            )
        } else if problem == Problem::Duplicate && iprev.is_some_and(official) && !official(ih) {
            ctx.tr(
                "与前面正式部分的标题序号相同；这里应是下一级小标题",
                "same ordinal as the main section before it; this should be a sub-heading",
            )
        } else {
            ctx.lang
                .pick(
                    &format!("此处应为“{want_m}”"),
                    &format!("“{want_m}” expected here"),
                )
                .to_owned()
        };
        let vars = [
            ("what", what.clone()),
            ("found", got_m.clone()),
            ("expected", want_m.clone()),
        ];
        let span = h.marker().start..h.title().end.max(h.marker().end);
        let mut d = ctx.diag(span, &vars).with_label(label);
        if let (Some(p), Some((text, place))) = (prev, prev_desc) {
            let msg = if problem == Problem::DuplicateOfNext {
                ctx.lang
                    .pick(
                        &format!("正式部分标题（{place}）：{text}"),
                        &format!("main section heading ({place}): {text}"),
                    )
                    .to_owned()
            } else {
                ctx.lang
                    .pick(
                        &format!("上一个同级标题（{place}）：{text}"),
                        &format!("previous sibling ({place}): {text}"),
                    )
                    .to_owned()
            };
            d = d.with_secondary(p.marker().start..p.title().end.max(p.marker().end), msg);
        }
        if matches!(problem, Problem::Duplicate | Problem::DuplicateOfNext) {
            d = d.with_note(ctx.lang.pick(
                "如果这是上一部分里的小标题，应改用下一级序号（如“（一）”）；否则改为正确的序号并顺延后面的序号",
                "if this is a sub-heading of the previous part, use the next level's numbering (e.g. “（一）”); otherwise renumber it and the headings after it",
            ));
        }
        // Independent of --lang and of line numbers, for baselines.
        ctx.push(d.with_fingerprint(format!("{problem:?} {got_m} {}", heading_text(ctx, h))));
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Problem {
    Duplicate,
    /// A sub-heading with the ordinal of the main section that follows it.
    DuplicateOfNext,
    Gap,
    Backward,
    Start,
}

fn run_marker(n: u32) -> String {
    format!("{}是", cn::ordinal_zh(n))
}

fn check_run(ctx: &mut Ctx, run: &Run) {
    let m = &run.markers;
    if m.len() < 2 {
        return;
    }
    let mut problems = Vec::new();
    for i in 1..m.len() {
        let (a, b) = (m[i - 1].ordinal, m[i].ordinal);
        if b != a + 1 {
            problems.push(i);
        }
    }
    if problems.is_empty() {
        return;
    }
    let seq: String = m
        .iter()
        .map(|x| run_marker(x.ordinal))
        .collect::<Vec<_>>()
        .join("…");
    // Which ordinals are missing between neighbours, as ranges.
    let mut missing = Vec::new();
    for &i in &problems {
        let (a, b) = (m[i - 1].ordinal, m[i].ordinal);
        if b > a + 1 {
            missing.push((a + 1, b - 1));
        }
    }
    let what = if missing.is_empty() {
        ctx.lang
            .pick(
                &format!("“{seq}”的序号重复或倒序"),
                &format!("“{seq}” repeats or reverses its ordinals"),
            )
            .to_owned()
    } else {
        let list = summarize(&missing, ctx.lang);
        ctx.lang
            .pick(
                &format!("“{seq}”的序号不连续，缺少{list}"),
                &format!("“{seq}” skips {list}"),
            )
            .to_owned()
    };
    let first = problems[0];
    let want = run_marker(m[first - 1].ordinal + 1);
    let found = run_marker(m[first].ordinal);
    let vars = [
        ("what", what.clone()),
        ("found", found.clone()),
        ("expected", want.clone()),
    ];
    let mut d = ctx
        .diag(m[first].span.clone(), &vars)
        .with_label(ctx.lang.pick(
            &format!("“{}”之后应为“{want}”", run_marker(m[first - 1].ordinal)),
            &format!(
                "“{want}” expected after “{}”",
                run_marker(m[first - 1].ordinal)
            ),
        ));
    d = d.with_secondary(
        m[0].span.clone(),
        ctx.lang
            .pick("列举从这里开始", "the enumeration starts here"),
    );
    for &i in &problems[1..] {
        d = d.with_secondary(
            m[i].span.clone(),
            ctx.lang.pick(
                &format!(
                    "“{}”之后应为“{}”",
                    run_marker(m[i - 1].ordinal),
                    run_marker(m[i - 1].ordinal + 1)
                ),
                &format!(
                    "“{}” expected after “{}”",
                    run_marker(m[i - 1].ordinal + 1),
                    run_marker(m[i - 1].ordinal)
                ),
            ),
        );
    }
    // Independent of --lang, for baselines.
    ctx.push(d.with_fingerprint(format!("{seq} {missing:?}")));
}

/// `二是、三是、五是至八是`: runs of three or more are written as a range.
fn summarize(ranges: &[(u32, u32)], lang: crate::diagnostic::Lang) -> String {
    let mut parts = Vec::new();
    for &(a, b) in ranges {
        match b - a {
            0 => parts.push(run_marker(a)),
            1 => {
                parts.push(run_marker(a));
                parts.push(run_marker(b));
            }
            _ => parts.push(
                lang.pick(
                    &format!("{}至{}", run_marker(a), run_marker(b)),
                    &format!("{} to {}", run_marker(a), run_marker(b)),
                )
                .to_owned(),
            ),
        }
    }
    parts.join(lang.pick("、", ", "))
}
